// CLIENT PAUSE WRITE on a redis-ts replica holds its master's writes too: the stream is
// read (slave_read_repl_offset moves) but not applied (slave_repl_offset and the data
// stand still) until the pause ends, as Redis 7.0 does. Masters: redis-ts and redis-server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startServer, skipWithoutRealRedis, type ServerProcess } from '../helpers/server.js';
import { replInfo, waitFor, waitInSync } from '../helpers/replication.js';

const skip = skipWithoutRealRedis();

for (const realMaster of [false, true]) {
  const title = `CLIENT PAUSE WRITE on a replica of ${realMaster ? 'redis-server' : 'redis-ts'}`;
  describe.skipIf(realMaster && skip !== null)(`${title}${realMaster && skip ? ` (skipped: ${skip})` : ''}`, () => {
    let master: ServerProcess;
    let replica: ServerProcess;
    beforeAll(async () => {
      master = await startServer({ real: realMaster });
      replica = await startServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    });
    afterAll(async () => {
      await Promise.all([master?.stop(), replica?.stop()]);
    });

    it('reads the master stream but applies nothing until UNPAUSE', async () => {
      const m: Redis = master.client();
      const r: Redis = replica.client();
      await m.set('foo', 'bar');
      await waitInSync(m, r);
      expect(await r.call('CLIENT', 'PAUSE', '100000', 'WRITE')).toBe('OK');
      await m.set('foo2', 'bar2');
      const target = Number((await replInfo(m)).master_repl_offset);
      await waitFor('the replica read the write', async () => Number((await replInfo(r)).slave_read_repl_offset) === target, 10000);
      // Everything before the held SET is applied (a SELECT may precede it, and is not a write).
      const held = '*3\r\n$3\r\nset\r\n$4\r\nfoo2\r\n$4\r\nbar2\r\n'.length;
      expect(Number((await replInfo(r)).slave_repl_offset)).toBe(target - held);
      expect(await r.get('foo2')).toBeNull();
      expect(await r.call('CLIENT', 'UNPAUSE')).toBe('OK');
      await waitFor('the write is applied', async () => Number((await replInfo(r)).slave_repl_offset) === target, 10000);
      expect(await r.get('foo2')).toBe('bar2');
    });
  });
}
