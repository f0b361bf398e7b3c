// Request dispatch: from a parsed argv to a handler call, with every check
// Redis's processCommand makes, in the same order, and call()'s bookkeeping
// (stats, slow log, MONITOR, propagation of effects).

import { Errors } from '../protocol/errors.js';
import type { Command } from '../commands/types.js';
import { clientInfoBrief, type Client } from './client.js';
import type { AclUser } from './acl-user.js';
import { ProtocolError } from '../protocol/request-parser.js';
import type { Server } from './server.js';
import { feedMonitors } from './monitor.js';
import { isLocalClient } from './local.js';
import { EvictResult, evictClients } from './evict.js';
import { HISTOGRAM_BUCKETS, recordLatency } from './latency.js';

/** Script flags (script.h) that change how dispatch treats EVAL and FCALL. */
const SCRIPT_NO_WRITES = 1;
const SCRIPT_ALLOW_OOM = 2;
const SCRIPT_ALLOW_STALE = 4;
/** Commands a client in MULTI may still run when memory is over maxmemory. */
const MULTI_OOM_EXEMPT = new Set(['exec', 'discard', 'quit', 'reset']);

/** Commands a RESP2 client may run while subscribed. */
const PUBSUB_ALLOWED = new Set(['ping', 'subscribe', 'unsubscribe', 'psubscribe', 'punsubscribe', 'ssubscribe', 'sunsubscribe', 'quit', 'reset']);
/** Commands run, not queued, inside MULTI. */
const MULTI_EXEMPT = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

/** Runs every complete request buffered for the client. */
export function processInput(server: Server, c: Client): void {
  const parser = c.parser;
  while (!c.closed && !c.closeAfterReply && !c.paused && c.blocked === null && !c.awaitingScript) {
    c.requestStart = parser.consumed;
    const argv = parser.next();
    if (argv === null) break;
    if (argv.length === 0) continue;
    processCommand(server, c, argv);
  }
}

/**
 * Runs a client's buffered requests, from wherever they resume: a socket read, the
 * end of a block or a pause, a deferred pipeline. A protocol error answers the error
 * and closes that client, as Redis does; any other exception is a bug in one command
 * path, answered -ERR and logged, and the server goes on serving everyone else.
 */
export function runClientInput(server: Server, c: Client): void {
  try {
    processInput(server, c);
  } catch (e) {
    if (c.closed) return;
    c.replyEnabled = true;
    if (e instanceof ProtocolError) {
      c.error('ERR ' + e.reply);
      server.log.verbose(`Protocol error (${e.reason}) from client: ${clientInfoBrief(c)}`);
      c.closeAfterReply = true;
    } else {
      internalError(server, c, e, null);
    }
    c.parser.reset();
    c.flush();
  }
}

/**
 * A bug surfaced while serving one client: logged with its stack, answered -ERR (Redis
 * has no text for it), and that client closed after the reply, since its reply stream
 * may be incomplete. Everyone else goes on being served.
 */
function internalError(server: Server, c: Client, e: unknown, cmdName: string | null): void {
  const where = cmdName !== null ? ` in '${cmdName}'` : '';
  server.log.warning(`Internal error${where} serving client ${clientInfoBrief(c)}: ${(e as Error).stack ?? String(e)}`);
  c.replyEnabled = true;
  c.error(`ERR internal error${where}: ${(e as Error).message}`);
  c.closeAfterReply = true;
}

/** Before a write command runs, each key it may change in place is announced (Database.beforeWrite). */
function noteWrittenKeys(c: Client, cmd: Command, argv: string[]): void {
  const db = c.db;
  const range = cmd.keyRange;
  if (range !== null) {
    const last = range[1] < 0 ? argv.length + range[1] : range[1];
    for (let i = range[0]; i <= last && i < argv.length; i += range[2]) db.beforeWrite(argv[i]);
    return;
  }
  for (const i of cmd.keyIndexes(argv)) db.beforeWrite(argv[i]);
}

