// A blocking sleep: Redis's usleep/nanosleep in the event loop, for DEBUG knobs only.

/** Blocks the whole process for `ms` milliseconds. */
export function sleepSync(ms: number): void {
  if (ms <= 0) return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
