// List commands, blocking ones included (t_list.c). Replies are written straight
// from the ListValue ring buffer. Blocking handlers are written once: blocking.ts
// re-runs them when a key they wait on is created, and they tell that re-run
// ("serving", c.blocked set) from the first call to mimic how Redis 7.0 serves
// waiting clients (only list keys serve; other types leave the client waiting).

import { Errors } from '../protocol/errors.js';
import { parseInt64 } from '../util/int64.js';
import { ListValue } from '../keyspace/types/list.js';
import type { Client } from '../server/client.js';
import type { CommandSpec } from './types.js';
import { intArg, timeoutArg, lookupTyped } from './args.js';
import { notify, Notify } from '../server/keyspace-events.js';

const HEAD = 0;
const TAIL = 1;
type Where = typeof HEAD | typeof TAIL;

const ERR_RANK_ZERO =
  "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list";

/** Timeout reply of every blocking list command (replyToBlockedClientTimedOut). */
function replyNullArray(c: Client): void {
  c.nullArray();
}

/**
 * A long argument of at least `min` (getRangeLongFromObjectOrReply up to LONG_MAX):
 * `msg` is the reply both for non-integers and for values below min. Values past
 * 2^53 are clamped, harmless for counts.
 */
function longAtLeast(c: Client, s: string, min: number, msg: string): number | null {
  const v = parseInt64(s);
  if (v === null || v < min) {
    c.error(msg);
    return null;
  }
  return typeof v === 'number' ? v : Number.MAX_SAFE_INTEGER;
}

/** The list at key when it is one (no reply, no statistics): what a served waiter looks at. */
function listOrNothing(c: Client, key: string): ListValue | undefined {
  const v = c.db.get(key);
  if (v === undefined || typeof v === 'string' || v.type !== 'list') return undefined;
  return v as ListValue;
}

/**
 * The key whose readiness is being served while blocking.ts re-runs a waiter, when
 * it exposes one (`servingKey`); null means "unknown": keys are then tried in order.
 */
function servingKey(c: Client): string | null {
  return (c.server.blocking as { servingKey?: string | null }).servingKey ?? null;
}

/** LEFT|RIGHT (getListPositionFromObjectOrReply); -1 after a syntax error reply. */
function positionArg(c: Client, s: string): Where | -1 {
  const l = s.toLowerCase();
  if (l === 'left') return HEAD;
  if (l === 'right') return TAIL;
  c.error(Errors.syntax);
  return -1;
}

/**
 * listElementsRemoved: the lpop/rpop event, then deletes an emptied list (a del
 * event), signals the change, counts the removals.
 */
function elementsRemoved(c: Client, key: string, list: ListValue, where: Where, n: number): void {
  notify(c, Notify.list, where === HEAD ? 'lpop' : 'rpop', key);
  if (list.length === 0) {
    c.db.delete(key);
    notify(c, Notify.generic, 'del', key);
  } else c.db.touch(key);
  c.server.dirty += n;
}

/** addListRangeReply: [start, end] with Redis's negative-index and clamping rules. */
function replyRange(c: Client, list: ListValue, start: number, end: number, reverse: boolean): void {
  const llen = list.length;
  if (start < 0) start += llen;
  if (end < 0) end += llen;
  if (start < 0) start = 0;
  if (start > end || start >= llen) {
    c.arrayLen(0);
    return;
  }
  if (end >= llen) end = llen - 1;
  c.arrayLen(end - start + 1);
  list.writeRange(c, start, end, reverse);
}

/** Replies up to count elements from one end as an array and removes them; returns how many. */
function popRangeReply(c: Client, list: ListValue, where: Where, count: number): number {
  const n = count > list.length ? list.length : count;
  c.arrayLen(n);
  if (where === HEAD) {
    list.writeRange(c, 0, n - 1, false);
    list.dropHead(n);
  } else {
    const len = list.length;
    list.writeRange(c, len - n, len - 1, true);
    list.dropTail(n);
  }
  return n;
}

/** listPopRangeAndReplyWithKey: `[key, [elements]]` for LMPOP/BLMPOP; propagated as [LR]POP key n. */
function mpopFrom(c: Client, key: string, list: ListValue, where: Where, count: number): void {
  c.arrayLen(2);
  c.bulk(key);
  const n = popRangeReply(c, list, where, count);
  elementsRemoved(c, key, list, where, n);
  c.server.propagateAs = [[where === HEAD ? 'LPOP' : 'RPOP', key, String(n)]];
}

