// The per-key access clock behind OBJECT IDLETIME and OBJECT FREQ (robj->lru and
// evict.c's LFU counter). Kept apart from database.ts: the Database calls the
// access* hooks below on lookups, creations and removals.

import type { Config } from '../config/config.js';
import type { Database, Value } from './database.js';

// ---------------------------------------------------------------------------
// Access clock (robj->lru)
//
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

/** Policy state read on every access; set from the config by configureKeyAccess. */
export const keyAccess = {
  lfu: false,
  logFactor: 10,
  decayTime: 1,
  /** Set around a lookup Redis makes with LOOKUP_NOTOUCH (TTL, EXISTS, TYPE, OBJECT ...). */
  noTouch: false,
};

/** Applies maxmemory-policy, lfu-log-factor and lfu-decay-time. */
export function configureKeyAccess(config: Config): void {
  keyAccess.lfu = config.str('maxmemory-policy').endsWith('-lfu');
  keyAccess.logFactor = config.num('lfu-log-factor');
  keyAccess.decayTime = config.num('lfu-decay-time');
}

type Dict = Map<string, Value>;
const recordsByDict = new WeakMap<Dict, Map<string, number>>();
// Nearly every access is to the same database: skip the WeakMap for it.
let lastDict: Dict | null = null;
let lastRecords: Map<string, number> | null = null;

function recordsOf(dict: Dict): Map<string, number> {
  if (dict === lastDict) return lastRecords as Map<string, number>;
  let r = recordsByDict.get(dict);
  if (r === undefined) {
    r = new Map();
    recordsByDict.set(dict, r);
  }
  lastDict = dict;
  lastRecords = r;
  return r;
}

function lruSeconds(nowMs: number): number {
  return Math.floor((nowMs - EPOCH_MS) / 1000);
}

function lfuMinutes(nowMs: number): number {
  return Math.floor(nowMs / 60000) & 65535;
}

/** LFUDecrAndReturn: the counter after decaying one step per lfu-decay-time minutes idle. */
function lfuDecayed(rec: number, nowMs: number): number {
  const ldt = rec >>> 8;
  const counter = rec & 255;
  if (keyAccess.decayTime === 0) return counter;
  const now = lfuMinutes(nowMs);
  const elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
  const periods = Math.floor(elapsed / keyAccess.decayTime);
  return periods > counter ? 0 : counter - periods;
}

/** LFULogIncr: the more hits a key has, the less likely another one counts. */
function lfuIncr(counter: number): number {
  if (counter === 255) return 255;
  const base = Math.max(0, counter - LFU_INIT_VAL);
  return Math.random() < 1 / (base * keyAccess.logFactor + 1) ? counter + 1 : counter;
}

/** A fresh value's record (createObject). */
function initialRecord(nowMs: number): number {
  return keyAccess.lfu ? (lfuMinutes(nowMs) << 8) | LFU_INIT_VAL : lruSeconds(nowMs);
}

/** Hook: a lookup found the key (lookupKey without LOOKUP_NOTOUCH). */
export function accessLookup(db: Database, key: string, nowMs: number): void {
  if (keyAccess.noTouch) return;
  const recs = recordsOf(db.dict);
  if (keyAccess.lfu) {
    const rec = recs.get(key);
    const counter = lfuIncr(rec === undefined ? LFU_INIT_VAL : lfuDecayed(rec, nowMs));
    recs.set(key, (lfuMinutes(nowMs) << 8) | counter);
  } else {
    recs.set(key, lruSeconds(nowMs));
  }
}

/** Hook: a new key was added (dbAdd): its value object is new. */
export function accessAdd(db: Database, key: string, nowMs: number): void {
  recordsOf(db.dict).set(key, initialRecord(nowMs));
}

/**
 * Hook: a key's value was stored (setKey/dbOverwrite). A new object starts a fresh LRU
 * clock; under LFU dbOverwrite keeps the old counter.
 */
export function accessSet(db: Database, key: string, nowMs: number): void {
  const recs = recordsOf(db.dict);
  if (keyAccess.lfu && recs.has(key)) return;
  recs.set(key, initialRecord(nowMs));
}

/** Hook: a key was removed (deleted, expired, or moved away). */
export function accessRemove(db: Database, key: string): void {
  const recs = recordsByDict.get(db.dict);
  if (recs !== undefined) recs.delete(key);
}

/** Hook: the database was emptied. */
export function accessClear(db: Database): void {
  const recs = recordsByDict.get(db.dict);
  if (recs !== undefined) recs.clear();
}

/**
 * RENAME and MOVE keep the value object, so its access record goes with it; call after
 * the destination key was added.
 */
export function carryAccess(from: Database, fromKey: string, to: Database, toKey: string): void {
  const src = recordsByDict.get(from.dict);
  const rec = src?.get(fromKey);
  if (rec === undefined) {
    recordsByDict.get(to.dict)?.delete(toKey);
    return;
  }
  recordsOf(to.dict).set(toKey, rec);
}

/** OBJECT IDLETIME: whole seconds since the last access (estimateObjectIdleTime / 1000). */
export function idleSeconds(db: Database, key: string, nowMs: number): number {
  const rec = recordsByDict.get(db.dict)?.get(key) ?? 0;
  return Math.max(0, lruSeconds(nowMs) - rec);
}

/** OBJECT FREQ: the decayed LFU counter. */
export function accessFrequency(db: Database, key: string, nowMs: number): number {
  const rec = recordsByDict.get(db.dict)?.get(key) ?? (lfuMinutes(EPOCH_MS) << 8) | LFU_INIT_VAL;
  return lfuDecayed(rec, nowMs);
}

/** How many access records a database holds (tests, memory accounting). */
export function accessRecordCount(db: Database): number {
  return recordsByDict.get(db.dict)?.size ?? 0;
}
