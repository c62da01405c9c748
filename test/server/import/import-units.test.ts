// Units imports on a copy of the test database: Shenyang's community polygons exported as GeoJSON and
// re-imported rebuild the same community and street geometry (streets dissolved from communities over
// one topology), the same street boundary lines with their agreement records, and undo restores them.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { area as turfArea } from '@turf/turf';
import Database from 'better-sqlite3';
import type { MultiPolygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FULL_DETAIL_BAND } from '../../../server/domain/zoom-bands';
import { undoLastImport } from '../../../server/ingest/import/history';
import { importLayer } from '../../../server/ingest/import/import-layer';
import { hashFile, openImportWorkspace, type ImportWorkspace } from './import-fixtures';

let workspace: ImportWorkspace;

beforeAll(() => {
  workspace = openImportWorkspace('atlas-import-units-');
});
afterAll(() => workspace.close());

function read<T>(sql: string): T[] {
  const db = new Database(workspace.databasePath, { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

const geometryOf = (level: string) =>
  read<{ code: string; geojson: string; label_lng: number; label_lat: number }>(
    `SELECT u.code, g.geojson, u.label_lng, u.label_lat FROM admin_unit u JOIN admin_geometry g ON g.unit_id = u.id AND g.band = ${FULL_DETAIL_BAND}
     WHERE u.level = '${level}' ORDER BY u.code`,
  );
const streetLines = () =>
  read('SELECT line_id, left_code, right_code, length_meters, agreement_signed, joint_mediation, last_joint_patrol FROM boundary_line WHERE level = \'street\' ORDER BY line_id');

/**
 * A unit's outline independent of how its rings are cut and where they start: its vertices (sorted,
 * distinct) and its area (m², 1 decimal). Holes touching at a vertex may be one ring or two.
 */
function normalisedRings(row: { code: string; geojson: string }): [string, string[], number] {
  const geometry = JSON.parse(row.geojson) as MultiPolygon;
  const vertices = new Set(geometry.coordinates.flat(2).map((p) => `${p[0]},${p[1]}`));
  return [row.code, [...vertices].sort(), Math.round(turfArea(geometry) * 10) / 10];
}

describe('units import', () => {
  it('re-imports the community polygons: the same communities, streets and street boundary lines; undo restores them', async () => {
    const communities = geometryOf('community');
    const streets = geometryOf('street');
    const lines = streetLines();
    expect(lines.length).toBeGreaterThan(50);
    const names = new Map(read<{ code: string; name: string }>("SELECT code, name FROM admin_unit WHERE level = 'community'").map((r) => [r.code, r.name]));
    const path = join(workspace.dir, 'communities.geojson');
    writeFileSync(
      path,
      JSON.stringify({
        type: 'FeatureCollection',
        features: communities.map((c) => ({ type: 'Feature', properties: { code: c.code, name: names.get(c.code) }, geometry: JSON.parse(c.geojson) as unknown })),
      }),
    );
    const report = await importLayer({ databasePath: workspace.databasePath, layer: 'units', filePath: path });
    expect(report.issueCounts.error).toBe(0);
    expect(report.committed).toBe(true);
    const geometry = (rows: { code: string; geojson: string }[]) => rows.map((r) => [r.code, r.geojson]);
    expect(geometry(geometryOf('community'))).toEqual(geometry(communities));
    // Streets dissolved from the communities: the same outline, its rings possibly cut or started elsewhere.
    expect(geometryOf('street').map(normalisedRings)).toEqual(streets.map(normalisedRings));
    expect(streetLines()).toEqual(lines);
    const afterImport = hashFile(workspace.databasePath);
    expect(undoLastImport(workspace.databasePath)?.layer).toBe('units');
    expect(hashFile(workspace.databasePath)).not.toBe(afterImport);
    expect(geometryOf('street')).toEqual(streets);
    expect(streetLines()).toEqual(lines);
  }, 120_000);

  it('names communities not in the hierarchy, outside their county, and repeated; street polygons are left out with a warning', async () => {
    const [first, second] = geometryOf('community');
    const far = read<{ code: string }>("SELECT code FROM admin_unit WHERE level = 'community' AND code NOT LIKE '2101%' LIMIT 1")[0]!.code;
    const feature = (code: string, geojson: string) => ({ type: 'Feature', properties: { code }, geometry: JSON.parse(geojson) as unknown });
    const path = join(workspace.dir, 'bad-units.geojson');
    writeFileSync(
      path,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [feature(first!.code, first!.geojson), feature('999999999999', second!.geojson), feature(far, second!.geojson), feature(first!.code, first!.geojson), feature(first!.code.slice(0, 9), first!.geojson)],
      }),
    );
    const report = await importLayer({ databasePath: workspace.databasePath, layer: 'units', filePath: path, dryRun: true });
    expect(report.issues.filter((i) => i.severity !== 'repaired').map((i) => [i.feature, i.severity, i.code])).toEqual([
      [2, 'error', 'unknown-code'],
      [3, 'error', 'outside-parent'],
      [5, 'warning', 'street-dissolved'],
      [4, 'error', 'duplicate'],
    ]);
  });
});
