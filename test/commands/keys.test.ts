// Keyspace commands through ioredis against redis-ts: the SCAN guarantee while keys
// change, cursor edge cases, RANDOMKEY, TTL ranges, OBJECT IDLETIME/FREQ; and, in
// process, what each command propagates and how the access clock behaves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startServer, type ServerProcess } from '../helpers/server.js';
import { inProcess } from '../helpers/in-process.js';
import { Config } from '../../src/config/config.js';
import { Database, type KeyspaceHooks } from '../../src/keyspace/database.js';
import { ScanCursorTable, parseScanCursor } from '../../src/keyspace/scan-cursor.js';
import { AccessClock } from '../../src/keyspace/access-clock.js';
import { KeyspaceMemory } from '../../src/keyspace/keyspace-memory.js';
import { objectEncoding, stringEncoding } from '../../src/keyspace/encoding.js';
import { duplicateValue } from '../../src/keyspace/duplicate.js';

/** Full SCAN: every key returned (with duplicates counted), running `between` after each call. */
async function scanAll(r: Redis, count: number, between?: (step: number) => Promise<void>): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  let cursor = '0';
  let step = 0;
  do {
    const [next, keys] = await r.scan(cursor, 'COUNT', count);
    for (const k of keys) seen.set(k, (seen.get(k) ?? 0) + 1);
    cursor = next;
    if (between !== undefined) await between(step);
    expect(++step).toBeLessThan(100000);
  } while (cursor !== '0');
  return seen;
}

