// Siting solvers against exhaustive search on small seeded random instances: the heuristics' answers
// lie between the optimum and their reported bound, greedy keeps its 1 − 1/e guarantee, and the exact
// method (HiGHS) finds the optimum and proves it.

import { beforeAll, describe, expect, it } from 'vitest';
import loadHighs, { type Highs } from 'highs';
import { buildCandidateCosts, type CandidateCosts } from '../../../../server/analysis/siting/candidate-costs';
import { createFacilityInstance, FacilityAssignment } from '../../../../server/analysis/siting/facility-assignment';
import { coverageCosts } from '../../../../server/analysis/siting/candidate-costs';
import { greedyOpen } from '../../../../server/analysis/siting/greedy-open';
import { seededRandom, solveSiting, type SitingObjective, type SitingProblem } from '../../../../server/analysis/siting/solve-siting';

interface RandomInstance {
  costs: CandidateCosts;
  weights: Float64Array;
  /** cost[u * m + j], Infinity where the pair is absent. */
  dense: Float64Array;
  n: number;
  m: number;
  fixed: number[];
}

function randomInstance(seed: number, options: { complete?: boolean; integral?: boolean } = {}): RandomInstance {
  const random = seededRandom(seed);
  const n = 5 + Math.floor(random() * 8);
  const m = 4 + Math.floor(random() * 6);
  const dense = new Float64Array(n * m).fill(Infinity);
  const entryCandidate: number[] = [];
  const entryDemand: number[] = [];
  const entryCost: number[] = [];
  for (let u = 0; u < n; u++) {
    for (let j = 0; j < m; j++) {
      if (!options.complete && random() < 0.35) continue;
      const cost = options.integral === false ? 1 + random() * 19 : 1 + Math.floor(random() * 20);
      dense[u * m + j] = cost;
      entryCandidate.push(j);
      entryDemand.push(u);
      entryCost.push(cost);
    }
  }
  const weights = Float64Array.from({ length: n }, () => (random() < 0.15 ? 0 : 1 + Math.floor(random() * 9)));
  const fixed: number[] = [];
  const fixedCount = Math.floor(random() * 3);
  for (let j = 0; j < m && fixed.length < fixedCount; j++) if (random() < 0.3) fixed.push(j);
  const costs = buildCandidateCosts(n, m, Uint32Array.from(entryCandidate), Uint32Array.from(entryDemand), Float64Array.from(entryCost));
  return { costs, weights, dense, n, m, fixed };
}

/** Every subset of `pool` of size k (k ≤ pool.length), by recursion. */
function* subsets(pool: number[], k: number, start = 0, prefix: number[] = []): Generator<number[]> {
  if (prefix.length === k) {
    yield prefix.slice();
    return;
  }
  for (let i = start; i <= pool.length - (k - prefix.length); i++) {
    prefix.push(pool[i]!);
    yield* subsets(pool, k, i + 1, prefix);
    prefix.pop();
  }
}

/** Nearest open cost per demand point (Infinity when none). */
function nearestCosts(instance: RandomInstance, open: number[]): Float64Array {
  const nearest = new Float64Array(instance.n).fill(Infinity);
  for (let u = 0; u < instance.n; u++) for (const j of open) nearest[u] = Math.min(nearest[u]!, instance.dense[u * instance.m + j]!);
  return nearest;
}

function evaluate(objective: SitingObjective, instance: RandomInstance, open: number[], radius: number, horizon: number): number {
  const nearest = nearestCosts(instance, open);
  let value = 0;
  for (let u = 0; u < instance.n; u++) {
    const w = instance.weights[u]!;
    const d = Math.min(nearest[u]!, horizon);
    if (objective === 'mclp' || objective === 'lscp') value += nearest[u]! <= radius ? w : 0;
    else if (objective === 'pmedian') value += w * d;
    else if (w > 0) value = Math.max(value, d);
  }
  return value;
}

function choosable(instance: RandomInstance): number[] {
  return Array.from({ length: instance.m }, (_, j) => j).filter((j) => !instance.fixed.includes(j));
}

/** The optimum by exhaustive search: max for mclp, min for pmedian and pcenter over exactly min(p, pool) new sites. */
function bruteForce(objective: 'mclp' | 'pmedian' | 'pcenter', instance: RandomInstance, p: number, radius: number, horizon: number): number {
  const pool = choosable(instance);
  let best = objective === 'mclp' ? -Infinity : Infinity;
  for (const set of subsets(pool, Math.min(p, pool.length))) {
    const value = evaluate(objective, instance, [...instance.fixed, ...set], radius, horizon);
    best = objective === 'mclp' ? Math.max(best, value) : Math.min(best, value);
  }
  return best;
}

