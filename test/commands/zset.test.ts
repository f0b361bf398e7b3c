// Sorted-set commands beyond single replies: blocking pops (first come first
// served, several keys, the key that became ready first, keys retyped while a client
// waits, timeouts in RESP2 and RESP3, MULTI/EXEC, CLIENT UNBLOCK), what every write
// propagates (ZPOPMIN/ZPOPMAX for the M and blocking pops, ZADD with scores for
// GEOADD, nothing for no-ops) and the change counter. Transcripts and replication
// streams are compared with redis-server 7.0 (its stream read over SYNC) when it is
// installed. Whether a client is blocked is polled from INFO with a deadline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { blockedClients, changes, runSteps, startTappedServer, tapReplicationStream, waitBlocked, type Step, type StreamTap } from '../helpers/stream-tap.js';
import { skipWithoutRealRedis, startServer, type ServerProcess } from '../helpers/server.js';

const noReal = skipWithoutRealRedis();

const NON_BLOCKING: Step[] = [
  ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
  ['ZADD', 'z', '1', 'a'],
  ['ZADD', 'z', 'XX', '5', 'nope'],
  ['ZADD', 'z', 'INCR', '1', 'a'],
  ['ZINCRBY', 'z', '0', 'a'],
  ['ZINCRBY', 'z', '-1', 'a'],
  ['ZREM', 'z', 'nope'],
  ['ZPOPMIN', 'z'],
  ['ZPOPMIN', 'z', '0'],
  ['ZMPOP', '2', 'nokey', 'z', 'MAX', 'COUNT', '5'],
  ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
  ['BZPOPMIN', 'nokey', 'z', '0'],
  ['BZMPOP', '0', '1', 'z', 'MAX', 'COUNT', '1'],
  ['BZMPOP', '0', '1', 'z', 'MAX', 'COUNT', '7'],
  ['GEOADD', 'g', '13.361389', '38.115556', 'Palermo'],
  ['GEOADD', 'g', 'CH', 'NX', '13', '38', 'x', '13.361389', '38.115556', 'Palermo'],
  ['GEOADD', 'g', 'XX', '1', '1', 'nope'],
  ['GEOADD', 'g', '13.361389', '38.115556', 'Palermo'],
  ['GEORADIUS', 'g', '13', '38', '100', 'km', 'STORE', 'dst'],
  ['GEORADIUS', 'g', '13', '38', '100', 'km'],
  ['GEOSEARCHSTORE', 'dst2', 'g', 'FROMLONLAT', '13', '38', 'BYRADIUS', '100', 'km', 'STOREDIST'],
  ['ZADD', 'z', '1', 'a', '2', 'b'],
  ['ZUNIONSTORE', 'u', '2', 'z', 'g'],
  ['ZINTERSTORE', 'u', '1', 'nokey'],
  ['ZINTERSTORE', 'u', '1', 'nokey'],
  ['ZRANGESTORE', 'r', 'z', '0', '-1'],
  ['ZREMRANGEBYSCORE', 'z', '-inf', '+inf'],
  ['ZREMRANGEBYRANK', 'r', '5', '10'],
  ['MULTI'],
  ['ZADD', 'm', '1', 'x'],
  ['BZPOPMIN', 'm', '0'],
  ['BZMPOP', '0', '1', 'm', 'MIN'],
  ['EXEC'],
];

