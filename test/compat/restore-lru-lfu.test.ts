// Differential: RESTORE ... IDLETIME / FREQ set the restored key's LRU idle time or LFU
// counter, as redis-server 7.0 does (objectSetLRUOrLFU).
import { it } from 'vitest';
import { describeDifferential, expectSame, lines } from '../helpers/diff.js';

describeDifferential('RESTORE IDLETIME and FREQ vs redis-server', (pair) => {
  it('FREQ under an LFU policy, IDLETIME under LRU, and their errors', async () => {
    await expectSame(
      pair,
      lines(`
        SET src v
        CONFIG SET maxmemory-policy allkeys-lfu
        RESTORE lfu 0 "\\x00\\x01v\\n\\x00\\x91\\x08\\xce\\xb2\\x198\\x8a\\xce" FREQ 100
        OBJECT FREQ lfu
        GET lfu
        RESTORE lfu2 0 "\\x00\\x01v\\n\\x00\\x91\\x08\\xce\\xb2\\x198\\x8a\\xce" FREQ 256
        RESTORE lfu2 0 "\\x00\\x01v\\n\\x00\\x91\\x08\\xce\\xb2\\x198\\x8a\\xce" FREQ 5 IDLETIME 5
        CONFIG SET maxmemory-policy noeviction
        RESTORE lru 0 "\\x00\\x01v\\n\\x00\\x91\\x08\\xce\\xb2\\x198\\x8a\\xce" IDLETIME 100000
        OBJECT IDLETIME lru
        RESTORE lru2 0 "\\x00\\x01v\\n\\x00\\x91\\x08\\xce\\xb2\\x198\\x8a\\xce" IDLETIME -1
      `),
    );
  });
});
