// Siting benchmarks (issue 6): lazy greedy p = 200 from 10,000 candidates over 100,000 demand points;
// exact MCLP on the San Francisco instance; p-median on OR-Library pmed1–pmed10 (all 40 with
// SITING_ORLIB_LAST=40), each against Beasley's optimum (data from ../shared/testdata); plan.evaluate and plan.optimize on
// the Shenyang test database (about 91,000 resident points); what-if edits (a facility added or closed,
// a walking link added or cut) on the province build. Seeded, warmed up, median and spread.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { coverageCosts } from '../../server/analysis/siting/candidate-costs';
import { createStraightLineProvider } from '../../server/analysis/siting/coverage-provider';
import { createFacilityInstance, FacilityAssignment } from '../../server/analysis/siting/facility-assignment';
import { greedyOpen } from '../../server/analysis/siting/greedy-open';
import { costsFromDenseMatrix, parseOrlibPmedian } from '../../server/analysis/siting/orlib-pmedian';
import { seededRandom, solveSiting } from '../../server/analysis/siting/solve-siting';
import { swapImprove } from '../../server/analysis/siting/swap-improve';
import { REPO_ROOT, paths } from '../../server/paths';
import { appRouter } from '../../server/routers/app';
import { loadHighsRuntime } from '../../server/jobs/job-env';
import { ensureDatabase } from '../../server/ingest/build-database';
import { SqliteStore } from '../../server/store/sqlite-store';
import { createCallerFactory } from '../../server/trpc';
import { TEST_DEMO } from '../support/global-setup';
import { beasleyOptima, loadSanFrancisco, testdataPath } from '../server/analysis/siting/reference-data';
import { measure, printTimings, type Timing } from './measure';
import { preparedViewsFor, testContext } from '../support/context';

/** Demand clustered like a city (dense cores, sparse fringe) in a 40 × 40 km square around Shenyang. */
function syntheticCity(seed: number, demandCount: number, candidateCount: number) {
  const random = seededRandom(seed);
  const centres = Array.from({ length: 12 }, () => [123.2 + random() * 0.45, 41.65 + random() * 0.35, 0.004 + random() * 0.03] as const);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const point = (out: Float64Array, k: number) => {
    const [lng, lat, spread] = centres[Math.floor(random() * centres.length)]!;
    out[2 * k] = lng + gaussian() * spread;
    out[2 * k + 1] = lat + gaussian() * spread * 0.75;
  };
  const demandLngLat = new Float64Array(2 * demandCount);
  for (let k = 0; k < demandCount; k++) point(demandLngLat, k);
  const candidateLngLat = new Float64Array(2 * candidateCount);
  for (let k = 0; k < candidateCount; k++) point(candidateLngLat, k);
  const weights = Float64Array.from({ length: demandCount }, () => 50 + Math.floor(random() * 100));
  return { demandLngLat, candidateLngLat, weights };
}

async function greedyBench(): Promise<Timing[]> {
  const city = syntheticCity(6, 100_000, 10_000);
  const provider = createStraightLineProvider(city.demandLngLat);
  const started = performance.now();
  const costs = provider.siteCosts(city.candidateLngLat, 15);
  const buildMs = performance.now() - started;
  const instance = createFacilityInstance(coverageCosts(costs, 15), city.weights, { unservedCost: 1 });
  const pairs = costs.demandIndex.length;
  const timings: Timing[] = [];
  let evaluations = 0;
  timings.push(
    await measure(
      'lazy greedy MCLP, p = 200 of 10,000 candidates, 100,000 demand points (15 min straight-line)',
      () => {
        const assignment = new FacilityAssignment(instance);
        evaluations = greedyOpen(assignment, { maxSites: 200 }).evaluations;
      },
      { runs: 15, warmup: 3 },
    ),
  );
  timings[0]!.note = `${pairs.toLocaleString('en-US')} pairs within reach (built in ${buildMs.toFixed(0)} ms); ${evaluations.toLocaleString('en-US')} gain evaluations`;
  const assignment = new FacilityAssignment(instance);
  greedyOpen(assignment, { maxSites: 200 });
  const greedyCovered = instance.totalWeight - assignment.objective;
  timings.push(
    await measure(
      'swap local search after that greedy (to a local optimum or 2 s)',
      () => {
        const copy = new FacilityAssignment(instance);
        copy.setChosen(assignment.chosen);
        swapImprove(copy, { timeBudgetMs: 2000 });
      },
      { runs: 3, warmup: 1 },
    ),
  );
  const solution = solveSiting({ objective: 'mclp', costs, weightByDemand: city.weights, radius: 15, newSites: 200 }, { method: 'heuristic', timeLimitSeconds: 4 });
  timings.push({
    name: 'solveSiting heuristic (greedy + swaps + neighbourhood search + bounds), same instance',
    runs: 1,
    medianMs: solution.elapsedMs,
    p10Ms: solution.elapsedMs,
    p90Ms: solution.elapsedMs,
    note: `greedy covers ${greedyCovered.toFixed(0)}, final ${solution.value.toFixed(0)} of ${instance.totalWeight.toFixed(0)}; gap ≤ ${(solution.gap * 100).toFixed(2)} % (${solution.boundSource})`,
  });
  return timings;
}

