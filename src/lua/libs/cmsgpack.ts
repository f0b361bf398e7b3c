// The cmsgpack library Redis links into its Lua VM (deps/lua/src/lua_cmsgpack.c,
// lua-cmsgpack 0.4.0), rewritten over the C API. Behaviour follows the 64-bit
// build Redis ships: Lua numbers are doubles, lua_Integer is 64 bits, so an
// integral double in [-2^63, 2^63) packs as the smallest msgpack int, a uint64
// is read as a signed int64 before becoming a double, and bin/ext types are
// "Bad data format".

import { LuaType, type LuaVM } from '../lua-vm.js';

const MAX_NESTING = 16;
const TWO_63 = 2 ** 63;

/** A growable byte buffer for the encoder. */
class Writer {
  buf = new Uint8Array(256);
  view = new DataView(this.buf.buffer);
  len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.len++] = b & 0xff;
  }

  /** A type byte followed by a big-endian unsigned integer of `size` bytes (1, 2 or 4). */
  head(type: number, size: 1 | 2 | 4, n: number): void {
    this.reserve(1 + size);
    this.buf[this.len] = type;
    if (size === 1) this.view.setUint8(this.len + 1, n & 0xff);
    else if (size === 2) this.view.setUint16(this.len + 1, n & 0xffff);
    else this.view.setUint32(this.len + 1, n >>> 0);
    this.len += 1 + size;
  }

  int64(type: number, n: bigint): void {
    this.reserve(9);
    this.buf[this.len] = type;
    this.view.setBigUint64(this.len + 1, BigInt.asUintN(64, n));
    this.len += 9;
  }

  float32(d: number): void {
    this.reserve(5);
    this.buf[this.len] = 0xca;
    this.view.setFloat32(this.len + 1, d);
    this.len += 5;
  }

  float64(d: number): void {
    this.reserve(9);
    this.buf[this.len] = 0xcb;
    this.view.setFloat64(this.len + 1, d);
    this.len += 9;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
}

// --- encoding ----------------------------------------------------------------------

function encodeInt(w: Writer, n: number): void {
  if (n >= 0) {
    if (n <= 127) w.byte(n);
    else if (n <= 0xff) w.head(0xcc, 1, n);
    else if (n <= 0xffff) w.head(0xcd, 2, n);
    else if (n <= 0xffffffff) w.head(0xce, 4, n);
    else w.int64(0xcf, BigInt(n));
  } else {
    if (n >= -32) w.byte(n & 0xff);
    else if (n >= -128) w.head(0xd0, 1, n);
    else if (n >= -32768) w.head(0xd1, 2, n);
    else if (n >= -2147483648) w.head(0xd2, 4, n);
    else w.int64(0xd3, BigInt(n));
  }
}

/** IS_INT64_EQUIVALENT: finite and (int64_t)n == n. */
function isInt64Equivalent(n: number): boolean {
  return Number.isInteger(n) && n >= -TWO_63 && n < TWO_63;
}

/** IS_INT_EQUIVALENT with a 32-bit int. */
function isIntEquivalent(n: number): boolean {
  return Number.isInteger(n) && n >= -2147483648 && n <= 2147483647;
}

function encodeNumber(w: Writer, n: number): void {
  if (isInt64Equivalent(n)) encodeInt(w, n);
  else if (Math.fround(n) === n) w.float32(n);
  else w.float64(n);
}

function encodeString(w: Writer, s: Uint8Array): void {
  const len = s.length;
  if (len < 32) w.byte(0xa0 | len);
  else if (len <= 0xff) w.head(0xd9, 1, len);
  else if (len <= 0xffff) w.head(0xda, 2, len);
  else w.head(0xdb, 4, len);
  w.bytes(s);
}

function encodeCount(w: Writer, fix: number, type16: number, n: number): void {
  if (n <= 15) w.byte(fix | n);
  else if (n <= 65535) w.head(type16, 2, n);
  else w.head(type16 + 1, 4, n);
}

class Encoder {
  constructor(private readonly vm: LuaVM) {}

  private ensureStack(L: number, n: number, where: string): void {
    if (!this.vm.checkStack(L, n)) this.vm.raise(L, `stack overflow (in function ${where})`);
  }

  /** table_is_an_array: only keys 1..N, N being the number of keys. */
  private isArray(L: number): boolean {
    const vm = this.vm;
    const top = vm.top(L);
    this.ensureStack(L, 2, 'table_is_an_array');
    let count = 0;
    let max = 0;
    vm.pushNil(L);
    while (vm.next(L, -2)) {
      vm.pop(L, 1);
      let n = 0;
      if (vm.type(L, -1) !== LuaType.number || (n = vm.toNumber(L, -1)) <= 0 || !isIntEquivalent(n)) {
        vm.setTop(L, top);
        return false;
      }
      if (n > max) max = n;
      count++;
    }
    vm.setTop(L, top);
    return max === count;
  }

