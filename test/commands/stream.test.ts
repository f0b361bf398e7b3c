// Stream commands beyond one-shot replies: blocking XREAD / XREADGROUP (wake-ups by
// XADD, `$` resolved at blocking time, FIFO order, only the ready key served, the
// 1000-entry cap of a served waiter, timeouts, CLIENT UNBLOCK, NOGROUP when the group
// is destroyed and UNBLOCKED when the stream is deleted/overwritten/flushed), what
// stream writes propagate (XADD with the chosen ID and exact trim arguments, XCLAIM /
// XGROUP SETID / XGROUP CREATECONSUMER effects of XREADGROUP, XCLAIM and XAUTOCLAIM),
// the change counter, and key positions. Scenarios run on an in-process redis-ts
// whose replication stream is tapped and, when installed, on redis-server read over
// SYNC, and both must agree.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { startTappedServer, tapReplicationStream, type StreamTap } from '../helpers/stream-tap.js';
import { skipWithoutRealRedis, startServer, type ServerProcess } from '../helpers/server.js';
import { CommandTable, keyIndexes } from '../../src/commands/table.js';
import { streamCommands } from '../../src/commands/stream.js';

const noReal = skipWithoutRealRedis();

async function infoField(admin: RawClient, section: string, field: string): Promise<number> {
  const m = new RegExp(`${field}:(\\d+)`).exec(await admin.call('INFO', section));
  return m === null ? -1 : Number(m[1]);
}

