// Population imports on a copy of the test database: the demand points exported as CSV (lng,lat,population)
// re-import into the same grids with the same coverage rates; each grid's population becomes the sum of its
// points; points outside every grid and bad counts are named by row; undo restores grids and points.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { undoLastImport } from '../../../server/ingest/import/history';
import { importLayer } from '../../../server/ingest/import/import-layer';
import { createInlineRunner } from '../../../server/pool/job-runner';
import { SqliteStore } from '../../../server/store/sqlite-store';
import { TEST_NOW_MS } from '../../support/global-setup';
import { openImportWorkspace, toCsv, type ImportWorkspace } from './import-fixtures';

let workspace: ImportWorkspace;

beforeAll(() => {
  workspace = openImportWorkspace('atlas-import-population-');
});
afterAll(() => workspace.close());

function read<T>(databasePath: string, sql: string): T[] {
  const db = new Database(databasePath, { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

async function coverage(databasePath: string) {
  const store = new SqliteStore(databasePath);
  try {
    return await createInlineRunner(store).run('coverage.rates', { kind: 'elder_day_care', within: '2101', groupBy: 'street', maxMinutes: 15 }, { nowMs: TEST_NOW_MS });
  } finally {
    store.close();
  }
}

describe('population import', () => {
  it('names rows outside every grid and with bad counts, and writes nothing', async () => {
    const path = join(workspace.dir, 'bad.csv');
    const [point] = read<{ lng: number; lat: number }>(workspace.databasePath, 'SELECT lng, lat FROM demand_point LIMIT 1');
    writeFileSync(path, toCsv(['lng', 'lat', 'population'], [[point!.lng, point!.lat, 120], [100, 10, 5], [point!.lng, point!.lat, 'many'], [point!.lng, point!.lat, 0]]));
    const report = await importLayer({ databasePath: workspace.databasePath, layer: 'population', filePath: path });
    expect(report.issues.filter((i) => i.severity === 'error').map((i) => [i.feature, i.code])).toEqual([
      [2, 'outside-parent'],
      [3, 'wrong-type'],
      [4, 'wrong-type'],
    ]);
    expect(report.committed).toBe(false);
  });

  it('re-imports the demand points from CSV into the same grids, with the same coverage rates; undo restores them', async () => {
    const points = read<{ lng: number; lat: number; population: number }>(workspace.databasePath, 'SELECT lng, lat, population FROM demand_point ORDER BY id');
    const grids = read<{ code: string; population: number }>(workspace.databasePath, 'SELECT code, population FROM grid ORDER BY id');
    const pointGrids = read<{ code: string }>(workspace.databasePath, 'SELECT g.code FROM demand_point d JOIN grid g ON g.id = d.grid_id ORDER BY d.id');
    const before = await coverage(workspace.databasePath);
    const path = join(workspace.dir, 'population.csv');
    writeFileSync(path, toCsv(['lng', 'lat', 'population'], points.map((p) => [p.lng, p.lat, p.population])));
    const report = await importLayer({ databasePath: workspace.databasePath, layer: 'population', filePath: path });
    expect(report.issueCounts.error).toBe(0);
    expect(report.committed).toBe(true);
    expect(read<{ code: string }>(workspace.databasePath, 'SELECT g.code FROM demand_point d JOIN grid g ON g.id = d.grid_id ORDER BY d.id')).toEqual(pointGrids);
    expect(read(workspace.databasePath, 'SELECT code, population FROM grid ORDER BY id')).toEqual(grids);
    expect(await coverage(workspace.databasePath)).toEqual(before);
    expect(undoLastImport(workspace.databasePath)?.layer).toBe('population');
    expect(read(workspace.databasePath, 'SELECT code, population FROM grid ORDER BY id')).toEqual(grids);
  }, 120_000);
});
