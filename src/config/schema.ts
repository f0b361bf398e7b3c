// The table of config directives: name, aliases, type, default, runtime
// mutability and how far redis-ts implements each. It drives redis.conf parsing,
// --directive flags, CONFIG GET/SET/REWRITE and redis.conf.example. Names,
// defaults and bounds are those of Redis 7.0's config.c.

import {
  boolType,
  enumType,
  flagsType,
  numericType,
  outputBufferLimitsType,
  percentilesType,
  replicaOfType,
  saveType,
  stringType,
  keyspaceEventsType,
  wordsType,
  DEFAULT_OUTPUT_BUFFER_LIMITS,
  type DirectiveType,
  type ConfigValue,
  type OutputBufferLimits,
} from './types.js';

/**
 * How far a directive is implemented:
 * - `yes`: it does what Redis's does;
 * - `ignored`: accepted and kept (CONFIG GET shows it) but has no effect; a
 *   non-default value logs a warning. Only for directives whose effect no user relies on;
 * - `refused`: only its default is accepted; any other value is an error naming it.
 */
export type Support = 'yes' | 'ignored' | 'refused';

export interface Directive {
  name: string;
  aliases: readonly string[];
  type: DirectiveType;
  /** The default as config-file arguments. */
  defaultArgs: readonly string[];
  mutable: boolean;
  support: Support;
  /** CONFIG SET refuses it unless enable-protected-configs allows (PROTECTED_CONFIG). */
  protectedConfig: boolean;
  /** Never logged (SENSITIVE_CONFIG). */
  sensitive: boolean;
  /** An empty string means "not set" (EMPTY_STRING_IS_NULL): CONFIG REWRITE then drops its lines. */
  emptyIsNull: boolean;
  /** One line for redis.conf.example. */
  doc: string;
  /** The section of redis.conf.example. */
  section: string;
  /** What a runtime change does to the running server (config.c's apply functions). */
  apply: ApplyFn | null;
  /** Only CONFIG GET by its exact name shows it, never a pattern (HIDDEN_CONFIG: test and debug knobs). */
  hidden: boolean;
  /** CONFIG SET refuses it with -LOADING while a dataset loads (DENY_LOADING_CONFIG). */
  denyLoading: boolean;
}

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;
const LONG_MAX = 9223372036854775807n;
const ULLONG_MAX = 18446744073709551615n;
const UINT_MAX = 4294967295;

/**
 * What the running server lets a directive's apply hook do. The Server implements it;
 * the table says, entry by entry, which of these a change calls.
 */
export interface ServerControls {
  setLogLevel(level: string): void;
  rescheduleCron(): void;
  /** chdir; an error message when it fails. */
  changeDir(dir: string): string | null;
  trimSlowlog(maxLen: number): void;
  setMaxBulkLen(bytes: number): void;
  /** Listens on the new port; an error message when it cannot. */
  rebindTcp(port: number): string | null;
  resizeBacklog(bytes: number): void;
  configureAccessClock(): void;
  setKeyspaceEvents(classes: string): void;
  setLatencyMonitor(): void;
  /** metrics-port changed: the Prometheus endpoint moves (0: stops). */
  setMetricsPort(port: number): void;
  /** maxmemory or maxmemory-clients changed: a lower limit starts evicting. */
  maxmemoryChanged(): void;
  /** appendonly changed: the AOF starts (with a rewrite) or stops; an error message to roll back. */
  setAppendonly(on: boolean): string | null;
  /** aof-disable-auto-gc turned off: history files go now. */
  collectAofHistory(): void;
  /** requirepass: the default user's only password (empty: nopass). */
  setRequirepass(pass: string): void;
}

/** Acts on a changed value at runtime; returns an error message to roll the change back. */
export type ApplyFn = (server: ServerControls, value: ConfigValue) => string | null;

interface Opts {
  /** What a runtime change does to the running server. */
  apply?: ApplyFn;
  aliases?: string[];
  immutable?: boolean;
  support?: Support;
  protectedConfig?: boolean;
  sensitive?: boolean;
  emptyIsNull?: boolean;
  hidden?: boolean;
  denyLoading?: boolean;
}

const directives: Directive[] = [];
let section = 'general';

