// lua-cjson 2.1.0 as Redis 7.0 links it (deps/lua/src/lua_cjson.c), over the C API
// of the WebAssembly VM. Behaviour follows the C library: same array/object rules,
// same %.14g numbers, same escapes, same parser (strtod numbers, C-string end at NUL)
// and the same error texts. Strings are binary: one latin1 JS char per byte.

import { LUA_GLOBALSINDEX, LuaType, type LuaVM } from '../lua-vm.js';
import { formatG } from '../../util/number-format.js';

const CONFIG_UPVALUE = LUA_GLOBALSINDEX - 1; // lua_upvalueindex(1)
const INT_MAX = 2147483647;
const INT_MIN = -2147483648;

/** Per-module settings; cjson.new() makes an independent set. */
interface Config {
  sparseConvert: number;
  sparseRatio: number;
  sparseSafe: number;
  encodeMaxDepth: number;
  encodeInvalidNumbers: number; // 0 off, 1 on, 2 "null"
  precision: number;
  keepBuffer: number;
  decodeInvalidNumbers: number;
  decodeMaxDepth: number;
}

const DEFAULTS: Config = {
  sparseConvert: 0, sparseRatio: 2, sparseSafe: 10, encodeMaxDepth: 1000, encodeInvalidNumbers: 0,
  precision: 14, keepBuffer: 1, decodeInvalidNumbers: 1, decodeMaxDepth: 1000,
};

/** lua_typename, indexed by type + 1 (so "no value" is at 0). */
const TYPE_NAMES = ['no value', 'nil', 'boolean', 'userdata', 'number', 'string', 'table', 'function', 'userdata', 'thread'];

function typeName(vm: LuaVM, L: number, idx: number): string {
  return TYPE_NAMES[vm.type(L, idx) + 1];
}

