// String commands (t_string.c). Values are latin1 strings: one char per byte.

import { int64Arg } from './args.js';
import { constants as bufferConstants } from 'node:buffer';
import { Errors } from '../protocol/errors.js';
import { addInt64, int64ToString, negInt64, parseInt64, toNumber, type Int64 } from '../util/int64.js';
import { incrByFloatText } from '../util/long-double.js';
import type { Client } from '../server/client.js';
import { notify, Notify } from '../server/keyspace-events.js';
import type { Value } from '../keyspace/database.js';
import type { CommandSpec } from './types.js';

/** The longest string V8 can hold (2^29 - 24 on 64-bit builds): a hard cap below 512 MiB. */
export const MAX_JS_STRING = bufferConstants.MAX_STRING_LENGTH;


/**
 * checkStringLength: a string of size + append bytes must fit proto-max-bulk-len
 * (the master link is exempt) and, here, what a JS string can hold. Replies on failure.
 */
export function checkStringLength(c: Client, size: number, append: number): boolean {
  const total = size + append;
  if ((!c.isMaster && total > c.server.config.num('proto-max-bulk-len')) || total > MAX_JS_STRING) {
    c.error(Errors.stringTooBig);
    return false;
  }
  return true;
}

/** Reads a string value for a reply; replies WRONGTYPE and returns false for other types. */
export function getStringOrReply(c: Client, key: string): string | null | false {
  const v: Value | undefined = c.db.getRead(key);
  if (v === undefined) return null;
  if (typeof v !== 'string') {
    c.error(Errors.wrongType);
    return false;
  }
  return v;
}

/** getGenericCommand: replies the value (or null); false after a WRONGTYPE error. */
function replyGet(c: Client, key: string): boolean {
  const v = getStringOrReply(c, key);
  if (v === false) return false;
  if (v === null) c.nullBulk();
  else c.bulk(v);
  return true;
}

/** GET key */
function get(c: Client, argv: string[]): void {
  replyGet(c, argv[1]);
}

const SET_NX = 1;
const SET_XX = 2;
const SET_GET = 4;
const SET_KEEPTTL = 8;
const SET_EX = 16;
const SET_PX = 32;
const SET_EXAT = 64;
const SET_PXAT = 128;
const SET_PERSIST = 256;
const SET_ANY_EXPIRE = SET_EX | SET_PX | SET_EXAT | SET_PXAT;

/** Parsed SET/GETEX options: flags, and the expire argument when one was given. */
let parsedFlags = 0;
let parsedExpire: string | null = null;

/**
 * parseExtendedStringArgumentsOrReply: SET options from argv[3] (isGet false) or
 * GETEX options from argv[2]. Leaves the result in parsedFlags / parsedExpire.
 */
function parseExtendedArgs(c: Client, argv: string[], isGet: boolean): boolean {
  let flags = 0;
  let expire: string | null = null;
  for (let j = isGet ? 2 : 3; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    const hasNext = j < argv.length - 1;
    if (opt === 'nx' && !(flags & SET_XX) && !isGet) flags |= SET_NX;
    else if (opt === 'xx' && !(flags & SET_NX) && !isGet) flags |= SET_XX;
    else if (opt === 'get' && !isGet) flags |= SET_GET;
    else if (opt === 'keepttl' && !(flags & (SET_PERSIST | SET_ANY_EXPIRE)) && !isGet) flags |= SET_KEEPTTL;
    else if (opt === 'persist' && isGet && !(flags & (SET_ANY_EXPIRE | SET_KEEPTTL))) flags |= SET_PERSIST;
    else if (opt === 'ex' && !(flags & (SET_KEEPTTL | SET_PERSIST | SET_EXAT | SET_PX | SET_PXAT)) && hasNext) {
      flags |= SET_EX;
      expire = argv[++j];
    } else if (opt === 'px' && !(flags & (SET_KEEPTTL | SET_PERSIST | SET_EX | SET_EXAT | SET_PXAT)) && hasNext) {
      flags |= SET_PX;
      expire = argv[++j];
    } else if (opt === 'exat' && !(flags & (SET_KEEPTTL | SET_PERSIST | SET_EX | SET_PX | SET_PXAT)) && hasNext) {
      flags |= SET_EXAT;
      expire = argv[++j];
    } else if (opt === 'pxat' && !(flags & (SET_KEEPTTL | SET_PERSIST | SET_EX | SET_EXAT | SET_PX)) && hasNext) {
      flags |= SET_PXAT;
      expire = argv[++j];
    } else {
      c.error(Errors.syntax);
      return false;
    }
  }
  parsedFlags = flags;
  parsedExpire = expire;
  return true;
}

