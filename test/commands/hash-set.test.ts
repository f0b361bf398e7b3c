// Hash and set commands whose replies are random (HRANDFIELD, SRANDMEMBER, SPOP) or
// whose effects are what replicas see: invariants against a running redis-ts, and
// the propagated effects checked in-process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startServer, type ServerProcess } from '../helpers/server.js';
import { RawClient } from '../helpers/raw-client.js';
import { inProcess } from '../helpers/in-process.js';

/** ioredis turns HRANDFIELD ... WITHVALUES into [field, value] pairs: back to RESP2's flat list. */
function flat(reply: unknown): string[] {
  return (reply as (string | string[])[]).flat();
}

describe('random replies: invariants (redis-ts)', () => {
  let srv: ServerProcess;
  let r: Redis;
  beforeAll(async () => {
    srv = await startServer();
    r = srv.client();
  });
  afterAll(async () => {
    await srv?.stop();
  });

  /** A listpack hash of 3 fields and a hashtable hash of 1000. */
  async function makeHashes(): Promise<{ small: Map<string, string>; big: Map<string, string> }> {
    await r.flushall();
    const small = new Map([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
    ]);
    const big = new Map<string, string>();
    for (let i = 0; i < 1000; i++) big.set(`f${i}`, `v${i}`);
    await r.hset('small', small);
    await r.hset('big', big);
    return { small, big };
  }

  it('HRANDFIELD without count, with positive and negative counts, WITHVALUES (RESP2)', async () => {
    const hashes = await makeHashes();
    for (const [key, h] of [
      ['small', hashes.small],
      ['big', hashes.big],
    ] as const) {
      for (let i = 0; i < 20; i++) expect(h.has((await r.call('HRANDFIELD', key)) as string)).toBe(true);
      // Distinct picks: below the size (both strategies for the big hash), and above it.
      for (const count of [1, 2, 10, 334, 500, 999, 1000, 5000]) {
        const got = (await r.call('HRANDFIELD', key, String(count))) as string[];
        expect(got.length).toBe(Math.min(count, h.size));
        expect(new Set(got).size).toBe(got.length);
        for (const f of got) expect(h.has(f)).toBe(true);
        const withValues = flat(await r.call('HRANDFIELD', key, String(count), 'WITHVALUES'));
        expect(withValues.length).toBe(2 * Math.min(count, h.size));
        const fields = new Set<string>();
        for (let j = 0; j < withValues.length; j += 2) {
          expect(h.get(withValues[j])).toBe(withValues[j + 1]);
          fields.add(withValues[j]);
        }
        expect(fields.size).toBe(withValues.length / 2);
      }
      // Negative: exactly |count| picks, repeats allowed.
      const many = (await r.call('HRANDFIELD', key, '-3000')) as string[];
      expect(many.length).toBe(3000);
      for (const f of many) expect(h.has(f)).toBe(true);
      expect(new Set(many).size).toBeLessThan(3000);
      const pairs = flat(await r.call('HRANDFIELD', key, '-50', 'WITHVALUES'));
      expect(pairs.length).toBe(100);
      for (let j = 0; j < pairs.length; j += 2) expect(h.get(pairs[j])).toBe(pairs[j + 1]);
    }
    // Every field of a small hash shows up over many negative picks.
    const spread = new Set((await r.call('HRANDFIELD', 'small', '-300')) as string[]);
    expect(spread).toEqual(new Set(['a', 'b', 'c']));
  });

  it('HRANDFIELD WITHVALUES in RESP3 replies [field, value] pairs', async () => {
    await makeHashes();
    const c = await RawClient.connect(srv.port);
    try {
      await c.call('HELLO', '3');
      for (const count of ['2', '-4', '100']) {
        const raw = await c.call('HRANDFIELD', 'small', count, 'WITHVALUES');
        const n = count === '100' ? 3 : Math.abs(Number(count));
        const pairRe = /\*2\r\n\$1\r\n([abc])\r\n\$1\r\n([123])\r\n/g;
        expect(raw.startsWith(`*${n}\r\n`)).toBe(true);
        const found = [...raw.matchAll(pairRe)];
        expect(found.length).toBe(n);
        for (const m of found) expect(m[2]).toBe(String(m[1].charCodeAt(0) - 96));
      }
      // Without WITHVALUES the elements stay flat.
      expect(await c.call('HRANDFIELD', 'small', '-2')).toMatch(/^\*2\r\n\$1\r\n[abc]\r\n\$1\r\n[abc]\r\n$/);
    } finally {
      c.close();
    }
  });

  it('SRANDMEMBER on intset and hashtable sets', async () => {
    await r.flushall();
    const ints = Array.from({ length: 100 }, (_, i) => String(i * 2));
    const strs = Array.from({ length: 1000 }, (_, i) => `m${i}`);
    await r.sadd('ints', ints);
    await r.sadd('strs', strs);
    expect(await r.call('OBJECT', 'ENCODING', 'ints')).toBe('intset');
    for (const [key, members] of [
      ['ints', new Set(ints)],
      ['strs', new Set(strs)],
    ] as const) {
      for (let i = 0; i < 20; i++) expect(members.has((await r.srandmember(key)) as string)).toBe(true);
      for (const count of [1, 5, 34, 50, 99, 100, 334, 999, 1000, 2000]) {
        const got = (await r.call('SRANDMEMBER', key, String(count))) as string[];
        expect(got.length).toBe(Math.min(count, members.size));
        expect(new Set(got).size).toBe(got.length);
        for (const m of got) expect(members.has(m)).toBe(true);
      }
      const many = (await r.call('SRANDMEMBER', key, '-2500')) as string[];
      expect(many.length).toBe(2500);
      for (const m of many) expect(members.has(m)).toBe(true);
      expect(new Set(many).size).toBeLessThan(2500);
    }
    // The whole intset (count >= size) comes back in ascending order, as Redis replies it.
    const whole = (await r.call('SRANDMEMBER', 'ints', '1000')) as string[];
    expect(whole).toEqual(ints.slice().sort((a, b) => Number(a) - Number(b)));
  });

  it('SPOP with and without count keeps popped + remaining = original', async () => {
    for (const kind of ['ints', 'strs'] as const) {
      // count 3 of 100 pops one by one; 90 of 100 re-creates the remaining set; 100 takes all.
      for (const count of [1, 3, 16, 17, 90, 99, 100, 150]) {
        await r.flushall();
        const original = Array.from({ length: 100 }, (_, i) => (kind === 'ints' ? String(i) : `m${i}`));
        await r.sadd('s', original);
        await r.expire('s', 100000);
        const popped = (await r.call('SPOP', 's', String(count))) as string[];
        expect(popped.length).toBe(Math.min(count, 100));
        expect(new Set(popped).size).toBe(popped.length);
        const rest = (await r.smembers('s')) as string[];
        expect(rest.length).toBe(100 - popped.length);
        expect(new Set([...popped, ...rest])).toEqual(new Set(original));
        expect(await r.exists('s')).toBe(popped.length === 100 ? 0 : 1);
        if (popped.length < 100) expect(await r.ttl('s')).toBeGreaterThan(99000);
      }
      await r.flushall();
      await r.sadd('one', kind === 'ints' ? ['1', '2'] : ['x', 'y']);
      const first = (await r.spop('one')) as string;
      const second = (await r.spop('one')) as string;
      expect(new Set([first, second])).toEqual(new Set(kind === 'ints' ? ['1', '2'] : ['x', 'y']));
      expect(await r.exists('one')).toBe(0);
      expect(await r.spop('one')).toBeNull();
    }
  });

  it('HSCAN and SSCAN return every element present throughout, despite changes in between', async () => {
    await r.flushall();
    const fields: string[] = [];
    for (let i = 0; i < 2000; i++) fields.push(`f${i}`, String(i));
    await r.hset('h', fields);
    await r.sadd('s', Array.from({ length: 2000 }, (_, i) => `m${i}`));
    const hseen = new Set<string>();
    const sseen = new Set<string>();
    let hc = '0';
    let sc = '0';
    let round = 0;
    do {
      const [hn, hitems] = (await r.hscan('h', hc, 'COUNT', 50)) as [string, string[]];
      for (let i = 0; i < hitems.length; i += 2) {
        hseen.add(hitems[i]);
        if (hitems[i].startsWith('f')) expect(hitems[i + 1]).toBe(hitems[i].slice(1));
      }
      hc = hn;
      // Churn: delete and add elements that are not part of the stable range.
      await r.hdel('h', `f${1500 + round}`);
      await r.hset('h', `new${round}`, String(round));
      round++;
    } while (hc !== '0' && round < 10_000);
    round = 0;
    do {
      const [sn, sitems] = (await r.sscan('s', sc, 'COUNT', 50)) as [string, string[]];
      for (const m of sitems) sseen.add(m);
      sc = sn;
      await r.srem('s', `m${1500 + round}`);
      await r.sadd('s', `new${round}`);
      round++;
    } while (sc !== '0' && round < 10_000);
    expect(hc).toBe('0');
    expect(sc).toBe('0');
    for (let i = 0; i < 1500; i++) {
      expect(hseen.has(`f${i}`)).toBe(true);
      expect(sseen.has(`m${i}`)).toBe(true);
    }
  });
});

