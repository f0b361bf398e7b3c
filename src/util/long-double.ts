// Exact emulation of the x86-64 C `long double` (x87 80-bit extended: 64-bit
// mantissa, 15-bit exponent) that INCRBYFLOAT and HINCRBYFLOAT compute in
// (util.c string2ld / ld2string with LD_STR_HUMAN, object.c). Values are kept as
// sign * m * 2^e with bigint m, and every step rounds to nearest, ties to even,
// like the FPU and glibc's strtold/printf do, so the text matches byte for byte.

/** sign * m * 2^e; m < 2^64. Infinities and NaN are flagged by `special`. */
export interface LongDouble {
  readonly neg: boolean;
  readonly m: bigint;
  readonly e: number;
  /** 0 finite, 1 infinity, 2 NaN. */
  readonly special: 0 | 1 | 2;
}

/** Mantissa bits: the 80-bit format stores the integer bit explicitly. */
const PRECISION = 64;
const MANT_MIN = 1n << 63n;
const MANT_LIMIT = 1n << 64n;
/** Exponent of the last mantissa bit of the smallest subnormal (2^-16445). */
const E_MIN = -16445;
/** Largest exponent of a finite value's last mantissa bit: max = (2^64-1) * 2^16320. */
const E_MAX = 16383 - 63;
/** string2ld copies into a buffer of MAX_LONG_DOUBLE_CHARS (5 * 1024) bytes. */
const MAX_CHARS = 5 * 1024;

const TEN_17 = 10n ** 17n;

export const LD_ZERO: LongDouble = { neg: false, m: 0n, e: 0, special: 0 };
const LD_NAN: LongDouble = { neg: false, m: 0n, e: 0, special: 2 };
const LD_INF: LongDouble = { neg: false, m: 0n, e: 0, special: 1 };
const LD_NEG_INF: LongDouble = { neg: true, m: 0n, e: 0, special: 1 };

function bitLength(v: bigint): number {
  if (v <= 0x1fffffffffffffn) {
    const n = Number(v);
    if (n < 0x100000000) return 32 - Math.clz32(n);
    return 64 - Math.clz32(Math.floor(n / 0x100000000));
  }
  // toString(16) is exact and linear; fine for the sizes seen here (< 35,000 bits).
  const h = v.toString(16);
  return (h.length - 1) * 4 + (32 - Math.clz32(parseInt(h[0], 16)));
}

/**
 * Rounds sign * (n / d) * 2^scale (n, d > 0) to the nearest long double, ties to
 * even, going subnormal below the normal range and infinite above it.
 */
function roundRational(neg: boolean, n: bigint, d: bigint, scale: number): LongDouble {
  if (n === 0n) return neg ? { neg: true, m: 0n, e: 0, special: 0 } : LD_ZERO;
  // Pick k so that q = n / d / 2^(k - scale) lands in [2^63, 2^65).
  let k = bitLength(n) - bitLength(d) - PRECISION + scale;
  let q = 0n;
  let num = 0n;
  let den = 0n;
  for (let pass = 0; pass < 2; pass++) {
    const shift = k - scale;
    num = shift < 0 ? n << BigInt(-shift) : n;
    den = shift > 0 ? d << BigInt(shift) : d;
    q = num / den;
    if (q < MANT_LIMIT) break;
    k++;
  }
  if (k < E_MIN) {
    // Subnormal: fewer mantissa bits, fixed quantum 2^E_MIN.
    const shift = E_MIN - scale;
    num = shift < 0 ? n << BigInt(-shift) : n;
    den = shift > 0 ? d << BigInt(shift) : d;
    q = num / den;
    k = E_MIN;
  }
  const r2 = (num - q * den) * 2n;
  if (r2 > den || (r2 === den && (q & 1n) === 1n)) {
    q++;
    if (q === MANT_LIMIT) {
      q = MANT_MIN;
      k++;
    }
  }
  if (k > E_MAX) return neg ? LD_NEG_INF : LD_INF;
  if (q === 0n) return neg ? { neg: true, m: 0n, e: 0, special: 0 } : LD_ZERO;
  return { neg, m: q, e: k, special: 0 };
}

function isSpace(ch: number): boolean {
  return ch === 32 || (ch >= 9 && ch <= 13);
}

function isDigit(ch: number): boolean {
  return ch >= 48 && ch <= 57;
}

