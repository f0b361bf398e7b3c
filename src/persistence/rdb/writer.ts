// RDB writer (rdb.c's rdbSaveRio / rdbSaveObject): produces RDB version 10 files
// as Redis 7.0 writes them, and DUMP payloads (cluster.c's createDumpPayload).
//
// API
// - `new RdbWriter(sink, opts)`: bytes go to `sink.write(buf)` in chunks of about
//   `chunkSize` (64 KB; a buffer handed to the sink is never reused). Call
//   `writeHeader(aux)` (magic "REDIS0010" + AUX fields in the given order: Redis
//   writes redis-ver, redis-bits, ctime, used-mem, [repl-stream-db, repl-id,
//   repl-offset,] aof-base), then per non-empty db `writeSelectDb(id)`,
//   `writeResizeDb(keys, expires)` and `writeKey(key, value, expireMs)` for each
//   key, and finally `writeEof()` (EOF opcode + CRC-64 of everything before it,
//   or 8 zero bytes when `checksum` is false). `bytesWritten` counts the output.
// - `serializeValue(value, opts)` → Buffer: object type byte + value (what DUMP
//   and MIGRATE carry); `createDumpPayload(value, opts)` adds the footer (RDB
//   version 10 as 2 bytes little endian + CRC-64 little endian).
// - `BufferSink` collects the output in memory (`toBuffer()`).
//
// Values: latin1 strings; ListValue (QUICKLIST_2 of packed listpack nodes cut as
// list-max-listpack-size -2 does: at most 8 KB each); SetValue (INTSET when
// intset-encoded, else SET); HashValue (HASH_LISTPACK when listpack-encoded,
// else HASH); ZSetValue (ZSET_LISTPACK when listpack-encoded, else ZSET_2, written
// from the highest score down as Redis does); StreamData, or any object with a
// `toStreamData()` method (STREAM_LISTPACKS_2, nodes cut by stream-node-max-bytes
// / -entries as XADD does). Strings use the integer encodings when Redis would and,
// with `compression`, LZF when longer than 20 bytes and it saves at least 4 bytes;
// listpacks and intsets go through the same string rules (so they may be LZF'd).
// Empty collections are refused (TypeError): Redis never stores them.

import { ListValue } from '../../keyspace/types/list.js';
import { HashValue } from '../../keyspace/types/hash.js';
import { SetValue } from '../../keyspace/types/set.js';
import { ZSetValue } from '../../keyspace/types/zset.js';
import { formatG } from '../../util/number-format.js';
import {
  QUICKLIST_NODE_CONTAINER_PACKED,
  QUICKLIST_NODE_CONTAINER_PLAIN,
  RDB_ENC_LZF,
  RDB_ENCVAL,
  RDB_VERSION,
  RdbOpcode,
  RdbType,
  STREAM_ITEM_FLAG_SAMEFIELDS,
} from './constants.js';
import { Crc64 } from './crc64.js';
import { encodeIntset } from './intset.js';
import { ListpackBuilder, lpEntrySize, lpStringToInt } from './listpack.js';
import { lzfCompress } from './lzf.js';
import { compareStreamIds, isStreamData, type StreamData, type StreamId } from '../../keyspace/types/stream-data.js';

export interface RdbSink {
  write(buf: Buffer): void;
}

/** Something that can describe itself as StreamData (the future StreamValue). */
export interface StreamDataSource {
  readonly type: 'stream';
  toStreamData(): StreamData;
}

export type WritableValue = string | ListValue | HashValue | SetValue | ZSetValue | StreamData | StreamDataSource;

export interface RdbWriterOptions {
  /** rdbcompression: LZF for strings longer than 20 bytes when it pays. Default true. */
  compression?: boolean;
  /** rdbchecksum: CRC-64 trailer; false writes zero (loaders skip the check). Default true. */
  checksum?: boolean;
  /** list-max-listpack-size (negative: byte limit -1..-5 = 4..64 KB; positive: entries). Default -2. */
  listMaxListpackSize?: number;
  /** List elements this big or bigger get a plain node of their own (quicklist's packed_threshold, 1 GB by default). */
  listPackedThreshold?: number;
  /** stream-node-max-bytes. Default 4096. */
  streamNodeMaxBytes?: number;
  /** stream-node-max-entries. Default 100. */
  streamNodeMaxEntries?: number;
  /** Output chunk size. Default 64 KB. */
  chunkSize?: number;
}