async function sanFranciscoBench(): Promise<Timing[]> {
  const loadStarted = performance.now();
  const highs = await loadHighsRuntime();
  const loadMs = performance.now() - loadStarted;
  const sf = loadSanFrancisco();
  const timings: Timing[] = [];
  let note = '';
  for (const [objective, extra] of [
    ['mclp', { radius: 5000, newSites: 4 }],
    ['lscp', { radius: 5000, targetRate: 1 }],
    ['pmedian', { newSites: 4 }],
    ['pcenter', { newSites: 4 }],
  ] as const) {
    timings.push(
      await measure(
        `exact ${objective} on San Francisco (205 tracts, 16 stores)`,
        () => {
          const solution = solveSiting({ objective, costs: sf.costs, weightByDemand: sf.weights, ...extra }, { method: 'exact', highs });
          note = `value ${solution.value.toFixed(2)}, ${solution.provedOptimal ? 'proven optimal' : `gap ${(solution.gap * 100).toFixed(3)} %`}`;
        },
        { runs: 10, warmup: 2 },
      ),
    );
    timings.at(-1)!.note = note;
  }
  timings[0]!.note += `; HiGHS WebAssembly load ${loadMs.toFixed(0)} ms (once per process, not included)`;
  return timings;
}

async function orlibBench(): Promise<void> {
  const highs = await loadHighsRuntime();
  const optima = beasleyOptima();
  const last = Number(process.env.SITING_ORLIB_LAST ?? 10);
  console.log(`\n## p-median on OR-Library pmed1–pmed${last} (one run each; exact method, 10 s limit; heuristic method, 2 s)`);
  console.log('| instance | n | p | Beasley optimum | exact: value | gap % | proven | time s | heuristic: value | gap to optimum % | reported gap % | time s |');
  console.log('|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|');
  for (let k = 1; k <= last; k++) {
    const instance = parseOrlibPmedian(readFileSync(testdataPath('siting-orlib', `pmed${k}.txt`), 'utf8'));
    const n = instance.nodeCount;
    const problem = { objective: 'pmedian' as const, costs: costsFromDenseMatrix(instance.distances, n, n), weightByDemand: new Float64Array(n).fill(1), newSites: instance.p };
    const exact = solveSiting(problem, { method: 'exact', highs, timeLimitSeconds: 10 });
    const heuristic = solveSiting(problem, { method: 'heuristic', timeLimitSeconds: 2 });
    const optimum = optima[k - 1]!;
    const pct = (value: number) => ((100 * (value - optimum)) / optimum).toFixed(2);
    console.log(
      `| pmed${k} | ${n} | ${instance.p} | ${optimum} | ${exact.value} | ${pct(exact.value)} | ${exact.provedOptimal ? 'yes' : 'no'} | ${(exact.elapsedMs / 1000).toFixed(2)} | ${heuristic.value} | ${pct(heuristic.value)} | ${(heuristic.gap * 100).toFixed(2)} | ${(heuristic.elapsedMs / 1000).toFixed(2)} |`,
    );
  }
}

