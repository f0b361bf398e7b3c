// Differential: keyspace notifications of the list, set and hash commands (t_list.c,
// t_set.c, t_hash.c, and the blocking pops served from blocked.c), compared with
// redis-server 7.0: the same events, in the same order, under the same conditions
// (nothing for a no-op or an error, a del after the last element goes).
import { expect, it } from 'vitest';
import { describeDifferential, lines, type DiffPair } from '../helpers/diff.js';
import { expectSameEvents } from '../helpers/notify.js';
import { RawClient } from '../helpers/raw-client.js';

const MARKER_CHANNEL = '__notify_collections_marker__';

/** A script from lines(): plain strings only (the capture helper takes string[][]). */
function script(text: string): string[][] {
  return lines(text).map((argv) => argv.map((a) => a.toString()));
}

const LIST = script(`
  LPUSH l a b c
  RPUSH l d
  LPUSHX nol x
  RPUSHX nol x
  RPUSHX l e
  LPUSHX l z
  SET str v
  LPUSH str x
  RPUSHX str x
  LINSERT l BEFORE c X
  LINSERT l AFTER c Y
  LINSERT l AFTER nope Y
  LINSERT nol BEFORE a b
  LINSERT l MIDDLE a b
  LINSERT str BEFORE a b
  LSET l 0 Z
  LSET l -1 W
  LSET l 100 Z
  LSET nol 0 a
  LSET l notanint a
  LSET str 0 a
  LREM l 0 nope
  LREM l 1 a
  LREM l -1 b
  LREM nol 0 a
  LREM l notanint a
  LREM str 0 a
  LTRIM l 0 -1
  LTRIM l 1 3
  LTRIM nol 0 1
  LTRIM str 0 1
  LTRIM l x 1
  LTRIM l 5 1
  EXISTS l
  RPUSH l2 x x x
  LREM l2 0 x
  EXISTS l2
  RPUSH l3 a b c d e f
  LPOP l3
  RPOP l3
  LPOP l3 0
  RPOP l3 0
  LPOP l3 2
  LPOP l3 -1
  RPOP l3 5
  EXISTS l3
  LPOP nol
  RPOP nol
  LPOP nol 2
  LPOP str
  RPUSH l4 a
  RPOP l4
  RPUSH l5 a
  LPOP l5 1
  RPUSH l6 a b c
  LMPOP 2 nol l6 LEFT
  LMPOP 1 l6 RIGHT COUNT 1
  LMPOP 1 l6 RIGHT COUNT 10
  LMPOP 1 nol LEFT
  LMPOP 2 nol str LEFT
  LMPOP 0 l6 LEFT
  RPUSH src a b c
  LMOVE src dst LEFT RIGHT
  RPOPLPUSH src dst
  LMOVE src dst RIGHT LEFT
  EXISTS src
  LMOVE nol dst LEFT LEFT
  RPOPLPUSH nol dst
  LMOVE dst dst LEFT RIGHT
  RPOPLPUSH dst dst
  RPUSH one x
  LMOVE one one RIGHT LEFT
  RPOPLPUSH one one
  LMOVE dst str LEFT LEFT
  LMOVE str dst LEFT LEFT
  LMOVE dst other UP LEFT
  BLPOP nol dst 0
  BRPOP dst 0
  BRPOP dst 0
  EXISTS dst
  RPUSH b1 a b c
  BLMPOP 0 1 b1 LEFT COUNT 2
  BLMOVE b1 b2 RIGHT LEFT 0
  EXISTS b1
  BRPOPLPUSH b2 b2 0
  BRPOPLPUSH b2 b3 0
  BLMPOP 0 2 nol b3 RIGHT
  BLPOP str 0
`);

