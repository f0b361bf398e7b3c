// used_memory as redis-ts accounts it (Redis's zmalloc_used_memory, by another
// route). V8 does not say which object holds what, so used_memory is a model: what
// Redis's own structures would take for the same state, summed from parts that are
// kept current (value-size.ts for the keyspace, kept by KeyspaceMemory) or cheap to
// read (clients' buffers, the backlog, script caches). It rises and falls with the
// data the moment it changes, which eviction and the suite rely on; the process's
// RSS (V8's heap, code and the Lua VM) is reported beside it, not in it.

import type { Server } from './server.js';
import type { Client } from './client.js';
import { DICT_ENTRY } from '../keyspace/value-size.js';
import { BLOCK_OVERHEAD, REPL_BLOCK_BYTES } from '../replication/backlog.js';

/**
 * What a server holds before any data or client: the command table, the config,
 * shared objects and the empty databases. Redis 7.0 reports about this much as
 * used_memory_startup.
 */
export const STARTUP_BYTES = 900 * 1024;
/** A client's fixed part (the client struct). */
export const CLIENT_STRUCT_BYTES = 1024;
/** A tracked key in the tracking table: its rax node (with a typical key) and its client set. */
const TRACKED_KEY_OVERHEAD = 64;

/** What a client's buffers hold, as CLIENT LIST's qbuf, argv-mem, multi-mem, obl and omem show them. */
export interface ClientBuffers {
  qbuf: number;
  argvMem: number;
  multiMem: number;
  obl: number;
  omem: number;
}

export function clientBuffers(c: Client): ClientBuffers {
  const server = c.server;
  const self = c === server.currentClient;
  // The request being executed is still in Redis's query buffer while it runs.
  const qbuf = c.parser.pendingBytes + (self ? c.parser.consumed - c.requestStart : 0);
  let argvMem = c.parser.partialArgBytes;
  if (self) for (const a of server.currentArgv) argvMem += a.length;
  let multiMem = 0;
  if (c.multiQueue !== null) {
    for (const q of c.multiQueue) {
      for (const a of q.argv) multiMem += a.length;
      multiMem += 8 * q.argv.length;
    }
  }
  // Replies waiting in our buffer count as the reply buffer (obl) up to its size,
  // the rest and the socket's queue as the reply list (omem).
  const pending = c.pendingReplyBytes;
  const obl = Math.min(pending, c.replyBuffer.size);
  // A replica's output is its share of the replication buffer (counted once, there).
  const omem = c.isReplica && c.replicaInfo !== null ? c.outputBufferBytes : pending - obl + (c.socket?.writableLength ?? 0);
  return { qbuf, argvMem, multiMem, obl, omem };
}

/** A WATCHed key, a subscription or a tracking prefix: its list node and dict entry. */
const PER_NAME_OVERHEAD = 40;

/** What a client's WATCHed keys, subscriptions and tracking prefixes take (getClientMemoryUsage's other parts). */
function clientStateMemory(c: Client): number {
  let n = 0;
  for (const w of c.watched) n += w.key.length + PER_NAME_OVERHEAD;
  for (const set of [c.channels, c.patterns, c.shardChannels]) for (const name of set) n += name.length + PER_NAME_OVERHEAD;
  const prefixes = c.tracking?.prefixes;
  if (prefixes !== undefined) for (const p of prefixes) n += p.length + PER_NAME_OVERHEAD;
  return n;
}

/** CLIENT LIST's tot-mem: the client struct, its reply buffer, everything buffered and its state. */
export function clientTotalMemory(c: Client): number {
  const b = clientBuffers(c);
  return CLIENT_STRUCT_BYTES + c.replyBuffer.size + b.qbuf + b.argvMem + b.multiMem + b.omem + clientStateMemory(c);
}

