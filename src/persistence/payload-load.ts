// One RDB image read into fresh maps and swapped into the databases at once
// (rdbLoad's key loop, without the swap happening key by key): from a complete
// buffer, or streamed as it arrives (a diskless full sync read from the socket),
// resumable in slices so clients are served meanwhile.

import type { Database, Value } from '../keyspace/database.js';
import type { NodeLimits } from '../keyspace/types/stream.js';
import type { Persistence } from './persistence.js';
import { RdbReader, NEED_MORE, type RdbKey, type RdbLoadInfo } from './rdb/reader.js';
import { toKeyspaceValue } from './values.js';

export type LoadMode = 'replace' | 'merge' | 'no-duplicates';

/** How often a long load logs how far it got. */
export const LOAD_PROGRESS_LOG_MS = 5000;

/** One RDB image being read into fresh maps, resumable in slices, swapped in by commit(). */
export class PayloadLoad {
  private readonly reader: RdbReader;
  private readonly streamLimits: NodeLimits;
  private readonly fresh: { dict: Map<string, Value>; expires: Map<string, number> }[];
  private readonly now = Date.now();
  private loaded = 0;
  private expired = 0;
  private announced = false;
  /** Keys dropped as expired, when the caller must propagate their deletion (a master reloading its history). */
  expiredKeys: { db: number; key: string }[] | null = null;
  /** What each database's loaded keys cost (used_memory), counted as they are read ('replace' mode). */
  private readonly bytes: number[];
  private readonly keyCost: (key: string, v: Value) => number;

  constructor(
    private readonly persistence: Persistence,
    buf: Buffer,
    private readonly dbs: readonly Database[],
    private readonly dropExpired: boolean,
    private readonly log: (msg: string) => void,
    private readonly mode: LoadMode,
    /** Streamed: the image arrives through feed() and ends with end(). */
    streamed = false,
  ) {
    this.reader = new RdbReader({
      ...persistence.limits(),
      maxDbs: dbs.length,
      log: (level, msg) => (level === 'warning' ? persistence.logWarning(msg) : persistence.logVerbose(msg)),
    });
    this.streamLimits = persistence.streamNodeLimits();
    this.bytes = dbs.map(() => 0);
    this.keyCost = persistence.keyCost;
    this.fedBytes = buf.length;
    this.reader.feed(buf);
    if (!streamed) this.reader.end();
    // Merging modes start from copies of the current data (DEBUG RELOAD NOFLUSH).
    this.fresh = dbs.map((db) =>
      mode === 'replace' ? { dict: new Map<string, Value>(), expires: new Map<string, number>() } : { dict: new Map(db.dict), expires: new Map(db.expires) },
    );
  }

  private fedBytes = 0;

  /** More of a streamed image. */
  feed(chunk: Buffer): void {
    this.fedBytes += chunk.length;
    this.reader.feed(chunk);
  }

  /** A streamed image is complete. */
  end(): void {
    this.reader.end();
  }

  /** Bytes fed but not parsed yet. */
  get unparsedBytes(): number {
    return this.fedBytes - this.reader.consumedBytes;
  }

  /** Bytes of the image parsed so far, and keys taken. */
  get loadedBytes(): number {
    return this.reader.consumedBytes;
  }

  get keysLoaded(): number {
    return this.loaded;
  }

  /** Reads keys for up to `budgetMs` (and at most `maxKeys`); true once the whole image is read. */
  step(budgetMs: number, maxKeys = Number.MAX_SAFE_INTEGER): boolean {
    const r = this.stepStreamed(budgetMs, maxKeys);
    if (r === 'starved') throw new Error('Short read loading the RDB');
    return r === 'done';
  }

  /** The same for a streamed image: 'starved' when it needs bytes not fed yet. */
  stepStreamed(budgetMs: number, maxKeys = Number.MAX_SAFE_INTEGER): 'done' | 'more' | 'starved' {
    const start = performance.now();
    const reader = this.reader;
    for (let n = 1; ; n++) {
      const k: RdbKey | typeof NEED_MORE | null = reader.next();
      if (k === null) return 'done';
      if (k === NEED_MORE) return 'starved';
      if (!this.announced) {
        this.announced = true;
        const ver = reader.info.aux.get('redis-ver');
        if (ver !== undefined) this.log(`Loading RDB produced by version ${ver}`);
        const ctime = reader.info.aux.get('ctime');
        if (ctime !== undefined) this.log(`RDB age ${Math.max(0, Math.floor(this.now / 1000) - Number(ctime))} seconds`);
      }
      if (this.dropExpired && k.expireMs !== -1 && k.expireMs < this.now) {
        this.expired++;
        this.expiredKeys?.push({ db: k.db, key: k.key });
      } else {
        const target = this.fresh[k.db];
        if (this.mode === 'no-duplicates' && target.dict.has(k.key)) throw new Error(`Duplicate key '${k.key}' found in RDB file`);
        const value = toKeyspaceValue(k.value, this.streamLimits);
        target.dict.set(k.key, value);
        if (this.mode === 'replace') this.bytes[k.db] += this.keyCost(k.key, value);
        if (k.expireMs !== -1) target.expires.set(k.key, k.expireMs);
        this.loaded++;
      }
      if (n >= maxKeys || ((n & 255) === 0 && performance.now() - start >= budgetMs)) return 'more';
    }
  }

  /** Swaps the loaded data in, all databases at once. */
  commit(): RdbLoadInfo {
    this.persistence.applyFunctions(this.reader.info.functions, this.mode);
    for (let i = 0; i < this.dbs.length; i++) {
      // Merged loads may overwrite keys: those databases are counted over.
      this.dbs[i].replaceContents(this.fresh[i].dict, this.fresh[i].expires, this.mode === 'replace' ? this.bytes[i] : -1);
    }
    this.persistence.recordLoad(this.loaded, this.expired);
    return this.reader.info;
  }
}