const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536];
const SIZE_SAFETY_LIMIT = 8192;
const INT64_MIN = -(2n ** 63n);
const U64 = 2n ** 64n;
const U64_MAX = U64 - 1n;

/** Shared scratch space for latin1 bytes of a string about to be compressed. */
let scratch = Buffer.allocUnsafe(64 * 1024);

/** string2ll on latin1 text that fits int32: the RDB_ENC_INT* candidates. */
function int32Of(s: string): number | null {
  const v = lpStringToInt(s);
  if (typeof v !== 'number' || v < -2147483648 || v > 2147483647) return null;
  return v;
}

/** Byte-level output with RDB primitives; hands full chunks to onChunk. */
class Encoder {
  buf: Buffer;
  pos = 0;
  flushed = 0;

  constructor(
    private readonly onChunk: (b: Buffer) => void,
    private readonly chunkSize: number,
    readonly compression: boolean,
  ) {
    this.buf = Buffer.allocUnsafe(chunkSize);
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(Math.max(n, this.chunkSize));
  }

  flush(): void {
    if (this.pos === 0) return;
    this.onChunk(this.buf.subarray(0, this.pos));
    this.flushed += this.pos;
    this.buf = Buffer.allocUnsafe(this.chunkSize);
    this.pos = 0;
  }

