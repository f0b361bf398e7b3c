// RDB persistence (rdb.c's rdbSave / rdbSaveBackground / rdbLoad and serverCron's
// save points): SAVE, BGSAVE without fork (a copy-before-write snapshot written in
// slices between event-loop turns), loading at start, and the RDB image a full
// replication sync sends. Files are written to a temp file, fsynced and renamed,
// so a crash never leaves a half-written dump.

import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import type { Server } from '../server/server.js';
import type { SavePoint } from '../config/types.js';
import type { Database, Value } from '../keyspace/database.js';
import { CopyOnWriteSnapshot, driveSnapshot, keyDelayPace, walkSnapshotNow, type SnapshotHold } from './snapshot.js';
import { RdbWriter, type RdbSink, type WritableValue } from './rdb/writer.js';
import type { RdbLoadInfo } from './rdb/reader.js';
import { LOAD_PROGRESS_LOG_MS, PayloadLoad, type LoadMode } from './payload-load.js';
import type { EncodingLimits } from './rdb/constants.js';
import { VERSION } from '../version.js';
import { Errors } from '../protocol/errors.js';
import type { NodeLimits } from '../keyspace/types/stream.js';

/** Retry a failed automatic BGSAVE only after this long (CONFIG_BGSAVE_RETRY_DELAY). */
const BGSAVE_RETRY_DELAY_S = 5;

export type SaveStatus = 'ok' | 'err';

interface BgJob {
  snapshot: CopyOnWriteSnapshot;
  /** Changes counted when the snapshot started: subtracted from dirty on success. */
  dirtyAtStart: number;
  startedMs: number;
  /** Called when done (BGSAVE for replication, DEBUG RELOAD, SHUTDOWN waiting). */
  waiters: ((err: Error | null) => void)[];
  /** Stops the save where it is, leaving no file (killRDBChild). */
  abort: () => void;
}

export class Persistence {
  lastSaveTime = Math.floor(Date.now() / 1000);
  lastBgsaveStatus: SaveStatus = 'ok';
  /** The full-sync payload being loaded, for INFO's loading_* fields. */
  currentLoad: { startedMs: number; totalBytes: number; load: { loadedBytes: number; keysLoaded: number } } | null = null;
  /** The snapshot a diskless full sync is streaming, if any. */
  private streaming: CopyOnWriteSnapshot | null = null;
  lastBgsaveTimeSec = -1;
  lastBgsaveTry = 0;
  saves = 0;
  scheduled = false;
  lastLoadKeysLoaded = 0;
  lastLoadKeysExpired = 0;
  private job: BgJob | null = null;

  constructor(private readonly server: Server) {}

  get bgsaveInProgress(): boolean {
    return this.job !== null;
  }

  get currentBgsaveSeconds(): number {
    return this.job === null ? -1 : Math.floor((Date.now() - this.job.startedMs) / 1000);
  }

  /** The snapshot being written: a BGSAVE's, or else a diskless full sync's (Redis's rdb child either way). */
  private get currentSnapshot(): CopyOnWriteSnapshot | null {
    return this.job?.snapshot ?? this.streaming;
  }

  get currentSaveKeysProcessed(): number {
    return this.currentSnapshot?.keysWritten ?? 0;
  }

  get currentSaveKeysTotal(): number {
    return this.currentSnapshot?.keysTotal ?? 0;
  }

  /** The dump file, relative to `dir` (the working directory). */
  get path(): string {
    return this.server.config.str('dbfilename');
  }

  private writerOptions() {
    const cfg = this.server.config;
    return {
      compression: cfg.bool('rdbcompression'),
      checksum: cfg.bool('rdbchecksum'),
      listMaxListpackSize: cfg.num('list-max-listpack-size'),
      listPackedThreshold: this.server.listPackedThreshold,
      streamNodeMaxBytes: cfg.num('stream-node-max-bytes'),
      streamNodeMaxEntries: cfg.num('stream-node-max-entries'),
    };
  }

