// maxmemory with eviction: used_memory as keys come and go, each policy filling past
// its limit (what is evicted, what is refused), evictions reaching replicas as DELs,
// replicas that do not evict, and client eviction (maxmemory-clients).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { RawClient } from '../helpers/raw-client.js';
import { startServer, skipWithoutRealRedis, type ServerProcess } from '../helpers/server.js';
import { infoFields, waitFor, waitInSync } from '../helpers/replication.js';

async function num(r: Redis, section: string, field: string): Promise<number> {
  const v = (await infoFields(r, section))[field];
  if (v === undefined) throw new Error(`INFO ${section} has no ${field}`);
  return Number(v);
}

/** used_memory less the clients' part, which moves as the cron resizes reply buffers. */
async function usedWithoutClients(r: Redis): Promise<number> {
  const m = await infoFields(r, 'memory');
  return Number(m.used_memory) - Number(m.mem_clients_normal);
}

/** Memory that counts against maxmemory. */
async function evictionMemory(r: Redis): Promise<number> {
  const m = await infoFields(r, 'memory');
  return Number(m.used_memory) - Number(m.mem_not_counted_for_evict);
}

describe('used_memory accounting', () => {
  let srv: ServerProcess;
  let r: Redis;
  beforeAll(async () => {
    srv = await startServer();
    r = srv.client();
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('rises by what MEMORY USAGE reports for a new key and falls back when it goes', async () => {
    await r.flushall();
    const before = await usedWithoutClients(r);
    await r.set('k', 'x'.repeat(1000));
    const usage = Number(await r.memory('USAGE', 'k'));
    expect(usage).toBeGreaterThan(1000);
    expect((await usedWithoutClients(r)) - before).toBe(usage);
    await r.del('k');
    expect(await usedWithoutClients(r)).toBe(before);
  });

  it('follows collections changed in place, and FLUSHALL returns to the empty figure', async () => {
    await r.flushall();
    const empty = await usedWithoutClients(r);
    for (let i = 0; i < 50; i++) await r.rpush('list', 'e'.repeat(200));
    for (let i = 0; i < 50; i++) await r.hset('hash', `f${i}`, 'v'.repeat(200));
    await r.sadd('set', ...Array.from({ length: 300 }, (_, i) => `m${i}`));
    const full = await usedWithoutClients(r);
    expect(full - empty).toBeGreaterThan(2 * 50 * 200);
    await r.ltrim('list', 0, 9);
    expect(await usedWithoutClients(r)).toBeLessThan(full);
    // The keys' own figures add up to the dataset: nothing was lost along the way.
    let sum = 0;
    for (const k of ['list', 'hash', 'set']) sum += Number(await r.memory('USAGE', k));
    expect((await usedWithoutClients(r)) - empty).toBe(sum);
    await r.flushall();
    expect(await usedWithoutClients(r)).toBe(empty);
  });

  it('counts a client query buffer holding a partial command, and forgets it once the client goes', async () => {
    const base = await num(r, 'memory', 'mem_clients_normal');
    const c = await RawClient.connect(srv.port);
    c.write(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$200000\r\n${'x'.repeat(100000)}`);
    // (The figure also moves by a few KB as the cron resizes reply buffers.)
    await waitFor('the partial command is buffered', async () => (await num(r, 'memory', 'mem_clients_normal')) - base > 80000, 5000);
    c.close();
    await waitFor('the client is gone', async () => (await num(r, 'memory', 'mem_clients_normal')) < base + 30000, 5000);
  });
});

const POLICIES = ['allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl'];

describe('eviction policies', () => {
  let srv: ServerProcess;
  let r: Redis;
  beforeAll(async () => {
    srv = await startServer();
    r = srv.client();
  });
  afterAll(async () => {
    await srv?.stop();
  });

  /** Sets a limit 100 KB above the current use; fills it with keys, odd ones volatile; returns how many. */
  async function fill(policy: string): Promise<{ limit: number; n: number }> {
    await r.config('SET', 'maxmemory', '0');
    await r.flushall();
    const limit = (await evictionMemory(r)) + 100 * 1024;
    await r.config('SET', 'maxmemory-policy', policy);
    await r.config('SET', 'maxmemory', String(limit));
    let n = 0;
    while ((await evictionMemory(r)) + 4096 < limit) {
      if (n % 2 === 1) await r.set(`key:${n}`, 'v'.repeat(100), 'EX', 100000 + n);
      else await r.set(`key:${n}`, 'v'.repeat(100));
      n++;
    }
    expect(n).toBeGreaterThan(100);
    return { limit, n };
  }

  for (const policy of POLICIES) {
    it(`${policy}: memory stays under the limit, and only ${policy.startsWith('volatile') ? 'volatile' : 'any'} keys go`, async () => {
      const { limit, n } = await fill(policy);
      // No eviction while the subscriber (whose own buffers count) connects.
      await r.config('SET', 'maxmemory', '0');
      await r.config('SET', 'notify-keyspace-events', 'Ee');
      const sub = srv.client();
      const evictedEvents: string[] = [];
      await sub.subscribe('__keyevent@0__:evicted');
      sub.on('message', (_ch: string, key: string) => evictedEvents.push(key));
      const before = await num(r, 'stats', 'evicted_keys');
      await r.config('SET', 'maxmemory', String(limit));
      for (let j = 0; j < n; j++) await r.set(`new:${j}`, 'v'.repeat(100), 'EX', 100000);
      expect(await evictionMemory(r)).toBeLessThan(limit + 4096);
      const evicted = (await num(r, 'stats', 'evicted_keys')) - before;
      expect(evicted).toBeGreaterThan(n / 2);
      if (policy.startsWith('volatile')) {
        for (let j = 0; j < n; j += 2) expect(await r.exists(`key:${j}`)).toBe(1);
      }
      // (Evictions may still run between commands: compare with the count as it is now.)
      await waitFor('every eviction is announced', async () => evictedEvents.length === (await num(r, 'stats', 'evicted_keys')) - before, 5000);
      sub.disconnect();
      await r.config('SET', 'notify-keyspace-events', '');
    });
  }

  it('volatile policies with no volatile key left refuse writes with -OOM', async () => {
    const { n } = await fill('volatile-random');
    let refused = '';
    for (let j = 0; j < n && refused === ''; j++) {
      await r.set(`plain:${j}`, 'v'.repeat(100)).catch((e: Error) => (refused = e.message));
    }
    expect(refused).toBe("OOM command not allowed when used memory > 'maxmemory'.");
    expect(await r.get('plain:0')).not.toBeNull();
  });

  it('noeviction refuses writes past the limit and keeps every key; reads still work', async () => {
    const { n } = await fill('noeviction');
    let refused = '';
    for (let j = 0; j < n && refused === ''; j++) {
      await r.set(`more:${j}`, 'v'.repeat(100)).catch((e: Error) => (refused = e.message));
    }
    expect(refused).toBe("OOM command not allowed when used memory > 'maxmemory'.");
    expect(await r.dbsize()).toBeGreaterThanOrEqual(n);
    expect(await r.get('key:0')).toBe('v'.repeat(100));
    expect(await num(r, 'stats', 'evicted_keys')).toBeGreaterThanOrEqual(0);
  });

  it('allkeys-lfu keeps the keys read often (OBJECT FREQ) and evicts the others', async () => {
    await r.config('SET', 'lfu-log-factor', '0');
    await r.config('SET', 'maxmemory-samples', '10');
    const { n } = await fill('allkeys-lfu');
    const hot = Array.from({ length: 20 }, (_, i) => `key:${i * 2}`);
    for (let round = 0; round < 30; round++) await r.mget(...hot);
    expect(Number(await r.object('FREQ', hot[0]))).toBeGreaterThan(20);
    for (let j = 0; j < n; j++) await r.set(`new:${j}`, 'v'.repeat(100));
    let kept = 0;
    for (const k of hot) kept += await r.exists(k);
    let coldKept = 0;
    for (let j = 41; j < n; j++) coldKept += await r.exists(`key:${j}`);
    // Sampling is random: the hot keys are overwhelmingly kept while most others go.
    expect(kept).toBeGreaterThanOrEqual(18);
    expect(coldKept).toBeLessThan((n - 41) / 2);
    await r.config('SET', 'lfu-log-factor', '10');
    await r.config('SET', 'maxmemory-samples', '5');
  });

  it('shared integers: OBJECT REFCOUNT is 1 under an LRU limit', async () => {
    await r.config('SET', 'maxmemory', '0');
    await r.set('int', '1');
    expect(Number(await r.object('REFCOUNT', 'int'))).toBeGreaterThan(1);
    await r.config('SET', 'maxmemory', '1gb');
    await r.config('SET', 'maxmemory-policy', 'allkeys-lru');
    expect(await r.object('REFCOUNT', 'int')).toBe(1);
    await r.config('SET', 'maxmemory', '0');
    await r.config('SET', 'maxmemory-policy', 'noeviction');
  });
});

describe('evictions and replicas', () => {
  const skip = skipWithoutRealRedis();
  let master: ServerProcess;
  let replica: ServerProcess;
  let real: ServerProcess | null = null;
  beforeAll(async () => {
    master = await startServer();
    replica = await startServer({ args: ['--replicaof', '127.0.0.1', String(master.port), '--maxmemory', '1', '--maxmemory-policy', 'allkeys-random'] });
    if (skip === null) real = await startServer({ real: true, args: ['--replicaof', '127.0.0.1', String(master.port), '--enable-debug-command', 'yes'] });
  });
  afterAll(async () => {
    await Promise.all([master?.stop(), replica?.stop(), real?.stop()]);
  });

  it('evicted keys reach replicas as DEL; a replica under its own tiny maxmemory evicts nothing', async () => {
    const m = master.client();
    const rep = replica.client();
    await waitInSync(m, rep);
    for (let i = 0; i < 300; i++) await m.set(`k${i}`, 'v'.repeat(100));
    await waitInSync(m, rep);
    expect(await rep.dbsize()).toBe(300);
    expect(await num(rep, 'stats', 'evicted_keys')).toBe(0);
    const limit = (await evictionMemory(m)) - 10000;
    await m.config('SET', 'maxmemory-policy', 'allkeys-lru');
    await m.config('SET', 'maxmemory', String(limit));
    await waitFor('the master evicted down to its limit', async () => (await evictionMemory(m)) <= limit, 5000);
    await m.config('SET', 'maxmemory', '0');
    const left = await m.dbsize();
    expect(left).toBeLessThan(300);
    await waitInSync(m, rep);
    expect(await rep.dbsize()).toBe(left);
    expect(await rep.debug('DIGEST')).toBe(await m.debug('DIGEST'));
    if (real !== null) {
      const rr = real.client();
      await waitInSync(m, rr);
      expect(await rr.dbsize()).toBe(left);
      expect(await rr.debug('DIGEST')).toBe(await m.debug('DIGEST'));
    }
    await m.config('SET', 'maxmemory', '0');
  });
});

describe('client eviction (maxmemory-clients)', () => {
  let srv: ServerProcess;
  let r: Redis;
  beforeAll(async () => {
    srv = await startServer({ args: ['--maxmemory-clients', '1mb'] });
    r = srv.client();
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('disconnects the client holding most memory; CLIENT NO-EVICT clients stay; percentages are of maxmemory', async () => {
    await r.client('NO-EVICT', 'ON');
    const bystander = await RawClient.connect(srv.port);
    expect(await bystander.call('PING')).toBe('+PONG\r\n');
    const big = await RawClient.connect(srv.port);
    big.write(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000000\r\n${'x'.repeat(1200000)}`);
    expect(await big.waitClosed()).toBe(true);
    expect(await num(r, 'stats', 'evicted_clients')).toBe(1);
    expect(await bystander.call('PING')).toBe('+PONG\r\n');
    bystander.close();
    await r.config('SET', 'maxmemory-clients', '10%');
    expect(await r.config('GET', 'maxmemory-clients')).toEqual(['maxmemory-clients', '10%']);
    await r.config('SET', 'maxmemory-clients', '0');
  });
});
