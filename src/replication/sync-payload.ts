// The full-sync payload as a replica receives it (readSyncBulkPayload's framing):
// `$<len>` followed by that many bytes (disk-based), or `$EOF:<40-byte mark>`
// followed by the RDB and the mark again (diskless). Bytes are either gathered for
// a load once complete, or handed as they arrive to a load that reads the socket.

/** Loads a full-sync payload into the keyspace (the server's persistence). */
export interface RdbLoader {
  /**
   * Loads in slices (clients keep reading the old data meanwhile) and swaps at the end.
   * Abandons the load when `isStale()` turns true; reports an invalid payload through
   * onDone, with nothing replaced.
   */
  loadReplicationPayload(payload: Buffer, isStale: () => boolean, onDone: (err: Error | null, streamDb: number) => void): void;
  /**
   * The same, fed as the payload arrives (a diskless load reading the socket). `onSlice`
   * reports the bytes still unparsed after each slice and whether the load is starved
   * (it needs more bytes to go on), so the reader can pause and resume its socket.
   */
  streamReplicationPayload(
    isStale: () => boolean,
    onSlice: (unparsedBytes: number, starved: boolean) => void,
    onDone: (err: Error | null, streamDb: number) => void,
  ): StreamedLoad;
}

export interface StreamedLoad {
  feed(chunk: Buffer): void;
  end(): void;
  readonly unparsedBytes: number;
}

const EOF_MARK_LEN = 40;

export class PayloadTransfer {
  readonly started = Date.now();
  /** Payload bytes received so far. */
  size = 0;
  /** Loading while receiving (a diskless load); then only the tail is kept, for the EOF mark. */
  streamed: StreamedLoad | null = null;
  private chunks: Buffer[] = [];

  private constructor(
    /** The diskless end mark, or null for a sized payload. */
    readonly eofMark: string | null,
    /** Bytes still expected of a sized payload. */
    private remaining: number,
  ) {}

  /** The transfer a `$...` header announces, or the warning to log when it is malformed. */
  static fromHeader(header: string): PayloadTransfer | string {
    if (header.startsWith('$EOF:')) {
      const mark = header.slice(5);
      return mark.length === EOF_MARK_LEN ? new PayloadTransfer(mark, -1) : 'Bad EOF mark from MASTER';
    }
    const len = Number(header.slice(1));
    if (!Number.isSafeInteger(len) || len < 0) return `Bad bulk length from MASTER: ${header.slice(0, 64)}`;
    return new PayloadTransfer(null, len);
  }

  /** Bytes expected in all, when known. */
  get total(): number {
    return this.eofMark === null ? this.size + this.remaining : -1;
  }

  /**
   * Takes the payload's bytes from `input`. Returns null while the payload is
   * incomplete; once complete, what followed it and (unless streamed) the payload.
   */
  take(input: Buffer): { rest: Buffer; payload: Buffer | null } | null {
    let chunk = input;
    let rest: Buffer = Buffer.alloc(0);
    if (this.eofMark === null) {
      const n = Math.min(this.remaining, input.length);
      chunk = input.subarray(0, n);
      rest = input.subarray(n);
      this.remaining -= n;
    }
    if (chunk.length > 0) {
      this.size += chunk.length;
      // A streamed load gets the EOF mark too: the reader ignores what follows the checksum.
      if (this.streamed !== null) {
        this.streamed.feed(chunk);
        this.chunks.push(chunk);
        if (this.chunks.length > 8) this.chunks = this.chunks.slice(-8);
      } else this.chunks.push(chunk);
    }
    // After the mark the master sends nothing until our first ACK, so the mark ends the
    // data: compare only the last 40 bytes received, without joining what came before.
    const complete = this.eofMark === null ? this.remaining === 0 : this.size >= EOF_MARK_LEN && tailOf(this.chunks, EOF_MARK_LEN) === this.eofMark;
    if (!complete) return null;
    if (this.streamed !== null) {
      this.streamed.end();
      return { rest, payload: null };
    }
    const all = Buffer.concat(this.chunks, this.size);
    this.chunks = [];
    return { rest, payload: this.eofMark === null ? all : all.subarray(0, all.length - EOF_MARK_LEN) };
  }
}

/** The last n bytes of a chunk list as latin1. */
function tailOf(chunks: Buffer[], n: number): string {
  let out = '';
  for (let i = chunks.length - 1; i >= 0 && out.length < n; i--) {
    const c = chunks[i];
    const need = n - out.length;
    out = c.latin1Slice(Math.max(0, c.length - need)) + out;
  }
  return out;
}
