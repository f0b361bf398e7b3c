// List commands beyond reply bytes: what they propagate to replicas (effects, with
// blocking pops rewritten to LPOP/RPOP/LMOVE/RPOPLPUSH as Redis 7.0 does), the
// change counter, key positions for LMPOP/BLMPOP, and the ListValue operations the
// commands rely on. Propagation is compared with redis-server's replication stream
// (read over SYNC) when it is installed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { blockedClients, changes, runSteps, startTappedServer, tapReplicationStream, waitBlocked, type Step, type StreamTap } from '../helpers/stream-tap.js';
import { skipWithoutRealRedis, startServer, type ServerProcess } from '../helpers/server.js';
import { CommandTable, keyIndexes } from '../../src/commands/table.js';
import { listCommands } from '../../src/commands/list.js';
import { ListValue } from '../../src/keyspace/types/list.js';

const noReal = skipWithoutRealRedis();

const NON_BLOCKING: Step[] = [
  ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'],
  ['LPUSH', 'l', 'z'],
  ['LPUSHX', 'nokey', 'z'],
  ['LPOP', 'l'],
  ['RPOP', 'l', '2'],
  ['LPOP', 'l', '0'],
  ['LPOP', 'nokey'],
  ['LTRIM', 'l', '0', '-1'],
  ['LTRIM', 'l', '1', '-1'],
  ['LREM', 'l', '0', 'nothing'],
  ['LREM', 'l', '1', 'c'],
  ['LSET', 'l', '0', 'X'],
  ['LINSERT', 'l', 'BEFORE', 'X', 'w'],
  ['LINSERT', 'l', 'BEFORE', 'nope', 'w'],
  ['LMOVE', 'l', 'l2', 'left', 'RIGHT'],
  ['RPOPLPUSH', 'l2', 'l'],
  ['LMPOP', '2', 'nokey', 'l', 'RIGHT', 'COUNT', '10'],
  ['RPUSH', 'l', 'a', 'b', 'c'],
  ['BLPOP', 'nokey', 'l', '0'],
  ['BRPOP', 'l', '0'],
  ['RPUSH', 'l', '1', '2', '3'],
  ['BLMPOP', '0', '1', 'l', 'LEFT', 'COUNT', '2'],
  ['BLMOVE', 'l', 'l3', 'lEfT', 'RiGhT', '0'],
  ['BRPOPLPUSH', 'l3', 'l4', '0'],
  ['MULTI'],
  ['RPUSH', 'm', '1', '2'],
  ['BLPOP', 'm', '0'],
  ['BLMPOP', '0', '1', 'm', 'RIGHT', 'COUNT', '9'],
  ['BLMOVE', 'm', 'x', 'LEFT', 'LEFT', '0'],
  ['EXEC'],
  ['LTRIM', 'l4', '1', '0'],
];

const SERVED: Step[] = [
  { block: ['BLPOP', 'nokey', 'k', '0'] },
  { serve: ['RPUSH', 'k', 'a'] },
  { block: ['BRPOP', 'k', '0'] },
  { block: ['BLMPOP', '0', '2', 'nokey', 'k', 'RIGHT', 'COUNT', '5'] },
  { serve: ['RPUSH', 'k', 'a', 'b', 'c', 'd'] },
  { block: ['BLMOVE', 's', 'd', 'RIGHT', 'LEFT', '0'] },
  { serve: ['RPUSH', 's', 'x', 'y'] },
  { block: ['BRPOPLPUSH', 's2', 'd', '0'] },
  { serve: ['LMOVE', 's', 's2', 'LEFT', 'LEFT'] },
  { block: ['BLPOP', 'k3', '0'] },
  ['MULTI'],
  ['RPUSH', 'k3', 'a'],
  ['RPUSH', 'k3', 'b'],
  { serve: ['EXEC'] },
  { block: ['BLMOVE', 'src', 'str', 'LEFT', 'LEFT', '0'] },
  ['SET', 'str', 'v'],
  { serve: ['RPUSH', 'src', 'e'] },
];

