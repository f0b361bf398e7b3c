// Keyspace-notification capture for differential tests: a subscriber on every
// __keyspace@*__ and __keyevent@*__ channel records the events a command sequence
// produces, so the same sequence can be compared between redis-ts and redis-server.

import { expect } from 'vitest';
import type { DiffPair } from './diff.js';
import { RawClient } from './raw-client.js';

const MARKER_CHANNEL = '__notify_test_marker__';

/**
 * Runs `script` on one connection of the server at `port`, with
 * notify-keyspace-events set to `classes`, and returns the notifications it caused
 * as "channel message" lines, in order. Each command is followed by a marker so the
 * capture knows everything before it arrived (no waiting on time).
 */
export async function captureEvents(port: number, script: string[][], classes = 'KEA'): Promise<string[]> {
  const sub = await RawClient.connect(port);
  const cmd = await RawClient.connect(port);
  try {
    await cmd.call('CONFIG', 'SET', 'notify-keyspace-events', classes);
    await sub.call('PSUBSCRIBE', '__key*__:*');
    await sub.call('SUBSCRIBE', MARKER_CHANNEL);
    const events: string[] = [];
    for (const argv of script) {
      await cmd.call(...argv);
      await cmd.call('PUBLISH', MARKER_CHANNEL, 'x');
      // Read until the marker: everything the command caused came before it.
      for (;;) {
        const r = await sub.reply();
        const parts = r.split('\r\n').filter((p, i) => i % 2 === 0 && p !== '');
        // pmessage pattern channel message / message channel message
        const words = r.split('\r\n').filter((p) => p !== '' && !p.startsWith('*') && !p.startsWith('$') && !p.startsWith('>'));
        void parts;
        if (words[0] === 'message' && words[1] === MARKER_CHANNEL) break;
        if (words[0] === 'pmessage') events.push(`${argv[0].toLowerCase()}: ${words[2]} ${words[3]}`);
      }
    }
    await cmd.call('CONFIG', 'SET', 'notify-keyspace-events', '');
    return events;
  } finally {
    sub.close();
    cmd.close();
  }
}

/** Runs the script on both servers (after FLUSHALL) and expects the same notifications. */
export async function expectSameEvents(pair: DiffPair, script: string[][], classes = 'KEA'): Promise<void> {
  const run = async (port: number) => {
    const c = await RawClient.connect(port);
    await c.call('FLUSHALL');
    c.close();
    return captureEvents(port, script, classes);
  };
  const ours = await run(pair.ours.port);
  const real = await run(pair.real.port);
  expect(ours).toEqual(real);
}
