// Incremental parser for client requests: RESP multibulk and inline commands.
// Mirrors processMultibulkBuffer / processInlineBuffer in Redis's networking.c,
// including its limits and error strings. Arguments come out as latin1 strings
// (one char per byte), which keeps them binary-safe and detached from socket chunks.

import { splitArgs } from './split-args.js';

/** Longest inline request / count line Redis buffers before failing (PROTO_INLINE_MAX_SIZE). */
export const INLINE_MAX_SIZE = 64 * 1024;
/** Bulk arguments this big are collected chunk by chunk instead of re-concatenated (PROTO_MBULK_BIG_ARG). */
const BIG_ARG = 32 * 1024;
const CR = 13;
const LF = 10;

export class ProtocolError extends Error {
  constructor(
    /** The text of the -ERR reply sent to the client. */
    readonly reply: string,
    /** Short reason for the log line. */
    readonly reason: string,
  ) {
    super(reply);
  }
}

export interface ParserLimits {
  /** proto-max-bulk-len; ignored when `fromMaster` is set, as Redis does. */
  maxBulkLen: number;
  /** True while the client must authenticate: tiny limits apply, as in Redis. */
  authRequired: boolean;
  /** The stream comes from our master: no bulk length limit, no inline commands except newlines. */
  fromMaster: boolean;
}

const EMPTY = Buffer.alloc(0);

export class RequestParser {
  private buf: Buffer = EMPTY;
  private pos = 0;
  /** Absolute stream offset of buf[0]. */
  private base = 0;
  /** Chunks of a big bulk argument still being received. */
  private bigChunks: Buffer[] | null = null;
  private bigHave = 0;
  private bigNeed = 0;

  private multibulkLen = 0;
  private bulkLen = -1;
  private argv: string[] = [];
  private inMultibulk = false;

  constructor(readonly limits: ParserLimits) {}

  /** Bytes of the stream consumed by completed requests (the replication offset counts these). */
  get consumed(): number {
    return this.base + this.pos;
  }

  /** Bytes received and not yet consumed by a complete request. */
  get pendingBytes(): number {
    return this.buf.length - this.pos + this.bigHave;
  }

  /** Bytes of the arguments of a request still being received (Redis's argv-mem before the request completes). */
  get partialArgBytes(): number {
    let n = 0;
    for (let i = 0; i < this.argv.length; i++) n += this.argv[i].length;
    return n;
  }

  feed(chunk: Buffer): void {
    if (this.bigChunks !== null) {
      this.bigChunks.push(chunk);
      this.bigHave += chunk.length;
      if (this.bigHave >= this.bigNeed) {
        const joined = Buffer.concat(this.bigChunks, this.bigHave);
        this.bigChunks = null;
        this.bigHave = 0;
        this.bigNeed = 0;
        this.buf = joined;
        // base was already moved to the start of the first big chunk
        this.pos = 0;
      }
      return;
    }
    if (this.pos >= this.buf.length) {
      this.base += this.buf.length;
      this.buf = chunk;
      this.pos = 0;
    } else {
      const rest = this.buf.subarray(this.pos);
      this.base += this.pos;
      this.buf = Buffer.concat([rest, chunk], rest.length + chunk.length);
      this.pos = 0;
    }
  }

  /** Drops everything buffered; used when a client is closed. */
  reset(): void {
    this.buf = EMPTY;
    this.pos = 0;
    this.bigChunks = null;
    this.bigHave = 0;
    this.multibulkLen = 0;
    this.bulkLen = -1;
    this.argv = [];
    this.inMultibulk = false;
  }

  /**
   * The next complete request, or null when more bytes are needed.
   * An empty array is an empty request (blank inline line, `*0`), which callers skip.
   * Throws ProtocolError on malformed input; the client must then be closed.
   */
  next(): string[] | null {
    if (this.bigChunks !== null) return null;
    if (!this.inMultibulk) {
      if (this.pos >= this.buf.length) return null;
      if (this.buf[this.pos] !== 0x2a /* '*' */) return this.nextInline();
      this.inMultibulk = true;
    }
    return this.nextMultibulk();
  }