  byte(b: number): void {
    if (this.pos >= this.buf.length) this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** rdbSaveLen. */
  len(n: number): void {
    this.ensure(9);
    const b = this.buf;
    if (n < 64) {
      b[this.pos++] = n;
    } else if (n < 16384) {
      b[this.pos++] = 0x40 | (n >> 8);
      b[this.pos++] = n & 0xff;
    } else if (n <= 0xffffffff) {
      b[this.pos++] = 0x80;
      b.writeUInt32BE(n, this.pos);
      this.pos += 4;
    } else {
      b[this.pos++] = 0x81;
      b.writeBigUInt64BE(BigInt(n), this.pos);
      this.pos += 8;
    }
  }

  /** rdbSaveLen of a uint64 (stream IDs, counters). */
  lenBig(n: bigint): void {
    if (n < 0n || n > U64_MAX) throw new RangeError(`length out of uint64 range: ${n}`);
    if (n <= 0xffffffffn) return this.len(Number(n));
    this.ensure(9);
    this.buf[this.pos++] = 0x81;
    this.buf.writeBigUInt64BE(n, this.pos);
    this.pos += 8;
  }

  /** rdbSaveMillisecondTime: int64 little endian. */
  msTime(t: number): void {
    this.ensure(8);
    this.buf.writeBigInt64LE(BigInt(Math.trunc(t)), this.pos);
    this.pos += 8;
  }

  binaryDouble(d: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(d, this.pos);
    this.pos += 8;
  }

  private intEncoded(v: number): void {
    this.ensure(5);
    const b = this.buf;
    if (v >= -128 && v <= 127) {
      b[this.pos++] = (RDB_ENCVAL << 6) | 0;
      b.writeInt8(v, this.pos);
      this.pos += 1;
    } else if (v >= -32768 && v <= 32767) {
      b[this.pos++] = (RDB_ENCVAL << 6) | 1;
      b.writeInt16LE(v, this.pos);
      this.pos += 2;
    } else {
      b[this.pos++] = (RDB_ENCVAL << 6) | 2;
      b.writeInt32LE(v, this.pos);
      this.pos += 4;
    }
  }

  /** Tries LZF on bytes[0, n); true when written compressed. */
  private tryLzf(bytes: Uint8Array, n: number): boolean {
    const c = lzfCompress(n === bytes.length ? bytes : bytes.subarray(0, n), n - 4);
    if (c === null) return false;
    this.ensure(1 + 9 + 9 + c.length);
    this.buf[this.pos++] = (RDB_ENCVAL << 6) | RDB_ENC_LZF;
    this.len(c.length);
    this.len(n);
    c.copy(this.buf, this.pos);
    this.pos += c.length;
    return true;
  }

  /** rdbSaveRawString of a latin1 string. */
  str(s: string): void {
    const n = s.length;
    if (n <= 11 && n > 0) {
      const v = int32Of(s);
      if (v !== null) return this.intEncoded(v);
    }
    if (this.compression && n > 20) {
      if (scratch.length < n) scratch = Buffer.allocUnsafe(Math.max(n, scratch.length * 2));
      scratch.latin1Write(s, 0, n);
      if (this.tryLzf(scratch, n)) return;
    }
    this.len(n);
    this.ensure(n);
    if (n < 16) {
      const b = this.buf;
      const p = this.pos;
      for (let i = 0; i < n; i++) b[p + i] = s.charCodeAt(i);
    } else {
      this.buf.latin1Write(s, this.pos, n);
    }
    this.pos += n;
  }

  /** rdbSaveRawString of binary data (listpacks, intsets, stream node keys). */
  bytes(data: Buffer): void {
    const n = data.length;
    if (n <= 11 && n > 0) {
      const v = int32Of(data.latin1Slice(0, n));
      if (v !== null) return this.intEncoded(v);
    }
    if (this.compression && n > 20 && this.tryLzf(data, n)) return;
    this.len(n);
    if (n > this.chunkSize) {
      // Large blob: hand it over as is rather than copying it.
      this.flush();
      this.onChunk(data);
      this.flushed += n;
      return;
    }
    this.ensure(n);
    data.copy(this.buf, this.pos);
    this.pos += n;
  }
}

// ---- value encodings -----------------------------------------------------------------

/** quicklist.c's default packed_threshold (1 GB). */
export const DEFAULT_PACKED_THRESHOLD = 1 << 30;

interface ValueOptions {
  listFill: number;
  listPackedThreshold: number;
  streamNodeMaxBytes: number;
  streamNodeMaxEntries: number;
}

function valueOptions(opts: RdbWriterOptions): ValueOptions {
  return {
    listFill: opts.listMaxListpackSize ?? -2,
    listPackedThreshold: opts.listPackedThreshold ?? DEFAULT_PACKED_THRESHOLD,
    streamNodeMaxBytes: opts.streamNodeMaxBytes ?? 4096,
    streamNodeMaxEntries: opts.streamNodeMaxEntries ?? 100,
  };
}

function resolveStream(v: WritableValue): StreamData | null {
  if (typeof v === 'string') return null;
  if (isStreamData(v)) return v;
  const src = v as Partial<StreamDataSource>;
  if (src.type === 'stream' && typeof src.toStreamData === 'function') return src.toStreamData();
  return null;
}

/** The RDB object type Redis 7.0 would use for this value. */
export function rdbTypeOf(v: WritableValue): number {
  if (typeof v === 'string') return RdbType.STRING;
  if (v instanceof ListValue) return RdbType.LIST_QUICKLIST_2;
  if (v instanceof SetValue) return v.isIntset ? RdbType.SET_INTSET : RdbType.SET;
  if (v instanceof HashValue) return v.isListpack ? RdbType.HASH_LISTPACK : RdbType.HASH;
  if (v instanceof ZSetValue) return v.isListpack ? RdbType.ZSET_LISTPACK : RdbType.ZSET_2;
  if (resolveStream(v) !== null) return RdbType.STREAM_LISTPACKS_2;
  throw new TypeError(`cannot serialize a value of type ${(v as { type?: string }).type ?? typeof v}`);
}

/** _quicklistNodeAllowInsert for a node of `bytes` / `count` and an element of `sz` bytes. */
function quicklistAllows(fill: number, bytes: number, count: number, sz: number): boolean {
  const newSz = bytes + sz + 8;
  if (fill < 0) {
    const level = Math.min(-fill, OPTIMIZATION_LEVEL.length) - 1;
    return newSz <= OPTIMIZATION_LEVEL[level];
  }
  if (newSz > SIZE_SAFETY_LIMIT) return false;
  return count < fill;
}

function writeList(e: Encoder, list: ListValue, vo: ValueOptions): void {
  const nodes: { container: number; data: Buffer }[] = [];
  let lp = new ListpackBuilder(1024);
  const flush = () => {
    if (lp.count === 0) return;
    nodes.push({ container: QUICKLIST_NODE_CONTAINER_PACKED, data: lp.finish() });
    lp = new ListpackBuilder(1024);
  };
  for (const v of list.values()) {
    if (v.length >= vo.listPackedThreshold) {
      // isLargeElement: the element is a node by itself, stored as is.
      flush();
      nodes.push({ container: QUICKLIST_NODE_CONTAINER_PLAIN, data: Buffer.from(v, 'latin1') });
      continue;
    }
    if (lp.count > 0 && (lp.count >= 65535 || !quicklistAllows(vo.listFill, lp.bytes, lp.count, v.length))) flush();
    lp.appendString(v);
  }
  flush();
  e.len(nodes.length);
  for (const n of nodes) {
    e.len(n.container);
    e.bytes(n.data);
  }
}

/** zzlInsertAt's score encoding: integers (double2ll) as integers, else d2string. */
function appendScore(lp: ListpackBuilder, d: number): void {
  if (Number.isInteger(d) && d > -(2 ** 62) && d < 2 ** 62) {
    lp.appendInt(Number.isSafeInteger(d) ? (d === 0 ? 0 : d) : BigInt(d));
  } else {
    lp.appendRawString(formatG(d, 17));
  }
}

function int64Wrap(v: bigint): bigint {
  const m = (((v - INT64_MIN) % U64) + U64) % U64;
  return m + INT64_MIN;
}

function writeRawId(e: Encoder, id: StreamId): void {
  e.ensure(16);
  e.buf.writeBigUInt64BE(id.ms, e.pos);
  e.buf.writeBigUInt64BE(id.seq, e.pos + 8);
  e.pos += 16;
}

function streamNodeKey(id: StreamId): Buffer {
  const k = Buffer.allocUnsafe(16);
  k.writeBigUInt64BE(id.ms, 0);
  k.writeBigUInt64BE(id.seq, 8);
  return k;
}

function writeStream(e: Encoder, s: StreamData, vo: ValueOptions): void {
  const nodes: { key: Buffer; lp: Buffer }[] = [];
  let master: StreamId | null = null;
  let masterFields: string[] = [];
  let body = new ListpackBuilder(1024);
  let count = 0;
  let headerBytes = 0;
  const finishNode = () => {
    if (master === null) return;
    const lp = new ListpackBuilder(body.bytes + 64);
    lp.appendInt(count);
    lp.appendInt(0);
    lp.appendInt(masterFields.length);
    for (const f of masterFields) lp.appendString(f);
    lp.appendInt(0);
    lp.appendEncoded(body.entries(), body.count);
    nodes.push({ key: streamNodeKey(master), lp: lp.finish() });
    master = null;
  };
  const maxBytes = vo.streamNodeMaxBytes <= 0 || vo.streamNodeMaxBytes > 1 << 30 ? 1 << 30 : vo.streamNodeMaxBytes;
  let prev: StreamId | null = null;
  for (const entry of s.entries) {
    const f = entry.fields;
    if (f.length % 2 !== 0) throw new TypeError('stream entry fields must be field/value pairs');
    if (prev !== null && compareStreamIds(entry.id, prev) <= 0)
      throw new TypeError('stream entries must be in strictly ascending ID order');
    prev = entry.id;
    const nf = f.length / 2;
    let totelelen = 0;
    for (const x of f) totelelen += x.length;
    if (master !== null) {
      if (body.bytes + headerBytes + totelelen >= maxBytes) finishNode();
      else if (vo.streamNodeMaxEntries > 0 && count >= vo.streamNodeMaxEntries) finishNode();
    }
    let same = false;
    if (master === null) {
      master = entry.id;
      masterFields = [];
      for (let i = 0; i < nf; i++) masterFields.push(f[i * 2]);
      body = new ListpackBuilder(1024);
      count = 0;
      headerBytes = 16;
      for (const m of masterFields) headerBytes += lpEntrySize(m);
      same = true;
    } else if (nf === masterFields.length) {
      same = true;
      for (let i = 0; i < nf; i++) {
        if (f[i * 2] !== masterFields[i]) {
          same = false;
          break;
        }
      }
    }
    const m: StreamId = master;
    body.appendInt(same ? STREAM_ITEM_FLAG_SAMEFIELDS : 0);
    body.appendInt(int64Wrap(entry.id.ms - m.ms));
    body.appendInt(int64Wrap(entry.id.seq - m.seq));
    if (!same) body.appendInt(nf);
    for (let i = 0; i < nf; i++) {
      if (!same) body.appendString(f[i * 2]);
      body.appendString(f[i * 2 + 1]);
    }
    body.appendInt(same ? nf + 3 : nf * 2 + 4);
    count++;
  }
  finishNode();

  e.len(nodes.length);
  for (const n of nodes) {
    e.bytes(n.key);
    e.bytes(n.lp);
  }
  e.len(s.entries.length);
  e.lenBig(s.lastId.ms);
  e.lenBig(s.lastId.seq);
  e.lenBig(s.firstId.ms);
  e.lenBig(s.firstId.seq);
  e.lenBig(s.maxDeletedEntryId.ms);
  e.lenBig(s.maxDeletedEntryId.seq);
  e.lenBig(s.entriesAdded);
  e.len(s.groups.length);
  for (const g of s.groups) {
    e.str(g.name);
    e.lenBig(g.lastId.ms);
    e.lenBig(g.lastId.seq);
    e.lenBig(g.entriesRead < 0n ? U64_MAX : g.entriesRead);
    const pel = g.pending.slice().sort((a, b) => compareStreamIds(a.id, b.id));
    e.len(pel.length);
    for (const p of pel) {
      writeRawId(e, p.id);
      e.msTime(p.deliveryTime);
      e.len(p.deliveryCount);
    }
    e.len(g.consumers.length);
    for (const c of g.consumers) {
      e.str(c.name);
      e.msTime(c.seenTime);
      const ids = c.pending.slice().sort(compareStreamIds);
      e.len(ids.length);
      for (const id of ids) writeRawId(e, id);
    }
  }
}

/** Writes a value's body (the type byte, from rdbTypeOf, comes before the key). */
function writeValue(e: Encoder, v: WritableValue, vo: ValueOptions): void {
  if (typeof v === 'string') {
    e.str(v);
    return;
  }
  if (v instanceof ListValue) {
    if (v.length === 0) throw new TypeError('cannot serialize an empty list');
    writeList(e, v, vo);
    return;
  }
  if (v instanceof SetValue) {
    if (v.size === 0) throw new TypeError('cannot serialize an empty set');
    if (v.isIntset) {
      e.bytes(encodeIntset(v.rawMembers()));
    } else {
      const m = v.rawMembers();
      e.len(m.length);
      for (let i = 0; i < m.length; i++) e.str(m[i]);
    }
    return;
  }
  if (v instanceof HashValue) {
    if (v.size === 0) throw new TypeError('cannot serialize an empty hash');
    if (v.isListpack) {
      const lp = new ListpackBuilder(256);
      for (const [f, val] of v.fields) {
        lp.appendString(f);
        lp.appendString(val);
      }
      e.bytes(lp.finish());
    } else {
      e.len(v.fields.size);
      for (const [f, val] of v.fields) {
        e.str(f);
        e.str(val);
      }
    }
    return;
  }
  if (v instanceof ZSetValue) {
    if (v.size === 0) throw new TypeError('cannot serialize an empty sorted set');
    if (v.isListpack) {
      const lp = new ListpackBuilder(256);
      for (const n of v.nodes()) {
        lp.appendString(n.member);
        appendScore(lp, n.score);
      }
      e.bytes(lp.finish());
    } else {
      e.len(v.size);
      for (let n = v.last(); n !== null; n = n.backward) {
        e.str(n.member);
        e.binaryDouble(n.score);
      }
    }
    return;
  }
  const s = resolveStream(v);
  if (s !== null) {
    writeStream(e, s, vo);
    return;
  }
  throw new TypeError(`cannot serialize a value of type ${(v as { type?: string }).type ?? typeof v}`);
}

// ---- the file writer ----------------------------------------------------------------

export class RdbWriter {
  private readonly enc: Encoder;
  private readonly crc: Crc64 | null;
  private readonly vo: ValueOptions;
  private finished = false;

