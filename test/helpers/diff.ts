// Differential testing: the same command script against redis-ts and Debian's
// redis-server, comparing raw reply bytes; and the describe block that runs the pair.

import { afterAll, beforeAll, describe, expect } from 'vitest';
import { RawClient } from './raw-client.js';
import { skipWithoutRealRedis, startServer, type ServerProcess } from './server.js';

export type Script = (string | Buffer)[][];

export interface DiffPair {
  ours: ServerProcess;
  real: ServerProcess;
}

export interface DiffPairOptions {
  /** Extra command-line arguments, the same for redis-ts and redis-server. */
  args?: string[];
}

/**
 * A describe block that needs Debian's redis-server: where it is missing the block is
 * skipped and the reason shows in its title ("<title> (skipped: <reason>)").
 */
export function describeWithRealRedis(title: string, body: () => void): void {
  const skip = skipWithoutRealRedis();
  describe.skipIf(skip !== null)(`${title}${skip ? ` (skipped: ${skip})` : ''}`, body);
}

/**
 * Starts redis-ts and redis-server (same extra args) before the tests of the enclosing
 * describe block and stops both after them. The pair is live from the block's first
 * beforeAll on: read pair.ours / pair.real inside hooks and tests, not in the body.
 */
export function useDiffPair(opts: DiffPairOptions = {}): DiffPair {
  let running: DiffPair | null = null;
  beforeAll(async () => {
    const started = await Promise.allSettled([startServer({ args: opts.args }), startServer({ real: true, args: opts.args })]);
    const [ours, real] = started;
    if (ours.status === 'fulfilled' && real.status === 'fulfilled') {
      running = { ours: ours.value, real: real.value };
      return;
    }
    // One did not start: stop the other rather than leave it running, then fail the block.
    await Promise.all(started.map((r) => (r.status === 'fulfilled' ? r.value.stop() : null)));
    for (const r of started) if (r.status === 'rejected') throw r.reason;
  });
  afterAll(async () => {
    const p = running;
    running = null;
    if (p !== null) await Promise.all([p.ours.stop(), p.real.stop()]);
  });
  const get = (): DiffPair => {
    if (running === null) throw new Error('the differential servers are not running (use the pair inside hooks and tests)');
    return running;
  };
  return {
    get ours() {
      return get().ours;
    },
    get real() {
      return get().real;
    },
  };
}

/**
 * describeWithRealRedis + useDiffPair: `body` gets the pair, started before its tests
 * and stopped after them. Options (extra server args) go between title and body.
 */
export function describeDifferential(title: string, body: (pair: DiffPair) => void): void;
export function describeDifferential(title: string, opts: DiffPairOptions, body: (pair: DiffPair) => void): void;
export function describeDifferential(title: string, a: DiffPairOptions | ((pair: DiffPair) => void), b?: (pair: DiffPair) => void): void {
  const [opts, body] = typeof a === 'function' ? [{}, a] : [a, b!];
  describeWithRealRedis(title, () => body(useDiffPair(opts)));
}

/** Runs the script in RESP2 and in RESP3 and expects identical replies both times. */
export async function expectSame(pair: DiffPair, script: Script): Promise<void> {
  for (const resp3 of [false, true]) {
    const r = await diffScript(pair, script, { resp3 });
    expect(r.ours, resp3 ? 'RESP3' : 'RESP2').toEqual(r.real);
  }
}

/** Runs a script on one server (fresh connection, FLUSHALL first) and returns raw replies. */
export async function runScript(port: number, script: Script, opts: { resp3?: boolean; reloadCheck?: boolean } = {}): Promise<string[]> {
  const c = await RawClient.connect(port);
  try {
    await c.call('FLUSHALL');
    if (opts.resp3) await c.call('HELLO', '3');
    const replies: string[] = [];
    for (const argv of script) replies.push(await c.call(...argv));
    if (opts.reloadCheck) await checkReloadRoundTrip(c);
    return replies;
  } finally {
    c.close();
  }
}

/**
 * Saves and reloads the dataset twice (DEBUG RELOAD) and requires the same DEBUG DIGEST
 * after both: the first reload drops keys whose time passed, the second proves the RDB
 * codec round-trips whatever the script left. Skipped where DEBUG is not allowed.
 */
async function checkReloadRoundTrip(c: RawClient): Promise<void> {
  await c.call('SELECT', '0');
  const first = await c.call('DEBUG', 'RELOAD');
  if (first.startsWith('-ERR DEBUG command not allowed')) return;
  if (first !== '+OK\r\n') throw new Error(`DEBUG RELOAD failed: ${first}`);
  const before = await c.call('DEBUG', 'DIGEST');
  const again = await c.call('DEBUG', 'RELOAD');
  if (again !== '+OK\r\n') throw new Error(`DEBUG RELOAD failed: ${again}`);
  const after = await c.call('DEBUG', 'DIGEST');
  if (before !== after) throw new Error(`the dataset changed across SAVE and load: digest ${before.trim()} became ${after.trim()}`);
}

/** Both servers' replies to a script, paired with the commands, for expect(...).toEqual. */
export async function diffScript(pair: DiffPair, script: Script, opts: { resp3?: boolean } = {}): Promise<{ ours: string[]; real: string[] }> {
  const label = (argv: (string | Buffer)[], r: string) => `${argv.map((a) => a.toString()).join(' ').slice(0, 200)} => ${r}`;
  const ours = await runScript(pair.ours.port, script, { ...opts, reloadCheck: true });
  const real = await runScript(pair.real.port, script, opts);
  return { ours: ours.map((r, i) => label(script[i], r)), real: real.map((r, i) => label(script[i], r)) };
}

/** Parses "SET k v" style lines into a script; arguments may be "quoted" with C escapes. */
export function lines(text: string): Script {
  const out: Script = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    out.push(splitQuoted(line));
  }
  return out;
}

function splitQuoted(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ') i++;
    if (i >= line.length) break;
    let cur = '';
    if (line[i] === '"') {
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\') {
          const n = line[i + 1];
          if (n === 'x') {
            cur += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
            i += 4;
            continue;
          }
          cur += n === 'n' ? '\n' : n === 'r' ? '\r' : n === 't' ? '\t' : n;
          i += 2;
          continue;
        }
        cur += line[i++];
      }
      i++;
    } else {
      while (i < line.length && line[i] !== ' ') cur += line[i++];
    }
    out.push(cur);
  }
  return out;
}