function add(name: string, type: DirectiveType, def: string | string[], doc: string, o: Opts = {}): void {
  directives.push({
    name,
    aliases: o.aliases ?? [],
    type: type as DirectiveType,
    defaultArgs: Array.isArray(def) ? def : [def],
    mutable: !o.immutable,
    support: o.support ?? 'yes',
    protectedConfig: o.protectedConfig ?? false,
    sensitive: o.sensitive ?? false,
    emptyIsNull: o.emptyIsNull ?? false,
    doc,
    section,
    apply: o.apply ?? null,
    hidden: o.hidden ?? false,
    denyLoading: o.denyLoading ?? false,
  });
}

const bool = (name: string, def: boolean, doc: string, o?: Opts) => add(name, boolType(), def ? 'yes' : 'no', doc, o);
const int = (name: string, min: number | bigint, max: number | bigint, def: number, doc: string, o?: Opts) =>
  add(name, numericType({ min, max }), String(def), doc, o);
const mem = (name: string, min: number | bigint, max: number | bigint, def: number, doc: string, o?: Opts) =>
  add(name, numericType({ min, max, memory: true }), String(def), doc, o);
const str = (name: string, def: string, doc: string, o?: Opts) => add(name, stringType(), def, doc, o);
const enm = (name: string, values: string[], def: string, doc: string, o?: Opts) => add(name, enumType(values), def, doc, o);

/** isValidAOFfilename / isValidAOFdirname: a name, not a path. */
function checkAofName(v: string, directive: string, what: string): string | null {
  if (v === '') return `${directive} can't be empty`;
  if (v.includes('/') || v.includes('\\')) return `${directive} can't be a path, just a ${what}`;
  return null;
}

function checkOomScoreAdjValues(words: readonly string[]): string | null {
  if (words.length !== 3) return 'wrong number of arguments';
  for (const w of words) {
    const n = /^[+-]?\d+$/.test(w) ? Number(w) : NaN;
    if (!(n >= -2000 && n <= 2000)) return 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.';
  }
  return null;
}


/** validateProcTitleTemplate: only known {variables}, balanced braces, not blank once expanded. */
function checkProcTitleTemplate(v: string): string | null {
  const bad = 'template format is invalid or contains unknown variables';
  const known: Record<string, string> = { title: '', 'listen-addr': 'x', 'server-mode': '', port: 'x', 'tls-port': 'x', unixsocket: '', 'config-file': '' };
  let out = '';
  for (let i = 0; i < v.length; i++) {
    if (v[i] === '{') {
      const end = v.indexOf('}', i);
      const name = end < 0 ? undefined : v.slice(i + 1, end);
      if (name === undefined || !(name in known)) return bad;
      out += known[name];
      i = end;
    } else if (v[i] === '}') return bad;
    else out += v[i];
  }
  return out.trim() === '' ? bad : null;
}

section = 'network';
add('bind', wordsType((w) => (w.length > 16 ? 'Too many bind addresses specified.' : null)), ['*', '-::*'], 'Addresses to listen on; "-" before an address means it may be unavailable.');
int('port', 0, 65535, 6379, 'TCP port; 0 disables the TCP listener.', { apply: (s, v) => s.rebindTcp(v as number) });
bool('protected-mode', true, 'Without bind or requirepass, accept only loopback clients.');
str('unixsocket', '', 'Path of a Unix socket to listen on as well.', { immutable: true, emptyIsNull: true });
add('unixsocketperm', numericType({ min: 0, max: 0o777, octal: true }), '0', 'Permissions of the Unix socket, octal.', { immutable: true });
int('timeout', 0, INT_MAX, 0, 'Close a client idle for this many seconds (0 = never).');
int('metrics-port', 0, 65535, 0, 'Port of the Prometheus endpoint (GET /metrics, at the first bind address); 0: off. redis-ts only.', {
  apply: (s, v) => (s.setMetricsPort(v as number), null),
});
int('tcp-keepalive', 0, INT_MAX, 300, 'TCP keepalive interval in seconds.');
int('tcp-backlog', 0, INT_MAX, 511, 'Listen backlog (Node sets its own).', { immutable: true, support: 'ignored' });
int('maxclients', 1, UINT_MAX, 10000, 'Maximum number of connected clients.');
str('bind-source-addr', '', 'Source address for outgoing connections (replication).', { support: 'ignored', emptyIsNull: true });
int('socket-mark-id', 0, UINT_MAX, 0, 'Socket mark for outgoing connections.', { immutable: true, support: 'refused' });

