// Number formatting as Redis 7.0 prints it: %.17g for doubles (addReplyDouble),
// integers for doubles that hold one exactly (d2string).

function stripFractionZeros(s: string): string {
  if (s.indexOf('.') === -1) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}

/** C's printf("%.<precision>g", d). */
export function formatG(d: number, precision: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const e = d.toExponential(precision - 1);
  const ei = e.indexOf('e');
  const exp = Number(e.slice(ei + 1));
  if (exp < -4 || exp >= precision) {
    const mant = stripFractionZeros(e.slice(0, ei));
    const a = Math.abs(exp);
    return mant + 'e' + (exp < 0 ? '-' : '+') + (a < 10 ? '0' + a : String(a));
  }
  return stripFractionZeros(d.toFixed(precision - 1 - exp));
}

/** A double as Redis replies it (%.17g, inf / -inf). */
export function formatDouble(d: number): string {
  return formatG(d, 17);
}

/** d2string: integers print as integers, the rest as %.17g. */
export function doubleToString(d: number): string {
  if (Number.isInteger(d) && Math.abs(d) < 2 ** 63) {
    if (Object.is(d, -0)) return '-0';
    return Number.isSafeInteger(d) ? String(d) : BigInt(d).toString();
  }
  return formatG(d, 17);
}
