// Differential: the whole command table (server.c's commandTable as COMMAND reports
// it) against redis-server 7.0: arity, flags, legacy key range and key specs of every
// command and subcommand redis-ts has, and COMMAND GETKEYS on representative command
// lines (key positions decide what a running snapshot copies first). Commands only
// real Redis has are printed in a summary, not failed.
import { afterAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { skipWithoutRealRedis, startServer } from '../helpers/server.js';

const skip = skipWithoutRealRedis();

/** One COMMAND INFO entry, reduced to what is compared. */
interface Info {
  name: string;
  arity: number;
  /** Sorted. */
  flags: string[];
  keyRange: [number, number, number];
  /** begin_search / find_keys of each key spec, in order, as readable text. */
  keySpecPositions: string[];
  /** Flags of each key spec, in order (each sorted). */
  keySpecFlags: string[];
}

type Reply = string | number | null | Reply[];

/** A RESP2 map (a flat array of pairs) as an object. */
function pairs(a: Reply): Record<string, Reply> {
  if (!Array.isArray(a)) throw new Error(`expected a flat map, got ${JSON.stringify(a)}`);
  const m: Record<string, Reply> = {};
  for (let i = 0; i + 1 < a.length; i += 2) m[String(a[i])] = a[i + 1];
  return m;
}

/** "index(index=1)", "keynum(keynumidx=0,firstkey=1,keystep=1)", "unknown()" ... */
function searchText(part: Reply): string {
  const m = pairs(part);
  const spec = pairs(m.spec ?? []);
  return `${String(m.type)}(${Object.entries(spec)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',')})`;
}

function parseInfo(entry: Reply, into: Map<string, Info>): void {
  if (!Array.isArray(entry)) throw new Error(`bad COMMAND entry ${JSON.stringify(entry)}`);
  const [name, arity, flags, first, last, step, , , specs, subs] = entry;
  const specList = Array.isArray(specs) ? specs : [];
  const subList = Array.isArray(subs) ? subs : [];
  const info: Info = {
    name: String(name),
    arity: Number(arity),
    flags: (Array.isArray(flags) ? flags.map(String) : []).sort(),
    keyRange: [Number(first), Number(last), Number(step)],
    keySpecPositions: specList.map((s) => {
      const m = pairs(s);
      return `begin_search=${searchText(m.begin_search)} find_keys=${searchText(m.find_keys)}`;
    }),
    keySpecFlags: specList.map((s) => {
      const f = pairs(s).flags;
      return `[${(Array.isArray(f) ? f.map(String) : []).sort().join(',')}]`;
    }),
  };
  into.set(info.name, info);
  for (const s of subList) parseInfo(s, into);
}

/** Command lines for COMMAND GETKEYS; both servers must give the same keys (or error). */
const GETKEYS_LINES: readonly string[] = [
  'SET k v',
  'SET k v GET',
  'GET k',
  'GETEX k',
  'GETEX k PERSIST',
  'GETDEL k',
  'MSET a 1 b 2',
  'MSETNX a 1 b 2',
  'MGET a b c',
  'DEL a b c',
  'UNLINK a b',
  'EXISTS a b',
  'TOUCH a b',
  'TYPE k',
  'EXPIRE k 10',
  'RENAME a b',
  'RENAMENX a b',
  'COPY a b',
  'COPY a b DB 1 REPLACE',
  'MOVE a 1',
  'DUMP k',
  'RESTORE k 0 x',
  'OBJECT ENCODING k',
  'OBJECT FREQ k',
  'WATCH a b',
  'SETRANGE k 0 v',
  'INCRBYFLOAT k 1.5',
  'LCS a b',
  'SMOVE a b m',
  'SINTER a b',
  'SINTERCARD 2 a b',
  'SINTERSTORE d a b',
  'SUNIONSTORE d a b c',
  'SDIFFSTORE d a',
  'LMOVE a b LEFT RIGHT',
  'BLMOVE a b LEFT RIGHT 0',
  'RPOPLPUSH a b',
  'BRPOPLPUSH a b 0',
  'BLPOP a b 0',
  'BRPOP a b 0',
  'LMPOP 2 a b LEFT',
  'LMPOP 1 a RIGHT COUNT 2',
  'BLMPOP 0 2 a b LEFT',
  'LPOS l x',
  'HSET h f v',
  'HGETALL h',
  'ZMPOP 2 a b MIN',
  'BZMPOP 0 2 a b MAX COUNT 3',
  'BZPOPMIN a b 0',
  'ZUNIONSTORE d 2 a b WEIGHTS 1 2',
  'ZINTERSTORE d 2 a b AGGREGATE MAX',
  'ZDIFFSTORE d 2 a b',
  'ZUNION 2 a b',
  'ZINTER 3 a b c WITHSCORES',
  'ZDIFF 2 a b',
  'ZINTERCARD 2 a b',
  'ZINTERCARD 2 a b LIMIT 1',
  'ZRANGESTORE d s 0 -1',
  'BITOP AND d a b',
  'BITOP NOT d a',
  'BITCOUNT k',
  'BITFIELD k GET u8 0',
  'BITFIELD_RO k GET u8 0',
  'PFMERGE d a b',
  'PFCOUNT a b',
  'XADD s * f v',
  'XREAD COUNT 1 STREAMS s1 s2 0 0',
  'XREAD BLOCK 0 STREAMS s 0',
  'XREADGROUP GROUP g c STREAMS s 0',
  'XREADGROUP GROUP g c COUNT 1 NOACK STREAMS s1 s2 > >',
  'XINFO STREAM s',
  'XGROUP CREATE s g $',
  'XGROUP CREATECONSUMER s g c',
  'XCLAIM s g c 0 1-1',
  'SORT k',
  'SORT k BY x STORE d',
  'SORT k BY x GET # GET h_*->f STORE d LIMIT 0 1',
  'SORT k STORE',
  'SORT_RO k BY x',
  'GEORADIUS k 0 0 1 km STORE d',
  'GEORADIUS k 0 0 1 km STOREDIST d',
  'GEORADIUS_RO k 0 0 1 km',
  'GEORADIUSBYMEMBER k m 1 km STORE d',
  'GEOSEARCH s FROMMEMBER m BYRADIUS 1 km',
  'GEOSEARCHSTORE d s FROMMEMBER m BYRADIUS 1 km',
  'MEMORY USAGE k',
  'EVAL x 2 a b',
  'EVAL x 0',
  'MIGRATE h 1 k 0 10',
  'SPUBLISH ch m',
  // Lines without keys, or that are malformed: the error must match too.
  'PUBLISH ch m',
  'ECHO x',
  'SET k',
  'ZUNIONSTORE d 5 a b',
  'ZUNION 0 a',
  'LMPOP 0 a LEFT',
  'XREAD STREAMS s',
  'XREAD STREAMS s1 s2 0',
];

interface Collected {
  ours: Map<string, Info>;
  real: Map<string, Info>;
  /** COMMAND GETKEYS answers: the keys, or "error: <message>". */
  getkeys: { line: string; ours: string[] | string; real: string[] | string }[];
}

async function getKeys(c: Redis, line: string): Promise<string[] | string> {
  try {
    const r = (await c.call('COMMAND', 'GETKEYS', ...line.split(' '))) as Reply;
    return Array.isArray(r) ? r.map(String) : `unexpected reply ${JSON.stringify(r)}`;
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

/**
 * Starts both servers, reads COMMAND and every GETKEYS answer, and stops them. Done
 * at collection time so that each command can be its own test.
 */
async function collect(): Promise<Collected> {
  const [ours, real] = await Promise.all([startServer(), startServer({ real: true })]);
  try {
    const oc = ours.client({ commandTimeout: 15000 });
    const rc = real.client({ commandTimeout: 15000 });
    const data: Collected = { ours: new Map(), real: new Map(), getkeys: [] };
    for (const e of (await oc.call('COMMAND')) as Reply[]) parseInfo(e, data.ours);
    for (const e of (await rc.call('COMMAND')) as Reply[]) parseInfo(e, data.real);
    for (const line of GETKEYS_LINES) {
      data.getkeys.push({ line, ours: await getKeys(oc, line), real: await getKeys(rc, line) });
    }
    return data;
  } finally {
    await Promise.all([ours.stop(), real.stop()]);
  }
}

const data: Collected | null = skip === null ? await collect() : null;
const ours = data?.ours ?? new Map<string, Info>();
const real = data?.real ?? new Map<string, Info>();

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const common = [...ours.keys()].filter((n) => real.has(n)).sort(byName);
const onlyOurs = [...ours.keys()].filter((n) => !real.has(n)).sort(byName);
const onlyReal = [...real.keys()].filter((n) => !ours.has(n)).sort(byName);
/** Top-level name of a command line's command, lowercase. */
const lineCommand = (line: string) => line.split(' ')[0].toLowerCase();
/** GETKEYS lines whose command redis-ts lacks go to the summary, not to a test. */
const getkeysTested = (data?.getkeys ?? []).filter((g) => ours.has(lineCommand(g.line)) || !real.has(lineCommand(g.line)));
const getkeysUntested = (data?.getkeys ?? []).filter((g) => !ours.has(lineCommand(g.line)) && real.has(lineCommand(g.line)));

/**
 * Commands redis-ts has on purpose although redis-server 7.0 lacks them: CLIENT SETINFO
 * (Redis 7.2) because node-redis sends it on connect.
 */
const NEWER_THAN_7_0: readonly string[] = ['client|setinfo'];

/**
 * Flags that only a handful of commands carry: compared in one test of their own
 * (which commands have them), so a missing flag fails once, not on every command.
 */
const SYSTEMATIC_FLAGS: readonly string[] = ['no_async_loading'];
const otherFlags = (flags: string[]) => flags.filter((f) => !SYSTEMATIC_FLAGS.includes(f));

/** Field-by-field differences of one command, "field: redis-ts X, real Y". */
function differences(a: Info, b: Info): string[] {
  const out: string[] = [];
  const show = (v: unknown) => JSON.stringify(v);
  if (a.arity !== b.arity) out.push(`arity: redis-ts ${a.arity}, real ${b.arity}`);
  if (show(otherFlags(a.flags)) !== show(otherFlags(b.flags))) {
    out.push(`flags: redis-ts ${show(a.flags)}, real ${show(b.flags)}`);
  }
  if (show(a.keyRange) !== show(b.keyRange)) out.push(`first/last/step: redis-ts ${show(a.keyRange)}, real ${show(b.keyRange)}`);
  if (show(a.keySpecPositions) !== show(b.keySpecPositions)) {
    out.push(`key specs: redis-ts ${show(a.keySpecPositions)}, real ${show(b.keySpecPositions)}`);
  }
  // Subcommands only one side has: the summary (real only) and the onlyOurs test.
  return out;
}

describe.skipIf(skip !== null)(`command table vs redis-server COMMAND${skip ? ` (skipped: ${skip})` : ''}`, () => {
  afterAll(() => {
    if (data === null) return;
    const missingTop = onlyReal.filter((n) => !n.includes('|'));
    const missingSub = onlyReal.filter((n) => n.includes('|') && ours.has(n.split('|')[0]));
    const lines = [
      `command-table summary: redis-ts ${ours.size} commands+subcommands, redis-server ${real.size}, ${common.length} compared`,
      `  commands redis-server 7.0 has that redis-ts lacks (${missingTop.length}): ${missingTop.join(' ')}`,
      `  subcommands missing from containers redis-ts has (${missingSub.length}): ${missingSub.join(' ')}`,
      `  GETKEYS lines not compared because redis-ts lacks the command (${getkeysUntested.length}):`,
      ...getkeysUntested.map((g) => `    ${g.line}  -> real ${JSON.stringify(g.real)}`),
    ];
    console.log(lines.join('\n'));
  });

  it('both tables were read', () => {
    expect(ours.size).toBeGreaterThan(100);
    expect(real.size).toBeGreaterThan(200);
    expect(getkeysTested.length).toBeGreaterThan(50);
  });

  it('redis-ts has no command or subcommand that redis-server 7.0 lacks', () => {
    expect(onlyOurs.filter((n) => !NEWER_THAN_7_0.includes(n))).toEqual([]);
  });

  it.each(common)('COMMAND INFO %s: arity, flags, first/last/step, key specs', (name) => {
    expect(differences(ours.get(name)!, real.get(name)!)).toEqual([]);
  });

  // Systematic: redis-ts derives key-spec flags from the command's write/readonly
  // flag (RW+update or RO+access) where Redis declares OW/RM, insert/delete, plain RO.
  it('key spec flags (RO/RW/OW/RM, access/update/insert/delete) of every command', () => {
    const out: string[] = [];
    for (const name of common) {
      const a = ours.get(name)!.keySpecFlags;
      const b = real.get(name)!.keySpecFlags;
      if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${name}: redis-ts ${a.join(' ')}, real ${b.join(' ')}`);
    }
    expect(out).toEqual([]);
  });

  it.each(SYSTEMATIC_FLAGS)('flag %s on exactly the commands redis-server 7.0 gives it', (flag) => {
    const withFlag = (m: Map<string, Info>) => common.filter((n) => m.get(n)!.flags.includes(flag));
    expect(withFlag(ours)).toEqual(withFlag(real));
  });

  it.each(getkeysTested.map((g) => [g.line, g] as const))('COMMAND GETKEYS %s', (_line, g) => {
    expect(g.ours).toEqual(g.real);
  });
});
