// MIGRATE between redis-ts and redis-server in both directions: single keys and KEYS,
// COPY, REPLACE, TTLs, AUTH2, the errors Redis gives, and the DEL a move propagates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startServer, skipWithoutRealRedis, type ServerProcess } from '../helpers/server.js';
import { waitInSync } from '../helpers/replication.js';

const skip = skipWithoutRealRedis();

describe.skipIf(skip !== null)(`MIGRATE${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let ours: ServerProcess;
  let oursReplica: ServerProcess;
  let real: ServerProcess;
  let o: Redis;
  let r: Redis;
  beforeAll(async () => {
    ours = await startServer();
    real = await startServer({ real: true, args: ['--enable-debug-command', 'yes'] });
    oursReplica = await startServer({ args: ['--replicaof', '127.0.0.1', String(ours.port)] });
    o = ours.client();
    r = real.client();
  });
  afterAll(async () => {
    await Promise.all([ours?.stop(), real?.stop(), oursReplica?.stop()]);
  });

  it('moves keys of every type to redis-server, with their TTLs, and deletes them here (and on replicas)', async () => {
    await o.flushall();
    await r.flushall();
    await o.set('s', 'v');
    await o.rpush('l', 'a', 'b', 'c');
    await o.hset('h', 'f', '1', 'g', '2');
    await o.sadd('set', 'x', 'y');
    await o.zadd('z', 1, 'one', 2, 'two');
    await o.xadd('st', '1-1', 'k', 'v');
    await o.set('ttl', 'v', 'EX', 1000);
    const rep = oursReplica.client();
    await waitInSync(o, rep);
    const digestBefore = await o.debug('DIGEST');
    expect(await o.migrate('127.0.0.1', real.port, 's', 0, 1000)).toBe('OK');
    expect(await o.migrate('127.0.0.1', real.port, '', 0, 1000, 'KEYS', 'l', 'h', 'set', 'z', 'st', 'ttl', 'missing')).toBe('OK');
    expect(await o.dbsize()).toBe(0);
    expect(await r.dbsize()).toBe(7);
    expect(await r.debug('DIGEST')).toBe(digestBefore);
    const ttl = await r.ttl('ttl');
    expect(ttl).toBeGreaterThan(990);
    await waitInSync(o, rep);
    expect(await rep.dbsize()).toBe(0);
  });

  it('NOKEY, COPY, REPLACE, BUSYKEY, a wrong KEYS form and an unreachable target answer as Redis does', async () => {
    await o.flushall();
    await r.flushall();
    expect(await o.migrate('127.0.0.1', real.port, 'nokey', 0, 1000)).toBe('NOKEY');
    await o.set('k', 'one');
    expect(await o.migrate('127.0.0.1', real.port, 'k', 3, 1000, 'COPY')).toBe('OK');
    expect(await o.get('k')).toBe('one');
    await o.set('k', 'two');
    await expect(o.migrate('127.0.0.1', real.port, 'k', 3, 1000, 'COPY')).rejects.toThrow('ERR Target instance replied with error: BUSYKEY Target key name already exists.');
    expect(await o.migrate('127.0.0.1', real.port, 'k', 3, 1000, 'REPLACE')).toBe('OK');
    expect(await o.exists('k')).toBe(0);
    await r.select(3);
    expect(await r.get('k')).toBe('two');
    await r.select(0);
    await o.set('k', 'v');
    await expect(o.migrate('127.0.0.1', real.port, 'k', 0, 1000, 'KEYS', 'k')).rejects.toThrow(
      'ERR When using MIGRATE KEYS option, the key argument must be set to the empty string',
    );
    await expect(o.call('MIGRATE', '127.0.0.1', String(real.port), 'k', '0', '1000', 'BOGUS')).rejects.toThrow('ERR syntax error');
    // Nothing listens on port 1 on the loopback interface.
    await expect(o.migrate('127.0.0.1', 1, 'k', 0, 300)).rejects.toThrow(/^IOERR error or timeout/);
    expect(await o.get('k')).toBe('v');
  });

  it('AUTH2 reaches a password-protected target, and is redacted in SLOWLOG', async () => {
    await o.flushall();
    await r.flushall();
    await r.config('SET', 'requirepass', 'secret');
    try {
      await o.set('k', 'v');
      await o.config('SET', 'slowlog-log-slower-than', '0');
      await expect(o.migrate('127.0.0.1', real.port, 'k', 0, 1000)).rejects.toThrow(/NOAUTH/);
      expect(await o.migrate('127.0.0.1', real.port, 'k', 0, 1000, 'AUTH2', 'default', 'secret')).toBe('OK');
      const log = JSON.stringify(await o.slowlog('GET', 5));
      expect(log).not.toContain('secret');
      expect(log).toContain('(redacted)');
    } finally {
      await o.config('SET', 'slowlog-log-slower-than', '10000');
      await r.auth('secret');
      await r.config('SET', 'requirepass', '');
    }
  });

  it('redis-server migrates to redis-ts', async () => {
    await o.flushall();
    await r.flushall();
    await r.rpush('list', 'a', 'b');
    await r.set('str', 'x', 'PX', 500000);
    const digest = await r.debug('DIGEST');
    expect(await r.migrate('127.0.0.1', ours.port, '', 0, 1000, 'KEYS', 'list', 'str')).toBe('OK');
    expect(await r.dbsize()).toBe(0);
    expect(await o.debug('DIGEST')).toBe(digest);
    expect(await o.pttl('str')).toBeGreaterThan(400000);
  });
});
