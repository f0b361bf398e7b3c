// RdbReader / RdbWriter behaviour that real Redis 7.0 cannot produce for us:
// incremental input, crafted files of every type and opcode (old, 7.2 and 7.4
// formats, modules, functions), encoding limits, checksum handling, DUMP footer
// checks, and the writer's choices (integer/LZF strings, quicklist node sizes).
import { describe, expect, it } from 'vitest';
import { ListValue } from '../../src/keyspace/types/list.js';
import { HashValue } from '../../src/keyspace/types/hash.js';
import { SetValue } from '../../src/keyspace/types/set.js';
import { ZSetValue } from '../../src/keyspace/types/zset.js';
import { RdbError, RdbType } from '../../src/persistence/rdb/constants.js';
import { crc64 } from '../../src/persistence/rdb/crc64.js';
import { decodeListpack, encodeListpack, ListpackBuilder } from '../../src/persistence/rdb/listpack.js';
import { encodeIntset } from '../../src/persistence/rdb/intset.js';
import { encodeZiplist } from '../../src/persistence/rdb/ziplist.js';
import { encodeZipmap } from '../../src/persistence/rdb/zipmap.js';
import {
  NEED_MORE,
  RdbReader,
  moduleTypeName,
  type RdbKey,
  type RdbLogLevel,
  type RdbReaderOptions,
} from '../../src/persistence/rdb/reader.js';
import { readRdb, loadRdbInSlices } from '../../src/persistence/rdb/read-whole.js';
import { DUMP_BAD_FORMAT_ERROR, DUMP_VERSION_OR_CHECKSUM_ERROR, parseDumpPayload } from '../../src/persistence/rdb/dump-payload.js';
import { BufferSink, RdbWriter, createDumpPayload, serializeValue } from '../../src/persistence/rdb/writer.js';
import type { StreamData } from '../../src/keyspace/types/stream-data.js';
import { RawRdb, canonValue, rng } from './rdb-helpers.js';

const file = (version = 10) => RawRdb.file(version);
const done = (r: RawRdb, checksum = true) => r.eof(crc64, checksum);

function one(buf: Buffer, opts: RdbReaderOptions = {}): RdbKey {
  const { keys } = readRdb(buf, opts);
  expect(keys).toHaveLength(1);
  return keys[0];
}

function rdbError(f: () => unknown): RdbError {
  try {
    f();
  } catch (e) {
    if (e instanceof RdbError) return e;
    throw e;
  }
  throw new Error('expected an RdbError');
}

function sampleFile(): Buffer {
  const sink = new BufferSink();
  const w = new RdbWriter(sink, { chunkSize: 1000 });
  w.writeHeader({ 'redis-ver': '7.0.15', 'redis-bits': 64 });
  w.writeSelectDb(0);
  for (let i = 0; i < 300; i++) w.writeKey(`key:${i}`, i % 5 === 0 ? String(i) : `value ${i} `.repeat(i % 7), i % 11 === 0 ? 4102444800000 + i : -1);
  const l = new ListValue();
  for (let i = 0; i < 5000; i++) l.pushTail(`element ${i}`);
  w.writeKey('list', l);
  const h = new HashValue();
  for (let i = 0; i < 1000; i++) h.set(`f${i}`, `v${i}`, { maxEntries: 128, maxValue: 64 });
  w.writeKey('hash', h);
  w.writeKey('big', 'B'.repeat(200_000));
  w.writeSelectDb(3);
  w.writeKey('k3', 'three');
  w.writeEof();
  return sink.toBuffer();
}