/** Re-runs the parked commands of clients paused by CLIENT PAUSE. */
export function resumePausedClients(server: Server): void {
  const list = [...server.pausedClients];
  server.pausedClients.clear();
  for (const c of list) {
    c.paused = false;
    const argv = c.pausedArgv;
    c.pausedArgv = null;
    if (c.isMaster) {
      // The master link applies it, with the stream's offsets and the rest of its input.
      if (argv !== null && !c.closed) server.replication.replicaSide?.resumePaused(argv);
      continue;
    }
    if (argv !== null && !c.closed) {
      try {
        processCommand(server, c, argv);
      } catch (e) {
        internalError(server, c, e, null);
      }
    }
    if (!c.closed && !c.closeAfterReply) runClientInput(server, c);
  }
}

function reject(server: Server, c: Client, msg: string, cmd: Command | null): void {
  if (cmd !== null) cmd.stats.rejectedCalls++;
  if (cmd !== null && cmd.name === 'exec' && c.inMulti) {
    // execCommandAbort: a rejected EXEC discards the transaction.
    c.discardTransaction();
    c.error('EXECABORT Transaction discarded because of: ' + msg);
    return;
  }
  if (c.inMulti) c.dirtyExec = true;
  c.error(msg);
  void server;
}

/** Whether any command queued by MULTI passes the test (EXEC takes on its queue's flags). */
function queuedAny(c: Client, test: (cmd: Command) => boolean): boolean {
  const q = c.multiQueue;
  if (q === null) return false;
  for (let i = 0; i < q.length; i++) if (test(q[i].cmd)) return true;
  return false;
}
const isWriteCmd = (cmd: Command): boolean => cmd.write;
const isNonStaleCmd = (cmd: Command): boolean => !cmd.stale;
const isDenyoomCmd = (cmd: Command): boolean => cmd.denyoom;
const mayReplicateCmd = (cmd: Command): boolean => cmd.mayReplicate || cmd.write;

/** CLIENT REPLY SKIP drops the next command's reply, even when the command is rejected. */
export function processCommand(server: Server, c: Client, argv: string[]): void {
  if (c.isReplica && !c.isMonitor) {
    processReplicaCommand(server, c, argv);
    return;
  }
  if (!c.skipNextReply) {
    processCommandChecked(server, c, argv);
    return;
  }
  c.skipNextReply = false;
  c.replyEnabled = false;
  processCommandChecked(server, c, argv);
  if (c.replyMode !== 'off') c.replyEnabled = true;
}

const PUBLISH_LIKE = new Set(['publish', 'spublish', 'subscribe', 'ssubscribe']);

/** ACLCheckAllPerm: the -NOPERM error for a command, a key or a channel the user may not use, or null. */
export function aclDenial(u: AclUser, cmd: Command, argv: string[]): string | null {
  if (!u.canRun(cmd.fullName)) return `NOPERM this user has no permissions to run the '${cmd.fullName}' command`;
  if (!u.allKeys) {
    for (const i of cmd.keyIndexes(argv)) {
      if (!u.canKey(argv[i])) return 'NOPERM this user has no permissions to access one of the keys used as arguments';
    }
  }
  if (!u.allChannels) {
    const name = cmd.name;
    const last = name === 'publish' || name === 'spublish' ? 2 : argv.length;
    if (PUBLISH_LIKE.has(name)) {
      for (let i = 1; i < last; i++) {
        if (!u.canChannel(argv[i])) return 'NOPERM this user has no permissions to access one of the channels used as arguments';
      }
    } else if (name === 'psubscribe') {
      // A pattern subscription needs the very same pattern among the user's.
      for (let i = 1; i < argv.length; i++) {
        if (!u.channelPatterns.includes(argv[i])) return 'NOPERM this user has no permissions to access one of the channels used as arguments';
      }
    }
  }
  return null;
}

