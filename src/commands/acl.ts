// ACL (acl.c): users with passwords, the commands and categories they may run, the
// keys and channels they may use. SETUSER rules apply in order, as Redis applies
// them; a rule Redis has but redis-ts does not (selectors, read/write key
// permissions) is refused with an error naming it rather than accepted and ignored.

import { randomBytes } from 'node:crypto';
import { Errors } from '../protocol/errors.js';
import type { Client } from '../server/client.js';
import { AclUser, passwordHash } from '../server/acl-user.js';
import type { Server } from '../server/server.js';
import type { Command, CommandSpec } from './types.js';
import { replyHelp } from './args.js';
import { REDACTED } from '../server/monitor.js';
import { aclCategories, aclCategoryByName, ACL_CATEGORIES } from './server-admin-meta.js';

/** Every command and subcommand, by full name, with its categories. */
function everyCommand(s: Server): Command[] {
  const out: Command[] = [];
  for (const cmd of s.commands.all()) {
    if (cmd.subcommands === null) out.push(cmd);
    else for (const sub of cmd.subcommands.values()) out.push(sub);
  }
  return out;
}

function allow(u: AclUser, names: readonly string[], on: boolean): void {
  for (const n of names) {
    if (on) {
      u.allowed.add(n);
      u.denied.delete(n);
    } else {
      u.allowed.delete(n);
      u.denied.add(n);
    }
  }
}

/** The full names a `+name` / `+name|sub` rule covers, or null when there is no such command. */
function commandNames(s: Server, rule: string): string[] | null {
  const [name, sub] = rule.toLowerCase().split('|', 2);
  const top = s.commands.lookupTop(name);
  if (top === undefined) return null;
  if (sub === undefined) return top.subcommands === null ? [top.fullName] : [...top.subcommands.values()].map((c) => c.fullName);
  const c = top.subcommands?.get(sub);
  return c === undefined ? null : [c.fullName];
}

/** ACLSetUser for one rule; an error text (Redis's wording) or null. */
function applyRule(s: Server, u: AclUser, op: string): string | null {
  const lower = op.toLowerCase();
  if (lower === 'on') u.enabled = true;
  else if (lower === 'off') u.enabled = false;
  else if (lower === 'nopass') {
    u.nopass = true;
    u.passwords.clear();
  } else if (lower === 'resetpass') {
    u.nopass = false;
    u.passwords.clear();
  } else if (op[0] === '>' || op[0] === '<') {
    const h = passwordHash(op.slice(1));
    if (op[0] === '>') {
      u.passwords.add(h);
      u.nopass = false;
    } else if (!u.passwords.delete(h)) return 'no such password';
  } else if (op[0] === '#' || op[0] === '!') {
    const h = op.slice(1).toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(h)) return 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters';
    if (op[0] === '#') {
      u.passwords.add(h);
      u.nopass = false;
    } else if (!u.passwords.delete(h)) return 'no such password';
  } else if (lower === 'allkeys' || op === '~*') {
    u.allKeys = true;
    u.keyPatterns = [];
  } else if (lower === 'resetkeys') {
    u.allKeys = false;
    u.keyPatterns = [];
  } else if (op[0] === '~') {
    if (u.allKeys) return "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns";
    u.keyPatterns.push(op.slice(1));
  } else if (op[0] === '%') {
    return 'read and write key permissions (%R~ %W~) are not supported by redis-ts';
  } else if (lower === 'allchannels' || op === '&*') {
    u.allChannels = true;
    u.channelPatterns = [];
  } else if (lower === 'resetchannels') {
    u.allChannels = false;
    u.channelPatterns = [];
  } else if (op[0] === '&') {
    if (u.allChannels) return "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels";
    u.channelPatterns.push(op.slice(1));
  } else if (lower === 'allcommands' || lower === '+@all') {
    u.allCommands = true;
    u.allowed.clear();
    u.denied.clear();
    u.commandRules = ['+@all'];
  } else if (lower === 'nocommands' || lower === '-@all') {
    u.allCommands = false;
    u.allowed.clear();
    u.denied.clear();
    u.commandRules = ['-@all'];
  } else if ((op[0] === '+' || op[0] === '-') && op[1] === '@') {
    const cat = aclCategoryByName(op.slice(2));
    if (cat === null) return 'Unknown command or category name in ACL';
    allow(u, everyCommand(s).filter((c) => aclCategories(c).includes(cat)).map((c) => c.fullName), op[0] === '+');
    u.commandRules.push(lower);
  } else if (op[0] === '+' || op[0] === '-') {
    const names = commandNames(s, op.slice(1));
    if (names === null) return 'Unknown command or category name in ACL';
    allow(u, names, op[0] === '+');
    u.commandRules.push(lower);
  } else if (lower === 'reset') {
    for (const r of ['resetpass', 'resetkeys', 'resetchannels', 'off', '-@all']) applyRule(s, u, r);
  } else if (op[0] === '(' || lower === 'clearselectors') {
    return 'selectors are not supported by redis-ts';
  } else return 'Syntax error';
  return null;
}

