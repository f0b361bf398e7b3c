// Geohash arithmetic for the geo commands, mirroring geohash.c, geohash_helper.c
// and the numeric helpers of geo.c: the 52-bit interleaved score (26 bits of
// latitude in the even positions, 26 of longitude in the odd ones), the 3x3 box
// search areas, Redis's haversine distance, and the exact text forms Redis prints.
// 64-bit words are handled as two uint32 halves (hot paths) or as bigints (once
// per search), so every value equals what the C code computes.

import { formatLongDoubleHuman } from '../util/long-double.js';

export const GEO_STEP_MAX = 26;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;

const D_R = Math.PI / 180.0;
/** Earth's quadratic mean radius for WGS-84, as Redis uses it. */
export const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;

const TWO32 = 4294967296;

/** A geohash of `step` bits per coordinate; bits < 2^(2*step+1). */
export interface HashBits {
  bits: bigint;
  step: number;
}

export interface GeoArea {
  lonMin: number;
  lonMax: number;
  latMin: number;
  latMax: number;
}

export interface GeoShape {
  circular: boolean;
  /** Center: longitude, latitude. */
  lon: number;
  lat: number;
  /** Radius (circular) or width/height (box), in `conversion` units. */
  radius: number;
  width: number;
  height: number;
  /** Meters per unit. */
  conversion: number;
}

// ---- bit interleaving on uint32 halves ----

/** 8 bits spread to the even positions of 16. */
const SPREAD8 = new Uint16Array(256);
for (let b = 0; b < 256; b++) {
  let v = 0;
  for (let i = 0; i < 8; i++) if ((b >> i) & 1) v |= 1 << (2 * i);
  SPREAD8[b] = v;
}

function spread16(v: number): number {
  return SPREAD8[v & 255] | (SPREAD8[(v >>> 8) & 255] << 16);
}

/** The even bits of a uint32 gathered into 16 bits. */
function compactEven(x: number): number {
  x &= 0x55555555;
  x = (x | (x >>> 1)) & 0x33333333;
  x = (x | (x >>> 2)) & 0x0f0f0f0f;
  x = (x | (x >>> 4)) & 0x00ff00ff;
  x = (x | (x >>> 8)) & 0x0000ffff;
  return x;
}

/** Scratch results of interleave / the uint64 cast: [hi, lo]. */
const word: [number, number] = [0, 0];

/** interleave64(lat, lon): lat bits in even positions, lon bits in odd ones. Into `word`. */
function interleave(lat: number, lon: number): void {
  const lo = (spread16(lat & 0xffff) | (spread16(lon & 0xffff) << 1)) >>> 0;
  const hi = (spread16(lat >>> 16) | (spread16(lon >>> 16) << 1)) >>> 0;
  word[0] = hi;
  word[1] = lo;
}

/**
 * C's (uint64_t) cast of a double as x86-64 code performs it (cvttsd2si, with the
 * 2^63 adjustment): defined for 0 <= d < 2^64, and the same bits as the hardware
 * gives elsewhere (negatives wrap, NaN and huge values give 2^63 or 0). Into `word`.
 */
function doubleToUint64(d: number): void {
  if (Number.isNaN(d)) {
    word[0] = 0x80000000;
    word[1] = 0;
    return;
  }
  if (d >= 9223372036854775808) {
    if (d >= 18446744073709551616) {
      word[0] = 0;
      word[1] = 0;
      return;
    }
    const t = d - 9223372036854775808;
    const hi = Math.floor(t / TWO32);
    word[0] = (hi + 0x80000000) >>> 0;
    word[1] = t - hi * TWO32;
    return;
  }
  const t = Math.trunc(d);
  if (t < -9223372036854775808) {
    word[0] = 0x80000000;
    word[1] = 0;
    return;
  }
  if (t >= 0) {
    const hi = Math.floor(t / TWO32);
    word[0] = hi;
    word[1] = t - hi * TWO32;
    return;
  }
  // Two's complement of |t|.
  const u = -t;
  const uhi = Math.floor(u / TWO32);
  const ulo = u - uhi * TWO32;
  word[1] = ulo === 0 ? 0 : TWO32 - ulo;
  word[0] = (~uhi + (ulo === 0 ? 1 : 0)) >>> 0;
}

