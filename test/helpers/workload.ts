// A seeded random write workload over every data type, in the spirit of Redis's
// own createComplexDataset: small key spaces per database so commands collide,
// *STORE commands across keys, binary values, ±inf scores, expiring keys, moves
// between databases, MULTI blocks with SELECT inside, and blocking pops served by
// other connections' pushes. Deterministic for a seed: a failure names its seed.

import type { Redis } from 'ioredis';

/** mulberry32: small, fast, and good enough to drive a workload. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

export type Arg = string | Buffer;
export type Cmd = Arg[];

const KEYS_PER_TYPE = 12;

/** Key names are typed, so most commands hit a key of the right type; some collide on purpose. */
function key(rng: Rng, type: string): string {
  return rng.chance(0.03) ? `${rng.pick(['str', 'list', 'set', 'zset', 'hash'])}:${rng.int(KEYS_PER_TYPE)}` : `${type}:${rng.int(KEYS_PER_TYPE)}`;
}

function value(rng: Rng): Arg {
  switch (rng.int(6)) {
    case 0:
      return String(rng.int(1000) - 500);
    case 1: {
      // Binary: CR, LF, NUL and high bytes.
      const b = Buffer.alloc(1 + rng.int(20));
      for (let i = 0; i < b.length; i++) b[i] = rng.int(256);
      return b;
    }
    case 2:
      return 'x'.repeat(rng.int(200));
    case 3:
      return String(rng.next() * 1000);
    default:
      return `v${rng.int(50)}`;
  }
}

function member(rng: Rng): Arg {
  return rng.chance(0.2) ? value(rng) : `m${rng.int(30)}`;
}

function score(rng: Rng): string {
  const r = rng.int(20);
  if (r === 0) return '+inf';
  if (r === 1) return '-inf';
  if (r < 8) return String(rng.int(100));
  return String((rng.next() - 0.5) * 1e4);
}

function ttlMs(rng: Rng): string {
  // Mostly short, so keys expire (and are deleted on the master) while the run goes on.
  return String(rng.chance(0.7) ? 20 + rng.int(2000) : 100000 + rng.int(100000));
}

function many<T>(rng: Rng, max: number, f: () => T): T[] {
  const out: T[] = [];
  for (let i = 1 + rng.int(max); i > 0; i--) out.push(f());
  return out;
}

