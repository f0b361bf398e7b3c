// HyperLogLog values (hyperloglog.c): Redis's byte layout ("HYLL" header, sparse
// ZERO/XZERO/VAL opcodes, dense 6-bit registers, cached cardinality with its
// invalidation bit), MurmurHash64A with Redis's seed, and the Ertl estimator. Every
// step that shapes bytes follows Redis's order of operations, so a value built here
// is byte-identical to the one redis-server builds from the same commands.
//
// A value lives in the keyspace as a latin1 string; commands work on an `Hll`
// (a Buffer with spare room, like an sds) and store it back with toString().

/** Registers: 2^14, 6 bits each. */
export const HLL_P = 14;
export const HLL_Q = 64 - HLL_P;
export const HLL_REGISTERS = 1 << HLL_P;
const HLL_P_MASK = HLL_REGISTERS - 1;
const HLL_REGISTER_MAX = 63;
export const HLL_HDR_SIZE = 16;
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + ((HLL_REGISTERS * 6 + 7) >> 3);
export const HLL_DENSE = 0;
export const HLL_SPARSE = 1;
const HLL_MAX_ENCODING = 1;

const SPARSE_VAL_MAX_VALUE = 32;
const SPARSE_VAL_MAX_LEN = 4;
const SPARSE_ZERO_MAX_LEN = 64;
const SPARSE_XZERO_MAX_LEN = 16384;
/** 0.5 / ln(2), the estimator's alpha for m → ∞. */
const HLL_ALPHA_INF = 0.72134752044448170368;

const ENCODING_OFFSET = 4;
const CARD_OFFSET = 8;

/**
 * An HLL byte image. `buf` has room beyond `len`, and buf[len] is always 0: Redis's
 * parsers read one byte past an XZERO opcode or a last dense register, which in an
 * sds is the terminator, so the same reads here must see a zero too.
 */
export class Hll {
  constructor(
    public buf: Buffer,
    public len: number,
  ) {}

  /** createHLLObject: sparse, every register zero (one XZERO run), valid cached cardinality 0. */
  static create(): Hll {
    const h = new Hll(Buffer.alloc(64), HLL_HDR_SIZE);
    h.buf.write('HYLL', 0, 'latin1');
    h.buf[ENCODING_OFFSET] = HLL_SPARSE;
    let left = HLL_REGISTERS;
    let p = HLL_HDR_SIZE;
    while (left > 0) {
      const run = left < SPARSE_XZERO_MAX_LEN ? left : SPARSE_XZERO_MAX_LEN;
      setXzero(h.buf, p, run);
      p += 2;
      left -= run;
    }
    h.len = p;
    return h;
  }

  /** A stored value (already checked by isValidHll). */
  static fromString(s: string): Hll {
    const buf = Buffer.alloc(s.length + 16);
    buf.latin1Write(s, 0);
    return new Hll(buf, s.length);
  }

  toString(): string {
    return this.buf.latin1Slice(0, this.len);
  }

  get encoding(): number {
    return this.buf[ENCODING_OFFSET];
  }

