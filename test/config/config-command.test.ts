// CONFIG GET / SET / RESETSTAT / REWRITE / HELP against a running redis-ts: patterns
// and aliases, RESP3 maps, all-or-nothing SET, immutable and protected configs,
// redaction, stats reset, and a CONFIG REWRITE round trip through a restart.
import { waitFor } from '../helpers/replication.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RawClient } from '../helpers/raw-client.js';
import { BIN, startServer, type ServerProcess } from '../helpers/server.js';

const tmp = mkdtempSync(join(tmpdir(), 'redis-ts-cfgcmd-'));
const started: ServerProcess[] = [];

afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
});

/** CONFIG GET reply as sorted [name, value] pairs. */
async function configGet(c: Redis, ...patterns: string[]): Promise<[string, string][]> {
  const flat = (await c.call('CONFIG', 'GET', ...patterns)) as string[];
  const pairs: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i], flat[i + 1]]);
  return pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

describe('CONFIG on a running server', () => {
  let s: ServerProcess;
  let c: Redis;
  beforeAll(async () => {
    s = await startServer();
    started.push(s);
    c = s.client();
  });

  it('GET: exact names keep the caller spelling, each name once', async () => {
    expect(await c.call('CONFIG', 'GET', 'PORT', 'port', 'Port')).toEqual(['PORT', String(s.port)]);
    expect(await c.call('CONFIG', 'GET', 'nosuch')).toEqual([]);
    expect(await configGet(c, 'hz', 'maxclients', 'hz')).toEqual([
      ['hz', '10'],
      ['maxclients', '10000'],
    ]);
  });

  it('GET: patterns match names and aliases', async () => {
    expect(await configGet(c, '*read-only*')).toEqual([
      ['replica-read-only', 'yes'],
      ['slave-read-only', 'yes'],
    ]);
    expect(await configGet(c, 'slave-*-stale-data')).toEqual([['slave-serve-stale-data', 'yes']]);
    expect(await configGet(c, '*max-*-entries')).toEqual([
      ['hash-max-listpack-entries', '512'],
      ['hash-max-ziplist-entries', '512'],
      ['set-max-intset-entries', '512'],
      ['zset-max-listpack-entries', '128'],
      ['zset-max-ziplist-entries', '128'],
    ]);
    // Several patterns overlapping: still each name once.
    const both = await configGet(c, 'repl-*', 'repl-ti*', 'REPL-TIMEOUT');
    expect(both.filter(([n]) => n === 'repl-timeout')).toEqual([['repl-timeout', '60']]);
    expect(both.find(([n]) => n === 'REPL-TIMEOUT')).toBeUndefined();
    // Every name, aliases included, once.
    const all = await configGet(c, '*');
    expect(new Set(all.map(([n]) => n)).size).toBe(all.length);
    expect(all.find(([n]) => n === 'slaveof')).toEqual(['slaveof', '']);
    expect(all.find(([n]) => n === 'dir')).toEqual(['dir', s.dir]);
  });

  it('GET replies a map in RESP3', async () => {
    const raw = await RawClient.connect(s.port);
    try {
      await raw.call('HELLO', '3');
      expect(await raw.call('CONFIG', 'GET', 'hz')).toBe('%1\r\n$2\r\nhz\r\n$2\r\n10\r\n');
      expect(await raw.call('CONFIG', 'GET', 'nosuch*')).toBe('%0\r\n');
      await raw.call('HELLO', '2');
      expect(await raw.call('CONFIG', 'GET', 'hz')).toBe('*2\r\n$2\r\nhz\r\n$2\r\n10\r\n');
    } finally {
      raw.close();
    }
  });

  it('SET: several pairs at once, all or nothing', async () => {
    expect(await c.call('CONFIG', 'SET', 'hz', '20', 'maxclients', '500', 'save', '100 1 200 2')).toBe('OK');
    expect(await configGet(c, 'hz', 'maxclients', 'save')).toEqual([
      ['hz', '20'],
      ['maxclients', '500'],
      ['save', '100 1 200 2'],
    ]);
    await expect(c.call('CONFIG', 'SET', 'hz', '30', 'maxclients', 'lots')).rejects.toThrow(
      "ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument couldn't be parsed into an integer",
    );
    await expect(c.call('CONFIG', 'SET', 'hz', '30', 'nosuch', '1')).rejects.toThrow(
      "ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'",
    );
    await expect(c.call('CONFIG', 'SET', 'hz', '30', 'hz')).rejects.toThrow('ERR syntax error');
    expect(await configGet(c, 'hz', 'maxclients')).toEqual([
      ['hz', '20'],
      ['maxclients', '500'],
    ]);
    // Aliases set their directive; hz is clamped like Redis's.
    expect(await c.call('CONFIG', 'SET', 'slave-read-only', 'no', 'hz', '100000')).toBe('OK');
    expect(await configGet(c, 'replica-read-only', 'hz')).toEqual([
      ['hz', '500'],
      ['replica-read-only', 'no'],
    ]);
    expect(await c.call('CONFIG', 'SET', 'replica-read-only', 'yes', 'hz', '10', 'maxclients', '10000', 'save', '')).toBe('OK');
  });

  it('SET: immutable, protected and refused directives', async () => {
    await expect(c.call('CONFIG', 'SET', 'daemonize', 'yes')).rejects.toThrow(
      "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config",
    );
    await expect(c.call('CONFIG', 'SET', 'databases', '4')).rejects.toThrow("argument 'databases') - can't set immutable config");
    await expect(c.call('CONFIG', 'SET', 'dir', tmp)).rejects.toThrow(
      "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config",
    );
    await expect(c.call('CONFIG', 'SET', 'dbfilename', 'x.rdb')).rejects.toThrow("argument 'dbfilename') - can't set protected config");
    await expect(c.call('CONFIG', 'SET', 'tls-replication', 'yes')).rejects.toThrow("'tls-replication yes' is not supported by redis-ts");
    expect(await c.call('CONFIG', 'SET', 'tls-replication', 'no')).toBe('OK');
  });

  it('SET: sensitive values are redacted from the slow log', async () => {
    expect(await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0')).toBe('OK');
    expect(await c.call('CONFIG', 'SET', 'masterauth', 'topsecret', 'hz', '11')).toBe('OK');
    const log = (await c.call('SLOWLOG', 'GET', '1')) as unknown[][];
    const args = log[0][3] as string[];
    expect(args).toEqual(['CONFIG', 'SET', 'masterauth', '(redacted)', 'hz', '11']);
    expect(await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000', 'masterauth', '', 'hz', '10')).toBe('OK');
  });

  it('RESETSTAT resets INFO stats and command stats, not the slow log', async () => {
    await c.set('k', 'v');
    await c.get('k');
    await c.get('missing');
    expect(await c.info('commandstats')).toContain('cmdstat_get:calls=');
    const slowlogLen = (await c.call('SLOWLOG', 'LEN')) as number;
    expect(await c.call('CONFIG', 'RESETSTAT')).toBe('OK');
    const cmdstats = await c.info('commandstats');
    expect(cmdstats).not.toContain('cmdstat_get:');
    expect(cmdstats).not.toContain('cmdstat_set:');
    const stats = await c.info('stats');
    expect(stats).toMatch(/keyspace_hits:0\r\n/);
    expect(stats).toMatch(/keyspace_misses:0\r\n/);
    expect(stats).toMatch(/total_error_replies:0\r\n/);
    expect(Number(/total_commands_processed:(\d+)/.exec(stats)![1])).toBeLessThanOrEqual(3);
    expect((await c.call('SLOWLOG', 'LEN')) as number).toBeGreaterThanOrEqual(slowlogLen);
  });

  it('REWRITE without a config file, HELP, unknown subcommand, arity', async () => {
    await expect(c.call('CONFIG', 'REWRITE')).rejects.toThrow('ERR The server is running without a config file');
    const help = (await c.call('CONFIG', 'HELP')) as string[];
    expect(help[0]).toBe('CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
    expect(help).toContain('RESETSTAT');
    expect(help[help.length - 1]).toBe('    Prints this help.');
    await expect(c.call('CONFIG', 'FOO')).rejects.toThrow("ERR unknown subcommand 'FOO'. Try CONFIG HELP.");
    await expect(c.call('CONFIG', 'GET')).rejects.toThrow("ERR wrong number of arguments for 'config|get' command");
    await expect(c.call('CONFIG', 'SET', 'hz')).rejects.toThrow("ERR wrong number of arguments for 'config|set' command");
  });
});

describe('protected configs', () => {
  it('enable-protected-configs yes allows dir and dbfilename', async () => {
    const s = await startServer({ args: ['--enable-protected-configs', 'yes'] });
    started.push(s);
    const c = s.client();
    const sub = join(tmp, 'sub');
    mkdirSync(sub, { recursive: true });
    expect(await c.call('CONFIG', 'SET', 'dir', sub, 'dbfilename', 'other.rdb')).toBe('OK');
    expect(await configGet(c, 'dir', 'dbfilename')).toEqual([
      ['dbfilename', 'other.rdb'],
      ['dir', sub],
    ]);
    await s.stop();
  });

  it('enable-protected-configs local allows a loopback client', async () => {
    const s = await startServer({ args: ['--enable-protected-configs', 'local'] });
    started.push(s);
    expect(await s.client().call('CONFIG', 'SET', 'dbfilename', 'local.rdb')).toBe('OK');
    await s.stop();
  });
});

/** Starts redis-ts with exactly these arguments (no test defaults) and waits until it is ready. */
async function startPlain(args: string[]): Promise<{ stop: () => Promise<number | null>; output: () => string }> {
  const proc = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`not ready within 15 s:\n${out}`));
    }, 15000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${out}`));
    });
  });
  return {
    output: () => out,
    async stop() {
      if (proc.exitCode !== null) return proc.exitCode;
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}

describe('CONFIG REWRITE', () => {
  it('round trip: comments survive, values come back after a restart', async () => {
    const dir = mkdtempSync(join(tmp, 'rw-'));
    const file = join(dir, 'redis.conf');
    const original = [
      '# Test configuration',
      '# keep this comment',
      '',
      'hz 15',
      '# snapshotting below',
      'save 900 1',
      'save 300 10',
      'slave-read-only yes',
      '',
      '# the end',
      '',
    ].join('\n');
    writeFileSync(file, original);
    const s = await startServer({ configFile: file, dir });
    started.push(s);
    const c = s.client();
    expect(
      await c.call(
        'CONFIG',
        'SET',
        'save',
        '100 5 200 6',
        'client-output-buffer-limit',
        'normal 1mb 512kb 10 pubsub 64mb 16mb 90',
        'maxclients',
        '555',
        'hz',
        '25',
        'replica-read-only',
        'no',
        'masterauth',
        'my "quoted" secret',
        'loglevel',
        'verbose',
      ),
    ).toBe('OK');
    expect(await c.call('CONFIG', 'REWRITE')).toBe('OK');
    await s.waitForOutput('CONFIG REWRITE executed with success.');
    const text = readFileSync(file, 'latin1');
    for (const kept of ['# Test configuration\n# keep this comment\n', '# snapshotting below\n', '# the end\n']) expect(text).toContain(kept);
    expect(text).toContain('hz 25\n# snapshotting below\nsave 100 5\nsave 200 6\nreplica-read-only no\n');
    expect(text).toContain('# Generated by CONFIG REWRITE\n');
    expect(text).toContain('client-output-buffer-limit normal 1mb 512kb 10\n');
    expect(text).toContain('client-output-buffer-limit pubsub 64mb 16mb 90\n');
    expect(text).toContain('masterauth "my \\"quoted\\" secret"\n');
    expect(text).toContain(`port ${s.port}\n`);
    expect(text).toContain('bind 127.0.0.1\n');
    expect(text).toContain(`dir "${dir}"\n`);
    // The secret is written to the file but never logged.
    expect(s.output()).not.toContain('quoted');
    await s.stop();

    // Restart from the rewritten file alone.
    const again = await startPlain([file]);
    try {
      const c2 = new Redis({ port: s.port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
      try {
        expect(await configGet(c2, 'save', 'client-output-buffer-limit', 'maxclients', 'hz', 'replica-read-only', 'masterauth', 'loglevel', 'dir')).toEqual([
          ['client-output-buffer-limit', `normal ${1024 * 1024} ${512 * 1024} 10 slave 268435456 67108864 60 pubsub ${64 * 1024 * 1024} ${16 * 1024 * 1024} 90`],
          ['dir', dir],
          ['hz', '25'],
          ['loglevel', 'verbose'],
          ['masterauth', 'my "quoted" secret'],
          ['maxclients', '555'],
          ['replica-read-only', 'no'],
          ['save', '100 5 200 6'],
        ]);
        // Back to defaults: the rewrite drops or resets their lines.
        expect(await c2.call('CONFIG', 'SET', 'masterauth', '', 'maxclients', '10000', 'client-output-buffer-limit', 'normal 0 0 0 pubsub 32mb 8mb 60')).toBe('OK');
        expect(await c2.call('CONFIG', 'REWRITE')).toBe('OK');
        const text2 = readFileSync(file, 'latin1');
        // An unset string loses its line; a value back at its default keeps its line (as Redis).
        expect(text2).not.toContain('masterauth');
        expect(text2).toContain('maxclients 10000\n');
        expect(text2).not.toContain('client-output-buffer-limit pubsub');
        expect(text2).toContain('# keep this comment\n');
        expect(text2.match(/# Generated by CONFIG REWRITE/g)).toHaveLength(1);
      } finally {
        c2.disconnect();
      }
    } finally {
      expect(await again.stop()).toBe(0);
    }
  });

  it('reports a file it cannot write with the system error', async () => {
    const dir = mkdtempSync(join(tmp, 'gone-'));
    const file = join(dir, 'redis.conf');
    writeFileSync(file, 'hz 12\n');
    const s = await startServer({ configFile: file });
    started.push(s);
    rmSync(dir, { recursive: true, force: true });
    await expect(s.client().call('CONFIG', 'REWRITE')).rejects.toThrow('ERR Rewriting config file: No such file or directory');
    // The log line travels through the server's stdout: wait for it, bounded.
    await waitFor('the failure to be logged', () => s.output().includes('CONFIG REWRITE failed: No such file or directory'));
    await s.stop();
  });
});
