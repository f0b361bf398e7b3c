// Differential: generic keyspace commands (DEL ... PERSIST) answer byte for byte
// like redis-server 7.0, in RESP2 and RESP3. Order-dependent replies (KEYS, SCAN over
// several keys) are compared after sorting, through ioredis.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { describeDifferential, diffScript, expectSame, lines, useDiffPair } from '../helpers/diff.js';

/** 2100-01-01 in seconds and ms: absolute times make TTL replies exact on both servers. */
const FAR_S = 4102444800;
const FAR_MS = FAR_S * 1000;

describeDifferential('keyspace commands vs redis-server', (pair) => {
  it('arity errors of every command', async () => {
    await expectSame(
      pair,
      lines(`
        DEL
        UNLINK
        EXISTS
        TYPE
        TYPE a b
        RENAME a
        RENAME a b c
        RENAMENX a
        COPY a
        MOVE a
        MOVE a 1 2
        KEYS
        KEYS a b
        SCAN
        RANDOMKEY x
        TOUCH
        OBJECT
        OBJECT ENCODING
        OBJECT ENCODING a b
        OBJECT REFCOUNT
        OBJECT IDLETIME
        OBJECT FREQ a b
        OBJECT HELP x
        OBJECT NOSUCH a
        EXPIRE a
        PEXPIRE a
        EXPIREAT a
        PEXPIREAT a
        TTL
        TTL a b
        PTTL
        EXPIRETIME
        PEXPIRETIME a b
        PERSIST
        PERSIST a b
      `),
    );
  });

  it('DEL, UNLINK, EXISTS, TYPE, TOUCH with binary and empty keys', async () => {
    await expectSame(
      pair,
      lines(`
        SET a 1
        SET "b\\x00in" 2
        SET "" empty
        EXISTS a "b\\x00in" "" nosuch
        EXISTS a a a
        EXISTS "b\\x00"
        TYPE a
        TYPE ""
        TYPE nosuch
        TOUCH a "" nosuch a
        DEL nosuch
        DEL a a
        EXISTS a
        UNLINK "b\\x00in" "" x
        EXISTS "b\\x00in" ""
        DBSIZE
        SET k v
        UNLINK k
        GET k
      `),
    );
  });

  it('RENAME and RENAMENX', async () => {
    await expectSame(
      pair,
      lines(`
        RENAME nosuch x
        RENAMENX nosuch x
        RENAME nosuch nosuch
        SET a 1
        RENAME a a
        RENAMENX a a
        RENAME a b
        EXISTS a
        GET b
        SET c 3
        RENAMENX b c
        GET b
        RENAME b c
        GET c
        EXISTS b
        PEXPIREAT c ${FAR_MS}
        RENAME c "d\\x00"
        PEXPIRETIME "d\\x00"
        SET e 5
        RENAME e "d\\x00"
        PEXPIRETIME "d\\x00"
        GET "d\\x00"
        RENAME "d\\x00" ""
        GET ""
        RENAMENX "" fresh
        GET fresh
        EXISTS ""
      `),
    );
  });

  it('MOVE', async () => {
    await expectSame(
      pair,
      lines(`
        SET a 1
        MOVE a 0
        MOVE a 16
        MOVE a -1
        MOVE a abc
        MOVE a 99999999999
        MOVE a 2147483648
        MOVE a " 1"
        MOVE nosuch 1
        PEXPIREAT a ${FAR_MS}
        MOVE a 1
        EXISTS a
        SELECT 1
        GET a
        PEXPIRETIME a
        SET b here
        SELECT 0
        SET b there
        MOVE b 1
        GET b
        SELECT 1
        GET b
        MOVE a 0
        SELECT 0
        PEXPIRETIME a
        MOVE "" 1
        SET "" x
        MOVE "" 1
        SELECT 1
        GET ""
        FLUSHDB
      `),
    );
  });

  it('COPY', async () => {
    await expectSame(
      pair,
      lines(`
        COPY a b
        SET a 1
        COPY a a
        COPY a a DB 0
        COPY a a DB 1
        COPY a b DB
        COPY a b DB 16
        COPY a b DB -1
        COPY a b DB x
        COPY a b DB 99999999999
        COPY a b REPLACE DB 16
        COPY a b FOO
        COPY a b REPLACE REPLACE
        GET b
        SET c 3
        COPY a c
        GET c
        COPY a c replace
        GET c
        PEXPIREAT a ${FAR_MS}
        COPY a d
        PEXPIRETIME d
        COPY a e db 2
        SELECT 2
        PEXPIRETIME e
        GET e
        COPY e e
        COPY e e db 0
        SELECT 0
        GET e
        COPY a "\\x00" REPLACE
        GET "\\x00"
        COPY nosuch x REPLACE
        SELECT 2
        FLUSHDB
      `),
    );
  });

  it('EXPIRE family: options, errors and the replies to them', async () => {
    await expectSame(
      pair,
      lines(`
        EXPIRE nosuch 100
        EXPIRE nosuch 100 NX XX
        EXPIRE nosuch abc
        EXPIRE nosuch abc foo
        SET k v
        EXPIRE k 100 NX XX
        EXPIRE k 100 NX GT
        EXPIRE k 100 NX LT
        EXPIRE k 100 xx gt lt
        EXPIRE k 100 GT LT
        EXPIRE k 100 foo
        EXPIRE k 100 "fo\\x00o"
        EXPIRE k 100 "nx\\x00xx"
        TTL k
        PERSIST k
        EXPIRE k 100 XX
        EXPIRE k 100 GT
        TTL k
        EXPIRE k 100 LT
        TTL k
        PERSIST k
        PERSIST k
        EXPIREAT k ${FAR_S} NX
        EXPIREAT k ${FAR_S} NX
        EXPIRETIME k
        PEXPIRETIME k
        EXPIREAT k ${FAR_S + 10} LT
        EXPIREAT k ${FAR_S - 10} GT
        EXPIREAT k ${FAR_S + 10} GT
        EXPIRETIME k
        EXPIREAT k ${FAR_S + 10} GT
        EXPIREAT k ${FAR_S} LT
        EXPIREAT k ${FAR_S} XX
        PEXPIREAT k ${FAR_MS + 1} XX GT
        PEXPIRETIME k
        EXPIRETIME k
        PEXPIREAT k ${FAR_MS + 499}
        EXPIRETIME k
        PEXPIREAT k ${FAR_MS + 500}
        EXPIRETIME k
        EXPIRE k 1.5
        EXPIRE k ""
        EXPIRE k " 10"
        EXPIRE k 9223372036854775807
        EXPIRE k 9223372036854775808
        EXPIRE k 9223372036854775
        EXPIRE k -9223372036854776
        PEXPIRE k 9223372036854775807
        EXPIREAT k 9223372036854775807
        EXPIREAT k -9223372036854776
        PEXPIREAT k 9223372036854775808
        PEXPIRETIME k
        TTL nosuch
        PTTL nosuch
        EXPIRETIME nosuch
        PEXPIRETIME nosuch
        SET nottl v
        TTL nottl
        PTTL nottl
        EXPIRETIME nottl
        PEXPIRETIME nottl
        EXPIRE "" 100
        SET "" v
        EXPIRE "" 100
        TTL ""
        SET "a\\x00b" v
        PEXPIREAT "a\\x00b" ${FAR_MS}
        PEXPIRETIME "a\\x00b"
        PERSIST "a\\x00b"
        PERSIST nosuch
      `),
    );
  });

  it('an expire time in the past deletes the key', async () => {
    await expectSame(
      pair,
      lines(`
        SET a v
        EXPIRE a -1
        EXISTS a
        SET a v
        EXPIRE a 0
        EXISTS a
        SET a v
        PEXPIRE a -9223372036854775808
        EXISTS a
        SET a v
        EXPIREAT a 1
        EXISTS a
        SET a v
        PEXPIREAT a 0
        EXISTS a
        SET a v
        EXPIREAT a -9223372036854775
        EXISTS a
        SET a v
        EXPIRE a -1 GT
        EXISTS a
        EXPIRE a -1 LT
        EXISTS a
        SET a v
        EXPIRE a 100
        EXPIRE a -1 XX
        EXISTS a
        SET a v
        EXPIRE a -1 NX
        EXISTS a
        SET a v
        PEXPIREAT a ${FAR_MS}
        EXPIRE a -5 GT
        EXPIRE a -5 LT
        EXISTS a
        DBSIZE
      `),
    );
  });

  it('OBJECT ENCODING, REFCOUNT, HELP and the policy-dependent IDLETIME/FREQ errors', async () => {
    const long44 = 'x'.repeat(44);
    const long45 = 'x'.repeat(45);
    await expectSame(
      pair,
      lines(`
        OBJECT HELP
        OBJECT help
        OBJECT ENCODING nosuch
        OBJECT REFCOUNT nosuch
        OBJECT IDLETIME nosuch
        OBJECT FREQ nosuch
        SET i 12345
        SET z 0
        SET s 9999
        SET big 10000
        SET neg -1
        SET max 9223372036854775807
        SET min -9223372036854775808
        SET over 9223372036854775808
        SET twenty 12345678901234567890
        SET lead 0123
        SET negzero -0
        SET plus +1
        SET sp " 1"
        SET empty ""
        SET e44 ${long44}
        SET e45 ${long45}
        SET bin "a\\x00b"
        OBJECT ENCODING i
        OBJECT ENCODING z
        OBJECT ENCODING s
        OBJECT ENCODING big
        OBJECT ENCODING neg
        OBJECT ENCODING max
        OBJECT ENCODING min
        OBJECT ENCODING over
        OBJECT ENCODING twenty
        OBJECT ENCODING lead
        OBJECT ENCODING negzero
        OBJECT ENCODING plus
        OBJECT ENCODING sp
        OBJECT ENCODING empty
        OBJECT ENCODING e44
        OBJECT ENCODING e45
        OBJECT ENCODING bin
        OBJECT REFCOUNT z
        OBJECT REFCOUNT s
        OBJECT REFCOUNT big
        OBJECT REFCOUNT neg
        OBJECT REFCOUNT empty
        OBJECT REFCOUNT e45
        OBJECT FREQ i
        OBJECT FREQ nosuch
      `),
    );
  });

  it('KEYS and SCAN replies that do not depend on order', async () => {
    await expectSame(
      pair,
      lines(`
        KEYS *
        SCAN 0
        SCAN ""
        SCAN "\\x00"
        SCAN +0
        SCAN -0
        SCAN 000
        SCAN " 0"
        SCAN "0 "
        SCAN 0x1
        SCAN abc
        SCAN -
        SCAN +
        SCAN 18446744073709551616
        SCAN 0 COUNT 0
        SCAN 0 COUNT -1
        SCAN 0 COUNT abc
        SCAN 0 COUNT 99999999999999999999
        SCAN 0 COUNT
        SCAN 0 MATCH
        SCAN 0 TYPE
        SCAN 0 FOO bar
        SCAN 0 COUNT 10 MATCH * TYPE string FOO
        SCAN abc COUNT 0
        SET "" v
        KEYS *
        KEYS ""
        KEYS **
        KEYS ?
        SCAN 0
        SCAN 0 MATCH *
        SCAN 0 MATCH **
        SCAN 0 MATCH ""
        DEL ""
        SET "h\\x00llo" v
        KEYS h?llo
        KEYS "h\\x00*"
        KEYS h[^a]llo
        KEYS nomatch*
        SCAN 0 COUNT 100
        SCAN 0 MATCH h*
        SCAN 0 MATCH x*
        SCAN 0 TYPE string
        SCAN 0 TYPE STRING
        SCAN 0 TYPE "string\\x00x"
        SCAN 0 TYPE list
        SCAN 0 TYPE none
        SCAN 0 MATCH h* TYPE string COUNT 1000000
      `),
    );
  });

  it('RANDOMKEY on an empty and a one-key database', async () => {
    await expectSame(
      pair,
      lines(`
        RANDOMKEY
        SET "only\\x00one" v
        RANDOMKEY
        RANDOMKEY
        DEL "only\\x00one"
        RANDOMKEY
      `),
    );
  });

  it('keyspace commands inside MULTI/EXEC', async () => {
    await expectSame(
      pair,
      lines(`
        SET a 1
        MULTI
        EXPIRE a 100
        TTL a
        PERSIST a
        TTL a
        RENAME a b
        EXISTS a b
        COPY b c
        MOVE c 3
        TYPE c
        DEL b
        EXPIRE nosuch 10 NX XX
        EXEC
        SELECT 3
        GET c
        FLUSHDB
      `),
    );
  });

  describe('under an LFU maxmemory-policy', () => {
    const lfu = useDiffPair({ args: ['--maxmemory-policy', 'allkeys-lfu'] });

    it('OBJECT IDLETIME is refused, OBJECT FREQ answers', async () => {
      const script = lines(`
        SET i 12345
        OBJECT IDLETIME i
        OBJECT IDLETIME nosuch
        OBJECT FREQ nosuch
        OBJECT ENCODING i
      `);
      const r = await diffScript(lfu, script);
      expect(r.ours).toEqual(r.real);
      const r3 = await diffScript(lfu, script, { resp3: true });
      expect(r3.ours).toEqual(r3.real);
    });
  });

  describe('order-independent comparisons through ioredis', () => {
    let ours: Redis;
    let real: Redis;
    beforeAll(() => {
      ours = pair.ours.client();
      real = pair.real.client();
    });

    async function both<T>(f: (r: Redis) => Promise<T>): Promise<[T, T]> {
      return [await f(ours), await f(real)];
    }

    /** Every key a full SCAN returns (deduplicated, sorted). */
    async function scanAll(r: Redis, ...opts: (string | number)[]): Promise<string[]> {
      const seen = new Set<string>();
      let cursor = '0';
      let calls = 0;
      do {
        const [next, batch] = (await r.call('SCAN', cursor, ...opts)) as [string, string[]];
        for (const k of batch) seen.add(k);
        cursor = next;
        expect(++calls).toBeLessThan(10000);
      } while (cursor !== '0');
      return [...seen].sort();
    }

    it('KEYS with patterns over a mixed key set', async () => {
      const keys: string[] = [];
      for (let i = 0; i < 200; i++) keys.push(`user:${i}`, `item:${i % 37}:${i}`, `h${String.fromCharCode(97 + (i % 26))}llo${i}`);
      for (const r of [ours, real]) {
        await r.flushall();
        await r.mset(...keys.flatMap((k) => [k, 'v']));
      }
      for (const p of ['*', 'user:*', 'user:1?', 'item:[0-3]:*', 'h[^a-c]llo1*', 'h\\allo*', '*:*:1', 'nomatch', '[']) {
        const [a, b] = await both(async (r) => (await r.keys(p)).sort());
        expect({ p, keys: a }).toEqual({ p, keys: b });
      }
    });

    it('full SCAN iterations with MATCH, COUNT and TYPE', async () => {
      for (const opts of [[], ['COUNT', 1], ['COUNT', 7, 'MATCH', 'user:1*'], ['MATCH', 'item:*', 'TYPE', 'string'], ['TYPE', 'hash'], ['COUNT', 1000]]) {
        const [a, b] = await both((r) => scanAll(r, ...opts));
        expect({ opts, keys: a }).toEqual({ opts, keys: b });
      }
    });
  });
});
