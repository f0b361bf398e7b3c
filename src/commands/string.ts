// String commands (t_string.c). Values are latin1 strings: one char per byte.

import { Errors } from '../protocol/errors.js';
import { parseInt64 } from '../util/int64.js';
import type { Client } from '../server/client.js';
import type { Value } from '../keyspace/database.js';
import type { CommandSpec } from './types.js';

/** Reads a string value for a reply; replies WRONGTYPE and returns false for other types. */
export function getStringOrReply(c: Client, key: string): string | null | false {
  const v: Value | undefined = c.db.getRead(key);
  if (v === undefined) return null;
  if (typeof v !== 'string') {
    c.error(Errors.wrongType);
    return false;
  }
  return v;
}

/** GET key */
function get(c: Client, argv: string[]): void {
  const v = getStringOrReply(c, argv[1]);
  if (v === false) return;
  if (v === null) c.nullBulk();
  else c.bulk(v);
}

const SET_NX = 1;
const SET_XX = 2;
const SET_GET = 4;
const SET_KEEPTTL = 8;
const SET_EX = 16;
const SET_PX = 32;
const SET_EXAT = 64;
const SET_PXAT = 128;
const SET_ANY_EXPIRE = SET_EX | SET_PX | SET_EXAT | SET_PXAT;

/**
 * getExpireMillisecondsOrReply: the absolute expiry in ms for a relative or absolute
 * argument, or null after replying an error.
 */
export function expireArgToAbsMs(c: Client, arg: string, inSeconds: boolean, relative: boolean, cmdName: string): number | null {
  const v = parseInt64(arg);
  if (v === null) {
    c.error(Errors.notInteger);
    return null;
  }
  if (v <= 0 || (inSeconds && BigInt(v) > 9223372036854775807n / 1000n)) {
    c.error(Errors.invalidExpire(cmdName));
    return null;
  }
  let ms = BigInt(v) * (inSeconds ? 1000n : 1n);
  if (relative) ms += BigInt(c.server.hooks.now);
  if (ms <= 0n || ms > 9223372036854775807n) {
    c.error(Errors.invalidExpire(cmdName));
    return null;
  }
  return Number(ms);
}

/** SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL] */
function set(c: Client, argv: string[]): void {
  let flags = 0;
  let expireArg: string | null = null;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    const hasNext = j < argv.length - 1;
    if (opt === 'nx' && !(flags & SET_XX)) flags |= SET_NX;
    else if (opt === 'xx' && !(flags & SET_NX)) flags |= SET_XX;
    else if (opt === 'get') flags |= SET_GET;
    else if (opt === 'keepttl' && !(flags & SET_ANY_EXPIRE)) flags |= SET_KEEPTTL;
    else if (opt === 'ex' && !(flags & (SET_KEEPTTL | SET_EXAT | SET_PX | SET_PXAT)) && hasNext) {
      flags |= SET_EX;
      expireArg = argv[++j];
    } else if (opt === 'px' && !(flags & (SET_KEEPTTL | SET_EX | SET_EXAT | SET_PXAT)) && hasNext) {
      flags |= SET_PX;
      expireArg = argv[++j];
    } else if (opt === 'exat' && !(flags & (SET_KEEPTTL | SET_EX | SET_PX | SET_PXAT)) && hasNext) {
      flags |= SET_EXAT;
      expireArg = argv[++j];
    } else if (opt === 'pxat' && !(flags & (SET_KEEPTTL | SET_EX | SET_EXAT | SET_PX)) && hasNext) {
      flags |= SET_PXAT;
      expireArg = argv[++j];
    } else {
      c.error(Errors.syntax);
      return;
    }
  }
  let when = 0;
  if (expireArg !== null) {
    const ms = expireArgToAbsMs(c, expireArg, (flags & (SET_EX | SET_EXAT)) !== 0, (flags & (SET_EX | SET_PX)) !== 0, 'set');
    if (ms === null) return;
    when = ms;
  }
  const key = argv[1];
  const db = c.db;
  if (flags & SET_GET) {
    const old = getStringOrReply(c, key);
    if (old === false) return;
    if (old === null) c.nullBulk();
    else c.bulk(old);
  }
  const found = db.get(key) !== undefined;
  if ((flags & SET_NX && found) || (flags & SET_XX && !found)) {
    if (!(flags & SET_GET)) c.nullBulk();
    return;
  }
  db.set(key, argv[2], (flags & SET_KEEPTTL) !== 0);
  c.server.dirty++;
  if (expireArg !== null) {
    db.setExpire(key, when);
    c.server.propagateAs = [['SET', key, argv[2], 'PXAT', String(when)]];
  } else if (flags & SET_GET) {
    c.server.propagateAs = [argv.filter((a, j) => j < 3 || a.toLowerCase() !== 'get')];
  }
  if (!(flags & SET_GET)) c.ok();
}

export const stringCommands: CommandSpec[] = [
  { name: 'get', arity: 2, flags: ['readonly', 'fast'], group: 'string', handler: get, keys: [1, 1, 1] },
  { name: 'set', arity: -3, flags: ['write', 'denyoom'], group: 'string', handler: set, keys: [1, 1, 1] },
];
