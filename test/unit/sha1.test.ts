// The allocation-free SHA-1 behind DEBUG DIGEST: known vectors, every length across
// the one/two-block padding boundaries, latin1 strings, and the large-input path.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { sha1Into } from '../../src/util/sha1.js';

function hex(data: Buffer | string): string {
  const out = Buffer.alloc(20);
  sha1Into(data, out);
  return out.toString('hex');
}

describe('sha1Into', () => {
  it('matches the standard vectors', () => {
    expect(hex('')).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(hex('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('84983e441c3bd26ebaae4aa1f95129e5e54670f1');
  });

  it('matches node:crypto for every length up to 300 bytes, as Buffer and as latin1 string', () => {
    for (let len = 0; len <= 300; len++) {
      const b = Buffer.alloc(len);
      for (let i = 0; i < len; i++) b[i] = (i * 131 + len) & 255;
      const want = createHash('sha1').update(b).digest('hex');
      expect(hex(b)).toBe(want);
      expect(hex(b.toString('latin1'))).toBe(want);
    }
  });

  it('matches node:crypto above the scratch size, and may hash into its own input', () => {
    const big = Buffer.alloc(200_000, 0xab);
    expect(hex(big)).toBe(createHash('sha1').update(big).digest('hex'));
    const d = Buffer.from('0123456789abcdefghij', 'latin1');
    const want = createHash('sha1').update(d).digest();
    sha1Into(d, d);
    expect(d.equals(want)).toBe(true);
  });
});
