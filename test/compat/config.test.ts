// Differential: CONFIG GET / SET replies and errors on single names, byte for byte
// against redis-server 7.0 (defaults of every directive, validation messages,
// all-or-nothing multi-pair SET, HELP and subcommand errors).
import { expect, it } from 'vitest';
import { describeDifferential, diffScript, lines, type Script } from '../helpers/diff.js';
import { DIRECTIVES } from '../../src/config/schema.js';

/** Directives whose value legitimately differs between the two test servers or that redis-ts added. */
// redis-ts's own directives (log-format, repl-reconnect-max-delay, metrics-port) and those set differently by the harness.
const DIFFERENT = new Set(['port', 'dir', 'log-format', 'repl-reconnect-max-delay', 'enable-debug-command', 'metrics-port']);

describeDifferential('CONFIG vs redis-server', (pair) => {
  it('CONFIG GET of every directive and alias gives the same default', async () => {
    const script: Script = [];
    for (const d of DIRECTIVES) {
      if (DIFFERENT.has(d.name)) continue;
      for (const n of [d.name, ...d.aliases]) script.push(['CONFIG', 'GET', n]);
    }
    const r = await diffScript(pair, script);
    expect(r.ours).toEqual(r.real);
  });

  it('CONFIG GET on single names, odd spellings and unknown names', async () => {
    const r = await diffScript(
      pair,
      lines(`
        CONFIG GET HZ
        CONFIG GET Maxmemory-Policy
        CONFIG GET slave-read-only
        CONFIG GET hz hz HZ
        CONFIG GET nosuch
        CONFIG GET nosuch*
        CONFIG GET
        CONFIG GET save
        CONFIG GET client-output-buffer-limit
      `),
    );
    expect(r.ours).toEqual(r.real);
    const r3 = await diffScript(pair, lines(`CONFIG GET hz\nCONFIG GET nosuch\nCONFIG GET slaveof`), { resp3: true });
    expect(r3.ours).toEqual(r3.real);
  });

  it('CONFIG SET values and validation errors', async () => {
    const r = await diffScript(
      pair,
      lines(`
        CONFIG SET hz
        CONFIG SET hz 20 maxclients
        CONFIG SET hz 20
        CONFIG GET hz
        CONFIG SET hz abc
        CONFIG SET hz 0
        CONFIG GET hz
        CONFIG SET hz 100000
        CONFIG GET hz
        CONFIG SET hz 10
        CONFIG SET port 70000
        CONFIG SET port abc
        CONFIG SET port -1
        CONFIG SET loglevel bogus
        CONFIG SET loglevel WARNING
        CONFIG GET loglevel
        CONFIG SET loglevel notice
        CONFIG SET replica-read-only maybe
        CONFIG SET SLAVE-READ-ONLY maybe
        CONFIG SET replica-read-only YES
        CONFIG SET save "1 2 3"
        CONFIG SET save "0 1"
        CONFIG SET save "100 -1"
        CONFIG SET save "100 1 200 2"
        CONFIG GET save
        CONFIG SET save ""
        CONFIG GET save
        CONFIG SET client-output-buffer-limit "normal 1 2"
        CONFIG SET client-output-buffer-limit "foo 1 2 3"
        CONFIG SET client-output-buffer-limit "master 1 2 3"
        CONFIG SET client-output-buffer-limit "normal a 2 3"
        CONFIG SET client-output-buffer-limit "normal 1 2 -3"
        CONFIG SET client-output-buffer-limit "replica 1mb 2mb 3 pubsub 1gb 1k 3"
        CONFIG GET client-output-buffer-limit
        CONFIG SET client-output-buffer-limit "slave 256mb 64mb 60 pubsub 32mb 8mb 60"
        CONFIG GET client-output-buffer-limit
        CONFIG SET maxclients 0
        CONFIG SET maxclients -1
        CONFIG SET repl-timeout 0
        CONFIG SET repl-backlog-ttl -1
        CONFIG SET proto-max-bulk-len 1k
        CONFIG SET proto-max-bulk-len 2mb
        CONFIG GET proto-max-bulk-len
        CONFIG SET proto-max-bulk-len 512mb
        CONFIG SET list-max-listpack-size 01
        CONFIG SET list-max-listpack-size -5
        CONFIG GET list-max-listpack-size
        CONFIG SET list-max-ziplist-size -2
        CONFIG SET hash-max-listpack-entries 1k
        CONFIG SET hash-max-listpack-value 1k
        CONFIG GET hash-max-listpack-value
        CONFIG SET hash-max-listpack-value 64
        CONFIG SET hash-max-listpack-value ""
        CONFIG GET hash-max-listpack-value
        CONFIG SET hash-max-listpack-value 64
        CONFIG SET slowlog-log-slower-than -2
        CONFIG SET active-expire-effort 11
        CONFIG SET shutdown-on-sigterm "now save"
        CONFIG GET shutdown-on-sigterm
        CONFIG SET shutdown-on-sigterm "save nosave"
        CONFIG SET shutdown-on-sigterm bogus
        CONFIG SET shutdown-on-sigterm default
        CONFIG SET maxmemory-policy allkeys-lru
        CONFIG GET maxmemory-policy
        CONFIG SET maxmemory-policy bogus
        CONFIG SET maxmemory-policy noeviction
        CONFIG SET oom-score-adj-values "0 200"
        CONFIG SET oom-score-adj-values "0 200 3000"
        CONFIG SET latency-tracking-info-percentiles "50 101"
        CONFIG SET latency-tracking-info-percentiles abc
        CONFIG SET latency-tracking-info-percentiles "50.50 99.000"
        CONFIG GET latency-tracking-info-percentiles
        CONFIG SET latency-tracking-info-percentiles "50 99 99.9"
        CONFIG SET notify-keyspace-events X
        CONFIG SET proc-title-template "{nope}"
        CONFIG SET repl-diskless-load bogus
        CONFIG SET sanitize-dump-payload clients
        CONFIG GET sanitize-dump-payload
        CONFIG SET sanitize-dump-payload no
      `),
    );
    expect(r.ours).toEqual(r.real);
  });

  it('CONFIG SET with several pairs: the first problem wins, nothing changes', async () => {
    const r = await diffScript(
      pair,
      lines(`
        CONFIG SET nosuch 1
        CONFIG SET daemonize yes nosuch 1
        CONFIG SET nosuch 1 daemonize yes
        CONFIG SET hz 5 daemonize yes
        CONFIG SET hz 5 HZ 6
        CONFIG SET hz abc daemonize yes
        CONFIG SET hz 7 port abc
        CONFIG GET hz
        CONFIG SET dir /tmp
        CONFIG SET dbfilename x.rdb
        CONFIG SET databases 4
        CONFIG SET unixsocketperm 777
        CONFIG SET replica-read-only yes slave-read-only no
        CONFIG GET replica-read-only
        CONFIG SET hz 12 timeout 100 maxclients 900
        CONFIG GET hz
        CONFIG GET timeout
        CONFIG GET maxclients
        CONFIG SET hz 10 timeout 0 maxclients 10000 replica-read-only yes
      `),
    );
    expect(r.ours).toEqual(r.real);
  });

  it('HELP, RESETSTAT, REWRITE without a file, subcommand errors', async () => {
    const r = await diffScript(
      pair,
      lines(`
        CONFIG HELP
        CONFIG help extra
        CONFIG RESETSTAT
        CONFIG RESETSTAT x
        CONFIG REWRITE
        CONFIG FOO
        CONFIG
      `),
    );
    expect(r.ours).toEqual(r.real);
  });
});