// ---- encode / decode ----

/** The fixed-point offset of a coordinate in [min, max] at `step` bits (truncated like a uint32 cast). */
function offset(v: number, min: number, max: number, step: number): number {
  return Math.trunc(((v - min) / (max - min)) * 2 ** step);
}

/**
 * geohashEncodeWGS84 at 26 bits, then the score ZADD stores: the 52-bit integer
 * read back as a double (one correct rounding, as strtod of its decimal text).
 */
export function encodeScore(lon: number, lat: number): number {
  interleave(offset(lat, GEO_LAT_MIN, GEO_LAT_MAX, GEO_STEP_MAX), offset(lon, GEO_LONG_MIN, GEO_LONG_MAX, GEO_STEP_MAX));
  return word[0] * TWO32 + word[1];
}

/** The same score as the exact decimal integer GEOADD hands to ZADD (sdsfromlonglong). */
export function encodeScoreText(lon: number, lat: number): string {
  interleave(offset(lat, GEO_LAT_MIN, GEO_LAT_MAX, GEO_STEP_MAX), offset(lon, GEO_LONG_MIN, GEO_LONG_MAX, GEO_STEP_MAX));
  if (word[0] < 0x200000) return String(word[0] * TWO32 + word[1]);
  return ((BigInt(word[0]) << 32n) | BigInt(word[1])).toString();
}

/** geohashEncode over the given ranges; null where the C code returns 0. */
export function encode(
  lonMin: number,
  lonMax: number,
  latMin: number,
  latMax: number,
  lon: number,
  lat: number,
  step: number,
): HashBits | null {
  if (step > 32 || step === 0) return null;
  if (lon > GEO_LONG_MAX || lon < GEO_LONG_MIN || lat > GEO_LAT_MAX || lat < GEO_LAT_MIN) return null;
  if (lat < latMin || lat > latMax || lon < lonMin || lon > lonMax) return null;
  interleave(offset(lat, latMin, latMax, step), offset(lon, lonMin, lonMax, step));
  return { bits: (BigInt(word[0]) << 32n) | BigInt(word[1]), step };
}

/** geohashDecode of a hash given as uint32 halves, into an area. */
function decodeWords(hi: number, lo: number, step: number, out: GeoArea): void {
  const ilat = (compactEven(lo) | (compactEven(hi) << 16)) >>> 0;
  const ilon = (compactEven(lo >>> 1) | (compactEven(hi >>> 1) << 16)) >>> 0;
  const scale = 2 ** step;
  const latScale = GEO_LAT_MAX - GEO_LAT_MIN;
  const lonScale = GEO_LONG_MAX - GEO_LONG_MIN;
  out.latMin = GEO_LAT_MIN + (ilat / scale) * latScale;
  // The C code adds 1 in uint32 arithmetic: it wraps for an all-ones part.
  out.latMax = GEO_LAT_MIN + (((ilat + 1) >>> 0) / scale) * latScale;
  out.lonMin = GEO_LONG_MIN + (ilon / scale) * lonScale;
  out.lonMax = GEO_LONG_MIN + (((ilon + 1) >>> 0) / scale) * lonScale;
}

export function decodeArea(h: HashBits): GeoArea {
  const out: GeoArea = { lonMin: 0, lonMax: 0, latMin: 0, latMax: 0 };
  decodeWords(Number((h.bits >> 32n) & 0xffffffffn), Number(h.bits & 0xffffffffn), h.step, out);
  return out;
}

const scratchArea: GeoArea = { lonMin: 0, lonMax: 0, latMin: 0, latMax: 0 };

/**
 * decodeGeohash: a zset score to [longitude, latitude] (the center of its
 * 26-bit cell, clamped to the valid ranges). Every score decodes to something.
 */
