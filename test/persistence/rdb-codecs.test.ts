// Unit tests of the RDB building blocks with known vectors: CRC-64/Jones, LZF,
// listpack, ziplist, zipmap and intset encode/decode and their integrity checks.
import { describe, expect, it } from 'vitest';
import { Crc64, crc64 } from '../../src/persistence/rdb/crc64.js';
import { lzfCompress, lzfDecompress } from '../../src/persistence/rdb/lzf.js';
import {
  ListpackBuilder,
  decodeListpack,
  encodeListpack,
  lpEntrySize,
  lpStringToInt,
} from '../../src/persistence/rdb/listpack.js';
import { decodeIntset, encodeIntset } from '../../src/persistence/rdb/intset.js';
import { decodeZiplist, encodeZiplist } from '../../src/persistence/rdb/ziplist.js';
import { decodeZipmap, encodeZipmap } from '../../src/persistence/rdb/zipmap.js';
import { rng } from './rdb-helpers.js';

const lp = (b: Buffer, asStrings = true) => decodeListpack(b, 0, b.length, asStrings as true);

describe('crc64', () => {
  it('matches the CRC-64/Jones check value and Redis crc64.c test vectors', () => {
    expect(crc64(Buffer.from('123456789')).toString(16)).toBe('e9c6d914c4b8d9ca');
    // crc64.c's self test hashes this text with its terminating NUL (sizeof).
    const li =
      'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed ' +
      'do eiusmod tempor incididunt ut labore et dolore magna ' +
      'aliqua. Ut enim ad minim veniam, quis nostrud exercitation ' +
      'ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis ' +
      'aute irure dolor in reprehenderit in voluptate velit esse ' +
      'cillum dolore eu fugiat nulla pariatur. Excepteur sint ' +
      'occaecat cupidatat non proident, sunt in culpa qui officia ' +
      'deserunt mollit anim id est laborum.';
    expect(crc64(Buffer.from(li + '\0')).toString(16)).toBe('c7794709e69683b3');
    expect(crc64(Buffer.alloc(0))).toBe(0n);
  });

  it('gives the same sum however the input is split', () => {
    const r = rng(7);
    const data = Buffer.alloc(10_007);
    for (let i = 0; i < data.length; i++) data[i] = Math.floor(r() * 256);
    const whole = crc64(data);
    for (const step of [1, 3, 7, 8, 9, 64, 1000]) {
      const c = new Crc64();
      for (let i = 0; i < data.length; i += step) c.update(data, i, Math.min(i + step, data.length));
      expect(c.value).toBe(whole);
    }
    const out = Buffer.alloc(8);
    new Crc64().update(data).writeLE(out, 0);
    expect(out.readBigUInt64LE(0)).toBe(whole);
  });
});

describe('lzf', () => {
  it('round-trips repetitive, random and short data', () => {
    const r = rng(42);
    const cases: Buffer[] = [
      Buffer.from('a'.repeat(1000)),
      Buffer.from('abcabcabcabcabcabcabcabcabcabcabcabcabcabc'),
      Buffer.from('The quick brown fox jumps over the lazy dog. '.repeat(50)),
      Buffer.from('x'),
      Buffer.from('xy'),
      Buffer.from('xyz'),
    ];
    for (let n = 0; n < 40; n++) {
      const len = 1 + Math.floor(r() * 20_000);
      const b = Buffer.alloc(len);
      const alphabet = 1 + Math.floor(r() * 255);
      for (let i = 0; i < len; i++) b[i] = Math.floor(r() * alphabet);
      cases.push(b);
      // Runs and copies mixed with noise.
      const m = Buffer.alloc(len);
      for (let i = 0; i < len; i++) m[i] = i > 100 && r() < 0.8 ? m[i - 1 - Math.floor(r() * 100)] : Math.floor(r() * 256);
      cases.push(m);
    }
    for (const c of cases) {
      const comp = lzfCompress(c, c.length + Math.ceil(c.length / 32) + 16);
      expect(comp).not.toBeNull();
      expect(lzfDecompress(comp!, c.length)).toEqual(c);
    }
  });

  it('compresses repetitive data well and refuses when the output does not fit', () => {
    const a = Buffer.from('a'.repeat(10_000));
    const c = lzfCompress(a, a.length - 4)!;
    expect(c.length).toBeLessThan(200);
    const r = rng(1);
    const noise = Buffer.alloc(1000);
    for (let i = 0; i < noise.length; i++) noise[i] = Math.floor(r() * 256);
    expect(lzfCompress(noise, noise.length - 4)).toBeNull();
    expect(lzfCompress(Buffer.alloc(0), 10)).toBeNull();
  });

  it('decodes a hand-made stream (literal run + back reference)', () => {
    // literal "ab" (ctrl 1), then back-reference length 4+2=6 offset 1 -> "ababab"
    const stream = Buffer.from([0x01, 0x61, 0x62, (4 << 5) | 0, 0x01]);
    expect(lzfDecompress(stream, 8)?.toString()).toBe('abababab');
  });

  it('rejects malformed streams without overrunning', () => {
    expect(lzfDecompress(Buffer.from([0x05, 0x61]), 6)).toBeNull(); // literal past input end
    expect(lzfDecompress(Buffer.from([0x00, 0x61, 0x20, 0x05]), 4)).toBeNull(); // reference before start
    expect(lzfDecompress(Buffer.from([0x01, 0x61, 0x62]), 5)).toBeNull(); // wrong size
    expect(lzfDecompress(Buffer.from([0xe0]), 300)).toBeNull(); // truncated long reference
    expect(lzfDecompress(Buffer.from([0x00, 0x61]), 2 ** 40)).toBeNull(); // absurd claimed size
  });
});

