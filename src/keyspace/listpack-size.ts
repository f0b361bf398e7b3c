// Listpack entry sizes (listpack.c's encoding rules), without the codec: the stream
// type lays its nodes out by the byte sizes Redis's listpacks would have, and the RDB
// listpack codec encodes with the same rules.

/** lpStringToInt64: strict canonical int64 text (no '+', no leading zeros, no "-0"). */
export function lpStringToInt(s: string): number | bigint | null {
  const n = s.length;
  if (n === 0 || n >= 21) return null;
  let i = 0;
  const c0 = s.charCodeAt(0);
  if (c0 === 48) return n === 1 ? 0 : null;
  if (c0 === 45) {
    if (n === 1) return null;
    i = 1;
  }
  const c1 = s.charCodeAt(i);
  if (c1 < 49 || c1 > 57) return null;
  if (n - i <= 15) {
    let v = 0;
    for (; i < n; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return null;
      v = v * 10 + d;
    }
    return c0 === 45 ? -v : v;
  }
  for (let j = i; j < n; j++) {
    const d = s.charCodeAt(j) - 48;
    if (d < 0 || d > 9) return null;
  }
  const b = BigInt(s);
  if (b > 9223372036854775807n || b < -9223372036854775808n) return null;
  return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
}

/** Bytes of the backlen for an entry of size l (lpEncodeBacklen's thresholds). */
export function backlenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

function intEncodedSize(v: number | bigint): number {
  if (typeof v === 'bigint') return 9;
  if (v >= 0 && v <= 127) return 1;
  if (v >= -4096 && v <= 4095) return 2;
  if (v >= -32768 && v <= 32767) return 3;
  if (v >= -8388608 && v <= 8388607) return 4;
  if (v >= -2147483648 && v <= 2147483647) return 5;
  return 9;
}

export function strEncodedSize(len: number): number {
  return len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
}

/** Total encoded size (with backlen) of `s` appended by lpAppend. */
export function lpEntrySize(s: string): number {
  const iv = s.length < 21 ? lpStringToInt(s) : null;
  const e = iv !== null ? intEncodedSize(iv) : strEncodedSize(s.length);
  return e + backlenSize(e);
}