  private encodeArray(L: number, w: Writer, level: number): void {
    const vm = this.vm;
    const len = vm.objLen(L, -1);
    encodeCount(w, 0x90, 0xdc, len);
    this.ensureStack(L, 1, 'mp_encode_lua_table_as_array');
    for (let j = 1; j <= len; j++) {
      vm.rawGetI(L, -1, j);
      this.encode(L, w, level + 1);
    }
  }

  private encodeMap(L: number, w: Writer, level: number): void {
    const vm = this.vm;
    this.ensureStack(L, 3, 'mp_encode_lua_table_as_map');
    let len = 0;
    vm.pushNil(L);
    while (vm.next(L, -2)) {
      vm.pop(L, 1);
      len++;
    }
    encodeCount(w, 0x80, 0xde, len);
    vm.pushNil(L);
    while (vm.next(L, -2)) {
      vm.pushValue(L, -2);
      this.encode(L, w, level + 1); // the key
      this.encode(L, w, level + 1); // the value
    }
  }

  /** Encodes the value on top of the stack and pops it. */
  encode(L: number, w: Writer, level: number): void {
    const vm = this.vm;
    let t = vm.type(L, -1);
    if (t === LuaType.table && level === MAX_NESTING) t = LuaType.nil;
    switch (t) {
      case LuaType.string:
        encodeString(w, vm.toBytes(L, -1)!);
        break;
      case LuaType.boolean:
        w.byte(vm.toBoolean(L, -1) ? 0xc3 : 0xc2);
        break;
      case LuaType.number:
        encodeNumber(w, vm.toNumber(L, -1));
        break;
      case LuaType.table:
        if (this.isArray(L)) this.encodeArray(L, w, level);
        else this.encodeMap(L, w, level);
        break;
      default:
        w.byte(0xc0);
    }
    vm.pop(L, 1);
  }
}

// --- decoding ----------------------------------------------------------------------

const ERR_NONE = 0;
const ERR_EOF = 1;
const ERR_BADFMT = 2;

const TOO_MANY = 'too many return values at once; use unpack_one or unpack_limit instead.';

/** The read position in the input, with the first error met. */
class Cursor {
  err = ERR_NONE;
  readonly view: DataView;
  constructor(
    readonly s: Buffer,
    public p: number,
  ) {
    this.view = new DataView(s.buffer, s.byteOffset, s.length);
  }
  get left(): number {
    return this.s.length - this.p;
  }
  /** mp_cur_need: false (and EOF set) when fewer than n bytes remain. */
  need(n: number): boolean {
    if (this.left < n) {
      this.err = ERR_EOF;
      return false;
    }
    return true;
  }
}

/** A table being filled: an array (next index, length) or a map (pairs left, key pending). */
interface Frame {
  hash: boolean;
  next: number;
  len: number;
  haveKey: boolean;
}

/**
 * The decoder walks nested arrays and maps with an explicit stack of frames rather
 * than recursion, so deep input meets the Lua stack limit (LUAI_MAXCSTACK) exactly
 * where the C does, not the JS one. The Lua stack sees the same pushes in the same
 * order as in the C: the table, then per array element its index before the value.
 */
class Decoder {
  constructor(private readonly vm: LuaVM) {}

  private checkStack(L: number, n: number, msg: string): void {
    if (!this.vm.checkStack(L, n)) this.vm.raise(L, `stack overflow (${msg})`);
  }

  /** Pushes one complete value, or sets c.err and leaves the stack in any state. */
  decode(L: number, c: Cursor): void {
    const frames: Frame[] = [];
    for (;;) {
      const f = this.item(L, c);
      if (c.err) return;
      if (f !== null) frames.push(f);
      else if (frames.length === 0) return;
      else this.attach(L, frames[frames.length - 1]);
      // Start the next element of the innermost unfinished table, closing finished ones.
      for (;;) {
        const top = frames[frames.length - 1];
        if (top.hash ? top.haveKey || top.next < top.len : top.next <= top.len) {
          if (!top.hash) this.vm.pushNumber(L, top.next++);
          break;
        }
        frames.pop();
        if (frames.length === 0) return;
        this.attach(L, frames[frames.length - 1]);
      }
    }
  }

