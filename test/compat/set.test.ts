// Differential: set commands answer byte for byte like redis-server 7.0, in RESP2
// and RESP3. Intset-encoded sets (and results that Redis builds as intsets) reply in
// ascending order on both servers; hashtable-encoded ones are compared sorted.
import { beforeAll, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { describeDifferential, expectSame, lines } from '../helpers/diff.js';

const sorted = (a: unknown): string[] => (a as string[]).slice().sort();

/** Every member an SSCAN iteration returns (bounded number of calls). */
async function sscanAll(r: Redis, key: string, count: number, match?: string): Promise<string[]> {
  const seen = new Set<string>();
  let cursor = '0';
  for (let calls = 0; calls < 1_000_000; calls++) {
    const args: (string | number)[] = [key, cursor, 'COUNT', count];
    if (match !== undefined) args.push('MATCH', match);
    const [next, items] = (await r.call('SSCAN', ...args)) as [string, string[]];
    for (const m of items) seen.add(m);
    cursor = next;
    if (cursor === '0') break;
  }
  expect(cursor).toBe('0');
  return [...seen].sort();
}

describeDifferential('set commands vs redis-server', (pair) => {
  let ours: Redis;
  let real: Redis;
  beforeAll(() => {
    ours = pair.ours.client();
    real = pair.real.client();
  });

  it('SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS on intsets', async () => {
    await expectSame(
      pair,
      lines(`
        SADD s 3 1 2 -5 1
        SADD s 2 10
        SADD s
        SMEMBERS s
        SCARD s
        SCARD nokey
        SISMEMBER s 1
        SISMEMBER s 01
        SISMEMBER s 4
        SISMEMBER nokey 1
        SMISMEMBER s 1 4 -5 x
        SMISMEMBER nokey 1 2
        SMISMEMBER s
        SMEMBERS nokey
        SREM s 1 4 1
        SREM nokey 1
        SREM s
        SMEMBERS s
        SREM s 2 3 -5 10 99
        EXISTS s
        SADD n 9223372036854775807 -9223372036854775808 0 9223372036854775808 -0 007
        SMISMEMBER n 9223372036854775808 -0 007 0 7
        OBJECT ENCODING n
        SADD m 9223372036854775807 -9223372036854775808 0 123 -77
        SMEMBERS m
        OBJECT ENCODING m
        SISMEMBER m 9223372036854775807
        SISMEMBER m "+123"
      `),
    );
  });

  it('every set command against a key of another type', async () => {
    await expectSame(
      pair,
      lines(`
        SET str x
        HSET h f v
        SADD s 1 2
        SADD str a
        SREM str a
        SMEMBERS str
        SISMEMBER str a
        SMISMEMBER str a
        SCARD str
        SPOP str
        SPOP str 2
        SPOP str 0
        SPOP str -1
        SRANDMEMBER str
        SRANDMEMBER str 2
        SRANDMEMBER str x
        SMOVE str s a
        SMOVE s str 1
        SMOVE s h 1
        SMOVE nokey str 1
        SMOVE h nokey 1
        SINTER s str
        SINTER nokey str
        SINTER str nokey
        SINTERCARD 2 s str
        SINTERCARD 2 nokey h
        SINTERSTORE d s str
        SINTERSTORE d nokey str
        SUNION s h
        SUNIONSTORE d s h
        SDIFF s str
        SDIFF nokey str
        SDIFFSTORE d s str
        SSCAN str 0
        SSCAN str x
        SINTERSTORE str s
        TYPE str
        SUNIONSTORE h s
        TYPE h
        SDIFFSTORE s nokey
        EXISTS s
      `),
    );
  });

  it('SPOP and SRANDMEMBER: deterministic shapes and argument errors', async () => {
    await expectSame(
      pair,
      lines(`
        SPOP nokey
        SPOP nokey 3
        SPOP nokey 0
        SPOP nokey -1
        SPOP nokey abc
        SPOP nokey 1 2
        SRANDMEMBER nokey
        SRANDMEMBER nokey 5
        SRANDMEMBER nokey -5
        SRANDMEMBER nokey 0
        SRANDMEMBER nokey abc
        SRANDMEMBER nokey 1 2
        SADD s 5 3 1 4 2
        SPOP s 0
        SPOP s -1
        SPOP s abc
        SPOP s 1.5
        SPOP s 9223372036854775808
        SPOP s 1 2
        SRANDMEMBER s 0
        SRANDMEMBER s 5
        SRANDMEMBER s 100
        SRANDMEMBER s 9223372036854775807
        SRANDMEMBER s -9223372036854775808
        SRANDMEMBER s 9223372036854775808
        SRANDMEMBER s 1.5
        SRANDMEMBER s 1 2
        SCARD s
        SPOP s 5
        EXISTS s
        SADD s 5 3 1 4 2
        SPOP s 9223372036854775807
        EXISTS s
        SADD one only
        SPOP one
        EXISTS one
        SADD one 42
        SRANDMEMBER one
        SRANDMEMBER one 1
        SRANDMEMBER one -3
        SRANDMEMBER one 3
        SPOP one 1
        EXISTS one
        SADD mixed b a 1
        SREM mixed a b
        OBJECT ENCODING mixed
        SADD mixed 3 2
        SPOP mixed 10
        SADD ht x
        SRANDMEMBER ht -2
        SPOP ht 1
        EXISTS ht
      `),
    );
  });

  it('SMOVE', async () => {
    await expectSame(
      pair,
      lines(`
        SADD a 1 2 3
        SADD b 3 4
        SMOVE a b 1
        SMEMBERS a
        SMEMBERS b
        SMOVE a b 3
        SMEMBERS a
        SMEMBERS b
        SMOVE a b 99
        SMOVE nokey b 1
        SMOVE a a 2
        SMOVE a a 99
        SMOVE a c 2
        EXISTS a
        SMEMBERS c
        OBJECT ENCODING c
        SMOVE b d x
        SADD b x
        SMOVE b d x
        OBJECT ENCODING d
        SMEMBERS d
        SMOVE b d
      `),
    );
  });

  it('SINTER, SINTERCARD, SINTERSTORE', async () => {
    await expectSame(
      pair,
      lines(`
        SADD a 1 2 3 4 5
        SADD b 2 3 5 7
        SADD c 5 3 9 2
        SINTER a b c
        SINTER a b
        SINTER a
        SINTER a a
        SINTER a nokey
        SINTER nokey a
        SINTERCARD 3 a b c
        SINTERCARD 2 a b LIMIT 2
        SINTERCARD 2 a b LIMIT 0
        SINTERCARD 2 a b limit 100
        SINTERCARD 1 a
        SINTERCARD 2 a nokey
        SINTERCARD 0 a
        SINTERCARD -1 a
        SINTERCARD abc a
        SINTERCARD 3 a b
        SINTERCARD 9223372036854775807 a
        SINTERCARD 9223372036854775808 a
        SINTERCARD 2 a b LIMIT -1
        SINTERCARD 2 a b LIMIT abc
        SINTERCARD 2 a b LIMIT
        SINTERCARD 2 a b FOO
        SINTERCARD 2 a b LIMIT 1 LIMIT 2
        SINTERCARD 1 a b
        SINTERCARD
        SINTERSTORE d a b c
        SMEMBERS d
        OBJECT ENCODING d
        SINTERSTORE d a nokey
        EXISTS d
        SET d str
        SINTERSTORE d a b
        TYPE d
        SMEMBERS d
        SINTERSTORE d a b
        SINTERSTORE a a b
        SMEMBERS a
        SADD w x y z 2 3
        SINTER w b
        SINTERSTORE d2 w b
        OBJECT ENCODING d2
        SMEMBERS d2
        SINTERSTORE d3 w nokey
        EXISTS d3
        SADD e1 x
        SADD e2 y
        SINTERSTORE d e1 e2
        EXISTS d
      `),
    );
  });

  it('SUNION, SUNIONSTORE, SDIFF, SDIFFSTORE', async () => {
    await expectSame(
      pair,
      lines(`
        SADD a 1 2 3 4 5
        SADD b 2 3 5 7
        SADD c 100 -1
        SUNION a b c
        SUNION a nokey
        SUNION nokey
        SUNION nokey1 nokey2
        SUNIONSTORE u a b c
        SMEMBERS u
        OBJECT ENCODING u
        SUNIONSTORE u nokey
        EXISTS u
        SDIFF a b
        SDIFF b a
        SDIFF a b c
        SDIFF a nokey
        SDIFF nokey a
        SDIFF a a
        SDIFF a b a
        SDIFF a
        SDIFFSTORE d a b
        SMEMBERS d
        OBJECT ENCODING d
        SDIFFSTORE d a a
        EXISTS d
        SDIFFSTORE d nokey a
        SET d x
        SDIFFSTORE d a b
        TYPE d
        SDIFFSTORE a a b
        SMEMBERS a
        SADD big 1 2 3 4 5 6 7 8 9 10 11 12
        SADD small 1
        SDIFF big small
        SDIFF small big
        SDIFFSTORE d2 big small nokey small
        SMEMBERS d2
        SADD w x 1 2
        SREM w x
        SDIFF w b
        SUNION w b
        SUNIONSTORE u2 w b
        OBJECT ENCODING u2
        SMEMBERS u2
      `),
    );
  });

  it('binary members', async () => {
    await expectSame(
      pair,
      lines(`
        SADD bin "\\x00" "\\xff\\x00" "a\\r\\nb" ""
        SCARD bin
        SISMEMBER bin "\\x00"
        SISMEMBER bin "\\x00\\x00"
        SMISMEMBER bin "" "\\xff\\x00" x
        SREM bin "\\xff\\x00"
        SREM bin "\\xff\\x00"
        SCARD bin
        SADD one "\\x00\\xff"
        SMEMBERS one
        SPOP one
        SADD one "\\x00\\xff"
        SRANDMEMBER one
        SRANDMEMBER one -2
        SSCAN one 0
        SINTER one bin
        SUNION one one
      `),
    );
  });

  it('SSCAN on intsets, options and cursor errors', async () => {
    await expectSame(
      pair,
      lines(`
        SADD s 30 10 20 -5 100
        SSCAN s 0
        SSCAN s ""
        SSCAN s 0 MATCH 1*
        SSCAN s 0 MATCH -*
        SSCAN s 0 MATCH * COUNT 1
        SSCAN s 0 match *0 count 100
        SSCAN s 0 COUNT 0
        SSCAN s 0 COUNT -1
        SSCAN s 0 COUNT abc
        SSCAN s 0 COUNT
        SSCAN s 0 MATCH
        SSCAN s 0 TYPE set
        SSCAN s 0 FOO bar
        SSCAN s abc
        SSCAN s -1
        SSCAN s 1.5
        SSCAN s 18446744073709551616
        SSCAN s 42
        SSCAN nokey 0
        SSCAN nokey 0 FOO bar
        SSCAN nokey x
      `),
    );
  });

  it('hashtable-encoded sets: same contents (compared sorted)', async () => {
    const results: unknown[] = [];
    for (const r of [ours, real]) {
      await r.flushall();
      const out: unknown[] = [];
      out.push(await r.sadd('t', 'c', 'a', 'b', '\x00', '1', '2'));
      out.push(await r.sadd('u', 'b', 'z', '2'));
      out.push(await r.call('OBJECT', 'ENCODING', 't'));
      out.push(sorted(await r.smembers('t')));
      out.push(sorted(await r.sinter('t', 'u')));
      out.push(sorted(await r.sunion('t', 'u')));
      out.push(sorted(await r.sdiff('t', 'u')));
      out.push(await sscanAll(r, 't', 1));
      out.push(await sscanAll(r, 't', 2, '[ab]'));
      out.push(sorted(await r.call('SRANDMEMBER', 't', '100')));
      out.push(await r.sinterstore('d', 't', 'u'));
      out.push(await r.call('OBJECT', 'ENCODING', 'd'));
      out.push(await r.sunionstore('d', 't', 'u'));
      out.push(await r.call('OBJECT', 'ENCODING', 'd'));
      out.push(await r.sdiffstore('d', 't', 'u'));
      out.push(await r.call('OBJECT', 'ENCODING', 'd'));
      out.push(sorted(await r.call('SPOP', 't', '100')));
      out.push(await r.exists('t'));
      results.push(out);
    }
    expect(results[0]).toEqual(results[1]);
  });

  it('large sets of 10^5 members built with one multi-argument SADD', async () => {
    const n = 100_000;
    const ints: string[] = [];
    const strs: string[] = [];
    for (let i = 0; i < n; i++) {
      ints.push(String(i * 3));
      strs.push(`m:${i}`);
    }
    const results: unknown[] = [];
    for (const r of [ours, real]) {
      await r.flushall();
      const out: unknown[] = [];
      out.push(await r.call('SADD', 'ints', ...ints));
      out.push(await r.call('SADD', 'ints', ...ints));
      out.push(await r.call('SADD', 'strs', ...strs));
      out.push(await r.scard('ints'), await r.scard('strs'));
      out.push(await r.call('OBJECT', 'ENCODING', 'ints'), await r.call('OBJECT', 'ENCODING', 'strs'));
      const members = sorted(await r.smembers('ints'));
      out.push(members.length, members[0], members[members.length - 1]);
      out.push(await r.call('SMISMEMBER', 'ints', '0', '3', '4', '299997', '300000'));
      out.push(await r.call('SINTERCARD', '2', 'ints', 'strs'));
      out.push(await r.call('SINTERCARD', '1', 'ints', 'LIMIT', '1000'));
      // Multiples of 6 below 300000: 50000 of them; a small intset result.
      const evens: string[] = [];
      for (let i = 0; i < 100; i++) evens.push(String(i * 6));
      out.push(await r.call('SADD', 'evens', ...evens));
      out.push(await r.call('SINTER', 'ints', 'evens'));
      out.push(await r.sinterstore('inter', 'ints', 'evens'));
      out.push(await r.call('OBJECT', 'ENCODING', 'inter'));
      out.push(await r.sunionstore('uni', 'ints', 'strs'));
      out.push(await r.call('OBJECT', 'ENCODING', 'uni'));
      out.push(await r.sdiffstore('diff', 'ints', 'evens'));
      out.push(await r.call('OBJECT', 'ENCODING', 'diff'));
      out.push(await r.sdiffstore('diff2', 'evens', 'ints'));
      out.push(await r.exists('diff2'));
      out.push(await r.sdiffstore('diff3', 'ints', 'ints2', 'ints'));
      out.push(await r.exists('diff3'));
      // 600 integers (a hashtable) minus 597 of them leaves 3. With two operands Redis
      // diffs by lookups (algorithm 1) and the result is a fresh intset; with three more
      // one-member operands it copies and removes (algorithm 2) and the result stays a hashtable.
      const x: string[] = [];
      for (let i = 0; i < 600; i++) x.push(String(i));
      await r.call('SADD', 'x', ...x);
      await r.call('SADD', 'y', ...x.slice(3));
      await r.call('SADD', 'y2', '1000');
      await r.call('SADD', 'y3', '1001');
      await r.call('SADD', 'y4', '1002');
      out.push(await r.sdiffstore('algo1', 'x', 'y'));
      out.push(await r.call('OBJECT', 'ENCODING', 'algo1'));
      out.push(await r.smembers('algo1'));
      out.push(await r.sdiffstore('algo2', 'x', 'y', 'y2', 'y3', 'y4'));
      out.push(await r.call('OBJECT', 'ENCODING', 'algo2'));
      out.push(sorted(await r.call('SDIFF', 'x', 'y', 'y2', 'y3', 'y4')));
      out.push(await r.call('SDIFF', 'x', 'y'));
      const scanned = await sscanAll(r, 'strs', 1000);
      out.push(scanned.length);
      out.push(await sscanAll(r, 'strs', 500, 'm:9999*'));
      out.push(await r.call('SREM', 'ints', ...ints.slice(0, n - 10)));
      out.push(await r.call('OBJECT', 'ENCODING', 'ints'));
      out.push(sorted(await r.smembers('ints')));
      results.push(out);
    }
    expect(results[0]).toEqual(results[1]);
  });
});

// Small encoding limits given at startup (the same flags to both servers).
const SMALL = ['--set-max-intset-entries', '4'];

describeDifferential('set encodings vs redis-server', { args: SMALL }, (pair) => {
  let ours: Redis;
  let real: Redis;
  beforeAll(() => {
    ours = pair.ours.client();
    real = pair.real.client();
  });

  it('OBJECT ENCODING: intset to hashtable by member type and by set-max-intset-entries', async () => {
    await expectSame(
      pair,
      lines(`
        SADD i 1 2 3 4
        OBJECT ENCODING i
        SADD i 4
        OBJECT ENCODING i
        SADD i 5
        OBJECT ENCODING i
        SREM i 1 2 3
        OBJECT ENCODING i
        SADD j 1 2
        SADD j x
        OBJECT ENCODING j
        SREM j x
        OBJECT ENCODING j
        SADD k x
        OBJECT ENCODING k
        SADD l 1 2 3 4 5 6
        OBJECT ENCODING l
        SADD m 1.5
        OBJECT ENCODING m
        SADD m2 " 1"
        OBJECT ENCODING m2
        SADD a 1 2 3
        SADD b 4 5 6
        SUNIONSTORE u a b
        OBJECT ENCODING u
        SUNIONSTORE u2 a
        OBJECT ENCODING u2
        SUNIONSTORE u3 l
        OBJECT ENCODING u3
        SADD small 1 2
        SINTERSTORE s l small
        OBJECT ENCODING s
        SMEMBERS s
        SDIFFSTORE d l small
        OBJECT ENCODING d
        SDIFFSTORE d2 j small
        OBJECT ENCODING d2
        SMEMBERS d2
        SMOVE l newdst 6
        OBJECT ENCODING newdst
        SMOVE k newdst2 x
        OBJECT ENCODING newdst2
        SREM l 1 2 3 4 5
        EXISTS l
        SUNION a
        SINTER a a
        SUNION a x nokey
      `),
    );
  });

  it('SPOP of nearly the whole set re-creates it with a fresh encoding', async () => {
    const results: unknown[] = [];
    for (const r of [ours, real]) {
      await r.flushall();
      const out: unknown[] = [];
      // 30 integers: hashtable (over 4 entries); popping 29 leaves one, stored as a new intset.
      const ints: string[] = [];
      for (let i = 0; i < 30; i++) ints.push(String(i));
      await r.call('SADD', 'p', ...ints);
      out.push(await r.call('OBJECT', 'ENCODING', 'p'));
      const popped = (await r.call('SPOP', 'p', '29')) as string[];
      out.push(popped.length, new Set(popped).size);
      out.push(await r.scard('p'));
      out.push(await r.call('OBJECT', 'ENCODING', 'p'));
      // Popping a few leaves the hashtable in place.
      await r.call('SADD', 'q', ...ints);
      out.push(((await r.call('SPOP', 'q', '2')) as string[]).length);
      out.push(await r.call('OBJECT', 'ENCODING', 'q'));
      // A TTL survives SPOP with a count.
      await r.call('SADD', 't', ...ints);
      await r.call('EXPIREAT', 't', '4102444800');
      await r.call('SPOP', 't', '28');
      out.push(await r.call('EXPIRETIME', 't'));
      results.push(out);
    }
    expect(results[0]).toEqual(results[1]);
  });
});
