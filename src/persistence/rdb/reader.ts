// RDB reader (rdb.c's rdbLoadRio / rdbLoadObject): parses RDB versions 1 to 12
// (Redis 2.x to 7.4) into redis-ts values, one key at a time, from a complete
// Buffer or from chunks as they arrive (a replication payload).
//
// API
// - `new RdbReader(opts)`; `feed(chunk)` any number of times, `end()` when the
//   input is complete; `next()` returns the next key (RdbKey), `NEED_MORE` when
//   it cannot progress until more input is fed, or null once the EOF opcode and
//   the CRC-64 trailer were read. `info` holds everything that is not a key (aux
//   fields, counts, checksum status). Any failure throws RdbError (code EOF for a
//   short input, CORRUPT, UNSUPPORTED; INTERNAL wraps a codec bug) naming the key
//   and type; after that the reader keeps throwing the same error.
//   Partial input is parsed opcode by opcode: a record that is not complete yet is
//   re-parsed from its start once enough bytes arrived, and only after the bytes
//   available since its start doubled (so a huge value costs O(size) overall).
//   Call end() as soon as the input is known complete ($<len> transfer fully read,
//   EOF mark seen): before that a large record may wait for more bytes. Bytes after
//   the checksum are left alone (`unconsumed()`).
// - Streams are decoded by reader-stream.ts, a layer of the same class.
// - read-whole.ts has `readRdb`, `iterateRdb` and `loadRdbInSlices` over it, for
//   complete buffers.
// - `parseDumpPayload(payload, opts)` (dump-payload.ts) for RESTORE: checks the 2-byte version and
//   CRC-64 footer, then reads one object; throws DumpPayloadError whose message is
//   Redis's reply ("ERR DUMP payload version or checksum are wrong" / "ERR Bad data format").
//
// Decisions (documented differences from a Redis 7.0 server loading the file)
// - Versions 11 and 12 (7.2, 7.4) are accepted. A set listpack (type 20) loads as
//   an intset or hashtable set by 7.0's rules. Hashes with field TTLs (types 22-25)
//   load as plain hashes; each field's absolute expiry (ms) is returned in
//   RdbKey.fieldExpires so the caller can drop expired fields or ignore TTLs.
// - Function libraries (FUNCTION2, and the 7.0-rc FUNCTION opcode) are returned as
//   their code in info.functions for the caller to load (`functions: 'error'` refuses).
// - MODULE_AUX fails (UNSUPPORTED, Redis's wording) unless `moduleAux: 'skip'`,
//   which walks the self-describing module opcodes. Module values (types 6, 7)
//   always fail naming the key, type and module name.
// - Expired keys are returned with their expireMs: the caller decides (a master
//   drops them, a replica keeps them). Empty collections are skipped and counted
//   (info.emptyKeysSkipped) as Redis 7.0 does, logging the first ten.
// - Every encoded blob is deep-validated (Redis does it for ziplists and zipmaps
//   and, with sanitize-dump-payload, for the rest): duplicates in listpacks,
//   unordered stream IDs, PEL entries without a consumer are rejected as corrupt.
// - Encodings after load follow Redis 7.0 with the limits given in the options:
//   a hash/zset from a listpack or ziplist stays listpack unless it has too many
//   entries; from a hashtable/skiplist it becomes listpack if it fits every limit;
//   an intset stays intset unless it exceeds set-max-intset-entries.

import { constants as bufferConstants } from 'node:buffer';
import { ListValue } from '../../keyspace/types/list.js';
import { HashValue } from '../../keyspace/types/hash.js';
import { SetValue } from '../../keyspace/types/set.js';
import { ZSetValue } from '../../keyspace/types/zset.js';
import {
  DEFAULT_LIMITS,
  QUICKLIST_NODE_CONTAINER_PACKED,
  QUICKLIST_NODE_CONTAINER_PLAIN,
  RDB_MAX_READ_VERSION,
  RDB_MODULE_OPCODE_DOUBLE,
  RDB_MODULE_OPCODE_EOF,
  RDB_MODULE_OPCODE_FLOAT,
  RDB_MODULE_OPCODE_SINT,
  RDB_MODULE_OPCODE_STRING,
  RDB_MODULE_OPCODE_UINT,
  RdbError,
  RdbOpcode,
  RdbType,
  isObjectType,
  type EncodingLimits,
} from './constants.js';
import { Crc64 } from './crc64.js';
import { decodeIntset } from './intset.js';
import { decodeListpack } from './listpack.js';
import { decodeZiplist } from './ziplist.js';
import { decodeZipmap } from './zipmap.js';
import { parseScore } from './stream-node.js';
import { SHORT_READ } from './reader-input.js';
import { RdbStreamInput } from './reader-stream.js';