  /** A value was completed on top of the stack: store it into the table of `f`. */
  private attach(L: number, f: Frame): void {
    const vm = this.vm;
    if (f.hash) {
      if (!f.haveKey) {
        f.haveKey = true;
        return;
      }
      // lua_settable's own errors, raised from a C function: no position prefix.
      const kt = vm.type(L, -2);
      if (kt === LuaType.nil || (kt === LuaType.number && Number.isNaN(vm.toNumber(L, -2)))) {
        vm.pushString(L, kt === LuaType.nil ? 'table index is nil' : 'table index is NaN');
        vm.error(L);
      }
      f.haveKey = false;
      f.next++;
    }
    vm.rawSet(L, -3);
  }

  private table(L: number, c: Cursor, hdr: number, hash: boolean, len: number): Frame {
    c.p += hdr;
    this.vm.newTable(L);
    if (!hash) this.checkStack(L, 1, 'in function mp_decode_to_lua_array');
    return { hash, next: hash ? 0 : 1, len, haveKey: false };
  }

  private str(L: number, c: Cursor, hdr: number, len: number): null {
    if (!c.need(hdr + len)) return null;
    this.vm.pushBytes(L, c.s.subarray(c.p + hdr, c.p + hdr + len));
    c.p += hdr + len;
    return null;
  }

  /**
   * Reads one value's header: pushes a scalar (returns null) or a new table (returns
   * its frame); on short or bad input sets c.err.
   */
  private item(L: number, c: Cursor): Frame | null {
    const vm = this.vm;
    if (!c.need(1)) return null;
    this.checkStack(L, 1, TOO_MANY);
    const s = c.s;
    const v = c.view;
    const p = c.p;
    const b = s[p];
    // Fixed-size values: the bytes they take, type byte included.
    let size = 0;
    let num = 0;
    switch (b) {
      case 0xcc: size = 2; if (c.need(2)) num = s[p + 1]; break;
      case 0xd0: size = 2; if (c.need(2)) num = v.getInt8(p + 1); break;
      case 0xcd: size = 3; if (c.need(3)) num = v.getUint16(p + 1); break;
      case 0xd1: size = 3; if (c.need(3)) num = v.getInt16(p + 1); break;
      case 0xce: size = 5; if (c.need(5)) num = v.getUint32(p + 1); break;
      case 0xd2: size = 5; if (c.need(5)) num = v.getInt32(p + 1); break;
      // A uint64 goes through lua_pushinteger, a signed 64-bit lua_Integer.
      case 0xcf: size = 9; if (c.need(9)) num = Number(v.getBigInt64(p + 1)); break;
      case 0xd3: size = 9; if (c.need(9)) num = Number(v.getBigInt64(p + 1)); break;
      case 0xca: size = 5; if (c.need(5)) num = v.getFloat32(p + 1); break;
      case 0xcb: size = 9; if (c.need(9)) num = v.getFloat64(p + 1); break;
      case 0xc0: vm.pushNil(L); c.p++; return null;
      case 0xc3: vm.pushBoolean(L, true); c.p++; return null;
      case 0xc2: vm.pushBoolean(L, false); c.p++; return null;
      case 0xd9: return c.need(2) ? this.str(L, c, 2, s[p + 1]) : null;
      case 0xda: return c.need(3) ? this.str(L, c, 3, v.getUint16(p + 1)) : null;
      case 0xdb: return c.need(5) ? this.str(L, c, 5, v.getUint32(p + 1)) : null;
      case 0xdc: return c.need(3) ? this.table(L, c, 3, false, v.getUint16(p + 1)) : null;
      case 0xdd: return c.need(5) ? this.table(L, c, 5, false, v.getUint32(p + 1)) : null;
      case 0xde: return c.need(3) ? this.table(L, c, 3, true, v.getUint16(p + 1)) : null;
      case 0xdf: return c.need(5) ? this.table(L, c, 5, true, v.getUint32(p + 1)) : null;
      default:
        if ((b & 0x80) === 0) { size = 1; num = b; }
        else if ((b & 0xe0) === 0xe0) { size = 1; num = b - 256; }
        else if ((b & 0xe0) === 0xa0) return this.str(L, c, 1, b & 0x1f);
        else if ((b & 0xf0) === 0x90) return this.table(L, c, 1, false, b & 0xf);
        else if ((b & 0xf0) === 0x80) return this.table(L, c, 1, true, b & 0xf);
        else { c.err = ERR_BADFMT; return null; }
    }
    if (c.err) return null;
    vm.pushNumber(L, num);
    c.p += size;
    return null;
  }
}

// --- the Lua functions ---------------------------------------------------------------

