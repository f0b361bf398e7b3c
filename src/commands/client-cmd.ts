// CLIENT and its subcommands (networking.c's clientCommand): connection
// identity, listing and killing clients, reply modes, pauses. CLIENT SETINFO is
// Redis 7.2's (7.0 has no such subcommand): node-redis sends it on connect, so
// redis-ts accepts it and shows lib-name= lib-ver= in CLIENT LIST / CLIENT INFO.

import { int64Arg, replyHelp, subcommandSyntaxError } from './args.js';
import { Errors } from '../protocol/errors.js';
import { parseInt64 } from '../util/int64.js';
import { checkClientName } from './connection.js';
import type { Client } from '../server/client.js';
import type { Server } from '../server/server.js';
import { clientBuffers, clientTotalMemory } from '../server/memory.js';
import { REPLY_BUFFER_SIZE } from '../server/client.js';
import type { CommandFlag, CommandSpec } from './types.js';


function formatPeer(ip: string | undefined, port: number | undefined): string {
  if (ip === undefined) return '';
  if (ip.startsWith('::ffff:') && ip.includes('.')) ip = ip.slice(7);
  return ip.includes(':') ? `[${ip}]:${port ?? 0}` : `${ip}:${port ?? 0}`;
}

function isUnixSocket(c: Client): boolean {
  return c.socket !== null && c.socket.remoteAddress === undefined;
}

/** The peer address as CLIENT LIST shows it: ip:port, [ipv6]:port, or path:0 for a Unix socket. */
export function clientPeerId(c: Client): string {
  if (c.socket === null) return c.addr;
  if (isUnixSocket(c)) return `${c.server.config.str('unixsocket')}:0`;
  return formatPeer(c.socket.remoteAddress, c.socket.remotePort);
}

/** The local address the client connected to. */
export function clientSockName(c: Client): string {
  if (c.socket === null) return c.laddr;
  if (isUnixSocket(c)) return `${c.server.config.str('unixsocket')}:0`;
  return formatPeer(c.socket.localAddress, c.socket.localPort);
}

/** CLIENT LIST's type names (getClientTypeByName); slave and replica are one class. */
function clientTypeByName(name: string): 'normal' | 'replica' | 'pubsub' | 'master' | null {
  switch (name.toLowerCase()) {
    case 'normal':
      return 'normal';
    case 'slave':
    case 'replica':
      return 'replica';
    case 'pubsub':
      return 'pubsub';
    case 'master':
      return 'master';
    default:
      return null;
  }
}

function clientFlags(c: Client): string {
  let f = '';
  if (c.isReplica) f += c.isMonitor ? 'O' : 'S';
  if (c.isMaster) f += 'M';
  if (c.inPubSub) f += 'P';
  if (c.inMulti) f += 'x';
  if (c.blocked !== null) f += 'b';
  if (c.dirtyCas) f += 'd';
  if (c.closeAfterReply) f += 'c';
  if (isUnixSocket(c)) f += 'U';
  if (c.noEvict) f += 'e';
  if (c.tracking !== null) {
    f += 't';
    if (c.tracking.brokenRedirect) f += 'R';
    if (c.tracking.bcast) f += 'B';
  }
  return f === '' ? 'N' : f;
}

/**
 * One CLIENT LIST line (catClientInfoString), without the newline. The client
 * running the current command shows that command as its cmd= (a client's last
 * command is only recorded after its call returns) and its arguments in argv-mem.
 */
