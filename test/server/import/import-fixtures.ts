// Files for the importer's tests, made from the test database's own layers: GeoJSON exported here,
// Shapefiles and GeoPackages written from it by ogr2ogr (GDAL), XLSX ledgers by exceljs, zipped by zip(1).

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import type { Feature, FeatureCollection, MultiPolygon, Point, Position } from 'geojson';
import { inject } from 'vitest';

export interface ImportWorkspace {
  dir: string;
  /** A private copy of the test database. */
  databasePath: string;
  close(): void;
}

/** A folder with a private copy of the test database. */
export function openImportWorkspace(prefix: string): ImportWorkspace {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const databasePath = join(dir, 'atlas.sqlite');
  copyFileSync(inject('databasePath'), databasePath);
  return { dir, databasePath, close: () => rmSync(dir, { recursive: true, force: true }) };
}

/** SHA-256 of a file's bytes. */
export function hashFile(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export interface FacilityExport {
  kind: string;
  name: string;
  lng: number;
  lat: number;
  capacity: number;
  openingHours: string;
  standardised: number;
  unitCode: string;
}

/** The facilities of a database (optionally of one kind or a row limit), in id order. */
export function exportFacilities(databasePath: string, where = '1 = 1', limit = 1_000_000): FacilityExport[] {
  const db = new Database(databasePath, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT kind, name, lng, lat, capacity, opening_hours AS openingHours, standardised, unit_code AS unitCode
         FROM facility WHERE ${where} ORDER BY id LIMIT ?`,
      )
      .all(limit) as FacilityExport[];
  } finally {
    db.close();
  }
}

/** The grids of a database as a GeoJSON FeatureCollection with the grid table's columns. */
export function exportGrids(databasePath: string, where = '1 = 1'): FeatureCollection<MultiPolygon> {
  const db = new Database(databasePath, { readonly: true });
  try {
    const rows = db
      .prepare(`SELECT code, name, community_code, urban, population, households, full_time_workers, part_time_workers, geojson FROM grid WHERE ${where} ORDER BY id`)
      .all() as { geojson: string; [key: string]: unknown }[];
    return {
      type: 'FeatureCollection',
      features: rows.map(({ geojson, ...properties }) => ({ type: 'Feature', properties, geometry: JSON.parse(geojson) as MultiPolygon })),
    };
  } finally {
    db.close();
  }
}

/** Writes a facility ledger as XLSX (header kind,name,lng,lat,capacity,openingHours,standardised,unitCode). */
export async function writeFacilityXlsx(path: string, rows: readonly FacilityExport[]): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('facilities');
  const header = ['kind', 'name', 'lng', 'lat', 'capacity', 'openingHours', 'standardised', 'unitCode'] as const;
  sheet.addRow([...header]);
  for (const row of rows) sheet.addRow(header.map((column) => row[column]));
  await workbook.xlsx.writeFile(path);
}

/** A CSV text with a header, fields quoted where needed. */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const field = (value: unknown) => {
    const text = String(value ?? '');
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header.join(','), ...rows.map((row) => row.map(field).join(','))].join('\n') + '\n';
}

/** ogr2ogr (GDAL) with the given arguments; throws with its stderr on failure. */
export function ogr2ogr(args: readonly string[]): void {
  execFileSync('ogr2ogr', [...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * A zipped Shapefile of a GeoJSON file written by ogr2ogr: reprojected to `targetSrs` (or kept), its
 * attributes in `encoding`; without its .cpg when `dropCpg`, without its .dbf when `dropDbf`.
 */
export function writeShapefileZip(
  dir: string,
  name: string,
  geojsonPath: string,
  { targetSrs, encoding = 'UTF-8', dropCpg = false, dropDbf = false }: { targetSrs?: string; encoding?: string; dropCpg?: boolean; dropDbf?: boolean } = {},
): string {
  const folder = join(dir, `${name}-shp`);
  mkdirSync(folder, { recursive: true });
  ogr2ogr(['-f', 'ESRI Shapefile', join(folder, `${name}.shp`), geojsonPath, '-lco', `ENCODING=${encoding}`, ...(targetSrs ? ['-t_srs', targetSrs] : [])]);
  const parts = ['shp', 'shx', 'prj', ...(dropDbf ? [] : ['dbf']), ...(dropCpg ? [] : ['cpg'])].map((extension) => `${name}.${extension}`);
  const zipPath = join(dir, `${name}.zip`);
  execFileSync('zip', ['-q', '-j', zipPath, ...parts.map((part) => join(folder, part))]);
  return zipPath;
}

/** Writes a GeoJSON FeatureCollection file. */
export function writeGeoJson(path: string, collection: FeatureCollection): string {
  writeFileSync(path, JSON.stringify(collection));
  return path;
}

/** Every position of a MultiPolygon collection passed through `convert`. */
export function mapCollection(collection: FeatureCollection<MultiPolygon>, convert: (position: Position) => Position): FeatureCollection<MultiPolygon> {
  return {
    type: 'FeatureCollection',
    features: collection.features.map(
      (feature): Feature<MultiPolygon> => ({
        ...feature,
        geometry: { type: 'MultiPolygon', coordinates: feature.geometry.coordinates.map((polygon) => polygon.map((ring) => ring.map(convert))) },
      }),
    ),
  };
}

/** Great-circle distance in metres (haversine, mean Earth radius). */
export function distanceMeters(a: Position, b: Position): number {
  const rad = Math.PI / 180;
  const dLat = (b[1]! - a[1]!) * rad;
  const dLng = (b[0]! - a[0]!) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1]! * rad) * Math.cos(b[1]! * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

export type PointFeature = Feature<Point>;

export interface DisputeExport {
  id: number;
  gridCode: string;
  otherSideCode: string | null;
  lng: number;
  lat: number;
}

/** Cases of a database (place and position), in id order. */
export function exportDisputes(databasePath: string, where = '1 = 1', limit = 1_000_000): DisputeExport[] {
  const db = new Database(databasePath, { readonly: true });
  try {
    return db
      .prepare(`SELECT id, grid_code AS gridCode, other_side_code AS otherSideCode, lng, lat FROM dispute WHERE ${where} ORDER BY id LIMIT ?`)
      .all(limit) as DisputeExport[];
  } finally {
    db.close();
  }
}

/**
 * SHA-256 of every row of the dispute history's tables (those present), each table in primary-key
 * order: equal digests mean the same cases, steps, keys, escalations, clusters and case numbers.
 */
export function hashDisputeTables(databasePath: string): string {
  const db = new Database(databasePath, { readonly: true });
  try {
    const hash = createHash('sha256');
    const tables: [string, string][] = [
      ['dispute', 'id'],
      ['dispute_step', 'seq'],
      ['dispute_report_key', 'reporter, key'],
      ['dispute_escalation', 'dispute_id, rule_key'],
      ['planted_cluster', 'id'],
      ['dispute_external_id', 'dispute_id'],
    ];
    for (const [table, order] of tables) {
      if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table)) continue;
      // Each row with its table's name: an empty table and an absent one read the same.
      for (const row of db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).raw().iterate() as Iterable<unknown[]>) hash.update(`${table}\t${JSON.stringify(row)}\n`);
    }
    return hash.digest('hex');
  } finally {
    db.close();
  }
}
