// The replica side of replication (replication.c, replica half): connects to the
// master with exponential backoff, runs the handshake (PING, AUTH, REPLCONF,
// PSYNC or SYNC), receives the RDB payload in either framing, loads it into a
// fresh keyspace, then applies the command stream through a Client flagged as
// master, counting offsets by exactly the bytes applied and proxying those bytes
// to our own backlog and sub-replicas.

import { connect, type Socket } from 'node:net';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReplicaOf } from '../config/types.js';
import { PayloadTransfer, type RdbLoader, type StreamedLoad } from './sync-payload.js';
import type { Client } from '../server/client.js';
import type { Server } from '../server/server.js';
import { ProtocolError } from '../protocol/request-parser.js';
import { encodeCommand } from './encode.js';
import type { ReplicaSide } from './replication.js';

/** Loads an RDB payload into the server's databases, replacing their contents. */
/** A streamed load with this much unparsed input pauses the socket until it catches up. */
const STREAMED_LOAD_HIGH_WATER = 4 * 1024 * 1024;

/** How often a full sync in progress logs how far it got. */
const PROGRESS_LOG_MS = 5000;

type LinkState = 'none' | 'connecting' | 'handshake' | 'transfer' | 'loading' | 'connected';

const HANDSHAKE_STEPS = ['ping', 'auth', 'port', 'ip', 'capa', 'psync'] as const;
type Step = (typeof HANDSHAKE_STEPS)[number] | 'sync';

export class MasterLink implements ReplicaSide {
  state: LinkState = 'none';
  private master: ReplicaOf | null = null;
  private socket: Socket | null = null;
  private step: Step = 'ping';
  private inbuf: Buffer = Buffer.alloc(0);
  /** The Client executing the master's stream once connected. */
  masterClient: Client | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private attempt = 0;
  lastIo = Date.now();
  /** When the link went down (ms), for master_link_down_since_seconds. */
  downSince = Date.now();
  /** Payload being received. */
  private transfer: PayloadTransfer | null = null;
  /** Full-sync answer: replid and offset to adopt once the payload is loaded. */
  private fullSync: { replid: string; offset: number } | null = null;
  /** Bytes of the master stream already forwarded to our backlog and sub-replicas. */
  private forwarded = 0;
  /** Bytes of the master stream read on this link (slave_read_repl_offset counts them, applied or not). */
  private receivedTotal = 0;
  private readonly received: Buffer[] = [];
  private lastAckSent = 0;
  private lastProgressLog = 0;
  syncInProgress = false;
  /** Bumped whenever the link drops: a payload load for an older link is abandoned. */
  private linkGeneration = 0;
  /**
   * The database the master's stream has selected (the cached master's db). A master
   * never repeats SELECT on +CONTINUE, so it survives a dropped link; a full sync sets
   * it from the payload's repl-stream-db.
   */
  private cachedDb = 0;
  /** A load reading the payload from the socket; `orphan` once the link dropped after the payload's end. */
  private streamedLoad: { orphan: boolean } | null = null;
  /** The streamed load's last slice needed more bytes than it had. */
  private loadStarved = false;
  /** A reconnection waits for an orphaned load to finish. */
  private connectAfterLoad = false;
  /** Set when our data cannot be trusted to continue the stream: the next PSYNC asks for a full sync. */
  private discardCachedMaster = false;
  /** parser.consumed after the last command applied outside MULTI (reploff). */
  private applied = 0;

  constructor(
    private readonly server: Server,
    /** Runs one command of the master's stream (the server's dispatch). */
    private readonly runCommand: (c: Client, argv: string[]) => void,
    private readonly loader: RdbLoader,
  ) {}

  private get log() {
    return this.server.log;
  }

