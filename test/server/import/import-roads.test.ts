// Roads imports on a copy of the test database: the walking network exported as newline-delimited GeoJSON
// (one LineString per edge, with its class and length) re-imports to the same network and the same
// coverage rates; the shared Monaco OSM extract is read as PBF (its walkable ways, as osm-pbf-network.ts
// reads them) and refused because none of it lies inside the atlas, the database unchanged.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOsmPbfNetwork } from '../../../server/analysis/network/osm-pbf-network';
import { importLayer } from '../../../server/ingest/import/import-layer';
import { undoLastImport } from '../../../server/ingest/import/history';
import { createInlineRunner } from '../../../server/pool/job-runner';
import { SqliteStore } from '../../../server/store/sqlite-store';
import { TEST_NOW_MS } from '../../support/global-setup';
import { sharedPath } from '../../support/shared-data';
import { hashFile, openImportWorkspace, type ImportWorkspace } from './import-fixtures';

const MONACO_PBF = sharedPath('data', 'monaco', 'monaco-highways.osm.pbf');
let workspace: ImportWorkspace;

beforeAll(() => {
  workspace = openImportWorkspace('atlas-import-roads-');
});
afterAll(() => workspace.close());

interface NetworkSummary {
  nodes: number;
  edges: number;
  lengthMeters: number;
  byClass: Record<string, number>;
}

function networkSummary(databasePath: string): NetworkSummary {
  const db = new Database(databasePath, { readonly: true });
  try {
    const nodes = (db.prepare('SELECT count(*) AS n FROM road_node').get() as { n: number }).n;
    const { n: edges, length } = db.prepare('SELECT count(*) AS n, sum(length_meters) AS length FROM road_edge').get() as { n: number; length: number };
    const byClass = Object.fromEntries((db.prepare('SELECT class, count(*) AS n FROM road_edge GROUP BY class').all() as { class: string; n: number }[]).map((r) => [r.class, r.n]));
    return { nodes, edges, lengthMeters: Math.round(length), byClass };
  } finally {
    db.close();
  }
}

async function healthCoverage(databasePath: string) {
  const store = new SqliteStore(databasePath);
  try {
    return await createInlineRunner(store).run('coverage.rates', { kind: 'health_station', within: '2101', groupBy: 'street', maxMinutes: 15 }, { nowMs: TEST_NOW_MS });
  } finally {
    store.close();
  }
}

describe('roads import', () => {
  it('reads the Monaco OSM PBF and refuses it: no segment inside the atlas; the database unchanged', async () => {
    const before = hashFile(workspace.databasePath);
    const oracle = readOsmPbfNetwork(readFileSync(MONACO_PBF));
    const report = await importLayer({ databasePath: workspace.databasePath, layer: 'roads', filePath: MONACO_PBF });
    expect(report.format).toBe('osmpbf');
    expect(report.featuresRead).toBe(oracle.waysKept);
    expect(report.issues.find((issue) => issue.code === 'ways-not-walkable')?.message).toMatch(new RegExp(`^${oracle.waysDropped} highway ways`));
    expect(report.issues.find((issue) => issue.severity === 'error')?.message).toMatch(/no road segment lies inside the atlas \(\d+ read\)/);
    expect(report.committed).toBe(false);
    expect(hashFile(workspace.databasePath)).toBe(before);
  });

  it('re-imports the walking network from newline-delimited GeoJSON: same network, same coverage rates; undo restores it', async () => {
    const before = networkSummary(workspace.databasePath);
    const rates = await healthCoverage(workspace.databasePath);
    const db = new Database(workspace.databasePath, { readonly: true });
    const lines = (
      db
        .prepare(
          `SELECT e.class, e.length_meters, a.lng AS lng0, a.lat AS lat0, b.lng AS lng1, b.lat AS lat1
           FROM road_edge e JOIN road_node a ON a.id = e.from_node JOIN road_node b ON b.id = e.to_node ORDER BY e.id`,
        )
        .all() as { class: string; length_meters: number; lng0: number; lat0: number; lng1: number; lat1: number }[]
    ).map((e) =>
      JSON.stringify({ type: 'Feature', properties: { class: e.class, length_meters: e.length_meters }, geometry: { type: 'LineString', coordinates: [[e.lng0, e.lat0], [e.lng1, e.lat1]] } }),
    );
    db.close();
    const path = join(workspace.dir, 'roads.ndjson');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const report = await importLayer({ databasePath: workspace.databasePath, layer: 'roads', filePath: path });
    expect(report.issueCounts.error).toBe(0);
    expect(report.committed).toBe(true);
    expect(networkSummary(workspace.databasePath)).toEqual(before);
    expect(await healthCoverage(workspace.databasePath)).toEqual(rates);
    expect(undoLastImport(workspace.databasePath)?.layer).toBe('roads');
    expect(networkSummary(workspace.databasePath)).toEqual(before);
  }, 120_000);

  it('names a road feature that is not a line or has an unknown class', async () => {
    const path = join(workspace.dir, 'bad-roads.geojson');
    writeFileSync(
      path,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { class: 'local' }, geometry: { type: 'LineString', coordinates: [[123.4, 41.8], [123.401, 41.8]] } },
          { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [123.4, 41.8] } },
          { type: 'Feature', properties: { class: 'motorway' }, geometry: { type: 'LineString', coordinates: [[123.4, 41.8], [123.4, 41.801]] } },
          { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[123.4, 41.8], [123.4, 41.8]] } },
        ],
      }),
    );
    const report = await importLayer({ databasePath: workspace.databasePath, layer: 'roads', filePath: path, dryRun: true });
    expect(report.issues.filter((issue) => issue.severity === 'error').map((issue) => [issue.feature, issue.code])).toEqual([
      [2, 'invalid-geometry'],
      [3, 'wrong-type'],
      [4, 'invalid-geometry'],
    ]);
  });
});
