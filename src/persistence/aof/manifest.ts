// The multi-part AOF manifest of Redis 7.0 (aof.c: aofLoadManifestFromFile,
// getAofManifestAsString, the file naming rules and the manifest transitions
// done around a rewrite). Pure: text in, text out; the caller does the file I/O.
//
// Text is handled as latin1 (one char per byte), as the rest of the codebase
// handles binary-safe strings: read the manifest file with 'latin1'.

import { splitArgs } from '../../protocol/split-args.js';
import { quoteArg } from '../../util/repr.js';

export type AofFileType = 'b' | 'h' | 'i';

export interface AofFileInfo {
  name: string;
  seq: number;
  type: AofFileType;
}

/** aofManifest: at most one base, the ordered incr files, the history files waiting for deletion. */
export interface AofManifest {
  base: AofFileInfo | null;
  incrs: AofFileInfo[];
  history: AofFileInfo[];
  currBaseSeq: number;
  currIncrSeq: number;
}

/** A manifest Redis would refuse to start with; the message is Redis's own. */
export class AofManifestError extends Error {
  constructor(
    message: string,
    /** 1-based line (fgets chunk) where it failed, or null when no line was being read. */
    readonly lineNumber: number | null = null,
    /** The trimmed line Redis logs with the error, when there was one. */
    readonly lineText: string | null = null,
  ) {
    super(message);
    this.name = 'AofManifestError';
  }
}

export const AOF_MANIFEST_ERRORS = {
  empty: 'Found an empty AOF manifest',
  tooLongLine: 'The AOF manifest file contains too long line',
  invalidFormat: 'Invalid AOF manifest file format',
  pathName: "File can't be a path, just a filename",
  duplicateBase: 'Found duplicate base file information',
  nonMonotonic: 'Found a non-monotonic sequence number',
  unknownType: 'Unknown AOF file type',
} as const;

/** MANIFEST_MAX_LINE: fgets reads at most this many bytes per call. */
export const MANIFEST_MAX_LINE = 1024;

const BASE_FILE_SUFFIX = '.base';
const INCR_FILE_SUFFIX = '.incr';
const RDB_FORMAT_SUFFIX = '.rdb';
const AOF_FORMAT_SUFFIX = '.aof';
const MANIFEST_NAME_SUFFIX = '.manifest';
export const TEMP_FILE_NAME_PREFIX = 'temp-';

// ---- names ------------------------------------------------------------------------

/** `appendonly.aof.<seq>.base.rdb` (or `.base.aof` without the RDB preamble). */
export function baseFileName(appendfilename: string, seq: number, rdbPreamble: boolean): string {
  return `${appendfilename}.${seq}${BASE_FILE_SUFFIX}${rdbPreamble ? RDB_FORMAT_SUFFIX : AOF_FORMAT_SUFFIX}`;
}

/** `appendonly.aof.<seq>.incr.aof`. */
export function incrFileName(appendfilename: string, seq: number): string {
  return `${appendfilename}.${seq}${INCR_FILE_SUFFIX}${AOF_FORMAT_SUFFIX}`;
}

/** `appendonly.aof.manifest`. */
export function manifestFileName(appendfilename: string): string {
  return appendfilename + MANIFEST_NAME_SUFFIX;
}

/** The name a file is written under before it is renamed into place. */
export function tempFileName(name: string): string {
  return TEMP_FILE_NAME_PREFIX + name;
}

/** getTempIncrAofName: `temp-appendonly.aof.incr`, the incr file opened while a rewrite runs. */
export function tempIncrFileName(appendfilename: string): string {
  return TEMP_FILE_NAME_PREFIX + appendfilename + INCR_FILE_SUFFIX;
}

// ---- sds quoting (sds.c) ----------------------------------------------------------

/** C isspace in the "C" locale. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** C isprint in the "C" locale (bytes >= 0x80 are not printable). */
function isPrint(c: number): boolean {
  return c >= 0x20 && c <= 0x7e;
}

