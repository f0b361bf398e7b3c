// The sorted-set type (t_zset.c): a skiplist with spans for O(log n) insert,
// delete, rank and range, plus a member → score map for O(1) ZSCORE. Members
// order by score, then by bytes (latin1 strings compare as bytes). OBJECT ENCODING
// follows Redis 7.0: "listpack" while the count fits zset-max-listpack-entries and
// every member fits zset-max-listpack-value, then "skiplist" for good.

import type { CollectionValue } from '../database.js';

const MAX_LEVEL = 32;
const P = 0.25;

interface Level {
  forward: ZNode | null;
  span: number;
}

export class ZNode {
  backward: ZNode | null = null;
  readonly level: Level[];

  constructor(
    public score: number,
    readonly member: string,
    levels: number,
  ) {
    this.level = new Array<Level>(levels);
    for (let i = 0; i < levels; i++) this.level[i] = { forward: null, span: 0 };
  }
}

function randomLevel(): number {
  let l = 1;
  while (l < MAX_LEVEL && Math.random() < P) l++;
  return l;
}

/** a < b in zset order. */
function before(score: number, member: string, node: ZNode): boolean {
  return node.score < score || (node.score === score && node.member < member);
}

export interface ScoreRange {
  min: number;
  max: number;
  minExclusive: boolean;
  maxExclusive: boolean;
}

export interface LexRange {
  /** null = unbounded ('-' / '+'). */
  min: string | null;
  max: string | null;
  minExclusive: boolean;
  maxExclusive: boolean;
  /** '+' as min or '-' as max: matches nothing. */
  empty?: boolean;
}

export function scoreGteMin(s: number, r: ScoreRange): boolean {
  return r.minExclusive ? s > r.min : s >= r.min;
}

export function scoreLteMax(s: number, r: ScoreRange): boolean {
  return r.maxExclusive ? s < r.max : s <= r.max;
}

export function lexGteMin(m: string, r: LexRange): boolean {
  if (r.min === null) return !r.empty;
  return r.minExclusive ? m > r.min : m >= r.min;
}

export function lexLteMax(m: string, r: LexRange): boolean {
  if (r.max === null) return !r.empty;
  return r.maxExclusive ? m < r.max : m <= r.max;
}

export interface ZsetLimits {
  maxEntries: number;
  maxValue: number;
}

export class ZSetValue implements CollectionValue {
  readonly type = 'zset' as const;
  readonly scores = new Map<string, number>();
  private readonly header = new ZNode(0, '', MAX_LEVEL);
  private tail: ZNode | null = null;
  private level = 1;
  private listpack = true;

  get size(): number {
    return this.scores.size;
  }

  encoding(): string {
    return this.listpack ? 'listpack' : 'skiplist';
  }

  get isListpack(): boolean {
    return this.listpack;
  }

  convertToSkiplist(): void {
    this.listpack = false;
  }

  /** Applies the listpack → skiplist rule after an insertion of `member`. */
  private checkEncoding(member: string, limits: ZsetLimits): void {
    if (this.listpack && (member.length > limits.maxValue || this.scores.size > limits.maxEntries)) this.listpack = false;
  }

  score(member: string): number | undefined {
    return this.scores.get(member);
  }

  /** Adds or updates; returns 'added' | 'updated' | 'unchanged'. */
  add(member: string, score: number, limits: ZsetLimits): 'added' | 'updated' | 'unchanged' {
    const cur = this.scores.get(member);
    if (cur === undefined) {
      this.insertNode(score, member);
      this.scores.set(member, score);
      this.checkEncoding(member, limits);
      return 'added';
    }
    if (cur === score) return 'unchanged';
    this.deleteNode(cur, member);
    this.insertNode(score, member);
    this.scores.set(member, score);
    return 'updated';
  }

  remove(member: string): boolean {
    const cur = this.scores.get(member);
    if (cur === undefined) return false;
    this.deleteNode(cur, member);
    this.scores.delete(member);
    return true;
  }

