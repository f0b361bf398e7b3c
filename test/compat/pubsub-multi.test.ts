// Differential: pub/sub sessions (push messages in RESP2 and RESP3) and WATCH/MULTI
// across two connections, compared byte for byte with redis-server 7.0.
import { expect, it } from 'vitest';
import { describeDifferential } from '../helpers/diff.js';
import { RawClient } from '../helpers/raw-client.js';

type Step = [who: 'a' | 'b', argv: string[], replies: number];

/** Runs steps over two connections; each step reads `replies` replies from its connection. */
async function session(port: number, steps: Step[], resp3: boolean): Promise<string[]> {
  const a = await RawClient.connect(port);
  const b = await RawClient.connect(port);
  try {
    await a.call('FLUSHALL');
    if (resp3) {
      await a.call('HELLO', '3');
      await b.call('HELLO', '3');
    }
    const out: string[] = [];
    for (const [who, argv, n] of steps) {
      const c = who === 'a' ? a : b;
      if (argv.length > 0) c.send(...argv);
      for (let i = 0; i < n; i++) out.push(`${who} ${argv.join(' ')} => ${await c.reply()}`);
    }
    return out;
  } finally {
    a.close();
    b.close();
  }
}

describeDifferential('pub/sub and transactions vs redis-server', (pair) => {
  const pubsub: Step[] = [
    ['a', ['SUBSCRIBE', 'ch1', 'ch2'], 2],
    ['a', ['PSUBSCRIBE', 'news.*'], 1],
    ['b', ['PUBLISH', 'ch1', 'hello'], 1],
    ['a', [], 1],
    ['b', ['PUBLISH', 'news.tech', 'x\x00y'], 1],
    ['a', [], 1],
    ['b', ['PUBSUB', 'NUMSUB', 'ch1', 'ch3'], 1],
    ['b', ['PUBSUB', 'NUMPAT'], 1],
    ['a', ['PING'], 1],
    ['a', ['PING', 'msg'], 1],
    ['a', ['GET', 'k'], 1],
    ['a', ['UNSUBSCRIBE', 'ch2'], 1],
    ['a', ['PUNSUBSCRIBE'], 1],
    ['a', ['UNSUBSCRIBE'], 1],
    ['a', ['UNSUBSCRIBE'], 1],
    ['a', ['PING'], 1],
  ];

  for (const resp3 of [false, true]) {
    it(`subscribe, publish, pattern messages, unsubscribe (RESP${resp3 ? 3 : 2})`, async () => {
      const mine = await session(pair.ours.port, pubsub, resp3);
      const theirs = await session(pair.real.port, pubsub, resp3);
      expect(mine).toEqual(theirs);
    });
  }

  const watch: Step[] = [
    ['a', ['SET', 'w', '1'], 1],
    ['a', ['WATCH', 'w'], 1],
    ['b', ['SET', 'w', '2'], 1],
    ['a', ['MULTI'], 1],
    ['a', ['INCR', 'w'], 1],
    ['a', ['EXEC'], 1],
    ['a', ['GET', 'w'], 1],
    ['a', ['WATCH', 'w'], 1],
    ['a', ['MULTI'], 1],
    ['a', ['INCR', 'w'], 1],
    ['a', ['EXEC'], 1],
    ['a', ['WATCH', 'gone'], 1],
    ['b', ['SET', 'gone', 'x'], 1],
    ['b', ['DEL', 'gone'], 1],
    ['a', ['MULTI'], 1],
    ['a', ['PING'], 1],
    ['a', ['EXEC'], 1],
    ['a', ['WATCH', 'f'], 1],
    ['b', ['FLUSHALL'], 1],
    ['a', ['MULTI'], 1],
    ['a', ['EXEC'], 1],
    ['a', ['MULTI'], 1],
    ['a', ['SET', 'x', '1'], 1],
    ['a', ['INCR', 'x', 'extra'], 1],
    ['a', ['EXEC'], 1],
    ['a', ['MULTI'], 1],
    ['a', ['SET', 'x', 'notanumber'], 1],
    ['a', ['INCR', 'x'], 1],
    ['a', ['GET', 'x'], 1],
    ['a', ['EXEC'], 1],
  ];

  for (const resp3 of [false, true]) {
    it(`WATCH invalidation by another client, EXECABORT, errors inside EXEC (RESP${resp3 ? 3 : 2})`, async () => {
      const mine = await session(pair.ours.port, watch, resp3);
      const theirs = await session(pair.real.port, watch, resp3);
      expect(mine).toEqual(theirs);
    });
  }
});
