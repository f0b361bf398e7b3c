// Running one script (script.c): the run context that checks and executes its
// redis.call commands, and the driver that runs the Lua code in a coroutine. Past
// busy-reply-threshold a count hook yields to the event loop between slices, so the
// server answers other clients (-BUSY) and SCRIPT KILL while the script stays atomic:
// nothing else touches the dataset until it returns.

import { Errors } from '../protocol/errors.js';
import type { Client } from '../server/client.js';
import { call } from '../server/dispatch.js';
import type { Server } from '../server/server.js';
import { pushErrorTable, readErrorInfo, writeLuaReply } from './lua-reply.js';
import type { LuaEngine, ScriptRun } from './lua-engine.js';
import { LUA_MASKCOUNT, LUA_MASKLINE, LUA_REGISTRYINDEX, LuaStatus } from '../lua/lua-vm.js';
import type { ScriptClient } from './script-client.js';

/** Script flags (script.h SCRIPT_FLAG_*): from a shebang or register_function. */
export const ScriptFlag = {
  noWrites: 1,
  allowOom: 2,
  allowStale: 4,
  noCluster: 8,
  /** An EVAL script without a shebang: 6.x behaviour. */
  evalCompat: 16,
  allowCrossSlot: 32,
} as const;

export const SCRIPT_FLAG_NAMES: readonly (readonly [string, number])[] = [
  ['no-writes', ScriptFlag.noWrites],
  ['allow-oom', ScriptFlag.allowOom],
  ['allow-stale', ScriptFlag.allowStale],
  ['no-cluster', ScriptFlag.noCluster],
  ['allow-cross-slot-keys', ScriptFlag.allowCrossSlot],
];

const PROPAGATE_REPL = 2;
/** Instructions between two checks of the clock (Redis uses the same count). */
const HOOK_INSTRUCTIONS = 100_000;
/** Once timed out, how long a slice runs before yielding to the event loop. */
const SLICE_MS = 20;

export class ScriptRunContext implements ScriptRun {
  resp: 2 | 3 = 2;
  replFlags = 3;
  writeDirty = false;
  killed = false;
  timedOut = false;
  readonly startedAt = performance.now();
  readonly snapshotTime: number;
  /** The EVAL/FCALL command that started it (FUNCTION STATS). */
  readonly argv: readonly string[];

  constructor(
    private readonly server: Server,
    readonly caller: Client,
    readonly client: ScriptClient,
    readonly funcname: string,
    readonly evalMode: boolean,
    readonly readOnly: boolean,
    /** The script declared allow-oom: its writes pass even past maxmemory. */
    readonly allowOom: boolean,
  ) {
    this.snapshotTime = server.hooks.now;
    this.argv = server.currentArgv ?? [];
    client.db = caller.db;
  }

  setRepl(flags: number): void {
    this.replFlags = flags;
  }

  /** scriptCall: the checks a command from a script passes, then call(). */
  call(argv: string[]): { reply: string } | { error: string } {
    const server = this.server;
    const cmd = server.commands.lookup(argv);
    if (cmd === undefined || (cmd.arity > 0 && cmd.arity !== argv.length) || argv.length < -cmd.arity) {
      const error = cmd === undefined ? 'Unknown Redis command called from script' : 'Wrong number of args calling Redis command from script';
      return this.rejected(error, cmd);
    }
    if (cmd.noscript && !server.scripting.allowNoscriptCommands) return this.rejected('This Redis command is not allowed from script', cmd);
    const repl = server.replication;
    if (repl.isReplica && !repl.linkUp && !server.config.bool('replica-serve-stale-data') && !cmd.stale) {
      return this.rejected('Can not execute the command on a stale replica', cmd);
    }
    if (this.readOnly && (cmd.write || cmd.mayReplicate)) {
      return this.rejected('Write commands are not allowed from read-only scripts.', cmd);
    }
    if (cmd.write && !this.writeDirty) {
      if (repl.isReplica && server.config.bool('replica-read-only') && !this.caller.isMaster) {
        return this.rejected('-' + Errors.readonlyReplica, cmd);
      }
      // A leading '-' keeps the shared error's own code (luaPushErrorBuff).
      if (server.persistence.writesDenied() && !this.caller.isMaster) return this.rejected('-' + server.persistence.writeDeniedError(), cmd);
      if (!this.caller.isMaster && !repl.enoughGoodReplicas()) return this.rejected('-' + Errors.noReplicas, cmd);
    }
    // scriptVerifyOOM: only the first write can be refused, once memory was over the
    // limit when the script started; after that the script cannot stop half-way.
    if (
      !this.allowOom &&
      cmd.denyoom &&
      !this.writeDirty &&
      server.preCommandOomState &&
      server.config.num('maxmemory') > 0 &&
      !this.caller.isMaster
    ) {
      return this.rejected('-' + Errors.oom, cmd);
    }
    if (cmd.write) this.writeDirty = true;
    const c = this.client;
    c.resp = this.resp;
    const suppress = (this.replFlags & PROPAGATE_REPL) === 0;
    if (suppress) server.propagationSuppressed++;
    try {
      call(server, c, cmd, argv);
    } finally {
      if (suppress) server.propagationSuppressed--;
    }
    return { reply: c.takeReplyText() };
  }

