// The write stage: one immediate transaction replaces a layer's tables in the atlas database, keeps a
// backup of what it replaced (for undo), rebuilds the layer's derived data (a grid layer's demand points,
// the codes other layers derive from new units or grids), drops the backups of imports older than the
// last ATLAS_IMPORT_KEEP_UNDO, records the import in import_history and the layer's provenance in meta,
// and bumps the data version so prepared data and cached answers are rebuilt for it. Nothing is written
// if any step throws.

import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Position } from 'geojson';
import { createPolygonSampler } from '../../../data/generator/polygon-sampler';
import { apportion } from '../../../data/generator/apportion';
import { createPointInPolygonIndex } from '../../analysis/geo/point-in-polygon-index';
import { createRng } from '../../analysis/random';
import { roundDegrees } from '../coordinate-systems';
import type { ImportLayer } from './import-types';
import type { LayerProvenance } from '../../domain/data-layers';
import type { UnitRow as StoredUnitRow } from '../../store/sqlite-store';
import type { RoadRows } from './roads';
import type { CommunityRow, FacilityRow, GridRow, LineRecordRow, PopulationRow } from './validate';
import { actorRoleOf, type DisputeRow } from './disputes-validate';
import type { DisputeHistoryBatch, HistoryCase, HistoryStep } from '../../store/dispute-store';
import { SqliteDisputeStore } from '../../store/sqlite-dispute-store';
import type { DeadlinePolicy } from '../../domain/dispute-deadlines';
import { buildUnitTopology, simplifyTopologyByBand } from '../../analysis/geo/unit-topology';
import type { UnitRow } from '../base-geography';
import { writeBoundaryLines, writeTopologyGeometry, type BoundaryAgreement } from '../write-geography';
import { backupDerivedColumns, rederiveAfterGrids, rederiveAfterUnits, type RederiveSummary } from './rederive-places';

export const HISTORY_SQL = `
CREATE TABLE IF NOT EXISTS import_history (
  id                    INTEGER PRIMARY KEY,
  layer                 TEXT NOT NULL,     -- units | grids | facilities | …
  file_name             TEXT NOT NULL,     -- base name of the imported file
  file_sha256           TEXT NOT NULL,
  format                TEXT NOT NULL,     -- geojson | ndjson | csv | xlsx | shapefile | geopackage
  crs                   TEXT NOT NULL,     -- the source system used
  features              INTEGER NOT NULL,  -- rows written
  imported_at           TEXT NOT NULL,     -- ISO 8601
  previous_data_version TEXT NOT NULL,
  data_version          TEXT NOT NULL,
  previous_sources      TEXT NOT NULL,     -- JSON: meta layer_sources before the import
  previous_counts       TEXT NOT NULL,     -- JSON: meta counts before the import
  undone_at             TEXT               -- ISO 8601 when undone, else NULL
);`;

/** A department's grid layer (多格合一), imported beside the unified grids (see department-grids.ts). */
export const DEPARTMENT_GRIDS_LAYER = 'department-grids';
/** What an import history entry replaced: a layer, or the departmental grids. */
export type HistoryLayer = ImportLayer | typeof DEPARTMENT_GRIDS_LAYER;

/** The tables an import of a layer replaces (backed up for undo, restored by it), referenced tables first. */
export const LAYER_TABLES: Partial<Record<HistoryLayer, readonly string[]>> = {
  facilities: ['facility', 'facility_rtree'],
  grids: ['grid', 'grid_rtree', 'demand_point'],
  roads: ['road_node', 'road_edge', 'road_rtree'],
  population: ['grid', 'demand_point'],
  lines: ['boundary_line', 'boundary_geometry'],
  units: ['admin_unit', 'admin_geometry', 'admin_rtree', 'boundary_line', 'boundary_geometry', 'boundary_rtree'],
  [DEPARTMENT_GRIDS_LAYER]: ['department_layer', 'department_grid', 'department_grid_rtree'],
  // Everything keyed on a case: its steps, report keys, fired escalation rules, external number; and the
  // planted clusters, whose cases an imported history no longer has.
  disputes: ['dispute', 'dispute_step', 'dispute_report_key', 'dispute_escalation', 'planted_cluster', 'dispute_external_id'],
};

