// MEMORY USAGE STATS DOCTOR MALLOC-STATS PURGE HELP (object.c). USAGE estimates what
// Redis's objectComputeSize would: jemalloc size classes of the key, the object and
// its parts, sampling at most SAMPLES elements of a collection (0: all of them).

import { objectEncoding } from '../keyspace/encoding.js';
import type { Value } from '../keyspace/database.js';
import { Errors } from '../protocol/errors.js';
import type { Client } from '../server/client.js';
import { usedMemory } from '../server/memory.js';
import { replyHelp } from './args.js';
import type { CommandSpec } from './types.js';

const ROBJ = 16;
const DICT_ENTRY = 24;
const DICT_BUCKET = 8;

/** The jemalloc size class an allocation of n bytes takes. */
function allocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  // Four classes per doubling above 128.
  const lg = Math.floor(Math.log2(n - 1));
  const step = 2 ** (lg - 2);
  return Math.ceil(n / step) * step;
}

/** An sds string's allocation: header by length, the bytes, the NUL. */
function sdsSize(len: number): number {
  const header = len < 32 ? 1 : len < 256 ? 3 : len < 65536 ? 5 : 9;
  return allocSize(header + len + 1);
}

function stringObjectSize(s: string): number {
  const enc = objectEncoding(s, undefined as never);
  if (enc === 'int') return ROBJ;
  if (enc === 'embstr') return allocSize(ROBJ + 3 + s.length + 1);
  return ROBJ + sdsSize(s.length);
}

/** A listpack of these entries: header, per-entry encoding and back-length, terminator. */
function listpackSize(lengths: number, count: number): number {
  return allocSize(6 + lengths + count * 2 + 1);
}

/** Average of f over at most `samples` items (all when 0), times the count. */
function sampled<T>(items: Iterable<T>, count: number, samples: number, f: (item: T) => number): number {
  let n = 0;
  let total = 0;
  for (const it of items) {
    total += f(it);
    if (++n === samples) break;
  }
  return n === 0 ? 0 : (total / n) * count;
}

function valueSize(v: Value, samples: number, c: Client): number {
  if (typeof v === 'string') return stringObjectSize(v);
  const enc = objectEncoding(v, c.server.config);
  const table = (n: number) => allocSize(DICT_BUCKET * Math.max(4, 2 ** Math.ceil(Math.log2(Math.max(1, n)))));
  switch (v.type) {
    case 'hash': {
      const h = v as unknown as { fields: Map<string, string> };
      const n = h.fields.size;
      if (enc === 'listpack') return ROBJ + listpackSize(sampled(h.fields, n, samples, ([f, x]) => f.length + x.length), n * 2);
      return ROBJ + table(n) + sampled(h.fields, n, samples, ([f, x]) => DICT_ENTRY + sdsSize(f.length) + sdsSize(x.length));
    }
    case 'set': {
      const s = v as unknown as { scanSource(): Map<string, number>; size: number };
      const n = s.size;
      if (enc === 'intset') return ROBJ + allocSize(8 + n * 8);
      if (enc === 'listpack') return ROBJ + listpackSize(sampled(s.scanSource().keys(), n, samples, (m) => m.length), n);
      return ROBJ + table(n) + sampled(s.scanSource().keys(), n, samples, (m) => DICT_ENTRY + sdsSize(m.length));
    }
    case 'zset': {
      const z = v as unknown as { scores: Map<string, number> };
      const n = z.scores.size;
      if (enc === 'listpack') return ROBJ + listpackSize(sampled(z.scores.keys(), n, samples, (m) => m.length + 8), n * 2);
      // Skiplist node (score, backward, one level on average) plus the dict entry.
      return ROBJ + table(n) + sampled(z.scores.keys(), n, samples, (m) => DICT_ENTRY + allocSize(32 + 16) + sdsSize(m.length));
    }
    case 'list': {
      const l = v as unknown as { length: number; values(): IterableIterator<string> };
      const n = l.length;
      return ROBJ + 48 + listpackSize(sampled(l.values(), n, samples, (e) => e.length), n);
    }
    default:
      // Streams: a rough per-entry figure; Redis walks its radix tree.
      return ROBJ + 1024;
  }
}

