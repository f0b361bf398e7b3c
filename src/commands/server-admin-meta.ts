// What COMMAND INFO / COMMAND DOCS / COMMAND GETKEYS report about a command
// beyond its CommandSpec (server.c's addReplyCommandInfo and friends): ACL
// categories, tips, key specs and docs. Categories follow Redis's rule (flags
// imply categories, the data-type group adds its own); tips, the few explicit
// categories and the docs of commands redis-ts implements are tables here.
// Key specs come from Redis's table in key-specs.ts, else from the key range.

import { KEY_SPECS } from './key-specs.js';
import type { BeginSearch, FindKeys, KeySpec } from './key-specs.js';
import type { Command, CommandGroup } from './types.js';

export type { BeginSearch, FindKeys, KeySpec } from './key-specs.js';

/** ACL categories in Redis's table order: replies list them in this order. */
export const ACL_CATEGORIES = [
  'keyspace',
  'read',
  'write',
  'set',
  'sortedset',
  'list',
  'hash',
  'string',
  'bitmap',
  'hyperloglog',
  'geo',
  'stream',
  'pubsub',
  'admin',
  'fast',
  'slow',
  'blocking',
  'dangerous',
  'connection',
  'transaction',
  'scripting',
] as const;
export type AclCategory = (typeof ACL_CATEGORIES)[number];

/** The category a command of each group declares, when its group gives it one. */
const GROUP_CATEGORY: Record<CommandGroup, AclCategory | null> = {
  keyspace: 'keyspace',
  string: 'string',
  bitmap: 'bitmap',
  list: 'list',
  set: 'set',
  sortedset: 'sortedset',
  hash: 'hash',
  stream: 'stream',
  hyperloglog: 'hyperloglog',
  geo: 'geo',
  // Pub/Sub commands get @pubsub from their pubsub flag, not from their group.
  pubsub: null,
  transactions: 'transaction',
  connection: 'connection',
  server: null,
  scripting: 'scripting',
  cluster: null,
};

/** Commands whose declared categories are not just their group's (full replacement). */
const DECLARED_CATEGORIES: Record<string, readonly AclCategory[]> = {
  info: ['dangerous'],
  lastsave: ['admin', 'dangerous'],
  role: ['admin', 'dangerous'],
  keys: ['keyspace', 'dangerous'],
  migrate: ['keyspace', 'dangerous'],
  restore: ['keyspace', 'dangerous'],
  'restore-asking': ['keyspace', 'dangerous'],
  flushall: ['keyspace', 'dangerous'],
  flushdb: ['keyspace', 'dangerous'],
  swapdb: ['keyspace', 'dangerous'],
  dbsize: ['keyspace'],
  sort: ['set', 'sortedset', 'list', 'dangerous'],
  sort_ro: ['set', 'sortedset', 'list', 'dangerous'],
  wait: ['connection'],
  asking: ['connection'],
  readonly: ['connection'],
  readwrite: ['connection'],
  command: ['connection'],
  'command|count': ['connection'],
  'command|docs': ['connection'],
  'command|getkeys': ['connection'],
  'command|getkeysandflags': ['connection'],
  'command|help': ['connection'],
  'command|info': ['connection'],
  'command|list': ['connection'],
};

/** setImplicitACLCategories: declared categories plus those the flags imply, in table order. */
export function aclCategories(cmd: Command): AclCategory[] {
  const cats = new Set<AclCategory>();
  const declared = DECLARED_CATEGORIES[cmd.fullName];
  if (declared !== undefined) for (const c of declared) cats.add(c);
  else if (cmd.subcommands === null) {
    // Containers declare nothing; their subcommands carry the group's category.
    const g = GROUP_CATEGORY[cmd.spec.group];
    if (g !== null) cats.add(g);
  }
  if (cmd.write) cats.add('write');
  if (cmd.readonly && !cats.has('scripting')) cats.add('read');
  if (cmd.admin) {
    cats.add('admin');
    cats.add('dangerous');
  }
  if (cmd.pubsub) cats.add('pubsub');
  if (cmd.fast) cats.add('fast');
  if (cmd.blocking) cats.add('blocking');
  if (!cats.has('fast')) cats.add('slow');
  return ACL_CATEGORIES.filter((c) => cats.has(c));
}