/** One random write (or read-modify-write) command in the current database. */
export function randomCommand(rng: Rng, dbs: readonly number[]): Cmd {
  const r = rng.int(100);
  if (r < 14) {
    switch (rng.int(9)) {
      case 0:
        return ['SET', key(rng, 'str'), value(rng)];
      case 1:
        return ['SET', key(rng, 'str'), value(rng), 'PX', ttlMs(rng)];
      case 2:
        return ['APPEND', key(rng, 'str'), value(rng)];
      case 3:
        return ['INCRBY', key(rng, 'int'), String(rng.int(100) - 50)];
      case 4:
        return ['INCRBYFLOAT', key(rng, 'flt'), String((rng.next() - 0.5) * 10)];
      case 5:
        return ['SETRANGE', key(rng, 'str'), String(rng.int(40)), value(rng)];
      case 6:
        return ['GETDEL', key(rng, 'str')];
      case 7:
        return ['GETEX', key(rng, 'str'), 'PX', ttlMs(rng)];
      default:
        return ['SETBIT', key(rng, 'bits'), String(rng.int(2000)), String(rng.int(2))];
    }
  }
  if (r < 30) {
    switch (rng.int(11)) {
      case 0:
        return ['LPUSH', key(rng, 'list'), ...many(rng, 5, () => value(rng))];
      case 1:
        return ['RPUSH', key(rng, 'list'), ...many(rng, 5, () => value(rng))];
      case 2:
        return ['LPOP', key(rng, 'list')];
      case 3:
        return ['RPOP', key(rng, 'list'), String(1 + rng.int(3))];
      case 4:
        return ['LREM', key(rng, 'list'), String(rng.int(5) - 2), value(rng)];
      case 5:
        return ['LINSERT', key(rng, 'list'), rng.pick(['BEFORE', 'AFTER']), value(rng), value(rng)];
      case 6:
        return ['LSET', key(rng, 'list'), String(rng.int(6) - 3), value(rng)];
      case 7:
        return ['LTRIM', key(rng, 'list'), String(rng.int(5)), String(rng.int(40) - 5)];
      case 8:
        return ['LMOVE', key(rng, 'list'), key(rng, 'list'), rng.pick(['LEFT', 'RIGHT']), rng.pick(['LEFT', 'RIGHT'])];
      case 9:
        return ['RPUSH', `bl:${rng.int(3)}`, value(rng)];
      default:
        return ['LPUSH', `bl:${rng.int(3)}`, value(rng)];
    }
  }
  if (r < 44) {
    switch (rng.int(8)) {
      case 0:
      case 1:
        return ['SADD', key(rng, 'set'), ...many(rng, 6, () => member(rng))];
      case 2:
        return ['SREM', key(rng, 'set'), ...many(rng, 3, () => member(rng))];
      case 3:
        return ['SPOP', key(rng, 'set'), ...(rng.chance(0.5) ? [String(1 + rng.int(4))] : [])];
      case 4:
        return ['SMOVE', key(rng, 'set'), key(rng, 'set'), member(rng)];
      default:
        return [rng.pick(['SUNIONSTORE', 'SINTERSTORE', 'SDIFFSTORE']), key(rng, 'set'), key(rng, 'set'), key(rng, 'set')];
    }
  }
  if (r < 60) {
    switch (rng.int(9)) {
      case 0:
      case 1:
        return ['ZADD', key(rng, 'zset'), ...many(rng, 5, () => [score(rng), member(rng)]).flat()];
      case 2:
        return ['ZREM', key(rng, 'zset'), member(rng), member(rng)];
      case 3:
        return ['ZINCRBY', key(rng, 'zset'), String(rng.int(20) - 10), member(rng)];
      case 4:
        return ['ZPOPMIN', key(rng, 'zset'), String(1 + rng.int(3))];
      case 5:
        return ['ZREMRANGEBYSCORE', key(rng, 'zset'), String(rng.int(50)), String(50 + rng.int(50))];
      case 6:
        return ['ZRANGESTORE', key(rng, 'zset'), key(rng, 'zset'), '0', String(rng.int(10))];
      default:
        return [
          rng.pick(['ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE']),
          key(rng, 'zset'),
          '2',
          key(rng, 'zset'),
          rng.chance(0.3) ? key(rng, 'set') : key(rng, 'zset'),
        ];
    }
  }
  if (r < 72) {
    switch (rng.int(5)) {
      case 0:
      case 1:
        return ['HSET', key(rng, 'hash'), ...many(rng, 4, () => [`f${rng.int(20)}`, value(rng)]).flat()];
      case 2:
        return ['HDEL', key(rng, 'hash'), `f${rng.int(20)}`, `f${rng.int(20)}`];
      case 3:
        return ['HINCRBY', key(rng, 'hash'), `n${rng.int(5)}`, String(rng.int(100) - 50)];
      default:
        return ['HINCRBYFLOAT', key(rng, 'hash'), `d${rng.int(5)}`, String((rng.next() - 0.5) * 3)];
    }
  }
  if (r < 78) {
    switch (rng.int(6)) {
      case 0:
      case 1:
        return ['XADD', key(rng, 'stream'), 'MAXLEN', '~', '40', '*', 'f', value(rng)];
      case 2:
        return ['XDEL', key(rng, 'stream'), `${rng.int(5)}-${rng.int(3)}`];
      case 3:
        return ['XGROUP', 'CREATE', key(rng, 'stream'), 'g', '0', 'MKSTREAM'];
      case 4:
        return ['XREADGROUP', 'GROUP', 'g', `c${rng.int(3)}`, 'COUNT', '3', 'STREAMS', key(rng, 'stream'), '>'];
      default:
        return ['XTRIM', key(rng, 'stream'), 'MAXLEN', String(rng.int(30))];
    }
  }
  if (r < 82) {
    return rng.chance(0.7) ? ['PFADD', key(rng, 'hll'), ...many(rng, 8, () => member(rng))] : ['PFMERGE', key(rng, 'hll'), key(rng, 'hll')];
  }
  // Keyspace commands.
  const anyType = () => `${rng.pick(['str', 'list', 'set', 'zset', 'hash', 'stream'])}:${rng.int(KEYS_PER_TYPE)}`;
  switch (rng.int(12)) {
    case 0:
    case 1:
      return ['DEL', anyType(), ...(rng.chance(0.3) ? [anyType()] : [])];
    case 2:
      return ['UNLINK', anyType()];
    case 3:
    case 4:
      return ['PEXPIRE', anyType(), ttlMs(rng)];
    case 5:
      return ['PERSIST', anyType()];
    case 6: {
      const t = rng.pick(['str', 'list', 'set', 'zset', 'hash']);
      return ['RENAME', `${t}:${rng.int(KEYS_PER_TYPE)}`, `${t}:${rng.int(KEYS_PER_TYPE)}`];
    }
    case 7: {
      const t = rng.pick(['str', 'list', 'set', 'zset', 'hash']);
      return ['COPY', `${t}:${rng.int(KEYS_PER_TYPE)}`, `${t}:${rng.int(KEYS_PER_TYPE)}`, ...(rng.chance(0.5) ? ['REPLACE'] : [])];
    }
    case 8:
      return ['MOVE', anyType(), String(rng.pick(dbs))];
    case 9:
      return ['COPY', anyType(), anyType(), 'DB', String(rng.pick(dbs))];
    case 10:
      return ['EXPIREAT', anyType(), String(Math.floor(Date.now() / 1000) + (rng.chance(0.2) ? -1 : 1000))];
    default:
      return ['SET', key(rng, 'str'), value(rng), 'KEEPTTL'];
  }
}

