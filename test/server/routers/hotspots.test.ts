// hotspots.* through createCaller on the Shenyang test database: Gi* cells for the last 90 days with
// classes (H3 and grids), emerging hot spots, boundary-line risk, and input errors.

import Database from 'better-sqlite3';
import { ZodError } from 'zod';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { cellToLatLng } from 'h3-js';
import { appRouter } from '../../../server/routers/app';
import { createCallerFactory, describeZodError } from '../../../server/trpc';
import { openTestStore } from '../../support/store';
import { errorOf } from '../../support/trpc-errors';
import { testContext } from '../../support/context';

const store = openTestStore();
const caller = createCallerFactory(appRouter)(testContext(store));
const db = new Database(inject('databasePath'), { readonly: true });
afterAll(() => {
  store.close();
  db.close();
});

interface PlantedRow {
  id: number;
  kind: string;
  center_lng: number;
  center_lat: number;
  radius_meters: number;
  start_ms: number;
  end_ms: number;
  boundary_line_id: string | null;
}
const planted = db.prepare('SELECT id, kind, center_lng, center_lat, radius_meters, start_ms, end_ms, boundary_line_id FROM planted_cluster ORDER BY id').all() as PlantedRow[];

/** Metres between two lng/lat points (local plane). */
function distanceMeters(a: readonly number[], b: readonly number[]): number {
  const kx = 111_320 * Math.cos((((a[1]! + b[1]!) / 2) * Math.PI) / 180);
  return Math.hypot((a[0]! - b[0]!) * kx, (a[1]! - b[1]!) * 111_320);
}


async function expectBadRequest(call: Promise<unknown>, field: string): Promise<void> {
  const error = await errorOf(call);
  expect(error.code).toBe('BAD_REQUEST');
  expect(error.cause).toBeInstanceOf(ZodError);
  expect(describeZodError(error.cause as ZodError)).toMatch(new RegExp(`(^|; )${field.replace('.', '\\.')}(\\.\\d+)?: `));
}

const LAST_90_DAYS = { within: '2101', from: '2026-08-03', to: '2026-10-31' } as const;

