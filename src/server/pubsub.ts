// Pub/Sub state (pubsub.c): channel, pattern and shard-channel subscriptions and
// message delivery, as RESP2 arrays or RESP3 push messages.

import { globMatch } from '../keyspace/glob.js';
import type { Client } from './client.js';

/**
 * One kind of subscription (pubsub.c's pubsubtype): where the client and the server
 * keep it, the words its confirmations use, and which subscriptions count in them.
 */
interface SubscriptionKind {
  ofClient(c: Client): Set<string>;
  /** Subscribers by channel or pattern, server-wide. */
  subscribers: Map<string, Set<Client>>;
  subscribeWord: string;
  unsubscribeWord: string;
  /** The count a confirmation carries. */
  count(c: Client): number;
}

export class PubSub {
  readonly channels = new Map<string, Set<Client>>();
  readonly patterns = new Map<string, Set<Client>>();
  /** Sharded channels (SSUBSCRIBE/SPUBLISH): a namespace of their own. */
  readonly shardChannels = new Map<string, Set<Client>>();

  private static readonly plainCount = (c: Client) => c.channels.size + c.patterns.size;
  private readonly channelKind: SubscriptionKind = {
    ofClient: (c) => c.channels,
    subscribers: this.channels,
    subscribeWord: 'subscribe',
    unsubscribeWord: 'unsubscribe',
    count: PubSub.plainCount,
  };
  private readonly patternKind: SubscriptionKind = {
    ofClient: (c) => c.patterns,
    subscribers: this.patterns,
    subscribeWord: 'psubscribe',
    unsubscribeWord: 'punsubscribe',
    count: PubSub.plainCount,
  };
  // Shard confirmations count shard channels only.
  private readonly shardKind: SubscriptionKind = {
    ofClient: (c) => c.shardChannels,
    subscribers: this.shardChannels,
    subscribeWord: 'ssubscribe',
    unsubscribeWord: 'sunsubscribe',
    count: (c) => c.shardChannels.size,
  };

  private add(kind: SubscriptionKind, c: Client, name: string): void {
    const mine = kind.ofClient(c);
    if (!mine.has(name)) {
      mine.add(name);
      const map = kind.subscribers;
      let set = map.get(name);
      if (set === undefined) map.set(name, (set = new Set()));
      set.add(c);
    }
    this.confirm(kind, c, kind.subscribeWord, name);
  }

  private remove(kind: SubscriptionKind, c: Client, name: string, notify: boolean): void {
    if (kind.ofClient(c).delete(name)) {
      const map = kind.subscribers;
      const set = map.get(name);
      if (set !== undefined) {
        set.delete(c);
        if (set.size === 0) map.delete(name);
      }
    }
    if (notify) this.confirm(kind, c, kind.unsubscribeWord, name);
  }

  /** Unsubscribing from everything of a kind: each one, or a null-name confirmation when there were none. */
  private removeAll(kind: SubscriptionKind, c: Client, notify: boolean): void {
    const mine = kind.ofClient(c);
    if (mine.size === 0) {
      if (notify) this.confirm(kind, c, kind.unsubscribeWord, null);
      return;
    }
    for (const name of [...mine]) this.remove(kind, c, name, notify);
  }

  subscribe(c: Client, channel: string): void {
    this.add(this.channelKind, c, channel);
  }
  psubscribe(c: Client, pattern: string): void {
    this.add(this.patternKind, c, pattern);
  }
  ssubscribe(c: Client, channel: string): void {
    this.add(this.shardKind, c, channel);
  }
  unsubscribe(c: Client, channel: string, notify: boolean): void {
    this.remove(this.channelKind, c, channel, notify);
  }
  punsubscribe(c: Client, pattern: string, notify: boolean): void {
    this.remove(this.patternKind, c, pattern, notify);
  }
  sunsubscribe(c: Client, channel: string, notify: boolean): void {
    this.remove(this.shardKind, c, channel, notify);
  }
  /** UNSUBSCRIBE with no arguments. */
  unsubscribeAllChannels(c: Client, notify: boolean): void {
    this.removeAll(this.channelKind, c, notify);
  }
  punsubscribeAllPatterns(c: Client, notify: boolean): void {
    this.removeAll(this.patternKind, c, notify);
  }
  sunsubscribeAll(c: Client, notify: boolean): void {
    this.removeAll(this.shardKind, c, notify);
  }

  /** Drops every subscription of a closing client, silently. */
  unsubscribeAll(c: Client): void {
    if (c.channels.size > 0) this.unsubscribeAllChannels(c, false);
    if (c.patterns.size > 0) this.punsubscribeAllPatterns(c, false);
    if (c.shardChannels.size > 0) this.sunsubscribeAll(c, false);
  }

  /** Delivers a message; returns the number of receivers (PUBLISH's reply). */
  publish(channel: string, message: string): number {
    let receivers = deliver(this.channels.get(channel), 'message', channel, message);
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

  /** SPUBLISH: an smessage to the shard channel's subscribers. */
  spublish(channel: string, message: string): number {
    return deliver(this.shardChannels.get(channel), 'smessage', channel, message);
  }

  /** A subscription confirmation: word, channel or pattern (null for none), count. */
  private confirm(kind: SubscriptionKind, c: Client, word: string, name: string | null): void {
    const replies = forcePush(c);
    c.pushLen(3);
    c.bulk(word);
    if (name === null) c.nullBulk();
    else c.bulk(name);
    c.int(kind.count(c));
    c.replyEnabled = replies;
  }
}

/** A message to every subscriber of one channel; returns how many. */
function deliver(clients: Set<Client> | undefined, word: string, channel: string, message: string): number {
  if (clients === undefined) return 0;
  for (const c of clients) {
    const replies = forcePush(c);
    c.pushLen(3);
    c.bulk(word);
    c.bulk(channel);
    c.bulk(message);
    c.replyEnabled = replies;
  }
  return clients.size;
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
