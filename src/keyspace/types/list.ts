// The list type: a growable ring buffer of latin1 strings, O(1) push and pop at
// both ends and O(1) access by index from either end (Redis's quicklist gives
// O(n/node) index; callers rely only on the ends being fast). OBJECT ENCODING is
// always "quicklist" in Redis 7.0.

import type { CollectionValue } from '../database.js';

const MIN_CAPACITY = 4;

export class ListValue implements CollectionValue {
  readonly type = 'list' as const;
  private items: (string | undefined)[];
  private head = 0;
  private count = 0;

  constructor(initial?: readonly string[]) {
    let cap = MIN_CAPACITY;
    const n = initial?.length ?? 0;
    while (cap < n) cap *= 2;
    this.items = new Array<string | undefined>(cap);
    if (initial !== undefined) {
      for (let i = 0; i < n; i++) this.items[i] = initial[i];
      this.count = n;
    }
  }

  get length(): number {
    return this.count;
  }

  encoding(): string {
    return 'quicklist';
  }

  private grow(): void {
    const cap = this.items.length;
    const next = new Array<string | undefined>(cap * 2);
    for (let i = 0; i < this.count; i++) next[i] = this.items[(this.head + i) & (cap - 1)];
    this.items = next;
    this.head = 0;
  }

  private shrinkIfSparse(): void {
    const cap = this.items.length;
    if (cap > 64 && this.count < cap / 4) {
      const next = new Array<string | undefined>(cap / 2);
      for (let i = 0; i < this.count; i++) next[i] = this.items[(this.head + i) & (cap - 1)];
      this.items = next;
      this.head = 0;
    }
  }

  pushTail(v: string): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) & (this.items.length - 1)] = v;
    this.count++;
  }

  pushHead(v: string): void {
    if (this.count === this.items.length) this.grow();
    this.head = (this.head - 1) & (this.items.length - 1);
    this.items[this.head] = v;
    this.count++;
  }

  popHead(): string | undefined {
    if (this.count === 0) return undefined;
    const v = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & (this.items.length - 1);
    this.count--;
    this.shrinkIfSparse();
    return v;
  }

  popTail(): string | undefined {
    if (this.count === 0) return undefined;
    const i = (this.head + this.count - 1) & (this.items.length - 1);
    const v = this.items[i];
    this.items[i] = undefined;
    this.count--;
    this.shrinkIfSparse();
    return v;
  }

  /** Element at a 0-based index (negative counts from the tail), or undefined. */
  at(index: number): string | undefined {
    if (index < 0) index += this.count;
    if (index < 0 || index >= this.count) return undefined;
    return this.items[(this.head + index) & (this.items.length - 1)];
  }

  /** Replaces the element at a valid 0-based index. */
  setAt(index: number, v: string): void {
    this.items[(this.head + index) & (this.items.length - 1)] = v;
  }

  /** Elements [start, end] inclusive of already-clamped, valid indexes. */
  slice(start: number, end: number): string[] {
    const out: string[] = [];
    const mask = this.items.length - 1;
    for (let i = start; i <= end; i++) out.push(this.items[(this.head + i) & mask] as string);
    return out;
  }

  /** Inserts before position `index` (0..length). */
  insertAt(index: number, v: string): void {
    if (index === 0) return this.pushHead(v);
    if (index === this.count) return this.pushTail(v);
    const all = this.toArray();
    all.splice(index, 0, v);
    this.replaceAll(all);
  }

  /** Removes the element at a valid index. */
  removeAt(index: number): void {
    if (index === 0) {
      this.popHead();
      return;
    }
    if (index === this.count - 1) {
      this.popTail();
      return;
    }
    const all = this.toArray();
    all.splice(index, 1);
    this.replaceAll(all);
  }

  /** Keeps only [start, end] (clamped, valid, start <= end). */
  keepRange(start: number, end: number): void {
    this.replaceAll(this.slice(start, end));
  }

  replaceAll(values: readonly string[]): void {
    let cap = MIN_CAPACITY;
    while (cap < values.length) cap *= 2;
    this.items = new Array<string | undefined>(cap);
    for (let i = 0; i < values.length; i++) this.items[i] = values[i];
    this.head = 0;
    this.count = values.length;
  }

  toArray(): string[] {
    return this.count === 0 ? [] : this.slice(0, this.count - 1);
  }

  *values(): IterableIterator<string> {
    const mask = this.items.length - 1;
    for (let i = 0; i < this.count; i++) yield this.items[(this.head + i) & mask] as string;
  }
}
