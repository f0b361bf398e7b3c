// Whole-database commands: DBSIZE FLUSHDB FLUSHALL SWAPDB (db.c).

import { Errors } from '../protocol/errors.js';
import { parseInt64 } from '../util/int64.js';
import type { Client } from '../server/client.js';
import type { Database } from '../keyspace/database.js';
import type { CommandSpec } from './types.js';

/** DBSIZE */
function dbsize(c: Client): void {
  c.int(c.db.size);
}

/**
 * The optional ASYNC|SYNC flag of FLUSHDB/FLUSHALL (getFlushCommandFlags): whether the
 * flush is lazy, or null after replying an error.
 */
function flushIsLazy(c: Client, argv: string[]): boolean | null {
  if (argv.length === 1) return c.server.config.bool('lazyfree-lazy-user-flush');
  const f = argv[1].toLowerCase();
  if (argv.length === 2 && (f === 'sync' || f === 'async')) return f === 'async';
  c.error(Errors.syntax);
  return null;
}

/** Empties a database; a lazy flush counts its keys as freed in the background (emptyDbAsync). */
function emptyDb(c: Client, db: Database, lazy: boolean): number {
  const n = db.clear();
  if (lazy) c.server.stats.lazyfreedObjects += n;
  return n;
}

/** FLUSHDB [ASYNC|SYNC] */
function flushdb(c: Client, argv: string[]): void {
  const lazy = flushIsLazy(c, argv);
  if (lazy === null) return;
  c.server.dirty += emptyDb(c, c.db, lazy);
  // Propagated even when the database was already empty, as Redis does.
  c.server.propagateAs = [argv];
  c.ok();
}

/** FLUSHALL [ASYNC|SYNC] */
function flushall(c: Client, argv: string[]): void {
  const lazy = flushIsLazy(c, argv);
  if (lazy === null) return;
  const server = c.server;
  for (const db of server.dbs) server.dirty += emptyDb(c, db, lazy);
  // The snapshot of the data just dropped is of no use any more; with save points the
  // empty dataset is saved at once (flushAllDataAndResetRDB; a failed save is logged).
  server.persistence.abortBgsave();
  server.replication.masterSide?.killDisklessTransfer();
  if (server.config.savePoints().length > 0) {
    try {
      server.persistence.saveSync();
    } catch {
      // saveSync logged why
    }
  }
  server.dirty++;
  c.server.propagateAs = [argv];
  c.ok();
}

function dbIndex(c: Client, arg: string, which: string): number | null {
  const v = parseInt64(arg);
  if (v === null || typeof v === 'bigint' || v < -2147483648 || v > 2147483647) {
    c.error(`ERR invalid ${which} DB index`);
    return null;
  }
  if (v < 0 || v >= c.server.dbs.length) {
    c.error(Errors.dbIndexOutOfRange);
    return null;
  }
  return v;
}

/** SWAPDB index1 index2 */
function swapdb(c: Client, argv: string[]): void {
  const a = dbIndex(c, argv[1], 'first');
  if (a === null) return;
  const b = dbIndex(c, argv[2], 'second');
  if (b === null) return;
  if (a !== b) {
    const dbs = c.server.dbs;
    dbs[a].swapWith(dbs[b]);
    // Clients blocked on keys that now exist in either database may be served.
    c.server.blocking.scanDatabaseForReadyKeys(dbs[a]);
    c.server.blocking.scanDatabaseForReadyKeys(dbs[b]);
    c.server.dirty++;
  }
  c.ok();
}

export const dbCommands: CommandSpec[] = [
  { name: 'dbsize', arity: 1, flags: ['readonly', 'fast'], group: 'keyspace', handler: dbsize },
  { name: 'flushdb', arity: -1, flags: ['write'], group: 'keyspace', handler: flushdb },
  { name: 'flushall', arity: -1, flags: ['write'], group: 'keyspace', handler: flushall },
  { name: 'swapdb', arity: 3, flags: ['write', 'fast'], group: 'keyspace', handler: swapdb },
];
