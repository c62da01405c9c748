// Maximal covering (MCLP; Church & ReVelle 1974) with fixed sites: lazy greedy, swap and neighbourhood
// search for the answer; greedy's 1 − 1/e guarantee, the online submodular bound, the Lagrangian
// relaxation or HiGHS (LP relaxation, then branch-and-cut on demand merged by covering set) for the bound.

import { FacilityAssignment } from './facility-assignment';
import { greedyOpen } from './greedy-open';
import { groupCoverage, solveCoverMip } from './highs-models';
import { lagrangianBound } from './lagrangian-bound';
import { neighbourhoodSearch } from './neighbourhood-search';
import {
  budgetOf,
  choosableMask,
  countOnes,
  coverInstance,
  fixedOf,
  gainsOf,
  isIntegral,
  orderByMarginalGain,
  relativeGap,
  seededRandom,
  topSum,
  useExact,
  type SitingMethod,
  type SitingOptions,
  type SitingProblem,
  type SitingSolution,
} from './siting-problem';
import { swapImprove } from './swap-improve';

/** One objective of solve-siting.ts: the covered weight (fixed sites included) with newSites more sites. */
export function solveMaximalCovering(problem: SitingProblem, options: SitingOptions, method: SitingMethod): Omit<SitingSolution, 'elapsedMs'> {
  const budget = budgetOf(options, method === 'exact' ? 60 : 2);
  const fixed = fixedOf(problem);
  const choosable = choosableMask(problem, fixed);
  const instance = coverInstance(problem, fixed);
  const total = instance.totalWeight;
  const p = Math.min(problem.newSites!, countOnes(choosable));
  const assignment = new FacilityAssignment(instance);
  const baseline = total - assignment.objective;
  greedyOpen(assignment, { maxSites: p, allowed: choosable });
  // The greedy guarantee (Nemhauser, Wolsey & Fisher 1978): its gain is at least 1 − 1/e of the best.
  const greedyBound = baseline + (total - assignment.objective - baseline) / (1 - 1 / Math.E);
  const solverParts = ['lazy greedy'];
  const swap = swapImprove(assignment, { allowed: choosable, nowMs: budget.nowMs, timeBudgetMs: budget.remainingMs() * 0.3 });
  if (swap.swaps > 0 || swap.scans > 0) solverParts.push('swap search');
  // Online bound (same authors): OPT ≤ f(S) + the p largest gains with respect to S.
  const gains = gainsOf(assignment, choosable);
  let bound = Math.min(total, total - assignment.objective + topSum(gains, p));
  let boundSource = 'online submodular bound';
  if (greedyBound < bound) {
    bound = greedyBound;
    boundSource = 'greedy 1 − 1/e guarantee';
  }
  if (assignment.objective > 0 && bound - (total - assignment.objective) > 1e-9 * total && p > 0) {
    const nsBudget = Math.min(budget.remainingMs() * 0.3, 1000);
    const search = neighbourhoodSearch(assignment, {
      random: options.random ?? seededRandom(1),
      timeBudgetMs: nsBudget,
      nowMs: budget.nowMs,
      allowed: choosable,
      stopAt: total - bound,
    });
    if (search.rounds > 0) solverParts.push('neighbourhood search');
  }
  let value = total - assignment.objective;
  let sites = assignment.chosen.slice();
  const isProved = () => bound - value <= 1e-9 * Math.max(1, total);
  let provedOptimal = isProved();
  let solver = solverParts.join(' + ');
  // With HiGHS and a model of reasonable size: LP relaxation (often tight), then branch-and-cut.
  const groups = !provedOptimal && p > 0 && options.highs && method !== 'heuristic' ? groupCoverage(instance.rows, problem.weightByDemand, fixed, choosable) : null;
  const exact = groups !== null && useExact(method, options.highs, groups.groupCandidates.length + groups.groupCount, options, budget);
  if (!provedOptimal && p > 0 && !exact) {
    const lagrangian = lagrangianBound(instance, {
      newSites: p,
      upperBound: assignment.objective,
      integral: isIntegral(instance.rows, instance.weightByDemand, 1),
      allowed: choosable,
      nowMs: budget.nowMs,
      timeBudgetMs: Math.min(budget.remainingMs() * 0.6, 3000),
      maxIterations: 600,
    });
    if (total - lagrangian.lowerBound < bound) {
      bound = total - lagrangian.lowerBound;
      boundSource = 'Lagrangian relaxation';
    }
    provedOptimal = isProved();
  }
  if (!provedOptimal && exact && groups) {
    const lp = solveCoverMip(options.highs!, groups, problem.costs.candidateCount, {
      mode: 'max-cover',
      newSites: p,
      relaxation: true,
      timeLimitSeconds: Math.max(0.1, budget.remainingMs() / 1000),
    });
    if (lp.status === 'optimal' && lp.objective + groups.fixedCoveredWeight < bound) {
      bound = Math.max(lp.objective + groups.fixedCoveredWeight, value);
      boundSource = 'LP relaxation (HiGHS)';
    }
    provedOptimal = isProved();
    if (provedOptimal) solver += ', proven optimal by the LP bound';
  }
  if (!provedOptimal && exact && groups && budget.remainingMs() > 0) {
    const mip = solveCoverMip(options.highs!, groups, problem.costs.candidateCount, {
      mode: 'max-cover',
      newSites: p,
      start: sites,
      timeLimitSeconds: Math.max(0.1, budget.remainingMs() / 1000),
    });
    const mipBound = mip.bound + groups.fixedCoveredWeight;
    if (Number.isFinite(mip.objective) && mip.objective + groups.fixedCoveredWeight > value + 1e-9 * total) {
      // Recount the MIP's sites exactly rather than trusting the solver's floating objective.
      const check = new FacilityAssignment(instance);
      check.setChosen(mip.sites);
      sites = check.chosen.slice();
      value = total - check.objective;
      solver = 'HiGHS MIP';
    }
    if (Number.isFinite(mipBound) && mipBound < bound) {
      bound = Math.max(mipBound, value);
      boundSource = 'HiGHS MIP dual bound';
    }
    if (mip.status === 'optimal') {
      bound = value;
      boundSource = 'HiGHS MIP (optimal)';
      if (solver !== 'HiGHS MIP') solver += ', proven optimal by HiGHS MIP';
    }
    provedOptimal = isProved();
  }
  if (provedOptimal) bound = value;
  const ordered = orderByMarginalGain(instance, sites);
  const gap = relativeGap(value, bound);
  return {
    objective: 'mclp',
    sites: ordered.sites,
    marginalGains: ordered.gains,
    value,
    baseline,
    bound,
    gap,
    // Nothing gained while more might be: a 100 % gap (JSON has no Infinity).
    gapOfGain: value - baseline > 0 ? Math.max(0, bound - value) / (value - baseline) : bound > value + 1e-9 ? 1 : 0,
    provedOptimal,
    feasible: true,
    coveredWeight: value,
    totalWeight: total,
    solver,
    boundSource,
  };
}