/** In process, one command at a time: `effects` holds what the last run propagated (argv only). */
function harness(): { run: (...argv: string[]) => string; effects: string[][] } {
  const h = inProcess();
  const effects: string[][] = [];
  const run = (...argv: string[]): string => {
    const reply = h.run(...argv);
    effects.length = 0;
    for (const [, ...effect] of h.take()) effects.push(effect);
    return reply;
  };
  return { run, effects };
}

describe('propagated effects of hash and set writes', () => {
  it('SPOP propagates SREM, one per member, or DEL when it empties the set', () => {
    const { run, effects } = harness();
    run('SADD', 's', ...Array.from({ length: 100 }, (_, i) => String(i)));
    const one = run('SPOP', 's');
    const m = /^\$\d+\r\n(\d+)\r\n$/.exec(one)?.[1];
    expect(effects).toEqual([['SREM', 's', m]]);
    // Few popped (one-by-one strategy) and nearly all popped (re-create strategy).
    for (const count of [3, 90]) {
      run('DEL', 's');
      run('SADD', 's', ...Array.from({ length: 100 }, (_, i) => String(i)));
      const reply = run('SPOP', 's', String(count));
      const popped = [...reply.matchAll(/\$\d+\r\n(\d+)\r\n/g)].map((x) => x[1]);
      expect(popped.length).toBe(count);
      expect(effects).toEqual(popped.map((p) => ['SREM', 's', p]));
    }
    run('SPOP', 's', '1000');
    expect(effects).toEqual([['DEL', 's']]);
    run('SPOP', 's', '5');
    expect(effects).toEqual([]);
    run('SADD', 'x', 'a');
    run('SPOP', 'x', '0');
    expect(effects).toEqual([]);
    run('SPOP', 'x');
    expect(effects).toEqual([['SREM', 'x', 'a']]);
  });

  it('HINCRBYFLOAT propagates HSET with the result; no-op writes propagate nothing', () => {
    const { run, effects } = harness();
    expect(run('HINCRBYFLOAT', 'h', 'f', '1.5')).toBe('$3\r\n1.5\r\n');
    expect(effects).toEqual([['HSET', 'h', 'f', '1.5']]);
    run('HINCRBYFLOAT', 'h', 'f', '0.1');
    expect(effects).toEqual([['HSET', 'h', 'f', '1.6']]);
    run('HINCRBYFLOAT', 'h', 'f', 'abc');
    expect(effects).toEqual([]);
    run('HINCRBY', 'h', 'i', '5');
    expect(effects).toEqual([['HINCRBY', 'h', 'i', '5']]);
    run('HSET', 'h', 'a', '1');
    expect(effects).toEqual([['HSET', 'h', 'a', '1']]);
    run('HSETNX', 'h', 'a', '2');
    expect(effects).toEqual([]);
    run('HDEL', 'h', 'nope');
    expect(effects).toEqual([]);
    run('SADD', 's', 'a');
    run('SADD', 's', 'a');
    expect(effects).toEqual([]);
    run('SREM', 's', 'b');
    expect(effects).toEqual([]);
    run('SMOVE', 's', 'd', 'nope');
    expect(effects).toEqual([]);
    run('SMOVE', 's', 'd', 'a');
    expect(effects).toEqual([['SMOVE', 's', 'd', 'a']]);
    // A *STORE with an empty result and no destination to delete changes nothing.
    run('SINTERSTORE', 'dst', 'nokey', 'd');
    expect(effects).toEqual([]);
    run('SUNIONSTORE', 'dst', 'd');
    expect(effects).toEqual([['SUNIONSTORE', 'dst', 'd']]);
    run('SINTERSTORE', 'dst', 'nokey');
    expect(effects).toEqual([['SINTERSTORE', 'dst', 'nokey']]);
  });
});
