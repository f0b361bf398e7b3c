// Side-by-side benchmark: redis-benchmark against redis-ts and Debian's redis-server on
// the same machine with the same flags, run alternately, plus memory per key after
// loading 1M small string keys. Prints requests per second for both and the ratio.
//
//   npm run bench                        full run (200k requests per test)
//   BENCH_REQUESTS=50000 npm run bench   shorter
//   BENCH_KEYS=200000 npm run bench      fewer keys for the memory figure
//   node bench/snapshot.mjs              BGSAVE stall / latency and RDB throughput
//   node bench/rdb-codec.mjs             in-process RDB codec throughput
//   node bench/replication.mjs           full-sync times, replica lag, latency during sync

import { have, loadKeys, redisBenchmark, rssKb, start, stop } from './lib.mjs';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200000);
const KEYS = Number(process.env.BENCH_KEYS ?? 1000000);
const TESTS = process.env.BENCH_TESTS ?? 'ping_mbulk,set,get,incr,mset';
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

async function memoryPerKey(kind) {
  const s = await start(kind);
  try {
    await new Promise((r) => setTimeout(r, 300));
    const before = rssKb(s.proc.pid);
    const t0 = Date.now();
    await loadKeys(s.port, KEYS);
    const loadMs = Date.now() - t0;
    await new Promise((r) => setTimeout(r, 1000));
    const after = rssKb(s.proc.pid);
    return { bytesPerKey: ((after - before) * 1024) / KEYS, rssMb: after / 1024, loadMs };
  } finally {
    await stop(s);
  }
}

const fmt = (n) => (n === undefined ? '-' : n.toFixed(0).padStart(9));

async function main() {
  if (!have('redis-benchmark') || !have('redis-server')) {
    console.error('redis-benchmark and redis-server are needed (apt-get install redis-server redis-tools)');
    process.exit(1);
  }
  console.log(`redis-benchmark -t ${TESTS} -n ${REQUESTS} -c ${CLIENTS}, ${ROUNDS} alternating rounds, best of rounds\n`);
  const ours = await start('redis-ts');
  const real = await start('redis-server');
  const results = {};
  try {
    for (const pipeline of [1, 16]) {
      const best = { 'redis-ts': {}, 'redis-server': {} };
      for (let round = 0; round < ROUNDS; round++) {
        for (const s of round % 2 === 0 ? [ours, real] : [real, ours]) {
          const r = redisBenchmark(s.port, ['-t', TESTS, '-n', String(REQUESTS), '-c', String(CLIENTS), '-P', String(pipeline)]);
          for (const [t, v] of Object.entries(r)) best[s.kind][t] = Math.max(best[s.kind][t] ?? 0, v.rps);
        }
      }
      results[pipeline] = best;
    }
  } finally {
    await stop(ours);
    await stop(real);
  }
  for (const pipeline of [1, 16]) {
    const b = results[pipeline];
    console.log(`-P ${pipeline}`);
    console.log(`${'test'.padEnd(12)} ${'redis-ts'.padStart(9)} ${'redis'.padStart(9)}  ratio`);
    for (const t of Object.keys(b['redis-server'])) {
      const a = b['redis-ts'][t];
      const r = b['redis-server'][t];
      console.log(`${t.padEnd(12)} ${fmt(a)} ${fmt(r)}  ${a && r ? (a / r).toFixed(2) : '-'}`);
    }
    console.log('');
  }
  console.log(`memory after loading ${KEYS} small string keys (RSS growth):`);
  for (const kind of ['redis-ts', 'redis-server']) {
    const m = await memoryPerKey(kind);
    console.log(`${kind.padEnd(12)} ${m.bytesPerKey.toFixed(1).padStart(7)} bytes/key  (RSS ${m.rssMb.toFixed(0)} MB, loaded in ${m.loadMs} ms)`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
