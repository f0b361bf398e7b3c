// COPY of large collections: the copy is built iteratively (a 200k-member sorted set
// once overflowed the stack through a recursive object-graph copy), is independent
// of its source, and keeps the encoding.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../helpers/server.js';

describe('COPY of large values', () => {
  let srv: ServerProcess;
  beforeAll(async () => {
    srv = await startServer();
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('copies a 200k-member sorted set and a geo set, independently of the source', async () => {
    const r = srv.client();
    for (let i = 0; i < 200_000; i += 5000) {
      const args: string[] = [];
      for (let j = i; j < i + 5000; j++) args.push(String(j), `m${j}`);
      await r.zadd('z', ...args);
    }
    expect(await r.call('COPY', 'z', 'z2')).toBe(1);
    expect(await r.zcard('z2')).toBe(200_000);
    expect(await r.call('DEBUG', 'DIGEST-VALUE', 'z')).toEqual(await r.call('DEBUG', 'DIGEST-VALUE', 'z2'));
    expect(await r.zrange('z2', '199998', '-1', 'WITHSCORES')).toEqual(['m199998', '199998', 'm199999', '199999']);
    expect(await r.zrank('z2', 'm123456')).toBe(123456);
    await r.zadd('z2', 5, 'extra');
    await r.zrem('z2', 'm0');
    expect(await r.zcard('z')).toBe(200_000);
    expect(await r.zscore('z', 'm0')).toBe('0');
    expect(await r.zscore('z', 'extra')).toBeNull();
    expect(await r.object('ENCODING', 'z2')).toBe('skiplist');

    await r.geoadd('g', 13.361389, 38.115556, 'Palermo', 15.087269, 37.502669, 'Catania');
    expect(await r.call('COPY', 'g', 'g2')).toBe(1);
    expect(await r.geopos('g2', 'Palermo')).toEqual(await r.geopos('g', 'Palermo'));
    expect(await r.object('ENCODING', 'g2')).toBe('listpack');
  });
});
