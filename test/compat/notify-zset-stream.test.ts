// Differential: keyspace notifications of the sorted-set, geo and stream commands
// (t_zset.c, geo.c, t_stream.c, blocked.c), compared with redis-server 7.0: the same
// events, in the same order, under the same conditions (nothing when nothing changed).
import { expect, it } from 'vitest';
import { describeDifferential, type DiffPair } from '../helpers/diff.js';
import { expectSameEvents } from '../helpers/notify.js';
import { RawClient } from '../helpers/raw-client.js';

const ZADD_SCRIPT: string[][] = [
  ['ZADD', 'z', '1', 'a', '2', 'b'],
  ['ZADD', 'z', '1', 'a'], // same score: nothing
  ['ZADD', 'z', 'NX', '5', 'a'], // exists: nothing
  ['ZADD', 'z', 'XX', '3', 'c'], // missing member: nothing
  ['ZADD', 'nokey', 'XX', '3', 'c'], // missing key: nothing, no key created
  ['ZADD', 'z', 'XX', '3', 'a'],
  ['ZADD', 'z', 'GT', '1', 'a'], // not greater: nothing
  ['ZADD', 'z', 'LT', 'CH', '0', 'a'],
  ['ZADD', 'z', 'CH', '0', 'a'], // unchanged: nothing
  ['ZADD', 'z', 'INCR', '1', 'a'],
  ['ZADD', 'z', 'INCR', 'NX', '1', 'a'], // nil: nothing
  ['ZADD', 'z', 'INCR', '1', 'new'],
  ['ZINCRBY', 'z', '1', 'b'],
  ['ZINCRBY', 'z', '0', 'b'], // score unchanged: nothing
  ['ZINCRBY', 'fresh', '5', 'm'],
  ['ZADD', 'z', '-inf', 'ninf'],
  ['ZINCRBY', 'z', '+inf', 'ninf'], // NaN error: nothing
  ['ZADD', 'z', 'x', 'a'], // not a float: nothing
  ['ZADD', 'z', '1', 'a', '2'], // syntax: nothing
  ['XADD', 'st', '1-1', 'f', 'v'],
  ['ZADD', 'st', '1', 'a'], // WRONGTYPE: nothing
  ['ZINCRBY', 'st', '1', 'a'],
];

const ZREM_SCRIPT: string[][] = [
  ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e', '6', 'f'],
  ['ZREM', 'z', 'nomember'], // nothing
  ['ZREM', 'nokey', 'a'], // nothing
  ['ZREM', 'z', 'a', 'nomember'],
  ['ZREMRANGEBYSCORE', 'z', '100', '200'], // nothing
  ['ZREMRANGEBYSCORE', 'z', '(2', '3'],
  ['ZREMRANGEBYRANK', 'z', '10', '20'], // nothing
  ['ZREMRANGEBYRANK', 'z', '0', '0'],
  ['ZREMRANGEBYLEX', 'z', '[zzz', '+'], // nothing
  ['ZREMRANGEBYSCORE', 'nokey', '-inf', '+inf'], // nothing
  ['ZREMRANGEBYLEX', 'nokey', '-', '+'], // nothing
  ['ZREMRANGEBYRANK', 'nokey', '0', '-1'], // nothing
  ['ZREMRANGEBYSCORE', 'z', 'x', 'y'], // error: nothing
  ['ZADD', 'l', '0', 'a', '0', 'b', '0', 'c', '0', 'd'],
  ['ZREMRANGEBYLEX', 'l', '[a', '(c'],
  ['ZREMRANGEBYLEX', 'l', '-', '+'], // empties: zremrangebylex then del
  ['ZREMRANGEBYRANK', 'z', '0', '-1'], // empties: zremrangebyrank then del
  ['ZADD', 'z', '1', 'a', '2', 'b'],
  ['ZREMRANGEBYSCORE', 'z', '-inf', '+inf'], // empties: zremrangebyscore then del
  ['ZADD', 'z', '1', 'a', '2', 'b'],
  ['ZREM', 'z', 'a', 'b', 'c'], // empties: zrem then del
  ['ZADD', 'z', '1', 'a'],
  ['ZREM', 'z', 'a'],
];

