// Generic keyspace commands: DEL UNLINK EXISTS TYPE RENAME RENAMENX COPY MOVE KEYS
// SCAN RANDOMKEY TOUCH (db.c), OBJECT (object.c), the EXPIRE family, TTL family and
// PERSIST (expire.c).

import { freedInBackground } from '../keyspace/lazyfree.js';
import { sharesIntegers } from '../server/evict.js';
import { int64Arg, replyHelp } from './args.js';
import { Errors } from '../protocol/errors.js';
import { parseInt64 } from '../util/int64.js';
import { globMatch } from '../keyspace/glob.js';
import { typeOf, type Database, type Value } from '../keyspace/database.js';
import { parseScanCursor } from '../keyspace/scan-cursor.js';
import { objectEncoding, objectRefcount } from '../keyspace/encoding.js';
import { pickKey } from '../keyspace/random-key.js';
import { duplicateValue } from '../keyspace/duplicate.js';
import type { Client } from '../server/client.js';
import { notify, notifyKeyspaceEvent, Notify } from '../server/keyspace-events.js';
import type { CommandSpec } from './types.js';

const ERR_LFU_SELECTED =
  'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';
const ERR_LFU_NOT_SELECTED =
  'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';

/** An argument as C's string functions see it: up to the first NUL byte. */
function cstr(s: string): string {
  const nul = s.indexOf('\0');
  return nul === -1 ? s : s.slice(0, nul);
}

/** An option name for strcasecmp-style comparison. */
function optName(s: string): string {
  return cstr(s).toLowerCase();
}

/** A lookup Redis makes with LOOKUP_NOTOUCH: expires and counts hits, leaves the access clock. */
function readNoTouch(db: Database, key: string): Value | undefined {
  return db.getReadNoTouch(key);
}

/** getIntFromObjectOrReply: a C int, or null after replying the error. */
function intArgOrReply(c: Client, arg: string): number | null {
  const v = parseInt64(arg);
  if (v === null) {
    c.error(Errors.notInteger);
    return null;
  }
  if (typeof v === 'bigint' || v < -2147483648 || v > 2147483647) {
    c.error(Errors.intRange);
    return null;
  }
  return v;
}

/** selectDb's check: a database, or null after replying the error. */
function dbOrReply(c: Client, arg: string): Database | null {
  const id = intArgOrReply(c, arg);
  if (id === null) return null;
  if (id < 0 || id >= c.server.dbs.length) {
    c.error(Errors.dbIndexOutOfRange);
    return null;
  }
  return c.server.dbs[id];
}

/** DEL key [key ...] (UNLINK shares it: freeing is never deferred here) */
function del(c: Client, argv: string[]): void {
  const db = c.db;
  const server = c.server;
  const lazy = argv[0].length === 6 /* unlink */ || server.config.bool('lazyfree-lazy-user-del');
  let n = 0;
  for (let j = 1; j < argv.length; j++) {
    const key = argv[j];
    // An expired key is deleted (and its DEL propagated) by expiry, not counted.
    if (db.expires.size !== 0) db.expireIfNeeded(key);
    const v = lazy ? db.dict.get(key) : undefined;
    if (v !== undefined && freedInBackground(v, server.config)) server.stats.lazyfreedObjects++;
    if (db.delete(key)) {
      notify(c, Notify.generic, 'del', key);
      n++;
    }
  }
  c.server.dirty += n;
  c.int(n);
}

/** EXISTS key [key ...] */
function exists(c: Client, argv: string[]): void {
  const db = c.db;
  let n = 0;
  for (let j = 1; j < argv.length; j++) if (readNoTouch(db, argv[j]) !== undefined) n++;
  c.int(n);
}

/** TYPE key */
function type(c: Client, argv: string[]): void {
  const v = readNoTouch(c.db, argv[1]);
  c.status(v === undefined ? 'none' : typeOf(v));
}

function renameGeneric(c: Client, argv: string[], nx: boolean): void {
  const db = c.db;
  const src = argv[1];
  const dst = argv[2];
  const v = db.get(src);
  if (v === undefined) {
    c.error(Errors.noKey);
    return;
  }
  if (src === dst) {
    if (nx) c.int(0);
    else c.ok();
    return;
  }
  const expire = db.getExpire(src);
  if (db.get(dst) !== undefined) {
    if (nx) {
      c.int(0);
      return;
    }
    db.delete(dst);
  }
  db.add(dst, v);
  if (expire !== -1) db.setExpire(dst, expire);
  c.server.hooks.access.carry(db, src, db, dst);
  db.delete(src);
  notify(c, Notify.generic, 'rename_from', src);
  notify(c, Notify.generic, 'rename_to', dst);
  c.server.dirty++;
  if (nx) c.int(1);
  else c.ok();
}

