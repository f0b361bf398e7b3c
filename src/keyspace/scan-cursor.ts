// Cursors for SCAN (and later HSCAN/SSCAN/ZSCAN): the role of dictScan's reverse
// binary cursor in db.c. A JS Map or Set iterates in insertion order and a live
// iterator survives insertions and deletions, visiting every element that stays
// present; so a cursor here names a live iterator kept in a bounded table.
//
// Guarantee: every element present for a whole iteration is returned at least once.
// Elements added or removed meanwhile may or may not be; an element deleted and
// re-added (it moves to the end) may be returned twice.
//
// Each call hands out a fresh cursor id and forgets the one it was given, so a
// replayed or forged cursor can never advance someone else's iteration. A cursor the
// table does not know (never issued, evicted as least recently used, used twice, or
// issued for another collection) restarts the iteration from the beginning: that
// keeps the guarantee, at the price of duplicates. Redis never rejects a numeric
// cursor either, it only loses the guarantee for invented ones.

/** What a scan walks: a Map's keys or a Set's members. */
export type ScanSource<K> = Map<K, unknown> | Set<K>;

interface Live {
  /** The collection iterated: a cursor is only valid for the one it was issued on. */
  source: object;
  iter: Iterator<unknown>;
  /** Read ahead to learn whether the iteration ended; examined first next time. */
  pending: unknown;
  hasPending: boolean;
}

/** Cursor ids stay exact in a double and clear of 0. */
const ID_SPACE = 2 ** 52;

export class ScanCursorTable {
  /** Insertion order is recency: the first entry is the least recently used. */
  private readonly live = new Map<number, Live>();

  constructor(readonly capacity = 4096) {}

  get size(): number {
    return this.live.size;
  }

  /**
   * Examines up to `count` elements of `source`, continuing the iteration `cursor`
   * names (0 or an unknown cursor starts a new one), and appends them to `out`.
   * Returns the cursor to reply with: 0 once the iteration is complete.
   */
  step<K>(cursor: number, source: ScanSource<K>, count: number, out: K[]): number {
    let entry: Live | undefined;
    if (cursor !== 0) {
      entry = this.live.get(cursor);
      if (entry !== undefined) {
        this.live.delete(cursor);
        if (entry.source !== source) entry = undefined;
      }
    }
    if (entry === undefined) {
      entry = { source, iter: source.keys(), pending: undefined, hasPending: false };
    }
    let examined = 0;
    if (entry.hasPending) {
      const k = entry.pending as K;
      entry.pending = undefined;
      entry.hasPending = false;
      // It may have been deleted since it was read ahead.
      if (source.has(k)) {
        out.push(k);
        examined++;
      }
    }
    const iter = entry.iter as Iterator<K>;
    while (examined < count) {
      const r = iter.next();
      if (r.done === true) return 0;
      out.push(r.value);
      examined++;
    }
    // Read one ahead so the call that examines the last element already replies 0.
    const r = iter.next();
    if (r.done === true) return 0;
    entry.pending = r.value;
    entry.hasPending = true;
    return this.remember(entry);
  }

  private remember(entry: Live): number {
    let id: number;
    do id = Math.floor(Math.random() * (ID_SPACE - 1)) + 1;
    while (this.live.has(id));
    this.live.set(id, entry);
    if (this.live.size > this.capacity) {
      const oldest = this.live.keys().next();
      if (oldest.done !== true) this.live.delete(oldest.value);
    }
    return id;
  }

  /** Drops every live cursor (tests; or to release memory held by old iterations). */
  clear(): void {
    this.live.clear();
  }
}

/**
 * parseScanCursorOrReply's strtoul: optional sign ('-' wraps modulo 2^64), decimal
 * digits, nothing else, up to a NUL byte; empty text is cursor 0. Returns null for
 * invalid text, and -1 for a valid cursor that cannot be one we issued.
 */
export function parseScanCursor(s: string): number | null {
  // strtoul reads a C string: it ends at the first NUL byte.
  const nul = s.indexOf('\0');
  if (nul !== -1) s = s.slice(0, nul);
  const n = s.length;
  if (n === 0) return 0;
  let i = 0;
  const c0 = s.charCodeAt(0);
  let neg = false;
  if (c0 === 43 /* + */ || c0 === 45 /* - */) {
    neg = c0 === 45;
    i = 1;
  }
  if (i === n) return null;
  let v = 0;
  for (let j = i; j < n; j++) {
    const d = s.charCodeAt(j) - 48;
    if (d < 0 || d > 9) return null;
    v = v * 10 + d;
  }
  if (v > Number.MAX_SAFE_INTEGER) {
    // Exact check against ULONG_MAX only matters for the error; any such cursor is unknown.
    const big = BigInt(s.slice(i));
    if (big > 18446744073709551615n) return null;
    return neg && big === 0n ? 0 : -1;
  }
  if (v === 0) return 0;
  // A negated cursor wraps to 2^64 - v: never one of ours.
  return neg ? -1 : v;
}
