// Siting benchmarks: lazy greedy p = 200 from 10,000 candidates over 100,000 demand points;
// exact MCLP against CBC (the peer) on seeded 2,000 × 20,000 and 500 × 5,000 instances, warm search and
// whole process; exact MCLP on the San Francisco instance; p-median on OR-Library pmed1–pmed10 (all 40 with
// SITING_ORLIB_LAST=40), each against Beasley's optimum (data from ../shared/testdata); plan.evaluate and plan.optimize on
// the Shenyang test database (about 91,000 resident points); what-if edits (a facility added or closed,
// a walking link added or cut) on the province build. Seeded, warmed up, median and spread.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCandidateCosts, coverageCosts, transposeCandidateCosts, type CandidateCosts } from '../../server/analysis/siting/candidate-costs';
import { createStraightLineProvider } from '../../server/analysis/siting/coverage-provider';
import { createFacilityInstance, FacilityAssignment } from '../../server/analysis/siting/facility-assignment';
import { greedyOpen } from '../../server/analysis/siting/greedy-open';
import { costsFromDenseMatrix, parseOrlibPmedian } from '../../server/analysis/siting/orlib-pmedian';
import { seededRandom, solveSiting } from '../../server/analysis/siting/solve-siting';
import { swapImprove } from '../../server/analysis/siting/swap-improve';
import type { CoverGroups } from '../../server/analysis/siting/highs-models';
import { cbcCoverSolver, cbcVersion, coverModelLp, findCbc } from '../../server/solvers/cbc-cover-solver';
import { REPO_ROOT, paths } from '../../server/paths';
import { appRouter } from '../../server/routers/app';
import { loadHighsRuntime } from '../../server/jobs/job-env';
import { ensureDatabase } from '../../server/ingest/build-database';
import { SqliteStore } from '../../server/store/sqlite-store';
import { createCallerFactory } from '../../server/trpc';
import { TEST_DEMO } from '../support/global-setup';
import { beasleyOptima, loadSanFrancisco, testdataPath } from '../server/analysis/siting/reference-data';
import { measure, printTimings, type Timing } from './measure';
import { benchArtifactsDir, testDatabasePath } from './bench-paths';
import { npmCli } from './peers';
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
  // SITING_ORLIB_CBC=1: CBC on the textbook model too (whole process, same 10 s limit); long files, so opt-in.
  const cbcPath = process.env.SITING_ORLIB_CBC === '1' ? findCbc() : null;
  console.log(`\n## p-median on OR-Library pmed1–pmed${last} (one run each; exact method, 10 s limit; heuristic method, 2 s)`);
  if (process.env.SITING_ORLIB_CBC === '1') console.log(cbcPath ? `Peer: CBC ${cbcVersion(cbcPath) ?? '?'} (${cbcPath}) on the textbook model (ReVelle & Swain 1970), whole process, -sec 10.` : 'CBC: skipped — no `cbc` on PATH.');
  console.log(`| instance | n | p | Beasley optimum | exact: value | gap % | proven | time s | heuristic: value | gap to optimum % | reported gap % | time s |${cbcPath ? ' CBC: value | proven | time s |' : ''}`);
  console.log(`|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|${cbcPath ? '---:|---|---:|' : ''}`);
  let cbcSeconds = 0;
  let cbcProven = 0;
  let exactSeconds = 0;
  let heuristicSeconds = 0;
  let proven = 0;
  let atOptimum = 0;
  for (let k = 1; k <= last; k++) {
    const instance = parseOrlibPmedian(readFileSync(testdataPath('siting-orlib', `pmed${k}.txt`), 'utf8'));
    const n = instance.nodeCount;
    const problem = { objective: 'pmedian' as const, costs: costsFromDenseMatrix(instance.distances, n, n), weightByDemand: new Float64Array(n).fill(1), newSites: instance.p };
    const exact = solveSiting(problem, { method: 'exact', highs, timeLimitSeconds: 10 });
    const heuristic = solveSiting(problem, { method: 'heuristic', timeLimitSeconds: 2 });
    const optimum = optima[k - 1]!;
    exactSeconds += exact.elapsedMs / 1000;
    heuristicSeconds += heuristic.elapsedMs / 1000;
    proven += exact.provedOptimal ? 1 : 0;
    atOptimum += exact.value === optimum ? 1 : 0;
    const pct = (value: number) => ((100 * (value - optimum)) / optimum).toFixed(2);
    let cbcCells = '';
    if (cbcPath) {
      const dir = mkdtempSync(join(benchArtifactsDir(), 'siting-pmed-'));
      try {
        const model = join(dir, 'pmed.lp');
        writeFileSync(model, textbookPMedianModel(instance.distances, n, instance.p));
        // CBC checks -sec only after its root LP: a process still running at 60 s is stopped.
        const run = timedRun(cbcPath, [model, '-sec', '10', '-solve'], 60_000);
        const optimal = /Result - Optimal solution found/.test(run.stdout);
        cbcSeconds += run.ms / 1000;
        cbcProven += optimal ? 1 : 0;
        const value = run.killed ? 'stopped at 60 s' : (/Objective value:\s+(\S+)/.exec(run.stdout)?.[1] ?? '—');
        cbcCells = ` ${value} | ${optimal ? 'yes' : 'no'} | ${(run.ms / 1000).toFixed(2)} |`;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    console.log(
      `| pmed${k} | ${n} | ${instance.p} | ${optimum} | ${exact.value} | ${pct(exact.value)} | ${exact.provedOptimal ? 'yes' : 'no'} | ${(exact.elapsedMs / 1000).toFixed(2)} | ${heuristic.value} | ${pct(heuristic.value)} | ${(heuristic.gap * 100).toFixed(2)} | ${(heuristic.elapsedMs / 1000).toFixed(2)} |${cbcCells}`,
    );
  }
  console.log(
    `| total pmed1–pmed${last} | | | | ${atOptimum} at Beasley's optimum | | ${proven} proven | ${exactSeconds.toFixed(1)} | | | | ${heuristicSeconds.toFixed(1)} |${cbcPath ? ` | ${cbcProven} proven | ${cbcSeconds.toFixed(1)} |` : ''}`,
  );
}

/** The textbook p-median (ReVelle & Swain 1970) in LP format: x_ij assign, y_j open, Σ_j x_ij = 1, x_ij ≤ y_j, Σ y_j = p. */
function textbookPMedianModel(distances: ArrayLike<number>, n: number, p: number): string {
  const lines = ['Minimize', ' obj:'];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j += 10) lines.push(`  + ${Array.from({ length: Math.min(10, n - j) }, (_, k) => `${distances[i * n + j + k]} x${i}_${j + k}`).join(' + ')}`);
  }
  lines.push('Subject To');
  for (let i = 0; i < n; i++) {
    lines.push(` a${i}:`);
    for (let j = 0; j < n; j += 10) lines.push(`  + ${Array.from({ length: Math.min(10, n - j) }, (_, k) => `x${i}_${j + k}`).join(' + ')}`);
    lines.push('  = 1');
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) lines.push(` l${i}_${j}: x${i}_${j} - y${j} <= 0`);
  lines.push(' open:');
  for (let j = 0; j < n; j += 10) lines.push(`  + ${Array.from({ length: Math.min(10, n - j) }, (_, k) => `y${j + k}`).join(' + ')}`);
  lines.push(`  = ${p}`, 'Binaries');
  for (let j = 0; j < n; j += 10) lines.push(`  ${Array.from({ length: Math.min(10, n - j) }, (_, k) => `y${j + k}`).join(' ')}`);
  lines.push('End', '');
  return lines.join('\n');
}

