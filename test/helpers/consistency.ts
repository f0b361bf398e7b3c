// Replication consistency under faults: builds a master with replicas (redis-ts or
// Debian's redis-server in any position, optionally chained), runs the seeded
// random workload while injecting faults (link cuts from either side, SIGSTOP,
// restarts, backlog overflow), then checks that equal offsets mean equal DEBUG
// DIGEST, printing a per-key diff when they do not.

import type { Redis } from 'ioredis';
import { startServer, type ServerProcess } from './server.js';
import { replInfo, statsInfo, waitFor } from './replication.js';
import { Rng, runWorkload, type WorkloadStats } from './workload.js';

export type Kind = 'ts' | 'real';

export interface Node {
  name: string;
  kind: Kind;
  port: number;
  /** Index of the node it replicates from, or -1 for the root master. */
  upstream: number;
  proc: ServerProcess;
  admin: Redis;
  args: string[];
}

export interface FaultCounts {
  masterLinkKills: number;
  replicaKills: number;
  pauses: number;
  restarts: number;
  backlogOverflows: number;
}

export interface RunReport {
  seed: number;
  rounds: number;
  load: WorkloadStats;
  faults: FaultCounts;
  partialResyncs: number;
  fullResyncs: number;
  /** Rounds whose check found equal offsets but different digests. */
  divergences: number;
  firstDivergence: string | null;
}

/** The databases the workload writes (several, none of them 0). */
export const WORKLOAD_DBS = [9, 11, 12] as const;

function nodeArgs(seed: Rng): string[] {
  return [
    '--enable-debug-command', 'yes',
    '--repl-diskless-sync', seed.chance(0.5) ? 'yes' : 'no',
    '--repl-diskless-load', seed.pick(['disabled', 'swapdb', 'on-empty-db']),
    '--repl-diskless-sync-delay', '0',
    '--repl-backlog-size', '1mb',
    '--repl-ping-replica-period', '1',
  ];
}

export class Topology {
  readonly nodes: Node[] = [];
  /** Stats of nodes as they were before a restart reset them. */
  private retiredStats = { partial: 0, full: 0 };

  private constructor(private readonly rng: Rng) {}

  /** kinds[0] is the root master; each next node replicates from the previous one when `chain`, else from the root. */
  static async build(kinds: Kind[], chain: boolean, rng: Rng): Promise<Topology> {
    const t = new Topology(rng);
    try {
      for (let i = 0; i < kinds.length; i++) {
        const upstream = i === 0 ? -1 : chain ? i - 1 : 0;
        const args = nodeArgs(rng);
        if (upstream >= 0) args.push('--replicaof', '127.0.0.1', String(t.nodes[upstream].port));
        const proc = await startServer({ real: kinds[i] === 'real', args });
        t.nodes.push({ name: `${kinds[i]}#${i}`, kind: kinds[i], port: proc.port, upstream, proc, admin: proc.client(), args });
      }
      await t.waitLinksUp(30000);
    } catch (e) {
      await t.stop();
      throw e;
    }
    return t;
  }

  get root(): Node {
    return this.nodes[0];
  }

  replicas(): Node[] {
    return this.nodes.slice(1);
  }

  async waitLinksUp(timeoutMs: number): Promise<void> {
    for (const n of this.replicas()) {
      await waitFor(`${n.name} link up`, async () => (await replInfo(n.admin)).master_link_status === 'up', timeoutMs);
    }
  }

  /** SIGKILL and start again on the same port and arguments (no RDB: save is off). */
  async restart(n: Node): Promise<void> {
    if (this.nodes.some((m) => m.upstream === this.nodes.indexOf(n))) await this.retireStats(n);
    n.admin.disconnect();
    process.kill(n.proc.pid, 'SIGKILL');
    await n.proc.exited;
    n.proc = await startServer({ real: n.kind === 'real', args: n.args, port: n.port });
    n.admin = n.proc.client();
  }

  private async retireStats(n: Node): Promise<void> {
    const s = await statsInfo(n.admin);
    this.retiredStats.partial += Number(s.sync_partial_ok ?? 0);
    this.retiredStats.full += Number(s.sync_full ?? 0);
  }

