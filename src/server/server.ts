// The server: owns everything long-lived (config, databases, clients, command
// table, listeners, pub/sub, replication state) and the client lifecycle
// (server.c + the accept/read/write halves of networking.c).

import { Tracking } from './tracking.js';
import { LatencyMonitor } from './latency.js';
import { Notify, parseKeyspaceEvents } from '../config/keyspace-events.js';
import { notifyKeyspaceEvent } from './keyspace-events.js';
import type { Scripting } from '../scripting/scripting.js';
import type { ScriptRunContext } from '../scripting/script-run.js';
import { ScanCursorTable } from '../keyspace/scan-cursor.js';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { Errors } from '../protocol/errors.js';
import { chmodSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Config } from '../config/config.js';
import { strerror } from '../config/parse-file.js';
import type { OutputBufferLimits, ReplicaOf } from '../config/types.js';
import type { ServerControls } from '../config/schema.js';
import { Logger, type LogFormat, type LogLevel } from '../log.js';
import { Database, type KeyspaceHooks } from '../keyspace/database.js';
import type { CommandTable } from '../commands/table.js';
import { Client, clientInfoBrief } from './client.js';
import { Stats } from './stats.js';
import { SlowLog } from './slowlog.js';
import { PubSub } from './pubsub.js';
import { processCommand, runClientInput, resumePausedClients } from './dispatch.js';
import { Cron } from './cron.js';
import { Blocking } from './blocking.js';
import { AccessClock } from '../keyspace/access-clock.js';
import { KeyspaceMemory } from '../keyspace/keyspace-memory.js';
import { keySize } from '../keyspace/value-size.js';
import type { Value } from '../keyspace/database.js';
import { Evictor, evictClients } from './evict.js';
import { ShutdownSequence } from './shutdown.js';
import { ReplicaExpires } from '../keyspace/expire.js';
import { DEFAULT_PACKED_THRESHOLD } from '../persistence/rdb/writer.js';
import { MetricsEndpoint } from './metrics.js';
import { Persistence } from '../persistence/persistence.js';
import { Aof } from '../persistence/aof/aof.js';
import { createReplayClient, replayCommand } from './replay.js';
import { defaultAuthenticates, defaultUser, setDefaultPassword, type AclUser } from './acl-user.js';
import { MasterSide } from '../replication/master.js';
import { MasterLink } from '../replication/master-link.js';
import type { SavePoint } from '../config/types.js';
import type { Command } from '../commands/types.js';
import { Replication } from '../replication/replication.js';
import { VERSION } from '../version.js';

export interface PauseState {
  /** 'all' | 'write' while paused by CLIENT PAUSE. */
  type: 'all' | 'write' | null;
  until: number;
  /** Writes held by a FAILOVER or a SHUTDOWN waiting for replicas (PAUSE_DURING_*), apart from CLIENT PAUSE. */
  failover: boolean;
  shutdown: boolean;
}

/** Elements of a collection sampled to cost it in used_memory (as MEMORY USAGE's default). */
const KEY_COST_SAMPLES = 5;

