// The byte level of RDB reading (rdb.c's rdbLoadLen, rdbGenericLoadStringObject,
// rdbLoadDoubleValue ...): input fed in chunks, bounds checks that ask for more input
// with a short read, lengths, strings (LZF, integer-encoded) and doubles. RdbReader
// builds opcodes, keys and values on top of it.

import { constants as bufferConstants } from 'node:buffer';
import { parseStrtod } from '../../util/strtod.js';
import { RDB_ENC_INT16, RDB_ENC_INT32, RDB_ENC_INT8, RDB_ENC_LZF, RdbError, type RdbErrorCode } from './constants.js';
import { lzfDecompress } from './lzf.js';

/** Thrown inside a parse when the input ends mid-record; the record is retried later. */
export const SHORT_READ = { shortRead: true };

const MAX_STRING = bufferConstants.MAX_STRING_LENGTH;

export abstract class RdbInput {
  protected buf: Buffer = Buffer.alloc(0);
  protected pos = 0;
  /** Start of the record being parsed (everything before is committed). */
  protected mark = 0;
  /** Absolute offset of buf[0]. */
  protected base = 0;
  protected chunks: Buffer[] = [];
  protected chunksLen = 0;
  protected ended = false;
  /** After a short read: absolute offset the parse needed, and bytes it had parsed. */
  protected needAbs = 0;
  protected lastProgress = 0;

  protected curKey: string | undefined;
  protected curType: number | undefined;
  // Result of readBlob(): the bytes are blobBuf[blobStart, blobEnd).
  protected blobBuf: Buffer = this.buf;
  protected blobStart = 0;
  protected blobEnd = 0;
  protected lenEncoded = false;

  /** Adds input. The reader keeps a reference to the chunk until it is parsed. */
  feed(chunk: Buffer): void {
    if (this.ended) throw new Error('RdbReader.feed() after end()');
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.chunksLen += chunk.length;
  }

  /** Bytes of the input parsed into complete records (loading progress). */
  get consumedBytes(): number {
    return this.base + this.mark;
  }

  /** No more input will come: a record still incomplete is an EOF error. */
  end(): void {
    this.ended = true;
  }

  /**
   * Bytes fed but not parsed. Once done, whatever followed the checksum (e.g. the
   * 40-byte mark closing a diskless replication payload).
   */
  unconsumed(): Buffer {
    const rest = this.buf.subarray(this.mark);
    return this.chunks.length === 0 ? rest : Buffer.concat([rest, ...this.chunks]);
  }

  // ---- errors and primitives ------------------------------------------------

  protected fail(code: RdbErrorCode, reason: string): never {
    throw new RdbError(code, reason, this.base + this.pos, this.curKey, this.curType);
  }

  protected corrupt(reason: string): never {
    this.fail('CORRUPT', reason);
  }

  /** Ensures n more bytes are available at pos. */
  protected need(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    if (this.ended) this.fail('EOF', 'Unexpected EOF reading RDB file');
    this.needAbs = this.base + this.pos + n;
    throw SHORT_READ;
  }

  protected u8(): number {
    if (this.pos >= this.buf.length) this.need(1);
    return this.buf[this.pos++];
  }

  /** rdbLoadLen: a length, or (lenEncoded set) a special string encoding id. */
  protected readLen(): number {
    const b = this.u8();
    const t = b >> 6;
    this.lenEncoded = false;
    if (t === 0) return b & 0x3f;
    if (t === 1) return ((b & 0x3f) << 8) | this.u8();
    if (t === 3) {
      this.lenEncoded = true;
      return b & 0x3f;
    }
    if (b === 0x80) {
      this.need(4);
      const v = this.buf.readUInt32BE(this.pos);
      this.pos += 4;
      return v;
    }
    if (b === 0x81) {
      this.need(8);
      const v = this.buf.readBigUInt64BE(this.pos);
      this.pos += 8;
      return Number(v);
    }
    this.corrupt(`Unknown length encoding ${t} in rdbLoadLen()`);
  }

