// Sorted-set commands (t_zset.c): ZADD and friends, range queries by rank, score
// and lex, store variants, pops (blocking ones through src/server/blocking.ts),
// ZUNION/ZINTER/ZDIFF over sorted sets and plain sets, ZRANDMEMBER and ZSCAN.
// Replies follow 7.0 byte for byte in RESP2 and RESP3 (WITHSCORES pairs nest in
// RESP3 only where 7.0 nests them).

import { Errors } from '../protocol/errors.js';
import { parseInt64 } from '../util/int64.js';
import { parseStrtod } from '../util/strtod.js';
import { formatDouble } from '../util/number-format.js';
import { globMatch } from '../keyspace/glob.js';
import { parseScanCursor, scanCursors } from '../keyspace/scan-cursor.js';
import {
  ZSetValue,
  lexGteMin,
  lexLteMax,
  scoreGteMin,
  scoreLteMax,
  type LexRange,
  type ScoreRange,
  type ZNode,
  type ZsetLimits,
} from '../keyspace/types/zset.js';
import type { SetValue } from '../keyspace/types/set.js';
import { doubleArg, intArg, lookupTyped, timeoutArg, int64Arg } from './args.js';
import type { Client } from '../server/client.js';
import type { CommandSpec } from './types.js';

const ERR_NAN = 'ERR resulting score is not a number (NaN)';
const ERR_NOT_FLOAT_RANGE = 'ERR min or max is not a float';
const ERR_NOT_LEX_RANGE = 'ERR min or max not valid string range item';
const ERR_POSITIVE = 'ERR value is out of range, must be positive';
const EMPTY_SCAN = '*2\r\n$1\r\n0\r\n*0\r\n';

// ---- shared helpers ----

/** strcasecmp(a, lower) == 0: C compares up to the first NUL byte. */
export function eqi(a: string, lower: string): boolean {
  if (a.length !== lower.length) {
    const nul = a.indexOf('\0');
    if (nul !== lower.length) return false;
    a = a.slice(0, nul);
  }
  return a === lower || a.toLowerCase() === lower;
}

export function zsetLimits(c: Client): ZsetLimits {
  const cfg = c.server.config;
  return { maxEntries: cfg.num('zset-max-listpack-entries'), maxValue: cfg.num('zset-max-listpack-value') };
}

/** setKey: a new key is added (waking blocked clients), an existing one overwritten (TTL dropped). */
export function storeKey(c: Client, key: string, value: ZSetValue): void {
  if (c.db.get(key) === undefined) c.db.add(key, value);
  else c.db.set(key, value);
}

/**
 * zsetAdd's insert: a score written into a listpack is stored as text and read
 * back, which turns -0 into 0. A new member that makes the set outgrow the
 * listpack converts it first, so it keeps its sign.
 */
export function zsetAddScore(z: ZSetValue, member: string, score: number, lim: ZsetLimits): void {
  if (score === 0 && z.isListpack) {
    if (z.score(member) !== undefined || (z.size + 1 <= lim.maxEntries && member.length <= lim.maxValue)) score = 0;
  }
  z.add(member, score, lim);
}

/**
 * A result built as a skiplist then converted when it fits
 * (zsetConvertToListpackIfNeeded): all or none of its scores lose a -0 sign.
 */
export function buildZset(members: readonly string[], scores: number[], lim: ZsetLimits): ZSetValue {
  const n = members.length;
  let fits = n <= lim.maxEntries;
  for (let i = 0; fits && i < n; i++) if (members[i].length > lim.maxValue) fits = false;
  const z = new ZSetValue();
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    z.add(members[i], fits && s === 0 ? 0 : s, lim);
  }
  return z;
}

/** Replies nodes as ZRANGE does: flat member/score in RESP2, [member, score] pairs in RESP3. */
function replyNodes(c: Client, nodes: readonly ZNode[], withscores: boolean): void {
  const n = nodes.length;
  const nested = withscores && c.resp === 3;
  c.arrayLen(withscores && !nested ? n * 2 : n);
  for (let i = 0; i < n; i++) {
    const node = nodes[i];
    if (nested) c.arrayLen(2);
    c.bulk(node.member);
    if (withscores) c.double(node.score);
  }
}

/** ZRANGESTORE's result into `dst`, added one by one as Redis does: count reply, or 0 and dst deleted. */
function storeNodes(c: Client, dst: string, nodes: readonly ZNode[], knownLength: boolean): void {
  if (nodes.length === 0) {
    c.int(0);
    if (c.db.delete(dst)) c.server.dirty++;
    return;
  }
  const lim = zsetLimits(c);
  const z = new ZSetValue();
  // A rank range longer than a listpack allows starts as a skiplist.
  if (knownLength && nodes.length > lim.maxEntries) z.convertToSkiplist();
  for (let i = 0; i < nodes.length; i++) zsetAddScore(z, nodes[i].member, nodes[i].score, lim);
  storeKey(c, dst, z);
  c.int(z.size);
  c.server.dirty++;
}