/** RENAME key newkey */
function rename(c: Client, argv: string[]): void {
  renameGeneric(c, argv, false);
}

/** RENAMENX key newkey */
function renamenx(c: Client, argv: string[]): void {
  renameGeneric(c, argv, true);
}

/** MOVE key db */
function move(c: Client, argv: string[]): void {
  const src = c.db;
  const dst = dbOrReply(c, argv[2]);
  if (dst === null) return;
  if (dst === src) {
    c.error(Errors.sameObject);
    return;
  }
  const key = argv[1];
  const v = src.get(key);
  if (v === undefined) {
    c.int(0);
    return;
  }
  const expire = src.getExpire(key);
  if (dst.get(key) !== undefined) {
    c.int(0);
    return;
  }
  dst.add(key, v);
  if (expire !== -1) dst.setExpire(key, expire);
  c.server.hooks.access.carry(src, key, dst, key);
  src.delete(key);
  notifyKeyspaceEvent(c.server, Notify.generic, 'move_from', key, src.id);
  notifyKeyspaceEvent(c.server, Notify.generic, 'move_to', key, dst.id);
  c.server.dirty++;
  c.int(1);
}

/** COPY source destination [DB destination-db] [REPLACE] */
function copy(c: Client, argv: string[]): void {
  const src = c.db;
  let dst = src;
  let replace = false;
  for (let j = 3; j < argv.length; j++) {
    const opt = optName(argv[j]);
    if (opt === 'replace') {
      replace = true;
    } else if (opt === 'db' && j + 1 < argv.length) {
      const d = dbOrReply(c, argv[++j]);
      if (d === null) return;
      dst = d;
    } else {
      c.error(Errors.syntax);
      return;
    }
  }
  const key = argv[1];
  const newKey = argv[2];
  if (src === dst && key === newKey) {
    c.error(Errors.sameObject);
    return;
  }
  const v = src.getRead(key);
  if (v === undefined) {
    c.int(0);
    return;
  }
  const expire = src.getExpire(key);
  let overwrite = false;
  if (dst.get(newKey) !== undefined) {
    if (!replace) {
      c.int(0);
      return;
    }
    overwrite = true;
  }
  const dup = duplicateValue(v);
  if (overwrite) dst.delete(newKey);
  dst.add(newKey, dup);
  if (expire !== -1) dst.setExpire(newKey, expire);
  notifyKeyspaceEvent(c.server, Notify.generic, 'copy_to', newKey, dst.id);
  c.server.dirty++;
  c.int(1);
}

/** KEYS pattern */
function keys(c: Client, argv: string[]): void {
  const db = c.db;
  const pattern = argv[1];
  const all = pattern === '*';
  const checkExpiry = db.expires.size !== 0;
  const out: string[] = [];
  // Expired keys are skipped, not deleted: KEYS never writes.
  for (const k of db.dict.keys()) {
    if ((all || globMatch(pattern, k)) && !(checkExpiry && db.isExpired(k))) out.push(k);
  }
  c.bulks(out);
}

/** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] */
function scan(c: Client, argv: string[]): void {
  const cursor = parseScanCursor(argv[1]);
  if (cursor === null) {
    c.error(Errors.invalidCursor);
    return;
  }
  let count = 10;
  let pattern: string | null = null;
  let typeName: string | null = null;
  for (let i = 2; i < argv.length; i += 2) {
    const opt = optName(argv[i]);
    const hasValue = i + 1 < argv.length;
    if (opt === 'count' && hasValue) {
      const n = int64Arg(c, argv[i + 1]);
      if (n === null) return;
      if (n < 1) {
        c.error(Errors.syntax);
        return;
      }
      count = typeof n === 'number' ? n : Number.MAX_SAFE_INTEGER;
    } else if (opt === 'match' && hasValue) {
      // "*" matches everything: the same as no pattern.
      pattern = argv[i + 1] === '*' ? null : argv[i + 1];
    } else if (opt === 'type' && hasValue) {
      typeName = optName(argv[i + 1]);
    } else {
      c.error(Errors.syntax);
      return;
    }
  }
  const db = c.db;
  const found: string[] = [];
  const next = c.server.scanCursors.step(cursor, db.dict, count, found);
  let n = 0;
  for (let i = 0; i < found.length; i++) {
    const k = found[i];
    if (pattern !== null && !globMatch(pattern, k)) continue;
    if (typeName !== null) {
      // Like Redis, this lookup expires the key first, so TYPE none keeps expired keys.
      const v = readNoTouch(db, k);
      if ((v === undefined ? 'none' : typeOf(v)) !== typeName) continue;
    }
    if (db.expires.size !== 0 && db.expireIfNeeded(k)) continue;
    found[n++] = k;
  }
  found.length = n;
  c.arrayLen(2);
  c.bulk(String(next));
  c.bulks(found);
}

