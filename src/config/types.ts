// Directive types: how a config value is parsed from arguments and printed back.
// Mirrors the typeData families of Redis's config.c (bool, numeric, memory, enum,
// string, special), with Redis's validation messages.

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

export interface DirectiveType<T extends ConfigValue = ConfigValue> {
  /** Accepts several arguments (save, bind ...): one argument holding spaces is split first. */
  multiArg: boolean;
  parse(args: readonly string[]): ParseResult<T>;
  /** The value as CONFIG GET prints it. */
  format(value: T): string;
  /** The value as CONFIG REWRITE writes it: one line's arguments, or several lines (save). */
  rewriteLines?(value: T): string[][];
}

export const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
export const fail = <T>(error: string): ParseResult<T> => ({ ok: false, error });

export function boolType(): DirectiveType<boolean> {
  return {
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

/** memtoull: a number with an optional unit (1k, 5mb, 1gb ...); null when malformed. */
export function parseMemory(s: string): number | null {
  const m = /^(-?\d+)([a-z]*)$/i.exec(s);
  if (m === null) return null;
  const unit = m[2].toLowerCase();
  const mul = unit === '' ? 1 : MEMORY_UNITS[unit];
  if (mul === undefined) return null;
  return Number(m[1]) * mul;
}

export interface NumericOptions {
  min: number;
  max: number;
  /** Accepts memory units (MEMORY_CONFIG in Redis). */
  memory?: boolean;
  /** Parsed and printed in octal (unixsocketperm). */
  octal?: boolean;
}

export function numericType(o: NumericOptions): DirectiveType<number> {
  return {
    multiArg: false,
    parse(args) {
      const s = args[0];
      let v: number | null;
      if (o.memory) {
        v = parseMemory(s);
        if (v === null) return fail('argument must be a memory value');
      } else if (o.octal) {
        v = /^[0-7]+$/.test(s) ? parseInt(s, 8) : null;
        if (v === null) return fail('argument couldn\'t be parsed into an integer');
      } else {
        v = /^-?\d+$/.test(s) ? Number(s) : null;
        if (v === null || !Number.isSafeInteger(v)) return fail("argument couldn't be parsed into an integer");
      }
      if (v < o.min || v > o.max) {
        if (o.octal) return fail(`argument must be between ${o.min.toString(8)} and ${o.max.toString(8)} inclusive`);
        return fail(`argument must be between ${o.min} and ${o.max} inclusive`);
      }
      return ok(v);
    },
    format: (v) => (o.octal ? v.toString(8) : String(v)),
  };
}

export function enumType(values: readonly string[]): DirectiveType<string> {
  return {
    multiArg: false,
    parse(args) {
      const v = args[0].toLowerCase();
      if (values.includes(v)) return ok(v);
      return fail(`argument(s) must be one of the following: ${values.join(', ')}`);
    },
    format: (v) => v,
  };
}

/** Several flags from a set at once (shutdown-on-sigterm "save now"). */
export function flagsType(values: readonly string[]): DirectiveType<readonly string[]> {
  return {
    multiArg: true,
    parse(args) {
      const out: string[] = [];
      for (const a of args) {
        const v = a.toLowerCase();
        if (!values.includes(v)) return fail(`argument(s) must be one of the following: ${values.join(', ')}`);
        if (!out.includes(v)) out.push(v);
      }
      if (out.length === 0) return fail('wrong number of arguments');
      if (out.length > 1 && out.includes('default')) return fail('argument(s) must be one of the following: ' + values.join(', '));
      if (out.includes('save') && out.includes('nosave')) return fail("shutdown flags can't have both save and nosave");
      return ok(out);
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
    multiArg: false,
    parse(args) {
      const v = args[0];
      const err = o.check?.(v) ?? null;
      return err === null ? ok(v) : fail(err);
    },
    format: (v) => v,
  };
}

/** A list of words (bind, latency-tracking-info-percentiles, oom-score-adj-values). */
export function wordsType(check?: (words: readonly string[]) => string | null): DirectiveType<readonly string[]> {
  return {
    multiArg: true,
    parse(args) {
      const words = args.filter((a) => a !== '');
      const err = check?.(words) ?? null;
      return err === null ? ok(words) : fail(err);
    },
    format: (v) => v.join(' '),
  };
}

export function saveType(): DirectiveType<SavePoint[]> {
  return {
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
    rewriteLines: (v) => (v.length === 0 ? [['""']] : v.map((p) => [String(p.seconds), String(p.changes)])),
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
export function outputBufferLimitsType(current: () => OutputBufferLimits): DirectiveType<OutputBufferLimits> {
  const fmt = (l: OutputBufferLimit) => `${l.hard} ${l.soft} ${l.softSeconds}`;
  return {
    multiArg: true,
    parse(args) {
      if (args.length % 4 !== 0 || args.length === 0) return fail('Wrong number of arguments in buffer limit configuration.');
      const next: OutputBufferLimits = { ...current() };
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
    rewriteLines: (v) => [
      ['normal', ...fmt(v.normal).split(' ')],
      ['replica', ...fmt(v.replica).split(' ')],
      ['pubsub', ...fmt(v.pubsub).split(' ')],
    ],
  };
}

export function replicaOfType(): DirectiveType<ReplicaOf | null> {
  return {
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
