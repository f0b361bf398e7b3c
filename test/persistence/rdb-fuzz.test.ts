// Fuzzing: thousands of mutated RDB files and DUMP payloads (bit flips, random
// bytes, truncations, planted huge lengths, spliced slices). Each must load or
// fail with a codec error (RdbError / DumpPayloadError, never INTERNAL), within
// a bounded time, through both the whole-buffer and the chunked paths.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ListValue } from '../../src/keyspace/types/list.js';
import { HashValue } from '../../src/keyspace/types/hash.js';
import { SetValue } from '../../src/keyspace/types/set.js';
import { ZSetValue } from '../../src/keyspace/types/zset.js';
import { RdbError } from '../../src/persistence/rdb/constants.js';
import { crc64 } from '../../src/persistence/rdb/crc64.js';
import { encodeIntset } from '../../src/persistence/rdb/intset.js';
import { encodeZiplist } from '../../src/persistence/rdb/ziplist.js';
import { encodeZipmap } from '../../src/persistence/rdb/zipmap.js';
import {
  NEED_MORE,
  RdbReader,
} from '../../src/persistence/rdb/reader.js';
import { readRdb } from '../../src/persistence/rdb/read-whole.js';
import { DumpPayloadError, parseDumpPayload } from '../../src/persistence/rdb/dump-payload.js';
import { BufferSink, RdbWriter, createDumpPayload, type WritableValue } from '../../src/persistence/rdb/writer.js';
import type { StreamData } from '../../src/keyspace/types/stream-data.js';
import { ROOT } from '../helpers/server.js';
import { RawRdb, rng } from './rdb-helpers.js';

function sampleValues(): WritableValue[] {
  const l = new ListValue();
  for (let i = 0; i < 300; i++) l.pushTail(i % 2 ? String(i) : `elem-${i}`);
  const h = new HashValue();
  for (let i = 0; i < 20; i++) h.set(`f${i}`, `v${i}`, { maxEntries: 128, maxValue: 64 });
  const hb = new HashValue();
  for (let i = 0; i < 150; i++) hb.set(`f${i}`, `v${i}`, { maxEntries: 128, maxValue: 64 });
  const si = new SetValue();
  for (let i = 0; i < 30; i++) si.add(String(i * 99999), 512);
  const ss = new SetValue('a');
  for (let i = 0; i < 30; i++) ss.add(`m${i}`, 512);
  const z = new ZSetValue();
  for (let i = 0; i < 20; i++) z.add(`z${i}`, i / 3, { maxEntries: 128, maxValue: 64 });
  const zb = new ZSetValue();
  for (let i = 0; i < 150; i++) zb.add(`z${i}`, i / 3, { maxEntries: 128, maxValue: 64 });
  const entries = [];
  for (let i = 0; i < 120; i++)
    entries.push({ id: { ms: BigInt(1000 + i), seq: BigInt(i % 4) }, fields: i % 5 ? ['a', String(i)] : ['b', 'x', 'c', 'y'] });
  const st: StreamData = {
    type: 'stream',
    entries,
    length: entries.length,
    lastId: entries[entries.length - 1].id,
    firstId: entries[0].id,
    maxDeletedEntryId: { ms: 0n, seq: 0n },
    entriesAdded: 120n,
    groups: [
      {
        name: 'g',
        lastId: entries[10].id,
        entriesRead: 11n,
        pending: [
          { id: entries[1].id, deliveryTime: 5, deliveryCount: 1, consumer: 'c1' },
          { id: entries[2].id, deliveryTime: 6, deliveryCount: 2, consumer: 'c2' },
        ],
        consumers: [
          { name: 'c1', seenTime: 7, activeTime: 7, pending: [entries[1].id] },
          { name: 'c2', seenTime: 8, activeTime: 8, pending: [entries[2].id] },
        ],
      },
    ],
  };
  return ['hello', '12345', 'compressible '.repeat(30), l, h, hb, si, ss, z, zb, st];
}

function bases(): Buffer[] {
  const out: Buffer[] = [];
  const sink = new BufferSink();
  const w = new RdbWriter(sink);
  w.writeHeader({ 'redis-ver': '7.0.15', ctime: 1700000000 });
  w.writeSelectDb(0);
  w.writeResizeDb(11, 1);
  sampleValues().forEach((v, i) => w.writeKey(`key${i}`, v, i === 0 ? 4102444800000 : -1));
  w.writeEof();
  out.push(sink.toBuffer());
  // Old encodings the writer does not produce.
  out.push(
    RawRdb.file(9)
      .byte(9)
      .str('zm')
      .str(encodeZipmap(['a', '1', 'b', '2']))
      .byte(10)
      .str('zl')
      .str(encodeZiplist(['x', '1', '300000', 'y'.repeat(80)]))
      .byte(11)
      .str('is')
      .str(encodeIntset(['1', '2', '-70000']))
      .byte(12)
      .str('zz')
      .str(encodeZiplist(['m', '1.5', 'n', '2']))
      .byte(13)
      .str('hz')
      .str(encodeZiplist(['f', 'v']))
      .byte(14)
      .str('ql')
      .len(1)
      .str(encodeZiplist(['a', 'b']))
      .byte(3)
      .str('z1')
      .len(1)
      .str('m')
      .byte(3)
      .raw(Buffer.from('2.5'))
      .eof(crc64),
  );
  const dir = join(ROOT, 'test', 'fixtures', 'rdb');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.rdb'))) out.push(readFileSync(join(dir, f)));
  return out;
}