  async resyncCounts(): Promise<{ partial: number; full: number }> {
    let partial = this.retiredStats.partial;
    let full = this.retiredStats.full;
    for (const n of this.nodes) {
      const s = await statsInfo(n.admin);
      partial += Number(s.sync_partial_ok ?? 0);
      full += Number(s.sync_full ?? 0);
    }
    return { partial, full };
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.proc.stop()));
  }

  /** One random fault against a random replica; resolves once it has been applied. */
  async injectFault(counts: FaultCounts): Promise<void> {
    const rng = this.rng;
    const n = rng.pick(this.replicas());
    const up = this.nodes[n.upstream];
    const r = rng.int(100);
    if (r < 35) {
      counts.masterLinkKills++;
      await n.admin.call('CLIENT', 'KILL', 'TYPE', 'master');
    } else if (r < 65) {
      counts.replicaKills++;
      await up.admin.call('CLIENT', 'KILL', 'TYPE', 'replica');
    } else if (r < 82) {
      counts.pauses++;
      process.kill(n.proc.pid, 'SIGSTOP');
      await sleep(100 + rng.int(1200));
      process.kill(n.proc.pid, 'SIGCONT');
    } else if (r < 92) {
      counts.backlogOverflows++;
      await this.overflowBacklog(n, up);
    } else {
      counts.restarts++;
      await this.restart(n);
    }
  }

  /**
   * Forces a full sync: the replica is stopped and cut off, the upstream's backlog
   * shrunk and overrun with a burst of writes, then the replica resumes and finds its
   * offset gone.
   */
  private async overflowBacklog(n: Node, up: Node): Promise<void> {
    process.kill(n.proc.pid, 'SIGSTOP');
    try {
      await up.admin.call('CONFIG', 'SET', 'repl-backlog-size', '16384');
      await up.admin.call('CLIENT', 'KILL', 'TYPE', 'replica');
      const big = 'b'.repeat(8192);
      const p = this.root.admin.pipeline();
      p.select(5);
      for (let i = 0; i < 40; i++) p.set(`burst:${i % 7}`, big);
      await p.exec();
    } finally {
      process.kill(n.proc.pid, 'SIGCONT');
    }
    await waitFor(`${n.name} link up after overflow`, async () => (await replInfo(n.admin)).master_link_status === 'up', 30000);
    await up.admin.call('CONFIG', 'SET', 'repl-backlog-size', '1mb');
  }

  /**
   * Waits for every node to reach the root's offset, then compares digests. When they
   * differ, offsets are read again, so a change in between (an expiry, a PING) just
   * retries. Returns null when equal, or a per-key diff when equal, unmoved offsets
   * hold different data three times in a row.
   */
  async checkConsistent(timeoutMs = 60000): Promise<string | null> {
    const deadline = Date.now() + timeoutMs;
    let mismatches = 0;
    let last = '';
    while (Date.now() < deadline) {
      const before = await this.offsets();
      if (before === null) {
        await sleep(50);
        continue;
      }
      const digests = await Promise.all(this.nodes.map((n) => n.admin.call('DEBUG', 'DIGEST') as Promise<string>));
      // Equal digests settle it; different ones count only if no offset moved meanwhile
      // (an expiry or a PING between the reads), which large datasets make likely.
      if (digests.every((d) => d === digests[0])) return null;
      const after = await this.offsets();
      if (after !== before) continue;
      last = digests.map((d, i) => `${this.nodes[i].name}=${d}`).join(' ');
      if (++mismatches >= 3) return `offsets equal (${before}) but digests differ: ${last}\n${await this.keyDiff()}\n${this.logTails()}`;
      await sleep(200);
    }
    return `no agreement on offsets within ${timeoutMs} ms: ${await this.offsetReport()}${last !== '' ? `\nlast digests: ${last}` : ''}`;
  }

  /** The last log lines of every node, for a failure report. */
  logTails(lines = 40): string {
    return this.nodes.map((n) => `--- ${n.name} log:\n${n.proc.output().split('\n').slice(-lines).join('\n')}`).join('\n');
  }

  /** The common offset when every link is up and every node is at the same offset, else null. */
  private async offsets(): Promise<string | null> {
    const infos = await Promise.all(this.nodes.map((n) => replInfo(n.admin)));
    const off = infos[0].master_repl_offset;
    for (let i = 1; i < infos.length; i++) {
      if (infos[i].master_link_status !== 'up' || infos[i].master_repl_offset !== off) return null;
    }
    return off;
  }

  private async offsetReport(): Promise<string> {
    const infos = await Promise.all(this.nodes.map((n) => replInfo(n.admin)));
    return infos.map((r, i) => `${this.nodes[i].name}: offset=${r.master_repl_offset} link=${r.master_link_status ?? '-'}`).join(', ');
  }

  /** Keys whose DEBUG DIGEST-VALUE differs between the root and any replica, with both values. */
  async keyDiff(limit = 20): Promise<string> {
    const lines: string[] = [];
    for (let db = 0; db < 16 && lines.length < limit; db++) {
      const perNode = await Promise.all(this.nodes.map((n) => keyDigests(n.admin, db)));
      const all = new Set<string>();
      for (const m of perNode) for (const k of m.keys()) all.add(k);
      for (const k of [...all].sort()) {
        const ds = perNode.map((m) => m.get(k) ?? '(missing)');
        if (ds.every((d) => d === ds[0])) continue;
        const shown = await Promise.all(this.nodes.map((n) => describeKey(n.admin, db, k)));
        lines.push(`db${db} ${JSON.stringify(k)}: ${shown.map((s, i) => `${this.nodes[i].name}=${s}`).join(' | ')}`);
        if (lines.length >= limit) break;
      }
    }
    return lines.length === 0 ? '(no key differs: the difference is in expiry times or in keys hidden from SCAN)' : lines.join('\n');
  }
}

