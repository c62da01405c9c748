// A department's own grid layer (多格合一) imported beside the unified grids: read (streamed), converted to
// WGS84, each polygon validated and repaired, reconciled with the unified grids, and — when nothing is in
// error and it is not a dry run — written in one transaction replacing only that department's previous
// layer, recorded in the import history (undo restores it).

import type { Geometry, Position } from 'geojson';
import Flatbush from 'flatbush';
import { area as turfArea, multiPolygon as turfMultiPolygon } from '@turf/turf';
import { createPointInPolygonIndex, type PointInPolygonIndex } from '../../analysis/geo/point-in-polygon-index';
import { DEFAULT_RECONCILE_OPTIONS, reconcileGrids, type ReconcileOptions, type ReconcilePolygon, type ReconcileReport } from '../../analysis/geo/grid-reconcile';
import { FULL_DETAIL_BAND } from '../../domain/zoom-bands';
import type { AtlasStore, BBox } from '../../store/atlas-store';
import { DEPARTMENT_GRID_SQL, DepartmentGridStore } from '../../store/department-grid-store';
import { SqliteStore } from '../../store/sqlite-store';
import { roundDegrees } from '../coordinate-systems';
import { createCrsConverter, type ImportCrs } from './crs';
import { checkCoordinateUnits, checkSampleShift, closeReport, firstPosition, hashFile, mapPositions, samplePositions, settleCrs, SHIFT_SAMPLE_SIZE } from './import-source';
import { emptyReport, LAYER_POSITIONS_SQL, type ImportReport } from './import-layer';
import { ReferenceGeography } from './reference-geography';
import { ImportFileError, MAX_IMPORT_FEATURES } from './import-types';
import { openFeatureSource, type FeatureSource } from './read';
import { IssueLog, pickField, rejectRepeats, repairPolygon, textOf } from './validate';
import { DEPARTMENT_GRIDS_LAYER, backupTableName, openForWriting, replaceLayer, type ImportRecord } from './write';

export interface DepartmentGridImportOptions {
  databasePath: string;
  /** The department whose layer this is (安全生产, 市场监管 …): its previous layer is replaced. */
  department: string;
  filePath: string;
  /** The name reported and recorded (default: the path's base name). */
  fileName?: string;
  crs?: ImportCrs | null;
  encoding?: string | null;
  columnMap?: Record<string, string>;
  dryRun?: boolean;
  /** Sliver sizes of the reconciliation (defaults: DEFAULT_RECONCILE_OPTIONS). */
  reconcile?: Partial<ReconcileOptions>;
}

export type DepartmentGridImportReport = Omit<ImportReport, 'layer'> & {
  layer: typeof DEPARTMENT_GRIDS_LAYER;
  department: string;
  /** The layer reconciled with the unified grids; null when the file was refused or had errors. */
  reconciliation: ReconcileReport | null;
};

/** Column names read for a departmental grid's code and name. */
export const DEPARTMENT_GRID_FIELDS = {
  code: ['code', 'grid_code', 'gridCode', 'id', '编码', '编号', '网格编码', '网格代码', '网格编号'],
  name: ['name', 'grid_name', '网格名称', '名称'],
} as const;

/** A validated departmental grid. */
export interface DepartmentGridRow extends ReconcilePolygon {
  number: number;
  areaSquareMeters: number;
}

const MAX_DEPARTMENT_NAME = 40;
const MAX_CODE_LENGTH = 64;

/** The department name, trimmed; throws naming what is wrong with it. */
export function checkDepartmentName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new Error('--department needs a name, e.g. 安全生产');
  if (trimmed.length > MAX_DEPARTMENT_NAME) throw new Error(`the department name is longer than ${MAX_DEPARTMENT_NAME} characters`);
  if ([...trimmed].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) throw new Error('the department name contains control characters');
  return trimmed;
}

