// R's spdep as a live second opinion, when Rscript and Debian's r-cran-spdep are installed (skipped,
// and said so, otherwise; ATLAS_REQUIRE_SPDEP=1 makes their absence a failure): the stored oracle
// test/fixtures/hotspots/spdep-oracle.json is what spdep computes from the reference data now, and the
// `hotspots` and `moran` CLI commands agree with spdep (spdep-live.R) on St Louis, NC SIDS and de Smith's
// example to 1e-9 — Gi, Gi*, General G, global and local Moran's I, on GAL and on polygon contiguity.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildCliWeights, readFeatureTable, run as runHotspots } from '../../../../server/cli/hotspots';
import { run as runMoran } from '../../../../server/cli/moran';
import { REPO_ROOT } from '../../../../server/paths';
import { SPATIAL_STATS_DIR, referencePath } from './reference-data';

interface SpdepStatistics {
  moranI: number;
  moranZRandom: number;
  moranZNormal: number;
  localMoranIi: number[];
  localMoranZ: number[];
  giStarBinary: number[];
  giStarRowStandardized: number[];
  giBinary: number[];
  globalG: number;
  globalGZ: number;
}
interface SpdepLive {
  versions: string;
  stl: SpdepStatistics & { galNeighbors: number[][] };
  stlQueen: SpdepStatistics & { neighbors: number[][] };
  sids: SpdepStatistics;
  desmith: Omit<SpdepStatistics, 'giStarBinary' | 'giStarRowStandardized' | 'giBinary' | 'globalG' | 'globalGZ'>;
}

const R_PACKAGES = 'suppressPackageStartupMessages({library(spdep); library(sf); library(foreign); library(jsonlite)})';
const spdepAvailable = spawnSync('Rscript', ['-e', R_PACKAGES], { stdio: 'ignore', timeout: 60_000 }).status === 0;
if (!spdepAvailable) {
  if (process.env.ATLAS_REQUIRE_SPDEP === '1') throw new Error('ATLAS_REQUIRE_SPDEP=1 but Rscript with spdep, sf, foreign and jsonlite is not installed (apt-get install r-cran-spdep r-cran-sf)');
  console.warn('spdep-live.test.ts: Rscript with spdep is not installed, the live spdep comparison is skipped (the stored oracle is still checked by reference-datasets.test.ts)');
}

const R_TIMEOUT_MS = 120_000;

/** Runs an R script file with arguments; its stdout parsed as JSON. */
function runRscript<T>(script: string, args: string[]): T {
  const result = spawnSync('Rscript', [script, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: R_TIMEOUT_MS, maxBuffer: 64 * 2 ** 20 });
  if (result.status !== 0) throw new Error(`Rscript ${script} failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

const dir = mkdtempSync(join(tmpdir(), 'atlas-spdep-live-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Largest absolute difference, element by element. */
function maxError(actual: readonly number[], expected: readonly number[]): number {
  expect(actual).toHaveLength(expected.length);
  return Math.max(...actual.map((value, i) => Math.abs(value - expected[i]!)));
}

/** Every number of `actual` within `relative` of `expected`, recursively (strings and lengths equal). */
function expectNumbersClose(actual: unknown, expected: unknown, relative: number, path = ''): void {
  if (typeof expected === 'number') {
    expect(typeof actual, path).toBe('number');
    expect(Math.abs((actual as number) - expected), path).toBeLessThanOrEqual(relative * Math.max(1e-300, Math.abs(expected)));
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, path).toBe(expected.length);
    expected.forEach((value, i) => expectNumbersClose((actual as unknown[])[i], value, relative, `${path}[${i}]`));
  } else if (expected !== null && typeof expected === 'object') {
    expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
    for (const [key, value] of Object.entries(expected)) expectNumbersClose((actual as Record<string, unknown>)[key], value, relative, `${path}.${key}`);
  } else {
    expect(actual, path).toEqual(expected);
  }
}

/** A CLI command's CSV rows (by header) and what it printed. */
async function runCli(command: (args: string[]) => Promise<number>, args: string[]): Promise<{ rows: Record<string, string>[]; printed: string }> {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}.csv`);
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    expect(await command([...args, '--out', out])).toBe(0);
    const printed = log.mock.calls.map((call) => call.join(' ')).join('\n');
    const [header, ...lines] = readFileSync(out, 'utf8').trim().split('\n');
    const columns = header!.split(',');
    return { rows: lines.map((line) => Object.fromEntries(line.split(',').map((cell, c) => [columns[c]!, cell]))), printed };
  } finally {
    log.mockRestore();
  }
}

const column = (rows: Record<string, string>[], name: string): number[] => rows.map((row) => Number(row[name]));
const printedNumber = (printed: string, pattern: RegExp): number => Number(pattern.exec(printed)![1]);

