// Whether a client connects from this machine (loopback or Unix socket), for
// settings such as enable-debug-command "local".

import type { Client } from './client.js';

export function isLocalClient(c: Client): boolean {
  const ip = c.socket?.remoteAddress;
  if (c.socket === null) return true;
  if (ip === undefined) return true; // Unix socket
  return ip.startsWith('127.') || ip === '::1' || ip.startsWith('::ffff:127.');
}
