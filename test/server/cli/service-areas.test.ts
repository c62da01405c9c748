// The `service-areas` CLI: on the real Monaco extract every vertex `reach` finds within the limit lies
// inside its origin's polygon; dissolving; a barrier file the buffer must not cross; the straight-line
// disc for an origin off the network; input errors.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { run as runReach } from '../../../server/cli/reach';
import { run as runServiceAreas, type ServiceAreaFeatureProperties } from '../../../server/cli/service-areas';
import { createLocalProjection } from '../../../server/analysis/geo/local-projection';
import { insideMultiPolygon } from '../analysis/coverage/coverage-helpers';
import { readCsv, sharedPath } from '../analysis/network/network-helpers';

const dir = mkdtempSync(join(tmpdir(), 'atlas-service-areas-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Areas = FeatureCollection<MultiPolygon, ServiceAreaFeatureProperties> & { parameters: Record<string, unknown> };

async function quietly<T>(call: () => Promise<T>): Promise<T> {
  const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    return await call();
  } finally {
    error.mockRestore();
  }
}

async function serviceAreas(args: string[]): Promise<Areas> {
  const out = join(dir, `areas-${Math.random().toString(36).slice(2)}.geojson`);
  expect(await quietly(() => runServiceAreas([...args, '--out', out]))).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8')) as Areas;
}

const pbf = sharedPath('data', 'monaco', 'monaco-highways.osm.pbf');
const pois = JSON.parse(readFileSync(sharedPath('data', 'monaco', 'monaco-pois.geojson'), 'utf8')) as FeatureCollection;
const origins = join(dir, 'pois.geojson');
writeFileSync(origins, JSON.stringify({ ...pois, features: pois.features.slice(0, 8) }));

describe('service-areas on the Monaco extract', () => {
  it('holds every vertex reach finds within the limit, for each origin', async () => {
    const areas = await serviceAreas(['--network', pbf, '--origins', origins, '--max-minutes', '10']);
    expect(areas.features).toHaveLength(8);
    expect(areas.parameters).toMatchObject({ buffer_meters: 50, detour_factor: 1.3, snap: 'edge' });
    const reachOut = join(dir, 'reach.csv');
    expect(await quietly(() => runReach(['--network', pbf, '--origins', origins, '--max-minutes', '10', '--out', reachOut]))).toBe(0);
    const rows = readCsv(reachOut);
    expect(rows.length).toBeGreaterThan(500);
    for (const feature of areas.features) {
      expect(feature.properties.method).toBe('network');
      expect(feature.properties.max_meters).toBeCloseTo(666.667, 3);
      expect(feature.properties.area_m2).toBeGreaterThan(10_000);
      const mine = rows.filter((row) => row.origin_id === feature.properties.origin_id);
      expect(mine.length).toBeGreaterThan(0);
      for (const row of mine) {
        expect(insideMultiPolygon(feature.geometry.coordinates, Number(row.node_lon), Number(row.node_lat)), `${row.origin_id} ${row.node_lon},${row.node_lat}`).toBe(true);
      }
      // Coordinates are rounded to 6 decimals.
      for (const [lng, lat] of feature.geometry.coordinates[0]![0]!) {
        expect(Math.round(lng! * 1e6) / 1e6).toBe(lng);
        expect(Math.round(lat! * 1e6) / 1e6).toBe(lat);
      }
    }
  });

  it('dissolves all origins into one network polygon', async () => {
    const single = await serviceAreas(['--network', pbf, '--origins', origins, '--max-meters', '400']);
    const dissolved = await serviceAreas(['--network', pbf, '--origins', origins, '--max-meters', '400', '--dissolve']);
    expect(dissolved.features).toHaveLength(1);
    expect(dissolved.features[0]!.properties).toMatchObject({ origin_id: null, method: 'network', origins: 8 });
    const largest = Math.max(...single.features.map((f) => f.properties.area_m2!));
    const sum = single.features.reduce((total, f) => total + f.properties.area_m2!, 0);
    expect(dissolved.features[0]!.properties.area_m2).toBeGreaterThanOrEqual(largest * 0.99);
    expect(dissolved.features[0]!.properties.area_m2).toBeLessThanOrEqual(sum * 1.01);
  });
});

describe('service-areas on a small drawn network', () => {
  const projection = createLocalProjection(123.4, 41.8);
  const at = (x: number, y: number) => projection.toLngLat([x, y]);
  // A street along y = 0 and a railway 25 m north of it.
  const network = join(dir, 'street.geojson');
  writeFileSync(network, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [at(0, 0), at(800, 0)] } }] }));
  const barriers = join(dir, 'railway.geojson');
  writeFileSync(barriers, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { kind: 'railway' }, geometry: { type: 'LineString', coordinates: [at(-200, 25), at(1000, 25)] } }] }));
  const points = join(dir, 'points.csv');
  writeFileSync(points, `id,lon,lat\non,${at(400, 5).join(',')}\noff,${at(400, 2000).join(',')}\n`);

  it('stops the buffer at a barrier and draws a labelled disc for an origin off the network', async () => {
    const open = await serviceAreas(['--network', network, '--origins', points, '--max-meters', '200']);
    const blocked = await serviceAreas(['--network', network, '--origins', points, '--max-meters', '200', '--barriers', barriers]);
    const north = at(400, 40);
    expect(insideMultiPolygon(open.features[0]!.geometry.coordinates, north[0], north[1])).toBe(true);
    expect(insideMultiPolygon(blocked.features[0]!.geometry.coordinates, north[0], north[1])).toBe(false);
    const south = at(400, -40);
    expect(insideMultiPolygon(blocked.features[0]!.geometry.coordinates, south[0], south[1])).toBe(true);
    expect(blocked.parameters.barriers).toBe(1);
    const disc = blocked.features[1]!;
    expect(disc.properties).toMatchObject({ origin_id: 'off', method: 'straight-line', buffer_meters: null });
    // Radius 200 / 1.3 ≈ 154 m about the origin.
    const edge = at(400, 2150);
    const beyond = at(400, 2160);
    expect(insideMultiPolygon(disc.geometry.coordinates, edge[0], edge[1])).toBe(true);
    expect(insideMultiPolygon(disc.geometry.coordinates, beyond[0], beyond[1])).toBe(false);
  });

  it('refuses a raster cell too coarse for the buffer', async () => {
    await expect(
      runServiceAreas(['--network', network, '--origins', points, '--max-meters', '200', '--cell-meters', '40', '--out', join(dir, 'x.geojson')]),
    ).rejects.toThrow(/--cell-meters must be at most --buffer-meters/);
    await expect(
      runServiceAreas(['--network', network, '--origins', points, '--max-meters', '200', '--detour-factor', '0.5', '--out', join(dir, 'x.geojson')]),
    ).rejects.toThrow(/--detour-factor must be ≥ 1/);
  });
});
