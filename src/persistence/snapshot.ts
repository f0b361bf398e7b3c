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

import type { Database, Value, WriteObserver } from '../keyspace/database.js';

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
  /**
   * Count keys already copied early toward keysPerSlice: a paced walk (rdb-key-save-delay)
   * then takes as long as a fork child's would, however many keys were written meanwhile.
   */
  countSkipped?: boolean;
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
    for (const db of dbs) attachObserver(db, this);
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
        if (st.written.has(key) || st.createdAfter.has(key)) {
          if (opts.countSkipped === true && ++n >= opts.keysPerSlice) return false;
          continue;
        }
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
    for (const db of this.dbs) detachObserver(db, this);
    this.states.clear();
  }
}

/** Snapshots running at once (a BGSAVE, a full sync, an AOF rewrite): each hears every write. */
class SnapshotGroup implements WriteObserver {
  constructor(readonly members: CopyOnWriteSnapshot[]) {}

  beforeWrite(db: Database, key: string): void {
    for (const m of this.members) m.beforeWrite(db, key);
  }
}

function attachObserver(db: Database, snap: CopyOnWriteSnapshot): void {
  const cur = db.cow;
  if (cur === null) db.cow = snap;
  else if (cur instanceof SnapshotGroup) cur.members.push(snap);
  else db.cow = new SnapshotGroup([cur as CopyOnWriteSnapshot, snap]);
}

function detachObserver(db: Database, snap: CopyOnWriteSnapshot): void {
  const cur = db.cow;
  if (cur === snap) db.cow = null;
  else if (cur instanceof SnapshotGroup) {
    const rest = cur.members.filter((m) => m !== snap);
    db.cow = rest.length === 1 ? rest[0] : rest.length === 0 ? null : new SnapshotGroup(rest);
  }
}

/**
 * debugDelay per key (rdb-key-save-delay, key-load-delay: microseconds, negative for
 * nanoseconds) as a pace: this many keys, then a pause of this many ms. Timers cannot
 * wait less than a millisecond, so short delays are batched. Null: no delay.
 */
export function keyDelayPace(delay: number): { keys: number; ms: number } | null {
  if (delay === 0) return null;
  const micros = delay > 0 ? delay : -delay / 1000;
  const keys = Math.max(1, Math.floor(1000 / micros));
  return { keys, ms: Math.max(1, (keys * micros) / 1000) };
}

/** Walks a whole snapshot before returning (SAVE, an empty start's AOF base), then `finish`. */
export function walkSnapshotNow(snapshot: CopyOnWriteSnapshot, finish: () => void, onError: (e: Error) => void): void {
  try {
    while (!snapshot.step({ keysPerSlice: Number.MAX_SAFE_INTEGER, msPerSlice: Number.MAX_SAFE_INTEGER }));
  } catch (e) {
    snapshot.finish();
    onError(e as Error);
    return;
  }
  finish();
}

/** Asked before each slice: true holds the walk, which `resume` (called once, later) restarts. */
export type SnapshotHold = (resume: () => void) => boolean;

/**
 * Walks a snapshot in slices between event-loop turns, paced by rdb-key-save-delay
 * when set, then calls `finish` (which reports through its own path); a step that
 * throws ends the walk with `onError`. An aborted snapshot just stops.
 */
export function driveSnapshot(
  snapshot: CopyOnWriteSnapshot,
  keySaveDelay: number,
  finish: () => void,
  onError: (e: Error) => void,
  hold?: SnapshotHold,
): void {
  const pace = keyDelayPace(keySaveDelay);
  const opts: SnapshotOptions =
    pace === null ? { keysPerSlice: 2000, msPerSlice: 4 } : { keysPerSlice: pace.keys, msPerSlice: Number.MAX_SAFE_INTEGER, countSkipped: true };
  const run = () => {
    if (snapshot.finished) return;
    // A reader that cannot keep up holds the walk (a diskless sync paced by its slowest replica).
    if (hold !== undefined && hold(run)) return;
    let done: boolean;
    try {
      done = snapshot.step(opts);
    } catch (e) {
      snapshot.finish();
      onError(e as Error);
      return;
    }
    if (done) finish();
    else if (pace === null) setImmediate(run);
    else setTimeout(run, pace.ms);
  };
  setImmediate(run);
}
