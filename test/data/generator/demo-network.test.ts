// The generated walking network in the shared test database (Shenyang's urban 街道 streets): size,
// edge lengths against the haversine of their endpoints, barriers, nodes inside urban streets, and
// every facility of an urban street within 300 m of the network (grid-hash nearest search).

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EDGE_CLASSES } from '../../../data/generator/walking-network';
import { FULL_DETAIL_BAND } from '../../../server/domain/zoom-bands';
import type { AdminUnitShape } from '../../../server/store/atlas-store';
import { haversineMeters, openDatabaseReadOnly, PointGridHash } from '../../support/demo-checks';
import { openTestStore } from '../../support/store';
import { bboxContains, bboxOf, pointInMultiPolygon, type BBox } from '../../server/helpers/geometry';

const CITY = '2101';
const WALK_RADIUS_METERS = 300;

const store = openTestStore();
const db = openDatabaseReadOnly(inject('databasePath'));

let urbanStreets: AdminUnitShape[];
let urbanBoxes: BBox[];
let nodeLngLat: Float64Array;

beforeAll(() => {
  urbanStreets = store
    .adminUnits({ level: 'street', withinCode: CITY, band: FULL_DETAIL_BAND })
    .filter((street) => street.name.endsWith('街道'));
  urbanBoxes = urbanStreets.map((street) => bboxOf(street.geometry.coordinates.flat(2)));
  const nodes = db.prepare('SELECT id, lng, lat FROM road_node ORDER BY id').raw().all() as [number, number, number][];
  // Ids are 1-based node indices: the array is indexed by id - 1.
  expect(nodes.every(([id], index) => id === index + 1)).toBe(true);
  nodeLngLat = Float64Array.from(nodes.flatMap(([, lng, lat]) => [lng, lat]));
});

afterAll(() => {
  store.close();
  db.close();
});

describe('the walking network of Shenyang', () => {
  it('has at least 150,000 edges, all in urban 街道 streets of 2101, of the listed classes, between distinct nodes', () => {
    const edges = db.prepare('SELECT from_node AS a, to_node AS b, class, street_code AS street FROM road_edge').all() as {
      a: number;
      b: number;
      class: string;
      street: string;
    }[];
    expect(edges.length).toBeGreaterThanOrEqual(150_000);
    expect(edges.length).toBe(store.health().counts.roadEdges);
    const urbanCodes = new Set(urbanStreets.map((s) => s.code));
    const nodeCount = nodeLngLat.length / 2;
    const bad = edges.filter(
      (e) => !urbanCodes.has(e.street) || !EDGE_CLASSES.includes(e.class as never) || e.a === e.b || e.a < 1 || e.b < 1 || e.a > nodeCount || e.b > nodeCount,
    );
    expect(bad.slice(0, 10), `${bad.length} bad edges`).toEqual([]);
    expect(new Set(edges.map((e) => e.class))).toEqual(new Set(EDGE_CLASSES));
  });

  it('records each edge\'s length as the haversine distance of its endpoints, within 0.5 %', () => {
    const off: string[] = [];
    let count = 0;
    for (const [id, a, b, length] of db.prepare('SELECT id, from_node, to_node, length_meters FROM road_edge').raw().iterate() as IterableIterator<
      [number, number, number, number]
    >) {
      count += 1;
      const expected = haversineMeters(nodeLngLat[(a - 1) * 2]!, nodeLngLat[(a - 1) * 2 + 1]!, nodeLngLat[(b - 1) * 2]!, nodeLngLat[(b - 1) * 2 + 1]!);
      if (!(Math.abs(length - expected) <= 0.005 * expected)) off.push(`edge ${id}: ${length} m, endpoints ${expected.toFixed(2)} m apart`);
    }
    expect(count).toBeGreaterThan(0);
    expect(off.slice(0, 10), `${off.length} of ${count}`).toEqual([]);
  });

  it('has rivers and railways as barriers, inside Shenyang\'s bounding box', () => {
    const barriers = db.prepare('SELECT kind, city_code AS city, geojson FROM barrier').all() as { kind: string; city: string; geojson: string }[];
    expect(new Set(barriers.map((b) => b.kind))).toEqual(new Set(['river', 'railway']));
    const [shenyang] = store.adminUnits({ level: 'city', bbox: undefined, band: FULL_DETAIL_BAND }).filter((c) => c.code === CITY);
    const box = bboxOf(shenyang!.geometry.coordinates.flat(2));
    for (const barrier of barriers) {
      const geometry = JSON.parse(barrier.geojson) as { type: string; coordinates: number[][] };
      expect(barrier.city).toBe(CITY);
      expect(geometry.type).toBe('LineString');
      expect(geometry.coordinates.length).toBeGreaterThanOrEqual(2);
      expect(geometry.coordinates.every((p) => bboxContains(box, p))).toBe(true);
    }
    expect(store.health().counts.barriers).toBe(barriers.length);
  });

  it('has every road node inside an urban 街道 street polygon', () => {
    const outside: string[] = [];
    for (let i = 0; i < nodeLngLat.length / 2; i++) {
      const p = [nodeLngLat[i * 2]!, nodeLngLat[i * 2 + 1]!];
      if (!urbanStreets.some((street, k) => bboxContains(urbanBoxes[k]!, p) && pointInMultiPolygon(p, street.geometry))) outside.push(`node ${i + 1} at ${p}`);
    }
    expect(nodeLngLat.length / 2).toBeGreaterThan(50_000);
    expect(outside.slice(0, 10), `${outside.length} nodes outside`).toEqual([]);
  });

  it('puts a road node within 300 m of every facility located in an urban street of 2101', () => {
    // 0.005° cells: at 41–43° N a cell is at least 400 m wide, so the 3 × 3 cells around a facility
    // hold every node within 300 m and nearestMeters is exact up to there.
    const hash = new PointGridHash(nodeLngLat, 0.005);
    const urbanCodes = new Set(urbanStreets.map((s) => s.code));
    const facilities = (db.prepare('SELECT id, kind, community_code AS community, lng, lat FROM facility').all() as {
      id: number;
      kind: string;
      community: string;
      lng: number;
      lat: number;
    }[]).filter((f) => urbanCodes.has(f.community.slice(0, 9)));
    const far = facilities
      .map((f) => ({ f, meters: hash.nearestMeters(f.lng, f.lat) }))
      .filter(({ meters }) => meters > WALK_RADIUS_METERS)
      .map(({ f, meters }) => `${f.kind} ${f.id} in ${f.community}: ${meters.toFixed(0)} m`);
    expect(facilities.length).toBeGreaterThan(10_000);
    expect(far.slice(0, 10), `${far.length} of ${facilities.length} facilities`).toEqual([]);
  });
});

describe('the nearest-node oracle (hand-made cases)', () => {
  it('finds the nearest of three points and Infinity beyond its reach', () => {
    // 0.001° of latitude is 111.2 m on the mean sphere.
    const hash = new PointGridHash(Float64Array.from([123, 41, 123, 41.001, 123.01, 41]), 0.005);
    expect(hash.nearestMeters(123, 41.0004)).toBeCloseTo(44.48, 1);
    expect(hash.nearestMeters(123, 41.0009)).toBeCloseTo(11.12, 1);
    expect(hash.nearestMeters(123.1, 41)).toBe(Infinity);
    expect(haversineMeters(123, 41, 123, 41.001)).toBeCloseTo(111.195, 2);
  });
});