/** Fewest new sites covering `required` weight within the radius (Infinity when impossible). */
function bruteForceSetCover(instance: RandomInstance, radius: number, required: number): number {
  const pool = choosable(instance);
  for (let k = 0; k <= pool.length; k++) {
    for (const set of subsets(pool, k)) if (evaluate('lscp', instance, [...instance.fixed, ...set], radius, Infinity) >= required - 1e-9) return k;
  }
  return Infinity;
}

const SEEDS = Array.from({ length: 40 }, (_, k) => 1000 + k);
const EPS = 1e-7;

let highs: Highs;
beforeAll(async () => {
  highs = await loadHighs();
});

describe('maximal covering (MCLP) vs exhaustive search', () => {
  it('greedy covers at least (1 − 1/e) of the best possible new coverage', () => {
    for (const seed of SEEDS) {
      const instance = randomInstance(seed);
      const radius = 8;
      for (const p of [1, 2, 3]) {
        const facility = createFacilityInstance(coverageCosts(instance.costs, radius), instance.weights, { unservedCost: 1, fixed: instance.fixed });
        const assignment = new FacilityAssignment(facility);
        const base = facility.totalWeight - assignment.objective;
        const mask = new Uint8Array(instance.m).fill(1);
        greedyOpen(assignment, { maxSites: p, allowed: mask });
        const greedyGain = facility.totalWeight - assignment.objective - base;
        const optimumGain = bruteForce('mclp', instance, p, radius, Infinity) - base;
        expect(greedyGain).toBeGreaterThanOrEqual((1 - 1 / Math.E) * optimumGain - EPS);
      }
    }
  });

  it('heuristic answers lie between the optimum and their upper bound; exact ones are optimal', () => {
    for (const seed of SEEDS) {
      const instance = randomInstance(seed);
      const radius = 5 + (seed % 7);
      const p = 1 + (seed % 3);
      const problem: SitingProblem = { objective: 'mclp', costs: instance.costs, weightByDemand: instance.weights, fixed: instance.fixed, radius, newSites: p };
      const optimum = bruteForce('mclp', instance, p, radius, Infinity);
      const heuristic = solveSiting(problem, { method: 'heuristic' });
      expect(heuristic.value).toBeLessThanOrEqual(optimum + EPS);
      expect(heuristic.bound).toBeGreaterThanOrEqual(optimum - EPS);
      expect(heuristic.value).toBeCloseTo(evaluate('mclp', instance, [...instance.fixed, ...heuristic.sites], radius, Infinity), 9);
      expect(heuristic.sites.every((c) => !instance.fixed.includes(c))).toBe(true);
      expect(heuristic.marginalGains.reduce((a, b) => a + b, 0)).toBeCloseTo(heuristic.value - heuristic.baseline, 9);
      const exact = solveSiting(problem, { method: 'exact', highs });
      expect(exact.value).toBeCloseTo(optimum, 9);
      expect(exact.provedOptimal).toBe(true);
      expect(exact.gap).toBe(0);
    }
  });
});

describe('set covering to a target rate (LSCP) vs exhaustive search', () => {
  it('finds the fewest sites (exact) and never reports a bound above the optimum', () => {
    let feasibleCases = 0;
    for (const seed of SEEDS) {
      const instance = randomInstance(seed);
      const radius = 6 + (seed % 6);
      const targetRate = [0.5, 0.8, 0.9, 1][seed % 4]!;
      const total = instance.weights.reduce((a, b) => a + b, 0);
      const optimum = bruteForceSetCover(instance, radius, targetRate * total);
      const problem: SitingProblem = { objective: 'lscp', costs: instance.costs, weightByDemand: instance.weights, fixed: instance.fixed, radius, targetRate };
      const heuristic = solveSiting(problem, { method: 'heuristic' });
      const exact = solveSiting(problem, { method: 'exact', highs });
      if (optimum === Infinity) {
        expect(heuristic.feasible).toBe(false);
        expect(exact.feasible).toBe(false);
        continue;
      }
      feasibleCases++;
      expect(heuristic.feasible).toBe(true);
      expect(heuristic.value).toBeGreaterThanOrEqual(optimum);
      expect(heuristic.bound).toBeLessThanOrEqual(optimum);
      expect(heuristic.coveredWeight).toBeGreaterThanOrEqual(targetRate * total - EPS);
      expect(exact.value).toBe(optimum);
      expect(exact.provedOptimal).toBe(true);
      expect(evaluate('lscp', instance, [...instance.fixed, ...exact.sites], radius, Infinity)).toBeGreaterThanOrEqual(targetRate * total - EPS);
    }
    expect(feasibleCases).toBeGreaterThan(10);
  });
});

