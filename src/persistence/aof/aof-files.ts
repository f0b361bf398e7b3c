// The AOF directory on disk (aof.c's file half): reading and atomically replacing
// the manifest, file sizes, and removing history files. Paths are relative to the
// working directory (`dir`), as Redis's are.

import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { strerror } from '../../config/parse-file.js';
import { formatManifest, manifestFileName, parseManifest, tempFileName, type AofManifest } from './manifest.js';

export class AofDir {
  constructor(
    /** appenddirname. */
    readonly dirname: string,
    /** appendfilename. */
    readonly filename: string,
  ) {}

  path(name: string): string {
    return join(this.dirname, name);
  }

  exists(): boolean {
    return existsSync(this.dirname);
  }

  /** dirCreateIfMissing; the error text when it cannot. */
  ensure(): string | null {
    try {
      mkdirSync(this.dirname, { recursive: true });
      return null;
    } catch (e) {
      return strerror(e);
    }
  }

  /** aofLoadManifestFromDisk: the manifest, or null when there is none. Throws AofManifestError when it is malformed. */
  readManifest(): AofManifest | null {
    const p = this.path(manifestFileName(this.filename));
    if (!existsSync(p)) return null;
    return parseManifest(readFileSync(p, 'latin1'));
  }

  /**
   * writeAofManifestFile: written to a temp file, fsynced, renamed over the old one,
   * then the directory fsynced, so a crash leaves either manifest whole.
   */
  writeManifest(m: AofManifest): void {
    const name = manifestFileName(this.filename);
    const tmp = this.path(tempFileName(name));
    const fd = openSync(tmp, 'w', 0o644);
    try {
      writeSync(fd, Buffer.from(formatManifest(m), 'latin1'));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path(name));
    this.fsyncDir();
  }

  fsyncDir(): void {
    let fd = -1;
    try {
      fd = openSync(this.dirname, 'r');
      fsyncSync(fd);
    } catch {
      // Some filesystems refuse fsync on a directory; the rename itself is atomic.
    } finally {
      if (fd >= 0) closeSync(fd);
    }
  }

  /** getAppendOnlyFileSize: -1 when the file is missing. */
  size(name: string): number {
    try {
      return statSync(this.path(name)).size;
    } catch {
      return -1;
    }
  }

  unlink(name: string): void {
    try {
      unlinkSync(this.path(name));
    } catch {
      // Already gone.
    }
  }
}
