// Bitmap commands on string values (bitops.c): SETBIT GETBIT BITCOUNT BITPOS
// BITOP BITFIELD BITFIELD_RO. Bit 0 is the most significant bit of byte 0.

import { int64Arg } from './args.js';
import { Errors } from '../protocol/errors.js';
import { parseInt64, toNumber, type Int64 } from '../util/int64.js';
import type { Client } from '../server/client.js';
import { notify, Notify } from '../server/keyspace-events.js';
import type { CommandSpec } from './types.js';
import { MAX_JS_STRING } from './string.js';


const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1];

/**
 * getBitOffsetFromArgument: a bit offset below 8 * proto-max-bulk-len, optionally
 * "#n" meaning n * bits (BITFIELD). Null after replying the error.
 */
function parseBitOffset(c: Client, arg: string, hash: boolean, bits: number): number | null {
  const useHash = hash && bits > 0 && arg.charCodeAt(0) === 35; /* # */
  let v: Int64 | null = parseInt64(useHash ? arg.slice(1) : arg);
  if (v === null) {
    c.error(Errors.bitOffset);
    return null;
  }
  // The C multiplication wraps around on overflow.
  if (useHash) v = BigInt.asIntN(64, BigInt(v) * BigInt(bits));
  if (v < 0 || (!c.isMaster && (typeof v === 'bigint' ? v >> 3n : Math.floor(v / 8)) >= c.server.config.num('proto-max-bulk-len'))) {
    c.error(Errors.bitOffset);
    return null;
  }
  return toNumber(v);
}

/** A string of `bytes` bytes cannot be built in JS: reply as if proto-max-bulk-len were that low. */
function tooBigForJs(c: Client, bytes: number): boolean {
  if (bytes <= MAX_JS_STRING) return false;
  c.error(Errors.bitOffset);
  return true;
}

/** Ranges shorter than this are read straight from the string. */
const SMALL_RANGE = 256;
/** Scratch buffers up to this size are kept for reuse; bigger ones are one-shot. */
const SCRATCH_KEEP = 8 * 1024 * 1024;
let scratch = Buffer.allocUnsafeSlow(64 * 1024);
let scratchWords = new Uint32Array(scratch.buffer, 0, scratch.length >>> 2);

/**
 * A buffer (byteOffset 0, so 32-bit views align) of at least len bytes holding
 * s[from...] and zeros after it up to len. Reused between calls: copy out what must survive.
 */
function bytesOf(s: string, from: number, len: number): Buffer {
  let buf = scratch;
  if (len > buf.length) {
    buf = Buffer.allocUnsafeSlow(len + 3);
    if (len <= SCRATCH_KEEP) {
      scratch = buf;
      scratchWords = new Uint32Array(buf.buffer, 0, buf.length >>> 2);
    }
  }
  const n = Math.min(len, s.length - from);
  if (n > 0) buf.latin1Write(from === 0 && n === s.length ? s : s.slice(from, from + n), 0, n);
  buf.fill(0, Math.max(n, 0), len);
  return buf;
}

function wordsOf(buf: Buffer): Uint32Array {
  return buf === scratch ? scratchWords : new Uint32Array(buf.buffer, 0, buf.length >>> 2);
}

function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** s with byte i set to v, zero-padded as needed. */
function withByte(s: string, i: number, v: number): string {
  const len = Math.max(s.length, i + 1);
  if (len < SMALL_RANGE) {
    const pad = i > s.length ? '\0'.repeat(i - s.length) : '';
    return s.slice(0, i) + pad + String.fromCharCode(v) + s.slice(i + 1);
  }
  // One copy through a buffer: cheaper than flattening a rope of slices later.
  const buf = bytesOf(s, 0, len);
  buf[i] = v;
  return buf.latin1Slice(0, len);
}

/** SETBIT key offset value */
function setbit(c: Client, argv: string[]): void {
  const offset = parseBitOffset(c, argv[2], false, 0);
  if (offset === null) return;
  const on = parseInt64(argv[3]);
  if (on === null || (on !== 0 && on !== 1)) {
    c.error(Errors.bitValue);
    return;
  }
  const key = argv[1];
  const db = c.db;
  const o = db.get(key);
  if (o !== undefined && typeof o !== 'string') {
    c.error(Errors.wrongType);
    return;
  }
  const byte = Math.floor(offset / 8);
  const s = o === undefined ? '' : o;
  const grow = o === undefined || s.length < byte + 1;
  if (grow && tooBigForJs(c, byte + 1)) return;
  const shift = 7 - (offset % 8);
  const byteval = byte < s.length ? s.charCodeAt(byte) : 0;
  const bitval = (byteval >> shift) & 1;
  if (grow || bitval !== on) {
    const nb = (byteval & ~(1 << shift)) | (on << shift);
    db.setBuiltInPlace(key, withByte(s, byte, nb));
    notify(c, Notify.string, 'setbit', key);
    c.server.dirty++;
  }
  c.int(bitval);
}

