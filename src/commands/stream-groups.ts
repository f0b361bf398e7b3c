// Consumer-group commands (t_stream.c): XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM.
// XREADGROUP lives with XREAD in stream.ts; both share delivery from stream-common.ts.
import { Errors } from '../protocol/errors.js';
import { parseInt64, type Int64 } from '../util/int64.js';
import type { Client } from '../server/client.js';
import { notify, Notify } from '../server/keyspace-events.js';
import { cstr, int64Arg, lookupTyped, replyHelp, subcommandSyntaxError } from './args.js';
import {
  INVALID_ENTRIES_READ,
  MAX_ID,
  StreamGroup,
  StreamNack,
  StreamValue,
  ZERO_ID,
  cmpIds,
  compareIds,
  idString,
  incrU64,
  type StreamConsumer,
  type StreamEntry,
  type StreamID,
  type U64,
} from '../keyspace/types/stream.js';
import {
  eqi,
  parseId,
  parseStartBound,
  parseEndBound,
  countValue,
  fmt,
  writeEntry,
  xclaimEffect,
  setIdEffect,
  parseIds,
} from './stream-common.js';

// ---- XGROUP ------------------------------------------------------------------------

export const XGROUP_HELP = [
  'XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
  'HELP',
  '    Prints this help.',
];


/**
 * XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n] | SETID key group id|$ [ENTRIESREAD n]
 * | DESTROY key group | CREATECONSUMER key group consumer | DELCONSUMER key group consumer | HELP
 * (one handler for every subcommand, as xgroupCommand).
 */
export function xgroup(c: Client, argv: string[]): void {
  const argc = argv.length;
  const opt = argv[1];
  let s: StreamValue | undefined;
  let mkstream = false;
  let entriesRead: U64 = INVALID_ENTRIES_READ;
  let cg: StreamGroup | undefined;
  const isCreate = eqi(opt, 'create');
  const isSetid = eqi(opt, 'setid');
  if (argc >= 4) {
    let i = 5;
    while (i < argc) {
      if (isCreate && eqi(argv[i], 'mkstream')) {
        mkstream = true;
        i++;
      } else if ((isCreate || isSetid) && i + 1 < argc && eqi(argv[i], 'entriesread')) {
        const v = int64Arg(c, argv[i + 1]);
        if (v === null) return;
        if (v < 0 && v !== INVALID_ENTRIES_READ) {
          c.error(Errors.valueForEntriesreadMustBePositiveOr);
          return;
        }
        entriesRead = v;
        i += 2;
      } else {
        subcommandSyntaxError(c, argv);
        return;
      }
    }
    const found = lookupTyped<StreamValue>(c, argv[2], 'stream', false);
    if (found === null) return;
    s = found;
  }
  const grpname = argc >= 4 ? argv[3] : '';
  if (argc >= 4 && !mkstream) {
    if (s === undefined) {
      c.error(
        'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
      );
      return;
    }
    cg = s.groups.get(grpname);
    if (cg === undefined && (isSetid || eqi(opt, 'createconsumer') || eqi(opt, 'delconsumer'))) {
      c.error(`NOGROUP No such consumer group '${fmt(grpname)}' for key name '${fmt(argv[2])}'`);
      return;
    }
  }

  if (argc === 2 && eqi(opt, 'help')) {
    replyHelp(c, XGROUP_HELP);
  } else if (isCreate && argc >= 5 && argc <= 8) {
    let id: StreamID;
    if (cstr(argv[4]) === '$') {
      id = s !== undefined ? s.lastId : ZERO_ID;
    } else {
      const p = parseId(c, argv[4], 0, true);
      if (p === null) return;
      id = p;
    }
    if (s === undefined) {
      s = new StreamValue();
      c.db.add(argv[2], s);
    }
    if (s.groups.has(grpname)) {
      c.error(Errors.consumerGroupNameAlreadyExists);
      return;
    }
    s.groups.set(grpname, new StreamGroup(grpname, id, entriesRead));
    c.ok();
    c.server.dirty++;
    notify(c, Notify.stream, 'xgroup-create', argv[2]);
  } else if (isSetid && (argc === 5 || argc === 7)) {
    let id: StreamID;
    if (cstr(argv[4]) === '$') {
      id = s!.lastId;
    } else {
      const p = parseId(c, argv[4], 0, false);
      if (p === null) return;
      id = p;
    }
    cg!.lastId = id;
    cg!.entriesRead = entriesRead;
    c.ok();
    c.server.dirty++;
    notify(c, Notify.stream, 'xgroup-setid', argv[2]);
  } else if (eqi(opt, 'destroy') && argc === 4) {
    if (cg !== undefined) {
      s!.groups.delete(grpname);
      c.int(1);
      c.server.dirty++;
      notify(c, Notify.stream, 'xgroup-destroy', argv[2]);
      // Waiting XREADGROUP clients of this group get their NOGROUP error.
      c.server.blocking.signalKeyAsReady(c.db, argv[2]);
    } else {
      c.int(0);
    }
  } else if (eqi(opt, 'createconsumer') && argc === 5) {
    const created = cg!.createConsumer(argv[4], Date.now());
    if (created !== null) {
      c.server.dirty++;
      notify(c, Notify.stream, 'xgroup-createconsumer', argv[2]);
    }
    c.int(created !== null ? 1 : 0);
  } else if (eqi(opt, 'delconsumer') && argc === 5) {
    let pending = 0;
    const consumer = cg!.consumers.get(argv[4]);
    if (consumer !== undefined) {
      pending = consumer.pel.size;
      cg!.deleteConsumer(consumer);
      c.server.dirty++;
      notify(c, Notify.stream, 'xgroup-delconsumer', argv[2]);
    }
    c.int(pending);
  } else {
    subcommandSyntaxError(c, argv);
  }
}

