// The INFO text (server.c's genRedisInfoString): Redis 7.0's sections, field
// names and order, with values measured from this process and server state.
// Fields for machinery redis-ts does not have (jemalloc, forks, AOF, Lua, I/O
// threads, defrag, eviction, tracking) keep their names and report the idle value
// Redis reports when that machinery is unused.

import { memoryBreakdown } from './memory.js';
import { latencyAtPercentile } from './latency.js';
import { createHash } from 'node:crypto';
import { totalmem, type as osType, release as osRelease, machine as osMachine } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { VERSION } from '../version.js';
import type { Command } from '../commands/types.js';
import type { Server } from './server.js';

/** Sections `INFO` (and `INFO default`) shows. */
const DEFAULT_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'module_list', 'errorstats', 'cluster', 'keyspace'];

const BUILD_ID = createHash('sha1').update(`redis-ts ${VERSION} ${process.version}`).digest('hex').slice(0, 16);

/** bytesToHuman: 100B, 2.00K, 3.50M ... */
export function bytesToHuman(n: number): string {
  if (n < 1024) return `${n}B`;
  const units = ['K', 'M', 'G', 'T', 'P'];
  let d = n / 1024;
  for (const u of units) {
    if (d < 1024) return `${d.toFixed(2)}${u}`;
    d /= 1024;
  }
  return `${n}B`;
}

