// Geo commands (geo.c): points live in a sorted set whose scores are 52-bit
// interleaved geohashes (src/keyspace/geohash.ts), so GEOADD is ZADD with computed
// scores and searches scan the score ranges of up to nine geohash boxes. Result
// order, distances and coordinates print exactly as Redis 7.0 prints them.

import { pqsort } from '../util/pqsort.js';
import { Errors } from '../protocol/errors.js';
import type { ZSetValue } from '../keyspace/types/zset.js';
import {
  GEO_LAT_MAX,
  GEO_LAT_MIN,
  GEO_LONG_MAX,
  GEO_LONG_MIN,
  boxScores,
  decodeScore,
  distance,
  distanceInShape,
  encodeScoreText,
  formatDistance,
  formatFixed,
  geohashString,
  humanDouble,
  searchAreas,
  type GeoShape,
} from '../keyspace/geohash.js';
import { doubleArg, int64Arg, lookupTyped } from './args.js';
import { buildZset, eqi, storeKey, zsetLimits } from './zset-common.js';
import { zaddGeneric } from './zset.js';
import type { Client } from '../server/client.js';
import { notify, Notify } from '../server/keyspace-events.js';
import type { CommandSpec } from './types.js';


/** Scratch [longitude, latitude]. */
const xy: [number, number] = [0, 0];

/** extractLongLatOrReply: both parse as floats, then the pair must be in range. Into `out`. */
function extractLongLat(c: Client, lonArg: string, latArg: string, out: [number, number]): boolean {
  const x = doubleArg(c, lonArg);
  if (x === null) return false;
  const y = doubleArg(c, latArg);
  if (y === null) return false;
  if (x < GEO_LONG_MIN || x > GEO_LONG_MAX || y < GEO_LAT_MIN || y > GEO_LAT_MAX) {
    c.error(`ERR invalid longitude,latitude pair ${formatFixed(x, 6)},${formatFixed(y, 6)}`);
    return false;
  }
  out[0] = x;
  out[1] = y;
  return true;
}

/** extractUnitOrReply: meters per unit, or -1 after the error reply. */
function extractUnit(c: Client, u: string): number {
  if (eqi(u, 'm')) return 1;
  if (eqi(u, 'km')) return 1000;
  if (eqi(u, 'ft')) return 0.3048;
  if (eqi(u, 'mi')) return 1609.34;
  c.error(Errors.unit);
  return -1;
}

/** extractDistanceOrReply: `radius unit` at argv[i], into the shape. */
function extractDistance(c: Client, argv: string[], i: number, shape: GeoShape): boolean {
  const d = doubleArg(c, argv[i], 'ERR need numeric radius');
  if (d === null) return false;
  if (d < 0) {
    c.error(Errors.radiusCannotBeNegative);
    return false;
  }
  shape.radius = d;
  const conv = extractUnit(c, argv[i + 1]);
  if (conv < 0) return false;
  shape.conversion = conv;
  return true;
}

/** extractBoxOrReply: `width height unit` at argv[i], into the shape. */
function extractBox(c: Client, argv: string[], i: number, shape: GeoShape): boolean {
  const w = doubleArg(c, argv[i], 'ERR need numeric width');
  if (w === null) return false;
  const h = doubleArg(c, argv[i + 1], 'ERR need numeric height');
  if (h === null) return false;
  if (h < 0 || w < 0) {
    c.error(Errors.heightOrWidthCannotBeNegative);
    return false;
  }
  shape.width = w;
  shape.height = h;
  const conv = extractUnit(c, argv[i + 2]);
  if (conv < 0) return false;
  shape.conversion = conv;
  return true;
}

/** addReplyHumanLongDouble */
function replyHumanDouble(c: Client, d: number): void {
  if (c.resp === 2) c.bulk(humanDouble(d));
  else c.raw(',' + humanDouble(d) + '\r\n');
}

