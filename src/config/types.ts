// Directive types: how a config value is parsed from arguments and printed back.
// Mirrors the typeData families of Redis's config.c (bool, numeric, memory, enum,
// string, special), with Redis's validation messages.

import { formatKeyspaceEvents, parseKeyspaceEvents } from './keyspace-events.js';
import { parseInt64 } from '../util/int64.js';

export type ConfigValue = boolean | number | string | readonly string[] | SavePoint[] | OutputBufferLimits | ReplicaOf | null;

export interface SavePoint {
  seconds: number;
  changes: number;
}

export interface OutputBufferLimit {
  hard: number;
  soft: number;
  softSeconds: number;
}

export interface OutputBufferLimits {
  normal: OutputBufferLimit;
  replica: OutputBufferLimit;
  pubsub: OutputBufferLimit;
}

export interface ReplicaOf {
  host: string;
  port: number;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** The type family, which decides how CONFIG REWRITE and redis.conf.example write a value. */
export type DirectiveKind = 'bool' | 'int' | 'memory' | 'octal' | 'enum' | 'flags' | 'string' | 'words' | 'save' | 'obuf' | 'replicaof';

export interface DirectiveType<T extends ConfigValue = ConfigValue> {
  kind: DirectiveKind;
  /** Accepts several arguments (save, bind ...): one argument holding spaces is split first. */
  multiArg: boolean;
  /** `current` is the directive's value now: a type that amends it (client-output-buffer-limit) starts from it. */
  parse(args: readonly string[], current?: T): ParseResult<T>;
  /** The value as CONFIG GET prints it. */
  format(value: T): string;
}

export const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
export const fail = <T>(error: string): ParseResult<T> => ({ ok: false, error });

export function boolType(): DirectiveType<boolean> {
  return {
    kind: 'bool',
    multiArg: false,
    parse(args) {
      const v = args[0].toLowerCase();
      if (v === 'yes') return ok(true);
      if (v === 'no') return ok(false);
      return fail("argument must be 'yes' or 'no'");
    },
    format: (v) => (v ? 'yes' : 'no'),
  };
}

const MEMORY_UNITS: Record<string, number> = {
  b: 1,
  k: 1000,
  kb: 1024,
  m: 1000 * 1000,
  mb: 1024 * 1024,
  g: 1000 * 1000 * 1000,
  gb: 1024 * 1024 * 1024,
};

/** memtoull: digits with an optional unit (1k, 5mb, 1gb ...); null when malformed or negative. */
export function parseMemory(s: string): number | null {
  const v = parseMemoryExact(s);
  return v === null ? null : Number(v);
}

/** parseMemory without rounding to a double, for bounds checks near 2^63. */
function parseMemoryExact(s: string): bigint | null {
  // No digits reads as 0, as strtoull does ("" and "kb" are 0); too many digits saturate.
  const m = /^(\d*)([a-z]*)$/i.exec(s);
  if (m === null || m[1].length >= 128) return null;
  const unit = m[2].toLowerCase();
  const mul = unit === '' ? 1 : MEMORY_UNITS[unit];
  if (mul === undefined) return null;
  let n = m[1] === '' ? 0n : BigInt(m[1]);
  if (n > ULLONG_MAX) n = ULLONG_MAX;
  if (n > ULLONG_MAX / BigInt(mul)) return null;
  return n * BigInt(mul);
}

const ULLONG_MAX = 18446744073709551615n;

export interface NumericOptions {
  /** Bounds; bigints for C's LONG_MAX and the like, which a double cannot hold exactly. */
  min: number | bigint;
  max: number | bigint;
  /** Accepts memory units (MEMORY_CONFIG in Redis). */
  memory?: boolean;
  /** Parsed and printed in octal (unixsocketperm). */
  octal?: boolean;
  /** Accepted values outside this range are brought into it (hz: 1..500). */
  clamp?: readonly [number, number];
  /** Also accepts `N%`, held as -N (PERCENT_CONFIG: maxmemory-clients). */
  percent?: boolean;
}

export function numericType(o: NumericOptions): DirectiveType<number> {
  return {
    kind: o.memory ? 'memory' : o.octal ? 'octal' : 'int',
    multiArg: false,
    parse(args) {
      const s = args[0];
      let v: number | bigint | null;
      const pct = o.percent === true ? /^(\d+)%$/.exec(s) : null;
      if (pct !== null) {
        v = -Number(pct[1]);
        if (v < -100) return fail('percentage argument must be less or equal to 100');
      } else if (o.memory) {
        v = parseMemoryExact(s);
        if (v === null) return fail('argument must be a memory value');
      } else if (o.octal) {
        // strtoll(s, 8): optional blanks and sign, then octal digits only.
        const m = /^[ \t\n\v\f\r]*([+-]?)([0-7]+)$/.exec(s);
        if (m === null) return fail("argument couldn't be parsed as an octal number");
        v = parseInt(m[2], 8) * (m[1] === '-' ? -1 : 1);
      } else {
        v = parseInt64(s);
        if (v === null) return fail("argument couldn't be parsed into an integer");
      }
      const big = typeof v === 'bigint' ? v : BigInt(Math.trunc(v));
      if (big < BigInt(o.min) || big > BigInt(o.max)) {
        if (o.octal) return fail(`argument must be between ${o.min.toString(8)} and ${o.max.toString(8)} inclusive`);
        return fail(`argument must be between ${o.min} and ${o.max} inclusive`);
      }
      let n = Number(v);
      if (o.clamp !== undefined) n = Math.min(Math.max(n, o.clamp[0]), o.clamp[1]);
      return ok(n);
    },
    format: (v) => (o.octal ? v.toString(8) : o.percent === true && v < 0 ? `${-v}%` : String(v)),
  };
}

export function enumType(values: readonly string[]): DirectiveType<string> {
  return {
    kind: 'enum',
    multiArg: false,
    parse(args) {
      const v = args[0].toLowerCase();
      if (values.includes(v)) return ok(v);
      return fail(`argument(s) must be one of the following: ${values.join(', ')}`);
    },
    format: (v) => v,
  };
}

/**
 * Several flags at once (shutdown-on-sigterm "save now"): a bit set printed in table
 * order; values[0] names the empty set ("default").
 */
export function flagsType(values: readonly string[]): DirectiveType<readonly string[]> {
  const oneOf = `argument(s) must be one of the following: ${values.join(', ')}`;
  return {
    kind: 'flags',
    multiArg: true,
    parse(args) {
      if (args.length === 0) return fail(oneOf);
      const set = new Set<string>();
      for (const a of args) {
        const v = a.toLowerCase();
        if (!values.includes(v)) return fail(oneOf);
        if (v !== values[0]) set.add(v);
      }
      if (set.has('save') && set.has('nosave')) return fail("shutdown options SAVE and NOSAVE can't be used simultaneously");
      const out = values.filter((v) => set.has(v));
      return ok(out.length === 0 ? [values[0]] : out);
    },
    format: (v) => v.join(' '),
  };
}

export interface StringOptions {
  /** Validation beyond "any string"; returns an error message or null. */
  check?: (v: string) => string | null;
}

export function stringType(o: StringOptions = {}): DirectiveType<string> {
  return {
    kind: 'string',
    multiArg: false,
    parse(args) {
      const v = args[0];
      const err = o.check?.(v) ?? null;
      return err === null ? ok(v) : fail(err);
    },
    format: (v) => v,
  };
}

/**
 * notify-keyspace-events: the class characters as given (their flags are what counts),
 * printed in the canonical form; that form can drop a class ('A' hides 'n', as in
 * Redis), so the value itself is kept.
 */
export function keyspaceEventsType(): DirectiveType<string> {
  return {
    kind: 'string',
    multiArg: false,
    parse(args) {
      if (parseKeyspaceEvents(args[0]) < 0) return fail("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
      return ok(args[0]);
    },
    format: (v) => formatKeyspaceEvents(parseKeyspaceEvents(v)),
  };
}

/** A list of words (bind, latency-tracking-info-percentiles, oom-score-adj-values). */
export function wordsType(check?: (words: readonly string[]) => string | null): DirectiveType<readonly string[]> {
  return {
    kind: 'words',
    multiArg: true,
    parse(args) {
      const words = args.filter((a) => a !== '');
      const err = check?.(words) ?? null;
      return err === null ? ok(words) : fail(err);
    },
    format: (v) => v.join(' '),
  };
}

/** latency-tracking-info-percentiles: doubles within [0, 100], printed as %f without trailing zeros. */
export function percentilesType(): DirectiveType<readonly string[]> {
  return {
    kind: 'words',
    multiArg: true,
    parse(args) {
      if (args.length === 1 && args[0] === '') return ok([]);
      const out: string[] = [];
      for (const a of args) {
        const n = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(a) ? Number(a) : NaN;
        if (Number.isNaN(n)) return fail('Invalid latency-tracking-info-percentiles parameters');
        if (n > 100 || n < 0) return fail('latency-tracking-info-percentiles parameters should sit between [0.0,100.0]');
        out.push(n.toFixed(6).replace(/0+$/, '').replace(/\.$/, ''));
      }
      return ok(out);
    },
    format: (v) => v.join(' '),
  };
}

export function saveType(): DirectiveType<SavePoint[]> {
  return {
    kind: 'save',
    multiArg: true,
    parse(args) {
      if (args.length === 1 && args[0] === '') return ok([]);
      if (args.length % 2 !== 0) return fail('Invalid save parameters');
      const points: SavePoint[] = [];
      for (let i = 0; i < args.length; i += 2) {
        const seconds = /^\d+$/.test(args[i]) ? Number(args[i]) : NaN;
        const changes = /^\d+$/.test(args[i + 1]) ? Number(args[i + 1]) : NaN;
        if (!Number.isSafeInteger(seconds) || !Number.isSafeInteger(changes) || seconds < 1) {
          return fail('Invalid save parameters');
        }
        points.push({ seconds, changes });
      }
      return ok(points);
    },
    format: (v) => v.map((p) => `${p.seconds} ${p.changes}`).join(' '),
  };
}

const OBUF_CLASSES: Record<string, keyof OutputBufferLimits> = {
  normal: 'normal',
  replica: 'replica',
  slave: 'replica',
  pubsub: 'pubsub',
};

export const DEFAULT_OUTPUT_BUFFER_LIMITS: OutputBufferLimits = {
  normal: { hard: 0, soft: 0, softSeconds: 0 },
  replica: { hard: 256 * 1024 * 1024, soft: 64 * 1024 * 1024, softSeconds: 60 },
  pubsub: { hard: 32 * 1024 * 1024, soft: 8 * 1024 * 1024, softSeconds: 60 },
};

/** client-output-buffer-limit <class> <hard> <soft> <seconds> [<class> ...]: classes not named keep their values. */
export function outputBufferLimitsType(defaults: OutputBufferLimits): DirectiveType<OutputBufferLimits> {
  const fmt = (l: OutputBufferLimit) => `${l.hard} ${l.soft} ${l.softSeconds}`;
  return {
    kind: 'obuf',
    multiArg: true,
    parse(args, current) {
      if (args.length % 4 !== 0 || args.length === 0) return fail('Wrong number of arguments in buffer limit configuration.');
      const next: OutputBufferLimits = { ...(current ?? defaults) };
      for (let i = 0; i < args.length; i += 4) {
        const cls = OBUF_CLASSES[args[i].toLowerCase()];
        const hard = parseMemory(args[i + 1]);
        const soft = parseMemory(args[i + 2]);
        const secs = /^\d+$/.test(args[i + 3]) ? Number(args[i + 3]) : null;
        if (cls === undefined) return fail('Invalid client class specified in buffer limit configuration.');
        if (hard === null || soft === null || secs === null || hard < 0 || soft < 0) {
          return fail('Error in hard, soft or soft_seconds setting in buffer limit configuration.');
        }
        next[cls] = { hard, soft, softSeconds: secs };
      }
      return ok(next);
    },
    format: (v) => `normal ${fmt(v.normal)} slave ${fmt(v.replica)} pubsub ${fmt(v.pubsub)}`,
  };
}

export function replicaOfType(): DirectiveType<ReplicaOf | null> {
  return {
    kind: 'replicaof',
    multiArg: true,
    parse(args) {
      if (args.length === 1 && args[0] === '') return ok(null);
      if (args.length !== 2) return fail('wrong number of arguments');
      if (args[0].toLowerCase() === 'no' && args[1].toLowerCase() === 'one') return ok(null);
      const port = /^\d+$/.test(args[1]) ? Number(args[1]) : NaN;
      if (!(port >= 0 && port <= 65535)) return fail('Invalid master port');
      return ok({ host: args[0], port });
    },
    format: (v) => (v === null ? '' : `${v.host} ${v.port}`),
  };
}
