// Replication state and the propagation point every write goes through
// (replication.c). Holds the role, replication IDs and offset, the backlog, the
// replicas attached to us, and encodes each call's effects once into the stream
// that the backlog and every replica share.

import { Histogram } from '../util/histogram.js';
import { Failover } from './failover.js';
import { randomBytes } from 'node:crypto';
import type { Client } from '../server/client.js';
import type { Server } from '../server/server.js';
import type { ReplicaOf } from '../config/types.js';
import { Backlog } from './backlog.js';
import { encodeCommand } from './encode.js';
import type { MasterSide } from './master.js';

interface PendingEffect {
  dbId: number;
  argv: string[];
}

export type ReplicaSyncState = 'wait_bgsave' | 'send_bulk' | 'online';

/** What the master keeps about one attached replica (the CLIENT_SLAVE half of a client). */
export interface ReplicaInfo {
  client: Client;
  state: ReplicaSyncState;
  /** Last offset the replica acknowledged (REPLCONF ACK). */
  ackOffset: number;
  /** ms of the last ACK (or of the sync start). */
  ackTime: number;
  listeningPort: number;
  announcedIp: string;
  capaEof: boolean;
  capaPsync2: boolean;
  /**
   * While its snapshot is made and transferred: the offset of the first stream byte
   * it will need, held for it in the shared replication buffer. Null once live.
   */
  streamFrom: number | null;
  /** After a diskless transfer the stream starts at the first ACK, as Redis does. */
  startStreamOnAck: boolean;
  /** Used SYNC rather than PSYNC: sends no ACKs. */
  prePsync: boolean;
  /** Full-sync payload bytes sent, and the total when known (-1: diskless, estimated from the snapshot). */
  syncSent: number;
  syncTotal: number;
  /** A diskless payload is being streamed to it (still wait_bgsave, as Redis shows it). */
  transferring: boolean;
  /** ms since its socket stopped draining during a diskless transfer (repl_last_partial_write), or 0. */
  stuckSince: number;
}

/** Offset samples kept for replicaLagMs: a minute at the default cron rate. */
const OFFSET_TIMES_KEPT = 600;

export const ZERO_REPLID = '0000000000000000000000000000000000000000';

export function newReplid(): string {
  return randomBytes(20).toString('hex');
}

export class Replication {
  replid = newReplid();
  replid2 = ZERO_REPLID;
  secondReplOffset = -1;
  masterReplOffset = 0;
  backlog: Backlog | null = null;
  /** When the last replica left (ms), for repl-backlog-ttl. */
  noReplicasSince = Date.now();
  /** Set while a full-sync payload is loaded the blocking way: clients get -LOADING (server.loading). */
  loading = false;
  /**
   * Set while a payload of the same history loads behind the old data
   * (repl-diskless-load swapdb): the old data is served; commands marked
   * no_async_loading get -LOADING (server.async_loading).
   */
  asyncLoading = false;
  /** The master we follow, or null when we are a master. */
  master: ReplicaOf | null = null;
  /** The link to our master is up and synced (repl_state == CONNECTED). */
  linkUp = false;
  readonly replicas = new Map<Client, ReplicaInfo>();
  /** The db the stream last SELECTed (slaveseldb); -1 forces a SELECT. */
  selectedDb = -1;
  private pending: PendingEffect[] = [];
  /** Full syncs served: how long each took (seconds) and how many payload bytes it sent. */
  readonly fullSyncSeconds = new Histogram([0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300]);
  readonly fullSyncBytes = new Histogram([1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10]);
  /** The stream's offset over the last minute, for replicas' lag in time. */
  private readonly offsetTimes: { offset: number; at: number }[] = [];
  private cronLoops = 0;
  /** Replica side: set by the master link (see master-link.ts). */
  replicaSide: ReplicaSide | null = null;
  /** Master side: SYNC/PSYNC service (see master.ts). */
  masterSide: MasterSide | null = null;
  /** A coordinated FAILOVER in progress, if any. */
  readonly failover: Failover;

  constructor(private readonly server: Server) {
    this.master = server.config.replicaOf();
    this.failover = new Failover(server);
  }