describe('RdbReader: incremental input', () => {
  it('gives the same keys whatever the chunk sizes, asking for more input in between', () => {
    const buf = sampleFile();
    const whole = readRdb(buf);
    expect(whole.keys).toHaveLength(304);
    const r = rng(3);
    for (const mode of ['1', '7', '1000', 'random']) {
      const reader = new RdbReader();
      const keys: RdbKey[] = [];
      let needMore = 0;
      let off = 0;
      while (off < buf.length) {
        const n = mode === 'random' ? 1 + Math.floor(r() * 5000) : Number(mode);
        reader.feed(buf.subarray(off, off + n));
        off += n;
        for (;;) {
          const k = reader.next();
          if (k === NEED_MORE) {
            needMore++;
            break;
          }
          if (k === null) break;
          keys.push(k);
        }
      }
      reader.end();
      for (let k = reader.next(); k !== null; k = reader.next()) {
        if (k === NEED_MORE) throw new Error('NEED_MORE after end()');
        keys.push(k);
      }
      expect(reader.done).toBe(true);
      expect(needMore).toBeGreaterThan(0);
      expect(keys.map((k) => [k.db, k.key, canonValue(k.value), k.expireMs])).toEqual(
        whole.keys.map((k) => [k.db, k.key, canonValue(k.value), k.expireMs]),
      );
      expect(reader.info.checksum).toBe('verified');
      expect(reader.info.bytesRead).toBe(buf.length);
    }
  });

  it('reports a truncated input as an EOF error once end() is called', () => {
    const buf = sampleFile();
    for (const cut of [5, 9, 30, 1000, buf.length - 9, buf.length - 1]) {
      const reader = new RdbReader();
      reader.feed(buf.subarray(0, cut));
      while (true) {
        const k = reader.next();
        if (k === NEED_MORE) break;
        if (k === null) throw new Error('finished early');
      }
      reader.end();
      const e = rdbError(() => {
        while (reader.next() !== null);
      });
      expect(e.code).toBe('EOF');
      expect(e.reason).toBe('Unexpected EOF reading RDB file');
      // The reader stays failed.
      expect(() => reader.next()).toThrow(e.message);
    }
  });

  it('leaves bytes after the checksum alone (a diskless transfer end mark)', () => {
    const buf = sampleFile();
    const mark = Buffer.from('x'.repeat(40));
    const reader = new RdbReader();
    reader.feed(Buffer.concat([buf, mark]));
    let n = 0;
    for (let k = reader.next(); k !== null; k = reader.next()) {
      expect(k).not.toBe(NEED_MORE);
      n++;
    }
    expect(n).toBe(304);
    expect(reader.unconsumed()).toEqual(mark);
  });

  it('a large record arriving in small chunks is not re-parsed quadratically', () => {
    const h = new HashValue();
    for (let i = 0; i < 200_000; i++) h.set(`field:${i}`, `value:${i}`, { maxEntries: 128, maxValue: 64 });
    const sink = new BufferSink();
    const w = new RdbWriter(sink);
    w.writeHeader();
    w.writeKey('h', h);
    w.writeEof();
    const buf = sink.toBuffer();
    expect(buf.length).toBeGreaterThan(4_000_000);
    const t0 = performance.now();
    const reader = new RdbReader();
    let got: RdbKey | null = null;
    for (let off = 0; off < buf.length; off += 1024) {
      reader.feed(buf.subarray(off, off + 1024));
      const k = reader.next();
      if (k !== NEED_MORE && k !== null) got = k;
    }
    reader.end();
    for (let k = reader.next(); k !== null; k = reader.next()) if (k !== NEED_MORE) got = k;
    expect(performance.now() - t0).toBeLessThan(5000);
    expect((got!.value as HashValue).size).toBe(200_000);
  });

  it('loadRdbInSlices hands every key over and lets the event loop run', async () => {
    const buf = sampleFile();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    let n = 0;
    const info = await loadRdbInSlices(
      buf,
      () => {
        n++;
        const until = Date.now() + 1;
        while (Date.now() < until);
      },
      { sliceMs: 2 },
    );
    clearInterval(timer);
    expect(n).toBe(304);
    expect(info.keysLoaded).toBe(304);
    expect([...info.keysPerDb]).toEqual([
      [0, 303],
      [3, 1],
    ]);
    expect(ticks).toBeGreaterThan(0);
  });
});

