// One numbered database: keys to values plus keys to absolute expiry times (db.c).
// Keys are latin1 strings (one char per byte, binary-safe). String values are
// latin1 strings too; other types are objects tagged with their type.
// Knows nothing of clients: expiry and modification effects go through KeyspaceHooks.

import type { AccessClock } from './access-clock.js';
import type { KeyspaceMemory } from './keyspace-memory.js';

export type CollectionType = 'list' | 'set' | 'zset' | 'hash' | 'stream';
export type ValueType = 'string' | CollectionType;

/** A value of a type other than string. Concrete classes live beside this file. */
export interface CollectionValue {
  readonly type: CollectionType;
}

export type Value = string | CollectionValue;

export function typeOf(v: Value): ValueType {
  return typeof v === 'string' ? 'string' : v.type;
}

/** Something that wants to know when a key changes (a client WATCHing it). */
export interface KeyWatcher {
  /** signalModifiedKey on `key` of `db` (written, deleted, or expired). */
  keyTouched(db: Database, key: string): void;
  /** FLUSHDB/SWAPDB emptied `db`; `replacedWith` holds the keys it has now (SWAPDB), or null. */
  keyFlushed(db: Database, key: string, replacedWith: Database | null): void;
}

/** What the keyspace needs from the server: time, role, and where expiry effects go. */
export interface KeyspaceHooks {
  /** The current command's time in ms: one clock reading per command, as Redis. */
  now: number;
  /** Master (or no replication): expired keys are deleted. On a replica they are only hidden. */
  expireEnabled: boolean;
  /** The master link is executing: nothing counts as expired. */
  fromMaster: boolean;
  /** An expired key was deleted: propagate a DEL, count the statistic. */
  keyExpired(db: Database, key: string): void;
  keyspaceHits: number;
  keyspaceMisses: number;
  /** A key was created: clients blocked on it may be served (signalKeyAsReady). */
  keyCreated(db: Database, key: string): void;
  /** A read lookup found nothing (keymiss events). */
  keyMissed(db: Database, key: string): void;
  /** CLIENT PAUSE is in force: expired keys read as missing but are not deleted. */
  expirePaused: boolean;
  /** Some client tracks keys (client-side caching): changes must be reported. */
  trackingActive: boolean;
  /** signalModifiedKey's tracking part: `key` changed. */
  keyModified(db: Database, key: string): void;
  /** A database was emptied (FLUSHDB, FLUSHALL). */
  dbFlushed(db: Database): void;
  /** Per-key access records (OBJECT IDLETIME / FREQ), owned by the server. */
  readonly access: AccessClock;
  /** A replica that accepts writes from its clients (replica-read-only no). */
  readonly writableReplica: boolean;
  /** A client of a writable replica gave `key` a TTL: the replica must expire it itself. */
  replicaKeyWithExpire(db: Database, key: string): void;
  /** The keyspace's share of used_memory, told before each key changes. */
  readonly memory: KeyspaceMemory;
}

/** Told before a key changes while a point-in-time snapshot is being taken. */
export interface WriteObserver {
  beforeWrite(db: Database, key: string): void;
}

export class Database {
  dict = new Map<string, Value>();
  expires = new Map<string, number>();
  /** Clients watching each key (multi.c's watched_keys). */
  readonly watched = new Map<string, Set<KeyWatcher>>();
  /** Active expiry walks the expires map from where it stopped last time. */
  expireCursor: Iterator<[string, number]> | null = null;
  avgTtl = 0;
  /** The running snapshot, if any (copy-before-write). */
  cow: WriteObserver | null = null;
  /** What this database's keys and values cost (used_memory), kept by the hooks' KeyspaceMemory. */
  memBytes = 0;
  /**
   * Keys whose string was built in place (APPEND, SETRANGE, SETBIT, BITFIELD, BITOP):
   * OBJECT ENCODING says "raw" for them whatever the bytes, as Redis does.
   */
  readonly rawStrings = new Set<string>();

  constructor(
    readonly id: number,
    private readonly hooks: KeyspaceHooks,
  ) {}

  get size(): number {
    return this.dict.size;
  }

