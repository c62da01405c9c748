// Lagrangian lower bound for the truncated p-median (and so for maximal covering): relax "every demand
// point is assigned once" with a multiplier λ_u per point; the relaxed problem opens the p sites with
// the most negative reduced cost ρ_j = Σ_u min(0, w_u·c_uj − λ_u) and is solved exactly, giving
// L(λ) ≤ optimum. λ is improved by subgradient steps (Held, Wolfe & Crowder 1974; Beasley 1993,
// "Lagrangean heuristics for location problems"); the best L equals the LP-relaxation bound in the limit.

import type { FacilityInstance } from './facility-assignment';

export interface LagrangianOptions {
  /** Sites to open besides the fixed ones (exactly this many, or all allowed ones if fewer). */
  newSites: number;
  /** Objective of the best known solution (drives the step size). */
  upperBound: number;
  /** Every weight · cost is an integer: an optimum below the upper bound is ≤ upperBound − 1. */
  integral?: boolean;
  /** Only these candidates may open (default: every non-fixed candidate). */
  allowed?: Uint8Array;
  /** Starting multipliers (default: weight · cost to the nearest candidate within the second-nearest). */
  initialMultipliers?: Float64Array;
  maxIterations?: number;
  /** Iterations without improvement before the step factor halves. */
  patience?: number;
  timeBudgetMs?: number;
  nowMs?: () => number;
}

export interface LagrangianResult {
  /** The best (largest) L(λ) found: a lower bound on the optimum. */
  lowerBound: number;
  /** Multipliers giving it. */
  multipliers: Float64Array;
  /** ρ_j at those multipliers (reduced cost of opening j; 0 for candidates that cannot open). */
  siteReducedCost: Float64Array;
  /** The sites the relaxation opened at those multipliers. */
  relaxedSites: Uint32Array;
  iterations: number;
  /** True when the bound meets the upper bound (the known solution is optimal). */
  provedOptimal: boolean;
}

