// INFO: every field Redis 7.0 prints in the sections redis-ts implements appears,
// in the same order, compared against a live redis-server; values are plausible
// and follow the server's state; ioredis's ready check (INFO loading:) works.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { RawClient } from '../helpers/raw-client.js';
import { skipWithoutRealRedis, startServer, type ServerProcess } from '../helpers/server.js';

/** Section name -> field names, in order. */
function parseInfo(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let cur: string[] | null = null;
  for (const line of text.split('\r\n')) {
    if (line.startsWith('# ')) {
      cur = [];
      out.set(line.slice(2), cur);
    } else if (line !== '' && cur !== null) {
      cur.push(line.slice(0, line.indexOf(':')));
    }
  }
  return out;
}

/** Field -> value of one INFO text. */
function infoValues(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

/** Sections whose lines depend on activity (one line per command, error, database, latency). */
const DYNAMIC = new Set(['Commandstats', 'Errorstats', 'Latencystats', 'Keyspace']);

const skip = skipWithoutRealRedis();

describe('INFO', () => {
  let srv: ServerProcess;
  let r: Redis;
  beforeAll(async () => {
    srv = await startServer();
    r = srv.client({ protocol: 2 });
  });
  afterAll(async () => {
    await srv?.stop();
  });

  describe.skipIf(skip !== null)(`field names and order vs redis-server${skip ? ` (skipped: ${skip})` : ''}`, () => {
    let real: ServerProcess;
    beforeAll(async () => {
      real = await startServer({ real: true });
    });
    afterAll(async () => {
      await real?.stop();
    });

    it('INFO everything: same sections, and the same fields in the same order in every static section', async () => {
      const ours = parseInfo((await r.info('everything')) as string);
      const theirs = parseInfo((await real.client({ protocol: 2 }).info('everything')) as string);
      expect([...ours.keys()]).toEqual([...theirs.keys()]);
      for (const [section, fields] of theirs) {
        if (DYNAMIC.has(section)) continue;
        expect(ours.get(section), section).toEqual(fields);
      }
    });

    it('a replica reports the replica fields of a replica whose link is down', async () => {
      const [o, re] = await Promise.all([
        startServer({ args: ['--replicaof', '127.0.0.1', '1'] }),
        startServer({ real: true, args: ['--replicaof', '127.0.0.1', '1'] }),
      ]);
      try {
        const ot = (await o.client({ protocol: 2 }).info('replication')) as string;
        const rt = (await re.client({ protocol: 2 }).info('replication')) as string;
        expect(parseInfo(ot)).toEqual(parseInfo(rt));
        const ov = infoValues(ot);
        expect(ov.get('role')).toBe('slave');
        expect(ov.get('master_host')).toBe('127.0.0.1');
        expect(ov.get('master_port')).toBe('1');
        expect(ov.get('master_link_status')).toBe('down');
      } finally {
        await Promise.all([o.stop(), re.stop()]);
      }
    });

    it('commandstats and errorstats lines have Redis\'s format, subcommands as container|sub', async () => {
      const fresh = await startServer();
      try {
        const c = fresh.client({ protocol: 2 });
        await c.set('k', 'v');
        await c.get('k');
        await c.get('k');
        await c.call('CLIENT', 'GETNAME');
        await c.call('NOSUCHCMD').catch(() => undefined);
        await c.call('GET').catch(() => undefined);
        await c.call('SET', 'k', 'v', 'XX', 'NX').catch(() => undefined);
        const stats = (await c.info('commandstats')) as string;
        expect(stats).toMatch(/\r\ncmdstat_get:calls=2,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=1,failed_calls=0\r\n/);
        expect(stats).toMatch(/\r\ncmdstat_set:calls=2,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=1\r\n/);
        expect(stats).toMatch(/\r\ncmdstat_client\|getname:calls=1,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0\r\n/);
        expect(stats).not.toContain('cmdstat_del:');
        const errs = (await c.info('errorstats')) as string;
        expect(errs).toBe('# Errorstats\r\nerrorstat_ERR:count=3\r\n');
        const st = infoValues((await c.info('stats')) as string);
        expect(st.get('total_error_replies')).toBe('3');
        expect(Number(st.get('total_commands_processed'))).toBeGreaterThanOrEqual(6);
      } finally {
        await fresh.stop();
      }
    });
  });

  it('INFO is a bulk string with \\r\\n line endings and sections separated by one blank line', async () => {
    const c = await RawClient.connect(srv.port);
    try {
      const raw = await c.call('INFO', 'server', 'clients');
      const m = /^\$(\d+)\r\n/.exec(raw)!;
      const body = raw.slice(m[0].length, raw.length - 2);
      expect(body.length).toBe(Number(m[1]));
      expect(body.startsWith('# Server\r\nredis_version:7.0.15\r\n')).toBe(true);
      expect(body).toContain('\r\n\r\n# Clients\r\n');
      expect(body.endsWith('\r\n')).toBe(true);
      expect(body.replace(/\r\n/g, '')).not.toContain('\n');
      expect(await c.call('INFO', 'nosuch')).toBe('$0\r\n\r\n');
      await c.call('HELLO', '3');
      expect(await c.call('INFO', 'modules')).toBe('=15\r\ntxt:# Modules\r\n\r\n');
    } finally {
      c.close();
    }
  });

  it('values follow the server state', async () => {
    const c = srv.client({ protocol: 2 });
    await c.flushall();
    await c.set('a', '1');
    await c.set('b', '2', 'EX', 1000);
    await c.select(3);
    await c.set('c', '3');
    const v = infoValues((await c.info('everything')) as string);
    expect(v.get('process_id')).toBe(String(srv.pid));
    expect(v.get('tcp_port')).toBe(String(srv.port));
    expect(v.get('run_id')).toMatch(/^[0-9a-f]{40}$/);
    expect(v.get('redis_mode')).toBe('standalone');
    expect(Number(v.get('uptime_in_seconds'))).toBeGreaterThanOrEqual(0);
    expect(Math.abs(Number(v.get('server_time_usec')) / 1e6 - Date.now() / 1000)).toBeLessThan(5);
    expect(Number(v.get('connected_clients'))).toBeGreaterThanOrEqual(2);
    expect(v.get('maxclients')).toBe('10000');
    expect(Number(v.get('used_memory'))).toBeGreaterThan(0);
    expect(v.get('used_memory_human')).toMatch(/^\d+(\.\d\d[KMGTP])?B?$/);
    expect(Number(v.get('used_memory_peak'))).toBeGreaterThanOrEqual(Number(v.get('used_memory')));
    expect(Number(v.get('used_memory_rss'))).toBeGreaterThan(0);
    expect(v.get('maxmemory_policy')).toBe('noeviction');
    expect(v.get('loading')).toBe('0');
    expect(Number(v.get('rdb_changes_since_last_save'))).toBeGreaterThanOrEqual(3);
    expect(v.get('role')).toBe('master');
    expect(v.get('connected_slaves')).toBe('0');
    expect(v.get('master_failover_state')).toBe('no-failover');
    expect(v.get('master_replid')).toMatch(/^[0-9a-f]{40}$/);
    expect(v.get('master_replid2')).toBe('0'.repeat(40));
    expect(v.get('second_repl_offset')).toBe('-1');
    expect(v.get('repl_backlog_size')).toBe('1048576');
    expect(v.get('used_cpu_user')).toMatch(/^\d+\.\d{6}$/);
    expect(v.get('cluster_enabled')).toBe('0');
    expect(v.get('db0')).toBe('keys=2,expires=1,avg_ttl=' + v.get('db0')!.split('avg_ttl=')[1]);
    expect(v.get('db3')).toBe('keys=1,expires=0,avg_ttl=0');
    expect(v.has('db1')).toBe(false);
    // No password is ever shown.
    expect(JSON.stringify([...v])).not.toMatch(/requirepass|masterauth/);
  });

  it('counts hits, misses, connections and pub/sub subscriptions', async () => {
    const c = srv.client({ protocol: 2 });
    const before = infoValues((await c.info('stats')) as string);
    await c.set('hit', 'x');
    await c.get('hit');
    await c.get('miss');
    const sub = srv.client({ protocol: 2 });
    await sub.subscribe('ch1', 'ch2');
    await sub.psubscribe('p*');
    const after = infoValues((await c.info('stats')) as string);
    expect(Number(after.get('keyspace_hits')) - Number(before.get('keyspace_hits'))).toBe(1);
    expect(Number(after.get('keyspace_misses')) - Number(before.get('keyspace_misses'))).toBe(1);
    expect(Number(after.get('total_connections_received'))).toBeGreaterThan(Number(before.get('total_connections_received')));
    expect(after.get('pubsub_channels')).toBe('2');
    expect(after.get('pubsub_patterns')).toBe('1');
    sub.disconnect();
  });

  it("ioredis's ready check reads INFO (RESP3 verbatim and RESP2)", async () => {
    for (const protocol of [3, 2] as const) {
      const c = srv.client({ protocol, enableReadyCheck: true, lazyConnect: true });
      // Capture what the ready check parsed from INFO.
      const rc = c as unknown as { _readyCheck(cb: (err: Error | null, info: Record<string, string>) => void): void };
      const orig = rc._readyCheck.bind(c);
      let parsed: Record<string, string> | null = null;
      rc._readyCheck = (cb) =>
        orig((err, info) => {
          parsed = info;
          cb(err, info);
        });
      await c.connect();
      expect(c.status).toBe('ready');
      const info = parsed as Record<string, string> | null;
      expect(info).not.toBeNull();
      expect(info!.redis_version).toBe('7.0.15');
      expect(info!.loading).toBe('0');
      expect(await c.ping()).toBe('PONG');
    }
  });
});