describe('RdbReader: header, opcodes and trailer', () => {
  it('rejects a bad signature and unsupported versions', () => {
    expect(rdbError(() => readRdb(Buffer.from('RADIS0010\xff'))).reason).toBe(
      'Wrong signature trying to load DB from file',
    );
    expect(rdbError(() => readRdb(done(file(13)))).reason).toBe("Can't handle RDB format version 13");
    expect(rdbError(() => readRdb(Buffer.from('REDISabcd\xff', 'latin1'))).reason).toBe(
      "Can't handle RDB format version 0",
    );
    expect(rdbError(() => readRdb(Buffer.from('RED'))).code).toBe('EOF');
  });

  it('checks the CRC-64, accepts a zero trailer, can skip verification', () => {
    const good = done(file().byte(0).str('k').str('v'));
    expect(readRdb(good).info.checksum).toBe('verified');
    const bad = Buffer.from(good);
    bad[bad.length - 3] ^= 0x40;
    const e = rdbError(() => readRdb(bad));
    expect(e.code).toBe('CORRUPT');
    expect(e.reason).toMatch(/^RDB CRC error/);
    expect(readRdb(bad, { verifyChecksum: false }).info.checksum).toBe('unchecked');
    const logs: string[] = [];
    const zero = done(file().byte(0).str('k').str('v'), false);
    expect(readRdb(zero, { log: (_l, m) => logs.push(m) }).info.checksum).toBe('disabled');
    expect(logs).toContain('RDB file was saved with checksum disabled: no check performed.');
    // Before version 5 there is no trailer at all.
    const v4 = file(4).byte(0).str('k').str('v').byte(0xff).buffer();
    expect(readRdb(v4).info.checksum).toBe('absent');
  });

  it('applies EXPIRETIME, EXPIRETIME_MS, IDLE, FREQ to the next key only; skips SLOT_INFO; records RESIZEDB', () => {
    const t = Buffer.alloc(4);
    t.writeInt32LE(2_000_000_000);
    const buf = done(
      file(12)
        .byte(254)
        .len(2)
        .byte(251)
        .len(3)
        .len(1)
        .byte(244)
        .len(100)
        .len(3)
        .len(1)
        .byte(253)
        .raw(t)
        .byte(0)
        .str('secs')
        .str('v')
        .byte(252)
        .ms(4102444800123)
        .byte(248)
        .len(77)
        .byte(0)
        .str('ms')
        .str('v')
        .byte(249)
        .byte(5)
        .byte(0)
        .str('plain')
        .str('v'),
    );
    const { keys, info } = readRdb(buf);
    expect(keys.map((k) => [k.db, k.key, k.expireMs, k.lruIdle, k.lfuFreq])).toEqual([
      [2, 'secs', 2_000_000_000_000, -1, -1],
      [2, 'ms', 4102444800123, 77, -1],
      [2, 'plain', -1, -1, 5],
    ]);
    expect(info.resizeDb.get(2)).toEqual({ keys: 3, expires: 1 });
    expect(info.expiresPerDb.get(2)).toBe(2);
  });

  it('fails on SELECTDB beyond the configured databases', () => {
    const buf = done(file().byte(254).len(16).byte(0).str('k').str('v'));
    expect(rdbError(() => readRdb(buf)).reason).toMatch(/configured to handle more than 16 databases/);
    expect(readRdb(buf, { maxDbs: 32 }).keys[0].db).toBe(16);
  });

  it('collects function libraries, both record layouts (or refuses them on request)', () => {
    const code = "#!lua name=mylib\nredis.register_function('f', function() return 1 end)";
    const buf = done(
      file()
        .byte(245)
        .str(code)
        .byte(246)
        .str('oldlib')
        .str('LUA')
        .len(1)
        .str('a description')
        .str('return 1')
        .byte(0)
        .str('k')
        .str('v'),
    );
    const logs: [RdbLogLevel, string][] = [];
    const { keys, info } = readRdb(buf, { log: (l, m) => logs.push([l, m]) });
    expect(keys.map((k) => k.key)).toEqual(['k']);
    expect(info.functions).toEqual([code, '#!LUA name=oldlib\nreturn 1']);
    expect(logs.filter(([l]) => l === 'warning')).toEqual([]);
    const e = rdbError(() => readRdb(buf, { functions: 'error' }));
    expect(e.code).toBe('UNSUPPORTED');
  });

  it('refuses module AUX data by default, skips it when asked', () => {
    // Module id: name "mymodule1" packed 6 bits a char, then a 10-bit encoding version.
    const cs = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let id = 0n;
    for (const ch of 'mymodule1') id = (id << 6n) | BigInt(cs.indexOf(ch));
    id = (id << 10n) | 3n;
    expect(moduleTypeName(id)).toBe('mymodule1');
    const fl = Buffer.alloc(4);
    const buf = done(
      file()
        .byte(247)
        .len(id)
        .len(2)
        .len(1)
        .len(1)
        .len(42)
        .len(2)
        .len(7)
        .len(3)
        .raw(fl)
        .len(4)
        .raw(Buffer.alloc(8))
        .len(5)
        .str('module string')
        .len(0)
        .byte(0)
        .str('k')
        .str('v'),
    );
    const e = rdbError(() => readRdb(buf));
    expect(e.code).toBe('UNSUPPORTED');
    expect(e.reason).toBe("The RDB file contains AUX module data I can't load: no matching module 'mymodule1'");
    const r = readRdb(buf, { moduleAux: 'skip' });
    expect(r.keys.map((k) => k.key)).toEqual(['k']);
    expect(r.info.moduleAuxSkipped).toBe(1);
    // A module value is always refused, naming the key, the type and the module.
    const mv = done(file().byte(7).str('modkey').len(id).len(0));
    const e2 = rdbError(() => readRdb(mv));
    expect(e2.code).toBe('UNSUPPORTED');
    expect(e2.key).toBe('modkey');
    expect(e2.message).toContain("no matching module type 'mymodule1'");
    expect(e2.message).toContain('type 7 module-value');
  });

  it('rejects unknown opcodes / object types and bad length encodings', () => {
    expect(rdbError(() => readRdb(done(file().byte(8).str('k')))).reason).toBe('Unknown RDB encoding type 8');
    expect(rdbError(() => readRdb(done(file().byte(0).byte(0x82)))).reason).toMatch(/Unknown length encoding/);
    expect(rdbError(() => readRdb(done(file().byte(0).str('k').byte(0xc7)))).reason).toBe(
      'Unknown RDB string encoding type 7',
    );
  });
});

