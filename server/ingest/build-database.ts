// Builds the SQLite atlas database: the real geography from data/sources (repaired county polygons,
// dissolved cities and province, boundary lines from the shared arcs) and, unless disabled, the
// seeded demonstration layers over it (streets, communities, grids, facilities, walking network,
// disputes). Writes a temporary file and moves it into place only when complete.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import polylabel from 'polylabel';
import { generateDemoData, type DemoData } from '../../data/generator/generate-demo-data';
import { insertBorderPoints } from '../../data/generator/partition-level';
import { createRng } from '../analysis/random';
import { REPO_ROOT } from '../paths';
import { MS_PER_DAY, formatChinaDate, startOfChinaDay } from '../domain/china-time';
import type { AdminLevel } from '../domain/admin-codes';
import { prepareBaseGeography, type UnitRow } from './base-geography';
import { buildUnitTopology, simplifyTopologyByBand } from '../analysis/geo/unit-topology';
import { BUILDER_VERSION, INDEX_SQL, SCHEMA_SQL } from './sqlite-schema';
import { disputeOtherSides, writeDisputes, writeFacilities, writeGrids, writeWalkingNetwork } from './write-demo-data';
import { writeBoundaryLines, writeTopologyGeometry, writeUnits, type BoundaryAgreement } from './write-geography';

/** Parameters of the generated demonstration layers. */
export interface DemoOptions {
  seed: number;
  /** '21' (the province) or a city/county code: where streets, communities, grids … are generated. */
  scope: string;
  /** The data's "now", ms since epoch; default: today 00:00 China time at the first build. */
  nowMs?: number;
}

export const DEFAULT_DEMO: DemoOptions = { seed: 20201101, scope: '21' };

export interface BuildOptions {
  sourcesDir: string;
  databasePath: string;
  /** Demonstration layers to generate; null for the real geography only. Default DEFAULT_DEMO. */
  demo?: DemoOptions | null;
  log?: (message: string) => void;
}

export interface BuildSummary {
  dataVersion: string;
  /** Hash of the generated content (null without demonstration data). */
  contentHash: string | null;
  counts: Record<string, number>;
  seconds: number;
}

/** Files (relative paths) under a directory, sorted. */
function listFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(relative(dir, path));
    }
  };
  walk(dir);
  return files;
}

/**
 * Directories whose code decides what the builder writes (hashed into the data version): the sources,
 * also when the compiled build (server/launch.mjs) is running.
 */
const BUILDER_CODE_DIRS = ['server/analysis/geo', 'server/domain', 'server/ingest', 'server/store', 'data/generator'].map((dir) => join(REPO_ROOT, dir));

/**
 * The database's data version: a hash of the builder version, the builder's and generator's code,
 * every source file and the demonstration parameters, so a change to any of them rebuilds the
 * database on the next start. A default "now" is not part of it (the first build fixes it).
 */
export function computeDataVersion(sourcesDir: string, demo: DemoOptions | null = DEFAULT_DEMO): string {
  const hash = createHash('sha256');
  hash.update(`builder ${BUILDER_VERSION}\n`);
  for (const dir of BUILDER_CODE_DIRS) {
    for (const file of listFiles(dir).filter((f) => f.endsWith('.ts') && !f.includes('/'))) {
      hash.update(`${file}\n`);
      hash.update(readFileSync(join(dir, file)));
    }
  }
  for (const file of listFiles(sourcesDir)) {
    hash.update(`${file}\n`);
    hash.update(readFileSync(join(sourcesDir, file)));
  }
  hash.update(demo ? `demo ${demo.seed} ${demo.scope} ${demo.nowMs ?? 'first-build'}\n` : 'no demo\n');
  return hash.digest('hex').slice(0, 16);
}

/**
 * The data version recorded in an existing database (or another meta key's value, e.g. 'build_data_version'),
 * or null if it is missing or unreadable.
 */
