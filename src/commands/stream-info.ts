// XINFO STREAM [FULL] / GROUPS / CONSUMERS / HELP (t_stream.c xinfoCommand), replies
// field for field as Redis 7.0 prints them.
import { Errors } from '../protocol/errors.js';
import type { Client } from '../server/client.js';
import { int64Arg, lookupTyped, replyHelp, subcommandSyntaxError } from './args.js';
import {
  INVALID_ENTRIES_READ,
  MAX_ID,
  StreamGroup,
  StreamValue,
  ZERO_ID,
  idString,
  type StreamNack,
} from '../keyspace/types/stream.js';
import { eqi, countValue, fmt, writeEntry, scratch } from './stream-common.js';

export const XINFO_HELP = [
  'XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
  'HELP',
  '    Prints this help.',
];

// ---- XINFO -------------------------------------------------------------------------

export function writeLag(c: Client, s: StreamValue, g: StreamGroup): void {
  const lag = s.groupLag(g);
  if (lag === null) c.nullBulk();
  else c.int(lag);
}

export function writeEntriesRead(c: Client, g: StreamGroup): void {
  if (g.entriesRead === INVALID_ENTRIES_READ) c.nullBulk();
  else c.int(g.entriesRead);
}

/** XINFO STREAM key [FULL [COUNT count]] */
/** XINFO STREAM FULL's pending lists: the group's names each entry's consumer, a consumer's does not. */
function writePel(c: Client, pel: readonly StreamNack[], count: number, withConsumer: boolean): void {
  const n = count === 0 ? pel.length : Math.min(count, pel.length);
  c.arrayLen(n);
  for (let i = 0; i < n; i++) {
    const nack = pel[i];
    c.arrayLen(withConsumer ? 4 : 3);
    c.bulk(nack.key);
    if (withConsumer) c.bulk(nack.consumer!.name);
    c.int(nack.deliveryTime);
    c.int(nack.deliveryCount);
  }
}

export function xinfoStream(c: Client, argv: string[], s: StreamValue): void {
  let full = true;
  let count = 10;
  const optc = argv.length - 3;
  if (optc === 0) {
    full = false;
  } else {
    if ((optc !== 1 && optc !== 3) || !eqi(argv[3], 'full')) {
      subcommandSyntaxError(c, argv);
      return;
    }
    if (optc === 3) {
      if (!eqi(argv[4], 'count')) {
        subcommandSyntaxError(c, argv);
        return;
      }
      const v = int64Arg(c, argv[5]);
      if (v === null) return;
      count = v < 0 ? 10 : countValue(v);
    }
  }
  c.mapLen(full ? 9 : 10);
  c.bulk('length');
  c.int(s.length);
  c.bulk('radix-tree-keys');
  c.int(s.nodes.length);
  c.bulk('radix-tree-nodes');
  c.int(s.raxNodeCount());
  c.bulk('last-generated-id');
  c.bulk(idString(s.lastId));
  c.bulk('max-deleted-entry-id');
  c.bulk(idString(s.maxDeletedId));
  c.bulk('entries-added');
  c.int(s.entriesAdded);
  c.bulk('recorded-first-entry-id');
  c.bulk(idString(s.firstId));
  if (!full) {
    c.bulk('groups');
    c.int(s.groups.size);
    const first = s.edgeLiveId(true);
    const last = s.edgeLiveId(false);
    c.bulk('first-entry');
    if (first === null) c.nullBulk();
    else writeEntry(c, first);
    c.bulk('last-entry');
    if (last === null) c.nullBulk();
    else writeEntry(c, last);
    return;
  }
  c.bulk('entries');
  scratch.length = 0;
  const entries = s.range(ZERO_ID, MAX_ID, count, false, scratch);
  c.arrayLen(entries.length);
  for (const e of entries) writeEntry(c, e);
  scratch.length = 0;
  c.bulk('groups');
  const groups = s.sortedGroups();
  c.arrayLen(groups.length);
  for (const g of groups) {
    c.mapLen(7);
    c.bulk('name');
    c.bulk(g.name);
    c.bulk('last-delivered-id');
    c.bulk(idString(g.lastId));
    c.bulk('entries-read');
    writeEntriesRead(c, g);
    c.bulk('lag');
    writeLag(c, s, g);
    c.bulk('pel-count');
    c.int(g.pel.size);
    c.bulk('pending');
    writePel(c, g.pel.items, count, true);
    c.bulk('consumers');
    const consumers = g.sortedConsumers();
    c.arrayLen(consumers.length);
    for (const cons of consumers) {
      c.mapLen(4);
      c.bulk('name');
      c.bulk(cons.name);
      c.bulk('seen-time');
      c.int(cons.seenTime);
      c.bulk('pel-count');
      c.int(cons.pel.size);
      c.bulk('pending');
      writePel(c, cons.pel.items, count, false);
    }
  }
}

/** XINFO CONSUMERS key group | GROUPS key | STREAM key [FULL [COUNT count]] | HELP */
export function xinfo(c: Client, argv: string[]): void {
  const opt = argv[1];
  if (eqi(opt, 'help')) {
    if (argv.length !== 2) {
      subcommandSyntaxError(c, argv);
      return;
    }
    replyHelp(c, XINFO_HELP);
    return;
  }
  if (argv.length < 3) {
    subcommandSyntaxError(c, argv);
    return;
  }
  const key = argv[2];
  const s = lookupTyped<StreamValue>(c, key, 'stream', true);
  if (s === null) return;
  if (s === undefined) {
    c.error(Errors.noKey);
    return;
  }
  if (eqi(opt, 'consumers') && argv.length === 4) {
    const g = s.groups.get(argv[3]);
    if (g === undefined) {
      c.error(`NOGROUP No such consumer group '${fmt(argv[3])}' for key name '${fmt(key)}'`);
      return;
    }
    const consumers = g.sortedConsumers();
    const now = Date.now();
    c.arrayLen(consumers.length);
    for (const cons of consumers) {
      const idle = now - cons.seenTime;
      c.mapLen(3);
      c.bulk('name');
      c.bulk(cons.name);
      c.bulk('pending');
      c.int(cons.pel.size);
      c.bulk('idle');
      c.int(idle < 0 ? 0 : idle);
    }
  } else if (eqi(opt, 'groups') && argv.length === 3) {
    const groups = s.sortedGroups();
    c.arrayLen(groups.length);
    for (const g of groups) {
      c.mapLen(6);
      c.bulk('name');
      c.bulk(g.name);
      c.bulk('consumers');
      c.int(g.consumers.size);
      c.bulk('pending');
      c.int(g.pel.size);
      c.bulk('last-delivered-id');
      c.bulk(idString(g.lastId));
      c.bulk('entries-read');
      writeEntriesRead(c, g);
      c.bulk('lag');
      writeLag(c, s, g);
    }
  } else if (eqi(opt, 'stream')) {
    xinfoStream(c, argv, s);
  } else {
    subcommandSyntaxError(c, argv);
  }
}
