// Conveniences over RdbReader for an RDB held whole in memory: every key at once, or
// a generator over them, or a load that yields to the event loop between slices.

import { RdbError } from './constants.js';
import { NEED_MORE, RdbReader, type RdbKey, type RdbLoadInfo, type RdbReaderOptions } from './reader.js';

/** Reads a complete RDB held in memory. */
export function readRdb(buf: Buffer, opts: RdbReaderOptions = {}): { keys: RdbKey[]; info: RdbLoadInfo } {
  const keys: RdbKey[] = [];
  const it = iterateRdb(buf, opts);
  for (;;) {
    const r = it.next();
    if (r.done) return { keys, info: r.value };
    keys.push(r.value);
  }
}

/** Yields each key of a complete RDB; returns the load info. */
export function* iterateRdb(buf: Buffer, opts: RdbReaderOptions = {}): Generator<RdbKey, RdbLoadInfo, void> {
  const r = new RdbReader(opts);
  r.feed(buf);
  r.end();
  for (;;) {
    const k = r.next();
    if (k === null) return r.info;
    if (k === NEED_MORE) throw new RdbError('INTERNAL', 'Reader asked for more input after end()');
    yield k;
  }
}

/**
 * Loads a complete RDB, handing each key to onKey, and returns to the event loop
 * (setImmediate) whenever a slice of `sliceMs` milliseconds was used.
 */
export async function loadRdbInSlices(
  buf: Buffer,
  onKey: (k: RdbKey) => void,
  opts: RdbReaderOptions & { sliceMs?: number } = {},
): Promise<RdbLoadInfo> {
  const sliceMs = opts.sliceMs ?? 10;
  const r = new RdbReader(opts);
  r.feed(buf);
  r.end();
  let sliceStart = Date.now();
  let n = 0;
  for (;;) {
    const k = r.next();
    if (k === null) return r.info;
    if (k === NEED_MORE) throw new RdbError('INTERNAL', 'Reader asked for more input after end()');
    onKey(k);
    if ((++n & 15) === 0 && Date.now() - sliceStart >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = Date.now();
    }
  }
}
