// Pub/Sub state (pubsub.c): channel and pattern subscriptions and message
// delivery, as RESP2 arrays or RESP3 push messages.

import { globMatch } from '../keyspace/glob.js';
import type { Client } from './client.js';

export class PubSub {
  readonly channels = new Map<string, Set<Client>>();
  readonly patterns = new Map<string, Set<Client>>();
  /** Sharded channels (SSUBSCRIBE/SPUBLISH): a namespace of their own. */
  readonly shardChannels = new Map<string, Set<Client>>();

  private static count(c: Client): number {
    return c.channels.size + c.patterns.size;
  }

  subscribe(c: Client, channel: string): void {
    if (!c.channels.has(channel)) {
      c.channels.add(channel);
      let set = this.channels.get(channel);
      if (set === undefined) this.channels.set(channel, (set = new Set()));
      set.add(c);
    }
    this.confirm(c, 'subscribe', channel);
  }

  psubscribe(c: Client, pattern: string): void {
    if (!c.patterns.has(pattern)) {
      c.patterns.add(pattern);
      let set = this.patterns.get(pattern);
      if (set === undefined) this.patterns.set(pattern, (set = new Set()));
      set.add(c);
    }
    this.confirm(c, 'psubscribe', pattern);
  }

  unsubscribe(c: Client, channel: string, notify: boolean): void {
    if (c.channels.delete(channel)) {
      const set = this.channels.get(channel);
      if (set !== undefined) {
        set.delete(c);
        if (set.size === 0) this.channels.delete(channel);
      }
    }
    if (notify) {
      this.confirm(c, 'unsubscribe', channel);
    }
  }

  punsubscribe(c: Client, pattern: string, notify: boolean): void {
    if (c.patterns.delete(pattern)) {
      const set = this.patterns.get(pattern);
      if (set !== undefined) {
        set.delete(c);
        if (set.size === 0) this.patterns.delete(pattern);
      }
    }
    if (notify) {
      this.confirm(c, 'punsubscribe', pattern);
    }
  }

  /** UNSUBSCRIBE with no arguments: every channel, or a null-channel reply when there were none. */
  unsubscribeAllChannels(c: Client, notify: boolean): void {
    if (c.channels.size === 0) {
      if (notify) {
        this.confirm(c, 'unsubscribe', null);
      }
      return;
    }
    for (const ch of [...c.channels]) this.unsubscribe(c, ch, notify);
  }

  punsubscribeAllPatterns(c: Client, notify: boolean): void {
    if (c.patterns.size === 0) {
      if (notify) {
        this.confirm(c, 'punsubscribe', null);
      }
      return;
    }
    for (const p of [...c.patterns]) this.punsubscribe(c, p, notify);
  }

  /** SSUBSCRIBE of one channel; the confirmation counts shard channels only. */
  ssubscribe(c: Client, channel: string): void {
    if (!c.shardChannels.has(channel)) {
      c.shardChannels.add(channel);
      let set = this.shardChannels.get(channel);
      if (set === undefined) this.shardChannels.set(channel, (set = new Set()));
      set.add(c);
    }
    this.confirmShard(c, 'ssubscribe', channel);
  }

  sunsubscribe(c: Client, channel: string, notify: boolean): void {
    if (c.shardChannels.delete(channel)) {
      const set = this.shardChannels.get(channel);
      if (set !== undefined) {
        set.delete(c);
        if (set.size === 0) this.shardChannels.delete(channel);
      }
    }
    if (notify) this.confirmShard(c, 'sunsubscribe', channel);
  }

  /** SUNSUBSCRIBE with no arguments. */
  sunsubscribeAll(c: Client, notify: boolean): void {
    if (c.shardChannels.size === 0) {
      if (notify) this.confirmShard(c, 'sunsubscribe', null);
      return;
    }
    for (const ch of [...c.shardChannels]) this.sunsubscribe(c, ch, notify);
  }

  /** SPUBLISH: delivers an smessage to the shard channel's subscribers. */
  spublish(channel: string, message: string): number {
    const set = this.shardChannels.get(channel);
    if (set === undefined) return 0;
    for (const c of set) {
      const replies = forcePush(c);
      c.pushLen(3);
      c.bulk('smessage');
      c.bulk(channel);
      c.bulk(message);
      c.replyEnabled = replies;
    }
    return set.size;
  }

  /** Drops every subscription of a closing client, silently. */
  unsubscribeAll(c: Client): void {
    if (c.channels.size > 0) this.unsubscribeAllChannels(c, false);
    if (c.patterns.size > 0) this.punsubscribeAllPatterns(c, false);
    if (c.shardChannels.size > 0) this.sunsubscribeAll(c, false);
  }

  /** Delivers a message; returns the number of receivers (PUBLISH's reply). */
  publish(channel: string, message: string): number {
    let receivers = 0;
    const set = this.channels.get(channel);
    if (set !== undefined) {
      for (const c of set) {
        const replies = forcePush(c);
        c.pushLen(3);
        c.bulk('message');
        c.bulk(channel);
        c.bulk(message);
        c.replyEnabled = replies;
        receivers++;
      }
    }
    if (this.patterns.size > 0) {
      for (const [pattern, clients] of this.patterns) {
        if (!globMatch(pattern, channel)) continue;
        for (const c of clients) {
          const replies = forcePush(c);
          c.pushLen(4);
          c.bulk('pmessage');
          c.bulk(pattern);
          c.bulk(channel);
          c.bulk(message);
          c.replyEnabled = replies;
          receivers++;
        }
      }
    }
    return receivers;
  }

  private confirmShard(c: Client, kind: string, name: string | null): void {
    const replies = forcePush(c);
    c.pushLen(3);
    c.bulk(kind);
    if (name === null) c.nullBulk();
    else c.bulk(name);
    c.int(c.shardChannels.size);
    c.replyEnabled = replies;
  }

  /** A (p)(un)subscribe confirmation: kind, channel or pattern (null for none), count. */
  private confirm(c: Client, kind: string, name: string | null): void {
    const replies = forcePush(c);
    c.pushLen(3);
    c.bulk(kind);
    if (name === null) c.nullBulk();
    else c.bulk(name);
    c.int(PubSub.count(c));
    c.replyEnabled = replies;
  }
}

/**
 * Pushes reach the client even under CLIENT REPLY OFF or SKIP, as Redis's
 * CLIENT_PUSHING does; returns the setting to restore afterwards.
 */
function forcePush(c: Client): boolean {
  const replies = c.replyEnabled;
  c.replyEnabled = true;
  return replies;
}