  connectTo(master: ReplicaOf, wasMaster: boolean): void {
    this.master = master;
    this.attempt = 0;
    this.dropLink(false);
    // As replicationCacheMasterUsingMyself: any db will do, a new master's stream
    // starts with SELECT.
    if (wasMaster) this.cachedDb = 0;
    this.state = 'connecting';
    this.log.notice(`Connecting to MASTER ${master.host}:${master.port}`);
    this.connect();
  }

  restoreCachedMaster(db: number): void {
    this.cachedDb = db < this.server.dbs.length ? db : 0;
  }

  /** REPLICAOF NO ONE / shutdown: stop following. */
  stop(): void {
    this.master = null;
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.dropLink(false);
    this.state = 'none';
  }

  private connect(): void {
    const m = this.master;
    if (m === null) return;
    this.log.notice('MASTER <-> REPLICA sync started');
    this.step = 'ping';
    this.inbuf = Buffer.alloc(0);
    const sock = connect({ host: m.host, port: m.port });
    this.socket = sock;
    sock.setNoDelay(true);
    const timeoutMs = this.server.config.num('repl-timeout') * 1000;
    const timer = setTimeout(() => {
      if (this.socket === sock && this.state === 'connecting') {
        this.log.warning('Timeout connecting to the MASTER...');
        this.fail();
      }
    }, timeoutMs);
    timer.unref();
    sock.once('connect', () => {
      clearTimeout(timer);
      if (this.socket !== sock) return;
      this.log.notice('Non blocking connect for SYNC fired the event.');
      this.state = 'handshake';
      this.lastIo = Date.now();
      this.send(['PING']);
    });
    sock.on('data', (d: Buffer) => {
      if (this.socket === sock) this.onData(d);
    });
    sock.on('error', (e) => {
      clearTimeout(timer);
      if (this.socket !== sock) return;
      if (this.state === 'connecting') this.log.warning(`Error condition on socket for SYNC: ${e.message}`);
      this.fail();
    });
    sock.on('close', () => {
      clearTimeout(timer);
      if (this.socket !== sock) return;
      this.fail();
    });
  }

  private send(argv: string[]): void {
    this.socket?.write(encodeCommand(argv));
  }