// ---- XACK / XPENDING ---------------------------------------------------------------

/** The stream and group for commands needing both; undefined values mean missing, null = replied WRONGTYPE. */
export function streamForRead(c: Client, key: string): StreamValue | undefined | null {
  return lookupTyped<StreamValue>(c, key, 'stream', true);
}

/** XACK key group id [id ...] */
export function xack(c: Client, argv: string[]): void {
  const s = streamForRead(c, argv[1]);
  if (s === null) return;
  const group = s?.groups.get(argv[2]);
  if (group === undefined) {
    c.int(0);
    return;
  }
  const ids = parseIds(c, argv, 3);
  if (ids === null) return;
  let acked = 0;
  for (const id of ids) {
    const nack = group.pel.get(idString(id));
    if (nack === undefined) continue;
    group.pel.remove(nack);
    nack.consumer?.pel.remove(nack);
    acked++;
    c.server.dirty++;
  }
  c.int(acked);
}

/** XPENDING key group [[IDLE min-idle-time] start end count [consumer]] */
export function xpending(c: Client, argv: string[]): void {
  const argc = argv.length;
  const justinfo = argc === 3;
  if (argc !== 3 && (argc < 6 || argc > 9)) {
    c.error(Errors.syntax);
    return;
  }
  let start: StreamID = ZERO_ID;
  let end: StreamID = MAX_ID;
  let count = 0;
  let minidle: Int64 = 0;
  let consumerName: string | null = null;
  if (argc >= 6) {
    let startidx = 3;
    if (eqi(argv[3], 'idle')) {
      const v = int64Arg(c, argv[4]);
      if (v === null) return;
      minidle = v;
      if (argc < 8) {
        c.error(Errors.syntax);
        return;
      }
      startidx += 2;
    }
    const cnt = int64Arg(c, argv[startidx + 2]);
    if (cnt === null) return;
    count = countValue(cnt);
    const st = parseStartBound(c, argv[startidx]);
    if (st === null) return;
    start = st;
    const en = parseEndBound(c, argv[startidx + 1]);
    if (en === null) return;
    end = en;
    if (startidx + 3 < argc) consumerName = argv[startidx + 3];
  }
  const s = streamForRead(c, argv[1]);
  if (s === null) return;
  const group = s?.groups.get(argv[2]);
  if (group === undefined) {
    c.error(`NOGROUP No such key '${fmt(argv[1])}' or consumer group '${fmt(argv[2])}'`);
    return;
  }
  if (justinfo) {
    const pel = group.pel.items;
    c.arrayLen(4);
    c.int(pel.length);
    if (pel.length === 0) {
      c.nullBulk();
      c.nullBulk();
      c.nullArray();
      return;
    }
    c.bulk(pel[0].key);
    c.bulk(pel[pel.length - 1].key);
    const owners = group.sortedConsumers().filter((x) => x.pel.size > 0);
    c.arrayLen(owners.length);
    for (const o of owners) {
      c.arrayLen(2);
      c.bulk(o.name);
      c.bulkInt(o.pel.size);
    }
    return;
  }
  let pelIdx = group.pel;
  if (consumerName !== null) {
    const consumer = group.consumers.get(consumerName);
    if (consumer === undefined) {
      c.arrayLen(0);
      return;
    }
    pelIdx = consumer.pel;
  }
  const now = Date.now();
  const items = pelIdx.items;
  const out: StreamNack[] = [];
  for (let i = pelIdx.lowerBound(start.ms, start.seq); count > 0 && i < items.length; i++) {
    const n = items[i];
    if (cmpIds(n.ms, n.seq, end.ms, end.seq) > 0) break;
    if (minidle !== 0 && now - n.deliveryTime < minidle) continue;
    out.push(n);
    count--;
  }
  c.arrayLen(out.length);
  for (const n of out) {
    c.arrayLen(4);
    c.bulk(n.key);
    c.bulk(n.consumer!.name);
    const elapsed = now - n.deliveryTime;
    c.int(elapsed < 0 ? 0 : elapsed);
    c.int(n.deliveryCount);
  }
}