  /** What one key costs in used_memory (the server's keyspace accounting). */
  readonly keyCost = (key: string, v: Value): number => this.server.keyCost(key, v);

  /** stream-node-max-bytes / -entries, for streams built from stored data (RDB, RESTORE). */
  streamNodeLimits(): NodeLimits {
    const cfg = this.server.config;
    return { maxBytes: cfg.num('stream-node-max-bytes'), maxEntries: cfg.num('stream-node-max-entries') };
  }

  limits(): Partial<EncodingLimits> {
    const cfg = this.server.config;
    return {
      hashMaxListpackEntries: cfg.num('hash-max-listpack-entries'),
      hashMaxListpackValue: cfg.num('hash-max-listpack-value'),
      zsetMaxListpackEntries: cfg.num('zset-max-listpack-entries'),
      zsetMaxListpackValue: cfg.num('zset-max-listpack-value'),
      setMaxIntsetEntries: cfg.num('set-max-intset-entries'),
    } as Partial<EncodingLimits>;
  }

  private auxFields(forReplication: boolean, aofBase = false): [string, string | number][] {
    const s = this.server;
    const repl = s.replication;
    const aux: [string, string | number][] = [
      ['redis-ver', VERSION],
      ['redis-bits', 64],
      ['ctime', Math.floor(Date.now() / 1000)],
      ['used-mem', process.memoryUsage().heapUsed],
    ];
    if (!aofBase && (forReplication || repl.backlog !== null)) {
      aux.push(['repl-stream-db', repl.streamDb()]);
      aux.push(['repl-id', repl.replid]);
      aux.push(['repl-offset', repl.masterReplOffset]);
    }
    aux.push(['aof-base', aofBase ? 1 : 0]);
    return aux;
  }

  /**
   * Starts a point-in-time snapshot writing RDB bytes to `sink`. With `sliced`, the
   * walk yields to the event loop between slices and `onDone` runs later; otherwise
   * everything is written before this returns (SAVE).
   */
  private snapshotTo(
    sink: RdbSink,
    sliced: boolean,
    forReplication: boolean,
    onDone: (err: Error | null) => void,
    aofBase = false,
    hold?: SnapshotHold,
  ): CopyOnWriteSnapshot {
    const writer = new RdbWriter(sink, this.writerOptions());
    writer.writeHeader(this.auxFields(forReplication, aofBase));
    for (const code of this.functionCodes()) writer.writeFunction(code);
    let currentDb = -1;
    const resized = new Set<number>();
    const snapshot = new CopyOnWriteSnapshot(this.server.dbs, {
      selectDb: (dbId, size, expiresSize) => {
        currentDb = dbId;
        writer.writeSelectDb(dbId);
        if (!resized.has(dbId)) {
          resized.add(dbId);
          writer.writeResizeDb(size, expiresSize);
        }
      },
      key: (dbId, key, value, expireMs) => {
        if (dbId !== currentDb) {
          // An early copy from another database interrupts the walk of this one.
          currentDb = dbId;
          writer.writeSelectDb(dbId);
        }
        writer.writeKey(key, value as WritableValue, expireMs);
      },
    });
    const finish = () => {
      try {
        writer.writeEof();
        writer.flush();
      } catch (e) {
        onDone(e as Error);
        return;
      }
      onDone(null);
    };
    // rdb-key-save-delay (a test knob) slows a sliced walk down to about that long per key.
    if (!sliced) walkSnapshotNow(snapshot, finish, onDone);
    else driveSnapshot(snapshot, this.server.config.num('rdb-key-save-delay'), finish, onDone, hold);
    return snapshot;
  }

