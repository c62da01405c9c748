// `npm run cli -- hotspots`: local Getis-Ord Gi / Gi* of a value per feature of a GeoJSON, Shapefile,
// dBASE or CSV file, with contiguity, k-nearest, distance-band or GAL weights; writes id,value,z,p,class.
// Also the file reading and weights building shared with `moran`.

import { basename, extname } from 'node:path';
import { parseArgs } from 'node:util';
import type { Geometry } from 'geojson';
import { createRng } from '../analysis/random';
import { createLocalProjection } from '../analysis/geo/local-projection';
import { buildContiguityWeights, type PolygonRings } from '../analysis/hotspots/contiguity-weights';
import { detectHotspots, prepareGetisOrdWeights } from '../analysis/hotspots/detect-hotspots';
import { buildDistanceBandWeights, buildKNearestWeights } from '../analysis/hotspots/distance-weights';
import { computeGlobalGetisOrd } from '../analysis/hotspots/getis-ord';
import { countNeighbors, parseGalWeights, withoutSelfWeights, type SpatialWeights } from '../analysis/hotspots/spatial-weights';
import {
  CliInputError,
  checkOutputPath,
  parseNumberText,
  readInputCsvRecords,
  readInputDbf,
  readInputFeatureCollection,
  readInputShapefile,
  readInputText,
  writeOutputText,
} from './cli-input';

export const usage = `Usage: npm run cli -- hotspots --input FILE --value FIELD --weights SPEC --out FILE [options]

Local Getis-Ord statistics per feature (Getis & Ord 1992; Ord & Getis 1995): z-scores, p-values and
classes +3/+2/+1 (hot spot at 99/95/90 % confidence), -1/-2/-3 (cold spot), 0 (not significant).
  --input FILE          .geojson/.json (polygons or points), .shp (with its .dbf), .dbf (attributes only,
                        with gal: weights), .csv (a WKT column, x/y or lng/lat columns, or none with gal:)
                        or a GeoDa .txt table (first line "n,k")
  --value FIELD         the numeric field to analyse
  --weights SPEC        queen | rook (shared vertex / edge) | knn:<k> | distance:<d> (band, in metres for
                        lng/lat data, else in the data's units; polygons use their centroids) | gal:<file>
  --id FIELD            feature ids (default: 1, 2, … in file order; GAL ids must match them)
  --star                Gi* (the feature itself in its neighbourhood, w_ii = 1); default Gi
  --row-standardized    row-standardised weights (default binary)
  --permutations N      conditional permutations (99–9999) for pseudo p-values; p is then the pseudo p-value
  --seed S              seed of the permutations (default 1)
  --fdr                 Benjamini-Hochberg false-discovery-rate control of the classes (adds a q column)
  --coordinates C       lnglat (degrees, projected to metres) or planar (default: lnglat for GeoJSON in the
                        WGS84 range and for lng/lat CSV columns, planar otherwise)
  --out FILE            .csv (id,value,z,p,class,g[,p_norm][,q]) or .geojson (the features with those properties)
Prints the global General G (Getis & Ord 1992) with its z-score and one-sided normal p-value.`;

/** One input feature: its id, attributes, and geometry in the file's coordinates (null without any). */
export interface FeatureTable {
  ids: string[];
  properties: Record<string, unknown>[];
  geometries: (Geometry | null)[];
  /** The file's coordinates are WGS84 degrees (distance weights then work in metres). */
  lngLat: boolean;
  /** The file as given on the command line, and its name. */
  path: string;
  source: string;
}