/** GETBIT key offset */
function getbit(c: Client, argv: string[]): void {
  const offset = parseBitOffset(c, argv[2], false, 0);
  if (offset === null) return;
  const o = c.db.getRead(argv[1]);
  if (o === undefined) {
    c.int(0);
    return;
  }
  if (typeof o !== 'string') {
    c.error(Errors.wrongType);
    return;
  }
  const byte = Math.floor(offset / 8);
  c.int(byte < o.length ? (o.charCodeAt(byte) >> (7 - (offset % 8))) & 1 : 0);
}

/** Bits set in bytes [from, to] of s. */
function popcount(s: string, from: number, to: number): number {
  let n = 0;
  const len = to - from + 1;
  if (len < SMALL_RANGE) {
    for (let i = from; i <= to; i++) n += POPCOUNT[s.charCodeAt(i)];
    return n;
  }
  const buf = bytesOf(s, from, len);
  const words = wordsOf(buf);
  const nw = len >>> 2;
  for (let i = 0; i < nw; i++) n += popcount32(words[i]);
  for (let i = nw * 4; i < len; i++) n += POPCOUNT[buf[i]];
  return n;
}

/** BITCOUNT key [start end [BYTE | BIT]] */
function bitcount(c: Client, argv: string[]): void {
  const o = c.db.getRead(argv[1]);
  if (o === undefined) {
    c.int(0);
    return;
  }
  if (typeof o !== 'string') {
    c.error(Errors.wrongType);
    return;
  }
  const len = o.length;
  let start: number;
  let end: number;
  let firstMask = 0;
  let lastMask = 0;
  if (argv.length === 4 || argv.length === 5) {
    const s0 = int64Arg(c, argv[2]);
    if (s0 === null) return;
    const e0 = int64Arg(c, argv[3]);
    if (e0 === null) return;
    if (s0 < 0 && e0 < 0 && s0 > e0) {
      c.int(0);
      return;
    }
    let isbit = false;
    if (argv.length === 5) {
      const unit = argv[4].toLowerCase();
      if (unit === 'bit') isbit = true;
      else if (unit !== 'byte') {
        c.error(Errors.syntax);
        return;
      }
    }
    const totlen = isbit ? len * 8 : len;
    start = toNumber(s0);
    end = toNumber(e0);
    if (start < 0) start = totlen + start;
    if (end < 0) end = totlen + end;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= totlen) end = totlen - 1;
    if (isbit && start <= end) {
      // Bits of the edge bytes outside the range.
      firstMask = ~((1 << (8 - (start & 7))) - 1) & 0xff;
      lastMask = (1 << (7 - (end & 7))) - 1;
      start = Math.floor(start / 8);
      end = Math.floor(end / 8);
    }
  } else if (argv.length === 2) {
    start = 0;
    end = len - 1;
  } else {
    c.error(Errors.syntax);
    return;
  }
  if (start > end) {
    c.int(0);
    return;
  }
  let count = popcount(o, start, end);
  if (firstMask !== 0) count -= POPCOUNT[o.charCodeAt(start) & firstMask];
  if (lastMask !== 0) count -= POPCOUNT[o.charCodeAt(end) & lastMask];
  c.int(count);
}

/** First bit equal to `bit` within bits [from, to] of s, or -1. */
function findBit(s: string, from: number, to: number, bit: number): number {
  const skip = bit ? 0 : 0xff;
  let pos = from;
  // Partial first byte and a short stretch straight from the string.
  const quickEnd = Math.min(to, from + SMALL_RANGE * 8);
  while (pos <= quickEnd) {
    const v = s.charCodeAt(pos >>> 3);
    if ((pos & 7) === 0 && pos + 7 <= to && v === skip) {
      pos += 8;
      continue;
    }
    if (((v >> (7 - (pos & 7))) & 1) === bit) return pos;
    pos++;
  }
  if (pos > to) return -1;
  // A long range: skip whole 32-bit words that cannot hold the bit.
  const firstByte = pos >>> 3; // pos is byte aligned here
  const lastByte = Math.floor(to / 8);
  const len = lastByte - firstByte + 1;
  const buf = bytesOf(s, firstByte, len);
  const words = wordsOf(buf);
  const skipWord = bit ? 0 : 0xffffffff;
  const nw = len >>> 2;
  let i = 0;
  while (i < nw && words[i] === skipWord) i++;
  pos = (firstByte + i * 4) * 8;
  while (pos <= to) {
    const v = buf[(pos >>> 3) - firstByte];
    if ((pos & 7) === 0 && pos + 7 <= to && v === skip) {
      pos += 8;
      continue;
    }
    if (((v >> (7 - (pos & 7))) & 1) === bit) return pos;
    pos++;
  }
  return -1;
}

