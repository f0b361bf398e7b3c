// The commands that rebuild one key in an AOF base written without the RDB
// preamble (aof.c: rewriteAppendOnlyFileRio and rewriteList/Set/SortedSet/Hash/
// StreamObject). Pure: each command goes to `emit` as argv; the caller encodes
// it, emits SELECT per database and writes the function libraries first.

import type { Value } from '../../keyspace/database.js';
import type { HashValue } from '../../keyspace/types/hash.js';
import type { ListValue } from '../../keyspace/types/list.js';
import type { SetValue } from '../../keyspace/types/set.js';
import { idString, type StreamValue } from '../../keyspace/types/stream.js';
import type { ZSetValue } from '../../keyspace/types/zset.js';
import { formatDouble } from '../../util/number-format.js';

/** AOF_REWRITE_ITEMS_PER_CMD: elements (or pairs) per variadic command. */
export const AOF_REWRITE_ITEMS_PER_CMD = 64;

export type EmitCommand = (argv: string[]) => void;

/**
 * Emits the commands for `key`, then PEXPIREAT with the absolute expiry in ms
 * when it has one. Strings, like all arguments, are latin1.
 */
export function rewriteKey(key: string, value: Value, expireAtMs: number | null, emit: EmitCommand): void {
  if (typeof value === 'string') {
    emit(['SET', key, value]);
  } else {
    switch (value.type) {
      case 'list':
        rewriteList(key, value as ListValue, emit);
        break;
      case 'set':
        rewriteSet(key, value as SetValue, emit);
        break;
      case 'zset':
        rewriteSortedSet(key, value as ZSetValue, emit);
        break;
      case 'hash':
        rewriteHash(key, value as HashValue, emit);
        break;
      case 'stream':
        rewriteStream(key, value as StreamValue, emit);
        break;
      default:
        throw new Error(`AOF rewrite: unknown value type ${(value as { type: string }).type}`);
    }
  }
  if (expireAtMs !== null) emit(['PEXPIREAT', key, String(expireAtMs)]);
}

/**
 * Sends `items` (each one or more arguments) as `<name> <key> ...` commands of at
 * most AOF_REWRITE_ITEMS_PER_CMD items each, in iteration order.
 */
class Batcher {
  private argv: string[] | null = null;
  private count = 0;

  constructor(
    private readonly name: string,
    private readonly key: string,
    private readonly emit: EmitCommand,
  ) {}

  /** Starts a command if none is open; the caller then pushes one item's arguments. */
  open(): string[] {
    if (this.argv === null) this.argv = [this.name, this.key];
    return this.argv;
  }

  /** Ends the item just pushed, flushing a full command. */
  done(): void {
    if (++this.count === AOF_REWRITE_ITEMS_PER_CMD) this.flush();
  }

  flush(): void {
    if (this.argv !== null) this.emit(this.argv);
    this.argv = null;
    this.count = 0;
  }
}

/** RPUSH from head to tail. */
export function rewriteList(key: string, list: ListValue, emit: EmitCommand): void {
  const b = new Batcher('RPUSH', key, emit);
  for (const v of list.values()) {
    b.open().push(v);
    b.done();
  }
  b.flush();
}

/** SADD, in the set's iteration order (ascending for an intset). */
export function rewriteSet(key: string, set: SetValue, emit: EmitCommand): void {
  const b = new Batcher('SADD', key, emit);
  const members = set.isIntset ? set.values() : set.rawMembers();
  for (const m of members) {
    b.open().push(m);
    b.done();
  }
  b.flush();
}

/**
 * ZADD score member, ascending. Scores print as rioWriteBulkDouble prints them
 * (%.17g), which reads back to the same double.
 */
export function rewriteSortedSet(key: string, zset: ZSetValue, emit: EmitCommand): void {
  const b = new Batcher('ZADD', key, emit);
  for (const n of zset.nodes()) {
    b.open().push(formatDouble(n.score), n.member);
    b.done();
  }
  b.flush();
}

/** HMSET field value, in insertion order. */
export function rewriteHash(key: string, hash: HashValue, emit: EmitCommand): void {
  const b = new Batcher('HMSET', key, emit);
  for (const [f, v] of hash.fields) {
    b.open().push(f, v);
    b.done();
  }
  b.flush();
}

/**
 * rewriteStreamObject: XADD per live entry (an empty stream is made by an XADD
 * that MAXLEN 0 trims away at once), XSETID to restore the last ID and the
 * counters XDEL and trimming leave behind, then per group (in name order)
 * XGROUP CREATE with its read counter and, per consumer (in name order), one
 * XCLAIM ... JUSTID FORCE per pending entry, or XGROUP CREATECONSUMER when it
 * has none. 7.0 restores a pending entry's delivery time and count, not the
 * consumer's seen time.
 */
export function rewriteStream(key: string, s: StreamValue, emit: EmitCommand): void {
  if (s.length > 0) {
    for (const node of s.nodes) {
      for (const e of node.entries) {
        if (e.deleted) continue;
        const argv = ['XADD', key, e.id];
        for (const f of e.fields) argv.push(f);
        emit(argv);
      }
    }
  } else {
    emit(['XADD', key, 'MAXLEN', '0', '0-1', 'x', 'y']);
  }
  emit([
    'XSETID',
    key,
    idString(s.lastId),
    'ENTRIESADDED',
    String(s.entriesAdded),
    'MAXDELETEDID',
    idString(s.maxDeletedId),
  ]);
  for (const g of s.sortedGroups()) {
    emit(['XGROUP', 'CREATE', key, g.name, idString(g.lastId), 'ENTRIESREAD', String(g.entriesRead)]);
    for (const c of g.sortedConsumers()) {
      if (c.pel.size === 0) {
        emit(['XGROUP', 'CREATECONSUMER', key, g.name, c.name]);
        continue;
      }
      for (const n of c.pel.items) {
        emit([
          'XCLAIM',
          key,
          g.name,
          c.name,
          '0',
          n.key,
          'TIME',
          String(n.deliveryTime),
          'RETRYCOUNT',
          String(n.deliveryCount),
          'JUSTID',
          'FORCE',
        ]);
      }
    }
  }
}
