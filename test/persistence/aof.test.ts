// The append-only file end to end (Redis 7.0 multi-part AOF, aof.c): every type
// back after a restart with and without the RDB preamble and across a rewrite
// under writes, CONFIG SET appendonly yes, the manifest after rewrites (with and
// without auto-gc), truncated and corrupt files, MULTI/EXEC blocks, MISCONF on a
// failing write, and files exchanged with redis-server 7.0 and redis-check-aof.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, readdirSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { runCli, skipWithoutRealRedis, serversStoppedAfterEach, type ServerProcess } from '../helpers/server.js';
import { dumpAll, infoFields, waitFor } from '../helpers/replication.js';
import { fillDataset, mixedWrites } from '../replication/dataset.js';

const skip = skipWithoutRealRedis();
const start = serversStoppedAfterEach();

const AOF = ['--appendonly', 'yes'];
/**
 * For tests that SIGKILL the server. Under everysec a write may wait up to 2 s while
 * a background fsync runs, its replies already sent (flushAppendOnlyFile postpones it,
 * as in redis-server); under always every write reaches the file before its reply.
 */
const KILLABLE = [...AOF, '--appendfsync', 'always'];
const MANIFEST = 'appendonly.aof.manifest';

function aofDir(dir: string): string {
  return join(dir, 'appendonlydir');
}

function readManifest(dir: string): string {
  return readFileSync(join(aofDir(dir), MANIFEST), 'latin1');
}

/** The manifest's lines as { name, seq, type }. */
function manifestFiles(dir: string): { name: string; seq: number; type: string }[] {
  return readManifest(dir)
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const m = /^file (\S+) seq (\d+) type ([bhi])$/.exec(l);
      if (m === null) throw new Error(`unexpected manifest line ${JSON.stringify(l)}`);
      return { name: m[1], seq: Number(m[2]), type: m[3] };
    });
}

/** Path of the last incr file the manifest names. */
function incrPath(dir: string): string {
  const incrs = manifestFiles(dir).filter((f) => f.type === 'i');
  expect(incrs.length).toBeGreaterThan(0);
  return join(aofDir(dir), incrs[incrs.length - 1].name);
}

/** RESP encoding of one command, as an AOF holds it. */
function encode(argv: string[]): Buffer {
  return Buffer.from(`*${argv.length}\r\n${argv.map((a) => `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`).join('')}`, 'latin1');
}

/** The commands of an AOF in commands form (annotations skipped); throws on anything else. */
function parseCommands(buf: Buffer): { argv: string[]; start: number; end: number }[] {
  const out: { argv: string[]; start: number; end: number }[] = [];
  let pos = 0;
  const line = (): string => {
    const e = buf.indexOf('\r\n', pos);
    if (e < 0) throw new Error(`no CRLF after offset ${pos}`);
    const s = buf.latin1Slice(pos, e);
    pos = e + 2;
    return s;
  };
  while (pos < buf.length) {
    const start = pos;
    const head = line();
    if (head.startsWith('#')) continue;
    if (head[0] !== '*') throw new Error(`bad record at offset ${start}: ${JSON.stringify(head)}`);
    const argv: string[] = [];
    for (let n = Number(head.slice(1)); n > 0; n--) {
      const len = Number(line().slice(1));
      argv.push(buf.latin1Slice(pos, pos + len));
      pos += len + 2;
    }
    out.push({ argv, start, end: pos });
  }
  return out;
}

async function persistence(r: Redis): Promise<Record<string, string>> {
  return infoFields(r, 'persistence');
}

/** Waits until no rewrite runs or is scheduled, then checks it went well. */
async function rewriteDone(r: Redis, rewrites?: number): Promise<void> {
  await waitFor('the AOF rewrite to finish', async () => {
    const p = await persistence(r);
    return p.aof_rewrite_in_progress === '0' && p.aof_rewrite_scheduled === '0' && (rewrites === undefined || p.aof_rewrites === String(rewrites));
  });
  const p = await persistence(r);
  expect(p.aof_last_bgrewrite_status).toBe('ok');
  expect(p.aof_enabled).toBe('1');
}

