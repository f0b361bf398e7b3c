// HyperLogLog internals: MurmurHash64A (fixed vectors from a C build, and a BigInt
// reference on random inputs), register packing, the sparse format's initial
// layout, splits and promotion, and the estimator's edge cases.
import { describe, expect, it } from 'vitest';
import {
  decodeSparse,
  denseGet,
  denseSetRaw,
  estimate,
  Hll,
  HLL_DENSE,
  HLL_DENSE_SIZE,
  HLL_HDR_SIZE,
  HLL_REGISTERS,
  HLL_SPARSE,
  hashHi,
  hashLo,
  hllAddString,
  hllCount,
  hllMerge,
  isValidHll,
  lastPatIndex,
  murmur64a,
  patLen,
  rawCount,
  sparseSet,
  sparseToDense,
} from '../../src/keyspace/hyperloglog.js';

const SEED = 0xadc83b19;

/** MurmurHash64A with BigInt arithmetic: slow, obviously right. */
function murmurRef(data: Uint8Array, seed: number): bigint {
  const mask = (1n << 64n) - 1n;
  const m = 0xc6a4a7935bd1e995n;
  const len = data.length;
  let h = (BigInt(seed) ^ ((BigInt(len) * m) & mask)) & mask;
  const nblocks = len >> 3;
  for (let i = 0; i < nblocks; i++) {
    let k = 0n;
    for (let b = 7; b >= 0; b--) k = (k << 8n) | BigInt(data[i * 8 + b]);
    k = (k * m) & mask;
    k ^= k >> 47n;
    k = (k * m) & mask;
    h ^= k;
    h = (h * m) & mask;
  }
  const rest = len & 7;
  if (rest > 0) {
    for (let b = rest - 1; b >= 0; b--) h ^= BigInt(data[nblocks * 8 + b]) << BigInt(8 * b);
    h = (h * m) & mask;
  }
  h ^= h >> 47n;
  h = (h * m) & mask;
  h ^= h >> 47n;
  return h;
}

function hashOf(data: Uint8Array): bigint {
  murmur64a(data, 0, data.length, SEED);
  return (BigInt(hashHi) << 32n) | BigInt(hashLo);
}

describe('MurmurHash64A', () => {
  it('matches vectors computed by a C build', () => {
    const buf = new Uint8Array(64);
    for (let i = 0; i < 64; i++) buf[i] = (i * 37 + 11) & 0xff;
    const want = [
      'd8dfea6585bc9732', '34ea99f643cc5e6a', 'dd84560a8bc3abdc', 'bb5ea82ebe2977f4', '8f31ce1f9d3f8a4c',
      '35305a6e626392d4', '7e446b4b100f2271', '6ecb43f2a2944ac2', '76269dc15fb67c4f', 'ef87574905ac51b4',
      'f888d20f0f25fe97', '302037c56106d3f3', '4d90667addd89d26', '5174a47a7d42f533', '7326490b367b13a2',
      '3d5b1847e7fd5a3a', 'e51808243efd22bf', 'd03c155d929f8440', 'e182373fc1ea2f85', '61997a3251cb8a9a',
      'ddf5a0ca0c689d1c', 'c935719af71d0151', 'b50fdffdc2c78c47', '856e0a7334c2c692', '39accf453980f761',
    ];
    for (let len = 0; len < want.length; len++) {
      expect({ len, h: hashOf(buf.subarray(0, len)).toString(16).padStart(16, '0') }).toEqual({ len, h: want[len] });
    }
    expect(hashOf(Buffer.from('hello world')).toString(16)).toBe('a919bc3051f624b7');
    expect(hashOf(Buffer.from([0xff, 0xfe, 0xfd])).toString(16)).toBe('7bd088e00c511bf7');
  });

  it('agrees with a BigInt reference on random inputs', () => {
    for (let n = 0; n < 2000; n++) {
      const len = n % 70;
      const data = new Uint8Array(len);
      for (let i = 0; i < len; i++) data[i] = (Math.random() * 256) | 0;
      expect(hashOf(data)).toBe(murmurRef(data, SEED));
    }
  });

  it('patLen: register from the low 14 bits, run of zeros (plus one) from the next 50', () => {
    for (let n = 0; n < 2000; n++) {
      const data = Buffer.from(`ele${n}`);
      const h = murmurRef(data, SEED);
      const count = patLen(data, 0, data.length);
      expect(lastPatIndex()).toBe(Number(h & 0x3fffn));
      let rest = (h >> 14n) | (1n << 50n);
      let want = 1;
      while ((rest & 1n) === 0n) {
        want++;
        rest >>= 1n;
      }
      expect(count).toBe(want);
    }
  });
});