/** Reads features from GeoJSON, Shapefile, dBASE or CSV; refuses a file without any. */
export async function readFeatureTable(path: string, idField: string | undefined, coordinates?: string): Promise<FeatureTable> {
  if (coordinates !== undefined && coordinates !== 'lnglat' && coordinates !== 'planar') throw new Error(`--coordinates must be lnglat or planar, got "${coordinates}"`);
  const extension = extname(path).toLowerCase();
  let properties: Record<string, unknown>[];
  let geometries: (Geometry | null)[];
  let degrees: boolean;
  if (extension === '.geojson' || extension === '.json') {
    const collection = readInputFeatureCollection(path);
    if (collection.features.length === 0) throw new CliInputError(path, 'no features (the FeatureCollection is empty)');
    properties = collection.features.map((feature) => (feature.properties ?? {}) as Record<string, unknown>);
    geometries = collection.features.map((feature) => feature.geometry ?? null);
    degrees = geometries.every((geometry) => geometry === null || withinLngLatRange(geometry));
  } else if (extension === '.shp') {
    const { features, prj } = await readInputShapefile(path);
    properties = features.map((feature) => (feature.properties ?? {}) as Record<string, unknown>);
    geometries = features.map((feature) => feature.geometry ?? null);
    degrees = /^\s*GEOGCS/i.test(prj ?? '');
  } else if (extension === '.dbf') {
    properties = await readInputDbf(path);
    geometries = properties.map(() => null);
    degrees = false;
  } else if (extension === '.csv' || extension === '.txt') {
    // GeoDa text files start with a line "n,k" before the header: skip it.
    const text = readInputText(path).replace(/^\s*\d+\s*,\s*\d+\s*\r?\n/, '');
    const rows = readInputCsvRecords(path, { skip_empty_lines: true, trim: true }, text);
    properties = rows;
    const columns = Object.keys(rows[0]!);
    const find = (...names: string[]) => columns.find((column) => names.includes(column.toLowerCase()));
    const wkt = find('wkt', 'geometry', 'geom');
    const lng = find('lng', 'lon', 'longitude');
    const lat = find('lat', 'latitude');
    const x = find('x');
    const y = find('y');
    const point = (row: Record<string, string>, xColumn: string, yColumn: string): Geometry | null => {
      const xy = [parseNumberText(row[xColumn]), parseNumberText(row[yColumn])];
      return xy.every(Number.isFinite) ? { type: 'Point', coordinates: xy } : null;
    };
    if (wkt) {
      geometries = rows.map((row, i) => {
        try {
          return parseWkt(row[wkt]!);
        } catch (error) {
          throw new CliInputError(path, `data row ${i + 1}: ${error instanceof Error ? error.message : String(error)}`);
        }
      });
    } else if (lng && lat) geometries = rows.map((row) => point(row, lng, lat));
    else if (x && y) geometries = rows.map((row) => point(row, x, y));
    else geometries = rows.map(() => null);
    degrees = Boolean(lng && lat && !wkt);
  } else {
    throw new Error(`--input: unsupported file type "${extension}" (use .geojson, .json, .shp, .dbf, .csv or a GeoDa .txt)`);
  }
  if (coordinates !== undefined) degrees = coordinates === 'lnglat';
  const ids = properties.map((row, i) => {
    if (idField === undefined) return String(i + 1);
    const value = row[idField];
    if (value === undefined || value === null) throw new CliInputError(path, `feature ${i + 1} has no field "${idField}" (--id)`);
    return String(value);
  });
  if (new Set(ids).size !== ids.length) throw new CliInputError(path, `the ids in "${idField}" are not unique (--id)`);
  return { ids, properties, geometries, lngLat: degrees, path, source: basename(path) };
}

function withinLngLatRange(geometry: Geometry): boolean {
  const positions = positionsOf(geometry);
  return positions.every(([x, y]) => Math.abs(x!) <= 180 && Math.abs(y!) <= 90);
}

function positionsOf(geometry: Geometry): number[][] {
  switch (geometry.type) {
    case 'Point':
      return [geometry.coordinates];
    case 'MultiPoint':
    case 'LineString':
      return geometry.coordinates;
    case 'Polygon':
    case 'MultiLineString':
      return geometry.coordinates.flat();
    case 'MultiPolygon':
      return geometry.coordinates.flat(2);
    default:
      return [];
  }
}

