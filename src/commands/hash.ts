// Hash commands (t_hash.c), plus the option parsing HSCAN shares with SSCAN (db.c's
// scanGenericCommand). Listpack-encoded hashes reply in insertion order, as Redis.

import { Errors } from '../protocol/errors.js';
import { parseInt64, addInt64, type Int64 } from '../util/int64.js';
import { incrByFloatText, parseLongDouble, isFiniteLongDouble } from '../util/long-double.js';
import { globMatch } from '../keyspace/glob.js';
import { parseScanCursor } from '../keyspace/scan-cursor.js';
import { HashValue, type HashLimits } from '../keyspace/types/hash.js';
import { lookupTyped, int64Arg } from './args.js';
import type { Client } from '../server/client.js';
import { notify, Notify } from '../server/keyspace-events.js';
import type { CommandSpec } from './types.js';

const LONG_MAX = 9223372036854775807n;
const HALF_LONG_MAX = LONG_MAX / 2n;

/** The listpack limits from the config, read per command (CONFIG SET applies at once). */
function hashLimits(c: Client): HashLimits {
  const config = c.server.config;
  return { maxEntries: config.num('hash-max-listpack-entries'), maxValue: config.num('hash-max-listpack-value') };
}

/** hashTypeLookupWriteOrCreate: the hash at key, created (dbAdd) when missing; null after WRONGTYPE. */
function lookupWriteOrCreate(c: Client, key: string): HashValue | null {
  const h = lookupTyped<HashValue>(c, key, 'hash', false);
  if (h === null) return null;
  if (h !== undefined) return h;
  const created = new HashValue();
  c.db.add(key, created);
  return created;
}

/** getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX) as HRANDFIELD and SRANDMEMBER parse their count. */
export function randomCountArg(c: Client, s: string): Int64 | null {
  const v = parseInt64(s);
  if (v === null) {
    c.error(Errors.notInteger);
    return null;
  }
  if (typeof v === 'bigint' && v < -LONG_MAX) {
    c.error(`ERR value is out of range, value must between ${-LONG_MAX} and ${LONG_MAX}`);
    return null;
  }
  return v;
}

/** A count's magnitude as a JS number (exact up to 2^53; beyond that no reply could be built anyway). */
export function countMagnitude(v: Int64): number {
  return typeof v === 'number' ? Math.abs(v) : Number(v < 0n ? -v : v);
}

export interface ScanOptions {
  count: number;
  /** null when there is no pattern or it is exactly "*". */
  pattern: string | null;
}

/**
 * The COUNT / MATCH options of HSCAN, SSCAN and ZSCAN from argv[3] on (TYPE is SCAN's
 * alone, so it is a syntax error here). Null after replying an error.
 */
export function parseScanOptions(c: Client, argv: string[]): ScanOptions | null {
  let count = 10;
  let pattern: string | null = null;
  for (let i = 3; i < argv.length; i += 2) {
    const opt = argv[i].toLowerCase();
    const more = argv.length - i >= 2;
    if (opt === 'count' && more) {
      const v = parseInt64(argv[i + 1]);
      if (v === null) {
        c.error(Errors.notInteger);
        return null;
      }
      if (v < 1) {
        c.error(Errors.syntax);
        return null;
      }
      count = typeof v === 'number' ? v : Number.MAX_SAFE_INTEGER;
    } else if (opt === 'match' && more) {
      const p = argv[i + 1];
      pattern = p === '*' ? null : p;
    } else {
      c.error(Errors.syntax);
      return null;
    }
  }
  return { count, pattern };
}

/** The empty reply of a *SCAN on a missing key (shared.emptyscan). */
export function replyEmptyScan(c: Client): void {
  c.arrayLen(2);
  c.bulk('0');
  c.arrayLen(0);
}

/** HSET key field value [field value ...] and HMSET (same code, different reply). */
function hset(c: Client, argv: string[]): void {
  const argc = argv.length;
  if (argc % 2 === 1) {
    c.error(Errors.wrongArgs(argv[0].toLowerCase() === 'hmset' ? 'hmset' : 'hset'));
    return;
  }
  const key = argv[1];
  const h = lookupWriteOrCreate(c, key);
  if (h === null) return;
  const limits = hashLimits(c);
  let created = 0;
  for (let i = 2; i < argc; i += 2) if (h.set(argv[i], argv[i + 1], limits)) created++;
  // HSET and HMSET differ only in the second letter of their names.
  const second = argv[0].charCodeAt(1) | 0x20;
  if (second === 115 /* s */) c.int(created);
  else c.ok();
  c.db.touch(key);
  // Even when every field already held its value.
  notify(c, Notify.hash, 'hset', key);
  c.server.dirty += (argc - 2) / 2;
}