/** A fresh user as ACL SETUSER creates it: off, no password, no commands, no keys, no channels. */
function newUser(name: string): AclUser {
  return new AclUser(name);
}

function setuser(c: Client, argv: string[]): void {
  const s = c.server;
  const name = argv[2];
  const existing = s.aclUsers.get(name);
  // Rules apply to a copy: a failing one leaves the user as it was.
  const u = existing === undefined ? newUser(name) : cloneUser(existing);
  for (let i = 3; i < argv.length; i++) {
    const err = applyRule(s, u, argv[i]);
    if (err !== null) {
      c.error(`ERR Error in ACL SETUSER modifier '${argv[i]}': ${err}`);
      return;
    }
  }
  if (existing === undefined) s.aclUsers.set(name, u);
  else copyInto(existing, u);
  c.ok();
}

function cloneUser(u: AclUser): AclUser {
  const n = new AclUser(u.name);
  copyInto(n, u);
  return n;
}

/** Authenticated clients keep their user object: changes apply to them at once, as in Redis. */
function copyInto(to: AclUser, from: AclUser): void {
  to.enabled = from.enabled;
  to.nopass = from.nopass;
  to.passwords.clear();
  for (const p of from.passwords) to.passwords.add(p);
  to.allCommands = from.allCommands;
  to.allowed.clear();
  for (const a of from.allowed) to.allowed.add(a);
  to.denied.clear();
  for (const d of from.denied) to.denied.add(d);
  to.commandRules = from.commandRules.slice();
  to.allKeys = from.allKeys;
  to.keyPatterns = from.keyPatterns.slice();
  to.allChannels = from.allChannels;
  to.channelPatterns = from.channelPatterns.slice();
}

function getuser(c: Client, name: string): void {
  const u = c.server.aclUsers.get(name);
  if (u === undefined) {
    c.nullBulk();
    return;
  }
  c.mapLen(6);
  c.bulk('flags');
  const flags = [u.enabled ? 'on' : 'off', ...(u.nopass ? ['nopass'] : [])];
  c.arrayLen(flags.length);
  for (const f of flags) c.bulk(f);
  c.bulk('passwords');
  c.arrayLen(u.passwords.size);
  for (const p of u.passwords) c.bulk(p);
  c.bulk('commands');
  c.bulk(u.commandRules.join(' '));
  c.bulk('keys');
  c.bulk(u.keysRule());
  c.bulk('channels');
  c.bulk(u.channelsRule());
  c.bulk('selectors');
  c.arrayLen(0);
}

function deluser(c: Client, names: string[]): void {
  const s = c.server;
  if (names.includes('default')) {
    c.error("ERR The 'default' user cannot be removed");
    return;
  }
  let n = 0;
  for (const name of new Set(names)) {
    const u = s.aclUsers.get(name);
    if (u === undefined) continue;
    s.aclUsers.delete(name);
    n++;
    // Clients authenticated as a deleted user are disconnected (ACLFreeUserAndKillClients).
    for (const cl of [...s.clients.values()]) if (cl.aclUser === u) s.closeClient(cl, false);
  }
  c.int(n);
}

/** ACL USERS */
function users(c: Client): void {
  const names = [...c.server.aclUsers.keys()].sort();
  c.arrayLen(names.length);
  for (const u of names) c.bulk(u);
}

