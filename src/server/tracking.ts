// Client-side caching (tracking.c): the keys each tracking client read, the
// prefixes BCAST clients follow, and the invalidation messages sent when those keys
// change: RESP3 pushes, or Pub/Sub messages on __redis__:invalidate for a RESP2
// connection that receives another client's redirected invalidations.

import type { Command } from '../commands/types.js';
import type { Client } from './client.js';
import type { Server } from './server.js';

export const INVALIDATE_CHANNEL = '__redis__:invalidate';

/** A client's CLIENT TRACKING settings (the CLIENT_TRACKING_* flags). */
export interface TrackingState {
  /** The client id invalidations go to; 0 for the client itself. */
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  /** CLIENT CACHING was given for the next command. */
  caching: boolean;
  brokenRedirect: boolean;
  prefixes: Set<string>;
}

interface PrefixState {
  clients: Set<Client>;
  /** Keys changed since the last broadcast, with the client that changed them (for NOLOOP). */
  keys: Map<string, Client | null>;
}

/** A pending invalidation for the current client: a key, or null for a flush. */
type Pending = string | null;

export class Tracking {
  /** tracking_clients */
  clients = 0;
  /** key -> ids of the clients that may cache it (TrackingTable). */
  readonly table = new Map<string, Set<number>>();
  /** tracking_total_items */
  items = 0;
  readonly prefixes = new Map<string, PrefixState>();
  /** Invalidations for the client running the command, sent after its reply. */
  private pending: Pending[] = [];
  private broadcastScheduled = false;
  /** The command whose flush was already announced. */
  private lastFlushArgv: readonly string[] | null = null;

  constructor(private readonly server: Server) {}

  /** enableTracking: options are checked by the caller. */
  enable(c: Client, redirect: number, opts: { bcast: boolean; optin: boolean; optout: boolean; noloop: boolean }, prefixes: string[]): void {
    if (c.tracking === null) {
      this.clients++;
      c.tracking = { redirect: 0, bcast: false, optin: false, optout: false, noloop: false, caching: false, brokenRedirect: false, prefixes: new Set() };
    }
    const t = c.tracking;
    t.redirect = redirect;
    t.brokenRedirect = false;
    t.bcast = opts.bcast;
    t.optin = opts.optin;
    t.optout = opts.optout;
    t.noloop = opts.noloop;
    if (opts.bcast) {
      for (const p of prefixes.length === 0 ? [''] : prefixes) {
        let st = this.prefixes.get(p);
        if (st === undefined) this.prefixes.set(p, (st = { clients: new Set(), keys: new Map() }));
        st.clients.add(c);
        t.prefixes.add(p);
      }
    }
    this.server.hooks.trackingActive = true;
  }

  /** disableTracking (also when the client goes away). */
  disable(c: Client): void {
    const t = c.tracking;
    if (t === null) return;
    for (const p of t.prefixes) {
      const st = this.prefixes.get(p);
      if (st === undefined) continue;
      st.clients.delete(c);
      if (st.clients.size === 0) this.prefixes.delete(p);
    }
    c.tracking = null;
    this.clients--;
    this.refreshActive();
  }

  /** A prefix overlapping one the client has or another given: the error, or null. */
  prefixCollision(c: Client, prefixes: readonly string[]): string | null {
    const overlap = (a: string, b: string) => a.startsWith(b) || b.startsWith(a);
    for (let i = 0; i < prefixes.length; i++) {
      if (c.tracking !== null) {
        for (const p of c.tracking.prefixes) {
          if (overlap(p, prefixes[i])) {
            return `ERR Prefix '${prefixes[i]}' overlaps with an existing prefix '${p}'. Prefixes for a single client must not overlap.`;
          }
        }
      }
      for (let j = i + 1; j < prefixes.length; j++) {
        if (overlap(prefixes[i], prefixes[j])) {
          return `ERR Prefix '${prefixes[i]}' overlaps with another provided prefix '${prefixes[j]}'. Prefixes for a single client must not overlap.`;
        }
      }
    }
    return null;
  }

  /**
   * After a read-only command: remember the keys it read for the tracking client
   * (for a script's command, the script's caller and the script's keys).
   */
  rememberKeys(c: Client, cmd: Command, argv: readonly string[]): void {
    const t = c.tracking;
    if (t === null || t.bcast) return;
    if ((t.optin && !t.caching) || (t.optout && t.caching)) return;
    if (cmd.pubsub) return;
    for (const i of cmd.keyIndexes(argv)) {
      const key = argv[i];
      let ids = this.table.get(key);
      if (ids === undefined) this.table.set(key, (ids = new Set()));
      if (!ids.has(c.id)) {
        ids.add(c.id);
        this.items++;
      }
    }
  }