const SERVED: Step[] = [
  { block: ['BZPOPMIN', 'nokey', 'k', '0'] },
  { serve: ['ZADD', 'k', '1', 'a'] },
  { block: ['BZPOPMAX', 'k', '0'] },
  { block: ['BZMPOP', '0', '2', 'nokey', 'k', 'MIN', 'COUNT', '2'] },
  { block: ['BZPOPMIN', 'k', '0'] },
  { serve: ['ZADD', 'k', '1', 'a', '2', 'b', '3', 'c', '4', 'd'] },
  { block: ['BZPOPMIN', 'k2', '0'] },
  ['MULTI'],
  ['ZADD', 'k2', '1', 'a'],
  ['ZADD', 'k2', '2', 'b'],
  { serve: ['EXEC'] },
  { block: ['BZPOPMIN', 'k3', '0'] },
  { serve: ['GEOADD', 'k3', '1', '1', 'a'] },
  // Retyped while waiting: the client keeps waiting until the key holds a zset.
  { block: ['BZPOPMIN', 't', '0'] },
  ['LPUSH', 't', 'x'],
  ['DEL', 't'],
  { serve: ['ZADD', 't', '5', 'z'] },
  // Two keys made ready by one transaction: served from the one that got data first.
  { block: ['BZPOPMIN', 'a', 'b', '0'] },
  ['MULTI'],
  ['ZADD', 'b', '1', 'x'],
  ['ZADD', 'a', '1', 'y'],
  { serve: ['EXEC'] },
  { block: ['BZMPOP', '0', '1', 'u2', 'MAX', 'COUNT', '2'] },
  ['ZADD', 'src', '1', 'q', '2', 'r', '3', 's'],
  { serve: ['ZUNIONSTORE', 'u2', '1', 'src'] },
  { block: ['BZPOPMIN', 'gs', '0'] },
  ['GEOADD', 'geo', '13.361389', '38.115556', 'Palermo'],
  { serve: ['GEOSEARCHSTORE', 'gs', 'geo', 'FROMLONLAT', '13', '38', 'BYRADIUS', '100', 'km'] },
];

