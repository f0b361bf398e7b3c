// RequestParser: RESP multibulk and inline framing, limits and Redis's error texts.
import { describe, expect, it } from 'vitest';
import { ProtocolError, RequestParser } from '../../src/protocol/request-parser.js';
import { splitArgs } from '../../src/protocol/split-args.js';

function parser(over: Partial<{ maxBulkLen: number; authRequired: boolean; fromMaster: boolean }> = {}) {
  return new RequestParser({ maxBulkLen: 512 * 1024 * 1024, authRequired: false, fromMaster: false, ...over });
}

function all(p: RequestParser): string[][] {
  const out: string[][] = [];
  for (;;) {
    const a = p.next();
    if (a === null) return out;
    out.push(a);
  }
}

function errorOf(p: RequestParser): string {
  try {
    all(p);
  } catch (e) {
    if (e instanceof ProtocolError) return e.reply;
    throw e;
  }
  return 'no error';
}

describe('RequestParser', () => {
  it('parses pipelined multibulk requests and counts consumed bytes', () => {
    const p = parser();
    const req = '*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nv\x00v\r\n';
    p.feed(Buffer.from(req, 'latin1'));
    expect(all(p)).toEqual([['PING'], ['SET', 'k', 'v\x00v']]);
    expect(p.consumed).toBe(req.length);
  });

  it('reassembles requests split at every byte boundary', () => {
    const req = '*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\nPING\r\n';
    for (let cut = 1; cut < req.length; cut++) {
      const p = parser();
      p.feed(Buffer.from(req.slice(0, cut), 'latin1'));
      const got = all(p);
      p.feed(Buffer.from(req.slice(cut), 'latin1'));
      got.push(...all(p));
      expect(got).toEqual([['ECHO', 'hello'], ['PING']]);
      expect(p.consumed).toBe(req.length);
    }
  });

  it('collects a big bulk argument over many chunks without losing bytes', () => {
    const p = parser();
    const big = Buffer.alloc(200_000, 0x61);
    big[0] = 0;
    big[199_999] = 0xff;
    const req = Buffer.concat([Buffer.from('*2\r\n$4\r\nECHO\r\n$200000\r\n'), big, Buffer.from('\r\n*1\r\n$4\r\nPING\r\n')]);
    for (let i = 0; i < req.length; i += 7000) {
      p.feed(req.subarray(i, Math.min(req.length, i + 7000)));
    }
    const got = all(p);
    expect(got.length).toBe(2);
    expect(Buffer.from(got[0][1], 'latin1').equals(big)).toBe(true);
    expect(got[1]).toEqual(['PING']);
    expect(p.consumed).toBe(req.length);
  });

  it('parses inline commands with quotes and escapes', () => {
    const p = parser();
    p.feed(Buffer.from('SET k "a b\\x41\\n"\r\nGET \'it\\\'s\'\n\r\n', 'latin1'));
    expect(all(p)).toEqual([['SET', 'k', 'a bA\n'], ['GET', "it's"], []]);
  });

  it('reports Redis protocol errors', () => {
    const cases: [string, string][] = [
      ['*abc\r\n', 'Protocol error: invalid multibulk length'],
      ['*3000000000\r\n', 'Protocol error: invalid multibulk length'],
      ['*1\r\nfoo\r\n', "Protocol error: expected '$', got 'f'"],
      ['*1\r\n$-5\r\n', 'Protocol error: invalid bulk length'],
      ['*1\r\n$x\r\n', 'Protocol error: invalid bulk length'],
      ['SET "a\r\n', 'Protocol error: unbalanced quotes in request'],
      ['SET "a"b\r\n', 'Protocol error: unbalanced quotes in request'],
    ];
    for (const [input, err] of cases) {
      const p = parser();
      p.feed(Buffer.from(input, 'latin1'));
      expect(errorOf(p), input).toBe(err);
    }
  });

  it('enforces proto-max-bulk-len and the unauthenticated limits before buffering', () => {
    let p = parser({ maxBulkLen: 1024 * 1024 });
    p.feed(Buffer.from('*1\r\n$1048577\r\n'));
    expect(errorOf(p)).toBe('Protocol error: invalid bulk length');
    p = parser({ authRequired: true });
    p.feed(Buffer.from('*11\r\n'));
    expect(errorOf(p)).toBe('Protocol error: unauthenticated multibulk length');
    p = parser({ authRequired: true });
    p.feed(Buffer.from('*1\r\n$16385\r\n'));
    expect(errorOf(p)).toBe('Protocol error: unauthenticated bulk length');
    p = parser();
    p.feed(Buffer.alloc(70 * 1024, 0x61));
    expect(errorOf(p)).toBe('Protocol error: too big inline request');
    p = parser();
    p.feed(Buffer.concat([Buffer.from('*'), Buffer.alloc(70 * 1024, 0x31)]));
    expect(errorOf(p)).toBe('Protocol error: too big mbulk count string');
  });

  it('skips empty multibulk requests', () => {
    const p = parser();
    p.feed(Buffer.from('*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n'));
    expect(all(p)).toEqual([[], [], ['PING']]);
  });

  it('refuses inline commands from a master but accepts its newlines', () => {
    const p = parser({ fromMaster: true });
    p.feed(Buffer.from('\n\n*1\r\n$4\r\nPING\r\n'));
    expect(all(p)).toEqual([[], [], ['PING']]);
    const q = parser({ fromMaster: true });
    q.feed(Buffer.from('PING\r\n'));
    expect(errorOf(q)).toContain('master');
  });
});

describe('splitArgs (sdssplitargs)', () => {
  it('splits like Redis', () => {
    expect(splitArgs('  a  b\tc ')).toEqual(['a', 'b', 'c']);
    expect(splitArgs('"x\\x00y" \'z\'')).toEqual(['x\x00y', 'z']);
    expect(splitArgs('""')).toEqual(['']);
    expect(splitArgs('"\\xZZ"')).toEqual(['xZZ']);
    expect(splitArgs('"unterminated')).toBeNull();
    expect(splitArgs("'a'b")).toBeNull();
    expect(splitArgs('')).toEqual([]);
  });
});