export function decodeScore(score: number, xy: [number, number]): void {
  doubleToUint64(score);
  decodeWords(word[0], word[1], GEO_STEP_MAX, scratchArea);
  let x = (scratchArea.lonMin + scratchArea.lonMax) / 2;
  if (x > GEO_LONG_MAX) x = GEO_LONG_MAX;
  if (x < GEO_LONG_MIN) x = GEO_LONG_MIN;
  let y = (scratchArea.latMin + scratchArea.latMax) / 2;
  if (y > GEO_LAT_MAX) y = GEO_LAT_MAX;
  if (y < GEO_LAT_MIN) y = GEO_LAT_MIN;
  xy[0] = x;
  xy[1] = y;
}

const GEOALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

/** GEOHASH's 11-character standard geohash of a stored score (re-encoded over -180..180, -90..90). */
export function geohashString(score: number): string {
  const xy: [number, number] = [0, 0];
  decodeScore(score, xy);
  const h = encode(-180, 180, -90, 90, xy[0], xy[1], 26);
  const bits = h === null ? 0n : h.bits;
  let s = '';
  for (let i = 0; i < 10; i++) s += GEOALPHABET[Number((bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn)];
  return s + '0';
}

// ---- neighbors and search areas ----

const EVEN64 = 0x5555555555555555n;
const ODD64 = 0xaaaaaaaaaaaaaaaan;
const MASK64 = 0xffffffffffffffffn;

function moveX(h: HashBits, d: number): void {
  if (d === 0) return;
  let x = h.bits & ODD64;
  const y = h.bits & EVEN64;
  const shift = BigInt(64 - h.step * 2);
  const zz = EVEN64 >> shift;
  if (d > 0) x = (x + (zz + 1n)) & MASK64;
  else x = ((x | zz) - (zz + 1n)) & MASK64;
  x &= ODD64 >> shift;
  h.bits = x | y;
}

function moveY(h: HashBits, d: number): void {
  if (d === 0) return;
  const x = h.bits & ODD64;
  let y = h.bits & EVEN64;
  const shift = BigInt(64 - h.step * 2);
  const zz = ODD64 >> shift;
  if (d > 0) y = (y + (zz + 1n)) & MASK64;
  else y = ((y | zz) - (zz + 1n)) & MASK64;
  y &= EVEN64 >> shift;
  h.bits = x | y;
}

function neighbor(h: HashBits, dx: number, dy: number): HashBits {
  const n = { bits: h.bits, step: h.step };
  moveX(n, dx);
  moveY(n, dy);
  return n;
}

/** geohashEstimateStepsByRadius. */
function estimateSteps(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2;
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

function degRad(a: number): number {
  return a * D_R;
}

function radDeg(a: number): number {
  return a / D_R;
}

/**
 * geohashCalculateAreasByShapeWGS84: the boxes to scan, in Redis's order
 * (center, N, S, E, W, NE, NW, SE, SW); null where a box was excluded.
 */
export function searchAreas(shape: GeoShape): (HashBits | null)[] {
  const lon = shape.lon;
  const lat = shape.lat;
  // geohashBoundingBox
  const height = shape.conversion * (shape.circular ? shape.radius : shape.height / 2);
  const width = shape.conversion * (shape.circular ? shape.radius : shape.width / 2);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const lonDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / cosCR(degRad(lat + latDelta)));
  const lonDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / cosCR(degRad(lat - latDelta)));
  const southern = lat < 0;
  const minLon = southern ? lon - lonDeltaBottom : lon - lonDeltaTop;
  const maxLon = southern ? lon + lonDeltaBottom : lon + lonDeltaTop;
  const minLat = lat - latDelta;
  const maxLat = lat + latDelta;

  let radiusMeters = shape.circular
    ? shape.radius
    : Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2));
  radiusMeters *= shape.conversion;

  let steps = estimateSteps(radiusMeters, lat);
  let hash = encode(GEO_LONG_MIN, GEO_LONG_MAX, GEO_LAT_MIN, GEO_LAT_MAX, lon, lat, steps) as HashBits;
  let n = allNeighbors(hash);
  let area = decodeArea(hash);

  // A step too coarse near the edge of a box: one level finer covers the shape.
  const north = decodeArea(n[1]);
  const south = decodeArea(n[2]);
  const east = decodeArea(n[3]);
  const west = decodeArea(n[4]);
  const decrease = north.latMax < maxLat || south.latMin > minLat || east.lonMax < maxLon || west.lonMin > minLon;
  if (steps > 1 && decrease) {
    steps--;
    hash = encode(GEO_LONG_MIN, GEO_LONG_MAX, GEO_LAT_MIN, GEO_LAT_MAX, lon, lat, steps) as HashBits;
    n = allNeighbors(hash);
    area = decodeArea(hash);
  }

  const out: (HashBits | null)[] = [hash, n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8]];
  if (steps >= 2) {
    // Indexes: 1 N, 2 S, 3 E, 4 W, 5 NE, 6 NW, 7 SE, 8 SW.
    if (area.latMin < minLat) out[2] = out[8] = out[7] = null;
    if (area.latMax > maxLat) out[1] = out[5] = out[6] = null;
    if (area.lonMin < minLon) out[4] = out[8] = out[6] = null;
    if (area.lonMax > maxLon) out[3] = out[7] = out[5] = null;
  }
  return out;
}

