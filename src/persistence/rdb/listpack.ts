// Listpack encode/decode (listpack.c) for the RDB codec: hash, zset and set
// listpacks, quicklist nodes and stream nodes.
//
// Layout: uint32 LE total bytes, uint16 LE element count (65535 = unknown), the
// entries, then 0xFF. An entry is an encoding byte (7-bit uint, 6/12/32-bit
// string length, 13/16/24/32/64-bit int), its data, and a "backlen": the entry's
// own size as a big-endian base-128 varint read right to left.
//
// API:
// - `ListpackBuilder`: `appendString(s)` (latin1; integers in canonical form are
//   stored as integers, as lpAppend does), `appendInt(n | bigint)`, `bytes`, `count`,
//   `finish()` → Buffer. `lpEntrySize(s)` predicts one entry's encoded size.
// - `decodeListpack(buf, start, end, asStrings)` → items or null when the listpack
//   fails the deep integrity check (lpValidateIntegrity with deep=1). Integers come
//   back as decimal strings when asStrings, else as number (bigint beyond 2^53).

const LP_HDR_SIZE = 6;
const LP_EOF = 0xff;
const LP_HDR_NUMELE_UNKNOWN = 0xffff;

export { lpStringToInt, backlenSize, lpEntrySize } from '../../keyspace/listpack-size.js';
import { lpStringToInt, backlenSize, strEncodedSize } from '../../keyspace/listpack-size.js';

export class ListpackBuilder {
  private buf: Buffer;
  private pos = LP_HDR_SIZE;
  count = 0;

  constructor(capacity = 256) {
    this.buf = Buffer.allocUnsafe(Math.max(capacity, 64));
  }

  /** Size the listpack has so far, including header and terminator. */
  get bytes(): number {
    return this.pos + 1;
  }

  private ensure(n: number): void {
    if (this.pos + n + 1 <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n + 1) cap *= 2;
    const nb = Buffer.allocUnsafe(cap);
    this.buf.copy(nb, 0, 0, this.pos);
    this.buf = nb;
  }

  private backlen(l: number): void {
    const b = this.buf;
    let p = this.pos;
    if (l <= 127) {
      b[p++] = l;
    } else if (l < 16383) {
      b[p++] = l >>> 7;
      b[p++] = (l & 127) | 128;
    } else if (l < 2097151) {
      b[p++] = l >>> 14;
      b[p++] = ((l >>> 7) & 127) | 128;
      b[p++] = (l & 127) | 128;
    } else if (l < 268435455) {
      b[p++] = l >>> 21;
      b[p++] = ((l >>> 14) & 127) | 128;
      b[p++] = ((l >>> 7) & 127) | 128;
      b[p++] = (l & 127) | 128;
    } else {
      b[p++] = Math.floor(l / 2 ** 28);
      b[p++] = ((l >>> 21) & 127) | 128;
      b[p++] = ((l >>> 14) & 127) | 128;
      b[p++] = ((l >>> 7) & 127) | 128;
      b[p++] = (l & 127) | 128;
    }
    this.pos = p;
  }

  appendInt(v: number | bigint): void {
    if (typeof v === 'bigint' && v >= -9007199254740991n && v <= 9007199254740991n) v = Number(v);
    this.ensure(14);
    const b = this.buf;
    const p = this.pos;
    let size: number;
    if (typeof v === 'bigint') {
      b[p] = 0xf4;
      b.writeBigInt64LE(v, p + 1);
      size = 9;
    } else if (v >= 0 && v <= 127) {
      b[p] = v;
      size = 1;
    } else if (v >= -4096 && v <= 4095) {
      const u = v < 0 ? 8192 + v : v;
      b[p] = (u >> 8) | 0xc0;
      b[p + 1] = u & 0xff;
      size = 2;
    } else if (v >= -32768 && v <= 32767) {
      b[p] = 0xf1;
      b.writeInt16LE(v, p + 1);
      size = 3;
    } else if (v >= -8388608 && v <= 8388607) {
      b[p] = 0xf2;
      b.writeIntLE(v, p + 1, 3);
      size = 4;
    } else if (v >= -2147483648 && v <= 2147483647) {
      b[p] = 0xf3;
      b.writeInt32LE(v, p + 1);
      size = 5;
    } else {
      b[p] = 0xf4;
      b.writeBigInt64LE(BigInt(v), p + 1);
      size = 9;
    }
    this.pos = p + size;
    this.backlen(size);
    this.count++;
  }

  /** lpAppend: canonical integers become integer entries, the rest strings (latin1). */
  appendString(s: string): void {
    if (s.length < 21) {
      const iv = lpStringToInt(s);
      if (iv !== null) {
        this.appendInt(iv);
        return;
      }
    }
    this.appendRawString(s);
  }

