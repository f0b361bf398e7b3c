// FAILOVER from a redis-ts master to a redis-ts replica and to a redis-server replica:
// writes held during the handover, roles swapped, the old master continuing with a
// partial resync, the same data everywhere; the errors FAILOVER gives; ABORT.
import { afterEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startServer, skipWithoutRealRedis, type ServerProcess } from '../helpers/server.js';
import { replInfo, statsInfo, waitFor, waitInSync } from '../helpers/replication.js';

const skip = skipWithoutRealRedis();
const running: ServerProcess[] = [];
const debugArgs = ['--enable-debug-command', 'yes'];

async function start(real: boolean, args: string[] = []): Promise<ServerProcess> {
  const s = await startServer({ real, args: [...debugArgs, ...args] });
  running.push(s);
  return s;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

async function role(r: Redis): Promise<string> {
  return (await replInfo(r)).role;
}

for (const realTarget of [false, true]) {
  const target = realTarget ? 'redis-server' : 'redis-ts';
  describe.skipIf(realTarget && skip !== null)(`FAILOVER to a ${target} replica${realTarget && skip ? ` (skipped: ${skip})` : ''}`, () => {
    it('hands the master role over; the old master continues as its replica with a partial resync', async () => {
      const master = await start(false);
      const replica = await start(realTarget, ['--replicaof', '127.0.0.1', String(master.port)]);
      const m = master.client();
      const r = replica.client();
      for (let i = 0; i < 100; i++) await m.set(`k${i}`, String(i));
      await waitInSync(m, r);
      const psyncsBefore = Number((await statsInfo(r)).sync_partial_ok);
      expect(await m.call('FAILOVER', 'TO', '127.0.0.1', String(replica.port))).toBe('OK');
      await waitFor('the failover ends', async () => (await replInfo(m)).master_failover_state === 'no-failover', 20000);
      expect(await role(m)).toBe('slave');
      expect(await role(r)).toBe('master');
      await waitInSync(r, m);
      expect(Number((await statsInfo(r)).sync_partial_ok) - psyncsBefore).toBe(1);
      // Writes now go to the new master and reach the old one.
      await r.set('after', 'failover');
      await waitInSync(r, m);
      expect(await m.get('after')).toBe('failover');
      expect(await m.debug('DIGEST')).toBe(await r.debug('DIGEST'));
      await expect(m.set('x', '1')).rejects.toThrow(/READONLY/);
    });
  });
}

describe('FAILOVER errors and ABORT', () => {
  it('answers as Redis 7.0 does, and ABORT resumes writes', async () => {
    const master = await start(false);
    const m = master.client();
    await expect(m.call('FAILOVER')).rejects.toThrow('ERR FAILOVER requires connected replicas.');
    await expect(m.call('FAILOVER', 'ABORT')).rejects.toThrow('ERR No failover in progress.');
    const replica = await start(false, ['--replicaof', '127.0.0.1', String(master.port)]);
    const r = replica.client();
    await m.set('k', 'v');
    await waitInSync(m, r);
    await expect(m.call('FAILOVER', 'TO', '127.0.0.1', '1')).rejects.toThrow('ERR FAILOVER target HOST and PORT is not a replica.');
    await expect(m.call('FAILOVER', 'TIMEOUT', '100', 'FORCE')).rejects.toThrow(
      'ERR FAILOVER with force option requires both a timeout and target HOST and IP.',
    );
    await expect(m.call('FAILOVER', 'TIMEOUT', '0')).rejects.toThrow('ERR FAILOVER timeout must be greater than 0');
    await expect(m.call('FAILOVER', 'BOGUS')).rejects.toThrow('ERR syntax error');
    await expect(r.call('FAILOVER')).rejects.toThrow('ERR FAILOVER is not valid when server is a replica.');
    // The replica never acknowledges: the failover waits, holding writes but not reads.
    await r.call('CLIENT', 'PAUSE', '100000', 'WRITE');
    await m.set('pending', '1');
    expect(await m.call('FAILOVER', 'TO', '127.0.0.1', String(replica.port), 'TIMEOUT', '60000')).toBe('OK');
    expect((await replInfo(m)).master_failover_state).toBe('waiting-for-sync');
    await expect(m.call('REPLICAOF', 'NO', 'ONE')).rejects.toThrow('ERR REPLICAOF not allowed while failing over.');
    expect(await m.get('k')).toBe('v');
    const writer = master.client();
    const held = writer.set('held', 'yes');
    expect(await m.call('FAILOVER', 'ABORT')).toBe('OK');
    expect(await held).toBe('OK');
    expect((await replInfo(m)).master_failover_state).toBe('no-failover');
    expect(await role(m)).toBe('master');
    await r.call('CLIENT', 'UNPAUSE');
    await waitInSync(m, r);
    expect(await r.get('held')).toBe('yes');
  });
});
