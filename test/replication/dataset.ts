// A dataset with every type and encoding, several databases, TTLs and big values,
// written through any client (to a real redis-server or to redis-ts).

import type { Redis } from 'ioredis';

export async function fillDataset(r: Redis, opts: { zsets?: boolean; streams?: boolean } = {}): Promise<void> {
  const p = r.pipeline();
  p.select(0);
  p.set('str:int', '12345');
  p.set('str:neg', '-9223372036854775808');
  p.set('str:bin', Buffer.from([0, 1, 2, 255, 254, 13, 10, 0]));
  p.set('str:empty', '');
  p.set('str:lzf', 'a'.repeat(5000));
  p.set('str:big', Buffer.alloc(300 * 1024, 7));
  p.set('str:ttl', 'x', 'EX', 100000);
  p.rpush('list:small', 'a', 'b', 'c', '1', '2');
  p.rpush('list:big', ...Array.from({ length: 5000 }, (_, i) => `element-${i}`));
  p.hset('hash:small', 'f1', 'v1', 'f2', '2');
  p.hset('hash:big', ...Array.from({ length: 1200 }, (_, i) => [`field${i}`, `value${i}`]).flat());
  p.hset('hash:longval', 'f', 'x'.repeat(100));
  p.sadd('set:int', '1', '2', '3', '-4');
  p.sadd('set:str', 'a', 'b', 'c');
  p.sadd('set:big', ...Array.from({ length: 1000 }, (_, i) => String(i * 7)));
  p.pexpire('hash:small', 5000000);
  p.select(3);
  p.set('db3:key', 'in db 3');
  p.rpush('db3:list', 'x');
  p.select(15);
  p.set('db15:key', 'in db 15');
  p.select(0);
  await p.exec();
  if (opts.zsets !== false) {
    await r.zadd('zset:small', 1, 'one', 2.5, 'two', -3, 'minus');
    await r.zadd('zset:big', ...Array.from({ length: 300 }, (_, i) => [String(i / 3), `member${i}`]).flat());
    await r.geoadd('geo', 13.361389, 38.115556, 'Palermo', 15.087269, 37.502669, 'Catania');
  }
  await r.pfadd('hll:small', 'a', 'b', 'c');
  await r.pfadd('hll:dense', ...Array.from({ length: 5000 }, (_, i) => `e${i}`));
  if (opts.streams !== false) {
    for (let i = 1; i <= 250; i++) await r.xadd('stream', `${i}-1`, 'field', `value${i}`, 'n', String(i));
    await r.xgroup('CREATE', 'stream', 'group1', '0');
    await r.xreadgroup('GROUP', 'group1', 'alice', 'COUNT', '10', 'STREAMS', 'stream', '>');
    await r.xreadgroup('GROUP', 'group1', 'bob', 'COUNT', '5', 'STREAMS', 'stream', '>');
    await r.xack('stream', 'group1', '1-1', '2-1');
    await r.xdel('stream', '100-1');
  }
}

/** A mixed write load of `n` commands. */
export async function mixedWrites(r: Redis, n: number, tag: string, opts: { zsets?: boolean } = {}): Promise<void> {
  const p = r.pipeline();
  for (let i = 0; i < n; i++) {
    switch (i % 9) {
      case 0:
        p.set(`live:${tag}:${i}`, `v${i}`);
        break;
      case 1:
        p.incr(`live:${tag}:counter`);
        break;
      case 2:
        p.rpush(`live:${tag}:list`, `e${i}`);
        break;
      case 3:
        p.hset(`live:${tag}:hash`, `f${i}`, `v${i}`);
        break;
      case 4:
        p.sadd(`live:${tag}:set`, `m${i}`);
        break;
      case 5:
        p.del(`live:${tag}:${i - 5}`);
        break;
      case 6:
        p.set(`live:${tag}:ttl${i}`, 'v', 'EX', 100000);
        break;
      case 7:
        if (opts.zsets !== false) p.zadd(`live:${tag}:zset`, i, `m${i}`);
        else p.lpop(`live:${tag}:list`);
        break;
      default:
        // A transaction inside the pipeline: MULTI ... EXEC replicate as one block.
        p.call('MULTI');
        p.incrby(`live:${tag}:counter`, 10);
        p.append(`live:${tag}:appended`, 'x');
        p.call('EXEC');
    }
  }
  await p.exec();
}
