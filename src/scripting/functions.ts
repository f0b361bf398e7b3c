// Redis 7.0 functions (functions.c, function_lua.c): libraries loaded with
// FUNCTION LOAD, each registering named functions through redis.register_function,
// run by FCALL in their own Lua engine. While a library's code loads, its globals
// expose only the load API; its functions later run with the full scripting API.

import type { Client } from '../server/client.js';
import type { Server } from '../server/server.js';
import { splitArgs } from '../protocol/split-args.js';
import { pushErrorTable, readErrorInfo } from './lua-reply.js';
import type { LuaEngine } from './lua-engine.js';
import { LUA_MASKCOUNT, LUA_MASKLINE, LUA_REGISTRYINDEX, LuaType } from '../lua/lua-vm.js';
import { checkScriptFlags, parseNumKeys } from './eval-scripts.js';
import { SCRIPT_FLAG_NAMES, ScriptFlag, ScriptRunContext, type ScriptDriver } from './script-run.js';
import type { ScriptClient } from './script-client.js';

export interface FunctionInfo {
  name: string;
  description: string | null;
  flags: number;
  /** Registry slot of the callback. */
  ref: number;
  library: Library;
}

export interface Library {
  name: string;
  engine: 'LUA';
  code: string;
  functions: Map<string, FunctionInfo>;
}

const LOAD_TIMEOUT_MS = 500;
const NAME_RE = /^[A-Za-z0-9_]+$/;
const BAD_NAME = 'Library names can only contain letters, numbers, or underscores(_) and must be at least one character long';

/** Lua run once in a function engine: the environment libraries load and run in. */
const FUNCTION_PRELUDE = `
local register_function, env = ...
local redis = env.redis
local function missing(_, k) error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2) end
local function ro() error('Attempt to modify a readonly table', 2) end
local load_redis = setmetatable({}, {__index = setmetatable({
  register_function = register_function, log = redis.log,
  LOG_DEBUG = redis.LOG_DEBUG, LOG_VERBOSE = redis.LOG_VERBOSE, LOG_NOTICE = redis.LOG_NOTICE, LOG_WARNING = redis.LOG_WARNING,
  REDIS_VERSION = redis.REDIS_VERSION, REDIS_VERSION_NUM = redis.REDIS_VERSION_NUM,
}, {__index = missing}), __newindex = ro, __metatable = false})
local load_api = setmetatable({}, {__index = setmetatable({redis = load_redis}, {__index = missing}), __newindex = ro, __metatable = false})
local mt = {__index = env, __newindex = ro, __metatable = false}
local fenv = setmetatable({}, mt)
return fenv, function(loading) if loading then mt.__index = load_api else mt.__index = env end end
`;

function parseMetadata(code: string): { name: string; engine: string; body: string } | { error: string } {
  if (!code.startsWith('#!')) return { error: 'Missing library metadata' };
  const end = code.indexOf('\n');
  if (end === -1) return { error: 'Invalid library metadata' };
  const parts = splitArgs(code.slice(0, end));
  if (parts === null || parts.length === 0) return { error: 'Invalid library metadata' };
  const engine = parts[0].slice(2);
  let name: string | null = null;
  for (let i = 1; i < parts.length; i++) {
    if (/^name=/i.test(parts[i])) {
      if (name !== null) return { error: 'Invalid metadata value, name argument was given multiple times' };
      name = parts[i].slice(5);
      continue;
    }
    return { error: `Invalid metadata value given: ${parts[i]}` };
  }
  if (name === null) return { error: 'Library name was not given' };
  return { name, engine, body: code.slice(end) };
}

export class Functions {
  readonly libraries = new Map<string, Library>();
  /** Every library's functions, by lowercased name: FCALL is case-insensitive. */
  readonly functions = new Map<string, FunctionInfo>();
  private engine: LuaEngine;
  private fenvSlot = 0;
  private setLoadingSlot = 0;
  /** The library being loaded: register_function adds to it. */
  private loading: { lib: Library; started: number; timeout: number } | null = null;
  private loadHook = 0;

