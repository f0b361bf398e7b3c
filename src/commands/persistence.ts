// Persistence commands: SAVE BGSAVE DUMP RESTORE (rdb.c, cluster.c). The saving
// machinery is src/persistence/persistence.ts; payloads use the RDB codec.

import { Errors } from '../protocol/errors.js';
import type { Client } from '../server/client.js';
import { notify, Notify } from '../server/keyspace-events.js';
import { int64Arg } from './args.js';
import { createDumpPayload, type WritableValue } from '../persistence/rdb/writer.js';
import { DumpPayloadError, parseDumpPayload } from '../persistence/rdb/dump-payload.js';
import { toKeyspaceValue } from '../persistence/values.js';
import type { CommandSpec } from './types.js';

/** SAVE */
function save(c: Client): void {
  const p = c.server.persistence;
  if (p.bgsaveInProgress) {
    c.error('ERR Background save already in progress');
    return;
  }
  try {
    p.saveSync();
    c.ok();
  } catch {
    c.error('ERR');
  }
}

/** BGSAVE [SCHEDULE] */
function bgsave(c: Client, argv: string[]): void {
  let schedule = false;
  if (argv.length > 1) {
    if (argv.length === 2 && argv[1].toLowerCase() === 'schedule') schedule = true;
    else {
      c.error(Errors.syntax);
      return;
    }
  }
  const p = c.server.persistence;
  if (p.bgsaveInProgress) {
    c.error('ERR Background save already in progress');
    return;
  }
  if (c.server.aof.rewrite !== null && !schedule && !c.inExec) {
    c.error(
      'ERR Another child process is active (AOF?): can\'t BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.',
    );
    return;
  }
  if (c.inExec || c.server.aof.rewrite !== null) {
    // Like Redis inside EXEC: the save starts once the transaction is over.
    p.scheduled = true;
    if (c.server.aof.rewrite === null) {
      setImmediate(() => {
        if (p.scheduled && !p.bgsaveInProgress) {
          p.scheduled = false;
          p.bgsave();
        }
      });
    }
    c.status('Background saving scheduled');
    return;
  }
  p.bgsave();
  c.status('Background saving started');
}

/** BGREWRITEAOF */
function bgrewriteaof(c: Client): void {
  const r = c.server.aof.bgrewriteCommand(c.inExec);
  if ('err' in r) c.error(r.err);
  else c.status(r.ok);
}

/** DUMP key */
function dump(c: Client, argv: string[]): void {
  const v = c.db.getRead(argv[1]);
  if (v === undefined) {
    c.nullBulk();
    return;
  }
  const payload = createDumpPayload(v as WritableValue, { compression: c.server.config.bool('rdbcompression') });
  c.bulkBuffer(payload);
}

/** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency] */
function restore(c: Client, argv: string[]): void {
  let replace = false;
  let absttl = false;
  let idle = -1;
  let freq = -1;
  for (let j = 4; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    const more = argv.length - j - 1;
    if (opt === 'replace') replace = true;
    else if (opt === 'absttl') absttl = true;
    else if (opt === 'idletime' && more >= 1 && freq === -1) {
      const v = int64Arg(c, argv[j + 1]);
      if (v === null) return;
      if (v < 0) {
        c.error('ERR Invalid IDLETIME value, must be >= 0');
        return;
      }
      idle = Number(v);
      j++;
    } else if (opt === 'freq' && more >= 1 && idle === -1) {
      const v = int64Arg(c, argv[j + 1]);
      if (v === null) return;
      if (v < 0 || v > 255) {
        c.error('ERR Invalid FREQ value, must be >= 0 and <= 255');
        return;
      }
      freq = Number(v);
      j++;
    } else {
      c.error(Errors.syntax);
      return;
    }
  }
  const key = argv[1];
  const db = c.db;
  if (!replace && db.get(key) !== undefined) {
    c.error(Errors.busyKey);
    return;
  }
  const ttlArg = int64Arg(c, argv[2]);
  if (ttlArg === null) return;
  if (ttlArg < 0) {
    c.error('ERR Invalid TTL value, must be >= 0');
    return;
  }
  let value;
  try {
    value = toKeyspaceValue(parseDumpPayload(Buffer.from(argv[3], 'latin1'), { ...c.server.persistence.limits(), maxVersion: 10 }).value, c.server.persistence.streamNodeLimits());
  } catch (e) {
    c.error(e instanceof DumpPayloadError ? e.message : 'ERR Bad data format');
    return;
  }
  const s = c.server;
  const deleted = replace && db.delete(key);
  let ttl = Number(ttlArg);
  if (ttl !== 0 && !absttl) ttl += s.hooks.now;
  if (ttl !== 0 && ttl <= s.hooks.now) {
    // Already expired: nothing is stored; a replaced key is gone.
    if (deleted) {
      s.propagateAs = [['DEL', key]];
      notify(c, Notify.generic, 'del', key);
      s.dirty++;
    } else {
      s.propagateAs = [];
    }
    c.ok();
    return;
  }
  db.add(key, value);
  if (ttl !== 0) {
    db.setExpire(key, ttl);
    if (!absttl) {
      const rewritten = argv.slice();
      rewritten[2] = String(ttl);
      rewritten.push('ABSTTL');
      s.propagateAs = [rewritten];
    }
  }
  s.hooks.access.restore(db, key, s.hooks.now, idle, freq);
  notify(c, Notify.generic, 'restore', key);
  s.dirty++;
  c.ok();
}

export const persistenceCommands: CommandSpec[] = [
  { name: 'save', arity: 1, flags: ['admin', 'noscript', 'no_async_loading', 'no_multi'], group: 'server', handler: save },
  { name: 'bgsave', arity: -1, flags: ['admin', 'noscript', 'no_async_loading'], group: 'server', handler: bgsave },
  { name: 'bgrewriteaof', arity: 1, flags: ['admin', 'noscript', 'no_async_loading'], group: 'server', handler: bgrewriteaof },
  { name: 'dump', arity: 2, flags: ['readonly'], group: 'keyspace', handler: dump, keys: [1, 1, 1] },
  { name: 'restore', arity: -4, flags: ['write', 'denyoom'], group: 'keyspace', handler: restore, keys: [1, 1, 1] },
];