  constructor(
    private readonly sink: RdbSink,
    opts: RdbWriterOptions = {},
  ) {
    const checksum = opts.checksum ?? true;
    const crc = checksum ? new Crc64() : null;
    this.crc = crc;
    this.enc = new Encoder(
      (b) => {
        if (crc !== null) crc.update(b);
        sink.write(b);
      },
      opts.chunkSize ?? 64 * 1024,
      opts.compression ?? true,
    );
    this.vo = valueOptions(opts);
  }

  /** Bytes produced so far (including those still buffered). */
  get bytesWritten(): number {
    return this.enc.flushed + this.enc.pos;
  }

  /** "REDIS0010" and the AUX fields, in order. Numbers are written as integers. */
  writeHeader(aux: Iterable<readonly [string, string | number]> | Record<string, string | number> = []): void {
    const e = this.enc;
    e.ensure(9);
    e.buf.latin1Write(`REDIS${String(RDB_VERSION).padStart(4, '0')}`, e.pos, 9);
    e.pos += 9;
    const pairs: Iterable<readonly [string, string | number]> =
      Symbol.iterator in aux
        ? (aux as Iterable<readonly [string, string | number]>)
        : Object.entries(aux as Record<string, string | number>);
    for (const [k, v] of pairs) this.writeAux(k, v);
  }

