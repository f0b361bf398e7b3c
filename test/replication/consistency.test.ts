// Replication consistency under faults, for every pairing with Debian's redis-server:
// a seeded random workload over every type and several databases, link cuts from
// both sides, SIGSTOP, restarts and backlog overflows; equal offsets must mean equal
// DEBUG DIGEST. SOAK_S=<seconds> runs each pairing that long (local soak); SEED=<n>
// replays a run.
import { afterEach, describe, expect, it } from 'vitest';
import { skipWithoutRealRedis, startServer, type ServerProcess } from '../helpers/server.js';
import { waitInSync } from '../helpers/replication.js';
import { runConsistency, type Kind } from '../helpers/consistency.js';

const soakMs = Number(process.env.SOAK_S ?? 0) * 1000;
const baseSeed = Number(process.env.SEED ?? Math.floor(Math.random() * 2 ** 31));
const skipReal = skipWithoutRealRedis();

const PAIRINGS: { name: string; kinds: Kind[]; chain: boolean; real: boolean }[] = [
  { name: 'redis-ts -> redis-ts', kinds: ['ts', 'ts'], chain: false, real: false },
  { name: 'real -> redis-ts', kinds: ['real', 'ts'], chain: false, real: true },
  { name: 'redis-ts -> real', kinds: ['ts', 'real'], chain: false, real: true },
  { name: 'chain real -> redis-ts -> redis-ts', kinds: ['real', 'ts', 'ts'], chain: true, real: true },
];

const started: ServerProcess[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

async function dbSizes(p: ServerProcess): Promise<string> {
  const c = p.client();
  const out: string[] = [];
  for (const db of [0, 9]) {
    await c.select(db);
    out.push(`db${db}=${await c.dbsize()}`);
  }
  c.disconnect();
  return out.join(' ');
}

describe('the stream db after a sync', () => {
  it('a replica that full-syncs after writes to db 9 applies the next write in db 9 (forced SELECT)', async () => {
    const args = ['--repl-diskless-sync-delay', '0'];
    const master = await startServer({ args });
    started.push(master);
    const m = master.client();
    const r1 = await startServer({ args: [...args, '--replicaof', '127.0.0.1', String(master.port)] });
    started.push(r1);
    // The link must be up first, or the write travels in the snapshot, not the stream.
    await waitInSync(m, r1.client());
    await m.select(9);
    await m.set('a', '1');
    await waitInSync(m, r1.client());
    const r2 = await startServer({ args: [...args, '--replicaof', '127.0.0.1', String(master.port)] });
    started.push(r2);
    await waitInSync(m, r2.client());
    await m.set('b', '2');
    await waitInSync(m, r1.client());
    await waitInSync(m, r2.client());
    expect(await dbSizes(r1)).toBe('db0=0 db9=2');
    expect(await dbSizes(r2)).toBe('db0=0 db9=2');
  });

  it('a partial resync continues in the db the stream had selected', async () => {
    const master = await startServer({ args: ['--repl-diskless-sync-delay', '0'] });
    started.push(master);
    const m = master.client();
    const replica = await startServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    started.push(replica);
    const r = replica.client();
    await waitInSync(m, r);
    await m.select(9);
    await m.set('a', '1');
    await waitInSync(m, r);
    await r.call('CLIENT', 'KILL', 'TYPE', 'master');
    await m.set('b', '2');
    await waitInSync(m, r);
    expect(await dbSizes(replica)).toBe('db0=0 db9=2');
    expect(Number((await r.info('stats')).match(/sync_full:(\d+)/)?.[1])).toBe(0);
    expect(await m.info('stats')).toMatch(/sync_partial_ok:1\r\n/);
  });
});

describe('the stream db after a promotion (PSYNC2)', () => {
  it('a promoted replica starts its stream with SELECT, whatever db it last selected as a master', async () => {
    const args = ['--repl-diskless-sync-delay', '0'];
    // A masters B and C, and selects db 9 in its stream.
    const a = await startServer({ args });
    started.push(a);
    const ca = a.client();
    const b = await startServer({ args: [...args, '--replicaof', '127.0.0.1', String(a.port)] });
    const c = await startServer({ args: [...args, '--replicaof', '127.0.0.1', String(a.port)] });
    started.push(b, c);
    const cb = b.client();
    const cc = c.client();
    await waitInSync(ca, cb);
    await waitInSync(ca, cc);
    await ca.select(9);
    await ca.set('a9', '1');
    await waitInSync(ca, cb);
    await waitInSync(ca, cc);
    // Failover to B, whose stream is in db 3; A follows B partially, C stays below A.
    await cb.call('REPLICAOF', 'NO', 'ONE');
    await cb.select(3);
    await cb.set('b3', '1');
    await ca.call('REPLICAOF', '127.0.0.1', String(b.port));
    await waitInSync(cb, ca);
    await waitInSync(cb, cc);
    expect(await cb.info('stats')).toMatch(/sync_partial_ok:1\r\n/);
    // Back to A: its first write goes to db 9, and C (partially resynced) applies it there.
    await ca.call('REPLICAOF', 'NO', 'ONE');
    await waitInSync(ca, cc);
    await ca.set('after', '1');
    await waitInSync(ca, cc);
    // C resynced partially each time: only the two initial syncs were full.
    expect(await ca.info('stats')).toMatch(/sync_full:2\r\nsync_partial_ok:2\r\n/);
    await cc.select(9);
    expect(await cc.get('after')).toBe('1');
    await cc.select(3);
    expect(await cc.get('after')).toBeNull();
    expect(await cc.call('DEBUG', 'DIGEST')).toBe(await ca.call('DEBUG', 'DIGEST'));
  });
});

describe('replication consistency under faults', () => {
  PAIRINGS.forEach((p, i) => {
    const title = p.real && skipReal !== null ? `${p.name} (skipped: ${skipReal})` : p.name;
    it.skipIf(p.real && skipReal !== null)(
      title,
      async () => {
        const seed = baseSeed + i;
        const report = await runConsistency(p.kinds, {
          chain: p.chain,
          seed,
          durationMs: soakMs > 0 ? soakMs : 9000,
          roundMs: soakMs > 0 ? 10000 : 4500,
          faultEveryMs: 600,
          minRounds: 2,
          log: soakMs > 0 ? (s) => console.log(`[${p.name}] ${s}`) : undefined,
        });
        console.log(`[${p.name}] seed ${seed}: ${JSON.stringify({ ...report, firstDivergence: undefined })}`);
        expect(report.firstDivergence).toBeNull();
        // The run must have exercised what it claims to.
        expect(report.load.commands).toBeGreaterThan(1000);
        expect(report.partialResyncs + report.fullResyncs).toBeGreaterThan(0);
      },
      soakMs > 0 ? soakMs + 300_000 : 120_000,
    );
  });
});
