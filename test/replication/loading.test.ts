// A replica loading its full-sync payload, as Redis 7.0: a load of a new history
// answers -LOADING and reports loading:1 with the loading_* fields; with
// repl-diskless-load swapdb and the same replication ID (a full resync of the history
// it already follows) it keeps serving the old data (async_loading:1). key-load-delay
// slows the load down enough to watch.
import { afterEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startServer, type ServerProcess } from '../helpers/server.js';
import { infoFields, replInfo, waitFor, waitInSync } from '../helpers/replication.js';

const running: ServerProcess[] = [];
afterEach(async () => {
  for (const s of running) {
    try {
      process.kill(s.pid, 'SIGCONT');
    } catch {
      // already gone
    }
  }
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

async function start(args: string[]): Promise<ServerProcess> {
  const s = await startServer({ args: ['--repl-diskless-sync-delay', '0', ...args] });
  running.push(s);
  return s;
}

const persistence = (r: Redis) => infoFields(r, 'persistence');

describe('a replica loading its full sync', () => {
  it('a new history: -LOADING and loading:1 with the loading fields, then the new data', async () => {
    const master = await start([]);
    const m = master.client();
    await m.debug('POPULATE', '3000');
    const replica = await start(['--key-load-delay', '1000']);
    const r = replica.client();
    await r.set('old', 'data');
    await r.replicaof('127.0.0.1', String(master.port));
    await waitFor('the replica is loading', async () => (await persistence(r)).loading === '1', 10000);
    await expect(r.get('old')).rejects.toThrow('LOADING Redis is loading the dataset in memory');
    // (A disk-based load first writes and reads its file: the parse starts after.)
    await waitFor('the payload is being parsed', async () => Number((await persistence(r)).loading_total_bytes) > 0, 10000);
    const p = await persistence(r);
    expect(p.async_loading).toBe('0');
    expect(Number(p.loading_total_bytes)).toBeGreaterThan(0);
    expect(Number(p.loading_loaded_keys)).toBeGreaterThanOrEqual(0);
    await waitInSync(m, r, 30000);
    expect((await persistence(r)).loading).toBe('0');
    expect(await r.dbsize()).toBe(3000);
    expect(await r.exists('old')).toBe(0);
  });

  it('swapdb, same history: the old data is served while the resync loads (async_loading:1)', async () => {
    const master = await start(['--repl-backlog-size', '16384']);
    const m = master.client();
    await m.debug('POPULATE', '3000');
    const replica = await start(['--repl-diskless-load', 'swapdb', '--replicaof', '127.0.0.1', String(master.port)]);
    const r = replica.client();
    await waitInSync(m, r, 30000);
    const replid = (await replInfo(m)).master_replid;
    await r.config('SET', 'key-load-delay', '1000');
    // Cut the replica off while more than the backlog is written: its PSYNC must fail.
    process.kill(replica.pid, 'SIGSTOP');
    await m.call('CLIENT', 'KILL', 'TYPE', 'replica');
    for (let i = 0; i < 40; i++) await m.set(`big${i}`, 'x'.repeat(1000));
    process.kill(replica.pid, 'SIGCONT');
    await waitFor('the replica loads behind the old data', async () => (await persistence(r)).async_loading === '1', 15000);
    const p = await persistence(r);
    expect(p.loading).toBe('0');
    // The old data is still served: the master's keys from before the cut.
    expect(await r.exists('key:1')).toBe(1);
    expect(await r.exists('big0')).toBe(0);
    await waitInSync(m, r, 30000);
    expect((await replInfo(r)).master_replid).toBe(replid);
    expect(await r.get('big39')).toBe('x'.repeat(1000));
  });
  it('a diskless load parsing from the socket finishes with values larger than its read-ahead', async () => {
    // The socket pauses while much is unparsed; a record bigger than that must still
    // get its bytes (a paused socket and a starved parser once waited on each other).
    const master = await start(['--repl-diskless-sync', 'yes', '--rdbcompression', 'no']);
    const m = master.client();
    const big = 'x'.repeat(3 * 1024 * 1024);
    for (let i = 0; i < 8; i++) await m.set(`big:${i}`, big + i);
    await m.rpush('list', big, big);
    await m.hset('hash', 'f', big);
    const replica = await start(['--repl-diskless-load', 'swapdb']);
    const r = replica.client();
    await r.replicaof('127.0.0.1', String(master.port));
    await waitInSync(m, r, 30000);
    expect(await r.dbsize()).toBe(10);
    expect(await r.call('DEBUG', 'DIGEST')).toBe(await m.call('DEBUG', 'DIGEST'));
  });
});
