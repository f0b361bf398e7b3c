// The append-only file (aof.c): every effect the server propagates is appended to
// the current incr file of a Redis 7.0 multi-part AOF, written before the replies
// that acknowledge it go out, and fsynced as appendfsync says: `always` before the
// reply, `everysec` by a background fsync (Node's thread pool) about once a second,
// `no` never. Rewrites (aof-rewrite.ts) and loading (aof-load.ts) are beside this.

import { close, closeSync, fdatasync, fdatasyncSync, ftruncateSync, openSync, renameSync, writeSync } from 'node:fs';
import type { Server } from '../../server/server.js';
import { strerror } from '../../config/parse-file.js';
import { sleepSync } from '../../util/sleep.js';
import { AofDir } from './aof-files.js';
import { timestampAnnotation } from './command-reader.js';
import { encodeCommand } from '../../replication/encode.js';
import {
  emptyManifest,
  lastIncrFile,
  markRewrittenIncrsAsHistory,
  newBaseFile,
  newIncrFile,
  tempIncrFileName,
  withoutHistory,
  type AofManifest,
} from './manifest.js';
import { AofRewrite } from './aof-rewrite.js';
import { loadAppendOnlyFiles, type AofLoadStatus } from './aof-load.js';

export type AofState = 'off' | 'on' | 'wait_rewrite';
type Status = 'ok' | 'err';

/** Seconds between two logs of the same write error (AOF_WRITE_LOG_ERROR_RATE). */
const WRITE_ERROR_LOG_RATE_S = 30;
/** aofRewriteLimited: after this many failures in a row, automatic rewrites back off. */
const REWRITE_LIMIT_THRESHOLD = 3;
const REWRITE_LIMIT_MAX_MINUTES = 60;

export class Aof {
  state: AofState = 'off';
  manifest: AofManifest = emptyManifest();
  private fd = -1;
  /** aof_buf: effects of this event-loop turn, written before any reply goes out. */
  private buf: Buffer[] = [];
  bufBytes = 0;
  private selectedDb = -1;
  private curTimestamp = 0;
  /** aof_current_size, and aof_rewrite_base_size (the size after the last rewrite). */
  currentSize = 0;
  baseSize = 0;
  private lastIncrSize = 0;
  private lastIncrFsyncOffset = 0;
  private lastFsyncSec = 0;
  /** Background fsyncs not yet completed (aof_pending_bio_fsync). */
  fsyncsPending = 0;
  private flushPostponedStart = 0;
  delayedFsync = 0;
  /** DEBUG AOF-FLUSH-SLEEP: microseconds slept before each write. */
  flushSleepUs = 0;
  private writeStatus: Status = 'ok';
  private bioFsyncStatus: Status = 'ok';
  private lastWriteError = '';
  private lastWriteErrorLog = 0;
  rewrite: AofRewrite | null = null;
  rewriteScheduled = false;
  lastBgrewriteStatus: Status = 'ok';
  rewrites = 0;
  consecutiveFailures = 0;
  lastRewriteTimeSec = -1;
  private nextRewriteDelayMin = 0;
  private nextRewriteTime = 0;

  constructor(private readonly server: Server) {}

  get dir(): AofDir {
    const cfg = this.server.config;
    return new AofDir(cfg.str('appenddirname'), cfg.str('appendfilename'));
  }

  /** aof_last_write_status as INFO shows it: a failed background fsync counts too. */
  get lastWriteStatus(): Status {
    return this.writeStatus === 'ok' && this.bioFsyncStatus === 'ok' ? 'ok' : 'err';
  }

  /** Writes are refused (MISCONF) while the AOF cannot be written: the error text, or null. */
  writeError(): string | null {
    if (this.state === 'off' || this.lastWriteStatus === 'ok') return null;
    return this.lastWriteError;
  }

  /** Whether effects go to the file: on, or being enabled with its first rewrite running. */
  private get accepting(): boolean {
    return this.state === 'on' || (this.state === 'wait_rewrite' && this.rewrite !== null);
  }

  /** feedAppendOnlyFile: one effect, in the db it applies to. */
  feed(dbId: number, argv: readonly string[]): void {
    if (!this.accepting) return;
    if (this.server.config.bool('aof-timestamp-enabled')) {
      const now = Math.floor(Date.now() / 1000);
      if (this.curTimestamp < now) {
        this.curTimestamp = now;
        this.push(Buffer.from(timestampAnnotation(now), 'latin1'));
      }
    }
    if (dbId !== this.selectedDb) {
      this.push(encodeCommand(['SELECT', String(dbId)]));
      this.selectedDb = dbId;
    }
    this.push(encodeCommand(argv));
  }