  constructor(
    private readonly server: Server,
    private readonly newEngine: () => LuaEngine,
    private readonly driver: ScriptDriver,
    private readonly client: ScriptClient,
  ) {
    this.engine = this.setUpEngine();
  }

  private setUpEngine(): LuaEngine {
    const engine = this.newEngine();
    const vm = engine.vm;
    const L = vm.L;
    if (vm.load(L, FUNCTION_PRELUDE, '@function_prelude') !== 0) throw new Error(`functions set-up: ${vm.toString(L, -1)}`);
    vm.pushCFunction(L, vm.cfunction((l) => this.registerFunction(l)));
    engine.pushEnv(L);
    if (vm.pcall(L, 2, 2, 0) !== 0) throw new Error(`functions set-up: ${vm.toString(L, -1)}`);
    this.setLoadingSlot = engine.ref();
    this.fenvSlot = engine.ref();
    this.loadHook = vm.hookFunction((l) => {
      const ld = this.loading;
      if (ld === null || ld.timeout <= 0 || performance.now() - ld.started <= ld.timeout) return;
      vm.setHook(l, this.loadHook, LUA_MASKLINE, 0);
      pushErrorTable(vm, l, 'FUNCTION LOAD timeout', false);
      vm.error(l);
    });
    return engine;
  }

  get engineForStats(): LuaEngine {
    return this.engine;
  }

  private setLoading(on: boolean): void {
    const vm = this.engine.vm;
    const L = vm.L;
    vm.rawGetI(L, LUA_REGISTRYINDEX, this.setLoadingSlot);
    vm.pushBoolean(L, on);
    vm.call(L, 1, 0);
  }

  /** redis.register_function(name, callback) or ({function_name=, callback=, flags=, description=}). */
  private registerFunction(L: number): number {
    const vm = this.engine.vm;
    const ld = this.loading;
    const fail = (msg: string): never => {
      pushErrorTable(vm, L, msg, false);
      return vm.error(L);
    };
    if (ld === null) return fail('redis.register_function can only be called on FUNCTION LOAD command');
    const argc = vm.top(L);
    if (argc < 1 || argc > 2) return fail('wrong number of arguments to redis.register_function');
    let name: string | null = null;
    let description: string | null = null;
    let flags = 0;
    let hasCallback = false;
    const slot = this.engine.newSlot();
    if (argc === 2) {
      if (!vm.isString(L, 1)) return fail('first argument to redis.register_function must be a string');
      if (vm.type(L, 2) !== LuaType.function) return fail('second argument to redis.register_function must be a function');
      name = vm.toString(L, 1);
      vm.pushValue(L, 2);
      vm.rawSetI(L, LUA_REGISTRYINDEX, slot);
      hasCallback = true;
    } else {
      if (vm.type(L, 1) !== LuaType.table) {
        return fail('calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).');
      }
      vm.pushNil(L);
      while (vm.next(L, 1)) {
        if (vm.type(L, -2) !== LuaType.string) return fail('named argument key given to redis.register_function is not a string');
        const key = (vm.toString(L, -2) ?? '').toLowerCase();
        if (key === 'function_name') {
          if (!vm.isString(L, -1)) return fail('function_name argument given to redis.register_function must be a string');
          name = vm.toString(L, -1);
        } else if (key === 'description') {
          if (!vm.isString(L, -1)) return fail('description argument given to redis.register_function must be a string');
          description = vm.toString(L, -1);
        } else if (key === 'callback') {
          if (vm.type(L, -1) !== LuaType.function) return fail('callback argument given to redis.register_function must be a function');
          vm.pushValue(L, -1);
          vm.rawSetI(L, LUA_REGISTRYINDEX, slot);
          hasCallback = true;
        } else if (key === 'flags') {
          if (vm.type(L, -1) !== LuaType.table) return fail('flags argument to redis.register_function must be a table representing function flags');
          for (let i = 1; ; i++) {
            vm.rawGetI(L, -1, i);
            if (vm.type(L, -1) === LuaType.nil) {
              vm.pop(L, 1);
              break;
            }
            const f = vm.isString(L, -1) ? (vm.toString(L, -1) ?? '').toLowerCase() : null;
            vm.pop(L, 1);
            const known = SCRIPT_FLAG_NAMES.find(([n]) => n === f);
            if (known === undefined) return fail('unknown flag given');
            flags |= known[1];
          }
        } else {
          return fail('unknown argument given to redis.register_function');
        }
        vm.pop(L, 1);
      }
      if (name === null) return fail('redis.register_function must get a function name argument');
      if (!hasCallback) return fail('redis.register_function must get a callback argument');
    }
    if (name === null || !NAME_RE.test(name)) return fail(BAD_NAME);
    if (ld.lib.functions.has(name.toLowerCase())) return fail('Function already exists in the library');
    ld.lib.functions.set(name.toLowerCase(), { name, description, flags, ref: slot, library: ld.lib });
    return 0;
  }

