// DEBUG (debug.c's debugCommand): the subcommands tests and tools rely on —
// DIGEST / DIGEST-VALUE (same digests as redis-server), OBJECT, SLEEP,
// SET-ACTIVE-EXPIRE, POPULATE, PROTOCOL, ERROR, LOG, CHANGE-REPL-ID, HELP.
// Subcommands that crash, reload or inspect C allocator internals are refused
// with an error naming them. DEBUG is 'protected': dispatch refuses it unless
// enable-debug-command allows.

import { sleepSync } from '../util/sleep.js';
import { parseMemory } from '../config/types.js';
import { DEFAULT_PACKED_THRESHOLD } from '../persistence/rdb/writer.js';
import { configRewriteForceAll } from './config-cmd.js';
import { REPLY_PEAK_RESET_MS } from '../server/cron.js';
import { sharesIntegers } from '../server/evict.js';
import { readFileSync } from 'node:fs';
import { replyHelp, subcommandSyntaxError } from './args.js';
import { createHash } from 'node:crypto';
import { Errors } from '../protocol/errors.js';
import { parseInt64 } from '../util/int64.js';
import { datasetDigest, DigestUnsupportedError, emptyDigest, xorValueDigest } from '../keyspace/digest.js';
import { lruClock } from '../server/info.js';
import { objectEncoding, objectRefcount } from '../keyspace/encoding.js';
import type { Client } from '../server/client.js';
import type { Value } from '../keyspace/database.js';
import type { CommandSpec } from './types.js';

const DEBUG_HELP = [
  'DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'AOF-FLUSH-SLEEP <microsec>',
  '    Server will sleep before flushing the AOF, this is used for testing.',
  'ASSERT',
  '    Crash by assertion failed.',
  'CHANGE-REPL-ID',
  '    Change the replication IDs of the instance.',
  '    Dangerous: should be used only for testing the replication subsystem.',
  'CONFIG-REWRITE-FORCE-ALL',
  '    Like CONFIG REWRITE but writes all configuration options, including',
  '    keywords not listed in original configuration file or default values.',
  'CRASH-AND-RECOVER [<milliseconds>]',
  '    Hard crash and restart after a <milliseconds> delay (default 0).',
  'DIGEST',
  '    Output a hex signature representing the current DB content.',
  'DIGEST-VALUE <key> [<key> ...]',
  '    Output a hex signature of the values of all the specified keys.',
  'ERROR <string>',
  '    Return a Redis protocol error with <string> as message. Useful for clients',
  '    unit tests to simulate Redis errors.',
  'LEAK <string>',
  '    Create a memory leak of the input string.',
  'LOG <message>',
  '    Write <message> to the server log.',
  'HTSTATS <dbid>',
  '    Return hash table statistics of the specified Redis database.',
  'HTSTATS-KEY <key>',
  '    Like HTSTATS but for the hash table stored at <key>\'s value.',
  'LOADAOF',
  '    Flush the AOF buffers on disk and reload the AOF in memory.',
  'REPLICATE <string>',
  '    Replicates the provided string to replicas, allowing data divergence.',
  'MALLCTL <key> [<val>]',
  '    Get or set a malloc tuning integer.',
  'MALLCTL-STR <key> [<val>]',
  '    Get or set a malloc tuning string.',
  'OBJECT <key>',
  '    Show low level info about `key` and associated value.',
  'DROP-CLUSTER-PACKET-FILTER <packet-type>',
  '    Drop all packets that match the filtered type. Set to -1 allow all packets.',
  'OOM',
  '    Crash the server simulating an out-of-memory error.',
  'PANIC',
  '    Crash the server simulating a panic.',
  'POPULATE <count> [<prefix>] [<size>]',
  '    Create <count> string keys named key:<num>. If <prefix> is specified then',
  '    it is used instead of the \'key\' prefix. These are not propagated to',
  '    replicas. Cluster slots are not respected so keys not belonging to the',
  '    current node can be created in cluster mode.',
  'PROTOCOL <type>',
  '    Reply with a test value of the specified type. <type> can be: string,',
  '    integer, double, bignum, null, array, set, map, attrib, push, verbatim,',
  '    true, false.',
  'RELOAD [option ...]',
  '    Save the RDB on disk and reload it back to memory. Valid <option> values:',
  '    * MERGE: conflicting keys will be loaded from RDB.',
  '    * NOFLUSH: the existing database will not be removed before load, but',
  '      conflicting keys will generate an exception and kill the server.',
  '    * NOSAVE: the database will be loaded from an existing RDB file.',
  '    Examples:',
  '    * DEBUG RELOAD: verify that the server is able to persist, flush and reload',
  '      the database.',
  '    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an',
  '      existing RDB file.',
  '    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB',
  '      file to the database.',
  'RESTART [<milliseconds>]',
  '    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).',
  'SDSLEN <key>',
  '    Show low level SDS string info representing `key` and value.',
  'SEGFAULT',
  '    Crash the server with sigsegv.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
  '    default.',
  'QUICKLIST-PACKED-THRESHOLD <size>',
  '    Sets the threshold for elements to be inserted as plain vs packed nodes',
  '    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.',
  'SET-SKIP-CHECKSUM-VALIDATION <0|1>',
  '    Enables or disables checksum checks for RDB files and RESTORE\'s payload.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
  'STRINGMATCH-TEST',
  '    Run a fuzz tester against the stringmatchlen() function.',
  'STRUCTSIZE',
  '    Return the size of different Redis core C structures.',
  'LISTPACK <key>',
  '    Show low level info about the listpack encoding of <key>.',
  'QUICKLIST <key> [<0|1>]',
  '    Show low level info about the quicklist encoding of <key>.',
  '    The optional argument (0 by default) sets the level of detail',
  'CLIENT-EVICTION',
  '    Show low level client eviction pools info (maxmemory-clients).',
  'PAUSE-CRON <0|1>',
  '    Stop periodic cron job processing.',
  'REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>',
  '    Sets the time (in milliseconds) to wait between client reply buffer peak resets.',
  '    In case NEVER is provided the last observed peak will never be reset',
  '    In case RESET is provided the peak reset time will be restored to the default value',
  'REPLYBUFFER RESIZING <0|1>',
  '    Enable or disable the reply buffer resize cron job',
  'CLUSTERLINK KILL <to|from|all> <node-id>',
  '    Kills the link based on the direction to/from (both) with the provided node.',
  'HELP',
  '    Prints this help.',
];

