// Grid imports on a copy of the test database, from files ogr2ogr wrote out of the database's own grids:
// Shenyang's grids as a GBK Shapefile in EPSG:4549 re-imported give the same coverage rates; GBK without
// a .cpg is detected; a GeoPackage shifted to GCJ-02 imports within 1 m with --crs gcj02; geometry is
// repaired where safe and rejected where edges cross; overlaps and gaps are located with their areas.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import gcoord from 'gcoord';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCrsOption } from '../../../server/ingest/import/crs';
import { importLayer } from '../../../server/ingest/import/import-layer';
import { createInlineRunner } from '../../../server/pool/job-runner';
import { SqliteStore } from '../../../server/store/sqlite-store';
import { TEST_NOW_MS } from '../../support/global-setup';
import { distanceMeters, exportGrids, hashFile, mapCollection, ogr2ogr, openImportWorkspace, writeGeoJson, writeShapefileZip, type ImportWorkspace } from './import-fixtures';

let workspace: ImportWorkspace;
let grids: FeatureCollection<MultiPolygon>;
let geojsonPath: string;

beforeAll(() => {
  workspace = openImportWorkspace('atlas-import-grids-');
  grids = exportGrids(workspace.databasePath);
  geojsonPath = writeGeoJson(join(workspace.dir, 'grids.geojson'), grids);
});
afterAll(() => workspace.close());

async function coverageRates(databasePath: string) {
  const store = new SqliteStore(databasePath);
  try {
    const runner = createInlineRunner(store);
    const request = { within: '2101', groupBy: 'street' as const, maxMinutes: 15 };
    const [stations, stores] = await Promise.all([
      runner.run('coverage.rates', { ...request, kind: 'health_station' }, { nowMs: TEST_NOW_MS }),
      runner.run('coverage.rates', { ...request, kind: 'convenience_store' }, { nowMs: TEST_NOW_MS }),
    ]);
    return { stations, stores };
  } finally {
    store.close();
  }
}

/** The grids of one community, as a small collection for the checks that need no whole layer. */
function oneCommunity(collection: FeatureCollection<MultiPolygon>): FeatureCollection<MultiPolygon> {
  const community = collection.features.find((feature) => collection.features.filter((f) => f.properties!.community_code === feature.properties!.community_code).length >= 3)!
    .properties!.community_code;
  return { type: 'FeatureCollection', features: collection.features.filter((feature) => feature.properties!.community_code === community) };
}

