// Hotspot benchmarks: analytic Gi* and 999 conditional permutations on about 100,000 H3 cells, binning
// 1 M events, the hotspots.* procedures on a database, and how well they find the planted dispute
// clusters (recall and false alarms per kind) on a whole-province build made for the run and deleted.
// HOTSPOTS_DB picks a database for the procedures and recall (default: the app's, when it has disputes);
// HOTSPOTS_PROVINCE=0 skips the province build (about 70 s and a few hundred MB in a temporary directory),
// HOTSPOTS_PROVINCE_SEED picks its seed (default 1, the test database's). Gi* on the same cells against R
// spdep and PySAL esda when installed (hotspots-peers.ts). HOTSPOTS_BENCH_CASES=peers (a comma list of
// statistics, peers, procedures, province) runs some cases only.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../../server/analysis/random';
import { computeConditionalPermutations } from '../../server/analysis/hotspots/conditional-permutation';
import { prepareGetisOrdWeights } from '../../server/analysis/hotspots/detect-hotspots';
import { computeLocalGetisOrd } from '../../server/analysis/hotspots/getis-ord';
import { binPointsToH3, buildH3KRingWeights, countByCell, createH3CellSet, parentKeys, polyfillH3 } from '../../server/analysis/hotspots/h3-cells';
import { paths } from '../../server/paths';
import { appRouter } from '../../server/routers/app';
import { buildDatabase } from '../../server/ingest/build-database';
import { SqliteStore } from '../../server/store/sqlite-store';
import { createCallerFactory } from '../../server/trpc';
import { chinaDate, evaluatePlantedClusters, formatPlantedEvaluation, readPlantedClusters } from '../server/analysis/hotspots/planted-clusters';
import { measure, printTimings, type Timing } from './measure';
import { hotspotPeersBench } from './hotspots-peers';
import { testContext } from '../support/context';

const DAY_MS = 86_400_000;

type Box = [west: number, south: number, east: number, north: number];

/**
 * The resolution-9 cells (0.071 km² each there) of a lng/lat box: their k = 1 neighbours (binary, no self
 * weights), the Gi* weights prepared from them, and seeded Poisson(0.8) counts.
 */
function buildCells([west, south, east, north]: Box, seed: number) {
  const started = performance.now();
  const box = { type: 'Polygon' as const, coordinates: [[[west, south], [east, south], [east, north], [west, north], [west, south]]] };
  const cells = createH3CellSet(9, polyfillH3([box], 9));
  const neighbors = buildH3KRingWeights(cells, 1);
  const weights = prepareGetisOrdWeights(neighbors, { star: true, rowStandardized: false });
  const rng = createRng(seed);
  const counts = Float64Array.from({ length: cells.keys.length }, () => rng.poisson(0.8));
  return { box, cells, neighbors, weights, counts, rng, setupMs: performance.now() - started };
}

/** About 100,000 cells west of Shenyang. */
const buildHundredThousandCells = () => buildCells([122.6, 41.4, 123.56, 42.2], 20261101);

type HundredThousandCells = ReturnType<typeof buildHundredThousandCells>;