/** SIGKILL by PID: only what reached the file before the replies survives. */
async function kill(s: ServerProcess): Promise<void> {
  process.kill(s.pid, 'SIGKILL');
  await s.exited;
  await s.stop();
}

/** SHUTDOWN (no save points are configured: only the AOF holds the data). */
async function shutdown(s: ServerProcess): Promise<void> {
  await s.client().call('SHUTDOWN').catch(() => undefined);
  await s.exited;
  await s.stop();
  // Whatever comes back at the next start must come from the AOF.
  expect(existsSync(join(s.dir, 'dump.rdb'))).toBe(false);
}

/** A start that must fail: the process runs to its exit (bounded) and says why. */
function startFails(dir: string, args: string[]): { status: number | null; output: string } {
  const r = runCli(['--port', '0', '--bind', '127.0.0.1', '--save', '', '--dir', dir, ...AOF, ...args]);
  return { status: r.status, output: r.stdout + r.stderr };
}

/** Databases 1 and 2, TTLs set every way, and effects that must be written deterministically. */
async function fillMore(r: Redis): Promise<void> {
  for (const db of [1, 2]) {
    await r.select(db);
    await r.set(`db${db}:plain`, `v${db}`);
    await r.set(`db${db}:ex`, 'x', 'EX', 100000);
    await r.set(`db${db}:px`, 'x', 'PX', 90000000);
    await r.setex(`db${db}:setex`, 80000, 'x');
    await r.hset(`db${db}:hash`, 'a', '1', 'b', '2');
    await r.expire(`db${db}:hash`, 70000);
    await r.rpush(`db${db}:list`, 'a', 'b', 'c');
    await r.pexpireat(`db${db}:list`, Date.now() + 60000000);
    await r.set(`db${db}:float`, '1.5');
    await r.incrbyfloat(`db${db}:float`, '0.25');
    await r.sadd(`db${db}:spop`, 'a', 'b', 'c', 'd');
    await r.spop(`db${db}:spop`);
    await r.set(`db${db}:persisted`, 'x', 'EX', 100);
    await r.persist(`db${db}:persisted`);
  }
  await r.select(0);
}

/** The keys with a TTL and their absolute expire times (must not move across a restart). */
async function expireTimes(r: Redis): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (let db = 0; db < 16; db++) {
    await r.select(db);
    for (const k of await r.keys('*')) {
      const t = Number(await r.call('PEXPIRETIME', k));
      if (t > 0) out[`${db}/${k}`] = t;
    }
  }
  await r.select(0);
  return out;
}

interface State {
  digest: string;
  dump: Record<string, unknown>;
  expires: Record<string, number>;
}

/**
 * dumpAll without a consumer group's entries-read and lag: XREADGROUP goes to the AOF
 * as XCLAIMs (as redis-server 7.0 writes it), and replaying those leaves entries-read
 * unknown, in redis-server as well.
 */
async function dumpComparable(r: Redis): Promise<Record<string, unknown>> {
  const dump = await dumpAll(r);
  for (const v of Object.values(dump) as { type: string; value: { groups: unknown[][] } }[]) {
    if (v.type === 'stream') v.value.groups = v.value.groups.map((g) => g.slice(0, 5));
  }
  return dump;
}

async function state(r: Redis): Promise<State> {
  return { digest: String(await r.debug('DIGEST')), dump: await dumpComparable(r), expires: await expireTimes(r) };
}

/** The dump first, so a mismatch shows the keys that differ. */
async function expectState(r: Redis, want: State): Promise<void> {
  const got = await state(r);
  expect(got.dump).toEqual(want.dump);
  expect(got.expires).toEqual(want.expires);
  expect(got.digest).toBe(want.digest);
}

