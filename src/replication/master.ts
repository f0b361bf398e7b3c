// The master side of replication (replication.c, master half): SYNC and PSYNC,
// partial resync from the backlog, full sync from a point-in-time snapshot sent
// disk-based (`$<len>` from a file) or diskless (`$EOF:<mark>` streamed), with
// several replicas sharing one snapshot where Redis would share it.

import { randomBytes } from 'node:crypto';
import { Errors } from '../protocol/errors.js';
import { createReadStream, statSync } from 'node:fs';
import type { Client } from '../server/client.js';
import type { Server } from '../server/server.js';
import { replicaName, type ReplicaInfo } from './replication.js';

/** Produces an RDB image of the keyspace as of the moment start() is called. */
export interface RdbProducer {
  /**
   * Streams the RDB bytes; onDone once, with an error if it failed. `hold` is asked
   * before each slice and may pause it. Returns a function that kills the transfer.
   */
  streamRdb(onChunk: (b: Buffer) => void, onDone: (err: Error | null) => void, hold: (resume: () => void) => boolean): () => void;
  /** Writes the RDB to a file (disk-based sync); onDone with the path. */
  saveRdbFile(onDone: (err: Error | null, path: string) => void): void;
}

interface SyncJob {
  diskless: boolean;
  replicas: ReplicaInfo[];
  /** master_repl_offset when the snapshot started. */
  offset: number;
  /** When the snapshot started (ms), and the payload bytes sent so far (full-sync metrics). */
  startedAt: number;
  bytes: number;
  /** A diskless transfer: stops it (killRDBChild). */
  kill: (() => void) | null;
}

/** A replica socket holding more than this unsent holds a diskless transfer (a pipe's worth). */
const TRANSFER_HIGH_WATER = 64 * 1024;