async function shenyangBench(): Promise<Timing[]> {
  // The test database (Shenyang, seed 1), built if needed; SITING_BENCH_DB names a built one to use as is.
  const databasePath = process.env.SITING_BENCH_DB ?? testDatabasePath();
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
  let databasePath = testDatabasePath();
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

/** Demand points and candidates uniform in a square (metres), weights 1–20, pairs within radiusMeters. */
function uniformCoverInstance(seed: number, demandCount: number, candidateCount: number, sideMeters: number, radiusMeters: number) {
  const random = seededRandom(seed);
  const demandXy = Float64Array.from({ length: 2 * demandCount }, () => random() * sideMeters);
  const candidateXy = Float64Array.from({ length: 2 * candidateCount }, () => random() * sideMeters);
  const weights = Float64Array.from({ length: demandCount }, () => 1 + Math.floor(random() * 20));
  // Demand bucketed in radius-sized cells: each candidate looks at the 3 × 3 cells around it.
  const cellsPerSide = Math.ceil(sideMeters / radiusMeters);
  const cellOf = (x: number, y: number) => Math.min(cellsPerSide - 1, Math.floor(y / radiusMeters)) * cellsPerSide + Math.min(cellsPerSide - 1, Math.floor(x / radiusMeters));
  const cells: number[][] = Array.from({ length: cellsPerSide * cellsPerSide }, () => []);
  for (let u = 0; u < demandCount; u++) cells[cellOf(demandXy[2 * u]!, demandXy[2 * u + 1]!)]!.push(u);
  const entryCandidate: number[] = [];
  const entryDemand: number[] = [];
  const entryCost: number[] = [];
  for (let c = 0; c < candidateCount; c++) {
    const x = candidateXy[2 * c]!;
    const y = candidateXy[2 * c + 1]!;
    const cx = Math.min(cellsPerSide - 1, Math.floor(x / radiusMeters));
    const cy = Math.min(cellsPerSide - 1, Math.floor(y / radiusMeters));
    for (let gy = Math.max(0, cy - 1); gy <= Math.min(cellsPerSide - 1, cy + 1); gy++) {
      for (let gx = Math.max(0, cx - 1); gx <= Math.min(cellsPerSide - 1, cx + 1); gx++) {
        for (const u of cells[gy * cellsPerSide + gx]!) {
          const meters = Math.round(Math.hypot(demandXy[2 * u]! - x, demandXy[2 * u + 1]! - y));
          if (meters > radiusMeters) continue;
          entryCandidate.push(c);
          entryDemand.push(u);
          entryCost.push(meters);
        }
      }
    }
  }
  const costs = buildCandidateCosts(demandCount, candidateCount, Uint32Array.from(entryCandidate), Uint32Array.from(entryDemand), Float64Array.from(entryCost));
  return { costs, weights };
}

/** The instance as the CLI reads it (demand_id,candidate_id,cost and id,weight). */
function writeCliCsv(dir: string, costs: CandidateCosts, weights: Float64Array): { costMatrix: string; demand: string } {
  const costMatrix = join(dir, 'cost-matrix.csv');
  const demand = join(dir, 'demand.csv');
  const lines = ['demand_id,candidate_id,cost'];
  for (let c = 0; c < costs.candidateCount; c++) for (let k = costs.offsets[c]!; k < costs.offsets[c + 1]!; k++) lines.push(`d${costs.demandIndex[k]},c${c},${costs.cost[k]}`);
  writeFileSync(costMatrix, `${lines.join('\n')}\n`);
  writeFileSync(demand, `id,weight\n${Array.from(weights, (w, u) => `d${u},${w}`).join('\n')}\n`);
  return { costMatrix, demand };
}

/** The textbook MCLP (Church & ReVelle 1974) for the peer: one y per demand point that some candidate covers, unmerged. */
function textbookCoverModel(costs: CandidateCosts, weights: Float64Array, radius: number, newSites: number): string {
  const lists = transposeCandidateCosts(coverageCosts(costs, radius));
  const kept: number[] = [];
  for (let u = 0; u < lists.demandCount; u++) if (lists.offsets[u + 1]! > lists.offsets[u]! && weights[u]! > 0) kept.push(u);
  const groupOffsets = new Uint32Array(kept.length + 1);
  kept.forEach((u, g) => (groupOffsets[g + 1] = groupOffsets[g]! + lists.offsets[u + 1]! - lists.offsets[u]!));
  const groupCandidates = new Uint32Array(groupOffsets[kept.length]!);
  kept.forEach((u, g) => groupCandidates.set(lists.candidateIndex.subarray(lists.offsets[u]!, lists.offsets[u + 1]!), groupOffsets[g]!));
  const groups: CoverGroups = { groupCount: kept.length, weightByGroup: Float64Array.from(kept, (u) => weights[u]!), groupOffsets, groupCandidates, fixedCoveredWeight: 0, uncoverableWeight: 0 };
  return coverModelLp(groups, { mode: 'max-cover', newSites });
}

function median(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Wall-clock ms of a child process, its stdout, its exit code, and whether it was killed at timeoutMs. */
function timedRun(command: string, args: string[], timeoutMs?: number): { ms: number; stdout: string; status: number | null; killed: boolean } {
  const started = performance.now();
  const run = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 2 ** 20, cwd: REPO_ROOT, ...(timeoutMs ? { timeout: timeoutMs } : {}) });
  const killed = run.signal !== null && timeoutMs !== undefined;
  if (run.error && !killed) throw run.error;
  return { ms: performance.now() - started, stdout: run.stdout ?? '', status: run.status, killed };
}

