// The p-median (Hakimi 1964; ReVelle & Swain 1970), truncated at an unserved cost for sparse costs:
// lazy greedy, swap and neighbourhood search for the answer; the Lagrangian relaxation for the bound,
// and, when it leaves a gap, HiGHS branch-and-cut on the model reduced by Lagrangian reduced costs.

import { FacilityAssignment, type FacilityInstance } from './facility-assignment';
import { greedyOpen } from './greedy-open';
import { solveFacilityMip, type MipResult } from './highs-models';
import { lagrangianBound, type LagrangianResult } from './lagrangian-bound';
import { neighbourhoodSearch } from './neighbourhood-search';
import {
  budgetOf,
  choosableMask,
  countOnes,
  fixedOf,
  isIntegral,
  medianInstance,
  orderByMarginalGain,
  relativeGap,
  seededRandom,
  unservedWeight,
  useExact,
  type SitingMethod,
  type SitingOptions,
  type SitingProblem,
  type SitingSolution,
} from './siting-problem';
import { swapImprove } from './swap-improve';

/** One objective of solve-siting.ts: Σ weight · cost to the nearest open site (or the unserved cost). */
export function solvePMedian(problem: SitingProblem, options: SitingOptions, method: SitingMethod): Omit<SitingSolution, 'elapsedMs' | 'engine'> {
  const budget = budgetOf(options, method === 'exact' ? 60 : 2);
  const fixed = fixedOf(problem);
  const choosable = choosableMask(problem, fixed);
  const { instance, complete } = medianInstance(problem, fixed);
  const total = instance.totalWeight;
  const p = Math.min(problem.newSites!, countOnes(choosable));
  const assignment = new FacilityAssignment(instance);
  const baseline = assignment.objective;
  greedyOpen(assignment, { maxSites: p, allowed: choosable });
  swapImprove(assignment, { allowed: choosable, nowMs: budget.nowMs, timeBudgetMs: budget.remainingMs() * 0.2 });
  const solverParts = ['lazy greedy', 'swap search'];
  const integral = isIntegral(problem.costs, problem.weightByDemand, instance.unservedCost);
  const proved = (lowerBound: number, upperBound: number) =>
    integral ? Math.ceil(lowerBound - 1e-7) >= Math.round(upperBound) : lowerBound >= upperBound - 1e-9 * Math.max(1, Math.abs(upperBound));

  let lagrangian: LagrangianResult | null = null;
  let bound: number;
  let boundSource: string;
  if (p > 0) {
    lagrangian = lagrangianBound(instance, {
      newSites: p,
      upperBound: assignment.objective,
      integral,
      allowed: choosable,
      nowMs: budget.nowMs,
      timeBudgetMs: budget.remainingMs() * (method === 'heuristic' ? 0.4 : 0.2),
    });
    bound = lagrangian.lowerBound;
    boundSource = 'Lagrangian relaxation';
  } else {
    bound = assignment.objective;
    boundSource = 'no sites to choose';
  }
  if (!proved(bound, assignment.objective) && p > 0) {
    // The relaxation's own sites, repaired by swaps, are often a better start than the greedy's.
    const trial = new FacilityAssignment(instance);
    trial.setChosen(lagrangian!.relaxedSites);
    swapImprove(trial, { allowed: choosable, nowMs: budget.nowMs, timeBudgetMs: budget.remainingMs() * 0.1 });
    if (trial.objective < assignment.objective - 1e-9) assignment.setChosen(trial.chosen);
    const search = neighbourhoodSearch(assignment, {
      random: options.random ?? seededRandom(1),
      timeBudgetMs: budget.remainingMs() * (method === 'heuristic' ? 0.6 : 0.3),
      nowMs: budget.nowMs,
      allowed: choosable,
      stopAt: integral ? Math.ceil(bound - 1e-7) : bound,
    });
    if (search.rounds > 0) solverParts.push('neighbourhood search');
    if (!proved(bound, assignment.objective)) {
      // A better upper bound sharpens the subgradient steps: continue from the best multipliers.
      const again = lagrangianBound(instance, {
        newSites: p,
        upperBound: assignment.objective,
        integral,
        allowed: choosable,
        initialMultipliers: lagrangian!.multipliers,
        nowMs: budget.nowMs,
        timeBudgetMs: budget.remainingMs() * 0.3,
      });
      if (again.lowerBound > bound) {
        lagrangian = again;
        bound = again.lowerBound;
      }
    }
  }
  let value = assignment.objective;
  let sites = assignment.chosen.slice();
  let solver = solverParts.join(' + ');
  let provedOptimal = proved(bound, value);
  if (!provedOptimal && lagrangian && budget.remainingMs() > 0) {
    const reduced = reduceByReducedCosts(instance, lagrangian, choosable, p, value, integral);
    if (useExact(method, options.highs, reduced.keptEntries * 2, options, budget)) {
      const mip = solveFacilityMip(options.highs!, instance, {
        newSites: p,
        allowed: reduced.allowed,
        forcedOpen: reduced.forcedOpen,
        keepEntry: reduced.keepEntry,
        start: sites,
        timeLimitSeconds: Math.max(0.1, budget.remainingMs() / 1000),
      });
      if (Number.isFinite(mip.objective) && mip.objective < value - 1e-9 * Math.max(1, value)) {
        const check = new FacilityAssignment(instance);
        check.setChosen(mip.sites);
        sites = check.chosen.slice();
        value = check.objective;
        solver = 'HiGHS MIP (after Lagrangian reduction)';
      }
      // The reduced model keeps every solution better than the incumbent, so its bound is the problem's.
      const mipBound = mipLowerBound(mip, value);
      if (mipBound > bound) {
        bound = mipBound;
        boundSource = 'HiGHS MIP on the Lagrangian-reduced model';
      }
      provedOptimal = mip.status === 'optimal' || proved(bound, value);
      if (provedOptimal) {
        bound = Math.max(bound, value);
        if (!solver.startsWith('HiGHS')) solver += ', proven optimal by HiGHS MIP';
      }
    }
  }
  if (provedOptimal) bound = value;
  const check = new FacilityAssignment(instance);
  check.setChosen(sites);
  const unserved = unservedWeight(check);
  const ordered = orderByMarginalGain(instance, sites);
  return {
    objective: 'pmedian',
    sites: ordered.sites,
    marginalGains: ordered.gains,
    value: check.objective,
    baseline: complete && unservedWeight(new FacilityAssignment(instance)) > 0 ? Infinity : baseline,
    bound: Math.min(bound, check.objective),
    gap: relativeGap(check.objective, Math.min(bound, check.objective)),
    provedOptimal,
    feasible: !complete || unserved === 0,
    coveredWeight: total - unserved,
    totalWeight: total,
    solver,
    boundSource,
  };
}