// ---- XCLAIM / XAUTOCLAIM -------------------------------------------------------------

/** streamLookupConsumer(SLC_DEFAULT) or streamCreateConsumer, for claims. */
export function claimer(c: Client, group: StreamGroup, name: string, key: string, now: number): StreamConsumer {
  const found = group.consumers.get(name);
  if (found !== undefined) {
    found.seenTime = now;
    return found;
  }
  const created = group.createConsumer(name, now)!;
  c.server.dirty++;
  notify(c, Notify.stream, 'xgroup-createconsumer', key);
  return created;
}

/** Gives a NACK to `consumer` (moving it out of its previous owner's PEL). */
export function transfer(nack: StreamNack, consumer: StreamConsumer): void {
  if (nack.consumer === consumer) return;
  nack.consumer?.pel.remove(nack);
  consumer.pel.insert(nack);
  nack.consumer = consumer;
}

/**
 * XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-ms]
 *        [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]
 */
export function xclaim(c: Client, argv: string[]): void {
  const argc = argv.length;
  const key = argv[1];
  const s = streamForRead(c, key);
  if (s === null) return;
  const group = s?.groups.get(argv[2]);
  if (s === undefined || group === undefined) {
    c.error(`NOGROUP No such key '${fmt(key)}' or consumer group '${fmt(argv[2])}'`);
    return;
  }
  const mi = int64Arg(c, argv[4], 'ERR Invalid min-idle-time argument for XCLAIM');
  if (mi === null) return;
  const minidle = mi < 0 ? 0 : mi;
  // IDs first; the first argument that is not an ID starts the options.
  const ids: StreamID[] = [];
  let j = 5;
  for (; j < argc; j++) {
    const id = parseId(null, argv[j], 0, true);
    if (id === null) break;
    ids.push(id);
  }
  const now = Date.now();
  let force = false;
  let justid = false;
  let deliveryTime: number | null = null;
  let retrycount: Int64 = -1;
  let lastId: StreamID = ZERO_ID;
  for (; j < argc; j++) {
    const moreargs = argc - 1 - j;
    const opt = argv[j];
    if (eqi(opt, 'force')) {
      force = true;
    } else if (eqi(opt, 'justid')) {
      justid = true;
    } else if (moreargs > 0 && eqi(opt, 'idle')) {
      j++;
      const v = int64Arg(c, argv[j], 'ERR Invalid IDLE option argument for XCLAIM');
      if (v === null) return;
      deliveryTime = now - Number(v);
    } else if (moreargs > 0 && eqi(opt, 'time')) {
      j++;
      const v = int64Arg(c, argv[j], 'ERR Invalid TIME option argument for XCLAIM');
      if (v === null) return;
      deliveryTime = Number(v);
    } else if (moreargs > 0 && eqi(opt, 'retrycount')) {
      j++;
      const v = int64Arg(c, argv[j], 'ERR Invalid RETRYCOUNT option argument for XCLAIM');
      if (v === null) return;
      retrycount = v;
    } else if (moreargs > 0 && eqi(opt, 'lastid')) {
      j++;
      const id = parseId(c, argv[j], 0, true);
      if (id === null) return;
      lastId = id;
    } else {
      c.error(`ERR Unrecognized XCLAIM option '${fmt(opt)}'`);
      return;
    }
  }
  const effects: string[][] = [];
  let propagateLastId = false;
  if (compareIds(lastId, group.lastId) > 0) {
    group.lastId = lastId;
    propagateLastId = true;
  }
  // A bogus delivery time (future, negative) means now.
  if (deliveryTime === null || deliveryTime < 0 || deliveryTime > now) deliveryTime = now;

  let consumer: StreamConsumer | null = null;
  const claimed: (StreamEntry | string)[] = [];
  const name = argv[3];
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k];
    const idArg = argv[5 + k];
    const idKey = idString(id);
    let nack = group.pel.get(idKey);
    const entry = s.get(id.ms, id.seq);
    if (entry === undefined) {
      // The entry is gone: drop its NACK, and tell replicas so.
      if (nack !== undefined) {
        effects.push(xclaimEffect(key, group, argv[2], idArg, nack));
        propagateLastId = false;
        c.server.dirty++;
        group.pel.remove(nack);
        nack.consumer?.pel.remove(nack);
      }
      continue;
    }
    if (force && nack === undefined) {
      nack = new StreamNack(id.ms, id.seq, now, 1, null);
      group.pel.insert(nack);
    }
    if (nack === undefined) continue;
    if (nack.consumer !== null && minidle !== 0 && now - nack.deliveryTime < minidle) continue;
    if (consumer === null) consumer = claimer(c, group, name, key, now);
    if (nack.consumer !== consumer) nack.consumer?.pel.remove(nack);
    nack.deliveryTime = deliveryTime;
    if (retrycount >= 0) nack.deliveryCount = retrycount;
    else if (!justid) nack.deliveryCount = incrU64(nack.deliveryCount);
    if (nack.consumer !== consumer) {
      consumer.pel.insert(nack);
      nack.consumer = consumer;
    }
    claimed.push(justid ? idKey : entry);
    effects.push(xclaimEffect(key, group, argv[2], idArg, nack));
    propagateLastId = false;
    c.server.dirty++;
  }
  if (propagateLastId) {
    effects.push(setIdEffect(key, group, argv[2]));
    c.server.dirty++;
  }
  c.server.propagateAs = effects;
  c.arrayLen(claimed.length);
  for (const it of claimed) {
    if (typeof it === 'string') c.bulk(it);
    else writeEntry(c, it);
  }
}

/** XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID] */
export function xautoclaim(c: Client, argv: string[]): void {
  const argc = argv.length;
  const key = argv[1];
  const mi = int64Arg(c, argv[4], 'ERR Invalid min-idle-time argument for XAUTOCLAIM');
  if (mi === null) return;
  const minidle = mi < 0 ? 0 : mi;
  const start = parseStartBound(c, argv[5]);
  if (start === null) return;
  let count = 100;
  let justid = false;
  for (let j = 6; j < argc; j++) {
    const moreargs = argc - 1 - j;
    const opt = argv[j];
    if (moreargs > 0 && eqi(opt, 'count')) {
      // LONG_MAX / max(sizeof(streamID), attempts factor 10).
      const v = parseInt64(argv[j + 1]);
      if (v === null || v < 1 || v > 576460752303423487n) {
        c.error(Errors.countMustBe0);
        return;
      }
      count = Number(v);
      j++;
    } else if (eqi(opt, 'justid')) {
      justid = true;
    } else {
      c.error(Errors.syntax);
      return;
    }
  }
  const s = streamForRead(c, key);
  if (s === null) return;
  const group = s?.groups.get(argv[2]);
  if (s === undefined || group === undefined) {
    c.error(`NOGROUP No such key '${fmt(key)}' or consumer group '${fmt(argv[2])}'`);
    return;
  }
  if (count > 2 ** 43) {
    // ztrymalloc(count * sizeof(streamID)) fails past the address space.
    c.error(Errors.insufficientMemoryFailedAllocatingTransientMemoryCount);
    return;
  }
  const effects: string[][] = [];
  const claimed: (StreamEntry | string)[] = [];
  const deletedIds: string[] = [];
  let attempts = count * 10;
  const now = Date.now();
  const name = argv[3];
  let consumer: StreamConsumer | null = null;
  const pel = group.pel;
  let i = pel.lowerBound(start.ms, start.seq);
  while (attempts-- > 0 && count > 0 && i < pel.items.length) {
    const nack = pel.items[i];
    const entry = s.get(nack.ms, nack.seq);
    if (entry === undefined) {
      effects.push(xclaimEffect(key, group, argv[2], nack.key, nack));
      c.server.dirty++;
      pel.remove(nack);
      nack.consumer?.pel.remove(nack);
      deletedIds.push(nack.key);
      count--;
      continue;
    }
    i++;
    if (minidle !== 0 && now - nack.deliveryTime < minidle) continue;
    if (consumer === null) consumer = claimer(c, group, name, key, now);
    nack.deliveryTime = now;
    if (!justid) nack.deliveryCount = incrU64(nack.deliveryCount);
    transfer(nack, consumer);
    claimed.push(justid ? nack.key : entry);
    count--;
    effects.push(xclaimEffect(key, group, argv[2], nack.key, nack));
    c.server.dirty++;
  }
  c.server.propagateAs = effects;
  c.arrayLen(3);
  c.bulk(i < pel.items.length ? pel.items[i].key : '0-0');
  c.arrayLen(claimed.length);
  for (const it of claimed) {
    if (typeof it === 'string') c.bulk(it);
    else writeEntry(c, it);
  }
  c.arrayLen(deletedIds.length);
  for (const d of deletedIds) c.bulk(d);
}
