// The stream type (t_stream.c, stream.h): entries ordered by ID, consumer groups
// with their pending entries lists (PEL) and consumers.
//
// IDs are two unsigned 64-bit integers. Each half is a U64: a number while it is
// at most 2^53-1, a bigint beyond (normalized, so === works and < > compare mixed
// halves exactly). Real IDs (ms timestamps, small sequences) stay numbers; huge
// ones like 18446744073709551615-18446744073709551615 are exact bigints.
//
// Entries live in virtual listpack nodes laid out exactly as Redis lays out its
// radix tree of listpacks: a node holds at most stream-node-max-entries entries
// (live + deleted) and is closed when its listpack byte size plus the new entry's
// raw element lengths reaches stream-node-max-bytes. Byte sizes are computed with
// listpack's encoding rules (master entry, delta-encoded IDs, SAMEFIELDS
// compression), so node boundaries, XDEL tombstones, trimming with `~` (whole nodes
// only), XINFO's radix-tree-keys and radix-tree-nodes all come out as Redis's.

import { lpEntrySize } from '../listpack-size.js';
import type { StreamData, StreamId as DataId } from './stream-data.js';
import { normalize } from '../../util/int64.js';
import type { CollectionValue } from '../database.js';

export type U64 = number | bigint;

export const U64_MAX = 0xffffffffffffffffn;
const SAFE = Number.MAX_SAFE_INTEGER;

export interface StreamID {
  readonly ms: U64;
  readonly seq: U64;
}

export const ZERO_ID: StreamID = Object.freeze({ ms: 0, seq: 0 });
export const MAX_ID: StreamID = Object.freeze({ ms: U64_MAX, seq: U64_MAX });

export function big(v: U64): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}

/** v + 1, wrapping 2^64-1 to 0 as uint64 arithmetic does. */
export function incrU64(v: U64): U64 {
  if (typeof v === 'number' && v < SAFE) return v + 1;
  return normalize((big(v) + 1n) & U64_MAX);
}

/** a - b as a signed 64-bit result (counters: lag, entries read). */
export function subI64(a: U64, b: U64): U64 {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (Number.isSafeInteger(r)) return r;
  }
  return normalize(BigInt.asIntN(64, big(a) - big(b)));
}

export function cmpIds(ams: U64, aseq: U64, bms: U64, bseq: U64): number {
  if (ams < bms) return -1;
  if (ams > bms) return 1;
  if (aseq < bseq) return -1;
  if (aseq > bseq) return 1;
  return 0;
}

export function compareIds(a: StreamID, b: StreamID): number {
  return cmpIds(a.ms, a.seq, b.ms, b.seq);
}

export function isZeroId(id: StreamID): boolean {
  return id.ms === 0 && id.seq === 0;
}

export function isMaxId(id: StreamID): boolean {
  return id.ms === U64_MAX && id.seq === U64_MAX;
}

export function idString(id: StreamID): string {
  return `${id.ms}-${id.seq}`;
}

/** streamIncrID: the successor, or 0-0 after the largest ID (Redis wraps and reports failure). */
export function incrId(id: StreamID): StreamID {
  if (id.seq === U64_MAX) {
    if (id.ms === U64_MAX) return ZERO_ID;
    return { ms: incrU64(id.ms), seq: 0 };
  }
  return { ms: id.ms, seq: incrU64(id.seq) };
}

/** streamDecrID: the predecessor, or 2^64-1-2^64-1 before 0-0. */
export function decrId(id: StreamID): StreamID {
  if (id.seq === 0) {
    if (id.ms === 0) return MAX_ID;
    return { ms: normalize(big(id.ms) - 1n), seq: U64_MAX };
  }
  return { ms: id.ms, seq: typeof id.seq === 'number' ? id.seq - 1 : normalize(id.seq - 1n) };
}

// ---- listpack sizes ---------------------------------------------------------------

/** Bytes lpAppendInteger takes for v (encoding + data + 1 byte backlen). */
function lpIntSize(v: number | bigint): number {
  if (typeof v === 'bigint') {
    if (v >= -2147483648n && v <= 2147483647n) return lpIntSize(Number(v));
    return 10;
  }
  if (v >= 0 && v <= 127) return 2;
  if (v >= -4096 && v <= 4095) return 3;
  if (v >= -32768 && v <= 32767) return 4;
  if (v >= -8388608 && v <= 8388607) return 5;
  if (v >= -2147483648 && v <= 2147483647) return 6;
  return 10;
}