describe('AOF restart', () => {
  for (const preamble of ['yes', 'no']) {
    it(`every type, several databases and TTLs come back from the AOF (aof-use-rdb-preamble ${preamble})`, async () => {
      const args = [...KILLABLE, '--aof-use-rdb-preamble', preamble];
      const srv = await start({ args });
      const r = srv.client();
      await fillDataset(r);
      await fillMore(r);
      const want = await state(r);
      expect(Object.keys(want.expires).length).toBeGreaterThanOrEqual(10);
      // SIGKILL: acknowledged writes are in the file before their replies left.
      await kill(srv);
      const again = await start({ dir: srv.dir, args });
      await again.waitForOutput('DB loaded from append only file');
      await expectState(again.client(), want);
    });

    it(`a BGREWRITEAOF while writes go on loses nothing (aof-use-rdb-preamble ${preamble})`, async () => {
      // rdb-key-save-delay paces the rewrite so the writes land while it runs.
      const args = [...AOF, '--aof-use-rdb-preamble', preamble, '--rdb-key-save-delay', '20'];
      const srv = await start({ args });
      const r = srv.client();
      await fillDataset(r);
      await fillMore(r);
      const p = r.pipeline();
      for (let i = 0; i < 5000; i++) p.set(`bulk:${i}`, `value:${i}`);
      await p.exec();
      // The rewrite starts, and writes follow in the same batch (before its first slice).
      const batch = r.pipeline();
      batch.bgrewriteaof();
      batch.info('persistence');
      for (let i = 0; i < 5000; i += 7) batch.set(`bulk:${i}`, 'CHANGED');
      for (let i = 1; i < 5000; i += 11) batch.del(`bulk:${i}`);
      batch.select(2);
      batch.set('db2:during', 'x', 'EX', 50000);
      batch.select(0);
      batch.del('list:big');
      batch.rpush('list:small', 'during');
      const res = (await batch.exec())!;
      expect(res[0]).toEqual([null, 'Background append only file rewriting started']);
      expect(String(res[1][1])).toContain('aof_rewrite_in_progress:1');
      let round = 0;
      await waitFor('the rewrite to finish under writes', async () => {
        await mixedWrites(r, 90, `during${round++}`);
        return (await persistence(r)).aof_rewrite_in_progress === '0';
      });
      await rewriteDone(r, 1);
      await mixedWrites(r, 90, 'after');
      const base = manifestFiles(srv.dir).find((f) => f.type === 'b')!;
      expect(base).toEqual({ name: `appendonly.aof.2.base.${preamble === 'yes' ? 'rdb' : 'aof'}`, seq: 2, type: 'b' });
      const head = readFileSync(join(aofDir(srv.dir), base.name)).subarray(0, 5).toString('latin1');
      if (preamble === 'yes') expect(head).toBe('REDIS');
      else expect(head[0]).toBe('*');
      const want = await state(r);
      // DEBUG LOADAOF reads the same files back into the running server.
      expect(await r.debug('LOADAOF')).toBe('OK');
      await expectState(r, want);
      await shutdown(srv);
      const again = await start({ dir: srv.dir, args });
      await expectState(again.client(), want);
    });
  }

  it('CONFIG SET appendonly yes writes a base of the data first; a restart with appendonly yes loads it', async () => {
    const srv = await start({ args: ['--rdb-key-save-delay', '200'] });
    const r = srv.client();
    await fillDataset(r);
    await fillMore(r);
    expect((await persistence(r)).aof_enabled).toBe('0');
    const p = r.pipeline();
    p.config('SET', 'appendonly', 'yes');
    p.info('persistence');
    // Written while the first base is still being written: they go to the temp incr file.
    p.set('while:enabling', '1');
    p.incr('str:int');
    p.select(3);
    p.rpush('db3:list', 'y');
    p.select(0);
    const res = (await p.exec())!;
    expect(res[0]).toEqual([null, 'OK']);
    expect(String(res[1][1])).toContain('aof_rewrite_in_progress:1');
    await rewriteDone(r, 1);
    await r.set('after:enabled', '1');
    const want = await state(r);
    expect(manifestFiles(srv.dir).map((f) => f.type).sort()).toEqual(['b', 'i']);
    await shutdown(srv);
    const again = await start({ dir: srv.dir, args: AOF });
    await again.waitForOutput('DB loaded from append only file');
    await expectState(again.client(), want);
  });
});