export type { RdbValue, RdbLogLevel, RdbReaderOptions, RdbKey, RdbLoadInfo } from './reader-types.js';
export { NEED_MORE, moduleTypeName } from './reader-types.js';
import {
  NEED_MORE,
  moduleTypeName,
  type RdbKey,
  type RdbLoadInfo,
  type RdbLogLevel,
  type RdbReaderOptions,
  type RdbValue,
} from './reader-types.js';

const EMPTY_KEY = { emptyKey: true };

const MAX_STRING = bufferConstants.MAX_STRING_LENGTH;
const U64 = 1n << 64n;
/** EB_EXPIRE_TIME_MAX: the largest hash field expiry Redis 7.4 accepts. */
const HFE_MAX = 2 ** 48 - 1;

export class RdbReader extends RdbStreamInput {
  readonly info: RdbLoadInfo = {
    version: 0,
    aux: new Map(),
    keysLoaded: 0,
    keysPerDb: new Map(),
    expiresPerDb: new Map(),
    resizeDb: new Map(),
    emptyKeysSkipped: 0,
    functions: [],
    moduleAuxSkipped: 0,
    checksum: null,
    bytesRead: 0,
  };

  private readonly crc = new Crc64();
  private state: 'header' | 'body' | 'done' = 'header';
  private failure: RdbError | null = null;

  private db = 0;
  private expire = -1;
  private lruIdle = -1;
  private lfuFreq = -1;
  private fieldExpires: Map<string, number> | undefined;

  private readonly limits: EncodingLimits;
  private readonly verifyChecksum: boolean;
  private readonly maxDbs: number;
  private readonly opts: RdbReaderOptions;

  constructor(opts: RdbReaderOptions = {}) {
    super();
    this.opts = opts;
    this.limits = {
      hashMaxListpackEntries: opts.hashMaxListpackEntries ?? DEFAULT_LIMITS.hashMaxListpackEntries,
      hashMaxListpackValue: opts.hashMaxListpackValue ?? DEFAULT_LIMITS.hashMaxListpackValue,
      zsetMaxListpackEntries: opts.zsetMaxListpackEntries ?? DEFAULT_LIMITS.zsetMaxListpackEntries,
      zsetMaxListpackValue: opts.zsetMaxListpackValue ?? DEFAULT_LIMITS.zsetMaxListpackValue,
      setMaxIntsetEntries: opts.setMaxIntsetEntries ?? DEFAULT_LIMITS.setMaxIntsetEntries,
    };
    this.verifyChecksum = opts.verifyChecksum ?? true;
    this.maxDbs = opts.maxDbs ?? 16;
  }

  get done(): boolean {
    return this.state === 'done';
  }

  /** Next key; NEED_MORE when more input is needed; null after EOF + checksum. */
  next(): RdbKey | typeof NEED_MORE | null {
    if (this.failure !== null) throw this.failure;
    if (this.state === 'done') return null;
    const avail = this.buf.length - this.mark + this.chunksLen;
    if (!this.ended) {
      if (this.base + this.mark + avail < this.needAbs) return NEED_MORE;
      if (this.lastProgress > 4096 && avail < 2 * this.lastProgress) return NEED_MORE;
    }
    if (this.chunks.length === 1 && this.mark === this.buf.length) {
      this.base += this.mark;
      this.buf = this.chunks[0];
      this.pos = this.mark = 0;
      this.chunks = [];
      this.chunksLen = 0;
    } else if (this.chunks.length > 0) {
      this.buf = Buffer.concat([this.buf.subarray(this.mark), ...this.chunks]);
      this.base += this.mark;
      this.pos = this.mark = 0;
      this.chunks = [];
      this.chunksLen = 0;
    }
    try {
      for (;;) {
        const r = this.step();
        this.commit();
        this.needAbs = 0;
        this.lastProgress = 0;
        if (r !== undefined) return r;
        if ((this.state as string) === 'done') return null;
      }
    } catch (e) {
      if (e === SHORT_READ) {
        this.lastProgress = this.pos - this.mark;
        this.pos = this.mark;
        this.curKey = undefined;
        this.curType = undefined;
        return NEED_MORE;
      }
      this.failure =
        e instanceof RdbError
          ? e
          : new RdbError(
              'INTERNAL',
              `Internal error: ${e instanceof Error ? e.message : String(e)}`,
              this.base + this.pos,
              this.curKey,
              this.curType,
            );
      throw this.failure;
    }
  }