  get isReplica(): boolean {
    return this.master !== null;
  }

  start(): void {
    const s = this.server;
    s.hooks.expireEnabled = !this.isReplica;
    s.log.role = this.isReplica ? 'S' : 'M';
    // A cached master restored from our RDB is kept: the first PSYNC can continue it.
    if (this.master !== null) this.replicaSide?.connectTo(this.master, this.backlog === null);
  }

  /** replicationSetMaster: follow `m`, keeping what lets us continue partially. */
  becomeReplica(m: ReplicaOf): void {
    const s = this.server;
    const wasMaster = this.master === null;
    this.master = m;
    s.config.record('replicaof', m);
    this.linkUp = false;
    s.hooks.expireEnabled = false;
    s.log.role = 'S';
    this.replicaSide?.connectTo(m, wasMaster);
  }

  /** replicationUnsetMaster: stop following and serve as a master, history continued under a new ID. */
  becomeMaster(): void {
    const s = this.server;
    this.replicaSide?.stop();
    this.master = null;
    s.config.record('replicaof', null);
    this.linkUp = false;
    // Replicas can still PSYNC with the old ID up to here.
    this.shiftReplid();
    this.disconnectReplicas();
    // Our stream starts with a SELECT, whatever db our master's stream was in.
    this.forceSelect();
    this.noReplicasSince = Date.now();
    s.hooks.expireEnabled = true;
    s.log.role = 'M';
  }

  /** disconnectSlaves: every replica reconnects (and PSYNCs) to learn what changed. */
  disconnectReplicas(): void {
    for (const r of [...this.replicas.values()]) this.server.closeClient(r.client, false);
  }

  stop(): void {
    this.replicaSide?.stop();
    this.masterSide?.stop();
  }

  clientClosed(c: Client): void {
    const info = this.replicas.get(c);
    if (info !== undefined) {
      this.replicas.delete(c);
      this.server.log.notice(`Connection with replica ${replicaName(info)} lost.`);
      this.masterSide?.replicaClosed(info);
      if (this.replicas.size === 0) this.noReplicasSince = Date.now();
      this.trimBacklog();
    }
    this.replicaSide?.clientClosed(c);
  }

  /** Creates the backlog when the first replica attaches (createReplicationBacklog). */
  ensureBacklog(): void {
    if (this.backlog !== null) return;
    this.backlog = new Backlog(this.server.config.num('repl-backlog-size'), this.masterReplOffset);
  }

  /** changeReplicationId + clearReplicationId2: a new history. */
  newHistory(): void {
    this.replid = newReplid();
    this.replid2 = ZERO_REPLID;
    this.secondReplOffset = -1;
  }

  /**
   * shiftReplicationId: keep the old ID valid up to the current offset (on promotion,
   * or when our master's history continues under its new ID).
   */
  shiftReplid(newId: string = newReplid()): void {
    this.replid2 = this.replid;
    this.secondReplOffset = this.masterReplOffset + 1;
    this.replid = newId;
  }

  /**
   * A full sync's payload is loaded: our history is now the master's, from its offset
   * on, with a fresh backlog starting there.
   */
  adoptMasterHistory(replid: string, offset: number): void {
    // The loaded payload replaced our own keys too.
    this.server.replicaExpires.clear();
    this.replid = replid;
    this.replid2 = ZERO_REPLID;
    this.secondReplOffset = -1;
    this.masterReplOffset = offset;
    this.backlog = new Backlog(this.server.config.num('repl-backlog-size'), offset);
  }