/** Real DEBUG subcommands redis-ts deliberately does not offer (they crash, reload, or expose C internals). */
const NOT_OFFERED = new Set([
  'segfault',
  'panic',
  'restart',
  'crash-and-recover',
  'oom',
  'assert',
  'leak',
  'drop-cluster-packet-filter',
  'sdslen',
  'ziplist',
  'listpack',
  'quicklist',
  'set-skip-checksum-validation',
  'structsize',
  'htstats',
  'htstats-key',
  'stringmatch-test',
  'client-eviction',
  'mallctl',
  'mallctl-str',
  'clusterlink',
  'jmap',
]);

/** string2l: the string is the canonical decimal form of a 64-bit integer. */
function canonicalInteger(s: string): bigint | null {
  if (s.length === 0 || s.length > 20) return null;
  const v = parseInt64(s);
  return v === null ? null : BigInt(v);
}

/** Bytes of an RDB length prefix (rdbSaveLen). */
function rdbLenBytes(n: number): number {
  if (n < 1 << 6) return 1;
  if (n < 1 << 14) return 2;
  if (n <= 0xffffffff) return 5;
  return 9;
}

/** Bytes of an integer saved in RDB's integer encodings (rdbEncodeInteger), or 0 if it needs a string. */
function rdbIntBytes(v: bigint): number {
  if (v >= -128n && v <= 127n) return 2;
  if (v >= -32768n && v <= 32767n) return 3;
  if (v >= -2147483648n && v <= 2147483647n) return 5;
  return 0;
}

/**
 * rdbSavedObjectLen for a string. LZF compression (strings over 20 bytes with
 * rdbcompression yes) is not applied here: such strings report their uncompressed size.
 */
