// AOF figures, redis-ts against redis-server, both with appendonly yes: SET
// throughput under appendfsync always / everysec / no, and appendonly no as the
// baseline (redis-benchmark -t set -n 200000 -P 16, and -P 1 -c 50); a BGREWRITEAOF of N keys (DEBUG POPULATE):
// its duration and the longest PING round trip of a client pinging every 1 ms
// during it (an upper bound of the event-loop stall); the start-up load of an N-key
// AOF, as an RDB-preamble base and as N SET commands in an incr file.
//   node bench/aof.mjs            (BENCH_KEYS=1000000 by default)

import { connect } from 'node:net';
import { command, infoField, loadKeys, redisBenchmark, start, stop } from './lib.mjs';

const KEYS = Number(process.env.BENCH_KEYS ?? 1000000);
const KINDS = ['redis-ts', 'redis-server'];
/** 'off' is appendonly no: the baseline the AOF's cost is read against. */
const POLICIES = ['off', 'always', 'everysec', 'no'];
const debug = ['--enable-debug-command', 'yes'];

/**
 * Sends an inline PING every 1 ms on one connection, whether or not the last one
 * was answered; the round trip of each is measured from its own send time.
 */
function intervalProbe(port) {
  const sock = connect({ port, host: '127.0.0.1' });
  sock.setNoDelay(true);
  const sentAt = [];
  let max = 0;
  let count = 0;
  let partial = '';
  const timer = setInterval(() => {
    sentAt.push(performance.now());
    sock.write('PING\r\n');
  }, 1);
  sock.on('data', (d) => {
    const now = performance.now();
    partial += d.toString('latin1');
    let i;
    while ((i = partial.indexOf('\r\n')) >= 0) {
      partial = partial.slice(i + 2);
      const t = sentAt.shift();
      if (t === undefined) continue;
      count++;
      if (now - t > max) max = now - t;
    }
  });
  sock.on('error', () => undefined);
  return {
    stop() {
      clearInterval(timer);
      sock.destroy();
      return { count, max };
    },
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitInfo(port, field, value, timeoutMs = 600000) {
  const deadline = Date.now() + timeoutMs;
  while ((await infoField(port, 'persistence', field)) !== value) {
    if (Date.now() > deadline) throw new Error(`${field} never became ${value}`);
    await sleep(10);
  }
}

/** Restarts on the same directory; time from spawn until PING answers, and the load the server logged. */
async function timedLoad(kind, dir, args) {
  const t0 = performance.now();
  const s = await start(kind, args, dir);
  const pong = await command(s.port, 'PING');
  const ms = performance.now() - t0;
  if (pong !== '+PONG') throw new Error(`${kind} answered ${pong}`);
  const keys = Number(await command(s.port, 'DBSIZE').then((r) => r.replace(/^:/, '')));
  const logged = /DB loaded from append only file: ([\d.]+) seconds/.exec(s.output());
  await stop(s);
  if (keys !== KEYS) throw new Error(`${kind} loaded ${keys} keys, expected ${KEYS}`);
  return { ms, loggedMs: logged ? Number(logged[1]) * 1000 : NaN };
}

async function throughput(kind, policy) {
  const s = await start(kind, policy === 'off' ? ['--appendonly', 'no'] : ['--appendonly', 'yes', '--appendfsync', policy]);
  try {
    const p16 = redisBenchmark(s.port, ['-t', 'set', '-n', '200000', '-P', '16', '-q']).SET;
    const p1 = redisBenchmark(s.port, ['-t', 'set', '-n', '100000', '-P', '1', '-c', '50', '-q']).SET;
    return { p16, p1 };
  } finally {
    await stop(s);
  }
}

async function rewriteAndLoad(kind) {
  const args = ['--appendonly', 'yes', ...debug];
  const s = await start(kind, args);
  let rewriteMs;
  let stall;
  let idle;
  try {
    await command(s.port, 'DEBUG', 'POPULATE', String(KEYS));
    // Baseline: the same probe for one second with nothing running.
    let probe = intervalProbe(s.port);
    await sleep(1000);
    idle = probe.stop();
    probe = intervalProbe(s.port);
    await sleep(50);
    const t0 = performance.now();
    const reply = await command(s.port, 'BGREWRITEAOF');
    if (!reply.includes('started')) throw new Error(`BGREWRITEAOF: ${reply}`);
    await waitInfo(s.port, 'aof_rewrite_in_progress', '0');
    rewriteMs = performance.now() - t0;
    await sleep(50);
    stall = probe.stop();
    if ((await infoField(s.port, 'persistence', 'aof_last_bgrewrite_status')) !== 'ok') throw new Error(`${kind}: rewrite failed`);
  } finally {
    await stop(s);
  }
  // The base just written (RDB preamble), N keys.
  const fromBase = await timedLoad(kind, s.dir, args);
  // N SET commands in an incr file (written with appendfsync no, for speed).
  const c = await start(kind, ['--appendonly', 'yes', '--appendfsync', 'no']);
  try {
    await loadKeys(c.port, KEYS);
  } finally {
    await stop(c);
  }
  const fromIncr = await timedLoad(kind, c.dir, ['--appendonly', 'yes']);
  return { rewriteMs, stall, idle, fromBase, fromIncr };
}

const rps = (x) => (x ? Math.round(x.rps).toLocaleString('en-US') : 'n/a');
const p99 = (x) => (x ? `${x.p99}` : 'n/a');
const ms = (x) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');

async function main() {
  const started = performance.now();
  console.log(`AOF benchmark, ${KEYS} keys for rewrite and load; SET: redis-benchmark -t set -n 200000 -P 16 (default 50 clients) and -n 100000 -P 1 -c 50\n`);

  const tp = {};
  for (const policy of POLICIES) for (const kind of KINDS) tp[`${kind}/${policy}`] = await throughput(kind, policy);
  console.log('| appendfsync (off: appendonly no) | server | SET rps -P 16 | p99 ms -P 16 | SET rps -P 1 -c 50 | p99 ms -P 1 |');
  console.log('|---|---|---:|---:|---:|---:|');
  for (const policy of POLICIES) {
    for (const kind of KINDS) {
      const t = tp[`${kind}/${policy}`];
      console.log(`| ${policy} | ${kind} | ${rps(t.p16)} | ${p99(t.p16)} | ${rps(t.p1)} | ${p99(t.p1)} |`);
    }
  }

  const rw = {};
  for (const kind of KINDS) rw[kind] = await rewriteAndLoad(kind);
  console.log(`\n| ${KEYS} keys | ${KINDS.join(' | ')} |`);
  console.log(`|---|${KINDS.map(() => '---:').join('|')}|`);
  const row = (label, f) => console.log(`| ${label} | ${KINDS.map((k) => f(rw[k])).join(' | ')} |`);
  row('BGREWRITEAOF (ms, until aof_rewrite_in_progress:0)', (m) => ms(m.rewriteMs));
  row('longest PING, 1 ms probe, during the rewrite (ms)', (m) => `${m.stall.max.toFixed(1)} (${m.stall.count} pings)`);
  row('longest PING, 1 ms probe, idle for 1 s (ms)', (m) => m.idle.max.toFixed(1));
  row('start, RDB-preamble base: spawn to PONG (ms)', (m) => ms(m.fromBase.ms));
  row('start, RDB-preamble base: logged load (ms)', (m) => ms(m.fromBase.loggedMs));
  row(`start, ${KEYS} SETs in incr: spawn to PONG (ms)`, (m) => ms(m.fromIncr.ms));
  row(`start, ${KEYS} SETs in incr: logged load (ms)`, (m) => ms(m.fromIncr.loggedMs));
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