/** MEMORY USAGE key [SAMPLES count] */
function memoryUsage(c: Client, argv: string[]): void {
  let samples = 5;
  for (let i = 3; i < argv.length; i++) {
    if (argv[i].toLowerCase() === 'samples' && i + 1 < argv.length) {
      const n = /^-?\d+$/.test(argv[i + 1]) ? Number(argv[i + 1]) : NaN;
      if (!Number.isSafeInteger(n)) {
        c.error(Errors.notInteger);
        return;
      }
      samples = n < 0 ? 5 : n;
      i++;
    } else {
      c.error(Errors.syntax);
      return;
    }
  }
  const key = argv[2];
  const v = c.db.getReadNoTouch(key);
  if (v === undefined) {
    c.nullBulk();
    return;
  }
  c.int(Math.round(valueSize(v, samples, c) + sdsSize(key.length) + DICT_ENTRY));
}

/** MEMORY STATS: the figures redis-ts can give, under Redis's names. */
function memoryStats(c: Client): void {
  const used = usedMemory();
  const s = c.server;
  let keys = 0;
  for (const db of s.dbs) keys += db.dict.size;
  const fields: [string, number][] = [
    ['peak.allocated', used],
    ['total.allocated', used],
    ['startup.allocated', 0],
    ['replication.backlog', s.replication.backlog?.size ?? 0],
    ['clients.slaves', 0],
    ['clients.normal', 0],
    ['cluster.links', 0],
    ['aof.buffer', 0],
    ['lua.caches', s.scripting.eval.bodyBytes],
    ['functions.caches', s.scripting.functions.cacheBytes()],
  ];
  const dbs = s.dbs.filter((db) => db.dict.size > 0);
  c.mapLen(fields.length + dbs.length + 5);
  for (const [k, v] of fields) {
    c.bulk(k);
    c.int(v);
  }
  for (const db of dbs) {
    c.bulk(`db.${db.id}`);
    c.mapLen(2);
    c.bulk('overhead.hashtable.main');
    c.int(db.dict.size * DICT_ENTRY);
    c.bulk('overhead.hashtable.expires');
    c.int(db.expires.size * DICT_ENTRY);
  }
  c.bulk('keys.count');
  c.int(keys);
  c.bulk('keys.bytes-per-key');
  c.int(keys === 0 ? 0 : Math.floor(used / keys));
  c.bulk('dataset.bytes');
  c.int(used);
  c.bulk('rss-overhead.bytes');
  c.int(Math.max(0, process.memoryUsage().rss - used));
  c.bulk('fragmentation');
  c.double(used === 0 ? 0 : process.memoryUsage().rss / used);
}

/** MEMORY DOCTOR */
function memoryDoctor(c: Client): void {
  c.verbatim(
    'Hi Sam, I can\'t find any memory issue in your instance. I can only account for what occurs on this base.',
  );
}

/** MEMORY MALLOC-STATS: V8 manages redis-ts's memory; its heap statistics stand in. */
function memoryMallocStats(c: Client): void {
  const m = process.memoryUsage();
  c.verbatim(`Stats not supported for the current allocator (V8: heapUsed=${m.heapUsed} heapTotal=${m.heapTotal} external=${m.external} rss=${m.rss})`);
}

/** MEMORY PURGE: nothing to ask V8 for short of a full GC, which it schedules itself. */
function memoryPurge(c: Client): void {
  c.ok();
}

function memoryHelp(c: Client): void {
  replyHelp(c, [
    'DOCTOR',
    '    Return memory problems reports.',
    'MALLOC-STATS',
    '    Return internal statistics report from the memory allocator.',
    'PURGE',
    '    Attempt to purge dirty pages for reclamation by the allocator.',
    'STATS',
    '    Return information about the memory usage of the server.',
    'USAGE <key> [SAMPLES <count>]',
    '    Return memory in bytes used by <key> and its value. Nested values are',
    '    sampled up to <count> times (default: 5, 0 means sample all).',
  ]);
}

export const memoryCommands: CommandSpec[] = [
  {
    name: 'memory',
    arity: -2,
    flags: [],
    group: 'server',
    subcommands: [
      { name: 'purge', arity: 2, flags: [], group: 'server', handler: memoryPurge },
      { name: 'malloc-stats', arity: 2, flags: [], group: 'server', handler: memoryMallocStats },
      { name: 'help', arity: 2, flags: ['loading', 'stale'], group: 'server', handler: memoryHelp },
      { name: 'stats', arity: 2, flags: [], group: 'server', handler: memoryStats },
      { name: 'doctor', arity: 2, flags: [], group: 'server', handler: memoryDoctor },
      { name: 'usage', arity: -3, flags: ['readonly'], keys: [2, 2, 1], group: 'keyspace', handler: memoryUsage },
    ],
  },
];