/** Size of the delta a - b (uint64 difference stored as int64) as a listpack integer. */
function deltaSize(a: U64, b: U64): number {
  if (typeof a === 'number' && typeof b === 'number') return lpIntSize(a - b);
  return lpIntSize(BigInt.asIntN(64, big(a) - big(b)));
}

/** Size change of a listpack integer replaced from `from` to `to` (lpReplaceInteger). */
function intSizeDelta(from: number, to: number): number {
  return lpIntSize(to) - lpIntSize(from);
}

/** Redis's cap for one listpack (STREAM_LISTPACK_MAX_SIZE). */
const LISTPACK_MAX_SIZE = 1 << 30;
/** Listpack header (total bytes + element count) and end byte. */
const LP_EMPTY_BYTES = 7;
const FLAG_SAMEFIELDS = 2;

// ---- entries and nodes ------------------------------------------------------------

export class StreamEntry implements StreamID {
  deleted = false;
  private idStr: string | null = null;

  constructor(
    readonly ms: U64,
    readonly seq: U64,
    /** field, value, field, value ... (latin1), never mutated once stored. */
    readonly fields: readonly string[],
  ) {}

  /** "<ms>-<seq>", cached: replies print it often. */
  get id(): string {
    let s = this.idStr;
    if (s === null) this.idStr = s = `${this.ms}-${this.seq}`;
    return s;
  }
}

/** One listpack of the radix tree: its master entry and its entries, tombstones included. */
export class StreamNode {
  readonly entries: StreamEntry[] = [];
  live = 0;
  dead = 0;
  /** lpBytes of the listpack Redis would hold. */
  bytes: number;

  constructor(
    readonly masterMs: U64,
    readonly masterSeq: U64,
    readonly masterFields: readonly string[],
  ) {
    // count (1), deleted (0), num-fields, the field names, the zero terminator.
    let b = LP_EMPTY_BYTES + lpIntSize(1) + lpIntSize(0) + lpIntSize(masterFields.length) + lpIntSize(0);
    for (let i = 0; i < masterFields.length; i++) b += lpEntrySize(masterFields[i]);
    this.bytes = b;
  }

  /** Sets the live/deleted counters in the master entry, keeping the byte size exact. */
  setCounts(live: number, dead: number): void {
    this.bytes += intSizeDelta(this.live, live) + intSizeDelta(this.dead, dead);
    this.live = live;
    this.dead = dead;
  }