/**
 * sdsneedsrepr, plus the single quote: Redis leaves a name like it's.aof bare,
 * and then sdssplitargs reads the quote as opening a string and refuses its own
 * manifest. Quoted, the name reads back in Redis and here alike.
 */
export function needsRepr(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c || c === 0x22 || c === 0x27 || !isPrint(c) || isSpace(c)) return true;
  }
  return false;
}

// ---- parse and format -------------------------------------------------------------

/** What C sees of a string: everything before the first NUL. */
function cString(s: string): string {
  const z = s.indexOf('\0');
  return z === -1 ? s : s.slice(0, z);
}

/** sdstrim(line, " \t\r\n"). */
function trimLine(s: string): string {
  const strip = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
  let a = 0;
  let b = s.length;
  while (a < b && strip(s[a])) a++;
  while (b > a && strip(s[b - 1])) b--;
  return s.slice(a, b);
}

/** atoll as glibc does it: blanks, a sign, digits up to the first other byte; saturates. */
function atoll(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d*)/.exec(s) as RegExpExecArray;
  if (m[2] === '') return 0;
  let v = BigInt(m[2]);
  if (m[1] === '-') v = -v;
  if (v > 0x7fffffffffffffffn) v = 0x7fffffffffffffffn;
  if (v < -0x8000000000000000n) v = -0x8000000000000000n;
  return Number(v);
}

/** ASCII-only case folding, as strcasecmp compares. */
function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) | 0x20));
}

export function emptyManifest(): AofManifest {
  return { base: null, incrs: [], history: [], currBaseSeq: 0, currIncrSeq: 0 };
}

/**
 * aofLoadManifestFromFile over the file's text. Lines are read the way fgets
 * reads them into a MANIFEST_MAX_LINE buffer, so a line too long for it and a
 * last line without '\n' both fail, and '#' only marks a comment at the start of
 * such a chunk. Keys are case-insensitive; unknown ones are skipped, and a line
 * needs at least three pairs.
 */
export function parseManifest(text: string): AofManifest {
  const m = emptyManifest();
  let maxSeq = 0;
  let lineNumber = 0;
  let pos = 0;
  const n = text.length;
  for (;;) {
    if (pos >= n) {
      if (lineNumber === 0) throw new AofManifestError(AOF_MANIFEST_ERRORS.empty);
      break;
    }
    const nl = text.indexOf('\n', pos);
    const stop = Math.min(nl === -1 ? n : nl + 1, pos + MANIFEST_MAX_LINE);
    // The bytes fgets stored; C then reads them up to the first NUL.
    const buf = cString(text.slice(pos, stop));
    pos = stop;
    lineNumber++;

    if (buf[0] === '#') continue;
    if (!buf.includes('\n')) throw new AofManifestError(AOF_MANIFEST_ERRORS.tooLongLine, lineNumber);

    const line = trimLine(buf);
    const fail = (msg: string): never => {
      throw new AofManifestError(msg, lineNumber, line);
    };
    if (line.length === 0) fail(AOF_MANIFEST_ERRORS.invalidFormat);

    const argv = splitArgs(line);
    if (argv === null || argv.length < 6 || argv.length % 2 !== 0) return fail(AOF_MANIFEST_ERRORS.invalidFormat);

    let name: string | null = null;
    let seq = 0;
    let type = '';
    for (let i = 0; i < argv.length; i += 2) {
      const key = asciiLower(cString(argv[i]));
      const value = cString(argv[i + 1]);
      if (key === 'file') {
        name = value;
        if (name.includes('/') || name.includes('\\')) fail(AOF_MANIFEST_ERRORS.pathName);
      } else if (key === 'seq') {
        seq = atoll(value);
      } else if (key === 'type') {
        type = value.slice(0, 1);
      }
    }
    // A zero seq is as good as a missing one: Redis tests the field for non-zero.
    if (name === null || seq === 0 || type === '') return fail(AOF_MANIFEST_ERRORS.invalidFormat);

    if (type === 'b') {
      if (m.base !== null) fail(AOF_MANIFEST_ERRORS.duplicateBase);
      m.base = { name, seq, type };
      m.currBaseSeq = seq;
    } else if (type === 'h') {
      m.history.push({ name, seq, type });
    } else if (type === 'i') {
      if (seq <= maxSeq) fail(AOF_MANIFEST_ERRORS.nonMonotonic);
      m.incrs.push({ name, seq, type });
      m.currIncrSeq = seq;
      maxSeq = seq;
    } else {
      fail(AOF_MANIFEST_ERRORS.unknownType);
    }
  }
  return m;
}