/** POINT, POLYGON and MULTIPOLYGON in Well-Known Text. */
export function parseWkt(text: string): Geometry {
  const match = /^\s*(POINT|POLYGON|MULTIPOLYGON)\s*(\(.*\))\s*$/is.exec(text);
  if (!match) throw new Error(`unsupported WKT: ${text.slice(0, 40)}…`);
  // Turn the coordinate text into JSON arrays: "(1 2, 3 4)" → "[[1,2],[3,4]]".
  const json = match[2]!
    .replace(/\(/g, '[')
    .replace(/\)/g, ']')
    .replace(/([-\d.eE+]+)\s+([-\d.eE+]+)/g, '[$1,$2]');
  const nested = JSON.parse(json) as unknown;
  const type = match[1]!.toUpperCase();
  if (type === 'POINT') return { type: 'Point', coordinates: (nested as number[][])[0]! };
  if (type === 'POLYGON') return { type: 'Polygon', coordinates: nested as number[][][] };
  return { type: 'MultiPolygon', coordinates: nested as number[][][][] };
}

/** Refuses a table too small for the statistic: its variance needs at least `minimum` features. */
export function requireFeatureCount(table: FeatureTable, minimum: number, statistic: string): void {
  if (table.ids.length < minimum) {
    throw new CliInputError(table.path, `${table.ids.length} feature${table.ids.length === 1 ? '' : 's'}; ${statistic} needs at least ${minimum}`);
  }
}

/** The numeric field of every feature. */
export function readValues(table: FeatureTable, field: string): Float64Array {
  if (table.properties.every((row) => !(field in row))) {
    const fields = Object.keys(table.properties[0] ?? {});
    throw new CliInputError(table.path, `no field "${field}" (--value); fields: ${fields.slice(0, 20).join(', ')}${fields.length > 20 ? ', …' : ''}`);
  }
  return Float64Array.from(table.properties, (row, i) => {
    const raw = row[field];
    const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? parseNumberText(raw) : Number.NaN;
    if (!Number.isFinite(value)) throw new CliInputError(table.path, `feature ${table.ids[i]} has no number in "${field}" (--value), got ${JSON.stringify(raw) ?? 'nothing'}`);
    return value;
  });
}

/** The rings of every feature for contiguity weights; refuses a table with a non-polygon feature. */
function polygonRingsOf(table: FeatureTable, spec: string): PolygonRings[] {
  if (!table.geometries.some((geometry) => geometry?.type === 'Polygon' || geometry?.type === 'MultiPolygon')) {
    throw new CliInputError(table.path, `no Polygon or MultiPolygon features (--weights ${spec} needs polygons)`);
  }
  return table.geometries.map((geometry, i) => {
    if (geometry?.type === 'Polygon') return [geometry.coordinates];
    if (geometry?.type === 'MultiPolygon') return geometry.coordinates;
    throw new CliInputError(table.path, `feature ${table.ids[i]} is ${geometry ? `a ${geometry.type}` : 'without geometry'} (--weights ${spec} needs polygons)`);
  });
}

/** A representative point per feature: the point itself, or a polygon's area centroid. */
function representativePoints(table: FeatureTable, spec: string): Float64Array {
  const xy = new Float64Array(table.ids.length * 2);
  table.geometries.forEach((geometry, i) => {
    if (geometry?.type === 'Point') {
      xy[2 * i] = geometry.coordinates[0]!;
      xy[2 * i + 1] = geometry.coordinates[1]!;
      return;
    }
    if (geometry?.type !== 'Polygon' && geometry?.type !== 'MultiPolygon') {
      const where = table.geometries.some((g) => g?.type === 'Point' || g?.type === 'Polygon' || g?.type === 'MultiPolygon')
        ? `feature ${table.ids[i]} is ${geometry ? `a ${geometry.type}` : 'without a location'}`
        : 'no Point, Polygon or MultiPolygon features';
      throw new CliInputError(table.path, `${where} (--weights ${spec} needs a point or polygon per feature)`);
    }
    const rings = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    let area = 0;
    let cx = 0;
    let cy = 0;
    for (const polygon of rings) {
      polygon.forEach((ring) => {
        for (let v = 0; v + 1 < ring.length; v++) {
          const [x0, y0] = ring[v]!;
          const [x1, y1] = ring[v + 1]!;
          const cross = x0! * y1! - x1! * y0!;
          area += cross;
          cx += (x0! + x1!) * cross;
          cy += (y0! + y1!) * cross;
        }
      });
    }
    xy[2 * i] = cx / (3 * area);
    xy[2 * i + 1] = cy / (3 * area);
  });
  if (table.lngLat) {
    // Degrees → metres on a local plane around the mean point.
    let lng = 0;
    let lat = 0;
    for (let i = 0; i < table.ids.length; i++) {
      lng += xy[2 * i]!;
      lat += xy[2 * i + 1]!;
    }
    const projection = createLocalProjection(lng / table.ids.length, lat / table.ids.length);
    for (let i = 0; i < table.ids.length; i++) {
      const [x, y] = projection.toXY([xy[2 * i]!, xy[2 * i + 1]!]);
      xy[2 * i] = x;
      xy[2 * i + 1] = y;
    }
  }
  return xy;
}

