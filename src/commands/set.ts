// Set commands (t_set.c). Intset-encoded sets reply in ascending numeric order, as
// Redis's sorted intset does; the *STORE commands build their result the way Redis
// does (a fresh set grown member by member), so the result's encoding matches too.

import { Errors } from '../protocol/errors.js';
import { parseInt64 } from '../util/int64.js';
import { globMatch } from '../keyspace/glob.js';
import { parseScanCursor } from '../keyspace/scan-cursor.js';
import { SetValue } from '../keyspace/types/set.js';
import { lookupTyped } from './args.js';
import { countMagnitude, parseScanOptions, randomCountArg, replyEmptyScan } from './hash.js';
import type { Client } from '../server/client.js';
import { notify, Notify } from '../server/keyspace-events.js';
import type { CommandSpec } from './types.js';

/** set-max-intset-entries, capped at 2^30 as Redis's intset is. */
function maxIntset(c: Client): number {
  const n = c.server.config.num('set-max-intset-entries');
  return n >= 1 << 30 ? 1 << 30 : n;
}

/** Members in Redis's iteration order (intset: ascending), without a copy for a hashtable. */
function iterationOrder(s: SetValue): readonly string[] {
  return s.isIntset ? s.values() : s.rawMembers();
}

/** setKey for a computed set: dbAdd or overwrite, dropping any TTL. */
function storeSet(c: Client, key: string, s: SetValue): void {
  if (c.db.get(key) === undefined) c.db.add(key, s);
  else c.db.set(key, s);
}

/** SADD key member [member ...] */
function sadd(c: Client, argv: string[]): void {
  const key = argv[1];
  let s = lookupTyped<SetValue>(c, key, 'set', false);
  if (s === null) return;
  if (s === undefined) {
    s = new SetValue(argv[2]);
    c.db.add(key, s);
  }
  const max = maxIntset(c);
  let added = 0;
  for (let i = 2; i < argv.length; i++) if (s.add(argv[i], max)) added++;
  if (added > 0) {
    c.db.touch(key);
    notify(c, Notify.set, 'sadd', key);
  }
  c.server.dirty += added;
  c.int(added);
}

/** SREM key member [member ...] */
function srem(c: Client, argv: string[]): void {
  const key = argv[1];
  const s = lookupTyped<SetValue>(c, key, 'set', false);
  if (s === null) return;
  if (s === undefined) {
    c.int(0);
    return;
  }
  let deleted = 0;
  let keyRemoved = false;
  for (let i = 2; i < argv.length; i++) {
    if (s.remove(argv[i])) {
      deleted++;
      if (s.size === 0) {
        c.db.delete(key);
        keyRemoved = true;
        break;
      }
    }
  }
  if (deleted > 0) {
    c.db.touch(key);
    notify(c, Notify.set, 'srem', key);
    if (keyRemoved) notify(c, Notify.generic, 'del', key);
    c.server.dirty += deleted;
  }
  c.int(deleted);
}

/** SMOVE source destination member */
function smove(c: Client, argv: string[]): void {
  const srcKey = argv[1];
  const dstKey = argv[2];
  const ele = argv[3];
  const src = c.db.get(srcKey);
  let dst = c.db.get(dstKey);
  if (src === undefined) {
    c.int(0);
    return;
  }
  if (typeof src === 'string' || src.type !== 'set' || (dst !== undefined && (typeof dst === 'string' || dst.type !== 'set'))) {
    c.error(Errors.wrongType);
    return;
  }
  const srcSet = src as SetValue;
  if (src === dst) {
    c.int(srcSet.has(ele) ? 1 : 0);
    return;
  }
  if (!srcSet.remove(ele)) {
    c.int(0);
    return;
  }
  notify(c, Notify.set, 'srem', srcKey);
  if (srcSet.size === 0) {
    c.db.delete(srcKey);
    notify(c, Notify.generic, 'del', srcKey);
  }
  if (dst === undefined) {
    dst = new SetValue(ele);
    c.db.add(dstKey, dst);
  }
  c.db.touch(srcKey);
  c.server.dirty++;
  if ((dst as SetValue).add(ele, maxIntset(c))) {
    c.server.dirty++;
    c.db.touch(dstKey);
    notify(c, Notify.set, 'sadd', dstKey);
  }
  c.int(1);
}

/** SISMEMBER key member */
function sismember(c: Client, argv: string[]): void {
  const s = lookupTyped<SetValue>(c, argv[1], 'set', true);
  if (s === null) return;
  c.int(s !== undefined && s.has(argv[2]) ? 1 : 0);
}

