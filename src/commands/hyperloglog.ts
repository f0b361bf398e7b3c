// HyperLogLog commands (hyperloglog.c): PFADD, PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST.
// Values are plain strings in Redis's HLL byte format (src/keyspace/hyperloglog.ts),
// so GET, SETRANGE, DUMP and replication all see exactly what Redis would hold.

import { Errors } from '../protocol/errors.js';
import {
  cachedCardinality,
  decodeSparse,
  denseGet,
  Hll,
  HLL_DENSE,
  HLL_HDR_SIZE,
  HLL_REGISTERS,
  HLL_SPARSE,
  hllAddString,
  hllCount,
  hllMerge,
  hllSet,
  isValidHll,
  rawCount,
  selfTest,
  setCachedCardinality,
  sparseToDense,
} from '../keyspace/hyperloglog.js';
import type { Client } from '../server/client.js';
import { notify, Notify } from '../server/keyspace-events.js';
import type { Value } from '../keyspace/database.js';
import type { CommandSpec } from './types.js';

const NOT_HLL = 'WRONGTYPE Key is not a valid HyperLogLog string value.';
const CORRUPT = 'INVALIDOBJ Corrupted HLL object detected';

/** isHLLObjectOrReply: the value as a string when it is a well-formed HLL, else null after an error. */
function hllOrReply(c: Client, v: Value): string | null {
  if (typeof v !== 'string') {
    c.error(Errors.wrongType);
    return null;
  }
  if (!isValidHll(v)) {
    c.error(NOT_HLL);
    return null;
  }
  return v;
}

function maxSparseBytes(c: Client): number {
  return c.server.config.num('hll-sparse-max-bytes');
}

/** A uint64 as Redis's addReplyLongLong prints it (two's complement). */
function replyUint64(c: Client, n: bigint): void {
  if (n >= 1n << 63n) c.int(n - (1n << 64n));
  else if (n <= BigInt(Number.MAX_SAFE_INTEGER)) c.int(Number(n));
  else c.int(n);
}

/** PFADD key [element [element ...]] */
function pfadd(c: Client, argv: string[]): void {
  const key = argv[1];
  const v = c.db.get(key);
  let h: Hll;
  let updated = 0;
  if (v === undefined) {
    h = Hll.create();
    updated++;
  } else {
    const s = hllOrReply(c, v);
    if (s === null) return;
    h = Hll.fromString(s);
  }
  const max = maxSparseBytes(c);
  for (let j = 2; j < argv.length; j++) {
    const r = hllAddString(h, argv[j], max);
    if (r === 1) updated++;
    else if (r === -1) {
      // Redis edits in place: registers raised before the corrupt spot stay raised.
      if (updated > 0 && v !== undefined) c.db.set(key, h.toString(), true);
      c.error(CORRUPT);
      return;
    }
  }
  if (updated > 0) {
    h.invalidateCache();
    if (v === undefined) c.db.add(key, h.toString());
    else c.db.set(key, h.toString(), true);
    notify(c, Notify.string, 'pfadd', key);
    c.server.dirty += updated;
  }
  c.int(updated > 0 ? 1 : 0);
}

/** PFCOUNT key [key ...] */
function pfcount(c: Client, argv: string[]): void {
  if (argv.length > 2) {
    // The union's cardinality, from one byte per register; nothing is cached.
    const max = new Uint8Array(HLL_REGISTERS);
    for (let j = 1; j < argv.length; j++) {
      const v = c.db.getRead(argv[j]);
      if (v === undefined) continue;
      const s = hllOrReply(c, v);
      if (s === null) return;
      if (!hllMerge(max, Hll.fromString(s))) {
        c.error(CORRUPT);
        return;
      }
    }
    replyUint64(c, rawCount(max));
    return;
  }
  const key = argv[1];
  const v = c.db.getRead(key);
  if (v === undefined) {
    c.int(0);
    return;
  }
  const s = hllOrReply(c, v);
  if (s === null) return;
  const cached = cachedCardinality(s);
  if (cached !== null) {
    c.int(cached);
    return;
  }
  const h = Hll.fromString(s);
  const card = hllCount(h);
  if (card === null) {
    c.error(CORRUPT);
    return;
  }
  // Refreshing the cache rewrites the string: a change that propagates (PFCOUNT is may-replicate).
  setCachedCardinality(h, card);
  c.db.set(key, h.toString(), true);
  c.server.dirty++;
  replyUint64(c, card);
}