describe('keyspace commands (ioredis)', () => {
  let srv: ServerProcess;
  let r: Redis;
  beforeAll(async () => {
    srv = await startServer();
    r = srv.client();
  });
  afterAll(async () => {
    await srv?.stop();
  });

  async function fill(prefix: string, n: number, value = 'v'): Promise<void> {
    const args: string[] = [];
    for (let i = 0; i < n; i++) args.push(`${prefix}${i}`, value);
    await r.mset(...args);
  }

  it('SCAN returns every key that stays present while others are added and removed', async () => {
    await r.flushall();
    await fill('keep:', 3000);
    await fill('gone:', 1500);
    let added = 0;
    const seen = await scanAll(r, 25, async (step) => {
      const p = r.pipeline();
      // Add keys, delete keys that existed at the start, overwrite kept keys in place,
      // and churn a key that is deleted and re-created (it moves to the end).
      for (let i = 0; i < 10; i++) p.set(`new:${added++}`, 'v');
      for (let i = 0; i < 8; i++) p.del(`gone:${(step * 8 + i) % 1500}`);
      p.set(`keep:${(step * 7) % 3000}`, 'changed');
      p.del('churn');
      p.set('churn', 'v');
      await p.exec();
    });
    const missing: string[] = [];
    for (let i = 0; i < 3000; i++) if (!seen.has(`keep:${i}`)) missing.push(`keep:${i}`);
    expect(missing).toEqual([]);
    // A kept key is returned once: only re-created keys can come back.
    for (let i = 0; i < 3000; i++) expect(seen.get(`keep:${i}`)).toBe(1);
  });

  it('SCAN COUNT is the number of keys examined, and the last page says 0', async () => {
    await r.flushall();
    await fill('k', 100);
    const [c1, k1] = await r.scan(0, 'COUNT', 30);
    expect(k1).toHaveLength(30);
    expect(c1).not.toBe('0');
    const [c2, k2] = await r.scan(c1, 'COUNT', 70);
    expect(k2).toHaveLength(70);
    expect(c2).toBe('0');
    const [c3, k3] = await r.scan(0, 'MATCH', 'k1*', 'COUNT', 30);
    expect(c3).not.toBe('0');
    expect(k3.every((k) => k.startsWith('k1'))).toBe(true);
    expect(new Set([...k1, ...k2]).size).toBe(100);
  });

  it('SCAN with an unknown, replayed or evicted cursor restarts and still covers every key', async () => {
    await r.flushall();
    await fill('u', 500);
    // An invented cursor.
    const [c, keys] = await r.scan('123456789', 'COUNT', 1000);
    expect(c).toBe('0');
    expect(keys).toHaveLength(500);
    // A client retrying one call replays a cursor already used: the replay restarts
    // the iteration instead of skipping what the lost reply held.
    const seen = new Set<string>();
    let cursor = '0';
    for (let steps = 0; ; steps++) {
      expect(steps).toBeLessThan(10000);
      let [next, batch] = await r.scan(cursor, 'COUNT', 100);
      if (steps === 2) [next, batch] = await r.scan(cursor, 'COUNT', 100);
      for (const k of batch) seen.add(k);
      cursor = next;
      if (cursor === '0') break;
    }
    expect(seen.size).toBe(500);
    // Start more iterations than the table keeps: the first cursor is evicted.
    const [first] = await r.scan(0, 'COUNT', 10);
    const p = r.pipeline();
    for (let i = 0; i < 4200; i++) p.scan(0, 'COUNT', 1);
    await p.exec();
    const resumed = new Set<string>();
    cursor = first;
    for (let steps = 0; ; steps++) {
      expect(steps).toBeLessThan(10000);
      const [next, batch] = await r.scan(cursor, 'COUNT', 50);
      for (const k of batch) resumed.add(k);
      cursor = next;
      if (cursor === '0') break;
    }
    expect(resumed.size).toBe(500);
  });

  it('SCAN does not mix databases and skips expired keys', async () => {
    await r.flushall();
    await fill('db0:', 50);
    const [c] = await r.scan(0, 'COUNT', 10);
    await r.select(1);
    await r.set('db1only', 'v');
    // A cursor issued for db 0 restarts in db 1.
    const [c1, keys] = await r.scan(c, 'COUNT', 100);
    expect(c1).toBe('0');
    expect(keys).toEqual(['db1only']);
    await r.select(0);
    await r.set('short', 'v', 'PX', 1);
    const seen = new Set<string>();
    // Poll until the key's time has certainly passed (bounded).
    const deadline = Date.now() + 5000;
    while ((await r.pttl('short')) > 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 5));
    for (const k of (await scanAll(r, 7)).keys()) seen.add(k);
    expect(seen.has('short')).toBe(false);
    expect(seen.size).toBe(50);
  });

  it('KEYS skips expired keys and matches binary keys', async () => {
    await r.flushall();
    await r.set(Buffer.from('a\x00b', 'latin1'), 'v');
    await r.set('', 'empty');
    const keys = (await r.keysBuffer('*')).map((b) => b.toString('latin1')).sort();
    expect(keys).toEqual(['', 'a\x00b']);
    const count = async (p: string) => ((await r.call('KEYS', Buffer.from(p, 'latin1'))) as unknown[]).length;
    expect(await count('a\x00')).toBe(0);
    expect(await count('a\x00?')).toBe(1);
    expect(await count('a\x00*')).toBe(1);
  });

  it('RANDOMKEY returns existing keys, spreads over the keyspace, and skips expired keys', async () => {
    await r.flushall();
    expect(await r.randomkey()).toBeNull();
    await fill('r', 200);
    const picks = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const k = await r.randomkey();
      expect(k).toMatch(/^r\d+$/);
      picks.add(k as string);
    }
    expect(picks.size).toBeGreaterThan(50);
    await r.flushall();
    const p = r.pipeline();
    for (let i = 0; i < 100; i++) p.set(`vol${i}`, 'v', 'PX', 20);
    p.set('stay', 'v');
    await p.exec();
    const deadline = Date.now() + 5000;
    while ((await r.pttl('vol99')) > 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 5));
    for (let i = 0; i < 50; i++) expect(await r.randomkey()).toBe('stay');
    await r.del('stay');
    await r.set('last', 'v', 'PX', 1);
    while ((await r.pttl('last')) > 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 5));
    expect(await r.randomkey()).toBeNull();
    expect(await r.dbsize()).toBe(0);
  });

  it('TTL and PTTL report the remaining time', async () => {
    await r.flushall();
    await r.set('k', 'v');
    expect(await r.expire('k', 100)).toBe(1);
    const ttl = await r.ttl('k');
    const pttl = await r.pttl('k');
    expect(ttl).toBeGreaterThanOrEqual(99);
    expect(ttl).toBeLessThanOrEqual(100);
    expect(pttl).toBeGreaterThan(98000);
    expect(pttl).toBeLessThanOrEqual(100000);
    await r.pexpire('k', 1500);
    expect([1, 2]).toContain(await r.ttl('k'));
    const before = Date.now();
    await r.expire('k', 50);
    const at = await r.pexpiretime('k');
    expect(at).toBeGreaterThanOrEqual(before + 50000 - 5);
    expect(at).toBeLessThanOrEqual(Date.now() + 50000);
    expect(await r.expiretime('k')).toBe(Math.floor((at + 500) / 1000));
  });

  it('OBJECT IDLETIME counts seconds since the last access, and an access resets it', async () => {
    await r.flushall();
    await r.set('idle', 'v');
    // At least 2.1 s pass, so at least 2 whole seconds are counted whatever the load.
    await new Promise((res) => setTimeout(res, 2100));
    const idle = (await r.object('IDLETIME', 'idle')) as number;
    expect(idle).toBeGreaterThanOrEqual(2);
    // OBJECT itself does not touch the key.
    expect((await r.object('IDLETIME', 'idle')) as number).toBeGreaterThanOrEqual(idle);
    await r.get('idle');
    expect((await r.object('IDLETIME', 'idle')) as number).toBeLessThan(idle);
    expect(await r.object('IDLETIME', 'nosuch')).toBeNull();
  });
});


