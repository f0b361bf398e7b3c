// A plain, encoding-free picture of a stream as RDB stores it (t_stream.c,
// stream.h): live entries in ID order, the stream's ID bookkeeping and its
// consumer groups with their pending entries lists. RdbReader produces it for RDB
// types 15, 19 and 21; RdbWriter and serializeValue accept it (written as type 19,
// as Redis 7.0 does). The future StreamValue class maps to and from it.
//
// IDs are bigints: both halves are uint64 in Redis (a sequence can be 2^64-1).
// Times are milliseconds since the epoch as numbers.

export interface StreamId {
  ms: bigint;
  seq: bigint;
}

export interface StreamEntry {
  id: StreamId;
  /** Field, value, field, value... (latin1 strings), in the order XADD gave them. */
  fields: string[];
}

/** One element of a group's PEL (streamNACK). */
export interface StreamPendingEntry {
  id: StreamId;
  /** Last delivery time (ms). */
  deliveryTime: number;
  deliveryCount: number;
  /** Name of the consumer owning it (every entry has one in a valid RDB). */
  consumer: string;
}

export interface StreamConsumerData {
  name: string;
  /** Last time the consumer was seen (ms). */
  seenTime: number;
  /** Last successful read / claim (ms). Stored since RDB type 21 (7.2); equals seenTime when loaded from 15/19. */
  activeTime: number;
  /** IDs this consumer owns, ascending; each is in the group's `pending` with `consumer` = name. */
  pending: StreamId[];
}

export interface StreamGroupData {
  name: string;
  lastId: StreamId;
  /** Logical reads counter (entries_read); -1n when unknown (SCG_INVALID_ENTRIES_READ). */
  entriesRead: bigint;
  /** The group PEL, ascending by ID. */
  pending: StreamPendingEntry[];
  consumers: StreamConsumerData[];
}

export interface StreamData {
  readonly type: 'stream';
  /** Live entries in ascending ID order (deleted ones are not kept). */
  entries: StreamEntry[];
  /** Equals entries.length. */
  length: number;
  lastId: StreamId;
  /** First live entry ID, 0-0 when empty. */
  firstId: StreamId;
  maxDeletedEntryId: StreamId;
  /** Count of all entries ever added (XADD), for consumer group lag. */
  entriesAdded: bigint;
  groups: StreamGroupData[];
}

export const ZERO_ID: StreamId = Object.freeze({ ms: 0n, seq: 0n }) as StreamId;

export function compareStreamIds(a: StreamId, b: StreamId): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

export function streamIdToString(id: StreamId): string {
  return `${id.ms}-${id.seq}`;
}

/** "ms-seq" (both parts required) to a StreamId; null when malformed. */
export function parseStreamId(s: string): StreamId | null {
  const m = /^(\d+)-(\d+)$/.exec(s);
  if (m === null) return null;
  const ms = BigInt(m[1]);
  const seq = BigInt(m[2]);
  if (ms > 0xffffffffffffffffn || seq > 0xffffffffffffffffn) return null;
  return { ms, seq };
}

/** An empty stream (what XGROUP CREATE ... MKSTREAM makes). */
export function emptyStreamData(): StreamData {
  return {
    type: 'stream',
    entries: [],
    length: 0,
    lastId: { ...ZERO_ID },
    firstId: { ...ZERO_ID },
    maxDeletedEntryId: { ...ZERO_ID },
    entriesAdded: 0n,
    groups: [],
  };
}

export function isStreamData(v: unknown): v is StreamData {
  return (
    typeof v === 'object' &&
    v !== null &&
    (v as { type?: unknown }).type === 'stream' &&
    Array.isArray((v as { entries?: unknown }).entries) &&
    Array.isArray((v as { groups?: unknown }).groups)
  );
}

/**
 * streamEstimateDistanceFromFirstEverEntry: the entries_read a group gets when
 * loaded from a type-15 RDB (which did not store it).
 */
export function estimateEntriesRead(s: StreamData, id: StreamId): bigint {
  if (s.entriesAdded === 0n) return 0n;
  if (s.length === 0 && compareStreamIds(id, s.lastId) < 1) return s.entriesAdded;
  const cmpLast = compareStreamIds(id, s.lastId);
  if (cmpLast === 0) return s.entriesAdded;
  if (cmpLast > 0) return -1n;
  const cmpFirst = compareStreamIds(id, s.firstId);
  const maxDelZero = s.maxDeletedEntryId.ms === 0n && s.maxDeletedEntryId.seq === 0n;
  if (maxDelZero || compareStreamIds(s.maxDeletedEntryId, s.firstId) < 0) {
    if (cmpFirst < 0) return s.entriesAdded - BigInt(s.length);
    if (cmpFirst === 0) return s.entriesAdded - BigInt(s.length) + 1n;
  }
  return -1n;
}
