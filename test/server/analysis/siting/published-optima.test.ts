// Published reference answers: OR-Library p-median optima (Beasley 1990, pmedinfo) for pmed1–pmed5,
// and PySAL spopt's results on the San Francisco store-siting instance (205 tracts, 16 candidate stores,
// network distances in metres; spopt/tests/test_locate/test_{mclp,p_median}.py), each also checked
// against exhaustive search over the 16 stores and against COIN-OR CBC's optima of the same models.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import loadHighs, { type Highs } from 'highs';
import { costsFromDenseMatrix, parseOrlibPmedian } from '../../../../server/analysis/siting/orlib-pmedian';
import { solveSiting } from '../../../../server/analysis/siting/solve-siting';
import { REPO_ROOT } from '../../../../server/paths';
import { beasleyOptima, loadSanFrancisco, subsetsOf, testdataPath } from './reference-data';

/** COIN-OR CBC's optima of the same models (test/fixtures/siting/write-cbc-second-opinion.ts). */
const cbc = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'siting', 'cbc-second-opinion.json'), 'utf8')) as {
  sfMclp: { coveredWeight: number };
  sfLscp: { sites: number };
  sfPmedian: { objective: number };
  sfPcenter: { objective: number };
  orlib: Record<string, number>;
};

let highs: Highs;
beforeAll(async () => {
  highs = await loadHighs();
});

describe('OR-Library p-median instances', () => {
  it('reads edges with "the later line wins" and closes distances over shortest paths', () => {
    const instance = parseOrlibPmedian(' 3 3 1 \n 1 2 5 \n 2 3 4 \n 1 2 7 \n');
    expect(instance).toMatchObject({ nodeCount: 3, edgeCount: 3, p: 1 });
    expect([...instance.distances]).toEqual([0, 7, 11, 7, 0, 4, 11, 4, 0]);
    expect(() => parseOrlibPmedian('3 2 1\n1 2 5\n')).toThrow(/declares 2 edges/);
    expect(() => parseOrlibPmedian('3 1 1\n1 4 5\n')).toThrow(/out of range/);
  });

  const optima = beasleyOptima();
  for (let k = 1; k <= 5; k++) {
    it(`pmed${k}: the exact method reproduces Beasley's optimum ${optima[k - 1]}`, () => {
      const instance = parseOrlibPmedian(readFileSync(testdataPath('siting-orlib', `pmed${k}.txt`), 'utf8'));
      const n = instance.nodeCount;
      const solution = solveSiting(
        { objective: 'pmedian', costs: costsFromDenseMatrix(instance.distances, n, n), weightByDemand: new Float64Array(n).fill(1), newSites: instance.p },
        { method: 'exact', highs, timeLimitSeconds: 25 },
      );
      expect(solution.value).toBe(optima[k - 1]);
      expect(solution.value).toBe(cbc.orlib[`pmed${k}`]);
      expect(solution.provedOptimal).toBe(true);
      expect(solution.gap).toBe(0);
      expect(solution.sites).toHaveLength(instance.p);
    });
  }
});

describe('San Francisco stores (PySAL spopt reference)', () => {
  const sf = loadSanFrancisco();
  const tractCount = sf.tracts.length;
  const storeCount = sf.stores.length;
  const totalPopulation = sf.weights.reduce((a, b) => a + b, 0);
  const distance = (u: number, c: number) => sf.distances[u * storeCount + c]!;
  /** Nearest open store's distance per tract. */
  const nearest = (open: readonly number[]) => Array.from({ length: tractCount }, (_, u) => Math.min(...open.map((c) => distance(u, c))));
  const covered = (open: readonly number[], radius: number) => nearest(open).map((d) => d <= radius);

  it('has 205 tracts and 16 candidate stores with every pair', () => {
    expect(tractCount).toBe(205);
    expect(storeCount).toBe(16);
    expect(sf.costs.demandIndex).toHaveLength(205 * 16);
    expect(sf.distances.every((d) => Number.isFinite(d))).toBe(true);
  });

  it('MCLP, 4 stores within 5,000 m: the exhaustive optimum, 184 of 205 tracts covered (spopt: 21 uncovered, 89.756 %)', () => {
    let best = -Infinity;
    for (const set of subsetsOf(storeCount, 4)) {
      const weight = covered(set, 5000).reduce((sum, yes, u) => sum + (yes ? sf.weights[u]! : 0), 0);
      best = Math.max(best, weight);
    }
    const solution = solveSiting({ objective: 'mclp', costs: sf.costs, weightByDemand: sf.weights, radius: 5000, newSites: 4 }, { method: 'exact', highs });
    expect(solution.provedOptimal).toBe(true);
    expect(solution.value).toBeCloseTo(best, 6);
    expect(solution.value).toBe(cbc.sfMclp.coveredWeight);
    const tracts = covered(solution.sites, 5000).filter(Boolean).length;
    expect(tracts).toBe(184);
    expect((100 * tracts) / 205).toBeCloseTo(89.756097560975, 10);
  });

  it('p-median, 4 stores: population-weighted mean distance 2982.1268579890657 m (spopt), the exhaustive optimum', () => {
    let best = Infinity;
    for (const set of subsetsOf(storeCount, 4)) best = Math.min(best, nearest(set).reduce((sum, d, u) => sum + sf.weights[u]! * d, 0));
    const solution = solveSiting({ objective: 'pmedian', costs: sf.costs, weightByDemand: sf.weights, newSites: 4 }, { method: 'exact', highs });
    expect(solution.provedOptimal).toBe(true);
    expect(solution.value).toBeCloseTo(best, 4);
    expect(solution.value).toBeCloseTo(cbc.sfPmedian.objective, 4);
    expect(solution.value / totalPopulation).toBeCloseTo(2982.1268579890657, 6);
  });

  it('p-center, 4 stores: the exhaustive optimum, the farthest tract at 7403.06 m (spopt objective)', () => {
    let best = Infinity;
    for (const set of subsetsOf(storeCount, 4)) best = Math.min(best, Math.max(...nearest(set)));
    const solution = solveSiting({ objective: 'pcenter', costs: sf.costs, weightByDemand: sf.weights, newSites: 4 }, { method: 'exact', highs });
    expect(solution.provedOptimal).toBe(true);
    expect(solution.value).toBe(best);
    expect(solution.value).toBeCloseTo(cbc.sfPcenter.objective, 6);
    expect(solution.value).toBeCloseTo(7403.06, 2);
  });

  it('LSCP within 5,000 m: every tract covered with the fewest stores (exhaustive)', () => {
    // Stores within reach of each tract as a bit mask: a set covers a tract when the masks meet.
    const reach = Array.from({ length: tractCount }, (_, u) => sf.stores.reduce((mask, _store, c) => (distance(u, c) <= 5000 ? mask | (1 << c) : mask), 0));
    let fewest = Infinity;
    for (let set = 1; set < 1 << storeCount; set++) {
      let size = 0;
      for (let bits = set; bits; bits &= bits - 1) size++;
      if (size < fewest && reach.every((mask) => (mask & set) !== 0)) fewest = size;
    }
    const solution = solveSiting({ objective: 'lscp', costs: sf.costs, weightByDemand: sf.weights, radius: 5000, targetRate: 1 }, { method: 'exact', highs });
    expect(solution.feasible).toBe(true);
    expect(solution.provedOptimal).toBe(true);
    expect(solution.value).toBe(fewest);
    expect(solution.value).toBe(cbc.sfLscp.sites);
    expect(solution.coveredWeight).toBe(totalPopulation);
  });
});
