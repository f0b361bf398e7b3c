// Interop with Debian's redis-server 7.0 both ways: files real Redis SAVEs are
// read by RdbReader and compared key by key with what the server reports; files
// RdbWriter produces pass redis-check-rdb and load into redis-server with the same
// contents and encodings; DUMP payloads go both ways through parseDumpPayload /
// createDumpPayload and RESTORE.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { ListValue } from '../../src/keyspace/types/list.js';
import { HashValue } from '../../src/keyspace/types/hash.js';
import { SetValue } from '../../src/keyspace/types/set.js';
import { ZSetValue } from '../../src/keyspace/types/zset.js';
import { RdbType } from '../../src/persistence/rdb/constants.js';
import {
  type RdbKey,
  type RdbValue,
} from '../../src/persistence/rdb/reader.js';
import { readRdb } from '../../src/persistence/rdb/read-whole.js';
import { DUMP_BAD_FORMAT_ERROR, DUMP_VERSION_OR_CHECKSUM_ERROR, parseDumpPayload } from '../../src/persistence/rdb/dump-payload.js';
import { BufferSink, RdbWriter, createDumpPayload, type WritableValue } from '../../src/persistence/rdb/writer.js';
import { emptyStreamData, type StreamData, type StreamId } from '../../src/keyspace/types/stream-data.js';
import { skipWithoutRealRedis, startServer, type ServerProcess } from '../helpers/server.js';
import {
  canonFromServer,
  canonValue,
  checkRdb,
  dumpServerDb,
  latin1,
  redisCheckRdbPath,
  rng,
  startRealWithRdb,
  type Canonical,
} from './rdb-helpers.js';

const skip = skipWithoutRealRedis() ?? (redisCheckRdbPath() === null ? 'redis-check-rdb is not installed' : null);
const FAR = 4102444800000; // 2100-01-01, exact PEXPIRETIME values

const b = (s: string) => Buffer.from(s, 'latin1');

function random1M(seed: number): string {
  const r = rng(seed);
  const a = Buffer.alloc(1 << 20);
  for (let i = 0; i < a.length; i++) a[i] = Math.floor(r() * 256);
  return a.toString('latin1');
}

