// Differential: maxmemory past its limit (noeviction: -OOM for commands that may grow
// memory, in MULTI, and for scripts by their flags), WATCH of keys already expired at
// WATCH time, and EXEC on a replica that went stale after queueing; byte for byte like
// redis-server 7.0, in RESP2 and RESP3.
import { expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { describeDifferential, expectSame, lines } from '../helpers/diff.js';

describeDifferential('maxmemory, stale WATCH and stale EXEC vs redis-server', { args: ['--enable-debug-command', 'yes'] }, (pair) => {
  it('-OOM once used memory is over maxmemory: writes, MULTI, scripts by their flags', async () => {
    await expectSame(
      pair,
      lines(`
        SET k v
        CONFIG SET maxmemory 1
        SET k2 v
        GET k
        INCR counter
        DEL k
        MULTI
        GET k
        EXEC
        MULTI
        SET k3 v
        EXEC
        EVAL "return redis.call('set','x','y')" 0
        EVAL "return redis.pcall('set','x','y')" 0
        EVAL "return redis.call('get','k')" 0
        EVAL "#!lua\\nreturn redis.call('get','k')" 0
        EVAL "#!lua flags=no-writes\\nreturn redis.call('get','k')" 0
        EVAL "#!lua flags=allow-oom\\nreturn redis.call('set','x','y')" 0
        FUNCTION LOAD "#!lua name=oomlib\\nredis.register_function('f', function() return 1 end)"
        CONFIG SET maxmemory 0
        SET k4 v
        INFO errorstats
      `),
    );
  });

  it('WATCH of a key already expired at WATCH time: deleting, flushing or swapping it is no change', async () => {
    await expectSame(
      pair,
      lines(`
        FLUSHALL
        DEBUG SET-ACTIVE-EXPIRE 0
        SET x foo PX 1
        DEBUG SLEEP 0.01
        WATCH x
        EXISTS x
        MULTI
        PING
        EXEC
        SET x foo PX 1
        DEBUG SLEEP 0.01
        WATCH x
        FLUSHDB
        MULTI
        PING
        EXEC
        SELECT 1
        SET x foo PX 1
        DEBUG SLEEP 0.01
        SELECT 0
        WATCH x
        SWAPDB 0 1
        MULTI
        PING
        EXEC
        SET x live
        WATCH x
        EXISTS x
        SET x changed
        MULTI
        PING
        EXEC
        DEBUG SET-ACTIVE-EXPIRE 1
        FLUSHALL
      `),
    );
  });

  it('EXEC on a replica that went stale after queueing is refused if a queued command is not allowed stale', async () => {
    // Both servers get the same sequence; REPLICAOF comes from a second connection.
    const run = async (port: number): Promise<string[]> => {
      const a = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: true });
      const b = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
      await a.connect();
      await b.connect();
      const out: string[] = [];
      const exec = async (): Promise<void> => {
        try {
          out.push(JSON.stringify(await a.call('EXEC')));
        } catch (e) {
          out.push((e as Error).message);
        }
      };
      try {
        await a.call('CONFIG', 'SET', 'replica-serve-stale-data', 'no');
        await a.call('SET', 'xx', '1');
        for (const queued of [['GET', 'xx'], ['PING']]) {
          await a.call('MULTI');
          await a.call(queued[0], ...queued.slice(1));
          await b.call('REPLICAOF', '127.0.0.1', '1');
          await exec();
          await b.call('REPLICAOF', 'NO', 'ONE');
        }
        // Not stale: a queued GET runs.
        await a.call('MULTI');
        await a.call('GET', 'xx');
        await exec();
        await a.call('CONFIG', 'SET', 'replica-serve-stale-data', 'yes');
      } finally {
        a.disconnect();
        b.disconnect();
      }
      return out;
    };
    expect(await run(pair.ours.port)).toEqual(await run(pair.real.port));
  });
});