describe('AOF manifest and history files', () => {
  async function twoRewrites(args: string[]): Promise<ServerProcess> {
    const srv = await start({ args: [...AOF, ...args] });
    const r = srv.client();
    await r.set('a', '1');
    expect(await r.bgrewriteaof()).toBe('Background append only file rewriting started');
    await rewriteDone(r, 1);
    await r.set('b', '2');
    expect(await r.bgrewriteaof()).toBe('Background append only file rewriting started');
    await rewriteDone(r, 2);
    await r.set('c', '3');
    return srv;
  }

  it('after two rewrites the manifest lists one base and one incr, and the old files are gone', async () => {
    const srv = await twoRewrites([]);
    expect(readManifest(srv.dir)).toBe('file appendonly.aof.3.base.rdb seq 3 type b\nfile appendonly.aof.3.incr.aof seq 3 type i\n');
    expect(readdirSync(aofDir(srv.dir)).sort()).toEqual(['appendonly.aof.3.base.rdb', 'appendonly.aof.3.incr.aof', MANIFEST]);
    await shutdown(srv);
    const again = await start({ dir: srv.dir, args: AOF });
    expect(await again.client().mget('a', 'b', 'c')).toEqual(['1', '2', '3']);
  });

  it('with aof-disable-auto-gc yes the old files stay, listed as history (as redis-server 7.0 lists them)', async () => {
    const srv = await twoRewrites(['--aof-disable-auto-gc', 'yes']);
    // Byte for byte what redis-server 7.0.15 writes after the same steps.
    const expected =
      'file appendonly.aof.3.base.rdb seq 3 type b\n' +
      'file appendonly.aof.2.incr.aof seq 2 type h\n' +
      'file appendonly.aof.2.base.rdb seq 2 type h\n' +
      'file appendonly.aof.1.incr.aof seq 1 type h\n' +
      'file appendonly.aof.1.base.rdb seq 1 type h\n' +
      'file appendonly.aof.3.incr.aof seq 3 type i\n';
    expect(readManifest(srv.dir)).toBe(expected);
    expect(readdirSync(aofDir(srv.dir)).sort()).toEqual([
      'appendonly.aof.1.base.rdb',
      'appendonly.aof.1.incr.aof',
      'appendonly.aof.2.base.rdb',
      'appendonly.aof.2.incr.aof',
      'appendonly.aof.3.base.rdb',
      'appendonly.aof.3.incr.aof',
      MANIFEST,
    ]);
    const r = srv.client();
    expect(await r.debug('LOADAOF')).toBe('OK');
    expect(await r.mget('a', 'b', 'c')).toEqual(['1', '2', '3']);
    expect(readManifest(srv.dir)).toBe(expected);
    await shutdown(srv);
    const again = await start({ dir: srv.dir, args: [...AOF, '--aof-disable-auto-gc', 'yes'] });
    expect(await again.client().mget('a', 'b', 'c')).toEqual(['1', '2', '3']);
  });
});

