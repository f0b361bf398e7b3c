// Differential: sorted-set commands answer byte for byte like redis-server 7.0, in
// RESP2 and RESP3: options and their conflicts, score and lex range parsing (C
// strtod quirks, exclusive bounds, infinities, binary members), ties ordered by
// member, LIMIT with odd offsets and counts, ZUNION/ZINTER/ZDIFF over sorted sets
// and plain sets, the listpack/skiplist encodings (and the -0 a listpack cannot
// keep), sets of 10^5 members, and seeded random command streams. Hashtable-order
// replies (ZSCAN of a skiplist) are compared as sets; random ones by invariants.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { describeDifferential, describeWithRealRedis, diffScript, expectSame, lines, type Script } from '../helpers/diff.js';
import { RawClient } from '../helpers/raw-client.js';
import { startServer } from '../helpers/server.js';

/** ioredis may hand WITHSCORES replies back as [member, score] pairs: RESP2's flat list again. */
function flat(reply: unknown): string[] {
  return (reply as (string | string[])[]).flat().map(String);
}

/** A small deterministic generator (LCG), so random scripts are the same on every run. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/**
 * A random command stream over three sorted sets and a plain set. Scores have few
 * decimals: their %.17g text is never an exact halfway case.
 */
function randomScript(seed: number, n: number): Script {
  const rnd = lcg(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  const keys = ['z1', 'z2', 'z3', 's1'];
  const members = ['a', 'b', 'c', 'aa', 'ab', 'b\x00', '\x00', '\xff', 'x y', '', 'A', '1', '10', '2'];
  const mem = (): string => (rnd() < 0.7 ? pick(members) : `zz${Math.floor(rnd() * 40)}`);
  const score = (): string =>
    pick(['1', '2', '2', '-1', '0', '-0', '1.5', 'inf', '-inf', '3e2', '0.1', '1e-5', String(Math.floor(rnd() * 100)), String(Math.floor(rnd() * 1e5) / 1e3)]);
  const sbound = (): string => pick(['-inf', '+inf', '1', '2', '(1', '(2', '0', '(0', '1.5', '(inf', '100', '-1', '(-inf']);
  const lbound = (): string => pick(['-', '+', '[a', '(a', '[b', '(b\x00', '[\x00', '(\xff', '[zz1', '[', '(', '[aa', '(A']);
  const idx = (): string => String(Math.floor(rnd() * 30) - 15);
  const out: Script = [];
  for (let i = 0; i < n; i++) {
    const k = pick(keys.slice(0, 3));
    const r = rnd();
    let c: string[];
    if (r < 0.25) {
      c = ['ZADD', k];
      if (rnd() < 0.3) c.push(...pick([['NX'], ['XX'], ['GT'], ['LT'], ['CH'], ['GT', 'CH'], ['XX', 'CH'], ['LT', 'XX']]));
      const m = 1 + Math.floor(rnd() * 4);
      for (let j = 0; j < m; j++) c.push(score(), mem());
    } else if (r < 0.3) c = ['ZINCRBY', k, score(), mem()];
    else if (r < 0.33) c = ['ZADD', k, 'INCR', score(), mem()];
    else if (r < 0.36) c = ['ZREM', k, mem(), mem()];
    else if (r < 0.38) c = ['SADD', 's1', mem(), mem()];
    else if (r < 0.45) {
      c = ['ZRANGE', k, idx(), idx()];
      if (rnd() < 0.3) c.push('REV');
      if (rnd() < 0.5) c.push('WITHSCORES');
    } else if (r < 0.52) {
      c = ['ZRANGE', k, sbound(), sbound(), 'BYSCORE'];
      if (rnd() < 0.5) c.push('REV');
      if (rnd() < 0.5) c.push('WITHSCORES');
      if (rnd() < 0.4) c.push('LIMIT', idx(), idx());
    } else if (r < 0.58) {
      c = ['ZRANGE', k, lbound(), lbound(), 'BYLEX'];
      if (rnd() < 0.5) c.push('REV');
      if (rnd() < 0.4) c.push('LIMIT', idx(), idx());
    } else if (r < 0.61) c = ['ZCOUNT', k, sbound(), sbound()];
    else if (r < 0.63) c = ['ZLEXCOUNT', k, lbound(), lbound()];
    else if (r < 0.66) c = [pick(['ZRANK', 'ZREVRANK', 'ZSCORE']), k, mem()];
    else if (r < 0.67) c = ['ZMSCORE', k, mem(), mem(), mem()];
    else if (r < 0.69) c = ['ZREMRANGEBYSCORE', k, sbound(), sbound()];
    else if (r < 0.7) c = ['ZREMRANGEBYLEX', k, lbound(), lbound()];
    else if (r < 0.71) c = ['ZREMRANGEBYRANK', k, idx(), idx()];
    else if (r < 0.74) {
      const op = pick(['ZUNION', 'ZINTER', 'ZDIFF']);
      const m = 1 + Math.floor(rnd() * 3);
      c = [op, String(m)];
      for (let j = 0; j < m; j++) c.push(pick(keys));
      if (op !== 'ZDIFF' && rnd() < 0.5) {
        c.push('WEIGHTS');
        for (let j = 0; j < m; j++) c.push(pick(['1', '2', '-1', '0', 'inf', '0.5']));
      }
      if (op !== 'ZDIFF' && rnd() < 0.5) c.push('AGGREGATE', pick(['SUM', 'MIN', 'MAX']));
      if (rnd() < 0.6) c.push('WITHSCORES');
    } else if (r < 0.76) {
      const m = 1 + Math.floor(rnd() * 3);
      c = [pick(['ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE']), pick(keys.slice(0, 3)), String(m)];
      for (let j = 0; j < m; j++) c.push(pick(keys));
    } else if (r < 0.77) {
      c = ['ZINTERCARD', '2', pick(keys), pick(keys)];
      if (rnd() < 0.5) c.push('LIMIT', String(Math.floor(rnd() * 4)));
    } else if (r < 0.8) {
      c = [pick(['ZPOPMIN', 'ZPOPMAX']), k];
      if (rnd() < 0.5) c.push(String(Math.floor(rnd() * 4)));
    } else if (r < 0.82) {
      c = ['ZMPOP', '2', pick(keys), pick(keys), pick(['MIN', 'MAX'])];
      if (rnd() < 0.5) c.push('COUNT', String(1 + Math.floor(rnd() * 3)));
    } else if (r < 0.84) c = ['ZRANGESTORE', pick(keys.slice(0, 3)), k, sbound(), sbound(), 'BYSCORE'];
    else if (r < 0.86) c = ['ZCARD', k];
    else if (r < 0.88) c = ['ZRANDMEMBER', k, '1000', 'WITHSCORES'];
    else if (r < 0.9) c = ['ZSCAN', k, '0'];
    else if (r < 0.92) c = ['OBJECT', 'ENCODING', k];
    else c = ['ZRANGE', k, '0', '-1', 'WITHSCORES'];
    out.push(c);
  }
  for (const k of keys) out.push(['ZRANGE', k, '0', '-1', 'WITHSCORES']);
  return out;
}

/** Every member/score pair a ZSCAN iteration returns (bounded number of calls). */
async function zscanAll(r: Redis, key: string, count: number, match?: string): Promise<string[]> {
  const seen = new Map<string, string>();
  let cursor = '0';
  for (let calls = 0; calls < 1_000_000; calls++) {
    const args: (string | number)[] = [key, cursor, 'COUNT', count];
    if (match !== undefined) args.push('MATCH', match);
    const [next, items] = (await r.call('ZSCAN', ...args)) as [string, string[]];
    for (let i = 0; i < items.length; i += 2) seen.set(items[i], items[i + 1]);
    cursor = next;
    if (cursor === '0') break;
  }
  expect(cursor).toBe('0');
  return [...seen].map(([m, s]) => `${m}=${s}`).sort();
}

describeDifferential('sorted-set commands vs redis-server', (pair) => {
  let ours: Redis;
  let real: Redis;
  beforeAll(() => {
    ours = pair.ours.client();
    real = pair.real.client();
  });

  it('ZADD options, their conflicts, CH/INCR replies and score parsing', async () => {
    await expectSame(
      pair,
      lines(`
        ZADD z 1 a 2 b 3 c
        ZADD z NX XX 1 a
        ZADD z GT LT 1 a
        ZADD z NX GT 1 a
        ZADD z nx lt 1 a
        ZADD z INCR 1 a 2 b
        ZADD z 1
        ZADD z 1 a 2
        ZADD z
        ZADD z abc a
        ZADD z nan a
        ZADD z 1e400 a
        ZADD z " 1" a
        ZADD z "1 " a
        ZADD z "" a
        ZADD z 0x10 hex
        ZADD z 1e-310 tiny
        ZADD z INCR 5 a
        ZADD z XX INCR 5 nope
        ZADD z NX INCR 5 a
        ZADD z GT INCR -5 a
        ZADD z LT INCR -5 a
        ZADD z CH 10 a 20 b 4 d
        ZADD z GT CH 1 a 30 b 7 e
        ZADD z LT CH 1 a 30 b
        ZADD z XX CH 100 new 100 a
        ZADD z XX GT CH 1000 a 1 b
        ZADD z ch ch 1 a
        ZADD z "NX\\x00garbage" 1 a
        ZADD nokey XX 1 a
        EXISTS nokey
        ZADD nokey XX INCR 1 a
        ZADD z inf pinf -inf ninf
        ZADD z INCR -inf pinf
        ZINCRBY z 1.5 a
        ZINCRBY z -inf pinf
        ZINCRBY z nx a
        ZINCRBY z abc a
        ZINCRBY newkey 2.5 m
        ZRANGE z 0 -1 WITHSCORES
        SET str v
        ZADD str 1 a
        ZINCRBY str 1 a
        ZADD str abc a
        ZADD str XX NX 1 a
      `),
    );
  });

  it('ZRANGE by rank, score and lex: REV, LIMIT, WITHSCORES and their errors', async () => {
    await expectSame(
      pair,
      lines(`
        ZADD z 1 a 1 b 1 c 2 d 2 e 3 f inf g -inf h
        ZRANGE z 0 -1
        ZRANGE z 0 -1 WITHSCORES
        ZRANGE z 0 -1 REV WITHSCORES
        ZRANGE z -3 -1
        ZRANGE z 5 2
        ZRANGE z 100 200
        ZRANGE z -100 1
        ZRANGE z 0 99999999999999999999
        ZRANGE z a 1
        ZRANGE z (1 +inf BYSCORE WITHSCORES
        ZRANGE z +inf (1 BYSCORE REV WITHSCORES LIMIT 1 2
        ZRANGE z -inf +inf BYSCORE LIMIT 2 3
        ZRANGE z -inf +inf BYSCORE LIMIT -1 3
        ZRANGE z -inf +inf BYSCORE LIMIT 0 -1
        ZRANGE z -inf +inf BYSCORE LIMIT 0 -5
        ZRANGE z -inf +inf BYSCORE LIMIT 3 0
        ZRANGE z -inf +inf BYSCORE LIMIT 8 1
        ZRANGE z -inf +inf BYSCORE LIMIT 100 1
        ZRANGE z -inf +inf BYSCORE LIMIT a 1
        ZRANGE z -inf +inf BYSCORE LIMIT 1
        ZRANGE z 0 -1 LIMIT 0 1
        ZRANGE z 0 -1 LIMIT 0 -1
        ZRANGE z - + BYLEX WITHSCORES
        ZRANGE z - + BYLEX BYSCORE
        ZRANGE z 0 -1 REV REV
        ZRANGE z 0 -1 FOO
        ZRANGE z (inf +inf BYSCORE
        ZRANGE z inf inf BYSCORE WITHSCORES
        ZRANGE z (-inf -inf BYSCORE
        ZRANGE z 2 1 BYSCORE
        ZRANGE z (2 2 BYSCORE
        ZRANGE z 2 (2 BYSCORE
        ZRANGE z 2 2 BYSCORE
        ZRANGE nokey 0 -1
        ZRANGE nokey 0 -1 BYSCORE
        ZRANGEBYSCORE z -inf +inf WITHSCORES LIMIT 1 3
        ZRANGEBYSCORE z 1 2 REV
        ZRANGEBYSCORE z 1 2 BYSCORE
        ZRANGEBYSCORE z abc 2
        ZRANGEBYSCORE z 1 nan
        ZRANGEBYSCORE z 1 "(nan"
        ZREVRANGEBYSCORE z +inf -inf WITHSCORES
        ZREVRANGEBYSCORE z 2 1 LIMIT 0 2
        ZREVRANGEBYSCORE z 1 2
        ZREVRANGE z 0 1 WITHSCORES
        ZREVRANGE z 0 1 LIMIT 0 1
        ZREVRANGE z 0 1 BYSCORE
        ZRANGEBYLEX z - + WITHSCORES
        ZRANGEBYLEX z a b
        ZREVRANGEBYLEX z + - LIMIT 1 2
        ZRANGESTORE dst z 0 -1
        ZRANGE dst 0 -1 WITHSCORES
        ZRANGESTORE dst z 0 -1 WITHSCORES
        ZRANGESTORE dst z 2 (3 BYSCORE REV
        ZRANGESTORE dst z 3 2 BYSCORE REV LIMIT 1 1
        ZRANGE dst 0 -1 WITHSCORES
        ZRANGESTORE dst z [b [e BYLEX
        ZRANGE dst 0 -1 WITHSCORES
        ZRANGESTORE dst nokey 0 -1
        EXISTS dst
        ZRANGESTORE dst z 5 1
        SET str v
        ZRANGESTORE dst str 0 -1
        ZRANGE str 0 -1
      `),
    );
  });

  it('score range bounds follow strtod on a C string; lex bounds on binary members', async () => {
    await expectSame(pair, [
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '0', 'zero', '-1', 'neg'],
      ...[
        ['', '5'],
        [' 1', '1e999'],
        ['(', '+inf'],
        ['1 ', '+inf'],
        [' ', '+inf'],
        ['0', '1\x00abc'],
        ['0', '1e'],
        ['-', '1'],
        ['.', '1'],
        ['(-infinity', '1'],
        ['(-infinit', '1'],
        ['-INF', '+Inf'],
        ['0x1p0', '0X2'],
        ['0x', '2'],
        ['+.5', '2.'],
        ['((1', '2'],
        ['1e-400', '(1e-400'],
      ].map(([min, max]) => ['ZRANGEBYSCORE', 'z', min, max, 'WITHSCORES']),
      ['ZCOUNT', 'z', '', '5'],
      ['ZCOUNT', 'z', '(', '('],
      ['ZCOUNT', 'z', 'x', '1'],
      ['ZREMRANGEBYSCORE', 'z', '1', 'x'],
      ['ZADD', 'l', '0', 'a', '0', 'b', '0', 'b\x00', '0', 'b\x00\x00', '0', 'b\x01', '0', '\x00', '0', '\xff', '0', '\xff\xff', '0', 'B', '0', ''],
      ...[
        ['-', '+'],
        ['+', '-'],
        ['-', '-'],
        ['+', '+'],
        ['[b', '[b\x00'],
        ['(b', '(b\x01'],
        ['[\x00', '(a'],
        ['(\xff', '+'],
        ['[\xff', '+'],
        ['[', '(a'],
        ['(', '+'],
        ['-\x00x', '+'],
        ['-', '+\x00x'],
        ['[c', '[a'],
        ['[b', '(b'],
        ['(b', '[b'],
        ['a', '+'],
        ['', '+'],
        ['-x', '+'],
      ].flatMap(([min, max]) => [
        ['ZRANGEBYLEX', 'l', min, max],
        ['ZREVRANGEBYLEX', 'l', max, min],
        ['ZLEXCOUNT', 'l', min, max],
        ['ZRANGE', 'l', min, max, 'BYLEX', 'LIMIT', '1', '2'],
      ]),
      ['ZREMRANGEBYLEX', 'l', '(b', '[b\x01'],
      ['ZREMRANGEBYLEX', 'l', 'b', '+'],
      ['ZRANGE', 'l', '0', '-1'],
    ]);
  });

  it('lex ranges over unequal scores follow the listpack scan', async () => {
    await expectSame(
      pair,
      lines(`
        ZADD z 1 d 2 a 3 c 4 b 5 e
        ZRANGEBYLEX z - +
        ZRANGEBYLEX z [b [d
        ZREVRANGEBYLEX z [d [b
        ZLEXCOUNT z [b [d
        ZLEXCOUNT z (a [e
        ZRANGEBYLEX z (a + LIMIT 1 10
        ZREMRANGEBYLEX z [a [c
        ZRANGE z 0 -1 WITHSCORES
      `),
    );
  });

  it('ZCARD ZSCORE ZMSCORE ZRANK ZREVRANK ZCOUNT ZLEXCOUNT ZREM and ZREMRANGEBY*', async () => {
    await expectSame(
      pair,
      lines(`
        ZADD z 1 a 2 b 2 c 3 d -0 e 1.5 f
        ZCARD z
        ZCARD nokey
        ZSCORE z a
        ZSCORE z e
        ZSCORE z nope
        ZSCORE nokey a
        ZMSCORE z a nope b
        ZMSCORE nokey a b
        ZMSCORE z
        ZRANK z c
        ZREVRANK z c
        ZRANK z nope
        ZRANK nokey a
        ZCOUNT z -inf +inf
        ZCOUNT z (1 3
        ZCOUNT z 5 1
        ZCOUNT nokey 0 1
        ZCOUNT z 1 a
        ZLEXCOUNT z - +
        ZLEXCOUNT z [a (c
        ZLEXCOUNT z a c
        ZREM z a nope
        ZREM z nope
        ZREM nokey a
        ZREMRANGEBYRANK z 0 0
        ZREMRANGEBYRANK z 10 20
        ZREMRANGEBYRANK z -1 -2
        ZREMRANGEBYRANK z a 1
        ZREMRANGEBYRANK nokey 0 1
        ZREMRANGEBYSCORE z -inf (0
        ZREMRANGEBYSCORE z (2 (2
        ZREMRANGEBYSCORE nokey 1 2
        ZREMRANGEBYLEX z - +
        EXISTS z
        ZADD z 1 a
        ZREM z a
        EXISTS z
        SET str v
        ZCARD str
        ZSCORE str a
        ZMSCORE str a
        ZRANK str a
        ZCOUNT str 0 1
        ZLEXCOUNT str - +
        ZREM str a
        ZREMRANGEBYRANK str 0 1
        ZREMRANGEBYSCORE str 0 1
        ZREMRANGEBYLEX str - +
      `),
    );
  });

  it('ZPOPMIN ZPOPMAX ZMPOP and the immediate forms of BZPOPMIN BZPOPMAX BZMPOP', async () => {
    await expectSame(
      pair,
      lines(`
        ZADD a 1 x 2 y 3 z 3 zz
        ZPOPMIN a
        ZPOPMAX a 2
        ZPOPMIN nokey
        ZPOPMIN nokey 3
        ZPOPMIN a 0
        ZPOPMIN a -1
        ZPOPMIN a abc
        ZPOPMIN a 1 2
        ZPOPMAX a 10
        EXISTS a
        ZADD a 1 x 2 y 3 z
        ZMPOP 2 nokey a MIN
        ZMPOP 2 nokey a MAX COUNT 10
        ZMPOP 1 nokey MIN
        ZMPOP 0 a MIN
        ZMPOP -1 a MIN
        ZMPOP abc a MIN
        ZMPOP 2 a MIN
        ZMPOP 1 a FOO
        ZMPOP 1 a MIN COUNT
        ZMPOP 1 a MIN COUNT 0
        ZMPOP 1 a MIN COUNT abc
        ZMPOP 1 a MIN COUNT 1 COUNT 1
        ZMPOP 1 a MIN FOO 1
        ZADD a 1 x 2 y 3 z
        BZPOPMIN nokey a 0
        BZPOPMAX a 0
        BZMPOP 0 1 a MIN COUNT 5
        BZPOPMIN a -1
        BZPOPMIN a abc
        BZPOPMIN a inf
        BZMPOP abc 1 a MIN
        BZMPOP 0 0 a MIN
        BZMPOP -1 1 a MIN
        SET str v
        ZPOPMIN str
        ZPOPMIN str 0
        ZMPOP 2 nokey str MIN
        BZPOPMIN nokey str 0
        BZMPOP 0 2 nokey str MAX
        MULTI
        BZPOPMIN nokey 0
        BZMPOP 0 1 nokey MIN
        ZADD m 1 x
        BZPOPMAX m 0
        EXEC
      `),
    );
  });

  it('ZUNION ZINTER ZDIFF (and STORE forms, ZINTERCARD) over sorted sets and sets', async () => {
    await expectSame(
      pair,
      lines(`
        ZADD a 1 x 2 y 3 z
        ZADD b 10 y 20 z 30 w
        SADD s y w q
        SADD i 1 2 3
        ZADD n 1 1 2 2 5 5
        ZUNION 2 a b
        ZUNION 2 a b WITHSCORES
        ZUNION 2 a b WEIGHTS 2 3 WITHSCORES
        ZUNION 2 a b WEIGHTS 2 WITHSCORES
        ZUNION 2 a b WEIGHTS 2 abc
        ZUNION 2 a b AGGREGATE MIN WITHSCORES
        ZUNION 2 a b AGGREGATE max WITHSCORES
        ZUNION 2 a b AGGREGATE foo
        ZUNION 2 a b AGGREGATE
        ZUNION 2 a b WITHSCORES WITHSCORES
        ZUNION 3 a b s WITHSCORES
        ZINTER 3 a b s WITHSCORES
        ZINTER 2 a b WITHSCORES AGGREGATE MAX
        ZINTER 2 a a WEIGHTS 1 2 WITHSCORES
        ZINTER 2 n i WITHSCORES
        ZUNION 2 n i WITHSCORES
        ZDIFF 2 n i WITHSCORES
        ZDIFF 2 a b WITHSCORES
        ZDIFF 2 a a WITHSCORES
        ZDIFF 2 b s WITHSCORES
        ZDIFF 1 s WITHSCORES
        ZDIFF 2 a b WEIGHTS 1 1
        ZDIFF 2 a b AGGREGATE SUM
        ZINTER 2 a nokey
        ZUNION 1 nokey
        ZUNION 0 a
        ZUNION -1 a
        ZUNION abc a
        ZUNION 3 a b
        ZUNIONSTORE d 2 a b
        ZRANGE d 0 -1 WITHSCORES
        ZUNIONSTORE d 2 a b WITHSCORES
        ZINTERSTORE d 2 a b WEIGHTS 1 0.5
        ZRANGE d 0 -1 WITHSCORES
        ZDIFFSTORE d 2 a b
        ZRANGE d 0 -1 WITHSCORES
        ZDIFFSTORE d 2 a a
        EXISTS d
        ZUNIONSTORE d 0 a
        ZINTERSTORE d 1 nokey
        ZUNIONSTORE s 2 a b
        TYPE s
        ZINTERCARD 2 a b
        ZINTERCARD 2 a b LIMIT 1
        ZINTERCARD 2 a b LIMIT 0
        ZINTERCARD 2 a b LIMIT -1
        ZINTERCARD 2 a b LIMIT abc
        ZINTERCARD 3 a b i
        ZINTERCARD 0 a
        ZINTERCARD abc a
        ZINTERCARD 2 a b WITHSCORES
        ZINTER 2 a b LIMIT 1
        ZADD inf 1 x
        ZADD ninf 1 x
        ZUNION 2 inf ninf WEIGHTS inf -inf WITHSCORES
        ZUNION 2 inf ninf WEIGHTS 0 inf WITHSCORES
        ZINTER 2 inf ninf WEIGHTS inf -inf WITHSCORES
        ZINTER 2 inf ninf WEIGHTS inf -inf AGGREGATE MIN WITHSCORES
        ZADD p inf x
        ZADD q -inf x
        ZADD r 5 x 1 y
        ZUNION 3 p q r WITHSCORES
        ZUNION 3 r p q WITHSCORES
        ZINTER 3 p r q WITHSCORES
        SET str v
        ZUNION 2 a str
        ZUNIONSTORE d 2 str a
        LPUSH lst x
        ZINTER 2 a lst
      `),
    );
  });

  it('ZRANDMEMBER and ZSCAN replies that do not depend on chance', async () => {
    await expectSame(
      pair,
      lines(`
        ZADD a 1 x 2 y 3 z -0 w inf i
        ZRANDMEMBER nokey
        ZRANDMEMBER nokey 5
        ZRANDMEMBER nokey 5 WITHSCORES
        ZRANDMEMBER a 0
        ZRANDMEMBER a 0 WITHSCORES
        ZRANDMEMBER a 5
        ZRANDMEMBER a 50 WITHSCORES
        ZRANDMEMBER a 3 WITHSCORES foo
        ZRANDMEMBER a 1 WITHSCORE
        ZRANDMEMBER a abc
        ZRANDMEMBER a -9223372036854775808
        ZRANDMEMBER a 9223372036854775807 WITHSCORES
        ZRANDMEMBER a -4611686018427387904 WITHSCORES
        ZRANDMEMBER a 4611686018427387903 WITHSCORES
        ZSCAN a 0
        ZSCAN a 0 MATCH x*
        ZSCAN a 0 MATCH * COUNT 1
        ZSCAN a 0 COUNT 0
        ZSCAN a 0 COUNT abc
        ZSCAN a abc
        ZSCAN a -1
        ZSCAN a 0 TYPE zset
        ZSCAN a 0 MATCH
        ZSCAN nokey 0
        ZSCAN nokey 0 COUNT 0
        ZADD h 100000000000000000 a 1e20 b 4611686018427387904 c 4611686018427387905 d -0 f 1.5 g inf i -inf j
        ZSCAN h 0
        SET str v
        ZRANDMEMBER str
        ZRANDMEMBER str 1
        ZSCAN str 0
      `),
    );
  });

  it('encodings: listpack limits, conversions, and the -0 a listpack stores as 0', async () => {
    const script = lines(`
      CONFIG SET zset-max-listpack-entries 3
      CONFIG SET zset-max-listpack-value 5
      ZADD a 1 x 2 y 3 z
      OBJECT ENCODING a
      ZADD a 4 w
      OBJECT ENCODING a
      ZREM a w x
      OBJECT ENCODING a
      ZADD b 1 toolongmember
      OBJECT ENCODING b
      ZADD c 1 x
      ZADD c 1 toolongmember
      OBJECT ENCODING c
      ZUNIONSTORE u 1 a
      OBJECT ENCODING u
      ZADD d -0 x -0 y -0 z -0 q
      ZRANGE d 0 -1 WITHSCORES
      ZUNIONSTORE u2 1 d
      ZRANGE u2 0 -1 WITHSCORES
      OBJECT ENCODING u2
      ZRANGESTORE r1 d 0 2
      ZRANGE r1 0 -1 WITHSCORES
      OBJECT ENCODING r1
      ZRANGESTORE r2 d 0 -1
      ZRANGE r2 0 -1 WITHSCORES
      OBJECT ENCODING r2
      ZRANGESTORE r3 d -inf +inf BYSCORE
      ZRANGE r3 0 -1 WITHSCORES
      OBJECT ENCODING r3
      ZADD e -0 a -0 b -0 c
      ZADD e -0 toolongmember
      ZRANGE e 0 -1 WITHSCORES
      ZADD f -0 a -0 b -0 c -0 d
      ZRANGE f 0 -1 WITHSCORES
      ZADD g -0 a
      ZADD g -0 b -0 c -0 d
      ZRANGE g 0 -1 WITHSCORES
      ZADD q INCR -0 m
      ZSCORE q m
      ZADD q -1 n
      ZINCRBY q 1 n
      ZSCORE q n
      ZUNION 1 d WITHSCORES
      ZINTERSTORE i 2 d d
      ZRANGE i 0 -1 WITHSCORES
      ZSCAN r1 0
      CONFIG SET zset-max-listpack-entries 0
      ZADD s -0 a
      ZSCORE s a
      OBJECT ENCODING s
      ZADD s2 1 a
      ZRANGESTORE r4 s2 0 -1
      OBJECT ENCODING r4
      CONFIG SET zset-max-listpack-entries 128
      CONFIG SET zset-max-listpack-value 64
    `);
    try {
      await expectSame(pair, script);
    } finally {
      for (const r of [ours, real]) {
        await r.config('SET', 'zset-max-listpack-entries', '128');
        await r.config('SET', 'zset-max-listpack-value', '64');
      }
    }
  });

  it('arity errors and COMMAND GETKEYS for numkeys commands', async () => {
    await expectSame(
      pair,
      lines(`
        ZADD z 1
        ZINCRBY z 1
        ZRANGE z 0
        ZRANGESTORE d z 0
        ZPOPMIN
        BZPOPMIN z
        BZMPOP 0 1 z
        ZMPOP 1 z
        ZUNIONSTORE d 1
        ZUNION 1
        ZSCAN z
        ZRANDMEMBER
        COMMAND GETKEYS ZUNIONSTORE d 2 a b
        COMMAND GETKEYS ZUNIONSTORE d 5 a b
        COMMAND GETKEYS ZUNIONSTORE d x a b
        COMMAND GETKEYS ZUNIONSTORE d 0 a b
        COMMAND GETKEYS ZINTERSTORE d 1 a WEIGHTS 2
        COMMAND GETKEYS ZDIFFSTORE d 2 a b
        COMMAND GETKEYS ZUNION 2 a b WITHSCORES
        COMMAND GETKEYS ZINTER 1 a
        COMMAND GETKEYS ZDIFF 1 a
        COMMAND GETKEYS ZINTERCARD 2 a b LIMIT 1
        COMMAND GETKEYS ZMPOP 2 a b MIN
        COMMAND GETKEYS BZMPOP 0 2 a b MIN
        COMMAND GETKEYS BZPOPMIN a b c 0
        COMMAND GETKEYS ZRANGESTORE d s 0 1
        COMMAND GETKEYS ZADD z 1 a
      `),
    );
  });

  it('sets of 10^5 members: slices, ranks, counts, lex ranges, stores and pops', async () => {
    const n = 100000;
    const rnd = lcg(7);
    const big = ['ZADD', 'big'];
    for (let i = 0; i < n; i++) big.push(String(i % 997), `m${(i * 7919) % n}`);
    const lex = ['ZADD', 'lex'];
    for (let i = 0; i < n; i++) lex.push('0', `k${((i * 7919) % n).toString(36)}`);
    const big2 = ['ZADD', 'big2'];
    for (let i = 0; i < n; i += 3) big2.push(String(i / 8), `m${i}`);
    // Built through ioredis: a 200,001-argument command is too long to spread into a call.
    const build = async (): Promise<void> => {
      for (const r of [ours, real]) {
        await r.flushall();
        for (const cmd of [big, lex, big2]) expect(await r.call(cmd[0], cmd.slice(1))).toBe(cmd === big2 ? Math.ceil(n / 3) : n);
      }
    };
    await build();
    const script: Script = [['ZCARD', 'big'], ['OBJECT', 'ENCODING', 'big']];
    for (let q = 0; q < 40; q++) {
      const s = Math.floor(rnd() * n) - n / 2;
      const e = s + Math.floor(rnd() * 50);
      script.push(['ZRANGE', 'big', String(s), String(e), 'WITHSCORES'], ['ZRANGE', 'big', String(s), String(e), 'REV']);
      script.push(['ZRANK', 'big', `m${Math.floor(rnd() * n)}`], ['ZREVRANK', 'big', `m${Math.floor(rnd() * n)}`]);
      const lo = Math.floor(rnd() * 1000);
      const hi = lo + Math.floor(rnd() * 30);
      script.push(['ZCOUNT', 'big', String(lo), `(${hi}`]);
      script.push(['ZRANGEBYSCORE', 'big', `(${lo}`, String(hi), 'LIMIT', String(Math.floor(rnd() * 100)), String(Math.floor(rnd() * 20) - 3)]);
      script.push(['ZREVRANGEBYSCORE', 'big', String(hi), String(lo), 'WITHSCORES', 'LIMIT', String(Math.floor(rnd() * 100)), '10']);
      const l1 = `k${Math.floor(rnd() * n).toString(36)}`;
      script.push(['ZLEXCOUNT', 'lex', `[${l1}`, '+'], ['ZRANGEBYLEX', 'lex', `(${l1}`, '+', 'LIMIT', '0', '10'], ['ZREVRANGEBYLEX', 'lex', '+', `[${l1}`, 'LIMIT', '5', '10']);
    }
    script.push(['ZUNIONSTORE', 'u', '2', 'big', 'big2', 'WEIGHTS', '1', '2'], ['ZRANGE', 'u', '1000', '1100', 'WITHSCORES'], ['ZRANGE', 'u', '-50', '-1', 'WITHSCORES']);
    script.push(['ZINTERSTORE', 'i', '2', 'big', 'big2', 'AGGREGATE', 'MAX'], ['ZRANGE', 'i', '0', '100', 'WITHSCORES'], ['ZCARD', 'i']);
    script.push(['ZDIFFSTORE', 'd', '2', 'big', 'big2'], ['ZRANGE', 'd', '5000', '5100', 'WITHSCORES'], ['ZCARD', 'd']);
    script.push(['ZINTERCARD', '2', 'big', 'big2'], ['ZINTERCARD', '2', 'big', 'big2', 'LIMIT', '100']);
    script.push(['ZRANGESTORE', 'rs', 'big', '10', '500', 'BYSCORE', 'LIMIT', '100', '1000'], ['ZRANGE', 'rs', '0', '-1', 'WITHSCORES'], ['OBJECT', 'ENCODING', 'rs']);
    script.push(['ZREMRANGEBYRANK', 'big', '1000', '2000'], ['ZREMRANGEBYSCORE', 'big', '500', '(600'], ['ZREMRANGEBYLEX', 'lex', '[k1', '[k2']);
    script.push(['ZCARD', 'big'], ['ZCARD', 'lex'], ['ZRANGE', 'big', '1000', '1100', 'WITHSCORES']);
    script.push(['ZPOPMIN', 'big', '20'], ['ZPOPMAX', 'big', '20'], ['ZMPOP', '1', 'big', 'MAX', 'COUNT', '5']);
    script.push(['ZRANGE', 'big', '0', '-1', 'WITHSCORES'], ['ZRANGE', 'lex', '0', '-1'], ['ZRANDMEMBER', 'big2', '100000']);
    // diffScript starts with FLUSHALL: run the queries over raw connections instead.
    const [a, b] = await Promise.all([RawClient.connect(pair.ours.port), RawClient.connect(pair.real.port)]);
    try {
      for (const argv of script) {
        const [x, y] = [await a.call(...argv), await b.call(...argv)];
        expect(x, argv.join(' ').slice(0, 100)).toBe(y);
      }
    } finally {
      a.close();
      b.close();
    }
  }, 120_000);

  it('ZSCAN of a skiplist returns every member once its cursor ends (compared as sets)', async () => {
    for (const r of [ours, real]) {
      await r.flushall();
      const args: string[] = [];
      for (let i = 0; i < 2000; i++) args.push(i % 13 === 0 ? '-0' : String(i / 4), `m${i}`);
      await r.call('ZADD', 'z', ...args);
    }
    for (const [count, match] of [
      [10, undefined],
      [1, undefined],
      [500, 'm1*'],
      [7, '*9'],
    ] as const) {
      const a = await zscanAll(ours, 'z', count, match);
      const b = await zscanAll(real, 'z', count, match);
      expect(a).toEqual(b);
      expect(a.length).toBeGreaterThan(0);
    }
  });

  it('seeded random command streams', async () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const script = randomScript(seed, 700);
      const r = await diffScript(pair, script, { resp3: seed % 2 === 0 });
      expect(r.ours, `seed ${seed}`).toEqual(r.real);
    }
  }, 120_000);
});