/** The escape for each byte the encoder rewrites: controls, '"', '/', '\\' and DEL. */
const ESCAPES: Record<string, string> = {};
for (let c = 0; c < 32; c++) ESCAPES[String.fromCharCode(c)] = '\\u' + c.toString(16).padStart(4, '0');
Object.assign(ESCAPES, { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' });
Object.assign(ESCAPES, { '"': '\\"', '/': '\\/', '\\': '\\\\', '\x7f': '\\u007f' });
const ESCAPE_RE = /[\x00-\x1f"/\\\x7f]/g;
const NEEDS_ESCAPE = /[\x00-\x1f"/\\\x7f]/;

function quote(s: string): string {
  return '"' + (NEEDS_ESCAPE.test(s) ? s.replace(ESCAPE_RE, (ch) => ESCAPES[ch]) : s) + '"';
}

/** C's double-to-int conversion on x86-64 (cvttsd2si): out of range gives INT_MIN. */
function toCInt(d: number): number {
  return d >= INT_MIN && d < INT_MAX + 1 ? Math.trunc(d) : INT_MIN;
}

/**
 * luaL_checkinteger then an assignment to a C int, as on x86-64: the number is cut to a
 * 64-bit integer (NaN or out of range gives INT64_MIN) and then to its low 32 bits.
 */
function checkInt(vm: LuaVM, L: number, narg: number): number {
  if (!vm.isNumber(L, narg)) vm.typeError(L, narg, 'number');
  const d = Math.trunc(vm.toNumber(L, narg));
  if (!(Math.abs(d) < 2 ** 63)) return 0;
  return Number(BigInt.asIntN(32, BigInt(d)));
}

/** luaL_checkoption without a default: the index of the C string among the options. */
function checkOption(vm: LuaVM, L: number, narg: number, options: readonly string[]): number {
  let name = vm.checkString(L, narg);
  const nul = name.indexOf('\0');
  if (nul !== -1) name = name.slice(0, nul);
  const i = options.indexOf(name);
  if (i === -1) vm.argError(L, narg, `invalid option '${name}'`);
  return i;
}

/** printf("%.<precision>g"); integers that fit the precision print in full, the common case. */
function formatNumber(n: number, precision: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 10 ** precision && !Object.is(n, -0)) return String(n);
  return formatG(n, precision);
}

// --- strtod -------------------------------------------------------------------------

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}
/** Case-insensitive match of an ASCII lowercase word at s[i]. */
function matchWord(s: string, i: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) {
    if ((s.charCodeAt(i + k) | 0x20) !== word.charCodeAt(k)) return false;
  }
  return true;
}

/** m * 2^e, scaling in steps so intermediate powers of two neither overflow nor vanish. */
function scale2(m: number, e: number): number {
  while (e > 600 && m !== 0 && Number.isFinite(m)) { m *= 2 ** 600; e -= 600; }
  while (e < -600 && m !== 0) { m *= 2 ** -600; e += 600; }
  return m * 2 ** e;
}

/**
 * glibc strtod in the C locale, from s[start]: optional sign, then inf/infinity,
 * nan/nan(chars), hexadecimal (0x...p...) or decimal. Returns the value and the end
 * index; end === start means nothing was converted.
 */
export function strtod(s: string, start: number): { value: number; end: number } {
  let i = start;
  let neg = false;
  const c0 = s.charCodeAt(i);
  if (c0 === 43 || c0 === 45) { neg = c0 === 45; i++; }
  const sign = (v: number): number => (neg ? -v : v);
  if (matchWord(s, i, 'inf')) {
    return { value: sign(Infinity), end: matchWord(s, i, 'infinity') ? i + 8 : i + 3 };
  }
  if (matchWord(s, i, 'nan')) {
    let end = i + 3;
    if (s.charCodeAt(end) === 40) {
      let j = end + 1;
      while (j < s.length && /[A-Za-z0-9_]/.test(s[j])) j++;
      if (s.charCodeAt(j) === 41) end = j + 1;
    }
    return { value: NaN, end };
  }
  if (s.charCodeAt(i) === 48 && (s.charCodeAt(i + 1) | 0x20) === 120) {
    // Hexadecimal: needs a hex digit before or after the point, else only "0" counts.
    let j = i + 2;
    let digits = '';
    let exp = 0;
    let any = false;
    while (hexValue(s.charCodeAt(j)) >= 0) { digits += s[j++]; any = true; }
    if (s.charCodeAt(j) === 46) {
      j++;
      while (hexValue(s.charCodeAt(j)) >= 0) { digits += s[j++]; exp -= 4; any = true; }
    }
    if (any) {
      if ((s.charCodeAt(j) | 0x20) === 112) {
        let k = j + 1;
        let eneg = false;
        if (s.charCodeAt(k) === 43 || s.charCodeAt(k) === 45) { eneg = s.charCodeAt(k) === 45; k++; }
        if (isDigit(s.charCodeAt(k))) {
          let e = 0;
          while (isDigit(s.charCodeAt(k))) { e = Math.min(e * 10 + s.charCodeAt(k) - 48, 1e7); k++; }
          exp += eneg ? -e : e;
          j = k;
        }
      }
      return { value: sign(scale2(Number(BigInt('0x' + digits)), exp)), end: j };
    }
  }
  // Decimal: digits with an optional point (at least one digit), optional exponent.
  let j = i;
  let nd = 0;
  while (isDigit(s.charCodeAt(j))) { j++; nd++; }
  if (s.charCodeAt(j) === 46) {
    j++;
    while (isDigit(s.charCodeAt(j))) { j++; nd++; }
  }
  if (nd === 0) return { value: 0, end: start };
  if ((s.charCodeAt(j) | 0x20) === 101) {
    let k = j + 1;
    if (s.charCodeAt(k) === 43 || s.charCodeAt(k) === 45) k++;
    if (isDigit(s.charCodeAt(k))) {
      while (isDigit(s.charCodeAt(k))) k++;
      j = k;
    }
  }
  // JS Number() reads every form matched here ("1.", ".5", "1.e5") and rounds correctly.
  return { value: sign(Number(s.slice(i, j))), end: j };
}

// --- encoding -----------------------------------------------------------------------

class Encoder {
  out = '';
  constructor(
    private readonly vm: LuaVM,
    private readonly L: number,
    private readonly cfg: Config,
  ) {}

  /** "Cannot serialise <type of idx>: reason", raised like luaL_error. */
  fail(idx: number, reason: string): never {
    return this.vm.raise(this.L, `Cannot serialise ${typeName(this.vm, this.L, idx)}: ${reason}`);
  }

  number(idx: number): string {
    const n = this.vm.toNumber(this.L, idx);
    const mode = this.cfg.encodeInvalidNumbers;
    if (mode === 0) {
      if (!Number.isFinite(n)) this.fail(idx, 'must not be NaN or Inf');
    } else if (mode === 1) {
      if (Number.isNaN(n)) return 'nan';
    } else if (!Number.isFinite(n)) {
      return 'null';
    }
    return formatNumber(n, this.cfg.precision);
  }

  /**
   * The table on top as an array: its length when every key is an integer >= 1 and
   * the array is not excessively sparse, else -1 (or an error if sparse and not
   * converting). Tracks the maximum in a C int exactly as the library does.
   */
  arrayLength(): number {
    const { vm, L, cfg } = this;
    let max = 0;
    let items = 0;
    vm.pushNil(L);
    while (vm.next(L, -2)) {
      if (vm.type(L, -2) === LuaType.number) {
        const k = vm.toNumber(L, -2);
        if (k !== 0 && Math.floor(k) === k && k >= 1) {
          if (k > max) max = toCInt(k);
          items++;
          vm.pop(L, 1);
          continue;
        }
      }
      vm.pop(L, 2);
      return -1;
    }
    if (cfg.sparseRatio > 0 && max > Math.imul(items, cfg.sparseRatio) && max > cfg.sparseSafe) {
      if (!cfg.sparseConvert) this.fail(-1, 'excessively sparse array');
      return -1;
    }
    return max;
  }

  /**
   * Writes the value on top of the stack, or opens the table there: pushes its frame
   * (and the first nil key of an object) and returns true.
   */
  private open(frames: Frame[]): boolean {
    const { vm, L } = this;
    switch (vm.type(L, -1)) {
      case LuaType.string:
        this.out += quote(vm.toString(L, -1) as string);
        return false;
      case LuaType.number:
        this.out += this.number(-1);
        return false;
      case LuaType.boolean:
        this.out += vm.toBoolean(L, -1) ? 'true' : 'false';
        return false;
      case LuaType.nil:
        this.out += 'null';
        return false;
      case LuaType.table: {
        const depth = frames.length + 1;
        if (depth > this.cfg.encodeMaxDepth || !vm.checkStack(L, 3)) {
          vm.raise(L, `Cannot serialise, excessive nesting (${depth})`);
        }
        const len = this.arrayLength();
        if (len > 0) {
          this.out += '[';
          frames.push({ len, i: 0 });
        } else {
          this.out += '{';
          vm.pushNil(L);
          frames.push({ len: -1, i: 0 });
        }
        return true;
      }
      case LuaType.lightuserdata:
        if (vm.toUserdata(L, -1) === 0) {
          this.out += 'null';
          return false;
        }
        return this.fail(-1, 'type not supported');
      default:
        return this.fail(-1, 'type not supported');
    }
  }

  /**
   * Appends the value on top of the stack, leaving it there. Iterative, so that depth
   * is bounded by the Lua stack (as in C) rather than by the JS call stack. Nested
   * values sit above their table while written: an array's element, or an object's
   * key and value (lua_next order).
   */
  encode(): void {
    const { vm, L } = this;
    const frames: Frame[] = [];
    let fresh = true; // the value on top has yet to be written
    for (;;) {
      if (fresh && !this.open(frames)) {
        if (frames.length === 0) return;
        vm.pop(L, 1);
      }
      fresh = true;
      const f = frames[frames.length - 1];
      if (f.len >= 0) {
        if (++f.i <= f.len) {
          if (f.i > 1) this.out += ',';
          vm.rawGetI(L, -1, f.i);
          continue;
        }
        this.out += ']';
      } else {
        if (vm.next(L, -2)) {
          if (f.i++ > 0) this.out += ',';
          const kt = vm.type(L, -2);
          if (kt === LuaType.number) this.out += '"' + this.number(-2) + '":';
          else if (kt === LuaType.string) this.out += quote(vm.toString(L, -2) as string) + ':';
          else this.fail(-2, 'table key must be a number or string');
          continue;
        }
        this.out += '}';
      }
      // The innermost table is complete and on top: the top-level one stays.
      frames.pop();
      if (frames.length === 0) return;
      vm.pop(L, 1);
      fresh = false;
    }
  }
}

/** An open table while encoding: array length and index, or len -1 and keys written so far. */
interface Frame {
  len: number;
  i: number;
}

// --- decoding -----------------------------------------------------------------------

const enum T {
  ObjBegin, ObjEnd, ArrBegin, ArrEnd, String, Number, Boolean, Null, Colon, Comma, End, Whitespace, Error, Unknown,
}
const TOKEN_NAMES = [
  'T_OBJ_BEGIN', 'T_OBJ_END', 'T_ARR_BEGIN', 'T_ARR_END', 'T_STRING', 'T_NUMBER', 'T_BOOLEAN',
  'T_NULL', 'T_COLON', 'T_COMMA', 'T_END', 'T_WHITESPACE', 'T_ERROR', 'T_UNKNOWN',
];

/** The token class of each byte: single-char tokens, whitespace, "needs a look" or error. */
const CHAR_TOKEN: T[] = new Array<T>(256).fill(T.Error);
for (const [chars, t] of [['{', T.ObjBegin], ['}', T.ObjEnd], ['[', T.ArrBegin], [']', T.ArrEnd], [',', T.Comma],
  [':', T.Colon], ['\0', T.End], [' \t\n\r', T.Whitespace], ['fiInNt"+-0123456789', T.Unknown]] as const) {
  for (const c of chars) CHAR_TOKEN[c.charCodeAt(0)] = t;
}

/** Single-character escapes after a backslash ('u' is handled apart). */
const UNESCAPE: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', t: '\t', n: '\n', f: '\f', r: '\r' };

function hex4(s: string, i: number): number {
  let v = 0;
  for (let k = 0; k < 4; k++) {
    const d = hexValue(s.charCodeAt(i + k));
    if (d < 0) return -1;
    v = (v << 4) | d;
  }
  return v;
}

function utf8(cp: number): string {
  if (cp <= 0x7f) return String.fromCharCode(cp);
  if (cp <= 0x7ff) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  if (cp <= 0xffff) return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  return String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

/**
 * The tokenizer and parser, pushing values straight onto the Lua stack. The input
 * carries a NUL sentinel: as in C, the first NUL byte ends the document.
 */
class Parser {
  pos = 0;
  depth = 0;
  // The current token: its type, where it starts, and its value.
  type: T = T.End;
  index = 0;
  str = '';
  num = 0;
  bool = false;
  err = '';

  constructor(
    private readonly vm: LuaVM,
    private readonly L: number,
    private readonly cfg: Config,
    private readonly s: string,
  ) {}

  /** Makes the current token an error found at byte at (the parse stops there). */
  private tokenError(msg: string, at = this.pos): void {
    this.type = T.Error;
    this.index = at;
    this.err = msg;
  }

  private numberToken(): void {
    const { value, end } = strtod(this.s, this.pos);
    if (end === this.pos) {
      this.tokenError('invalid number');
      return;
    }
    this.type = T.Number;
    this.num = value;
    this.pos = end;
  }

  /** Numbers strict JSON forbids: leading '+', hex, leading zeros, inf and nan. */
  private invalidNumberAhead(): boolean {
    const s = this.s;
    let p = this.pos;
    const c = s.charCodeAt(p);
    if (c === 43) return true;
    if (c === 45) p++;
    const d = s.charCodeAt(p);
    if (d === 48) {
      const d2 = s.charCodeAt(p + 1);
      return (d2 | 0x20) === 120 || isDigit(d2);
    }
    if (d <= 57) return false;
    return matchWord(s, p, 'inf') || matchWord(s, p, 'nan');
  }

  private stringToken(): void {
    const s = this.s;
    let p = this.pos + 1;
    let out = '';
    let run = p;
    for (;;) {
      const c = s.charCodeAt(p);
      if (c === 34) break;
      if (c === 0) return this.tokenError('unexpected end of string', p);
      if (c !== 92) {
        p++;
        continue;
      }
      out += s.slice(run, p);
      const e = s[p + 1];
      if (e === 'u') {
        let cp = hex4(s, p + 2);
        let len = 6;
        if (cp >= 0 && (cp & 0xf800) === 0xd800) {
          // A high surrogate must be followed by an escaped low surrogate.
          const low = (cp & 0x400) === 0 && s[p + 6] === '\\' && s[p + 7] === 'u' ? hex4(s, p + 8) : -1;
          if (low >= 0 && (low & 0xfc00) === 0xdc00) {
            cp = (((cp & 0x3ff) << 10) | (low & 0x3ff)) + 0x10000;
            len = 12;
          } else {
            cp = -1;
          }
        }
        if (cp < 0) return this.tokenError('invalid unicode escape code', p);
        out += utf8(cp);
        p += len;
      } else {
        const ch = e === undefined ? undefined : UNESCAPE[e];
        if (ch === undefined) return this.tokenError('invalid escape code', p);
        out += ch;
        p += 2;
      }
      run = p;
    }
    this.str = out + s.slice(run, p);
    this.pos = p + 1;
    this.type = T.String;
  }

  next(): void {
    const s = this.s;
    let c = s.charCodeAt(this.pos);
    let t = CHAR_TOKEN[c];
    while (t === T.Whitespace) {
      c = s.charCodeAt(++this.pos);
      t = CHAR_TOKEN[c];
    }
    this.type = t;
    this.index = this.pos;
    if (t === T.Error) return this.tokenError('invalid token');
    if (t === T.End) return;
    if (t !== T.Unknown) {
      this.pos++;
      return;
    }
    if (c === 34) return this.stringToken();
    if (c === 45 || isDigit(c)) {
      if (!this.cfg.decodeInvalidNumbers && this.invalidNumberAhead()) return this.tokenError('invalid number');
      return this.numberToken();
    }
    if (s.startsWith('true', this.pos)) {
      this.type = T.Boolean;
      this.bool = true;
      this.pos += 4;
    } else if (s.startsWith('false', this.pos)) {
      this.type = T.Boolean;
      this.bool = false;
      this.pos += 5;
    } else if (s.startsWith('null', this.pos)) {
      this.type = T.Null;
      this.pos += 4;
    } else if (this.cfg.decodeInvalidNumbers && this.invalidNumberAhead()) {
      this.numberToken();
    } else {
      this.tokenError('invalid token');
    }
  }

  /** "Expected <what> but found <token> at character <1-based>". */
  expected(what: string): never {
    const found = this.type === T.Error ? this.err : TOKEN_NAMES[this.type];
    return this.vm.raise(this.L, `Expected ${what} but found ${found} at character ${this.index + 1}`);
  }

  private descend(slots: number): void {
    this.depth++;
    if (this.depth <= this.cfg.decodeMaxDepth && this.vm.checkStack(this.L, slots)) return;
    this.vm.raise(this.L, `Found too many nested data structures (${this.depth}) at character ${this.pos}`);
  }

  /** Whether the current token is t (a method, so TS does not narrow across next()). */
  private is(t: T): boolean {
    return this.type === t;
  }

  /** After an object's '{' or ',': the key string and colon, leaving the value's token current. */
  private key(): void {
    if (!this.is(T.String)) this.expected('object key string');
    this.vm.pushString(this.L, this.str);
    this.next();
    if (!this.is(T.Colon)) this.expected('colon');
    this.next();
  }

  /**
   * Pushes the value the current token starts. Iterative, so that depth is bounded by
   * the Lua stack (as in C) rather than by the JS call stack; open containers are
   * tracked in frames (true for an object) and sit on the Lua stack.
   */
  value(): void {
    const { vm, L } = this;
    const frames: boolean[] = [];
    const index: number[] = [];
    for (;;) {
      // Start a value at the current token.
      let complete = true;
      switch (this.type) {
        case T.String: vm.pushString(L, this.str); break;
        case T.Number: vm.pushNumber(L, this.num); break;
        case T.Boolean: vm.pushBoolean(L, this.bool); break;
        case T.Null: vm.pushLightUserdata(L, 0); break;
        case T.ObjBegin:
        case T.ArrBegin: {
          const obj = this.type === T.ObjBegin;
          this.descend(obj ? 3 : 2);
          vm.newTable(L);
          this.next();
          if (this.is(obj ? T.ObjEnd : T.ArrEnd)) {
            this.depth--;
            break;
          }
          frames.push(obj);
          index.push(1);
          if (obj) this.key();
          complete = false;
          break;
        }
        default: this.expected('value');
      }
      // Store each completed value in its container, closing containers as they end.
      while (complete) {
        const n = frames.length;
        if (n === 0) return;
        const obj = frames[n - 1];
        if (obj) vm.rawSet(L, -3);
        else vm.rawSetI(L, -2, index[n - 1]++);
        this.next();
        if (this.is(obj ? T.ObjEnd : T.ArrEnd)) {
          frames.pop();
          index.pop();
          this.depth--;
          continue;
        }
        if (!this.is(T.Comma)) this.expected(obj ? 'comma or object end' : 'comma or array end');
        this.next();
        if (obj) this.key();
        complete = false;
      }
    }
  }
}

// --- the module ---------------------------------------------------------------------

const FUNCTION_NAMES = [
  'encode', 'decode', 'encode_sparse_array', 'encode_max_depth', 'decode_max_depth',
  'encode_number_precision', 'encode_keep_buffer', 'encode_invalid_numbers', 'decode_invalid_numbers', 'new',
] as const;
type FunctionName = (typeof FUNCTION_NAMES)[number];

/** Creates the global `cjson` table in the VM's main state, as Redis does at start-up. */
export function installCjson(vm: LuaVM): void {
  // Settings live in JS, keyed by the address of a full userdata that each module
  // table's functions hold as upvalue 1; its __gc drops the entry.
  const configs = new Map<number, Config>();

  const config = (L: number): Config => {
    const cfg = configs.get(vm.toUserdata(L, CONFIG_UPVALUE));
    return cfg ?? vm.raise(L, 'BUG: Unable to fetch CJSON configuration');
  };

  /** Checks there are at most n arguments, pads with nils, returns the settings. */
  const argInit = (L: number, n: number): Config => {
    if (vm.top(L) > n) vm.argError(L, n + 1, 'found too many arguments');
    while (vm.top(L) < n) vm.pushNil(L);
    return config(L);
  };

  /** An integer setting: sets it from the argument unless nil, pushes the current value. */
  const integerOption = (L: number, idx: number, cfg: Config, key: keyof Config, min: number, max: number): number => {
    if (vm.type(L, idx) !== LuaType.nil) {
      const v = checkInt(vm, L, idx);
      if (!(min <= v && v <= max)) vm.argError(L, 1, `expected integer between ${min} and ${max}`);
      cfg[key] = v;
    }
    vm.pushNumber(L, cfg[key]);
    return 1;
  };

  /** An on/off (or enumerated) setting from a boolean or option name; pushes the current value. */
  const enumOption = (L: number, idx: number, cfg: Config, key: keyof Config, options = ['off', 'on']): number => {
    if (vm.type(L, idx) !== LuaType.nil) {
      if (vm.type(L, idx) === LuaType.boolean) cfg[key] = vm.toBoolean(L, idx) ? 1 : 0;
      else cfg[key] = checkOption(vm, L, idx, options);
    }
    if (cfg[key] <= 1) vm.pushBoolean(L, cfg[key] === 1);
    else vm.pushString(L, options[cfg[key]]);
    return 1;
  };

  const fns: Record<FunctionName, (L: number) => number> = {
    encode(L) {
      const cfg = config(L);
      if (vm.top(L) !== 1) vm.argError(L, 1, 'expected 1 argument');
      const enc = new Encoder(vm, L, cfg);
      enc.encode();
      vm.pushString(L, enc.out);
      return 1;
    },
    decode(L) {
      if (vm.top(L) !== 1) vm.argError(L, 1, 'expected 1 argument');
      const cfg = config(L);
      const data = vm.checkString(L, 1);
      if (data.length >= 2 && (data.charCodeAt(0) === 0 || data.charCodeAt(1) === 0)) {
        vm.raise(L, 'JSON parser does not support UTF-16 or UTF-32');
      }
      const p = new Parser(vm, L, cfg, data + '\0');
      p.next();
      p.value();
      p.next();
      if (p.type !== T.End) p.expected('the end');
      return 1;
    },
    encode_sparse_array(L) {
      const cfg = argInit(L, 3);
      enumOption(L, 1, cfg, 'sparseConvert');
      integerOption(L, 2, cfg, 'sparseRatio', 0, INT_MAX);
      integerOption(L, 3, cfg, 'sparseSafe', 0, INT_MAX);
      return 3;
    },
    encode_max_depth: (L) => integerOption(L, 1, argInit(L, 1), 'encodeMaxDepth', 1, INT_MAX),
    decode_max_depth: (L) => integerOption(L, 1, argInit(L, 1), 'decodeMaxDepth', 1, INT_MAX),
    encode_number_precision: (L) => integerOption(L, 1, argInit(L, 1), 'precision', 1, 14),
    // Only the setting: the JS encoder has no buffer to keep.
    encode_keep_buffer: (L) => enumOption(L, 1, argInit(L, 1), 'keepBuffer'),
    encode_invalid_numbers: (L) => enumOption(L, 1, argInit(L, 1), 'encodeInvalidNumbers', ['off', 'on', 'null']),
    decode_invalid_numbers: (L) => enumOption(L, 1, argInit(L, 1), 'decodeInvalidNumbers'),
    new(L) {
      pushModule(L);
      return 1;
    },
  };

  const pointers = FUNCTION_NAMES.map((name) => vm.cfunction(fns[name]));
  const gc = vm.cfunction((L) => {
    configs.delete(vm.toUserdata(L, 1));
    return 0;
  });

  /** Pushes a fresh module table with its own settings (lua_cjson_new). */
  function pushModule(L: number): void {
    vm.newTable(L);
    const ud = vm.newUserdata(L, 4);
    configs.set(ud, { ...DEFAULTS });
    vm.newTable(L);
    vm.pushCFunction(L, gc);
    vm.setField(L, -2, '__gc');
    vm.setMetatable(L, -2);
    FUNCTION_NAMES.forEach((name, i) => {
      vm.pushValue(L, -1);
      vm.pushCFunction(L, pointers[i], 1);
      vm.setField(L, -3, name);
    });
    vm.pop(L, 1);
    vm.pushLightUserdata(L, 0);
    vm.setField(L, -2, 'null');
    for (const [field, value] of [['_NAME', 'cjson'], ['_VERSION', '2.1.0']]) {
      vm.pushString(L, value);
      vm.setField(L, -2, field);
    }
  }

  pushModule(vm.L);
  vm.setGlobal(vm.L, 'cjson');
}
