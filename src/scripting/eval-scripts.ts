// EVAL's script cache and invocation (eval.c): scripts compiled once and kept by
// SHA1 in the engine's registry, shebang flags, KEYS and ARGV, and the checks a
// script passes before it starts (scriptPrepareForRun).

import { Errors } from '../protocol/errors.js';
import type { Client } from '../server/client.js';
import type { Server } from '../server/server.js';
import { sha1Into } from '../util/sha1.js';
import { splitArgs } from '../protocol/split-args.js';
import type { LuaEngine } from './lua-engine.js';
import { LUA_REGISTRYINDEX } from '../lua/lua-vm.js';
import { SCRIPT_FLAG_NAMES, ScriptFlag, ScriptRunContext, type ScriptDriver } from './script-run.js';
import type { ScriptClient } from './script-client.js';

export interface CachedScript {
  body: string;
  flags: number;
  /** Registry slot of the compiled function (Redis keeps it under f_<sha>). */
  ref: number;
}

/** Parses `#!lua flags=...` (evalExtractShebangFlags): flags and the shebang's length, or an error. */
export function parseShebang(body: string): { flags: number; length: number } | { error: string } {
  if (!body.startsWith('#!')) return { flags: ScriptFlag.evalCompat, length: 0 };
  const end = body.indexOf('\n');
  if (end === -1) return { error: 'Invalid script shebang' };
  const parts = splitArgs(body.slice(0, end));
  if (parts === null || parts.length === 0) return { error: 'Invalid engine in script shebang' };
  if (parts[0] !== '#!lua') return { error: `Unexpected engine in script shebang: ${parts[0]}` };
  let flags = 0;
  for (let i = 1; i < parts.length; i++) {
    if (!parts[i].startsWith('flags=')) return { error: `Unknown lua shebang option: ${parts[i]}` };
    const list = parts[i].slice(6);
    for (const f of list === '' ? [] : list.split(',')) {
      const known = SCRIPT_FLAG_NAMES.find(([name]) => name === f);
      if (known === undefined) return { error: `Unexpected flag in script shebang: ${f}` };
      flags |= known[1];
    }
  }
  return { flags, length: end };
}

/** Checks the server state against a script's flags before it runs; returns an error or null. */
export function checkScriptFlags(server: Server, c: Client, flags: number, readOnlyCommand: boolean): string | null {
  const repl = server.replication;
  const stale = repl.isReplica && !repl.linkUp && !server.config.bool('replica-serve-stale-data');
  if ((flags & ScriptFlag.evalCompat) !== 0) return stale ? Errors.masterDown : null;
  if (stale && (flags & ScriptFlag.allowStale) === 0) {
    return "MASTERDOWN Link with MASTER is down, replica-serve-stale-data is set to 'no' and 'allow-stale' flag is not set on the script.";
  }
  if ((flags & ScriptFlag.noWrites) === 0) {
    if (repl.isReplica && server.config.bool('replica-read-only') && !c.isMaster) {
      return 'READONLY Can not run script with write flag on readonly replica';
    }
    if (server.persistence.writeDeniedKind() === 'aof' && !c.isMaster) return server.persistence.writeDeniedError();
    if (server.persistence.writesDenied() && !c.isMaster) {
      return "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only scripts.";
    }
    if (readOnlyCommand) return 'ERR Can not execute a script with write flag using *_ro command.';
    if (!repl.isReplica && !repl.enoughGoodReplicas()) return Errors.noReplicas;
  }
  // no-writes implies allow-oom; checked after the write errors, as Redis does.
  if (server.preCommandOomState && server.config.num('maxmemory') > 0 && (flags & (ScriptFlag.allowOom | ScriptFlag.noWrites)) === 0) {
    return "OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'";
  }
  return null;
}

/** Parses numkeys as evalGenericCommand does; returns it or writes the error and returns -1. */
export function parseNumKeys(c: Client, argv: readonly string[], at: number): number {
  const s = argv[at];
  const n = /^-?\d{1,19}$/.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(n)) {
    c.error(Errors.notInteger);
    return -1;
  }
  if (n > argv.length - at - 1) {
    c.error('ERR Number of keys can\'t be greater than number of args');
    return -1;
  }
  if (n < 0) {
    c.error("ERR Number of keys can't be negative");
    return -1;
  }
  return n;
}