/** Fills a real server with every type in every encoding Redis 7.0 uses. */
async function populate(c: Redis): Promise<void> {
  const p = c.pipeline();
  // strings
  p.set('s:plain', 'hello');
  p.set('s:int', '12345');
  p.set('s:neg', '-42');
  p.set('s:int32', '2147483647');
  p.set('s:int64', '9223372036854775807');
  p.set('s:notint', '007');
  p.set('s:lzf', 'abc'.repeat(100));
  p.set('s:empty', '');
  p.set(b('s:bin\x00\xff'), b(Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('')));
  p.set('s:1m-random', b(random1M(1)));
  p.set('s:1m-rep', 'xyz'.repeat(350_000));
  p.pexpireat('s:plain', FAR);
  p.set('s:ttl', 'v', 'PXAT', FAR + 12345);
  // lists
  p.rpush('l:small', 'a', 'b', '1', '2', '300', '-5', '');
  const big: string[] = [];
  for (let i = 0; i < 10_000; i++) big.push(i % 3 === 0 ? String(i) : `item-${i}`);
  p.rpush('l:10k', ...big);
  const huge: string[] = [];
  for (let i = 0; i < 20; i++) huge.push(String.fromCharCode(97 + i).repeat(10_000 + i));
  p.rpush('l:bigelems', ...huge);
  p.rpush(b('l:bin'), b('\x00\x01'), b('\xff'.repeat(70)));
  // hashes
  p.hset('h:small', 'a', '1', 'b', 'two', 'c', '-3', 'd', '');
  const hbig: string[] = [];
  for (let i = 0; i < 600; i++) hbig.push(`field:${i}`, i % 2 ? String(i) : `value-${i}`);
  p.hset('h:big', ...hbig);
  p.hset('h:longval', 'x', '1', 'y', 'v'.repeat(100));
  p.hset('h:lzf', 'f1', 'same-value-'.repeat(4), 'f2', 'same-value-'.repeat(4));
  p.pexpireat('h:small', FAR + 1);
  // sets
  const ints: string[] = [];
  for (let i = 0; i < 100; i++) ints.push(String(i * 1000 - 50_000));
  p.sadd('set:int', ...ints);
  p.sadd('set:int64', '9223372036854775807', '-9223372036854775808', '1', '70000');
  p.sadd('set:str', 'a', 'b', 'c', 'hello world');
  const many: string[] = [];
  for (let i = 0; i < 600; i++) many.push(String(i));
  p.sadd('set:manyints', ...many);
  p.sadd('set:mixed', '1', '2', 'x');
  // sorted sets
  p.zadd('z:small', 1, 'a', 2.5, 'b', -3, 'c', 1e300, 'd', '-inf', 'e', '+inf', 'f', 3.141592653589793, 'pi', -2.5e-10, 'tiny', 9007199254740993, 'bigint');
  const zbig: (string | number)[] = [];
  for (let i = 0; i < 200; i++) zbig.push(i * 0.5 - 10, `member:${i}`);
  p.zadd('z:big', ...zbig);
  p.zadd('z:longmember', 1, 'm'.repeat(100), 2, 'short');
  await p.exec();

  // streams
  const sp = c.pipeline();
  for (let i = 0; i < 300; i++) {
    if (i % 10 === 7) sp.xadd('st:main', '*', 'other', String(i), 'extra', 'x'.repeat(i % 50));
    else sp.xadd('st:main', '*', 'field', `value-${i}`, 'n', String(i));
  }
  await sp.exec();
  const ids = (await c.xrange('st:main', '-', '+', 'COUNT', 50)).map(([id]) => id);
  await c.xdel('st:main', ids[3], ids[4], ids[40]);
  await c.xgroup('CREATE', 'st:main', 'g1', '0');
  await c.xreadgroup('GROUP', 'g1', 'alice', 'COUNT', 10, 'STREAMS', 'st:main', '>');
  await c.xreadgroup('GROUP', 'g1', 'bob', 'COUNT', 5, 'STREAMS', 'st:main', '>');
  await c.xack('st:main', 'g1', ids[0]);
  await c.xclaim('st:main', 'g1', 'bob', 0, ids[2]);
  await c.xgroup('CREATE', 'st:main', 'g2', '$');
  await c.xgroup('CREATECONSUMER', 'st:main', 'g2', 'carol');
  await c.xgroup('CREATE', 'st:empty', 'grp', '$', 'MKSTREAM');
  await c.xadd('st:alldel', '1-1', 'a', '1');
  await c.xadd('st:alldel', '2-1', 'a', '2');
  await c.xdel('st:alldel', '1-1', '2-1');
  await c.xadd('st:ids', '5-10', 'f', 'v');
  await c.xadd('st:ids', '6-0', 'f', 'v');
  await c.xadd('st:ids', '281474976710656-18446744073709551615', 'g', '1');

  // other databases
  await c.select(1);
  await c.set('db1:key', 'one');
  await c.rpush('db1:list', 'x', 'y');
  await c.select(7);
  await c.set('db7:ttl', 'seven', 'PXAT', FAR + 7);
  await c.sadd('db7:set', 'a', '1');
  await c.select(0);
}

/** The server's view of every db, keyed by db number. */
async function dumpAll(c: Redis, dbs: number[]): Promise<Map<number, Map<string, { value: Canonical; expireMs: number }>>> {
  const out = new Map<number, Map<string, { value: Canonical; expireMs: number }>>();
  for (const db of dbs) {
    await c.select(db);
    out.set(db, await dumpServerDb(c));
  }
  await c.select(0);
  return out;
}

function byDb(keys: RdbKey[]): Map<number, Map<string, { value: Canonical; expireMs: number }>> {
  const out = new Map<number, Map<string, { value: Canonical; expireMs: number }>>();
  for (const k of keys) {
    let m = out.get(k.db);
    if (m === undefined) out.set(k.db, (m = new Map()));
    m.set(k.key, { value: canonValue(k.value), expireMs: k.expireMs });
  }
  return out;
}

function id(ms: number | bigint, seq: number | bigint): StreamId {
  return { ms: BigInt(ms), seq: BigInt(seq) };
}