  /** True when the key exists but its time has passed (whether or not it was removed yet). */
  isExpired(key: string): boolean {
    const when = this.expires.get(key);
    return when !== undefined && when <= this.hooks.now && !this.hooks.fromMaster;
  }

  /**
   * expireIfNeeded: deletes the key when its time passed (master), or reports it
   * as gone (replica). Returns true when the key must be treated as missing.
   */
  expireIfNeeded(key: string, forceDelete = false): boolean {
    if (this.expires.size === 0) return false;
    const when = this.expires.get(key);
    if (when === undefined || when > this.hooks.now) return false;
    if (this.hooks.fromMaster) return false;
    // A replica waits for its master's DEL, except that a write on a writable replica
    // replaces the expired key (LOOKUP_WRITE); during CLIENT PAUSE nothing is deleted.
    if ((!this.hooks.expireEnabled && !(forceDelete && this.hooks.writableReplica)) || this.hooks.expirePaused) return true;
    this.removeKey(key);
    this.hooks.keyExpired(this, key);
    this.touch(key);
    return true;
  }

  /** lookupKeyRead: counts a keyspace hit or miss. */
  getRead(key: string): Value | undefined {
    if (this.expires.size !== 0 && this.expireIfNeeded(key)) {
      this.hooks.keyspaceMisses++;
      this.hooks.keyMissed(this, key);
      return undefined;
    }
    const v = this.dict.get(key);
    if (v === undefined) {
      this.hooks.keyspaceMisses++;
      this.hooks.keyMissed(this, key);
    } else {
      this.hooks.keyspaceHits++;
      this.hooks.access.lookup(this, key, this.hooks.now);
    }
    return v;
  }

  /** lookupKeyRead with LOOKUP_NOTOUCH: counts the hit or miss, leaves the access clock. */
  getReadNoTouch(key: string): Value | undefined {
    const clock = this.hooks.access;
    clock.noTouch = true;
    const v = this.getRead(key);
    clock.noTouch = false;
    return v;
  }

  /** lookupKeyWrite: no statistics; an expired key is deleted even on a replica (a writable one). */
  get(key: string): Value | undefined {
    if (this.expires.size !== 0 && this.expireIfNeeded(key, true)) return undefined;
    const v = this.dict.get(key);
    if (v !== undefined) this.hooks.access.lookup(this, key, this.hooks.now);
    return v;
  }

  /** EXISTS without touching hit/miss counters (a read: a replica only hides expired keys). */
  has(key: string): boolean {
    if (this.expires.size !== 0 && this.expireIfNeeded(key)) return false;
    if (!this.dict.has(key)) return false;
    this.hooks.access.lookup(this, key, this.hooks.now);
    return true;
  }

  /**
   * Before `key`'s value changes (replaced, removed, or changed in place): a running
   * snapshot copies it first, and the memory accounting notes its cost.
   */
  beforeWrite(key: string): void {
    if (this.cow !== null) this.cow.beforeWrite(this, key);
    this.hooks.memory.noteBefore(this, key);
  }

  /** Stores a value; drops any TTL unless keepTtl. Signals watchers. */
  set(key: string, value: Value, keepTtl = false): void {
    this.beforeWrite(key);
    if (this.rawStrings.size !== 0) this.rawStrings.delete(key);
    const size = this.dict.size;
    this.dict.set(key, value);
    this.hooks.access.set(this, key, this.hooks.now);
    if (!keepTtl && this.expires.size !== 0) this.expires.delete(key);
    this.touch(key);
    // setKey's dbAdd branch: the key is new.
    if (this.dict.size !== size) this.hooks.keyCreated(this, key);
  }

  /** Stores a string built in place (its encoding is "raw" from now on). */
  setBuiltInPlace(key: string, value: string, keepTtl = true): void {
    this.set(key, value, keepTtl);
    this.rawStrings.add(key);
  }

  /** Adds a key known not to exist (dbAdd); wakes clients blocked on it. */
  add(key: string, value: Value): void {
    this.beforeWrite(key);
    this.dict.set(key, value);
    this.hooks.access.add(this, key, this.hooks.now);
    this.touch(key);
    this.hooks.keyCreated(this, key);
  }

  /** Deletes a key and its TTL; returns whether it existed. Signals watchers. */
  delete(key: string): boolean {
    if (!this.dict.has(key)) return false;
    this.removeKey(key);
    this.touch(key);
    return true;
  }