/** SMISMEMBER key member [member ...] */
function smismember(c: Client, argv: string[]): void {
  const s = lookupTyped<SetValue>(c, argv[1], 'set', true);
  if (s === null) return;
  c.arrayLen(argv.length - 2);
  for (let i = 2; i < argv.length; i++) c.int(s !== undefined && s.has(argv[i]) ? 1 : 0);
}

/** SCARD key */
function scard(c: Client, argv: string[]): void {
  const s = lookupTyped<SetValue>(c, argv[1], 'set', true);
  if (s === null) return;
  c.int(s === undefined ? 0 : s.size);
}

/**
 * The sets named by argv[first .. first+n), null for missing keys (lookupKeyRead);
 * null after replying WRONGTYPE for any of them.
 */
function lookupSets(c: Client, argv: string[], first: number, n: number): (SetValue | null)[] | null {
  const sets = new Array<SetValue | null>(n);
  for (let j = 0; j < n; j++) {
    const v = c.db.getRead(argv[first + j]);
    if (v === undefined) {
      sets[j] = null;
      continue;
    }
    if (typeof v === 'string' || v.type !== 'set') {
      c.error(Errors.wrongType);
      return null;
    }
    sets[j] = v as SetValue;
  }
  return sets;
}

/**
 * Stores `s` at dst when not empty (the command's `event`), else deletes dst (a del
 * event when it existed); replies the size (the *STORE tail).
 */
function storeResult(c: Client, dst: string, s: SetValue, event: string): void {
  if (s.size > 0) {
    storeSet(c, dst, s);
    c.int(s.size);
    notify(c, Notify.set, event, dst);
    c.server.dirty++;
  } else {
    c.int(0);
    deleteStoreTarget(c, dst);
  }
}

/** An empty *STORE result: the destination goes, with a del event when it existed. */
function deleteStoreTarget(c: Client, dst: string): void {
  if (c.db.delete(dst)) {
    c.server.dirty++;
    notify(c, Notify.generic, 'del', dst);
  }
}

/**
 * sinterGenericCommand: SINTER, SMEMBERS, SINTERSTORE (dst), SINTERCARD (cardOnly,
 * stopping at limit when limit > 0). The keys are argv[first .. first+n).
 */
function sinterGeneric(c: Client, argv: string[], first: number, n: number, dst: string | null, cardOnly: boolean, limit: number): void {
  const found = lookupSets(c, argv, first, n);
  if (found === null) return;
  for (let j = 0; j < n; j++) {
    if (found[j] !== null) continue;
    // Intersection with an empty set is empty.
    if (dst !== null) {
      deleteStoreTarget(c, dst);
      c.int(0);
    } else if (cardOnly) {
      c.int(0);
    } else {
      c.setLen(0);
    }
    return;
  }
  const sets = found as SetValue[];
  // Smallest first (a stable sort, as glibc's qsort is for this input).
  if (n > 1) sets.sort((a, b) => a.size - b.size);
  const base = sets[0];
  const members = iterationOrder(base);
  if (n === 1 && dst === null && !cardOnly) {
    // SMEMBERS: every member, no checks needed.
    c.setLen(members.length);
    for (let i = 0; i < members.length; i++) c.bulk(members[i]);
    return;
  }
  const out: SetValue | null = dst !== null ? new SetValue() : null;
  const max = out !== null ? maxIntset(c) : 0;
  const reply: string[] | null = dst === null && !cardOnly ? [] : null;
  let cardinality = 0;
  for (let i = 0; i < members.length; i++) {
    const m = members[i];
    let j = 1;
    for (; j < n; j++) {
      const other = sets[j];
      if (other !== base && !other.has(m)) break;
    }
    if (j !== n) continue;
    if (cardOnly) {
      cardinality++;
      if (limit > 0 && cardinality >= limit) break;
    } else if (reply !== null) {
      reply.push(m);
    } else {
      (out as SetValue).add(m, max);
    }
  }
  if (cardOnly) c.int(cardinality);
  else if (reply !== null) {
    c.setLen(reply.length);
    for (let i = 0; i < reply.length; i++) c.bulk(reply[i]);
  } else storeResult(c, dst as string, out as SetValue, 'sinterstore');
}

const UNION = 0;
const DIFF = 1;

/**
 * sunionDiffGenericCommand: SUNION, SDIFF and their *STORE forms, plus SPOP's
 * whole-set case. Follows Redis's choice of diff algorithm, since that choice
 * decides the encoding (and so the reply order) of the result.
 */