describe(
  'OBJECT IDLETIME end to end',
  () => {
    let srv: ServerProcess;
    let r: Redis;
    beforeAll(async () => {
      srv = await startServer();
      r = srv.client();
    });
    afterAll(async () => {
      await srv?.stop();
    });

    it('grows while untouched, resets on access, not on TTL/TYPE/EXISTS/OBJECT', async () => {
      await r.set('a', 'v');
      await new Promise((res) => setTimeout(res, 2100));
      await r.ttl('a');
      await r.type('a');
      await r.exists('a');
      await r.object('ENCODING', 'a');
      expect(await r.object('IDLETIME', 'a')).toBeGreaterThanOrEqual(2);
      await r.get('a');
      expect(await r.object('IDLETIME', 'a')).toBe(0);
    });
  },
);

describe('what keyspace commands propagate', () => {
  it('EXPIRE, PEXPIRE and EXPIREAT become PEXPIREAT with the absolute time, flags kept', () => {
    const { server, run, take } = inProcess();
    run('SET', 'k', 'v');
    take();
    const t0 = Date.now();
    expect(run('EXPIRE', 'k', '100')).toBe(':1\r\n');
    let [e] = take();
    expect(e.slice(0, 2)).toEqual(['db0', 'PEXPIREAT']);
    expect(e[2]).toBe('k');
    expect(Number(e[3])).toBeGreaterThanOrEqual(t0 + 100000);
    expect(Number(e[3])).toBeLessThanOrEqual(Date.now() + 100000);
    expect(Number(e[3])).toBe(server.dbs[0].getExpire('k'));
    expect(run('PEXPIRE', 'k', '5000', 'gt')).toBe(':0\r\n');
    expect(take()).toEqual([]);
    expect(run('PEXPIRE', 'k', '5000', 'lt')).toBe(':1\r\n');
    [e] = take();
    expect([e[1], e[2], e[4]]).toEqual(['PEXPIREAT', 'k', 'lt']);
    expect(run('EXPIREAT', 'k', '4102444800')).toBe(':1\r\n');
    expect(take()).toEqual([['db0', 'PEXPIREAT', 'k', '4102444800000']]);
    expect(run('pexpireat', 'k', '4102444800001', 'XX')).toBe(':1\r\n');
    expect(take()).toEqual([['db0', 'pexpireat', 'k', '4102444800001', 'XX']]);
    expect(run('EXPIRE', 'nosuch', '10')).toBe(':0\r\n');
    expect(run('EXPIRE', 'k', '10', 'NX', 'XX')).toMatch(/^-ERR NX and XX/);
    expect(take()).toEqual([]);
  });

  it('an expire time in the past propagates DEL (UNLINK with lazyfree-lazy-expire)', () => {
    const { server, run, take } = inProcess();
    run('SET', 'k', 'v');
    take();
    expect(run('EXPIRE', 'k', '-1')).toBe(':1\r\n');
    expect(take()).toEqual([['db0', 'DEL', 'k']]);
    expect(server.dbs[0].dict.has('k')).toBe(false);
    server.config.v['lazyfree-lazy-expire'] = true;
    run('SET', 'k', 'v');
    take();
    expect(run('PEXPIREAT', 'k', '1')).toBe(':1\r\n');
    expect(take()).toEqual([['db0', 'UNLINK', 'k']]);
  });

  it('DEL, UNLINK, RENAME, COPY, MOVE, PERSIST propagate as called; no-ops and reads do not', () => {
    const { run, take } = inProcess();
    run('SET', 'a', '1');
    run('SET', 'b', '2');
    take();
    expect(run('UNLINK', 'a', 'nosuch')).toBe(':1\r\n');
    expect(take()).toEqual([['db0', 'UNLINK', 'a', 'nosuch']]);
    expect(run('DEL', 'nosuch')).toBe(':0\r\n');
    expect(run('RENAMENX', 'b', 'b')).toBe(':0\r\n');
    expect(run('PERSIST', 'b')).toBe(':0\r\n');
    run('EXISTS', 'b');
    run('TTL', 'b');
    run('TOUCH', 'b');
    run('KEYS', '*');
    run('SCAN', '0');
    run('RANDOMKEY');
    run('OBJECT', 'ENCODING', 'b');
    expect(take()).toEqual([]);
    expect(run('RENAME', 'b', 'c')).toBe('+OK\r\n');
    expect(run('COPY', 'c', 'd', 'DB', '2')).toBe(':1\r\n');
    expect(run('MOVE', 'c', '3')).toBe(':1\r\n');
    expect(take()).toEqual([
      ['db0', 'RENAME', 'b', 'c'],
      ['db0', 'COPY', 'c', 'd', 'DB', '2'],
      ['db0', 'MOVE', 'c', '3'],
    ]);
    run('SET', 'p', 'v', 'EX', '100');
    take();
    expect(run('PERSIST', 'p')).toBe(':1\r\n');
    expect(take()).toEqual([['db0', 'PERSIST', 'p']]);
  });

  it('a key found expired by DEL is deleted by expiry: one DEL, DEL itself not propagated', () => {
    const { server, run, take, clock } = inProcess();
    run('SET', 'k', 'v', 'PX', '1');
    take();
    clock.set(server.dbs[0].getExpire('k') + 1);
    expect(run('DEL', 'k')).toBe(':0\r\n');
    expect(take()).toEqual([['db0', 'DEL', 'k']]);
  });

  it('dirty counts the changes', () => {
    const { server, run } = inProcess();
    run('SET', 'a', '1');
    run('SET', 'b', '2');
    run('SET', 'c', '3');
    const d0 = server.dirty;
    run('DEL', 'a', 'b', 'nosuch');
    expect(server.dirty - d0).toBe(2);
    run('EXPIRE', 'c', '100');
    run('PERSIST', 'c');
    run('EXPIRE', 'c', '-1');
    expect(server.dirty - d0).toBe(5);
  });
});