async function benchStatistics({ box, cells, weights, counts, rng, setupMs }: HundredThousandCells): Promise<void> {
  const n = cells.keys.length;
  const out = { g: new Float64Array(n), z: new Float64Array(n), p: new Float64Array(n) };
  const timings: Timing[] = [
    await measure(`analytic Gi* (z, p) on ${n.toLocaleString('en-US')} H3 cells, k = 1`, () => computeLocalGetisOrd(counts, weights, { star: true }, out), {
      runs: 30,
      note: `cells and weights built once in ${(setupMs / 1000).toFixed(1)} s`,
    }),
    await measure(
      `999 conditional permutations on ${n.toLocaleString('en-US')} cells (one set of draws shared by all cells, as esda does)`,
      () => {
        const permutationRng = createRng(7);
        computeConditionalPermutations(counts, weights, { statistic: 'getisOrdStar', permutations: 999, random: () => permutationRng.next() });
      },
      { runs: 5, warmup: 1 },
    ),
  ];
  // 1 M events in the same box.
  const events = 1_000_000;
  const [[west, south], , [east, north]] = box.coordinates[0]!;
  const lngLat = new Float64Array(2 * events);
  for (let i = 0; i < events; i++) {
    lngLat[2 * i] = rng.uniform(west!, east!);
    lngLat[2 * i + 1] = rng.uniform(south!, north!);
  }
  const keys9 = binPointsToH3(lngLat, 9);
  const cells7 = createH3CellSet(7, parentKeys(cells.keys, 9, 7));
  timings.push(
    await measure('binning 1 M events from lng/lat to H3 resolution 9 (h3-js latLngToCell; once per case, then cached)', () => binPointsToH3(lngLat, 9, keys9), {
      runs: 3,
      warmup: 1,
    }),
    await measure('binning 1 M cases with known res-9 cells into a filtered count: res-7 parents by bit arithmetic → counts per cell', () => countByCell(cells7, parentKeys(keys9, 9, 7)), {
      runs: 10,
    }),
  );
  printTimings('Hotspot statistics (one core)', timings);
}

async function benchProcedures(databasePath: string, label: string): Promise<void> {
  const store = new SqliteStore(databasePath);
  const demo = store.health().demo!;
  const caller = createCallerFactory(appRouter)(testContext(store, { version: 'bench' }));
  const scope = demo.scope === '21' ? '2101' : demo.scope.slice(0, 4);
  const to = chinaDate(demo.nowMs - DAY_MS);
  const input = { within: scope, from: chinaDate(demo.nowMs - 90 * DAY_MS), to, resolution: 8 as const };
  const year = { within: scope, from: chinaDate(demo.nowMs - 365 * DAY_MS), to };
  const timed = async (run: () => Promise<unknown>) => {
    const start = performance.now();
    const answer = await run();
    return { ms: performance.now() - start, answer };
  };
  const firstCells = await timed(() => caller.hotspots.cells(input));
  const cells = firstCells.answer as Awaited<ReturnType<typeof caller.hotspots.cells>>;
  const firstBoundary = await timed(() => caller.hotspots.boundaryRisk({ ...year, bufferMeters: 500 }));
  const timings: Timing[] = [
    await measure(`hotspots.cells ${scope} last 90 days, res 8 (warm caches)`, async () => JSON.stringify(await caller.hotspots.cells(input)), {
      runs: 5,
      warmup: 0,
      note: `${cells.unitCount} cells, ${cells.eventCount} events, first call ${firstCells.ms.toFixed(0)} ms, ${(JSON.stringify(cells).length / 2 ** 20).toFixed(1)} MiB JSON`,
    }),
    await measure(`hotspots.cells ${scope} … 999 permutations, significant cells only`, async () => caller.hotspots.cells({ ...input, permutations: 999, significantOnly: true }), {
      runs: 3,
      warmup: 0,
    }),
    await measure(`hotspots.emerging ${scope} 12 monthly slices, res 8`, async () => caller.hotspots.emerging({ ...year, slice: 'month' }), { runs: 3, warmup: 1 }),
    await measure(`hotspots.emerging ${scope} 26 weekly slices, res 8`, async () => caller.hotspots.emerging({ ...year, from: chinaDate(demo.nowMs - 182 * DAY_MS), slice: 'week' }), {
      runs: 3,
      warmup: 1,
    }),
    await measure(`hotspots.boundaryRisk ${scope} 12 months, 500 m (warm caches)`, async () => caller.hotspots.boundaryRisk({ ...year, bufferMeters: 500 }), {
      runs: 3,
      warmup: 0,
      note: `first call ${firstBoundary.ms.toFixed(0)} ms (residents around the lines measured once)`,
    }),
  ];
  store.close();
  printTimings(`hotspots.* procedures (${label})`, timings);
}

