// The siting problem as the solvers share it: the four objectives, inputs, options and answer, the time
// budget, and the helpers every solver uses (choosable masks, relative gaps, greedy ordering of the
// chosen sites, the covering and truncated p-median instances built from the sparse costs).

import type { Highs } from 'highs';
import { coverageCosts, maxEntryCost, type CandidateCosts } from './candidate-costs';
import { createFacilityInstance, FacilityAssignment, SITE_CLOSED, type FacilityInstance } from './facility-assignment';
import { greedyOpen } from './greedy-open';
import type { CoverGroups, CoverMipOptions, MipResult } from './highs-models';

import type { SitingObjective } from '../../domain/siting';

export { SITING_OBJECTIVES, type SitingObjective } from '../../domain/siting';
export type SitingMethod = 'auto' | 'heuristic' | 'exact';

/**
 * What carries the answer's bound (and so proved it optimal, when it did): a native CBC process, HiGHS in
 * WebAssembly, or the heuristics' own bounds (greedy guarantee, online submodular, Lagrangian, reduction).
 */
export type SitingEngine = 'cbc' | 'highs-wasm' | 'heuristic-bound';

/** A branch-and-cut engine for the merged covering model, passed in (a native process lives outside analysis/). */
export interface CoverMipSolver {
  engine: Exclude<SitingEngine, 'heuristic-bound'>;
  /** Same contract as {@link solveCoverMip} in highs-models.ts. */
  solve(groups: CoverGroups, candidateCount: number, options: CoverMipOptions): MipResult;
}

export interface SitingProblem {
  objective: SitingObjective;
  /** Candidate-major costs (rows sorted by cost); absent pairs cannot serve. */
  costs: CandidateCosts;
  /** Demand weight (population) per demand point. */
  weightByDemand: Float64Array;
  /** Candidates open in every solution (existing facilities). */
  fixed?: ArrayLike<number>;
  /** Candidates that may be chosen (default: every non-fixed candidate). */
  allowed?: Uint8Array;
  /** mclp, lscp: a demand point is covered when some open site's cost to it is ≤ radius (same unit as the costs). */
  radius?: number;
  /** mclp, pmedian, pcenter: new sites to open besides the fixed ones. */
  newSites?: number;
  /** lscp: share of the total weight to cover, in (0, 1]. */
  targetRate?: number;
  /**
   * pmedian, pcenter: cost of a demand point no open site serves (the horizon of sparse costs).
   * Infinity (default): every demand point must be served, as with a complete cost matrix.
   */
  unservedCost?: number;
}

export interface SitingOptions {
  /**
   * 'heuristic': greedy, swaps and a short neighbourhood search, with cheap bounds (online submodular,
   * Lagrangian); 'exact': also HiGHS (MIP), within the time limit; 'auto': exact when the model is small.
   */
  method?: SitingMethod;
  /** The HiGHS runtime (required for 'exact', used by 'auto' when given). */
  highs?: Highs;
  /** Budget for the whole solve; default 2 s (heuristic, auto) or 60 s (exact). */
  timeLimitSeconds?: number;
  /** Uniform in [0, 1) for the neighbourhood search (default a fixed-seed generator: reproducible). */
  random?: () => number;
  nowMs?: () => number;
  /** Largest model (nonzeros) 'auto' hands to HiGHS; default 400,000. */
  autoExactMaxNonzeros?: number;
  /**
   * mclp: the branch-and-cut engine for the reduced covering model (e.g. CBC as a process); default
   * HiGHS WebAssembly (`highs`). 'exact' needs this or `highs`.
   */
  coverSolver?: CoverMipSolver;
}

export interface SitingSolution {
  objective: SitingObjective;
  /** The new sites (candidate indices), ordered so each adds the most given those before it. */
  sites: number[];
  /**
   * What each site adds, in `sites` order, given the fixed sites and the sites before it:
   * mclp/lscp the newly covered weight, pmedian/pcenter the decrease of Σ weight · cost.
   */
  marginalGains: number[];
  /**
   * The objective: mclp the covered weight (fixed sites included), lscp the number of new sites,
   * pmedian Σ weight · cost, pcenter the largest cost to a demand point of positive weight.
   */
  value: number;
  /** The same with the fixed sites only (lscp: 0 sites). */
  baseline: number;
  /** Proven bound on the optimal value: upper for mclp, lower for the others. */
  bound: number;
  /** |value − bound| / |value| (0 when proven optimal; 0 when both are 0). */
  gap: number;
  /** mclp: (bound − value) / (value − baseline), the gap on what the new sites add (1 when they add nothing yet more might be possible). */
  gapOfGain?: number;
  provedOptimal: boolean;
  /** False when no solution meets the requirement (lscp target above what all candidates cover; pmedian/pcenter demand no site can serve). */
  feasible: boolean;
  /** mclp, lscp: weight within the radius of an open site (fixed included); pmedian/pcenter: weight served within the horizon. */
  coveredWeight: number;
  totalWeight: number;
  /** Which algorithms produced the solution and the bound. */
  solver: string;
  boundSource: string;
  /** The engine behind `bound` (the one that proved optimality when provedOptimal). */
  engine: SitingEngine;
  elapsedMs: number;
}

/** Model nonzeros HiGHS (WebAssembly, one thread) gets through per second of the budget, roughly. */
export const MIP_NONZEROS_PER_SECOND = 100_000;

/** Time left for a solve (ms), by the clock in the options. */
export interface Budget {
  nowMs: () => number;
  deadline: number;
  remainingMs(): number;
}

/** The solve's clock and deadline. */
export function budgetOf(options: SitingOptions, defaultSeconds: number): Budget {
  const nowMs = options.nowMs ?? (() => performance.now());
  const deadline = nowMs() + 1000 * (options.timeLimitSeconds ?? defaultSeconds);
  return { nowMs, deadline, remainingMs: () => Math.max(0, deadline - nowMs()) };
}