/** GEOADD key [NX|XX] [CH] longitude latitude member [longitude latitude member ...] */
function geoadd(c: Client, argv: string[]): void {
  let xx = false;
  let nx = false;
  let longidx = 2;
  while (longidx < argv.length) {
    const opt = argv[longidx];
    if (eqi(opt, 'nx')) nx = true;
    else if (eqi(opt, 'xx')) xx = true;
    else if (!eqi(opt, 'ch')) break;
    longidx++;
  }
  if ((argv.length - longidx) % 3 !== 0 || (xx && nx)) {
    c.error(Errors.syntax);
    return;
  }
  // The ZADD vector it becomes (and is propagated as): options, then score member pairs.
  const elements = (argv.length - longidx) / 3;
  const zargv = new Array<string>(longidx + elements * 2);
  zargv[0] = 'zadd';
  for (let i = 1; i < longidx; i++) zargv[i] = argv[i];
  for (let i = 0; i < elements; i++) {
    const base = longidx + i * 3;
    if (!extractLongLat(c, argv[base], argv[base + 1], xy)) return;
    zargv[longidx + i * 2] = encodeScoreText(xy[0], xy[1]);
    zargv[longidx + 1 + i * 2] = argv[base + 2];
  }
  const dirty = c.server.dirty;
  zaddGeneric(c, zargv, 0);
  if (c.server.dirty !== dirty) c.server.propagateAs = [zargv];
}

const RADIUS_COORDS = 1;
const RADIUS_MEMBER = 2;
const RADIUS_NOSTORE = 4;
const GEOSEARCH = 8;
const GEOSEARCHSTORE = 16;

const SORT_NONE = 0;
const SORT_ASC = 1;
const SORT_DESC = 2;

interface GeoPoint {
  lon: number;
  lat: number;
  dist: number;
  score: number;
  member: string;
}

type PointCmp = (a: GeoPoint, b: GeoPoint) => number;

function sortAsc(a: GeoPoint, b: GeoPoint): number {
  return a.dist > b.dist ? 1 : a.dist === b.dist ? 0 : -1;
}

function sortDesc(a: GeoPoint, b: GeoPoint): number {
  return -sortAsc(a, b);
}

/** geoGetPointsInRange over one box's scores [min, max): the points inside the shape. */
function pointsInBox(z: ZSetValue, min: number, max: number, shape: GeoShape, ga: GeoPoint[], limit: number): void {
  let node = z.firstInScoreRange({ min, max, minExclusive: false, maxExclusive: true });
  while (node !== null) {
    if (!(node.score < max)) break;
    decodeScore(node.score, xy);
    const d = distanceInShape(shape, xy[0], xy[1]);
    if (d >= 0) ga.push({ lon: xy[0], lat: xy[1], dist: d, score: node.score, member: node.member });
    if (ga.length > 0 && limit !== 0 && ga.length >= limit) break;
    node = node.level[0].forward;
  }
}

/** membersOfAllNeighbors: the center box and its neighbors, in Redis's order. */
function searchPoints(z: ZSetValue, shape: GeoShape, limit: number): GeoPoint[] {
  const areas = searchAreas(shape);
  const ga: GeoPoint[] = [];
  let lastProcessed = 0;
  for (let i = 0; i < areas.length; i++) {
    const h = areas[i];
    if (h === null) continue;
    // A huge radius can make adjacent boxes equal; only a repeat of the last scanned
    // one is skipped (index 0 never counts as "last", as in Redis).
    const prev = areas[lastProcessed];
    if (lastProcessed !== 0 && prev !== null && h.bits === prev.bits && h.step === prev.step) continue;
    if (ga.length > 0 && limit !== 0 && ga.length >= limit) break;
    const [min, max] = boxScores(h);
    pointsInBox(z, min, max, shape, ga, limit);
    lastProcessed = i;
  }
  return ga;
}


