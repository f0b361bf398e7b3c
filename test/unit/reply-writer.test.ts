// Golden bytes of the reply writer (protocol/reply-writer.ts, networking.c's addReply*
// family) in RESP2 and RESP3. Expected bytes are literals taken from what
// redis-server 7.0.15 sends for the same reply shapes (checked on raw sockets).
import { describe, expect, it } from 'vitest';
import { ReplyWriter, type RespVersion } from '../../src/protocol/reply-writer.js';

/** A writer without a socket: collects its output and counts the hooks it calls. */
class CaptureWriter extends ReplyWriter {
  pendingCalls = 0;
  errors: string[] = [];

  constructor(resp: RespVersion) {
    super();
    this.resp = resp;
  }

  protected override onReplyPending(): void {
    this.pendingCalls++;
  }

  protected override onErrorReply(msg: string): void {
    this.errors.push(msg);
  }

  pending(): boolean {
    return this.hasPendingReply();
  }

  /** Everything written since the last take, as one Buffer. */
  take(): Buffer {
    const o = this.takeOutput();
    if (o === null) return Buffer.alloc(0);
    if (Buffer.isBuffer(o)) return o;
    return Buffer.concat(o.map((c) => (typeof c === 'string' ? Buffer.from(c, 'latin1') : c)));
  }

  /** The output as latin1 text (binary-safe: one char per byte). */
  text(): string {
    return this.take().toString('latin1');
  }
}

function w2(): CaptureWriter {
  return new CaptureWriter(2);
}
function w3(): CaptureWriter {
  return new CaptureWriter(3);
}

/** Runs `write` once per protocol version and returns both outputs. */
function both(write: (w: CaptureWriter) => void): { resp2: string; resp3: string } {
  const a = w2();
  write(a);
  const b = w3();
  write(b);
  return { resp2: a.text(), resp3: b.text() };
}

