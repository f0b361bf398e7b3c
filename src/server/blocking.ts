// Blocking commands (blocked.c): clients waiting on keys (BLPOP, BZPOPMIN, XREAD
// BLOCK ...) or on time (WAIT). A client blocks by calling blockForKeys from its
// handler without replying. When a write makes a watched key ready, the waiting
// clients' commands are run again, first come first served; one that still finds
// nothing keeps its place. A timeout or CLIENT UNBLOCK ends the wait with the
// command's own timeout reply.

import type { Command } from '../commands/types.js';
import { Errors } from '../protocol/errors.js';
import type { Database } from '../keyspace/database.js';
import type { Client } from './client.js';
import type { Server } from './server.js';
import { call, runClientInput } from './dispatch.js';

/** The longest delay setTimeout honours. */
const MAX_TIMER_MS = 2147483647;

export interface BlockState {
  db: Database;
  keys: readonly string[];
  cmd: Command;
  argv: string[];
  /** Absolute deadline in ms; 0 waits forever. */
  deadline: number;
  timer: NodeJS.Timeout | null;
  /** Writes the reply a timeout (or CLIENT UNBLOCK TIMEOUT) gives. */
  timeoutReply: (c: Client) => void;
}

export class Blocking {
  /** Per database, per key: clients waiting, oldest first. */
  private readonly waiting = new Map<Database, Map<string, Client[]>>();
  /** Keys made ready by the running command, served after it. */
  private ready: { db: Database; key: string }[] = [];
  private readonly readySet = new Set<string>();
  /** The client whose blocked command is being re-run, and whether it blocked again. */
  private retrying: Client | null = null;
  private reblocked = false;
  /** handleReadyKeys is running: keys made ready meanwhile join its loop instead of nesting. */
  private handling = false;
  /** While a waiter is re-run: the key whose readiness serves it (Redis serves from that key). */
  servingKey: string | null = null;
  blockedCount = 0;

  constructor(private readonly server: Server) {}

  /**
   * Parks the client on `keys` until one is ready or `deadline` (abs ms, 0 = never).
   * Called from a handler that found nothing to serve and did not reply.
   */
  blockForKeys(c: Client, keys: readonly string[], deadline: number, timeoutReply: (c: Client) => void, argv?: string[]): void {
    if (this.retrying === c) {
      // Still nothing to serve: it keeps its place in the queues.
      this.reblocked = true;
      return;
    }
    const cmd = this.server.currentCommand;
    if (cmd === null) throw new Error('blockForKeys outside a command');
    // `argv` lets a command re-run in a resolved form (XREAD's `$` as the ID it meant).
    const state: BlockState = { db: c.db, keys, cmd, argv: argv ?? this.server.currentArgv, deadline, timer: null, timeoutReply };
    c.blocked = state;
    this.blockedCount++;
    let perDb = this.waiting.get(c.db);
    if (perDb === undefined) this.waiting.set(c.db, (perDb = new Map()));
    for (const k of keys) {
      let q = perDb.get(k);
      if (q === undefined) perDb.set(k, (q = []));
      if (!q.includes(c)) q.push(c);
    }
    if (deadline > 0) this.armTimer(c, state);
  }

  /** Node fires timers longer than 2^31-1 ms at once: wait in steps up to the deadline. */
  private armTimer(c: Client, state: BlockState): void {
    const left = Math.max(0, state.deadline - Date.now());
    state.timer = setTimeout(() => {
      if (c.blocked !== state) return;
      if (Date.now() >= state.deadline) this.timeout(c);
      else this.armTimer(c, state);
    }, Math.min(left, MAX_TIMER_MS));
    state.timer.unref();
  }

  /** Whether any client waits on this key (cheap check for writers). */
  hasWaiters(db: Database, key: string): boolean {
    return this.blockedCount > 0 && (this.waiting.get(db)?.has(key) ?? false);
  }

  /** signalKeyAsReady: a key that blocked clients wait on may now serve them. */
  signalKeyAsReady(db: Database, key: string): void {
    if (!this.hasWaiters(db, key)) return;
    const id = `${db.id}\x00${key}`;
    if (this.readySet.has(id)) return;
    this.readySet.add(id);
    this.ready.push({ db, key });
  }

