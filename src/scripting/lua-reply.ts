// Conversions between Redis replies and Lua values, as script_lua.c does them:
// a command's RESP2/RESP3 reply becomes Lua values (redisProtocolToLuaType), and a
// script's return value becomes the caller's reply (luaReplyToRedisReply).

import type { ReplyWriter } from '../protocol/reply-writer.js';
import { LuaType, type LuaVM } from '../lua/lua-vm.js';

/** Pushes the Lua form of an error reply: {err = "CODE msg"}, as luaPushErrorBuff does. */
export function pushErrorTable(vm: LuaVM, L: number, raw: string, ignoreStats: boolean): void {
  let code = 'ERR';
  let msg = raw;
  if (raw.charCodeAt(0) === 45 /* - */) {
    const sp = raw.indexOf(' ');
    if (sp === -1) msg = raw.slice(1);
    else {
      code = raw.slice(1, sp);
      msg = raw.slice(sp + 1);
    }
  }
  msg = msg.replace(/^[\r\n]+|[\r\n]+$/g, '');
  vm.newTable(L, 0, 2);
  vm.pushString(L, `${code} ${msg}`);
  vm.setField(L, -2, 'err');
  if (ignoreStats) {
    vm.pushBoolean(L, true);
    vm.setField(L, -2, 'ignore_error_stats_update');
  }
}

/** Pushes one reply, read from `s` (latin1) at `pos`; returns the position after it. */
export function pushReply(vm: LuaVM, L: number, s: string, pos: number): number {
  const type = s.charCodeAt(pos);
  const eol = s.indexOf('\r\n', pos);
  const line = s.slice(pos + 1, eol);
  const next = eol + 2;
  if (!vm.checkStack(L, 4)) throw new Error('lua stack limit reach when parsing redis.call reply');
  switch (type) {
    case 0x3a /* : */:
      vm.pushNumber(L, Number(line));
      return next;
    case 0x24 /* $ */: {
      const n = Number(line);
      if (n < 0) {
        vm.pushBoolean(L, false);
        return next;
      }
      vm.pushString(L, s.slice(next, next + n));
      return next + n + 2;
    }
    case 0x2b /* + */:
      vm.newTable(L, 0, 1);
      vm.pushString(L, line);
      vm.setField(L, -2, 'ok');
      return next;
    case 0x2d /* - */:
      pushErrorTable(vm, L, '-' + line, true);
      return next;
    case 0x2a /* * */: {
      const n = Number(line);
      if (n < 0) {
        vm.pushBoolean(L, false);
        return next;
      }
      vm.newTable(L, n, 0);
      let p = next;
      for (let i = 1; i <= n; i++) {
        p = pushReply(vm, L, s, p);
        vm.rawSetI(L, -2, i);
      }
      return p;
    }
    case 0x25 /* % */: {
      const n = Number(line);
      vm.newTable(L, 0, 1);
      vm.newTable(L, 0, n);
      let p = next;
      for (let i = 0; i < n; i++) {
        p = pushReply(vm, L, s, p);
        p = pushReply(vm, L, s, p);
        vm.rawSet(L, -3);
      }
      vm.setField(L, -2, 'map');
      return p;
    }
    case 0x7e /* ~ */: {
      const n = Number(line);
      vm.newTable(L, 0, 1);
      vm.newTable(L, 0, n);
      let p = next;
      for (let i = 0; i < n; i++) {
        p = pushReply(vm, L, s, p);
        vm.pushBoolean(L, true);
        vm.rawSet(L, -3);
      }
      vm.setField(L, -2, 'set');
      return p;
    }
    case 0x5f /* _ */:
      vm.pushNil(L);
      return next;
    case 0x23 /* # */:
      vm.pushBoolean(L, line === 't');
      return next;
    case 0x2c /* , */:
      vm.newTable(L, 0, 1);
      vm.pushNumber(L, parseRespDouble(line));
      vm.setField(L, -2, 'double');
      return next;
    case 0x28 /* ( */:
      vm.newTable(L, 0, 1);
      vm.pushString(L, line);
      vm.setField(L, -2, 'big_number');
      return next;
    case 0x3d /* = */: {
      const n = Number(line);
      const body = s.slice(next, next + n);
      vm.newTable(L, 0, 1);
      vm.newTable(L, 0, 2);
      vm.pushString(L, body.slice(0, 3));
      vm.setField(L, -2, 'format');
      vm.pushString(L, body.slice(4));
      vm.setField(L, -2, 'string');
      vm.setField(L, -2, 'verbatim_string');
      return next + n + 2;
    }
    case 0x7c /* | */: {
      // Attributes are skipped: the value after them is the reply.
      const n = Number(line);
      let p = next;
      const top = vm.top(L);
      for (let i = 0; i < n * 2; i++) p = pushReply(vm, L, s, p);
      vm.setTop(L, top);
      return pushReply(vm, L, s, p);
    }
    default:
      throw new Error(`unexpected reply type '${String.fromCharCode(type)}' from a command run by a script`);
  }
}