/** dbRandomKey: a key that is not expired, or null when there is none. */
function randomKey(c: Client, db: Database): string | null {
  const allVolatile = db.dict.size === db.expires.size;
  const replica = c.server.replication.isReplica;
  let tries = 100;
  for (;;) {
    if (db.dict.size === 0) return null;
    const key = pickKey(db.dict);
    if (db.expires.size !== 0 && db.expires.has(key)) {
      // On a replica expired keys stay until the master's DEL: give up eventually.
      if (allVolatile && replica && --tries === 0) return key;
      if (db.expireIfNeeded(key)) continue;
    }
    return key;
  }
}

/** RANDOMKEY */
function randomkey(c: Client): void {
  const key = randomKey(c, c.db);
  if (key === null) c.nullBulk();
  else c.bulk(key);
}

/** TOUCH key [key ...] */
function touch(c: Client, argv: string[]): void {
  const db = c.db;
  let n = 0;
  for (let j = 1; j < argv.length; j++) if (db.getRead(argv[j]) !== undefined) n++;
  c.int(n);
}

const OBJECT_HELP = [
  'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
  'HELP',
  '    Prints this help.',
];

/** objectCommandLookupOrReply: the value, or null after replying a null. */
function objectLookup(c: Client, key: string): Value | null {
  const v = readNoTouch(c.db, key);
  if (v === undefined) {
    c.nullBulk();
    return null;
  }
  return v;
}

/** OBJECT ENCODING key */
function objectEncodingCmd(c: Client, argv: string[]): void {
  const v = objectLookup(c, argv[2]);
  if (v === null) return;
  c.bulk(typeof v === 'string' && c.db.rawStrings.has(argv[2]) ? 'raw' : objectEncoding(v, c.server.config));
}

/** OBJECT REFCOUNT key */
function objectRefcountCmd(c: Client, argv: string[]): void {
  const v = objectLookup(c, argv[2]);
  if (v !== null) c.int(objectRefcount(v, sharesIntegers(c.server)));
}

/** OBJECT IDLETIME key */
function objectIdletime(c: Client, argv: string[]): void {
  if (objectLookup(c, argv[2]) === null) return;
  c.server.configureAccessClock();
  if (c.server.hooks.access.lfu) c.error(ERR_LFU_SELECTED);
  else c.int(c.server.hooks.access.idleSeconds(c.db, argv[2], c.server.hooks.now));
}

/** OBJECT FREQ key */
function objectFreq(c: Client, argv: string[]): void {
  if (objectLookup(c, argv[2]) === null) return;
  c.server.configureAccessClock();
  if (!c.server.hooks.access.lfu) c.error(ERR_LFU_NOT_SELECTED);
  else c.int(c.server.hooks.access.frequency(c.db, argv[2], c.server.hooks.now));
}

/** OBJECT HELP */
function objectHelp(c: Client): void {
  replyHelp(c, OBJECT_HELP);
}

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;

const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;
/** Below this a relative time times 1000 plus now stays an exact double. */
const FAST_LIMIT = 2 ** 42;

/** parseExtendedExpireArgumentsOrReply: the NX/XX/GT/LT flags, or -1 after an error. */
function expireFlagsOrReply(c: Client, argv: string[]): number {
  let flags = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = optName(argv[j]);
    if (opt === 'nx') flags |= EXPIRE_NX;
    else if (opt === 'xx') flags |= EXPIRE_XX;
    else if (opt === 'gt') flags |= EXPIRE_GT;
    else if (opt === 'lt') flags |= EXPIRE_LT;
    else {
      // addReplyErrorFormat trims CR/LF at both ends; error() maps the inner ones.
      c.error(`ERR ${`Unsupported option ${cstr(argv[j])}`.replace(/^[\r\n]+|[\r\n]+$/g, '')}`);
      return -1;
    }
  }
  if (flags & EXPIRE_NX && flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) {
    c.error(Errors.nxCombo);
    return -1;
  }
  if (flags & EXPIRE_GT && flags & EXPIRE_LT) {
    c.error(Errors.gtLt);
    return -1;
  }
  return flags;
}

