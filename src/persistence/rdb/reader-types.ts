// What the RDB reader hands out: decoded values, keys with their metadata, what a
// load found besides keys (aux fields, checksum ...), and the reader's options.

import type { ListValue } from '../../keyspace/types/list.js';
import type { HashValue } from '../../keyspace/types/hash.js';
import type { SetValue } from '../../keyspace/types/set.js';
import type { ZSetValue } from '../../keyspace/types/zset.js';
import type { StreamData } from '../../keyspace/types/stream-data.js';
import type { EncodingLimits } from './constants.js';

export type RdbValue = string | ListValue | HashValue | SetValue | ZSetValue | StreamData;

export type RdbLogLevel = 'warning' | 'notice' | 'verbose' | 'debug';

export interface RdbReaderOptions extends Partial<EncodingLimits> {
  /** Verify the CRC-64 trailer when it is not zero (rdbchecksum). Default true. */
  verifyChecksum?: boolean;
  /** SELECTDB beyond this fails as in Redis (the `databases` config). Default 16. */
  maxDbs?: number;
  /** Function libraries: collect their code (default) or refuse the file. */
  functions?: 'collect' | 'error';
  /** Module AUX data: refuse the file (default, as Redis without the module) or skip it. */
  moduleAux?: 'error' | 'skip';
  /** Log sink (messages worded as Redis logs them). */
  log?: (level: RdbLogLevel, msg: string) => void;
}

export interface RdbKey {
  db: number;
  key: string;
  value: RdbValue;
  /** Absolute expire time in ms, -1 when none. */
  expireMs: number;
  /** LRU idle seconds from an IDLE opcode, -1 when absent. */
  lruIdle: number;
  /** LFU counter from a FREQ opcode, -1 when absent. */
  lfuFreq: number;
  /** The RDB object type the value was stored as. */
  rdbType: number;
  /** Hash field expiry times (absolute ms) from types 22-25; absent otherwise. */
  fieldExpires?: Map<string, number>;
}

export interface RdbLoadInfo {
  version: number;
  /** AUX fields in file order (latin1 strings). */
  aux: Map<string, string>;
  keysLoaded: number;
  keysPerDb: Map<number, number>;
  /** Keys carrying an expire time, per db. */
  expiresPerDb: Map<number, number>;
  /** RESIZEDB hints per db. */
  resizeDb: Map<number, { keys: number; expires: number }>;
  emptyKeysSkipped: number;
  /** Code of the function libraries the file held (not loaded). */
  /** The code of each function library, in file order. */
  functions: string[];
  moduleAuxSkipped: number;
  /** 'verified', 'disabled' (stored as zero), 'absent' (version < 5), 'unchecked' (verifyChecksum false), or null before EOF. */
  checksum: 'verified' | 'disabled' | 'absent' | 'unchecked' | null;
  /** Bytes consumed so far. */
  bytesRead: number;
}

/** Returned by next() when the fed input ends in the middle of a record. */
export const NEED_MORE: unique symbol = Symbol('rdb-need-more');

/** Thrown internally on a short read of partial input (never escapes). */
/** Returned by readObject for an empty collection (Redis's RDB_LOAD_ERR_EMPTY_KEY). */

const MODULE_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** moduleTypeNameByID: the 9-character module type name packed in a module id. */
export function moduleTypeName(id: bigint): string {
  let n = id >> 10n;
  const out = new Array<string>(9);
  for (let j = 8; j >= 0; j--) {
    out[j] = MODULE_CHARSET[Number(n & 63n)];
    n >>= 6n;
  }
  return out.join('');
}
