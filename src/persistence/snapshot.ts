// A point-in-time view of the whole keyspace without fork (the role rdbSaveRio's
// forked child plays in Redis). The keyspace is walked in slices between event-loop
// turns; before any write changes a key the walk has not reached yet, that key's
// current value is emitted first (copy-before-write), so the output is the dataset
// exactly as it was when the snapshot started, whatever happens meanwhile.
//
// Writes reach us two ways: Database mutators (set, add, delete, expiry changes)
// call beforeWrite themselves; in-place changes of collections are announced by
// dispatch for every key argument of a write command, before its handler runs.
// FLUSHALL and SWAPDB replace or exchange whole maps, so each database's state is
// found by the identity of the map it walked, not by its number.

import type { Database, Value } from '../keyspace/database.js';

/** Receives the snapshot's contents, in any key order within a database. */
export interface SnapshotSink {
  /** Called once per database that has keys, before its keys (may be called again later for early copies). */
  selectDb(dbId: number, size: number, expiresSize: number): void;
  /** One key as it was at the start: its value and absolute expiry (ms) or -1. */
  key(dbId: number, key: string, value: Value, expireMs: number): void;
}

interface DbState {
  dbId: number;
  dict: Map<string, Value>;
  expires: Map<string, number>;
  iter: Iterator<[string, Value]>;
  /** Keys already emitted (by the walk or copied early). */
  written: Set<string>;
  /** Keys that did not exist at the start: the walk must not emit them. */
  createdAfter: Set<string>;
  size: number;
  expiresSize: number;
  selected: boolean;
}

export interface SnapshotOptions {
  /** Keys emitted per slice before yielding to the event loop. */
  keysPerSlice: number;
  /** Upper bound of one slice in ms (checked every few keys). */
  msPerSlice: number;
}

export class CopyOnWriteSnapshot {
  private readonly states = new Map<Map<string, Value>, DbState>();
  private readonly order: DbState[] = [];
  private current = 0;
  finished = false;
  keysWritten = 0;
  readonly keysTotal: number;

  constructor(
    private readonly dbs: readonly Database[],
    private readonly sink: SnapshotSink,
  ) {
    let total = 0;
    for (const db of dbs) {
      if (db.dict.size === 0) continue;
      const st: DbState = {
        dbId: db.id,
        dict: db.dict,
        expires: db.expires,
        iter: db.dict.entries(),
        written: new Set(),
        createdAfter: new Set(),
        size: db.dict.size,
        expiresSize: db.expires.size,
        selected: false,
      };
      total += st.size;
      this.states.set(db.dict, st);
      this.order.push(st);
    }
    this.keysTotal = total;
    for (const db of dbs) db.cow = this;
  }

  private emit(st: DbState, key: string, value: Value): void {
    if (!st.selected) {
      this.sink.selectDb(st.dbId, st.size, st.expiresSize);
      st.selected = true;
    }
    this.sink.key(st.dbId, key, value, st.expires.get(key) ?? -1);
    st.written.add(key);
    this.keysWritten++;
  }

  /** A write is about to change `key` in `db` (its value, its expiry, or its existence). */
  beforeWrite(db: Database, key: string): void {
    const st = this.states.get(db.dict);
    if (st === undefined || st.written.has(key) || st.createdAfter.has(key)) return;
    const v = st.dict.get(key);
    if (v === undefined) st.createdAfter.add(key);
    else this.emit(st, key, v);
  }

  /**
   * Emits the next slice; returns true when everything has been emitted. The caller
   * schedules the next slice (setImmediate) so clients are served in between.
   */
  step(opts: SnapshotOptions): boolean {
    const start = performance.now();
    let n = 0;
    while (this.current < this.order.length) {
      const st = this.order[this.current];
      for (;;) {
        const next = st.iter.next();
        if (next.done === true) break;
        const [key, value] = next.value;
        if (st.written.has(key) || st.createdAfter.has(key)) continue;
        this.emit(st, key, value);
        if (++n >= opts.keysPerSlice || ((n & 63) === 0 && performance.now() - start >= opts.msPerSlice)) return false;
      }
      // Free the bookkeeping of a finished database early.
      st.written.clear();
      st.createdAfter.clear();
      this.states.delete(st.dict);
      this.current++;
    }
    this.finish();
    return true;
  }

  /** Detaches from the databases (also used to abort). */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const db of this.dbs) if (db.cow === this) db.cow = null;
    this.states.clear();
  }
}