  private removeKey(key: string): void {
    this.beforeWrite(key);
    if (this.rawStrings.size !== 0) this.rawStrings.delete(key);
    this.dict.delete(key);
    this.hooks.access.remove(this, key);
    if (this.expires.size !== 0) this.expires.delete(key);
  }

  /** Absolute expiry time in ms, or -1. */
  getExpire(key: string): number {
    return this.expires.get(key) ?? -1;
  }

  setExpire(key: string, whenMs: number): void {
    if (this.cow !== null) this.cow.beforeWrite(this, key);
    this.expires.set(key, whenMs);
    // A writable replica's own keys with a TTL: it expires them itself (rememberSlaveKeyWithExpire).
    if (!this.hooks.expireEnabled && !this.hooks.fromMaster) this.hooks.replicaKeyWithExpire(this, key);
  }

  removeExpire(key: string): boolean {
    if (this.cow !== null && this.expires.has(key)) this.cow.beforeWrite(this, key);
    return this.expires.delete(key);
  }

  /** signalModifiedKey: a value changed in place, or was replaced. */
  touch(key: string): void {
    if (this.hooks.trackingActive) this.hooks.keyModified(this, key);
    if (this.watched.size === 0) return;
    const set = this.watched.get(key);
    if (set === undefined) return;
    for (const w of set) w.keyTouched(this, key);
  }

  /**
   * touchAllWatchedKeysInDb: FLUSHDB/SWAPDB tell every watcher of a key that exists
   * here or in `replacedWith` (the db whose keys this one takes).
   */
  touchAllWatched(replacedWith: Database | null = null): void {
    for (const [key, set] of this.watched) {
      if (this.dict.has(key) || (replacedWith !== null && replacedWith.dict.has(key))) {
        for (const w of set) w.keyFlushed(this, key, replacedWith);
      }
    }
  }

  /** Removes every key; returns how many there were. */
  clear(): number {
    const n = this.dict.size;
    this.touchAllWatched();
    if (this.hooks.trackingActive) this.hooks.dbFlushed(this);
    this.hooks.access.clear(this);
    this.hooks.memory.settle();
    this.memBytes = 0;
    this.rawStrings.clear();
    if (this.cow !== null) {
      // A running snapshot still walks the old maps.
      this.dict = new Map();
      this.expires = new Map();
    } else {
      this.dict.clear();
      this.expires.clear();
    }
    this.expireCursor = null;
    this.avgTtl = 0;
    return n;
  }

  /**
   * Takes freshly loaded maps in place of the current ones (RDB load, full sync).
   * `memBytes`: what the new keys cost, when the loader counted it; otherwise it is counted here.
   */
  replaceContents(dict: Map<string, Value>, expires: Map<string, number>, memBytes = -1): void {
    for (const [key, set] of this.watched) {
      if (this.dict.has(key) || dict.has(key)) for (const w of set) w.keyTouched(this, key);
    }
    this.hooks.access.clear(this);
    this.hooks.memory.settle();
    this.rawStrings.clear();
    this.dict = dict;
    this.expires = expires;
    if (memBytes >= 0) this.memBytes = memBytes;
    else this.hooks.memory.recount(this);
    this.expireCursor = null;
    this.avgTtl = 0;
  }

  /** Exchanges contents with another database (SWAPDB). */
  swapWith(other: Database): void {
    this.touchAllWatched(other);
    other.touchAllWatched(this);
    this.hooks.memory.settle();
    const mem = this.memBytes;
    this.memBytes = other.memBytes;
    other.memBytes = mem;
    const dict = this.dict;
    this.dict = other.dict;
    other.dict = dict;
    const expires = this.expires;
    this.expires = other.expires;
    other.expires = expires;
    const raw = [...this.rawStrings];
    this.rawStrings.clear();
    for (const k of other.rawStrings) this.rawStrings.add(k);
    other.rawStrings.clear();
    for (const k of raw) other.rawStrings.add(k);
    this.expireCursor = null;
    other.expireCursor = null;
    const t = this.avgTtl;
    this.avgTtl = other.avgTtl;
    other.avgTtl = t;
  }
}
