// Shared helpers for the RDB tests: a canonical, comparable form of a value both
// from the codec (RdbValue) and from a live server (read through ioredis with
// binary-safe Buffer replies), plus redis-check-rdb and real-server utilities.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { ListValue } from '../../src/keyspace/types/list.js';
import { HashValue } from '../../src/keyspace/types/hash.js';
import { SetValue } from '../../src/keyspace/types/set.js';
import { ZSetValue } from '../../src/keyspace/types/zset.js';
import type { RdbValue } from '../../src/persistence/rdb/reader.js';
import { streamIdToString, type StreamData } from '../../src/keyspace/types/stream-data.js';
import { startServer, type ServerProcess } from '../helpers/server.js';

export interface Canonical {
  type: string;
  /** OBJECT ENCODING (null for strings, whose int/embstr/raw we do not model). */
  encoding: string | null;
  data: unknown;
}

const sortStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function canonStream(s: StreamData) {
  return {
    length: s.length,
    lastId: streamIdToString(s.lastId),
    maxDeletedEntryId: streamIdToString(s.maxDeletedEntryId),
    entriesAdded: s.entriesAdded.toString(),
    firstId: streamIdToString(s.firstId),
    entries: s.entries.map((e) => [streamIdToString(e.id), e.fields]),
    groups: s.groups
      .map((g) => ({
        name: g.name,
        lastId: streamIdToString(g.lastId),
        entriesRead: g.entriesRead < 0n ? null : g.entriesRead.toString(),
        pending: g.pending.map((p) => [streamIdToString(p.id), p.consumer, p.deliveryTime, p.deliveryCount]),
        consumers: g.consumers
          .map((c) => ({ name: c.name, seenTime: c.seenTime, pending: c.pending.map(streamIdToString) }))
          .sort((a, b) => sortStr(a.name, b.name)),
      }))
      .sort((a, b) => sortStr(a.name, b.name)),
  };
}

/** Canonical form of a codec value. */
export function canonValue(v: RdbValue): Canonical {
  if (typeof v === 'string') return { type: 'string', encoding: null, data: v };
  if (v instanceof ListValue) return { type: 'list', encoding: v.encoding(), data: v.toArray() };
  if (v instanceof SetValue) return { type: 'set', encoding: v.encoding(), data: v.values().slice().sort(sortStr) };
  if (v instanceof HashValue)
    return { type: 'hash', encoding: v.encoding(), data: [...v.fields].sort((a, b) => sortStr(a[0], b[0])) };
  if (v instanceof ZSetValue)
    return { type: 'zset', encoding: v.encoding(), data: [...v.nodes()].map((n) => [n.member, n.score]) };
  return { type: 'stream', encoding: 'stream', data: canonStream(v) };
}

/** Buffers (nested) to latin1 strings. */
export function latin1(x: unknown): unknown {
  if (Buffer.isBuffer(x)) return x.toString('latin1');
  if (Array.isArray(x)) return x.map(latin1);
  return x;
}

async function call(c: Redis, ...args: (string | number)[]): Promise<unknown> {
  const [cmd, ...rest] = args;
  return latin1(
    await c.callBuffer(
      String(cmd),
      ...rest.map((a) => (typeof a === 'string' ? Buffer.from(a, 'latin1') : a)),
    ),
  );
}

function pairsToObject(arr: unknown[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let i = 0; i < arr.length; i += 2) o[arr[i] as string] = arr[i + 1];
  return o;
}

function parseScore(s: string): number {
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  return Number(s);
}

/** Canonical form of a key on a live server (null when missing). */
export async function canonFromServer(c: Redis, key: string): Promise<Canonical | null> {
  const type = (await call(c, 'TYPE', key)) as string;
  if (type === 'none') return null;
  const encoding = type === 'string' ? null : ((await call(c, 'OBJECT', 'ENCODING', key)) as string);
  switch (type) {
    case 'string':
      return { type, encoding, data: await call(c, 'GET', key) };
    case 'list':
      return { type, encoding, data: await call(c, 'LRANGE', key, 0, -1) };
    case 'set':
      return { type, encoding, data: ((await call(c, 'SMEMBERS', key)) as string[]).sort(sortStr) };
    case 'hash': {
      const flat = (await call(c, 'HGETALL', key)) as string[];
      const pairs: [string, string][] = [];
      for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i], flat[i + 1]]);
      return { type, encoding, data: pairs.sort((a, b) => sortStr(a[0], b[0])) };
    }
    case 'zset': {
      const flat = (await call(c, 'ZRANGE', key, 0, -1, 'WITHSCORES')) as string[];
      const out: [string, number][] = [];
      for (let i = 0; i < flat.length; i += 2) out.push([flat[i], parseScore(flat[i + 1])]);
      return { type, encoding, data: out };
    }
    case 'stream': {
      const info = pairsToObject((await call(c, 'XINFO', 'STREAM', key, 'FULL', 'COUNT', 0)) as unknown[]);
      const entries = (info.entries as [string, string[]][]).map(([id, f]) => [id, f]);
      const groups = (info.groups as unknown[][]).map((ga) => {
        const g = pairsToObject(ga);
        return {
          name: g.name as string,
          lastId: g['last-delivered-id'] as string,
          entriesRead: g['entries-read'] === null ? null : String(g['entries-read']),
          pending: (g.pending as [string, string, number, number][]).map(([id, consumer, t, n]) => [id, consumer, t, n]),
          consumers: (g.consumers as unknown[][])
            .map((ca) => {
              const cc = pairsToObject(ca);
              return {
                name: cc.name as string,
                seenTime: cc['seen-time'] as number,
                pending: (cc.pending as [string, number, number][]).map(([id]) => id),
              };
            })
            .sort((a, b) => sortStr(a.name, b.name)),
        };
      });
      return {
        type,
        encoding,
        data: {
          length: info.length as number,
          lastId: info['last-generated-id'] as string,
          maxDeletedEntryId: info['max-deleted-entry-id'] as string,
          entriesAdded: String(info['entries-added']),
          firstId: info['recorded-first-entry-id'] as string,
          entries,
          groups: groups.sort((a, b) => sortStr(a.name, b.name)),
        },
      };
    }
    default:
      throw new Error(`unexpected type ${type}`);
  }
}