export class EvalScripts {
  /** sha -> script; the compiled function is in the engine's registry under f_<sha>. */
  readonly scripts = new Map<string, CachedScript>();
  /** Bytes of cached bodies and SHAs, for used_memory_scripts_eval. */
  bodyBytes = 0;
  private readonly sha = Buffer.alloc(20);

  constructor(
    private readonly server: Server,
    public engine: LuaEngine,
    private readonly driver: ScriptDriver,
    private readonly client: ScriptClient,
  ) {}

  /** The SHA1 of a body; the last one is remembered, since dispatch and EVAL both ask. */
  shaOf(body: string): string {
    if (body === this.lastBody) return this.lastSha;
    sha1Into(body, this.sha);
    this.lastBody = body;
    this.lastSha = this.sha.toString('hex');
    return this.lastSha;
  }
  private lastBody = '';
  private lastSha = '';

  /** luaCreateFunction: compiles and caches a body; returns its sha, or null after replying the error. */
  create(c: Client | null, body: string, sha = this.shaOf(body)): string | null {
    if (this.scripts.has(sha)) return sha;
    const shebang = parseShebang(body);
    if ('error' in shebang) {
      c?.error('ERR ' + shebang.error);
      return null;
    }
    const vm = this.engine.vm;
    const L = vm.L;
    if (vm.load(L, body.slice(shebang.length), '@user_script') !== 0) {
      c?.error(`ERR Error compiling script (new function): ${vm.toString(L, -1)}`);
      vm.pop(L, 1);
      return null;
    }
    this.engine.pushEnv(L);
    vm.setFenv(L, -2);
    const ref = this.engine.ref();
    this.scripts.set(sha, { body, flags: shebang.flags, ref });
    this.bodyBytes += body.length + 40;
    return sha;
  }

  /** EVAL / EVALSHA / EVAL_RO / EVALSHA_RO. */
  eval(c: Client, argv: string[], bySha: boolean, readOnly: boolean): void {
    const numkeys = parseNumKeys(c, argv, 2);
    if (numkeys < 0) return;
    let sha: string | null;
    if (bySha) {
      sha = argv[1].toLowerCase();
      if (argv[1].length !== 40 || !this.scripts.has(sha)) {
        c.error(Errors.noScript);
        return;
      }
    } else {
      sha = this.create(c, argv[1]);
      if (sha === null) return;
    }
    const script = this.scripts.get(sha)!;
    const err = checkScriptFlags(this.server, c, script.flags, readOnly);
    if (err !== null) {
      c.error(err);
      return;
    }
    const compat = (script.flags & ScriptFlag.evalCompat) !== 0;
    const ctx = new ScriptRunContext(
      this.server,
      c,
      this.client,
      sha,
      true,
      readOnly || (!compat && (script.flags & ScriptFlag.noWrites) !== 0),
      !compat && (script.flags & ScriptFlag.allowOom) !== 0,
    );
    const engine = this.engine;
    const vm = engine.vm;
    this.driver.run(
      engine,
      ctx,
      (L) => {
        engine.setRawGlobalArray('KEYS', argv, 3, 3 + numkeys);
        engine.setRawGlobalArray('ARGV', argv, 3 + numkeys, argv.length);
        vm.rawGetI(L, LUA_REGISTRYINDEX, script.ref);
        return 0;
      },
    );
  }

  /** The flags a cached or inline script declares, for command flags (evalGetCommandFlags); null without a shebang. */
  declaredFlags(argv: readonly string[], bySha: boolean): number | null {
    let flags: number;
    if (bySha) {
      const s = this.scripts.get(argv[1].toLowerCase());
      if (s === undefined) return null;
      flags = s.flags;
    } else {
      const s = this.scripts.get(this.shaOf(argv[1]));
      if (s !== undefined) flags = s.flags;
      else {
        const p = parseShebang(argv[1]);
        if ('error' in p) return null;
        flags = p.flags;
      }
    }
    return (flags & ScriptFlag.evalCompat) !== 0 ? null : flags;
  }
}
