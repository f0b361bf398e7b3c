// The hash type: field → value in insertion order. OBJECT ENCODING follows Redis
// 7.0: "listpack" while every field and value fits hash-max-listpack-value and the
// count fits hash-max-listpack-entries, then "hashtable" for good (as a converted
// Redis hash never goes back). Insertion order matches a listpack's iteration order.

import type { CollectionValue } from '../database.js';

export interface HashLimits {
  maxEntries: number;
  maxValue: number;
}

export class HashValue implements CollectionValue {
  readonly type = 'hash' as const;
  readonly fields = new Map<string, string>();
  private listpack = true;
  /** Field names as an array for O(1) random picks; rebuilt after the field set changes. */
  private keyCache: string[] | null = null;

  get size(): number {
    return this.fields.size;
  }

  encoding(): string {
    return this.listpack ? 'listpack' : 'hashtable';
  }

  get isListpack(): boolean {
    return this.listpack;
  }

  /** Sets a field; returns true when it was new. Applies the conversion rules. */
  set(field: string, value: string, limits: HashLimits): boolean {
    if (this.listpack && (field.length > limits.maxValue || value.length > limits.maxValue)) this.listpack = false;
    const isNew = !this.fields.has(field);
    this.fields.set(field, value);
    if (isNew) this.keyCache = null;
    if (this.listpack && this.fields.size > limits.maxEntries) this.listpack = false;
    return isNew;
  }

  get(field: string): string | undefined {
    return this.fields.get(field);
  }

  delete(field: string): boolean {
    if (!this.fields.delete(field)) return false;
    this.keyCache = null;
    return true;
  }

  /** Field names in iteration order, cached until a field is added or removed. */
  fieldArray(): readonly string[] {
    let keys = this.keyCache;
    // The size check also catches a caller that edited `fields` directly.
    if (keys === null || keys.length !== this.fields.size) {
      keys = Array.from(this.fields.keys());
      this.keyCache = keys;
    }
    return keys;
  }

  /** A uniformly random field (the hash must not be empty). */
  randomField(): string {
    const keys = this.fieldArray();
    return keys[Math.floor(Math.random() * keys.length)];
  }

  /** An independent copy with the same encoding and order (COPY, hashTypeDup). */
  dup(): HashValue {
    const h = new HashValue();
    for (const [f, v] of this.fields) h.fields.set(f, v);
    h.listpack = this.listpack;
    return h;
  }

  /** Forces the hashtable encoding (RDB load of a hashtable-encoded hash, DEBUG). */
  convertToHashtable(): void {
    this.listpack = false;
  }
}