/** Memory by owner, as INFO memory and MEMORY STATS break it down. */
export interface MemoryBreakdown {
  used: number;
  startup: number;
  /** Keys, values and TTLs. */
  dataset: number;
  /** The databases' hash tables of TTLs (part of the overhead, as in Redis). */
  expiresOverhead: number;
  clientsNormal: number;
  clientsReplicas: number;
  /** Replicas' output buffers: counted in used_memory, not against maxmemory. */
  notCountedForEvict: number;
  backlog: number;
  /** mem_total_replication_buffers: the shared buffer, backlog and replicas' output together. */
  replicationBuffers: number;
  scripts: number;
  tracking: number;
}

interface ClientsMemory {
  normal: number;
  /** Replica clients' own parts; their output lives in the replication buffer. */
  replicas: number;
}

// Summing every client's buffers costs a walk of the clients: the check before each
// command reads it at most once per millisecond (the keyspace part is always exact).
const clientsSampled = new WeakMap<Server, { at: number; value: ClientsMemory }>();

function clientsMemoryAt(server: Server, nowMs: number): ClientsMemory {
  const cached = clientsSampled.get(server);
  if (cached !== undefined && cached.at === nowMs) return cached.value;
  const value = clientsMemory(server);
  clientsSampled.set(server, { at: nowMs, value });
  return value;
}

function clientsMemory(server: Server): ClientsMemory {
  let normal = 0;
  let replicas = 0;
  for (const c of server.clients.values()) {
    if (c.socket === null && !c.isMaster) continue;
    if (c.isReplica && !c.isMonitor) replicas += CLIENT_STRUCT_BYTES + c.replyBuffer.size + clientBuffers(c).qbuf;
    else normal += clientTotalMemory(c);
  }
  return { normal, replicas };
}

/** `cachedClients`: accept the clients' figure from earlier in the same millisecond. */
export function memoryBreakdown(server: Server, cachedClients = false): MemoryBreakdown {
  server.hooks.memory.settle();
  let dataset = 0;
  let expiresOverhead = 0;
  for (const db of server.dbs) {
    dataset += db.memBytes;
    expiresOverhead += db.expires.size * DICT_ENTRY;
  }
  const clients = cachedClients ? clientsMemoryAt(server, server.hooks.now) : clientsMemory(server);
  // The backlog and the replicas share one replication buffer: what exceeds
  // repl-backlog-size is the replicas' (getMemoryOverheadData), and it does not
  // count against maxmemory (freeMemoryGetNotCountedMemory).
  const repl = server.replication;
  const bufferMem = repl.backlog?.memory ?? 0;
  const backlogSize = server.config.num('repl-backlog-size');
  const excess = repl.replicas.size > 0 && bufferMem > backlogSize ? bufferMem - backlogSize : 0;
  const backlog = bufferMem - excess;
  const countedMem = backlogSize + (Math.floor(backlogSize / REPL_BLOCK_BYTES) + 1) * BLOCK_OVERHEAD;
  const notCounted = Math.max(0, bufferMem - countedMem);
  // Scripting is attached after construction; in-process test servers run without it.
  const scripting = server.scripting as Server['scripting'] | undefined;
  const scripts = scripting === undefined ? 0 : scripting.eval.bodyBytes + scripting.functions.cacheBytes();
  const tracking = server.tracking.table.size * TRACKED_KEY_OVERHEAD;
  const used = STARTUP_BYTES + dataset + expiresOverhead + clients.normal + clients.replicas + bufferMem + scripts + tracking;
  return {
    used,
    startup: STARTUP_BYTES,
    dataset,
    expiresOverhead,
    clientsNormal: clients.normal,
    clientsReplicas: clients.replicas + excess,
    notCountedForEvict: notCounted,
    backlog,
    replicationBuffers: bufferMem,
    scripts,
    tracking,
  };
}

/** used_memory. */
export function usedMemory(server: Server): number {
  return memoryBreakdown(server).used;
}

/** used_memory less what does not count against maxmemory (getMaxmemoryState's figure). */
export function memoryForEviction(server: Server): number {
  const m = memoryBreakdown(server, true);
  return m.used - m.notCountedForEvict;
}