async function waitBlocked(admin: RawClient, n: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while ((await infoField(admin, 'clients', 'blocked_clients')) !== n) {
    if (Date.now() > deadline) throw new Error(`expected ${n} blocked clients`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * A scenario step: a command on the main client (reply recorded); { block } sends a
 * command from a new client that must block; { reply: i } records waiter i's next
 * reply; { blocked: n } waits until exactly n clients are blocked.
 */
type Step = string[] | { block: string[]; resp3?: boolean } | { reply: number } | { blocked: number };

interface Outcome {
  replies: string[];
  dirty: number[];
  stream: string[][];
}

/** Times in XCLAIM effects differ between runs: mask them. */
function maskStream(stream: string[][]): string[][] {
  return stream.map((a) => a.map((x, i) => (i > 0 && a[i - 1] === 'TIME' && a[0] === 'XCLAIM' ? '<time>' : x)));
}

async function runSteps(port: number, tap: StreamTap, steps: Step[]): Promise<Outcome> {
  const admin = await RawClient.connect(port);
  const c = await RawClient.connect(port);
  const waiters: RawClient[] = [];
  let blocked = 0;
  try {
    await c.call('FLUSHALL');
    await tap.take();
    // The real tap's marker key would count in FLUSHDB's change count.
    await c.call('DEL', '__mark__');
    const replies: string[] = [];
    const dirty: number[] = [];
    for (const step of steps) {
      const before = await infoField(admin, 'persistence', 'rdb_changes_since_last_save');
      if (Array.isArray(step)) {
        replies.push(await c.call(...step));
      } else if ('block' in step) {
        const w = await RawClient.connect(port);
        if (step.resp3 === true) await w.call('HELLO', '3');
        waiters.push(w);
        w.send(...step.block);
        blocked++;
        await waitBlocked(admin, blocked);
      } else if ('reply' in step) {
        replies.push(`waiter ${step.reply}: ${await waiters[step.reply].reply()}`);
        blocked--;
      } else {
        await waitBlocked(admin, step.blocked);
        replies.push(`blocked ${step.blocked}`);
      }
      dirty.push((await infoField(admin, 'persistence', 'rdb_changes_since_last_save')) - before);
    }
    await waitBlocked(admin, 0);
    return { replies, dirty, stream: maskStream(await tap.take()) };
  } finally {
    for (const w of waiters) w.close();
    c.close();
    admin.close();
  }
}

describe('stream blocking, propagation and change counting', () => {
  let ours: Awaited<ReturnType<typeof startTappedServer>>;
  let real: ServerProcess | null = null;
  let realTap: StreamTap | null = null;

  beforeAll(async () => {
    ours = await startTappedServer();
    if (noReal === null) {
      real = await startServer({ real: true });
      realTap = await tapReplicationStream(real.port);
    }
  });
  afterAll(async () => {
    realTap?.close();
    await ours?.stop();
    await real?.stop();
  });

  /** Runs on redis-ts, and on redis-server when installed: replies, stream and changes must agree. */
  async function both(steps: Step[]): Promise<Outcome> {
    const r = await runSteps(ours.port, ours.tap, steps);
    if (real !== null && realTap !== null) {
      const rr = await runSteps(real.port, realTap, steps);
      expect(r.replies).toEqual(rr.replies);
      expect(r.stream).toEqual(rr.stream);
      expect(r.dirty).toEqual(rr.dirty);
    }
    return r;
  }

  it('XADD propagates the chosen ID and exact trim arguments; XTRIM likewise; reads propagate nothing', async () => {
    const fill: Step[] = Array.from({ length: 250 }, (_, i) => ['XADD', 'a', `${i + 1}-1`, 'f', 'v']);
    const r = await both([
      ['XADD', 's', '1-1', 'a', '1'],
      ['XADD', 's', '1-*', 'a', '2'],
      ['XADD', 's', 'NOMKSTREAM', '5-*', 'a', '3'],
      ['XADD', 'nokey', 'NOMKSTREAM', '1-1', 'a', '1'],
      ['XADD', 's', '1-1', 'a', '1'],
      ['XADD', 's', 'MAXLEN', '2', '6-1', 'a', '4'],
      ['XADD', 's', 'maxlen', '~', '1', '7-1', 'a', '5'],
      ['XADD', 's', 'MINID', '~', '7', 'LIMIT', '10', '8-1', 'a', '6'],
      ...fill,
      ['XADD', 'a', 'MAXLEN', '~', '120', '300-1', 'f', 'v'],
      ['XADD', 'a', 'MAXLEN', '~', '120', 'LIMIT', '50', '301-1', 'f', 'v'],
      ['XADD', 'a', 'MINID', '~', '250', '302-1', 'f', 'v'],
      ['XDEL', 'a', '220-1', '999-9'],
      ['XTRIM', 'a', 'MAXLEN', '~', '10'],
      ['XTRIM', 'a', 'MAXLEN', '~', '10'],
      ['XTRIM', 'a', 'MINID', '~', '302'],
      ['XTRIM', 'a', 'MINID', '=', '301', 'LIMIT', '0'],
      ['XTRIM', 'a', 'MAXLEN', '100'],
      ['XLEN', 'a'],
      ['XRANGE', 's', '-', '+'],
      ['XREAD', 'STREAMS', 's', '0'],
      ['XINFO', 'STREAM', 's'],
      ['XSETID', 's', '9-9', 'ENTRIESADDED', '10', 'MAXDELETEDID', '2-0'],
      ['XDEL', 's', '7-1', '8-1'],
      ['XADD', 's', 'MINID', '~', '0', '10-1', 'a', '7'],
      ['XADD', 's', 'MAXLEN', '~', '0', '11-1', 'a', '8'],
    ]);
    expect(r.stream.slice(0, 5)).toEqual([
      ['XADD', 's', '1-1', 'a', '1'],
      ['XADD', 's', '1-2', 'a', '2'],
      ['XADD', 's', 'NOMKSTREAM', '5-0', 'a', '3'],
      ['XADD', 's', 'MAXLEN', '2', '6-1', 'a', '4'],
      ['XADD', 's', 'maxlen', '=', '3', '7-1', 'a', '5'],
    ]);
  });

  it('XADD "*" propagates the ID it replied', async () => {
    const r = await runSteps(ours.port, ours.tap, [['XADD', 'k', '*', 'a', '1'], ['XADD', 'k', 'MAXLEN', '~', '5', '*', 'b', '2']]);
    const ids = r.replies.map((x) => x.split('\r\n')[1]);
    expect(r.stream).toEqual([
      ['XADD', 'k', ids[0], 'a', '1'],
      ['XADD', 'k', 'MAXLEN', '=', '2', ids[1], 'b', '2'],
    ]);
  });

  it('consumer group commands propagate XCLAIM / XGROUP SETID / CREATECONSUMER effects', async () => {
    const r = await both([
      ['XADD', 's', '1-1', 'a', '1'],
      ['XADD', 's', '2-1', 'b', '2'],
      ['XADD', 's', '3-1', 'c', '3'],
      ['XADD', 's', '4-1', 'd', '4'],
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XGROUP', 'CREATE', 's', 'n', '$', 'ENTRIESREAD', '4'],
      ['XGROUP', 'CREATE', 'm', 'g', '$', 'MKSTREAM'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', 'm', '>', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', '>'],
      ['XGROUP', 'SETID', 's', 'n', '0'],
      ['XREADGROUP', 'GROUP', 'n', 'carol', 'NOACK', 'COUNT', '3', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'n', 'carol', 'NOACK', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'n', 'dave', 'NOACK', 'STREAMS', 's', '>'],
      ['XACK', 's', 'g', '1-1', '9-9'],
      ['XACK', 's', 'g', '9-9'],
      ['XCLAIM', 's', 'g', 'zoe', '0', '2-1', 'JUSTID'],
      ['XCLAIM', 's', 'g', 'zoe', '0', '3', '4-1', 'RETRYCOUNT', '5', 'IDLE', '10'],
      ['XCLAIM', 's', 'g', 'zoe', '100000000', '3-1'],
      ['XCLAIM', 's', 'g', 'zoe', '0', '9-9', 'LASTID', '7-0'],
      ['XCLAIM', 's', 'g', 'zoe', '0', '9-9', 'LASTID', '1-0'],
      ['XDEL', 's', '2-1'],
      ['XCLAIM', 's', 'g', 'yan', '0', '2-1', '3-1', 'FORCE'],
      ['XCLAIM', 's', 'g', 'yan', '0', '1-1', 'FORCE', 'JUSTID', 'LASTID', '8-0'],
      ['XDEL', 's', '4-1'],
      ['XAUTOCLAIM', 's', 'g', 'xi', '0', '0', 'COUNT', '1'],
      ['XAUTOCLAIM', 's', 'g', 'xi', '0', '0', 'JUSTID'],
      ['XAUTOCLAIM', 's', 'g', 'xi', '100000000', '0'],
      ['XGROUP', 'SETID', 's', 'g', '$', 'ENTRIESREAD', '3'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g', 'wu'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g', 'wu'],
      ['XGROUP', 'DELCONSUMER', 's', 'g', 'wu'],
      ['XGROUP', 'DELCONSUMER', 's', 'g', 'nobody'],
      ['XGROUP', 'DESTROY', 's', 'n'],
      ['XGROUP', 'DESTROY', 's', 'n'],
      ['XPENDING', 's', 'g'],
      ['XINFO', 'GROUPS', 's'],
    ]);
    // Without redis-server, at least the shape of the first delivery.
    const i = r.stream.findIndex((a) => a[0] === 'XCLAIM');
    expect(r.stream[i]).toEqual(['XCLAIM', 's', 'g', 'alice', '0', '1-1', 'TIME', '<time>', 'RETRYCOUNT', '1', 'FORCE', 'JUSTID', 'LASTID', '1-1']);
  });

  it('XREAD BLOCK is woken by XADD; `$` means the last ID at blocking time', async () => {
    await both([
      ['XADD', 's', '5-0', 'a', '1'],
      { block: ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$'] },
      { block: ['XREAD', 'BLOCK', '0', 'STREAMS', 'nokey', '$'], resp3: true },
      // A signal that brings nothing new (the group goes away) leaves $ waiting.
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XGROUP', 'DESTROY', 's', 'g'],
      { blocked: 2 },
      ['XADD', 's', '6-0', 'b', '2'],
      { reply: 0 },
      { blocked: 1 },
      ['XADD', 'nokey', '1-1', 'c', '3'],
      { reply: 1 },
      // Entries added then deleted in one transaction: the waiter is served an empty range.
      { block: ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$'] },
      ['MULTI'],
      ['XADD', 's', '7-0', 'x', '1'],
      ['XDEL', 's', '7-0'],
      ['EXEC'],
      { reply: 2 },
      // An ID above the new entry keeps waiting.
      { block: ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '100-0'] },
      ['XADD', 's', '8-0', 'y', '1'],
      { blocked: 1 },
      ['XADD', 's', '100-1', 'z', '1'],
      { reply: 3 },
    ]);
  });

  it('a waiter on several keys is served from the key that became ready first, with a 1000-entry cap', async () => {
    const many: Step[] = Array.from({ length: 1200 }, (_, i) => ['XADD', 'big', `${i + 1}-0`, 'f', String(i)]);
    await both([
      { block: ['XREAD', 'BLOCK', '0', 'STREAMS', 's1', 's2', '$', '$'] },
      ['MULTI'],
      ['XADD', 's2', '1-1', 'a', '1'],
      ['XADD', 's1', '1-1', 'b', '2'],
      ['EXEC'],
      { reply: 0 },
      { block: ['XREAD', 'BLOCK', '0', 'STREAMS', 'big', '0'] },
      { block: ['XREAD', 'BLOCK', '0', 'COUNT', '1100', 'STREAMS', 'big', '0'] },
      ['MULTI'],
      ...many,
      ['EXEC'],
      { reply: 0 + 1 },
      { reply: 2 },
      { block: ['XREAD', 'BLOCK', '0', 'STREAMS', 'w', 's1', '0', '$'] },
      ['RPUSH', 'w', 'x'],
      { blocked: 1 },
      ['XADD', 's1', '2-1', 'c', '3'],
      { reply: 3 },
    ]);
  });

  it('XREADGROUP waiters are served in order and follow the group last ID; NOACK and history', async () => {
    await both([
      ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'],
      { block: ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 's', '>'] },
      { block: ['XREADGROUP', 'GROUP', 'g', 'bob', 'BLOCK', '0', 'STREAMS', 's', '>'] },
      { block: ['XREADGROUP', 'GROUP', 'g', 'carol', 'NOACK', 'BLOCK', '0', 'STREAMS', 's', '>'], resp3: true },
      ['XADD', 's', '1-1', 'a', '1'],
      { reply: 0 },
      { blocked: 2 },
      ['MULTI'],
      ['XADD', 's', '2-1', 'b', '2'],
      ['XADD', 's', '3-1', 'c', '3'],
      ['EXEC'],
      { reply: 1 },
      { blocked: 1 },
      ['XADD', 's', '4-1', 'd', '4'],
      { reply: 2 },
      // Moving the group back does not wake anyone; the next entry re-delivers from there.
      { block: ['XREADGROUP', 'GROUP', 'g', 'dan', 'BLOCK', '0', 'STREAMS', 's', '>'] },
      ['XGROUP', 'SETID', 's', 'g', '2-1'],
      { blocked: 1 },
      ['XADD', 's', '5-1', 'e', '5'],
      { reply: 3 },
      ['XPENDING', 's', 'g'],
      ['XINFO', 'GROUPS', 's'],
    ]);
  });

  it('XREADGROUP waiters: NOGROUP when the group is destroyed, UNBLOCKED when the stream goes away', async () => {
    await both([
      ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'],
      ['XGROUP', 'CREATE', 's', 'h', '$'],
      { block: ['XREADGROUP', 'GROUP', 'g', 'a', 'BLOCK', '0', 'STREAMS', 's', '>'] },
      { block: ['XREADGROUP', 'GROUP', 'h', 'b', 'BLOCK', '0', 'STREAMS', 's', '>'] },
      ['XGROUP', 'DESTROY', 's', 'g'],
      { reply: 0 },
      { blocked: 1 },
      // Deleting the stream ends XREADGROUP waiters at once; XREAD ones wait on.
      { block: ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$'] },
      ['XGROUP', 'CREATE', 'other', 'h', '$', 'MKSTREAM'],
      { block: ['XREADGROUP', 'GROUP', 'h', 'c', 'BLOCK', '0', 'STREAMS', 'other', 's', '>', '>'] },
      ['DEL', 's'],
      { reply: 1 },
      { reply: 3 },
      { blocked: 1 },
      ['XADD', 's', '1-1', 'a', '1'],
      { reply: 2 },
      // Overwritten by another type.
      ['XGROUP', 'CREATE', 's', 'g', '$'],
      { block: ['XREADGROUP', 'GROUP', 'g', 'd', 'BLOCK', '0', 'STREAMS', 's', '>'] },
      ['SET', 's', 'x'],
      { reply: 4 },
      // Deleted and re-created inside one transaction: the group is gone.
      ['DEL', 's'],
      ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'],
      { block: ['XREADGROUP', 'GROUP', 'g', 'e', 'BLOCK', '0', 'STREAMS', 's', '>'] },
      ['MULTI'],
      ['DEL', 's'],
      ['XADD', 's', '1-1', 'a', '1'],
      ['EXEC'],
      { reply: 5 },
      // Flushed.
      ['XGROUP', 'CREATE', 's', 'g', '$'],
      { block: ['XREADGROUP', 'GROUP', 'g', 'f', 'BLOCK', '0', 'STREAMS', 's', '>'] },
      ['FLUSHDB'],
      { reply: 6 },
    ]);
  });

  it('timeouts reply a null array (RESP2 and RESP3); CLIENT UNBLOCK; BLOCK inside MULTI', async () => {
    for (const port of [ours.port, ...(real !== null ? [real.port] : [])]) {
      const c = await RawClient.connect(port);
      const admin = await RawClient.connect(port);
      try {
        await c.call('DEL', 'ts');
        let t0 = Date.now();
        expect(await c.call('XREAD', 'BLOCK', '150', 'STREAMS', 'ts', '$')).toBe('*-1\r\n');
        let took = Date.now() - t0;
        expect(took).toBeGreaterThanOrEqual(140);
        expect(took).toBeLessThan(3000);
        await c.call('XGROUP', 'CREATE', 'ts', 'g', '$', 'MKSTREAM');
        await c.call('HELLO', '3');
        t0 = Date.now();
        expect(await c.call('XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '100', 'STREAMS', 'ts', '>')).toBe('_\r\n');
        took = Date.now() - t0;
        expect(took).toBeGreaterThanOrEqual(90);
        expect(took).toBeLessThan(3000);
        await c.call('HELLO', '2');
        const id = (await c.call('CLIENT', 'ID')).slice(1, -2);
        c.send('XREAD', 'BLOCK', '0', 'STREAMS', 'ts', '$');
        await waitBlocked(admin, 1);
        expect(await admin.call('CLIENT', 'UNBLOCK', id)).toBe(':1\r\n');
        expect(await c.reply()).toBe('*-1\r\n');
        c.send('XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 'ts', '>');
        await waitBlocked(admin, 1);
        expect(await admin.call('CLIENT', 'UNBLOCK', id, 'ERROR')).toBe(':1\r\n');
        expect(await c.reply()).toBe('-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
        await waitBlocked(admin, 0);
        // The waiter's pipeline goes on after it is served.
        c.send('XREAD', 'BLOCK', '0', 'STREAMS', 'ts', '$');
        c.send('PING');
        await waitBlocked(admin, 1);
        await admin.call('XADD', 'ts', '5-5', 'k', 'v');
        expect(await c.reply()).toBe('*1\r\n*2\r\n$2\r\nts\r\n*1\r\n*2\r\n$3\r\n5-5\r\n*2\r\n$1\r\nk\r\n$1\r\nv\r\n');
        expect(await c.reply()).toBe('+PONG\r\n');
        expect(await c.call('MULTI')).toBe('+OK\r\n');
        expect(await c.call('XREAD', 'BLOCK', '0', 'STREAMS', 'ts', '$')).toBe('+QUEUED\r\n');
        expect(await c.call('EXEC')).toBe('*1\r\n*-1\r\n');
      } finally {
        c.close();
        admin.close();
      }
    }
  });
});

describe('stream command key positions', () => {
  const table = new CommandTable([streamCommands]);
  const keys = (...argv: string[]) => keyIndexes(table.lookup(argv)!, argv);

  it('XREAD / XREADGROUP keys follow the first STREAMS option (xreadGetKeys)', () => {
    expect(keys('xread', 'STREAMS', 'a', 'b', '0', '0')).toEqual([2, 3]);
    expect(keys('xread', 'COUNT', '1', 'BLOCK', '0', 'streams', 'a', '0')).toEqual([6]);
    expect(keys('xreadgroup', 'GROUP', 'streams', 'c', 'NOACK', 'STREAMS', 'streams', '>')).toEqual([6]);
    expect(keys('xread', 'STREAMS', 'a', 'b', '0')).toEqual([2]);
    expect(keys('xread', 'FOO', 'STREAMS', 'a', '0')).toEqual([]);
    expect(keys('xadd', 's', '*', 'a', '1')).toEqual([1]);
    expect(keys('xgroup', 'create', 's', 'g', '$')).toEqual([2]);
    expect(keys('xinfo', 'stream', 's')).toEqual([2]);
  });
});

describe.skipIf(noReal !== null)(`COMMAND GETKEYS for stream commands vs redis-server${noReal ? ` (skipped: ${noReal})` : ''}`, () => {
  let pair: ServerProcess[] = [];
  beforeAll(async () => {
    pair = await Promise.all([startServer(), startServer({ real: true })]);
  });
  afterAll(async () => {
    await Promise.all(pair.map((s) => s.stop()));
  });

  it('gives the same keys', async () => {
    const cases = [
      ['xread', 'STREAMS', 'a', 'b', '0', '0'],
      ['xread', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 'a', '0'],
      ['xreadgroup', 'GROUP', 'streams', 'c', 'NOACK', 'STREAMS', 'streams', '>'],
      ['xadd', 's', 'MAXLEN', '~', '1', '*', 'a', '1'],
      ['xgroup', 'create', 's', 'g', '$', 'MKSTREAM'],
      ['xinfo', 'stream', 's', 'FULL'],
      ['xclaim', 's', 'g', 'c', '0', '1-1'],
      ['xautoclaim', 's', 'g', 'c', '0', '0'],
      ['xsetid', 's', '1-1'],
    ];
    const out: string[][] = [[], []];
    for (let i = 0; i < 2; i++) {
      const c = await RawClient.connect(pair[i].port);
      for (const argv of cases) out[i].push(await c.call('COMMAND', 'GETKEYS', ...argv));
      c.close();
    }
    expect(out[0]).toEqual(out[1]);
  });
});
