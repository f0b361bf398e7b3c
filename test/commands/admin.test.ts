import { existsSync } from 'node:fs';
import { join } from 'node:path';
// MONITOR, SHUTDOWN, DEBUG SLEEP / SET-ACTIVE-EXPIRE / protection: behaviour that
// needs several connections or a server process's life and death.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { skipWithoutRealRedis, startServer, type ServerProcess } from '../helpers/server.js';

/** Polls until cond() holds (bounded). */
async function until(cond: () => Promise<boolean> | boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Collects MONITOR lines until `last` shows up (bounded). */
async function monitorLines(m: RawClient, last: RegExp): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const l = await m.reply(3000);
    out.push(l);
    if (last.test(l)) return out;
  }
}

async function addrOf(c: RawClient): Promise<string> {
  const info = (await c.call('CLIENT', 'INFO')).split('\r\n')[1];
  return / addr=(\S+) /.exec(info)![1];
}

/** A MONITOR line without its timestamp and client address. */
const normalize = (l: string) => l.replace(/^\+\d+\.\d{6} \[(\d+) [^\]]+\]/, '[$1]');

const skip = skipWithoutRealRedis();

describe('MONITOR', () => {
  let srv: ServerProcess;
  beforeAll(async () => {
    srv = await startServer({ args: ['--requirepass', 'sekret'] });
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('a monitor sees each command with its db and client address; AUTH passwords are redacted', async () => {
    const m = await RawClient.connect(srv.port);
    const c = await RawClient.connect(srv.port);
    try {
      expect(await m.call('AUTH', 'sekret')).toBe('+OK\r\n');
      expect(await m.call('MONITOR')).toBe('+OK\r\n');
      // A second MONITOR is ignored without a reply.
      m.send('MONITOR');
      expect(await c.call('AUTH', 'wrong')).toMatch(/^-WRONGPASS/);
      expect(await c.call('AUTH', 'default', 'sekret')).toBe('+OK\r\n');
      const addr = await addrOf(c);
      await c.call('SET', 'k', 'v');
      await c.call('SELECT', '2');
      await c.call('SET', 'bin', 'a\x00"b\n');
      await c.call('PING');
      const lines = await monitorLines(m, /"PING"/);
      const esc = addr.replace(/[.[\]]/g, '\\$&');
      expect(lines[0]).toMatch(new RegExp(`^\\+\\d+\\.\\d{6} \\[0 ${esc}\\] "AUTH" .*\\(redacted\\)`));
      expect(lines.join('')).not.toContain('wrong');
      expect(lines.join('')).not.toContain('sekret');
      expect(lines.filter((l) => l.includes('(redacted)'))).toHaveLength(2);
      // CLIENT INFO is not an admin command: shown (CLIENT LIST, KILL ... are not).
      expect(lines.some((l) => l.includes('"CLIENT" "INFO"'))).toBe(true);
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^\\+\\d+\\.\\d{6} \\[0 ${esc}\\] "SET" "k" "v"\\r\\n$`)));
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^\\+\\d+\\.\\d{6} \\[2 ${esc}\\] "SET" "bin" "a\\\\x00\\\\"b\\\\n"\\r\\n$`)));
      // RESET turns the monitor back into a normal client.
      expect(await m.call('RESET')).toBe('+RESET\r\n');
      expect(await m.call('AUTH', 'sekret')).toBe('+OK\r\n');
      await c.call('PING');
      expect(await m.call('PING')).toBe('+PONG\r\n');
    } finally {
      m.close();
      c.close();
    }
  });

  it('MONITOR inside MULTI is refused at EXEC', async () => {
    const c = await RawClient.connect(srv.port);
    try {
      await c.call('AUTH', 'sekret');
      await c.call('MULTI');
      expect(await c.call('MONITOR')).toBe('+QUEUED\r\n');
      expect(await c.call('EXEC')).toBe("*1\r\n-ERR MONITOR isn't allowed for DENY BLOCKING client\r\n");
      expect(await c.call('PING')).toBe('+PONG\r\n');
    } finally {
      c.close();
    }
  });

  describe.skipIf(skip !== null)(`feed vs redis-server${skip ? ` (skipped: ${skip})` : ''}`, () => {
    let real: ServerProcess;
    let ours: ServerProcess;
    beforeAll(async () => {
      [ours, real] = await Promise.all([startServer(), startServer({ real: true })]);
    });
    afterAll(async () => {
      await Promise.all([ours?.stop(), real?.stop()]);
    });

    async function feed(port: number): Promise<string[]> {
      const m = await RawClient.connect(port);
      const c = await RawClient.connect(port);
      try {
        await m.call('MONITOR');
        for (const argv of [
          ['set', 'k', 'v'],
          ['GET', 'k'],
          ['NOSUCHCMD', 'x'],
          ['GET'],
          ['CONFIG', 'GET', 'port'],
          ['MULTI'],
          ['SET', 'a', '1'],
          ['GET', 'a'],
          ['EXEC'],
          ['SELECT', '3'],
          ['SET', 'b\x01', 'x y'],
          ['AUTH', 'pw'],
          ['HELLO', '2', 'AUTH', 'default', 'pw'],
          ['ECHO', 'done'],
        ]) {
          await c.call(...argv);
        }
        return (await monitorLines(m, /"done"/)).map(normalize);
      } finally {
        m.close();
        c.close();
      }
    }

    it('the same lines as redis-server for the same commands', async () => {
      const o = await feed(ours.port);
      const r = await feed(real.port);
      expect(o).toEqual(r);
    });
  });
});