/** BITPOS key bit [start [end [BYTE | BIT]]] */
function bitpos(c: Client, argv: string[]): void {
  const bit = int64Arg(c, argv[2]);
  if (bit === null) return;
  if (bit !== 0 && bit !== 1) {
    c.error(Errors.theBitArgumentMustBe1Or);
    return;
  }
  const o = c.db.getRead(argv[1]);
  if (o === undefined) {
    // A missing key is an endless run of zeros.
    c.int(bit ? -1 : 0);
    return;
  }
  if (typeof o !== 'string') {
    c.error(Errors.wrongType);
    return;
  }
  const len = o.length;
  const argc = argv.length;
  let isbit = false;
  let endGiven = false;
  let start: number;
  let end: number;
  if (argc >= 4 && argc <= 6) {
    const s0 = int64Arg(c, argv[3]);
    if (s0 === null) return;
    if (argc === 6) {
      const unit = argv[5].toLowerCase();
      if (unit === 'bit') isbit = true;
      else if (unit !== 'byte') {
        c.error(Errors.syntax);
        return;
      }
    }
    let e0: Int64;
    if (argc >= 5) {
      const e = int64Arg(c, argv[4]);
      if (e === null) return;
      e0 = e;
      endGiven = true;
    } else {
      e0 = isbit ? len * 8 + 7 : len - 1;
    }
    const totlen = isbit ? len * 8 : len;
    start = toNumber(s0);
    end = toNumber(e0);
    if (start < 0) start = totlen + start;
    if (end < 0) end = totlen + end;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= totlen) end = totlen - 1;
  } else if (argc === 3) {
    start = 0;
    end = len - 1;
  } else {
    c.error(Errors.syntax);
    return;
  }
  if (start > end) {
    c.int(-1);
    return;
  }
  const from = isbit ? start : start * 8;
  const to = isbit ? end : end * 8 + 7;
  const pos = findBit(o, from, to, bit);
  if (pos !== -1) c.int(pos);
  // No clear bit in range: without an explicit end the string counts as zero-padded.
  else c.int(bit === 1 || endGiven ? -1 : to + 1);
}

const OP_AND = 0;
const OP_OR = 1;
const OP_XOR = 2;
const OP_NOT = 3;

/** BITOP <AND | OR | XOR | NOT> destkey key [key ...] */
function bitop(c: Client, argv: string[]): void {
  const name = argv[1].toLowerCase();
  let op: number;
  if (name === 'and') op = OP_AND;
  else if (name === 'or') op = OP_OR;
  else if (name === 'xor') op = OP_XOR;
  else if (name === 'not') op = OP_NOT;
  else {
    c.error(Errors.syntax);
    return;
  }
  if (op === OP_NOT && argv.length !== 4) {
    c.error(Errors.bitopNotMustBeCalledWithA);
    return;
  }
  const db = c.db;
  const n = argv.length - 3;
  const srcs: string[] = new Array<string>(n);
  let maxlen = 0;
  for (let j = 0; j < n; j++) {
    const o = db.getRead(argv[j + 3]);
    if (o === undefined) {
      srcs[j] = '';
      continue;
    }
    if (typeof o !== 'string') {
      c.error(Errors.wrongType);
      return;
    }
    srcs[j] = o;
    if (o.length > maxlen) maxlen = o.length;
  }
  const target = argv[2];
  if (maxlen === 0) {
    if (db.delete(target)) {
      notify(c, Notify.generic, 'del', target);
      c.server.dirty++;
    }
    c.int(0);
    return;
  }
  const res = bytesOf(srcs[0], 0, maxlen);
  if (op === OP_NOT) {
    for (let i = 0; i < maxlen; i++) res[i] = ~res[i] & 0xff;
  } else {
    for (let j = 1; j < n; j++) {
      const s = srcs[j];
      const l = s.length;
      if (op === OP_AND) {
        for (let i = 0; i < l; i++) res[i] &= s.charCodeAt(i);
        if (l < maxlen) res.fill(0, l, maxlen);
      } else if (op === OP_OR) {
        for (let i = 0; i < l; i++) res[i] |= s.charCodeAt(i);
      } else {
        for (let i = 0; i < l; i++) res[i] ^= s.charCodeAt(i);
      }
    }
  }
  db.setBuiltInPlace(target, res.latin1Slice(0, maxlen), false);
  notify(c, Notify.string, 'set', target);
  c.server.dirty++;
  c.int(maxlen);
}

