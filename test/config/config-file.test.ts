// Config text handling in-process: command-line options turned into config lines as
// redis-server's main() does, redis.conf parsing (quoting, include, deprecated names,
// save lines adding up, units), CONFIG REWRITE's text transformation, and the
// generated redis.conf.example (up to date, and a config redis-ts starts with).
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Config } from '../../src/config/config.js';
import { assembleConfigText, FatalConfigError, loadConfigText, optionsToConfigText } from '../../src/config/parse-file.js';
import { formatMemory, rewriteConfigText } from '../../src/config/rewrite.js';
import { DIRECTIVES, lookupDirective } from '../../src/config/schema.js';
import { ROOT, startServer, type ServerProcess } from '../helpers/server.js';

const tmp = mkdtempSync(join(tmpdir(), 'redis-ts-conf-'));
const started: ServerProcess[] = [];

afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
});

/** Loads config text into a fresh Config; throws FatalConfigError like the CLI would report. */
function load(text: string): Config {
  const c = new Config();
  loadConfigText(c, text);
  return c;
}

function fatal(text: string): FatalConfigError {
  try {
    load(text);
  } catch (e) {
    if (e instanceof FatalConfigError) return e;
    throw e;
  }
  throw new Error('expected a fatal config error');
}

const get = (c: Config, name: string) => c.format(lookupDirective(name)!);

describe('command-line options as config text', () => {
  it('quotes every value and keeps the file first', () => {
    const cl = optionsToConfigText(['/etc/r.conf', '--port', '7000', '--replicaof', '127.0.0.1', '6379', '--requirepass', 'a b"c']);
    expect(cl.configFile).toBe('/etc/r.conf');
    expect(cl.fromStdin).toBe(false);
    expect(cl.text).toBe('port "7000" \nreplicaof "127.0.0.1" "6379" \nrequirepass "a b\\"c" ');
  });

  it('a bare --save means save "" (before another option or at the end)', () => {
    expect(optionsToConfigText(['--save', '--port', '1']).text).toBe('save ""\nport "1" ');
    expect(optionsToConfigText(['--port', '1', '--save']).text).toBe('port "1" \nsave ""');
    expect(optionsToConfigText(['--save', '']).text).toBe('save "" ');
  });

  it('a name still waiting for its value takes a following --word as the value', () => {
    expect(optionsToConfigText(['--requirepass', '--weird']).text).toBe('requirepass "--weird" ');
    // "--port 6380" in one argument carries its value.
    expect(optionsToConfigText(['--port 6380', '--hz', '5']).text).toBe('port 6380 \nhz "5" ');
  });

  it('- reads stdin; the options follow a newline', () => {
    const cl = optionsToConfigText(['-', '--port', '1']);
    expect(cl.fromStdin).toBe(true);
    expect(cl.configFile).toBeNull();
    expect(assembleConfigText(cl, () => 'hz 5\n')).toBe('hz 5\n\nport "1" ');
    expect(load(assembleConfigText(cl, () => 'hz 5\n')).num('hz')).toBe(5);
  });
});