export function readDatabaseVersion(databasePath: string, key: 'data_version' | 'build_data_version' = 'data_version'): string | null {
  if (!existsSync(databasePath)) return null;
  try {
    const db = new Database(databasePath, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
      return row?.value ?? null;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/**
 * The demonstration options an existing database was built with: DemoOptions, null when built
 * without demonstration data, undefined when there is no readable database.
 */
export function readDatabaseDemoOptions(databasePath: string): DemoOptions | null | undefined {
  if (!existsSync(databasePath)) return undefined;
  try {
    const db = new Database(databasePath, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare("SELECT value FROM meta WHERE key = 'demo_options'").get() as { value: string } | undefined;
      return row === undefined ? undefined : (JSON.parse(row.value) as DemoOptions | null);
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
}

/**
 * Builds the database unless one built with the current data version exists; returns whether it built and
 * the version it serves. A database imported into (server/ingest/import) keeps the build's version in
 * meta 'build_data_version' and serves its own: it is kept while the sources and builder are unchanged.
 */
export function ensureDatabase(options: BuildOptions): { built: boolean; dataVersion: string } {
  const dataVersion = computeDataVersion(options.sourcesDir, options.demo === undefined ? DEFAULT_DEMO : options.demo);
  if (readDatabaseVersion(options.databasePath, 'build_data_version') === dataVersion) {
    return { built: false, dataVersion: readDatabaseVersion(options.databasePath) ?? dataVersion };
  }
  if (readDatabaseVersion(options.databasePath) === dataVersion) return { built: false, dataVersion };
  const summary = buildDatabase(options);
  return { built: true, dataVersion: summary.dataVersion };
}


/** FNV-1a of a string, for per-line seeds. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** Demonstration agreement status of a boundary line, seeded by its id. */
function agreementGenerator(seed: number, nowMs: number) {
  const signedShare: Record<string, number> = { street: 0.78, county: 0.9, city: 0.95 };
  return (lineId: string): BoundaryAgreement => {
    const rng = createRng((seed ^ hashString(lineId)) >>> 0);
    const level = lineId.slice(0, lineId.indexOf(':'));
    const agreementSigned = rng.chance(signedShare[level] ?? 0.8);
    const jointMediation = agreementSigned ? rng.chance(0.8) : rng.chance(0.3);
    const patrolled = rng.chance(agreementSigned ? 0.9 : 0.5);
    const lastJointPatrol = patrolled
      ? formatChinaDate(startOfChinaDay(nowMs) - rng.int(1, 120) * MS_PER_DAY)
      : null;
    return { agreementSigned, jointMediation, lastJointPatrol };
  };
}

/** Builds the whole database into a temporary file and moves it into place when complete. */
export function buildDatabase({ sourcesDir, databasePath, demo: demoOption, log = () => {} }: BuildOptions): BuildSummary {
  const started = performance.now();
  const demoParameters = demoOption === undefined ? DEFAULT_DEMO : demoOption;
  const dataVersion = computeDataVersion(sourcesDir, demoParameters);
  const base = prepareBaseGeography(sourcesDir, log);
  const { units } = base;
  const provinceCode = base.counties[0]!.code.slice(0, 2);

  let demo: DemoData | null = null;
  if (demoParameters) {
    const nowMs = demoParameters.nowMs ?? startOfChinaDay(Date.now());
    const countyIndex = new Map(base.countyTopology.codes.map((code, index) => [code, index]));
    demo = generateDemoData({
      seed: demoParameters.seed,
      scope: demoParameters.scope,
      nowMs,
      counties: base.counties.map((county) => {
        const row = units.get(county.code)!;
        return {
          code: county.code,
          name: row.division.name,
          cityCode: row.division.parentCode!,
          population: row.population!,
          urbanShare: row.urbanShare!,
          polygon: county.coordinates,
          labelLngLat: countyLabel(base, countyIndex.get(county.code)!),
        };
      }),
      streets: unitsOfLevel(units, 'street'),
      communities: unitsOfLevel(units, 'community'),
      countyTopology: base.countyTopology,
      countyBands: base.countyBands,
      log,
    });
    applyGeneratedFigures(units, demo);
    // The counties take the points the generated levels put on their edges (also counties outside
    // the scope, along the scope's border), so every level shares the same vertices.
    const registries = demo.partition.borderRegistries;
    base.counties = base.counties.map((county) => ({
      code: county.code,
      coordinates: registries.reduce((polygon, registry) => insertBorderPoints(polygon, registry), county.coordinates),
    }));
    base.countyTopology = buildUnitTopology(base.counties);
    base.countyBands = simplifyTopologyByBand(base.countyTopology.topology);
  }

  const temporaryPath = `${databasePath}.building-${process.pid}`;
  rmSync(temporaryPath, { force: true });
  const db = new Database(temporaryPath);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(SCHEMA_SQL);
    const contentHash = createHash('sha256');
    const timed = <T>(label: string, work: () => T): T => {
      const begun = performance.now();
      const result = work();
      log(`wrote ${label} in ${((performance.now() - begun) / 1000).toFixed(1)} s`);
      return result;
    };
    const counts = db.transaction(() => {
      writeUnits(db, units.values());
      const citiesByCounty = new Map<string, number[]>();
      base.countyTopology.codes.forEach((code, index) => {
        const city = units.get(code)!.division.parentCode!;
        citiesByCounty.set(city, [...(citiesByCounty.get(city) ?? []), index]);
      });
      const dissolve = new Map(citiesByCounty);
      dissolve.set(provinceCode, base.countyTopology.codes.map((_, index) => index));
      writeTopologyGeometry(db, units, base.countyTopology, base.countyBands, dissolve);
      const agreementOf = demo ? agreementGenerator(demo.seed, demo.nowMs) : undefined;
      const countyLines = writeBoundaryLines(
        db,
        units,
        base.countyTopology,
        base.countyBands,
        [
          { level: 'province', groupOf: () => provinceCode, keep: (g) => g.rightGroup === null },
          { level: 'city', groupOf: (code) => code.slice(0, 4), keep: (g) => g.rightGroup !== null },
          { level: 'county', groupOf: (code) => code, keep: (g) => g.rightGroup !== null },
        ],
        0,
        agreementOf,
      );
      const counts: Record<string, number> = { ...countLevels(units), ...countyLines.counts };
      if (demo) {
        writeTopologyGeometry(db, units, demo.streetTopology, demo.streetBands);
        writeTopologyGeometry(db, units, demo.communityTopology, demo.communityBands);
        const streetLines = writeBoundaryLines(
          db,
          units,
          demo.streetTopology,
          demo.streetBands,
          [{ level: 'street', groupOf: (code) => code, keep: (g) => g.rightGroup !== null }],
          countyLines.lines.length,
          agreementOf,
        );
        for (const unit of units.values()) {
          if ((unit.division.level === 'street' || unit.division.level === 'community') && unit.population !== null) {
            contentHash.update(`${unit.division.code} ${unit.population} ${unit.urbanShare}\n`);
          }
        }
        for (const polygonOwner of [...demo.partition.streets, ...demo.partition.communities]) {
          contentHash.update(JSON.stringify(polygonOwner.polygon));
        }
        timed('grids and demand points', () => writeGrids(db, demo!, contentHash));
        Object.assign(
          counts,
          streetLines.counts,
          {
            streetsGenerated: demo.partition.streets.length,
            communitiesGenerated: demo.partition.communities.length,
            grids: demo.partition.grids.length,
            demandPoints: demo.partition.demandPoints.population.length,
          },
          timed('facilities', () => writeFacilities(db, demo!, contentHash)),
          timed('walking network', () => writeWalkingNetwork(db, demo!, contentHash)),
          timed('disputes', () =>
            writeDisputes(
              db,
              demo!,
              contentHash,
              timed('the other sides of cases near street lines', () => disputeOtherSides(demo!, streetLines.lines)),
            ),
          ),
        );
      }
      const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
      meta.run('data_version', dataVersion);
      meta.run('builder_version', String(BUILDER_VERSION));
      meta.run('built_at', new Date().toISOString());
      meta.run('counts', JSON.stringify(counts));
      meta.run('demo_options', JSON.stringify(demoParameters));
      if (demo) {
        meta.run(
          'demo',
          JSON.stringify({ seed: demo.seed, scope: demo.scope, nowMs: demo.nowMs, contentHash: contentHash.digest('hex').slice(0, 16) }),
        );
        meta.run('generator_timings', JSON.stringify(demo.timings));
      }
      return counts;
    })();
    timed('indexes and statistics', () => {
      db.exec(INDEX_SQL);
      db.pragma('analysis_limit = 1000');
      db.exec('ANALYZE');
    });
    const demoMeta = demo
      ? (JSON.parse((db.prepare("SELECT value FROM meta WHERE key = 'demo'").get() as { value: string }).value) as { contentHash: string })
      : null;
    db.close();
    renameSync(temporaryPath, databasePath);
    const seconds = (performance.now() - started) / 1000;
    log(`built ${databasePath} (data version ${dataVersion}) in ${seconds.toFixed(1)} s`);
    return { dataVersion, contentHash: demoMeta?.contentHash ?? null, counts, seconds };
  } catch (error) {
    if (db.open) db.close();
    rmSync(temporaryPath, { force: true });
    throw error;
  }
}

function unitsOfLevel(units: Map<string, UnitRow>, level: AdminLevel) {
  const out: { code: string; name: string; parentCode: string }[] = [];
  for (const unit of units.values()) {
    if (unit.division.level === level) out.push({ code: unit.division.code, name: unit.division.name, parentCode: unit.division.parentCode! });
  }
  return out;
}

/** A county's label point from its full-detail topology (pole of inaccessibility, ~100 m). */
function countyLabel(base: ReturnType<typeof prepareBaseGeography>, index: number): [number, number] {
  const coordinates = base.counties[index]!.coordinates;
  let largest = coordinates[0]!;
  let largestSpan = -1;
  for (const polygon of coordinates) {
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const [x, y] of polygon[0]!) {
      minX = Math.min(minX, x!);
      maxX = Math.max(maxX, x!);
      minY = Math.min(minY, y!);
      maxY = Math.max(maxY, y!);
    }
    if ((maxX - minX) * (maxY - minY) > largestSpan) {
      largestSpan = (maxX - minX) * (maxY - minY);
      largest = polygon;
    }
  }
  return polylabelPoint(largest);
}

function polylabelPoint(polygon: number[][][]): [number, number] {
  const point = polylabel(polygon as [number, number][][], 0.001);
  return [Math.round(point[0]! * 1e6) / 1e6, Math.round(point[1]! * 1e6) / 1e6];
}

/** Generated populations, urban shares and label points onto the street and community rows. */
function applyGeneratedFigures(units: Map<string, UnitRow>, demo: DemoData): void {
  const communityUrban = new Map<string, number>();
  for (const community of demo.partition.communities) {
    const row = units.get(community.code)!;
    row.population = community.population;
    row.urbanShare = community.urban ? 1 : 0;
    row.labelLngLat = community.labelLngLat;
    communityUrban.set(community.parentCode, (communityUrban.get(community.parentCode) ?? 0) + (community.urban ? community.population : 0));
  }
  for (const street of demo.partition.streets) {
    const row = units.get(street.code)!;
    row.population = street.population;
    row.urbanShare = street.population > 0 ? Math.round(((communityUrban.get(street.code) ?? 0) / street.population) * 10000) / 10000 : 0;
    row.labelLngLat = street.labelLngLat;
  }
}

function countLevels(units: Map<string, UnitRow>): Record<string, number> {
  const counts: Record<string, number> = { province: 0, city: 0, county: 0, street: 0, community: 0 };
  for (const unit of units.values()) counts[unit.division.level]! += 1;
  return counts;
}