  private nextInline(): string[] | null {
    const buf = this.buf;
    const start = this.pos;
    const nl = buf.indexOf(LF, start);
    if (nl === -1) {
      if (buf.length - start > INLINE_MAX_SIZE) {
        throw new ProtocolError('Protocol error: too big inline request', 'too big inline request');
      }
      return null;
    }
    let end = nl;
    if (end > start && buf[end - 1] === CR) end--;
    if (this.limits.fromMaster && end > start) {
      throw new ProtocolError('Protocol error: master using the inline protocol', 'Master using the inline protocol. Desync?');
    }
    const line = buf.latin1Slice(start, end);
    const argv = splitArgs(line);
    if (argv === null) {
      throw new ProtocolError('Protocol error: unbalanced quotes in request', 'unbalanced quotes in inline request');
    }
    this.pos = nl + 1;
    return argv;
  }

  /** Position of the CR ending a line that is complete (CR and one more byte present), or -1. */
  private lineEnd(what: string): number {
    const buf = this.buf;
    const cr = buf.indexOf(CR, this.pos);
    if (cr === -1 || cr > buf.length - 2) {
      if (buf.length - this.pos > INLINE_MAX_SIZE) {
        throw new ProtocolError(`Protocol error: too big ${what} string`, `too big ${what} string`);
      }
      return -1;
    }
    return cr;
  }

  private nextMultibulk(): string[] | null {
    const buf = this.buf;
    if (this.multibulkLen === 0) {
      const cr = this.lineEnd('mbulk count');
      if (cr === -1) return null;
      const ll = parseDecimal(buf, this.pos + 1, cr);
      if (ll === null || ll > 2147483647) {
        throw new ProtocolError('Protocol error: invalid multibulk length', 'invalid mbulk count');
      }
      if (ll > 10 && this.limits.authRequired) {
        throw new ProtocolError('Protocol error: unauthenticated multibulk length', 'unauth mbulk count');
      }
      this.pos = cr + 2;
      if (ll <= 0) {
        this.inMultibulk = false;
        return [];
      }
      this.multibulkLen = ll;
      this.argv = [];
    }
    while (this.multibulkLen > 0) {
      if (this.bulkLen === -1) {
        const cr = this.lineEnd('bulk count');
        if (cr === -1) return null;
        if (buf[this.pos] !== 0x24 /* '$' */) {
          const got = String.fromCharCode(buf[this.pos]);
          throw new ProtocolError(`Protocol error: expected '$', got '${got}'`, 'expected $ but got something else');
        }
        const ll = parseDecimal(buf, this.pos + 1, cr);
        if (ll === null || ll < 0 || (!this.limits.fromMaster && ll > this.limits.maxBulkLen)) {
          throw new ProtocolError('Protocol error: invalid bulk length', 'invalid bulk length');
        }
        if (ll > 16384 && this.limits.authRequired) {
          throw new ProtocolError('Protocol error: unauthenticated bulk length', 'unauth bulk length');
        }
        this.pos = cr + 2;
        this.bulkLen = ll;
      }
      const need = this.bulkLen + 2;
      if (buf.length - this.pos < need) {
        if (this.bulkLen >= BIG_ARG) {
          // Collect the rest of this argument without re-copying what we have on every chunk.
          const head = buf.subarray(this.pos);
          this.base += this.pos;
          this.buf = EMPTY;
          this.pos = 0;
          this.bigChunks = [head];
          this.bigHave = head.length;
          this.bigNeed = need;
        }
        return null;
      }
      this.argv.push(buf.latin1Slice(this.pos, this.pos + this.bulkLen));
      this.pos += need;
      this.bulkLen = -1;
      this.multibulkLen--;
    }
    this.inMultibulk = false;
    const argv = this.argv;
    this.argv = [];
    return argv;
  }
}

/** string2ll over buf[start, end): strict decimal with optional '-', no leading zeros, no '+'. */
export function parseDecimal(buf: Buffer, start: number, end: number): number | null {
  const len = end - start;
  if (len <= 0 || len > 20) return null;
  let i = start;
  let neg = false;
  if (buf[i] === 0x2d) {
    neg = true;
    i++;
    if (i === end) return null;
  }
  if (buf[i] === 0x30) return len === 1 ? 0 : null;
  let v = 0;
  for (; i < end; i++) {
    const d = buf[i] - 0x30;
    if (d < 0 || d > 9) return null;
    v = v * 10 + d;
  }
  if (v > Number.MAX_SAFE_INTEGER) return null;
  return neg ? -v : v;
}
