// XREAD and XREADGROUP (t_stream.c xreadCommand), blocking included: a waiter is
// re-run when a key it waits on is signalled, `$` resolved before blocking, and
// XREADGROUP waiters told when their stream or group goes away (GroupWaiters).
import { Errors } from '../protocol/errors.js';
import type { Client } from '../server/client.js';
import type { Blocking } from '../server/blocking.js';
import type { Database, KeyWatcher } from '../keyspace/database.js';
import { cstr, int64Arg, lookupTyped } from './args.js';
import { MAX_ID, StreamGroup, StreamValue, ZERO_ID, compareIds, idString, incrId, isMaxId, type StreamID } from '../keyspace/types/stream.js';
import {
  BLOCKED_DEFAULT_COUNT,
  MAX_TIMER_MS,
  eqi,
  parseId,
  countValue,
  fmt,
  type Item,
  writeItems,
  replyNullArray,
  scratch,
  deliver,
  deliverHistory,
  consumerFor,
} from './stream-common.js';

// ---- XREADGROUP waiters of a stream that goes away -------------------------------------


/**
 * Redis unblocks XREADGROUP waiters with an error as soon as their stream is deleted,
 * overwritten or flushed (a group cannot survive that), while XREAD waiters keep
 * waiting. Deletions do not signal blocked clients here, so each key with XREADGROUP
 * waiters carries a watcher (the WATCH hook every key change fires) that signals the
 * key; the re-run then finds the stream gone and ends every such waiter of the key.
 */
export class GroupWaiters implements KeyWatcher {
  readonly clients = new Set<Client>();

  constructor(
    private readonly db: Database,
    private readonly key: string,
    private readonly blocking: Blocking,
  ) {}

  /** Drops clients that stopped waiting (served, timed out, unblocked, gone). */
  private prune(): void {
    for (const c of this.clients) {
      const st = c.blocked;
      if (c.closed || st === null || st.db !== this.db || !st.keys.includes(this.key) || st.cmd.name !== 'xreadgroup') this.clients.delete(c);
    }
  }

  keyFlushed(): void {
    this.keyTouched();
  }

  keyTouched(): void {
    this.prune();
    if (this.clients.size === 0) {
      this.detach();
      return;
    }
    this.blocking.signalKeyAsReady(this.db, this.key);
  }

  /** Ends every XREADGROUP waiter of the key but `except` with Redis's error. */
  unblockAll(except: Client): void {
    this.prune();
    for (const c of this.clients) {
      if (c === except) continue;
      this.clients.delete(c);
      c.error(Errors.unblockedDeleted);
      this.blocking.unblock(c, false);
    }
    // `except` is being answered too (XREADGROUP) or is an XREAD waiter: nobody is left.
    this.clients.clear();
    this.detach();
  }

  detach(): void {
    const set = this.db.watched.get(this.key);
    if (set !== undefined) {
      set.delete(this);
      if (set.size === 0) this.db.watched.delete(this.key);
    }
    const perDb = groupWaiters.get(this.db);
    if (perDb !== undefined && perDb.get(this.key) === this) {
      perDb.delete(this.key);
      if (perDb.size === 0) groupWaiters.delete(this.db);
    }
  }
}

export const groupWaiters = new Map<Database, Map<string, GroupWaiters>>();

/** Registers a blocking XREADGROUP client on its keys. */
export function trackGroupWaiter(c: Client, keys: readonly string[]): void {
  const db = c.db;
  let perDb = groupWaiters.get(db);
  if (perDb === undefined) groupWaiters.set(db, (perDb = new Map()));
  for (const key of keys) {
    let w = perDb.get(key);
    if (w === undefined) {
      w = new GroupWaiters(db, key, c.server.blocking);
      perDb.set(key, w);
      let set = db.watched.get(key);
      if (set === undefined) db.watched.set(key, (set = new Set()));
      set.add(w);
    }
    w.clients.add(c);
  }
}

/** The key no longer holds a stream: every XREADGROUP waiter on it but `except` gets the error. */
export function unblockGroupWaiters(c: Client, key: string): void {
  groupWaiters.get(c.db)?.get(key)?.unblockAll(c);
}

// ---- XREAD / XREADGROUP --------------------------------------------------------------

/** xreadGetKeys: the keys after the first STREAMS option, half of what follows it. */
export function xreadGetKeys(argv: readonly string[]): number[] {
  let streamsPos = -1;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (eqi(a, 'block') || eqi(a, 'count')) i++;
    else if (eqi(a, 'group')) i += 2;
    else if (eqi(a, 'noack')) continue;
    else if (eqi(a, 'streams')) {
      streamsPos = i;
      break;
    } else break;
  }
  if (streamsPos < 0) return [];
  // The first half of what follows STREAMS, rounded down, as 7.0's key spec finds
  // them; an unbalanced list is refused by the command before it touches anything.
  const keys = Math.floor((argv.length - streamsPos - 1) / 2);
  const out: number[] = [];
  for (let i = streamsPos + 1; i <= streamsPos + keys; i++) out.push(i);
  return out;
}

