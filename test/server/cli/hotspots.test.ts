// The `hotspots` CLI command on the classic reference datasets: published PySAL values (toy6 Gi/Gi*) and
// R spdep's values for toy6 and Columbus (test/fixtures/hotspots/spdep-oracle.json, made by
// spdep-oracle.R), to 1e-6; GeoJSON output, permutations and input errors.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { run as runHotspots } from '../../../server/cli/hotspots';
import { REPO_ROOT } from '../../../server/paths';
import { referencePath } from '../analysis/hotspots/reference-data';

interface Oracle {
  columbus: Record<string, number[] | number | number[][]>;
  toy6: { gi: number[]; giStar: number[]; globalG: number; globalGPOneSided: number };
  stl: { moranI: number; moranPNormalOneSided: number };
  sids: { moranI: number; moranPNormalOneSided: number };
}
const ORACLE_PATH = join(REPO_ROOT, 'test/fixtures/hotspots/spdep-oracle.json');

/** spdep's values; the file is made by spdep-oracle.R (R is not needed to run the tests). */
function loadOracle(): Oracle {
  if (!existsSync(ORACLE_PATH)) {
    throw new Error(`${ORACLE_PATH} is missing: make it with Rscript test/fixtures/hotspots/spdep-oracle.R > test/fixtures/hotspots/spdep-oracle.json`);
  }
  return JSON.parse(readFileSync(ORACLE_PATH, 'utf8')) as Oracle;
}

