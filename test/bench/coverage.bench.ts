// Coverage benchmarks (issue 4): coverage of all facilities of one kind on a network of ≥ 1 M directed
// edges; one facility's service-area polygon on the Shenyang network (p95); coverage rates of every
// kind for the whole province through the API; life-circle completeness of one city (all its kinds, by
// community and by grid) cold and warm through the API; and nearest-facility costs on NetworkX and
// pgRouting when they are installed, warm search and whole process (network-peers.ts), checked to agree.
// COVERAGE_BENCH_CASES=completeness (a comma list of big-network, service-area, rates, completeness,
// other-tools) runs some cases only.
// Seeded, warmed up, median and spread. The province comes from COVERAGE_BENCH_DB (a built database),
// else from a build made for the run and deleted (COVERAGE_PROVINCE=0 skips it). Without a province
// database a synthetic grid stands in for the big network, the Shenyang test database for the API, and
// a synthetic city of the province's size for the analysis behind it; the tables say which was used.
// pgRouting is reached through `psql` with the usual PG* environment (PGHOST, PGPORT, PGUSER, PGDATABASE).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FACILITY_KINDS } from '../../server/domain/facility-kinds';
import { createRng } from '../../server/analysis/random';
import {
  computeDemandCoverage,
  computeDemandNetworkCosts,
  computeStraightLineMeters,
  coverageFromCosts,
  locatePoints,
  type LocatedPoints,
} from '../../server/analysis/coverage/demand-coverage';
import { DEFAULT_MAX_SNAP_METERS, metersForMinutes } from '../../server/domain/travel-limits';
import { EdgeSnapper } from '../../server/analysis/network/edge-snapper';
import { NetworkCostWorkspace, computeNetworkCosts, seedsAtSnappedPoints } from '../../server/analysis/network/network-costs';
import { buildRoadGraph, type RoadGraph } from '../../server/analysis/network/road-graph';
import { paths } from '../../server/paths';
import { appRouter } from '../../server/routers/app';
import { computeNetworkServiceArea, ServiceAreaWorkspace } from '../../server/analysis/coverage/network-service-area';
import type { PreparedViews } from '../../server/prepared/prepared-data';
import { buildDatabase } from '../../server/ingest/build-database';
import { PoolRunner } from '../../server/pool/pool-runner';
import { SqliteStore } from '../../server/store/sqlite-store';
import { createCallerFactory } from '../../server/trpc';
import { ensureTestDatabase, testDatabasePath } from './bench-paths';
import { TEST_DEMO } from '../support/global-setup';
import { streetGrid } from '../server/analysis/coverage/coverage-helpers';
import { measure, printTimings, type Timing } from './measure';
import { networkPeersBench } from './network-peers';
import { inlineRunnerFor, preparedViewsFor, testContext } from '../support/context';

const FIFTEEN_MINUTES_METERS = metersForMinutes(15);
const fmt = (n: number) => n.toLocaleString('en-US');

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Times `fn` like `measure`, and notes the CPU time this process spent per run (the machine may be shared). */
async function measureWithCpu(name: string, fn: () => unknown, options: { runs?: number; warmup?: number; note?: string } = {}): Promise<Timing> {
  let cpuMicros = 0;
  let calls = 0;
  const timing = await measure(
    name,
    async () => {
      const before = process.cpuUsage();
      await fn();
      const used = process.cpuUsage(before);
      cpuMicros += used.user + used.system;
      calls++;
    },
    options,
  );
  const cpu = `CPU ${(cpuMicros / calls / 1000).toFixed(1)} ms/run`;
  timing.note = timing.note ? `${timing.note}; ${cpu}` : cpu;
  return timing;
}

function load(): string {
  return `load average ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')} on ${os.cpus().length} cores`;
}

interface ProvinceSource {
  databasePath: string | null;
  /** Why there is no province database, when there is none. */
  reason: string;
  cleanup: () => void;
}

