// ACL users: the same replies as redis-server for SETUSER / GETUSER / LIST / USERS /
// WHOAMI / DELUSER sequences, and the rules enforced: commands, subcommands and
// categories (-NOPERM), key patterns, channel patterns, passwords, on/off, requirepass
// as the default user's password, and clients of a deleted user disconnected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { spawnSync } from 'node:child_process';
import { skipWithoutRealRedis, startServer, type ServerProcess } from '../helpers/server.js';

const skip = skipWithoutRealRedis();

/** One ACL script, run the same way against a server: every reply, errors as text. */
async function runScript(port: number): Promise<unknown[]> {
  const r = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0 });
  await r.connect();
  const script: (string | number)[][] = [
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 'alice', 'on', '>secret', '+@all', '-flushall', '~app:*', '&news.*'],
    ['ACL', 'SETUSER', 'bob', '+config|get', '>pw', '<pw', '>pw2'],
    ['ACL', 'SETUSER', 'carol', 'bogus'],
    ['ACL', 'SETUSER', 'carol', '+nosuchcommand'],
    ['ACL', 'SETUSER', 'carol', '~a*', 'allkeys'],
    ['ACL', 'SETUSER', 'carol', 'allkeys', '~a*'],
    ['ACL', 'SETUSER', 'dave', 'on', 'nopass', '-@all', '+@string', '-set', 'resetchannels'],
    ['ACL', 'LIST'],
    ['ACL', 'USERS'],
    ['ACL', 'GETUSER', 'alice'],
    ['ACL', 'GETUSER', 'nobody'],
    ['ACL', 'WHOAMI'],
    ['ACL', 'DELUSER', 'bob', 'nobody'],
    ['ACL', 'DELUSER', 'default'],
    ['ACL', 'USERS'],
    ['ACL', 'CAT', 'nosuchcategory'],
  ];
  const out: unknown[] = [];
  for (const cmd of script) out.push(await r.call(...(cmd as [string, ...string[]])).catch((e: Error) => `ERR: ${e.message}`));
  r.disconnect();
  return out;
}

async function as(port: number, user: string, pass: string): Promise<Redis> {
  const r = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0 });
  await r.connect();
  await r.call('AUTH', user, pass);
  return r;
}

describe.skipIf(skip !== null)(`ACL${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let ours: ServerProcess;
  let real: ServerProcess;
  beforeAll(async () => {
    ours = await startServer({});
    real = await startServer({ real: true });
  });
  afterAll(async () => {
    await Promise.all([ours?.stop(), real?.stop()]);
  });

  it('answers an ACL script exactly as redis-server does', async () => {
    expect(await runScript(ours.port)).toEqual(await runScript(real.port));
  });

  it('enforces commands, subcommands, categories, keys and channels', async () => {
    const admin = ours.client();
    await admin.call('ACL', 'SETUSER', 'eve', 'on', '>pw', '+@read', '+set', '+config|get', '+publish', '~app:*', '&news.*');
    const eve = await as(ours.port, 'eve', 'pw');
    expect(await eve.call('ACL', 'WHOAMI').catch((e: Error) => e.message)).toBe(
      "NOPERM this user has no permissions to run the 'acl|whoami' command",
    );
    expect(await eve.set('app:1', 'v')).toBe('OK');
    expect(await eve.get('app:1')).toBe('v');
    await expect(eve.get('other')).rejects.toThrow('NOPERM this user has no permissions to access one of the keys used as arguments');
    await expect(eve.del('app:1')).rejects.toThrow("NOPERM this user has no permissions to run the 'del' command");
    expect(await eve.call('CONFIG', 'GET', 'maxmemory')).toEqual(['maxmemory', '0']);
    await expect(eve.call('CONFIG', 'SET', 'maxmemory', '0')).rejects.toThrow("NOPERM this user has no permissions to run the 'config|set' command");
    expect(await eve.publish('news.today', 'x')).toBe(0);
    await expect(eve.publish('sports', 'x')).rejects.toThrow('NOPERM this user has no permissions to access one of the channels used as arguments');
    // Changes apply at once to an authenticated connection.
    await admin.call('ACL', 'SETUSER', 'eve', '-get');
    await expect(eve.get('app:1')).rejects.toThrow("NOPERM this user has no permissions to run the 'get' command");
    // Off: AUTH fails; deleting the user disconnects its clients.
    await admin.call('ACL', 'SETUSER', 'eve', 'off');
    await expect(as(ours.port, 'eve', 'pw')).rejects.toThrow('WRONGPASS');
    expect(await admin.call('ACL', 'DELUSER', 'eve')).toBe(1);
    await expect(eve.ping()).rejects.toThrow();
    eve.disconnect();
  });

  it('requirepass is the default user password; a restricted default binds new connections', async () => {
    const srv = await startServer({ args: ['--requirepass', 'top'] });
    try {
      const anon = spawnSync('redis-cli', ['-p', String(srv.port), 'PING'], { encoding: 'utf8', timeout: 10000 });
      expect(anon.stdout).toContain('NOAUTH');
      const r = srv.client({ password: 'top' });
      const list = (await r.call('ACL', 'LIST')) as string[];
      expect(list[0]).toMatch(/^user default on #[0-9a-f]{64} ~\* &\* \+@all$/);
      expect(await r.call('CONFIG', 'SET', 'requirepass', '')).toBe('OK');
      expect(((await r.call('ACL', 'LIST')) as string[])[0]).toBe('user default on nopass ~* &* +@all');
      expect(await r.call('ACL', 'SETUSER', 'default', '-psync')).toBe('OK');
      const fresh = new Redis({ port: srv.port, lazyConnect: true, maxRetriesPerRequest: 0 });
      await fresh.connect();
      await expect(fresh.call('PSYNC', '?', '-1')).rejects.toThrow("NOPERM this user has no permissions to run the 'psync' command");
      fresh.disconnect();
      r.disconnect();
    } finally {
      await srv.stop();
    }
  });
});