describe('listpack', () => {
  it('encodes integers and strings exactly as lpAppend', () => {
    // lpNew + lpAppend("hello") + lpAppend("127") + lpAppend("-1") + lpAppend("1024")
    const b = encodeListpack(['hello', '127', '-1', '1024']);
    expect(b.toString('hex')).toBe(
      '16000000' + '0400' + '8568656c6c6f06' + '7f01' + 'dfff02' + 'c40002' + 'ff',
    );
    expect(lp(b)).toEqual(['hello', '127', '-1', '1024']);
  });

  it('round-trips every integer width and string length class', () => {
    const items = [
      '0',
      '127',
      '128',
      '-4096',
      '4095',
      '-4097',
      '32767',
      '-32768',
      '8388607',
      '-8388608',
      '2147483647',
      '-2147483648',
      '2147483648',
      '9223372036854775807',
      '-9223372036854775808',
      '9223372036854775808',
      '007',
      '-0',
      '+1',
      '',
      'x'.repeat(63),
      'y'.repeat(64),
      'z'.repeat(4095),
      'w'.repeat(4096),
      'v'.repeat(70_000),
      '\x00\xff\x80binary',
    ];
    const b = encodeListpack(items);
    expect(lp(b)).toEqual(items);
    const raw = lp(b, false)!;
    expect(raw[0]).toBe(0);
    expect(raw[13]).toBe(9223372036854775807n);
    expect(raw[15]).toBe('9223372036854775808');
    expect(raw[16]).toBe('007');
    // predicted sizes add up to the real size
    let total = 7;
    for (const s of items) total += lpEntrySize(s);
    expect(total).toBe(b.length);
  });

  it('marks the count unknown past 65534 entries and still decodes', () => {
    const builder = new ListpackBuilder();
    for (let i = 0; i < 70_000; i++) builder.appendInt(i % 100);
    const b = builder.finish();
    expect(b.readUInt16LE(4)).toBe(65535);
    expect(lp(b)!.length).toBe(70_000);
  });

  it('fails the integrity check on corruption', () => {
    const good = encodeListpack(['a', 'bb', '1000']);
    const bad = (f: (b: Buffer) => void) => {
      const b = Buffer.from(good);
      f(b);
      return lp(b);
    };
    expect(bad((b) => b.writeUInt32LE(b.length + 1, 0))).toBeNull(); // size mismatch
    expect(bad((b) => (b[b.length - 1] = 0))).toBeNull(); // no terminator
    expect(bad((b) => b.writeUInt16LE(2, 4))).toBeNull(); // wrong count
    expect(bad((b) => (b[6] = 0x85))).toBeNull(); // string length past end
    expect(bad((b) => (b[8] = 5))).toBeNull(); // wrong backlen
    expect(bad((b) => (b[6] = 0xf5))).toBeNull(); // invalid encoding byte
    expect(lp(Buffer.from([7, 0, 0, 0, 0, 0, 0xff]))).toEqual([]);
    expect(lp(Buffer.from([6, 0, 0, 0, 0, 0xff]))).toBeNull();
  });

  it('lpStringToInt accepts only canonical int64 text', () => {
    expect(lpStringToInt('0')).toBe(0);
    expect(lpStringToInt('-9223372036854775808')).toBe(-9223372036854775808n);
    expect(lpStringToInt('9223372036854775808')).toBeNull();
    expect(lpStringToInt('01')).toBeNull();
    expect(lpStringToInt('-0')).toBeNull();
    expect(lpStringToInt(' 1')).toBeNull();
    expect(lpStringToInt('1e3')).toBeNull();
  });
});