describe('scan cursors (unit)', () => {
  it('parses cursors as strtoul does', () => {
    expect(parseScanCursor('0')).toBe(0);
    expect(parseScanCursor('')).toBe(0);
    expect(parseScanCursor('\x00junk')).toBe(0);
    expect(parseScanCursor('5\x00junk')).toBe(5);
    expect(parseScanCursor('+7')).toBe(7);
    expect(parseScanCursor('-0')).toBe(0);
    expect(parseScanCursor('007')).toBe(7);
    expect(parseScanCursor('-1')).toBe(-1);
    expect(parseScanCursor('18446744073709551615')).toBe(-1);
    expect(parseScanCursor('18446744073709551616')).toBeNull();
    expect(parseScanCursor(' 1')).toBeNull();
    expect(parseScanCursor('1 ')).toBeNull();
    expect(parseScanCursor('-')).toBeNull();
    expect(parseScanCursor('0x10')).toBeNull();
  });

  it('iterates a Set, evicts the least recently used cursor, and restarts unknown ones', () => {
    const t = new ScanCursorTable(2);
    const s = new Set(['a', 'b', 'c', 'd']);
    const out: string[] = [];
    const c1 = t.step(0, s, 1, out);
    const c2 = t.step(0, s, 2, out);
    const c3 = t.step(0, s, 3, out);
    expect(t.size).toBe(2);
    expect(out).toEqual(['a', 'a', 'b', 'a', 'b', 'c']);
    out.length = 0;
    // c1 was evicted: it restarts from the beginning.
    expect(t.step(c1, s, 4, out)).toBe(0);
    expect(out).toEqual(['a', 'b', 'c', 'd']);
    out.length = 0;
    // The read-ahead element is skipped if deleted meanwhile.
    s.delete('c');
    expect(t.step(c2, s, 10, out)).toBe(0);
    expect(out).toEqual(['d']);
    out.length = 0;
    // A cursor used with another collection restarts on that one.
    expect(t.step(c3, new Set(['x']), 10, out)).toBe(0);
    expect(out).toEqual(['x']);
    expect(t.size).toBe(0);
  });
});