function hexValue(ch: number): number {
  if (ch >= 48 && ch <= 57) return ch - 48;
  const l = ch | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

/** Parses exponent digits from i; saturates far beyond any meaningful size. Returns [value, end]. */
function parseExponent(s: string, i: number): [number, number] {
  let neg = false;
  const ch = s.charCodeAt(i);
  if (ch === 43 || ch === 45) {
    neg = ch === 45;
    i++;
  }
  if (!isDigit(s.charCodeAt(i))) return [0, -1];
  let v = 0;
  while (isDigit(s.charCodeAt(i))) {
    if (v < 1e9) v = v * 10 + (s.charCodeAt(i) - 48);
    i++;
  }
  return [neg ? -v : v, i];
}

/** Parses from i to the end of s (that much must be a hex float body). */
function parseHex(neg: boolean, s: string, i: number): LongDouble | null {
  let mant = '';
  let fracDigits = 0;
  let seenDigit = false;
  let seenDot = false;
  for (; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 46 && !seenDot) {
      seenDot = true;
      continue;
    }
    if (hexValue(ch) < 0) break;
    seenDigit = true;
    mant += s[i];
    if (seenDot) fracDigits++;
  }
  if (!seenDigit) return null;
  let exp = 0;
  if (i < s.length && (s.charCodeAt(i) | 0x20) === 112 /* p */) {
    const [v, end] = parseExponent(s, i + 1);
    if (end < 0) return null; // strtold stops before the 'p': trailing garbage
    exp = v;
    i = end;
  }
  if (i !== s.length) return null;
  const h = BigInt('0x' + mant);
  if (h === 0n) return neg ? { neg: true, m: 0n, e: 0, special: 0 } : LD_ZERO;
  const scale = exp - 4 * fracDigits;
  const top = bitLength(h) + scale;
  if (top > 16384 + 1) return null; // overflow: ERANGE with HUGE_VAL
  if (top < E_MIN - 2) return null; // underflow to zero: ERANGE with 0
  const r = roundRational(neg, h, 1n, scale);
  return r.special !== 0 || r.m === 0n ? null : r;
}

/**
 * string2ld: the text as strtold reads it, or null where Redis rejects it
 * (empty or too long, leading space, trailing bytes, NaN, overflow to infinity,
 * underflow to zero). A literal "inf"/"infinity" is accepted, as in Redis.
 */
export function parseLongDouble(s: string): LongDouble | null {
  const len = s.length;
  if (len === 0 || len >= MAX_CHARS) return null;
  if (isSpace(s.charCodeAt(0))) return null;
  let i = 0;
  let neg = false;
  const c0 = s.charCodeAt(0);
  if (c0 === 43 || c0 === 45) {
    neg = c0 === 45;
    i = 1;
  }
  const rest = len - i;
  const lower = rest <= 8 ? s.slice(i).toLowerCase() : '';
  if (lower === 'inf' || lower === 'infinity') return neg ? LD_NEG_INF : LD_INF;
  if ((s.charCodeAt(i) | 0x20) === 110 /* n */) return null; // nan, nan(...): rejected either way
  if (s.charCodeAt(i) === 48 && (s.charCodeAt(i + 1) | 0x20) === 120 /* x */) {
    // "0x" with no hex digit after it parses as 0 and leaves "x..." unread: rejected below too.
    return parseHex(neg, s, i + 2);
  }
  // Decimal: digits [. digits] [e [sign] digits]
  const intStart = i;
  while (i < len && isDigit(s.charCodeAt(i))) i++;
  const intEnd = i;
  let fracStart = i;
  let fracEnd = i;
  if (i < len && s.charCodeAt(i) === 46 /* . */) {
    fracStart = ++i;
    while (i < len && isDigit(s.charCodeAt(i))) i++;
    fracEnd = i;
  }
  if (intEnd === intStart && fracEnd === fracStart) return null;
  const all = fracEnd === fracStart ? s.slice(intStart, intEnd) : s.slice(intStart, intEnd) + s.slice(fracStart, fracEnd);
  const fracDigits = fracEnd - fracStart;
  let lead = 0;
  while (lead < all.length && all.charCodeAt(lead) === 48) lead++;
  const digits = lead === 0 ? all : all.slice(lead);
  let exp = 0;
  if (i < len && (s.charCodeAt(i) | 0x20) === 101 /* e */) {
    const [v, end] = parseExponent(s, i + 1);
    if (end < 0) return null;
    exp = v;
    i = end;
  }
  if (i !== len) return null;
  if (digits.length === 0) return neg ? { neg: true, m: 0n, e: 0, special: 0 } : LD_ZERO;
  const e10 = exp - fracDigits;
  // Value within [10^(nd-1+e10), 10^(nd+e10)); the largest finite is ~1.19e4932,
  // the smallest subnormal ~3.65e-4951.
  const nd = digits.length;
  if (nd - 1 + e10 >= 4933) return null;
  if (nd + e10 <= -4952) return null;
  const dv = BigInt(digits);
  const r = e10 >= 0 ? roundRational(neg, dv * 10n ** BigInt(e10), 1n, 0) : roundRational(neg, dv, 10n ** BigInt(-e10), 0);
  return r.special !== 0 || r.m === 0n ? null : r;
}

