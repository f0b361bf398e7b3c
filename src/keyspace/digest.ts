// Dataset and value digests for DEBUG DIGEST / DEBUG DIGEST-VALUE (debug.c's
// computeDatasetDigest and xorObjectDigest). The algorithm is Redis's exactly, so
// redis-ts and redis-server holding the same data print the same 40 hex digits:
// unordered parts (keys, set members, hash fields) are combined with XOR of SHA1s,
// ordered parts (list elements, a key's components) are chained by re-hashing.

import { sha1Into } from '../util/sha1.js';
import { typeOf, type CollectionType, type CollectionValue, type Database, type Value } from './database.js';
import type { StreamValue } from './types/stream.js';
import { formatDouble } from '../util/number-format.js';
import type { HashValue } from './types/hash.js';
import type { ListValue } from './types/list.js';
import type { SetValue } from './types/set.js';
import type { ZSetValue } from './types/zset.js';

/** Redis's object type numbers (OBJ_STRING ...), hashed into every value's digest. */
const TYPE_CODE: Record<ReturnType<typeof typeOf>, number> = {
  string: 0,
  list: 1,
  set: 2,
  zset: 3,
  hash: 4,
  stream: 6,
};

export type Digest = Buffer;

export function emptyDigest(): Digest {
  return Buffer.alloc(20);
}

const hashed = Buffer.alloc(20);

/** digest ^= SHA1(data): order-independent accumulation. `data` strings are latin1 bytes. */
export function xorDigest(digest: Digest, data: Buffer | string): void {
  sha1Into(data, hashed);
  for (let i = 0; i < 20; i++) digest[i] ^= hashed[i];
}

/** digest = SHA1(digest ^ SHA1(data)): order-dependent accumulation. */
export function mixDigest(digest: Digest, data: Buffer | string): void {
  xorDigest(digest, data);
  sha1Into(digest, digest);
}

/** A 32-bit integer in network byte order, as Redis hashes type codes and db ids. */
function be32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/**
 * Adds one collection value's contents to a key's digest. Each data type
 * registers its own when it is implemented, following xorObjectDigest:
 * - list: mixDigest each element in order;
 * - set: xorDigest each member;
 * - zset: per member, a fresh 20-byte digest mixed with the member then the
 *   score as %.17g, XORed into the key digest;
 * - hash: per field, a fresh digest mixed with field then value, XORed in;
 * - stream: mixDigest "<ms>.<seq>" of each entry, then each field and value.
 */
export type CollectionDigester = (digest: Digest, value: CollectionValue) => void;

export const collectionDigesters: Partial<Record<CollectionType, CollectionDigester>> = {};
collectionDigesters.stream = (digest, value) => (value as StreamValue).digestInto(digest, mixDigest);

/** Thrown for a type that has no digester yet: DEBUG replies it as an error. */
export class DigestUnsupportedError extends Error {}

/** xorObjectDigest: type, contents, then the expire marker, into a key's digest. */
export function xorValueDigest(db: Database, key: string, digest: Digest, value: Value): void {
  const type = typeOf(value);
  mixDigest(digest, be32(TYPE_CODE[type]));
  if (typeof value === 'string') {
    mixDigest(digest, value);
  } else {
    const f = collectionDigesters[value.type];
    if (f === undefined) throw new DigestUnsupportedError(`DEBUG DIGEST does not support ${value.type} values yet`);
    f(digest, value);
  }
  // Only whether the key has a TTL counts, not its value.
  if (db.expires.has(key)) xorDigest(digest, '!!expire!!');
}

/** computeDatasetDigest: all zeros for an empty dataset. Logically expired keys still count. */
export function datasetDigest(dbs: readonly Database[]): Digest {
  const final = emptyDigest();
  for (const db of dbs) {
    if (db.dict.size === 0) continue;
    // The db id goes in so the same data in another database digests differently.
    mixDigest(final, be32(db.id));
    for (const [key, value] of db.dict) {
      const d = emptyDigest();
      mixDigest(d, key);
      xorValueDigest(db, key, d, value);
      xorDigest(final, d);
    }
  }
  return final;
}

// ---------------------------------------------------------------------------
// Lists, sets, hashes and sorted sets (xorObjectDigest's per-type branches).

collectionDigesters.list = (digest, value) => {
  const list = value as ListValue;
  for (let i = 0; i < list.length; i++) mixDigest(digest, list.at(i) as string);
};

collectionDigesters.set = (digest, value) => {
  for (const m of (value as SetValue).rawMembers()) xorDigest(digest, m);
};

collectionDigesters.hash = (digest, value) => {
  const ele = emptyDigest();
  for (const [field, v] of (value as HashValue).fields) {
    ele.fill(0);
    mixDigest(ele, field);
    mixDigest(ele, v);
    xorDigest(digest, ele);
  }
};

collectionDigesters.zset = (digest, value) => {
  const ele = emptyDigest();
  for (const [member, score] of (value as ZSetValue).scores) {
    ele.fill(0);
    mixDigest(ele, member);
    // "%.17g" of the score in either encoding (a listpack score is parsed back to a double first).
    mixDigest(ele, formatDouble(score));
    xorDigest(digest, ele);
  }
};
