// Differential testing: the same command script against redis-ts and Debian's
// redis-server, comparing raw reply bytes.

import { RawClient } from './raw-client.js';
import type { ServerProcess } from './server.js';

export type Script = (string | Buffer)[][];

export interface DiffPair {
  ours: ServerProcess;
  real: ServerProcess;
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
