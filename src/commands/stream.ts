// Stream commands (t_stream.c): XADD XRANGE XREVRANGE XLEN XDEL XTRIM XREAD
// XREADGROUP XGROUP XACK XPENDING XCLAIM XAUTOCLAIM XINFO XSETID. Replies and errors
// are Redis 7.0's byte for byte; writes propagate their effects as 7.0 does (XADD
// with the chosen ID and exact trim arguments, XREADGROUP/XCLAIM/XAUTOCLAIM as
// XCLAIM ... FORCE JUSTID LASTID, XGROUP SETID and XGROUP CREATECONSUMER).
//
// XREAD / XREADGROUP BLOCK use blocking.ts: a waiter is re-run when a key it waits
// on is signalled (XADD, key creation, XGROUP DESTROY), and that re-run ("serving",
// c.blocked set) follows serveClientsBlockedOnStreamKey: only the ready key is
// looked at, `$` was resolved to a concrete ID before blocking (the argv kept for
// the re-run has it rewritten), XREADGROUP follows its group's last ID and fails
// with NOGROUP / UNBLOCKED when the group or the stream is gone (a stream's removal
// is noticed through a key watcher, see GroupWaiters).

import { Errors } from '../protocol/errors.js';
import type { Client } from '../server/client.js';
import { notify, Notify } from '../server/keyspace-events.js';
import type { CommandSpec } from './types.js';
import { cstr, int64Arg, lookupTyped } from './args.js';
import {
  StreamValue,
  TRIM_MAXLEN,
  TRIM_MINID,
  ZERO_ID,
  compareIds,
  idString,
  isMaxId,
  isZeroId,
  type StreamID,
  type U64,
} from '../keyspace/types/stream.js';
import {
  eqi,
  seqGiven,
  parseId,
  parseStartBound,
  parseEndBound,
  countValue,
  nodeLimits,
  writeEntry,
  scratch,
  parseIds,
} from './stream-common.js';
import { xgroup, xack, xpending, xclaim, xautoclaim } from './stream-groups.js';
import { xinfo } from './stream-info.js';
import { xreadGetKeys, xread, xreadgroup } from './stream-read.js';

// ---- XADD / XTRIM ------------------------------------------------------------------

/** streamAddTrimArgs, reused between calls. */
const ta = {
  id: ZERO_ID as StreamID,
  idGiven: false,
  seqGiven: false,
  noMkstream: false,
  strategy: 0,
  /** Index of the MAXLEN count / MINID id, for rewriting. */
  argIdx: 0,
  approx: false,
  limit: 0 as U64,
  maxlen: 0 as U64,
  minid: ZERO_ID as StreamID,
};

/**
 * The part MAXLEN and MINID share: only one strategy, and an optional `~` (approx)
 * or `=` before the threshold. Returns the index before the threshold, or -1 after
 * replying an error.
 */
function trimStrategyStart(c: Client, argv: string[], i: number, moreargs: number): number {
  if (ta.strategy !== 0) {
    c.error(Errors.syntaxErrorMaxlenAndMinidOptionsAt);
    return -1;
  }
  ta.approx = false;
  const next = cstr(argv[i + 1]);
  if (moreargs >= 2 && next === '~') {
    ta.approx = true;
    return i + 1;
  }
  if (moreargs >= 2 && next === '=') return i + 1;
  return i;
}

/**
 * streamParseAddOrTrimArgsOrReply: fills `ta`; returns the ID's position (XADD) or
 * -1 after replying an error.
 */
