// Unit tests of the AOF file formats: the multi-part manifest (parse, format,
// quoting, Redis's error messages, the rewrite transitions), the commands reader
// (records, truncated versus corrupt tails) and the commands a rewrite emits per type.
import { describe, expect, it } from 'vitest';
import {
  AofManifestError,
  baseFileName,
  formatManifest,
  incrFileName,
  manifestFileName,
  markRewrittenIncrsAsHistory,
  newBaseFile,
  newIncrFile,
  parseManifest,
  tempFileName,
  tempIncrFileName,
  type AofManifest,
} from '../../src/persistence/aof/manifest.js';
import { splitArgs } from '../../src/protocol/split-args.js';
import {
  AofCommandReader,
  encodeAofCommand,
  isRdbPreamble,
  timestampAnnotation,
  type AofRecord,
} from '../../src/persistence/aof/command-reader.js';
import { AOF_REWRITE_ITEMS_PER_CMD, rewriteKey } from '../../src/persistence/aof/rewrite-commands.js';
import type { Value } from '../../src/keyspace/database.js';
import { HashValue } from '../../src/keyspace/types/hash.js';
import { ListValue } from '../../src/keyspace/types/list.js';
import { SetValue } from '../../src/keyspace/types/set.js';
import { StreamGroup, StreamNack, StreamValue, type NodeLimits } from '../../src/keyspace/types/stream.js';
import { ZSetValue } from '../../src/keyspace/types/zset.js';

const L = (s: string): Buffer => Buffer.from(s, 'latin1');

function manifestError(text: string): AofManifestError {
  try {
    parseManifest(text);
  } catch (e) {
    if (e instanceof AofManifestError) return e;
    throw e;
  }
  throw new Error(`no error for ${JSON.stringify(text)}`);
}

