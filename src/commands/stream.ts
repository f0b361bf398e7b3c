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
import { parseInt64, type Int64 } from '../util/int64.js';
import type { Client } from '../server/client.js';
import type { Blocking } from '../server/blocking.js';
import type { Database, KeyWatcher } from '../keyspace/database.js';
import type { CommandSpec } from './types.js';
import { int64Arg, lookupTyped } from './args.js';
import {
  INVALID_ENTRIES_READ,
  MAX_ID,
  StreamGroup,
  StreamNack,
  StreamValue,
  TRIM_MAXLEN,
  TRIM_MINID,
  U64_MAX,
  ZERO_ID,
  cmpIds,
  compareIds,
  decrId,
  idString,
  incrId,
  incrU64,
  isMaxId,
  isZeroId,
  type NodeLimits,
  type StreamConsumer,
  type StreamEntry,
  type StreamID,
  type U64,
} from '../keyspace/types/stream.js';

const ERR_INVALID_ID = 'ERR Invalid stream ID specified as stream command argument';
const ERR_START_INTERVAL = 'ERR invalid start ID for the interval';
const ERR_END_INTERVAL = 'ERR invalid end ID for the interval';
/** XREAD_BLOCKED_DEFAULT_COUNT: a served waiter without COUNT gets at most this many. */
const BLOCKED_DEFAULT_COUNT = 1000;
/** setTimeout's largest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

// ---- small helpers -----------------------------------------------------------------

/** The argument as C string functions see it (strcmp, strchr, %s): up to the first NUL. */
function cstr(s: string): string {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}

/** strcasecmp(s, lower) == 0 for an ASCII option name given in lowercase. */
function eqi(s: string, lower: string): boolean {
  return s.length === lower.length && s.toLowerCase() === lower;
}

function isSpace(ch: number): boolean {
  return ch === 32 || (ch >= 9 && ch <= 13);
}

/**
 * string2ull: a canonical non-negative int64, else strtoull's reading (leading
 * spaces, a sign, leading zeros; a negative value wraps modulo 2^64), rejecting
 * what string2ll reads as negative and anything strtoull does not consume fully.
 */
function parseU64(s: string): U64 | null {
  const n = s.length;
  if (n === 0) return null;
  // Fast path: plain digits that fit a double exactly.
  if (n <= 15) {
    let v = 0;
    let i = 0;
    for (; i < n; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
    if (i === n) return v;
  }
  let i = 0;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  const sign = s.charCodeAt(i);
  if (sign === 43 || sign === 45) {
    neg = sign === 45;
    i++;
  }
  const digitsStart = i;
  while (i < n) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    i++;
  }
  if (i === digitsStart || i !== n) return null;
  let v = BigInt(s.slice(digitsStart));
  if (v > U64_MAX) return null;
  if (neg) {
    // string2ll accepts canonical negatives within int64: string2ull rejects those.
    if (parseInt64(s) !== null) return null;
    v = (U64_MAX + 1n - v) & U64_MAX;
  }
  return v <= 9007199254740991n ? Number(v) : v;
}

/** Set by parseId: false for an XADD "<ms>-*" ID. */
let seqGiven = true;

/**
 * streamGenericParseIDOrReply: "<ms>-<seq>", "<ms>" (seq = missingSeq), "-" and "+"
 * (unless strict), "<ms>-*" when allowSeqStar. Replies the error when c is given.
 */
function parseId(c: Client | null, arg: string, missingSeq: U64, strict: boolean, allowSeqStar = false): StreamID | null {
  seqGiven = true;
  if (arg.length > 127) {
    if (c !== null) c.error(ERR_INVALID_ID);
    return null;
  }
  const s = cstr(arg);
  if (s === '-' || s === '+') {
    if (strict) {
      if (c !== null) c.error(ERR_INVALID_ID);
      return null;
    }
    return s === '-' ? ZERO_ID : MAX_ID;
  }
  const dash = s.indexOf('-');
  const ms = parseU64(dash < 0 ? s : s.slice(0, dash));
  let seq: U64 | null;
  if (dash < 0) {
    seq = missingSeq;
  } else {
    const rest = s.slice(dash + 1);
    if (allowSeqStar && rest === '*') {
      seq = 0;
      seqGiven = false;
    } else {
      seq = parseU64(rest);
    }
  }
  if (ms === null || seq === null) {
    if (c !== null) c.error(ERR_INVALID_ID);
    return null;
  }
  return { ms, seq };
}

/** Set by parseIntervalId: the bound had the "(" (exclusive) prefix. */
let excluded = false;

/** streamParseIntervalIDOrReply: "(" makes the bound exclusive and the ID strict. */
function parseIntervalId(c: Client, arg: string, missingSeq: U64): StreamID | null {
  excluded = arg.length > 1 && arg.charCodeAt(0) === 40;
  if (excluded) return parseId(c, arg.slice(1), missingSeq, true);
  return parseId(c, arg, missingSeq, false);
}

/** A start bound: inclusive as given, or the successor of an exclusive one. */
function parseStartBound(c: Client, arg: string): StreamID | null {
  const id = parseIntervalId(c, arg, 0);
  if (id === null) return null;
  if (excluded) {
    if (isMaxId(id)) {
      c.error(ERR_START_INTERVAL);
      return null;
    }
    return incrId(id);
  }
  return id;
}

/** An end bound: inclusive as given, or the predecessor of an exclusive one. */
function parseEndBound(c: Client, arg: string): StreamID | null {
  const id = parseIntervalId(c, arg, U64_MAX);
  if (id === null) return null;
  if (excluded) {
    if (isZeroId(id)) {
      c.error(ERR_END_INTERVAL);
      return null;
    }
    return decrId(id);
  }
  return id;
}

/** A non-negative count as a number (values past 2^53 mean "everything"). */
function countValue(v: Int64): number {
  if (typeof v === 'bigint') return v < 0n ? 0 : Number.MAX_SAFE_INTEGER;
  return v < 0 ? 0 : v;
}

/** Redis formats names with %s: the text up to the first NUL. */
function fmt(s: string): string {
  return cstr(s);
}

/** Reused for every XADD: the node limits in force now. */
const limits: NodeLimits = { maxBytes: 4096, maxEntries: 100 };

function nodeLimits(c: Client): NodeLimits {
  const cfg = c.server.config;
  limits.maxBytes = cfg.num('stream-node-max-bytes');
  limits.maxEntries = cfg.num('stream-node-max-entries');
  return limits;
}