const BF_GET = 0;
const BF_SET = 1;
const BF_INCRBY = 2;
const OW_WRAP = 0;
const OW_SAT = 1;
const OW_FAIL = 2;

interface BitfieldOp {
  offset: number;
  value: bigint;
  opcode: number;
  owtype: number;
  bits: number;
  signed: boolean;
}

/** getBitfieldTypeFromArgument: "i1".."i64" or "u1".."u63"; bits, negated for signed; 0 after an error. */
function parseBitfieldType(c: Client, arg: string): number {
  const sign = arg.charCodeAt(0);
  if (sign !== 105 /* i */ && sign !== 117 /* u */) {
    c.error(Errors.bitfieldType);
    return 0;
  }
  // The C code reads the width as a NUL-terminated string.
  let digits = arg.slice(1);
  const nul = digits.indexOf('\0');
  if (nul !== -1) digits = digits.slice(0, nul);
  const bits = parseInt64(digits);
  if (bits === null || bits < 1 || (sign === 105 && bits > 64) || (sign === 117 && bits > 63)) {
    c.error(Errors.bitfieldType);
    return 0;
  }
  return sign === 105 ? -toNumber(bits) : toNumber(bits);
}

/** Reads `bits` bits at bit `offset` as an unsigned value; bytes at or past len read as zero. */
function readBits(src: Buffer | string | null, len: number, offset: number, bits: number): bigint {
  if (src === null) return 0n;
  const first = Math.floor(offset / 8);
  const last = Math.floor((offset + bits - 1) / 8);
  let acc = 0n;
  for (let i = first; i <= last; i++) {
    const b = i < len ? (typeof src === 'string' ? src.charCodeAt(i) : src[i]) : 0;
    acc = (acc << 8n) | BigInt(b);
  }
  const tail = (last - first + 1) * 8 - (offset % 8) - bits;
  return BigInt.asUintN(bits, acc >> BigInt(tail));
}

/** Writes the low `bits` bits of value at bit `offset` (the buffer covers them). */
function writeBits(buf: Buffer, offset: number, bits: number, value: bigint): void {
  for (let j = 0; j < bits; j++) {
    const bitval = Number((value >> BigInt(bits - 1 - j)) & 1n);
    const pos = offset + j;
    const byte = Math.floor(pos / 8);
    const shift = 7 - (pos % 8);
    buf[byte] = (buf[byte] & ~(1 << shift)) | (bitval << shift);
  }
}