/** Validates one converted departmental polygon; returns its row or null after logging why not. */
function validateDepartmentGrid(number: number, properties: Record<string, unknown>, geometry: Geometry | null, log: IssueLog, orientationIsConvention: boolean): DepartmentGridRow | null {
  const codeField = pickField(properties, DEPARTMENT_GRID_FIELDS.code);
  const code = codeField ? textOf(codeField.value) : null;
  let ok = true;
  if (!code) {
    log.error(number, 'missing-field', 'no code', { field: 'code' });
    ok = false;
  } else if (code.length > MAX_CODE_LENGTH) {
    log.error(number, 'wrong-type', `code longer than ${MAX_CODE_LENGTH} characters`, { field: 'code' });
    ok = false;
  }
  const nameField = pickField(properties, DEPARTMENT_GRID_FIELDS.name);
  const repaired = repairPolygon(geometry, { orientationIsConvention });
  if ('problem' in repaired) {
    log.error(number, 'invalid-geometry', repaired.problem, repaired.lngLat ? { lngLat: repaired.lngLat } : {});
    return null;
  }
  if (!ok) return null;
  for (const repair of repaired.repairs) log.add({ severity: 'repaired', feature: number, code: 'geometry-repaired', message: repair });
  const coordinates = repaired.coordinates.map((polygon) => polygon.map((ring) => ring.map((p) => [roundDegrees(p[0]!), roundDegrees(p[1]!)])));
  return { number, code: code!, name: (nameField ? textOf(nameField.value) : null) ?? code!, coordinates, areaSquareMeters: turfArea(turfMultiPolygon(coordinates)) };
}

function boxOf(coordinates: Position[][][]): BBox {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygon of coordinates) {
    for (const p of polygon[0] ?? []) {
      box[0] = Math.min(box[0], p[0]!);
      box[1] = Math.min(box[1], p[1]!);
      box[2] = Math.max(box[2], p[0]!);
      box[3] = Math.max(box[3], p[1]!);
    }
  }
  return box;
}

const unionBox = (boxes: readonly BBox[]): BBox | null =>
  boxes.length === 0 ? null : boxes.reduce<BBox>((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])], [Infinity, Infinity, -Infinity, -Infinity]);

/**
 * The departmental grids of a unit (below the root): those whose box centre lies in one of its
 * communities. All of them for the root unit or null.
 */
export function departmentGridsWithin<T extends ReconcilePolygon>(store: AtlasStore, departmentGrids: readonly T[], within: string | null): T[] {
  if (within === null || store.rootUnit()?.code === within) return [...departmentGrids];
  const boxes = departmentGrids.map((grid) => boxOf(grid.coordinates));
  const layerBox = unionBox(boxes);
  const communities = layerBox ? store.adminUnits({ level: 'community', bbox: layerBox, band: FULL_DETAIL_BAND }) : [];
  if (communities.length === 0) return [];
  const index = new Flatbush(communities.length);
  for (const unit of communities) {
    const [x0, y0, x1, y1] = boxOf(unit.geometry.coordinates);
    index.add(x0, y0, x1, y1);
  }
  index.finish();
  const shapes = new Map<number, PointInPolygonIndex>();
  const inside = (x: number, y: number): boolean => {
    for (const k of index.search(x, y, x, y)) {
      let shape = shapes.get(k);
      if (!shape) shapes.set(k, (shape = createPointInPolygonIndex(communities[k]!.geometry.coordinates)));
      if (shape.contains(x, y)) return communities[k]!.code.startsWith(within);
    }
    return false;
  };
  return departmentGrids.filter((_, j) => inside((boxes[j]![0] + boxes[j]![2]) / 2, (boxes[j]![1] + boxes[j]![3]) / 2));
}

/**
 * Reconciles departmental grids with the store's unified grids under them. With `within` (a unit code
 * below the root), only that unit's departmental grids (departmentGridsWithin) and unified grids are compared.
 */
