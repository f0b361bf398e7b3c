// Key expiry: the active cycle removes keys nobody touches; lookups remove (or, on
// a replica, only hide) keys whose time passed, and each removal propagates a DEL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startServer, type ServerProcess } from '../helpers/server.js';
import { inProcess, type CommandClock } from '../helpers/in-process.js';
import type { Server } from '../../src/server/server.js';

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

describe('active expiry', () => {
  let srv: ServerProcess;
  let r: Redis;
  beforeAll(async () => {
    srv = await startServer();
    r = srv.client();
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('removes 1000 keys with a 50 ms TTL that nobody reads, and keeps the others', async () => {
    await r.flushall();
    const p = r.pipeline();
    for (let i = 0; i < 1000; i++) {
      p.set(`short:${i}`, 'v');
      p.pexpire(`short:${i}`, 50);
    }
    for (let i = 0; i < 100; i++) p.set(`long:${i}`, 'v', 'EX', 1000);
    for (let i = 0; i < 100; i++) p.set(`forever:${i}`, 'v');
    await p.exec();
    // DBSIZE does not look keys up: only the active cycle can shrink it.
    const deadline = Date.now() + 10000;
    let size = await r.dbsize();
    while (size > 200 && Date.now() < deadline) {
      await sleep(20);
      size = await r.dbsize();
    }
    expect(size).toBe(200);
    expect(await r.exists('long:0', 'forever:0', 'short:0')).toBe(2);
  });

  it('works in every database', async () => {
    await r.flushall();
    for (const db of [0, 5, 15]) {
      await r.select(db);
      const p = r.pipeline();
      for (let i = 0; i < 100; i++) p.set(`k${i}`, 'v', 'PX', 30);
      await p.exec();
    }
    const deadline = Date.now() + 10000;
    const sizes = async () => {
      const out: number[] = [];
      for (const db of [0, 5, 15]) {
        await r.select(db);
        out.push(await r.dbsize());
      }
      return out;
    };
    let s = await sizes();
    while (s.some((n) => n > 0) && Date.now() < deadline) {
      await sleep(20);
      s = await sizes();
    }
    expect(s).toEqual([0, 0, 0]);
    await r.select(0);
  });
});

/** Moves the command clock past every TTL in db 0. No cron runs in process: only lookups can expire keys. */
function passEveryTtl(server: Server, clock: CommandClock): void {
  let latest = 0;
  for (const t of server.dbs[0].expires.values()) latest = Math.max(latest, t);
  clock.set(Math.max(clock.now(), latest + 1));
}

describe('lazy expiry', () => {
  it('a lookup deletes an expired key, counts it and propagates DEL', () => {
    const { server, run, effects, clock } = inProcess();
    run('SET', 'k', 'v', 'PX', '20');
    effects.length = 0;
    passEveryTtl(server, clock);
    // No cron runs here: the key is still stored until someone looks.
    expect(server.dbs[0].dict.has('k')).toBe(true);
    const before = server.stats.expiredKeys;
    expect(run('GET', 'k')).toBe('$-1\r\n');
    expect(server.dbs[0].dict.has('k')).toBe(false);
    expect(server.stats.expiredKeys).toBe(before + 1);
    expect(effects).toEqual([['db0', 'DEL', 'k']]);
  });

  it('every keyspace command treats an expired key as missing', () => {
    const { server, run, effects, clock } = inProcess();
    const cmds: [string[], string][] = [
      [['EXISTS', 'k'], ':0\r\n'],
      [['TYPE', 'k'], '+none\r\n'],
      [['TTL', 'k'], ':-2\r\n'],
      [['PTTL', 'k'], ':-2\r\n'],
      [['EXPIRETIME', 'k'], ':-2\r\n'],
      [['PEXPIRETIME', 'k'], ':-2\r\n'],
      [['PERSIST', 'k'], ':0\r\n'],
      [['EXPIRE', 'k', '100'], ':0\r\n'],
      [['TOUCH', 'k'], ':0\r\n'],
      [['DEL', 'k'], ':0\r\n'],
      [['RENAME', 'k', 'x'], '-ERR no such key\r\n'],
      [['RENAMENX', 'k', 'x'], '-ERR no such key\r\n'],
      [['COPY', 'k', 'x'], ':0\r\n'],
      [['MOVE', 'k', '1'], ':0\r\n'],
      [['OBJECT', 'ENCODING', 'k'], '$-1\r\n'],
      [['RANDOMKEY'], '$-1\r\n'],
      [['SCAN', '0'], '*2\r\n$1\r\n0\r\n*0\r\n'],
    ];
    for (const [argv, want] of cmds) {
      run('SET', 'k', 'v', 'PX', '5');
      passEveryTtl(server, clock);
      effects.length = 0;
      expect({ argv, reply: run(...argv) }).toEqual({ argv, reply: want });
      expect({ argv, stored: server.dbs[0].dict.has('k') }).toEqual({ argv, stored: false });
      expect({ argv, effects }).toEqual({ argv, effects: [['db0', 'DEL', 'k']] });
    }
    // KEYS hides expired keys without deleting them (it never writes).
    run('SET', 'k', 'v', 'PX', '5');
    passEveryTtl(server, clock);
    effects.length = 0;
    expect(run('KEYS', '*')).toBe('*0\r\n');
    expect(server.dbs[0].dict.has('k')).toBe(true);
    expect(effects).toEqual([]);
  });

  it('a replica hides expired keys but keeps them, and an expire time in the past does not delete', () => {
    const { server, run, effects, clock } = inProcess();
    run('SET', 'k', 'v', 'PX', '5');
    run('SET', 'j', 'v');
    // Become a writable replica (no link needed for this).
    server.replication.master = { host: '127.0.0.1', port: 1 } as never;
    server.hooks.expireEnabled = false;
    server.config.v['replica-read-only'] = false;
    passEveryTtl(server, clock);
    effects.length = 0;
    expect(run('GET', 'k')).toBe('$-1\r\n');
    expect(run('EXISTS', 'k')).toBe(':0\r\n');
    expect(run('TTL', 'k')).toBe(':-2\r\n');
    expect(server.dbs[0].dict.has('k')).toBe(true);
    // checkAlreadyExpired is false on a replica: the key stays with its past time.
    expect(run('EXPIRE', 'j', '-10')).toBe(':1\r\n');
    expect(server.dbs[0].dict.has('j')).toBe(true);
    expect(run('EXISTS', 'j')).toBe(':0\r\n');
    expect(effects.some((e) => e[1] === 'DEL')).toBe(false);
  });
});
