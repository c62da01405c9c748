// The read stage: opens a source file by its content (zip, SQLite, JSON, text) and yields its features
// one by one, streamed where the format allows: GeoJSON and newline-delimited GeoJSON, Shapefile in a
// zip, GeoPackage, CSV and XLSX with lon/lat or WKT columns. Columns are renamed by the column map first.

import { createReadStream, mkdtempSync, openSync, readFileSync, readSync, closeSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Transform } from 'node:stream';
import Database from 'better-sqlite3';
import { parse as parseCsvStream } from 'csv-parse';
import type { Geometry } from 'geojson';
import { crsOfEpsg, crsOfWkt, type ImportCrs } from './crs';
import { parseGeoPackageGeometry, parseWkt } from './geometry-text';
import { MAX_IMPORT_FEATURES, type SourceFeature } from './import-types';
import { checkZipInflation, extractShapefileZip } from './read-zip';
import { checkShapefile, detectTextEncoding, normaliseEncoding, readShapefileFeatures } from './read-shapefile';

export type SourceFormat = 'geojson' | 'ndjson' | 'csv' | 'xlsx' | 'shapefile' | 'geopackage' | 'osmpbf';

/** A source feature that could not be read (a bad NDJSON line, a CSV row without coordinates). */
export interface UnreadableFeature {
  number: number;
  problem: string;
}

export interface FeatureSource {
  format: SourceFormat;
  /** The system the file declares (.prj, GeoPackage srs, GeoJSON "crs"); null when it declares none. */
  declaredCrs: ImportCrs | null;
  /** Attribute encoding of a Shapefile or CSV, and how it was settled. */
  encoding: { name: string; source: 'option' | 'cpg' | 'detected' } | null;
  features: AsyncIterable<SourceFeature | UnreadableFeature> | Iterable<SourceFeature | UnreadableFeature>;
  /** Removes what opening extracted (a zipped Shapefile's folder). */
  close(): void;
}

export interface ReadOptions {
  /** field → source column (--map field=column). */
  columnMap?: Record<string, string>;
  /** Attribute encoding (--encoding), overriding a .cpg and detection. */
  encoding?: string | null;
  /** A table without lng/lat or WKT columns is read with null geometry instead of refused. */
  geometryOptional?: boolean;
}

/** GeoJSON read whole (not streamed) up to this size; larger files must be newline-delimited. */
export const MAX_GEOJSON_BYTES = 512 * 1024 ** 2;

const LNG_COLUMNS = ['lng', 'lon', 'long', 'longitude', 'x', '经度'];
const LAT_COLUMNS = ['lat', 'latitude', 'y', '纬度'];
const WKT_COLUMNS = ['wkt', 'geometry', 'geom', 'the_geom', 'shape'];

/** The first bytes of a file. */
function readHead(path: string, count: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(count);
    return buffer.subarray(0, readSync(fd, buffer, 0, count, 0));
  } finally {
    closeSync(fd);
  }
}

/** The file's format from its first bytes and its extension; throws when it is none of the readable ones. */
export function detectFormat(path: string, head: Buffer): SourceFormat {
  const extension = extname(path).toLowerCase();
  if (head.length === 0) throw new Error('empty file');
  if (head[0] === 0x50 && head[1] === 0x4b) return extension === '.xlsx' ? 'xlsx' : 'shapefile';
  if (head.subarray(0, 16).toString('latin1') === 'SQLite format 3\0') return 'geopackage';
  // An OSM PBF file starts with a 4-byte header length and its first blob's type, "OSMHeader".
  if (head.subarray(4, 40).includes('OSMHeader')) return 'osmpbf';
  if (extension === '.pbf') throw new Error('not an OSM PBF file (no OSMHeader blob at the start)');
  if (['.shp', '.dbf', '.shx'].includes(extension)) throw new Error('a bare Shapefile part: zip the .shp with its .shx, .dbf, .prj and .cpg');
  if (extension === '.gpkg') throw new Error('not a GeoPackage (no SQLite header)');
  if (extension === '.xlsx') throw new Error('not an XLSX workbook (no zip header)');
  if (extension === '.zip') throw new Error('not a zip file (no zip header)');
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new Error('empty file (only white space)');
  // Text formats never hold NUL or most other control bytes; a file that does is binary.
  const controls = head.filter((byte) => byte < 0x09 || (byte > 0x0d && byte < 0x20)).length;
  if (controls > 0) throw new Error(`binary data (${controls} control bytes in the first ${head.length}), not GeoJSON, CSV, XLSX, a zipped Shapefile or a GeoPackage`);
  const first = text.trimStart()[0];
  if (['.ndjson', '.geojsonl', '.geojsons', '.jsonl'].includes(extension)) return 'ndjson';
  if (first === '{' || first === '[' || ['.geojson', '.json'].includes(extension)) return 'geojson';
  if (['.csv', '.txt', '.tsv'].includes(extension)) return 'csv';
  throw new Error(`unknown format (extension "${extension || 'none'}"): expected .geojson, .ndjson, .csv, .xlsx, .zip (Shapefile) or .gpkg`);
}

