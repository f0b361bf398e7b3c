// CLIENT: LIST/INFO format and filters, KILL filters, REPLY OFF/SKIP/ON, PAUSE and
// UNPAUSE, SETINFO (Redis 7.2's, sent by node-redis), NO-EVICT, UNBLOCK.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createClient } from 'redis';
import { RawClient } from '../helpers/raw-client.js';
import { skipWithoutRealRedis, startServer, type ServerProcess } from '../helpers/server.js';

/** Redis 7.0.15's CLIENT LIST fields, in order; redis-ts adds 7.2's lib-name and lib-ver. */
const FIELDS_70 = [
  'id', 'addr', 'laddr', 'fd', 'name', 'age', 'idle', 'flags', 'db', 'sub', 'psub', 'ssub', 'multi', 'qbuf', 'qbuf-free',
  'argv-mem', 'multi-mem', 'rbs', 'rbp', 'obl', 'oll', 'omem', 'tot-mem', 'events', 'cmd', 'user', 'redir', 'resp',
];

function parseLine(line: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const kv of line.split(' ')) {
    const i = kv.indexOf('=');
    m.set(kv.slice(0, i), kv.slice(i + 1));
  }
  return m;
}

function parseList(text: string): Map<string, string>[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map(parseLine);
}

async function rawId(c: RawClient): Promise<number> {
  const r = await c.call('CLIENT', 'ID');
  return Number(/^:(\d+)\r\n$/.exec(r)![1]);
}