async function shenyangBench(): Promise<Timing[]> {
  // The test database (Shenyang, seed 1), built if needed; SITING_BENCH_DB names a built one to use as is.
  const databasePath = process.env.SITING_BENCH_DB ?? join(REPO_ROOT, 'test', 'artifacts', 'atlas-test.sqlite');
  if (!process.env.SITING_BENCH_DB) ensureDatabase({ sourcesDir: paths.sourcesDir, databasePath, demo: TEST_DEMO });
  const store = new SqliteStore(databasePath);
  try {
    const caller = createCallerFactory(appRouter)(testContext(store, { version: 'bench' }));
    const timings: Timing[] = [];
    const facilities = await caller.geo.facilities({ kinds: ['health_station'], within: '2101' });
    const removeId = facilities.features[0]!.properties.id;
    const evaluateInput = { kind: 'health_station' as const, maxMinutes: 15, within: '2101', add: [[123.43, 41.8] as [number, number]], remove: [removeId] };
    const first = performance.now();
    const firstAnswer = await caller.plan.evaluate(evaluateInput);
    const warmUpMs = performance.now() - first;
    let updateMs = 0;
    timings.push(
      await measure(
        'plan.evaluate, Shenyang (2101): add 1 site, remove 1 facility, after warm-up',
        async () => {
          updateMs = (await caller.plan.evaluate(evaluateInput)).updateMs;
        },
        { runs: 50, warmup: 5 },
      ),
    );
    timings.at(-1)!.note = `first call (loads the area) ${warmUpMs.toFixed(0)} ms; incremental update itself ${updateMs.toFixed(2)} ms; ${firstAnswer.population.toLocaleString('en-US')} residents, ${firstAnswer.existingCount} stations`;
    for (const [objective, extra] of [
      ['mclp', { newSites: 20 }],
      ['lscp', { targetRate: 0.9 }],
      ['pmedian', { newSites: 20 }],
    ] as const) {
      let answer: Awaited<ReturnType<typeof caller.plan.optimize>> | null = null;
      const started = performance.now();
      answer = await caller.plan.optimize({ kind: 'health_station', maxMinutes: 15, within: '2101', objective, candidates: 'grid-centroids', ...extra });
      const ms = performance.now() - started;
      timings.push({
        name: `plan.optimize ${objective}, Shenyang, health stations, 15 min, grid centroids (${answer.usableCandidateCount.toLocaleString('en-US')} usable)`,
        runs: 1,
        medianMs: ms,
        p10Ms: ms,
        p90Ms: ms,
        note: `coverage ${(answer.before.coverageRate * 100).toFixed(1)} % → ${(answer.after.coverageRate * 100).toFixed(1)} %; ${answer.optimality.measure} ${answer.optimality.value.toFixed(0)}, bound ${answer.optimality.bound.toFixed(0)}, gap ${(answer.optimality.gap * 100).toFixed(2)} % (${answer.optimality.solver}; ${answer.optimality.boundSource})`,
      });
    }
    return timings;
  } finally {
    store.close();
  }
}

/**
 * What-if edits on the province build when there is one (SITING_PROVINCE_DB, else data/atlas.sqlite
 * when it holds more than one city), else on the test database: Shenyang (2101), health stations,
 * 15 minutes, warm. Each run edits another place (20 of each kind, in turn), so no answer is reused.
 */
