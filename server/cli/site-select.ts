// `npm run cli -- site-select`: facility siting (MCLP, LSCP, p-median, p-center) on a cost matrix file
// or an OR-Library p-median instance, with the optimality gap of the answer (see analysis/siting/).

import { parseArgs } from 'node:util';
import { buildCandidateCosts, type CandidateCosts } from '../analysis/siting/candidate-costs';
import { costsFromDenseMatrix, parseOrlibPmedian } from '../analysis/siting/orlib-pmedian';
import { seededRandom, solveSiting, SITING_OBJECTIVES, type SitingObjective } from '../analysis/siting/solve-siting';
import { loadHighsRuntime } from '../jobs/job-env';
import { cbcCoverSolver } from '../solvers/cbc-cover-solver';
import { CliInputError, checkOutputPath, parseNumberText, readInputCsvRows, readInputText, writeOutputText } from './cli-input';

export const usage = `Usage: npm run cli -- site-select --cost-matrix FILE --demand FILE --objective mclp|lscp|pmedian|pcenter
                          [--radius R] [--p P] [--target-rate T] [--fixed id,…] [--exact] [--engine auto|cbc|highs]
                          [--time-limit S] [--seed N] --out result.json
       npm run cli -- site-select --orlib pmedN.txt [--objective pmedian|pcenter] [--p P] [--exact] --out result.json

Chooses facility sites and reports how far from optimal the answer can be.
  --cost-matrix FILE  CSV with header demand_id,candidate_id,cost (one row per pair that can be served;
                      a missing pair cannot be served)
  --demand FILE       CSV with header id,weight (every demand point; weight ≥ 0, e.g. population)
  --orlib FILE        an OR-Library p-median instance (pmed1…pmed40): every node is a demand point of
                      weight 1 and a candidate; costs are all-pairs shortest paths; p from the file
  --objective         mclp: cover the most weight within --radius with --p sites
                      lscp: fewest sites covering --target-rate of the weight (default 1) within --radius
                      pmedian: least total weight × cost with --p sites
                      pcenter: least largest cost to a demand point with --p sites
  --p P               number of open sites, the --fixed ones included (as in PySAL spopt)
  --fixed ids         candidate ids open in every solution (existing facilities)
  --exact             prove optimality (branch-and-cut) within --time-limit (default 60 s); exit code 2 when
                      the limit passes first (the best answer and its gap are still written);
                      without it: greedy, swap and neighbourhood search with a bound (default 5 s)
  --engine E          --exact mclp's branch-and-cut: auto (default: CBC when \`cbc\` is on PATH or named by
                      ATLAS_CBC, else HiGHS in WebAssembly), cbc (refuses to run without it) or highs
  --seed N            seed of the neighbourhood search (default 1)
  --out FILE          result JSON: { objective, chosen, coveredWeight?, bound, gap, provedOptimal, status
                      (optimal | not-proven | infeasible), engine (cbc | highs-wasm | heuristic-bound: what
                      carries the bound), … }`;

interface LoadedInstance {
  costs: CandidateCosts;
  weights: Float64Array;
  candidateIds: (string | number)[];
  demandCount: number;
  defaultP?: number;
}

/** Header or no header: a first row whose last field is not a number is a header. Refuses a file without data rows. */
function dataRows(file: string, columns: number): string[][] {
  const rows = plainCsvRows(file) ?? readInputCsvRows(file, { skip_empty_lines: true, trim: true, relax_column_count: false });
  const hasHeader = rows.length > 0 && !Number.isFinite(Number(rows[0]![rows[0]!.length - 1]));
  if (hasHeader) rows.shift();
  if (rows.length === 0) throw new CliInputError(file, hasHeader ? 'no data rows, only a header' : 'no data rows');
  rows.forEach((row, k) => {
    if (row.length !== columns) throw new CliInputError(file, `row ${k + 1} has ${row.length} fields, expected ${columns}`);
  });
  return rows;
}

/**
 * A CSV without quotes split directly (the cost matrices this reads run to millions of rows, and a full
 * CSV parser is most of their load time); null when a quote appears, so the full parser takes it.
 */
function plainCsvRows(file: string): string[][] | null {
  const text = readInputText(file);
  if (text.includes('"')) return null;
  const rows: string[][] = [];
  // Fields sliced straight from the text (no line strings); the next comma is kept across lines.
  let nextComma = text.indexOf(',');
  for (let start = 0, line = 1; start < text.length; line++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const row: string[] = [];
    for (let from = start; ; ) {
      if (nextComma >= 0 && nextComma < from) nextComma = text.indexOf(',', from);
      const to = nextComma >= 0 && nextComma < end ? nextComma : end;
      row.push(text.slice(from, to).trim());
      if (to === end) break;
      from = to + 1;
    }
    start = end + 1;
    if (row.length === 1 && row[0] === '') continue;
    // The full parser's message for a ragged row, so both paths read alike.
    if (rows.length > 0 && row.length !== rows[0]!.length) throw new CliInputError(file, `Invalid Record Length: expect ${rows[0]!.length}, got ${row.length} on line ${line}`);
    rows.push(row);
  }
  return rows;
}