export function clientInfoString(target: Client): string {
  const server = target.server;
  const nowSec = Math.floor(Date.now() / 1000);
  const self = target === server.currentClient;
  const { qbuf, argvMem, multiMem, obl, omem } = clientBuffers(target);
  const cmd = self && server.currentCommand !== null ? server.currentCommand.fullName : target.lastCommand;
  const oll = omem === 0 ? 0 : Math.ceil(omem / REPLY_BUFFER_SIZE);
  const totMem = clientTotalMemory(target);
  const events = target.socket === null ? '' : target.socket.writableLength > 0 ? 'rw' : 'r';
  return (
    `id=${target.id} addr=${clientPeerId(target)} laddr=${clientSockName(target)} fd=${target.fd} name=${target.name}` +
    ` age=${nowSec - Math.floor(target.createdAt / 1000)} idle=${self ? 0 : nowSec - Math.floor(target.lastInteraction / 1000)}` +
    ` flags=${clientFlags(target)} db=${target.db.id} sub=${target.channels.size} psub=${target.patterns.size} ssub=${target.shardChannels.size}` +
    ` multi=${target.multiQueue !== null ? target.multiQueue.length : -1} qbuf=${qbuf} qbuf-free=0 argv-mem=${argvMem}` +
    ` multi-mem=${multiMem} rbs=${target.replyBuffer.size} rbp=${target.replyBuffer.peak} obl=${obl} oll=${oll} omem=${omem} tot-mem=${totMem}` +
    ` events=${events} cmd=${cmd} user=${target.user} redir=${target.tracking !== null ? target.tracking.redirect : -1} resp=${target.resp}` +
    ` lib-name=${target.libName} lib-ver=${target.libVer}`
  );
}

/** Clients CLIENT LIST shows: connections (and the master link), not internal fake clients. */
function listedClients(server: Server): Client[] {
  const out: Client[] = [];
  for (const c of server.clients.values()) if (c.socket !== null || c.isMaster) out.push(c);
  return out;
}

/** CLIENT ID */
function clientId(c: Client): void {
  c.int(c.id);
}

/** CLIENT INFO */
function clientInfo(c: Client): void {
  c.verbatim(clientInfoString(c) + '\n');
}

/** CLIENT LIST [TYPE normal|master|replica|pubsub] [ID id ...] */
function clientList(c: Client, argv: string[]): void {
  let out = '';
  if (argv.length === 4 && argv[2].toLowerCase() === 'type') {
    const type = clientTypeByName(argv[3]);
    if (type === null) {
      c.error(`ERR Unknown client type '${argv[3]}'`);
      return;
    }
    for (const cl of listedClients(c.server)) if (cl.kind === type) out += clientInfoString(cl) + '\n';
  } else if (argv.length > 3 && argv[2].toLowerCase() === 'id') {
    for (let j = 3; j < argv.length; j++) {
      const id = parseInt64(argv[j]);
      if (id === null) {
        c.error(Errors.invalidClientId);
        return;
      }
      const cl = typeof id === 'number' ? c.server.clients.get(id) : undefined;
      if (cl !== undefined) out += clientInfoString(cl) + '\n';
    }
  } else if (argv.length !== 2) {
    c.error(Errors.syntax);
    return;
  } else {
    for (const cl of listedClients(c.server)) out += clientInfoString(cl) + '\n';
  }
  c.verbatim(out);
}

/** CLIENT SETNAME connection-name */
function clientSetname(c: Client, argv: string[]): void {
  const err = checkClientName(argv[2]);
  if (err !== null) {
    c.error(err);
    return;
  }
  c.name = argv[2];
  c.ok();
}

/** CLIENT GETNAME */
function clientGetname(c: Client): void {
  if (c.name === '') c.nullBulk();
  else c.bulk(c.name);
}

/** CLIENT SETINFO LIB-NAME name | LIB-VER version (Redis 7.2) */
function clientSetinfo(c: Client, argv: string[]): void {
  const attr = argv[2];
  const a = attr.toLowerCase();
  if (a !== 'lib-name' && a !== 'lib-ver') {
    c.error(`ERR Unrecognized option '${attr}'`);
    return;
  }
  const v = argv[3];
  for (let i = 0; i < v.length; i++) {
    const ch = v.charCodeAt(i);
    if (ch < 33 || ch > 126) {
      c.error(`ERR ${attr} cannot contain spaces, newlines or special characters.`);
      return;
    }
  }
  if (a === 'lib-name') c.libName = v;
  else c.libVer = v;
  c.ok();
}

