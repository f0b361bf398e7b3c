// Persistence through the running server: SAVE/BGSAVE files that real Redis loads,
// real Redis dumps that redis-ts loads at start, a point-in-time BGSAVE under
// concurrent writes, DEBUG RELOAD, a corrupt dump refused at start, MISCONF.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { runCli, skipWithoutRealRedis, serversStoppedAfterEach } from '../helpers/server.js';
import { dumpAll, waitFor } from '../helpers/replication.js';
import { fillDataset } from '../replication/dataset.js';

const skip = skipWithoutRealRedis();
const start = serversStoppedAfterEach();

async function hasZsets(r: Redis): Promise<boolean> {
  const info = (await r.call('COMMAND', 'INFO', 'zadd')) as unknown[];
  return Array.isArray(info) && info[0] !== null;
}

async function bgsaveDone(r: Redis): Promise<void> {
  await waitFor('BGSAVE to finish', async () => (await r.info('persistence')).includes('rdb_bgsave_in_progress:0'));
}

describe('persistence in the server', () => {
  it('DEBUG RELOAD keeps every key of every type', async () => {
    const srv = await start({ args: ['--enable-debug-command', 'yes'] });
    const r = srv.client();
    await fillDataset(r, { zsets: await hasZsets(r) });
    const before = await dumpAll(r);
    expect(await r.call('DEBUG', 'RELOAD')).toBe('OK');
    expect(await dumpAll(r)).toEqual(before);
    expect(await r.call('DEBUG', 'RELOAD', 'BOGUS').catch((e: Error) => e.message)).toBe(
      'ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.',
    );
  });

  it('BGSAVE writes the dataset as it was when the save started, despite writes meanwhile', async () => {
    const srv = await start({});
    const r = srv.client();
    const p = r.pipeline();
    for (let i = 0; i < 20000; i++) p.set(`key:${i}`, `value:${i}`);
    p.rpush('list', 'a', 'b');
    p.hset('hash', 'f', 'v');
    await p.exec();
    const expected = await dumpAll(r);
    // BGSAVE and the writes arrive in one batch: the writes run before the first slice.
    const w = r.pipeline();
    w.bgsave();
    for (let i = 0; i < 20000; i += 7) w.set(`key:${i}`, 'CHANGED');
    for (let i = 1; i < 20000; i += 11) w.del(`key:${i}`);
    for (let i = 0; i < 1000; i++) w.set(`new:${i}`, 'x');
    w.rpush('list', 'c');
    w.hset('hash', 'g', 'w');
    w.flushdb();
    const res = await w.exec();
    expect(res![0]).toEqual([null, 'Background saving started']);
    await bgsaveDone(r);
    const dir = mkdtempSync(join(tmpdir(), 'redis-ts-reload-'));
    copyFileSync(join(srv.dir, 'dump.rdb'), join(dir, 'dump.rdb'));
    const again = await start({ dir });
    expect(await dumpAll(again.client())).toEqual(expected);
  });

  it('refuses to start on a corrupt dump and leaves the file untouched', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redis-ts-corrupt-'));
    const bytes = Buffer.from('REDIS0010\xfa\x09redis-ver\x067.0.15\xfe\x00\xfb\x01\x00\x00\x03key\xff\xff\xff', 'latin1');
    writeFileSync(join(dir, 'dump.rdb'), bytes);
    const digest = createHash('sha1').update(bytes).digest('hex');
    const r = runCli(['--port', '0', '--dir', dir, '--save', '3600 1']);
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toContain('Fatal error loading the DB');
    expect(createHash('sha1').update(readFileSync(join(dir, 'dump.rdb'))).digest('hex')).toBe(digest);
  });

  it('a failed BGSAVE turns writes into MISCONF errors (stop-writes-on-bgsave-error)', async () => {
    const srv = await start({ args: ['--save', '3600 1', '--dbfilename', 'missing-dir/dump.rdb'] });
    const r = srv.client();
    await r.set('before', '1');
    await r.bgsave();
    await waitFor('the failed save to be reported', async () => (await r.info('persistence')).includes('rdb_last_bgsave_status:err'));
    expect(await r.set('after', '1').catch((e: Error) => e.message)).toMatch(/^MISCONF /);
    expect(await r.get('before')).toBe('1');
    await r.config('SET', 'stop-writes-on-bgsave-error', 'no');
    expect(await r.set('after', '1')).toBe('OK');
    // Without save points the stop does not try (and fail) to save on SIGTERM.
    await r.config('SET', 'save', '');
  });
});

describe.skipIf(skip !== null)(`RDB files between redis-ts and redis-server${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('redis-server loads what redis-ts saves, and redis-check-rdb accepts it', async () => {
    const ours = await start({});
    const o = ours.client();
    await fillDataset(o, { zsets: await hasZsets(o) });
    expect(await o.save()).toBe('OK');
    const check = spawnSync('redis-check-rdb', [join(ours.dir, 'dump.rdb')], { encoding: 'utf8', timeout: 30000 });
    expect(check.stdout).toContain('RDB looks OK!');
    const dir = mkdtempSync(join(tmpdir(), 'redis-real-load-'));
    copyFileSync(join(ours.dir, 'dump.rdb'), join(dir, 'dump.rdb'));
    const real = await start({ real: true, dir });
    expect(await dumpAll(real.client())).toEqual(await dumpAll(o));
  });

  it('redis-ts loads at start what redis-server saves', async () => {
    const real = await start({ real: true });
    const rr = real.client();
    await fillDataset(rr);
    expect(await rr.save()).toBe('OK');
    const dir = mkdtempSync(join(tmpdir(), 'redis-ts-load-'));
    copyFileSync(join(real.dir, 'dump.rdb'), join(dir, 'dump.rdb'));
    const ours = await start({ dir });
    const o = ours.client();
    if (await hasZsets(o)) expect(await dumpAll(o)).toEqual(await dumpAll(rr));
    else {
      // Without sorted sets in this build the zset keys cannot be compared through commands.
      const a = await dumpAll(o);
      const b = await dumpAll(rr);
      for (const k of Object.keys(b)) if (!k.includes('zset')) expect(a[k]).toEqual(b[k]);
    }
    await ours.waitForOutput('DB loaded from disk');
  });
});
