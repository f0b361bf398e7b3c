// Transactions: MULTI EXEC DISCARD WATCH UNWATCH (multi.c). Queueing happens in
// dispatch; EXEC runs the queue through call(), so every queued command's
// effects join one propagation batch (a MULTI/EXEC block for replicas).

import { Errors } from '../protocol/errors.js';
import type { Client } from '../server/client.js';
import { call } from '../server/dispatch.js';
import type { CommandSpec } from './types.js';


/** MULTI */
function multi(c: Client): void {
  if (c.multiQueue !== null) {
    c.error(Errors.multiNested);
    return;
  }
  c.multiQueue = [];
  c.ok();
}

/** A watched key that was alive at WATCH time has since expired (isWatchedKeyExpired). */
function watchedKeyExpired(c: Client): boolean {
  for (const w of c.watched) {
    if (!w.expiredAtWatch && w.db.dict.has(w.key) && w.db.isExpired(w.key)) return true;
  }
  return false;
}

/** EXEC */
function exec(c: Client): void {
  const queue = c.multiQueue;
  if (queue === null) {
    c.error(Errors.execWithoutMulti);
    return;
  }
  if (watchedKeyExpired(c)) c.dirtyCas = true;
  if (c.dirtyExec || c.dirtyCas) {
    if (c.dirtyExec) c.error(Errors.execAbort);
    else c.nullArray();
    c.discardTransaction();
    return;
  }
  c.server.unwatchAll(c);
  c.multiQueue = null;
  c.inExec = true;
  c.arrayLen(queue.length);
  for (const q of queue) call(c.server, c, q.cmd, q.argv);
  c.inExec = false;
  c.discardTransaction();
}

/** DISCARD */
function discard(c: Client): void {
  if (c.multiQueue === null) {
    c.error(Errors.discardWithoutMulti);
    return;
  }
  c.discardTransaction();
  c.ok();
}

/** WATCH key [key ...] */
function watch(c: Client, argv: string[]): void {
  if (c.multiQueue !== null) {
    c.error(Errors.watchInMulti);
    return;
  }
  // Redis refuses WATCH only inside MULTI; a dirty client keeps adding keys.
  for (let i = 1; i < argv.length; i++) {
    const key = argv[i];
    const db = c.db;
    if (c.watched.some((w) => w.db === db && w.key === key)) continue;
    let set = db.watched.get(key);
    if (set === undefined) db.watched.set(key, (set = new Set()));
    set.add(c);
    c.watched.push({ db, key, expiredAtWatch: db.dict.has(key) && db.isExpired(key) });
  }
  c.ok();
}

/** UNWATCH */
function unwatch(c: Client): void {
  c.server.unwatchAll(c);
  c.dirtyCas = false;
  c.ok();
}

export const transactionCommands: CommandSpec[] = [
  { name: 'multi', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], group: 'transactions', handler: multi },
  { name: 'exec', arity: 1, flags: ['noscript', 'loading', 'stale', 'skip_slowlog'], group: 'transactions', handler: exec },
  { name: 'discard', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], group: 'transactions', handler: discard },
  { name: 'watch', arity: -2, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], group: 'transactions', handler: watch, keys: [1, -1, 1] },
  { name: 'unwatch', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], group: 'transactions', handler: unwatch },
];