export class MasterSide {
  private job: SyncJob | null = null;
  /** Replicas waiting for the next snapshot (diskless delay, or a job of the wrong kind running). */
  private waiting: ReplicaInfo[] = [];
  private delayTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly server: Server,
    private readonly rdb: RdbProducer,
  ) {}

  get syncInProgress(): boolean {
    return this.job !== null;
  }

  /** SYNC / PSYNC <replid> <offset> from a client that becomes a replica. */
  sync(c: Client, argv: string[]): void {
    const s = this.server;
    const repl = s.replication;
    if (repl.replicas.has(c)) return;
    const isPsync = argv[0].toLowerCase() === 'psync';
    if (isPsync && argv.length > 3 && argv[3].toLowerCase() === 'failover') {
      // Our master hands over: become the master continuing its history, then serve its PSYNC.
      s.log.warning(`Failover request received for replid ${argv[1]}.`);
      if (!repl.isReplica) {
        c.error("ERR PSYNC FAILOVER can't be sent to a master.");
        return;
      }
      if (argv[1] !== repl.replid) {
        c.error('ERR PSYNC FAILOVER replid must match my replid.');
        return;
      }
      s.promoteToMaster();
      s.log.notice(`MASTER MODE enabled (failover request from 'id=${c.id} addr=${c.addr} laddr=${c.laddr} name=${c.name}')`);
    }
    if (repl.failover.active) {
      c.error("NOMASTERLINK Can't SYNC while failing over");
      return;
    }
    if (repl.isReplica && !repl.linkUp) {
      c.error(Errors.canTSyncWhileNotConnectedWith);
      return;
    }
    const info: ReplicaInfo = c.replicaInfo ?? newReplicaInfo(c);
    c.replicaInfo = info;
    s.log.notice(`Replica ${replicaName(info)} asks for synchronization`);
    if (isPsync && !/^[+-]?\d+$/.test(argv[2])) {
      s.log.warning(`Replica ${replicaName(info)} asks for synchronization but with a wrong offset`);
      c.error(Errors.notInteger);
      return;
    }
    if (isPsync) {
      if (this.tryPartial(c, info, argv[1], argv[2])) {
        s.stats.syncPartialOk++;
        return;
      }
      if (argv[1] !== '?') s.stats.syncPartialErr++;
    } else {
      info.prePsync = true;
    }
    s.stats.syncFull++;
    info.state = 'wait_bgsave';
    c.isReplica = true;
    c.replyEnabled = true;
    repl.replicas.set(c, info);
    if (repl.replicas.size === 1 && repl.backlog === null) {
      // A backlog built from scratch starts a new history.
      repl.newHistory();
      repl.ensureBacklog();
      s.log.notice(`Replication backlog created, my new replication IDs are '${repl.replid}' and '${repl.replid2}'`);
    }
    const diskless = s.config.bool('repl-diskless-sync') && info.capaEof;
    if (this.job !== null && !this.job.diskless && !diskless) {
      // A disk snapshot is being written: this replica can share it.
      this.attachToJob(this.job, info);
      s.log.notice('Waiting for end of BGSAVE for SYNC');
      return;
    }
    this.waiting.push(info);
    this.scheduleStart();
  }

  private tryPartial(c: Client, info: ReplicaInfo, replid: string, offsetArg: string): boolean {
    const s = this.server;
    const repl = s.replication;
    const offset = Number(offsetArg);
    if (!/^-?\d+$/.test(offsetArg)) {
      s.log.warning(`Replica ${replicaName(info)} asks for synchronization but with a wrong offset`);
      return false;
    }
    if (replid !== repl.replid && (replid !== repl.replid2 || offset > repl.secondReplOffset)) {
      if (replid === '?') s.log.notice(`Full resync requested by replica ${replicaName(info)}`);
      else if (replid !== repl.replid && replid !== repl.replid2) {
        s.log.notice(
          `Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '${replid}', my replication IDs are '${repl.replid}' and '${repl.replid2}')`,
        );
      } else {
        s.log.notice(`Partial resynchronization not accepted: Requested offset for second ID was ${offset}, but I can reply up to ${repl.secondReplOffset}`);
      }
      return false;
    }
    if (repl.backlog === null || !repl.backlog.canServeFrom(offset)) {
      s.log.notice(`Unable to partial resync with replica ${replicaName(info)} for lack of backlog (Replica request was: ${offset}).`);
      return false;
    }
    c.isReplica = true;
    info.state = 'online';
    info.ackTime = Date.now();
    repl.replicas.set(c, info);
    c.raw(info.capaPsync2 ? `+CONTINUE ${repl.replid}\r\n` : '+CONTINUE\r\n');
    let sent = 0;
    for (const b of repl.backlog.chunksFrom(offset)) {
      c.rawBytes(b);
      sent += b.length;
    }
    s.stats.netReplOutputBytes += sent;
    s.log.notice(
      `Partial resynchronization request from ${replicaName(info)} accepted. Sending ${sent} bytes of backlog starting from offset ${offset}.`,
    );
    return true;
  }

  private scheduleStart(): void {
    if (this.job !== null || this.waiting.length === 0) return;
    const cfg = this.server.config;
    const diskless = cfg.bool('repl-diskless-sync') && this.waiting.every((r) => r.capaEof);
    const delay = diskless ? cfg.num('repl-diskless-sync-delay') : 0;
    const maxReplicas = cfg.num('repl-diskless-sync-max-replicas');
    if (delay === 0 || (maxReplicas > 0 && this.waiting.length >= maxReplicas)) {
      this.startJob(diskless);
      return;
    }
    if (this.delayTimer === null) {
      this.delayTimer = setTimeout(() => {
        this.delayTimer = null;
        if (this.job === null && this.waiting.length > 0) {
          this.startJob(this.server.config.bool('repl-diskless-sync') && this.waiting.every((r) => r.capaEof));
        }
      }, delay * 1000);
    }
  }

  private startJob(diskless: boolean): void {
    const s = this.server;
    const repl = s.replication;
    if (this.delayTimer !== null) {
      clearTimeout(this.delayTimer);
      this.delayTimer = null;
    }
    const replicas = this.waiting.filter((r) => !r.client.closed);
    this.waiting = [];
    if (replicas.length === 0) return;
    // The snapshot and every replica's stream start at this exact offset.
    repl.flushPending();
    const job: SyncJob = { diskless, replicas: [], offset: repl.masterReplOffset, startedAt: Date.now(), bytes: 0, kill: null };
    this.job = job;
    for (const r of replicas) this.attachToJob(job, r);
    s.log.notice(
      `Starting BGSAVE for SYNC with target: ${diskless ? 'replicas sockets' : 'disk'}`,
    );
    if (diskless) this.runDiskless(job);
    else this.runDisk(job);
  }

  private attachToJob(job: SyncJob, r: ReplicaInfo): void {
    const repl = this.server.replication;
    // The stream since the snapshot started waits for it in the shared buffer.
    r.streamFrom = job.offset + 1;
    job.replicas.push(r);
    // replicationSetupSlaveForFullResync: the stream after the snapshot starts with SELECT.
    repl.forceSelect();
    // A replica that used SYNC (not PSYNC) gets the payload without this line.
    if (!r.prePsync) {
      r.client.raw(`+FULLRESYNC ${repl.replid} ${job.offset}\r\n`);
      r.client.flush();
    }
  }

  /**
   * How far a replica's full sync got: payload bytes sent, and the total (the file's size,
   * or for a diskless one an estimate from the snapshot's keys done so far; -1 unknown).
   */
  syncProgress(r: ReplicaInfo): { sent: number; total: number } | null {
    if (r.state !== 'send_bulk' && !r.transferring) return null;
    if (r.syncTotal >= 0) return { sent: r.syncSent, total: r.syncTotal };
    const p = this.server.persistence;
    const done = p.currentSaveKeysProcessed;
    const total = done > 0 ? Math.round((r.syncSent * p.currentSaveKeysTotal) / done) : -1;
    return { sent: r.syncSent, total };
  }

  /** Every few seconds, a line per replica whose full sync is under way. */
  logProgress(): void {
    for (const r of this.server.replication.replicas.values()) {
      const p = this.syncProgress(r);
      if (p === null) continue;
      const of = p.total >= 0 ? ` of ${r.syncTotal >= 0 ? '' : '~'}${p.total}` : '';
      this.server.log.notice(`Full sync to replica ${replicaName(r)}: ${p.sent} bytes sent${of}`);
    }
  }

  /** A disk snapshot being written keeps its stream for replicas that join it later. */
  neededFrom(): number {
    return this.job !== null && !this.job.diskless ? this.job.offset + 1 : Number.MAX_SAFE_INTEGER;
  }

  private runDiskless(job: SyncJob): void {
    const s = this.server;
    const mark = randomBytes(20).toString('hex');
    for (const r of job.replicas) {
      // Redis shows a diskless transfer as wait_bgsave (WAIT_BGSAVE_END) until it ends.
      r.transferring = true;
      r.client.socket?.write(`$EOF:${mark}\r\n`);
    }
    s.log.notice(`Background RDB transfer started by pid ${process.pid}`);
    job.kill = this.rdb.streamRdb(
      (chunk) => {
        job.bytes += chunk.length;
        for (const r of job.replicas) {
          if (r.client.closed) continue;
          r.client.socket?.write(chunk);
          r.syncSent = job.bytes;
        }
      },
      (err) => {
        if (this.job === job) this.job = null;
        const up = job.replicas.filter((r) => !r.client.closed);
        for (const r of job.replicas) r.transferring = false;
        if (err !== null) {
          s.log.warning(`Diskless rdb transfer failed: ${err.message}`);
          for (const r of up) {
            s.log.warning('SYNC failed. BGSAVE child returned an error');
            s.closeClient(r.client, false);
          }
        } else {
          s.log.notice(`Diskless rdb transfer, done reading from pipe, ${up.length} replicas still up.`);
          for (const r of up) {
            r.client.socket?.write(mark);
            s.log.notice(`Synchronization with replica ${replicaName(r)} succeeded`);
            s.replication.recordFullSync(Date.now() - job.startedAt, job.bytes);
            // As Redis: stream only after the replica's first ACK confirms it loaded the data.
            this.putOnline(r, true);
          }
        }
        this.scheduleStart();
      },
      (resume) => this.holdForSlowReplica(job, resume),
    );
  }

  /**
   * The transfer goes at the pace of its slowest replica (rdbPipeWriteHandler): while
   * one has more than a little unsent, the snapshot waits for it to drain (or close).
   */
  private holdForSlowReplica(job: SyncJob, resume: () => void): boolean {
    for (const r of job.replicas) {
      const sock = r.client.socket;
      if (r.client.closed || sock === null || sock.writableLength <= TRANSFER_HIGH_WATER) {
        r.stuckSince = 0;
        continue;
      }
      if (r.stuckSince === 0) r.stuckSince = Date.now();
      let resumed = false;
      const go = () => {
        if (resumed) return;
        resumed = true;
        clearTimeout(recheck);
        sock.off('drain', go);
        sock.off('close', go);
        setImmediate(resume);
      };
      // Also look again now and then: the replica may have been dropped without a close event yet.
      const recheck = setTimeout(go, 250);
      sock.on('drain', go);
      sock.on('close', go);
      return true;
    }
    return false;
  }

  /** A replica left: a transfer nobody waits for any more is stopped. */
  replicaClosed(r: ReplicaInfo): void {
    this.waiting = this.waiting.filter((w) => w !== r);
    const job = this.job;
    if (job === null || !job.replicas.includes(r)) return;
    const others = job.replicas.some((o) => o !== r && !o.client.closed);
    if (others) return;
    if (job.diskless) {
      this.server.log.warning('Diskless rdb transfer, last replica dropped, killing fork child.');
      job.kill?.();
    } else if (this.server.config.savePoints().length === 0) {
      // Nobody needs the file and no save point wants it either.
      this.server.persistence.abortBgsave(null);
    }
  }

  /** FLUSHALL: a diskless transfer of the data just dropped is killed, as Redis kills its rdb child. */
  killDisklessTransfer(): void {
    const job = this.job;
    if (job === null || !job.diskless || job.kill === null) return;
    this.server.log.warning('Background transfer terminated by signal 10');
    job.kill();
  }

  /** replicationCron: a diskless replica whose socket did not move for repl-timeout is dropped. */
  checkTransferTimeouts(now: number): void {
    const job = this.job;
    if (job === null || !job.diskless) return;
    const timeoutMs = this.server.config.num('repl-timeout') * 1000;
    for (const r of job.replicas) {
      if (r.client.closed || r.stuckSince === 0 || now - r.stuckSince <= timeoutMs) continue;
      this.server.log.warning(`Disconnecting timedout replica (full sync): ${replicaName(r)}`);
      // Its socket will not drain: close it at once rather than after a last flush.
      this.server.closeClient(r.client, true);
    }
  }

  private runDisk(job: SyncJob): void {
    const s = this.server;
    this.rdb.saveRdbFile((err, path) => {
      this.job = null;
      if (err !== null) {
        s.log.warning(`Background saving for SYNC failed: ${err.message}`);
        for (const r of job.replicas) s.closeClient(r.client, false);
        this.scheduleStart();
        return;
      }
      let size = 0;
      try {
        size = statSync(path).size;
      } catch (e) {
        s.log.warning(`SYNC failed. Can't open/stat DB after BGSAVE: ${(e as Error).message}`);
        for (const r of job.replicas) s.closeClient(r.client, false);
        return;
      }
      for (const r of job.replicas) {
        if (r.client.closed || r.client.socket === null) continue;
        r.state = 'send_bulk';
        r.syncSent = 0;
        r.syncTotal = size;
        const sock = r.client.socket;
        sock.write(`$${size}\r\n`);
        const rs = createReadStream(path);
        rs.on('data', (d) => {
          sock.write(d);
          r.syncSent += d.length;
        });
        rs.on('error', (e) => {
          s.log.warning(`Read error sending DB to replica: ${e.message}`);
          s.closeClient(r.client, false);
        });
        rs.on('end', () => {
          if (r.client.closed) return;
          s.log.notice(`Synchronization with replica ${replicaName(r)} succeeded`);
          s.replication.recordFullSync(Date.now() - job.startedAt, size);
          this.putOnline(r, false);
        });
      }
      this.scheduleStart();
    });
  }

  /** The payload is out: send what was buffered since the snapshot and go online. */
  private putOnline(r: ReplicaInfo, waitForAck: boolean): void {
    r.state = 'online';
    r.ackTime = Date.now();
    if (waitForAck && !r.prePsync) {
      r.startStreamOnAck = true;
      return;
    }
    this.startStream(r);
  }

  /** replicaStartCommandStream: flush the buffered stream, then the live one flows. */
  startStream(r: ReplicaInfo): void {
    r.startStreamOnAck = false;
    const from = r.streamFrom;
    r.streamFrom = null;
    const backlog = this.server.replication.backlog;
    if (from !== null && backlog !== null) {
      for (const b of backlog.chunksFrom(from)) {
        r.client.rawBytes(b);
        this.server.stats.netReplOutputBytes += b.length;
      }
    }
    r.client.flush();
  }

  /** REPLCONF ACK <offset>: records it; the first one after a diskless sync starts the stream. */
  ack(c: Client, offset: number): void {
    const r = this.server.replication.replicas.get(c);
    if (r === undefined) return;
    if (offset > r.ackOffset) r.ackOffset = offset;
    r.ackTime = Date.now();
    if (r.startStreamOnAck && r.state === 'online') this.startStream(r);
  }

  stop(): void {
    if (this.delayTimer !== null) clearTimeout(this.delayTimer);
    this.delayTimer = null;
  }
}

export function newReplicaInfo(c: Client): ReplicaInfo {
  return {
    client: c,
    state: 'wait_bgsave',
    ackOffset: 0,
    ackTime: Date.now(),
    listeningPort: 0,
    announcedIp: '',
    capaEof: false,
    capaPsync2: false,
    streamFrom: null,
    startStreamOnAck: false,
    prePsync: false,
    syncSent: 0,
    syncTotal: -1,
    transferring: false,
    stuckSince: 0,
  };
}
