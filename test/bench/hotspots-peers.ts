// Gi* on the same cells and the same weights against R spdep (localG, localG_perm) and PySAL esda
// (G_Local, when installed), in the two-row form: warm (each tool's statistic on data in memory) and
// whole process (a fresh process each: `npm run cli -- hotspots --star --weights gal:…`, `Rscript`,
// `python3`, all reading the same CSV and GAL file), with z-scores and pseudo p-values compared.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../../server/analysis/random';
import { computeConditionalPermutations } from '../../server/analysis/hotspots/conditional-permutation';
import { prepareGetisOrdWeights } from '../../server/analysis/hotspots/detect-hotspots';
import { computeLocalGetisOrd } from '../../server/analysis/hotspots/getis-ord';
import type { SpatialWeights } from '../../server/analysis/hotspots/spatial-weights';
import { REPO_ROOT } from '../../server/paths';
import { measure } from './measure';
import { commandWorks, debianPackageVersion, findPython, firstLine, fmt, median, npmCli, peerExcluded, printPeerTable, scriptCli, timedProcess, tsxCli, type PeerResult } from './peers';

/** Weights in GeoDa's GAL format: "n", then per unit "id k" and its k neighbours' ids (ids 1 … n). */
export function formatGal(w: SpatialWeights): string {
  const lines = [String(w.n)];
  for (let i = 0; i < w.n; i++) {
    const start = w.offsets[i]!;
    const end = w.offsets[i + 1]!;
    lines.push(`${i + 1} ${end - start}`);
    lines.push(Array.from(w.neighbors.subarray(start, end), (j) => j + 1).join(' '));
  }
  return `${lines.join('\n')}\n`;
}

/** A column of a CSV (by header name), as numbers, in row order. */
function readColumn(path: string, column: string): Float64Array {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const index = header!.split(',').map((name) => name.replaceAll('"', '')).indexOf(column);
  if (index < 0) throw new Error(`${path}: no "${column}" column in ${header}`);
  return Float64Array.from(lines, (line) => Number(line.split(',')[index]));
}

/** Largest absolute difference, and the count of non-finite values on either side. */
function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): string {
  if (a.length !== b.length) return `different lengths (${fmt(a.length)} vs ${fmt(b.length)})`;
  let worst = 0;
  let nonFinite = 0;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i]!) || !Number.isFinite(b[i]!)) nonFinite++;
    else worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  }
  return `largest |Δz| ${worst.toExponential(1)} over ${fmt(a.length)} cells${nonFinite ? ` (${fmt(nonFinite)} non-finite)` : ''}`;
}

/** How two sets of pseudo p-values agree at 5 %: each side's significant count and the share classed alike. */
function pseudoPAgreement(a: ArrayLike<number>, b: ArrayLike<number>, names: [string, string]): string {
  let sigA = 0;
  let sigB = 0;
  let alike = 0;
  for (let i = 0; i < a.length; i++) {
    const sa = a[i]! <= 0.05;
    const sb = b[i]! <= 0.05;
    if (sa) sigA++;
    if (sb) sigB++;
    if (sa === sb) alike++;
  }
  return `pseudo p ≤ 0.05 in ${fmt(sigA)} cells (${names[0]}) and ${fmt(sigB)} (${names[1]}); ${((100 * alike) / a.length).toFixed(2)} % of cells classed alike`;
}

/** Cells whose two-sided normal p-value is ≤ 0.05 (|z| ≥ 1.96). */
function normalSignificant(z: ArrayLike<number>): number {
  let count = 0;
  for (let i = 0; i < z.length; i++) if (Math.abs(z[i]!) >= 1.959963984540054) count++;
  return count;
}

interface HotspotCase {
  counts: Float64Array;
  weights: SpatialWeights;
  dir: string;
  cellsPath: string;
  galPath: string;
  permutations: number;
  runs: number;
  /** Atlas's z (analytic) and pseudo p-values in memory, the reference for the peers. */
  z: Float64Array;
  pSim: Float64Array | null;
}