/** Subgradient optimisation of the Lagrangian dual of the truncated p-median. */
export function lagrangianBound(instance: FacilityInstance, options: LagrangianOptions): LagrangianResult {
  const { lists, weightByDemand, unservedCost, fixed } = instance;
  const n = lists.demandCount;
  const m = lists.candidateCount;
  const nowMs = options.nowMs ?? (() => performance.now());
  const deadline = options.timeBudgetMs === undefined ? Infinity : nowMs() + options.timeBudgetMs;
  const maxIterations = options.maxIterations ?? 3000;
  const patience = options.patience ?? 25;
  const upperBound = options.upperBound;
  const provenAt = options.integral ? upperBound - 1 + 1e-7 : upperBound - 1e-9 * Math.max(1, Math.abs(upperBound));

  // 0 = may open, 1 = fixed open, 2 = may not open.
  const role = new Uint8Array(m);
  if (options.allowed) for (let c = 0; c < m; c++) role[c] = options.allowed[c] ? 0 : 2;
  for (const c of fixed) role[c] = 1;
  let freeCount = 0;
  for (let c = 0; c < m; c++) if (role[c] === 0) freeCount++;
  const p = Math.min(options.newSites, freeCount);

  const lambda = options.initialMultipliers ? Float64Array.from(options.initialMultipliers) : initialMultipliers(instance);
  const best = Float64Array.from(lambda);
  const rho = new Float64Array(m);
  const bestRho = new Float64Array(m);
  const inSolution = new Uint8Array(m);
  const freeRho = new Float64Array(freeCount);
  const subgradient = new Float64Array(n);
  const relaxedSites = new Uint32Array(p);
  const bestSites = new Uint32Array(p);
  let bestBound = -Infinity;
  let theta = 2;
  let sinceImprovement = 0;
  let iterations = 0;

  while (iterations < maxIterations && theta > 1e-6) {
    if ((iterations & 15) === 0 && nowMs() > deadline) break;
    iterations++;
    rho.fill(0);
    let bound = 0;
    for (let u = 0; u < n; u++) {
      const w = weightByDemand[u]!;
      if (w === 0) continue;
      const l = lambda[u]!;
      bound += l;
      const toUnserved = w * unservedCost - l;
      if (toUnserved < 0) bound += toUnserved;
      for (let k = lists.offsets[u]!, end = lists.offsets[u + 1]!; k < end; k++) {
        const reduced = w * lists.cost[k]! - l;
        if (reduced >= 0) break;
        rho[lists.candidateIndex[k]!]! += reduced;
      }
    }
    // The p free sites with the most negative ρ (ties: lower index), plus every fixed site.
    inSolution.fill(0);
    let f = 0;
    for (let c = 0; c < m; c++) {
      if (role[c] === 1) {
        inSolution[c] = 1;
        bound += rho[c]!;
      } else if (role[c] === 0) freeRho[f++] = rho[c]!;
    }
    if (p > 0) {
      const sorted = freeRho.slice().sort();
      const threshold = sorted[p - 1]!;
      let taken = 0;
      // Every site below the p-th smallest rho, then ties at it, up to p.
      for (let pass = 0; pass < 2; pass++) {
        for (let c = 0; c < m && taken < p; c++) {
          if (role[c] !== 0 || (pass === 0 ? !(rho[c]! < threshold) : rho[c] !== threshold)) continue;
          inSolution[c] = 1;
          relaxedSites[taken++] = c;
          bound += rho[c]!;
        }
      }
    }
    if (bestBound === -Infinity || bound > bestBound + 1e-12 * Math.max(1, Math.abs(bestBound))) {
      bestBound = bound;
      best.set(lambda);
      bestRho.set(rho);
      bestSites.set(relaxedSites);
      sinceImprovement = 0;
    } else if (++sinceImprovement >= patience) {
      theta /= 2;
      sinceImprovement = 0;
    }
    if (bestBound >= provenAt) break;
    // Subgradient: 1 − number of (relaxed) assignments of u.
    let norm = 0;
    for (let u = 0; u < n; u++) {
      const w = weightByDemand[u]!;
      if (w === 0) {
        subgradient[u] = 0;
        continue;
      }
      const l = lambda[u]!;
      let assigned = w * unservedCost - l < 0 ? 1 : 0;
      for (let k = lists.offsets[u]!, end = lists.offsets[u + 1]!; k < end; k++) {
        if (w * lists.cost[k]! - l >= 0) break;
        if (inSolution[lists.candidateIndex[k]!]) assigned++;
      }
      const g = 1 - assigned;
      subgradient[u] = g;
      norm += g * g;
    }
    if (norm === 0) break; // The relaxed solution is feasible, so optimal for the relaxation.
    const step = (theta * Math.max(upperBound - bound, 1e-9 * Math.max(1, Math.abs(upperBound)))) / norm;
    for (let u = 0; u < n; u++) {
      const next = lambda[u]! + step * subgradient[u]!;
      lambda[u] = next > 0 ? next : 0;
    }
  }
  if (bestBound === -Infinity) bestBound = 0;
  return {
    lowerBound: bestBound,
    multipliers: best,
    siteReducedCost: bestRho,
    relaxedSites: bestSites.slice(0, p),
    iterations,
    provedOptimal: bestBound >= provenAt,
  };
}

/** λ_u = w_u · (cost to u's second-nearest candidate, capped by the unserved cost): a standard start. */
function initialMultipliers(instance: FacilityInstance): Float64Array {
  const { lists, weightByDemand, unservedCost } = instance;
  const lambda = new Float64Array(lists.demandCount);
  for (let u = 0; u < lists.demandCount; u++) {
    const start = lists.offsets[u]!;
    const end = lists.offsets[u + 1]!;
    const second = end - start >= 2 ? lists.cost[start + 1]! : end > start ? lists.cost[start]! : unservedCost;
    lambda[u] = weightByDemand[u]! * Math.min(second, unservedCost);
  }
  return lambda;
}
