// Blocking timeouts longer than a Node timer can hold (2^31-1 ms) must still wait.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { startServer, type ServerProcess } from '../helpers/server.js';
import { waitFor } from '../helpers/replication.js';

describe('long blocking timeouts', () => {
  let srv: ServerProcess;
  beforeAll(async () => {
    srv = await startServer();
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('BLPOP with a 35-day timeout keeps waiting and is then served', async () => {
    const waiter = await RawClient.connect(srv.port);
    const other = await RawClient.connect(srv.port);
    waiter.send('BLPOP', 'far', '3000000');
    await waitFor('the client to block', async () => (await other.call('INFO', 'clients')).includes('blocked_clients:1'));
    // Still blocked a while later (a Node timer over 2^31-1 ms would have fired at once).
    await new Promise((r) => setTimeout(r, 200));
    expect(await other.call('INFO', 'clients')).toContain('blocked_clients:1');
    expect(await other.call('RPUSH', 'far', 'x')).toBe(':1\r\n');
    expect(await waiter.reply()).toBe('*2\r\n$3\r\nfar\r\n$1\r\nx\r\n');
    waiter.close();
    other.close();
  });
});