function stringSerializedLength(s: string): number {
  const asInt = s.length <= 20 ? canonicalInteger(s) : null;
  if (asInt !== null) {
    const n = rdbIntBytes(asInt);
    if (n > 0) return n;
  }
  return rdbLenBytes(s.length) + s.length;
}

/** A stable, plausible object address for DEBUG OBJECT's "Value at:". */
function fakeAddress(dbId: number, key: string): string {
  const h = createHash('sha1').update(`${dbId}\0`).update(key, 'latin1').digest();
  return '0x7f' + h.toString('hex', 0, 5);
}

/** DEBUG OBJECT key */
function debugObject(c: Client, key: string): void {
  // Like Redis, a logically expired key that is still stored is shown.
  const v: Value | undefined = c.db.dict.get(key);
  if (v === undefined) {
    c.error(Errors.noKey);
    return;
  }
  const encoding = typeof v === 'string' && c.db.rawStrings.has(key) ? 'raw' : objectEncoding(v, c.server.config);
  const refcount = objectRefcount(v, sharesIntegers(c.server));
  // Collection types may report their RDB size; strings are computed here.
  const own = (v as { serializedLength?: unknown }).serializedLength;
  const serialized = typeof v === 'string' ? stringSerializedLength(v) : typeof own === 'number' ? own : 0;
  const now = Date.now();
  const idle = c.server.hooks.access.idleSeconds(c.db, key, now);
  c.status(
    `Value at:${fakeAddress(c.db.id, key)} refcount:${refcount} encoding:${encoding} serializedlength:${serialized} ` +
      `lru:${(lruClock(now) - idle) & 0xffffff} lru_seconds_idle:${idle}`,
  );
}

function hex(d: Buffer): string {
  return d.toString('hex');
}

/** DEBUG DIGEST */
function debugDigest(c: Client): void {
  try {
    c.status(hex(datasetDigest(c.server.dbs)));
  } catch (e) {
    if (e instanceof DigestUnsupportedError) c.error('ERR ' + e.message);
    else throw e;
  }
}

/** DEBUG DIGEST-VALUE key [key ...] */
function debugDigestValue(c: Client, argv: string[]): void {
  const out: string[] = [];
  for (let j = 2; j < argv.length; j++) {
    const d = emptyDigest();
    // Logically expired keys still count: a debug command sees what is stored.
    const v = c.db.dict.get(argv[j]);
    if (v !== undefined) {
      try {
        xorValueDigest(c.db, argv[j], d, v);
      } catch (e) {
        if (e instanceof DigestUnsupportedError) {
          c.error('ERR ' + e.message);
          return;
        }
        throw e;
      }
    }
    out.push(hex(d));
  }
  c.arrayLen(out.length);
  for (const s of out) c.status(s);
}

/** DEBUG POPULATE count [prefix] [size]: string keys prefix:N = "value:N", not propagated. Bad numbers all answer "must be positive", as getPositiveLongFromObjectOrReply does. */
function debugPopulate(c: Client, argv: string[]): void {
  const count = parseInt64(argv[2]);
  if (count === null || count < 0) {
    c.error(Errors.notPositive('value'));
    return;
  }
  let size = 0;
  if (argv.length === 5) {
    const s = parseInt64(argv[4]);
    if (s === null || s < 0) {
      c.error(Errors.notPositive('value'));
      return;
    }
    size = Number(s);
  }
  const prefix = argv.length >= 4 ? argv[3] : 'key';
  const n = Number(count);
  const db = c.db;
  for (let j = 0; j < n; j++) {
    const key = `${prefix}:${j}`;
    if (db.get(key) !== undefined) continue;
    let val = `value:${j}`;
    if (size > 0) val = size <= val.length ? val.slice(0, size) : val + '\0'.repeat(size - val.length);
    db.add(key, val);
  }
  c.ok();
}