section = 'general';
bool('daemonize', false, 'Run in the background; redis-ts always runs in the foreground.', { immutable: true, support: 'refused' });
enm('supervised', ['upstart', 'systemd', 'auto', 'no'], 'no', 'Supervision interaction.', { immutable: true, support: 'ignored' });
str('pidfile', '', 'Write the process id here at start, removed at exit.', { immutable: true, emptyIsNull: true });
enm('loglevel', ['debug', 'verbose', 'notice', 'warning'], 'notice', 'Log verbosity.', { apply: (s, v) => (s.setLogLevel(v as string), null) });
str('logfile', '', 'Log file path; empty logs to standard output.', { immutable: true });
enm('log-format', ['redis', 'json'], 'redis', 'redis-ts only: log line format, Redis-style text or pino JSON.');
bool('syslog-enabled', false, 'Log to syslog.', { immutable: true, support: 'refused' });
str('syslog-ident', 'redis', 'Syslog identity.', { immutable: true, support: 'ignored' });
enm('syslog-facility', ['user', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'], 'local0', 'Syslog facility.', {
  immutable: true,
  support: 'ignored',
});
bool('crash-log-enabled', true, 'Log a crash report on a fatal error.', { support: 'ignored' });
bool('crash-memcheck-enabled', true, 'Memory test on crash.', { support: 'ignored' });
int('databases', 1, INT_MAX, 16, 'Number of databases.', { immutable: true });
bool('always-show-logo', false, 'Show the ASCII logo at start.', { immutable: true, support: 'ignored' });
bool('set-proc-title', true, 'Set the process title.', { immutable: true, support: 'ignored' });
add('proc-title-template', stringType({ check: checkProcTitleTemplate }), '{title} {listen-addr} {server-mode}', 'Process title template.', { support: 'ignored' });
str('ignore-warnings', '', 'Start-up warnings to silence.', { support: 'ignored' });
enm('enable-protected-configs', ['no', 'yes', 'local'], 'no', 'Allow CONFIG SET of protected configs (dir, dbfilename).', { immutable: true });
enm('enable-debug-command', ['no', 'yes', 'local'], 'no', 'Allow the DEBUG command (local: from loopback only).', { immutable: true });
enm('enable-module-command', ['no', 'yes', 'local'], 'no', 'Allow the MODULE command; redis-ts has no modules.', { immutable: true });
add('hz', numericType({ min: 0, max: INT_MAX, clamp: [1, 500] }), '10', 'Background task frequency (expiry cycle, timeouts), clamped to 1..500.', {
  apply: (s) => (s.rescheduleCron(), null),
});
bool('dynamic-hz', true, 'Raise hz with many clients.', { support: 'ignored' });
int('shutdown-timeout', 0, INT_MAX, 10, 'Seconds to wait for replicas to catch up at shutdown.');
add('shutdown-on-sigint', flagsType(['default', 'save', 'nosave', 'now', 'force']), 'default', 'Shutdown behaviour on SIGINT.');
add('shutdown-on-sigterm', flagsType(['default', 'save', 'nosave', 'now', 'force']), 'default', 'Shutdown behaviour on SIGTERM.');

section = 'snapshotting';
add('save', saveType(), ['3600', '1', '300', '100', '60', '10000'], 'Save points "<seconds> <changes> ..."; "" disables saving.');
bool('stop-writes-on-bgsave-error', true, 'Refuse writes (MISCONF) after a failed background save.');
bool('rdbcompression', true, 'LZF-compress long strings in RDB files.');
bool('rdbchecksum', true, 'Write and check the CRC-64 trailer of RDB files.', { immutable: true });
enm('sanitize-dump-payload', ['no', 'yes', 'clients'], 'no', 'Deep-check RDB and RESTORE payloads.');
str('dbfilename', 'dump.rdb', 'RDB file name.', { protectedConfig: true });
bool('rdb-del-sync-files', false, 'Delete RDB files used only for replication.', { support: 'ignored' });
str('dir', '', 'Working directory: the RDB file is written here (default: the current directory).', {
  protectedConfig: true,
  denyLoading: true,
  apply: (s, v) => (v === '' ? null : s.changeDir(v as string)),
});
bool('rdb-save-incremental-fsync', true, 'fsync the RDB file incrementally.', { support: 'ignored' });

