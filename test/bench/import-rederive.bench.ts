// Re-derived codes benchmark: units and grids imports committed into a copy of an atlas database (default
// the test database, Shenyang; argument 1 another), each undone before the next: the same communities,
// community codes rotated within every county (every facility, many streets' lines and cases move), the
// same grids. Prints, per run kind, the import's seconds (median, min–max over REDERIVE_BENCH_RUNS, default
// 3), the undo's, and the rows re-derived. `BENCH_ONLY=import-rederive npm run bench`, or
// `node --import tsx test/bench/import-rederive.bench.ts [db]` for another database.

import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Feature, FeatureCollection } from 'geojson';
import { undoLastImport } from '../../server/ingest/import/history';
import { importLayer } from '../../server/ingest/import/import-layer';
import type { ImportLayer } from '../../server/ingest/import/import-types';
import { pathToFileURL } from 'node:url';
import { ensureTestDatabase } from './bench-paths';

const runs = Number(process.env.REDERIVE_BENCH_RUNS ?? 3);

/** The communities (full detail) and grids of the database as GeoJSON features. */
function exportLayers(path: string): { communities: Feature[]; grids: Feature[]; disputes: number } {
  const db = new Database(path, { readonly: true });
  try {
    const communities = (
      db
        .prepare(
          `SELECT u.code, g.geojson FROM admin_unit u JOIN admin_geometry g ON g.unit_id = u.id
           AND g.band = (SELECT max(band) FROM admin_geometry) WHERE u.level = 'community' ORDER BY u.code`,
        )
        .all() as { code: string; geojson: string }[]
    ).map((row): Feature => ({ type: 'Feature', properties: { code: row.code }, geometry: JSON.parse(row.geojson) as Feature['geometry'] }));
    const grids = (
      db.prepare('SELECT code, name, population, households, full_time_workers, part_time_workers, geojson FROM grid ORDER BY id').all() as { geojson: string; [key: string]: unknown }[]
    ).map(({ geojson, ...properties }): Feature => ({ type: 'Feature', properties, geometry: JSON.parse(geojson) as Feature['geometry'] }));
    return { communities, grids, disputes: db.prepare('SELECT count(*) FROM dispute').pluck().get() as number };
  } finally {
    db.close();
  }
}

/** Each community's polygon under the next code of its county (codes in order, the last takes the first's). */
function rotateCodes(communities: readonly Feature[]): Feature[] {
  const byCounty = new Map<string, number[]>();
  communities.forEach((feature, i) => {
    const county = String(feature.properties!.code).slice(0, 6);
    byCounty.set(county, [...(byCounty.get(county) ?? []), i]);
  });
  const rotated = communities.map((feature) => ({ ...feature, properties: { ...feature.properties } }));
  for (const members of byCounty.values()) {
    members.forEach((i, k) => (rotated[i]!.properties.code = communities[members[(k + 1) % members.length]!]!.properties!.code));
  }
  return rotated;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Runs the cases on a copy of `source` (default: the Shenyang test database, built when missing). */
export async function runImportRederiveBench(source = ensureTestDatabase()): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-rederive-bench-'));
  try {
    const databasePath = join(dir, 'atlas.sqlite');
    copyFileSync(source, databasePath);
    const { communities, grids, disputes } = exportLayers(databasePath);
    const write = (name: string, features: Feature[]) => {
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify({ type: 'FeatureCollection', features } satisfies FeatureCollection));
      return path;
    };
    const cases: [string, ImportLayer, string][] = [
      ['units: the same communities', 'units', write('communities.geojson', communities)],
      ['units: codes rotated in every county', 'units', write('communities-rotated.geojson', rotateCodes(communities))],
      ['grids: the same grids', 'grids', write('grids.geojson', grids)],
    ];
    console.log(`\n## Re-derived codes after an import (${communities.length} communities, ${grids.length} grids, ${disputes} disputes; ${runs} runs)\n`);
    console.log('| import | seconds (median, min–max) | undo seconds | facilities changed | road edges changed | disputes changed |');
    console.log('|---|---|---|---|---|---|');
    for (const [label, layer, path] of cases) {
      const seconds: number[] = [];
      const undoSeconds: number[] = [];
      let rederived = null;
      for (let run = 0; run < runs; run++) {
        const report = await importLayer({ databasePath, layer, filePath: path });
        if (!report.committed) throw new Error(`${label}: not committed (${report.issueCounts.error} errors, ${report.fileError ?? ''})`);
        seconds.push(report.seconds);
        rederived = report.rederived ?? null;
        const started = performance.now();
        undoLastImport(databasePath);
        undoSeconds.push((performance.now() - started) / 1000);
      }
      console.log(
        `| ${label} | ${median(seconds).toFixed(2)} (${Math.min(...seconds).toFixed(2)}–${Math.max(...seconds).toFixed(2)}) | ${median(undoSeconds).toFixed(2)} |` +
          ` ${rederived?.facilities?.changed ?? '–'} | ${rederived?.roadEdges?.changed ?? '–'} | ${rederived?.disputes.changed ?? '–'} |`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runImportRederiveBench(process.argv[2]);