/** An entry as [id, [field, value, ...]]. */
function writeEntry(c: Client, e: StreamEntry): void {
  c.arrayLen(2);
  c.bulk(e.id);
  const f = e.fields;
  c.arrayLen(f.length);
  for (let i = 0; i < f.length; i++) c.bulk(f[i]);
}

/** A history item: an entry, or the ID of a pending entry no longer in the stream. */
type Item = StreamEntry | string;

function writeItems(c: Client, items: readonly Item[]): void {
  c.arrayLen(items.length);
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    if (typeof it === 'string') {
      c.arrayLen(2);
      c.bulk(it);
      c.nullArray();
    } else {
      writeEntry(c, it);
    }
  }
}

function replyNullArray(c: Client): void {
  c.nullArray();
}

// ---- propagation (streamPropagateXCLAIM, streamPropagateGroupID, streamPropagateConsumerCreation) ----

function xclaimEffect(key: string, group: StreamGroup, groupName: string, id: string, nack: StreamNack): string[] {
  return [
    'XCLAIM',
    key,
    groupName,
    nack.consumer!.name,
    '0',
    id,
    'TIME',
    String(nack.deliveryTime),
    'RETRYCOUNT',
    String(nack.deliveryCount),
    'FORCE',
    'JUSTID',
    'LASTID',
    idString(group.lastId),
  ];
}

function setIdEffect(key: string, group: StreamGroup, groupName: string): string[] {
  return ['XGROUP', 'SETID', key, groupName, idString(group.lastId), 'ENTRIESREAD', String(group.entriesRead)];
}

// ---- delivery (streamReplyWithRange with a group, and from a consumer PEL) ----

const scratch: StreamEntry[] = [];

/**
 * Delivers new entries from `start` to a consumer: advances the group's last ID and
 * read counter, records them in the PELs unless NOACK, and collects the effects.
 */
function deliver(
  s: StreamValue,
  start: StreamID,
  count: number,
  group: StreamGroup,
  consumer: StreamConsumer,
  noack: boolean,
  key: string,
  groupName: string,
  effects: string[][],
  out: Item[],
): void {
  scratch.length = 0;
  const entries = s.range(start, MAX_ID, count, false, scratch);
  let propagateLastId = false;
  const now = Date.now();
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const last = group.lastId;
    if (cmpIds(e.ms, e.seq, last.ms, last.seq) > 0) {
      if (group.entriesRead !== INVALID_ENTRIES_READ && !s.rangeHasTombstones(e)) {
        group.entriesRead = incrU64(group.entriesRead);
      } else if (s.entriesAdded !== 0) {
        group.entriesRead = s.estimateDistance(e);
      }
      group.lastId = { ms: e.ms, seq: e.seq };
      if (noack) propagateLastId = true;
    }
    out.push(e);
    if (!noack) {
      let nack = group.pel.get(e.id);
      if (nack === undefined) {
        nack = new StreamNack(e.ms, e.seq, now, 1, consumer);
        group.pel.insert(nack);
        consumer.pel.insert(nack);
      } else {
        // Already delivered (the group's ID was moved back): the new consumer owns it now.
        nack.consumer?.pel.remove(nack);
        nack.consumer = consumer;
        nack.deliveryTime = now;
        nack.deliveryCount = 1;
        consumer.pel.insert(nack);
      }
      effects.push(xclaimEffect(key, group, groupName, e.id, nack));
    }
  }
  scratch.length = 0;
  if (propagateLastId) effects.push(setIdEffect(key, group, groupName));
}

/** streamReplyWithRangeFromConsumerPEL: the consumer's own pending entries from `start`. */
function deliverHistory(s: StreamValue, start: StreamID, count: number, consumer: StreamConsumer, out: Item[]): void {
  const pel = consumer.pel;
  const items = pel.items;
  const now = Date.now();
  let n = 0;
  for (let i = pel.lowerBound(start.ms, start.seq); i < items.length && (count === 0 || n < count); i++, n++) {
    const nack = items[i];
    const e = s.get(nack.ms, nack.seq);
    if (e === undefined) {
      out.push(nack.key);
    } else {
      out.push(e);
      nack.deliveryTime = now;
      nack.deliveryCount = incrU64(nack.deliveryCount);
    }
  }
}

/** streamLookupConsumer (refreshing seen-time) or streamCreateConsumer (a change). */
function consumerFor(c: Client, group: StreamGroup, name: string, key: string, groupName: string, noack: boolean, effects: string[][]): StreamConsumer {
  const now = Date.now();
  let consumer = group.consumers.get(name);
  if (consumer !== undefined) {
    consumer.seenTime = now;
    return consumer;
  }
  consumer = group.createConsumer(name, now)!;
  c.server.dirty++;
  if (noack) effects.push(['XGROUP', 'CREATECONSUMER', key, groupName, name]);
  return consumer;
}

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
    c.error('ERR syntax error, MAXLEN and MINID options at the same time are not compatible');
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
        c.error('ERR The MAXLEN argument must be >= 0.');
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
        c.error('ERR The LIMIT argument must be >= 0.');
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
    c.error('ERR syntax error, LIMIT cannot be used without specifying a trimming strategy');
    return -1;
  }
  if (!xadd && ta.strategy === 0) {
    c.error('ERR syntax error, XTRIM must be called with a trimming strategy');
    return -1;
  }
  if (c.isMaster) {
    // The master already rewrote ~ into an exact argument: never stop early.
    ta.limit = 0;
  } else if (limitGiven) {
    if (!ta.approx) {
      c.error('ERR syntax error, LIMIT cannot be used without the special ~ option');
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
    c.error('ERR The ID specified in XADD must be greater than 0-0');
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
    c.error('ERR The stream has exhausted the last possible ID, unable to add more items');
    return;
  }
  const id = s.nextId(ta.idGiven ? ta.id : null, ta.seqGiven, Date.now());
  if (id === 'not-greater') {
    c.error('ERR The ID specified in XADD is equal or smaller than the target stream top item');
    return;
  }
  const fields = argv.slice(fieldPos);
  if (id === 'too-large' || !s.append(id, fields, nodeLimits(c))) {
    c.error('ERR Elements are too large to be stored');
    return;
  }
  const idStr = idString(id);
  c.bulk(idStr);
  c.db.touch(key);
  c.server.dirty++;
  let prop: string[] | null = null;
  if (ta.strategy !== 0) {
    s.trim(ta.strategy, ta.maxlen, ta.minid, ta.approx, ta.limit);
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
function parseIds(c: Client, argv: string[], from: number): StreamID[] | null {
  const ids: StreamID[] = new Array(argv.length - from);
  for (let j = from; j < argv.length; j++) {
    const id = parseId(c, argv[j], 0, true);
    if (id === null) return null;
    ids[j - from] = id;
  }
  return ids;
}

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
    c.server.dirty += deleted;
  }
  c.int(deleted);
}