/** Renames columns by the map: the field gets the column's value (the column stays too). */
function applyColumnMap(row: Record<string, unknown>, columnMap: Record<string, string> | undefined): Record<string, unknown> {
  if (!columnMap) return row;
  const out: Record<string, unknown> = { ...row };
  for (const [field, column] of Object.entries(columnMap)) out[field] = row[column];
  return out;
}

/** The GeoJSON "crs" member's system (urn:ogc:def:crs:EPSG::4549, EPSG:4326, OGC CRS84). */
function crsOfGeoJsonMember(member: unknown): ImportCrs | null {
  const name = (member as { properties?: { name?: unknown } } | null)?.properties?.name;
  if (typeof name !== 'string') return null;
  if (/CRS84$/i.test(name)) return crsOfEpsg(4326);
  const epsg = /EPSG:*(\d+)$/i.exec(name);
  if (!epsg) throw new Error(`the GeoJSON "crs" ${name} is not an EPSG code`);
  const crs = crsOfEpsg(Number(epsg[1]));
  if (!crs) throw new Error(`the GeoJSON "crs" EPSG:${epsg[1]} is not supported`);
  return crs;
}

function openGeoJson(path: string, columnMap: ReadOptions['columnMap']): FeatureSource {
  if (statSync(path).size > MAX_GEOJSON_BYTES) throw new Error(`GeoJSON larger than ${MAX_GEOJSON_BYTES / 1024 ** 2} MiB: use newline-delimited GeoJSON`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new Error(`not valid JSON (${error instanceof Error ? error.message.replace(/, ".*/s, '') : String(error)})`, { cause: error });
  }
  const type = (json as { type?: unknown } | null)?.type;
  const features = type === 'FeatureCollection' ? (json as { features?: unknown }).features : type === 'Feature' ? [json] : null;
  if (!Array.isArray(features)) throw new Error(`not a GeoJSON FeatureCollection or Feature (type ${JSON.stringify(type)})`);
  if (features.length === 0) throw new Error('the FeatureCollection is empty');
  if (features.length > MAX_IMPORT_FEATURES) throw new Error(`more than ${MAX_IMPORT_FEATURES} features: split the file`);
  const declaredCrs = crsOfGeoJsonMember((json as { crs?: unknown }).crs);
  return {
    format: 'geojson',
    declaredCrs,
    encoding: null,
    features: (function* () {
      for (let i = 0; i < features.length; i++) yield geoJsonFeature(features[i], i + 1, columnMap);
    })(),
    close() {},
  };
}

function geoJsonFeature(value: unknown, number: number, columnMap: ReadOptions['columnMap']): SourceFeature | UnreadableFeature {
  const feature = value as { type?: unknown; properties?: unknown; geometry?: unknown } | null;
  if (feature === null || typeof feature !== 'object' || feature.type !== 'Feature') return { number, problem: 'not a GeoJSON Feature' };
  const properties = feature.properties && typeof feature.properties === 'object' ? (feature.properties as Record<string, unknown>) : {};
  return { number, properties: applyColumnMap(properties, columnMap), geometry: (feature.geometry ?? null) as Geometry | null };
}