section = 'replication';
add('replicaof', replicaOfType(), '', 'Replicate from "<host> <port>".', { aliases: ['slaveof'], immutable: true });
str('masterauth', '', 'Password to authenticate with the master.', { sensitive: true, emptyIsNull: true });
str('masteruser', '', 'User name to authenticate with the master (AUTH user pass).', { sensitive: true, emptyIsNull: true });
bool('replica-serve-stale-data', true, 'Serve possibly stale data while the link to the master is down.', { aliases: ['slave-serve-stale-data'] });
bool('replica-read-only', true, 'Refuse writes from normal clients on a replica.', { aliases: ['slave-read-only'] });
bool('repl-diskless-sync', true, 'Full sync streams the snapshot to the socket instead of a file.');
int('repl-diskless-sync-delay', 0, INT_MAX, 5, 'Seconds to wait for more replicas before a diskless transfer.');
int('repl-diskless-sync-max-replicas', 0, INT_MAX, 0, 'Start a diskless transfer early once this many replicas wait (0 = no limit).');
enm('repl-diskless-load', ['disabled', 'on-empty-db', 'swapdb'], 'disabled', 'How a replica loads the snapshot: through a file, or from the socket.', {
  denyLoading: true,
});
int('repl-ping-replica-period', 1, INT_MAX, 10, 'Seconds between PINGs to replicas.', { aliases: ['repl-ping-slave-period'] });
int('repl-timeout', 1, INT_MAX, 60, 'Seconds of silence after which a replication link is dropped.');
int('repl-reconnect-max-delay', 1, INT_MAX, 2000, 'redis-ts only: longest wait in ms between attempts to reconnect to the master (exponential backoff with jitter).');
bool('repl-disable-tcp-nodelay', false, 'Disable TCP_NODELAY on replica sockets.');
mem('repl-backlog-size', 1, LONG_MAX, 1024 * 1024, 'Size of the circular backlog kept for partial resyncs.', {
  apply: (s, v) => (s.resizeBacklog(v as number), null),
});
int('repl-backlog-ttl', 0, LONG_MAX, 3600, 'Seconds without replicas after which the backlog is freed (0 = never).');
int('replica-priority', 0, INT_MAX, 100, 'Sentinel promotion priority (0 = never).', { aliases: ['slave-priority'] });
bool('replica-announced', true, 'Whether Sentinel lists this replica.');
int('min-replicas-to-write', 0, INT_MAX, 0, 'Refuse writes with fewer good replicas than this (0 = off).', { aliases: ['min-slaves-to-write'] });
int('min-replicas-max-lag', 0, INT_MAX, 10, 'Seconds since a replica\'s last ACK for it to count as good.', { aliases: ['min-slaves-max-lag'] });
str('replica-announce-ip', '', 'IP address this replica announces to its master.', { aliases: ['slave-announce-ip'], emptyIsNull: true });
int('replica-announce-port', 0, 65535, 0, 'Port this replica announces to its master (0 = the listening port).', { aliases: ['slave-announce-port'] });
bool('replica-lazy-flush', false, 'Flush asynchronously before a full sync.', { aliases: ['slave-lazy-flush'], support: 'ignored' });
bool('replica-ignore-maxmemory', true, 'Replicas ignore maxmemory.', { aliases: ['slave-ignore-maxmemory'] });
bool('replica-ignore-disk-write-errors', false, 'Keep replicating after a failed save.', { support: 'ignored' });
enm('propagation-error-behavior', ['ignore', 'panic', 'panic-on-replicas'], 'ignore', 'What to do when a replicated command fails.', {
  support: 'ignored',
});

