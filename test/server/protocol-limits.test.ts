// Differential: protocol errors and input limits answered exactly as redis-server
// answers them, then the connection closed for good — a client that keeps writing
// after the error is reset, as by redis-server — including errors that arrive
// behind a blocking command and are parsed when it is released.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { RawClient } from '../helpers/raw-client.js';
import { skipWithoutRealRedis, startServer, type ServerProcess } from '../helpers/server.js';

const skipReal = skipWithoutRealRedis();

interface Outcome {
  reply: string;
  closed: boolean;
  /** Bytes we managed to write after the input before the server cut us off. */
  writtenAfter: number;
}

/**
 * Sends `input` (then runs `trigger`, e.g. a push that releases a blocked client),
 * collects replies, and keeps writing junk for up to 3 s: the server must close the
 * connection. Replies are compared byte for byte.
 */
function probe(port: number, input: string, trigger?: () => Promise<void>, keepWriting = true): Promise<Outcome> {
  return new Promise((resolve) => {
    // Half-open allowed: a server FIN alone does not close our side; only a server that
    // really closed (a reset when we write) ends the probe as closed.
    const sock = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let reply = '';
    let writtenAfter = 0;
    let done = false;
    let pump: NodeJS.Timeout | null = null;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      if (pump !== null) clearInterval(pump);
      clearTimeout(limit);
      sock.destroy();
      resolve({ reply, closed, writtenAfter });
    };
    const limit = setTimeout(() => finish(false), 6000);
    sock.on('data', (d) => (reply += d.toString('latin1')));
    sock.on('error', () => finish(true));
    sock.on('close', () => finish(true));
    if (!keepWriting) sock.on('end', () => finish(true));
    sock.once('connect', async () => {
      sock.write(Buffer.from(input, 'latin1'));
      if (trigger !== undefined) await trigger();
      if (!keepWriting) return;
      // Give the server time to answer, then keep writing as a misbehaving client would.
      setTimeout(() => {
        const junk = Buffer.alloc(16 * 1024, 0x61);
        pump = setInterval(() => {
          if (done || writtenAfter >= 8 * 1024 * 1024) return;
          sock.write(junk);
          writtenAfter += junk.length;
        }, 5);
      }, 300);
    });
  });
}

async function pushLater(port: number, key: string): Promise<void> {
  await new Promise((r) => setTimeout(r, 100));
  const c = await RawClient.connect(port);
  await c.call('LPUSH', key, 'x');
  c.close();
}

const CASES: { name: string; input: string; trigger?: (port: number) => Promise<void>; auth?: boolean }[] = [
  { name: 'a protocol error behind BLPOP released by its timeout', input: 'BLPOP nokey 0.1\r\n*abc\r\n' },
  { name: 'an unbalanced quote behind BLPOP released by a push', input: 'BLPOP k1 5\r\nSET "abc\r\n', trigger: (p) => pushLater(p, 'k1') },
  { name: 'a protocol error behind XREAD BLOCK', input: 'XREAD BLOCK 100 STREAMS s $\r\n*abc\r\n' },
  { name: 'a protocol error behind BRPOPLPUSH released by a push', input: '*4\r\n$10\r\nBRPOPLPUSH\r\n$2\r\nk2\r\n$2\r\nk3\r\n$1\r\n5\r\n*1\r\n$4\r\nPING\r\n*x\r\n', trigger: (p) => pushLater(p, 'k2') },
  { name: 'an inline request over 64 KB', input: 'a'.repeat(70 * 1024) },
  { name: 'a multibulk count string over 64 KB', input: '*' + '1'.repeat(70 * 1024) },
  { name: 'a bulk count string over 64 KB', input: '*1\r\n$' + '1'.repeat(70 * 1024) },
  { name: 'a negative bulk length', input: '*1\r\n$-3\r\n' },
  { name: 'a multibulk length over INT_MAX', input: '*99999999999\r\n' },
  { name: 'a bulk length over proto-max-bulk-len', input: '*1\r\n$600000000\r\n' },
  { name: 'a bulk without its $', input: '*1\r\nPING\r\n' },
  { name: 'an unauthenticated multibulk length over 10', input: '*11\r\n', auth: true },
  { name: 'an unauthenticated bulk length over 16 KB', input: '*1\r\n$16385\r\n', auth: true },
];

describe.skipIf(skipReal !== null)(`protocol limits and errors, differential${skipReal !== null ? ` (skipped: ${skipReal})` : ''}`, () => {
  const servers: Record<string, ServerProcess> = {};
  beforeAll(async () => {
    for (const real of [false, true]) {
      servers[`${real}`] = await startServer({ real });
      servers[`${real}-auth`] = await startServer({ real, args: ['--requirepass', 'secret'] });
    }
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
  });

  for (const c of CASES) {
    it(`${c.name}: same reply, then closed for good`, async () => {
      const outcomes: Outcome[] = [];
      for (const real of [true, false]) {
        const srv = servers[`${real}${c.auth ? '-auth' : ''}`];
        outcomes.push(await probe(srv.port, c.input, c.trigger ? () => c.trigger!(srv.port) : undefined));
        // The server is still up and serving.
        const auth = c.auth ? '*2\r\n$4\r\nAUTH\r\n$6\r\nsecret\r\n' : '';
        const alive = await probe(srv.port, `${auth}*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nQUIT\r\n`, undefined, false);
        expect(alive.reply).toBe(`${c.auth ? '+OK\r\n' : ''}+PONG\r\n+OK\r\n`);
      }
      const [real, ts] = outcomes;
      expect(real.closed).toBe(true);
      expect(ts.reply).toBe(real.reply);
      expect(ts.closed).toBe(true);
    });
  }

  it('a client past client-query-buffer-limit is closed without a reply, as by redis-server', async () => {
    const outcomes: Outcome[] = [];
    for (const real of [true, false]) {
      const srv = servers[`${real}`];
      const admin = srv.client();
      await admin.config('SET', 'client-query-buffer-limit', '1mb');
      // A 3 MB bulk that never completes fills the query buffer past the limit.
      outcomes.push(await probe(srv.port, '*2\r\n$4\r\nECHO\r\n$3000000\r\n'));
      await admin.config('SET', 'client-query-buffer-limit', '1gb');
    }
    expect(outcomes[1].reply).toBe(outcomes[0].reply);
    expect(outcomes.map((o) => o.closed)).toEqual([true, true]);
  });
});
