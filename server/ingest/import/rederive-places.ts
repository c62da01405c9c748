// Codes derived from geometry, re-derived inside an import's transaction once the units or grids they
// key on were replaced: facilities' community (point in the new community polygons), road edges' street
// (their midpoint's community), disputes' place and street across (the dispute store's own locate, for
// the cases the change can reach: not in an unchanged grid, or within reach of a changed street line).
// The columns are backed up first, so undo puts back exactly what the import changed.

import type Database from 'better-sqlite3';
import Flatbush from 'flatbush';
import type { Position } from 'geojson';
import { createPointInPolygonIndex, type PointInPolygonIndex } from '../../analysis/geo/point-in-polygon-index';
import { GRID_CODE_LENGTH } from '../../domain/admin-codes';
import { FULL_DETAIL_BAND } from '../../domain/zoom-bands';
import { OTHER_SIDE_REACH_METERS } from '../../store/dispute-store';
import { SqliteDisputeStore } from '../../store/sqlite-dispute-store';
import type { ImportLayer } from './import-types';

/** Columns of a table derived from the geometry of another layer, by row id. */
export interface DerivedColumns {
  table: string;
  columns: readonly string[];
}

/** What an import of a layer invalidates in other layers' tables (re-derived in its transaction, restored by undo). */
export const DERIVED_COLUMNS: Partial<Record<ImportLayer, readonly DerivedColumns[]>> = {
  units: [
    { table: 'facility', columns: ['unit_code', 'community_code'] },
    { table: 'road_edge', columns: ['street_code'] },
    { table: 'dispute', columns: ['grid_code', 'other_side_code'] },
  ],
  grids: [{ table: 'dispute', columns: ['grid_code', 'other_side_code'] }],
};

/** The name of the backup of a table's derived columns. */
export const derivedBackupName = (backupOf: (table: string) => string, table: string): string => backupOf(`${table}_derived`);

/** Copies the derived columns (with the row id) of each table the layer invalidates. */
export function backupDerivedColumns(db: Database.Database, layer: string, backupOf: (table: string) => string): void {
  for (const { table, columns } of DERIVED_COLUMNS[layer as ImportLayer] ?? []) {
    db.exec(`CREATE TABLE ${derivedBackupName(backupOf, table)} AS SELECT id, ${columns.join(', ')} FROM ${table}`);
  }
}

/**
 * Puts the backed-up derived columns back (rows added since keep theirs) and drops the backups; a
 * backup that is missing (an import made before backups of derived columns) is skipped.
 */
export function restoreDerivedColumns(db: Database.Database, layer: string, backupOf: (table: string) => string): void {
  for (const { table, columns } of DERIVED_COLUMNS[layer as ImportLayer] ?? []) {
    const backup = derivedBackupName(backupOf, table);
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(backup) === undefined) continue;
    db.exec(`UPDATE ${table} SET ${columns.map((column) => `${column} = b.${column}`).join(', ')} FROM ${backup} b WHERE b.id = ${table}.id`);
    db.exec(`DROP TABLE ${backup}`);
  }
}

/** Per table, rows whose derived codes changed, kept (unchanged) and kept because no new unit holds them. */
export interface RederivedCounts {
  changed: number;
  unchanged: number;
  outside: number;
}

export interface RederiveSummary {
  facilities?: RederivedCounts;
  roadEdges?: RederivedCounts;
  disputes: RederivedCounts;
  /** Units import: grids whose label point no longer lies in their community (their code names it, so it is kept). */
  gridsOutsideCommunity?: number;
}

/** The community holding a point among the new community polygons (bbox index, then point in polygon). */
export interface CommunityLocator {
  locate(lng: number, lat: number): string | null;
}