/** A MULTI block that switches databases inside it, as one ioredis transaction. */
export function randomTransaction(rng: Rng, dbs: readonly number[]): Cmd[] {
  const out: Cmd[] = [['SELECT', String(rng.pick(dbs))]];
  for (let i = 1 + rng.int(6); i > 0; i--) {
    if (rng.chance(0.3)) out.push(['SELECT', String(rng.pick(dbs))]);
    out.push(randomCommand(rng, dbs));
  }
  return out;
}

export interface WorkloadStats {
  commands: number;
  transactions: number;
  blockingServed: number;
  errors: number;
}

/**
 * Writes until `until()` says stop: one connection per database, one running MULTI
 * blocks across databases, one blocking on lists the others push to.
 */
export async function runWorkload(
  clients: { perDb: { db: number; client: Redis }[]; multi: Redis; blocking: { db: number; client: Redis }[] },
  dbs: readonly number[],
  seed: number,
  until: () => boolean,
): Promise<WorkloadStats> {
  const stats: WorkloadStats = { commands: 0, transactions: 0, blockingServed: 0, errors: 0 };
  const writer = async (c: Redis, db: number, rng: Rng) => {
    await c.select(db);
    while (!until()) {
      const p = c.pipeline();
      const n = 10 + rng.int(30);
      for (let i = 0; i < n; i++) {
        const [name, ...args] = randomCommand(rng, dbs);
        p.call(name as string, ...args);
      }
      const res = (await p.exec()) ?? [];
      stats.commands += n;
      for (const [err] of res) if (err) stats.errors++;
    }
  };
  const multi = async (c: Redis, rng: Rng) => {
    while (!until()) {
      const t = c.multi();
      for (const [name, ...args] of randomTransaction(rng, dbs)) t.call(name as string, ...args);
      await t.exec().catch(() => stats.errors++);
      stats.transactions++;
    }
  };
  const blocker = async (c: Redis, db: number, rng: Rng) => {
    await c.select(db);
    while (!until()) {
      const k = `bl:${rng.int(3)}`;
      const timeout = (0.01 + rng.next() * 0.1).toFixed(3);
      const r = rng.int(4);
      let res: Promise<unknown>;
      if (r === 0) res = c.call('BLPOP', k, `bl:${rng.int(3)}`, timeout);
      else if (r === 1) res = c.call('BRPOPLPUSH', k, `list:${rng.int(KEYS_PER_TYPE)}`, timeout);
      else if (r === 2) res = c.call('BLMOVE', k, `bl:${rng.int(3)}`, 'LEFT', 'RIGHT', timeout);
      else res = c.call('BZPOPMIN', `zset:${rng.int(KEYS_PER_TYPE)}`, timeout);
      // A wrong-type destination is an error reply: part of the mix, not a failure.
      if ((await res.catch(() => null)) !== null) stats.blockingServed++;
    }
  };
  const base = new Rng(seed);
  await Promise.all([
    ...clients.perDb.map(({ client, db }) => writer(client, db, new Rng(base.int(2 ** 31)))),
    multi(clients.multi, new Rng(base.int(2 ** 31))),
    ...clients.blocking.map(({ client, db }) => blocker(client, db, new Rng(base.int(2 ** 31)))),
  ]);
  return stats;
}
