// Loading the AOF (aof.c's loadAppendOnlyFiles / loadSingleAppendOnlyFile): the
// base (RDB or commands) and then each incr file, in manifest order, replayed by a
// client with no connection; an old single-file appendonly.aof is first moved into
// the AOF directory as 7.0 upgrades it. A command cut short at the end of the last
// file is dropped (aof-load-truncated) and the file truncated there, as is a MULTI
// without its EXEC; anything malformed stops start-up naming the file and offset.

import { existsSync, readFileSync, renameSync, truncateSync } from 'node:fs';
import type { Server } from '../../server/server.js';
import { strerror } from '../../config/parse-file.js';
import type { Aof } from './aof.js';
import { AofCommandReader, isRdbPreamble } from './command-reader.js';
import { AofManifestError, emptyManifest, upgradeFromSingleFile, type AofFileInfo, type AofManifest } from './manifest.js';

export type AofLoadStatus = 'ok' | 'not_exist' | 'empty' | 'open_err' | 'failed' | 'truncated';

export function loadAppendOnlyFiles(aof: Aof, server: Server): AofLoadStatus {
  const dir = aof.dir;
  let manifest: AofManifest;
  try {
    manifest = dir.readManifest() ?? emptyManifest();
  } catch (e) {
    const err = e as Error;
    const where = e instanceof AofManifestError && e.lineText !== null ? ` (line ${e.lineNumber}: ${e.lineText})` : '';
    server.log.warning(`${strerror(err)}${where}`);
    return 'failed';
  }
  const name = dir.filename;
  if (existsSync(name)) {
    const noFiles = manifest.base === null && manifest.incrs.length === 0;
    const halfUpgraded =
      manifest.base !== null && manifest.incrs.length === 0 && manifest.base.name === name && !existsSync(dir.path(name));
    if (!dir.exists() || noFiles || halfUpgraded) {
      const err = dir.ensure();
      if (err !== null) {
        server.log.warning(`Can't open or create append-only dir ${dir.dirname}: ${err}`);
        return 'failed';
      }
      manifest = upgradeFromSingleFile(manifest, name);
      try {
        dir.writeManifest(manifest);
        renameSync(name, dir.path(name));
      } catch (e) {
        server.log.warning(`Error trying to move the old AOF file ${name} into dir ${dir.dirname}: ${strerror(e)}`);
        return 'failed';
      }
      server.log.notice(`Successfully migrated an old-style AOF file (${name}) into the AOF directory (${dir.dirname}).`);
    }
  }
  aof.adoptLoaded(manifest, 0, 0);
  const files: AofFileInfo[] = [...(manifest.base !== null ? [manifest.base] : []), ...manifest.incrs];
  if (files.length === 0) return 'not_exist';
  let total = 0;
  for (const f of files) {
    const size = dir.size(f.name);
    if (size < 0) {
      server.log.warning(`Unable to obtain the AOF file ${f.name} length. stat: No such file or directory`);
      return 'failed';
    }
    total += size;
  }
  if (total === 0) return 'empty';
  const baseSize = manifest.base !== null ? dir.size(manifest.base.name) : 0;
  let status: AofLoadStatus = 'ok';
  const dirtyBefore = server.dirty;
  server.replication.setLoading('blocking');
  try {
    for (let i = 0; i < files.length; i++) {
      const f = files[i];
      const last = i === files.length - 1;
      const t0 = Date.now();
      status = loadSingleFile(server, aof, f.name);
      const kind = f.type === 'b' ? 'base' : 'incr';
      if (status === 'ok' || (status === 'truncated' && last)) {
        server.log.notice(`DB loaded from ${kind} file ${f.name}: ${((Date.now() - t0) / 1000).toFixed(3)} seconds`);
      }
      if (status === 'empty') status = 'ok';
      if (status === 'truncated' && !last) {
        server.log.warning('Fatal error: the truncated file is not the last file');
        status = 'failed';
      }
      if (status === 'open_err' || status === 'failed') return status;
    }
  } finally {
    server.replication.setLoading('none');
    server.dirty = dirtyBefore;
  }
  aof.adoptLoaded(manifest, total, Math.max(0, baseSize));
  return status;
}

