// Import benchmark: 100,000 facilities from a CSV and 50,000 grid polygons from a zipped Shapefile
// (ogr2ogr), each committed into a copy of the province database, one child process per run (time and
// peak RSS of that run alone). IMPORT_BENCH_DB picks the database (default: the app's, which must hold
// the province's demonstration layers: `npm run cli -- generate`); IMPORT_BENCH_RUNS the runs (default 3).

import { execFileSync } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { REPO_ROOT, paths } from '../../server/paths';

interface ChildResult {
  seconds: number;
  /** CPU time of the run (user + system): steadier than wall time on a shared machine. */
  cpuSeconds: number;
  peakRssMiB: number;
  featuresRead: number;
  committed: boolean;
  errors: number;
  warnings: number;
  fileError: string | null;
}

const FACILITY_ROWS = 100_000;
const GRID_POLYGONS = 50_000;

/** 100,000 facility rows (the province's, names numbered where a row repeats) as CSV. */
async function writeFacilityCsv(databasePath: string, path: string): Promise<void> {
  const db = new Database(databasePath, { readonly: true });
  const rows = db.prepare('SELECT kind, name, lng, lat, capacity, opening_hours, standardised FROM facility ORDER BY id').all() as {
    kind: string;
    name: string;
    lng: number;
    lat: number;
    capacity: number;
    opening_hours: string;
    standardised: number;
  }[];
  db.close();
  const out = createWriteStream(path);
  out.write('kind,name,lng,lat,capacity,openingHours,standardised\n');
  for (let i = 0; i < FACILITY_ROWS; i++) {
    const row = rows[i % rows.length]!;
    const name = i < rows.length ? row.name : `${row.name}${Math.floor(i / rows.length) + 1}`;
    if (!out.write(`${row.kind},"${name.replace(/"/g, '""')}",${row.lng},${row.lat},${row.capacity},${row.opening_hours},${row.standardised}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * 50,000 grid polygons as a zipped Shapefile: the province's grids, then copies of the first ones under
 * new codes in the same community (they overlap their originals, so the tiling check locates overlaps).
 */
export function writeGridShapefile(databasePath: string, dir: string): string {
  const db = new Database(databasePath, { readonly: true });
  const rows = db.prepare('SELECT code, name, population, households, full_time_workers, part_time_workers, geojson FROM grid ORDER BY id').all() as {
    code: string;
    name: string;
    population: number;
    households: number;
    full_time_workers: number;
    part_time_workers: number;
    geojson: string;
  }[];
  db.close();
  const features: string[] = [];
  const copiesPerCommunity = new Map<string, number>();
  for (let i = 0; i < GRID_POLYGONS; i++) {
    const row = rows[i % rows.length]!;
    let code = row.code;
    if (i >= rows.length) {
      const community = row.code.slice(0, 12);
      const copy = (copiesPerCommunity.get(community) ?? 0) + 1;
      copiesPerCommunity.set(community, copy);
      code = `${community}${String(900 + copy).padStart(3, '0')}`;
    }
    features.push(
      JSON.stringify({
        type: 'Feature',
        properties: { code, name: row.name, population: row.population, households: row.households, full_time: row.full_time_workers, part_time: row.part_time_workers },
        geometry: JSON.parse(row.geojson) as unknown,
      }),
    );
  }
  const geojson = join(dir, 'grids.geojson');
  writeFileSync(geojson, `{"type":"FeatureCollection","features":[${features.join(',')}]}`);
  execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', join(dir, 'grids.shp'), geojson, '-lco', 'ENCODING=UTF-8'], { stdio: 'ignore' });
  const zip = join(dir, 'grids.zip');
  execFileSync('zip', ['-q', '-j', zip, ...['shp', 'shx', 'dbf', 'prj', 'cpg'].map((extension) => join(dir, `grids.${extension}`))]);
  rmSync(geojson);
  return zip;
}

function runChild(layer: string, file: string, databasePath: string): ChildResult {
  const output = execFileSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/bench/import-child.ts'), layer, file, databasePath], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  return JSON.parse(output.trim().split('\n').pop()!) as ChildResult;
}

export async function runImportBench(): Promise<void> {
  const source = process.env.IMPORT_BENCH_DB ?? paths.databasePath;
  const runs = Number(process.env.IMPORT_BENCH_RUNS ?? 3);
  if (!existsSync(source)) {
    console.log(`\n## Import\nskipped: no database at ${source} (npm run cli -- generate)`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'atlas-import-bench-'));
  try {
    const databasePath = join(dir, 'atlas.sqlite');
    copyFileSync(source, databasePath);
    const csv = join(dir, 'facilities.csv');
    await writeFacilityCsv(databasePath, csv);
    const zip = writeGridShapefile(databasePath, dir);
    console.log('\n## Import (one child process per run: wall and CPU seconds, peak RSS of the run)');
    console.log('| case | runs | median s | max s | median CPU s | peak RSS MiB (max) | features | committed | errors | warnings |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---|---:|---:|');
    for (const [name, layer, file] of [
      [`${FACILITY_ROWS.toLocaleString('en')} facilities, CSV`, 'facilities', csv],
      [`${GRID_POLYGONS.toLocaleString('en')} grids, zipped Shapefile`, 'grids', zip],
    ] as const) {
      const results: ChildResult[] = [];
      for (let run = 0; run < runs; run++) results.push(runChild(layer, file, databasePath));
      const seconds = results.map((r) => r.seconds).sort((a, b) => a - b);
      const cpuSeconds = results.map((r) => r.cpuSeconds).sort((a, b) => a - b);
      const last = results[results.length - 1]!;
      console.log(
        `| ${name} | ${runs} | ${seconds[Math.floor(runs / 2)]!.toFixed(1)} | ${seconds[runs - 1]!.toFixed(1)} | ${cpuSeconds[Math.floor(runs / 2)]!.toFixed(1)} | ${Math.max(...results.map((r) => r.peakRssMiB)).toFixed(0)} | ` +
          `${last.featuresRead} | ${last.committed} | ${last.errors} | ${last.warnings}${last.fileError ? ` (${last.fileError})` : ''} |`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