function formatInfo(ai: AofFileInfo): string {
  const name = needsRepr(ai.name) ? quoteArg(ai.name) : ai.name;
  return `file ${name} seq ${ai.seq} type ${ai.type}\n`;
}

/** getAofManifestAsString: base, then history, then incrs, one line each. */
export function formatManifest(m: AofManifest): string {
  let out = m.base !== null ? formatInfo(m.base) : '';
  for (const ai of m.history) out += formatInfo(ai);
  for (const ai of m.incrs) out += formatInfo(ai);
  return out;
}

// ---- transitions ------------------------------------------------------------------
// Each returns a fresh manifest and leaves its input alone: Redis edits a
// duplicate and swaps it in only once the new manifest is on disk.

function copyInfo(ai: AofFileInfo): AofFileInfo {
  return { name: ai.name, seq: ai.seq, type: ai.type };
}

export function cloneManifest(m: AofManifest): AofManifest {
  return {
    base: m.base === null ? null : copyInfo(m.base),
    incrs: m.incrs.map(copyInfo),
    history: m.history.map(copyInfo),
    currBaseSeq: m.currBaseSeq,
    currIncrSeq: m.currIncrSeq,
  };
}

/**
 * getNewBaseFileNameAndMarkPreAsHistory: the old base, if any, goes to the front
 * of the history; the new base takes the next base sequence number. Its name is
 * the result's `base.name`.
 */
export function newBaseFile(m: AofManifest, appendfilename: string, rdbPreamble: boolean): AofManifest {
  const next = cloneManifest(m);
  if (next.base !== null) next.history.unshift({ ...next.base, type: 'h' });
  const seq = ++next.currBaseSeq;
  next.base = { name: baseFileName(appendfilename, seq, rdbPreamble), seq, type: 'b' };
  return next;
}

/** getNewIncrAofName: a new incr file with the next incr sequence number, appended last. */
export function newIncrFile(m: AofManifest, appendfilename: string): AofManifest {
  const next = cloneManifest(m);
  const seq = ++next.currIncrSeq;
  next.incrs.push({ name: incrFileName(appendfilename, seq), seq, type: 'i' });
  return next;
}

/**
 * markRewrittenIncrAofAsHistory, after a successful rewrite. While AOF is on the
 * last incr is the file being appended to and stays; otherwise every incr goes.
 * The moved files keep their order and go in front of the older history.
 */
export function markRewrittenIncrsAsHistory(m: AofManifest, aofEnabled = true): AofManifest {
  const next = cloneManifest(m);
  if (next.incrs.length === 0) return next;
  const keep = aofEnabled ? 1 : 0;
  const moved = next.incrs.splice(0, next.incrs.length - keep);
  next.history.unshift(...moved.map((ai) => ({ ...ai, type: 'h' as const })));
  return next;
}

/** The incr file appends go to (getLastIncrAofName's lookup part), or null when there is none. */
export function lastIncrFile(m: AofManifest): AofFileInfo | null {
  return m.incrs.length > 0 ? m.incrs[m.incrs.length - 1] : null;
}

/** aofDelHistoryFiles' manifest part: the history files have been handed over for deletion. */
export function withoutHistory(m: AofManifest): AofManifest {
  const next = cloneManifest(m);
  next.history = [];
  return next;
}

/** aofUpgradePrepare's manifest part: an old single-file AOF becomes base number 1. */
export function upgradeFromSingleFile(m: AofManifest, appendfilename: string): AofManifest {
  const next = cloneManifest(m);
  next.base = { name: appendfilename, seq: 1, type: 'b' };
  next.currBaseSeq = 1;
  return next;
}
