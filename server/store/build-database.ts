// Builds the SQLite atlas database from data/sources: division codes, census, county polygons
// (GCJ-02 → WGS84, rings rebuilt from their boundary chain), the shared-arc topology, per-band
// simplified geometry, dissolved city and province polygons, and boundary lines derived from the arcs.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { LineString, MultiLineString, MultiPolygon, Position } from 'geojson';
import polylabel from 'polylabel';
import { length as turfLength } from '@turf/turf';
import { nodeRingCrossings } from '../analysis/geo/node-ring-crossings';
import { partitionPlanarFaces, type FaceOwnerRule } from '../analysis/geo/planar-partition';
import {
  buildUnitTopology,
  groupBoundaryArcs,
  mergeUnitArcs,
  renderChains,
  renderPolygonal,
  renderUnit,
  simplifyTopologyByBand,
  type BoundaryArcGroup,
  type UnitTopology,
} from '../analysis/geo/unit-topology';
import { FULL_DETAIL_BAND } from '../analysis/geo/zoom-bands';
import { createWgs84Converter } from '../ingest/coordinate-systems';
import {
  readCountyCensus,
  readCountyOutlines,
  readDivisionCodes,
  type DivisionRecord,
} from '../ingest/liaoning-sources';
import type { BoundaryLevel } from './atlas-store';
import { BUILDER_VERSION, SCHEMA_SQL } from './sqlite-schema';

export interface BuildOptions {
  sourcesDir: string;
  databasePath: string;
  log?: (message: string) => void;
}

export interface BuildSummary {
  dataVersion: string;
  counts: Record<string, number>;
  seconds: number;
}

/** Files (relative paths) whose content defines the database; sorted. */
function listSourceFiles(sourcesDir: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(relative(sourcesDir, path));
    }
  };
  walk(sourcesDir);
  return files;
}

/** Directories whose code decides what the builder writes (hashed into the data version). */
const BUILDER_CODE_DIRS = ['../analysis/geo', '../ingest', '.'].map((dir) => fileURLToPath(new URL(dir, import.meta.url)));

/**
 * The database's data version: a hash of the builder version, the builder's own code and every
 * source file, so a change to any of them rebuilds the database on the next start.
 */