// ---- XREADGROUP waiters of a stream that goes away -------------------------------------

const ERR_UNBLOCKED_DELETED = 'UNBLOCKED the stream key no longer exists';

/**
 * Redis unblocks XREADGROUP waiters with an error as soon as their stream is deleted,
 * overwritten or flushed (a group cannot survive that), while XREAD waiters keep
 * waiting. Deletions do not signal blocked clients here, so each key with XREADGROUP
 * waiters carries a watcher (the WATCH hook every key change fires) that signals the
 * key; the re-run then finds the stream gone and ends every such waiter of the key.
 */
class GroupWaiters implements KeyWatcher {
  readonly clients = new Set<Client>();

  constructor(
    private readonly db: Database,
    private readonly key: string,
    private readonly blocking: Blocking,
  ) {}

  /** Drops clients that stopped waiting (served, timed out, unblocked, gone). */
  private prune(): void {
    for (const c of this.clients) {
      const st = c.blocked;
      if (c.closed || st === null || st.db !== this.db || !st.keys.includes(this.key) || st.cmd.name !== 'xreadgroup') this.clients.delete(c);
    }
  }

  keyTouched(): void {
    this.prune();
    if (this.clients.size === 0) {
      this.detach();
      return;
    }
    this.blocking.signalKeyAsReady(this.db, this.key);
  }

  /** Ends every XREADGROUP waiter of the key but `except` with Redis's error. */
  unblockAll(except: Client): void {
    this.prune();
    for (const c of this.clients) {
      if (c === except) continue;
      this.clients.delete(c);
      c.error(ERR_UNBLOCKED_DELETED);
      this.blocking.unblock(c, false);
    }
    // `except` is being answered too (XREADGROUP) or is an XREAD waiter: nobody is left.
    this.clients.clear();
    this.detach();
  }

  detach(): void {
    const set = this.db.watched.get(this.key);
    if (set !== undefined) {
      set.delete(this);
      if (set.size === 0) this.db.watched.delete(this.key);
    }
    const perDb = groupWaiters.get(this.db);
    if (perDb !== undefined && perDb.get(this.key) === this) {
      perDb.delete(this.key);
      if (perDb.size === 0) groupWaiters.delete(this.db);
    }
  }
}

const groupWaiters = new Map<Database, Map<string, GroupWaiters>>();

/** Registers a blocking XREADGROUP client on its keys. */
function trackGroupWaiter(c: Client, keys: readonly string[]): void {
  const db = c.db;
  let perDb = groupWaiters.get(db);
  if (perDb === undefined) groupWaiters.set(db, (perDb = new Map()));
  for (const key of keys) {
    let w = perDb.get(key);
    if (w === undefined) {
      w = new GroupWaiters(db, key, c.server.blocking);
      perDb.set(key, w);
      let set = db.watched.get(key);
      if (set === undefined) db.watched.set(key, (set = new Set()));
      set.add(w);
    }
    w.clients.add(c);
  }
}

/** The key no longer holds a stream: every XREADGROUP waiter on it but `except` gets the error. */
function unblockGroupWaiters(c: Client, key: string): void {
  groupWaiters.get(c.db)?.get(key)?.unblockAll(c);
}

// ---- XREAD / XREADGROUP --------------------------------------------------------------

/** xreadGetKeys: the keys after the first STREAMS option, half of what follows it. */
function xreadGetKeys(argv: readonly string[]): number[] {
  let streamsPos = -1;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (eqi(a, 'block') || eqi(a, 'count')) i++;
    else if (eqi(a, 'group')) i += 2;
    else if (eqi(a, 'noack')) continue;
    else if (eqi(a, 'streams')) {
      streamsPos = i;
      break;
    } else break;
  }
  if (streamsPos < 0) return [];
  const num = argv.length - streamsPos - 1;
  if (num === 0 || num % 2 !== 0) return [];
  const out: number[] = [];
  for (let i = streamsPos + 1; i < argv.length - num / 2; i++) out.push(i);
  return out;
}

interface Served {
  key: string;
  items: Item[];
}

/**
 * XREAD [COUNT count] [BLOCK ms] STREAMS key [key ...] id [id ...]
 * XREADGROUP GROUP group consumer [COUNT count] [BLOCK ms] [NOACK] STREAMS key [key ...] id [id ...]
 */