/** HSETNX key field value */
function hsetnx(c: Client, argv: string[]): void {
  const key = argv[1];
  const h = lookupWriteOrCreate(c, key);
  if (h === null) return;
  if (h.fields.has(argv[2])) {
    c.int(0);
    return;
  }
  h.set(argv[2], argv[3], hashLimits(c));
  c.int(1);
  c.db.touch(key);
  notify(c, Notify.hash, 'hset', key);
  c.server.dirty++;
}

/** HGET key field */
function hget(c: Client, argv: string[]): void {
  const h = lookupTyped<HashValue>(c, argv[1], 'hash', true);
  if (h === null) return;
  const v = h === undefined ? undefined : h.fields.get(argv[2]);
  if (v === undefined) c.nullBulk();
  else c.bulk(v);
}

/** HMGET key field [field ...] */
function hmget(c: Client, argv: string[]): void {
  const h = lookupTyped<HashValue>(c, argv[1], 'hash', true);
  if (h === null) return;
  c.arrayLen(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const v = h === undefined ? undefined : h.fields.get(argv[i]);
    if (v === undefined) c.nullBulk();
    else c.bulk(v);
  }
}

/** HDEL key field [field ...] */
function hdel(c: Client, argv: string[]): void {
  const key = argv[1];
  const h = lookupTyped<HashValue>(c, key, 'hash', false);
  if (h === null) return;
  if (h === undefined) {
    c.int(0);
    return;
  }
  let deleted = 0;
  let keyRemoved = false;
  for (let i = 2; i < argv.length; i++) {
    if (h.delete(argv[i])) {
      deleted++;
      if (h.size === 0) {
        c.db.delete(key);
        keyRemoved = true;
        break;
      }
    }
  }
  if (deleted > 0) {
    c.db.touch(key);
    notify(c, Notify.hash, 'hdel', key);
    if (keyRemoved) notify(c, Notify.generic, 'del', key);
    c.server.dirty += deleted;
  }
  c.int(deleted);
}

/** HLEN key */
function hlen(c: Client, argv: string[]): void {
  const h = lookupTyped<HashValue>(c, argv[1], 'hash', true);
  if (h === null) return;
  c.int(h === undefined ? 0 : h.size);
}

/** HSTRLEN key field */
function hstrlen(c: Client, argv: string[]): void {
  const h = lookupTyped<HashValue>(c, argv[1], 'hash', true);
  if (h === null) return;
  const v = h === undefined ? undefined : h.fields.get(argv[2]);
  c.int(v === undefined ? 0 : v.length);
}

/** HEXISTS key field */
function hexists(c: Client, argv: string[]): void {
  const h = lookupTyped<HashValue>(c, argv[1], 'hash', true);
  if (h === null) return;
  c.int(h !== undefined && h.fields.has(argv[2]) ? 1 : 0);
}

const KEYS = 1;
const VALUES = 2;

/** genericHgetallCommand: HKEYS, HVALS, HGETALL (a map in RESP3). */
function replyAll(c: Client, key: string, what: number): void {
  const h = lookupTyped<HashValue>(c, key, 'hash', true);
  if (h === null) return;
  const both = what === (KEYS | VALUES);
  if (h === undefined) {
    if (both) c.mapLen(0);
    else c.arrayLen(0);
    return;
  }
  if (both) {
    c.mapLen(h.size);
    for (const [f, v] of h.fields) {
      c.bulk(f);
      c.bulk(v);
    }
  } else {
    c.arrayLen(h.size);
    if (what === KEYS) for (const f of h.fields.keys()) c.bulk(f);
    else for (const v of h.fields.values()) c.bulk(v);
  }
}

/** HKEYS key */
function hkeys(c: Client, argv: string[]): void {
  replyAll(c, argv[1], KEYS);
}

/** HVALS key */
function hvals(c: Client, argv: string[]): void {
  replyAll(c, argv[1], VALUES);
}

/** HGETALL key */
function hgetall(c: Client, argv: string[]): void {
  replyAll(c, argv[1], KEYS | VALUES);
}

