// The CLI's file reading and option parsing: every bad input (missing, a directory, empty, not JSON,
// CSV, Shapefile or PBF, no usable features) is a CliInputError whose one-line message starts with the path.

import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { parse as parseCsv, type Options as CsvOptions } from 'csv-parse/sync';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { findDbaseProblem, findOsmPbfProblem, findShapefileProblem } from './file-format-checks';

/** A bad input or output file: the message is "<path>: <problem>" on one line. */
export class CliInputError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${toOneLine(problem)}`);
    this.name = 'CliInputError';
  }
}

/** The text on one line (at most 300 characters), for messages that quote a parser. */
export function toOneLine(text: string): string {
  const line = text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/** What went wrong opening a file, from the error code. */
function describeFileError(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory, expected a file';
    case 'ENOTDIR':
      return 'no such file (a directory in the path is a file)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return `cannot read (${error instanceof Error ? error.message : String(error)})`;
  }
}

/** The bytes of an input file; refused when missing, a directory, unreadable or empty. `role` says what it is for. */
export function readInputBytes(path: string, role?: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new CliInputError(path, `${describeFileError(error)}${role ? ` (${role})` : ''}`);
  }
  if (bytes.length === 0) throw new CliInputError(path, 'empty file');
  return bytes;
}

/** An input file as UTF-8 text without a byte-order mark; refused when blank. */
export function readInputText(path: string, role?: string): string {
  const text = readInputBytes(path, role).toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new CliInputError(path, 'empty file (only white space)');
  return text;
}

/** "position 13, line 4 column 3" of a character offset. */
function describePosition(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `position ${position}, line ${line} column ${column}`;
}

/** V8's JSON.parse message without the quoted source, with a line and column where V8 gives a position. */
function describeJsonError(text: string, message: string): string {
  const at = /^(.*?) in JSON at position (\d+)/s.exec(message);
  if (at) return `${at[1]!.charAt(0).toLowerCase()}${at[1]!.slice(1)} at ${describePosition(text, Number(at[2]))}`;
  if (message.startsWith('Unexpected end of JSON input')) return `unexpected end of input at ${describePosition(text, text.length)}`;
  // V8 quotes the source, shortened with "..." around it when long: drop it.
  const token = /^Unexpected token (.+?), (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s.exec(message);
  if (token) return `unexpected token ${token[1]}`;
  return message;
}

/** An input file parsed as JSON; refused, with the position, when it does not parse. */
export function readInputJson(path: string, role?: string): unknown {
  const text = readInputText(path, role);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliInputError(path, `not valid JSON (${describeJsonError(text, error instanceof Error ? error.message : String(error))})`);
  }
}

/** A GeoJSON FeatureCollection file (features not checked: see requireFeatures). */
export function readInputFeatureCollection(path: string, role?: string): FeatureCollection<Geometry | null> {
  const json = readInputJson(path, role);
  const type = Array.isArray(json) ? 'an array' : json !== null && typeof json === 'object' ? `type ${JSON.stringify((json as { type?: unknown }).type)}` : typeof json;
  if (json === null || typeof json !== 'object' || (json as { type?: unknown }).type !== 'FeatureCollection') {
    throw new CliInputError(path, `not a GeoJSON FeatureCollection (got ${type})`);
  }
  const features = (json as { features?: unknown }).features;
  if (!Array.isArray(features)) throw new CliInputError(path, 'not a GeoJSON FeatureCollection ("features" is not an array)');
  features.forEach((feature: unknown, i) => {
    if (feature === null || typeof feature !== 'object' || (feature as { type?: unknown }).type !== 'Feature') {
      throw new CliInputError(path, `feature ${i + 1} is not a GeoJSON Feature`);
    }
  });
  return json as FeatureCollection<Geometry | null>;
}

type GeometryType = Geometry['type'];

/** The features whose geometry is one of `geometryTypes`; refused when there are none. */
export function requireFeatures<T extends GeometryType>(
  path: string,
  collection: FeatureCollection<Geometry | null>,
  geometryTypes: readonly T[],
): Feature<Extract<Geometry, { type: T }>>[] {
  const wanted = new Set<string>(geometryTypes);
  const usable = collection.features.filter((feature) => wanted.has(feature.geometry?.type ?? ''));
  if (usable.length === 0) {
    const found = [...new Set(collection.features.map((feature) => feature.geometry?.type ?? 'no geometry'))];
    const detail = collection.features.length === 0 ? 'the FeatureCollection is empty' : `${collection.features.length} feature${collection.features.length === 1 ? '' : 's'}: ${found.join(', ')}`;
    throw new CliInputError(path, `no ${geometryTypes.join(' or ')} features (${detail})`);
  }
  return usable as Feature<Extract<Geometry, { type: T }>>[];
}

/** The records of a CSV file with a header line (csv-parse `columns: true`); refused when it has none. */
export function readInputCsvRecords(path: string, options: CsvOptions = {}, text = readInputText(path)): Record<string, string>[] {
  let records: Record<string, string>[];
  try {
    records = parseCsv(text, { ...options, columns: true }) as unknown as Record<string, string>[];
  } catch (error) {
    throw new CliInputError(path, error instanceof Error ? error.message : String(error));
  }
  if (records.length === 0) throw new CliInputError(path, 'no data rows, only a header');
  return records;
}

/** The rows of a CSV file as arrays of fields (any header is left to the caller). */
export function readInputCsvRows(path: string, options: CsvOptions = {}): string[][] {
  const text = readInputText(path);
  try {
    return parseCsv(text, { ...options, columns: false }) as string[][];
  } catch (error) {
    throw new CliInputError(path, error instanceof Error ? error.message : String(error));
  }
}

/** `path` with its extension replaced, in the extension's case ("A.SHP" → "A.DBF"). */
function siblingPath(path: string, extension: string): string {
  const match = /\.[^./\\]+$/.exec(path);
  const stem = match ? path.slice(0, match.index) : path;
  return `${stem}${match && match[0] === match[0].toUpperCase() ? extension.toUpperCase() : extension}`;
}

/** The features of a Shapefile (.shp with its .dbf beside it), and its .prj text if there is one. */
export async function readInputShapefile(path: string): Promise<{ features: Feature<Geometry | null>[]; prj: string | null }> {
  const shp = readInputBytes(path);
  const shpProblem = findShapefileProblem(shp);
  if (shpProblem) throw new CliInputError(path, `not a readable Shapefile (${shpProblem})`);
  const dbfPath = siblingPath(path, '.dbf');
  const dbf = readInputBytes(dbfPath, `the attribute table of ${basename(path)}`);
  const dbfProblem = findDbaseProblem(dbf);
  if (dbfProblem) throw new CliInputError(dbfPath, `not a readable dBASE file (${dbfProblem})`);
  let collection: FeatureCollection<Geometry | null>;
  try {
    // Loaded here, not at start: only Shapefile input needs it, and it takes tens of ms to load.
    const { read: readShapefile } = await import('shapefile');
    collection = (await readShapefile(new Uint8Array(shp), new Uint8Array(dbf))) as FeatureCollection<Geometry | null>;
  } catch (error) {
    throw new CliInputError(path, `not a readable Shapefile (${error instanceof Error ? error.message : String(error)})`);
  }
  if (collection.features.length === 0) throw new CliInputError(path, 'no features (the Shapefile has no records)');
  let prj: string | null;
  try {
    prj = readFileSync(siblingPath(path, '.prj'), 'utf8');
  } catch {
    prj = null;
  }
  return { features: collection.features, prj };
}

/** The records of a dBASE (.dbf) file; refused when unreadable or without records. */
export async function readInputDbf(path: string): Promise<Record<string, unknown>[]> {
  const bytes = readInputBytes(path);
  const problem = findDbaseProblem(bytes);
  if (problem) throw new CliInputError(path, `not a readable dBASE file (${problem})`);
  const records: Record<string, unknown>[] = [];
  try {
    const { openDbf } = await import('shapefile');
    const source = await openDbf(new Uint8Array(bytes));
    for (let record = await source.read(); !record.done; record = await source.read()) records.push(record.value as Record<string, unknown>);
  } catch (error) {
    throw new CliInputError(path, `not a readable dBASE file (${error instanceof Error ? error.message : String(error)})`);
  }
  if (records.length === 0) throw new CliInputError(path, 'no records');
  return records;
}

/** The bytes of an OSM PBF file whose blobs are all complete and inflate (see findOsmPbfProblem). */
export function readInputOsmPbf(path: string): Buffer {
  const bytes = readInputBytes(path);
  const problem = findOsmPbfProblem(bytes);
  if (problem) throw new CliInputError(path, `not a readable OSM PBF file (${problem})`);
  return bytes;
}

/** Refuses an output path that cannot be written: a directory, or in a directory that does not exist. */
export function checkOutputPath(path: string): void {
  const directory = dirname(path);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(directory).isDirectory();
  } catch {
    throw new CliInputError(path, `cannot write: no such directory ${directory}`);
  }
  if (!isDirectory) throw new CliInputError(path, `cannot write: ${directory} is not a directory`);
  let target;
  try {
    target = statSync(path);
  } catch {
    return;
  }
  if (target.isDirectory()) throw new CliInputError(path, 'is a directory, expected a file');
}

/** Writes an output file; a failure is a one-line CliInputError. */
export function writeOutputText(path: string, text: string | Uint8Array): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliInputError(path, `cannot write (${code === 'EISDIR' ? 'is a directory' : code === 'ENOENT' ? 'no such directory' : error instanceof Error ? error.message : String(error)})`);
  }
}

/** The number an option's text spells, NaN when blank (Number('') would be 0). */
export function parseNumberText(text: string | undefined): number {
  return text === undefined || text.trim() === '' ? Number.NaN : Number(text);
}
