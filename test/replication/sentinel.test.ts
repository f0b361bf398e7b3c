// redis-sentinel (Debian's redis-server in sentinel mode) monitors a redis-ts master,
// discovers its redis-ts replica, and fails over to it when the master dies.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, realRedisServer, skipWithoutRealRedis, startServer, type ServerProcess } from '../helpers/server.js';
import { waitFor, waitInSync } from '../helpers/replication.js';

const skip = skipWithoutRealRedis();
const started: ServerProcess[] = [];
let sentinel: ChildProcess | null = null;

afterEach(async () => {
  if (sentinel !== null && sentinel.exitCode === null) {
    const exited = new Promise((r) => sentinel!.once('exit', r));
    sentinel.kill('SIGKILL');
    await exited;
  }
  sentinel = null;
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

describe.skipIf(skip !== null)(`Sentinel failover with redis-ts${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('promotes the redis-ts replica when the redis-ts master goes down', async () => {
    const master = await startServer({ args: ['--repl-diskless-sync-delay', '0'] });
    started.push(master);
    const replica = await startServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    started.push(replica);
    const m = master.client();
    await m.set('kept', 'across failover');
    await waitInSync(m, replica.client());

    const dir = mkdtempSync(join(tmpdir(), 'sentinel-'));
    const port = await freePort();
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor mym 127.0.0.1 ${master.port} 1`,
        'sentinel down-after-milliseconds mym 1000',
        'sentinel failover-timeout mym 5000',
        '',
      ].join('\n'),
    );
    sentinel = spawn(realRedisServer()!, [conf, '--sentinel'], { stdio: 'ignore' });
    const s = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1, retryStrategy: (n) => Math.min(n * 50, 500) });
    // Until sentinel listens, connection attempts fail: the waits below retry.
    s.on('error', () => {});
    try {
      // Sentinel refreshes INFO every 10 seconds: that is how it finds the replica.
      await waitFor(
        'sentinel to discover the replica',
        async () => {
          const info = (await s.call('SENTINEL', 'MASTER', 'mym')) as string[];
          return info[info.indexOf('num-slaves') + 1] === '1';
        },
        30000,
      );
      await master.stop();
      await waitFor(
        'the failover',
        async () => {
          const addr = (await s.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mym')) as string[];
          return addr[1] === String(replica.port);
        },
        30000,
      );
      const r = replica.client();
      await waitFor('the replica to be a master', async () => ((await r.role()) as string[])[0] === 'master');
      expect(await r.get('kept')).toBe('across failover');
      expect(await r.set('writable', 'yes')).toBe('OK');
      await replica.waitForOutput('MASTER MODE enabled');
    } finally {
      s.disconnect();
    }
  });
});
