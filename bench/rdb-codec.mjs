// In-process RDB codec throughput: 1M small string keys written with RdbWriter and
// read back with RdbReader, best of three (figures only; run after `npm run build`).
//
//   node bench/rdb-codec.mjs            BENCH_KEYS=200000 for fewer keys

import { NEED_MORE, RdbReader } from '../dist/persistence/rdb/reader.js';
import { BufferSink, RdbWriter } from '../dist/persistence/rdb/writer.js';

const N = Number(process.env.BENCH_KEYS ?? 1_000_000);
const keys = new Array(N);
const vals = new Array(N);
for (let i = 0; i < N; i++) {
  keys[i] = `key:${i}`;
  vals[i] = `value-${(i * 7919) % 100_000}`;
}
let buf = Buffer.alloc(0);
let writeMs = Infinity;
let readMs = Infinity;
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
  for (let k = r.next(); k !== null; k = r.next()) {
    if (k === NEED_MORE) throw new Error('unexpected NEED_MORE');
    n++;
  }
  readMs = Math.min(readMs, performance.now() - t);
  if (n !== N || r.info.checksum !== 'verified') throw new Error(`read back ${n} keys, checksum ${r.info.checksum}`);
}
const mb = buf.length / 1e6;
const fmt = (ms) => `${(mb / (ms / 1000)).toFixed(0)} MB/s, ${(N / (ms / 1000) / 1e6).toFixed(2)} M keys/s`;
console.log(`RDB codec, ${N} small string keys (${mb.toFixed(1)} MB): write ${writeMs.toFixed(0)} ms (${fmt(writeMs)}), read ${readMs.toFixed(0)} ms (${fmt(readMs)})`);