  /**
   * scanDatabaseForReadyKeys: after SWAPDB brought other contents into `db`, every key
   * a client waits on there that now exists may serve it.
   */
  scanDatabaseForReadyKeys(db: Database): void {
    const perDb = this.waiting.get(db);
    if (perDb === undefined) return;
    for (const key of perDb.keys()) if (db.dict.has(key)) this.signalKeyAsReady(db, key);
  }

  /** handleClientsBlockedOnKeys: serves waiting clients of every ready key, in order. */
  handleReadyKeys(): void {
    // A served command's own writes (BLMOVE's push) end in call(), which lands here again:
    // those keys wait for the next round of the outer loop, as in Redis.
    if (this.handling) return;
    this.handling = true;
    try {
      this.serveReadyKeys();
    } finally {
      this.handling = false;
    }
  }

  private serveReadyKeys(): void {
    while (this.ready.length > 0) {
      const batch = this.ready;
      this.ready = [];
      this.readySet.clear();
      for (const { db, key } of batch) {
        const q = this.waiting.get(db)?.get(key);
        if (q === undefined) continue;
        for (const c of q.slice()) {
          const st = c.blocked;
          if (st === null || c.closed) continue;
          // Re-run the command as the client sent it, in its own database.
          const savedDb = c.db;
          c.db = st.db;
          this.retrying = c;
          this.reblocked = false;
          this.servingKey = key;
          call(this.server, c, st.cmd, st.argv);
          this.servingKey = null;
          this.retrying = null;
          c.db = savedDb;
          if (c.blocked === st && !this.reblocked) this.unblock(c, false);
          if (!db.dict.has(key)) break;
        }
      }
    }
  }

  private timeout(c: Client): void {
    const st = c.blocked;
    if (st === null) return;
    st.timeoutReply(c);
    this.unblock(c, true);
  }

  /** CLIENT UNBLOCK: ends a wait with the timeout reply, or with an UNBLOCKED error. */
  unblockByRequest(c: Client, withError: boolean): boolean {
    const st = c.blocked;
    if (st === null) return false;
    if (withError) this.failWaiting(c, Errors.clientUnblockedViaClientUnblock);
    else st.timeoutReply(c);
    this.unblock(c, true);
    return true;
  }

  /**
   * Ends a wait with an error from outside the blocked command (CLIENT UNBLOCK ERROR, a
   * role change): the failure is the blocked command's (updateStatsOnUnblock), not that
   * of the command running now.
   */
  failWaiting(c: Client, msg: string): void {
    const st = c.blocked;
    c.error(msg);
    if (st === null) return;
    st.cmd.stats.failedCalls++;
    this.server.errorsAccounted++;
  }

  /**
   * Whether the command that just ran left its client waiting: a first call that
   * blocked, or a retry that blocked again. Its stats wait for the unblocking.
   */
  leftWaiting(c: Client): boolean {
    return c.blocked !== null && (this.retrying !== c || this.reblocked);
  }

  /** Removes the client from every queue and resumes reading its requests. */
  unblock(c: Client, resume: boolean): void {
    const st = c.blocked;
    if (st === null) return;
    // Ended without being served by a re-run (timeout, CLIENT UNBLOCK, an answer from
    // outside): the blocked command counts its call now (updateStatsOnUnblock).
    if (resume) st.cmd.stats.calls++;
    if (st.timer !== null) clearTimeout(st.timer);
    const perDb = this.waiting.get(st.db);
    if (perDb !== undefined) {
      for (const k of st.keys) {
        const q = perDb.get(k);
        if (q === undefined) continue;
        const i = q.indexOf(c);
        if (i >= 0) q.splice(i, 1);
        if (q.length === 0) perDb.delete(k);
      }
      if (perDb.size === 0) this.waiting.delete(st.db);
    }
    c.blocked = null;
    this.blockedCount--;
    if (resume && !c.closed) {
      this.server.scheduleFlush(c);
      runClientInput(this.server, c);
    } else if (!c.closed) {
      // Served by a retry: the rest of its pipeline runs after the current command.
      this.server.resumeLater(c);
    }
  }

  /** A closing client stops waiting. */
  clientClosed(c: Client): void {
    if (c.blocked !== null) this.unblock(c, false);
  }
}