/** HINCRBY key field increment */
function hincrby(c: Client, argv: string[]): void {
  const incr = int64Arg(c, argv[3]);
  if (incr === null) return;
  const key = argv[1];
  const h = lookupWriteOrCreate(c, key);
  if (h === null) return;
  const cur = h.fields.get(argv[2]);
  let value: Int64 = 0;
  if (cur !== undefined) {
    const v = parseInt64(cur);
    if (v === null) {
      c.error(Errors.hashValueIsNotAnInteger);
      return;
    }
    value = v;
  }
  const sum = addInt64(value, incr);
  if (sum === null) {
    c.error(Errors.overflow);
    return;
  }
  h.set(argv[2], typeof sum === 'number' ? String(sum) : sum.toString(), hashLimits(c));
  c.int(sum);
  c.db.touch(key);
  notify(c, Notify.hash, 'hincrby', key);
  c.server.dirty++;
}

/** HINCRBYFLOAT key field increment */
function hincrbyfloat(c: Client, argv: string[]): void {
  const incr = parseLongDouble(argv[3]);
  if (incr === null) {
    c.error(Errors.notFloat);
    return;
  }
  if (!isFiniteLongDouble(incr)) {
    c.error(Errors.valueIsNanOrInfinity);
    return;
  }
  const key = argv[1];
  const field = argv[2];
  const h = lookupWriteOrCreate(c, key);
  if (h === null) return;
  const cur = h.fields.get(field);
  const r = incrByFloatText(cur === undefined ? null : cur, argv[3]);
  if (!r.ok) {
    // The increment parsed above, so 'value' is the only parse failure left.
    c.error(r.error === 'naninf' ? 'ERR increment would produce NaN or Infinity' : 'ERR hash value is not a float');
    return;
  }
  h.set(field, r.text, hashLimits(c));
  c.bulk(r.text);
  c.db.touch(key);
  notify(c, Notify.hash, 'hincrbyfloat', key);
  c.server.dirty++;
  // Replicas and the AOF get the result, never the float arithmetic.
  c.server.propagateAs = [['HSET', key, field, r.text]];
}

/** HSCAN key cursor [MATCH pattern] [COUNT count] */
function hscan(c: Client, argv: string[]): void {
  const cursor = parseScanCursor(argv[2]);
  if (cursor === null) {
    c.error(Errors.invalidCursor);
    return;
  }
  const h = lookupTyped<HashValue>(c, argv[1], 'hash', true);
  if (h === null) return;
  if (h === undefined) {
    replyEmptyScan(c);
    return;
  }
  const opts = parseScanOptions(c, argv);
  if (opts === null) return;
  let next = 0;
  let fields: readonly string[];
  if (h.isListpack) {
    // A listpack is small: all of it in one call, cursor 0, as Redis does.
    fields = Array.from(h.fields.keys());
  } else {
    const out: string[] = [];
    next = c.server.scanCursors.step(cursor, h.fields, opts.count, out);
    fields = out;
  }
  const pattern = opts.pattern;
  let n = fields.length;
  let matched: string[] | null = null;
  if (pattern !== null) {
    matched = [];
    for (let i = 0; i < fields.length; i++) if (globMatch(pattern, fields[i])) matched.push(fields[i]);
    fields = matched;
    n = matched.length;
  }
  c.arrayLen(2);
  c.bulk(String(next));
  c.arrayLen(n * 2);
  for (let i = 0; i < n; i++) {
    const f = fields[i];
    c.bulk(f);
    c.bulk(h.fields.get(f) as string);
  }
}

/** One field (and its value) of an HRANDFIELD reply: a pair in RESP3 WITHVALUES. */
function replyField(c: Client, h: HashValue, f: string, withValues: boolean): void {
  if (withValues) {
    c.pairLen();
    c.bulk(f);
    c.bulk(h.fields.get(f) as string);
  } else {
    c.bulk(f);
  }
}

