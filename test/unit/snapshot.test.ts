// The copy-before-write snapshot emits the keyspace exactly as it was at its start,
// whatever writes, deletes, flushes and swaps happen while it walks in slices.
import { describe, expect, it } from 'vitest';
import { Database, type KeyspaceHooks, type Value } from '../../src/keyspace/database.js';
import { CopyOnWriteSnapshot } from '../../src/persistence/snapshot.js';
import { AccessClock } from '../../src/keyspace/access-clock.js';
import { KeyspaceMemory } from '../../src/keyspace/keyspace-memory.js';
import { ListValue } from '../../src/keyspace/types/list.js';

function hooks(): KeyspaceHooks {
  return {
    now: 0,
    expireEnabled: true,
    expirePaused: false,
    fromMaster: false,
    keyExpired() {},
    keyspaceHits: 0,
    keyspaceMisses: 0,
    keyCreated() {},
    keyMissed() {},
    trackingActive: false,
    keyModified() {},
    replicaKeyWithExpire() {},
    writableReplica: false,
    dbFlushed() {},
    access: new AccessClock(),
    memory: new KeyspaceMemory(() => 0),
  };
}

function dump(v: Value): unknown {
  return typeof v === 'string' ? v : (v as ListValue).toArray();
}

describe('CopyOnWriteSnapshot', () => {
  it('captures the dataset at its start despite concurrent writes', () => {
    const h = hooks();
    const dbs = [new Database(0, h), new Database(1, h)];
    for (let i = 0; i < 1000; i++) dbs[0].set(`k${i}`, `v${i}`);
    dbs[0].setExpire('k5', 123456);
    dbs[1].set('list', new ListValue(['a', 'b']));
    dbs[1].set('other', 'x');
    const expected = new Map<string, unknown>();
    for (const db of dbs) for (const [k, v] of db.dict) expected.set(`${db.id}/${k}`, [dump(v), db.getExpire(k)]);

    const got = new Map<string, unknown>();
    const snap = new CopyOnWriteSnapshot(dbs, {
      selectDb() {},
      key(dbId, key, value, exp) {
        const id = `${dbId}/${key}`;
        expect(got.has(id), `emitted twice: ${id}`).toBe(false);
        got.set(id, [dump(value), exp]);
      },
    });
    let round = 0;
    while (!snap.step({ keysPerSlice: 50, msPerSlice: 100 })) {
      // Writes between slices, of every kind.
      dbs[0].set(`k${round * 7}`, 'changed');
      dbs[0].delete(`k${999 - round}`);
      dbs[0].add(`new${round}`, 'created');
      dbs[0].setExpire(`k${round * 3 + 1}`, 999);
      dbs[0].removeExpire('k5');
      // In-place change of a collection: dispatch announces the key first.
      dbs[1].cow?.beforeWrite(dbs[1], 'list');
      (dbs[1].dict.get('list') as ListValue | undefined)?.pushTail('z');
      if (round === 3) dbs[0].swapWith(dbs[1]);
      if (round === 5) dbs[1].clear();
      round++;
    }
    expect(round).toBeGreaterThan(5);
    expect(got).toEqual(expected);
    expect(dbs[0].cow).toBeNull();
  });
});