/**
 * expireGenericCommand: `base` is now for the relative forms and 0 for the *AT forms.
 * Times beyond 2^53 ms are kept as the nearest double.
 */
function expireGeneric(c: Client, argv: string[], base: number, inSeconds: boolean, name: string): void {
  const flags = expireFlagsOrReply(c, argv);
  if (flags < 0) return;
  const v = int64Arg(c, argv[2]);
  if (v === null) return;
  let when: number;
  if (typeof v === 'number' && v < FAST_LIMIT && v > -FAST_LIMIT) {
    when = (inSeconds ? v * 1000 : v) + base;
  } else {
    let w = BigInt(v);
    if (inSeconds) {
      if (w > LLONG_MAX / 1000n || w < LLONG_MIN / 1000n) {
        c.error(Errors.invalidExpire(name));
        return;
      }
      w *= 1000n;
    }
    if (w > LLONG_MAX - BigInt(base)) {
      c.error(Errors.invalidExpire(name));
      return;
    }
    when = Number(w + BigInt(base));
  }
  const db = c.db;
  const key = argv[1];
  if (db.get(key) === undefined) {
    c.int(0);
    return;
  }
  if (flags !== 0) {
    const current = db.getExpire(key);
    if (
      (flags & EXPIRE_NX && current !== -1) ||
      (flags & EXPIRE_XX && current === -1) ||
      // No TTL counts as infinite: GT never passes, LT always does.
      (flags & EXPIRE_GT && (current === -1 || when <= current)) ||
      (flags & EXPIRE_LT && current !== -1 && when >= current)
    ) {
      c.int(0);
      return;
    }
  }
  const server = c.server;
  // checkAlreadyExpired: a replica (or a load) keeps the key and waits for the master's DEL.
  if (when <= server.hooks.now && !server.replication.loading && !server.replication.isReplica) {
    db.delete(key);
    server.dirty++;
    server.propagateAs = [[server.config.bool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', key]];
    notify(c, Notify.generic, 'del', key);
    c.int(1);
    return;
  }
  db.setExpire(key, when);
  db.touch(key);
  notify(c, Notify.generic, 'expire', key);
  server.dirty++;
  // Propagated as PEXPIREAT with the absolute time; the flags stay, as Redis rewrites
  // only the command name and the time.
  if (name !== 'pexpireat') {
    const eff = argv.slice();
    eff[0] = 'PEXPIREAT';
    eff[2] = String(when);
    server.propagateAs = [eff];
  }
  c.int(1);
}

/** EXPIRE key seconds [NX | XX | GT | LT] */
function expire(c: Client, argv: string[]): void {
  expireGeneric(c, argv, c.server.hooks.now, true, 'expire');
}

/** PEXPIRE key milliseconds [NX | XX | GT | LT] */
function pexpire(c: Client, argv: string[]): void {
  expireGeneric(c, argv, c.server.hooks.now, false, 'pexpire');
}

/** EXPIREAT key unix-time-seconds [NX | XX | GT | LT] */
function expireat(c: Client, argv: string[]): void {
  expireGeneric(c, argv, 0, true, 'expireat');
}

/** PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT] */
function pexpireat(c: Client, argv: string[]): void {
  expireGeneric(c, argv, 0, false, 'pexpireat');
}

/** ttlGenericCommand: -2 no key, -1 no TTL, else the TTL or absolute time. */
function ttlGeneric(c: Client, key: string, ms: boolean, absolute: boolean): void {
  const db = c.db;
  if (readNoTouch(db, key) === undefined) {
    c.int(-2);
    return;
  }
  const when = db.getExpire(key);
  if (when === -1) {
    c.int(-1);
    return;
  }
  let t = absolute ? when : when - c.server.hooks.now;
  if (t < 0) t = 0;
  c.int(ms ? t : Math.floor((t + 500) / 1000));
}

/** TTL key */
function ttl(c: Client, argv: string[]): void {
  ttlGeneric(c, argv[1], false, false);
}

/** PTTL key */
function pttl(c: Client, argv: string[]): void {
  ttlGeneric(c, argv[1], true, false);
}

/** EXPIRETIME key */
function expiretime(c: Client, argv: string[]): void {
  ttlGeneric(c, argv[1], false, true);
}

/** PEXPIRETIME key */
function pexpiretime(c: Client, argv: string[]): void {
  ttlGeneric(c, argv[1], true, true);
}

/** PERSIST key */
function persist(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1];
  if (db.get(key) !== undefined && db.removeExpire(key)) {
    db.touch(key);
    notify(c, Notify.generic, 'persist', key);
    c.server.dirty++;
    c.int(1);
  } else {
    c.int(0);
  }
}

export const keyCommands: CommandSpec[] = [
  { name: 'del', arity: -2, flags: ['write'], group: 'keyspace', handler: del, keys: [1, -1, 1] },
  { name: 'unlink', arity: -2, flags: ['write', 'fast'], group: 'keyspace', handler: del, keys: [1, -1, 1] },
  { name: 'exists', arity: -2, flags: ['readonly', 'fast'], group: 'keyspace', handler: exists, keys: [1, -1, 1] },
  { name: 'type', arity: 2, flags: ['readonly', 'fast'], group: 'keyspace', handler: type, keys: [1, 1, 1] },
  { name: 'rename', arity: 3, flags: ['write'], group: 'keyspace', handler: rename, keys: [1, 2, 1] },
  { name: 'renamenx', arity: 3, flags: ['write', 'fast'], group: 'keyspace', handler: renamenx, keys: [1, 2, 1] },
  { name: 'copy', arity: -3, flags: ['write', 'denyoom'], group: 'keyspace', handler: copy, keys: [1, 2, 1] },
  { name: 'move', arity: 3, flags: ['write', 'fast'], group: 'keyspace', handler: move, keys: [1, 1, 1] },
  { name: 'keys', arity: 2, flags: ['readonly'], group: 'keyspace', handler: keys },
  { name: 'scan', arity: -2, flags: ['readonly', 'touches_arbitrary_keys'], group: 'keyspace', handler: scan },
  { name: 'randomkey', arity: 1, flags: ['readonly', 'touches_arbitrary_keys'], group: 'keyspace', handler: randomkey },
  { name: 'touch', arity: -2, flags: ['readonly', 'fast'], group: 'keyspace', handler: touch, keys: [1, -1, 1] },
  {
    name: 'object',
    arity: -2,
    flags: [],
    group: 'keyspace',
    subcommands: [
      { name: 'encoding', arity: 3, flags: ['readonly'], group: 'keyspace', handler: objectEncodingCmd, keys: [2, 2, 1] },
      { name: 'refcount', arity: 3, flags: ['readonly'], group: 'keyspace', handler: objectRefcountCmd, keys: [2, 2, 1] },
      { name: 'idletime', arity: 3, flags: ['readonly'], group: 'keyspace', handler: objectIdletime, keys: [2, 2, 1] },
      { name: 'freq', arity: 3, flags: ['readonly'], group: 'keyspace', handler: objectFreq, keys: [2, 2, 1] },
      { name: 'help', arity: 2, flags: ['loading', 'stale'], group: 'keyspace', handler: objectHelp },
    ],
  },
  { name: 'expire', arity: -3, flags: ['write', 'fast'], group: 'keyspace', handler: expire, keys: [1, 1, 1] },
  { name: 'pexpire', arity: -3, flags: ['write', 'fast'], group: 'keyspace', handler: pexpire, keys: [1, 1, 1] },
  { name: 'expireat', arity: -3, flags: ['write', 'fast'], group: 'keyspace', handler: expireat, keys: [1, 1, 1] },
  { name: 'pexpireat', arity: -3, flags: ['write', 'fast'], group: 'keyspace', handler: pexpireat, keys: [1, 1, 1] },
  { name: 'ttl', arity: 2, flags: ['readonly', 'fast'], group: 'keyspace', handler: ttl, keys: [1, 1, 1] },
  { name: 'pttl', arity: 2, flags: ['readonly', 'fast'], group: 'keyspace', handler: pttl, keys: [1, 1, 1] },
  { name: 'expiretime', arity: 2, flags: ['readonly', 'fast'], group: 'keyspace', handler: expiretime, keys: [1, 1, 1] },
  { name: 'pexpiretime', arity: 2, flags: ['readonly', 'fast'], group: 'keyspace', handler: pexpiretime, keys: [1, 1, 1] },
  { name: 'persist', arity: 2, flags: ['write', 'fast'], group: 'keyspace', handler: persist, keys: [1, 1, 1] },
];