section = 'security';
str('requirepass', '', 'Password of the default user; clients must AUTH.', {
  sensitive: true,
  emptyIsNull: true,
  apply: (s, v) => (s.setRequirepass(v as string), null),
});
str('aclfile', '', 'ACL file; redis-ts has only the default user.', { immutable: true, support: 'refused' });
int('acllog-max-len', 0, LONG_MAX, 128, 'Entries kept in the ACL log.', { support: 'ignored' });
enm('acl-pubsub-default', ['allchannels', 'resetchannels'], 'resetchannels', 'Default pub/sub permissions of new ACL users.', {
  support: 'ignored',
});

section = 'limits';
mem('maxmemory', 0, ULLONG_MAX, 0, 'Memory limit (used_memory less replica output buffers): past it keys are evicted by maxmemory-policy, or commands that may grow memory get -OOM.', {
  apply: (s) => (s.maxmemoryChanged(), null),
});
enm(
  'maxmemory-policy',
  ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'],
  'noeviction',
  'Which keys are evicted past maxmemory (OBJECT FREQ/IDLETIME follow it).',
  { apply: (s) => (s.configureAccessClock(), null) },
);
// Test knobs Redis hides from CONFIG GET patterns.
int('rdb-key-save-delay', INT_MIN, INT_MAX, 0, 'Delay per key while a snapshot is written in the background (BGSAVE, full sync), in microseconds (negative: nanoseconds); test use only.', { hidden: true });
int('key-load-delay', INT_MIN, INT_MAX, 0, 'Delay per key while a replica loads its full-sync payload, in microseconds (negative: nanoseconds); test use only.', { hidden: true });
bool('use-exit-on-panic', false, 'Exit instead of abort on panic; test use only.', { hidden: true, support: 'ignored' });
int('watchdog-period', 0, INT_MAX, 0, 'Software watchdog period in ms; test use only.', { hidden: true, support: 'ignored' });
int('loading-process-events-interval-bytes', 1024, INT_MAX, 2 * 1024 * 1024, 'How often loading serves clients, in bytes read; test use only.', { hidden: true, support: 'ignored' });
int('maxmemory-samples', 1, INT_MAX, 5, 'Keys sampled per database to find the best eviction candidate (LRU, LFU, TTL policies).');
int('maxmemory-eviction-tenacity', 0, 100, 10, 'How long one eviction cycle may run before the rest continues between commands (0-100; 100: unlimited).');
add('maxmemory-clients', numericType({ min: -100, max: LONG_MAX, memory: true, percent: true }), '0', 'Past this much memory in normal and pub/sub clients (bytes, or N% of maxmemory), the biggest clients are disconnected; 0: off.', {
  apply: (s) => (s.maxmemoryChanged(), null),
});
mem('proto-max-bulk-len', 1024 * 1024, LONG_MAX, 512 * 1024 * 1024, 'Largest bulk argument accepted from a client.', {
  apply: (s, v) => (s.setMaxBulkLen(v as number), null),
});
mem('client-query-buffer-limit', 1024 * 1024, LONG_MAX, 1024 * 1024 * 1024, 'Largest query buffer a client may fill before it is closed.');
add(
  'client-output-buffer-limit',
  outputBufferLimitsType(DEFAULT_OUTPUT_BUFFER_LIMITS),
  ['normal', '0', '0', '0', 'slave', '268435456', '67108864', '60', 'pubsub', '33554432', '8388608', '60'],
  'Per class (normal replica pubsub): hard limit, soft limit, soft seconds.',
);
int('busy-reply-threshold', 0, LONG_MAX, 5000, 'Milliseconds before a busy script gets BUSY replies.', { aliases: ['lua-time-limit'] });
int('lfu-log-factor', 0, INT_MAX, 10, 'LFU counter log factor.', { apply: (s) => (s.configureAccessClock(), null) });
int('lfu-decay-time', 0, INT_MAX, 1, 'LFU counter decay time in minutes.', { apply: (s) => (s.configureAccessClock(), null) });
int('tracking-table-max-keys', 0, LONG_MAX, 1000000, 'Keys the client-side caching table holds before it invalidates some.');

