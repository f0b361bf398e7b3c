// A seeded protocol fuzzer: valid commands with random arguments (blocking ones with
// short timeouts among them) mixed with mutated RESP — wrong and negative lengths,
// huge declared sizes, missing CRLF, binary junk, unbalanced quotes, frames cut and
// then closed — sent over many connections in batches. After every batch a control
// connection must get PONG promptly and the canary keys must be intact.

import { connect, type Socket } from 'node:net';
import { Rng } from './workload.js';

const KEYS = ['k0', 'k1', 'k2', 'list', 'zs', 'st', 'h'];

/** Commands the fuzzer may run: nothing that flushes, shuts down, pauses or reconfigures the server. */
const COMMANDS: ((r: Rng) => string[])[] = [
  (r) => ['SET', r.pick(KEYS), junkWord(r)],
  (r) => ['GET', r.pick(KEYS)],
  (r) => ['LPUSH', r.pick(KEYS), junkWord(r)],
  (r) => ['RPOP', r.pick(KEYS)],
  (r) => ['BLPOP', r.pick(KEYS), r.pick(KEYS), (r.int(5) * 0.02).toFixed(2)],
  (r) => ['BRPOPLPUSH', r.pick(KEYS), r.pick(KEYS), '0.03'],
  (r) => ['BZPOPMIN', r.pick(KEYS), '0.02'],
  (r) => ['XREAD', 'BLOCK', String(10 + r.int(50)), 'STREAMS', r.pick(KEYS), '$'],
  (r) => ['XADD', r.pick(KEYS), '*', 'f', junkWord(r)],
  (r) => ['XGROUP', 'CREATE', r.pick(KEYS), 'g', '$', 'MKSTREAM'],
  (r) => ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '20', 'STREAMS', r.pick(KEYS), '>'],
  (r) => ['ZADD', r.pick(KEYS), String(r.int(100)), junkWord(r)],
  (r) => ['HSET', r.pick(KEYS), junkWord(r), junkWord(r)],
  (r) => ['INCR', r.pick(KEYS)],
  (r) => ['MULTI'],
  (r) => ['EXEC'],
  (r) => ['DISCARD'],
  (r) => ['WATCH', r.pick(KEYS)],
  (r) => ['SUBSCRIBE', junkWord(r)],
  (r) => ['UNSUBSCRIBE'],
  (r) => ['PUBLISH', junkWord(r), junkWord(r)],
  (r) => ['SELECT', String(r.int(20) - 2)],
  (r) => ['HELLO', r.pick(['2', '3', '4', 'x'])],
  (r) => ['CLIENT', r.pick(['REPLY', 'SETNAME', 'INFO', 'ID']), r.pick(['ON', 'OFF', 'SKIP', 'x'])],
  (r) => ['OBJECT', 'ENCODING', r.pick(KEYS)],
  (r) => ['EXPIRE', r.pick(KEYS), String(r.int(3))],
  (r) => ['PING', junkWord(r)],
  (r) => ['SORT', r.pick(KEYS), 'BY', 'nosort', 'LIMIT', String(r.int(5) - 1), String(r.int(5) - 1)],
  (r) => ['GETRANGE', r.pick(KEYS), String(r.int(20) - 10), String(r.int(2 ** 31))],
  (r) => [junkWord(r), junkWord(r)],
];

function junkWord(r: Rng): string {
  const n = r.int(12);
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(r.chance(0.8) ? 97 + r.int(26) : r.int(256));
  return s;
}

function resp(argv: string[]): Buffer {
  const parts = [`*${argv.length}\r\n`];
  for (const a of argv) parts.push(`$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`);
  return Buffer.from(parts.join(''), 'latin1');
}