function loadSingleFile(server: Server, aof: Aof, name: string): AofLoadStatus {
  const path = aof.dir.path(name);
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') {
      server.log.warning(`The append log file ${name} doesn't exist: ${strerror(err)}`);
      return 'not_exist';
    }
    server.log.warning(`Fatal error: can't open the append log file ${name} for reading: ${strerror(err)}`);
    return 'open_err';
  }
  if (buf.length === 0) return 'empty';
  let start = 0;
  const oldStyle = name === aof.dir.filename;
  if (isRdbPreamble(buf)) {
    server.log.notice(oldStyle ? 'Reading RDB preamble from AOF file...' : 'Reading RDB base file on AOF loading...');
    try {
      start = server.persistence.loadAofPreamble(buf);
    } catch (e) {
      server.log.warning(
        oldStyle
          ? `Error reading the RDB preamble of the AOF file ${name}, AOF loading aborted`
          : `Error reading the RDB base file ${name}, AOF loading aborted`,
      );
      server.log.warning(`${name}: ${strerror(e)}`);
      return 'failed';
    }
    if (oldStyle) server.log.notice('Reading the remaining AOF tail...');
  }
  const client = server.replayClient();
  const reader = new AofCommandReader(buf, start);
  let validUpTo = start;
  let validBeforeMulti = start;
  const hooks = server.hooks;
  const wasFromMaster = hooks.fromMaster;
  // Nothing expires while loading: later commands in the file may still use a key.
  hooks.fromMaster = true;
  server.propagationSuppressed++;
  try {
    for (;;) {
      const rec = reader.next();
      if (rec.kind === 'annotation') continue;
      if (rec.kind === 'eof') break;
      if (rec.kind === 'corrupt') {
        server.log.warning(`The bad data in ${name} starts at offset ${rec.offset}; the file was left untouched.`);
        server.log.warning(
          `Bad file format reading the append only file ${name}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>`,
        );
        return 'failed';
      }
      if (rec.kind === 'truncated') return unexpectedEnd(server, name, path, validUpTo);
      const argv = rec.argv.map((b) => b.latin1Slice(0, b.length));
      if (argv[0].toLowerCase() === 'multi') validBeforeMulti = validUpTo;
      if (!server.replayCommand(client, argv)) {
        server.log.warning(`Unknown command '${argv[0]}' reading the append only file ${name}`);
        return 'failed';
      }
      validUpTo = rec.end;
    }
    if (client.multiQueue !== null) {
      server.log.warning(`Revert incomplete MULTI/EXEC transaction in AOF file ${name}`);
      return unexpectedEnd(server, name, path, validBeforeMulti);
    }
    return 'ok';
  } finally {
    server.propagationSuppressed--;
    hooks.fromMaster = wasFromMaster;
    // Effects queued for propagation by the replayed commands belong to nobody.
    server.replication.discardPending();
  }
}

/** The uxeof path: truncate and go on when aof-load-truncated allows, else refuse to start. */
function unexpectedEnd(server: Server, name: string, path: string, validUpTo: number): AofLoadStatus {
  if (server.config.bool('aof-load-truncated')) {
    server.log.warning(`!!! Warning: short read while loading the AOF file ${name}!!!`);
    server.log.warning(`!!! Truncating the AOF ${name} at offset ${validUpTo} !!!`);
    try {
      truncateSync(path, validUpTo);
      server.log.warning(`AOF ${name} loaded anyway because aof-load-truncated is enabled`);
      return 'truncated';
    } catch (e) {
      server.log.warning(`Error truncating the AOF file ${name}: ${strerror(e)}`);
    }
  }
  server.log.warning(
    `Unexpected end of file reading the append only file ${name}. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.`,
  );
  return 'failed';
}
