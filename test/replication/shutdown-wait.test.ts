// SHUTDOWN as 7.0: a master with a lagging replica pauses writes and waits (up to
// shutdown-timeout) for it to catch up before exiting; NOW does not wait; ABORT cancels.
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, skipWithoutRealRedis, type ServerProcess } from '../helpers/server.js';
import { waitInSync } from '../helpers/replication.js';

const skip = skipWithoutRealRedis();
const running: ServerProcess[] = [];
const stopped: number[] = [];

afterEach(async () => {
  for (const pid of stopped.splice(0)) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // already gone
    }
  }
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

async function pair(realReplica: boolean, masterArgs: string[] = []): Promise<{ master: ServerProcess; replica: ServerProcess }> {
  const master = await startServer({ args: masterArgs });
  running.push(master);
  const replica = await startServer({ real: realReplica, args: ['--replicaof', '127.0.0.1', String(master.port)] });
  running.push(replica);
  await waitInSync(master.client(), replica.client());
  return { master, replica };
}

function freeze(s: ServerProcess): void {
  process.kill(s.pid, 'SIGSTOP');
  stopped.push(s.pid);
}

function thaw(s: ServerProcess): void {
  process.kill(s.pid, 'SIGCONT');
  stopped.splice(stopped.indexOf(s.pid), 1);
}

for (const realReplica of [false, true]) {
  const kind = realReplica ? 'redis-server' : 'redis-ts';
  describe.skipIf(realReplica && skip !== null)(`SHUTDOWN with a lagging ${kind} replica${realReplica && skip ? ` (skipped: ${skip})` : ''}`, () => {
    it('waits for the replica to catch up, holding writes, then exits with the replica in sync', async () => {
      const { master, replica } = await pair(realReplica);
      const m = master.client();
      freeze(replica);
      await m.set('last', 'write');
      // INFO tells how far the frozen replica is behind, after Redis's own fields.
      const slave0 = (await m.info('replication')).split('\r\n').find((l) => l.startsWith('slave0:')) ?? '';
      expect(slave0).toMatch(/^slave0:ip=127\.0\.0\.1,port=\d+,state=online,offset=\d+,lag=\d+,lag_bytes=[1-9]\d*,lag_seconds=\d+\.\d{3},last_ack_ms=\d+$/);
      void master.client().call('SHUTDOWN').catch(() => undefined);
      await master.waitForOutput('Waiting for replicas before shutting down.', 5000);
      // Reads are served, writes wait.
      expect(await m.get('last')).toBe('write');
      let writeDone = false;
      void master
        .client()
        .set('held', '1')
        .then(() => (writeDone = true))
        .catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(writeDone).toBe(false);
      thaw(replica);
      expect(await master.exited).toBe(0);
      expect(master.output()).toContain('1 of 1 replicas are in sync when shutting down.');
      expect(await replica.client().get('last')).toBe('write');
    });
  });
}

describe('SHUTDOWN NOW, ABORT and shutdown-timeout', () => {
  it('NOW exits at once although a replica lags', async () => {
    const { master, replica } = await pair(false);
    freeze(replica);
    await master.client().set('k', 'v');
    void master.client().call('SHUTDOWN', 'NOW').catch(() => undefined);
    expect(await master.exited).toBe(0);
    expect(master.output()).not.toContain('Waiting for replicas');
  });

  it('ABORT cancels the wait: the waiting SHUTDOWN gets an error and writes resume', async () => {
    const { master, replica } = await pair(false);
    const m = master.client();
    freeze(replica);
    await m.set('k', 'v');
    const shutdown = master.client().call('SHUTDOWN').catch((e: Error) => e.message);
    await master.waitForOutput('Waiting for replicas before shutting down.', 5000);
    await expect(m.call('SHUTDOWN', 'ABORT')).resolves.toBe('OK');
    expect(await shutdown).toBe('ERR Errors trying to SHUTDOWN. Check logs.');
    expect(await m.set('after', 'abort')).toBe('OK');
    await expect(m.call('SHUTDOWN', 'ABORT')).rejects.toThrow('ERR No shutdown in progress.');
    expect(master.output()).toContain('Shutdown manually aborted.');
  });

  it('gives up after shutdown-timeout and names the lagging replica', async () => {
    const { master, replica } = await pair(false, ['--shutdown-timeout', '1']);
    freeze(replica);
    await master.client().set('k', 'v');
    void master.client().call('SHUTDOWN').catch(() => undefined);
    expect(await master.exited).toBe(0);
    expect(master.output()).toMatch(/Lagging replica .* reported offset \d+ behind master/);
    expect(master.output()).toContain('0 of 1 replicas are in sync when shutting down.');
  });
});
