// SWAPDB wakes clients blocked on keys that the swap brings into their database
// (scanDatabaseForReadyKeys), and leaves them blocked when the key is of no use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { startServer, type ServerProcess } from '../helpers/server.js';
import { waitFor } from '../helpers/replication.js';

describe('SWAPDB and blocked clients', () => {
  let srv: ServerProcess;
  beforeAll(async () => {
    srv = await startServer();
  });
  afterAll(async () => {
    await srv?.stop();
  });

  const blocked = async (admin: RawClient) => Number(/blocked_clients:(\d+)/.exec(await admin.call('INFO', 'clients'))![1]);

  it('a BRPOP in db 9 is served by a list that SWAPDB brings from db 1', async () => {
    const admin = await RawClient.connect(srv.port);
    await admin.call('FLUSHALL');
    await admin.call('SELECT', '1');
    expect(await admin.call('RPUSH', 'k', 'a', 'b', 'c')).toBe(':3\r\n');
    const waiter = await RawClient.connect(srv.port);
    expect(await waiter.call('SELECT', '9')).toBe('+OK\r\n');
    waiter.send('BRPOP', 'k', '5');
    await waitFor('the client to block', async () => (await blocked(admin)) === 1, 5000);
    expect(await admin.call('SWAPDB', '1', '9')).toBe('+OK\r\n');
    expect(await waiter.reply()).toBe('*2\r\n$1\r\nk\r\n$1\r\nc\r\n');
    await admin.call('SELECT', '9');
    expect(await admin.call('LRANGE', 'k', '0', '-1')).toBe('*2\r\n$1\r\na\r\n$1\r\nb\r\n');
    waiter.close();
    admin.close();
  });

  it('a waiter stays blocked when the swapped-in key has the wrong type', async () => {
    const admin = await RawClient.connect(srv.port);
    await admin.call('FLUSHALL');
    await admin.call('SELECT', '1');
    await admin.call('SET', 'k', 'string');
    const waiter = await RawClient.connect(srv.port);
    await waiter.call('SELECT', '9');
    waiter.send('BLPOP', 'k', '0');
    await waitFor('the client to block', async () => (await blocked(admin)) === 1, 5000);
    expect(await admin.call('SWAPDB', '1', '9')).toBe('+OK\r\n');
    expect(await admin.call('PING')).toBe('+PONG\r\n');
    expect(await blocked(admin)).toBe(1);
    waiter.close();
    admin.close();
  });
});