describe('config file parsing', () => {
  it('comments, blank lines, quoting, case-insensitive names and aliases', () => {
    const c = load(`
# a comment
   PORT 7001
  slave-read-only   no
requirepass "sec ret\\x21"
dbfilename 'my dump.rdb'
bind 127.0.0.1 ::1
`);
    expect(c.num('port')).toBe(7001);
    expect(c.bool('replica-read-only')).toBe(false);
    expect(c.str('requirepass')).toBe('sec ret!');
    expect(c.str('dbfilename')).toBe('my dump.rdb');
    expect(get(c, 'bind')).toBe('127.0.0.1 ::1');
  });

  it('save lines add up; save "" empties the list; a lone argument is split', () => {
    expect(get(load('save 900 1\nsave 300 10\nsave 60 10000'), 'save')).toBe('900 1 300 10 60 10000');
    expect(get(load('save 900 1\nsave ""'), 'save')).toBe('');
    expect(get(load('save ""\nsave 100 2'), 'save')).toBe('100 2');
    expect(get(load('save "900 1 300 10"'), 'save')).toBe('900 1 300 10');
    expect(get(load(''), 'save')).toBe('3600 1 300 100 60 10000');
  });

  it('memory units', () => {
    const c = load('repl-backlog-size 10mb\nclient-query-buffer-limit 1gb\nproto-max-bulk-len 2048K\nhash-max-listpack-value 1k\nstream-node-max-bytes 8KB');
    expect(c.num('repl-backlog-size')).toBe(10 * 1024 * 1024);
    expect(c.num('client-query-buffer-limit')).toBe(1024 * 1024 * 1024);
    expect(c.num('proto-max-bulk-len')).toBe(2048 * 1000);
    expect(c.num('hash-max-listpack-value')).toBe(1000);
    expect(c.num('stream-node-max-bytes')).toBe(8192);
    expect(fatal('repl-backlog-size -1mb').reason).toBe('argument must be a memory value');
  });

  it('client-output-buffer-limit lines change only the classes they name', () => {
    const c = load('client-output-buffer-limit pubsub 64mb 16mb 90\nclient-output-buffer-limit replica 1gb 512mb 120');
    expect(get(c, 'client-output-buffer-limit')).toBe(
      `normal 0 0 0 slave ${1024 ** 3} ${512 * 1024 ** 2} 120 pubsub ${64 * 1024 ** 2} ${16 * 1024 ** 2} 90`,
    );
    expect(fatal('client-output-buffer-limit master 1 1 1').reason).toBe('Invalid client class specified in buffer limit configuration.');
  });

  it('hz is clamped to 1..500', () => {
    expect(load('hz 0').num('hz')).toBe(1);
    expect(load('hz 1000').num('hz')).toBe(500);
  });

  it('shutdown-on-sigterm flags print in table order', () => {
    expect(get(load('shutdown-on-sigterm now save'), 'shutdown-on-sigterm')).toBe('save now');
    expect(fatal('shutdown-on-sigterm save nosave').reason).toBe("shutdown options SAVE and NOSAVE can't be used simultaneously");
  });

  it('deprecated directives Redis 7.0 still accepts are skipped', () => {
    const c = load('list-max-ziplist-entries 512\nlist-max-ziplist-value 64\nlua-replicate-commands yes\nport 7002');
    expect(c.num('port')).toBe(7002);
  });

  it('errors name the line as redis-server does', () => {
    const e = fatal('# c\nport 7000\n\nfoo bar baz\n');
    expect(e.lineNumber).toBe(4);
    expect(e.report('7.0.15')).toBe(
      "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 4\n>>> 'foo bar baz'\nBad directive or wrong number of arguments\n",
    );
    expect(fatal('requirepass "unbalanced').reason).toBe('Unbalanced quotes in configuration line');
    expect(fatal('daemonize maybe').reason).toBe("argument must be 'yes' or 'no'");
    expect(fatal('unixsocketperm 999').reason).toBe("argument couldn't be parsed as an octal number");
    expect(fatal('list-max-listpack-size 01').reason).toBe("argument couldn't be parsed into an integer");
    expect(fatal('port 1 2').reason).toBe('wrong number of arguments');
  });

  it('include, also with a wildcard (an empty match is fine)', () => {
    const dir = join(tmp, 'conf.d');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.conf'), 'hz 11\nmaxclients 100\n');
    writeFileSync(join(dir, 'b.conf'), 'hz 12\n');
    writeFileSync(join(tmp, 'one.conf'), 'timeout 7\n');
    const c = load(`include ${join(tmp, 'one.conf')}\ninclude ${dir}/*.conf\ninclude ${dir}/*.none\nmaxclients 200`);
    expect(c.num('timeout')).toBe(7);
    expect(c.num('hz')).toBe(12);
    expect(c.num('maxclients')).toBe(200);
    const e = fatal(`include ${join(tmp, 'missing.conf')}`);
    expect(e.logOnly).toBe(true);
    expect(e.reason).toBe(`Fatal error, can't open config file '${join(tmp, 'missing.conf')}': No such file or directory`);
  });

  it('ignored directives are kept and listed; refused ones accept only their default', () => {
    const c = load('tcp-backlog 1024\nactiverehashing yes\nappendonly no\nmaxmemory 0');
    expect(c.ignoredSettings).toEqual(['tcp-backlog']);
    expect(c.num('tcp-backlog')).toBe(1024);
    expect(fatal('tls-replication yes').reason).toBe("'tls-replication yes' is not supported by redis-ts (only 'tls-replication no' is accepted)");
  });
});

