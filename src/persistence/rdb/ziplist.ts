// Ziplist decode/encode (ziplist.c), the pre-7.0 compact encoding found in RDB
// types 10, 12, 13 and 14 (as quicklist nodes). Redis 7.0 converts ziplists to
// listpacks on load and never writes them; the encoder exists for tests.
//
// Layout: uint32 LE total bytes, uint32 LE offset of the last entry, uint16 LE
// count (65535 = unknown), entries, 0xFF. An entry is the previous entry's size
// (1 byte, or 0xFE + uint32 LE), an encoding (6/14/32-bit string length, or
// int16/32/64/24/8, or an immediate 0..12 in 0xF1..0xFD) and the data.
//
// API: `decodeZiplist(buf, start, end)` → latin1 strings (integers as decimal
// text) or null when ziplistValidateIntegrity(deep=1) would fail;
// `encodeZiplist(items)` → Buffer (integers in canonical form stored as integers).

import { lpStringToInt } from './listpack.js';

const ZL_HEADER = 10;
const ZIP_END = 0xff;
const ZIP_BIG_PREVLEN = 254;

export function decodeZiplist(buf: Buffer, start: number, end: number): string[] | null {
  const size = end - start;
  if (size < ZL_HEADER + 1) return null;
  if (buf.readUInt32LE(start) !== size) return null;
  if (buf[end - 1] !== ZIP_END) return null;
  const tail = buf.readUInt32LE(start + 4);
  if (tail > size - 1) return null;
  const headerCount = buf.readUInt16LE(start + 8);
  const last = end - 1;
  const out: string[] = [];
  let p = start + ZL_HEADER;
  let prevRaw = 0;
  let prevPos = -1;
  while (buf[p] !== ZIP_END) {
    if (p > last) return null;
    // previous entry length
    let prevlen: number;
    let prevsize: number;
    if (buf[p] < ZIP_BIG_PREVLEN) {
      prevlen = buf[p];
      prevsize = 1;
    } else {
      if (p + 5 > last) return null;
      prevlen = buf.readUInt32LE(p + 1);
      prevsize = 5;
    }
    if (prevlen !== prevRaw) return null;
    const e = p + prevsize;
    if (e >= last) return null;
    let enc = buf[e];
    if (enc < 0xc0) enc &= 0xc0;
    let lensize: number;
    let len: number;
    let isStr = true;
    let ival = 0;
    let big: bigint | null = null;
    if (enc === 0x00) {
      lensize = 1;
      len = buf[e] & 0x3f;
    } else if (enc === 0x40) {
      lensize = 2;
      if (e + 1 >= last) return null;
      len = ((buf[e] & 0x3f) << 8) | buf[e + 1];
    } else if (enc === 0x80) {
      if (buf[e] !== 0x80) return null;
      lensize = 5;
      if (e + 4 >= last) return null;
      len = buf.readUInt32BE(e + 1);
    } else {
      isStr = false;
      lensize = 1;
      if (enc === 0xc0) len = 2;
      else if (enc === 0xd0) len = 4;
      else if (enc === 0xe0) len = 8;
      else if (enc === 0xf0) len = 3;
      else if (enc === 0xfe) len = 1;
      else if (enc >= 0xf1 && enc <= 0xfd) len = 0;
      else return null;
    }
    const d = e + lensize;
    const next = d + len;
    if (next > last) return null;
    if (isStr) {
      out.push(buf.latin1Slice(d, next));
    } else {
      if (enc === 0xc0) ival = buf.readInt16LE(d);
      else if (enc === 0xd0) ival = buf.readInt32LE(d);
      else if (enc === 0xe0) {
        big = buf.readBigInt64LE(d);
      } else if (enc === 0xf0) ival = buf.readIntLE(d, 3);
      else if (enc === 0xfe) ival = buf.readInt8(d);
      else ival = (enc & 0x0f) - 1;
      out.push(big !== null ? big.toString() : String(ival));
    }
    prevRaw = next - p;
    prevPos = p;
    p = next;
  }
  if (p !== last) return null;
  if (prevPos !== -1 && prevPos !== start + tail) return null;
  if (headerCount !== 0xffff && headerCount !== out.length) return null;
  return out;
}

export function encodeZiplist(items: readonly string[]): Buffer {
  const parts: Buffer[] = [];
  let prevRaw = 0;
  let offset = ZL_HEADER;
  let tail = ZL_HEADER;
  for (const s of items) {
    const prev = prevRaw < ZIP_BIG_PREVLEN ? Buffer.from([prevRaw]) : Buffer.from([0xfe, 0, 0, 0, 0]);
    if (prevRaw >= ZIP_BIG_PREVLEN) prev.writeUInt32LE(prevRaw, 1);
    let body: Buffer;
    const iv = lpStringToInt(s);
    if (iv !== null) {
      const v = BigInt(iv);
      if (v >= 0n && v <= 12n) body = Buffer.from([0xf1 + Number(v)]);
      else if (v >= -128n && v <= 127n) {
        body = Buffer.alloc(2);
        body[0] = 0xfe;
        body.writeInt8(Number(v), 1);
      } else if (v >= -32768n && v <= 32767n) {
        body = Buffer.alloc(3);
        body[0] = 0xc0;
        body.writeInt16LE(Number(v), 1);
      } else if (v >= -8388608n && v <= 8388607n) {
        body = Buffer.alloc(4);
        body[0] = 0xf0;
        body.writeIntLE(Number(v), 1, 3);
      } else if (v >= -2147483648n && v <= 2147483647n) {
        body = Buffer.alloc(5);
        body[0] = 0xd0;
        body.writeInt32LE(Number(v), 1);
      } else {
        body = Buffer.alloc(9);
        body[0] = 0xe0;
        body.writeBigInt64LE(v, 1);
      }
    } else {
      const data = Buffer.from(s, 'latin1');
      let hdr: Buffer;
      if (data.length <= 0x3f) hdr = Buffer.from([data.length]);
      else if (data.length <= 0x3fff) hdr = Buffer.from([0x40 | (data.length >> 8), data.length & 0xff]);
      else {
        hdr = Buffer.alloc(5);
        hdr[0] = 0x80;
        hdr.writeUInt32BE(data.length, 1);
      }
      body = Buffer.concat([hdr, data]);
    }
    tail = offset;
    parts.push(prev, body);
    prevRaw = prev.length + body.length;
    offset += prevRaw;
  }
  const header = Buffer.alloc(ZL_HEADER);
  const total = offset + 1;
  header.writeUInt32LE(total, 0);
  header.writeUInt32LE(tail, 4);
  header.writeUInt16LE(Math.min(items.length, 0xffff), 8);
  return Buffer.concat([header, ...parts, Buffer.from([ZIP_END])]);
}