async function atlasRow(c: HotspotCase): Promise<PeerResult> {
  const prepared = prepareGetisOrdWeights(c.weights, { star: true, rowStandardized: false });
  const n = c.counts.length;
  const out = { g: new Float64Array(n), z: new Float64Array(n), p: new Float64Array(n) };
  const warm =
    c.permutations > 0
      ? await measure(
          'atlas',
          () => {
            const rng = createRng(1);
            c.pSim = computeConditionalPermutations(c.counts, prepared, { statistic: 'getisOrdStar', permutations: c.permutations, random: () => rng.next() }).pSim;
          },
          { runs: 5, warmup: 1 },
        )
      : await measure('atlas', () => computeLocalGetisOrd(c.counts, prepared, { star: true }, out), { runs: 30, warmup: 3 });
  if (c.permutations === 0) c.z.set(out.z);
  const cli = npmCli();
  const csv = join(c.dir, `atlas-${c.permutations}.csv`);
  const args = ['hotspots', '--input', c.cellsPath, '--value', 'count', '--weights', `gal:${c.galPath}`, '--star', '--out', csv];
  if (c.permutations > 0) args.push('--permutations', String(c.permutations), '--seed', '1');
  const whole = Array.from({ length: c.runs }, () => timedProcess(cli.command, [...cli.prefixArgs, ...args]).ms);
  const tsx = tsxCli();
  const tsxWhole = timedProcess(tsx.command, [...tsx.prefixArgs, ...args]).ms;
  const direct = scriptCli(cli);
  const directWhole = direct ? timedProcess(direct.command, [...direct.prefixArgs, ...args]).ms : null;
  const agreement = [`the CLI's z against the in-memory analytic Gi*: ${maxDifference(readColumn(csv, 'z'), c.z)}`];
  if (c.permutations > 0 && c.pSim) agreement.push(`the CLI's pseudo p against the in-memory run (same seed): ${maxDifference(readColumn(csv, 'p'), c.pSim).replace('|Δz|', '|Δp|')}`);
  return {
    name: 'Atlas',
    version: `this checkout, Node ${process.version}; \`npm run cli\` runs \`${cli.script}\``,
    warmMs: warm.medianMs,
    wholeMs: median(whole),
    warmWhat:
      c.permutations > 0
        ? `computeConditionalPermutations, ${fmt(c.permutations)} conditional permutations (the cell's own value fixed, neighbours drawn without replacement; one set of draws shared by all cells, as esda does), median of 5`
        : `computeLocalGetisOrd (analytic z) on the prepared weights in memory, median of 30 (p10 ${warm.p10Ms.toFixed(2)}, p90 ${warm.p90Ms.toFixed(2)} ms)`,
    wholeWhat: `\`npm run cli -- hotspots --star --weights gal:cells.gal${c.permutations > 0 ? ` --permutations ${c.permutations}` : ''}\` on cells.csv: read, weights, statistic, classes, CSV written; ${directWhole === null ? '' : `\`${cli.script} hotspots …\` without npm ${fmt(Math.round(directWhole))} ms, `}\`node --import tsx server/cli.ts hotspots …\` (no npm) ${fmt(Math.round(tsxWhole))} ms (one run each)`,
    agreement,
  };
}

function spdepRow(c: HotspotCase): PeerResult {
  const base = { name: 'spdep', version: '', warmMs: null, wholeMs: null, warmWhat: '', wholeWhat: '', agreement: [] as string[] };
  const excluded = peerExcluded('spdep');
  if (excluded) return { ...base, skipped: excluded };
  if (!commandWorks('Rscript', ['-e', 'suppressPackageStartupMessages(library(spdep))'])) {
    return { ...base, skipped: 'no Rscript with spdep here (Debian: apt-get install r-cran-spdep)' };
  }
  try {
    const script = join(REPO_ROOT, 'test', 'bench', 'peers', 'spdep_localg.R');
    const out = join(c.dir, `spdep-${c.permutations}.csv`);
    const args = [script, c.cellsPath, c.galPath, out, String(c.permutations)];
    const warmRuns = c.permutations > 0 ? 1 : 5;
    const warm = JSON.parse(timedProcess('Rscript', [...args, String(warmRuns)]).stdout) as { version: string; r: string; load_ms: number; warm_ms: number[] };
    const whole = Array.from({ length: c.permutations > 0 ? 1 : c.runs }, () => timedProcess('Rscript', args).ms);
    const dpkg = debianPackageVersion('r-cran-spdep');
    const agreement =
      c.permutations > 0 && c.pSim
        ? [
            `folded pseudo p against Atlas's: ${pseudoPAgreement(c.pSim, readColumn(out, 'p_folded'), ['Atlas', 'spdep'])}; the normal approximation (analytic z) gives p ≤ 0.05 in ${fmt(normalSignificant(c.z))}`,
            `localG_perm's z is (G − mean of its permuted G) / their sd, against Atlas's analytic z: ${maxDifference(readColumn(out, 'z'), c.z)}`,
          ]
        : [`z against Atlas's analytic Gi*: ${maxDifference(readColumn(out, 'z'), c.z)}`];
    return {
      ...base,
      version: `spdep ${warm.version}, R ${warm.r} (${dpkg ? `Debian r-cran-spdep ${dpkg}` : 'not from a Debian package'})`,
      warmMs: median(warm.warm_ms),
      wholeMs: median(whole),
      warmWhat:
        c.permutations > 0
          ? `localG_perm(nsim = ${c.permutations}, iseed = 1) on the listw in memory, one run (spdep draws each cell's sample on its own, with replacement, the cell's own slot included)`
          : `localG on the listw in memory (the CSV and GAL read, include.self, nb2listw style "B" done before, ${fmt(Math.round(warm.load_ms))} ms), median of ${warmRuns}`,
      wholeWhat: `\`Rscript test/bench/peers/spdep_localg.R\` on the same cells.csv and cells.gal: read, listw, ${c.permutations > 0 ? 'localG_perm' : 'localG'}, CSV written${c.permutations > 0 ? ' (one run)' : ''}`,
      agreement,
    };
  } catch (error) {
    return { ...base, skipped: `spdep failed: ${firstLine(error)}` };
  }
}

