// Glob-style matching with exactly the answers of Redis's stringmatchlen (util.c):
// *, ?, [classes] with ^ negation, ranges and \ escapes, C's signed chars in
// ranges, and its edge cases ("*" does not match the empty string; an unterminated
// class ends at the pattern's end). Iterative with one backtrack point, the latest
// star, which gives the same answers as Redis's recursion with its early exit,
// in bounded stack and O(pattern × string) time.

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** C `char` is signed on x86: a range like [a-\xff] compares as Redis does. */
function signed(c: number): number {
  return c >= 128 ? c - 256 : c;
}

/**
 * Matches one string char `sc` against the pattern element at `pi` (not a star).
 * Returns the index after the element, or -1 when it does not match.
 */
function matchOne(p: string, pi: number, sc: number, nocase: boolean): number {
  const pl = p.length;
  // A pattern index past its end reads as C's terminating NUL.
  const at = (i: number) => (i < pl ? p.charCodeAt(i) : 0);
  const c = at(pi);
  if (c === 63 /* ? */) return pi + 1;
  if (c === 91 /* [ */) {
    pi++;
    const not = at(pi) === 94; /* ^ */
    if (not) pi++;
    let match = false;
    for (;;) {
      const left = pl - pi;
      if (at(pi) === 92 /* \ */ && left >= 2) {
        pi++;
        if (at(pi) === sc) match = true;
      } else if (at(pi) === 93 /* ] */) {
        break;
      } else if (left === 0) {
        pi--;
        break;
      } else if (left >= 3 && at(pi + 1) === 45 /* - */) {
        let start = signed(at(pi));
        let end = signed(at(pi + 2));
        let ch = signed(sc);
        if (start > end) {
          const t = start;
          start = end;
          end = t;
        }
        if (nocase) {
          start = lower(start);
          end = lower(end);
          ch = lower(ch);
        }
        pi += 2;
        if (ch >= start && ch <= end) match = true;
      } else if (nocase ? lower(at(pi)) === lower(sc) : at(pi) === sc) {
        match = true;
      }
      pi++;
    }
    if (not) match = !match;
    return match ? pi + 1 : -1;
  }
  if (c === 92 /* \ */ && pl - pi >= 2) pi++;
  const pc = at(pi);
  return (nocase ? lower(pc) === lower(sc) : pc === sc) ? pi + 1 : -1;
}

/** stringmatchlen(pattern, string, nocase). */
export function globMatch(p: string, s: string, nocase = false): boolean {
  const pl = p.length;
  const sl = s.length;
  let pi = 0;
  let si = 0;
  let starPi = -1;
  let starSi = 0;
  for (;;) {
    let failed = false;
    if (pi < pl && si < sl) {
      if (p.charCodeAt(pi) === 42 /* * */) {
        while (pi + 1 < pl && p.charCodeAt(pi + 1) === 42) pi++;
        if (pi === pl - 1) return true;
        starPi = pi;
        starSi = si;
        pi++;
        continue;
      }
      const next = matchOne(p, pi, s.charCodeAt(si), nocase);
      if (next === -1) failed = true;
      else {
        pi = next;
        si++;
        if (si === sl) {
          // The string is used up: trailing stars match nothing, anything else fails.
          while (pi < pl && p.charCodeAt(pi) === 42) pi++;
          if (pi >= pl) return true;
          failed = true;
        }
      }
    } else {
      if (pi >= pl && si >= sl) return true;
      failed = true;
    }
    if (!failed) continue;
    // Let the latest star swallow one more char; it only ever tries non-empty rests.
    if (starPi < 0) return false;
    starSi++;
    if (starSi >= sl) return false;
    pi = starPi + 1;
    si = starSi;
  }
}
