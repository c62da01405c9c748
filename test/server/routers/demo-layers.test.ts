// geo.* and meta.health on the demonstration layers of the test database (scope 2101 Shenyang), through
// createCaller: filters checked against SQL or brute-force oracles, the size refusals, the coarser band
// served for thousands of communities, and the demo parameters health reports.

import { afterAll, describe, expect, inject, it } from 'vitest';
import { FULL_DETAIL_BAND } from '../../../server/domain/zoom-bands';
import { appRouter } from '../../../server/routers/app';
import { createCallerFactory } from '../../../server/trpc';
import { openDatabaseReadOnly } from '../../support/demo-checks';
import { openTestStore } from '../../support/store';
import { errorOf } from '../../support/trpc-errors';
import { bboxOf, type BBox } from '../helpers/geometry';
import { testContext } from '../../support/context';

const store = openTestStore();
const db = openDatabaseReadOnly(inject('databasePath'));
const caller = createCallerFactory(appRouter)(testContext(store));

afterAll(() => {
  store.close();
  db.close();
});

const SHENHE = '210103';
const SHENHE_POPULATION_2020 = 782_628;
/** About 1.7 × 2.2 km in central Shenyang (沈河/和平). */
const CENTRAL_BOX: BBox = [123.4, 41.78, 123.42, 41.8];

const count = (sql: string, ...parameters: unknown[]): number => (db.prepare(sql).get(...parameters) as { n: number }).n;
const boxesMeet = (a: BBox, b: BBox): boolean => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/** The error a call rejects with. */

async function expectTooLarge(call: Promise<unknown>): Promise<void> {
  const error = await errorOf(call);
  expect(error.code).toBe('BAD_REQUEST');
  expect(error.message).toMatch(/^Too large: /);
}

describe('geo.grids', () => {
  it('returns exactly the grids of a street, and of a community, by code prefix', async () => {
    const street = (db.prepare("SELECT code FROM admin_unit WHERE level = 'street' AND parent_code = ? ORDER BY code LIMIT 1").get(SHENHE) as {
      code: string;
    }).code;
    const community = (db.prepare('SELECT community_code AS code FROM grid WHERE code LIKE ? GROUP BY community_code HAVING count(*) > 1 LIMIT 1').get(
      `${street}%`,
    ) as { code: string }).code;
    for (const within of [street, community]) {
      const grids = await caller.geo.grids({ within });
      expect(grids.features.length, within).toBe(count('SELECT count(*) AS n FROM grid WHERE code LIKE ?', `${within}%`));
      expect(grids.features.length, within).toBeGreaterThan(1);
      expect(grids.features.filter((f) => !f.properties.code.startsWith(within) || f.properties.communityCode.slice(0, within.length) !== within)).toEqual([]);
    }
  });

  it('with a bbox, returns exactly the county\'s grids whose bounding box meets it', async () => {
    const [all, inBox] = await Promise.all([caller.geo.grids({ within: SHENHE }), caller.geo.grids({ within: SHENHE, bbox: CENTRAL_BOX })]);
    const expected = all.features.filter((f) => boxesMeet(bboxOf(f.geometry.coordinates.flat(2)), CENTRAL_BOX)).map((f) => f.properties.code);
    expect(inBox.features.map((f) => f.properties.code)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.features.length);
  });

  it('refuses the province and the city (over 6,000 grids) with a "Too large" BAD_REQUEST', async () => {
    expect(count('SELECT count(*) AS n FROM grid')).toBeGreaterThan(6_000);
    await expectTooLarge(caller.geo.grids({ within: '21' }));
    await expectTooLarge(caller.geo.grids({ within: '2101' }));
  });
});

describe('geo.facilities', () => {
  it('returns one health centre per generated street of Shenyang', async () => {
    const centres = await caller.geo.facilities({ kinds: ['health_center'], within: '2101' });
    const streets = count("SELECT count(*) AS n FROM admin_unit WHERE level = 'street' AND code LIKE '2101%' AND population IS NOT NULL");
    expect(streets).toBeGreaterThan(150);
    expect(centres.features).toHaveLength(streets);
    expect(new Set(centres.features.map((f) => f.properties.unitCode)).size).toBe(streets);
    expect(centres.features.every((f) => f.properties.kind === 'health_center' && f.geometry.type === 'Point')).toBe(true);
  });

  it('filters by several kinds within a county', async () => {
    const kinds = ['service_station', 'governance_workstation'] as const;
    const result = await caller.geo.facilities({ kinds: [...kinds], within: SHENHE });
    expect(result.features.length).toBe(
      count(`SELECT count(*) AS n FROM facility WHERE community_code LIKE '${SHENHE}%' AND kind IN ('service_station', 'governance_workstation')`),
    );
    expect(result.features.every((f) => (kinds as readonly string[]).includes(f.properties.kind) && f.properties.communityCode.startsWith(SHENHE))).toBe(true);
  });
});