/** Polls until cond() holds (bounded). */
async function until(cond: () => Promise<boolean> | boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const skip = skipWithoutRealRedis();

describe('CLIENT', () => {
  let srv: ServerProcess;
  let r: Redis;
  const raws: RawClient[] = [];
  const raw = async () => {
    const c = await RawClient.connect(srv.port);
    raws.push(c);
    return c;
  };
  beforeAll(async () => {
    srv = await startServer();
    r = srv.client({ protocol: 2 });
  });
  afterAll(async () => {
    for (const c of raws) c.close();
    await srv?.stop();
  });

  it('CLIENT LIST / CLIENT INFO lines have 7.0\'s fields in order, then lib-name and lib-ver', async () => {
    const list = (await r.call('CLIENT', 'LIST')) as string;
    expect(list.endsWith('\n')).toBe(true);
    for (const line of list.split('\n').filter((l) => l !== '')) {
      expect([...parseLine(line).keys()]).toEqual([...FIELDS_70, 'lib-name', 'lib-ver']);
    }
    const info = (await r.call('CLIENT', 'INFO')) as string;
    expect(info.endsWith('\n')).toBe(true);
    const me = parseLine(info.trimEnd());
    expect(me.get('cmd')).toBe('client|info');
    expect(me.get('id')).toBe(String(await r.call('CLIENT', 'ID')));
    expect(me.get('addr')).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(me.get('laddr')).toBe(`127.0.0.1:${srv.port}`);
    expect(me.get('flags')).toBe('N');
    expect(me.get('user')).toBe('default');
    expect(me.get('resp')).toBe('2');
    expect(me.get('redir')).toBe('-1');
    expect(me.get('events')).toBe('r');
    expect(me.get('argv-mem')).toBe('10');
  });

  it.skipIf(skip !== null)('CLIENT LIST field names equal redis-server 7.0\'s (minus the 7.2 additions)', async () => {
    const real = await startServer({ real: true });
    try {
      const line = ((await real.client({ protocol: 2 }).call('CLIENT', 'INFO')) as string).trimEnd();
      expect([...parseLine(line).keys()]).toEqual(FIELDS_70);
    } finally {
      await real.stop();
    }
  });

  it('shows each client\'s state: name, db, subscriptions, MULTI, monitor, no-evict, last command', async () => {
    const a = await raw();
    const b = await raw();
    const m = await raw();
    await a.call('CLIENT', 'SETNAME', 'alpha');
    await a.call('SELECT', '4');
    await a.call('GET', 'x');
    await b.call('SUBSCRIBE', 'c1', 'c2');
    await b.call('PSUBSCRIBE', 'p*');
    await m.call('MONITOR');
    const aid = await rawIdByName(r, 'alpha');
    const e = await raw();
    await e.call('CLIENT', 'NO-EVICT', 'on');
    await e.call('MULTI');
    await e.call('SET', 'k', 'v');
    await e.call('GET', 'k');
    const rows = parseList((await r.call('CLIENT', 'LIST')) as string);
    const byName = rows.find((row) => row.get('name') === 'alpha')!;
    expect(byName.get('id')).toBe(String(aid));
    expect(byName.get('db')).toBe('4');
    expect(byName.get('cmd')).toBe('get');
    const subRow = rows.find((row) => row.get('sub') === '2')!;
    expect(subRow.get('psub')).toBe('1');
    expect(subRow.get('flags')).toBe('P');
    expect(subRow.get('cmd')).toBe('psubscribe');
    expect(rows.some((row) => row.get('flags') === 'O' && row.get('cmd') === 'monitor')).toBe(true);
    const multiRow = rows.find((row) => row.get('multi') === '2')!;
    expect(multiRow.get('flags')).toBe('xe');
    expect(Number(multiRow.get('multi-mem'))).toBeGreaterThan(0);
    expect(multiRow.get('cmd')).toBe('multi');
    await e.call('DISCARD');
    for (const c of [a, b, m, e]) c.close();
  });

  async function rawIdByName(c: Redis, name: string): Promise<number> {
    const rows = parseList((await c.call('CLIENT', 'LIST')) as string);
    return Number(rows.find((row) => row.get('name') === name)!.get('id'));
  }

  it('CLIENT LIST TYPE and ID filters', async () => {
    const a = await raw();
    const b = await raw();
    await b.call('SUBSCRIBE', 'ch');
    const aid = await rawId(a);
    const normal = parseList((await r.call('CLIENT', 'LIST', 'TYPE', 'normal')) as string);
    expect(normal.some((row) => row.get('id') === String(aid))).toBe(true);
    expect(normal.every((row) => !row.get('flags')!.includes('P'))).toBe(true);
    const pubsub = parseList((await r.call('CLIENT', 'LIST', 'TYPE', 'PUBSUB')) as string);
    expect(pubsub).toHaveLength(1);
    expect(pubsub[0].get('sub')).toBe('1');
    expect(await r.call('CLIENT', 'LIST', 'TYPE', 'replica')).toBe('');
    expect(await r.call('CLIENT', 'LIST', 'TYPE', 'slave')).toBe('');
    expect(await r.call('CLIENT', 'LIST', 'TYPE', 'master')).toBe('');
    const byId = parseList((await r.call('CLIENT', 'LIST', 'ID', String(aid), '999999', String(aid))) as string);
    expect(byId.map((row) => row.get('id'))).toEqual([String(aid), String(aid)]);
    a.close();
    b.close();
  });

  it('CLIENT KILL by ID, ADDR (both forms), LADDR, TYPE, USER and SKIPME', async () => {
    // ID
    const a = await raw();
    const aid = await rawId(a);
    expect(await r.call('CLIENT', 'KILL', 'ID', String(aid))).toBe(1);
    expect(await a.waitClosed(), 'killed by ID').toBe(true);
    expect(await r.call('CLIENT', 'KILL', 'ID', String(aid))).toBe(0);

    // Old form: ip:port; OK, or an error when nobody matches.
    const b = await raw();
    const baddr = parseLine(((await b.call('CLIENT', 'INFO')).split('\r\n')[1]).trimEnd()).get('addr')!;
    expect(await r.call('CLIENT', 'KILL', baddr)).toBe('OK');
    expect(await b.waitClosed(), 'killed by old-form address').toBe(true);
    await expect(r.call('CLIENT', 'KILL', baddr)).rejects.toThrow('ERR No such client');

    // New form ADDR
    const c = await raw();
    const caddr = parseLine(((await c.call('CLIENT', 'INFO')).split('\r\n')[1]).trimEnd()).get('addr')!;
    expect(await r.call('CLIENT', 'KILL', 'ADDR', caddr, 'SKIPME', 'yes')).toBe(1);
    expect(await c.waitClosed(), 'killed by ADDR').toBe(true);

    // TYPE pubsub kills subscribers only (once subscribers of earlier tests are gone).
    await until(async () => (await r.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) === '');
    const s1 = await raw();
    const n1 = await raw();
    await s1.call('SUBSCRIBE', 'x');
    expect(await r.call('CLIENT', 'KILL', 'TYPE', 'pubsub')).toBe(1);
    expect(await s1.waitClosed(), 'killed by TYPE').toBe(true);
    expect(await n1.call('PING')).toBe('+PONG\r\n');

    // LADDR + USER + SKIPME yes: everybody else on this listener, not the caller.
    const killer = await raw();
    const others = [n1, await raw(), await raw()];
    // A round trip each, so the server has accepted them before the KILL runs.
    for (const o of others) expect(await o.call('PING')).toBe('+PONG\r\n');
    const killed = await killer.call('CLIENT', 'KILL', 'LADDR', `127.0.0.1:${srv.port}`, 'USER', 'default', 'SKIPME', 'yes');
    expect(Number(/^:(\d+)/.exec(killed)![1])).toBeGreaterThanOrEqual(3);
    for (const o of others) expect(await o.waitClosed(), 'killed by LADDR/USER').toBe(true);
    expect(await killer.call('PING')).toBe('+PONG\r\n');

    // SKIPME no: the caller is killed too, after its reply.
    const self = await raw();
    const selfId = await rawId(self);
    expect(await self.call('CLIENT', 'KILL', 'ID', String(selfId), 'SKIPME', 'no')).toBe(':1\r\n');
    expect(await self.waitClosed(), 'killed itself').toBe(true);
    // SKIPME yes (the default) spares the caller.
    const self2 = await raw();
    expect(await self2.call('CLIENT', 'KILL', 'ID', String(await rawId(self2)))).toBe(':0\r\n');
    // r (ioredis) reconnects by itself after being killed above.
    expect(await r.ping()).toBe('PONG');
    killer.close();
    self2.close();
  });

  it('CLIENT REPLY SKIP drops only the next reply; OFF drops all until ON', async () => {
    const c = await raw();
    c.send('CLIENT', 'REPLY', 'SKIP');
    c.send('SET', 'rk', '1');
    c.send('GET', 'rk');
    expect(await c.reply()).toBe('$1\r\n1\r\n');
    c.send('CLIENT', 'REPLY', 'OFF');
    c.send('SET', 'rk', '2');
    c.send('GET', 'rk');
    c.send('NOSUCHCOMMAND');
    c.send('CLIENT', 'REPLY', 'SKIP');
    c.send('PING');
    c.send('CLIENT', 'REPLY', 'ON');
    expect(await c.reply()).toBe('+OK\r\n');
    expect(await c.call('GET', 'rk')).toBe('$1\r\n2\r\n');
    // Nothing else was sent meanwhile.
    expect(c.pending()).toBe('');
    c.close();
  });

  it('CLIENT REPLY SKIP inside a pipeline with ioredis-like traffic', async () => {
    const c = await raw();
    c.write('*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$4\r\nSKIP\r\n*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n');
    expect(await c.reply()).toBe('$2\r\nhi\r\n');
    c.close();
  });

  it('CLIENT PAUSE WRITE holds writes but not reads; UNPAUSE releases them', async () => {
    const w = srv.client({ protocol: 2 });
    const rd = srv.client({ protocol: 2 });
    await w.ping();
    await rd.ping();
    expect(await r.call('CLIENT', 'PAUSE', '10000', 'WRITE')).toBe('OK');
    let written = false;
    const pending = w.set('paused-key', 'v').then((v) => {
      written = true;
      return v;
    });
    const t0 = Date.now();
    expect(await rd.get('paused-key')).toBe(null);
    expect(Date.now() - t0).toBeLessThan(1000);
    await new Promise((res) => setTimeout(res, 150));
    expect(written).toBe(false);
    expect(await r.call('CLIENT', 'UNPAUSE')).toBe('OK');
    expect(await pending).toBe('OK');
    expect(await rd.get('paused-key')).toBe('v');
  });

  it('CLIENT PAUSE ALL holds every command until the timeout', async () => {
    const other = srv.client({ protocol: 2 });
    await other.ping();
    const t0 = Date.now();
    expect(await r.call('CLIENT', 'PAUSE', '300')).toBe('OK');
    expect(await other.ping()).toBe('PONG');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    // A second pause never shortens or weakens the current one: WRITE for 300 ms
    // then ALL for 10 ms pauses everything for 300 ms.
    const t1 = Date.now();
    expect(await r.call('CLIENT', 'PAUSE', '300', 'WRITE')).toBe('OK');
    expect(await r.call('CLIENT', 'PAUSE', '10', 'ALL')).toBe('OK');
    expect(await other.ping()).toBe('PONG');
    expect(Date.now() - t1).toBeGreaterThanOrEqual(250);
  });

  it('CLIENT SETINFO (7.2) sets lib-name and lib-ver; node-redis sends it on connect', async () => {
    const c = await raw();
    expect(await c.call('CLIENT', 'SETINFO', 'LIB-NAME', 'mylib')).toBe('+OK\r\n');
    expect(await c.call('CLIENT', 'SETINFO', 'lib-ver', '1.2.3')).toBe('+OK\r\n');
    expect(await c.call('CLIENT', 'SETINFO', 'lib-ver', 'a b')).toBe('-ERR lib-ver cannot contain spaces, newlines or special characters.\r\n');
    expect(await c.call('CLIENT', 'SETINFO', 'foo', 'x')).toBe("-ERR Unrecognized option 'foo'\r\n");
    expect(await c.call('CLIENT', 'SETINFO', 'lib-name')).toBe("-ERR wrong number of arguments for 'client|setinfo' command\r\n");
    const info = (await c.call('CLIENT', 'INFO')).split('\r\n')[1];
    expect(info.trimEnd().endsWith(' lib-name=mylib lib-ver=1.2.3')).toBe(true);
    // RESET keeps the library identity, as in 7.2.
    await c.call('RESET');
    expect((await c.call('CLIENT', 'INFO')).includes('lib-name=mylib')).toBe(true);
    c.close();

    const nr = createClient({ socket: { port: srv.port, host: '127.0.0.1' } });
    await nr.connect();
    try {
      const line = (await nr.sendCommand(['CLIENT', 'INFO'])) as string;
      expect(line).toMatch(/ lib-name=node-redis\S* lib-ver=\S+/);
    } finally {
      await nr.quit();
    }
  });

  it('CLIENT ID, GETNAME/SETNAME, NO-EVICT', async () => {
    const c = await raw();
    const id = await rawId(c);
    expect(id).toBeGreaterThan(0);
    expect(await c.call('CLIENT', 'GETNAME')).toBe('$-1\r\n');
    expect(await c.call('CLIENT', 'SETNAME', 'n1')).toBe('+OK\r\n');
    expect(await c.call('CLIENT', 'GETNAME')).toBe('$2\r\nn1\r\n');
    expect(await c.call('CLIENT', 'NO-EVICT', 'ON')).toBe('+OK\r\n');
    expect((await c.call('CLIENT', 'INFO')).includes(' flags=e ')).toBe(true);
    expect(await c.call('CLIENT', 'NO-EVICT', 'off')).toBe('+OK\r\n');
    expect((await c.call('CLIENT', 'INFO')).includes(' flags=N ')).toBe(true);
    c.close();
  });

  it('CLIENT UNBLOCK ends a blocking wait with the timeout reply or an UNBLOCKED error', async () => {
    const b = await raw();
    const bid = await rawId(b);
    b.send('BLPOP', 'nolist', '0');
    await until(async () => ((await r.call('CLIENT', 'LIST', 'ID', String(bid))) as string).includes(' flags=b '));
    const info = await r.info('clients');
    expect(info).toContain('blocked_clients:1');
    expect(await r.call('CLIENT', 'UNBLOCK', String(bid))).toBe(1);
    expect(await b.reply()).toBe('*-1\r\n');
    expect(await r.call('CLIENT', 'UNBLOCK', String(bid))).toBe(0);
    b.send('BLPOP', 'nolist', '0');
    await until(async () => ((await r.call('CLIENT', 'LIST', 'ID', String(bid))) as string).includes(' flags=b '));
    expect(await r.call('CLIENT', 'UNBLOCK', String(bid), 'ERROR')).toBe(1);
    expect(await b.reply()).toBe('-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
    expect(await b.call('PING')).toBe('+PONG\r\n');
    b.close();
  });
});
