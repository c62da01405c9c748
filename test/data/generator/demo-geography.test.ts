// The generated geography in the shared test database (scope 2101 Shenyang, seed 1), at full detail:
// streets, communities and grids tile their parents (directed-segment bookkeeping on exact coordinate
// keys), street boundary lines against the street polygons, census totals carried down to demand
// points, grid sizes and demand points.

import * as turf from '@turf/turf';
import type { MultiPolygon, Position } from 'geojson';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FULL_DETAIL_BAND } from '../../../server/domain/zoom-bands';
import { paths } from '../../../server/paths';
import { appRouter } from '../../../server/routers/app';
import type { AdminUnitShape, BoundaryLineShape, GridShape } from '../../../server/store/atlas-store';
import { createCallerFactory } from '../../../server/trpc';
import { checkTiling, openDatabaseReadOnly, quantile, readCensusCsv, ROUNDING_TOLERANCE_DEGREES, type TilingChild } from '../../support/demo-checks';
import { openTestStore } from '../../support/store';
import { linePaths, planarArea, pointInMultiPolygon, positionKey, ringArea, runsForward, segmentKey, segmentsOf } from '../../server/helpers/geometry';
import { testContext } from '../../support/context';

const SCOPE = '2101';
const SHENHE = '210103';
const SHENHE_POPULATION_2020 = 782_628;
/** Counties of the sample named in the tests: urban Shenhe, rural Kangping and Faku. */
const RURAL_COUNTIES = ['210123', '210124'];

const store = openTestStore();
const db = openDatabaseReadOnly(inject('databasePath'));
const caller = createCallerFactory(appRouter)(testContext(store));

let counties: AdminUnitShape[];
let streets: AdminUnitShape[];
let communities: AdminUnitShape[];
let grids: GridShape[];

beforeAll(() => {
  const band = FULL_DETAIL_BAND;
  counties = store.adminUnits({ level: 'county', withinCode: SCOPE, band });
  streets = store.adminUnits({ level: 'street', withinCode: SCOPE, band });
  communities = store.adminUnits({ level: 'community', withinCode: SCOPE, band });
  grids = store.grids({ withinCode: SCOPE });
});

afterAll(() => {
  store.close();
  db.close();
});

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

const square = (x0: number, y0: number, x1: number, y1: number): Position[] => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
const multi = (...rings: Position[][]): MultiPolygon => ({ type: 'MultiPolygon', coordinates: rings.map((ring) => [ring]) });

describe('the tiling oracle (hand-made cases)', () => {
  const parent = multi(square(0, 0, 2, 1));

  it('accepts two halves of a rectangle, the parent\'s bottom and top edges split at x = 1', () => {
    const report = checkTiling(parent, [
      { code: 'west', geometry: multi(square(0, 0, 1, 1)) },
      { code: 'east', geometry: multi(square(1, 0, 2, 1)) },
    ]);
    expect(report.problems).toEqual([]);
    // The shared edge x = 1, once per direction; six boundary pieces (4 parent edges, two of them split in two).
    expect(report.pairedSegments).toBe(2);
    expect(report.boundarySegments).toBe(6);
    expect(report.identicalBoundarySegments).toBe(2);
    expect(report.insertedVertices).toBe(2);
  });

  it('accepts a split point 1e-6 off the parent\'s edge but not one 1e-5 off', () => {
    const split = (dy: number): TilingChild[] => [
      { code: 'west', geometry: multi([[0, 0], [1, dy], [1, 1], [0, 1], [0, 0]]) },
      { code: 'east', geometry: multi([[1, dy], [2, 0], [2, 1], [1, 1], [1, dy]]) },
    ];
    expect(checkTiling(parent, split(1e-6)).problems).toEqual([]);
    expect(checkTiling(parent, split(1e-6)).maxInsertedOffsetDegrees).toBeCloseTo(1e-6, 12);
    expect(checkTiling(parent, split(1e-5)).problems.length).toBeGreaterThan(0);
  });

  it('reports an overlap, a gap and a child outside the parent', () => {
    const overlap = checkTiling(parent, [
      { code: 'west', geometry: multi(square(0, 0, 1.5, 1)) },
      { code: 'east', geometry: multi(square(1, 0, 2, 1)) },
    ]);
    expect(overlap.problems.length).toBeGreaterThan(0);
    const gap = checkTiling(parent, [{ code: 'west', geometry: multi(square(0, 0, 1, 1)) }]);
    expect(gap.problems.some((p) => p.includes('not on any child') || p.includes('do not chain'))).toBe(true);
    const twice = checkTiling(parent, [
      { code: 'a', geometry: multi(square(0, 0, 2, 1)) },
      { code: 'b', geometry: multi(square(0, 0, 2, 1)) },
    ]);
    expect(twice.problems.some((p) => p.startsWith('overlap: a+b'))).toBe(true);
  });
});