function isSpace(ch: number): boolean {
  return ch === 32 || (ch >= 9 && ch <= 13);
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INFINITY = /^([+-]?)(inf|infinity)$/i;

/**
 * strtod as zslParseRange uses it: the C string (up to a NUL) must be consumed
 * whole; leading blanks are skipped, "" is 0, overflow gives ±inf, NaN is refused.
 */
function rangeDouble(s: string): number | null {
  const nul = s.indexOf('\0');
  if (nul !== -1) s = s.slice(0, nul);
  if (s.length === 0) return 0;
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  const t = i === 0 ? s : s.slice(i);
  if (DECIMAL.test(t)) return Number(t);
  const inf = INFINITY.exec(t);
  if (inf !== null) return inf[1] === '-' ? -Infinity : Infinity;
  const c0 = t.charCodeAt(0) === 43 || t.charCodeAt(0) === 45 ? 1 : 0;
  if (t.charCodeAt(c0) === 48 && (t.charCodeAt(c0 + 1) | 0x20) === 120) return parseStrtod(t);
  return null;
}

/** zslParseRange: "(" marks an exclusive bound. */
function parseScoreRange(minArg: string, maxArg: string): ScoreRange | null {
  let minEx = false;
  let maxEx = false;
  let a = minArg;
  let b = maxArg;
  if (a.charCodeAt(0) === 40 /* ( */) {
    minEx = true;
    a = a.slice(1);
  }
  if (b.charCodeAt(0) === 40) {
    maxEx = true;
    b = b.slice(1);
  }
  const min = rangeDouble(a);
  if (min === null) return null;
  const max = rangeDouble(b);
  if (max === null) return null;
  return { min, max, minExclusive: minEx, maxExclusive: maxEx };
}

/** One lex bound: 0 = "-", 1 = "+", 2 = a string ("(" exclusive or "[" inclusive); -1 invalid. */
function lexItemKind(s: string): number {
  const c0 = s.charCodeAt(0);
  // C checks c[1] == '\0': a NUL right after the sign counts as the end.
  if (c0 === 43 /* + */) return s.length === 1 || s.charCodeAt(1) === 0 ? 1 : -1;
  if (c0 === 45 /* - */) return s.length === 1 || s.charCodeAt(1) === 0 ? 0 : -1;
  if (c0 === 40 /* ( */ || c0 === 91 /* [ */) return 2;
  return -1;
}

/** zslParseLexRange. */
function parseLexRange(minArg: string, maxArg: string): LexRange | null {
  const kmin = lexItemKind(minArg);
  const kmax = lexItemKind(maxArg);
  if (kmin < 0 || kmax < 0) return null;
  return {
    min: kmin === 2 ? minArg.slice(1) : null,
    max: kmax === 2 ? maxArg.slice(1) : null,
    minExclusive: kmin === 2 && minArg.charCodeAt(0) === 40,
    maxExclusive: kmax === 2 && maxArg.charCodeAt(0) === 40,
    // "+" as the minimum or "-" as the maximum: nothing can be in range.
    empty: kmin === 1 || kmax === 0,
  };
}

/** A lex range no string can fall in (sdscmplex(min, max) > 0, or equal and exclusive). */
function lexEmpty(r: LexRange): boolean {
  if (r.empty === true) return true;
  if (r.min !== null && r.max !== null) return r.min > r.max || (r.min === r.max && (r.minExclusive || r.maxExclusive));
  return false;
}

/** zslIsInLexRange: the quick rejection both encodings make before searching. */
function lexInRange(z: ZSetValue, r: LexRange): boolean {
  if (lexEmpty(r)) return false;
  const last = z.last();
  if (last === null || !lexGteMin(last.member, r)) return false;
  const first = z.first() as ZNode;
  return lexLteMax(first.member, r);
}

/*
 * Lex ranges assume equal scores. When they differ, what Redis finds depends on
 * how it searches: a listpack is scanned element by element (reproduced here),
 * a skiplist is descended level by level (its random levels cannot be).
 */

/** zzlFirstInLexRange / zslFirstInLexRange */
function firstInLex(z: ZSetValue, r: LexRange): ZNode | null {
  if (!lexInRange(z, r)) return null;
  if (!z.isListpack) return z.firstInLexRange(r);
  for (let n = z.first(); n !== null; n = n.level[0].forward) {
    if (lexGteMin(n.member, r)) return lexLteMax(n.member, r) ? n : null;
  }
  return null;
}

/** zzlLastInLexRange / zslLastInLexRange */
function lastInLex(z: ZSetValue, r: LexRange): ZNode | null {
  if (!lexInRange(z, r)) return null;
  if (!z.isListpack) return z.lastInLexRange(r);
  for (let n = z.last(); n !== null; n = n.backward) {
    if (lexLteMax(n.member, r)) return lexGteMin(n.member, r) ? n : null;
  }
  return null;
}

// ---- ZADD / ZINCRBY ----

const ZADD_INCR = 1;
const ZADD_NX = 2;
const ZADD_XX = 4;
const ZADD_GT = 8;
const ZADD_LT = 16;

/** zaddGenericCommand over an argument vector: ZADD, ZINCRBY, and GEOADD's rewritten one. */
export function zaddGeneric(c: Client, argv: string[], flagsIn: number): void {
  const key = argv[1];
  let flags = flagsIn;
  let ch = false;
  let scoreidx = 2;
  while (scoreidx < argv.length) {
    const opt = argv[scoreidx];
    if (eqi(opt, 'nx')) flags |= ZADD_NX;
    else if (eqi(opt, 'xx')) flags |= ZADD_XX;
    else if (eqi(opt, 'ch')) ch = true;
    else if (eqi(opt, 'incr')) flags |= ZADD_INCR;
    else if (eqi(opt, 'gt')) flags |= ZADD_GT;
    else if (eqi(opt, 'lt')) flags |= ZADD_LT;
    else break;
    scoreidx++;
  }
  const incr = (flags & ZADD_INCR) !== 0;
  const nx = (flags & ZADD_NX) !== 0;
  const xx = (flags & ZADD_XX) !== 0;
  const gt = (flags & ZADD_GT) !== 0;
  const lt = (flags & ZADD_LT) !== 0;

  const args = argv.length - scoreidx;
  if (args % 2 !== 0 || args === 0) {
    c.error(Errors.syntax);
    return;
  }
  const elements = args / 2;
  if (nx && xx) {
    c.error('ERR XX and NX options at the same time are not compatible');
    return;
  }
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    c.error('ERR GT, LT, and/or NX options at the same time are not compatible');
    return;
  }
  if (incr && elements > 1) {
    c.error('ERR INCR option supports a single increment-element pair');
    return;
  }
  // Every score parses before anything changes: the command runs whole or not at all.
  const scores = new Array<number>(elements);
  for (let j = 0; j < elements; j++) {
    const s = doubleArg(c, argv[scoreidx + j * 2]);
    if (s === null) return;
    scores[j] = s;
  }

  let z = lookupTyped<ZSetValue>(c, key, 'zset', false);
  if (z === null) return;
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  if (z === undefined && !xx) {
    z = new ZSetValue();
    c.db.add(key, z);
  }
  if (z !== undefined) {
    const lim = zsetLimits(c);
    for (let j = 0; j < elements; j++) {
      score = scores[j];
      const member = argv[scoreidx + 1 + j * 2];
      const cur = z.score(member);
      if (cur !== undefined) {
        if (nx) continue;
        if (incr) {
          score += cur;
          if (Number.isNaN(score)) {
            c.error(ERR_NAN);
            return;
          }
        }
        if ((lt && score >= cur) || (gt && score <= cur)) continue;
        processed++;
        if (score !== cur) {
          zsetAddScore(z, member, score, lim);
          updated++;
        }
      } else if (!xx) {
        zsetAddScore(z, member, score, lim);
        added++;
        processed++;
      }
    }
    c.server.dirty += added + updated;
    if (added + updated > 0) c.db.touch(key);
  }
  if (incr) {
    if (processed > 0) c.double(score);
    else c.nullBulk();
  } else {
    c.int(ch ? added + updated : added);
  }
}

/** ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...] */
function zadd(c: Client, argv: string[]): void {
  zaddGeneric(c, argv, 0);
}

/** ZINCRBY key increment member */
function zincrby(c: Client, argv: string[]): void {
  zaddGeneric(c, argv, ZADD_INCR);
}