// ---------------------------------------------------------------------------
// Push and pop

function pushGeneric(c: Client, argv: string[], where: Where, xx: boolean): void {
  const key = argv[1];
  let list = lookupTyped<ListValue>(c, key, 'list', false);
  if (list === null) return;
  if (list === undefined) {
    if (xx) {
      c.int(0);
      return;
    }
    list = new ListValue();
    c.db.add(key, list);
  }
  const n = argv.length;
  if (where === HEAD) for (let j = 2; j < n; j++) list.pushHead(argv[j]);
  else for (let j = 2; j < n; j++) list.pushTail(argv[j]);
  c.server.dirty += n - 2;
  c.int(list.length);
  c.db.touch(key);
  notify(c, Notify.list, where === HEAD ? 'lpush' : 'rpush', key);
}

/** LPUSH key element [element ...] */
function lpush(c: Client, argv: string[]): void {
  pushGeneric(c, argv, HEAD, false);
}

/** RPUSH key element [element ...] */
function rpush(c: Client, argv: string[]): void {
  pushGeneric(c, argv, TAIL, false);
}

/** LPUSHX key element [element ...] */
function lpushx(c: Client, argv: string[]): void {
  pushGeneric(c, argv, HEAD, true);
}

/** RPUSHX key element [element ...] */
function rpushx(c: Client, argv: string[]): void {
  pushGeneric(c, argv, TAIL, true);
}

/** popGenericCommand: a bulk without count; an array (null array when missing) with one. */
function popGeneric(c: Client, argv: string[], where: Where): void {
  if (argv.length > 3) {
    c.error(Errors.wrongArgs(argv[0].toLowerCase()));
    return;
  }
  const hasCount = argv.length === 3;
  let count = 0;
  if (hasCount) {
    const n = longAtLeast(c, argv[2], 0, Errors.valueIsOutOfRangeMustBe);
    if (n === null) return;
    count = n;
  }
  const key = argv[1];
  const list = lookupTyped<ListValue>(c, key, 'list', false);
  if (list === null) return;
  if (list === undefined) {
    if (hasCount) c.nullArray();
    else c.nullBulk();
    return;
  }
  if (hasCount) {
    if (count === 0) {
      c.arrayLen(0);
      return;
    }
    const n = popRangeReply(c, list, where, count);
    elementsRemoved(c, key, list, where, n);
    return;
  }
  c.bulk((where === HEAD ? list.popHead() : list.popTail()) as string);
  elementsRemoved(c, key, list, where, 1);
}

/** LPOP key [count] */
function lpop(c: Client, argv: string[]): void {
  popGeneric(c, argv, HEAD);
}

/** RPOP key [count] */
function rpop(c: Client, argv: string[]): void {
  popGeneric(c, argv, TAIL);
}

// ---------------------------------------------------------------------------
// Reads and in-place edits

/** LLEN key */
function llen(c: Client, argv: string[]): void {
  const list = lookupTyped<ListValue>(c, argv[1], 'list', true);
  if (list === null) return;
  c.int(list === undefined ? 0 : list.length);
}

/** LRANGE key start stop */
function lrange(c: Client, argv: string[]): void {
  const start = intArg(c, argv[2]);
  if (start === null) return;
  const end = intArg(c, argv[3]);
  if (end === null) return;
  const list = lookupTyped<ListValue>(c, argv[1], 'list', true);
  if (list === null) return;
  if (list === undefined) {
    c.arrayLen(0);
    return;
  }
  replyRange(c, list, start, end, false);
}

/** LINDEX key index */
function lindex(c: Client, argv: string[]): void {
  // The key is looked up before the index is parsed: a missing key answers null even for "abc".
  const list = lookupTyped<ListValue>(c, argv[1], 'list', true);
  if (list === null) return;
  if (list === undefined) {
    c.nullBulk();
    return;
  }
  const index = intArg(c, argv[2]);
  if (index === null) return;
  const v = list.at(index);
  if (v === undefined) c.nullBulk();
  else c.bulk(v);
}

