// Sorted-set pops (t_zset.c): ZPOPMIN/ZPOPMAX, ZMPOP and the blocking BZPOPMIN,
// BZPOPMAX and BZMPOP (through src/server/blocking.ts), propagated as their
// non-blocking effect.

import { Errors } from '../protocol/errors.js';
import { ZSetValue, type ZNode } from '../keyspace/types/zset.js';
import { intArg, lookupTyped, timeoutArg } from './args.js';
import type { Client } from '../server/client.js';
import { notify, Notify } from '../server/keyspace-events.js';
import { eqi } from './zset-common.js';

// ---- pops ----

/**
 * genericZpopCommand's pop and reply for a non-empty zset: `count` -1 is a plain
 * single pop. `emitkey` puts the key first (blocking and M pops); `nested` makes
 * [member, score] pairs (and, with emitkey, the [key, pairs] shape of ZMPOP).
 */
export function popAndReply(c: Client, key: string, z: ZSetValue, max: boolean, emitkey: boolean, count: number, nested: boolean): void {
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
    if (i === 0) {
      if (max) notify(c, Notify.zset, 'zpopmax', key);
      else notify(c, Notify.zset, 'zpopmin', key);
    }
    if (nested) c.arrayLen(2);
    c.bulk(member);
    c.double(score);
  }
  if (z.size === 0) {
    c.db.delete(key);
    notify(c, Notify.generic, 'del', key);
  } else c.db.touch(key);
}

export function zpopMinMax(c: Client, argv: string[], max: boolean): void {
  if (argv.length > 3) {
    c.error(Errors.syntax);
    return;
  }
  let count = -1;
  if (argv.length === 3) {
    const v = intArg(c, argv[2], Errors.valueIsOutOfRangeMustBe);
    if (v === null) return;
    if (v < 0) {
      c.error(Errors.valueIsOutOfRangeMustBe);
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
export function zpopmin(c: Client, argv: string[]): void {
  zpopMinMax(c, argv, false);
}

/** ZPOPMAX key [count] */
export function zpopmax(c: Client, argv: string[]): void {
  zpopMinMax(c, argv, true);
}

export function replyNullArray(c: Client): void {
  c.nullArray();
}

/**
 * blockingGenericZpopCommand: keys are argv[first .. first+n). Served at once
 * when a key holds a zset; otherwise blocks (never inside EXEC). A served pop
 * propagates as ZPOPMIN/ZPOPMAX key [count].
 */
export function blockingZpop(c: Client, argv: string[], first: number, n: number, max: boolean, timeoutIdx: number, count: number, nested: boolean): void {
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
  if (c.denyBlocking) {
    c.nullArray();
    return;
  }
  c.server.blocking.blockForKeys(c, argv.slice(first, first + n), deadline, replyNullArray);
}

/** BZPOPMIN key [key ...] timeout */
export function bzpopmin(c: Client, argv: string[]): void {
  blockingZpop(c, argv, 1, argv.length - 2, false, argv.length - 1, -1, false);
}

/** BZPOPMAX key [key ...] timeout */
export function bzpopmax(c: Client, argv: string[]): void {
  blockingZpop(c, argv, 1, argv.length - 2, true, argv.length - 1, -1, false);
}

/** zmpopGenericCommand: numkeys at `numkeysIdx`, then keys, MIN|MAX, [COUNT count]. */
export function zmpopGeneric(c: Client, argv: string[], numkeysIdx: number, block: boolean): void {
  const numkeys = intArg(c, argv[numkeysIdx], 'ERR numkeys should be greater than 0');
  if (numkeys === null) return;
  if (numkeys < 1) {
    c.error(Errors.numkeysShouldBeGreaterThan0);
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
        c.error(Errors.countShouldBeGreaterThan0);
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
export function zmpop(c: Client, argv: string[]): void {
  zmpopGeneric(c, argv, 1, false);
}

/** BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count] */
export function bzmpop(c: Client, argv: string[]): void {
  zmpopGeneric(c, argv, 2, true);
}
