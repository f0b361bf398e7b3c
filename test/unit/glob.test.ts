// globMatch (stringmatchlen) against hand-worked Redis semantics, then against the
// real server: KEYS over a prepared binary key set for random patterns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { globMatch } from '../../src/keyspace/glob.js';
import { skipWithoutRealRedis, startServer, type ServerProcess } from '../helpers/server.js';

type Case = [pattern: string, subject: string, expected: boolean];

function check(cases: Case[], nocase = false): void {
  for (const [p, s, want] of cases) {
    expect({ p, s, got: globMatch(p, s, nocase) }).toEqual({ p, s, got: want });
  }
}

describe('globMatch (stringmatchlen)', () => {
  it('literals, ? and the empty pattern', () => {
    check([
      ['hello', 'hello', true],
      ['hello', 'hell', false],
      ['hello', 'helloo', false],
      ['h?llo', 'hello', true],
      ['h?llo', 'hllo', false],
      ['?', '', false],
      ['??', 'a', false],
      ['', '', true],
      ['', 'a', false],
      ['a\x00b', 'a\x00b', true],
      ['a\x00b', 'a\x00c', false],
      ['?', '\x00', true],
      ['\xff', '\xff', true],
    ]);
  });

  it('* matches any run, but a lone * does not match the empty string', () => {
    check([
      ['*', 'anything', true],
      ['*', '', false], // KEYS/SCAN special-case "*"; stringmatchlen itself says no
      ['**', '', false],
      ['a*', 'a', true],
      ['a**', 'a', true],
      ['*a', 'a', true],
      ['h*llo', 'hllo', true],
      ['h*llo', 'heeeello', true],
      ['h*llo', 'hellx', false],
      ['*b*', 'abc', true],
      ['a*b*c', 'aXbYc', true],
      ['a*b*c', 'aXbYd', false],
      ['*?', '', false],
      ['*?', 'x', true],
      ['a*?', 'a', false],
    ]);
  });

  it('character classes, negation and ranges', () => {
    check([
      ['h[ae]llo', 'hello', true],
      ['h[ae]llo', 'hallo', true],
      ['h[ae]llo', 'hillo', false],
      ['h[^e]llo', 'hallo', true],
      ['h[^e]llo', 'hello', false],
      ['h[a-b]llo', 'hbllo', true],
      ['h[a-b]llo', 'hcllo', false],
      ['h[b-a]llo', 'hallo', true], // reversed range
      ['[a-c-e]', 'd', false],
      ['[a-c-e]', '-', true],
      ['[a-c-e]', 'e', true],
      ['[]', ']', false], // an empty class never matches
      ['[]]', ']', false],
      ['[\\]]', ']', true],
      ['[\\-]', '-', true],
      ['[\\a]', 'a', true],
      // "[a-]": the range a..']' (swapped to ']'..'a'), then the class ends at the pattern end.
      ['[a-]', ']', true],
      ['[a-]', '^', true],
      ['[a-]', '`', true],
      ['[a-]', 'a', true],
      ['[a-]', '-', false],
      ['[a-]', 'b', false],
    ]);
  });

  it('unterminated classes end at the end of the pattern', () => {
    check([
      ['[abc', 'a', true],
      ['[abc', 'c', true],
      ['[abc', 'd', false],
      ['[abc', 'ab', false],
      ['[', 'x', false],
      ['[', '', false],
      ['[^', 'x', true],
      ['[^', 'xy', false],
      ['[^a', 'a', false],
      ['[^a', 'b', true],
      ['[\\', '\\', true],
      ['x[', 'x', false],
    ]);
  });

  it('backslash escapes', () => {
    check([
      ['\\*', '*', true],
      ['\\*', 'a', false],
      ['\\?', '?', true],
      ['\\?', 'x', false],
      ['\\[a]', '[a]', true],
      ['\\\\', '\\', true],
      ['a\\', 'a\\', true], // a trailing backslash is literal
      ['a\\', 'a', false],
      ['\\a', 'a', true],
    ]);
  });

  it('bytes compare as signed chars inside ranges, as C does', () => {
    check([
      ['[a-\xff]', 'b', false], // 'a'..-1 swaps to -1..'a'
      ['[a-\xff]', 'A', true],
      ['[a-\xff]', '\x00', true],
      ['[a-\xff]', '\x80', false],
      ['[\x80-\xff]', '\x90', true],
      ['[\x80-\xff]', 'a', false],
      ['[\x00-\x7f]', '\x80', false],
    ]);
  });

  it('nocase folds ASCII letters only', () => {
    check(
      [
        ['HELLO', 'hello', true],
        ['h[A-C]llo', 'hbllo', true],
        ['h[a-c]llo', 'hBllo', true],
        ['[^A]', 'a', false],
        ['\xc0', '\xe0', false],
        ['h?L*', 'hello', true],
      ],
      true,
    );
    expect(globMatch('HELLO', 'hello')).toBe(false);
  });

  // redis-server answers this; a recursive matcher would overflow the JS stack.
  it('thousands of * in a pattern against a long subject do not overflow the stack', () => {
    expect(globMatch('a*'.repeat(5000) + 'b', 'a'.repeat(6000))).toBe(false);
  });

  it('gives up early on hopeless backtracking', () => {
    const s = 'a'.repeat(5000);
    const t0 = performance.now();
    expect(globMatch('*a*a*a*a*a*a*a*a*a*a*b', s)).toBe(false);
    expect(globMatch('a*a*a*a*a*a*a*a*a*a*a', s)).toBe(true);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

const skip = skipWithoutRealRedis();

describe.skipIf(skip !== null)(`globMatch vs KEYS on redis-server${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let real: ServerProcess;
  let r: Redis;
  const ALPHABET = ['a', 'b', 'A', '-', '^', ']', '[', '\\', '*', '?', '\x00', '\xff', '\x80'];
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const word = (max: number) => {
    let s = '';
    const len = rand(max + 1);
    for (let i = 0; i < len; i++) s += ALPHABET[rand(ALPHABET.length)];
    return s;
  };
  const keys = new Set<string>(['']);

  beforeAll(async () => {
    real = await startServer({ real: true });
    r = real.client();
    while (keys.size < 400) keys.add(word(4));
    const args: Buffer[] = [];
    for (const k of keys) args.push(Buffer.from(k, 'latin1'), Buffer.from('v'));
    await r.mset(...args);
  });
  afterAll(async () => {
    await real?.stop();
  });

  it('matches the server on 600 random patterns', async () => {
    const patterns = ['*', '', '**', '[', '[^', '\\', '[a-', '[\\'];
    while (patterns.length < 600) patterns.push(word(6));
    const mismatches: string[] = [];
    for (const p of patterns) {
      const reply = (await r.callBuffer('KEYS', Buffer.from(p, 'latin1'))) as Buffer[];
      const got = reply.map((b) => b.toString('latin1')).sort();
      // KEYS treats exactly "*" as match-all before calling stringmatchlen.
      const want = [...keys].filter((k) => p === '*' || globMatch(p, k)).sort();
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(JSON.stringify(p));
    }
    expect(mismatches).toEqual([]);
  });
});
