// Differential: geo commands answer byte for byte like redis-server 7.0 in RESP2
// and RESP3: the 52-bit geohash scores GEOADD stores (compared through ZRANGE
// WITHSCORES), decoding of any score (GEOPOS/GEOHASH of arbitrary zset members),
// distances and coordinates as Redis prints them, option parsing and errors, and
// seeded random searches whose result order (ties included, COUNT's partial sort,
// ANY's early stop) must match. Also unit checks of the number formatting helpers.
import { describe, expect, it } from 'vitest';
import { describeDifferential, diffScript, expectSame, lines, type Script } from '../helpers/diff.js';
import { formatDistance, formatFixed, humanDouble, encodeScore, encodeScoreText, decodeScore } from '../../src/keyspace/geohash.js';

function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** n points (15% exact duplicates of earlier ones, some on the edges of the map), then random searches. */
function randomGeoScript(seed: number, n: number, queries: number): Script {
  const rnd = lcg(seed);
  const out: Script = [];
  const add = ['GEOADD', 'g'];
  const pts: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    let lon: number;
    let lat: number;
    if (i > 0 && rnd() < 0.15) [lon, lat] = pts[Math.floor(rnd() * pts.length)];
    else if (rnd() < 0.5) {
      lon = 12 + rnd() * 4;
      lat = 37 + rnd() * 2;
    } else {
      lon = -180 + rnd() * 360;
      lat = -85 + rnd() * 170;
    }
    if (rnd() < 0.05) lon = [180, -180, 0][Math.floor(rnd() * 3)];
    if (rnd() < 0.05) lat = [85.05112878, -85.05112878, 0][Math.floor(rnd() * 3)];
    pts.push([lon, lat]);
    add.push(String(lon), String(lat), `m${i}`);
  }
  out.push(add, ['ZRANGE', 'g', '0', '-1', 'WITHSCORES'], ['OBJECT', 'ENCODING', 'g']);
  const some = pts.slice(0, 50).map((_, i) => `m${i}`);
  out.push(['GEOHASH', 'g', ...some], ['GEOPOS', 'g', ...some]);
  const units = ['m', 'km', 'mi', 'ft'] as const;
  const toMeters = { m: 1, km: 1000, mi: 1609.34, ft: 0.3048 };
  for (let q = 0; q < queries; q++) {
    const [clon, clat] = rnd() < 0.7 ? pts[Math.floor(rnd() * pts.length)] : [12 + rnd() * 4, 37 + rnd() * 2];
    const unit = units[Math.floor(rnd() * 4)];
    const r = (rnd() < 0.8 ? rnd() * 300000 : rnd() * 8000000) / toMeters[unit];
    const cmd = ['GEOSEARCH', 'g'];
    if (rnd() < 0.5) cmd.push('FROMLONLAT', String(clon), String(clat));
    else cmd.push('FROMMEMBER', `m${Math.floor(rnd() * n)}`);
    if (rnd() < 0.6) cmd.push('BYRADIUS', String(r), unit);
    else cmd.push('BYBOX', String(r * (0.5 + rnd())), String(r * (0.5 + rnd())), unit);
    const s = rnd();
    if (s < 0.4) cmd.push('ASC');
    else if (s < 0.7) cmd.push('DESC');
    if (rnd() < 0.5) {
      cmd.push('COUNT', String(1 + Math.floor(rnd() * 20)));
      if (rnd() < 0.3) cmd.push('ANY');
    }
    cmd.push('WITHDIST', 'WITHCOORD', 'WITHHASH');
    out.push(cmd);
    if (q % 10 === 0) {
      out.push(['GEORADIUS', 'g', String(clon), String(clat), String(r), unit, 'COUNT', '5', 'WITHDIST']);
      out.push(['GEODIST', 'g', `m${q % n}`, `m${(q + 1) % n}`, unit]);
      out.push(['GEOSEARCHSTORE', 'dst', 'g', 'FROMLONLAT', String(clon), String(clat), 'BYRADIUS', String(r), unit, 'STOREDIST']);
      out.push(['ZRANGE', 'dst', '0', '-1', 'WITHSCORES']);
    }
  }
  return out;
}