/** A small seeded generator (mulberry32) so default runs are reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The fixed sites as indices. */
export function fixedOf(problem: SitingProblem): Uint32Array {
  return Uint32Array.from(problem.fixed ?? []);
}

/** Allowed ∧ not fixed, as a mask. */
export function choosableMask(problem: SitingProblem, fixed: Uint32Array): Uint8Array {
  const mask = new Uint8Array(problem.costs.candidateCount).fill(1);
  if (problem.allowed) mask.set(problem.allowed);
  for (const c of fixed) mask[c] = 0;
  return mask;
}

/** Number of set entries of a mask. */
export function countOnes(mask: Uint8Array): number {
  let count = 0;
  for (let c = 0; c < mask.length; c++) count += mask[c]! ? 1 : 0;
  return count;
}

/** |value − bound| / |value|, 0 within rounding. */
export function relativeGap(value: number, bound: number): number {
  const difference = Math.abs(value - bound);
  if (difference <= 1e-9 * Math.max(1, Math.abs(value))) return 0;
  return difference / Math.max(Math.abs(value), 1e-12);
}

/** Σ of the `count` largest values. */
export function topSum(values: Float64Array, count: number): number {
  if (count <= 0) return 0;
  const sorted = values.slice().sort();
  let sum = 0;
  for (let k = sorted.length - 1, taken = 0; k >= 0 && taken < count; k--, taken++) sum += sorted[k]!;
  return sum;
}

/** Gain of opening each closed choosable candidate on top of the assignment (0 for the others). */
export function gainsOf(assignment: FacilityAssignment, choosable: Uint8Array): Float64Array {
  const gains = new Float64Array(choosable.length);
  for (let c = 0; c < choosable.length; c++) if (choosable[c] && assignment.open[c] === SITE_CLOSED) gains[c] = assignment.gainOf(c);
  return gains;
}

/**
 * Orders chosen sites greedily: each next one is the site adding the most given the fixed sites and
 * those before it. Returns the order and each site's gain (objective decrease).
 */
export function orderByMarginalGain(instance: FacilityInstance, sites: readonly number[]): { sites: number[]; gains: number[] } {
  const assignment = new FacilityAssignment(instance);
  const mask = new Uint8Array(instance.rows.candidateCount);
  for (const c of sites) mask[c] = 1;
  const greedy = greedyOpen(assignment, { maxSites: sites.length, allowed: mask });
  const order = greedy.sites.slice();
  const gains = greedy.gains.slice();
  // Sites that add nothing given the others go last, by index.
  for (const c of [...sites].sort((a, b) => a - b)) {
    if (!order.includes(c)) {
      order.push(c);
      gains.push(0);
    }
  }
  return { sites: order, gains };
}

/** Every cost, weight and the unserved cost are integers (bounds may then be rounded up). */
export function isIntegral(costs: CandidateCosts, weights: Float64Array, unservedCost: number): boolean {
  if (!Number.isInteger(unservedCost)) return false;
  for (let k = 0; k < costs.cost.length; k++) if (!Number.isInteger(costs.cost[k]!)) return false;
  for (let u = 0; u < weights.length; u++) if (!Number.isInteger(weights[u]!)) return false;
  return true;
}

/**
 * With integral weights the covered weight is an integer, so an upper bound rounds down; the slack
 * absorbs floating error in bounds summed over many terms (rounding a little high stays a valid bound).
 */
export function roundDownIfIntegral(bound: number, integral: boolean): number {
  return integral ? Math.floor(bound + 1e-7 * Math.max(1, Math.abs(bound))) : bound;
}

/** Whether to hand a model of this many nonzeros to HiGHS, given the method and the time left. */
export function useExact(method: SitingMethod, highs: Highs | undefined, nonzeros: number, options: SitingOptions, budget: Budget): highs is Highs {
  if (!highs) return false;
  // Large root LPs overrun their time limit: hand HiGHS only what it can start on in the time left.
  if (nonzeros > MIP_NONZEROS_PER_SECOND * (budget.remainingMs() / 1000)) return false;
  if (method === 'exact') return true;
  return method === 'auto' && nonzeros <= (options.autoExactMaxNonzeros ?? 400_000);
}

/** The covering instance at the problem's radius: cost 0 = covered, unserved cost 1. */
export function coverInstance(problem: SitingProblem, fixed: Uint32Array, weights = problem.weightByDemand): FacilityInstance {
  // Covered = cost 0, uncovered = unserved cost 1: the objective is the uncovered weight.
  return createFacilityInstance(coverageCosts(problem.costs, problem.radius!), weights, { unservedCost: 1, fixed });
}

/** The truncated p-median instance of the costs; `complete` when every demand point must be served. */
export function medianInstance(problem: SitingProblem, fixed: Uint32Array, weights = problem.weightByDemand): { instance: FacilityInstance; complete: boolean } {
  const horizon = problem.unservedCost ?? Infinity;
  const complete = !Number.isFinite(horizon);
  // A complete matrix gets a finite stand-in for "unserved" larger than any real assignment.
  const unservedCost = complete ? 2 * maxEntryCost(problem.costs) + 1 : horizon;
  return { instance: createFacilityInstance(problem.costs, weights, { unservedCost, fixed }), complete };
}

/** Weight whose nearest open site is "unserved" (none within the horizon). */
export function unservedWeight(assignment: FacilityAssignment): number {
  let weight = 0;
  for (let u = 0; u < assignment.nearest.length; u++) if (assignment.nearest[u]! < 0) weight += assignment.instance.weightByDemand[u]!;
  return weight;
}
