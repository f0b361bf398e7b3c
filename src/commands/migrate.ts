// MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password]
// [AUTH2 username password] [KEYS key ...] (cluster.c's migrateCommand). The keys are
// serialized as DUMP payloads and sent as RESTOREs; once the target accepted one, it is
// deleted here (unless COPY) and a DEL of the moved keys is propagated.
//
// Redis performs the network round trips synchronously, holding the whole server.
// Here the client waits (as a blocked client) while the rest of the server goes on;
// a key that changes meanwhile was not what the target received, so it is kept here
// rather than deleted (nothing is lost; the target has the older copy).

import { connect, type Socket } from 'node:net';
import type { Client } from '../server/client.js';
import type { Database, KeyWatcher } from '../keyspace/database.js';
import { encodeCommand } from '../replication/encode.js';
import { createDumpPayload, type WritableValue } from '../persistence/rdb/writer.js';
import { Errors } from '../protocol/errors.js';
import { parseInt64 } from '../util/int64.js';
import type { CommandSpec } from './types.js';
import type { Server } from '../server/server.js';
import { REDACTED } from '../server/monitor.js';

interface MigrateArgs {
  host: string;
  port: number;
  dbid: number;
  timeoutMs: number;
  copy: boolean;
  replace: boolean;
  auth: string[] | null;
  keys: string[];
}

/** The arguments, or an error reply's text. */
function parseArgs(argv: readonly string[]): MigrateArgs | string {
  let copy = false;
  let replace = false;
  let auth: string[] | null = null;
  let first = 6;
  let num = 1;
  for (let j = 6; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    const more = argv.length - j - 1;
    if (opt === 'copy') copy = true;
    else if (opt === 'replace') replace = true;
    else if (opt === 'auth') {
      if (more === 0) return Errors.syntax;
      auth = [argv[++j]];
    } else if (opt === 'auth2') {
      if (more < 2) return Errors.syntax;
      auth = [argv[j + 1], argv[j + 2]];
      j += 2;
    } else if (opt === 'keys') {
      if (argv[3].length !== 0) return 'ERR When using MIGRATE KEYS option, the key argument must be set to the empty string';
      first = j + 1;
      num = argv.length - j - 1;
      break;
    } else return Errors.syntax;
  }
  const timeout = parseInt64(argv[5]);
  const dbid = parseInt64(argv[4]);
  if (timeout === null || typeof timeout === 'bigint' || dbid === null || typeof dbid === 'bigint') return Errors.notInteger;
  const port = Number(argv[2]);
  const keys = num === 1 && first === 6 ? [argv[3]] : argv.slice(first, first + num);
  return { host: argv[1], port, dbid, timeoutMs: timeout <= 0 ? 1000 : timeout, copy, replace, auth, keys };
}

/** Slowlog and MONITOR show AUTH's password and AUTH2's user and password redacted. */
function redactMigrateAuth(argv: string[]): void {
  for (let j = 6; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    if (opt === 'auth' && j + 1 < argv.length) argv[++j] = REDACTED;
    else if (opt === 'auth2' && j + 2 < argv.length) {
      argv[j + 1] = REDACTED;
      argv[j + 2] = REDACTED;
      j += 2;
    } else if (opt === 'keys') break;
  }
}

/** migrateGetKeys: the key argument, or every key after KEYS. */
export function migrateGetKeys(argv: readonly string[]): number[] {
  for (let j = 6; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    if (opt === 'auth') j++;
    else if (opt === 'auth2') j += 2;
    else if (opt === 'keys') {
      if (argv[3].length !== 0) return [];
      const out: number[] = [];
      for (let k = j + 1; k < argv.length; k++) out.push(k);
      return out;
    }
  }
  return [3];
}

/** Notes which of the migrating keys change while the target is being written. */
class ChangeWatch implements KeyWatcher {
  readonly changed = new Set<string>();

  constructor(
    private readonly db: Database,
    private readonly keys: readonly string[],
  ) {
    for (const k of keys) {
      let set = db.watched.get(k);
      if (set === undefined) db.watched.set(k, (set = new Set()));
      set.add(this);
    }
  }

  keyTouched(_db: Database, key: string): void {
    this.changed.add(key);
  }

  keyFlushed(_db: Database, key: string): void {
    this.changed.add(key);
  }

  release(): void {
    for (const k of this.keys) {
      const set = this.db.watched.get(k);
      if (set === undefined) continue;
      set.delete(this);
      if (set.size === 0) this.db.watched.delete(k);
    }
  }
}

