// Bad input: malformed RESP, oversized lengths, garbage floods. Each gets a Redis-style
// error and only the offending connection closes; every other client keeps being served.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { RawClient } from '../helpers/raw-client.js';
import { startServer, type ServerProcess } from '../helpers/server.js';

describe('bad input', () => {
  let srv: ServerProcess;
  beforeAll(async () => {
    srv = await startServer({ args: ['--proto-max-bulk-len', '2mb', '--client-query-buffer-limit', '1mb'] });
  });
  afterAll(async () => {
    await srv?.stop();
  });

  const cases: [string, string][] = [
    ['*abc\r\n', '-ERR Protocol error: invalid multibulk length\r\n'],
    ['*1\r\nPING\r\n', "-ERR Protocol error: expected '$', got 'P'\r\n"],
    ['*1\r\n$-3\r\n', '-ERR Protocol error: invalid bulk length\r\n'],
    ['*1\r\n$3000000\r\n', '-ERR Protocol error: invalid bulk length\r\n'],
    ['SET "unbalanced\r\n', '-ERR Protocol error: unbalanced quotes in request\r\n'],
  ];

  for (const [input, reply] of cases) {
    it(`answers ${JSON.stringify(input)} with ${JSON.stringify(reply)} and closes only that client`, async () => {
      const bystander = await RawClient.connect(srv.port);
      expect(await bystander.call('SET', 'bystander', 'v1')).toBe('+OK\r\n');
      const bad = await RawClient.connect(srv.port);
      bad.write('*1\r\n$4\r\nPING\r\n' + input);
      expect(await bad.reply()).toBe('+PONG\r\n');
      expect(await bad.reply()).toBe(reply);
      expect(await bad.waitClosed()).toBe(true);
      expect(await bystander.call('GET', 'bystander')).toBe('$2\r\nv1\r\n');
      bystander.close();
    });
  }

  it('closes a client whose query buffer exceeds client-query-buffer-limit', async () => {
    const c = await RawClient.connect(srv.port);
    // A 1.5 MB bulk (allowed by proto-max-bulk-len) that never completes fills the query buffer.
    c.write('*2\r\n$4\r\nECHO\r\n$1600000\r\n');
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    for (let i = 0; i < 24 && !c.closed; i++) c.write(chunk);
    expect(await c.waitClosed(10000)).toBe(true);
    const other = await RawClient.connect(srv.port);
    expect(await other.call('PING')).toBe('+PONG\r\n');
    other.close();
  });

  it('survives many clients sending random garbage while another client keeps working', async () => {
    const worker = await RawClient.connect(srv.port);
    const garbage: RawClient[] = [];
    for (let i = 0; i < 20; i++) garbage.push(await RawClient.connect(srv.port));
    for (let round = 0; round < 20; round++) {
      for (const g of garbage) if (!g.closed) g.write(randomBytes(512 + round * 37));
      expect(await worker.call('SET', `k${round}`, `v${round}`)).toBe('+OK\r\n');
      expect(await worker.call('GET', `k${round}`)).toBe(`$${`v${round}`.length}\r\nv${round}\r\n`);
    }
    for (const g of garbage) g.close();
    // Nothing written by the worker was lost.
    for (let round = 0; round < 20; round++) {
      expect(await worker.call('GET', `k${round}`)).toBe(`$${`v${round}`.length}\r\nv${round}\r\n`);
    }
    worker.close();
  });

  it('serves a binary-safe value of 900 KB split across many writes', async () => {
    const c = await RawClient.connect(srv.port);
    const value = randomBytes(900 * 1024);
    const req = Buffer.concat([Buffer.from(`*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$${value.length}\r\n`), value, Buffer.from('\r\n')]);
    for (let i = 0; i < req.length; i += 10000) c.write(req.subarray(i, i + 10000));
    expect(await c.reply()).toBe('+OK\r\n');
    const got = await c.call('GET', 'big');
    const body = Buffer.from(got, 'latin1').subarray(`$${value.length}\r\n`.length, -2);
    expect(body.equals(value)).toBe(true);
    c.close();
  });
});

describe('unauthenticated limits', () => {
  let srv: ServerProcess;
  beforeAll(async () => {
    srv = await startServer({ args: ['--requirepass', 's3cret'] });
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('refuses big requests before AUTH and serves after it', async () => {
    const c = await RawClient.connect(srv.port);
    expect(await c.call('GET', 'x')).toBe('-NOAUTH Authentication required.\r\n');
    c.write('*11\r\n');
    expect(await c.reply()).toBe('-ERR Protocol error: unauthenticated multibulk length\r\n');
    expect(await c.waitClosed()).toBe(true);
    const d = await RawClient.connect(srv.port);
    d.write('*2\r\n$4\r\nECHO\r\n$20000\r\n');
    expect(await d.reply()).toBe('-ERR Protocol error: unauthenticated bulk length\r\n');
    const e = await RawClient.connect(srv.port);
    expect(await e.call('AUTH', 'wrong')).toBe('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    expect(await e.call('AUTH', 's3cret')).toBe('+OK\r\n');
    expect(await e.call('ECHO', 'x'.repeat(20000))).toBe(`$20000\r\n${'x'.repeat(20000)}\r\n`);
    e.close();
  });

  it('never prints the password in its log', () => {
    expect(srv.output()).not.toContain('s3cret');
  });
});
