// RDB format constants (rdb.h, Redis 7.0 to 7.4): object types, opcodes, length
// and string encodings, the version this codec writes and the highest it reads,
// plus the shared error type every codec module throws.

/** The version Redis 7.0 writes (and what RdbWriter and DUMP produce). */
export const RDB_VERSION = 10;
/** Highest version the reader accepts (Redis 7.4 writes 12). */
export const RDB_MAX_READ_VERSION = 12;

export const RdbType = {
  STRING: 0,
  LIST: 1,
  SET: 2,
  ZSET: 3,
  HASH: 4,
  ZSET_2: 5,
  MODULE_PRE_GA: 6,
  MODULE_2: 7,
  HASH_ZIPMAP: 9,
  LIST_ZIPLIST: 10,
  SET_INTSET: 11,
  ZSET_ZIPLIST: 12,
  HASH_ZIPLIST: 13,
  LIST_QUICKLIST: 14,
  STREAM_LISTPACKS: 15,
  HASH_LISTPACK: 16,
  ZSET_LISTPACK: 17,
  LIST_QUICKLIST_2: 18,
  STREAM_LISTPACKS_2: 19,
  SET_LISTPACK: 20,
  STREAM_LISTPACKS_3: 21,
  HASH_METADATA_PRE_GA: 22,
  HASH_LISTPACK_EX_PRE_GA: 23,
  HASH_METADATA: 24,
  HASH_LISTPACK_EX: 25,
} as const;

/** Names as redis-check-rdb prints them, indexed by type. */
export const RDB_TYPE_NAMES: readonly string[] = [
  'string',
  'list-linked',
  'set-hashtable',
  'zset-v1',
  'hash-hashtable',
  'zset-v2',
  'module-pre-release',
  'module-value',
  '',
  'hash-zipmap',
  'list-ziplist',
  'set-intset',
  'zset-ziplist',
  'hash-ziplist',
  'quicklist',
  'stream',
  'hash-listpack',
  'zset-listpack',
  'quicklist-v2',
  'stream-v2',
  'set-listpack',
  'stream-v3',
  'hash-hashtable-md-pre-release',
  'hash-listpack-md-pre-release',
  'hash-hashtable-md',
  'hash-listpack-md',
];

export function rdbTypeName(t: number): string {
  return RDB_TYPE_NAMES[t] || `unknown-${t}`;
}

/** rdbIsObjectType for the newest format we know (7.4). */
export function isObjectType(t: number): boolean {
  return (t >= 0 && t <= 7) || (t >= 9 && t <= 25);
}

export const RdbOpcode = {
  SLOT_INFO: 244,
  FUNCTION2: 245,
  FUNCTION_PRE_GA: 246,
  MODULE_AUX: 247,
  IDLE: 248,
  FREQ: 249,
  AUX: 250,
  RESIZEDB: 251,
  EXPIRETIME_MS: 252,
  EXPIRETIME: 253,
  SELECTDB: 254,
  EOF: 255,
} as const;

/** Two top bits of a length byte. */
export const RDB_6BITLEN = 0;
export const RDB_14BITLEN = 1;
export const RDB_32BITLEN = 0x80;
export const RDB_64BITLEN = 0x81;
export const RDB_ENCVAL = 3;

/** Special string encodings (the low six bits after RDB_ENCVAL). */
export const RDB_ENC_INT8 = 0;
export const RDB_ENC_INT16 = 1;
export const RDB_ENC_INT32 = 2;
export const RDB_ENC_LZF = 3;

/** Module value opcodes (self-describing module serialization, RDB_TYPE_MODULE_2). */
export const RDB_MODULE_OPCODE_EOF = 0;
export const RDB_MODULE_OPCODE_SINT = 1;
export const RDB_MODULE_OPCODE_UINT = 2;
export const RDB_MODULE_OPCODE_FLOAT = 3;
export const RDB_MODULE_OPCODE_DOUBLE = 4;
export const RDB_MODULE_OPCODE_STRING = 5;

/** quicklist node containers in RDB_TYPE_LIST_QUICKLIST_2. */
export const QUICKLIST_NODE_CONTAINER_PLAIN = 1;
export const QUICKLIST_NODE_CONTAINER_PACKED = 2;

/** Stream entry flags inside stream listpacks. */
export const STREAM_ITEM_FLAG_DELETED = 1;
export const STREAM_ITEM_FLAG_SAMEFIELDS = 2;

/** Encoding limits, Redis 7.0 defaults (redis.conf). */
export interface EncodingLimits {
  hashMaxListpackEntries: number;
  hashMaxListpackValue: number;
  zsetMaxListpackEntries: number;
  zsetMaxListpackValue: number;
  setMaxIntsetEntries: number;
}

export const DEFAULT_LIMITS: EncodingLimits = {
  hashMaxListpackEntries: 128,
  hashMaxListpackValue: 64,
  zsetMaxListpackEntries: 128,
  zsetMaxListpackValue: 64,
  setMaxIntsetEntries: 512,
};

export type RdbErrorCode =
  /** The input ended in the middle of the file (a short read). */
  | 'EOF'
  /** The bytes are not a valid RDB (bad signature, corrupt encoding, bad CRC...). */
  | 'CORRUPT'
  /** Valid RDB content that redis-ts cannot load (modules, unknown version). */
  | 'UNSUPPORTED'
  /** A bug in the codec itself (a JavaScript exception caught and wrapped). */
  | 'INTERNAL';

/** Every failure of the RDB codec. `message` names the key and type when known. */
export class RdbError extends Error {
  constructor(
    readonly code: RdbErrorCode,
    /** Redis's wording of the problem, e.g. "Hash ziplist integrity check failed." */
    readonly reason: string,
    readonly offset = -1,
    readonly key?: string,
    readonly rdbType?: number,
  ) {
    let msg = reason;
    if (key !== undefined) {
      msg += ` (key '${key}'`;
      if (rdbType !== undefined) msg += `, type ${rdbType} ${rdbTypeName(rdbType)}`;
      msg += ')';
    }
    if (offset >= 0) msg += ` at offset ${offset}`;
    super(msg);
    this.name = 'RdbError';
  }
}
