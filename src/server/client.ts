// A connected client (networking.c's client): its socket, query parser, reply
// buffer, selected database and per-connection state (MULTI, WATCH, pub/sub,
// CLIENT REPLY, name). Replicas and the link to our master are Clients too.

import type { TrackingState } from './tracking.js';
import type { Socket } from 'node:net';
import { ReplyWriter } from '../protocol/reply-writer.js';
import { RequestParser } from '../protocol/request-parser.js';
import type { Command } from '../commands/types.js';
import type { Database, KeyWatcher } from '../keyspace/database.js';
import type { Server } from './server.js';
import type { BlockState } from './blocking.js';
import type { AclUser } from './acl-user.js';
import type { ReplicaInfo } from '../replication/replication.js';

/** A client's reply buffer when it connects (PROTO_REPLY_CHUNK_BYTES). */
export const REPLY_BUFFER_SIZE = 16 * 1024;

export const ClientKind = {
  normal: 'normal',
  master: 'master',
  replica: 'replica',
  pubsub: 'pubsub',
} as const;
export type ClientKind = (typeof ClientKind)[keyof typeof ClientKind];

export interface QueuedCommand {
  cmd: Command;
  argv: string[];
}

/** The size of a client's reply buffer as Redis adapts it (buf_usable_size, buf_peak). */
export interface ReplyBufferModel {
  size: number;
  /** The most the buffer held since the last reset. */
  peak: number;
  peakResetAt: number;
}

export interface WatchedKey {
  db: Database;
  key: string;
  /** The key was already logically expired when WATCHed (then its expiry does not abort EXEC). */
  expiredAtWatch: boolean;
}

export class Client extends ReplyWriter implements KeyWatcher {
  readonly parser: RequestParser;
  db: Database;
  name = '';
  libName = '';
  libVer = '';
  authenticated: boolean;
  user = 'default';
  /** The ACL user authenticated as (its rules change in place with ACL SETUSER). */
  aclUser: AclUser;
  readonly createdAt: number;
  lastInteraction: number;
  lastCommand = 'NULL';
  /** Address strings as CLIENT LIST shows them. */
  readonly addr: string;
  readonly laddr: string;
  readonly fd: number;

  /** Commands queued by MULTI; null outside a transaction. */
  multiQueue: QueuedCommand[] | null = null;
  /** A queued command was rejected: EXEC answers EXECABORT. */
  dirtyExec = false;
  /** A WATCHed key changed: EXEC answers a null array. */
  dirtyCas = false;
  watched: WatchedKey[] = [];
  /** EXEC is running this client's queue: blocking commands must not block. */
  inExec = false;
  /** Its script yielded past busy-reply-threshold: further input waits until it returns. */
  awaitingScript = false;
  /** The reply buffer Redis would give this client (CLIENT LIST rbs/rbp), resized by the cron. */
  readonly replyBuffer: ReplyBufferModel = { size: REPLY_BUFFER_SIZE, peak: 0, peakResetAt: Date.now() };
  /** Set once the client announced itself as a replica (REPLCONF) or asked to SYNC. */
  replicaInfo: ReplicaInfo | null = null;
  /** Waiting in a blocking command (BLPOP ...); its further requests wait in the parser. */
  blocked: BlockState | null = null;

  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  /** Sharded Pub/Sub channels (SSUBSCRIBE), counted apart from the others. */
  readonly shardChannels = new Set<string>();

  isMaster = false;
  /** The client scripts run commands as (CLIENT_SCRIPT). */
  isScript = false;

  /** CLIENT_DENY_BLOCKING: inside EXEC or a script a command cannot block, it times out at once. */
  get denyBlocking(): boolean {
    return this.inExec || this.isScript;
  }
  /** CLIENT TRACKING settings while tracking is on. */
  tracking: TrackingState | null = null;
  isReplica = false;
  isMonitor = false;
  noEvict = false;
  /** CLIENT REPLY SKIP: the next command's reply is dropped. */
  skipNextReply = false;
  replyMode: 'on' | 'off' | 'skip' = 'on';
  closeAfterReply = false;
  closed = false;
  /** Paused by CLIENT PAUSE: requests wait in the parser. */
  paused = false;
  /** The command that found the server paused, run when the pause ends. */
  pausedArgv: string[] | null = null;
  /** Seconds of output over the soft limit started at (ms), for client-output-buffer-limit. */
  softLimitSince = 0;
  queryBufPeak = 0;
  totalCommands = 0;
  /** master_repl_offset after this client's last command: what WAIT waits for (woff). */
  writeOffset = 0;
  /** Stream position (parser.consumed) where the request being executed started. */
  requestStart = 0;

  constructor(
    readonly id: number,
    readonly server: Server,
    readonly socket: Socket | null,
    db: Database,
    /** Address shown for a client without a socket (the master link: the master's host:port). */
    peer = '',
  ) {
    super();
    this.db = db;
    const now = Date.now();
    this.createdAt = now;
    this.lastInteraction = now;
    this.aclUser = server.aclUsers.get('default')!;
    this.authenticated = server.defaultUserAuthenticates();
    this.parser = new RequestParser({
      maxBulkLen: server.config.num('proto-max-bulk-len'),
      authRequired: !this.authenticated,
      fromMaster: false,
    });
    if (socket !== null) {
      const unix = `${server.config.str('unixsocket')}:0`;
      this.addr = formatAddr(socket.remoteAddress, socket.remotePort, unix);
      this.laddr = formatAddr(socket.localAddress, socket.localPort, unix);
      this.fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
    } else {
      this.addr = peer;
      this.laddr = '';
      this.fd = -1;
    }
  }