  private rejected(error: string, cmd: { stats: { rejectedCalls: number } } | undefined): { error: string } {
    const stats = this.server.stats;
    // afterErrorReply: an error text without a '-' code counts as ERR.
    stats.countError(error.startsWith('-') ? error.slice(1) : 'ERR ' + error);
    if (cmd !== undefined) cmd.stats.rejectedCalls++;
    this.server.errorsAccounted = stats.totalErrorReplies;
    return { error };
  }
}

interface Suspended {
  ctx: ScriptRunContext;
  engine: LuaEngine;
  co: number;
}

/** Drives scripts: one at a time, in a coroutine of the engine's state. */
export class ScriptDriver {
  /** The script that yielded past busy-reply-threshold, or null. */
  busy: ScriptRunContext | null = null;
  current: ScriptRunContext | null = null;
  /** The coroutine the current script runs in. */
  private currentCo = 0;
  private suspended: Suspended | null = null;
  private sliceStart = 0;
  private yieldable = false;
  private runs = 0;
  private readonly hooks = new Map<LuaEngine, number>();
  private readonly coroutineSlot = new Map<LuaEngine, number>();

  constructor(private readonly server: Server) {}

  /** Forgets an engine being closed (SCRIPT FLUSH, FUNCTION FLUSH). */
  forget(engine: LuaEngine): void {
    this.hooks.delete(engine);
    this.coroutineSlot.delete(engine);
  }

  private hookFor(engine: LuaEngine): number {
    let h = this.hooks.get(engine);
    if (h === undefined) {
      h = engine.vm.hookFunction((L) => this.onHook(engine, L));
      this.hooks.set(engine, h);
    }
    return h;
  }

  /** A coroutine to run in: the last one if it finished cleanly, else a new one, anchored in the registry. */
  private coroutine(engine: LuaEngine): number {
    const vm = engine.vm;
    const L = vm.L;
    let slot = this.coroutineSlot.get(engine);
    if (slot !== undefined) {
      vm.rawGetI(L, LUA_REGISTRYINDEX, slot);
      const co = vm.toThread(L, -1);
      vm.pop(L, 1);
      if (co !== 0) return co;
    } else {
      slot = engine.newSlot();
      this.coroutineSlot.set(engine, slot);
    }
    const co = vm.newThread(L);
    vm.rawSetI(L, LUA_REGISTRYINDEX, slot);
    return co;
  }

  private dropCoroutine(engine: LuaEngine): void {
    const slot = this.coroutineSlot.get(engine);
    if (slot === undefined) return;
    const vm = engine.vm;
    vm.pushBoolean(vm.L, false);
    vm.rawSetI(vm.L, LUA_REGISTRYINDEX, slot);
  }

  /**
   * Runs a function the caller pushed on the engine's main stack (via `pushCall`,
   * which pushes the function then `nargs` arguments). The reply goes to
   * ctx.caller, now or, if the script yields, once it finishes.
   */
  run(engine: LuaEngine, ctx: ScriptRunContext, pushCall: (L: number) => number): void {
    // preventCommandPropagation: the script's effects travel, never the EVAL/FCALL itself.
    this.server.propagateAs = [];
    const vm = engine.vm;
    const L = vm.L;
    const co = this.coroutine(engine);
    const base = vm.top(L);
    const nargs = pushCall(L);
    vm.xmove(L, co, nargs + 1);
    vm.setTop(L, base);
    const threshold = this.server.config.num('busy-reply-threshold');
    if (threshold > 0) vm.setHook(co, this.hookFor(engine), LUA_MASKCOUNT, HOOK_INSTRUCTIONS);
    else vm.setHook(co, 0, 0, 0);
    const c = ctx.caller;
    this.yieldable = this.server.callDepth === 1 && !c.inExec && !c.isMaster && c.socket !== null;
    this.current = ctx;
    this.currentCo = co;
    engine.run = ctx;
    engine.hookYielded = false;
    this.sliceStart = performance.now();
    this.step(engine, ctx, co, vm.resume(co, nargs));
  }

  /** After a resume: suspends a script that yielded, finishes one that returned or failed. */
  private step(engine: LuaEngine, ctx: ScriptRunContext, co: number, status: number): void {
    if (status === LuaStatus.yield) {
      engine.run = null;
      this.busy = ctx;
      this.suspended = { ctx, engine, co };
      ctx.caller.awaitingScript = true;
      setImmediate(() => this.resume());
      return;
    }
    this.finish(engine, ctx, co, status);
  }

