// The command line: fatal config errors byte-compared with redis-server's report,
// --help/--version, flags that must parse, refused and ignored directives, a busy
// port, SIGTERM with a pidfile, the Unix socket, and flags overriding the file.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, realRedisServer, runCli, startServer, type ServerProcess } from '../helpers/server.js';

/** Runs Debian's redis-server with arguments it must reject; null when not installed. */
function runReal(args: string[]): { status: number | null; stderr: string } | null {
  const path = realRedisServer();
  if (path === null) return null;
  const r = spawnSync(path, args, { encoding: 'utf8', timeout: 10000 });
  return { status: r.status, stderr: r.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), 'redis-ts-cli-'));
const started: ServerProcess[] = [];

afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
});

describe('fatal config errors', () => {
  const cases: [string, string[], string][] = [
    ['unknown directive', ['--nosuchdirective', 'x'], `>>> 'nosuchdirective "x"'\nBad directive or wrong number of arguments\n`],
    ['missing argument', ['--port'], `>>> 'port'\nwrong number of arguments\n`],
    ['too many arguments', ['--port', '1', '2'], `>>> 'port "1" "2"'\nwrong number of arguments\n`],
    ['port abc', ['--port', 'abc'], `>>> 'port "abc"'\nargument couldn't be parsed into an integer\n`],
    ['port 70000', ['--port', '70000'], `>>> 'port "70000"'\nargument must be between 0 and 65535 inclusive\n`],
    ['loglevel bogus', ['--loglevel', 'bogus'], `>>> 'loglevel "bogus"'\nargument(s) must be one of the following: debug, verbose, notice, warning\n`],
    ['save with an odd count', ['--save', '900', '1', '300'], `>>> 'save "900" "1" "300"'\nInvalid save parameters\n`],
    ['bad memory value', ['--repl-backlog-size', '1xb'], `>>> 'repl-backlog-size "1xb"'\nargument must be a memory value\n`],
    ['directive after a valid one', ['--port', '7000', '--bogus', 'a', 'b'], `>>> 'bogus "a" "b"'\nBad directive or wrong number of arguments\n`],
  ];
  for (const [title, args, tail] of cases) {
    it(`${title}: exits 1 with redis-server's report`, () => {
      const r = runCli(args);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n');
      expect(r.stderr).toContain('Reading the configuration file, at line ');
      expect(r.stderr.endsWith(tail)).toBe(true);
      const real = runReal(args);
      if (real !== null) {
        expect(real.status).toBe(1);
        expect(r.stderr).toBe(real.stderr);
      }
    });
  }

  it('an error in the config file names its line; options come after the file', () => {
    const file = join(tmp, 'bad.conf');
    writeFileSync(file, '# comment\nport 7000\n\nhz 20\nloglevel bogus\n');
    const r = runCli([file, '--hz', '30']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 5\n>>> 'loglevel bogus'\n" +
        'argument(s) must be one of the following: debug, verbose, notice, warning\n',
    );
    const real = runReal([file, '--hz', '30']);
    if (real !== null) expect(r.stderr).toBe(real.stderr);

    const good = join(tmp, 'good.conf');
    writeFileSync(good, '# comment\nport 7000\n\n');
    const r2 = runCli([good, '--nosuch', '1']);
    expect(r2.status).toBe(1);
    expect(r2.stderr).toContain("at line 5\n>>> 'nosuch \"1\"'\n");
    const real2 = runReal([good, '--nosuch', '1']);
    if (real2 !== null) expect(r2.stderr).toBe(real2.stderr);
  });

  it('a missing config file is logged and exits 1', () => {
    const r = runCli([join(tmp, 'does-not-exist.conf')]);
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/# Fatal error, can't open config file '.*does-not-exist\.conf': No such file or directory/);
  });

  it('refused directives exit 1 and say what is not supported', () => {
    const a = runCli(['--tls-replication', 'yes']);
    expect(a.status).toBe(1);
    expect(a.stderr).toContain(`>>> 'tls-replication "yes"'\n'tls-replication yes' is not supported by redis-ts (only 'tls-replication no' is accepted)\n`);
    const m = runCli(['--daemonize', 'yes']);
    expect(m.status).toBe(1);
    expect(m.stderr).toContain(`'daemonize yes' is not supported by redis-ts (only 'daemonize no' is accepted)`);
  });
});

describe('--help and --version', () => {
  it('--help prints usage and exits 0', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: redis-ts [/path/to/redis.conf] [options]');
    expect(r.stdout).toContain('--port 7777');
  });

  it('--version and -v print the version and exit 0', () => {
    for (const flag of ['--version', '-v']) {
      const r = runCli([flag]);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^redis-ts \d+\.\d+\.\d+ \(Redis 7\.0\.15 compatible\)/);
    }
  });
});