/** a + b, rounded as one x87 addition. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.special === 2 || b.special === 2) return LD_NAN;
  if (a.special === 1 || b.special === 1) {
    if (a.special === 1 && b.special === 1 && a.neg !== b.neg) return LD_NAN;
    return a.special === 1 ? a : b;
  }
  if (a.m === 0n) return b.m === 0n ? { neg: a.neg && b.neg, m: 0n, e: 0, special: 0 } : b;
  if (b.m === 0n) return a;
  const e = Math.min(a.e, b.e);
  const ma = a.m << BigInt(a.e - e);
  const mb = b.m << BigInt(b.e - e);
  const sa = a.neg ? -ma : ma;
  const sb = b.neg ? -mb : mb;
  const sum = sa + sb;
  if (sum === 0n) return LD_ZERO; // exact cancellation gives +0 when rounding to nearest
  return sum < 0n ? roundRational(true, -sum, 1n, e) : roundRational(false, sum, 1n, e);
}

export function isFiniteLongDouble(v: LongDouble): boolean {
  return v.special === 0;
}

/**
 * ld2string(LD_STR_HUMAN): printf("%.17Lf") of the exact binary value (ties to
 * even), trailing fraction zeros and a bare '.' removed, "-0" shown as "0".
 */
export function formatLongDoubleHuman(v: LongDouble): string {
  if (v.special === 1) return v.neg ? '-inf' : 'inf';
  if (v.special === 2) return v.neg ? '-nan' : 'nan';
  const scaled = v.m * TEN_17;
  let n: bigint;
  if (v.e >= 0) {
    n = scaled << BigInt(v.e);
  } else {
    const sh = BigInt(-v.e);
    n = scaled >> sh;
    const rem = scaled - (n << sh);
    const half = 1n << (sh - 1n);
    if (rem > half || (rem === half && (n & 1n) === 1n)) n++;
  }
  let digits = n.toString();
  if (digits.length < 18) digits = '0'.repeat(18 - digits.length) + digits;
  const intPart = digits.slice(0, digits.length - 17);
  let frac = digits.slice(digits.length - 17);
  let end = frac.length;
  while (end > 0 && frac.charCodeAt(end - 1) === 48) end--;
  frac = frac.slice(0, end);
  let out = frac.length > 0 ? intPart + '.' + frac : intPart;
  if (v.neg) out = '-' + out;
  return out === '-0' ? '0' : out;
}

/** Outcome of an INCRBYFLOAT-style addition on text values. */
export type IncrFloatResult =
  | { ok: true; text: string }
  | { ok: false; error: 'value' | 'increment' | 'naninf' };

/**
 * current (null: missing key, counts as 0) + increment, as INCRBYFLOAT computes it.
 * 'value' / 'increment': that operand is not a valid float; 'naninf': the sum is not finite.
 */
export function incrByFloatText(current: string | null, increment: string): IncrFloatResult {
  const a = current === null ? LD_ZERO : parseLongDouble(current);
  if (a === null) return { ok: false, error: 'value' };
  const b = parseLongDouble(increment);
  if (b === null) return { ok: false, error: 'increment' };
  const sum = addLongDouble(a, b);
  if (sum.special !== 0) return { ok: false, error: 'naninf' };
  return { ok: true, text: formatLongDoubleHuman(sum) };
}
