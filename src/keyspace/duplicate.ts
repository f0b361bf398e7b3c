// COPY's value duplication (dupStringObject, listTypeDup, setTypeDup, zsetDup ...):
// an independent copy of any value.

import type { CollectionValue, Value } from './database.js';

/** A value class that can copy itself; preferred over the structural copy. */
export interface DuplicableValue {
  dup(): CollectionValue;
}

/**
 * An independent copy of a value (dupStringObject, listTypeDup ...). Strings are
 * immutable. A collection uses its dup() when it has one; otherwise its object graph
 * (class instances, Maps, Sets, arrays) is copied keeping prototypes, shared inner
 * references and cycles, which suits the plain-data value classes.
 */
export function duplicateValue(v: Value): Value {
  if (typeof v === 'string') return v;
  const dup = (v as Partial<DuplicableValue>).dup;
  if (typeof dup === 'function') return dup.call(v);
  return deepCopy(v, new Map()) as CollectionValue;
}

function deepCopy(x: unknown, seen: Map<object, unknown>): unknown {
  if (typeof x !== 'object' || x === null) return x;
  const done = seen.get(x);
  if (done !== undefined) return done;
  if (x instanceof Map) {
    const m = new Map();
    seen.set(x, m);
    for (const [k, val] of x) m.set(deepCopy(k, seen), deepCopy(val, seen));
    return m;
  }
  if (x instanceof Set) {
    const s = new Set();
    seen.set(x, s);
    for (const val of x) s.add(deepCopy(val, seen));
    return s;
  }
  if (Array.isArray(x)) {
    const a = new Array<unknown>(x.length);
    seen.set(x, a);
    for (let i = 0; i < x.length; i++) if (i in x) a[i] = deepCopy(x[i], seen);
    return a;
  }
  if (ArrayBuffer.isView(x)) {
    const copy = (x as unknown as { slice(): unknown }).slice();
    seen.set(x, copy);
    return copy;
  }
  const o = Object.create(Object.getPrototypeOf(x) as object | null) as Record<string, unknown>;
  seen.set(x, o);
  for (const k of Object.keys(x)) o[k] = deepCopy((x as Record<string, unknown>)[k], seen);
  return o;
}