export interface Served {
  key: string;
  items: Item[];
}

/**
 * XREAD [COUNT count] [BLOCK ms] STREAMS key [key ...] id [id ...]
 * XREADGROUP GROUP group consumer [COUNT count] [BLOCK ms] [NOACK] STREAMS key [key ...] id [id ...]
 */
export function xreadGeneric(c: Client, argv: string[], isGroup: boolean): void {
  const argc = argv.length;
  let block = false;
  let deadline = 0;
  let count = 0;
  let streamsArg = 0;
  let streamsCount = 0;
  let noack = false;
  let groupName: string | null = null;
  let consumerName = '';
  for (let i = 1; i < argc; i++) {
    const moreargs = argc - i - 1;
    const o = argv[i];
    if (moreargs > 0 && eqi(o, 'block')) {
      if (c.isScript) {
        // Redis refuses BLOCK from scripts outright rather than treating it as a timeout.
        c.error(`ERR ${argv[0]} command is not allowed with BLOCK option from scripts`);
        return;
      }
      i++;
      const t = int64Arg(c, argv[i], Errors.timeoutNotInteger);
      if (t === null) return;
      if (t < 0) {
        c.error(Errors.timeoutNegative);
        return;
      }
      block = true;
      // Beyond what a timer can hold (about 24.8 days) the wait is treated as endless;
      // Redis itself never times out once mstime() + timeout overflows.
      deadline = t === 0 || typeof t === 'bigint' || t > MAX_TIMER_MS ? 0 : Date.now() + t;
    } else if (moreargs > 0 && eqi(o, 'count')) {
      i++;
      const v = int64Arg(c, argv[i]);
      if (v === null) return;
      count = countValue(v);
    } else if (moreargs > 0 && eqi(o, 'streams')) {
      streamsArg = i + 1;
      streamsCount = argc - streamsArg;
      if (streamsCount % 2 !== 0) {
        c.error(Errors.unbalancedXreadListOfStreamsForEach);
        return;
      }
      streamsCount /= 2;
      break;
    } else if (moreargs >= 2 && eqi(o, 'group')) {
      if (!isGroup) {
        c.error(Errors.theGroupOptionIsOnlySupportedBy);
        return;
      }
      groupName = argv[i + 1];
      consumerName = argv[i + 2];
      i += 2;
    } else if (eqi(o, 'noack')) {
      if (!isGroup) {
        c.error(Errors.theNoackOptionIsOnlySupportedBy);
        return;
      }
      noack = true;
    } else {
      c.error(Errors.syntax);
      return;
    }
  }
  if (streamsArg === 0) {
    c.error(Errors.syntax);
    return;
  }
  if (isGroup && groupName === null) {
    c.error(Errors.missingGroupOptionForXreadgroup);
    return;
  }
  if (c.blocked !== null) {
    serveWaiter(c, argv, streamsArg, streamsCount, count, deadline, groupName, consumerName, noack);
    return;
  }

  const ids: StreamID[] = new Array(streamsCount);
  const groups: StreamGroup[] | null = groupName !== null ? new Array(streamsCount) : null;
  let dollar = false;
  for (let i = streamsArg + streamsCount; i < argc; i++) {
    const idIdx = i - streamsArg - streamsCount;
    const key = argv[i - streamsCount];
    const s = lookupTyped<StreamValue>(c, key, 'stream', true);
    if (s === null) return;
    if (groups !== null) {
      const g = s?.groups.get(groupName!);
      if (g === undefined) {
        c.error(`NOGROUP No such key '${fmt(key)}' or consumer group '${fmt(groupName!)}' in XREADGROUP with GROUP option`);
        return;
      }
      groups[idIdx] = g;
    }
    const a = cstr(argv[i]);
    if (a === '$') {
      if (isGroup) {
        c.error(
          'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
        );
        return;
      }
      ids[idIdx] = s !== undefined ? s.lastId : ZERO_ID;
      dollar = true;
      continue;
    } else if (a === '>') {
      if (!isGroup) {
        c.error(Errors.theIdCanBeSpecifiedOnlyWhen);
        return;
      }
      ids[idIdx] = MAX_ID;
      continue;
    }
    const id = parseId(c, argv[i], 0, true);
    if (id === null) return;
    ids[idIdx] = id;
  }

  // Serve synchronously what can be served.
  const effects: string[][] = [];
  let served: Served[] | null = null;
  for (let i = 0; i < streamsCount; i++) {
    const key = argv[streamsArg + i];
    const s = c.db.getRead(key) as StreamValue | undefined;
    if (s === undefined) continue;
    let gt = ids[i];
    let serve = false;
    let history = false;
    if (groups !== null) {
      if (!isMaxId(gt)) {
        serve = true;
        history = true;
      } else if (s.length > 0) {
        const last = groups[i].lastId;
        if (compareIds(s.lastValidId(), last) > 0) {
          serve = true;
          gt = last;
        }
      }
    } else if (s.length > 0 && compareIds(s.lastValidId(), gt) > 0) {
      serve = true;
    }
    if (!serve) continue;
    const start = incrId(gt);
    const items: Item[] = [];
    if (groups !== null) {
      const group = groups[i];
      const consumer = consumerFor(c, group, consumerName, key, groupName!, noack, effects);
      if (history) deliverHistory(s, start, count, consumer, items);
      else deliver(s, start, count, group, consumer, noack, key, groupName!, effects, items);
      c.server.dirty++;
    } else {
      scratch.length = 0;
      s.range(start, MAX_ID, count, false, scratch);
      for (let k = 0; k < scratch.length; k++) items.push(scratch[k]);
      scratch.length = 0;
    }
    (served ??= []).push({ key, items });
  }
  // The command itself never propagates: only the effects collected above do.
  if (isGroup) c.server.propagateAs = effects;

  if (served !== null) {
    if (c.resp === 2) c.arrayLen(served.length);
    else c.mapLen(served.length);
    for (const r of served) {
      if (c.resp === 2) c.arrayLen(2);
      c.bulk(r.key);
      writeItems(c, r.items);
    }
    return;
  }
  if (!block) {
    c.nullArray();
    return;
  }
  // Inside MULTI/EXEC a blocking command cannot block: it times out at once.
  if (c.denyBlocking) {
    c.nullArray();
    return;
  }
  let rerun: string[] | undefined;
  if (dollar) {
    // The re-run after a wake-up must read after the last ID as of now, not of then.
    rerun = argv.slice();
    for (let i = 0; i < streamsCount; i++) {
      const p = streamsArg + streamsCount + i;
      if (cstr(argv[p]) === '$') rerun[p] = idString(ids[i]);
    }
  }
  const keys = argv.slice(streamsArg, streamsArg + streamsCount);
  c.server.blocking.blockForKeys(c, keys, deadline, replyNullArray, rerun);
  if (isGroup) trackGroupWaiter(c, keys);
}

