// lazyfree.c's accounting: which deletions Redis hands to its background thread.
// Node frees nothing explicitly (V8 collects), so what remains of lazy freeing is
// Redis's statistic: lazyfreed_objects counts the values a lazy deletion (UNLINK,
// FLUSHALL ASYNC, lazy eviction ...) would have freed in the background.

import type { Value } from './database.js';
import { objectEncoding } from './encoding.js';
import type { Config } from '../config/config.js';

/** Values whose free effort is above this go to the background (LAZYFREE_THRESHOLD). */
export const LAZYFREE_THRESHOLD = 64;
/** Elements per quicklist node, for a list's allocation count. */
const LIST_ELEMENTS_PER_NODE = 128;

/** lazyfreeGetFreeEffort: how many allocations freeing the value takes. */
export function freeEffort(v: Value, config: Config): number {
  if (typeof v === 'string') return 1;
  const enc = objectEncoding(v, config);
  switch (v.type) {
    case 'list':
      return Math.ceil((v as unknown as { length: number }).length / LIST_ELEMENTS_PER_NODE);
    case 'set':
    case 'hash':
    case 'zset':
      return enc === 'hashtable' || enc === 'skiplist' ? (v as unknown as { size: number }).size : 1;
    case 'stream': {
      const s = v as unknown as { nodes: unknown[]; groups: Map<string, { pel: { size: number } }> };
      let effort = s.nodes.length;
      // The first group's PEL stands for every group's, as Redis estimates it.
      const first = s.groups.values().next();
      if (first.done !== true) effort += s.groups.size * (1 + first.value.pel.size);
      return effort;
    }
    default:
      return 1;
  }
}

/** Whether deleting the value lazily hands it to the background (freeObjAsync). */
export function freedInBackground(v: Value, config: Config): boolean {
  return freeEffort(v, config) > LAZYFREE_THRESHOLD;
}