describe('damaged AOF files', () => {
  it('a truncated last command is cut away with aof-load-truncated yes, and start-up fails with no', async () => {
    const srv = await start({ args: KILLABLE });
    const r = srv.client();
    for (let i = 0; i < 10; i++) await r.set(`k${i}`, `v${i}`);
    await r.set('last', 'value');
    await kill(srv);
    const path = incrPath(srv.dir);
    const full = readFileSync(path);
    const cmds = parseCommands(full);
    const lastCmd = cmds[cmds.length - 1];
    expect(lastCmd.argv.slice(1)).toEqual(['last', 'value']);
    expect(lastCmd.end).toBe(full.length);
    const truncated = full.subarray(0, full.length - 3);
    writeFileSync(path, truncated);

    const refused = startFails(srv.dir, ['--aof-load-truncated', 'no']);
    expect(refused.output).toContain('Unexpected end of file reading the append only file');
    expect(refused.status).toBe(1);
    expect(readFileSync(path).equals(truncated)).toBe(true);

    const again = await start({ dir: srv.dir, args: KILLABLE });
    expect(again.output()).toContain('!!! Truncating the AOF');
    const a = again.client();
    expect(await a.exists('last')).toBe(0);
    expect(await a.mget(...Array.from({ length: 10 }, (_, i) => `k${i}`))).toEqual(Array.from({ length: 10 }, (_, i) => `v${i}`));
    // Cut at the start of the broken command: what is appended next stays loadable.
    expect(statSync(path).size).toBe(lastCmd.start);
    await a.set('appended', 'after-truncation');
    await kill(again);
    const third = await start({ dir: srv.dir, args: [...AOF, '--aof-load-truncated', 'no'] });
    expect(await third.client().get('appended')).toBe('after-truncation');
    expect(await third.client().get('k9')).toBe('v9');
  });

  it('a corrupt command in the middle stops start-up and leaves the file byte-identical', async () => {
    const srv = await start({ args: KILLABLE });
    const r = srv.client();
    for (let i = 0; i < 10; i++) await r.set(`m${i}`, `v${i}`);
    await kill(srv);
    const path = incrPath(srv.dir);
    const buf = readFileSync(path);
    const cmds = parseCommands(buf);
    const middle = cmds.find((c) => c.argv[1] === 'm5')!;
    expect(buf[middle.start]).toBe(0x2a);
    buf[middle.start] = 0x21; // '!'
    writeFileSync(path, buf);
    const refused = startFails(srv.dir, []);
    expect(refused.output).toContain('Bad file format reading the append only file');
    expect(refused.status).toBe(1);
    expect(readFileSync(path).equals(buf)).toBe(true);
  });

  it('MULTI/EXEC is written as one MULTI ... EXEC block; a MULTI without EXEC at the end is reverted on load', async () => {
    const srv = await start({ args: KILLABLE });
    const r = srv.client();
    await r.set('before', '1');
    const res = await r.multi().set('tx:a', '1').incr('tx:b').rpush('tx:l', 'x').exec();
    expect(res).toEqual([
      [null, 'OK'],
      [null, 1],
      [null, 1],
    ]);
    await r.set('after', '1');
    await kill(srv);
    const path = incrPath(srv.dir);
    const original = readFileSync(path);
    const names = parseCommands(original).map((c) => [c.argv[0].toUpperCase(), ...c.argv.slice(1)]);
    expect(names).toContainEqual(['MULTI']);
    const i = names.findIndex((a) => a[0] === 'MULTI');
    expect(names.slice(i - 1)).toEqual([
      ['SET', 'before', '1'],
      ['MULTI'],
      ['SET', 'tx:a', '1'],
      ['INCR', 'tx:b'],
      ['RPUSH', 'tx:l', 'x'],
      ['EXEC'],
      ['SET', 'after', '1'],
    ]);

    // A transaction cut before its EXEC (a crash mid-write of the block).
    appendFileSync(path, Buffer.concat([encode(['MULTI']), encode(['SET', 'tx:lost', '1']), encode(['INCR', 'tx:b'])]));
    const withTail = readFileSync(path);
    const refused = startFails(srv.dir, ['--aof-load-truncated', 'no']);
    expect(refused.output).toContain('Revert incomplete MULTI/EXEC transaction');
    expect(refused.status).toBe(1);
    expect(readFileSync(path).equals(withTail)).toBe(true);

    const again = await start({ dir: srv.dir, args: AOF });
    expect(again.output()).toContain('Revert incomplete MULTI/EXEC transaction');
    const a = again.client();
    expect(await a.exists('tx:lost')).toBe(0);
    expect(await a.get('tx:b')).toBe('1');
    expect(await a.mget('before', 'tx:a', 'after')).toEqual(['1', '1', '1']);
    expect(readFileSync(path).equals(original)).toBe(true);
  });
});