/** ZREM key member [member ...] */
function zrem(c: Client, argv: string[]): void {
  const key = argv[1];
  const z = lookupTyped<ZSetValue>(c, key, 'zset', false);
  if (z === null) return;
  if (z === undefined) {
    c.int(0);
    return;
  }
  let deleted = 0;
  let removed = false;
  for (let j = 2; j < argv.length; j++) {
    if (z.remove(argv[j])) deleted++;
    if (z.size === 0) {
      c.db.delete(key);
      removed = true;
      break;
    }
  }
  if (deleted > 0) {
    if (!removed) c.db.touch(key);
    c.server.dirty += deleted;
  }
  c.int(deleted);
}

// ---- ZREMRANGEBY* ----

const RANGE_AUTO = 0;
const RANGE_RANK = 1;
const RANGE_SCORE = 2;
const RANGE_LEX = 3;

/** zremrangeGenericCommand: parse the range, then delete it. */
function zremrangeGeneric(c: Client, argv: string[], type: number): void {
  const key = argv[1];
  let start = 0;
  let end = 0;
  let srange: ScoreRange | null = null;
  let lrange: LexRange | null = null;
  if (type === RANGE_RANK) {
    const s = intArg(c, argv[2]);
    if (s === null) return;
    const e = intArg(c, argv[3]);
    if (e === null) return;
    start = s;
    end = e;
  } else if (type === RANGE_SCORE) {
    srange = parseScoreRange(argv[2], argv[3]);
    if (srange === null) {
      c.error(ERR_NOT_FLOAT_RANGE);
      return;
    }
  } else {
    lrange = parseLexRange(argv[2], argv[3]);
    if (lrange === null) {
      c.error(ERR_NOT_LEX_RANGE);
      return;
    }
  }
  const z = lookupTyped<ZSetValue>(c, key, 'zset', false);
  if (z === null) return;
  if (z === undefined) {
    c.int(0);
    return;
  }
  const victims: string[] = [];
  if (type === RANGE_RANK) {
    const llen = z.size;
    if (start < 0) start = llen + start;
    if (end < 0) end = llen + end;
    if (start < 0) start = 0;
    if (start > end || start >= llen) {
      c.int(0);
      return;
    }
    if (end >= llen) end = llen - 1;
    let node = z.byRank(start);
    for (let n = end - start + 1; n > 0 && node !== null; n--) {
      victims.push(node.member);
      node = node.level[0].forward;
    }
  } else if (srange !== null) {
    let node = z.firstInScoreRange(srange);
    while (node !== null && scoreLteMax(node.score, srange)) {
      victims.push(node.member);
      node = node.level[0].forward;
    }
  } else if (lrange !== null) {
    // zslDeleteRangeByLex descends without the quick rejection; the listpack scan has it.
    let node = z.isListpack ? firstInLex(z, lrange) : z.firstInLexRange(lrange);
    while (node !== null && lexLteMax(node.member, lrange)) {
      victims.push(node.member);
      node = node.level[0].forward;
    }
  }
  for (let i = 0; i < victims.length; i++) z.remove(victims[i]);
  const deleted = victims.length;
  if (deleted > 0) {
    if (z.size === 0) c.db.delete(key);
    else c.db.touch(key);
  }
  c.server.dirty += deleted;
  c.int(deleted);
}

/** ZREMRANGEBYRANK key start stop */
function zremrangebyrank(c: Client, argv: string[]): void {
  zremrangeGeneric(c, argv, RANGE_RANK);
}

/** ZREMRANGEBYSCORE key min max */
function zremrangebyscore(c: Client, argv: string[]): void {
  zremrangeGeneric(c, argv, RANGE_SCORE);
}

/** ZREMRANGEBYLEX key min max */
function zremrangebylex(c: Client, argv: string[]): void {
  zremrangeGeneric(c, argv, RANGE_LEX);
}

// ---- ZRANGE family ----

const DIR_AUTO = 0;
const DIR_FORWARD = 1;
const DIR_REVERSE = 2;

function rankNodes(z: ZSetValue, start: number, end: number, reverse: boolean): ZNode[] {
  const llen = z.size;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  const out: ZNode[] = [];
  if (start > end || start >= llen) return out;
  if (end >= llen) end = llen - 1;
  let node = reverse ? z.byRank(llen - 1 - start) : z.byRank(start);
  for (let n = end - start + 1; n > 0 && node !== null; n--) {
    out.push(node);
    node = reverse ? node.backward : node.level[0].forward;
  }
  return out;
}

function scoreNodes(z: ZSetValue, range: ScoreRange, offset: number, limit: number, reverse: boolean): ZNode[] {
  const out: ZNode[] = [];
  if (offset > 0 && offset >= z.size) return out;
  let node = reverse ? z.lastInScoreRange(range) : z.firstInScoreRange(range);
  // A negative offset walks off the end, as the C loop does.
  while (node !== null && offset-- !== 0) node = reverse ? node.backward : node.level[0].forward;
  while (node !== null && limit-- !== 0) {
    if (reverse ? !scoreGteMin(node.score, range) : !scoreLteMax(node.score, range)) break;
    out.push(node);
    node = reverse ? node.backward : node.level[0].forward;
  }
  return out;
}

function lexNodes(z: ZSetValue, range: LexRange, offset: number, limit: number, reverse: boolean): ZNode[] {
  const out: ZNode[] = [];
  let node = reverse ? lastInLex(z, range) : firstInLex(z, range);
  while (node !== null && offset-- !== 0) node = reverse ? node.backward : node.level[0].forward;
  while (node !== null && limit-- !== 0) {
    if (reverse ? !lexGteMin(node.member, range) : !lexLteMax(node.member, range)) break;
    out.push(node);
    node = reverse ? node.backward : node.level[0].forward;
  }
  return out;
}

/**
 * zrangeGenericCommand: `src` is the index of the source key; a store writes into
 * argv[1]. Fixed rangetype/direction come from the legacy commands.
 */