/** The category named (case-insensitively), or null. */
export function aclCategoryByName(name: string): AclCategory | null {
  const n = name.toLowerCase();
  return (ACL_CATEGORIES as readonly string[]).includes(n) ? (n as AclCategory) : null;
}

/** Command tips (Redis 7.0's command_tips), by full name. */
const TIPS_TABLE: readonly [readonly string[], string][] = [
  [
    ['nondeterministic_output'],
    'client|info client|list cluster|bumpepoch cluster|count-failure-reports cluster|getkeysinslot cluster|info cluster|links ' +
      'cluster|nodes cluster|replicas cluster|shards cluster|slaves cluster|slots dump hrandfield hscan lastsave migrate ' +
      'object|encoding object|freq object|idletime object|refcount pttl spop srandmember sscan time ttl xadd xautoclaim xclaim ' +
      'xinfo|consumers xpending xtrim zrandmember zscan',
  ],
  [['nondeterministic_output_order'], 'command|docs command|info command|list command function|list hgetall hkeys hvals module|list sdiff sinter smembers sunion'],
  [['request_policy:all_nodes', 'response_policy:all_succeeded'], 'config|set latency|reset script|flush script|load slowlog|reset'],
  [['request_policy:all_shards', 'response_policy:agg_sum'], 'dbsize'],
  [['request_policy:multi_shard', 'response_policy:agg_sum'], 'del exists touch unlink'],
  [
    ['request_policy:all_shards', 'response_policy:all_succeeded'],
    'flushall flushdb function|delete function|flush function|load function|restore memory|purge ping',
  ],
  [['request_policy:all_shards', 'response_policy:one_succeeded'], 'function|kill script|kill'],
  [['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'], 'function|stats info memory|doctor memory|malloc-stats memory|stats'],
  [['request_policy:all_shards', 'nondeterministic_output_order'], 'keys'],
  [['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'], 'latency|doctor latency|graph latency|histogram latency|history latency|latest'],
  [['request_policy:multi_shard'], 'mget'],
  [['request_policy:multi_shard', 'response_policy:all_succeeded'], 'mset'],
  [['request_policy:multi_shard', 'response_policy:agg_min'], 'msetnx'],
  [['request_policy:all_shards', 'nondeterministic_output'], 'randomkey'],
  [['nondeterministic_output', 'request_policy:special'], 'scan'],
  [['request_policy:all_shards', 'response_policy:agg_logical_and'], 'script|exists'],
  [['request_policy:all_nodes', 'nondeterministic_output'], 'slowlog|get'],
  [['request_policy:all_nodes', 'response_policy:agg_sum', 'nondeterministic_output'], 'slowlog|len'],
  [['request_policy:all_shards', 'response_policy:agg_min'], 'wait'],
];

const TIPS = new Map<string, readonly string[]>();
for (const [tips, names] of TIPS_TABLE) for (const n of names.split(' ')) TIPS.set(n, tips);

const NO_TIPS: readonly string[] = [];

export function commandTips(cmd: Command): readonly string[] {
  return TIPS.get(cmd.fullName) ?? NO_TIPS;
}

/**
 * The command's key specs: Redis's, from KEY_SPECS, for the commands where they
 * differ from this derivation; otherwise one spec from the key range (read-only
 * commands RO+access, writes RW+update, others RO), or an unknown/unknown spec for a
 * command that finds its keys with code (getKeys).
 */
export function keySpecs(cmd: Command): readonly KeySpec[] {
  const declared = KEY_SPECS[cmd.fullName];
  if (declared !== undefined) return declared;
  const spec = cmd.spec;
  const flags = cmd.write ? ['RW', 'update'] : cmd.readonly ? ['RO', 'access'] : ['RO'];
  if (spec.keys !== undefined) {
    const [first, last, step] = spec.keys;
    return [
      {
        flags,
        beginSearch: { type: 'index', index: first },
        findKeys: { type: 'range', lastkey: last < 0 ? last : last - first, keystep: step, limit: 0 },
      },
    ];
  }
  if (spec.getKeys !== undefined) return [{ flags, beginSearch: { type: 'unknown' }, findKeys: { type: 'unknown' } }];
  return [];
}

