// Glob-style matching exactly as Redis's stringmatchlen (util.c): *, ?, [classes]
// with ^ negation, ranges and \ escapes, and the same early exit on hopeless '*'
// backtracking. Strings are latin1; bytes compare as C's signed char where Redis does.

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** C `char` is signed on x86: a range like [a-\xff] compares as Redis does. */
function signed(c: number): number {
  return c >= 128 ? c - 256 : c;
}

interface Skip {
  longer: boolean;
}

function matchImpl(p: string, pi: number, plen: number, s: string, si: number, slen: number, nocase: boolean, skip: Skip): boolean {
  // A pattern index past its end reads as C's terminating NUL.
  const pc = (i: number) => (i < p.length ? p.charCodeAt(i) : 0);
  const sc = (i: number) => (i < s.length ? s.charCodeAt(i) : 0);
  while (plen > 0 && slen > 0) {
    const c = pc(pi);
    if (c === 42 /* * */) {
      while (plen > 0 && pc(pi + 1) === 42) {
        pi++;
        plen--;
      }
      if (plen === 1) return true;
      while (slen > 0) {
        if (matchImpl(p, pi + 1, plen - 1, s, si, slen, nocase, skip)) return true;
        if (skip.longer) return false;
        si++;
        slen--;
      }
      skip.longer = true;
      return false;
    } else if (c === 63 /* ? */) {
      si++;
      slen--;
    } else if (c === 91 /* [ */) {
      pi++;
      plen--;
      const not = pc(pi) === 94; /* ^ */
      if (not) {
        pi++;
        plen--;
      }
      let match = false;
      for (;;) {
        if (pc(pi) === 92 /* \ */ && plen >= 2) {
          pi++;
          plen--;
          if (pc(pi) === sc(si)) match = true;
        } else if (pc(pi) === 93 /* ] */) {
          break;
        } else if (plen === 0) {
          pi--;
          plen++;
          break;
        } else if (plen >= 3 && pc(pi + 1) === 45 /* - */) {
          let start = signed(pc(pi));
          let end = signed(pc(pi + 2));
          let ch = signed(sc(si));
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
          plen -= 2;
          if (ch >= start && ch <= end) match = true;
        } else if (!nocase) {
          if (pc(pi) === sc(si)) match = true;
        } else if (lower(pc(pi)) === lower(sc(si))) {
          match = true;
        }
        pi++;
        plen--;
      }
      if (not) match = !match;
      if (!match) return false;
      si++;
      slen--;
    } else {
      if (c === 92 /* \ */ && plen >= 2) {
        pi++;
        plen--;
      }
      const a = pc(pi);
      const b = sc(si);
      if (nocase ? lower(a) !== lower(b) : a !== b) return false;
      si++;
      slen--;
    }
    pi++;
    plen--;
    if (slen === 0) {
      while (pc(pi) === 42) {
        pi++;
        plen--;
      }
      break;
    }
  }
  return plen === 0 && slen === 0;
}

/** stringmatchlen(pattern, string, nocase). */
export function globMatch(pattern: string, s: string, nocase = false): boolean {
  return matchImpl(pattern, 0, pattern.length, s, 0, s.length, nocase, { longer: false });
}

/** A pattern that matches everything ("*"): callers skip matching altogether. */
export function isMatchAll(pattern: string): boolean {
  return pattern === '*';
}