function sunionDiffGeneric(c: Client, argv: string[], first: number, n: number, dst: string | null, op: number): void {
  const sets = lookupSets(c, argv, first, n);
  if (sets === null) return;
  let sameset = false;
  for (let j = 1; j < n; j++) if (sets[j] !== null && sets[j] === sets[0]) sameset = true;
  const first0 = sets[0];
  let diffAlgo = 1;
  if (op === DIFF && first0 !== null && !sameset) {
    let algoOne = 0;
    let algoTwo = 0;
    for (let j = 0; j < n; j++) {
      const s = sets[j];
      if (s === null) continue;
      algoOne += first0.size;
      algoTwo += s.size;
    }
    // Algorithm 1 gets an advantage: it does less work when members are shared.
    algoOne = Math.floor(algoOne / 2);
    diffAlgo = algoOne <= algoTwo ? 1 : 2;
    if (diffAlgo === 1 && n > 1) {
      // Biggest subtrahends first, to find shared members sooner (order only affects speed).
      const rest = sets.slice(1).sort((a, b) => (b === null ? 0 : b.size) - (a === null ? 0 : a.size));
      for (let j = 1; j < n; j++) sets[j] = rest[j - 1];
    }
  }
  const max = maxIntset(c);
  const result = new SetValue();
  if (op === UNION) {
    for (let j = 0; j < n; j++) {
      const s = sets[j];
      if (s === null) continue;
      const members = s.rawMembers();
      for (let i = 0; i < members.length; i++) result.add(members[i], max);
    }
  } else if (sameset || first0 === null) {
    // A set minus itself, or nothing to subtract from: empty.
  } else if (diffAlgo === 1) {
    const members = iterationOrder(first0);
    for (let i = 0; i < members.length; i++) {
      const m = members[i];
      let j = 1;
      for (; j < n; j++) {
        const s = sets[j];
        if (s === null) continue;
        if (s === first0 || s.has(m)) break;
      }
      if (j === n) result.add(m, max);
    }
  } else {
    for (let j = 0; j < n; j++) {
      const s = sets[j];
      if (s === null) continue;
      const members = s.rawMembers();
      if (j === 0) for (let i = 0; i < members.length; i++) result.add(members[i], max);
      else for (let i = 0; i < members.length && result.size > 0; i++) result.remove(members[i]);
      if (result.size === 0) break;
    }
  }
  if (dst === null) {
    const members = iterationOrder(result);
    c.setLen(members.length);
    for (let i = 0; i < members.length; i++) c.bulk(members[i]);
  } else {
    storeResult(c, dst, result, op === UNION ? 'sunionstore' : 'sdiffstore');
  }
}

/** SMEMBERS key */
function smembers(c: Client, argv: string[]): void {
  sinterGeneric(c, argv, 1, 1, null, false, 0);
}

/** SINTER key [key ...] */
function sinter(c: Client, argv: string[]): void {
  sinterGeneric(c, argv, 1, argv.length - 1, null, false, 0);
}

/** SINTERSTORE destination key [key ...] */
function sinterstore(c: Client, argv: string[]): void {
  sinterGeneric(c, argv, 2, argv.length - 2, argv[1], false, 0);
}

/** SINTERCARD numkeys key [key ...] [LIMIT limit] */
function sintercard(c: Client, argv: string[]): void {
  const argc = argv.length;
  const nk = parseInt64(argv[1]);
  if (nk === null || nk < 1) {
    c.error(Errors.numkeysShouldBeGreaterThan0);
    return;
  }
  if (nk > argc - 2) {
    c.error(Errors.numberOfKeysCanTBeGreater);
    return;
  }
  const numkeys = nk as number;
  let limit = 0;
  for (let j = 2 + numkeys; j < argc; j++) {
    if (argv[j].toLowerCase() === 'limit' && argc - 1 - j > 0) {
      j++;
      const v = parseInt64(argv[j]);
      if (v === null || v < 0) {
        c.error(Errors.limitCanTBeNegative);
        return;
      }
      limit = typeof v === 'number' ? v : Number.MAX_SAFE_INTEGER;
    } else {
      c.error(Errors.syntax);
      return;
    }
  }
  sinterGeneric(c, argv, 2, numkeys, null, true, limit);
}

/** SINTERCARD's keys: numkeys of them after the numkeys argument. */
function sintercardKeys(argv: readonly string[]): number[] {
  const n = parseInt64(argv[1] ?? '');
  if (n === null || n < 1 || n > argv.length - 2) return [];
  const out: number[] = [];
  for (let i = 0; i < (n as number); i++) out.push(2 + i);
  return out;
}