/** CLIENT KILL ip:port | CLIENT KILL [ID id] [TYPE type] [ADDR ip:port] [LADDR ip:port] [USER name] [SKIPME yes|no] */
function clientKill(c: Client, argv: string[]): void {
  let addr: string | null = null;
  let laddr: string | null = null;
  let user: string | null = null;
  let type: ReturnType<typeof clientTypeByName> = null;
  let id = 0;
  let skipme = true;
  if (argv.length === 3) {
    addr = argv[2];
    // The old form may kill the calling connection.
    skipme = false;
  } else {
    for (let i = 2; i < argv.length; i += 2) {
      const opt = argv[i].toLowerCase();
      const more = i + 1 < argv.length;
      if (opt === 'id' && more) {
        const v = parseInt64(argv[i + 1]);
        if (v === null || v < 1) {
          c.error(Errors.clientIdShouldBeGreaterThan0);
          return;
        }
        id = Number(v);
      } else if (opt === 'type' && more) {
        type = clientTypeByName(argv[i + 1]);
        if (type === null) {
          c.error(`ERR Unknown client type '${argv[i + 1]}'`);
          return;
        }
      } else if (opt === 'addr' && more) {
        addr = argv[i + 1];
      } else if (opt === 'laddr' && more) {
        laddr = argv[i + 1];
      } else if (opt === 'user' && more) {
        if (!c.server.aclUsers.has(argv[i + 1])) {
          c.error(`ERR No such user '${argv[i + 1]}'`);
          return;
        }
        user = argv[i + 1];
      } else if (opt === 'skipme' && more) {
        const v = argv[i + 1].toLowerCase();
        if (v === 'yes') skipme = true;
        else if (v === 'no') skipme = false;
        else {
          c.error(Errors.syntax);
          return;
        }
      } else {
        c.error(Errors.syntax);
        return;
      }
    }
  }
  let killed = 0;
  let killSelf = false;
  for (const cl of listedClients(c.server)) {
    if (addr !== null && clientPeerId(cl) !== addr) continue;
    if (laddr !== null && clientSockName(cl) !== laddr) continue;
    if (type !== null && cl.kind !== type) continue;
    if (id !== 0 && cl.id !== id) continue;
    if (user !== null && cl.user !== user) continue;
    if (cl === c && skipme) continue;
    if (cl === c) killSelf = true;
    else c.server.closeClient(cl, true);
    killed++;
  }
  if (argv.length === 3) {
    if (killed === 0) c.error(Errors.noSuchClient);
    else c.ok();
  } else c.int(killed);
  // Closed once the reply above is written.
  if (killSelf) c.closeAfterReply = true;
}

/** CLIENT REPLY ON|OFF|SKIP */
function clientReply(c: Client, argv: string[]): void {
  const mode = argv[2].toLowerCase();
  if (mode === 'on') {
    c.replyMode = 'on';
    c.replyEnabled = true;
    c.skipNextReply = false;
    c.ok();
  } else if (mode === 'off') {
    c.replyMode = 'off';
    c.replyEnabled = false;
  } else if (mode === 'skip') {
    // Dispatch drops the reply of the next command; ignored while replies are off.
    if (c.replyMode !== 'off') c.skipNextReply = true;
  } else c.error(Errors.syntax);
}

/** CLIENT NO-EVICT ON|OFF */
function clientNoEvict(c: Client, argv: string[]): void {
  const v = argv[2].toLowerCase();
  if (v === 'on') c.noEvict = true;
  else if (v === 'off') c.noEvict = false;
  else {
    c.error(Errors.syntax);
    return;
  }
  c.ok();
}

