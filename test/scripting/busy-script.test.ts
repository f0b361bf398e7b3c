// Busy scripts (script.c / eval.c / functions.c): past busy-reply-threshold a script
// that keeps running makes the server answer other clients with -BUSY, SCRIPT KILL /
// FUNCTION KILL stop it (each only its own kind), a script that already wrote cannot
// be killed (SHUTDOWN NOSAVE is the way out), FUNCTION STATS names the running
// function, and a pipelined client's later commands are answered in order after the
// kill. The same scenarios run against Debian's redis-server where it is installed, so
// the expected strings are checked against the real thing.
//
// No test depends on timing: "the script is busy" is established by polling another
// client until it is told BUSY (bounded), never by sleeping.

import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { RawClient } from '../helpers/raw-client.js';
import { encodeCommand } from '../helpers/resp.js';
import { waitFor } from '../helpers/replication.js';
import { startServer, type ServerProcess } from '../helpers/server.js';
import { describeWithRealRedis } from '../helpers/diff.js';

const BUSY_SCRIPT = '-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n';
const BUSY_FUNCTION = '-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n';
const NOTBUSY = '-NOTBUSY No scripts in execution right now.\r\n';
const UNKILLABLE_WRITE =
  '-UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.\r\n';

const SPIN = 'while true do end';

function sha1(s: string): string {
  return createHash('sha1').update(s).digest('hex');
}

/** The error a killed EVAL gets (Redis 7.0: the error raised from the count hook, with where it was). */
function killedEval(body: string, line: number): string {
  return `-ERR Script killed by user with SCRIPT KILL... script: ${sha1(body)}, on @user_script:${line}.\r\n`;
}
const LIBRARY = [
  '#!lua name=busylib',
  "redis.register_function('spin', function(keys, args) while true do end end)",
  "redis.register_function('spinwrite', function(keys, args) redis.call('set', keys[1], 'w') while true do end end)",
  "redis.register_function{function_name='ro', callback=function(keys, args) return 'ro-ok' end, flags={'no-writes'}}",
].join('\n');

