// Server administration commands: INFO TIME LASTSAVE SHUTDOWN MONITOR SLOWLOG
// COMMAND (server.c, db.c's shutdownCommand, slowlog.c). The INFO text is built
// in server/info.ts; COMMAND's metadata tables live in server-admin-meta.ts.

import { Errors } from '../protocol/errors.js';
import { replyHelp, subcommandSyntaxError } from './args.js';
import { parseInt64 } from '../util/int64.js';
import { globMatch } from '../keyspace/glob.js';
import { genInfoString } from '../server/info.js';
import { keyIndexes } from './table.js';
import {
  aclCategories,
  aclCategoryByName,
  commandDoc,
  commandFlags,
  commandTips,
  hasKeys,
  keyFlags,
  keySpecFields,
  keySpecs,
  legacyKeyRange,
} from './server-admin-meta.js';
import type { BeginSearch, FindKeys } from './server-admin-meta.js';
import type { Client } from '../server/client.js';
import type { Server } from '../server/server.js';
import type { SavePoint } from '../config/types.js';
import type { Command, CommandSpec } from './types.js';

/** INFO [section ...] */
function info(c: Client, argv: string[]): void {
  c.verbatim(genInfoString(c.server, argv.slice(1)));
}

/** TIME: seconds and microseconds of the server clock. */
function time(c: Client): void {
  const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  c.arrayLen(2);
  c.bulk(String(Math.floor(us / 1e6)));
  c.bulk(String(us % 1e6));
}

/** LASTSAVE */
function lastsave(c: Client): void {
  c.int(c.server.persistence.lastSaveTime);
}

/** SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT] */
function shutdown(c: Client, argv: string[]): void {
  let nosave = false;
  let save = false;
  let force = false;
  let now = false;
  let abort = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i].toLowerCase();
    if (a === 'nosave') nosave = true;
    else if (a === 'save') save = true;
    else if (a === 'now') now = true;
    else if (a === 'force') force = true;
    else if (a === 'abort') abort = true;
    else {
      c.error(Errors.syntax);
      return;
    }
  }
  if ((abort && (nosave || save || now || force)) || (nosave && save)) {
    c.error(Errors.syntax);
    return;
  }
  const seq = c.server.shutdownSequence;
  if (abort) {
    if (seq.abort()) c.ok();
    else c.error(Errors.noShutdownInProgress);
    return;
  }
  if (!now && c.denyBlocking) {
    c.error("ERR SHUTDOWN without NOW or ABORT isn't allowed for DENY BLOCKING client");
    return;
  }
  seq.request({ save, nosave, force, now }, c);
}

/** MONITOR */
function monitor(c: Client): void {
  if (c.denyBlocking) {
    c.error(Errors.monitorIsnTAllowedForDenyBlocking);
    return;
  }
  // Already a replica or a monitor: ignored, with no reply.
  if (c.isReplica) return;
  c.isReplica = true;
  c.isMonitor = true;
  c.server.monitors.add(c);
  c.ok();
}

const SLOWLOG_HELP = [
  'SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
  'HELP',
  '    Prints this help.',
];

/** SLOWLOG GET [count] */
function slowlogGet(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    subcommandSyntaxError(c, argv);
    return;
  }
  let count = 10;
  if (argv.length === 3) {
    const v = parseInt64(argv[2]);
    if (v === null || v < -1) {
      c.error(Errors.countShouldBeGreaterThanOrEqual);
      return;
    }
    count = typeof v === 'bigint' ? -1 : v;
  }
  const entries = c.server.slowlog.get(count);
  c.arrayLen(entries.length);
  for (const e of entries) {
    c.arrayLen(6);
    c.int(e.id);
    c.int(e.time);
    c.int(e.durationUs);
    c.bulks(e.argv);
    c.bulk(e.peer);
    c.bulk(e.clientName);
  }
}

/** SLOWLOG LEN */
function slowlogLen(c: Client): void {
  c.int(c.server.slowlog.length);
}

/** SLOWLOG RESET */
function slowlogReset(c: Client): void {
  c.server.slowlog.reset();
  c.ok();
}

/** A command by its full name ("get", "config|get"), any case; lookupCommandBySds. */
export function lookupByFullName(server: Server, name: string): Command | undefined {
  const bar = name.indexOf('|');
  if (bar === -1) return server.commands.lookupTop(name);
  const rest = name.slice(bar + 1);
  if (rest.indexOf('|') !== -1) return undefined;
  const top = server.commands.lookupTop(name.slice(0, bar));
  if (top === undefined || top.subcommands === null) return undefined;
  return top.subcommands.get(rest.toLowerCase());
}

function replyStatuses(c: Client, items: readonly string[]): void {
  c.setLen(items.length);
  for (const s of items) c.status(s);
}