function xreadGeneric(c: Client, argv: string[], isGroup: boolean): void {
  const argc = argv.length;
  let block = false;
  let deadline = 0;
  let count = 0;
  let streamsArg = 0;
  let streamsCount = 0;
  let noack = false;
  let groupName: string | null = null;
  let consumerName = '';
  for (let i = 1; i < argc; i++) {
    const moreargs = argc - i - 1;
    const o = argv[i];
    if (moreargs > 0 && eqi(o, 'block')) {
      i++;
      const t = int64Arg(c, argv[i], Errors.timeoutNotInteger);
      if (t === null) return;
      if (t < 0) {
        c.error(Errors.timeoutNegative);
        return;
      }
      block = true;
      // Beyond what a timer can hold (about 24.8 days) the wait is treated as endless;
      // Redis itself never times out once mstime() + timeout overflows.
      deadline = t === 0 || typeof t === 'bigint' || t > MAX_TIMER_MS ? 0 : Date.now() + t;
    } else if (moreargs > 0 && eqi(o, 'count')) {
      i++;
      const v = int64Arg(c, argv[i]);
      if (v === null) return;
      count = countValue(v);
    } else if (moreargs > 0 && eqi(o, 'streams')) {
      streamsArg = i + 1;
      streamsCount = argc - streamsArg;
      if (streamsCount % 2 !== 0) {
        c.error("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
        return;
      }
      streamsCount /= 2;
      break;
    } else if (moreargs >= 2 && eqi(o, 'group')) {
      if (!isGroup) {
        c.error('ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.');
        return;
      }
      groupName = argv[i + 1];
      consumerName = argv[i + 2];
      i += 2;
    } else if (eqi(o, 'noack')) {
      if (!isGroup) {
        c.error('ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.');
        return;
      }
      noack = true;
    } else {
      c.error(Errors.syntax);
      return;
    }
  }
  if (streamsArg === 0) {
    c.error(Errors.syntax);
    return;
  }
  if (isGroup && groupName === null) {
    c.error('ERR Missing GROUP option for XREADGROUP');
    return;
  }
  if (c.blocked !== null) {
    serveWaiter(c, argv, streamsArg, streamsCount, count, deadline, groupName, consumerName, noack);
    return;
  }

  const ids: StreamID[] = new Array(streamsCount);
  const groups: StreamGroup[] | null = groupName !== null ? new Array(streamsCount) : null;
  let dollar = false;
  for (let i = streamsArg + streamsCount; i < argc; i++) {
    const idIdx = i - streamsArg - streamsCount;
    const key = argv[i - streamsCount];
    const s = lookupTyped<StreamValue>(c, key, 'stream', true);
    if (s === null) return;
    if (groups !== null) {
      const g = s?.groups.get(groupName!);
      if (g === undefined) {
        c.error(`NOGROUP No such key '${fmt(key)}' or consumer group '${fmt(groupName!)}' in XREADGROUP with GROUP option`);
        return;
      }
      groups[idIdx] = g;
    }
    const a = cstr(argv[i]);
    if (a === '$') {
      if (isGroup) {
        c.error(
          'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
        );
        return;
      }
      ids[idIdx] = s !== undefined ? s.lastId : ZERO_ID;
      dollar = true;
      continue;
    } else if (a === '>') {
      if (!isGroup) {
        c.error('ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.');
        return;
      }
      ids[idIdx] = MAX_ID;
      continue;
    }
    const id = parseId(c, argv[i], 0, true);
    if (id === null) return;
    ids[idIdx] = id;
  }

  // Serve synchronously what can be served.
  const effects: string[][] = [];
  let served: Served[] | null = null;
  for (let i = 0; i < streamsCount; i++) {
    const key = argv[streamsArg + i];
    const s = c.db.getRead(key) as StreamValue | undefined;
    if (s === undefined) continue;
    let gt = ids[i];
    let serve = false;
    let history = false;
    if (groups !== null) {
      if (!isMaxId(gt)) {
        serve = true;
        history = true;
      } else if (s.length > 0) {
        const last = groups[i].lastId;
        if (compareIds(s.lastValidId(), last) > 0) {
          serve = true;
          gt = last;
        }
      }
    } else if (s.length > 0 && compareIds(s.lastValidId(), gt) > 0) {
      serve = true;
    }
    if (!serve) continue;
    const start = incrId(gt);
    const items: Item[] = [];
    if (groups !== null) {
      const group = groups[i];
      const consumer = consumerFor(c, group, consumerName, key, groupName!, noack, effects);
      if (history) deliverHistory(s, start, count, consumer, items);
      else deliver(s, start, count, group, consumer, noack, key, groupName!, effects, items);
      c.server.dirty++;
    } else {
      scratch.length = 0;
      s.range(start, MAX_ID, count, false, scratch);
      for (let k = 0; k < scratch.length; k++) items.push(scratch[k]);
      scratch.length = 0;
    }
    (served ??= []).push({ key, items });
  }
  // The command itself never propagates: only the effects collected above do.
  if (isGroup) c.server.propagateAs = effects;

  if (served !== null) {
    if (c.resp === 2) c.arrayLen(served.length);
    else c.mapLen(served.length);
    for (const r of served) {
      if (c.resp === 2) c.arrayLen(2);
      c.bulk(r.key);
      writeItems(c, r.items);
    }
    return;
  }
  if (!block) {
    c.nullArray();
    return;
  }
  // Inside MULTI/EXEC a blocking command cannot block: it times out at once.
  if (c.inExec) {
    c.nullArray();
    return;
  }
  let rerun: string[] | undefined;
  if (dollar) {
    // The re-run after a wake-up must read after the last ID as of now, not of then.
    rerun = argv.slice();
    for (let i = 0; i < streamsCount; i++) {
      const p = streamsArg + streamsCount + i;
      if (cstr(argv[p]) === '$') rerun[p] = idString(ids[i]);
    }
  }
  const keys = argv.slice(streamsArg, streamsArg + streamsCount);
  c.server.blocking.blockForKeys(c, keys, deadline, replyNullArray, rerun);
  if (isGroup) trackGroupWaiter(c, keys);
}

/**
 * The re-run of a waiter (serveClientsBlockedOnStreamKey): serves from the key that
 * became ready when it has entries past the waiter's ID, else keeps waiting.
 */
function serveWaiter(
  c: Client,
  argv: string[],
  streamsArg: number,
  streamsCount: number,
  count: number,
  deadline: number,
  groupName: string | null,
  consumerName: string,
  noack: boolean,
): void {
  const ready = c.server.blocking.servingKey;
  for (let i = 0; i < streamsCount; i++) {
    const key = argv[streamsArg + i];
    if (ready !== null && key !== ready) continue;
    // Keys repeated in STREAMS wait with their first ID.
    let first = true;
    for (let k = 0; k < i; k++) if (argv[streamsArg + k] === key) first = false;
    if (!first) continue;
    const v = c.db.get(key);
    const s = v !== undefined && typeof v !== 'string' && v.type === 'stream' ? (v as StreamValue) : undefined;
    let group: StreamGroup | undefined;
    let gt: StreamID;
    if (s === undefined && ready !== null) {
      // The stream is gone: its XREADGROUP waiters end with an error, XREAD ones wait on.
      unblockGroupWaiters(c, key);
    }
    if (groupName !== null) {
      if (s === undefined) {
        if (ready === null) continue;
        c.error(ERR_UNBLOCKED_DELETED);
        return;
      }
      group = s.groups.get(groupName);
      if (group === undefined) {
        c.error('NOGROUP the consumer group this client was blocked on no longer exists');
        return;
      }
      gt = group.lastId;
    } else {
      if (s === undefined) continue;
      gt = parseId(null, argv[streamsArg + streamsCount + i], 0, true) ?? MAX_ID;
    }
    if (compareIds(s.lastId, gt) <= 0) continue;
    const start = incrId(gt);
    const effects: string[][] = [];
    const items: Item[] = [];
    const n = count !== 0 ? count : BLOCKED_DEFAULT_COUNT;
    if (group !== undefined) {
      const consumer = consumerFor(c, group, consumerName, key, groupName!, noack, effects);
      deliver(s, start, n, group, consumer, noack, key, groupName!, effects, items);
      c.server.propagateAs = effects;
    } else {
      scratch.length = 0;
      s.range(start, MAX_ID, n, false, scratch);
      for (let k = 0; k < scratch.length; k++) items.push(scratch[k]);
      scratch.length = 0;
    }
    if (c.resp === 2) {
      c.arrayLen(1);
      c.arrayLen(2);
    } else {
      c.mapLen(1);
    }
    c.bulk(key);
    writeItems(c, items);
    return;
  }
  c.server.blocking.blockForKeys(c, argv.slice(streamsArg, streamsArg + streamsCount), deadline, replyNullArray);
}

function xread(c: Client, argv: string[]): void {
  xreadGeneric(c, argv, false);
}

function xreadgroup(c: Client, argv: string[]): void {
  xreadGeneric(c, argv, true);
}

// ---- XGROUP ------------------------------------------------------------------------

const XGROUP_HELP = [
  'XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
  'HELP',
  '    Prints this help.',
];

const XINFO_HELP = [
  'XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
  'HELP',
  '    Prints this help.',
];

function replyHelp(c: Client, lines: readonly string[]): void {
  c.arrayLen(lines.length);
  for (const l of lines) c.status(l);
}

function subcommandSyntaxError(c: Client, argv: string[]): void {
  c.error(`ERR unknown subcommand or wrong number of arguments for '${fmt(argv[1]).slice(0, 128)}'. Try ${fmt(argv[0]).toUpperCase()} HELP.`);
}

/**
 * XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n] | SETID key group id|$ [ENTRIESREAD n]
 * | DESTROY key group | CREATECONSUMER key group consumer | DELCONSUMER key group consumer | HELP
 * (one handler for every subcommand, as xgroupCommand).
 */
function xgroup(c: Client, argv: string[]): void {
  const argc = argv.length;
  const opt = argv[1];
  let s: StreamValue | undefined;
  let mkstream = false;
  let entriesRead: U64 = INVALID_ENTRIES_READ;
  let cg: StreamGroup | undefined;
  const isCreate = eqi(opt, 'create');
  const isSetid = eqi(opt, 'setid');
  if (argc >= 4) {
    let i = 5;
    while (i < argc) {
      if (isCreate && eqi(argv[i], 'mkstream')) {
        mkstream = true;
        i++;
      } else if ((isCreate || isSetid) && i + 1 < argc && eqi(argv[i], 'entriesread')) {
        const v = int64Arg(c, argv[i + 1]);
        if (v === null) return;
        if (v < 0 && v !== INVALID_ENTRIES_READ) {
          c.error('ERR value for ENTRIESREAD must be positive or -1');
          return;
        }
        entriesRead = v;
        i += 2;
      } else {
        subcommandSyntaxError(c, argv);
        return;
      }
    }
    const found = lookupTyped<StreamValue>(c, argv[2], 'stream', false);
    if (found === null) return;
    s = found;
  }
  const grpname = argc >= 4 ? argv[3] : '';
  if (argc >= 4 && !mkstream) {
    if (s === undefined) {
      c.error(
        'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
      );
      return;
    }
    cg = s.groups.get(grpname);
    if (cg === undefined && (isSetid || eqi(opt, 'createconsumer') || eqi(opt, 'delconsumer'))) {
      c.error(`NOGROUP No such consumer group '${fmt(grpname)}' for key name '${fmt(argv[2])}'`);
      return;
    }
  }

  if (argc === 2 && eqi(opt, 'help')) {
    replyHelp(c, XGROUP_HELP);
  } else if (isCreate && argc >= 5 && argc <= 8) {
    let id: StreamID;
    if (cstr(argv[4]) === '$') {
      id = s !== undefined ? s.lastId : ZERO_ID;
    } else {
      const p = parseId(c, argv[4], 0, true);
      if (p === null) return;
      id = p;
    }
    if (s === undefined) {
      s = new StreamValue();
      c.db.add(argv[2], s);
    }
    if (s.groups.has(grpname)) {
      c.error('BUSYGROUP Consumer Group name already exists');
      return;
    }
    s.groups.set(grpname, new StreamGroup(grpname, id, entriesRead));
    c.ok();
    c.server.dirty++;
  } else if (isSetid && (argc === 5 || argc === 7)) {
    let id: StreamID;
    if (cstr(argv[4]) === '$') {
      id = s!.lastId;
    } else {
      const p = parseId(c, argv[4], 0, false);
      if (p === null) return;
      id = p;
    }
    cg!.lastId = id;
    cg!.entriesRead = entriesRead;
    c.ok();
    c.server.dirty++;
  } else if (eqi(opt, 'destroy') && argc === 4) {
    if (cg !== undefined) {
      s!.groups.delete(grpname);
      c.int(1);
      c.server.dirty++;
      // Waiting XREADGROUP clients of this group get their NOGROUP error.
      c.server.blocking.signalKeyAsReady(c.db, argv[2]);
    } else {
      c.int(0);
    }
  } else if (eqi(opt, 'createconsumer') && argc === 5) {
    const created = cg!.createConsumer(argv[4], Date.now());
    if (created !== null) {
      c.server.dirty++;
    }
    c.int(created !== null ? 1 : 0);
  } else if (eqi(opt, 'delconsumer') && argc === 5) {
    let pending = 0;
    const consumer = cg!.consumers.get(argv[4]);
    if (consumer !== undefined) {
      pending = consumer.pel.size;
      cg!.deleteConsumer(consumer);
      c.server.dirty++;
    }
    c.int(pending);
  } else {
    subcommandSyntaxError(c, argv);
  }
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
        c.error('ERR entries_added must be positive');
        return;
      }
      entriesAdded = v;
      i += 2;
    } else if (moreargs > 0 && eqi(opt, 'maxdeletedid')) {
      const m = parseId(c, argv[i + 1], 0, true);
      if (m === null) return;
      if (compareIds(id, m) < 0) {
        c.error('ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id');
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
      c.error('ERR The ID specified in XSETID is smaller than the target stream top item');
      return;
    }
    if (entriesAdded !== -1 && s.length > entriesAdded) {
      c.error('ERR The entries_added specified in XSETID is smaller than the target stream length');
      return;
    }
  }
  s.lastId = id;
  if (entriesAdded !== -1) s.entriesAdded = entriesAdded;
  if (!isZeroId(maxXdel)) s.maxDeletedId = maxXdel;
  c.ok();
  c.server.dirty++;
}

