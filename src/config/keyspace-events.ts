// notify-keyspace-events classes (notify.c): the flag bits, and the text forms
// CONFIG SET accepts and CONFIG GET prints.

export const Notify = {
  keyspace: 1 << 0,
  keyevent: 1 << 1,
  generic: 1 << 2,
  string: 1 << 3,
  list: 1 << 4,
  set: 1 << 5,
  hash: 1 << 6,
  zset: 1 << 7,
  expired: 1 << 8,
  evicted: 1 << 9,
  stream: 1 << 10,
  keyMiss: 1 << 11,
  loaded: 1 << 12,
  module: 1 << 13,
  new: 1 << 14,
} as const;

/** 'A': every class but key-miss and new. */
const ALL =
  Notify.generic | Notify.string | Notify.list | Notify.set | Notify.hash | Notify.zset | Notify.expired | Notify.evicted | Notify.stream | Notify.module;

const CLASS_CHARS: Record<string, number> = {
  A: ALL,
  g: Notify.generic,
  $: Notify.string,
  l: Notify.list,
  s: Notify.set,
  h: Notify.hash,
  z: Notify.zset,
  x: Notify.expired,
  e: Notify.evicted,
  K: Notify.keyspace,
  E: Notify.keyevent,
  t: Notify.stream,
  m: Notify.keyMiss,
  d: Notify.module,
  n: Notify.new,
};

/** keyspaceEventsStringToFlags: the flags, or -1 for an unknown class character. */
export function parseKeyspaceEvents(s: string): number {
  let flags = 0;
  for (const ch of s) {
    const f = CLASS_CHARS[ch];
    if (f === undefined) return -1;
    flags |= f;
  }
  return flags;
}

/** keyspaceEventsFlagsToString: the canonical text CONFIG GET shows. */
export function formatKeyspaceEvents(flags: number): string {
  let s = '';
  if ((flags & ALL) === ALL) s += 'A';
  else {
    const order: [string, number][] = [
      ['g', Notify.generic],
      ['$', Notify.string],
      ['l', Notify.list],
      ['s', Notify.set],
      ['h', Notify.hash],
      ['z', Notify.zset],
      ['x', Notify.expired],
      ['e', Notify.evicted],
      ['t', Notify.stream],
      ['d', Notify.module],
      ['n', Notify.new],
    ];
    for (const [ch, f] of order) if ((flags & f) !== 0) s += ch;
  }
  if ((flags & Notify.keyspace) !== 0) s += 'K';
  if ((flags & Notify.keyevent) !== 0) s += 'E';
  if ((flags & Notify.keyMiss) !== 0) s += 'm';
  return s;
}