export function reconcileWithStore(store: AtlasStore, departmentGrids: readonly ReconcilePolygon[], within: string | null, options: ReconcileOptions = DEFAULT_RECONCILE_OPTIONS): ReconcileReport {
  const kept = departmentGridsWithin(store, departmentGrids, within);
  const keptBox = unionBox(kept.map((grid) => boxOf(grid.coordinates)));
  const unified = keptBox ? store.grids({ withinCode: within ?? undefined, bbox: keptBox }) : [];
  const names = new Map<string, string>();
  for (const grid of unified) {
    for (const code of [grid.communityCode, grid.communityCode.slice(0, 9)]) if (!names.has(code)) names.set(code, store.adminUnit(code)?.name ?? code);
  }
  return reconcileGrids(
    unified.map((grid) => ({ code: grid.code, name: grid.name, communityCode: grid.communityCode, coordinates: grid.geometry.coordinates })),
    kept,
    names,
    options,
  );
}

/** Replaces one department's layer with the rows in one transaction (other departments' layers are kept). */
export function writeDepartmentGrids(databasePath: string, record: ImportRecord, department: string, rows: readonly DepartmentGridRow[]): { importId: number; dataVersion: string } {
  const db = openForWriting(databasePath);
  try {
    // The tables exist before the transaction backs them up (empty ones for a first import).
    db.exec(DEPARTMENT_GRID_SQL);
    return replaceLayer(db, record, (importId) => {
      const backup = (table: string) => backupTableName(importId, table);
      db.prepare(`INSERT INTO department_layer SELECT * FROM ${backup('department_layer')} WHERE department <> ?`).run(department);
      db.prepare(`INSERT INTO department_grid SELECT * FROM ${backup('department_grid')} WHERE department <> ?`).run(department);
      db.exec(`INSERT INTO department_grid_rtree SELECT * FROM ${backup('department_grid_rtree')} WHERE id IN (SELECT id FROM department_grid)`);
      const { importedAt } = db.prepare('SELECT imported_at AS importedAt FROM import_history WHERE id = ?').get(importId) as { importedAt: string };
      db.prepare('INSERT INTO department_layer VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(department, record.fileName, record.fileSha256, record.format, record.crs, rows.length, importId, importedAt);
      const insert = db.prepare('INSERT INTO department_grid (id, department, code, name, area_m2, geojson) VALUES (?, ?, ?, ?, ?, ?)');
      const insertBox = db.prepare('INSERT INTO department_grid_rtree (id, min_lng, max_lng, min_lat, max_lat) VALUES (?, ?, ?, ?, ?)');
      let id = (db.prepare('SELECT coalesce(max(id), 0) AS id FROM department_grid').get() as { id: number }).id;
      for (const row of rows) {
        id += 1;
        const [minLng, minLat, maxLng, maxLat] = boxOf(row.coordinates);
        insert.run(id, department, row.code, row.name, Math.round(row.areaSquareMeters), JSON.stringify({ type: 'MultiPolygon', coordinates: row.coordinates }));
        insertBox.run(id, minLng, maxLng, minLat, maxLat);
      }
      return {};
    });
  } finally {
    db.close();
  }
}

/**
 * Imports a department's grid layer (see the module comment). A file that cannot be read at all is
 * reported in `fileError`; the database is then untouched, as it is after any error or a dry run.
 */
export async function importDepartmentGrids(options: DepartmentGridImportOptions): Promise<DepartmentGridImportReport> {
  const started = performance.now();
  const department = checkDepartmentName(options.department);
  const report: DepartmentGridImportReport = {
    ...emptyReport('grids', options),
    layer: DEPARTMENT_GRIDS_LAYER,
    department,
    reconciliation: null,
  };
  const log = new IssueLog();
  let source: FeatureSource | null = null;
  const store = new SqliteStore(options.databasePath);
  try {
    report.previousDataVersion = store.health().dataVersion;
    try {
      report.fileSha256 = await hashFile(options.filePath);
      source = await openFeatureSource(options.filePath, { columnMap: options.columnMap, encoding: options.encoding ?? null });
    } catch (error) {
      throw new ImportFileError(options.filePath, error instanceof Error ? error.message : String(error));
    }
    if (source.format === 'osmpbf') throw new ImportFileError(options.filePath, 'an OSM PBF file is read for the roads layer only');
    report.format = source.format;
    report.encoding = source.encoding;
    const { crs, used } = settleCrs(options.crs, source, log);
    report.crs = used;
    const convert = createCrsConverter(crs);
    const sample: Position[] = [];
    const rows: DepartmentGridRow[] = [];
    const rejected = new Set<number>();
    let checkedUnits = false;
    try {
      for await (const feature of source.features) {
        report.featuresRead += 1;
        if (report.featuresRead > MAX_IMPORT_FEATURES) throw new Error(`more than ${MAX_IMPORT_FEATURES} features or rows: split the file`);
        if ('problem' in feature) {
          log.error(feature.number, 'unreadable', feature.problem);
          rejected.add(feature.number);
          continue;
        }
        const errorsBefore = log.counts.error;
        let geometry: Geometry | null = null;
        try {
          geometry = feature.geometry ? mapPositions(feature.geometry, convert) : null;
        } catch {
          log.error(feature.number, 'invalid-geometry', 'malformed coordinates');
        }
        const first = firstPosition(feature.geometry);
        if (!checkedUnits && first) {
          checkedUnits = true;
          checkCoordinateUnits(first, crs, used.source);
        }
        if (sample.length < SHIFT_SAMPLE_SIZE) samplePositions(feature.geometry, sample);
        if (log.counts.error === errorsBefore) {
          const row = validateDepartmentGrid(feature.number, feature.properties, geometry, log, source.format === 'shapefile');
          if (row) rows.push(row);
        }
        if (log.counts.error > errorsBefore) rejected.add(feature.number);
      }
    } catch (error) {
      throw new ImportFileError(options.filePath, error instanceof Error ? error.message : String(error));
    }
    if (report.featuresRead === 0) throw new ImportFileError(options.filePath, 'no features');
    rejectRepeats(rows, (row) => row.code, (row, key, earlier) => log.error(row.number, 'duplicate', `grid code ${key} repeats feature ${earlier}`, { field: 'code' }), rejected);
    // A layer in GCJ-02 or BD-09 declared as WGS84 sits 300–600 m off the unified grids: said before reconciling.
    const reference = new ReferenceGeography(options.databasePath);
    try {
      report.shiftCheck = checkSampleShift(sample, crs, convert, reference, LAYER_POSITIONS_SQL.grids, log);
    } finally {
      reference.close();
    }
    report.accepted = report.featuresRead - rejected.size;
    report.rejected = rejected.size;
    if (log.counts.error === 0) {
      report.reconciliation = reconcileWithStore(store, rows, null, { ...DEFAULT_RECONCILE_OPTIONS, ...options.reconcile });
      if (report.reconciliation.summary.unifiedGrids === 0) {
        log.add({ severity: 'warning', feature: 0, code: 'no-unified-grids', message: 'no unified grid lies under this layer: check the coordinate system (--crs)' });
      }
      if (!report.dryRun) {
        const written = writeDepartmentGrids(options.databasePath, { layer: DEPARTMENT_GRIDS_LAYER, fileName: report.file, fileSha256: report.fileSha256!, format: source.format, crs: crs.label, features: rows.length }, department, rows);
        report.committed = true;
        report.importId = written.importId;
        report.dataVersion = written.dataVersion;
      }
    }
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    report.fileError = error.problem;
  } finally {
    source?.close();
    store.close();
    closeReport(report, log, started);
  }
  return report;
}

/** A department's stored grids (all of its layer), with their areas (m²). */
export function readDepartmentGrids(databasePath: string, department: string): (ReconcilePolygon & { areaSquareMeters: number })[] {
  const grids = new DepartmentGridStore(databasePath);
  try {
    return grids.grids(department).map((grid) => ({ code: grid.code, name: grid.name, areaSquareMeters: grid.areaSquareMeters, coordinates: grid.geometry.coordinates }));
  } finally {
    grids.close();
  }
}