describe('sorted-set propagation and change counting', () => {
  let ours: Awaited<ReturnType<typeof startTappedServer>>;
  let real: ServerProcess | null = null;
  let realTap: StreamTap | null = null;

  beforeAll(async () => {
    ours = await startTappedServer();
    if (noReal === null) {
      real = await startServer({ real: true });
      realTap = await tapReplicationStream(real.port);
    }
  });
  afterAll(async () => {
    realTap?.close();
    await ours?.stop();
    await real?.stop();
  });

  it('non-blocking writes and immediate blocking pops propagate their effects', async () => {
    const r = await runSteps(ours.port, ours.tap, NON_BLOCKING);
    expect(r.stream).toEqual([
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
      ['ZADD', 'z', 'INCR', '1', 'a'],
      ['ZINCRBY', 'z', '-1', 'a'],
      ['ZPOPMIN', 'z'],
      ['ZPOPMAX', 'z', '2'],
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
      ['ZPOPMIN', 'z'],
      ['ZPOPMAX', 'z', '1'],
      ['ZPOPMAX', 'z', '1'],
      ['zadd', 'g', '3479099956230698', 'Palermo'],
      ['zadd', 'g', 'CH', 'NX', '3479065152021743', 'x', '3479099956230698', 'Palermo'],
      ['GEORADIUS', 'g', '13', '38', '100', 'km', 'STORE', 'dst'],
      ['GEOSEARCHSTORE', 'dst2', 'g', 'FROMLONLAT', '13', '38', 'BYRADIUS', '100', 'km', 'STOREDIST'],
      ['ZADD', 'z', '1', 'a', '2', 'b'],
      ['ZUNIONSTORE', 'u', '2', 'z', 'g'],
      ['ZINTERSTORE', 'u', '1', 'nokey'],
      ['ZRANGESTORE', 'r', 'z', '0', '-1'],
      ['ZREMRANGEBYSCORE', 'z', '-inf', '+inf'],
      ['MULTI'],
      ['ZADD', 'm', '1', 'x'],
      ['ZPOPMIN', 'm'],
      ['EXEC'],
    ]);
    if (real !== null && realTap !== null) {
      const rr = await runSteps(real.port, realTap, NON_BLOCKING);
      expect(r.replies).toEqual(rr.replies);
      expect(r.stream).toEqual(rr.stream);
      expect(r.dirty).toEqual(rr.dirty);
    }
  });

  it('served waiters propagate ZPOPMIN/ZPOPMAX [count] after the write that served them', async () => {
    const r = await runSteps(ours.port, ours.tap, SERVED);
    expect(r.stream).toEqual([
      ['ZADD', 'k', '1', 'a'],
      ['ZPOPMIN', 'k'],
      ['ZADD', 'k', '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
      ['ZPOPMAX', 'k'],
      ['ZPOPMIN', 'k', '2'],
      ['ZPOPMIN', 'k'],
      ['MULTI'],
      ['ZADD', 'k2', '1', 'a'],
      ['ZADD', 'k2', '2', 'b'],
      ['EXEC'],
      ['ZPOPMIN', 'k2'],
      ['zadd', 'k3', '3377822707026402', 'a'],
      ['ZPOPMIN', 'k3'],
      ['LPUSH', 't', 'x'],
      ['DEL', 't'],
      ['ZADD', 't', '5', 'z'],
      ['ZPOPMIN', 't'],
      ['MULTI'],
      ['ZADD', 'b', '1', 'x'],
      ['ZADD', 'a', '1', 'y'],
      ['EXEC'],
      ['ZPOPMIN', 'b'],
      ['ZADD', 'src', '1', 'q', '2', 'r', '3', 's'],
      ['ZUNIONSTORE', 'u2', '1', 'src'],
      ['ZPOPMAX', 'u2', '2'],
      ['zadd', 'geo', '3479099956230698', 'Palermo'],
      ['GEOSEARCHSTORE', 'gs', 'geo', 'FROMLONLAT', '13', '38', 'BYRADIUS', '100', 'km'],
      ['ZPOPMIN', 'gs'],
    ]);
    // Three waiters on k share four elements in arrival order.
    expect(r.replies.slice(3, 6)).toEqual([
      '*3\r\n$1\r\nk\r\n$1\r\nd\r\n$1\r\n4\r\n',
      '*2\r\n$1\r\nk\r\n*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n',
      '*3\r\n$1\r\nk\r\n$1\r\nc\r\n$1\r\n3\r\n',
    ]);
    if (real !== null && realTap !== null) {
      const rr = await runSteps(real.port, realTap, SERVED);
      expect(r.replies).toEqual(rr.replies);
      expect(r.stream).toEqual(rr.stream);
      expect(r.dirty).toEqual(rr.dirty);
    }
  });
});

interface Target {
  name: string;
  port: number;
  admin: RawClient;
  opened: RawClient[];
}

describe('blocking sorted-set pops', () => {
  let oursProc: ServerProcess;
  let realProc: ServerProcess | null = null;
  const targets: Target[] = [];

  beforeAll(async () => {
    [oursProc, realProc] = await Promise.all([startServer(), noReal === null ? startServer({ real: true }) : Promise.resolve(null)]);
    targets.push({ name: 'redis-ts', port: oursProc.port, admin: await RawClient.connect(oursProc.port), opened: [] });
    if (realProc !== null) targets.push({ name: 'redis-server', port: realProc.port, admin: await RawClient.connect(realProc.port), opened: [] });
  });
  afterAll(async () => {
    for (const t of targets) {
      t.admin.close();
      for (const c of t.opened) c.close();
    }
    await Promise.all([oursProc?.stop(), realProc?.stop()]);
  });

  async function conn(t: Target, resp3 = false): Promise<RawClient> {
    const c = await RawClient.connect(t.port);
    t.opened.push(c);
    if (resp3) await c.call('HELLO', '3');
    return c;
  }

  /** Runs a scenario on every target; redis-ts's transcript must equal redis-server's. */
  async function run(scenario: (t: Target) => Promise<string[]>): Promise<string[]> {
    const out: string[][] = [];
    for (const t of targets) {
      await t.admin.call('FLUSHALL');
      await waitBlocked(t.admin, 0);
      try {
        out.push(await scenario(t));
      } finally {
        for (const c of t.opened) c.close();
        t.opened = [];
      }
    }
    if (out.length === 2) expect(out[0], 'redis-ts transcript equals redis-server 7.0').toEqual(out[1]);
    return out[0];
  }

  it('serves waiters first come, first served, in RESP2 and RESP3 shapes', async () => {
    const tr = await run(async (t) => {
      const [c1, c2, c3, c4, p] = [await conn(t), await conn(t, true), await conn(t), await conn(t, true), await conn(t)];
      const r: string[] = [];
      c1.send('BZPOPMIN', 'k', '0');
      await waitBlocked(t.admin, 1);
      c2.send('BZPOPMAX', 'k', '0');
      await waitBlocked(t.admin, 2);
      c3.send('BZMPOP', '0', '1', 'k', 'MIN', 'COUNT', '2');
      await waitBlocked(t.admin, 3);
      c4.send('BZMPOP', '0', '1', 'k', 'MAX');
      await waitBlocked(t.admin, 4);
      r.push(await p.call('ZADD', 'k', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e', '6', 'f'));
      r.push(await c1.reply(), await c2.reply(), await c3.reply(), await c4.reply());
      r.push(await p.call('ZRANGE', 'k', '0', '-1', 'WITHSCORES'));
      // One element, two waiters: the second keeps waiting for the next write.
      c1.send('BZPOPMIN', 'one', '0');
      await waitBlocked(t.admin, 1);
      c2.send('BZPOPMIN', 'one', '0');
      await waitBlocked(t.admin, 2);
      r.push(await p.call('ZADD', 'one', '1.5', 'x'), await c1.reply());
      await waitBlocked(t.admin, 1);
      r.push(await p.call('ZADD', 'one', '-inf', 'y'), await c2.reply(), await p.call('EXISTS', 'one'));
      return r;
    });
    expect(tr[1]).toBe('*3\r\n$1\r\nk\r\n$1\r\na\r\n$1\r\n1\r\n');
    expect(tr[2]).toBe('*3\r\n$1\r\nk\r\n$1\r\nf\r\n,6\r\n');
    expect(tr[3]).toBe('*2\r\n$1\r\nk\r\n*2\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n');
    expect(tr[4]).toBe('*2\r\n$1\r\nk\r\n*1\r\n*2\r\n$1\r\ne\r\n,5\r\n');
  });

  it('a waiter on several keys is served from the key that became ready', async () => {
    const tr = await run(async (t) => {
      const [c1, c2, p] = [await conn(t), await conn(t), await conn(t)];
      const r: string[] = [];
      c1.send('BZPOPMIN', 'a', 'b', 'c', '0');
      await waitBlocked(t.admin, 1);
      r.push(await p.call('ZADD', 'c', '1', 'x'), await c1.reply());
      c1.send('BZPOPMAX', 'a', 'b', '0');
      await waitBlocked(t.admin, 1);
      c2.send('BZMPOP', '0', '2', 'b', 'a', 'MIN', 'COUNT', '3');
      await waitBlocked(t.admin, 2);
      for (const argv of [['MULTI'], ['ZADD', 'b', '1', 'x', '2', 'y'], ['ZADD', 'a', '1', 'q'], ['EXEC']]) r.push(await p.call(...argv));
      r.push(await c1.reply(), await c2.reply());
      r.push(await p.call('ZRANGE', 'a', '0', '-1'), await p.call('ZRANGE', 'b', '0', '-1'));
      // The same key twice: served once.
      c1.send('BZPOPMIN', 'k', 'k', '0');
      await waitBlocked(t.admin, 1);
      r.push(await p.call('ZADD', 'k', '1', 'v1', '2', 'v2'), await c1.reply(), await p.call('ZCARD', 'k'));
      return r;
    });
    expect(tr[1]).toBe('*3\r\n$1\r\nc\r\n$1\r\nx\r\n$1\r\n1\r\n');
    expect(tr[6]).toBe('*3\r\n$1\r\nb\r\n$1\r\ny\r\n$1\r\n2\r\n');
  });

  it('a retyped key keeps its waiter; a zset created and emptied in MULTI serves nobody', async () => {
    const tr = await run(async (t) => {
      const [c1, p] = [await conn(t), await conn(t)];
      const r: string[] = [];
      c1.send('BZPOPMIN', 'k', '0');
      await waitBlocked(t.admin, 1);
      r.push(await p.call('LPUSH', 'k', 'x'));
      r.push(String(await blockedClients(t.admin)));
      r.push(await p.call('SET', 'k', 'v'));
      r.push(String(await blockedClients(t.admin)));
      r.push(await p.call('DEL', 'k'), await p.call('ZADD', 'k', '3', 'm'), await c1.reply());
      c1.send('BZPOPMIN', 'e', '0');
      await waitBlocked(t.admin, 1);
      for (const argv of [['MULTI'], ['ZADD', 'e', '1', 'x'], ['ZPOPMIN', 'e'], ['EXEC']]) r.push(await p.call(...argv));
      r.push(String(await blockedClients(t.admin)));
      r.push(await p.call('ZADD', 'e', '2', 'y'), await c1.reply());
      // A wrong type found when the command starts is an error, not a wait.
      r.push(await p.call('SET', 'k2', 'v'), await c1.call('BZPOPMIN', 'nokey', 'k2', '0'), await c1.call('BZMPOP', '0', '2', 'nokey', 'k2', 'MIN'));
      return r;
    });
    expect(tr[1]).toBe('1');
    expect(tr[6]).toBe('*3\r\n$1\r\nk\r\n$1\r\nm\r\n$1\r\n3\r\n');
  });

  it('times out with the null array: RESP2 *-1, RESP3 _ (fractional seconds)', async () => {
    const tr = await run(async (t) => {
      const r: string[] = [];
      for (const resp3 of [false, true]) {
        const c = await conn(t, resp3);
        const cmds = [
          ['BZPOPMIN', 'nokey', '0.1'],
          ['BZPOPMAX', 'nokey', 'other', '0.05'],
          ['BZMPOP', '0.05', '2', 'nokey', 'other', 'MIN', 'COUNT', '3'],
          ['BZPOPMIN', 'nokey', '0.001'],
        ];
        for (const argv of cmds) {
          const t0 = Date.now();
          r.push(await c.call(...argv));
          const ms = Date.now() - t0;
          const want = Math.ceil(Number(argv[0] === 'BZMPOP' ? argv[1] : argv[argv.length - 1]) * 1000);
          expect(ms, `${t.name} ${argv.join(' ')}`).toBeGreaterThanOrEqual(want - 5);
          expect(ms, `${t.name} ${argv.join(' ')}`).toBeLessThan(want + 2000);
        }
        r.push(await c.call('PING'));
      }
      return r;
    });
    expect(tr.slice(0, 4)).toEqual(Array(4).fill('*-1\r\n'));
    expect(tr.slice(5, 9)).toEqual(Array(4).fill('_\r\n'));
  });

  it('never blocks inside MULTI/EXEC; CLIENT UNBLOCK ends a wait', async () => {
    const tr = await run(async (t) => {
      const [c1, p] = [await conn(t), await conn(t)];
      const r: string[] = [];
      for (const argv of [['MULTI'], ['BZPOPMIN', 'nokey', '0'], ['BZMPOP', '0', '1', 'nokey', 'MAX'], ['ZADD', 'z', '1', 'a'], ['BZPOPMAX', 'z', '0'], ['EXEC']]) {
        r.push(await p.call(...argv));
      }
      const id = (await c1.call('CLIENT', 'ID')).slice(1, -2);
      c1.send('BZPOPMIN', 'k', '0');
      await waitBlocked(t.admin, 1);
      r.push(await p.call('CLIENT', 'UNBLOCK', id), await c1.reply());
      c1.send('BZMPOP', '0', '1', 'k', 'MIN');
      await waitBlocked(t.admin, 1);
      r.push(await p.call('CLIENT', 'UNBLOCK', id, 'ERROR'), await c1.reply(), await c1.call('PING'));
      return r;
    });
    expect(tr[5]).toBe('*4\r\n*-1\r\n*-1\r\n:1\r\n*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n');
    expect(tr[7]).toBe('*-1\r\n');
    expect(tr[9]).toBe('-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
  });
});