describe('CONFIG SET semantics (setAtRuntime)', () => {
  it('all or nothing, first problem wins, Redis texts', () => {
    const c = new Config();
    expect(c.setAtRuntime(['hz', '20', 'maxclients', 'abc'], false)).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument couldn't be parsed into an integer",
    );
    expect(c.num('hz')).toBe(10);
    expect(c.setAtRuntime(['daemonize', 'yes', 'nosuch', '1'], false)).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config",
    );
    expect(c.setAtRuntime(['nosuch', '1', 'daemonize', 'yes'], false)).toBe("ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'");
    expect(c.setAtRuntime(['dir', '/tmp'], false)).toBe("ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config");
    expect(c.setAtRuntime(['hz', '5', 'HZ', '6'], false)).toBe("ERR CONFIG SET failed (possibly related to argument 'HZ') - duplicate parameter");
    expect(c.setAtRuntime(['SLAVE-READ-ONLY', 'maybe'], false)).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'slave-read-only') - argument must be 'yes' or 'no'",
    );
    expect(c.setAtRuntime(['hz', '20', 'save', '100 1 200 2'], false)).toBeNull();
    expect(c.num('hz')).toBe(20);
    expect(get(c, 'save')).toBe('100 1 200 2');
  });

  it('a failing apply hook rolls every value back', () => {
    const c = new Config();
    const applied: string[] = [];
    const noop = () => {};
    c.bindServer({
      setLogLevel: (level) => applied.push(level),
      rescheduleCron: noop,
      changeDir: () => null,
      trimSlowlog: noop,
      setMaxBulkLen: noop,
      rebindTcp: () => 'no way',
      resizeBacklog: noop,
      configureAccessClock: noop,
      setKeyspaceEvents: noop,
      setLatencyMonitor: noop,
      maxmemoryChanged: noop,
      setAppendonly: () => null,
      collectAofHistory: noop,
      setRequirepass: noop,
      setMetricsPort: noop,
    });
    expect(c.setAtRuntime(['loglevel', 'debug', 'port', '7001'], false)).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'port') - no way",
    );
    expect(c.str('loglevel')).toBe('notice');
    expect(c.num('port')).toBe(6379);
    expect(applied).toEqual(['debug', 'notice']);
  });
});

