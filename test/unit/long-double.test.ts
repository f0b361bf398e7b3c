// The x87 long double emulation behind INCRBYFLOAT: every expectation comes from
// the real redis-server (its INCRBYFLOAT results and errors), run in this test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incrByFloatText, parseLongDouble, formatLongDoubleHuman, addLongDouble } from '../../src/util/long-double.js';
import { RawClient } from '../helpers/raw-client.js';
import { skipWithoutRealRedis, startServer, type ServerProcess } from '../helpers/server.js';

const skip = skipWithoutRealRedis();

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
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

function digits(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(r() * 10));
  return s;
}

/** A random operand in one of the shapes strtold reads (and some it rejects). */
function operand(r: () => number): string {
  const sign = r() < 0.4 ? '-' : r() < 0.1 ? '+' : '';
  const k = Math.floor(r() * 12);
  switch (k) {
    case 0:
      return sign + digits(r, 1 + Math.floor(r() * 19));
    case 1:
      return sign + digits(r, 1 + Math.floor(r() * 4)) + '.' + digits(r, 1 + Math.floor(r() * 25));
    case 2:
      return sign + '0.' + digits(r, 1 + Math.floor(r() * 6));
    case 3:
      return sign + digits(r, 1 + Math.floor(r() * 3)) + 'e' + (r() < 0.5 ? '-' : '') + Math.floor(r() * 40);
    case 4:
      return sign + digits(r, 1 + Math.floor(r() * 17)) + '.' + digits(r, Math.floor(r() * 3)) + 'E' + (r() < 0.5 ? '-' : '+') + Math.floor(r() * 400);
    case 5:
      return sign + '1e' + (4900 + Math.floor(r() * 40));
    case 6:
      return sign + '1.5e-' + (4920 + Math.floor(r() * 40));
    case 7:
      return sign + '0x' + Math.floor(r() * 1e9).toString(16) + '.' + Math.floor(r() * 4096).toString(16) + 'p' + (Math.floor(r() * 200) - 100);
    case 8:
      return sign + (r() * 1000).toFixed(Math.floor(r() * 18));
    case 9:
      return sign + String(r() * 10 ** Math.floor(r() * 30 - 15));
    case 10:
      return sign + digits(r, 60 + Math.floor(r() * 60)) + '.' + digits(r, 40);
    default:
      return sign + '.' + digits(r, 1 + Math.floor(r() * 8));
  }
}

/** Operands around the edges: specials, malformed text, limits. */
const EDGE = [
  '0', '-0', '+0', '0.0', '.5', '5.', '.', '-', '+', '', ' 1', '1 ', '\t1', '1e', '1e+', '1e-', 'e5', '1.2.3', '1,5',
  'inf', '-inf', '+inf', 'INF', 'Infinity', '-infinity', 'infinit', 'nan', 'NaN', '-nan', 'nan(123)',
  '0x', '0x10', '0X1P4', '0x.8', '0x1p', '0x1.8p1', '-0x1p-16445', '0x1p-16446', '0x1p16383', '0x1p16384', '0xg',
  '1e4932', '1.18973149535723176502e4932', '1.18973149535723176508e4932', '1.2e4932', '1e4933', '1e-4950', '3.6e-4951',
  '1.8e-4951', '1.9e-4951', '1e-4952', '1e-5000', '1e99999999999999999999', '0e99999999999999', '00012', '-00.00100',
  '9223372036854775807', '-9223372036854775808', '18446744073709551615', '18446744073709551616', '36893488147419103231',
  '1e-20', '-1e-20', '0.1', '0.2', '0.3', '10.5', '3.0e3', '1\x001', '17179869184', '1.7976931348623157e308', '5e-324',
  '0.00000000000000000000000000000000000000000000001', '123456789012345678901234567890', '1e17', '1e18', '-1e18',
  '0.000000000000000005', '0.000000000000000015', '0.000000000000000025', '2.5e-17', '-7.5e-18',
  // string2ld's buffer is 5 * 1024 bytes: 5119 characters fit, 5120 do not.
  '1.' + '0'.repeat(5117), '1.' + '0'.repeat(5118), '0x1.' + '8'.repeat(5115), '0x1.' + '8'.repeat(5116),
];

