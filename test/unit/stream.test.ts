// StreamValue against reference models: ID arithmetic over the full uint64 range,
// node layout (byte sizes equal to the listpacks Redis would build, checked with the
// RDB codec's listpack encoder), ranges/deletions/trims under random operations, the
// radix tree node count, PEL ordering, lag estimates, digests, copies and the
// conversion to and from the RDB codec's StreamData.
import { describe, expect, it } from 'vitest';
import {
  INVALID_ENTRIES_READ,
  MAX_ID,
  PelIndex,
  StreamGroup,
  StreamNack,
  StreamValue,
  TRIM_MAXLEN,
  TRIM_MINID,
  ZERO_ID,
  compareIds,
  decrId,
  idString,
  incrId,
  subI64,
  type NodeLimits,
  type StreamEntry,
  type StreamID,
} from '../../src/keyspace/types/stream.js';
import { ListpackBuilder } from '../../src/persistence/rdb/listpack.js';
import { emptyDigest, mixDigest } from '../../src/keyspace/digest.js';

const LIMITS: NodeLimits = { maxBytes: 4096, maxEntries: 100 };
const U = 18446744073709551615n;

function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

function id(ms: number | bigint, seq: number | bigint): StreamID {
  const n = (v: number | bigint) => (typeof v === 'bigint' && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
  return { ms: n(ms), seq: n(seq) };
}

function ids(entries: readonly StreamEntry[]): string[] {
  return entries.map((e) => e.id);
}

describe('stream IDs', () => {
  it('increment and decrement across 2^53 and 2^64 exactly, wrapping at the ends like Redis', () => {
    expect(idString(incrId(id(1, 2)))).toBe('1-3');
    expect(idString(incrId(id(1, 9007199254740991)))).toBe('1-9007199254740992');
    expect(idString(incrId(id(1, U)))).toBe('2-0');
    expect(idString(incrId(id(U, U - 1n)))).toBe(`${U}-${U}`);
    expect(idString(incrId(MAX_ID))).toBe('0-0');
    expect(idString(decrId(id(2, 0)))).toBe(`1-${U}`);
    expect(idString(decrId(id(1, 9007199254740992n)))).toBe('1-9007199254740991');
    expect(idString(decrId(ZERO_ID))).toBe(`${U}-${U}`);
    expect(compareIds(id(9007199254740993n, 0), id(9007199254740991, 5))).toBe(1);
    expect(compareIds(id(5, U), id(5, 9007199254740991))).toBe(1);
    expect(compareIds(id(U, U), MAX_ID)).toBe(0);
    expect(subI64(5, 7)).toBe(-2);
    expect(subI64(9223372036854775807n, 0)).toBe(9223372036854775807n);
  });

  it('nextId follows streamAppendItem: clock, same-ms sequence, <ms>-*, refusals', () => {
    const s = new StreamValue();
    expect(s.nextId(null, true, 1000)).toEqual({ ms: 1000, seq: 0 });
    s.append({ ms: 1000, seq: 0 }, ['a', '1'], LIMITS);
    expect(s.nextId(null, true, 999)).toEqual({ ms: 1000, seq: 1 });
    expect(s.nextId(null, true, 1001)).toEqual({ ms: 1001, seq: 0 });
    expect(s.nextId(id(1000, 0), false, 0)).toEqual({ ms: 1000, seq: 1 });
    expect(s.nextId(id(999, 0), false, 0)).toBe('not-greater');
    expect(s.nextId(id(1000, 0), true, 0)).toBe('not-greater');
    expect(s.nextId(id(2000, 0), false, 0)).toEqual({ ms: 2000, seq: 0 });
    s.append(id(1000, U), ['a', '1'], LIMITS);
    // Redis fails this without setting errno: the command replies its "too large" error.
    expect(s.nextId(id(1000, 0), false, 0)).toBe('too-large');
    expect(idString(s.nextId(null, true, 5) as StreamID)).toBe('1001-0');
  });
});

/** The listpack Redis's streamAppendItem builds for these entries, encoded for real. */
function redisListpackBytes(entries: { id: StreamID; fields: string[] }[], dead: Set<number>): number {
  const master = entries[0];
  const mf: string[] = [];
  for (let i = 0; i < master.fields.length; i += 2) mf.push(master.fields[i]);
  const lp = new ListpackBuilder();
  lp.appendInt(entries.length - dead.size);
  lp.appendInt(dead.size);
  lp.appendInt(mf.length);
  for (const f of mf) lp.appendString(f);
  lp.appendInt(0);
  entries.forEach((e, k) => {
    const nf = e.fields.length / 2;
    let same = nf === mf.length;
    for (let i = 0; same && i < nf; i++) if (e.fields[i * 2] !== mf[i]) same = false;
    lp.appendInt((same ? 2 : 0) | (dead.has(k) ? 1 : 0));
    lp.appendInt(BigInt.asIntN(64, BigInt(e.id.ms) - BigInt(master.id.ms)));
    lp.appendInt(BigInt.asIntN(64, BigInt(e.id.seq) - BigInt(master.id.seq)));
    if (!same) lp.appendInt(nf);
    for (let i = 0; i < nf; i++) {
      if (!same) lp.appendString(e.fields[i * 2]);
      lp.appendString(e.fields[i * 2 + 1]);
    }
    lp.appendInt(same ? nf + 3 : nf * 2 + 4);
  });
  return lp.bytes;
}

describe('StreamValue node layout', () => {
  it('node byte sizes equal the encoded listpacks, through deletions', () => {
    const r = rng(3);
    const s = new StreamValue();
    const limits: NodeLimits = { maxBytes: 0, maxEntries: 0 };
    const added: { id: StreamID; fields: string[] }[] = [];
    let ms = 1;
    for (let i = 0; i < 400; i++) {
      ms += Math.floor(r() * 100000);
      const seq = r() < 0.1 ? 2 ** 40 : Math.floor(r() * 300);
      const fields = r() < 0.7 ? ['f', String(Math.floor(r() * 1e9) - 5e8)] : ['g' + i, 'x'.repeat(Math.floor(r() * 200)), 'h', '007'];
      const e = { id: id(ms, seq), fields };
      s.append(e.id, fields, limits);
      added.push(e);
    }
    expect(s.nodes.length).toBe(1);
    expect(s.nodes[0].bytes).toBe(redisListpackBytes(added, new Set()));
    const dead = new Set<number>();
    for (let k = 0; k < 150; k++) {
      const i = Math.floor(r() * added.length);
      if (dead.has(i)) continue;
      expect(s.delete(added[i].id.ms, added[i].id.seq)).toBe(true);
      dead.add(i);
    }
    expect(s.nodes[0].bytes).toBe(redisListpackBytes(added, dead));
    expect(s.length).toBe(400 - dead.size);
  });

  it('splits nodes at stream-node-max-entries (live + deleted) and at stream-node-max-bytes', () => {
    const s = new StreamValue();
    for (let i = 1; i <= 250; i++) s.append(id(i, 0), ['f', 'v'], LIMITS);
    expect(s.nodes.map((n) => n.entries.length)).toEqual([100, 100, 50]);
    s.delete(150, 0);
    s.append(id(251, 0), ['f', 'v'], LIMITS);
    expect(s.nodes.map((n) => n.live + n.dead)).toEqual([100, 100, 51]);
    const b = new StreamValue();
    const limits = { maxBytes: 300, maxEntries: 100 };
    for (let i = 1; i <= 20; i++) b.append(id(i, 0), ['f', 'x'.repeat(50)], limits);
    // Each node closes when its size plus the next entry's raw element bytes reach 300.
    for (const n of b.nodes) expect(n.bytes).toBeLessThan(300 + 60);
    expect(b.nodes.length).toBeGreaterThan(3);
    const total = b.nodes.reduce((a, n) => a + n.entries.length, 0);
    expect(total).toBe(20);
  });

  it('deleting the last live entry of a node drops the node', () => {
    const s = new StreamValue();
    for (let i = 1; i <= 150; i++) s.append(id(i, 0), ['f', 'v'], LIMITS);
    for (let i = 101; i <= 150; i++) s.delete(i, 0);
    expect(s.nodes.length).toBe(1);
    expect(s.length).toBe(100);
    expect(s.delete(101, 0)).toBe(false);
  });
});

describe('StreamValue ranges, deletions and trims against a sorted-array model', () => {
  it('agree under random XADD / XDEL / exact trims / range queries', () => {
    const r = rng(7);
    const s = new StreamValue();
    let model: { ms: number; seq: number }[] = [];
    let ms = 0;
    const limits = { maxBytes: 500, maxEntries: 7 };
    const key = (e: { ms: number; seq: number }) => `${e.ms}-${e.seq}`;
    for (let step = 0; step < 6000; step++) {
      const op = r();
      if (op < 0.5) {
        ms += Math.floor(r() * 3);
        // "<ms>-*": the next sequence of the top item's millisecond, or 0 (the top may be deleted).
        const nid = s.nextId(id(ms, 0), false, 0);
        if (typeof nid === 'string') continue;
        const last = s.lastId;
        expect(idString(nid)).toBe(last.ms === ms ? `${ms}-${(last.seq as number) + 1}` : `${ms}-0`);
        s.append(nid, ['f', 'x'.repeat(Math.floor(r() * 40))], limits);
        model.push({ ms: nid.ms as number, seq: nid.seq as number });
      } else if (op < 0.7 && model.length > 0) {
        const e = model[Math.floor(r() * model.length)];
        expect(s.deleteIds([e, id(ms + 5, 0)])).toBe(1);
        model = model.filter((x) => x !== e);
      } else if (op < 0.72) {
        const maxlen = Math.floor(r() * model.length);
        const removed = s.trim(TRIM_MAXLEN, maxlen, ZERO_ID, false, 0);
        expect(removed).toBe(Math.max(0, model.length - maxlen));
        model = model.slice(model.length - Math.min(model.length, maxlen));
      } else if (op < 0.74 && model.length > 0) {
        const cut = model[Math.floor(r() * model.length)];
        const before = model.length;
        model = model.filter((x) => x.ms > cut.ms || (x.ms === cut.ms && x.seq >= cut.seq));
        expect(s.trim(TRIM_MINID, 0, cut, false, 0)).toBe(before - model.length);
      } else {
        const a = Math.floor(r() * (ms + 2));
        const b = a + Math.floor(r() * 30);
        const count = r() < 0.5 ? 0 : 1 + Math.floor(r() * 10);
        const want = model.filter((x) => x.ms >= a && x.ms <= b).map(key);
        expect(ids(s.range(id(a, 0), id(b, U), count, false, []))).toEqual(count ? want.slice(0, count) : want);
        const rev = want.slice().reverse();
        expect(ids(s.range(id(a, 0), id(b, U), count, true, []))).toEqual(count ? rev.slice(0, count) : rev);
      }
      expect(s.length).toBe(model.length);
      if (model.length > 0) expect(idString(s.firstId)).toBe(key(model[0]));
    }
  });

  it('MAXLEN ~ and MINID ~ remove whole nodes only, within LIMIT', () => {
    const s = new StreamValue();
    for (let i = 1; i <= 1000; i++) s.append(id(i, 0), ['f', 'v'], LIMITS);
    expect(s.trim(TRIM_MAXLEN, 950, ZERO_ID, true, 10000)).toBe(0);
    expect(s.trim(TRIM_MAXLEN, 850, ZERO_ID, true, 10000)).toBe(100);
    expect(s.trim(TRIM_MAXLEN, 0, ZERO_ID, true, 250)).toBe(200);
    expect(s.length).toBe(700);
    expect(s.trim(TRIM_MINID, 0, id(650, 0), true, 0)).toBe(300);
    expect(idString(s.firstId)).toBe('601-0');
    // Exact trimming cuts inside a node and leaves tombstones behind.
    expect(s.trim(TRIM_MAXLEN, 350, ZERO_ID, false, 0)).toBe(50);
    expect(s.nodes[0].dead).toBe(50);
    expect(idString(s.firstIdWithTombstones())).toBe('601-0');
    expect(idString(s.firstId)).toBe('651-0');
  });
});

describe('radix tree node count', () => {
  it('counts compressed nodes, branch nodes and leaves as rax does', () => {
    const s = new StreamValue();
    expect(s.raxNodeCount()).toBe(1);
    s.append(id(1, 0), ['f', 'v'], { maxBytes: 0, maxEntries: 1 });
    expect(s.raxNodeCount()).toBe(2);
    s.append(id(2, 0), ['f', 'v'], { maxBytes: 0, maxEntries: 1 });
    // "...01" and "...02" share 7 bytes: compressed prefix, branch, two leaf chains.
    expect(s.raxNodeCount()).toBe(1 + 1 + 2 * 2);
    s.append(id(3, 0), ['f', 'v'], { maxBytes: 0, maxEntries: 1 });
    expect(s.raxNodeCount()).toBe(1 + 1 + 3 * 2);
  });
});

describe('PelIndex', () => {
  it('keeps NACKs sorted whatever the insertion order and finds them by key', () => {
    const r = rng(5);
    const pel = new PelIndex();
    const ref = new Map<string, StreamNack>();
    for (let i = 0; i < 3000; i++) {
      const ms = Math.floor(r() * 500);
      const seq = r() < 0.05 ? U : Math.floor(r() * 3);
      const k = `${ms}-${seq}`;
      if (r() < 0.7) {
        if (ref.has(k)) continue;
        const n = new StreamNack(ms, seq === U ? U : seq, 0, 1, null);
        pel.insert(n);
        ref.set(k, n);
      } else if (ref.has(k)) {
        expect(pel.remove(ref.get(k)!)).toBe(true);
        ref.delete(k);
      }
    }
    expect(pel.size).toBe(ref.size);
    for (let i = 1; i < pel.items.length; i++) expect(compareIds(pel.items[i - 1], pel.items[i])).toBe(-1);
    for (const [k, n] of ref) expect(pel.get(k)).toBe(n);
    const lb = pel.lowerBound(250, 0);
    expect(lb === pel.items.length || compareIds(pel.items[lb], id(250, 0)) >= 0).toBe(true);
    expect(lb === 0 || compareIds(pel.items[lb - 1], id(250, 0)) < 0).toBe(true);
  });
});

describe('lag and entries read (streamEstimateDistanceFromFirstEverEntry)', () => {
  it('is exact without tombstones ahead and unknown past an XDEL', () => {
    const s = new StreamValue();
    for (let i = 1; i <= 5; i++) s.append(id(i, 0), ['f', 'v'], LIMITS);
    const g = new StreamGroup('g', ZERO_ID, INVALID_ENTRIES_READ);
    expect(s.groupLag(g)).toBe(5);
    g.lastId = id(5, 0);
    expect(s.groupLag(g)).toBe(0);
    g.lastId = id(3, 0);
    expect(s.groupLag(g)).toBeNull();
    g.entriesRead = 3;
    expect(s.groupLag(g)).toBe(2);
    s.delete(4, 0);
    s.maxDeletedId = id(4, 0);
    expect(s.groupLag(g)).toBeNull();
    expect(s.estimateDistance(id(5, 0))).toBe(5);
    expect(s.estimateDistance(id(6, 0))).toBe(INVALID_ENTRIES_READ);
  });
});

describe('whole-value operations', () => {
  function sample(): StreamValue {
    const s = new StreamValue();
    s.append(id(1, 1), ['a', '1', 'b', '2'], LIMITS);
    s.append(id(2, 1), ['\x00\xff', 'bin\r\n'], LIMITS);
    s.append(id(U, 7n), ['z', ''], LIMITS);
    s.delete(2, 1);
    s.maxDeletedId = id(2, 1);
    const g = new StreamGroup('g', id(1, 1), 1);
    const alice = g.createConsumer('alice', 1234)!;
    g.createConsumer('bob', 99);
    const n = new StreamNack(1, 1, 555, 3, alice);
    g.pel.insert(n);
    alice.pel.insert(n);
    s.groups.set('g', g);
    return s;
  }

  it('digests live entries in order as "<ms>.<seq>", fields and values', () => {
    const s = sample();
    const d = emptyDigest();
    s.digestInto(d, mixDigest);
    const want = emptyDigest();
    for (const x of ['1.1', 'a', '1', 'b', '2', `${U}.7`, 'z', '']) mixDigest(want, x);
    expect(d.equals(want)).toBe(true);
  });

  it('dup() is independent of the original, nodes and groups included', () => {
    const s = sample();
    const c = s.dup();
    expect(c.toStreamData()).toEqual(s.toStreamData());
    expect(c.raxNodeCount()).toBe(s.raxNodeCount());
    c.delete(1, 1);
    c.groups.get('g')!.consumers.get('alice')!.seenTime = 1;
    expect(s.length).toBe(2);
    expect(s.get(1, 1)).toBeDefined();
    expect(s.groups.get('g')!.consumers.get('alice')!.seenTime).toBe(1234);
  });

  it('converts to and from the RDB codec structure without loss', () => {
    const s = sample();
    const d = s.toStreamData();
    expect(d.entries.map((e) => `${e.id.ms}-${e.id.seq}`)).toEqual(['1-1', `${U}-7`]);
    expect(d.lastId).toEqual({ ms: U, seq: 7n });
    expect(d.maxDeletedEntryId).toEqual({ ms: 2n, seq: 1n });
    expect(d.entriesAdded).toBe(3n);
    expect(d.groups[0].entriesRead).toBe(1n);
    expect(d.groups[0].pending).toEqual([{ id: { ms: 1n, seq: 1n }, deliveryTime: 555, deliveryCount: 3, consumer: 'alice' }]);
    expect(d.groups[0].consumers.map((c) => c.name)).toEqual(['alice', 'bob']);
    const back = StreamValue.fromStreamData(d, LIMITS);
    expect(back.toStreamData()).toEqual(d);
    const nack = back.groups.get('g')!.pel.items[0];
    expect(nack.consumer).toBe(back.groups.get('g')!.consumers.get('alice'));
    expect(back.groups.get('g')!.consumers.get('alice')!.pel.items[0]).toBe(nack);
    expect(back.encoding()).toBe('stream');
  });
});