describe('dense registers', () => {
  it('6-bit registers round-trip without disturbing neighbours', () => {
    const b = new Uint8Array(HLL_DENSE_SIZE + 1);
    const want = new Uint8Array(HLL_REGISTERS);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < HLL_REGISTERS; i++) {
        want[i] = (Math.random() * 64) | 0;
        denseSetRaw(b, HLL_HDR_SIZE, i, want[i]);
      }
      for (let i = 0; i < HLL_REGISTERS; i++) expect(denseGet(b, HLL_HDR_SIZE, i)).toBe(want[i]);
    }
    // The byte after the last register is never touched.
    expect(b[HLL_DENSE_SIZE]).toBe(0);
  });
});

describe('sparse values', () => {
  it('a new value is one XZERO run covering every register, with a valid zero cache', () => {
    const h = Hll.create();
    expect(h.toString()).toBe('HYLL\x01\x00\x00\x00' + '\x00'.repeat(8) + '\x7f\xff');
    expect(decodeSparse(h)).toBe('Z:16384');
    expect(isValidHll(h.toString())).toBe(true);
    expect(hllCount(h)).toBe(0n);
  });

  it('splits runs, merges equal neighbours, and promotes when a value exceeds 32', () => {
    const h = Hll.create();
    expect(sparseSet(h, 5, 3, 3000)).toBe(1);
    expect(decodeSparse(h)).toBe('z:5 v:3,1 Z:16378');
    expect(sparseSet(h, 6, 3, 3000)).toBe(1);
    expect(decodeSparse(h)).toBe('z:5 v:3,2 Z:16377');
    expect(sparseSet(h, 6, 2, 3000)).toBe(0);
    expect(sparseSet(h, 16383, 1, 3000)).toBe(1);
    expect(decodeSparse(h)).toBe('z:5 v:3,2 Z:16376 v:1,1');
    // The cache was invalidated by the updates.
    expect(h.buf[15] & 0x80).toBe(0x80);
    expect(sparseSet(h, 100, 33, 3000)).toBe(1);
    expect(h.encoding).toBe(HLL_DENSE);
    expect(h.len).toBe(HLL_DENSE_SIZE);
    expect(denseGet(h.buf, HLL_HDR_SIZE, 100)).toBe(33);
    expect(denseGet(h.buf, HLL_HDR_SIZE, 6)).toBe(3);
    expect(denseGet(h.buf, HLL_HDR_SIZE, 16383)).toBe(1);
  });

  it('promotes when growing would pass hll-sparse-max-bytes', () => {
    const h = Hll.create();
    expect(sparseSet(h, 1000, 1, 20)).toBe(1);
    expect(h.encoding).toBe(HLL_DENSE);
    const g = Hll.create();
    expect(sparseSet(g, 1000, 1, 21)).toBe(1);
    expect(g.encoding).toBe(HLL_SPARSE);
    expect(g.len).toBe(21);
  });

  it('rejects runs that do not cover exactly 16384 registers', () => {
    const hdr = 'HYLL\x01\x00\x00\x00' + '\x00'.repeat(8);
    for (const body of ['', '\x7f\xfe', '\x7f\xff\x80', '\x7f\xff\x00', '\x80\x7f\xff']) {
      const h = Hll.fromString(hdr + body);
      expect(hllCount(h)).toBeNull();
      expect(hllMerge(new Uint8Array(HLL_REGISTERS), h)).toBe(false);
      expect(sparseToDense(h)).toBe(false);
    }
  });

  it('sparse and dense encodings estimate the same cardinality', () => {
    const s = Hll.create();
    const d = Hll.create();
    sparseToDense(d);
    for (let i = 0; i < 1500; i++) {
      hllAddString(s, `x${i}`, 1 << 20);
      hllAddString(d, `x${i}`, 1 << 20);
      if (i % 100 === 0) expect(hllCount(s)).toBe(hllCount(d));
    }
    expect(s.encoding).toBe(HLL_SPARSE);
    const max = new Uint8Array(HLL_REGISTERS);
    expect(hllMerge(max, s)).toBe(true);
    expect(rawCount(max)).toBe(hllCount(d));
    const n = Number(hllCount(d));
    expect(Math.abs(n - 1500)).toBeLessThan(1500 * 0.05);
  });
});

describe('estimator', () => {
  it('empty is 0; saturated registers overflow to 2^63 as x86 llroundl does', () => {
    const empty = new Int32Array(64);
    empty[0] = HLL_REGISTERS;
    expect(estimate(empty)).toBe(0n);
    const full = new Int32Array(64);
    full[63] = HLL_REGISTERS;
    expect(estimate(full)).toBe(1n << 63n);
  });
});