/** Values built with the value classes, one per encoding we write. */
function buildValues(): { db: number; key: string; value: WritableValue; expireMs: number }[] {
  const out: { db: number; key: string; value: WritableValue; expireMs: number }[] = [];
  const add = (key: string, value: WritableValue, expireMs = -1, db = 0) => out.push({ db, key, value, expireMs });
  add('s:plain', 'hello');
  add('s:int', '-123');
  add('s:int32', '-2147483648');
  add('s:big-int', '12345678901');
  add('s:empty', '');
  add('s:bin\x00\xff', '\x00\x01\x02\xfe\xff\r\n');
  add('s:lzf', 'compress me '.repeat(40), FAR + 100);
  add('s:1m-random', random1M(2));
  add('s:1m-rep', 'q'.repeat(1 << 20));
  add('1234', 'int-looking key');
  add('k'.repeat(40), 'long compressible key');

  add('l:small', new ListValue(['a', '1', '-7', '', 'x'.repeat(100)]));
  const l10k = new ListValue();
  for (let i = 0; i < 10_000; i++) l10k.pushTail(i % 4 === 0 ? String(i * 37) : `element number ${i}`);
  add('l:10k', l10k, FAR + 200);
  const lbig = new ListValue();
  for (let i = 0; i < 5; i++) lbig.pushTail(String.fromCharCode(65 + i).repeat(20_000));
  lbig.pushTail('tail');
  add('l:bigelems', lbig);

  const hl = { maxEntries: 128, maxValue: 64 };
  const hs = new HashValue();
  hs.set('a', '1', hl);
  hs.set('b', 'two', hl);
  hs.set('9223372036854775807', '-9223372036854775808', hl);
  add('h:small', hs);
  const hb = new HashValue();
  for (let i = 0; i < 700; i++) hb.set(`f${i}`, i % 3 ? `val-${i}` : String(i), hl);
  add('h:big', hb);
  const hv = new HashValue();
  hv.set('k', 'w'.repeat(200), hl);
  add('h:longval', hv, -1, 2);

  const si = new SetValue();
  for (let i = 0; i < 200; i++) si.add(String(i * 12345 - 1_000_000), 512);
  si.add('9223372036854775807', 512);
  add('set:int', si);
  const ss = new SetValue('x');
  for (let i = 0; i < 50; i++) ss.add(`member-${i}`, 512);
  add('set:str', ss);
  const sm = new SetValue();
  for (let i = 0; i < 600; i++) sm.add(String(i), 512);
  add('set:manyints', sm, FAR + 300, 2);

  const zl = { maxEntries: 128, maxValue: 64 };
  const zs = new ZSetValue();
  zs.add('a', 1, zl);
  zs.add('b', 2.5, zl);
  zs.add('c', -3, zl);
  zs.add('inf', Infinity, zl);
  zs.add('-inf', -Infinity, zl);
  zs.add('big', 1e300, zl);
  zs.add('pi', Math.PI, zl);
  zs.add('int53', 9007199254740993, zl);
  zs.add('2^62', 2 ** 62, zl);
  add('z:small', zs);
  const zb = new ZSetValue();
  for (let i = 0; i < 300; i++) zb.add(`m${i}`, (i * 7919) % 1000 / 7, zl);
  add('z:big', zb);

  // A stream with two nodes' worth of entries, differing field sets, groups, a PEL.
  const entries = [];
  for (let i = 0; i < 250; i++) {
    const fields = i % 9 === 4 ? ['other', String(i), 'more', 'y'.repeat(i % 30)] : ['field', `value-${i}`, 'n', String(i)];
    entries.push({ id: id(1_700_000_000_000 + Math.floor(i / 3), (i % 3) * 5), fields });
  }
  const st: StreamData = {
    type: 'stream',
    entries,
    length: entries.length,
    lastId: id(1_700_000_000_100, 7),
    firstId: entries[0].id,
    maxDeletedEntryId: id(1_700_000_000_050, 0),
    entriesAdded: 260n,
    groups: [
      {
        name: 'g1',
        lastId: entries[20].id,
        entriesRead: 21n,
        pending: [
          { id: entries[3].id, deliveryTime: 1_700_000_000_500, deliveryCount: 1, consumer: 'alice' },
          { id: entries[5].id, deliveryTime: 1_700_000_000_600, deliveryCount: 3, consumer: 'bob' },
          { id: entries[9].id, deliveryTime: 1_700_000_000_700, deliveryCount: 2, consumer: 'alice' },
        ],
        consumers: [
          { name: 'alice', seenTime: 1_700_000_001_000, activeTime: 1_700_000_001_000, pending: [entries[3].id, entries[9].id] },
          { name: 'bob', seenTime: 1_700_000_002_000, activeTime: 1_700_000_002_000, pending: [entries[5].id] },
          { name: 'idle', seenTime: 1_700_000_003_000, activeTime: 1_700_000_003_000, pending: [] },
        ],
      },
      { name: 'g2', lastId: id(0, 0), entriesRead: -1n, pending: [], consumers: [] },
    ],
  };
  add('st:main', st, FAR + 400);
  const empty = emptyStreamData();
  empty.groups.push({ name: 'only', lastId: id(0, 0), entriesRead: 0n, pending: [], consumers: [] });
  add('st:empty', empty, -1, 15);
  return out;
}