async function keyDigests(r: Redis, db: number): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await r.select(db);
  let cursor = '0';
  do {
    const [next, keys] = (await r.call('SCAN', cursor, 'COUNT', '1000')) as [string, string[]];
    cursor = next;
    if (keys.length > 0) {
      const ds = (await r.call('DEBUG', 'DIGEST-VALUE', ...keys)) as string[];
      const p = r.pipeline();
      for (const k of keys) p.call('PEXPIRETIME', k);
      const ttls = (await p.exec()) ?? [];
      keys.forEach((k, i) => out.set(k, `${ds[i]}/${String(ttls[i]?.[1])}`));
    }
  } while (cursor !== '0');
  await r.select(0);
  return out;
}

async function describeKey(r: Redis, db: number, k: string): Promise<string> {
  await r.select(db);
  try {
    const type = (await r.type(k)) as string;
    let v: unknown;
    if (type === 'string') v = (await r.getBuffer(k))?.toString('hex');
    else if (type === 'list') v = await r.lrange(k, 0, -1);
    else if (type === 'set') v = (await r.smembers(k)).sort();
    else if (type === 'zset') v = await r.call('ZRANGE', k, '0', '-1', 'WITHSCORES');
    else if (type === 'hash') v = await r.hgetall(k);
    else if (type === 'stream') v = await r.xrange(k, '-', '+');
    const at = (await r.call('PEXPIRETIME', k)) as number;
    return `${type}${at >= 0 ? `(expires at ${at})` : ''} ${JSON.stringify(v)?.slice(0, 300)}`;
  } finally {
    await r.select(0);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Rounds of load with faults, each followed by a consistency check, until `durationMs`
 * has passed (at least `minRounds`). Stops at the first divergence.
 */
export async function runConsistency(
  kinds: Kind[],
  opts: { chain: boolean; seed: number; durationMs: number; roundMs: number; faultEveryMs: number; minRounds?: number; log?: (s: string) => void },
): Promise<RunReport> {
  const rng = new Rng(opts.seed);
  const topo = await Topology.build(kinds, opts.chain, rng);
  const report: RunReport = {
    seed: opts.seed,
    rounds: 0,
    load: { commands: 0, transactions: 0, blockingServed: 0, errors: 0 },
    faults: { masterLinkKills: 0, replicaKills: 0, pauses: 0, restarts: 0, backlogOverflows: 0 },
    partialResyncs: 0,
    fullResyncs: 0,
    divergences: 0,
    firstDivergence: null,
  };
  const root = topo.root.proc;
  const conns = {
    perDb: WORKLOAD_DBS.map((db) => ({ db, client: root.client() })),
    multi: root.client(),
    blocking: WORKLOAD_DBS.slice(0, 2).map((db) => ({ db, client: root.client() })),
  };
  const started = Date.now();
  try {
    while (report.rounds < (opts.minRounds ?? 1) || Date.now() - started < opts.durationMs) {
      report.rounds++;
      const roundEnd = Date.now() + opts.roundMs;
      const until = () => Date.now() >= roundEnd;
      const load = runWorkload(conns, WORKLOAD_DBS, rng.int(2 ** 31), until);
      while (!until()) {
        const wait = opts.faultEveryMs / 2 + rng.int(opts.faultEveryMs);
        await sleep(Math.max(0, Math.min(wait, roundEnd - Date.now())));
        if (!until()) await topo.injectFault(report.faults);
      }
      const s = await load;
      report.load.commands += s.commands;
      report.load.transactions += s.transactions;
      report.load.blockingServed += s.blockingServed;
      report.load.errors += s.errors;
      await topo.waitLinksUp(30000);
      const diff = await topo.checkConsistent();
      if (diff !== null) {
        report.divergences++;
        report.firstDivergence = `round ${report.rounds} (seed ${opts.seed}): ${diff}`;
        break;
      }
      opts.log?.(`round ${report.rounds}: consistent after ${report.load.commands} commands`);
    }
    const counts = await topo.resyncCounts();
    report.partialResyncs = counts.partial;
    report.fullResyncs = counts.full;
  } finally {
    for (const c of [...conns.perDb, ...conns.blocking]) c.client.disconnect();
    conns.multi.disconnect();
    await topo.stop();
  }
  return report;
}