function parseRespDouble(s: string): number {
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  if (s === 'nan' || s === '-nan') return NaN;
  return Number(s);
}

/** What a script's error value carries (luaExtractErrorInformation). */
export interface ScriptErrorInfo {
  msg: string;
  source: string | null;
  line: string | null;
  ignoreStats: boolean;
}

/** Reads the error value on top of the stack (a string, or a table with err/source/line). */
export function readErrorInfo(vm: LuaVM, L: number): ScriptErrorInfo {
  const info: ScriptErrorInfo = { msg: 'ERR unknown error', source: null, line: null, ignoreStats: false };
  const t = vm.type(L, -1);
  if (t === LuaType.string || t === LuaType.number) {
    info.msg = 'ERR ' + (vm.toString(L, -1) ?? '');
    return info;
  }
  if (t !== LuaType.table) return info;
  vm.getField(L, -1, 'err');
  if (vm.isString(L, -1)) info.msg = vm.toString(L, -1) ?? info.msg;
  vm.pop(L, 1);
  vm.getField(L, -1, 'source');
  if (vm.isString(L, -1)) info.source = vm.toString(L, -1);
  vm.pop(L, 1);
  vm.getField(L, -1, 'line');
  if (vm.isString(L, -1)) info.line = vm.toString(L, -1);
  vm.pop(L, 1);
  vm.getField(L, -1, 'ignore_error_stats_update');
  if (vm.type(L, -1) === LuaType.boolean) info.ignoreStats = vm.toBoolean(L, -1);
  vm.pop(L, 1);
  return info;
}


const nanBits = new DataView(new ArrayBuffer(8));
function nanSignBit(d: number): boolean {
  nanBits.setFloat64(0, d);
  return (nanBits.getUint8(0) & 0x80) !== 0;
}

/** The integer reply of a Lua number: (long long) truncation, as C casts it. */
function luaNumberToInteger(n: number): number | bigint {
  if (Number.isNaN(n) || !Number.isFinite(n)) return -9223372036854775808n;
  const t = Math.trunc(n);
  if (Number.isSafeInteger(t)) return t;
  // Out of range, x86's cvttsd2si gives the "integer indefinite" INT64_MIN either way
  // (redis-server answers :-9223372036854775808 to `return 2^63`), not a clamp.
  if (t >= 9223372036854775807 || t <= -9223372036854775808) return -9223372036854775808n;
  return BigInt(t);
}

/** Pushes t[name] of the table on top (raw) and keeps it if it has type `type`; otherwise pops it. */
function field(vm: LuaVM, L: number, name: string, type: number): boolean {
  vm.rawGetField(L, -1, name);
  if (vm.type(L, -1) === type) return true;
  vm.pop(L, 1);
  return false;
}

/** Redis prints doubles with %.17g: a NaN with its sign bit set (0/0 on x86) is "-nan". */
function writeDouble(out: ReplyWriter, d: number): void {
  if (Number.isNaN(d) && nanSignBit(d)) out.raw(out.resp === 2 ? '$4\r\n-nan\r\n' : ',-nan\r\n');
  else out.double(d);
}

/** A table being written: its entries are reached from the Lua stack, in order. */
interface Frame {
  kind: 0 /* array */ | 1 /* map */ | 2 /* set */;
  n: number;
  i: number;
  /** For a map: the key was written, its value comes next. */
  valueNext: boolean;
}

/**
 * Writes the value on top of the stack as the reply to `out`, and pops it.
 * `scriptResp` is the protocol the script chose with redis.setresp: it decides how
 * a boolean false is sent to a RESP2 script's caller. Nested tables are walked with
 * an explicit stack, so only Lua's own stack limit bounds the nesting, as in Redis.
 */
