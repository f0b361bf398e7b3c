// Redis 7.0's key specs (the key_specs of commands.def, as COMMAND INFO reports them)
// for every command whose specs differ from the single spec server-admin-meta.ts
// derives from the key range. The data was read from redis-server 7.0.15's COMMAND.
// Only COMMAND INFO and GETKEYSANDFLAGS read this table: the keys a command touches
// (COMMAND GETKEYS, snapshot copy-before-write) still come from its spec's keys/getKeys.

/** Where the search for a spec's keys starts: an argument index, or after a keyword. */
export type BeginSearch =
  | { readonly type: 'index'; readonly index: number }
  /** The first `keyword` (case-insensitive) from argument `startfrom`; searched backwards from the end when negative. */
  | { readonly type: 'keyword'; readonly keyword: string; readonly startfrom: number }
  | { readonly type: 'unknown' };

/** Which arguments from there are keys: a range, or a count argument then that many keys. */
export type FindKeys =
  /** lastkey relative to the start (negative: from the end); limit > 0 takes 1/limit of what is left. */
  | { readonly type: 'range'; readonly lastkey: number; readonly keystep: number; readonly limit: number }
  /** The key count at start+keynumidx; the keys from start+firstkey, every keystep. */
  | { readonly type: 'keynum'; readonly keynumidx: number; readonly firstkey: number; readonly keystep: number }
  | { readonly type: 'unknown' };

/**
 * One key spec. Flags: RO/RW/OW/RM (read only, read-write, overwrite, remove), then
 * what happens to the data (access, update, insert, delete), then incomplete or
 * variable_flags; listed in Redis's order.
 */
export interface KeySpec {
  readonly notes?: string;
  readonly flags: readonly string[];
  readonly beginSearch: BeginSearch;
  readonly findKeys: FindKeys;
}

const index = (i: number): BeginSearch => ({ type: 'index', index: i });
const keyword = (word: string, startfrom: number): BeginSearch => ({ type: 'keyword', keyword: word, startfrom });
const range = (lastkey: number, keystep = 1, limit = 0): FindKeys => ({ type: 'range', lastkey, keystep, limit });
const keynum = (keynumidx: number, firstkey: number, keystep: number): FindKeys => ({ type: 'keynum', keynumidx, firstkey, keystep });
const UNKNOWN = { type: 'unknown' } as const;

/** A spec from its space-separated flags, where its keys are, and Redis's note if it has one. */
function ks(flags: string, beginSearch: BeginSearch, findKeys: FindKeys, notes?: string): KeySpec {
  const spec = { flags: flags.split(' '), beginSearch, findKeys };
  return notes === undefined ? spec : { notes, ...spec };
}

/**
 * Key specs by full command name ("object|encoding"), in Redis's order. Commands not
 * listed get the derived spec (keySpecs in server-admin-meta.ts), which Redis's
 * equals for them.
 */

