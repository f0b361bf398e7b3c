// Data-type figures, redis-ts against redis-server: bytes per element of a 1M-element
// list, hash, set and sorted set (RSS growth), and redis-benchmark's lpush, lpop, sadd,
// hset, zadd and lrange_100 rates.   BENCH_ELEMENTS=1000000 node bench/types.mjs

import { connect } from 'node:net';
import { redisBenchmark, rssKb, start, stop } from './lib.mjs';

const N = Number(process.env.BENCH_ELEMENTS ?? 1000000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100000);
const PER_COMMAND = 1000;

/** Builds one collection of N elements with multi-element commands, pipelined. */
function fill(port, type) {
  const cmd = (from) => {
    const args = [];
    for (let i = from; i < Math.min(N, from + PER_COMMAND); i++) {
      const m = `element:${i}`;
      if (type === 'list') args.push(m);
      else if (type === 'set') args.push(m);
      else if (type === 'hash') args.push(m, `v${i}`);
      else args.push(String(i), m);
    }
    const name = { list: 'RPUSH', set: 'SADD', hash: 'HSET', zset: 'ZADD' }[type];
    const argv = [name, `big:${type}`, ...args];
    return `*${argv.length}\r\n` + argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('');
  };
  return new Promise((resolve, reject) => {
    const sock = connect({ port, host: '127.0.0.1' });
    const total = Math.ceil(N / PER_COMMAND);
    let sent = 0;
    let replies = 0;
    const pump = () => {
      while (sent < total && sent - replies < 20) sock.write(cmd(sent++ * PER_COMMAND));
    };
    sock.on('connect', pump);
    sock.on('data', (d) => {
      for (let i = 0; i < d.length; i++) if (d[i] === 0x3a /* ':' */) replies++;
      if (replies >= total) {
        sock.end();
        resolve();
      } else pump();
    });
    sock.on('error', reject);
  });
}

async function bytesPerElement(kind, type) {
  const s = await start(kind);
  try {
    await new Promise((r) => setTimeout(r, 300));
    const before = rssKb(s.proc.pid);
    await fill(s.port, type);
    await new Promise((r) => setTimeout(r, 1000));
    return ((rssKb(s.proc.pid) - before) * 1024) / N;
  } finally {
    await stop(s);
  }
}

async function main() {
  console.log(`bytes per element, one ${N}-element collection (RSS growth)`);
  console.log(`${'type'.padEnd(6)} ${'redis-ts'.padStart(9)} ${'redis'.padStart(9)}  ratio`);
  for (const type of ['list', 'hash', 'set', 'zset']) {
    const a = await bytesPerElement('redis-ts', type);
    const b = await bytesPerElement('redis-server', type);
    console.log(`${type.padEnd(6)} ${a.toFixed(1).padStart(9)} ${b.toFixed(1).padStart(9)}  ${(a / b).toFixed(2)}`);
  }
  const tests = 'lpush,lpop,sadd,hset,zadd,lrange_100';
  console.log(`\nredis-benchmark -t ${tests} -n ${REQUESTS} -c 50 (alternating, best of 2)`);
  const ours = await start('redis-ts');
  const real = await start('redis-server');
  const best = { 'redis-ts': {}, 'redis-server': {} };
  try {
    for (let round = 0; round < 2; round++) {
      for (const s of round % 2 === 0 ? [ours, real] : [real, ours]) {
        const r = redisBenchmark(s.port, ['-t', tests, '-n', String(REQUESTS), '-c', '50']);
        for (const [t, v] of Object.entries(r)) best[s.kind][t] = Math.max(best[s.kind][t] ?? 0, v.rps);
      }
    }
  } finally {
    await stop(ours);
    await stop(real);
  }
  for (const t of Object.keys(best['redis-server'])) {
    const a = best['redis-ts'][t];
    const b = best['redis-server'][t];
    console.log(`${t.padEnd(28)} ${String(Math.round(a)).padStart(9)} ${String(Math.round(b)).padStart(9)}  ${(a / b).toFixed(2)}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