  /** Index of the first entry with ID >= (ms, seq). */
  lowerBound(ms: U64, seq: U64): number {
    const a = this.entries;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = a[mid];
      if (cmpIds(e.ms, e.seq, ms, seq) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

// ---- consumer groups --------------------------------------------------------------

/** A pending entry (streamNACK): shared by the group PEL and its owner's PEL. */
export class StreamNack implements StreamID {
  readonly key: string;

  constructor(
    readonly ms: U64,
    readonly seq: U64,
    public deliveryTime: number,
    public deliveryCount: U64,
    public consumer: StreamConsumer | null,
  ) {
    this.key = `${ms}-${seq}`;
  }
}

/** A PEL (a rax keyed by ID in Redis): sorted by ID, with O(1) lookup by "ms-seq". */
export class PelIndex {
  readonly items: StreamNack[] = [];
  private readonly byKey = new Map<string, StreamNack>();

  get size(): number {
    return this.items.length;
  }

  get(key: string): StreamNack | undefined {
    return this.byKey.get(key);
  }

  /** Index of the first NACK with ID >= (ms, seq). */
  lowerBound(ms: U64, seq: U64): number {
    const a = this.items;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = a[mid];
      if (cmpIds(e.ms, e.seq, ms, seq) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Adds a NACK whose ID is not present. */
  insert(n: StreamNack): void {
    const a = this.items;
    const last = a.length > 0 ? a[a.length - 1] : null;
    if (last === null || cmpIds(last.ms, last.seq, n.ms, n.seq) < 0) a.push(n);
    else a.splice(this.lowerBound(n.ms, n.seq), 0, n);
    this.byKey.set(n.key, n);
  }

  remove(n: StreamNack): boolean {
    if (this.byKey.get(n.key) !== n) return false;
    this.byKey.delete(n.key);
    const i = this.lowerBound(n.ms, n.seq);
    this.items.splice(i, 1);
    return true;
  }
}

export class StreamConsumer {
  readonly pel = new PelIndex();

  constructor(
    readonly name: string,
    public seenTime: number,
  ) {}
}

/** SCG_INVALID_ENTRIES_READ: the group's read counter is unknown. */
export const INVALID_ENTRIES_READ = -1;

export class StreamGroup {
  readonly pel = new PelIndex();
  readonly consumers = new Map<string, StreamConsumer>();

  constructor(
    readonly name: string,
    public lastId: StreamID,
    /** entries_read: a long long, -1 when invalid. */
    public entriesRead: U64,
  ) {}

  /** Consumers in rax order (bytewise by name). */
  sortedConsumers(): StreamConsumer[] {
    const names = Array.from(this.consumers.keys()).sort();
    const out: StreamConsumer[] = new Array(names.length);
    for (let i = 0; i < names.length; i++) out[i] = this.consumers.get(names[i])!;
    return out;
  }

  /** streamCreateConsumer: null when it exists. */
  createConsumer(name: string, now: number): StreamConsumer | null {
    if (this.consumers.has(name)) return null;
    const c = new StreamConsumer(name, now);
    this.consumers.set(name, c);
    return c;
  }

  /** streamDelConsumer: drops its pending entries from the group PEL too. */
  deleteConsumer(consumer: StreamConsumer): void {
    for (const n of consumer.pel.items) this.pel.remove(n);
    this.consumers.delete(consumer.name);
  }
}

// ---- the stream -------------------------------------------------------------------

export interface NodeLimits {
  /** stream-node-max-bytes (0 = no limit but Redis's 1 GB cap). */
  maxBytes: number;
  /** stream-node-max-entries (0 = no limit). */
  maxEntries: number;
}

/** Why an XADD could not append (errno EDOM in Redis, or the other failures). */
export type AppendFailure = 'not-greater' | 'too-large';

export const TRIM_MAXLEN = 1;
export const TRIM_MINID = 2;

export class StreamValue implements CollectionValue {
  readonly type = 'stream' as const;
  /** The radix tree's listpacks in key (master ID) order. */
  nodes: StreamNode[] = [];
  length = 0;
  lastId: StreamID = ZERO_ID;
  /** First live entry ID, 0-0 when empty. */
  firstId: StreamID = ZERO_ID;
  maxDeletedId: StreamID = ZERO_ID;
  entriesAdded: U64 = 0;
  readonly groups = new Map<string, StreamGroup>();

  encoding(): string {
    return 'stream';
  }

  /**
   * The ID XADD would use (streamAppendItem's ID logic), or why it cannot.
   * `use` null means "*"; seqGiven false means "<ms>-*".
   */
  nextId(use: StreamID | null, seqGiven: boolean, nowMs: number): StreamID | AppendFailure {
    const last = this.lastId;
    let id: StreamID;
    if (use !== null) {
      if (seqGiven) {
        id = use;
      } else if (last.ms === use.ms) {
        // Redis fails here without setting errno: the reply is its "too large" error.
        if (last.seq === U64_MAX) return 'too-large';
        id = { ms: last.ms, seq: incrU64(last.seq) };
      } else {
        id = { ms: use.ms, seq: 0 };
      }
    } else if (nowMs > last.ms) {
      id = { ms: nowMs, seq: 0 };
    } else {
      id = incrId(last);
    }
    if (compareIds(id, last) <= 0) return 'not-greater';
    return id;
  }

  /**
   * Appends an entry whose ID is greater than lastId (streamAppendItem's storage part).
   * Returns false, adding nothing, when the elements are too large for one listpack.
   */
  append(id: StreamID, fields: readonly string[], limits: NodeLimits): boolean {
    let totelelen = 0;
    for (let i = 0; i < fields.length; i++) totelelen += fields[i].length;
    if (totelelen > LISTPACK_MAX_SIZE) return false;
    const nf = fields.length >> 1;
    let node = this.nodes.length > 0 ? this.nodes[this.nodes.length - 1] : null;
    if (node !== null) {
      let maxBytes = limits.maxBytes;
      if (maxBytes === 0 || maxBytes > LISTPACK_MAX_SIZE) maxBytes = LISTPACK_MAX_SIZE;
      if (node.bytes + totelelen >= maxBytes) node = null;
      else if (limits.maxEntries > 0 && node.live + node.dead >= limits.maxEntries) node = null;
    }
    let same: boolean;
    const entry = new StreamEntry(id.ms, id.seq, fields);
    if (node === null) {
      const master: string[] = new Array(nf);
      for (let i = 0; i < nf; i++) master[i] = fields[i * 2];
      node = new StreamNode(id.ms, id.seq, master);
      node.live = 1;
      this.nodes.push(node);
      same = true;
    } else {
      node.setCounts(node.live + 1, node.dead);
      const mf = node.masterFields;
      same = mf.length === nf;
      for (let i = 0; same && i < nf; i++) if (mf[i] !== fields[i * 2]) same = false;
    }
    let b = lpIntSize(same ? FLAG_SAMEFIELDS : 0) + deltaSize(id.ms, node.masterMs) + deltaSize(id.seq, node.masterSeq);
    if (!same) b += lpIntSize(nf);
    for (let i = 0; i < nf; i++) {
      if (!same) b += lpEntrySize(fields[i * 2]);
      b += lpEntrySize(fields[i * 2 + 1]);
    }
    b += lpIntSize(same ? nf + 3 : nf * 2 + 4);
    node.bytes += b;
    node.entries.push(entry);
    this.length++;
    this.entriesAdded = incrU64(this.entriesAdded);
    this.lastId = id;
    if (this.length === 1) this.firstId = id;
    return true;
  }

  /** Index of the last node whose master ID is <= (ms, seq) (raxSeek "<="), or -1. */
  private nodeAtOrBefore(ms: U64, seq: U64): number {
    const a = this.nodes;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const n = a[mid];
      if (cmpIds(n.masterMs, n.masterSeq, ms, seq) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /**
   * Live entries with start <= ID <= end, forward or reversed, at most `count`
   * (0 = all), appended to `out` (streamIteratorGetID with tombstones skipped).
   */
  range(start: StreamID, end: StreamID, count: number, rev: boolean, out: StreamEntry[]): StreamEntry[] {
    if (compareIds(start, end) > 0 || this.nodes.length === 0) return out;
    const nodes = this.nodes;
    let n = 0;
    if (!rev) {
      let ni = this.nodeAtOrBefore(start.ms, start.seq);
      if (ni < 0) ni = 0;
      let ei = nodes[ni].lowerBound(start.ms, start.seq);
      for (; ni < nodes.length; ni++, ei = 0) {
        const es = nodes[ni].entries;
        for (; ei < es.length; ei++) {
          const e = es[ei];
          if (e.deleted) continue;
          if (cmpIds(e.ms, e.seq, end.ms, end.seq) > 0) return out;
          out.push(e);
          if (++n === count) return out;
        }
      }
    } else {
      let ni = this.nodeAtOrBefore(end.ms, end.seq);
      if (ni < 0) return out;
      const endSucc = incrId(end);
      let ei = isZeroId(endSucc) ? nodes[ni].entries.length - 1 : nodes[ni].lowerBound(endSucc.ms, endSucc.seq) - 1;
      for (; ni >= 0; ) {
        const es = nodes[ni].entries;
        for (; ei >= 0; ei--) {
          const e = es[ei];
          if (e.deleted) continue;
          if (cmpIds(e.ms, e.seq, start.ms, start.seq) < 0) return out;
          out.push(e);
          if (++n === count) return out;
        }
        ni--;
        if (ni >= 0) ei = nodes[ni].entries.length - 1;
      }
    }
    return out;
  }

  /** The live entry with this ID (streamEntryExists), or undefined. */
  get(ms: U64, seq: U64): StreamEntry | undefined {
    const ni = this.nodeAtOrBefore(ms, seq);
    if (ni < 0) return undefined;
    const node = this.nodes[ni];
    const i = node.lowerBound(ms, seq);
    const e = node.entries[i];
    if (e === undefined || e.deleted || cmpIds(e.ms, e.seq, ms, seq) !== 0) return undefined;
    return e;
  }

  /**
   * streamDeleteItem: marks the entry deleted, or drops its node when it was the
   * node's last live entry. Does not touch firstId / maxDeletedId (XDEL does).
   */
  delete(ms: U64, seq: U64): boolean {
    const ni = this.nodeAtOrBefore(ms, seq);
    if (ni < 0) return false;
    const node = this.nodes[ni];
    const i = node.lowerBound(ms, seq);
    const e = node.entries[i];
    if (e === undefined || e.deleted || cmpIds(e.ms, e.seq, ms, seq) !== 0) return false;
    e.deleted = true;
    if (node.live === 1) this.nodes.splice(ni, 1);
    else node.setCounts(node.live - 1, node.dead + 1);
    this.length--;
    return true;
  }

  /**
   * XDEL's work: deletes the entries with these IDs, records the largest deleted ID
   * and moves the recorded first ID when the first entry went. Returns how many went.
   */
  deleteIds(ids: readonly StreamID[]): number {
    let deleted = 0;
    let firstEntry = false;
    for (const id of ids) {
      if (!this.delete(id.ms, id.seq)) continue;
      if (compareIds(id, this.firstId) === 0) firstEntry = true;
      if (compareIds(id, this.maxDeletedId) > 0) this.maxDeletedId = id;
      deleted++;
    }
    if (deleted > 0) {
      if (this.length === 0) this.firstId = ZERO_ID;
      else if (firstEntry) this.firstId = this.edgeLiveId(true) ?? ZERO_ID;
    }
    return deleted;
  }

  /** ID of the first (or last) live entry, or null when the stream is empty. */
  edgeLiveId(first: boolean): StreamEntry | null {
    const nodes = this.nodes;
    if (first) {
      for (let ni = 0; ni < nodes.length; ni++) {
        const es = nodes[ni].entries;
        for (let i = 0; i < es.length; i++) if (!es[i].deleted) return es[i];
      }
    } else {
      for (let ni = nodes.length - 1; ni >= 0; ni--) {
        const es = nodes[ni].entries;
        for (let i = es.length - 1; i >= 0; i--) if (!es[i].deleted) return es[i];
      }
    }
    return null;
  }

  /** streamGetEdgeID(s, 1, 0): the first entry, tombstones included; the max ID when there is none. */
  firstIdWithTombstones(): StreamID {
    if (this.nodes.length === 0) return MAX_ID;
    return this.nodes[0].entries[0];
  }

  /** streamLastValidID: the last live entry's ID (0-0 when empty). */
  lastValidId(): StreamID {
    return this.edgeLiveId(false) ?? ZERO_ID;
  }

  /**
   * streamTrim: removes entries from the head by MAXLEN or MINID. With `approx`
   * only whole nodes go; `limit` (0 = none) caps the entries removed. Returns
   * how many were removed.
   */
  trim(strategy: number, maxlen: U64, minid: StreamID, approx: boolean, limit: U64): number {
    let deleted = 0;
    const nodes = this.nodes;
    let removeNodes = 0;
    while (removeNodes < nodes.length) {
      if (strategy === TRIM_MAXLEN && this.length <= maxlen) break;
      const node = nodes[removeNodes];
      const entries = node.live;
      if (limit !== 0 && deleted + entries > limit) break;
      let removeNode: boolean;
      if (strategy === TRIM_MAXLEN) {
        removeNode = this.length - entries >= maxlen;
      } else {
        const last = node.entries[node.entries.length - 1];
        removeNode = cmpIds(last.ms, last.seq, minid.ms, minid.seq) < 0;
      }
      if (removeNode) {
        removeNodes++;
        this.length -= entries;
        deleted += entries;
        continue;
      }
      if (approx) break;
      // Mark entries deleted inside this node, up to the target.
      let fromNode = 0;
      const es = node.entries;
      for (let i = 0; i < es.length; i++) {
        const e = es[i];
        const stop =
          strategy === TRIM_MAXLEN ? this.length <= maxlen : cmpIds(e.ms, e.seq, minid.ms, minid.seq) >= 0;
        if (stop) break;
        if (!e.deleted) {
          e.deleted = true;
          fromNode++;
          this.length--;
        }
      }
      deleted += fromNode;
      node.setCounts(entries - fromNode, node.dead + fromNode);
      break;
    }
    if (removeNodes > 0) nodes.splice(0, removeNodes);
    if (this.length === 0) this.firstId = ZERO_ID;
    else if (deleted > 0) this.firstId = this.edgeLiveId(true) ?? ZERO_ID;
    return deleted;
  }

  /** The radix tree's node count (rax->numnodes) for the node keys (16-byte big-endian master IDs). */
  raxNodeCount(): number {
    const n = this.nodes.length;
    if (n === 0) return 1;
    const keys: Buffer[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const k = Buffer.allocUnsafe(16);
      k.writeBigUInt64BE(big(this.nodes[i].masterMs), 0);
      k.writeBigUInt64BE(big(this.nodes[i].masterSeq), 8);
      keys[i] = k;
    }
    return raxSubtreeNodes(keys, 0, n, 0);
  }

  // ---- consumer group helpers (lag and entries_read, t_stream.c) ----

  /** streamRangeHasTombstones with end = +inf. */
  rangeHasTombstones(start: StreamID): boolean {
    const maxDel = this.maxDeletedId;
    if (this.length === 0 || isZeroId(maxDel)) return false;
    if (compareIds(this.firstId, maxDel) > 0) return false;
    return compareIds(start, maxDel) <= 0;
  }

  /** streamEstimateDistanceFromFirstEverEntry; INVALID_ENTRIES_READ when unknown. */
  estimateDistance(id: StreamID): U64 {
    if (this.entriesAdded === 0) return 0;
    if (this.length === 0 && compareIds(id, this.lastId) < 1) return this.entriesAdded;
    const cmpLast = compareIds(id, this.lastId);
    if (cmpLast === 0) return this.entriesAdded;
    if (cmpLast > 0) return INVALID_ENTRIES_READ;
    const cmpFirst = compareIds(id, this.firstId);
    if (isZeroId(this.maxDeletedId) || compareIds(this.maxDeletedId, this.firstId) < 0) {
      if (cmpFirst < 0) return subI64(this.entriesAdded, this.length);
      if (cmpFirst === 0) return incrU64(subI64(this.entriesAdded, this.length));
    }
    return INVALID_ENTRIES_READ;
  }

  /** streamReplyWithCGLag's value: the lag, or null when it cannot be known. */
  groupLag(g: StreamGroup): U64 | null {
    if (this.entriesAdded === 0) return 0;
    if (g.entriesRead !== INVALID_ENTRIES_READ && !this.rangeHasTombstones(g.lastId)) {
      return subI64(this.entriesAdded, g.entriesRead);
    }
    const read = this.estimateDistance(g.lastId);
    if (read === INVALID_ENTRIES_READ) return null;
    return subI64(this.entriesAdded, read);
  }

  /** Groups in rax order (bytewise by name). */
  sortedGroups(): StreamGroup[] {
    const names = Array.from(this.groups.keys()).sort();
    const out: StreamGroup[] = new Array(names.length);
    for (let i = 0; i < names.length; i++) out[i] = this.groups.get(names[i])!;
    return out;
  }

  // ---- whole-value operations ----

  /** DEBUG DIGEST's stream branch: "<ms>.<seq>", then each field and value, per live entry in order. */
  digestInto(digest: Buffer, mix: (digest: Buffer, data: string) => void): void {
    for (const node of this.nodes) {
      for (const e of node.entries) {
        if (e.deleted) continue;
        mix(digest, `${e.ms}.${e.seq}`);
        const f = e.fields;
        for (let i = 0; i < f.length; i++) mix(digest, f[i]);
      }
    }
  }

  /** streamDup (COPY): same nodes, tombstones included, and a deep copy of the groups. */
  dup(): StreamValue {
    const s = new StreamValue();
    for (const node of this.nodes) {
      const n = new StreamNode(node.masterMs, node.masterSeq, node.masterFields);
      n.live = node.live;
      n.dead = node.dead;
      n.bytes = node.bytes;
      for (const e of node.entries) {
        const c = new StreamEntry(e.ms, e.seq, e.fields);
        c.deleted = e.deleted;
        n.entries.push(c);
      }
      s.nodes.push(n);
    }
    s.length = this.length;
    s.lastId = this.lastId;
    s.firstId = this.firstId;
    s.maxDeletedId = this.maxDeletedId;
    s.entriesAdded = this.entriesAdded;
    for (const g of this.groups.values()) {
      const ng = new StreamGroup(g.name, g.lastId, g.entriesRead);
      for (const c of g.consumers.values()) ng.consumers.set(c.name, new StreamConsumer(c.name, c.seenTime));
      for (const n of g.pel.items) {
        const owner = n.consumer === null ? null : (ng.consumers.get(n.consumer.name) ?? null);
        const nn = new StreamNack(n.ms, n.seq, n.deliveryTime, n.deliveryCount, owner);
        ng.pel.insert(nn);
        owner?.pel.insert(nn);
      }
      s.groups.set(g.name, ng);
    }
    return s;
  }

  /** The codec's plain picture of this stream (RDB save, DUMP). */
  toStreamData(): StreamData {
    const entries: StreamData['entries'] = [];
    for (const node of this.nodes) {
      for (const e of node.entries) if (!e.deleted) entries.push({ id: toDataId(e), fields: e.fields.slice() });
    }
    const groups: StreamData['groups'] = [];
    for (const g of this.sortedGroups()) {
      groups.push({
        name: g.name,
        lastId: toDataId(g.lastId),
        entriesRead: big(g.entriesRead),
        pending: g.pel.items.map((n) => ({
          id: toDataId(n),
          deliveryTime: n.deliveryTime,
          deliveryCount: Number(n.deliveryCount),
          consumer: n.consumer?.name ?? '',
        })),
        consumers: g.sortedConsumers().map((c) => ({
          name: c.name,
          seenTime: c.seenTime,
          activeTime: c.seenTime,
          pending: c.pel.items.map((n) => toDataId(n)),
        })),
      });
    }
    return {
      type: 'stream',
      entries,
      length: entries.length,
      lastId: toDataId(this.lastId),
      firstId: toDataId(this.firstId),
      maxDeletedEntryId: toDataId(this.maxDeletedId),
      entriesAdded: big(this.entriesAdded),
      groups,
    };
  }

  /**
   * A stream from the codec's picture (RDB load, RESTORE). Nodes are laid out as
   * XADD would lay out these entries with the given limits; the counters and
   * groups are taken as stored.
   */
  static fromStreamData(d: StreamData, limits: NodeLimits): StreamValue {
    const s = new StreamValue();
    for (const e of d.entries) s.append(fromDataId(e.id), e.fields, limits);
    s.length = d.entries.length;
    s.lastId = fromDataId(d.lastId);
    s.firstId = fromDataId(d.firstId);
    s.maxDeletedId = fromDataId(d.maxDeletedEntryId);
    s.entriesAdded = normalize(d.entriesAdded);
    for (const g of d.groups) {
      const ng = new StreamGroup(g.name, fromDataId(g.lastId), g.entriesRead < 0n ? INVALID_ENTRIES_READ : normalize(g.entriesRead));
      for (const c of g.consumers) ng.consumers.set(c.name, new StreamConsumer(c.name, c.seenTime));
      for (const p of g.pending) {
        const owner = ng.consumers.get(p.consumer) ?? null;
        const id = fromDataId(p.id);
        const n = new StreamNack(id.ms, id.seq, p.deliveryTime, p.deliveryCount, owner);
        ng.pel.insert(n);
        owner?.pel.insert(n);
      }
      s.groups.set(g.name, ng);
    }
    return s;
  }
}

function toDataId(id: StreamID): DataId {
  return { ms: big(id.ms), seq: big(id.seq) };
}

function fromDataId(id: DataId): StreamID {
  return { ms: normalize(id.ms), seq: normalize(id.seq) };
}

/**
 * rax->numnodes of a compressed radix tree holding the sorted, distinct, equal-length
 * keys[lo, hi) below depth `d`: a shared run of bytes is one compressed node, a
 * divergence is one branch node, every key ends in an empty leaf node.
 */
function raxSubtreeNodes(keys: Buffer[], lo: number, hi: number, d: number): number {
  const len = keys[lo].length;
  if (d === len) return 1;
  if (hi - lo === 1) return 2;
  // Sorted keys: the common prefix of the range is that of its first and last key.
  const a = keys[lo];
  const b = keys[hi - 1];
  let p = d;
  while (p < len && a[p] === b[p]) p++;
  let count = (p > d ? 1 : 0) + 1;
  let i = lo;
  while (i < hi) {
    const byte = keys[i][p];
    let j = i + 1;
    while (j < hi && keys[j][p] === byte) j++;
    count += raxSubtreeNodes(keys, i, j, p + 1);
    i = j;
  }
  return count;
}

/** Redis's defaults for stream-node-max-bytes / stream-node-max-entries. */
export const DEFAULT_STREAM_NODE_LIMITS: NodeLimits = Object.freeze({ maxBytes: 4096, maxEntries: 100 });