  /**
   * loadDataFromDisk's replication part: an RDB saved with repl-id, repl-offset and
   * repl-stream-db lets peers continue partially across the restart. A replica takes
   * the history as its cached master's and PSYNCs from it. A master starts a new
   * history that continues the saved one (the saved ID stays valid up to its offset),
   * and the DELs of keys that expired while it was down open its stream.
   */
  restoreSavedHistory(aux: ReadonlyMap<string, string>, expired: readonly { db: number; key: string }[]): void {
    const id = aux.get('repl-id');
    const offset = Number(aux.get('repl-offset') ?? -1);
    const streamDb = Number(aux.get('repl-stream-db') ?? -1);
    if (id === undefined || id.length !== 40 || !Number.isSafeInteger(offset) || offset < 0 || !(streamDb >= 0)) return;
    const size = this.server.config.num('repl-backlog-size');
    if (this.isReplica) {
      this.replid = id;
      this.replid2 = ZERO_REPLID;
      this.secondReplOffset = -1;
      this.masterReplOffset = offset;
      this.backlog = new Backlog(size, offset);
      this.replicaSide?.restoreCachedMaster(streamDb);
      return;
    }
    this.replid2 = id;
    this.secondReplOffset = offset + 1;
    this.masterReplOffset = offset;
    this.backlog = new Backlog(size, offset);
    this.noReplicasSince = Date.now();
    const del = this.server.config.bool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL';
    for (const e of expired) this.emit(e.db, [del, e.key]);
  }

  /**
   * The db a replica continuing from our current offset must apply the stream in
   * (rdbPopulateSaveInfo's repl_stream_db): a master's last SELECT, or the db of the
   * stream we proxy as a replica.
   */
  streamDb(): number {
    if (this.isReplica && this.replicaSide !== null) return this.replicaSide.streamDb();
    return this.selectedDb < 0 ? 0 : this.selectedDb;
  }

  /** A full sync starts: the first command after the snapshot must be preceded by SELECT. */
  forceSelect(): void {
    this.selectedDb = -1;
  }

  /** min-replicas-to-write: true when writes are allowed. */
  enoughGoodReplicas(): boolean {
    const need = this.server.config.num('min-replicas-to-write');
    if (need === 0 || this.isReplica) return true;
    return this.goodReplicaCount() >= need;
  }

  goodReplicaCount(): number {
    const maxLag = this.server.config.num('min-replicas-max-lag') * 1000;
    const now = Date.now();
    let n = 0;
    for (const r of this.replicas.values()) if (r.state === 'online' && now - r.ackTime <= maxLag) n++;
    return n;
  }

  /** Drops queued effects nobody should receive (those of a replayed AOF). */
  discardPending(): void {
    this.pending = [];
  }

  /** Queues one effect of the running command; flushPending emits the batch. */
  propagate(dbId: number, argv: string[]): void {
    this.pending.push({ dbId, argv });
  }

  /**
   * Emits the effects of the finished outermost call. Several effects from one call
   * travel as one MULTI/EXEC block, as Redis 7.0's propagatePendingCommands does.
   * A replica does not originate a stream: it proxies its master's bytes.
   */
  flushPending(noTransaction = false): void {
    const ops = this.pending;
    if (ops.length === 0) return;
    this.pending = [];
    // A command that may touch random keys (SCAN, RANDOMKEY) run directly sends its
    // expiry DELs bare, as active expiry does (CMD_TOUCHES_ARBITRARY_KEYS).
    const wrap = ops.length > 1 && !noTransaction;
    // The AOF records what this server applies, a replica's master stream included.
    const aof = this.server.aof;
    if (aof.state !== 'off') {
      if (wrap) aof.feed(ops[0].dbId, ['MULTI']);
      for (const op of ops) aof.feed(op.dbId, op.argv);
      if (wrap) aof.feed(ops[ops.length - 1].dbId, ['EXEC']);
    }
    if (this.isReplica || (this.backlog === null && this.replicas.size === 0)) return;
    if (wrap) this.emit(ops[0].dbId, ['MULTI']);
    for (const op of ops) this.emit(op.dbId, op.argv);
    if (wrap) this.emit(ops[ops.length - 1].dbId, ['EXEC']);
  }

  private emit(dbId: number, argv: readonly string[]): void {
    if (dbId >= 0 && dbId !== this.selectedDb) {
      this.feedStream(encodeCommand(['SELECT', String(dbId)]));
      this.selectedDb = dbId;
    }
    this.feedStream(encodeCommand(argv));
  }

