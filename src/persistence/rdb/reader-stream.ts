// Stream decoding for the RDB reader (rdb.c's RDB_TYPE_STREAM_LISTPACKS* branch of
// rdbLoadObject): listpack nodes, stream metadata, consumer groups with their
// global PEL and consumer PELs, validated as deeply as sanitize-dump-payload does.
// A layer between RdbInput and RdbReader so it can use the input's protected reads.

import { RdbType } from './constants.js';
import { decodeListpack } from './listpack.js';
import {
  compareStreamIds,
  estimateEntriesRead,
  type StreamConsumerData,
  type StreamData,
  type StreamEntry,
  type StreamGroupData,
  type StreamId,
  type StreamPendingEntry,
} from '../../keyspace/types/stream-data.js';
import { decodeStreamNode, rawToId, sortIds, sortPending } from './stream-node.js';
import { RdbInput } from './reader-input.js';

const UINT64_MAX = 0xffffffffffffffffn;

export abstract class RdbStreamInput extends RdbInput {
  private readStreamId(): StreamId {
    const ms = this.readLenBig();
    const seq = this.readLenBig();
    return { ms, seq };
  }

  private readRawStreamId(): string {
    this.need(16);
    const s = this.buf.latin1Slice(this.pos, this.pos + 16);
    this.pos += 16;
    return s;
  }

  protected readStream(type: number): StreamData {
    const bad = 'Stream listpack integrity check failed.';
    const nodes = this.readCount();
    const entries: StreamEntry[] = [];
    let prev: StreamId | null = null;
    for (let n = 0; n < nodes; n++) {
      this.readBlob();
      if (this.blobEnd - this.blobStart !== 16) this.corrupt('Stream node key entry is not the size of a stream ID');
      const masterMs = this.blobBuf.readBigUInt64BE(this.blobStart);
      const masterSeq = this.blobBuf.readBigUInt64BE(this.blobStart + 8);
      this.readBlob();
      const items = decodeListpack(this.blobBuf, this.blobStart, this.blobEnd, false);
      if (items === null) this.corrupt(bad);
      if (items.length === 0) this.corrupt('Empty listpack inside stream');
      prev = decodeStreamNode(items, masterMs, masterSeq, entries, prev);
      if (prev === null) this.corrupt(bad);
    }
    const length = this.readCount();
    const lastId = this.readStreamId();
    let firstId: StreamId;
    let maxDeletedEntryId: StreamId;
    let entriesAdded: bigint;
    if (type >= RdbType.STREAM_LISTPACKS_2) {
      firstId = this.readStreamId();
      maxDeletedEntryId = this.readStreamId();
      entriesAdded = this.readLenBig();
    } else {
      firstId = entries.length > 0 ? entries[0].id : { ms: 0n, seq: 0n };
      maxDeletedEntryId = { ms: 0n, seq: 0n };
      entriesAdded = BigInt(length);
    }
    if (length !== entries.length) this.corrupt('Stream length inconsistent with rax entries');
    if (entries.length > 0 && compareStreamIds(entries[entries.length - 1].id, lastId) > 0)
      this.corrupt('Stream last ID is smaller than its last entry');
    const s: StreamData = {
      type: 'stream',
      entries,
      length,
      lastId,
      firstId,
      maxDeletedEntryId,
      entriesAdded,
      groups: [],
    };
    const ngroups = this.readCount();
    const groupNames = new Set<string>();
    for (let g = 0; g < ngroups; g++) {
      const name = this.readString();
      const glast = this.readStreamId();
      let entriesRead: bigint;
      if (type >= RdbType.STREAM_LISTPACKS_2) {
        const v = this.readLenBig();
        entriesRead = v === UINT64_MAX ? -1n : v;
      } else {
        entriesRead = estimateEntriesRead(s, glast);
      }
      if (groupNames.has(name)) this.corrupt(`Duplicated consumer group name ${name}`);
      groupNames.add(name);
      const pelSize = this.readCount();
      const pel = new Map<string, StreamPendingEntry>();
      const pending: StreamPendingEntry[] = [];
      for (let i = 0; i < pelSize; i++) {
        const raw = this.readRawStreamId();
        const deliveryTime = this.readMsTime();
        const deliveryCount = this.readCount();
        if (pel.has(raw)) this.corrupt('Duplicated global PEL entry loading stream consumer group');
        const nack: StreamPendingEntry = { id: rawToId(raw), deliveryTime, deliveryCount, consumer: '' };
        pel.set(raw, nack);
        pending.push(nack);
      }
      const nconsumers = this.readCount();
      const consumers: StreamConsumerData[] = [];
      const consumerNames = new Set<string>();
      const owned = new Set<string>();
      for (let c = 0; c < nconsumers; c++) {
        const cname = this.readString();
        if (consumerNames.has(cname)) this.corrupt('Duplicate stream consumer detected.');
        consumerNames.add(cname);
        const seenTime = this.readMsTime();
        const activeTime = type >= RdbType.STREAM_LISTPACKS_3 ? this.readMsTime() : seenTime;
        const n = this.readCount();
        const cpending: StreamId[] = [];
        for (let i = 0; i < n; i++) {
          const raw = this.readRawStreamId();
          const nack = pel.get(raw);
          if (nack === undefined) this.corrupt('Consumer entry not found in group global PEL');
          if (owned.has(raw)) this.corrupt('Duplicated consumer PEL entry  loading a stream consumer group');
          owned.add(raw);
          nack.consumer = cname;
          cpending.push(nack.id);
        }
        sortIds(cpending);
        consumers.push({ name: cname, seenTime, activeTime, pending: cpending });
      }
      if (owned.size !== pel.size) this.corrupt('Stream CG PEL entry without consumer');
      sortPending(pending);
      const group: StreamGroupData = { name, lastId: glast, entriesRead, pending, consumers };
      s.groups.push(group);
    }
    return s;
  }
}