export class Server {
  readonly log: Logger;
  readonly dbs: Database[];
  readonly hooks: KeyspaceHooks;
  readonly commands: CommandTable;
  readonly clients = new Map<number, Client>();
  readonly stats = new Stats();
  readonly slowlog = new SlowLog();
  readonly pubsub = new PubSub();
  readonly monitors = new Set<Client>();
  /** Lua scripting and functions: attached by attachScripting once the VM module is loaded. */
  scripting!: Scripting;
  readonly latency = new LatencyMonitor();
  readonly tracking = new Tracking(this);
  /** maxmemory eviction: its candidate pool, round-robin and timer. */
  readonly evictor = new Evictor(this);
  /** latency-monitor-threshold and latency-tracking, kept by their apply hooks. */
  latencyThresholdMs = 0;
  latencyTracking = true;
  /** notify-keyspace-events as flag bits, kept by the directive's apply hook. */
  notifyFlags = 0;
  /** total_error_replies already charged to a command's failed or rejected calls. */
  errorsAccounted = 0;
  /** DEBUG QUICKLIST-PACKED-THRESHOLD: list elements this big are written as plain RDB nodes. */
  listPackedThreshold = DEFAULT_PACKED_THRESHOLD;
  /** maxmemory and maxmemory-clients, read before every command: kept by their apply hooks. */
  maxmemory = 0;
  maxmemoryClients = 0;
  /** Whether memory was over maxmemory when the current command started (pre_command_oom_state). */
  preCommandOomState = false;
  /** Above 0 while a script runs with redis.set_repl excluding replicas: effects are not propagated. */
  propagationSuppressed = 0;
  /** SCAN-family cursors, shared by every database and client as Redis's are. */
  readonly scanCursors = new ScanCursorTable();
  readonly replication: Replication;
  readonly runId = randomBytes(20).toString('hex');
  readonly startTime = Date.now();
  readonly cron: Cron;
  readonly blocking: Blocking;
  readonly persistence: Persistence;
  readonly aof: Aof;
  /** ACL users by name; `default` always exists. */
  readonly aclUsers = new Map<string, AclUser>([['default', defaultUser()]]);
  /** The command running now and its arguments (for blocking, MONITOR ...). */
  currentCommand: Command | null = null;
  currentArgv: string[] = [];
  /** Changes since the last save (server.dirty). */
  dirty = 0;
  /** Set by a handler to replace what its call propagates (effects, not calls). */
  propagateAs: string[][] | null = null;
  readonly pause: PauseState = { type: null, until: 0, failover: false, shutdown: false };
  /** The Prometheus endpoint (metrics-port). */
  readonly metrics = new MetricsEndpoint(this);
  /** TTL keys a writable replica's clients created, which it expires itself. */
  readonly replicaExpires = new ReplicaExpires();
  /** SHUTDOWN's wait for lagging replicas. */
  readonly shutdownSequence = new ShutdownSequence(this);
  /** Clients waiting for CLIENT UNPAUSE (or the pause to end). */
  readonly pausedClients = new Set<Client>();
  /** The client whose command is running (for MONITOR, CLIENT KILL SKIPME ...). */
  currentClient: Client | null = null;
  shuttingDown = false;
  /** Listening (start() completed). */
  private started = false;
  /** Nesting of call(): EXEC runs commands inside its own call. */
  callDepth = 0;
  /** Resolves when shutdown completed; the CLI exits then. */
  onShutdown: ((code: number) => void) | null = null;

  private nextClientId = 1;
  private readonly listeners: NetServer[] = [];
  private readonly pendingFlush: Client[] = [];
  private flushScheduled = false;
  private readonly flushAllBound = () => this.flushAll();
  private pidfileWritten = '';