/** The fields of a begin_search or find_keys "spec" map, in the order COMMAND INFO lists them. */
export function keySpecFields(part: BeginSearch | FindKeys): readonly (readonly [string, number | string])[] {
  switch (part.type) {
    case 'index':
      return [['index', part.index]];
    case 'keyword':
      return [
        ['keyword', part.keyword],
        ['startfrom', part.startfrom],
      ];
    case 'range':
      return [
        ['lastkey', part.lastkey],
        ['keystep', part.keystep],
        ['limit', part.limit],
      ];
    case 'keynum':
      return [
        ['keynumidx', part.keynumidx],
        ['firstkey', part.firstkey],
        ['keystep', part.keystep],
      ];
    case 'unknown':
      return [];
  }
}

/**
 * getKeysUsingKeySpecs (db.c) reduced to what GETKEYSANDFLAGS needs: the argument
 * indexes each spec locates, with that spec's flags (the first spec to find an
 * index wins). Unknown specs, and keynum specs whose count is not a non-negative
 * integer, locate nothing.
 */
function keySpecFlagsByIndex(specs: readonly KeySpec[], argv: readonly string[]): Map<number, readonly string[]> {
  const argc = argv.length;
  const out = new Map<number, readonly string[]>();
  for (const ks of specs) {
    let first = 0;
    const bs = ks.beginSearch;
    if (bs.type === 'index') first = bs.index;
    else if (bs.type === 'keyword') {
      // Forwards from startfrom to the one-before-last argument, or backwards from argc+startfrom.
      const start = bs.startfrom > 0 ? bs.startfrom : argc + bs.startfrom;
      const end = bs.startfrom > 0 ? argc - 1 : 0;
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (argv[i].toLowerCase() === bs.keyword.toLowerCase()) {
          first = i + 1;
          break;
        }
      }
      if (first === 0) continue;
    } else continue;
    let last: number;
    let step: number;
    const fk = ks.findKeys;
    if (fk.type === 'range') {
      step = fk.keystep;
      if (fk.lastkey >= 0) last = first + fk.lastkey;
      else if (fk.limit === 0) last = argc + fk.lastkey;
      else last = first + (Math.floor((argc - first) / fk.limit) + fk.lastkey);
    } else if (fk.type === 'keynum') {
      if (first + fk.keynumidx >= argc) continue;
      const n = argv[first + fk.keynumidx];
      if (!/^(0|[1-9][0-9]*)$/.test(n)) continue;
      first += fk.keynumidx + fk.firstkey;
      step = fk.keystep;
      last = first + (Number(n) - 1) * step;
    } else continue;
    for (let i = first; i <= last && i < argc; i += step) if (!out.has(i)) out.set(i, ks.flags);
  }
  return out;
}

/** Whether COMMAND GETKEYS can answer for it (doesCommandHaveKeys). */
export function hasKeys(cmd: Command): boolean {
  // Key specs of channels (not_key) do not count, as in Redis.
  return cmd.spec.getKeys !== undefined || (cmd.spec.keys !== undefined && cmd.spec.channelKeys !== true);
}

/** The flags Redis's setGetKeys and bitfieldGetKeys give a variable_flags key, from the arguments. */
function variableKeyFlags(cmd: Command, argv: readonly string[]): readonly string[] | null {
  const has = (...words: string[]) => argv.some((a, i) => i >= 2 && words.includes(a.toLowerCase()));
  if (cmd.fullName === 'set') return has('get') ? ['RW', 'access', 'update'] : ['OW', 'update'];
  if (cmd.fullName === 'bitfield') return has('set', 'incrby') ? ['RW', 'access', 'update'] : ['RO', 'access'];
  return null;
}

/**
 * The key flags COMMAND GETKEYSANDFLAGS gives each of the keys at `keys`: those of
 * the key spec that locates it, or those variableKeyFlags works out. A key no spec
 * locates (SORT's STORE destination) takes the last spec's flags, as sortGetKeys
 * gives it.
 */
export function keyFlags(cmd: Command, argv: readonly string[], keys: readonly number[]): (readonly string[])[] {
  const variable = variableKeyFlags(cmd, argv);
  if (variable !== null) return keys.map(() => variable);
  const specs = keySpecs(cmd);
  if (specs.length === 0) return keys.map(() => []);
  const located = keySpecFlagsByIndex(specs, argv);
  const fallback = specs[specs.length - 1].flags;
  return keys.map((i) => (located.get(i) ?? fallback).filter((f) => f !== 'variable_flags'));
}

