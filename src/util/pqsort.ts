// Redis's pqsort.c: Bentley-McIlroy quicksort that only sorts the partitions
// overlapping positions [lrange, rrange], so positions lrange..rrange hold what a
// full sort would put there. Ported step for step: equal elements land where Redis
// puts them (SORT ... LIMIT, GEOSEARCH ... COUNT).

export type Compare<T> = (a: T, b: T) => number;

function swap<T>(a: T[], i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

function med3<T>(a: T[], i: number, j: number, k: number, cmp: Compare<T>): number {
  return cmp(a[i], a[j]) < 0
    ? cmp(a[j], a[k]) < 0
      ? j
      : cmp(a[i], a[k]) < 0
        ? k
        : i
    : cmp(a[j], a[k]) > 0
      ? j
      : cmp(a[i], a[k]) < 0
        ? i
        : k;
}

function outside(lrange: number, rrange: number, lo: number, hi: number): boolean {
  return (lrange < lo && rrange < lo) || (lrange > hi && rrange > hi);
}

function sortRange<T>(a: T[], base: number, n: number, cmp: Compare<T>, lrange: number, rrange: number): void {
  for (;;) {
    if (n < 7) {
      for (let pm = base + 1; pm < base + n; pm++) {
        for (let pl = pm; pl > base && cmp(a[pl - 1], a[pl]) > 0; pl--) swap(a, pl, pl - 1);
      }
      return;
    }
    let pm = base + Math.floor(n / 2);
    if (n > 7) {
      let pl = base;
      let pn = base + n - 1;
      if (n > 40) {
        const d = Math.floor(n / 8);
        pl = med3(a, pl, pl + d, pl + 2 * d, cmp);
        pm = med3(a, pm - d, pm, pm + d, cmp);
        pn = med3(a, pn - 2 * d, pn - d, pn, cmp);
      }
      pm = med3(a, pl, pm, pn, cmp);
    }
    swap(a, base, pm);
    let pa = base + 1;
    let pb = pa;
    let pc = base + n - 1;
    let pd = pc;
    for (;;) {
      let r: number;
      while (pb <= pc && (r = cmp(a[pb], a[base])) <= 0) {
        if (r === 0) swap(a, pa++, pb);
        pb++;
      }
      while (pb <= pc && (r = cmp(a[pc], a[base])) >= 0) {
        if (r === 0) swap(a, pc, pd--);
        pc--;
      }
      if (pb > pc) break;
      swap(a, pb++, pc--);
    }
    const pn = base + n;
    let r = Math.min(pa - base, pb - pa);
    for (let k = 0; k < r; k++) swap(a, base + k, pb - r + k);
    r = Math.min(pd - pc, pn - pd - 1);
    for (let k = 0; k < r; k++) swap(a, pb + k, pn - r + k);
    if ((r = pb - pa) > 1 && !outside(lrange, rrange, base, base + r - 1)) sortRange(a, base, r, cmp, lrange, rrange);
    if ((r = pd - pc) > 1) {
      base = pn - r;
      n = r;
      if (!outside(lrange, rrange, base, base + r - 1)) continue;
    }
    return;
  }
}

/** Sorts `a` enough that positions lrange..rrange are in their final places. */
export function pqsort<T>(a: T[], cmp: Compare<T>, lrange: number, rrange: number): void {
  sortRange(a, 0, a.length, cmp, lrange, rrange);
}
