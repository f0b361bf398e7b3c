// 64-bit signed integers as Redis parses them (string2ll) and does arithmetic on
// them. Values that fit in a double exactly stay numbers; the rest are bigints.

export type Int64 = number | bigint;

export const INT64_MAX = 9223372036854775807n;
export const INT64_MIN = -9223372036854775808n;

/** string2ll: optional '-', digits, no leading zeros, no spaces, within int64. */
export function parseInt64(s: string): Int64 | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  if (s.charCodeAt(0) === 45) {
    if (n === 1) return null;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1 ? 0 : null;
  if (first < 49 || first > 57) return null;
  let v = 0;
  for (let j = i; j < n; j++) {
    const d = s.charCodeAt(j) - 48;
    if (d < 0 || d > 9) return null;
    v = v * 10 + d;
  }
  if (n - i <= 15) return i === 1 ? -v : v;
  const big = BigInt(s);
  if (big > INT64_MAX || big < INT64_MIN) return null;
  return normalize(big);
}

/** A bigint back to a number when the number is exact. */
export function normalize(v: bigint): Int64 {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

/** a + b, or null on int64 overflow. */
export function addInt64(a: Int64, b: Int64): Int64 | null {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  const r = BigInt(a) + BigInt(b);
  if (r > INT64_MAX || r < INT64_MIN) return null;
  return normalize(r);
}

export function negInt64(a: Int64): Int64 | null {
  if (typeof a === 'number') return a === 0 ? 0 : -a;
  const r = -a;
  return r > INT64_MAX ? null : normalize(r);
}

/** A number as int64 text. */
export function int64ToString(v: Int64): string {
  return typeof v === 'number' ? String(v) : v.toString();
}

/** Converts to a plain number, clamping bigints (for counts, indexes and timeouts). */
export function toNumber(v: Int64): number {
  return typeof v === 'number' ? v : Number(v);
}
