// What a key and its value cost, in the terms Redis's objectComputeSize counts
// (jemalloc size classes of the key, the object and its parts). MEMORY USAGE reports
// it, and the keyspace's used_memory is the sum of it over every key. Collections
// are sampled: the first `samples` elements (all when 0) stand for the rest, so the
// figure of an unchanged value is always the same (the accounting relies on that).

import type { Config } from '../config/config.js';
import type { Value } from './database.js';
import { objectEncoding, stringEncoding } from './encoding.js';

const ROBJ = 16;
export const DICT_ENTRY = 24;
const DICT_BUCKET = 8;
/** A quicklist node and the list header around its listpacks. */
const QUICKLIST_OVERHEAD = 48;
/** A stream's rax, consumer groups and metadata when it has no nodes yet. */
const STREAM_HEADER = 64;

/** The jemalloc size class an allocation of n bytes takes. */
export function allocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  // Four classes per doubling above 128.
  const lg = Math.floor(Math.log2(n - 1));
  const step = 2 ** (lg - 2);
  return Math.ceil(n / step) * step;
}

/** An sds string's allocation: header by length, the bytes, the NUL. */
export function sdsSize(len: number): number {
  const header = len < 32 ? 1 : len < 256 ? 3 : len < 65536 ? 5 : 9;
  return allocSize(header + len + 1);
}

function stringObjectSize(s: string): number {
  const enc = stringEncoding(s);
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
  return n === 0 ? 0 : Math.round((total / n) * count);
}

function hashTable(n: number): number {
  return allocSize(DICT_BUCKET * Math.max(4, 2 ** Math.ceil(Math.log2(Math.max(1, n)))));
}

/** The value's object and everything it owns. */
export function valueSize(v: Value, samples: number, config: Config): number {
  if (typeof v === 'string') return stringObjectSize(v);
  const enc = objectEncoding(v, config);
  switch (v.type) {
    case 'hash': {
      const h = v as unknown as { fields: Map<string, string> };
      const n = h.fields.size;
      if (enc === 'listpack') return ROBJ + listpackSize(sampled(h.fields, n, samples, ([f, x]) => f.length + x.length), n * 2);
      return ROBJ + hashTable(n) + sampled(h.fields, n, samples, ([f, x]) => DICT_ENTRY + sdsSize(f.length) + sdsSize(x.length));
    }
    case 'set': {
      const s = v as unknown as { scanSource(): Map<string, number>; size: number };
      const n = s.size;
      if (enc === 'intset') return ROBJ + allocSize(8 + n * 8);
      if (enc === 'listpack') return ROBJ + listpackSize(sampled(s.scanSource().keys(), n, samples, (m) => m.length), n);
      return ROBJ + hashTable(n) + sampled(s.scanSource().keys(), n, samples, (m) => DICT_ENTRY + sdsSize(m.length));
    }
    case 'zset': {
      const z = v as unknown as { scores: Map<string, number> };
      const n = z.scores.size;
      if (enc === 'listpack') return ROBJ + listpackSize(sampled(z.scores.keys(), n, samples, (m) => m.length + 8), n * 2);
      // Skiplist node (score, backward, one level on average) plus the dict entry.
      return ROBJ + hashTable(n) + sampled(z.scores.keys(), n, samples, (m) => DICT_ENTRY + allocSize(32 + 16) + sdsSize(m.length));
    }
    case 'list': {
      const l = v as unknown as { length: number; values(): IterableIterator<string> };
      const n = l.length;
      return ROBJ + QUICKLIST_OVERHEAD + listpackSize(sampled(l.values(), n, samples, (e) => e.length), n);
    }
    case 'stream': {
      const s = v as unknown as { nodes: { bytes: number }[] };
      const n = s.nodes.length;
      // Each node is a listpack plus its rax entry.
      return ROBJ + STREAM_HEADER + sampled(s.nodes, n, samples, (node) => allocSize(node.bytes) + DICT_ENTRY);
    }
    default:
      return ROBJ;
  }
}

/** A key's whole cost in its database: the dict entry, the key's sds and the value. */
export function keySize(key: string, v: Value, samples: number, config: Config): number {
  const kl = key.length;
  // Short keys (most of them) take the 16-byte size classes: no call, no log2.
  const keyBytes = kl < 31 ? (kl <= 6 ? 8 : ((kl + 2 + 15) >> 4) << 4) : sdsSize(kl);
  return DICT_ENTRY + keyBytes + (typeof v === 'string' ? stringObjectSize(v) : valueSize(v, samples, config));
}
