// An ACL user (acl.c's user struct, root selector only): whether it is enabled, its
// passwords (SHA-256 hex), the commands it may run (kept expanded to full command
// names, subcommands included, so the check before each command is one Set lookup),
// the key patterns it may touch and the pub/sub channels it may use.

import { createHash } from 'node:crypto';
import { globMatch } from '../keyspace/glob.js';

export function passwordHash(pass: string): string {
  return createHash('sha256').update(Buffer.from(pass, 'latin1')).digest('hex');
}

export class AclUser {
  enabled = false;
  nopass = false;
  readonly passwords = new Set<string>();
  /** Every command allowed (+@all): commands added later are allowed too. */
  allCommands = false;
  /** Full names ('get', 'config|get') allowed when allCommands is false; denied ones when it is true. */
  readonly allowed = new Set<string>();
  readonly denied = new Set<string>();
  /** The command rules as given, simplified as Redis prints them (ACL LIST, GETUSER). */
  commandRules: string[] = ['-@all'];
  allKeys = false;
  keyPatterns: string[] = [];
  allChannels = false;
  channelPatterns: string[] = [];

  constructor(readonly name: string) {}

  /** Nothing to check before a command (the default user as a server starts). */
  get unrestricted(): boolean {
    return this.allCommands && this.denied.size === 0 && this.allKeys && this.allChannels;
  }

  canRun(fullName: string): boolean {
    return this.allCommands ? !this.denied.has(fullName) : this.allowed.has(fullName);
  }

  /** Keys checked only for users with key patterns: most have allkeys. */
  canKey(key: string): boolean {
    if (this.allKeys) return true;
    for (const p of this.keyPatterns) if (globMatch(p, key)) return true;
    return false;
  }

  canChannel(channel: string): boolean {
    if (this.allChannels) return true;
    for (const p of this.channelPatterns) if (globMatch(p, channel)) return true;
    return false;
  }

  checkPassword(pass: string): boolean {
    return this.nopass || this.passwords.has(passwordHash(pass));
  }

  keysRule(): string {
    return this.allKeys ? '~*' : this.keyPatterns.map((p) => `~${p}`).join(' ');
  }

  channelsRule(): string {
    return this.allChannels ? '&*' : this.channelPatterns.map((p) => `&${p}`).join(' ');
  }

  /** ACLDescribeUser: the line ACL LIST prints after "user <name>". */
  describe(): string {
    const parts: string[] = [this.enabled ? 'on' : 'off'];
    if (this.nopass) parts.push('nopass');
    for (const h of this.passwords) parts.push(`#${h}`);
    const keys = this.keysRule();
    if (keys !== '') parts.push(keys);
    if (this.allChannels) parts.push('&*');
    else parts.push('resetchannels', ...this.channelPatterns.map((p) => `&${p}`));
    parts.push(...this.commandRules);
    return parts.join(' ');
  }
}

/** The default user as a server starts: on, nopass (unless requirepass), everything allowed. */
export function defaultUser(): AclUser {
  const u = new AclUser('default');
  u.enabled = true;
  u.nopass = true;
  u.allCommands = true;
  u.commandRules = ['+@all'];
  u.allKeys = true;
  u.allChannels = true;
  return u;
}

/** requirepass: the default user's only password (`resetpass >pass`), or nopass when empty. */
export function setDefaultPassword(users: ReadonlyMap<string, AclUser>, pass: string): void {
  const d = users.get('default')!;
  d.passwords.clear();
  d.nopass = pass === '';
  if (pass !== '') d.passwords.add(passwordHash(pass));
}

/** Whether a new connection is the default user without AUTH (it is on and nopass). */
export function defaultAuthenticates(users: ReadonlyMap<string, AclUser>): boolean {
  const d = users.get('default')!;
  return d.enabled && d.nopass;
}