/**
 * Exact MCLP, Atlas against CBC on the same seeded instance, two ways: warm search (Atlas: solveSiting in
 * this process, HiGHS loaded, the instance in memory; CBC: its own wall clock minus the time it takes to
 * start and read the model) and whole process (Atlas: `npm run cli -- site-select --exact` on the CSV
 * files; CBC: `cbc model.lp -solve` on the textbook model). Both prove optimality; the answers are compared.
 */
async function exactVersusCbcBench(): Promise<void> {
  const cbcPath = findCbc();
  const runs = Number(process.env.SITING_EXACT_RUNS ?? 3);
  const cli = npmCli();
  console.log('\n## Siting: exact MCLP against CBC (seeded, uniform in a square, radius 1,000 m, weights 1–20)');
  if (cbcPath) {
    const dpkg = spawnSync('dpkg-query', ['-W', '-f', '${Package} ${Version}', 'coinor-cbc'], { encoding: 'utf8' });
    const peer = `CBC ${cbcVersion(cbcPath) ?? '?'} (${cbcPath}; ${dpkg.status === 0 ? `Debian package ${dpkg.stdout}` : 'not from a Debian package'})`;
    console.log(`Peer: ${peer}. Atlas exact: site-select --exact (CBC on the reduced model when found; HiGHS WebAssembly row: ATLAS_CBC=none).`);
    console.log('Shared: the instance (the same costs and weights; Atlas reads them as CSV, CBC as the textbook LP of ReVelle & Swain), the radius, p, and a 300 s limit.');
  } else {
    console.log('CBC: skipped — no `cbc` on PATH (apt-get install coinor-cbc); only Atlas rows are printed.');
  }
  console.log(`Medians of ${runs} runs, seconds. Warm: the solve alone, the instance in memory. Whole process: a fresh process per run (\`npm run cli\` runs \`${cli.script}\`).`);
  console.log('| instance | Atlas exact, warm s | CBC, warm s | Atlas exact, whole process s (`npm run cli -- site-select --exact`) | CBC, whole process s (`cbc model.lp -solve`) | Atlas answer | CBC answer |');
  console.log('|---|---:|---:|---:|---:|---|---|');
  const highs = await loadHighsRuntime();
  for (const [label, seed, demandCount, candidateCount, side, p] of [
    ['2,000 candidates × 20,000 demand, p = 20, 20 km square', 19, 20_000, 2_000, 20_000, 20],
    ['500 candidates × 5,000 demand, p = 5, 10 km square', 5, 5_000, 500, 10_000, 5],
  ] as const) {
    const { costs, weights } = uniformCoverInstance(seed, demandCount, candidateCount, side, 1000);
    const dir = mkdtempSync(join(benchArtifactsDir(), 'siting-exact-'));
    try {
      const problem = { objective: 'mclp' as const, costs, weightByDemand: weights, radius: 1000, newSites: p };
      const coverSolver = cbcCoverSolver();
      const solve = () => solveSiting(problem, { method: 'exact', highs, coverSolver, timeLimitSeconds: 300 });
      solve();
      const warmMs: number[] = [];
      let answer = solve();
      for (let k = 0; k < runs; k++) {
        answer = solve();
        warmMs.push(answer.elapsedMs);
      }
      const atlasAnswer = `${answer.value} ${answer.provedOptimal ? `optimal (${answer.engine})` : `gap ${(answer.gap * 100).toFixed(4)} %`}`;
      const files = writeCliCsv(dir, costs, weights);
      const out = join(dir, 'atlas.json');
      const cliArgs = [...cli.prefixArgs, 'site-select', '--cost-matrix', files.costMatrix, '--demand', files.demand, '--objective', 'mclp', '--radius', '1000', '--p', String(p), '--exact', '--time-limit', '300', '--out', out];
      const wholeMs: number[] = [];
      for (let k = 0; k < runs; k++) {
        const run = timedRun(cli.command, cliArgs);
        const result = JSON.parse(readFileSync(out, 'utf8')) as { objective: number; status: string; engine: string };
        if (run.status !== 0 || result.objective !== answer.value) throw new Error(`site-select answered ${result.objective} (${result.status}, exit ${run.status}), in process ${answer.value}`);
        wholeMs.push(run.ms);
      }
      let cbcWarm = 'skipped (no cbc)';
      let cbcWhole = 'skipped (no cbc)';
      let cbcAnswer = '—';
      if (cbcPath) {
        const model = join(dir, 'textbook.lp');
        writeFileSync(model, textbookCoverModel(costs, weights, 1000, p));
        const readMs = median(Array.from({ length: runs }, () => timedRun(cbcPath, [model, '-quit']).ms));
        const whole: number[] = [];
        let log = '';
        for (let k = 0; k < runs; k++) {
          const run = timedRun(cbcPath, [model, '-sec', '300', '-solve', '-solution', join(dir, 'cbc.sol')]);
          whole.push(run.ms);
          log = run.stdout;
        }
        const objective = Number(/Objective value:\s+(\S+)/.exec(log)?.[1]);
        const optimal = /Result - Optimal solution found/.test(log);
        cbcWhole = (median(whole) / 1000).toFixed(2);
        cbcWarm = ((median(whole) - readMs) / 1000).toFixed(2);
        cbcAnswer = `${objective} ${optimal ? 'optimal' : 'not proven'}`;
        if (optimal && objective !== answer.value) throw new Error(`CBC's optimum ${objective} differs from Atlas's ${answer.value}`);
      }
      console.log(`| ${label} | ${(median(warmMs) / 1000).toFixed(2)} | ${cbcWarm} | ${(median(wholeMs) / 1000).toFixed(2)} | ${cbcWhole} | ${atlasAnswer} | ${cbcAnswer} |`);
      // The fallback: the same solve with HiGHS WebAssembly as the engine (one warm run).
      const fallback = solveSiting(problem, { method: 'exact', highs, timeLimitSeconds: 300 });
      console.log(
        `| … same, Atlas with HiGHS WebAssembly (ATLAS_CBC=none) | ${(fallback.elapsedMs / 1000).toFixed(2)} | | | | ${fallback.value} ${fallback.provedOptimal ? `optimal (${fallback.engine})` : `gap ${(fallback.gap * 100).toFixed(4)} %`} | |`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log('CBC warm = its wall clock minus that of `cbc model.lp -quit` (start and read); Atlas warm = solveSiting\'s elapsedMs (model reduction, bounds and the CBC process included).');
}

export async function runSitingBench(): Promise<void> {
  if (process.env.SITING_EXACT_ONLY === '1') {
    await exactVersusCbcBench();
    return;
  }
  if (process.env.SITING_ORLIB_ONLY === '1') {
    await orlibBench();
    return;
  }
  if (process.env.SITING_WHATIF_ONLY === '1') {
    const whatIf = await whatIfBench();
    printTimings(whatIf.title, whatIf.timings);
    return;
  }
  printTimings('Siting: greedy and local search (synthetic city, seed 6)', await greedyBench());
  // After San Francisco, whose note times the first HiGHS load in this process.
  printTimings('Siting: exact solves on San Francisco (HiGHS)', await sanFranciscoBench());
  await exactVersusCbcBench();
  await orlibBench();
  printTimings('Siting: API on the Shenyang test database', await shenyangBench());
  const whatIf = await whatIfBench();
  printTimings(whatIf.title, whatIf.timings);
}