/** ACL LIST */
function list(c: Client): void {
  const all = [...c.server.aclUsers.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  c.arrayLen(all.length);
  for (const u of all) c.bulk(`user ${u.name} ${u.describe()}`);
}

/** ACL CAT [category] */
function cat(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    c.error(Errors.wrongArgs('acl|cat'));
    return;
  }
  if (argv.length === 2) {
    c.arrayLen(ACL_CATEGORIES.length);
    for (const name of ACL_CATEGORIES) c.bulk(name);
    return;
  }
  const category = aclCategoryByName(argv[2]);
  if (category === null) {
    c.error(`ERR Unknown category '${argv[2]}'`);
    return;
  }
  const names = everyCommand(c.server)
    .filter((cmd) => aclCategories(cmd).includes(category))
    .map((cmd) => cmd.fullName);
  c.arrayLen(names.length);
  for (const name of names) c.bulk(name);
}

/** ACL GENPASS [bits] */
function genpass(c: Client, argv: string[]): void {
  const bits = argv.length === 3 ? Number(argv[2]) : 256;
  if (argv.length > 3 || !Number.isInteger(bits) || bits <= 0 || bits > 4096) {
    c.error('ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096');
    return;
  }
  c.bulk(randomBytes(Math.ceil(bits / 8)).toString('hex').slice(0, Math.ceil(bits / 4)));
}

/** ACL LOG [count | RESET]: denials are not recorded yet, so the log is empty. */
function log(c: Client, argv: string[]): void {
  if (argv.length === 3 && argv[2].toLowerCase() === 'reset') c.ok();
  else c.arrayLen(0);
}

const NO_ACL_FILE =
  'ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.';

const ACL_HELP = [
  'ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CAT [<category>]',
  '    List all commands that belong to <category>, or all command categories',
  '    when no category is specified.',
  'DELUSER <username> [<username> ...]',
  '    Delete a list of users.',
  'GETUSER <username>',
  "    Get the user's details.",
  'GENPASS [<bits>]',
  '    Generate a secure 256-bit user password. The optional `bits` argument can',
  '    be used to specify a different size.',
  'LIST',
  '    Show users details in config file format.',
  'LOG [<count> | RESET]',
  '    Show the ACL log entries.',
  'SETUSER <username> <attribute> [<attribute> ...]',
  '    Create or modify a user with the specified attributes.',
  'USERS',
  '    List all the registered usernames.',
  'WHOAMI',
  '    Return the current connection username.',
];

const ADMIN = ['admin', 'noscript', 'loading', 'stale'] as const;
const PLAIN = ['noscript', 'loading', 'stale'] as const;

export const aclCommands: CommandSpec[] = [
  {
    name: 'acl',
    arity: -2,
    flags: [],
    group: 'server',
    subcommands: [
      { name: 'cat', arity: -2, flags: [...PLAIN], group: 'server', handler: cat },
      { name: 'deluser', arity: -3, flags: [...ADMIN], group: 'server', handler: (c, argv) => deluser(c, argv.slice(2)) },
      { name: 'genpass', arity: -2, flags: [...PLAIN], group: 'server', handler: genpass },
      { name: 'getuser', arity: 3, flags: [...ADMIN], group: 'server', handler: (c, argv) => getuser(c, argv[2]) },
      { name: 'help', arity: 2, flags: ['loading', 'stale'], group: 'server', handler: (c) => replyHelp(c, ACL_HELP) },
      { name: 'list', arity: 2, flags: [...ADMIN], group: 'server', handler: list },
      { name: 'load', arity: 2, flags: [...ADMIN], group: 'server', handler: (c) => c.error(NO_ACL_FILE) },
      { name: 'log', arity: -2, flags: [...ADMIN], group: 'server', handler: log },
      { name: 'save', arity: 2, flags: [...ADMIN], group: 'server', handler: (c) => c.error(NO_ACL_FILE) },
      {
        name: 'setuser',
        arity: -3,
        flags: [...ADMIN],
        group: 'server',
        handler: setuser,
        // Passwords (and the rest) never reach SLOWLOG or MONITOR.
        redact: (argv) => {
          for (let i = 2; i < argv.length; i++) argv[i] = REDACTED;
        },
      },
      { name: 'users', arity: 2, flags: [...ADMIN], group: 'server', handler: users },
      { name: 'whoami', arity: 2, flags: [...PLAIN], group: 'server', handler: (c) => c.bulk(c.user) },
    ],
  },
];