function bitfieldGeneric(c: Client, argv: string[], readonlyCmd: boolean): void {
  const ops: BitfieldOp[] = [];
  let owtype = OW_WRAP;
  let readonly = true;
  let highest = 0;
  for (let j = 2; j < argv.length; j++) {
    const remargs = argv.length - j - 1;
    const sub = argv[j].toLowerCase();
    let opcode: number;
    if (sub === 'get' && remargs >= 2) opcode = BF_GET;
    else if (sub === 'set' && remargs >= 3) opcode = BF_SET;
    else if (sub === 'incrby' && remargs >= 3) opcode = BF_INCRBY;
    else if (sub === 'overflow' && remargs >= 1) {
      const t = argv[++j].toLowerCase();
      if (t === 'wrap') owtype = OW_WRAP;
      else if (t === 'sat') owtype = OW_SAT;
      else if (t === 'fail') owtype = OW_FAIL;
      else {
        c.error(Errors.invalidOverflowTypeSpecified);
        return;
      }
      continue;
    } else {
      c.error(Errors.syntax);
      return;
    }
    const typed = parseBitfieldType(c, argv[j + 1]);
    if (typed === 0) return;
    const bits = typed < 0 ? -typed : typed;
    const offset = parseBitOffset(c, argv[j + 2], true, bits);
    if (offset === null) return;
    let value = 0n;
    if (opcode !== BF_GET) {
      readonly = false;
      if (highest < offset + bits - 1) highest = offset + bits - 1;
      const v = int64Arg(c, argv[j + 3]);
      if (v === null) return;
      value = BigInt(v);
    }
    ops.push({ offset, value, opcode, owtype, bits, signed: typed < 0 });
    j += opcode === BF_GET ? 2 : 3;
  }

  const key = argv[1];
  const db = c.db;
  let src: string | null = null;
  let buf: Buffer | null = null;
  let bufLen = 0;
  let grown = false;
  if (readonly) {
    const o = db.getRead(key);
    if (o !== undefined) {
      if (typeof o !== 'string') {
        c.error(Errors.wrongType);
        return;
      }
      src = o;
    }
  } else {
    if (readonlyCmd) {
      c.error(Errors.bitfieldRoOnlySupportsTheGetSubcommand);
      return;
    }
    // lookupStringForBitCommand: create or zero-pad up to the farthest bit written.
    const o = db.get(key);
    if (o !== undefined && typeof o !== 'string') {
      c.error(Errors.wrongType);
      return;
    }
    const need = Math.floor(highest / 8) + 1;
    const old = o === undefined ? '' : o;
    grown = o === undefined || old.length < need;
    if (grown && tooBigForJs(c, need)) return;
    buf = bytesOf(old, 0, grown ? need : old.length);
    bufLen = grown ? need : old.length;
  }

  c.arrayLen(ops.length);
  let changes = 0;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    const bits = op.bits;
    if (op.opcode === BF_GET) {
      const u = buf !== null ? readBits(buf, bufLen, op.offset, bits) : readBits(src, src === null ? 0 : src.length, op.offset, bits);
      c.int(op.signed ? BigInt.asIntN(bits, u) : u);
      continue;
    }
    const w = buf as Buffer;
    const oldU = readBits(w, bufLen, op.offset, bits);
    let oldval: bigint;
    let target: bigint;
    let max: bigint;
    let min: bigint;
    if (op.signed) {
      oldval = BigInt.asIntN(bits, oldU);
      max = (1n << BigInt(bits - 1)) - 1n;
      min = -max - 1n;
      target = op.opcode === BF_INCRBY ? oldval + op.value : op.value;
    } else {
      oldval = oldU;
      max = (1n << BigInt(bits)) - 1n;
      min = 0n;
      // SET takes the value as the C uint64_t cast of the argument: -1 is huge, not below 0.
      target = op.opcode === BF_INCRBY ? oldval + op.value : BigInt.asUintN(64, op.value);
    }
    const overflow = target > max ? 1 : target < min ? -1 : 0;
    let newval = target;
    if (overflow !== 0) {
      if (op.owtype === OW_FAIL) {
        c.nullBulk();
        continue;
      }
      if (op.owtype === OW_SAT) newval = overflow > 0 ? max : min;
      else newval = op.signed ? BigInt.asIntN(bits, target) : BigInt.asUintN(bits, target);
    }
    c.int(op.opcode === BF_INCRBY ? newval : oldval);
    writeBits(w, op.offset, bits, BigInt.asUintN(bits, newval));
    if (grown || oldval !== newval) changes++;
  }

  if (buf !== null && (changes > 0 || grown)) {
    // Zero padding stays even when every write failed (then nothing is counted as dirty).
    db.setBuiltInPlace(key, buf.latin1Slice(0, bufLen));
    if (changes > 0) notify(c, Notify.string, 'setbit', key);
    c.server.dirty += changes;
  }
}

/** BITFIELD key [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>] <SET encoding offset value | INCRBY encoding offset increment> ...] */
function bitfield(c: Client, argv: string[]): void {
  bitfieldGeneric(c, argv, false);
}

/** BITFIELD_RO key [GET encoding offset ...] */
function bitfieldRo(c: Client, argv: string[]): void {
  bitfieldGeneric(c, argv, true);
}

export const bitmapCommands: CommandSpec[] = [
  { name: 'setbit', arity: 4, flags: ['write', 'denyoom'], group: 'bitmap', handler: setbit, keys: [1, 1, 1] },
  { name: 'getbit', arity: 3, flags: ['readonly', 'fast'], group: 'bitmap', handler: getbit, keys: [1, 1, 1] },
  { name: 'bitcount', arity: -2, flags: ['readonly'], group: 'bitmap', handler: bitcount, keys: [1, 1, 1] },
  { name: 'bitpos', arity: -3, flags: ['readonly'], group: 'bitmap', handler: bitpos, keys: [1, 1, 1] },
  { name: 'bitop', arity: -4, flags: ['write', 'denyoom'], group: 'bitmap', handler: bitop, keys: [2, -1, 1] },
  { name: 'bitfield', arity: -2, flags: ['write', 'denyoom'], group: 'bitmap', handler: bitfield, keys: [1, 1, 1] },
  { name: 'bitfield_ro', arity: -2, flags: ['readonly', 'fast'], group: 'bitmap', handler: bitfieldRo, keys: [1, 1, 1] },
];