  private commit(): void {
    if (this.pos > this.mark) {
      this.crc.update(this.buf, this.mark, this.pos);
      this.mark = this.pos;
    }
    this.info.bytesRead = this.base + this.pos;
  }

  private log(level: RdbLogLevel, msg: string): void {
    this.opts.log?.(level, msg);
  }

  // ---- records ----------------------------------------------------------------

  /** Parses one opcode (or key); returns a key when one was read. */
  private step(): RdbKey | undefined {
    if (this.state === 'header') {
      this.readHeader();
      return undefined;
    }
    const type = this.u8();
    switch (type) {
      case RdbOpcode.EXPIRETIME: {
        this.need(4);
        this.expire = this.buf.readInt32LE(this.pos) * 1000;
        this.pos += 4;
        return undefined;
      }
      case RdbOpcode.EXPIRETIME_MS:
        this.expire = this.readMsTime();
        return undefined;
      case RdbOpcode.FREQ:
        this.lfuFreq = this.u8();
        return undefined;
      case RdbOpcode.IDLE:
        this.lruIdle = this.readCount();
        return undefined;
      case RdbOpcode.EOF:
        this.readEof();
        return undefined;
      case RdbOpcode.SELECTDB: {
        const id = this.readCount();
        if (id >= this.maxDbs)
          this.fail(
            'UNSUPPORTED',
            `FATAL: Data file was created with a Redis server configured to handle more than ${this.maxDbs} databases.`,
          );
        this.db = id;
        return undefined;
      }
      case RdbOpcode.RESIZEDB: {
        const keys = this.readCount();
        const expires = this.readCount();
        this.info.resizeDb.set(this.db, { keys, expires });
        return undefined;
      }
      case RdbOpcode.SLOT_INFO:
        this.readCount();
        this.readCount();
        this.readCount();
        return undefined;
      case RdbOpcode.AUX:
        this.readAux();
        return undefined;
      case RdbOpcode.MODULE_AUX:
        this.readModuleAux();
        return undefined;
      case RdbOpcode.FUNCTION2:
      case RdbOpcode.FUNCTION_PRE_GA:
        this.readFunction(type);
        return undefined;
      default:
        break;
    }
    if (!isObjectType(type)) this.corrupt(`Unknown RDB encoding type ${type}`);
    this.curType = type;
    const key = this.readString();
    this.curKey = key;
    this.fieldExpires = undefined;
    const value = this.readObject(type);
    const expireMs = this.expire;
    const lruIdle = this.lruIdle;
    const lfuFreq = this.lfuFreq;
    this.expire = this.lruIdle = this.lfuFreq = -1;
    this.curKey = undefined;
    this.curType = undefined;
    if (value === EMPTY_KEY) {
      if (this.info.emptyKeysSkipped++ < 10) this.log('warning', `rdbLoadObject skipping empty key: ${key}`);
      return undefined;
    }
    const info = this.info;
    info.keysLoaded++;
    info.keysPerDb.set(this.db, (info.keysPerDb.get(this.db) ?? 0) + 1);
    if (expireMs !== -1) info.expiresPerDb.set(this.db, (info.expiresPerDb.get(this.db) ?? 0) + 1);
    const rec: RdbKey = { db: this.db, key, value: value as RdbValue, expireMs, lruIdle, lfuFreq, rdbType: type };
    if (this.fieldExpires !== undefined) rec.fieldExpires = this.fieldExpires;
    return rec;
  }

