// Encodes replies into a client's output buffer: the one place where RESP2 and
// RESP3 differ (networking.c's addReply* family). Small replies are appended to a
// reusable buffer; big bulk payloads are queued as their own chunks, uncopied.

import { formatDouble } from '../util/number-format.js';

const CHUNK_SIZE = 16 * 1024;
/** Bulk payloads at least this long skip the copy into the reply buffer. */
const BIG_BULK = 16 * 1024;

export type RespVersion = 2 | 3;

export abstract class ReplyWriter {
  resp: RespVersion = 2;
  /** Reply buffer being filled. */
  protected out: Buffer = Buffer.allocUnsafe(CHUNK_SIZE);
  protected outLen = 0;
  /** Filled chunks waiting to be flushed, oldest first. */
  protected outQueue: (Buffer | string)[] = [];
  protected outQueuedBytes = 0;
  /** When false, replies are dropped (CLIENT REPLY OFF/SKIP, the master link). */
  replyEnabled = true;

  /** Called the first time a reply is written after a flush. */
  protected abstract onReplyPending(): void;

  /** Bytes buffered and not yet handed to the socket. */
  get pendingReplyBytes(): number {
    return this.outLen + this.outQueuedBytes;
  }

  protected hasPendingReply(): boolean {
    return this.outLen > 0 || this.outQueue.length > 0;
  }

  private room(n: number): void {
    if (this.outLen === 0 && this.outQueue.length === 0) this.onReplyPending();
    if (this.outLen + n <= this.out.length) return;
    if (this.outLen > 0) {
      this.outQueue.push(this.out.subarray(0, this.outLen));
      this.outQueuedBytes += this.outLen;
    }
    this.out = Buffer.allocUnsafe(Math.max(CHUNK_SIZE, n));
    this.outLen = 0;
  }

  /** Appends raw protocol text (latin1). */
  raw(s: string): void {
    if (!this.replyEnabled) return;
    const n = s.length;
    this.room(n);
    this.outLen += this.out.latin1Write(s, this.outLen, n);
  }

  /** Appends raw protocol bytes. */
  rawBytes(b: Buffer): void {
    if (!this.replyEnabled) return;
    if (b.length >= BIG_BULK) {
      this.room(0);
      this.queueChunk(b);
      return;
    }
    this.room(b.length);
    b.copy(this.out, this.outLen);
    this.outLen += b.length;
  }

  private queueChunk(c: Buffer | string): void {
    if (this.outLen > 0) {
      this.outQueue.push(this.out.subarray(0, this.outLen));
      this.outQueuedBytes += this.outLen;
      this.out = Buffer.allocUnsafe(CHUNK_SIZE);
      this.outLen = 0;
    }
    this.outQueue.push(c);
    this.outQueuedBytes += c.length;
  }

  /** Writes `<prefix><n>\r\n` without building a string. */
  private header(prefix: number, n: number): void {
    if (!this.replyEnabled) return;
    this.room(24);
    const out = this.out;
    let p = this.outLen;
    out[p++] = prefix;
    if (n < 0) {
      out[p++] = 0x2d;
      n = -n;
    }
    if (n < 10) {
      out[p++] = 0x30 + n;
    } else if (n < 100) {
      out[p++] = 0x30 + ((n / 10) | 0);
      out[p++] = 0x30 + (n % 10);
    } else {
      p += out.latin1Write(String(n), p);
    }
    out[p++] = 13;
    out[p++] = 10;
    this.outLen = p;
  }

  ok(): void {
    this.raw('+OK\r\n');
  }

  status(s: string): void {
    this.raw('+' + s + '\r\n');
  }

  /** An error reply; `msg` must include its code ("ERR ...", "WRONGTYPE ..."). Newlines are replaced as Redis does. */
  error(msg: string): void {
    if (msg.indexOf('\r') !== -1 || msg.indexOf('\n') !== -1) msg = msg.replace(/[\r\n]/g, ' ');
    this.raw('-' + msg + '\r\n');
    this.onErrorReply(msg);
  }

  /** An error already counted where it arose (a script passing on its redis.call's error). */
  errorUncounted(msg: string): void {
    if (msg.indexOf('\r') !== -1 || msg.indexOf('\n') !== -1) msg = msg.replace(/[\r\n]/g, ' ');
    this.raw('-' + msg + '\r\n');
  }

