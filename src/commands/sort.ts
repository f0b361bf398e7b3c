// SORT and SORT_RO (sort.c): sorting lists, sets and sorted sets by their elements or
// by external keys (BY pattern, hash fields with ->), GET patterns, LIMIT, ALPHA,
// DESC and STORE. Orders match Redis's: ties that Redis's comparator leaves open
// keep the input order (glibc's qsort is a stable merge sort), and BY with a LIMIT
// uses the same partial quicksort as Redis's pqsort, so its tie order matches too.

import { pqsort } from '../util/pqsort.js';
import { Errors } from '../protocol/errors.js';
import { parseStrtod } from '../util/strtod.js';
import { intArg } from './args.js';
import { ListValue } from '../keyspace/types/list.js';
import type { HashValue } from '../keyspace/types/hash.js';
import type { SetValue } from '../keyspace/types/set.js';
import type { ZNode, ZSetValue } from '../keyspace/types/zset.js';
import type { Client } from '../server/client.js';
import { notify, Notify } from '../server/keyspace-events.js';
import type { CommandSpec } from './types.js';

interface SortItem {
  ele: string;
  score: number;
  /** ALPHA: the string compared (the BY value, or the element); null when a BY lookup found nothing. */
  key: string | null;
}

// Comparator parameters, set before each sort (Redis keeps them in the server struct too).
let sortDesc = false;
let sortAlpha = false;
let sortByPattern = false;

function bytesCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** sortCompare: numeric ties fall back to the elements' bytes, so numeric output is fully determined. */
function sortCompare(a: SortItem, b: SortItem): number {
  let cmp: number;
  if (!sortAlpha) {
    if (a.score > b.score) cmp = 1;
    else if (a.score < b.score) cmp = -1;
    else cmp = bytesCompare(a.ele, b.ele);
  } else if (sortByPattern && (a.key === null || b.key === null)) {
    cmp = a.key === b.key ? 0 : a.key === null ? -1 : 1;
  } else {
    cmp = bytesCompare(a.key as string, b.key as string);
  }
  return sortDesc ? -cmp : cmp;
}

/**
 * The C string view of a value: what strcoll sees (it stops at the first NUL).
 * Redis collates with strcoll unless STORE is given; under the C and C.UTF-8
 * locales that is a byte comparison up to the first NUL.
 */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

function isSpace(ch: number): boolean {
  return ch === 32 || (ch >= 9 && ch <= 13);
}
function isDigit(ch: number): boolean {
  return ch >= 48 && ch <= 57;
}
function isHexDigit(ch: number): boolean {
  return isDigit(ch) || (ch >= 65 && ch <= 70) || (ch >= 97 && ch <= 102);
}

/**
 * A sort weight as Redis reads it: strtod's longest prefix (leading blanks, hex
 * floats, inf/infinity), accepted only when nothing but a NUL or the end follows it,
 * the result is no NaN and strtod did not report ERANGE. Null for an error. An empty
 * string (no conversion at all) weighs 0.
 */
export function sortWeight(s: string): number | null {
  const n = s.length;
  let i = 0;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  const numStart = i;
  let ch = s.charCodeAt(i);
  if (ch === 43 || ch === 45) ch = s.charCodeAt(++i);
  const word = s.slice(i, i + 8).toLowerCase();
  if (word.startsWith('inf')) {
    const end = word === 'infinity' ? i + 8 : i + 3;
    if (end < n && s.charCodeAt(end) !== 0) return null;
    return s.charCodeAt(numStart) === 45 ? -Infinity : Infinity;
  }
  if (word.startsWith('nan')) return null;
  let k = i;
  let hex = false;
  if (
    ch === 48 &&
    (s.charCodeAt(i + 1) | 0x20) === 0x78 &&
    (isHexDigit(s.charCodeAt(i + 2)) || (s.charCodeAt(i + 2) === 46 && isHexDigit(s.charCodeAt(i + 3))))
  ) {
    hex = true;
    k = i + 2;
    while (isHexDigit(s.charCodeAt(k))) k++;
    if (s.charCodeAt(k) === 46) {
      k++;
      while (isHexDigit(s.charCodeAt(k))) k++;
    }
    if ((s.charCodeAt(k) | 0x20) === 0x70) k = exponentEnd(s, k);
  } else {
    let digits = 0;
    while (isDigit(s.charCodeAt(k))) {
      k++;
      digits++;
    }
    if (s.charCodeAt(k) === 46) {
      k++;
      while (isDigit(s.charCodeAt(k))) {
        k++;
        digits++;
      }
    }
    if (digits === 0) {
      // No conversion: strtod points back at the very start of the string.
      return n === 0 || s.charCodeAt(0) === 0 ? 0 : null;
    }
    if ((s.charCodeAt(k) | 0x20) === 0x65) k = exponentEnd(s, k);
  }
  if (k < n && s.charCodeAt(k) !== 0) return null;
  const text = s.slice(numStart, k);
  const v = parseStrtod(text);
  if (v === null) return null;
  // glibc reports ERANGE for a decimal that lands in the subnormal range (inexact).
  if (!hex && v !== 0 && Math.abs(v) < 2.2250738585072014e-308) return null;
  return v;
}