  /** SAVE: writes the dump synchronously. Throws with the reason on failure. */
  saveSync(): void {
    const s = this.server;
    const tmp = `temp-${process.pid}.rdb`;
    const fd = openSync(tmp, 'w');
    let error: Error | null = null;
    try {
      this.snapshotTo({ write: (b) => void writeSync(fd, b) }, false, false, (err) => (error = err));
      if (error !== null) throw error;
      fsyncSync(fd);
    } catch (e) {
      closeSync(fd);
      safeUnlink(tmp);
      s.log.warning(`Failed opening the temp RDB file ${tmp} (in server root dir ${process.cwd()}) for saving: ${(e as Error).message}`);
      throw e;
    }
    closeSync(fd);
    renameSync(tmp, this.path);
    s.log.notice('DB saved on disk');
    this.afterSuccessfulSave(s.dirty);
  }

  private afterSuccessfulSave(dirtyAtStart: number): void {
    const s = this.server;
    s.dirty -= dirtyAtStart;
    if (s.dirty < 0) s.dirty = 0;
    this.lastSaveTime = Math.floor(Date.now() / 1000);
    this.lastBgsaveStatus = 'ok';
    this.saves++;
  }

  /**
   * BGSAVE: starts a background save unless one runs (then `onDone` joins it).
   * Returns false when a save was already in progress.
   */
  bgsave(onDone?: (err: Error | null) => void): boolean {
    if (this.job !== null) {
      if (onDone !== undefined) this.job.waiters.push(onDone);
      return false;
    }
    const s = this.server;
    const tmp = `temp-${process.pid}-bg.rdb`;
    let fd: number;
    try {
      fd = openSync(tmp, 'w');
    } catch (e) {
      s.log.warning(`Failed opening the temp RDB file ${tmp} (in server root dir ${process.cwd()}) for saving: ${(e as Error).message}`);
      this.lastBgsaveStatus = 'err';
      onDone?.(e as Error);
      return true;
    }
    this.lastBgsaveTry = Date.now();
    s.log.notice('Background saving started');
    const job: BgJob = {
      snapshot: null as unknown as CopyOnWriteSnapshot,
      dirtyAtStart: s.dirty,
      startedMs: Date.now(),
      waiters: [],
      abort: () => {
        job.snapshot.finish();
        closeSync(fd);
        safeUnlink(tmp);
        this.job = null;
        // As a child killed on purpose: the last status stays, the changes stay counted.
        s.log.warning('Background saving terminated by signal 10');
        const err = new Error('Background save aborted');
        for (const w of job.waiters) w(err);
      },
    };
    if (onDone !== undefined) job.waiters.push(onDone);
    this.job = job;
    let writeError: Error | null = null;
    const sink: RdbSink = {
      write: (b) => {
        if (writeError !== null) return;
        try {
          writeSync(fd, b);
        } catch (e) {
          writeError = e as Error;
        }
      },
    };
    job.snapshot = this.snapshotTo(sink, true, false, (err) => {
      err ??= writeError;
      try {
        if (err === null) fsyncSync(fd);
      } catch (e) {
        err = e as Error;
      }
      closeSync(fd);
      if (err === null) {
        try {
          renameSync(tmp, this.path);
        } catch (e) {
          err = e as Error;
        }
      }
      this.job = null;
      this.lastBgsaveTimeSec = Math.round((Date.now() - job.startedMs) / 1000);
      if (err !== null) {
        safeUnlink(tmp);
        this.lastBgsaveStatus = 'err';
        s.log.warning(`Background saving error: ${err.message}`);
      } else {
        this.afterSuccessfulSave(job.dirtyAtStart);
        s.log.notice('Background saving terminated with success');
      }
      for (const w of job.waiters) w(err);
      if (this.scheduled) {
        this.scheduled = false;
        this.bgsave();
      }
    });
    return true;
  }

  /** FLUSHALL: a BGSAVE in progress is killed, as Redis kills its RDB child. */
  abortBgsave(why: string | null = 'FLUSHALL'): void {
    if (this.job === null) return;
    if (why !== null) this.server.log.warning(`Killing running RDB save: ${why}`);
    this.job.abort();
  }

  /** An AOF base in RDB form (aof-use-rdb-preamble): the current moment, written in slices. */
  snapshotAofBase(sink: RdbSink, onDone: (err: Error | null) => void): CopyOnWriteSnapshot {
    return this.snapshotTo(sink, true, false, onDone, true);
  }