export const KEY_SPECS: Readonly<Record<string, readonly KeySpec[]>> = {
  // One spec where the derivation would put it, with the flags Redis declares.
  append: [ks('RW insert', index(1), range(0))],
  bitfield: [ks('RW access update variable_flags', index(1), range(0), 'This command allows both access and modification of the key')],
  blpop: [ks('RW access delete', index(1), range(-2))],
  brpop: [ks('RW access delete', index(1), range(-2))],
  bzpopmax: [ks('RW access delete', index(1), range(-2))],
  bzpopmin: [ks('RW access delete', index(1), range(-2))],
  decr: [ks('RW access update', index(1), range(0))],
  decrby: [ks('RW access update', index(1), range(0))],
  del: [ks('RM delete', index(1), range(-1))],
  exists: [ks('RO', index(1), range(-1))],
  getdel: [ks('RW access delete', index(1), range(0))],
  getex: [ks('RW access update', index(1), range(0), 'RW and UPDATE because it changes the TTL')],
  getset: [ks('RW access update', index(1), range(0))],
  hdel: [ks('RW delete', index(1), range(0))],
  hexists: [ks('RO', index(1), range(0))],
  hincrby: [ks('RW access update', index(1), range(0))],
  hincrbyfloat: [ks('RW access update', index(1), range(0))],
  hlen: [ks('RO', index(1), range(0))],
  hsetnx: [ks('RW insert', index(1), range(0))],
  hstrlen: [ks('RO', index(1), range(0))],
  incr: [ks('RW access update', index(1), range(0))],
  incrby: [ks('RW access update', index(1), range(0))],
  incrbyfloat: [ks('RW access update', index(1), range(0))],
  linsert: [ks('RW insert', index(1), range(0))],
  llen: [ks('RO', index(1), range(0))],
  lpop: [ks('RW access delete', index(1), range(0))],
  lpush: [ks('RW insert', index(1), range(0))],
  lpushx: [ks('RW insert', index(1), range(0))],
  lrem: [ks('RW delete', index(1), range(0))],
  ltrim: [ks('RW delete', index(1), range(0))],
  move: [ks('RW access update', index(1), range(0))],
  mset: [ks('OW update', index(1), range(-1, 2))],
  msetnx: [ks('OW insert', index(1), range(-1, 2))],
  'memory|usage': [ks('RO', index(2), range(0))],
  ssubscribe: [ks('not_key', index(1), range(-1))],
  sunsubscribe: [ks('not_key', index(1), range(-1))],
  spublish: [ks('not_key', index(1), range(0))],
  'object|encoding': [ks('RO', index(2), range(0))],
  'object|freq': [ks('RO', index(2), range(0))],
  'object|idletime': [ks('RO', index(2), range(0))],
  'object|refcount': [ks('RO', index(2), range(0))],
  pfadd: [ks('RW insert', index(1), range(0))],
  pfcount: [ks('RW access', index(1), range(-1), 'RW because it may change the internal representation of the key, and propagate to replicas')],
  pfdebug: [ks('RW access', index(2), range(0))],
  psetex: [ks('OW update', index(1), range(0))],
  restore: [ks('OW update', index(1), range(0))],
  rpop: [ks('RW access delete', index(1), range(0))],
  rpush: [ks('RW insert', index(1), range(0))],
  rpushx: [ks('RW insert', index(1), range(0))],
  sadd: [ks('RW insert', index(1), range(0))],
  scard: [ks('RO', index(1), range(0))],
  set: [ks('RW access update variable_flags', index(1), range(0), 'RW and ACCESS due to the optional `GET` argument')],
  setbit: [ks('RW access update', index(1), range(0))],
  setex: [ks('OW update', index(1), range(0))],
  setnx: [ks('OW insert', index(1), range(0))],
  sismember: [ks('RO', index(1), range(0))],
  spop: [ks('RW access delete', index(1), range(0))],
  srem: [ks('RW delete', index(1), range(0))],
  strlen: [ks('RO', index(1), range(0))],
  touch: [ks('RO', index(1), range(-1))],
  type: [ks('RO', index(1), range(0))],
  unlink: [ks('RM delete', index(1), range(-1))],
  xadd: [ks('RW update', index(1), range(0), 'UPDATE instead of INSERT because of the optional trimming feature')],
  xautoclaim: [ks('RW delete', index(1), range(0))],
  xdel: [ks('RW delete', index(1), range(0))],
  'xgroup|create': [ks('RW insert', index(2), range(0))],
  'xgroup|createconsumer': [ks('RW insert', index(2), range(0))],
  'xgroup|delconsumer': [ks('RW delete', index(2), range(0))],
  'xgroup|destroy': [ks('RW delete', index(2), range(0))],
  xlen: [ks('RO', index(1), range(0))],
  xtrim: [ks('RW delete', index(1), range(0))],
  zcard: [ks('RO', index(1), range(0))],
  zincrby: [ks('RW access update', index(1), range(0))],
  zpopmax: [ks('RW access delete', index(1), range(0))],
  zpopmin: [ks('RW access delete', index(1), range(0))],
  zrem: [ks('RW delete', index(1), range(0))],
  zremrangebylex: [ks('RW delete', index(1), range(0))],
  zremrangebyrank: [ks('RW delete', index(1), range(0))],
  zremrangebyscore: [ks('RW delete', index(1), range(0))],

  // Source and destination: the source is read and emptied (or read, for COPY), the
  // destination written, as two specs.
  blmove: [ks('RW access delete', index(1), range(0)), ks('RW insert', index(2), range(0))],
  brpoplpush: [ks('RW access delete', index(1), range(0)), ks('RW insert', index(2), range(0))],
  copy: [ks('RO access', index(1), range(0)), ks('OW update', index(2), range(0))],
  lmove: [ks('RW access delete', index(1), range(0)), ks('RW insert', index(2), range(0))],
  rename: [ks('RW access delete', index(1), range(0)), ks('OW update', index(2), range(0))],
  renamenx: [ks('RW access delete', index(1), range(0)), ks('OW insert', index(2), range(0))],
  rpoplpush: [ks('RW access delete', index(1), range(0)), ks('RW insert', index(2), range(0))],
  smove: [ks('RW access delete', index(1), range(0)), ks('RW insert', index(2), range(0))],

  // A destination written from sources that are only read: the destination spec first.
  bitop: [ks('OW update', index(2), range(0)), ks('RO access', index(3), range(-1))],
  geosearchstore: [ks('OW update', index(1), range(0)), ks('RO access', index(2), range(0))],
  pfmerge: [ks('RW access insert', index(1), range(0)), ks('RO access', index(2), range(-1))],
  sdiffstore: [ks('OW update', index(1), range(0)), ks('RO access', index(2), range(-1))],
  sinterstore: [ks('RW update', index(1), range(0)), ks('RO access', index(2), range(-1))],
  sunionstore: [ks('OW update', index(1), range(0)), ks('RO access', index(2), range(-1))],
  zrangestore: [ks('OW update', index(1), range(0)), ks('RO access', index(2), range(0))],

  // A numkeys argument then that many keys (keynum), after a destination for the *STORE forms.
  blmpop: [ks('RW access delete', index(2), keynum(0, 1, 1))],
  bzmpop: [ks('RW access delete', index(2), keynum(0, 1, 1))],
  lmpop: [ks('RW access delete', index(1), keynum(0, 1, 1))],
  sintercard: [ks('RO access', index(1), keynum(0, 1, 1))],
  zdiff: [ks('RO access', index(1), keynum(0, 1, 1))],
  zdiffstore: [ks('OW update', index(1), range(0)), ks('RO access', index(2), keynum(0, 1, 1))],
  zinter: [ks('RO access', index(1), keynum(0, 1, 1))],
  zintercard: [ks('RO access', index(1), keynum(0, 1, 1))],
  zinterstore: [ks('OW update', index(1), range(0)), ks('RO access', index(2), keynum(0, 1, 1))],
  zmpop: [ks('RW access delete', index(1), keynum(0, 1, 1))],
  zunion: [ks('RO access', index(1), keynum(0, 1, 1))],
  eval: [ks('RW access update', index(2), keynum(0, 1, 1), 'We cannot tell how the keys will be used so we assume the worst, RW and UPDATE flags')],
  evalsha: [ks('RW access update', index(2), keynum(0, 1, 1))],
  eval_ro: [ks('RO access', index(2), keynum(0, 1, 1), 'We cannot tell how the keys will be used so we assume the worst, RO and ACCESS flags')],
  evalsha_ro: [ks('RO access', index(2), keynum(0, 1, 1))],
  fcall: [ks('RW access update', index(2), keynum(0, 1, 1), 'We cannot tell how the keys will be used so we assume the worst, RW and UPDATE flags')],
  fcall_ro: [ks('RO access', index(2), keynum(0, 1, 1), 'We cannot tell how the keys will be used so we assume the worst, RO and ACCESS flags')],
  zunionstore: [ks('OW update', index(1), range(0)), ks('RO access', index(2), keynum(0, 1, 1))],

  // Keys found after a keyword. XREAD/XREADGROUP: half of what follows STREAMS (limit 2).
  georadius: [
    ks('RO access', index(1), range(0)),
    ks('OW update', keyword('STORE', 6), range(0)),
    ks('OW update', keyword('STOREDIST', 6), range(0)),
  ],
  georadiusbymember: [
    ks('RO access', index(1), range(0)),
    ks('OW update', keyword('STORE', 5), range(0)),
    ks('OW update', keyword('STOREDIST', 5), range(0)),
  ],
  xread: [ks('RO access', keyword('STREAMS', 1), range(-1, 1, 2))],
  migrate: [ks('RW access delete', index(3), range(0)), ks('RW access delete incomplete', keyword('KEYS', -2), range(-1))],
  // 7.0 declares XREADGROUP's streams RO and access, though it moves the group's cursor.
  xreadgroup: [ks('RO access', keyword('STREAMS', 4), range(-1, 1, 2))],

  // SORT: its key, then keys Redis cannot locate from the arguments alone (unknown).
  sort: [
    ks('RO access', index(1), range(0)),
    ks('RO access', UNKNOWN, UNKNOWN, "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort"),
    ks('OW update', UNKNOWN, UNKNOWN, "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array"),
  ],
  sort_ro: [
    ks('RO access', index(1), range(0)),
    ks('RO access', UNKNOWN, UNKNOWN, "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort"),
  ],
};
