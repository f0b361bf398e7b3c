// maxmemory eviction (evict.c's performEvictions). Before each command, and from a
// timer while a cycle ran out of time, keys are removed by maxmemory-policy until
// used memory (less replicas' output buffers) is back under maxmemory. LRU, LFU and
// TTL policies sample maxmemory-samples keys per database into a pool of the best
// candidates; the random policies take any key, database by database in turn.

import type { Database } from '../keyspace/database.js';
import { pickKey } from '../keyspace/random-key.js';
import { freedInBackground } from '../keyspace/lazyfree.js';
import { Notify, notifyKeyspaceEvent } from './keyspace-events.js';
import { clientTotalMemory, memoryForEviction } from './memory.js';
import type { Server } from './server.js';
import { clientInfoBrief, type Client } from './client.js';

export const EvictResult = {
  /** Under the limit (or eviction does not apply now). */
  ok: 0,
  /** Over the limit, this cycle ran out of time: a timer goes on evicting. */
  running: 1,
  /** Over the limit and nothing more can be evicted. */
  fail: 2,
} as const;
export type EvictResult = (typeof EvictResult)[keyof typeof EvictResult];

/** EVPOOL_SIZE */
const POOL_SIZE = 16;

interface Candidate {
  /** Higher is a better candidate: idle seconds, 255 - frequency, or time left inverted. */
  score: number;
  db: Database;
  key: string;
}

type Kind = 'lru' | 'lfu' | 'ttl' | 'random' | 'none';

function policyKind(policy: string): { kind: Kind; volatile: boolean } {
  if (policy === 'noeviction') return { kind: 'none', volatile: false };
  const volatile = policy.startsWith('volatile-');
  const kind = policy.slice(policy.indexOf('-') + 1) as Kind;
  return { kind, volatile };
}

/** Whether small integers are shared objects now (not with a limit under an LRU or LFU policy: MAXMEMORY_FLAG_NO_SHARED_INTEGERS). */
export function sharesIntegers(server: Server): boolean {
  if (server.maxmemory === 0) return true;
  const { kind } = policyKind(server.config.str('maxmemory-policy'));
  return kind !== 'lru' && kind !== 'lfu';
}

/** evictionTimeLimitUs: how long one cycle may run, by maxmemory-eviction-tenacity. */
function timeLimitMs(tenacity: number): number {
  if (tenacity <= 10) return (50 * tenacity) / 1000;
  if (tenacity < 100) return (500 * 1.15 ** (tenacity - 10)) / 1000;
  return Infinity;
}

/** The eviction state of one server: the candidate pool, the random round-robin and the timer. */
export class Evictor {
  private readonly pool: Candidate[] = [];
  private nextDb = 0;
  private timer: NodeJS.Immediate | null = null;
  /** When the limit was first found exceeded in the current episode (ms), or 0. */
  private exceededSince = 0;
  /** total_eviction_exceeded_time, in ms. */
  totalExceededMs = 0;

  constructor(private readonly server: Server) {}

  /** current_eviction_exceeded_time, in ms. */
  currentExceededMs(): number {
    return this.exceededSince === 0 ? 0 : Date.now() - this.exceededSince;
  }

  /** Whether eviction applies now (a limit is set, and this server is not a replica ignoring it, paused, or in a busy script). */
  private applies(): boolean {
    const s = this.server;
    if (s.maxmemory === 0) return false;
    if (s.replication.isReplica && s.config.bool('replica-ignore-maxmemory')) return false;
    // While clients are paused the dataset must stand still.
    if (s.pausedFor !== null) return false;
    return !s.scriptBusy();
  }

  /** performEvictions */
  perform(): EvictResult {
    if (!this.applies()) {
      this.episodeEnded();
      return EvictResult.ok;
    }
    const s = this.server;
    const limit = s.maxmemory;
    if (memoryForEviction(s) <= limit) {
      this.episodeEnded();
      return EvictResult.ok;
    }
    if (this.exceededSince === 0) this.exceededSince = Date.now();
    const { kind, volatile } = policyKind(s.config.str('maxmemory-policy'));
    if (kind === 'none') return EvictResult.fail;
    const deadline = performance.now() + timeLimitMs(s.config.num('maxmemory-eviction-tenacity'));
    const cycleStart = performance.now();
    const prevClient = s.currentClient;
    // Evictions are the server's own changes, not the current client's (tracking NOLOOP).
    s.currentClient = null;
    let result: EvictResult = EvictResult.ok;
    try {
      for (let n = 1; memoryForEviction(s) > limit; n++) {
        const picked = kind === 'random' ? this.pickRandom(volatile) : this.pickBest(kind, volatile);
        if (picked === null) {
          result = EvictResult.fail;
          break;
        }
        this.evictKey(picked.db, picked.key);
        if (n % 16 === 0 && performance.now() > deadline) {
          if (memoryForEviction(s) > limit) {
            result = EvictResult.running;
            this.startTimer();
          }
          break;
        }
      }
    } finally {
      s.currentClient = prevClient;
      // Each eviction travels as a bare DEL, never inside the next command's MULTI/EXEC.
      s.replication.flushPending(true);
    }
    const cycleMs = performance.now() - cycleStart;
    if (s.latencyThresholdMs > 0 && cycleMs >= s.latencyThresholdMs) s.latency.add('eviction-cycle', cycleMs);
    if (result === EvictResult.ok) this.episodeEnded();
    return result;
  }