// ---- XACK / XPENDING ---------------------------------------------------------------

/** The stream and group for commands needing both; undefined values mean missing, null = replied WRONGTYPE. */
function streamForRead(c: Client, key: string): StreamValue | undefined | null {
  return lookupTyped<StreamValue>(c, key, 'stream', true);
}

/** XACK key group id [id ...] */
function xack(c: Client, argv: string[]): void {
  const s = streamForRead(c, argv[1]);
  if (s === null) return;
  const group = s?.groups.get(argv[2]);
  if (group === undefined) {
    c.int(0);
    return;
  }
  const ids = parseIds(c, argv, 3);
  if (ids === null) return;
  let acked = 0;
  for (const id of ids) {
    const nack = group.pel.get(idString(id));
    if (nack === undefined) continue;
    group.pel.remove(nack);
    nack.consumer?.pel.remove(nack);
    acked++;
    c.server.dirty++;
  }
  c.int(acked);
}

/** XPENDING key group [[IDLE min-idle-time] start end count [consumer]] */
function xpending(c: Client, argv: string[]): void {
  const argc = argv.length;
  const justinfo = argc === 3;
  if (argc !== 3 && (argc < 6 || argc > 9)) {
    c.error(Errors.syntax);
    return;
  }
  let start: StreamID = ZERO_ID;
  let end: StreamID = MAX_ID;
  let count = 0;
  let minidle: Int64 = 0;
  let consumerName: string | null = null;
  if (argc >= 6) {
    let startidx = 3;
    if (eqi(argv[3], 'idle')) {
      const v = int64Arg(c, argv[4]);
      if (v === null) return;
      minidle = v;
      if (argc < 8) {
        c.error(Errors.syntax);
        return;
      }
      startidx += 2;
    }
    const cnt = int64Arg(c, argv[startidx + 2]);
    if (cnt === null) return;
    count = countValue(cnt);
    const st = parseStartBound(c, argv[startidx]);
    if (st === null) return;
    start = st;
    const en = parseEndBound(c, argv[startidx + 1]);
    if (en === null) return;
    end = en;
    if (startidx + 3 < argc) consumerName = argv[startidx + 3];
  }
  const s = streamForRead(c, argv[1]);
  if (s === null) return;
  const group = s?.groups.get(argv[2]);
  if (group === undefined) {
    c.error(`NOGROUP No such key '${fmt(argv[1])}' or consumer group '${fmt(argv[2])}'`);
    return;
  }
  if (justinfo) {
    const pel = group.pel.items;
    c.arrayLen(4);
    c.int(pel.length);
    if (pel.length === 0) {
      c.nullBulk();
      c.nullBulk();
      c.nullArray();
      return;
    }
    c.bulk(pel[0].key);
    c.bulk(pel[pel.length - 1].key);
    const owners = group.sortedConsumers().filter((x) => x.pel.size > 0);
    c.arrayLen(owners.length);
    for (const o of owners) {
      c.arrayLen(2);
      c.bulk(o.name);
      c.bulkInt(o.pel.size);
    }
    return;
  }
  let pelIdx = group.pel;
  if (consumerName !== null) {
    const consumer = group.consumers.get(consumerName);
    if (consumer === undefined) {
      c.arrayLen(0);
      return;
    }
    pelIdx = consumer.pel;
  }
  const now = Date.now();
  const items = pelIdx.items;
  const out: StreamNack[] = [];
  for (let i = pelIdx.lowerBound(start.ms, start.seq); count > 0 && i < items.length; i++) {
    const n = items[i];
    if (cmpIds(n.ms, n.seq, end.ms, end.seq) > 0) break;
    if (minidle !== 0 && now - n.deliveryTime < minidle) continue;
    out.push(n);
    count--;
  }
  c.arrayLen(out.length);
  for (const n of out) {
    c.arrayLen(4);
    c.bulk(n.key);
    c.bulk(n.consumer!.name);
    const elapsed = now - n.deliveryTime;
    c.int(elapsed < 0 ? 0 : elapsed);
    c.int(n.deliveryCount);
  }
}