/** GEORADIUS, GEORADIUSBYMEMBER (and _RO), GEOSEARCH, GEOSEARCHSTORE: georadiusGeneric. */
function georadiusGeneric(c: Client, argv: string[], srcKeyIndex: number, flags: number): void {
  let storekey: string | null = null;
  let storedist = false;
  const z = lookupTyped<ZSetValue>(c, argv[srcKeyIndex], 'zset', true);
  if (z === null) return;

  const shape: GeoShape = { circular: true, lon: 0, lat: 0, radius: 0, width: 0, height: 0, conversion: 1 };
  let baseArgs: number;
  if (flags & RADIUS_COORDS) {
    baseArgs = 6;
    if (!extractLongLat(c, argv[2], argv[3], xy)) return;
    shape.lon = xy[0];
    shape.lat = xy[1];
    if (!extractDistance(c, argv, baseArgs - 2, shape)) return;
  } else if (flags & RADIUS_MEMBER && z === undefined) {
    // No source key: keep parsing so the reply matches the STORE flavour.
    baseArgs = 5;
  } else if (flags & RADIUS_MEMBER) {
    baseArgs = 5;
    const score = (z as ZSetValue).score(argv[2]);
    if (score === undefined) {
      c.error(Errors.decodeMember);
      return;
    }
    decodeScore(score, xy);
    shape.lon = xy[0];
    shape.lat = xy[1];
    if (!extractDistance(c, argv, baseArgs - 2, shape)) return;
  } else {
    baseArgs = 2;
    if (flags & GEOSEARCHSTORE) {
      baseArgs = 3;
      storekey = argv[1];
    }
  }

  let withdist = false;
  let withhash = false;
  let withcoords = false;
  let frommember = false;
  let fromloc = false;
  let byradius = false;
  let bybox = false;
  let sort = SORT_NONE;
  let any = false;
  let count = 0;
  const remaining = argv.length - baseArgs;
  for (let i = 0; i < remaining; i++) {
    const arg = argv[baseArgs + i];
    if (eqi(arg, 'withdist')) withdist = true;
    else if (eqi(arg, 'withhash')) withhash = true;
    else if (eqi(arg, 'withcoord')) withcoords = true;
    else if (eqi(arg, 'any')) any = true;
    else if (eqi(arg, 'asc')) sort = SORT_ASC;
    else if (eqi(arg, 'desc')) sort = SORT_DESC;
    else if (eqi(arg, 'count') && i + 1 < remaining) {
      const n = int64Arg(c, argv[baseArgs + i + 1]);
      if (n === null) return;
      const v = typeof n === 'bigint' ? Number(n) : n;
      if (v <= 0) {
        c.error(Errors.countMustBe0);
        return;
      }
      count = v;
      i++;
    } else if (eqi(arg, 'store') && i + 1 < remaining && !(flags & RADIUS_NOSTORE) && !(flags & GEOSEARCH)) {
      storekey = argv[baseArgs + i + 1];
      storedist = false;
      i++;
    } else if (eqi(arg, 'storedist') && i + 1 < remaining && !(flags & RADIUS_NOSTORE) && !(flags & GEOSEARCH)) {
      storekey = argv[baseArgs + i + 1];
      storedist = true;
      i++;
    } else if (eqi(arg, 'storedist') && flags & GEOSEARCH && flags & GEOSEARCHSTORE) {
      storedist = true;
    } else if (eqi(arg, 'frommember') && i + 1 < remaining && flags & GEOSEARCH && !fromloc) {
      if (z !== undefined) {
        const score = z.score(argv[baseArgs + i + 1]);
        if (score === undefined) {
          c.error(Errors.decodeMember);
          return;
        }
        decodeScore(score, xy);
        shape.lon = xy[0];
        shape.lat = xy[1];
      }
      frommember = true;
      i++;
    } else if (eqi(arg, 'fromlonlat') && i + 2 < remaining && flags & GEOSEARCH && !frommember) {
      if (!extractLongLat(c, argv[baseArgs + i + 1], argv[baseArgs + i + 2], xy)) return;
      shape.lon = xy[0];
      shape.lat = xy[1];
      fromloc = true;
      i += 2;
    } else if (eqi(arg, 'byradius') && i + 2 < remaining && flags & GEOSEARCH && !bybox) {
      if (!extractDistance(c, argv, baseArgs + i + 1, shape)) return;
      shape.circular = true;
      byradius = true;
      i += 2;
    } else if (eqi(arg, 'bybox') && i + 3 < remaining && flags & GEOSEARCH && !byradius) {
      if (!extractBox(c, argv, baseArgs + i + 1, shape)) return;
      shape.circular = false;
      bybox = true;
      i += 3;
    } else {
      c.error(Errors.syntax);
      return;
    }
  }

  if (storekey !== null && (withdist || withhash || withcoords)) {
    const what = flags & GEOSEARCHSTORE ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS';
    c.error(`ERR ${what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`);
    return;
  }
  if (flags & GEOSEARCH && !(frommember || fromloc)) {
    c.error(`ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${argv[0]}`);
    return;
  }
  if (flags & GEOSEARCH && !(byradius || bybox)) {
    c.error(`ERR exactly one of BYRADIUS and BYBOX can be specified for ${argv[0]}`);
    return;
  }
  if (any && count === 0) {
    c.error(Errors.theAnyArgumentRequiresCountArgument);
    return;
  }

  if (z === undefined) {
    if (storekey !== null) {
      if (c.db.delete(storekey)) {
        notify(c, Notify.generic, 'del', storekey);
        c.server.dirty++;
      }
      c.int(0);
    } else {
      c.arrayLen(0);
    }
    return;
  }

  // COUNT picks the closest ones, so it implies ASC unless ANY says otherwise.
  if (count !== 0 && sort === SORT_NONE && !any) sort = SORT_ASC;

  const ga = searchPoints(z, shape, any ? count : 0);
  if (ga.length === 0 && storekey === null) {
    c.arrayLen(0);
    return;
  }
  const resultLength = ga.length;
  const returned = count === 0 || resultLength < count ? resultLength : count;
  if (sort !== SORT_NONE) {
    const cmp = sort === SORT_ASC ? sortAsc : sortDesc;
    // A full sort is glibc's stable merge sort; a partial one is pqsort.
    if (returned === resultLength) ga.sort(cmp);
    else pqsort(ga, cmp, 0, returned - 1);
  }

  if (storekey === null) {
    const options = (withdist ? 1 : 0) + (withcoords ? 1 : 0) + (withhash ? 1 : 0);
    c.arrayLen(returned);
    for (let i = 0; i < returned; i++) {
      const gp = ga[i];
      const dist = gp.dist / shape.conversion;
      if (options > 0) c.arrayLen(options + 1);
      c.bulk(gp.member);
      if (withdist) c.bulk(formatDistance(dist));
      if (withhash) c.int(hashInteger(gp.score));
      if (withcoords) {
        c.arrayLen(2);
        replyHumanDouble(c, gp.lon);
        replyHumanDouble(c, gp.lat);
      }
    }
    return;
  }
  if (returned > 0) {
    const members = new Array<string>(returned);
    const scores = new Array<number>(returned);
    for (let i = 0; i < returned; i++) {
      const gp = ga[i];
      members[i] = gp.member;
      scores[i] = storedist ? gp.dist / shape.conversion : gp.score;
    }
    storeKey(c, storekey, buildZset(members, scores, zsetLimits(c)));
    if (flags & GEOSEARCH) notify(c, Notify.zset, 'geosearchstore', storekey);
    else notify(c, Notify.zset, 'georadiusstore', storekey);
    c.server.dirty += returned;
  } else if (c.db.delete(storekey)) {
    notify(c, Notify.generic, 'del', storekey);
    c.server.dirty++;
  }
  c.int(returned);
}

