// Differential: sharded Pub/Sub without cluster (SSUBSCRIBE SUNSUBSCRIBE SPUBLISH
// PUBSUB SHARDCHANNELS/SHARDNUMSUB), byte for byte against redis-server 7.0, RESP2 and
// RESP3; a separate namespace from the ordinary channels.
import { expect, it } from 'vitest';
import { describeDifferential } from '../helpers/diff.js';
import { RawClient } from '../helpers/raw-client.js';

async function scenario(port: number): Promise<string[]> {
  const sub = await RawClient.connect(port);
  const pub = await RawClient.connect(port);
  const r3 = await RawClient.connect(port);
  const out: string[] = [];
  try {
    sub.send('SSUBSCRIBE', 'a', 'b');
    sub.send('SUBSCRIBE', 'c');
    out.push(JSON.stringify(await sub.drain()));
    for (const argv of [
      ['SPUBLISH', 'a', 'hi'],
      ['PUBLISH', 'a', 'not for shard subscribers'],
      ['PUBSUB', 'SHARDCHANNELS', 'a'],
      ['PUBSUB', 'SHARDCHANNELS', 'b*'],
      ['PUBSUB', 'SHARDNUMSUB', 'a', 'z'],
      ['SPUBLISH', 'z', 'nobody'],
      ['COMMAND', 'GETKEYS', 'SPUBLISH', 'a', 'm'],
    ]) {
      out.push(`${argv.join(' ')} => ${JSON.stringify(await pub.call(...argv))}`);
    }
    out.push(JSON.stringify(await sub.drain()));
    sub.send('SUNSUBSCRIBE', 'a');
    sub.send('SUNSUBSCRIBE');
    sub.send('SUNSUBSCRIBE');
    out.push(JSON.stringify(await sub.drain()));
    await r3.call('HELLO', '3');
    r3.send('SSUBSCRIBE', 'q');
    out.push(JSON.stringify(await r3.drain()));
    await pub.call('SPUBLISH', 'q', 'resp3');
    out.push(JSON.stringify(await r3.drain()));
    out.push(JSON.stringify(await pub.call('MULTI')), JSON.stringify(await pub.call('SSUBSCRIBE', 'm')), JSON.stringify(await pub.call('EXEC')));
  } finally {
    sub.close();
    pub.close();
    r3.close();
  }
  return out;
}

describeDifferential('sharded Pub/Sub vs redis-server', (pair) => {
  it('SSUBSCRIBE, SPUBLISH, SUNSUBSCRIBE, PUBSUB SHARD*, RESP3 smessage, MULTI', async () => {
    expect(await scenario(pair.ours.port)).toEqual(await scenario(pair.real.port));
  });
});