  /** Makes room for `extra` more bytes (sdsMakeRoomFor). */
  reserve(extra: number): void {
    if (this.len + extra + 1 <= this.buf.length) return;
    const next = Buffer.alloc((this.len + extra + 1) * 2);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  /** sdsIncrLen: the length moves and the terminator follows it. */
  incrLen(delta: number): void {
    this.len += delta;
    this.buf[this.len] = 0;
  }

  invalidateCache(): void {
    this.buf[CARD_OFFSET + 7] |= 0x80;
  }
}

/** isHLLObjectOrReply's shape checks on a string value. */
export function isValidHll(s: string): boolean {
  if (s.length < HLL_HDR_SIZE) return false;
  if (s.charCodeAt(0) !== 0x48 || s.charCodeAt(1) !== 0x59 || s.charCodeAt(2) !== 0x4c || s.charCodeAt(3) !== 0x4c) return false;
  const enc = s.charCodeAt(ENCODING_OFFSET);
  if (enc > HLL_MAX_ENCODING) return false;
  return enc !== HLL_DENSE || s.length === HLL_DENSE_SIZE;
}

/** The cached cardinality of a stored value, or null when its invalidation bit is set. */
export function cachedCardinality(s: string): number | bigint | null {
  if ((s.charCodeAt(CARD_OFFSET + 7) & 0x80) !== 0) return null;
  let lo = 0;
  let hi = 0;
  for (let i = 3; i >= 0; i--) lo = lo * 256 + s.charCodeAt(CARD_OFFSET + i);
  for (let i = 7; i >= 4; i--) hi = hi * 256 + s.charCodeAt(CARD_OFFSET + i);
  if (hi < 0x200000) return hi * 0x100000000 + lo;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Writes the cardinality (a uint64) into the header, which also marks it valid. */
export function setCachedCardinality(h: Hll, card: bigint): void {
  h.buf.writeBigUInt64LE(card, CARD_OFFSET);
}

// ---------------------------------------------------------------------------
// MurmurHash64A on 64-bit values held as two uint32 halves.

let mulHi = 0;
let mulLo = 0;

/** (ah:al) * (bh:bl) mod 2^64 into mulHi:mulLo. */
function mul64(ah: number, al: number, bh: number, bl: number): void {
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const t00 = a0 * b0;
  // The 32x32 product's high word, exactly: every partial sum stays below 2^53.
  const carry = Math.floor((a1 * b0 + a0 * b1 + (t00 >>> 16)) / 65536);
  const high = a1 * b1 + carry;
  mulLo = Math.imul(al, bl) >>> 0;
  mulHi = (high + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
}

const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;
const HLL_SEED = 0xadc83b19;

/** The hash's halves after murmur64a(). */
export let hashHi = 0;
export let hashLo = 0;

/** MurmurHash64A as Redis has it (little-endian reads on every platform). */
export function murmur64a(data: Uint8Array, off: number, len: number, seed: number = HLL_SEED): void {
  mul64(0, len >>> 0, M_HI, M_LO);
  let hh = mulHi;
  let hl = (mulLo ^ seed) >>> 0;
  const end = off + (len - (len & 7));
  let p = off;
  while (p !== end) {
    let kl = (data[p] | (data[p + 1] << 8) | (data[p + 2] << 16) | (data[p + 3] << 24)) >>> 0;
    let kh = (data[p + 4] | (data[p + 5] << 8) | (data[p + 6] << 16) | (data[p + 7] << 24)) >>> 0;
    mul64(kh, kl, M_HI, M_LO);
    kh = mulHi;
    kl = mulLo;
    kl = (kl ^ (kh >>> 15)) >>> 0; // k ^= k >> 47
    mul64(kh, kl, M_HI, M_LO);
    hh = (hh ^ mulHi) >>> 0;
    hl = (hl ^ mulLo) >>> 0;
    mul64(hh, hl, M_HI, M_LO);
    hh = mulHi;
    hl = mulLo;
    p += 8;
  }
  const rest = len & 7;
  if (rest !== 0) {
    // The last 1..7 bytes, little-endian, into the high then low half.
    if (rest >= 7) hh ^= data[p + 6] << 16;
    if (rest >= 6) hh ^= data[p + 5] << 8;
    if (rest >= 5) hh ^= data[p + 4];
    if (rest >= 4) hl ^= data[p + 3] << 24;
    if (rest >= 3) hl ^= data[p + 2] << 16;
    if (rest >= 2) hl ^= data[p + 1] << 8;
    hl ^= data[p];
    mul64(hh >>> 0, hl >>> 0, M_HI, M_LO);
    hh = mulHi;
    hl = mulLo;
  }
  hl = (hl ^ (hh >>> 15)) >>> 0;
  mul64(hh, hl, M_HI, M_LO);
  hh = mulHi;
  hl = (mulLo ^ (mulHi >>> 15)) >>> 0;
  hashHi = hh;
  hashLo = hl;
}

/** The register patLen() chose. */
let patIndex = 0;

/** Count trailing zeros of a nonzero uint32. */
function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/**
 * hllPatLen: hashes the element, sets patIndex to its register (the low 14 bits)
 * and returns the length of the "000..1" run in the remaining 50 bits (1..51).
 */
export function patLen(data: Uint8Array, off: number, len: number): number {
  murmur64a(data, off, len);
  return patFromHash();
}

function patFromHash(): number {
  patIndex = hashLo & HLL_P_MASK;
  // hash >> 14, with bit 50 set so the run ends by then.
  const lo = ((hashLo >>> HLL_P) | (hashHi << (32 - HLL_P))) >>> 0;
  const hi = (hashHi >>> HLL_P) | (1 << (HLL_Q - 32));
  return lo !== 0 ? ctz32(lo) + 1 : 32 + ctz32(hi) + 1;
}

/** The register index of the last patLen() call. */
export function lastPatIndex(): number {
  return patIndex;
}

// ---------------------------------------------------------------------------
// Dense registers: 6 bits each, packed from the least significant bit up.

export function denseGet(b: Uint8Array, base: number, reg: number): number {
  const bit = reg * 6;
  const byte = base + (bit >>> 3);
  const fb = bit & 7;
  return ((b[byte] >> fb) | (b[byte + 1] << (8 - fb))) & HLL_REGISTER_MAX;
}

export function denseSetRaw(b: Uint8Array, base: number, reg: number, val: number): void {
  const bit = reg * 6;
  const byte = base + (bit >>> 3);
  const fb = bit & 7;
  const fb8 = 8 - fb;
  b[byte] = (b[byte] & ~(HLL_REGISTER_MAX << fb)) | (val << fb);
  b[byte + 1] = (b[byte + 1] & ~(HLL_REGISTER_MAX >> fb8)) | (val >> fb8);
}

/** hllDenseSet: raises the register to `count`; 1 when it changed. */
export function denseSet(b: Uint8Array, base: number, reg: number, count: number): number {
  if (count > denseGet(b, base, reg)) {
    denseSetRaw(b, base, reg, count);
    return 1;
  }
  return 0;
}

function denseHisto(b: Uint8Array, base: number, histo: Int32Array): void {
  // 16 registers in every 12 bytes.
  let r = base;
  for (let j = 0; j < HLL_REGISTERS / 16; j++) {
    const b0 = b[r], b1 = b[r + 1], b2 = b[r + 2], b3 = b[r + 3], b4 = b[r + 4], b5 = b[r + 5];
    const b6 = b[r + 6], b7 = b[r + 7], b8 = b[r + 8], b9 = b[r + 9], b10 = b[r + 10], b11 = b[r + 11];
    histo[b0 & 63]++;
    histo[((b0 >> 6) | (b1 << 2)) & 63]++;
    histo[((b1 >> 4) | (b2 << 4)) & 63]++;
    histo[(b2 >> 2) & 63]++;
    histo[b3 & 63]++;
    histo[((b3 >> 6) | (b4 << 2)) & 63]++;
    histo[((b4 >> 4) | (b5 << 4)) & 63]++;
    histo[(b5 >> 2) & 63]++;
    histo[b6 & 63]++;
    histo[((b6 >> 6) | (b7 << 2)) & 63]++;
    histo[((b7 >> 4) | (b8 << 4)) & 63]++;
    histo[(b8 >> 2) & 63]++;
    histo[b9 & 63]++;
    histo[((b9 >> 6) | (b10 << 2)) & 63]++;
    histo[((b10 >> 4) | (b11 << 4)) & 63]++;
    histo[(b11 >> 2) & 63]++;
    r += 12;
  }
}

// ---------------------------------------------------------------------------
// Sparse opcodes: 00xxxxxx ZERO (1..64 zero registers), 01xxxxxx yyyyyyyy XZERO
// (1..16384), 1vvvvvxx VAL (1..4 registers of value 1..32).

function isZero(op: number): boolean {
  return (op & 0xc0) === 0;
}
function isXzero(op: number): boolean {
  return (op & 0xc0) === 0x40;
}
function isVal(op: number): boolean {
  return (op & 0x80) !== 0;
}
function zeroLen(op: number): number {
  return (op & 0x3f) + 1;
}
function xzeroLen(b: Uint8Array, p: number): number {
  return (((b[p] & 0x3f) << 8) | b[p + 1]) + 1;
}
function valValue(op: number): number {
  return ((op >> 2) & 0x1f) + 1;
}
function valLen(op: number): number {
  return (op & 3) + 1;
}
function valOp(val: number, len: number): number {
  return (((val - 1) << 2) | (len - 1) | 0x80) & 0xff;
}
function setXzero(b: Uint8Array, p: number, len: number): void {
  const l = len - 1;
  b[p] = ((l >> 8) | 0x40) & 0xff;
  b[p + 1] = l & 0xff;
}

/**
 * hllSparseToDense: rewrites a sparse value as dense (header copied, cached
 * cardinality included). False, leaving it untouched, when the opcodes do not
 * cover exactly 16384 registers.
 */
export function sparseToDense(h: Hll): boolean {
  if (h.encoding === HLL_DENSE) return true;
  const src = h.buf;
  const dense = Buffer.alloc(HLL_DENSE_SIZE + 1);
  src.copy(dense, 0, 0, HLL_HDR_SIZE);
  dense[ENCODING_OFFSET] = HLL_DENSE;
  let idx = 0;
  let p = HLL_HDR_SIZE;
  const end = h.len;
  while (p < end) {
    const op = src[p];
    if (isZero(op)) {
      idx += zeroLen(op);
      p++;
    } else if (isXzero(op)) {
      idx += xzeroLen(src, p);
      p += 2;
    } else {
      let run = valLen(op);
      const v = valValue(op);
      // Redis (with the CVE-2025-32023 fix Debian ships) rejects any run past the last register.
      if (run + idx > HLL_REGISTERS) return false;
      while (run-- > 0) denseSetRaw(dense, HLL_HDR_SIZE, idx++, v);
      p++;
    }
  }
  if (idx !== HLL_REGISTERS) return false;
  h.buf = dense;
  h.len = HLL_DENSE_SIZE;
  return true;
}

const seq = new Uint8Array(5);

/**
 * hllSparseSet: raises register `index` to `count` in a sparse value, splitting
 * and re-merging opcodes exactly as Redis does, or promoting the value to dense
 * when `count` exceeds what VAL can hold or the result would pass `maxBytes`
 * (hll-sparse-max-bytes). 1: changed, 0: no change, -1: corrupt value.
 */
export function sparseSet(h: Hll, index: number, count: number, maxBytes: number): number {
  if (count > SPARSE_VAL_MAX_VALUE) return promote(h, index, count);
  // The worst split (XZERO → XZERO VAL XZERO) grows the value by 3 bytes.
  h.reserve(3);
  let b = h.buf;
  const sparse = HLL_HDR_SIZE;
  let p = sparse;
  let end = h.len;
  let first = 0;
  let prev = -1;
  let span = 0;
  while (p < end) {
    const op = b[p];
    let oplen = 1;
    if (isZero(op)) span = zeroLen(op);
    else if (isVal(op)) span = valLen(op);
    else {
      span = xzeroLen(b, p);
      oplen = 2;
    }
    if (index <= first + span - 1) break;
    prev = p;
    p += oplen;
    first += span;
  }
  if (span === 0 || p >= end) return -1;

  const op = b[p];
  let next = isXzero(op) ? p + 2 : p + 1;
  if (next >= end) next = -1;
  const opIsZero = isZero(op);
  const opIsXzero = !opIsZero && isXzero(op);
  const opIsVal = !opIsZero && !opIsXzero;
  const runlen = opIsZero ? zeroLen(op) : opIsXzero ? xzeroLen(b, p) : valLen(op);

  let simple = false;
  if (opIsVal) {
    if (valValue(op) >= count) return 0;
    if (runlen === 1) {
      b[p] = valOp(count, 1);
      simple = true;
    }
  }
  if (!simple && opIsZero && runlen === 1) {
    b[p] = valOp(count, 1);
    simple = true;
  }

  if (!simple) {
    // Split the opcode covering `index` into up to three.
    let n = 0;
    const last = first + span - 1;
    if (opIsZero || opIsXzero) {
      if (index !== first) {
        const len = index - first;
        if (len > SPARSE_ZERO_MAX_LEN) {
          setXzero(seq, n, len);
          n += 2;
        } else seq[n++] = len - 1;
      }
      seq[n++] = valOp(count, 1);
      if (index !== last) {
        const len = last - index;
        if (len > SPARSE_ZERO_MAX_LEN) {
          setXzero(seq, n, len);
          n += 2;
        } else seq[n++] = len - 1;
      }
    } else {
      const cur = valValue(op);
      if (index !== first) seq[n++] = valOp(cur, index - first);
      seq[n++] = valOp(count, 1);
      if (index !== last) seq[n++] = valOp(cur, last - index);
    }
    const oldlen = opIsXzero ? 2 : 1;
    const delta = n - oldlen;
    if (delta > 0 && h.len + delta > maxBytes) return promote(h, index, count);
    if (delta !== 0 && next !== -1) b.copyWithin(next + delta, next, end);
    h.incrLen(delta);
    b = h.buf;
    for (let i = 0; i < n; i++) b[p + i] = seq[i];
    end += delta;
  }

  // Merge adjacent VAL opcodes of equal value around the change (up to 5 opcodes from prev).
  p = prev >= 0 ? prev : sparse;
  let scan = 5;
  while (p < end && scan-- > 0) {
    const o = b[p];
    if (isXzero(o)) {
      p += 2;
      continue;
    } else if (isZero(o)) {
      p++;
      continue;
    }
    if (p + 1 < end && isVal(b[p + 1])) {
      const v1 = valValue(o);
      const v2 = valValue(b[p + 1]);
      if (v1 === v2) {
        const len = valLen(o) + valLen(b[p + 1]);
        if (len <= SPARSE_VAL_MAX_LEN) {
          b[p + 1] = valOp(v1, len);
          b.copyWithin(p, p + 1, end);
          h.incrLen(-1);
          end--;
          continue;
        }
      }
    }
    p++;
  }
  h.invalidateCache();
  return 1;
}

function promote(h: Hll, index: number, count: number): number {
  if (!sparseToDense(h)) return -1;
  // A promotion always comes with a register update.
  denseSet(h.buf, HLL_HDR_SIZE, index, count);
  return 1;
}

/** hllAdd: 1 when a register changed, 0 if not, -1 for a corrupt value. */
export function hllAdd(h: Hll, data: Uint8Array, off: number, len: number, maxBytes: number): number {
  const count = patLen(data, off, len);
  return hllSet(h, patIndex, count, maxBytes);
}

/** Raises one register in either encoding. */
export function hllSet(h: Hll, index: number, count: number, maxBytes: number): number {
  const enc = h.encoding;
  if (enc === HLL_DENSE) return denseSet(h.buf, HLL_HDR_SIZE, index, count);
  if (enc === HLL_SPARSE) return sparseSet(h, index, count, maxBytes);
  return -1;
}

/** Element bytes for hashing, reused across calls. */
const scratch = { buf: Buffer.alloc(256) };

/** Adds a latin1 string element (one char per byte). */
export function hllAddString(h: Hll, ele: string, maxBytes: number): number {
  const n = ele.length;
  if (scratch.buf.length < n) scratch.buf = Buffer.alloc(n * 2);
  scratch.buf.latin1Write(ele, 0);
  return hllAdd(h, scratch.buf, 0, n, maxBytes);
}

// ---------------------------------------------------------------------------
// Cardinality.

/** Sparse histogram; returns false when the runs do not cover exactly 16384 registers. */
function sparseHisto(b: Uint8Array, start: number, end: number, histo: Int32Array): boolean {
  let idx = 0;
  let p = start;
  while (p < end) {
    const op = b[p];
    if (isZero(op)) {
      const run = zeroLen(op);
      idx += run;
      histo[0] += run;
      p++;
    } else if (isXzero(op)) {
      const run = xzeroLen(b, p);
      idx += run;
      histo[0] += run;
      p += 2;
    } else {
      const run = valLen(op);
      idx += run;
      histo[valValue(op)] += run;
      p++;
    }
  }
  return idx === HLL_REGISTERS;
}

/** Ertl's sigma. */
function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  let zPrev: number;
  do {
    x *= x;
    zPrev = z;
    z += x * y;
    y += y;
  } while (zPrev !== z);
  return z;
}

/** Ertl's tau. */
function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  let zPrev: number;
  do {
    x = Math.sqrt(x);
    zPrev = z;
    y *= 0.5;
    const d = 1 - x;
    z -= d * d * y;
  } while (zPrev !== z);
  return z / 3;
}

/**
 * The estimate from a register histogram, as a uint64 (hllCount). Out-of-range
 * estimates (all registers saturated) become 2^63, what x86's llroundl yields.
 */
export function estimate(histo: Int32Array): bigint {
  const m = HLL_REGISTERS;
  let z = m * tau((m - histo[HLL_Q + 1]) / m);
  for (let j = HLL_Q; j >= 1; --j) {
    z += histo[j];
    z *= 0.5;
  }
  z += m * sigma(histo[0] / m);
  const e = Math.round((HLL_ALPHA_INF * m * m) / z);
  if (!(e < 2 ** 63)) return 1n << 63n;
  return BigInt(e);
}

/** Cardinality of a value in either encoding; null for a corrupt sparse value. */
export function hllCount(h: Hll): bigint | null {
  const histo = new Int32Array(64);
  if (h.encoding === HLL_DENSE) denseHisto(h.buf, HLL_HDR_SIZE, histo);
  else if (!sparseHisto(h.buf, HLL_HDR_SIZE, h.len, histo)) return null;
  return estimate(histo);
}

/** Cardinality of one byte per register (the multi-key PFCOUNT union). */
export function rawCount(registers: Uint8Array): bigint {
  const histo = new Int32Array(64);
  for (let i = 0; i < HLL_REGISTERS; i++) histo[registers[i]]++;
  return estimate(histo);
}

/** hllMerge: max[i] = max(max[i], register i); false for a corrupt sparse value. */
export function hllMerge(max: Uint8Array, h: Hll): boolean {
  const b = h.buf;
  if (h.encoding === HLL_DENSE) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const v = denseGet(b, HLL_HDR_SIZE, i);
      if (v > max[i]) max[i] = v;
    }
    return true;
  }
  let i = 0;
  let p = HLL_HDR_SIZE;
  const end = h.len;
  while (p < end) {
    const op = b[p];
    if (isZero(op)) {
      i += zeroLen(op);
      p++;
    } else if (isXzero(op)) {
      i += xzeroLen(b, p);
      p += 2;
    } else {
      let run = valLen(op);
      const v = valValue(op);
      if (run + i > HLL_REGISTERS) return false;
      while (run-- > 0) {
        if (v > max[i]) max[i] = v;
        i++;
      }
      p++;
    }
  }
  return i === HLL_REGISTERS;
}

