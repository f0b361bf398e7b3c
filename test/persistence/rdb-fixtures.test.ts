// RDB files written by real Redis servers of several versions (test/fixtures/rdb,
// see its README): each loads, or is rejected, as the README says; loadable ones
// are compared key by key with what Debian's redis-server 7.0 loads from them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RdbError } from '../../src/persistence/rdb/constants.js';
import {
  type RdbLogLevel,
} from '../../src/persistence/rdb/reader.js';
import { readRdb } from '../../src/persistence/rdb/read-whole.js';
import { ROOT, skipWithoutRealRedis } from '../helpers/server.js';
import { canonValue, dumpServerDb, startRealWithRdb } from './rdb-helpers.js';

const DIR = join(ROOT, 'test', 'fixtures', 'rdb');
const fixture = (name: string) => readFileSync(join(DIR, name));
const skip = skipWithoutRealRedis();

describe('RDB fixtures written by real Redis', () => {
  it('encodings.rdb (version 4): 13 keys in old encodings with the expected types and values', () => {
    const { keys, info } = readRdb(fixture('encodings.rdb'));
    expect(info.version).toBe(4);
    expect(info.checksum).toBe('absent');
    const byKey = new Map(keys.map((k) => [k.key, k]));
    const types = Object.fromEntries(keys.map((k) => [k.key, canonValue(k.value).type]));
    expect(types).toEqual({
      string: 'string',
      number: 'string',
      compressible: 'string',
      list: 'list',
      list_zipped: 'list',
      set: 'set',
      set_zipped_1: 'set',
      set_zipped_2: 'set',
      set_zipped_3: 'set',
      hash: 'hash',
      hash_zipped: 'hash',
      zset: 'zset',
      zset_zipped: 'zset',
    });
    expect(byKey.get('string')!.value).toBe('Hello World');
    expect(byKey.get('number')!.value).toBe('10');
    expect(byKey.get('number')!.rdbType).toBe(0);
    // LZF-compressed by Redis 2.x.
    expect(byKey.get('compressible')!.value).toBe('a'.repeat(137));
    expect(canonValue(byKey.get('set_zipped_3')!.value)).toEqual({
      type: 'set',
      encoding: 'intset',
      data: ['1000000000', '2000000000', '3000000000', '4000000000', '5000000000', '6000000000'],
    });
    expect(canonValue(byKey.get('hash_zipped')!.value)).toEqual({
      type: 'hash',
      encoding: 'listpack',
      data: [
        ['a', '1'],
        ['b', '2'],
        ['c', '3'],
      ],
    });
    expect(canonValue(byKey.get('zset_zipped')!.value).data).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
  });

  it('hash-zipmap, hash-ziplist, zset-ziplist, list-quicklist load with their keys', () => {
    const zm = readRdb(fixture('hash-zipmap.rdb'));
    expect(zm.info.version).toBe(3);
    expect(zm.keys.map((k) => [k.key, canonValue(k.value)])).toEqual([
      ['hash', { type: 'hash', encoding: 'listpack', data: [['f1', 'v1'], ['f2', 'v2']] }],
    ]);
    const zl = readRdb(fixture('hash-ziplist.rdb'));
    expect(zl.info.version).toBe(9);
    expect(zl.info.checksum).toBe('verified');
    expect(zl.keys.map((k) => [k.key, canonValue(k.value)])).toEqual([
      ['hash', { type: 'hash', encoding: 'listpack', data: [['f1', 'v1'], ['f2', 'v2']] }],
    ]);
    const zz = readRdb(fixture('zset-ziplist.rdb'));
    expect(zz.keys.map((k) => [k.key, canonValue(k.value)])).toEqual([
      ['zset', { type: 'zset', encoding: 'listpack', data: [['one', 1], ['two', 2]] }],
    ]);
    const ql = readRdb(fixture('list-quicklist.rdb'));
    expect(ql.info.version).toBe(8);
    expect(ql.info.aux.get('redis-ver')).toBe('4.0.9');
    expect(ql.keys.map((k) => [k.key, k.rdbType, canonValue(k.value).type])).toEqual([
      ['list', 14, 'list'],
      ['x', 0, 'string'],
    ]);
  });

  it('scriptbackup.rdb: no keys, the lua aux field kept in info', () => {
    const { keys, info } = readRdb(fixture('scriptbackup.rdb'));
    expect(keys).toEqual([]);
    expect(info.aux.get('lua')).toBe("return redis.call('set', 'foo', 'bar')");
    expect(info.aux.get('repl-id')).toBe('349eeafec1f98f3f56277e95fc86bc48b30651a2');
    expect(info.checksum).toBe('verified');
  });

  it('corrupt_empty_keys.rdb: 0 keys loaded, 9 empty keys skipped with a log line each', () => {
    const logs: [RdbLogLevel, string][] = [];
    const { keys, info } = readRdb(fixture('corrupt_empty_keys.rdb'), { log: (l, m) => logs.push([l, m]) });
    expect(keys).toEqual([]);
    expect(info.keysLoaded).toBe(0);
    expect(info.emptyKeysSkipped).toBe(9);
    const skipped = logs.filter(([, m]) => m.startsWith('rdbLoadObject skipping empty key: ')).map(([l, m]) => [l, m.slice(34)]);
    expect(skipped).toEqual(
      [
        'set',
        'hash',
        'list_ziplist',
        'zset',
        'zset_listpack',
        'hash_ziplist',
        'list_quicklist',
        'zset_ziplist',
        'list_quicklist_empty_ziplist',
      ].map((k) => ['warning', k]),
    );
  });

  it('corrupt_ziplist.rdb: refused with an error naming the key and the encoding', () => {
    let err: unknown;
    try {
      readRdb(fixture('corrupt_ziplist.rdb'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RdbError);
    const e = err as RdbError;
    expect(e.code).toBe('CORRUPT');
    expect(e.reason).toBe('Hash ziplist integrity check failed.');
    expect(e.key).toBe('key:000000000091');
    expect(e.rdbType).toBe(13);
    expect(e.message).toContain("key 'key:000000000091'");
    expect(e.message).toContain('hash-ziplist');
  });

  describe.skipIf(skip !== null)(`same contents as redis-server 7.0 loads${skip ? ` (skipped: ${skip})` : ''}`, () => {
    for (const name of ['encodings.rdb', 'hash-zipmap.rdb', 'hash-ziplist.rdb', 'zset-ziplist.rdb', 'list-quicklist.rdb', 'scriptbackup.rdb', 'corrupt_empty_keys.rdb']) {
      it(name, async () => {
        const ours = readRdb(fixture(name));
        const real = await startRealWithRdb(join(DIR, name));
        try {
          const c = real.client({ protocol: 2 });
          const dbs = new Set([0, ...ours.keys.map((k) => k.db)]);
          for (const db of dbs) {
            await c.select(db);
            const theirs = await dumpServerDb(c);
            const mine = new Map(
              ours.keys.filter((k) => k.db === db).map((k) => [k.key, { value: canonValue(k.value), expireMs: k.expireMs }]),
            );
            expect(mine).toEqual(theirs);
          }
        } finally {
          await real.stop();
        }
      });
    }

    it('corrupt_ziplist.rdb is refused by redis-server too', async () => {
      await expect(startRealWithRdb(join(DIR, 'corrupt_ziplist.rdb'))).rejects.toThrow(
        /Hash ziplist integrity check failed/,
      );
    });
  });
});