  /** `commands`: the command table (built by the caller: commands sit above the server). */
  constructor(
    readonly config: Config,
    commands: CommandTable,
  ) {
    this.log = new Logger({
      level: config.str('loglevel') as LogLevel,
      file: config.str('logfile'),
      format: config.str('log-format') as LogFormat,
    });
    const hooks: KeyspaceHooks = {
      now: Date.now(),
      expireEnabled: true,
      expirePaused: false,
      trackingActive: false,
      keyModified: (_db, key) => this.tracking.invalidateKey(this.trackingClient(), key),
      dbFlushed: () => this.tracking.invalidateAll(),
      fromMaster: false,
      keyExpired: (db, key) => this.keyExpired(db, key),
      keyspaceHits: 0,
      keyspaceMisses: 0,
      keyCreated: (db, key) => {
        this.blocking.signalKeyAsReady(db, key);
        if ((this.notifyFlags & Notify.new) !== 0) notifyKeyspaceEvent(this, Notify.new, 'new', key, db.id);
      },
      keyMissed: (db, key) => {
        if ((this.notifyFlags & Notify.keyMiss) !== 0) notifyKeyspaceEvent(this, Notify.keyMiss, 'keymiss', key, db.id);
      },
      access: new AccessClock(),
      replicaKeyWithExpire: (db, key) => this.replicaExpires.remember(db, key),
      get writableReplica() {
        return !config.bool('replica-read-only');
      },
      memory: new KeyspaceMemory((key, v) => this.keyCost(key, v)),
    };
    this.hooks = hooks;
    const n = config.num('databases');
    this.dbs = [];
    for (let i = 0; i < n; i++) this.dbs.push(new Database(i, hooks));
    this.commands = commands;
    this.replication = new Replication(this);
    this.cron = new Cron(this);
    this.blocking = new Blocking(this);
    this.persistence = new Persistence(this);
    this.aof = new Aof(this);
    const persistence = this.persistence;
    this.replication.masterSide = new MasterSide(this, {
      streamRdb: (onChunk, onDone, hold) => persistence.streamRdb(onChunk, onDone, hold),
      saveRdbFile: (onDone) => {
        persistence.bgsave((err) => onDone(err, persistence.path));
      },
    });
    this.replication.replicaSide = new MasterLink(this, (c, argv) => processCommand(this, c, argv), {
      loadReplicationPayload: (payload, isStale, onDone) => {
        // A replica keeps keys whose time passed: its master will send their DEL.
        persistence.loadIntoSliced(payload, this.dbs, false, (m) => this.log.notice(m), isStale, (err, aux) => {
          onDone(err, Number(aux?.get('repl-stream-db') ?? 0));
        });
      },
      streamReplicationPayload: (isStale, onSlice, onDone) =>
        persistence.loadStreamed(this.dbs, (m) => this.log.notice(m), isStale, onSlice, (err, aux) => {
          onDone(err, Number(aux?.get('repl-stream-db') ?? 0));
        }),
    });
    this.configureAccessClock();
    this.setRequirepass(config.str('requirepass'));
    this.notifyFlags = parseKeyspaceEvents(config.str('notify-keyspace-events'));
    this.latencyThresholdMs = config.num('latency-monitor-threshold');
    this.maxmemory = config.num('maxmemory');
    this.maxmemoryClients = config.num('maxmemory-clients');
    this.latencyTracking = config.bool('latency-tracking');
    config.bindServer(this.controls());
  }

  /** What directives' apply hooks (declared in the config table) do to this server. */
  private controls(): ServerControls {
    return {
      setLogLevel: (level) => {
        this.log.level = level as LogLevel;
      },
      rescheduleCron: () => this.cron.reschedule(),
      changeDir: (dir) => {
        try {
          process.chdir(dir);
          return null;
        } catch (e) {
          return strerror(e);
        }
      },
      trimSlowlog: (maxLen) => this.slowlog.trim(maxLen),
      setMaxBulkLen: (bytes) => {
        for (const cl of this.clients.values()) cl.parser.limits.maxBulkLen = bytes;
      },
      rebindTcp: (port) => this.rebindTcp(port),
      resizeBacklog: (bytes) => {
        // Redis never uses a backlog smaller than 16 KB and reports the raised value.
        const size = Math.max(16384, bytes);
        this.config.record('repl-backlog-size', size);
        this.replication.backlog?.resize(size);
        this.replication.trimBacklog();
      },
      configureAccessClock: () => this.configureAccessClock(),
      setMetricsPort: (port) => {
        // Before start() the listener opens with the others.
        if (this.started) this.metrics.listen(port);
      },
      setAppendonly: (on) => this.aof.setEnabled(on),
      setRequirepass: (pass) => this.setRequirepass(pass),
      collectAofHistory: () => this.aof.deleteHistory(),
      maxmemoryChanged: () => {
        this.maxmemory = this.config.num('maxmemory');
        this.maxmemoryClients = this.config.num('maxmemory-clients');
        // updateMaxmemory: a lower limit is reached by evicting between commands.
        if (this.maxmemory > 0) this.evictor.startTimer();
      },
      setLatencyMonitor: () => {
        this.latencyThresholdMs = this.config.num('latency-monitor-threshold');
        this.latencyTracking = this.config.bool('latency-tracking');
      },
      setKeyspaceEvents: (classes) => {
        this.notifyFlags = parseKeyspaceEvents(classes);
      },
    };
  }

  /** maxmemory-policy, lfu-log-factor and lfu-decay-time into the access clock. */
  configureAccessClock(): void {
    const c = this.config;
    this.hooks.access.configure(c.str('maxmemory-policy'), c.num('lfu-log-factor'), c.num('lfu-decay-time'));
  }

