// Keyspace notifications (notify.c): events published on __keyspace@<db>__:<key>
// (the event as message) and __keyevent@<db>__:<event> (the key as message) when
// their class is enabled in notify-keyspace-events.

import { Notify } from '../config/keyspace-events.js';
import type { Server } from './server.js';

export { Notify };

export function notifyKeyspaceEvent(server: Server, type: number, event: string, key: string, dbid: number): void {
  const flags = server.notifyFlags;
  if ((flags & type) === 0) return;
  const pubsub = server.pubsub;
  if ((flags & Notify.keyspace) !== 0) pubsub.publish(`__keyspace@${dbid}__:${key}`, event);
  if ((flags & Notify.keyevent) !== 0) pubsub.publish(`__keyevent@${dbid}__:${event}`, key);
}

/** notifyKeyspaceEvent for a command run by client `c`, in its selected database. */
export function notify(c: { server: Server; db: { id: number } }, type: number, event: string, key: string): void {
  if ((c.server.notifyFlags & type) === 0) return;
  notifyKeyspaceEvent(c.server, type, event, key, c.db.id);
}
