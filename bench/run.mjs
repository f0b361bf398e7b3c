// Side-by-side benchmark: redis-benchmark against redis-ts and Debian's redis-server on
// the same machine with the same flags, run alternately, plus memory per key after
// loading 1M small string keys. Prints requests per second for both and the ratio.
//
//   npm run bench                     full run (200k requests per test)
//   BENCH_REQUESTS=50000 npm run bench  shorter
//   BENCH_KEYS=200000 npm run bench      fewer keys for the memory figure

import { spawn, spawnSync } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200000);
const KEYS = Number(process.env.BENCH_KEYS ?? 1000000);
const TESTS = process.env.BENCH_TESTS ?? 'ping_mbulk,set,get,incr,mset';
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function start(kind) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `bench-${kind}-`));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, '--appendonly', 'no'];
  const proc =
    kind === 'redis-ts'
      ? spawn(process.execPath, [join(ROOT, 'bin', 'redis-ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${kind} did not start:\n${out}`)), 15000);
    const on = (d) => {
      out += d;
      if (out.includes('Ready to accept connections')) {
        clearTimeout(t);
        resolve();
      }
    };
    proc.stdout.on('data', on);
    proc.stderr.on('data', on);
    proc.once('exit', (code) => reject(new Error(`${kind} exited ${code}:\n${out}`)));
  });
  return { kind, port, proc };
}

function stop(s) {
  return new Promise((resolve) => {
    if (s.proc.exitCode !== null) return resolve();
    s.proc.once('exit', resolve);
    s.proc.kill('SIGTERM');
    setTimeout(() => s.proc.kill('SIGKILL'), 5000).unref();
  });
}

function runBenchmark(port, pipeline) {
  const r = spawnSync(
    'redis-benchmark',
    ['-p', String(port), '-h', '127.0.0.1', '-t', TESTS, '-n', String(REQUESTS), '-c', String(CLIENTS), '-P', String(pipeline), '--csv'],
    { encoding: 'utf8', timeout: 600000 },
  );
  const result = {};
  for (const line of r.stdout.split('\n')) {
    const m = /^"([^"]+)","([\d.]+)"/.exec(line);
    if (m) result[m[1]] = Number(m[2]);
  }
  return result;
}

function rssKb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
}

/** Loads n keys "key:<i>" = "val:<i>" with pipelined SETs; resolves when all replied. */
function loadKeys(port, n) {
  return new Promise((resolve, reject) => {
    const sock = connect({ port, host: '127.0.0.1' });
    let replies = 0;
    let sent = 0;
    const BATCH = 5000;
    const sendBatch = () => {
      const parts = [];
      const end = Math.min(n, sent + BATCH);
      for (let i = sent; i < end; i++) {
        const k = `key:${String(i).padStart(8, '0')}`;
        const v = `val:${i}`;
        parts.push(`*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$${v.length}\r\n${v}\r\n`);
      }
      sent = end;
      sock.write(parts.join(''));
    };
    sock.on('data', (d) => {
      for (let i = 0; i < d.length; i++) if (d[i] === 0x2b /* '+' */) replies++;
      if (replies >= n) {
        sock.end();
        resolve();
      } else if (sent < n && sent - replies < BATCH * 4) sendBatch();
    });
    sock.on('error', reject);
    sock.on('connect', () => {
      for (let i = 0; i < 4 && sent < n; i++) sendBatch();
    });
  });
}

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

function fmt(n) {
  return n === undefined ? '-' : n.toFixed(0).padStart(9);
}

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
          const r = runBenchmark(s.port, pipeline);
          for (const [t, v] of Object.entries(r)) best[s.kind][t] = Math.max(best[s.kind][t] ?? 0, v);
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
