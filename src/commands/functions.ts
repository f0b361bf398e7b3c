// Function commands: FUNCTION LOAD DELETE LIST DUMP RESTORE FLUSH STATS KILL HELP,
// FCALL and FCALL_RO (functions.c). The libraries live in src/scripting/functions.ts.

import { createFunctionsPayload } from '../persistence/rdb/writer.js';
import { parseFunctionsPayload } from '../persistence/rdb/dump-payload.js';
import { Errors } from '../protocol/errors.js';
import type { Client } from '../server/client.js';
import { feedMonitors } from '../server/monitor.js';
import { globMatch } from '../keyspace/glob.js';
import { replyHelp, subcommandSyntaxError } from './args.js';
import { scriptKeys } from './scripting.js';
import { SCRIPT_FLAG_NAMES } from '../scripting/script-run.js';
import type { Command, CommandSpec } from './types.js';

/** FUNCTION LOAD [REPLACE] function-code */
function functionLoad(c: Client, argv: string[]): void {
  let replace = false;
  let i = 2;
  for (; i < argv.length - 1; i++) {
    if (argv[i].toLowerCase() === 'replace') replace = true;
    else {
      c.error(`ERR Unknown option given: ${argv[i]}`);
      return;
    }
  }
  if (i >= argv.length) {
    c.error('ERR Function code is missing');
    return;
  }
  const r = c.server.scripting.functions.load(argv[i], replace, c.isMaster ? 0 : undefined);
  if (typeof r !== 'string') {
    c.error('ERR ' + r.error);
    return;
  }
  c.server.dirty++;
  c.bulk(r);
}

/** FUNCTION DELETE library-name */
function functionDelete(c: Client, argv: string[]): void {
  if (!c.server.scripting.functions.delete(argv[2])) {
    c.error('ERR Library not found');
    return;
  }
  c.server.dirty++;
  c.ok();
}

/** FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE] */
function functionList(c: Client, argv: string[]): void {
  let withCode = false;
  let pattern: string | null = null;
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i].toLowerCase();
    if (!withCode && a === 'withcode') {
      withCode = true;
      continue;
    }
    if (pattern === null && a === 'libraryname') {
      if (i >= argv.length - 1) {
        c.error('ERR library name argument was not given');
        return;
      }
      pattern = argv[++i];
      continue;
    }
    c.error(`ERR Unknown argument ${argv[i]}`);
    return;
  }
  const libs = [...c.server.scripting.functions.libraries.values()].filter((l) => pattern === null || globMatch(pattern, l.name, true));
  c.arrayLen(libs.length);
  for (const lib of libs) {
    c.mapLen(withCode ? 4 : 3);
    c.bulk('library_name');
    c.bulk(lib.name);
    c.bulk('engine');
    c.bulk(lib.engine);
    c.bulk('functions');
    c.arrayLen(lib.functions.size);
    for (const f of lib.functions.values()) {
      c.mapLen(3);
      c.bulk('name');
      c.bulk(f.name);
      c.bulk('description');
      if (f.description === null) c.nullBulk();
      else c.bulk(f.description);
      c.bulk('flags');
      const names = SCRIPT_FLAG_NAMES.filter(([, bit]) => (f.flags & bit) !== 0);
      c.setLen(names.length);
      for (const [name] of names) c.status(name);
    }
    if (withCode) {
      c.bulk('library_code');
      c.bulk(lib.code);
    }
  }
}

/** FUNCTION DUMP */
function functionDump(c: Client): void {
  c.bulkBuffer(createFunctionsPayload(c.server.scripting.functions.codes()));
}

/** FUNCTION RESTORE serialized-value [FLUSH|APPEND|REPLACE] */
function functionRestore(c: Client, argv: string[]): void {
  if (argv.length > 4) {
    subcommandSyntaxError(c, argv);
    return;
  }
  let policy: 'flush' | 'append' | 'replace' = 'append';
  if (argv.length === 4) {
    const p = argv[3].toLowerCase();
    if (p !== 'flush' && p !== 'append' && p !== 'replace') {
      c.error('ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.');
      return;
    }
    policy = p;
  }
  const codes = parseFunctionsPayload(Buffer.from(argv[2], 'latin1'));
  if (!Array.isArray(codes)) {
    c.error(codes.error);
    return;
  }
  const err = c.server.scripting.functions.restore(codes, policy);
  if (err !== null) {
    c.error('ERR ' + err);
    return;
  }
  c.server.dirty++;
  c.ok();
}

/** FUNCTION FLUSH [ASYNC|SYNC] */
function functionFlush(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    subcommandSyntaxError(c, argv);
    return;
  }
  if (argv.length === 3 && !/^(a?sync)$/i.test(argv[2])) {
    c.error('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
    return;
  }
  c.server.scripting.functions.flush();
  c.server.dirty++;
  c.ok();
}

