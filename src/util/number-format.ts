// Number formatting as Redis 7.0 prints it: %.17g for doubles (addReplyDouble),
// integers for doubles that hold one exactly (d2string).

function stripFractionZeros(s: string): string {
  if (s.indexOf('.') === -1) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}

/**
 * d.toExponential(precision - 1), except that a value exactly halfway between two
 * candidates rounds to even, as glibc's printf does (JS rounds such ties up).
 */
function toExponentialHalfEven(d: number, precision: number): string {
  const e = d.toExponential(precision - 1);
  // A tie needs the exact value's digits past `precision` to be 5000...: 3 extra
  // correctly rounded digits reading "500" are the cheap sign that it may be one.
  const wider = Math.abs(d).toExponential(precision + 2);
  if (wider.slice(precision + 1, precision + 4) !== '500') return e;
  const exact = exactDigits(Math.abs(d));
  const digits = exact.digits;
  if (digits.length <= precision || digits[precision] !== '5' || /[^0]/.test(digits.slice(precision + 1))) return e;
  // An exact tie: keep the kept digits when the last one is even.
  const kept = digits.slice(0, precision);
  if (Number(kept[kept.length - 1]) % 2 === 1) return e;
  const mant = kept.length > 1 ? `${kept[0]}.${kept.slice(1)}` : kept;
  return `${d < 0 ? '-' : ''}${mant}e${exact.exp >= 0 ? '+' : '-'}${Math.abs(exact.exp)}`;
}

/** The exact decimal digits of a finite positive double and its decimal exponent. */
function exactDigits(d: number): { digits: string; exp: number } {
  // d = m * 2^e exactly, with m an integer.
  let e = 0;
  let m = d;
  while (!Number.isInteger(m)) {
    m *= 2;
    e--;
  }
  let big = BigInt(m);
  let scale = 0;
  if (e < 0) {
    big *= 5n ** BigInt(-e);
    scale = e;
  } else {
    big <<= BigInt(e);
  }
  const digits = big.toString();
  return { digits: digits.replace(/0+$/, '') || '0', exp: digits.length - 1 + scale };
}

/** C's printf("%.<precision>g", d). */
export function formatG(d: number, precision: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const e = toExponentialHalfEven(d, precision);
  const ei = e.indexOf('e');
  const exp = Number(e.slice(ei + 1));
  if (exp < -4 || exp >= precision) {
    const mant = stripFractionZeros(e.slice(0, ei));
    const a = Math.abs(exp);
    return mant + 'e' + (exp < 0 ? '-' : '+') + (a < 10 ? '0' + a : String(a));
  }
  return stripFractionZeros(fixedFromExponential(e, exp));
}

/** Positional notation from an exponential string (same digits, no new rounding). */
function fixedFromExponential(e: string, exp: number): string {
  const neg = e[0] === '-';
  const body = neg ? e.slice(1) : e;
  const digits = body.slice(0, body.indexOf('e')).replace('.', '');
  let out: string;
  if (exp >= 0) {
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1);
    out = frac.length > 0 ? `${intPart}.${frac}` : intPart;
  } else {
    out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return neg ? '-' + out : out;
}

/** A double as Redis replies it (%.17g, inf / -inf). */
export function formatDouble(d: number): string {
  return formatG(d, 17);
}

/** d2string: integers print as integers, the rest as %.17g. */
export function doubleToString(d: number): string {
  // double2ll only takes values within ±LLONG_MAX/2.
  if (Number.isInteger(d) && Math.abs(d) <= 2 ** 62) {
    if (Object.is(d, -0)) return '-0';
    return Number.isSafeInteger(d) ? String(d) : BigInt(d).toString();
  }
  return formatG(d, 17);
}
