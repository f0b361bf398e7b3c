// Sorted-set commands, shared parts (t_zset.c): range and score argument parsing,
// replies with or without scores, and storing a result into a destination key.

import { parseStrtod } from '../util/strtod.js';
import { Errors } from '../protocol/errors.js';
import { ZSetValue, lexGteMin, lexLteMax, type LexRange, type ScoreRange, type ZNode, type ZsetLimits } from '../keyspace/types/zset.js';
import type { Client } from '../server/client.js';
import { notify, Notify } from '../server/keyspace-events.js';


export const EMPTY_SCAN = '*2\r\n$1\r\n0\r\n*0\r\n';

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
export function replyNodes(c: Client, nodes: readonly ZNode[], withscores: boolean): void {
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
export function storeNodes(c: Client, dst: string, nodes: readonly ZNode[], knownLength: boolean): void {
  if (nodes.length === 0) {
    c.int(0);
    if (c.db.delete(dst)) {
      notify(c, Notify.generic, 'del', dst);
      c.server.dirty++;
    }
    return;
  }
  const lim = zsetLimits(c);
  const z = new ZSetValue();
  // A rank range longer than a listpack allows starts as a skiplist.
  if (knownLength && nodes.length > lim.maxEntries) z.convertToSkiplist();
  for (let i = 0; i < nodes.length; i++) zsetAddScore(z, nodes[i].member, nodes[i].score, lim);
  storeKey(c, dst, z);
  c.int(z.size);
  notify(c, Notify.zset, 'zrangestore', dst);
  c.server.dirty++;
}

export function isSpace(ch: number): boolean {
  return ch === 32 || (ch >= 9 && ch <= 13);
}

export const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
export const INFINITY = /^([+-]?)(inf|infinity)$/i;

/**
 * strtod as zslParseRange uses it: the C string (up to a NUL) must be consumed
 * whole; leading blanks are skipped, "" is 0, overflow gives ±inf, NaN is refused.
 */
export function rangeDouble(s: string): number | null {
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
export function parseScoreRange(minArg: string, maxArg: string): ScoreRange | null {
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
export function lexItemKind(s: string): number {
  const c0 = s.charCodeAt(0);
  // C checks c[1] == '\0': a NUL right after the sign counts as the end.
  if (c0 === 43 /* + */) return s.length === 1 || s.charCodeAt(1) === 0 ? 1 : -1;
  if (c0 === 45 /* - */) return s.length === 1 || s.charCodeAt(1) === 0 ? 0 : -1;
  if (c0 === 40 /* ( */ || c0 === 91 /* [ */) return 2;
  return -1;
}

/** zslParseLexRange. */
export function parseLexRange(minArg: string, maxArg: string): LexRange | null {
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
export function lexEmpty(r: LexRange): boolean {
  if (r.empty === true) return true;
  if (r.min !== null && r.max !== null) return r.min > r.max || (r.min === r.max && (r.minExclusive || r.maxExclusive));
  return false;
}

/** zslIsInLexRange: the quick rejection both encodings make before searching. */
export function lexInRange(z: ZSetValue, r: LexRange): boolean {
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
export function firstInLex(z: ZSetValue, r: LexRange): ZNode | null {
  if (!lexInRange(z, r)) return null;
  if (!z.isListpack) return z.firstInLexRange(r);
  for (let n = z.first(); n !== null; n = n.level[0].forward) {
    if (lexGteMin(n.member, r)) return lexLteMax(n.member, r) ? n : null;
  }
  return null;
}

/** zzlLastInLexRange / zslLastInLexRange */
export function lastInLex(z: ZSetValue, r: LexRange): ZNode | null {
  if (!lexInRange(z, r)) return null;
  if (!z.isListpack) return z.lastInLexRange(r);
  for (let n = z.last(); n !== null; n = n.backward) {
    if (lexLteMax(n.member, r)) return lexGteMin(n.member, r) ? n : null;
  }
  return null;
}
