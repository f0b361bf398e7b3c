// The Prometheus endpoint (metrics-port): scraped while a replica's full sync runs
// (slowed by rdb-key-save-delay) and after it; every line parses as exposition text,
// redis_exporter's names carry the replication figures, full syncs are histograms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServer, type ServerProcess } from '../helpers/server.js';
import { waitFor, waitInSync } from '../helpers/replication.js';

interface Metric {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus text format; throws on a line that is not valid. */
function parseExposition(text: string): Metric[] {
  const out: Metric[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.e+]+|NaN|\+Inf|-Inf)$/.exec(line);
    if (m === null) throw new Error(`not exposition text: ${line}`);
    const labels: Record<string, string> = {};
    if (m[3] !== undefined) {
      for (const l of m[3].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    }
    out.push({ name: m[1], labels, value: Number(m[4]) });
  }
  return out;
}

async function scrape(port: number): Promise<Metric[]> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return parseExposition(await res.text());
}

const value = (ms: Metric[], name: string, labels: Record<string, string> = {}) =>
  ms.find((m) => m.name === name && Object.entries(labels).every(([k, v]) => m.labels[k] === v))?.value;

describe('metrics-port', () => {
  let master: ServerProcess;
  let replica: ServerProcess | null = null;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    master = await startServer({ args: ['--metrics-port', String(port), '--repl-diskless-sync-delay', '0'] });
  });
  afterAll(async () => {
    await Promise.all([master?.stop(), replica?.stop()]);
  });

  it('serves INFO under redis_exporter names while a replica syncs, and full-sync histograms after', async () => {
    const m = master.client();
    await m.debug('POPULATE', '3000', 'key', '200');
    // One millisecond per key: the full sync lasts about three seconds.
    await m.config('SET', 'rdb-key-save-delay', '1000');
    const before = await scrape(port);
    expect(value(before, 'redis_connected_slaves')).toBe(0);
    expect(value(before, 'redis_db_keys', { db: 'db0' })).toBe(3000);
    expect(value(before, 'redis_ts_full_sync_duration_seconds_count')).toBe(0);
    replica = await startServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await waitFor('the full sync is under way', async () => value(await scrape(port), 'redis_connected_slaves') === 1, 10000);
    const during = await scrape(port);
    const states = during.filter((x) => x.name === 'redis_connected_slave_offset_bytes').map((x) => x.labels.slave_state);
    expect(states).toHaveLength(1);
    expect(['wait_bgsave', 'send_bulk', 'online']).toContain(states[0]);
    // The sync's progress: bytes sent on the master (and its estimated total), bytes read on the replica.
    const rep = replica.client();
    await waitFor(
      'the payload is being sent',
      async () => /sync_sent_bytes=[1-9]\d*,sync_total_bytes=[1-9]\d*/.test(await m.info('replication')),
      10000,
    );
    await waitFor('the replica reports what it read', async () => /master_sync_read_bytes:[1-9]/.test(await rep.info('replication')), 10000);
    await waitInSync(m, rep, 30000);
    expect(await m.info('replication')).not.toContain('sync_sent_bytes');
    await m.config('SET', 'rdb-key-save-delay', '0');
    await m.set('after', 'sync');
    await waitInSync(m, replica.client());
    const labels = { slave_ip: '127.0.0.1', slave_port: String(replica.port), slave_state: 'online' };
    // The master learns the replica's offset from its next ACK (once a second).
    let after: Metric[] = [];
    await waitFor(
      "the master saw the replica's ACK",
      async () => {
        after = await scrape(port);
        return value(after, 'redis_connected_slave_offset_bytes', labels) === value(after, 'redis_master_repl_offset');
      },
      10000,
    );
    expect(value(after, 'redis_connected_slave_lag_bytes', labels)).toBe(0);
    expect(value(after, 'redis_connected_slave_lag_seconds', labels)).toBe(0);
    expect(value(after, 'redis_ts_full_sync_duration_seconds_count')).toBe(1);
    expect(value(after, 'redis_ts_full_sync_duration_seconds_sum')).toBeGreaterThan(2);
    // (LZF compresses DEBUG POPULATE's padded values well.)
    expect(value(after, 'redis_ts_full_sync_size_bytes_sum')).toBeGreaterThan(3000 * 10);
    expect(value(after, 'redis_commands_processed_total')).toBeGreaterThan(0);
    expect(value(after, 'redis_memory_used_bytes')).toBeGreaterThan(0);
    expect(value(after, 'redis_commands_total', { cmd: 'set' })).toBe(1);
    const notFound = await fetch(`http://127.0.0.1:${port}/other`);
    expect(notFound.status).toBe(404);
  });
});
