// The circular backlog serves exactly the bytes of the stream from any offset it still holds.
import { describe, expect, it } from 'vitest';
import { Backlog } from '../../src/replication/backlog.js';

describe('Backlog', () => {
  it('serves any held offset and refuses evicted ones', () => {
    const b = new Backlog(100, 0);
    let stream = Buffer.alloc(0);
    let seed = 3;
    for (let i = 0; i < 500; i++) {
      seed = (seed * 48271) % 2147483647;
      const len = seed % 37;
      const chunk = Buffer.alloc(len, i % 251);
      b.feed(chunk);
      stream = Buffer.concat([stream, chunk]);
      expect(b.endOffset).toBe(stream.length);
      expect(b.histlen).toBe(Math.min(100, stream.length));
      const first = b.firstByteOffset;
      expect(b.canServeFrom(first)).toBe(true);
      expect(b.canServeFrom(first - 1)).toBe(false);
      expect(b.canServeFrom(b.endOffset + 1)).toBe(true);
      for (const off of [first, Math.floor((first + b.endOffset) / 2), b.endOffset + 1]) {
        expect(b.readFrom(off).equals(stream.subarray(off - 1))).toBe(true);
      }
    }
  });

  it('keeps recent history when resized', () => {
    const b = new Backlog(10, 1000);
    b.feed(Buffer.from('0123456789abcdef'));
    expect(b.firstByteOffset).toBe(1007);
    b.resize(4);
    expect(b.readFrom(b.firstByteOffset).toString()).toBe('cdef');
    b.resize(8);
    b.feed(Buffer.from('gh'));
    expect(b.readFrom(b.firstByteOffset).toString()).toBe('cdefgh');
    expect(b.endOffset).toBe(1018);
  });
});