describe('ReplyWriter: types common to RESP2 and RESP3', () => {
  it('simple strings', () => {
    expect(both((w) => w.ok())).toEqual({ resp2: '+OK\r\n', resp3: '+OK\r\n' });
    expect(both((w) => w.status('PONG'))).toEqual({ resp2: '+PONG\r\n', resp3: '+PONG\r\n' });
    expect(both((w) => w.status(''))).toEqual({ resp2: '+\r\n', resp3: '+\r\n' });
  });

  it('errors keep their code and lose CR/LF (addReplyErrorLength)', () => {
    const r = both((w) => w.error('ERR unknown command'));
    expect(r).toEqual({ resp2: '-ERR unknown command\r\n', resp3: '-ERR unknown command\r\n' });
    const w = w2();
    w.error('WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(w.text()).toBe('-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
    w.error('ERR bad\r\nthing\nhere');
    expect(w.text()).toBe('-ERR bad  thing here\r\n');
    // The error hook sees the message as sent (for error statistics).
    expect(w.errors).toEqual(['WRONGTYPE Operation against a key holding the wrong kind of value', 'ERR bad  thing here']);
  });

  it('integers: small, multi-digit, negative, int64 extremes', () => {
    const cases: [number | bigint, string][] = [
      [0, ':0\r\n'],
      [7, ':7\r\n'],
      [10, ':10\r\n'],
      [99, ':99\r\n'],
      [100, ':100\r\n'],
      [-1, ':-1\r\n'],
      [-42, ':-42\r\n'],
      [-1234567, ':-1234567\r\n'],
      [1234567890123, ':1234567890123\r\n'],
      [Number.MAX_SAFE_INTEGER, ':9007199254740991\r\n'],
      [Number.MIN_SAFE_INTEGER, ':-9007199254740991\r\n'],
      [9223372036854775807n, ':9223372036854775807\r\n'],
      [-9223372036854775808n, ':-9223372036854775808\r\n'],
      [5n, ':5\r\n'],
    ];
    for (const [n, bytes] of cases) {
      expect(both((w) => w.int(n)), String(n)).toEqual({ resp2: bytes, resp3: bytes });
    }
  });

  it('bulk strings: empty, text, binary with CR LF NUL and high bytes', () => {
    expect(both((w) => w.bulk(''))).toEqual({ resp2: '$0\r\n\r\n', resp3: '$0\r\n\r\n' });
    expect(both((w) => w.bulk('hello'))).toEqual({ resp2: '$5\r\nhello\r\n', resp3: '$5\r\nhello\r\n' });
    // Keys and values are latin1 strings: one char per byte.
    const bin = 'a\r\nb\0c\xff\x80\xe9';
    const expected = Buffer.from([
      ...Buffer.from('$9\r\n'),
      0x61, 0x0d, 0x0a, 0x62, 0x00, 0x63, 0xff, 0x80, 0xe9,
      0x0d, 0x0a,
    ]);
    const w = w3();
    w.bulk(bin);
    expect(w.take()).toEqual(expected);
    const b = w2();
    b.bulkBuffer(Buffer.from([0x61, 0x0d, 0x0a, 0x62, 0x00, 0x63, 0xff, 0x80, 0xe9]));
    expect(b.take()).toEqual(expected);
    const e = w2();
    e.bulkBuffer(Buffer.alloc(0));
    expect(e.text()).toBe('$0\r\n\r\n');
  });

  it('bulkInt writes an integer as a bulk string', () => {
    expect(both((w) => w.bulkInt(-15))).toEqual({ resp2: '$3\r\n-15\r\n', resp3: '$3\r\n-15\r\n' });
    expect(both((w) => w.bulkInt(9223372036854775807n))).toEqual({
      resp2: '$19\r\n9223372036854775807\r\n',
      resp3: '$19\r\n9223372036854775807\r\n',
    });
  });

  it('large bulks (queued uncopied) come out whole and in order', () => {
    const big = 'x'.repeat(20000) + '\r\n\0\xff';
    const w = w2();
    w.status('A');
    w.bulk(big);
    w.bulkBuffer(Buffer.from(big, 'latin1'));
    w.int(1);
    const out = w.text();
    expect(out).toBe(`+A\r\n$20004\r\n${big}\r\n$20004\r\n${big}\r\n:1\r\n`);
  });

  it('many small replies across the 16 KiB buffer come out whole and in order', () => {
    const w = w2();
    let expected = '';
    for (let i = 0; i < 5000; i++) {
      w.bulk('v' + i);
      const s = 'v' + i;
      expected += `$${s.length}\r\n${s}\r\n`;
    }
    expect(expected.length).toBeGreaterThan(16 * 1024 * 3);
    expect(w.pendingReplyBytes).toBe(expected.length);
    expect(w.text()).toBe(expected);
    expect(w.pendingReplyBytes).toBe(0);
  });

  it('bulks(): an array of bulk strings', () => {
    expect(both((w) => w.bulks(['a', '', 'bc']))).toEqual({
      resp2: '*3\r\n$1\r\na\r\n$0\r\n\r\n$2\r\nbc\r\n',
      resp3: '*3\r\n$1\r\na\r\n$0\r\n\r\n$2\r\nbc\r\n',
    });
  });

  it('arrays: empty, nested, big header', () => {
    expect(both((w) => w.arrayLen(0))).toEqual({ resp2: '*0\r\n', resp3: '*0\r\n' });
    const nested = both((w) => {
      w.arrayLen(3);
      w.int(1);
      w.arrayLen(2);
      w.bulk('a');
      w.arrayLen(0);
      w.nullBulk();
    });
    expect(nested.resp2).toBe('*3\r\n:1\r\n*2\r\n$1\r\na\r\n*0\r\n$-1\r\n');
    expect(nested.resp3).toBe('*3\r\n:1\r\n*2\r\n$1\r\na\r\n*0\r\n_\r\n');
    expect(both((w) => w.arrayLen(123456))).toEqual({ resp2: '*123456\r\n', resp3: '*123456\r\n' });
  });
});

describe('ReplyWriter: where RESP2 and RESP3 differ', () => {
  it('null bulk: $-1 vs _', () => {
    expect(both((w) => w.nullBulk())).toEqual({ resp2: '$-1\r\n', resp3: '_\r\n' });
  });

  it('null array: *-1 vs _', () => {
    expect(both((w) => w.nullArray())).toEqual({ resp2: '*-1\r\n', resp3: '_\r\n' });
  });

  it('maps: a flat array of 2n vs %n', () => {
    const r = both((w) => {
      w.mapLen(2);
      w.bulk('a');
      w.int(1);
      w.bulk('b');
      w.nullBulk();
    });
    expect(r.resp2).toBe('*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n$-1\r\n');
    expect(r.resp3).toBe('%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n_\r\n');
    expect(both((w) => w.mapLen(0))).toEqual({ resp2: '*0\r\n', resp3: '%0\r\n' });
    expect(both((w) => w.mapLen(60))).toEqual({ resp2: '*120\r\n', resp3: '%60\r\n' });
  });

  it('sets: * vs ~', () => {
    const r = both((w) => {
      w.setLen(2);
      w.bulk('x');
      w.bulk('y');
    });
    expect(r.resp2).toBe('*2\r\n$1\r\nx\r\n$1\r\ny\r\n');
    expect(r.resp3).toBe('~2\r\n$1\r\nx\r\n$1\r\ny\r\n');
    expect(both((w) => w.setLen(0))).toEqual({ resp2: '*0\r\n', resp3: '~0\r\n' });
  });

  it('push: * vs >', () => {
    const r = both((w) => {
      w.pushLen(3);
      w.bulk('message');
      w.bulk('ch');
      w.bulk('hi');
    });
    expect(r.resp2).toBe('*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n');
    expect(r.resp3).toBe('>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n');
  });

  it('pairs (WITHSCORES): flat in RESP2, nested *2 in RESP3', () => {
    const r = both((w) => {
      w.arrayLen(2);
      w.pairLen();
      w.bulk('m');
      w.double(1.5);
      w.pairLen();
      w.bulk('n');
      w.double(-Infinity);
    });
    expect(r.resp2).toBe('*2\r\n$1\r\nm\r\n$3\r\n1.5\r\n$1\r\nn\r\n$4\r\n-inf\r\n');
    expect(r.resp3).toBe('*2\r\n*2\r\n$1\r\nm\r\n,1.5\r\n*2\r\n$1\r\nn\r\n,-inf\r\n');
  });

  it('doubles: a %.17g bulk vs ,%.17g (Redis 7.0 addReplyDouble)', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [1, '1'],
      [-2.5, '-2.5'],
      [1.5, '1.5'],
      [0.1, '0.10000000000000001'],
      [3.14, '3.1400000000000001'],
      [1e21, '1e+21'],
      [1e-5, '1.0000000000000001e-05'],
      [-0, '-0'],
      [Infinity, 'inf'],
      [-Infinity, '-inf'],
      // A positive-signed NaN: glibc's %.17g prints "nan".
      [NaN, 'nan'],
    ];
    for (const [d, s] of cases) {
      expect(both((w) => w.double(d)), String(d)).toEqual({
        resp2: `$${s.length}\r\n${s}\r\n`,
        resp3: `,${s}\r\n`,
      });
    }
  });

  it('booleans: :1/:0 vs #t/#f', () => {
    expect(both((w) => w.bool(true))).toEqual({ resp2: ':1\r\n', resp3: '#t\r\n' });
    expect(both((w) => w.bool(false))).toEqual({ resp2: ':0\r\n', resp3: '#f\r\n' });
  });

  it('verbatim strings: a plain bulk vs =len txt:', () => {
    expect(both((w) => w.verbatim('hi'))).toEqual({ resp2: '$2\r\nhi\r\n', resp3: '=6\r\ntxt:hi\r\n' });
    expect(both((w) => w.verbatim('# Server\r\nredis_version:7.0.15\r\n'))).toEqual({
      resp2: '$32\r\n# Server\r\nredis_version:7.0.15\r\n\r\n',
      resp3: '=36\r\ntxt:# Server\r\nredis_version:7.0.15\r\n\r\n',
    });
    expect(both((w) => w.verbatim('', 'mkd'))).toEqual({ resp2: '$0\r\n\r\n', resp3: '=4\r\nmkd:\r\n' });
  });

  it('switching version mid-stream changes only later replies (HELLO 3)', () => {
    const w = w2();
    w.nullBulk();
    w.resp = 3;
    w.nullBulk();
    w.resp = 2;
    w.mapLen(1);
    expect(w.text()).toBe('$-1\r\n_\r\n*2\r\n');
  });
});