  /** Appends bytes to the replication stream: backlog, offset and every replica. */
  feedStream(buf: Buffer): void {
    this.ensureBacklog();
    const backlog = this.backlog!;
    backlog.feed(buf);
    this.masterReplOffset = backlog.endOffset;
    for (const r of this.replicas.values()) {
      if (r.streamFrom !== null) this.server.checkOutputBufferLimits(r.client);
      else if (r.state === 'online' && !r.startStreamOnAck) {
        r.client.rawBytes(buf);
        this.server.stats.netReplOutputBytes += buf.length;
      }
    }
    this.trimBacklog();
  }

  /** The first stream offset a replica has not yet handed to its socket (its ref into the shared buffer). */
  replicaNeedsFrom(r: ReplicaInfo): number {
    if (r.streamFrom !== null) return r.streamFrom;
    const c = r.client;
    return this.masterReplOffset + 1 - c.pendingReplyBytes - (c.socket?.writableLength ?? 0);
  }

  /** Stream bytes a replica still has to send: its output buffer, which is the shared buffer's tail. */
  replicaOutputBytes(r: ReplicaInfo): number {
    return Math.max(0, this.masterReplOffset + 1 - this.replicaNeedsFrom(r));
  }

  /** Drops history beyond repl-backlog-size that no replica (nor a sync being prepared) still needs. */
  trimBacklog(): void {
    const backlog = this.backlog;
    if (backlog === null || backlog.histlen <= backlog.size) return;
    let needed = this.masterSide?.neededFrom() ?? Number.MAX_SAFE_INTEGER;
    for (const r of this.replicas.values()) {
      const from = this.replicaNeedsFrom(r);
      if (from < needed) needed = from;
    }
    backlog.trim(needed);
  }

  /** Once a second: pings, newlines to waiting replicas, timeouts, backlog TTL (replicationCron). */
  cron(now: number): void {
    this.noteOffsetTime(now);
    // Replicas that drained their sockets release history at every tick.
    this.trimBacklog();
    if (now - (this.lastCron ?? 0) < 1000) return;
    this.lastCron = now;
    this.cronLoops++;
    const cfg = this.server.config;
    this.replicaSide?.cron(now);
    if (this.cronLoops % 5 === 0) this.masterSide?.logProgress();
    this.masterSide?.checkTransferTimeouts(now);
    if (!this.isReplica && this.replicas.size > 0 && this.cronLoops % cfg.num('repl-ping-replica-period') === 0) {
      // PING travels in the stream, so it counts in offsets like any command.
      this.emit(-1, ['PING']);
    }
    for (const r of this.replicas.values()) {
      if (r.state !== 'online') {
        // Keeps the link alive while the replica waits for its snapshot.
        if (r.state === 'wait_bgsave' && !r.transferring) r.client.socket?.write('\n');
        continue;
      }
      if (!r.prePsync && now - r.ackTime > cfg.num('repl-timeout') * 1000) {
        this.server.log.warning(`Disconnecting timedout replica (streaming sync): ${replicaName(r)}`);
        this.server.closeClient(r.client, false);
      }
    }
    const ttl = cfg.num('repl-backlog-ttl');
    if (
      this.backlog !== null &&
      !this.isReplica &&
      this.replicas.size === 0 &&
      ttl > 0 &&
      now - this.noReplicasSince > ttl * 1000
    ) {
      // A new ID: the history can no longer be continued by anyone.
      this.newHistory();
      this.backlog = null;
      this.server.log.notice(`Replication backlog freed after ${ttl} seconds without connected replicas.`);
    }
    this.server.flushAll();
  }

  private lastCron: number | undefined;
  private readonly waiters = new Set<Waiter>();

  /** Replicas whose acknowledged offset reached `offset` (replicationCountAcksByOffset). */
  countAcks(offset: number): number {
    let n = 0;
    for (const r of this.replicas.values()) if (r.state === 'online' && r.ackOffset >= offset) n++;
    return n;
  }

  /** WAIT: parks the client until enough replicas acknowledge, or the deadline. */
  addWaiter(c: Client, offset: number, numReplicas: number, deadline: number): void {
    const w: Waiter = { client: c, offset, numReplicas };
    this.waiters.add(w);
    this.server.blocking.blockForKeys(c, [], deadline, (cl) => {
      this.waiters.delete(w);
      cl.int(this.countAcks(offset));
    });
    this.requestAcks();
  }