/** The CLI's Gi* (binary, row-standardised), Gi, General G and Moran's I on `input` against spdep's. */
async function expectCliAgrees(input: string[], expected: SpdepStatistics): Promise<void> {
  const star = await runCli(runHotspots, [...input, '--star']);
  expect(maxError(column(star.rows, 'z'), expected.giStarBinary)).toBeLessThan(1e-9);
  const starRow = await runCli(runHotspots, [...input, '--star', '--row-standardized']);
  expect(maxError(column(starRow.rows, 'z'), expected.giStarRowStandardized)).toBeLessThan(1e-9);
  const gi = await runCli(runHotspots, input);
  expect(maxError(column(gi.rows, 'z'), expected.giBinary)).toBeLessThan(1e-9);
  // General G is printed to 8 significant digits, z to 4 decimals.
  expect(Math.abs(printedNumber(gi.printed, /global G = ([-\d.e]+)/) - expected.globalG) / expected.globalG).toBeLessThan(1e-7);
  expect(Math.abs(printedNumber(gi.printed, /global G = .*, z = ([-\d.e]+)/) - expected.globalGZ)).toBeLessThanOrEqual(5e-5);
  await expectMoranAgrees(input, expected);
}

async function expectMoranAgrees(input: string[], expected: SpdepLive['desmith']): Promise<void> {
  const moran = await runCli(runMoran, input);
  expect(Math.abs(printedNumber(moran.printed, /I = ([-\d.e]+)/) - expected.moranI)).toBeLessThan(1e-9);
  expect(Math.abs(printedNumber(moran.printed, /randomisation: .* z = ([-\d.e]+)/) - expected.moranZRandom)).toBeLessThan(1e-6);
  expect(Math.abs(printedNumber(moran.printed, /normality: .* z = ([-\d.e]+)/) - expected.moranZNormal)).toBeLessThan(1e-6);
  expect(maxError(column(moran.rows, 'ii'), expected.localMoranIi)).toBeLessThan(1e-9);
  expect(maxError(column(moran.rows, 'z'), expected.localMoranZ)).toBeLessThan(1e-9);
}

describe.skipIf(!spdepAvailable)('R spdep, live', () => {
  let live: SpdepLive;
  beforeAll(() => {
    live = runRscript<SpdepLive>(join(REPO_ROOT, 'test/server/analysis/hotspots/spdep-live.R'), [SPATIAL_STATS_DIR]);
  }, R_TIMEOUT_MS);

  it('computes the stored oracle (test/fixtures/hotspots/spdep-oracle.json) from the reference data', () => {
    // The oracle script reads ../shared/testdata relative to the repository; point it at this run's data.
    const script = readFileSync(join(REPO_ROOT, 'test/fixtures/hotspots/spdep-oracle.R'), 'utf8');
    const dataLine = /^data_dir <- ".*"$/m;
    expect(script).toMatch(dataLine);
    const copy = join(dir, 'spdep-oracle.R');
    writeFileSync(copy, script.replace(dataLine, `data_dir <- ${JSON.stringify(SPATIAL_STATS_DIR)}`));
    const fresh = runRscript<Record<string, unknown>>(copy, []);
    const stored = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/hotspots/spdep-oracle.json'), 'utf8')) as Record<string, unknown>;
    delete fresh.generatedBy;
    delete stored.generatedBy;
    // The stored values are rounded to 12 significant digits.
    expectNumbersClose(fresh, stored, 1e-11);
  }, R_TIMEOUT_MS);

  it('agrees with the CLI on St Louis HR8893 with the published stl.gal (queen, 78 counties)', async () => {
    await expectCliAgrees(['--input', referencePath('stl/stl_hom.txt'), '--value', 'HR8893', '--weights', `gal:${referencePath('stl/stl.gal')}`], live.stl);
  });

  it('builds the queen contiguity of spdep poly2nb from the St Louis WKT polygons, and agrees on it', async () => {
    const table = await readFeatureTable(referencePath('stl/stl_hom.csv'), undefined);
    const { weights } = buildCliWeights(table, 'queen');
    const lists = Array.from({ length: weights.n }, (_, i) => Array.from(weights.neighbors.subarray(weights.offsets[i]!, weights.offsets[i + 1]!), (j) => j + 1));
    expect(lists).toEqual(live.stlQueen.neighbors);
    // The polygons touch at corners the published GAL file leaves out (4 pairs), so the two differ.
    expect(lists).not.toEqual(live.stl.galNeighbors);
    await expectCliAgrees(['--input', referencePath('stl/stl_hom.csv'), '--value', 'HR8893', '--weights', 'queen'], live.stlQueen);
  });

  it('agrees with the CLI on NC SIDS SIDR74 with sids2.gal keyed by FIPSNO (100 counties)', async () => {
    await expectCliAgrees(['--input', referencePath('sids2/sids2.dbf'), '--id', 'FIPSNO', '--value', 'SIDR74', '--weights', `gal:${referencePath('sids2/sids2.gal')}`], live.sids);
  });

  it('agrees with the CLI\'s Moran\'s I on de Smith\'s example (negative values, so no Getis-Ord)', async () => {
    await expectMoranAgrees(['--input', referencePath('desmith/desmith.txt'), '--value', 'z', '--weights', `gal:${referencePath('desmith/desmith.gal')}`], live.desmith);
  });
});