describe('CONFIG REWRITE text', () => {
  it('keeps comments and unknown lines, reuses lines, appends after the signature, blanks leftovers', () => {
    const c = load('port 7000\nsave 900 1\nsave 300 10\nslave-read-only no\nhz 20\n');
    expect(c.setAtRuntime(['save', '60 5', 'hz', '10', 'maxclients', '77', 'requirepass', 'p w', 'client-output-buffer-limit', 'pubsub 64mb 16mb 90'], false)).toBeNull();
    const old = '# top comment\nport 7000\n\n# saves\nsave 900 1\nsave 300 10\n   slave-read-only no\nhz 20\nrename-command FOO BAR\nnosuchthing 1\n\n\n\n# end\n';
    const out = rewriteConfigText(c, old);
    expect(out).toBe(
      [
        '# top comment',
        'port 7000',
        '',
        '# saves',
        'save 60 5',
        '',
        'replica-read-only no',
        'hz 10',
        'rename-command FOO BAR',
        '# ??? nosuchthing 1',
        '',
        '# end',
        '',
        '# Generated by CONFIG REWRITE',
        'maxclients 77',
        `dir ${JSON.stringify(process.cwd())}`,
        'requirepass "p w"',
        'client-output-buffer-limit pubsub 64mb 16mb 90',
        'latency-tracking-info-percentiles 50 99 99.9',
        '',
      ].join('\n'),
    );
    // The result reads back to the same values (rename-command aside: redis-ts refuses it).
    const again = load(out.replace('rename-command FOO BAR\n', ''));
    for (const d of DIRECTIVES) if (d.name !== 'dir') expect(again.format(d), d.name).toBe(c.format(d));
    // A second rewrite moves lines around as Redis's does (the first client-output-buffer-limit
    // line is reused for the normal class) but still reads back to the same values.
    const twice = rewriteConfigText(again, out);
    expect(twice).toContain('# top comment\nport 7000\n');
    expect(twice.match(/# Generated by CONFIG REWRITE/g)).toHaveLength(1);
    const third = load(twice.replace('rename-command FOO BAR\n', ''));
    for (const d of DIRECTIVES) if (d.name !== 'dir') expect(third.format(d), d.name).toBe(c.format(d));
  });

  it('unset strings and a master replicaof remove their lines', () => {
    const c = load('pidfile /tmp/x.pid\nreplicaof 127.0.0.1 6380\n');
    c.v['pidfile'] = '';
    c.v['replicaof'] = null;
    expect(rewriteConfigText(c, 'pidfile /tmp/x.pid\nreplicaof 127.0.0.1 6380\n').split('\n').slice(0, 2)).toEqual(['', '# Generated by CONFIG REWRITE']);
  });

  it('memory values use the largest exact unit', () => {
    expect(formatMemory(0)).toBe('0');
    expect(formatMemory(1024)).toBe('1kb');
    expect(formatMemory(3 * 1024 * 1024)).toBe('3mb');
    expect(formatMemory(2 * 1024 ** 3)).toBe('2gb');
    expect(formatMemory(1000)).toBe('1000');
  });
});

describe('redis.conf.example', () => {
  const example = join(ROOT, 'redis.conf.example');

  it('is up to date with the directive table', () => {
    const out = join(tmp, 'regenerated.conf');
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'gen-conf-example.mjs'), out], { encoding: 'utf8', timeout: 20000 });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(example, 'utf8'));
  });

  it('documents every directive and says AOF is not supported', () => {
    const text = readFileSync(example, 'utf8');
    expect(text).toMatch(/append-only file \(AOF\) is not supported/);
    for (const d of DIRECTIVES.filter((x) => !x.hidden)) expect(text, d.name).toMatch(new RegExp(`^(# )?${d.name.replace(/[-_]/g, '[-_]')} `, 'm'));
    expect(text).toContain('(accepted, no effect in redis-ts)');
    expect(text).toContain('(only the default is accepted: not supported yet)');
  });

  it('loads into the defaults (dir aside)', () => {
    const c = load(readFileSync(example, 'latin1'));
    const fresh = new Config();
    for (const d of DIRECTIVES) expect(c.format(d), d.name).toBe(fresh.format(d));
    expect(c.ignoredSettings).toEqual([]);
  });

  it('redis-ts starts with it as its config file', async () => {
    const s = await startServer({ configFile: example });
    started.push(s);
    const c = s.client();
    expect(await c.ping()).toBe('PONG');
    expect(await c.config('GET', 'databases')).toEqual(['databases', '16']);
    expect(await c.info('server')).toContain(`config_file:${example}`);
    await s.stop();
  });
});
