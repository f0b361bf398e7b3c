// A redis-ts replica with appendonly yes (aof.c's restartAOFAfterSYNC and the
// replica's feed of its own AOF), of a redis-server master and of a redis-ts master:
// the full sync leaves a base holding the synced data, the master's writes reach the
// replica's incr file, and a restarted replica gets its data back from its AOF and
// resyncs to the master's digest.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { freePort, skipWithoutRealRedis, serversStoppedAfterEach, type ServerProcess } from '../helpers/server.js';
import { dumpAll, infoFields, replInfo, waitFor, waitInSync } from '../helpers/replication.js';
import { fillDataset, mixedWrites } from './dataset.js';

const skip = skipWithoutRealRedis();
const start = serversStoppedAfterEach();

/** Master arguments: DEBUG, and full syncs without the 5 s wait for more replicas. */
const debug = ['--enable-debug-command', 'yes', '--repl-diskless-sync-delay', '0'];
const AOF = ['--appendonly', 'yes'];

function manifestFiles(dir: string): { name: string; seq: number; type: string }[] {
  return readFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'latin1')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const m = /^file (\S+) seq (\d+) type ([bhi])$/.exec(l);
      if (m === null) throw new Error(`unexpected manifest line ${JSON.stringify(l)}`);
      return { name: m[1], seq: Number(m[2]), type: m[3] };
    });
}

function fileOf(dir: string, type: 'b' | 'i'): Buffer {
  const f = manifestFiles(dir).filter((x) => x.type === type);
  expect(f.length).toBe(1);
  return readFileSync(join(dir, 'appendonlydir', f[0].name));
}

/**
 * dumpAll without a consumer group's entries-read and lag: XREADGROUP reaches
 * replicas and the AOF as XCLAIMs, which leave entries-read unknown (as in redis-server).
 */
async function dump(r: Redis): Promise<Record<string, unknown>> {
  const d = await dumpAll(r);
  for (const v of Object.values(d) as { type: string; value: { groups: unknown[][] } }[]) {
    if (v.type === 'stream') v.value.groups = v.value.groups.map((g) => g.slice(0, 5));
  }
  return d;
}

/** The AOF is on again after the full sync: its first rewrite is done. */
async function aofSettled(r: Redis): Promise<void> {
  await waitFor('the replica AOF rewrite after the sync', async () => {
    const p = await infoFields(r, 'persistence');
    return p.aof_enabled === '1' && p.aof_rewrite_in_progress === '0' && p.aof_rewrite_scheduled === '0' && Number(p.aof_rewrites) >= 1;
  });
  expect((await infoFields(r, 'persistence')).aof_last_bgrewrite_status).toBe('ok');
}

async function shutdown(s: ServerProcess): Promise<void> {
  await s.client().call('SHUTDOWN').catch(() => undefined);
  await s.exited;
  await s.stop();
}

for (const masterReal of [true, false]) {
  const name = masterReal ? 'redis-server' : 'redis-ts';
  describe.skipIf(masterReal && skip !== null)(`redis-ts replica with appendonly yes, ${name} master${masterReal && skip ? ` (skipped: ${skip})` : ''}`, () => {
    it('after the full sync its AOF base holds the synced data: restarted alone, it has the master dataset', async () => {
      const master = await start({ real: masterReal, args: debug });
      const m = master.client();
      await fillDataset(m);
      // rdb-key-save-delay: the replica's first rewrite after the sync takes a moment, and
      // the master's writes meanwhile go to the temp incr file it renames afterwards.
      const replica = await start({ args: [...AOF, '--rdb-key-save-delay', '2000', '--replicaof', '127.0.0.1', String(master.port)] });
      const r = replica.client();
      let round = 0;
      await waitFor('the sync and the AOF rewrite after it, under writes', async () => {
        await mixedWrites(m, 45, `sync${round++}`);
        const p = await infoFields(r, 'persistence');
        return (await replInfo(r)).master_link_status === 'up' && p.aof_rewrite_in_progress === '0' && Number(p.aof_rewrites) >= 1;
      });
      await waitInSync(m, r);
      await aofSettled(r);
      const want = await dump(m);
      const digest = await m.debug('DIGEST');
      // The base is the synced dataset (key names are stored as they are in an RDB).
      const base = fileOf(replica.dir, 'b');
      for (const key of ['db15:key', 'db3:key', 'hash:big', 'stream']) expect(base.includes(key), key).toBe(true);
      await shutdown(replica);
      const alone = await start({ dir: replica.dir, args: AOF });
      await alone.waitForOutput('DB loaded from append only file');
      const a = alone.client();
      expect(await dump(a)).toEqual(want);
      expect(await a.debug('DIGEST')).toBe(digest);
    });

    it("the master's writes reach the replica's AOF; restarted, the replica loads them and resyncs", async () => {
      const master = await start({ real: masterReal, args: debug });
      const m = master.client();
      await fillDataset(m);
      let replica = await start({ args: [...AOF, '--replicaof', '127.0.0.1', String(master.port)] });
      let r = replica.client();
      await waitInSync(m, r);
      await aofSettled(r);
      await mixedWrites(m, 900, 'live');
      await m.select(4);
      await m.set('db4:marker', 'written-after-sync', 'EX', 100000);
      await m.select(0);
      await waitInSync(m, r);
      // The writes reach the replica's incr file, in their databases (under everysec a
      // write may wait up to 2 s behind a running background fsync).
      await waitFor("the replica's incr file to hold the marker", () => fileOf(replica.dir, 'i').includes('db4:marker'), 10000);
      const incr = fileOf(replica.dir, 'i').toString('latin1');
      expect(incr).toContain('live:live:counter');
      expect(incr).toMatch(/\*2\r\n\$6\r\nSELECT\r\n\$1\r\n4\r\n/i);
      const want = await dump(m);
      const digest = await m.debug('DIGEST');
      await shutdown(replica);

      // Restarted toward a port where nothing listens: what it has comes from its AOF alone.
      const nowhere = await freePort();
      replica = await start({ dir: replica.dir, port: replica.port, args: [...AOF, '--replicaof', '127.0.0.1', String(nowhere)] });
      await replica.waitForOutput('DB loaded from append only file');
      r = replica.client();
      expect(await dump(r)).toEqual(want);
      expect(await r.debug('DIGEST')).toBe(digest);
      // Pointed at the master again, it resyncs and follows.
      expect(await r.replicaof('127.0.0.1', String(master.port))).toBe('OK');
      await waitInSync(m, r);
      await mixedWrites(m, 300, 'again');
      await waitInSync(m, r);
      expect((await replInfo(r)).master_link_status).toBe('up');
      expect(await r.debug('DIGEST')).toBe(await m.debug('DIGEST'));
      await aofSettled(r);
      await shutdown(replica);

      // And restarted with replicaof its master from the start.
      replica = await start({ dir: replica.dir, port: replica.port, args: [...AOF, '--replicaof', '127.0.0.1', String(master.port)] });
      await replica.waitForOutput('DB loaded from append only file');
      r = replica.client();
      await waitInSync(m, r);
      await m.incr('final');
      await waitInSync(m, r);
      expect((await replInfo(r)).master_link_status).toBe('up');
      expect(await r.debug('DIGEST')).toBe(await m.debug('DIGEST'));
      expect(await dump(r)).toEqual(await dump(m));
    });
  });
}
