// The list type: a growable ring buffer of latin1 strings, O(1) push and pop at
// both ends and O(1) access by index from either end (Redis's quicklist gives
// O(n/node) index; callers rely only on the ends being fast). OBJECT ENCODING is
// always "quicklist" in Redis 7.0.

import type { CollectionValue } from '../database.js';

const MIN_CAPACITY = 4;

/** Where writeRange sends elements: a client's reply writer. */
export interface BulkSink {
  bulk(s: string): void;
}

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

  /** Inserts before position `index` (0..length), shifting the shorter side in place. */
  insertAt(index: number, v: string): void {
    if (index === 0) return this.pushHead(v);
    if (index === this.count) return this.pushTail(v);
    if (this.count === this.items.length) this.grow();
    const items = this.items;
    const mask = items.length - 1;
    if (index < this.count >> 1) {
      const head = (this.head - 1) & mask;
      for (let i = 0; i < index; i++) items[(head + i) & mask] = items[(head + i + 1) & mask];
      this.head = head;
    } else {
      const head = this.head;
      for (let i = this.count; i > index; i--) items[(head + i) & mask] = items[(head + i - 1) & mask];
    }
    items[(this.head + index) & mask] = v;
    this.count++;
  }

  /** Removes the element at a valid index, shifting the shorter side in place. */
  removeAt(index: number): void {
    if (index === 0) {
      this.popHead();
      return;
    }
    if (index === this.count - 1) {
      this.popTail();
      return;
    }
    const items = this.items;
    const mask = items.length - 1;
    const head = this.head;
    if (index < this.count >> 1) {
      for (let i = index; i > 0; i--) items[(head + i) & mask] = items[(head + i - 1) & mask];
      items[head] = undefined;
      this.head = (head + 1) & mask;
    } else {
      const last = this.count - 1;
      for (let i = index; i < last; i++) items[(head + i) & mask] = items[(head + i + 1) & mask];
      items[(head + last) & mask] = undefined;
    }
    this.count--;
    this.shrinkIfSparse();
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

  /**
   * Writes elements [start, end] (valid, clamped indexes) as bulk replies straight
   * from the buffer; tail to head when `reverse`. The caller writes the array header.
   */
  writeRange(out: BulkSink, start: number, end: number, reverse: boolean): void {
    const items = this.items;
    const mask = items.length - 1;
    const head = this.head;
    if (reverse) {
      for (let i = end; i >= start; i--) out.bulk(items[(head + i) & mask] as string);
    } else {
      for (let i = start; i <= end; i++) out.bulk(items[(head + i) & mask] as string);
    }
  }

  /** Removes the first n elements (n may exceed the length). */
  dropHead(n: number): void {
    if (n <= 0) return;
    if (n >= this.count) return this.clear();
    const items = this.items;
    const mask = items.length - 1;
    for (let i = 0; i < n; i++) items[(this.head + i) & mask] = undefined;
    this.head = (this.head + n) & mask;
    this.count -= n;
    this.fit();
  }

  /** Removes the last n elements (n may exceed the length). */
  dropTail(n: number): void {
    if (n <= 0) return;
    if (n >= this.count) return this.clear();
    const items = this.items;
    const mask = items.length - 1;
    for (let i = this.count - n; i < this.count; i++) items[(this.head + i) & mask] = undefined;
    this.count -= n;
    this.fit();
  }

  /** Index of the first element equal to v from the head, or -1. */
  indexOf(v: string): number {
    const items = this.items;
    const mask = items.length - 1;
    for (let i = 0; i < this.count; i++) if (items[(this.head + i) & mask] === v) return i;
    return -1;
  }

  /**
   * Removes elements equal to v, at most `limit` of them (0 = all), scanning from
   * the head or from the tail; one compaction pass. Returns how many were removed.
   */
  removeMatching(v: string, limit: number, fromTail: boolean): number {
    const items = this.items;
    const mask = items.length - 1;
    const head = this.head;
    const n = this.count;
    let removed = 0;
    if (!fromTail) {
      let w = 0;
      for (let r = 0; r < n; r++) {
        const x = items[(head + r) & mask];
        if (x === v && (limit === 0 || removed < limit)) {
          removed++;
          continue;
        }
        if (w !== r) items[(head + w) & mask] = x;
        w++;
      }
      for (let i = w; i < n; i++) items[(head + i) & mask] = undefined;
    } else {
      let w = n - 1;
      for (let r = n - 1; r >= 0; r--) {
        const x = items[(head + r) & mask];
        if (x === v && (limit === 0 || removed < limit)) {
          removed++;
          continue;
        }
        if (w !== r) items[(head + w) & mask] = x;
        w--;
      }
      for (let i = 0; i <= w; i++) items[(head + i) & mask] = undefined;
      this.head = (head + removed) & mask;
    }
    this.count -= removed;
    if (removed > 0) this.fit();
    return removed;
  }

  private clear(): void {
    this.items = new Array<string | undefined>(MIN_CAPACITY);
    this.head = 0;
    this.count = 0;
  }

  /** After a bulk removal: shrinks a mostly empty buffer to twice the length. */
  private fit(): void {
    const cap = this.items.length;
    if (cap <= 64 || this.count >= cap / 4) return;
    let next = MIN_CAPACITY;
    while (next < this.count * 2) next *= 2;
    const out = new Array<string | undefined>(next);
    for (let i = 0; i < this.count; i++) out[i] = this.items[(this.head + i) & (cap - 1)];
    this.items = out;
    this.head = 0;
  }

  *values(): IterableIterator<string> {
    const mask = this.items.length - 1;
    for (let i = 0; i < this.count; i++) yield this.items[(this.head + i) & mask] as string;
  }
}
