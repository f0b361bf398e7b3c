// Scripting side by side: EVALSHA throughput of redis-ts and Debian's redis-server for
// a one-call and a ten-call script (redis-benchmark runs any command), with and without
// pipelining, and the memory 10,000 cached scripts take.
//
//   node bench/scripting.mjs
//   BENCH_REQUESTS=50000 node bench/scripting.mjs

import { command, have, infoField, redisBenchmark, rssKb, start, stop } from './lib.mjs';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const SCRIPTS = {
  'evalsha 1 call': "return redis.call('get', KEYS[1])",
  'evalsha 10 calls': "local v for i = 1, 10 do v = redis.call('get', KEYS[1]) end return v",
};

async function cachedScriptsMemory(s, n) {
  const vmBefore = Number(await infoField(s.port, 'memory', 'used_memory_vm_eval'));
  const rssBefore = rssKb(s.proc.pid);
  for (let i = 0; i < n; i++) await command(s.port, 'SCRIPT', 'LOAD', `return redis.call('get', KEYS[1]) .. '${i}'`);
  const vmAfter = Number(await infoField(s.port, 'memory', 'used_memory_vm_eval'));
  const bodies = Number(await infoField(s.port, 'memory', 'used_memory_scripts_eval'));
  return { vmMb: (vmAfter - vmBefore) / 1e6, bodiesMb: bodies / 1e6, rssMb: (rssKb(s.proc.pid) - rssBefore) / 1024 };
}

async function main() {
  if (!have('redis-benchmark') || !have('redis-server')) {
    console.error('redis-benchmark and redis-server are needed (apt-get install redis-server redis-tools)');
    process.exit(1);
  }
  const ours = await start('redis-ts');
  const real = await start('redis-server');
  try {
    const shas = {};
    for (const s of [ours, real]) {
      await command(s.port, 'SET', 'foo', 'bar');
      shas[s.kind] = {};
      for (const [name, body] of Object.entries(SCRIPTS)) shas[s.kind][name] = await command(s.port, 'SCRIPT', 'LOAD', body);
    }
    console.log(`redis-benchmark -n ${REQUESTS} -c ${CLIENTS}, ${ROUNDS} alternating rounds, best of rounds`);
    console.log('test                      pipeline   redis-ts  redis-server   ratio');
    for (const pipeline of [1, 16]) {
      for (const name of [...Object.keys(SCRIPTS), 'get']) {
        const best = {};
        for (let round = 0; round < ROUNDS; round++) {
          for (const s of round % 2 === 0 ? [ours, real] : [real, ours]) {
            const args = name === 'get' ? ['GET', 'foo'] : ['EVALSHA', shas[s.kind][name], '1', 'foo'];
            const r = redisBenchmark(s.port, ['-n', String(REQUESTS), '-c', String(CLIENTS), '-P', String(pipeline), ...args]);
            const rps = Object.values(r)[0]?.rps ?? 0;
            best[s.kind] = Math.max(best[s.kind] ?? 0, rps);
          }
        }
        const ratio = best['redis-ts'] / best['redis-server'];
        console.log(
          `${name.padEnd(25)} ${String(pipeline).padStart(8)} ${best['redis-ts'].toFixed(0).padStart(10)} ${best['redis-server'].toFixed(0).padStart(13)} ${ratio.toFixed(2).padStart(7)}`,
        );
      }
    }
    console.log('\n10,000 cached scripts (SCRIPT LOAD):');
    for (const s of [ours, real]) {
      const m = await cachedScriptsMemory(s, 10000);
      console.log(`${s.kind.padEnd(13)} Lua VM +${m.vmMb.toFixed(2)} MB, bodies ${m.bodiesMb.toFixed(2)} MB, RSS +${m.rssMb.toFixed(1)} MB`);
    }
  } finally {
    await stop(ours);
    await stop(real);
  }
}

await main();
