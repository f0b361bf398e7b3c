// The per-key access clock behind OBJECT IDLETIME and OBJECT FREQ (robj->lru and
// evict.c's LFU counter). Kept apart from database.ts: the Database calls the
// clock (through its hooks) on lookups, creations and removals.

import type { Database, Value } from './database.js';

// One small integer per key, in a Map beside the database's dict: under an LRU (or
// no-eviction) policy the second of the last access, relative to this module's load
// so it stays a V8 small integer; under an LFU policy Redis's 24 bits, minutes << 8
// | logarithmic counter. Like Redis, switching the policy reinterprets old records.
// The Map is found through the dict it describes, so SWAPDB carries it along, and
// its key strings are the dict's own (it is written when a key is added).
// A key without a record (possible only before the Database calls these hooks)
// counts as last accessed when this module loaded.

const LFU_INIT_VAL = 5;
const EPOCH_SEC = Math.floor(Date.now() / 1000);
const EPOCH_MS = EPOCH_SEC * 1000;

type Dict = Map<string, Value>;

function lruSeconds(nowMs: number): number {
  return Math.floor((nowMs - EPOCH_MS) / 1000);
}

function lfuMinutes(nowMs: number): number {
  return Math.floor(nowMs / 60000) & 65535;
}

/**
 * The access records of every database and the policy that reads them, owned by the
 * Server and reached by each Database through its hooks.
 */
export class AccessClock {
  /** maxmemory-policy is an LFU one. */
  lfu = false;
  logFactor = 10;
  decayTime = 1;
  /** Set around a lookup Redis makes with LOOKUP_NOTOUCH (TTL, EXISTS, TYPE, OBJECT ...). */
  noTouch = false;
  private readonly recordsByDict = new WeakMap<Dict, Map<string, number>>();
  // Nearly every access is to the same database: skip the WeakMap for it.
  private lastDict: Dict | null = null;
  private lastRecords: Map<string, number> | null = null;

  /** Applies maxmemory-policy, lfu-log-factor and lfu-decay-time. */
  configure(policy: string, logFactor: number, decayTime: number): void {
    this.lfu = policy.endsWith('-lfu');
    this.logFactor = logFactor;
    this.decayTime = decayTime;
  }

  private recordsOf(dict: Dict): Map<string, number> {
    if (dict === this.lastDict) return this.lastRecords as Map<string, number>;
    let r = this.recordsByDict.get(dict);
    if (r === undefined) {
      r = new Map();
      this.recordsByDict.set(dict, r);
    }
    this.lastDict = dict;
    this.lastRecords = r;
    return r;
  }

  /** LFUDecrAndReturn: the counter after decaying one step per lfu-decay-time minutes idle. */
  private lfuDecayed(rec: number, nowMs: number): number {
    const ldt = rec >>> 8;
    const counter = rec & 255;
    if (this.decayTime === 0) return counter;
    const now = lfuMinutes(nowMs);
    const elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
    const periods = Math.floor(elapsed / this.decayTime);
    return periods > counter ? 0 : counter - periods;
  }

  /** LFULogIncr: the more hits a key has, the less likely another one counts. */
  private lfuIncr(counter: number): number {
    if (counter === 255) return 255;
    const base = Math.max(0, counter - LFU_INIT_VAL);
    return Math.random() < 1 / (base * this.logFactor + 1) ? counter + 1 : counter;
  }

  /** A fresh value's record (createObject). */
  private initialRecord(nowMs: number): number {
    return this.lfu ? (lfuMinutes(nowMs) << 8) | LFU_INIT_VAL : lruSeconds(nowMs);
  }

  /** A lookup found the key (lookupKey without LOOKUP_NOTOUCH). */
  lookup(db: Database, key: string, nowMs: number): void {
    if (this.noTouch) return;
    const recs = this.recordsOf(db.dict);
    if (this.lfu) {
      const rec = recs.get(key);
      const counter = this.lfuIncr(rec === undefined ? LFU_INIT_VAL : this.lfuDecayed(rec, nowMs));
      recs.set(key, (lfuMinutes(nowMs) << 8) | counter);
    } else {
      recs.set(key, lruSeconds(nowMs));
    }
  }

  /** A new key was added (dbAdd): its value object is new. */
  add(db: Database, key: string, nowMs: number): void {
    this.recordsOf(db.dict).set(key, this.initialRecord(nowMs));
  }

  /**
   * A key's value was stored (setKey/dbOverwrite). A new object starts a fresh LRU
   * clock; under LFU dbOverwrite keeps the old counter.
   */
  set(db: Database, key: string, nowMs: number): void {
    const recs = this.recordsOf(db.dict);
    if (this.lfu && recs.has(key)) return;
    recs.set(key, this.initialRecord(nowMs));
  }

  /**
   * RESTORE's IDLETIME or FREQ (objectSetLRUOrLFU): under LFU the counter is given,
   * otherwise the last access is `idleSeconds` ago. -1 leaves what add() set.
   */
  restore(db: Database, key: string, nowMs: number, idleSeconds: number, freq: number): void {
    const recs = this.recordsOf(db.dict);
    if (this.lfu) {
      if (freq >= 0) recs.set(key, (lfuMinutes(nowMs) << 8) | freq);
    } else if (idleSeconds >= 0) {
      // Records are relative to this module's load: an access before it is negative.
      recs.set(key, lruSeconds(nowMs) - idleSeconds);
    }
  }

  /** A key was removed (deleted, expired, or moved away). */
  remove(db: Database, key: string): void {
    this.recordsByDict.get(db.dict)?.delete(key);
  }

  /** The database was emptied. */
  clear(db: Database): void {
    this.recordsByDict.get(db.dict)?.clear();
  }

  /**
   * RENAME and MOVE keep the value object, so its access record goes with it; call after
   * the destination key was added.
   */
  carry(from: Database, fromKey: string, to: Database, toKey: string): void {
    const rec = this.recordsByDict.get(from.dict)?.get(fromKey);
    if (rec === undefined) {
      this.recordsByDict.get(to.dict)?.delete(toKey);
      return;
    }
    this.recordsOf(to.dict).set(toKey, rec);
  }

  /** OBJECT IDLETIME: whole seconds since the last access (estimateObjectIdleTime / 1000). */
  idleSeconds(db: Database, key: string, nowMs: number): number {
    const rec = this.recordsByDict.get(db.dict)?.get(key) ?? 0;
    return Math.max(0, lruSeconds(nowMs) - rec);
  }

  /** OBJECT FREQ: the decayed LFU counter. */
  frequency(db: Database, key: string, nowMs: number): number {
    const rec = this.recordsByDict.get(db.dict)?.get(key) ?? (lfuMinutes(EPOCH_MS) << 8) | LFU_INIT_VAL;
    return this.lfuDecayed(rec, nowMs);
  }

  /** How many access records a database holds (tests, memory accounting). */
  recordCount(db: Database): number {
    return this.recordsByDict.get(db.dict)?.size ?? 0;
  }
}
