// MEMORY USAGE STATS DOCTOR MALLOC-STATS PURGE HELP (object.c). USAGE gives the figure
// used_memory counts a key at (value-size.ts), sampling at most SAMPLES elements of a
// collection (0: all of them); STATS breaks used_memory down by owner.

import { Errors } from '../protocol/errors.js';
import type { Client } from '../server/client.js';
import { memoryBreakdown } from '../server/memory.js';
import { DICT_ENTRY, keySize } from '../keyspace/value-size.js';
import { replyHelp } from './args.js';
import type { CommandSpec } from './types.js';

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
  c.int(keySize(key, v, samples, c.server.config));
}

/** MEMORY STATS: the figures redis-ts can give, under Redis's names. */
function memoryStats(c: Client): void {
  const s = c.server;
  const mem = memoryBreakdown(s);
  const used = mem.used;
  s.stats.notePeakMemory(used);
  let keys = 0;
  for (const db of s.dbs) keys += db.dict.size;
  const overhead = used - mem.dataset;
  const fields: [string, number][] = [
    ['peak.allocated', s.stats.peakMemory],
    ['total.allocated', used],
    ['startup.allocated', mem.startup],
    ['replication.backlog', mem.backlog],
    ['clients.slaves', mem.clientsReplicas],
    ['clients.normal', mem.clientsNormal],
    ['cluster.links', 0],
    ['aof.buffer', 0],
    ['lua.caches', s.scripting.eval.bodyBytes],
    ['functions.caches', s.scripting.functions.cacheBytes()],
    ['overhead.total', overhead],
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
  c.int(keys === 0 ? 0 : Math.floor((used - mem.startup) / keys));
  c.bulk('dataset.bytes');
  c.int(mem.dataset);
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
