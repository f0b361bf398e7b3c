// SHA-1 of short inputs without allocation. DEBUG DIGEST hashes every key, member
// and score several times; node:crypto's per-call hash objects cost more than the
// hashing itself at these sizes, so this computes the digest into a caller's buffer
// from a reused scratch block. Strings are hashed as latin1 bytes.

import { createHash } from 'node:crypto';

const W = new Int32Array(80);
let scratch = Buffer.alloc(256);
/** Larger inputs go to node:crypto, so the scratch block stays small. */
const MAX_SCRATCH = 64 * 1024;

/** Writes SHA1(data) into out[0..20). */
export function sha1Into(data: Buffer | string, out: Buffer): void {
  const len = data.length;
  if (len > MAX_SCRATCH - 72) {
    const h = createHash('sha1');
    if (typeof data === 'string') h.update(data, 'latin1');
    else h.update(data);
    h.digest().copy(out);
    return;
  }
  // Message + 0x80 + zero padding + 64-bit length, in whole 64-byte blocks.
  const total = ((len + 8) >>> 6) * 64 + 64;
  if (scratch.length < total) scratch = Buffer.alloc(Math.min(MAX_SCRATCH, Math.max(total, scratch.length * 2)));
  const b = scratch;
  if (typeof data === 'string') b.latin1Write(data, 0);
  else data.copy(b, 0);
  b[len] = 0x80;
  b.fill(0, len + 1, total - 8);
  // Bit length: high word from len / 2^29, low word from len * 8 (inputs under 2^53 bits).
  b.writeUInt32BE(Math.floor(len / 0x20000000) >>> 0, total - 8);
  b.writeUInt32BE((len * 8) >>> 0, total - 4);

  let h0 = 0x67452301;
  let h1 = 0xefcdab89 | 0;
  let h2 = 0x98badcfe | 0;
  let h3 = 0x10325476;
  let h4 = 0xc3d2e1f0 | 0;
  for (let off = 0; off < total; off += 64) {
    for (let i = 0, p = off; i < 16; i++, p += 4) W[i] = (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
    for (let i = 16; i < 80; i++) {
      const x = W[i - 3] ^ W[i - 8] ^ W[i - 14] ^ W[i - 16];
      W[i] = (x << 1) | (x >>> 31);
    }
    let a = h0;
    let bb = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    let i = 0;
    for (; i < 20; i++) {
      const t = (((a << 5) | (a >>> 27)) + ((bb & c) | (~bb & d)) + e + 0x5a827999 + W[i]) | 0;
      e = d;
      d = c;
      c = (bb << 30) | (bb >>> 2);
      bb = a;
      a = t;
    }
    for (; i < 40; i++) {
      const t = (((a << 5) | (a >>> 27)) + (bb ^ c ^ d) + e + 0x6ed9eba1 + W[i]) | 0;
      e = d;
      d = c;
      c = (bb << 30) | (bb >>> 2);
      bb = a;
      a = t;
    }
    for (; i < 60; i++) {
      const t = (((a << 5) | (a >>> 27)) + ((bb & c) | (bb & d) | (c & d)) + e + (0x8f1bbcdc | 0) + W[i]) | 0;
      e = d;
      d = c;
      c = (bb << 30) | (bb >>> 2);
      bb = a;
      a = t;
    }
    for (; i < 80; i++) {
      const t = (((a << 5) | (a >>> 27)) + (bb ^ c ^ d) + e + (0xca62c1d6 | 0) + W[i]) | 0;
      e = d;
      d = c;
      c = (bb << 30) | (bb >>> 2);
      bb = a;
      a = t;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + bb) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  out.writeInt32BE(h0, 0);
  out.writeInt32BE(h1, 4);
  out.writeInt32BE(h2, 8);
  out.writeInt32BE(h3, 12);
  out.writeInt32BE(h4, 16);
}
