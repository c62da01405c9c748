// The classic datasets against published values and R's spdep (test/fixtures/hotspots/spdep-oracle.json,
// made by spdep-oracle.R; R is not needed to run this): Columbus (Anselin 1988), St Louis homicides
// (Messner et al. 2000), NC SIDS (Cressie 1993) and the 6-point Getis-Ord example, all to 1e-6 or better.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { read as readShapefile } from 'shapefile';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildContiguityWeights, type PolygonRings } from '../../../../server/analysis/hotspots/contiguity-weights';
import { prepareGetisOrdWeights } from '../../../../server/analysis/hotspots/detect-hotspots';
import { buildDistanceBandWeights } from '../../../../server/analysis/hotspots/distance-weights';
import { computeGlobalGetisOrd, computeLocalGetisOrd } from '../../../../server/analysis/hotspots/getis-ord';
import { computeGlobalMoran, computeLocalMoran } from '../../../../server/analysis/hotspots/moran';
import { normalUpperTail } from '../../../../server/analysis/hotspots/normal-distribution';
import { rowStandardizeWeights, type SpatialWeights } from '../../../../server/analysis/hotspots/spatial-weights';
import { REPO_ROOT } from '../../../../server/paths';
import { readDbfRows, readGal, readGeoDaColumn, referencePath } from './reference-data';

interface SpdepOracle {
  columbus: {
    queenNeighbors: number[][];
    rookNeighbors: number[][];
    galNeighbors: number[][];
    crime: number[];
    giStarBinary: number[];
    giStarRowStandardized: number[];
    giBinary: number[];
    moranI: number;
    moranExpected: number;
    moranVarianceRandom: number;
    moranVarianceNormal: number;
    moranZRandom: number;
    moranZNormal: number;
    localMoranIi: number[];
    localMoranConditionalE: number[];
    localMoranConditionalVar: number[];
    localMoranConditionalZ: number[];
    localMoranTotalE: number[];
    localMoranTotalVar: number[];
    globalG: number;
    globalGExpected: number;
    globalGVariance: number;
    globalGZ: number;
  };
  stl: { moranI: number; moranPNormalOneSided: number };
  sids: { moranI: number; moranPNormalOneSided: number };
  toy6: { gi: number[]; giStar: number[]; globalG: number; globalGPOneSided: number };
  pnorm: { z: number[]; upperTail: number[] };
}

const oracle = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/hotspots/spdep-oracle.json'), 'utf8')) as SpdepOracle;

/** Largest absolute difference, element by element (lengths must agree). */
function maxError(actual: ArrayLike<number>, expected: readonly number[]): number {
  expect(actual.length).toBe(expected.length);
  let max = 0;
  for (let i = 0; i < expected.length; i++) max = Math.max(max, Math.abs(actual[i]! - expected[i]!));
  return max;
}

/** 1-based neighbour lists (spdep's form) of CSR weights. */
const neighborLists = (w: SpatialWeights): number[][] =>
  Array.from({ length: w.n }, (_, i) => Array.from(w.neighbors.subarray(w.offsets[i]!, w.offsets[i + 1]!), (j) => j + 1));