/** The absolute expiry as an exact int64, or null after replying an error. */
function expireArgToAbs(c: Client, arg: string, inSeconds: boolean, relative: boolean, cmdName: string): bigint | null {
  const v = parseInt64(arg);
  if (v === null) {
    c.error(Errors.notInteger);
    return null;
  }
  if (v <= 0 || (inSeconds && BigInt(v) > 9223372036854775807n / 1000n)) {
    c.error(Errors.invalidExpire(cmdName));
    return null;
  }
  let ms = BigInt(v) * (inSeconds ? 1000n : 1n);
  if (relative) ms += BigInt(c.server.hooks.now);
  // The C addition wraps on overflow and is then caught as a non-positive time.
  if (ms <= 0n || ms > 9223372036854775807n) {
    c.error(Errors.invalidExpire(cmdName));
    return null;
  }
  return ms;
}

/**
 * getExpireMillisecondsOrReply: the absolute expiry in ms for a relative or absolute
 * argument, or null after replying an error.
 */
export function expireArgToAbsMs(c: Client, arg: string, inSeconds: boolean, relative: boolean, cmdName: string): number | null {
  const ms = expireArgToAbs(c, arg, inSeconds, relative, cmdName);
  return ms === null ? null : Number(ms);
}

/**
 * setGenericCommand for SET, SETNX, SETEX, PSETEX. `intReply`: SETNX answers 1/0
 * instead of OK/null.
 */
function setGeneric(c: Client, argv: string[], flags: number, key: string, val: string, expire: string | null, cmdName: string, intReply: boolean): void {
  let when = 0n;
  if (expire !== null) {
    const ms = expireArgToAbs(c, expire, (flags & (SET_EX | SET_EXAT)) !== 0, (flags & (SET_EX | SET_PX)) !== 0, cmdName);
    if (ms === null) return;
    when = ms;
  }
  if (flags & SET_GET && !replyGet(c, key)) return;
  const db = c.db;
  const found = db.get(key) !== undefined;
  if ((flags & SET_NX && found) || (flags & SET_XX && !found)) {
    if (!(flags & SET_GET)) {
      if (intReply) c.int(0);
      else c.nullBulk();
    }
    return;
  }
  db.set(key, val, (flags & SET_KEEPTTL) !== 0);
  c.server.dirty++;
  notify(c, Notify.string, 'set', key);
  if (expire !== null) {
    db.setExpire(key, Number(when));
    c.server.propagateAs = [['SET', key, val, 'PXAT', when.toString()]];
    notify(c, Notify.generic, 'expire', key);
  } else if (flags & SET_GET) {
    // Replicas get the SET without its GET options.
    const out: string[] = [];
    for (let j = 0; j < argv.length; j++) {
      if (j >= 3 && argv[j].length === 3 && argv[j].toLowerCase() === 'get') continue;
      out.push(argv[j]);
    }
    c.server.propagateAs = [out];
  }
  if (!(flags & SET_GET)) {
    if (intReply) c.int(1);
    else c.ok();
  }
}

/** SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL] */
function set(c: Client, argv: string[]): void {
  if (!parseExtendedArgs(c, argv, false)) return;
  setGeneric(c, argv, parsedFlags, argv[1], argv[2], parsedExpire, 'set', false);
}

/** SETNX key value */
function setnx(c: Client, argv: string[]): void {
  setGeneric(c, argv, SET_NX, argv[1], argv[2], null, 'setnx', true);
}

/** SETEX key seconds value */
function setex(c: Client, argv: string[]): void {
  setGeneric(c, argv, SET_EX, argv[1], argv[3], argv[2], 'setex', false);
}

/** PSETEX key milliseconds value */
function psetex(c: Client, argv: string[]): void {
  setGeneric(c, argv, SET_PX, argv[1], argv[3], argv[2], 'psetex', false);
}

/** GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST] */
function getex(c: Client, argv: string[]): void {
  if (!parseExtendedArgs(c, argv, true)) return;
  const flags = parsedFlags;
  const expire = parsedExpire;
  const key = argv[1];
  const v = getStringOrReply(c, key);
  if (v === false) return;
  if (v === null) {
    c.nullBulk();
    return;
  }
  let when = 0n;
  if (expire !== null) {
    const ms = expireArgToAbs(c, expire, (flags & (SET_EX | SET_EXAT)) !== 0, (flags & (SET_EX | SET_PX)) !== 0, 'getex');
    if (ms === null) return;
    when = ms;
  }
  c.bulk(v);
  const server = c.server;
  const db = c.db;
  if (flags & (SET_EXAT | SET_PXAT) && when <= BigInt(server.hooks.now) && !server.replication.loading && !server.replication.isReplica) {
    // An absolute time already in the past deletes the key, propagated as such.
    db.delete(key);
    server.propagateAs = [[server.config.bool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', key]];
    notify(c, Notify.generic, 'del', key);
    server.dirty++;
  } else if (expire !== null) {
    db.setExpire(key, Number(when));
    db.touch(key);
    server.propagateAs = [['PEXPIREAT', key, when.toString()]];
    notify(c, Notify.generic, 'expire', key);
    server.dirty++;
  } else if (flags & SET_PERSIST) {
    if (db.removeExpire(key)) {
      db.touch(key);
      server.propagateAs = [['PERSIST', key]];
      notify(c, Notify.generic, 'persist', key);
      server.dirty++;
    }
  }
}

/** GETDEL key */
function getdel(c: Client, argv: string[]): void {
  const key = argv[1];
  if (!replyGet(c, key)) return;
  const server = c.server;
  if (c.db.delete(key)) {
    server.propagateAs = [[server.config.bool('lazyfree-lazy-user-del') ? 'UNLINK' : 'DEL', key]];
    notify(c, Notify.generic, 'del', key);
    server.dirty++;
  }
}

/** GETSET key value */
function getset(c: Client, argv: string[]): void {
  if (!replyGet(c, argv[1])) return;
  c.db.set(argv[1], argv[2]);
  notify(c, Notify.string, 'set', argv[1]);
  c.server.dirty++;
  c.server.propagateAs = [['SET', argv[1], argv[2]]];
}

/** MGET key [key ...] */
function mget(c: Client, argv: string[]): void {
  const db = c.db;
  c.arrayLen(argv.length - 1);
  for (let j = 1; j < argv.length; j++) {
    const v = db.getRead(argv[j]);
    if (typeof v === 'string') c.bulk(v);
    else c.nullBulk();
  }
}

function msetGeneric(c: Client, argv: string[], nx: boolean): void {
  if (argv.length % 2 === 0) {
    c.error(Errors.wrongArgs(nx ? 'msetnx' : 'mset'));
    return;
  }
  const db = c.db;
  if (nx) {
    for (let j = 1; j < argv.length; j += 2) {
      if (db.get(argv[j]) !== undefined) {
        c.int(0);
        return;
      }
    }
  }
  for (let j = 1; j < argv.length; j += 2) {
    db.set(argv[j], argv[j + 1]);
    notify(c, Notify.string, 'set', argv[j]);
  }
  c.server.dirty += (argv.length - 1) / 2;
  if (nx) c.int(1);
  else c.ok();
}

/** MSET key value [key value ...] */
function mset(c: Client, argv: string[]): void {
  msetGeneric(c, argv, false);
}

/** MSETNX key value [key value ...] */
function msetnx(c: Client, argv: string[]): void {
  msetGeneric(c, argv, true);
}

/** incrDecrCommand: the stored integer plus incr; the key keeps its TTL. */
function incrDecr(c: Client, key: string, incr: Int64): void {
  const db = c.db;
  const o = db.get(key);
  let value: Int64 = 0;
  if (o !== undefined) {
    if (typeof o !== 'string') {
      c.error(Errors.wrongType);
      return;
    }
    const v = int64Arg(c, o);
    if (v === null) return;
    value = v;
  }
  const r = addInt64(value, incr);
  if (r === null) {
    c.error(Errors.overflow);
    return;
  }
  db.set(key, int64ToString(r), true);
  notify(c, Notify.string, 'incrby', key);
  c.server.dirty++;
  c.int(r);
}

/** INCR key */
function incr(c: Client, argv: string[]): void {
  incrDecr(c, argv[1], 1);
}

/** DECR key */
function decr(c: Client, argv: string[]): void {
  incrDecr(c, argv[1], -1);
}

/** INCRBY key increment */
function incrby(c: Client, argv: string[]): void {
  const n = int64Arg(c, argv[2]);
  if (n === null) return;
  incrDecr(c, argv[1], n);
}

/** DECRBY key decrement */
function decrby(c: Client, argv: string[]): void {
  const n = int64Arg(c, argv[2]);
  if (n === null) return;
  if (n === -9223372036854775808n) {
    c.error(Errors.decrementWouldOverflow);
    return;
  }
  incrDecr(c, argv[1], negInt64(n) as Int64);
}

/** INCRBYFLOAT key increment */
function incrbyfloat(c: Client, argv: string[]): void {
  const key = argv[1];
  const db = c.db;
  const o = db.get(key);
  if (o !== undefined && typeof o !== 'string') {
    c.error(Errors.wrongType);
    return;
  }
  const r = incrByFloatText(o === undefined ? null : o, argv[2]);
  if (!r.ok) {
    c.error(r.error === 'naninf' ? 'ERR increment would produce NaN or Infinity' : Errors.notFloat);
    return;
  }
  db.set(key, r.text, true);
  notify(c, Notify.string, 'incrbyfloat', key);
  c.server.dirty++;
  c.bulk(r.text);
  // Replicas and the AOF get the result, never the float arithmetic.
  c.server.propagateAs = [['SET', key, r.text, 'KEEPTTL']];
}

/** APPEND key value */
function append(c: Client, argv: string[]): void {
  const key = argv[1];
  const db = c.db;
  const o = db.get(key);
  let total: number;
  if (o === undefined) {
    db.add(key, argv[2]);
    total = argv[2].length;
  } else {
    if (typeof o !== 'string') {
      c.error(Errors.wrongType);
      return;
    }
    if (!checkStringLength(c, o.length, argv[2].length)) return;
    const v = o + argv[2];
    db.setBuiltInPlace(key, v);
    total = v.length;
  }
  notify(c, Notify.string, 'append', key);
  c.server.dirty++;
  c.int(total);
}

/** STRLEN key */
function strlen(c: Client, argv: string[]): void {
  const v = getStringOrReply(c, argv[1]);
  if (v === false) return;
  c.int(v === null ? 0 : v.length);
}

/** SETRANGE key offset value */
function setrange(c: Client, argv: string[]): void {
  const key = argv[1];
  const value = argv[3];
  const off = int64Arg(c, argv[2]);
  if (off === null) return;
  if (off < 0) {
    c.error(Errors.offsetIsOutOfRange);
    return;
  }
  const db = c.db;
  const o = db.get(key);
  let old = '';
  if (o === undefined) {
    if (value.length === 0) {
      c.int(0);
      return;
    }
  } else {
    if (typeof o !== 'string') {
      c.error(Errors.wrongType);
      return;
    }
    if (value.length === 0) {
      c.int(o.length);
      return;
    }
    old = o;
  }
  // A bigint offset is beyond any limit: let the length check reject it.
  const offset = typeof off === 'number' ? off : Number.MAX_SAFE_INTEGER;
  if (!checkStringLength(c, offset, value.length)) return;
  let v: string;
  if (offset > old.length) v = old + '\0'.repeat(offset - old.length) + value;
  else if (offset + value.length >= old.length) v = old.slice(0, offset) + value;
  else v = old.slice(0, offset) + value + old.slice(offset + value.length);
  db.setBuiltInPlace(key, v);
  notify(c, Notify.string, 'setrange', key);
  c.server.dirty++;
  c.int(v.length);
}

/** Bounds left by clampRange. */
let rangeStart = 0;
let rangeEnd = 0;

/**
 * Clamps a start/end pair over a string of len bytes as GETRANGE does;
 * returns false when the range is empty. Leaves the bounds in rangeStart/rangeEnd.
 */
function clampRange(start: Int64, end: Int64, len: number): boolean {
  // int64 compared exactly (number vs bigint compares by value).
  if (start < 0 && end < 0 && start > end) return false;
  let s = toNumber(start);
  let e = toNumber(end);
  if (s < 0) s = len + s;
  if (e < 0) e = len + e;
  if (s < 0) s = 0;
  if (e < 0) e = 0;
  if (e >= len) e = len - 1;
  if (s > e || len === 0) return false;
  rangeStart = s;
  rangeEnd = e;
  return true;
}

/** GETRANGE key start end (and SUBSTR) */
function getrange(c: Client, argv: string[]): void {
  const start = int64Arg(c, argv[2]);
  if (start === null) return;
  const end = int64Arg(c, argv[3]);
  if (end === null) return;
  const v = c.db.getRead(argv[1]);
  if (v === undefined) {
    c.bulk('');
    return;
  }
  if (typeof v !== 'string') {
    c.error(Errors.wrongType);
    return;
  }
  if (!clampRange(start, end, v.length)) c.bulk('');
  else c.bulk(v.slice(rangeStart, rangeEnd + 1));
}

/** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN] */
function lcs(c: Client, argv: string[]): void {
  const db = c.db;
  const oa = db.getRead(argv[1]);
  const ob = db.getRead(argv[2]);
  if ((oa !== undefined && typeof oa !== 'string') || (ob !== undefined && typeof ob !== 'string')) {
    c.error(Errors.theSpecifiedKeysMustContainStringValues);
    return;
  }
  const a = oa === undefined ? '' : oa;
  const b = ob === undefined ? '' : ob;
  let getlen = false;
  let getidx = false;
  let withmatchlen = false;
  let minmatchlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    const moreargs = argv.length - 1 - j;
    if (opt === 'idx') getidx = true;
    else if (opt === 'len') getlen = true;
    else if (opt === 'withmatchlen') withmatchlen = true;
    else if (opt === 'minmatchlen' && moreargs > 0) {
      const n = int64Arg(c, argv[j + 1]);
      if (n === null) return;
      minmatchlen = n < 0 ? 0 : toNumber(n);
      j++;
    } else {
      c.error(Errors.syntax);
      return;
    }
  }
  if (getlen && getidx) {
    c.error(Errors.ifYouWantBothTheLengthAnd);
    return;
  }
  const alen = a.length;
  const blen = b.length;
  const cols = blen + 1;
  const cells = (alen + 1) * cols;
  if (cells * 4 > c.server.config.num('proto-max-bulk-len')) {
    c.error(Errors.insufficientMemoryTransientMemoryForLcsExceeds);
    return;
  }
  let table: Uint32Array;
  try {
    table = new Uint32Array(cells);
  } catch {
    c.error(Errors.insufficientMemoryFailedAllocatingTransientMemoryFor);
    return;
  }
  // table[i*cols + j]: LCS length of a[0..i) and b[0..j); row 0 and column 0 stay 0.
  for (let i = 1; i <= alen; i++) {
    const ai = a.charCodeAt(i - 1);
    const row = i * cols;
    const prev = row - cols;
    for (let j = 1; j <= blen; j++) {
      if (ai === b.charCodeAt(j - 1)) {
        table[row + j] = table[prev + j - 1] + 1;
      } else {
        const l1 = table[prev + j];
        const l2 = table[row + j - 1];
        table[row + j] = l1 > l2 ? l1 : l2;
      }
    }
  }
  const total = table[alen * cols + blen];
  if (getlen) {
    c.int(total);
    return;
  }
  // Walk back from the end, collecting the LCS bytes and (for IDX) the matching ranges.
  const result = Buffer.allocUnsafe(total);
  const ranges: number[] = [];
  let idx = total;
  let i = alen;
  let j = blen;
  let aStart = alen; // alen: no range in progress
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  while (i > 0 && j > 0) {
    let emit = false;
    const ch = a.charCodeAt(i - 1);
    if (ch === b.charCodeAt(j - 1)) {
      result[idx - 1] = ch;
      if (aStart === alen) {
        aStart = i - 1;
        aEnd = i - 1;
        bStart = j - 1;
        bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      const l1 = table[(i - 1) * cols + j];
      const l2 = table[i * cols + j - 1];
      if (l1 > l2) i--;
      else j--;
      if (aStart !== alen) emit = true;
    }
    if (emit) {
      const matchLen = aEnd - aStart + 1;
      if (getidx && (minmatchlen === 0 || matchLen >= minmatchlen)) ranges.push(aStart, aEnd, bStart, bEnd, matchLen);
      aStart = alen;
    }
  }
  if (!getidx) {
    c.bulk(result.toString('latin1'));
    return;
  }
  c.mapLen(2);
  c.bulk('matches');
  const n = ranges.length / 5;
  c.arrayLen(n);
  for (let k = 0; k < ranges.length; k += 5) {
    c.arrayLen(withmatchlen ? 3 : 2);
    c.arrayLen(2);
    c.int(ranges[k]);
    c.int(ranges[k + 1]);
    c.arrayLen(2);
    c.int(ranges[k + 2]);
    c.int(ranges[k + 3]);
    if (withmatchlen) c.int(ranges[k + 4]);
  }
  c.bulk('len');
  c.int(total);
}

export const stringCommands: CommandSpec[] = [
  { name: 'get', arity: 2, flags: ['readonly', 'fast'], group: 'string', handler: get, keys: [1, 1, 1] },
  { name: 'set', arity: -3, flags: ['write', 'denyoom'], group: 'string', handler: set, keys: [1, 1, 1] },
  { name: 'setnx', arity: 3, flags: ['write', 'denyoom', 'fast'], group: 'string', handler: setnx, keys: [1, 1, 1] },
  { name: 'setex', arity: 4, flags: ['write', 'denyoom'], group: 'string', handler: setex, keys: [1, 1, 1] },
  { name: 'psetex', arity: 4, flags: ['write', 'denyoom'], group: 'string', handler: psetex, keys: [1, 1, 1] },
  { name: 'getex', arity: -2, flags: ['write', 'fast'], group: 'string', handler: getex, keys: [1, 1, 1] },
  { name: 'getdel', arity: 2, flags: ['write', 'fast'], group: 'string', handler: getdel, keys: [1, 1, 1] },
  { name: 'getset', arity: 3, flags: ['write', 'denyoom', 'fast'], group: 'string', handler: getset, keys: [1, 1, 1] },
  { name: 'mget', arity: -2, flags: ['readonly', 'fast'], group: 'string', handler: mget, keys: [1, -1, 1] },
  { name: 'mset', arity: -3, flags: ['write', 'denyoom'], group: 'string', handler: mset, keys: [1, -1, 2] },
  { name: 'msetnx', arity: -3, flags: ['write', 'denyoom'], group: 'string', handler: msetnx, keys: [1, -1, 2] },
  { name: 'append', arity: 3, flags: ['write', 'denyoom', 'fast'], group: 'string', handler: append, keys: [1, 1, 1] },
  { name: 'strlen', arity: 2, flags: ['readonly', 'fast'], group: 'string', handler: strlen, keys: [1, 1, 1] },
  { name: 'incr', arity: 2, flags: ['write', 'denyoom', 'fast'], group: 'string', handler: incr, keys: [1, 1, 1] },
  { name: 'decr', arity: 2, flags: ['write', 'denyoom', 'fast'], group: 'string', handler: decr, keys: [1, 1, 1] },
  { name: 'incrby', arity: 3, flags: ['write', 'denyoom', 'fast'], group: 'string', handler: incrby, keys: [1, 1, 1] },
  { name: 'decrby', arity: 3, flags: ['write', 'denyoom', 'fast'], group: 'string', handler: decrby, keys: [1, 1, 1] },
  { name: 'incrbyfloat', arity: 3, flags: ['write', 'denyoom', 'fast'], group: 'string', handler: incrbyfloat, keys: [1, 1, 1] },
  { name: 'getrange', arity: 4, flags: ['readonly'], group: 'string', handler: getrange, keys: [1, 1, 1] },
  { name: 'substr', arity: 4, flags: ['readonly'], group: 'string', handler: getrange, keys: [1, 1, 1] },
  { name: 'setrange', arity: 4, flags: ['write', 'denyoom'], group: 'string', handler: setrange, keys: [1, 1, 1] },
  { name: 'lcs', arity: -3, flags: ['readonly'], group: 'string', handler: lcs, keys: [1, 2, 1] },
];
