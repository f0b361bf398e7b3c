// Differential: keyspace notifications of the string, bitmap, HyperLogLog, generic key
// (DEL, RENAME, MOVE, COPY, EXPIRE family, PERSIST), database, SORT ... STORE and
// RESTORE commands, compared with redis-server 7.0: same events, same order, same
// no-op cases (nothing emitted), under several notify-keyspace-events class sets.
import { beforeAll, it } from 'vitest';
import { describeDifferential } from '../helpers/diff.js';
import { expectSameEvents } from '../helpers/notify.js';
import { RawClient } from '../helpers/raw-client.js';

/** The scripts run under every class set: all, then narrower masks. */
async function expectSameEventsUnder(pair: Parameters<typeof expectSameEvents>[0], script: string[][], classSets: string[]): Promise<void> {
  for (const classes of classSets) await expectSameEvents(pair, script, classes);
}

const FAR_SECONDS = '9999999999';
const FAR_MS = '9999999999000';

describeDifferential('keyspace notifications (string, bitmap, hll, keys, sort) vs redis-server', { args: ['--enable-debug-command', 'yes'] }, (pair) => {
  /** DUMP of a list [3, 1, 2] made by redis-server: a RESTORE payload both servers accept. */
  let listPayload = '';

  beforeAll(async () => {
    const c = await RawClient.connect(pair.real.port);
    try {
      await c.call('DEL', '__payload_src__');
      await c.call('RPUSH', '__payload_src__', '3', '1', '2');
      const r = await c.call('DUMP', '__payload_src__');
      await c.call('DEL', '__payload_src__');
      // "$<len>\r\n<bytes>\r\n"
      const nl = r.indexOf('\r\n');
      const len = Number(r.slice(1, nl));
      listPayload = r.slice(nl + 2, nl + 2 + len);
    } finally {
      c.close();
    }
  });

  it('SET and its variants (NX/XX/GET/EX/PX/EXAT/KEEPTTL, SETNX, SETEX, PSETEX)', async () => {
    await expectSameEventsUnder(
      pair,
      [
        ['SET', 's', 'v'],
        ['SET', 's', 'v', 'NX'],
        ['SET', 'none', 'v', 'XX'],
        ['SET', 'none', 'v', 'XX', 'GET'],
        ['SET', 's', 'w', 'XX', 'GET'],
        ['SET', 's', 'v', 'EX', '100'],
        ['SET', 's', 'v', 'KEEPTTL'],
        ['SET', 's', 'v', 'PX', '100000', 'GET'],
        ['SET', 's', 'v', 'EXAT', FAR_SECONDS],
        ['SET', 's', 'v', 'PXAT', FAR_MS, 'NX'],
        ['SET', 's', 'v', 'EX', '0'],
        ['SET', 's', 'v', 'EX', 'abc'],
        ['SET', 's', 'v', 'NX', 'XX'],
        ['SETNX', 's', 'v'],
        ['SETNX', 's2', 'v'],
        ['SETEX', 's3', '100', 'v'],
        ['PSETEX', 's3', '100000', 'v'],
        ['SETEX', 's3', '-1', 'v'],
        ['PSETEX', 's4', '0', 'v'],
        ['GET', 's'],
        ['GET', 'nokey'],
        ['MGET', 's', 'nokey'],
        ['STRLEN', 's'],
        ['GETRANGE', 's', '0', '-1'],
        ['LCS', 's', 's2'],
      ],
      ['KEA', 'K$', 'Eg', 'KEx'],
    );
  });

  it('GETEX, GETDEL, GETSET', async () => {
    await expectSameEventsUnder(
      pair,
      [
        ['SET', 's', 'v'],
        ['SET', 's2', 'v'],
        ['GETEX', 's'],
        ['GETEX', 's', 'EX', '100'],
        ['GETEX', 's', 'PERSIST'],
        ['GETEX', 's', 'PERSIST'],
        ['GETEX', 's', 'PX', '100000'],
        ['GETEX', 's', 'EXAT', FAR_SECONDS],
        ['GETEX', 's', 'PXAT', FAR_MS],
        ['GETEX', 's', 'EX', '0'],
        ['GETEX', 's', 'EX', '10', 'PERSIST'],
        ['GETEX', 'nokey', 'EX', '100'],
        ['GETEX', 'nokey', 'PERSIST'],
        ['GETEX', 's', 'PXAT', '1'],
        ['GETEX', 's2', 'EXAT', '1'],
        ['SET', 's3', 'v'],
        ['GETDEL', 's3'],
        ['GETDEL', 's3'],
        ['GETSET', 'g', 'v'],
        ['GETSET', 'g', 'w'],
      ],
      ['KEA', 'Kg', 'E$'],
    );
  });

  it('MSET, MSETNX, INCR family, INCRBYFLOAT, APPEND, SETRANGE', async () => {
    await expectSameEventsUnder(
      pair,
      [
        ['MSET', 'm1', 'a', 'm2', 'b', 'm1', 'c'],
        ['MSET', 'm1', 'a', 'm2'],
        ['MSETNX', 'm1', 'a', 'm3', 'b'],
        ['MSETNX', 'm3', 'a', 'm4', 'b', 'm3', 'c'],
        ['INCR', 'i'],
        ['DECR', 'i'],
        ['INCRBY', 'i', '5'],
        ['DECRBY', 'i', '2'],
        ['INCRBY', 'i', 'x'],
        ['INCRBY', 'i', '9223372036854775807'],
        ['DECRBY', 'i', '-9223372036854775808'],
        ['SET', 't', 'abc'],
        ['INCR', 't'],
        ['SET', 'e', '5', 'EX', '100'],
        ['INCR', 'e'],
        ['INCRBYFLOAT', 'f', '1.5'],
        ['INCRBYFLOAT', 'f', '2'],
        ['INCRBYFLOAT', 'f', 'abc'],
        ['INCRBYFLOAT', 't', '1'],
        ['APPEND', 'a', 'x'],
        ['APPEND', 'a', 'y'],
        ['APPEND', 'a', ''],
        ['SETRANGE', 'r', '0', ''],
        ['SETRANGE', 'r', '5', 'x'],
        ['SETRANGE', 'r', '0', ''],
        ['SETRANGE', 'r', '-1', 'x'],
        ['SETRANGE', 'r', '0', 'ab'],
        ['SETRANGE', 'r', '1000', 'z'],
      ],
      ['KEA', 'K$', 'Eg'],
    );
  });

  it('SETBIT, BITOP, BITFIELD, BITFIELD_RO and the bit readers', async () => {
    await expectSameEventsUnder(
      pair,
      [
        ['SETBIT', 'b', '7', '1'],
        ['SETBIT', 'b', '7', '1'],
        ['SETBIT', 'b', '7', '0'],
        ['SETBIT', 'b', '7', '0'],
        ['SETBIT', 'b', '100', '0'],
        ['SETBIT', 'b', '3', '2'],
        ['SETBIT', 'b', '-1', '1'],
        ['SETBIT', 'b0', '0', '0'],
        ['GETBIT', 'b', '7'],
        ['BITCOUNT', 'b'],
        ['BITPOS', 'b', '1'],
        ['BITOP', 'AND', 'dst', 'b', 'nokey'],
        ['BITOP', 'OR', 'dst', 'b'],
        ['BITOP', 'XOR', 'dst', 'b', 'b'],
        ['BITOP', 'NOT', 'dst', 'b'],
        ['BITOP', 'NOT', 'dst', 'b', 'b'],
        ['BITOP', 'FOO', 'dst', 'b'],
        ['BITOP', 'OR', 'dst', 'nokey1', 'nokey2'],
        ['BITOP', 'OR', 'dst', 'nokey1', 'nokey2'],
        ['BITFIELD', 'bf', 'SET', 'u8', '0', '0'],
        ['BITFIELD', 'bf', 'SET', 'u8', '0', '0'],
        ['BITFIELD', 'bf', 'INCRBY', 'u8', '0', '1'],
        ['BITFIELD', 'bf', 'GET', 'u8', '0'],
        ['BITFIELD', 'bf', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '0', '300'],
        ['BITFIELD', 'bf', 'OVERFLOW', 'SAT', 'INCRBY', 'u8', '0', '300'],
        ['BITFIELD', 'bf', 'OVERFLOW', 'SAT', 'INCRBY', 'u8', '0', '300'],
        ['BITFIELD', 'bf', 'SET', 'u8', '#3', '1', 'GET', 'u8', '0'],
        ['BITFIELD', 'bf2', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '0', '300'],
        ['BITFIELD', 'bf3', 'SET', 'i4', '0', '0'],
        ['BITFIELD', 'bf', 'SET', 'u8', '0'],
        ['BITFIELD_RO', 'bf', 'GET', 'u8', '0'],
        ['BITFIELD_RO', 'bf', 'SET', 'u8', '0', '1'],
      ],
      ['KEA', 'K$', 'Eg'],
    );
  });

  it('PFADD, PFCOUNT (cache refresh emits nothing), PFMERGE', async () => {
    await expectSameEventsUnder(
      pair,
      [
        ['PFADD', 'h', 'a', 'b', 'c'],
        ['PFADD', 'h', 'a'],
        ['PFADD', 'h'],
        ['PFADD', 'h2'],
        ['PFADD', 'h2'],
        ['PFCOUNT', 'h'],
        ['PFCOUNT', 'h'],
        ['PFCOUNT', 'h', 'h2'],
        ['PFCOUNT', 'nokey'],
        ['PFADD', 'h2', 'x', 'y'],
        ['PFMERGE', 'h3', 'h', 'h2'],
        ['PFMERGE', 'h3'],
        ['PFMERGE', 'h4', 'nokey'],
        ['SET', 'str', 'notahll'],
        ['PFADD', 'str', 'a'],
        ['PFMERGE', 'h3', 'str'],
        ['PFMERGE', 'str', 'h'],
        ['PFCOUNT', 'str'],
      ],
      ['KEA', 'K$', 'Eg'],
    );
  });

  it('DEL, UNLINK (expired keys emit expired only), TOUCH and readers', async () => {
    await expectSameEventsUnder(
      pair,
      [
        ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
        ['MSET', 'a', '1', 'b', '2', 'c', '3', 'd', '4'],
        ['DEL', 'a', 'b', 'nokey', 'a'],
        ['UNLINK', 'c', 'nokey'],
        ['DEL', 'nokey'],
        ['SET', 'x', 'v', 'PX', '1'],
        ['DEBUG', 'SLEEP', '0.01'],
        ['DEL', 'x', 'd'],
        ['SET', 'y', 'v', 'PX', '1'],
        ['DEBUG', 'SLEEP', '0.01'],
        ['UNLINK', 'y'],
        ['SET', 'k', 'v'],
        ['EXISTS', 'k', 'nokey'],
        ['TYPE', 'k'],
        ['TOUCH', 'k', 'nokey'],
        ['KEYS', '*'],
        ['SCAN', '0'],
        ['RANDOMKEY'],
        ['TTL', 'k'],
        ['PTTL', 'k'],
        ['EXPIRETIME', 'k'],
        ['PEXPIRETIME', 'k'],
        ['OBJECT', 'ENCODING', 'k'],
        ['DBSIZE'],
        ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
      ],
      ['KEA', 'Kg', 'Ex', 'E$'],
    );
  });

  it('RENAME, RENAMENX, MOVE, COPY', async () => {
    await expectSameEventsUnder(
      pair,
      [
        ['SET', 'a', '1'],
        ['SET', 'b', '2', 'EX', '100'],
        ['RENAME', 'a', 'a2'],
        ['RENAME', 'a2', 'a2'],
        ['RENAME', 'nokey', 'x'],
        ['RENAME', 'b', 'a2'],
        ['SET', 'b', '3'],
        ['RENAMENX', 'a2', 'b'],
        ['RENAMENX', 'a2', 'a2'],
        ['RENAMENX', 'a2', 'c'],
        ['RENAMENX', 'nokey', 'c2'],
        ['MOVE', 'c', '1'],
        ['MOVE', 'c', '1'],
        ['SET', 'c', 'again'],
        ['MOVE', 'c', '1'],
        ['MOVE', 'nokey', '1'],
        ['MOVE', 'b', '0'],
        ['MOVE', 'b', '99'],
        ['COPY', 'b', 'b2'],
        ['COPY', 'b', 'b2'],
        ['COPY', 'b', 'b2', 'REPLACE'],
        ['COPY', 'b', 'b', 'REPLACE'],
        ['COPY', 'b', 'b', 'DB', '3'],
        ['COPY', 'b', 'b', 'DB', '3'],
        ['COPY', 'b', 'b', 'DB', '3', 'REPLACE'],
        ['COPY', 'nokey', 'x'],
        ['COPY', 'b', 'x', 'BAD'],
        ['SELECT', '1'],
        ['RENAME', 'c', 'c1'],
        ['MOVE', 'c1', '0'],
        ['COPY', 'c1', 'c', 'DB', '0'],
        ['SELECT', '0'],
        ['COPY', 'c1', 'c', 'DB', '0'],
      ],
      ['KEA', 'Kg', 'E$'],
    );
  });

  it('EXPIRE family (past times delete), PERSIST', async () => {
    await expectSameEventsUnder(
      pair,
      [
        ['MSET', 'k', 'v', 'k2', 'v', 'k3', 'v', 'k4', 'v', 'k5', 'v'],
        ['EXPIRE', 'k', '100'],
        ['EXPIRE', 'k', '100', 'NX'],
        ['EXPIRE', 'k', '200', 'GT'],
        ['EXPIRE', 'k', '50', 'GT'],
        ['EXPIRE', 'k', '500', 'LT'],
        ['EXPIRE', 'k', '50', 'LT'],
        ['EXPIRE', 'k2', '100', 'XX'],
        ['EXPIRE', 'k2', '100', 'GT'],
        ['EXPIRE', 'k2', '100', 'NX'],
        ['EXPIRE', 'nokey', '10'],
        ['EXPIRE', 'k', 'abc'],
        ['EXPIRE', 'k', '10', 'NX', 'XX'],
        ['PEXPIRE', 'k', '100000', 'XX'],
        ['EXPIREAT', 'k', FAR_SECONDS],
        ['PEXPIREAT', 'k', '99999999999999', 'LT'],
        ['PEXPIREAT', 'k', FAR_MS],
        ['PERSIST', 'k'],
        ['PERSIST', 'k'],
        ['PERSIST', 'nokey'],
        ['EXPIRE', 'k', '-1'],
        ['EXPIRE', 'k', '-1'],
        ['PEXPIRE', 'k2', '0'],
        ['PEXPIREAT', 'k3', '1'],
        ['EXPIREAT', 'k4', '0'],
        ['EXPIRE', 'k5', '100'],
        ['EXPIRE', 'k5', '-10', 'LT'],
      ],
      ['KEA', 'Kg', 'E$'],
    );
  });

  it('FLUSHDB, FLUSHALL, SWAPDB emit nothing', async () => {
    await expectSameEventsUnder(
      pair,
      [
        ['SET', 'a', '1'],
        ['SELECT', '1'],
        ['SET', 'b', '1'],
        ['SWAPDB', '0', '1'],
        ['SWAPDB', '0', '0'],
        ['FLUSHDB'],
        ['FLUSHDB', 'ASYNC'],
        ['SELECT', '0'],
        ['SET', 'c', '1'],
        ['FLUSHALL'],
        ['FLUSHALL', 'SYNC'],
        ['DBSIZE'],
      ],
      ['KEA', 'KEAn'],
    );
  });

  it('RESTORE (REPLACE, TTLs, already expired) and DUMP', async () => {
    await expectSameEventsUnder(
      pair,
      [
        ['RESTORE', 'r', '0', listPayload],
        ['RESTORE', 'r', '0', listPayload],
        ['RESTORE', 'r', '0', listPayload, 'REPLACE'],
        ['RESTORE', 'r', '100000', listPayload, 'REPLACE'],
        ['RESTORE', 'r', FAR_MS, listPayload, 'REPLACE', 'ABSTTL'],
        ['RESTORE', 'r', '1', listPayload, 'REPLACE', 'ABSTTL'],
        ['RESTORE', 'r', '1', listPayload, 'ABSTTL'],
        ['RESTORE', 'r2', '0', 'garbage'],
        ['RESTORE', 'r2', '-1', listPayload],
        ['RESTORE', 'r3', '0', listPayload, 'IDLETIME', '10'],
        ['DUMP', 'r3'],
        ['DUMP', 'nokey'],
      ],
      ['KEA', 'Kg', 'El'],
    );
  });

  it('SORT ... STORE (sortstore or del), SORT and SORT_RO', async () => {
    await expectSameEventsUnder(
      pair,
      [
        ['RESTORE', 'src', '0', listPayload],
        ['MSET', 'w_1', '30', 'w_2', '20', 'w_3', '10'],
        ['SORT', 'src'],
        ['SORT_RO', 'src', 'DESC'],
        ['SORT', 'src', 'STORE', 'dst'],
        ['SORT', 'src', 'DESC', 'STORE', 'dst'],
        ['SORT', 'src', 'BY', 'w_*', 'GET', '#', 'GET', 'w_*', 'STORE', 'dst2'],
        ['SORT', 'src', 'LIMIT', '10', '5', 'STORE', 'dst'],
        ['SORT', 'src', 'LIMIT', '10', '5', 'STORE', 'dst'],
        ['SORT', 'nokey', 'STORE', 'dst2'],
        ['SORT', 'nokey', 'STORE', 'nokey2'],
        ['SORT', 'w_1', 'STORE', 'dst'],
        ['SORT', 'src', 'STORE'],
      ],
      ['KEA', 'Kl', 'Eg'],
    );
  });

  it('commands on the wrong type emit nothing', async () => {
    await expectSameEventsUnder(
      pair,
      [
        ['RESTORE', 'lst', '0', listPayload],
        ['SET', 'lst', 'v', 'GET'],
        ['SET', 'lst', 'v', 'NX'],
        ['GETSET', 'lst', 'v'],
        ['GETDEL', 'lst'],
        ['GETEX', 'lst', 'EX', '10'],
        ['INCR', 'lst'],
        ['INCRBYFLOAT', 'lst', '1'],
        ['APPEND', 'lst', 'x'],
        ['SETRANGE', 'lst', '0', 'x'],
        ['SETBIT', 'lst', '0', '1'],
        ['BITFIELD', 'lst', 'SET', 'u8', '0', '1'],
        ['BITOP', 'AND', 'dst', 'lst'],
        ['PFADD', 'lst', 'a'],
        ['PFMERGE', 'lst', 'nokey'],
        ['SORT', 'lst', 'STORE', 'lst'],
      ],
      ['KEA'],
    );
  });

  it('new is emitted before the command event when a key is created', async () => {
    await expectSameEventsUnder(
      pair,
      [
        ['SET', 'a', '1'],
        ['SET', 'a', '2'],
        ['SET', 'b', '1'],
        ['RENAME', 'a', 'b'],
        ['RENAME', 'b', 'c'],
        ['COPY', 'c', 'd'],
        ['COPY', 'c', 'd', 'REPLACE'],
        ['MOVE', 'd', '2'],
        ['RESTORE', 'r', '0', listPayload],
        ['RESTORE', 'r', '0', listPayload, 'REPLACE'],
        ['SETBIT', 'sb', '1', '1'],
        ['BITFIELD', 'bf', 'SET', 'u8', '0', '0'],
        ['BITOP', 'NOT', 'bo', 'sb'],
        ['PFADD', 'h'],
        ['PFMERGE', 'h2', 'h'],
        ['APPEND', 'ap', 'x'],
        ['SETRANGE', 'sr', '2', 'x'],
        ['INCR', 'i'],
        ['INCRBYFLOAT', 'f', '1'],
        ['MSET', 'm1', '1', 'm2', '2'],
        ['GETSET', 'gs', '1'],
        ['SETEX', 'se', '100', 'v'],
        ['SORT', 'r', 'STORE', 'st'],
        ['SORT', 'r', 'STORE', 'st'],
      ],
      ['KEAn', 'Kgn', 'En$'],
    );
  });
});