/** Every key of the selected db with its canonical value and PEXPIRETIME. */
export async function dumpServerDb(c: Redis): Promise<Map<string, { value: Canonical; expireMs: number }>> {
  const out = new Map<string, { value: Canonical; expireMs: number }>();
  const keys = (await call(c, 'KEYS', '*')) as string[];
  for (const k of keys) {
    const value = await canonFromServer(c, k);
    if (value === null) continue;
    const expireMs = Number(await call(c, 'PEXPIRETIME', k));
    out.set(k, { value, expireMs });
  }
  return out;
}

export function redisCheckRdbPath(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v redis-check-rdb'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '' ? r.stdout.trim() : null;
}

/** Runs redis-check-rdb on a file; bounded. */
export function checkRdb(file: string): { ok: boolean; output: string } {
  const r = spawnSync(redisCheckRdbPath() ?? 'redis-check-rdb', [file], { encoding: 'utf8', timeout: 60_000 });
  const output = (r.stdout ?? '') + (r.stderr ?? '');
  return { ok: r.status === 0 && output.includes('RDB looks OK'), output };
}

/** Starts Debian's redis-server loading `file` (copied into a fresh dir). */
export async function startRealWithRdb(file: string, args: string[] = []): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'rdb-load-'));
  copyFileSync(file, join(dir, 'dump.rdb'));
  return startServer({ real: true, dir, args: ['--dbfilename', 'dump.rdb', ...args], timeoutMs: 60_000 });
}

/** A seeded PRNG (LCG) for reproducible random data. */
export function rng(seed: number): () => number {
  return () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 0x100000000;
  };
}

/** Hand-assembles RDB bytes for crafted test files. */
export class RawRdb {
  private parts: Buffer[] = [];

  static file(version: number): RawRdb {
    const r = new RawRdb();
    r.parts.push(Buffer.from(`REDIS${String(version).padStart(4, '0')}`, 'latin1'));
    return r;
  }

  byte(...bs: number[]): this {
    this.parts.push(Buffer.from(bs));
    return this;
  }

  raw(b: Buffer): this {
    this.parts.push(b);
    return this;
  }

  len(n: number | bigint): this {
    const v = BigInt(n);
    if (v < 64n) return this.byte(Number(v));
    if (v < 16384n) return this.byte(0x40 | Number(v >> 8n), Number(v & 0xffn));
    if (v <= 0xffffffffn) {
      const b = Buffer.alloc(5);
      b[0] = 0x80;
      b.writeUInt32BE(Number(v), 1);
      return this.raw(b);
    }
    const b = Buffer.alloc(9);
    b[0] = 0x81;
    b.writeBigUInt64BE(v, 1);
    return this.raw(b);
  }

  /** A plain (never int-encoded, never compressed) string. */
  str(s: string | Buffer): this {
    const b = typeof s === 'string' ? Buffer.from(s, 'latin1') : s;
    return this.len(b.length).raw(b);
  }

  ms(t: number): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(BigInt(t));
    return this.raw(b);
  }

  streamId(ms: number | bigint, seq: number | bigint): this {
    const b = Buffer.alloc(16);
    b.writeBigUInt64BE(BigInt(ms), 0);
    b.writeBigUInt64BE(BigInt(seq), 8);
    return this.raw(b);
  }

  /** EOF opcode and the CRC-64 of everything so far (or zero). */
  eof(crc: (b: Buffer) => bigint, checksum = true): Buffer {
    this.byte(0xff);
    const body = Buffer.concat(this.parts);
    const t = Buffer.alloc(8);
    if (checksum) t.writeBigUInt64LE(crc(body));
    return Buffer.concat([body, t]);
  }

  /** Bytes so far (for files without a trailer, version < 5, or DUMP bodies). */
  buffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}