const EXPECTED_NON_BLOCKING_STREAM = [
  ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'],
  ['LPUSH', 'l', 'z'],
  ['LPOP', 'l'],
  ['RPOP', 'l', '2'],
  ['LTRIM', 'l', '1', '-1'],
  ['LREM', 'l', '1', 'c'],
  ['LSET', 'l', '0', 'X'],
  ['LINSERT', 'l', 'BEFORE', 'X', 'w'],
  ['LMOVE', 'l', 'l2', 'left', 'RIGHT'],
  ['RPOPLPUSH', 'l2', 'l'],
  ['RPOP', 'l', '2'],
  ['RPUSH', 'l', 'a', 'b', 'c'],
  ['LPOP', 'l'],
  ['RPOP', 'l'],
  ['RPUSH', 'l', '1', '2', '3'],
  ['LPOP', 'l', '2'],
  ['LMOVE', 'l', 'l3', 'lEfT', 'RiGhT'],
  ['RPOPLPUSH', 'l3', 'l4'],
  ['MULTI'],
  ['RPUSH', 'm', '1', '2'],
  ['LPOP', 'm'],
  ['RPOP', 'm', '1'],
  ['EXEC'],
  ['LTRIM', 'l4', '1', '0'],
];

const EXPECTED_SERVED_STREAM = [
  ['RPUSH', 'k', 'a'],
  ['LPOP', 'k'],
  ['RPUSH', 'k', 'a', 'b', 'c', 'd'],
  ['RPOP', 'k'],
  ['RPOP', 'k', '3'],
  ['RPUSH', 's', 'x', 'y'],
  ['LMOVE', 's', 'd', 'right', 'left'],
  ['LMOVE', 's', 's2', 'LEFT', 'LEFT'],
  ['RPOPLPUSH', 's2', 'd'],
  ['MULTI'],
  ['RPUSH', 'k3', 'a'],
  ['RPUSH', 'k3', 'b'],
  ['EXEC'],
  ['LPOP', 'k3'],
  ['SET', 'str', 'v'],
  ['RPUSH', 'src', 'e'],
];

