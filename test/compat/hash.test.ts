// Differential: hash commands answer byte for byte like redis-server 7.0, in RESP2
// and RESP3. Hashtable-encoded hashes iterate in a different order than Redis, so
// those are compared sorted through ioredis.
import { beforeAll, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { describeDifferential, expectSame, lines } from '../helpers/diff.js';

/** Sorted [field, value] pairs of a flat HGETALL / HSCAN reply. */
function pairs(flat: string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Every field/value an HSCAN iteration returns (bounded number of calls). */
async function hscanAll(r: Redis, key: string, count: number, match?: string): Promise<string[][]> {
  const seen = new Map<string, string>();
  let cursor = '0';
  for (let calls = 0; calls < 1_000_000; calls++) {
    const args: (string | number)[] = [key, cursor, 'COUNT', count];
    if (match !== undefined) args.push('MATCH', match);
    const [next, items] = (await r.call('HSCAN', ...args)) as [string, string[]];
    for (let i = 0; i < items.length; i += 2) seen.set(items[i], items[i + 1]);
    cursor = next;
    if (cursor === '0') break;
  }
  expect(cursor).toBe('0');
  return [...seen].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

describeDifferential('hash commands vs redis-server', (pair) => {
  let ours: Redis;
  let real: Redis;
  beforeAll(() => {
    ours = pair.ours.client();
    real = pair.real.client();
  });

  it('HSET, HMSET, HSETNX, HGET, HMGET, HLEN, HSTRLEN, HEXISTS, HDEL', async () => {
    await expectSame(
      pair,
      lines(`
        HSET h f1 v1 f2 v2
        HSET h f1 v1b f3 v3
        HSET h f1 v1c
        HGET h f1
        HGET h nofield
        HGET nokey f
        HMGET h f1 nofield f3
        HMGET nokey a b
        HMSET h f4 v4 f5 5
        HMSET h f4
        HSET h f5
        hset h f5
        HSET h
        HMSET h
        HSETNX h f1 x
        HSETNX h new y
        HSETNX h2 a b
        HSETNX h2 a
        HLEN h
        HLEN h2
        HLEN nokey
        HSTRLEN h f1
        HSTRLEN h f5
        HSTRLEN h nofield
        HSTRLEN nokey f
        HEXISTS h f1
        HEXISTS h nofield
        HEXISTS nokey f
        HKEYS h
        HVALS h
        HGETALL h
        HKEYS nokey
        HVALS nokey
        HGETALL nokey
        HDEL h f1 nofield f2 f1
        HDEL nokey f
        HDEL h
        HGETALL h
        HDEL h f3 f4 f5 new nofield
        EXISTS h
        HLEN h
        HSET n 1 2 -3 4 10000000000 12345678901234567890 0 -0
        HGETALL n
        HSTRLEN n 10000000000
        HSTRLEN n 0
        HGET n -3
      `),
    );
  });

  it('every hash command against a key of another type', async () => {
    await expectSame(
      pair,
      lines(`
        SET s str
        HSET s f v
        HMSET s f v
        HSETNX s f v
        HGET s f
        HMGET s f
        HDEL s f
        HLEN s
        HSTRLEN s f
        HEXISTS s f
        HKEYS s
        HVALS s
        HGETALL s
        HINCRBY s f 1
        HINCRBY s f x
        HINCRBYFLOAT s f 1
        HINCRBYFLOAT s f x
        HSCAN s 0
        HSCAN s x
        HRANDFIELD s
        HRANDFIELD s 1
        HRANDFIELD s x
        HRANDFIELD s 1 WITHVALUES
        HRANDFIELD s 1 x
        SADD set a
        HGET set a
        HSET set a b
        GET s
      `),
    );
  });

  it('HINCRBY: arithmetic, overflow and non-integer values', async () => {
    await expectSame(
      pair,
      lines(`
        HINCRBY c f 5
        HINCRBY c f -10
        HINCRBY c f abc
        HINCRBY c f ""
        HINCRBY c f 1.5
        HINCRBY c f 99999999999999999999
        HINCRBY c f 9223372036854775807
        HINCRBY c f 9223372036854775807
        HINCRBY c f 10
        HGET c f
        HINCRBY c g -9223372036854775808
        HINCRBY c g -1
        HINCRBY c g 0
        HINCRBY c g 9223372036854775807
        HSET c s hello
        HINCRBY c s 1
        HSET c sp " 1"
        HINCRBY c sp 1
        HSET c lz 007
        HINCRBY c lz 1
        HSET c big 9223372036854775808
        HINCRBY c big 1
        HSET c neg -5
        HINCRBY c neg 5
        HGET c neg
        HINCRBY newkey f 0
        HGETALL newkey
        HINCRBY c f
        HGETALL c
      `),
    );
  });

  it('HINCRBYFLOAT: long double arithmetic, formatting and errors', async () => {
    await expectSame(
      pair,
      lines(`
        HINCRBYFLOAT fl f 10.5
        HINCRBYFLOAT fl f 0.1
        HINCRBYFLOAT fl f -5.0e3
        HINCRBYFLOAT fl f 1.5e5
        HINCRBYFLOAT fl f 0.0000001
        HINCRBYFLOAT fl f abc
        HINCRBYFLOAT fl f ""
        HINCRBYFLOAT fl f inf
        HINCRBYFLOAT fl f -inf
        HINCRBYFLOAT fl f nan
        HINCRBYFLOAT fl f " 1"
        HINCRBYFLOAT fl f "1 "
        HSET fl s hello
        HINCRBYFLOAT fl s 1
        HSET fl int 17
        HINCRBYFLOAT fl int 3
        HINCRBYFLOAT fl int -20
        HINCRBYFLOAT fl2 big 1.7e308
        HINCRBYFLOAT fl2 big 1.7e308
        HINCRBYFLOAT fl2 huge 1e4000
        HINCRBYFLOAT fl2 huge 1e4932
        HINCRBYFLOAT fl2 tiny 1e-4000
        HINCRBYFLOAT fl2 under 1e-5000
        HINCRBYFLOAT fl2 over 1e5000
        HINCRBYFLOAT fl2 big -3.4e308
        HMGET fl2 big huge tiny under over
        HINCRBYFLOAT fl hex 0x10
        HINCRBYFLOAT fl exp 5e3
        HINCRBYFLOAT fl third 0.3333333333333333333333
        HINCRBYFLOAT fl third 0.3333333333333333333333
        HINCRBYFLOAT fl neg -0.5
        HINCRBYFLOAT fl neg 0.5
        HSET fl e 1e2
        HINCRBYFLOAT fl e 1
        HSET fl sp " 1"
        HINCRBYFLOAT fl sp 1
        HINCRBYFLOAT fl f
        HGETALL fl
        HSET fl max 1e4932
        HINCRBYFLOAT fl max 1e4932
        HGET fl max
      `),
    );
  });

  it('binary fields and values', async () => {
    await expectSame(
      pair,
      lines(`
        HSET bin "\\x00\\xff" "a\\x00b" "k\\r\\n" "\\xff" "" empty "e" ""
        HGETALL bin
        HGET bin "\\x00\\xff"
        HGET bin ""
        HSTRLEN bin "\\x00\\xff"
        HSTRLEN bin e
        HEXISTS bin "\\x00"
        HMGET bin "k\\r\\n" "\\x00\\xff" "\\x00"
        HDEL bin "\\x00\\xff"
        HKEYS bin
        HVALS bin
        HSCAN bin 0
        HSCAN bin 0 MATCH "k*"
        HRANDFIELD bin 10 WITHVALUES
      `),
    );
  });

  it('HRANDFIELD: deterministic shapes and argument errors', async () => {
    await expectSame(
      pair,
      lines(`
        HRANDFIELD nokey
        HRANDFIELD nokey 5
        HRANDFIELD nokey -5
        HRANDFIELD nokey 5 WITHVALUES
        HRANDFIELD nokey 0
        HSET h a 1 b 2 c 3
        HRANDFIELD h 0
        HRANDFIELD h 0 WITHVALUES
        HRANDFIELD h 3
        HRANDFIELD h 100
        HRANDFIELD h 100 WITHVALUES
        HRANDFIELD h 9223372036854775807
        HRANDFIELD h 4611686018427387903 withvalues
        HRANDFIELD h 4611686018427387904 WITHVALUES
        HRANDFIELD h -4611686018427387904 WITHVALUES
        HRANDFIELD h -9223372036854775808
        HRANDFIELD h -9223372036854775807 x
        HRANDFIELD h 9223372036854775808
        HRANDFIELD h abc
        HRANDFIELD h 1.5
        HRANDFIELD h 1 x
        HRANDFIELD h 1 WITHVALUES extra
        HRANDFIELD nokey 1 WITHVALUES extra
        HRANDFIELD nokey abc
        HSET one k v
        HRANDFIELD one
        HRANDFIELD one 1
        HRANDFIELD one -3
        HRANDFIELD one -3 WITHVALUES
        HRANDFIELD one 2 WITHVALUES
        HRANDFIELD one 1 WITHVALUES
      `),
    );
  });

  it('HSCAN on listpack hashes, options and cursor errors', async () => {
    await expectSame(
      pair,
      lines(`
        HSET h f1 v1 f2 v2 g1 w1 10 20
        HSCAN h 0
        HSCAN h ""
        HSCAN h 0 MATCH f*
        HSCAN h 0 MATCH * COUNT 1
        HSCAN h 0 match 1* count 100
        HSCAN h 0 MATCH nomatch
        HSCAN h 0 COUNT 0
        HSCAN h 0 COUNT -1
        HSCAN h 0 COUNT abc
        HSCAN h 0 COUNT
        HSCAN h 0 MATCH
        HSCAN h 0 FOO bar
        HSCAN h 0 TYPE string
        HSCAN h abc
        HSCAN h -1
        HSCAN h 1.5
        HSCAN h " 0"
        HSCAN h 18446744073709551615
        HSCAN h 18446744073709551616
        HSCAN h 123456
        HSCAN nokey 0
        HSCAN nokey 0 FOO bar
        HSCAN nokey 0 COUNT 0
        HSCAN nokey abc
      `),
    );
  });

  it('large hashes of 10^5 fields built with one multi-argument HSET', async () => {
    const n = 100_000;
    const argv: string[] = ['big'];
    for (let i = 0; i < n; i++) argv.push(`field:${i}`, `value:${i * 7}`);
    const results: unknown[] = [];
    for (const r of [ours, real]) {
      await r.flushall();
      const out: unknown[] = [];
      out.push(await r.call('HSET', argv));
      out.push(await r.call('HSET', argv));
      out.push(await r.hlen('big'));
      out.push(await r.call('OBJECT', 'ENCODING', 'big'));
      const all = pairs((await r.call('HGETALL', 'big')) as string[]);
      out.push(all.length, all[0], all[all.length - 1], all.every(([f, v]) => v === `value:${Number(f.slice(6)) * 7}`));
      out.push(await r.hget('big', 'field:99999'));
      out.push(await r.hmget('big', 'field:0', 'nope', 'field:500'));
      out.push(await r.hstrlen('big', 'field:12345'));
      out.push(await r.hincrby('big', 'counter', 42));
      out.push(await r.hincrbyfloat('big', 'counter', '0.5'));
      const scanned = await hscanAll(r, 'big', 1000);
      out.push(scanned.length);
      const matched = await hscanAll(r, 'big', 500, 'field:9999*');
      out.push(matched);
      const dels: string[] = [];
      for (let i = 0; i < n; i += 2) dels.push(`field:${i}`);
      out.push(await r.hdel('big', ...dels));
      out.push(await r.hlen('big'));
      out.push(await r.call('OBJECT', 'ENCODING', 'big'));
      out.push(((await r.call('HKEYS', 'big')) as string[]).length);
      results.push(out);
    }
    expect(results[0]).toEqual(results[1]);
  });
});

// Small encoding limits given at startup (the same flags to both servers), so the
// listpack → hashtable conversions happen after a handful of fields.
const SMALL = ['--hash-max-listpack-entries', '4', '--hash-max-listpack-value', '8'];

describeDifferential('hash encodings vs redis-server', { args: SMALL }, (pair) => {
  let ours: Redis;
  let real: Redis;
  beforeAll(() => {
    ours = pair.ours.client();
    real = pair.real.client();
  });

  it('OBJECT ENCODING: listpack to hashtable by entries and by length', async () => {
    await expectSame(
      pair,
      lines(`
        HSET e a 1 b 2 c 3 d 4
        OBJECT ENCODING e
        HSET e d 44
        OBJECT ENCODING e
        HSET e e 5
        OBJECT ENCODING e
        HDEL e e a b c
        OBJECT ENCODING e
        HGETALL e
        HSET v f 12345678
        OBJECT ENCODING v
        HSET v f 123456789
        OBJECT ENCODING v
        HSET k 123456789 x
        OBJECT ENCODING k
        HSETNX n f 12345678
        OBJECT ENCODING n
        HSETNX n g 123456789
        OBJECT ENCODING n
        HSETNX n2 123456789 x
        OBJECT ENCODING n2
        HINCRBYFLOAT w f 1.234567
        OBJECT ENCODING w
        HINCRBYFLOAT w f 1.23456789
        OBJECT ENCODING w
        HINCRBY i f 12345678
        OBJECT ENCODING i
        HINCRBY i f 999999999
        OBJECT ENCODING i
        HINCRBY i2 longfieldname 1
        OBJECT ENCODING i2
        HMSET m a 1 b 2 c 3 d 4 e 5
        OBJECT ENCODING m
        HLEN m
        HSET m2 a 1 b 2 c 3 d 4 a 5
        OBJECT ENCODING m2
        HGETALL m2
        HSET m3 a 1 b 2 c 3 d 4 a 5 e 6
        OBJECT ENCODING m3
        HSCAN m2 0
        HRANDFIELD m2 10 WITHVALUES
      `),
    );
  });

  it('hashtable-encoded hashes: same contents (compared sorted)', async () => {
    const results: unknown[] = [];
    for (const r of [ours, real]) {
      await r.flushall();
      const out: unknown[] = [];
      out.push(await r.hset('t', 'c', '3', 'a', '1', 'b', '2', '\x00', '\xff', 'e', '5', 'long', 'x'.repeat(20)));
      out.push(await r.call('OBJECT', 'ENCODING', 't'));
      out.push(pairs((await r.call('HGETALL', 't')) as string[]));
      out.push(((await r.call('HKEYS', 't')) as string[]).sort());
      out.push(((await r.call('HVALS', 't')) as string[]).sort());
      out.push(await hscanAll(r, 't', 1));
      out.push(await hscanAll(r, 't', 2, '[ab]'));
      out.push(await r.hdel('t', 'a', 'b'));
      out.push(await r.call('OBJECT', 'ENCODING', 't'));
      out.push(await r.hincrby('t', 'c', 10));
      out.push(await r.hincrbyfloat('t', 'c', '0.25'));
      out.push(pairs((await r.call('HGETALL', 't')) as string[]));
      // ioredis hands WITHVALUES replies back as [field, value] pairs.
      const whole = (await r.call('HRANDFIELD', 't', '100', 'WITHVALUES')) as string[][];
      out.push(pairs(whole.flat()));
      out.push(((await r.call('HRANDFIELD', 't', '100')) as string[]).sort());
      results.push(out);
    }
    expect(results[0]).toEqual(results[1]);
  });
});