/** PFMERGE destkey [sourcekey [sourcekey ...]] */
function pfmerge(c: Client, argv: string[]): void {
  const max = new Uint8Array(HLL_REGISTERS);
  let useDense = false;
  // The destination is one of the inputs: its registers are kept.
  for (let j = 1; j < argv.length; j++) {
    const v = c.db.getRead(argv[j]);
    if (v === undefined) continue;
    const s = hllOrReply(c, v);
    if (s === null) return;
    const h = Hll.fromString(s);
    if (h.encoding === HLL_DENSE) useDense = true;
    if (!hllMerge(max, h)) {
      c.error(CORRUPT);
      return;
    }
  }
  const key = argv[1];
  const cur = c.db.get(key);
  const h = cur === undefined ? Hll.create() : Hll.fromString(cur as string);
  if (useDense && !sparseToDense(h)) {
    c.error(CORRUPT);
    return;
  }
  const maxBytes = maxSparseBytes(c);
  for (let j = 0; j < HLL_REGISTERS; j++) {
    if (max[j] !== 0) hllSet(h, j, max[j], maxBytes);
  }
  h.invalidateCache();
  if (cur === undefined) c.db.add(key, h.toString());
  else c.db.set(key, h.toString(), true);
  // PFMERGE reports a PFADD: in effect a mass-add of elements.
  notify(c, Notify.string, 'pfadd', key);
  c.server.dirty++;
  c.ok();
}

/** PFSELFTEST */
function pfselftest(c: Client): void {
  const err = selfTest(maxSparseBytes(c));
  if (err === null) c.ok();
  else c.error(err);
}

/** PFDEBUG <GETREG | DECODE | ENCODING | TODENSE> key */
function pfdebug(c: Client, argv: string[]): void {
  const sub = argv[1].toLowerCase();
  const key = argv[2];
  const v = c.db.get(key);
  if (v === undefined) {
    c.error(Errors.theSpecifiedKeyDoesNotExist);
    return;
  }
  const s = hllOrReply(c, v);
  if (s === null) return;
  const h = Hll.fromString(s);
  switch (sub) {
    case 'getreg':
    case 'todense': {
      const sparse = h.encoding === HLL_SPARSE;
      if (sparse) {
        if (!sparseToDense(h)) {
          c.error(CORRUPT);
          return;
        }
        // The encoding change is a write: it must reach replicas too.
        c.db.set(key, h.toString(), true);
        c.server.dirty++;
      }
      if (sub === 'todense') {
        c.int(sparse ? 1 : 0);
        return;
      }
      c.arrayLen(HLL_REGISTERS);
      for (let j = 0; j < HLL_REGISTERS; j++) c.int(denseGet(h.buf, HLL_HDR_SIZE, j));
      return;
    }
    case 'decode':
      if (h.encoding !== HLL_SPARSE) {
        c.error(Errors.hllEncodingIsNotSparse);
        return;
      }
      c.bulk(decodeSparse(h));
      return;
    case 'encoding':
      c.status(h.encoding === HLL_DENSE ? 'dense' : 'sparse');
      return;
    default:
      c.error(`ERR Unknown PFDEBUG subcommand '${argv[1]}'`);
  }
}

export const hyperloglogCommands: CommandSpec[] = [
  { name: 'pfadd', arity: -2, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'hyperloglog', handler: pfadd },
  { name: 'pfcount', arity: -2, flags: ['readonly', 'may_replicate'], keys: [1, -1, 1], group: 'hyperloglog', handler: pfcount },
  { name: 'pfmerge', arity: -2, flags: ['write', 'denyoom'], keys: [1, -1, 1], group: 'hyperloglog', handler: pfmerge },
  { name: 'pfselftest', arity: 1, flags: ['admin'], group: 'hyperloglog', handler: pfselftest },
  { name: 'pfdebug', arity: 3, flags: ['write', 'denyoom', 'admin'], keys: [2, 2, 1], group: 'hyperloglog', handler: pfdebug },
];