/** luaL_checkinteger/luaL_optinteger with a 64-bit lua_Integer, as a JS number (exact below 2^53). */
function integerArg(vm: LuaVM, L: number, idx: number, def?: number): number {
  if (def !== undefined && vm.type(L, idx) <= LuaType.nil) return def;
  const d = vm.toNumber(L, idx);
  if (d === 0 && !vm.isNumber(L, idx)) vm.typeError(L, idx, 'number');
  // (ptrdiff_t)d: truncation; NaN and out-of-range give INT64_MIN on x86-64.
  if (Number.isNaN(d) || d >= TWO_63 || d < -TWO_63) return -TWO_63;
  return Math.trunc(d) + 0;
}

/** (int) of a 64-bit integer held in a double: its low 32 bits, signed. */
function toCInt(n: number): number {
  return Number(BigInt.asIntN(32, BigInt(n)));
}

function unpackFull(vm: LuaVM, decoder: Decoder, L: number, limit: number, offset: number): number {
  const decodeAll = limit === 0 && offset === 0;
  const s = vm.toBytes(L, 1);
  if (s === null) return vm.typeError(L, 1, 'string');
  const len = s.length;
  if (offset < 0 || limit < 0) {
    // The C prints the input length where it announces the limit.
    vm.raise(L, `Invalid request to unpack with offset of ${toCInt(offset)} and limit of ${toCInt(len)}.`);
  } else if (offset > len) {
    vm.raise(L, `Start offset ${toCInt(offset)} greater than input length ${toCInt(len)}.`);
  }
  if (decodeAll) limit = 2147483647;
  const c = new Cursor(s, offset);
  let cnt = 0;
  for (; c.left > 0 && cnt < limit; cnt++) {
    decoder.decode(L, c);
    if (c.err === ERR_EOF) vm.raise(L, 'Missing bytes in input.');
    else if (c.err === ERR_BADFMT) vm.raise(L, 'Bad data format in input.');
  }
  if (!decodeAll) {
    if (!vm.checkStack(L, 1)) vm.raise(L, 'stack overflow (in function mp_unpack_full)');
    vm.pushNumber(L, c.left === 0 ? -1 : len - c.left);
    vm.insert(L, 2);
    cnt++;
  }
  return cnt;
}

/** Creates the global table `cmsgpack` in the VM's main state. */
export function installCmsgpack(vm: LuaVM): void {
  const L0 = vm.L;
  const encoder = new Encoder(vm);
  const decoder = new Decoder(vm);

  const pack = vm.cfunction((L) => {
    const nargs = vm.top(L);
    if (nargs === 0) vm.argError(L, 0, 'MessagePack pack needs input.');
    if (!vm.checkStack(L, nargs)) vm.argError(L, 0, 'Too many arguments for MessagePack pack.');
    const w = new Writer();
    for (let i = 1; i <= nargs; i++) {
      if (!vm.checkStack(L, 1)) vm.raise(L, 'stack overflow (in function mp_check)');
      vm.pushValue(L, i);
      encoder.encode(L, w, 0);
    }
    vm.pushBytes(L, w.buf.subarray(0, w.len));
    return 1;
  });

  const unpack = vm.cfunction((L) => unpackFull(vm, decoder, L, 0, 0));

  const unpackOne = vm.cfunction((L) => {
    const offset = integerArg(vm, L, 2, 0);
    if (vm.top(L) > 1) vm.setTop(L, 1);
    return unpackFull(vm, decoder, L, 1, offset);
  });

  const unpackLimit = vm.cfunction((L) => {
    const limit = integerArg(vm, L, 2);
    const offset = integerArg(vm, L, 3, 0);
    if (vm.top(L) > 1) vm.setTop(L, 1);
    return unpackFull(vm, decoder, L, limit, offset);
  });

  vm.newTable(L0);
  const fns: [string, number][] = [
    ['pack', pack],
    ['unpack', unpack],
    ['unpack_one', unpackOne],
    ['unpack_limit', unpackLimit],
  ];
  for (const [name, fn] of fns) {
    vm.pushCFunction(L0, fn);
    vm.setField(L0, -2, name);
  }
  const meta: [string, string][] = [
    ['_NAME', 'cmsgpack'],
    ['_VERSION', 'lua-cmsgpack 0.4.0'],
    ['_COPYRIGHT', 'Copyright (C) 2012, Salvatore Sanfilippo'],
    ['_DESCRIPTION', 'MessagePack C implementation for Lua'],
  ];
  for (const [key, value] of meta) {
    vm.pushString(L0, value);
    vm.setField(L0, -2, key);
  }
  vm.setGlobal(L0, 'cmsgpack');
}