/** DEBUG PROTOCOL type: a sample reply of each RESP type. */
function debugProtocol(c: Client, name: string): void {
  switch (name.toLowerCase()) {
    case 'string':
      c.bulk('Hello World');
      break;
    case 'integer':
      c.int(12345);
      break;
    case 'double':
      c.double(3.141);
      break;
    case 'bignum':
      if (c.resp === 2) c.bulk('1234567999999999999999999999999999999');
      else c.raw('(1234567999999999999999999999999999999\r\n');
      break;
    case 'null':
      c.nullBulk();
      break;
    case 'array':
      c.arrayLen(3);
      for (let j = 0; j < 3; j++) c.int(j);
      break;
    case 'set':
      c.setLen(3);
      for (let j = 0; j < 3; j++) c.int(j);
      break;
    case 'map':
      c.mapLen(3);
      for (let j = 0; j < 3; j++) {
        c.int(j);
        c.bool(j === 1);
      }
      break;
    case 'attrib':
      if (c.resp === 3) {
        c.raw('|1\r\n');
        c.bulk('key-popularity');
        c.arrayLen(2);
        c.bulk('key:123');
        c.int(90);
      }
      c.bulk('Some real reply following the attribute');
      break;
    case 'push':
      if (c.resp < 3) {
        c.error(Errors.resp2IsNotSupportedByThisCommand);
        return;
      }
      c.pushLen(2);
      c.bulk('server-cpu-usage');
      c.int(42);
      c.bulk('Some real reply following the push reply');
      break;
    case 'true':
      c.bool(true);
      break;
    case 'false':
      c.bool(false);
      break;
    case 'verbatim':
      c.verbatim('This is a verbatim\nstring');
      break;
    default:
      c.error(
        'ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false',
      );
  }
}

/** DEBUG REPLYBUFFER PEAK-RESET-TIME <never|reset|ms> | RESIZING <0|1> */
function debugReplyBuffer(c: Client, argv: string[]): void {
  const cron = c.server.cron;
  const what = argv[2].toLowerCase();
  const arg = argv[3].toLowerCase();
  if (what === 'peak-reset-time') {
    if (arg === 'never') cron.replyPeakResetMs = -1;
    else if (arg === 'reset') cron.replyPeakResetMs = REPLY_PEAK_RESET_MS;
    else {
      const ms = parseInt64(arg);
      if (ms === null) {
        c.error(Errors.notInteger);
        return;
      }
      cron.replyPeakResetMs = Number(ms);
    }
  } else if (what === 'resizing') {
    cron.replyBufferResizing = (parseInt(arg, 10) || 0) !== 0;
  } else {
    subcommandSyntaxError(c, argv);
    return;
  }
  c.ok();
}