describe('geo.adminUnits for generated communities', () => {
  it('returns Shenhe\'s communities at full detail, their populations summing to its census 782,628', async () => {
    const shenhe = await caller.geo.adminUnits({ level: 'community', parent: SHENHE });
    expect(shenhe.features.length).toBe(count("SELECT count(*) AS n FROM admin_unit WHERE level = 'community' AND code LIKE ?", `${SHENHE}%`));
    expect(shenhe.features.every((f) => f.properties.code.startsWith(SHENHE) && f.properties.level === 'community')).toBe(true);
    expect(shenhe.features.reduce((sum, f) => sum + f.properties.population!, 0)).toBe(SHENHE_POPULATION_2020);
    expect('simplified' in shenhe).toBe(false);
  });

  it('answers the thousands of Shenyang communities at a coarser band, saying which', async () => {
    const shenyang = await caller.geo.adminUnits({ level: 'community', parent: '2101' });
    const communities = count("SELECT count(*) AS n FROM admin_unit WHERE level = 'community' AND code LIKE '2101%'");
    expect(communities).toBeGreaterThan(1_500);
    expect(shenyang.features).toHaveLength(communities);
    const simplified = (shenyang as typeof shenyang & { simplified?: { requestedBand: number; servedBand: number } }).simplified;
    expect(simplified?.requestedBand).toBe(FULL_DETAIL_BAND);
    expect(simplified!.servedBand).toBeLessThan(simplified!.requestedBand);
    // Fewer vertices than the full-detail geometry of the same units.
    const vertices = (fc: typeof shenyang): number => fc.features.reduce((sum, f) => sum + f.geometry.coordinates.flat(2).length, 0);
    const full = store.adminUnits({ level: 'community', withinCode: '2101', band: FULL_DETAIL_BAND });
    expect(vertices(shenyang)).toBeLessThan(full.reduce((sum, u) => sum + u.geometry.coordinates.flat(2).length, 0));
  });
});

describe('geo.boundaryLines for streets', () => {
  it('returns exactly the street lines with a side in Shenhe', async () => {
    const [all, shenhe] = await Promise.all([caller.geo.boundaryLines({ level: 'street' }), caller.geo.boundaryLines({ level: 'street', within: SHENHE })]);
    const inShenhe = (code: string | null): boolean => code !== null && code.startsWith(SHENHE);
    const expected = all.features.filter((f) => inShenhe(f.properties.leftCode) || inShenhe(f.properties.rightCode)).map((f) => f.id);
    expect(shenhe.features.map((f) => f.id)).toEqual(expected);
    expect(shenhe.features.length).toBeGreaterThan(10);
    expect(shenhe.features.every((f) => f.properties.level === 'street')).toBe(true);
    // Lines to the neighbouring districts are included.
    expect(shenhe.features.some((f) => !inShenhe(f.properties.leftCode) || !inShenhe(f.properties.rightCode))).toBe(true);
  });
});

describe('geo.roads', () => {
  it('returns exactly the edges whose bounding box meets a small central box, and the barriers through it', async () => {
    const roads = await caller.geo.roads({ bbox: CENTRAL_BOX });
    const edges = roads.features.filter((f) => f.properties.layer === 'road');
    const barriers = roads.features.filter((f) => f.properties.layer === 'barrier');
    expect(edges.length + barriers.length).toBe(roads.features.length);
    const expected = (
      db
        .prepare(
          `SELECT e.id, min(a.lng, b.lng) AS x0, min(a.lat, b.lat) AS y0, max(a.lng, b.lng) AS x1, max(a.lat, b.lat) AS y1
           FROM road_edge e JOIN road_node a ON a.id = e.from_node JOIN road_node b ON b.id = e.to_node ORDER BY e.id`,
        )
        .all() as { id: number; x0: number; y0: number; x1: number; y1: number }[]
    )
      .filter((e) => boxesMeet([e.x0, e.y0, e.x1, e.y1], CENTRAL_BOX))
      .map((e) => e.id);
    expect(edges.map((f) => f.id)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(100);
    for (const edge of edges) {
      expect(edge.geometry.type).toBe('LineString');
      expect(boxesMeet(bboxOf((edge.geometry as { coordinates: number[][] }).coordinates), CENTRAL_BOX)).toBe(true);
    }
    for (const barrier of barriers) {
      expect((barrier.geometry as { coordinates: number[][] }).coordinates.some(([lng, lat]) => lng! >= CENTRAL_BOX[0] && lng! <= CENTRAL_BOX[2] && lat! >= CENTRAL_BOX[1] && lat! <= CENTRAL_BOX[3])).toBe(true);
    }
  });

  it('refuses a box over the whole city (over 60,000 edges) with a "Too large" BAD_REQUEST', async () => {
    expect(count('SELECT count(*) AS n FROM road_edge')).toBeGreaterThan(60_000);
    await expectTooLarge(caller.geo.roads({ bbox: [118, 38, 126, 44] }));
  });
});

describe('meta.health', () => {
  it('reports the test seed, scope and now, and the row counts of the demonstration layers', async () => {
    const health = await caller.meta.health();
    const demo = inject('testDemo');
    expect(health.demo).toEqual({ seed: demo.seed, scope: demo.scope, nowMs: demo.nowMs, contentHash: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(health.dataVersion).toBe(inject('dataVersion'));
    expect({
      grids: health.counts!.grids,
      facilities: health.counts!.facilities,
      disputes: health.counts!.disputes,
      roadEdges: health.counts!.roadEdges,
    }).toEqual({
      grids: count('SELECT count(*) AS n FROM grid'),
      facilities: count('SELECT count(*) AS n FROM facility'),
      disputes: count('SELECT count(*) AS n FROM dispute'),
      roadEdges: count('SELECT count(*) AS n FROM road_edge'),
    });
    expect(health.counts!.roadEdges).toBeGreaterThan(0);
  });
});