describe('RdbReader: object types', () => {
  it('strings: int8/16/32 encodings and LZF', () => {
    const b = (...x: number[]) => Buffer.from(x);
    const keys = readRdb(
      done(
        file()
          .byte(0)
          .str('i8')
          .raw(b(0xc0, 0x80))
          .byte(0)
          .str('i16')
          .raw(b(0xc1, 0x00, 0x80))
          .byte(0)
          .str('i32')
          .raw(b(0xc2, 0xff, 0xff, 0xff, 0x7f))
          .byte(0)
          .str('lzf')
          .raw(b(0xc3, 5, 8, 0x01, 0x61, 0x62, 0x80, 0x01)),
      ),
    ).keys;
    expect(keys.map((k) => [k.key, k.value])).toEqual([
      ['i8', '-128'],
      ['i16', '-32768'],
      ['i32', '2147483647'],
      ['lzf', 'abababab'],
    ]);
    const bad = done(file().byte(0).str('k').raw(b(0xc3, 2, 8, 0x01, 0x61)));
    expect(rdbError(() => readRdb(bad)).reason).toBe('Invalid LZF compressed string');
  });

  it('old list / set / zset(v1) / hash encodings (types 1, 2, 3, 4)', () => {
    const keys = readRdb(
      done(
        file(6)
          .byte(1)
          .str('list')
          .len(3)
          .str('a')
          .str('b')
          .str('c')
          .byte(2)
          .str('set')
          .len(2)
          .str('1')
          .str('2')
          .byte(3)
          .str('zset')
          .len(4)
          .str('nan-free')
          .byte(3)
          .raw(Buffer.from('1.5'))
          .str('inf')
          .byte(254)
          .str('-inf')
          .byte(255)
          .str('e')
          .byte(5)
          .raw(Buffer.from('1e-3x'))
          .byte(4)
          .str('hash')
          .len(1)
          .str('f')
          .str('v'),
      ),
    ).keys;
    expect(keys.map((k) => [k.key, canonValue(k.value)])).toEqual([
      ['list', { type: 'list', encoding: 'quicklist', data: ['a', 'b', 'c'] }],
      ['set', { type: 'set', encoding: 'intset', data: ['1', '2'] }],
      [
        'zset',
        {
          type: 'zset',
          encoding: 'listpack',
          data: [
            ['-inf', -Infinity],
            ['e', 0.001],
            ['nan-free', 1.5],
            ['inf', Infinity],
          ],
        },
      ],
      ['hash', { type: 'hash', encoding: 'listpack', data: [['f', 'v']] }],
    ]);
    const nan = done(file(6).byte(3).str('z').len(1).str('m').byte(253));
    expect(rdbError(() => readRdb(nan)).reason).toBe('Zset with NAN score detected');
  });

  it('ziplist, zipmap, intset and quicklist(v1) encodings (types 9-14)', () => {
    const keys = readRdb(
      done(
        file(8)
          .byte(9)
          .str('zipmap')
          .str(encodeZipmap(['f', 'v', 'g', 'w']))
          .byte(10)
          .str('lziplist')
          .str(encodeZiplist(['a', '1', '-200000']))
          .byte(11)
          .str('intset')
          .str(encodeIntset(['5', '-5']))
          .byte(12)
          .str('zziplist')
          .str(encodeZiplist(['m', '2', 'n', '1.5']))
          .byte(13)
          .str('hziplist')
          .str(encodeZiplist(['f', '1']))
          .byte(14)
          .str('quicklist')
          .len(3)
          .str(encodeZiplist(['a', 'b']))
          .str(encodeZiplist([]))
          .str(encodeZiplist(['c'])),
      ),
    ).keys;
    expect(Object.fromEntries(keys.map((k) => [k.key, canonValue(k.value)]))).toEqual({
      zipmap: { type: 'hash', encoding: 'listpack', data: [['f', 'v'], ['g', 'w']] },
      lziplist: { type: 'list', encoding: 'quicklist', data: ['a', '1', '-200000'] },
      intset: { type: 'set', encoding: 'intset', data: ['-5', '5'] },
      zziplist: { type: 'zset', encoding: 'listpack', data: [['n', 1.5], ['m', 2]] },
      hziplist: { type: 'hash', encoding: 'listpack', data: [['f', '1']] },
      quicklist: { type: 'list', encoding: 'quicklist', data: ['a', 'b', 'c'] },
    });
  });

  it('listpack encodings (16, 17, 18 packed and plain, 20) and encoding limits', () => {
    const buf = done(
      file(11)
        .byte(16)
        .str('h')
        .str(encodeListpack(['a', '1', 'b', 'x'.repeat(100)]))
        .byte(17)
        .str('z')
        .str(encodeListpack(['a', '1', 'b', '2.5', 'c', 'inf']))
        .byte(18)
        .str('l')
        .len(2)
        .len(2)
        .str(encodeListpack(['x', '7']))
        .len(1)
        .str('a plain node')
        .byte(20)
        .str('sint')
        .str(encodeListpack(['3', '1', '2']))
        .byte(20)
        .str('sstr')
        .str(encodeListpack(['3', 'a'])),
    );
    const keys = Object.fromEntries(readRdb(buf).keys.map((k) => [k.key, canonValue(k.value)]));
    expect(keys).toEqual({
      // A listpack hash stays listpack even with a long value (only the count is checked on load).
      h: { type: 'hash', encoding: 'listpack', data: [['a', '1'], ['b', 'x'.repeat(100)]] },
      z: { type: 'zset', encoding: 'listpack', data: [['a', 1], ['b', 2.5], ['c', Infinity]] },
      l: { type: 'list', encoding: 'quicklist', data: ['x', '7', 'a plain node'] },
      sint: { type: 'set', encoding: 'intset', data: ['1', '2', '3'] },
      sstr: { type: 'set', encoding: 'hashtable', data: ['3', 'a'] },
    });
    const small = Object.fromEntries(
      readRdb(buf, { hashMaxListpackEntries: 1, zsetMaxListpackEntries: 2, setMaxIntsetEntries: 2 }).keys.map((k) => [
        k.key,
        canonValue(k.value).encoding,
      ]),
    );
    expect(small).toEqual({ h: 'hashtable', z: 'skiplist', l: 'quicklist', sint: 'hashtable', sstr: 'hashtable' });
  });

  it('hashtable / skiplist encodings convert to listpack when they fit the limits', () => {
    const d = Buffer.alloc(8);
    d.writeDoubleLE(1.25);
    const buf = done(
      file()
        .byte(4)
        .str('hsmall')
        .len(2)
        .str('a')
        .str('1')
        .str('b')
        .str('2')
        .byte(4)
        .str('hlong')
        .len(1)
        .str('a')
        .str('v'.repeat(65))
        .byte(5)
        .str('zsmall')
        .len(1)
        .str('m')
        .raw(d)
        .byte(5)
        .str('zlong')
        .len(1)
        .str('m'.repeat(65))
        .raw(d)
        .byte(2)
        .str('sbig')
        .len(3)
        .str('1')
        .str('2')
        .str('3'),
    );
    const enc = Object.fromEntries(readRdb(buf, { setMaxIntsetEntries: 2 }).keys.map((k) => [k.key, canonValue(k.value).encoding]));
    expect(enc).toEqual({ hsmall: 'listpack', hlong: 'hashtable', zsmall: 'listpack', zlong: 'skiplist', sbig: 'hashtable' });
  });

  it('rejects duplicates and corrupt blobs naming key and type', () => {
    const cases: [Buffer, string][] = [
      [done(file().byte(16).str('h').str(encodeListpack(['a', '1', 'a', '2']))), 'Hash listpack integrity check failed.'],
      [done(file().byte(16).str('h').str(encodeListpack(['a', '1', 'b']))), 'Hash listpack integrity check failed.'],
      [done(file().byte(17).str('z').str(encodeListpack(['a', 'notanumber']))), 'Zset listpack integrity check failed.'],
      [done(file().byte(2).str('s').len(2).str('x').str('x')), 'Duplicate set members detected'],
      [done(file().byte(4).str('h').len(2).str('x').str('1').str('x').str('2')), 'Duplicate hash fields detected'],
      [done(file().byte(11).str('s').str(Buffer.from('0200000000000000', 'hex'))), 'Intset integrity check failed.'],
      [done(file().byte(9).str('zm').str(Buffer.from([0, 0xff]))), 'Zipmap integrity check failed.'],
      [done(file().byte(18).str('l').len(1).len(3).str('x')), 'Quicklist integrity check failed.'],
      [done(file().byte(18).str('l').len(1).len(2).str('garbage!')), 'Listpack integrity check failed.'],
      [done(file().byte(14).str('l').len(1).str('garbage!')), 'Ziplist integrity check failed.'],
      [done(file().byte(10).str('l').str('garbage!')), 'List ziplist integrity check failed.'],
    ];
    for (const [buf, reason] of cases) {
      const e = rdbError(() => readRdb(buf));
      expect(e.code).toBe('CORRUPT');
      expect(e.reason).toBe(reason);
      expect(e.key).toBeDefined();
      expect(e.message).toContain(`key '${e.key}'`);
    }
  });

  it('hashes with field TTLs (7.4 types 22-25) load as plain hashes with fieldExpires', () => {
    const lpEx = new ListpackBuilder();
    lpEx.appendString('f1');
    lpEx.appendString('v1');
    lpEx.appendInt(0);
    lpEx.appendString('f2');
    lpEx.appendString('v2');
    lpEx.appendInt(1_800_000_000_000);
    const lpBuf = lpEx.finish();
    const buf = done(
      file(12)
        .byte(25)
        .str('h25')
        .ms(1_800_000_000_000)
        .str(lpBuf)
        .byte(23)
        .str('h23')
        .str(lpBuf)
        .byte(24)
        .str('h24')
        .ms(1_700_000_000_000)
        .len(2)
        .len(0)
        .str('a')
        .str('1')
        .len(1001)
        .str('b')
        .str('2')
        .byte(22)
        .str('h22')
        .len(1)
        .len(1_750_000_000_000)
        .str('c')
        .str('3'),
    );
    const keys = Object.fromEntries(readRdb(buf).keys.map((k) => [k.key, k]));
    expect(canonValue(keys.h25.value).data).toEqual([
      ['f1', 'v1'],
      ['f2', 'v2'],
    ]);
    expect([...keys.h25.fieldExpires!]).toEqual([['f2', 1_800_000_000_000]]);
    expect([...keys.h23.fieldExpires!]).toEqual([['f2', 1_800_000_000_000]]);
    expect(canonValue(keys.h24.value)).toEqual({ type: 'hash', encoding: 'listpack', data: [['a', '1'], ['b', '2']] });
    expect([...keys.h24.fieldExpires!]).toEqual([['b', 1_700_000_001_000]]);
    expect([...keys.h22.fieldExpires!]).toEqual([['c', 1_750_000_000_000]]);
  });

  /** One stream node: master 5-0 with field "f"; entries 5-0 (v1), 6-0 deleted, 7-5 with other fields. */
  function streamNode(): Buffer {
    const lp = new ListpackBuilder();
    for (const x of [2, 1, 1]) lp.appendInt(x);
    lp.appendString('f');
    lp.appendInt(0);
    // 5-0, same fields
    for (const x of [2, 0, 0]) lp.appendInt(x);
    lp.appendString('v1');
    lp.appendInt(4);
    // 6-0 deleted
    for (const x of [3, 1, 0]) lp.appendInt(x);
    lp.appendString('v2');
    lp.appendInt(4);
    // 7-5, own fields a, b
    for (const x of [0, 2, 5, 2]) lp.appendInt(x);
    for (const s of ['a', 'x', 'b', '12']) lp.appendString(s);
    lp.appendInt(8);
    return lp.finish();
  }

  function streamFile(type: 15 | 19 | 21): Buffer {
    const r = file(type === 21 ? 11 : type === 19 ? 10 : 9)
      .byte(type)
      .str('st')
      .len(1)
      .str(Buffer.from('00000000000000050000000000000000', 'hex'))
      .str(streamNode())
      .len(2)
      .len(7)
      .len(5);
    if (type !== 15) r.len(5).len(0).len(6).len(0).len(3);
    r.len(1).str('g').len(5).len(0);
    if (type !== 15) r.len(1);
    r.len(1).streamId(5, 0).ms(1000).len(2);
    r.len(1).str('c').ms(2000);
    if (type === 21) r.ms(3000);
    r.len(1).streamId(5, 0);
    return done(r);
  }

  it('streams in the 5.0 (15), 7.0 (19) and 7.2 (21) layouts', () => {
    for (const type of [15, 19, 21] as const) {
      const k = one(streamFile(type));
      expect(k.rdbType).toBe(type);
      const s = k.value as StreamData;
      expect(canonValue(s).data).toEqual({
        length: 2,
        lastId: '7-5',
        firstId: '5-0',
        maxDeletedEntryId: type === 15 ? '0-0' : '6-0',
        entriesAdded: type === 15 ? '2' : '3',
        entries: [
          ['5-0', ['f', 'v1']],
          ['7-5', ['a', 'x', 'b', '12']],
        ],
        groups: [
          {
            name: 'g',
            lastId: '5-0',
            entriesRead: '1',
            pending: [['5-0', 'c', 1000, 2]],
            consumers: [{ name: 'c', seenTime: 2000, pending: ['5-0'] }],
          },
        ],
      });
      expect(s.groups[0].consumers[0].activeTime).toBe(type === 21 ? 3000 : 2000);
    }
  });

  it('rejects inconsistent streams', () => {
    const good = streamFile(19);
    // Length field says 3 (offset of the "len(2)" after the listpack).
    const lpLen = streamNode().length;
    const lengthAt = 9 + 1 + 3 + 1 + 17 + (lpLen < 64 ? 1 : 2) + lpLen;
    expect(good[lengthAt]).toBe(2);
    const wrongLen = Buffer.from(good);
    wrongLen[lengthAt] = 3;
    expect(rdbError(() => readRdb(wrongLen, { verifyChecksum: false })).reason).toBe(
      'Stream length inconsistent with rax entries',
    );
    // A consumer PEL entry missing from the group PEL.
    const noPel = done(
      file()
        .byte(19)
        .str('st')
        .len(0) // nodes
        .len(0) // length
        .len(0)
        .len(0) // last id
        .len(0)
        .len(0) // first id
        .len(0)
        .len(0) // max deleted id
        .len(0) // entries added
        .len(1)
        .str('g')
        .len(0)
        .len(0)
        .len(0)
        .len(0)
        .len(1)
        .str('c')
        .ms(1)
        .len(1)
        .streamId(1, 1),
    );
    expect(rdbError(() => readRdb(noPel)).reason).toBe('Consumer entry not found in group global PEL');
  });
});

