// The planner's files read back by GDAL (`ogrinfo`, Debian gdal-bin; what QGIS opens them with): plan.export's
// GeoJSON, CSV and XLSX (the workspace table's CSV: test/client/plan-workspace-exports.test.ts). Each must
// open with the expected layer, feature count, fields and Chinese text, in the coordinates written.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../../server/routers/app';
import { createCallerFactory } from '../../../server/trpc';
import { openTestStore } from '../../support/store';
import { testContext } from '../../support/context';

const store = openTestStore();
const caller = createCallerFactory(appRouter)(testContext(store));
const dir = mkdtempSync(join(tmpdir(), 'plan-export-gdal-'));

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const request = { kind: 'health_station', maxMinutes: 15, within: '210103', candidates: 'grid-centroids', objective: 'mclp', newSites: 3 } as const;

/** ogrinfo's full listing of a file (all layers, all features). */
function ogrinfo(path: string, ...options: string[]): string {
  return execFileSync('ogrinfo', ['-ro', '-al', ...options, path], { encoding: 'utf8', env: { ...process.env, CPL_DEBUG: 'OFF' } });
}

const featureCount = (listing: string): number[] => [...listing.matchAll(/^Feature Count: (\d+)$/gm)].map((m) => Number(m[1]));

async function exported(format: 'geojson' | 'csv' | 'xlsx'): Promise<string> {
  const file = await caller.plan.export({ ...request, format });
  const path = join(dir, file.filename);
  writeFileSync(path, file.encoding === 'base64' ? Buffer.from(file.content, 'base64') : file.content);
  return path;
}

describe('plan exports open in GDAL', () => {
  it('GeoJSON: points in WGS 84 with the proposals and the existing facilities', async () => {
    const path = await exported('geojson');
    const summary = ogrinfo(path, '-so');
    expect(summary).toMatch(/Geometry: Point/);
    expect(summary).toMatch(/WGS 84|EPSG",?4326/);
    const listing = ogrinfo(path);
    expect(listing.match(/role \(String\) = proposal/g)).toHaveLength(3);
    expect(listing).toMatch(/role \(String\) = existing/);
    // Coordinates inside 沈河区 (Shenyang): about 123.4–123.5 E, 41.7–41.9 N.
    const points = [...listing.matchAll(/POINT \(([\d.]+) ([\d.]+)\)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(points.length).toBeGreaterThan(3);
    for (const [lng, lat] of points) {
      expect(lng).toBeGreaterThan(123.2);
      expect(lng).toBeLessThan(123.7);
      expect(lat).toBeGreaterThan(41.6);
      expect(lat).toBeLessThan(42);
    }
  });

  it('CSV: one feature per proposal, Chinese header, points from the lng/lat columns', async () => {
    const path = await exported('csv');
    const listing = ogrinfo(path, '-oo', 'X_POSSIBLE_NAMES=经度', '-oo', 'Y_POSSIBLE_NAMES=纬度', '-oo', 'AUTODETECT_TYPE=YES');
    expect(featureCount(listing)).toEqual([3]);
    expect(listing).toContain('新增覆盖人口');
    expect(listing.match(/POINT \(/g)).toHaveLength(3);
  });

  it('XLSX: a spreadsheet with the proposals sheet and the existing facilities', async () => {
    const path = await exported('xlsx');
    const summary = ogrinfo(path, '-so');
    const counts = featureCount(summary);
    // Two sheets: the proposals (3 rows) and the existing facilities (at least one).
    expect(counts).toHaveLength(2);
    expect(counts).toContain(3);
    expect(Math.max(...counts)).toBeGreaterThan(0);
    expect(ogrinfo(path)).toContain('新增覆盖人口');
  });
});