describe('AOF manifest', () => {
  // The example from aof.c's comment.
  const EXAMPLE =
    'file appendonly.aof.2.base.rdb seq 2 type b\n' +
    'file appendonly.aof.1.incr.aof seq 1 type h\n' +
    'file appendonly.aof.2.incr.aof seq 2 type h\n' +
    'file appendonly.aof.3.incr.aof seq 3 type h\n' +
    'file appendonly.aof.4.incr.aof seq 4 type i\n' +
    'file appendonly.aof.5.incr.aof seq 5 type i\n';

  it('parses the lists and sequence counters and formats them back byte for byte', () => {
    const m = parseManifest(EXAMPLE);
    expect(m.base).toEqual({ name: 'appendonly.aof.2.base.rdb', seq: 2, type: 'b' });
    expect(m.history.map((f) => f.seq)).toEqual([1, 2, 3]);
    expect(m.history.every((f) => f.type === 'h')).toBe(true);
    expect(m.incrs).toEqual([
      { name: 'appendonly.aof.4.incr.aof', seq: 4, type: 'i' },
      { name: 'appendonly.aof.5.incr.aof', seq: 5, type: 'i' },
    ]);
    expect(m.currBaseSeq).toBe(2);
    expect(m.currIncrSeq).toBe(5);
    expect(formatManifest(m)).toBe(EXAMPLE);
  });

  it('writes base, then history, then incrs whatever order the file had', () => {
    const m = parseManifest('file i1 seq 1 type i\nfile h1 seq 7 type h\nfile b3 seq 3 type b\n');
    expect(formatManifest(m)).toBe('file b3 seq 3 type b\nfile h1 seq 7 type h\nfile i1 seq 1 type i\n');
  });

  it('skips comments, ignores unknown keys, folds key case and trims blanks and CRLF', () => {
    const m = parseManifest(
      '# written by hand\n' + '  FILE a.aof Seq 3 TYPE i   extra 1\r\n' + '#file x seq 1 type b\n' + '\tfile b.aof seq 9 type iXYZ\n',
    );
    expect(m.base).toBeNull();
    expect(m.incrs).toEqual([
      { name: 'a.aof', seq: 3, type: 'i' },
      { name: 'b.aof', seq: 9, type: 'i' },
    ]);
  });

  it('reads a file holding only comments as an empty manifest', () => {
    expect(parseManifest('# nothing yet\n')).toEqual({ base: null, incrs: [], history: [], currBaseSeq: 0, currIncrSeq: 0 });
  });

  it('quotes names that need it the sdscatrepr way and reads them back', () => {
    const names = ['my file.aof', 'tab\there', 'q"uote', 'back\\slash', 'nl\nx', 'bell\x07\x08', 'hi\xff\x00', "it's"];
    const m: AofManifest = {
      base: null,
      history: [],
      incrs: names.map((name, i) => ({ name, seq: i + 1, type: 'i' as const })),
      currBaseSeq: 0,
      currIncrSeq: names.length,
    };
    const text = formatManifest(m);
    expect(text.split('\n').slice(0, -1)).toEqual([
      'file "my file.aof" seq 1 type i',
      'file "tab\\there" seq 2 type i',
      'file "q\\"uote" seq 3 type i',
      'file "back\\\\slash" seq 4 type i',
      'file "nl\\nx" seq 5 type i',
      'file "bell\\a\\b" seq 6 type i',
      'file "hi\\xff\\x00" seq 7 type i',
      // Redis would leave this one bare and then fail to read it: quoted, it reads back.
      'file "it\'s" seq 8 type i',
    ]);
    // A backslash reads back but is refused as a path separator; a NUL ends the name as C reads it.
    expect(() => parseManifest(text)).toThrow("File can't be a path, just a filename");
    const readable = text.split('\n').filter((l) => !l.includes('slash')).join('\n');
    const back = parseManifest(readable);
    expect(back.incrs.map((f) => f.name)).toEqual(names.filter((n) => !n.includes('\\')).map((n) => n.replace(/\0.*/, '')));
  });

  it('splits arguments as sdssplitargs does', () => {
    expect(splitArgs('a  "b c" \'d\\\'e\' "\\x41\\x4a\\x4" "\\q"')).toEqual(['a', 'b c', "d'e", 'AJx4', 'q']);
    expect(splitArgs('   ')).toEqual([]);
    expect(splitArgs('"foo"bar')).toBeNull();
    expect(splitArgs("'foo'bar")).toBeNull();
    expect(splitArgs('"unterminated')).toBeNull();
    expect(splitArgs("'unterminated")).toBeNull();
  });

  it.each([
    ['', 'Found an empty AOF manifest'],
    ['file a seq 1 type b', 'The AOF manifest file contains too long line'],
    [`file ${'x'.repeat(1100)} seq 1 type b\n`, 'The AOF manifest file contains too long line'],
    ['file a seq 1 type b\n\n', 'Invalid AOF manifest file format'],
    ['  \r\n', 'Invalid AOF manifest file format'],
    ['file a seq 1\n', 'Invalid AOF manifest file format'],
    ['file a seq 1 type b x\n', 'Invalid AOF manifest file format'],
    ['file "a"b seq 1 type b\n', 'Invalid AOF manifest file format'],
    ['file "a seq 1 type b\n', 'Invalid AOF manifest file format'],
    ['file a seq 0 type b\n', 'Invalid AOF manifest file format'],
    ['file a seq x type b\n', 'Invalid AOF manifest file format'],
    ['file a seq 1 type ""\n', 'Invalid AOF manifest file format'],
    ['name a seq 1 type b\n', 'Invalid AOF manifest file format'],
    ['file dir/a seq 1 type b\n', "File can't be a path, just a filename"],
    ['file dir\\\\a seq 1 type b\n', "File can't be a path, just a filename"],
    ['file a seq 1 type b\nfile b seq 2 type b\n', 'Found duplicate base file information'],
    ['file a seq 2 type i\nfile b seq 2 type i\n', 'Found a non-monotonic sequence number'],
    ['file a seq 3 type i\nfile b seq 1 type i\n', 'Found a non-monotonic sequence number'],
    ['file a seq -1 type i\n', 'Found a non-monotonic sequence number'],
    ['file a seq 1 type x\n', 'Unknown AOF file type'],
  ])('rejects %j with Redis\'s message', (text, message) => {
    const e = manifestError(text);
    expect(e.message).toBe(message);
  });

  it('reports the line the error is on', () => {
    const e = manifestError('# c\nfile a seq 1 type b\nfile b seq 2 type q\n');
    expect(e.lineNumber).toBe(3);
    expect(e.lineText).toBe('file b seq 2 type q');
  });

  it('builds file names as aof.c does', () => {
    expect(baseFileName('appendonly.aof', 1, true)).toBe('appendonly.aof.1.base.rdb');
    expect(baseFileName('appendonly.aof', 12, false)).toBe('appendonly.aof.12.base.aof');
    expect(incrFileName('appendonly.aof', 3)).toBe('appendonly.aof.3.incr.aof');
    expect(manifestFileName('appendonly.aof')).toBe('appendonly.aof.manifest');
    expect(tempFileName(manifestFileName('appendonly.aof'))).toBe('temp-appendonly.aof.manifest');
    expect(tempIncrFileName('appendonly.aof')).toBe('temp-appendonly.aof.incr');
  });

  it('makes a new base, moving the old one to the front of the history, without touching the input', () => {
    const m0 = parseManifest('file old.h seq 1 type h\n');
    const before = JSON.stringify(m0);
    const m1 = newBaseFile(m0, 'appendonly.aof', true);
    expect(m1.base).toEqual({ name: 'appendonly.aof.1.base.rdb', seq: 1, type: 'b' });
    expect(m1.currBaseSeq).toBe(1);
    const m2 = newBaseFile(m1, 'appendonly.aof', false);
    expect(m2.base).toEqual({ name: 'appendonly.aof.2.base.aof', seq: 2, type: 'b' });
    expect(m2.history).toEqual([
      { name: 'appendonly.aof.1.base.rdb', seq: 1, type: 'h' },
      { name: 'old.h', seq: 1, type: 'h' },
    ]);
    expect(JSON.stringify(m0)).toBe(before);
    expect(m1.base?.type).toBe('b');
    expect(m1.history).toHaveLength(1);
  });

  it('adds incr files with the next sequence number', () => {
    const m0 = parseManifest('file appendonly.aof.4.incr.aof seq 4 type i\n');
    const m1 = newIncrFile(m0, 'appendonly.aof');
    expect(m1.incrs.map((f) => f.name)).toEqual(['appendonly.aof.4.incr.aof', 'appendonly.aof.5.incr.aof']);
    expect(m1.currIncrSeq).toBe(5);
    expect(m0.incrs).toHaveLength(1);
    expect(m0.currIncrSeq).toBe(4);
  });

  it('turns rewritten incrs into history, keeping the open one while AOF is on', () => {
    const m0 = parseManifest(
      'file b seq 1 type b\nfile h0 seq 9 type h\nfile i1 seq 1 type i\nfile i2 seq 2 type i\nfile i3 seq 3 type i\n',
    );
    const on = markRewrittenIncrsAsHistory(m0);
    expect(on.incrs.map((f) => f.name)).toEqual(['i3']);
    expect(on.history).toEqual([
      { name: 'i1', seq: 1, type: 'h' },
      { name: 'i2', seq: 2, type: 'h' },
      { name: 'h0', seq: 9, type: 'h' },
    ]);
    const off = markRewrittenIncrsAsHistory(m0, false);
    expect(off.incrs).toEqual([]);
    expect(off.history.map((f) => f.name)).toEqual(['i1', 'i2', 'i3', 'h0']);
    expect(m0.incrs.map((f) => f.type)).toEqual(['i', 'i', 'i']);
    expect(m0.history).toHaveLength(1);
  });

  it('goes through a whole rewrite as backgroundRewriteDoneHandler does', () => {
    let m = parseManifest('file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    m = newIncrFile(m, 'appendonly.aof'); // opened when the rewrite started
    m = newBaseFile(m, 'appendonly.aof', true);
    m = markRewrittenIncrsAsHistory(m);
    // The old base goes to the history first, then the rewritten incrs in front of it.
    expect(formatManifest(m)).toBe(
      'file appendonly.aof.2.base.rdb seq 2 type b\n' +
        'file appendonly.aof.1.incr.aof seq 1 type h\n' +
        'file appendonly.aof.1.base.rdb seq 1 type h\n' +
        'file appendonly.aof.2.incr.aof seq 2 type i\n',
    );
    expect(parseManifest(formatManifest(m))).toEqual(m);
  });
});

describe('AOF command reader', () => {
  const PING = '*1\r\n$4\r\nPING\r\n';
  const SET = '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n';

  function all(buf: Buffer, start = 0): AofRecord[] {
    const r = new AofCommandReader(buf, start);
    const out: AofRecord[] = [];
    for (;;) {
      const rec = r.next();
      out.push(rec);
      if (rec.kind !== 'command' && rec.kind !== 'annotation') return out;
    }
  }

  const args = (rec: AofRecord): string[] => {
    if (rec.kind !== 'command') throw new Error(`not a command: ${rec.kind}`);
    return rec.argv.map((a) => a.toString('latin1'));
  };

  it('reads commands and annotations with their offsets, then eof', () => {
    const text = '#TS:1628217470\r\n' + SET + PING;
    const recs = all(L(text));
    expect(recs.map((r) => r.kind)).toEqual(['annotation', 'command', 'command', 'eof']);
    expect(recs[0]).toEqual({ kind: 'annotation', text: 'TS:1628217470', start: 0, end: 16 });
    expect(args(recs[1])).toEqual(['SET', 'k', 'hello']);
    expect(recs[1]).toMatchObject({ start: 16, end: 16 + SET.length });
    expect(args(recs[2])).toEqual(['PING']);
    expect(recs[2]).toMatchObject({ start: 16 + SET.length, end: text.length });
  });

  it('gives arguments as views of the buffer', () => {
    const buf = L(PING);
    const rec = new AofCommandReader(buf).next();
    if (rec.kind !== 'command') throw new Error(rec.kind);
    buf[8] = 0x70; // 'p'
    expect(rec.argv[0].toString()).toBe('pING');
  });

  it('keeps binary payloads whole, CRLF and all', () => {
    const payload = Buffer.from([0x00, 0x0d, 0x0a, 0x2a, 0x31, 0x0d, 0x0a, 0xff, 0x24]);
    const buf = encodeAofCommand(['SET', 'bin', payload, '']);
    const recs = all(buf);
    expect(recs.map((r) => r.kind)).toEqual(['command', 'eof']);
    if (recs[0].kind !== 'command') throw new Error();
    expect(recs[0].argv[2].equals(payload)).toBe(true);
    expect(recs[0].argv[3].length).toBe(0);
  });

  it('accepts an annotation without a final newline at the end of the file, and starts where told', () => {
    expect(all(L(PING + '#TS:1'))).toEqual([
      expect.objectContaining({ kind: 'command' }),
      { kind: 'annotation', text: 'TS:1', start: PING.length, end: PING.length + 5 },
      { kind: 'eof' },
    ]);
    const buf = L('REDIS0010junk' + PING);
    const recs = all(buf, 13);
    expect(recs.map((r) => r.kind)).toEqual(['command', 'eof']);
    expect(recs[0]).toMatchObject({ start: 13 });
  });

  it('calls every cut inside a command truncated, at the start of that command', () => {
    const tail = '*3\r\n$3\r\nSET\r\n$2\r\nab\r\n$4\r\nx\r\ny\r\n';
    const whole = L(PING + tail);
    expect(all(whole).map((r) => r.kind)).toEqual(['command', 'command', 'eof']);
    for (let cut = PING.length + 1; cut < whole.length; cut++) {
      const recs = all(whole.subarray(0, cut));
      expect(recs.map((r) => r.kind), `cut at ${cut}`).toEqual(['command', 'truncated']);
      expect(recs[1]).toEqual({ kind: 'truncated', offset: PING.length });
    }
  });

  it.each([
    ['inside the count', '*'],
    ['inside the count digits', '*12'],
    ['before the count LF', '*1\r'],
    ['before a bulk header', '*2\r\n$3\r\nGET\r\n'],
    ['inside a bulk header', '*1\r\n$1'],
    ['inside a payload', '*1\r\n$10\r\n0123'],
    ['missing the final CRLF', '*1\r\n$4\r\nPING'],
    ['missing the final LF', '*1\r\n$4\r\nPING\r'],
  ])('reads a file ending %s as truncated', (_what, tail) => {
    expect(all(L(PING + tail)).at(-1)).toEqual({ kind: 'truncated', offset: PING.length });
  });

  it.each([
    ['not a multibulk', '+OK\r\n'],
    ['an inline command', 'PING\r\n'],
    ['a zero count', '*0\r\n'],
    ['a negative count', '*-1\r\n'],
    ['an empty count', '*\r\n'],
    ['text in the count', '*2x\r\n'],
    ['a count without LF', '*1\rX'],
    ['a count beyond an int', '*2147483648\r\n'],
    ['a non-bulk argument', '*1\r\n:1\r\n'],
    ['a negative bulk length', '*1\r\n$-1\r\n'],
    ['text in the bulk length', '*1\r\n$3x\r\nabc\r\n'],
    ['a bulk length beyond 2^53', '*1\r\n$99999999999999999999\r\n'],
    ['no CRLF after a payload', '*1\r\n$3\r\nabcXY'],
    ['a CR but no LF after a payload', '*1\r\n$3\r\nabc\rY'],
    ['a payload longer than its length', '*1\r\n$2\r\nabc\r\n'],
    ['a corrupt byte before the data runs out', '*1\r\n$3\r\nabcX'],
  ])('reads %s as corrupt, at the start of the record', (_what, tail) => {
    expect(all(L(PING + tail)).at(-1)).toEqual({ kind: 'corrupt', offset: PING.length });
  });

  it('reads an empty bulk length as zero, as strtol does', () => {
    expect(args(new AofCommandReader(L('*2\r\n$4\r\nECHO\r\n$\r\n\r\n')).next())).toEqual(['ECHO', '']);
  });

  it('recognizes an RDB preamble', () => {
    expect(isRdbPreamble(L('REDIS0010\xfa'))).toBe(true);
    expect(isRdbPreamble(L('REDI'))).toBe(false);
    expect(isRdbPreamble(L(PING))).toBe(false);
  });

  it('encodes commands as catAppendOnlyGenericCommand does, strings as latin1', () => {
    expect(encodeAofCommand(['SET', 'k\xe9', Buffer.from([1, 2])])).toEqual(
      Buffer.concat([L('*3\r\n$3\r\nSET\r\n$2\r\nk\xe9\r\n$2\r\n'), Buffer.from([1, 2]), L('\r\n')]),
    );
    expect(encodeAofCommand(['PING']).toString('latin1')).toBe(PING);
    expect(timestampAnnotation(1628217470)).toBe('#TS:1628217470\r\n');
  });
});

describe('AOF rewrite commands', () => {
  const ZLIMITS = { maxEntries: 128, maxValue: 64 };
  const HLIMITS = { maxEntries: 128, maxValue: 64 };
  const SLIMITS: NodeLimits = { maxBytes: 4096, maxEntries: 100 };

  function rewrite(key: string, value: Value, expireAt: number | null = null): string[][] {
    const out: string[][] = [];
    rewriteKey(key, value, expireAt, (argv) => out.push(argv));
    return out;
  }

  const range = (n: number, f: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => f(i));

  it('batches 64 items per command', () => {
    expect(AOF_REWRITE_ITEMS_PER_CMD).toBe(64);
  });

  it('writes a string as SET and a TTL as PEXPIREAT after the value', () => {
    expect(rewrite('k', 'v\xff')).toEqual([['SET', 'k', 'v\xff']]);
    expect(rewrite('k', 'v', 1700000000123)).toEqual([
      ['SET', 'k', 'v'],
      ['PEXPIREAT', 'k', '1700000000123'],
    ]);
    expect(rewrite('l', new ListValue(['a']), 5).at(-1)).toEqual(['PEXPIREAT', 'l', '5']);
  });

  it('writes a list as RPUSH from head to tail in groups of 64', () => {
    const l = new ListValue(['b', 'c']);
    l.pushHead('a');
    expect(rewrite('l', l)).toEqual([['RPUSH', 'l', 'a', 'b', 'c']]);

    const items = range(64, (i) => `e${i}`);
    expect(rewrite('l', new ListValue(items))).toEqual([['RPUSH', 'l', ...items]]);

    const many = range(130, (i) => `e${i}`);
    expect(rewrite('l', new ListValue(many))).toEqual([
      ['RPUSH', 'l', ...many.slice(0, 64)],
      ['RPUSH', 'l', ...many.slice(64, 128)],
      ['RPUSH', 'l', ...many.slice(128)],
    ]);
  });

  it('writes a set as SADD, an intset in ascending order, in groups of 64', () => {
    const ints = new SetValue('10');
    for (const m of ['10', '-5', '3']) ints.add(m, 512);
    expect(rewrite('s', ints)).toEqual([['SADD', 's', '-5', '3', '10']]);

    const words = new SetValue('b');
    for (const m of ['b', 'a', 'c']) words.add(m, 512);
    expect(rewrite('s', words)).toEqual([['SADD', 's', 'b', 'a', 'c']]);

    const big = new SetValue('m');
    const members = range(65, (i) => `m${i}`);
    for (const m of members) big.add(m, 512);
    expect(rewrite('s', big)).toEqual([
      ['SADD', 's', ...members.slice(0, 64)],
      ['SADD', 's', members[64]],
    ]);
  });

  it('writes a sorted set as ZADD score member pairs with %.17g scores, in groups of 64', () => {
    const z = new ZSetValue();
    z.add('b', 2.5, ZLIMITS);
    z.add('a', 1, ZLIMITS);
    z.add('c', 0.1, ZLIMITS);
    z.add('d', -Infinity, ZLIMITS);
    z.add('e', 1e21, ZLIMITS);
    expect(rewrite('z', z)).toEqual([['ZADD', 'z', '-inf', 'd', '0.10000000000000001', 'c', '1', 'a', '2.5', 'b', '1e+21', 'e']]);

    const big = new ZSetValue();
    for (let i = 0; i < 65; i++) big.add(`m${String(i).padStart(2, '0')}`, i, ZLIMITS);
    const cmds = rewrite('z', big);
    expect(cmds).toHaveLength(2);
    expect(cmds[0]).toHaveLength(2 + 64 * 2);
    expect(cmds[0].slice(0, 6)).toEqual(['ZADD', 'z', '0', 'm00', '1', 'm01']);
    expect(cmds[1]).toEqual(['ZADD', 'z', '64', 'm64']);
  });

  it('writes a hash as HMSET field value pairs in groups of 64', () => {
    const h = new HashValue();
    h.set('f1', 'v1', HLIMITS);
    h.set('f2', '', HLIMITS);
    expect(rewrite('h', h)).toEqual([['HMSET', 'h', 'f1', 'v1', 'f2', '']]);

    const big = new HashValue();
    for (let i = 0; i < 129; i++) big.set(`f${i}`, `v${i}`, HLIMITS);
    const cmds = rewrite('h', big);
    expect(cmds.map((c) => c.length)).toEqual([2 + 128, 2 + 128, 2 + 2]);
    expect(cmds[2]).toEqual(['HMSET', 'h', 'f128', 'v128']);
    expect(cmds.flatMap((c) => c.slice(2))).toEqual(Array.from({ length: 129 }, (_, i) => [`f${i}`, `v${i}`]).flat());
  });

  it('writes an empty stream with the XADD MAXLEN 0 trick, then XSETID', () => {
    const s = new StreamValue();
    s.append({ ms: 5, seq: 0 }, ['f', 'v'], SLIMITS);
    s.deleteIds([{ ms: 5, seq: 0 }]);
    expect(rewrite('st', s)).toEqual([
      ['XADD', 'st', 'MAXLEN', '0', '0-1', 'x', 'y'],
      ['XSETID', 'st', '5-0', 'ENTRIESADDED', '1', 'MAXDELETEDID', '5-0'],
    ]);
  });

  it('writes a stream with groups, pending entries and an idle consumer', () => {
    const s = new StreamValue();
    s.append({ ms: 1, seq: 0 }, ['f', 'v'], SLIMITS);
    s.append({ ms: 2, seq: 0 }, ['a', '1', 'b', '2'], SLIMITS);
    s.append({ ms: 3, seq: 7 }, ['a', '3', 'b', '4'], SLIMITS);
    s.deleteIds([{ ms: 2, seq: 0 }]);

    // Created out of name order: the rewrite walks groups and consumers by name, as the rax does.
    const g2 = new StreamGroup('g2', { ms: 0, seq: 0 }, 0);
    s.groups.set('g2', g2);
    const g1 = new StreamGroup('g1', { ms: 3, seq: 7 }, 3);
    s.groups.set('g1', g1);
    g1.createConsumer('zed', 1000);
    const alice = g1.createConsumer('alice', 2000)!;
    for (const [ms, seq, time, count] of [
      [3, 7, 1700000000500, 1],
      [1, 0, 1700000000000, 4],
    ] as const) {
      const nack = new StreamNack(ms, seq, time, count, alice);
      g1.pel.insert(nack);
      alice.pel.insert(nack);
    }
    g2.createConsumer('bob', 3000);

    expect(rewrite('st', s, 99)).toEqual([
      ['XADD', 'st', '1-0', 'f', 'v'],
      ['XADD', 'st', '3-7', 'a', '3', 'b', '4'],
      ['XSETID', 'st', '3-7', 'ENTRIESADDED', '3', 'MAXDELETEDID', '2-0'],
      ['XGROUP', 'CREATE', 'st', 'g1', '3-7', 'ENTRIESREAD', '3'],
      ['XCLAIM', 'st', 'g1', 'alice', '0', '1-0', 'TIME', '1700000000000', 'RETRYCOUNT', '4', 'JUSTID', 'FORCE'],
      ['XCLAIM', 'st', 'g1', 'alice', '0', '3-7', 'TIME', '1700000000500', 'RETRYCOUNT', '1', 'JUSTID', 'FORCE'],
      ['XGROUP', 'CREATECONSUMER', 'st', 'g1', 'zed'],
      ['XGROUP', 'CREATE', 'st', 'g2', '0-0', 'ENTRIESREAD', '0'],
      ['XGROUP', 'CREATECONSUMER', 'st', 'g2', 'bob'],
      ['PEXPIREAT', 'st', '99'],
    ]);
  });

  it('writes a group whose read counter is unknown with ENTRIESREAD -1, and uint64 IDs exactly', () => {
    const s = new StreamValue();
    const top = 18446744073709551615n;
    s.append({ ms: top, seq: 1 }, ['f', 'v'], SLIMITS);
    s.groups.set('g', new StreamGroup('g', { ms: 0, seq: 0 }, -1));
    expect(rewrite('st', s)).toEqual([
      ['XADD', 'st', `${top}-1`, 'f', 'v'],
      ['XSETID', 'st', `${top}-1`, 'ENTRIESADDED', '1', 'MAXDELETEDID', '0-0'],
      ['XGROUP', 'CREATE', 'st', 'g', '0-0', 'ENTRIESREAD', '-1'],
    ]);
  });

  it('reads back what it writes through the encoder and the reader', () => {
    const z = new ZSetValue();
    for (let i = 0; i < 70; i++) z.add(`m\r\n${i}`, i / 3, ZLIMITS);
    const cmds = rewrite('k\x00ey', z, 1234);
    const buf = Buffer.concat(cmds.map((c) => encodeAofCommand(c)));
    const r = new AofCommandReader(buf);
    const back: string[][] = [];
    for (let rec = r.next(); rec.kind === 'command'; rec = r.next()) back.push(rec.argv.map((a) => a.toString('latin1')));
    expect(back).toEqual(cmds);
    expect(r.next()).toEqual({ kind: 'eof' });
    expect(Number(cmds[0][4])).toBe(z.score(cmds[0][5]));
  });
});