const dir = mkdtempSync(join(tmpdir(), 'atlas-hotspots-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a command, returning its CSV rows (by header) and what it printed. */
async function runCsv(command: typeof runHotspots, args: string[]): Promise<{ rows: Record<string, string>[]; printed: string }> {
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

const maxError = (actual: number[], expected: number[]) => Math.max(...actual.map((value, i) => Math.abs(value - expected[i]!)));

describe('hotspots CLI on the reference datasets', () => {
  const toy = ['--input', referencePath('toy6_points.csv'), '--value', 'value', '--weights', 'distance:15', '--id', 'id'];

  it('reproduces PySAL\'s Gi and Gi* z-scores on toy6 (distance band 15, binary)', async () => {
    const gi = await runCsv(runHotspots, toy);
    expect(gi.rows.map((row) => row.id)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(maxError(gi.rows.map((row) => Number(row.z)), [-1.0136729, -0.04361589, 1.31558703, -0.31412676, 1.15373986, 1.77833941])).toBeLessThan(1e-6);
    const star = await runCsv(runHotspots, [...toy, '--star']);
    expect(maxError(star.rows.map((row) => Number(row.z)), [-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331])).toBeLessThan(1e-6);
    // The global G of PySAL's test (0.55709779).
    expect(Math.abs(Number(/global G = ([\d.]+)/.exec(gi.printed)![1]) - 0.55709779)).toBeLessThan(1e-8);
    const level = (z: number) => (Math.abs(z) >= 2.5758 ? 3 : Math.abs(z) >= 1.96 ? 2 : Math.abs(z) >= 1.6449 ? 1 : 0);
    expect(star.rows.map((row) => Number(row.class))).toEqual(star.rows.map((row) => Math.sign(Number(row.z)) * level(Number(row.z)) || 0));
    expect(star.rows[5]!.class).toBe('2');
  });

  it('agrees with spdep\'s localG on toy6', async () => {
    const oracle = loadOracle();
    const gi = await runCsv(runHotspots, toy);
    const star = await runCsv(runHotspots, [...toy, '--star']);
    expect(maxError(star.rows.map((row) => Number(row.z)), oracle.toy6.giStar)).toBeLessThan(1e-6);
    expect(maxError(gi.rows.map((row) => Number(row.z)), oracle.toy6.gi)).toBeLessThan(1e-6);
  });

  it('reproduces spdep\'s Gi* on Columbus CRIME with queen contiguity, binary and row-standardised', async () => {
    const oracle = loadOracle();
    const columbus = ['--input', referencePath('columbus/columbus.json'), '--value', 'CRIME', '--weights', 'queen', '--id', 'POLYID', '--star'];
    const binary = await runCsv(runHotspots, columbus);
    expect(binary.rows).toHaveLength(49);
    expect(maxError(binary.rows.map((row) => Number(row.z)), oracle.columbus.giStarBinary as number[])).toBeLessThan(1e-6);
    const row = await runCsv(runHotspots, [...columbus, '--row-standardized']);
    expect(maxError(row.rows.map((r) => Number(r.z)), oracle.columbus.giStarRowStandardized as number[])).toBeLessThan(1e-6);
    const shapefile = await runCsv(runHotspots, [...columbus.slice(0, 1), referencePath('columbus/columbus.shp'), ...columbus.slice(2)]);
    expect(shapefile.rows.map((r) => r.z)).toEqual(binary.rows.map((r) => r.z));
  });

  it('writes pseudo p-values with permutations, reproducibly, and q-values with --fdr', async () => {
    const args = ['--input', referencePath('columbus/columbus.json'), '--value', 'CRIME', '--weights', 'queen', '--star', '--permutations', '999', '--seed', '7', '--fdr'];
    const first = await runCsv(runHotspots, args);
    const second = await runCsv(runHotspots, args);
    expect(first.rows).toEqual(second.rows);
    for (const r of first.rows) {
      const p = Number(r.p);
      expect(p).toBeGreaterThanOrEqual(1 / 1000);
      expect(p).toBeLessThanOrEqual(1);
      expect(Number.isInteger(Math.round(p * 1000 * 1e6) / 1e6)).toBe(true);
      expect(Number(r.q)).toBeGreaterThanOrEqual(p);
    }
  });
});

describe('hotspots CLI outputs and weights', () => {
  it('writes GeoJSON with id, value, z, p and class on each feature, geometry kept', async () => {
    const out = join(dir, 'columbus-gistar.geojson');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await runHotspots(['--input', referencePath('columbus/columbus.json'), '--value', 'CRIME', '--weights', 'queen', '--id', 'POLYID', '--star', '--out', out]);
    } finally {
      log.mockRestore();
    }
    const collection = JSON.parse(readFileSync(out, 'utf8')) as { features: { id: string; properties: Record<string, unknown>; geometry: { type: string } }[] };
    expect(collection.features).toHaveLength(49);
    const oracle = loadOracle();
    collection.features.forEach((feature, i) => {
      expect(feature.properties).toMatchObject({ id: String(i + 1), value: expect.any(Number), z: expect.any(Number), p: expect.any(Number), class: expect.any(Number) });
      expect(Math.abs((feature.properties.z as number) - (oracle.columbus.giStarBinary as number[])[i]!)).toBeLessThan(1e-9);
      expect(feature.geometry.type).toMatch(/Polygon/);
    });
  });

  it('measures k-nearest and distance-band weights in metres for lng/lat points', async () => {
    // Four points 1 km apart on a parallel at 41.8° N and one 5 km away: a 1.5 km band links neighbours only.
    const kx = 111_320 * Math.cos((41.8 * Math.PI) / 180);
    const lng = (meters: number) => (123.4 + meters / kx).toFixed(7);
    const csv = join(dir, 'points.csv');
    writeFileSync(csv, `id,lng,lat,count\na,${lng(0)},41.8,1\nb,${lng(1000)},41.8,2\nc,${lng(2000)},41.8,3\nd,${lng(3000)},41.8,4\ne,${lng(8000)},41.8,10\n`);
    const band = await runCsv(runHotspots, ['--input', csv, '--value', 'count', '--id', 'id', '--weights', 'distance:1500']);
    expect(band.printed).toMatch(/neighbours min 0, mean 1\.20, max 2; 1 without neighbours/);
    expect(band.rows.find((row) => row.id === 'e')!.z).toBe('');
    const knn = await runCsv(runHotspots, ['--input', csv, '--value', 'count', '--id', 'id', '--weights', 'knn:1']);
    expect(knn.printed).toMatch(/1 nearest neighbours/);
    expect(knn.printed).toMatch(/neighbours min 1, mean 1\.00, max 1; 0 without neighbours/);
  });
});

describe('CLI input errors', () => {
  it('names the missing or bad option', async () => {
    await expect(runHotspots(['--input', referencePath('toy6_points.csv'), '--value', 'value', '--out', join(dir, 'x.csv')])).rejects.toThrow(/--weights is required/);
    await expect(runHotspots(['--input', referencePath('toy6_points.csv'), '--value', 'nope', '--weights', 'distance:15', '--out', join(dir, 'x.csv')])).rejects.toThrow(/--value/);
    await expect(runHotspots(['--input', referencePath('toy6_points.csv'), '--value', 'value', '--weights', 'queen', '--out', join(dir, 'x.csv')])).rejects.toThrow(/polygons/);
    await expect(runHotspots(['--input', referencePath('toy6_points.csv'), '--value', 'value', '--weights', 'hexagons', '--out', join(dir, 'x.csv')])).rejects.toThrow(/--weights must be/);
  });
});