/** Past an exponent part at k ('e' or 'p'), or k itself when no digits follow. */
function exponentEnd(s: string, k: number): number {
  let e = k + 1;
  const sign = s.charCodeAt(e);
  if (sign === 43 || sign === 45) e++;
  if (!isDigit(s.charCodeAt(e))) return k;
  while (isDigit(s.charCodeAt(e))) e++;
  return e;
}

/**
 * lookupKeyByPattern: "#" is the element itself; otherwise the first '*' is replaced
 * by the element and the key read (a string), or with "->field" the hash field.
 * Redis scans the pattern as a C string, so '*' and "->" after a NUL do not count.
 */
function lookupByPattern(c: Client, pattern: string, subst: string): string | null {
  if (pattern.charCodeAt(0) === 35 && (pattern.length === 1 || pattern.charCodeAt(1) === 0)) return subst;
  const nul = pattern.indexOf('\0');
  const clen = nul < 0 ? pattern.length : nul;
  const star = pattern.indexOf('*');
  if (star < 0 || star >= clen) return null;
  const arrow = pattern.indexOf('->', star + 1);
  const hasField = arrow >= 0 && arrow + 2 < clen;
  const key = pattern.slice(0, star) + subst + pattern.slice(star + 1, hasField ? arrow : pattern.length);
  const v = c.db.getRead(key);
  if (v === undefined) return null;
  if (hasField) {
    if (typeof v === 'string' || v.type !== 'hash') return null;
    return (v as HashValue).get(pattern.slice(arrow + 2)) ?? null;
  }
  return typeof v === 'string' ? v : null;
}

// ---------------------------------------------------------------------------

function item(ele: string): SortItem {
  return { ele, score: 0, key: null };
}

