// Differential: every stream command answers byte for byte like redis-server 7.0,
// in RESP2 and RESP3 (XADD, XRANGE, XREVRANGE, XLEN, XDEL, XTRIM, XREAD, XREADGROUP,
// XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO, XSETID), including the node
// layout Redis's radix tree of listpacks has (XINFO's radix-tree-keys/-nodes, `~`
// trimming by whole nodes) on streams of 10^4+ entries, DEBUG DIGEST, and DUMP
// payloads exchanged both ways. Times (idle, seen-time, delivery time) cannot be
// equal: lines marked "~" compare with timestamps masked, "~~" with every integer
// masked (structure only).
import { expect, it } from 'vitest';
import { describeDifferential, expectSame, lines, runScript, type DiffPair, type Script } from '../helpers/diff.js';
import { RawClient } from '../helpers/raw-client.js';

/** Like lines(), but "~" / "~~" prefixes mark replies compared with timestamps / all integers masked. */
function maskedLines(text: string): { script: Script; masks: (0 | 1 | 2)[] } {
  const masks: (0 | 1 | 2)[] = [];
  const kept: string[] = [];
  for (const raw of text.split('\n')) {
    const l = raw.trim();
    if (l === '' || l.startsWith('#')) continue;
    if (l.startsWith('~~')) {
      masks.push(2);
      kept.push(l.slice(2));
    } else if (l.startsWith('~')) {
      masks.push(1);
      kept.push(l.slice(1));
    } else {
      masks.push(0);
      kept.push(l);
    }
  }
  return { script: lines(kept.join('\n')), masks };
}

function mask(reply: string, m: 0 | 1 | 2): string {
  if (m === 1) return reply.replace(/:\d{12,}\r\n/g, ':<time>\r\n');
  if (m === 2) return reply.replace(/:\d+\r\n/g, ':<int>\r\n');
  return reply;
}

/** Both servers, RESP2 and RESP3, replies compared after masking. */
async function sameMasked(pair: DiffPair, text: string): Promise<void> {
  const { script, masks } = maskedLines(text);
  for (const resp3 of [false, true]) {
    const ours = await runScript(pair.ours.port, script, { resp3 });
    const real = await runScript(pair.real.port, script, { resp3 });
    const label = (i: number, r: string) => `${script[i].map((a) => a.toString()).join(' ').slice(0, 160)} => ${mask(r, masks[i])}`;
    expect(ours.map((r, i) => label(i, r))).toEqual(real.map((r, i) => label(i, r)));
  }
}

/** Sends a whole script pipelined on one connection (after FLUSHALL) and returns every reply. */
async function pipelined(port: number, script: Script, resp3 = false): Promise<string[]> {
  const c = await RawClient.connect(port);
  try {
    await c.call('FLUSHALL');
    if (resp3) await c.call('HELLO', '3');
    const out: string[] = [];
    const BATCH = 500;
    for (let i = 0; i < script.length; i += BATCH) {
      const part = script.slice(i, i + BATCH);
      for (const argv of part) c.send(...argv);
      for (let k = 0; k < part.length; k++) out.push(await c.reply(20000));
    }
    return out;
  } finally {
    c.close();
  }
}

async function samePipelined(pair: DiffPair, script: Script, resp3 = false): Promise<void> {
  const ours = await pipelined(pair.ours.port, script, resp3);
  const real = await pipelined(pair.real.port, script, resp3);
  const label = (i: number, r: string) => `#${i} ${script[i].map((a) => a.toString()).join(' ').slice(0, 120)} => ${r}`;
  const diffs: string[] = [];
  for (let i = 0; i < script.length; i++) {
    if (ours[i] !== real[i]) diffs.push(`${label(i, ours[i])}\n  real: ${real[i]}`);
    if (diffs.length >= 5) break;
  }
  expect(diffs).toEqual([]);
  expect(ours.length).toBe(real.length);
}

