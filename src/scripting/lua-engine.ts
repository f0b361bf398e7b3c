// A Lua state set up as Redis 7.0 sets up its scripting VM (script_lua.c,
// eval.c's scriptingInit, function_lua.c): the libraries it loads, the `redis`
// table, Redis's math.random, the error handler, and the sandbox. Redis patches its
// VM with read-only tables; here library tables and the globals are proxies whose
// writes raise the same "Attempt to modify a readonly table".

import { VERSION } from '../version.js';
import { sha1Into } from '../util/sha1.js';
import { LUA_GLOBALSINDEX, LUA_REGISTRYINDEX, LuaType, LuaVM } from '../lua/lua-vm.js';
import { pushErrorTable, pushReply } from './lua-reply.js';
import { installLibraries } from '../lua/libs/install.js';
import { formatG } from '../util/number-format.js';

/** What a running script's redis.* calls reach: implemented by the script run. */
export interface ScriptRun {
  /** Runs a command; returns its RESP reply as latin1 text, or a rejection message. */
  call(argv: string[]): { reply: string } | { error: string };
  resp: 2 | 3;
  setRepl(flags: number): void;
}

export interface EngineHost {
  log(level: number, msg: string): void;
  /** The log level now in effect, as Redis's LL_* (0 debug .. 3 warning). */
  verbosity(): number;
  /** redis.acl_check_cmd: whether the script's user may run argv; null for an unknown command. */
  aclCheck(argv: string[]): boolean | null;
}

const PROPAGATE_AOF = 1;
const PROPAGATE_REPL = 2;

/** redisLrand48: a 48-bit LCG, seeded as Redis seeds it, so math.random matches. */
class Lrand48 {
  private x = 0x1234abcd330en;
  next(): number {
    this.x = (0x5deece66dn * this.x + 0xbn) & 0xffffffffffffn;
    return Number(this.x >> 17n);
  }
  seed(v: number): void {
    this.x = ((BigInt(v >>> 0) & 0xffffffffn) << 16n) | 0x330en;
  }
}
const LRAND48_MAX = 2147483647;

/**
 * luaL_checkint as redis_math_random uses it: the auxlib's type error for a non-number,
 * else (int)(ptrdiff_t)d. x86-64 casts an out-of-range double to INT64_MIN, then the
 * int keeps the low 32 bits (so math.random(2^31) sees -2147483648: "interval is empty").
 */
function checkInt(vm: LuaVM, L: number, idx: number): number {
  const d = vm.checkNumber(L, idx);
  if (!(Math.abs(d) < 9223372036854775808)) return 0; // INT64_MIN's low 32 bits
  return Number(BigInt.asIntN(32, BigInt(Math.trunc(d))));
}
/**
 * One generator for the process, as redisLrand48's state is a C static: EVAL scripts and
 * functions draw from the same sequence, never reseeded per call or by SCRIPT/FUNCTION FLUSH.
 */
const sharedRandom = new Lrand48();

/**
 * printf's %d %i %o %u %x %X of a Lua number as a 64-bit build gives it: the double
 * is cast to a 64-bit long (out of range: the x86 "indefinite" INT64_MIN), then printed
 * with the spec's flags, width and precision.
 */
