// Pub/Sub commands: SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE PUBLISH PUBSUB,
// and sharded Pub/Sub: SSUBSCRIBE SUNSUBSCRIBE SPUBLISH
// (pubsub.c). Delivery and subscription state live in server/pubsub.ts.

import { globMatch } from '../keyspace/glob.js';
import { replyHelp } from './args.js';
import type { Client } from '../server/client.js';
import type { CommandSpec } from './types.js';

/** SUBSCRIBE channel [channel ...] */
function subscribe(c: Client, argv: string[]): void {
  for (let i = 1; i < argv.length; i++) c.server.pubsub.subscribe(c, argv[i]);
}

/** UNSUBSCRIBE [channel ...] */
function unsubscribe(c: Client, argv: string[]): void {
  if (argv.length === 1) c.server.pubsub.unsubscribeAllChannels(c, true);
  else for (let i = 1; i < argv.length; i++) c.server.pubsub.unsubscribe(c, argv[i], true);
}

/** PSUBSCRIBE pattern [pattern ...] */
function psubscribe(c: Client, argv: string[]): void {
  for (let i = 1; i < argv.length; i++) c.server.pubsub.psubscribe(c, argv[i]);
}

/** PUNSUBSCRIBE [pattern ...] */
function punsubscribe(c: Client, argv: string[]): void {
  if (argv.length === 1) c.server.pubsub.punsubscribeAllPatterns(c, true);
  else for (let i = 1; i < argv.length; i++) c.server.pubsub.punsubscribe(c, argv[i], true);
}

/** PUBLISH channel message */
function publish(c: Client, argv: string[]): void {
  const n = c.server.pubsub.publish(argv[1], argv[2]);
  // Messages reach replicas' subscribers too (forceCommandPropagation).
  c.server.propagateAs = [argv];
  c.int(n);
}

/** SSUBSCRIBE shardchannel [shardchannel ...] */
function ssubscribe(c: Client, argv: string[]): void {
  if (c.denyBlocking) {
    // A client that expects one reply per command cannot subscribe (CLIENT_DENY_BLOCKING).
    c.error("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
    return;
  }
  for (let i = 1; i < argv.length; i++) c.server.pubsub.ssubscribe(c, argv[i]);
}

/** SUNSUBSCRIBE [shardchannel ...] */
function sunsubscribe(c: Client, argv: string[]): void {
  if (argv.length === 1) c.server.pubsub.sunsubscribeAll(c, true);
  else for (let i = 1; i < argv.length; i++) c.server.pubsub.sunsubscribe(c, argv[i], true);
}

/** SPUBLISH shardchannel message */
function spublish(c: Client, argv: string[]): void {
  const n = c.server.pubsub.spublish(argv[1], argv[2]);
  // Without cluster, replicas' subscribers get it too (forceCommandPropagation).
  c.server.propagateAs = [argv];
  c.int(n);
}

/** PUBSUB CHANNELS|SHARDCHANNELS [pattern]: the active channels of one kind. */
function listChannels(c: Client, argv: string[], channels: Map<string, Set<Client>>): void {
  const pattern = argv.length > 2 ? argv[2] : null;
  const out: string[] = [];
  for (const ch of channels.keys()) {
    if (pattern === null || globMatch(pattern, ch)) out.push(ch);
  }
  c.bulks(out);
}

/** PUBSUB NUMSUB|SHARDNUMSUB [channel ...]: a flat array even in RESP3, as Redis 7.0 replies. */
function countSubscribers(c: Client, argv: string[], channels: Map<string, Set<Client>>): void {
  c.arrayLen((argv.length - 2) * 2);
  for (let i = 2; i < argv.length; i++) {
    c.bulk(argv[i]);
    c.int(channels.get(argv[i])?.size ?? 0);
  }
}

/** PUBSUB CHANNELS [pattern] */
const pubsubChannels = (c: Client, argv: string[]) => listChannels(c, argv, c.server.pubsub.channels);
/** PUBSUB SHARDCHANNELS [pattern] */
const pubsubShardchannels = (c: Client, argv: string[]) => listChannels(c, argv, c.server.pubsub.shardChannels);
/** PUBSUB NUMSUB [channel ...] */
const pubsubNumsub = (c: Client, argv: string[]) => countSubscribers(c, argv, c.server.pubsub.channels);
/** PUBSUB SHARDNUMSUB [shardchannel ...] */
const pubsubShardnumsub = (c: Client, argv: string[]) => countSubscribers(c, argv, c.server.pubsub.shardChannels);

/** PUBSUB NUMPAT */
function pubsubNumpat(c: Client): void {
  c.int(c.server.pubsub.patterns.size);
}

const PUBSUB_HELP = [
  'PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  '    Return the currently active shard level channels matching a <pattern> (default: \'*\').',
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
  'HELP',
  '    Prints this help.',
];

export const pubsubCommands: CommandSpec[] = [
  { name: 'subscribe', arity: -2, flags: ['pubsub', 'noscript', 'loading', 'stale'], group: 'pubsub', handler: subscribe },
  { name: 'unsubscribe', arity: -1, flags: ['pubsub', 'noscript', 'loading', 'stale'], group: 'pubsub', handler: unsubscribe },
  { name: 'psubscribe', arity: -2, flags: ['pubsub', 'noscript', 'loading', 'stale'], group: 'pubsub', handler: psubscribe },
  { name: 'punsubscribe', arity: -1, flags: ['pubsub', 'noscript', 'loading', 'stale'], group: 'pubsub', handler: punsubscribe },
  { name: 'publish', arity: 3, flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'], group: 'pubsub', handler: publish },
  { name: 'ssubscribe', arity: -2, flags: ['pubsub', 'noscript', 'loading', 'stale'], keys: [1, -1, 1], channelKeys: true, group: 'pubsub', handler: ssubscribe },
  { name: 'sunsubscribe', arity: -1, flags: ['pubsub', 'noscript', 'loading', 'stale'], keys: [1, -1, 1], channelKeys: true, group: 'pubsub', handler: sunsubscribe },
  { name: 'spublish', arity: 3, flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'], keys: [1, 1, 1], channelKeys: true, group: 'pubsub', handler: spublish },
  {
    name: 'pubsub',
    arity: -2,
    flags: [],
    group: 'pubsub',
    subcommands: [
      { name: 'channels', arity: -2, flags: ['pubsub', 'loading', 'stale'], group: 'pubsub', handler: pubsubChannels },
      { name: 'numsub', arity: -2, flags: ['pubsub', 'loading', 'stale'], group: 'pubsub', handler: pubsubNumsub },
      { name: 'numpat', arity: 2, flags: ['pubsub', 'loading', 'stale'], group: 'pubsub', handler: pubsubNumpat },
      { name: 'shardchannels', arity: -2, flags: ['pubsub', 'loading', 'stale'], group: 'pubsub', handler: pubsubShardchannels },
      { name: 'shardnumsub', arity: -2, flags: ['pubsub', 'loading', 'stale'], group: 'pubsub', handler: pubsubShardnumsub },
      { name: 'help', arity: 2, flags: ['loading', 'stale'], group: 'pubsub', handler: (c) => replyHelp(c, PUBSUB_HELP) },
    ],
  },
];