function writeValues(values: ReturnType<typeof buildValues>, opts: { compression: boolean; checksum: boolean; listPackedThreshold?: number }): Buffer {
  const sink = new BufferSink();
  const w = new RdbWriter(sink, opts);
  w.writeHeader([
    ['redis-ver', '7.0.15'],
    ['redis-bits', 64],
    ['ctime', Math.floor(Date.now() / 1000)],
    ['used-mem', 1_000_000],
    ['aof-base', 0],
  ]);
  const dbs = [...new Set(values.map((v) => v.db))].sort((a, b) => a - b);
  for (const db of dbs) {
    const vs = values.filter((v) => v.db === db);
    w.writeSelectDb(db);
    w.writeResizeDb(vs.length, vs.filter((v) => v.expireMs !== -1).length);
    for (const v of vs) w.writeKey(v.key, v.value, v.expireMs);
  }
  w.writeEof();
  return sink.toBuffer();
}

function expectedByDb(values: ReturnType<typeof buildValues>) {
  const out = new Map<number, Map<string, { value: Canonical; expireMs: number }>>();
  for (const v of values) {
    let m = out.get(v.db);
    if (m === undefined) out.set(v.db, (m = new Map()));
    m.set(v.key, { value: canonValue(v.value as RdbValue), expireMs: v.expireMs });
  }
  return out;
}