describe('SHUTDOWN', () => {
  it('saves before exiting when save points are set, and the next start loads the dump', async () => {
    const srv = await startServer({ args: ['--save', '3600 1'] });
    const dir = srv.dir;
    try {
      const c = await RawClient.connect(srv.port);
      expect(await c.call('SET', 'kept', 'v')).toBe('+OK\r\n');
      c.send('SHUTDOWN');
      expect(await c.waitClosed()).toBe(true);
      expect(await srv.exited).toBe(0);
      await srv.waitForOutput('DB saved on disk');
      expect(existsSync(join(dir, 'dump.rdb'))).toBe(true);
    } finally {
      await srv.stop();
    }
    const again = await startServer({ dir, args: ['--save', '3600 1'] });
    try {
      const c = await RawClient.connect(again.port);
      expect(await c.call('GET', 'kept')).toBe('$1\r\nv\r\n');
      await again.waitForOutput('DB loaded from disk');
    } finally {
      await again.stop();
    }
  });

  it('refuses when the save fails, unless NOSAVE or FORCE; exits without saving when there are no save points', async () => {
    // A dbfilename inside a missing directory cannot be written.
    const a = await startServer({ args: ['--save', '3600 1', '--dbfilename', 'no-such-dir/dump.rdb'] });
    const b = await startServer();
    try {
      const c = await RawClient.connect(a.port);
      expect(await c.call('SHUTDOWN')).toBe('-ERR Errors trying to SHUTDOWN. Check logs.\r\n');
      expect(await c.call('PING')).toBe('+PONG\r\n');
      await a.waitForOutput("Error trying to save the DB, can't exit");
      c.send('SHUTDOWN', 'SAVE', 'FORCE');
      expect(await c.waitClosed()).toBe(true);
      expect(await a.exited).toBe(0);
      await a.waitForOutput('Error trying to save the DB. Exit anyway.');
      const cb = await RawClient.connect(b.port);
      cb.send('shutdown');
      expect(await cb.waitClosed()).toBe(true);
      expect(await b.exited).toBe(0);
      expect(existsSync(join(b.dir, 'dump.rdb'))).toBe(false);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});

describe('DEBUG', () => {
  let srv: ServerProcess;
  beforeAll(async () => {
    srv = await startServer({ args: ['--enable-debug-command', 'yes'] });
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('is refused unless enable-debug-command allows it', async () => {
    const plain = await startServer({ args: ['--enable-debug-command', 'no'] });
    try {
      const c = await RawClient.connect(plain.port);
      expect(await c.call('DEBUG', 'DIGEST')).toMatch(/^-ERR DEBUG command not allowed\. /);
      c.close();
    } finally {
      await plain.stop();
    }
  });

  it('DEBUG SLEEP blocks the whole server for fractional seconds', async () => {
    const a = await RawClient.connect(srv.port);
    const b = await RawClient.connect(srv.port);
    try {
      const t0 = Date.now();
      a.send('DEBUG', 'SLEEP', '0.3');
      await new Promise((r) => setTimeout(r, 30));
      expect(await b.call('PING')).toBe('+PONG\r\n');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
      expect(await a.reply()).toBe('+OK\r\n');
    } finally {
      a.close();
      b.close();
    }
  });

  it('DEBUG SET-ACTIVE-EXPIRE 0 keeps expired keys stored until accessed; 1 resumes active expiry', async () => {
    const c = srv.client({ protocol: 2 });
    await c.flushall();
    expect(await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0')).toBe('OK');
    await c.set('gone', 'x', 'PX', 20);
    await new Promise((r) => setTimeout(r, 300));
    expect(await c.dbsize()).toBe(1);
    expect(await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1')).toBe('OK');
    await until(async () => (await c.dbsize()) === 0);
  });

  it('DEBUG DIGEST changes with data and TTLs, and DIGEST-VALUE ignores the key name', async () => {
    const c = srv.client({ protocol: 2 });
    await c.flushall();
    const empty = await c.call('DEBUG', 'DIGEST');
    expect(empty).toBe('0'.repeat(40));
    await c.set('x', 'same');
    await c.set('y', 'same');
    const d1 = await c.call('DEBUG', 'DIGEST');
    expect(d1).toMatch(/^[0-9a-f]{40}$/);
    expect(d1).not.toBe(empty);
    const [vx, vy] = (await c.call('DEBUG', 'DIGEST-VALUE', 'x', 'y')) as string[];
    expect(vx).toBe(vy);
    await c.expire('x', 1000);
    const d2 = await c.call('DEBUG', 'DIGEST');
    expect(d2).not.toBe(d1);
    const [vx2] = (await c.call('DEBUG', 'DIGEST-VALUE', 'x')) as string[];
    expect(vx2).not.toBe(vx);
    await c.persist('x');
    expect(await c.call('DEBUG', 'DIGEST')).toBe(d1);
  });

  it('DEBUG CHANGE-REPL-ID gives a new replication ID', async () => {
    const c = srv.client({ protocol: 2 });
    const id = (s: string) => /master_replid:(\w+)/.exec(s)![1];
    const before = id((await c.info('replication')) as string);
    expect(await c.call('DEBUG', 'CHANGE-REPL-ID')).toBe('OK');
    const after = id((await c.info('replication')) as string);
    expect(after).toMatch(/^[0-9a-f]{40}$/);
    expect(after).not.toBe(before);
    await expect(c.call('DEBUG', 'SEGFAULT')).rejects.toThrow('ERR DEBUG SEGFAULT is not supported by redis-ts');
  });
});