/** CLIENT PAUSE timeout [WRITE|ALL] */
function clientPause(c: Client, argv: string[]): void {
  if (argv.length > 4) {
    subcommandSyntaxError(c, argv);
    return;
  }
  let type: 'all' | 'write' = 'all';
  if (argv.length === 4) {
    const m = argv[3].toLowerCase();
    if (m === 'write') type = 'write';
    else if (m !== 'all') {
      c.error(Errors.clientPauseModeMustBeWriteOr);
      return;
    }
  }
  const ms = parseInt64(argv[2]);
  if (ms === null) {
    c.error(Errors.timeoutNotInteger);
    return;
  }
  if (ms < 0) {
    c.error(Errors.timeoutNegative);
    return;
  }
  const end = ms > 0 ? Date.now() + Number(ms) : 0;
  c.server.pauseClients(type, end);
  c.ok();
}

/** CLIENT UNPAUSE */
function clientUnpause(c: Client): void {
  c.server.unpause();
  c.ok();
}

/** CLIENT UNBLOCK client-id [TIMEOUT|ERROR] */
function clientUnblock(c: Client, argv: string[]): void {
  if (argv.length > 4) {
    subcommandSyntaxError(c, argv);
    return;
  }
  if (argv.length === 4) {
    const r = argv[3].toLowerCase();
    if (r !== 'timeout' && r !== 'error') {
      c.error(Errors.clientUnblockReasonShouldBeTimeoutOr);
      return;
    }
  }
  const id = int64Arg(c, argv[2]);
  if (id === null) return;
  const target = typeof id === 'number' ? c.server.clients.get(id) : undefined;
  const withError = argv.length === 4 && argv[3].toLowerCase() === 'error';
  c.int(target !== undefined && c.server.blocking.unblockByRequest(target, withError) ? 1 : 0);
}

/** CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX prefix ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP] */
function clientTracking(c: Client, argv: string[]): void {
  let redirect = 0;
  const opts = { bcast: false, optin: false, optout: false, noloop: false };
  const prefixes: string[] = [];
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    const more = j < argv.length - 1;
    if (opt === 'redirect' && more) {
      j++;
      if (redirect !== 0) {
        c.error('ERR A client can only redirect to a single other client');
        return;
      }
      const id = int64Arg(c, argv[j]);
      if (id === null) return;
      if (typeof id !== 'number' || !c.server.clients.has(id)) {
        c.error(Errors.theClientIdYouWantRedirectTo);
        return;
      }
      redirect = id;
    } else if (opt === 'prefix' && more) {
      prefixes.push(argv[++j]);
    } else if (opt === 'bcast' || opt === 'optin' || opt === 'optout' || opt === 'noloop') {
      opts[opt] = true;
    } else {
      c.error(Errors.syntax);
      return;
    }
  }
  const mode = argv[2].toLowerCase();
  const tracking = c.server.tracking;
  if (mode === 'off') {
    tracking.disable(c);
    c.ok();
    return;
  }
  if (mode !== 'on') {
    c.error(Errors.syntax);
    return;
  }
  const t = c.tracking;
  if (!opts.bcast && prefixes.length > 0) {
    c.error('ERR PREFIX option requires BCAST mode to be enabled');
    return;
  }
  if (t !== null && t.bcast !== opts.bcast) {
    c.error(
      "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.",
    );
    return;
  }
  if (opts.bcast && (opts.optin || opts.optout)) {
    c.error('ERR OPTIN and OPTOUT are not compatible with BCAST');
    return;
  }
  if (opts.optin && opts.optout) {
    c.error("ERR You can't specify both OPTIN mode and OPTOUT mode");
    return;
  }
  if (t !== null && ((opts.optin && t.optout) || (opts.optout && t.optin))) {
    c.error(
      "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.",
    );
    return;
  }
  if (opts.bcast) {
    const err = tracking.prefixCollision(c, prefixes);
    if (err !== null) {
      c.error(err);
      return;
    }
  }
  tracking.enable(c, redirect, opts, prefixes);
  c.ok();
}