/** The score as addReplyLongLong receives it: a C cast (out of range: LLONG_MIN). */
function hashInteger(score: number): number | bigint {
  const t = Math.trunc(score);
  if (Number.isSafeInteger(t)) return t;
  if (t >= -9223372036854775808 && t < 9223372036854775808) return BigInt(t);
  return -9223372036854775808n;
}

/** GEORADIUS key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC] [STORE key] [STOREDIST key] */
function georadius(c: Client, argv: string[]): void {
  georadiusGeneric(c, argv, 1, RADIUS_COORDS);
}

/** GEORADIUSBYMEMBER key member radius M|KM|FT|MI [options] */
function georadiusbymember(c: Client, argv: string[]): void {
  georadiusGeneric(c, argv, 1, RADIUS_MEMBER);
}

/** GEORADIUS_RO key longitude latitude radius M|KM|FT|MI [options] */
function georadiusRo(c: Client, argv: string[]): void {
  georadiusGeneric(c, argv, 1, RADIUS_COORDS | RADIUS_NOSTORE);
}

/** GEORADIUSBYMEMBER_RO key member radius M|KM|FT|MI [options] */
function georadiusbymemberRo(c: Client, argv: string[]): void {
  georadiusGeneric(c, argv, 1, RADIUS_MEMBER | RADIUS_NOSTORE);
}

/** GEOSEARCH key FROMMEMBER member|FROMLONLAT lon lat BYRADIUS r unit|BYBOX w h unit [ASC|DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH] */
function geosearch(c: Client, argv: string[]): void {
  georadiusGeneric(c, argv, 1, GEOSEARCH);
}

/** GEOSEARCHSTORE destination source FROMMEMBER ...|FROMLONLAT ... BYRADIUS ...|BYBOX ... [ASC|DESC] [COUNT count [ANY]] [STOREDIST] */
function geosearchstore(c: Client, argv: string[]): void {
  georadiusGeneric(c, argv, 2, GEOSEARCH | GEOSEARCHSTORE);
}