interface LevelCase {
  label: string;
  parents: () => { code: string; geometry: MultiPolygon }[];
  children: () => { code: string; parent: string; geometry: MultiPolygon }[];
}

const LEVELS: LevelCase[] = [
  {
    label: 'streets in their counties',
    parents: () => counties,
    children: () => streets.map((s) => ({ code: s.code, parent: s.parentCode!, geometry: s.geometry })),
  },
  {
    label: 'communities in their streets',
    parents: () => streets,
    children: () => communities.map((c) => ({ code: c.code, parent: c.parentCode!, geometry: c.geometry })),
  },
  {
    label: 'grids in their communities',
    parents: () => communities,
    children: () => grids.map((g) => ({ code: g.code, parent: g.communityCode, geometry: g.geometry })),
  },
];

describe('generated units at full detail', () => {
  it('hold the streets, communities and grids the test database counts, inside the scope', () => {
    expect(counties).toHaveLength(13);
    expect(streets.length).toBe(store.health().counts.streetsGenerated);
    expect(communities.length).toBe(store.health().counts.communitiesGenerated);
    expect(grids.length).toBe(store.health().counts.grids);
    expect(streets.length).toBeGreaterThan(150);
    expect(communities.length).toBeGreaterThan(2000);
    for (const county of [SHENHE, ...RURAL_COUNTIES]) {
      expect(streets.filter((s) => s.parentCode === county).length, county).toBeGreaterThan(5);
    }
  });

  it('are valid polygon by polygon (turf booleanValid), wound per RFC 7946, with at most 6 decimals', () => {
    const problems: string[] = [];
    let parts = 0;
    for (const unit of [...streets, ...communities, ...grids]) {
      unit.geometry.coordinates.forEach((polygon, part) => {
        parts += 1;
        if (!turf.booleanValid(turf.polygon(polygon))) problems.push(`${unit.code} part ${part} invalid`);
        polygon.forEach((ring, index) => {
          const area = ringArea(ring);
          if (index === 0 ? !(area > 0) : !(area < 0)) problems.push(`${unit.code} part ${part} ring ${index} wound wrongly`);
          for (const [lng, lat] of ring) {
            if (Number(lng!.toFixed(6)) !== lng || Number(lat!.toFixed(6)) !== lat) problems.push(`${unit.code}: ${lng},${lat}`);
          }
        });
      });
    }
    expect(parts).toBeGreaterThanOrEqual(streets.length + communities.length + grids.length);
    expect(problems).toEqual([]);
  });

  for (const level of LEVELS) {
    it(`tile: ${level.label} share every inner segment with one sibling, cover the parent's edge (points added on it ≤ 1.5e-6° off), never overlap`, () => {
      const byParent = groupBy(level.children(), (child) => child.parent);
      const problems: string[] = [];
      let paired = 0;
      let boundary = 0;
      let maxOffset = 0;
      for (const parent of level.parents()) {
        const own = byParent.get(parent.code) ?? [];
        if (own.length === 0) {
          problems.push(`${parent.code} has no children`);
          continue;
        }
        const report = checkTiling(parent.geometry, own);
        problems.push(...report.problems.map((problem) => `${parent.code}: ${problem}`));
        paired += report.pairedSegments;
        boundary += report.boundarySegments;
        maxOffset = Math.max(maxOffset, report.maxInsertedOffsetDegrees);
      }
      expect(problems.slice(0, 20), `${problems.length} problems`).toEqual([]);
      expect(paired).toBeGreaterThan(0);
      expect(boundary).toBeGreaterThan(0);
      expect(maxOffset).toBeLessThanOrEqual(ROUNDING_TOLERANCE_DEGREES);
    });
  }

  // Where a child's cell meets the parent's edge the child gets a vertex (rounded to 6 decimals); the
  // stored parent must carry the same vertex, or the rounding moves hundreds of m² on long edges and
  // turf's edge-wise area formula no longer adds up. With shared vertices the sums agree exactly.
  it('give each parent exactly the area of its children (turf area, within 1 m²)', () => {
    const worst: string[] = [];
    const summary: string[] = [];
    let checked = 0;
    for (const level of LEVELS) {
      const byParent = groupBy(level.children(), (child) => child.parent);
      const differences = level.parents().map((parent) => {
        const own = byParent.get(parent.code) ?? [];
        const origin = parent.geometry.coordinates[0]![0]![0]!;
        const squareMetersPerSquareDegree = 111_195 ** 2 * Math.cos((origin[1]! * Math.PI) / 180);
        const planar = own.reduce((sum, child) => sum + planarArea(child.geometry.coordinates, origin), 0) - planarArea(parent.geometry.coordinates, origin);
        return {
          code: parent.code,
          difference: own.reduce((sum, child) => sum + turf.area(child.geometry), 0) - turf.area(parent.geometry),
          planarSquareMeters: planar * squareMetersPerSquareDegree,
        };
      });
      checked += differences.length;
      const off = differences.filter((d) => Math.abs(d.difference) > 1).sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference));
      summary.push(`${level.label}: ${off.length} of ${differences.length}`);
      worst.push(...off.slice(0, 4).map((d) => `${level.label}: ${d.code} ${d.difference.toFixed(1)} m² (planar ${d.planarSquareMeters.toFixed(1)} m²)`));
    }
    expect(checked).toBe(counties.length + streets.length + communities.length);
    expect(worst, `parents off by more than 1 m²: ${summary.join('; ')}`).toEqual([]);
  });
});