  private push(b: Buffer): void {
    this.buf.push(b);
    this.bufBytes += b.length;
  }

  private takeBuffer(): Buffer {
    const data = this.buf.length === 1 ? this.buf[0] : Buffer.concat(this.buf, this.bufBytes);
    this.buf = [];
    this.bufBytes = 0;
    return data;
  }

  /**
   * flushAppendOnlyFile: one write of the turn's effects, then the fsync the policy
   * asks for. `force` writes even while a background fsync is still running.
   */
  flush(force: boolean): void {
    if (this.fd < 0) return;
    const s = this.server;
    const policy = s.config.str('appendfsync');
    const nowSec = Math.floor(Date.now() / 1000);
    let syncInProgress = false;
    if (this.bufBytes === 0) {
      // A quiet second still gets its fsync (or a policy just switched to always).
      const unsynced = this.lastIncrFsyncOffset !== this.lastIncrSize;
      const due =
        (policy === 'everysec' && unsynced && nowSec > this.lastFsyncSec && this.fsyncsPending === 0) || (policy === 'always' && unsynced);
      if (!due) return;
    } else {
      syncInProgress = policy === 'everysec' && this.fsyncsPending > 0;
      if (policy === 'everysec' && !force && syncInProgress) {
        // The disk is busy with the last fsync: a write now would wait for it anyway.
        if (this.flushPostponedStart === 0) {
          this.flushPostponedStart = nowSec;
          return;
        }
        if (nowSec - this.flushPostponedStart < 2) return;
        this.delayedFsync++;
        s.log.notice(
          'Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.',
        );
      }
      if (this.flushSleepUs > 0) sleepSync(this.flushSleepUs / 1000);
      if (!this.writeBuffer(policy, nowSec, syncInProgress)) return;
    }
    if (s.config.bool('no-appendfsync-on-rewrite') && s.hasActiveChild()) return;
    if (policy === 'always') {
      const t0 = performance.now();
      try {
        fdatasyncSync(this.fd);
      } catch (e) {
        s.log.warning(`Can't persist AOF for fsync error when the AOF fsync policy is 'always': ${strerror(e)}. Exiting...`);
        s.exitNow(1);
        return;
      }
      this.latencySample('aof-fsync-always', performance.now() - t0);
      this.lastIncrFsyncOffset = this.lastIncrSize;
      this.lastFsyncSec = nowSec;
    } else if (policy === 'everysec' && nowSec > this.lastFsyncSec) {
      if (!syncInProgress) {
        this.backgroundFsync(this.fd, false);
        this.lastIncrFsyncOffset = this.lastIncrSize;
      }
      this.lastFsyncSec = nowSec;
    }
  }