  /** The same, written before returning (the base of an empty start). Throws on failure. */
  writeAofBaseNow(sink: RdbSink): void {
    let error: Error | null = null;
    this.snapshotTo(sink, false, false, (err) => (error = err), true);
    if (error !== null) throw error;
  }

  /** Loads an AOF's RDB part (a base file, or an old-style preamble) in place of the data; returns the bytes it took. */
  loadAofPreamble(buf: Buffer): number {
    const s = this.server;
    // Expired keys stay, as the commands after them may still refer to them (RDBFLAGS_AOF_PREAMBLE).
    const load = new PayloadLoad(this, buf, s.dbs, false, (m) => s.log.notice(m), 'replace');
    while (!load.step(Number.MAX_SAFE_INTEGER));
    load.commit();
    return load.loadedBytes;
  }

  /**
   * Streams an RDB image of the current moment (diskless full sync); `hold` paces it
   * by its readers. Returns a function that kills it (onDone then gets an error).
   */
  streamRdb(onChunk: (b: Buffer) => void, onDone: (err: Error | null) => void, hold?: SnapshotHold): () => void {
    let ended = false;
    const end = (err: Error | null) => {
      if (ended) return;
      ended = true;
      if (this.streaming === snapshot) this.streaming = null;
      onDone(err);
    };
    const snapshot = this.snapshotTo({ write: onChunk }, true, true, end, false, hold);
    this.streaming = snapshot;
    return () => {
      snapshot.finish();
      end(new Error('Background transfer killed'));
    };
  }

  /** serverCron's save points: BGSAVE when enough changes happened for long enough. */
  cron(nowMs: number): void {
    if (this.job !== null) return;
    const s = this.server;
    const points = s.config.savePoints();
    const now = Math.floor(nowMs / 1000);
    for (const p of points) {
      if (
        s.dirty >= p.changes &&
        now - this.lastSaveTime > p.seconds &&
        (now - Math.floor(this.lastBgsaveTry / 1000) > BGSAVE_RETRY_DELAY_S || this.lastBgsaveStatus === 'ok')
      ) {
        s.log.notice(`${p.changes} changes in ${p.seconds} seconds. Saving...`);
        this.bgsave();
        return;
      }
    }
  }

  /** Whether writes must be refused with MISCONF (stop-writes-on-bgsave-error). */
  writesDenied(): boolean {
    return this.writeDeniedKind() !== null;
  }

  /** writeCommandsDeniedByDiskError: which persistence failed, if writes must stop. */
  writeDeniedKind(): 'rdb' | 'aof' | null {
    const cfg = this.server.config;
    if (cfg.bool('stop-writes-on-bgsave-error') && cfg.savePoints().length > 0 && this.lastBgsaveStatus === 'err') return 'rdb';
    return this.server.aof.writeError() !== null ? 'aof' : null;
  }

  /** writeCommandsGetDiskErrorMessage: the MISCONF reply for the failure at hand. */
  writeDeniedError(): string {
    const aof = this.writeDeniedKind() === 'aof' ? this.server.aof.writeError() : null;
    return aof === null ? Errors.bgsaveError : `MISCONF Errors writing to the AOF file: ${aof}`;
  }

