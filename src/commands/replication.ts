// Replication commands: REPLICAOF/SLAVEOF SYNC PSYNC REPLCONF ROLE WAIT
// (replication.c). The machinery lives in src/replication/.

import { Errors } from '../protocol/errors.js';
import type { Client } from '../server/client.js';
import { intArg, rangeArg } from './args.js';
import { parseInt64 } from '../util/int64.js';
import { newReplicaInfo } from '../replication/master.js';
import { splitArgs } from '../protocol/split-args.js';
import type { CommandSpec } from './types.js';

/** REPLICAOF host port | NO ONE (and SLAVEOF) */
function replicaof(c: Client, argv: string[]): void {
  const s = c.server;
  const repl = s.replication;
  if (repl.failover.active) {
    c.error('ERR REPLICAOF not allowed while failing over.');
    return;
  }
  if (argv[1].toLowerCase() === 'no' && argv[2].toLowerCase() === 'one') {
    if (repl.isReplica) {
      s.promoteToMaster();
      s.log.notice(`MASTER MODE enabled (user request from 'id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=${c.fd} name=${c.name}')`);
    }
    c.ok();
    return;
  }
  if (c.isReplica) {
    c.error('ERR Command is not valid when client is a replica.');
    return;
  }
  const port = rangeArg(c, argv[2], 0, 65535, 'ERR Invalid master port');
  if (port === null) return;
  const m = repl.master;
  if (m !== null && m.host.toLowerCase() === argv[1].toLowerCase() && m.port === port) {
    s.log.notice('REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.');
    c.raw('+OK Already connected to specified master\r\n');
    return;
  }
  s.followMaster({ host: argv[1], port });
  s.log.notice(`REPLICAOF ${argv[1]}:${port} enabled (user request from 'id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=${c.fd} name=${c.name}')`);
  c.ok();
}

/** SYNC, PSYNC replicationid offset */
function sync(c: Client, argv: string[]): void {
  if (c.isReplica) return;
  if (c.hasPendingOutput()) {
    c.error('ERR SYNC and PSYNC are invalid with pending output');
    return;
  }
  const master = c.server.replication.masterSide;
  if (master === null) {
    c.error('ERR replication is not available');
    return;
  }
  master.sync(c, argv);
}

/** REPLCONF <option> <value> [<option> <value> ...] */
function replconf(c: Client, argv: string[]): void {
  if (argv.length % 2 === 0) {
    c.error(Errors.syntax);
    return;
  }
  const repl = c.server.replication;
  for (let j = 1; j < argv.length; j += 2) {
    const opt = argv[j].toLowerCase();
    const val = argv[j + 1];
    if (opt === 'listening-port') {
      const port = intArg(c, val);
      if (port === null) return;
      (c.replicaInfo ??= newReplicaInfo(c)).listeningPort = port;
    } else if (opt === 'ip-address') {
      if (val.length >= 46) {
        c.error(`ERR REPLCONF ip-address provided by replica instance is too long: ${val.length} bytes`);
        return;
      }
      (c.replicaInfo ??= newReplicaInfo(c)).announcedIp = val;
    } else if (opt === 'capa') {
      const info = (c.replicaInfo ??= newReplicaInfo(c));
      const capa = val.toLowerCase();
      if (capa === 'eof') info.capaEof = true;
      else if (capa === 'psync2') info.capaPsync2 = true;
    } else if (opt === 'ack') {
      // Internal: no reply, from replicas only.
      if (!repl.replicas.has(c)) return;
      const off = parseInt64(val);
      if (off === null) return;
      repl.masterSide?.ack(c, Number(off));
      repl.checkWaiters();
      return;
    } else if (opt === 'getack') {
      if (c.isMaster) repl.replicaSide?.sendAckNow();
      return;
    } else if (opt === 'rdb-only') {
      const v = rangeArg(c, val, 0, 1);
      if (v === null) return;
    } else if (opt === 'rdb-filter-only') {
      // Filters a replica asks for (redis-cli --replica sends none): only "functions" exists.
      // redis-ts has no functions and sends the data anyway, which such tools skip.
      const filters = splitArgs(val);
      if (filters === null) {
        c.error('ERR Missing rdb-filter-only values');
        return;
      }
      const bad = filters.find((f) => f.toLowerCase() !== 'functions');
      if (bad !== undefined) {
        c.error(`ERR Unsupported rdb-filter-only option: ${bad}`);
        return;
      }
    } else {
      c.error(`ERR Unrecognized REPLCONF option: ${argv[j]}`);
      return;
    }
  }
  c.ok();
}