  writeAux(key: string, value: string | number): void {
    this.enc.byte(RdbOpcode.AUX);
    this.enc.str(key);
    this.enc.str(typeof value === 'number' ? String(Math.trunc(value)) : value);
  }

  /** A function library (RDB_OPCODE_FUNCTION2 and its code), written before the databases. */
  writeFunction(code: string): void {
    this.enc.byte(RdbOpcode.FUNCTION2);
    this.enc.str(code);
  }

  writeSelectDb(id: number): void {
    this.enc.byte(RdbOpcode.SELECTDB);
    this.enc.len(id);
  }

  writeResizeDb(size: number, expiresSize: number): void {
    this.enc.byte(RdbOpcode.RESIZEDB);
    this.enc.len(size);
    this.enc.len(expiresSize);
  }

  /** One key: optional EXPIRETIME_MS (absolute ms; -1 for none), type, key, value. */
  writeKey(key: string, value: WritableValue, expireMs = -1): void {
    const e = this.enc;
    if (expireMs !== -1) {
      e.byte(RdbOpcode.EXPIRETIME_MS);
      e.msTime(expireMs);
    }
    if (typeof value === 'string') {
      // Inline the common case.
      e.byte(RdbType.STRING);
      e.str(key);
      e.str(value);
      return;
    }
    e.byte(rdbTypeOf(value));
    e.str(key);
    writeValue(e, value, this.vo);
  }

