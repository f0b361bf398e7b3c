// Sorted-set algebra (t_zset.c zunionInterDiffGenericCommand): ZUNION, ZINTER and
// ZDIFF over sorted sets and plain sets, their STORE forms, WEIGHTS and AGGREGATE,
// and ZINTERCARD.

import { Errors } from '../protocol/errors.js';
import { ZSetValue } from '../keyspace/types/zset.js';
import type { SetValue } from '../keyspace/types/set.js';
import { doubleArg, intArg } from './args.js';
import type { Client } from '../server/client.js';
import { notify, Notify } from '../server/keyspace-events.js';
import { eqi, zsetLimits, storeKey, buildZset } from './zset-common.js';

// ---- ZUNION / ZINTER / ZDIFF ----

export const OP_UNION = 0;
export const OP_INTER = 1;
export const OP_DIFF = 2;
export const AGGR_SUM = 0;
export const AGGR_MIN = 1;
export const AGGR_MAX = 2;

export interface OpSource {
  zset: ZSetValue | null;
  set: SetValue | null;
  weight: number;
  size: number;
}

/** zuiFind: the element's score in a source (1 for a plain set), or undefined. */
export function sourceScore(src: OpSource, member: string): number | undefined {
  if (src.zset !== null) return src.zset.score(member);
  if (src.set !== null) return src.set.has(member) ? 1.0 : undefined;
  return undefined;
}

export function aggregate(target: number, val: number, how: number): number {
  if (how === AGGR_SUM) {
    const r = target + val;
    // inf + -inf: Redis keeps the convention that the result is 0.
    return Number.isNaN(r) ? 0.0 : r;
  }
  if (how === AGGR_MIN) return val < target ? val : target;
  return val > target ? val : target;
}

export function bySize(x: OpSource, y: OpSource): number {
  return x.size - y.size;
}

export function sameSource(a: OpSource, b: OpSource): boolean {
  return (a.zset !== null && a.zset === b.zset) || (a.set !== null && a.set === b.set);
}

/** The running state of one ZUNION/ZINTER/ZDIFF computation. */
export interface OpState {
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
export function visitElement(st: OpState, member: string, s: number): boolean {
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
export function visitSource(st: OpState, src: OpSource): void {
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
export function zsetOp(c: Client, argv: string[], dst: string | null, numkeysIdx: number, op: number, cardOnly: boolean, name: string): void {
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
        c.error(Errors.limitCanTBeNegative);
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
      if (op === OP_UNION) notify(c, Notify.zset, 'zunionstore', dst);
      else if (op === OP_INTER) notify(c, Notify.zset, 'zinterstore', dst);
      else notify(c, Notify.zset, 'zdiffstore', dst);
      c.server.dirty++;
    } else {
      c.int(0);
      if (c.db.delete(dst)) {
        notify(c, Notify.generic, 'del', dst);
        c.server.dirty++;
      }
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
export function zunionstore(c: Client, argv: string[]): void {
  zsetOp(c, argv, argv[1], 2, OP_UNION, false, 'zunionstore');
}

/** ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] */
export function zinterstore(c: Client, argv: string[]): void {
  zsetOp(c, argv, argv[1], 2, OP_INTER, false, 'zinterstore');
}

/** ZDIFFSTORE destination numkeys key [key ...] */
export function zdiffstore(c: Client, argv: string[]): void {
  zsetOp(c, argv, argv[1], 2, OP_DIFF, false, 'zdiffstore');
}

/** ZUNION numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES] */
export function zunion(c: Client, argv: string[]): void {
  zsetOp(c, argv, null, 1, OP_UNION, false, 'zunion');
}

/** ZINTER numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES] */
export function zinter(c: Client, argv: string[]): void {
  zsetOp(c, argv, null, 1, OP_INTER, false, 'zinter');
}

/** ZDIFF numkeys key [key ...] [WITHSCORES] */
export function zdiff(c: Client, argv: string[]): void {
  zsetOp(c, argv, null, 1, OP_DIFF, false, 'zdiff');
}

/** ZINTERCARD numkeys key [key ...] [LIMIT limit] */
export function zintercard(c: Client, argv: string[]): void {
  zsetOp(c, argv, null, 1, OP_INTER, true, 'zintercard');
}