export function writeLuaReply(vm: LuaVM, L: number, out: ReplyWriter, scriptResp: 2 | 3): void {
  const frames: Frame[] = [];
  for (;;) {
    // The value to write is on top of the Lua stack.
    const frame = writeValue(vm, L, out, scriptResp);
    if (frame !== null) frames.push(frame);
    // Find the next value to write, closing finished tables.
    let found = false;
    while (frames.length > 0 && !found) {
      const f = frames[frames.length - 1];
      if (f.kind === 0) {
        if (f.i < f.n) {
          vm.rawGetI(L, -1, ++f.i);
          found = true;
        } else {
          vm.pop(L, 1);
          frames.pop();
        }
      } else if (f.kind === 1 && f.valueNext) {
        // Stack: table, key, value: the value is next; then iteration resumes from the key.
        f.valueNext = false;
        found = true;
      } else if (vm.next(L, -2)) {
        // Stack: table, key, value.
        if (f.kind === 1) {
          vm.pushValue(L, -2);
          f.valueNext = true;
        } else {
          vm.pop(L, 1);
          vm.pushValue(L, -1);
        }
        found = true;
      } else {
        // lua_next popped the key: the table is left.
        vm.pop(L, 1);
        frames.pop();
      }
    }
    if (!found) return;
  }
}

/** Writes a scalar or a special table and pops it; for a collection, writes its header and returns its frame. */
function writeValue(vm: LuaVM, L: number, out: ReplyWriter, scriptResp: 2 | 3): Frame | null {
  if (!vm.checkStack(L, 4)) {
    out.error('ERR reached lua stack limit');
    vm.pop(L, 1);
    return null;
  }
  switch (vm.type(L, -1)) {
    case LuaType.string:
      out.bulk(vm.toString(L, -1) ?? '');
      break;
    case LuaType.boolean:
      if (scriptResp === 2) {
        if (vm.toBoolean(L, -1)) out.int(1);
        else out.nullBulk();
      } else out.bool(vm.toBoolean(L, -1));
      break;
    case LuaType.number:
      out.int(luaNumberToInteger(vm.toNumber(L, -1)));
      break;
    case LuaType.table:
      return writeTable(vm, L, out);
    default:
      out.nullBulk();
  }
  vm.pop(L, 1);
  return null;
}

/**
 * A table on top of the stack: an error, status or typed RESP3 value is written and
 * popped; a map, set or array gets its header written and a frame to walk it (the
 * table stays on the stack, with a nil key pushed for a map or set).
 */
function writeTable(vm: LuaVM, L: number, out: ReplyWriter): Frame | null {
  if (field(vm, L, 'err', LuaType.string)) {
    vm.pop(L, 1);
    const info = readErrorInfo(vm, L);
    if (info.ignoreStats) out.errorUncounted(info.msg);
    else out.error(info.msg);
    vm.pop(L, 1);
    return null;
  }
  // A status, double or big number: written from the field, then field and table popped.
  if (field(vm, L, 'ok', LuaType.string)) out.status(oneLine(vm.toString(L, -1)));
  else if (field(vm, L, 'double', LuaType.number)) writeDouble(out, vm.toNumber(L, -1));
  else if (field(vm, L, 'big_number', LuaType.string)) out.bigNumber(oneLine(vm.toString(L, -1)));
  else return writeCollection(vm, L, out);
  vm.pop(L, 2);
  return null;
}

/** Text a one-line reply carries: CR and LF become spaces, as sdsmapchars does. */
function oneLine(s: string | null): string {
  return (s ?? '').replace(/[\r\n]/g, ' ');
}

/** The rest of writeTable: a verbatim string, or a map, set or array to walk. */
function writeCollection(vm: LuaVM, L: number, out: ReplyWriter): Frame | null {
  if (field(vm, L, 'verbatim_string', LuaType.table)) {
    vm.rawGetField(L, -1, 'format');
    vm.rawGetField(L, -2, 'string');
    if (vm.type(L, -2) === LuaType.string && vm.type(L, -1) === LuaType.string) {
      out.verbatim(vm.toString(L, -1) ?? '', vm.toString(L, -2) ?? 'txt');
      vm.pop(L, 4);
      return null;
    }
    vm.pop(L, 3);
  }

  for (const [name, kind] of [
    ['map', 1],
    ['set', 2],
  ] as const) {
    if (field(vm, L, name, LuaType.table)) {
      // Stack: outer table, inner table: the inner one is walked, the outer dropped.
      vm.replace(L, -2);
      let n = 0;
      vm.pushNil(L);
      while (vm.next(L, -2)) {
        n++;
        vm.pop(L, 1);
      }
      if (kind === 1) out.mapLen(n);
      else out.setLen(n);
      vm.pushNil(L);
      return { kind, n, i: 0, valueNext: false };
    }
  }

  // An array: elements 1..n up to the first nil.
  let n = 0;
  for (;;) {
    vm.rawGetI(L, -1, n + 1);
    const nil = vm.type(L, -1) === LuaType.nil;
    vm.pop(L, 1);
    if (nil) break;
    n++;
  }
  out.arrayLen(n);
  return { kind: 0, n, i: 0, valueNext: false };
}
