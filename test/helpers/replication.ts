// Helpers for replication tests: bounded waits, offsets, and a full dataset dump
// compared across servers (any implementation, through ioredis).

import type { Redis } from 'ioredis';

/** Polls `check` until it returns true; throws with `what` after timeoutMs. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

/** INFO replication as a map. */
/** One INFO section's fields. */
export async function infoFields(r: Redis, section: string): Promise<Record<string, string>> {
  const text = await r.info(section);
  const out: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

export function replInfo(r: Redis): Promise<Record<string, string>> {
  return infoFields(r, 'replication');
}

export function statsInfo(r: Redis): Promise<Record<string, string>> {
  return infoFields(r, 'stats');
}

/** Waits until the replica's link is up and its offset equals the master's. */
export async function waitInSync(master: Redis, replica: Redis, timeoutMs = 30000): Promise<void> {
  await waitFor(
    'replica in sync with master',
    async () => {
      const m = await replInfo(master);
      const r = await replInfo(replica);
      return r.master_link_status === 'up' && m.master_repl_offset === r.slave_repl_offset;
    },
    timeoutMs,
  );
}

/** Every key of every database with its type, value and whether it has a TTL. */
export async function dumpAll(r: Redis, dbs = 16): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (let db = 0; db < dbs; db++) {
    await r.select(db);
    const names = (await r.keys('*')).sort();
    for (const k of names) {
      const type = await r.type(k);
      let value: unknown;
      if (type === 'string') value = (await r.getBuffer(k))?.toString('base64');
      else if (type === 'list') value = await r.lrange(k, 0, -1);
      else if (type === 'set') value = (await r.smembers(k)).sort();
      else if (type === 'hash') value = Object.entries(await r.hgetall(k)).sort();
      else if (type === 'zset') value = await r.call('ZRANGE', k, '0', '-1', 'WITHSCORES');
      else if (type === 'stream') {
        // Entries, and groups with their pending entries (times left out: they differ).
        const groups = ((await r.xinfo('GROUPS', k)) as unknown[][]).map((g) => g.filter((_, i) => i % 2 === 1 || i === 0));
        const pending = await r.xpending(k, 'group1', '-', '+', 1000).catch(() => []);
        value = { entries: await r.xrange(k, '-', '+'), groups, pending: (pending as unknown[][]).map((p) => [p[0], p[1], p[3]]) };
      }
      const pttl = await r.pttl(k);
      out[`${db}/${k}`] = { type, value, ttl: pttl > 0 ? 'yes' : String(pttl) };
    }
  }
  await r.select(0);
  return out;
}