  /** EOF opcode + checksum; flushes everything to the sink. */
  writeEof(): void {
    if (this.finished) throw new Error('writeEof() called twice');
    this.finished = true;
    this.enc.byte(RdbOpcode.EOF);
    this.enc.flush();
    const trailer = Buffer.alloc(8);
    if (this.crc !== null) this.crc.writeLE(trailer, 0);
    this.sink.write(trailer);
    this.enc.flushed += 8;
  }

  /** Hands buffered bytes to the sink now (e.g. to bound latency of a transfer). */
  flush(): void {
    this.enc.flush();
  }
}

// ---- DUMP payloads ------------------------------------------------------------------

/** Collects writer output in memory. */
export class BufferSink implements RdbSink {
  readonly chunks: Buffer[] = [];
  length = 0;

  write(buf: Buffer): void {
    this.chunks.push(buf);
    this.length += buf.length;
  }

  toBuffer(): Buffer {
    return this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.length);
  }
}

export type SerializeOptions = Omit<RdbWriterOptions, 'checksum'>;

/** Object type byte + serialized value, as rdbSaveObjectType + rdbSaveObject. */
export function serializeValue(value: WritableValue, opts: SerializeOptions = {}): Buffer {
  const sink = new BufferSink();
  const e = new Encoder((b) => sink.write(b), opts.chunkSize ?? 16 * 1024, opts.compression ?? true);
  e.byte(rdbTypeOf(value));
  writeValue(e, value, valueOptions(opts));
  e.flush();
  return sink.toBuffer();
}

/** FUNCTION DUMP's reply: every library as RDB_OPCODE_FUNCTION2 records, then DUMP's trailer. */
export function createFunctionsPayload(codes: readonly string[]): Buffer {
  const sink = new BufferSink();
  const e = new Encoder((b) => sink.write(b), 16 * 1024, true);
  for (const code of codes) {
    e.byte(RdbOpcode.FUNCTION2);
    e.str(code);
  }
  e.flush();
  return withDumpTrailer(sink.toBuffer());
}

function withDumpTrailer(body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(body.length + 10);
  body.copy(out, 0);
  out[body.length] = RDB_VERSION & 0xff;
  out[body.length + 1] = (RDB_VERSION >> 8) & 0xff;
  new Crc64().update(out, 0, body.length + 2).writeLE(out, body.length + 2);
  return out;
}

/** A DUMP reply: serializeValue + RDB version (2 bytes LE) + CRC-64 (8 bytes LE). */
export function createDumpPayload(value: WritableValue, opts: SerializeOptions = {}): Buffer {
  return withDumpTrailer(serializeValue(value, opts));
}