function scenarios(real: boolean): void {
  const started: ServerProcess[] = [];
  const raws: RawClient[] = [];
  const iors: Redis[] = [];

  afterEach(async () => {
    for (const c of raws.splice(0)) c.close();
    for (const c of iors.splice(0)) c.disconnect();
    await Promise.all(started.splice(0).map((s) => s.stop()));
  });

  async function start(threshold: boolean = true): Promise<ServerProcess> {
    const s = await startServer({ real, args: threshold ? ['--busy-reply-threshold', '100'] : [] });
    started.push(s);
    return s;
  }

  async function raw(s: ServerProcess): Promise<RawClient> {
    const c = await RawClient.connect(s.port);
    raws.push(c);
    return c;
  }

  /** An ioredis client that surfaces errors rather than retrying or reconnecting. */
  function ior(s: ServerProcess): Redis {
    const c = new Redis({
      port: s.port,
      host: '127.0.0.1',
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableOfflineQueue: true,
      autoResendUnfulfilledCommands: false,
      enableReadyCheck: false,
    });
    iors.push(c);
    return c;
  }

  /** Polls with PING from `probe` until the server answers `expected` (a BUSY error); bounded. */
  async function waitBusy(probe: RawClient, expected: string): Promise<void> {
    let last = '';
    await waitFor(
      `the server to answer PING with ${expected.trim()} (last reply ${JSON.stringify(last)})`,
      async () => {
        last = await probe.call('PING');
        return last === expected;
      },
      20000,
    );
  }

  it('a looping EVAL gets BUSY replies for others, SCRIPT KILL stops it, and both connections stay usable', async () => {
    const s = await start();
    const runner = await raw(s);
    const other = await raw(s);
    runner.send('EVAL', SPIN, '0');
    await waitBusy(other, BUSY_SCRIPT);
    expect(await other.call('GET', 'foo')).toBe(BUSY_SCRIPT);
    expect(await other.call('SET', 'foo', 'bar')).toBe(BUSY_SCRIPT);
    expect(await other.call('SCRIPT', 'KILL')).toBe('+OK\r\n');
    expect(await runner.reply(20000)).toBe(killedEval(SPIN, 1));
    expect(await other.call('PING')).toBe('+PONG\r\n');
    expect(await runner.call('PING')).toBe('+PONG\r\n');
    expect(await runner.call('SET', 'after', '1')).toBe('+OK\r\n');
    expect(await other.call('GET', 'after')).toBe('$1\r\n1\r\n');
    // Nothing runs any more.
    expect(await other.call('SCRIPT', 'KILL')).toBe(NOTBUSY);
  });

  it('pcall inside the script cannot swallow the kill', async () => {
    const s = await start();
    const runner = await raw(s);
    const other = await raw(s);
    const body = "local ok = pcall(function() while true do end end)\nreturn 'swallowed'";
    runner.send('EVAL', body, '0');
    await waitBusy(other, BUSY_SCRIPT);
    expect(await other.call('SCRIPT', 'KILL')).toBe('+OK\r\n');
    const killed = await runner.reply(20000);
    expect(killed).toMatch(/^-ERR Script killed by user with SCRIPT KILL\.\.\./);
    expect(await runner.call('PING')).toBe('+PONG\r\n');
  });

  it('CONFIG SET busy-reply-threshold at run time takes effect for the next script', async () => {
    const s = await start(false);
    const runner = await raw(s);
    const other = await raw(s);
    expect(await other.call('CONFIG', 'SET', 'busy-reply-threshold', '100')).toBe('+OK\r\n');
    runner.send('EVAL', SPIN, '0');
    await waitBusy(other, BUSY_SCRIPT);
    expect(await other.call('SCRIPT', 'KILL')).toBe('+OK\r\n');
    expect(await runner.reply(20000)).toBe(killedEval(SPIN, 1));
    expect(await runner.call('PING')).toBe('+PONG\r\n');
  });

  it('SCRIPT KILL and FUNCTION KILL with nothing running answer NOTBUSY', async () => {
    const s = await start();
    const c = await raw(s);
    expect(await c.call('SCRIPT', 'KILL')).toBe(NOTBUSY);
    expect(await c.call('FUNCTION', 'KILL')).toBe(NOTBUSY);
  });

  it('FUNCTION KILL and FUNCTION STATS against a busy EVAL answer the BUSY error naming SCRIPT KILL', async () => {
    const s = await start();
    const runner = await raw(s);
    const other = await raw(s);
    runner.send('EVAL', SPIN, '0');
    await waitBusy(other, BUSY_SCRIPT);
    expect(await other.call('FUNCTION', 'KILL')).toBe(BUSY_SCRIPT);
    expect(await other.call('FUNCTION', 'STATS')).toBe(BUSY_SCRIPT);
    // Still running: SCRIPT KILL is the way.
    expect(await other.call('PING')).toBe(BUSY_SCRIPT);
    expect(await other.call('SCRIPT', 'KILL')).toBe('+OK\r\n');
    expect(await runner.reply(20000)).toBe(killedEval(SPIN, 1));
    expect(await other.call('PING')).toBe('+PONG\r\n');
  });

  it('a looping FCALL: BUSY names FUNCTION KILL, SCRIPT KILL is refused, FUNCTION STATS shows it, FUNCTION KILL stops it', async () => {
    const s = await start();
    const runner = await raw(s);
    const other = await raw(s);
    expect(await other.call('FUNCTION', 'LOAD', LIBRARY)).toBe('$7\r\nbusylib\r\n');
    // Connected before the script starts: its handshake would get BUSY otherwise.
    const stats = ior(s);
    expect(await stats.ping()).toBe('PONG');
    runner.send('FCALL', 'spin', '0');
    await waitBusy(other, BUSY_FUNCTION);
    expect(await other.call('GET', 'foo')).toBe(BUSY_FUNCTION);
    expect(await other.call('SCRIPT', 'KILL')).toBe(BUSY_FUNCTION);
    const st = (await stats.call('FUNCTION', 'STATS')) as unknown[];
    expect(st[0]).toBe('running_script');
    const rs = st[1] as unknown[];
    expect(Array.isArray(rs)).toBe(true);
    expect(rs.slice(0, 4)).toEqual(['name', 'spin', 'command', ['FCALL', 'spin', '0']]);
    expect(rs[4]).toBe('duration_ms');
    expect(typeof rs[5]).toBe('number');
    expect(rs[5] as number).toBeGreaterThanOrEqual(0);
    expect(st.slice(2)).toEqual(['engines', ['LUA', ['libraries_count', 1, 'functions_count', 3]]]);
    expect(await other.call('FUNCTION', 'KILL')).toBe('+OK\r\n');
    const killed = await runner.reply(20000);
    expect(killed.startsWith('-ERR Script killed by user with ')).toBe(true);
    expect(await other.call('PING')).toBe('+PONG\r\n');
    expect(await runner.call('FCALL', 'ro', '0')).toBe('$5\r\nro-ok\r\n');
    const after = (await stats.call('FUNCTION', 'STATS')) as unknown[];
    expect(after.slice(0, 2)).toEqual(['running_script', null]);
    // Redis 7.0 raises the same text for both kill commands (script_lua.c luaMaskCountHook
    // hard-codes "SCRIPT KILL"), with the function's name and @user_function source.
    expect(killed).toBe('-ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2.\r\n');
  });

  it('a script that wrote cannot be killed (UNKILLABLE); SHUTDOWN NOSAVE ends the process', async () => {
    const s = await start();
    const runner = await raw(s);
    const other = await raw(s);
    runner.send('EVAL', "redis.call('set','x','y') while true do end", '0');
    await waitBusy(other, BUSY_SCRIPT);
    expect(await other.call('SCRIPT', 'KILL')).toBe(UNKILLABLE_WRITE);
    expect(await other.call('PING')).toBe(BUSY_SCRIPT);
    other.send('SHUTDOWN', 'NOSAVE');
    const code = await Promise.race([s.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15000))]);
    expect(code, `process still running after SHUTDOWN NOSAVE:\n${s.output().slice(-2000)}`).not.toBe('timeout');
    expect(s.proc.exitCode !== null || s.proc.signalCode !== null).toBe(true);
    expect(await runner.waitClosed(5000)).toBe(true);
  });

  it('an FCALL that wrote cannot be killed by FUNCTION KILL either', async () => {
    const s = await start();
    const runner = await raw(s);
    const other = await raw(s);
    expect(await other.call('FUNCTION', 'LOAD', LIBRARY)).toBe('$7\r\nbusylib\r\n');
    runner.send('FCALL', 'spinwrite', '1', 'k');
    await waitBusy(other, BUSY_FUNCTION);
    expect(await other.call('FUNCTION', 'KILL')).toBe(UNKILLABLE_WRITE);
    other.send('SHUTDOWN', 'NOSAVE');
    const code = await Promise.race([s.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15000))]);
    expect(code, 'process still running after SHUTDOWN NOSAVE').not.toBe('timeout');
  });

  it('a pipelined client gets the replies after a killed EVAL in order', async () => {
    const s = await start();
    const runner = await raw(s);
    const other = await raw(s);
    // One write: the busy EVAL, then commands queued behind it on the same connection.
    const cmds = [['EVAL', SPIN, '0'], ['SET', 'p', '1'], ['INCR', 'p'], ['GET', 'p'], ['PING', 'last']];
    runner.write(Buffer.concat(cmds.map((argv) => encodeCommand(argv))));
    await waitBusy(other, BUSY_SCRIPT);
    // The commands behind the script have not run.
    expect(runner.pending()).toBe('');
    expect(await other.call('SCRIPT', 'KILL')).toBe('+OK\r\n');
    expect(await runner.reply(20000)).toBe(killedEval(SPIN, 1));
    expect(await runner.reply()).toBe('+OK\r\n');
    expect(await runner.reply()).toBe(':2\r\n');
    expect(await runner.reply()).toBe('$1\r\n2\r\n');
    expect(await runner.reply()).toBe('$4\r\nlast\r\n');
    expect(await other.call('GET', 'p')).toBe('$1\r\n2\r\n');
  });
}

describe('busy scripts on redis-ts', () => {
  scenarios(false);
});

describeWithRealRedis('busy scripts on redis-server (the same expectations)', () => {
  scenarios(true);
});