describe('intset', () => {
  it('picks the narrowest width, sorts, and decodes', () => {
    const a = encodeIntset(['3', '-1', '2']);
    expect(a.toString('hex')).toBe('02000000' + '03000000' + 'ffff' + '0200' + '0300');
    expect(decodeIntset(a, 0, a.length)).toEqual(['-1', '2', '3']);
    const b = encodeIntset(['70000', '1']);
    expect(b.readUInt32LE(0)).toBe(4);
    expect(decodeIntset(b, 0, b.length)).toEqual(['1', '70000']);
    const c = encodeIntset(['-9223372036854775808', '9223372036854775807', '5']);
    expect(c.readUInt32LE(0)).toBe(8);
    expect(decodeIntset(c, 0, c.length)).toEqual(['-9223372036854775808', '5', '9223372036854775807']);
    expect(() => encodeIntset(['1', '1'])).toThrow();
    expect(() => encodeIntset(['a'])).toThrow();
  });

  it('fails the integrity check like intsetValidateIntegrity', () => {
    const good = encodeIntset(['1', '2', '3']);
    const dup = Buffer.from(good);
    dup.writeInt16LE(1, 10);
    expect(decodeIntset(dup, 0, dup.length)).toBeNull(); // duplicate
    const order = Buffer.from(good);
    order.writeInt16LE(5, 8);
    expect(decodeIntset(order, 0, order.length)).toBeNull(); // out of order
    const width = Buffer.from(good);
    width.writeUInt32LE(3, 0);
    expect(decodeIntset(width, 0, width.length)).toBeNull();
    expect(decodeIntset(good, 0, good.length - 1)).toBeNull(); // size mismatch
    const empty = Buffer.from('0200000000000000', 'hex');
    expect(decodeIntset(empty, 0, empty.length)).toBeNull(); // empty
  });
});

describe('ziplist and zipmap', () => {
  it('round-trips a ziplist with every encoding', () => {
    const items = ['0', '12', '13', '-128', '127', '-32768', '40000', '-8388608', '2147483647', '9000000000', 'a', 'b'.repeat(100), 'c'.repeat(20_000), ''];
    const z = encodeZiplist(items);
    expect(decodeZiplist(z, 0, z.length)).toEqual(items);
  });

  it('decodes a ziplist Redis 6 wrote (hash f1 v1 f2 v2)', () => {
    const z = Buffer.from('1b000000' + '16000000' + '0400' + '00026631' + '04027631' + '04026632' + '04027632' + 'ff', 'hex');
    expect(decodeZiplist(z, 0, z.length)).toEqual(['f1', 'v1', 'f2', 'v2']);
  });

  it('rejects corrupt ziplists', () => {
    const z = encodeZiplist(['aa', 'bb', 'cc']);
    const t = Buffer.from(z);
    t.writeUInt32LE(10, 4); // tail offset wrong
    expect(decodeZiplist(t, 0, t.length)).toBeNull();
    const p = Buffer.from(z);
    p[14] = 9; // prevlen of the 2nd entry
    expect(decodeZiplist(p, 0, p.length)).toBeNull();
    const c = Buffer.from(z);
    c.writeUInt16LE(5, 8);
    expect(decodeZiplist(c, 0, c.length)).toBeNull();
    const e = Buffer.from(z);
    e[11] = 0xc5; // invalid integer encoding
    expect(decodeZiplist(e, 0, e.length)).toBeNull();
  });

  it('round-trips a zipmap and rejects an empty or short one', () => {
    const pairs = ['f1', 'v1', 'long', 'x'.repeat(300)];
    const zm = encodeZipmap(pairs);
    expect(decodeZipmap(zm, 0, zm.length)).toEqual(pairs);
    expect(decodeZipmap(Buffer.from([0, 0xff]), 0, 2)).toBeNull();
    expect(decodeZipmap(zm, 0, zm.length - 2)).toBeNull();
    // A free byte claiming more bytes than remain.
    const bad = Buffer.from(zm);
    bad[1 + 1 + 2 + 1] = 200;
    expect(decodeZipmap(bad, 0, bad.length)).toBeNull();
  });
});
