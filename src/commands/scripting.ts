// Scripting commands: EVAL EVALSHA EVAL_RO EVALSHA_RO SCRIPT (eval.c). The engine,
// cache and driver live in src/scripting/.

import type { Client } from '../server/client.js';
import { feedMonitors } from '../server/monitor.js';
import { replyHelp } from './args.js';
import type { Command, CommandSpec } from './types.js';

/** The keys of EVAL-style commands: numkeys at argv[2], then the keys. */
export function scriptKeys(argv: readonly string[]): number[] {
  const n = Number(argv[2]);
  if (!Number.isInteger(n) || n <= 0 || n > argv.length - 3) return [];
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(3 + i);
  return out;
}

function monitorScript(c: Client): void {
  const s = c.server;
  if (s.monitors.size > 0) feedMonitors(s, c, s.currentCommand as Command, s.currentArgv as string[]);
}

/** EVAL script numkeys [key ...] [arg ...] */
function evalCmd(c: Client, argv: string[]): void {
  monitorScript(c);
  c.server.scripting.eval.eval(c, argv, false, false);
}
/** EVALSHA sha1 numkeys [key ...] [arg ...] */
function evalsha(c: Client, argv: string[]): void {
  monitorScript(c);
  c.server.scripting.eval.eval(c, argv, true, false);
}
/** EVAL_RO script numkeys [key ...] [arg ...] */
function evalRo(c: Client, argv: string[]): void {
  monitorScript(c);
  c.server.scripting.eval.eval(c, argv, false, true);
}
/** EVALSHA_RO sha1 numkeys [key ...] [arg ...] */
function evalshaRo(c: Client, argv: string[]): void {
  monitorScript(c);
  c.server.scripting.eval.eval(c, argv, true, true);
}

/** SCRIPT FLUSH [ASYNC|SYNC] */
function scriptFlush(c: Client, argv: string[]): void {
  if (argv.length > 3 || (argv.length === 3 && !/^(a?sync)$/i.test(argv[2]))) {
    c.error('ERR SCRIPT FLUSH only support SYNC|ASYNC option');
    return;
  }
  c.server.scripting.flushEval();
  c.ok();
}

/** SCRIPT EXISTS sha1 [sha1 ...] */
function scriptExists(c: Client, argv: string[]): void {
  const scripts = c.server.scripting.eval.scripts;
  c.arrayLen(argv.length - 2);
  for (let i = 2; i < argv.length; i++) c.int(scripts.has(argv[i].toLowerCase()) ? 1 : 0);
}

/** SCRIPT LOAD script */
function scriptLoad(c: Client, argv: string[]): void {
  const sha = c.server.scripting.eval.create(c, argv[2]);
  if (sha !== null) c.bulk(sha);
}

/** SCRIPT KILL */
function scriptKill(c: Client): void {
  c.server.scripting.driver.kill(c, true);
}

/** SCRIPT DEBUG YES|SYNC|NO: the Lua debugger is not supported. */
function scriptDebug(c: Client, argv: string[]): void {
  const mode = argv[2].toLowerCase();
  if (mode === 'no') {
    c.ok();
    return;
  }
  if (mode === 'yes' || mode === 'sync') {
    c.error('ERR The Lua debugger (SCRIPT DEBUG) is not supported by redis-ts');
    return;
  }
  c.error('ERR Use SCRIPT DEBUG YES/SYNC/NO');
}

function scriptHelp(c: Client): void {
  replyHelp(c, [
    // addReplyHelp's header and closing HELP entry, as in redis-server's reply.
    'SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
    'DEBUG (YES|SYNC|NO)',
    '    Set the debug mode for subsequent scripts executed.',
    'EXISTS <sha1> [<sha1> ...]',
    '    Return information about the existence of the scripts in the script cache.',
    'FLUSH [ASYNC|SYNC]',
    '    Flush the Lua scripts cache. Very dangerous on replicas.',
    '    When called without the optional mode argument, the behavior is determined by the',
    '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
    '    * ASYNC: Asynchronously flush the scripts cache.',
    '    * SYNC: Synchronously flush the scripts cache.',
    'KILL',
    '    Kill the currently executing Lua script.',
    'LOAD <script>',
    '    Load a script into the scripts cache without executing it.',
    'HELP',
    '    Prints this help.',
  ]);
}

function evalScriptFlags(c: Client, argv: readonly string[]): number | null {
  return c.server.scripting.eval.declaredFlags(argv, false);
}
function evalshaScriptFlags(c: Client, argv: readonly string[]): number | null {
  return c.server.scripting.eval.declaredFlags(argv, true);
}

const EVAL_FLAGS = ['noscript', 'stale', 'skip_monitor', 'no_mandatory_keys'] as const;
/** EVAL and EVALSHA may replicate (hidden from COMMAND INFO, as in Redis); the _RO variants not. */
const MAY_REPLICATE = ['may_replicate'] as const;

export const scriptingCommands: CommandSpec[] = [
  { name: 'eval', arity: -3, flags: [...EVAL_FLAGS, ...MAY_REPLICATE], getKeys: scriptKeys, scriptFlags: evalScriptFlags, group: 'scripting', handler: evalCmd },
  { name: 'evalsha', arity: -3, flags: [...EVAL_FLAGS, ...MAY_REPLICATE], getKeys: scriptKeys, scriptFlags: evalshaScriptFlags, group: 'scripting', handler: evalsha },
  { name: 'eval_ro', arity: -3, flags: ['readonly', ...EVAL_FLAGS], getKeys: scriptKeys, scriptFlags: evalScriptFlags, group: 'scripting', handler: evalRo },
  { name: 'evalsha_ro', arity: -3, flags: ['readonly', ...EVAL_FLAGS], getKeys: scriptKeys, scriptFlags: evalshaScriptFlags, group: 'scripting', handler: evalshaRo },
  {
    name: 'script',
    arity: -2,
    flags: [],
    group: 'scripting',
    subcommands: [
      { name: 'help', arity: 2, flags: ['loading', 'stale'], group: 'scripting', handler: scriptHelp },
      { name: 'flush', arity: -2, flags: ['noscript'], group: 'scripting', handler: scriptFlush },
      { name: 'load', arity: 3, flags: ['noscript', 'stale'], group: 'scripting', handler: scriptLoad },
      { name: 'exists', arity: -3, flags: ['noscript'], group: 'scripting', handler: scriptExists },
      { name: 'debug', arity: 3, flags: ['noscript'], group: 'scripting', handler: scriptDebug },
      { name: 'kill', arity: 2, flags: ['noscript', 'allow_busy'], group: 'scripting', handler: scriptKill },
    ],
  },
];