/** Members and scores of a labelled ZRANGE ... WITHSCORES reply (RESP2 or RESP3). */
function numbersOf(labelled: string): { members: string[]; scores: number[] } {
  const members: string[] = [];
  const scores: number[] = [];
  const items = [...labelled.slice(labelled.indexOf('=> ') + 3).matchAll(/(?:\$\d+\r\n([^\r]*)\r\n|,([^\r]*)\r\n)/g)];
  for (let i = 0; i + 1 < items.length; i += 2) {
    members.push(items[i][1]);
    scores.push(Number(items[i + 1][1] ?? items[i + 1][2]));
  }
  return { members, scores };
}

describe('geo number formatting (unit)', () => {
  it('%f, %.17Lf-human and fixed-point distance texts round like glibc', () => {
    expect(formatFixed(200, 6)).toBe('200.000000');
    expect(formatFixed(0.0078125, 6)).toBe('0.007812'); // a tie: to even
    expect(formatFixed(0.0234375, 6)).toBe('0.023438');
    expect(formatFixed(-0, 6)).toBe('-0.000000');
    expect(formatFixed(1e22, 6)).toBe('10000000000000000000000.000000');
    expect(formatFixed(Infinity, 6)).toBe('inf');
    expect(humanDouble(13.361389338970184)).toBe('13.36138933897018433');
    expect(humanDouble(-0)).toBe('0');
    expect(humanDouble(180)).toBe('180');
    expect(formatDistance(0)).toBe('0.0000');
    expect(formatDistance(0.00004)).toBe('0.0000');
    expect(formatDistance(0.00006)).toBe('0.0001');
    expect(formatDistance(166274.15156960033)).toBe('166274.1516');
    expect(formatDistance(0.00125)).toBe('0.0012'); // 12.5 after scaling: ties to even
    expect(formatDistance(0.00375)).toBe('0.0038');
  });

  it('GEOADD scores: the exact integer text and its double', () => {
    expect(encodeScoreText(13.361389, 38.115556)).toBe('3479099956230698');
    expect(encodeScore(13.361389, 38.115556)).toBe(3479099956230698);
    // Longitude 180 sets bit 53: the text is exact, the double rounds like strtod.
    const t = encodeScoreText(180, 1.0000001);
    expect(BigInt(t) >= 2n ** 53n).toBe(true);
    expect(encodeScore(180, 1.0000001)).toBe(Number(t));
    const xy: [number, number] = [0, 0];
    decodeScore(3479099956230698, xy);
    expect(xy).toEqual([13.361389338970184, 38.1155563954963]);
  });
});