  private readHeader(): void {
    this.need(9);
    const b = this.buf;
    const p = this.pos;
    if (b.latin1Slice(p, p + 5) !== 'REDIS') {
      this.fail('CORRUPT', 'Wrong signature trying to load DB from file');
    }
    // atoi(): leading digits only.
    let v = 0;
    for (let i = p + 5; i < p + 9; i++) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
    if (v < 1 || v > RDB_MAX_READ_VERSION) this.fail('UNSUPPORTED', `Can't handle RDB format version ${v}`);
    this.pos += 9;
    this.info.version = v;
    this.state = 'body';
  }

  private readEof(): void {
    if (this.info.version >= 5) {
      // The checksum covers every byte before it, EOF opcode included.
      const crc = new Crc64();
      crc.lo = this.crc.lo;
      crc.hi = this.crc.hi;
      crc.update(this.buf, this.mark, this.pos);
      this.need(8);
      const p = this.pos;
      const zero = this.buf.readUInt32LE(p) === 0 && this.buf.readUInt32LE(p + 4) === 0;
      if (zero) {
        this.info.checksum = 'disabled';
        this.log('warning', 'RDB file was saved with checksum disabled: no check performed.');
      } else if (!this.verifyChecksum) {
        this.info.checksum = 'unchecked';
      } else if (!crc.equalsLE(this.buf, p)) {
        const got = this.buf.readBigUInt64LE(p);
        this.corrupt(`RDB CRC error: expected ${crc.value.toString(16)} but got ${got.toString(16)}`);
      } else {
        this.info.checksum = 'verified';
      }
      this.pos += 8;
    } else {
      this.info.checksum = 'absent';
    }
    this.state = 'done';
  }

  private readAux(): void {
    const k = this.readString();
    const v = this.readString();
    this.info.aux.set(k, v);
    if (k.startsWith('%')) this.log('notice', `RDB '${k}': ${v}`);
    else if (k === 'redis-ver') this.log('notice', `Loading RDB produced by version ${v}`);
    else if (k === 'ctime') {
      const age = Math.max(0, Math.floor(Date.now() / 1000) - (parseInt(v, 10) || 0));
      this.log('notice', `RDB age ${age} seconds`);
    } else if (k === 'used-mem') {
      this.log('notice', `RDB memory usage when created ${((parseInt(v, 10) || 0) / (1024 * 1024)).toFixed(2)} Mb`);
    } else if (k === 'aof-preamble') {
      if (parseInt(v, 10)) this.log('notice', 'RDB has an AOF tail');
    } else if (k === 'aof-base') {
      if (parseInt(v, 10)) this.log('notice', 'RDB is base AOF');
    } else if (!['repl-stream-db', 'repl-id', 'repl-offset', 'lua', 'redis-bits'].includes(k))
      this.log('debug', `Unrecognized RDB AUX field: '${k}'`);
  }

  private readModuleAux(): void {
    const id = this.readLenBig();
    const whenOpcode = this.readCount();
    this.readCount(); // when
    if (whenOpcode !== RDB_MODULE_OPCODE_UINT) this.corrupt('bad when_opcode');
    const name = moduleTypeName(id);
    if (this.opts.moduleAux !== 'skip') {
      this.fail('UNSUPPORTED', `The RDB file contains AUX module data I can't load: no matching module '${name}'`);
    }
    this.skipModuleValue(name);
    this.info.moduleAuxSkipped++;
    this.log('warning', `Skipped AUX data of module '${name}': modules are not supported by redis-ts`);
  }

  /** rdbLoadCheckModuleValue: walks a self-describing module serialization. */
  private skipModuleValue(name: string): void {
    for (;;) {
      const op = this.readCount();
      if (op === RDB_MODULE_OPCODE_EOF) return;
      if (op === RDB_MODULE_OPCODE_SINT || op === RDB_MODULE_OPCODE_UINT) this.readLenBig();
      else if (op === RDB_MODULE_OPCODE_STRING) this.readBlob();
      else if (op === RDB_MODULE_OPCODE_FLOAT) {
        this.need(4);
        this.pos += 4;
      } else if (op === RDB_MODULE_OPCODE_DOUBLE) {
        this.need(8);
        this.pos += 8;
      } else this.corrupt(`Unknown module opcode ${op} in module ${name} value`);
    }
  }