export function formatInt64(spec: string, conv: string, n: number): string {
  let v: bigint;
  if (!Number.isFinite(n) || n >= 9223372036854775807 || n < -9223372036854775808) v = -9223372036854775808n;
  else v = BigInt(Math.trunc(n));
  const m = /^%([-+ #0]*)(\d*)(?:\.(\d*))?$/.exec(spec);
  const flags = m?.[1] ?? '';
  const width = Number(m?.[2] || 0);
  const precision = m?.[3] !== undefined ? Number(m[3] || 0) : -1;
  let digits: string;
  let sign = '';
  if (conv === 'd' || conv === 'i') {
    if (v < 0n) sign = '-';
    else if (flags.includes('+')) sign = '+';
    else if (flags.includes(' ')) sign = ' ';
    digits = (v < 0n ? -v : v).toString();
  } else {
    const u = BigInt.asUintN(64, v);
    digits = conv === 'o' ? u.toString(8) : conv === 'u' ? u.toString() : u.toString(16);
    if (conv === 'X') digits = digits.toUpperCase();
    if (flags.includes('#') && u !== 0n) sign = conv === 'o' ? '0' : conv === 'x' ? '0x' : conv === 'X' ? '0X' : '';
  }
  if (precision >= 0) digits = digits.padStart(precision, '0');
  let body = sign + digits;
  if (body.length < width) {
    if (flags.includes('-')) body = body.padEnd(width, ' ');
    else if (flags.includes('0') && precision < 0) body = sign + digits.padStart(width - sign.length, '0');
    else body = body.padStart(width, ' ');
  }
  return body;
}

const INT_SPEC = /%([-+ #0]*\d*(?:\.\d*)?)([%cdiouxXeEfgGqs]?)/g;

/**
 * Replaces each integer conversion whose argument a 32-bit long cannot print with %s
 * and the argument (on the stack) with its 64-bit text; null when nothing changes.
 */
function rewriteIntegerSpecs(vm: LuaVM, L: number, fmt: string, n: number, parts: string[]): string | null {
  parts.length = 0;
  let last = 0;
  let arg = 1;
  let changed = false;
  INT_SPEC.lastIndex = 0;
  for (let m = INT_SPEC.exec(fmt); m !== null; m = INT_SPEC.exec(fmt)) {
    const conv = m[2];
    if (conv === '%' && m[1] === '') continue;
    arg++;
    if (arg > n || !'diouxX'.includes(conv) || conv === '' || !vm.isNumber(L, arg)) continue;
    const num = vm.toNumber(L, arg);
    const signed = conv === 'd' || conv === 'i';
    if (num >= 2147483648 || num < -2147483648 || (num < 0 && !signed) || Number.isNaN(num)) {
      parts.push(fmt.slice(last, m.index), '%s');
      last = m.index + m[0].length;
      vm.pushString(L, formatInt64('%' + m[1], conv, num));
      vm.replace(L, arg);
      changed = true;
    }
  }
  if (!changed) return null;
  parts.push(fmt.slice(last));
  return parts.join('');
}

/** Lua code run once at set-up, after the libraries and the redis table exist. */
const PRELUDE = `
local rawset, rawget, raw_setmetatable, getmetatable, type, error, tostring, select =
      rawset, rawget, setmetatable, getmetatable, type, error, tostring, select
local raw_loadstring, raw_load, setfenv, raw_pcall = loadstring, load, setfenv, pcall
local dbg = debug
local real_G = _G
local protected = raw_setmetatable({}, {__mode = 'k'})
local function ro_newindex() error('Attempt to modify a readonly table', 2) end
local function readonly(real)
  local mt = {__index = real, __newindex = ro_newindex}
  local view = raw_setmetatable({}, {__index = mt, __newindex = ro_newindex, __metatable = false})
  protected[view] = true
  mt.__metatable = view
  local proxy = raw_setmetatable({}, mt)
  protected[proxy] = true
  return proxy
end

-- pcall as Redis 7.0 replaces it: a table error (redis.call's) comes back as its err string.
local function fix_pcall(ok, ...)
  if ok then return true, ... end
  local e = ...
  if type(e) == 'table' then
    local m = e.err
    if type(m) == 'string' or type(m) == 'number' then e = m end
  end
  return false, e
end
-- pcall runs f in a coroutine, so the count hook can still yield a busy script to the
-- event loop from inside it (Lua 5.1 cannot yield across the C pcall). A yield the
-- hook made is passed outward; a script's own coroutine.yield travels as usual.
local take_hook_yield, eval_mode = ...
local co_create, co_resume, co_status, co_yield = coroutine.create, coroutine.resume, coroutine.status, coroutine.yield
local function packn(...) return {n = select('#', ...), ...} end
local function call_in(f, ...) return f(...) end
local pcall_threads = setmetatable({}, {__mode = 'k'})
coroutine.yield = function(...)
  -- As across the C pcall: a script's own yield cannot leave a pcall.
  if pcall_threads[coroutine.running()] then error('attempt to yield across metamethod/C-call boundary', 0) end
  return co_yield(...)
end
pcall = function(f, ...)
  -- A C function runs no Lua code the hook could interrupt: the plain pcall serves.
  if type(f) ~= 'function' or dbg.getinfo(f, 'S').what == 'C' then return fix_pcall(raw_pcall(f, ...)) end
  local co = co_create(call_in)
  pcall_threads[co] = true
  local res = packn(co_resume(co, f, ...))
  while res[1] and co_status(co) ~= 'dead' do
    if take_hook_yield() then
      co_yield()
      res = packn(co_resume(co))
    else
      res = packn(co_resume(co, co_yield(unpack(res, 2, res.n))))
    end
  end
  return fix_pcall(unpack(res, 1, res.n))
end

-- An error value as a table, with the position of frame i when known.
local function with_position(err, i)
  if type(err) ~= 'table' then err = {err = 'ERR ' .. tostring(err)} end
  if i then
    err['source'] = i.source
    err['line'] = i.currentline
  end
  return err
end

-- The error value a failed script leaves, with where it failed (__redis__err__handler),
-- read post mortem from the dead coroutine.
local function err_info(co, err)
  -- The frame that failed, past C functions and this prelude's (Redis's are C functions).
  local level = 0
  local i = dbg.getinfo(co, level, 'nSl')
  while i and (i.what == 'C' or i.source == '@redis_prelude') and level < 3 do
    level = level + 1
    i = dbg.getinfo(co, level, 'nSl')
  end
  return with_position(err, i)
end

-- EVAL scripts see Redis's error handler as a global (functions keep it in the registry).
if eval_mode then
  rawset(real_G, '__redis__err__handler', function(err)
    local i = dbg.getinfo(2, 'nSl')
    if i and i.what == 'C' then i = dbg.getinfo(3, 'nSl') end
    return with_position(err, i)
  end)
end

for _, name in ipairs({'dofile', 'loadfile', 'print', 'debug'}) do rawset(real_G, name, nil) end
for _, name in ipairs({'string', 'math', 'table', 'coroutine', 'redis', 'cjson', 'cmsgpack', 'bit', 'struct'}) do
  if rawget(real_G, name) ~= nil then rawset(real_G, name, readonly(rawget(real_G, name))) end
end

local env = readonly(real_G)
rawset(real_G, '_G', env)
raw_setmetatable(real_G, {
  __index = function(_, k) error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2) end,
  __newindex = ro_newindex,
  __metatable = false,
})
setmetatable = function(t, mt)
  if protected[t] then error('Attempt to modify a readonly table', 0) end
  return raw_setmetatable(t, mt)
end
real_G.rawset = function(t, k, v)
  if protected[t] or t == real_G then error('Attempt to modify a readonly table', 0) end
  return rawset(t, k, v)
end
-- Redis's Lua refuses precompiled (binary) chunks.
loadstring = function(s, ...)
  if type(s) == 'string' and s:byte(1) == 27 then return nil, 'binary chunks are not allowed' end
  local f, e = raw_loadstring(s, ...)
  if f then setfenv(f, env) end
  return f, e
end
load = function(...)
  local f, e = raw_load(...)
  if f then setfenv(f, env) end
  return f, e
end
return env, err_info
`;

export class LuaEngine {
  readonly vm: LuaVM;
  /** The script running now: redis.call and friends fail outside one. */
  run: ScriptRun | null = null;
  /** Set by the script driver when its hook yielded: pcall's loop passes that yield outward. */
  hookYielded = false;
  private readonly random = sharedRandom;
  /** Registry slots of the sandboxed environment and the error-information function. */
  private readonly envRef: number;
  private readonly errInfoRef: number;
  private readonly sha = Buffer.alloc(20);
  /** Next free registry slot (the libraries opened here take none). */
  private nextSlot = 1;

  constructor(
    private readonly host: EngineHost,
    readonly mode: 'eval' | 'function',
  ) {
    const vm = (this.vm = new LuaVM());
    const L = vm.L;
    for (const lib of ['base', 'table', 'string', 'math', 'debug'] as const) vm.openLibrary(lib);
    installLibraries(vm);
    this.registerRedisApi();
    this.replaceStringFormat();
    if (vm.load(L, PRELUDE, '@redis_prelude') !== 0) throw new Error(`scripting set-up failed: ${vm.toString(L, -1)}`);
    vm.pushCFunction(
      L,
      vm.cfunction((l) => {
        vm.pushBoolean(l, this.hookYielded);
        this.hookYielded = false;
        return 1;
      }),
    );
    vm.pushBoolean(L, mode === 'eval');
    if (vm.pcall(L, 2, 2, 0) !== 0) {
      throw new Error(`scripting set-up failed: ${vm.toString(L, -1)}`);
    }
    this.errInfoRef = this.ref();
    this.envRef = this.ref();
  }

  /**
   * A fresh integer slot in the registry (luaL_ref's role). Every holder of registry
   * slots in this state takes them here, so none can collide.
   */
  newSlot(): number {
    return this.nextSlot++;
  }

  /** Pops the top value into a fresh registry slot and returns the slot. */
  ref(): number {
    const slot = this.newSlot();
    this.vm.rawSetI(this.vm.L, LUA_REGISTRYINDEX, slot);
    return slot;
  }

  /** Pushes the sandboxed globals table scripts run in. */
  pushEnv(L: number): void {
    this.vm.rawGetI(L, LUA_REGISTRYINDEX, this.envRef);
  }

  /** Pushes the error-information function (co, err) -> err table. */
  pushErrInfo(L: number): void {
    this.vm.rawGetI(L, LUA_REGISTRYINDEX, this.errInfoRef);
  }

  /** Sets a global in the real globals table, below the read-only proxy (KEYS, ARGV). */
  setRawGlobalArray(name: string, items: readonly string[], from: number, to: number): void {
    const L = this.vm.L;
    this.vm.pushName(L, name);
    this.pushArray(L, items, from, to);
    this.vm.rawSet(L, LUA_GLOBALSINDEX);
  }

  /** Pushes items[from..to) as a Lua array (KEYS, ARGV). */
  pushArray(L: number, items: readonly string[], from: number, to: number): void {
    const vm = this.vm;
    vm.newTable(L, to - from, 0);
    for (let i = from; i < to; i++) {
      vm.pushString(L, items[i]);
      vm.rawSetI(L, -2, i - from + 1);
    }
  }

  memoryBytes(): number {
    return this.vm.memoryBytes();
  }

  close(): void {
    this.vm.close();
  }

  // --- the redis table ------------------------------------------------------------

  private fn(L: number, table: number, name: string, f: (L: number) => number): void {
    const vm = this.vm;
    vm.pushCFunction(L, vm.cfunction(f));
    vm.setField(L, table, name);
  }

  private registerRedisApi(): void {
    const vm = this.vm;
    const L = vm.L;
    vm.newTable(L);
    const t = vm.top(L);
    this.fn(L, t, 'call', (l) => this.redisCall(l, true));
    this.fn(L, t, 'pcall', (l) => this.redisCall(l, false));
    this.fn(L, t, 'log', (l) => this.log(l));
    for (const [name, level] of [
      ['LOG_DEBUG', 0],
      ['LOG_VERBOSE', 1],
      ['LOG_NOTICE', 2],
      ['LOG_WARNING', 3],
    ] as const) {
      vm.pushNumber(L, level);
      vm.setField(L, t, name);
    }
    const [maj, min, patch] = VERSION.split('.').map(Number);
    vm.pushNumber(L, (maj << 16) | (min << 8) | patch);
    vm.setField(L, t, 'REDIS_VERSION_NUM');
    vm.pushString(L, VERSION);
    vm.setField(L, t, 'REDIS_VERSION');
    this.fn(L, t, 'setresp', (l) => {
      const run = this.requireRun(l, 'redis.setresp');
      if (vm.top(l) !== 1) return this.raiseError(l, 'redis.setresp() requires one argument.');
      const resp = Math.trunc(vm.toNumber(l, 1));
      if (resp !== 2 && resp !== 3) return this.raiseError(l, 'RESP version must be 2 or 3.');
      run.resp = resp;
      return 0;
    });
    this.fn(L, t, 'sha1hex', (l) => {
      if (vm.top(l) !== 1) return this.raiseError(l, 'wrong number of arguments');
      const s = vm.toString(l, 1) ?? '';
      sha1Into(s, this.sha);
      vm.pushString(l, this.sha.toString('hex'));
      return 1;
    });
    this.fn(L, t, 'error_reply', (l) => {
      if (vm.top(l) !== 1 || vm.type(l, -1) !== LuaType.string) {
        pushErrorTable(vm, l, 'wrong number or type of arguments', false);
        return 1;
      }
      const e = vm.toString(l, -1) ?? '';
      pushErrorTable(vm, l, e.startsWith('-') ? e : '-' + e, false);
      return 1;
    });
    this.fn(L, t, 'status_reply', (l) => {
      if (vm.top(l) !== 1 || vm.type(l, -1) !== LuaType.string) {
        pushErrorTable(vm, l, 'wrong number or type of arguments', false);
        return 1;
      }
      vm.newTable(l, 0, 1);
      vm.pushValue(l, -2);
      vm.setField(l, -2, 'ok');
      return 1;
    });
    this.fn(L, t, 'set_repl', (l) => {
      const run = this.requireRun(l, 'redis.set_repl');
      if (vm.top(l) !== 1) return this.raiseError(l, 'redis.set_repl() requires two arguments.');
      const flags = Math.trunc(vm.toNumber(l, -1));
      if ((flags & ~(PROPAGATE_AOF | PROPAGATE_REPL)) !== 0) {
        return this.raiseError(l, 'Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.');
      }
      run.setRepl(flags);
      return 0;
    });
    for (const [name, v] of [
      ['REPL_NONE', 0],
      ['REPL_AOF', PROPAGATE_AOF],
      ['REPL_SLAVE', PROPAGATE_REPL],
      ['REPL_REPLICA', PROPAGATE_REPL],
      ['REPL_ALL', PROPAGATE_AOF | PROPAGATE_REPL],
    ] as const) {
      vm.pushNumber(L, v);
      vm.setField(L, t, name);
    }
    this.fn(L, t, 'acl_check_cmd', (l) => {
      this.requireRun(l, 'redis.acl_check_cmd');
      const argv = this.argsToArgv(l);
      if (typeof argv === 'string') return this.raiseError(l, argv);
      const allowed = this.host.aclCheck(argv);
      if (allowed === null) return this.raiseError(l, 'Invalid command passed to redis.acl_check_cmd()');
      vm.pushBoolean(l, allowed);
      return 1;
    });
    if (this.mode === 'eval') {
      // The debugger (SCRIPT DEBUG) is not supported: outside it these are no-ops in Redis too.
      this.fn(L, t, 'breakpoint', (l) => {
        vm.pushBoolean(l, false);
        return 1;
      });
      this.fn(L, t, 'debug', () => 0);
      this.fn(L, t, 'replicate_commands', (l) => {
        vm.pushBoolean(l, true);
        return 1;
      });
    }
    vm.setGlobal(L, 'redis');

    vm.getGlobal(L, 'math');
    const m = vm.top(L);
    this.fn(L, m, 'random', (l) => this.mathRandom(l));
    this.fn(L, m, 'randomseed', (l) => {
      this.requireRun(l, 'math.randomseed', true);
      this.random.seed(checkInt(vm, l, 1));
      return 0;
    });
    vm.pop(L, 1);
  }

  /**
   * string.format with integer conversions as a 64-bit build prints them: this VM's C
   * long is 32 bits, so %d %i %o %u %x %X of a number outside its range (or a negative
   * one for the unsigned ones) is printed here and passed to the original as %s.
   */
  private replaceStringFormat(): void {
    const vm = this.vm;
    const L = vm.L;
    vm.getGlobal(L, 'string');
    vm.getField(L, -1, 'format');
    const rawFormat = this.ref();
    const scratch: string[] = [];
    vm.pushCFunction(
      L,
      vm.cfunction((l) => {
        const n = vm.top(l);
        if (n >= 1 && vm.type(l, 1) === LuaType.string) {
          const fmt = vm.toString(l, 1) ?? '';
          if (fmt.indexOf('%') !== -1) {
            const rewritten = rewriteIntegerSpecs(vm, l, fmt, n, scratch);
            if (rewritten !== null) {
              vm.pushString(l, rewritten);
              vm.replace(l, 1);
            }
          }
        }
        vm.rawGetI(l, LUA_REGISTRYINDEX, rawFormat);
        vm.insert(l, 1);
        if (vm.pcall(l, n, 1, 0) === 0) return 1;
        // Raised as if the script had called the C function itself.
        const msg = (vm.toString(l, -1) ?? '').replace("to '?'", "to 'format'");
        vm.pop(l, 1);
        return vm.raise(l, msg);
      }),
    );
    vm.setField(L, -2, 'format');
    vm.pop(L, 1);
  }

  /** Raises {err = "ERR msg"} as Redis's luaPushError + luaError do. */
  private raiseError(L: number, msg: string): never {
    pushErrorTable(this.vm, L, msg, false);
    return this.vm.error(L);
  }

  private requireRun(L: number, what: string, plain = false): ScriptRun {
    const run = this.run;
    if (run !== null) return run;
    const msg = `${what} can only be called inside a script invocation`;
    if (plain) return this.vm.raise(L, msg);
    return this.raiseError(L, msg);
  }

  /** luaArgsToRedisArgv: strings as they are, numbers as %.17g; anything else is refused. */
  private argsToArgv(L: number): string[] | string {
    const vm = this.vm;
    const n = vm.top(L);
    if (n === 0) return 'Please specify at least one argument for this redis lib call';
    const argv = new Array<string>(n);
    for (let i = 1; i <= n; i++) {
      const t = vm.type(L, i);
      if (t === LuaType.number) argv[i - 1] = formatG(vm.toNumber(L, i), 17);
      else if (t === LuaType.string) argv[i - 1] = vm.toString(L, i) ?? '';
      else return 'Lua redis lib command arguments must be strings or integers';
    }
    vm.setTop(L, 0);
    return argv;
  }

  private redisCall(L: number, raise: boolean): number {
    const vm = this.vm;
    const run = this.run;
    if (run === null) return this.raiseError(L, 'redis.call/pcall can only be called inside a script invocation');
    const argv = this.argsToArgv(L);
    if (typeof argv === 'string') {
      vm.setTop(L, 0);
      pushErrorTable(vm, L, argv, false);
      return raise ? vm.error(L) : 1;
    }
    const r = run.call(argv);
    if ('error' in r) {
      pushErrorTable(vm, L, r.error, false);
      vm.pushBoolean(L, true);
      vm.setField(L, -2, 'ignore_error_stats_update');
      return raise ? vm.error(L) : 1;
    }
    pushReply(vm, L, r.reply, 0);
    if (raise && r.reply.charCodeAt(0) === 45 /* - */) return vm.error(L);
    return 1;
  }

  private log(L: number): number {
    const vm = this.vm;
    const argc = vm.top(L);
    if (argc < 2) return this.raiseError(L, 'redis.log() requires two arguments or more.');
    if (!vm.isNumber(L, 1)) return this.raiseError(L, 'First argument must be a number (log level).');
    const level = Math.trunc(vm.toNumber(L, 1));
    if (level < 0 || level > 3) return this.raiseError(L, 'Invalid debug level.');
    if (level < this.host.verbosity()) return 0;
    const parts: string[] = [];
    for (let i = 2; i <= argc; i++) {
      const s = vm.toString(L, i);
      if (s !== null) parts.push(s);
    }
    this.host.log(level, parts.join(' '));
    return 0;
  }

  private mathRandom(L: number): number {
    const vm = this.vm;
    this.requireRun(L, 'math.random', true);
    const r = (this.random.next() % LRAND48_MAX) / LRAND48_MAX;
    switch (vm.top(L)) {
      case 0:
        vm.pushNumber(L, r);
        return 1;
      case 1: {
        const u = checkInt(vm, L, 1);
        if (!(u >= 1)) return vm.raise(L, "bad argument #1 to 'random' (interval is empty)");
        vm.pushNumber(L, Math.floor(r * u) + 1);
        return 1;
      }
      case 2: {
        const lo = checkInt(vm, L, 1);
        const hi = checkInt(vm, L, 2);
        if (!(lo <= hi)) return vm.raise(L, "bad argument #2 to 'random' (interval is empty)");
        // u-l+1 is C int arithmetic there: it wraps.
        vm.pushNumber(L, Math.floor(r * ((hi - lo + 1) | 0)) + lo);
        return 1;
      }
      default:
        return vm.raise(L, 'wrong number of arguments');
    }
  }
}