  /** A plain length that must not be a string encoding marker. */
  protected readCount(): number {
    const n = this.readLen();
    if (this.lenEncoded) this.corrupt('Unexpected encoded length');
    return n;
  }

  /** A length as an exact uint64 (stream IDs and counters). */
  protected readLenBig(): bigint {
    const b = this.u8();
    if (b === 0x81) {
      this.need(8);
      const v = this.buf.readBigUInt64BE(this.pos);
      this.pos += 8;
      return v;
    }
    this.pos--;
    return BigInt(this.readCount());
  }

  /** rdbLoadMillisecondTime: int64 little endian. */
  protected readMsTime(): number {
    this.need(8);
    const p = this.pos;
    this.pos += 8;
    return this.buf.readInt32LE(p + 4) * 4294967296 + this.buf.readUInt32LE(p);
  }

  /** rdbGenericLoadStringObject as raw bytes (blobBuf/blobStart/blobEnd). */
  protected readBlob(): void {
    const len = this.readLen();
    if (this.lenEncoded) {
      if (len === RDB_ENC_LZF) {
        const clen = this.readCount();
        const ulen = this.readCount();
        this.need(clen);
        const out = lzfDecompress(this.buf, ulen, this.pos, this.pos + clen);
        if (out === null) this.corrupt('Invalid LZF compressed string');
        this.pos += clen;
        this.blobBuf = out;
        this.blobStart = 0;
        this.blobEnd = out.length;
        return;
      }
      const s = this.readIntEncoded(len);
      const b = Buffer.from(s, 'latin1');
      this.blobBuf = b;
      this.blobStart = 0;
      this.blobEnd = b.length;
      return;
    }
    this.need(len);
    this.blobBuf = this.buf;
    this.blobStart = this.pos;
    this.blobEnd = this.pos + len;
    this.pos += len;
  }

  protected readIntEncoded(enc: number): string {
    let v: number;
    if (enc === RDB_ENC_INT8) {
      this.need(1);
      v = this.buf.readInt8(this.pos);
      this.pos += 1;
    } else if (enc === RDB_ENC_INT16) {
      this.need(2);
      v = this.buf.readInt16LE(this.pos);
      this.pos += 2;
    } else if (enc === RDB_ENC_INT32) {
      this.need(4);
      v = this.buf.readInt32LE(this.pos);
      this.pos += 4;
    } else {
      this.corrupt(`Unknown RDB string encoding type ${enc}`);
    }
    return String(v);
  }

  /** A string as a latin1 JS string (one char per byte). */
  protected readString(): string {
    const len = this.readLen();
    if (!this.lenEncoded) {
      this.need(len);
      if (len > MAX_STRING) this.fail('UNSUPPORTED', `String of ${len} bytes exceeds the JavaScript string limit`);
      const p = this.pos;
      this.pos = p + len;
      return this.buf.latin1Slice(p, p + len);
    }
    if (len !== RDB_ENC_LZF) return this.readIntEncoded(len);
    this.pos--; // let readBlob see the encoding byte again
    this.readBlob();
    if (this.blobEnd - this.blobStart > MAX_STRING)
      this.fail('UNSUPPORTED', `String of ${this.blobEnd - this.blobStart} bytes exceeds the JavaScript string limit`);
    return this.blobBuf.latin1Slice(this.blobStart, this.blobEnd);
  }

  protected readBinaryDouble(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** rdbLoadDoubleValue (RDB_TYPE_ZSET): length byte, 253 nan / 254 inf / 255 -inf. */
  protected readAsciiDouble(): number {
    const len = this.u8();
    if (len === 253) return NaN;
    if (len === 254) return Infinity;
    if (len === 255) return -Infinity;
    this.need(len);
    const s = this.buf.latin1Slice(this.pos, this.pos + len);
    this.pos += len;
    const v = parseStrtod(s) ?? parseFloat(s);
    if (Number.isNaN(v)) this.corrupt('Invalid double value');
    return v;
  }
}
