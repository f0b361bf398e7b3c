// Sorted-set commands (t_zset.c): ZADD and friends, range queries by rank, score
// and lex, store variants, pops (blocking ones through src/server/blocking.ts),
// ZUNION/ZINTER/ZDIFF over sorted sets and plain sets, ZRANDMEMBER and ZSCAN.
// Replies follow 7.0 byte for byte in RESP2 and RESP3 (WITHSCORES pairs nest in
// RESP3 only where 7.0 nests them).

import { Errors } from '../protocol/errors.js';
import { parseInt64 } from '../util/int64.js';
import { formatDouble } from '../util/number-format.js';
import { globMatch } from '../keyspace/glob.js';
import { parseScanCursor } from '../keyspace/scan-cursor.js';
import { ZSetValue, type ZNode } from '../keyspace/types/zset.js';
import { doubleArg, intArg, lookupTyped, int64Arg } from './args.js';
import type { Client } from '../server/client.js';
import { notify, Notify } from '../server/keyspace-events.js';
import type { CommandSpec } from './types.js';
import { EMPTY_SCAN, eqi, zsetLimits, zsetAddScore } from './zset-common.js';
import {
  zremrangebyrank,
  zremrangebyscore,
  zremrangebylex,
  zrange,
  zrangestore,
  zrevrange,
  zrangebyscore,
  zrevrangebyscore,
  zrangebylex,
  zrevrangebylex,
  zcount,
  zlexcount,
  zcard,
  zscore,
  zmscore,
  zrank,
  zrevrank,
} from './zset-range.js';
import { zpopmin, zpopmax, bzpopmin, bzpopmax, zmpop, bzmpop } from './zset-pops.js';
import { zunionstore, zinterstore, zdiffstore, zunion, zinter, zdiff, zintercard } from './zset-setops.js';

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
    c.error(Errors.xxAndNxOptionsAtTheSame);
    return;
  }
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    c.error(Errors.gtLtAndOrNxOptionsAt);
    return;
  }
  if (incr && elements > 1) {
    c.error(Errors.incrOptionSupportsASingleIncrementElement);
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
            c.error(Errors.nan);
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
  }
  if (incr) {
    if (processed > 0) c.double(score);
    else c.nullBulk();
  } else {
    c.int(ch ? added + updated : added);
  }
  if (added + updated > 0) {
    c.db.touch(key);
    if (incr) notify(c, Notify.zset, 'zincr', key);
    else notify(c, Notify.zset, 'zadd', key);
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
    notify(c, Notify.zset, 'zrem', key);
    if (removed) notify(c, Notify.generic, 'del', key);
    else c.db.touch(key);
    c.server.dirty += deleted;
  }
  c.int(deleted);
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
      c.error(Errors.valueIsOutOfRangeValueMust);
      return;
    }
    if (argv.length > 4 || (argv.length === 4 && !eqi(argv[3], 'withscores'))) {
      c.error(Errors.syntax);
      return;
    }
    const withscores = argv.length === 4;
    if (withscores && (big < -(LONG_MAX / 2n) || big > LONG_MAX / 2n)) {
      c.error(Errors.valueIsOutOfRange);
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
    c.error(Errors.invalidCursor);
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
    next = c.server.scanCursors.step(cursor, z.scores, count, members);
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
