// The Lua 5.1 VM Redis embeds (deps/lua), here compiled to WebAssembly by the
// wasmoon-lua5.1 package and driven through its C API alone: its JS proxy layer
// converts strings as UTF-8, which breaks binary data, and is several times slower.
// Strings cross as latin1 (one JS char per byte), the keyspace's representation.
// Loading the module is asynchronous and done once at start-up; every call after
// that is synchronous.

import { createRequire } from 'node:module';

export const LUA_REGISTRYINDEX = -10000;
export const LUA_GLOBALSINDEX = -10002;
export const LUA_MULTRET = -1;

export const LuaType = {
  none: -1,
  nil: 0,
  boolean: 1,
  lightuserdata: 2,
  number: 3,
  string: 4,
  table: 5,
  function: 6,
  userdata: 7,
  thread: 8,
} as const;

export const LuaStatus = { ok: 0, yield: 1, errrun: 2, errsyntax: 3, errmem: 4, errerr: 5 } as const;

export const LUA_MASKCOUNT = 8;
export const LUA_MASKLINE = 4;
const LUA_GCCOUNT = 3;
const LUA_GCCOLLECT = 2;
const LUA_GCSTEP = 5;

/** A C function as Lua calls it: takes the state, returns how many results it pushed. */
export type LuaCFunction = (L: number) => number;

/** The subset of the Emscripten module this file uses. */
interface LuaModule {
  HEAPU8: Uint8Array;
  HEAPU16: Uint16Array;
  HEAPU32: Uint32Array;
  HEAPF64: Float64Array;
  addFunction(fn: (...args: number[]) => number | void, sig: string): number;
  _malloc(n: number): number;
  _free(p: number): void;
  [name: string]: unknown;
}

type Api = Record<string, (...args: number[]) => number>;

let loaded: LuaModule | null = null;
let loadedApi: Api | null = null;

/** Loads the WebAssembly module once; call before creating any LuaVM. */
export async function loadLuaModule(): Promise<void> {
  if (loaded !== null) return;
  const require = createRequire(import.meta.url);
  const pkg = require('wasmoon-lua5.1') as { LuaApi: { initialize(): Promise<{ module: LuaModule }> } };
  // The module's exported C functions go through a checking wrapper that costs more
  // than many of the calls themselves: keep the instance's own exports to call directly.
  const wasm = WebAssembly as unknown as { instantiate: (...args: unknown[]) => Promise<unknown> };
  const instantiate = wasm.instantiate;
  let exportsSeen: Record<string, unknown> | null = null;
  wasm.instantiate = async (...args: unknown[]) => {
    const r = (await instantiate.apply(WebAssembly, args)) as { instance?: WebAssembly.Instance; exports?: WebAssembly.Exports };
    exportsSeen = (r.instance?.exports ?? r.exports ?? null) as Record<string, unknown> | null;
    return r;
  };
  let api: { module: LuaModule };
  try {
    api = await pkg.LuaApi.initialize();
  } finally {
    wasm.instantiate = instantiate;
  }
  loaded = api.module;
  loadedApi = directApi(loaded, exportsSeen);
}

/** `_lua_x` names mapped to the raw exports where the instance was seen, else the module's wrappers. */
function directApi(m: LuaModule, exports: Record<string, unknown> | null): Api {
  const api: Api = {};
  for (const key of Object.keys(m)) {
    if (!key.startsWith('_lua')) continue;
    const raw = exports?.[key.slice(1)];
    api[key] = (typeof raw === 'function' ? raw : m[key]) as Api[string];
  }
  return api;
}

/** Thrown by Emscripten's longjmp: a Lua error unwinding through a JS frame. Never caught for good. */
function isLongjmp(e: unknown): boolean {
  return typeof e === 'number';
}

/**
 * One Lua state plus the glue: binary-safe strings, interned C names, JS functions
 * callable from Lua, and errors raised from JS. Methods take the lua_State pointer
 * explicitly, since a script runs in a coroutine with its own pointer.
 */
export class LuaVM {
  readonly L: number;
  private readonly m: LuaModule;
  private readonly api: Api;
  private heap: Buffer;
  private scratch: number;
  private scratchSize: number;
  private readonly lenPtr: number;
  private readonly names = new Map<string, number>();

  constructor() {
    if (loaded === null) throw new Error('loadLuaModule() must complete before a LuaVM is created');
    this.m = loaded;
    this.api = loadedApi ?? (loaded as unknown as Api);
    this.lenPtr = this.m._malloc(8);
    this.scratchSize = 4096;
    this.scratch = this.m._malloc(this.scratchSize);
    this.heap = Buffer.from(this.m.HEAPU8.buffer);
    this.L = this.api._luaL_newstate();
    if (this.L === 0) throw new Error('luaL_newstate failed');
  }