  private episodeEnded(): void {
    if (this.exceededSince !== 0) {
      this.totalExceededMs += Date.now() - this.exceededSince;
      this.exceededSince = 0;
    }
  }

  /** startEvictionTimeProc: go on evicting between event-loop turns. */
  startTimer(): void {
    if (this.timer !== null) return;
    this.timer = setImmediate(() => {
      this.timer = null;
      if (this.perform() === EvictResult.running) this.startTimer();
    });
  }

  stop(): void {
    if (this.timer !== null) clearImmediate(this.timer);
    this.timer = null;
  }

  private pickRandom(volatile: boolean): Candidate | null {
    const dbs = this.server.dbs;
    for (let i = 0; i < dbs.length; i++) {
      const db = dbs[this.nextDb];
      this.nextDb = (this.nextDb + 1) % dbs.length;
      const map = volatile ? db.expires : db.dict;
      if (map.size > 0) return { score: 0, db, key: pickKey(map) };
    }
    return null;
  }

  /** evictionPoolPopulate over every database, then the best candidate that still exists. */
  private pickBest(kind: Kind, volatile: boolean): Candidate | null {
    const s = this.server;
    const samples = s.config.num('maxmemory-samples');
    for (;;) {
      let keys = 0;
      for (const db of s.dbs) {
        const map = volatile ? db.expires : db.dict;
        if (map.size === 0) continue;
        keys += map.size;
        this.populate(db, map, kind, samples);
      }
      if (keys === 0) return null;
      // Best first: the pool is kept in ascending score order.
      while (this.pool.length > 0) {
        const c = this.pool.pop() as Candidate;
        const exists = volatile ? c.db.expires.has(c.key) : c.db.dict.has(c.key);
        if (exists) return c;
      }
    }
  }

  private populate(db: Database, map: Map<string, unknown>, kind: Kind, samples: number): void {
    const s = this.server;
    const access = s.hooks.access;
    const now = s.hooks.now;
    const pool = this.pool;
    for (let i = 0; i < samples && i < map.size; i++) {
      const key = pickKey(map);
      let score: number;
      if (kind === 'lru') score = access.idleSeconds(db, key, now);
      else if (kind === 'lfu') score = 255 - access.frequency(db, key, now);
      else score = Number.MAX_SAFE_INTEGER - (db.expires.get(key) ?? Number.MAX_SAFE_INTEGER);
      if (pool.length === POOL_SIZE && score <= pool[0].score) continue;
      if (pool.some((c) => c.db === db && c.key === key)) continue;
      let at = pool.length;
      while (at > 0 && pool[at - 1].score > score) at--;
      pool.splice(at, 0, { score, db, key });
      if (pool.length > POOL_SIZE) pool.shift();
    }
  }

  /** Removes one key as eviction does: DEL (or UNLINK) propagated, evicted event, statistic. */
  private evictKey(db: Database, key: string): void {
    const s = this.server;
    const t0 = performance.now();
    const lazy = s.config.bool('lazyfree-lazy-eviction');
    const v = lazy ? db.dict.get(key) : undefined;
    if (v !== undefined && freedInBackground(v, s.config)) s.stats.lazyfreedObjects++;
    db.delete(key);
    const ms = performance.now() - t0;
    if (s.latencyThresholdMs > 0 && ms >= s.latencyThresholdMs) s.latency.add('eviction-del', ms);
    s.stats.evictedKeys++;
    notifyKeyspaceEvent(s, Notify.evicted, 'evicted', key, db.id);
    s.replication.propagate(db.id, [lazy ? 'UNLINK' : 'DEL', key]);
  }
}

/** maxmemory-clients in bytes (a percentage is of maxmemory), or 0 when client eviction is off. */
function clientsLimit(server: Server): number {
  const v = server.config.num('maxmemory-clients');
  if (v >= 0) return v;
  return Math.floor((server.maxmemory * -v) / 100);
}

/** clientEvictionAllowed: normal and pub/sub connections that did not ask for CLIENT NO-EVICT. */
function evictable(c: Client): boolean {
  return c.socket !== null && !c.noEvict && !c.closed && !c.isMaster && !c.isReplica;
}

/**
 * evictClients: while the evictable clients together hold maxmemory-clients or more,
 * the one holding most is disconnected.
 */
export function evictClients(server: Server): void {
  const limit = clientsLimit(server);
  if (limit === 0) return;
  for (;;) {
    let total = 0;
    let biggest: Client | null = null;
    let biggestMem = -1;
    for (const c of server.clients.values()) {
      if (!evictable(c)) continue;
      const mem = clientTotalMemory(c);
      total += mem;
      if (mem > biggestMem) {
        biggest = c;
        biggestMem = mem;
      }
    }
    if (total < limit || biggest === null) return;
    server.log.verbose(`Evicting client: ${clientInfoBrief(biggest)}`);
    server.stats.evictedClients++;
    biggest.dropOutput();
    server.closeClient(biggest, true);
  }
}