/** DEBUG subcommand [arg ...] */
function debug(c: Client, argv: string[]): void {
  const sub = argv[1].toLowerCase();
  const n = argv.length;
  if (sub === 'help' && n === 2) {
    replyHelp(c, DEBUG_HELP);
  } else if (sub === 'object' && n === 3) {
    debugObject(c, argv[2]);
  } else if (sub === 'digest' && n === 2) {
    debugDigest(c);
  } else if (sub === 'digest-value') {
    debugDigestValue(c, argv);
  } else if (sub === 'sleep' && n === 3) {
    // strtod: a leading number, anything unparsable sleeps 0.
    const secs = parseFloat(argv[2]);
    sleepSync(Number.isFinite(secs) ? Math.floor(secs * 1e6) / 1000 : 0);
    c.ok();
  } else if (sub === 'replicate' && n >= 3) {
    // Feeds a command to the replicas as if it had run here (tests of divergence).
    c.server.replication.propagate(-1, argv.slice(2));
    c.server.replication.flushPending();
    c.ok();
  } else if (sub === 'set-disable-deny-scripts' && n === 3) {
    // Lets scripts run noscript commands (tests only).
    c.server.scripting.allowNoscriptCommands = (parseInt(argv[2], 10) || 0) !== 0;
    c.ok();
  } else if (sub === 'set-active-expire' && n === 3) {
    // atoi: non-numeric text counts as 0.
    c.server.cron.activeExpireEnabled = (parseInt(argv[2], 10) || 0) !== 0;
    c.ok();
  } else if (sub === 'populate' && n >= 3 && n <= 5) {
    debugPopulate(c, argv);
  } else if (sub === 'protocol' && n === 3) {
    debugProtocol(c, argv[2]);
  } else if (sub === 'log' && n === 3) {
    c.server.log.warning(`DEBUG LOG: ${argv[2]}`);
    c.ok();
  } else if (sub === 'error' && n === 3) {
    c.raw('-' + argv[2].replace(/[\r\n]/g, ' ') + '\r\n');
  } else if (sub === 'change-repl-id' && n === 2) {
    c.server.log.warning('Changing replication IDs after receiving DEBUG change-repl-id');
    c.server.replication.newHistory();
    c.ok();
  } else if (sub === 'reload') {
    debugReload(c, argv);
  } else if (sub === 'loadaof' && n === 2) {
    debugLoadAof(c);
  } else if (sub === 'aof-flush-sleep' && n === 3) {
    // Microseconds slept before each AOF write (a test knob for the write-before-reply order).
    c.server.aof.flushSleepUs = Math.max(0, Number.parseInt(argv[2], 10) || 0);
    c.ok();
  } else if (sub === 'config-rewrite-force-all' && n === 2) {
    configRewriteForceAll(c);
  } else if (sub === 'quicklist-packed-threshold' && n === 3) {
    // quicklistisSetPackedThreshold: up to 4 GB less 1 MB; 0 restores the default.
    const sz = parseMemory(argv[2]);
    if (sz === null || sz > 4294967296 - 1048576) {
      c.error('ERR argument must be a memory value bigger than 1 and smaller than 4gb');
    } else {
      c.server.listPackedThreshold = sz === 0 ? DEFAULT_PACKED_THRESHOLD : sz;
      c.ok();
    }
  } else if (sub === 'pause-cron' && n === 3) {
    c.server.cron.paused = (parseInt(argv[2], 10) || 0) !== 0;
    c.ok();
  } else if (sub === 'replybuffer' && n === 4) {
    debugReplyBuffer(c, argv);
  } else if (NOT_OFFERED.has(sub)) {
    c.error(`ERR DEBUG ${sub.toUpperCase()} is not supported by redis-ts`);
  } else {
    subcommandSyntaxError(c, argv);
  }
}

/** DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save, empty, and load the dump back. */
function debugReload(c: Client, argv: string[]): void {
  let flush = true;
  let save = true;
  let merge = false;
  for (let j = 2; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    if (opt === 'merge') merge = true;
    else if (opt === 'noflush') flush = false;
    else if (opt === 'nosave') save = false;
    else {
      c.error(Errors.debugReloadOnlySupportsTheMergeNoflush);
      return;
    }
  }
  const s = c.server;
  const p = s.persistence;
  if (save) {
    try {
      p.saveSync();
    } catch {
      c.error(Errors.err);
      return;
    }
  }
  try {
    const buf = readFileSync(p.path);
    p.loadInto(buf, s.dbs, !s.replication.isReplica, (m) => s.log.notice(m), flush ? 'replace' : merge ? 'merge' : 'no-duplicates');
  } catch (e) {
    s.log.warning(`Error trying to load the RDB dump: ${(e as Error).message}`);
    c.error(Errors.errorTryingToLoadTheRdbDump);
    return;
  }
  s.log.warning('DB reloaded by DEBUG RELOAD');
  c.ok();
}

/** DEBUG LOADAOF: the dataset is emptied and read back from the AOF, as at start-up. */
function debugLoadAof(c: Client): void {
  const s = c.server;
  const aof = s.aof;
  if (aof.state === 'on') aof.flush(true);
  for (const db of s.dbs) db.clear();
  const status = aof.reload();
  if (status !== 'ok' && status !== 'empty' && status !== 'not_exist') {
    // Redis exits here; the data it had is in the files, which are left as they were.
    s.log.warning('Append Only File could not be loaded by DEBUG LOADAOF. Exiting.');
    s.exitNow(1);
    return;
  }
  s.dirty = 0;
  s.log.warning('Append Only File loaded by DEBUG LOADAOF');
  c.ok();
}

export const debugCommands: CommandSpec[] = [
  { name: 'debug', arity: -2, flags: ['admin', 'noscript', 'loading', 'stale', 'protected'], group: 'server', handler: debug },
];