describeWithRealRedis('ZRANDMEMBER invariants', () => {
  let srv: Awaited<ReturnType<typeof startServer>>;
  let r: Redis;
  beforeAll(async () => {
    srv = await startServer();
    r = srv.client();
  });
  afterAll(async () => {
    r?.disconnect();
    await srv?.stop();
  });

  it('counts, distinctness, membership and scores for listpack and skiplist sets', async () => {
    await r.flushall();
    const small = new Map([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
    ]);
    const big = new Map<string, string>();
    for (let i = 0; i < 1000; i++) big.set(`m${i}`, String(i / 2));
    await r.call('ZADD', 'small', ...[...small].flatMap(([m, s]) => [s, m]));
    await r.call('ZADD', 'big', ...[...big].flatMap(([m, s]) => [s, m]));
    for (const [key, z] of [
      ['small', small],
      ['big', big],
    ] as const) {
      for (let i = 0; i < 20; i++) expect(z.has((await r.call('ZRANDMEMBER', key)) as string)).toBe(true);
      for (const count of [1, 2, 10, 334, 500, 999, 1000, 5000]) {
        const got = (await r.call('ZRANDMEMBER', key, String(count))) as string[];
        expect(got.length).toBe(Math.min(count, z.size));
        expect(new Set(got).size).toBe(got.length);
        for (const m of got) expect(z.has(m)).toBe(true);
        const pairs = flat(await r.call('ZRANDMEMBER', key, String(count), 'WITHSCORES'));
        expect(pairs.length).toBe(2 * Math.min(count, z.size));
        const seen = new Set<string>();
        for (let j = 0; j < pairs.length; j += 2) {
          expect(z.get(pairs[j])).toBe(pairs[j + 1]);
          seen.add(pairs[j]);
        }
        expect(seen.size).toBe(pairs.length / 2);
      }
      const many = (await r.call('ZRANDMEMBER', key, '-3000')) as string[];
      expect(many.length).toBe(3000);
      for (const m of many) expect(z.has(m)).toBe(true);
      expect(new Set(many).size).toBeLessThan(3000);
      const negPairs = flat(await r.call('ZRANDMEMBER', key, '-50', 'WITHSCORES'));
      expect(negPairs.length).toBe(100);
      for (let j = 0; j < negPairs.length; j += 2) expect(z.get(negPairs[j])).toBe(negPairs[j + 1]);
    }
    expect(new Set((await r.call('ZRANDMEMBER', 'small', '-300')) as string[])).toEqual(new Set(['a', 'b', 'c']));
    // RESP3: WITHSCORES pairs nest, scores are doubles.
    const c = await RawClient.connect(srv.port);
    try {
      await c.call('HELLO', '3');
      const nested = await c.call('ZRANDMEMBER', 'small', '-4', 'WITHSCORES');
      expect(nested).toMatch(/^\*4\r\n(\*2\r\n\$1\r\n[abc]\r\n,[123]\r\n){4}$/);
      for (const m of nested.matchAll(/\$1\r\n([abc])\r\n,([123])\r\n/g)) expect(small.get(m[1])).toBe(m[2]);
      expect(await c.call('ZRANDMEMBER', 'small', '2', 'WITHSCORES')).toMatch(/^\*2\r\n(\*2\r\n\$1\r\n[abc]\r\n,[123]\r\n){2}$/);
      expect(await c.call('ZRANDMEMBER', 'small', '-2')).toMatch(/^\*2\r\n(\$1\r\n[abc]\r\n){2}$/);
    } finally {
      c.close();
    }
  });
});
