// string2d: a double as Redis parses it with strtod, rejecting leading blanks,
// trailing bytes, NaN and out-of-range results (util.c). Accepts what C accepts:
// decimal and exponent forms, "inf"/"infinity" with a sign, and hex floats.

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INFINITY = /^([+-]?)(inf|infinity)$/i;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)(?:[pP]([+-]?\d+))?$/;

export function parseStrtod(s: string): number | null {
  if (s.length === 0) return null;
  if (DECIMAL.test(s)) {
    const v = Number(s);
    if (!Number.isFinite(v)) return null;
    if (v === 0 && /[1-9]/.test(s.replace(/[eE].*$/, ''))) return null; // underflow (ERANGE)
    return v;
  }
  const inf = INFINITY.exec(s);
  if (inf !== null) return inf[1] === '-' ? -Infinity : Infinity;
  const hex = HEX.exec(s);
  if (hex !== null && (hex[2] !== '' || hex[3] !== '')) {
    let m = 0;
    for (const ch of hex[2] + hex[3]) m = m * 16 + parseInt(ch, 16);
    const v = m * Math.pow(2, Number(hex[4] ?? 0) - 4 * hex[3].length);
    if (!Number.isFinite(v)) return null;
    return hex[1] === '-' ? -v : v;
  }
  return null;
}
