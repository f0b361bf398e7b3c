// CONFIG GET / SET / RESETSTAT / REWRITE / HELP (config.c's configGetCommand,
// configSetCommand, configResetStatCommand, configRewriteCommand).

import type { CommandStats } from './types.js';
import type { Client } from '../server/client.js';
import { replyHelp } from './args.js';
import type { CommandSpec, CommandFlag } from './types.js';
import { allDirectiveNames, lookupDirective, type Directive } from '../config/schema.js';
import { rewriteConfigFile } from '../config/rewrite.js';
import { strerror } from '../config/parse-file.js';
import { globMatch } from '../keyspace/glob.js';
import { isLocalClient } from '../server/local.js';
import { REDACTED } from '../server/monitor.js';
import { Errors } from '../protocol/errors.js';

const CONFIG_HELP = [
  'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
  'HELP',
  '    Prints this help.',
];

function hasGlob(s: string): boolean {
  return s.includes('*') || s.includes('?') || s.includes('[');
}

/**
 * CONFIG GET parameter [parameter ...]
 * Patterns match names and aliases alike (case-insensitively); an exact name keeps the
 * caller's spelling. Each name is reported once.
 */
function configGet(c: Client, argv: string[]): void {
  const config = c.server.config;
  // Lower-cased name → [name as replied, directive]; Map keeps the reply order.
  const matches = new Map<string, [string, Directive]>();
  for (let i = 2; i < argv.length; i++) {
    const pattern = argv[i];
    if (!hasGlob(pattern)) {
      const key = pattern.toLowerCase();
      if (matches.has(key)) continue;
      const d = lookupDirective(pattern);
      if (d !== undefined) matches.set(key, [pattern, d]);
      continue;
    }
    for (const { name, directive } of allDirectiveNames()) {
      if (matches.has(name) || directive.hidden) continue;
      if (globMatch(pattern, name, true)) matches.set(name, [name, directive]);
    }
  }
  c.mapLen(matches.size);
  for (const [name, d] of matches.values()) {
    c.bulk(name);
    c.bulk(config.format(d));
  }
}

/** CONFIG SET parameter value [parameter value ...] — all or nothing. */
function configSet(c: Client, argv: string[]): void {
  if ((argv.length & 1) !== 0) {
    c.error(Errors.syntax);
    return;
  }
  const config = c.server.config;
  const repl = c.server.replication;
  if (repl.loading || repl.asyncLoading) {
    for (let i = 2; i < argv.length; i += 2) {
      if (lookupDirective(argv[i])?.denyLoading === true) {
        c.error(Errors.loading);
        return;
      }
    }
  }
  const mode = config.str('enable-protected-configs');
  const allowProtected = mode === 'yes' || (mode === 'local' && isLocalClient(c));
  const err = config.setAtRuntime(argv.slice(2), allowProtected);
  if (err === null) c.ok();
  else c.error(err);
}

/** Values of sensitive directives (requirepass, masterauth ...) never reach MONITOR or SLOWLOG. */
function redactConfigSet(argv: string[]): void {
  for (let i = 2; i + 1 < argv.length; i += 2) {
    const d = lookupDirective(argv[i]);
    if (d !== undefined && d.sensitive) argv[i + 1] = REDACTED;
  }
}

/** CONFIG RESETSTAT — resets INFO stats, command stats and error stats (not the slow log). */
function configResetStat(c: Client): void {
  const s = c.server;
  s.stats.resetStats();
  s.hooks.keyspaceHits = 0;
  s.hooks.keyspaceMisses = 0;
  for (const cmd of s.commands.all()) {
    resetCommandStats(cmd.stats);
    if (cmd.subcommands !== null) for (const sub of cmd.subcommands.values()) resetCommandStats(sub.stats);
  }
  c.ok();
}

function resetCommandStats(st: CommandStats): void {
  st.histogram = null;
  st.calls = 0;
  st.usec = 0;
  st.rejectedCalls = 0;
  st.failedCalls = 0;
}

/** CONFIG REWRITE — writes the running configuration back into the config file. */
function configRewrite(c: Client): void {
  const s = c.server;
  const path = s.config.configFile;
  if (path === '') {
    c.error(Errors.theServerIsRunningWithoutAConfig);
    return;
  }
  try {
    rewriteConfigFile(s.config, path);
  } catch (e) {
    const msg = strerror(e);
    s.log.warning(`CONFIG REWRITE failed: ${msg}`);
    c.error(`ERR Rewriting config file: ${msg}`);
    return;
  }
  s.log.warning('CONFIG REWRITE executed with success.');
  c.ok();
}

/** DEBUG CONFIG-REWRITE-FORCE-ALL: the config file gets every directive, defaults included. */
export function configRewriteForceAll(c: Client): void {
  const s = c.server;
  try {
    if (s.config.configFile === '') throw Object.assign(new Error('no config file'), { code: 'ENOENT' });
    rewriteConfigFile(s.config, s.config.configFile, true);
  } catch (e) {
    c.error(`ERR CONFIG-REWRITE-FORCE-ALL failed: ${strerror(e)}`);
    return;
  }
  c.ok();
}

const ADMIN: readonly CommandFlag[] = ['admin', 'noscript', 'loading', 'stale'];

export const configCommands: CommandSpec[] = [
  {
    name: 'config',
    arity: -2,
    flags: [],
    group: 'server',
    subcommands: [
      { name: 'get', arity: -3, flags: ADMIN, group: 'server', handler: configGet },
      { name: 'set', arity: -4, flags: ADMIN, group: 'server', handler: configSet, redact: redactConfigSet },
      { name: 'resetstat', arity: 2, flags: ADMIN, group: 'server', handler: configResetStat },
      { name: 'rewrite', arity: 2, flags: ADMIN, group: 'server', handler: configRewrite },
      { name: 'help', arity: 2, flags: ['loading', 'stale'], group: 'server', handler: (c) => replyHelp(c, CONFIG_HELP) },
    ],
  },
];
