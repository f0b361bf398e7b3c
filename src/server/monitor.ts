// MONITOR feed (replicationFeedMonitors): every command as it runs, to each monitor.

import type { Command } from '../commands/types.js';
import { quoteArg } from '../util/repr.js';
import type { Client } from './client.js';
import type { Server } from './server.js';

export function feedMonitors(server: Server, c: Client, cmd: Command, argv: readonly string[]): void {
  const now = Date.now() * 1000 + (Math.floor(performance.now() * 1000) % 1000);
  const sec = Math.floor(now / 1e6);
  const usec = String(now % 1e6).padStart(6, '0');
  const origin = c.socket !== null && c.socket.remoteAddress === undefined ? `unix:${server.config.str('unixsocket')}` : c.addr;
  let line = `+${sec}.${usec} [${c.db.id} ${origin}]`;
  let shown: readonly string[] = argv;
  if (cmd.spec.redact !== undefined) {
    const copy = argv.slice();
    cmd.spec.redact(copy);
    shown = copy;
  }
  for (let i = 0; i < shown.length; i++) line += ' ' + quoteArg(shown[i]);
  line += '\r\n';
  for (const m of server.monitors) m.raw(line);
}

/** What a redacted argument shows as in MONITOR and SLOWLOG. */
export const REDACTED = '(redacted)';