function replyKeySpecs(c: Client, cmd: Command): void {
  const specs = keySpecs(cmd);
  c.setLen(specs.length);
  for (const ks of specs) {
    c.mapLen(ks.notes !== undefined ? 4 : 3);
    if (ks.notes !== undefined) {
      c.bulk('notes');
      c.bulk(ks.notes);
    }
    c.bulk('flags');
    replyStatuses(c, ks.flags);
    c.bulk('begin_search');
    replyKeySpecPart(c, ks.beginSearch);
    c.bulk('find_keys');
    replyKeySpecPart(c, ks.findKeys);
  }
}

/** A key spec's begin_search or find_keys: its type and the fields of its spec. */
function replyKeySpecPart(c: Client, part: BeginSearch | FindKeys): void {
  c.mapLen(2);
  c.bulk('type');
  c.bulk(part.type);
  c.bulk('spec');
  const fields = keySpecFields(part);
  c.mapLen(fields.length);
  for (const [name, value] of fields) {
    c.bulk(name);
    if (typeof value === 'number') c.int(value);
    else c.bulk(value);
  }
}

/** addReplyCommandInfo: the 10-element description of a command (null when unknown). */
function replyCommandInfo(c: Client, cmd: Command | undefined): void {
  if (cmd === undefined) {
    c.nullBulk();
    return;
  }
  const [first, last, step] = legacyKeyRange(cmd);
  c.arrayLen(10);
  c.bulk(cmd.fullName);
  c.int(cmd.arity);
  replyStatuses(c, commandFlags(cmd));
  c.int(first);
  c.int(last);
  c.int(step);
  const cats = aclCategories(cmd);
  c.setLen(cats.length);
  for (const cat of cats) c.status('@' + cat);
  const tips = commandTips(cmd);
  c.setLen(tips.length);
  for (const t of tips) c.bulk(t);
  replyKeySpecs(c, cmd);
  if (cmd.subcommands === null) {
    c.setLen(0);
  } else {
    c.arrayLen(cmd.subcommands.size);
    for (const sub of cmd.subcommands.values()) replyCommandInfo(c, sub);
  }
}

/** addReplyCommandDocs: summary, since, group, complexity and subcommands' docs. */
function replyCommandDocs(c: Client, cmd: Command): void {
  const d = commandDoc(cmd);
  let n = 1;
  if (d.summary !== undefined) n++;
  if (d.since !== undefined) n++;
  if (d.complexity !== undefined) n++;
  if (cmd.subcommands !== null) n++;
  c.mapLen(n);
  if (d.summary !== undefined) {
    c.bulk('summary');
    c.bulk(d.summary);
  }
  if (d.since !== undefined) {
    c.bulk('since');
    c.bulk(d.since);
  }
  c.bulk('group');
  c.bulk(d.group);
  if (d.complexity !== undefined) {
    c.bulk('complexity');
    c.bulk(d.complexity);
  }
  if (cmd.subcommands !== null) {
    c.bulk('subcommands');
    c.mapLen(cmd.subcommands.size);
    for (const sub of cmd.subcommands.values()) {
      c.bulk(sub.fullName);
      replyCommandDocs(c, sub);
    }
  }
}

/** COMMAND: every command's description. */
function command(c: Client): void {
  const all = c.server.commands.all();
  c.arrayLen(all.length);
  for (const cmd of all) replyCommandInfo(c, cmd);
}

/** COMMAND COUNT */
function commandCount(c: Client): void {
  c.int(c.server.commands.all().length);
}

/** COMMAND INFO [command-name ...] */
function commandInfo(c: Client, argv: string[]): void {
  if (argv.length === 2) {
    command(c);
    return;
  }
  c.arrayLen(argv.length - 2);
  for (let i = 2; i < argv.length; i++) replyCommandInfo(c, lookupByFullName(c.server, argv[i]));
}

/** COMMAND DOCS [command-name ...] */
function commandDocs(c: Client, argv: string[]): void {
  const list: Command[] = [];
  if (argv.length === 2) list.push(...c.server.commands.all());
  else {
    for (let i = 2; i < argv.length; i++) {
      const cmd = lookupByFullName(c.server, argv[i]);
      if (cmd !== undefined) list.push(cmd);
    }
  }
  c.mapLen(list.length);
  for (const cmd of list) {
    c.bulk(cmd.fullName);
    replyCommandDocs(c, cmd);
  }
}