describe('list command propagation and change counting', () => {
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

  it('non-blocking commands and immediate blocking pops propagate their effects', async () => {
    const r = await runSteps(ours.port, ours.tap, NON_BLOCKING);
    expect(r.stream).toEqual(EXPECTED_NON_BLOCKING_STREAM);
    if (real !== null && realTap !== null) {
      const rr = await runSteps(real.port, realTap, NON_BLOCKING);
      expect(r.replies).toEqual(rr.replies);
      expect(r.stream).toEqual(rr.stream);
      expect(r.dirty).toEqual(rr.dirty);
    }
  });

  it('served waiters propagate LPOP/RPOP [count], LMOVE with lowercase ends, RPOPLPUSH', async () => {
    const r = await runSteps(ours.port, ours.tap, SERVED);
    expect(r.stream).toEqual(EXPECTED_SERVED_STREAM);
    expect(r.replies[r.replies.length - 1]).toBe('-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
    if (real !== null && realTap !== null) {
      const rr = await runSteps(real.port, realTap, SERVED);
      expect(r.replies).toEqual(rr.replies);
      expect(r.stream).toEqual(rr.stream);
      // A served BLPOP/BLMOVE is not counted as a change in 7.0; a served BLMPOP is.
      expect(r.dirty).toEqual(rr.dirty);
    }
  });
});

describe('LMPOP/BLMPOP key positions', () => {
  const table = new CommandTable([listCommands]);
  const keys = (...argv: string[]) => keyIndexes(table.lookup(argv)!, argv);

  it('follow numkeys, and are empty when numkeys is invalid (genericGetKeys)', () => {
    expect(keys('lmpop', '2', 'a', 'b', 'LEFT')).toEqual([2, 3]);
    expect(keys('lmpop', '1', 'a', 'LEFT', 'COUNT', '3')).toEqual([2]);
    // Like Redis, only the argument count bounds numkeys.
    expect(keys('lmpop', '3', 'a', 'b', 'LEFT')).toEqual([2, 3, 4]);
    expect(keys('lmpop', '4', 'a', 'b', 'LEFT')).toEqual([]);
    expect(keys('lmpop', '0', 'a', 'LEFT')).toEqual([]);
    expect(keys('lmpop', 'x', 'a', 'LEFT')).toEqual([]);
    expect(keys('lmpop', '2abc', 'a', 'b', 'LEFT')).toEqual([2, 3]);
    expect(keys('blmpop', '0', '2', 'a', 'b', 'LEFT')).toEqual([3, 4]);
    expect(keys('blmpop', '0', '-1', 'a', 'LEFT')).toEqual([]);
    expect(keys('blpop', 'a', 'b', '0')).toEqual([1, 2]);
    expect(keys('blmove', 'a', 'b', 'LEFT', 'LEFT', '0')).toEqual([1, 2]);
    expect(keys('rpoplpush', 'a', 'b')).toEqual([1, 2]);
  });
});

describe.skipIf(noReal !== null)(`COMMAND GETKEYS and COMMAND INFO basics vs redis-server${noReal ? ` (skipped: ${noReal})` : ''}`, () => {
  let pair: ServerProcess[] = [];
  beforeAll(async () => {
    pair = await Promise.all([startServer(), startServer({ real: true })]);
  });
  afterAll(async () => {
    await Promise.all(pair.map((s) => s.stop()));
  });

  it('give the same keys, arity, flags and key range for every list command', async () => {
    const names = ['lpush', 'rpush', 'lpushx', 'rpushx', 'lpop', 'rpop', 'llen', 'lrange', 'lindex', 'lset', 'linsert', 'lrem', 'ltrim', 'lpos', 'lmove', 'rpoplpush', 'lmpop', 'blpop', 'brpop', 'blmove', 'brpoplpush', 'blmpop'];
    const getkeys = [
      ['lmpop', '2', 'a', 'b', 'left'],
      ['lmpop', '3', 'a', 'b', 'left'],
      ['lmpop', '0', 'a', 'left'],
      ['blmpop', '0', '2', 'a', 'b', 'left', 'count', '3'],
      ['blpop', 'a', 'b', '0'],
      ['lmove', 'a', 'b', 'left', 'right'],
      ['brpoplpush', 'a', 'b', '0'],
    ];
    const results: unknown[][] = [];
    for (const s of pair) {
      const c = s.client();
      const info = (await c.call('COMMAND', 'INFO', ...names)) as unknown[][];
      const gk: unknown[] = [];
      for (const argv of getkeys) gk.push(await c.call('COMMAND', 'GETKEYS', ...argv).catch((e: Error) => e.message));
      // name, arity, flags, first key, last key, step, ACL categories.
      results.push([info.map((e) => e.slice(0, 7)), gk]);
    }
    expect(results[0]).toEqual(results[1]);
  });
});

describe('ListValue operations used by the list commands', () => {
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (s * 1664525 + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }
  const sink = () => {
    const out: string[] = [];
    return { out, bulk: (s: string) => void out.push(s) };
  };

  it('insertAt, removeAt, dropHead, dropTail, removeMatching, indexOf and writeRange match an array model', () => {
    const r = rng(7);
    const l = new ListValue();
    let ref: string[] = [];
    const vals = ['a', 'b', 'c', 'd'];
    for (let i = 0; i < 8000; i++) {
      const op = Math.floor(r() * 10);
      const v = vals[Math.floor(r() * vals.length)];
      if (op <= 2) {
        // Grow more often than shrink so buffers wrap and resize.
        const n = 1 + Math.floor(r() * 40);
        for (let j = 0; j < n; j++) {
          if (r() < 0.5) {
            l.pushHead(v + j);
            ref.unshift(v + j);
          } else {
            l.pushTail(v);
            ref.push(v);
          }
        }
      } else if (op === 3) {
        const at = Math.floor(r() * (ref.length + 1));
        l.insertAt(at, v);
        ref.splice(at, 0, v);
      } else if (op === 4 && ref.length > 0) {
        const at = Math.floor(r() * ref.length);
        l.removeAt(at);
        ref.splice(at, 1);
      } else if (op === 5) {
        const n = Math.floor(r() * 30);
        l.dropHead(n);
        ref = ref.slice(Math.min(n, ref.length));
      } else if (op === 6) {
        const n = Math.floor(r() * 30);
        l.dropTail(n);
        ref = ref.slice(0, Math.max(0, ref.length - n));
      } else if (op === 7) {
        const limit = Math.floor(r() * 4);
        const fromTail = r() < 0.5;
        const removed = l.removeMatching(v, limit, fromTail);
        let want = 0;
        if (!fromTail) {
          ref = ref.filter((x) => !(x === v && (limit === 0 || want < limit) && ++want > 0));
        } else {
          const rev = ref.slice().reverse().filter((x) => !(x === v && (limit === 0 || want < limit) && ++want > 0));
          ref = rev.reverse();
        }
        if (removed !== want) expect(removed, `step ${i}`).toBe(want);
      } else if (op === 8) {
        if (l.indexOf(v) !== ref.indexOf(v)) expect(l.indexOf(v), `step ${i}`).toBe(ref.indexOf(v));
      } else if (ref.length > 0) {
        const a = Math.floor(r() * ref.length);
        const b = a + Math.floor(r() * (ref.length - a));
        const s = sink();
        const reverse = r() < 0.5;
        l.writeRange(s, a, b, reverse);
        const want = ref.slice(a, b + 1);
        expect(s.out).toEqual(reverse ? want.reverse() : want);
      }
      if (l.length !== ref.length) expect(l.length, `step ${i}`).toBe(ref.length);
      if (i % 500 === 0) expect(l.toArray()).toEqual(ref);
    }
    expect(l.toArray()).toEqual(ref);
  });
});
