// Stream commands, shared parts (t_stream.c): argument and ID parsing, entry replies,
// the effects group commands propagate, and delivery from a stream or a PEL to a
// consumer. Used by the stream, consumer-group and XINFO command files.
import { parseInt64, type Int64 } from '../util/int64.js';
import { Errors } from '../protocol/errors.js';
import type { Client } from '../server/client.js';
import { notify, Notify } from '../server/keyspace-events.js';
import { cstr } from './args.js';
import {
  INVALID_ENTRIES_READ,
  MAX_ID,
  StreamGroup,
  StreamNack,
  StreamValue,
  U64_MAX,
  ZERO_ID,
  cmpIds,
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

/** XREAD_BLOCKED_DEFAULT_COUNT: a served waiter without COUNT gets at most this many. */
export const BLOCKED_DEFAULT_COUNT = 1000;
/** setTimeout's largest delay. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

// ---- small helpers -----------------------------------------------------------------

/** strcasecmp(s, lower) == 0 for an ASCII option name given in lowercase. */
export function eqi(s: string, lower: string): boolean {
  return s.length === lower.length && s.toLowerCase() === lower;
}

export function isSpace(ch: number): boolean {
  return ch === 32 || (ch >= 9 && ch <= 13);
}

/**
 * string2ull: a canonical non-negative int64, else strtoull's reading (leading
 * spaces, a sign, leading zeros; a negative value wraps modulo 2^64), rejecting
 * what string2ll reads as negative and anything strtoull does not consume fully.
 */
export function parseU64(s: string): U64 | null {
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
export let seqGiven = true;

/**
 * streamGenericParseIDOrReply: "<ms>-<seq>", "<ms>" (seq = missingSeq), "-" and "+"
 * (unless strict), "<ms>-*" when allowSeqStar. Replies the error when c is given.
 */
export function parseId(c: Client | null, arg: string, missingSeq: U64, strict: boolean, allowSeqStar = false): StreamID | null {
  seqGiven = true;
  if (arg.length > 127) {
    if (c !== null) c.error(Errors.invalidId);
    return null;
  }
  const s = cstr(arg);
  if (s === '-' || s === '+') {
    if (strict) {
      if (c !== null) c.error(Errors.invalidId);
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
    if (c !== null) c.error(Errors.invalidId);
    return null;
  }
  return { ms, seq };
}

/** Set by parseIntervalId: the bound had the "(" (exclusive) prefix. */
export let excluded = false;

/** streamParseIntervalIDOrReply: "(" makes the bound exclusive and the ID strict. */
export function parseIntervalId(c: Client, arg: string, missingSeq: U64): StreamID | null {
  excluded = arg.length > 1 && arg.charCodeAt(0) === 40;
  if (excluded) return parseId(c, arg.slice(1), missingSeq, true);
  return parseId(c, arg, missingSeq, false);
}

/** A start bound: inclusive as given, or the successor of an exclusive one. */
export function parseStartBound(c: Client, arg: string): StreamID | null {
  const id = parseIntervalId(c, arg, 0);
  if (id === null) return null;
  if (excluded) {
    if (isMaxId(id)) {
      c.error(Errors.startInterval);
      return null;
    }
    return incrId(id);
  }
  return id;
}

/** An end bound: inclusive as given, or the predecessor of an exclusive one. */
export function parseEndBound(c: Client, arg: string): StreamID | null {
  const id = parseIntervalId(c, arg, U64_MAX);
  if (id === null) return null;
  if (excluded) {
    if (isZeroId(id)) {
      c.error(Errors.endInterval);
      return null;
    }
    return decrId(id);
  }
  return id;
}

/** A non-negative count as a number (values past 2^53 mean "everything"). */
export function countValue(v: Int64): number {
  if (typeof v === 'bigint') return v < 0n ? 0 : Number.MAX_SAFE_INTEGER;
  return v < 0 ? 0 : v;
}

/** Redis formats names with %s: the text up to the first NUL. */
export function fmt(s: string): string {
  return cstr(s);
}

/** Reused for every XADD: the node limits in force now. */
export const limits: NodeLimits = { maxBytes: 4096, maxEntries: 100 };

export function nodeLimits(c: Client): NodeLimits {
  const cfg = c.server.config;
  limits.maxBytes = cfg.num('stream-node-max-bytes');
  limits.maxEntries = cfg.num('stream-node-max-entries');
  return limits;
}

/** An entry as [id, [field, value, ...]]. */
export function writeEntry(c: Client, e: StreamEntry): void {
  c.arrayLen(2);
  c.bulk(e.id);
  const f = e.fields;
  c.arrayLen(f.length);
  for (let i = 0; i < f.length; i++) c.bulk(f[i]);
}

/** A history item: an entry, or the ID of a pending entry no longer in the stream. */
export type Item = StreamEntry | string;

export function writeItems(c: Client, items: readonly Item[]): void {
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

export function replyNullArray(c: Client): void {
  c.nullArray();
}

// ---- propagation (streamPropagateXCLAIM, streamPropagateGroupID, streamPropagateConsumerCreation) ----

export function xclaimEffect(key: string, group: StreamGroup, groupName: string, id: string, nack: StreamNack): string[] {
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

export function setIdEffect(key: string, group: StreamGroup, groupName: string): string[] {
  return ['XGROUP', 'SETID', key, groupName, idString(group.lastId), 'ENTRIESREAD', String(group.entriesRead)];
}

// ---- delivery (streamReplyWithRange with a group, and from a consumer PEL) ----

export const scratch: StreamEntry[] = [];

/**
 * Delivers new entries from `start` to a consumer: advances the group's last ID and
 * read counter, records them in the PELs unless NOACK, and collects the effects.
 */
export function deliver(
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
export function deliverHistory(s: StreamValue, start: StreamID, count: number, consumer: StreamConsumer, out: Item[]): void {
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
export function consumerFor(c: Client, group: StreamGroup, name: string, key: string, groupName: string, noack: boolean, effects: string[][]): StreamConsumer {
  const now = Date.now();
  let consumer = group.consumers.get(name);
  if (consumer !== undefined) {
    consumer.seenTime = now;
    return consumer;
  }
  consumer = group.createConsumer(name, now)!;
  c.server.dirty++;
  notify(c, Notify.stream, 'xgroup-createconsumer', key);
  if (noack) effects.push(['XGROUP', 'CREATECONSUMER', key, groupName, name]);
  return consumer;
}

export function parseIds(c: Client, argv: string[], from: number): StreamID[] | null {
  const ids: StreamID[] = new Array(argv.length - from);
  for (let j = from; j < argv.length; j++) {
    const id = parseId(c, argv[j], 0, true);
    if (id === null) return null;
    ids[j - from] = id;
  }
  return ids;
}