/** The characters INFO replaces with '_' in names it prints (getSafeInfoString). */
function safeInfoString(s: string): string {
  return /[#:\n\r]/.test(s) ? s.replace(/[#:\n\r]/g, '_') : s;
}

function multiplexingApi(): string {
  switch (process.platform) {
    case 'linux':
      return 'epoll';
    case 'darwin':
    case 'freebsd':
    case 'openbsd':
      return 'kqueue';
    case 'sunos':
      return 'evport';
    default:
      return 'select';
  }
}

/** seconds.microseconds as getrusage's timeval prints. */
function cpuSeconds(us: number): string {
  const sec = Math.floor(us / 1e6);
  return `${sec}.${String(Math.floor(us % 1e6)).padStart(6, '0')}`;
}

/**
 * Parses INFO's arguments into the set of section names (lowercase), and whether
 * `all` / `everything` was asked for (genInfoSectionDict).
 */
export function infoSections(args: readonly string[]): { sections: Set<string>; all: boolean; everything: boolean } {
  const sections = new Set<string>();
  let all = false;
  let everything = false;
  if (args.length === 0) {
    for (const s of DEFAULT_SECTIONS) sections.add(s);
    return { sections, all, everything };
  }
  for (const a of args) {
    const s = a.toLowerCase();
    if (s === 'default') for (const d of DEFAULT_SECTIONS) sections.add(d);
    else if (s === 'all') all = true;
    else if (s === 'everything') {
      all = true;
      everything = true;
    } else sections.add(s);
  }
  return { sections, all, everything };
}

/** The full INFO reply text for INFO's arguments. */
export function genInfoString(server: Server, args: readonly string[]): string {
  const { sections, all } = infoSections(args);
  const want = (name: string) => all || sections.has(name);
  const parts: string[] = [];
  if (want('server')) parts.push(serverSection(server));
  if (want('clients')) parts.push(clientsSection(server));
  if (want('memory')) parts.push(memorySection(server));
  if (want('persistence')) parts.push(persistenceSection(server));
  if (want('stats')) parts.push(statsSection(server));
  if (want('replication')) parts.push(replicationSection(server));
  if (want('cpu')) parts.push(cpuSection());
  // No modules: the section has its header only.
  if (all || sections.has('module_list') || sections.has('modules')) parts.push('# Modules\r\n');
  if (want('commandstats')) parts.push(commandStatsSection(server));
  if (want('errorstats')) parts.push(errorStatsSection(server));
  if (want('latencystats')) parts.push(latencyStatsSection(server));
  if (want('cluster')) parts.push('# Cluster\r\ncluster_enabled:0\r\n');
  if (want('keyspace')) parts.push(keyspaceSection(server));
  return parts.join('\r\n');
}

function lines(title: string, fields: readonly (readonly [string, string | number])[]): string {
  let out = `# ${title}\r\n`;
  for (const [k, v] of fields) out += `${k}:${v}\r\n`;
  return out;
}

/** The LRU clock (seconds, 24 bits) as INFO and DEBUG OBJECT show it. */
export function lruClock(nowMs: number = Date.now()): number {
  return Math.floor(nowMs / 1000) & 0xffffff;
}

function serverSection(s: Server): string {
  const now = Date.now();
  const uptime = Math.floor((now - s.startTime) / 1000);
  const serverTimeUs = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  return lines('Server', [
    ['redis_version', VERSION],
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_build_id', BUILD_ID],
    ['redis_mode', 'standalone'],
    ['os', `${osType()} ${osRelease()} ${osMachine()}`],
    ['arch_bits', process.arch.endsWith('64') ? 64 : 32],
    ['monotonic_clock', 'POSIX clock_gettime'],
    ['multiplexing_api', multiplexingApi()],
    ['atomicvar_api', 'c11-builtin'],
    // Not built with GCC: Redis prints 0.0.0 then.
    ['gcc_version', '0.0.0'],
    ['process_id', process.pid],
    ['process_supervised', 'no'],
    ['run_id', s.runId],
    ['tcp_port', s.port],
    ['server_time_usec', serverTimeUs],
    ['uptime_in_seconds', uptime],
    ['uptime_in_days', Math.floor(uptime / 86400)],
    ['hz', s.cron.hz],
    ['configured_hz', s.config.num('hz')],
    ['lru_clock', lruClock(now)],
    ['executable', process.argv[1] !== undefined ? resolvePath(process.argv[1]) : process.execPath],
    ['config_file', s.config.configFile],
    ['io_threads_active', 0],
  ]);
}

function clientsSection(s: Server): string {
  let connected = 0;
  let maxIn = 0;
  let maxOut = 0;
  for (const c of s.clients.values()) {
    if (c.socket === null) continue;
    if (c.isReplica && !c.isMonitor) continue;
    connected++;
    const qin = c.parser.pendingBytes;
    if (qin > maxIn) maxIn = qin;
    const qout = c.outputBufferBytes;
    if (qout > maxOut) maxOut = qout;
  }
  return lines('Clients', [
    ['connected_clients', connected],
    ['cluster_connections', 0],
    ['maxclients', s.config.num('maxclients')],
    ['client_recent_max_input_buffer', maxIn],
    ['client_recent_max_output_buffer', maxOut],
    // Clients held by CLIENT PAUSE are blocked too (BLOCKED_POSTPONE).
    ['blocked_clients', s.blocking.blockedCount + s.pausedClients.size],
    ['tracking_clients', s.tracking.clients],
    ['clients_in_timeout_table', 0],
  ]);
}

function memorySection(s: Server): string {
  const m = process.memoryUsage();
  const mem = memoryBreakdown(s);
  const used = mem.used;
  s.stats.notePeakMemory(used);
  const peak = s.stats.peakMemory;
  const startup = mem.startup;
  const overhead = startup + mem.expiresOverhead + mem.clientsNormal + mem.clientsReplicas + mem.backlog + mem.scripts + mem.tracking;
  const dataset = used - overhead;
  const net = used - startup;
  const datasetPerc = net > 0 ? (dataset * 100) / net : 0;
  const active = m.heapTotal + m.external;
  const rss = m.rss;
  const maxmemory = s.config.num('maxmemory');
  const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : '0.00');
  return lines('Memory', [
    ['used_memory', used],
    ['used_memory_human', bytesToHuman(used)],
    ['used_memory_rss', rss],
    ['used_memory_rss_human', bytesToHuman(rss)],
    ['used_memory_peak', peak],
    ['used_memory_peak_human', bytesToHuman(peak)],
    ['used_memory_peak_perc', `${peak > 0 ? ((used * 100) / peak).toFixed(2) : '0.00'}%`],
    ['used_memory_overhead', overhead],
    ['used_memory_startup', startup],
    ['used_memory_dataset', dataset],
    ['used_memory_dataset_perc', `${datasetPerc.toFixed(2)}%`],
    ['allocator_allocated', used],
    ['allocator_active', active],
    ['allocator_resident', rss],
    ['total_system_memory', totalmem()],
    ['total_system_memory_human', bytesToHuman(totalmem())],
    ...s.scripting.memoryInfo(),
    ['maxmemory', maxmemory],
    ['maxmemory_human', bytesToHuman(maxmemory)],
    ['maxmemory_policy', s.config.str('maxmemory-policy')],
    ['allocator_frag_ratio', ratio(active, used)],
    ['allocator_frag_bytes', Math.max(0, active - used)],
    ['allocator_rss_ratio', ratio(rss, active)],
    ['allocator_rss_bytes', rss - active],
    ['rss_overhead_ratio', '1.00'],
    ['rss_overhead_bytes', 0],
    ['mem_fragmentation_ratio', ratio(rss, used)],
    ['mem_fragmentation_bytes', rss - used],
    ['mem_not_counted_for_evict', mem.notCountedForEvict],
    ['mem_replication_backlog', mem.backlog],
    ['mem_total_replication_buffers', mem.replicationBuffers],
    ['mem_clients_slaves', mem.clientsReplicas],
    ['mem_clients_normal', mem.clientsNormal],
    ['mem_cluster_links', 0],
    ['mem_aof_buffer', s.aof.bufBytes],
    ['mem_allocator', 'libc'],
    ['active_defrag_running', 0],
    ['lazyfree_pending_objects', 0],
    ['lazyfreed_objects', s.stats.lazyfreedObjects],
  ]);
}