  /** Continues the suspended script for another slice, as one call for propagation. */
  private resume(): void {
    const s = this.suspended;
    if (s === null) return;
    this.suspended = null;
    const server = this.server;
    server.hooks.now = s.ctx.snapshotTime;
    s.engine.run = s.ctx;
    this.current = s.ctx;
    this.currentCo = s.co;
    this.sliceStart = performance.now();
    server.callDepth++;
    try {
      this.step(s.engine, s.ctx, s.co, s.engine.vm.resume(s.co, 0));
    } finally {
      server.callDepth--;
    }
    // Yielded again: the next slice comes from the event loop.
    if (this.suspended !== null) return;
    server.replication.flushPending();
    if (server.blocking.blockedCount > 0) server.blocking.handleReadyKeys();
    this.busy = null;
    const c = s.ctx.caller;
    c.awaitingScript = false;
    if (!c.closed) server.resumeClient(c);
    server.replication.replicaSide?.resumeInput();
  }

  private finish(engine: LuaEngine, ctx: ScriptRunContext, co: number, status: number): void {
    const vm = engine.vm;
    const L = vm.L;
    const c = ctx.caller;
    engine.run = null;
    this.current = null;
    this.currentCo = 0;
    vm.setHook(co, 0, 0, 0);
    if (status === LuaStatus.ok) {
      if (vm.top(co) === 0) vm.pushNil(co);
      else vm.setTop(co, 1);
      writeLuaReply(vm, co, c, ctx.resp);
      vm.setTop(co, 0);
    } else {
      // Where it failed, read from the dead coroutine's stack (__redis__err__handler).
      engine.pushErrInfo(L);
      vm.pushThread(co);
      vm.xmove(co, L, 1);
      vm.xmove(co, L, 1);
      if (vm.pcall(L, 2, 1, 0) !== 0) {
        c.error(`ERR Error running script ${ctx.funcname}, ${(vm.toString(L, -1) ?? 'execution failure').slice(0, 100)}`);
      } else {
        const info = readErrorInfo(vm, L);
        let msg = info.msg;
        if (info.line !== null && info.source !== null) msg += ` script: ${ctx.funcname}, on ${info.source}:${info.line}.`;
        if (info.ignoreStats) c.errorUncounted(msg);
        else c.error(msg);
      }
      vm.pop(L, 1);
      this.dropCoroutine(engine);
    }
    if (++this.runs % 50 === 0) vm.gcStep(50);
  }

  private onHook(engine: LuaEngine, L: number): void {
    const ctx = this.current;
    if (ctx === null) return;
    const vm = engine.vm;
    if (ctx.killed) {
      // Every line from now on raises again, in this thread and the script's own (whose
      // hook new pcall coroutines inherit), so pcall cannot swallow the kill.
      vm.setHook(L, this.hookFor(engine), LUA_MASKLINE, 0);
      if (this.currentCo !== 0 && this.currentCo !== L) vm.setHook(this.currentCo, this.hookFor(engine), LUA_MASKLINE, 0);
      // Redis 7.0 names SCRIPT KILL here for functions too (luaMaskCountHook).
      pushErrorTable(vm, L, 'Script killed by user with SCRIPT KILL...', false);
      vm.error(L);
    }
    const now = performance.now();
    if (!ctx.timedOut) {
      const elapsed = now - ctx.startedAt;
      if (elapsed < this.server.config.num('busy-reply-threshold')) return;
      ctx.timedOut = true;
      this.server.log.warning(
        `Slow script detected: still in execution after ${Math.round(elapsed)} milliseconds. You can try killing the script using the ${ctx.evalMode ? 'SCRIPT KILL' : 'FUNCTION KILL'} command. Script name is: ${ctx.funcname}.`,
      );
    }
    if (this.yieldable && now - this.sliceStart >= SLICE_MS && vm.canYield(L)) {
      engine.hookYielded = true;
      vm.yield(L, 0);
    }
  }

  /** SCRIPT KILL / FUNCTION KILL (scriptKill). */
  kill(c: Client, evalCmd: boolean): void {
    const ctx = this.busy ?? this.current;
    if (ctx === null) {
      c.error('NOTBUSY No scripts in execution right now.');
      return;
    }
    if (ctx.caller.isMaster) {
      c.error('UNKILLABLE The busy script was sent by a master instance in the context of replication and cannot be killed.');
      return;
    }
    if (ctx.writeDirty) {
      c.error(
        'UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.',
      );
      return;
    }
    if (evalCmd && !ctx.evalMode) {
      c.error(Errors.busyFunction);
      return;
    }
    if (!evalCmd && ctx.evalMode) {
      c.error(Errors.busyScript);
      return;
    }
    ctx.killed = true;
    c.ok();
  }
}