/** CLIENT CACHING YES|NO */
function clientCaching(c: Client, argv: string[]): void {
  const t = c.tracking;
  if (t === null) {
    c.error(Errors.clientCachingCanBeCalledOnlyWhen);
    return;
  }
  const opt = argv[2].toLowerCase();
  if (opt === 'yes') {
    if (!t.optin) {
      c.error('ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.');
      return;
    }
  } else if (opt === 'no') {
    if (!t.optout) {
      c.error('ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.');
      return;
    }
  } else {
    c.error(Errors.syntax);
    return;
  }
  t.caching = true;
  c.ok();
}

/** CLIENT GETREDIR */
function clientGetredir(c: Client): void {
  c.int(c.tracking !== null ? c.tracking.redirect : -1);
}

/** CLIENT TRACKINGINFO */
function clientTrackinginfo(c: Client): void {
  const t = c.tracking;
  const flags: string[] = [t !== null ? 'on' : 'off'];
  if (t !== null) {
    if (t.bcast) flags.push('bcast');
    if (t.optin) {
      flags.push('optin');
      if (t.caching) flags.push('caching-yes');
    }
    if (t.optout) {
      flags.push('optout');
      if (t.caching) flags.push('caching-no');
    }
    if (t.noloop) flags.push('noloop');
    if (t.brokenRedirect) flags.push('broken_redirect');
  }
  c.mapLen(3);
  c.bulk('flags');
  c.setLen(flags.length);
  for (const f of flags) c.bulk(f);
  c.bulk('redirect');
  c.int(t !== null ? t.redirect : -1);
  c.bulk('prefixes');
  const prefixes = t !== null ? [...t.prefixes] : [];
  c.arrayLen(prefixes.length);
  for (const p of prefixes) c.bulk(p);
}

const CLIENT_HELP = [
  'CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
  'HELP',
  '    Prints this help.',
];

const BASE: readonly CommandFlag[] = ['noscript', 'loading', 'stale', 'sentinel'];
const ADMIN: readonly CommandFlag[] = ['admin', 'noscript', 'loading', 'stale', 'sentinel'];

export const clientCommands: CommandSpec[] = [
  {
    name: 'client',
    arity: -2,
    flags: ['sentinel'],
    group: 'connection',
    subcommands: [
      { name: 'caching', arity: 3, flags: BASE, group: 'connection', handler: clientCaching },
      { name: 'getname', arity: 2, flags: BASE, group: 'connection', handler: clientGetname },
      { name: 'getredir', arity: 2, flags: BASE, group: 'connection', handler: clientGetredir },
      { name: 'help', arity: 2, flags: ['loading', 'stale', 'sentinel'], group: 'connection', handler: (c) => replyHelp(c, CLIENT_HELP) },
      { name: 'id', arity: 2, flags: BASE, group: 'connection', handler: clientId },
      { name: 'info', arity: 2, flags: BASE, group: 'connection', handler: clientInfo },
      { name: 'kill', arity: -3, flags: ADMIN, group: 'connection', handler: clientKill },
      { name: 'list', arity: -2, flags: ADMIN, group: 'connection', handler: clientList },
      { name: 'no-evict', arity: 3, flags: ADMIN, group: 'connection', handler: clientNoEvict },
      { name: 'pause', arity: -3, flags: ADMIN, group: 'connection', handler: clientPause },
      { name: 'reply', arity: 3, flags: BASE, group: 'connection', handler: clientReply },
      { name: 'setinfo', arity: 4, flags: BASE, group: 'connection', handler: clientSetinfo },
      { name: 'setname', arity: 3, flags: BASE, group: 'connection', handler: clientSetname },
      { name: 'tracking', arity: -3, flags: BASE, group: 'connection', handler: clientTracking },
      { name: 'trackinginfo', arity: 2, flags: BASE, group: 'connection', handler: clientTrackinginfo },
      { name: 'unblock', arity: -3, flags: ADMIN, group: 'connection', handler: clientUnblock },
      { name: 'unpause', arity: 2, flags: ADMIN, group: 'connection', handler: clientUnpause },
    ],
  },
];