/** PFDEBUG DECODE's text: "z:<n>", "Z:<n>", "v:<value>,<n>" separated by spaces. */
export function decodeSparse(h: Hll): string {
  const b = h.buf;
  const parts: string[] = [];
  let p = HLL_HDR_SIZE;
  while (p < h.len) {
    const op = b[p];
    if (isZero(op)) {
      parts.push(`z:${zeroLen(op)}`);
      p++;
    } else if (isXzero(op)) {
      parts.push(`Z:${xzeroLen(b, p)}`);
      p += 2;
    } else {
      parts.push(`v:${valValue(op)},${valLen(op)}`);
      p++;
    }
  }
  return parts.join(' ');
}

// ---------------------------------------------------------------------------
// PFSELFTEST.

/**
 * Redis's self test: register packing round trips, then estimate error bounds and
 * dense/sparse agreement for 1..10^7 elements. Null on success, else the error.
 */
export function selfTest(maxBytes: number): string | null {
  const dense = Buffer.alloc(HLL_DENSE_SIZE + 1);
  const bytes = new Uint8Array(HLL_REGISTERS);
  for (let cycle = 0; cycle < 1000; cycle++) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const r = (Math.random() * 64) | 0;
      bytes[i] = r;
      denseSetRaw(dense, HLL_HDR_SIZE, i, r);
    }
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const v = denseGet(dense, HLL_HDR_SIZE, i);
      if (v !== bytes[i]) return `TESTFAILED Register ${i} should be ${bytes[i]} but is ${v}`;
    }
  }

  dense.fill(0, HLL_HDR_SIZE);
  dense[ENCODING_OFFSET] = HLL_DENSE;
  const denseHll = new Hll(dense, HLL_DENSE_SIZE);
  const o = Hll.create();
  const relerr = 1.04 / Math.sqrt(HLL_REGISTERS);
  let checkpoint = 1;
  const seedLo = (Math.random() * 0x100000000) >>> 0;
  const seedHi = (Math.random() * 0x100000000) >>> 0;
  const ele = new Uint8Array(8);
  const view = new DataView(ele.buffer);
  for (let j = 1; j <= 10_000_000; j++) {
    view.setUint32(0, (j ^ seedLo) >>> 0, true);
    view.setUint32(4, seedHi, true);
    const count = patLen(ele, 0, 8);
    denseSet(dense, HLL_HDR_SIZE, patIndex, count);
    hllSet(o, patIndex, count, maxBytes);
    if (j === checkpoint) {
      if (j < maxBytes / 2 && o.encoding !== HLL_SPARSE) return 'TESTFAILED sparse encoding not used';
      const dc = hllCount(denseHll) as bigint;
      if (dc !== hllCount(o)) return 'TESTFAILED dense/sparse disagree';
      let maxerr = Math.ceil(relerr * 6 * checkpoint);
      if (j === 10) maxerr = 1;
      const abserr = Math.abs(checkpoint - Number(dc));
      if (abserr > maxerr) return `TESTFAILED Too big error. card:${checkpoint} abserr:${abserr}`;
      checkpoint *= 10;
    }
  }
  return null;
}