/** hrandfieldWithCountCommand */
function hrandfieldWithCount(c: Client, key: string, l: Int64, withValues: boolean): void {
  const h = lookupTyped<HashValue>(c, key, 'hash', true);
  if (h === null) return;
  if (h === undefined) {
    c.arrayLen(0);
    return;
  }
  const size = h.size;
  const uniq = l >= 0;
  let count = countMagnitude(l);
  if (count === 0) {
    c.arrayLen(0);
    return;
  }
  const flat = withValues && c.resp === 2;
  // Negative count: independent picks, repeats allowed, random order.
  if (!uniq || count === 1) {
    c.arrayLen(flat ? count * 2 : count);
    const keys = h.fieldArray();
    const n = keys.length;
    while (count-- > 0) replyField(c, h, keys[Math.floor(Math.random() * n)], withValues);
    return;
  }
  const replySize = count < size ? count : size;
  c.arrayLen(flat ? replySize * 2 : replySize);
  if (count >= size) {
    for (const f of h.fields.keys()) replyField(c, h, f, withValues);
    return;
  }
  const keys = h.fieldArray();
  if (count * 3 > size) {
    // Close to the whole hash: shuffle the first `count` places of a copy.
    const a = keys.slice();
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(Math.random() * (size - i));
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
      replyField(c, h, a[i], withValues);
    }
    return;
  }
  // Much bigger than the count: random picks until `count` distinct ones.
  const seen = new Set<string>();
  while (seen.size < count) {
    const f = keys[Math.floor(Math.random() * size)];
    if (seen.has(f)) continue;
    seen.add(f);
    replyField(c, h, f, withValues);
  }
}

/** HRANDFIELD key [count [WITHVALUES]] */
function hrandfield(c: Client, argv: string[]): void {
  const argc = argv.length;
  if (argc >= 3) {
    const l = randomCountArg(c, argv[2]);
    if (l === null) return;
    if (argc > 4 || (argc === 4 && argv[3].toLowerCase() !== 'withvalues')) {
      c.error(Errors.syntax);
      return;
    }
    const withValues = argc === 4;
    // RESP2 replies 2 * count elements: the count must leave room for that.
    if (withValues && (l < -HALF_LONG_MAX || l > HALF_LONG_MAX)) {
      c.error(Errors.valueIsOutOfRange);
      return;
    }
    hrandfieldWithCount(c, argv[1], l, withValues);
    return;
  }
  const h = lookupTyped<HashValue>(c, argv[1], 'hash', true);
  if (h === null) return;
  if (h === undefined) c.nullBulk();
  else c.bulk(h.randomField());
}

const KEY1 = [1, 1, 1] as const;

export const hashCommands: CommandSpec[] = [
  { name: 'hset', arity: -4, flags: ['write', 'denyoom', 'fast'], group: 'hash', handler: hset, keys: KEY1 },
  { name: 'hsetnx', arity: 4, flags: ['write', 'denyoom', 'fast'], group: 'hash', handler: hsetnx, keys: KEY1 },
  { name: 'hget', arity: 3, flags: ['readonly', 'fast'], group: 'hash', handler: hget, keys: KEY1 },
  { name: 'hmset', arity: -4, flags: ['write', 'denyoom', 'fast'], group: 'hash', handler: hset, keys: KEY1 },
  { name: 'hmget', arity: -3, flags: ['readonly', 'fast'], group: 'hash', handler: hmget, keys: KEY1 },
  { name: 'hincrby', arity: 4, flags: ['write', 'denyoom', 'fast'], group: 'hash', handler: hincrby, keys: KEY1 },
  { name: 'hincrbyfloat', arity: 4, flags: ['write', 'denyoom', 'fast'], group: 'hash', handler: hincrbyfloat, keys: KEY1 },
  { name: 'hdel', arity: -3, flags: ['write', 'fast'], group: 'hash', handler: hdel, keys: KEY1 },
  { name: 'hlen', arity: 2, flags: ['readonly', 'fast'], group: 'hash', handler: hlen, keys: KEY1 },
  { name: 'hstrlen', arity: 3, flags: ['readonly', 'fast'], group: 'hash', handler: hstrlen, keys: KEY1 },
  { name: 'hkeys', arity: 2, flags: ['readonly'], group: 'hash', handler: hkeys, keys: KEY1 },
  { name: 'hvals', arity: 2, flags: ['readonly'], group: 'hash', handler: hvals, keys: KEY1 },
  { name: 'hgetall', arity: 2, flags: ['readonly'], group: 'hash', handler: hgetall, keys: KEY1 },
  { name: 'hexists', arity: 3, flags: ['readonly', 'fast'], group: 'hash', handler: hexists, keys: KEY1 },
  { name: 'hrandfield', arity: -2, flags: ['readonly'], group: 'hash', handler: hrandfield, keys: KEY1 },
  { name: 'hscan', arity: -3, flags: ['readonly'], group: 'hash', handler: hscan, keys: KEY1 },
];
