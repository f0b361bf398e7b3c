// The set type: members in an array plus a member → index map, so membership,
// add, remove (swap with the last) and picking a random member are all O(1).
// OBJECT ENCODING follows Redis 7.0: "intset" while every member is an integer
// (string2ll) and the count fits set-max-intset-entries, then "hashtable" for good.
// An intset iterates in ascending numeric order, as Redis's sorted intset does.

import type { CollectionValue } from '../database.js';
import { parseInt64 } from '../../util/int64.js';

export class SetValue implements CollectionValue {
  readonly type = 'set' as const;
  private readonly members: string[] = [];
  private readonly index = new Map<string, number>();
  private intset: boolean;

  /** `firstMember` decides the initial encoding, as setTypeCreate does. */
  constructor(firstMember?: string) {
    this.intset = firstMember === undefined || parseInt64(firstMember) !== null;
  }

  get size(): number {
    return this.members.length;
  }

  encoding(): string {
    return this.intset ? 'intset' : 'hashtable';
  }

  get isIntset(): boolean {
    return this.intset;
  }

  has(m: string): boolean {
    return this.index.has(m);
  }

  /** Adds a member; returns true when it was new. `maxIntset` is set-max-intset-entries. */
  add(m: string, maxIntset: number): boolean {
    if (this.index.has(m)) return false;
    if (this.intset && parseInt64(m) === null) this.intset = false;
    this.index.set(m, this.members.length);
    this.members.push(m);
    if (this.intset && this.members.length > maxIntset) this.intset = false;
    return true;
  }

  remove(m: string): boolean {
    const i = this.index.get(m);
    if (i === undefined) return false;
    const last = this.members.pop() as string;
    this.index.delete(m);
    if (i < this.members.length) {
      this.members[i] = last;
      this.index.set(last, i);
    }
    return true;
  }

  /** A uniformly random member (the set must not be empty). */
  random(): string {
    return this.members[Math.floor(Math.random() * this.members.length)];
  }

  /** Members in Redis's iteration order where it is defined (intset: ascending). */
  values(): string[] {
    if (!this.intset) return this.members.slice();
    // Parse once: numbers where exact, bigints beyond; < compares the two kinds exactly.
    const n = this.members.length;
    const keyed = new Array<{ k: number | bigint; s: string }>(n);
    for (let i = 0; i < n; i++) {
      const s = this.members[i];
      keyed[i] = { k: parseInt64(s) as number | bigint, s };
    }
    keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) out[i] = keyed[i].s;
    return out;
  }

  /** Live view for iteration without copying (order: insertion, with swaps on removal). */
  rawMembers(): readonly string[] {
    return this.members;
  }

  convertToHashtable(): void {
    this.intset = false;
  }

  /**
   * The member → index map, for SSCAN's live iteration: it keeps insertion order,
   * and a removal only re-points the moved member, which does not reorder it.
   * Read only: callers must never modify it.
   */
  scanSource(): Map<string, number> {
    return this.index;
  }

  /** `k` distinct random members (k < size), by a partial Fisher-Yates shuffle of a copy. */
  sample(k: number): string[] {
    const a = this.members.slice();
    const n = a.length;
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(Math.random() * (n - i));
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    a.length = k;
    return a;
  }

  /** An independent copy with the same encoding (COPY, setTypeDup). */
  dup(): SetValue {
    const s = new SetValue();
    for (const m of this.members) {
      s.index.set(m, s.members.length);
      s.members.push(m);
    }
    s.intset = this.intset;
    return s;
  }
}
