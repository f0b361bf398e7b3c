// Reading and writing the commands part of an AOF file: the parsing half of
// loadSingleAppendOnlyFile (aof.c) and catAppendOnlyGenericCommand. Pure: it
// walks a Buffer holding the whole file and never executes anything.

import { encodeCommand } from '../../replication/encode.js';

/** One record of an AOF, or how the file ends. Offsets are byte offsets into the buffer. */
export type AofRecord =
  | {
      kind: 'command';
      /** Views into the reader's buffer (subarray, no copy): copy what must outlive it. */
      argv: Buffer[];
      start: number;
      /** Offset just past the command's last CRLF. */
      end: number;
    }
  | {
      kind: 'annotation';
      /** The line after '#' without its line ending, latin1 (e.g. "TS:1628217470"). */
      text: string;
      start: number;
      end: number;
    }
  | { kind: 'eof' }
  | {
      kind: 'truncated';
      /** Start of the incomplete command: where redis-check-aof --fix cuts. */
      offset: number;
    }
  | {
      kind: 'corrupt';
      /** Start of the malformed record. */
      offset: number;
    };

const STAR = 0x2a;
const DOLLAR = 0x24;
const HASH = 0x23;
const CR = 0x0d;
const LF = 0x0a;

/** Redis keeps argc in an int; a larger count is treated as a bad format. */
const MAX_ARGC = 0x7fffffff;

/** A header that cannot continue into a valid one, or the data ran out first. */
const CORRUPT = -1;
const SHORT = -2;

/**
 * Walks an AOF's commands one record at a time.
 *
 * Redis's loader reads with fgets and fread: running out of bytes anywhere inside
 * a command is an unexpected EOF (its `readerr` with feof, then `uxeof`), which
 * aof-load-truncated may forgive; a byte that cannot start or continue a record
 * is a format error (`fmterr`), never forgiven. The same split holds here: a tail
 * that is a prefix of some valid command is 'truncated', anything else 'corrupt'.
 *
 * Headers are held to redis-check-aof's rules, which are stricter than the
 * loader's atoi/strtol: `*<count>\r\n` with count >= 1, `$<len>\r\n`, and the CRLF
 * after each payload is checked (the loader only skips two bytes there).
 *
 * With aof-load-truncated, Redis cuts the file at the end of the last command it
 * applied (annotations after it go too, and an unfinished MULTI is rolled back);
 * the caller tracks that from each command's `end`.
 */
export class AofCommandReader {
  private pos: number;
  /** The number parsed by the last header() call. */
  private value = 0;

  /** `start` skips an RDB preamble already consumed by the RDB loader. */
  constructor(
    private readonly buf: Buffer,
    start = 0,
  ) {
    this.pos = start;
  }

  /** Offset of the next record. */
  get offset(): number {
    return this.pos;
  }

  next(): AofRecord {
    const buf = this.buf;
    const start = this.pos;
    if (start >= buf.length) return { kind: 'eof' };

    const first = buf[start];
    if (first === HASH) {
      // fgets returns a last line without '\n' too, so an annotation may end the file.
      const nl = buf.indexOf(LF, start);
      const end = nl === -1 ? buf.length : nl + 1;
      let textEnd = nl === -1 ? buf.length : nl;
      if (textEnd > start + 1 && buf[textEnd - 1] === CR) textEnd--;
      this.pos = end;
      return { kind: 'annotation', text: buf.toString('latin1', start + 1, textEnd), start, end };
    }
    if (first !== STAR) return { kind: 'corrupt', offset: start };

    const count = this.header(start + 1);
    if (count === SHORT) return { kind: 'truncated', offset: start };
    if (count === CORRUPT || this.value < 1 || this.value > MAX_ARGC) return { kind: 'corrupt', offset: start };
    let p = count;
    const argc = this.value;
    const argv: Buffer[] = [];
    for (let j = 0; j < argc; j++) {
      if (p >= buf.length) return { kind: 'truncated', offset: start };
      if (buf[p] !== DOLLAR) return { kind: 'corrupt', offset: start };
      const after = this.header(p + 1);
      if (after === SHORT) return { kind: 'truncated', offset: start };
      if (after === CORRUPT) return { kind: 'corrupt', offset: start };
      const len = this.value;
      const dataEnd = after + len;
      if (dataEnd > buf.length) return { kind: 'truncated', offset: start };
      // The two bytes after the payload: each must be the expected one, or missing.
      if (dataEnd < buf.length && buf[dataEnd] !== CR) return { kind: 'corrupt', offset: start };
      if (dataEnd + 1 < buf.length && buf[dataEnd + 1] !== LF) return { kind: 'corrupt', offset: start };
      if (dataEnd + 2 > buf.length) return { kind: 'truncated', offset: start };
      argv.push(buf.subarray(after, dataEnd));
      p = dataEnd + 2;
    }
    this.pos = p;
    return { kind: 'command', argv, start, end: p };
  }

  /**
   * Reads `<digits>\r\n` at p into `value`; returns the offset after the LF, or
   * SHORT when the buffer ends first, or CORRUPT at any other byte. No digits
   * reads as 0, as strtol gives both Redis tools.
   */
  private header(p: number): number {
    const buf = this.buf;
    const n = buf.length;
    let v = 0;
    while (p < n) {
      const c = buf[p];
      if (c >= 0x30 && c <= 0x39) {
        v = v * 10 + (c - 0x30);
        // No real file holds 2^53 bytes, and redis-check-aof refuses what overflows a long.
        if (v > Number.MAX_SAFE_INTEGER) return CORRUPT;
        p++;
        continue;
      }
      if (c !== CR) return CORRUPT;
      if (p + 1 >= n) return SHORT;
      if (buf[p + 1] !== LF) return CORRUPT;
      this.value = v;
      return p + 2;
    }
    return SHORT;
  }
}

/** The file starts with an RDB (a base written with aof-use-rdb-preamble, or an old-style preamble AOF). */
export function isRdbPreamble(buf: Buffer): boolean {
  return buf.length >= 5 && buf.toString('latin1', 0, 5) === 'REDIS';
}

/**
 * catAppendOnlyGenericCommand: the same RESP multibulk the replication stream
 * carries (encodeCommand); Buffer arguments are taken as their latin1 strings.
 */
export function encodeAofCommand(argv: readonly (string | Buffer)[]): Buffer {
  return encodeCommand(argv.map((a) => (typeof a === 'string' ? a : a.latin1Slice(0, a.length))));
}

/** genAofTimestampAnnotationIfNeeded's line, written with aof-timestamp-enabled: `#TS:<unix seconds>\r\n`. */
export function timestampAnnotation(unixSeconds: number): string {
  return `#TS:${unixSeconds}\r\n`;
}