  /** Hook for error statistics; the Client overrides it. */
  protected onErrorReply(_msg: string): void {}

  int(n: number | bigint): void {
    if (typeof n === 'number' && Number.isSafeInteger(n)) this.header(0x3a /* ':' */, n);
    else this.raw(':' + n.toString() + '\r\n');
  }

  /** A bulk string from a latin1 (binary-safe) string. */
  bulk(s: string): void {
    if (!this.replyEnabled) return;
    const n = s.length;
    this.header(0x24 /* '$' */, n);
    if (n >= BIG_BULK) {
      this.queueChunk(Buffer.from(s, 'latin1'));
      this.raw('\r\n');
      return;
    }
    this.room(n + 2);
    const out = this.out;
    let p = this.outLen;
    p += out.latin1Write(s, p, n);
    out[p++] = 13;
    out[p++] = 10;
    this.outLen = p;
  }

  bulkBuffer(b: Buffer): void {
    if (!this.replyEnabled) return;
    this.header(0x24, b.length);
    this.rawBytes(b);
    this.raw('\r\n');
  }

  /** A bulk string of an integer's decimal form. */
  bulkInt(n: number | bigint): void {
    this.bulk(n.toString());
  }

  nullBulk(): void {
    this.raw(this.resp === 2 ? '$-1\r\n' : '_\r\n');
  }

  nullArray(): void {
    this.raw(this.resp === 2 ? '*-1\r\n' : '_\r\n');
  }

  arrayLen(n: number): void {
    this.header(0x2a /* '*' */, n);
  }

  /** A map of n pairs: a flat array of 2n in RESP2. */
  mapLen(n: number): void {
    if (this.resp === 2) this.header(0x2a, n * 2);
    else this.header(0x25 /* '%' */, n);
  }

  setLen(n: number): void {
    this.header(this.resp === 2 ? 0x2a : 0x7e /* '~' */, n);
  }

  pushLen(n: number): void {
    this.header(this.resp === 2 ? 0x2a : 0x3e /* '>' */, n);
  }

  /** An array reply whose elements are pairs, e.g. WITHSCORES: nested in RESP3. */
  pairLen(): void {
    if (this.resp === 3) this.header(0x2a, 2);
  }

  double(d: number): void {
    if (this.resp === 2) {
      this.bulk(formatDouble(d));
    } else {
      this.raw(',' + formatDouble(d) + '\r\n');
    }
  }

  /** A RESP3 big number; a bulk string in RESP2. */
  bigNumber(digits: string): void {
    if (this.resp === 2) this.bulk(digits);
    else this.raw('(' + digits + '\r\n');
  }

  bool(b: boolean): void {
    if (this.resp === 2) this.raw(b ? ':1\r\n' : ':0\r\n');
    else this.raw(b ? '#t\r\n' : '#f\r\n');
  }

  /** Verbatim string (INFO, CLIENT INFO ...): a plain bulk in RESP2. */
  verbatim(s: string, format = 'txt'): void {
    if (this.resp === 2) {
      this.bulk(s);
      return;
    }
    this.header(0x3d /* '=' */, s.length + 4);
    this.raw(format + ':' + s + '\r\n');
  }

  bulks(items: readonly string[]): void {
    this.arrayLen(items.length);
    for (let i = 0; i < items.length; i++) this.bulk(items[i]);
  }

  /** Takes the buffered output for the socket; the reply buffer is reused afterwards. */
  protected takeOutput(): (Buffer | string)[] | Buffer | null {
    if (this.outQueue.length === 0) {
      if (this.outLen === 0) return null;
      // Copy out so the reply buffer can be reused for the next batch.
      const b = Buffer.allocUnsafe(this.outLen);
      this.out.copy(b, 0, 0, this.outLen);
      this.outLen = 0;
      return b;
    }
    const chunks = this.outQueue;
    if (this.outLen > 0) {
      chunks.push(this.out.subarray(0, this.outLen));
      this.out = Buffer.allocUnsafe(CHUNK_SIZE);
      this.outLen = 0;
    }
    this.outQueue = [];
    this.outQueuedBytes = 0;
    return chunks;
  }

  protected discardOutput(): void {
    this.outQueue = [];
    this.outQueuedBytes = 0;
    this.outLen = 0;
  }
}
