// The replication backlog (replication.c's repl_backlog): the last `size` bytes of
// the replication stream in a fixed circular buffer, so a replica that reconnects
// can continue from its offset (PSYNC) instead of a full sync. Offsets are absolute
// positions in the stream: byte number `offset` is the (offset)th byte ever fed,
// counting from 1 as Redis does (repl_backlog_first_byte_offset).

export class Backlog {
  private buf: Buffer;
  /** Write position in buf. */
  private idx = 0;
  /** Bytes of valid history held (<= size). */
  histlen = 0;
  /** The stream offset of the last byte fed (master_repl_offset). */
  endOffset: number;

  constructor(size: number, startOffset: number) {
    this.buf = Buffer.allocUnsafe(Math.max(1, size));
    this.endOffset = startOffset;
  }

  get size(): number {
    return this.buf.length;
  }

  /** repl_backlog_first_byte_offset: offset of the oldest byte held. */
  get firstByteOffset(): number {
    return this.endOffset - this.histlen + 1;
  }

  /** Appends stream bytes: O(length), never reallocates. */
  feed(data: Buffer): void {
    const size = this.buf.length;
    let src = data;
    if (src.length > size) src = src.subarray(src.length - size);
    const first = Math.min(src.length, size - this.idx);
    src.copy(this.buf, this.idx, 0, first);
    if (first < src.length) src.copy(this.buf, 0, first);
    this.idx = (this.idx + src.length) % size;
    this.histlen = Math.min(size, this.histlen + src.length);
    this.endOffset += data.length;
  }

  /** Whether the stream from `offset` (the next byte a replica needs) can be served. */
  canServeFrom(offset: number): boolean {
    return offset >= this.firstByteOffset && offset <= this.endOffset + 1;
  }

  /** The bytes from stream offset `offset` to the end (offset must be servable). */
  readFrom(offset: number): Buffer {
    const count = this.endOffset + 1 - offset;
    if (count <= 0) return Buffer.alloc(0);
    const size = this.buf.length;
    const start = (this.idx - count + size * 2) % size;
    if (start + count <= size) return Buffer.from(this.buf.subarray(start, start + count));
    return Buffer.concat([this.buf.subarray(start), this.buf.subarray(0, count - (size - start))]);
  }

  /** CONFIG SET repl-backlog-size: keeps as much recent history as fits. */
  resize(size: number): void {
    if (size === this.buf.length) return;
    const keep = Math.min(size, this.histlen);
    const recent = keep > 0 ? this.readFrom(this.endOffset + 1 - keep) : Buffer.alloc(0);
    this.buf = Buffer.allocUnsafe(Math.max(1, size));
    recent.copy(this.buf, 0);
    this.idx = recent.length % this.buf.length;
    this.histlen = recent.length;
  }
}