const SET = script(`
  SADD s a b c
  SADD s a
  SADD s a d
  SET str v
  SADD str x
  SREM s nope
  SREM nos a
  SREM str a
  SREM s a nope
  SREM s b c d nope
  EXISTS s
  SADD s1 1 2 3
  SADD s2 3 4
  SMOVE s1 s2 1
  SMOVE s1 s2 3
  SMOVE s1 s2 nope
  SMOVE nos s2 a
  SMOVE s2 s2 3
  SMOVE s2 s2 nope
  SMOVE s1 str 2
  SMOVE str s1 2
  SMOVE s1 newdst 2
  EXISTS s1
  SADD p 1 2 3 4 5 6 7 8 9 10
  SPOP p
  SPOP p 0
  SPOP nos
  SPOP nos 3
  SPOP str
  SPOP str 2
  SPOP p -1
  SPOP p 1 2
  SPOP p 1
  SPOP p 6
  SPOP p 100
  EXISTS p
  SADD p2 a b c d e f g h i j
  SPOP p2 9
  SPOP p2
  EXISTS p2
  SADD one x
  SPOP one 1
  SADD one2 x
  SPOP one2
  SADD a 1 2 3
  SADD b 2 3 4
  SADD c 7 8
  SINTERSTORE d a b
  SINTERSTORE d a b
  SINTERSTORE d a nos
  SINTERSTORE d a nos
  SINTERSTORE d a b
  SINTERSTORE d a c
  SINTERSTORE d a c
  SINTERSTORE d a str
  SUNIONSTORE u a b
  SUNIONSTORE u nos
  SUNIONSTORE u nos
  SUNIONSTORE u a str
  SDIFFSTORE df a b
  SDIFFSTORE df a a
  SDIFFSTORE df a a
  SDIFFSTORE df nos a
  SDIFFSTORE df a nos
  SDIFFSTORE df b a c
  SET str2 v
  SINTERSTORE str2 a b
  TYPE str2
  SUNIONSTORE a a c
  SINTERSTORE a a
  SINTER a b
  SUNION a b
  SDIFF a b
  SINTERCARD 2 a b
  SMEMBERS a
  SISMEMBER a 1
  SCARD a
`);

const HASH = script(`
  HSET h f v
  HSET h f v
  HSET h f v2 g w
  HMSET h a 1 b 2
  HMSET h a 1
  HSET h f
  SET str v
  HSET str f v
  HMSET str f v
  HSETNX h f x
  HSETNX h n x
  HSETNX newh f v
  HSETNX str f v
  HINCRBY h a 5
  HINCRBY h a -5
  HINCRBY h f 1
  HINCRBY h a notanint
  HINCRBY h a 9223372036854775807
  HINCRBY h a 9223372036854775807
  HINCRBY newh2 x 1
  HINCRBY nokey x notanint
  EXISTS nokey
  HINCRBY str f 1
  HINCRBYFLOAT h a 1.5
  HINCRBYFLOAT h f 1
  HINCRBYFLOAT h a abc
  HINCRBYFLOAT h a inf
  HINCRBYFLOAT newh3 x 2.5
  HINCRBYFLOAT str f 1
  HDEL h nope
  HDEL noh f
  HDEL str f
  HDEL h f nope
  HDEL h a b g n nope
  EXISTS h
  HSET h2 x 1
  HDEL h2 x
  HGET newh f
  HGETALL newh
  HLEN newh
  HEXISTS newh f
  HRANDFIELD newh
`);

