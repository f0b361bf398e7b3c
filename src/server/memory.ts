// Memory accounting for INFO and the maxmemory limit (evict.c's getMaxmemoryState,
// with the noeviction policy: past the limit, commands that may grow memory are refused).

/** What `used_memory` counts: the JS heap plus memory V8 holds outside it (Buffers). */
export function usedMemory(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

let sampledAt = -1;
let sampled = 0;

/** used_memory, read at most once per millisecond: the check runs before every command. */
export function usedMemoryAt(nowMs: number): number {
  if (nowMs !== sampledAt) {
    sampledAt = nowMs;
    sampled = usedMemory();
  }
  return sampled;
}
