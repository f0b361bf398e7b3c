// String and bitmap commands in normal use through ioredis (RESP2 and RESP3), TTL
// handling over time, and the effects each write propagates (handlers run in-process).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startServer, type ServerProcess } from '../helpers/server.js';
import { Database, type KeyspaceHooks } from '../../src/keyspace/database.js';
import { AccessClock } from '../../src/keyspace/access-clock.js';
import { KeyspaceMemory } from '../../src/keyspace/keyspace-memory.js';
import { MAX_JS_STRING, stringCommands } from '../../src/commands/string.js';
import { bitmapCommands } from '../../src/commands/bitmap.js';
import type { Client } from '../../src/server/client.js';

/** Polls until fn() is true; false after timeoutMs. */
async function until(fn: () => Promise<boolean>, timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('string and bitmap commands through ioredis', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  for (const protocol of [2, 3] as const) {
    describe(`RESP${protocol}`, () => {
      let r: Redis;
      beforeAll(async () => {
        r = server.client({ protocol, db: protocol === 2 ? 1 : 2 });
        await r.flushdb();
      });

      it('set, get, mset, mget, getset, getdel, setnx, msetnx', async () => {
        expect(await r.set('a', 'hello')).toBe('OK');
        expect(await r.get('a')).toBe('hello');
        expect(await r.get('missing')).toBeNull();
        expect(await r.mset({ b: '1', c: '2' })).toBe('OK');
        expect(await r.mget('a', 'b', 'c', 'missing')).toEqual(['hello', '1', '2', null]);
        expect(await r.getset('a', 'world')).toBe('hello');
        expect(await r.getdel('a')).toBe('world');
        expect(await r.get('a')).toBeNull();
        expect(await r.setnx('b', 'x')).toBe(0);
        expect(await r.setnx('d', 'x')).toBe(1);
        expect(await r.msetnx('d', '1', 'e', '2')).toBe(0);
        expect(await r.msetnx('e', '1', 'f', '2')).toBe(1);
        expect(await r.set('b', 'new', 'GET')).toBe('1');
      });

      it('binary values round-trip as Buffers', async () => {
        const bin = Buffer.from([0, 255, 13, 10, 0, 128, 1]);
        await r.set('bin', bin);
        expect(Buffer.compare((await r.getBuffer('bin'))!, bin)).toBe(0);
        expect(await r.append('bin', Buffer.from([0xfe]))).toBe(8);
        expect(await r.strlen('bin')).toBe(8);
        expect(Buffer.compare(await r.getrangeBuffer('bin', 1, 2), Buffer.from([255, 13]))).toBe(0);
        expect(await r.setrange('bin', 10, Buffer.from([7]))).toBe(11);
        expect([...(await r.getBuffer('bin'))!.subarray(8)]).toEqual([0, 0, 7]);
      });

      it('counters: incr, decr, incrby, decrby, incrbyfloat', async () => {
        expect(await r.incr('n')).toBe(1);
        expect(await r.incrby('n', 41)).toBe(42);
        expect(await r.decr('n')).toBe(41);
        expect(await r.decrby('n', 50)).toBe(-9);
        expect(await r.incrbyfloat('fl', '10.5')).toBe('10.5');
        expect(await r.incrbyfloat('fl', '0.1')).toBe('10.6');
        // redis-server 7.0.15 replies exactly this (10.6 is not exact in a long double).
        expect(await r.incrbyfloat('fl', '-5e3')).toBe('-4989.39999999999999991');
        await r.set('big', '9223372036854775806');
        await r.incr('big');
        expect(await r.get('big')).toBe('9223372036854775807');
        await expect(r.incr('big')).rejects.toThrow('ERR increment or decrement would overflow');
        await r.set('s', 'abc');
        await expect(r.incr('s')).rejects.toThrow('ERR value is not an integer or out of range');
        await expect(r.incrbyfloat('s', '1')).rejects.toThrow('ERR value is not a valid float');
      });

      it('big integers keep every digit with stringNumbers', async () => {
        const s = server.client({ protocol, stringNumbers: true, db: protocol === 2 ? 1 : 2 });
        await s.set('bn', '-9223372036854775800');
        expect(await s.decrby('bn', 8)).toBe('-9223372036854775808');
        expect(await s.incrby('bn', '9007199254740993')).toBe('-9214364837600034815');
      });

      it('getrange, setrange, lcs', async () => {
        await r.set('g', 'Hello, World');
        expect(await r.getrange('g', 0, 4)).toBe('Hello');
        expect(await r.getrange('g', -5, -1)).toBe('World');
        expect(await r.substr('g', 7, 100)).toBe('World');
        expect(await r.setrange('g', 7, 'Redis')).toBe(12);
        expect(await r.get('g')).toBe('Hello, Redis');
        await r.mset('l1', 'ohmytext', 'l2', 'mynewtext');
        expect(await r.lcs('l1', 'l2')).toBe('mytext');
        expect(await r.lcs('l1', 'l2', 'LEN')).toBe(6);
        expect(await r.call('LCS', 'l1', 'l2', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN')).toEqual([
          'matches',
          [[[4, 7], [5, 8], 4]],
          'len',
          6,
        ]);
      });

      it('bitmaps: setbit, getbit, bitcount, bitpos, bitop, bitfield', async () => {
        expect(await r.setbit('bm', 7, 1)).toBe(0);
        expect(await r.setbit('bm', 7, 1)).toBe(1);
        expect(await r.getbit('bm', 7)).toBe(1);
        expect(await r.getbit('bm', 1000)).toBe(0);
        await r.set('bc', 'foobar');
        expect(await r.bitcount('bc')).toBe(26);
        expect(await r.bitcount('bc', 1, 1)).toBe(6);
        expect(await r.call('BITCOUNT', 'bc', '5', '30', 'BIT')).toBe(17);
        expect(await r.bitpos('bm', 1)).toBe(7);
        expect(await r.bitpos('bm', 0)).toBe(0);
        await r.set('x1', Buffer.from([0xf0]));
        await r.set('x2', Buffer.from([0x3c, 0x01]));
        expect(await r.bitop('AND', 'dest', 'x1', 'x2')).toBe(2);
        expect([...(await r.getBuffer('dest'))!]).toEqual([0x30, 0]);
        expect(await r.bitop('NOT', 'dest', 'x1')).toBe(1);
        expect([...(await r.getBuffer('dest'))!]).toEqual([0x0f]);
        expect(await r.call('BITFIELD', 'bf', 'SET', 'i8', 0, -100, 'GET', 'u8', 0, 'OVERFLOW', 'FAIL', 'INCRBY', 'i8', 0, -100)).toEqual([0, 156, null]);
        expect(await r.call('BITFIELD_RO', 'bf', 'GET', 'i8', '0')).toEqual([-100]);
      });

      it('errors come back as rejections with the Redis text', async () => {
        await expect(r.call('SETBIT', 'e1', '-1', '1')).rejects.toThrow('ERR bit offset is not an integer or out of range');
        await expect(r.call('BITFIELD', 'e1', 'GET', 'u64', '0')).rejects.toThrow(
          'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.',
        );
        await expect(r.call('INCRBYFLOAT', 'e1', 'inf')).rejects.toThrow('ERR increment would produce NaN or Infinity');
        await expect(r.call('MSET', 'a', '1', 'b')).rejects.toThrow("ERR wrong number of arguments for 'mset' command");
      });
    });
  }

  it('strings built in place report the raw encoding, as redis-server 7.0 does', async () => {
    const r = server.client();
    const enc = (k: string) => r.object('ENCODING', k);
    await r.set('enc:k', '1234');
    expect(await enc('enc:k')).toBe('int');
    expect(await r.setrange('enc:k', 0, '2')).toBe(4);
    expect(await enc('enc:k')).toBe('raw');
    expect(await r.get('enc:k')).toBe('2234');
    // Nothing written: the encoding stays.
    await r.set('enc:k', '1234');
    await r.setrange('enc:k', 0, '');
    expect(await enc('enc:k')).toBe('int');
    // APPEND creates with the value's own encoding, then builds in place.
    await r.append('enc:a', '12');
    expect(await enc('enc:a')).toBe('int');
    await r.append('enc:a', '3');
    expect(await enc('enc:a')).toBe('raw');
    await r.setbit('enc:b', 1, 1);
    expect(await enc('enc:b')).toBe('raw');
    await r.set('enc:c', '5');
    await r.bitop('OR', 'enc:d', 'enc:c');
    expect(await enc('enc:d')).toBe('raw');
    // A new value through INCR (or SET) is encoded from its bytes again.
    await r.incr('enc:a');
    expect(await enc('enc:a')).toBe('int');
    await r.setrange('enc:n', 0, '12');
    expect(await enc('enc:n')).toBe('raw');
  });

  it('RESP3 maps: LCS IDX arrives as an object with replyMapping resp3', async () => {
    const r = server.client({ protocol: 3, replyMapping: 'resp3', db: 3 });
    await r.mset('l1', 'ohmytext', 'l2', 'mynewtext');
    expect(await r.call('LCS', 'l1', 'l2', 'IDX')).toEqual({
      matches: [
        [[4, 7], [5, 8]],
        [[2, 3], [0, 1]],
      ],
      len: 6,
    });
  });

  it('strings past the V8 limit (just under 512 MiB) are refused with Redis error texts, not a crash', async () => {
    // redis-server would build these (they fit proto-max-bulk-len); a JS string cannot hold them.
    const r = server.client({ db: 5 });
    const beyond = MAX_JS_STRING + 10;
    expect(beyond).toBeLessThan(512 * 1024 * 1024);
    await expect(r.setrange('v8', beyond, 'x')).rejects.toThrow('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
    await expect(r.setbit('v8', beyond * 8, 1)).rejects.toThrow('ERR bit offset is not an integer or out of range');
    await expect(r.call('BITFIELD', 'v8', 'SET', 'u8', `#${beyond}`, '1')).rejects.toThrow('ERR bit offset is not an integer or out of range');
    expect(await r.getbit('v8', beyond * 8)).toBe(0);
    expect(await r.get('v8')).toBeNull();
    expect(await r.ping()).toBe('PONG');
  });

  describe('time to live over time', () => {
    let r: Redis;
    beforeAll(async () => {
      r = server.client({ db: 4 });
      await r.flushdb();
    });

    it('INCR, INCRBYFLOAT, APPEND, SETRANGE and SETBIT keep the TTL; the key still expires', async () => {
      await r.set('i', '1', 'PX', 150);
      await r.set('f', '1', 'PX', 150);
      await r.set('a', 'x', 'PX', 150);
      await r.set('r', 'x', 'PX', 150);
      await r.set('b', 'x', 'PX', 150);
      expect(await r.incr('i')).toBe(2);
      expect(await r.incrbyfloat('f', '0.5')).toBe('1.5');
      expect(await r.append('a', 'y')).toBe(2);
      expect(await r.setrange('r', 3, 'z')).toBe(4);
      expect(await r.setbit('b', 100, 1)).toBe(0);
      expect(await until(async () => (await r.mget('i', 'f', 'a', 'r', 'b')).every((v) => v === null))).toBe(true);
    });

    it('GETSET, MSET and BITOP drop the TTL; GETEX PERSIST removes it', async () => {
      await r.set('gs', 'x', 'PX', 100);
      await r.set('ms', 'x', 'PX', 100);
      await r.set('bo', 'x', 'PX', 100);
      await r.set('pe', 'x', 'PX', 100);
      await r.set('src', 'y');
      expect(await r.getset('gs', 'v')).toBe('x');
      await r.mset('ms', 'v');
      expect(await r.bitop('OR', 'bo', 'src')).toBe(1);
      expect(await r.getex('pe', 'PERSIST')).toBe('x');
      // Wait well past the old TTLs: these keys must still be there.
      await delay(300);
      expect(await r.mget('gs', 'ms', 'bo', 'pe')).toEqual(['v', 'v', 'y', 'x']);
    });

    it('GETEX PX, SETEX and PSETEX set a TTL that expires the key', async () => {
      await r.set('ge', 'x');
      expect(await r.getex('ge', 'PX', 100)).toBe('x');
      expect(await r.psetex('ps', 100, 'x')).toBe('OK');
      expect(await r.setex('se', 1, 'x')).toBe('OK');
      expect(await r.get('ge')).toBe('x');
      expect(await until(async () => (await r.mget('ge', 'ps', 'se')).every((v) => v === null))).toBe(true);
    });

    it('GETEX PXAT in the past deletes the key at once', async () => {
      await r.set('old', 'x');
      expect(await r.getex('old', 'PXAT', 1)).toBe('x');
      expect(await r.get('old')).toBeNull();
    });
  });
});

/** Runs handlers directly against a Database to see what each write propagates. */
describe('propagated effects', () => {
  interface Fake {
    c: Client;
    db: Database;
    server: { dirty: number; propagateAs: string[][] | null; hooks: KeyspaceHooks };
    replies: string[];
  }

  function fake(): Fake {
    const hooks = {
      now: Date.now(),
      expireEnabled: true,
      expirePaused: false,
      fromMaster: false,
      keyExpired: () => {},
      keyCreated: () => {},
      keyMissed: () => {},
      trackingActive: false,
      keyModified: () => {},
      dbFlushed: () => {},
      keyspaceHits: 0,
      keyspaceMisses: 0,
      access: new AccessClock(),
      memory: new KeyspaceMemory(() => 0),
      replicaKeyWithExpire: () => {},
      writableReplica: false,
    } as unknown as KeyspaceHooks;
    const db = new Database(0, hooks);
    const server = {
      dirty: 0,
      propagateAs: null as string[][] | null,
      hooks,
      config: {
        num: (name: string) => (name === 'proto-max-bulk-len' ? 512 * 1024 * 1024 : 0),
        bool: () => false,
      },
      replication: { loading: false, isReplica: false },
    };
    const replies: string[] = [];
    const c = {
      db,
      server,
      resp: 2,
      isMaster: false,
      ok: () => replies.push('OK'),
      error: (m: string) => replies.push('-' + m),
      int: (n: number | bigint) => replies.push(':' + n.toString()),
      bulk: (s: string) => replies.push('$' + s),
      nullBulk: () => replies.push('nil'),
      arrayLen: (n: number) => replies.push('*' + n),
      mapLen: (n: number) => replies.push('%' + n),
    } as unknown as Client;
    return { c, db, server, replies };
  }

  const table = new Map([...stringCommands, ...bitmapCommands].map((s) => [s.name, s]));

  /** Runs one command; returns [dirty delta, propagateAs]. */
  function run(f: Fake, ...argv: string[]): [number, string[][] | null] {
    const spec = table.get(argv[0].toLowerCase());
    if (spec?.handler === undefined) throw new Error(`no handler for ${argv[0]}`);
    const before = f.server.dirty;
    f.server.propagateAs = null;
    f.server.hooks.now = Date.now();
    spec.handler(f.c, argv);
    return [f.server.dirty - before, f.server.propagateAs];
  }

  it('SETEX, PSETEX and SET EX become SET ... PXAT <absolute ms>', () => {
    const f = fake();
    const t0 = Date.now();
    const [d1, p1] = run(f, 'SETEX', 'k', '100', 'v');
    expect(d1).toBe(1);
    expect(p1?.[0].slice(0, 4)).toEqual(['SET', 'k', 'v', 'PXAT']);
    const at = Number(p1?.[0][4]);
    expect(at).toBeGreaterThanOrEqual(t0 + 100_000);
    expect(at).toBeLessThanOrEqual(Date.now() + 100_000);
    expect(f.db.getExpire('k')).toBe(at);
    const [, p2] = run(f, 'PSETEX', 'k', '5000', 'w');
    expect(p2?.[0].slice(0, 4)).toEqual(['SET', 'k', 'w', 'PXAT']);
    const [, p3] = run(f, 'SET', 'k', 'x', 'EXAT', '4102444800', 'GET');
    expect(p3).toEqual([['SET', 'k', 'x', 'PXAT', '4102444800000']]);
    const [, p4] = run(f, 'SET', 'k', 'y', 'GET', 'XX', 'get');
    expect(p4).toEqual([['SET', 'k', 'y', 'XX']]);
  });

  it('GETEX becomes PEXPIREAT, PERSIST, or DEL for a time in the past; plain GETEX changes nothing', () => {
    const f = fake();
    run(f, 'SET', 'k', 'v');
    expect(run(f, 'GETEX', 'k')).toEqual([0, null]);
    expect(run(f, 'GETEX', 'k', 'PXAT', '4102444800123')).toEqual([1, [['PEXPIREAT', 'k', '4102444800123']]]);
    expect(run(f, 'GETEX', 'k', 'EXAT', '4102444800')).toEqual([1, [['PEXPIREAT', 'k', '4102444800000']]]);
    const [, p] = run(f, 'GETEX', 'k', 'EX', '10');
    expect(p?.[0][0]).toBe('PEXPIREAT');
    expect(run(f, 'GETEX', 'k', 'PERSIST')).toEqual([1, [['PERSIST', 'k']]]);
    expect(run(f, 'GETEX', 'k', 'PERSIST')).toEqual([0, null]);
    expect(run(f, 'GETEX', 'k', 'PXAT', '1')).toEqual([1, [['DEL', 'k']]]);
    expect(f.db.dict.has('k')).toBe(false);
    expect(f.replies.slice(-1)).toEqual(['$v']);
  });

  it('GETDEL becomes DEL, GETSET becomes SET, INCRBYFLOAT becomes SET ... KEEPTTL', () => {
    const f = fake();
    run(f, 'SET', 'k', 'v');
    expect(run(f, 'GETDEL', 'k')).toEqual([1, [['DEL', 'k']]]);
    expect(run(f, 'GETDEL', 'k')).toEqual([0, null]);
    expect(run(f, 'GETSET', 'k', 'v2')).toEqual([1, [['SET', 'k', 'v2']]]);
    expect(run(f, 'INCRBYFLOAT', 'n', '10.5')).toEqual([1, [['SET', 'n', '10.5', 'KEEPTTL']]]);
    expect(run(f, 'INCRBYFLOAT', 'n', '0.1')).toEqual([1, [['SET', 'n', '10.6', 'KEEPTTL']]]);
    expect(run(f, 'INCRBYFLOAT', 'n', 'x')).toEqual([0, null]);
  });

  it('other writes propagate as they are, and only when they changed something', () => {
    const f = fake();
    expect(run(f, 'MSET', 'a', '1', 'b', '2')).toEqual([2, null]);
    expect(run(f, 'MSETNX', 'a', '1', 'c', '2')).toEqual([0, null]);
    expect(run(f, 'SETNX', 'a', '1')).toEqual([0, null]);
    expect(run(f, 'SETNX', 'z', '1')).toEqual([1, null]);
    expect(run(f, 'INCR', 'a')).toEqual([1, null]);
    expect(run(f, 'INCR', 'big')).toEqual([1, null]);
    expect(run(f, 'APPEND', 'a', '')).toEqual([1, null]);
    expect(run(f, 'SETRANGE', 'a', '0', '')).toEqual([0, null]);
    expect(run(f, 'SETRANGE', 'a', '0', 'x')).toEqual([1, null]);
    expect(run(f, 'SETBIT', 'bits', '3', '1')).toEqual([1, null]);
    expect(run(f, 'SETBIT', 'bits', '3', '1')).toEqual([0, null]);
    expect(run(f, 'BITOP', 'NOT', 'dst', 'nosuch')).toEqual([0, null]);
    expect(run(f, 'BITOP', 'NOT', 'dst', 'bits')).toEqual([1, null]);
    expect(run(f, 'BITOP', 'AND', 'dst', 'nosuch')).toEqual([1, null]);
    expect(run(f, 'BITFIELD', 'bf', 'SET', 'u8', '0', '5', 'SET', 'u8', '8', '0', 'GET', 'u8', '0')).toEqual([2, null]);
    expect(run(f, 'BITFIELD', 'bf', 'SET', 'u8', '0', '5', 'GET', 'u8', '0')).toEqual([0, null]);
    expect(run(f, 'BITFIELD', 'bf2', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '0', '300')).toEqual([0, null]);
    expect(f.db.dict.get('bf2')).toBe('\0');
  });

  it('WRONGTYPE, in the order t_string.c and bitops.c check it (a non-string value planted directly)', () => {
    // No other type can be created through commands yet, so these expectations follow the C source.
    const WT = '-WRONGTYPE Operation against a key holding the wrong kind of value';
    const f = fake();
    const plant = () => f.db.dict.set('l', { type: 'list' });
    const reply = (...argv: string[]): string[] => {
      plant();
      const n = f.replies.length;
      run(f, ...argv);
      return f.replies.slice(n);
    };
    run(f, 'SET', 'k', 'v');
    expect(reply('GET', 'l')).toEqual([WT]);
    expect(reply('GETEX', 'l', 'PX', '100')).toEqual([WT]);
    expect(reply('GETEX', 'l', 'FOO')).toEqual(['-ERR syntax error']);
    expect(reply('GETDEL', 'l')).toEqual([WT]);
    expect(reply('GETSET', 'l', 'x')).toEqual([WT]);
    expect(reply('SET', 'l', 'x', 'GET')).toEqual([WT]);
    expect(f.db.dict.get('l')).toEqual({ type: 'list' });
    expect(reply('MGET', 'k', 'l')).toEqual(['*2', '$v', 'nil']);
    expect(reply('SETNX', 'l', 'x')).toEqual([':0']);
    expect(reply('MSETNX', 'n', '1', 'l', '2')).toEqual([':0']);
    expect(reply('APPEND', 'l', 'x')).toEqual([WT]);
    expect(reply('STRLEN', 'l')).toEqual([WT]);
    expect(reply('INCR', 'l')).toEqual([WT]);
    expect(reply('INCRBY', 'l', 'abc')).toEqual(['-ERR value is not an integer or out of range']);
    expect(reply('DECRBY', 'l', '1')).toEqual([WT]);
    expect(reply('INCRBYFLOAT', 'l', 'abc')).toEqual([WT]);
    expect(reply('GETRANGE', 'l', 'a', '1')).toEqual(['-ERR value is not an integer or out of range']);
    expect(reply('GETRANGE', 'l', '0', '1')).toEqual([WT]);
    expect(reply('SETRANGE', 'l', '-1', 'x')).toEqual(['-ERR offset is out of range']);
    expect(reply('SETRANGE', 'l', '0', '')).toEqual([WT]);
    expect(reply('LCS', 'k', 'l')).toEqual(['-ERR The specified keys must contain string values']);
    expect(reply('SETBIT', 'l', '-1', '1')).toEqual(['-ERR bit offset is not an integer or out of range']);
    expect(reply('SETBIT', 'l', '0', '1')).toEqual([WT]);
    expect(reply('GETBIT', 'l', '0')).toEqual([WT]);
    expect(reply('BITCOUNT', 'l', 'a', 'b')).toEqual([WT]);
    expect(reply('BITPOS', 'l', '2')).toEqual(['-ERR The bit argument must be 1 or 0.']);
    expect(reply('BITPOS', 'l', '1')).toEqual([WT]);
    expect(reply('BITOP', 'AND', 'd', 'k', 'l')).toEqual([WT]);
    expect(reply('BITOP', 'NOT', 'd', 'l', 'k')).toEqual(['-ERR BITOP NOT must be called with a single source key.']);
    expect(reply('BITFIELD', 'l', 'GET', 'u64', '0')).toEqual([
      '-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.',
    ]);
    expect(reply('BITFIELD', 'l', 'GET', 'u8', '0')).toEqual([WT]);
    expect(reply('BITFIELD', 'l', 'SET', 'u8', '0', '1')).toEqual([WT]);
    expect(reply('BITFIELD_RO', 'l', 'GET', 'u8', '0')).toEqual([WT]);
    expect(reply('BITFIELD_RO', 'l', 'SET', 'u8', '0', '1')).toEqual(['-ERR BITFIELD_RO only supports the GET subcommand']);
    expect(f.db.dict.get('l')).toEqual({ type: 'list' });
    // Plain SET, SETEX and MSET replace a value of any type.
    expect(reply('SET', 'l', 'x')).toEqual(['OK']);
    expect(reply('SETEX', 'l', '10', 'x')).toEqual(['OK']);
    expect(reply('MSET', 'l', 'y')).toEqual(['OK']);
    expect(f.db.dict.get('l')).toBe('y');
  });

  it('keeps the TTL on in-place changes and drops it on replacement', () => {
    const f = fake();
    const far = 4102444800000;
    for (const k of ['i', 'a', 'r', 'b', 'f', 'bf', 'g', 'm']) {
      run(f, 'SET', k, '1');
      f.db.setExpire(k, far);
    }
    run(f, 'INCR', 'i');
    run(f, 'APPEND', 'a', 'x');
    run(f, 'SETRANGE', 'r', '2', 'x');
    run(f, 'SETBIT', 'b', '20', '1');
    run(f, 'INCRBYFLOAT', 'f', '1');
    run(f, 'BITFIELD', 'bf', 'SET', 'u8', '16', '1');
    for (const k of ['i', 'a', 'r', 'b', 'f', 'bf']) expect(f.db.getExpire(k)).toBe(far);
    run(f, 'GETSET', 'g', 'x');
    run(f, 'MSET', 'm', 'x');
    for (const k of ['g', 'm']) expect(f.db.getExpire(k)).toBe(-1);
  });
});