/** LSET key index element */
function lset(c: Client, argv: string[]): void {
  const key = argv[1];
  const list = lookupTyped<ListValue>(c, key, 'list', false);
  if (list === null) return;
  if (list === undefined) {
    c.error(Errors.noKey);
    return;
  }
  let index = intArg(c, argv[2]);
  if (index === null) return;
  if (index < 0) index += list.length;
  if (index < 0 || index >= list.length) {
    c.error(Errors.outOfRange);
    return;
  }
  list.setAt(index, argv[3]);
  c.ok();
  c.db.touch(key);
  notify(c, Notify.list, 'lset', key);
  c.server.dirty++;
}

/** LINSERT key BEFORE|AFTER pivot element */
function linsert(c: Client, argv: string[]): void {
  const w = argv[2].toLowerCase();
  let after: boolean;
  if (w === 'after') after = true;
  else if (w === 'before') after = false;
  else {
    c.error(Errors.syntax);
    return;
  }
  const key = argv[1];
  const list = lookupTyped<ListValue>(c, key, 'list', false);
  if (list === null) return;
  if (list === undefined) {
    c.int(0);
    return;
  }
  const i = list.indexOf(argv[3]);
  if (i < 0) {
    c.int(-1);
    return;
  }
  list.insertAt(after ? i + 1 : i, argv[4]);
  c.db.touch(key);
  notify(c, Notify.list, 'linsert', key);
  c.server.dirty++;
  c.int(list.length);
}

/** LREM key count element */
function lrem(c: Client, argv: string[]): void {
  const toRemove = intArg(c, argv[2]);
  if (toRemove === null) return;
  const key = argv[1];
  const list = lookupTyped<ListValue>(c, key, 'list', false);
  if (list === null) return;
  if (list === undefined) {
    c.int(0);
    return;
  }
  const removed = list.removeMatching(argv[3], Math.abs(toRemove), toRemove < 0);
  if (removed > 0) notify(c, Notify.list, 'lrem', key);
  if (list.length === 0) {
    c.db.delete(key);
    notify(c, Notify.generic, 'del', key);
  } else if (removed > 0) c.db.touch(key);
  c.server.dirty += removed;
  c.int(removed);
}

/** LTRIM key start stop */
function ltrim(c: Client, argv: string[]): void {
  let start = intArg(c, argv[2]);
  if (start === null) return;
  let end = intArg(c, argv[3]);
  if (end === null) return;
  const key = argv[1];
  const list = lookupTyped<ListValue>(c, key, 'list', false);
  if (list === null) return;
  if (list === undefined) {
    c.ok();
    return;
  }
  const llen = list.length;
  if (start < 0) start += llen;
  if (end < 0) end += llen;
  if (start < 0) start = 0;
  let left: number;
  let right: number;
  if (start > end || start >= llen) {
    left = llen;
    right = 0;
  } else {
    if (end >= llen) end = llen - 1;
    left = start;
    right = llen - end - 1;
  }
  list.dropHead(left);
  list.dropTail(right);
  // Redis notifies even when nothing was trimmed.
  notify(c, Notify.list, 'ltrim', key);
  if (list.length === 0) {
    c.db.delete(key);
    notify(c, Notify.generic, 'del', key);
  } else c.db.touch(key);
  c.server.dirty += left + right;
  c.ok();
}

/** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len] */
function lpos(c: Client, argv: string[]): void {
  const ele = argv[2];
  let rank = 1;
  let count = -1;
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    const more = j < argv.length - 1;
    if (opt === 'rank' && more) {
      const r = intArg(c, argv[++j]);
      if (r === null) return;
      if (r === 0) {
        c.error(ERR_RANK_ZERO);
        return;
      }
      rank = r;
    } else if (opt === 'count' && more) {
      const n = longAtLeast(c, argv[++j], 0, "ERR COUNT can't be negative");
      if (n === null) return;
      count = n;
    } else if (opt === 'maxlen' && more) {
      const n = longAtLeast(c, argv[++j], 0, "ERR MAXLEN can't be negative");
      if (n === null) return;
      maxlen = n;
    } else {
      c.error(Errors.syntax);
      return;
    }
  }
  const fromTail = rank < 0;
  if (fromTail) rank = -rank;
  const list = lookupTyped<ListValue>(c, argv[1], 'list', true);
  if (list === null) return;
  if (list === undefined) {
    if (count !== -1) c.arrayLen(0);
    else c.nullBulk();
    return;
  }
  const llen = list.length;
  const limit = maxlen === 0 || maxlen > llen ? llen : maxlen;
  let matches = 0;
  if (count === -1) {
    for (let index = 0; index < limit; index++) {
      if (list.at(fromTail ? llen - index - 1 : index) === ele && ++matches >= rank) {
        c.int(fromTail ? llen - index - 1 : index);
        return;
      }
    }
    c.nullBulk();
    return;
  }
  // The array length is only known at the end: collect the (few) positions first.
  const found: number[] = [];
  for (let index = 0; index < limit; index++) {
    if (list.at(fromTail ? llen - index - 1 : index) !== ele || ++matches < rank) continue;
    found.push(fromTail ? llen - index - 1 : index);
    if (count !== 0 && matches - rank + 1 >= count) break;
  }
  c.arrayLen(found.length);
  for (let i = 0; i < found.length; i++) c.int(found[i]);
}

