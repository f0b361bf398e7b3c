// A cumulative histogram with fixed bucket bounds, as Prometheus exposes one
// (le buckets, _sum and _count).

export class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;

  /** `bounds`: the upper bounds of the buckets, ascending (+Inf is implied). */
  constructor(readonly bounds: readonly number[]) {
    this.counts = bounds.map(() => 0);
  }

  observe(v: number): void {
    this.sum += v;
    this.count++;
    for (let i = 0; i < this.bounds.length; i++) if (v <= this.bounds[i]) this.counts[i]++;
  }
}
