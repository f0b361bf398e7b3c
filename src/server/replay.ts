// Replaying stored commands (aof.c's fake AOF client): a client with no connection
// runs each command as Redis's loader does, straight to the command's handler with
// MULTI queueing, skipping processCommand's checks; its replies go nowhere.

import { Client } from './client.js';
import { call } from './dispatch.js';
import type { Server } from './server.js';

class ReplayClient extends Client {
  override flush(): void {
    this.dropOutput();
  }
}

export function createReplayClient(server: Server): Client {
  const c = new ReplayClient(-1, server, null, server.dbs[0], 'aof');
  c.replyEnabled = false;
  // Obeyed as the master is (mustObeyClient): a read-only replica still replays its AOF's writes.
  c.isMaster = true;
  return c;
}

/** Runs one command; false when the command is unknown. */
export function replayCommand(server: Server, c: Client, argv: string[]): boolean {
  const cmd = server.commands.lookup(argv);
  if (cmd === undefined) return false;
  server.hooks.now = Date.now();
  if (c.multiQueue !== null && cmd.name !== 'exec') c.multiQueue.push({ cmd, argv });
  else call(server, c, cmd, argv);
  c.dropOutput();
  return true;
}