  private insertNode(score: number, member: string): void {
    const update = new Array<ZNode>(MAX_LEVEL);
    const rank = new Array<number>(MAX_LEVEL).fill(0);
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : rank[i + 1];
      let f = x.level[i].forward;
      while (f !== null && before(score, member, f)) {
        rank[i] += x.level[i].span;
        x = f;
        f = x.level[i].forward;
      }
      update[i] = x;
    }
    const lvl = randomLevel();
    if (lvl > this.level) {
      for (let i = this.level; i < lvl; i++) {
        rank[i] = 0;
        update[i] = this.header;
        this.header.level[i].span = this.scores.size;
      }
      this.level = lvl;
    }
    const node = new ZNode(score, member, lvl);
    for (let i = 0; i < lvl; i++) {
      node.level[i].forward = update[i].level[i].forward;
      update[i].level[i].forward = node;
      node.level[i].span = update[i].level[i].span - (rank[0] - rank[i]);
      update[i].level[i].span = rank[0] - rank[i] + 1;
    }
    for (let i = lvl; i < this.level; i++) update[i].level[i].span++;
    node.backward = update[0] === this.header ? null : update[0];
    if (node.level[0].forward !== null) node.level[0].forward.backward = node;
    else this.tail = node;
  }

  private deleteNode(score: number, member: string): void {
    const update = new Array<ZNode>(MAX_LEVEL);
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.level[i].forward;
      while (f !== null && before(score, member, f)) {
        x = f;
        f = x.level[i].forward;
      }
      update[i] = x;
    }
    const node = x.level[0].forward;
    if (node === null || node.score !== score || node.member !== member) return;
    for (let i = 0; i < this.level; i++) {
      if (update[i].level[i].forward === node) {
        update[i].level[i].span += node.level[i].span - 1;
        update[i].level[i].forward = node.level[i].forward;
      } else {
        update[i].level[i].span--;
      }
    }
    if (node.level[0].forward !== null) node.level[0].forward.backward = node.backward;
    else this.tail = node.backward;
    while (this.level > 1 && this.header.level[this.level - 1].forward === null) this.level--;
  }

  /** 0-based rank of a member in ascending order, or undefined. */
  rank(member: string): number | undefined {
    const score = this.scores.get(member);
    if (score === undefined) return undefined;
    let r = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.level[i].forward;
      while (f !== null && (before(score, member, f) || (f.score === score && f.member === member))) {
        r += x.level[i].span;
        x = f;
        f = x.level[i].forward;
      }
      if (x !== this.header && x.member === member) return r - 1;
    }
    return undefined;
  }

  /** The node at a 0-based rank, or null. */
  byRank(rank: number): ZNode | null {
    if (rank < 0 || rank >= this.scores.size) return null;
    const target = rank + 1;
    let traversed = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.level[i].forward;
      while (f !== null && traversed + x.level[i].span <= target) {
        traversed += x.level[i].span;
        x = f;
        f = x.level[i].forward;
      }
      if (traversed === target) return x;
    }
    return null;
  }

  first(): ZNode | null {
    return this.header.level[0].forward;
  }

  last(): ZNode | null {
    return this.tail;
  }

  /** First node with score in range, or null. */
  firstInScoreRange(r: ScoreRange): ZNode | null {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.level[i].forward;
      while (f !== null && !scoreGteMin(f.score, r)) {
        x = f;
        f = x.level[i].forward;
      }
    }
    const n = x.level[0].forward;
    return n !== null && scoreLteMax(n.score, r) ? n : null;
  }

  /** Last node with score in range, or null. */
  lastInScoreRange(r: ScoreRange): ZNode | null {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.level[i].forward;
      while (f !== null && scoreLteMax(f.score, r)) {
        x = f;
        f = x.level[i].forward;
      }
    }
    return x !== this.header && scoreGteMin(x.score, r) ? x : null;
  }

  firstInLexRange(r: LexRange): ZNode | null {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.level[i].forward;
      while (f !== null && !lexGteMin(f.member, r)) {
        x = f;
        f = x.level[i].forward;
      }
    }
    const n = x.level[0].forward;
    return n !== null && lexLteMax(n.member, r) ? n : null;
  }

  lastInLexRange(r: LexRange): ZNode | null {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.level[i].forward;
      while (f !== null && lexLteMax(f.member, r)) {
        x = f;
        f = x.level[i].forward;
      }
    }
    return x !== this.header && lexGteMin(x.member, r) ? x : null;
  }

  /**
   * An independent copy (COPY, zsetDup): rebuilt node by node in order, so a large
   * skiplist is copied iteratively rather than walked as an object graph.
   */
  dup(): ZSetValue {
    const copy = new ZSetValue();
    copy.listpack = this.listpack;
    for (const n of this.nodes()) {
      copy.insertNode(n.score, n.member);
      copy.scores.set(n.member, n.score);
    }
    return copy;
  }

  /** Every node in ascending order. */
  *nodes(): IterableIterator<ZNode> {
    let x = this.header.level[0].forward;
    while (x !== null) {
      yield x;
      x = x.level[0].forward;
    }
  }
}