export function createCommunityLocator(communities: readonly { code: string; coordinates: Position[][][] }[]): CommunityLocator {
  const indexes: (PointInPolygonIndex | null)[] = communities.map(() => null);
  const boxes = new Flatbush(Math.max(1, communities.length));
  const shapeOf = (i: number) => (indexes[i] ??= createPointInPolygonIndex(communities[i]!.coordinates));
  for (let i = 0; i < communities.length; i++) {
    const [minX, minY, maxX, maxY] = shapeOf(i).bbox;
    boxes.add(minX, minY, maxX, maxY);
  }
  if (communities.length === 0) boxes.add(0, 0, 0, 0);
  boxes.finish();
  return {
    locate(lng, lat) {
      for (const i of boxes.search(lng, lat, lng, lat)) {
        if (i < communities.length && shapeOf(i).contains(lng, lat)) return communities[i]!.code;
      }
      return null;
    },
  };
}

const emptyCounts = (): RederivedCounts => ({ changed: 0, unchanged: 0, outside: 0 });

/** Facilities' community (and their unit where it was that community) from the new polygons. */
function rederiveFacilities(db: Database.Database, locator: CommunityLocator): RederivedCounts {
  const counts = emptyCounts();
  const update = db.prepare('UPDATE facility SET unit_code = ?, community_code = ? WHERE id = ?');
  const rows = db.prepare('SELECT id, unit_code, community_code, lng, lat FROM facility').all() as { id: number; unit_code: string; community_code: string; lng: number; lat: number }[];
  for (const row of rows) {
    const community = locator.locate(row.lng, row.lat);
    if (community === null) counts.outside += 1;
    else if (community === row.community_code) counts.unchanged += 1;
    else {
      // A facility of a county or street keeps its unit; one of a community moves with its place.
      update.run(row.unit_code === row.community_code ? community : row.unit_code, community, row.id);
      counts.changed += 1;
    }
  }
  return counts;
}

/** Road edges' street: the street of the community holding the edge's midpoint. */
function rederiveRoadEdges(db: Database.Database, locator: CommunityLocator): RederivedCounts {
  const counts = emptyCounts();
  const update = db.prepare('UPDATE road_edge SET street_code = ? WHERE id = ?');
  const rows = db
    .prepare(
      `SELECT e.id, e.street_code, (a.lng + b.lng) / 2 AS lng, (a.lat + b.lat) / 2 AS lat
       FROM road_edge e JOIN road_node a ON a.id = e.from_node JOIN road_node b ON b.id = e.to_node`,
    )
    .raw()
    .all() as [number, string, number, number][];
  for (const [id, streetCode, lng, lat] of rows) {
    const community = locator.locate(lng, lat);
    if (community === null) counts.outside += 1;
    else if (community.slice(0, 9) === streetCode) counts.unchanged += 1;
    else {
      update.run(community.slice(0, 9), id);
      counts.changed += 1;
    }
  }
  return counts;
}

/** Disputes' place and street across, located by the store on the transaction's own connection (those `keeps` says the change cannot reach are kept). */
function rederiveDisputes(db: Database.Database, keeps: (gridCode: string, lng: number, lat: number) => boolean): RederivedCounts {
  const counts = emptyCounts();
  const store = new SqliteDisputeStore(db, false);
  const update = db.prepare('UPDATE dispute SET grid_code = ?, other_side_code = ? WHERE id = ?');
  // In place order, so the store's polygon caches serve neighbours.
  const rows = db.prepare('SELECT id, grid_code, other_side_code, lng, lat FROM dispute ORDER BY grid_code').raw().all() as [number, string, string | null, number, number][];
  for (const [id, gridCode, otherSideCode, lng, lat] of rows) {
    if (keeps(gridCode, lng, lat)) {
      counts.unchanged += 1;
      continue;
    }
    const place = store.locate([lng, lat]);
    if (place === null) counts.outside += 1;
    else if (place.placeCode === gridCode && place.otherSideCode === otherSideCode) counts.unchanged += 1;
    else {
      update.run(place.placeCode, place.otherSideCode, id);
      counts.changed += 1;
    }
  }
  return counts;
}

/** Grids whose label point lies outside their community's new polygon (communities in the file only). */
function countGridsOutsideCommunity(db: Database.Database, locator: CommunityLocator, communityCodes: ReadonlySet<string>): number {
  let outside = 0;
  for (const [code, lng, lat] of db.prepare('SELECT community_code, label_lng, label_lat FROM grid').raw().iterate() as Iterable<[string, number, number]>) {
    if (communityCodes.has(code) && locator.locate(lng, lat) !== code) outside += 1;
  }
  return outside;
}