/** One request/response exchange with the target: writes everything, then reads one status line per command. */
function exchange(a: MigrateArgs, request: Buffer, replies: number, done: (err: string | null, lines: string[]) => void): void {
  let sock: Socket | null = null;
  let finished = false;
  let phase = 'connecting to';
  let buf = '';
  const lines: string[] = [];
  const finish = (err: string | null): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    sock?.destroy();
    done(err, lines);
  };
  // One deadline per phase, as Redis's timeout applies to each I/O (connect, then the exchange).
  let timer = setTimeout(() => finish(`IOERR error or timeout ${phase} target instance`), a.timeoutMs);
  sock = connect({ host: a.host, port: a.port });
  sock.setNoDelay(true);
  sock.on('error', () => finish(phase === 'connecting to' ? 'IOERR error or timeout connecting to the client' : `IOERR error or timeout ${phase} target instance`));
  sock.on('close', () => finish(`IOERR error or timeout ${phase} target instance`));
  sock.on('connect', () => {
    clearTimeout(timer);
    phase = 'reading';
    timer = setTimeout(() => finish(`IOERR error or timeout ${phase} target instance`), a.timeoutMs);
    sock!.write(request);
  });
  sock.on('data', (d: Buffer) => {
    buf += d.toString('latin1');
    for (;;) {
      const nl = buf.indexOf('\r\n');
      if (nl < 0) break;
      lines.push(buf.slice(0, nl));
      buf = buf.slice(nl + 2);
      if (lines.length === replies) {
        finish(null);
        return;
      }
    }
  });
}

/** Deletes what the target took (unless COPY or changed meanwhile) and propagates one DEL of them. */
function deleteMoved(server: Server, db: Database, keys: readonly string[]): void {
  const deleted: string[] = [];
  for (const k of keys) if (db.delete(k)) deleted.push(k);
  if (deleted.length === 0) return;
  server.dirty += deleted.length;
  server.replication.propagate(db.id, ['DEL', ...deleted]);
  server.replication.flushPending();
  server.hooks.memory.settle();
}

/** MIGRATE */
function migrate(c: Client, argv: string[]): void {
  const parsed = parseArgs(argv);
  if (typeof parsed === 'string') {
    c.error(parsed);
    return;
  }
  const a = parsed;
  const db = c.db;
  const server = c.server;
  // The keys that exist (lookupKeyRead), with their TTLs left.
  const found: string[] = [];
  const commands: string[][] = [];
  if (a.auth !== null) commands.push(['AUTH', ...a.auth]);
  commands.push(['SELECT', String(a.dbid)]);
  const now = server.hooks.now;
  for (const key of a.keys) {
    const v = db.getRead(key);
    if (v === undefined) continue;
    let ttl = 0;
    const at = db.getExpire(key);
    if (at !== -1) {
      ttl = at - now;
      if (ttl < 0) continue;
      if (ttl < 1) ttl = 1;
    }
    found.push(key);
    const payload = createDumpPayload(v as WritableValue, { compression: server.config.bool('rdbcompression') }).toString('latin1');
    const restore = ['RESTORE', key, String(ttl), payload];
    if (a.replace) restore.push('REPLACE');
    commands.push(restore);
  }
  if (found.length === 0) {
    c.status('NOKEY');
    return;
  }
  if (c.denyBlocking) {
    // Inside MULTI or a script the command cannot wait for the network.
    c.error('ERR MIGRATE cannot run inside MULTI/EXEC or a script in redis-ts');
    return;
  }
  if (!(Number.isInteger(a.port) && a.port > 0 && a.port < 65536)) {
    c.error('IOERR error or timeout connecting to the client');
    return;
  }
  const request = Buffer.concat(commands.map(encodeCommand));
  const watch = new ChangeWatch(db, found);
  server.blocking.blockForKeys(c, [], 0, (cl) => cl.error('IOERR error or timeout reading to target instance'));
  exchange(a, request, commands.length, (ioErr, lines) => {
    watch.release();
    let error = ioErr;
    if (error === null) {
      const moved: string[] = [];
      const restoresFrom = a.auth !== null ? 2 : 1;
      for (let i = 0; i < lines.length; i++) {
        if (lines[i].startsWith('-')) {
          // AUTH and SELECT errors end the migration; RESTORE errors are reported, the rest go on.
          error = `ERR Target instance replied with error: ${lines[i].slice(1)}`;
          if (i < restoresFrom) break;
        } else if (i >= restoresFrom) moved.push(found[i - restoresFrom]);
      }
      if (!a.copy) {
        const unchanged = moved.filter((k) => !watch.changed.has(k));
        if (unchanged.length < moved.length) {
          server.log.warning(`MIGRATE: ${moved.length - unchanged.length} key(s) changed during the transfer and were kept here`);
        }
        deleteMoved(server, db, unchanged);
      }
    }
    // The client may have gone (or been unblocked) meanwhile; the migration stands either way.
    if (c.blocked !== null) {
      if (error !== null) server.blocking.failWaiting(c, error);
      else c.ok();
      server.blocking.unblock(c, true);
    }
    server.flushAll();
  });
}

export const migrateCommands: CommandSpec[] = [
  {
    name: 'migrate',
    arity: -6,
    flags: ['write'],
    keys: [3, 3, 1],
    getKeys: migrateGetKeys,
    group: 'keyspace',
    handler: migrate,
    redact: redactMigrateAuth,
  },
];