  private readFunction(type: number): void {
    let code: string;
    if (type === RdbOpcode.FUNCTION_PRE_GA) {
      // 7.0-rc1/rc2 layout: name, engine, optional description, body.
      const name = this.readString();
      const engine = this.readString();
      if (this.readCount() !== 0) this.readString();
      const body = this.readString();
      code = `#!${engine} name=${name}\n${body}`;
    } else {
      code = this.readString();
    }
    if (this.opts.functions === 'error') {
      this.fail('UNSUPPORTED', 'The RDB file contains function libraries, which this load refuses');
    }
    this.info.functions.push(code);
  }

  // ---- objects -----------------------------------------------------------------

  /** rdbLoadObject: a value, or EMPTY_KEY for an empty collection. */
  private readObject(type: number): RdbValue | typeof EMPTY_KEY {
    switch (type) {
      case RdbType.STRING:
        return this.readString();
      case RdbType.LIST: {
        const n = this.readCount();
        if (n === 0) return EMPTY_KEY;
        const items: string[] = [];
        for (let i = 0; i < n; i++) items.push(this.readString());
        return new ListValue(items);
      }
      case RdbType.SET: {
        const n = this.readCount();
        if (n === 0) return EMPTY_KEY;
        const s = new SetValue();
        const max = this.limits.setMaxIntsetEntries;
        if (n > max) s.convertToHashtable();
        for (let i = 0; i < n; i++) {
          if (!s.add(this.readString(), max)) this.corrupt('Duplicate set members detected');
        }
        return s;
      }
      case RdbType.ZSET:
      case RdbType.ZSET_2: {
        const n = this.readCount();
        if (n === 0) return EMPTY_KEY;
        const z = new ZSetValue();
        const lim = { maxEntries: this.limits.zsetMaxListpackEntries, maxValue: this.limits.zsetMaxListpackValue };
        for (let i = 0; i < n; i++) {
          const m = this.readString();
          const score = type === RdbType.ZSET_2 ? this.readBinaryDouble() : this.readAsciiDouble();
          if (Number.isNaN(score)) this.corrupt('Zset with NAN score detected');
          if (z.score(m) !== undefined) this.corrupt('Duplicate zset fields detected');
          z.add(m, score, lim);
        }
        if (z.isListpack) {
          // Redis converts a small loaded zset to a listpack, which stores -0 as 0.
          for (const [m, sc] of z.scores) {
            if (Object.is(sc, -0)) {
              z.remove(m);
              z.add(m, 0, lim);
            }
          }
        }
        return z;
      }
      case RdbType.HASH: {
        const n = this.readCount();
        if (n === 0) return EMPTY_KEY;
        const h = new HashValue();
        const lim = { maxEntries: this.limits.hashMaxListpackEntries, maxValue: this.limits.hashMaxListpackValue };
        if (n > lim.maxEntries) h.convertToHashtable();
        for (let i = 0; i < n; i++) {
          const f = this.readString();
          const v = this.readString();
          if (h.fields.has(f)) this.corrupt('Duplicate hash fields detected');
          h.set(f, v, lim);
        }
        return h;
      }
      case RdbType.LIST_QUICKLIST:
      case RdbType.LIST_QUICKLIST_2:
        return this.readQuicklist(type);
      case RdbType.HASH_ZIPMAP: {
        this.readBlob();
        const pairs = decodeZipmap(this.blobBuf, this.blobStart, this.blobEnd);
        if (pairs === null) this.corrupt('Zipmap integrity check failed.');
        const h = new HashValue();
        let maxlen = 0;
        for (let i = 0; i < pairs.length; i += 2) {
          if (h.fields.has(pairs[i])) this.corrupt(`Hash zipmap with dup elements, or big length (${pairs[i].length})`);
          h.fields.set(pairs[i], pairs[i + 1]);
          maxlen = Math.max(maxlen, pairs[i].length, pairs[i + 1].length);
        }
        if (h.size > this.limits.hashMaxListpackEntries || maxlen > this.limits.hashMaxListpackValue)
          h.convertToHashtable();
        return h;
      }
      case RdbType.LIST_ZIPLIST: {
        this.readBlob();
        const items = decodeZiplist(this.blobBuf, this.blobStart, this.blobEnd);
        if (items === null) this.corrupt('List ziplist integrity check failed.');
        if (items.length === 0) return EMPTY_KEY;
        return new ListValue(items);
      }
      case RdbType.SET_INTSET: {
        this.readBlob();
        const items = decodeIntset(this.blobBuf, this.blobStart, this.blobEnd);
        if (items === null) this.corrupt('Intset integrity check failed.');
        const s = new SetValue();
        for (const m of items) s.add(m, Infinity);
        if (s.size > this.limits.setMaxIntsetEntries) s.convertToHashtable();
        return s;
      }
      case RdbType.SET_LISTPACK: {
        this.readBlob();
        const items = decodeListpack(this.blobBuf, this.blobStart, this.blobEnd, true);
        if (items === null) this.corrupt('Set listpack integrity check failed.');
        if (items.length === 0) return EMPTY_KEY;
        const s = new SetValue();
        const max = this.limits.setMaxIntsetEntries;
        for (const m of items) if (!s.add(m, max)) this.corrupt('Set listpack integrity check failed.');
        return s;
      }
      case RdbType.ZSET_ZIPLIST:
      case RdbType.ZSET_LISTPACK: {
        this.readBlob();
        const zip = type === RdbType.ZSET_ZIPLIST;
        const what = zip ? 'Zset ziplist integrity check failed.' : 'Zset listpack integrity check failed.';
        const items = zip
          ? decodeZiplist(this.blobBuf, this.blobStart, this.blobEnd)
          : decodeListpack(this.blobBuf, this.blobStart, this.blobEnd, true);
        if (items === null || items.length % 2 !== 0) this.corrupt(what);
        if (items.length === 0) return EMPTY_KEY;
        const z = new ZSetValue();
        const unlimited = { maxEntries: Infinity, maxValue: Infinity };
        for (let i = 0; i < items.length; i += 2) {
          const score = parseScore(items[i + 1]);
          if (score === null || z.score(items[i]) !== undefined) this.corrupt(what);
          z.add(items[i], score, unlimited);
        }
        if (z.size > this.limits.zsetMaxListpackEntries) z.convertToSkiplist();
        return z;
      }
      case RdbType.HASH_ZIPLIST:
      case RdbType.HASH_LISTPACK: {
        this.readBlob();
        const zip = type === RdbType.HASH_ZIPLIST;
        const what = zip ? 'Hash ziplist integrity check failed.' : 'Hash listpack integrity check failed.';
        const items = zip
          ? decodeZiplist(this.blobBuf, this.blobStart, this.blobEnd)
          : decodeListpack(this.blobBuf, this.blobStart, this.blobEnd, true);
        if (items === null || items.length % 2 !== 0) this.corrupt(what);
        if (items.length === 0) return EMPTY_KEY;
        const h = new HashValue();
        for (let i = 0; i < items.length; i += 2) {
          if (h.fields.has(items[i])) this.corrupt(what);
          h.fields.set(items[i], items[i + 1]);
        }
        if (h.size > this.limits.hashMaxListpackEntries) h.convertToHashtable();
        return h;
      }
      case RdbType.HASH_LISTPACK_EX:
      case RdbType.HASH_LISTPACK_EX_PRE_GA: {
        if (type === RdbType.HASH_LISTPACK_EX) this.readMsTime(); // next field expiry, informative
        this.readBlob();
        const what = 'Hash listpack integrity check failed.';
        const items = decodeListpack(this.blobBuf, this.blobStart, this.blobEnd, false);
        if (items === null || items.length % 3 !== 0) this.corrupt(what);
        if (items.length === 0) return EMPTY_KEY;
        const h = new HashValue();
        const ttls = new Map<string, number>();
        for (let i = 0; i < items.length; i += 3) {
          const f = String(items[i]);
          const ttl = items[i + 2];
          if (h.fields.has(f) || typeof ttl === 'string' || ttl < 0 || ttl > HFE_MAX) this.corrupt(what);
          h.fields.set(f, String(items[i + 1]));
          if (ttl !== 0) ttls.set(f, Number(ttl));
        }
        if (h.size > this.limits.hashMaxListpackEntries) h.convertToHashtable();
        this.fieldExpires = ttls;
        return h;
      }
      case RdbType.HASH_METADATA:
      case RdbType.HASH_METADATA_PRE_GA: {
        const minExpire = type === RdbType.HASH_METADATA ? this.readMsTime() : 0;
        const n = this.readCount();
        if (n === 0) return EMPTY_KEY;
        const h = new HashValue();
        const lim = { maxEntries: this.limits.hashMaxListpackEntries, maxValue: this.limits.hashMaxListpackValue };
        if (n > lim.maxEntries) h.convertToHashtable();
        const ttls = new Map<string, number>();
        for (let i = 0; i < n; i++) {
          const ttl = this.readCount();
          const at = type === RdbType.HASH_METADATA ? (ttl !== 0 ? ttl + minExpire - 1 : 0) : ttl;
          if (at > HFE_MAX || at < 0) this.corrupt(`invalid expireAt time: ${at}`);
          const f = this.readString();
          const v = this.readString();
          if (h.fields.has(f)) this.corrupt('Duplicate hash fields detected');
          h.set(f, v, lim);
          if (at !== 0) ttls.set(f, at);
        }
        this.fieldExpires = ttls;
        return h;
      }
      case RdbType.STREAM_LISTPACKS:
      case RdbType.STREAM_LISTPACKS_2:
      case RdbType.STREAM_LISTPACKS_3:
        return this.readStream(type);
      case RdbType.MODULE_PRE_GA:
      case RdbType.MODULE_2: {
        const id = this.readLenBig();
        this.fail(
          'UNSUPPORTED',
          `The RDB file contains module data I can't load: no matching module type '${moduleTypeName(id)}'`,
        );
      }
      // eslint-disable-next-line no-fallthrough
      default:
        this.corrupt(`Unknown RDB encoding type ${type}`);
    }
  }

