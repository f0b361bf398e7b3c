// The active expiry cycle (expire.c's activeExpireCycle, slow mode): each tick
// samples keys with a TTL in every database and deletes those whose time passed,
// repeating while many sampled keys were stale, within a CPU time budget.
// Sampling walks each expires map round-robin from where the last cycle stopped,
// so every key with a TTL is visited within a bounded number of cycles.

import type { Database } from './database.js';

const KEYS_PER_LOOP = 20;
const SLOW_TIME_PERC = 25;
const ACCEPTABLE_STALE = 10;

export interface ExpireCycleResult {
  expired: number;
  sampled: number;
  timeCapReached: boolean;
}

/**
 * Runs one slow cycle over `dbs`. `deleteExpired` removes one key and propagates its
 * deletion. `effort` is active-expire-effort (1-10).
 */
export function activeExpireCycle(
  dbs: readonly Database[],
  now: number,
  hz: number,
  effort: number,
  deleteExpired: (db: Database, key: string) => void,
): ExpireCycleResult {
  const e = effort - 1;
  const keysPerLoop = KEYS_PER_LOOP + (KEYS_PER_LOOP / 4) * e;
  const timeLimitMs = (SLOW_TIME_PERC + 2 * e) * 10 / Math.max(1, hz);
  const acceptableStale = ACCEPTABLE_STALE - e;
  const start = performance.now();
  const result: ExpireCycleResult = { expired: 0, sampled: 0, timeCapReached: false };
  for (const db of dbs) {
    if (db.expires.size === 0) {
      db.expireCursor = null;
      continue;
    }
    let iterations = 0;
    for (;;) {
      let sampled = 0;
      let expired = 0;
      let ttlSum = 0;
      let ttlSamples = 0;
      const limit = Math.min(keysPerLoop, db.expires.size);
      while (sampled < limit) {
        if (db.expireCursor === null) db.expireCursor = db.expires.entries();
        const next = db.expireCursor.next();
        if (next.done === true) {
          db.expireCursor = null;
          break;
        }
        sampled++;
        const [key, when] = next.value;
        if (when <= now) {
          deleteExpired(db, key);
          expired++;
        } else {
          ttlSum += when - now;
          ttlSamples++;
        }
      }
      result.sampled += sampled;
      result.expired += expired;
      if (ttlSamples > 0) {
        const avg = ttlSum / ttlSamples;
        db.avgTtl = db.avgTtl === 0 ? avg : (db.avgTtl / 50) * 49 + avg / 50;
      }
      if ((++iterations & 15) === 0 && performance.now() - start > timeLimitMs) {
        result.timeCapReached = true;
        return result;
      }
      if (sampled === 0 || (expired * 100) / sampled <= acceptableStale) break;
    }
  }
  return result;
}

/**
 * Keys a writable replica's own clients gave a TTL (slaveKeysWithExpire): the master
 * never sends their DEL, so the replica expires them itself (expireSlaveKeys).
 */
export class ReplicaExpires {
  private readonly keys = new Map<Database, Set<string>>();

  remember(db: Database, key: string): void {
    let set = this.keys.get(db);
    if (set === undefined) this.keys.set(db, (set = new Set()));
    set.add(key);
  }

  /** flushSlaveKeysWithExpires: a full sync or a promotion forgets them. */
  clear(): void {
    this.keys.clear();
  }

  get size(): number {
    let n = 0;
    for (const set of this.keys.values()) n += set.size;
    return n;
  }

  /** Deletes the remembered keys whose time passed; forgets those gone or without a TTL. */
  expire(now: number, deleteExpired: (db: Database, key: string) => void): void {
    for (const [db, set] of this.keys) {
      for (const key of set) {
        const when = db.expires.get(key);
        if (when === undefined) set.delete(key);
        else if (when <= now) {
          set.delete(key);
          deleteExpired(db, key);
        }
      }
      if (set.size === 0) this.keys.delete(db);
    }
  }
}