/** The province database: COVERAGE_BENCH_DB, or a build in a temporary directory (deleted afterwards). */
function provinceDatabase(): ProvinceSource {
  if (process.env.COVERAGE_BENCH_DB) return { databasePath: process.env.COVERAGE_BENCH_DB, reason: '', cleanup: () => undefined };
  if (process.env.COVERAGE_PROVINCE === '0') return { databasePath: null, reason: 'COVERAGE_PROVINCE=0', cleanup: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'atlas-coverage-bench-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  const databasePath = join(dir, 'atlas.sqlite');
  const seed = Number(process.env.COVERAGE_PROVINCE_SEED ?? 1);
  const started = performance.now();
  try {
    buildDatabase({ sourcesDir: paths.sourcesDir, databasePath, demo: { seed, scope: '21', nowMs: TEST_DEMO.nowMs } });
  } catch (error) {
    cleanup();
    const message = error instanceof Error ? error.message : String(error);
    return { databasePath: null, reason: `the province build (seed ${seed}) failed after ${((performance.now() - started) / 1000).toFixed(0)} s: ${message}`, cleanup: () => undefined };
  }
  console.log(`\n(province database built for the run, seed ${seed}, in ${((performance.now() - started) / 1000).toFixed(0)} s)`);
  return { databasePath, reason: '', cleanup };
}

/** The Shenyang test database (seed 1, scope 2101), built if needed. */
function shenyangStore(): SqliteStore {
  return new SqliteStore(ensureTestDatabase());
}

/**
 * A synthetic city: a jittered street grid of `size` × `size` nodes 90 m apart (8 % of the links
 * dropped; 540 × 540 gives 1.07 M directed edges on about 48 km square), residential points scattered
 * over it and 1.5 km beyond (those off the network are judged by straight line), facilities at random
 * places on it.
 */
function syntheticCity(seed: number, size: number, pointCount: number) {
  const rng = createRng(seed);
  const graph = buildRoadGraph(streetGrid(rng, size, 90, 0.08));
  const snapper = new EdgeSnapper(graph);
  const half = (size * 90) / 2;
  const scatter = (count: number, margin: number) => {
    const lngLat = new Float64Array(count * 2);
    for (let i = 0; i < count; i++) {
      const [lng, lat] = graph.projection.toLngLat([rng.uniform(-half - margin, half + margin), rng.uniform(-half - margin, half + margin)]);
      lngLat[i * 2] = lng;
      lngLat[i * 2 + 1] = lat;
    }
    return lngLat;
  };
  const demand = locatePoints(snapper, scatter(pointCount, 1500), DEFAULT_MAX_SNAP_METERS);
  const facilities = (count: number) => locatePoints(snapper, scatter(count, 0), DEFAULT_MAX_SNAP_METERS);
  return { graph, demand, facilities };
}

interface CoverageCase {
  label: string;
  graph: RoadGraph;
  demand: LocatedPoints;
  facilities: LocatedPoints;
}

/** Times one kind's coverage (search, residents on the network, straight line) and the search alone. */
async function coverageCase({ label, graph, demand, facilities }: CoverageCase): Promise<Timing[]> {
  const workspace = new NetworkCostWorkspace(graph.nodeCount);
  const out = new Uint8Array(demand.count);
  const options = { maxMeters: FIFTEEN_MINUTES_METERS, detourFactor: 1.3 };
  const whole = await measureWithCpu(`coverage of every facility of one kind, 15 min (1,000 m): ${label}`, () => computeDemandCoverage(graph, workspace, demand, facilities, options, out), {
    runs: 20,
    warmup: 3,
  });
  let covered = 0;
  for (let i = 0; i < out.length; i++) if (out[i] !== 0) covered++;
  let onNetwork = 0;
  for (let f = 0; f < facilities.count; f++) if (facilities.snap.edge[f]! >= 0) onNetwork++;
  whole.note =
    `${fmt(graph.arcCount)} directed edges, ${fmt(graph.nodeCount)} nodes, ${fmt(demand.count)} residential points (${fmt(demand.byEdge.length)} on the network); ` +
    `${fmt(facilities.count)} facilities (${fmt(onNetwork)} on the network); ${fmt(workspace.reachedCount)} nodes within reach, ${fmt(covered)} points covered; ${whole.note}`;
  const seeds = seedsAtSnappedPoints(graph, facilities.snap.edge, facilities.snap.fraction, facilities.snap.distanceMeters);
  const search = await measureWithCpu('… of which the multi-source network search with the 1,000 m cutoff', () => computeNetworkCosts(graph, seeds, FIFTEEN_MINUTES_METERS, workspace), {
    runs: 20,
    warmup: 3,
  });
  return [whole, search];
}

/**
 * (a) All facilities of one kind, 15 minutes, on a network of ≥ 1 M directed edges: the province's
 * network (health stations, and convenience stores, the most numerous kind) when there is one that
 * large, and always a dense synthetic grid where every facility stands on the network.
 */
async function bigNetworkBench(province: SqliteStore | null): Promise<Timing[]> {
  const timings: Timing[] = [];
  const context = province ? preparedViewsFor(province) : null;
  const graph = context?.network?.graph;
  if (context && graph && graph.arcCount >= 1_000_000) {
    for (const [kind, name] of [['health_station', 'health stations'], ['convenience_store', 'convenience stores']] as const) {
      const facilities = context.facilities(kind).located;
      timings.push(...(await coverageCase({ label: `province demo network, ${name}`, graph, demand: context.demand, facilities })));
    }
  } else if (context) {
    console.log(`
(the province network has ${fmt(graph?.arcCount ?? 0)} directed edges, under 1 M: the synthetic grid alone below)`);
  }
  const started = performance.now();
  const synthetic = syntheticCity(4, 540, 250_000);
  const label = `synthetic grid (built and located in ${((performance.now() - started) / 1000).toFixed(1)} s), facilities at random on it`;
  timings.push(...(await coverageCase({ label, graph: synthetic.graph, demand: synthetic.demand, facilities: synthetic.facilities(2_500) })));
  return timings;
}

/** (b) One facility's full-detail service-area polygon (search, reachable edges, raster trace) on the Shenyang network. */
/** One search and trace from facility i of a kind's prepared set, as coverage.serviceAreas does it. */
function traceFacility(context: PreparedViews, set: ReturnType<PreparedViews['facilities']>, i: number, workspace: ServiceAreaWorkspace) {
  const { snap } = set.located;
  const sources = { edge: Int32Array.of(snap.edge[i]!), fraction: Float64Array.of(snap.fraction[i]!), accessMeters: Float64Array.of(snap.distanceMeters[i]!) };
  return computeNetworkServiceArea(context.network!.graph, sources, FIFTEEN_MINUTES_METERS, { bufferMeters: 50, barrierLines: context.network!.barrierLines }, workspace);
}

function serviceAreaBench(store: SqliteStore): void {
  const context = preparedViewsFor(store);
  const set = context.facilities('health_station');
  const workspace = new ServiceAreaWorkspace(context.network!.graph);
  const onNetwork = Array.from(set.ids, (_, i) => i).filter((i) => set.located.snap.edge[i]! >= 0);
  const rng = createRng(11);
  for (let i = onNetwork.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [onNetwork[i], onNetwork[j]] = [onNetwork[j]!, onNetwork[i]!];
  }
  const sample = onNetwork.slice(0, 300);
  for (const i of sample.slice(0, 30)) traceFacility(context, set, i, workspace);
  const times: number[] = [];
  let cpuMicros = 0;
  let vertices = 0;
  for (const i of sample) {
    const before = process.cpuUsage();
    const started = performance.now();
    const traced = traceFacility(context, set, i, workspace);
    times.push(performance.now() - started);
    const used = process.cpuUsage(before);
    cpuMicros += used.user + used.system;
    for (const polygon of traced.coordinates) for (const ring of polygon) vertices += ring.length;
  }
  times.sort((a, b) => a - b);
  console.log(`\n## Coverage: one facility's service-area polygon, Shenyang network (${fmt(context.network!.graph.arcCount)} directed edges), 15 min, 50 m buffer, full detail`);
  console.log('| case | facilities | median ms | p90 ms | p95 ms | max ms | note |');
  console.log('|---|---:|---:|---:|---:|---:|---|');
  console.log(
    `| health station (社区卫生服务站), one search + reachable edges + raster trace | ${sample.length} | ${quantile(times, 0.5).toFixed(2)} | ${quantile(times, 0.9).toFixed(2)} | ${quantile(times, 0.95).toFixed(2)} | ${times.at(-1)!.toFixed(2)} | each facility once after 30 warm-up traces; ${Math.round(vertices / sample.length)} polygon vertices on average; CPU ${(cpuMicros / sample.length / 1000).toFixed(2)} ms/facility |`,
  );
}

/** (c) coverage.rates of every kind, 15-minute-ish limits, within the province, by county, through the API. */
async function ratesBench(databasePath: string, label: string): Promise<Timing[]> {
  // A store of its own, so the first answer loads everything as after a start-up.
  const store = new SqliteStore(databasePath);
  try {
    return await ratesOnStore(store, label);
  } finally {
    store.close();
  }
}

async function ratesOnStore(store: SqliteStore, label: string): Promise<Timing[]> {
  const caller = createCallerFactory(appRouter)(testContext(store, { version: 'bench' }));
  const once = (name: string, ms: number, note: string): Timing => ({ name, runs: 1, medianMs: ms, p10Ms: ms, p90Ms: ms, note });
  const ratesOfAllKinds = async (maxMinutes: number) => {
    let rows = 0;
    for (const kind of FACILITY_KINDS) rows = (await caller.coverage.rates({ kind, maxMinutes, within: '21', groupBy: 'county' })).length;
    return rows;
  };
  let started = performance.now();
  const context = preparedViewsFor(store);
  const contextMs = performance.now() - started;
  const size = `${fmt(context.network?.graph.arcCount ?? 0)} directed edges, ${fmt(context.demand.count)} residential points`;
  started = performance.now();
  const rows = await ratesOfAllKinds(15);
  const firstMs = performance.now() - started;
  const timings = [
    once(`prepare the data: network, snapper, residents and facilities located, dispute cells (once per data version) — ${label}`, contextMs, size),
    once(`first coverage.rates of all ${FACILITY_KINDS.length} kinds, 15 min, within 21 by county (each kind: load and snap its facilities, one 1,000 m search)`, firstMs, `${rows} county rows per kind`),
  ];
  // Every run a limit not asked before, so no answer comes from the cache of answers.
  let step = 0;
  timings.push(
    await measure(
      `coverage.rates of all ${FACILITY_KINDS.length} kinds, each kind's search redone (kept costs dropped before each run)`,
      async () => {
        inlineRunnerFor(store).clearCache();
        await ratesOfAllKinds(14.95 - 0.1 * step++);
      },
      { runs: 5, warmup: 1 },
    ),
  );
  timings.push(
    await measure(
      `coverage.rates of all ${FACILITY_KINDS.length} kinds as a planner drags the minutes slider (a new limit ≤ 15 min each run; kept costs)`,
      () => ratesOfAllKinds(14.9 - 0.1 * step++),
      { runs: 10, warmup: 2 },
    ),
  );
  return timings;
}

/** Residents of Liaoning ÷ residents of Shenyang, 2020 census (data/sources county table). */
function provinceToShenyang(): number {
  const rows = readFileSync(join(paths.sourcesDir, 'liaoning', 'county-population-2020.csv'), 'utf8').trim().split('\n').slice(1);
  let province = 0;
  let shenyang = 0;
  for (const row of rows) {
    const [code, , population] = row.split(',');
    province += Number(population);
    if (code!.startsWith('2101')) shenyang += Number(population);
  }
  return province / shenyang;
}

/**
 * (c, analysis at province scale) every kind's coverage on a synthetic city the size of the province:
 * Shenyang's network, residents and facilities of each kind, each × the province's residents ÷
 * Shenyang's (a stand-in while no province database can be built; a uniform grid is denser than
 * Liaoning's countryside, so this errs on the slow side). As in the service: the first answer of a kind
 * searches the network (1,000 m), later limits up to that compare each resident's kept cost.
 */
async function provinceScaleBench(shenyang: SqliteStore): Promise<Timing[]> {
  const context = preparedViewsFor(shenyang);
  const scale = provinceToShenyang();
  const targetArcs = context.network!.graph.arcCount * scale;
  // A grid of n × n nodes with 8 % of the links dropped has about 4 × 0.92 × n² directed edges.
  const size = Math.round(Math.sqrt(targetArcs / (4 * 0.92)));
  const started = performance.now();
  const city = syntheticCity(7, size, Math.round(context.demand.count * scale));
  const buildS = (performance.now() - started) / 1000;
  const sets = FACILITY_KINDS.map((kind) => city.facilities(Math.max(1, Math.round(context.facilities(kind).ids.length * scale))));
  const total = sets.reduce((sum, set) => sum + set.count, 0);
  const workspace = new NetworkCostWorkspace(city.graph.nodeCount);
  const networkCosts = sets.map(() => new Float64Array(city.demand.count));
  const straightLineMeters = sets.map(() => new Float64Array(city.demand.count));
  const out = new Uint8Array(city.demand.count);
  const options = { maxMeters: FIFTEEN_MINUTES_METERS, detourFactor: 1.3 };
  const timings = [
    await measureWithCpu(
      `first answer of all ${FACILITY_KINDS.length} kinds on a synthetic province-sized city (analysis only): one 1,000 m search per kind, 15 min`,
      () => {
        sets.forEach((set, k) => {
          computeDemandNetworkCosts(city.graph, workspace, city.demand, set, FIFTEEN_MINUTES_METERS, networkCosts[k]);
          computeStraightLineMeters(city.demand, set, FIFTEEN_MINUTES_METERS / 1.3, straightLineMeters[k]);
          coverageFromCosts(networkCosts[k]!, straightLineMeters[k]!, options, out);
        });
      },
      {
        runs: 3,
        warmup: 1,
        note: `Shenyang × ${scale.toFixed(2)} (province ÷ Shenyang residents): ${fmt(city.graph.arcCount)} directed edges, ${fmt(city.demand.count)} points, ${fmt(total)} facilities; built in ${buildS.toFixed(1)} s`,
      },
    ),
  ];
  let step = 0;
  timings.push(
    await measureWithCpu(
      `… then all ${FACILITY_KINDS.length} kinds for a new limit each run (≤ 15 min), from the kept costs`,
      () => {
        const limit = { maxMeters: metersForMinutes(14.9 - 0.1 * step++), detourFactor: 1.3 };
        sets.forEach((_, k) => coverageFromCosts(networkCosts[k]!, straightLineMeters[k]!, limit, out));
      },
      { runs: 10, warmup: 2 },
    ),
  );
  return timings;
}

/**
 * (e) coverage.completeness of every life-circle kind within one city (COMPLETENESS_BENCH_WITHIN, default
 * 2101 Shenyang), by community and by grid, through the API on a store of its own. The prepared data is
 * built first and timed apart; "cold" is an answer with every kept intermediate dropped before it (the
 * first answer after the prepared data is loaded), "warm" the same request again.
 */
async function completenessBench(databasePath: string, label: string): Promise<Timing[]> {
  const within = process.env.COMPLETENESS_BENCH_WITHIN ?? '2101';
  const store = new SqliteStore(databasePath);
  try {
    const runner = inlineRunnerFor(store);
    const caller = createCallerFactory(appRouter)(testContext(store, { version: 'bench' }));
    const once = (name: string, ms: number, note: string): Timing => ({ name, runs: 1, medianMs: ms, p10Ms: ms, p90Ms: ms, note });
    let started = performance.now();
    await runner.prepare();
    const timings = [once(`prepare the data (not counted in the answers below) — ${label}`, performance.now() - started, '')];
    for (const groupBy of ['community', 'grid'] as const) {
      const ask = () => caller.coverage.completeness({ within, groupBy });
      runner.clearCache();
      started = performance.now();
      const rows = await ask();
      const size = `${fmt(rows.length)} ${groupBy === 'community' ? 'communities' : 'grids'} × ${rows[0]?.kindsTotal ?? 0} kinds`;
      timings.push(once(`completeness within ${within} by ${groupBy}, the first answer in the process (code not yet optimised by the JIT)`, performance.now() - started, size));
      timings.push(
        await measureWithCpu(`completeness within ${within} by ${groupBy}, cold (kept searches and groups dropped before each run)`, () => {
          runner.clearCache();
          return ask();
        }, { runs: 7, warmup: 1, note: size }),
      );
      timings.push(await measureWithCpu(`completeness within ${within} by ${groupBy}, warm (the same request again)`, ask, { runs: 10, warmup: 1, note: size }));
    }
    timings.push(...(await completenessThroughPool(store, databasePath, within)));
    return timings;
  } finally {
    store.close();
  }
}

/**
 * As the server answers: the worker pool (one heavy thread) with its prepared data loaded, then the first
 * answer by community and the first by grid (the thread's first jobs: views of the shared data, code
 * not yet optimised, the answer's bytes handed back to the main thread).
 */
async function completenessThroughPool(store: SqliteStore, databasePath: string, within: string): Promise<Timing[]> {
  const pool = new PoolRunner({ store, databasePath, heavyThreads: 1, lightThreads: 1 });
  try {
    let started = performance.now();
    await pool.prepare();
    const prepareMs = performance.now() - started;
    const timings: Timing[] = [{ name: 'worker pool: prepare the data (not counted)', runs: 1, medianMs: prepareMs, p10Ms: prepareMs, p90Ms: prepareMs }];
    for (const groupBy of ['community', 'grid'] as const) {
      started = performance.now();
      const bytes = await pool.runBytes('coverage.completeness', { within, groupBy });
      const ms = performance.now() - started;
      timings.push({ name: `worker pool: the first completeness within ${within} by ${groupBy} after the data is loaded`, runs: 1, medianMs: ms, p10Ms: ms, p90Ms: ms, note: `${fmt(bytes.byteLength)} bytes of JSON` });
    }
    return timings;
  } finally {
    await pool.close();
  }
}

export async function runCoverageBench(): Promise<void> {
  console.log(`\n(coverage bench: ${load()})`);
  const cases = process.env.COVERAGE_BENCH_CASES?.split(',');
  const runs = (name: string) => !cases || cases.includes(name);
  // The province is built only for the cases that read it.
  const needsProvince = ['big-network', 'rates', 'completeness'].some(runs);
  const source: ProvinceSource = needsProvince ? provinceDatabase() : { databasePath: null, reason: 'no case here reads it', cleanup: () => undefined };
  const province = source.databasePath ? new SqliteStore(source.databasePath) : null;
  // Built or opened only for the cases that read it.
  let shenyang: SqliteStore | null = null;
  const shenyangOf = () => (shenyang ??= shenyangStore());
  const testDatabase = testDatabasePath();
  try {
    if (!province && needsProvince) console.log(`\n(no province database: ${source.reason}; a synthetic grid and the Shenyang test database stand in below)`);
    if (runs('big-network')) printTimings('Coverage: all facilities of one kind on a network of ≥ 1 M directed edges', await bigNetworkBench(province));
    if (runs('service-area')) serviceAreaBench(shenyangOf());
    if (runs('rates')) {
      const rates = source.databasePath
        ? await ratesBench(source.databasePath, 'province database')
        : await ratesBench(testDatabase, 'Shenyang test database (its only city; no province database)');
      if (!province) rates.push(...(await provinceScaleBench(shenyangOf())));
      printTimings('Coverage: rates of every facility kind for the province, by county', rates);
    }
    if (runs('completeness')) {
      const completeness = source.databasePath
        ? await completenessBench(source.databasePath, 'province database')
        : await completenessBench(testDatabase, 'Shenyang test database (its only city; no province database)');
      printTimings(`Coverage: life-circle completeness of one city, all its kinds (${load()})`, completeness);
    }
    if (runs('other-tools')) await networkPeersBench(shenyangOf(), FIFTEEN_MINUTES_METERS);
    console.log(`\n(coverage bench done: ${load()})`);
  } finally {
    province?.close();
    (shenyang as SqliteStore | null)?.close();
    source.cleanup();
  }
}