function openNdjson(path: string, columnMap: ReadOptions['columnMap']): FeatureSource {
  return {
    format: 'ndjson',
    declaredCrs: null,
    encoding: null,
    features: (async function* () {
      const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
      let number = 0;
      for await (const line of lines) {
        if (line.trim() === '') continue;
        number += 1;
        let value: unknown;
        try {
          value = JSON.parse(line.replace(/^\uFEFF/, ''));
        } catch {
          yield { number, problem: 'not valid JSON on this line' };
          continue;
        }
        yield geoJsonFeature(value, number, columnMap);
      }
    })(),
    close() {},
  };
}

/** Decodes a byte stream as GB18030 (or another TextDecoder encoding) into UTF-8 text. */
function decodingStream(encoding: string): Transform {
  const decoder = new TextDecoder(encoding);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      callback(null, decoder.decode(chunk, { stream: true }));
    },
    flush(callback) {
      callback(null, decoder.decode());
    },
  });
}

/** Geometry of a tabular row from its (mapped) lon/lat or WKT columns. */
function tabularGeometry(row: Record<string, unknown>, columns: ReturnType<typeof geometryColumns>): Geometry | string | null {
  if ('none' in columns) return null;
  if ('wkt' in columns) {
    const text = row[columns.wkt];
    if (text === undefined || text === null || String(text).trim() === '') return `no geometry in column "${columns.wkt}"`;
    try {
      return parseWkt(String(text));
    } catch (error) {
      return `column "${columns.wkt}": ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  const lng = toNumber(row[columns.lng]);
  const lat = toNumber(row[columns.lat]);
  if (lng === null) return `column "${columns.lng}": not a number (${JSON.stringify(row[columns.lng] ?? null)})`;
  if (lat === null) return `column "${columns.lat}": not a number (${JSON.stringify(row[columns.lat] ?? null)})`;
  return { type: 'Point', coordinates: [lng, lat] };
}

/** A finite number from a cell (number or numeric text), else null. */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const number = Number(value.trim());
  return Number.isFinite(number) ? number : null;
}

/** Which columns hold the geometry, from the (mapped) header; throws naming the header when none do. */
function geometryColumns(header: readonly string[], optional = false): { lng: string; lat: string } | { wkt: string } | { none: true } {
  const find = (names: readonly string[]) => header.find((column) => names.includes(column.trim().toLowerCase()));
  const lng = find(LNG_COLUMNS);
  const lat = find(LAT_COLUMNS);
  if (lng && lat) return { lng, lat };
  const wkt = find(WKT_COLUMNS);
  if (wkt) return { wkt };
  if (optional) return { none: true };
  throw new Error(`no lng/lat or WKT columns (header: ${header.slice(0, 12).join(',')}); name them with --map lng=COLUMN --map lat=COLUMN or --map wkt=COLUMN`);
}

/** A header with the mapped fields added (a field's column must exist). */
function mappedHeader(header: readonly string[], columnMap: ReadOptions['columnMap']): string[] {
  const out = [...header];
  for (const [field, column] of Object.entries(columnMap ?? {})) {
    if (!header.includes(column)) throw new Error(`--map ${field}=${column}: no column "${column}" (header: ${header.slice(0, 12).join(',')})`);
    if (!out.includes(field)) out.push(field);
  }
  return out;
}

function openCsv(path: string, options: ReadOptions): FeatureSource {
  const encodingName = options.encoding ? normaliseEncoding(options.encoding) : detectTextEncoding(readHead(path, 1024 * 1024).subarray(0, -4));
  if (!encodingName) throw new Error(`--encoding: unknown encoding "${options.encoding}"`);
  const encoding = { name: encodingName, source: options.encoding ? ('option' as const) : ('detected' as const) };
  return {
    format: 'csv',
    declaredCrs: null,
    encoding,
    features: (async function* () {
      const parser = createReadStream(path)
        .pipe(decodingStream(encodingName))
        .pipe(parseCsvStream({ bom: true, columns: (header: string[]) => header.map((c) => c.trim()), skip_empty_lines: true, relax_column_count: true, trim: true }));
      let columns: ReturnType<typeof geometryColumns> | null = null;
      let number = 0;
      try {
        for await (const record of parser as AsyncIterable<Record<string, string>>) {
          number += 1;
          if (columns === null) columns = geometryColumns(mappedHeader(Object.keys(record), options.columnMap), options.geometryOptional);
          const row = applyColumnMap(record, options.columnMap);
          const geometry = tabularGeometry(row, columns);
          yield typeof geometry === 'string' ? { number, problem: geometry } : { number, properties: row, geometry };
        }
      } catch (error) {
        if (error instanceof Error && /^(no lng\/lat|--map )/.test(error.message)) throw error;
        throw new Error(`not readable CSV after row ${number} (${error instanceof Error ? error.message : String(error)})`, { cause: error });
      }
      if (number === 0) throw new Error('no data rows, only a header');
    })(),
    close() {},
  };
}

/** A cell's plain value: text, number, boolean, ISO date, a formula's result; null when blank. */
function cellValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const cell = value as { result?: unknown; richText?: { text: string }[]; text?: unknown; hyperlink?: unknown; error?: unknown };
    if (cell.richText) return cell.richText.map((run) => run.text).join('');
    if ('result' in cell) return cellValue(cell.result);
    if (cell.text !== undefined) return cellValue(cell.text);
    if (cell.error !== undefined) return null;
  }
  return value;
}

/** XLSX read whole up to this size (exceljs's streaming reader garbles multi-byte text at chunk boundaries). */
export const MAX_XLSX_BYTES = 200 * 1024 ** 2;

function openXlsx(path: string, options: ReadOptions): FeatureSource {
  if (statSync(path).size > MAX_XLSX_BYTES) throw new Error(`XLSX larger than ${MAX_XLSX_BYTES / 1024 ** 2} MiB: save it as CSV`);
  return {
    format: 'xlsx',
    declaredCrs: null,
    encoding: null,
    features: (async function* () {
      await checkZipInflation(path);
      // Loaded here, not at start: exceljs and its dependencies take hundreds of ms to load.
      const { default: ExcelJS } = await import('exceljs');
      const workbook = new ExcelJS.Workbook();
      try {
        await workbook.xlsx.readFile(path);
      } catch (error) {
        throw new Error(`not a readable XLSX workbook (${error instanceof Error ? error.message : String(error)})`, { cause: error });
      }
      // The first worksheet is the ledger; further sheets are notes.
      const worksheet = workbook.worksheets[0];
      if (!worksheet || worksheet.rowCount === 0) throw new Error('the first worksheet is empty');
      let number = 0;
      let header: string[] | null = null;
      let columns: ReturnType<typeof geometryColumns> | null = null;
      for (let r = 1; r <= worksheet.rowCount; r++) {
        const values = (worksheet.getRow(r).values as unknown[]).slice(1).map(cellValue);
        if (header === null) {
          header = values.map((value) => String(value ?? '').trim());
          columns = geometryColumns(mappedHeader(header, options.columnMap), options.geometryOptional);
          continue;
        }
        if (values.every((value) => value === null || value === '')) continue;
        number += 1;
        const record: Record<string, unknown> = {};
        header.forEach((name, i) => {
          if (name !== '') record[name] = values[i] ?? null;
        });
        const mapped = applyColumnMap(record, options.columnMap);
        const geometry = tabularGeometry(mapped, columns!);
        yield typeof geometry === 'string' ? { number, problem: geometry } : { number, properties: mapped, geometry };
      }
      if (number === 0) throw new Error('no data rows, only a header');
    })(),
    close() {},
  };
}

async function openZippedShapefile(path: string, options: ReadOptions): Promise<FeatureSource> {
  const folder = mkdtempSync(join(tmpdir(), 'atlas-import-'));
  const close = () => rmSync(folder, { recursive: true, force: true });
  try {
    const { parts } = await extractShapefileZip(path, folder);
    const encoding = checkShapefile({ shp: parts['.shp']!, dbf: parts['.dbf']!, cpg: parts['.cpg'] }, options.encoding ?? null);
    let declaredCrs: ImportCrs | null = null;
    if (parts['.prj']) declaredCrs = crsOfWkt(readFileSync(parts['.prj'], 'utf8'));
    const features = readShapefileFeatures({ shp: parts['.shp']!, dbf: parts['.dbf']! }, encoding.encoding);
    return {
      format: 'shapefile',
      declaredCrs,
      encoding: { name: encoding.encoding, source: encoding.encodingSource },
      features: (async function* () {
        for await (const feature of features) yield { ...feature, properties: applyColumnMap(feature.properties, options.columnMap) };
      })(),
      close,
    };
  } catch (error) {
    close();
    throw error;
  }
}

function openGeoPackage(path: string, options: ReadOptions): FeatureSource {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    throw new Error(`not a readable GeoPackage (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  try {
    let layers: { table_name: string; column_name: string; srs_id: number }[];
    try {
      layers = db
        .prepare(
          `SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c
           JOIN gpkg_geometry_columns g ON g.table_name = c.table_name WHERE c.data_type = 'features' ORDER BY c.table_name`,
        )
        .all() as typeof layers;
    } catch {
      throw new Error('not a GeoPackage (no gpkg_contents / gpkg_geometry_columns tables)');
    }
    if (layers.length === 0) throw new Error('the GeoPackage has no feature table');
    if (layers.length > 1) throw new Error(`the GeoPackage has ${layers.length} feature tables (${layers.map((l) => l.table_name).join(', ')}): keep one`);
    const layer = layers[0]!;
    const srs = db.prepare('SELECT organization, organization_coordsys_id AS id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?').get(layer.srs_id) as
      | { organization: string; id: number; definition: string }
      | undefined;
    let declaredCrs: ImportCrs | null = null;
    if (srs && srs.id > 0) {
      declaredCrs = srs.organization.toUpperCase() === 'EPSG' ? crsOfEpsg(srs.id) : null;
      if (!declaredCrs) declaredCrs = crsOfWkt(srs.definition);
    }
    const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
    const rows = db.prepare(`SELECT * FROM ${quote(layer.table_name)}`);
    return {
      format: 'geopackage',
      declaredCrs,
      encoding: null,
      features: (function* () {
        let number = 0;
        for (const row of rows.iterate() as Iterable<Record<string, unknown>>) {
          number += 1;
          const { [layer.column_name]: blob, ...properties } = row;
          let geometry: Geometry | null = null;
          if (blob instanceof Uint8Array) {
            try {
              geometry = parseGeoPackageGeometry(blob);
            } catch (error) {
              yield { number, problem: error instanceof Error ? error.message : String(error) };
              continue;
            }
          }
          yield { number, properties: applyColumnMap(properties, options.columnMap), geometry };
        }
        if (number === 0) throw new Error(`the feature table ${layer.table_name} is empty`);
      })(),
      close: () => db.close(),
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Refuses a text file with more lines than MAX_IMPORT_FEATURES (+ a header) in one cheap streamed pass. */
async function checkLineCount(path: string): Promise<void> {
  let lines = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    const bytes = chunk as Buffer;
    for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) lines++;
    if (lines > MAX_IMPORT_FEATURES + 1) throw new Error(`more than ${MAX_IMPORT_FEATURES} rows: split the file`);
  }
}

/** Opens a source file; throws a one-line message (without the path) when it cannot be read at all. */
export async function openFeatureSource(path: string, options: ReadOptions = {}): Promise<FeatureSource> {
  let head: Buffer;
  try {
    if (statSync(path).isDirectory()) throw new Error('is a directory, expected a file');
    head = readHead(path, 4096);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : error instanceof Error ? error.message : String(error), { cause: error });
  }
  switch (detectFormat(path, head)) {
    case 'geojson':
      return openGeoJson(path, options.columnMap);
    case 'ndjson':
      await checkLineCount(path);
      return openNdjson(path, options.columnMap);
    case 'csv':
      await checkLineCount(path);
      return openCsv(path, options);
    case 'xlsx':
      return openXlsx(path, options);
    case 'shapefile':
      return openZippedShapefile(path, options);
    case 'geopackage':
      return openGeoPackage(path, options);
    case 'osmpbf':
      // Read whole by the roads layer (see roads.ts): OSM data is WGS84 by definition.
      return { format: 'osmpbf', declaredCrs: null, encoding: null, features: [], close() {} };
  }
}
