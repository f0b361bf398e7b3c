// The slow log (slowlog.c): commands slower than slowlog-log-slower-than, newest first.

/** Arguments kept per entry and characters kept per argument, as Redis. */
const MAX_ARGC = 32;
const MAX_STRING = 128;

export interface SlowlogEntry {
  id: number;
  time: number;
  durationUs: number;
  argv: string[];
  peer: string;
  clientName: string;
}

export class SlowLog {
  private entries: SlowlogEntry[] = [];
  private nextId = 0;

  add(argv: readonly string[], durationUs: number, peer: string, clientName: string, maxLen: number): void {
    const argc = Math.min(argv.length, MAX_ARGC);
    const kept: string[] = [];
    for (let i = 0; i < argc; i++) {
      if (argc !== argv.length && i === argc - 1) {
        kept.push(`... (${argv.length - argc + 1} more arguments)`);
        break;
      }
      const a = argv[i];
      kept.push(a.length > MAX_STRING ? `${a.slice(0, MAX_STRING)}... (${a.length - MAX_STRING} more bytes)` : a);
    }
    this.entries.unshift({ id: this.nextId++, time: Math.floor(Date.now() / 1000), durationUs, argv: kept, peer, clientName });
    if (this.entries.length > maxLen) this.entries.length = maxLen;
  }

  get(count: number): SlowlogEntry[] {
    return count < 0 ? this.entries.slice() : this.entries.slice(0, count);
  }

  get length(): number {
    return this.entries.length;
  }

  reset(): void {
    this.entries = [];
  }

  trim(maxLen: number): void {
    if (this.entries.length > maxLen) this.entries.length = maxLen;
  }
}