  /** The write half of flush; false when it failed (the data stays buffered). */
  private writeBuffer(policy: string, nowSec: number, syncInProgress: boolean): boolean {
    const s = this.server;
    const data = this.takeBuffer();
    let written = 0;
    let error: Error | null = null;
    const t0 = performance.now();
    try {
      while (written < data.length) written += writeSync(this.fd, data, written, data.length - written);
    } catch (e) {
      error = e as Error;
    }
    const ms = performance.now() - t0;
    this.latencySample(syncInProgress ? 'aof-write-pending-fsync' : s.hasActiveChild() ? 'aof-write-active-child' : 'aof-write-alone', ms);
    this.latencySample('aof-write', ms);
    this.flushPostponedStart = 0;
    if (written === data.length) {
      if (this.writeStatus === 'err') {
        s.log.warning('AOF write error looks solved, Redis can write again.');
        this.writeStatus = 'ok';
      }
      this.currentSize += written;
      this.lastIncrSize += written;
      return true;
    }
    const canLog = nowSec - this.lastWriteErrorLog > WRITE_ERROR_LOG_RATE_S;
    if (canLog) this.lastWriteErrorLog = nowSec;
    const reason = error !== null ? strerror(error) : 'No space left on device';
    if (canLog) s.log.warning(`Error writing to the AOF file: ${reason}`);
    this.lastWriteError = reason;
    if (written > 0) {
      // Take the partial command back out, so the file stays loadable.
      try {
        ftruncateSync(this.fd, this.lastIncrSize);
        written = 0;
      } catch (e) {
        if (canLog) {
          s.log.warning(
            `Could not remove short write from the append-only file.  Redis may refuse to load the AOF the next time it starts.  ftruncate: ${strerror(e)}`,
          );
        }
      }
    }
    if (policy === 'always') {
      // The replies are already queued and the data changed: the contract is broken.
      s.log.warning("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
      s.exitNow(1);
      return false;
    }
    this.writeStatus = 'err';
    this.currentSize += written;
    this.lastIncrSize += written;
    const rest = data.subarray(written);
    this.buf = [rest, ...this.buf];
    this.bufBytes += rest.length;
    return false;
  }

  /** latencyAddSampleIfNeeded. */
  private latencySample(event: string, ms: number): void {
    const threshold = this.server.latencyThresholdMs;
    if (threshold > 0 && ms >= threshold) this.server.latency.add(event, ms);
  }

  /** aof_background_fsync(_and_close): fdatasync off the event loop. */
  private backgroundFsync(fd: number, closeAfter: boolean): void {
    this.fsyncsPending++;
    fdatasync(fd, (err) => {
      this.fsyncsPending--;
      if (err !== null) {
        this.server.log.warning(`Fail to fsync the AOF file: ${strerror(err)}`);
        this.bioFsyncStatus = 'err';
        this.lastWriteError = strerror(err);
      } else if (this.bioFsyncStatus === 'err' && !closeAfter) {
        this.bioFsyncStatus = 'ok';
      }
      if (closeAfter) close(fd, () => {});
    });
  }

  /** beforeSleep and serverCron's AOF part, at every tick. */
  cron(nowMs: number): void {
    const s = this.server;
    if (this.state !== 'off') this.flush(false);
    if (this.rewrite === null && !s.hasActiveChild()) {
      if (this.rewriteScheduled && !this.rewriteLimited(nowMs)) this.startRewrite();
      else if (this.state === 'on') this.maybeAutoRewrite(nowMs);
    }
  }

  private maybeAutoRewrite(nowMs: number): void {
    const cfg = this.server.config;
    const perc = cfg.num('auto-aof-rewrite-percentage');
    if (perc === 0 || this.currentSize <= cfg.num('auto-aof-rewrite-min-size')) return;
    const base = this.baseSize > 0 ? this.baseSize : 1;
    const growth = Math.floor((this.currentSize * 100) / base) - 100;
    if (growth < perc || this.rewriteLimited(nowMs)) return;
    this.server.log.notice(`Starting automatic rewriting of AOF on ${growth}% growth`);
    this.startRewrite();
  }

  /** aofRewriteLimited: after repeated failures, wait 1, 2, 4 ... 60 minutes between tries. */
  private rewriteLimited(nowMs: number): boolean {
    if (this.consecutiveFailures < REWRITE_LIMIT_THRESHOLD) {
      this.nextRewriteDelayMin = 0;
      this.nextRewriteTime = 0;
      return false;
    }
    const now = Math.floor(nowMs / 1000);
    if (this.nextRewriteTime !== 0) {
      if (now < this.nextRewriteTime) return true;
      this.nextRewriteTime = 0;
      return false;
    }
    this.nextRewriteDelayMin = Math.min(REWRITE_LIMIT_MAX_MINUTES, this.nextRewriteDelayMin === 0 ? 1 : this.nextRewriteDelayMin * 2);
    this.nextRewriteTime = now + this.nextRewriteDelayMin * 60;
    this.server.log.warning(
      `Background AOF rewrite has repeatedly failed and triggered the limit, will retry in ${this.nextRewriteDelayMin} minutes`,
    );
    return true;
  }

  /** BGREWRITEAOF: the reply's text, or an error reply. */
  bgrewriteCommand(inExec: boolean): { ok: string } | { err: string } {
    if (this.rewrite !== null) return { err: 'ERR Background append only file rewriting already in progress' };
    if (this.server.hasActiveChild() || inExec) {
      this.rewriteScheduled = true;
      this.consecutiveFailures = 0;
      return { ok: 'Background append only file rewriting scheduled' };
    }
    if (this.startRewrite()) return { ok: 'Background append only file rewriting started' };
    return { err: 'ERR Can\'t execute an AOF background rewriting. Please check the server logs for more information.' };
  }

  /**
   * rewriteAppendOnlyFileBackground: appends go to a new incr file from this moment,
   * and the new base is the dataset as of this moment, written in slices.
   */
  startRewrite(): boolean {
    const s = this.server;
    const dir = this.dir;
    const err = dir.ensure();
    if (err !== null) {
      s.log.warning(`Can't open or create append-only dir ${dir.dirname}: ${err}`);
      this.lastBgrewriteStatus = 'err';
      return false;
    }
    this.selectedDb = -1;
    this.flush(true);
    if (!this.openNewIncr()) {
      this.lastBgrewriteStatus = 'err';
      return false;
    }
    let job: AofRewrite;
    try {
      job = new AofRewrite(s, (ok) => this.rewriteDone(ok));
    } catch (e) {
      s.log.warning(`Can't rewrite append only file in background: ${strerror(e)}`);
      this.lastBgrewriteStatus = 'err';
      return false;
    }
    this.rewrites++;
    this.rewriteScheduled = false;
    this.rewrite = job;
    s.log.notice(`Background append only file rewriting started by pid ${process.pid}`);
    return true;
  }

  /** openNewIncrAofForAppend. */
  private openNewIncr(): boolean {
    if (this.state === 'off') return true;
    const s = this.server;
    const dir = this.dir;
    const next = this.state === 'wait_rewrite' ? null : newIncrFile(this.manifest, dir.filename);
    const name = next === null ? tempIncrFileName(dir.filename) : lastIncrFile(next)!.name;
    let fd: number;
    try {
      fd = openSync(dir.path(name), 'w', 0o644);
    } catch (e) {
      s.log.warning(`Can't open the append-only file ${name}: ${strerror(e)}`);
      return false;
    }
    if (next !== null) {
      try {
        dir.writeManifest(next);
      } catch (e) {
        s.log.warning(`Can't persist the AOF manifest: ${strerror(e)}`);
        closeSync(fd);
        return false;
      }
    }
    s.log.notice(`Creating AOF incr file ${name} on background rewrite`);
    if (this.fd >= 0) {
      this.backgroundFsync(this.fd, true);
      this.lastFsyncSec = Math.floor(Date.now() / 1000);
    }
    this.fd = fd;
    this.lastIncrSize = 0;
    this.lastIncrFsyncOffset = 0;
    if (next !== null) this.manifest = next;
    return true;
  }

  /** backgroundRewriteDoneHandler. */
  private rewriteDone(ok: boolean): void {
    const s = this.server;
    const job = this.rewrite!;
    this.rewrite = null;
    if (ok) {
      s.log.notice('Background AOF rewrite terminated with success');
      if (this.installRewrite(job)) {
        this.lastBgrewriteStatus = 'ok';
        this.consecutiveFailures = 0;
        s.log.notice('Background AOF rewrite finished successfully');
        if (this.state === 'wait_rewrite') this.state = 'on';
      } else {
        this.lastBgrewriteStatus = 'err';
        this.consecutiveFailures++;
      }
    } else if (!job.killed) {
      this.lastBgrewriteStatus = 'err';
      this.consecutiveFailures++;
      s.log.warning('Background AOF rewrite terminated with error');
    }
    job.removeTemp();
    if (this.state === 'wait_rewrite') {
      // The temp incr is useless without its base: start over.
      this.buf = [];
      this.bufBytes = 0;
      this.dir.unlink(tempIncrFileName(this.dir.filename));
      s.log.notice(`Removing the temp incr aof file ${tempIncrFileName(this.dir.filename)} in the background`);
      this.rewriteScheduled = true;
    }
    this.lastRewriteTimeSec = Math.round((Date.now() - job.startedMs) / 1000);
  }

  /** Renames the new base (and a first incr) into place and switches the manifest. */
  private installRewrite(job: AofRewrite): boolean {
    const s = this.server;
    const dir = this.dir;
    let next = newBaseFile(this.manifest, dir.filename, job.rdbPreamble);
    const baseName = next.base!.name;
    try {
      job.moveTo(dir.path(baseName));
    } catch (e) {
      s.log.warning(`Error trying to rename the temporary AOF base file ${job.tmpPath} into ${baseName}: ${strerror(e)}`);
      return false;
    }
    s.log.notice(`Successfully renamed the temporary AOF base file ${job.tmpPath} into ${baseName}`);
    let newIncrName: string | null = null;
    if (this.state === 'wait_rewrite') {
      next = newIncrFile(next, dir.filename);
      newIncrName = lastIncrFile(next)!.name;
      const tmpIncr = tempIncrFileName(dir.filename);
      try {
        renameSync(dir.path(tmpIncr), dir.path(newIncrName));
      } catch (e) {
        s.log.warning(`Error trying to rename the temporary AOF incr file ${tmpIncr} into ${newIncrName}: ${strerror(e)}`);
        dir.unlink(baseName);
        return false;
      }
      s.log.notice(`Successfully renamed the temporary AOF incr file ${tmpIncr} into ${newIncrName}`);
    }
    next = markRewrittenIncrsAsHistory(next, this.fd >= 0);
    try {
      dir.writeManifest(next);
    } catch (e) {
      s.log.warning(`Can't persist the AOF manifest: ${strerror(e)}`);
      dir.unlink(baseName);
      if (newIncrName !== null) dir.unlink(newIncrName);
      return false;
    }
    this.manifest = next;
    const baseSize = Math.max(0, dir.size(baseName));
    this.currentSize = baseSize + this.lastIncrSize;
    this.baseSize = this.currentSize;
    this.deleteHistory();
    return true;
  }

  /** aofDelHistoryFiles (unless aof-disable-auto-gc). */
  deleteHistory(): void {
    if (this.server.config.bool('aof-disable-auto-gc') || this.manifest.history.length === 0) return;
    const dir = this.dir;
    for (const h of this.manifest.history) {
      this.server.log.notice(`Removing the history file ${h.name} in the background`);
      dir.unlink(h.name);
    }
    this.manifest = withoutHistory(this.manifest);
    try {
      dir.writeManifest(this.manifest);
    } catch (e) {
      this.server.log.warning(`Can't persist the AOF manifest: ${strerror(e)}`);
    }
  }

  /** loadDataFromDisk's AOF half; the status says whether start-up may go on. */
  loadAtStart(): AofLoadStatus {
    return loadAppendOnlyFiles(this, this.server);
  }

  /** DEBUG LOADAOF: the files read again into the (emptied) dataset; history goes first. */
  reload(): AofLoadStatus {
    this.deleteHistory();
    const size = this.currentSize;
    const status = loadAppendOnlyFiles(this, this.server);
    // Loading recounts the files; appends since the last rewrite still count for auto-rewrite.
    if (status !== 'ok' && status !== 'truncated') this.currentSize = size;
    return status;
  }

  /**
   * aofOpenIfNeededOnServerStart: an empty start writes a base first; then the last
   * incr file is opened for appending (a new one if there is none). Throws on failure.
   */
  openAtStart(): void {
    if (this.state !== 'on') return;
    const s = this.server;
    const dir = this.dir;
    const err = dir.ensure();
    if (err !== null) throw new Error(`Can't open or create append-only dir ${dir.dirname}: ${err}`);
    const hadIncr = this.manifest.incrs.length > 0;
    if (this.manifest.base === null && !hadIncr) {
      const next = newBaseFile(this.manifest, dir.filename, s.config.bool('aof-use-rdb-preamble'));
      AofRewrite.writeNow(s, dir.path(next.base!.name));
      this.manifest = next;
      s.log.notice(`Creating AOF base file ${next.base!.name} on server start`);
    }
    if (!hadIncr) this.manifest = newIncrFile(this.manifest, dir.filename);
    const name = lastIncrFile(this.manifest)!.name;
    this.fd = openSync(dir.path(name), 'a', 0o644);
    dir.writeManifest(this.manifest);
    this.lastIncrSize = Math.max(0, dir.size(name));
    this.lastIncrFsyncOffset = this.lastIncrSize;
    if (!hadIncr) {
      this.currentSize = Math.max(0, dir.size(this.manifest.base!.name));
      this.baseSize = this.currentSize;
    }
    s.log.notice(`${hadIncr ? 'Opening' : 'Creating'} AOF incr file ${name} on server start`);
    this.deleteHistory();
  }

  /** CONFIG SET appendonly: an error message to roll back, or null. */
  setEnabled(on: boolean): string | null {
    if (on && this.state === 'off') return this.startAppendOnly() ? null : 'Unable to turn on AOF. Check server logs.';
    if (!on && this.state !== 'off') this.stopAppendOnly();
    return null;
  }

  /** startAppendOnly: the file starts with a rewrite (the dataset now), then the appends. */
  startAppendOnly(): boolean {
    const s = this.server;
    this.state = 'wait_rewrite';
    if (s.hasActiveChild() && this.rewrite === null) {
      this.rewriteScheduled = true;
      s.log.warning('AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.');
    } else if (s.inExec) {
      this.rewriteScheduled = true;
      s.log.warning('AOF was enabled during a transaction. An AOF background was scheduled to start when possible.');
    } else {
      if (this.rewrite !== null) {
        s.log.warning('AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.');
        this.killRewrite();
      }
      if (!this.startRewrite()) {
        this.state = 'off';
        s.log.warning(
          "Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.",
        );
        return false;
      }
    }
    this.lastFsyncSec = Math.floor(Date.now() / 1000);
    if (this.bioFsyncStatus === 'err') {
      s.log.warning('AOF reopen, just ignore the AOF fsync error in bio job');
      this.bioFsyncStatus = 'ok';
    }
    if (this.writeStatus === 'err') {
      s.log.warning('AOF reopen, just ignore the last error.');
      this.writeStatus = 'ok';
    }
    return true;
  }

  /** stopAppendOnly: what is buffered is written and synced, then the file is closed. */
  stopAppendOnly(): void {
    const s = this.server;
    this.flush(true);
    if (this.fd >= 0) {
      try {
        fdatasyncSync(this.fd);
        this.lastFsyncSec = Math.floor(Date.now() / 1000);
      } catch (e) {
        s.log.warning(`Fail to fsync the AOF file: ${strerror(e)}`);
      }
      closeSync(this.fd);
    }
    this.fd = -1;
    this.selectedDb = -1;
    this.state = 'off';
    this.rewriteScheduled = false;
    this.lastIncrSize = 0;
    this.lastIncrFsyncOffset = 0;
    this.killRewrite();
    this.buf = [];
    this.bufBytes = 0;
  }

  /** killAppendOnlyChild. */
  killRewrite(): void {
    const job = this.rewrite;
    if (job === null) return;
    this.server.log.notice(`Killing running AOF rewrite child: ${process.pid}`);
    job.kill();
    this.rewrite = null;
    job.removeTemp();
  }

  /** A replica's full sync replaced the dataset: the AOF starts over from it (restartAOFAfterSYNC). */
  restartAfterSync(): void {
    if (this.state === 'off') return;
    this.stopAppendOnly();
    if (!this.startAppendOnly()) {
      this.server.log.warning('Failed enabling the AOF after successful master synchronization! Trying it again in one second.');
      this.state = 'wait_rewrite';
      this.rewriteScheduled = true;
    }
  }

  /** SHUTDOWN: everything buffered reaches the disk. */
  flushForShutdown(): void {
    if (this.state === 'off' || this.fd < 0) return;
    this.flush(true);
    try {
      fdatasyncSync(this.fd);
    } catch (e) {
      this.server.log.warning(`Fail to fsync the AOF file: ${strerror(e)}`);
    }
  }

  /** INFO persistence's aof fields. */
  infoFields(): [string, string | number][] {
    const rw = this.rewrite;
    const fields: [string, string | number][] = [
      ['aof_enabled', this.state !== 'off' ? 1 : 0],
      ['aof_rewrite_in_progress', rw !== null ? 1 : 0],
      ['aof_rewrite_scheduled', this.rewriteScheduled ? 1 : 0],
      ['aof_last_rewrite_time_sec', this.lastRewriteTimeSec],
      ['aof_current_rewrite_time_sec', rw !== null ? Math.floor((Date.now() - rw.startedMs) / 1000) : -1],
      ['aof_last_bgrewrite_status', this.lastBgrewriteStatus],
      ['aof_rewrites', this.rewrites],
      ['aof_rewrites_consecutive_failures', this.consecutiveFailures],
      ['aof_last_write_status', this.lastWriteStatus],
      ['aof_last_cow_size', 0],
      ['module_fork_in_progress', 0],
      ['module_fork_last_cow_size', 0],
    ];
    if (this.state !== 'off') {
      fields.push(
        ['aof_current_size', this.currentSize],
        ['aof_base_size', this.baseSize],
        ['aof_pending_rewrite', this.rewriteScheduled ? 1 : 0],
        ['aof_buffer_length', this.bufBytes],
        ['aof_pending_bio_fsync', this.fsyncsPending],
        ['aof_delayed_fsync', this.delayedFsync],
      );
    }
    return fields;
  }

  /** Set by the loader: the manifest read from disk and the sizes it found. */
  adoptLoaded(manifest: AofManifest, totalSize: number, baseSize: number): void {
    this.manifest = manifest;
    this.currentSize = totalSize;
    this.baseSize = baseSize;
  }
}