/** Command flags in the order COMMAND INFO lists them (hidden flags omitted). */
export function commandFlags(cmd: Command): string[] {
  const f = new Set<string>(cmd.spec.flags);
  const out: string[] = [];
  const order = [
    'write',
    'readonly',
    'denyoom',
    'module',
    'admin',
    'pubsub',
    'noscript',
    'blocking',
    'loading',
    'stale',
    'skip_monitor',
    'skip_slowlog',
    'asking',
    'fast',
    'no_auth',
    'no_mandatory_keys',
    'no_async_loading',
    'no_multi',
    'movablekeys',
    'allow_busy',
  ];
  if (cmd.spec.getKeys !== undefined) f.add('movablekeys');
  for (const name of order) if (f.has(name)) out.push(name);
  return out;
}

/** COMMAND INFO's first/last/step: the legacy key range, 0 0 0 without one. */
export function legacyKeyRange(cmd: Command): [number, number, number] {
  const k = cmd.spec.keys;
  return k === undefined ? [0, 0, 0] : [k[0], k[1], k[2]];
}

export interface CommandDoc {
  summary?: string;
  since?: string;
  group: string;
  complexity?: string;
}

/** The docs group names of COMMAND DOCS. */
const DOC_GROUP: Record<CommandGroup, string> = {
  keyspace: 'generic',
  string: 'string',
  bitmap: 'bitmap',
  list: 'list',
  set: 'set',
  sortedset: 'sorted-set',
  hash: 'hash',
  stream: 'stream',
  hyperloglog: 'hyperloglog',
  geo: 'geo',
  pubsub: 'pubsub',
  transactions: 'transactions',
  connection: 'connection',
  server: 'server',
  scripting: 'scripting',
  cluster: 'cluster',
};

const O1 = 'O(1)';
const HELP = 'Show helpful text about the different subcommands';
const CONTAINER = 'Depends on subcommand.';

/**
 * Summary, since, group and complexity of the commands redis-ts implements
 * (history and argument lists are not kept). Commands missing here report their
 * group only.
 */