const POP_SCRIPT: string[][] = [
  ['ZPOPMIN', 'nokey'], // nothing
  ['ZPOPMAX', 'nokey', '5'], // nothing
  ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
  ['ZPOPMIN', 'z', '0'], // count 0: nothing
  ['ZPOPMIN', 'z'],
  ['ZPOPMAX', 'z', '2'], // one event for the whole pop
  ['ZPOPMIN', 'z', '-1'], // error: nothing
  ['ZMPOP', '1', 'nokey', 'MIN'], // nothing
  ['ZMPOP', '2', 'nokey', 'z', 'MAX'],
  ['ZMPOP', '2', 'nokey', 'z', 'MIN', 'COUNT', '10'], // empties: zpopmin then del
  ['ZADD', 'z', '1', 'a', '2', 'b'],
  ['BZPOPMIN', 'nokey', 'z', '0'], // served at once
  ['BZPOPMAX', 'z', '0'], // empties: zpopmax then del
  ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
  ['BZMPOP', '0', '1', 'z', 'MAX', 'COUNT', '2'],
  ['ZPOPMAX', 'z', '100'], // empties
  ['XADD', 'st', '1-1', 'f', 'v'],
  ['ZPOPMIN', 'st'], // WRONGTYPE: nothing
  ['ZMPOP', '1', 'st', 'MIN'],
];

const STORE_SCRIPT: string[][] = [
  ['ZADD', 'a', '1', 'x', '2', 'y', '3', 'z'],
  ['ZADD', 'b', '2', 'y', '3', 'z', '4', 'w'],
  ['ZUNIONSTORE', 'u', '2', 'a', 'b'],
  ['ZUNIONSTORE', 'u', '2', 'a', 'b', 'WEIGHTS', '1', '2'], // overwrite: no del
  ['ZINTERSTORE', 'i', '2', 'a', 'b', 'AGGREGATE', 'MAX'],
  ['ZDIFFSTORE', 'd', '2', 'a', 'b'],
  ['ZRANGESTORE', 'r', 'a', '0', '1'],
  ['ZRANGESTORE', 'r', 'b', '(2', '+inf', 'BYSCORE', 'LIMIT', '0', '1'],
  ['ZRANGESTORE', 'r', 'a', '[a', '[y', 'BYLEX', 'REV'],
  // Empty results delete the destination (del), or do nothing when it is missing.
  ['ZUNIONSTORE', 'u', '1', 'nokey'],
  ['ZUNIONSTORE', 'u', '1', 'nokey'],
  ['ZINTERSTORE', 'i', '2', 'a', 'nokey'],
  ['ZINTERSTORE', 'i', '2', 'a', 'nokey'],
  ['ZDIFFSTORE', 'd', '2', 'a', 'a'],
  ['ZDIFFSTORE', 'd', '2', 'a', 'a'],
  ['ZRANGESTORE', 'r', 'a', '10', '20'],
  ['ZRANGESTORE', 'r', 'a', '10', '20'],
  ['ZRANGESTORE', 'r', 'nokey', '0', '-1'],
  ['ZRANGESTORE', 'a', 'nokey', '0', '-1'], // deletes a
  ['ZUNIONSTORE', 'u', '1', 'nokey', 'WEIGHTS'], // syntax error: nothing
  ['ZUNION', '2', 'a', 'b'], // read-only: nothing
  ['ZINTERCARD', '2', 'a', 'b'],
  ['ZRANGE', 'b', '0', '-1'],
];

