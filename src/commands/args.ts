// Argument parsing shared by command groups, with Redis's error replies
// (object.c's get*FromObjectOrReply family, timeout.c). Each returns null after
// replying the error, so a handler just returns.

import { Errors } from '../protocol/errors.js';
import { parseInt64, type Int64 } from '../util/int64.js';
import { parseStrtod } from '../util/strtod.js';
import type { Client } from '../server/client.js';
import type { CollectionType, Value } from '../keyspace/database.js';

/** getLongLongFromObjectOrReply: an int64 (number when exact), or null after an error reply. */
export function int64Arg(c: Client, s: string, msg: string = Errors.notInteger): Int64 | null {
  const v = parseInt64(s);
  if (v === null) c.error(msg);
  return v;
}

/** getLongFromObjectOrReply as a JS number (bigints beyond 2^53 are clamped, fine for counts and indexes). */
export function intArg(c: Client, s: string, msg: string = Errors.notInteger): number | null {
  const v = parseInt64(s);
  if (v === null) {
    c.error(msg);
    return null;
  }
  return typeof v === 'number' ? v : Number(v);
}

/** getRangeLongFromObjectOrReply. */
export function rangeArg(c: Client, s: string, min: number, max: number, msg?: string): number | null {
  const v = intArg(c, s, msg);
  if (v === null) return null;
  if (v < min || v > max) {
    c.error(msg ?? `ERR value is out of range, value must between ${min} and ${max}`);
    return null;
  }
  return v;
}

/** getPositiveLongFromObjectOrReply. */
export function positiveArg(c: Client, s: string, msg?: string): number | null {
  return rangeArg(c, s, 0, Number.MAX_SAFE_INTEGER, msg ?? 'ERR value is out of range, must be positive');
}

/** getDoubleFromObjectOrReply. */
export function doubleArg(c: Client, s: string, msg: string = Errors.notFloat): number | null {
  const v = parseStrtod(s);
  if (v === null) c.error(msg);
  return v;
}

/** getTimeoutFromObjectOrReply (seconds, fractional): absolute deadline in ms, 0 = forever. */
export function timeoutArg(c: Client, s: string): number | null {
  const v = parseStrtod(s);
  if (v === null) {
    c.error(Errors.timeoutNotFloat);
    return null;
  }
  const ms = Math.ceil(v * 1000);
  // Redis casts the value to a 64-bit integer: infinities and huge values come out negative.
  if (ms < 0 || !Number.isFinite(ms) || Math.abs(ms) >= 2 ** 63) {
    c.error(Errors.timeoutNegative);
    return null;
  }
  // The deadline counts from the command's time, as every time in a command does.
  return ms > 0 ? ms + c.server.hooks.now : 0;
}

/**
 * The value of `key` when it has `type`; undefined when the key is missing; null after
 * replying WRONGTYPE. `forRead` counts keyspace hits/misses (lookupKeyRead).
 */
export function lookupTyped<T extends Value>(c: Client, key: string, type: CollectionType, forRead: boolean): T | undefined | null {
  const v = forRead ? c.db.getRead(key) : c.db.get(key);
  if (v === undefined) return undefined;
  if (typeof v === 'string' || v.type !== type) {
    c.error(Errors.wrongType);
    return null;
  }
  return v as T;
}

/** The argument as C's %s prints it: up to the first NUL. */
export function cstr(s: string): string {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}

/** Replies a HELP text as status lines, as addReplyHelp does. */
export function replyHelp(c: Client, lines: readonly string[]): void {
  c.arrayLen(lines.length);
  for (const l of lines) c.status(l);
}

/** addReplySubcommandSyntaxError: a known subcommand with arguments it does not take. */
export function subcommandSyntaxError(c: Client, argv: string[]): void {
  c.error(`ERR unknown subcommand or wrong number of arguments for '${cstr(argv[1]).slice(0, 128)}'. Try ${cstr(argv[0]).toUpperCase()} HELP.`);
}