/**
 * While a replica loads its full-sync payload: Redis's loading_* fields, then the keys
 * loaded so far (redis-ts's).
 */
function loadingFields(s: Server): [string, string | number][] {
  if (!(s.replication.loading || s.replication.asyncLoading)) return [];
  // Before the payload's parse starts (a disk-based load writes and reads its file first) nothing is loaded yet.
  const cur = s.persistence.currentLoad ?? { startedMs: Date.now(), totalBytes: 0, load: { loadedBytes: 0, keysLoaded: 0 } };
  const loaded = cur.load.loadedBytes;
  const perc = cur.totalBytes > 0 ? (loaded * 100) / cur.totalBytes : 0;
  const elapsed = Math.floor((Date.now() - cur.startedMs) / 1000);
  const eta = elapsed === 0 ? 1 : Math.floor((elapsed * (cur.totalBytes - loaded)) / (loaded + 1));
  return [
    ['loading_start_time', Math.floor(cur.startedMs / 1000)],
    ['loading_total_bytes', cur.totalBytes],
    ['loading_rdb_used_mem', 0],
    ['loading_loaded_bytes', loaded],
    ['loading_loaded_perc', perc.toFixed(2)],
    ['loading_eta_seconds', eta],
    ['loading_loaded_keys', cur.load.keysLoaded],
  ];
}