describe('hotspots.cells', () => {
  it('answers for Shenyang over the last 90 days at H3 resolution 8, with classes, empty cells and every event', async () => {
    const answer = await caller.hotspots.cells({ ...LAST_90_DAYS, resolution: 8 });
    expect(answer.type).toBe('FeatureCollection');
    expect(answer.from).toBe('2026-08-03T00:00:00.000+08:00');
    expect(answer.to).toBe('2026-11-01T00:00:00.000+08:00');
    expect(answer.features).toHaveLength(answer.unitCount as number);
    // Shenyang is about 12,900 km²: some 26,000 cells of 0.496 km² (their size at 42° N), most without a dispute.
    expect(answer.features.length).toBeGreaterThan(23_000);
    expect(answer.features.length).toBeLessThan(29_000);
    const counts = answer.features.map((f) => f.properties.count);
    expect(counts.filter((c) => c === 0).length).toBeGreaterThan(answer.features.length / 2);
    const disputes = (
      db.prepare("SELECT count(*) AS n FROM dispute WHERE grid_code LIKE '2101%' AND reported_at >= ? AND reported_at < ?").get(
        Date.UTC(2026, 7, 2, 16),
        Date.UTC(2026, 9, 31, 16),
      ) as { n: number }
    ).n;
    expect(answer.eventCount).toBe(disputes);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(disputes);
    const classes = answer.features.map((f) => f.properties.class);
    expect(classes.filter((c) => c === 3).length).toBeGreaterThan(10);
    for (const feature of answer.features) {
      expect(feature.properties.id).toMatch(/^88[0-9a-f]{13}$/);
      expect(feature.geometry.type).toBe('Polygon');
      const { z, p } = feature.properties;
      if (z !== null) expect(Math.abs(z)).toBeLessThan(100);
      if (p !== null) expect(p).toBeGreaterThanOrEqual(0);
      expect(Math.abs(feature.properties.class)).toBeLessThanOrEqual(3);
    }
    // Classes agree with the z-scores' two-sided p-values.
    for (const feature of answer.features.slice(0, 2000)) {
      const { z, class: cls } = feature.properties;
      if (z === null) continue;
      const expected = Math.abs(z) >= 2.5759 ? 3 : Math.abs(z) >= 1.96 ? 2 : Math.abs(z) >= 1.645 ? 1 : 0;
      if (Math.abs(Math.abs(z) - 1.96) > 1e-3 && Math.abs(Math.abs(z) - 2.5758) > 1e-3 && Math.abs(Math.abs(z) - 1.6449) > 1e-3) {
        expect(cls).toBe(Math.sign(z) * expected || 0);
      }
    }
  });

  it('puts the active persistent clusters in 99 % hot spots', async () => {
    const answer = await caller.hotspots.cells({ ...LAST_90_DAYS, resolution: 8, significantOnly: true });
    const hot = answer.features.filter((f) => f.properties.class === 3).map((f) => {
      const [lat, lng] = cellToLatLng(f.properties.id);
      return [lng, lat];
    });
    for (const cluster of planted.filter((c) => c.kind === 'persistent')) {
      const centre = [cluster.center_lng, cluster.center_lat];
      expect(hot.some((cell) => distanceMeters(cell, centre) <= cluster.radius_meters + 500)).toBe(true);
    }
    expect(answer.features.every((f) => f.properties.class !== 0)).toBe(true);
  });

  it('with the residents baseline, tests counts beyond those the residents explain: fewer hot cells, the clusters among them', async () => {
    const counts = await caller.hotspots.cells({ ...LAST_90_DAYS, resolution: 8 });
    const adjusted = await caller.hotspots.cells({ ...LAST_90_DAYS, resolution: 8, baseline: 'residents' });
    expect(adjusted.baseline).toBe('residents');
    expect(adjusted.features.map((f) => f.properties.count)).toEqual(counts.features.map((f) => f.properties.count));
    // Expectations share out the events of the unit's grids (those in a few cells without residents aside).
    const expected = adjusted.features.reduce((sum, f) => sum + (f.properties.expected ?? 0), 0);
    expect(Math.abs(expected - (adjusted.eventCount as number))).toBeLessThan(0.001 * (adjusted.eventCount as number));
    const hot = (answer: typeof counts) => answer.features.filter((f) => f.properties.class >= 2);
    expect(hot(adjusted).length).toBeLessThan(hot(counts).length / 3);
    for (const cluster of planted.filter((c) => c.kind === 'persistent')) {
      expect(
        hot(adjusted).some((f) => {
          const [lat, lng] = cellToLatLng(f.properties.id);
          return distanceMeters([lng, lat], [cluster.center_lng, cluster.center_lat]) <= cluster.radius_meters + 500;
        }),
      ).toBe(true);
    }
    await expectBadRequest(caller.hotspots.cells({ ...LAST_90_DAYS, resolution: 8, baseline: 'people' as never }), 'baseline');
  });

  it('answers on grids with queen contiguity, FDR control and seeded permutations', async () => {
    const input = { within: '210103', from: '2026-05-01', to: '2026-10-31', resolution: 'grid' as const, fdr: true, permutations: 199, seed: 3 };
    const answer = await caller.hotspots.cells(input);
    expect(answer.features.length).toBeGreaterThan(100);
    for (const feature of answer.features) {
      expect(feature.properties.id).toMatch(/^210103\d{9}$/);
      expect(feature.properties.p).toBeGreaterThanOrEqual(1 / 200);
      expect(feature.properties.q).toBeGreaterThanOrEqual(feature.properties.p!);
    }
    expect(await caller.hotspots.cells(input)).toEqual(answer);
    // Type filter: fewer events.
    const property = await caller.hotspots.cells({ ...input, types: ['property'] });
    expect(property.eventCount).toBeLessThan(answer.eventCount as number);
    expect(property.eventCount).toBeGreaterThan(0);
  });

  it('refuses oversized work with a message saying how to narrow it', async () => {
    const error = await errorOf(caller.hotspots.cells({ ...LAST_90_DAYS, resolution: 9 }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/Too large: .*coarser resolution/);
    const permutations = await errorOf(caller.hotspots.cells({ ...LAST_90_DAYS, resolution: 8, permutations: 9999 }));
    expect(permutations.message).toMatch(/permutations/);
  });

  it('rejects bad input naming the field, and unknown codes as NOT_FOUND', async () => {
    await expectBadRequest(caller.hotspots.cells({ ...LAST_90_DAYS, resolution: 6 as never }), 'resolution');
    await expectBadRequest(caller.hotspots.cells({ ...LAST_90_DAYS, from: '2026-02-30', resolution: 8 }), 'from');
    await expectBadRequest(caller.hotspots.cells({ ...LAST_90_DAYS, to: 'yesterday', resolution: 8 }), 'to');
    await expectBadRequest(caller.hotspots.cells({ ...LAST_90_DAYS, from: '2026-11-01', resolution: 8 }), 'to');
    await expectBadRequest(caller.hotspots.cells({ ...LAST_90_DAYS, resolution: 8, permutations: 10 }), 'permutations');
    await expectBadRequest(caller.hotspots.cells({ ...LAST_90_DAYS, resolution: 8, types: ['noise' as never] }), 'types');
    await expectBadRequest(caller.hotspots.cells({ ...LAST_90_DAYS, resolution: 8, weights: { kind: 'queen' } }), 'weights.kind');
    await expectBadRequest(caller.hotspots.cells({ ...LAST_90_DAYS, resolution: 'grid', weights: { kind: 'kRing' } }), 'weights.kind');
    const unknownKey = await errorOf(caller.hotspots.cells({ ...LAST_90_DAYS, resolution: 8, colour: 'red' } as never));
    expect(unknownKey.code).toBe('BAD_REQUEST');
    expect(describeZodError(unknownKey.cause as ZodError)).toContain('colour');
    const missing = await errorOf(caller.hotspots.cells({ ...LAST_90_DAYS, within: '219999', resolution: 8 }));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toMatch(/^within: /);
  });
});

describe('hotspots.emerging', () => {
  it('classifies Shenyang\'s cells over 12 monthly slices and finds the planted clusters\' patterns', async () => {
    const answer = await caller.hotspots.emerging({ within: '2101', from: '2025-11-01', to: '2026-10-31', slice: 'month' });
    expect(answer.slices).toHaveLength(12);
    const counts = answer.categoryCounts as Record<string, number>;
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(answer.unitCount);
    expect(answer.features.every((f) => f.properties.category !== 'none')).toBe(true);
    const near = (cluster: PlantedRow, categories: string[]) =>
      answer.features.some((f) => {
        const [lat, lng] = cellToLatLng(f.properties.id);
        return categories.includes(f.properties.category) && distanceMeters([lng, lat], [cluster.center_lng, cluster.center_lat]) <= cluster.radius_meters + 500;
      });
    for (const cluster of planted.filter((c) => c.kind === 'persistent')) {
      expect(near(cluster, ['persistentHot', 'intensifyingHot', 'diminishingHot'])).toBe(true);
    }
  });

  it('needs at least 10 slices', async () => {
    const error = await errorOf(caller.hotspots.emerging({ within: '2101', from: '2026-09-01', to: '2026-10-31', slice: 'week' }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/at least 10/);
    await expectBadRequest(caller.hotspots.emerging({ within: '2101', from: '2026-01-01', to: '2026-10-31', slice: 'day' as never }), 'slice');
  });
});

describe('hotspots.boundaryRisk', () => {
  it('ranks Shenyang\'s lines with both sides\' names and agreement status, the planted boundary lines high', async () => {
    const answer = await caller.hotspots.boundaryRisk({ within: '2101', from: '2025-11-01', to: '2026-10-31', bufferMeters: 500 });
    expect(answer.features.length).toBeGreaterThan(100);
    answer.features.forEach((feature, index) => {
      expect(feature.properties.rank).toBe(index + 1);
      expect(feature.properties.leftName.length).toBeGreaterThan(0);
      expect(['street', 'county', 'city']).toContain(feature.properties.level);
      expect(feature.properties.countsBySlice).toHaveLength(12);
      expect(feature.properties.countsBySlice.reduce((a, b) => a + b, 0)).toBe(feature.properties.count);
    });
    const q = answer.features.map((f) => f.properties.q ?? 1);
    expect(q).toEqual([...q].sort((a, b) => a - b));
    // The planted lines are high-risk, and few others are (the rest of the high ones lie at other
    // planted clusters: see test/bench/hotspots.bench.ts for recall and false alarms).
    const high = answer.features.filter((f) => f.properties.risk === 'high');
    expect(high.length).toBeLessThanOrEqual(15);
    for (const cluster of planted.filter((c) => c.kind === 'boundary')) {
      const line = answer.features.find((f) => f.properties.id === cluster.boundary_line_id);
      expect(line?.properties.risk).toBe('high');
    }
    expect(answer.features[0]!.properties.risk).toBe('high');
  });
});