/** SUNION key [key ...] */
function sunion(c: Client, argv: string[]): void {
  sunionDiffGeneric(c, argv, 1, argv.length - 1, null, UNION);
}

/** SUNIONSTORE destination key [key ...] */
function sunionstore(c: Client, argv: string[]): void {
  sunionDiffGeneric(c, argv, 2, argv.length - 2, argv[1], UNION);
}

/** SDIFF key [key ...] */
function sdiff(c: Client, argv: string[]): void {
  sunionDiffGeneric(c, argv, 1, argv.length - 1, null, DIFF);
}

/** SDIFFSTORE destination key [key ...] */
function sdiffstore(c: Client, argv: string[]): void {
  sunionDiffGeneric(c, argv, 2, argv.length - 2, argv[1], DIFF);
}

/** spopWithCountCommand: SPOP key count */
function spopWithCount(c: Client, argv: string[]): void {
  const l = parseInt64(argv[2]);
  if (l === null || l < 0) {
    c.error(Errors.valueIsOutOfRangeMustBe);
    return;
  }
  const key = argv[1];
  const s = lookupTyped<SetValue>(c, key, 'set', false);
  if (s === null) return;
  if (s === undefined) {
    c.setLen(0);
    return;
  }
  const count = countMagnitude(l);
  if (count === 0) {
    c.setLen(0);
    return;
  }
  const size = s.size;
  notify(c, Notify.set, 'spop', key);
  c.server.dirty += count >= size ? size : count;
  if (count >= size) {
    // The whole set, replied as SUNION of it would, then the key is gone.
    sunionDiffGeneric(c, argv, 1, 1, null, UNION);
    c.db.delete(key);
    notify(c, Notify.generic, 'del', key);
    c.server.propagateAs = [['DEL', key]];
    return;
  }
  // Replicas get one SREM per popped member, never the random choice.
  const effects: string[][] = [];
  c.setLen(count);
  let remaining = size - count;
  if (remaining * 5 > count) {
    // Few to pop: pick and remove them one by one.
    for (let i = 0; i < count; i++) {
      const m = s.random();
      s.remove(m);
      c.bulk(m);
      effects.push(['SREM', key, m]);
    }
    c.db.touch(key);
  } else {
    // Nearly all of it: move the survivors to a new set and reply what is left.
    // The new set picks its encoding afresh, as Redis's does.
    const max = maxIntset(c);
    let kept: SetValue | null = null;
    while (remaining-- > 0) {
      const m = s.random();
      if (kept === null) kept = new SetValue(m);
      kept.add(m, max);
      s.remove(m);
    }
    const popped = iterationOrder(s);
    for (let i = 0; i < popped.length; i++) {
      c.bulk(popped[i]);
      effects.push(['SREM', key, popped[i]]);
    }
    c.db.set(key, kept as SetValue, true);
  }
  c.server.propagateAs = effects;
}

/** SPOP key [count] */
function spop(c: Client, argv: string[]): void {
  if (argv.length === 3) {
    spopWithCount(c, argv);
    return;
  }
  if (argv.length > 3) {
    c.error(Errors.syntax);
    return;
  }
  const key = argv[1];
  const s = lookupTyped<SetValue>(c, key, 'set', false);
  if (s === null) return;
  if (s === undefined) {
    c.nullBulk();
    return;
  }
  const m = s.random();
  s.remove(m);
  notify(c, Notify.set, 'spop', key);
  c.server.propagateAs = [['SREM', key, m]];
  c.bulk(m);
  if (s.size === 0) {
    c.db.delete(key);
    notify(c, Notify.generic, 'del', key);
  } else c.db.touch(key);
  c.server.dirty++;
}

/** srandmemberWithCountCommand: SRANDMEMBER key count */
function srandmemberWithCount(c: Client, argv: string[]): void {
  const l = randomCountArg(c, argv[2]);
  if (l === null) return;
  const s = lookupTyped<SetValue>(c, argv[1], 'set', true);
  if (s === null) return;
  if (s === undefined) {
    c.arrayLen(0);
    return;
  }
  let count = countMagnitude(l);
  if (count === 0) {
    c.arrayLen(0);
    return;
  }
  const size = s.size;
  // Negative count: independent picks, repeats allowed.
  if (l < 0 || count === 1) {
    c.arrayLen(count);
    while (count-- > 0) c.bulk(s.random());
    return;
  }
  if (count >= size) {
    const members = iterationOrder(s);
    c.arrayLen(size);
    for (let i = 0; i < members.length; i++) c.bulk(members[i]);
    return;
  }
  c.arrayLen(count);
  if (count * 3 > size) {
    const picked = s.sample(count);
    for (let i = 0; i < count; i++) c.bulk(picked[i]);
    return;
  }
  // Much bigger than the count: random picks until `count` distinct ones.
  const seen = new Set<string>();
  while (seen.size < count) {
    const m = s.random();
    if (seen.has(m)) continue;
    seen.add(m);
    c.bulk(m);
  }
}

