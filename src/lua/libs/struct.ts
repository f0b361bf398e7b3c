// The `struct` library Redis links into its Lua VM (deps/lua/src/lua_struct.c,
// Roberto Ierusalimschy's struct 0.2 with Redis's security fixes), rewritten over
// the C API. Behaviour follows the C as built for x86-64 Linux: native little
// endian, long / size_t of 8 bytes, int of 4, maximum alignment 8, and the
// double -> 64-bit integer casts as GCC compiles them (out-of-range values wrap
// the way cvttsd2si does). Strings are latin1, one char per byte.
//
// Format: '<' '>' endianness, '![n]' alignment, 'x' padding, 'b' 'B' 'h' 'H' 'l'
// 'L' 'T' 'i[n]' 'I[n]' integers, 'f' 'd' floats, 's' zero-terminated string,
// 'c[n]' fixed string (c0: whole string when packing, previous number when
// unpacking), ' ' ignored. A NUL in the format ends it, as for the C string.

import type { LuaVM } from '../lua-vm.js';

const MAXINTSIZE = 32;
const MAXALIGN = 8;
const INT_MAX = 2147483647;
const TWO32 = 4294967296;
const TWO63 = 9223372036854775808;
const TWO64 = 18446744073709551616;

const FIXED_SIZES: Record<string, number> = { b: 1, B: 1, h: 2, H: 2, l: 8, L: 8, T: 8, f: 4, d: 8, x: 1 };
const INTEGER_OPTS = 'bBhHlLTiI';

interface Header {
  little: boolean;
  align: number;
}

/** A cursor over the format string, with the C library's option parsing. */
class Format {
  readonly fmt: string;
  i = 0;
  readonly h: Header = { little: true, align: 1 };

  constructor(
    private readonly vm: LuaVM,
    private readonly L: number,
    fmt: string,
  ) {
    const nul = fmt.indexOf('\0');
    this.fmt = nul < 0 ? fmt : fmt.slice(0, nul);
  }

  more(): boolean {
    return this.i < this.fmt.length;
  }

  next(): string {
    return this.fmt[this.i++];
  }

  private isDigit(): boolean {
    const c = this.fmt.charCodeAt(this.i);
    return c >= 48 && c <= 57;
  }

  /** getnum: an optional decimal count after an option. */
  num(df: number): number {
    if (!this.isDigit()) return df;
    let a = 0;
    do {
      const d = this.fmt.charCodeAt(this.i) - 48;
      if (a > Math.floor(INT_MAX / 10) || a * 10 > INT_MAX - d) this.vm.raise(this.L, 'integral size overflow');
      a = a * 10 + d;
      this.i++;
    } while (this.isDigit());
    return a;
  }

  /** optsize: bytes taken by an option (0 for the control options and 's'). */
  size(opt: string): number {
    const fixed = FIXED_SIZES[opt];
    if (fixed !== undefined) return fixed;
    if (opt === 'c') return this.num(1);
    if (opt === 'i' || opt === 'I') {
      const sz = this.num(4);
      if (sz > MAXINTSIZE) this.vm.raise(this.L, `integral size ${sz} is larger than limit of ${MAXINTSIZE}`);
      return sz;
    }
    return 0;
  }

  /** gettoalign: padding before an item of `size` bytes at offset `len`. */
  toAlign(len: number, opt: string, size: number): number {
    if (size === 0 || opt === 'c') return 0;
    if (size > this.h.align) size = this.h.align;
    return (size - (len & (size - 1))) & (size - 1);
  }

  /** controloptions: endianness, alignment and spaces; anything else is an error. */
  control(opt: string): void {
    switch (opt) {
      case ' ':
        return;
      case '>':
        this.h.little = false;
        return;
      case '<':
        this.h.little = true;
        return;
      case '!': {
        const a = this.num(MAXALIGN);
        if (a <= 0 || (a & (a - 1)) !== 0) this.vm.raise(this.L, `alignment ${a} is not a power of 2`);
        this.h.align = a;
        return;
      }
      default:
        this.vm.argError(this.L, 1, `invalid format option '${opt}'`);
    }
  }
}

/** (int64_t)d as x86-64 computes it: out of range and NaN give INT64_MIN. */
function toInt64(d: number): number {
  if (!(d > -TWO63 - 1 && d < TWO63)) return -TWO63;
  return Math.trunc(d) + 0;
}