/** COMMAND GETKEYS / GETKEYSANDFLAGS: keys of a full command line. */
function getKeys(c: Client, argv: string[], withFlags: boolean): void {
  const sub = argv.slice(2);
  const cmd = c.server.commands.lookup(sub);
  if (cmd === undefined) {
    c.error(Errors.invalidCommandSpecified);
    return;
  }
  if (!hasKeys(cmd)) {
    c.error(Errors.theCommandHasNoKeyArguments);
    return;
  }
  if ((cmd.arity > 0 && cmd.arity !== sub.length) || sub.length < -cmd.arity) {
    c.error(Errors.invalidNumberOfArgumentsSpecifiedForCommand);
    return;
  }
  const idx = keyIndexes(cmd, sub);
  if (idx.length === 0 && !cmd.spec.flags.includes('no_mandatory_keys')) {
    c.error(Errors.invalidArgumentsSpecifiedForCommand);
    return;
  }
  const flags = withFlags ? keyFlags(cmd, sub, idx) : [];
  c.arrayLen(idx.length);
  for (let n = 0; n < idx.length; n++) {
    if (withFlags) {
      c.arrayLen(2);
      c.bulk(sub[idx[n]]);
      replyStatuses(c, flags[n]);
    } else c.bulk(sub[idx[n]]);
  }
}

/** COMMAND LIST [FILTERBY MODULE name|ACLCAT category|PATTERN pattern] */
function commandList(c: Client, argv: string[]): void {
  let filter: { type: 'module' | 'aclcat' | 'pattern'; arg: string } | null = null;
  for (let i = 2; i < argv.length; i++) {
    if (argv[i].toLowerCase() === 'filterby' && argv.length - 1 - i === 2) {
      const t = argv[i + 1].toLowerCase();
      if (t !== 'module' && t !== 'aclcat' && t !== 'pattern') {
        c.error(Errors.syntax);
        return;
      }
      filter = { type: t, arg: argv[i + 2] };
      i += 2;
    } else {
      c.error(Errors.syntax);
      return;
    }
  }
  const names: string[] = [];
  const cat = filter?.type === 'aclcat' ? aclCategoryByName(filter.arg) : null;
  const visit = (cmds: Iterable<Command>) => {
    for (const cmd of cmds) {
      let keep = true;
      if (filter !== null) {
        // No modules exist, so a module filter matches nothing.
        if (filter.type === 'module') keep = false;
        else if (filter.type === 'aclcat') keep = cat !== null && aclCategories(cmd).includes(cat);
        else keep = globMatch(filter.arg.toLowerCase(), cmd.fullName.toLowerCase());
      }
      if (keep) names.push(cmd.fullName);
      if (cmd.subcommands !== null) visit(cmd.subcommands.values());
    }
  };
  visit(c.server.commands.all());
  c.bulks(names);
}

const COMMAND_HELP = [
  'COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full Redis command.',
  'HELP',
  '    Prints this help.',
];

const CMD_FLAGS = ['loading', 'stale', 'sentinel'] as const;

export const serverCommands: CommandSpec[] = [
  { name: 'info', arity: -1, flags: ['loading', 'stale', 'sentinel'], group: 'server', handler: info },
  { name: 'time', arity: 1, flags: ['loading', 'stale', 'fast'], group: 'server', handler: time },
  { name: 'lastsave', arity: 1, flags: ['loading', 'stale', 'fast'], group: 'server', handler: lastsave },
  {
    name: 'shutdown',
    arity: -1,
    flags: ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'sentinel', 'allow_busy'],
    group: 'server',
    handler: shutdown,
  },
  { name: 'monitor', arity: 1, flags: ['admin', 'noscript', 'loading', 'stale'], group: 'server', handler: monitor },
  {
    name: 'slowlog',
    arity: -2,
    flags: [],
    group: 'server',
    subcommands: [
      { name: 'get', arity: -2, flags: ['admin', 'loading', 'stale'], group: 'server', handler: slowlogGet },
      { name: 'len', arity: 2, flags: ['admin', 'loading', 'stale'], group: 'server', handler: slowlogLen },
      { name: 'reset', arity: 2, flags: ['admin', 'loading', 'stale'], group: 'server', handler: slowlogReset },
      { name: 'help', arity: 2, flags: ['loading', 'stale'], group: 'server', handler: (c) => replyHelp(c, SLOWLOG_HELP) },
    ],
  },
  {
    name: 'command',
    arity: -1,
    flags: [...CMD_FLAGS],
    group: 'server',
    handler: command,
    subcommands: [
      { name: 'count', arity: 2, flags: [...CMD_FLAGS], group: 'server', handler: commandCount },
      { name: 'docs', arity: -2, flags: [...CMD_FLAGS], group: 'server', handler: commandDocs },
      { name: 'getkeys', arity: -4, flags: [...CMD_FLAGS], group: 'server', handler: (c, argv) => getKeys(c, argv, false) },
      { name: 'getkeysandflags', arity: -4, flags: [...CMD_FLAGS], group: 'server', handler: (c, argv) => getKeys(c, argv, true) },
      { name: 'help', arity: 2, flags: [...CMD_FLAGS], group: 'server', handler: (c) => replyHelp(c, COMMAND_HELP) },
      { name: 'info', arity: -2, flags: [...CMD_FLAGS], group: 'server', handler: commandInfo },
      { name: 'list', arity: -2, flags: [...CMD_FLAGS], group: 'server', handler: commandList },
    ],
  },
];