function loadCostMatrix(costFile: string, demandFile: string): LoadedInstance {
  const demandRows = dataRows(demandFile, 2);
  const demandIndex = new Map<string, number>();
  const weights = new Float64Array(demandRows.length);
  demandRows.forEach(([id, weight], k) => {
    if (demandIndex.has(id!)) throw new CliInputError(demandFile, `demand id "${id}" appears twice`);
    const value = parseNumberText(weight);
    if (!Number.isFinite(value) || value < 0) throw new CliInputError(demandFile, `weight of "${id}" must be a number ≥ 0, got "${weight}"`);
    demandIndex.set(id!, k);
    weights[k] = value;
  });
  const costRows = dataRows(costFile, 3);
  const candidateIndex = new Map<string, number>();
  const candidateIds: string[] = [];
  const entryCandidate = new Uint32Array(costRows.length);
  const entryDemand = new Uint32Array(costRows.length);
  const entryCost = new Float64Array(costRows.length);
  costRows.forEach(([demandId, candidateId, cost], k) => {
    const u = demandIndex.get(demandId!);
    if (u === undefined) throw new CliInputError(costFile, `row ${k + 1}: demand id "${demandId}" is not in ${demandFile}`);
    const value = parseNumberText(cost);
    if (!Number.isFinite(value) || value < 0) throw new CliInputError(costFile, `row ${k + 1}: cost must be a number ≥ 0, got "${cost}"`);
    let c = candidateIndex.get(candidateId!);
    if (c === undefined) {
      c = candidateIds.length;
      candidateIndex.set(candidateId!, c);
      candidateIds.push(candidateId!);
    }
    entryCandidate[k] = c;
    entryDemand[k] = u;
    entryCost[k] = value;
  });
  const costs = buildCandidateCosts(demandRows.length, candidateIds.length, entryCandidate, entryDemand, entryCost);
  // A pair twice: found per candidate row with a stamp per demand point, then named by its first file row.
  const stamp = new Int32Array(demandRows.length).fill(-1);
  for (let c = 0; c < costs.candidateCount; c++) {
    for (let k = costs.offsets[c]!; k < costs.offsets[c + 1]!; k++) {
      const u = costs.demandIndex[k]!;
      if (stamp[u] !== c) {
        stamp[u] = c;
        continue;
      }
      const rows = [];
      for (let r = 0; r < costRows.length && rows.length < 2; r++) if (entryCandidate[r] === c && entryDemand[r] === u) rows.push(r);
      throw new CliInputError(costFile, `row ${rows[1]! + 1}: pair (${costRows[rows[0]!]![0]}, ${candidateIds[c]}) appears twice`);
    }
  }
  return { costs, weights, candidateIds, demandCount: demandRows.length };
}

function loadOrlib(file: string): LoadedInstance {
  const text = readInputText(file);
  let instance;
  try {
    instance = parseOrlibPmedian(text);
  } catch (error) {
    throw new CliInputError(file, error instanceof Error ? error.message : String(error));
  }
  const n = instance.nodeCount;
  return {
    costs: costsFromDenseMatrix(instance.distances, n, n),
    weights: new Float64Array(n).fill(1),
    candidateIds: Array.from({ length: n }, (_, k) => k + 1),
    demandCount: n,
    defaultP: instance.p,
  };
}

