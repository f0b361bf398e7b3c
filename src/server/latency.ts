// The latency monitor (latency.c): per-event series of the worst latency of each
// second above latency-monitor-threshold, and per-command latency histograms in the
// power-of-two buckets LATENCY HISTOGRAM reports.

/** LATENCY_TS_LEN: samples kept per event. */
const SERIES_LEN = 160;

export interface LatencySample {
  /** Unix seconds. */
  time: number;
  /** Milliseconds. */
  latency: number;
}

export class LatencySeries {
  readonly samples: LatencySample[] = [];
  max = 0;

  add(now: number, latency: number): void {
    if (latency > this.max) this.max = latency;
    const last = this.samples[this.samples.length - 1];
    // One sample per second: the worst one.
    if (last !== undefined && last.time === now) {
      if (latency > last.latency) last.latency = latency;
      return;
    }
    this.samples.push({ time: now, latency });
    if (this.samples.length > SERIES_LEN) this.samples.shift();
  }
}

export class LatencyMonitor {
  readonly events = new Map<string, LatencySeries>();

  /** latencyAddSample: `ms` is the event's duration. */
  add(event: string, ms: number): void {
    let s = this.events.get(event);
    if (s === undefined) this.events.set(event, (s = new LatencySeries()));
    s.add(Math.floor(Date.now() / 1000), Math.floor(ms));
  }

  /** Forgets one event (case-insensitive) or all; returns how many series were dropped. */
  reset(event: string | null): number {
    let n = 0;
    for (const name of [...this.events.keys()]) {
      if (event === null || name.toLowerCase() === event.toLowerCase()) {
        this.events.delete(name);
        n++;
      }
    }
    return n;
  }
}

/** Buckets of a command latency histogram: bucket b holds durations up to 1024 * 2^b ns. */
export const HISTOGRAM_BUCKETS = 40;

/** Counts one call of `us` microseconds into a histogram. */
export function recordLatency(histogram: number[], us: number): void {
  const ns = us * 1000;
  let b = ns <= 1024 ? 0 : Math.ceil(Math.log2(ns / 1024));
  if (b >= HISTOGRAM_BUCKETS) b = HISTOGRAM_BUCKETS - 1;
  histogram[b]++;
}

/** The bucket's label, as hdr_histogram's highest equivalent value in microseconds. */
export function bucketMicros(b: number): number {
  return Math.floor((1024 * 2 ** b) / 1000);
}

/** hdr_value_at_percentile over a histogram, in microseconds (the bucket's upper bound). */
export function latencyAtPercentile(histogram: readonly number[], percentile: number): number {
  let total = 0;
  for (const n of histogram) total += n;
  if (total === 0) return 0;
  const wanted = Math.max(1, Math.ceil((percentile / 100) * total));
  let seen = 0;
  for (let b = 0; b < histogram.length; b++) {
    seen += histogram[b];
    if (seen >= wanted) return (1024 * 2 ** b) / 1000;
  }
  return (1024 * 2 ** (histogram.length - 1)) / 1000;
}
