// The `moran` CLI command: published PySAL values (St Louis HR8893, NC SIDS SIDR74) and R spdep's global
// and local Moran's I on Columbus (test/fixtures/hotspots/spdep-oracle.json) to 1e-6, its options, its
// GeoJSON output, and one run through `npm run cli` itself.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeatureCollection } from 'geojson';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { run as runMoran } from '../../../server/cli/moran';
import { REPO_ROOT } from '../../../server/paths';
import { referencePath } from '../analysis/hotspots/reference-data';

interface Oracle {
  columbus: Record<string, number | number[]>;
}
const oracle = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/hotspots/spdep-oracle.json'), 'utf8')) as Oracle;

const dir = mkdtempSync(join(tmpdir(), 'atlas-moran-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `moran`, returning what it printed and, with an --out .csv, the rows by header. */
async function runMoranCsv(args: string[], out = true): Promise<{ rows: Record<string, string>[]; printed: string }> {
  const file = join(dir, `out-${Math.random().toString(36).slice(2)}.csv`);
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    expect(await runMoran(out ? [...args, '--out', file] : args)).toBe(0);
    const printed = log.mock.calls.map((call) => call.join(' ')).join('\n');
    if (!out) return { rows: [], printed };
    const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
    const columns = header!.split(',');
    return { rows: lines.map((line) => Object.fromEntries(line.split(',').map((cell, c) => [columns[c]!, cell]))), printed };
  } finally {
    log.mockRestore();
  }
}

const printedNumber = (printed: string, pattern: RegExp): number => Number(pattern.exec(printed)![1]);
const maxError = (actual: number[], expected: number[]) => Math.max(...actual.map((value, i) => Math.abs(value - expected[i]!)));
const columbus = () => ['--input', referencePath('columbus/columbus.shp'), '--value', 'CRIME', '--weights', 'queen', '--id', 'POLYID'];

describe('moran CLI on the reference datasets', () => {
  it('reproduces PySAL\'s Moran\'s I and normal p-value on St Louis HR8893 and NC SIDS SIDR74 (GAL, row-standardised)', async () => {
    const stl = await runMoranCsv(['--input', referencePath('stl/stl_hom.txt'), '--value', 'HR8893', '--weights', `gal:${referencePath('stl/stl.gal')}`], false);
    expect(Math.abs(printedNumber(stl.printed, /I = ([-\d.e]+)/) - 0.24365582621771659)).toBeLessThan(1e-9);
    expect(Math.abs(printedNumber(stl.printed, /normality: .* p one-sided = ([-\d.e]+)/) - 0.00013573931385468807)).toBeLessThan(1e-9);
    const sids = await runMoranCsv(
      ['--input', referencePath('sids2/sids2.dbf'), '--id', 'FIPSNO', '--value', 'SIDR74', '--weights', `gal:${referencePath('sids2/sids2.gal')}`],
      false,
    );
    expect(Math.abs(printedNumber(sids.printed, /I = ([-\d.e]+)/) - 0.24772519320480135)).toBeLessThan(1e-9);
    expect(Math.abs(printedNumber(sids.printed, /normality: .* p one-sided = ([-\d.e]+)/) - 5.7916539074498452e-5)).toBeLessThan(1e-9);
  });

  it('reproduces spdep\'s global and local Moran\'s I on Columbus CRIME (queen from the shapefile, row-standardised)', async () => {
    const c = oracle.columbus;
    const result = await runMoranCsv(columbus());
    expect(Math.abs(printedNumber(result.printed, /I = ([-\d.e]+)/) - (c.moranI as number))).toBeLessThan(1e-9);
    expect(Math.abs(printedNumber(result.printed, /randomisation: .* z = ([-\d.e]+)/) - (c.moranZRandom as number))).toBeLessThan(1e-6);
    expect(Math.abs(printedNumber(result.printed, /normality: .* z = ([-\d.e]+)/) - (c.moranZNormal as number))).toBeLessThan(1e-6);
    expect(result.rows.map((row) => row.id)).toEqual(Array.from({ length: 49 }, (_, i) => String(i + 1)));
    expect(maxError(result.rows.map((row) => Number(row.ii)), c.localMoranIi as number[])).toBeLessThan(1e-9);
    expect(maxError(result.rows.map((row) => Number(row.z)), c.localMoranConditionalZ as number[])).toBeLessThan(1e-9);
    // Classes: the quadrant where p ≤ 0.05, else ns.
    for (const row of result.rows) expect(row.class).toBe(Number(row.p) <= 0.05 ? row.quadrant : 'ns');
    expect(result.rows.filter((row) => row.class === 'HH').length).toBeGreaterThan(0);
    expect(result.rows.filter((row) => row.class === 'LL').length).toBeGreaterThan(0);
  });

  it('uses total-randomisation moments and binary weights when asked', async () => {
    const total = await runMoranCsv([...columbus(), '--moments', 'total']);
    const variance = (row: Record<string, string>) => ((Number(row.ii) - -1 / 48) / Number(row.z)) ** 2;
    expect(maxError(total.rows.map(variance), oracle.columbus.localMoranTotalVar as number[])).toBeLessThan(1e-6);
    const binary = await runMoranCsv([...columbus(), '--binary'], false);
    // Binary weights give another I than row-standardised ones on Columbus's uneven neighbour counts.
    expect(Math.abs(printedNumber(binary.printed, /I = ([-\d.e]+)/) - (oracle.columbus.moranI as number))).toBeGreaterThan(1e-3);
    expect(binary.printed).toMatch(/\(binary\)/);
  });

  it('writes seeded pseudo p-values, q-values and GeoJSON', async () => {
    const args = [...columbus(), '--permutations', '999', '--seed', '11', '--fdr'];
    const first = await runMoranCsv(args);
    expect((await runMoranCsv(args)).rows).toEqual(first.rows);
    for (const row of first.rows) {
      expect(Number(row.p)).toBeGreaterThanOrEqual(1 / 1000);
      expect(Number(row.q)).toBeGreaterThanOrEqual(Number(row.p));
      expect(row.class).toBe(Number(row.q) <= 0.05 ? row.quadrant : 'ns');
    }
    // The strongest analytic clusters are the strongest permuted ones too.
    const strongest = first.rows.reduce((best, row) => (Math.abs(Number(row.z)) > Math.abs(Number(best.z)) ? row : best));
    expect(Number(strongest.p)).toBeLessThanOrEqual(0.002);
    const geojson = join(dir, 'columbus-moran.geojson');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await runMoran([...columbus(), '--out', geojson]);
    } finally {
      log.mockRestore();
    }
    const collection = JSON.parse(readFileSync(geojson, 'utf8')) as FeatureCollection;
    expect(collection.features).toHaveLength(49);
    expect(collection.features[0]!.geometry.type).toMatch(/Polygon/);
    expect(collection.features[0]!.properties).toMatchObject({ id: '1', quadrant: expect.any(String), CRIME: expect.any(Number) });
    expect(Math.abs((collection.features[0]!.properties!.ii as number) - (oracle.columbus.localMoranIi as number[])[0]!)).toBeLessThan(1e-9);
  });

  it('names the bad option', async () => {
    await expect(runMoran(['--input', referencePath('toy6_points.csv'), '--value', 'value', '--weights', 'knn:2', '--permutations', '5'])).rejects.toThrow(/--permutations/);
    await expect(runMoran(['--input', referencePath('toy6_points.csv'), '--value', 'value', '--weights', 'knn:2', '--moments', 'fancy'])).rejects.toThrow(/--moments/);
    await expect(runMoran(['--input', referencePath('toy6_points.csv'), '--value', 'value'])).rejects.toThrow(/--weights is required/);
    await expect(runMoran(['--input', referencePath('toy6_points.csv'), '--value', 'value', '--weights', 'knn:9'])).rejects.toThrow(/k must be/);
  });
});

describe('npm run cli -- moran', () => {
  it('runs through the command registry and prints the global result', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'server/cli.ts'), 'moran', ...columbus()], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(output).toMatch(/49 features, Moran's I of CRIME on queen contiguity \(row-standardised\)/);
    expect(Math.abs(printedNumber(output, /I = ([-\d.e]+)/) - (oracle.columbus.moranI as number))).toBeLessThan(1e-9);
  });
});