describe('street boundary lines at full detail', () => {
  interface SegmentUse {
    code: string;
    forward: boolean;
  }
  let uses: Map<string, SegmentUse[]>;
  let endpoints: Map<string, [Position, Position]>;
  let lines: BoundaryLineShape[];

  beforeAll(() => {
    uses = new Map();
    endpoints = new Map();
    for (const street of streets) {
      for (const ring of street.geometry.coordinates.flat()) {
        for (const [a, b] of segmentsOf(ring)) {
          const key = segmentKey(a, b);
          const list = uses.get(key);
          const use = { code: street.code, forward: runsForward(a, b) };
          if (list) list.push(use);
          else {
            uses.set(key, [use]);
            endpoints.set(key, [a, b]);
          }
        }
      }
    }
    lines = store.boundaryLines({ level: 'street', band: FULL_DETAIL_BAND });
  });

  it('put every segment two streets share in exactly one street line, its left side the street whose interior is on its left', () => {
    const byDirected = new Map<string, BoundaryLineShape[]>();
    for (const line of lines) {
      for (const path of linePaths(line.geometry)) {
        for (const [a, b] of segmentsOf(path)) {
          const key = `${positionKey(a)};${positionKey(b)}`;
          byDirected.set(key, [...(byDirected.get(key) ?? []), line]);
        }
      }
    }
    const problems: string[] = [];
    let shared = 0;
    for (const [key, owners] of uses) {
      const [a, b] = endpoints.get(key)!;
      const forward = `${positionKey(a)};${positionKey(b)}`;
      const backward = `${positionKey(b)};${positionKey(a)}`;
      const inLines = [...(byDirected.get(forward) ?? []), ...(byDirected.get(backward) ?? [])];
      if (owners.length > 2 || (owners.length === 2 && owners[0]!.forward === owners[1]!.forward)) {
        problems.push(`${key}: used by ${owners.map((o) => o.code).join('+')}`);
      } else if (owners.length === 2) {
        shared += 1;
        if (inLines.length !== 1) {
          problems.push(`${key}: in ${inLines.length} street lines`);
          continue;
        }
        const line = inLines[0]!;
        // Streets' shells run counter-clockwise, so the street running the line's way has it on its left.
        const drawnForward = byDirected.has(forward) ? runsForward(a, b) : runsForward(b, a);
        const left = owners.find((o) => o.forward === drawnForward)!.code;
        const right = owners.find((o) => o.forward !== drawnForward)!.code;
        if (line.leftCode !== left || line.rightCode !== right) {
          problems.push(`${key}: line ${line.id} has sides ${line.leftCode}|${line.rightCode}, owners left ${left} right ${right}`);
        }
      } else if (inLines.length !== 0) {
        problems.push(`${key}: on Shenyang's outer edge yet in a street line`);
      }
    }
    expect(problems.slice(0, 20), `${problems.length} problems`).toEqual([]);
    // The lines hold no other segment.
    expect([...byDirected.values()].reduce((sum, l) => sum + l.length, 0)).toBe(shared);
    expect(shared).toBeGreaterThan(1_000);
  });

  it('number one line per pair of adjacent streets, sides in code order, with demonstration agreement data', () => {
    const pairs = new Set<string>();
    for (const owners of uses.values()) {
      if (owners.length === 2) pairs.add([owners[0]!.code, owners[1]!.code].sort().join('|'));
    }
    expect(new Set(lines.map((l) => `${l.leftCode}|${l.rightCode}`))).toEqual(pairs);
    expect(lines).toHaveLength(pairs.size);
    expect(store.health().counts['boundaryLines.street']).toBe(pairs.size);
    // Patrol dates: 1–120 days before 2026-11-01 (China time), i.e. 2026-07-04 … 2026-10-31.
    for (const line of lines) {
      expect(line.id).toBe(`street:${line.leftCode}|${line.rightCode}`);
      expect(line.agreementSigned).not.toBeNull();
      expect(line.jointMediation).not.toBeNull();
      if (line.lastJointPatrol !== null) {
        expect(line.lastJointPatrol >= '2026-07-04' && line.lastJointPatrol <= '2026-10-31', line.lastJointPatrol).toBe(true);
      }
    }
    // Signed with probability 0.78: with ~500 lines, 4 standard deviations is about ±0.075.
    const signed = lines.filter((l) => l.agreementSigned).length / lines.length;
    expect(signed).toBeGreaterThan(0.7);
    expect(signed).toBeLessThan(0.86);
  });
});

