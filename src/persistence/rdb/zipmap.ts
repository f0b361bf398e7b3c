// Zipmap decode/encode (zipmap.c): the Redis 2.x small-hash encoding, RDB type 9.
// Redis 7.0 converts it to a listpack hash on load; the encoder exists for tests.
//
// Layout: one count byte (254 = unknown), then per pair: field length (1 byte if
// < 254, else 254 + uint32 LE), field, value length (same), one "free" byte, the
// value and that many unused bytes; 0xFF ends the map.
//
// API: `decodeZipmap(buf, start, end)` → [field, value, ...] latin1 strings, or
// null when zipmapValidateIntegrity(deep=1) would fail (including an empty map);
// `encodeZipmap(pairs)`.

const ZIPMAP_BIGLEN = 254;
const ZIPMAP_END = 255;

export function decodeZipmap(buf: Buffer, start: number, end: number): string[] | null {
  const size = end - start;
  if (size < 2) return null;
  if (buf[end - 1] !== ZIPMAP_END) return null;
  const last = end - 1;
  const out: string[] = [];
  let p = start + 1;
  let count = 0;
  while (buf[p] !== ZIPMAP_END) {
    // field
    let s = buf[p] < ZIPMAP_BIGLEN ? 1 : 5;
    if (p + s > last) return null;
    let l = s === 1 ? buf[p] : buf.readUInt32LE(p + 1);
    p += s;
    const fStart = p;
    p += l;
    if (p > last) return null;
    const field = buf.latin1Slice(fStart, p);
    // value
    s = buf[p] < ZIPMAP_BIGLEN ? 1 : 5;
    if (p + s > last) return null;
    l = s === 1 ? buf[p] : buf.readUInt32LE(p + 1);
    p += s;
    const free = buf[p++];
    const vStart = p;
    p += l + free;
    if (p > last) return null;
    out.push(field, buf.latin1Slice(vStart, vStart + l));
    count++;
  }
  if (count === 0) return null;
  if (buf[start] !== ZIPMAP_BIGLEN && buf[start] !== count) return null;
  return out;
}

export function encodeZipmap(pairs: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from([pairs.length / 2 < ZIPMAP_BIGLEN ? pairs.length / 2 : ZIPMAP_BIGLEN])];
  const len = (n: number): Buffer => {
    if (n < ZIPMAP_BIGLEN) return Buffer.from([n]);
    const b = Buffer.alloc(5);
    b[0] = ZIPMAP_BIGLEN;
    b.writeUInt32LE(n, 1);
    return b;
  };
  for (let i = 0; i < pairs.length; i += 2) {
    const f = Buffer.from(pairs[i], 'latin1');
    const v = Buffer.from(pairs[i + 1], 'latin1');
    parts.push(len(f.length), f, len(v.length), Buffer.from([0]), v);
  }
  parts.push(Buffer.from([ZIPMAP_END]));
  return Buffer.concat(parts);
}