/** [self, N, S, E, W, NE, NW, SE, SW] */
function allNeighbors(h: HashBits): HashBits[] {
  return [
    h,
    neighbor(h, 0, 1),
    neighbor(h, 0, -1),
    neighbor(h, 1, 0),
    neighbor(h, -1, 0),
    neighbor(h, 1, 1),
    neighbor(h, -1, 1),
    neighbor(h, 1, -1),
    neighbor(h, -1, -1),
  ];
}

/** scoresOfGeoHashBox: the zset score interval [min, max) of a box. */
export function boxScores(h: HashBits): [number, number] {
  const shift = BigInt(52 - h.step * 2);
  return [Number(h.bits << shift), Number((h.bits + 1n) << shift)];
}

// ---- correctly rounded sin, cos, asin ----
//
// Redis calls glibc's sin/cos/asin, which are correctly rounded in all but rare
// near-halfway cases; V8's fdlibm ports are off by one unit in the last place for a
// few percent of inputs, and STOREDIST exposes every bit of a distance. So these
// evaluate in double-double arithmetic (about 106 bits) and round once.

/** Results of the double-double helpers (hi, lo): module scratch, no allocation. */
let ddH = 0;
let ddL = 0;

const SPLITTER = 134217729; // 2^27 + 1

/** Exact a * b as hi + lo (Dekker's product). */
function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  ddH = p;
  ddL = ah * bh - p + ah * bl + al * bh + al * bl;
}

function ddAdd(ah: number, al: number, bh: number, bl: number): void {
  const s = ah + bh;
  const bb = s - ah;
  const e = ah - (s - bb) + (bh - bb) + al + bl;
  ddH = s + e;
  ddL = e - (ddH - s);
}

function ddMul(ah: number, al: number, bh: number, bl: number): void {
  twoProd(ah, bh);
  const p = ddH;
  const e = ddL + ah * bl + al * bh;
  ddH = p + e;
  ddL = e - (ddH - p);
}

/** 1/n! as double-doubles, n = 0..29. */
const FACT_H = new Float64Array(30);
const FACT_L = new Float64Array(30);
{
  let h = 1;
  let l = 0;
  FACT_H[0] = 1;
  for (let n = 1; n < 30; n++) {
    const q = h / n;
    twoProd(q, n);
    const r = (h - ddH - ddL + l) / n;
    h = q + r;
    l = r - (h - q);
    FACT_H[n] = h;
    FACT_L[n] = l;
  }
}

/** pi/2 in three parts (the first two of 33 bits, so k * part is exact for small k). */
const PIO2_1 = 1.57079632673412561417e0;
const PIO2_2 = 6.07710050630396597660e-11;
const PIO2_3 = 2.02226624879595063154e-21;
const INV_PIO2 = 6.36619772367581382433e-1;

