// Differential: string commands answer byte for byte like redis-server 7.0, in RESP2 and RESP3.
// WRONGTYPE cases are not covered here: no non-string type can be created yet.
import { it } from 'vitest';
import { describeDifferential, expectSame, lines, useDiffPair, type Script } from '../helpers/diff.js';

/** A far-future absolute time (ms), so replies never depend on the clock. */
const FAR_MS = '4102444800000'; // 2100-01-01
const FAR_S = '4102444800';

function pattern(n: number, seed: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode((i * 131 + seed * 17 + ((i >> 7) ^ seed)) & 0xff);
  return s;
}

describeDifferential('string commands vs redis-server', (pair) => {
  /** A second pair started with the smallest proto-max-bulk-len (1mb), for the size limits. */
  const small = useDiffPair({ args: ['--proto-max-bulk-len', '1mb'] });

  it('GET / SET basics, binary values, empty values', async () => {
    await expectSame(
      pair,
      lines(`
        GET nosuch
        SET k v
        GET k
        SET "bin\\x00key" "\\x00\\xff\\r\\n\\x7f"
        GET "bin\\x00key"
        SET empty ""
        GET empty
        STRLEN empty
        SET k v NX
        SET k v2 XX GET
        SET k v3 NX GET
        SET n v NX GET
        SET k v EX 0
        SET k v EX -5
        SET k v PX abc
        SET k v EX 10 PX 10
        SET k v KEEPTTL EX 10
        SET k v NX XX
        SET k v GET GET
        SET k v FOO
        SET k v EX
        SET k v EXAT ${FAR_S} GET
        SET k v PXAT ${FAR_MS} KEEPTTL
        SET k v EX 9223372036854775807
        SET k v PX 9223372036854775807
        SET k v EXAT 9223372036854775
        GET k
        SET
        SET k
        GET
        GET a b
      `),
    );
  });

  it('SETNX, SETEX, PSETEX', async () => {
    await expectSame(
      pair,
      lines(`
        SETNX k v1
        SETNX k v2
        GET k
        SETNX "" ""
        GET ""
        SETEX e 100 val
        GET e
        SETEX e 0 val
        SETEX e -1 val
        SETEX e abc val
        SETEX e 1.5 val
        SETEX e 9223372036854775807 val
        SETEX e 9223372036854775 val
        PSETEX p 100000 val
        GET p
        PSETEX p 0 val
        PSETEX p -100 val
        PSETEX p 9223372036854775807 val
        PSETEX p 99999999999999999999 val
        SETNX k
        SETNX k v x
        SETEX e 10
        PSETEX p 10
        SETEX e 10 v extra
      `),
    );
  });

  it('GETEX with every option, conflicts and invalid times', async () => {
    await expectSame(
      pair,
      lines(`
        GETEX nosuch
        GETEX nosuch EX 10
        GETEX nosuch EX abc
        GETEX nosuch EX 0
        SET k v
        GETEX k
        GETEX k EX 100
        GETEX k PX 100000
        GETEX k EXAT ${FAR_S}
        GETEX k PXAT ${FAR_MS}
        GETEX k PERSIST
        GETEX k persist
        GETEX k ex 100 EX 200
        GETEX k EX 10 PX 10
        GETEX k PERSIST EX 10
        GETEX k EX 10 PERSIST
        GETEX k PXAT 10 EXAT 10
        GETEX k KEEPTTL
        GETEX k NX
        GETEX k GET
        GETEX k EX
        GETEX k PX
        GETEX k FOO
        GETEX k EX abc
        GETEX k EX 0
        GETEX k EX -1
        GETEX k PX 9223372036854775807
        GETEX k EX 9223372036854775807
        GETEX k EXAT 9223372036854775807
        GETEX k PXAT 0
        GET k
        GETEX k PXAT 1
        GET k
        SET k2 v
        GETEX k2 EXAT 1
        GETEX k2
        SET k3 "\\x00\\xff"
        GETEX k3 PXAT ${FAR_MS}
        GETEX
      `),
    );
  });

  it('GETDEL and GETSET', async () => {
    await expectSame(
      pair,
      lines(`
        GETDEL nosuch
        SET k "a\\x00b"
        GETDEL k
        GETDEL k
        GET k
        GETSET k v1
        GETSET k v2
        GET k
        GETSET k ""
        GETSET k "\\xff"
        GETDEL
        GETDEL a b
        GETSET k
        GETSET k a b
      `),
    );
  });

  it('MGET, MSET, MSETNX', async () => {
    await expectSame(
      pair,
      lines(`
        MGET a b c
        MSET a 1 b 2 c 3
        MGET a b c d
        MSET a x a y
        GET a
        MSET a
        MSET a 1 b
        MSETNX a 1 b 2
        MSETNX n1 1 n2 2
        MGET n1 n2
        MSETNX n3 1 n3 2
        GET n3
        MSETNX n4 1 n5
        MSETNX x
        MSET "\\x00" "\\xff" "" ""
        MGET "\\x00" ""
        MGET
      `),
    );
  });

  it('APPEND and STRLEN', async () => {
    await expectSame(
      pair,
      lines(`
        STRLEN nosuch
        APPEND k hello
        APPEND k " world"
        GET k
        STRLEN k
        APPEND k ""
        APPEND e ""
        GET e
        STRLEN e
        APPEND b "\\x00\\x01"
        APPEND b "\\xff\\x00"
        GET b
        STRLEN b
        SET n 12345
        APPEND n 6
        GET n
        STRLEN n
        SET i -99
        STRLEN i
        APPEND k
        APPEND k a b
        STRLEN
        STRLEN a b
      `),
    );
  });

  it('INCR, DECR, INCRBY, DECRBY at the int64 limits and with bad values', async () => {
    await expectSame(
      pair,
      lines(`
        INCR c
        INCR c
        DECR c
        DECR d
        INCRBY c 100
        INCRBY c -1000
        DECRBY c -5
        DECRBY c 5
        SET m 9223372036854775806
        INCR m
        INCR m
        GET m
        INCRBY m 0
        SET m -9223372036854775807
        DECR m
        DECR m
        GET m
        SET m 9223372036854775807
        INCRBY m 1
        INCRBY m -9223372036854775808
        SET m -1
        INCRBY m -9223372036854775808
        INCRBY m -1
        DECRBY m 9223372036854775807
        DECRBY m -9223372036854775808
        DECRBY x -9223372036854775808
        INCRBY x 9223372036854775808
        INCRBY x -9223372036854775809
        INCRBY x 1.5
        INCRBY x ""
        INCRBY x " 1"
        INCRBY x 01
        INCRBY x -0
        INCRBY x +1
        SET f 1.5
        INCR f
        SET f " 1"
        INCR f
        SET f "1 "
        INCR f
        SET f 01
        INCR f
        SET f +1
        INCR f
        SET f -0
        INCR f
        SET f ""
        INCR f
        SET f 99999999999999999999
        DECR f
        SET f "1\\x00"
        INCR f
        SET f 007
        DECRBY f 1
        SET t 5
        INCRBY t 9007199254740993
        INCRBY t 9007199254740993
        DECRBY t 18014398509481990
        INCR
        INCR a b
        INCRBY a
        DECRBY a 1 2
      `),
    );
  });

  it('INCRBYFLOAT: long double arithmetic, formatting and errors', async () => {
    await expectSame(
      pair,
      lines(`
        INCRBYFLOAT f 10.5
        INCRBYFLOAT f 0.1
        INCRBYFLOAT f 0.1
        INCRBYFLOAT f -0.3
        INCRBYFLOAT f 1e20
        INCRBYFLOAT f -1e20
        INCRBYFLOAT f 3.0e3
        INCRBYFLOAT f 1e-18
        INCRBYFLOAT f 0x10
        INCRBYFLOAT f 0x1p-3
        INCRBYFLOAT f .5
        INCRBYFLOAT f 5.
        INCRBYFLOAT f +2
        INCRBYFLOAT f -0
        SET g 1.1
        INCRBYFLOAT g 2.2
        SET g 9223372036854775807
        INCRBYFLOAT g 1
        SET g 5
        INCRBYFLOAT g 1.7976931348623157e308
        INCRBYFLOAT g 1e4000
        INCRBYFLOAT g 1e4932
        INCRBYFLOAT g 1e4933
        INCRBYFLOAT g inf
        INCRBYFLOAT g -inf
        INCRBYFLOAT g infinity
        INCRBYFLOAT g nan
        INCRBYFLOAT g abc
        INCRBYFLOAT g ""
        INCRBYFLOAT g " 1"
        INCRBYFLOAT g "1 "
        INCRBYFLOAT g 1e
        INCRBYFLOAT g "1\\x001"
        INCRBYFLOAT g 1e-5000
        INCRBYFLOAT g 1e-4940
        SET h abc
        INCRBYFLOAT h 1
        SET h inf
        INCRBYFLOAT h 1
        SET h " 2"
        INCRBYFLOAT h 1
        SET h 1e4932
        INCRBYFLOAT h 1e4932
        GET h
        INCRBYFLOAT h -1e4932
        SET t 1e-30
        INCRBYFLOAT t -2e-30
        SET u 0.000000000000000015
        INCRBYFLOAT u 0
        INCRBYFLOAT u 0.000000000000000005
        INCRBYFLOAT
        INCRBYFLOAT a
        INCRBYFLOAT a 1 2
      `),
    );
  });

  it('GETRANGE and SUBSTR with every kind of range', async () => {
    const ranges = [
      '0 -1', '0 0', '0 3', '2 5', '-3 -1', '-1 -3', '-100 -1', '-100 -200', '-1 -1', '5 2', '0 100', '100 200', '-100 100',
      '3 -3', '-3 3', '0 9223372036854775807', '-9223372036854775808 -1', '-9223372036854775808 9223372036854775807',
      '-9223372036854775807 -9223372036854775808', '9223372036854775807 9223372036854775807', '1 a', 'a 1', '1.5 2',
    ];
    const script: Script = [['SET', 's', 'Hello, World'], ['SET', 'n', '-12345'], ['SET', 'e', ''], ['SET', 'b', '\x00\xff\x00\xfe']];
    for (const r of ranges) {
      const [a, b] = r.split(' ');
      for (const k of ['s', 'n', 'e', 'b', 'missing']) script.push(['GETRANGE', k, a, b]);
      script.push(['SUBSTR', 's', a, b]);
    }
    script.push(['GETRANGE', 's', '0'], ['GETRANGE', 's', '0', '1', '2'], ['SUBSTR', 's']);
    await expectSame(pair, script);
  });

  it('SETRANGE: padding, overwrite, empty values, bad offsets', async () => {
    await expectSame(
      pair,
      lines(`
        SETRANGE k 0 ""
        GET k
        SETRANGE k 5 ""
        GET k
        SETRANGE k 0 hello
        SETRANGE k 6 world
        GET k
        SETRANGE k 1 ELL
        GET k
        SETRANGE k 9 "\\x00\\xff\\x00"
        GET k
        SETRANGE k 100 ""
        STRLEN k
        SETRANGE k 0 "this is longer than before"
        GET k
        SETRANGE n 3 x
        GET n
        SET i 12345
        SETRANGE i 2 zz
        GET i
        SETRANGE k -1 x
        SETRANGE k abc x
        SETRANGE k 1.5 x
        SETRANGE k 536870912 x
        SETRANGE k 536870911 xy
        SETRANGE k 9223372036854775807 x
        SETRANGE k 99999999999999999999 x
        SETRANGE k -1 ""
        SETRANGE new 536870912 ""
        SETRANGE k 1
        SETRANGE k 1 a b
      `),
    );
  });

  it('LCS with LEN, IDX, MINMATCHLEN, WITHMATCHLEN', async () => {
    await expectSame(
      pair,
      lines(`
        MSET key1 ohmytext key2 mynewtext
        LCS key1 key2
        LCS key1 key2 LEN
        LCS key1 key2 IDX
        LCS key1 key2 IDX MINMATCHLEN 4
        LCS key1 key2 IDX MINMATCHLEN 4 WITHMATCHLEN
        LCS key1 key2 IDX WITHMATCHLEN
        LCS key1 key2 WITHMATCHLEN IDX MINMATCHLEN -5
        LCS key1 key2 idx minmatchlen 2 withmatchlen
        LCS key1 key2 LEN IDX
        LCS key1 key2 IDX LEN
        LCS key1 key2 MINMATCHLEN
        LCS key1 key2 MINMATCHLEN abc
        LCS key1 key2 MINMATCHLEN 9223372036854775807 IDX
        LCS key1 key2 FOO
        LCS key1 key2 WITHMATCHLEN
        LCS key1 key2 MINMATCHLEN 2
        LCS key1 nosuch
        LCS nosuch key1 IDX
        LCS nosuch1 nosuch2 LEN
        LCS key1 key1 IDX WITHMATCHLEN
        MSET a "\\x00\\xff\\x00abc\\xff" b "\\xff\\x00abc"
        LCS a b
        LCS a b IDX WITHMATCHLEN
        MSET x ABCBDAB y BDCABA
        LCS x y
        LCS x y IDX WITHMATCHLEN
        MSET p 123456789 q 1x3x5x7x9
        LCS p q IDX
        LCS p q IDX MINMATCHLEN 1 WITHMATCHLEN
        LCS key1
        LCS
      `),
    );
  });

  it('LCS on longer strings', async () => {
    const a = pattern(700, 1);
    const b = pattern(650, 3) + a.slice(100, 400) + pattern(50, 9);
    await expectSame(pair, [
      ['MSET', 'a', a, 'b', b],
      ['LCS', 'a', 'b'],
      ['LCS', 'a', 'b', 'LEN'],
      ['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '3', 'WITHMATCHLEN'],
      ['LCS', 'b', 'a', 'IDX'],
    ]);
  });

  it('100 KB values through every string command', async () => {
    const big = pattern(100 * 1024, 5);
    const big2 = pattern(100 * 1024 + 7, 11);
    await expectSame(pair, [
      ['SET', 'big', big],
      ['GET', 'big'],
      ['STRLEN', 'big'],
      ['APPEND', 'big', big2],
      ['GET', 'big'],
      ['GETRANGE', 'big', '1000', '-1000'],
      ['GETRANGE', 'big', '-70000', '-1'],
      ['SETRANGE', 'big', '150000', big2],
      ['STRLEN', 'big'],
      ['GETRANGE', 'big', '149990', '150020'],
      ['GETSET', 'big', big2],
      ['MSET', 'm1', big, 'm2', big2],
      ['MGET', 'm1', 'm2', 'big'],
      ['GETEX', 'm1', 'PXAT', FAR_MS],
      ['GETDEL', 'm2'],
      ['SETEX', 'x', '1000', big],
      ['GET', 'x'],
      ['INCR', 'big'],
      ['INCRBYFLOAT', 'big', '1'],
      ['SETRANGE', 'new', '200000', 'tail'],
      ['STRLEN', 'new'],
      ['GETRANGE', 'new', '199995', '-1'],
    ]);
  });

  it('WRONGTYPE on a list key, in Redis check order', async () => {
    await expectSame(
      pair,
      lines(`
        SET k v
        RPUSH l a
        GET l
        GETEX l PX 100
        GETEX l FOO
        GETDEL l
        GETSET l x
        SET l x GET
        MGET k l
        SETNX l x
        MSETNX n 1 l 2
        APPEND l x
        STRLEN l
        INCR l
        INCRBY l abc
        DECRBY l 1
        INCRBYFLOAT l abc
        GETRANGE l a 1
        GETRANGE l 0 1
        SETRANGE l -1 x
        SETRANGE l 0 ""
        LCS k l
        LCS l k LEN
        SETBIT l -1 1
        SETBIT l 0 1
        GETBIT l 0
        BITCOUNT l a b
        BITPOS l 2
        BITPOS l 1
        BITOP AND d k l
        BITOP NOT d l k
        BITFIELD l GET u64 0
        BITFIELD l GET u8 0
        BITFIELD l SET u8 0 1
        BITFIELD_RO l GET u8 0
        BITFIELD_RO l SET u8 0 1
        SET l x
        GET l
        RPUSH l2 a
        SETEX l2 10 x
        GET l2
        RPUSH l3 a
        MSET l3 y
        GET l3
      `),
    );
  });

  it('size limits against proto-max-bulk-len (1mb)', async () => {
    const half = pattern(600 * 1024, 2);
    await expectSame(
      small,
      [
        ['SET', 'k', half],
        ['APPEND', 'k', half],
        ['STRLEN', 'k'],
        ['APPEND', 'k', half.slice(0, 1024 * 1024 - 600 * 1024)],
        ['STRLEN', 'k'],
        ['APPEND', 'k', 'x'],
        ['APPEND', 'k', ''],
        ['SETRANGE', 'k', '1048575', 'y'],
        ['SETRANGE', 'k', '1048576', 'y'],
        ['SETRANGE', 'k', '1048575', 'yy'],
        ['SETRANGE', 'n', '1048576', 'y'],
        ['SETRANGE', 'n', '1048570', 'abcdef'],
        ['STRLEN', 'n'],
        ['SETRANGE', 'n2', '1048570', 'abcdefg'],
        ['GET', 'n2'],
        ['LCS', 'k', 'n'],
        ['SET', 'a', pattern(500, 1)],
        ['SET', 'b', pattern(600, 2)],
        ['LCS', 'a', 'b', 'LEN'],
        ['SET', 'b', pattern(400, 2)],
        ['LCS', 'a', 'b', 'LEN'],
      ],
    );
  });
});