describe('p-median vs exhaustive search', () => {
  it('complete matrices: heuristic within its Lagrangian bound, exact optimal', () => {
    for (const seed of SEEDS) {
      const instance = randomInstance(seed, { complete: true, integral: seed % 2 === 0 });
      const p = 1 + (seed % 3);
      const optimum = bruteForce('pmedian', instance, p, 0, Infinity);
      const problem: SitingProblem = { objective: 'pmedian', costs: instance.costs, weightByDemand: instance.weights, fixed: instance.fixed, newSites: p };
      const heuristic = solveSiting(problem, { method: 'heuristic' });
      expect(heuristic.value).toBeGreaterThanOrEqual(optimum - EPS);
      expect(heuristic.bound).toBeLessThanOrEqual(optimum + EPS);
      expect(heuristic.value).toBeCloseTo(evaluate('pmedian', instance, [...instance.fixed, ...heuristic.sites], 0, Infinity), 9);
      const exact = solveSiting(problem, { method: 'exact', highs });
      expect(exact.value).toBeCloseTo(optimum, 9);
      expect(exact.provedOptimal).toBe(true);
    }
  });

  it('sparse costs with a horizon: unserved demand costs the horizon', () => {
    for (const seed of SEEDS) {
      const instance = randomInstance(seed);
      const horizon = 15;
      const p = 1 + (seed % 3);
      const optimum = bruteForce('pmedian', instance, p, 0, horizon);
      const problem: SitingProblem = { objective: 'pmedian', costs: instance.costs, weightByDemand: instance.weights, fixed: instance.fixed, newSites: p, unservedCost: horizon };
      const heuristic = solveSiting(problem, { method: 'heuristic' });
      expect(heuristic.value).toBeGreaterThanOrEqual(optimum - EPS);
      expect(heuristic.bound).toBeLessThanOrEqual(optimum + EPS);
      const exact = solveSiting(problem, { method: 'exact', highs });
      expect(exact.value).toBeCloseTo(optimum, 9);
    }
  });
});

describe('p-center vs exhaustive search', () => {
  it('exact finds the least largest cost; the heuristic stays within its bound', () => {
    for (const seed of SEEDS) {
      const complete = seed % 2 === 0;
      const instance = randomInstance(seed, { complete });
      const horizon = complete ? Infinity : 18;
      const p = 1 + (seed % 3);
      const optimum = bruteForce('pcenter', instance, p, 0, horizon);
      const problem: SitingProblem = {
        objective: 'pcenter',
        costs: instance.costs,
        weightByDemand: instance.weights,
        fixed: instance.fixed,
        newSites: p,
        ...(complete ? {} : { unservedCost: horizon }),
      };
      const heuristic = solveSiting(problem, { method: 'heuristic' });
      expect(heuristic.value).toBeGreaterThanOrEqual(optimum - EPS);
      expect(heuristic.bound).toBeLessThanOrEqual(optimum + EPS);
      const exact = solveSiting(problem, { method: 'exact', highs });
      expect(exact.value).toBeCloseTo(optimum, 9);
      expect(exact.provedOptimal).toBe(true);
    }
  });
});

describe('input checks', () => {
  const instance = randomInstance(7);
  it('refuses missing parameters', () => {
    expect(() => solveSiting({ objective: 'mclp', costs: instance.costs, weightByDemand: instance.weights, newSites: 2 })).toThrow(/radius/);
    expect(() => solveSiting({ objective: 'pmedian', costs: instance.costs, weightByDemand: instance.weights })).toThrow(/newSites/);
    expect(() => solveSiting({ objective: 'lscp', costs: instance.costs, weightByDemand: instance.weights, radius: 5, targetRate: 1.5 })).toThrow(/targetRate/);
    expect(() => solveSiting({ objective: 'mclp', costs: instance.costs, weightByDemand: instance.weights, radius: 5, newSites: 1 }, { method: 'exact' })).toThrow(/HiGHS/);
  });
});