describe('object info (unit)', () => {
  it('string encodings follow tryObjectEncoding', () => {
    expect(stringEncoding('123')).toBe('int');
    expect(stringEncoding('-9223372036854775808')).toBe('int');
    expect(stringEncoding('9223372036854775808')).toBe('embstr');
    expect(stringEncoding('0123')).toBe('embstr');
    expect(stringEncoding('x'.repeat(44))).toBe('embstr');
    expect(stringEncoding('x'.repeat(45))).toBe('raw');
    const cfg = new Config();
    expect(objectEncoding({ type: 'list' } as never, cfg)).toBe('quicklist');
    expect(objectEncoding({ type: 'hash', encoding: () => 'listpack' } as never, cfg)).toBe('listpack');
  });

  it('duplicates collections deeply, keeping classes and shared structure', () => {
    class Box {
      readonly type = 'list' as const;
      items = ['a', 'b'];
      index = new Map([['a', { n: 1 }]]);
      self: Box | null = null;
      first(): string {
        return this.items[0];
      }
    }
    const b = new Box();
    b.self = b;
    const d = duplicateValue(b as never) as unknown as Box;
    expect(d).toBeInstanceOf(Box);
    expect(d.first()).toBe('a');
    expect(d.self).toBe(d);
    d.items.push('c');
    d.index.get('a')!.n = 2;
    expect(b.items).toEqual(['a', 'b']);
    expect(b.index.get('a')!.n).toBe(1);
    expect(duplicateValue({ type: 'set', dup: () => ({ type: 'set', mine: true }) } as never)).toEqual({ type: 'set', mine: true });
  });

  it('the access clock: LRU seconds, LFU counters with decay, carried by RENAME/MOVE', () => {
    const clock = new AccessClock();
    const hooks = {
      now: 0,
      expireEnabled: true,
      expirePaused: false,
      fromMaster: false,
      keyspaceHits: 0,
      keyspaceMisses: 0,
      keyExpired() {},
      keyCreated() {},
      keyMissed() {},
      trackingActive: false,
      keyModified() {},
      replicaKeyWithExpire() {},
      writableReplica: false,
      dbFlushed() {},
      access: clock,
      memory: new KeyspaceMemory(() => 0),
    };
    const db = new Database(0, hooks as KeyspaceHooks);
    const other = new Database(1, hooks as KeyspaceHooks);
    // The LRU clock ticks on whole seconds, as Redis's does.
    const t0 = Math.floor(Date.now() / 1000) * 1000;
    clock.add(db, 'k', t0);
    expect(clock.idleSeconds(db, 'k', t0 + 999)).toBe(0);
    expect(clock.idleSeconds(db, 'k', t0 + 5000)).toBeGreaterThanOrEqual(4);
    clock.lookup(db, 'k', t0 + 5000);
    expect(clock.idleSeconds(db, 'k', t0 + 5000)).toBe(0);
    clock.noTouch = true;
    clock.lookup(db, 'k', t0 + 9000);
    clock.noTouch = false;
    expect(clock.idleSeconds(db, 'k', t0 + 9000)).toBeGreaterThanOrEqual(3);
    clock.carry(db, 'k', other, 'moved');
    expect(clock.idleSeconds(other, 'moved', t0 + 9000)).toBe(clock.idleSeconds(db, 'k', t0 + 9000));
    clock.remove(db, 'k');
    expect(clock.recordCount(db)).toBe(0);
    clock.clear(other);
    expect(clock.recordCount(other)).toBe(0);

    clock.lfu = true;
    try {
      clock.add(db, 'f', t0);
      expect(clock.frequency(db, 'f', t0)).toBe(5);
      // Overwriting keeps the counter under LFU (dbOverwrite).
      for (let i = 0; i < 1000; i++) clock.lookup(db, 'f', t0);
      const hot = clock.frequency(db, 'f', t0);
      expect(hot).toBeGreaterThan(5);
      expect(hot).toBeLessThan(255);
      clock.set(db, 'f', t0);
      expect(clock.frequency(db, 'f', t0)).toBe(hot);
      // One step of decay per lfu-decay-time (1) minute idle.
      expect(clock.frequency(db, 'f', t0 + 3 * 60000 + 1)).toBeLessThanOrEqual(hot - 2);
      expect(clock.frequency(db, 'f', t0 + 300 * 60000)).toBe(0);
    } finally {
      clock.lfu = false;
    }
  });
});