describe('toy6: the 6-point Getis-Ord example (distance band 15)', () => {
  const xy = [10, 10, 20, 10, 40, 10, 15, 20, 30, 20, 30, 30];
  const y = [2, 3, 3.2, 5, 8, 7];
  const rows = readFileSync(referencePath('toy6_points.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(',').map(Number));
  const base = buildDistanceBandWeights(xy, 15);

  it('is the file the tools use', () => {
    expect(rows.map((row) => [row[1], row[2]]).flat()).toEqual(xy);
    expect(rows.map((row) => row[3])).toEqual(y);
  });

  it('reproduces PySAL esda.G_Local and spdep localG (Gi and Gi*, binary)', () => {
    const gi = computeLocalGetisOrd(y, prepareGetisOrdWeights(base, { star: false, rowStandardized: false }), { star: false });
    const giStar = computeLocalGetisOrd(y, prepareGetisOrdWeights(base, { star: true, rowStandardized: false }), { star: true });
    // esda's docstring and tests (8 decimals).
    expect(maxError(gi.z, [-1.0136729, -0.04361589, 1.31558703, -0.31412676, 1.15373986, 1.77833941])).toBeLessThan(1e-8);
    expect(maxError(giStar.z, [-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331])).toBeLessThan(1e-8);
    expect(maxError(gi.z, oracle.toy6.gi)).toBeLessThan(1e-9);
    expect(maxError(giStar.z, oracle.toy6.giStar)).toBeLessThan(1e-9);
  });

  it('reproduces PySAL esda.G and spdep globalG.test (G = 0.55709779, one-sided p = 0.1729)', () => {
    const g = computeGlobalGetisOrd(y, base);
    expect(Math.abs(g.g - 0.55709779)).toBeLessThan(1e-8);
    expect(Math.abs(g.g - oracle.toy6.globalG)).toBeLessThan(1e-9);
    expect(Math.abs(g.pOneSided - oracle.toy6.globalGPOneSided)).toBeLessThan(1e-9);
  });
});

describe('Columbus neighbourhoods (49 polygons, CRIME)', () => {
  let polygons: PolygonRings[] = [];
  let crime: number[] = [];
  let queen: SpatialWeights;
  beforeAll(async () => {
    const collection = (await readShapefile(referencePath('columbus/columbus.shp'), referencePath('columbus/columbus.dbf'))) as FeatureCollection<Polygon | MultiPolygon>;
    polygons = collection.features.map((f) => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates));
    crime = collection.features.map((f) => Number(f.properties!.CRIME));
    queen = buildContiguityWeights(polygons, 'queen');
  });

  it('builds the queen and rook contiguity of spdep poly2nb and of the published GAL file', () => {
    expect(maxError(crime, oracle.columbus.crime)).toBeLessThan(1e-9);
    expect(neighborLists(queen)).toEqual(oracle.columbus.queenNeighbors);
    expect(neighborLists(queen)).toEqual(oracle.columbus.galNeighbors);
    expect(neighborLists(buildContiguityWeights(polygons, 'rook'))).toEqual(oracle.columbus.rookNeighbors);
    expect(neighborLists(readGal('columbus/columbus.gal', undefined, false))).toEqual(oracle.columbus.galNeighbors);
    // PySAL's queen_from_shapefile docstring: pct_nonzero 0.098292378175760101 (236 links).
    expect(queen.neighbors.length / 49 ** 2).toBeCloseTo(0.098292378175760101, 15);
  });

  it('reproduces spdep localG for Gi* (binary and row-standardised) and Gi', () => {
    const giStar = prepareGetisOrdWeights(queen, { star: true, rowStandardized: false });
    const giStarRow = prepareGetisOrdWeights(queen, { star: true, rowStandardized: true });
    expect(maxError(computeLocalGetisOrd(crime, giStar, { star: true }).z, oracle.columbus.giStarBinary)).toBeLessThan(1e-9);
    expect(maxError(computeLocalGetisOrd(crime, giStarRow, { star: true }).z, oracle.columbus.giStarRowStandardized)).toBeLessThan(1e-9);
    expect(maxError(computeLocalGetisOrd(crime, queen, { star: false }).z, oracle.columbus.giBinary)).toBeLessThan(1e-9);
  });

  it('reproduces the published Moran\'s I (spdep moran.test: 0.500188557, −0.020833333, 0.008689289, z 5.5894) and spdep\'s moments', () => {
    const result = computeGlobalMoran(crime, rowStandardizeWeights(queen));
    expect(Math.abs(result.i - 0.500188557)).toBeLessThan(5e-10);
    expect(Math.abs(result.expected - -0.020833333)).toBeLessThan(5e-10);
    expect(Math.abs(result.varianceRandom - 0.008689289)).toBeLessThan(5e-10);
    expect(Math.abs(result.zRandom - 5.5894)).toBeLessThan(5e-5);
    const c = oracle.columbus;
    expect(Math.abs(result.i - c.moranI)).toBeLessThan(1e-11);
    expect(Math.abs(result.varianceRandom - c.moranVarianceRandom)).toBeLessThan(1e-13);
    expect(Math.abs(result.varianceNormal - c.moranVarianceNormal)).toBeLessThan(1e-13);
    expect(Math.abs(result.zRandom - c.moranZRandom)).toBeLessThan(1e-9);
    expect(Math.abs(result.zNormal - c.moranZNormal)).toBeLessThan(1e-9);
  });

  it('reproduces spdep localmoran with conditional and total randomisation moments', () => {
    const w = rowStandardizeWeights(queen);
    const conditional = computeLocalMoran(crime, w, { moments: 'conditional' });
    const total = computeLocalMoran(crime, w, { moments: 'total' });
    const c = oracle.columbus;
    expect(maxError(conditional.ii, c.localMoranIi)).toBeLessThan(1e-9);
    expect(maxError(conditional.expected, c.localMoranConditionalE)).toBeLessThan(1e-9);
    expect(maxError(conditional.variance, c.localMoranConditionalVar)).toBeLessThan(1e-9);
    expect(maxError(conditional.z, c.localMoranConditionalZ)).toBeLessThan(1e-9);
    expect(maxError(total.expected, c.localMoranTotalE)).toBeLessThan(1e-9);
    expect(maxError(total.variance, c.localMoranTotalVar)).toBeLessThan(1e-9);
    // Under conditional randomisation both statistics permute the same neighbour sum, so the local
    // Moran z equals Gi's z with the sign of the unit's deviation from the mean.
    const gi = computeLocalGetisOrd(crime, queen, { star: false }).z;
    const mean = crime.reduce((a, b) => a + b, 0) / crime.length;
    expect(maxError(conditional.z, Array.from(gi, (z, i) => Math.sign(crime[i]! - mean) * z))).toBeLessThan(1e-9);
  });

  it('reproduces spdep globalG.test (binary queen weights)', () => {
    const g = computeGlobalGetisOrd(crime, queen);
    const c = oracle.columbus;
    expect(Math.abs(g.g - c.globalG)).toBeLessThan(1e-11);
    expect(Math.abs(g.expected - c.globalGExpected)).toBeLessThan(1e-11);
    expect(Math.abs(g.variance - c.globalGVariance)).toBeLessThan(1e-14);
    expect(Math.abs(g.z - c.globalGZ)).toBeLessThan(1e-9);
  });
});

describe('St Louis homicides and NC SIDS (GAL weights, row-standardised)', () => {
  it('reproduces PySAL esda.Moran and spdep on St Louis HR8893 (I = 0.2436558, p_norm = 1.357e-4)', () => {
    const result = computeGlobalMoran(readGeoDaColumn('stl/stl_hom.txt', 'HR8893'), readGal('stl/stl.gal'));
    expect(Math.abs(result.i - 0.24365582621771659)).toBeLessThan(1e-12);
    expect(Math.abs(result.pNormalOneSided - 0.00013573931385468807)).toBeLessThan(1e-12);
    expect(Math.abs(result.i - oracle.stl.moranI)).toBeLessThan(1e-11);
    expect(Math.abs(result.pNormalOneSided - oracle.stl.moranPNormalOneSided) / oracle.stl.moranPNormalOneSided).toBeLessThan(1e-9);
  });

  it('reproduces PySAL esda.Moran and spdep on NC SIDS SIDR74 (sids2.gal keyed by FIPSNO; I = 0.2477252)', async () => {
    const rows = await readDbfRows(referencePath('sids2/sids2.dbf'));
    const ids = rows.map((row) => String(row.FIPSNO));
    const result = computeGlobalMoran(rows.map((row) => Number(row.SIDR74)), readGal('sids2/sids2.gal', ids));
    expect(Math.abs(result.i - 0.24772519320480135)).toBeLessThan(1e-12);
    expect(Math.abs(result.pNormalOneSided - 5.7916539074498452e-5)).toBeLessThan(1e-12);
    expect(Math.abs(result.i - oracle.sids.moranI)).toBeLessThan(1e-11);
    expect(Math.abs(result.pNormalOneSided - oracle.sids.moranPNormalOneSided) / oracle.sids.moranPNormalOneSided).toBeLessThan(1e-9);
  });
});

describe('normal tail', () => {
  it('agrees with R pnorm(z, lower.tail = FALSE) to 1e-11 relative from 0 to 30', () => {
    oracle.pnorm.z.forEach((z, k) => {
      const expected = oracle.pnorm.upperTail[k]!;
      expect(Math.abs(normalUpperTail(z) - expected) / expected).toBeLessThan(1e-11);
    });
  });
});