/** Binary weights (no self weights) from a --weights spec. */
export function buildCliWeights(table: FeatureTable, spec: string): { weights: SpatialWeights; description: string } {
  if (spec === 'queen' || spec === 'rook') {
    return { weights: buildContiguityWeights(polygonRingsOf(table, spec), spec), description: `${spec} contiguity` };
  }
  const knn = /^knn:(\d+)$/.exec(spec);
  if (knn) {
    const k = Number(knn[1]);
    const count = table.ids.length;
    if (k < 1 || k >= count) {
      throw new Error(`--weights ${spec}: k must be ${count > 1 ? `1…${count - 1}` : 'below the feature count'}, as ${table.path} has ${count} feature${count === 1 ? '' : 's'}`);
    }
    return { weights: buildKNearestWeights(representativePoints(table, spec), k), description: `${knn[1]} nearest neighbours` };
  }
  const band = /^distance:([\d.eE+]+)$/.exec(spec);
  if (band) {
    const distance = Number(band[1]);
    if (!(distance > 0) || !Number.isFinite(distance)) throw new Error(`--weights ${spec}: the distance must be a number > 0`);
    return {
      weights: buildDistanceBandWeights(representativePoints(table, spec), distance),
      description: `distance band ≤ ${distance}${table.lngLat ? ' m' : ' (data units)'}`,
    };
  }
  if (spec.startsWith('gal:')) {
    const path = spec.slice(4);
    let weights: SpatialWeights;
    try {
      weights = parseGalWeights(readInputText(path, 'the --weights gal: file'), table.ids).weights;
    } catch (error) {
      if (error instanceof CliInputError) throw error;
      const message = error instanceof Error ? error.message.replace(/^GAL: /, '') : String(error);
      throw new CliInputError(path, `not a usable GAL file for ${table.source} (${message})`);
    }
    return { weights: withoutSelfWeights(weights), description: `GAL ${basename(path)}` };
  }
  throw new Error(`--weights must be queen, rook, knn:<k>, distance:<d> or gal:<file>, got "${spec}"`);
}

/** "min / mean / max neighbours, islands". */
export function describeNeighbors(weights: SpatialWeights): string {
  const counts = countNeighbors(weights);
  let min = counts.length > 0 ? Infinity : 0;
  let max = 0;
  let sum = 0;
  let islands = 0;
  for (const count of counts) {
    min = Math.min(min, count);
    max = Math.max(max, count);
    sum += count;
    if (count === 0) islands++;
  }
  return `neighbours min ${min}, mean ${(sum / Math.max(1, counts.length)).toFixed(2)}, max ${max}; ${islands} without neighbours`;
}

/** A number for CSV: full precision, empty for NaN. */
export const csvNumber = (value: number): string => (Number.isFinite(value) ? String(value) : '');

const csvText = (value: string): string => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** Refuses an --out path that is not a writable .csv or .geojson/.json file, before any work. */
export function checkTableOutputPath(path: string): void {
  const extension = extname(path).toLowerCase();
  if (extension !== '.csv' && extension !== '.geojson' && extension !== '.json') throw new Error(`--out: write .csv or .geojson, got "${extension}"`);
  checkOutputPath(path);
}

