// Differential: bitmap commands answer byte for byte like redis-server 7.0, in RESP2 and RESP3.
// WRONGTYPE cases are not covered here: no non-string type can be created yet.
import { it } from 'vitest';
import { describeDifferential, expectSame, lines, useDiffPair, type Script } from '../helpers/diff.js';

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describeDifferential('bitmap commands vs redis-server', (pair) => {
  /** A second pair started with the smallest proto-max-bulk-len (1mb), for the size limits. */
  const small = useDiffPair({ args: ['--proto-max-bulk-len', '1mb'] });

  it('SETBIT and GETBIT', async () => {
    await expectSame(
      pair,
      lines(`
        GETBIT nosuch 0
        GETBIT nosuch 4294967295
        SETBIT k 7 1
        GET k
        SETBIT k 7 1
        SETBIT k 7 0
        SETBIT k 0 1
        GETBIT k 0
        GETBIT k 1
        GETBIT k 7
        GETBIT k 100
        SETBIT k 100 1
        GET k
        STRLEN k
        GETBIT k 100
        SETBIT k 100 0
        SETBIT k 1 2
        SETBIT k 1 -1
        SETBIT k 1 a
        SETBIT k 1 ""
        SETBIT k 1 01
        SETBIT k -1 1
        SETBIT k a 1
        SETBIT k 1.5 1
        SETBIT k 4294967296 1
        SETBIT k 9223372036854775807 1
        GETBIT k -1
        GETBIT k 4294967296
        GETBIT k 4294967295
        GETBIT k "#8"
        SET n 12
        GETBIT n 2
        GETBIT n 3
        SETBIT n 7 1
        GET n
        SET z ""
        GETBIT z 0
        SETBIT z 0 0
        GET z
        SETBIT k
        SETBIT k 1
        GETBIT k
        GETBIT k 1 2
      `),
    );
  });

  it('BITCOUNT with BYTE and BIT ranges', async () => {
    const script: Script = [
      ['SET', 's', 'foobar'],
      ['SET', 'b', '\xff\x00\xf0\x0f\xaa\x55\x01\x80'],
      ['SET', 'e', ''],
      ['SET', 'n', '-42'],
    ];
    const ranges = [
      [], ['0', '-1'], ['0', '0'], ['1', '1'], ['1', '3'], ['-2', '-1'], ['-1', '-2'], ['5', '30'], ['-100', '100'], ['3', '1'],
      ['0', '9223372036854775807'], ['-9223372036854775808', '-1'], ['-9223372036854775807', '-9223372036854775808'],
      ['100', '200'], ['-100', '-50'],
    ];
    for (const k of ['s', 'b', 'e', 'n', 'missing']) {
      for (const r of ranges) {
        script.push(['BITCOUNT', k, ...r]);
        if (r.length === 2) {
          script.push(['BITCOUNT', k, ...r, 'BYTE']);
          script.push(['BITCOUNT', k, ...r, 'bit']);
        }
      }
      for (const r of [['5', '30'], ['1', '6'], ['3', '3'], ['9', '14'], ['-7', '-2'], ['7', '8'], ['0', '62'], ['-1', '-1']]) {
        script.push(['BITCOUNT', k, r[0], r[1], 'BIT']);
      }
    }
    script.push(
      ['BITCOUNT', 's', '0'],
      ['BITCOUNT', 's', '0', '1', 'FOO'],
      ['BITCOUNT', 's', '-1', '-2', 'FOO'],
      ['BITCOUNT', 's', 'a', '1'],
      ['BITCOUNT', 's', '1', 'a'],
      ['BITCOUNT', 's', '0', '1', 'BIT', 'x'],
      ['BITCOUNT', 'missing', '0'],
      ['BITCOUNT', 'missing', 'a', 'b', 'c'],
      ['BITCOUNT'],
    );
    await expectSame(pair, script);
  });

  it('BITPOS over ones, zeros and mixed strings', async () => {
    const values: Record<string, string> = {
      ones: '\xff\xff\xff',
      zeros: '\x00\x00\x00',
      mixed: '\xff\xf0\x00\x0f\xff',
      one: '\x00\x00\x01',
      long: '\xff'.repeat(40) + '\xfe' + '\x00'.repeat(40) + '\x10',
      empty: '',
      num: '12',
    };
    const script: Script = [];
    for (const [k, v] of Object.entries(values)) script.push(['SET', k, v]);
    const ranges = [
      [], ['0'], ['1'], ['-1'], ['2'], ['100'], ['-100'], ['0', '-1'], ['1', '1'], ['2', '1'], ['-2', '-1'], ['0', '100'],
      ['-100', '-50'], ['0', '0'],
    ];
    const bitRanges = [['0', '-1'], ['3', '5'], ['7', '9'], ['4', '19'], ['12', '12'], ['-3', '-1'], ['0', '7'], ['9', '30'], ['20', '100'], ['330', '650'], ['321', '322']];
    for (const k of [...Object.keys(values), 'missing']) {
      for (const bit of ['0', '1']) {
        for (const r of ranges) script.push(['BITPOS', k, bit, ...r]);
        for (const r of ranges.filter((x) => x.length === 2)) script.push(['BITPOS', k, bit, ...r, 'BYTE']);
        for (const r of bitRanges) script.push(['BITPOS', k, bit, ...r, 'BIT']);
      }
    }
    script.push(
      ['BITPOS', 'ones', '2'],
      ['BITPOS', 'ones', '-1'],
      ['BITPOS', 'ones', 'a'],
      ['BITPOS', 'missing', '2'],
      ['BITPOS', 'missing', '1', 'a', 'b', 'c', 'd'],
      ['BITPOS', 'ones', '1', 'a'],
      ['BITPOS', 'ones', '1', '0', 'a'],
      ['BITPOS', 'ones', '1', '0', '1', 'FOO'],
      ['BITPOS', 'ones', '1', 'a', '1', 'FOO'],
      ['BITPOS', 'ones', '1', '0', 'a', 'FOO'],
      ['BITPOS', 'ones', '1', '0', '1', 'BIT', 'x'],
      ['BITPOS', 'ones'],
    );
    await expectSame(pair, script);
  });

  it('BITOP AND, OR, XOR, NOT', async () => {
    const a = '\xff\x0f\xaa' + 'x'.repeat(40);
    const b = '\x0f\xff\x55\x00' + 'y'.repeat(50);
    const script: Script = [['SET', 'a', a], ['SET', 'b', b], ['SET', 'c', '\x80'], ['SET', 'e', '']];
    for (const op of ['AND', 'OR', 'XOR', 'and', 'Or']) {
      script.push(['BITOP', op, 'd', 'a', 'b'], ['GET', 'd']);
      script.push(['BITOP', op, 'd', 'a', 'b', 'c', 'missing'], ['GET', 'd']);
      script.push(['BITOP', op, 'd', 'c'], ['GET', 'd']);
      script.push(['BITOP', op, 'd', 'missing', 'a'], ['GET', 'd']);
      script.push(['BITOP', op, 'd', 'missing', 'missing2'], ['GET', 'd']);
      script.push(['BITOP', op, 'd', 'e', 'e'], ['GET', 'd']);
    }
    script.push(
      ['BITOP', 'NOT', 'd', 'a'], ['GET', 'd'],
      ['BITOP', 'not', 'd', 'c'], ['GET', 'd'],
      ['BITOP', 'NOT', 'd', 'missing'], ['GET', 'd'],
      ['SET', 'd', 'x'],
      ['BITOP', 'NOT', 'd', 'e'], ['GET', 'd'],
      ['BITOP', 'NOT', 'd', 'a', 'b'],
      ['BITOP', 'NAND', 'd', 'a', 'b'],
      ['BITOP', 'XOR', 'a', 'a', 'b'], ['GET', 'a'],
      ['BITOP', 'AND', 'd'],
      ['BITOP', 'AND'],
      ['SET', 'n', '123'],
      ['BITOP', 'OR', 'd', 'n', 'c'], ['GET', 'd'],
    );
    await expectSame(pair, script);
  });

  it('BITFIELD GET / SET / INCRBY with every overflow mode', async () => {
    await expectSame(
      pair,
      lines(`
        BITFIELD k
        BITFIELD k GET u8 0
        BITFIELD k SET i8 0 -100 GET i8 0 GET u8 0 GET u4 0 GET i4 4
        BITFIELD k INCRBY i8 0 -100 INCRBY i8 0 -100
        BITFIELD k OVERFLOW SAT INCRBY i8 0 -100 INCRBY i8 0 1000 INCRBY u8 0 1000 INCRBY u8 0 -1000
        BITFIELD k OVERFLOW FAIL INCRBY i8 0 1000 INCRBY u8 8 255 INCRBY u8 8 1 GET u16 0
        BITFIELD k OVERFLOW WRAP INCRBY u8 8 1 OVERFLOW SAT INCRBY u8 8 -2 OVERFLOW FAIL INCRBY u8 8 -255
        BITFIELD k SET u8 0 -1 OVERFLOW SAT SET u8 8 -1 SET i8 16 -129 SET i8 24 128 OVERFLOW FAIL SET u8 32 256 SET i8 40 -129
        GET k
        BITFIELD k SET i64 0 -9223372036854775808 GET i64 0 GET u63 0 GET u63 1
        BITFIELD k INCRBY i64 0 -1 INCRBY i64 0 1 OVERFLOW SAT INCRBY i64 0 -1 INCRBY i64 0 -9223372036854775808
        BITFIELD k SET i64 0 9223372036854775807 OVERFLOW SAT INCRBY i64 0 9223372036854775807 OVERFLOW FAIL INCRBY i64 0 1
        BITFIELD k SET u63 0 9223372036854775807 INCRBY u63 0 1 OVERFLOW SAT INCRBY u63 0 -1 INCRBY u63 0 -9223372036854775808
        BITFIELD k SET i1 0 1 GET i1 0 GET u1 0 SET u1 1 1 GET u2 0 GET i2 0 INCRBY i1 2 1 INCRBY u1 3 3
        BITFIELD k GET i5 3 GET u13 7 GET i31 1 GET u33 9 GET i64 5 GET u63 63
        BITFIELD k SET u8 #1 200 GET u8 #1 GET u8 8 SET i16 #3 -2 GET i16 48
        BITFIELD k GET u8 #0 GET u8 "#"  GET u8 #-1
        BITFIELD k GET u8 100000 GET i64 800000
        GET k
        STRLEN k
        BITFIELD k SET u8 100 1
        STRLEN k
        BITFIELD n OVERFLOW FAIL INCRBY u8 80 300
        GET n
        BITFIELD n2 GET u8 0
        BITFIELD k OVERFLOW SAT
        BITFIELD k OVERFLOW FOO GET u8 0
        BITFIELD k OVERFLOW
        BITFIELD k GET u64 0
        BITFIELD k GET i65 0
        BITFIELD k GET i0 0
        BITFIELD k GET u0 0
        BITFIELD k GET I8 0
        BITFIELD k GET U8 0
        BITFIELD k GET x8 0
        BITFIELD k GET "" 0
        BITFIELD k GET u 0
        BITFIELD k GET u08 0
        BITFIELD k GET u+8 0
        BITFIELD k GET "u8\\x00junk" 0
        BITFIELD k GET u8 -1
        BITFIELD k GET u8 a
        BITFIELD k GET u8 4294967296
        BITFIELD k GET u8 #536870912
        BITFIELD k GET i64 #1152921504606846976
        BITFIELD k GET i64 #1152921504606846975
        BITFIELD k GET u8 #2305843009213693952
        BITFIELD k GET u8 #a
        BITFIELD k SET u8 0 a
        BITFIELD k SET u8 0 1.5
        BITFIELD k INCRBY u8 0 9223372036854775808
        BITFIELD k GET u8
        BITFIELD k SET u8 0
        BITFIELD k INCRBY u8 0
        BITFIELD k FOO u8 0
        BITFIELD k get u8 0 set u8 0 7 incrby u8 0 1 overflow fail incrby u8 0 255
        BITFIELD_RO k GET u8 0 GET i16 3
        BITFIELD_RO k GET u8 0 SET u8 0 1
        BITFIELD_RO k INCRBY u8 0 1
        BITFIELD_RO k OVERFLOW SAT
        BITFIELD_RO k
        BITFIELD_RO nosuch GET u8 0
        BITFIELD_RO k GET u64 0
        BITFIELD_RO k FOO
        BITFIELD
        BITFIELD_RO
      `),
    );
  });

  it('BITFIELD random operations agree with redis-server', async () => {
    const r = rng(777);
    const script: Script = [['SET', 'k', '\x12\x34\x56\x78\x9a\xbc\xde\xf0\x0f\xed\xcb\xa9\x87\x65\x43\x21']];
    const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
    const interesting = ['0', '1', '-1', '127', '-128', '255', '256', '9223372036854775807', '-9223372036854775808', '4294967296', '-4294967297', '65535', '-32768'];
    for (let i = 0; i < 300; i++) {
      const argv = ['BITFIELD', 'k'];
      const nops = 1 + Math.floor(r() * 5);
      for (let j = 0; j < nops; j++) {
        if (r() < 0.25) argv.push('OVERFLOW', pick(['WRAP', 'SAT', 'FAIL']));
        const signed = r() < 0.5;
        const bits = 1 + Math.floor(r() * (signed ? 64 : 63));
        const type = (signed ? 'i' : 'u') + bits;
        const offset = r() < 0.2 ? '#' + Math.floor(r() * 20) : String(Math.floor(r() * 200));
        const value = r() < 0.5 ? pick(interesting) : String(Math.floor((r() - 0.5) * 2 ** (1 + Math.floor(r() * 52))));
        const op = pick(['GET', 'SET', 'INCRBY', 'INCRBY']);
        if (op === 'GET') argv.push('GET', type, offset);
        else argv.push(op, type, offset, value);
      }
      script.push(argv);
      if (i % 20 === 0) script.push(['GET', 'k']);
    }
    script.push(['GET', 'k']);
    await expectSame(pair, script);
  });

  it('large bitmaps: long runs, word-sized scans, in-place updates', async () => {
    const r = rng(4242);
    let noise = '';
    for (let i = 0; i < 5000; i++) noise += String.fromCharCode(Math.floor(r() * 256));
    const values: Record<string, string> = {
      noise,
      zerorun: '\x00'.repeat(3001) + '\x04' + '\x00'.repeat(997),
      onerun: '\xff'.repeat(2999) + '\xbf' + '\xff'.repeat(1003),
      allzero: '\x00'.repeat(4099),
      allone: '\xff'.repeat(4097),
    };
    const script: Script = [];
    for (const [k, v] of Object.entries(values)) script.push(['SET', k, v]);
    const byteRanges = [['0', '-1'], ['1', '-2'], ['3', '4000'], ['257', '300'], ['2990', '3010'], ['-1500', '-1'], ['100', '99']];
    const bitRanges = [['0', '-1'], ['5', '39998'], ['2049', '30000'], ['24000', '24020'], ['23999', '32010'], ['-9000', '-3']];
    for (const k of [...Object.keys(values)]) {
      script.push(['BITCOUNT', k]);
      for (const rg of byteRanges) script.push(['BITCOUNT', k, ...rg], ['BITCOUNT', k, ...rg, 'BYTE']);
      for (const rg of bitRanges) script.push(['BITCOUNT', k, ...rg, 'BIT']);
      for (const bit of ['0', '1']) {
        script.push(['BITPOS', k, bit], ['BITPOS', k, bit, '300'], ['BITPOS', k, bit, '-2000']);
        for (const rg of byteRanges) script.push(['BITPOS', k, bit, ...rg]);
        for (const rg of bitRanges) script.push(['BITPOS', k, bit, ...rg, 'BIT']);
      }
    }
    for (const [op, ...keys] of [['AND', 'noise', 'onerun'], ['OR', 'noise', 'zerorun', 'allzero'], ['XOR', 'noise', 'allone', 'zerorun'], ['NOT', 'noise'], ['AND', 'allone', 'onerun', 'noise']]) {
      script.push(['BITOP', op, 'dst', ...keys], ['GET', 'dst'], ['BITCOUNT', 'dst']);
    }
    for (let i = 0; i < 40; i++) {
      const off = String(Math.floor(r() * 50000));
      script.push(['SETBIT', 'noise', off, r() < 0.5 ? '0' : '1'], ['GETBIT', 'noise', off]);
    }
    script.push(['SETBIT', 'noise', '60000', '1'], ['STRLEN', 'noise'], ['GET', 'noise'], ['BITCOUNT', 'noise']);
    script.push(
      ['BITFIELD', 'allzero', 'SET', 'u8', '#4100', '255', 'GET', 'u16', '#2060', 'GET', 'i64', '#1000', 'INCRBY', 'i32', '32777', '-5', 'GET', 'u32', '#1100'],
      ['GET', 'allzero'],
      ['BITFIELD', 'fresh', 'SET', 'u8', '#3000', '7', 'GET', 'u8', '#3000', 'GET', 'u8', '#3001', 'GET', 'i64', '#400'],
      ['GET', 'fresh'],
      ['BITFIELD_RO', 'onerun', 'GET', 'u8', '#2999', 'GET', 'i16', '23999', 'GET', 'u8', '#5000'],
    );
    await expectSame(pair, script);
  });

  it('bit offsets against proto-max-bulk-len (1mb)', async () => {
    await expectSame(
      small,
      lines(`
        SETBIT k 8388608 1
        SETBIT k 8388607 1
        STRLEN k
        GETBIT k 8388607
        GETBIT k 8388608
        BITCOUNT k
        BITPOS k 1
        BITPOS k 0 -1
        BITFIELD k GET u8 8388600
        BITFIELD k GET u8 8388608
        BITFIELD k SET u8 8388607 255
        STRLEN k
        BITFIELD k SET u8 #1048575 1
        BITFIELD k SET u8 #1048576 1
        BITFIELD k SET i64 #131071 -1
        BITFIELD k SET i64 #131072 -1
        BITFIELD n SET u8 #1048576 1
        BITOP NOT d k
        BITCOUNT d
      `),
    );
  });
});