function mutate(src: Buffer, r: () => number): Buffer {
  const b = Buffer.from(src);
  const pick = (n: number) => Math.floor(r() * n);
  const kind = pick(6);
  if (kind === 0) {
    // bit flips
    const n = 1 + pick(4);
    for (let i = 0; i < n; i++) b[pick(b.length)] ^= 1 << pick(8);
    return b;
  }
  if (kind === 1) {
    // random bytes
    const n = 1 + pick(8);
    for (let i = 0; i < n; i++) b[pick(b.length)] = pick(256);
    return b;
  }
  if (kind === 2) return b.subarray(0, pick(b.length));
  if (kind === 3) {
    // plant a huge length: 32- or 64-bit length markers, or LZF headers
    const at = 9 + pick(Math.max(1, b.length - 20));
    const planted = [
      [0x80, 0xff, 0xff, 0xff, 0xf0],
      [0x81, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
      [0xc3, 0x80, 0x00, 0x10, 0x00, 0x00, 0x80, 0x7f, 0xff, 0xff, 0xff],
      [0x7f, 0xff],
      [0xbf],
    ][pick(5)];
    for (let i = 0; i < planted.length && at + i < b.length; i++) b[at + i] = planted[i];
    return b;
  }
  if (kind === 4) {
    // splice: copy a slice over another place
    const from = pick(b.length);
    const to = pick(b.length);
    const n = pick(64);
    b.copy(b, to, from, Math.min(b.length, from + n));
    return b;
  }
  // delete a range
  const at = pick(b.length);
  const n = 1 + pick(32);
  return Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + n))]);
}

function expectCodecError(e: unknown, input: Buffer): void {
  if (!(e instanceof RdbError)) {
    throw new Error(`non-codec exception ${String(e)} for input ${input.toString('base64')}`);
  }
  if (e.code === 'INTERNAL') throw new Error(`${e.message} for input ${input.toString('base64')}`);
}

describe('RDB fuzzing', () => {
  it('mutated RDB files either load or fail with a codec error, quickly', () => {
    const r = rng(12345);
    const inputs = bases();
    const outcomes = { ok: 0, EOF: 0, CORRUPT: 0, UNSUPPORTED: 0 } as Record<string, number>;
    let slowest = 0;
    for (let n = 0; n < 4000; n++) {
      const input = mutate(inputs[n % inputs.length], r);
      const t0 = performance.now();
      try {
        readRdb(input, { verifyChecksum: n % 4 === 0, moduleAux: 'skip' });
        outcomes.ok++;
      } catch (e) {
        expectCodecError(e, input);
        outcomes[(e as RdbError).code]++;
      }
      slowest = Math.max(slowest, performance.now() - t0);
    }
    expect(slowest).toBeLessThan(2000);
    // The mutations reach every kind of outcome.
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.EOF).toBeGreaterThan(0);
    expect(outcomes.CORRUPT).toBeGreaterThan(100);
  });

  it('the chunked path agrees with the whole-buffer path on mutated files', () => {
    const r = rng(777);
    const inputs = bases();
    for (let n = 0; n < 300; n++) {
      const input = mutate(inputs[n % inputs.length], r);
      let whole: string;
      try {
        whole = `ok ${readRdb(input, { verifyChecksum: false }).keys.length}`;
      } catch (e) {
        expectCodecError(e, input);
        whole = `err ${(e as RdbError).reason}`;
      }
      const reader = new RdbReader({ verifyChecksum: false });
      let chunked: string;
      try {
        let keys = 0;
        const step = 1 + Math.floor(r() * 300);
        for (let off = 0; off < input.length; off += step) {
          reader.feed(input.subarray(off, off + step));
          for (let k = reader.next(); k !== NEED_MORE && k !== null; k = reader.next()) keys++;
        }
        reader.end();
        for (let k = reader.next(); k !== null; k = reader.next()) {
          if (k === NEED_MORE) throw new Error('NEED_MORE after end');
          keys++;
        }
        chunked = `ok ${keys}`;
      } catch (e) {
        expectCodecError(e, input);
        chunked = `err ${(e as RdbError).reason}`;
      }
      expect(chunked).toBe(whole);
    }
  });

  it('mutated DUMP payloads (with a recomputed CRC) parse or fail with Redis errors', () => {
    const r = rng(4242);
    const payloads = sampleValues().map((v) => createDumpPayload(v));
    let ok = 0;
    let bad = 0;
    for (let n = 0; n < 3000; n++) {
      const src = payloads[n % payloads.length];
      const body = mutate(src.subarray(0, src.length - 10), r);
      const p = Buffer.concat([body, Buffer.from([10, 0]), Buffer.alloc(8)]);
      if (n % 10 !== 0) p.writeBigUInt64LE(crc64(p, 0, p.length - 8), p.length - 8);
      try {
        parseDumpPayload(p);
        ok++;
      } catch (e) {
        if (!(e instanceof DumpPayloadError)) throw new Error(`non-codec exception ${String(e)} for ${p.toString('base64')}`);
        expect(['ERR DUMP payload version or checksum are wrong', 'ERR Bad data format']).toContain(e.message);
        if (e.detail !== undefined && e.detail.code === 'INTERNAL') throw new Error(`${e.detail.message} for ${p.toString('base64')}`);
        bad++;
      }
    }
    expect(ok).toBeGreaterThan(0);
    expect(bad).toBeGreaterThan(1000);
  });
});
