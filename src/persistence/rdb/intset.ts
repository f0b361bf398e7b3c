// Intset decode/encode (intset.c), RDB type 11: uint32 LE element width (2, 4 or
// 8 bytes), uint32 LE count, then the integers little endian in strictly
// ascending order.
//
// API: `decodeIntset(buf, start, end)` → decimal strings in ascending order, or
// null when intsetValidateIntegrity(deep=1) would fail (bad width, size mismatch,
// empty, duplicates or disorder); `encodeIntset(values)` sorts, picks the
// narrowest width and throws on duplicates or non-integers.

import { lpStringToInt } from './listpack.js';

export function decodeIntset(buf: Buffer, start: number, end: number): string[] | null {
  const size = end - start;
  if (size < 8) return null;
  const width = buf.readUInt32LE(start);
  if (width !== 2 && width !== 4 && width !== 8) return null;
  const count = buf.readUInt32LE(start + 4);
  if (8 + count * width !== size) return null;
  if (count === 0) return null;
  const out = new Array<string>(count);
  let p = start + 8;
  if (width === 8) {
    let prev: bigint | null = null;
    for (let i = 0; i < count; i++, p += 8) {
      const v = buf.readBigInt64LE(p);
      if (prev !== null && v <= prev) return null;
      prev = v;
      out[i] = v.toString();
    }
  } else {
    let prev = -Infinity;
    for (let i = 0; i < count; i++, p += width) {
      const v = width === 2 ? buf.readInt16LE(p) : buf.readInt32LE(p);
      if (v <= prev) return null;
      prev = v;
      out[i] = String(v);
    }
  }
  return out;
}

export function encodeIntset(values: Iterable<string>): Buffer {
  const nums: bigint[] = [];
  for (const s of values) {
    const v = lpStringToInt(s);
    if (v === null) throw new TypeError(`intset member is not an integer: ${s}`);
    nums.push(BigInt(v));
  }
  nums.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let width = 2;
  for (const v of nums) {
    if (v < -2147483648n || v > 2147483647n) {
      width = 8;
      break;
    }
    if (v < -32768n || v > 32767n) width = 4;
  }
  const buf = Buffer.allocUnsafe(8 + nums.length * width);
  buf.writeUInt32LE(width, 0);
  buf.writeUInt32LE(nums.length, 4);
  let p = 8;
  for (let i = 0; i < nums.length; i++, p += width) {
    if (i > 0 && nums[i] === nums[i - 1]) throw new TypeError('intset members must be distinct');
    if (width === 2) buf.writeInt16LE(Number(nums[i]), p);
    else if (width === 4) buf.writeInt32LE(Number(nums[i]), p);
    else buf.writeBigInt64LE(nums[i], p);
  }
  return buf;
}