  /**
   * Reads the dump at start. Returns false when there is none. Throws on a corrupt
   * file: the caller refuses to start, leaving the file untouched.
   */
  loadAtStart(onDone: (err: Error | null) => void): boolean {
    const s = this.server;
    if (!existsSync(this.path)) return false;
    const t0 = Date.now();
    let load: PayloadLoad;
    let size: number;
    const dropExpired = !s.replication.isReplica;
    try {
      const buf = readFileSync(this.path);
      size = buf.length;
      load = new PayloadLoad(this, buf, s.dbs, dropExpired, (v) => s.log.notice(v), 'replace');
    } catch (e) {
      onDone(e as Error);
      return true;
    }
    // A master continuing its saved history tells its replicas about keys that expired meanwhile.
    if (dropExpired) load.expiredKeys = [];
    // Clients are served between slices (answered -LOADING), as processEventsWhileBlocked does.
    const progress = { startedMs: t0, totalBytes: size, load };
    this.currentLoad = progress;
    const pace = keyDelayPace(s.config.num('key-load-delay'));
    const run = () => {
      let done: boolean;
      try {
        done = pace === null ? load.step(10) : load.step(Number.MAX_SAFE_INTEGER, pace.keys);
      } catch (e) {
        this.currentLoad = null;
        onDone(e as Error);
        return;
      }
      if (!done) {
        if (pace === null) setImmediate(run);
        else setTimeout(run, pace.ms);
        return;
      }
      this.currentLoad = null;
      let info: RdbLoadInfo;
      try {
        info = load.commit();
      } catch (e) {
        onDone(e as Error);
        return;
      }
      s.log.notice(`Done loading RDB, keys loaded: ${this.lastLoadKeysLoaded}, keys expired: ${this.lastLoadKeysExpired}.`);
      s.log.notice(`DB loaded from disk: ${((Date.now() - t0) / 1000).toFixed(3)} seconds`);
      s.replication.restoreSavedHistory(info.aux, load.expiredKeys ?? []);
      onDone(null);
    };
    run();
    return true;
  }

  /**
   * Parses a whole RDB image into fresh maps, then swaps them into `dbs` (nothing
   * changes if the image is invalid). Returns the load info.
   */
  loadInto(
    buf: Buffer,
    dbs: readonly Database[],
    dropExpired: boolean,
    log: (msg: string) => void,
    mode: LoadMode = 'replace',
  ): RdbLoadInfo {
    const load = new PayloadLoad(this, buf, dbs, dropExpired, log, mode);
    while (!load.step(Number.MAX_SAFE_INTEGER));
    return load.commit();
  }

  /**
   * The same, in slices between event-loop turns, so clients keep being served the
   * current data while a full-sync payload loads; the swap happens at the end, at once.
   * `isStale()` is asked between slices: a true answer abandons the load.
   */
  loadIntoSliced(
    buf: Buffer,
    dbs: readonly Database[],
    dropExpired: boolean,
    log: (msg: string) => void,
    isStale: () => boolean,
    onDone: (err: Error | null, aux: ReadonlyMap<string, string> | null) => void,
  ): void {
    let load: PayloadLoad;
    try {
      load = new PayloadLoad(this, buf, dbs, dropExpired, log, 'replace');
    } catch (e) {
      onDone(e as Error, null);
      return;
    }
    const progress = { startedMs: Date.now(), totalBytes: buf.length, load };
    this.currentLoad = progress;
    const finished = (err: Error | null, aux: ReadonlyMap<string, string> | null) => {
      if (this.currentLoad === progress) this.currentLoad = null;
      onDone(err, aux);
    };
    // key-load-delay (a test knob) slows loading down to about that long per key.
    const pace = keyDelayPace(this.server.config.num('key-load-delay'));
    let lastLog = progress.startedMs;
    const run = () => {
      if (isStale()) {
        if (this.currentLoad === progress) this.currentLoad = null;
        return;
      }
      let done: boolean;
      try {
        done = pace === null ? load.step(10) : load.step(Number.MAX_SAFE_INTEGER, pace.keys);
      } catch (e) {
        finished(e as Error, null);
        return;
      }
      if (!done) {
        const now = Date.now();
        if (now - lastLog >= LOAD_PROGRESS_LOG_MS) {
          lastLog = now;
          log(`Loading the MASTER payload: ${load.keysLoaded} keys, ${load.loadedBytes} of ${buf.length} bytes`);
        }
        if (pace === null) setImmediate(run);
        else setTimeout(run, pace.ms);
        return;
      }
      finished(null, load.commit().aux);
    };
    run();
  }

