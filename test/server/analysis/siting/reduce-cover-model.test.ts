// The covering-model reductions against exhaustive search on small seeded instances: dropping dominated
// candidates and re-merging groups keeps the optimum; Lagrangian reduced-cost fixing keeps every
// solution better than the incumbent; and the exact MCLP on a cost matrix built from the reduced
// pieces still finds the brute-force optimum.

import { describe, expect, it } from 'vitest';
import { buildCandidateCosts } from '../../../../server/analysis/siting/candidate-costs';
import { groupCoverage, type CoverGroups } from '../../../../server/analysis/siting/highs-models';
import { lagrangianBound } from '../../../../server/analysis/siting/lagrangian-bound';
import { coverGroupsInstance, fixByReducedCost, reduceCoverModel } from '../../../../server/analysis/siting/reduce-cover-model';
import { seededRandom } from '../../../../server/analysis/siting/solve-siting';

/** Random demand × candidate coverage with a few near-duplicate candidates (so some are dominated). */
function randomGroups(seed: number, integral: boolean): { groups: CoverGroups; m: number } {
  const random = seededRandom(seed);
  const n = 8 + Math.floor(random() * 10);
  const m = 5 + Math.floor(random() * 5);
  const entryCandidate: number[] = [];
  const entryDemand: number[] = [];
  const covers: Set<number>[] = [];
  for (let c = 0; c < m; c++) {
    // Every third candidate copies part of the previous one's coverage: a subset, so dominated.
    const set = new Set<number>();
    if (c % 3 === 2) {
      for (const u of covers[c - 1]!) if (random() < 0.7) set.add(u);
    } else {
      for (let u = 0; u < n; u++) if (random() < 0.3) set.add(u);
    }
    covers.push(set);
    for (const u of set) {
      entryCandidate.push(c);
      entryDemand.push(u);
    }
  }
  const weights = Float64Array.from({ length: n }, () => (integral ? 1 + Math.floor(random() * 9) : 0.5 + random() * 9));
  const cover = buildCandidateCosts(n, m, Uint32Array.from(entryCandidate), Uint32Array.from(entryDemand), new Float64Array(entryCandidate.length));
  return { groups: groupCoverage(cover, weights, []), m };
}

/** Covered weight of the groups with these candidates open. */
function coveredBy(groups: CoverGroups, open: Set<number>): number {
  let covered = 0;
  for (let g = 0; g < groups.groupCount; g++) {
    for (let k = groups.groupOffsets[g]!; k < groups.groupOffsets[g + 1]!; k++) {
      if (open.has(groups.groupCandidates[k]!)) {
        covered += groups.weightByGroup[g]!;
        break;
      }
    }
  }
  return covered;
}

/** Best covered weight with at most p of the candidates covering some group, by enumeration. */
function bruteForce(groups: CoverGroups, p: number): number {
  const pool = [...new Set(groups.groupCandidates)].sort((a, b) => a - b);
  let best = 0;
  const visit = (start: number, open: number[]) => {
    best = Math.max(best, coveredBy(groups, new Set(open)));
    if (open.length === p) return;
    for (let k = start; k < pool.length; k++) visit(k + 1, [...open, pool[k]!]);
  };
  visit(0, []);
  return best;
}

const SEEDS = Array.from({ length: 40 }, (_, k) => 7000 + k);

describe('reduceCoverModel', () => {
  it('keeps the optimum for every p while dropping dominated candidates', () => {
    let dropped = 0;
    for (const seed of SEEDS) {
      const { groups, m } = randomGroups(seed, seed % 2 === 0);
      const reduced = reduceCoverModel(groups, m);
      for (let p = 1; p <= 3; p++) expect(bruteForce(reduced.groups, p)).toBeCloseTo(bruteForce(groups, p), 9);
      expect(reduced.groups.weightByGroup.reduce((a, b) => a + b, 0)).toBeCloseTo(groups.weightByGroup.reduce((a, b) => a + b, 0), 9);
      // A representative covers everything its candidate covered.
      for (let c = 0; c < m; c++) {
        const r = reduced.representativeOf[c]!;
        if (r === c || r < 0) continue;
        dropped++;
        expect(coveredBy(groups, new Set([r, c]))).toBeCloseTo(coveredBy(groups, new Set([r])), 9);
      }
      expect(reduced.keptCount).toBe([...reduced.representativeOf].filter((r, c) => r === c).length);
    }
    expect(dropped).toBeGreaterThan(10);
  });
});

describe('fixByReducedCost', () => {
  it('keeps every solution better than the incumbent, and closes candidates when the incumbent is near-optimal', () => {
    let closed = 0;
    let improvable = 0;
    for (const seed of SEEDS) {
      const integral = seed % 2 === 0;
      const { groups, m } = randomGroups(seed, integral);
      const p = 1 + (seed % 3);
      const optimum = bruteForce(groups, p);
      const total = groups.weightByGroup.reduce((a, b) => a + b, 0);
      // Incumbents: the optimum itself, and something worse by about a tenth.
      for (const incumbent of [optimum, optimum * 0.9]) {
        const lagrangian = lagrangianBound(coverGroupsInstance(groups, m), { newSites: p, upperBound: total - incumbent, maxIterations: 400 });
        const cutoff = integral ? total - Math.ceil(incumbent) - 1 + 1e-6 : total - incumbent - 1e-9 * total;
        const fixing = fixByReducedCost(groups, m, lagrangian, p, cutoff);
        closed += fixing.closedCount;
        const fixedBest = fixing.newSites < 0 ? -Infinity : fixing.groups.fixedCoveredWeight + bruteForce(fixing.groups, fixing.newSites);
        expect(fixedBest).toBeLessThanOrEqual(optimum + 1e-9);
        if (optimum > (integral ? Math.ceil(incumbent) : incumbent) + 1e-9) {
          improvable++;
          expect(fixedBest).toBeCloseTo(optimum, 9);
        }
      }
    }
    expect(improvable).toBeGreaterThan(10);
    expect(closed).toBeGreaterThan(0);
  });
});
