// PSYNC across restarts, as Redis 7.0 does it: an RDB saved by a master or a replica
// carries repl-id, repl-offset and repl-stream-db; after a restart the master's
// replicas, or the replica itself, continue with +CONTINUE instead of a full sync.
// Keys that expired while the master was down reach its replicas as DELs.
import { afterEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startServer, skipWithoutRealRedis, type ServerProcess } from '../helpers/server.js';
import { replInfo, statsInfo, waitFor, waitInSync } from '../helpers/replication.js';

const skip = skipWithoutRealRedis();
const running: ServerProcess[] = [];

async function start(opts: Parameters<typeof startServer>[0]): Promise<ServerProcess> {
  const s = await startServer(opts);
  running.push(s);
  return s;
}

/** SHUTDOWN SAVE, then the same server again on the same port and directory. */
async function restart(s: ServerProcess, real: boolean, args: string[]): Promise<ServerProcess> {
  await s.client().call('SHUTDOWN', 'SAVE').catch(() => undefined);
  await s.exited;
  // Closes the old process's clients (they would keep reconnecting).
  await s.stop();
  return start({ real, port: s.port, dir: s.dir, args });
}

async function writeSome(m: Redis, tag: string): Promise<void> {
  for (let i = 0; i < 50; i++) await m.set(`${tag}:${i}`, String(i));
  await m.select(3);
  await m.rpush(`${tag}:list`, 'a', 'b');
  await m.select(0);
  await m.hset(`${tag}:h`, 'f', 'v');
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

function describePair(masterReal: boolean, replicaReal: boolean, body: () => void): void {
  const names = `${masterReal ? 'redis-server' : 'redis-ts'} master, ${replicaReal ? 'redis-server' : 'redis-ts'} replica`;
  const needsReal = masterReal || replicaReal;
  describe.skipIf(needsReal && skip !== null)(`restart and partial resync: ${names}${needsReal && skip ? ` (skipped: ${skip})` : ''}`, body);
}

const debugArgs = ['--enable-debug-command', 'yes'];

// The master that restarts is redis-ts; its replica is redis-server or redis-ts.
for (const replicaReal of [true, false]) {
  describePair(false, replicaReal, () => {
    it('a master restarted from its RDB lets its replica continue with +CONTINUE; keys expired meanwhile are DELs', async () => {
      let master = await start({ args: debugArgs });
      const replica = await start({ real: replicaReal, args: [...debugArgs, '--replicaof', '127.0.0.1', String(master.port)] });
      let m = master.client();
      const r = replica.client();
      await writeSome(m, 'before');
      await m.set('soon-gone', 'x', 'PX', 1500);
      await waitInSync(m, r);
      master = await restart(master, false, debugArgs);
      m = master.client();
      // The key's time passes while the master is down: its DEL opens the new stream.
      await new Promise((resolve) => setTimeout(resolve, 1600));
      await waitFor('the replica is linked again', async () => (await replInfo(r)).master_link_status === 'up', 30000);
      await writeSome(m, 'after');
      await waitInSync(m, r);
      const st = await statsInfo(m);
      expect(st.sync_full).toBe('0');
      expect(st.sync_partial_ok).toBe('1');
      expect(await r.exists('soon-gone')).toBe(0);
      expect(await r.debug('DIGEST')).toBe(await m.debug('DIGEST'));
    });
  });
}

// The replica that restarts is redis-ts against either master, or redis-server against redis-ts.
for (const [masterReal, replicaReal] of [
  [true, false],
  [false, false],
  [false, true],
] as const) {
  describePair(masterReal, replicaReal, () => {
    it('a replica restarted from its RDB continues with +CONTINUE', async () => {
      const master = await start({ real: masterReal, args: debugArgs });
      let replica = await start({ real: replicaReal, args: [...debugArgs, '--replicaof', '127.0.0.1', String(master.port)] });
      const m = master.client();
      let r = replica.client();
      await writeSome(m, 'before');
      await waitInSync(m, r);
      const fullBefore = (await statsInfo(m)).sync_full;
      replica = await restart(replica, replicaReal, [...debugArgs, '--replicaof', '127.0.0.1', String(master.port)]);
      r = replica.client();
      await writeSome(m, 'after');
      await waitInSync(m, r);
      const st = await statsInfo(m);
      expect(st.sync_full).toBe(fullBefore);
      expect(Number(st.sync_partial_ok)).toBeGreaterThanOrEqual(1);
      expect(await r.debug('DIGEST')).toBe(await m.debug('DIGEST'));
    });
  });
}