/** sortCommandGeneric: SORT, or SORT_RO when `readonly` (STORE is then a syntax error). */
function sortGeneric(c: Client, argv: string[], readonly: boolean): void {
  let desc = false;
  let alpha = false;
  let limitStart = 0;
  let limitCount = -1;
  let dontsort = false;
  let sortby: string | null = null;
  let storekey: string | null = null;
  const gets: string[] = [];
  const argc = argv.length;
  for (let j = 2; j < argc; j++) {
    const opt = argv[j].toLowerCase();
    const left = argc - j - 1;
    if (opt === 'asc') desc = false;
    else if (opt === 'desc') desc = true;
    else if (opt === 'alpha') alpha = true;
    else if (opt === 'limit' && left >= 2) {
      const s = intArg(c, argv[j + 1]);
      if (s === null) return;
      const n = intArg(c, argv[j + 2]);
      if (n === null) return;
      limitStart = s;
      limitCount = n;
      j += 2;
    } else if (!readonly && opt === 'store' && left >= 1) {
      storekey = argv[++j];
    } else if (opt === 'by' && left >= 1) {
      sortby = argv[++j];
      // A BY pattern without '*' (as a C string) means "do not sort"; a later BY does not undo it.
      if (!cString(sortby).includes('*')) dontsort = true;
    } else if (opt === 'get' && left >= 1) {
      gets.push(argv[++j]);
    } else {
      c.error(Errors.syntax);
      return;
    }
  }

  const v = c.db.getRead(argv[1]);
  if (v !== undefined && (typeof v === 'string' || (v.type !== 'list' && v.type !== 'set' && v.type !== 'zset'))) {
    c.error(Errors.wrongType);
    return;
  }
  const type = v === undefined ? 'list' : v.type;

  // Unsorted set output would depend on hash order: with STORE, or for a script, it
  // is sorted alphabetically instead, so replicas and the AOF get the same list.
  if (dontsort && type === 'set' && (storekey !== null || c.isScript)) {
    dontsort = false;
    alpha = true;
    sortby = null;
  }

  // Redis converts a listpack sorted set to a skiplist for SORT, for good.
  if (type === 'zset' && (v as ZSetValue).isListpack) (v as ZSetValue).convertToSkiplist();

  let vectorlen = v === undefined ? 0 : type === 'list' ? (v as ListValue).length : (v as SetValue | ZSetValue).size;

  let start = Math.min(Math.max(limitStart, 0), vectorlen);
  const count = Math.min(Math.max(limitCount, -1), vectorlen);
  let end = count < 0 ? vectorlen - 1 : start + count - 1;
  if (start >= vectorlen) {
    start = vectorlen - 1;
    end = vectorlen - 2;
  }
  if (end >= vectorlen) end = vectorlen - 1;

  // Ordered types without sorting: load just the requested range.
  if ((type === 'zset' || type === 'list') && dontsort && (start !== 0 || end !== vectorlen - 1)) {
    vectorlen = end - start + 1;
  }

  const vector: SortItem[] = [];
  if (type === 'list' && v !== undefined) {
    const list = v as ListValue;
    if (dontsort) {
      if (end >= start) {
        const len = list.length;
        let idx = desc ? len - start - 1 : start;
        const step = desc ? -1 : 1;
        while (vector.length < vectorlen && idx >= 0 && idx < len) {
          vector.push(item(list.at(idx) as string));
          idx += step;
        }
        end -= start;
        start = 0;
      }
    } else {
      for (const ele of list.toArray()) vector.push(item(ele));
    }
  } else if (type === 'set') {
    const set = v as SetValue;
    for (const ele of set.isIntset ? set.values() : set.rawMembers()) vector.push(item(ele));
  } else if (type === 'zset') {
    const zs = v as ZSetValue;
    if (dontsort) {
      let ln: ZNode | null;
      if (desc) ln = start > 0 ? zs.byRank(zs.size - start - 1) : zs.last();
      else ln = start > 0 ? zs.byRank(start) : zs.first();
      for (let k = 0; k < vectorlen && ln !== null; k++) {
        vector.push(item(ln.member));
        ln = desc ? ln.backward : ln.level[0].forward;
      }
      end -= start;
      start = 0;
    } else {
      for (const m of zs.scores.keys()) vector.push(item(m));
    }
  }

  let conversionError = false;
  if (!dontsort) {
    const store = storekey !== null;
    for (let j = 0; j < vector.length; j++) {
      const it = vector[j];
      let byval: string | null;
      if (sortby !== null) {
        byval = lookupByPattern(c, sortby, it.ele);
        if (byval === null) continue;
      } else byval = it.ele;
      if (alpha) {
        // STORE compares bytes; a reply collates (strcoll stops at a NUL).
        it.key = store ? byval : cString(byval);
      } else {
        const w = sortWeight(byval);
        if (w === null) conversionError = true;
        else it.score = w;
      }
    }
    sortDesc = desc;
    sortAlpha = alpha;
    sortByPattern = sortby !== null;
    if (sortby !== null && (start !== 0 || end !== vector.length - 1)) pqsort(vector, sortCompare, start, end);
    else vector.sort(sortCompare);
  }

  const getop = gets.length;
  const rows = end - start + 1;
  const outputlen = getop > 0 ? getop * rows : rows;
  if (conversionError) {
    c.error(Errors.oneOrMoreScoresCanTBe);
    return;
  }
  if (storekey === null) {
    c.arrayLen(outputlen);
    for (let j = start; j <= end; j++) {
      const ele = vector[j].ele;
      if (getop === 0) c.bulk(ele);
      for (let g = 0; g < getop; g++) {
        const val = lookupByPattern(c, gets[g], ele);
        if (val === null) c.nullBulk();
        else c.bulk(val);
      }
    }
    return;
  }
  const out = new ListValue();
  for (let j = start; j <= end; j++) {
    const ele = vector[j].ele;
    if (getop === 0) out.pushTail(ele);
    for (let g = 0; g < getop; g++) out.pushTail(lookupByPattern(c, gets[g], ele) ?? '');
  }
  if (outputlen > 0) {
    if (c.db.get(storekey) === undefined) c.db.add(storekey, out);
    else c.db.set(storekey, out);
    notify(c, Notify.list, 'sortstore', storekey);
    c.server.dirty += outputlen;
  } else if (c.db.delete(storekey)) {
    notify(c, Notify.generic, 'del', storekey);
    c.server.dirty++;
  }
  c.int(outputlen);
}

/** SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA] [STORE destination] */
function sort(c: Client, argv: string[]): void {
  sortGeneric(c, argv, false);
}

/** SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA] */
function sortRo(c: Client, argv: string[]): void {
  sortGeneric(c, argv, true);
}

/** sortGetKeys: the sorted key, plus the last STORE destination (options skipped by their arity). */
function sortGetKeys(argv: readonly string[]): number[] {
  const keys = [1];
  let store = -1;
  for (let i = 2; i < argv.length; i++) {
    const opt = argv[i].toLowerCase();
    if (opt === 'limit') i += 2;
    else if (opt === 'get' || opt === 'by') i += 1;
    else if (opt === 'store' && i + 1 < argv.length) store = i + 1;
  }
  if (store >= 0) keys.push(store);
  return keys;
}

export const sortCommands: CommandSpec[] = [
  { name: 'sort', arity: -2, flags: ['write', 'denyoom'], keys: [1, 1, 1], getKeys: sortGetKeys, group: 'keyspace', handler: sort },
  { name: 'sort_ro', arity: -2, flags: ['readonly'], keys: [1, 1, 1], getKeys: () => [1], group: 'keyspace', handler: sortRo },
];
