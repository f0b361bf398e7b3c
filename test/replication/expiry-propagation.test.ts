// What the expiry DELs a command causes look like in the replication stream, compared
// with redis-server's: SCAN and RANDOMKEY (CMD_TOUCHES_ARBITRARY_KEYS) send them bare,
// any other command wraps them with its own effects in one MULTI/EXEC.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { skipWithoutRealRedis, startServer, type ServerProcess } from '../helpers/server.js';
import { tapReplicationStream, type StreamTap } from '../helpers/stream-tap.js';

const skip = skipWithoutRealRedis();

describe.skipIf(skip !== null)(`expiry DELs in the replication stream${skip !== null ? ` (skipped: ${skip})` : ''}`, () => {
  const servers: { srv: ServerProcess; tap: StreamTap }[] = [];
  beforeAll(async () => {
    for (const real of [false, true]) {
      const srv = await startServer({ real, args: ['--repl-diskless-sync-delay', '0', '--enable-debug-command', 'yes'] });
      servers.push({ srv, tap: await tapReplicationStream(srv.port) });
    }
  });
  afterAll(async () => {
    for (const s of servers) s.tap.close();
    await Promise.all(servers.map((s) => s.srv.stop()));
  });

  /** The stream each server propagates for `script`, run after keys have expired. */
  async function streams(script: string[][]): Promise<string[][][]> {
    const out: string[][][] = [];
    for (const { srv, tap } of servers) {
      const c = await RawClient.connect(srv.port);
      await c.call('FLUSHALL');
      await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
      for (const k of ['foo', 'bar', 'baz']) await c.call('SET', k, 'v', 'PX', '1');
      await new Promise((r) => setTimeout(r, 20));
      await tap.take();
      for (const argv of script) await c.call(...argv);
      await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
      c.close();
      out.push(await tap.take());
    }
    return out;
  }

  it('SCAN: one bare DEL per expired key, no MULTI', async () => {
    const [ours, real] = await streams([['SCAN', '0', 'COUNT', '100']]);
    expect(real.some((a) => a[0] === 'MULTI')).toBe(false);
    expect(ours.map((a) => a.join(' ')).sort()).toEqual(real.map((a) => a.join(' ')).sort());
  });

  it('RANDOMKEY: bare DELs, no MULTI', async () => {
    const [ours, real] = await streams([['RANDOMKEY'], ['RANDOMKEY'], ['RANDOMKEY']]);
    expect(real.some((a) => a[0] === 'MULTI')).toBe(false);
    expect(ours.some((a) => a[0] === 'MULTI')).toBe(false);
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.every((a) => a[0] === 'DEL')).toBe(true);
  });

  it('MGET over expired keys, then a write: the DELs of one command travel in one MULTI/EXEC', async () => {
    const [ours, real] = await streams([['MGET', 'foo', 'bar', 'baz'], ['SET', 'foo', 'new']]);
    expect(ours).toEqual(real);
  });
});