  /** Starts listening; rejects with the message to log when a listener cannot start. */
  async start(): Promise<void> {
    const dir = this.config.str('dir');
    if (dir !== '') {
      try {
        process.chdir(dir);
      } catch (e) {
        throw new Error(`Can't chdir to '${dir}': ${(e as Error).message}`);
      }
    }
    this.log.notice(`Redis version=${VERSION}, bits=64, commit=00000000, modified=0, pid=${process.pid}, just started`);
    this.log.notice(`Running mode=standalone, port=${this.config.num('port')}.`);
    this.log.notice(`redis-ts ${VERSION} (Node.js ${process.version}) PID: ${process.pid}`);
    for (const name of this.config.ignoredSettings) {
      this.log.warning(`WARNING: '${name}' is accepted for compatibility but has no effect in redis-ts.`);
    }
    // Listening starts first: clients that connect during a long load are answered -LOADING.
    await this.listenTcp(this.config.num('port'));
    const unixPath = this.config.str('unixsocket');
    if (unixPath !== '') await this.listenUnix(unixPath);
    await this.loadDataFromDisk();
    const pidfile = this.config.str('pidfile');
    if (pidfile !== '') {
      try {
        writeFileSync(pidfile, `${process.pid}\n`);
        this.pidfileWritten = pidfile;
      } catch (e) {
        this.log.warning(`Failed to write PID file: ${(e as Error).message}`);
      }
    }
    this.cron.start();
    this.replication.start();
    this.started = true;
    this.metrics.listen(this.config.num('metrics-port'));
    this.log.notice('Ready to accept connections');
  }

  /** loadDataFromDisk: the AOF when it is on (even if it has nothing), else the RDB. Rejects to refuse to start. */
  private async loadDataFromDisk(): Promise<void> {
    if (this.config.bool('appendonly')) {
      this.aof.state = 'on';
      const t0 = Date.now();
      const status = this.aof.loadAtStart();
      // Redis's own message (already logged) stays the last line, as tools watching the log expect.
      if (status === 'failed' || status === 'open_err') throw new Error('');
      if (status !== 'not_exist') this.log.notice(`DB loaded from append only file: ${((Date.now() - t0) / 1000).toFixed(3)} seconds`);
      try {
        this.aof.openAtStart();
      } catch (e) {
        throw new Error(`Can't open the append-only file: ${(e as Error).message}`);
      }
      return;
    }
    const err = await new Promise<Error | null>((resolve) => {
      this.replication.setLoading('blocking');
      if (!this.persistence.loadAtStart(resolve)) resolve(null);
    });
    this.replication.setLoading('none');
    if (err !== null) {
      this.log.warning(`Fatal error loading the DB (${this.persistence.path}): ${err.message}. Exiting.`);
      throw new Error('Refusing to start with an unreadable dump file: it was left untouched.');
    }
  }

  /** requirepass sets the default user's password as `resetpass >pass` does (or nopass when empty). */
  setRequirepass(pass: string): void {
    setDefaultPassword(this.aclUsers, pass);
  }

  /** A new connection is authenticated as default without AUTH (default is on and nopass). */
  defaultUserAuthenticates(): boolean {
    return defaultAuthenticates(this.aclUsers);
  }

  /** hasActiveChildProcess: a BGSAVE, a full sync's snapshot or an AOF rewrite is running. */
  hasActiveChild(): boolean {
    return this.persistence.bgsaveInProgress || this.replication.masterSide?.syncInProgress === true || this.aof.rewrite !== null;
  }

  /** Whether the running command is part of an EXEC (server.in_exec). */
  get inExec(): boolean {
    return this.currentClient?.inExec === true;
  }

  /** exit(): a broken durability contract (an AOF write failing under appendfsync always). Nothing more is sent. */
  exitNow(code: number): void {
    process.exit(code);
  }

  /** A connectionless client for replaying stored commands (AOF loading). */
  replayClient(): Client {
    return createReplayClient(this);
  }

  /** Runs a stored command as `c`; false when it names no command. */
  replayCommand(c: Client, argv: string[]): boolean {
    return replayCommand(this, c, argv);
  }

