// The replication buffer (Redis 7.0's repl_buffer_blocks with the backlog on top,
// replication.c): one list of blocks holding the stream, shared by the backlog and
// every replica. The backlog keeps at least `limit` bytes of history; a block older
// than that is dropped only when no replica still needs it, so a lagging replica
// makes the history outgrow the limit instead of keeping a private copy, and a
// reconnecting replica can continue from anything still held. Offsets are absolute
// positions in the stream, the first byte ever fed being offset 1 as in Redis
// (repl_backlog_first_byte_offset).

/** PROTO_REPLY_CHUNK_BYTES: the size of a block that small writes are packed into. */
export const REPL_BLOCK_BYTES = 16 * 1024;
/** What Redis adds per block (replBufBlock header and list node), for the memory figures. */
export const BLOCK_OVERHEAD = 56;
/** Blocks dropped per trim call (REPL_BACKLOG_TRIM_BLOCKS_PER_CALL is 10; ours may be larger). */
const TRIM_BLOCKS_PER_CALL = 4096;

interface Block {
  /** Offset of the block's first byte. */
  start: number;
  buf: Buffer;
  used: number;
}

export class Backlog {
  private blocks: Block[] = [];
  /** Index of the oldest live block (shifted lazily). */
  private head = 0;
  /** Bytes of history held (may exceed `limit` while a replica holds older blocks). */
  histlen = 0;
  /** The stream offset of the last byte fed (master_repl_offset). */
  endOffset: number;
  /** repl_buffer_mem: the blocks' allocation, what mem_total_replication_buffers shows. */
  memory = 0;

  constructor(
    private limit: number,
    startOffset: number,
  ) {
    this.endOffset = startOffset;
  }

  /** repl-backlog-size: the history kept when no replica needs more. */
  get size(): number {
    return this.limit;
  }

  /** repl_backlog_first_byte_offset: offset of the oldest byte held. */
  get firstByteOffset(): number {
    return this.endOffset - this.histlen + 1;
  }

  /** Appends stream bytes, packing small writes into the tail block. */
  feed(data: Buffer): void {
    let src = 0;
    const tail = this.blocks.length > this.head ? this.blocks[this.blocks.length - 1] : null;
    if (tail !== null && tail.used < tail.buf.length) {
      const n = Math.min(tail.buf.length - tail.used, data.length);
      data.copy(tail.buf, tail.used, 0, n);
      tail.used += n;
      src = n;
    }
    if (src < data.length) {
      const rest = data.length - src;
      const buf = Buffer.allocUnsafe(Math.max(REPL_BLOCK_BYTES, rest));
      data.copy(buf, 0, src);
      this.blocks.push({ start: this.endOffset + 1 + src, buf, used: rest });
      this.memory += buf.length + BLOCK_OVERHEAD;
    }
    this.endOffset += data.length;
    this.histlen += data.length;
  }

  /**
   * Drops the oldest blocks while more than `limit` bytes are held and no reader
   * needs them: `neededFrom` is the smallest offset any replica still has to send
   * (incrementalTrimReplicationBacklog). The newest block always stays.
   */
  trim(neededFrom: number): void {
    let dropped = 0;
    while (this.histlen > this.limit && this.blocks.length - this.head > 1 && dropped < TRIM_BLOCKS_PER_CALL) {
      const b = this.blocks[this.head];
      // Held by a replica, or dropping it would leave less than the configured history.
      if (b.start + b.used > neededFrom || this.histlen - b.used <= this.limit) break;
      this.histlen -= b.used;
      this.memory -= b.buf.length + BLOCK_OVERHEAD;
      this.blocks[this.head] = undefined as unknown as Block;
      this.head++;
      dropped++;
    }
    if (this.head > 64 && this.head * 2 > this.blocks.length) {
      this.blocks = this.blocks.slice(this.head);
      this.head = 0;
    }
  }

  /** Whether the stream from `offset` (the next byte a replica needs) can be served. */
  canServeFrom(offset: number): boolean {
    return offset >= this.firstByteOffset && offset <= this.endOffset + 1;
  }

  /** The bytes from stream offset `offset` to the end, as views of the blocks (no copy). */
  chunksFrom(offset: number): Buffer[] {
    const out: Buffer[] = [];
    if (offset > this.endOffset) return out;
    // Blocks are in offset order: find the one holding `offset`.
    let lo = this.head;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.blocks[mid].start <= offset) lo = mid;
      else hi = mid - 1;
    }
    for (let i = lo; i < this.blocks.length; i++) {
      const b = this.blocks[i];
      const from = i === lo ? offset - b.start : 0;
      if (from < b.used) out.push(b.buf.subarray(from, b.used));
    }
    return out;
  }

  /** The bytes from `offset` to the end as one buffer (offset must be servable). */
  readFrom(offset: number): Buffer {
    return Buffer.concat(this.chunksFrom(offset));
  }

  /** CONFIG SET repl-backlog-size: the next trim keeps this much. */
  resize(size: number): void {
    this.limit = size;
  }
}