// ---- XCLAIM / XAUTOCLAIM -------------------------------------------------------------

/** streamLookupConsumer(SLC_DEFAULT) or streamCreateConsumer, for claims. */
function claimer(c: Client, group: StreamGroup, name: string, now: number): StreamConsumer {
  const found = group.consumers.get(name);
  if (found !== undefined) {
    found.seenTime = now;
    return found;
  }
  c.server.dirty++;
  return group.createConsumer(name, now)!;
}

/** Gives a NACK to `consumer` (moving it out of its previous owner's PEL). */
function transfer(nack: StreamNack, consumer: StreamConsumer): void {
  if (nack.consumer === consumer) return;
  nack.consumer?.pel.remove(nack);
  consumer.pel.insert(nack);
  nack.consumer = consumer;
}

/**
 * XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-ms]
 *        [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]
 */
function xclaim(c: Client, argv: string[]): void {
  const argc = argv.length;
  const key = argv[1];
  const s = streamForRead(c, key);
  if (s === null) return;
  const group = s?.groups.get(argv[2]);
  if (s === undefined || group === undefined) {
    c.error(`NOGROUP No such key '${fmt(key)}' or consumer group '${fmt(argv[2])}'`);
    return;
  }
  const mi = int64Arg(c, argv[4], 'ERR Invalid min-idle-time argument for XCLAIM');
  if (mi === null) return;
  const minidle = mi < 0 ? 0 : mi;
  // IDs first; the first argument that is not an ID starts the options.
  const ids: StreamID[] = [];
  let j = 5;
  for (; j < argc; j++) {
    const id = parseId(null, argv[j], 0, true);
    if (id === null) break;
    ids.push(id);
  }
  const now = Date.now();
  let force = false;
  let justid = false;
  let deliveryTime: number | null = null;
  let retrycount: Int64 = -1;
  let lastId: StreamID = ZERO_ID;
  for (; j < argc; j++) {
    const moreargs = argc - 1 - j;
    const opt = argv[j];
    if (eqi(opt, 'force')) {
      force = true;
    } else if (eqi(opt, 'justid')) {
      justid = true;
    } else if (moreargs > 0 && eqi(opt, 'idle')) {
      j++;
      const v = int64Arg(c, argv[j], 'ERR Invalid IDLE option argument for XCLAIM');
      if (v === null) return;
      deliveryTime = now - Number(v);
    } else if (moreargs > 0 && eqi(opt, 'time')) {
      j++;
      const v = int64Arg(c, argv[j], 'ERR Invalid TIME option argument for XCLAIM');
      if (v === null) return;
      deliveryTime = Number(v);
    } else if (moreargs > 0 && eqi(opt, 'retrycount')) {
      j++;
      const v = int64Arg(c, argv[j], 'ERR Invalid RETRYCOUNT option argument for XCLAIM');
      if (v === null) return;
      retrycount = v;
    } else if (moreargs > 0 && eqi(opt, 'lastid')) {
      j++;
      const id = parseId(c, argv[j], 0, true);
      if (id === null) return;
      lastId = id;
    } else {
      c.error(`ERR Unrecognized XCLAIM option '${fmt(opt)}'`);
      return;
    }
  }
  const effects: string[][] = [];
  let propagateLastId = false;
  if (compareIds(lastId, group.lastId) > 0) {
    group.lastId = lastId;
    propagateLastId = true;
  }
  // A bogus delivery time (future, negative) means now.
  if (deliveryTime === null || deliveryTime < 0 || deliveryTime > now) deliveryTime = now;

  let consumer: StreamConsumer | null = null;
  const claimed: (StreamEntry | string)[] = [];
  const name = argv[3];
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k];
    const idArg = argv[5 + k];
    const idKey = idString(id);
    let nack = group.pel.get(idKey);
    const entry = s.get(id.ms, id.seq);
    if (entry === undefined) {
      // The entry is gone: drop its NACK, and tell replicas so.
      if (nack !== undefined) {
        effects.push(xclaimEffect(key, group, argv[2], idArg, nack));
        propagateLastId = false;
        c.server.dirty++;
        group.pel.remove(nack);
        nack.consumer?.pel.remove(nack);
      }
      continue;
    }
    if (force && nack === undefined) {
      nack = new StreamNack(id.ms, id.seq, now, 1, null);
      group.pel.insert(nack);
    }
    if (nack === undefined) continue;
    if (nack.consumer !== null && minidle !== 0 && now - nack.deliveryTime < minidle) continue;
    if (consumer === null) consumer = claimer(c, group, name, now);
    if (nack.consumer !== consumer) nack.consumer?.pel.remove(nack);
    nack.deliveryTime = deliveryTime;
    if (retrycount >= 0) nack.deliveryCount = retrycount;
    else if (!justid) nack.deliveryCount = incrU64(nack.deliveryCount);
    if (nack.consumer !== consumer) {
      consumer.pel.insert(nack);
      nack.consumer = consumer;
    }
    claimed.push(justid ? idKey : entry);
    effects.push(xclaimEffect(key, group, argv[2], idArg, nack));
    propagateLastId = false;
    c.server.dirty++;
  }
  if (propagateLastId) {
    effects.push(setIdEffect(key, group, argv[2]));
    c.server.dirty++;
  }
  c.server.propagateAs = effects;
  c.arrayLen(claimed.length);
  for (const it of claimed) {
    if (typeof it === 'string') c.bulk(it);
    else writeEntry(c, it);
  }
}

/** XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID] */
function xautoclaim(c: Client, argv: string[]): void {
  const argc = argv.length;
  const key = argv[1];
  const mi = int64Arg(c, argv[4], 'ERR Invalid min-idle-time argument for XAUTOCLAIM');
  if (mi === null) return;
  const minidle = mi < 0 ? 0 : mi;
  const start = parseStartBound(c, argv[5]);
  if (start === null) return;
  let count = 100;
  let justid = false;
  for (let j = 6; j < argc; j++) {
    const moreargs = argc - 1 - j;
    const opt = argv[j];
    if (moreargs > 0 && eqi(opt, 'count')) {
      // LONG_MAX / max(sizeof(streamID), attempts factor 10).
      const v = parseInt64(argv[j + 1]);
      if (v === null || v < 1 || v > 576460752303423487n) {
        c.error('ERR COUNT must be > 0');
        return;
      }
      count = Number(v);
      j++;
    } else if (eqi(opt, 'justid')) {
      justid = true;
    } else {
      c.error(Errors.syntax);
      return;
    }
  }
  const s = streamForRead(c, key);
  if (s === null) return;
  const group = s?.groups.get(argv[2]);
  if (s === undefined || group === undefined) {
    c.error(`NOGROUP No such key '${fmt(key)}' or consumer group '${fmt(argv[2])}'`);
    return;
  }
  if (count > 2 ** 43) {
    // ztrymalloc(count * sizeof(streamID)) fails past the address space.
    c.error('ERR Insufficient memory, failed allocating transient memory, COUNT too high.');
    return;
  }
  const effects: string[][] = [];
  const claimed: (StreamEntry | string)[] = [];
  const deletedIds: string[] = [];
  let attempts = count * 10;
  const now = Date.now();
  const name = argv[3];
  let consumer: StreamConsumer | null = null;
  const pel = group.pel;
  let i = pel.lowerBound(start.ms, start.seq);
  while (attempts-- > 0 && count > 0 && i < pel.items.length) {
    const nack = pel.items[i];
    const entry = s.get(nack.ms, nack.seq);
    if (entry === undefined) {
      effects.push(xclaimEffect(key, group, argv[2], nack.key, nack));
      c.server.dirty++;
      pel.remove(nack);
      nack.consumer?.pel.remove(nack);
      deletedIds.push(nack.key);
      count--;
      continue;
    }
    i++;
    if (minidle !== 0 && now - nack.deliveryTime < minidle) continue;
    if (consumer === null) consumer = claimer(c, group, name, now);
    nack.deliveryTime = now;
    if (!justid) nack.deliveryCount = incrU64(nack.deliveryCount);
    transfer(nack, consumer);
    claimed.push(justid ? nack.key : entry);
    count--;
    effects.push(xclaimEffect(key, group, argv[2], nack.key, nack));
    c.server.dirty++;
  }
  c.server.propagateAs = effects;
  c.arrayLen(3);
  c.bulk(i < pel.items.length ? pel.items[i].key : '0-0');
  c.arrayLen(claimed.length);
  for (const it of claimed) {
    if (typeof it === 'string') c.bulk(it);
    else writeEntry(c, it);
  }
  c.arrayLen(deletedIds.length);
  for (const d of deletedIds) c.bulk(d);
}

