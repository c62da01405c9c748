// 多格合一 answers: the departments whose grid layers were imported, a department's grids inside a unit
// (for the map), its reconciliation with the unified grids there, and that report as an XLSX workbook.

import type { FeatureCollection, MultiPolygon } from 'geojson';
import type { ReconcileOptions, ReconcileReport } from '../analysis/geo/grid-reconcile';
import { DEFAULT_RECONCILE_OPTIONS } from '../analysis/geo/grid-reconcile';
import { departmentGridsWithin, readDepartmentGrids, reconcileWithStore } from '../ingest/import/department-grids';
import { reconcileWorkbook, type ReportLang } from '../ingest/import/reconcile-xlsx';
import { RequestError, tooLarge } from '../request-error';
import { MAX_GRIDS } from './geo';
import type { AtlasStore } from '../store/atlas-store';
import { DepartmentGridStore, type DepartmentLayerRecord } from '../store/department-grid-store';
import { SqliteStore } from '../store/sqlite-store';
import type { JobEnv } from './job-env';
import type { ExportFile } from './siting';

export interface ReconcileInput {
  department: string;
  /** A unit code inside the caller's jurisdiction (checked by the router). */
  within: string;
  sliverAreaM2?: number;
  sliverShare?: number;
}

export interface DepartmentGridProperties {
  code: string;
  name: string;
  areaM2: number;
}

export interface ReconcileAnswer {
  department: string;
  within: string;
  layer: DepartmentLayerRecord;
  report: ReconcileReport;
}

/** The database file behind the store: the departmental layers live beside the atlas tables. */
function databasePathOf(store: AtlasStore): string {
  if (!(store instanceof SqliteStore)) throw new RequestError('BAD_REQUEST', 'departmental grids are kept in the SQLite store only');
  return store.path;
}

function withDepartmentStore<T>(store: AtlasStore, read: (grids: DepartmentGridStore) => T): T {
  const grids = new DepartmentGridStore(databasePathOf(store));
  try {
    return read(grids);
  } finally {
    grids.close();
  }
}

function layerOf(env: JobEnv, department: string): DepartmentLayerRecord {
  const layer = withDepartmentStore(env.store, (grids) => grids.layer(department));
  if (!layer) throw new RequestError('NOT_FOUND', `no grid layer of the department ${department} has been imported (npm run cli -- import grids <file> --department ${department})`);
  return layer;
}

/** Every imported departmental layer: department, grids, file and when. */
export function departmentLayers(env: JobEnv, _input: Record<string, never>): DepartmentLayerRecord[] {
  return withDepartmentStore(env.store, (grids) => grids.layers());
}

/** A department's grids inside a unit, as GeoJSON (WGS84). */
export function departmentGridShapes(env: JobEnv, input: { department: string; within: string }): FeatureCollection<MultiPolygon, DepartmentGridProperties> {
  layerOf(env, input.department);
  const grids = departmentGridsWithin(env.store, readDepartmentGrids(databasePathOf(env.store), input.department), input.within);
  // As many as geo.grids serves the unified grids of a unit.
  if (grids.length > MAX_GRIDS) throw tooLarge(`${grids.length.toLocaleString('en-US')} ${input.department} grids lie in ${input.within} (at most ${MAX_GRIDS.toLocaleString('en-US')} per request); narrow within`);
  return {
    type: 'FeatureCollection',
    features: grids.map((grid) => ({
      type: 'Feature',
      properties: { code: grid.code, name: grid.name, areaM2: grid.areaSquareMeters },
      geometry: { type: 'MultiPolygon', coordinates: grid.coordinates },
    })),
  };
}

/** The department's grids inside a unit reconciled with the unified grids there. */
export function reconcileDepartment(env: JobEnv, input: ReconcileInput): ReconcileAnswer {
  const layer = layerOf(env, input.department);
  const options: ReconcileOptions = {
    ...DEFAULT_RECONCILE_OPTIONS,
    ...(input.sliverAreaM2 === undefined ? {} : { sliverAreaM2: input.sliverAreaM2 }),
    ...(input.sliverShare === undefined ? {} : { sliverShare: input.sliverShare }),
  };
  const grids = readDepartmentGrids(databasePathOf(env.store), input.department);
  return { department: input.department, within: input.within, layer, report: reconcileWithStore(env.store, grids, input.within, options) };
}

/** A reconciliation as an XLSX file (base64), sheets named in `lang`. */
export async function exportReconciliation(env: JobEnv, input: { answer: ReconcileAnswer; lang?: ReportLang }): Promise<ExportFile> {
  const { answer, lang = 'zh' } = input;
  const bytes = await reconcileWorkbook(answer.report, { department: answer.department, within: answer.within, fileName: answer.layer.fileName, computedAt: new Date(env.nowMs).toISOString() }, lang);
  return {
    filename: `reconcile-${answer.within}.xlsx`,
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    encoding: 'base64',
    content: bytes.toString('base64'),
  };
}