  /** trackingInvalidateKey: `by` (the client whose command or script made the change; null: the server itself, evicting from the table) changed `key`. */
  invalidateKey(by: Client | null, key: string, bcast = true): void {
    if (bcast && this.prefixes.size > 0) this.rememberForBroadcast(by, key);
    const ids = this.table.get(key);
    if (ids === undefined) return;
    for (const id of ids) {
      const target = this.server.clients.get(id);
      const t = target?.tracking;
      if (target === undefined || t === null || t === undefined || t.bcast) continue;
      if (t.noloop && target === by) continue;
      // The current client's invalidations follow its reply.
      if (target === by && this.server.callDepth > 0) this.pending.push(key);
      else this.send(target, key);
    }
    this.items -= ids.size;
    this.table.delete(key);
    if (this.clients === 0 && this.table.size === 0) this.refreshActive();
  }

  /**
   * Changes must be watched while a client tracks or the table still remembers keys
   * (a flush or a write still clears them when nobody tracks any more, as in Redis).
   */
  private refreshActive(): void {
    this.server.hooks.trackingActive = this.clients > 0 || this.table.size > 0 || this.prefixes.size > 0;
  }

  private rememberForBroadcast(by: Client | null, key: string): void {
    for (const [prefix, st] of this.prefixes) {
      if (prefix.length > key.length || !key.startsWith(prefix)) continue;
      st.keys.set(key, by);
    }
    if (!this.broadcastScheduled) {
      this.broadcastScheduled = true;
      // beforeSleep: once per event-loop turn, after this turn's replies.
      setImmediate(() => {
        this.broadcastScheduled = false;
        this.broadcast();
        this.server.flushAll();
      });
    }
  }

  /** trackingHandlePendingKeyInvalidations: after the outermost command of `c`. */
  handlePending(c: Client): void {
    if (this.pending.length === 0) return;
    const list = this.pending;
    this.pending = [];
    if (c.closed) return;
    for (const key of list) this.send(c, key);
  }

  /** trackingInvalidateKeysOnFlush: every tracking client gets one null invalidation per flush command. */
  invalidateAll(): void {
    // FLUSHALL empties every database: one invalidation for the command, not one per db.
    const argv = this.server.callDepth > 0 ? this.server.currentArgv : null;
    if (argv !== null && argv === this.lastFlushArgv) return;
    this.lastFlushArgv = argv;
    if (this.clients > 0) {
      const current = this.server.trackingClient();
      for (const c of this.server.clients.values()) {
        if (c.tracking === null) continue;
        if (c === current && this.server.callDepth > 0) this.pending.push(null);
        else this.send(c, null);
      }
    }
    this.table.clear();
    this.items = 0;
    this.refreshActive();
  }

  /** trackingLimitUsedSlots: evicts keys from the table beyond tracking-table-max-keys. */
  limitUsedSlots(): void {
    const max = this.server.config.num('tracking-table-max-keys');
    if (max === 0 || this.table.size <= max) return;
    for (const key of [...this.table.keys()]) {
      if (this.table.size <= max) break;
      this.invalidateKey(null, key, false);
    }
  }

  /** trackingBroadcastInvalidationMessages */
  private broadcast(): void {
    for (const st of this.prefixes.values()) {
      if (st.keys.size === 0) continue;
      for (const c of st.clients) {
        const keys: string[] = [];
        for (const [key, by] of st.keys) if (!(c.tracking?.noloop === true && by === c)) keys.push(key);
        if (keys.length > 0) this.send(c, keys);
      }
      st.keys = new Map();
    }
  }

  /** sendTrackingMessage: to the client, or to where it redirects. */
  private send(c: Client, keys: string | string[] | null): void {
    const t = c.tracking;
    if (t === null) return;
    let target = c;
    let redirected = false;
    if (t.redirect !== 0) {
      const r = this.server.clients.get(t.redirect);
      if (r === undefined || r.closed) {
        t.brokenRedirect = true;
        if (c.resp === 3) {
          const replies = c.forceReplies();
          c.pushLen(2);
          c.bulk('tracking-redir-broken');
          c.int(t.redirect);
          c.replyEnabled = replies;
        }
        return;
      }
      target = r;
      redirected = true;
    }
    const replies = target.forceReplies();
    if (target.resp === 3) {
      target.pushLen(2);
      target.bulk('invalidate');
    } else if (redirected && target.inPubSub) {
      target.pushLen(3);
      target.bulk('message');
      target.bulk(INVALIDATE_CHANNEL);
    } else {
      target.replyEnabled = replies;
      return;
    }
    // A flush: the null of the tracking client's protocol (shared.null[c->resp]).
    if (keys === null) target.raw(c.resp === 3 ? '_\r\n' : '$-1\r\n');
    else if (typeof keys === 'string') {
      target.arrayLen(1);
      target.bulk(keys);
    } else target.bulks(keys);
    target.replyEnabled = replies;
  }
}
