// A writable replica (replica-read-only no) expires the TTL keys its own clients
// wrote, since its master never sends their DEL (Redis 7.0's expireSlaveKeys); keys
// from the master still wait for the master's DEL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, skipWithoutRealRedis, type ServerProcess } from '../helpers/server.js';
import { statsInfo, waitFor, waitInSync } from '../helpers/replication.js';

const skip = skipWithoutRealRedis();

for (const realMaster of [false, true]) {
  const title = `writable redis-ts replica of ${realMaster ? 'redis-server' : 'redis-ts'}`;
  describe.skipIf(realMaster && skip !== null)(`${title}${realMaster && skip ? ` (skipped: ${skip})` : ''}`, () => {
    let master: ServerProcess;
    let replica: ServerProcess;
    beforeAll(async () => {
      master = await startServer({ real: realMaster, args: ['--enable-debug-command', 'yes'] });
      replica = await startServer({ args: ['--replicaof', '127.0.0.1', String(master.port), '--replica-read-only', 'no'] });
    });
    afterAll(async () => {
      await Promise.all([master?.stop(), replica?.stop()]);
    });

    it('expires the keys with a TTL written on the replica itself', async () => {
      const m = master.client();
      const r = replica.client();
      await m.set('from-master', 'v');
      await waitInSync(m, r);
      await r.set('local1', 'v', 'PX', 200);
      await r.set('local2', 'v');
      await r.pexpire('local2', 200);
      expect(await r.dbsize()).toBe(3);
      const before = Number((await statsInfo(r)).expired_keys);
      await waitFor('the replica expired its own keys', async () => (await r.dbsize()) === 1, 5000);
      expect(Number((await statsInfo(r)).expired_keys) - before).toBe(2);
      expect(await r.get('from-master')).toBe('v');
      // A key the master gave a TTL stays (logically expired) until the master's DEL.
      await m.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
      await m.set('master-ttl', 'v', 'PX', 100);
      await waitInSync(m, r);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await r.exists('master-ttl')).toBe(0);
      expect(await r.dbsize()).toBe(2);
      // A write replaces such a key: INCR starts from nothing, without the old TTL.
      await m.set('counter', '41', 'PX', 100);
      await waitInSync(m, r);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await r.incr('counter')).toBe(1);
      expect(await r.ttl('counter')).toBe(-1);
      await r.del('counter');
      await m.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
      await waitFor('the master deleted it and told the replica', async () => (await r.dbsize()) === 1, 5000);
    });
  });
}
