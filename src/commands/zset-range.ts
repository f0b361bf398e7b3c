// Sorted-set range commands (t_zset.c): ZRANGE and its BYSCORE/BYLEX/REV/LIMIT and
// store forms, the legacy ZREVRANGE/ZRANGEBY* spellings, ZREMRANGEBY*, ZCOUNT,
// ZLEXCOUNT, ZCARD, ZSCORE, ZMSCORE, ZRANK and ZREVRANK.

import { Errors } from '../protocol/errors.js';
import {
  ZSetValue,
  lexGteMin,
  lexLteMax,
  scoreGteMin,
  scoreLteMax,
  type LexRange,
  type ScoreRange,
  type ZNode,
} from '../keyspace/types/zset.js';
import { intArg, lookupTyped } from './args.js';
import type { Client } from '../server/client.js';
import { notify, Notify } from '../server/keyspace-events.js';
import { eqi, replyNodes, storeNodes, parseScoreRange, parseLexRange, firstInLex, lastInLex } from './zset-common.js';

// ---- ZREMRANGEBY* ----

export const RANGE_AUTO = 0;
export const RANGE_RANK = 1;
export const RANGE_SCORE = 2;
export const RANGE_LEX = 3;

/** zremrangeGenericCommand: parse the range, then delete it. */
export function zremrangeGeneric(c: Client, argv: string[], type: number): void {
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
      c.error(Errors.notFloatRange);
      return;
    }
  } else {
    lrange = parseLexRange(argv[2], argv[3]);
    if (lrange === null) {
      c.error(Errors.notLexRange);
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
    const keyremoved = z.size === 0;
    if (keyremoved) c.db.delete(key);
    else c.db.touch(key);
    if (type === RANGE_RANK) notify(c, Notify.zset, 'zremrangebyrank', key);
    else if (type === RANGE_SCORE) notify(c, Notify.zset, 'zremrangebyscore', key);
    else notify(c, Notify.zset, 'zremrangebylex', key);
    if (keyremoved) notify(c, Notify.generic, 'del', key);
  }
  c.server.dirty += deleted;
  c.int(deleted);
}

/** ZREMRANGEBYRANK key start stop */
export function zremrangebyrank(c: Client, argv: string[]): void {
  zremrangeGeneric(c, argv, RANGE_RANK);
}

/** ZREMRANGEBYSCORE key min max */
export function zremrangebyscore(c: Client, argv: string[]): void {
  zremrangeGeneric(c, argv, RANGE_SCORE);
}

/** ZREMRANGEBYLEX key min max */
export function zremrangebylex(c: Client, argv: string[]): void {
  zremrangeGeneric(c, argv, RANGE_LEX);
}

// ---- ZRANGE family ----

export const DIR_AUTO = 0;
export const DIR_FORWARD = 1;
export const DIR_REVERSE = 2;

export function rankNodes(z: ZSetValue, start: number, end: number, reverse: boolean): ZNode[] {
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

export function scoreNodes(z: ZSetValue, range: ScoreRange, offset: number, limit: number, reverse: boolean): ZNode[] {
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

export function lexNodes(z: ZSetValue, range: LexRange, offset: number, limit: number, reverse: boolean): ZNode[] {
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
export function zrangeGeneric(c: Client, argv: string[], src: number, store: boolean, rangetype: number, direction: number): void {
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
    c.error(Errors.syntaxErrorLimitIsOnlySupportedIn);
    return;
  }
  if (withscores && rangetype === RANGE_LEX) {
    c.error(Errors.syntaxErrorWithscoresNotSupportedInCombination);
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
      c.error(Errors.notFloatRange);
      return;
    }
  } else {
    lrange = parseLexRange(argv[minidx], argv[maxidx]);
    if (lrange === null) {
      c.error(Errors.notLexRange);
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
export function zrange(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, false, RANGE_AUTO, DIR_AUTO);
}

/** ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count] */
export function zrangestore(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 2, true, RANGE_AUTO, DIR_AUTO);
}

/** ZREVRANGE key start stop [WITHSCORES] */
export function zrevrange(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, false, RANGE_RANK, DIR_REVERSE);
}

/** ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count] */
export function zrangebyscore(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, false, RANGE_SCORE, DIR_FORWARD);
}

/** ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count] */
export function zrevrangebyscore(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, false, RANGE_SCORE, DIR_REVERSE);
}

/** ZRANGEBYLEX key min max [LIMIT offset count] */
export function zrangebylex(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, false, RANGE_LEX, DIR_FORWARD);
}

/** ZREVRANGEBYLEX key max min [LIMIT offset count] */
export function zrevrangebylex(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, false, RANGE_LEX, DIR_REVERSE);
}

/** ZCOUNT key min max */
export function zcount(c: Client, argv: string[]): void {
  const range = parseScoreRange(argv[2], argv[3]);
  if (range === null) {
    c.error(Errors.notFloatRange);
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
export function zlexcount(c: Client, argv: string[]): void {
  const range = parseLexRange(argv[2], argv[3]);
  if (range === null) {
    c.error(Errors.notLexRange);
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
export function countBetween(z: ZSetValue, first: ZNode | null, last: ZNode | null): number {
  if (first === null || last === null) return 0;
  return (z.rank(last.member) as number) - (z.rank(first.member) as number) + 1;
}

/** ZCARD key */
export function zcard(c: Client, argv: string[]): void {
  const z = lookupTyped<ZSetValue>(c, argv[1], 'zset', true);
  if (z === null) return;
  c.int(z === undefined ? 0 : z.size);
}

/** ZSCORE key member */
export function zscore(c: Client, argv: string[]): void {
  const z = lookupTyped<ZSetValue>(c, argv[1], 'zset', true);
  if (z === null) return;
  const s = z === undefined ? undefined : z.score(argv[2]);
  if (s === undefined) c.nullBulk();
  else c.double(s);
}

/** ZMSCORE key member [member ...] */
export function zmscore(c: Client, argv: string[]): void {
  const z = lookupTyped<ZSetValue>(c, argv[1], 'zset', true);
  if (z === null) return;
  c.arrayLen(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const s = z === undefined ? undefined : z.score(argv[j]);
    if (s === undefined) c.nullBulk();
    else c.double(s);
  }
}

export function zrankGeneric(c: Client, argv: string[], reverse: boolean): void {
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
export function zrank(c: Client, argv: string[]): void {
  zrankGeneric(c, argv, false);
}

/** ZREVRANK key member */
export function zrevrank(c: Client, argv: string[]): void {
  zrankGeneric(c, argv, true);
}