  /** A string entry without the integer conversion. */
  appendRawString(s: string): void {
    const len = s.length;
    this.ensure(len + 10);
    const b = this.buf;
    let p = this.pos;
    if (len < 64) {
      b[p++] = 0x80 | len;
    } else if (len < 4096) {
      b[p++] = 0xe0 | (len >> 8);
      b[p++] = len & 0xff;
    } else {
      b[p++] = 0xf0;
      b.writeUInt32LE(len, p);
      p += 4;
    }
    if (len < 16) {
      for (let i = 0; i < len; i++) b[p + i] = s.charCodeAt(i);
    } else {
      b.latin1Write(s, p, len);
    }
    this.pos = p + len;
    this.backlen(strEncodedSize(len));
    this.count++;
  }

  /** The encoded entries so far (no header, no terminator), to splice into another listpack. */
  entries(): Buffer {
    return this.buf.subarray(LP_HDR_SIZE, this.pos);
  }

  /** Appends entries produced by another builder's entries(). */
  appendEncoded(entries: Buffer, count: number): void {
    this.ensure(entries.length);
    entries.copy(this.buf, this.pos);
    this.pos += entries.length;
    this.count += count;
  }

  finish(): Buffer {
    this.ensure(0);
    const b = this.buf;
    b[this.pos] = LP_EOF;
    const total = this.pos + 1;
    b.writeUInt32LE(total, 0);
    b.writeUInt16LE(this.count < LP_HDR_NUMELE_UNKNOWN ? this.count : LP_HDR_NUMELE_UNKNOWN, 4);
    return b.subarray(0, total);
  }
}

/** Encodes a whole listpack from latin1 strings. */
export function encodeListpack(items: readonly string[]): Buffer {
  const b = new ListpackBuilder();
  for (const s of items) b.appendString(s);
  return b.finish();
}

export type LpItem = string | number | bigint;

/**
 * Decodes and deep-validates buf[start, end). Null when: the header size differs
 * from the blob size, the terminator is missing, an entry's encoding is invalid or
 * runs past the end, a backlen does not match its entry, or the header count
 * (unless 65535) differs from the entries found.
 */
export function decodeListpack(buf: Buffer, start: number, end: number, asStrings: true): string[] | null;
export function decodeListpack(buf: Buffer, start: number, end: number, asStrings: false): LpItem[] | null;
export function decodeListpack(buf: Buffer, start: number, end: number, asStrings: boolean): LpItem[] | null {
  const size = end - start;
  if (size < LP_HDR_SIZE + 1) return null;
  if (buf.readUInt32LE(start) !== size) return null;
  if (buf[end - 1] !== LP_EOF) return null;
  const numele = buf.readUInt16LE(start + 4);
  const out: LpItem[] = [];
  const last = end - 1; // the terminator
  let p = start + LP_HDR_SIZE;
  while (p < last) {
    const c = buf[p];
    let hdr: number; // encoding + length bytes
    let datalen: number;
    let isInt = true;
    if ((c & 0x80) === 0) {
      hdr = 1;
      datalen = 0;
    } else if ((c & 0xc0) === 0x80) {
      hdr = 1;
      datalen = c & 0x3f;
      isInt = false;
    } else if ((c & 0xe0) === 0xc0) {
      hdr = 1;
      datalen = 1;
    } else if ((c & 0xf0) === 0xe0) {
      hdr = 2;
      if (p + 1 >= last) return null;
      datalen = ((c & 0x0f) << 8) | buf[p + 1];
      isInt = false;
    } else if (c === 0xf0) {
      hdr = 5;
      if (p + 4 >= last) return null;
      datalen = buf.readUInt32LE(p + 1);
      isInt = false;
    } else if (c === 0xf1) {
      hdr = 1;
      datalen = 2;
    } else if (c === 0xf2) {
      hdr = 1;
      datalen = 3;
    } else if (c === 0xf3) {
      hdr = 1;
      datalen = 4;
    } else if (c === 0xf4) {
      hdr = 1;
      datalen = 8;
    } else {
      return null;
    }
    const entryLen = hdr + datalen;
    const bl = backlenSize(entryLen);
    const next = p + entryLen + bl;
    if (next > last) return null;
    // The backlen, read right to left, must equal the entry size.
    let val = 0;
    let shift = 0;
    let q = next - 1;
    for (;;) {
      const byte = buf[q];
      val += (byte & 127) * 2 ** shift;
      if ((byte & 128) === 0) break;
      shift += 7;
      q--;
      if (shift > 28 || q < p + entryLen) return null;
    }
    if (val !== entryLen || q !== p + entryLen) return null;
    const d = p + hdr;
    if (!isInt) {
      out.push(buf.latin1Slice(d, d + datalen));
    } else {
      let v: number | bigint;
      if ((c & 0x80) === 0) v = c;
      else if ((c & 0xe0) === 0xc0) {
        const u = ((c & 0x1f) << 8) | buf[d];
        v = u >= 4096 ? u - 8192 : u;
      } else if (c === 0xf1) v = buf.readInt16LE(d);
      else if (c === 0xf2) v = buf.readIntLE(d, 3);
      else if (c === 0xf3) v = buf.readInt32LE(d);
      else {
        const big = buf.readBigInt64LE(d);
        v = big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
      }
      out.push(asStrings ? String(v) : v);
    }
    p = next;
  }
  if (numele !== LP_HDR_NUMELE_UNKNOWN && numele !== out.length) return null;
  return out;
}