describe.skipIf(skip !== null)(`RDB interop with redis-server 7.0${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let real: ServerProcess;
  let c: Redis;
  const tmp = mkdtempSync(join(tmpdir(), 'rdb-interop-'));

  beforeAll(async () => {
    real = await startServer({ real: true, timeoutMs: 30_000 });
    c = real.client({ protocol: 2 });
    await populate(c);
  });
  afterAll(async () => {
    await real?.stop();
  });

  it('reads a file real Redis SAVEd: every key, value, encoding and TTL as the server reports', async () => {
    expect(await c.save()).toBe('OK');
    const buf = readFileSync(join(real.dir, 'dump.rdb'));
    const { keys, info } = readRdb(buf);
    expect(info.version).toBe(10);
    expect(info.checksum).toBe('verified');
    expect(info.aux.get('redis-ver')).toBe('7.0.15');
    expect(info.emptyKeysSkipped).toBe(0);
    // Every encoding 7.0 writes shows up.
    const types = new Set(keys.map((k) => k.rdbType));
    for (const t of [
      RdbType.STRING,
      RdbType.LIST_QUICKLIST_2,
      RdbType.SET_INTSET,
      RdbType.SET,
      RdbType.HASH_LISTPACK,
      RdbType.HASH,
      RdbType.ZSET_LISTPACK,
      RdbType.ZSET_2,
      RdbType.STREAM_LISTPACKS_2,
    ])
      expect(types).toContain(t);
    const theirs = await dumpAll(c, [0, 1, 7]);
    expect(theirs.get(0)!.size).toBe(32);
    expect(byDb(keys)).toEqual(theirs);
    // Spot checks that the comparison saw the interesting parts.
    const st = keys.find((k) => k.key === 'st:main')!.value as StreamData;
    expect(st.length).toBe(297);
    expect(st.groups.map((g) => [g.name, g.pending.length, g.consumers.map((x) => x.name)])).toEqual([
      ['g1', 14, ['alice', 'bob']],
      ['g2', 0, ['carol']],
    ]);
    expect(st.groups[0].pending.find((p) => p.consumer === 'bob' && p.deliveryCount === 2)).toBeDefined();
    const ids = keys.find((k) => k.key === 'st:ids')!.value as StreamData;
    expect(ids.lastId).toEqual(id(281474976710656n, 18446744073709551615n));
    expect(keys.find((k) => k.key === 's:1m-random')!.value).toHaveLength(1 << 20);
    expect(keys.find((k) => k.key === 's:plain')!.expireMs).toBe(FAR);
    expect([...info.keysPerDb].sort()).toEqual([...theirs].map(([db, m]) => [db, m.size]).sort());
  });

  it('reads compressed quicklist nodes (list-compress-depth 1) and rdbcompression no', async () => {
    const other = await startServer({ real: true, args: ['--list-compress-depth', '1', '--rdbcompression', 'no'] });
    try {
      const c2 = other.client({ protocol: 2 });
      const items: string[] = [];
      for (let i = 0; i < 20_000; i++) items.push(`compressible list element ${i % 100}`);
      await c2.rpush('l', ...items);
      await c2.set('s', 'uncompressed '.repeat(20));
      await c2.save();
      const { keys } = readRdb(readFileSync(join(other.dir, 'dump.rdb')));
      expect(byDb(keys)).toEqual(await dumpAll(c2, [0]));
    } finally {
      await other.stop();
    }
  });

  it('DUMP payloads from real Redis parse to the same values', async () => {
    for (const db of [0, 1, 7]) {
      await c.select(db);
      for (const key of (latin1(await c.keysBuffer('*')) as string[])) {
        const payload = await c.dumpBuffer(b(key));
        const parsed = parseDumpPayload(payload!);
        expect(parsed.version).toBe(10);
        expect(canonValue(parsed.value)).toEqual(await canonFromServer(c, key));
      }
    }
    await c.select(0);
  });

  it('files RdbWriter produces pass redis-check-rdb and load with the same contents and encodings', async () => {
    const values = buildValues();
    for (const opts of [
      { compression: true, checksum: true },
      { compression: false, checksum: false },
      // DEBUG QUICKLIST-PACKED-THRESHOLD 8: list elements of 8 bytes or more in plain nodes.
      { compression: true, checksum: true, listPackedThreshold: 8 },
    ]) {
      const buf = writeValues(values, opts);
      const file = join(tmp, `ours-${opts.compression}-${'listPackedThreshold' in opts}.rdb`);
      writeFileSync(file, buf);
      const check = checkRdb(file);
      expect(check.output).toContain('RDB looks OK');
      expect(check.ok).toBe(true);
      // Our own reader agrees too.
      const back = readRdb(buf);
      expect(back.info.checksum).toBe(opts.checksum ? 'verified' : 'disabled');
      const expected = expectedByDb(values);
      expect(byDb(back.keys)).toEqual(expected);

      const loaded = await startRealWithRdb(file);
      try {
        const lc = loaded.client({ protocol: 2 });
        const theirs = await dumpAll(lc, [...expected.keys()]);
        expect(theirs).toEqual(expected);
        // And the server writes it back in a form we read identically.
        await lc.save();
        const again = readRdb(readFileSync(join(loaded.dir, 'dump.rdb')));
        expect(byDb(again.keys)).toEqual(expected);
      } finally {
        await loaded.stop();
      }
    }
  });

  it('RESTORE accepts payloads from createDumpPayload; bad payloads get Redis errors', async () => {
    const values = buildValues();
    for (const v of values) {
      const key = `restored:${v.key}`;
      const payload = createDumpPayload(v.value);
      expect(await c.restore(b(key), 0, payload, 'REPLACE')).toBe('OK');
      expect(await canonFromServer(c, key)).toEqual(canonValue(v.value as RdbValue));
      // Round trip through our own parser as well.
      expect(canonValue(parseDumpPayload(payload).value)).toEqual(canonValue(v.value as RdbValue));
    }
    // Redis rejects a flipped CRC byte the same way we do.
    const payload = createDumpPayload('hello');
    payload[payload.length - 1] ^= 1;
    await expect(c.restore('bad', 0, payload)).rejects.toThrow(DUMP_VERSION_OR_CHECKSUM_ERROR);
    expect(() => parseDumpPayload(payload)).toThrow(DUMP_VERSION_OR_CHECKSUM_ERROR);
    await c.del(...values.map((v) => b(`restored:${v.key}`)));
  });

  it('a structurally bad payload with a valid footer is "Bad data format" for both', async () => {
    // A hash listpack type byte followed by garbage, footer and CRC correct.
    const body = Buffer.from([RdbType.HASH_LISTPACK, 0x05, 1, 2, 3, 4, 5]);
    const payload = Buffer.concat([body, Buffer.from([10, 0]), Buffer.alloc(8)]);
    const { Crc64 } = await import('../../src/persistence/rdb/crc64.js');
    new Crc64().update(payload, 0, payload.length - 8).writeLE(payload, payload.length - 8);
    await expect(c.restore('bad2', 0, payload)).rejects.toThrow(DUMP_BAD_FORMAT_ERROR);
    expect(() => parseDumpPayload(payload)).toThrow(DUMP_BAD_FORMAT_ERROR);
  });
});
