// The command table: every group's specs compiled into one Map from lowercase
// name to Command. Dispatch, COMMAND, MULTI queueing, read-only-replica refusal
// and propagation all read it (server.c's commandTable / populateCommandTable).

import type { Command, CommandSpec } from './types.js';

export class CommandTable {
  private readonly byName = new Map<string, Command>();

  constructor(groups: readonly (readonly CommandSpec[])[]) {
    for (const specs of groups) {
      for (const spec of specs) {
        if (this.byName.has(spec.name)) throw new Error(`duplicate command ${spec.name}`);
        const cmd = compile(spec, null);
        this.byName.set(spec.name, cmd);
        // Clients mostly send upper case: keep that spelling too, so lookup is one Map get.
        this.byName.set(spec.name.toUpperCase(), cmd);
      }
    }
  }

  /** rename-command: the command answers to `to` instead (nothing, when empty); false if `from` is unknown. */
  rename(from: string, to: string): boolean {
    const cmd = this.lookupTop(from);
    if (cmd === undefined) return false;
    for (const [name, c] of [...this.byName]) if (c === cmd) this.byName.delete(name);
    if (to !== '') {
      this.byName.set(to.toLowerCase(), cmd);
      this.byName.set(to.toUpperCase(), cmd);
    }
    return true;
  }

  /** The top-level command by name, any case. */
  lookupTop(name: string): Command | undefined {
    return this.byName.get(name) ?? this.byName.get(name.toLowerCase());
  }

  /**
   * lookupCommand: the command for argv, resolving a subcommand when the name is a
   * container and argv has one. A container with no subcommand argument resolves to
   * itself (so its arity error is reported). Undefined when unknown.
   */
  lookup(argv: readonly string[]): Command | undefined {
    const top = this.lookupTop(argv[0]);
    if (top === undefined || top.subcommands === null || argv.length < 2) return top;
    return top.subcommands.get(argv[1].toLowerCase());
  }

  /** Every top-level command, once. */
  all(): Command[] {
    const seen = new Set<Command>();
    for (const c of this.byName.values()) seen.add(c);
    return [...seen];
  }

  get size(): number {
    return this.all().length;
  }
}

function compile(spec: CommandSpec, parent: Command | null): Command {
  const f = new Set(spec.flags);
  const fullName = parent === null ? spec.name : `${parent.name}|${spec.name}`;
  const cmd: Command = {
    name: spec.name,
    fullName,
    arity: spec.arity,
    spec,
    handler: spec.handler ?? null,
    subcommands: null,
    parent,
    write: f.has('write'),
    readonly: f.has('readonly'),
    denyoom: f.has('denyoom'),
    admin: f.has('admin'),
    pubsub: f.has('pubsub'),
    blocking: f.has('blocking'),
    loading: f.has('loading'),
    noAsyncLoading: f.has('no_async_loading'),
    stale: f.has('stale'),
    fast: f.has('fast'),
    noAuth: f.has('no_auth'),
    mayReplicate: f.has('may_replicate'),
    noMulti: f.has('no_multi'),
    skipMonitor: f.has('skip_monitor'),
    skipSlowlog: f.has('skip_slowlog'),
    protectedCmd: f.has('protected'),
    touchesArbitraryKeys: f.has('touches_arbitrary_keys'),
    noscript: f.has('noscript'),
    isScriptCall: spec.scriptFlags !== undefined,
    allowBusy: f.has('allow_busy'),
    stats: { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0, histogram: null },
    keyRange: plainKeyRange(spec),
    keyIndexes: (argv) => keyIndexes(cmd, argv),
  };
  if (spec.subcommands !== undefined) {
    const subs = new Map<string, Command>();
    for (const s of spec.subcommands) subs.set(s.name, compile(s, cmd));
    (cmd as { subcommands: Map<string, Command> | null }).subcommands = subs;
  }
  return cmd;
}

/**
 * first/last/step of a command whose keys are a plain range of its arguments (last < 0
 * counts from the end), or null when a function finds them or it has none.
 */
export function plainKeyRange(spec: CommandSpec): readonly [number, number, number] | null {
  if (spec.getKeys !== undefined || spec.keys === undefined || spec.channelKeys === true) return null;
  return spec.keys;
}

/** Key argument indexes of a command invocation (COMMAND GETKEYS, WATCH-like checks). */
export function keyIndexes(cmd: Command, argv: readonly string[]): number[] {
  const spec = cmd.spec;
  if (spec.getKeys !== undefined) return spec.getKeys(argv);
  const range = plainKeyRange(spec);
  if (range === null) return [];
  const [first, lastSpec, step] = range;
  const last = lastSpec < 0 ? argv.length + lastSpec : lastSpec;
  const out: number[] = [];
  for (let i = first; i <= last && i < argv.length; i += step) out.push(i);
  return out;
}
