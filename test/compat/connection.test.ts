// Differential: connection commands answer byte for byte like redis-server 7.0.
import { expect, it } from 'vitest';
import { describeDifferential, diffScript, lines } from '../helpers/diff.js';

describeDifferential('connection commands vs redis-server', (pair) => {
  it('PING, ECHO, SELECT, unknown commands and arity errors', async () => {
    const r = await diffScript(
      pair,
      lines(`
        PING
        PING hello
        PING a b
        ECHO "bin\\x00ary\\r\\n"
        ECHO
        SELECT 1
        SELECT 16
        SELECT -1
        SELECT abc
        SELECT 99999999999999999999
        NOSUCHCOMMAND a b c
        nosuch
        AUTH pass
        AUTH a b c
        AUTH default whatever
        AUTH someone whatever
        HELLO 4
        HELLO abc
        HELLO 2 FOO
        PUBSUB NOSUCH
        PUBSUB
        PUBSUB NUMPAT
        PUBSUB NUMSUB a b
        PUBSUB CHANNELS
        PUBLISH ch msg
        RESET
      `),
    );
    expect(r.ours).toEqual(r.real);
  });

  it('MULTI/EXEC/DISCARD/WATCH errors', async () => {
    const r = await diffScript(
      pair,
      lines(`
        EXEC
        DISCARD
        MULTI
        MULTI
        PING
        ECHO
        EXEC
        MULTI
        WATCH x
        PING
        EXEC
        MULTI
        DISCARD
        WATCH a b
        UNWATCH
      `),
    );
    expect(r.ours).toEqual(r.real);
  });
});
