// OBJECT ENCODING and OBJECT REFCOUNT (object.c): the encoding a value reports, and
// the refcount Redis would show for it (small integers are shared objects).

import type { Config } from '../config/config.js';
import { parseInt64 } from '../util/int64.js';
import type { Value } from './database.js';

/** Strings up to this many bytes live in one allocation with their object ("embstr"). */
const EMBSTR_SIZE_LIMIT = 44;
/** Integers 0..9999 are shared objects in Redis (OBJ_SHARED_INTEGERS). */
const SHARED_INTEGERS = 10000;
/** A shared object's refcount (OBJ_SHARED_REFCOUNT = INT_MAX). */
const SHARED_REFCOUNT = 2147483647;

/** A value that knows its own Redis encoding (list, set, hash, zset, stream classes). */
export interface EncodedValue {
  encoding(config?: Config): string;
}

/** What Redis 7.0 reports for a type whose class does not say. */
const DEFAULT_ENCODING: Record<string, string> = {
  list: 'quicklist',
  set: 'hashtable',
  zset: 'skiplist',
  hash: 'hashtable',
  stream: 'stream',
};

/**
 * The encoding of a string value, decided from its bytes as tryObjectEncoding does
 * for values stored by SET and friends. Redis also yields "raw" for strings built in
 * place (APPEND or SETRANGE on an existing key, SETBIT, BITOP, BITFIELD) and "embstr"
 * for INCRBYFLOAT results; a latin1 string does not remember how it was built.
 */
export function stringEncoding(s: string): 'int' | 'embstr' | 'raw' {
  if (s.length <= 20 && parseInt64(s) !== null) return 'int';
  return s.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
}

/** OBJECT ENCODING: the value's own answer when it has one. */
export function objectEncoding(v: Value, config: Config): string {
  if (typeof v === 'string') return stringEncoding(v);
  const e = (v as Partial<EncodedValue>).encoding;
  if (typeof e === 'function') return e.call(v, config);
  return DEFAULT_ENCODING[v.type] ?? 'unknown';
}

/**
 * OBJECT REFCOUNT: small integers are shared objects, unless `sharedIntegers` is off
 * (a maxmemory limit with an LRU or LFU policy, where each key needs its own access
 * clock); every other value is referenced once. Judged by the settings now, not those
 * in force when the value was stored.
 */
export function objectRefcount(v: Value, sharedIntegers: boolean): number {
  if (sharedIntegers && typeof v === 'string' && v.length <= 5) {
    const n = parseInt64(v);
    if (typeof n === 'number' && n >= 0 && n < SHARED_INTEGERS) return SHARED_REFCOUNT;
  }
  return 1;
}