  private readQuicklist(type: number): ListValue | typeof EMPTY_KEY {
    const nodes = this.readCount();
    if (nodes === 0) return EMPTY_KEY;
    const items: string[] = [];
    for (let i = 0; i < nodes; i++) {
      let container = QUICKLIST_NODE_CONTAINER_PACKED;
      if (type === RdbType.LIST_QUICKLIST_2) {
        container = this.readCount();
        if (container !== QUICKLIST_NODE_CONTAINER_PACKED && container !== QUICKLIST_NODE_CONTAINER_PLAIN)
          this.corrupt('Quicklist integrity check failed.');
      }
      this.readBlob();
      if (this.blobEnd === this.blobStart) this.corrupt('Quicklist integrity check failed: empty node.');
      if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
        items.push(this.blobBuf.latin1Slice(this.blobStart, this.blobEnd));
        continue;
      }
      const node =
        type === RdbType.LIST_QUICKLIST_2
          ? decodeListpack(this.blobBuf, this.blobStart, this.blobEnd, true)
          : decodeZiplist(this.blobBuf, this.blobStart, this.blobEnd);
      if (node === null)
        this.corrupt(
          type === RdbType.LIST_QUICKLIST_2 ? 'Listpack integrity check failed.' : 'Ziplist integrity check failed.',
        );
      for (let j = 0; j < node.length; j++) items.push(node[j]);
    }
    if (items.length === 0) return EMPTY_KEY;
    return new ListValue(items);
  }

  /** Reads one object of a known type from a complete buffer (RESTORE). */
  static readSingleObject(
    payload: Buffer,
    opts: RdbReaderOptions,
  ): { value: RdbValue; rdbType: number; fieldExpires?: Map<string, number> } {
    const r = new RdbReader(opts);
    r.buf = payload;
    r.ended = true;
    r.state = 'body';
    try {
      const type = r.u8();
      if (!isObjectType(type)) r.corrupt(`Unknown RDB encoding type ${type}`);
      r.curType = type;
      const value = r.readObject(type);
      if (value === EMPTY_KEY) r.corrupt('Empty collection');
      const out: { value: RdbValue; rdbType: number; fieldExpires?: Map<string, number> } = {
        value: value as RdbValue,
        rdbType: type,
      };
      if (r.fieldExpires !== undefined) out.fieldExpires = r.fieldExpires;
      return out;
    } catch (e) {
      if (e instanceof RdbError) throw e;
      throw new RdbError('INTERNAL', `Internal error: ${e instanceof Error ? e.message : String(e)}`, r.pos);
    }
  }
}