describe('RdbWriter choices', () => {
  const body = (v: Parameters<typeof serializeValue>[0], compression = true) => serializeValue(v, { compression });

  it('strings: integer encodings as rdbSaveRawString, LZF only when it saves 4+ bytes', () => {
    expect(body('12').toString('hex')).toBe('00c00c');
    expect(body('-300').toString('hex')).toBe('00c1d4fe');
    expect(body('2147483647').toString('hex')).toBe('00c2ffffff7f');
    expect(body('2147483648').toString('hex')).toBe('000a' + Buffer.from('2147483648').toString('hex'));
    expect(body('012').toString('hex')).toBe('0003303132');
    expect(body('a'.repeat(20))[1]).toBe(20); // 20 bytes: never compressed
    expect(body('a'.repeat(21))[1]).toBe(0xc3); // LZF
    expect(body('a'.repeat(21), false)[1]).toBe(21);
    const r = rng(9);
    const noise = Array.from({ length: 100 }, () => String.fromCharCode(Math.floor(r() * 256))).join('');
    expect(body(noise)[1]).toBe(0x40); // incompressible: 14-bit length, stored raw
  });

  it('lists are cut into listpack nodes of at most 8 KB (list-max-listpack-size -2)', () => {
    const l = new ListValue();
    for (let i = 0; i < 10_000; i++) l.pushTail(`element-${i}`);
    l.pushTail('x'.repeat(20_000));
    l.pushTail('after');
    const payload = body(l, false);
    // Walk the QUICKLIST_2 body by hand.
    let p = 1;
    const readLen = () => {
      const c = payload[p];
      if (c >> 6 === 0) return payload[p++] & 0x3f;
      if (c >> 6 === 1) return ((payload[p++] & 0x3f) << 8) | payload[p++];
      const v = payload.readUInt32BE(p + 1);
      p += 5;
      return v;
    };
    const nodes = readLen();
    const sizes: number[] = [];
    let total = 0;
    for (let i = 0; i < nodes; i++) {
      expect(readLen()).toBe(2);
      const n = readLen();
      sizes.push(n);
      total += decodeListpack(payload, p, p + n, true)!.length;
      p += n;
    }
    expect(p).toBe(payload.length);
    expect(total).toBe(10_002);
    expect(sizes.filter((s) => s > 8192)).toEqual([sizes.find((s) => s > 20_000)]);
    expect(nodes).toBeGreaterThan(10);
  });

  it('refuses empty collections and unknown values', () => {
    expect(() => body(new ListValue())).toThrow(TypeError);
    expect(() => body(new HashValue())).toThrow(TypeError);
    expect(() => body(new SetValue())).toThrow(TypeError);
    expect(() => body(new ZSetValue())).toThrow(TypeError);
    expect(() => body({ type: 'nope' } as never)).toThrow(TypeError);
  });

  it('writes a zero trailer without checksum and the CRC otherwise', () => {
    for (const checksum of [true, false]) {
      const sink = new BufferSink();
      const w = new RdbWriter(sink, { checksum });
      w.writeHeader();
      w.writeEof();
      const buf = sink.toBuffer();
      expect(buf.subarray(0, 10).toString('latin1')).toBe('REDIS0010\xff');
      expect(buf.readBigUInt64LE(10)).toBe(checksum ? crc64(buf, 0, 10) : 0n);
      expect(w.bytesWritten).toBe(18);
    }
  });
});