function zrangeGeneric(c: Client, argv: string[], src: number, store: boolean, rangetype: number, direction: number): void {
  const key = argv[src];
  let minidx = src + 1;
  let maxidx = src + 2;
  let withscores = false;
  let offset = 0;
  let limit = -1;
  for (let j = src + 3; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const a = argv[j];
    if (!store && eqi(a, 'withscores')) {
      withscores = true;
    } else if (eqi(a, 'limit') && left >= 2) {
      const o = intArg(c, argv[j + 1]);
      if (o === null) return;
      const l = intArg(c, argv[j + 2]);
      if (l === null) return;
      offset = o;
      limit = l;
      j += 2;
    } else if (direction === DIR_AUTO && eqi(a, 'rev')) {
      direction = DIR_REVERSE;
    } else if (rangetype === RANGE_AUTO && eqi(a, 'bylex')) {
      rangetype = RANGE_LEX;
    } else if (rangetype === RANGE_AUTO && eqi(a, 'byscore')) {
      rangetype = RANGE_SCORE;
    } else {
      c.error(Errors.syntax);
      return;
    }
  }
  if (direction === DIR_AUTO) direction = DIR_FORWARD;
  if (rangetype === RANGE_AUTO) rangetype = RANGE_RANK;
  if (limit !== -1 && rangetype === RANGE_RANK) {
    c.error('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
    return;
  }
  if (withscores && rangetype === RANGE_LEX) {
    c.error('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
    return;
  }
  const reverse = direction === DIR_REVERSE;
  if (reverse && rangetype !== RANGE_RANK) {
    // The range is given as max, min.
    const t = maxidx;
    maxidx = minidx;
    minidx = t;
  }
  let start = 0;
  let end = 0;
  let srange: ScoreRange | null = null;
  let lrange: LexRange | null = null;
  if (rangetype === RANGE_RANK) {
    const s = intArg(c, argv[minidx]);
    if (s === null) return;
    const e = intArg(c, argv[maxidx]);
    if (e === null) return;
    start = s;
    end = e;
  } else if (rangetype === RANGE_SCORE) {
    srange = parseScoreRange(argv[minidx], argv[maxidx]);
    if (srange === null) {
      c.error(ERR_NOT_FLOAT_RANGE);
      return;
    }
  } else {
    lrange = parseLexRange(argv[minidx], argv[maxidx]);
    if (lrange === null) {
      c.error(ERR_NOT_LEX_RANGE);
      return;
    }
  }
  const z = lookupTyped<ZSetValue>(c, key, 'zset', true);
  if (z === null) return;
  if (z === undefined) {
    if (store) storeNodes(c, argv[1], [], false);
    else c.arrayLen(0);
    return;
  }
  let nodes: ZNode[];
  if (rangetype === RANGE_RANK) nodes = rankNodes(z, start, end, reverse);
  else if (srange !== null) nodes = scoreNodes(z, srange, offset, limit, reverse);
  else nodes = lexNodes(z, lrange as LexRange, offset, limit, reverse);
  if (store) storeNodes(c, argv[1], nodes, rangetype === RANGE_RANK);
  else replyNodes(c, nodes, withscores);
}

/** ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES] */
function zrange(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, false, RANGE_AUTO, DIR_AUTO);
}

/** ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count] */
function zrangestore(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 2, true, RANGE_AUTO, DIR_AUTO);
}

/** ZREVRANGE key start stop [WITHSCORES] */
function zrevrange(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, false, RANGE_RANK, DIR_REVERSE);
}

/** ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count] */
function zrangebyscore(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, false, RANGE_SCORE, DIR_FORWARD);
}

/** ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count] */
function zrevrangebyscore(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, false, RANGE_SCORE, DIR_REVERSE);
}

/** ZRANGEBYLEX key min max [LIMIT offset count] */
function zrangebylex(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, false, RANGE_LEX, DIR_FORWARD);
}

/** ZREVRANGEBYLEX key max min [LIMIT offset count] */
function zrevrangebylex(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, false, RANGE_LEX, DIR_REVERSE);
}

/** ZCOUNT key min max */
function zcount(c: Client, argv: string[]): void {
  const range = parseScoreRange(argv[2], argv[3]);
  if (range === null) {
    c.error(ERR_NOT_FLOAT_RANGE);
    return;
  }
  const z = lookupTyped<ZSetValue>(c, argv[1], 'zset', true);
  if (z === null) return;
  if (z === undefined) {
    c.int(0);
    return;
  }
  c.int(countBetween(z, z.firstInScoreRange(range), z.lastInScoreRange(range)));
}

/** ZLEXCOUNT key min max */
function zlexcount(c: Client, argv: string[]): void {
  const range = parseLexRange(argv[2], argv[3]);
  if (range === null) {
    c.error(ERR_NOT_LEX_RANGE);
    return;
  }
  const z = lookupTyped<ZSetValue>(c, argv[1], 'zset', true);
  if (z === null) return;
  if (z === undefined) {
    c.int(0);
    return;
  }
  const first = firstInLex(z, range);
  if (first === null) {
    c.int(0);
    return;
  }
  if (z.isListpack) {
    let count = 0;
    for (let n: ZNode | null = first; n !== null && lexLteMax(n.member, range); n = n.level[0].forward) count++;
    c.int(count);
    return;
  }
  const last = lastInLex(z, range);
  c.int(last === null ? z.size - (z.rank(first.member) as number) : (z.rank(last.member) as number) - (z.rank(first.member) as number) + 1);
}

/** Elements from first to last inclusive, by rank difference (score order makes last >= first). */
function countBetween(z: ZSetValue, first: ZNode | null, last: ZNode | null): number {
  if (first === null || last === null) return 0;
  return (z.rank(last.member) as number) - (z.rank(first.member) as number) + 1;
}

/** ZCARD key */
function zcard(c: Client, argv: string[]): void {
  const z = lookupTyped<ZSetValue>(c, argv[1], 'zset', true);
  if (z === null) return;
  c.int(z === undefined ? 0 : z.size);
}

/** ZSCORE key member */
function zscore(c: Client, argv: string[]): void {
  const z = lookupTyped<ZSetValue>(c, argv[1], 'zset', true);
  if (z === null) return;
  const s = z === undefined ? undefined : z.score(argv[2]);
  if (s === undefined) c.nullBulk();
  else c.double(s);
}

/** ZMSCORE key member [member ...] */
function zmscore(c: Client, argv: string[]): void {
  const z = lookupTyped<ZSetValue>(c, argv[1], 'zset', true);
  if (z === null) return;
  c.arrayLen(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const s = z === undefined ? undefined : z.score(argv[j]);
    if (s === undefined) c.nullBulk();
    else c.double(s);
  }
}

function zrankGeneric(c: Client, argv: string[], reverse: boolean): void {
  const z = lookupTyped<ZSetValue>(c, argv[1], 'zset', true);
  if (z === null) return;
  if (z === undefined) {
    c.nullBulk();
    return;
  }
  const r = z.rank(argv[2]);
  if (r === undefined) c.nullBulk();
  else c.int(reverse ? z.size - 1 - r : r);
}

/** ZRANK key member */
function zrank(c: Client, argv: string[]): void {
  zrankGeneric(c, argv, false);
}

/** ZREVRANK key member */
function zrevrank(c: Client, argv: string[]): void {
  zrankGeneric(c, argv, true);
}

// ---- pops ----

/**
 * genericZpopCommand's pop and reply for a non-empty zset: `count` -1 is a plain
 * single pop. `emitkey` puts the key first (blocking and M pops); `nested` makes
 * [member, score] pairs (and, with emitkey, the [key, pairs] shape of ZMPOP).
 */