  /** replicationRequestAckFromSlaves: every replica is asked for an ACK now. */
  requestAcks(): void {
    if (this.replicas.size === 0) return;
    this.feedStream(encodeCommand(['REPLCONF', 'GETACK', '*']));
    this.server.flushAll();
  }

  /** The replica's full-sync payload starts or stops loading ('async' keeps serving the old data). */
  setLoading(kind: 'none' | 'blocking' | 'async'): void {
    this.loading = kind === 'blocking';
    this.asyncLoading = kind === 'async';
  }

  /** A replica's full sync completed on this master (metrics). */
  recordFullSync(ms: number, bytes: number): void {
    this.fullSyncSeconds.observe(ms / 1000);
    this.fullSyncBytes.observe(bytes);
  }

  /** Remembers when the stream reached its current offset (about every cron tick, for a minute). */
  private noteOffsetTime(now: number): void {
    const h = this.offsetTimes;
    if (h.length > 0 && h[h.length - 1].offset === this.masterReplOffset) return;
    h.push({ offset: this.masterReplOffset, at: now });
    if (h.length > OFFSET_TIMES_KEPT) h.shift();
  }

  /**
   * How far behind in time a replica that acknowledged `ackOffset` is: the age of the
   * oldest stream position it has not acknowledged yet (0 when in sync).
   */
  replicaLagMs(ackOffset: number, now: number): number {
    if (ackOffset >= this.masterReplOffset) return 0;
    for (const h of this.offsetTimes) if (h.offset > ackOffset) return now - h.at;
    // Written since the last sample: just now.
    return 0;
  }

  /** After an ACK: answers the WAIT clients now satisfied, and lets a waiting FAILOVER or SHUTDOWN proceed. */
  checkWaiters(): void {
    this.failover.update();
    this.server.shutdownSequence.check();
    for (const w of [...this.waiters]) {
      if (w.client.closed) {
        this.waiters.delete(w);
        continue;
      }
      if (this.countAcks(w.offset) >= w.numReplicas) this.server.blocking.unblockByRequest(w.client, false);
    }
  }
}

/** The replica half, implemented by master-link.ts. */
export interface ReplicaSide {
  /** `wasMaster`: we served our own history until now (no cached master db). */
  connectTo(master: ReplicaOf, wasMaster: boolean): void;
  /** The db the master's stream has selected (repl-stream-db of our snapshots). */
  streamDb(): number;
  stop(): void;
  cron(now: number): void;
  clientClosed(c: Client): void;
  /** REPLCONF GETACK: answer with our applied offset now. */
  sendAckNow(): void;
  /** Applies master commands that waited for a busy script. */
  resumeInput(): void;
  /** The full-sync payload being received: bytes read and total (-1: unknown yet), or null. */
  transferProgress(): { read: number; total: number } | null;
  /** A cached master restored from our RDB: its stream continues in `db`. */
  restoreCachedMaster(db: number): void;
  /** slave_read_repl_offset: the offset of everything read from the master. */
  readOffset(): number;
  /** Runs a master command CLIENT PAUSE held back, then the rest of the stream. */
  resumePaused(argv: string[]): void;
  /** ROLE's state word: connect, connecting, handshake, sync, connected. */
  roleState(): string;
  /** The offset of the last applied command (master client's reploff). */
  appliedOffset(): number;
  /** INFO replication: seconds since the last interaction with the master. */
  lastIoSecondsAgo(): number;
  /** INFO replication: seconds since the link went down. */
  downSinceSeconds(): number;
  readonly syncInProgress: boolean;
}

interface Waiter {
  client: Client;
  offset: number;
  numReplicas: number;
}

/** How logs name a replica: ip:port as announced (replicationGetSlaveName). */
export function replicaName(r: { client: Client; listeningPort: number; announcedIp: string }): string {
  const ip = r.announcedIp !== '' ? r.announcedIp : r.client.addr.slice(0, r.client.addr.lastIndexOf(':'));
  return r.listeningPort > 0 ? `${ip}:${r.listeningPort}` : `client id #${r.client.id}`;
}