/**
 * (uint64_t)d as GCC compiles it for x86-64 (the C casts negatives through int64
 * first, so only d >= 0 or NaN reaches here): NaN gives 2^63, 2^64 and above give 0.
 */
function toUint64(d: number): number {
  if (Number.isNaN(d)) return TWO63;
  if (d >= TWO64) return 0;
  return Math.trunc(d);
}

/** The value putinteger stores: the 64-bit two's complement pattern as [lo, hi] words. */
function integerWords(n: number): [number, number] {
  const v = n < 0 ? toInt64(n) : toUint64(n);
  const lo = ((v % TWO32) + TWO32) % TWO32;
  const hi = ((Math.floor(v / TWO32) % TWO32) + TWO32) % TWO32;
  return [lo, hi];
}

function packInteger(n: number, size: number, little: boolean): string {
  const [lo, hi] = integerWords(n);
  const bytes = new Array<number>(size);
  for (let k = 0; k < size; k++) {
    // Byte k of significance; the unsigned 64-bit value shifts in zeros past byte 7.
    const b = k < 4 ? (lo >>> (8 * k)) & 0xff : k < 8 ? (hi >>> (8 * (k - 4))) & 0xff : 0;
    bytes[little ? k : size - 1 - k] = b;
  }
  return String.fromCharCode(...bytes);
}

/** getinteger: accumulate into a 64-bit unsigned (only the low 8 bytes survive), then sign-extend. */
function unpackInteger(data: string, pos: number, size: number, little: boolean, signed: boolean): number {
  const byteAt = (k: number): number => data.charCodeAt(little ? pos + k : pos + size - 1 - k);
  if (size <= 6) {
    let v = 0;
    for (let k = size - 1; k >= 0; k--) v = v * 256 + byteAt(k);
    if (signed && size > 0 && v >= 2 ** (size * 8 - 1)) v -= 2 ** (size * 8);
    return v;
  }
  let l = 0n;
  for (let k = Math.min(size, 8) - 1; k >= 0; k--) l = (l << 8n) | BigInt(byteAt(k));
  if (!signed) return Number(l);
  // The C shifts ~0 by size*8-1; x86 masks a 64-bit shift count to 6 bits.
  const mask = BigInt.asUintN(64, ~0n << BigInt((size * 8 - 1) & 63));
  if ((l & mask) !== 0n) l |= mask;
  return Number(BigInt.asIntN(64, l));
}

const scratch = new DataView(new ArrayBuffer(8));

function packFloat(n: number, size: 4 | 8, little: boolean): string {
  if (size === 4) scratch.setFloat32(0, n, little);
  else scratch.setFloat64(0, n, little);
  let s = '';
  for (let k = 0; k < size; k++) s += String.fromCharCode(scratch.getUint8(k));
  return s;
}

function unpackFloat(data: string, pos: number, size: 4 | 8, little: boolean): number {
  for (let k = 0; k < size; k++) scratch.setUint8(k, data.charCodeAt(pos + k));
  return size === 4 ? scratch.getFloat32(0, little) : scratch.getFloat64(0, little);
}

/** (size_t)d for the 'c0' count, as GCC compiles it for x86-64; Infinity stands for a huge size. */
function toSizeT(d: number): number {
  if (Number.isNaN(d) || d <= -1) return Infinity;
  if (d >= TWO64) return 0;
  return Math.trunc(d) + 0;
}

function pack(vm: LuaVM, L: number): number {
  const f = new Format(vm, L, vm.checkString(L, 1));
  // The C pushes a nil mark above the arguments (its string buffer sits over it), so
  // the first missing argument reads as nil, not "no value"; none can be read beyond.
  vm.pushNil(L);
  const out: string[] = [];
  let arg = 2;
  let total = 0;
  while (f.more()) {
    const opt = f.next();
    let size = f.size(opt);
    const toalign = f.toAlign(total, opt, size);
    total += toalign;
    if (toalign > 0) out.push('\0'.repeat(toalign));
    if (INTEGER_OPTS.includes(opt)) {
      out.push(packInteger(vm.checkNumber(L, arg++), size, f.h.little));
    } else if (opt === 'x') {
      out.push('\0');
    } else if (opt === 'f' || opt === 'd') {
      out.push(packFloat(vm.checkNumber(L, arg++), size as 4 | 8, f.h.little));
    } else if (opt === 'c' || opt === 's') {
      const s = vm.checkString(L, arg++);
      if (size === 0) size = s.length;
      // The C reports the argument after the string (it has already advanced).
      if (s.length < size) vm.argError(L, arg, 'string too short');
      out.push(size === s.length ? s : s.slice(0, size));
      if (opt === 's') {
        out.push('\0');
        size++;
      }
    } else {
      f.control(opt);
    }
    total += size;
  }
  vm.pushString(L, out.join(''));
  return 1;
}