/**
 * The re-run of a waiter (serveClientsBlockedOnStreamKey): serves from the key that
 * became ready when it has entries past the waiter's ID, else keeps waiting.
 */
export function serveWaiter(
  c: Client,
  argv: string[],
  streamsArg: number,
  streamsCount: number,
  count: number,
  deadline: number,
  groupName: string | null,
  consumerName: string,
  noack: boolean,
): void {
  const ready = c.server.blocking.servingKey;
  for (let i = 0; i < streamsCount; i++) {
    const key = argv[streamsArg + i];
    if (ready !== null && key !== ready) continue;
    // Keys repeated in STREAMS wait with their first ID.
    let first = true;
    for (let k = 0; k < i; k++) if (argv[streamsArg + k] === key) first = false;
    if (!first) continue;
    const v = c.db.get(key);
    const s = v !== undefined && typeof v !== 'string' && v.type === 'stream' ? (v as StreamValue) : undefined;
    let group: StreamGroup | undefined;
    let gt: StreamID;
    if (s === undefined && ready !== null) {
      // The stream is gone: its XREADGROUP waiters end with an error, XREAD ones wait on.
      unblockGroupWaiters(c, key);
    }
    if (groupName !== null) {
      if (s === undefined) {
        if (ready === null) continue;
        c.error(Errors.unblockedDeleted);
        return;
      }
      group = s.groups.get(groupName);
      if (group === undefined) {
        c.error(Errors.theConsumerGroupThisClientWasBlocked);
        return;
      }
      gt = group.lastId;
    } else {
      if (s === undefined) continue;
      gt = parseId(null, argv[streamsArg + streamsCount + i], 0, true) ?? MAX_ID;
    }
    if (compareIds(s.lastId, gt) <= 0) continue;
    const start = incrId(gt);
    const effects: string[][] = [];
    const items: Item[] = [];
    const n = count !== 0 ? count : BLOCKED_DEFAULT_COUNT;
    if (group !== undefined) {
      const consumer = consumerFor(c, group, consumerName, key, groupName!, noack, effects);
      deliver(s, start, n, group, consumer, noack, key, groupName!, effects, items);
      c.server.propagateAs = effects;
    } else {
      scratch.length = 0;
      s.range(start, MAX_ID, n, false, scratch);
      for (let k = 0; k < scratch.length; k++) items.push(scratch[k]);
      scratch.length = 0;
    }
    if (c.resp === 2) {
      c.arrayLen(1);
      c.arrayLen(2);
    } else {
      c.mapLen(1);
    }
    c.bulk(key);
    writeItems(c, items);
    return;
  }
  c.server.blocking.blockForKeys(c, argv.slice(streamsArg, streamsArg + streamsCount), deadline, replyNullArray);
}

export function xread(c: Client, argv: string[]): void {
  xreadGeneric(c, argv, false);
}

export function xreadgroup(c: Client, argv: string[]): void {
  xreadGeneric(c, argv, true);
}
