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

describe('HashValue and SetValue helpers for the hash and set commands', () => {
  it('HashValue.fieldArray follows additions and removals; randomField picks a field; dup is independent', () => {
    const limits = { maxEntries: 512, maxValue: 64 };
    const h = new HashValue();
    h.set('a', '1', limits);
    h.set('b', '2', limits);
    expect(h.fieldArray()).toEqual(['a', 'b']);
    h.set('a', '3', limits);
    expect(h.fieldArray()).toEqual(['a', 'b']);
    h.set('c', '4', limits);
    h.delete('a');
    expect(h.fieldArray()).toEqual(['b', 'c']);
    expect(h.delete('zz')).toBe(false);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(h.randomField());
    expect(seen).toEqual(new Set(['b', 'c']));
    h.set('long', 'x'.repeat(65), limits);
    const d = h.dup();
    expect(d.encoding()).toBe('hashtable');
    expect([...d.fields]).toEqual([...h.fields]);
    d.set('new', 'v', limits);
    expect(h.fields.has('new')).toBe(false);
    expect(new HashValue().dup().encoding()).toBe('listpack');
  });

  it('SetValue.values sorts intsets numerically across the int64 range; sample and dup', () => {
    const s = new SetValue('5');
    for (const m of ['5', '9223372036854775807', '-9223372036854775808', '10', '-1', '9007199254740993', '9007199254740992', '0']) s.add(m, 512);
    expect(s.values()).toEqual(['-9223372036854775808', '-1', '0', '5', '10', '9007199254740992', '9007199254740993', '9223372036854775807']);
    const picked = s.sample(5);
    expect(picked.length).toBe(5);
    expect(new Set(picked).size).toBe(5);
    for (const m of picked) expect(s.has(m)).toBe(true);
    expect(s.size).toBe(8);
    const d = s.dup();
    expect(d.encoding()).toBe('intset');
    expect(d.values()).toEqual(s.values());
    d.remove('5');
    expect(s.has('5')).toBe(true);
    s.add('x', 512);
    expect(s.dup().encoding()).toBe('hashtable');
  });

  it('SetValue.scanSource keeps every untouched member in order across removals', () => {
    const s = new SetValue('a');
    for (const m of ['a', 'b', 'c', 'd', 'e']) s.add(m, 512);
    const it = s.scanSource().keys();
    expect(it.next().value).toBe('a');
    s.remove('b');
    s.remove('a');
    const rest = [...it];
    expect(rest).toEqual(['c', 'd', 'e']);
    expect(new Set(s.scanSource().keys())).toEqual(new Set(s.rawMembers()));
  });
});