// ---- XINFO -------------------------------------------------------------------------

function writeLag(c: Client, s: StreamValue, g: StreamGroup): void {
  const lag = s.groupLag(g);
  if (lag === null) c.nullBulk();
  else c.int(lag);
}

function writeEntriesRead(c: Client, g: StreamGroup): void {
  if (g.entriesRead === INVALID_ENTRIES_READ) c.nullBulk();
  else c.int(g.entriesRead);
}

/** XINFO STREAM key [FULL [COUNT count]] */
function xinfoStream(c: Client, argv: string[], s: StreamValue): void {
  let full = true;
  let count = 10;
  const optc = argv.length - 3;
  if (optc === 0) {
    full = false;
  } else {
    if ((optc !== 1 && optc !== 3) || !eqi(argv[3], 'full')) {
      subcommandSyntaxError(c, argv);
      return;
    }
    if (optc === 3) {
      if (!eqi(argv[4], 'count')) {
        subcommandSyntaxError(c, argv);
        return;
      }
      const v = int64Arg(c, argv[5]);
      if (v === null) return;
      count = v < 0 ? 10 : countValue(v);
    }
  }
  c.mapLen(full ? 9 : 10);
  c.bulk('length');
  c.int(s.length);
  c.bulk('radix-tree-keys');
  c.int(s.nodes.length);
  c.bulk('radix-tree-nodes');
  c.int(s.raxNodeCount());
  c.bulk('last-generated-id');
  c.bulk(idString(s.lastId));
  c.bulk('max-deleted-entry-id');
  c.bulk(idString(s.maxDeletedId));
  c.bulk('entries-added');
  c.int(s.entriesAdded);
  c.bulk('recorded-first-entry-id');
  c.bulk(idString(s.firstId));
  if (!full) {
    c.bulk('groups');
    c.int(s.groups.size);
    const first = s.edgeLiveId(true);
    const last = s.edgeLiveId(false);
    c.bulk('first-entry');
    if (first === null) c.nullBulk();
    else writeEntry(c, first);
    c.bulk('last-entry');
    if (last === null) c.nullBulk();
    else writeEntry(c, last);
    return;
  }
  c.bulk('entries');
  scratch.length = 0;
  const entries = s.range(ZERO_ID, MAX_ID, count, false, scratch);
  c.arrayLen(entries.length);
  for (const e of entries) writeEntry(c, e);
  scratch.length = 0;
  c.bulk('groups');
  const groups = s.sortedGroups();
  c.arrayLen(groups.length);
  for (const g of groups) {
    c.mapLen(7);
    c.bulk('name');
    c.bulk(g.name);
    c.bulk('last-delivered-id');
    c.bulk(idString(g.lastId));
    c.bulk('entries-read');
    writeEntriesRead(c, g);
    c.bulk('lag');
    writeLag(c, s, g);
    c.bulk('pel-count');
    c.int(g.pel.size);
    c.bulk('pending');
    const pel = g.pel.items;
    const np = count === 0 ? pel.length : Math.min(count, pel.length);
    c.arrayLen(np);
    for (let i = 0; i < np; i++) {
      const n = pel[i];
      c.arrayLen(4);
      c.bulk(n.key);
      c.bulk(n.consumer!.name);
      c.int(n.deliveryTime);
      c.int(n.deliveryCount);
    }
    c.bulk('consumers');
    const consumers = g.sortedConsumers();
    c.arrayLen(consumers.length);
    for (const cons of consumers) {
      c.mapLen(4);
      c.bulk('name');
      c.bulk(cons.name);
      c.bulk('seen-time');
      c.int(cons.seenTime);
      c.bulk('pel-count');
      c.int(cons.pel.size);
      c.bulk('pending');
      const cp = cons.pel.items;
      const nc = count === 0 ? cp.length : Math.min(count, cp.length);
      c.arrayLen(nc);
      for (let i = 0; i < nc; i++) {
        const n = cp[i];
        c.arrayLen(3);
        c.bulk(n.key);
        c.int(n.deliveryTime);
        c.int(n.deliveryCount);
      }
    }
  }
}

/** XINFO CONSUMERS key group | GROUPS key | STREAM key [FULL [COUNT count]] | HELP */
function xinfo(c: Client, argv: string[]): void {
  const opt = argv[1];
  if (eqi(opt, 'help')) {
    if (argv.length !== 2) {
      subcommandSyntaxError(c, argv);
      return;
    }
    replyHelp(c, XINFO_HELP);
    return;
  }
  if (argv.length < 3) {
    subcommandSyntaxError(c, argv);
    return;
  }
  const key = argv[2];
  const s = lookupTyped<StreamValue>(c, key, 'stream', true);
  if (s === null) return;
  if (s === undefined) {
    c.error(Errors.noKey);
    return;
  }
  if (eqi(opt, 'consumers') && argv.length === 4) {
    const g = s.groups.get(argv[3]);
    if (g === undefined) {
      c.error(`NOGROUP No such consumer group '${fmt(argv[3])}' for key name '${fmt(key)}'`);
      return;
    }
    const consumers = g.sortedConsumers();
    const now = Date.now();
    c.arrayLen(consumers.length);
    for (const cons of consumers) {
      const idle = now - cons.seenTime;
      c.mapLen(3);
      c.bulk('name');
      c.bulk(cons.name);
      c.bulk('pending');
      c.int(cons.pel.size);
      c.bulk('idle');
      c.int(idle < 0 ? 0 : idle);
    }
  } else if (eqi(opt, 'groups') && argv.length === 3) {
    const groups = s.sortedGroups();
    c.arrayLen(groups.length);
    for (const g of groups) {
      c.mapLen(6);
      c.bulk('name');
      c.bulk(g.name);
      c.bulk('consumers');
      c.int(g.consumers.size);
      c.bulk('pending');
      c.int(g.pel.size);
      c.bulk('last-delivered-id');
      c.bulk(idString(g.lastId));
      c.bulk('entries-read');
      writeEntriesRead(c, g);
      c.bulk('lag');
      writeLag(c, s, g);
    }
  } else if (eqi(opt, 'stream')) {
    xinfoStream(c, argv, s);
  } else {
    subcommandSyntaxError(c, argv);
  }
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