function popAndReply(c: Client, key: string, z: ZSetValue, max: boolean, emitkey: boolean, count: number, nested: boolean): void {
  if (count === -1) count = 1;
  const llen = z.size;
  const n = count > llen ? llen : count;
  if (!nested && !emitkey) c.arrayLen(n * 2);
  else if (nested && !emitkey) c.arrayLen(n);
  else if (!nested && emitkey) {
    c.arrayLen(n * 2 + 1);
    c.bulk(key);
  } else {
    c.arrayLen(2);
    c.bulk(key);
    c.arrayLen(n);
  }
  for (let i = 0; i < n; i++) {
    const node = (max ? z.last() : z.first()) as ZNode;
    const member = node.member;
    const score = node.score;
    z.remove(member);
    c.server.dirty++;
    if (nested) c.arrayLen(2);
    c.bulk(member);
    c.double(score);
  }
  if (z.size === 0) c.db.delete(key);
  else c.db.touch(key);
}

function zpopMinMax(c: Client, argv: string[], max: boolean): void {
  if (argv.length > 3) {
    c.error(Errors.syntax);
    return;
  }
  let count = -1;
  if (argv.length === 3) {
    const v = intArg(c, argv[2], ERR_POSITIVE);
    if (v === null) return;
    if (v < 0) {
      c.error(ERR_POSITIVE);
      return;
    }
    count = v;
  }
  const nested = c.resp > 2 && count !== -1;
  const z = lookupTyped<ZSetValue>(c, argv[1], 'zset', false);
  if (z === null) return;
  if (z === undefined || count === 0) {
    c.arrayLen(0);
    return;
  }
  popAndReply(c, argv[1], z, max, false, count, nested);
}

/** ZPOPMIN key [count] */
function zpopmin(c: Client, argv: string[]): void {
  zpopMinMax(c, argv, false);
}

/** ZPOPMAX key [count] */
function zpopmax(c: Client, argv: string[]): void {
  zpopMinMax(c, argv, true);
}

function replyNullArray(c: Client): void {
  c.nullArray();
}

/**
 * blockingGenericZpopCommand: keys are argv[first .. first+n). Served at once
 * when a key holds a zset; otherwise blocks (never inside EXEC). A served pop
 * propagates as ZPOPMIN/ZPOPMAX key [count].
 */
function blockingZpop(c: Client, argv: string[], first: number, n: number, max: boolean, timeoutIdx: number, count: number, nested: boolean): void {
  const deadline = timeoutArg(c, argv[timeoutIdx]);
  if (deadline === null) return;
  // Re-run for a ready key: Redis serves the waiter from that key only, and only
  // when it holds a zset; anything else keeps it waiting.
  const retry = c.blocked !== null;
  const readyKey = retry ? c.server.blocking.servingKey : null;
  for (let j = first; j < first + n; j++) {
    const key = argv[j];
    if (readyKey !== null && key !== readyKey) continue;
    const v = c.db.get(key);
    if (v === undefined) continue;
    if (typeof v === 'string' || v.type !== 'zset') {
      if (retry) continue;
      c.error(Errors.wrongType);
      return;
    }
    const z = v as ZSetValue;
    const llen = z.size;
    if (llen === 0) continue;
    popAndReply(c, key, z, max, true, count, nested);
    const name = max ? 'ZPOPMAX' : 'ZPOPMIN';
    c.server.propagateAs = count === -1 ? [[name, key]] : [[name, key, String(count > llen ? llen : count)]];
    return;
  }
  if (c.inExec) {
    c.nullArray();
    return;
  }
  c.server.blocking.blockForKeys(c, argv.slice(first, first + n), deadline, replyNullArray);
}

/** BZPOPMIN key [key ...] timeout */
function bzpopmin(c: Client, argv: string[]): void {
  blockingZpop(c, argv, 1, argv.length - 2, false, argv.length - 1, -1, false);
}

/** BZPOPMAX key [key ...] timeout */
function bzpopmax(c: Client, argv: string[]): void {
  blockingZpop(c, argv, 1, argv.length - 2, true, argv.length - 1, -1, false);
}

/** zmpopGenericCommand: numkeys at `numkeysIdx`, then keys, MIN|MAX, [COUNT count]. */
function zmpopGeneric(c: Client, argv: string[], numkeysIdx: number, block: boolean): void {
  const numkeys = intArg(c, argv[numkeysIdx], 'ERR numkeys should be greater than 0');
  if (numkeys === null) return;
  if (numkeys < 1) {
    c.error('ERR numkeys should be greater than 0');
    return;
  }
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) {
    c.error(Errors.syntax);
    return;
  }
  let max: boolean;
  if (eqi(argv[whereIdx], 'min')) max = false;
  else if (eqi(argv[whereIdx], 'max')) max = true;
  else {
    c.error(Errors.syntax);
    return;
  }
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (count === -1 && eqi(argv[j], 'count') && more > 0) {
      j++;
      const v = intArg(c, argv[j], 'ERR count should be greater than 0');
      if (v === null) return;
      if (v < 1) {
        c.error('ERR count should be greater than 0');
        return;
      }
      count = v;
    } else {
      c.error(Errors.syntax);
      return;
    }
  }
  if (count === -1) count = 1;
  const first = numkeysIdx + 1;
  if (block) {
    blockingZpop(c, argv, first, numkeys, max, 1, count, true);
    return;
  }
  for (let j = first; j < first + numkeys; j++) {
    const key = argv[j];
    const v = c.db.get(key);
    if (v === undefined) continue;
    if (typeof v === 'string' || v.type !== 'zset') {
      c.error(Errors.wrongType);
      return;
    }
    const z = v as ZSetValue;
    const llen = z.size;
    popAndReply(c, key, z, max, true, count, true);
    c.server.propagateAs = [[max ? 'ZPOPMAX' : 'ZPOPMIN', key, String(count > llen ? llen : count)]];
    return;
  }
  c.nullArray();
}

/** ZMPOP numkeys key [key ...] MIN|MAX [COUNT count] */
function zmpop(c: Client, argv: string[]): void {
  zmpopGeneric(c, argv, 1, false);
}

/** BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count] */
function bzmpop(c: Client, argv: string[]): void {
  zmpopGeneric(c, argv, 2, true);
}

// ---- ZUNION / ZINTER / ZDIFF ----

const OP_UNION = 0;
const OP_INTER = 1;
const OP_DIFF = 2;
const AGGR_SUM = 0;
const AGGR_MIN = 1;
const AGGR_MAX = 2;

interface OpSource {
  zset: ZSetValue | null;
  set: SetValue | null;
  weight: number;
  size: number;
}

/** zuiFind: the element's score in a source (1 for a plain set), or undefined. */
function sourceScore(src: OpSource, member: string): number | undefined {
  if (src.zset !== null) return src.zset.score(member);
  if (src.set !== null) return src.set.has(member) ? 1.0 : undefined;
  return undefined;
}

