// Differential: keyspace notifications of the keyspace itself (expired, keymiss, new)
// and of CONFIG SET notify-keyspace-events, compared with redis-server 7.0.
import { it } from 'vitest';
import { describeDifferential, expectSame, lines } from '../helpers/diff.js';
import { expectSameEvents } from '../helpers/notify.js';

describeDifferential('keyspace notifications (core) vs redis-server', { args: ['--enable-debug-command', 'yes'] }, (pair) => {
  it('CONFIG SET/GET notify-keyspace-events canonicalises the classes', async () => {
    await expectSame(
      pair,
      lines(`
        CONFIG SET notify-keyspace-events KEA
        CONFIG GET notify-keyspace-events
        CONFIG SET notify-keyspace-events Eglshzxet$Km
        CONFIG GET notify-keyspace-events
        CONFIG SET notify-keyspace-events n
        CONFIG GET notify-keyspace-events
        CONFIG SET notify-keyspace-events Kq
        CONFIG GET notify-keyspace-events
        CONFIG SET notify-keyspace-events ""
        CONFIG GET notify-keyspace-events
      `),
    );
  });

  it('expired (lazy), keymiss and new events', async () => {
    await expectSameEvents(
      pair,
      [
        ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
        ['SET', 'k', 'v', 'PX', '1'],
        ['DEBUG', 'SLEEP', '0.01'],
        ['GET', 'k'],
        ['GET', 'nokey'],
        ['SET', 'fresh', 'v'],
        ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
      ],
      'KEAmn',
    );
  });
});
