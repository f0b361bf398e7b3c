// The Prometheus endpoint (`metrics-port`, 0: off): GET /metrics answers INFO in
// Prometheus text format. Fields redis_exporter knows keep its metric names
// (redis_connected_slaves, redis_connected_slave_offset_bytes{...}, redis_db_keys{db}
// ...); every other numeric INFO field is exported as redis_<field>. Full syncs served
// are histograms of their duration and size.

import { createServer, type Server as HttpServer } from 'node:http';
import type { Histogram } from '../util/histogram.js';
import { genInfoString } from './info.js';
import type { Server } from './server.js';

type Labels = Record<string, string>;

interface Sample {
  name: string;
  labels: Labels | null;
  value: number;
}

/** INFO fields exported under redis_exporter's names (and kinds). */
const RENAMED: Record<string, [name: string, type: 'gauge' | 'counter']> = {
  connected_slaves: ['redis_connected_slaves', 'gauge'],
  master_repl_offset: ['redis_master_repl_offset', 'gauge'],
  total_commands_processed: ['redis_commands_processed_total', 'counter'],
  total_connections_received: ['redis_connections_received_total', 'counter'],
  used_memory: ['redis_memory_used_bytes', 'gauge'],
  used_memory_rss: ['redis_memory_used_rss_bytes', 'gauge'],
  maxmemory: ['redis_memory_max_bytes', 'gauge'],
  connected_clients: ['redis_connected_clients', 'gauge'],
  expired_keys: ['redis_expired_keys_total', 'counter'],
  evicted_keys: ['redis_evicted_keys_total', 'counter'],
  keyspace_hits: ['redis_keyspace_hits_total', 'counter'],
  keyspace_misses: ['redis_keyspace_misses_total', 'counter'],
  uptime_in_seconds: ['redis_uptime_in_seconds', 'gauge'],
};

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatLabels(labels: Labels | null): string {
  if (labels === null) return '';
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return `{${parts.join(',')}}`;
}

/** key=value,key=value (slaveN, dbN, cmdstat_X lines). */
function fields(v: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of v.split(',')) {
    const i = part.indexOf('=');
    if (i > 0) m.set(part.slice(0, i), part.slice(i + 1));
  }
  return m;
}

/** The metric families of the server's INFO, in exposition text. */
export function renderMetrics(server: Server): string {
  const families = new Map<string, { type: string; help: string; samples: Sample[] }>();
  const add = (name: string, type: string, help: string, labels: Labels | null, value: number) => {
    let f = families.get(name);
    if (f === undefined) families.set(name, (f = { type, help, samples: [] }));
    f.samples.push({ name, labels, value });
  };
  const text = genInfoString(server, ['everything']);
  for (const line of text.split('\r\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.indexOf(':');
    if (i < 0) continue;
    const key = line.slice(0, i);
    const value = line.slice(i + 1);
    if (/^slave\d+$/.test(key)) {
      const f = fields(value);
      const labels = { slave_ip: f.get('ip') ?? '', slave_port: f.get('port') ?? '', slave_state: f.get('state') ?? '' };
      add('redis_connected_slave_offset_bytes', 'gauge', 'Offset each replica acknowledged', labels, Number(f.get('offset')));
      add('redis_connected_slave_lag_seconds', 'gauge', 'How far behind each replica is, in time', labels, Number(f.get('lag_seconds')));
      add('redis_connected_slave_lag_bytes', 'gauge', 'How far behind each replica is, in stream bytes', labels, Number(f.get('lag_bytes')));
      add('redis_connected_slave_last_ack_seconds', 'gauge', 'Time since each replica last acknowledged', labels, Number(f.get('last_ack_ms')) / 1000);
    } else if (/^db\d+$/.test(key)) {
      const f = fields(value);
      add('redis_db_keys', 'gauge', 'Keys per database', { db: key }, Number(f.get('keys')));
      add('redis_db_keys_expiring', 'gauge', 'Keys with a TTL per database', { db: key }, Number(f.get('expires')));
    } else if (key.startsWith('cmdstat_')) {
      const f = fields(value);
      const cmd = key.slice(8);
      add('redis_commands_total', 'counter', 'Calls per command', { cmd }, Number(f.get('calls')));
      add('redis_commands_duration_seconds_total', 'counter', 'Time spent per command', { cmd }, Number(f.get('usec')) / 1e6);
      add('redis_commands_failed_calls_total', 'counter', 'Failed calls per command', { cmd }, Number(f.get('failed_calls')));
      add('redis_commands_rejected_calls_total', 'counter', 'Rejected calls per command', { cmd }, Number(f.get('rejected_calls')));
    } else if (key.startsWith('errorstat_')) {
      add('redis_errors_total', 'counter', 'Error replies per prefix', { err: key.slice(10) }, Number(fields(value).get('count')));
    } else {
      const n = Number(value);
      if (value === '' || !Number.isFinite(n)) continue;
      const renamed = RENAMED[key];
      if (renamed !== undefined) add(renamed[0], renamed[1], `INFO ${key}`, null, n);
      else add(`redis_${key.replace(/[^a-zA-Z0-9_]/g, '_')}`, 'gauge', `INFO ${key}`, null, n);
    }
  }
  let out = '';
  for (const [name, f] of families) {
    out += `# HELP ${name} ${f.help}\n# TYPE ${name} ${f.type}\n`;
    for (const s of f.samples) out += `${s.name}${formatLabels(s.labels)} ${s.value}\n`;
  }
  const repl = server.replication;
  out += histogramText('redis_ts_full_sync_duration_seconds', 'Full syncs served to replicas: how long each took', repl.fullSyncSeconds);
  out += histogramText('redis_ts_full_sync_size_bytes', 'Full syncs served to replicas: payload bytes sent', repl.fullSyncBytes);
  return out;
}

function histogramText(name: string, help: string, h: Histogram): string {
  let out = `# HELP ${name} ${help}\n# TYPE ${name} histogram\n`;
  for (let i = 0; i < h.bounds.length; i++) out += `${name}_bucket{le="${h.bounds[i]}"} ${h.counts[i]}\n`;
  out += `${name}_bucket{le="+Inf"} ${h.count}\n${name}_sum ${h.sum}\n${name}_count ${h.count}\n`;
  return out;
}

/** The HTTP listener of metrics-port, owned by the Server. */
export class MetricsEndpoint {
  private http: HttpServer | null = null;

  constructor(private readonly server: Server) {}

  /** Listens on `port` (0: stops) at the server's first bind address. */
  listen(port: number): void {
    this.stop();
    if (port === 0) return;
    const s = this.server;
    const bind = s.config.words('bind')[0] ?? '127.0.0.1';
    const host = bind === '*' ? '0.0.0.0' : bind.replace(/^-/, '');
    const http = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('Not found: the metrics are at /metrics\n');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(renderMetrics(s));
    });
    http.on('error', (e) => s.log.warning(`Metrics endpoint on port ${port}: ${e.message}`));
    http.listen(port, host, () => s.log.notice(`Prometheus metrics served on http://${host}:${port}/metrics`));
    this.http = http;
  }

  stop(): void {
    this.http?.close();
    this.http = null;
  }
}