  /** The heap as a Buffer; memory growth replaces the underlying ArrayBuffer. */
  private bytes(): Buffer {
    // Growth detaches the old ArrayBuffer, which leaves our view empty.
    if (this.heap.length === 0) this.heap = Buffer.from(this.m.HEAPU8.buffer);
    return this.heap;
  }

  private ensureScratch(n: number): void {
    if (n <= this.scratchSize) return;
    this.m._free(this.scratch);
    let size = this.scratchSize;
    while (size < n) size *= 2;
    this.scratch = this.m._malloc(size);
    this.scratchSize = size;
    if (this.scratch === 0) throw new Error('out of memory in the Lua heap');
  }

  /** Pushes a name as a Lua string, through its kept C copy (no copy into the heap). */
  pushName(L: number, s: string): void {
    this.api._lua_pushstring(L, this.name(s));
  }

  /** A NUL-terminated name, allocated once and kept. */
  name(s: string): number {
    let p = this.names.get(s);
    if (p === undefined) {
      p = this.m._malloc(s.length + 1);
      const b = this.bytes();
      b.latin1Write(s, p);
      b[p + s.length] = 0;
      this.names.set(s, p);
    }
    return p;
  }

  // --- the stack ---------------------------------------------------------------------

  top(L: number): number {
    return this.api._lua_gettop(L);
  }
  setTop(L: number, n: number): void {
    this.api._lua_settop(L, n);
  }
  pop(L: number, n: number): void {
    this.api._lua_settop(L, -n - 1);
  }
  type(L: number, idx: number): number {
    return this.api._lua_type(L, idx);
  }
  checkStack(L: number, n: number): boolean {
    return this.api._lua_checkstack(L, n) !== 0;
  }
  pushValue(L: number, idx: number): void {
    this.api._lua_pushvalue(L, idx);
  }
  insert(L: number, idx: number): void {
    this.api._lua_insert(L, idx);
  }
  remove(L: number, idx: number): void {
    this.api._lua_remove(L, idx);
  }
  replace(L: number, idx: number): void {
    this.api._lua_replace(L, idx);
  }

  pushNil(L: number): void {
    this.api._lua_pushnil(L);
  }
  pushNumber(L: number, n: number): void {
    this.api._lua_pushnumber(L, n);
  }
  pushBoolean(L: number, b: boolean): void {
    this.api._lua_pushboolean(L, b ? 1 : 0);
  }
  pushLightUserdata(L: number, p: number): void {
    this.api._lua_pushlightuserdata(L, p);
  }

  /** Pushes a latin1 string (each char one byte). */
  pushString(L: number, s: string): void {
    const n = s.length;
    this.ensureScratch(n);
    if (n > 0) this.bytes().latin1Write(s, this.scratch, n);
    this.api._lua_pushlstring(L, this.scratch, n);
  }

  pushBytes(L: number, b: Uint8Array): void {
    this.ensureScratch(b.length);
    this.bytes().set(b, this.scratch);
    this.api._lua_pushlstring(L, this.scratch, b.length);
  }

  toNumber(L: number, idx: number): number {
    return this.api._lua_tonumber(L, idx);
  }
  toBoolean(L: number, idx: number): boolean {
    return this.api._lua_toboolean(L, idx) !== 0;
  }
  isNumber(L: number, idx: number): boolean {
    return this.api._lua_isnumber(L, idx) !== 0;
  }
  /** lua_isstring: a string or a number. */
  isString(L: number, idx: number): boolean {
    return this.api._lua_isstring(L, idx) !== 0;
  }

  /** lua_tolstring as latin1, or null for a value that is neither string nor number (converts numbers in place). */
  toString(L: number, idx: number): string | null {
    const p = this.api._lua_tolstring(L, idx, this.lenPtr);
    if (p === 0) return null;
    const n = this.m.HEAPU32[this.lenPtr >> 2];
    return this.bytes().latin1Slice(p, p + n);
  }

  /** The string's bytes, copied out. */
  toBytes(L: number, idx: number): Buffer | null {
    const p = this.api._lua_tolstring(L, idx, this.lenPtr);
    if (p === 0) return null;
    const n = this.m.HEAPU32[this.lenPtr >> 2];
    return Buffer.from(this.bytes().subarray(p, p + n));
  }