function persistenceSection(s: Server): string {
  const p = s.persistence;
  return lines('Persistence', [
    ['loading', s.replication.loading ? 1 : 0],
    ['async_loading', s.replication.asyncLoading ? 1 : 0],
    ['current_cow_peak', 0],
    ['current_cow_size', 0],
    ['current_cow_size_age', 0],
    ['current_fork_perc', '0.00'],
    ['current_save_keys_processed', p.currentSaveKeysProcessed],
    ['current_save_keys_total', p.currentSaveKeysTotal],
    ['rdb_changes_since_last_save', s.dirty],
    // A snapshot for a replica's full sync counts too, as Redis's rdb child does.
    ['rdb_bgsave_in_progress', p.bgsaveInProgress || s.replication.masterSide?.syncInProgress === true ? 1 : 0],
    ['rdb_last_save_time', p.lastSaveTime],
    ['rdb_last_bgsave_status', p.lastBgsaveStatus],
    ['rdb_last_bgsave_time_sec', p.lastBgsaveTimeSec],
    ['rdb_current_bgsave_time_sec', p.currentBgsaveSeconds],
    ['rdb_saves', p.saves],
    ['rdb_last_cow_size', 0],
    ['rdb_last_load_keys_expired', p.lastLoadKeysExpired],
    ['rdb_last_load_keys_loaded', p.lastLoadKeysLoaded],
    ...s.aof.infoFields(),
    ...loadingFields(s),
  ]);
}

function statsSection(s: Server): string {
  const st = s.stats;
  const kbps = (name: string) => (st.rate(name) / 1024).toFixed(2);
  return lines('Stats', [
    ['total_connections_received', st.totalConnections],
    ['total_commands_processed', st.totalCommands],
    ['instantaneous_ops_per_sec', Math.round(st.rate('ops'))],
    ['total_net_input_bytes', st.netInputBytes + st.netReplInputBytes],
    ['total_net_output_bytes', st.netOutputBytes + st.netReplOutputBytes],
    ['total_net_repl_input_bytes', st.netReplInputBytes],
    ['total_net_repl_output_bytes', st.netReplOutputBytes],
    ['instantaneous_input_kbps', kbps('net_in')],
    ['instantaneous_output_kbps', kbps('net_out')],
    ['instantaneous_input_repl_kbps', kbps('net_repl_in')],
    ['instantaneous_output_repl_kbps', kbps('net_repl_out')],
    ['rejected_connections', st.rejectedConnections],
    ['sync_full', st.syncFull],
    ['sync_partial_ok', st.syncPartialOk],
    ['sync_partial_err', st.syncPartialErr],
    ['expired_keys', st.expiredKeys],
    ['expired_stale_perc', (st.expiredStalePerc * 100).toFixed(2)],
    ['expired_time_cap_reached_count', st.expiredTimeCapReached],
    ['expire_cycle_cpu_milliseconds', Math.floor(st.expireCycleCpuMs)],
    ['evicted_keys', st.evictedKeys],
    ['evicted_clients', st.evictedClients],
    ['total_eviction_exceeded_time', s.evictor.totalExceededMs],
    ['current_eviction_exceeded_time', s.evictor.currentExceededMs()],
    ['keyspace_hits', s.hooks.keyspaceHits],
    ['keyspace_misses', s.hooks.keyspaceMisses],
    ['pubsub_channels', s.pubsub.channels.size],
    ['pubsub_patterns', s.pubsub.patterns.size],
    ['pubsubshard_channels', 0],
    ['latest_fork_usec', 0],
    ['total_forks', 0],
    ['migrate_cached_sockets', 0],
    ['slave_expires_tracked_keys', 0],
    ['active_defrag_hits', 0],
    ['active_defrag_misses', 0],
    ['active_defrag_key_hits', 0],
    ['active_defrag_key_misses', 0],
    ['total_active_defrag_time', 0],
    ['current_active_defrag_time', 0],
    ['tracking_total_keys', s.tracking.table.size],
    ['tracking_total_items', s.tracking.items],
    ['tracking_total_prefixes', s.tracking.prefixes.size],
    ['unexpected_error_replies', st.unexpectedErrorReplies],
    ['total_error_replies', st.totalErrorReplies],
    ['dump_payload_sanitizations', 0],
    ['total_reads_processed', st.totalReadsProcessed],
    ['total_writes_processed', st.totalWritesProcessed],
    ['io_threaded_reads_processed', 0],
    ['io_threaded_writes_processed', 0],
    ['reply_buffer_shrinks', st.replyBufferShrinks],
    ['reply_buffer_expands', st.replyBufferExpands],
  ]);
}