/** The department's case number of each imported case (kept beside the store's own table). */
export const DISPUTE_EXTERNAL_ID_SQL = `
CREATE TABLE IF NOT EXISTS dispute_external_id (
  dispute_id  INTEGER PRIMARY KEY REFERENCES dispute (id),
  external_id TEXT NOT NULL UNIQUE       -- the case number of the imported ledger (its id column)
);`;

/** Where a layer's data came from, per layer, in meta 'layer_sources' (absent: the build's own data). */
export type LayerSource = Extract<LayerProvenance, { source: 'imported' }>;

export interface ImportRecord {
  layer: HistoryLayer;
  fileName: string;
  fileSha256: string;
  format: string;
  crs: string;
  features: number;
}

export const backupTableName = (importId: number, table: string): string => `import_backup_${importId}_${table}`;

/** Imports whose backups are kept for undo when ATLAS_IMPORT_KEEP_UNDO is not set. */
export const DEFAULT_KEEP_UNDO = 5;

/**
 * Reads ATLAS_IMPORT_KEEP_UNDO: how many of the last committed imports keep their backups (and can be
 * undone); a whole number ≥ 1, so the last import can always be undone.
 */
export function keepUndoFromEnv(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return DEFAULT_KEEP_UNDO;
  const count = Number(text);
  if (!/^\d+$/.test(text.trim()) || !(count >= 1)) throw new Error(`ATLAS_IMPORT_KEEP_UNDO must be a whole number of imports ≥ 1, got "${text}"`);
  return count;
}

/** The names of the backup tables an import took (its layer's tables and derived columns). */
export function backupTablesOf(db: Database.Database, importId: number): string[] {
  // GLOB, not LIKE: "_" is a literal there, so import 1's pattern never matches import 12's tables.
  return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB ?").pluck().all(`${backupTableName(importId, '')}*`) as string[];
}

/** Drops the backups of committed imports older than the last `keep` (they can no longer be undone). */
function pruneBackups(db: Database.Database, keep: number): void {
  const older = db.prepare('SELECT id FROM import_history WHERE undone_at IS NULL ORDER BY id DESC LIMIT -1 OFFSET ?').pluck().all(keep) as number[];
  for (const id of older) for (const table of backupTablesOf(db, id)) db.exec(`DROP TABLE ${table}`);
}

