// The shape of a command table entry (server.h's redisCommand): a declarative spec
// per command, compiled once into a Command with boolean flags for dispatch.

import type { Client } from '../server/client.js';

/** A handler runs synchronously, reading argv and writing replies to the client. */
export type Handler = (c: Client, argv: string[]) => void;

export type CommandFlag =
  | 'write'
  | 'readonly'
  | 'denyoom'
  | 'admin'
  | 'pubsub'
  | 'noscript'
  | 'blocking'
  | 'loading'
  | 'stale'
  | 'skip_monitor'
  | 'skip_slowlog'
  | 'fast'
  | 'no_auth'
  | 'may_replicate'
  | 'no_mandatory_keys'
  | 'no_async_loading'
  | 'protected'
  | 'no_multi'
  | 'allow_busy'
  | 'sentinel'
  // Internal, never reported (CMD_TOUCHES_ARBITRARY_KEYS): run directly, the expiry DELs
  // it causes are propagated one by one rather than wrapped in MULTI/EXEC.
  | 'touches_arbitrary_keys';

export interface CommandSpec {
  /** Lowercase name; for a subcommand, the part after the container's name. */
  name: string;
  /** Positive: exact argument count including the name; negative: at least -arity. */
  arity: number;
  flags: readonly CommandFlag[];
  /** Key positions (1-based within argv): first, last (-1 = last argument, -2 = one before), step. */
  keys?: readonly [number, number, number];
  /** Keys at positions a spec cannot express (numkeys arguments ...): returns their indexes. */
  getKeys?: (argv: readonly string[]) => number[];
  /** The key positions hold Pub/Sub channels (not_key): COMMAND INFO shows them, GETKEYS does not. */
  channelKeys?: true;
  /**
   * For EVAL and FCALL: the flags a script declares replace the command's own
   * (evalGetCommandFlags / fcallGetCommandFlags); null keeps them.
   */
  scriptFlags?: (c: Client, argv: readonly string[]) => number | null;
  /** The @category of its data type, for COMMAND INFO and ACL categories. */
  group: CommandGroup;
  /** Absent for a container command (CONFIG, CLIENT ...), whose subcommands carry handlers. */
  handler?: Handler;
  subcommands?: readonly CommandSpec[];
  /** Arguments that must never appear in logs, SLOWLOG or MONITOR (AUTH's password ...). */
  redact?: (argv: string[]) => void;
}

export type CommandGroup =
  | 'keyspace'
  | 'string'
  | 'bitmap'
  | 'list'
  | 'set'
  | 'sortedset'
  | 'hash'
  | 'stream'
  | 'hyperloglog'
  | 'geo'
  | 'pubsub'
  | 'transactions'
  | 'connection'
  | 'server'
  | 'scripting'
  | 'cluster';

export interface CommandStats {
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
  /** Calls per latency bucket (LATENCY HISTOGRAM), allocated by the first call when latency-tracking is on. */
  histogram: number[] | null;
}

/** A compiled table entry: one object shape, flags as booleans, looked up with one Map get. */
export interface Command {
  readonly name: string;
  /** "config|get" for subcommands. */
  readonly fullName: string;
  readonly arity: number;
  readonly spec: CommandSpec;
  readonly handler: Handler | null;
  readonly subcommands: Map<string, Command> | null;
  readonly parent: Command | null;
  readonly write: boolean;
  readonly readonly: boolean;
  readonly denyoom: boolean;
  readonly admin: boolean;
  readonly pubsub: boolean;
  readonly blocking: boolean;
  readonly loading: boolean;
  /** Refused while a replica loads its full sync behind the old data (async loading). */
  readonly noAsyncLoading: boolean;
  readonly stale: boolean;
  readonly fast: boolean;
  readonly noAuth: boolean;
  readonly mayReplicate: boolean;
  readonly noMulti: boolean;
  readonly skipMonitor: boolean;
  readonly skipSlowlog: boolean;
  readonly protectedCmd: boolean;
  readonly touchesArbitraryKeys: boolean;
  readonly noscript: boolean;
  /** EVAL_RO, EVALSHA_RO, FCALL_RO: their own keys are not tracked, only what the script reads. */
  readonly isScriptCall: boolean;
  /** May run while a script is busy (past busy-reply-threshold). */
  readonly allowBusy: boolean;
  readonly stats: CommandStats;
  /** first/last/step when the keys are a plain range of the arguments (last < 0 from the end), else null. */
  readonly keyRange: readonly [number, number, number] | null;
  /** Key argument indexes of an invocation (what a running snapshot copies first). */
  readonly keyIndexes: (argv: readonly string[]) => number[];
}
