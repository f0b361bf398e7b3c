// Pub/Sub state (pubsub.c): channel and pattern subscriptions and message
// delivery, as RESP2 arrays or RESP3 push messages.

import { globMatch } from '../keyspace/glob.js';
import type { Client } from './client.js';

export class PubSub {
  readonly channels = new Map<string, Set<Client>>();
  readonly patterns = new Map<string, Set<Client>>();

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
    c.pushLen(3);
    c.bulk('subscribe');
    c.bulk(channel);
    c.int(PubSub.count(c));
  }

  psubscribe(c: Client, pattern: string): void {
    if (!c.patterns.has(pattern)) {
      c.patterns.add(pattern);
      let set = this.patterns.get(pattern);
      if (set === undefined) this.patterns.set(pattern, (set = new Set()));
      set.add(c);
    }
    c.pushLen(3);
    c.bulk('psubscribe');
    c.bulk(pattern);
    c.int(PubSub.count(c));
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
      c.pushLen(3);
      c.bulk('unsubscribe');
      c.bulk(channel);
      c.int(PubSub.count(c));
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
      c.pushLen(3);
      c.bulk('punsubscribe');
      c.bulk(pattern);
      c.int(PubSub.count(c));
    }
  }

  /** UNSUBSCRIBE with no arguments: every channel, or a null-channel reply when there were none. */
  unsubscribeAllChannels(c: Client, notify: boolean): void {
    if (c.channels.size === 0) {
      if (notify) {
        c.pushLen(3);
        c.bulk('unsubscribe');
        c.nullBulk();
        c.int(PubSub.count(c));
      }
      return;
    }
    for (const ch of [...c.channels]) this.unsubscribe(c, ch, notify);
  }

  punsubscribeAllPatterns(c: Client, notify: boolean): void {
    if (c.patterns.size === 0) {
      if (notify) {
        c.pushLen(3);
        c.bulk('punsubscribe');
        c.nullBulk();
        c.int(PubSub.count(c));
      }
      return;
    }
    for (const p of [...c.patterns]) this.punsubscribe(c, p, notify);
  }

  /** Drops every subscription of a closing client, silently. */
  unsubscribeAll(c: Client): void {
    if (c.channels.size > 0) this.unsubscribeAllChannels(c, false);
    if (c.patterns.size > 0) this.punsubscribeAllPatterns(c, false);
  }

  /** Delivers a message; returns the number of receivers (PUBLISH's reply). */
  publish(channel: string, message: string): number {
    let receivers = 0;
    const set = this.channels.get(channel);
    if (set !== undefined) {
      for (const c of set) {
        c.pushLen(3);
        c.bulk('message');
        c.bulk(channel);
        c.bulk(message);
        receivers++;
      }
    }
    if (this.patterns.size > 0) {
      for (const [pattern, clients] of this.patterns) {
        if (!globMatch(pattern, channel)) continue;
        for (const c of clients) {
          c.pushLen(4);
          c.bulk('pmessage');
          c.bulk(pattern);
          c.bulk(channel);
          c.bulk(message);
          receivers++;
        }
      }
    }
    return receivers;
  }
}
