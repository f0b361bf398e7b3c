// Splits a line into arguments the way Redis's sdssplitargs does: used for inline
// requests and for redis.conf lines. Double quotes take \xHH and C escapes, single
// quotes take \', and a closing quote must be followed by a blank or the end.

function isSpace(c: number): boolean {
  // C isspace: space, \t, \n, \v, \f, \r
  return c === 32 || (c >= 9 && c <= 13);
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07' };

/** Returns null on unbalanced quotes, like sdssplitargs. Strings are latin1 (one char per byte). */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  const n = line.length;
  let p = 0;
  for (;;) {
    while (p < n && isSpace(line.charCodeAt(p))) p++;
    if (p >= n) return out;
    let cur = '';
    let inDouble = false;
    let inSingle = false;
    for (;;) {
      const c = p < n ? line[p] : '';
      if (inDouble) {
        if (c === '\\' && line[p + 1] === 'x' && hexValue(line.charCodeAt(p + 2)) >= 0 && hexValue(line.charCodeAt(p + 3)) >= 0) {
          cur += String.fromCharCode(hexValue(line.charCodeAt(p + 2)) * 16 + hexValue(line.charCodeAt(p + 3)));
          p += 3;
        } else if (c === '\\' && p + 1 < n) {
          p++;
          cur += ESCAPES[line[p]] ?? line[p];
        } else if (c === '"') {
          if (p + 1 < n && !isSpace(line.charCodeAt(p + 1))) return null;
          p++;
          break;
        } else if (c === '') {
          return null;
        } else {
          cur += c;
        }
      } else if (inSingle) {
        if (c === '\\' && line[p + 1] === "'") {
          p++;
          cur += "'";
        } else if (c === "'") {
          if (p + 1 < n && !isSpace(line.charCodeAt(p + 1))) return null;
          p++;
          break;
        } else if (c === '') {
          return null;
        } else {
          cur += c;
        }
      } else if (c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '') {
        if (c !== '') p++;
        break;
      } else if (c === '"') {
        inDouble = true;
      } else if (c === "'") {
        inSingle = true;
      } else {
        cur += c;
      }
      p++;
    }
    out.push(cur);
  }
}