/** GEOHASH key [member ...] */
function geohash(c: Client, argv: string[]): void {
  const z = lookupTyped<ZSetValue>(c, argv[1], 'zset', true);
  if (z === null) return;
  c.arrayLen(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const score = z === undefined ? undefined : z.score(argv[j]);
    if (score === undefined) c.nullBulk();
    else c.bulk(geohashString(score));
  }
}

/** GEOPOS key [member ...] */
function geopos(c: Client, argv: string[]): void {
  const z = lookupTyped<ZSetValue>(c, argv[1], 'zset', true);
  if (z === null) return;
  c.arrayLen(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const score = z === undefined ? undefined : z.score(argv[j]);
    if (score === undefined) {
      c.nullArray();
      continue;
    }
    decodeScore(score, xy);
    c.arrayLen(2);
    replyHumanDouble(c, xy[0]);
    replyHumanDouble(c, xy[1]);
  }
}

/** GEODIST key member1 member2 [M|KM|FT|MI] */
function geodist(c: Client, argv: string[]): void {
  let toMeter = 1;
  if (argv.length === 5) {
    toMeter = extractUnit(c, argv[4]);
    if (toMeter < 0) return;
  } else if (argv.length > 5) {
    c.error(Errors.syntax);
    return;
  }
  const z = lookupTyped<ZSetValue>(c, argv[1], 'zset', true);
  if (z === null) return;
  if (z === undefined) {
    c.nullBulk();
    return;
  }
  const s1 = z.score(argv[2]);
  const s2 = s1 === undefined ? undefined : z.score(argv[3]);
  if (s1 === undefined || s2 === undefined) {
    c.nullBulk();
    return;
  }
  decodeScore(s1, xy);
  const x1 = xy[0];
  const y1 = xy[1];
  decodeScore(s2, xy);
  c.bulk(formatDistance(distance(x1, y1, xy[0], xy[1]) / toMeter));
}

/** georadiusGetKeys: the source, then a STORE/STOREDIST key as the keyword key specs find them. */
function georadiusKeys(argv: readonly string[], from: number): number[] {
  const out = [1];
  for (const kw of ['store', 'storedist']) {
    for (let i = from; i < argv.length - 1; i++) {
      if (eqi(argv[i], kw)) {
        out.push(i + 1);
        break;
      }
    }
  }
  return out;
}

function georadiusGetKeys(argv: readonly string[]): number[] {
  return georadiusKeys(argv, 6);
}

function georadiusbymemberGetKeys(argv: readonly string[]): number[] {
  return georadiusKeys(argv, 5);
}

export const geoCommands: CommandSpec[] = [
  { name: 'geoadd', arity: -5, flags: ['write', 'denyoom'], keys: [1, 1, 1], group: 'geo', handler: geoadd },
  { name: 'georadius', arity: -6, flags: ['write', 'denyoom'], keys: [1, 1, 1], getKeys: georadiusGetKeys, group: 'geo', handler: georadius },
  { name: 'georadius_ro', arity: -6, flags: ['readonly'], keys: [1, 1, 1], group: 'geo', handler: georadiusRo },
  {
    name: 'georadiusbymember',
    arity: -5,
    flags: ['write', 'denyoom'],
    keys: [1, 1, 1],
    getKeys: georadiusbymemberGetKeys,
    group: 'geo',
    handler: georadiusbymember,
  },
  { name: 'georadiusbymember_ro', arity: -5, flags: ['readonly'], keys: [1, 1, 1], group: 'geo', handler: georadiusbymemberRo },
  { name: 'geohash', arity: -2, flags: ['readonly'], keys: [1, 1, 1], group: 'geo', handler: geohash },
  { name: 'geopos', arity: -2, flags: ['readonly'], keys: [1, 1, 1], group: 'geo', handler: geopos },
  { name: 'geodist', arity: -4, flags: ['readonly'], keys: [1, 1, 1], group: 'geo', handler: geodist },
  { name: 'geosearch', arity: -7, flags: ['readonly'], keys: [1, 1, 1], group: 'geo', handler: geosearch },
  { name: 'geosearchstore', arity: -8, flags: ['write', 'denyoom'], keys: [1, 2, 1], group: 'geo', handler: geosearchstore },
];