describeDifferential('keyspace notifications (lists, sets, hashes) vs redis-server', (pair) => {
  for (const classes of ['KEA', 'Kl', 'Eg', 'KEAn', 'Km']) {
    it(`list commands (${classes})`, async () => {
      await expectSameEvents(pair, LIST, classes);
    });
  }
  for (const classes of ['KEA', 'Es', 'Kg', 'KEAn', 'Km']) {
    it(`set commands (${classes})`, async () => {
      await expectSameEvents(pair, SET, classes);
    });
  }
  for (const classes of ['KEA', 'Eh', 'Kg', 'KEAn', 'Km']) {
    it(`hash commands (${classes})`, async () => {
      await expectSameEvents(pair, HASH, classes);
    });
  }
  it('collection commands with every class off emit nothing', async () => {
    await expectSameEvents(pair, [...LIST, ...script('FLUSHALL'), ...SET, ...script('FLUSHALL'), ...HASH], 'KE$zxetd');
  });

  // Blocking pops served by a push from the script's connection. Each waiter blocks on
  // its own connection first (polled through INFO until it counts as blocked).
  for (const classes of ['KEA', 'El', 'KEAn']) {
    it(`BLPOP / BRPOP served by a push (${classes})`, async () => {
      await expectSameServed(pair, classes, [
        { client: 0, block: ['BLPOP', 'bl', '0'] },
        ['LPUSH', 'bl', 'a'],
        ['EXISTS', 'bl'],
        { client: 0, block: ['BRPOP', 'nol', 'bl2', '0'] },
        ['RPUSH', 'bl2', 'a', 'b'],
        ['LRANGE', 'bl2', '0', '-1'],
        // Two waiters on one key: one push of two elements serves both, then del.
        { client: 0, block: ['BLPOP', 'two', '0'] },
        { client: 1, block: ['BRPOP', 'two', '0'] },
        ['RPUSH', 'two', 'x', 'y'],
        ['EXISTS', 'two'],
        // Two waiters, one element: the second keeps waiting until the next push.
        { client: 0, block: ['BLPOP', 'w', '0'] },
        { client: 1, block: ['BLPOP', 'w', '0'] },
        ['LPUSH', 'w', 'only'],
        ['LPUSH', 'w', 'next'],
        // Pushed inside MULTI/EXEC: served after the EXEC.
        { client: 0, block: ['BLPOP', 'm', '0'] },
        ['MULTI'],
        ['RPUSH', 'm', 'a'],
        ['RPUSH', 'm', 'b'],
        ['EXEC'],
      ]);
    });

    it(`BLMPOP served by a push (${classes})`, async () => {
      await expectSameServed(pair, classes, [
        { client: 0, block: ['BLMPOP', '0', '2', 'nol', 'bm', 'LEFT', 'COUNT', '5'] },
        ['RPUSH', 'bm', 'a', 'b'],
        ['EXISTS', 'bm'],
        { client: 0, block: ['BLMPOP', '0', '1', 'bm', 'RIGHT', 'COUNT', '2'] },
        ['RPUSH', 'bm', 'a', 'b', 'c'],
        ['LRANGE', 'bm', '0', '-1'],
        { client: 0, block: ['BLMPOP', '0', '1', 'bm2', 'RIGHT'] },
        ['LPUSH', 'bm2', 'a'],
      ]);
    });

    it(`BLMOVE / BRPOPLPUSH served by a push (${classes})`, async () => {
      await expectSameServed(pair, classes, [
        { client: 0, block: ['BLMOVE', 'bsrc', 'bdst', 'RIGHT', 'LEFT', '0'] },
        ['RPUSH', 'bsrc', 'x'],
        ['LRANGE', 'bdst', '0', '-1'],
        { client: 0, block: ['BRPOPLPUSH', 'bsrc', 'bdst', '0'] },
        ['RPUSH', 'bsrc', 'y', 'z'],
        ['LRANGE', 'bdst', '0', '-1'],
        // A chain: the served move's push serves the next waiter.
        { client: 0, block: ['BRPOPLPUSH', 'q1', 'q2', '0'] },
        { client: 1, block: ['BLPOP', 'q2', '0'] },
        ['LPUSH', 'q1', 'x'],
        ['EXISTS', 'q1', 'q2'],
        // Moving onto itself.
        { client: 0, block: ['BLMOVE', 'self', 'self', 'LEFT', 'RIGHT', '0'] },
        ['RPUSH', 'self', 'a'],
        ['LRANGE', 'self', '0', '-1'],
        // The destination has the wrong type: the waiter gets WRONGTYPE, nothing moves.
        ['SET', 'strdst', 'v'],
        { client: 0, block: ['BLMOVE', 'ws', 'strdst', 'LEFT', 'LEFT', '0'] },
        ['RPUSH', 'ws', 'a'],
        ['LRANGE', 'ws', '0', '-1'],
      ]);
    });

    it(`a waiter in another database is served with that database's events (${classes})`, async () => {
      await expectSameServed(pair, classes, [
        { client: 0, call: ['SELECT', '3'] },
        { client: 0, block: ['BLPOP', 'k', '0'] },
        ['SELECT', '3'],
        ['RPUSH', 'k', 'a'],
        { client: 0, block: ['BLMOVE', 'k2', 'k3', 'LEFT', 'LEFT', '0'] },
        ['RPUSH', 'k2', 'a', 'b'],
        ['SELECT', '0'],
      ]);
    });
  }
});

