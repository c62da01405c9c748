// Sparse cost rows: sorting, transposition, radius prefixes, and the incremental state built on them
// (nearest/second-nearest open site, coverage counts) against direct recomputation.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  buildCandidateCosts,
  concatCandidateCosts,
  coverageCosts,
  coverageEnds,
  transposeCandidateCosts,
} from '../../../../server/analysis/siting/candidate-costs';
import { CoverageCounts } from '../../../../server/analysis/siting/coverage-counts';
import { createFacilityInstance, FacilityAssignment } from '../../../../server/analysis/siting/facility-assignment';
import { sortEntriesByCost } from '../../../../server/analysis/siting/sort-entries';
import { seededRandom } from '../../../../server/analysis/siting/solve-siting';

/** 3 demand points × 2 candidates: candidate 0 reaches points 0 (5) and 2 (1); candidate 1 reaches 0 (2), 1 (4), 2 (9). */
const small = () =>
  buildCandidateCosts(3, 2, Uint32Array.of(1, 0, 1, 0, 1), Uint32Array.of(2, 0, 0, 2, 1), Float64Array.of(9, 5, 2, 1, 4));

describe('candidate-major costs', () => {
  it('groups entries by candidate, each row by cost', () => {
    const costs = small();
    expect([...costs.offsets]).toEqual([0, 2, 5]);
    expect([...costs.demandIndex]).toEqual([2, 0, 0, 1, 2]);
    expect([...costs.cost]).toEqual([1, 5, 2, 4, 9]);
  });

  it('transposes to per-demand lists, nearest first', () => {
    const lists = transposeCandidateCosts(small());
    expect([...lists.offsets]).toEqual([0, 2, 3, 5]);
    expect([...lists.candidateIndex]).toEqual([1, 0, 1, 0, 1]);
    expect([...lists.cost]).toEqual([2, 5, 4, 1, 9]);
  });

  it('cuts rows at a radius (inclusive) and turns them into 0-cost covering sets', () => {
    const costs = small();
    expect([...coverageEnds(costs, 4)]).toEqual([1, 4]);
    const cover = coverageCosts(costs, 5);
    expect([...cover.offsets]).toEqual([0, 2, 4]);
    expect([...cover.demandIndex]).toEqual([0, 2, 0, 1]);
    expect([...cover.cost]).toEqual([0, 0, 0, 0]);
  });

  it('appends candidates', () => {
    const both = concatCandidateCosts(small(), small());
    expect(both.candidateCount).toBe(4);
    expect([...both.offsets]).toEqual([0, 2, 5, 7, 10]);
    expect([...both.demandIndex.subarray(5)]).toEqual([2, 0, 0, 1, 2]);
  });

  it('refuses bad triplets', () => {
    expect(() => buildCandidateCosts(1, 1, Uint32Array.of(0), Uint32Array.of(0), Float64Array.of(-1))).toThrow(/≥ 0/);
    expect(() => buildCandidateCosts(1, 1, Uint32Array.of(1), Uint32Array.of(0), Float64Array.of(1))).toThrow(/out of range/);
    expect(() => buildCandidateCosts(1, 1, Uint32Array.of(0), Uint32Array.of(0), Float64Array.of(Infinity))).toThrow(/finite/);
  });
});

describe('sortEntriesByCost', () => {
  it('orders any range like a comparator sort (cost, then index)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 1000 })), { maxLength: 300 }), (pairs) => {
        const cost = Float64Array.from(pairs, ([c]) => c);
        const index = Uint32Array.from(pairs, ([, i]) => i);
        sortEntriesByCost(cost, index, 0, pairs.length);
        const expected = [...pairs].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect([...cost]).toEqual(expected.map(([c]) => c));
        expect([...index]).toEqual(expected.map(([, i]) => i));
      }),
    );
  });
});

function randomCosts(seed: number, n: number, m: number, density: number) {
  const random = seededRandom(seed);
  const c: number[] = [];
  const d: number[] = [];
  const v: number[] = [];
  for (let j = 0; j < m; j++) {
    for (let u = 0; u < n; u++) {
      if (random() > density) continue;
      c.push(j);
      d.push(u);
      v.push(Math.floor(random() * 50) / 2);
    }
  }
  return buildCandidateCosts(n, m, Uint32Array.from(c), Uint32Array.from(d), Float64Array.from(v));
}

describe('FacilityAssignment', () => {
  it('keeps nearest and second-nearest open sites right through random opens and closes', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const n = 40;
      const m = 15;
      const costs = randomCosts(seed, n, m, 0.5);
      const weights = Float64Array.from({ length: n }, (_, u) => 1 + (u % 5));
      const instance = createFacilityInstance(costs, weights, { unservedCost: 30, fixed: [0] });
      const assignment = new FacilityAssignment(instance);
      const random = seededRandom(seed + 100);
      for (let step = 0; step < 60; step++) {
        const c = 1 + Math.floor(random() * (m - 1));
        if (assignment.open[c]) assignment.closeSite(c);
        else assignment.openSite(c);
        // Direct recomputation: the two cheapest open entries per demand point.
        const reachable: number[][] = Array.from({ length: n }, () => []);
        for (const j of [0, ...assignment.chosen]) {
          for (let k = costs.offsets[j]!; k < costs.offsets[j + 1]!; k++) if (costs.cost[k]! < 30) reachable[costs.demandIndex[k]!]!.push(costs.cost[k]!);
        }
        let objective = 0;
        const wrong: number[] = [];
        for (let u = 0; u < n; u++) {
          const sorted = reachable[u]!.sort((a, b) => a - b);
          if (assignment.nearestCost[u] !== (sorted[0] ?? 30) || assignment.secondCost[u] !== (sorted[1] ?? 30)) wrong.push(u);
          objective += weights[u]! * (sorted[0] ?? 30);
        }
        expect(wrong).toEqual([]);
        expect(assignment.objective).toBeCloseTo(objective, 9);
      }
    }
  });
});

describe('CoverageCounts', () => {
  it('adds and removes catchments incrementally, matching a recount', () => {
    const costs = randomCosts(3, 50, 12, 0.3);
    const weights = Float64Array.from({ length: 50 }, (_, u) => u % 7);
    const counts = new CoverageCounts(weights);
    const open = new Set<number>();
    const random = seededRandom(9);
    for (let step = 0; step < 80; step++) {
      const c = Math.floor(random() * 12);
      const from = costs.offsets[c]!;
      const to = costs.offsets[c + 1]!;
      if (open.has(c)) {
        open.delete(c);
        counts.remove(costs.demandIndex, from, to);
      } else {
        const expectedGain = counts.gainOf(costs.demandIndex, from, to);
        expect(counts.add(costs.demandIndex, from, to)).toBe(expectedGain);
        open.add(c);
      }
      const covered = new Set<number>();
      for (const j of open) for (let k = costs.offsets[j]!; k < costs.offsets[j + 1]!; k++) covered.add(costs.demandIndex[k]!);
      expect(counts.coveredWeight).toBe([...covered].reduce((sum, u) => sum + weights[u]!, 0));
    }
    expect(() => new CoverageCounts(weights).remove(costs.demandIndex, costs.offsets[0]!, costs.offsets[1]!)).toThrow(/never added/);
  });
});