describe('running servers', () => {
  it('--save "", --save "900 1 300 10" and repeated save lines', async () => {
    const s1 = await startServer({ args: ['--save', ''] });
    started.push(s1);
    expect(await s1.client().config('GET', 'save')).toEqual(['save', '']);
    const s2 = await startServer({ args: ['--save', '900 1 300 10'] });
    started.push(s2);
    expect(await s2.client().config('GET', 'save')).toEqual(['save', '900 1 300 10']);
    // Like redis-server, save lines add up: the file's, then the flag's.
    const file = join(tmp, 'save.conf');
    writeFileSync(file, 'save 900 1\nsave 300 10\n');
    const s3 = await startServer({ configFile: file, args: ['--save', '60', '10000'] });
    started.push(s3);
    // startServer itself passes --save '' before our args: that empties the list first.
    expect(await s3.client().config('GET', 'save')).toEqual(['save', '60 10000']);
    await Promise.all([s1.stop(), s2.stop(), s3.stop()]);
  });

  it('--replicaof host port parses (two words or one)', async () => {
    const masterPort = await freePort();
    const s = await startServer({ args: ['--replicaof', '127.0.0.1', String(masterPort)] });
    started.push(s);
    expect(await s.client().config('GET', 'replicaof')).toEqual(['replicaof', `127.0.0.1 ${masterPort}`]);
    expect(await s.client().config('GET', 'slaveof')).toEqual(['slaveof', `127.0.0.1 ${masterPort}`]);
    await s.stop();
    const s2 = await startServer({ args: ['--replicaof', `127.0.0.1 ${masterPort}`] });
    started.push(s2);
    expect(await s2.client().config('GET', 'replicaof')).toEqual(['replicaof', `127.0.0.1 ${masterPort}`]);
    await s2.stop();
  });

  it('flags override the config file; include is followed', async () => {
    const inc = join(tmp, 'included.conf');
    writeFileSync(inc, 'hz 42\nmaxclients 321\n');
    const file = join(tmp, 'main.conf');
    writeFileSync(file, `# main\nloglevel warning\ninclude ${inc}\ntimeout 5\n`);
    const s = await startServer({ configFile: file, args: ['--loglevel', 'verbose', '--maxclients', '123'] });
    started.push(s);
    const c = s.client();
    expect(await c.config('GET', 'loglevel')).toEqual(['loglevel', 'verbose']);
    expect(await c.config('GET', 'maxclients')).toEqual(['maxclients', '123']);
    expect(await c.config('GET', 'hz')).toEqual(['hz', '42']);
    expect(await c.config('GET', 'timeout')).toEqual(['timeout', '5']);
    await s.stop();
  });

  it('memory units parse (10mb, 1gb, 1k)', async () => {
    const s = await startServer({
      args: ['--repl-backlog-size', '10mb', '--client-query-buffer-limit', '1gb', '--hash-max-listpack-value', '1k', '--proto-max-bulk-len', '2MB'],
    });
    started.push(s);
    const c = s.client();
    expect(await c.config('GET', 'repl-backlog-size')).toEqual(['repl-backlog-size', String(10 * 1024 * 1024)]);
    expect(await c.config('GET', 'client-query-buffer-limit')).toEqual(['client-query-buffer-limit', String(1024 * 1024 * 1024)]);
    expect(await c.config('GET', 'hash-max-listpack-value')).toEqual(['hash-max-listpack-value', '1000']);
    expect(await c.config('GET', 'proto-max-bulk-len')).toEqual(['proto-max-bulk-len', String(2 * 1024 * 1024)]);
    await s.stop();
  });

  it('an ignored directive starts the server and logs a warning', async () => {
    const s = await startServer({ args: ['--tcp-backlog', '1024', '--lazyfree-lazy-user-del', 'yes'] });
    started.push(s);
    await s.waitForOutput("WARNING: 'tcp-backlog' is accepted for compatibility but has no effect in redis-ts.");
    await s.waitForOutput("WARNING: 'lazyfree-lazy-user-del' is accepted for compatibility but has no effect in redis-ts.");
    expect(await s.client().config('GET', 'tcp-backlog')).toEqual(['tcp-backlog', '1024']);
    await s.stop();
  });

  it('a busy port: the second server exits 1 and says why', async () => {
    const s = await startServer();
    started.push(s);
    const r = runCli(['--port', String(s.port), '--bind', '127.0.0.1', '--save', '']);
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toContain(`Failed listening on port ${s.port} (TCP), aborting.`);
    expect(await s.client().ping()).toBe('PONG');
    await s.stop();
  });

  it('SIGTERM exits cleanly and removes the pidfile', async () => {
    const pidfile = join(tmp, 'redis-ts.pid');
    const s = await startServer({ args: ['--pidfile', pidfile] });
    started.push(s);
    expect(readFileSync(pidfile, 'utf8').trim()).toBe(String(s.pid));
    const code = await s.stop();
    expect(code).toBe(0);
    expect(existsSync(pidfile)).toBe(false);
    await s.waitForOutput('Received SIGTERM scheduling shutdown');
  });

  it('--unixsocket serves clients on the socket', async () => {
    const path = join(tmp, 'redis-ts.sock');
    const s = await startServer({ args: ['--unixsocket', path, '--unixsocketperm', '700'] });
    started.push(s);
    const c = new Redis({ path, lazyConnect: false, maxRetriesPerRequest: 1 });
    try {
      expect(await c.ping()).toBe('PONG');
      expect(await c.set('k', 'v')).toBe('OK');
      expect(await s.client().get('k')).toBe('v');
      expect(await c.config('GET', 'unixsocket')).toEqual(['unixsocket', path]);
      expect(await c.config('GET', 'unixsocketperm')).toEqual(['unixsocketperm', '700']);
    } finally {
      c.disconnect();
    }
    await s.stop();
    expect(existsSync(path)).toBe(false);
  });
});