function numberOption(value: string | undefined, name: string, check: (x: number) => boolean, hint: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = parseNumberText(value);
  if (!Number.isFinite(parsed) || !check(parsed)) throw new Error(`--${name} must be ${hint}, got "${value}"`);
  return parsed;
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'cost-matrix': { type: 'string' },
      demand: { type: 'string' },
      orlib: { type: 'string' },
      objective: { type: 'string' },
      radius: { type: 'string' },
      p: { type: 'string' },
      'target-rate': { type: 'string' },
      fixed: { type: 'string' },
      exact: { type: 'boolean' },
      engine: { type: 'string' },
      'time-limit': { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
  });
  if (!values.out) throw new Error('--out is required (the result JSON)');
  const objective = (values.objective ?? (values.orlib ? 'pmedian' : undefined)) as SitingObjective | undefined;
  if (!objective || !SITING_OBJECTIVES.includes(objective)) throw new Error(`--objective must be one of ${SITING_OBJECTIVES.join(', ')}`);
  checkOutputPath(values.out);
  let loaded: LoadedInstance;
  if (values.orlib) {
    if (values['cost-matrix'] || values.demand) throw new Error('--orlib cannot be combined with --cost-matrix or --demand');
    loaded = loadOrlib(values.orlib);
  } else {
    if (!values['cost-matrix'] || !values.demand) throw new Error('--cost-matrix and --demand are required (or --orlib)');
    loaded = loadCostMatrix(values['cost-matrix'], values.demand);
  }
  const radius = numberOption(values.radius, 'radius', (x) => x >= 0, 'a number ≥ 0');
  const totalSites = numberOption(values.p, 'p', (x) => Number.isInteger(x) && x >= 0, 'an integer ≥ 0') ?? loaded.defaultP;
  const targetRate = numberOption(values['target-rate'], 'target-rate', (x) => x > 0 && x <= 1, 'in (0, 1]') ?? 1;
  const timeLimit = numberOption(values['time-limit'], 'time-limit', (x) => x > 0, 'a number of seconds > 0');
  const seed = numberOption(values.seed, 'seed', (x) => Number.isInteger(x) && x >= 0, 'an integer ≥ 0') ?? 1;
  if ((objective === 'mclp' || objective === 'lscp') && radius === undefined) throw new Error(`--radius is required for ${objective}`);
  if (objective !== 'lscp' && totalSites === undefined) throw new Error(`--p is required for ${objective}`);
  const idIndex = new Map(loaded.candidateIds.map((id, k) => [String(id), k]));
  const fixedIds = values.fixed ? values.fixed.split(',').map((id) => id.trim()).filter((id) => id.length > 0) : [];
  const fixed = fixedIds.map((id) => {
    const index = idIndex.get(id);
    if (index === undefined) throw new Error(`--fixed: "${id}" is not a candidate id of the cost matrix`);
    return index;
  });
  if (new Set(fixed).size !== fixed.length) throw new Error('--fixed lists a candidate twice');
  const newSites = totalSites === undefined ? undefined : totalSites - fixed.length;
  if (newSites !== undefined && newSites < 0) throw new Error(`--p (${totalSites}) is smaller than the number of --fixed sites (${fixed.length})`);

  const engineChoice = values.engine ?? 'auto';
  if (!['auto', 'cbc', 'highs'].includes(engineChoice)) throw new Error(`--engine must be auto, cbc or highs, got "${engineChoice}"`);
  const method = values.exact ? 'exact' : 'heuristic';
  const coverSolver = values.exact && objective === 'mclp' && engineChoice !== 'highs' ? cbcCoverSolver() : undefined;
  if (engineChoice === 'cbc' && values.exact && objective === 'mclp' && !coverSolver) throw new Error('--engine cbc: no `cbc` on PATH (apt-get install coinor-cbc) or at ATLAS_CBC');
  // HiGHS (WebAssembly) only where CBC does not take the model.
  const highs = values.exact && !coverSolver ? await loadHighsRuntime() : undefined;
  const solution = solveSiting(
    { objective, costs: loaded.costs, weightByDemand: loaded.weights, fixed, radius, newSites, targetRate },
    { method, highs, coverSolver, timeLimitSeconds: timeLimit ?? (values.exact ? 60 : 5), random: seededRandom(seed) },
  );
  const fixedCount = fixed.length;
  const isLscp = objective === 'lscp';
  const totalWeight = solution.totalWeight;
  const result = {
    problem: objective,
    /** Open sites: the fixed ones, then the new ones by marginal gain. */
    chosen: [...fixed, ...solution.sites].map((c) => loaded.candidateIds[c]!),
    fixed: fixed.map((c) => loaded.candidateIds[c]!),
    objective: isLscp ? solution.value + fixedCount : solution.value,
    ...(objective === 'mclp' || objective === 'lscp' ? { coveredWeight: solution.coveredWeight, coveredShare: totalWeight > 0 ? solution.coveredWeight / totalWeight : 0 } : {}),
    ...(objective === 'pmedian' ? { meanCost: totalWeight > 0 ? solution.value / totalWeight : 0 } : {}),
    bound: isLscp ? solution.bound + fixedCount : solution.bound,
    gap: solution.gap,
    provedOptimal: solution.provedOptimal,
    status: !solution.feasible ? 'infeasible' : solution.provedOptimal ? 'optimal' : 'not-proven',
    /** What carries the bound (and proved it, when provedOptimal). */
    engine: solution.engine,
    feasible: solution.feasible,
    marginalGains: solution.marginalGains,
    totalWeight,
    demandCount: loaded.demandCount,
    candidateCount: loaded.candidateIds.length,
    solver: solution.solver,
    boundSource: solution.boundSource,
    elapsedMs: Math.round(solution.elapsedMs),
  };
  writeOutputText(values.out, `${JSON.stringify(result, null, 2)}\n`);
  const gapText = solution.provedOptimal ? `optimal, proved by ${solution.engine}` : `gap ≤ ${(solution.gap * 100).toFixed(3)} %, bound by ${solution.engine}`;
  console.log(`${objective}: ${result.chosen.length} sites, objective ${result.objective} (${gapText}, bound ${result.bound}) in ${result.elapsedMs} ms → ${values.out}`);
  if (!solution.feasible) {
    console.error(isLscp ? `the target rate ${targetRate} cannot be reached: every useful candidate covers ${(result.coveredShare ?? 0).toFixed(4)}` : 'some demand points cannot be served by any candidate');
    return 1;
  }
  if (values.exact && !solution.provedOptimal) {
    console.error(`not proven optimal within the time limit (${timeLimit ?? 60} s): gap ≤ ${(solution.gap * 100).toFixed(3)} %; --time-limit gives it longer`);
    return 2;
  }
  return 0;
}