function mipLowerBound(mip: MipResult, incumbent: number): number {
  if (mip.status === 'optimal') return Math.min(mip.objective, incumbent);
  // Infeasible reduced model: nothing beats the incumbent.
  if (mip.status === 'infeasible') return incumbent;
  return Number.isFinite(mip.bound) ? Math.min(mip.bound, incumbent) : -Infinity;
}

/**
 * Lagrangian reduced-cost fixing (Beasley 1993): a site whose forced opening (or closing) lifts the
 * bound above the incumbent is closed (or open) in every better solution; an assignment pair whose
 * forced use does so is dropped.
 */
function reduceByReducedCosts(
  instance: FacilityInstance,
  lagrangian: LagrangianResult,
  choosable: Uint8Array,
  p: number,
  incumbent: number,
  integral: boolean,
): { allowed: Uint8Array; forcedOpen: number[]; keepEntry: Uint8Array; keptEntries: number } {
  const { rows, weightByDemand } = instance;
  const m = rows.candidateCount;
  const rho = lagrangian.siteReducedCost;
  const lambda = lagrangian.multipliers;
  const L = lagrangian.lowerBound;
  const threshold = integral ? incumbent - 1 + 1e-7 : incumbent + 1e-9 * Math.max(1, Math.abs(incumbent));
  const free: number[] = [];
  for (let c = 0; c < m; c++) if (choosable[c]) free.push(rho[c]!);
  const sorted = Float64Array.from(free).sort();
  const pth = p > 0 ? sorted[p - 1]! : 0;
  const next = p < sorted.length ? sorted[p]! : Infinity;
  const inRelaxed = new Uint8Array(m);
  for (const c of lagrangian.relaxedSites) inRelaxed[c] = 1;
  const allowed = new Uint8Array(m);
  const forcedOpen: number[] = [];
  const keepEntry = new Uint8Array(rows.demandIndex.length);
  let keptEntries = 0;
  for (let c = 0; c < m; c++) {
    const isFixed = !choosable[c] && instance.fixed.includes(c);
    if (!choosable[c] && !isFixed) continue;
    let openPenalty = 0;
    if (choosable[c]) {
      openPenalty = inRelaxed[c] ? 0 : rho[c]! - pth;
      if (L + openPenalty > threshold) continue;
      allowed[c] = 1;
      if (inRelaxed[c] && L - rho[c]! + next > threshold) forcedOpen.push(c);
    }
    for (let k = rows.offsets[c]!, end = rows.offsets[c + 1]!; k < end; k++) {
      const u = rows.demandIndex[k]!;
      const reduced = weightByDemand[u]! * rows.cost[k]! - lambda[u]!;
      if (L + openPenalty + (reduced > 0 ? reduced : 0) > threshold) continue;
      keepEntry[k] = 1;
      keptEntries++;
    }
  }
  return { allowed, forcedOpen: forcedOpen.length <= p ? forcedOpen : [], keepEntry, keptEntries };
}