function inline(argv: string[]): Buffer {
  return Buffer.from(argv.map((a) => (/[\s"']/.test(a) || a === '' ? JSON.stringify(a) : a)).join(' ') + '\r\n', 'latin1');
}

function mutate(r: Rng, b: Buffer): Buffer {
  const s = b.toString('latin1');
  switch (r.int(10)) {
    case 0:
      return Buffer.from(s.replace(/\*\d+/, `*${r.pick(['-5', 'abc', '99999999999', '', '1048577', '-1', '0'])}`), 'latin1');
    case 1:
      return Buffer.from(s.replace(/\$\d+/, `$${r.pick(['-2', 'x', '999999999999', '536870913', '3', '', '100000'])}`), 'latin1');
    case 2:
      return Buffer.from(s.replace(r.chance(0.5) ? '\r' : '\n', ''), 'latin1');
    case 3: {
      const junk = Buffer.alloc(1 + r.int(64));
      for (let i = 0; i < junk.length; i++) junk[i] = r.int(256);
      const at = r.int(b.length + 1);
      return Buffer.concat([b.subarray(0, at), junk, b.subarray(at)]);
    }
    case 4:
      return Buffer.from(`SET "unbalanced ${s.length}\r\n`, 'latin1');
    case 5:
      return Buffer.from(`*1\r\n${r.pick(['+', '-', ':', '%', 'x'])}${s}`, 'latin1');
    case 6:
      return Buffer.from('\r\n'.repeat(r.int(4)) + s, 'latin1');
    case 7:
      return Buffer.from(`*2\r\n$4\r\nECHO\r\n$${r.int(100)}\r\n${'z'.repeat(r.int(100))}\r\n`, 'latin1');
    case 8:
      return Buffer.from(`*${1 + r.int(3)}\r\n`, 'latin1');
    default:
      return b.subarray(0, r.int(b.length));
  }
}

/** The bytes one fuzz input sends, and whether it closes before the server answers. */
export interface FuzzInput {
  chunks: Buffer[];
  closeEarly: boolean;
}

export function fuzzInput(r: Rng): FuzzInput {
  const frames: Buffer[] = [];
  for (let i = 1 + r.int(6); i > 0; i--) {
    const argv = r.pick(COMMANDS)(r);
    const frame = r.chance(0.8) ? resp(argv) : inline(argv);
    frames.push(r.chance(0.35) ? mutate(r, frame) : frame);
  }
  const all = Buffer.concat(frames);
  const chunks: Buffer[] = [];
  for (let p = 0; p < all.length; ) {
    const n = 1 + r.int(Math.max(1, all.length - p));
    chunks.push(all.subarray(p, p + n));
    p += n;
  }
  return { chunks, closeEarly: r.chance(0.15) };
}

/** Sends one input on a fresh connection, then waits a little for answers and closes. */
function sendInput(port: number, input: FuzzInput, lingerMs: number): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const sock: Socket = connect({ port, host: '127.0.0.1' });
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve();
    };
    const timer = setTimeout(finish, lingerMs + 1000);
    sock.on('error', finish);
    sock.on('close', finish);
    sock.on('data', () => {});
    sock.once('connect', () => {
      for (const c of input.chunks) sock.write(c);
      if (input.closeEarly) finish();
      else setTimeout(finish, lingerMs);
    });
  });
}

/** One PING on a fresh connection; the round trip in ms, or null when no PONG came within timeoutMs. */
export function pingOnce(port: number, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const sock = connect({ port, host: '127.0.0.1' });
    let buf = '';
    const timer = setTimeout(() => {
      sock.destroy();
      resolve(null);
    }, timeoutMs);
    sock.on('error', () => {
      clearTimeout(timer);
      resolve(null);
    });
    sock.once('connect', () => sock.write('*1\r\n$4\r\nPING\r\n'));
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      if (buf === '+PONG\r\n') {
        clearTimeout(timer);
        sock.destroy();
        resolve(Date.now() - t0);
      }
    });
  });
}

export interface FuzzReport {
  inputs: number;
  batches: number;
  /** Batches after which the control PING did not answer within the limit. */
  hangs: number;
  /** Batches after which the server was gone. */
  crashes: number;
  /** Batches after which a canary key had changed. */
  canaryLosses: number;
  maxPingMs: number;
}

/**
 * Runs `n` seeded inputs against the server on `port`, `connections` at a time.
 * `alive()` tells whether the process is still running; `canaries()` reads the
 * canary keys (written before) and returns false when one changed.
 */
export async function runFuzz(
  port: number,
  opts: { seed: number; n: number; connections: number; lingerMs: number; alive: () => boolean; canariesIntact: () => Promise<boolean> },
): Promise<FuzzReport> {
  const r = new Rng(opts.seed);
  const report: FuzzReport = { inputs: 0, batches: 0, hangs: 0, crashes: 0, canaryLosses: 0, maxPingMs: 0 };
  while (report.inputs < opts.n) {
    const batch: Promise<void>[] = [];
    for (let i = 0; i < opts.connections && report.inputs < opts.n; i++, report.inputs++) {
      batch.push(sendInput(port, fuzzInput(r), opts.lingerMs));
    }
    await Promise.all(batch);
    report.batches++;
    if (!opts.alive()) {
      report.crashes++;
      break;
    }
    const ms = await pingOnce(port, 2000);
    if (ms === null) {
      report.hangs++;
      break;
    }
    report.maxPingMs = Math.max(report.maxPingMs, ms);
    if (!(await opts.canariesIntact())) {
      report.canaryLosses++;
      break;
    }
  }
  return report;
}