/** ROLE */
function role(c: Client): void {
  const repl = c.server.replication;
  if (!repl.isReplica) {
    const online = [...repl.replicas.values()].filter((r) => r.state === 'online');
    c.arrayLen(3);
    c.bulk('master');
    c.int(repl.masterReplOffset);
    c.arrayLen(online.length);
    for (const r of online) {
      c.arrayLen(3);
      c.bulk(r.announcedIp !== '' ? r.announcedIp : r.client.addr.slice(0, r.client.addr.lastIndexOf(':')));
      c.bulk(String(r.listeningPort));
      c.bulk(String(r.ackOffset));
    }
    return;
  }
  const m = repl.master!;
  c.arrayLen(5);
  c.bulk('slave');
  c.bulk(m.host);
  c.int(m.port);
  c.bulk(repl.replicaSide?.roleState() ?? 'connect');
  c.int(repl.linkUp ? repl.replicaSide?.appliedOffset() ?? -1 : -1);
}

/** WAIT numreplicas timeout */
function wait(c: Client, argv: string[]): void {
  const repl = c.server.replication;
  if (repl.isReplica) {
    c.error(
      'ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.',
    );
    return;
  }
  const num = intArg(c, argv[1]);
  if (num === null) return;
  const t = intArg(c, argv[2], Errors.timeoutNotInteger);
  if (t === null) return;
  if (t < 0) {
    c.error(Errors.timeoutNegative);
    return;
  }
  const offset = c.writeOffset;
  const acked = repl.countAcks(offset);
  if (acked >= num || c.denyBlocking) {
    c.int(acked);
    return;
  }
  repl.addWaiter(c, offset, num, t === 0 ? 0 : Date.now() + t);
}

/** FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT milliseconds] */
function failover(c: Client, argv: string[]): void {
  const f = c.server.replication.failover;
  if (argv.length === 2 && argv[1].toLowerCase() === 'abort') {
    if (!f.active) {
      c.error('ERR No failover in progress.');
      return;
    }
    f.abort('Failover manually aborted');
    c.ok();
    return;
  }
  let timeout = 0;
  let force = false;
  let target: { host: string; port: number } | null = null;
  for (let j = 1; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    if (opt === 'timeout' && j + 1 < argv.length && timeout === 0) {
      const t = intArg(c, argv[j + 1]);
      if (t === null) return;
      if (t <= 0) {
        c.error('ERR FAILOVER timeout must be greater than 0');
        return;
      }
      timeout = t;
      j++;
    } else if (opt === 'to' && j + 2 < argv.length && target === null) {
      const port = intArg(c, argv[j + 2]);
      if (port === null) return;
      target = { host: argv[j + 1], port };
      j += 2;
    } else if (opt === 'force' && !force) {
      force = true;
    } else {
      c.error(Errors.syntax);
      return;
    }
  }
  const err = f.start(target, timeout, force);
  if (err !== null) c.error(err);
  else c.ok();
}

export const replicationCommands: CommandSpec[] = [
  { name: 'failover', arity: -1, flags: ['admin', 'noscript', 'stale'], group: 'server', handler: failover },
  { name: 'replicaof', arity: 3, flags: ['admin', 'noscript', 'stale', 'no_async_loading'], group: 'server', handler: replicaof },
  { name: 'slaveof', arity: 3, flags: ['admin', 'noscript', 'stale', 'no_async_loading'], group: 'server', handler: replicaof },
  { name: 'sync', arity: 1, flags: ['admin', 'noscript', 'no_async_loading', 'no_multi'], group: 'server', handler: sync },
  { name: 'psync', arity: -3, flags: ['admin', 'noscript', 'no_async_loading', 'no_multi'], group: 'server', handler: sync },
  { name: 'replconf', arity: -1, flags: ['admin', 'noscript', 'loading', 'stale', 'allow_busy'], group: 'server', handler: replconf },
  { name: 'role', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'sentinel'], group: 'server', handler: role },
  { name: 'wait', arity: 3, flags: ['noscript'], group: 'keyspace', handler: wait },
];