section = 'lazyfree';
bool('lazyfree-lazy-eviction', false, 'Free evicted values in the background.', { support: 'ignored' });
bool('lazyfree-lazy-expire', false, 'Free expired values in the background.', { support: 'ignored' });
bool('lazyfree-lazy-server-del', false, 'Free implicitly deleted values in the background.', { support: 'ignored' });
bool('lazyfree-lazy-user-del', false, 'DEL behaves like UNLINK.', { support: 'ignored' });
bool('lazyfree-lazy-user-flush', false, 'FLUSHALL/FLUSHDB default to ASYNC.', { support: 'ignored' });

section = 'threads';
int('io-threads', 1, 128, 1, 'I/O threads; Node serves I/O from one thread.', { immutable: true, support: 'ignored' });
bool('io-threads-do-reads', false, 'Read from I/O threads.', { immutable: true, support: 'ignored' });
bool('disable-thp', true, 'Disable transparent huge pages.', { immutable: true, support: 'ignored' });
enm('oom-score-adj', ['no', 'yes', 'relative', 'absolute'], 'no', 'Adjust the OOM killer score.', { support: 'ignored' });
add('oom-score-adj-values', wordsType(checkOomScoreAdjValues), ['0', '200', '800'], 'OOM score adjustments for master, replica and background child.', {
  support: 'ignored',
});
bool('jemalloc-bg-thread', true, 'jemalloc background purging.', { support: 'ignored' });
str('server_cpulist', '', 'CPU affinity of the main thread.', { immutable: true, support: 'ignored', emptyIsNull: true });
str('bio_cpulist', '', 'CPU affinity of background I/O threads.', { immutable: true, support: 'ignored', emptyIsNull: true });
str('aof_rewrite_cpulist', '', 'CPU affinity of AOF rewrites.', { immutable: true, support: 'ignored', emptyIsNull: true });
str('bgsave_cpulist', '', 'CPU affinity of background saves.', { immutable: true, support: 'ignored', emptyIsNull: true });

section = 'append only mode';
bool('appendonly', false, 'Log every write to the append-only file (multi-part, in appenddirname); turning it on at runtime writes a base first.', {
  denyLoading: true,
  apply: (s, v) => s.setAppendonly(v as boolean),
});
add('appendfilename', stringType({ check: (v) => checkAofName(v, 'appendfilename', 'filename') }), 'appendonly.aof', 'Base name of the AOF files and manifest.', { immutable: true });
add('appenddirname', stringType({ check: (v) => checkAofName(v, 'appenddirname', 'dirname') }), 'appendonlydir', 'Directory (inside dir) holding the AOF files.', { immutable: true });
enm('appendfsync', ['everysec', 'always', 'no'], 'everysec', 'When the AOF is fsynced: before each reply (always), once a second in the background (everysec), or never (no).');
bool('no-appendfsync-on-rewrite', false, 'Skip AOF fsyncs while a rewrite or save runs.');
int('auto-aof-rewrite-percentage', 0, INT_MAX, 100, 'Rewrite the AOF when it grew by this percentage over its size after the last rewrite (0: never).');
mem('auto-aof-rewrite-min-size', 0, LONG_MAX, 64 * 1024 * 1024, 'No automatic rewrite below this AOF size.');
bool('aof-load-truncated', true, 'Load an AOF whose last command is cut short, truncating it there.');
bool('aof-use-rdb-preamble', true, 'Write AOF base files as RDB (else as commands).');
bool('aof-timestamp-enabled', false, 'Annotate the AOF with #TS:<unix time> lines.');
bool('aof-rewrite-incremental-fsync', true, 'Fsync every 4 MB while a rewrite writes its base.');
bool('aof-disable-auto-gc', false, 'Keep history AOF files after a rewrite instead of deleting them.', {
  apply: (s, v) => (v === false ? s.collectAofHistory() : undefined, null),
});

section = 'slow log and latency';
int('slowlog-log-slower-than', -1, LONG_MAX, 10000, 'Log commands slower than this many microseconds (-1 = off, 0 = all).');
int('slowlog-max-len', 0, LONG_MAX, 128, 'Entries kept in the slow log.', { apply: (s, v) => (s.trimSlowlog(v as number), null) });
int('latency-monitor-threshold', 0, LONG_MAX, 0, 'Latency monitor threshold in milliseconds.', { apply: (s) => (s.setLatencyMonitor(), null) });
bool('latency-tracking', true, 'Per-command latency histograms.', { apply: (s) => (s.setLatencyMonitor(), null) });
add('latency-tracking-info-percentiles', percentilesType(), ['50', '99', '99.9'], 'Percentiles INFO latencystats reports.');
add('notify-keyspace-events', keyspaceEventsType(), '', 'Keyspace notification classes (K E g $ l s h z x e t m d n A).', {
  apply: (s, v) => (s.setKeyspaceEvents(v as string), null),
});
int('active-expire-effort', 1, 10, 1, 'Effort of the active expiry cycle (1-10).');

