// Replication between redis-ts and Debian's redis-server 7.0 in both roles:
// full sync (diskless and disk-based), the live stream, partial resync after a
// dropped link, chains, and the replica's read-only refusal. Datasets are compared
// completely once the offsets match.
import { describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { skipWithoutRealRedis, serversStoppedAfterEach } from '../helpers/server.js';
import { dumpAll, replInfo, statsInfo, waitFor, waitInSync } from '../helpers/replication.js';
import { fillDataset, mixedWrites } from './dataset.js';

const skip = skipWithoutRealRedis();
const FAST_SYNC = ['--repl-diskless-sync-delay', '0'];

const start = serversStoppedAfterEach();

/** Whether this redis-ts build knows sorted sets (they arrived with the data types work). */
async function hasZsets(r: Redis): Promise<boolean> {
  const info = (await r.call('COMMAND', 'INFO', 'zadd')) as unknown[];
  return Array.isArray(info) && info[0] !== null;
}

async function expectSameData(a: Redis, b: Redis): Promise<void> {
  expect(await dumpAll(b)).toEqual(await dumpAll(a));
}

describe.skipIf(skip !== null)(`replication interop with redis-server${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('a redis-ts replica follows a real master: diskless full sync, then the live stream', async () => {
    const master = await start({ real: true, args: FAST_SYNC });
    const m = master.client();
    await fillDataset(m);
    const replica = await start({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    const r = replica.client();
    const zsets = await hasZsets(r);
    await waitInSync(m, r);
    await mixedWrites(m, 2000, 'a', { zsets });
    await waitInSync(m, r);
    await expectSameData(m, r);
    await replica.waitForOutput('MASTER <-> REPLICA sync: Finished with success');
    expect(await r.set('x', 'y').catch((e: Error) => e.message)).toBe("READONLY You can't write against a read only replica.");
    const role = (await r.role()) as unknown[];
    expect(role.slice(0, 4)).toEqual(['slave', '127.0.0.1', master.port, 'connected']);
  });

  for (const diskless of [true, false]) {
    it(`a real replica follows a redis-ts master (${diskless ? 'diskless' : 'disk-based'} full sync)`, async () => {
      const master = await start({ args: [...FAST_SYNC, '--repl-diskless-sync', diskless ? 'yes' : 'no'] });
      const m = master.client();
      const zsets = await hasZsets(m);
      await fillDataset(m, { zsets });
      const replica = await start({ real: true, args: ['--replicaof', '127.0.0.1', String(master.port)] });
      const r = replica.client();
      await waitInSync(m, r);
      await mixedWrites(m, 2000, 'b', { zsets });
      await waitInSync(m, r);
      await expectSameData(m, r);
      await master.waitForOutput(`Starting BGSAVE for SYNC with target: ${diskless ? 'replicas sockets' : 'disk'}`);
      const info = await replInfo(m);
      expect(info.connected_slaves).toBe('1');
      // Redis's fields first, exactly; then redis-ts's lag figures.
      expect(info.slave0).toMatch(new RegExp(`^ip=127\\.0\\.0\\.1,port=${replica.port},state=online,offset=\\d+,lag=\\d+,lag_bytes=\\d+,lag_seconds=[\\d.]+,last_ack_ms=\\d+$`));
    });
  }

  it('a dropped link resumes with a partial resync, in both directions', async () => {
    const master = await start({ args: FAST_SYNC });
    const m = master.client();
    const zsets = await hasZsets(m);
    await fillDataset(m, { zsets });
    const ours = await start({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    const real = await start({ real: true, args: ['--replicaof', '127.0.0.1', String(master.port)] });
    const o = ours.client();
    const rr = real.client();
    await waitInSync(m, o);
    await waitInSync(m, rr);
    const before = await statsInfo(m);
    expect(Number(await m.call('CLIENT', 'KILL', 'TYPE', 'replica'))).toBe(2);
    await mixedWrites(m, 500, 'c', { zsets });
    await waitInSync(m, o);
    await waitInSync(m, rr);
    const after = await statsInfo(m);
    expect(Number(after.sync_partial_ok)).toBe(Number(before.sync_partial_ok) + 2);
    expect(after.sync_full).toBe(before.sync_full);
    await expectSameData(m, o);
    await expectSameData(m, rr);
    await ours.waitForOutput('Successful partial resynchronization with master.');
  });

  it('a backlog overflow falls back to a full sync', async () => {
    const master = await start({ args: [...FAST_SYNC, '--repl-backlog-size', '16kb'] });
    const m = master.client();
    const replica = await start({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    const r = replica.client();
    await m.set('seed', '1');
    await waitInSync(m, r);
    const before = await statsInfo(m);
    // Freeze the replica, write far more than the backlog and the kernel's socket
    // buffers hold, cut its link, let it go on: it is left behind the backlog.
    process.kill(replica.pid, 'SIGSTOP');
    try {
      for (let i = 0; i < 12; i++) await m.set(`big${i}`, 'y'.repeat(1024 * 1024));
      await m.set('filler', 'z'.repeat(64 * 1024));
      expect(Number(await m.call('CLIENT', 'KILL', 'TYPE', 'replica'))).toBe(1);
    } finally {
      process.kill(replica.pid, 'SIGCONT');
    }
    await waitInSync(m, r);
    const after = await statsInfo(m);
    expect(Number(after.sync_full)).toBe(Number(before.sync_full) + 1);
    expect(after.sync_partial_ok).toBe(before.sync_partial_ok);
    expect(await r.get('filler')).toHaveLength(64 * 1024);
    await master.waitForOutput('for lack of backlog');
  });

  it('a chain real → redis-ts → real shares one replication ID and offset', async () => {
    const top = await start({ real: true, args: FAST_SYNC });
    const t = top.client();
    await fillDataset(t);
    const middle = await start({ args: [...FAST_SYNC, '--replicaof', '127.0.0.1', String(top.port)] });
    const mid = middle.client();
    const bottom = await start({ real: true, args: ['--replicaof', '127.0.0.1', String(middle.port)] });
    const b = bottom.client();
    await waitInSync(t, mid);
    const zsets = await hasZsets(mid);
    await mixedWrites(t, 1000, 'd', { zsets });
    await waitInSync(t, mid);
    await waitFor('bottom in sync', async () => {
      const ti = await replInfo(t);
      const bi = await replInfo(b);
      return bi.master_link_status === 'up' && bi.slave_repl_offset === ti.master_repl_offset;
    });
    const ti = await replInfo(t);
    const mi = await replInfo(mid);
    const bi = await replInfo(b);
    expect(mi.master_replid).toBe(ti.master_replid);
    expect(bi.master_replid).toBe(ti.master_replid);
    await expectSameData(t, b);
  });

  it('a replica started before its master connects once the master comes up', async () => {
    const { freePort } = await import('../helpers/server.js');
    const port = await freePort();
    const replica = await start({ args: ['--replicaof', '127.0.0.1', String(port)] });
    const r = replica.client();
    await waitFor('a failed connection attempt', () => replica.output().includes('Reconnecting to MASTER'));
    const master = await start({ real: true, port, args: FAST_SYNC });
    const m = master.client();
    await m.set('late', 'master');
    await waitInSync(m, r);
    expect(await r.get('late')).toBe('master');
  });
});

describe('replication between redis-ts servers', () => {
  it('full sync, WAIT, min-replicas-to-write and REPLICAOF NO ONE', async () => {
    const master = await start({ args: FAST_SYNC });
    const m = master.client();
    await m.set('k', 'v');
    const replica = await start({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    const r = replica.client();
    await waitInSync(m, r);
    await m.set('k2', 'v2');
    expect(await m.call('WAIT', '1', '5000')).toBe(1);
    expect(await m.call('WAIT', '2', '100')).toBe(1);
    expect(await r.get('k2')).toBe('v2');
    await m.config('SET', 'min-replicas-to-write', '2');
    expect(await m.set('k3', 'v').catch((e: Error) => e.message)).toBe('NOREPLICAS Not enough good replicas to write.');
    await m.config('SET', 'min-replicas-to-write', '1');
    expect(await m.set('k3', 'v')).toBe('OK');
    await waitInSync(m, r);
    expect(await r.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
    expect(await r.set('now', 'writable')).toBe('OK');
    const info = await replInfo(r);
    expect(info.role).toBe('master');
    expect(info.master_replid2).not.toBe('0000000000000000000000000000000000000000');
  });

  it.skipIf(skip !== null)('replicas arriving within repl-diskless-sync-delay share one snapshot (one of them a real redis-server)', async () => {
    const master = await start({ args: ['--repl-diskless-sync-delay', '2'] });
    const m = master.client();
    await fillDataset(m, { zsets: await hasZsets(m) });
    const [a, b] = await Promise.all([
      start({ args: ['--replicaof', '127.0.0.1', String(master.port)] }),
      start({ real: true, args: ['--replicaof', '127.0.0.1', String(master.port)] }),
    ]);
    await waitInSync(m, a.client());
    await waitInSync(m, b.client());
    const starts = master.output().split('\n').filter((l) => l.includes('Starting BGSAVE for SYNC'));
    expect(starts).toHaveLength(1);
    expect(Number((await statsInfo(m)).sync_full)).toBe(2);
    await expectSameData(m, a.client());
    await expectSameData(m, b.client());
  });

  it('CLIENT KILL TYPE master on a replica resumes partially; replica-serve-stale-data no gives MASTERDOWN', async () => {
    const master = await start({ args: FAST_SYNC });
    const m = master.client();
    await m.set('k', 'v');
    const replica = await start({ args: ['--replicaof', '127.0.0.1', String(master.port), '--replica-serve-stale-data', 'no'] });
    const r = replica.client();
    await waitInSync(m, r);
    const list = (await r.call('CLIENT', 'LIST', 'TYPE', 'master')) as string;
    expect(list).toMatch(/flags=M/);
    const before = await statsInfo(m);
    expect(await r.call('CLIENT', 'KILL', 'TYPE', 'master')).toBe(1);
    await m.set('k2', 'v2');
    await waitInSync(m, r);
    expect(Number((await statsInfo(m)).sync_partial_ok)).toBe(Number(before.sync_partial_ok) + 1);
    expect(await r.get('k2')).toBe('v2');
    await master.stop();
    await waitFor('the link to go down', async () => (await replInfo(r)).master_link_status === 'down');
    expect(await r.get('k').catch((e: Error) => e.message)).toBe("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");
    // Commands flagged stale (INFO, REPLICAOF ...) still work; PING is not one of them.
    expect((await replInfo(r)).role).toBe('slave');
  });

  it('masterauth: right password syncs, wrong one is refused and logged', async () => {
    const master = await start({ args: [...FAST_SYNC, '--requirepass', 'secret'] });
    const m = master.client({ password: 'secret' });
    await m.set('auth', 'ok');
    const good = await start({ args: ['--replicaof', '127.0.0.1', String(master.port), '--masterauth', 'secret'] });
    await waitInSync(m, good.client());
    expect(await good.client().get('auth')).toBe('ok');
    const bad = await start({ args: ['--replicaof', '127.0.0.1', String(master.port), '--masterauth', 'wrong'] });
    await waitFor('AUTH failure logged', () => bad.output().includes('Unable to AUTH to MASTER'));
    expect((await replInfo(bad.client())).master_link_status).toBe('down');
    expect(bad.output()).not.toContain('wrong');
    expect(good.output()).not.toContain('secret');
    const missing = await start({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await waitFor('the refused PSYNC to be logged', () => missing.output().includes('Unexpected reply to PSYNC from master: -NOAUTH'));
    expect((await replInfo(missing.client())).master_link_status).toBe('down');
    expect(await missing.client().get('auth')).toBeNull();
  });

  it('a master restarted empty is followed: the replica resyncs to the new, empty history', async () => {
    const master = await start({ args: FAST_SYNC });
    const port = master.port;
    await fillDataset(master.client(), { zsets: false });
    const replica = await start({ args: ['--replicaof', '127.0.0.1', String(port)] });
    const r = replica.client();
    await waitInSync(master.client(), r);
    const oldId = (await replInfo(r)).master_replid;
    await master.stop();
    const fresh = await start({ port, args: FAST_SYNC });
    const f = fresh.client();
    await f.set('new', 'history');
    await waitInSync(f, r);
    expect(await r.dbsize()).toBe(1);
    expect(await r.get('new')).toBe('history');
    expect((await replInfo(r)).master_replid).not.toBe(oldId);
  });
});
