// Redis's own tools speaking the replication protocol to redis-ts:
// `redis-cli --rdb` (fetch a snapshot) and `redis-cli --replica` (follow the stream).
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startServer, skipWithoutRealRedis, type ServerProcess } from '../helpers/server.js';
import { waitFor } from '../helpers/replication.js';

const skip = skipWithoutRealRedis();
const started: ServerProcess[] = [];
const tools: ChildProcess[] = [];
afterEach(async () => {
  for (const t of tools.splice(0)) if (t.exitCode === null) t.kill('SIGKILL');
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

describe.skipIf(skip !== null)(`redis-cli replication tools against redis-ts${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('redis-cli --rdb fetches a snapshot that redis-check-rdb accepts', async () => {
    const srv = await startServer({ args: ['--repl-diskless-sync-delay', '0'] });
    started.push(srv);
    const c = srv.client();
    await c.set('a', '1');
    await c.rpush('l', 'x', 'y');
    const file = join(srv.dir, 'fetched.rdb');
    const r = spawnSync('redis-cli', ['-p', String(srv.port), '--rdb', file], { encoding: 'utf8', timeout: 20000 });
    expect(r.stdout + r.stderr).toContain('Transfer finished with success');
    const check = spawnSync('redis-check-rdb', [file], { encoding: 'utf8', timeout: 20000 });
    expect(check.stdout).toContain('2 keys read');
    expect(check.stdout).toContain('RDB looks OK!');
  });

  it('redis-cli --replica logs the commands a redis-ts master propagates', async () => {
    const srv = await startServer({ args: ['--repl-diskless-sync-delay', '0'] });
    started.push(srv);
    const cli = spawn('redis-cli', ['-p', String(srv.port), '--replica'], { stdio: ['ignore', 'pipe', 'pipe'] });
    tools.push(cli);
    let out = '';
    cli.stdout!.on('data', (d) => (out += d));
    cli.stderr!.on('data', (d) => (out += d));
    await waitFor('redis-cli to start logging', () => out.includes('Logging commands from master'));
    const c = srv.client();
    await c.set('b', '2');
    await c.select(2);
    await c.incr('counter');
    await waitFor('the propagated commands', () => out.includes('"incr","counter"'));
    expect(out).toContain('"set","b","2"');
    expect(out).toContain('"SELECT","2"');
  });
});