section = 'advanced';
int('hash-max-listpack-entries', 0, LONG_MAX, 512, 'Hashes up to this many fields report the listpack encoding.', { aliases: ['hash-max-ziplist-entries'] });
mem('hash-max-listpack-value', 0, LONG_MAX, 64, 'Hashes whose values are no longer than this report listpack.', { aliases: ['hash-max-ziplist-value'] });
int('list-max-listpack-size', INT_MIN, INT_MAX, -2, 'List node size: negative = bytes class (-2 = 8kb), positive = entries.', {
  aliases: ['list-max-ziplist-size'],
});
int('list-compress-depth', 0, INT_MAX, 0, 'List nodes kept uncompressed at each end.', { support: 'ignored' });
int('set-max-intset-entries', 0, LONG_MAX, 512, 'Sets of integers up to this size report the intset encoding.');
int('zset-max-listpack-entries', 0, LONG_MAX, 128, 'Sorted sets up to this many members report listpack.', { aliases: ['zset-max-ziplist-entries'] });
mem('zset-max-listpack-value', 0, LONG_MAX, 64, 'Sorted sets whose members are no longer than this report listpack.', { aliases: ['zset-max-ziplist-value'] });
mem('hll-sparse-max-bytes', 0, LONG_MAX, 3000, 'Largest sparse HyperLogLog before it turns dense.');
mem('stream-node-max-bytes', 0, LONG_MAX, 4096, 'Largest stream node in bytes.');
int('stream-node-max-entries', 0, LONG_MAX, 100, 'Most entries in one stream node.');
bool('activerehashing', true, 'Incremental rehashing of the main dictionary.', { support: 'ignored' });
bool('activedefrag', false, 'Active defragmentation.', { support: 'ignored' });
mem('active-defrag-ignore-bytes', 1, LONG_MAX, 100 << 20, 'Defragmentation threshold.', { support: 'ignored' });
int('active-defrag-threshold-lower', 0, 1000, 10, 'Defragmentation lower threshold.', { support: 'ignored' });
int('active-defrag-threshold-upper', 0, 1000, 100, 'Defragmentation upper threshold.', { support: 'ignored' });
int('active-defrag-cycle-min', 1, 99, 1, 'Defragmentation minimum effort.', { support: 'ignored' });
int('active-defrag-cycle-max', 1, 99, 25, 'Defragmentation maximum effort.', { support: 'ignored' });
int('active-defrag-max-scan-fields', 1, LONG_MAX, 1000, 'Defragmentation scan batch.', { support: 'ignored' });

section = 'cluster and tls';
bool('cluster-enabled', false, 'Cluster mode is not supported.', { immutable: true, support: 'refused' });
int('tls-port', 0, 65535, 0, 'TLS is not supported.', { support: 'refused' });
bool('tls-replication', false, 'TLS is not supported.', { support: 'refused' });
bool('tls-cluster', false, 'TLS is not supported.', { support: 'refused' });

/** Every directive, in redis.conf.example order. */
export const DIRECTIVES: readonly Directive[] = directives;

const byName = new Map<string, Directive>();
for (const d of directives) {
  byName.set(d.name, d);
  for (const a of d.aliases) byName.set(a, d);
}

/** Looks a directive up by its name or an alias, case-insensitively. */
export function lookupDirective(name: string): Directive | undefined {
  return byName.get(name.toLowerCase());
}

/** Every name CONFIG GET patterns are matched against: names and aliases. */
export function allDirectiveNames(): { name: string; directive: Directive }[] {
  const out: { name: string; directive: Directive }[] = [];
  for (const d of directives) {
    out.push({ name: d.name, directive: d });
    for (const a of d.aliases) out.push({ name: a, directive: d });
  }
  return out;
}
