// Value types checked against plain reference models under random operations.
import { describe, expect, it } from 'vitest';
import { ListValue } from '../../src/keyspace/types/list.js';
import { ZSetValue } from '../../src/keyspace/types/zset.js';
import { SetValue } from '../../src/keyspace/types/set.js';
import { HashValue } from '../../src/keyspace/types/hash.js';

function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

describe('ListValue', () => {
  it('behaves like an array deque under random operations', () => {
    const r = rng(1);
    const l = new ListValue();
    const ref: string[] = [];
    for (let i = 0; i < 20000; i++) {
      const op = Math.floor(r() * 7);
      const v = `v${i}`;
      if (op === 0) (l.pushHead(v), ref.unshift(v));
      else if (op === 1) (l.pushTail(v), ref.push(v));
      else if (op === 2) expect(l.popHead()).toBe(ref.shift());
      else if (op === 3) expect(l.popTail()).toBe(ref.pop());
      else if (op === 4 && ref.length > 0) {
        const idx = Math.floor(r() * ref.length);
        expect(l.at(idx)).toBe(ref[idx]);
        expect(l.at(idx - ref.length)).toBe(ref[idx]);
      } else if (op === 5 && ref.length > 0) {
        const idx = Math.floor(r() * (ref.length + 1));
        l.insertAt(idx, v);
        ref.splice(idx, 0, v);
      } else if (op === 6 && ref.length > 0) {
        const idx = Math.floor(r() * ref.length);
        l.removeAt(idx);
        ref.splice(idx, 1);
      }
      expect(l.length).toBe(ref.length);
    }
    expect(l.toArray()).toEqual(ref);
  });
});

describe('ZSetValue', () => {
  it('keeps order, ranks and ranges consistent with a sorted array', () => {
    const r = rng(7);
    const z = new ZSetValue();
    const ref = new Map<string, number>();
    const limits = { maxEntries: 128, maxValue: 64 };
    for (let i = 0; i < 5000; i++) {
      const m = `m${Math.floor(r() * 500)}`;
      if (r() < 0.7) {
        const s = Math.floor(r() * 50) / 2;
        z.add(m, s, limits);
        ref.set(m, s);
      } else {
        expect(z.remove(m)).toBe(ref.delete(m));
      }
    }
    const sorted = [...ref].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    expect([...z.nodes()].map((n) => [n.member, n.score])).toEqual(sorted);
    sorted.forEach(([m], i) => {
      expect(z.rank(m)).toBe(i);
      expect(z.byRank(i)?.member).toBe(m);
    });
    const range = { min: 5, max: 10, minExclusive: true, maxExclusive: false };
    const inRange = sorted.filter(([, s]) => s > 5 && s <= 10);
    expect(z.firstInScoreRange(range)?.member).toBe(inRange[0]?.[0]);
    expect(z.lastInScoreRange(range)?.member).toBe(inRange[inRange.length - 1]?.[0]);
    expect(z.encoding()).toBe('skiplist');
  });
});

describe('SetValue and HashValue encodings', () => {
  it('follow the intset/listpack conversion rules', () => {
    const s = new SetValue('1');
    for (const m of ['1', '3', '2', '-5']) s.add(m, 512);
    expect(s.encoding()).toBe('intset');
    expect(s.values()).toEqual(['-5', '1', '2', '3']);
    s.add('x', 512);
    expect(s.encoding()).toBe('hashtable');
    s.remove('x');
    expect(s.encoding()).toBe('hashtable');
    expect(new Set(s.values())).toEqual(new Set(['1', '2', '3', '-5']));
    const h = new HashValue();
    h.set('a', 'b', { maxEntries: 2, maxValue: 64 });
    expect(h.encoding()).toBe('listpack');
    h.set('c', 'x'.repeat(65), { maxEntries: 2, maxValue: 64 });
    expect(h.encoding()).toBe('hashtable');
  });
});