const METERS_PER_DEGREE = 111_320;

/**
 * Boxes of the street lines (full detail, two sides) that differ between `backupOf`'s copy of the line
 * tables and the new ones — added, removed or moved — widened by the street-across reach (10 % margin;
 * longitude degrees shrink with the cosine of the latitude).
 */
function changedStreetLineZones(db: Database.Database, backupOf: (table: string) => string): Flatbush | null {
  type Line = [lineId: string, left: string, right: string, geojson: string, minLng: number, maxLng: number, minLat: number, maxLat: number];
  const linesOf = (line: string, geometry: string, rtree: string) =>
    db
      .prepare(
        `SELECT l.line_id, l.left_code, l.right_code, g.geojson, r.min_lng, r.max_lng, r.min_lat, r.max_lat
         FROM ${line} l JOIN ${geometry} g ON g.line_id = l.id AND g.band = ${FULL_DETAIL_BAND} JOIN ${rtree} r ON r.id = l.id
         WHERE l.level = 'street' AND l.right_code IS NOT NULL`,
      )
      .raw()
      .all() as Line[];
  const keyOf = (line: Line) => `${line[0]}|${line[1]}|${line[2]}|${line[3]}`;
  const before = linesOf(backupOf('boundary_line'), backupOf('boundary_geometry'), backupOf('boundary_rtree'));
  const after = linesOf('boundary_line', 'boundary_geometry', 'boundary_rtree');
  const beforeKeys = new Set(before.map(keyOf));
  const afterKeys = new Set(after.map(keyOf));
  const changed = [...before.filter((line) => !afterKeys.has(keyOf(line))), ...after.filter((line) => !beforeKeys.has(keyOf(line)))];
  if (changed.length === 0) return null;
  const zones = new Flatbush(changed.length);
  const dLat = (OTHER_SIDE_REACH_METERS * 1.1) / METERS_PER_DEGREE;
  for (const [, , , , minLng, maxLng, minLat, maxLat] of changed) {
    const cos = Math.cos((Math.max(Math.abs(minLat), Math.abs(maxLat)) * Math.PI) / 180);
    const dLng = dLat / Math.max(cos, 0.01);
    zones.add(minLng - dLng, minLat - dLat, maxLng + dLng, maxLat + dLat);
  }
  zones.finish();
  return zones;
}

/**
 * After a units import's new polygons and lines are written: every code derived from them, re-derived.
 * A case in a grid (grids do not move with units) is located again only within reach of a changed street line.
 */
export function rederiveAfterUnits(
  db: Database.Database,
  communities: readonly { code: string; coordinates: Position[][][] }[],
  backupOf: (table: string) => string,
): RederiveSummary {
  const locator = createCommunityLocator(communities);
  const zones = changedStreetLineZones(db, backupOf);
  const keeps = (gridCode: string, lng: number, lat: number) => gridCode.length === GRID_CODE_LENGTH && (zones === null || zones.search(lng, lat, lng, lat).length === 0);
  return {
    facilities: rederiveFacilities(db, locator),
    roadEdges: rederiveRoadEdges(db, locator),
    disputes: rederiveDisputes(db, keeps),
    gridsOutsideCommunity: countGridsOutsideCommunity(db, locator, new Set(communities.map((row) => row.code))),
  };
}

/**
 * After a grids import's new grids are written: disputes re-located in them, except the cases of a grid
 * whose code and polygon are unchanged (`backupOf`'s copy of the grid table is the old layer).
 */
export function rederiveAfterGrids(db: Database.Database, backupOf: (table: string) => string): RederiveSummary {
  const unchanged = new Set(db.prepare(`SELECT g.code FROM grid g JOIN ${backupOf('grid')} b ON b.code = g.code AND b.geojson = g.geojson`).pluck().all() as string[]);
  return { disputes: rederiveDisputes(db, (gridCode) => unchanged.has(gridCode)) };
}