  private bindAddresses(): { host: string; optional: boolean; ipv6Only: boolean }[] {
    const words = this.config.words('bind');
    const out: { host: string; optional: boolean; ipv6Only: boolean }[] = [];
    for (const w of words) {
      const optional = w.startsWith('-');
      let host = optional ? w.slice(1) : w;
      let ipv6Only = false;
      if (host === '*') host = '0.0.0.0';
      else if (host === '::*') {
        host = '::';
        ipv6Only = true;
      } else if (host.includes(':')) ipv6Only = true;
      out.push({ host, optional, ipv6Only });
    }
    return out;
  }

  private tcpListeners: NetServer[] = [];

  private async listenTcp(port: number): Promise<void> {
    if (port === 0) return;
    const started: NetServer[] = [];
    for (const b of this.bindAddresses()) {
      const srv = this.makeNetServer();
      try {
        await new Promise<void>((resolve, reject) => {
          srv.once('error', reject);
          srv.listen({ port, host: b.host, ipv6Only: b.ipv6Only, backlog: 511, exclusive: true }, () => {
            srv.off('error', reject);
            resolve();
          });
        });
        srv.on('error', (e) => this.log.warning(`Listener error: ${e.message}`));
        started.push(srv);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (b.optional && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT' || code === 'EPROTONOSUPPORT')) continue;
        for (const s of started) s.close();
        this.log.warning(`Warning: Could not create server TCP listening socket ${b.host}:${port}: ${(e as Error).message}`);
        throw new Error(`Failed listening on port ${port} (TCP), aborting.`);
      }
    }
    this.tcpListeners = started;
    this.listeners.push(...started);
  }

  /** CONFIG SET port: listen on the new port first, then close the old listeners. */
  private rebindTcp(port: number): string | null {
    const old = this.tcpListeners;
    this.listenTcp(port)
      .then(() => {
        for (const s of old) s.close();
        const idx = (s: NetServer) => this.listeners.indexOf(s);
        for (const s of old) if (idx(s) >= 0) this.listeners.splice(idx(s), 1);
      })
      .catch((e: Error) => this.log.warning(e.message));
    return null;
  }

  private async listenUnix(path: string): Promise<void> {
    try {
      unlinkSync(path);
    } catch {
      // nothing to remove
    }
    const srv = this.makeNetServer();
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(path, () => {
        srv.off('error', reject);
        resolve();
      });
    }).catch((e: Error) => {
      throw new Error(`Failed opening Unix socket: ${e.message}`);
    });
    const perm = this.config.num('unixsocketperm');
    if (perm !== 0) chmodSync(path, perm);
    this.listeners.push(srv);
    this.log.notice(`The server is now ready to accept connections at ${path}`);
  }

  private makeNetServer(): NetServer {
    const srv = createServer({ noDelay: true, pauseOnConnect: false }, (socket) => this.accept(socket));
    return srv;
  }

  /** The port clients reach us on (for REPLCONF listening-port, INFO tcp_port). */
  get port(): number {
    return this.config.num('port');
  }

  private accept(socket: Socket): void {
    this.stats.totalConnections++;
    if (this.clients.size >= this.config.num('maxclients')) {
      this.stats.rejectedConnections++;
      socket.end('-ERR max number of clients reached\r\n');
      return;
    }
    if (this.protectedModeRefuses(socket)) {
      this.stats.rejectedConnections++;
      socket.end(
        '-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. ' +
          'In this mode connections are only accepted from the loopback interface. ' +
          'If you want to connect from external computers to Redis you may adopt one of the following solutions: ' +
          "1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. " +
          '2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to \'no\', and then restarting the server. ' +
          '3) If you started the server manually just for testing, restart it with the \'--protected-mode no\' option. ' +
          '4) Set up an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n',
      );
      return;
    }
    socket.setNoDelay(true);
    const keepalive = this.config.num('tcp-keepalive');
    if (keepalive > 0) socket.setKeepAlive(true, keepalive * 1000);
    const c = this.createClient(socket);
    this.log.verbose(`Accepted ${c.addr}`);
    socket.on('data', (chunk: Buffer) => this.onData(c, chunk));
    socket.on('error', (e) => {
      if (!c.closed) this.log.verbose(`Client ${c.addr} error: ${e.message}`);
      this.closeClient(c, true);
    });
    socket.on('close', () => this.closeClient(c, true));
    socket.on('drain', () => this.checkOutputBufferLimits(c));
  }

  private protectedModeRefuses(socket: Socket): boolean {
    if (!this.config.bool('protected-mode')) return false;
    if (!this.aclUsers.get('default')!.nopass) return false;
    const bind = this.config.words('bind');
    if (!(bind.length === 2 && bind[0] === '*' && bind[1] === '-::*')) return false;
    const ip = socket.remoteAddress ?? '';
    if (ip === '' /* unix socket */) return false;
    return !(ip.startsWith('127.') || ip === '::1' || ip.startsWith('::ffff:127.'));
  }

  /** A client on a socket, or a fake one (socket null) for internal use. */
  createClient(socket: Socket | null, peer = ''): Client {
    const c = new Client(this.nextClientId++, this, socket, this.dbs[0], peer);
    this.clients.set(c.id, c);
    return c;
  }

  private onData(c: Client, chunk: Buffer): void {
    if (c.closed) return;
    this.stats.netInputBytes += chunk.length;
    this.stats.totalReadsProcessed++;
    c.lastInteraction = Date.now();
    c.parser.feed(chunk);
    const pending = c.parser.pendingBytes;
    if (pending > c.queryBufPeak) c.queryBufPeak = pending;
    if (pending > this.config.num('client-query-buffer-limit')) {
      this.log.warning(`Closing client that reached max query buffer length: ${clientInfoBrief(c)} (qbuf initial bytes: ${pending})`);
      this.closeClient(c, false);
      return;
    }
    if (this.maxmemoryClients !== 0) {
      evictClients(this);
      if (c.closed) return;
    }
    if (c.paused) return;
    runClientInput(this, c);
  }

  /** A script is past busy-reply-threshold and has yielded: clients get -BUSY, the master stream waits. */
  scriptBusy(): boolean {
    return this.busyScript() !== null;
  }

  /** The script holding the server past busy-reply-threshold (null if none, or if scripting is not attached). */
  busyScript(): ScriptRunContext | null {
    // In-process test servers run without the scripting subsystem.
    return (this.scripting as Scripting | undefined)?.driver.busy ?? null;
  }

  /** What a key and its value cost in used_memory (the keyspace accounting's measure). */
  keyCost(key: string, v: Value): number {
    return keySize(key, v, KEY_COST_SAMPLES, this.config);
  }

  /**
   * The client a change counts as made by, for client-side caching (server.current_client):
   * for a script's command, the client that ran the script.
   */
  trackingClient(): Client | null {
    const c = this.currentClient;
    if (c !== null && c.isScript) return this.scripting.driver.current?.caller ?? null;
    return c;
  }

  /** afterErrorReply for a master or replica link: the == CRITICAL == warning and its counter. */
  replicationLinkError(c: Client, msg: string): void {
    const [from, to] = c.isMaster ? ['replica', 'master'] : ['master', 'replica'];
    const cmd = this.currentCommand?.fullName ?? '<unknown>';
    this.log.warning(
      `== CRITICAL == This ${from} is sending an error to its ${to}: '${msg.slice(0, 4096)}' after processing the command '${cmd}'`,
    );
    this.stats.unexpectedErrorReplies++;
  }

  /** Runs a client's input again after something held it (a script that yielded). */
  resumeClient(c: Client): void {
    runClientInput(this, c);
    c.flush();
  }

  /** Queues a client whose replies must go out at the end of this event-loop turn. */
  scheduleFlush(c: Client): void {
    this.pendingFlush.push(c);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // With the AOF on, replies wait for the end of the loop turn (beforeSleep), so every
      // client served in it shares one AOF write (and one fsync under appendfsync always).
      if (this.aof.state !== 'off') setImmediate(this.flushAllBound);
      else process.nextTick(this.flushAllBound);
    }
  }

  flushAll(): void {
    this.flushScheduled = false;
    const list = this.pendingFlush;
    for (let i = 0; i < list.length; i++) list[i].flush();
    list.length = 0;
  }

  /** Closes a client; `fromSocket` when the socket already closed or errored. */
  closeClient(c: Client, fromSocket: boolean): void {
    if (c.closed) return;
    c.closed = true;
    this.clients.delete(c.id);
    this.unwatchAll(c);
    this.tracking.disable(c);
    this.pubsub.unsubscribeAll(c);
    this.monitors.delete(c);
    this.pausedClients.delete(c);
    this.blocking.clientClosed(c);
    this.replication.clientClosed(c);
    const sock = c.socket;
    if (sock !== null) {
      if (fromSocket) sock.destroy();
      else {
        // As Redis's close(): nothing more is read, and once the last reply is out the
        // socket is gone for good, so a peer that keeps writing gets a reset.
        sock.pause();
        sock.end(() => sock.destroy());
      }
    }
    c.dropOutput();
    c.parser.reset();
  }

  /** Drops every WATCH of a client (unwatchAllKeys). */
  unwatchAll(c: Client): void {
    for (const w of c.watched) {
      const set = w.db.watched.get(w.key);
      if (set === undefined) continue;
      set.delete(c);
      if (set.size === 0) w.db.watched.delete(w.key);
    }
    c.watched = [];
  }

  /** Enforces client-output-buffer-limit for the client's class. */
  checkOutputBufferLimits(c: Client): void {
    if (c.closed || c.socket === null) return;
    const used = c.outputBufferBytes;
    if (used > this.stats.peakOutputBuffer) this.stats.peakOutputBuffer = used;
    const limits = this.config.outputBufferLimits();
    const kind = c.kind;
    const l = kind === 'replica' ? limits.replica : kind === 'pubsub' ? limits.pubsub : kind === 'master' ? null : limits.normal;
    if (l === null) return;
    let over = false;
    // A replica's hard limit below repl-backlog-size would undo a partial resync the
    // backlog allows; it shares the backlog's memory anyway, so the backlog size rules.
    const hard = kind === 'replica' && l.hard > 0 ? Math.max(l.hard, this.config.num('repl-backlog-size')) : l.hard;
    if (hard > 0 && used >= hard) over = true;
    else if (l.soft > 0 && used >= l.soft) {
      const now = Date.now();
      if (c.softLimitSince === 0) c.softLimitSince = now;
      else if (now - c.softLimitSince >= l.softSeconds * 1000) over = true;
    } else c.softLimitSince = 0;
    if (over) {
      this.log.warning(
        `Client ${clientInfoBrief(c)} scheduled to be closed ASAP for overcoming of output buffer limits ` +
          `(class ${kind === 'replica' ? 'replica' : kind}: ${used} bytes buffered, limits hard ${l.hard} soft ${l.soft}/${l.softSeconds}s; ` +
          `raise client-output-buffer-limit ${kind === 'replica' ? 'replica' : kind} to allow more).`,
      );
      c.dropOutput();
      this.closeClient(c, true);
    } else if (this.maxmemoryClients !== 0) evictClients(this);
  }

  /** An expired key was removed by lookup or the active cycle. */
  private keyExpired(db: Database, key: string): void {
    this.stats.expiredKeys++;
    notifyKeyspaceEvent(this, Notify.expired, 'expired', key, db.id);
    this.replication.propagate(db.id, ['DEL', key]);
  }

  /** Runs a client's remaining pipelined requests after the current event. */
  resumeLater(c: Client): void {
    setImmediate(() => {
      if (!c.closed && c.blocked === null && !c.paused) {
        runClientInput(this, c);
        this.flushAll();
      }
    });
  }

  /** REPLICAOF host port: become a replica (replicationSetMaster). */
  followMaster(m: ReplicaOf): void {
    const repl = this.replication;
    for (const c of this.clients.values()) {
      if (c.blocked !== null && !c.isReplica) {
        this.blocking.failWaiting(c, Errors.forceUnblockFromBlockingOperationInstanceState);
        this.blocking.unblock(c, true);
      }
    }
    repl.becomeReplica(m);
  }

  /** REPLICAOF NO ONE: stop following and keep serving as a master (replicationUnsetMaster). */
  promoteToMaster(): void {
    this.replication.becomeMaster();
    // Active expiry now covers every key.
    this.replicaExpires.clear();
  }

  /** CLIENT PAUSE: holds writes (or everything) until `until` (0: until CLIENT UNPAUSE); only extends and tightens one in force. */
  pauseClients(type: 'write' | 'all', until: number): void {
    const p = this.pause;
    if (p.type === null) {
      p.type = type;
      p.until = until;
    } else {
      if (type === 'all') p.type = 'all';
      if (until > p.until) p.until = until;
    }
    // Keys are not expired while paused, so the dataset (and replicas' offsets) stand still.
    this.hooks.expirePaused = true;
  }

  /** Resumes clients parked by CLIENT PAUSE once it ended (a failover's or shutdown's pause holds writes still). */
  unpause(): void {
    this.pause.type = null;
    this.pause.until = 0;
    this.hooks.expirePaused = this.pause.failover || this.pause.shutdown;
    resumePausedClients(this);
  }

  /** The pause of a FAILOVER or of a SHUTDOWN waiting for replicas: writes wait, as under CLIENT PAUSE WRITE. */
  setInternalPause(purpose: 'failover' | 'shutdown', on: boolean): void {
    this.pause[purpose] = on;
    const internal = this.pause.failover || this.pause.shutdown;
    this.hooks.expirePaused = internal || this.pause.type !== null;
    if (!internal && this.pause.type === null) resumePausedClients(this);
  }

  /** What CLIENT PAUSE, a failover or a shutdown hold now: 'all', 'write', or null. */
  get pausedFor(): 'all' | 'write' | null {
    return this.pause.type ?? (this.pause.failover || this.pause.shutdown ? 'write' : null);
  }

  /**
   * prepareForShutdown + exit: saves first when asked or when save points are set
   * (unless NOSAVE). Returns false, staying up, when that save failed and `force` is
   * not set. Then stops listening, closes clients, removes the pidfile, calls onShutdown.
   */
  shutdown(code = 0, opts: { save?: boolean; nosave?: boolean; force?: boolean } = {}): boolean {
    if (this.shuttingDown) return true;
    const aof = this.aof;
    if (aof.rewrite !== null) {
      // Without its first rewrite the AOF does not hold the dataset yet.
      if (aof.state === 'wait_rewrite') {
        if (opts.force !== true) {
          this.log.warning("Writing initial AOF, can't exit.");
          this.log.warning('Errors trying to shut down the server. Check the logs for more information.');
          return false;
        }
        this.log.warning('Writing initial AOF. Exit anyway.');
      }
      this.log.warning('There is a child rewriting the AOF. Killing it!');
      aof.killRewrite();
    }
    if (aof.state !== 'off') {
      this.log.notice('Calling fsync() on the AOF file.');
      aof.flushForShutdown();
    }
    const savePoints = this.config.savePoints();
    if (opts.save === true || (savePoints.length > 0 && opts.nosave !== true)) {
      this.log.notice('Saving the final RDB snapshot before exiting.');
      try {
        this.persistence.saveSync();
      } catch (e) {
        if (opts.force !== true) {
          this.log.warning(`Error trying to save the DB, can't exit: ${(e as Error).message}`);
          this.log.warning('Errors trying to shut down the server. Check the logs for more information.');
          return false;
        }
        this.log.warning('Error trying to save the DB. Exit anyway.');
      }
    }
    this.shuttingDown = true;
    this.cron.stop();
    this.evictor.stop();
    this.metrics.stop();
    this.replication.stop();
    for (const l of this.listeners) l.close();
    const unixPath = this.config.str('unixsocket');
    if (unixPath !== '') {
      try {
        unlinkSync(unixPath);
      } catch {
        // already gone
      }
    }
    if (this.pidfileWritten !== '') {
      this.log.notice('Removing the pid file.');
      try {
        unlinkSync(this.pidfileWritten);
      } catch {
        // already gone
      }
    }
    this.flushAll();
    for (const c of this.clients.values()) this.closeClient(c, false);
    this.log.warning('Redis is now ready to exit, bye bye...');
    this.onShutdown?.(code);
    return true;
  }
}

/** A short description of a client for log lines. */
