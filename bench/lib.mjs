// Shared pieces of the benchmarks: start/stop redis-ts or redis-server on a free
// loopback port, bulk-load keys, RSS, redis-benchmark runs, a latency probe.

import { spawn, spawnSync } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts 'redis-ts' or 'redis-server'; resolves once it is ready. */
export async function start(kind, extra = [], dir = mkdtempSync(join(tmpdir(), `bench-${kind}-`))) {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, ...extra];
  const proc =
    kind === 'redis-ts'
      ? spawn(process.execPath, ['--max-old-space-size=8192', join(ROOT, 'bin', 'redis-ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${kind} did not start:\n${out}`)), 120000);
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
  return { kind, port, proc, dir, output: () => out };
}

export function stop(s) {
  return new Promise((resolve) => {
    if (s.proc.exitCode !== null) return resolve();
    s.proc.once('exit', resolve);
    s.proc.kill('SIGTERM');
    setTimeout(() => s.proc.kill('SIGKILL'), 10000).unref();
  });
}

export function rssKb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
}

/** Loads n keys "key:<i>" = "val:<i>" with pipelined SETs; resolves when all replied. */
export function loadKeys(port, n, valueFor = (i) => `val:${i}`) {
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
        const v = valueFor(i);
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

/** One command over a fresh connection; resolves with the raw reply text. */
export function command(port, ...argv) {
  return new Promise((resolve, reject) => {
    const sock = connect({ port, host: '127.0.0.1' });
    let buf = '';
    sock.on('connect', () => sock.write(`*${argv.length}\r\n` + argv.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')));
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      const m = /^\$(\d+)\r\n/.exec(buf);
      if ((m && buf.length >= m[0].length + Number(m[1]) + 2) || (!m && buf.endsWith('\r\n') && buf[0] !== '$')) {
        sock.end();
        resolve(m ? buf.slice(m[0].length, m[0].length + Number(m[1])) : buf.trim());
      }
    });
    sock.on('error', reject);
  });
}

export async function infoField(port, section, field) {
  const text = await command(port, 'INFO', section);
  const m = new RegExp(`^${field}:(.*)$`, 'm').exec(text);
  return m ? m[1].trim() : null;
}

/** redis-benchmark --csv: { TEST: { rps, p50, p99, max } }. */
export function redisBenchmark(port, args) {
  const r = spawnSync('redis-benchmark', ['-p', String(port), '-h', '127.0.0.1', '--csv', ...args], { encoding: 'utf8', timeout: 900000 });
  const out = {};
  for (const line of r.stdout.split('\n')) {
    const cells = line.split(',').map((c) => c.replace(/"/g, ''));
    if (cells.length >= 2 && cells[0] !== 'test' && !Number.isNaN(Number(cells[1]))) {
      out[cells[0]] = { rps: Number(cells[1]), p50: Number(cells[4]), p99: Number(cells[6]), max: Number(cells[7]) };
    }
  }
  return out;
}

/** Same as redisBenchmark but asynchronous, so something else can run meanwhile. */
export function redisBenchmarkAsync(port, args) {
  return new Promise((resolve) => {
    const p = spawn('redis-benchmark', ['-p', String(port), '-h', '127.0.0.1', '--csv', ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    p.stdout.on('data', (d) => (text += d));
    p.on('exit', () => {
      const out = {};
      for (const line of text.split('\n')) {
        const cells = line.split(',').map((c) => c.replace(/"/g, ''));
        if (cells.length >= 2 && cells[0] !== 'test' && !Number.isNaN(Number(cells[1]))) {
          out[cells[0]] = { rps: Number(cells[1]), p50: Number(cells[4]), p99: Number(cells[6]), max: Number(cells[7]) };
        }
      }
      resolve(out);
    });
  });
}

/**
 * Sends PING on one connection back to back until stop() and records each round
 * trip: the longest one bounds the longest event-loop stall the server had.
 */
export function pingProbe(port) {
  const sock = connect({ port, host: '127.0.0.1' });
  sock.setNoDelay(true);
  const rtts = [];
  let sentAt = 0;
  let running = true;
  const ping = () => {
    sentAt = performance.now();
    sock.write('*1\r\n$4\r\nPING\r\n');
  };
  sock.on('connect', ping);
  sock.on('data', () => {
    rtts.push(performance.now() - sentAt);
    if (running) ping();
  });
  return {
    stop() {
      running = false;
      sock.end();
      const sorted = rtts.slice().sort((a, b) => a - b);
      return {
        count: sorted.length,
        max: sorted[sorted.length - 1] ?? 0,
        p99: sorted[Math.floor(sorted.length * 0.99)] ?? 0,
      };
    },
  };
}