describe('DUMP payload framing', () => {
  it('round-trips values and checks version and CRC like verifyDumpPayload', () => {
    const payload = createDumpPayload('hello');
    expect(payload.toString('hex')).toBe('000568656c6c6f0a00' + Buffer.from(payload.subarray(9)).toString('hex'));
    expect(payload.readBigUInt64LE(payload.length - 8)).toBe(crc64(payload, 0, payload.length - 8));
    expect(parseDumpPayload(payload)).toEqual({ value: 'hello', rdbType: 0, version: 10 });
    const wrongCrc = Buffer.from(payload);
    wrongCrc[0] = 1;
    expect(() => parseDumpPayload(wrongCrc)).toThrow(DUMP_VERSION_OR_CHECKSUM_ERROR);
    expect(() => parseDumpPayload(Buffer.alloc(9))).toThrow(DUMP_VERSION_OR_CHECKSUM_ERROR);
    // Version 11 payload: refused when maxVersion is Redis 7.0's 10.
    const v11 = Buffer.from(payload);
    v11[v11.length - 10] = 11;
    expect(() => parseDumpPayload(v11, { verifyChecksum: false, maxVersion: 10 })).toThrow(DUMP_VERSION_OR_CHECKSUM_ERROR);
    expect(parseDumpPayload(v11, { verifyChecksum: false }).version).toBe(11);
  });

  it('an empty collection or a module value is "Bad data format"', () => {
    const frame = (body: Buffer) => {
      const out = Buffer.concat([body, Buffer.from([10, 0]), Buffer.alloc(8)]);
      out.writeBigUInt64LE(crc64(out, 0, out.length - 8), out.length - 8);
      return out;
    };
    expect(() => parseDumpPayload(frame(Buffer.from([RdbType.SET, 0])))).toThrow(DUMP_BAD_FORMAT_ERROR);
    expect(() => parseDumpPayload(frame(Buffer.from([RdbType.MODULE_2, 5])))).toThrow(DUMP_BAD_FORMAT_ERROR);
    expect(() => parseDumpPayload(frame(Buffer.from([99])))).toThrow(DUMP_BAD_FORMAT_ERROR);
    // A value running into the footer is truncated, not read from the footer.
    expect(() => parseDumpPayload(frame(Buffer.from([RdbType.STRING, 5, 0x61])))).toThrow(DUMP_BAD_FORMAT_ERROR);
  });
});