async function pipeline(port: number, cmds: string[][]): Promise<string[]> {
  const c = await RawClient.connect(port);
  try {
    const out: string[] = [];
    const batch = 200;
    for (let i = 0; i < cmds.length; i += batch) {
      const part = cmds.slice(i, i + batch);
      for (const argv of part) c.send(...argv);
      for (let j = 0; j < part.length; j++) out.push(await c.reply());
    }
    return out;
  } finally {
    c.close();
  }
}

/** What our emulation replies for SET k a; INCRBYFLOAT k b (a null: key missing). */
function oursReply(a: string | null, b: string): string {
  const r = incrByFloatText(a, b);
  if (r.ok) return `$${r.text.length}\r\n${r.text}\r\n`;
  return r.error === 'naninf' ? '-ERR increment would produce NaN or Infinity\r\n' : '-ERR value is not a valid float\r\n';
}

describe.skipIf(skip !== null)(`long double emulation vs redis-server INCRBYFLOAT${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let real: ServerProcess;
  beforeAll(async () => {
    real = await startServer({ real: true });
  });
  afterAll(async () => {
    await real?.stop();
  });

  async function check(pairs: [string | null, string][]): Promise<void> {
    const cmds: string[][] = [];
    for (const [a, b] of pairs) {
      if (a === null) cmds.push(['DEL', 'k']);
      else cmds.push(['SET', 'k', a]);
      cmds.push(['INCRBYFLOAT', 'k', b]);
    }
    const replies = await pipeline(real.port, cmds);
    const realOut: string[] = [];
    const ours: string[] = [];
    pairs.forEach(([a, b], i) => {
      const label = `${JSON.stringify(a)} + ${JSON.stringify(b)} => `;
      realOut.push(label + replies[i * 2 + 1]);
      ours.push(label + oursReply(a, b));
    });
    expect(ours).toEqual(realOut);
  }

  it('parses edge operands exactly as string2ld accepts or rejects them', async () => {
    const pairs: [string | null, string][] = [];
    for (const e of EDGE) {
      pairs.push([null, e]);
      pairs.push(['1', e]);
      pairs.push([e, '0']);
    }
    await check(pairs);
  });

  it('adds edge operands pairwise', async () => {
    const pairs: [string | null, string][] = [];
    for (const a of EDGE) for (const b of EDGE.slice(0, 40)) pairs.push([a, b]);
    await check(pairs);
  });

  it('adds 4000 random operand pairs', async () => {
    const r = rng(20240607);
    const pairs: [string | null, string][] = [];
    for (let i = 0; i < 4000; i++) pairs.push([operand(r), operand(r)]);
    await check(pairs);
  });

  it('accumulates like repeated INCRBYFLOAT (10.5 + 0.1 ..., tiny and huge steps)', async () => {
    const steps = ['0.1', '-0.3', '1e-17', '3.3333333333333333', '1e20', '-1e20', '0.7', '1e-5', '123456789.123456789'];
    const cmds: string[][] = [['SET', 'k', '10.5']];
    for (let i = 0; i < 300; i++) cmds.push(['INCRBYFLOAT', 'k', steps[i % steps.length]]);
    const replies = await pipeline(real.port, cmds);
    let cur = '10.5';
    const ours: string[] = [];
    for (let i = 0; i < 300; i++) {
      const res = incrByFloatText(cur, steps[i % steps.length]);
      expect(res.ok).toBe(true);
      if (res.ok) cur = res.text;
      ours.push(`$${cur.length}\r\n${cur}\r\n`);
    }
    expect(ours).toEqual(replies.slice(1));
  });

  it('formats results the way the server stores them', () => {
    // Values whose expected text is fixed by the tests above; kept as quick sanity checks.
    const v = parseLongDouble('10.5');
    expect(v).not.toBeNull();
    expect(formatLongDoubleHuman(addLongDouble(v!, parseLongDouble('0.1')!))).toBe('10.6');
    expect(parseLongDouble('nan')).toBeNull();
    expect(parseLongDouble(' 1')).toBeNull();
    expect(formatLongDoubleHuman(parseLongDouble('-1e-30')!)).toBe('0');
  });
});
