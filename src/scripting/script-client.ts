// The client a script's redis.call runs commands as (Redis's lua_client, a client
// with no connection): its replies are captured for conversion into Lua values
// instead of being sent anywhere.

import { Client } from '../server/client.js';

export class ScriptClient extends Client {
  override isScript = true;

  protected override onReplyPending(): void {
    // Replies stay buffered until takeReplyText.
  }

  /** The reply bytes written since the last call, as latin1 text, and clears them. */
  takeReplyText(): string {
    if (this.outQueue.length === 0) {
      const s = this.out.latin1Slice(0, this.outLen);
      this.outLen = 0;
      return s;
    }
    const out = this.takeOutput();
    if (out === null) return '';
    if (Buffer.isBuffer(out)) return out.latin1Slice(0, out.length);
    let s = '';
    for (const chunk of out) s += typeof chunk === 'string' ? chunk : chunk.latin1Slice(0, chunk.length);
    return s;
  }

  override flush(): void {
    // Never sent: the script runner takes the replies.
  }
}