/** meta value by key, or null. */
export function readMeta(db: Database.Database, key: string): string | null {
  return (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null;
}

function writeMeta(db: Database.Database, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

/** Opens the atlas database for one import (or undo) transaction. */
export function openForWriting(databasePath: string): Database.Database {
  const db = new Database(databasePath, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * Replaces the layer with the validated rows in one transaction and returns the import's id and the
 * new data version. `prepare` runs first in the transaction; `fill` writes the rows into the emptied
 * tables and returns the count changes.
 */
export function replaceLayer(
  db: Database.Database,
  record: ImportRecord,
  fill: (importId: number) => Record<string, number>,
  prepare: () => void = () => {},
): { importId: number; dataVersion: string } {
  const tables = LAYER_TABLES[record.layer];
  if (!tables) throw new Error(`the ${record.layer} layer cannot be imported yet`);
  const keepUndo = keepUndoFromEnv(process.env.ATLAS_IMPORT_KEEP_UNDO);
  return db
    .transaction(() => {
      db.exec(HISTORY_SQL);
      // Schema the layer's tables need before their backup (a migration the store would make too).
      prepare();
      const previousDataVersion = readMeta(db, 'data_version') ?? 'unknown';
      // The build's own version: what start-up compares with the sources (see ensureDatabase).
      if (readMeta(db, 'build_data_version') === null) writeMeta(db, 'build_data_version', previousDataVersion);
      const previousSources = readMeta(db, 'layer_sources') ?? '{}';
      const previousCounts = readMeta(db, 'counts') ?? '{}';
      const importedAt = new Date().toISOString();
      const { lastInsertRowid } = db
        .prepare(
          `INSERT INTO import_history (layer, file_name, file_sha256, format, crs, features, imported_at, previous_data_version,
                                       data_version, previous_sources, previous_counts)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?)`,
        )
        .run(record.layer, record.fileName, record.fileSha256, record.format, record.crs, record.features, importedAt, previousDataVersion, previousSources, previousCounts);
      const importId = Number(lastInsertRowid);
      for (const table of tables) db.exec(`CREATE TABLE ${backupTableName(importId, table)} AS SELECT * FROM ${table}`);
      // Columns of other layers derived from this one's geometry: re-derived by `fill`, put back by undo.
      backupDerivedColumns(db, record.layer, (table) => backupTableName(importId, table));
      pruneBackups(db, keepUndo);
      // Referencing tables are emptied first (demand_point → grid is a foreign key).
      for (const table of [...tables].reverse()) db.exec(`DELETE FROM ${table}`);
      const countChanges = fill(importId);
      const dataVersion = createHash('sha256').update(`${previousDataVersion} ${record.layer} ${record.fileSha256} ${importId}`).digest('hex').slice(0, 16);
      db.prepare('UPDATE import_history SET data_version = ? WHERE id = ?').run(dataVersion, importId);
      writeMeta(db, 'data_version', dataVersion);
      const counts = JSON.parse(previousCounts) as Record<string, number>;
      writeMeta(db, 'counts', JSON.stringify({ ...counts, ...countChanges }));
      const sources = JSON.parse(previousSources) as Record<string, LayerSource>;
      sources[record.layer] = { source: 'imported', fileName: record.fileName, fileSha256: record.fileSha256, importId, importedAt, features: record.features };
      writeMeta(db, 'layer_sources', JSON.stringify(sources));
      return { importId, dataVersion };
    })
    .immediate();
}

/** Replaces the facility layer. */
export function writeFacilities(databasePath: string, record: ImportRecord, rows: readonly FacilityRow[]): { importId: number; dataVersion: string } {
  const db = openForWriting(databasePath);
  try {
    return replaceLayer(db, record, () => {
      const insert = db.prepare(
        `INSERT INTO facility (id, kind, name, unit_code, community_code, lng, lat, capacity, opening_hours, standardised)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const insertBox = db.prepare('INSERT INTO facility_rtree (id, min_lng, max_lng, min_lat, max_lat) VALUES (?, ?, ?, ?, ?)');
      const counts: Record<string, number> = {};
      const previous = JSON.parse(readMeta(db, 'counts') ?? '{}') as Record<string, number>;
      for (const key of Object.keys(previous)) if (key.startsWith('facilities.')) counts[key] = 0;
      rows.forEach((row, i) => {
        insert.run(i + 1, row.kind, row.name, row.unitCode, row.communityCode, row.lng, row.lat, row.capacity, row.openingHours, Number(row.standardised));
        insertBox.run(i + 1, row.lng, row.lng, row.lat, row.lat);
        counts[`facilities.${row.kind}`] = (counts[`facilities.${row.kind}`] ?? 0) + 1;
      });
      counts.facilities = rows.length;
      return counts;
    });
  } finally {
    db.close();
  }
}

/** FNV-1a of a string: the seed of a grid's demand points, so a grid's points depend on its code only. */
function hashCode(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

interface OldDemand {
  population: number;
  areaM2: number;
  points: { lng: number; lat: number; population: number }[];
}

/**
 * Replaces the grid layer and rebuilds its demand points: a grid whose code, population and area (within
 * 0.1 %) are unchanged keeps its points when they all still lie inside it, so a re-import of the same
 * grids keeps every coverage figure; other grids get one point per ~100 residents, uniform inside the
 * grid, drawn with a seed from the grid's code (as the generator places them).
 */
export function writeGrids(
  databasePath: string,
  record: ImportRecord,
  rows: readonly GridRow[],
): { importId: number; dataVersion: string; keptDemandGrids: number; rederived: RederiveSummary } {
  const db = openForWriting(databasePath);
  let keptDemandGrids = 0;
  let rederived: RederiveSummary | null = null;
  try {
    const oldDemand = new Map<string, OldDemand>();
    for (const row of db
      .prepare('SELECT g.code, g.population AS grid_population, g.area_m2, d.lng, d.lat, d.population FROM demand_point d JOIN grid g ON g.id = d.grid_id ORDER BY d.id')
      .iterate() as Iterable<{ code: string; grid_population: number; area_m2: number; lng: number; lat: number; population: number }>) {
      let entry = oldDemand.get(row.code);
      if (!entry) oldDemand.set(row.code, (entry = { population: row.grid_population, areaM2: row.area_m2, points: [] }));
      entry.points.push({ lng: row.lng, lat: row.lat, population: row.population });
    }
    const result = replaceLayer(db, record, (importId) => {
      const insert = db.prepare(
        `INSERT INTO grid (id, code, name, community_code, urban, population, households, full_time_workers, part_time_workers,
                           area_m2, label_lng, label_lat, geojson)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const insertBox = db.prepare('INSERT INTO grid_rtree (id, min_lng, max_lng, min_lat, max_lat) VALUES (?, ?, ?, ?, ?)');
      const insertPoint = db.prepare('INSERT INTO demand_point (id, grid_id, lng, lat, population) VALUES (?, ?, ?, ?, ?)');
      let pointId = 0;
      rows.forEach((grid, i) => {
        const id = i + 1;
        const coordinates = grid.coordinates.map((polygon) => polygon.map((ring) => ring.map((p) => [roundDegrees(p[0]!), roundDegrees(p[1]!)])));
        insert.run(
          id,
          grid.code,
          grid.name,
          grid.communityCode,
          Number(grid.urban),
          grid.population,
          grid.households,
          grid.fullTimeWorkers,
          grid.partTimeWorkers,
          Math.round(grid.areaSquareMeters),
          grid.labelLngLat[0],
          grid.labelLngLat[1],
          JSON.stringify({ type: 'MultiPolygon', coordinates }),
        );
        let minLng = Infinity;
        let minLat = Infinity;
        let maxLng = -Infinity;
        let maxLat = -Infinity;
        for (const polygon of coordinates) {
          for (const [lng, lat] of polygon[0]!) {
            minLng = Math.min(minLng, lng!);
            maxLng = Math.max(maxLng, lng!);
            minLat = Math.min(minLat, lat!);
            maxLat = Math.max(maxLat, lat!);
          }
        }
        insertBox.run(id, minLng, maxLng, minLat, maxLat);
        for (const point of demandPointsOf(grid, coordinates, oldDemand.get(grid.code), () => keptDemandGrids++)) {
          insertPoint.run(++pointId, id, point.lng, point.lat, point.population);
        }
      });
      rederived = rederiveAfterGrids(db, (table) => backupTableName(importId, table));
      return { grids: rows.length, demandPoints: pointId };
    });
    return { ...result, keptDemandGrids, rederived: rederived! };
  } finally {
    db.close();
  }
}

function demandPointsOf(grid: GridRow, coordinates: Position[][][], old: OldDemand | undefined, onKept: () => void): { lng: number; lat: number; population: number }[] {
  if (grid.population === 0) return [];
  const index = createPointInPolygonIndex(coordinates);
  if (old && old.population === grid.population && Math.abs(old.areaM2 - grid.areaSquareMeters) <= Math.max(1, grid.areaSquareMeters * 0.001) && old.points.every((p) => index.contains(p.lng, p.lat))) {
    onKept();
    return old.points;
  }
  const count = Math.max(1, Math.round(grid.population / 100));
  const sampler = createPolygonSampler(coordinates);
  const rng = createRng(hashCode(grid.code));
  const shares = apportion(grid.population, Array.from({ length: count }, () => 1));
  return shares.map((population) => {
    let lng = grid.labelLngLat[0];
    let lat = grid.labelLngLat[1];
    // Rounding can move a point near the edge out of its grid: draw again then (the label point is inside).
    for (let attempt = 0; attempt < 50; attempt++) {
      const [x, y] = sampler.sample(rng);
      if (index.contains(roundDegrees(x), roundDegrees(y))) {
        lng = roundDegrees(x);
        lat = roundDegrees(y);
        break;
      }
    }
    return { lng, lat, population };
  });
}

/** Replaces the walking network (nodes, segment edges and their R*Tree). */
export function writeRoads(databasePath: string, record: ImportRecord, rows: RoadRows): { importId: number; dataVersion: string } {
  const db = openForWriting(databasePath);
  try {
    return replaceLayer(db, record, () => {
      const insertNode = db.prepare('INSERT INTO road_node (id, lng, lat) VALUES (?, ?, ?)');
      const nodeCount = rows.nodeLngLat.length / 2;
      for (let i = 0; i < nodeCount; i++) insertNode.run(i + 1, rows.nodeLngLat[i * 2]!, rows.nodeLngLat[i * 2 + 1]!);
      const insertEdge = db.prepare('INSERT INTO road_edge (id, from_node, to_node, length_meters, class, street_code) VALUES (?, ?, ?, ?, ?, ?)');
      const insertBox = db.prepare('INSERT INTO road_rtree (id, min_lng, max_lng, min_lat, max_lat) VALUES (?, ?, ?, ?, ?)');
      for (let e = 0; e < rows.edgeFrom.length; e++) {
        const from = rows.edgeFrom[e]!;
        const to = rows.edgeTo[e]!;
        insertEdge.run(e + 1, from + 1, to + 1, rows.edgeLengthMeters[e]!, rows.edgeClass[e]!, rows.edgeStreet[e]!);
        const x0 = rows.nodeLngLat[from * 2]!;
        const y0 = rows.nodeLngLat[from * 2 + 1]!;
        const x1 = rows.nodeLngLat[to * 2]!;
        const y1 = rows.nodeLngLat[to * 2 + 1]!;
        insertBox.run(e + 1, Math.min(x0, x1), Math.max(x0, x1), Math.min(y0, y1), Math.max(y0, y1));
      }
      return { roadNodes: nodeCount, roadEdges: rows.edgeFrom.length };
    });
  } finally {
    db.close();
  }
}

/**
 * Replaces the demand points with population points, and each grid's population with the sum of the
 * points inside it (grids without a point get 0), so grid figures and coverage rates agree.
 */
export function writePopulation(databasePath: string, record: ImportRecord, rows: readonly PopulationRow[]): { importId: number; dataVersion: string } {
  const db = openForWriting(databasePath);
  try {
    return replaceLayer(db, record, (importId) => {
      db.exec(`INSERT INTO grid SELECT * FROM ${backupTableName(importId, 'grid')}`);
      db.exec('UPDATE grid SET population = 0');
      const insert = db.prepare('INSERT INTO demand_point (id, grid_id, lng, lat, population) VALUES (?, ?, ?, ?, ?)');
      const addToGrid = db.prepare('UPDATE grid SET population = population + ? WHERE id = ?');
      rows.forEach((row, i) => {
        insert.run(i + 1, row.gridId, row.lng, row.lat, row.population);
        addToGrid.run(row.population, row.gridId);
      });
      return { demandPoints: rows.length };
    });
  } finally {
    db.close();
  }
}

/**
 * Replaces the street and community polygons: communities from the rows, streets dissolved from their
 * communities over one shared-arc topology (as the build does), every zoom band and label point, and the
 * street boundary lines derived from it (a line keeping its agreement record when its id is unchanged).
 * Units of the hierarchy absent from the file are left without geometry. Facilities, road edges and
 * disputes then take their codes from the new units (see rederive-places.ts).
 */
export function writeCommunities(databasePath: string, record: ImportRecord, rows: readonly CommunityRow[]): { importId: number; dataVersion: string; rederived: RederiveSummary } {
  const db = openForWriting(databasePath);
  let rederived: RederiveSummary | null = null;
  try {
    const result = replaceLayer(db, record, (importId) => {
      for (const table of LAYER_TABLES.units!) db.exec(`INSERT INTO ${table} SELECT * FROM ${backupTableName(importId, table)}`);
      const fine = "(SELECT id FROM admin_unit WHERE level IN ('street', 'community'))";
      db.exec(`DELETE FROM admin_geometry WHERE unit_id IN ${fine}`);
      db.exec(`DELETE FROM admin_rtree WHERE id IN ${fine}`);
      db.exec("UPDATE admin_unit SET label_lng = NULL, label_lat = NULL WHERE level IN ('street', 'community')");
      const rename = db.prepare('UPDATE admin_unit SET name = ? WHERE code = ?');
      for (const row of rows) if (row.name !== null) rename.run(row.name, row.code);
      const agreements = new Map<string, BoundaryAgreement>();
      for (const line of db.prepare("SELECT line_id, agreement_signed, joint_mediation, last_joint_patrol FROM boundary_line WHERE level = 'street'").iterate() as Iterable<{
        line_id: string;
        agreement_signed: number | null;
        joint_mediation: number | null;
        last_joint_patrol: string | null;
      }>) {
        if (line.agreement_signed !== null) {
          agreements.set(line.line_id, { agreementSigned: line.agreement_signed === 1, jointMediation: line.joint_mediation === 1, lastJointPatrol: line.last_joint_patrol });
        }
      }
      const streetLines = "(SELECT id FROM boundary_line WHERE level = 'street')";
      db.exec(`DELETE FROM boundary_geometry WHERE line_id IN ${streetLines}`);
      db.exec(`DELETE FROM boundary_rtree WHERE id IN ${streetLines}`);
      db.exec("DELETE FROM boundary_line WHERE level = 'street'");

      const units = new Map<string, UnitRow>();
      for (const row of db.prepare("SELECT id, code, name, level, parent_code, population, urban_share, child_count FROM admin_unit WHERE level IN ('street', 'community')").iterate() as Iterable<StoredUnitRow & { id: number }>) {
        units.set(row.code, {
          id: row.id,
          division: { code: row.code, name: row.name, level: row.level, parentCode: row.parent_code },
          population: row.population,
          urbanShare: row.urban_share,
          childCount: row.child_count,
        });
      }
      const topology = buildUnitTopology(rows.map((row) => ({ code: row.code, coordinates: row.coordinates })));
      const bands = simplifyTopologyByBand(topology.topology);
      const dissolve = new Map<string, number[]>();
      topology.codes.forEach((code, index) => {
        const street = code.slice(0, 9);
        dissolve.set(street, [...(dissolve.get(street) ?? []), index]);
      });
      writeTopologyGeometry(db, units, topology, bands, dissolve);
      const lastLine = (db.prepare('SELECT coalesce(max(id), 0) AS id FROM boundary_line').get() as { id: number }).id;
      const lines = writeBoundaryLines(
        db,
        units,
        topology,
        bands,
        [{ level: 'street', groupOf: (code) => code.slice(0, 9), keep: (group) => group.rightGroup !== null }],
        lastLine,
        // A line without a recorded agreement keeps none (NULL: unknown).
        (lineId) => agreements.get(lineId) as BoundaryAgreement,
      );
      rederived = rederiveAfterUnits(db, rows, (table) => backupTableName(importId, table));
      return { ...lines.counts, streetsWithGeometry: dissolve.size, communitiesWithGeometry: rows.length };
    });
    return { ...result, rederived: rederived! };
  } finally {
    db.close();
  }
}

/** Updates the agreement records of the lines named in the rows; other lines keep theirs. */
export function writeLineRecords(databasePath: string, record: ImportRecord, rows: readonly LineRecordRow[]): { importId: number; dataVersion: string } {
  const db = openForWriting(databasePath);
  try {
    return replaceLayer(db, record, (importId) => {
      for (const table of LAYER_TABLES.lines!) db.exec(`INSERT INTO ${table} SELECT * FROM ${backupTableName(importId, table)}`);
      const update = db.prepare('UPDATE boundary_line SET agreement_signed = ?, joint_mediation = ?, last_joint_patrol = ? WHERE line_id = ?');
      const nullable = (value: boolean | null) => (value === null ? null : Number(value));
      for (const row of rows) update.run(nullable(row.agreementSigned), nullable(row.jointMediation), row.lastJointPatrol, row.lineId);
      return { boundaryLineRecords: rows.length };
    });
  } finally {
    db.close();
  }
}

/** The cases as the store's history batch, keyed by their position in `rows` (reports and steps each in time order). */
export function disputeHistoryBatch(rows: readonly DisputeRow[]): DisputeHistoryBatch {
  const cases: HistoryCase[] = rows.map((row, key) => ({
    key,
    type: row.type,
    source: row.source,
    severity: row.severity,
    lngLat: row.lngLat,
    summary: row.summary,
    parties: row.parties,
    reportedAt: row.reportedAt,
    dueAt: row.dueAt,
    actorRole: 'gridWorker',
    placeCode: row.place.placeCode,
    countyCode: row.place.countyCode,
    otherSideCode: row.place.otherSideCode,
    handlingLevel: row.handlingLevel,
    clusterId: null,
  }));
  const steps: HistoryStep[] = rows.flatMap((row, key) =>
    row.steps.map(
      (step): HistoryStep => ({
        caseKey: key,
        action: step.action,
        at: step.at,
        handlingLevel: row.handlingLevel,
        actorRole: actorRoleOf(step.action, row.handlingLevel),
        note: null,
        ...(step.action === 'close' ? { outcome: row.outcome! } : {}),
      }),
    ),
  );
  // Stable sorts: a case's steps at the same time keep their workflow order.
  return { cases: [...cases].sort((a, b) => a.reportedAt - b.reportedAt), steps: steps.sort((a, b) => a.at - b.at) };
}

/**
 * Replaces the dispute history: the cases and their derived steps are appended through the store's
 * appendHistory (its workflow checks, its stage deadlines), each case's number kept in
 * dispute_external_id; planted clusters, report keys and fired escalations go with the old cases.
 * Case ids and log seqs continue past the replaced ones (a placeholder holds each old maximum while the
 * rows are appended), so a live-stream cursor or a link to an old case never names an imported one.
 */
export function writeDisputes(
  databasePath: string,
  record: ImportRecord,
  rows: readonly DisputeRow[],
  deadlines: DeadlinePolicy,
): { importId: number; dataVersion: string } {
  const db = openForWriting(databasePath);
  let store: SqliteDisputeStore | null = null;
  try {
    return replaceLayer(
      db,
      record,
      (importId) => {
        const previousMax = (table: string, column: string) => db.prepare(`SELECT coalesce(max(${column}), 0) FROM ${backupTableName(importId, table)}`).pluck().get() as number;
        const lastId = previousMax('dispute', 'id');
        const lastSeq = previousMax('dispute_step', 'seq');
        if (lastId > 0) {
          db.prepare(`INSERT INTO dispute (id, type, source, severity, status, handling_level, grid_code, lng, lat, reported_at, due_at, parties) VALUES (?, 0, 0, 0, 0, 0, '', 0, 0, 0, 0, '[]')`).run(lastId);
        }
        if (lastSeq > 0) db.prepare('INSERT INTO dispute_step (seq, dispute_id, step, action, to_status, at, handling_level, actor_role) VALUES (?, ?, 0, 0, 0, 0, 0, 0)').run(lastSeq, lastId);
        const batch = disputeHistoryBatch(rows);
        const { ids } = store!.appendHistory(batch, {}, deadlines);
        db.prepare('DELETE FROM dispute_step WHERE seq = ?').run(lastSeq);
        db.prepare('DELETE FROM dispute WHERE id = ?').run(lastId);
        const insertExternal = db.prepare('INSERT INTO dispute_external_id (dispute_id, external_id) VALUES (?, ?)');
        batch.cases.forEach((entry, i) => insertExternal.run(ids[i]!, rows[entry.key]!.externalId));
        return {
          disputes: rows.length,
          disputeSteps: rows.length + batch.steps.length,
          disputesNearStreetLine: rows.filter((row) => row.place.otherSideCode !== null).length,
          plantedClusters: 0,
        };
      },
      () => {
        // The store's own migration (report keys, escalations, handler columns), then the case numbers.
        store = new SqliteDisputeStore(db, true);
        db.exec(DISPUTE_EXTERNAL_ID_SQL);
      },
    );
  } finally {
    db.close();
  }
}