function parseAddTrim(c: Client, argv: string[], xadd: boolean): number {
  ta.id = ZERO_ID;
  ta.idGiven = false;
  ta.seqGiven = false;
  ta.noMkstream = false;
  ta.strategy = 0;
  ta.argIdx = 0;
  ta.approx = false;
  ta.limit = 0;
  ta.maxlen = 0;
  ta.minid = ZERO_ID;
  let limitGiven = false;
  const argc = argv.length;
  let i = 2;
  for (; i < argc; i++) {
    const moreargs = argc - 1 - i;
    const opt = argv[i];
    if (xadd && opt.charCodeAt(0) === 42 && (opt.length === 1 || opt.charCodeAt(1) === 0)) {
      break;
    } else if (moreargs > 0 && eqi(opt, 'maxlen')) {
      i = trimStrategyStart(c, argv, i, moreargs);
      if (i < 0) return -1;
      const v = int64Arg(c, argv[i + 1]);
      if (v === null) return -1;
      if (v < 0) {
        c.error(Errors.theMaxlenArgumentMustBe0);
        return -1;
      }
      ta.maxlen = v;
      i++;
      ta.strategy = TRIM_MAXLEN;
      ta.argIdx = i;
    } else if (moreargs > 0 && eqi(opt, 'minid')) {
      i = trimStrategyStart(c, argv, i, moreargs);
      if (i < 0) return -1;
      const id = parseId(c, argv[i + 1], 0, true);
      if (id === null) return -1;
      ta.minid = id;
      i++;
      ta.strategy = TRIM_MINID;
      ta.argIdx = i;
    } else if (moreargs > 0 && eqi(opt, 'limit')) {
      const v = int64Arg(c, argv[i + 1]);
      if (v === null) return -1;
      if (v < 0) {
        c.error(Errors.theLimitArgumentMustBe0);
        return -1;
      }
      ta.limit = v;
      limitGiven = true;
      i++;
    } else if (xadd && eqi(opt, 'nomkstream')) {
      ta.noMkstream = true;
    } else if (xadd) {
      const id = parseId(c, opt, 0, true, true);
      if (id === null) return -1;
      ta.id = id;
      ta.seqGiven = seqGiven;
      ta.idGiven = true;
      break;
    } else {
      c.error(Errors.syntax);
      return -1;
    }
  }
  if (ta.limit !== 0 && ta.strategy === 0) {
    c.error(Errors.syntaxErrorLimitCannotBeUsedWithout);
    return -1;
  }
  if (!xadd && ta.strategy === 0) {
    c.error(Errors.syntaxErrorXtrimMustBeCalledWith);
    return -1;
  }
  if (c.isMaster) {
    // The master already rewrote ~ into an exact argument: never stop early.
    ta.limit = 0;
  } else if (limitGiven) {
    if (!ta.approx) {
      c.error(Errors.syntaxErrorLimitCannotBeUsedWithout2);
      return -1;
    }
  } else if (ta.approx) {
    // 100 nodes' worth, computed in long long arithmetic and clamped as Redis does.
    let limit = BigInt.asIntN(64, 100n * BigInt(c.server.config.num('stream-node-max-entries')));
    if (limit <= 0n) limit = 10000n;
    if (limit > 1000000n) limit = 1000000n;
    ta.limit = Number(limit);
  } else {
    ta.limit = 0;
  }
  return i;
}

/** After a `~` trim: the argv to propagate, with "= <exact length or first ID>". */
function rewriteTrim(argv: string[], s: StreamValue): string[] {
  const out = argv.slice();
  out[ta.argIdx - 1] = '=';
  out[ta.argIdx] = ta.strategy === TRIM_MAXLEN ? String(s.length) : idString(s.firstIdWithTombstones());
  return out;
}

/** XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...] */
function xadd(c: Client, argv: string[]): void {
  const idpos = parseAddTrim(c, argv, true);
  if (idpos < 0) return;
  const fieldPos = idpos + 1;
  const nargs = argv.length - fieldPos;
  if (nargs < 2 || nargs % 2 === 1) {
    c.error(Errors.wrongArgs('xadd'));
    return;
  }
  if (ta.idGiven && ta.seqGiven && isZeroId(ta.id)) {
    c.error(Errors.theIdSpecifiedInXaddMustBe);
    return;
  }
  const key = argv[1];
  let s = lookupTyped<StreamValue>(c, key, 'stream', false);
  if (s === null) return;
  if (s === undefined) {
    if (ta.noMkstream) {
      c.nullBulk();
      return;
    }
    s = new StreamValue();
    c.db.add(key, s);
  }
  if (isMaxId(s.lastId)) {
    c.error(Errors.theStreamHasExhaustedTheLastPossible);
    return;
  }
  const id = s.nextId(ta.idGiven ? ta.id : null, ta.seqGiven, Date.now());
  if (id === 'not-greater') {
    c.error(Errors.theIdSpecifiedInXaddIsEqual);
    return;
  }
  const fields = argv.slice(fieldPos);
  if (id === 'too-large' || !s.append(id, fields, nodeLimits(c))) {
    c.error(Errors.elementsAreTooLargeToBeStored);
    return;
  }
  const idStr = idString(id);
  c.bulk(idStr);
  c.db.touch(key);
  notify(c, Notify.stream, 'xadd', key);
  c.server.dirty++;
  let prop: string[] | null = null;
  if (ta.strategy !== 0) {
    if (s.trim(ta.strategy, ta.maxlen, ta.minid, ta.approx, ta.limit) > 0) notify(c, Notify.stream, 'xtrim', key);
    if (ta.approx) prop = rewriteTrim(argv, s);
  }
  if (!ta.idGiven || !ta.seqGiven) {
    if (prop === null) prop = argv.slice();
    prop[idpos] = idStr;
  }
  if (prop !== null) c.server.propagateAs = [prop];
  c.server.blocking.signalKeyAsReady(c.db, key);
}

/** XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count] */
function xtrim(c: Client, argv: string[]): void {
  if (parseAddTrim(c, argv, false) < 0) return;
  const key = argv[1];
  const s = lookupTyped<StreamValue>(c, key, 'stream', false);
  if (s === null) return;
  if (s === undefined) {
    c.int(0);
    return;
  }
  const deleted = s.trim(ta.strategy, ta.maxlen, ta.minid, ta.approx, ta.limit);
  if (deleted > 0) {
    notify(c, Notify.stream, 'xtrim', key);
    if (ta.approx) c.server.propagateAs = [rewriteTrim(argv, s)];
    c.db.touch(key);
    c.server.dirty += deleted;
  }
  c.int(deleted);
}

// ---- XRANGE / XREVRANGE / XLEN / XDEL -------------------------------------------

function xrangeGeneric(c: Client, argv: string[], rev: boolean): void {
  const start = parseStartBound(c, rev ? argv[3] : argv[2]);
  if (start === null) return;
  const end = parseEndBound(c, rev ? argv[2] : argv[3]);
  if (end === null) return;
  let count = -1;
  for (let j = 4; j < argv.length; j++) {
    const additional = argv.length - j - 1;
    if (additional >= 1 && eqi(argv[j], 'count')) {
      const v = int64Arg(c, argv[j + 1]);
      if (v === null) return;
      count = countValue(v);
      j++;
    } else {
      c.error(Errors.syntax);
      return;
    }
  }
  const s = lookupTyped<StreamValue>(c, argv[1], 'stream', true);
  if (s === null) return;
  if (s === undefined) {
    c.arrayLen(0);
    return;
  }
  if (count === 0) {
    c.nullArray();
    return;
  }
  scratch.length = 0;
  const entries = rev ? s.range(start, end, count < 0 ? 0 : count, true, scratch) : s.range(start, end, count < 0 ? 0 : count, false, scratch);
  c.arrayLen(entries.length);
  for (let i = 0; i < entries.length; i++) writeEntry(c, entries[i]);
  scratch.length = 0;
}

/** XRANGE key start end [COUNT count] */
function xrange(c: Client, argv: string[]): void {
  xrangeGeneric(c, argv, false);
}

/** XREVRANGE key end start [COUNT count] */
function xrevrange(c: Client, argv: string[]): void {
  xrangeGeneric(c, argv, true);
}

/** XLEN key */
function xlen(c: Client, argv: string[]): void {
  const s = lookupTyped<StreamValue>(c, argv[1], 'stream', true);
  if (s === null) return;
  c.int(s === undefined ? 0 : s.length);
}

/** Parses argv[from..] as strict IDs; null after replying the first error. */

/** XDEL key id [id ...] */
function xdel(c: Client, argv: string[]): void {
  const key = argv[1];
  const s = lookupTyped<StreamValue>(c, key, 'stream', false);
  if (s === null) return;
  if (s === undefined) {
    c.int(0);
    return;
  }
  const ids = parseIds(c, argv, 2);
  if (ids === null) return;
  const deleted = s.deleteIds(ids);
  if (deleted > 0) {
    c.db.touch(key);
    notify(c, Notify.stream, 'xdel', key);
    c.server.dirty += deleted;
  }
  c.int(deleted);
}

// ---- XSETID ------------------------------------------------------------------------

/** XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id] */
function xsetid(c: Client, argv: string[]): void {
  const id = parseId(c, argv[2], 0, true);
  if (id === null) return;
  let entriesAdded: U64 = -1;
  let maxXdel: StreamID = ZERO_ID;
  for (let i = 3; i < argv.length; ) {
    const moreargs = argv.length - 1 - i;
    const opt = argv[i];
    if (moreargs > 0 && eqi(opt, 'entriesadded')) {
      const v = int64Arg(c, argv[i + 1]);
      if (v === null) return;
      if (v < 0) {
        c.error(Errors.entriesAddedMustBePositive);
        return;
      }
      entriesAdded = v;
      i += 2;
    } else if (moreargs > 0 && eqi(opt, 'maxdeletedid')) {
      const m = parseId(c, argv[i + 1], 0, true);
      if (m === null) return;
      if (compareIds(id, m) < 0) {
        c.error(Errors.theIdSpecifiedInXsetidIsSmaller);
        return;
      }
      maxXdel = m;
      i += 2;
    } else {
      c.error(Errors.syntax);
      return;
    }
  }
  const key = argv[1];
  const s = lookupTyped<StreamValue>(c, key, 'stream', false);
  if (s === null) return;
  if (s === undefined) {
    c.error(Errors.noKey);
    return;
  }
  if (s.length > 0) {
    if (compareIds(id, s.lastValidId()) < 0) {
      c.error(Errors.theIdSpecifiedInXsetidIsSmaller2);
      return;
    }
    if (entriesAdded !== -1 && s.length > entriesAdded) {
      c.error(Errors.theEntriesAddedSpecifiedInXsetidIs);
      return;
    }
  }
  s.lastId = id;
  if (entriesAdded !== -1) s.entriesAdded = entriesAdded;
  if (!isZeroId(maxXdel)) s.maxDeletedId = maxXdel;
  c.ok();
  c.server.dirty++;
  notify(c, Notify.stream, 'xsetid', key);
}


export const streamCommands: CommandSpec[] = [
  { name: 'xadd', arity: -5, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'stream', handler: xadd },
  { name: 'xrange', arity: -4, flags: ['readonly'], keys: [1, 1, 1], group: 'stream', handler: xrange },
  { name: 'xrevrange', arity: -4, flags: ['readonly'], keys: [1, 1, 1], group: 'stream', handler: xrevrange },
  { name: 'xlen', arity: 2, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'stream', handler: xlen },
  { name: 'xread', arity: -4, flags: ['readonly', 'blocking'], getKeys: xreadGetKeys, group: 'stream', handler: xread },
  { name: 'xreadgroup', arity: -7, flags: ['write', 'blocking'], getKeys: xreadGetKeys, group: 'stream', handler: xreadgroup },
  {
    name: 'xgroup',
    arity: -2,
    flags: [],
    group: 'stream',
    subcommands: [
      { name: 'create', arity: -5, flags: ['write', 'denyoom'], keys: [2, 2, 1], group: 'stream', handler: xgroup },
      { name: 'setid', arity: -5, flags: ['write'], keys: [2, 2, 1], group: 'stream', handler: xgroup },
      { name: 'destroy', arity: 4, flags: ['write'], keys: [2, 2, 1], group: 'stream', handler: xgroup },
      { name: 'createconsumer', arity: 5, flags: ['write', 'denyoom'], keys: [2, 2, 1], group: 'stream', handler: xgroup },
      { name: 'delconsumer', arity: 5, flags: ['write'], keys: [2, 2, 1], group: 'stream', handler: xgroup },
      { name: 'help', arity: 2, flags: ['loading', 'stale'], group: 'stream', handler: xgroup },
    ],
  },
  { name: 'xsetid', arity: -3, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'stream', handler: xsetid },
  { name: 'xack', arity: -4, flags: ['write', 'fast'], keys: [1, 1, 1], group: 'stream', handler: xack },
  { name: 'xpending', arity: -3, flags: ['readonly'], keys: [1, 1, 1], group: 'stream', handler: xpending },
  { name: 'xclaim', arity: -6, flags: ['write', 'fast'], keys: [1, 1, 1], group: 'stream', handler: xclaim },
  { name: 'xautoclaim', arity: -6, flags: ['write', 'fast'], keys: [1, 1, 1], group: 'stream', handler: xautoclaim },
  { name: 'xdel', arity: -3, flags: ['write', 'fast'], keys: [1, 1, 1], group: 'stream', handler: xdel },
  { name: 'xtrim', arity: -4, flags: ['write'], keys: [1, 1, 1], group: 'stream', handler: xtrim },
  {
    name: 'xinfo',
    arity: -2,
    flags: [],
    group: 'stream',
    subcommands: [
      { name: 'consumers', arity: 4, flags: ['readonly'], keys: [2, 2, 1], group: 'stream', handler: xinfo },
      { name: 'groups', arity: 3, flags: ['readonly'], keys: [2, 2, 1], group: 'stream', handler: xinfo },
      { name: 'stream', arity: -3, flags: ['readonly'], keys: [2, 2, 1], group: 'stream', handler: xinfo },
      { name: 'help', arity: 2, flags: ['loading', 'stale'], group: 'stream', handler: xinfo },
    ],
  },
];
