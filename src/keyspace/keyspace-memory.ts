// The keyspace's share of used_memory, kept current as keys change. Before a key
// changes, its cost is noted; once the change is done (settle), the difference is
// added to its database's total. So a value's figure is computed twice per write,
// never summed over the whole keyspace, and no per-key record is kept.
//
// The notes are taken where copy-before-write snapshots take theirs: by the
// Database's own mutators, and by dispatch for every key of a write command before
// its handler changes a collection in place.

import type { Database, Value } from './database.js';

/** Above this many pending notes, duplicates are found through a set, not a scan. */
const SCAN_LIMIT = 8;

export class KeyspaceMemory {
  // Parallel arrays used as a stack of `count` notes; slots are reused, never truncated.
  private readonly dbs: (Database | null)[] = [];
  private readonly keys: string[] = [];
  private readonly before: number[] = [];
  private count = 0;
  private index: Set<string> | null = null;

  /** `sizeOf`: what one key and its value cost (value-size.ts's keySize). */
  constructor(private readonly sizeOf: (key: string, v: Value) => number) {}

  /** Called before `key` of `db` changes: remembers its cost now (0 when absent). */
  noteBefore(db: Database, key: string): void {
    const n = this.count;
    if (n < SCAN_LIMIT) {
      for (let i = 0; i < n; i++) if (this.keys[i] === key && this.dbs[i] === db) return;
    } else {
      if (this.index === null) {
        this.index = new Set();
        for (let i = 0; i < n; i++) this.index.add(`${(this.dbs[i] as Database).id}\0${this.keys[i]}`);
      }
      const id = `${db.id}\0${key}`;
      if (this.index.has(id)) return;
      this.index.add(id);
    }
    const v = db.dict.get(key);
    this.dbs[n] = db;
    this.keys[n] = key;
    this.before[n] = v === undefined ? 0 : this.sizeOf(key, v);
    this.count = n + 1;
  }

  /** Adds what the noted keys' changes cost to their databases' totals. */
  settle(): void {
    const n = this.count;
    if (n === 0) return;
    for (let i = 0; i < n; i++) {
      const db = this.dbs[i] as Database;
      const key = this.keys[i];
      const v = db.dict.get(key);
      db.memBytes += (v === undefined ? 0 : this.sizeOf(key, v)) - this.before[i];
      this.dbs[i] = null;
    }
    this.count = 0;
    this.index = null;
  }

  /** Whether notes wait to be settled. */
  get pending(): boolean {
    return this.count !== 0;
  }

  /** A database's contents were replaced wholesale (load, full sync): count them anew. */
  recount(db: Database): void {
    this.settle();
    let total = 0;
    for (const [key, v] of db.dict) total += this.sizeOf(key, v);
    db.memBytes = total;
  }
}
