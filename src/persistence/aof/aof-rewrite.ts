// One AOF rewrite (rewriteAppendOnlyFileBackground's child, without fork): the
// dataset as of the moment it starts, walked in slices by a copy-before-write
// snapshot, written to a temp file in `dir` as an RDB preamble
// (aof-use-rdb-preamble yes) or as commands (rewriteAppendOnlyFileRio), fsynced
// every 4 MB when aof-rewrite-incremental-fsync asks, then fsynced and closed. The
// owner (aof.ts) renames it into the AOF directory and switches the manifest.

import { closeSync, fdatasync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import type { Server } from '../../server/server.js';
import { strerror } from '../../config/parse-file.js';
import { CopyOnWriteSnapshot, driveSnapshot, walkSnapshotNow } from '../snapshot.js';
import { timestampAnnotation } from './command-reader.js';
import { encodeCommand } from '../../replication/encode.js';
import { rewriteKey } from './rewrite-commands.js';

/** REDIS_AUTOSYNC_BYTES: incremental fsync step. */
const AUTOSYNC_BYTES = 4 * 1024 * 1024;
/** Commands are gathered up to this size before one write. */
const WRITE_CHUNK = 64 * 1024;

/** Writes a file sequentially, fsyncing in the background every 4 MB when asked. */
class RewriteFile {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private sinceSync = 0;
  error: Error | null = null;

  constructor(
    private readonly fd: number,
    private readonly incrementalFsync: boolean,
  ) {}

  write(b: Buffer): void {
    this.pending.push(b);
    this.pendingBytes += b.length;
    if (this.pendingBytes >= WRITE_CHUNK) this.drain();
  }

  drain(): void {
    if (this.pendingBytes === 0 || this.error !== null) return;
    const data = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    try {
      let off = 0;
      while (off < data.length) off += writeSync(this.fd, data, off, data.length - off);
    } catch (e) {
      this.error = e as Error;
      return;
    }
    this.sinceSync += data.length;
    if (this.incrementalFsync && this.sinceSync >= AUTOSYNC_BYTES) {
      this.sinceSync = 0;
      fdatasync(this.fd, () => {});
    }
  }
}

export class AofRewrite {
  readonly startedMs = Date.now();
  readonly tmpPath = `temp-rewriteaof-bg-${process.pid}.aof`;
  readonly rdbPreamble: boolean;
  private readonly fd: number;
  private snapshot: CopyOnWriteSnapshot | null = null;
  killed = false;
  private closed = false;

  /** Starts writing at once; `onDone(ok)` runs after the file is complete (or failed). */
  constructor(
    private readonly server: Server,
    private readonly onDone: (ok: boolean) => void,
  ) {
    const cfg = server.config;
    this.rdbPreamble = cfg.bool('aof-use-rdb-preamble');
    this.fd = openSync(this.tmpPath, 'w', 0o644);
    const file = new RewriteFile(this.fd, cfg.bool('aof-rewrite-incremental-fsync'));
    const finish = (err: Error | null) => {
      if (this.killed) return;
      file.drain();
      err ??= file.error;
      if (err === null) {
        try {
          fsyncSync(this.fd);
        } catch (e) {
          err = e as Error;
        }
      }
      this.close();
      if (err !== null) server.log.warning(`Write error writing append only file on disk: ${strerror(err)}`);
      else server.log.notice(`Successfully created the temporary AOF base file ${this.tmpPath}`);
      onDone(err === null);
    };
    if (this.rdbPreamble) {
      this.snapshot = server.persistence.snapshotAofBase({ write: (b) => file.write(b) }, finish);
      return;
    }
    this.snapshot = startCommandsBase(server, (b) => file.write(b), () => finish(null), finish);
  }

  /** Moves the finished file to its place in the AOF directory. */
  moveTo(path: string): void {
    renameSync(this.tmpPath, path);
  }

  /** killAppendOnlyChild: stops where it is; the caller removes the temp file. */
  kill(): void {
    if (this.closed) return;
    this.killed = true;
    this.snapshot?.finish();
    this.close();
  }

  removeTemp(): void {
    try {
      unlinkSync(this.tmpPath);
    } catch {
      // Renamed into place, or never written.
    }
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  /**
   * rewriteAppendOnlyFile: the whole base written before returning (an empty dataset
   * at start-up, where nothing else runs yet). Throws on failure.
   */
  static writeNow(server: Server, path: string): void {
    const tmp = `temp-rewriteaof-${process.pid}.aof`;
    const fd = openSync(tmp, 'w', 0o644);
    try {
      const file = new RewriteFile(fd, false);
      let error: Error | null = null;
      if (server.config.bool('aof-use-rdb-preamble')) {
        server.persistence.writeAofBaseNow({ write: (b) => file.write(b) });
      } else {
        startCommandsBase(server, (b) => file.write(b), () => {}, (e) => (error = e), true);
      }
      file.drain();
      error ??= file.error;
      if (error !== null) throw error;
      fsyncSync(fd);
    } catch (e) {
      closeSync(fd);
      unlinkSync(tmp);
      server.log.warning(`Write error writing append only file on disk: ${strerror(e)}`);
      throw e;
    }
    closeSync(fd);
    renameSync(tmp, path);
  }
}

/**
 * The commands form of a base: functions, then per database a SELECT and each key
 * rebuilt with the fewest commands (rewrite-commands.ts). `sync` walks it all now.
 */
function startCommandsBase(
  server: Server,
  write: (b: Buffer) => void,
  finish: () => void,
  onError: (e: Error) => void,
  sync = false,
): CopyOnWriteSnapshot {
  if (server.config.bool('aof-timestamp-enabled')) write(Buffer.from(timestampAnnotation(Math.floor(Date.now() / 1000)), 'latin1'));
  const scripting = server.scripting as Server['scripting'] | undefined;
  for (const code of scripting?.functions.codes() ?? []) write(encodeCommand(['FUNCTION', 'LOAD', code]));
  let currentDb = -1;
  const emit = (argv: string[]) => write(encodeCommand(argv));
  const selectDb = (dbId: number) => {
    if (dbId === currentDb) return;
    currentDb = dbId;
    emit(['SELECT', String(dbId)]);
  };
  const snapshot = new CopyOnWriteSnapshot(server.dbs, {
    selectDb: (dbId) => selectDb(dbId),
    key: (dbId, key, value, expireMs) => {
      selectDb(dbId);
      rewriteKey(key, value, expireMs >= 0 ? expireMs : null, emit);
    },
  });
  if (sync) walkSnapshotNow(snapshot, finish, onError);
  else driveSnapshot(snapshot, server.config.num('rdb-key-save-delay'), finish, onError);
  return snapshot;
}
