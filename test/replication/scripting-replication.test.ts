// Scripts and functions across replication and persistence, between redis-ts and
// Debian's redis-server 7.0 in both roles:
//  - a BullMQ-style job queue (ioredis defineCommand: EVALSHA after the first EVAL;
//    cmsgpack and cjson inside the scripts) on a redis-ts master with a real and a
//    redis-ts replica, and on a real master with a redis-ts replica: equal DEBUG DIGEST
//    once every offset matches;
//  - the replication stream carries a script's effects wrapped in MULTI/EXEC, and a
//    script that wrote nothing moves the offset no more than PINGs do;
//  - FUNCTION LOAD / FCALL / FUNCTION DELETE / FLUSH propagate to both kinds of replica;
//  - libraries in the RDB and in FUNCTION DUMP payloads, each way.
//
// Every wait is bounded; nothing relies on timing: offsets are compared by polling, and
// the offset arithmetic allows any number of PINGs (14 bytes each) in between.

import { afterEach, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { describeWithRealRedis } from '../helpers/diff.js';
import { startServer, type ServerProcess } from '../helpers/server.js';
import { replInfo, waitFor } from '../helpers/replication.js';
import { Rng } from '../helpers/workload.js';

const started: ServerProcess[] = [];
async function start(opts: Parameters<typeof startServer>[0] = {}): Promise<ServerProcess> {
  const s = await startServer({ ...opts, args: ['--enable-debug-command', 'yes', '--repl-diskless-sync-delay', '0', ...(opts.args ?? [])] });
  started.push(s);
  return s;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

// ---------------------------------------------------------------------------------
// The queue: scripts in the style of BullMQ's (keys from a prefix, job options packed
// with cmsgpack, data and return values as JSON).

const PREFIX = 'bull:q:';
const K = {
  id: `${PREFIX}id`,
  wait: `${PREFIX}wait`,
  active: `${PREFIX}active`,
  delayed: `${PREFIX}delayed`,
  completed: `${PREFIX}completed`,
  failed: `${PREFIX}failed`,
  metrics: `${PREFIX}metrics:completed`,
};

const QUEUE_SCRIPTS: Record<string, { numberOfKeys: number; lua: string }> = {
  // KEYS: id, wait, delayed. ARGV: opts json, prefix, timestamp, name.
  addJob: {
    numberOfKeys: 3,
    lua: `
local opts = cjson.decode(ARGV[1])
local packed = cmsgpack.pack(opts)
local id = redis.call('INCR', KEYS[1])
local jobKey = ARGV[2] .. id
redis.call('HSET', jobKey, 'name', ARGV[4], 'data', cjson.encode(opts.data), 'opts', packed, 'timestamp', ARGV[3], 'attemptsMade', 0)
local back = cmsgpack.unpack(redis.call('HGET', jobKey, 'opts'))
if back.delay and back.delay > 0 then
  redis.call('ZADD', KEYS[3], tonumber(ARGV[3]) + back.delay, id)
elseif back.lifo then
  redis.call('RPUSH', KEYS[2], id)
else
  redis.call('LPUSH', KEYS[2], id)
end
return id`,
  },
  // KEYS: wait, active. ARGV: prefix, timestamp, token. Returns JSON of the job or false.
  moveToActive: {
    numberOfKeys: 2,
    lua: `
local id = redis.call('RPOPLPUSH', KEYS[1], KEYS[2])
if not id then return false end
local jobKey = ARGV[1] .. id
redis.call('HSET', jobKey, 'processedOn', ARGV[2], 'lock', ARGV[3])
redis.call('HINCRBY', jobKey, 'attemptsMade', 1)
local opts = cmsgpack.unpack(redis.call('HGET', jobKey, 'opts'))
return cjson.encode({id = id, name = redis.call('HGET', jobKey, 'name'), data = cjson.decode(redis.call('HGET', jobKey, 'data')), attempts = opts.attempts or 1})`,
  },
  // KEYS: active, completed, failed, metrics, wait. ARGV: prefix, id, timestamp, return json, failed (0/1).
  moveToFinished: {
    numberOfKeys: 5,
    lua: `
local jobKey = ARGV[1] .. ARGV[2]
if redis.call('LREM', KEYS[1], -1, ARGV[2]) == 0 then return -1 end
local opts = cmsgpack.unpack(redis.call('HGET', jobKey, 'opts'))
local made = tonumber(redis.call('HGET', jobKey, 'attemptsMade'))
redis.call('HDEL', jobKey, 'lock')
if ARGV[5] == '1' then
  if made < (opts.attempts or 1) then
    redis.call('RPUSH', KEYS[5], ARGV[2])
    return 0
  end
  redis.call('HSET', jobKey, 'failedReason', ARGV[4], 'finishedOn', ARGV[3])
  redis.call('ZADD', KEYS[3], ARGV[3], ARGV[2])
  return redis.call('ZCARD', KEYS[3])
end
local rv = cjson.decode(ARGV[4])
rv.attempts = made
redis.call('HSET', jobKey, 'finishedOn', ARGV[3], 'returnvalue', cjson.encode(rv), 'packed', cmsgpack.pack(rv, made, 'done'))
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
redis.call('INCR', KEYS[4])
if opts.removeOnComplete then
  redis.call('DEL', jobKey)
  redis.call('ZREM', KEYS[2], ARGV[2])
end
return redis.call('ZCARD', KEYS[2])`,
  },
  // KEYS: delayed, wait. ARGV: timestamp, limit.
  promoteDelayed: {
    numberOfKeys: 2,
    lua: `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[1], id)
  redis.call('LPUSH', KEYS[2], id)
end
return #ids`,
  },
  // Read-only. KEYS: wait, active, delayed, completed, failed.
  getCounts: {
    numberOfKeys: 5,
    lua: `
return {redis.call('LLEN', KEYS[1]), redis.call('LLEN', KEYS[2]), redis.call('ZCARD', KEYS[3]), redis.call('ZCARD', KEYS[4]), redis.call('ZCARD', KEYS[5])}`,
  },
};

type Queue = Record<string, (...args: (string | number | Buffer)[]) => Promise<unknown>>;

function queue(r: Redis): Queue {
  for (const [name, def] of Object.entries(QUEUE_SCRIPTS)) r.defineCommand(name, def);
  return r as unknown as Queue;
}

function jobOpts(rng: Rng, i: number): string {
  const data = {
    i,
    text: rng.pick(['plain', 'héllo wörld ✓', 'quote " and \\ backslash', '', 'tab\tnewline\n']),
    nums: [rng.int(1000), -rng.int(50), 0.5, 3.14159, 1e20, -2.5e-7, 123456789012],
    nested: { ok: rng.chance(0.5), list: [1, 'two', { three: 3 }], empty: {} },
  };
  const opts: Record<string, unknown> = { data, attempts: 1 + rng.int(3) };
  if (rng.chance(0.2)) opts.delay = 1 + rng.int(500);
  if (rng.chance(0.15)) opts.lifo = true;
  if (rng.chance(0.25)) opts.removeOnComplete = true;
  return JSON.stringify(opts);
}

/**
 * A deterministic run on one connection: batches of added jobs (pipelined), workers
 * taking and finishing them (some fail and retry), delayed jobs promoted as the fake
 * clock moves. The first calls go one at a time, so EVALSHA misses once, EVAL loads the
 * script, and EVALSHA hits afterwards.
 */
async function runQueue(r: Redis, seed: number, rounds: number): Promise<{ added: number; finished: number }> {
  const q = queue(r);
  const rng = new Rng(seed);
  let now = 1_700_000_000_000;
  let added = 0;
  let finished = 0;
  // One at a time first: EVALSHA -> NOSCRIPT -> EVAL, then EVALSHA.
  expect(await q.addJob(K.id, K.wait, K.delayed, jobOpts(rng, 0), PREFIX, now, 'first')).toBe(1);
  expect(await q.addJob(K.id, K.wait, K.delayed, jobOpts(rng, 1), PREFIX, now, 'second')).toBe(2);
  added += 2;
  for (let round = 0; round < rounds; round++) {
    now += 100;
    const p = r.pipeline() as unknown as Queue & { exec(): Promise<[Error | null, unknown][] | null> };
    const n = 5 + rng.int(10);
    for (let i = 0; i < n; i++) p.addJob(K.id, K.wait, K.delayed, jobOpts(rng, added + i), PREFIX, now, `job-${rng.int(5)}`);
    p.promoteDelayed(K.delayed, K.wait, now, 10);
    for (const [err] of (await p.exec()) ?? []) expect(err).toBeNull();
    added += n;
    const take = 3 + rng.int(8);
    const taken: { id: string; data: { i: number } }[] = [];
    for (let i = 0; i < take; i++) {
      const j = (await q.moveToActive(K.wait, K.active, PREFIX, now, `tok-${round}-${i}`)) as string | null;
      if (j === null) break;
      taken.push(JSON.parse(j) as { id: string; data: { i: number } });
    }
    const f = r.pipeline() as unknown as Queue & { exec(): Promise<[Error | null, unknown][] | null> };
    for (const job of taken) {
      const fail = rng.chance(0.3);
      const ret = fail ? `boom ${job.data.i}` : JSON.stringify({ ok: true, out: [job.data.i, job.data.i * 0.25, 'r'] });
      f.moveToFinished(K.active, K.completed, K.failed, K.metrics, K.wait, PREFIX, job.id, now + 50, ret, fail ? '1' : '0');
    }
    f.getCounts(K.wait, K.active, K.delayed, K.completed, K.failed);
    for (const [err] of (await f.exec()) ?? []) expect(err).toBeNull();
    finished += taken.length;
  }
  return { added, finished };
}

/** Several workers at once on their own connections (order not deterministic). */
async function concurrentWorkers(clients: Redis[], seed: number, rounds: number): Promise<void> {
  await Promise.all(
    clients.map(async (c, w) => {
      const q = queue(c);
      const rng = new Rng(seed + w);
      for (let i = 0; i < rounds; i++) {
        await q.addJob(K.id, K.wait, K.delayed, jobOpts(rng, i), PREFIX, 1_800_000_000_000 + i, `w${w}`);
        const j = (await q.moveToActive(K.wait, K.active, PREFIX, 1_800_000_000_000 + i, `w${w}-${i}`)) as string | null;
        if (j !== null) {
          const job = JSON.parse(j) as { id: string };
          await q.moveToFinished(K.active, K.completed, K.failed, K.metrics, K.wait, PREFIX, job.id, 1_800_000_000_000 + i, '{"w":1}', '0');
        }
      }
    }),
  );
}

// ---------------------------------------------------------------------------------

async function offset(r: Redis): Promise<number> {
  return Number((await replInfo(r)).master_repl_offset);
}

/**
 * Waits (bounded) until every replica's link is up and its offset equals the master's,
 * then compares DEBUG DIGEST. Digests read while an offset moved (a PING) are read again.
 */
async function expectConsistent(master: Redis, replicas: Redis[], timeoutMs = 30000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const offs = async () => {
      const m = await replInfo(master);
      const rs = await Promise.all(replicas.map((r) => replInfo(r)));
      if (rs.some((x) => x.master_link_status !== 'up' || x.master_repl_offset !== m.master_repl_offset)) return null;
      return m.master_repl_offset;
    };
    const before = await offs();
    if (before !== null) {
      const digests = await Promise.all([master, ...replicas].map((r) => r.call('DEBUG', 'DIGEST') as Promise<string>));
      if (digests.every((d) => d === digests[0])) return digests[0];
      const after = await offs();
      if (after === before) {
        expect(digests, `equal offsets (${before}) but different digests`).toEqual(digests.map(() => digests[0]));
      }
      last = digests.join(' ');
    } else {
      const m = await replInfo(master);
      const rs = await Promise.all(replicas.map((r) => replInfo(r)));
      last = `master=${m.master_repl_offset} replicas=${rs.map((x) => `${x.master_repl_offset}/${x.master_link_status}`).join(',')}`;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`replicas did not reach the master's offset within ${timeoutMs} ms: ${last}`);
}

async function linkUp(replica: Redis): Promise<void> {
  await waitFor('replica link up', async () => (await replInfo(replica)).master_link_status === 'up', 30000);
}

const PING_BYTES = 14; // *1\r\n$4\r\nPING\r\n
const MULTI_BYTES = 15; // *1\r\n$5\r\nMULTI\r\n
const EXEC_BYTES = 14; // *1\r\n$4\r\nEXEC\r\n
function respLen(argv: string[]): number {
  return Buffer.byteLength(`*${argv.length}\r\n`) + argv.reduce((n, a) => n + Buffer.byteLength(`$${Buffer.byteLength(a)}\r\n${a}\r\n`), 0);
}

/**
 * Waits (bounded) until the master's offset has grown by at least `expected` bytes
 * since `from`, and returns the growth minus `expected`: what PINGs added, if the
 * stream held exactly what was expected.
 */
async function growthBeyond(m: Redis, from: number, expected: number): Promise<number> {
  let grown = 0;
  const what = () => `master offset to grow by ${expected} bytes (plus any PINGs) from ${from}; it grew by ${grown}`;
  // Waits past a stream still being written; a stream holding anything else never
  // matches and fails here, naming the growth it saw.
  await waitFor('the master offset', async () => {
    grown = (await offset(m)) - from;
    return grown >= expected && (grown - expected) % PING_BYTES === 0;
  }, 10000).catch(() => {
    throw new Error(`timed out waiting for ${what()}`);
  });
  return grown - expected;
}

/**
 * In db 0 (already selected in the stream): scripts that write nothing add nothing to
 * the stream; a script with two writes adds MULTI, both SETs, EXEC. Any PINGs in between
 * are allowed (multiples of 14 bytes), nothing else.
 */
async function checkStreamShape(m: Redis): Promise<void> {
  // Make sure db 0 is the stream's current db, so no SELECT appears later.
  await m.set('shape:warm', '1');
  const marker = ['SET', 'shape:marker', '1'];
  let from = await offset(m);
  expect(await m.eval("return redis.call('GET', KEYS[1])", 1, 'shape:warm')).toBe('1');
  expect(await m.call('EVAL_RO', "return redis.call('EXISTS', KEYS[1])", '1', 'shape:none')).toBe(0);
  expect(await m.eval("return redis.call('DEL', KEYS[1])", 1, 'shape:none')).toBe(0);
  expect(await m.eval('return 1', 0)).toBe(1);
  await m.call(...(marker as [string, ...string[]]));
  let extra = await growthBeyond(m, from, respLen(marker));
  expect(extra % PING_BYTES, `a script that wrote nothing added ${extra} bytes to the stream (not a number of PINGs)`).toBe(0);

  from = await offset(m);
  expect(await m.eval("redis.call('SET', KEYS[1], 'a') redis.call('SET', KEYS[2], 'b') return 2", 2, 'shape:k1', 'shape:k2')).toBe(2);
  const wrapped = MULTI_BYTES + respLen(['SET', 'shape:k1', 'a']) + respLen(['SET', 'shape:k2', 'b']) + EXEC_BYTES;
  extra = await growthBeyond(m, from, wrapped);
  expect(extra % PING_BYTES, `a two-write script added ${extra + wrapped} bytes; MULTI + SET + SET + EXEC is ${wrapped} (plus PINGs)`).toBe(0);
}

// ---------------------------------------------------------------------------------

const LIBRARY_V1 = [
  '#!lua name=qlib',
  "redis.register_function('qpush', function(keys, args) return redis.call('LPUSH', keys[1], unpack(args)) end)",
  "redis.register_function{function_name='qlen', callback=function(keys, args) return redis.call('LLEN', keys[1]) end, flags={'no-writes'}, description='queue length'}",
  "redis.register_function{function_name='qpeek', callback=function(keys, args) return cjson.encode({head = redis.call('LINDEX', keys[1], 0), packed = cmsgpack.unpack(cmsgpack.pack({1, 'x'}))}) end, flags={'no-writes'}}",
].join('\n');

const LIBRARY_V2 = [
  '#!lua name=qlib',
  "redis.register_function('qpush', function(keys, args) return redis.call('RPUSH', keys[1], unpack(args)) end)",
  "redis.register_function{function_name='qlen', callback=function(keys, args) return redis.call('LLEN', keys[1]) * 10 end, flags={'no-writes'}}",
].join('\n');

const LIBRARY_OTHER = [
  '#!lua name=other',
  "redis.register_function{function_name='hello', callback=function(keys, args) return 'hello ' .. (args[1] or '?') end, flags={'no-writes', 'allow-stale'}}",
].join('\n');

/**
 * FUNCTION LIST WITHCODE, libraries and their functions sorted by name: Redis lists
 * them in dict order, which is not an order to compare.
 */
async function functionList(r: Redis): Promise<unknown> {
  const libs = (await r.call('FUNCTION', 'LIST', 'WITHCODE')) as unknown[][];
  const byName = (a: unknown[], b: unknown[]) => String(a[1]).localeCompare(String(b[1]));
  return libs
    .map((lib) => {
      const out = [...lib];
      const i = out.indexOf('functions');
      out[i + 1] = [...(out[i + 1] as unknown[][])].sort(byName);
      return out;
    })
    .sort(byName);
}

/** Functions on a master: each step reaches every replica (FUNCTION LIST equal, FCALL_RO answers there). */
async function checkFunctionPropagation(m: Redis, replicas: Redis[]): Promise<void> {
  await m.call('FUNCTION', 'FLUSH');
  await expectConsistent(m, replicas);
  expect(await m.call('FUNCTION', 'LOAD', LIBRARY_V1)).toBe('qlib');
  expect(await m.call('FUNCTION', 'LOAD', LIBRARY_OTHER)).toBe('other');
  expect(await m.call('FCALL', 'qpush', '1', 'fq', 'a', 'b', 'c')).toBe(3);
  await expectConsistent(m, replicas);
  const list = await functionList(m);
  for (const r of replicas) {
    expect(await functionList(r)).toEqual(list);
    expect(await r.call('FCALL_RO', 'qlen', '1', 'fq')).toBe(3);
    // The key order of cjson.encode is Lua's table order: the replica's must be the master's.
    const peek = (await r.call('FCALL_RO', 'qpeek', '1', 'fq')) as string;
    expect(JSON.parse(peek)).toEqual({ head: 'c', packed: [1, 'x'] });
    expect(peek).toBe(await m.call('FCALL_RO', 'qpeek', '1', 'fq'));
    expect(await r.call('FCALL', 'qlen', '1', 'fq')).toBe(3);
    // A function that writes is refused on a read-only replica.
    await expect(r.call('FCALL', 'qpush', '1', 'fq', 'z')).rejects.toThrow(/READONLY/);
  }
  expect(await m.call('FUNCTION', 'LOAD', 'REPLACE', LIBRARY_V2)).toBe('qlib');
  expect(await m.call('FCALL', 'qpush', '1', 'fq', 'd')).toBe(4);
  await expectConsistent(m, replicas);
  for (const r of replicas) {
    expect(await functionList(r)).toEqual(await functionList(m));
    expect(await r.call('FCALL_RO', 'qlen', '1', 'fq')).toBe(40);
    await expect(r.call('FCALL_RO', 'qpeek', '1', 'fq')).rejects.toThrow('Function not found');
    expect(await r.lrange('fq', 0, -1)).toEqual(['c', 'b', 'a', 'd']);
  }
  expect(await m.call('FUNCTION', 'DELETE', 'qlib')).toBe('OK');
  await expectConsistent(m, replicas);
  for (const r of replicas) {
    expect(await functionList(r)).toEqual(await functionList(m));
    expect(((await functionList(r)) as unknown[]).length).toBe(1);
    await expect(r.call('FCALL_RO', 'qlen', '1', 'fq')).rejects.toThrow('Function not found');
    expect(await r.call('FCALL', 'hello', '0', 'replica')).toBe('hello replica');
    expect(await r.call('FCALL_RO', 'hello', '0', 'ro')).toBe('hello ro');
  }
  expect(await m.call('FUNCTION', 'FLUSH')).toBe('OK');
  await expectConsistent(m, replicas);
  for (const r of replicas) expect(await functionList(r)).toEqual([]);
}

// ---------------------------------------------------------------------------------

/** A redis-ts master with a redis-server replica (rr) and a redis-ts replica (tr), both linked. */
async function tsMasterWithBothReplicas(masterArgs: string[] = []): Promise<{ master: ServerProcess; m: Redis; rr: Redis; tr: Redis }> {
  const master = await start({ args: masterArgs });
  const [realReplica, tsReplica] = await Promise.all([
    start({ real: true, args: ['--replicaof', '127.0.0.1', String(master.port)] }),
    start({ args: ['--replicaof', '127.0.0.1', String(master.port)] }),
  ]);
  const rr = realReplica.client();
  const tr = tsReplica.client();
  await linkUp(rr);
  await linkUp(tr);
  return { master, m: master.client(), rr, tr };
}

describeWithRealRedis('scripts and functions between redis-ts and redis-server', () => {
  it('the same deterministic queue run leaves the same DEBUG DIGEST on redis-ts and redis-server', async () => {
    const [ours, real] = await Promise.all([start(), start({ real: true })]);
    const [o, r] = [ours.client(), real.client()];
    const [a, b] = await Promise.all([runQueue(o, 7, 40), runQueue(r, 7, 40)]);
    expect(a).toEqual(b);
    expect(await o.call('DEBUG', 'DIGEST')).toBe(await r.call('DEBUG', 'DIGEST'));
    const hashes = async (c: Redis) => {
      const out: Record<string, unknown> = {};
      for (const k of (await c.keys(`${PREFIX}*`)).sort()) {
        const t = await c.type(k);
        if (t === 'hash') out[k] = Object.entries(await c.hgetallBuffer(k)).map(([f, v]) => [f, v.toString('hex')]).sort();
      }
      return out;
    };
    // Spelled out when the digests differ: which job hash and field.
    expect(await hashes(o)).toEqual(await hashes(r));
  });

  it('(a) a queue on a redis-ts master with a redis-server replica and a redis-ts replica: equal digests', async () => {
    const { master, m, rr, tr } = await tsMasterWithBothReplicas(['--repl-ping-replica-period', '3600']);
    await runQueue(m, 11, 30);
    await concurrentWorkers([master.client(), master.client(), master.client()], 100, 40);
    const digest = await expectConsistent(m, [rr, tr]);
    expect(digest).not.toBe('0000000000000000000000000000000000000000');
    // The replicas ran nothing themselves: their script caches are empty (effects replication).
    const sha = (await m.call('SCRIPT', 'LOAD', QUEUE_SCRIPTS.addJob.lua)) as string;
    expect(await rr.call('SCRIPT', 'EXISTS', sha)).toEqual([0]);
    expect(await tr.call('SCRIPT', 'EXISTS', sha)).toEqual([0]);
    await checkStreamShape(m);
    await expectConsistent(m, [rr, tr]);
    expect(await rr.mget('shape:k1', 'shape:k2')).toEqual(['a', 'b']);
    expect(await tr.mget('shape:k1', 'shape:k2')).toEqual(['a', 'b']);
  });

  it('(b) the same queue on a redis-server master with a redis-ts replica: equal digests', async () => {
    const master = await start({ real: true, args: ['--repl-ping-replica-period', '3600'] });
    const m = master.client();
    const replica = await start({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    const tr = replica.client();
    await linkUp(tr);
    await runQueue(m, 11, 30);
    await concurrentWorkers([master.client(), master.client(), master.client()], 100, 40);
    await expectConsistent(m, [tr]);
    // The same expectations on the stream hold for the real master (they check the test, too).
    await checkStreamShape(m);
    await expectConsistent(m, [tr]);
  });

  it('(c) FUNCTION LOAD / FCALL / FUNCTION DELETE / FLUSH on a redis-ts master reach a real and a redis-ts replica', async () => {
    const { m, rr, tr } = await tsMasterWithBothReplicas();
    await checkFunctionPropagation(m, [rr, tr]);
  });

  it('(c) the same on a redis-server master with a redis-ts replica', async () => {
    const master = await start({ real: true });
    const m = master.client();
    const replica = await start({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    const tr = replica.client();
    await linkUp(tr);
    await checkFunctionPropagation(m, [tr]);
  });

  it('(c) libraries loaded before a replica attaches arrive with the full sync, both ways', async () => {
    for (const realMaster of [false, true]) {
      const master = await start({ real: realMaster });
      const m = master.client();
      expect(await m.call('FUNCTION', 'LOAD', LIBRARY_V1)).toBe('qlib');
      await m.call('FCALL', 'qpush', '1', 'fq', 'x');
      const replica = await start({ real: !realMaster, args: ['--replicaof', '127.0.0.1', String(master.port)] });
      const r = replica.client();
      await linkUp(r);
      await expectConsistent(m, [r]);
      expect(await functionList(r)).toEqual(await functionList(m));
      expect(await r.call('FCALL_RO', 'qlen', '1', 'fq')).toBe(1);
    }
  });

  it('(d) a library in redis-ts\'s dump.rdb loads into redis-server, and the reverse', async () => {
    for (const fromReal of [false, true]) {
      const first = await start({ real: fromReal });
      const a = first.client();
      expect(await a.call('FUNCTION', 'LOAD', LIBRARY_V1)).toBe('qlib');
      expect(await a.call('FUNCTION', 'LOAD', LIBRARY_OTHER)).toBe('other');
      await a.call('FCALL', 'qpush', '1', 'fq', 'a', 'b');
      await runQueue(a, 3, 5);
      const list = await functionList(a);
      const digest = await a.call('DEBUG', 'DIGEST');
      expect(await a.save()).toBe('OK');
      expect(existsSync(join(first.dir, 'dump.rdb'))).toBe(true);
      await first.stop();
      const second = await start({ real: !fromReal, dir: first.dir });
      const b = second.client();
      expect(await functionList(b), `${fromReal ? 'redis-server' : 'redis-ts'} RDB loaded by the other`).toEqual(list);
      expect(await b.call('DEBUG', 'DIGEST')).toBe(digest);
      expect(await b.call('FCALL', 'qlen', '1', 'fq')).toBe(2);
      expect(await b.call('FCALL', 'qpush', '1', 'fq', 'c')).toBe(3);
      expect(await b.call('FCALL', 'hello', '0', 'rdb')).toBe('hello rdb');
      // The queue scripts run on the loaded data: the id counter carried over.
      const before = Number(await b.get(K.id));
      expect(await queue(b).addJob(K.id, K.wait, K.delayed, '{"data":{}}', PREFIX, 1, 'after-load')).toBe(before + 1);
    }
  });

  it('(d) FUNCTION DUMP from one restores into the other, both ways', async () => {
    const [ours, real] = await Promise.all([start(), start({ real: true })]);
    const [o, r] = [ours.client(), real.client()];
    for (const c of [o, r]) {
      expect(await c.call('FUNCTION', 'LOAD', LIBRARY_V1)).toBe('qlib');
      expect(await c.call('FUNCTION', 'LOAD', LIBRARY_OTHER)).toBe('other');
    }
    const ourDump = (await o.callBuffer('FUNCTION', 'DUMP')) as Buffer;
    const realDump = (await r.callBuffer('FUNCTION', 'DUMP')) as Buffer;
    const list = await functionList(r);
    expect(await functionList(o)).toEqual(list);
    // Restore each into the other, with each policy.
    for (const [target, payload, name] of [
      [r, ourDump, 'redis-ts dump into redis-server'],
      [o, realDump, 'redis-server dump into redis-ts'],
    ] as const) {
      expect(await target.call('FUNCTION', 'FLUSH')).toBe('OK');
      expect(await target.call('FUNCTION', 'RESTORE', payload), name).toBe('OK');
      expect(await functionList(target), name).toEqual(list);
      expect(await target.call('FCALL', 'hello', '0', 'dump'), name).toBe('hello dump');
      await expect(target.call('FUNCTION', 'RESTORE', payload), name).rejects.toThrow(/already exists/);
      expect(await target.call('FUNCTION', 'RESTORE', payload, 'REPLACE'), name).toBe('OK');
      expect(await target.call('FUNCTION', 'LOAD', 'REPLACE', LIBRARY_V2)).toBe('qlib');
      expect(await target.call('FUNCTION', 'RESTORE', payload, 'FLUSH'), name).toBe('OK');
      expect(await functionList(target), name).toEqual(list);
    }
    // Same framing: the FUNCTION2 opcode first, the same RDB version before the CRC64.
    // (The LZF-compressed code bytes may differ: any valid LZF stream is acceptable.)
    expect(ourDump[0]).toBe(0xf5);
    expect(realDump[0]).toBe(0xf5);
    expect(ourDump.subarray(-10, -8).toString('hex')).toBe(realDump.subarray(-10, -8).toString('hex'));
  });
});
