// Differential: client-side caching (CLIENT TRACKING) against redis-server 7.0: the
// invalidation messages each connection receives, byte for byte. What a connection
// received is read by sending PING and taking every reply before the PONG, so no
// test waits on time.
import { expect, it } from 'vitest';
import { describeDifferential } from '../helpers/diff.js';
import { RawClient } from '../helpers/raw-client.js';

async function scenario(port: number): Promise<string[]> {
  const out: string[] = [];
  const writer = await RawClient.connect(port);
  // Client ids differ between the servers (other connections): they are shown by role.
  const ids = new Map<string, string>();
  const log = (label: string, replies: string[]) => {
    let text = JSON.stringify(replies);
    // Only integer replies (":<id>" at a reply's or a line's start) are ids.
    for (const [value, role] of ids) text = text.replace(new RegExp(`(^|"|\\\\n):${value}\\\\r`, 'g'), `$1:<${role}>\\r`);
    out.push(`${label}: ${text}`);
  };
  try {
    await writer.call('FLUSHALL');
    // RESP2 tracking redirected to a RESP2 subscriber of __redis__:invalidate.
    const redir = await RawClient.connect(port);
    const id = (await redir.call('CLIENT', 'ID')).slice(1, -2);
    ids.set(id, 'redirect id');
    await redir.call('SUBSCRIBE', '__redis__:invalidate');
    const a = await RawClient.connect(port);
    log('tracking on', [await a.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', id)]);
    await a.call('GET', 'k1');
    await a.call('MGET', 'k2', 'k3');
    await writer.call('SET', 'k1', '1');
    await writer.call('DEL', 'k2');
    await writer.call('SET', 'k3', 'x');
    await writer.call('SET', 'k1', 'again');
    log('redirected', await redir.drain());
    log('trackinginfo redirected', [await a.call('CLIENT', 'TRACKINGINFO'), await a.call('CLIENT', 'GETREDIR')]);

    // RESP3 on the same connection: the invalidation of its own write follows the reply.
    const c = await RawClient.connect(port);
    await c.call('HELLO', '3');
    await c.call('CLIENT', 'TRACKING', 'ON');
    await c.call('GET', 'z');
    c.send('SET', 'z', '1');
    log('own write', [await c.reply(), await c.reply()]);
    await c.call('GET', 'z');
    await writer.call('FLUSHALL');
    log('flushall', await c.drain());

    // NOLOOP: its own writes are not reported.
    const n = await RawClient.connect(port);
    await n.call('HELLO', '3');
    await n.call('CLIENT', 'TRACKING', 'ON', 'NOLOOP');
    await n.call('GET', 'nl');
    await n.call('SET', 'nl', '1');
    log('noloop', await n.drain());

    // OPTIN: only after CLIENT CACHING YES.
    const o = await RawClient.connect(port);
    await o.call('HELLO', '3');
    await o.call('CLIENT', 'TRACKING', 'ON', 'OPTIN');
    await o.call('GET', 'oi1');
    await o.call('CLIENT', 'CACHING', 'YES');
    await o.call('GET', 'oi2');
    await writer.call('MSET', 'oi1', 'x', 'oi2', 'y');
    log('optin', await o.drain());
    log('optin info', [await o.call('CLIENT', 'TRACKINGINFO')]);

    // BCAST with prefixes.
    const b = await RawClient.connect(port);
    await b.call('HELLO', '3');
    log('bcast errors', [
      await b.call('CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'a', 'PREFIX', 'ab'),
      await b.call('CLIENT', 'TRACKING', 'ON', 'PREFIX', 'a'),
      await b.call('CLIENT', 'TRACKING', 'ON', 'BCAST', 'OPTIN'),
    ]);
    await b.call('CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'a:', 'PREFIX', 'b:');
    await writer.call('SET', 'a:1', 'x');
    await writer.call('SET', 'b:2', 'x');
    await writer.call('SET', 'c:3', 'x');
    log('bcast', await b.drain());
    log('bcast info', [await b.call('CLIENT', 'TRACKINGINFO')]);

    // A redirect to a client that went away.
    const gone = await RawClient.connect(port);
    const goneId = (await gone.call('CLIENT', 'ID')).slice(1, -2);
    ids.set(goneId, 'gone id');
    const r3 = await RawClient.connect(port);
    await r3.call('HELLO', '3');
    await r3.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', goneId);
    await r3.call('GET', 'rb');
    gone.close();
    await gone.waitClosed();
    // CLIENT KILL is not needed: the server sees the close before the next command.
    await writer.call('PING');
    await writer.call('SET', 'rb', '1');
    log('redirect broken', await r3.drain());
    log('errors', [
      await writer.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', '999999'),
      await writer.call('CLIENT', 'CACHING', 'YES'),
      await writer.call('CLIENT', 'TRACKING', 'MAYBE'),
    ]);
    for (const x of [redir, a, c, n, o, b, r3]) x.close();
  } finally {
    writer.close();
  }
  return out;
}

describeDifferential('client-side caching (CLIENT TRACKING) vs redis-server', (pair) => {
  it('invalidations: redirect to RESP2 Pub/Sub, RESP3 own writes, flush, NOLOOP, OPTIN, BCAST, broken redirect', async () => {
    const ours = await scenario(pair.ours.port);
    const real = await scenario(pair.real.port);
    expect(ours).toEqual(real);
  });
});