  /** Drops the link; the cached master (replid, offset) stays for the next PSYNC. */
  private fail(): void {
    const wasConnected = this.state === 'connected';
    this.dropLink(wasConnected, true);
    if (this.master === null) return;
    this.state = 'connecting';
    const cap = this.server.config.num('repl-reconnect-max-delay');
    const base = Math.min(cap, 50 * 2 ** this.attempt);
    const delay = Math.round(base / 2 + Math.random() * (base / 2));
    this.attempt++;
    this.log.notice(`Reconnecting to MASTER ${this.master.host}:${this.master.port} in ${delay} ms (attempt ${this.attempt})`);
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.streamedLoad?.orphan === true) this.connectAfterLoad = true;
      else if (this.master !== null && this.socket === null) this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }

  private dropLink(logLost: boolean, keepLoad = false): void {
    const repl = this.server.replication;
    if (this.state === 'connected' || this.masterClient !== null) {
      if (logLost) this.log.notice('Connection with master lost.');
      this.downSince = Date.now();
    }
    repl.linkUp = false;
    const t = this.transfer;
    if (t !== null && t.streamed !== null) {
      // The load reading the socket meets a short read, as rdbLoad reports it.
      this.log.warning(`Internal error in RDB reading offset ${t.size}, function at rdb.c:0 -> Unexpected EOF reading RDB file`);
      this.log.warning('Failed trying to load the MASTER synchronization DB from socket');
      this.streamedLoad = null;
    }
    if (this.streamedLoad !== null && this.state === 'loading' && keepLoad) {
      // Fully received: it finishes loading (orphanLoaded), still as a load.
      this.streamedLoad.orphan = true;
    } else {
      this.streamedLoad = null;
      // An abandoned load leaves the old data in place: it is served again.
      repl.setLoading('none');
    }
    this.linkGeneration++;
    this.syncInProgress = false;
    this.transfer = null;
    this.fullSync = null;
    const mc = this.masterClient;
    this.masterClient = null;
    if (mc !== null) {
      // replicationCacheMaster: keep the stream's db; a half-received MULTI is
      // discarded, and PSYNC resumes from before it.
      this.cachedDb = mc.db.id;
      if (!mc.closed) this.server.closeClient(mc, true);
    }
    const s = this.socket;
    this.socket = null;
    if (s !== null) s.destroy();
    this.received.length = 0;
    this.forwarded = 0;
    this.receivedTotal = 0;
    this.applied = 0;
  }

  clientClosed(c: Client): void {
    // CLIENT KILL TYPE master: the link drops like any other, the cached db included.
    if (c === this.masterClient) this.fail();
  }

  private onData(d: Buffer): void {
    this.lastIo = Date.now();
    this.server.stats.netReplInputBytes += d.length;
    if (this.state === 'connected') {
      this.applyStream(d);
      return;
    }
    this.inbuf = this.inbuf.length === 0 ? d : Buffer.concat([this.inbuf, d]);
    // While the payload loads, stream bytes wait here and are applied once it is in.
    if (this.state === 'loading') return;
    if (this.state === 'handshake') this.handshake();
    if (this.state === 'transfer') this.readTransfer();
  }

  /** One reply line from inbuf, or null when incomplete. */
  private line(): string | null {
    const nl = this.inbuf.indexOf(10);
    if (nl === -1) return null;
    const end = nl > 0 && this.inbuf[nl - 1] === 13 ? nl - 1 : nl;
    const s = this.inbuf.latin1Slice(0, end);
    this.inbuf = this.inbuf.subarray(nl + 1);
    return s;
  }

  private handshake(): void {
    const cfg = this.server.config;
    for (;;) {
      const reply = this.line();
      if (reply === null) return;
      switch (this.step) {
        case 'ping':
          if (reply[0] === '-' && !/^-(NOAUTH|NOPERM|ERR operation not permitted)/.test(reply)) {
            this.log.warning(`Error reply to PING from master: '${reply.slice(1)}'`);
            return this.fail();
          }
          this.log.notice('Master replied to PING, replication can continue...');
          if (cfg.str('masterauth') !== '') {
            const user = cfg.str('masteruser');
            this.send(user !== '' ? ['AUTH', user, cfg.str('masterauth')] : ['AUTH', cfg.str('masterauth')]);
            this.step = 'auth';
            break;
          }
          this.sendPort();
          break;
        case 'auth':
          if (reply[0] === '-') {
            this.log.warning(`Unable to AUTH to MASTER: ${reply.slice(1)}`);
            return this.fail();
          }
          this.sendPort();
          break;
        case 'port':
          if (reply[0] === '-') this.log.notice(`(Non critical) Master does not understand REPLCONF listening-port: ${reply.slice(1)}`);
          if (cfg.str('replica-announce-ip') !== '') {
            this.send(['REPLCONF', 'ip-address', cfg.str('replica-announce-ip')]);
            this.step = 'ip';
            break;
          }
          this.sendCapa();
          break;
        case 'ip':
          if (reply[0] === '-') this.log.notice(`(Non critical) Master does not understand REPLCONF ip-address: ${reply.slice(1)}`);
          this.sendCapa();
          break;
        case 'capa':
          if (reply[0] === '-') this.log.notice(`(Non critical) Master does not understand REPLCONF capa: ${reply.slice(1)}`);
          this.sendPsync();
          break;
        case 'psync':
        case 'sync':
          if (this.step === 'psync' && reply === '') continue; // keepalive newline before the answer
          if (this.step === 'sync') {
            // SYNC answers with the payload directly: put the line back.
            this.inbuf = Buffer.concat([Buffer.from(reply + '\r\n', 'latin1'), this.inbuf]);
            this.startTransfer('?', -1);
            return;
          }
          this.psyncReply(reply);
          return;
      }
    }
  }

  private sendPort(): void {
    const cfg = this.server.config;
    const port = cfg.num('replica-announce-port') || this.server.port;
    this.send(['REPLCONF', 'listening-port', String(port)]);
    this.step = 'port';
  }

  private sendCapa(): void {
    this.send(['REPLCONF', 'capa', 'eof', 'capa', 'psync2']);
    this.step = 'capa';
  }

  private sendPsync(): void {
    const repl = this.server.replication;
    const cached = this.hasCachedMaster() && !this.discardCachedMaster;
    let psync: string[];
    if (cached) {
      this.log.notice(`Trying a partial resynchronization (request ${repl.replid}:${repl.masterReplOffset + 1}).`);
      psync = ['PSYNC', repl.replid, String(repl.masterReplOffset + 1)];
    } else {
      this.log.notice('Partial resynchronization not possible (no cached master)');
      psync = ['PSYNC', '?', '-1'];
    }
    // A master failing over to this target asks it to take over (PSYNC ... FAILOVER).
    if (repl.failover.state === 'failover-in-progress') psync.push('FAILOVER');
    this.send(psync);
    this.step = 'psync';
  }

  /** Whether our replid/offset describe a history a master could continue. */
  private hasCachedMaster(): boolean {
    return this.server.replication.backlog !== null || this.server.replication.masterReplOffset > 0;
  }

  private psyncReply(reply: string): void {
    const repl = this.server.replication;
    if (repl.failover.state === 'failover-in-progress') {
      // The failover is done once the target answers as a master; anything else aborts it.
      if (reply.startsWith('+FULLRESYNC') || reply.startsWith('+CONTINUE')) repl.failover.clear();
      else {
        repl.failover.abort('Failover target rejected psync request');
        return;
      }
    }
    if (reply.startsWith('+FULLRESYNC')) {
      const [, replid, offset] = reply.split(' ');
      this.log.notice(`Full resync from master: ${replid}:${offset}`);
      this.startTransfer(replid, Number(offset));
      return;
    }
    if (reply.startsWith('+CONTINUE')) {
      const newId = reply.split(' ')[1];
      if (newId !== undefined && newId !== '' && newId !== repl.replid) {
        // The master's history continues under a new ID: keep ours valid up to here, and
        // let our replicas reconnect to learn it (they continue partially with the old one).
        repl.shiftReplid(newId);
        repl.disconnectReplicas();
        this.log.notice(`Master replication ID changed to ${newId}`);
      }
      this.log.notice('Successful partial resynchronization with master.');
      this.log.notice('MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.');
      this.becomeConnected();
      return;
    }
    if (reply.startsWith('-NOMASTERLINK') || reply.startsWith('-LOADING')) {
      this.log.notice(`Master is currently unable to PSYNC but should be in the future: ${reply.slice(1)}`);
      return this.fail();
    }
    if (reply.startsWith('-ERR')) {
      // A master that does not know PSYNC: fall back to SYNC, as Redis does.
      this.log.warning(`Master does not support PSYNC or is in error state (reply: ${reply})`);
      this.log.notice('Retrying with SYNC...');
      this.send(['SYNC']);
      this.step = 'sync';
      return;
    }
    this.log.warning(`Unexpected reply to PSYNC from master: ${reply}`);
    this.fail();
  }

  private startTransfer(replid: string, offset: number): void {
    this.state = 'transfer';
    this.syncInProgress = true;
    this.fullSync = { replid, offset };
    this.transfer = null;
    if (this.inbuf.length > 0) this.readTransfer();
  }

  private readTransfer(): void {
    if (this.transfer === null) {
      // Newlines are keepalives the master sends while it prepares the payload.
      while (this.inbuf.length > 0 && this.inbuf[0] === 10) this.inbuf = this.inbuf.subarray(1);
      const header = this.line();
      if (header === null) return;
      if (header[0] === '-') {
        this.log.warning(`MASTER aborted replication with an error: ${header.slice(1)}`);
        return this.fail();
      }
      if (header[0] !== '$') {
        this.log.warning(`Bad protocol from MASTER, the first byte is not '$' (we received '${header.slice(0, 64)}'), are you sure the host and port are right?`);
        return this.fail();
      }
      const t = PayloadTransfer.fromHeader(header);
      if (typeof t === 'string') {
        this.log.warning(t);
        return this.fail();
      }
      this.transfer = t;
      this.log.notice(
        t.eofMark !== null
          ? 'MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk'
          : `MASTER <-> REPLICA sync: receiving ${t.total} bytes from master to disk`,
      );
    }
    const t = this.transfer;
    if (t.size === 0 && !this.server.replication.loading && !this.server.replication.asyncLoading && this.startLoadingFromSocket()) {
      t.streamed = this.startStreamedLoad();
    }
    const done = t.take(this.inbuf);
    this.inbuf = Buffer.alloc(0);
    if (done === null) {
      if (t.streamed !== null && !this.loadStarved && t.streamed.unparsedBytes > STREAMED_LOAD_HIGH_WATER) this.socket?.pause();
      return;
    }
    if (done.payload !== null) {
      this.finishTransfer(done.payload, done.rest);
      return;
    }
    // A streamed load completes on its own (startStreamedLoad's onDone).
    this.transfer = null;
    this.state = 'loading';
    this.inbuf = done.rest;
  }

  /**
   * With a diskless load the payload is loaded as it arrives (readSyncBulkPayload), so
   * the load state starts with the transfer: swapdb with the same replication ID keeps
   * serving the old data (async loading); otherwise clients get -LOADING. A disk-based
   * load starts loading once the file is complete (finishTransfer).
   */
  private startLoadingFromSocket(): boolean {
    const s = this.server;
    const mode = s.config.str('repl-diskless-load');
    if (mode === 'disabled') return false;
    if (mode === 'on-empty-db' && s.dbs.some((db) => db.dict.size > 0)) return false;
    const sameHistory = this.fullSync !== null && this.fullSync.replid === s.replication.replid;
    s.replication.setLoading(mode === 'swapdb' && sameHistory ? 'async' : 'blocking');
    return true;
  }

  /** A diskless load parses the payload as it arrives, at its own pace: the socket waits for it. */
  private startStreamedLoad(): StreamedLoad {
    const full = this.fullSync!;
    const generation = this.linkGeneration;
    const st = { orphan: false };
    this.streamedLoad = st;
    this.log.notice('MASTER <-> REPLICA sync: Flushing old data');
    this.log.notice('MASTER <-> REPLICA sync: Loading DB in memory (from socket)');
    return this.loader.streamReplicationPayload(
      () => this.streamedLoad !== st || (!st.orphan && generation !== this.linkGeneration),
      (unparsed, starved) => {
        // Loading counts as activity on the link (Redis does not time out while it loads).
        this.lastIo = Date.now();
        this.loadStarved = starved;
        // A large record is parsed only once it is all there: a starved load always gets more.
        if ((starved || unparsed < STREAMED_LOAD_HIGH_WATER) && this.socket?.isPaused() === true) this.socket.resume();
      },
      (err, streamDb) => {
        if (this.streamedLoad !== st) return;
        this.streamedLoad = null;
        if (st.orphan) {
          this.orphanLoaded(err, streamDb, full);
          return;
        }
        if (generation !== this.linkGeneration) return;
        if (err !== null) {
          this.log.warning(`Failed trying to load the MASTER synchronization DB from socket: ${err.message}`);
          return this.fail();
        }
        this.cachedDb = streamDb >= 0 && streamDb < this.server.dbs.length ? streamDb : 0;
        this.socket?.resume();
        this.loaded(full);
      },
    );
  }

  /**
   * The link dropped after the whole payload arrived but before it was parsed: the
   * load completes (as rdbLoad would, having read it all) and the history is ours, so
   * the next PSYNC can continue; only then does the reconnection start.
   */
  private orphanLoaded(err: Error | null, streamDb: number, full: { replid: string; offset: number }): void {
    if (err !== null) {
      this.server.replication.setLoading('none');
      this.log.warning(`Failed trying to load the MASTER synchronization DB from socket: ${err.message}`);
    } else {
      this.cachedDb = streamDb >= 0 && streamDb < this.server.dbs.length ? streamDb : 0;
      this.adoptPayload(full);
    }
    if (this.connectAfterLoad) {
      this.connectAfterLoad = false;
      if (this.master !== null && this.socket === null) this.connect();
    }
  }

  private finishTransfer(payload: Buffer, rest: Buffer): void {
    const s = this.server;
    const full = this.fullSync!;
    this.transfer = null;
    this.state = 'loading';
    if (!s.replication.asyncLoading) s.replication.setLoading('blocking');
    // Stream bytes that came with the payload's end wait in inbuf like later ones.
    this.inbuf = rest;
    const generation = this.linkGeneration;
    const fromDisk = s.config.str('repl-diskless-load') === 'disabled';
    this.log.notice('MASTER <-> REPLICA sync: Flushing old data');
    this.log.notice(`MASTER <-> REPLICA sync: Loading DB in memory${fromDisk ? '' : ' (from socket)'}`);
    if (!fromDisk) {
      this.loadPayload(payload, full, generation, false);
      return;
    }
    // Through a temp file, as the directive asks: the data exists on disk before it
    // replaces ours. Written and read back without blocking the event loop.
    void (async () => {
      const dir = await mkdtemp(join(tmpdir(), 'redis-ts-sync-'));
      try {
        const file = join(dir, `temp-${process.pid}.rdb`);
        await writeFile(file, payload);
        return await readFile(file);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    })().then(
      (source) => {
        if (generation === this.linkGeneration) this.loadPayload(source, full, generation, true);
      },
      (e: Error) => {
        if (generation !== this.linkGeneration) return;
        this.log.warning(`Failed trying to load the MASTER synchronization DB from disk: ${e.message}`);
        this.fail();
      },
    );
  }

  private loadPayload(source: Buffer, full: { replid: string; offset: number }, generation: number, fromDisk: boolean): void {
    const s = this.server;
    this.loader.loadReplicationPayload(
      source,
      () => generation !== this.linkGeneration,
      (err, streamDb) => {
        if (generation !== this.linkGeneration) return;
        if (err !== null) {
          this.log.warning(`Failed trying to load the MASTER synchronization DB from ${fromDisk ? 'disk' : 'socket'}: ${err.message}`);
          return this.fail();
        }
        // The stream continues in the db the master had selected when it took the
        // snapshot (rsi.repl_stream_db); a master also forces a SELECT, but a chained
        // replica proxies its master's stream and cannot.
        this.cachedDb = streamDb >= 0 && streamDb < s.dbs.length ? streamDb : 0;
        this.loaded(full);
      },
    );
  }

  /** The payload is in: adopt the master's history. */
  private adoptPayload(full: { replid: string; offset: number }): void {
    const s = this.server;
    const repl = s.replication;
    repl.setLoading('none');
    // Our sub-replicas must resync with the new history.
    repl.disconnectReplicas();
    repl.adoptMasterHistory(full.replid, full.offset);
    // The AOF starts over from the dataset just received (restartAOFAfterSYNC).
    s.aof.restartAfterSync();
    this.discardCachedMaster = false;
    this.log.notice('MASTER <-> REPLICA sync: Finished with success');
  }

  /** The payload is in: adopt the master's history and start applying the stream. */
  private loaded(full: { replid: string; offset: number }): void {
    const s = this.server;
    this.adoptPayload(full);
    const pending = this.inbuf;
    this.inbuf = Buffer.alloc(0);
    this.becomeConnected();
    // Tell a diskless master at once that we loaded: it starts the stream on our first ACK.
    this.sendAck();
    if (pending.length > 0) this.applyStream(pending);
    s.flushAll();
  }

  private becomeConnected(): void {
    const s = this.server;
    const repl = s.replication;
    this.state = 'connected';
    this.syncInProgress = false;
    this.attempt = 0;
    repl.linkUp = true;
    repl.ensureBacklog();
    const c = s.createClient(null, `${this.master!.host}:${this.master!.port}`);
    c.db = s.dbs[this.cachedDb];
    c.isMaster = true;
    c.authenticated = true;
    c.replyEnabled = false;
    c.parser.limits.fromMaster = true;
    c.parser.limits.authRequired = false;
    this.masterClient = c;
    this.forwarded = 0;
    this.receivedTotal = 0;
    this.applied = 0;
    this.received.length = 0;
    if (this.inbuf.length > 0) {
      const rest = this.inbuf;
      this.inbuf = Buffer.alloc(0);
      this.applyStream(rest);
    }
  }

  /** Applies master stream bytes; our offset advances by exactly the bytes of applied commands. */
  private applyStream(d: Buffer): void {
    const c = this.masterClient;
    if (c === null) return;
    const s = this.server;
    if (d.length > 0) {
      this.received.push(d);
      this.receivedTotal += d.length;
      c.parser.feed(d);
    }
    s.hooks.fromMaster = true;
    try {
      this.runCommands(c);
    } catch (e) {
      if (e instanceof ProtocolError) {
        this.log.warning(`Protocol error from MASTER: ${e.reason}. Closing the master connection.`);
        s.hooks.fromMaster = false;
        return this.fail();
      }
      // A bug applying the stream: this process stays up, but its data may hold half a
      // command, so the next sync is a full one rather than a PSYNC that could apply it twice.
      this.log.warning(`Internal error applying the MASTER stream: ${(e as Error).stack ?? String(e)}. Resynchronizing from scratch.`);
      s.hooks.fromMaster = false;
      this.discardCachedMaster = true;
      return this.fail();
    } finally {
      s.hooks.fromMaster = false;
    }
    this.forwardApplied();
  }

  /**
   * Runs the master's commands. The offset advances past a command only once it is
   * applied outside a transaction (commandProcessed's reploff): the bytes of a MULTI
   * block count when its EXEC has run, so a link cut inside the block resumes before it.
   */
  private runCommands(c: Client): void {
    const parser = c.parser;
    // While a script is busy the master's stream waits, as in Redis: it resumes through
    // resumeInput once the script returns.
    while (!c.closed && !c.paused && c.blocked === null && !this.server.scriptBusy()) {
      c.requestStart = parser.consumed;
      const argv = parser.next();
      if (argv === null) break;
      if (argv.length > 0) this.runCommand(c, argv);
      // A command held by CLIENT PAUSE is not applied yet: resumePaused runs it.
      if (c.multiQueue === null && !c.paused) this.applied = parser.consumed;
    }
  }

  /** Runs the master's command CLIENT PAUSE held, then the rest of the stream. */
  resumePaused(argv: string[]): void {
    const c = this.masterClient;
    if (c === null || c.closed) return;
    const s = this.server;
    s.hooks.fromMaster = true;
    try {
      this.runCommand(c, argv);
    } finally {
      s.hooks.fromMaster = false;
    }
    if (c.multiQueue === null && !c.paused) this.applied = c.parser.consumed;
    this.resumeInput();
  }

  /** Applies master commands that waited for a busy script. */
  resumeInput(): void {
    const c = this.masterClient;
    if (c === null || c.closed) return;
    this.applyStream(Buffer.alloc(0));
  }

  /** Feeds the bytes of fully applied commands to our backlog and sub-replicas (same offsets as the master). */
  private forwardApplied(): void {
    const c = this.masterClient;
    if (c === null) return;
    let n = this.applied - this.forwarded;
    if (n <= 0) return;
    this.forwarded += n;
    const parts: Buffer[] = [];
    while (n > 0 && this.received.length > 0) {
      const head = this.received[0];
      if (head.length <= n) {
        parts.push(head);
        n -= head.length;
        this.received.shift();
      } else {
        parts.push(head.subarray(0, n));
        this.received[0] = head.subarray(n);
        n = 0;
      }
    }
    this.server.replication.feedStream(parts.length === 1 ? parts[0] : Buffer.concat(parts));
  }

  /** The offset we report: everything applied so far (GETACK replies exclude the GETACK itself). */
  sendAck(): void {
    if (this.socket === null) return;
    const offset = this.ackOffset();
    this.socket.write(encodeCommand(['REPLCONF', 'ACK', String(offset)]));
    this.lastAckSent = Date.now();
  }

  /**
   * Offset of the last byte of fully applied commands, as REPLCONF ACK reports it.
   * While a command runs (GETACK) it counts the commands before it, not itself, and
   * nothing of an unfinished MULTI block.
   */
  ackOffset(): number {
    const c = this.masterClient;
    const repl = this.server.replication;
    if (c === null) return repl.masterReplOffset;
    return repl.masterReplOffset + (this.applied - this.forwarded);
  }

  /** slave_read_repl_offset: everything read from the master, applied or still waiting (held by CLIENT PAUSE, a busy script, an open MULTI). */
  readOffset(): number {
    const repl = this.server.replication;
    if (this.masterClient === null) return repl.masterReplOffset;
    return repl.masterReplOffset + (this.receivedTotal - this.forwarded);
  }

  sendAckNow(): void {
    this.sendAck();
  }

  roleState(): string {
    if (this.state === 'handshake') return 'handshake';
    if (this.state === 'transfer' || this.state === 'loading') return 'sync';
    if (this.state === 'connected') return 'connected';
    if (this.socket !== null) return 'connecting';
    return 'connect';
  }

  streamDb(): number {
    return this.masterClient?.db.id ?? this.cachedDb;
  }

  appliedOffset(): number {
    return this.ackOffset();
  }

  lastIoSecondsAgo(): number {
    return Math.floor((Date.now() - this.lastIo) / 1000);
  }

  downSinceSeconds(): number {
    return this.state === 'connected' ? 0 : Math.floor((Date.now() - this.downSince) / 1000);
  }

  /** The payload being received: bytes read, and the total (-1 while an EOF-marked stream has not ended). */
  transferProgress(): { read: number; total: number } | null {
    const t = this.transfer;
    if (this.state !== 'transfer' || t === null) return null;
    return { read: t.size, total: t.total };
  }

  cron(now: number): void {
    if (this.state === 'connected' && now - this.lastAckSent >= 1000) this.sendAck();
    const p = this.transferProgress();
    if (p !== null && now - this.lastProgressLog >= PROGRESS_LOG_MS) {
      this.lastProgressLog = now;
      const total = p.total >= 0 ? ` of ${p.total} (${((p.read * 100) / Math.max(1, p.total)).toFixed(1)}%)` : '';
      this.log.notice(`MASTER <-> REPLICA sync: ${p.read} bytes received${total}`);
    }
    const timeout = this.server.config.num('repl-timeout') * 1000;
    // While loading, a diskless master rightly says nothing until our first ACK.
    if ((this.state === 'handshake' || this.state === 'transfer' || this.state === 'connected') && now - this.lastIo > timeout) {
      if (this.state === 'connected') this.log.warning('MASTER timeout: no data nor PING received...');
      else if (this.state === 'handshake') this.log.warning('Timeout connecting to the MASTER...');
      else this.log.warning('Timeout receiving bulk data from MASTER... If the problem persists try to set the \'repl-timeout\' parameter in redis.conf to a larger value.');
      this.fail();
    }
  }
}
