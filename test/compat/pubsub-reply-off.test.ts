// Pub/sub pushes reach a subscriber that turned replies off (CLIENT REPLY OFF/SKIP),
// in RESP3 and RESP2, byte for byte as redis-server 7.0 sends them.
import { expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { describeDifferential, type DiffPair } from '../helpers/diff.js';

/** Everything the subscriber receives, given a publisher's messages in between. */
async function transcript(port: number, resp3: boolean, mode: 'OFF' | 'SKIP'): Promise<string> {
  const sub = await RawClient.connect(port);
  const pub = await RawClient.connect(port);
  let out = '';
  if (resp3) {
    sub.send('HELLO', '3');
    await sub.reply();
  }
  sub.send('CLIENT', 'REPLY', mode);
  sub.send('SUBSCRIBE', 'ch');
  sub.send('PSUBSCRIBE', 'c*');
  out += await sub.reply();
  out += await sub.reply();
  expect(await pub.call('PUBLISH', 'ch', 'hello')).toBe(':2\r\n');
  out += await sub.reply();
  out += await sub.reply();
  sub.send('UNSUBSCRIBE', 'ch');
  out += await sub.reply();
  sub.close();
  pub.close();
  return out;
}

describeDifferential('pub/sub pushes under CLIENT REPLY OFF and SKIP', (pair: DiffPair) => {
  for (const resp3 of [true, false]) {
    for (const mode of ['OFF', 'SKIP'] as const) {
      it(`RESP${resp3 ? 3 : 2}, CLIENT REPLY ${mode}`, async () => {
        const real = await transcript(pair.real.port, resp3, mode);
        expect(await transcript(pair.ours.port, resp3, mode)).toBe(real);
      });
    }
  }
});