function esdaRow(c: HotspotCase): PeerResult {
  const base = { name: 'esda', version: '', warmMs: null, wholeMs: null, warmWhat: '', wholeWhat: '', agreement: [] as string[] };
  const excluded = peerExcluded('esda');
  if (excluded) return { ...base, skipped: excluded };
  const found = findPython(['esda', 'libpysal', 'numpy'], 'python3-esda');
  if (!found) return { ...base, skipped: 'no python3 here imports esda and libpysal (PySAL; not packaged by Debian 12: pip install esda)' };
  try {
    const script = join(REPO_ROOT, 'test', 'bench', 'peers', 'esda_gistar.py');
    const out = join(c.dir, `esda-${c.permutations}.csv`);
    const args = [script, c.cellsPath, c.galPath, out, String(c.permutations)];
    const warm = JSON.parse(timedProcess(found.python, [...args, '3']).stdout) as { version: string; python: string; load_ms: number; warm_ms: number[] };
    const whole = Array.from({ length: c.runs }, () => timedProcess(found.python, args).ms);
    const agreement = [`z against Atlas's analytic Gi*: ${maxDifference(readColumn(out, 'z'), c.z)}`];
    if (c.permutations > 0 && c.pSim) agreement.push(`pseudo p against Atlas's: ${pseudoPAgreement(c.pSim, readColumn(out, 'p_sim'), ['Atlas', 'esda'])}`);
    return {
      ...base,
      version: `esda ${warm.version}, Python ${warm.python} (${found.source})`,
      warmMs: median(warm.warm_ms),
      wholeMs: median(whole),
      warmWhat: `G_Local(star=True${c.permutations > 0 ? `, permutations=${c.permutations}` : ', permutations=0'}) on the W in memory, median of 3 (loading ${fmt(Math.round(warm.load_ms))} ms)`,
      wholeWhat: '`python3 test/bench/peers/esda_gistar.py` on the same cells.csv and cells.gal',
      agreement,
    };
  } catch (error) {
    return { ...base, skipped: `esda failed: ${firstLine(error)}` };
  }
}

/** Cells for a peer comparison: counts, binary neighbours without self weights, and how to call them. */
export interface PeerCells {
  counts: Float64Array;
  neighbors: SpatialWeights;
  label: string;
}

/** One comparison: the cells and GAL written to a scratch directory, Atlas and the peers run, the table printed. */
async function compareOn(cells: PeerCells, permutations: number, title: string, note: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-hotspot-peers-'));
  try {
    const cellsPath = join(dir, 'cells.csv');
    const galPath = join(dir, 'cells.gal');
    writeFileSync(cellsPath, `id,count\n${Array.from(cells.counts, (count, i) => `${i + 1},${count}`).join('\n')}\n`);
    writeFileSync(galPath, formatGal(cells.neighbors));
    const runs = Number(process.env.PEER_RUNS ?? 3);
    const c: HotspotCase = { counts: cells.counts, weights: cells.neighbors, dir, cellsPath, galPath, permutations: 0, runs, z: new Float64Array(cells.counts.length), pSim: null };
    // The analytic z is every comparison's reference, so it is computed first even for a permutation table.
    const analytic = await atlasRow(c);
    const shared = `Median ms; ratio = peer ÷ Atlas (above 1: Atlas faster). Whole process: median of ${runs} fresh processes per tool unless said. Shared by all tools: the ${cells.label} and their counts (cells.csv), the neighbours (cells.gal, binary, each cell with itself added: Gi*).`;
    if (permutations === 0) {
      printPeerTable(title, analytic, [spdepRow(c), esdaRow(c)], `${shared}${note}`);
      return;
    }
    c.permutations = permutations;
    printPeerTable(title, await atlasRow(c), [spdepRow(c), esdaRow(c)], `${shared}${note}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Gi* (binary weights, w_ii = 1) with Atlas, spdep and esda: the analytic z on `analytic`, then
 * HOTSPOTS_PEER_PERMUTATIONS (default 999; 0 skips them) permutations on `permuted`, fewer cells, as
 * spdep's localG_perm runs an R function per cell.
 */
export async function hotspotPeersBench(analytic: PeerCells, permuted: PeerCells): Promise<void> {
  await compareOn(analytic, 0, `Hotspots: analytic Gi*, Atlas vs R spdep vs PySAL esda (${analytic.label})`, '');
  const permutations = Number(process.env.HOTSPOTS_PEER_PERMUTATIONS ?? 999);
  if (permutations > 0) {
    await compareOn(
      permuted,
      permutations,
      `Hotspots: Gi* with ${fmt(permutations)} permutations, Atlas vs R spdep vs PySAL esda (${permuted.label})`,
      ' The tools draw their permutations differently (said per tool), so pseudo p-values agree only statistically.',
    );
  }
}
