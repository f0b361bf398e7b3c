// Replication state and the propagation point every write goes through
// (replication.c). This slice holds the role, the replication IDs and offset,
// and batches each call's effects; the backlog, the master side (SYNC/PSYNC) and
// the replica side (the master link) arrive with the replication issue.

import { randomBytes } from 'node:crypto';
import type { Client } from '../server/client.js';
import type { Server } from '../server/server.js';
import type { ReplicaOf } from '../config/types.js';

interface PendingEffect {
  dbId: number;
  argv: string[];
}

export class Replication {
  /** 40 hex chars, new at start (and on promotion). */
  replid = randomBytes(20).toString('hex');
  replid2 = '0000000000000000000000000000000000000000';
  secondReplOffset = -1;
  masterReplOffset = 0;
  /** Set while an RDB is being loaded into this server. */
  loading = false;
  /** The master we follow, or null when we are a master. */
  master: ReplicaOf | null = null;
  /** The link to our master is up and synced. */
  linkUp = false;
  private pending: PendingEffect[] = [];

  constructor(private readonly server: Server) {
    this.master = server.config.v['replicaof'] as ReplicaOf | null;
  }

  get isReplica(): boolean {
    return this.master !== null;
  }

  start(): void {
    const s = this.server;
    s.hooks.expireEnabled = !this.isReplica;
    s.log.role = this.isReplica ? 'S' : 'M';
    if (this.isReplica) {
      s.log.warning('replicaof is set, but this build of redis-ts does not connect to masters yet: serving as a read-only replica with no link.');
    }
  }

  stop(): void {}

  cron(_now: number): void {}

  clientClosed(_c: Client): void {}

  /** min-replicas-to-write: true when writes are allowed. */
  enoughGoodReplicas(): boolean {
    return this.server.config.num('min-replicas-to-write') === 0 || this.isReplica;
  }

  /** Queues one effect of the running command; flushPending emits the batch. */
  propagate(dbId: number, argv: string[]): void {
    this.pending.push({ dbId, argv });
  }

  /**
   * Emits the effects of the finished outermost call. Several effects from one call
   * travel as one MULTI/EXEC block, as Redis 7.0 does. With no replicas and no
   * backlog there is nowhere to send them yet.
   */
  flushPending(): void {
    if (this.pending.length === 0) return;
    this.pending = [];
  }
}
