// Differential: server/admin commands (INFO, CLIENT, SLOWLOG, COMMAND, DEBUG,
// SHUTDOWN, TIME) answer like redis-server 7.0 wherever the answer is deterministic.
// Both servers run with --slowlog-log-slower-than 0 and --enable-debug-command yes.
import { beforeAll, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { describeDifferential, diffScript, lines, runScript } from '../helpers/diff.js';

const ARGS = ['--slowlog-log-slower-than', '0', '--enable-debug-command', 'yes'];

describeDifferential('admin commands vs redis-server', { args: ARGS }, (pair) => {
  let ours: Redis;
  let real: Redis;
  beforeAll(() => {
    ours = pair.ours.client({ protocol: 2 });
    real = pair.real.client({ protocol: 2 });
  });

  /** The same commands through ioredis on both servers. */
  async function both<T>(f: (r: Redis) => Promise<T>): Promise<{ ours: T; real: T }> {
    return { ours: await f(ours), real: await f(real) };
  }

  it('CLIENT errors, names, reply modes and tracking defaults', async () => {
    const r = await diffScript(
      pair,
      lines(`
        CLIENT
        CLIENT foo
        CLIENT HELP
        CLIENT HELP x
        CLIENT ID x
        CLIENT PAUSE 1 2 3
        CLIENT PAUSE abc
        CLIENT PAUSE -1
        CLIENT PAUSE 10 foo
        CLIENT PAUSE
        CLIENT UNPAUSE
        CLIENT REPLY foo
        CLIENT REPLY
        CLIENT REPLY ON
        CLIENT KILL 1.2.3.4:5
        CLIENT KILL ID 0
        CLIENT KILL ID -3
        CLIENT KILL ID abc
        CLIENT KILL TYPE foo x
        CLIENT KILL USER nobody
        CLIENT KILL foo bar
        CLIENT KILL ID 999999
        CLIENT KILL ID 999999 TYPE normal
        CLIENT KILL ID 999999 TYPE
        CLIENT KILL SKIPME maybe
        CLIENT KILL ID
        CLIENT KILL
        CLIENT LIST TYPE foo
        CLIENT LIST TYPE
        CLIENT LIST ID abc
        CLIENT LIST ID 99999
        CLIENT LIST ID 99999 abc
        CLIENT LIST foo
        CLIENT SETNAME "a b"
        CLIENT SETNAME "a\\nb"
        CLIENT GETNAME
        CLIENT SETNAME myname
        CLIENT GETNAME
        CLIENT SETNAME ""
        CLIENT GETNAME
        CLIENT SETNAME
        CLIENT UNBLOCK abc
        CLIENT UNBLOCK 1 foo
        CLIENT UNBLOCK 99999
        CLIENT UNBLOCK 99999 ERROR
        CLIENT UNBLOCK 1 2 3
        CLIENT NO-EVICT maybe
        CLIENT NO-EVICT on
        CLIENT NO-EVICT off
        CLIENT CACHING yes
        CLIENT CACHING maybe
        CLIENT GETREDIR
        CLIENT TRACKINGINFO
        CLIENT TRACKING maybe
        CLIENT TRACKING off foo
        CLIENT TRACKING off REDIRECT abc
        CLIENT TRACKING off REDIRECT 99999
        CLIENT TRACKING off BCAST OPTIN
        CLIENT TRACKING off
        MULTI
        CLIENT PAUSE abc
        EXEC
      `),
    );
    expect(r.ours).toEqual(r.real);
  });

  it('CLIENT TRACKINGINFO and DEBUG PROTOCOL over RESP3', async () => {
    const r = await diffScript(
      pair,
      lines(`
        CLIENT TRACKINGINFO
        CLIENT GETREDIR
        DEBUG PROTOCOL string
        DEBUG PROTOCOL integer
        DEBUG PROTOCOL double
        DEBUG PROTOCOL bignum
        DEBUG PROTOCOL null
        DEBUG PROTOCOL array
        DEBUG PROTOCOL set
        DEBUG PROTOCOL map
        DEBUG PROTOCOL attrib
        DEBUG PROTOCOL verbatim
        DEBUG PROTOCOL true
        DEBUG PROTOCOL false
        INFO nosuchsection
        INFO modules
      `),
      { resp3: true },
    );
    expect(r.ours).toEqual(r.real);
  });

  it('SLOWLOG errors and HELP', async () => {
    const r = await diffScript(
      pair,
      lines(`
        SLOWLOG
        SLOWLOG foo
        SLOWLOG HELP
        SLOWLOG HELP x
        SLOWLOG LEN x
        SLOWLOG RESET x
        SLOWLOG GET abc
        SLOWLOG GET -2
        SLOWLOG GET 99999999999999999999
        SLOWLOG GET 1 2
        SLOWLOG RESET
      `),
    );
    expect(r.ours).toEqual(r.real);
  });

  it('SLOWLOG GET entries have the same shape, arguments, truncation and client name', async () => {
    const long = 'x'.repeat(200);
    const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
    const res = await both(async (r) => {
      await r.call('CLIENT', 'SETNAME', 'slowcli');
      await r.call('SLOWLOG', 'RESET');
      await r.call('SET', 'sk', long);
      await r.call('GET', 'sk');
      await r.call('WATCH', ...keys);
      await r.call('UNWATCH');
      const len = (await r.call('SLOWLOG', 'LEN')) as number;
      const entries = (await r.call('SLOWLOG', 'GET', '-1')) as unknown[][];
      const two = (await r.call('SLOWLOG', 'GET', '2')) as unknown[][];
      const dflt = (await r.call('SLOWLOG', 'GET')) as unknown[][];
      await r.call('CLIENT', 'SETNAME', '');
      return {
        len,
        count2: two.length,
        countDefault: dflt.length,
        entries: entries.map((e) => {
          expect(e).toHaveLength(6);
          expect(typeof e[0]).toBe('number');
          expect(typeof e[1]).toBe('number');
          expect(typeof e[2]).toBe('number');
          expect(e[4]).toMatch(/^127\.0\.0\.1:\d+$/);
          return { argv: e[3], name: e[5] };
        }),
        // Newest first, consecutive ids.
        idSteps: entries.slice(1).map((e, i) => (entries[i][0] as number) - (e[0] as number)),
      };
    });
    expect(res.ours).toEqual(res.real);
    expect(res.ours.entries[0].argv).toEqual(['SLOWLOG', 'LEN']);
    expect(res.ours.entries[1].argv).toEqual(['UNWATCH']);
    expect(res.ours.entries[2].argv).toHaveLength(32);
    expect(res.ours.entries.at(-1)!.argv).toEqual(['SLOWLOG', 'RESET']);
  });

  it('COMMAND errors, HELP, GETKEYS and LIST filters', async () => {
    const r = await diffScript(
      pair,
      lines(`
        COMMAND HELP
        COMMAND COUNT x
        COMMAND NOSUCH
        COMMAND GETKEYS
        COMMAND GETKEYS get
        COMMAND GETKEYS get a
        COMMAND GETKEYS set a
        COMMAND GETKEYS set a b
        COMMAND GETKEYS set a b EX 10
        COMMAND GETKEYS nosuch a
        COMMAND GETKEYS ping x
        COMMAND GETKEYS watch a b c
        COMMAND GETKEYS client list
        COMMAND GETKEYSANDFLAGS get a
        COMMAND GETKEYSANDFLAGS set a b
        COMMAND GETKEYSANDFLAGS set a b get
        COMMAND GETKEYSANDFLAGS watch a b
        COMMAND LIST FILTERBY foo x
        COMMAND LIST FILTERBY
        COMMAND LIST foo
        COMMAND LIST FILTERBY MODULE x
        COMMAND LIST FILTERBY ACLCAT nosuch
        COMMAND LIST FILTERBY PATTERN get
        COMMAND LIST FILTERBY PATTERN nosuch*
        COMMAND DOCS nosuch
        COMMAND INFO nosuch
        COMMAND INFO get|x
        COMMAND INFO a|b|c
      `),
    );
    expect(r.ours).toEqual(r.real);
  });

  it('COMMAND INFO of commands outside containers is byte-identical', async () => {
    const names = [
      'get',
      'set',
      'watch',
      'ping',
      'auth',
      'hello',
      'select',
      'multi',
      'exec',
      'publish',
      'subscribe',
      'dbsize',
      'flushall',
      'swapdb',
      'info',
      'time',
      'lastsave',
      'shutdown',
      'monitor',
      'debug',
      'client|list',
      'client|kill',
      'client|info',
      'CLIENT|ID',
      'slowlog|get',
      'slowlog|len',
      'slowlog|reset',
      'slowlog|help',
      'command|docs',
      'command|count',
      'pubsub|numpat',
      'pubsub|help',
    ];
    const script = names.map((n) => ['COMMAND', 'INFO', n]);
    script.push(['COMMAND', 'INFO', 'get', 'nosuch', 'time']);
    const r = await diffScript(pair, script);
    expect(r.ours).toEqual(r.real);
    const r3 = await diffScript(pair, script, { resp3: true });
    expect(r3.ours).toEqual(r3.real);
  });

  it('COMMAND LIST FILTERBY ACLCAT / PATTERN select the same commands (sorted)', async () => {
    const q = async (r: Redis, ...args: string[]) => ((await r.call('COMMAND', 'LIST', 'FILTERBY', ...args)) as string[]).sort();
    for (const args of [
      ['ACLCAT', 'transaction'],
      ['aclcat', 'TRANSACTION'],
      ['PATTERN', 'slowlog|*'],
      ['PATTERN', 'SLOWLOG|G*'],
      ['PATTERN', 'command*'],
      ['PATTERN', 'debu?'],
    ]) {
      const res = await both((r) => q(r, ...args));
      expect(res.ours).toEqual(res.real);
    }
    // The subcommands of containers are listed after their container's name.
    const all = (await ours.call('COMMAND', 'LIST')) as string[];
    expect(all.indexOf('client|list')).toBeGreaterThan(all.indexOf('client'));
    expect(new Set(all).size).toBe(all.length);
  });

  it('COMMAND and COMMAND INFO with no name describe every command; COUNT matches', async () => {
    const count = (await ours.call('COMMAND', 'COUNT')) as number;
    const all = (await ours.call('COMMAND')) as unknown[][];
    const info = (await ours.call('COMMAND', 'INFO')) as unknown[][];
    expect(all).toHaveLength(count);
    expect(info).toHaveLength(count);
    for (const e of all) expect(e).toHaveLength(10);
    const names = all.map((e) => e[0] as string);
    expect(names).toContain('get');
    expect(names).toContain('client');
    const client = all.find((e) => e[0] === 'client')!;
    const subs = (client[9] as unknown[][]).map((s) => s[0]);
    expect(subs).toContain('client|list');
  });

  it('COMMAND DOCS is a well-formed map with summary, since, group and subcommands', async () => {
    const docs = (await ours.call('COMMAND', 'DOCS', 'get', 'client', 'nosuch')) as unknown[];
    expect(docs[0]).toBe('get');
    expect(docs[1]).toEqual(['summary', 'Get the value of a key', 'since', '1.0.0', 'group', 'string', 'complexity', 'O(1)']);
    expect(docs[2]).toBe('client');
    const clientDoc = docs[3] as unknown[];
    expect(clientDoc.slice(0, 6)).toEqual(['summary', 'A container for client connection commands', 'since', '2.4.0', 'group', 'connection']);
    expect(clientDoc[8]).toBe('subcommands');
    const subs = clientDoc[9] as unknown[];
    expect(subs).toContain('client|kill');
    expect(docs).toHaveLength(4);
    const real7 = (await real.call('COMMAND', 'DOCS', 'time')) as unknown[];
    const ours7 = (await ours.call('COMMAND', 'DOCS', 'time')) as unknown[];
    expect(ours7).toEqual(real7);
    // Every command has at least its group.
    const everything = (await ours.call('COMMAND', 'DOCS')) as unknown[];
    for (let i = 1; i < everything.length; i += 2) expect(everything[i] as unknown[]).toContain('group');
  });

  it('DEBUG errors, HELP, SLEEP, SET-ACTIVE-EXPIRE, ERROR', async () => {
    const r = await diffScript(
      pair,
      lines(`
        DEBUG
        DEBUG foo
        DEBUG HELP
        DEBUG HELP x
        DEBUG OBJECT
        DEBUG OBJECT nokey
        DEBUG OBJECT a b
        DEBUG DIGEST x
        DEBUG DIGEST-VALUE
        DEBUG DIGEST-VALUE nokey
        DEBUG SLEEP 0
        DEBUG SLEEP 0.01
        DEBUG SLEEP abc
        DEBUG SET-ACTIVE-EXPIRE 0
        DEBUG SET-ACTIVE-EXPIRE 1
        DEBUG ERROR "my message"
        DEBUG ERROR "WRONGTYPE line\\r\\nbreak"
        DEBUG LOG "a message"
        DEBUG PROTOCOL nosuch
        DEBUG PROTOCOL push
        DEBUG POPULATE
        DEBUG POPULATE abc
        DEBUG POPULATE -1
        DEBUG POPULATE 3
        DEBUG POPULATE 2 pre 20
        DEBUG POPULATE 2 small 3
        GET key:0
        GET key:2
        GET pre:1
        GET small:1
        DBSIZE
        DEBUG DIGEST
      `),
    );
    expect(r.ours).toEqual(r.real);
  });

  it('DEBUG DIGEST and DIGEST-VALUE equal redis-server for the same string data', async () => {
    const big = Array.from({ length: 300 }, (_, i) => String.fromCharCode(i % 256)).join('');
    const script = lines(`
      DEBUG DIGEST
      SET a 1
      SET b hello
      SET c ""
      SET "bin\\x00key" "\\x00\\xff\\x80 value"
      SET e 12345678901234567890
      SET f v EXAT 4102444800
      SET g -42
      DEBUG DIGEST
      DEBUG DIGEST-VALUE a b c "bin\\x00key" e f g nokey
      SELECT 5
      SET a 1
      SET z zzz PXAT 4102444800000
      DEBUG DIGEST
      DEBUG DIGEST-VALUE a z
      SELECT 0
      DEBUG DIGEST
      DEL f
      DEBUG DIGEST
    `);
    script.push(['SET', 'big', big], ['DEBUG', 'DIGEST'], ['DEBUG', 'DIGEST-VALUE', 'big']);
    const r = await diffScript(pair, script);
    expect(r.ours).toEqual(r.real);
    // The empty dataset digests to zeros; data does not.
    expect(r.ours[0]).toContain('+0000000000000000000000000000000000000000');
    expect(r.ours[8]).not.toContain('+0000000000000000000000000000000000000000');
  });

  it('DEBUG OBJECT reports the same encoding, refcount and serialized length', async () => {
    const values = [
      '1',
      '123',
      '9999',
      '10000',
      '-5',
      '0',
      '007',
      '2147483648',
      '12345678901',
      '99999999999999999999',
      'hello',
      'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR',
      'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS',
      '',
    ];
    const res = await both(async (r) => {
      const out: string[] = [];
      for (const [i, v] of values.entries()) {
        await r.set(`o${i}`, v);
        const line = (await r.call('DEBUG', 'OBJECT', `o${i}`)) as string;
        expect(line).toMatch(/^Value at:0x[0-9a-f]+ refcount:\d+ encoding:\w+ serializedlength:\d+ lru:\d+ lru_seconds_idle:\d+$/);
        out.push(line.replace(/^Value at:0x[0-9a-f]+ /, '').replace(/ lru:.*$/, ''));
      }
      return out;
    });
    expect(res.ours).toEqual(res.real);
  });

  it('SHUTDOWN argument errors, ABORT with no shutdown, and refusal inside MULTI', async () => {
    const r = await diffScript(
      pair,
      lines(`
        SHUTDOWN foo
        SHUTDOWN SAVE NOSAVE
        SHUTDOWN ABORT NOW
        SHUTDOWN ABORT FORCE
        SHUTDOWN ABORT
        MULTI
        SHUTDOWN NOSAVE
        DISCARD
        PING
      `),
    );
    expect(r.ours).toEqual(r.real);
  });

  it('TIME, LASTSAVE, MONITOR and INFO arity and shapes', async () => {
    const r = await diffScript(
      pair,
      lines(`
        TIME x
        LASTSAVE x
        MONITOR x
        INFO nosuchsection
        INFO modules
        INFO cluster
        INFO keyspace
        SET a 1
        SET b 2
        INFO KEYSPACE
        SELECT 2
        SET c 3
        INFO keyspace
        INFO keyspace cluster modules nosuch
        MULTI
        MONITOR
        EXEC
      `),
    );
    expect(r.ours).toEqual(r.real);
    const t = await both(async (c) => (await c.call('TIME')) as string[]);
    for (const v of [t.ours, t.real]) {
      expect(v).toHaveLength(2);
      expect(v[0]).toMatch(/^\d+$/);
      expect(v[1]).toMatch(/^\d{1,6}$/);
    }
    expect(Math.abs(Number(t.ours[0]) - Math.floor(Date.now() / 1000))).toBeLessThan(5);
    const ls = await ours.call('LASTSAVE');
    expect(typeof ls).toBe('number');
  });

  it('INFO section headers for every way of choosing sections', async () => {
    const headers = (text: string) => text.split('\r\n').filter((l) => l.startsWith('# '));
    for (const args of [
      [],
      ['default'],
      ['all'],
      ['everything'],
      ['server', 'clients'],
      ['SERVER', 'Clients', 'server'],
      ['default', 'commandstats'],
      ['all', 'keyspace'],
      ['errorstats', 'latencystats', 'cpu', 'modules'],
      ['module_list'],
      ['nosuch', 'memory'],
    ]) {
      const script = [['INFO', ...args]];
      const [o] = await runScript(pair.ours.port, script);
      const [re] = await runScript(pair.real.port, script);
      expect(headers(o), `INFO ${args.join(' ')}`).toEqual(headers(re));
      // Sections are separated by one blank line; the text ends with a field line.
      expect(o.includes('\r\n\r\n\r\n')).toBe(false);
    }
  });
});
