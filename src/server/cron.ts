// Periodic work at `hz` (server.c's serverCron): active expiry, client timeouts,
// the end of CLIENT PAUSE, instantaneous statistics, and the replication cron.

import { activeExpireCycle } from '../keyspace/expire.js';
import { usedMemory } from './memory.js';
import { Notify, notifyKeyspaceEvent } from './keyspace-events.js';
import { evictClients } from './evict.js';
import { REPLY_BUFFER_SIZE } from './client.js';

/** The smallest reply buffer a client is shrunk to (PROTO_REPLY_MIN_BYTES). */
const REPLY_BUFFER_MIN = 1024;
/** REPLY_BUFFER_DEFAULT_PEAK_RESET_TIME */
export const REPLY_PEAK_RESET_MS = 5000;
import type { Server } from './server.js';

const MIN_HZ = 1;
const MAX_HZ = 500;

export class Cron {
  private timer: NodeJS.Timeout | null = null;
  /** Active expiry can be switched off with DEBUG SET-ACTIVE-EXPIRE 0. */
  activeExpireEnabled = true;
  /** DEBUG PAUSE-CRON: nothing periodic runs while set. */
  paused = false;
  /** DEBUG REPLYBUFFER RESIZING. */
  replyBufferResizing = true;
  /** DEBUG REPLYBUFFER PEAK-RESET-TIME: how often a client's reply buffer peak restarts (ms; -1: never). */
  replyPeakResetMs = REPLY_PEAK_RESET_MS;

  constructor(private readonly server: Server) {}

  get hz(): number {
    return Math.min(MAX_HZ, Math.max(MIN_HZ, this.server.config.num('hz')));
  }

  start(): void {
    this.reschedule();
  }

  reschedule(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = setInterval(() => this.tick(), Math.floor(1000 / this.hz));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    if (this.paused) return;
    const s = this.server;
    const now = Date.now();
    s.hooks.now = now;
    if (s.pause.type !== null && now >= s.pause.until) s.unpause();
    s.replication.failover.update();
    s.shutdownSequence.check();
    if (this.activeExpireEnabled && s.hooks.expireEnabled && !s.hooks.expirePaused && !s.replication.loading && !s.scriptBusy()) {
      const t0 = performance.now();
      const r = activeExpireCycle(s.dbs, now, this.hz, s.config.num('active-expire-effort'), (db, key) => {
        db.expireIfNeeded(key);
        // Each expired key travels alone, never wrapped in MULTI with others.
        s.replication.flushPending();
      });
      if (r.timeCapReached) s.stats.expiredTimeCapReached++;
      if (r.sampled > 0) s.stats.expiredStalePerc = (r.expired / r.sampled) * 0.05 + s.stats.expiredStalePerc * 0.95;
      const elapsed = performance.now() - t0;
      s.stats.expireCycleCpuMs += elapsed;
      if (s.latencyThresholdMs > 0 && elapsed >= s.latencyThresholdMs) s.latency.add('expire-cycle', elapsed);
      s.replication.flushPending();
      // Expired keys may have released clients waiting on them (XREADGROUP on a gone stream).
      if (s.blocking.blockedCount > 0) s.blocking.handleReadyKeys();
    }
    // A writable replica expires the TTL keys its own clients wrote (its master never will).
    if (!s.hooks.expireEnabled && s.replicaExpires.size > 0 && !s.hooks.expirePaused) {
      s.replicaExpires.expire(now, (db, key) => {
        db.delete(key);
        s.stats.expiredKeys++;
        notifyKeyspaceEvent(s, Notify.expired, 'expired', key, db.id);
      });
    }
    // Expired keys are noted for the memory accounting: settle them, and keep the peak (stat_peak_memory).
    s.stats.notePeakMemory(usedMemory(s));
    s.stats.sample('ops', now, s.stats.totalCommands);
    s.stats.sample('net_in', now, s.stats.netInputBytes);
    s.stats.sample('net_out', now, s.stats.netOutputBytes);
    s.stats.sample('net_repl_in', now, s.stats.netReplInputBytes);
    s.stats.sample('net_repl_out', now, s.stats.netReplOutputBytes);
    this.closeTimedOutClients(now);
    this.resizeReplyBuffers(now);
    // A CONFIG SET of tracking-table-max-keys takes effect even when no command follows.
    if (s.hooks.trackingActive) s.tracking.limitUsedSlots();
    if (s.maxmemoryClients !== 0) evictClients(s);
    s.persistence.cron(now);
    s.aof.cron(now);
    s.replication.cron(now);
    s.flushAll();
  }

  /**
   * clientsCronResizeOutputBuffer: a client whose replies never filled half its reply
   * buffer since the last peak reset gets a smaller one; one that filled it, a bigger one.
   */
  private resizeReplyBuffers(now: number): void {
    if (!this.replyBufferResizing) return;
    for (const c of this.server.clients.values()) {
      if (c.socket === null) continue;
      const rb = c.replyBuffer;
      const shrinkTo = rb.size / 2;
      const expandTo = rb.size * 2;
      if (shrinkTo >= REPLY_BUFFER_MIN && rb.peak < shrinkTo) {
        rb.size = Math.max(REPLY_BUFFER_MIN, rb.peak + 1);
        this.server.stats.replyBufferShrinks++;
      } else if (expandTo < REPLY_BUFFER_SIZE * 2 && rb.peak === rb.size) {
        rb.size = Math.min(REPLY_BUFFER_SIZE, expandTo);
        this.server.stats.replyBufferExpands++;
      }
      if (this.replyPeakResetMs >= 0 && now - rb.peakResetAt >= this.replyPeakResetMs) {
        rb.peak = 0;
        rb.peakResetAt = now;
      }
    }
  }

  private closeTimedOutClients(now: number): void {
    const timeout = this.server.config.num('timeout');
    if (timeout === 0) return;
    for (const c of this.server.clients.values()) {
      if (c.isMaster || c.isReplica || c.inPubSub || c.socket === null) continue;
      if (now - c.lastInteraction > timeout * 1000) {
        this.server.log.verbose('Closing idle client');
        this.server.closeClient(c, false);
      }
    }
  }
}