/** FUNCTION STATS */
function functionStats(c: Client): void {
  const scripting = c.server.scripting;
  const running = scripting.driver.busy ?? scripting.driver.current;
  if (running !== null && running.evalMode) {
    c.error(Errors.busyScript);
    return;
  }
  c.mapLen(2);
  c.bulk('running_script');
  if (running === null) c.nullBulk();
  else {
    c.mapLen(3);
    c.bulk('name');
    c.bulk(running.funcname);
    c.bulk('command');
    c.bulks(running.argv);
    c.bulk('duration_ms');
    c.int(Math.floor(performance.now() - running.startedAt));
  }
  c.bulk('engines');
  c.mapLen(1);
  c.bulk('LUA');
  c.mapLen(2);
  c.bulk('libraries_count');
  c.int(scripting.functions.libraries.size);
  c.bulk('functions_count');
  c.int(scripting.functions.functions.size);
}

/** FUNCTION KILL */
function functionKill(c: Client): void {
  c.server.scripting.driver.kill(c, false);
}

function functionHelp(c: Client): void {
  replyHelp(c, [
    // addReplyHelp's header and closing HELP entry, as in redis-server's reply.
    'FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
    'LOAD [REPLACE] <FUNCTION CODE>',
    '    Create a new library with the given library name and code.',
    'DELETE <LIBRARY NAME>',
    '    Delete the given library.',
    'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
    '    Return general information on all the libraries:',
    '    * Library name',
    '    * The engine used to run the Library',
    '    * Library description',
    '    * Functions list',
    '    * Library code (if WITHCODE is given)',
    '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
    'STATS',
    '    Return information about the current function running:',
    '    * Function name',
    '    * Command used to run the function',
    '    * Duration in MS that the function is running',
    '    If no function is running, return nil',
    '    In addition, returns a list of available engines.',
    'KILL',
    '    Kill the current running function.',
    'FLUSH [ASYNC|SYNC]',
    '    Delete all the libraries.',
    '    When called without the optional mode argument, the behavior is determined by the',
    '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
    '    * ASYNC: Asynchronously flush the libraries.',
    '    * SYNC: Synchronously flush the libraries.',
    'DUMP',
    '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
    'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
    '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
    '    control how to handle existing libraries (default APPEND):',
    '    * FLUSH: delete all existing libraries.',
    '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
    '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
    '      libraries with the new libraries (notice that even on this option there is a chance of failure',
    '      in case of functions name collision with another library).',
    'HELP',
    '    Prints this help.',
  ]);
}

function fcall(c: Client, argv: string[]): void {
  const s = c.server;
  if (s.monitors.size > 0) feedMonitors(s, c, s.currentCommand as Command, argv);
  s.scripting.functions.fcall(c, argv, false);
}

function fcallRo(c: Client, argv: string[]): void {
  const s = c.server;
  if (s.monitors.size > 0) feedMonitors(s, c, s.currentCommand as Command, argv);
  s.scripting.functions.fcall(c, argv, true);
}

function fcallScriptFlags(c: Client, argv: readonly string[]): number | null {
  return c.server.scripting.functions.functions.get(argv[1].toLowerCase())?.flags ?? null;
}

const FCALL_FLAGS = ['noscript', 'stale', 'skip_monitor', 'no_mandatory_keys'] as const;

export const functionCommands: CommandSpec[] = [
  { name: 'fcall', arity: -3, flags: [...FCALL_FLAGS, 'may_replicate'], getKeys: scriptKeys, scriptFlags: fcallScriptFlags, group: 'scripting', handler: fcall },
  { name: 'fcall_ro', arity: -3, flags: ['readonly', ...FCALL_FLAGS], getKeys: scriptKeys, scriptFlags: fcallScriptFlags, group: 'scripting', handler: fcallRo },
  {
    name: 'function',
    arity: -2,
    flags: [],
    group: 'scripting',
    subcommands: [
      { name: 'load', arity: -3, flags: ['write', 'denyoom', 'noscript'], group: 'scripting', handler: functionLoad },
      { name: 'restore', arity: -3, flags: ['write', 'denyoom', 'noscript'], group: 'scripting', handler: functionRestore },
      { name: 'dump', arity: 2, flags: ['noscript'], group: 'scripting', handler: functionDump },
      { name: 'list', arity: -2, flags: ['noscript'], group: 'scripting', handler: functionList },
      { name: 'help', arity: 2, flags: ['loading', 'stale'], group: 'scripting', handler: functionHelp },
      { name: 'flush', arity: -2, flags: ['write', 'noscript'], group: 'scripting', handler: functionFlush },
      { name: 'delete', arity: 3, flags: ['write', 'noscript'], group: 'scripting', handler: functionDelete },
      { name: 'kill', arity: 2, flags: ['noscript', 'allow_busy'], group: 'scripting', handler: functionKill },
      { name: 'stats', arity: 2, flags: ['noscript', 'allow_busy'], group: 'scripting', handler: functionStats },
    ],
  },
];