describeDifferential('geo commands vs redis-server', (pair) => {
  it('GEOADD options and errors, GEOPOS GEODIST GEOHASH', async () => {
    await expectSame(
      pair,
      lines(`
        GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania
        ZRANGE Sicily 0 -1 WITHSCORES
        GEOADD Sicily 200 1 x
        GEOADD Sicily 1 100 x
        GEOADD Sicily 0.0078125 91 x
        GEOADD Sicily -0 91 x
        GEOADD Sicily inf 0 x
        GEOADD Sicily 1e300 0 x
        GEOADD Sicily 1 2
        GEOADD Sicily 1 2 m 3
        GEOADD Sicily NX XX 1 2 m
        GEOADD Sicily CH NX 1 2 m
        GEOADD Sicily abc 2 m
        GEOADD Sicily 1 abc m
        GEOADD Sicily GT 1 2 m
        GEOADD Sicily CH NX CH
        GEOADD Sicily CH 13.361389 38.115556 Palermo 15 37 Catania
        GEOADD Sicily XX 1 1 nonexist
        GEOADD Sicily NX 2 2 Palermo 3 3 Messina
        GEOADD Sicily XX CH 13.361389 38.115556 Palermo 15.087269 37.502669 Catania
        GEOADD Sicily 180 85.05112878 a -180 -85.05112878 b 180 1.0000001 c 180 -1.0000001 d 1e-300 -1e-300 e
        ZRANGE Sicily 0 -1 WITHSCORES
        GEODIST Sicily Palermo Catania
        GEODIST Sicily Palermo Catania km
        GEODIST Sicily Palermo Catania MI
        GEODIST Sicily Palermo Catania ft
        GEODIST Sicily Palermo Catania foo
        GEODIST Sicily Palermo nope
        GEODIST Sicily Palermo Palermo
        GEODIST nokey a b
        GEODIST nokey a b foo
        GEODIST Sicily a b c d
        GEOPOS Sicily Palermo Catania NonExisting a b c d e
        GEOPOS Sicily
        GEOPOS nokey a
        GEOHASH Sicily Palermo Catania nope a b c d e
        GEOHASH nokey a
        SET str v
        GEOADD str 1 1 a
        GEOPOS str a
        GEODIST str a b
        GEOHASH str a
        GEOSEARCH str FROMLONLAT 0 0 BYRADIUS 1 m
      `),
    );
  });

  it('any zset score decodes: GEOPOS, GEOHASH, GEODIST and searches over arbitrary scores', async () => {
    await expectSame(
      pair,
      lines(`
        ZADD w 1.5 frac -1 neg 1e19 big inf pinf -inf ninf 9007199254740993 odd -9.3e18 vneg 1.8e19 vbig 9.3e18 v93 0 zero
        GEOPOS w frac neg big pinf ninf odd vneg vbig v93 zero
        GEOHASH w frac neg big pinf ninf odd vneg vbig v93 zero
        GEODIST w frac neg
        GEODIST w pinf ninf km
        GEOSEARCH w FROMLONLAT 0 0 BYRADIUS 30000 km WITHHASH WITHDIST WITHCOORD ASC
        GEORADIUSBYMEMBER w zero 20000 km WITHHASH
      `),
    );
  });

  it('GEORADIUS GEORADIUSBYMEMBER (and _RO) GEOSEARCH GEOSEARCHSTORE: options, errors, STORE', async () => {
    await expectSame(
      pair,
      lines(`
        GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania 13.583333 37.316667 Agrigento 13.361389 38.115556 Palermo2
        GEORADIUS Sicily 15 37 200 km
        GEORADIUS Sicily 15 37 200 km WITHDIST
        GEORADIUS Sicily 15 37 200 km WITHCOORD
        GEORADIUS Sicily 15 37 200 km WITHDIST WITHCOORD WITHHASH
        GEORADIUS Sicily 15 37 200 km WITHHASH WITHCOORD WITHDIST DESC
        GEORADIUS Sicily 15 37 200 km COUNT 1
        GEORADIUS Sicily 15 37 200 km COUNT 2 DESC
        GEORADIUS Sicily 15 37 200 km COUNT 1 ANY
        GEORADIUS Sicily 15 37 200 km ANY
        GEORADIUS Sicily 15 37 200 km COUNT 0
        GEORADIUS Sicily 15 37 200 km COUNT -3
        GEORADIUS Sicily 15 37 200 km COUNT abc
        GEORADIUS Sicily 15 37 200 km COUNT
        GEORADIUS Sicily 15 37 -1 km
        GEORADIUS Sicily 15 37 abc km
        GEORADIUS Sicily 15 37 200 foo
        GEORADIUS Sicily 15 abc 200 km
        GEORADIUS Sicily 15 95 200 km
        GEORADIUS Sicily 15 37 200 km FOO
        GEORADIUS Sicily 15 37 200 km FROMLONLAT 1 1
        GEORADIUS Sicily 15 37 200 km STORE dst
        ZRANGE dst 0 -1 WITHSCORES
        GEORADIUS Sicily 15 37 200 km STOREDIST dst
        ZRANGE dst 0 -1 WITHSCORES
        GEORADIUS Sicily 15 37 200 km STORE d1 STOREDIST d2
        EXISTS d1 d2
        GEORADIUS Sicily 15 37 200 km STOREDIST dst WITHDIST
        GEORADIUS Sicily 15 37 200 km STORE
        GEORADIUS_RO Sicily 15 37 200 km STORE dst
        GEORADIUS_RO Sicily 15 37 200 km WITHDIST ASC
        GEORADIUS Sicily 15 37 1 km STORE dst
        EXISTS dst
        GEORADIUS nokey 15 37 1 km STORE dst2
        GEORADIUS nokey 15 37 1 km
        GEORADIUS nokey 15 95 1 km
        GEORADIUSBYMEMBER Sicily Palermo 200 km WITHDIST
        GEORADIUSBYMEMBER Sicily Palermo 0 km WITHDIST
        GEORADIUSBYMEMBER Sicily nope 200 km WITHDIST
        GEORADIUSBYMEMBER Sicily Palermo -1 km
        GEORADIUSBYMEMBER nokey nope 200 km WITHDIST
        GEORADIUSBYMEMBER nokey nope 200 km STORE x
        GEORADIUSBYMEMBER nokey nope abc km
        GEORADIUSBYMEMBER Sicily Palermo 200 km STORE Sicily
        ZRANGE Sicily 0 -1 WITHSCORES
        GEOADD Sicily 15.087269 37.502669 Catania 13.583333 37.316667 Agrigento
        GEORADIUSBYMEMBER_RO Sicily Palermo 200 km WITHDIST ASC
        GEOSEARCH Sicily FROMMEMBER Palermo BYRADIUS 200 km WITHDIST
        GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX 400 400 km WITHDIST WITHCOORD ASC
        GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX 400 400 km DESC
        GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX 400 400 km COUNT 2
        GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km BYBOX 1 1 km
        GEOSEARCH Sicily FROMMEMBER Palermo FROMLONLAT 15 37 BYRADIUS 200 km
        GEOSEARCH Sicily FROMMEMBER Palermo FROMMEMBER Catania BYRADIUS 200 km
        GEOSEARCH Sicily FROMMEMBER nope BYRADIUS 200 km
        GEOSEARCH Sicily BYRADIUS 200 km
        GEOSEARCH Sicily FROMMEMBER Palermo
        GeoSearch Sicily FROMMEMBER Palermo
        GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km STORE x
        GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km STOREDIST
        GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX -1 1 km
        GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX 1 abc km
        GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX abc 1 km
        GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX 1 1 parsecs
        GEOSEARCH Sicily FROMLONLAT 15 95 BYBOX 1 1 km
        GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km COUNT 1 ANY WITHDIST
        GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km ANY
        GEOSEARCH nokey FROMMEMBER x BYRADIUS 1 km
        GEOSEARCH nokey FROMLONLAT 1 1 BYRADIUS 1 km
        GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYRADIUS 200 km STOREDIST
        ZRANGE dst 0 -1 WITHSCORES
        GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYRADIUS 200 km COUNT 1
        ZRANGE dst 0 -1 WITHSCORES
        GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYRADIUS 200 km WITHDIST
        GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYRADIUS 200 km STORE x
        geosearchstore dst Sicily BYRADIUS 200 km
        GEOSEARCHSTORE dst nokey FROMLONLAT 15 37 BYRADIUS 200 km
        EXISTS dst
        COMMAND GETKEYS GEORADIUS k 0 0 1 m STORE x STOREDIST y
        COMMAND GETKEYS GEORADIUS k 0 0 1 m
        COMMAND GETKEYS GEORADIUS k 0 0 1 m STORE
        COMMAND GETKEYS GEORADIUSBYMEMBER k m 1 m STOREDIST y
        COMMAND GETKEYS GEOSEARCHSTORE d s FROMMEMBER m BYRADIUS 1 m
      `),
    );
  });

  it('edges of the map, huge and zero radii, boxes around the poles', async () => {
    await expectSame(
      pair,
      lines(`
        GEOADD g 180 85.05112878 a -180 -85.05112878 b 0 0 c 179.9999 0 d -179.9999 0 e 0 85 f 0 -85 g 13.361389 38.115556 p 13.361389 38.115556 p2
        GEOSEARCH g FROMLONLAT 0 0 BYRADIUS 0 m WITHDIST WITHHASH WITHCOORD
        GEOSEARCH g FROMLONLAT 13.361389 38.115556 BYRADIUS 0 m WITHDIST
        GEOSEARCH g FROMMEMBER p BYRADIUS 0 m WITHDIST
        GEOSEARCH g FROMLONLAT 180 0 BYRADIUS 100 km WITHDIST ASC
        GEOSEARCH g FROMLONLAT -180 0 BYRADIUS 100 km WITHDIST ASC
        GEOSEARCH g FROMLONLAT 0 85.05112878 BYRADIUS 100 km WITHDIST ASC
        GEOSEARCH g FROMLONLAT 0 -85.05112878 BYBOX 5000 100 km WITHDIST ASC
        GEOSEARCH g FROMLONLAT 0 0 BYRADIUS 20000 km WITHDIST ASC
        GEOSEARCH g FROMLONLAT 0 0 BYRADIUS 7000 km WITHDIST ASC
        GEOSEARCH g FROMLONLAT 0 0 BYRADIUS inf km WITHDIST ASC
        GEOSEARCH g FROMLONLAT 0 0 BYBOX 40000 40000 km WITHDIST ASC
        GEOSEARCH g FROMLONLAT 0 0 BYBOX 40000 40000 km WITHDIST DESC COUNT 3
        GEOSEARCH g FROMLONLAT 0 0 BYBOX 40000 40000 km WITHDIST COUNT 3 ANY
        GEOSEARCH g FROMLONLAT 0 0 BYBOX 40000 40000 km WITHDIST COUNT 3 ANY DESC
        GEOSEARCH g FROMLONLAT 13 38 BYRADIUS 100 km COUNT 1
        GEOSEARCH g FROMLONLAT 13 38 BYRADIUS 100 km COUNT 1 DESC
        GEORADIUS g 13 38 100 km WITHHASH COUNT 1 ASC COUNT 2
        GEOSEARCH g FROMLONLAT 13 38 BYRADIUS 100 km WITHDIST WITHDIST
      `),
    );
  });

  it('ties at equal distances: full sorts keep scan order, COUNT follows pqsort', async () => {
    const add = ['GEOADD', 't'];
    // 60 points on 6 spots: many equal distances from every center.
    for (let i = 0; i < 60; i++) add.push(String(13 + (i % 6) * 0.01), String(38 + (i % 3) * 0.01), `p${i}`);
    const script: Script = [add];
    for (const center of [
      ['13', '38'],
      ['13.02', '38.01'],
      ['13.05', '38.02'],
    ]) {
      for (const extra of [[], ['ASC'], ['DESC'], ['COUNT', '7'], ['COUNT', '7', 'DESC'], ['COUNT', '41'], ['COUNT', '5', 'ANY'], ['COUNT', '5', 'ANY', 'ASC']]) {
        script.push(['GEOSEARCH', 't', 'FROMLONLAT', ...center, 'BYRADIUS', '50', 'km', ...extra]);
      }
    }
    await expectSame(pair, script);
  });

  it('seeded random points and searches (listpack and skiplist sets)', async () => {
    for (const [seed, n] of [
      [1, 100],
      [2, 400],
      [3, 3000],
    ] as const) {
      let stored = 0;
      const script = randomGeoScript(seed, n, 120);
      const r = await diffScript(pair, script, { resp3: seed === 2 });
      for (let i = 0; i < script.length; i++) {
        if (script[i][0] === 'ZRANGE' && script[i][1] === 'dst') {
          // STOREDIST keeps every bit of a distance, and glibc's sin/cos/asin are not
          // correctly rounded in rare near-halfway cases: same members, same order,
          // scores within a few units in the last place.
          const [a, b] = [numbersOf(r.ours[i]), numbersOf(r.real[i])];
          expect(a.members, `seed ${seed}: ${script[i].join(' ')}`).toEqual(b.members);
          stored += a.members.length;
          for (let j = 0; j < a.scores.length; j++) expect(Math.abs(a.scores[j] - b.scores[j])).toBeLessThanOrEqual(Math.abs(b.scores[j]) * 1e-14);
        } else {
          expect(r.ours[i], `seed ${seed}`).toEqual(r.real[i]);
        }
      }
      expect(stored, `seed ${seed}: STOREDIST results`).toBeGreaterThan(0);
    }
  }, 120_000);
});