const DOCS: Record<string, readonly [summary: string, since: string, group: string, complexity: string]> = {
  auth: ['Authenticate to the server', '1.0.0', 'connection', 'O(N) where N is the number of passwords defined for the user'],
  client: ['A container for client connection commands', '2.4.0', 'connection', CONTAINER],
  'client|caching': ['Instruct the server about tracking or not keys in the next request', '6.0.0', 'connection', O1],
  'client|getname': ['Get the current connection name', '2.6.9', 'connection', O1],
  'client|getredir': ['Get tracking notifications redirection client ID if any', '6.0.0', 'connection', O1],
  'client|help': [HELP, '5.0.0', 'connection', O1],
  'client|id': ['Returns the client ID for the current connection', '5.0.0', 'connection', O1],
  'client|info': ['Returns information about the current client connection.', '6.2.0', 'connection', O1],
  'client|kill': ['Kill the connection of a client', '2.4.0', 'connection', 'O(N) where N is the number of client connections'],
  'client|list': ['Get the list of client connections', '2.4.0', 'connection', 'O(N) where N is the number of client connections'],
  'client|no-evict': ['Set client eviction mode for the current connection', '7.0.0', 'connection', O1],
  'client|pause': ['Stop processing commands from clients for some time', '2.9.50', 'connection', O1],
  'client|reply': ['Instruct the server whether to reply to commands', '3.2.0', 'connection', O1],
  'client|setinfo': ['Sets information specific to the client or connection.', '7.2.0', 'connection', O1],
  'client|setname': ['Set the current connection name', '2.6.9', 'connection', O1],
  'client|tracking': ['Enable or disable server assisted client side caching support', '6.0.0', 'connection', 'O(1). Some options may introduce additional complexity.'],
  'client|trackinginfo': ['Return information about server assisted client side caching for the current connection', '6.2.0', 'connection', O1],
  'client|unblock': ['Unblock a client blocked in a blocking command from a different connection', '5.0.0', 'connection', 'O(log N) where N is the number of client connections'],
  'client|unpause': ['Resume processing of clients that were paused', '6.2.0', 'connection', 'O(N) Where N is the number of paused clients'],
  command: ['Get array of Redis command details', '2.8.13', 'server', 'O(N) where N is the total number of Redis commands'],
  'command|count': ['Get total number of Redis commands', '2.8.13', 'server', O1],
  'command|docs': ['Get array of specific Redis command documentation', '7.0.0', 'server', 'O(N) where N is the number of commands to look up'],
  'command|getkeys': ['Extract keys given a full Redis command', '2.8.13', 'server', 'O(N) where N is the number of arguments to the command'],
  'command|getkeysandflags': ['Extract keys and access flags given a full Redis command', '7.0.0', 'server', 'O(N) where N is the number of arguments to the command'],
  'command|help': [HELP, '5.0.0', 'server', O1],
  'command|info': ['Get array of specific Redis command details, or all when no argument is given.', '2.8.13', 'server', 'O(N) where N is the number of commands to look up'],
  'command|list': ['Get an array of Redis command names', '7.0.0', 'server', 'O(N) where N is the total number of Redis commands'],
  config: ['A container for server configuration commands', '2.0.0', 'server', CONTAINER],
  'config|get': ['Get the values of configuration parameters', '2.0.0', 'server', 'O(N) when N is the number of configuration parameters provided'],
  'config|help': [HELP, '5.0.0', 'server', O1],
  'config|resetstat': ['Reset the stats returned by INFO', '2.0.0', 'server', O1],
  'config|rewrite': ['Rewrite the configuration file with the in memory configuration', '2.8.0', 'server', O1],
  'config|set': ['Set configuration parameters to the given values', '2.0.0', 'server', 'O(N) when N is the number of configuration parameters provided'],
  dbsize: ['Return the number of keys in the selected database', '1.0.0', 'server', O1],
  debug: ['A container for debugging commands', '1.0.0', 'server', CONTAINER],
  discard: ['Discard all commands issued after MULTI', '2.0.0', 'transactions', 'O(N), when N is the number of queued commands'],
  echo: ['Echo the given string', '1.0.0', 'connection', O1],
  eval: ['Execute a Lua script server side', '2.6.0', 'scripting', 'Depends on the script that is executed.'],
  eval_ro: ['Execute a read-only Lua script server side', '7.0.0', 'scripting', 'Depends on the script that is executed.'],
  evalsha: ['Execute a Lua script server side', '2.6.0', 'scripting', 'Depends on the script that is executed.'],
  evalsha_ro: ['Execute a read-only Lua script server side', '7.0.0', 'scripting', 'Depends on the script that is executed.'],
  fcall: ['Invoke a function', '7.0.0', 'scripting', 'Depends on the function that is executed.'],
  fcall_ro: ['Invoke a read-only function', '7.0.0', 'scripting', 'Depends on the function that is executed.'],
  function: ['A container for function commands', '7.0.0', 'scripting', CONTAINER],
  'function|delete': ['Delete a function by name', '7.0.0', 'scripting', O1],
  'function|dump': ['Dump all functions into a serialized binary payload', '7.0.0', 'scripting', 'O(N) where N is the number of functions'],
  'function|flush': ['Deleting all functions', '7.0.0', 'scripting', 'O(N) where N is the number of functions deleted'],
  'function|help': [HELP, '7.0.0', 'scripting', O1],
  'function|kill': ['Kill the function currently in execution.', '7.0.0', 'scripting', O1],
  'function|list': ['List information about all the functions', '7.0.0', 'scripting', 'O(N) where N is the number of functions'],
  'function|load': ['Create a function with the given arguments (name, code, description)', '7.0.0', 'scripting', 'O(1) (considering compilation time is redundant)'],
  'function|restore': ['Restore all the functions on the given payload', '7.0.0', 'scripting', 'O(N) where N is the number of functions on the payload'],
  'function|stats': ['Return information about the function currently running (name, description, duration)', '7.0.0', 'scripting', O1],
  exec: ['Execute all commands issued after MULTI', '1.2.0', 'transactions', 'Depends on commands in the transaction'],
  flushall: ['Remove all keys from all databases', '1.0.0', 'server', 'O(N) where N is the total number of keys in all databases'],
  flushdb: ['Remove all keys from the current database', '1.0.0', 'server', 'O(N) where N is the number of keys in the selected database'],
  get: ['Get the value of a key', '1.0.0', 'string', O1],
  hello: ['Handshake with Redis', '6.0.0', 'connection', O1],
  info: ['Get information and statistics about the server', '1.0.0', 'server', O1],
  lastsave: ['Get the UNIX time stamp of the last successful save to disk', '1.0.0', 'server', O1],
  monitor: ['Listen for all requests received by the server in real time', '1.0.0', 'server', ''],
  multi: ['Mark the start of a transaction block', '1.2.0', 'transactions', O1],
  ping: ['Ping the server', '1.0.0', 'connection', O1],
  psubscribe: ['Listen for messages published to channels matching the given patterns', '2.0.0', 'pubsub', 'O(N) where N is the number of patterns the client is already subscribed to.'],
  publish: ['Post a message to a channel', '2.0.0', 'pubsub', 'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).'],
  pubsub: ['A container for Pub/Sub commands', '2.8.0', 'pubsub', CONTAINER],
  'pubsub|channels': ['List active channels', '2.8.0', 'pubsub', 'O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)'],
  'pubsub|help': [HELP, '6.2.0', 'pubsub', O1],
  'pubsub|numpat': ['Get the count of unique patterns pattern subscriptions', '2.8.0', 'pubsub', O1],
  'pubsub|numsub': ['Get the count of subscribers for channels', '2.8.0', 'pubsub', 'O(N) for the NUMSUB subcommand, where N is the number of requested channels'],
  punsubscribe: ['Stop listening for messages posted to channels matching the given patterns', '2.0.0', 'pubsub', 'O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).'],
  quit: ['Close the connection', '1.0.0', 'connection', O1],
  reset: ['Reset the connection', '6.2.0', 'connection', O1],
  script: ['A container for Lua scripts management commands', '2.6.0', 'scripting', CONTAINER],
  'script|debug': ['Set the debug mode for executed scripts.', '3.2.0', 'scripting', O1],
  'script|exists': ['Check existence of scripts in the script cache.', '2.6.0', 'scripting', 'O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).'],
  'script|flush': ['Remove all the scripts from the script cache.', '2.6.0', 'scripting', 'O(N) with N being the number of scripts in cache'],
  'script|help': [HELP, '5.0.0', 'scripting', O1],
  'script|kill': ['Kill the script currently in execution.', '2.6.0', 'scripting', O1],
  'script|load': ['Load the specified Lua script into the script cache.', '2.6.0', 'scripting', 'O(N) with N being the length in bytes of the script body.'],
  select: ['Change the selected database for the current connection', '1.0.0', 'connection', O1],
  set: ['Set the string value of a key', '1.0.0', 'string', O1],
  shutdown: ['Synchronously save the dataset to disk and then shut down the server', '1.0.0', 'server', 'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)'],
  slowlog: ['A container for slow log commands', '2.2.12', 'server', CONTAINER],
  'slowlog|get': ["Get the slow log's entries", '2.2.12', 'server', 'O(N) where N is the number of entries returned'],
  'slowlog|help': [HELP, '6.2.0', 'server', O1],
  'slowlog|len': ["Get the slow log's length", '2.2.12', 'server', O1],
  'slowlog|reset': ['Clear all entries from the slow log', '2.2.12', 'server', 'O(N) where N is the number of entries in the slowlog'],
  subscribe: ['Listen for messages published to the given channels', '2.0.0', 'pubsub', 'O(N) where N is the number of channels to subscribe to.'],
  swapdb: ['Swaps two Redis databases', '4.0.0', 'server', 'O(N) where N is the count of clients watching or blocking on keys from both databases.'],
  time: ['Return the current server time', '2.6.0', 'server', O1],
  unsubscribe: ['Stop listening for messages posted to the given channels', '2.0.0', 'pubsub', 'O(N) where N is the number of clients already subscribed to a channel.'],
  unwatch: ['Forget about all watched keys', '2.2.0', 'transactions', O1],
  watch: ['Watch the given keys to determine execution of the MULTI/EXEC block', '2.2.0', 'transactions', 'O(1) for every key.'],
};

export function commandDoc(cmd: Command): CommandDoc {
  const d = DOCS[cmd.fullName];
  if (d === undefined) return { group: DOC_GROUP[cmd.spec.group] };
  const doc: CommandDoc = { summary: d[0], since: d[1], group: d[2] };
  if (d[3] !== '') doc.complexity = d[3];
  return doc;
}