// ---------------------------------------------------------------------------
// Moves

/**
 * lmoveGenericCommand after the source is known to be a non-empty list; false after a
 * WRONGTYPE reply for the destination. `dirty` is 0 for a served BLMOVE, which Redis
 * 7.0 does not count as a change.
 */
function moveFrom(c: Client, src: ListValue, argv: string[], from: Where, to: Where, dirty = 1): boolean {
  const srcKey = argv[1];
  const dstKey = argv[2];
  const dst = lookupTyped<ListValue>(c, dstKey, 'list', false);
  if (dst === null) return false;
  const value = (from === HEAD ? src.popHead() : src.popTail()) as string;
  // lmoveHandlePush
  if (dst === undefined) {
    const created = new ListValue();
    if (to === HEAD) created.pushHead(value);
    else created.pushTail(value);
    c.db.add(dstKey, created);
  } else {
    if (to === HEAD) dst.pushHead(value);
    else dst.pushTail(value);
    c.db.touch(dstKey);
  }
  // The push side's event comes first, then the pop side's (lmoveGenericCommand).
  notify(c, Notify.list, to === HEAD ? 'lpush' : 'rpush', dstKey);
  c.bulk(value);
  notify(c, Notify.list, from === HEAD ? 'lpop' : 'rpop', srcKey);
  if (src.length === 0) {
    c.db.delete(srcKey);
    notify(c, Notify.generic, 'del', srcKey);
  } else c.db.touch(srcKey);
  c.server.dirty += dirty;
  return true;
}

/** LMOVE source destination LEFT|RIGHT LEFT|RIGHT */
function lmove(c: Client, argv: string[]): void {
  const from = positionArg(c, argv[3]);
  if (from === -1) return;
  const to = positionArg(c, argv[4]);
  if (to === -1) return;
  const src = lookupTyped<ListValue>(c, argv[1], 'list', false);
  if (src === null) return;
  // An empty list cannot exist here (only very old RDB files had them).
  if (src === undefined || src.length === 0) {
    c.nullBulk();
    return;
  }
  moveFrom(c, src, argv, from, to);
}

/** RPOPLPUSH source destination */
function rpoplpush(c: Client, argv: string[]): void {
  const src = lookupTyped<ListValue>(c, argv[1], 'list', false);
  if (src === null) return;
  if (src === undefined || src.length === 0) {
    c.nullBulk();
    return;
  }
  moveFrom(c, src, argv, TAIL, HEAD);
}

// ---------------------------------------------------------------------------
// LMPOP and the blocking commands

/**
 * lmpopGenericCommand's parsing: numkeys, LEFT|RIGHT, COUNT. Leaves the results in
 * mpopWhere/mpopCount/mpopNumKeys; false after an error reply.
 */
let mpopWhere: Where = HEAD;
let mpopCount = 1;
let mpopNumKeys = 0;
function parseMpop(c: Client, argv: string[], numkeysIdx: number): boolean {
  const numkeys = longAtLeast(c, argv[numkeysIdx], 1, 'ERR numkeys should be greater than 0');
  if (numkeys === null) return false;
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) {
    c.error(Errors.syntax);
    return false;
  }
  const where = positionArg(c, argv[whereIdx]);
  if (where === -1) return false;
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    if (count === -1 && j < argv.length - 1 && argv[j].toLowerCase() === 'count') {
      const n = longAtLeast(c, argv[++j], 1, 'ERR count should be greater than 0');
      if (n === null) return false;
      count = n;
    } else {
      c.error(Errors.syntax);
      return false;
    }
  }
  mpopWhere = where;
  mpopCount = count === -1 ? 1 : count;
  mpopNumKeys = numkeys;
  return true;
}

/** LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count] */
function lmpop(c: Client, argv: string[]): void {
  if (!parseMpop(c, argv, 1)) return;
  const end = 2 + mpopNumKeys;
  for (let j = 2; j < end; j++) {
    const key = argv[j];
    const list = lookupTyped<ListValue>(c, key, 'list', false);
    if (list === null) return;
    if (list === undefined || list.length === 0) continue;
    mpopFrom(c, key, list, mpopWhere, mpopCount);
    return;
  }
  c.nullArray();
}

/**
 * blockingPopGenericCommand for keys argv[first..last]: pops from the first non-empty
 * list (a [key, element] pair, or [key, [elements]] when count > 0), else blocks.
 */
function blockingPop(c: Client, argv: string[], first: number, last: number, where: Where, count: number, timeoutIdx: number): void {
  const deadline = timeoutArg(c, argv[timeoutIdx]);
  if (deadline === null) return;
  const serving = c.blocked !== null;
  const readyKey = serving ? servingKey(c) : null;
  for (let j = first; j <= last; j++) {
    const key = argv[j];
    let list: ListValue | undefined | null;
    if (serving) {
      // Redis serves a waiter from the key that became ready, and only when it is a list.
      if (readyKey !== null && key !== readyKey) continue;
      list = listOrNothing(c, key);
    } else {
      list = lookupTyped<ListValue>(c, key, 'list', false);
      if (list === null) return;
    }
    if (list === undefined || list.length === 0) continue;
    if (count > 0) {
      mpopFrom(c, key, list, where, count);
      return;
    }
    const value = (where === HEAD ? list.popHead() : list.popTail()) as string;
    c.arrayLen(2);
    c.bulk(key);
    c.bulk(value);
    // Redis 7.0 does not count a served single pop as a change (serveClientBlockedOnList).
    elementsRemoved(c, key, list, where, serving ? 0 : 1);
    c.server.propagateAs = [[where === HEAD ? 'LPOP' : 'RPOP', key]];
    return;
  }
  // Inside MULTI/EXEC (or a script) a blocking command cannot block: it times out at once.
  if (c.denyBlocking) {
    c.nullArray();
    return;
  }
  c.server.blocking.blockForKeys(c, argv.slice(first, last + 1), deadline, replyNullArray);
}

/** BLPOP key [key ...] timeout */
function blpop(c: Client, argv: string[]): void {
  blockingPop(c, argv, 1, argv.length - 2, HEAD, 0, argv.length - 1);
}

/** BRPOP key [key ...] timeout */
function brpop(c: Client, argv: string[]): void {
  blockingPop(c, argv, 1, argv.length - 2, TAIL, 0, argv.length - 1);
}

/** BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count] */
function blmpop(c: Client, argv: string[]): void {
  if (!parseMpop(c, argv, 2)) return;
  blockingPop(c, argv, 3, 2 + mpopNumKeys, mpopWhere, mpopCount, 1);
}

/**
 * blmoveGenericCommand: moves at once when the source has elements, else waits on it.
 * Propagates as LMOVE (RPOPLPUSH for BRPOPLPUSH): the client's own LEFT/RIGHT words
 * when it did not wait, Redis's lowercase ones when a push served it.
 */
function blockingMove(c: Client, argv: string[], from: Where, to: Where, timeoutIdx: number, isRpoplpush: boolean): void {
  const deadline = timeoutArg(c, argv[timeoutIdx]);
  if (deadline === null) return;
  const serving = c.blocked !== null;
  let src: ListValue | undefined | null;
  if (serving) {
    src = listOrNothing(c, argv[1]);
  } else {
    src = lookupTyped<ListValue>(c, argv[1], 'list', false);
    if (src === null) return;
  }
  if (src === undefined || src.length === 0) {
    if (c.denyBlocking) {
      // Redis answers a null bulk here, though a timeout answers a null array.
      c.nullBulk();
      return;
    }
    c.server.blocking.blockForKeys(c, [argv[1]], deadline, replyNullArray);
    return;
  }
  if (!moveFrom(c, src, argv, from, to, serving ? 0 : 1)) return;
  if (isRpoplpush) c.server.propagateAs = [['RPOPLPUSH', argv[1], argv[2]]];
  else if (serving) c.server.propagateAs = [['LMOVE', argv[1], argv[2], from === HEAD ? 'left' : 'right', to === HEAD ? 'left' : 'right']];
  else c.server.propagateAs = [['LMOVE', argv[1], argv[2], argv[3], argv[4]]];
}

/** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout */
function blmove(c: Client, argv: string[]): void {
  const from = positionArg(c, argv[3]);
  if (from === -1) return;
  const to = positionArg(c, argv[4]);
  if (to === -1) return;
  blockingMove(c, argv, from, to, 5, false);
}

/** BRPOPLPUSH source destination timeout */
function brpoplpush(c: Client, argv: string[]): void {
  blockingMove(c, argv, TAIL, HEAD, 3, true);
}

/** atoi: leading digits with an optional sign, 0 when none (genericGetKeys reads numkeys so). */
function atoi(s: string): number {
  const n = parseInt(s, 10);
  return Number.isNaN(n) ? 0 : n;
}

/** lmpopGetKeys / blmpopGetKeys: numkeys keys after the numkeys argument, none when it is invalid. */
function mpopKeys(argv: readonly string[], numkeysIdx: number): number[] {
  const num = atoi(argv[numkeysIdx]);
  const first = numkeysIdx + 1;
  if (num < 1 || num > argv.length - first) return [];
  const out: number[] = [];
  for (let i = 0; i < num; i++) out.push(first + i);
  return out;
}

export const listCommands: CommandSpec[] = [
  { name: 'lpush', arity: -3, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'list', handler: lpush },
  { name: 'rpush', arity: -3, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'list', handler: rpush },
  { name: 'lpushx', arity: -3, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'list', handler: lpushx },
  { name: 'rpushx', arity: -3, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'list', handler: rpushx },
  { name: 'lpop', arity: -2, flags: ['write', 'fast'], keys: [1, 1, 1], group: 'list', handler: lpop },
  { name: 'rpop', arity: -2, flags: ['write', 'fast'], keys: [1, 1, 1], group: 'list', handler: rpop },
  { name: 'llen', arity: 2, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'list', handler: llen },
  { name: 'lrange', arity: 4, flags: ['readonly'], keys: [1, 1, 1], group: 'list', handler: lrange },
  { name: 'lindex', arity: 3, flags: ['readonly'], keys: [1, 1, 1], group: 'list', handler: lindex },
  { name: 'lset', arity: 4, flags: ['write', 'denyoom'], keys: [1, 1, 1], group: 'list', handler: lset },
  { name: 'linsert', arity: 5, flags: ['write', 'denyoom'], keys: [1, 1, 1], group: 'list', handler: linsert },
  { name: 'lrem', arity: 4, flags: ['write'], keys: [1, 1, 1], group: 'list', handler: lrem },
  { name: 'ltrim', arity: 4, flags: ['write'], keys: [1, 1, 1], group: 'list', handler: ltrim },
  { name: 'lpos', arity: -3, flags: ['readonly'], keys: [1, 1, 1], group: 'list', handler: lpos },
  { name: 'lmove', arity: 5, flags: ['write', 'denyoom'], keys: [1, 2, 1], group: 'list', handler: lmove },
  { name: 'rpoplpush', arity: 3, flags: ['write', 'denyoom'], keys: [1, 2, 1], group: 'list', handler: rpoplpush },
  { name: 'lmpop', arity: -4, flags: ['write'], getKeys: (argv) => mpopKeys(argv, 1), group: 'list', handler: lmpop },
  { name: 'blpop', arity: -3, flags: ['write', 'noscript', 'blocking'], keys: [1, -2, 1], group: 'list', handler: blpop },
  { name: 'brpop', arity: -3, flags: ['write', 'noscript', 'blocking'], keys: [1, -2, 1], group: 'list', handler: brpop },
  { name: 'blmove', arity: 6, flags: ['write', 'denyoom', 'noscript', 'blocking'], keys: [1, 2, 1], group: 'list', handler: blmove },
  { name: 'brpoplpush', arity: 4, flags: ['write', 'denyoom', 'noscript', 'blocking'], keys: [1, 2, 1], group: 'list', handler: brpoplpush },
  { name: 'blmpop', arity: -5, flags: ['write', 'blocking'], getKeys: (argv) => mpopKeys(argv, 2), group: 'list', handler: blmpop },
];