  /** Compiles and runs a library's code, collecting its functions; throws nothing, returns an error text. */
  private compile(code: string, timeout: number): Library | string {
    const md = parseMetadata(code);
    if ('error' in md) return md.error;
    if (!NAME_RE.test(md.name)) return BAD_NAME;
    if (md.engine.toUpperCase() !== 'LUA') return `Engine '${md.engine}' not found`;
    const lib: Library = { name: md.name, engine: 'LUA', code, functions: new Map() };
    const vm = this.engine.vm;
    const L = vm.L;
    if (vm.load(L, md.body, '@user_function') !== 0) {
      const msg = vm.toString(L, -1);
      vm.pop(L, 1);
      return `Error compiling function: ${msg}`;
    }
    vm.rawGetI(L, LUA_REGISTRYINDEX, this.fenvSlot);
    vm.setFenv(L, -2);
    this.setLoading(true);
    this.loading = { lib, started: performance.now(), timeout };
    vm.setHook(L, this.loadHook, LUA_MASKCOUNT, 100_000);
    const status = vm.pcall(L, 0, 0, 0);
    vm.setHook(L, 0, 0, 0);
    this.loading = null;
    this.setLoading(false);
    if (status !== 0) {
      const info = readErrorInfo(vm, L);
      vm.pop(L, 1);
      this.release(lib);
      return `Error registering functions: ${info.msg}`;
    }
    if (lib.functions.size === 0) return 'No functions registered';
    return lib;
  }

  private release(lib: Library): void {
    const vm = this.engine.vm;
    for (const f of lib.functions.values()) {
      vm.pushNil(vm.L);
      vm.rawSetI(vm.L, LUA_REGISTRYINDEX, f.ref);
    }
  }

  private link(lib: Library): void {
    this.libraries.set(lib.name, lib);
    for (const f of lib.functions.values()) this.functions.set(f.name.toLowerCase(), f);
  }

  private unlink(lib: Library): void {
    this.libraries.delete(lib.name);
    for (const f of lib.functions.values()) this.functions.delete(f.name.toLowerCase());
  }

  /** FUNCTION LOAD: returns the library name, or an error text. */
  load(code: string, replace: boolean, timeout = LOAD_TIMEOUT_MS): string | { error: string } {
    const md = parseMetadata(code);
    if ('error' in md) return md;
    if (!NAME_RE.test(md.name)) return { error: BAD_NAME };
    if (md.engine.toUpperCase() !== 'LUA') return { error: `Engine '${md.engine}' not found` };
    if (this.libraries.has(md.name) && !replace) return { error: `Library '${md.name}' already exists` };
    const lib = this.compile(code, timeout);
    if (typeof lib === 'string') return { error: lib };
    const old = this.libraries.get(lib.name);
    for (const f of lib.functions.values()) {
      const existing = this.functions.get(f.name.toLowerCase());
      if (existing !== undefined && existing.library !== old) {
        this.release(lib);
        return { error: `Function ${f.name} already exists` };
      }
    }
    if (old !== undefined) {
      this.unlink(old);
      this.release(old);
    }
    this.link(lib);
    return lib.name;
  }