describe('grid import', () => {
  it('reads a GBK Shapefile without .cpg by detecting the encoding', async () => {
    const path = writeShapefileZip(workspace.dir, 'grids-gbk-nocpg', geojsonPath, { encoding: 'GBK', dropCpg: true });
    const report = await importLayer({ databasePath: workspace.databasePath, layer: 'grids', filePath: path, dryRun: true });
    expect(report.fileError).toBeNull();
    expect(report.encoding).toEqual({ name: 'gb18030', source: 'detected' });
    expect(report.issueCounts.error).toBe(0);
    expect(report.accepted).toBe(grids.features.length);
  }, 120_000);

  it('imports a GeoPackage shifted to GCJ-02 with --crs gcj02 within 1 m, and warns when it is declared WGS84', async () => {
    const small = oneCommunity(grids);
    const shifted = mapCollection(small, (p) => gcoord.transform([p[0]!, p[1]!] as [number, number], gcoord.WGS84, gcoord.GCJ02));
    const source = writeGeoJson(join(workspace.dir, 'small-gcj02.geojson'), shifted);
    const gpkg = join(workspace.dir, 'small-gcj02.gpkg');
    ogr2ogr(['-f', 'GPKG', gpkg, source, '-nln', 'grids']);
    const declaredWgs = await importLayer({ databasePath: workspace.databasePath, layer: 'grids', filePath: gpkg, dryRun: true });
    expect(declaredWgs.format).toBe('geopackage');
    expect(declaredWgs.shiftCheck).toMatchObject({ shifted: true, best: 'GCJ02' });
    const report = await importLayer({ databasePath: workspace.databasePath, layer: 'grids', filePath: gpkg, crs: parseCrsOption('gcj02'), dryRun: true });
    expect(report.issueCounts.error).toBe(0);
    expect(report.shiftCheck?.shifted).toBe(false);
    expect(report.accepted).toBe(small.features.length);
    // Each vertex back within 1 m of the original.
    const back = mapCollection(shifted, (p) => gcoord.transform([p[0]!, p[1]!] as [number, number], gcoord.GCJ02, gcoord.WGS84));
    back.features.forEach((feature, f) => {
      const original = small.features[f]!.geometry.coordinates[0]![0]!;
      feature.geometry.coordinates[0]![0]!.forEach((p, i) => expect(distanceMeters(p, original[i]!)).toBeLessThan(1));
    });
  });

  it('repairs orientation and duplicate vertices, splits a self-touching ring, rejects crossing edges naming the feature', async () => {
    const small = oneCommunity(grids);
    const features = small.features.map((feature) => structuredClone(feature));
    const ring = features[0]!.geometry.coordinates[0]![0]!;
    features[0]!.geometry.coordinates[0]![0] = [...ring].reverse().flatMap((p, i) => (i === 1 ? [p, p] : [p]));
    // A bow tie over the grid's own corners: two edges cross.
    const xs = features[1]!.geometry.coordinates[0]![0]!.map((p) => p[0]!);
    const ys = features[1]!.geometry.coordinates[0]![0]!.map((p) => p[1]!);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    features[1]!.geometry.coordinates = [[[[x0, y0], [x1, y1], [x1, y0], [x0, y1], [x0, y0]]]];
    const path = writeGeoJson(join(workspace.dir, 'repairs.geojson'), { type: 'FeatureCollection', features });
    const report = await importLayer({ databasePath: workspace.databasePath, layer: 'grids', filePath: path, dryRun: true });
    const repairs = report.issues.filter((issue) => issue.feature === 1).map((issue) => issue.message);
    expect(repairs).toEqual(expect.arrayContaining(['duplicate vertices removed', 'ring orientation corrected']));
    expect(report.issues.find((issue) => issue.feature === 2)).toMatchObject({ severity: 'error', code: 'invalid-geometry', message: expect.stringMatching(/self-intersecting/) });
    expect(report.rejected).toBe(1);
  });

  it('locates overlaps and gaps inside a community with their areas', async () => {
    const small = oneCommunity(grids);
    // The first grid grows over the second (their union), and the third is dropped: a gap.
    const [first, second, , ...rest] = small.features;
    const grown = structuredClone(first!);
    grown.geometry = { type: 'MultiPolygon', coordinates: [...first!.geometry.coordinates, ...second!.geometry.coordinates] };
    const path = writeGeoJson(join(workspace.dir, 'tiling.geojson'), { type: 'FeatureCollection', features: [grown, second!, ...rest] });
    const report = await importLayer({ databasePath: workspace.databasePath, layer: 'grids', filePath: path, dryRun: true });
    const overlap = report.issues.find((issue) => issue.code === 'grid-overlap');
    expect(overlap).toMatchObject({ severity: 'warning', feature: 2 });
    expect(overlap!.areaM2).toBeGreaterThan(100);
    expect(overlap!.lngLat).toHaveLength(2);
    const gap = report.issues.find((issue) => issue.code === 'grid-gap');
    expect(gap?.areaM2).toBeGreaterThan(100);
    expect(gap?.lngLat).toHaveLength(2);
    expect(report.issueCounts.error).toBe(0);
  });

  it("round-trips Shenyang's grids through a GBK Shapefile in EPSG:4549 with the same coverage rates", async () => {
    const before = await coverageRates(workspace.databasePath);
    const path = writeShapefileZip(workspace.dir, 'grids-4549', geojsonPath, { targetSrs: 'EPSG:4549', encoding: 'GBK' });
    const dbHash = hashFile(workspace.databasePath);
    const report = await importLayer({ databasePath: workspace.databasePath, layer: 'grids', filePath: path });
    expect(report.fileError).toBeNull();
    expect(report.crs).toEqual({ used: expect.stringMatching(/CM 120E/), source: 'file' });
    expect(report.encoding).toEqual({ name: 'gbk', source: 'cpg' });
    expect(report.issueCounts.error).toBe(0);
    expect(report.committed).toBe(true);
    expect(hashFile(workspace.databasePath)).not.toBe(dbHash);
    const imported = exportGrids(workspace.databasePath);
    expect(imported.features.map((f) => [f.properties!.code, f.properties!.name, f.properties!.population])).toEqual(
      grids.features.map((f) => [f.properties!.code, f.properties!.name, f.properties!.population]),
    );
    const after = await coverageRates(workspace.databasePath);
    expect(after).toEqual(before);
    expect(before.stations.length).toBeGreaterThan(10);
  }, 120_000);

  it('refuses a layer it cannot import, by name', async () => {
    const path = join(workspace.dir, 'spaceships.geojson');
    writeFileSync(path, JSON.stringify(grids));
    await expect(importLayer({ databasePath: workspace.databasePath, layer: 'spaceships' as never, filePath: path })).rejects.toThrow(/spaceships layer cannot be imported yet/);
  });
});