  objLen(L: number, idx: number): number {
    return this.api._lua_objlen(L, idx);
  }

  // --- tables ------------------------------------------------------------------------

  newTable(L: number, narr = 0, nrec = 0): void {
    this.api._lua_createtable(L, narr, nrec);
  }
  /** t[name] = top (pops the value), with metamethods. */
  setField(L: number, idx: number, name: string): void {
    this.api._lua_setfield(L, idx, this.name(name));
  }
  getField(L: number, idx: number, name: string): void {
    this.api._lua_getfield(L, idx, this.name(name));
  }
  rawGet(L: number, idx: number): void {
    this.api._lua_rawget(L, idx);
  }
  rawSet(L: number, idx: number): void {
    this.api._lua_rawset(L, idx);
  }
  rawGetI(L: number, idx: number, i: number): void {
    this.api._lua_rawgeti(L, idx, i);
  }
  rawSetI(L: number, idx: number, i: number): void {
    this.api._lua_rawseti(L, idx, i);
  }
  /** Raw get of a string key, without metamethods. */
  rawGetField(L: number, idx: number, name: string): void {
    const abs = idx < 0 && idx > LUA_REGISTRYINDEX ? this.top(L) + idx + 1 : idx;
    this.pushString(L, name);
    this.api._lua_rawget(L, abs);
  }
  /** Raw set of a string key to the value on top (popped). */
  rawSetField(L: number, idx: number, name: string): void {
    const abs = idx < 0 && idx > LUA_REGISTRYINDEX ? this.top(L) + idx + 1 : idx;
    this.pushString(L, name);
    this.insert(L, -2);
    this.api._lua_rawset(L, abs);
  }
  next(L: number, idx: number): boolean {
    return this.api._lua_next(L, idx) !== 0;
  }
  setMetatable(L: number, idx: number): void {
    this.api._lua_setmetatable(L, idx);
  }
  getMetatable(L: number, idx: number): boolean {
    return this.api._lua_getmetatable(L, idx) !== 0;
  }
  setGlobal(L: number, name: string): void {
    this.setField(L, LUA_GLOBALSINDEX, name);
  }
  getGlobal(L: number, name: string): void {
    this.getField(L, LUA_GLOBALSINDEX, name);
  }
  toPointer(L: number, idx: number): number {
    return this.api._lua_topointer(L, idx);
  }

  // --- functions and errors --------------------------------------------------------

  /**
   * Makes a JS function callable from Lua. A JS exception inside it becomes a Lua
   * error rather than unwinding through the VM, which would leave it inconsistent.
   */
  cfunction(fn: LuaCFunction): number {
    return this.m.addFunction((L: number) => {
      try {
        return fn(L);
      } catch (e) {
        if (isLongjmp(e)) throw e;
        this.pushString(L, `internal error: ${(e as Error).message}`);
        return this.api._lua_error(L);
      }
    }, 'ii');
  }

  pushCFunction(L: number, fnPtr: number, upvalues = 0): void {
    this.api._lua_pushcclosure(L, fnPtr, upvalues);
  }

  /** Raises the value on top of the stack as a Lua error: does not return. */
  error(L: number): never {
    this.api._lua_error(L);
    throw new Error('lua_error returned');
  }

  /** Raises a string error, prefixed with the position like luaL_error. */
  raise(L: number, msg: string): never {
    this.api._luaL_where(L, 1);
    this.pushString(L, msg);
    this.api._lua_concat(L, 2);
    return this.error(L);
  }

  /** Compiles a chunk; returns 0 and pushes the function, or an error status and pushes the message. */
  load(L: number, code: string, chunkName: string): number {
    this.ensureScratch(code.length);
    this.bytes().latin1Write(code, this.scratch, code.length);
    return this.api._luaL_loadbuffer(L, this.scratch, code.length, this.name(chunkName));
  }

  pcall(L: number, nargs: number, nresults: number, errfunc: number): number {
    return this.api._lua_pcall(L, nargs, nresults, errfunc);
  }
  call(L: number, nargs: number, nresults: number): void {
    this.api._lua_call(L, nargs, nresults);
  }

  /** Runs code at set-up; throws a JS Error if it fails. */
  exec(code: string, chunkName: string): void {
    const L = this.L;
    if (this.load(L, code, chunkName) !== 0 || this.pcall(L, 0, 0, 0) !== 0) {
      const msg = this.toString(L, -1);
      this.pop(L, 1);
      throw new Error(`Lua set-up failed: ${msg}`);
    }
  }

  // --- coroutines and hooks ----------------------------------------------------------

