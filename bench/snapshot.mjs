// Snapshot figures, redis-ts against redis-server: with N keys loaded, the longest
// PING round trip (an upper bound of the event-loop stall) and redis-benchmark GET
// p99 with no save running and during a BGSAVE; BGSAVE duration; RDB save and load
// throughput.   BENCH_KEYS=1000000 node bench/snapshot.mjs

import { statSync } from 'node:fs';
import { join } from 'node:path';
import { command, infoField, loadKeys, pingProbe, redisBenchmarkAsync, start, stop } from './lib.mjs';

const KEYS = Number(process.env.BENCH_KEYS ?? 1000000);

async function measure(kind) {
  const s = await start(kind);
  try {
    await loadKeys(s.port, KEYS);
    const getArgs = ['-t', 'get', '-n', '100000', '-c', '20', '-r', String(KEYS)];
    // Baseline: no save running.
    let probe = pingProbe(s.port);
    const idle = await redisBenchmarkAsync(s.port, getArgs);
    const idleProbe = probe.stop();
    // During BGSAVE: the same load, started together with the save.
    probe = pingProbe(s.port);
    const t0 = performance.now();
    await command(s.port, 'BGSAVE');
    const bench = redisBenchmarkAsync(s.port, getArgs);
    while ((await infoField(s.port, 'persistence', 'rdb_bgsave_in_progress')) !== '0') await new Promise((r) => setTimeout(r, 20));
    const saveMs = performance.now() - t0;
    const during = await bench;
    const saveProbe = probe.stop();
    const size = statSync(join(s.dir, 'dump.rdb')).size;
    await stop(s);
    // Load throughput: restart on the same file.
    const l0 = performance.now();
    const again = await start(kind, [], s.dir);
    const loadMs = performance.now() - l0;
    await stop(again);
    return { idle: idle.GET, during: during.GET, idleProbe, saveProbe, saveMs, loadMs, size };
  } finally {
    await stop(s);
  }
}

const mb = (bytes, ms) => (bytes / 1024 / 1024 / (ms / 1000)).toFixed(1);

async function main() {
  console.log(`${KEYS} keys; GET load: redis-benchmark -t get -n 100000 -c 20 -r ${KEYS}\n`);
  for (const kind of ['redis-ts', 'redis-server']) {
    const m = await measure(kind);
    console.log(`${kind}`);
    console.log(`  no save:     GET p99 ${m.idle?.p99} ms, max ${m.idle?.max} ms, ${m.idle?.rps} rps; longest PING ${m.idleProbe.max.toFixed(1)} ms`);
    console.log(`  during save: GET p99 ${m.during?.p99} ms, max ${m.during?.max} ms, ${m.during?.rps} rps; longest PING ${m.saveProbe.max.toFixed(1)} ms`);
    console.log(`  BGSAVE ${m.saveMs.toFixed(0)} ms for ${(m.size / 1024 / 1024).toFixed(1)} MB (${mb(m.size, m.saveMs)} MB/s, ${(KEYS / (m.saveMs / 1000)).toFixed(0)} keys/s, under GET load)`);
    console.log(`  start with load ${m.loadMs.toFixed(0)} ms (${mb(m.size, m.loadMs)} MB/s, ${(KEYS / (m.loadMs / 1000)).toFixed(0)} keys/s, process start included)\n`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