function unpack(vm: LuaVM, L: number): number {
  const f = new Format(vm, L, vm.checkString(L, 1));
  const data = vm.checkString(L, 2);
  const ld = data.length;
  // luaL_optinteger into a size_t: only 0 is rejected; negatives become huge offsets.
  const start = vm.type(L, 3) <= 0 ? 1 : toInt64(vm.checkNumber(L, 3));
  if (start === 0) vm.argError(L, 3, 'offset must be 1 or greater');
  if (!f.more()) {
    vm.pushNumber(L, start);
    return 1;
  }
  let pos = start > 0 ? start - 1 : Infinity;
  let n = 0;
  const fits = (size: number): boolean => size <= ld && pos <= ld - size;
  while (f.more()) {
    const opt = f.next();
    let size = f.size(opt);
    pos += f.toAlign(pos, opt, size);
    if (!fits(size)) vm.argError(L, 2, 'data string too short');
    if (!vm.checkStack(L, 2)) vm.raise(L, 'stack overflow (too many results)');
    if (INTEGER_OPTS.includes(opt)) {
      const signed = opt >= 'a' && opt <= 'z';
      vm.pushNumber(L, unpackInteger(data, pos, size, f.h.little, signed));
      n++;
    } else if (opt === 'x') {
      // padding
    } else if (opt === 'f' || opt === 'd') {
      vm.pushNumber(L, unpackFloat(data, pos, size as 4 | 8, f.h.little));
      n++;
    } else if (opt === 'c') {
      if (size === 0) {
        if (n === 0 || !vm.isNumber(L, -1)) vm.raise(L, "format 'c0' needs a previous size");
        size = toSizeT(vm.toNumber(L, -1));
        vm.pop(L, 1);
        n--;
        if (!fits(size)) vm.argError(L, 2, 'data string too short');
      }
      vm.pushString(L, data.slice(pos, pos + size));
      n++;
    } else if (opt === 's') {
      const e = data.indexOf('\0', pos);
      if (e < 0) vm.raise(L, 'unfinished string in data');
      size = e - pos + 1;
      vm.pushString(L, data.slice(pos, e));
      n++;
    } else {
      f.control(opt);
    }
    pos += size;
  }
  vm.pushNumber(L, pos + 1);
  return n + 1;
}

function isAlnum(opt: string): boolean {
  return /^[0-9A-Za-z]$/.test(opt);
}

function size(vm: LuaVM, L: number): number {
  const f = new Format(vm, L, vm.checkString(L, 1));
  let pos = 0;
  while (f.more()) {
    const opt = f.next();
    const sz = f.size(opt);
    pos += f.toAlign(pos, opt, sz);
    if (opt === 's') vm.argError(L, 1, "option 's' has no fixed size");
    else if (opt === 'c' && sz === 0) vm.argError(L, 1, "option 'c0' has no fixed size");
    // Unknown letters and digits are silently ignored here, as in the C.
    if (!isAlnum(opt)) f.control(opt);
    pos += sz;
  }
  vm.pushNumber(L, pos);
  return 1;
}

const cache = new WeakMap<LuaVM, Record<string, number>>();

/** Creates the global table `struct` (pack, unpack, size) in the VM's main state. */
export function installStruct(vm: LuaVM): void {
  let fns = cache.get(vm);
  if (fns === undefined) {
    fns = {
      pack: vm.cfunction((L) => pack(vm, L)),
      unpack: vm.cfunction((L) => unpack(vm, L)),
      size: vm.cfunction((L) => size(vm, L)),
    };
    cache.set(vm, fns);
  }
  const L = vm.L;
  vm.newTable(L, 0, 3);
  for (const name of ['pack', 'unpack', 'size']) {
    vm.pushCFunction(L, fns[name]);
    vm.setField(L, -2, name);
  }
  vm.setGlobal(L, 'struct');
}