export function computeDataVersion(sourcesDir: string): string {
  const hash = createHash('sha256');
  hash.update(`builder ${BUILDER_VERSION}\n`);
  for (const dir of BUILDER_CODE_DIRS) {
    for (const file of listSourceFiles(dir).filter((f) => f.endsWith('.ts') && !f.includes('/'))) {
      hash.update(`${file}\n`);
      hash.update(readFileSync(join(dir, file)));
    }
  }
  for (const file of listSourceFiles(sourcesDir)) {
    hash.update(`${file}\n`);
    hash.update(readFileSync(join(sourcesDir, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

/** The data version recorded in an existing database, or null if it is missing or unreadable. */
export function readDatabaseVersion(databasePath: string): string | null {
  if (!existsSync(databasePath)) return null;
  try {
    const db = new Database(databasePath, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare("SELECT value FROM meta WHERE key = 'data_version'").get() as { value: string } | undefined;
      return row?.value ?? null;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/** Builds the database unless one with the current data version exists; returns whether it built. */
export function ensureDatabase(options: BuildOptions): { built: boolean; dataVersion: string } {
  const dataVersion = computeDataVersion(options.sourcesDir);
  if (readDatabaseVersion(options.databasePath) === dataVersion) return { built: false, dataVersion };
  const summary = buildDatabase(options);
  return { built: true, dataVersion: summary.dataVersion };
}

/** A face goes to the lowest-index unit winding positively around it, else to one winding negatively. */
const claimFaceOnce: FaceOwnerRule = (windingByUnit) => {
  let positive = -1;
  let negative = -1;
  for (const [unit, winding] of windingByUnit) {
    if (winding >= 1 && (positive === -1 || unit < positive)) positive = unit;
    if (winding <= -1 && (negative === -1 || unit < negative)) negative = unit;
  }
  return positive !== -1 ? positive : negative;
};

interface UnitRow {
  id: number;
  division: DivisionRecord;
  population: number | null;
  urbanShare: number | null;
  childCount: number;
}

/** Builds the whole database into a temporary file and moves it into place when complete. */
export function buildDatabase({ sourcesDir, databasePath, log = () => {} }: BuildOptions): BuildSummary {
  const started = performance.now();
  const dataVersion = computeDataVersion(sourcesDir);

  const divisions = readDivisionCodes(sourcesDir);
  const census = readCountyCensus(sourcesDir);
  const outlines = readCountyOutlines(sourcesDir, divisions);
  log(`read ${divisions.length} division codes, ${census.length} census rows, ${outlines.length} county outlines`);

  const units = indexUnits(divisions);
  rollUpPopulation(units, census);

  // County polygons: rebuild valid rings in the source coordinates (exact shared vertices), then convert.
  const toWgs84 = createWgs84Converter('GCJ02');
  const noded = nodeRingCrossings(outlines.map((outline) => outline.parts));
  log(`noded county rings: ${noded.insertedPoints} crossing or touching points inserted`);
  // One owner per face of all counties' rings together: overlaps claimed twice go to one county, and a
  // face only a twisted (reversed) lobe claims stays with that county (the non-zero rule).
  const repaired = partitionPlanarFaces(noded.units, claimFaceOnce);
  const counties = outlines.map((outline, index) => ({
    code: outline.code,
    coordinates: repaired[index]!.map((polygon) =>
      polygon.map((ring) => ring.map((position) => toWgs84(position))),
    ),
  }));
  const topology = buildUnitTopology(counties);
  const bands = simplifyTopologyByBand(topology.topology);
  log(`topology: ${topology.topology.arcs.length} arcs, ${bands.length} zoom bands`);

  const temporaryPath = `${databasePath}.building-${process.pid}`;
  rmSync(temporaryPath, { force: true });
  const db = new Database(temporaryPath);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(SCHEMA_SQL);
    const counts = db.transaction(() => {
      writeUnits(db, units);
      writeUnitGeometry(db, units, topology, bands);
      const lineCounts = writeBoundaryLines(db, units, topology, bands);
      const counts: Record<string, number> = { ...countLevels(units), ...lineCounts };
      const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
      meta.run('data_version', dataVersion);
      meta.run('builder_version', String(BUILDER_VERSION));
      meta.run('built_at', new Date().toISOString());
      meta.run('counts', JSON.stringify(counts));
      return counts;
    })();
    db.exec('ANALYZE');
    db.close();
    renameSync(temporaryPath, databasePath);
    const seconds = (performance.now() - started) / 1000;
    log(`built ${databasePath} (data version ${dataVersion}) in ${seconds.toFixed(1)} s`);
    return { dataVersion, counts, seconds };
  } catch (error) {
    if (db.open) db.close();
    rmSync(temporaryPath, { force: true });
    throw error;
  }
}

function indexUnits(divisions: readonly DivisionRecord[]): Map<string, UnitRow> {
  const units = new Map<string, UnitRow>();
  divisions.forEach((division, index) => {
    if (units.has(division.code)) throw new Error(`division code ${division.code} appears twice`);
    units.set(division.code, { id: index + 1, division, population: null, urbanShare: null, childCount: 0 });
  });
  for (const unit of units.values()) {
    const parentCode = unit.division.parentCode;
    if (parentCode === null) continue;
    const parent = units.get(parentCode);
    if (!parent) throw new Error(`unit ${unit.division.code} names unknown parent ${parentCode}`);
    parent.childCount += 1;
  }
  return units;
}

/** County census figures, summed up to cities and the province (urban share population-weighted). */
function rollUpPopulation(units: Map<string, UnitRow>, census: ReturnType<typeof readCountyCensus>): void {
  const urbanPopulation = new Map<string, number>();
  for (const row of census) {
    const county = units.get(row.code);
    if (!county || county.division.level !== 'county') throw new Error(`census row ${row.code} is not a county`);
    county.population = row.population;
    county.urbanShare = row.urbanShare;
    let parentCode = county.division.parentCode;
    while (parentCode !== null) {
      const parent = units.get(parentCode)!;
      parent.population = (parent.population ?? 0) + row.population;
      urbanPopulation.set(parentCode, (urbanPopulation.get(parentCode) ?? 0) + row.population * row.urbanShare);
      parentCode = parent.division.parentCode;
    }
  }
  for (const [code, urban] of urbanPopulation) {
    const unit = units.get(code)!;
    unit.urbanShare = Math.round((urban / unit.population!) * 10000) / 10000;
  }
  for (const unit of units.values()) {
    if (unit.division.level === 'county' && unit.population === null) {
      throw new Error(`county ${unit.division.code} has no census row`);
    }
  }
}

function countLevels(units: Map<string, UnitRow>): Record<string, number> {
  const counts: Record<string, number> = { province: 0, city: 0, county: 0, street: 0, community: 0 };
  for (const unit of units.values()) counts[unit.division.level]! += 1;
  return counts;
}

function writeUnits(db: Database.Database, units: Map<string, UnitRow>): void {
  const insert = db.prepare(
    `INSERT INTO admin_unit (id, code, name, level, parent_code, population, urban_share, child_count)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const unit of units.values()) {
    const { code, name, level, parentCode } = unit.division;
    insert.run(unit.id, code, name, level, parentCode, unit.population, unit.urbanShare, unit.childCount);
  }
}

/** County geometry from the topology; city and province geometry dissolved from their counties' arcs. */
function writeUnitGeometry(
  db: Database.Database,
  units: Map<string, UnitRow>,
  topology: UnitTopology,
  bands: UnitTopology['topology'][],
): void {
  const insertGeometry = db.prepare('INSERT INTO admin_geometry (unit_id, band, geojson) VALUES (?, ?, ?)');
  const insertBox = db.prepare('INSERT INTO admin_rtree (id, min_lng, max_lng, min_lat, max_lat) VALUES (?, ?, ?, ?, ?)');
  const setLabel = db.prepare('UPDATE admin_unit SET label_lng = ?, label_lat = ? WHERE id = ?');

  const write = (code: string, renderAtBand: (band: number) => MultiPolygon | null): void => {
    const unit = units.get(code)!;
    bands.forEach((_, band) => {
      const geometry = renderAtBand(band);
      if (!geometry) {
        if (band === FULL_DETAIL_BAND) throw new Error(`unit ${code} has no geometry at full detail`);
        return;
      }
      insertGeometry.run(unit.id, band, JSON.stringify(geometry));
      if (band === FULL_DETAIL_BAND) {
        const [minLng, minLat, maxLng, maxLat] = boundsOf(geometry.coordinates.flat(2));
        insertBox.run(unit.id, minLng, maxLng, minLat, maxLat);
        const [labelLng, labelLat] = labelPoint(geometry);
        setLabel.run(labelLng, labelLat, unit.id);
      }
    });
  };

  const countyIndicesByCity = new Map<string, number[]>();
  topology.codes.forEach((code, index) => {
    write(code, (band) => renderUnit(bands[band]!, topology, index));
    const cityCode = units.get(code)!.division.parentCode!;
    countyIndicesByCity.set(cityCode, [...(countyIndicesByCity.get(cityCode) ?? []), index]);
  });
  for (const [cityCode, countyIndices] of countyIndicesByCity) {
    const merged = mergeUnitArcs(topology, countyIndices);
    write(cityCode, (band) => renderPolygonal(bands[band]!, merged));
  }
  const provinceCode = units.get(topology.codes[0]!)!.division.code.slice(0, 2);
  const province = mergeUnitArcs(topology, topology.codes.map((_, index) => index));
  write(provinceCode, (band) => renderPolygonal(bands[band]!, province));
}

/** Boundary lines: every adjacent county pair, every adjacent city pair, and the province's outer edge. */
function writeBoundaryLines(
  db: Database.Database,
  units: Map<string, UnitRow>,
  topology: UnitTopology,
  bands: UnitTopology['topology'][],
): Record<string, number> {
  const insertLine = db.prepare(
    `INSERT INTO boundary_line (id, line_id, level, left_code, right_code, length_meters) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const insertGeometry = db.prepare('INSERT INTO boundary_geometry (line_id, band, geojson) VALUES (?, ?, ?)');
  const insertBox = db.prepare(
    'INSERT INTO boundary_rtree (id, min_lng, max_lng, min_lat, max_lat) VALUES (?, ?, ?, ?, ?)',
  );
  const provinceCode = topology.codes[0]!.slice(0, 2);
  const levels: { level: BoundaryLevel; groupOf: (code: string) => string; keep: (g: BoundaryArcGroup) => boolean }[] = [
    { level: 'province', groupOf: () => provinceCode, keep: (g) => g.rightGroup === null },
    { level: 'city', groupOf: (code) => code.slice(0, 4), keep: (g) => g.rightGroup !== null },
    { level: 'county', groupOf: (code) => code, keep: (g) => g.rightGroup !== null },
  ];
  const counts: Record<string, number> = {};
  let id = 0;
  for (const { level, groupOf, keep } of levels) {
    const groups = groupBoundaryArcs(topology, groupOf).filter(keep);
    counts[`boundaryLines.${level}`] = groups.length;
    for (const group of groups) {
      id += 1;
      const lineId = `${level}:${group.leftGroup}|${group.rightGroup ?? 'outer'}`;
      const full = renderChains(bands[FULL_DETAIL_BAND]!, group.chains);
      const lengthMeters = Math.round(turfLength({ type: 'Feature', geometry: full, properties: {} }, { units: 'meters' }) * 10) / 10;
      if (!units.has(group.leftGroup)) throw new Error(`boundary side ${group.leftGroup} is not a unit`);
      insertLine.run(id, lineId, level, group.leftGroup, group.rightGroup, lengthMeters);
      bands.forEach((bandTopology, band) => {
        const geometry = band === FULL_DETAIL_BAND ? full : renderChains(bandTopology, group.chains);
        insertGeometry.run(id, band, JSON.stringify(geometry));
      });
      const [minLng, minLat, maxLng, maxLat] = boundsOf(linePositions(full));
      insertBox.run(id, minLng, maxLng, minLat, maxLat);
    }
  }
  return counts;
}

function linePositions(geometry: LineString | MultiLineString): Position[] {
  return geometry.type === 'LineString' ? geometry.coordinates : geometry.coordinates.flat();
}

function boundsOf(positions: Position[]): [number, number, number, number] {
  let minLng = Infinity;
  let minLat = Infinity;
  let maxLng = -Infinity;
  let maxLat = -Infinity;
  for (const [lng, lat] of positions) {
    if (lng! < minLng) minLng = lng!;
    if (lng! > maxLng) maxLng = lng!;
    if (lat! < minLat) minLat = lat!;
    if (lat! > maxLat) maxLat = lat!;
  }
  return [minLng, minLat, maxLng, maxLat];
}

/** Pole of inaccessibility of the largest part, to about 100 m. */
function labelPoint(geometry: MultiPolygon): [number, number] {
  let largest = geometry.coordinates[0]!;
  let largestSpan = -1;
  for (const polygon of geometry.coordinates) {
    const [minLng, minLat, maxLng, maxLat] = boundsOf(polygon[0]!);
    const span = (maxLng - minLng) * (maxLat - minLat);
    if (span > largestSpan) {
      largestSpan = span;
      largest = polygon;
    }
  }
  const point = polylabel(largest as [number, number][][], 0.001);
  return [Math.round(point[0]! * 1e6) / 1e6, Math.round(point[1]! * 1e6) / 1e6];
}