function aggregate(target: number, val: number, how: number): number {
  if (how === AGGR_SUM) {
    const r = target + val;
    // inf + -inf: Redis keeps the convention that the result is 0.
    return Number.isNaN(r) ? 0.0 : r;
  }
  if (how === AGGR_MIN) return val < target ? val : target;
  return val > target ? val : target;
}

function bySize(x: OpSource, y: OpSource): number {
  return x.size - y.size;
}

function sameSource(a: OpSource, b: OpSource): boolean {
  return (a.zset !== null && a.zset === b.zset) || (a.set !== null && a.set === b.set);
}

/** The running state of one ZUNION/ZINTER/ZDIFF computation. */
interface OpState {
  op: number;
  srcs: OpSource[];
  how: number;
  cardOnly: boolean;
  limit: number;
  cardinality: number;
  /** The result, unsorted. */
  members: string[];
  scores: number[];
  acc: Map<string, number> | null;
  /** The source being iterated (union). */
  current: OpSource;
}

/** One element of the iterated source; false stops the iteration (ZINTERCARD's LIMIT). */
function visitElement(st: OpState, member: string, s: number): boolean {
  const srcs = st.srcs;
  if (st.op === OP_UNION) {
    let score = st.current.weight * s;
    if (Number.isNaN(score)) score = 0;
    const acc = st.acc as Map<string, number>;
    const cur = acc.get(member);
    acc.set(member, cur === undefined ? score : aggregate(cur, score, st.how));
    return true;
  }
  const s0 = srcs[0];
  if (st.op === OP_INTER) {
    let score = s0.weight * s;
    if (Number.isNaN(score)) score = 0;
    for (let k = 1; k < srcs.length; k++) {
      const sk = srcs[k];
      let value: number | undefined;
      // The iterated source itself: its own score, as Redis does.
      if (sameSource(sk, s0)) value = s * sk.weight;
      else {
        value = sourceScore(sk, member);
        if (value === undefined) return true;
        value *= sk.weight;
      }
      score = aggregate(score, value, st.how);
    }
    if (st.cardOnly) {
      st.cardinality++;
      return !(st.limit !== 0 && st.cardinality >= st.limit);
    }
    st.members.push(member);
    st.scores.push(score);
    return true;
  }
  for (let k = 1; k < srcs.length; k++) if (sourceScore(srcs[k], member) !== undefined) return true;
  st.members.push(member);
  st.scores.push(s);
  return true;
}

/** Visits every (member, score) of a source in zuiNext's order (sorted sets from the top). */
function visitSource(st: OpState, src: OpSource): void {
  st.current = src;
  if (src.zset !== null) {
    let node = src.zset.last();
    while (node !== null) {
      if (!visitElement(st, node.member, node.score)) return;
      node = node.backward;
    }
  } else if (src.set !== null) {
    const m = src.set.rawMembers();
    for (let i = 0; i < m.length; i++) if (!visitElement(st, m[i], 1.0)) return;
  }
}

/**
 * zunionInterDiffGenericCommand. `dst` is the store key or null; `cardOnly` is
 * ZINTERCARD. `name` is the command's name for the numkeys error.
 */
function zsetOp(c: Client, argv: string[], dst: string | null, numkeysIdx: number, op: number, cardOnly: boolean, name: string): void {
  const setnum = intArg(c, argv[numkeysIdx]);
  if (setnum === null) return;
  if (setnum < 1) {
    c.error(`ERR at least 1 input key is needed for '${name}' command`);
    return;
  }
  if (setnum > argv.length - (numkeysIdx + 1)) {
    c.error(Errors.syntax);
    return;
  }
  const srcs = new Array<OpSource>(setnum);
  let j = numkeysIdx + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const v = c.db.getRead(argv[j]);
    const src: OpSource = { zset: null, set: null, weight: 1.0, size: 0 };
    if (v !== undefined) {
      if (typeof v === 'string' || (v.type !== 'zset' && v.type !== 'set')) {
        c.error(Errors.wrongType);
        return;
      }
      if (v.type === 'zset') src.zset = v as ZSetValue;
      else src.set = v as SetValue;
      src.size = (v as ZSetValue | SetValue).size;
    }
    srcs[i] = src;
  }
  let how = AGGR_SUM;
  let withscores = false;
  let limit = 0;
  while (j < argv.length) {
    const remaining = argv.length - j;
    const a = argv[j];
    if (op !== OP_DIFF && !cardOnly && remaining >= setnum + 1 && eqi(a, 'weights')) {
      j++;
      for (let i = 0; i < setnum; i++, j++) {
        const w = doubleArg(c, argv[j], 'ERR weight value is not a float');
        if (w === null) return;
        srcs[i].weight = w;
      }
    } else if (op !== OP_DIFF && !cardOnly && remaining >= 2 && eqi(a, 'aggregate')) {
      j++;
      const g = argv[j];
      if (eqi(g, 'sum')) how = AGGR_SUM;
      else if (eqi(g, 'min')) how = AGGR_MIN;
      else if (eqi(g, 'max')) how = AGGR_MAX;
      else {
        c.error(Errors.syntax);
        return;
      }
      j++;
    } else if (remaining >= 1 && dst === null && !cardOnly && eqi(a, 'withscores')) {
      j++;
      withscores = true;
    } else if (cardOnly && remaining >= 2 && eqi(a, 'limit')) {
      j++;
      const l = intArg(c, argv[j], "ERR LIMIT can't be negative");
      if (l === null) return;
      if (l < 0) {
        c.error("ERR LIMIT can't be negative");
        return;
      }
      limit = l;
      j++;
    } else {
      c.error(Errors.syntax);
      return;
    }
  }
  // Smallest first (a stable sort, as glibc's merge-sort qsort is).
  if (op !== OP_DIFF) srcs.sort(bySize);

  const st: OpState = {
    op,
    srcs,
    how,
    cardOnly,
    limit,
    cardinality: 0,
    members: [],
    scores: [],
    acc: null,
    current: srcs[0],
  };
  const s0 = srcs[0];
  if (op === OP_INTER) {
    if (s0.size > 0) visitSource(st, s0);
  } else if (op === OP_UNION) {
    st.acc = new Map<string, number>();
    for (let i = 0; i < setnum; i++) if (srcs[i].size > 0) visitSource(st, srcs[i]);
    for (const [member, score] of st.acc) {
      st.members.push(member);
      st.scores.push(score);
    }
  } else if (s0.size > 0) {
    // A key repeated as its own subtrahend leaves nothing.
    let same = false;
    for (let k = 1; k < setnum; k++) if (sameSource(srcs[k], s0)) same = true;
    if (!same) visitSource(st, s0);
  }

  if (dst !== null) {
    const out = buildZset(st.members, st.scores, zsetLimits(c));
    if (out.size > 0) {
      storeKey(c, dst, out);
      c.int(out.size);
      c.server.dirty++;
    } else {
      c.int(0);
      if (c.db.delete(dst)) c.server.dirty++;
    }
  } else if (cardOnly) {
    c.int(st.cardinality);
  } else {
    // Sorted through a skiplist, as Redis replies from one.
    const out = new ZSetValue();
    out.convertToSkiplist();
    const lim = zsetLimits(c);
    for (let i = 0; i < st.members.length; i++) out.add(st.members[i], st.scores[i], lim);
    const n = out.size;
    const nested = withscores && c.resp === 3;
    c.arrayLen(withscores && !nested ? n * 2 : n);
    let node = out.first();
    while (node !== null) {
      if (nested) c.arrayLen(2);
      c.bulk(node.member);
      if (withscores) c.double(node.score);
      node = node.level[0].forward;
    }
  }
}

/** ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] */
function zunionstore(c: Client, argv: string[]): void {
  zsetOp(c, argv, argv[1], 2, OP_UNION, false, 'zunionstore');
}

/** ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] */
function zinterstore(c: Client, argv: string[]): void {
  zsetOp(c, argv, argv[1], 2, OP_INTER, false, 'zinterstore');
}

/** ZDIFFSTORE destination numkeys key [key ...] */
function zdiffstore(c: Client, argv: string[]): void {
  zsetOp(c, argv, argv[1], 2, OP_DIFF, false, 'zdiffstore');
}

/** ZUNION numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES] */
function zunion(c: Client, argv: string[]): void {
  zsetOp(c, argv, null, 1, OP_UNION, false, 'zunion');
}

/** ZINTER numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES] */
function zinter(c: Client, argv: string[]): void {
  zsetOp(c, argv, null, 1, OP_INTER, false, 'zinter');
}

/** ZDIFF numkeys key [key ...] [WITHSCORES] */
function zdiff(c: Client, argv: string[]): void {
  zsetOp(c, argv, null, 1, OP_DIFF, false, 'zdiff');
}

/** ZINTERCARD numkeys key [key ...] [LIMIT limit] */
function zintercard(c: Client, argv: string[]): void {
  zsetOp(c, argv, null, 1, OP_INTER, true, 'zintercard');
}

// ---- ZRANDMEMBER ----

const LONG_MAX = 9223372036854775807n;

function randomNode(z: ZSetValue): ZNode {
  return z.byRank(Math.floor(Math.random() * z.size)) as ZNode;
}

function replyMember(c: Client, node: ZNode, withscores: boolean): void {
  if (withscores && c.resp > 2) c.arrayLen(2);
  c.bulk(node.member);
  if (withscores) c.double(node.score);
}

/** zrandmemberWithCountCommand */
function zrandmemberWithCount(c: Client, key: string, l: number, withscores: boolean): void {
  const z = lookupTyped<ZSetValue>(c, key, 'zset', true);
  if (z === null) return;
  if (z === undefined) {
    c.arrayLen(0);
    return;
  }
  const size = z.size;
  const uniq = l >= 0;
  let count = uniq ? l : -l;
  if (count === 0) {
    c.arrayLen(0);
    return;
  }
  // Negative count: repetitions allowed, any order.
  if (!uniq || count === 1) {
    c.arrayLen(withscores && c.resp === 2 ? count * 2 : count);
    while (count-- > 0) {
      replyMember(c, randomNode(z), withscores);
      if (c.closed) break;
    }
    return;
  }
  const replySize = count < size ? count : size;
  c.arrayLen(withscores && c.resp === 2 ? replySize * 2 : replySize);
  // Asking for the whole set: every element, from the highest (zuiNext walks backwards).
  if (count >= size) {
    let node = z.last();
    while (node !== null) {
      replyMember(c, node, withscores);
      node = node.backward;
    }
    return;
  }
  // Distinct random ranks. Redis returns a listpack sample (and the "remove
  // elements" strategy's dict) in set order, and a large skiplist sample as drawn.
  const ranks = new Set<number>();
  if (count * 3 > size) {
    for (let i = 0; i < size; i++) ranks.add(i);
    const arr = Array.from(ranks);
    for (let left = size; left > count; left--) {
      const k = Math.floor(Math.random() * left);
      ranks.delete(arr[k]);
      arr[k] = arr[left - 1];
    }
  } else {
    while (ranks.size < count) ranks.add(Math.floor(Math.random() * size));
  }
  let picked = Array.from(ranks);
  if (z.isListpack || count * 3 > size) picked = picked.sort((a, b) => a - b);
  for (let i = 0; i < picked.length; i++) replyMember(c, z.byRank(picked[i]) as ZNode, withscores);
}

