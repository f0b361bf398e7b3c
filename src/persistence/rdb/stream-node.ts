// Decoding of stream listpack nodes (rdb.c's stream loading, t_stream.c's node
// layout) into StreamData entries, with the integrity checks Redis makes on them.

import { parseStrtod } from '../../util/strtod.js';
import { STREAM_ITEM_FLAG_DELETED, STREAM_ITEM_FLAG_SAMEFIELDS } from './constants.js';
import type { LpItem } from './listpack.js';
import { compareStreamIds, type StreamEntry, type StreamId, type StreamPendingEntry } from '../../keyspace/types/stream-data.js';

const U64 = 1n << 64n;

export function rawToId(raw: string): StreamId {
  const b = Buffer.from(raw, 'latin1');
  return { ms: b.readBigUInt64BE(0), seq: b.readBigUInt64BE(8) };
}

export function sortIds(ids: StreamId[]): void {
  for (let i = 1; i < ids.length; i++) {
    if (compareStreamIds(ids[i - 1], ids[i]) > 0) {
      ids.sort(compareStreamIds);
      return;
    }
  }
}

export function sortPending(p: StreamPendingEntry[]): void {
  for (let i = 1; i < p.length; i++) {
    if (compareStreamIds(p[i - 1].id, p[i].id) > 0) {
      p.sort((a, b) => compareStreamIds(a.id, b.id));
      return;
    }
  }
}

/** zzlGetScore: listpack score text (or integer) to a double; null if not a number. */
export function parseScore(s: string): number | null {
  const v = parseStrtod(s);
  if (v !== null) return v;
  const f = parseFloat(s);
  return Number.isNaN(f) ? null : f;
}

export function toInt(x: LpItem | undefined): number | null {
  if (typeof x === 'number') return x;
  return null;
}

/** An int64 listpack integer as uint64 delta arithmetic needs it. */
export function toBig(x: LpItem | undefined): bigint | null {
  if (typeof x === 'number') return BigInt(x);
  if (typeof x === 'bigint') return x;
  return null;
}

export function itemString(x: LpItem): string {
  return typeof x === 'string' ? x : String(x);
}

/**
 * Decodes one stream listpack (master entry + entries, see streamAppendItem) and
 * appends its live entries. Returns the last ID seen (IDs must keep increasing
 * across the whole stream), or null when the node is malformed.
 */
export function decodeStreamNode(
  items: LpItem[],
  masterMs: bigint,
  masterSeq: bigint,
  out: StreamEntry[],
  prev: StreamId | null,
): StreamId | null {
  let i = 0;
  const n = items.length;
  const count = toInt(items[i++]);
  const deleted = toInt(items[i++]);
  const masterFieldsCount = toInt(items[i++]);
  if (count === null || deleted === null || masterFieldsCount === null) return null;
  if (count < 0 || deleted < 0 || masterFieldsCount < 0 || i + masterFieldsCount + 1 > n) return null;
  const masterFields: string[] = [];
  for (let j = 0; j < masterFieldsCount; j++) masterFields.push(itemString(items[i++]));
  if (toInt(items[i++]) !== 0) return null;
  let total = count + deleted;
  let live = 0;
  let last = prev;
  while (total-- > 0) {
    if (i + 3 > n) return null;
    const flags = toInt(items[i++]);
    const msDiff = toBig(items[i++]);
    const seqDiff = toBig(items[i++]);
    if (flags === null || msDiff === null || seqDiff === null) return null;
    const id: StreamId = {
      ms: (((masterMs + msDiff) % U64) + U64) % U64,
      seq: (((masterSeq + seqDiff) % U64) + U64) % U64,
    };
    let nfields: number;
    let extra = 3;
    let fieldNames: string[] | null = null;
    if (flags & STREAM_ITEM_FLAG_SAMEFIELDS) {
      nfields = masterFieldsCount;
    } else {
      const f = toInt(items[i++]);
      if (f === null || f < 0) return null;
      nfields = f;
      extra += nfields + 1;
      fieldNames = [];
    }
    const needItems = fieldNames === null ? nfields : nfields * 2;
    if (i + needItems + 1 > n) return null;
    const kv: string[] = new Array<string>(nfields * 2);
    for (let j = 0; j < nfields; j++) {
      if (fieldNames === null) {
        kv[j * 2] = masterFields[j];
        kv[j * 2 + 1] = itemString(items[i++]);
      } else {
        kv[j * 2] = itemString(items[i++]);
        kv[j * 2 + 1] = itemString(items[i++]);
      }
    }
    const lpCount = toInt(items[i++]);
    if (lpCount !== nfields + extra) return null;
    if (last !== null && compareStreamIds(id, last) <= 0) return null;
    last = id;
    if (!(flags & STREAM_ITEM_FLAG_DELETED)) {
      out.push({ id, fields: kv });
      live++;
    }
  }
  if (i !== n || live !== count) return null;
  return last ?? { ms: 0n, seq: 0n };
}
