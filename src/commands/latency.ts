// LATENCY LATEST HISTORY RESET GRAPH DOCTOR HISTOGRAM HELP (latency.c). The
// monitor itself lives in src/server/latency.ts.

import type { Client } from '../server/client.js';
import { bucketMicros, type LatencySeries } from '../server/latency.js';
import { replyHelp } from './args.js';
import type { Command, CommandSpec } from './types.js';

/** LATENCY HISTORY event */
function latencyHistory(c: Client, argv: string[]): void {
  const s = c.server.latency.events.get(argv[2]);
  if (s === undefined) {
    c.arrayLen(0);
    return;
  }
  c.arrayLen(s.samples.length);
  for (const x of s.samples) {
    c.arrayLen(2);
    c.int(x.time);
    c.int(x.latency);
  }
}

/** LATENCY LATEST */
function latencyLatest(c: Client): void {
  const events = c.server.latency.events;
  c.arrayLen(events.size);
  for (const [name, s] of events) {
    const last = s.samples[s.samples.length - 1];
    c.arrayLen(4);
    c.bulk(name);
    c.int(last?.time ?? 0);
    c.int(last?.latency ?? 0);
    c.int(s.max);
  }
}

/** LATENCY RESET [event ...] */
function latencyReset(c: Client, argv: string[]): void {
  const mon = c.server.latency;
  if (argv.length === 2) {
    c.int(mon.reset(null));
    return;
  }
  let n = 0;
  for (let i = 2; i < argv.length; i++) n += mon.reset(argv[i]);
  c.int(n);
}

/** A text graph of an event's samples, newest on the right, with how long ago each was. */
function sparkline(name: string, s: LatencySeries): string {
  const now = Math.floor(Date.now() / 1000);
  const lat = s.samples.map((x) => x.latency);
  const max = Math.max(...lat);
  const min = Math.min(...lat);
  let out = `${name} - high ${max} ms, low ${min} ms (all time high ${s.max} ms)\n${'-'.repeat(80)}\n`;
  const rows = 4;
  const cols = s.samples.slice(-80);
  for (let r = rows; r >= 1; r--) {
    let line = '';
    for (const x of cols) line += max > 0 && (x.latency / max) * rows >= r - 0.5 ? (r === rows ? '_' : '#') : ' ';
    out += line + '\n';
  }
  const ago = (t: number) => {
    const e = now - t;
    return e < 60 ? `${e}s` : e < 3600 ? `${Math.floor(e / 60)}m` : e < 86400 ? `${Math.floor(e / 3600)}h` : `${Math.floor(e / 86400)}d`;
  };
  const labels = cols.map((x) => ago(x.time));
  const width = Math.max(0, ...labels.map((l) => l.length));
  for (let i = 0; i < width; i++) out += labels.map((l) => l[i] ?? ' ').join('') + '\n';
  return out;
}

/** LATENCY GRAPH event */
function latencyGraph(c: Client, argv: string[]): void {
  const s = c.server.latency.events.get(argv[2]);
  if (s === undefined || s.samples.length === 0) {
    c.error(`ERR No samples available for event '${argv[2]}'`);
    return;
  }
  c.verbatim(sparkline(argv[2], s));
}

/** LATENCY DOCTOR: a short report in the spirit of Redis's. */
function latencyDoctor(c: Client): void {
  const events = c.server.latency.events;
  if (events.size === 0) {
    c.verbatim(
      'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n',
    );
    return;
  }
  let report = "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
  let i = 1;
  for (const [name, s] of events) {
    const avg = Math.round(s.samples.reduce((a, x) => a + x.latency, 0) / Math.max(1, s.samples.length));
    report += `${i++}. ${name}: ${s.samples.length} latency spikes (average ${avg}ms, mean deviation 0ms, period 0 sec). Worst all time event ${s.max}ms.\n`;
  }
  report += '\nI have a few advices for you:\n\n- Check the slow log (SLOWLOG GET) for commands that took long to run.\n';
  c.verbatim(report);
}

function writeHistogram(c: Client, cmd: Command): void {
  const h = cmd.stats.histogram!;
  c.bulk(cmd.fullName);
  c.mapLen(2);
  c.bulk('calls');
  c.int(cmd.stats.calls);
  c.bulk('histogram_usec');
  let buckets = 0;
  for (const n of h) if (n > 0) buckets++;
  c.mapLen(buckets);
  let cumulative = 0;
  for (let b = 0; b < h.length; b++) {
    if (h[b] === 0) continue;
    cumulative += h[b];
    c.int(bucketMicros(b));
    c.int(cumulative);
  }
}

/** LATENCY HISTOGRAM [command ...] */
function latencyHistogram(c: Client, argv: string[]): void {
  const table = c.server.commands;
  const picked: Command[] = [];
  const consider = (cmd: Command) => {
    if (cmd.stats.histogram !== null) picked.push(cmd);
    if (cmd.subcommands !== null) for (const sub of cmd.subcommands.values()) if (sub.stats.histogram !== null) picked.push(sub);
  };
  if (argv.length === 2) {
    for (const cmd of table.all()) consider(cmd);
  } else {
    for (let i = 2; i < argv.length; i++) {
      const [name, sub] = argv[i].toLowerCase().split('|');
      const top = table.lookupTop(name);
      if (top === undefined) continue;
      if (sub !== undefined) {
        const s = top.subcommands?.get(sub);
        if (s !== undefined && s.stats.histogram !== null) picked.push(s);
      } else consider(top);
    }
  }
  c.mapLen(picked.length);
  for (const cmd of picked) writeHistogram(c, cmd);
}

function latencyHelp(c: Client): void {
  replyHelp(c, [
    'DOCTOR',
    '    Return a human readable latency analysis report.',
    'GRAPH <event>',
    '    Return an ASCII latency graph for the <event> class.',
    'HISTORY <event>',
    '    Return time-latency samples for the <event> class.',
    'LATEST',
    '    Return the latest latency samples for all events.',
    'RESET [<event> ...]',
    '    Reset latency data of one or more <event> classes.',
    '    (default: reset all data for all event classes)',
    'HISTOGRAM [COMMAND ...]',
    '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
    '    If no commands are specified then all histograms are replied.',
  ]);
}

const ADMIN = ['admin', 'noscript', 'loading', 'stale'] as const;

export const latencyCommands: CommandSpec[] = [
  {
    name: 'latency',
    arity: -2,
    flags: [],
    group: 'server',
    subcommands: [
      { name: 'histogram', arity: -2, flags: [...ADMIN], group: 'server', handler: latencyHistogram },
      { name: 'help', arity: 2, flags: ['loading', 'stale'], group: 'server', handler: latencyHelp },
      { name: 'reset', arity: -2, flags: [...ADMIN], group: 'server', handler: latencyReset },
      { name: 'history', arity: 3, flags: [...ADMIN], group: 'server', handler: latencyHistory },
      { name: 'graph', arity: 3, flags: [...ADMIN], group: 'server', handler: latencyGraph },
      { name: 'doctor', arity: 2, flags: [...ADMIN], group: 'server', handler: latencyDoctor },
      { name: 'latest', arity: 2, flags: [...ADMIN], group: 'server', handler: latencyLatest },
    ],
  },
];