  get kind(): ClientKind {
    if (this.isMaster) return ClientKind.master;
    if (this.isReplica && !this.isMonitor) return ClientKind.replica;
    if (this.channels.size > 0 || this.patterns.size > 0 || this.shardChannels.size > 0) return ClientKind.pubsub;
    return ClientKind.normal;
  }

  get inMulti(): boolean {
    return this.multiQueue !== null;
  }

  /** Subscribed to anything: RESP2 clients may then only run (P)(UN)SUBSCRIBE, PING, QUIT, RESET. */
  get inPubSub(): boolean {
    return this.channels.size > 0 || this.patterns.size > 0 || this.shardChannels.size > 0;
  }

  /** CLIENT_PUSHING: a push goes out even under CLIENT REPLY OFF/SKIP; returns the setting to restore. */
  forceReplies(): boolean {
    const replies = this.replyEnabled;
    this.replyEnabled = true;
    return replies;
  }

  /** Leaves MULTI state and drops every WATCH (discardTransaction). */
  discardTransaction(): void {
    this.multiQueue = null;
    this.dirtyExec = false;
    this.dirtyCas = false;
    this.server.unwatchAll(this);
  }

  /** touchWatchedKey: a watched key changed, unless it was expired at WATCH time and is now just gone. */
  keyTouched(db: Database, key: string): void {
    const w = this.watchEntry(db, key);
    if (w !== undefined && w.expiredAtWatch && !db.dict.has(key)) {
      // The expired key was deleted: logically nothing changed.
      w.expiredAtWatch = false;
      return;
    }
    this.dirtyCas = true;
  }

  /** touchAllWatchedKeysInDb's per-client rules for FLUSHDB and SWAPDB. */
  keyFlushed(db: Database, key: string, replacedWith: Database | null): void {
    const w = this.watchEntry(db, key);
    if (w !== undefined) {
      if (w.expiredAtWatch) {
        if (replacedWith === null || !replacedWith.dict.has(key)) {
          w.expiredAtWatch = false;
          return;
        }
        if (replacedWith.isExpired(key)) return;
      } else if (!db.dict.has(key) && replacedWith !== null && replacedWith.isExpired(key)) {
        // A missing key replaced by an expired one: still logically missing.
        w.expiredAtWatch = true;
        return;
      }
    }
    this.dirtyCas = true;
  }

  private watchEntry(db: Database, key: string): WatchedKey | undefined {
    for (let i = 0; i < this.watched.length; i++) {
      const w = this.watched[i];
      if (w.db === db && w.key === key) return w;
    }
    return undefined;
  }

  protected override onReplyPending(): void {
    this.server.scheduleFlush(this);
  }

  protected override onErrorReply(msg: string): void {
    this.server.stats.countError(msg);
    // An error on a replication link means the two sides' data may differ: say so loudly.
    if (this.isMaster || (this.isReplica && !this.isMonitor)) this.server.replicationLinkError(this, msg);
  }

  /** A script passing on an error already counted: the command still counts as failed. */
  override errorUncounted(msg: string): void {
    super.errorUncounted(msg);
    const cmd = this.server.currentCommand;
    if (cmd !== null) cmd.stats.failedCalls++;
  }

  /** Sends buffered replies to the socket and enforces output buffer limits. */
  flush(): void {
    if (this.socket === null || this.closed) {
      this.discardOutput();
      return;
    }
    // The AOF is written (and with appendfsync always, synced) before any reply leaves.
    if (this.server.aof.bufBytes !== 0) this.server.aof.flush(false);
    // What Redis's reply buffer would have held of this batch (buf_peak).
    const inBuffer = Math.min(this.pendingReplyBytes, this.replyBuffer.size);
    if (inBuffer > this.replyBuffer.peak) this.replyBuffer.peak = inBuffer;
    const out = this.takeOutput();
    if (out !== null) {
      if (Buffer.isBuffer(out)) {
        this.server.stats.netOutputBytes += out.length;
        this.socket.write(out);
      } else {
        this.socket.cork();
        for (let i = 0; i < out.length; i++) {
          this.server.stats.netOutputBytes += out[i].length;
          this.socket.write(out[i]);
        }
        this.socket.uncork();
      }
      this.server.checkOutputBufferLimits(this);
    }
    if (this.closeAfterReply && !this.closed) this.server.closeClient(this, false);
  }

  /**
   * Bytes waiting to reach the peer: our buffer plus what the socket holds. A
   * replica's is the part of the shared replication buffer it has yet to send.
   */
  get outputBufferBytes(): number {
    const r = this.replicaInfo;
    if (r !== null && this.isReplica) return this.server.replication.replicaOutputBytes(r);
    return this.pendingReplyBytes + (this.socket?.writableLength ?? 0);
  }

  hasPendingOutput(): boolean {
    return this.hasPendingReply();
  }

  /** Drops replies buffered but not yet sent (used when closing). */
  dropOutput(): void {
    this.discardOutput();
  }
}

/** How log lines name a client (catClientInfoString's first fields). */
export function clientInfoBrief(c: Client): string {
  return `id=${c.id} addr=${c.addr} laddr=${c.laddr} name=${c.name}`;
}

/** A peer as Redis prints it: ip:port, [ipv6]:port, or <unixsocket>:0. */
function formatAddr(ip: string | undefined, port: number | undefined, unix: string): string {
  if (ip === undefined) return unix;
  if (ip.startsWith('::ffff:')) ip = ip.slice(7);
  if (ip.includes(':')) return `[${ip}]:${port ?? 0}`;
  return `${ip}:${port ?? 0}`;
}
