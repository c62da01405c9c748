// `npm run cli -- moran`: global Moran's I (Cliff & Ord 1981) and local Moran's I (Anselin 1995) of a value
// per feature of a GeoJSON, Shapefile, dBASE or CSV file; the global result on stdout, the local one to a file.

import { parseArgs } from 'node:util';
import { createRng } from '../analysis/random';
import { computeConditionalPermutations } from '../analysis/hotspots/conditional-permutation';
import { adjustBenjaminiHochberg } from '../analysis/hotspots/false-discovery-rate';
import { MORAN_QUADRANTS, computeGlobalMoran, computeLocalMoran } from '../analysis/hotspots/moran';
import { rowStandardizeWeights } from '../analysis/hotspots/spatial-weights';
import { parseNumberText } from './cli-input';
import { buildCliWeights, checkTableOutputPath, describeNeighbors, readFeatureTable, readValues, requireFeatureCount, writeTable } from './hotspots';

export const usage = `Usage: npm run cli -- moran --input FILE --value FIELD --weights SPEC [--out FILE] [options]

Global Moran's I with its moments under normality and randomisation (Cliff & Ord 1981), and local
Moran's I per feature (Anselin 1995) with analytic z-scores and p-values, quadrants HH/LH/LL/HL and
a cluster class (the quadrant where p ≤ --alpha, else ns).
  --input, --value, --weights, --id, --coordinates   as for \`hotspots\` (see npm run cli -- hotspots --help)
  --binary              binary weights (default row-standardised, as GeoDa and PySAL)
  --moments M           conditional (default; Sokal et al. 1998) or total (Anselin 1995) randomisation
  --permutations N      conditional permutations (99–9999); p is then the folded pseudo p-value
  --seed S              seed of the permutations (default 1)
  --fdr                 Benjamini-Hochberg control of the cluster classes (adds a q column)
  --alpha A             significance of the cluster classes (default 0.05)
  --out FILE            .csv (id,value,ii,z,p,quadrant,class[,p_norm][,q]) or .geojson`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      input: { type: 'string' },
      value: { type: 'string' },
      weights: { type: 'string' },
      id: { type: 'string' },
      binary: { type: 'boolean' },
      'row-standardized': { type: 'boolean' },
      moments: { type: 'string' },
      permutations: { type: 'string' },
      seed: { type: 'string' },
      fdr: { type: 'boolean' },
      alpha: { type: 'string' },
      coordinates: { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
  });
  for (const required of ['input', 'value', 'weights'] as const) {
    if (values[required] === undefined) throw new Error(`--${required} is required\n\n${usage}`);
  }
  if (values.binary && values['row-standardized']) throw new Error('--binary and --row-standardized exclude each other');
  const moments = values.moments ?? 'conditional';
  if (moments !== 'conditional' && moments !== 'total') throw new Error(`--moments must be conditional or total, got "${moments}"`);
  const permutations = values.permutations === undefined ? 0 : parseNumberText(values.permutations);
  if (values.permutations !== undefined && !(Number.isInteger(permutations) && permutations >= 99 && permutations <= 9999)) {
    throw new Error(`--permutations must be an integer 99…9999, got "${values.permutations}"`);
  }
  const seed = values.seed === undefined ? 1 : parseNumberText(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a non-negative integer, got "${values.seed}"`);
  const alpha = values.alpha === undefined ? 0.05 : parseNumberText(values.alpha);
  if (!(alpha > 0 && alpha < 1)) throw new Error(`--alpha must be in (0, 1), got "${values.alpha}"`);
  if (values.out !== undefined) checkTableOutputPath(values.out);

  const table = await readFeatureTable(values.input!, values.id, values.coordinates);
  const x = readValues(table, values.value!);
  const { weights: base, description } = buildCliWeights(table, values.weights!);
  // The randomisation variance of Moran's I divides by (n − 1)(n − 2)(n − 3).
  requireFeatureCount(table, 4, "Moran's I");
  const weights = values.binary ? base : rowStandardizeWeights(base);

  const global = computeGlobalMoran(x, weights);
  console.log(`${table.source}: ${table.ids.length} features, Moran's I of ${values.value} on ${description} (${values.binary ? 'binary' : 'row-standardised'})`);
  console.log(`  ${describeNeighbors(base)}`);
  console.log(`  I = ${global.i.toPrecision(10)}, E[I] = ${global.expected.toPrecision(10)}`);
  console.log(`  normality:     Var = ${global.varianceNormal.toPrecision(8)}, z = ${global.zNormal.toFixed(6)}, p one-sided = ${global.pNormalOneSided.toPrecision(6)}, two-sided = ${global.pNormalTwoSided.toPrecision(6)}`);
  console.log(`  randomisation: Var = ${global.varianceRandom.toPrecision(8)}, z = ${global.zRandom.toFixed(6)}, p one-sided = ${global.pRandomOneSided.toPrecision(6)}, two-sided = ${global.pRandomTwoSided.toPrecision(6)}`);

  if (values.out !== undefined) {
    const local = computeLocalMoran(x, weights, { moments });
    let p = local.p;
    if (permutations > 0) {
      const rng = createRng(seed);
      p = computeConditionalPermutations(x, weights, { statistic: 'localMoran', permutations, random: () => rng.next() }).pSim;
    }
    const q = values.fdr ? adjustBenjaminiHochberg(p) : null;
    const header = ['id', 'value', 'ii', 'z', 'p', 'quadrant', 'class'];
    if (permutations > 0) header.push('p_norm');
    if (q) header.push('q');
    let significant = 0;
    const rows = table.ids.map((id, i) => {
      const quadrant = MORAN_QUADRANTS[local.quadrant[i]!]!;
      const isSignificant = (q ? q[i]! : p[i]!) <= alpha;
      if (isSignificant) significant++;
      const row: (string | number)[] = [id, x[i]!, local.ii[i]!, local.z[i]!, p[i]!, quadrant, isSignificant ? quadrant : 'ns'];
      if (permutations > 0) row.push(local.p[i]!);
      if (q) row.push(q[i]!);
      return row;
    });
    writeTable(values.out, table, header, rows);
    console.log(`  local: ${significant} of ${table.ids.length} features significant at ${alpha}${values.fdr ? ' (FDR)' : ''}${permutations > 0 ? ` (${permutations} permutations, seed ${seed})` : ` (${moments} moments)`}; wrote ${values.out}`);
  }
  return 0;
}