describe('AOF write errors', () => {
  // Root ignores file modes, so the failing write comes from /dev/full (ENOSPC): the
  // rewrite's new incr file is a symlink to it.
  it.skipIf(!existsSync('/dev/full'))('a failing AOF write refuses writes with MISCONF until the AOF is turned off', async () => {
    const srv = await start({ args: [...AOF, '--appendfsync', 'everysec'] });
    const r = srv.client();
    await r.set('before', '1');
    symlinkSync('/dev/full', join(aofDir(srv.dir), 'appendonly.aof.2.incr.aof'));
    expect(await r.bgrewriteaof()).toBe('Background append only file rewriting started');
    let lastError = '';
    await waitFor('a write refused with MISCONF', async () => {
      lastError = await r.set('probe', '1').then(
        () => '',
        (e: Error) => e.message,
      );
      return lastError !== '';
    });
    expect(lastError).toBe('MISCONF Errors writing to the AOF file: No space left on device');
    expect((await persistence(r)).aof_last_write_status).toBe('err');
    expect(await r.get('before')).toBe('1');
    await r.config('SET', 'appendonly', 'no');
    expect(await r.set('after', '1')).toBe('OK');
    unlinkSync(join(aofDir(srv.dir), 'appendonly.aof.2.incr.aof'));
  });
});

describe.skipIf(skip !== null)(`AOF files between redis-ts and redis-server 7.0${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const debug = ['--enable-debug-command', 'yes'];

  /** Data in the base (through a rewrite) and in the incr file after it. */
  async function fillBoth(r: Redis): Promise<void> {
    await fillDataset(r);
    await fillMore(r);
    expect(await r.bgrewriteaof()).toBe('Background append only file rewriting started');
    await rewriteDone(r, 1);
    await mixedWrites(r, 500, 'incr');
    await r.select(5);
    await r.set('db5:after-rewrite', 'x', 'EX', 100000);
    await r.select(0);
  }

  for (const preamble of ['yes', 'no']) {
    it(`redis-server loads redis-ts's appendonlydir and redis-check-aof accepts it (aof-use-rdb-preamble ${preamble})`, async () => {
      const args = [...AOF, '--aof-use-rdb-preamble', preamble];
      const ours = await start({ args });
      const o = ours.client();
      await fillBoth(o);
      const want = await state(o);
      await shutdown(ours);
      const check = spawnSync('redis-check-aof', [join(aofDir(ours.dir), MANIFEST)], { encoding: 'utf8', timeout: 30000 });
      expect(check.stdout + check.stderr).toMatch(/is valid/);
      expect(check.status).toBe(0);
      const real = await start({ real: true, dir: ours.dir, args: [...args, ...debug] });
      await real.waitForOutput('DB loaded from append only file');
      await expectState(real.client(), want);
    });

    it(`redis-ts loads redis-server's appendonlydir (aof-use-rdb-preamble ${preamble})`, async () => {
      const args = [...AOF, '--aof-use-rdb-preamble', preamble];
      const real = await start({ real: true, args: [...args, ...debug] });
      const rr = real.client();
      await fillBoth(rr);
      const want = await state(rr);
      await shutdown(real);
      const ours = await start({ dir: real.dir, args });
      await ours.waitForOutput('DB loaded from append only file');
      await expectState(ours.client(), want);
    });
  }

  it('redis-check-aof refuses a redis-ts AOF whose tail was cut (the check can fail)', async () => {
    const ours = await start({ args: KILLABLE });
    const o = ours.client();
    for (let i = 0; i < 5; i++) await o.set(`t${i}`, 'v');
    await kill(ours);
    const path = incrPath(ours.dir);
    writeFileSync(path, readFileSync(path).subarray(0, -2));
    const check = spawnSync('redis-check-aof', [join(aofDir(ours.dir), MANIFEST)], { encoding: 'utf8', timeout: 30000 });
    expect(check.status).not.toBe(0);
  });
});