  /**
   * A full-sync payload loaded as it arrives from the socket (a diskless load): the
   * caller feeds chunks and ends it; slices run as data is there, paced by
   * key-load-delay. `onSlice` hears the unparsed backlog after each slice, and whether
   * the load waits for more (a record not complete yet), so a reader that paused its
   * socket can resume. The swap happens at the end, at once.
   */
  loadStreamed(
    dbs: readonly Database[],
    log: (msg: string) => void,
    isStale: () => boolean,
    onSlice: (unparsedBytes: number, starved: boolean) => void,
    onDone: (err: Error | null, aux: ReadonlyMap<string, string> | null) => void,
  ): { feed(chunk: Buffer): void; end(): void; readonly unparsedBytes: number } {
    const load = new PayloadLoad(this, Buffer.alloc(0), dbs, false, log, 'replace', true);
    const progress = { startedMs: Date.now(), totalBytes: 0, load };
    this.currentLoad = progress;
    const pace = keyDelayPace(this.server.config.num('key-load-delay'));
    let scheduled = false;
    let finished = false;
    let lastLog = progress.startedMs;
    const finish = (err: Error | null, aux: ReadonlyMap<string, string> | null) => {
      finished = true;
      if (this.currentLoad === progress) this.currentLoad = null;
      onDone(err, aux);
    };
    const schedule = () => {
      if (scheduled || finished) return;
      scheduled = true;
      if (pace === null) setImmediate(run);
      else setTimeout(run, pace.ms);
    };
    const run = () => {
      scheduled = false;
      if (finished) return;
      if (isStale()) {
        finished = true;
        if (this.currentLoad === progress) this.currentLoad = null;
        return;
      }
      let r: 'done' | 'more' | 'starved';
      try {
        r = pace === null ? load.stepStreamed(10) : load.stepStreamed(Number.MAX_SAFE_INTEGER, pace.keys);
      } catch (e) {
        finish(e as Error, null);
        return;
      }
      onSlice(load.unparsedBytes, r === 'starved');
      if (r === 'done') {
        finish(null, load.commit().aux);
        return;
      }
      const now = Date.now();
      if (now - lastLog >= LOAD_PROGRESS_LOG_MS) {
        lastLog = now;
        log(`Loading the MASTER payload: ${load.keysLoaded} keys, ${load.loadedBytes} bytes`);
      }
      if (r === 'more') schedule();
    };
    return {
      feed: (chunk) => {
        progress.totalBytes += chunk.length;
        load.feed(chunk);
        schedule();
      },
      end: () => {
        load.end();
        schedule();
      },
      get unparsedBytes() {
        return load.unparsedBytes;
      },
    };
  }

  /** The function libraries a snapshot carries (none when scripting is not attached). */
  private functionCodes(): string[] {
    return (this.server.scripting as Server['scripting'] | undefined)?.functions.codes() ?? [];
  }

  /**
   * Installs the libraries an RDB image carried, as Redis does when it loads one: a
   * full load replaces them all; DEBUG RELOAD NOFLUSH adds them and fails on a clash
   * (MERGE replaces the clashing ones). Throws when the image cannot be loaded.
   */
  applyFunctions(codes: readonly string[], mode: LoadMode): void {
    const scripting = this.server.scripting as Server['scripting'] | undefined;
    if (scripting === undefined) return;
    if (mode !== 'replace' && codes.length === 0) return;
    const err = scripting.functions.restore(codes, mode === 'replace' ? 'flush' : mode === 'merge' ? 'replace' : 'append');
    if (err !== null) throw new Error(`Failed loading the functions: ${err}`);
  }

  logWarning(msg: string): void {
    this.server.log.warning(msg);
  }

  logVerbose(msg: string): void {
    this.server.log.verbose(msg);
  }

  /** Records what the last load did (INFO rdb_last_load_keys_*). */
  recordLoad(loaded: number, expired: number): void {
    this.lastLoadKeysLoaded = loaded;
    this.lastLoadKeysExpired = expired;
  }

}

function safeUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // nothing to remove
  }
}
