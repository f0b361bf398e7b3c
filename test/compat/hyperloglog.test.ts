// Differential: HyperLogLog commands against redis-server 7.0. Values must be byte
// for byte what Redis stores (compared with GET after every step), PFCOUNT equal,
// errors identical, in RESP2 and RESP3; crafted and corrupt values included.
import { beforeAll, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { describeDifferential, expectSame, lines } from '../helpers/diff.js';
import { HLL_DENSE_SIZE, lastPatIndex, patLen } from '../../src/keyspace/hyperloglog.js';

/** PFDEBUG ENCODING's "sparse" as same() returns it (hex of the reply bytes). */
const SPARSE = Buffer.from('sparse').toString('hex');

/** The register and run length Redis's hash gives an element. */
function pat(ele: string): { index: number; count: number } {
  const b = Buffer.from(ele, 'latin1');
  const count = patLen(b, 0, b.length);
  return { index: lastPatIndex(), count };
}

/** The first "<prefix><n>" whose hash satisfies `want`. */
function findElement(prefix: string, want: (p: { index: number; count: number }) => boolean): string {
  for (let n = 0; n < 10_000_000; n++) {
    const e = prefix + n;
    if (want(pat(e))) return e;
  }
  throw new Error('no element found');
}

/** A 16-byte header as a script literal: encoding byte and cached-cardinality bytes. */
function header(encoding: number, card = '\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00'): string {
  return `HYLL\\x0${encoding}\\x00\\x00\\x00${card}`;
}

describeDifferential('HyperLogLog vs redis-server', (pair) => {
  let ours: Redis;
  let real: Redis;
  beforeAll(() => {
    ours = pair.ours.client();
    real = pair.real.client();
  });

  /** Runs the same command on both servers; replies (buffers as hex) must be equal. */
  async function same(...args: (string | Buffer | number)[]): Promise<unknown> {
    const run = async (r: Redis) => {
      try {
        const v = await r.callBuffer(String(args[0]), ...args.slice(1));
        return Buffer.isBuffer(v) ? v.toString('hex') : JSON.stringify(v, (_k, x) => (Buffer.isBuffer(x) ? x.toString('hex') : x));
      } catch (e) {
        return 'error: ' + (e as Error).message;
      }
    };
    const [a, b] = await Promise.all([run(ours), run(real)]);
    expect(a, args.map(String).join(' ').slice(0, 120)).toEqual(b);
    return a;
  }

  /** Changes since the last save, keyspace hits, keyspace misses. */
  async function changes(r: Redis): Promise<number[]> {
    const info = await r.info();
    return ['rdb_changes_since_last_save', 'keyspace_hits', 'keyspace_misses'].map((f) => Number(new RegExp(`${f}:(\\d+)`).exec(info)![1]));
  }

  it('PFADD, PFCOUNT, PFMERGE on small sparse values: bytes, counts, cache bit', async () => {
    await expectSame(
      pair,
      lines(`
        PFADD h
        GET h
        PFADD h
        PFCOUNT h
        GET h
        PFADD h a b c d e f g a b
        GET h
        PFADD h a b
        PFCOUNT h
        GET h
        PFCOUNT h
        PFADD h2 foo bar "" "\\x00" "\\xff\\xfe" "a longer element, with more than sixteen bytes"
        GET h2
        PFCOUNT h h2
        PFCOUNT h h2 nokey
        PFCOUNT nokey
        GET h2
        PFMERGE h3 h h2
        GET h3
        PFCOUNT h3
        PFMERGE h3
        GET h3
        PFMERGE empty
        GET empty
        PFCOUNT empty
        PFMERGE h h2
        GET h
        PFDEBUG ENCODING h
        PFDEBUG DECODE h
        PFDEBUG DECODE empty
        PFDEBUG ENCODING nokey
        PFDEBUG GETREG nokey
        PFDEBUG what h
        PFDEBUG what nokey
        PFDEBUG TODENSE h
        PFDEBUG TODENSE h
        GET h
        PFDEBUG ENCODING h
        PFDEBUG DECODE h
        PFCOUNT h
        PFDEBUG GETREG h2
        PFDEBUG ENCODING h2
        GET h2
        PFADD h zz yy
        GET h
        PFCOUNT h
        GET h
      `),
    );
  });

  it('errors: wrong types, malformed HLL strings, arity', async () => {
    await expectSame(
      pair,
      lines(`
        SET s foo
        PFADD s a
        PFCOUNT s
        PFCOUNT s nokey
        PFCOUNT nokey s
        PFMERGE s
        PFMERGE d s
        EXISTS d
        PFDEBUG ENCODING s
        LPUSH l a
        PFADD l a
        PFCOUNT l
        PFCOUNT l l
        PFMERGE l
        PFMERGE d l
        PFDEBUG GETREG l
        SET short HYLL
        PFADD short a
        PFCOUNT short
        SET enc2 "HYLL\\x02\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x7f\\xff"
        PFADD enc2 a
        SET densebad "HYLL\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00"
        PFCOUNT densebad
        SET magic "HYLX\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x7f\\xff"
        PFCOUNT magic
        SET n 1234567890123456
        PFCOUNT n
        PFADD
        PFCOUNT
        PFMERGE
        PFDEBUG
        PFDEBUG GETREG
        PFDEBUG GETREG a b
        PFSELFTEST x
      `),
    );
  });

  it('crafted sparse values: corrupt runs, cached cardinalities, splits and merges', async () => {
    // An element in register 0..3 with a run of at least 2, and one hashing to the last register.
    const low = findElement('low', (p) => p.index >= 1 && p.index <= 2 && p.count >= 2);
    const last = findElement('last', (p) => p.index === 16383);
    const first = findElement('first', (p) => p.index < 100);
    const h = (enc: number, card?: string) => header(enc, card);
    await expectSame(
      pair,
      lines(`
        SET empty "${h(1)}"
        PFCOUNT empty
        PFADD empty a
        PFCOUNT empty x
        PFMERGE d empty
        EXISTS d
        PFDEBUG TODENSE empty
        PFDEBUG GETREG empty
        PFDEBUG DECODE empty
        SET over "${h(1)}\\x7f\\xff\\x80"
        PFDEBUG DECODE over
        PFCOUNT over
        PFADD over ${first}
        GET over
        PFCOUNT over
        PFCOUNT over over
        PFMERGE d over
        PFDEBUG TODENSE over
        SET valover "${h(1)}\\x7f\\xfe\\x81"
        PFCOUNT valover
        PFCOUNT valover valover
        PFDEBUG GETREG valover
        SET valfirst "${h(1)}\\x80\\x7f\\xff"
        PFCOUNT valfirst
        PFMERGE d valfirst
        PFDEBUG TODENSE valfirst
        SET zover "${h(1)}\\x7f\\xff\\x00"
        PFCOUNT zover zover
        PFDEBUG TODENSE zover
        SET exact "${h(1)}\\x7f\\xfe\\x80"
        PFCOUNT exact exact
        PFDEBUG TODENSE exact
        GET exact
        SET short "${h(1)}\\x7f\\xfe"
        PFADD short ${first} ${last}
        GET short
        PFCOUNT short
        SET cached "${h(1, '\\x2a\\x00\\x00\\x00\\x00\\x00\\x00\\x00')}\\x7f\\xff"
        PFCOUNT cached
        GET cached
        SET cachedbig "${h(1, '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x7f')}\\x7f\\xff"
        PFCOUNT cachedbig
        SET cachedbig2 "${h(1, '\\x00\\x00\\x00\\x00\\x00\\x00\\x20\\x00')}\\x7f\\xff"
        PFCOUNT cachedbig2
        SET invalid "${h(1, '\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x80')}\\x7f\\xff"
        PFCOUNT invalid
        GET invalid
        SET vals "${h(1)}\\x83\\x7f\\xfb"
        PFDEBUG DECODE vals
        PFCOUNT vals
        PFADD vals ${low}
        PFDEBUG DECODE vals
        GET vals
        SET zeros "${h(1)}\\x01\\x02\\x7f\\xfa"
        PFDEBUG DECODE zeros
        PFADD zeros ${low}
        PFDEBUG DECODE zeros
        GET zeros
        SET xz "${h(1)}\\x40\\x01\\x7f\\xfc"
        PFADD xz ${low} ${last}
        PFDEBUG DECODE xz
        GET xz
        SET mixed "${h(1)}\\x84\\x84\\x84\\x84\\x7f\\xfb"
        PFDEBUG DECODE mixed
        PFADD mixed ${low}
        PFDEBUG DECODE mixed
        PFCOUNT mixed
        GET mixed
      `),
    );
  });

  it('crafted dense values: saturated registers, merges into sparse (promotion by value)', async () => {
    // Every register 63: the estimate overflows the way it does in C (2^63, sign bit set).
    const hdr = Buffer.from('HYLL\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80', 'latin1');
    const full = Buffer.concat([hdr, Buffer.alloc(HLL_DENSE_SIZE - 16, 0xff)]);
    // Register values 40 (above the sparse VAL limit of 32) in a regular pattern.
    const high = Buffer.concat([hdr, Buffer.alloc(HLL_DENSE_SIZE - 16, 0)]);
    for (let i = 0; i < 16384; i += 97) {
      const bit = i * 6;
      const byte = 16 + (bit >> 3);
      const fb = bit & 7;
      high[byte] |= (40 << fb) & 0xff;
      if (fb > 2) high[byte + 1] |= 40 >> (8 - fb);
    }
    for (const r of [ours, real]) await r.flushall();
    await same('SET', 'full', full);
    await same('PFCOUNT', 'full');
    await same('GET', 'full');
    await same('PFCOUNT', 'full');
    await same('PFCOUNT', 'full', 'nokey');
    await same('SET', 'high', high);
    await same('PFADD', 'sp', 'a', 'b', 'c');
    await same('PFMERGE', 'sp', 'high');
    await same('GET', 'sp');
    await same('PFCOUNT', 'sp');
    await same('PFADD', 'sp2', 'a', 'b', 'c');
    await same('PFCOUNT', 'sp2', 'high');
    await same('PFMERGE', 'dst', 'sp2', 'high', 'full');
    await same('GET', 'dst');
    await same('PFDEBUG', 'GETREG', 'high');
  });

  it('PFADD of 10^5 elements in batches: identical bytes through sparse → dense promotion', async () => {
    for (const r of [ours, real]) await r.flushall();
    let n = 0;
    let sawSparse = false;
    let sawDense = false;
    for (let batch = 0; batch < 100; batch++) {
      const els: string[] = [];
      for (let i = 0; i < 1000; i++) els.push(`el:${n++}:${(n * 2654435761) % 1000003}`);
      await same('PFADD', 'big', ...els);
      if (batch < 5 || batch % 10 === 9) {
        await same('GET', 'big');
        await same('PFCOUNT', 'big');
        await same('GET', 'big');
      }
      const enc = await same('PFDEBUG', 'ENCODING', 'big');
      if (enc === SPARSE) sawSparse = true;
      else sawDense = true;
    }
    expect(sawDense).toBe(true);
    // One at a time: every sparse opcode split and merge path, until the size limit promotes it.
    for (let i = 0; i < 2500; i++) {
      await same('PFADD', 'inc', `x${i}`);
      if (i % 100 === 0) {
        await same('GET', 'inc');
        const enc = await same('PFDEBUG', 'ENCODING', 'inc');
        if (enc === SPARSE) sawSparse = true;
      }
    }
    expect(sawSparse).toBe(true);
    await same('GET', 'inc');
    await same('PFDEBUG', 'ENCODING', 'inc');
    await same('PFCOUNT', 'inc');
    // Merges: sparse+sparse stays sparse, anything with a dense input becomes dense.
    for (let i = 0; i < 200; i++) await same('PFADD', 's1', `s${i * 31}`);
    for (let i = 0; i < 150; i++) await same('PFADD', 's2', `t${i}`);
    await same('PFMERGE', 'm1', 's1', 's2');
    await same('GET', 'm1');
    await same('PFDEBUG', 'ENCODING', 'm1');
    await same('PFMERGE', 'm2', 's1', 'big');
    await same('GET', 'm2');
    await same('PFCOUNT', 'm2');
    await same('PFMERGE', 's1', 'inc', 's2');
    await same('GET', 's1');
    await same('PFCOUNT', 's1', 's2', 'big', 'inc', 'nokey');
    await same('PFMERGE', 'big', 's2');
    await same('GET', 'big');
  }, 120_000);

  it('hll-sparse-max-bytes decides when a sparse value turns dense', async () => {
    for (const r of [ours, real]) await r.flushall();
    for (const limit of ['0', '40', '300']) {
      await same('CONFIG', 'SET', 'hll-sparse-max-bytes', limit);
      for (let i = 0; i < 60; i++) {
        await same('PFADD', `lim${limit}`, `e${i}`);
        await same('PFDEBUG', 'ENCODING', `lim${limit}`);
      }
      await same('GET', `lim${limit}`);
      await same('PFMERGE', `merged${limit}`, 'lim300', `lim${limit}`);
      await same('GET', `merged${limit}`);
    }
    await same('CONFIG', 'SET', 'hll-sparse-max-bytes', '3000');
  });

  it('counts changes and keyspace hits/misses like Redis (PFADD per updated register, PFCOUNT cache refresh, PFDEBUG conversions)', async () => {
    for (const r of [ours, real]) await r.flushall();
    const steps: (string | number)[][] = [
      ['PFADD', 'k', 'a', 'b', 'c'],
      ['PFADD', 'k', 'a', 'b', 'c'],
      ['PFADD', 'k'],
      ['PFADD', 'k2'],
      ['PFCOUNT', 'k'],
      ['PFCOUNT', 'k'],
      ['PFCOUNT', 'k', 'k2'],
      ['PFMERGE', 'k3', 'k', 'k2'],
      ['PFDEBUG', 'TODENSE', 'k3'],
      ['PFDEBUG', 'TODENSE', 'k3'],
      ['PFDEBUG', 'GETREG', 'k'],
      ['PFDEBUG', 'ENCODING', 'k2'],
      ['PFCOUNT', 'nokey'],
      ['PFCOUNT', 'k', 'nokey', 'k2'],
      ['PFMERGE', 'k4', 'nokey', 'k'],
      ['PFMERGE', 'k4', 'k'],
      ['PFADD', 'k', 'zzz'],
    ];
    for (const s of steps) {
      const before = { ours: await changes(ours), real: await changes(real) };
      await same(...s);
      const after = { ours: await changes(ours), real: await changes(real) };
      const delta = (a: number[], b: number[]) => a.map((v, i) => v - b[i]);
      expect({ cmd: s.join(' '), delta: delta(after.ours, before.ours) }).toEqual({ cmd: s.join(' '), delta: delta(after.real, before.real) });
    }
  });

  it('PFCOUNT keeps the TTL when it refreshes the cache; PFADD keeps it too', async () => {
    await expectSame(
      pair,
      lines(`
        PFADD k a b c
        PEXPIREAT k 99999999999999
        PFCOUNT k
        PEXPIRETIME k
        PFADD k d
        PEXPIRETIME k
        PFMERGE k k
        PEXPIRETIME k
        PFDEBUG TODENSE k
        PEXPIRETIME k
        TYPE k
        OBJECT ENCODING k
        STRLEN k
        APPEND k x
        PFCOUNT k
      `),
    );
  });

  it('PFSELFTEST passes', async () => {
    expect(await ours.call('PFSELFTEST')).toBe('OK');
  }, 60_000);
});
