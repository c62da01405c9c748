// The public reference instances the issue names, read from ../shared/testdata next to the repository
// or its vendored copy (test/support/shared-data.ts; ATLAS_TESTDATA_DIR overrides): OR-Library p-median files (Beasley 1990) and PySAL
// spopt's San Francisco store-siting data. Missing data is an error that says where to put it.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { buildCandidateCosts, type CandidateCosts } from '../../../../server/analysis/siting/candidate-costs';
import { REPO_ROOT } from '../../../../server/paths';
import { TESTDATA_DIR } from '../../../support/shared-data';

export { TESTDATA_DIR };

/** Path of a reference file, or an error naming the directory to provide. */
export function testdataPath(...parts: string[]): string {
  const file = join(TESTDATA_DIR, ...parts);
  if (!existsSync(file)) throw new Error(`reference data missing: ${file} (see ../shared/testdata/README.md; ATLAS_TESTDATA_DIR points elsewhere)`);
  return file;
}

/** Beasley's optimal values of pmed1–pmed40 (OR-Library pmedinfo), kept with the test fixtures. */
export function beasleyOptima(): number[] {
  const file = join(REPO_ROOT, 'test', 'fixtures', 'siting', 'orlib', 'beasley-optima.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { optima: number[] }).optima;
}

export interface SanFrancisco {
  costs: CandidateCosts;
  /** POP2000 per tract, in `tracts` order. */
  weights: Float64Array;
  /** Tract NAME per demand index. */
  tracts: string[];
  /** Store NAME per candidate index, sorted as spopt sorts them. */
  stores: string[];
  /** Network distance in metres at [tract · 16 + store]. */
  distances: Float64Array;
}

/** San Francisco: 205 census tracts (POP2000 weights) × 16 candidate stores, network distances in metres. */
export function loadSanFrancisco(): SanFrancisco {
  const demand = parse(readFileSync(testdataPath('siting-sf', 'SF_demand_205_centroid_uniform_weight.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  const rows = parse(readFileSync(testdataPath('siting-sf', 'SF_network_distance_candidateStore_16_censusTract_205_new.csv'), 'utf8'), {
    columns: true,
  }) as Record<string, string>[];
  const tracts = demand.map((row) => row.NAME!);
  const weights = Float64Array.from(demand, (row) => Number(row.POP2000));
  const tractIndex = new Map(tracts.map((name, k) => [name, k]));
  const stores = [...new Set(rows.map((row) => row.name!))].sort();
  const storeIndex = new Map(stores.map((name, k) => [name, k]));
  const distances = new Float64Array(tracts.length * stores.length).fill(NaN);
  const entryCandidate = new Uint32Array(rows.length);
  const entryDemand = new Uint32Array(rows.length);
  const entryCost = new Float64Array(rows.length);
  rows.forEach((row, k) => {
    const u = tractIndex.get(row.DestinationName!);
    const c = storeIndex.get(row.name!)!;
    if (u === undefined) throw new Error(`tract ${row.DestinationName} of the distance file is not a demand point`);
    entryCandidate[k] = c;
    entryDemand[k] = u;
    entryCost[k] = Number(row.distance);
    distances[u * stores.length + c] = entryCost[k]!;
  });
  const costs = buildCandidateCosts(tracts.length, stores.length, entryCandidate, entryDemand, entryCost);
  return { costs, weights, tracts, stores, distances };
}

/** Writes the San Francisco instance in the CLI's formats (demand_id,candidate_id,cost and id,weight) into `dir`. */
export function writeSanFranciscoCsv(dir: string): { costMatrix: string; demand: string } {
  const sf = loadSanFrancisco();
  const costMatrix = join(dir, 'sf-cost-matrix.csv');
  const demand = join(dir, 'sf-demand.csv');
  const lines = ['demand_id,candidate_id,cost'];
  for (let u = 0; u < sf.tracts.length; u++) {
    for (let c = 0; c < sf.stores.length; c++) lines.push(`${sf.tracts[u]},${sf.stores[c]},${sf.distances[u * sf.stores.length + c]}`);
  }
  writeFileSync(costMatrix, `${lines.join('\n')}\n`);
  writeFileSync(demand, `id,weight\n${sf.tracts.map((name, u) => `${name},${sf.weights[u]}`).join('\n')}\n`);
  return { costMatrix, demand };
}

/** Every subset of {0 … n − 1} of size k, as arrays. */
export function* subsetsOf(n: number, k: number, start = 0, prefix: number[] = []): Generator<number[]> {
  if (prefix.length === k) {
    yield prefix.slice();
    return;
  }
  for (let i = start; i <= n - (k - prefix.length); i++) {
    prefix.push(i);
    yield* subsetsOf(n, k, i + 1, prefix);
    prefix.pop();
  }
}