/** Deterministic PRNG (mulberry32) so generated scripts are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describeDifferential('stream commands vs redis-server', { args: ['--enable-debug-command', 'yes'] }, (pair) => {
  it('XADD: explicit, <ms>-* and edge IDs, NOMKSTREAM, arity and ID errors', async () => {
    await expectSame(
      pair,
      lines(`
        XADD s 1-1 a 1 b 2
        XADD s 1-2 a 3 b 4
        XADD s 1-* a 5
        XADD s 2 c 7
        XADD s 1-5 a 1
        XADD s 2-0 a 1
        XADD s 0-0 a 1
        XADD s 0 a 1
        XADD nokey 0-0 a 1
        EXISTS nokey
        XADD s2 0-* a 1
        XADD s2 0-* a 1
        XADD s2 0-1 a 1
        XADD s s a 1
        XADD s 3-1 a
        XADD s 3-1 a 1 b
        XADD s 3-1
        XADD s MAXLEN
        XADD s NOMKSTREAM
        XADD s NOMKSTREAM 3-1
        XADD nokey NOMKSTREAM 1-1 a 1
        XADD nokey NOMKSTREAM * a 1
        EXISTS nokey
        XADD s NOMKSTREAM 3-1 a 1
        XADD s 4-1 NOMKSTREAM a 1
        XRANGE s - +
        XADD e 1-18446744073709551615 a 1
        XADD e 1-* a 1
        XADD e 2-* a 1
        XADD e 9007199254740993-9007199254740993 a 1
        XADD e 9007199254740993-* a 1
        XADD e 18446744073709551615-18446744073709551614 a 1
        XADD e 18446744073709551615-* a 1
        XADD e * a 1
        XADD e 18446744073709551615-* a 1
        XADD e 18446744073709551615-18446744073709551615 a 1
        XRANGE e - +
        XLEN e
        XADD f 18446744073709551615-18446744073709551615 a 1
        XADD f 18446744073709551616-0 a 1
        XADD f 1-18446744073709551616 a 1
        XINFO STREAM f
      `),
    );
  });

  it('XADD "*" IDs come from the clock and stay increasing past a future top item', async () => {
    // Exact IDs differ between servers: check the shape with ioredis on each.
    for (const srv of [pair.ours, pair.real]) {
      const r = srv.client();
      await r.flushall();
      const before = Date.now();
      const id1 = (await r.xadd('t', '*', 'a', '1')) as string;
      const [ms1, seq1] = id1.split('-').map(Number);
      expect(ms1).toBeGreaterThanOrEqual(before - 1000);
      expect(ms1).toBeLessThanOrEqual(Date.now() + 1000);
      expect(seq1).toBeGreaterThanOrEqual(0);
      await r.xadd('u', '99999999999999-5', 'a', '1');
      expect(await r.xadd('u', '*', 'a', '1')).toBe('99999999999999-6');
      expect(await r.xadd('u', '99999999999999-*', 'a', '1')).toBe('99999999999999-7');
      r.disconnect();
    }
  });

  it('ID parsing quirks: strtoull fallback, NUL bytes, lengths, signs, "-" and "+"', async () => {
    await expectSame(
      pair,
      lines(`
        XADD q " 7-1" a 1
        XADD q "+8-1" a 1
        XADD q 009-00 a 1
        XADD q "\\t10-\\n5" a 1
        XADD q 11-+3 a 1
        XADD q "-01" a 1
        XADD q "1--01" a 1
        XADD q 12--1 a 1
        XADD q "12-1 " a 1
        XADD q "13-1\\x00junk" a 1
        XADD q 0x10 a 1
        XADD q - a 1
        XADD q + a 1
        XADD q 14-- a 1
        XADD q 14- a 1
        XADD q -14 a 1
        XADD q 000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000015-1 a 1
        XADD q 0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000016-1 a 1
        XRANGE q - +
        XRANGE q -0 +
        XRANGE q 1--18446744073709551615 1--18446744073709551615
        XRANGE q (- +
        XRANGE q - (+
        XRANGE q ( +
        XRANGE q ((1 +
        XRANGE q (7 +
        XRANGE q - (10
        XRANGE q "(" "("
        XDEL q - +
        XDEL q 7
        XRANGE q - +
      `),
    );
  });

  it('XRANGE / XREVRANGE: bounds, exclusive ranges, COUNT forms, errors', async () => {
    await expectSame(
      pair,
      lines(`
        XADD s 1-1 a 1
        XADD s 1-2 b 2
        XADD s 2-0 c 3
        XADD s 2-5 d 4
        XADD s 3-18446744073709551615 e 5
        XADD s 4-0 f 6
        XRANGE s - +
        XREVRANGE s + -
        XRANGE s 1 1
        XRANGE s 2 2
        XRANGE s 3 3
        XREVRANGE s 2 2
        XRANGE s (1-1 +
        XRANGE s - (2-0
        XRANGE s (1-2 (2-5
        XRANGE s (3-18446744073709551615 +
        XRANGE s (3 +
        XRANGE s - (4
        XRANGE s - (4-0
        XREVRANGE s (4-0 (1-1
        XREVRANGE s + (3-18446744073709551615
        XRANGE s (18446744073709551615-18446744073709551615 +
        XRANGE s - (0-0
        XRANGE s - (0
        XREVRANGE s (0 -
        XREVRANGE s + (18446744073709551615-18446744073709551615
        XRANGE s 5 1
        XREVRANGE s 1 5
        XRANGE s - + COUNT 0
        XRANGE s - + COUNT -1
        XRANGE s - + COUNT 2
        XRANGE s - + COUNT 2 COUNT 3
        XREVRANGE s + - COUNT 2
        XREVRANGE s + - COUNT 0
        XRANGE s - + COUNT 9223372036854775807
        XRANGE s - + COUNT 9223372036854775808
        XRANGE s - + COUNT 1.5
        XRANGE nokey - + COUNT 0
        XRANGE nokey - +
        XREVRANGE nokey + -
        XRANGE nokey x +
        XRANGE s - + COUNT
        XRANGE s - + FOO 1
        XRANGE s x +
        XRANGE s - y
        XRANGE s (x +
        XREVRANGE s + - count 1
      `),
    );
  });

  it('XLEN, XDEL tombstones, recorded-first-entry-id and max-deleted-entry-id', async () => {
    await expectSame(
      pair,
      lines(`
        XLEN nokey
        XDEL nokey 1-1
        XDEL nokey abc
        XADD s 1-1 a 1
        XADD s 2-1 a 2
        XADD s 3-1 a 3
        XADD s 4-1 a 4
        XDEL s abc
        XDEL s 1-1 abc
        XLEN s
        XDEL s 2-1 9-9 2-1
        XINFO STREAM s
        XDEL s 1-1
        XINFO STREAM s
        XDEL s 4-1
        XINFO STREAM s
        XDEL s 3-1
        XLEN s
        EXISTS s
        XINFO STREAM s
        XRANGE s - +
        XADD s 5-1 a 5
        XINFO STREAM s
        XADD s 3-1 a 3
      `),
    );
  });

  it('XTRIM and XADD trimming: MAXLEN/MINID with = and ~, LIMIT, option errors', async () => {
    const fill = Array.from({ length: 30 }, (_, i) => `XADD t ${i + 1}-0 f v${i}`).join('\n');
    await expectSame(
      pair,
      lines(`
        ${fill}
        XTRIM t MAXLEN 25
        XLEN t
        XTRIM t MAXLEN = 20
        XTRIM t MAXLEN ~ 5
        XTRIM t MINID 12
        XTRIM t MINID = 13-0
        XTRIM t MINID ~ 20
        XTRIM t MAXLEN ~ 5 LIMIT 2
        XTRIM t MAXLEN 5 LIMIT 2
        XTRIM t MAXLEN ~ 5 LIMIT -1
        XTRIM t MAXLEN ~ 5 LIMIT x
        XTRIM t LIMIT 2
        XTRIM t LIMIT 0 MAXLEN 3
        XTRIM t MAXLEN 1 MINID 2
        XTRIM t MINID 1 MAXLEN 2
        XTRIM t MAXLEN -1
        XTRIM t MAXLEN x
        XTRIM t MAXLEN
        XTRIM t MINID
        XTRIM t MINID - 
        XTRIM t MINID +
        XTRIM t MINID x
        XTRIM t FOO
        XTRIM t NOMKSTREAM MAXLEN 1
        XTRIM t MAXLEN ~
        XTRIM t MAXLEN = ~ 1
        XTRIM nokey MAXLEN 1
        XTRIM nokey FOO 1
        XRANGE t - +
        XTRIM t MAXLEN 0
        XINFO STREAM t
        XADD t MAXLEN 2 50-0 a 1
        XADD t MAXLEN 2 51-0 a 1
        XADD t MAXLEN 2 52-0 a 1
        XADD t MAXLEN = 2 53-0 a 1
        XADD t MINID 53 54-0 a 1
        XADD t MINID = 54 LIMIT 0 55-0 a 1
        XADD t MAXLEN ~ 0 LIMIT 10 56-0 a 1
        XADD t MAXLEN 0 LIMIT 10 57-0 a 1
        XADD t MAXLEN 1 MINID 1 58-0 a 1
        XADD t LIMIT 1 58-0 a 1
        XADD t MAXLEN -1 58-0 a 1
        XADD t MINID x 58-0 a 1
        XADD t MINID + 58-0 a 1
        XADD t MAXLEN 0 58-0 a 1
        XINFO STREAM t
        XADD t MAXLEN 0 NOMKSTREAM 59-0 a 1
        XADD t2 MAXLEN 0 60-0 a 1
        XINFO STREAM t2
      `),
    );
  });

  it('binary-safe field names and values, empty strings, integer-looking fields', async () => {
    await expectSame(
      pair,
      lines(`
        XADD b 1-1 "\\x00\\xff" "bin\\r\\nary" "" ""
        XADD b 1-2 "\\x00\\xff" "x"
        XADD b 1-3 007 -0 12345678901234567890 9223372036854775807 -9223372036854775808 1.5
        XADD b 1-4 " 1" "1 " "\\x80" "\\xc3\\xa9"
        XRANGE b - +
        XREVRANGE b + - COUNT 2
        XINFO STREAM b
        XREAD STREAMS b 0
        DEBUG DIGEST-VALUE b
      `),
    );
  });

  it('XREAD without blocking: $, several keys, COUNT, duplicates, option errors', async () => {
    await expectSame(
      pair,
      lines(`
        XREAD STREAMS s 0
        XREAD STREAMS s $
        XADD s 1-1 a 1
        XADD s 2-1 b 2
        XADD s2 5-5 c 3
        XREAD STREAMS s 0
        XREAD STREAMS s 1-1
        XREAD STREAMS s 2-1
        XREAD STREAMS s $
        XREAD STREAMS s s2 nokey 0 0 0
        XREAD STREAMS nokey s 0 1
        XREAD STREAMS s s 0 1-1
        XREAD STREAMS s s 1-1 0
        XREAD COUNT 1 STREAMS s s2 0 0
        XREAD COUNT 0 STREAMS s 0
        XREAD COUNT -3 STREAMS s 0
        XREAD COUNT 1 COUNT 2 STREAMS s 0
        XREAD STREAMS s 18446744073709551615-18446744073709551615
        XREAD STREAMS s 1
        XREAD STREAMS s "$\\x00x"
        XREAD STREAMS s >
        XREAD STREAMS s -
        XREAD STREAMS s +
        XREAD STREAMS s x
        XREAD STREAMS s
        XREAD STREAMS s s2 0
        XREAD COUNT STREAMS s 0
        XREAD COUNT x STREAMS s 0
        XREAD BLOCK x STREAMS s 0
        XREAD BLOCK -1 STREAMS s 0
        XREAD BLOCK 1.5 STREAMS s 0
        XREAD BLOCK 10 COUNT 1 STREAMS s 0
        XREAD FOO STREAMS s 0
        XREAD GROUP g c STREAMS s 0
        XREAD NOACK STREAMS s 0
        XREAD STREAMS STREAMS 0
        XDEL s 2-1
        XREAD STREAMS s 1-1
        SET str x
        XREAD STREAMS str 0
        XREAD STREAMS s str 0 0
        XREAD STREAMS s str 0 x
        XREAD BLOCK 1 STREAMS str 0
      `),
    );
  });

  it('XGROUP subcommands, options and errors; HELP', async () => {
    await expectSame(
      pair,
      lines(`
        XGROUP HELP
        XGROUP help
        XGROUP HELP x
        XGROUP FOO
        XGROUP FOO a b c
        XGROUP CREATE
        XGROUP CREATE s
        XGROUP CREATE s g
        XGROUP CREATE s g $
        XGROUP CREATE s g $ MKSTREAM
        XGROUP CREATE s g $ MKSTREAM
        XGROUP CREATE s g2 0 ENTRIESREAD 5
        XGROUP CREATE s g3 0 ENTRIESREAD -2
        XGROUP CREATE s g3 0 ENTRIESREAD -1
        XGROUP CREATE s g4 0 ENTRIESREAD x
        XGROUP CREATE s g4 0 ENTRIESREAD
        XGROUP CREATE s g4 0 FOO
        XGROUP CREATE s g4 0 MKSTREAM MKSTREAM MKSTREAM MKSTREAM
        XGROUP CREATE s g4 0 MKSTREAM MKSTREAM MKSTREAM
        XGROUP CREATE s g5 abc
        XGROUP CREATE s g5 -
        XGROUP CREATE s g5 +
        XGROUP CREATE s g5 18446744073709551615-18446744073709551615
        XGROUP CREATE nokey g 0
        XGROUP CREATE nokey2 g x MKSTREAM
        EXISTS nokey2
        XGROUP SETID s g3 0 MKSTREAM
        XGROUP SETID s nog 0
        XGROUP SETID nokey g 0
        XGROUP SETID s g2 - ENTRIESREAD 3
        XGROUP SETID s g2 +
        XGROUP SETID s g2 x
        XGROUP SETID s g2 0 ENTRIESREAD
        XGROUP SETID s g2 0 ENTRIESREAD 1 2
        XGROUP SETID s g2 $ ENTRIESREAD 9223372036854775807
        XGROUP CREATECONSUMER s nog c
        XGROUP CREATECONSUMER s g c
        XGROUP CREATECONSUMER s g c
        XGROUP CREATECONSUMER s g c extra
        XGROUP DELCONSUMER s nog c
        XGROUP DELCONSUMER s g nobody
        XGROUP DELCONSUMER s g c
        XGROUP DESTROY s nog
        XGROUP DESTROY s g2
        XGROUP DESTROY s g2
        XGROUP DESTROY nokey g
        XGROUP DESTROY s
        XINFO GROUPS s
        SET str x
        XGROUP CREATE str g 0
        XGROUP CREATE str g 0 MKSTREAM
        XGROUP DESTROY str g
        XGROUP HELP
      `),
    );
  });

  it('XREADGROUP: new entries, history, NOACK, COUNT, several keys, errors', async () => {
    await expectSame(
      pair,
      lines(`
        XREADGROUP GROUP g c STREAMS s >
        XADD s 1-1 a 1
        XADD s 2-1 b 2
        XADD s 3-1 c 3
        XGROUP CREATE s g 0
        XREADGROUP GROUP nog c STREAMS s >
        XREADGROUP GROUP g c STREAMS nokey >
        XREADGROUP GROUP g c STREAMS s $
        XREADGROUP GROUP g c STREAMS s x
        XREADGROUP GROUP g c STREAMS s
        XREADGROUP STREAMS s >
        XREADGROUP GROUP g STREAMS s >
        XREADGROUP GROUP g c FOO STREAMS s >
        XREADGROUP GROUP g c BLOCK x STREAMS s >
        XREADGROUP GROUP g c COUNT x STREAMS s >
        XREADGROUP GROUP g c1 COUNT 1 STREAMS s >
        XREADGROUP GROUP g c1 STREAMS s 0
        XREADGROUP GROUP g c2 STREAMS s 0
        XREADGROUP GROUP g c1 STREAMS s >
        XREADGROUP GROUP g c1 STREAMS s >
        XREADGROUP GROUP g c1 STREAMS s 0
        XREADGROUP GROUP g c1 COUNT 2 STREAMS s 0
        XREADGROUP GROUP g c1 COUNT 0 STREAMS s 0
        XREADGROUP GROUP g c1 COUNT -1 STREAMS s 1-1
        XREADGROUP GROUP g c1 STREAMS s (1-1
        XREADGROUP GROUP g c1 STREAMS s 18446744073709551615-18446744073709551615
        XREADGROUP GROUP g c1 STREAMS s 18446744073709551615-18446744073709551614
        XDEL s 2-1
        XREADGROUP GROUP g c1 STREAMS s 0
        XREADGROUP GROUP g c1 STREAMS s "1-1\\x00zz"
        XREADGROUP GROUP g c1 BLOCK 10 STREAMS s 0
        XINFO GROUPS s
        XGROUP SETID s g 0
        XREADGROUP GROUP g c2 STREAMS s >
        XPENDING s g
        XGROUP CREATE s gn 0
        XREADGROUP GROUP gn c NOACK STREAMS s >
        XPENDING s gn
        XINFO GROUPS s
        XREADGROUP GROUP gn c NOACK STREAMS s 0
        XADD s2 1-1 x 1
        XGROUP CREATE s2 g $
        XADD s2 2-1 y 2
        XREADGROUP GROUP g c STREAMS s s2 > >
        XADD s 4-1 d 4
        XREADGROUP GROUP g c STREAMS s s > >
        XREADGROUP GROUP g c STREAMS s s 0 >
        XREADGROUP GROUP g c STREAMS s2 s 0 >
        SET str x
        XREADGROUP GROUP g c STREAMS str >
        XREADGROUP GROUP g c STREAMS s str > >
        XREADGROUP GROUP "g\\x00x" c STREAMS "s\\x00y" >
        XREADGROUP GROUP "g\\r\\nx" c STREAMS s >
      `),
    );
  });

  it('XACK and XPENDING (summary, extended, IDLE, consumer filter, errors)', async () => {
    await sameMasked(
      pair,
      `
        XADD s 1-1 a 1
        XADD s 2-1 b 2
        XADD s 3-1 c 3
        XADD s 4-1 d 4
        XGROUP CREATE s g 0
        XPENDING s g
        XPENDING s g - + 10
        XREADGROUP GROUP g c1 COUNT 2 STREAMS s >
        XREADGROUP GROUP g c2 STREAMS s >
        XPENDING s g
        ~~XPENDING s g - + 10
        ~~XPENDING s g - + 10 c1
        XPENDING s g - + 10 nobody
        ~~XPENDING s g (1-1 + 10
        ~~XPENDING s g - (4-1 2
        XPENDING s g - + 0
        XPENDING s g - + -5
        ~~XPENDING s g IDLE 0 - + 10
        ~~XPENDING s g IDLE -5 - + 10 c2
        XPENDING s g IDLE 100000000 - + 10
        XPENDING s g IDLE 0 - +
        XPENDING s g IDLE x - + 10
        XPENDING s g IDLE 0 - + 10 c1 extra
        XPENDING s g -
        XPENDING s g - +
        XPENDING s g - + 1 a b c d
        XPENDING s g x + 10
        XPENDING s g - y 10
        XPENDING s g - + x
        XPENDING s g (18446744073709551615-18446744073709551615 + 10
        XPENDING s g - (0 10
        XPENDING s nog
        XPENDING nokey g
        XPENDING s nog - + 10
        XACK s g 1-1
        XACK s g 1-1 2-1 9-9
        XACK s g 3-1 3-1
        XACK s nog 1-1
        XACK nokey g 1-1
        XACK s g abc
        XACK s g 4-1 abc
        XPENDING s g
        XACK s g 4
        XPENDING s g
        SET str x
        XACK str g 1-1
        XPENDING str g
      `,
    );
  });

  it('XCLAIM: IDLE TIME RETRYCOUNT FORCE JUSTID LASTID, deleted entries, errors', async () => {
    await sameMasked(
      pair,
      `
        XADD s 1-1 a 1
        XADD s 2-1 b 2
        XADD s 3-1 c 3
        XADD s 4-1 d 4
        XGROUP CREATE s g 0
        XREADGROUP GROUP g c1 COUNT 2 STREAMS s >
        XCLAIM s g c2 0 1-1
        XCLAIM s g c2 0 1-1 JUSTID
        XCLAIM s g c2 0 1 2-1 JUSTID
        XCLAIM s g c2 0 1-1 1-1 JUSTID
        XCLAIM s g c2 0 3-1
        XCLAIM s g c2 0 3-1 FORCE
        XCLAIM s g c2 0 9-9 FORCE
        XCLAIM s g c3 100000000 1-1
        XCLAIM s g c3 0 1-1 IDLE 100000000 RETRYCOUNT 7
        ~~XPENDING s g - + 10
        XCLAIM s g c3 100000 1-1
        XCLAIM s g c3 0 1-1 TIME 1000 RETRYCOUNT 3 JUSTID
        XCLAIM s g c3 0 1-1 TIME -5 JUSTID
        XCLAIM s g c3 0 1-1 TIME 99999999999999 JUSTID
        XCLAIM s g c3 0 1-1 IDLE -5 JUSTID
        XCLAIM s g c3 0 1-1 RETRYCOUNT -1 JUSTID
        ~XINFO STREAM s FULL
        XCLAIM s g c3 0 1-1 IDLE x
        XCLAIM s g c3 0 1-1 TIME x
        XCLAIM s g c3 0 1-1 RETRYCOUNT x
        XCLAIM s g c3 0 1-1 LASTID x
        XCLAIM s g c3 0 1-1 IDLE
        XCLAIM s g c3 0 1-1 LASTID 10-0 JUSTID
        XINFO GROUPS s
        XCLAIM s g c3 0 1-1 LASTID 5-0 JUSTID
        XINFO GROUPS s
        XCLAIM s g c3 0 1-1 FOO
        XCLAIM s g c3 0 1-1 "FO\\x00O"
        XCLAIM s g c3 0 1-1 FORCE 2-1
        XCLAIM s g c3 0 FORCE
        XCLAIM s g c3 x 1-1
        XCLAIM s g c3 -5 1-1 JUSTID
        XCLAIM s nog c3 0 1-1
        XCLAIM nokey g c3 0 1-1
        XCLAIM s nog c3 x 1-1
        XDEL s 2-1
        XCLAIM s g c3 0 2-1
        XCLAIM s g c3 0 2-1 FORCE
        XPENDING s g
        ~~XINFO CONSUMERS s g
        SET str x
        XCLAIM str g c 0 1-1
      `,
    );
  });

  it('XAUTOCLAIM: cursor, COUNT, JUSTID, deleted IDs, attempts, errors', async () => {
    const many = Array.from({ length: 40 }, (_, i) => `XADD m ${i + 1}-0 f ${i}`).join('\n');
    await sameMasked(
      pair,
      `
        XADD s 1-1 a 1
        XADD s 2-1 b 2
        XADD s 3-1 c 3
        XADD s 4-1 d 4
        XGROUP CREATE s g 0
        XREADGROUP GROUP g c1 STREAMS s >
        XAUTOCLAIM s g c4 0 0
        XAUTOCLAIM s g c4 0 0 COUNT 1
        XAUTOCLAIM s g c4 0 0 COUNT 1 JUSTID
        XAUTOCLAIM s g c4 0 (1-1 COUNT 1 JUSTID
        XAUTOCLAIM s g c4 0 4-1 COUNT 1 JUSTID
        XAUTOCLAIM s g c4 0 5 JUSTID
        XAUTOCLAIM s g c4 0 0 COUNT 0
        XAUTOCLAIM s g c4 0 0 COUNT -1
        XAUTOCLAIM s g c4 0 0 COUNT x
        XAUTOCLAIM s g c4 0 0 COUNT 576460752303423488
        XAUTOCLAIM s g c4 0 0 COUNT 576460752303423487
        XAUTOCLAIM s g c4 0 0 COUNT
        XAUTOCLAIM s g c4 0 0 FOO
        XAUTOCLAIM s g c4 x 0
        XAUTOCLAIM s g c4 0 x
        XAUTOCLAIM s g c4 0 (18446744073709551615-18446744073709551615
        XAUTOCLAIM s nog c4 0 0
        XAUTOCLAIM nokey g c4 0 0
        XAUTOCLAIM s nog c4 0 x
        XAUTOCLAIM s g c4 100000000 0
        XAUTOCLAIM s g c4 -100 0 JUSTID
        XDEL s 2-1 3-1
        XAUTOCLAIM s g c5 0 0 COUNT 1 JUSTID
        XAUTOCLAIM s g c5 0 0 JUSTID
        XAUTOCLAIM s g c5 0 0
        XPENDING s g
        ~XINFO STREAM s FULL
        ${many}
        XGROUP CREATE m g 0
        XREADGROUP GROUP g c STREAMS m >
        XTRIM m MAXLEN 5
        XAUTOCLAIM m g d 0 0 COUNT 3 JUSTID
        XAUTOCLAIM m g d 0 0 COUNT 2 JUSTID
        XAUTOCLAIM m g d 0 0 COUNT 100 JUSTID
        XPENDING m g
        XAUTOCLAIM m g d 100000000 0 COUNT 1
        SET str x
        XAUTOCLAIM str g c 0 0
      `,
    );
  });

  it('XINFO STREAM (plain and FULL), GROUPS, CONSUMERS, HELP and errors', async () => {
    await sameMasked(
      pair,
      `
        XINFO HELP
        XINFO help
        XINFO HELP x
        XINFO
        XINFO FOO
        XINFO FOO s
        XINFO STREAM
        XINFO STREAM nokey
        XINFO GROUPS nokey
        XINFO CONSUMERS nokey g
        XGROUP CREATE s g $ MKSTREAM
        XINFO STREAM s
        XINFO STREAM s FULL
        XADD s 1-1 a 1 b 2
        XADD s 2-1 a 3
        XADD s 3-1 c 4
        XINFO STREAM s
        XINFO STREAM s FULL
        XINFO STREAM s full count 1
        XINFO STREAM s FULL x
        XINFO STREAM s FOO
        XINFO STREAM s FULL COUNT
        XINFO STREAM s FULL FOO 1
        XINFO STREAM s FULL COUNT x
        XINFO STREAM s FULL COUNT 1 x
        XGROUP CREATE s g2 0
        XGROUP CREATE s a0 0
        XGROUP CREATE s "\\x00" 0
        XREADGROUP GROUP g2 zed STREAMS s >
        XREADGROUP GROUP g2 amy COUNT 1 STREAMS s 0
        XGROUP CREATECONSUMER s g2 bob
        XINFO GROUPS s
        ~~XINFO CONSUMERS s g2
        XINFO CONSUMERS s nog
        XINFO CONSUMERS s
        XINFO GROUPS s x
        ~XINFO STREAM s FULL
        ~XINFO STREAM s FULL COUNT 1
        ~XINFO STREAM s FULL COUNT 0
        ~XINFO STREAM s FULL COUNT -1
        XDEL s 1-1 2-1 3-1
        XINFO STREAM s
        ~XINFO STREAM s FULL
        SET str x
        XINFO STREAM str
        XINFO GROUPS str
        XINFO CONSUMERS str g
      `,
    );
  });

  it('XSETID with ENTRIESADDED and MAXDELETEDID; errors', async () => {
    await expectSame(
      pair,
      lines(`
        XSETID nokey 1-1
        XSETID nokey x
        XADD s 1-1 a 1
        XADD s 2-1 a 1
        XSETID s 1-0
        XSETID s 2-0
        XSETID s 2-1
        XSETID s 5-0
        XSETID s 5
        XSETID s 5-0 ENTRIESADDED 1
        XSETID s 5-0 ENTRIESADDED -1
        XSETID s 5-0 ENTRIESADDED x
        XSETID s 5-0 ENTRIESADDED
        XSETID s 5-0 ENTRIESADDED 10 MAXDELETEDID 6-0
        XSETID s 7-0 ENTRIESADDED 10 MAXDELETEDID 6-0
        XSETID s 7-0 MAXDELETEDID x
        XSETID s 7-0 MAXDELETEDID +
        XSETID s 7-0 FOO
        XSETID s 7-0 ENTRIESADDED 2 ENTRIESADDED 3
        XSETID s +
        XSETID s -
        XSETID s x
        XINFO STREAM s
        XADD s 7-0 a 1
        XADD s 7-* a 1
        XDEL s 1-1 2-1 7-1
        XSETID s 3-0
        XSETID s 0-0
        XINFO STREAM s
        XSETID s 18446744073709551615-18446744073709551615
        XADD s * a 1
        XSETID s 18446744073709551615-18446744073709551615 ENTRIESADDED 9223372036854775807 MAXDELETEDID 18446744073709551615-18446744073709551615
        XINFO STREAM s
        SET str x
        XSETID str 1-1
      `),
    );
  });

  it('lag and entries-read through reads, deletions, trims, SETID and XSETID', async () => {
    await expectSame(
      pair,
      lines(`
        XGROUP CREATE s g 0 MKSTREAM
        XINFO GROUPS s
        XADD s 1-1 a 1
        XADD s 2-1 a 1
        XADD s 3-1 a 1
        XADD s 4-1 a 1
        XGROUP CREATE s late $
        XGROUP CREATE s mid 2-1
        XGROUP CREATE s zero 0
        XGROUP CREATE s est 0 ENTRIESREAD 2
        XINFO GROUPS s
        XREADGROUP GROUP g c NOACK COUNT 1 STREAMS s >
        XINFO GROUPS s
        XDEL s 3-1
        XINFO GROUPS s
        XREADGROUP GROUP g c NOACK STREAMS s >
        XINFO GROUPS s
        XREADGROUP GROUP mid c NOACK STREAMS s >
        XINFO GROUPS s
        XADD s 5-1 a 1
        XINFO GROUPS s
        XGROUP SETID s g 0
        XINFO GROUPS s
        XGROUP SETID s g 0 ENTRIESREAD 0
        XINFO GROUPS s
        XREADGROUP GROUP g c NOACK STREAMS s >
        XINFO GROUPS s
        XGROUP SETID s g 1-1
        XINFO GROUPS s
        XTRIM s MAXLEN 1
        XINFO GROUPS s
        XTRIM s MAXLEN 0
        XINFO GROUPS s
        XINFO STREAM s
        XADD s 6-1 a 1
        XINFO GROUPS s
        XSETID s 9-9 ENTRIESADDED 100
        XINFO GROUPS s
        XSETID s 9-9 MAXDELETEDID 7-0
        XINFO GROUPS s
        XADD fresh 1-1 a 1
        XGROUP CREATE fresh g 0
        XDEL fresh 1-1
        XINFO GROUPS fresh
        XADD fresh 2-1 a 1
        XADD fresh 3-1 a 1
        XINFO GROUPS fresh
        XREADGROUP GROUP g c NOACK COUNT 1 STREAMS fresh >
        XINFO GROUPS fresh
        XGROUP SETID fresh g 5-0
        XINFO GROUPS fresh
        XGROUP SETID fresh g 3-1
        XINFO GROUPS fresh
        XGROUP SETID fresh g 2-1
        XINFO GROUPS fresh
      `),
    );
  });

  it('WRONGTYPE from every stream command on a non-stream key', async () => {
    await expectSame(
      pair,
      lines(`
        SET k v
        XADD k * a 1
        XADD k NOMKSTREAM * a 1
        XRANGE k - +
        XREVRANGE k + -
        XLEN k
        XDEL k 1-1
        XTRIM k MAXLEN 0
        XREAD STREAMS k 0
        XREADGROUP GROUP g c STREAMS k >
        XGROUP CREATE k g 0
        XGROUP SETID k g 0
        XGROUP DESTROY k g
        XGROUP CREATECONSUMER k g c
        XGROUP DELCONSUMER k g c
        XSETID k 1-1
        XACK k g 1-1
        XPENDING k g
        XCLAIM k g c 0 1-1
        XAUTOCLAIM k g c 0 0
        XINFO STREAM k
        XINFO GROUPS k
        XINFO CONSUMERS k g
        RPUSH l a
        XLEN l
        TYPE k
      `),
    );
  });

  it('MULTI/EXEC with stream commands; XREAD and XREADGROUP BLOCK inside MULTI reply at once', async () => {
    await expectSame(
      pair,
      lines(`
        MULTI
        XADD s 1-1 a 1
        XGROUP CREATE s g 0
        XREAD BLOCK 0 STREAMS s $
        XREADGROUP GROUP g c BLOCK 0 STREAMS s >
        XREADGROUP GROUP g c BLOCK 0 STREAMS s >
        XREAD BLOCK 0 STREAMS s 0
        XLEN s
        EXEC
        WATCH s
        XACK s g 1-1
        XGROUP SETID s g 0
        XGROUP CREATECONSUMER s g c2
        XSETID s 5-5
        XREADGROUP GROUP g c STREAMS s >
        XCLAIM s g c9 0 1-1 JUSTID
        XINFO STREAM s
        MULTI
        XLEN s
        EXEC
        WATCH s
        XDEL s 9-9
        MULTI
        XLEN s
        EXEC
        WATCH s
        XDEL s 1-1
        MULTI
        XLEN s
        EXEC
        WATCH s
        XTRIM s MAXLEN 5
        MULTI
        XLEN s
        EXEC
        WATCH s
        XADD s 6-6 a 1
        MULTI
        XLEN s
        EXEC
        WATCH n
        XGROUP CREATE n g 0 MKSTREAM
        MULTI
        XLEN n
        EXEC
      `),
    );
  });

  it('DEBUG DIGEST / DIGEST-VALUE, COPY, TYPE and OBJECT ENCODING of streams', async () => {
    await expectSame(
      pair,
      lines(`
        XADD s 1-1 a 1 b 2
        XADD s 1-2 a "\\x00\\xff" "bin\\r\\nary" x
        XADD s 5-0 "" ""
        XADD s 18446744073709551615-3 k v
        XDEL s 1-2
        XGROUP CREATE s g 0
        DEBUG DIGEST
        DEBUG DIGEST-VALUE s
        TYPE s
        OBJECT ENCODING s
        COPY s s2
        XINFO STREAM s2
        XINFO GROUPS s2
        XRANGE s2 - +
        XDEL s2 1-1
        XLEN s
        XLEN s2
        DEBUG DIGEST
        XGROUP CREATE e g 0 MKSTREAM
        DEBUG DIGEST-VALUE e
        DEBUG DIGEST
        EXPIRE s 100000
        DEBUG DIGEST
      `),
    );
  });

  it('node layout of 10^4+ entries: MAXLEN ~ trimming by whole nodes, XLEN and XRANGE after trims', async () => {
    const r = rng(1);
    const script: Script = [];
    let ms = 1000;
    for (let i = 0; i < 12000; i++) {
      ms += r() < 0.5 ? 0 : Math.floor(r() * 5) + 1;
      const v = 'v'.repeat(1 + Math.floor(r() * (r() < 0.05 ? 300 : 12)));
      // Mostly the same field names (SAMEFIELDS compression), sometimes different ones.
      const fields = r() < 0.9 ? ['f', v, 'g', String(i)] : ['x' + (i % 7), v];
      if (i % 500 === 499) script.push(['XADD', 'big', 'MAXLEN', '~', String(2000 + (i % 3) * 700), `${ms}-*`, ...fields]);
      else script.push(['XADD', 'big', `${ms}-*`, ...fields]);
      if (i % 2000 === 1999) {
        script.push(['XLEN', 'big'], ['XINFO', 'STREAM', 'big'], ['XRANGE', 'big', '-', '+', 'COUNT', '3']);
      }
    }
    script.push(['XTRIM', 'big', 'MAXLEN', '~', '1000'], ['XINFO', 'STREAM', 'big']);
    script.push(['XTRIM', 'big', 'MAXLEN', '~', '10', 'LIMIT', '250'], ['XINFO', 'STREAM', 'big']);
    script.push(['XTRIM', 'big', 'MINID', '~', `${ms - 200}`], ['XINFO', 'STREAM', 'big']);
    script.push(['XTRIM', 'big', 'MAXLEN', '=', '333'], ['XINFO', 'STREAM', 'big']);
    script.push(['XRANGE', 'big', '-', '+'], ['XREVRANGE', 'big', '+', '-', 'COUNT', '50']);
    await samePipelined(pair, script);
    // RESP3 over the end state only (XINFO is a map there).
    await samePipelined(pair, [...script.slice(0, 600), ['XINFO', 'STREAM', 'big'], ['XINFO', 'STREAM', 'big', 'FULL', 'COUNT', '3']], true);
  }, 120000);

  it('radix tree keys/nodes after random deletions and trims, with other node limits', async () => {
    const r = rng(2);
    const script: Script = [];
    const limits: [string, string][] = [
      ['stream-node-max-entries', '5'],
      ['stream-node-max-entries', '0'],
      ['stream-node-max-bytes', '0'],
      ['stream-node-max-bytes', '100'],
      ['stream-node-max-entries', '1'],
    ];
    for (const [name, value] of limits) {
      script.push(['CONFIG', 'SET', name, value]);
      const k = `k:${name}:${value}`;
      const ids: number[] = [];
      let ms = 1 + Math.floor(r() * 1e6);
      for (let i = 0; i < 300; i++) {
        ms += [1, 2, 256, 65536, 2 ** 24, 2 ** 33][Math.floor(r() * 6)];
        ids.push(ms);
        script.push(['XADD', k, `${ms}-${Math.floor(r() * 4)}`, 'f', 'y'.repeat([1, 5, 20, 70][Math.floor(r() * 4)])]);
      }
      script.push(['XINFO', 'STREAM', k]);
      for (let i = 0; i < 150; i++) {
        const id = ids[Math.floor(r() * ids.length)];
        script.push(['XDEL', k, `${id}-0`, `${id}-1`, `${id}-2`, `${id}-3`]);
        if (i % 25 === 0) script.push(['XINFO', 'STREAM', k]);
      }
      script.push(['XINFO', 'STREAM', k], ['XTRIM', k, 'MAXLEN', '~', '50'], ['XINFO', 'STREAM', k]);
      script.push(['XTRIM', k, 'MINID', `${ids[200]}`], ['XINFO', 'STREAM', k], ['XRANGE', k, '-', '+']);
    }
    script.push(['CONFIG', 'SET', 'stream-node-max-entries', '100'], ['CONFIG', 'SET', 'stream-node-max-bytes', '4096']);
    await samePipelined(pair, script);
  }, 120000);

  it('DUMP payloads restore across implementations', async () => {
    const setup = lines(`
      XADD s 1-1 a 1 b 2
      XADD s 2-1 a 3 b 4
      XADD s 3-1 c "\\x00\\xff"
      XADD s 18446744073709551615-7 z 1
      XGROUP CREATE s g 0 ENTRIESREAD 1
      XGROUP CREATE s h $
      XREADGROUP GROUP g alice COUNT 2 STREAMS s >
      XREADGROUP GROUP g bob STREAMS s >
      XGROUP CREATECONSUMER s g carol
      XGROUP CREATE e g 0 MKSTREAM
    `);
    const read = async (port: number, key: string): Promise<string[]> => {
      const c = await RawClient.connect(port);
      try {
        return [
          await c.call('XINFO', 'STREAM', key, 'FULL'),
          await c.call('XINFO', 'GROUPS', key),
          await c.call('XRANGE', key, '-', '+'),
          await c.call('DEBUG', 'DIGEST-VALUE', key),
        ];
      } finally {
        c.close();
      }
    };
    for (const [from, to] of [
      [pair.real, pair.ours],
      [pair.ours, pair.real],
    ]) {
      await runScript(from.port, setup);
      const src = from.client();
      const dst = to.client();
      await dst.flushall();
      for (const key of ['s', 'e']) {
        const payload = await src.dumpBuffer(key);
        expect(payload).not.toBeNull();
        expect(await dst.restore(key, 0, payload!)).toBe('OK');
        // Same entries, groups, PELs and times (they travel in the payload).
        expect(await read(to.port, key)).toEqual(await read(from.port, key));
      }
      src.disconnect();
      dst.disconnect();
    }
  });
});
