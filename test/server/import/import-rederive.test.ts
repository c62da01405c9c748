// Codes derived from geometry follow a units or grids import, on a copy of the test database: two
// communities of one county trade codes (their polygons swapped) and a third is left out of the file,
// so facilities and road edges take the new community and street, disputes are placed again as the
// store locates them (those the change can reach), rows outside every new unit keep theirs and are
// counted; undo restores every re-derived table byte-identically. A grid left out of a grids file sends
// its cases to the community.

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { MultiPolygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FULL_DETAIL_BAND } from '../../../server/domain/zoom-bands';
import { undoLastImport } from '../../../server/ingest/import/history';
import { importLayer } from '../../../server/ingest/import/import-layer';
import { SqliteDisputeStore } from '../../../server/store/sqlite-dispute-store';
import { exportGrids, openImportWorkspace, writeGeoJson, type ImportWorkspace } from './import-fixtures';

let workspace: ImportWorkspace;

beforeAll(() => {
  workspace = openImportWorkspace('atlas-import-rederive-');
});
afterAll(() => workspace.close());

function read<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(workspace.databasePath, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** SHA-256 of the rows of the tables whose codes an import re-derives. */
function hashDerivedTables(): string {
  const hash = createHash('sha256');
  const db = new Database(workspace.databasePath, { readonly: true });
  try {
    for (const table of ['facility', 'road_edge', 'dispute', 'grid']) {
      for (const row of db.prepare(`SELECT * FROM ${table} ORDER BY id`).raw().iterate() as Iterable<unknown[]>) hash.update(`${table}\t${JSON.stringify(row)}\n`);
    }
  } finally {
    db.close();
  }
  return hash.digest('hex');
}

/** Every dispute whose stored place differs from where the store locates it now (the oracle: a fresh read-only store). */
function misplacedDisputes(): number[] {
  const db = new Database(workspace.databasePath, { readonly: true });
  try {
    const store = new SqliteDisputeStore(db, false);
    const rows = db.prepare('SELECT id, grid_code, other_side_code, lng, lat FROM dispute').all() as { id: number; grid_code: string; other_side_code: string | null; lng: number; lat: number }[];
    return rows
      .filter((row) => {
        const place = store.locate([row.lng, row.lat]);
        return place !== null && (place.placeCode !== row.grid_code || place.otherSideCode !== row.other_side_code);
      })
      .map((row) => row.id);
  } finally {
    db.close();
  }
}

describe('codes derived from units and grids', () => {
  it('a units import re-derives facilities, road edges and disputes in its transaction; outside rows are kept and counted; undo restores them', async () => {
    // Two communities of one county in different streets, each with facilities and roads; a third left out.
    const [a, b, c] = read<{ code: string }>(
      `SELECT u.code FROM admin_unit u
       WHERE u.level = 'community' AND u.code LIKE '210112%'
         AND (SELECT count(*) FROM facility f WHERE f.community_code = u.code AND f.unit_code = u.code) >= 2
         AND EXISTS (SELECT 1 FROM grid g WHERE g.community_code = u.code)
       ORDER BY u.code`,
    )
      .map((row) => row.code)
      .filter((code, i, codes) => i === 0 || code.slice(0, 9) !== codes[0]!.slice(0, 9))
      .slice(0, 3);
    expect(c).toBeDefined();
    const communities = read<{ code: string; name: string; geojson: string }>(
      `SELECT u.code, u.name, g.geojson FROM admin_unit u JOIN admin_geometry g ON g.unit_id = u.id AND g.band = ${FULL_DETAIL_BAND}
       WHERE u.level = 'community' ORDER BY u.code`,
    );
    const geometryOf = new Map(communities.map((row) => [row.code, JSON.parse(row.geojson) as MultiPolygon]));
    const swapped = (code: string) => (code === a ? b! : code === b ? a! : code);
    const path = writeGeoJson(join(workspace.dir, 'communities-swapped.geojson'), {
      type: 'FeatureCollection',
      features: communities
        .filter((row) => row.code !== c)
        .map((row) => ({ type: 'Feature', properties: { code: swapped(row.code) }, geometry: geometryOf.get(row.code)! })),
    });
    const facilitiesIn = (code: string) => read<{ id: number; unit_code: string; community_code: string }>('SELECT id, unit_code, community_code FROM facility WHERE community_code = ? ORDER BY id', code);
    const [inA, inB, inC] = [facilitiesIn(a!), facilitiesIn(b!), facilitiesIn(c!)];
    const edgesOfA = read<{ id: number }>(
      `SELECT e.id FROM road_edge e JOIN road_node n ON n.id = e.from_node JOIN road_node m ON m.id = e.to_node
       WHERE e.street_code = ? ORDER BY e.id`,
      a!.slice(0, 9),
    );
    expect(edgesOfA.length).toBeGreaterThan(0);
    const gridsOfAB = read<{ n: number }>('SELECT count(*) AS n FROM grid WHERE community_code IN (?, ?)', a, b)[0]!.n;
    const before = hashDerivedTables();
    // The generator places a few cases on a grid's edge differently from the store; the import leaves them unless it moves them.
    const misplacedBefore = new Set(misplacedDisputes());

    const report = await importLayer({ databasePath: workspace.databasePath, layer: 'units', filePath: path });
    expect(report.issueCounts.error).toBe(0);
    expect(report.committed).toBe(true);

    // Facilities: those of a now sit in b and belong to it (their unit was their community), and back.
    expect(facilitiesIn(b!).map((f) => f.id)).toEqual(expect.arrayContaining(inA.map((f) => f.id)));
    for (const f of read<{ unit_code: string; community_code: string }>(`SELECT unit_code, community_code FROM facility WHERE id IN (${inA.map((f) => f.id).join(',')})`)) {
      expect(f).toEqual({ unit_code: b, community_code: b });
    }
    expect(facilitiesIn(a!).map((f) => f.id)).toEqual(expect.arrayContaining(inB.map((f) => f.id)));
    // The left-out community's facilities lie outside every new unit: kept, counted, warned about once.
    expect(facilitiesIn(c!)).toEqual(inC);
    expect(report.rederived?.facilities?.outside).toBeGreaterThanOrEqual(inC.length);
    expect(report.rederived?.facilities?.changed).toBeGreaterThanOrEqual(inA.length + inB.length);
    const outsideWarnings = report.issues.filter((issue) => issue.code === 'outside-new-units');
    expect(outsideWarnings.map((issue) => issue.message)).toContain(`${report.rederived!.facilities!.outside} facilities lie outside every new unit and keep their previous codes`);
    expect(outsideWarnings.every((issue) => issue.severity === 'warning' && issue.feature === 0)).toBe(true);

    // Road edges take the street of the community holding their midpoint: a's old edges now mostly b's street.
    const streetsOfOldA = read<{ street_code: string }>(`SELECT street_code FROM road_edge WHERE id IN (${edgesOfA.map((e) => e.id).join(',')})`).map((e) => e.street_code);
    expect(streetsOfOldA.filter((street) => street === b!.slice(0, 9)).length).toBeGreaterThan(0);
    expect(report.rederived?.roadEdges?.changed).toBeGreaterThan(0);

    // Disputes: each where the store locates it on the new units and street lines.
    expect(misplacedDisputes().filter((id) => !misplacedBefore.has(id))).toEqual([]);
    expect(report.rederived?.disputes.changed).toBeGreaterThan(0);
    // Grids keep their codes (the community is part of the code) and are counted.
    expect(report.rederived?.gridsOutsideCommunity).toBeGreaterThanOrEqual(gridsOfAB);
    expect(report.issuesByCode['grids-outside-community']).toBe(1);

    expect(undoLastImport(workspace.databasePath)?.layer).toBe('units');
    expect(hashDerivedTables()).toBe(before);
    expect(read("SELECT name FROM sqlite_master WHERE name GLOB 'import_backup_*'")).toEqual([]);
  }, 300_000);

  it('a grids import re-locates the disputes of a grid left out of the file in its community; undo restores them', async () => {
    const [dropped] = read<{ code: string }>(
      `SELECT g.code FROM grid g WHERE (SELECT count(*) FROM dispute d WHERE d.grid_code = g.code) >= 3
         AND (SELECT count(*) FROM grid h WHERE h.community_code = g.community_code) >= 2 ORDER BY g.code LIMIT 1`,
    ).map((row) => row.code);
    expect(dropped).toBeDefined();
    const cases = read<{ id: number }>('SELECT id FROM dispute WHERE grid_code = ? ORDER BY id', dropped).map((row) => row.id);
    const grids = exportGrids(workspace.databasePath);
    const path = writeGeoJson(join(workspace.dir, 'grids-less-one.geojson'), { ...grids, features: grids.features.filter((f) => f.properties!.code !== dropped) });
    const before = hashDerivedTables();
    const misplacedBefore = new Set(misplacedDisputes());

    const report = await importLayer({ databasePath: workspace.databasePath, layer: 'grids', filePath: path });
    expect(report.issueCounts.error).toBe(0);
    expect(report.committed).toBe(true);
    const places = read<{ grid_code: string }>(`SELECT grid_code FROM dispute WHERE id IN (${cases.join(',')})`).map((row) => row.grid_code);
    expect(places).toEqual(cases.map(() => dropped!.slice(0, 12)));
    expect(read('SELECT count(*) AS n FROM dispute WHERE grid_code = ?', dropped)).toEqual([{ n: 0 }]);
    expect(report.rederived?.disputes.changed).toBeGreaterThanOrEqual(cases.length);
    expect(misplacedDisputes().filter((id) => !misplacedBefore.has(id))).toEqual([]);

    expect(undoLastImport(workspace.databasePath)?.layer).toBe('grids');
    expect(hashDerivedTables()).toBe(before);
  }, 300_000);
});