/** Writes rows (first row = header) as CSV, or as GeoJSON with the columns as properties. */
export function writeTable(path: string, table: FeatureTable, header: string[], rows: (string | number)[][]): void {
  const extension = extname(path).toLowerCase();
  if (extension === '.csv') {
    const lines = [header.join(','), ...rows.map((row) => row.map((cell) => (typeof cell === 'number' ? csvNumber(cell) : csvText(cell))).join(','))];
    writeOutputText(path, `${lines.join('\n')}\n`);
    return;
  }
  if (extension === '.geojson' || extension === '.json') {
    const features = rows.map((row, i) => ({
      type: 'Feature' as const,
      id: table.ids[i],
      properties: {
        ...table.properties[i],
        ...Object.fromEntries(header.map((column, c) => [column, typeof row[c] === 'number' && !Number.isFinite(row[c]) ? null : row[c]])),
      },
      geometry: table.geometries[i] ?? null,
    }));
    writeOutputText(path, `${JSON.stringify({ type: 'FeatureCollection', features })}\n`);
    return;
  }
  throw new Error(`--out: write .csv or .geojson, got "${extension}"`);
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      input: { type: 'string' },
      value: { type: 'string' },
      weights: { type: 'string' },
      id: { type: 'string' },
      star: { type: 'boolean' },
      'row-standardized': { type: 'boolean' },
      permutations: { type: 'string' },
      seed: { type: 'string' },
      fdr: { type: 'boolean' },
      coordinates: { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
  });
  for (const required of ['input', 'value', 'weights', 'out'] as const) {
    if (values[required] === undefined) throw new Error(`--${required} is required\n\n${usage}`);
  }
  const permutations = values.permutations === undefined ? 0 : parseNumberText(values.permutations);
  if (values.permutations !== undefined && !(Number.isInteger(permutations) && permutations >= 99 && permutations <= 9999)) {
    throw new Error(`--permutations must be an integer 99…9999, got "${values.permutations}"`);
  }
  const seed = values.seed === undefined ? 1 : parseNumberText(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a non-negative integer, got "${values.seed}"`);
  checkTableOutputPath(values.out!);

  const table = await readFeatureTable(values.input!, values.id, values.coordinates);
  const star = values.star ?? false;
  const x = readValues(table, values.value!);
  const { weights: base, description } = buildCliWeights(table, values.weights!);
  // Gi* has a variance from 2 features on, Gi (which leaves each feature out) from 3.
  requireFeatureCount(table, star ? 2 : 3, star ? 'Gi*' : 'Gi');
  const rowStandardized = values['row-standardized'] ?? false;
  const weights = prepareGetisOrdWeights(base, { star, rowStandardized });
  const rng = createRng(seed);
  const result = detectHotspots(x, weights, { star, permutations, random: () => rng.next(), fdr: values.fdr ?? false });

  const header = ['id', 'value', 'z', 'p', 'class', 'g'];
  if (permutations > 0) header.push('p_norm');
  if (result.q) header.push('q');
  const rows = table.ids.map((id, i) => {
    const row: (string | number)[] = [id, x[i]!, result.z[i]!, result.p[i]!, result.classes[i]!, result.g[i]!];
    if (permutations > 0) row.push(result.pNormal[i]!);
    if (result.q) row.push(result.q[i]!);
    return row;
  });
  writeTable(values.out!, table, header, rows);

  const classCounts = new Map<number, number>();
  for (const cls of result.classes) classCounts.set(cls, (classCounts.get(cls) ?? 0) + 1);
  const global = computeGlobalGetisOrd(x, base);
  console.log(`${table.source}: ${table.ids.length} features, ${star ? 'Gi*' : 'Gi'} of ${values.value} on ${description} (${rowStandardized ? 'row-standardised' : 'binary'})`);
  console.log(`  ${describeNeighbors(base)}`);
  console.log(
    `  classes: ${[3, 2, 1, 0, -1, -2, -3].map((cls) => `${cls > 0 ? '+' : ''}${cls}: ${classCounts.get(cls) ?? 0}`).join(', ')}` +
      `${permutations > 0 ? ` (pseudo p-values from ${permutations} permutations, seed ${seed})` : ''}${values.fdr ? ', FDR-controlled' : ''}`,
  );
  console.log(`  global G = ${global.g.toPrecision(8)}, E[G] = ${global.expected.toPrecision(8)}, z = ${global.z.toFixed(4)}, p (one-sided) = ${global.pOneSided.toPrecision(4)}`);
  console.log(`  wrote ${values.out}`);
  return 0;
}
