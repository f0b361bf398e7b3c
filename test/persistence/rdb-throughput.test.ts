// Throughput of the RDB codec in-process: 1M small string keys written with
// RdbWriter and read back with RdbReader (figures printed, loose bounds asserted).
import { describe, expect, it } from 'vitest';
import { NEED_MORE, RdbReader } from '../../src/persistence/rdb/reader.js';
import { BufferSink, RdbWriter } from '../../src/persistence/rdb/writer.js';

describe('RDB throughput', () => {
  it('writes and reads 1M small string keys', () => {
    const N = 1_000_000;
    const keys = new Array<string>(N);
    const vals = new Array<string>(N);
    for (let i = 0; i < N; i++) {
      keys[i] = `key:${i}`;
      vals[i] = `value-${(i * 7919) % 100_000}`;
    }
    let buf: Buffer = Buffer.alloc(0);
    let writeMs = Infinity;
    let readMs = Infinity;
    // Best of three, so JIT warm-up and GC noise do not dominate.
    for (let rep = 0; rep < 3; rep++) {
      let t = performance.now();
      const sink = new BufferSink();
      const w = new RdbWriter(sink);
      w.writeHeader({ 'redis-ver': '7.0.15', 'redis-bits': 64 });
      w.writeSelectDb(0);
      w.writeResizeDb(N, 0);
      for (let i = 0; i < N; i++) w.writeKey(keys[i], vals[i]);
      w.writeEof();
      buf = sink.toBuffer();
      writeMs = Math.min(writeMs, performance.now() - t);

      t = performance.now();
      const r = new RdbReader();
      r.feed(buf);
      r.end();
      let n = 0;
      let last = '';
      for (let k = r.next(); k !== null; k = r.next()) {
        if (k === NEED_MORE) throw new Error('unexpected NEED_MORE');
        n++;
        last = k.value as string;
      }
      readMs = Math.min(readMs, performance.now() - t);
      expect(n).toBe(N);
      expect(last).toBe(vals[N - 1]);
      expect(r.info.checksum).toBe('verified');
    }
    const mb = buf.length / 1e6;
    const fmt = (ms: number) => `${(mb / (ms / 1000)).toFixed(0)} MB/s, ${(N / (ms / 1000) / 1e6).toFixed(2)} M keys/s`;
    console.log(
      `RDB throughput, 1M small string keys (${mb.toFixed(1)} MB): write ${writeMs.toFixed(0)} ms (${fmt(writeMs)}), read ${readMs.toFixed(0)} ms (${fmt(readMs)})`,
    );
    expect(writeMs).toBeLessThan(20_000);
    expect(readMs).toBeLessThan(20_000);
  });
});
