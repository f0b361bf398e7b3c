// SHUTDOWN as Redis 7.0 sequences it (server.c's prepareForShutdown, finishShutdown,
// abortShutdown): unless NOW, a master with lagging replicas pauses writes, asks them
// for an ACK and waits up to shutdown-timeout seconds for them to catch up before it
// saves and exits. SHUTDOWN ABORT cancels the wait; the clients waiting on SHUTDOWN
// then get an error.

import { Errors } from '../protocol/errors.js';
import type { Client } from './client.js';
import type { Server } from './server.js';

export interface ShutdownFlags {
  save?: boolean;
  nosave?: boolean;
  force?: boolean;
  /** Do not wait for lagging replicas. */
  now?: boolean;
}

export class ShutdownSequence {
  /** When the wait for replicas gives up (ms), or 0 when no shutdown is under way. */
  private deadline = 0;
  private flags: ShutdownFlags = {};
  /** Clients whose SHUTDOWN waits (they get no reply when the process exits). */
  private readonly waiting = new Set<Client>();

  constructor(private readonly server: Server) {}

  get initiated(): boolean {
    return this.deadline !== 0;
  }

  /**
   * prepareForShutdown: exits (true) or starts waiting for replicas (false, with
   * `requester` waiting); false too when the final save failed (the error was logged,
   * and `requester` answered).
   */
  request(flags: ShutdownFlags, requester: Client | null): boolean {
    const s = this.server;
    if (this.initiated) {
      if (requester !== null) this.wait(requester);
      return false;
    }
    s.log.warning('User requested shutdown...');
    this.flags = flags;
    if (flags.now !== true && s.config.num('shutdown-timeout') !== 0 && !this.replicasInSync()) {
      this.deadline = Date.now() + s.config.num('shutdown-timeout') * 1000;
      s.replication.requestAcks();
      s.setInternalPause('shutdown', true);
      s.log.notice('Waiting for replicas before shutting down.');
      if (requester !== null) this.wait(requester);
      return false;
    }
    if (this.finish()) return true;
    requester?.error(Errors.errorsTryingToShutdownCheckLogs);
    return false;
  }

  /** From the cron and after each ACK: finishes once every replica caught up or the time is up. */
  check(): void {
    if (!this.initiated) return;
    if (Date.now() >= this.deadline || this.replicasInSync()) this.finish();
  }

  /** SHUTDOWN ABORT: false when no shutdown is under way. */
  abort(): boolean {
    if (!this.initiated) return false;
    this.cancel();
    this.server.log.notice('Shutdown manually aborted.');
    return true;
  }

  private wait(c: Client): void {
    this.waiting.add(c);
    this.server.blocking.blockForKeys(c, [], 0, (cl) => cl.error(Errors.errorsTryingToShutdownCheckLogs));
  }

  /** isReadyToShutdown: every replica acknowledged the whole stream. */
  private replicasInSync(): boolean {
    const repl = this.server.replication;
    for (const r of repl.replicas.values()) if (r.ackOffset !== repl.masterReplOffset) return false;
    return true;
  }

  /** finishShutdown: reports lagging replicas, then saves and exits; false when it could not. */
  private finish(): boolean {
    const s = this.server;
    const repl = s.replication;
    let lagging = 0;
    for (const r of repl.replicas.values()) {
      if (r.ackOffset === repl.masterReplOffset) continue;
      lagging++;
      const lag = r.state === 'online' ? Math.floor((Date.now() - r.ackTime) / 1000) : 0;
      s.log.warning(
        `Lagging replica ${r.client.addr} reported offset ${repl.masterReplOffset - r.ackOffset} behind master, lag=${lag}, state=${r.state}.`,
      );
    }
    if (repl.replicas.size > 0) s.log.notice(`${repl.replicas.size - lagging} of ${repl.replicas.size} replicas are in sync when shutting down.`);
    if (s.shutdown(0, this.flags)) return true;
    this.cancel();
    return false;
  }

  /** cancelShutdown: the waiting SHUTDOWNs get an error, writes resume. */
  private cancel(): void {
    const s = this.server;
    this.deadline = 0;
    this.flags = {};
    for (const c of this.waiting) {
      if (c.closed || c.blocked === null) continue;
      s.blocking.failWaiting(c, Errors.errorsTryingToShutdownCheckLogs);
      s.blocking.unblock(c, true);
    }
    this.waiting.clear();
    s.setInternalPause('shutdown', false);
  }
}