  delete(name: string): boolean {
    const lib = this.libraries.get(name);
    if (lib === undefined) return false;
    this.unlink(lib);
    this.release(lib);
    return true;
  }

  /** FUNCTION FLUSH: a fresh engine, no libraries. */
  flush(): void {
    const old = this.engine;
    this.driver.forget(old);
    this.libraries.clear();
    this.functions.clear();
    this.engine = this.setUpEngine();
    old.close();
  }

  /** Library codes in load order: what RDB files and FUNCTION DUMP carry. */
  codes(): string[] {
    return [...this.libraries.values()].map((l) => l.code);
  }

  /**
   * Loads several libraries at once (RDB, FUNCTION RESTORE). `policy`: flush replaces
   * everything, append fails on a name clash, replace swaps clashing libraries.
   * Returns an error text, or null with everything applied.
   */
  restore(codes: readonly string[], policy: 'flush' | 'append' | 'replace'): string | null {
    const compiled: Library[] = [];
    const fail = (msg: string): string => {
      for (const l of compiled) this.release(l);
      return msg;
    };
    if (policy === 'flush' && this.libraries.size > 0) this.flush();
    for (const code of codes) {
      const lib = this.compile(code, 0);
      if (typeof lib === 'string') return fail(lib);
      if (compiled.some((l) => l.name === lib.name)) return fail(`Library ${lib.name} already exists`);
      compiled.push(lib);
    }
    const replaced = new Set<Library>();
    for (const lib of compiled) {
      const old = this.libraries.get(lib.name);
      if (old !== undefined) {
        if (policy !== 'replace') return fail(`Library ${lib.name} already exists`);
        replaced.add(old);
      }
    }
    for (const lib of compiled) {
      for (const f of lib.functions.values()) {
        const existing = this.functions.get(f.name.toLowerCase());
        if (existing !== undefined && !replaced.has(existing.library)) return fail(`Function ${f.name} already exists`);
      }
    }
    for (const old of replaced) {
      this.unlink(old);
      this.release(old);
    }
    for (const lib of compiled) this.link(lib);
    return null;
  }

  /** FCALL / FCALL_RO. */
  fcall(c: Client, argv: string[], readOnly: boolean): void {
    const f = this.functions.get(argv[1].toLowerCase());
    if (f === undefined) {
      c.error('ERR Function not found');
      return;
    }
    if (!/^-?\d+$/.test(argv[2])) {
      c.error('ERR Bad number of keys provided');
      return;
    }
    const numkeys = parseNumKeys(c, argv, 2);
    if (numkeys < 0) return;
    const err = checkScriptFlags(this.server, c, f.flags, readOnly);
    if (err !== null) {
      c.error(err);
      return;
    }
    const ctx = new ScriptRunContext(
      this.server,
      c,
      this.client,
      f.name,
      false,
      readOnly || (f.flags & ScriptFlag.noWrites) !== 0,
      (f.flags & ScriptFlag.allowOom) !== 0,
    );
    const engine = this.engine;
    const vm = engine.vm;
    this.driver.run(
      engine,
      ctx,
      (L) => {
        vm.rawGetI(L, LUA_REGISTRYINDEX, f.ref);
        engine.pushArray(L, argv, 3, 3 + numkeys);
        engine.pushArray(L, argv, 3 + numkeys, argv.length);
        return 2;
      },
    );
  }

  memoryBytes(): number {
    return this.engine.memoryBytes();
  }

  /** Bytes of library code and names, for used_memory_functions. */
  cacheBytes(): number {
    let n = 0;
    for (const lib of this.libraries.values()) {
      n += lib.code.length + lib.name.length + 64;
      for (const f of lib.functions.values()) n += f.name.length + (f.description?.length ?? 0) + 48;
    }
    return n;
  }
}
