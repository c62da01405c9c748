// The departmental grid layers (多格合一) of an atlas database: one layer per department, imported beside
// the unified grids; their polygons (GeoJSON text) with an R*Tree on their boxes, and each layer's source.

import Database from 'better-sqlite3';
import type { MultiPolygon } from 'geojson';
import type { BBox } from './atlas-store';

/** Created by the first departmental import (absent from a database that never had one). */
export const DEPARTMENT_GRID_SQL = `
CREATE TABLE IF NOT EXISTS department_layer (
  department  TEXT PRIMARY KEY,     -- e.g. 安全生产, 市场监管
  file_name   TEXT NOT NULL,        -- base name of the imported file
  file_sha256 TEXT NOT NULL,
  format      TEXT NOT NULL,
  crs         TEXT NOT NULL,        -- the source system used
  features    INTEGER NOT NULL,     -- grids written
  import_id   INTEGER NOT NULL,     -- import_history id
  imported_at TEXT NOT NULL         -- ISO 8601
);
CREATE TABLE IF NOT EXISTS department_grid (
  id         INTEGER PRIMARY KEY,   -- R*Tree id
  department TEXT NOT NULL,
  code       TEXT NOT NULL,         -- the department's own code
  name       TEXT NOT NULL,
  area_m2    REAL NOT NULL,         -- geodesic
  geojson    TEXT NOT NULL,         -- MultiPolygon, WGS84, 6 decimals
  UNIQUE (department, code)
);
CREATE VIRTUAL TABLE IF NOT EXISTS department_grid_rtree USING rtree (id, min_lng, max_lng, min_lat, max_lat);`;

export interface DepartmentLayerRecord {
  department: string;
  fileName: string;
  fileSha256: string;
  format: string;
  crs: string;
  features: number;
  importId: number;
  importedAt: string;
}

export interface DepartmentGridShape {
  code: string;
  name: string;
  areaSquareMeters: number;
  /** [minLng, minLat, maxLng, maxLat]. */
  bbox: BBox;
  geometry: MultiPolygon;
}

interface LayerRow {
  department: string;
  file_name: string;
  file_sha256: string;
  format: string;
  crs: string;
  features: number;
  import_id: number;
  imported_at: string;
}

const toLayer = (row: LayerRow): DepartmentLayerRecord => ({
  department: row.department,
  fileName: row.file_name,
  fileSha256: row.file_sha256,
  format: row.format,
  crs: row.crs,
  features: row.features,
  importId: row.import_id,
  importedAt: row.imported_at,
});

/** Reads the departmental layers of one atlas database file (read-only). */
export class DepartmentGridStore {
  private readonly db: Database.Database;
  private readonly present: boolean;

  constructor(databasePath: string) {
    this.db = new Database(databasePath, { readonly: true, fileMustExist: true });
    this.present = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'department_layer'").get() !== undefined;
  }

  /** Every department's layer, by department name. */
  layers(): DepartmentLayerRecord[] {
    if (!this.present) return [];
    return (this.db.prepare('SELECT * FROM department_layer ORDER BY department').all() as LayerRow[]).map(toLayer);
  }

  layer(department: string): DepartmentLayerRecord | null {
    if (!this.present) return null;
    const row = this.db.prepare('SELECT * FROM department_layer WHERE department = ?').get(department) as LayerRow | undefined;
    return row ? toLayer(row) : null;
  }

  /** A department's grids whose boxes meet `bbox` (all when absent), in code order. */
  grids(department: string, bbox?: BBox): DepartmentGridShape[] {
    if (!this.present) return [];
    const [minLng, minLat, maxLng, maxLat] = bbox ?? [-180, -90, 180, 90];
    const rows = this.db
      .prepare(
        `SELECT g.code, g.name, g.area_m2, g.geojson, r.min_lng, r.min_lat, r.max_lng, r.max_lat
         FROM department_grid g JOIN department_grid_rtree r ON r.id = g.id
         WHERE g.department = ? AND r.max_lng >= ? AND r.min_lng <= ? AND r.max_lat >= ? AND r.min_lat <= ?
         ORDER BY g.code`,
      )
      .all(department, minLng, maxLng, minLat, maxLat) as { code: string; name: string; area_m2: number; geojson: string; min_lng: number; min_lat: number; max_lng: number; max_lat: number }[];
    return rows.map((row) => ({
      code: row.code,
      name: row.name,
      areaSquareMeters: row.area_m2,
      bbox: [row.min_lng, row.min_lat, row.max_lng, row.max_lat],
      geometry: JSON.parse(row.geojson) as MultiPolygon,
    }));
  }

  close(): void {
    this.db.close();
  }
}