/** A step: a command on the script connection, or a call / a blocking command on a waiter's. */
type Step = string[] | { client: number; call: string[] } | { client: number; block: string[] };

/** Runs the steps on both servers (after FLUSHALL) and expects the same events and replies. */
async function expectSameServed(pair: DiffPair, classes: string, steps: Step[]): Promise<void> {
  const run = async (port: number) => {
    const c = await RawClient.connect(port);
    await c.call('FLUSHALL');
    c.close();
    return captureServed(port, steps, classes);
  };
  const ours = await run(pair.ours.port);
  const real = await run(pair.real.port);
  expect(ours).toEqual(real);
}

async function blockedClients(admin: RawClient): Promise<number> {
  const info = await admin.call('INFO', 'clients');
  const m = /blocked_clients:(\d+)/.exec(info);
  if (m === null) throw new Error(`INFO clients has no blocked_clients: ${info}`);
  return Number(m[1]);
}

/** Polls INFO until exactly n clients are blocked (5 s deadline). */
async function waitBlocked(admin: RawClient, n: number): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const got = await blockedClients(admin);
    if (got === n) return;
    if (Date.now() > deadline) throw new Error(`expected ${n} blocked clients, have ${got}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * captureEvents (test/helpers/notify.ts) with waiters: every command of the script
 * connection is followed by a marker so the events it caused (the served waiters'
 * included) are known to have arrived. Returns the events, then every waiter's
 * replies (each blocking command must have been answered by the end).
 */
async function captureServed(port: number, steps: Step[], classes: string): Promise<string[]> {
  const sub = await RawClient.connect(port);
  const cmd = await RawClient.connect(port);
  const admin = await RawClient.connect(port);
  const waiters: RawClient[] = [];
  const outstanding: number[] = [];
  const out: string[] = [];
  try {
    await cmd.call('CONFIG', 'SET', 'notify-keyspace-events', classes);
    await sub.call('PSUBSCRIBE', '__key*__:*');
    await sub.call('SUBSCRIBE', MARKER_CHANNEL);
    const waiter = async (i: number): Promise<RawClient> => {
      while (waiters.length <= i) {
        waiters.push(await RawClient.connect(port));
        outstanding.push(0);
      }
      return waiters[i];
    };
    for (const step of steps) {
      if (!Array.isArray(step)) {
        const w = await waiter(step.client);
        if ('call' in step) {
          out.push(`waiter ${step.client} ${step.call.join(' ')} => ${await w.call(...step.call)}`);
        } else {
          const before = await blockedClients(admin);
          w.send(...step.block);
          outstanding[step.client]++;
          await waitBlocked(admin, before + 1);
        }
        continue;
      }
      const reply = await cmd.call(...step);
      out.push(`${step.join(' ')} => ${reply}`);
      // The marker goes through the same connection: inside MULTI it would be queued.
      if (step[0].toUpperCase() === 'MULTI' || (reply === '+QUEUED\r\n' && step[0].toUpperCase() !== 'EXEC')) continue;
      await cmd.call('PUBLISH', MARKER_CHANNEL, 'x');
      for (;;) {
        const r = await sub.reply();
        const words = r.split('\r\n').filter((p) => p !== '' && !p.startsWith('*') && !p.startsWith('$') && !p.startsWith('>'));
        if (words[0] === 'message' && words[1] === MARKER_CHANNEL) break;
        if (words[0] === 'pmessage') out.push(`${step[0].toLowerCase()}: ${words[2]} ${words[3]}`);
      }
    }
    for (let i = 0; i < waiters.length; i++) {
      for (let n = 0; n < outstanding[i]; n++) out.push(`waiter ${i} reply => ${await waiters[i].reply()}`);
    }
    await cmd.call('CONFIG', 'SET', 'notify-keyspace-events', '');
    return out;
  } finally {
    sub.close();
    cmd.close();
    admin.close();
    for (const w of waiters) w.close();
  }
}