/** SRANDMEMBER key [count] */
function srandmember(c: Client, argv: string[]): void {
  if (argv.length === 3) {
    srandmemberWithCount(c, argv);
    return;
  }
  if (argv.length > 3) {
    c.error(Errors.syntax);
    return;
  }
  const s = lookupTyped<SetValue>(c, argv[1], 'set', true);
  if (s === null) return;
  if (s === undefined) c.nullBulk();
  else c.bulk(s.random());
}

/** SSCAN key cursor [MATCH pattern] [COUNT count] */
function sscan(c: Client, argv: string[]): void {
  const cursor = parseScanCursor(argv[2]);
  if (cursor === null) {
    c.error(Errors.invalidCursor);
    return;
  }
  const s = lookupTyped<SetValue>(c, argv[1], 'set', true);
  if (s === null) return;
  if (s === undefined) {
    replyEmptyScan(c);
    return;
  }
  const opts = parseScanOptions(c, argv);
  if (opts === null) return;
  let next = 0;
  let members: readonly string[];
  if (s.isIntset) {
    // An intset is small: all of it in one call, cursor 0, as Redis does.
    members = s.values();
  } else {
    const out: string[] = [];
    next = c.server.scanCursors.step(cursor, s.scanSource(), opts.count, out);
    members = out;
  }
  const pattern = opts.pattern;
  if (pattern !== null) {
    const matched: string[] = [];
    for (let i = 0; i < members.length; i++) if (globMatch(pattern, members[i])) matched.push(members[i]);
    members = matched;
  }
  c.arrayLen(2);
  c.bulk(String(next));
  c.arrayLen(members.length);
  for (let i = 0; i < members.length; i++) c.bulk(members[i]);
}

const KEY1 = [1, 1, 1] as const;
const ALL_KEYS = [1, -1, 1] as const;

export const setCommands: CommandSpec[] = [
  { name: 'sadd', arity: -3, flags: ['write', 'denyoom', 'fast'], group: 'set', handler: sadd, keys: KEY1 },
  { name: 'srem', arity: -3, flags: ['write', 'fast'], group: 'set', handler: srem, keys: KEY1 },
  { name: 'smove', arity: 4, flags: ['write', 'fast'], group: 'set', handler: smove, keys: [1, 2, 1] },
  { name: 'sismember', arity: 3, flags: ['readonly', 'fast'], group: 'set', handler: sismember, keys: KEY1 },
  { name: 'smismember', arity: -3, flags: ['readonly', 'fast'], group: 'set', handler: smismember, keys: KEY1 },
  { name: 'scard', arity: 2, flags: ['readonly', 'fast'], group: 'set', handler: scard, keys: KEY1 },
  { name: 'spop', arity: -2, flags: ['write', 'fast'], group: 'set', handler: spop, keys: KEY1 },
  { name: 'srandmember', arity: -2, flags: ['readonly'], group: 'set', handler: srandmember, keys: KEY1 },
  { name: 'sinter', arity: -2, flags: ['readonly'], group: 'set', handler: sinter, keys: ALL_KEYS },
  { name: 'sintercard', arity: -3, flags: ['readonly'], group: 'set', handler: sintercard, getKeys: sintercardKeys },
  { name: 'sinterstore', arity: -3, flags: ['write', 'denyoom'], group: 'set', handler: sinterstore, keys: ALL_KEYS },
  { name: 'sunion', arity: -2, flags: ['readonly'], group: 'set', handler: sunion, keys: ALL_KEYS },
  { name: 'sunionstore', arity: -3, flags: ['write', 'denyoom'], group: 'set', handler: sunionstore, keys: ALL_KEYS },
  { name: 'sdiff', arity: -2, flags: ['readonly'], group: 'set', handler: sdiff, keys: ALL_KEYS },
  { name: 'sdiffstore', arity: -3, flags: ['write', 'denyoom'], group: 'set', handler: sdiffstore, keys: ALL_KEYS },
  { name: 'smembers', arity: 2, flags: ['readonly'], group: 'set', handler: smembers, keys: KEY1 },
  { name: 'sscan', arity: -3, flags: ['readonly'], group: 'set', handler: sscan, keys: KEY1 },
];
