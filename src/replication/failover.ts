// FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms] (replication.c's coordinated
// failover). The master pauses writes, waits until the target replica (or any
// replica) has acknowledged its whole stream, then becomes a replica of it and sends
// PSYNC <replid> <offset> FAILOVER, which makes the target a master that continues
// the same history. A timeout aborts, or with FORCE fails over anyway.

import type { Server } from '../server/server.js';
import type { ReplicaInfo } from './replication.js';

export type FailoverState = 'no-failover' | 'waiting-for-sync' | 'failover-in-progress';

export class Failover {
  state: FailoverState = 'no-failover';
  private target: { host: string; port: number } | null = null;
  /** ms; 0 waits for ever. */
  private endTime = 0;
  private force = false;

  constructor(private readonly server: Server) {}

  get active(): boolean {
    return this.state !== 'no-failover';
  }

  /** The FAILOVER command: null when started (reply OK), or the error to reply. */
  start(target: { host: string; port: number } | null, timeoutMs: number, force: boolean): string | null {
    const s = this.server;
    const repl = s.replication;
    if (this.active) return 'ERR FAILOVER already in progress.';
    if (repl.isReplica) return 'ERR FAILOVER is not valid when server is a replica.';
    if (repl.replicas.size === 0) return 'ERR FAILOVER requires connected replicas.';
    if (force && (timeoutMs === 0 || target === null)) return 'ERR FAILOVER with force option requires both a timeout and target HOST and IP.';
    if (target !== null) {
      const r = this.findReplica(target.host, target.port);
      if (r === null) return 'ERR FAILOVER target HOST and PORT is not a replica.';
      if (r.state !== 'online') return 'ERR FAILOVER target replica is not online.';
      s.log.notice(`FAILOVER requested to ${target.host}:${target.port}.`);
    } else s.log.notice('FAILOVER requested to any replica.');
    this.target = target;
    this.endTime = timeoutMs > 0 ? Date.now() + timeoutMs : 0;
    this.force = force;
    this.state = 'waiting-for-sync';
    s.setInternalPause('failover', true);
    return null;
  }

  /** FAILOVER ABORT, or a failure along the way: back to serving as a master. */
  abort(reason: string): void {
    if (!this.active) return;
    const s = this.server;
    const to = this.target !== null ? `${this.target.host}:${this.target.port}` : 'any replica';
    s.log.notice(`FAILOVER to ${to} aborted: ${reason}`);
    if (this.state === 'failover-in-progress') s.promoteToMaster();
    this.clear();
  }

  /** clearFailoverState: done (or aborted); writes resume. */
  clear(): void {
    this.state = 'no-failover';
    this.target = null;
    this.endTime = 0;
    this.force = false;
    this.server.setInternalPause('failover', false);
  }

  /** updateFailoverStatus: on every cron tick and ACK while waiting for a replica to catch up. */
  update(): void {
    if (this.state !== 'waiting-for-sync') return;
    const s = this.server;
    const repl = s.replication;
    if (this.endTime !== 0 && this.endTime <= Date.now()) {
      if (this.force && this.target !== null) {
        s.log.notice(`FAILOVER to ${this.target.host}:${this.target.port} time out exceeded, failing over.`);
        this.failOverTo(this.target);
      } else this.abort('Replica never caught up before timeout');
      return;
    }
    let caughtUp: ReplicaInfo | null = null;
    if (this.target !== null) {
      const r = this.findReplica(this.target.host, this.target.port);
      if (r !== null && r.ackOffset === repl.masterReplOffset) caughtUp = r;
    } else {
      for (const r of repl.replicas.values()) {
        if (r.ackOffset === repl.masterReplOffset) {
          caughtUp = r;
          this.target = { host: replicaHost(r), port: r.listeningPort };
          break;
        }
      }
    }
    if (caughtUp !== null && this.target !== null) {
      s.log.notice(`Failover target ${this.target.host}:${this.target.port} is synced, failing over.`);
      this.failOverTo(this.target);
    }
  }

  private failOverTo(target: { host: string; port: number }): void {
    this.state = 'failover-in-progress';
    // replicationSetMaster: the PSYNC our link sends carries FAILOVER while in this state.
    this.server.followMaster({ host: target.host, port: target.port });
  }

  /** The replica announcing this address (findReplica). */
  private findReplica(host: string, port: number): ReplicaInfo | null {
    for (const r of this.server.replication.replicas.values()) {
      if (r.listeningPort === port && replicaHost(r).toLowerCase() === host.toLowerCase()) return r;
    }
    return null;
  }
}

/** The address a replica is known by: its announced IP, or its connection's peer. */
function replicaHost(r: ReplicaInfo): string {
  if (r.announcedIp !== '') return r.announcedIp;
  let ip = r.client.socket?.remoteAddress ?? '';
  if (ip.startsWith('::ffff:')) ip = ip.slice(7);
  return ip;
}
