// Connection commands: PING ECHO QUIT RESET HELLO AUTH SELECT
// (server.c, networking.c, acl.c, db.c).

import { Errors } from '../protocol/errors.js';
import { parseInt64 } from '../util/int64.js';
import { VERSION } from '../version.js';
import type { Client } from '../server/client.js';
import type { CommandSpec } from './types.js';
import { REDACTED } from '../server/monitor.js';

/** PING [message] */
function ping(c: Client, argv: string[]): void {
  if (argv.length > 2) {
    c.error(Errors.wrongArgs('ping'));
    return;
  }
  if (c.inPubSub && c.resp === 2) {
    c.arrayLen(2);
    c.bulk('pong');
    c.bulk(argv.length === 1 ? '' : argv[1]);
  } else if (argv.length === 1) {
    c.raw('+PONG\r\n');
  } else {
    c.bulk(argv[1]);
  }
}

/** ECHO message */
function echo(c: Client, argv: string[]): void {
  c.bulk(argv[1]);
}

/** QUIT: reply OK, then close once the reply is written. */
function quit(c: Client): void {
  c.ok();
  c.closeAfterReply = true;
}

/** ACLAuthenticateUser: an enabled user whose password matches (or that has nopass). */
export function authenticate(c: Client, user: string, pass: string): boolean {
  const u = c.server.aclUsers.get(user);
  if (u === undefined || !u.enabled || !u.checkPassword(pass)) return false;
  c.authenticated = true;
  c.user = u.name;
  c.aclUser = u;
  c.parser.limits.authRequired = false;
  return true;
}

/** AUTH [username] password */
function auth(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    c.error(Errors.syntax);
    return;
  }
  if (argv.length === 2) {
    if (c.server.aclUsers.get('default')!.nopass) {
      c.error(
        'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
      );
      return;
    }
    if (authenticate(c, 'default', argv[1])) c.ok();
    else c.error(Errors.invalidPassword);
    return;
  }
  if (authenticate(c, argv[1], argv[2])) c.ok();
  else c.error(Errors.invalidPassword);
}

/** Validates a client name; returns an error text or null. */
export function checkClientName(name: string): string | null {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch < 33 || ch > 126) return 'ERR Client names cannot contain spaces, newlines or special characters.';
  }
  return null;
}

/** HELLO [protover [AUTH username password] [SETNAME clientname]] */
function hello(c: Client, argv: string[]): void {
  let ver = 0;
  let next = 1;
  if (argv.length >= 2) {
    const v = parseInt64(argv[next++]);
    if (v === null) {
      c.error(Errors.protocolVersionIsNotAnIntegerOr);
      return;
    }
    if (v < 2 || v > 3) {
      c.error(Errors.unsupportedProtocolVersion);
      return;
    }
    ver = Number(v);
  }
  let newName: string | null = null;
  for (let j = next; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j].toLowerCase();
    if (opt === 'auth' && more >= 2) {
      if (!authenticate(c, argv[j + 1], argv[j + 2])) {
        c.error(Errors.invalidPassword);
        return;
      }
      j += 2;
    } else if (opt === 'setname' && more >= 1) {
      const err = checkClientName(argv[j + 1]);
      if (err !== null) {
        c.error(err);
        return;
      }
      newName = argv[j + 1];
      j++;
    } else {
      c.error(`ERR Syntax error in HELLO option '${argv[j]}'`);
      return;
    }
  }
  if (!c.authenticated) {
    c.error(
      'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
    );
    return;
  }
  if (newName !== null) c.name = newName;
  if (ver !== 0) c.resp = ver as 2 | 3;
  c.mapLen(7);
  c.bulk('server');
  c.bulk('redis');
  c.bulk('version');
  c.bulk(VERSION);
  c.bulk('proto');
  c.int(c.resp);
  c.bulk('id');
  c.int(c.id);
  c.bulk('mode');
  c.bulk('standalone');
  c.bulk('role');
  c.bulk(c.server.replication.isReplica ? 'replica' : 'master');
  c.bulk('modules');
  c.arrayLen(0);
}

/** clearClientConnectionState: what RESET puts back to a fresh connection's state. */
export function resetClientState(c: Client): void {
  const s = c.server;
  if (c.isMonitor) {
    s.monitors.delete(c);
    c.isMonitor = false;
    c.isReplica = false;
  }
  c.db = s.dbs[0];
  c.resp = 2;
  c.authenticated = s.defaultUserAuthenticates();
  c.parser.limits.authRequired = !c.authenticated;
  c.user = 'default';
  c.aclUser = s.aclUsers.get('default')!;
  c.discardTransaction();
  s.unwatchAll(c);
  s.pubsub.unsubscribeAll(c);
  s.tracking.disable(c);
  c.name = '';
  c.replyMode = 'on';
  c.replyEnabled = true;
  c.skipNextReply = false;
}

/** RESET */
function reset(c: Client): void {
  if (c.isMaster || (c.isReplica && !c.isMonitor)) {
    c.error(Errors.canOnlyResetNormalClientConnections);
    return;
  }
  resetClientState(c);
  c.status('RESET');
}

/** SELECT index */
function select(c: Client, argv: string[]): void {
  const id = parseInt64(argv[1]);
  if (id === null || typeof id === 'bigint' || id < -2147483648 || id > 2147483647) {
    c.error(Errors.notInteger);
    return;
  }
  if (id < 0 || id >= c.server.dbs.length) {
    c.error(Errors.dbIndexOutOfRange);
    return;
  }
  c.db = c.server.dbs[id];
  c.ok();
}

const redactAuth = (argv: string[]) => {
  for (let i = 1; i < argv.length; i++) argv[i] = REDACTED;
};

const redactHello = (argv: string[]) => {
  for (let i = 2; i < argv.length; i++) {
    if (argv[i].toLowerCase() === 'auth' && i + 2 < argv.length) {
      argv[i + 1] = REDACTED;
      argv[i + 2] = REDACTED;
      i += 2;
    }
  }
};

export const connectionCommands: CommandSpec[] = [
  { name: 'ping', arity: -1, flags: ['fast', 'sentinel'], group: 'connection', handler: ping },
  { name: 'echo', arity: 2, flags: ['loading', 'stale', 'fast'], group: 'connection', handler: echo },
  { name: 'quit', arity: -1, flags: ['allow_busy', 'no_auth', 'loading', 'stale', 'fast', 'noscript'], group: 'connection', handler: quit },
  { name: 'reset', arity: 1, flags: ['noscript', 'loading', 'stale', 'no_auth', 'fast', 'allow_busy'], group: 'connection', handler: reset },
  {
    name: 'hello',
    arity: -1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'sentinel', 'allow_busy'],
    group: 'connection',
    handler: hello,
    redact: redactHello,
  },
  {
    name: 'auth',
    arity: -2,
    flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'sentinel', 'allow_busy'],
    group: 'connection',
    handler: auth,
    redact: redactAuth,
  },
  { name: 'select', arity: 2, flags: ['loading', 'stale', 'fast'], group: 'connection', handler: select },
];