function replicationSection(s: Server): string {
  const r = s.replication;
  const f: [string, string | number][] = [['role', r.isReplica ? 'slave' : 'master']];
  if (r.master !== null) {
    const hadMaster = r.linkUp || r.backlog !== null || r.masterReplOffset > 0;
    f.push(
      ['master_host', r.master.host],
      ['master_port', r.master.port],
      ['master_link_status', r.linkUp ? 'up' : 'down'],
      ['master_last_io_seconds_ago', r.linkUp ? (r.replicaSide?.lastIoSecondsAgo() ?? 0) : -1],
      ['master_sync_in_progress', r.replicaSide?.syncInProgress ? 1 : 0],
      // Redis reports 1 for a replica that never had (or cached) a master link.
      ['slave_read_repl_offset', hadMaster ? (r.replicaSide?.readOffset() ?? r.masterReplOffset) : 1],
      ['slave_repl_offset', hadMaster ? (r.replicaSide?.appliedOffset() ?? r.masterReplOffset) : 1],
    );
    const progress = r.replicaSide?.transferProgress() ?? null;
    if (progress !== null) {
      // Redis's fields while the payload arrives (total -1 for a diskless, EOF-marked one).
      const left = progress.total >= 0 ? progress.total - progress.read : -1;
      f.push(
        ['master_sync_total_bytes', progress.total],
        ['master_sync_read_bytes', progress.read],
        ['master_sync_left_bytes', left],
        ['master_sync_perc', progress.total > 0 ? ((progress.read * 100) / progress.total).toFixed(2) : '0.00'],
        ['master_sync_last_io_seconds_ago', r.replicaSide?.lastIoSecondsAgo() ?? 0],
      );
    }
    if (!r.linkUp) f.push(['master_link_down_since_seconds', r.replicaSide?.downSinceSeconds() ?? -1]);
    f.push(
      ['slave_priority', s.config.num('replica-priority')],
      ['slave_read_only', s.config.bool('replica-read-only') ? 1 : 0],
      ['replica_announced', s.config.bool('replica-announced') ? 1 : 0],
    );
  }
  f.push(['connected_slaves', r.replicas.size]);
  if (s.config.num('min-replicas-to-write') > 0 && s.config.num('min-replicas-max-lag') > 0) {
    f.push(['min_slaves_good_slaves', r.goodReplicaCount()]);
  }
  let n = 0;
  const now = Date.now();
  for (const rep of r.replicas.values()) {
    const peer = rep.client.addr;
    const ip = rep.announcedIp !== '' ? rep.announcedIp : peer.slice(0, peer.lastIndexOf(':'));
    const lag = rep.state === 'online' ? Math.floor((now - rep.ackTime) / 1000) : 0;
    // Redis's fields as 7.0 prints them, then redis-ts's: how far behind in bytes and in
    // time, and how long ago the last ACK came (ms).
    const lagBytes = Math.max(0, r.masterReplOffset - rep.ackOffset);
    const lagSeconds = (r.replicaLagMs(rep.ackOffset, now) / 1000).toFixed(3);
    // While its full sync runs: payload bytes sent and the (estimated) total.
    const sync = r.masterSide?.syncProgress(rep) ?? null;
    f.push([
      `slave${n++}`,
      `ip=${ip},port=${rep.listeningPort},state=${rep.state},offset=${rep.ackOffset},lag=${lag}` +
        `,lag_bytes=${lagBytes},lag_seconds=${lagSeconds},last_ack_ms=${now - rep.ackTime}` +
        (sync !== null ? `,sync_sent_bytes=${sync.sent},sync_total_bytes=${sync.total}` : ''),
    ]);
  }
  const backlog = r.backlog;
  f.push(
    ['master_failover_state', s.replication.failover.state],
    ['master_replid', r.replid],
    ['master_replid2', r.replid2],
    ['master_repl_offset', r.masterReplOffset],
    ['second_repl_offset', r.secondReplOffset],
    ['repl_backlog_active', backlog !== null ? 1 : 0],
    ['repl_backlog_size', s.config.num('repl-backlog-size')],
    ['repl_backlog_first_byte_offset', backlog !== null ? backlog.firstByteOffset : 0],
    ['repl_backlog_histlen', backlog !== null ? backlog.histlen : 0],
  );
  return lines('Replication', f);
}

