// CRC-64/Jones as Redis computes it (crc64.c): reflected polynomial
// 0xad93d23594c935a9, initial value 0, no final xor. Used for the RDB trailer
// and DUMP payloads. The 64-bit state is kept as two uint32 halves and the
// bytes are consumed eight at a time (slicing-by-8 tables) for throughput.
//
// API: `crc64(buf, start?, end?)` → bigint for a one-shot sum; `Crc64` for an
// incremental one (`update(buf, start, end)`, `value` bigint, `writeLE(buf, off)`).

const POLY_REFLECTED = 0x95ac9329ac4bc9b5n;

// TL[k*256 + b] / TH[k*256 + b]: slicing-by-8 tables (k = 0 is the classic table).
const TL = new Uint32Array(8 * 256);
const TH = new Uint32Array(8 * 256);

(function buildTables() {
  for (let n = 0; n < 256; n++) {
    let c = BigInt(n);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ POLY_REFLECTED : c >> 1n;
    TL[n] = Number(c & 0xffffffffn);
    TH[n] = Number(c >> 32n);
  }
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      const pl = TL[(k - 1) * 256 + n];
      const ph = TH[(k - 1) * 256 + n];
      // next = table[prev & 0xff] ^ (prev >> 8)
      const i = pl & 0xff;
      TL[k * 256 + n] = (TL[i] ^ ((pl >>> 8) | (ph << 24))) >>> 0;
      TH[k * 256 + n] = (TH[i] ^ (ph >>> 8)) >>> 0;
    }
  }
})();

export class Crc64 {
  lo = 0;
  hi = 0;

  update(buf: Uint8Array, start = 0, end = buf.length): this {
    let lo = this.lo;
    let hi = this.hi;
    let i = start;
    while (end - i >= 8) {
      const a = (lo ^ (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24))) >>> 0;
      const b = (hi ^ (buf[i + 4] | (buf[i + 5] << 8) | (buf[i + 6] << 16) | (buf[i + 7] << 24))) >>> 0;
      lo =
        TL[7 * 256 + (a & 0xff)] ^
        TL[6 * 256 + ((a >>> 8) & 0xff)] ^
        TL[5 * 256 + ((a >>> 16) & 0xff)] ^
        TL[4 * 256 + (a >>> 24)] ^
        TL[3 * 256 + (b & 0xff)] ^
        TL[2 * 256 + ((b >>> 8) & 0xff)] ^
        TL[256 + ((b >>> 16) & 0xff)] ^
        TL[b >>> 24];
      hi =
        TH[7 * 256 + (a & 0xff)] ^
        TH[6 * 256 + ((a >>> 8) & 0xff)] ^
        TH[5 * 256 + ((a >>> 16) & 0xff)] ^
        TH[4 * 256 + (a >>> 24)] ^
        TH[3 * 256 + (b & 0xff)] ^
        TH[2 * 256 + ((b >>> 8) & 0xff)] ^
        TH[256 + ((b >>> 16) & 0xff)] ^
        TH[b >>> 24];
      i += 8;
    }
    for (; i < end; i++) {
      const idx = (lo ^ buf[i]) & 0xff;
      lo = (((lo >>> 8) | (hi << 24)) ^ TL[idx]) >>> 0;
      hi = ((hi >>> 8) ^ TH[idx]) >>> 0;
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    return this;
  }

  get value(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** Writes the sum little endian (the RDB / DUMP byte order). */
  writeLE(buf: Uint8Array, off: number): void {
    writeU32LE(buf, off, this.lo);
    writeU32LE(buf, off + 4, this.hi);
  }

  /** True when the 8 little-endian bytes at `off` equal the sum. */
  equalsLE(buf: Uint8Array, off: number): boolean {
    return readU32LE(buf, off) === this.lo && readU32LE(buf, off + 4) === this.hi;
  }
}

function writeU32LE(buf: Uint8Array, off: number, v: number): void {
  buf[off] = v & 0xff;
  buf[off + 1] = (v >>> 8) & 0xff;
  buf[off + 2] = (v >>> 16) & 0xff;
  buf[off + 3] = v >>> 24;
}

function readU32LE(buf: Uint8Array, off: number): number {
  return (buf[off] | (buf[off + 1] << 8) | (buf[off + 2] << 16) | (buf[off + 3] << 24)) >>> 0;
}

/** One-shot CRC-64 of buf[start, end). */
export function crc64(buf: Uint8Array, start = 0, end = buf.length): bigint {
  return new Crc64().update(buf, start, end).value;
}
