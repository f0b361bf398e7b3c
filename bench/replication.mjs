// Replication figures for redis-ts and redis-server in every pairing: time of a full
// sync of N keys, replica lag (offset difference) under a redis-benchmark write load,
// and the master's GET p99 during a full sync against no sync.
//   BENCH_KEYS=1000000 node bench/replication.mjs

import { command, infoField, loadKeys, redisBenchmarkAsync, start, stop } from './lib.mjs';

const KEYS = Number(process.env.BENCH_KEYS ?? 1000000);
const PAIRS = [
  ['redis-ts', 'redis-ts'],
  ['redis-server', 'redis-server'],
  ['redis-server', 'redis-ts'],
  ['redis-ts', 'redis-server'],
];

/** The replica's offset is read first: the difference is then an upper bound of the lag. */
async function offsets(master, replica) {
  const r = Number(await infoField(replica.port, 'replication', 'slave_repl_offset'));
  const m = Number(await infoField(master.port, 'replication', 'master_repl_offset'));
  return { m, r };
}

async function pair(masterKind, replicaKind) {
  const master = await start(masterKind, ['--repl-diskless-sync-delay', '0']);
  let replica = null;
  try {
    await loadKeys(master.port, KEYS);
    const getArgs = ['-t', 'get', '-n', '50000', '-c', '20', '-r', String(KEYS)];
    const idle = await redisBenchmarkAsync(master.port, getArgs);
    replica = await start(replicaKind);
    const t0 = performance.now();
    const during = redisBenchmarkAsync(master.port, getArgs);
    await command(replica.port, 'REPLICAOF', '127.0.0.1', String(master.port));
    for (;;) {
      const { m, r } = await offsets(master, replica);
      if ((await infoField(replica.port, 'replication', 'master_link_status')) === 'up' && m === r) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    const syncMs = performance.now() - t0;
    const duringSync = await during;
    // Lag under a write load: sample the offset difference while SETs run.
    const writes = redisBenchmarkAsync(master.port, ['-t', 'set', '-n', '200000', '-c', '50', '-r', '100000']);
    let maxLag = 0;
    let sum = 0;
    let samples = 0;
    let done = false;
    void writes.then(() => (done = true));
    while (!done) {
      const { m, r } = await offsets(master, replica);
      maxLag = Math.max(maxLag, m - r);
      sum += m - r;
      samples++;
      await new Promise((res) => setTimeout(res, 50));
    }
    const w = await writes;
    return { syncMs, idle: idle.GET, during: duringSync.GET, maxLag, avgLag: samples ? sum / samples : 0, setRps: w.SET?.rps };
  } finally {
    if (replica) await stop(replica);
    await stop(master);
  }
}

async function main() {
  console.log(`${KEYS} keys; diskless sync with no delay; GET load -n 50000 -c 20; lag under SET -n 200000 -c 50\n`);
  for (const [m, r] of PAIRS) {
    const x = await pair(m, r);
    console.log(`${m} → ${r}`);
    console.log(`  full sync ${x.syncMs.toFixed(0)} ms (REPLICAOF to offsets equal, under GET load)`);
    console.log(`  master GET p99: ${x.idle?.p99} ms without sync, ${x.during?.p99} ms during sync (max ${x.idle?.max} / ${x.during?.max} ms)`);
    console.log(`  replica lag under SET load (${x.setRps} rps): max ${x.maxLag} bytes, mean ${x.avgLag.toFixed(0)} bytes\n`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
