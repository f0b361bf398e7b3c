// The replication buffer serves exactly the bytes of the stream from any offset it
// still holds, keeps at least repl-backlog-size of history, and never drops what a
// replica still needs.
import { describe, expect, it } from 'vitest';
import { Backlog, REPL_BLOCK_BYTES } from '../../src/replication/backlog.js';

function chunkOf(len: number, fill: number): Buffer {
  return Buffer.alloc(len, fill);
}

describe('Backlog', () => {
  it('serves any held offset, keeps at least the limit, and refuses trimmed offsets', () => {
    const limit = 40_000;
    const b = new Backlog(limit, 0);
    let stream = Buffer.alloc(0);
    let seed = 3;
    for (let i = 0; i < 400; i++) {
      seed = (seed * 48271) % 2147483647;
      const len = seed % 9000;
      const chunk = chunkOf(len, i % 251);
      b.feed(chunk);
      b.trim(Number.MAX_SAFE_INTEGER);
      stream = Buffer.concat([stream, chunk]);
      expect(b.endOffset).toBe(stream.length);
      expect(b.histlen).toBeGreaterThanOrEqual(Math.min(limit, stream.length));
      // Never more than the limit plus the block that straddles it, with nobody holding history.
      expect(b.histlen).toBeLessThanOrEqual(limit + REPL_BLOCK_BYTES + 9000);
      const first = b.firstByteOffset;
      expect(b.canServeFrom(first)).toBe(true);
      expect(b.canServeFrom(first - 1)).toBe(false);
      expect(b.canServeFrom(b.endOffset + 1)).toBe(true);
      for (const off of [first, Math.floor((first + b.endOffset) / 2), b.endOffset + 1]) {
        expect(b.readFrom(off).equals(stream.subarray(off - 1))).toBe(true);
      }
    }
    expect(b.firstByteOffset).toBeGreaterThan(1);
  });

  it('outgrows the limit while a reader needs older bytes, and shrinks once released', () => {
    const b = new Backlog(16 * 1024, 1000);
    const pinned = 1001;
    let stream = Buffer.alloc(0);
    for (let i = 0; i < 100; i++) {
      const chunk = chunkOf(5000, i);
      b.feed(chunk);
      stream = Buffer.concat([stream, chunk]);
      b.trim(pinned);
    }
    expect(b.histlen).toBe(500_000);
    expect(b.firstByteOffset).toBe(1001);
    expect(b.readFrom(pinned).equals(stream)).toBe(true);
    const held = b.memory;
    expect(held).toBeGreaterThanOrEqual(500_000);
    // Released up to the middle: only what precedes the reader's offset goes.
    b.trim(1001 + 250_000);
    expect(b.firstByteOffset).toBeLessThanOrEqual(1001 + 250_000);
    expect(b.firstByteOffset).toBeGreaterThan(1001 + 250_000 - REPL_BLOCK_BYTES - 5000);
    b.trim(Number.MAX_SAFE_INTEGER);
    expect(b.histlen).toBeLessThan(16 * 1024 + REPL_BLOCK_BYTES + 5000);
    expect(b.memory).toBeLessThan(held / 10);
    expect(b.readFrom(b.firstByteOffset).equals(stream.subarray(stream.length - b.histlen))).toBe(true);
  });

  it('packs small writes into shared blocks', () => {
    const b = new Backlog(1 << 20, 0);
    for (let i = 0; i < 1000; i++) b.feed(Buffer.from('*1\r\n$4\r\nPING\r\n'));
    // 14 KB of stream fits one block.
    expect(b.chunksFrom(1).length).toBe(1);
    expect(b.memory).toBeLessThan(2 * REPL_BLOCK_BYTES);
    expect(b.readFrom(15).subarray(0, 14).toString()).toBe('*1\r\n$4\r\nPING\r\n');
  });

  it('keeps the newer history when the limit shrinks', () => {
    const b = new Backlog(100_000, 1000);
    const stream = Buffer.alloc(90_000);
    for (let i = 0; i < stream.length; i++) stream[i] = i % 256;
    b.feed(stream);
    b.resize(20_000);
    b.trim(Number.MAX_SAFE_INTEGER);
    // One 90 KB block: a single block is never dropped.
    expect(b.histlen).toBe(90_000);
    b.feed(Buffer.alloc(30_000, 7));
    b.trim(Number.MAX_SAFE_INTEGER);
    expect(b.histlen).toBe(30_000);
    expect(b.endOffset).toBe(1000 + 120_000);
    expect(b.readFrom(b.firstByteOffset).equals(Buffer.alloc(30_000, 7))).toBe(true);
  });
});