function cpuSection(): string {
  const u = process.cpuUsage();
  // Node offers no per-thread figures: the process figures stand for the main thread.
  return lines('CPU', [
    ['used_cpu_sys', cpuSeconds(u.system)],
    ['used_cpu_user', cpuSeconds(u.user)],
    ['used_cpu_sys_children', '0.000000'],
    ['used_cpu_user_children', '0.000000'],
    ['used_cpu_sys_main_thread', cpuSeconds(u.system)],
    ['used_cpu_user_main_thread', cpuSeconds(u.user)],
  ]);
}

function commandStatLines(cmds: Iterable<Command>, out: string[]): void {
  for (const cmd of cmds) {
    const st = cmd.stats;
    if (st.calls > 0 || st.failedCalls > 0 || st.rejectedCalls > 0) {
      const usec = Math.round(st.usec);
      const perCall = st.calls === 0 ? 0 : usec / st.calls;
      out.push(
        `cmdstat_${safeInfoString(cmd.fullName)}:calls=${st.calls},usec=${usec},usec_per_call=${perCall.toFixed(2)}` +
          `,rejected_calls=${st.rejectedCalls},failed_calls=${st.failedCalls}\r\n`,
      );
    }
    if (cmd.subcommands !== null) commandStatLines(cmd.subcommands.values(), out);
  }
}

function commandStatsSection(s: Server): string {
  const out: string[] = ['# Commandstats\r\n'];
  commandStatLines(s.commands.all(), out);
  return out.join('');
}

function latencyStatLines(cmds: Iterable<Command>, percentiles: readonly string[], out: string[]): void {
  for (const cmd of cmds) {
    const h = cmd.stats.histogram;
    if (h !== null && h.some((n) => n > 0)) {
      const values = percentiles.map((p) => `p${p}=${latencyAtPercentile(h, Number(p)).toFixed(3)}`);
      out.push(`latency_percentiles_usec_${safeInfoString(cmd.fullName)}:${values.join(',')}\r\n`);
    }
    if (cmd.subcommands !== null) latencyStatLines(cmd.subcommands.values(), percentiles, out);
  }
}

/** INFO latencystats: the configured percentiles of each command's latency histogram. */
function latencyStatsSection(s: Server): string {
  const out: string[] = ['# Latencystats\r\n'];
  latencyStatLines(s.commands.all(), s.config.words('latency-tracking-info-percentiles'), out);
  return out.join('');
}

function errorStatsSection(s: Server): string {
  // Redis keeps error prefixes in a radix tree: byte order.
  const names = [...s.stats.errorCounts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let out = '# Errorstats\r\n';
  for (const n of names) out += `errorstat_${safeInfoString(n)}:count=${s.stats.errorCounts.get(n)}\r\n`;
  return out;
}

function keyspaceSection(s: Server): string {
  let out = '# Keyspace\r\n';
  for (const db of s.dbs) {
    const keys = db.dict.size;
    const expires = db.expires.size;
    if (keys > 0 || expires > 0) out += `db${db.id}:keys=${keys},expires=${expires},avg_ttl=${Math.floor(db.avgTtl)}\r\n`;
  }
  return out;
}