/** Recall and false alarms per planted-cluster kind, each cluster analysed within its county, without and with the residents baseline. */
async function benchPlantedClusters(databasePath: string, label: string): Promise<void> {
  const clusters = readPlantedClusters(databasePath);
  if (clusters.length === 0) {
    console.log(`\n(no planted clusters in ${label}: recall skipped)`);
    return;
  }
  const store = new SqliteStore(databasePath);
  const counties = [...new Set(clusters.map((cluster) => cluster.countyCode))].sort();
  for (const baseline of ['none', 'residents'] as const) {
    const started = performance.now();
    const evaluation = await evaluatePlantedClusters(store, clusters, store.health().demo!.nowMs, { studyAreas: counties, baseline });
    const title = `Planted clusters found, baseline ${baseline} (${label}; ${((performance.now() - started) / 1000).toFixed(0)} s)`;
    console.log(formatPlantedEvaluation(title, evaluation, clusters));
  }
  store.close();
}

/** Builds the whole province's demonstration database in a temporary directory, measures it, deletes it. */
async function benchProvince(seed: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-hotspots-bench-'));
  try {
    const databasePath = join(dir, 'atlas.sqlite');
    const started = performance.now();
    try {
      buildDatabase({ sourcesDir: paths.sourcesDir, databasePath, demo: { seed, scope: '21', nowMs: Date.UTC(2026, 9, 31, 16) } });
    } catch (error) {
      console.log(`\n(the province build with seed ${seed} failed: ${error instanceof Error ? error.message : String(error)}; recall skipped)`);
      return;
    }
    const label = `province build, seed ${seed}, made in ${((performance.now() - started) / 1000).toFixed(0)} s`;
    await benchProcedures(databasePath, label);
    await benchPlantedClusters(databasePath, label);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether the database has demonstration disputes, or the reason this code cannot open it. */
function hasDisputes(databasePath: string): boolean | string {
  if (!existsSync(databasePath)) return false;
  let store: SqliteStore;
  try {
    store = new SqliteStore(databasePath);
  } catch (error) {
    // A database built by an older version (e.g. before the dispute tables) is not the bench's to rebuild.
    return error instanceof Error ? error.message : String(error);
  }
  try {
    return store.health().demo !== null;
  } finally {
    store.close();
  }
}

/** The procedures and recall on HOTSPOTS_DB, else the app's database when it has demonstration disputes. */
async function benchAppDatabase(): Promise<void> {
  const databasePath = process.env.HOTSPOTS_DB ?? paths.databasePath;
  const disputes = hasDisputes(databasePath);
  if (disputes === true) {
    await benchProcedures(databasePath, databasePath);
    await benchPlantedClusters(databasePath, databasePath);
  } else if (disputes === false) {
    console.log(`\n(no demonstration disputes in ${databasePath}: set HOTSPOTS_DB for the procedures on it)`);
  } else {
    console.log(`\n(cannot read ${databasePath}: ${disputes}; rebuild it with npm run cli -- build-db, or set HOTSPOTS_DB)`);
  }
}

export async function runHotspotsBench(): Promise<void> {
  const cases = process.env.HOTSPOTS_BENCH_CASES?.split(',');
  const runs = (name: string) => !cases || cases.includes(name);
  if (runs('statistics') || runs('peers')) {
    const cells = buildHundredThousandCells();
    if (runs('statistics')) await benchStatistics(cells);
    if (runs('peers')) {
      // About 4,000 cells in the south-west corner for the permutations (spdep runs an R function per cell).
      const corner = buildCells([122.6, 41.4, 122.8, 41.55], 20261102);
      const label = (set: ReturnType<typeof buildCells>) => `${set.cells.keys.length.toLocaleString('en-US')} H3 resolution-9 cells, k = 1 rings, seeded Poisson(0.8) counts`;
      await hotspotPeersBench({ counts: cells.counts, neighbors: cells.neighbors, label: label(cells) }, { counts: corner.counts, neighbors: corner.neighbors, label: label(corner) });
    }
  }
  if (runs('procedures')) await benchAppDatabase();
  if (process.env.HOTSPOTS_PROVINCE !== '0' && runs('province')) await benchProvince(Number(process.env.HOTSPOTS_PROVINCE_SEED ?? 1));
}