describe('ReplyWriter: output bookkeeping', () => {
  it('onReplyPending fires once per batch; takeOutput empties the buffer', () => {
    const w = w3();
    expect(w.pending()).toBe(false);
    expect(w.take().length).toBe(0);
    w.ok();
    w.int(1);
    w.bulk('x');
    expect(w.pendingCalls).toBe(1);
    expect(w.pending()).toBe(true);
    expect(w.pendingReplyBytes).toBe('+OK\r\n:1\r\n$1\r\nx\r\n'.length);
    expect(w.text()).toBe('+OK\r\n:1\r\n$1\r\nx\r\n');
    expect(w.pending()).toBe(false);
    expect(w.pendingReplyBytes).toBe(0);
    w.status('again');
    expect(w.pendingCalls).toBe(2);
    expect(w.text()).toBe('+again\r\n');
  });

  it('a taken buffer is not overwritten by later replies', () => {
    const w = w2();
    w.bulk('first');
    const first = w.take();
    w.bulk('other');
    expect(first.toString('latin1')).toBe('$5\r\nfirst\r\n');
    expect(w.text()).toBe('$5\r\nother\r\n');
  });

  it('replyEnabled = false drops every kind of reply (CLIENT REPLY OFF)', () => {
    const w = w3();
    w.replyEnabled = false;
    w.ok();
    w.status('x');
    w.error('ERR nope');
    w.int(5);
    w.int(9223372036854775807n);
    w.bulk('abc');
    w.bulk('y'.repeat(20000));
    w.bulkBuffer(Buffer.from('abc'));
    w.nullBulk();
    w.nullArray();
    w.arrayLen(2);
    w.mapLen(2);
    w.setLen(2);
    w.pushLen(2);
    w.double(1.5);
    w.bool(true);
    w.verbatim('v');
    w.bulks(['a']);
    expect(w.pending()).toBe(false);
    expect(w.take().length).toBe(0);
    w.replyEnabled = true;
    w.ok();
    expect(w.text()).toBe('+OK\r\n');
  });
});