/*
 * Taylor series on |r| <= pi/4 + tiny. The first terms are summed in double-double;
 * the tail (below 2^-11 of the result) in plain doubles, which keeps the total
 * error under 2^-64 of the result: enough to round right except within 2^-11 of
 * a halfway point, where glibc itself is not exact either.
 */

/** sin of the double-double r into (ddH, ddL). */
function sinTaylor(r: number, rl: number): void {
  const x2 = r * r;
  const tail =
    r *
    x2 *
    x2 *
    x2 *
    (-1 / 5040 +
      x2 * (1 / 362880 + x2 * (-1 / 39916800 + x2 * (1 / 6227020800 + x2 * (-1 / 1307674368000 + x2 * (1 / 355687428096000 - x2 / 121645100408832000))))));
  ddMul(r, rl, r, rl);
  const r2h = ddH;
  const r2l = ddL;
  ddMul(r2h, r2l, r, rl);
  const r3h = ddH;
  const r3l = ddL;
  ddMul(r3h, r3l, r2h, r2l);
  ddMul(ddH, ddL, FACT_H[5], FACT_L[5]);
  const t5h = ddH;
  const t5l = ddL;
  ddMul(r3h, r3l, -FACT_H[3], -FACT_L[3]);
  ddAdd(ddH, ddL, t5h, t5l + tail);
  ddAdd(r, rl, ddH, ddL);
}

/** cos of the double-double r into (ddH, ddL). */
function cosTaylor(r: number, rl: number): void {
  const x2 = r * r;
  const x8 = x2 * x2 * x2 * x2;
  const tail =
    x8 * (1 / 40320 + x2 * (-1 / 3628800 + x2 * (1 / 479001600 + x2 * (-1 / 87178291200 + x2 * (1 / 20922789888000 - x2 / 6402373705728000)))));
  ddMul(r, rl, r, rl);
  const r2h = ddH;
  const r2l = ddL;
  ddMul(r2h, r2l, r2h, r2l);
  const r4h = ddH;
  const r4l = ddL;
  ddMul(r4h, r4l, r2h, r2l);
  ddMul(ddH, ddL, -FACT_H[6], -FACT_L[6]);
  const t6h = ddH;
  const t6l = ddL;
  ddMul(r4h, r4l, FACT_H[4], FACT_L[4]);
  ddAdd(ddH, ddL, t6h, t6l + tail);
  const t46h = ddH;
  const t46l = ddL;
  ddMul(r2h, r2l, -0.5, 0);
  ddAdd(ddH, ddL, t46h, t46l);
  ddAdd(1, 0, ddH, ddL);
}

/** sin(x) (cosine = false) or cos(x) as a double-double, for |x| up to a few pi. */
function sinCosDD(x: number, cosine: boolean): void {
  const k = Math.round(x * INV_PIO2);
  ddAdd(x, 0, -k * PIO2_1, 0);
  ddAdd(ddH, ddL, -k * PIO2_2, 0);
  const h = ddH;
  const l = ddL;
  twoProd(k, PIO2_3);
  ddAdd(h, l, -ddH, -ddL);
  const q = (((k % 4) + 4) % 4) + (cosine ? 1 : 0);
  if ((q & 1) !== 0) cosTaylor(ddH, ddL);
  else sinTaylor(ddH, ddL);
  if ((q & 2) !== 0) {
    ddH = -ddH;
    ddL = -ddL;
  }
}

export function sinCR(x: number): number {
  if (x === 0) return x;
  sinCosDD(x, false);
  return ddH;
}

export function cosCR(x: number): number {
  sinCosDD(x, true);
  return ddH;
}

/**
 * asin by one Newton step from Math.asin: t - (sin t - y) / cos t, with sin t - y
 * in double-double (the step is about an ulp, so cos t needs no extra precision).
 */