  newThread(L: number): number {
    return this.api._lua_newthread(L);
  }
  resume(co: number, nargs: number): number {
    return this.api._lua_resume(co, nargs);
  }
  yield(L: number, nresults: number): number {
    return this.api._lua_yield(L, nresults);
  }
  xmove(from: number, to: number, n: number): void {
    this.api._lua_xmove(from, to, n);
  }
  /** Pushes the thread L itself onto its own stack. */
  pushThread(L: number): void {
    this.api._lua_pushthread(L);
  }
  /** The thread at idx, or 0. */
  toThread(L: number, idx: number): number {
    return this.api._lua_tothread(L, idx);
  }
  /** Pops a table and sets it as the environment of the function at idx. */
  setFenv(L: number, idx: number): boolean {
    return this.api._lua_setfenv(L, idx) !== 0;
  }

  /** A hook function pointer, for setHook. */
  hookFunction(fn: (L: number) => void): number {
    return this.m.addFunction((L: number) => {
      try {
        fn(L);
      } catch (e) {
        if (isLongjmp(e)) throw e;
        this.pushString(L, `internal error: ${(e as Error).message}`);
        this.api._lua_error(L);
      }
    }, 'vii');
  }

  setHook(L: number, fnPtr: number, mask: number, count: number): void {
    this.api._lua_sethook(L, fnPtr, mask, count);
  }

  /**
   * Whether a hook running on L may yield: Lua 5.1 forbids yielding across a C call
   * (pcall, metamethods, sort comparators ...). Reads lua_State's nCcalls and
   * baseCcalls, at offsets 52 and 54 in the 32-bit layout of lstate.h.
   */
  canYield(L: number): boolean {
    const h = this.m.HEAPU16;
    return h[(L + 52) >> 1] <= h[(L + 54) >> 1];
  }

  // --- library loading and memory -------------------------------------------------

  /** Opens one of the VM's standard libraries by its luaopen_ name (base, table, string, math, debug). */
  openLibrary(lib: 'base' | 'table' | 'string' | 'math' | 'debug'): void {
    this.api[`_luaopen_${lib}`](this.L);
    this.setTop(this.L, 0);
  }

  /** Bytes the VM has allocated (lua_gc LUA_GCCOUNT). */
  memoryBytes(): number {
    return this.api._lua_gc(this.L, LUA_GCCOUNT, 0) * 1024 + this.api._lua_gc(this.L, 4 /* GCCOUNTB */, 0);
  }

  gcStep(n: number): void {
    this.api._lua_gc(this.L, LUA_GCSTEP, n);
  }

  gcCollect(): void {
    this.api._lua_gc(this.L, LUA_GCCOLLECT, 0);
  }

  close(): void {
    this.api._lua_close(this.L);
  }

  // --- added for cmsgpack and bit ---------------------------------------------------

  /** luaL_typerror: "bad argument #narg to 'name' (tname expected, got <type>)". Does not return. */
  typeError(L: number, narg: number, tname: string): never {
    this.api._luaL_typerror(L, narg, this.name(tname));
    throw new Error('luaL_typerror returned');
  }

  // --- added for struct -------------------------------------------------------------

  /** luaL_argerror: "bad argument #narg to 'name' (msg)", as the real auxlib words it. Does not return. */
  argError(L: number, narg: number, msg: string): never {
    this.pushString(L, msg); // keeps the message alive while luaL_argerror formats it
    const p = this.api._lua_tolstring(L, -1, 0);
    this.api._luaL_argerror(L, narg, p);
    throw new Error('luaL_argerror returned');
  }

  /** luaL_checknumber: a number or numeric string, else the auxlib's type error. */
  checkNumber(L: number, idx: number): number {
    return this.api._luaL_checknumber(L, idx);
  }

  /** luaL_checklstring as latin1 (converts a number in place), else the auxlib's type error. */
  checkString(L: number, idx: number): string {
    const p = this.api._luaL_checklstring(L, idx, this.lenPtr);
    const n = this.m.HEAPU32[this.lenPtr >> 2];
    return this.bytes().latin1Slice(p, p + n);
  }

  // --- added for cjson --------------------------------------------------------------

  /** lua_touserdata: the block address of a (light) userdata, else 0. */
  toUserdata(L: number, idx: number): number {
    return this.api._lua_touserdata(L, idx);
  }

  /** lua_newuserdata: pushes a full userdata of size bytes and returns its address. */
  newUserdata(L: number, size: number): number {
    return this.api._lua_newuserdata(L, size);
  }
}