const GEO_SCRIPT: string[][] = [
  ['GEOADD', 'g', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'],
  ['GEOADD', 'g', '13.361389', '38.115556', 'Palermo'], // unchanged: nothing
  ['GEOADD', 'g', 'NX', '13.5', '38.1', 'Palermo'], // nothing
  ['GEOADD', 'g', 'XX', '13.5', '38.1', 'Rome'], // nothing
  ['GEOADD', 'nokey', 'XX', '13.5', '38.1', 'Rome'], // nothing
  ['GEOADD', 'g', 'XX', 'CH', '13.5', '38.1', 'Palermo'],
  ['GEOADD', 'g', '200', '38.1', 'Bad'], // invalid: nothing
  ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STORE', 'dst'],
  ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STOREDIST', 'dst'],
  ['GEORADIUSBYMEMBER', 'g', 'Palermo', '300', 'km', 'COUNT', '1', 'STORE', 'dst2'],
  ['GEOSEARCHSTORE', 'dst3', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km'],
  ['GEOSEARCHSTORE', 'dst3', 'g', 'FROMMEMBER', 'Catania', 'BYBOX', '400', '400', 'km', 'STOREDIST'],
  // Nothing found (or no source): the destination is deleted, or nothing happens.
  ['GEORADIUS', 'g', '-100', '-40', '1', 'km', 'STORE', 'dst'],
  ['GEORADIUS', 'g', '-100', '-40', '1', 'km', 'STORE', 'dst'],
  ['GEOSEARCHSTORE', 'dst3', 'g', 'FROMLONLAT', '-100', '-40', 'BYRADIUS', '1', 'km'],
  ['GEOSEARCHSTORE', 'dst3', 'nosrc', 'FROMLONLAT', '-100', '-40', 'BYRADIUS', '1', 'km'],
  ['GEORADIUS', 'nosrc', '15', '37', '200', 'km', 'STORE', 'dst2'],
  ['GEORADIUS', 'nosrc', '15', '37', '200', 'km', 'STORE', 'dst2'],
  ['GEORADIUS', 'g', '15', '37', '200', 'km'], // read-only: nothing
  ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km'],
  ['GEOPOS', 'g', 'Palermo'],
  ['GEODIST', 'g', 'Palermo', 'Catania'],
  ['ZREM', 'g', 'Palermo', 'Catania'],
];

const XADD_SCRIPT: string[][] = [
  ['XADD', 's', '1-1', 'f', 'v'],
  ['XADD', 's', '1-1', 'f', 'v'], // not greater: nothing
  ['XADD', 's', '0-0', 'f', 'v'], // nothing
  ['XADD', 'nos', 'NOMKSTREAM', '1-1', 'f', 'v'], // nothing, no key
  ['XADD', 's', 'MAXLEN', '1', '2-1', 'f', 'v'], // xadd then xtrim
  ['XADD', 's', 'MAXLEN', '5', '3-1', 'f', 'v'], // nothing to trim: xadd only
  ['XADD', 's', 'MAXLEN', '~', '1', '4-1', 'f', 'v'], // ~ within one node: xadd only
  ['XADD', 's', 'MINID', '4', '5-1', 'f', 'v'], // xadd then xtrim
  ['XADD', 's', 'NOMKSTREAM', '6-*', 'f', 'v'],
  ['XADD', 's', 'MAXLEN', '-1', '7-1', 'f', 'v'], // error: nothing
  ['XADD', 's', '7-1', 'f'], // arity: nothing
  ['XTRIM', 's', 'MAXLEN', '10'], // nothing
  ['XTRIM', 'nokey', 'MAXLEN', '0'], // nothing
  ['XTRIM', 's', 'MAXLEN', '~', '0'], // ~ within one node: nothing
  ['XTRIM', 's', 'MAXLEN', '2'],
  ['XTRIM', 's', 'MINID', '100'], // empties the stream; the key stays
  ['XTRIM', 's', 'MINID', '100'],
  ['XADD', 's', '200-1', 'a', '1'],
  ['XADD', 's', '200-2', 'a', '2'],
  ['XADD', 's', '200-3', 'a', '3'],
  ['XDEL', 's', '9-9'], // nothing
  ['XDEL', 'nokey', '1-1'], // nothing
  ['XDEL', 's', 'bad'], // error: nothing
  ['XDEL', 's', '200-1', '200-9'],
  ['XDEL', 's', '200-2', '200-3'], // empties the stream; the key stays
  ['XSETID', 's', '300-0'],
  ['XSETID', 's', '300-0', 'ENTRIESADDED', '10', 'MAXDELETEDID', '200-3'],
  ['XSETID', 'nokey', '1-1'], // error: nothing
  ['XADD', 's', '400-1', 'f', 'v'],
  ['XSETID', 's', '1-1'], // smaller than the top item: nothing
  ['XLEN', 's'],
  ['XRANGE', 's', '-', '+'],
  ['XREAD', 'STREAMS', 's', '0'],
  ['ZADD', 'z', '1', 'a'],
  ['XADD', 'z', '1-1', 'f', 'v'], // WRONGTYPE: nothing
  ['XTRIM', 'z', 'MAXLEN', '0'],
];

const GROUP_SCRIPT: string[][] = [
  ['XADD', 's', '1-1', 'f', 'v'],
  ['XADD', 's', '2-1', 'f', 'v'],
  ['XADD', 's', '3-1', 'f', 'v'],
  ['XGROUP', 'CREATE', 's', 'g', '0'],
  ['XGROUP', 'CREATE', 's', 'g', '0'], // BUSYGROUP: nothing
  ['XGROUP', 'CREATE', 'nokey', 'g', '$'], // no key: nothing
  ['XGROUP', 'CREATE', 'ns', 'g', '$', 'MKSTREAM'], // new stream, xgroup-create
  ['XGROUP', 'CREATE', 'ns', 'g2', 'bad', 'MKSTREAM'], // error: nothing
  ['XGROUP', 'CREATE', 'nokey', 'g', 'bad', 'MKSTREAM'], // error: nothing, no key
  ['XGROUP', 'SETID', 's', 'g', '0'],
  ['XGROUP', 'SETID', 's', 'g', '$', 'ENTRIESREAD', '3'],
  ['XGROUP', 'SETID', 's', 'nogroup', '0'], // NOGROUP: nothing
  ['XGROUP', 'SETID', 's', 'g', '0'],
  ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c1'],
  ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c1'], // exists: nothing
  ['XGROUP', 'CREATECONSUMER', 's', 'nogroup', 'c1'], // nothing
  ['XGROUP', 'DELCONSUMER', 's', 'g', 'c1'],
  ['XGROUP', 'DELCONSUMER', 's', 'g', 'c1'], // missing: nothing
  // XREADGROUP creates its consumer only when it serves something.
  ['XREADGROUP', 'GROUP', 'g', 'c2', 'COUNT', '1', 'STREAMS', 's', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'c2', 'COUNT', '1', 'STREAMS', 's', '>'], // known consumer: nothing
  ['XREADGROUP', 'GROUP', 'g', 'c3', 'NOACK', 'STREAMS', 's', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'c4', 'STREAMS', 's', '>'], // nothing new: nothing
  ['XREADGROUP', 'GROUP', 'g', 'c5', 'STREAMS', 's', '0'], // history: creates c5
  ['XREADGROUP', 'GROUP', 'nogroup', 'c6', 'STREAMS', 's', '>'], // NOGROUP: nothing
  ['XREADGROUP', 'GROUP', 'g', 'c7', 'STREAMS', 'ns', '>'], // empty stream: nothing
  ['XACK', 's', 'g', '1-1'], // XACK emits nothing
  ['XPENDING', 's', 'g'],
  // XCLAIM / XAUTOCLAIM create their consumer when something is claimable.
  ['XGROUP', 'SETID', 's', 'g', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'c2', 'STREAMS', 's', '>'],
  ['XCLAIM', 's', 'g', 'c8', '3600000', '2-1'], // not idle long enough: nothing
  ['XCLAIM', 's', 'g', 'c8', '0', '9-9'], // not pending: nothing
  ['XCLAIM', 's', 'g', 'c8', '0', '2-1', 'JUSTID'],
  ['XCLAIM', 's', 'g', 'c8', '0', '3-1'], // c8 exists now: nothing
  ['XCLAIM', 's', 'g', 'c9', '0', '9-9', 'FORCE'], // no such entry: nothing
  ['XCLAIM', 's', 'g', 'c9', '0', '1-1', 'FORCE'],
  ['XAUTOCLAIM', 's', 'g', 'c10', '3600000', '0'], // nothing claimable: nothing
  ['XAUTOCLAIM', 's', 'g', 'c10', '0', '0', 'COUNT', '1'],
  ['XAUTOCLAIM', 's', 'g', 'c10', '0', '0'],
  ['XAUTOCLAIM', 'nokey', 'g', 'c11', '0', '0'], // error: nothing
  ['XINFO', 'STREAM', 's'],
  ['XINFO', 'GROUPS', 's'],
  ['XINFO', 'CONSUMERS', 's', 'g'],
  ['XGROUP', 'DELCONSUMER', 's', 'g', 'c10'],
  ['XGROUP', 'DESTROY', 's', 'g'],
  ['XGROUP', 'DESTROY', 's', 'g'], // missing: nothing
  ['XGROUP', 'DESTROY', 'ns', 'g'],
];

/**
 * Blocks `blocker` with `block`, then runs `trigger` on another connection and
 * returns the events that caused (the write and the served waiter), in order.
 */
async function captureBlocked(port: number, classes: string, setup: string[][], block: string[], trigger: string[][]): Promise<{ events: string[]; reply: string }> {
  const admin = await RawClient.connect(port);
  const sub = await RawClient.connect(port);
  const blocker = await RawClient.connect(port);
  try {
    await admin.call('FLUSHALL');
    for (const argv of setup) await admin.call(...argv);
    await admin.call('CONFIG', 'SET', 'notify-keyspace-events', classes);
    await sub.call('PSUBSCRIBE', '__key*__:*');
    await sub.call('SUBSCRIBE', '__notify_test_marker__');
    blocker.send(...block);
    const deadline = Date.now() + 5000;
    while (!(await admin.call('INFO', 'clients')).includes('blocked_clients:1')) {
      if (Date.now() > deadline) throw new Error('the client did not block');
      await new Promise((r) => setTimeout(r, 5));
    }
    for (const argv of trigger) await admin.call(...argv);
    const reply = await blocker.reply();
    await admin.call('PUBLISH', '__notify_test_marker__', 'x');
    const events: string[] = [];
    for (;;) {
      const r = await sub.reply();
      const words = r.split('\r\n').filter((p) => p !== '' && !p.startsWith('*') && !p.startsWith('$') && !p.startsWith('>'));
      if (words[0] === 'message' && words[1] === '__notify_test_marker__') break;
      if (words[0] === 'pmessage') events.push(`${words[2]} ${words[3]}`);
    }
    await admin.call('CONFIG', 'SET', 'notify-keyspace-events', '');
    return { events, reply };
  } finally {
    admin.close();
    sub.close();
    blocker.close();
  }
}

async function expectSameBlocked(pair: DiffPair, classes: string, setup: string[][], block: string[], trigger: string[][]): Promise<void> {
  const ours = await captureBlocked(pair.ours.port, classes, setup, block, trigger);
  const real = await captureBlocked(pair.real.port, classes, setup, block, trigger);
  expect(ours.events).toEqual(real.events);
  expect(ours.events.length).toBeGreaterThan(0);
  if (!block.some((a) => a.toUpperCase() === 'XREADGROUP')) expect(ours.reply).toEqual(real.reply);
}

describeDifferential('keyspace notifications (zset, geo, stream) vs redis-server', (pair) => {
  const runs: [string, string[][]][] = [
    ['ZADD / ZINCRBY', ZADD_SCRIPT],
    ['ZREM / ZREMRANGEBY*', ZREM_SCRIPT],
    ['ZPOPMIN / ZPOPMAX / ZMPOP / BZPOPMIN / BZMPOP served at once', POP_SCRIPT],
    ['ZUNIONSTORE / ZINTERSTORE / ZDIFFSTORE / ZRANGESTORE', STORE_SCRIPT],
    ['GEOADD / GEORADIUS STORE / GEOSEARCHSTORE', GEO_SCRIPT],
    ['XADD / XTRIM / XDEL / XSETID', XADD_SCRIPT],
    ['XGROUP / XREADGROUP / XCLAIM / XAUTOCLAIM', GROUP_SCRIPT],
  ];
  for (const [title, script] of runs) {
    it(`${title} (KEA)`, async () => {
      await expectSameEvents(pair, script, 'KEA');
    });
  }

  it('zset commands under narrower classes (Kz, Eg, Et, KEAn)', async () => {
    for (const classes of ['Kz', 'Eg', 'Et', 'KEAn']) {
      await expectSameEvents(pair, ZADD_SCRIPT, classes);
      await expectSameEvents(pair, ZREM_SCRIPT, classes);
      await expectSameEvents(pair, POP_SCRIPT, classes);
      await expectSameEvents(pair, STORE_SCRIPT, classes);
      await expectSameEvents(pair, GEO_SCRIPT, classes);
    }
  });

  it('stream commands under narrower classes (Et, Kt, Kz, Egn)', async () => {
    for (const classes of ['Et', 'Kt', 'Kz', 'Egn']) {
      await expectSameEvents(pair, XADD_SCRIPT, classes);
      await expectSameEvents(pair, GROUP_SCRIPT, classes);
    }
  });

  it('notifications land in the client’s selected database', async () => {
    await expectSameEvents(pair, [
      ['SELECT', '3'],
      ['ZADD', 'z', '1', 'a'],
      ['ZPOPMIN', 'z'],
      ['XADD', 's', '1-1', 'f', 'v'],
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'],
      ['SELECT', '0'],
    ]);
  });

  it('commands run from a script emit their events (EVAL)', async () => {
    // (MULTI cannot be captured here: the capture's marker PUBLISH would be queued too.)
    await expectSameEvents(pair, [
      [
        'EVAL',
        "redis.call('ZADD', KEYS[1], 1, 'a', 2, 'b'); redis.call('ZINCRBY', KEYS[1], 1, 'a'); redis.call('ZPOPMAX', KEYS[1], 5); redis.call('XADD', KEYS[2], 'MAXLEN', 0, '1-1', 'f', 'v'); return 1",
        '2',
        'z',
        's',
      ],
    ]);
  });

  it('BZPOPMIN served later: zadd, then the waiter’s zpopmin and del', async () => {
    await expectSameBlocked(pair, 'KEA', [], ['BZPOPMIN', 'z', '0'], [['ZADD', 'z', '1', 'a']]);
    await expectSameBlocked(pair, 'Kz', [], ['BZPOPMAX', 'nokey', 'z', '0'], [['ZADD', 'z', '1', 'a', '2', 'b']]);
  });

  it('BZMPOP served later', async () => {
    await expectSameBlocked(pair, 'KEA', [], ['BZMPOP', '0', '2', 'x', 'z', 'MAX', 'COUNT', '5'], [['ZADD', 'z', '1', 'a', '2', 'b']]);
    await expectSameBlocked(pair, 'KEA', [], ['BZMPOP', '0', '1', 'z', 'MIN'], [['ZUNIONSTORE', 'z', '1', 'src'], ['ZADD', 'z', '1', 'a', '2', 'b']]);
  });

  it('XREADGROUP BLOCK served later creates its consumer', async () => {
    const setup = [['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']];
    await expectSameBlocked(pair, 'KEA', setup, ['XREADGROUP', 'GROUP', 'g', 'c1', 'BLOCK', '0', 'STREAMS', 's', '>'], [['XADD', 's', '1-1', 'f', 'v']]);
    await expectSameBlocked(pair, 'Et', setup, ['XREADGROUP', 'GROUP', 'g', 'c1', 'NOACK', 'BLOCK', '0', 'STREAMS', 's', '>'], [['XADD', 's', '1-1', 'f', 'v']]);
    await expectSameBlocked(pair, 'KEA', [], ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$'], [['XADD', 's', '1-1', 'f', 'v']]);
  });
});
