// Differential: every non-blocking list command (and the blocking ones' immediate
// paths) answers byte for byte like redis-server 7.0, in RESP2 and RESP3.
import { expect, it } from 'vitest';
import { describeDifferential, expectSame, lines, runScript, type Script } from '../helpers/diff.js';

describeDifferential('list commands vs redis-server', (pair) => {
  it('LPUSH RPUSH LPUSHX RPUSHX LLEN and emptied keys', async () => {
    await expectSame(
      pair,
      lines(`
        LPUSHX l a
        RPUSHX l a
        GET l
        LPUSH l a b c
        RPUSH l d e
        LPUSHX l x y
        RPUSHX l z
        LLEN l
        LLEN nokey
        LRANGE l 0 -1
        RPUSH n 1 -1 007 9223372036854775807 -9223372036854775808 9223372036854775808 1.5 " 3"
        LRANGE n 0 -1
        LPOP l
        RPOP l
        LLEN l
        RPUSH one only
        LPOP one
        GET one
        RPUSH one only
        RPOP one
        GET one
      `),
    );
  });

  it('LPOP/RPOP with and without count, null shapes and count errors', async () => {
    await expectSame(
      pair,
      lines(`
        LPOP nokey
        RPOP nokey
        LPOP nokey 0
        LPOP nokey 3
        RPOP nokey 3
        LPOP nokey -1
        LPOP nokey abc
        RPUSH l a b c d e
        LPOP l 0
        LPOP l -1
        RPOP l -5
        LPOP l 1.5
        LPOP l 2
        RPOP l 2
        LPOP l 1
        LPOP l 1 2
        RPOP l 1 2 3
        LPOP l
        GET l
        RPUSH l a b c
        RPOP l 100
        GET l
        RPUSH l a b c
        LPOP l 9223372036854775807
        RPUSH l a b c
        RPOP l 9223372036854775807
        LPOP l 9223372036854775808
        SET s v
        LPOP s
        LPOP s 0
        LPOP s -1
        RPOP s 2
      `),
    );
  });

  it('LRANGE and LINDEX with negative and out-of-range indexes', async () => {
    await expectSame(
      pair,
      lines(`
        LRANGE nokey 0 -1
        LRANGE nokey a b
        LINDEX nokey 0
        LINDEX nokey abc
        RPUSH l a b c d e f g
        LRANGE l 0 -1
        LRANGE l 0 0
        LRANGE l -1 -1
        LRANGE l -3 -1
        LRANGE l -100 2
        LRANGE l 2 100
        LRANGE l 5 2
        LRANGE l 7 10
        LRANGE l -100 -50
        LRANGE l -8 -8
        LRANGE l 0 -8
        LRANGE l 0 9223372036854775807
        LRANGE l -9223372036854775808 9223372036854775807
        LRANGE l 0 9223372036854775808
        LRANGE l x 1
        LRANGE l 1 y
        LRANGE l 1.0 2
        LINDEX l 0
        LINDEX l 6
        LINDEX l 7
        LINDEX l -1
        LINDEX l -7
        LINDEX l -8
        LINDEX l abc
        LINDEX l 9223372036854775807
        LINDEX l -9223372036854775808
      `),
    );
  });

  it('LSET LINSERT LREM LTRIM', async () => {
    await expectSame(
      pair,
      lines(`
        LSET nokey 0 x
        LSET nokey abc x
        RPUSH l a b c a b c a
        LSET l 0 A
        LSET l -1 Z
        LSET l 7 x
        LSET l -8 x
        LSET l abc x
        LRANGE l 0 -1
        LINSERT nokey BEFORE a x
        LINSERT l before b X
        LINSERT l AFTER c Y
        LINSERT l after Z tail
        LINSERT l BEFORE A head
        LINSERT l BEFORE missing x
        LINSERT l MIDDLE a x
        LINSERT nokey MIDDLE a x
        LRANGE l 0 -1
        LREM l 0 nothing
        LREM l 1 b
        LRANGE l 0 -1
        LREM l -1 c
        LRANGE l 0 -1
        LREM l 0 a
        LRANGE l 0 -1
        LREM l abc a
        LREM nokey 1 a
        LREM nokey abc a
        RPUSH r x y x y x y x
        LREM r -2 x
        LRANGE r 0 -1
        LREM r 2 y
        LRANGE r 0 -1
        LREM r 0 x
        LREM r 0 y
        GET r
        LTRIM nokey 0 1
        LTRIM nokey a 1
        RPUSH t 1 2 3 4 5 6 7 8 9
        LTRIM t 1 -2
        LRANGE t 0 -1
        LTRIM t -3 100
        LRANGE t 0 -1
        LTRIM t 0 0
        LRANGE t 0 -1
        LTRIM t 1 0
        GET t
        RPUSH t 1 2 3
        LTRIM t 5 10
        GET t
        RPUSH t 1 2 3
        LTRIM t -1 -2
        GET t
        RPUSH t 1 2 3
        LTRIM t -100 -100
        GET t
        RPUSH t 1 2 3
        LTRIM t x 1
        LTRIM t 0 y
        LTRIM t -100 100
        LRANGE t 0 -1
      `),
    );
  });

  it('LPOS with RANK, COUNT and MAXLEN combinations and errors', async () => {
    await expectSame(
      pair,
      lines(`
        LPOS nokey a
        LPOS nokey a COUNT 0
        LPOS nokey a RANK 2
        LPOS nokey a RANK 0
        RPUSH l a b c 1 2 3 c c a b
        LPOS l a
        LPOS l c
        LPOS l x
        LPOS l x COUNT 0
        LPOS l c RANK 2
        LPOS l c RANK -1
        LPOS l c RANK -3
        LPOS l c RANK 5
        LPOS l c RANK -5
        LPOS l c COUNT 0
        LPOS l c COUNT 2
        LPOS l c COUNT 1
        LPOS l c COUNT 0 RANK 2
        LPOS l c COUNT 0 RANK -1
        LPOS l c COUNT 2 RANK -2
        LPOS l c MAXLEN 3
        LPOS l c MAXLEN 2
        LPOS l c MAXLEN 7 COUNT 0
        LPOS l c MAXLEN 8 COUNT 0
        LPOS l c RANK -1 MAXLEN 3 COUNT 0
        LPOS l c RANK -1 MAXLEN 1
        LPOS l c RANK 2 MAXLEN 7
        LPOS l c RANK 2 MAXLEN 8
        LPOS l c MAXLEN 0 COUNT 0
        LPOS l c rank 1 count 3 maxlen 0
        LPOS l 1
        LPOS l c RANK 0
        LPOS l c RANK abc
        LPOS l c RANK -9223372036854775807
        LPOS l c RANK 9223372036854775807
        LPOS l c COUNT -1
        LPOS l c COUNT abc
        LPOS l c MAXLEN -1
        LPOS l c MAXLEN abc
        LPOS l c RANK
        LPOS l c COUNT
        LPOS l c MAXLEN
        LPOS l c FOO 1
        LPOS l c RANK 1 FOO
        LPOS l c COUNT 1 COUNT 2
        LPOS l c RANK 1 RANK -1
        SET s v
        LPOS s a
        LPOS s a RANK 0
        LPOS s a COUNT 1
      `),
    );
  });

  it('LMOVE and RPOPLPUSH in every direction', async () => {
    await expectSame(
      pair,
      lines(`
        LMOVE nokey dst LEFT LEFT
        RPOPLPUSH nokey dst
        GET dst
        RPUSH src a b c d e
        LMOVE src dst LEFT LEFT
        LMOVE src dst LEFT RIGHT
        LMOVE src dst RIGHT LEFT
        LMOVE src dst right right
        LRANGE src 0 -1
        LRANGE dst 0 -1
        RPOPLPUSH src dst
        GET src
        LRANGE dst 0 -1
        LMOVE dst dst LEFT RIGHT
        LMOVE dst dst RIGHT LEFT
        RPOPLPUSH dst dst
        LRANGE dst 0 -1
        RPUSH single x
        LMOVE single single LEFT LEFT
        LRANGE single 0 -1
        RPOPLPUSH single single
        LMOVE single other UP LEFT
        LMOVE single other LEFT DOWN
        LMOVE nokey other UP LEFT
        SET s v
        LMOVE s dst LEFT LEFT
        LMOVE dst s LEFT LEFT
        RPOPLPUSH s dst
        RPOPLPUSH dst s
        LMOVE nokey s LEFT LEFT
        RPOPLPUSH nokey s
        LRANGE dst 0 -1
        LMOVE a b LEFT
        RPOPLPUSH a
        RPOPLPUSH a b c
      `),
    );
  });

  it('LMPOP: numkeys, direction, COUNT and errors', async () => {
    await expectSame(
      pair,
      lines(`
        LMPOP 1 nokey LEFT
        LMPOP 2 nokey other RIGHT COUNT 5
        RPUSH a 1 2 3 4 5
        RPUSH b x y
        LMPOP 2 nokey a LEFT
        LMPOP 2 nokey a RIGHT
        LMPOP 2 a b LEFT COUNT 2
        LMPOP 2 b a right count 10
        LMPOP 2 b a right count 10
        LMPOP 1 a LEFT COUNT 100
        GET a
        GET b
        RPUSH a 1 2 3
        LMPOP 0 a LEFT
        LMPOP -1 a LEFT
        LMPOP abc a LEFT
        LMPOP 2 a LEFT
        LMPOP 3 a b LEFT
        LMPOP 9223372036854775807 a LEFT
        LMPOP 1 a MIDDLE
        LMPOP 1 a LEFT COUNT 0
        LMPOP 1 a LEFT COUNT -1
        LMPOP 1 a LEFT COUNT abc
        LMPOP 1 a LEFT COUNT
        LMPOP 1 a LEFT COUNT 1 COUNT 1
        LMPOP 1 a LEFT FOO
        LMPOP 1 a LEFT COUNT 9223372036854775807
        LMPOP 1
        LMPOP 1 a
        SET s v
        LMPOP 2 nokey s LEFT
        RPUSH a 1
        LMPOP 2 a s LEFT
        LMPOP 2 s a LEFT
      `),
    );
  });

  it('blocking commands answer at once when they can, and never block inside MULTI', async () => {
    await expectSame(
      pair,
      lines(`
        RPUSH a 1 2 3
        BLPOP nokey a 0
        BRPOP nokey a 0
        BLPOP a 0.5
        GET a
        RPUSH a 1 2 3 4
        BLMPOP 0 2 nokey a LEFT COUNT 2
        BLMPOP 0 1 a RIGHT
        BLMOVE a b LEFT RIGHT 0
        BRPOPLPUSH b a 0
        LRANGE a 0 -1
        BLPOP a -1
        BLPOP a abc
        BLPOP a nan
        BLMOVE a b LEFT RIGHT -1
        BLMOVE a b UP RIGHT abc
        BLMOVE a b LEFT UP 0
        BRPOPLPUSH a b -0.5
        BLMPOP -1 1 a LEFT
        BLMPOP abc 1 a LEFT
        BLMPOP abc 0 a LEFT
        BLMPOP 0 0 a LEFT
        BLMPOP 0 2 a LEFT
        BLMPOP 0 1 a UP
        BLMPOP 0 1 a LEFT COUNT 0
        BLMPOP 0 1 a LEFT COUNT 1 FOO
        BLMPOP 0 1 a
        SET s v
        BLPOP s 0
        BLPOP nokey s 0
        BRPOP s a 0
        BLMOVE s a LEFT LEFT 0
        BLMOVE a s LEFT LEFT 0
        BRPOPLPUSH s a 0
        BLMPOP 0 2 nokey s LEFT
        BLPOP
        BLPOP a
        BLMOVE a b LEFT RIGHT
        BRPOPLPUSH a b
        BLMPOP 0 1
        MULTI
        BLPOP nokey 0
        BRPOP nokey other 0
        BLMOVE nokey b LEFT LEFT 0
        BRPOPLPUSH nokey b 0
        BLMPOP 0 1 nokey LEFT
        BLPOP a 0
        BLPOP s 0
        BLMOVE s b LEFT LEFT 0
        BLPOP nokey -1
        EXEC
      `),
    );
  });

  it('binary-safe elements with \\x00, \\xff and CRLF', async () => {
    await expectSame(
      pair,
      lines(`
        RPUSH "k\\x00ey" "a\\x00b" "\\xff\\xfe" "\\r\\n" "" "\\x00"
        LRANGE "k\\x00ey" 0 -1
        LPOS "k\\x00ey" "\\xff\\xfe"
        LPOS "k\\x00ey" ""
        LINSERT "k\\x00ey" AFTER "\\x00" "\\x80"
        LREM "k\\x00ey" 0 "a\\x00b"
        LINDEX "k\\x00ey" -1
        LSET "k\\x00ey" 0 "\\x00\\x00"
        LMOVE "k\\x00ey" "\\xffdst" RIGHT LEFT
        LMPOP 1 "k\\x00ey" LEFT COUNT 10
        LRANGE "\\xffdst" 0 -1
      `),
    );
  });

  it('wrong arity for every list command', async () => {
    await expectSame(
      pair,
      lines(`
        LPUSH
        LPUSH k
        RPUSH k
        LPUSHX k
        RPUSHX k
        LPOP
        RPOP
        LLEN
        LLEN a b
        LRANGE k 0
        LRANGE k 0 1 2
        LINDEX k
        LINDEX k 0 1
        LSET k 0
        LINSERT k BEFORE p
        LINSERT k BEFORE p e x
        LREM k 0
        LTRIM k 0
        LPOS k
        LMOVE a b LEFT
        RPOPLPUSH a
        LMPOP 1 a
        BLPOP k
        BRPOP k
        BLMOVE a b LEFT LEFT
        BRPOPLPUSH a b
        BLMPOP 0 1 a
      `),
    );
  });

  it('WRONGTYPE against a string key for every list command', async () => {
    await expectSame(
      pair,
      lines(`
        SET s v
        LPUSH s a
        RPUSH s a
        LPUSHX s a
        RPUSHX s a
        LPOP s
        RPOP s
        LPOP s 2
        LLEN s
        LRANGE s 0 -1
        LINDEX s 0
        LSET s 0 x
        LINSERT s BEFORE a b
        LREM s 0 a
        LTRIM s 0 1
        LPOS s a
        LMOVE s d LEFT LEFT
        RPOPLPUSH s d
        LMPOP 1 s LEFT
        BLPOP s 0
        BRPOP s 0
        BLMOVE s d LEFT LEFT 0
        BRPOPLPUSH s d 0
        BLMPOP 0 1 s LEFT
        GET s
      `),
    );
  });

  it('large lists of 10^5 elements: LLEN and LRANGE slices', async () => {
    const script: Script = [];
    const N = 100_000;
    const CHUNK = 10_000;
    for (let base = 0; base < N; base += CHUNK) {
      const argv = ['RPUSH', 'big'];
      for (let i = base; i < base + CHUNK; i++) argv.push(`e${i}`);
      script.push(argv);
    }
    script.push(['LPUSH', 'big', 'h2', 'h1']);
    script.push(['LLEN', 'big']);
    script.push(['LRANGE', 'big', '0', '99']);
    script.push(['LRANGE', 'big', '50000', '50100']);
    script.push(['LRANGE', 'big', '-100', '-1']);
    script.push(['LRANGE', 'big', '0', '-1']);
    script.push(['LINDEX', 'big', '77777']);
    script.push(['LINDEX', 'big', '-77777']);
    script.push(['LPOS', 'big', 'e99999']);
    script.push(['LPOS', 'big', 'e5', 'RANK', '-1']);
    script.push(['LSET', 'big', '60000', 'mid']);
    script.push(['LINSERT', 'big', 'BEFORE', 'e50000', 'ins']);
    script.push(['LREM', 'big', '0', 'e40000']);
    script.push(['LRANGE', 'big', '39990', '40010']);
    script.push(['LPOP', 'big', '1000']);
    script.push(['RPOP', 'big', '1000']);
    script.push(['LTRIM', 'big', '1000', '-1000']);
    script.push(['LLEN', 'big']);
    script.push(['LRANGE', 'big', '0', '9']);
    script.push(['LRANGE', 'big', '-10', '-1']);
    script.push(['LMPOP', '1', 'big', 'RIGHT', 'COUNT', '50000']);
    script.push(['LLEN', 'big']);
    script.push(['LRANGE', 'big', '-5', '-1']);
    const [ours, real] = await Promise.all([runScript(pair.ours.port, script), runScript(pair.real.port, script)]);
    expect(ours.length).toBe(real.length);
    for (let i = 0; i < ours.length; i++) {
      // Compare without printing megabytes on failure.
      if (ours[i] !== real[i]) expect(`${script[i].slice(0, 4).join(' ')} => ${ours[i].slice(0, 300)}`).toBe(`${script[i].slice(0, 4).join(' ')} => ${real[i].slice(0, 300)}`);
    }
    expect(ours[script.findIndex((a) => a[0] === 'LLEN')]).toBe(':100002\r\n');
  });

  it('OBJECT ENCODING of a list is "quicklist"', async () => {
    const ours = await runScript(pair.ours.port, lines(`RPUSH l a\nOBJECT ENCODING l`));
    const real = await runScript(pair.real.port, lines(`RPUSH l a\nOBJECT ENCODING l`));
    expect(ours).toEqual(real);
    expect(ours[1]).toBe('$9\r\nquicklist\r\n');
  });
});