describe('census totals carried down exactly', () => {
  const census = readCensusCsv(join(paths.sourcesDir, 'liaoning', 'county-population-2020.csv'));
  const sumBy = (sql: string): Map<string, number> =>
    new Map((db.prepare(sql).all() as { county: string; total: number }[]).map((row) => [row.county, row.total]));

  it('give every Shenyang county\'s streets, communities, grids and demand points its census population', () => {
    const streetsSum = sumBy(`SELECT parent_code AS county, sum(population) AS total FROM admin_unit
                              WHERE level = 'street' AND code LIKE '${SCOPE}%' GROUP BY parent_code`);
    const communitiesSum = sumBy(`SELECT substr(code, 1, 6) AS county, sum(population) AS total FROM admin_unit
                                  WHERE level = 'community' AND code LIKE '${SCOPE}%' GROUP BY county`);
    const gridsSum = sumBy('SELECT substr(code, 1, 6) AS county, sum(population) AS total FROM grid GROUP BY county');
    const pointsSum = sumBy(`SELECT substr(g.code, 1, 6) AS county, sum(p.population) AS total
                             FROM demand_point p JOIN grid g ON g.id = p.grid_id GROUP BY county`);
    const countyCodes = counties.map((c) => c.code);
    const expected = new Map(countyCodes.map((code) => [code, census.get(code)!.population]));
    expect(expected.get(SHENHE)).toBe(SHENHE_POPULATION_2020);
    expect(new Map(counties.map((c) => [c.code, c.population]))).toEqual(expected);
    expect(streetsSum).toEqual(expected);
    expect(communitiesSum).toEqual(expected);
    expect(gridsSum).toEqual(expected);
    expect(pointsSum).toEqual(expected);
  });

  it('give residents\' committees (001–199) round(population × urban share) and villages the rest', () => {
    const rows = db
      .prepare(`SELECT substr(code, 1, 6) AS county, urban, sum(population) AS total, count(*) AS grids FROM grid GROUP BY county, urban`)
      .all() as { county: string; urban: number; total: number }[];
    for (const county of counties) {
      const { population, urbanShare } = census.get(county.code)!;
      const urban = rows.find((r) => r.county === county.code && r.urban === 1)?.total ?? 0;
      const rural = rows.find((r) => r.county === county.code && r.urban === 0)?.total ?? 0;
      expect([county.code, urban, rural]).toEqual([county.code, Math.round(population * urbanShare), population - Math.round(population * urbanShare)]);
    }
    const flagged = db.prepare('SELECT count(*) AS n FROM grid WHERE urban != (CAST(substr(code, 10, 3) AS INTEGER) < 200)').get() as { n: number };
    expect(flagged.n).toBe(0);
  });

  it('serve Shenhe\'s grids through geo.grids as valid GeoJSON whose populations sum to 782,628', async () => {
    const shenhe = await caller.geo.grids({ within: SHENHE });
    expect(shenhe.type).toBe('FeatureCollection');
    expect(shenhe.features.length).toBe(grids.filter((g) => g.code.startsWith(SHENHE)).length);
    expect(shenhe.features.reduce((sum, f) => sum + f.properties.population, 0)).toBe(SHENHE_POPULATION_2020);
    const problems: string[] = [];
    for (const feature of shenhe.features) {
      if (feature.type !== 'Feature' || feature.id !== feature.properties.code || !feature.properties.code.startsWith(SHENHE)) {
        problems.push(`${feature.id}: not a Shenhe feature`);
      }
      if (feature.geometry.type !== 'MultiPolygon') problems.push(`${feature.id}: ${feature.geometry.type}`);
      for (const ring of feature.geometry.coordinates.flat()) {
        if (ring.length < 4 || positionKey(ring[0]!) !== positionKey(ring[ring.length - 1]!)) problems.push(`${feature.id}: open ring`);
        for (const position of ring) {
          if (position.length !== 2 || position.some((v) => !Number.isFinite(v) || Number(v.toFixed(6)) !== v)) {
            problems.push(`${feature.id}: position ${JSON.stringify(position)}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(JSON.parse(JSON.stringify(shenhe))).toEqual(shenhe);
  });
});

describe('grids', () => {
  it('extend their community\'s code with 001, 002, … and carry its urban flag', () => {
    const byCommunity = groupBy(grids, (g) => g.communityCode);
    const communityCodes = new Set(communities.map((c) => c.code));
    expect(new Set(byCommunity.keys())).toEqual(communityCodes);
    for (const [code, own] of byCommunity) {
      expect(own.map((g) => g.code), code).toEqual(own.map((_, i) => `${code}${String(i + 1).padStart(3, '0')}`));
      for (const grid of own) expect(grid.urban, grid.code).toBe(Number(code.slice(9)) < 200);
    }
  });

  it('number about one per 400 households in residents\' committees and 1–3 by population in villages', () => {
    const countByCommunity = new Map<string, number>();
    const householdsByCommunity = new Map<string, number>();
    for (const grid of grids) {
      countByCommunity.set(grid.communityCode, (countByCommunity.get(grid.communityCode) ?? 0) + 1);
      householdsByCommunity.set(grid.communityCode, (householdsByCommunity.get(grid.communityCode) ?? 0) + grid.households);
    }
    const mismatches: string[] = [];
    for (const community of communities) {
      const population = community.population!;
      const urban = Number(community.code.slice(9)) < 200;
      const actual = countByCommunity.get(community.code)!;
      // Urban: max(1, round(households / 400)) with the community's household size; the grids' rounded
      // household counts can shift the quotient across a .5 boundary, hence ±1.
      const urbanExpected = Math.max(1, Math.round(householdsByCommunity.get(community.code)! / 400));
      const expected = urban ? urbanExpected : population < 1200 ? 1 : population < 2500 ? 2 : 3;
      if (urban ? Math.abs(actual - expected) > 1 : actual !== expected) mismatches.push(`${community.code} (${population}): ${actual} grids, expected ${expected}`);
      if (!urban && !(actual! >= 1 && actual! <= 3)) mismatches.push(`village ${community.code}: ${actual} grids`);
    }
    expect(mismatches).toEqual([]);
  });

  it('give urban grids a median population of 800–1,200 residents', () => {
    const urban = grids.filter((g) => g.urban).map((g) => g.population).sort((a, b) => a - b);
    expect(urban.length).toBeGreaterThan(5_000);
    expect(quantile(urban, 0.5)).toBeGreaterThanOrEqual(800);
    expect(quantile(urban, 0.5)).toBeLessThanOrEqual(1_200);
  });

  it('give households consistent with the household sizes (2.35–2.85 urban, 2.6–3.2 rural), one full-time worker each', () => {
    const problems: string[] = [];
    for (const grid of grids) {
      const [low, high] = grid.urban ? [2.35, 2.85] : [2.6, 3.2];
      // households = round(population / size) for a size in [low, high] (at least 1 where anyone lives).
      const fits = grid.population === 0 ? grid.households === 0 : grid.population / (grid.households + 0.5) <= high && (grid.households <= 1 || grid.population / (grid.households - 0.5) >= low);
      if (!fits) problems.push(`${grid.code}: ${grid.population} residents in ${grid.households} households`);
      if (grid.fullTimeWorkers !== 1) problems.push(`${grid.code}: ${grid.fullTimeWorkers} full-time workers`);
      const [minPart, maxPart] = grid.urban ? [1, 3] : [0, 2];
      if (grid.partTimeWorkers < minPart || grid.partTimeWorkers > maxPart) problems.push(`${grid.code}: ${grid.partTimeWorkers} part-time workers`);
    }
    expect(problems).toEqual([]);
  });

  // DESIGN.md: "about 300-500 households" per grid in towns.
  it('give at least 90 % of urban grids 300–500 households', () => {
    const urban = grids.filter((g) => g.urban);
    const inBand = urban.filter((g) => g.households >= 300 && g.households <= 500).length;
    const households = urban.map((g) => g.households).sort((a, b) => a - b);
    const spread = `5th–95th percentile ${quantile(households, 0.05)}–${quantile(households, 0.95)} households`;
    expect(inBand / urban.length, `${inBand} of ${urban.length} urban grids; ${spread}`).toBeGreaterThanOrEqual(0.9);
  });
});

describe('demand points', () => {
  interface PointRow {
    gridId: number;
    lng: number;
    lat: number;
    population: number;
  }
  let points: PointRow[];
  let gridById: Map<number, { code: string; population: number; geometry: MultiPolygon }>;

  beforeAll(() => {
    points = db.prepare('SELECT grid_id AS gridId, lng, lat, population FROM demand_point ORDER BY id').all() as PointRow[];
    const ids = db.prepare('SELECT id, code FROM grid').all() as { id: number; code: string }[];
    const byCode = new Map(grids.map((g) => [g.code, g]));
    gridById = new Map(ids.map(({ id, code }) => [id, byCode.get(code)!]));
  });

  it('number max(1, round(population / 100)) per inhabited grid (none in empty grids), with residents adding up to the grid\'s and shares differing by at most 1', () => {
    const byGrid = groupBy(points, (p) => String(p.gridId));
    expect(byGrid.size).toBe(grids.filter((grid) => grid.population > 0).length);
    const problems: string[] = [];
    for (const [id, own] of byGrid) {
      const grid = gridById.get(Number(id))!;
      const populations = own.map((p) => p.population);
      const total = populations.reduce((a, b) => a + b, 0);
      if (own.length !== Math.max(1, Math.round(grid.population / 100))) problems.push(`${grid.code}: ${own.length} points for ${grid.population}`);
      if (total !== grid.population) problems.push(`${grid.code}: points hold ${total}, grid ${grid.population}`);
      if (Math.max(...populations) - Math.min(...populations) > 1) problems.push(`${grid.code}: shares ${Math.min(...populations)}–${Math.max(...populations)}`);
    }
    expect(problems).toEqual([]);
  });

  it('represent 50–200 residents each, for at least 95 % of points', () => {
    const inBand = points.filter((p) => p.population >= 50 && p.population <= 200).length;
    expect(points.length).toBeGreaterThan(50_000);
    expect(inBand / points.length).toBeGreaterThanOrEqual(0.95);
  });

  // Rounding a sampled point to 6 decimals can push it a few millimetres over the grid's edge.
  it('lie inside their grid (point in polygon on the full geometry)', () => {
    const outside: string[] = [];
    for (const point of points) {
      const grid = gridById.get(point.gridId)!;
      if (!pointInMultiPolygon([point.lng, point.lat], grid.geometry)) outside.push(`${point.lng},${point.lat} outside ${grid.code}`);
    }
    expect(outside, `${outside.length} of ${points.length} points`).toEqual([]);
  });
});