export function asinCR(y: number): number {
  if (y === 0 || !(y >= -1 && y <= 1)) return Math.asin(y);
  const t = Math.asin(y);
  sinCosDD(t, false);
  ddAdd(ddH, ddL, -y, 0);
  const d = (ddH + ddL) / Math.cos(t);
  ddAdd(t, 0, -d, 0);
  return ddH;
}

// ---- distances ----

/** geohashGetLatDistance: the haversine reduced for equal longitudes. */
export function latDistance(lat1d: number, lat2d: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
}

/** geohashGetDistance: haversine great-circle distance in meters. */
export function distance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = sinCR((lon2r - lon1r) / 2);
  if (v === 0.0) return latDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = sinCR((lat2r - lat1r) / 2);
  const a = u * u + cosCR(lat1r) * cosCR(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * asinCR(Math.sqrt(a));
}

/**
 * geoWithinShape for a decoded point: its distance from the center in meters, or
 * -1 when it lies outside the shape.
 */
export function distanceInShape(shape: GeoShape, x: number, y: number): number {
  if (shape.circular) {
    const d = distance(shape.lon, shape.lat, x, y);
    return d > shape.radius * shape.conversion ? -1 : d;
  }
  const widthM = shape.width * shape.conversion;
  const heightM = shape.height * shape.conversion;
  if (latDistance(y, shape.lat) > heightM / 2) return -1;
  if (distance(x, y, shape.lon, y) > widthM / 2) return -1;
  return distance(shape.lon, shape.lat, x, y);
}

// ---- text forms ----

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A finite double as sign, integer mantissa and binary exponent (value = m * 2^e). */
function decompose(d: number): { neg: boolean; m: bigint; e: number } {
  f64[0] = d;
  const hi = LITTLE_ENDIAN ? u32[1] : u32[0];
  const lo = LITTLE_ENDIAN ? u32[0] : u32[1];
  const neg = hi >>> 31 === 1;
  const exp = (hi >>> 20) & 0x7ff;
  const mhi = hi & 0xfffff;
  if (exp === 0) return { neg, m: BigInt(mhi * TWO32 + lo), e: -1074 };
  return { neg, m: BigInt((mhi + 0x100000) * TWO32 + lo), e: exp - 1075 };
}

/** addReplyHumanLongDouble's text for a double: %.17Lf, trailing zeros removed. */
export function humanDouble(d: number): string {
  if (!Number.isFinite(d)) return Number.isNaN(d) ? 'nan' : d > 0 ? 'inf' : '-inf';
  const { neg, m, e } = decompose(d);
  return formatLongDoubleHuman({ neg, m, e, special: 0 });
}

/** printf("%.<digits>f") of a double: exact value, ties to even, as glibc prints. */
export function formatFixed(d: number, digits: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (!Number.isFinite(d)) return d > 0 ? 'inf' : '-inf';
  const { neg, m, e } = decompose(d);
  const scaled = m * 10n ** BigInt(digits);
  let n: bigint;
  if (e >= 0) n = scaled << BigInt(e);
  else {
    const sh = BigInt(-e);
    n = scaled >> sh;
    const rem = scaled - (n << sh);
    const half = 1n << (sh - 1n);
    if (rem > half || (rem === half && (n & 1n) === 1n)) n++;
  }
  let s = n.toString();
  if (s.length <= digits) s = '0'.repeat(digits + 1 - s.length) + s;
  const out = s.slice(0, s.length - digits) + '.' + s.slice(s.length - digits);
  return neg ? '-' + out : out;
}

/** llrint: nearest integer, ties to even. */
function rint(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** addReplyDoubleDistance's text: fixedpoint_d2string(d, 4). */
export function formatDistance(d: number): string {
  if (d === 0) return '0.0000';
  const v = rint(d * 10000);
  const neg = v < 0;
  let s = String(Math.abs(v));
  if (s.length <= 4) s = '0'.repeat(5 - s.length) + s;
  const out = s.slice(0, s.length - 4) + '.' + s.slice(s.length - 4);
  return neg ? '-' + out : out;
}