async function whatIfBench(): Promise<{ title: string; timings: Timing[] }> {
  const province = process.env.SITING_PROVINCE_DB ?? join(REPO_ROOT, 'data', 'atlas.sqlite');
  let databasePath = join(REPO_ROOT, 'test', 'artifacts', 'atlas-test.sqlite');
  let source = 'the Shenyang test database';
  if (existsSync(province)) {
    const candidate = new SqliteStore(province);
    const cities = candidate.adminChildren(candidate.rootUnit()?.code ?? '21').length;
    candidate.close();
    if (cities > 1) {
      databasePath = province;
      source = `the province build (${cities} cities)`;
    }
  }
  if (databasePath !== province) ensureDatabase({ sourcesDir: paths.sourcesDir, databasePath, demo: TEST_DEMO });
  const store = new SqliteStore(databasePath);
  try {
    const context = testContext(store, { version: 'bench' });
    const caller = createCallerFactory(appRouter)(context);
    const { graph, snapper } = preparedViewsFor(store).network!;
    const base = { kind: 'health_station' as const, maxMinutes: 15, within: '2101' };
    const started = performance.now();
    const first = await caller.plan.evaluate(base);
    const loadMs = performance.now() - started;
    const stations = store.facilities({ kinds: ['health_station'], withinCode: '210103' }).slice(0, 20);
    const sites = store.gridRecords({ withinCode: '210103' }).slice(0, 20).map((grid) => grid.labelLngLat);
    // Near each station: its edge (cut) and a link from that edge's first node to a node 50–150 m away.
    const snapped = snapper.snapLngLat(Float64Array.from(stations.flatMap((station) => station.lngLat)), 300);
    const node = (n: number): [number, number] => [graph.nodeLngLat[2 * n]!, graph.nodeLngLat[2 * n + 1]!];
    const cuts: number[] = [];
    const links: [[number, number], [number, number]][] = [];
    for (let k = 0; k < stations.length; k++) {
      const e = snapped.edge[k]!;
      if (e < 0) continue;
      cuts.push(e + 1);
      const a = node(graph.edgeFrom[e]!);
      for (let n = 0; n < graph.nodeCount; n++) {
        const b = node(n);
        const metres = Math.hypot((b[0] - a[0]) * 83_000, (b[1] - a[1]) * 111_000);
        if (metres >= 50 && metres <= 150) {
          links.push([a, b]);
          break;
        }
      }
    }
    const timings: Timing[] = [];
    const cases = [
      ['add one facility', (k: number) => ({ ...base, add: [sites[k % sites.length]!] })],
      ['close one facility', (k: number) => ({ ...base, remove: [stations[k % stations.length]!.id] })],
      ['add one walking link', (k: number) => ({ ...base, addLinks: [links[k % links.length]!] })],
      ['cut one walking-network edge', (k: number) => ({ ...base, removeLinks: [cuts[k % cuts.length]!] })],
    ] as const;
    for (const [name, inputOf] of cases) {
      let k = 0;
      const updates: number[] = [];
      const timing = await measure(
        `plan.evaluate, Shenyang (2101), health stations 15 min: ${name}`,
        async () => {
          updates.push((await caller.plan.evaluate(inputOf(k++))).updateMs);
        },
        { runs: 60, warmup: 20 },
      );
      updates.sort((x, y) => x - y);
      timing.note = `incremental update itself: median ${updates[Math.floor(updates.length / 2)]!.toFixed(2)} ms`;
      timings.push(timing);
    }
    let k = 0;
    timings.push(
      await measure(
        'plan.evaluateUnits (scenario.compare\'s job), Shenyang by street: 5 stations added, 1 closed, 1 link added, 1 cut',
        () =>
          context.jobs.value('plan.evaluateUnits', {
            ...base,
            groupBy: 'street',
            edits: {
              addFacilities: sites.slice(k % 10, (k % 10) + 5).map((lngLat) => ({ lngLat, source: 'manual' as const })),
              removeFacilities: [stations[k % stations.length]!.id],
              addLinks: [links[k % links.length]!],
              removeLinks: [cuts[k++ % cuts.length]!],
            },
          }),
        { runs: 40, warmup: 10 },
      ),
    );
    timings[0]!.note += `; first call (loads the area) ${loadMs.toFixed(0)} ms; ${first.population.toLocaleString('en-US')} residents, ${first.existingCount} stations`;
    return { title: `Siting: what-if edits, warm, on ${source}`, timings };
  } finally {
    store.close();
  }
}

export async function runSitingBench(): Promise<void> {
  if (process.env.SITING_WHATIF_ONLY === '1') {
    const whatIf = await whatIfBench();
    printTimings(whatIf.title, whatIf.timings);
    return;
  }
  printTimings('Siting: greedy and local search (synthetic city, seed 6)', await greedyBench());
  printTimings('Siting: exact solves on San Francisco (HiGHS)', await sanFranciscoBench());
  await orlibBench();
  printTimings('Siting: API on the Shenyang test database', await shenyangBench());
  const whatIf = await whatIfBench();
  printTimings(whatIf.title, whatIf.timings);
}
