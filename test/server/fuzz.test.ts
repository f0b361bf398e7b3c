// Protocol fuzzing, in npm test: seeded inputs (valid commands, blocking ones among
// them, and mutated RESP) over many connections, against redis-ts and — the same
// inputs — against Debian's redis-server, which checks the test itself. After every
// batch the server must answer PING promptly and the canary keys must be intact.
// FUZZ_N=<inputs> runs longer locally (FUZZ_CONNS=<n> connections per batch); SEED=<n> replays.
import { afterEach, describe, expect, it } from 'vitest';
import { skipWithoutRealRedis, startServer, type ServerProcess } from '../helpers/server.js';
import { runFuzz } from '../helpers/protocol-fuzz.js';

const N = Number(process.env.FUZZ_N ?? 4000);
const SEED = Number(process.env.SEED ?? Math.floor(Math.random() * 2 ** 31));
/** Connections per batch (FUZZ_CONNS): more make long runs faster. */
const CONNS = Number(process.env.FUZZ_CONNS ?? 50);
const skipReal = skipWithoutRealRedis();

const started: ServerProcess[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

async function fuzz(real: boolean): Promise<void> {
  const srv = await startServer({ real, args: ['--proto-max-bulk-len', '1mb', '--client-query-buffer-limit', '4mb'] });
  started.push(srv);
  const admin = srv.client();
  const canaries = Array.from({ length: 50 }, (_, i) => [`canary:${i}`, `value-${i}-${SEED}`]);
  await admin.mset(...canaries.flat());
  let exited = false;
  void srv.exited.then(() => (exited = true));
  const report = await runFuzz(srv.port, {
    seed: SEED,
    n: N,
    connections: CONNS,
    lingerMs: 60,
    alive: () => !exited,
    canariesIntact: async () => {
      const got = await admin.mget(...canaries.map(([k]) => k));
      return got.every((v, i) => v === canaries[i][1]);
    },
  });
  console.log(`${real ? 'redis-server' : 'redis-ts'} seed ${SEED}: ${JSON.stringify(report)}`);
  expect(report.crashes, srv.output().slice(-3000)).toBe(0);
  expect(report.hangs).toBe(0);
  expect(report.canaryLosses).toBe(0);
  expect(report.inputs).toBe(N);
}

describe('protocol fuzzing', () => {
  const limit = Math.max(300_000, N * 5);
  it('redis-ts survives every input and keeps serving', () => fuzz(false), limit);
  it.skipIf(skipReal !== null)(`redis-server survives the same inputs${skipReal !== null ? ` (skipped: ${skipReal})` : ''}`, () => fuzz(true), limit);
});
