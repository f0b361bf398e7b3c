// Server-wide counters reported by INFO stats and errorstats (server.h's stat_* fields).

/** Redis stops tracking new error prefixes past this many (ERRORSTATS_LIMIT). */
const ERROR_PREFIX_LIMIT = 128;

export class Stats {
  totalConnections = 0;
  rejectedConnections = 0;
  totalCommands = 0;
  netInputBytes = 0;
  netOutputBytes = 0;
  netReplInputBytes = 0;
  netReplOutputBytes = 0;
  expiredKeys = 0;
  expiredStalePerc = 0;
  expiredTimeCapReached = 0;
  expireCycleCpuMs = 0;
  evictedKeys = 0;
  evictedClients = 0;
  replyBufferShrinks = 0;
  /** lazyfreed_objects: values a lazy deletion freed (in Redis, on its background thread). */
  lazyfreedObjects = 0;
  replyBufferExpands = 0;
  /** used_memory_peak (stat_peak_memory). */
  peakMemory = 0;
  syncFull = 0;
  syncPartialOk = 0;
  syncPartialErr = 0;
  totalErrorReplies = 0;
  unexpectedErrorReplies = 0;
  totalReadsProcessed = 0;
  totalWritesProcessed = 0;
  readonly errorCounts = new Map<string, number>();
  peakOutputBuffer = 0;

  /** Samples for instantaneous_* figures: ring of (time, value) per metric. */
  private readonly samples = new Map<string, { t: number; v: number }[]>();

  notePeakMemory(used: number): void {
    if (used > this.peakMemory) this.peakMemory = used;
  }

  countError(msg: string): void {
    this.totalErrorReplies++;
    const sp = msg.indexOf(' ');
    const prefix = sp === -1 ? msg : msg.slice(0, sp);
    const n = this.errorCounts.get(prefix);
    if (n !== undefined) this.errorCounts.set(prefix, n + 1);
    else if (this.errorCounts.size < ERROR_PREFIX_LIMIT) this.errorCounts.set(prefix, 1);
  }

  /** Records a metric's current cumulative value (called from cron, ~every 100 ms). */
  sample(name: string, now: number, value: number): void {
    let ring = this.samples.get(name);
    if (ring === undefined) {
      ring = [];
      this.samples.set(name, ring);
    }
    ring.push({ t: now, v: value });
    if (ring.length > 16) ring.shift();
  }

  /** Per-second rate over the sampled window. */
  rate(name: string): number {
    const ring = this.samples.get(name);
    if (ring === undefined || ring.length < 2) return 0;
    const a = ring[0];
    const b = ring[ring.length - 1];
    const dt = (b.t - a.t) / 1000;
    return dt <= 0 ? 0 : (b.v - a.v) / dt;
  }

  resetStats(): void {
    this.totalConnections = 0;
    this.rejectedConnections = 0;
    this.totalCommands = 0;
    this.netInputBytes = 0;
    this.netOutputBytes = 0;
    this.netReplInputBytes = 0;
    this.netReplOutputBytes = 0;
    this.expiredKeys = 0;
    this.expiredStalePerc = 0;
    this.expiredTimeCapReached = 0;
    this.expireCycleCpuMs = 0;
    this.evictedKeys = 0;
    this.evictedClients = 0;
    this.replyBufferShrinks = 0;
    this.lazyfreedObjects = 0;
    this.replyBufferExpands = 0;
    this.syncFull = 0;
    this.syncPartialOk = 0;
    this.syncPartialErr = 0;
    this.totalErrorReplies = 0;
    this.unexpectedErrorReplies = 0;
    this.totalReadsProcessed = 0;
    this.totalWritesProcessed = 0;
    this.errorCounts.clear();
    this.samples.clear();
  }
}