/** ZRANDMEMBER key [count [WITHSCORES]] */
function zrandmember(c: Client, argv: string[]): void {
  if (argv.length >= 3) {
    const v = int64Arg(c, argv[2]);
    if (v === null) return;
    const big = BigInt(v);
    if (big < -LONG_MAX) {
      c.error('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
      return;
    }
    if (argv.length > 4 || (argv.length === 4 && !eqi(argv[3], 'withscores'))) {
      c.error(Errors.syntax);
      return;
    }
    const withscores = argv.length === 4;
    if (withscores && (big < -(LONG_MAX / 2n) || big > LONG_MAX / 2n)) {
      c.error('ERR value is out of range');
      return;
    }
    zrandmemberWithCount(c, argv[1], Number(big), withscores);
    return;
  }
  const z = lookupTyped<ZSetValue>(c, argv[1], 'zset', true);
  if (z === null) return;
  if (z === undefined) {
    c.nullBulk();
    return;
  }
  c.bulk(randomNode(z).member);
}

// ---- ZSCAN ----

/** d2string: how a listpack stores a score (integers as integers up to 2^62). */
function d2string(d: number): string {
  if (Number.isInteger(d) && d >= -4611686018427387904 && d <= 4611686018427387904) {
    if (Object.is(d, -0)) return '-0';
    return Number.isSafeInteger(d) ? String(d) : BigInt(d).toString();
  }
  return formatDouble(d);
}

/** ZSCAN key cursor [MATCH pattern] [COUNT count] */
function zscan(c: Client, argv: string[]): void {
  const cursor = parseScanCursor(argv[2]);
  if (cursor === null) {
    c.error('ERR invalid cursor');
    return;
  }
  const z = lookupTyped<ZSetValue>(c, argv[1], 'zset', true);
  if (z === null) return;
  if (z === undefined) {
    c.raw(EMPTY_SCAN);
    return;
  }
  let count = 10;
  let pattern: string | null = null;
  for (let i = 3; i < argv.length; ) {
    const left = argv.length - i;
    if (eqi(argv[i], 'count') && left >= 2) {
      const n = intArg(c, argv[i + 1]);
      if (n === null) return;
      if (n < 1) {
        c.error(Errors.syntax);
        return;
      }
      count = n;
      i += 2;
    } else if (eqi(argv[i], 'match') && left >= 2) {
      pattern = argv[i + 1] === '*' ? null : argv[i + 1];
      i += 2;
    } else {
      c.error(Errors.syntax);
      return;
    }
  }
  const out: string[] = [];
  let next = 0;
  if (z.isListpack) {
    // Small sets come back whole, with scores as the listpack holds them.
    let node = z.first();
    while (node !== null) {
      if (pattern === null || globMatch(pattern, node.member)) out.push(node.member, d2string(node.score));
      node = node.level[0].forward;
    }
  } else {
    const members: string[] = [];
    next = scanCursors.step(cursor, z.scores, count, members);
    for (let i = 0; i < members.length; i++) {
      const m = members[i];
      if (pattern !== null && !globMatch(pattern, m)) continue;
      const s = z.score(m);
      if (s !== undefined) out.push(m, formatDouble(s));
    }
  }
  c.arrayLen(2);
  c.bulk(String(next));
  c.bulks(out);
}

// ---- key extraction for COMMAND GETKEYS ----

/** Keys after a numkeys argument (a keynum key spec); [] when the spec does not fit. */
function numkeysKeys(argv: readonly string[], numkeysIdx: number, out: number[]): number[] {
  if (numkeysIdx >= argv.length) return [];
  const n = parseInt64(argv[numkeysIdx]);
  if (n === null || n < 0) return [];
  const first = numkeysIdx + 1;
  const last = first + Number(n) - 1;
  if (last >= argv.length || last < first || first >= argv.length) return [];
  for (let i = first; i <= last; i++) out.push(i);
  return out;
}

function storeNumkeysKeys(argv: readonly string[]): number[] {
  return numkeysKeys(argv, 2, [1]);
}

function numkeysAt1(argv: readonly string[]): number[] {
  return numkeysKeys(argv, 1, []);
}

function numkeysAt2(argv: readonly string[]): number[] {
  return numkeysKeys(argv, 2, []);
}

// ---- the table ----

export const zsetCommands: CommandSpec[] = [
  { name: 'zadd', arity: -4, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'sortedset', handler: zadd },
  { name: 'zincrby', arity: 4, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'sortedset', handler: zincrby },
  { name: 'zrem', arity: -3, flags: ['write', 'fast'], keys: [1, 1, 1], group: 'sortedset', handler: zrem },
  { name: 'zremrangebyscore', arity: 4, flags: ['write'], keys: [1, 1, 1], group: 'sortedset', handler: zremrangebyscore },
  { name: 'zremrangebyrank', arity: 4, flags: ['write'], keys: [1, 1, 1], group: 'sortedset', handler: zremrangebyrank },
  { name: 'zremrangebylex', arity: 4, flags: ['write'], keys: [1, 1, 1], group: 'sortedset', handler: zremrangebylex },
  { name: 'zunionstore', arity: -4, flags: ['write', 'denyoom'], keys: [1, 1, 1], getKeys: storeNumkeysKeys, group: 'sortedset', handler: zunionstore },
  { name: 'zinterstore', arity: -4, flags: ['write', 'denyoom'], keys: [1, 1, 1], getKeys: storeNumkeysKeys, group: 'sortedset', handler: zinterstore },
  { name: 'zdiffstore', arity: -4, flags: ['write', 'denyoom'], keys: [1, 1, 1], getKeys: storeNumkeysKeys, group: 'sortedset', handler: zdiffstore },
  { name: 'zunion', arity: -3, flags: ['readonly'], getKeys: numkeysAt1, group: 'sortedset', handler: zunion },
  { name: 'zinter', arity: -3, flags: ['readonly'], getKeys: numkeysAt1, group: 'sortedset', handler: zinter },
  { name: 'zintercard', arity: -3, flags: ['readonly'], getKeys: numkeysAt1, group: 'sortedset', handler: zintercard },
  { name: 'zdiff', arity: -3, flags: ['readonly'], getKeys: numkeysAt1, group: 'sortedset', handler: zdiff },
  { name: 'zrange', arity: -4, flags: ['readonly'], keys: [1, 1, 1], group: 'sortedset', handler: zrange },
  { name: 'zrangestore', arity: -5, flags: ['write', 'denyoom'], keys: [1, 2, 1], group: 'sortedset', handler: zrangestore },
  { name: 'zrangebyscore', arity: -4, flags: ['readonly'], keys: [1, 1, 1], group: 'sortedset', handler: zrangebyscore },
  { name: 'zrevrangebyscore', arity: -4, flags: ['readonly'], keys: [1, 1, 1], group: 'sortedset', handler: zrevrangebyscore },
  { name: 'zrangebylex', arity: -4, flags: ['readonly'], keys: [1, 1, 1], group: 'sortedset', handler: zrangebylex },
  { name: 'zrevrangebylex', arity: -4, flags: ['readonly'], keys: [1, 1, 1], group: 'sortedset', handler: zrevrangebylex },
  { name: 'zcount', arity: 4, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'sortedset', handler: zcount },
  { name: 'zlexcount', arity: 4, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'sortedset', handler: zlexcount },
  { name: 'zrevrange', arity: -4, flags: ['readonly'], keys: [1, 1, 1], group: 'sortedset', handler: zrevrange },
  { name: 'zcard', arity: 2, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'sortedset', handler: zcard },
  { name: 'zscore', arity: 3, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'sortedset', handler: zscore },
  { name: 'zmscore', arity: -3, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'sortedset', handler: zmscore },
  { name: 'zrank', arity: 3, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'sortedset', handler: zrank },
  { name: 'zrevrank', arity: 3, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'sortedset', handler: zrevrank },
  { name: 'zscan', arity: -3, flags: ['readonly'], keys: [1, 1, 1], group: 'sortedset', handler: zscan },
  { name: 'zpopmin', arity: -2, flags: ['write', 'fast'], keys: [1, 1, 1], group: 'sortedset', handler: zpopmin },
  { name: 'zpopmax', arity: -2, flags: ['write', 'fast'], keys: [1, 1, 1], group: 'sortedset', handler: zpopmax },
  { name: 'zmpop', arity: -4, flags: ['write'], getKeys: numkeysAt1, group: 'sortedset', handler: zmpop },
  { name: 'bzpopmin', arity: -3, flags: ['write', 'noscript', 'blocking', 'fast'], keys: [1, -2, 1], group: 'sortedset', handler: bzpopmin },
  { name: 'bzpopmax', arity: -3, flags: ['write', 'noscript', 'blocking', 'fast'], keys: [1, -2, 1], group: 'sortedset', handler: bzpopmax },
  { name: 'bzmpop', arity: -5, flags: ['write', 'blocking'], getKeys: numkeysAt2, group: 'sortedset', handler: bzmpop },
  { name: 'zrandmember', arity: -2, flags: ['readonly'], keys: [1, 1, 1], group: 'sortedset', handler: zrandmember },
];