/**
 * A replica's link carries only the replication stream: a command of its that answers
 * anything would corrupt it, so the replica is dropped instead (logInvalidUseAndFreeClientAsync).
 */
function processReplicaCommand(server: Server, c: Client, argv: string[]): void {
  const name = server.commands.lookup(argv)?.fullName ?? argv[0].toLowerCase();
  // REPLCONF ACK may start the stream itself: those bytes are the stream, not a reply.
  if (name.startsWith('replconf') || name === 'sync' || name === 'psync') {
    processCommandChecked(server, c, argv);
    return;
  }
  const before = c.pendingReplyBytes;
  processCommandChecked(server, c, argv);
  if (c.closed || !c.isReplica || c.pendingReplyBytes <= before) return;
  server.log.warning(`Replica generated a reply to command '${name}', disconnecting it: ${clientInfoBrief(c)}`);
  c.dropOutput();
  server.closeClient(c, false);
}

function processCommandChecked(server: Server, c: Client, argv: string[]): void {
  server.hooks.now = Date.now();
  const cmd = server.commands.lookup(argv);
  if (cmd === undefined) {
    const top = server.commands.lookupTop(argv[0]);
    if (top !== undefined && top.subcommands !== null) {
      reject(server, c, Errors.unknownSubcommand(argv[1], argv[0]).replace(/[\r\n]/g, ' '), null);
    } else {
      let args = '';
      for (let i = 1; i < argv.length && args.length < 128; i++) args += `'${argv[i].slice(0, 128 - args.length)}' `;
      reject(server, c, `ERR unknown command '${argv[0].slice(0, 128)}', with args beginning with: ${args}`, null);
    }
    return;
  }
  if ((cmd.arity > 0 && cmd.arity !== argv.length) || argv.length < -cmd.arity) {
    reject(server, c, Errors.wrongArgs(cmd.fullName), cmd);
    return;
  }
  if (cmd.protectedCmd && !allowProtected(server.config.str('enable-debug-command'), c)) {
    reject(
      server,
      c,
      'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
      cmd,
    );
    return;
  }
  if (!c.authenticated && !cmd.noAuth) {
    reject(server, c, Errors.noAuth, cmd);
    return;
  }
  if (c.inMulti && cmd.noMulti) {
    reject(server, c, Errors.noMulti, cmd);
    return;
  }
  const aclUser = c.aclUser;
  if (!aclUser.unrestricted) {
    // The master's stream runs whatever it carries (no user, as in Redis).
    const denied = c.isMaster ? null : aclDenial(aclUser, cmd, argv);
    if (denied !== null) {
      reject(server, c, denied, cmd);
      return;
    }
  }
  const isExec = cmd.name === 'exec';
  let isWrite = cmd.write || (isExec && queuedAny(c, isWriteCmd));
  // EXEC may run on a stale replica only if every queued command may.
  let isStale = cmd.stale && !(isExec && queuedAny(c, isNonStaleCmd));
  const scriptFlags = cmd.spec.scriptFlags?.(c, argv) ?? null;
  let isDenyoom = cmd.denyoom || (isExec && queuedAny(c, isDenyoomCmd));
  let mayReplicate = cmd.mayReplicate || (isExec && queuedAny(c, mayReplicateCmd));
  if (scriptFlags !== null) {
    // A script that declared its flags is known to write or not.
    mayReplicate = false;
    // scriptFlagsToCmdFlags: a script with a shebang is a write unless no-writes.
    isWrite = (scriptFlags & SCRIPT_NO_WRITES) === 0;
    isStale = (scriptFlags & SCRIPT_ALLOW_STALE) !== 0;
    isDenyoom = (scriptFlags & (SCRIPT_NO_WRITES | SCRIPT_ALLOW_OOM)) === 0;
  }
  // Clients holding too much memory go before keys do; this one may be among them.
  if (server.maxmemoryClients !== 0) {
    evictClients(server);
    if (c.closed) return;
  }
  if (server.maxmemory === 0) {
    if (!server.scriptBusy()) server.preCommandOomState = false;
  } else if (!server.scriptBusy()) {
    // Keys are evicted first; only when nothing more can go do commands that may grow memory fail.
    const oom = server.evictor.perform() === EvictResult.fail;
    // Queueing inside MULTI takes memory too: only EXEC, DISCARD, QUIT and RESET pass.
    const rejectOnOom = isDenyoom || (c.inMulti && !MULTI_OOM_EXEMPT.has(cmd.name));
    if (oom && rejectOnOom && !c.isMaster) {
      reject(server, c, Errors.oom, cmd);
      return;
    }
    server.preCommandOomState = oom;
  }
  const repl = server.replication;
  if (isWrite && !c.isMaster && !repl.enoughGoodReplicas()) {
    reject(server, c, Errors.noReplicas, cmd);
    return;
  }
  if ((isWrite || cmd.name === 'ping') && !c.isMaster && server.persistence.writesDenied()) {
    reject(server, c, server.persistence.writeDeniedError(), cmd);
    return;
  }
  if (isWrite && repl.isReplica && !c.isMaster && server.config.bool('replica-read-only')) {
    reject(server, c, Errors.readonlyReplica, cmd);
    return;
  }
  if (c.resp === 2 && c.inPubSub && !PUBSUB_ALLOWED.has(cmd.parent?.name ?? cmd.name)) {
    reject(
      server,
      c,
      `ERR Can't execute '${cmd.fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
      cmd,
    );
    return;
  }
  if (repl.isReplica && !repl.linkUp && !server.config.bool('replica-serve-stale-data') && !isStale) {
    reject(server, c, Errors.masterDown, cmd);
    return;
  }
  if ((repl.loading && !cmd.loading) || (repl.asyncLoading && cmd.noAsyncLoading)) {
    reject(server, c, Errors.loading, cmd);
    return;
  }
  const busy = server.busyScript();
  if (busy !== null && !cmd.allowBusy) {
    reject(server, c, busy.evalMode ? Errors.busyScript : Errors.busyFunction, cmd);
    return;
  }
  if (c.isReplica && !c.isMonitor && (cmd.write || cmd.readonly || cmd.mayReplicate)) {
    reject(server, c, "ERR Replica can't interact with the keyspace", cmd);
    return;
  }
  const pause = server.pausedFor;
  // The master's stream waits too: a paused replica's data and offset stand still.
  if (pause !== null && !c.isReplica && (pause === 'all' || isWrite || mayReplicate)) {
    c.paused = true;
    c.pausedArgv = argv;
    server.pausedClients.add(c);
    return;
  }
  // Make sure to use a reasonable amount of memory for client side caching metadata.
  if (server.hooks.trackingActive) server.tracking.limitUsedSlots();
  if (c.multiQueue !== null && !MULTI_EXEMPT.has(cmd.name)) {
    c.multiQueue.push({ cmd, argv });
    c.raw('+QUEUED\r\n');
    return;
  }
  call(server, c, cmd, argv);
  c.writeOffset = server.replication.masterReplOffset;
  // CLIENT CACHING YES/NO applies to the next command only.
  if (c.tracking !== null && c.tracking.caching && !c.inMulti && cmd.fullName !== 'client|caching') c.tracking.caching = false;
}

function rememberTrackedKeys(server: Server, c: Client, cmd: Command, argv: string[]): void {
  if (c.isScript) {
    const run = server.scripting.driver.current;
    if (run === null) return;
    const callerCmd = server.commands.lookup(run.argv as string[]);
    if (callerCmd !== undefined) server.tracking.rememberKeys(run.caller, callerCmd, run.argv);
    return;
  }
  server.tracking.rememberKeys(c, cmd, argv);
}

export function allowProtected(setting: string, c: Client): boolean {
  if (setting === 'yes') return true;
  if (setting === 'local') return isLocalClient(c);
  return false;
}

/**
 * Runs a command with Redis's bookkeeping. Nested calls (EXEC running its queue)
 * share one propagation batch, flushed by the outermost call.
 */
export function call(server: Server, c: Client, cmd: Command, argv: string[]): void {
  const handler = cmd.handler;
  if (handler === null) {
    // A container with no subcommand: arity already failed for it, this is unreachable.
    c.error(Errors.wrongArgs(cmd.fullName));
    return;
  }
  const repl = server.replication;
  const outer = server.callDepth === 0;
  server.callDepth++;
  const dirtyBefore = server.dirty;
  // Errors so far belong to earlier commands (or to calls nested in this one, which
  // take them into their own stats as incrCommandStatsOnError's running count does).
  server.errorsAccounted = server.stats.totalErrorReplies;
  const prevPropagateAs = server.propagateAs;
  server.propagateAs = null;
  const prevClient = server.currentClient;
  const prevCommand = server.currentCommand;
  const prevArgv = server.currentArgv;
  server.currentClient = c;
  server.currentCommand = cmd;
  server.currentArgv = argv;
  if (cmd.write) noteWrittenKeys(c, cmd, argv);

  const t0 = performance.now();
  try {
    handler(c, argv);
  } catch (e) {
    // A bug in one handler must not take the server down.
    internalError(server, c, e, cmd.fullName);
  }
  const us = (performance.now() - t0) * 1000;

  if (server.monitors.size > 0 && !cmd.skipMonitor && !cmd.admin) feedMonitors(server, c, cmd, argv);
  const stats = cmd.stats;
  // A command that left its client waiting counts its call when it is unblocked.
  if (c.blocked === null || !server.blocking.leftWaiting(c)) {
    stats.calls++;
    stats.usec += us;
    if (server.latencyTracking) recordLatency(stats.histogram ?? (stats.histogram = new Array<number>(HISTOGRAM_BUCKETS).fill(0)), us);
  }
  const threshold = server.latencyThresholdMs;
  if (threshold > 0 && us >= threshold * 1000) server.latency.add(cmd.fast ? 'fast-command' : 'command', us / 1000);
  if (server.stats.totalErrorReplies !== server.errorsAccounted) stats.failedCalls++;
  server.errorsAccounted = server.stats.totalErrorReplies;
  server.stats.totalCommands++;
  c.lastCommand = cmd.fullName;
  c.totalCommands++;

  const slower = server.config.num('slowlog-log-slower-than');
  if (slower >= 0 && us >= slower && !cmd.skipSlowlog) {
    const logged = cmd.spec.redact !== undefined ? argv.slice() : argv;
    cmd.spec.redact?.(logged);
    server.slowlog.add(logged, Math.round(us), c.addr, c.name, server.config.num('slowlog-max-len'));
  }

  // The handler may have set propagateAs: read it through a widened type.
  const effects = server.propagateAs as string[][] | null;
  if ((server.dirty !== dirtyBefore || effects !== null) && server.propagationSuppressed === 0) {
    if (effects !== null) {
      for (const effect of effects) repl.propagate(c.db.id, effect);
    } else if (cmd.write || cmd.mayReplicate) {
      repl.propagate(c.db.id, argv);
    }
  }
  // Client-side caching: remember what a tracking client read (for a script's
  // read, the script's caller and the keys of its EVAL/FCALL).
  if (server.hooks.trackingActive && cmd.readonly && !cmd.isScriptCall) rememberTrackedKeys(server, c, cmd, argv);
  server.propagateAs = prevPropagateAs;
  server.currentClient = prevClient;
  server.currentCommand = prevCommand;
  server.currentArgv = prevArgv;
  server.callDepth--;
  if (outer) {
    if (server.hooks.memory.pending) server.hooks.memory.settle();
    if (server.hooks.trackingActive) server.tracking.handlePending(c);
    repl.flushPending(cmd.touchesArbitraryKeys);
    if (server.blocking.blockedCount > 0) server.blocking.handleReadyKeys();
  }
}
