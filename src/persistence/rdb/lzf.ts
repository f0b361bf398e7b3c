// LZF compression in the stream format of liblzf as bundled with Redis (lzf_c.c,
// lzf_d.c): RDB strings with the RDB_ENC_LZF encoding and compressed quicklist
// nodes. The compressor is our own greedy matcher; any valid LZF stream is
// accepted by Redis's decompressor, so byte-identical output is not required.
//
// Format: a control byte c < 32 starts a literal run of c+1 bytes; otherwise the
// top three bits hold a back-reference length L (7 means "add the next byte"),
// the low five bits plus the next byte an offset o: copy L+2 bytes starting o+1
// bytes behind the output position.
//
// API: `lzfCompress(input, maxOut)` → Buffer | null (null when the result would
// not fit in maxOut bytes, as lzf_compress returning 0); `lzfDecompress(input,
// outLen)` → Buffer, or null when the stream is invalid or does not produce
// exactly outLen bytes. Neither allocates more than its output bound.

const HLOG = 14;
const HSIZE = 1 << HLOG;
const MAX_LIT = 32;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

// Shared hash table of "last position + 1" per 3-byte hash. Never cleared:
// a stale slot is only a candidate, every match is verified byte by byte
// against the current input before it is used.
const htab = new Int32Array(HSIZE);

function hash3(a: number, b: number, c: number): number {
  const v = (a << 16) | (b << 8) | c;
  return ((v * 2654435761) >>> (32 - HLOG)) & (HSIZE - 1);
}

export function lzfCompress(input: Uint8Array, maxOut: number): Buffer | null {
  const n = input.length;
  if (n === 0 || maxOut <= 0) return null;
  const out = Buffer.allocUnsafe(maxOut);
  let op = 1; // out[0] is the first literal run's control byte
  let litStart = 0; // position of the current run's control byte
  let lit = 0;
  let ip = 0;
  while (ip < n - 2) {
    const h = hash3(input[ip], input[ip + 1], input[ip + 2]);
    const ref = htab[h] - 1;
    htab[h] = ip + 1;
    const off = ip - ref - 1;
    if (
      ref >= 0 &&
      off >= 0 &&
      off < MAX_OFF &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1] &&
      input[ref + 2] === input[ip + 2]
    ) {
      let maxlen = n - ip;
      if (maxlen > MAX_REF) maxlen = MAX_REF;
      let len = 3;
      while (len < maxlen && input[ref + len] === input[ip + len]) len++;
      // Close the literal run (or drop its empty control byte), then emit the reference.
      if (lit > 0) out[litStart] = lit - 1;
      else op--;
      const need = op + 3 + 1;
      if (need > maxOut) return null;
      const l = len - 2;
      if (l < 7) {
        out[op++] = (off >> 8) + (l << 5);
      } else {
        out[op++] = (off >> 8) + (7 << 5);
        out[op++] = l - 7;
      }
      out[op++] = off & 0xff;
      litStart = op++;
      lit = 0;
      // Index the positions inside the match so later data can refer to them.
      const stop = ip + len;
      ip++;
      while (ip < stop && ip < n - 2) {
        htab[hash3(input[ip], input[ip + 1], input[ip + 2])] = ip + 1;
        ip++;
      }
      ip = stop;
    } else {
      if (op >= maxOut) return null;
      out[op++] = input[ip++];
      if (++lit === MAX_LIT) {
        out[litStart] = MAX_LIT - 1;
        litStart = op++;
        lit = 0;
      }
    }
  }
  while (ip < n) {
    if (op >= maxOut) return null;
    out[op++] = input[ip++];
    if (++lit === MAX_LIT) {
      out[litStart] = MAX_LIT - 1;
      litStart = op++;
      lit = 0;
    }
  }
  if (lit > 0) out[litStart] = lit - 1;
  else op--; // the trailing control byte was never used
  if (op > maxOut) return null;
  return out.subarray(0, op);
}

/**
 * Decompresses exactly `outLen` bytes; null on any malformed input (reference
 * before the start, literal or reference running past either end, wrong size).
 */
export function lzfDecompress(input: Uint8Array, outLen: number, start = 0, end = input.length): Buffer | null {
  // Every input byte yields at most 264/3 output bytes (a long back-reference):
  // a claimed size beyond that is a lie, refuse it before allocating.
  if (outLen < 0 || outLen > (end - start) * 88 + 32) return null;
  const out = Buffer.allocUnsafe(outLen);
  let ip = start;
  let op = 0;
  while (ip < end) {
    let ctrl = input[ip++];
    if (ctrl < 32) {
      const len = ctrl + 1;
      if (op + len > outLen || ip + len > end) return null;
      for (let k = 0; k < len; k++) out[op + k] = input[ip + k];
      op += len;
      ip += len;
    } else {
      let len = ctrl >> 5;
      if (len === 7) {
        if (ip >= end) return null;
        len += input[ip++];
      }
      if (ip >= end) return null;
      const ref = op - ((ctrl & 0x1f) << 8) - 1 - input[ip++];
      len += 2;
      if (op + len > outLen || ref < 0) return null;
      // Byte by byte: overlapping copies (ref + len > op) repeat the pattern.
      for (let k = 0; k < len; k++) out[op + k] = out[ref + k];
      op += len;
      ctrl = 0;
    }
  }
  return op === outLen ? out : null;
}
