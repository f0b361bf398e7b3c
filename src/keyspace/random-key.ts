// Picking keys at random from a Map, which has no random access (dictGetRandomKey's
// role for RANDOMKEY and eviction's sampling).

/** Per map, the iterator picks continue from. */
const walkers = new WeakMap<Map<string, unknown>, Iterator<string>>();
/** The most steps one pick advances its walker. */
const MAX_SKIP = 64;

/**
 * A key picked cheaply: each call advances a per-map iterator by a random 1..64
 * steps, wrapping at the end. The distribution is not uniform: consecutive picks
 * are near each other in insertion order. The map must not be empty.
 */
export function pickKey(map: Map<string, unknown>): string {
  let it = walkers.get(map);
  let skip = Math.floor(Math.random() * Math.min(map.size, MAX_SKIP));
  for (;;) {
    if (it === undefined) {
      it = map.keys();
      walkers.set(map, it);
    }
    const r = it.next();
    if (r.done === true) {
      it = undefined;
      continue;
    }
    if (skip-- === 0) return r.value;
  }
}
