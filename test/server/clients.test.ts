// Real client libraries against redis-ts: ioredis (RESP3 by default in v6, and RESP2),
// node-redis, and redis-cli, including pipelining and pub/sub.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createClient } from 'redis';
import { startServer, type ServerProcess } from '../helpers/server.js';

describe('client libraries', () => {
  let srv: ServerProcess;
  beforeAll(async () => {
    srv = await startServer();
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('ioredis with default options (HELLO 3 and an INFO ready check)', async () => {
    const r = srv.client();
    expect(await r.ping()).toBe('PONG');
    expect(await r.set('a', '1')).toBe('OK');
    expect(await r.get('a')).toBe('1');
    const p = r.pipeline();
    for (let i = 0; i < 100; i++) p.set(`p${i}`, String(i));
    for (let i = 0; i < 100; i++) p.get(`p${i}`);
    const res = await p.exec();
    expect(res!.slice(100).map(([, v]) => v)).toEqual(Array.from({ length: 100 }, (_, i) => String(i)));
  });

  it('ioredis over RESP2, transactions', async () => {
    const r = srv.client({ protocol: 2 });
    const res = await r.multi().set('t', 'x').get('t').exec();
    expect(res).toEqual([
      [null, 'OK'],
      [null, 'x'],
    ]);
  });

  it('ioredis pub/sub delivers messages', async () => {
    const sub = srv.client();
    const pub = srv.client();
    const got = new Promise<[string, string]>((resolve) => sub.on('message', (ch: string, msg: string) => resolve([ch, msg])));
    await sub.subscribe('news');
    expect(await pub.publish('news', 'hello')).toBe(1);
    expect(await got).toEqual(['news', 'hello']);
  });

  it('node-redis connects and runs commands', async () => {
    const c = createClient({ socket: { port: srv.port, host: '127.0.0.1', reconnectStrategy: false } });
    c.on('error', () => {});
    await c.connect();
    try {
      expect(await c.ping()).toBe('PONG');
      await c.set('nr', 'v');
      expect(await c.get('nr')).toBe('v');
    } finally {
      await c.quit();
    }
  });

  it('redis-cli works', () => {
    const r = spawnSync('redis-cli', ['-p', String(srv.port), 'echo', 'from-cli'], { encoding: 'utf8', timeout: 10000 });
    if (r.error) return expect.soft(String(r.error)).toContain('ENOENT');
    expect(r.stdout.trim()).toBe('from-cli');
  });
});
