// Starts real server processes for tests: the built bin/redis-ts, or Debian's
// redis-server for differential and interop tests. Free ports on loopback, bounded
// waits, and every process stopped by its PID.

import { afterEach } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis, type RedisOptions } from 'ioredis';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'redis-ts');

/** A port nobody listens on right now (bound once on loopback and released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

let realRedisPath: string | null | undefined;

/** Path of Debian's redis-server, or null when it is not installed. */
export function realRedisServer(): string | null {
  if (realRedisPath === undefined) {
    const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
    realRedisPath = r.status === 0 && r.stdout.trim() !== '' ? r.stdout.trim() : null;
  }
  return realRedisPath;
}

/** Why tests needing redis-server are skipped, or null when it is available. */
export function skipWithoutRealRedis(): string | null {
  return realRedisServer() === null ? 'redis-server (Debian redis-server package) is not installed' : null;
}

export interface ServerProcess {
  port: number;
  pid: number;
  dir: string;
  proc: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** Waits (bounded) until the output contains `pattern`: log lines travel through a pipe. */
  waitForOutput(pattern: string | RegExp, timeoutMs?: number): Promise<void>;
  /** An ioredis client (closed by stop()). */
  client(opts?: RedisOptions): Redis;
  /** SIGTERM, then SIGKILL if still alive after timeoutMs; resolves with the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
  exited: Promise<number | null>;
}

export interface StartOptions {
  /** Extra command-line arguments (after --port and the defaults). */
  args?: string[];
  /** A config file path placed before the flags. */
  configFile?: string;
  /** Milliseconds to wait for readiness. */
  timeoutMs?: number;
  /** Start Debian's redis-server instead of redis-ts. */
  real?: boolean;
  /** Reuse a port (restart on the same address). */
  port?: number;
  /** Working directory (dir); a fresh temp dir by default. */
  dir?: string;
}

/** Starts a server and resolves once it logs "Ready to accept connections". */
export async function startServer(opts: StartOptions = {}): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), opts.real ? 'redis-real-' : 'redis-ts-'));
  const base = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir];
  // redis-ts test servers allow DEBUG so differential scripts can check a DEBUG RELOAD
  // round trip of whatever data they leave behind (see diff.ts).
  const extra = opts.args ?? [];
  if (!opts.real && opts.configFile === undefined && !extra.some((a) => a.toLowerCase() === '--enable-debug-command')) {
    base.push('--enable-debug-command', 'yes');
  }
  const args = [...(opts.configFile !== undefined ? [opts.configFile] : []), ...base, ...extra];
  let proc: ChildProcess;
  if (opts.real) {
    const path = realRedisServer();
    if (path === null) throw new Error('redis-server is not installed');
    proc = spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } else {
    proc = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  }
  let out = '';
  const clients: Redis[] = [];
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`server did not start within ${opts.timeoutMs ?? 15000} ms:\n${out}`));
    }, opts.timeoutMs ?? 15000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready:\n${out}`));
    });
  });
  return {
    port,
    pid: proc.pid!,
    dir,
    proc,
    exited,
    output: () => out,
    async waitForOutput(pattern: string | RegExp, timeoutMs = 10000) {
      const deadline = Date.now() + timeoutMs;
      const found = () => (typeof pattern === 'string' ? out.includes(pattern) : pattern.test(out));
      while (!found()) {
        if (Date.now() > deadline) throw new Error(`output never showed ${String(pattern)}:\n${out.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    client(o?: RedisOptions) {
      const c = new Redis({ port, host: '127.0.0.1', lazyConnect: false, maxRetriesPerRequest: 1, ...o });
      clients.push(c);
      return c;
    },
    async stop(timeoutMs = 5000) {
      for (const c of clients) c.disconnect();
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      process.kill(proc.pid!, 'SIGTERM');
      const timer = setTimeout(() => {
        try {
          process.kill(proc.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Runs the CLI to completion (for --help, bad-config cases); bounded. */
export function runCli(args: string[], timeoutMs = 10000): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * A start() for a test file: every server it starts is stopped (by PID) after each
 * test. Call at the top level of the file; it registers the afterEach.
 */
export function serversStoppedAfterEach(): (opts?: StartOptions) => Promise<ServerProcess> {
  const started: ServerProcess[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
  });
  return async (opts = {}) => {
    const s = await startServer(opts);
    started.push(s);
    return s;
  };
}
