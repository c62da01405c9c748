// Set covering to a target rate (LSCP, Toregas et al. 1971, generalised to a share of the weight): the
// fewest new sites covering targetRate of the weight; lazy greedy to the target and swap trials for the
// answer, the online submodular bound per greedy checkpoint or HiGHS (LP relaxation, MIP) for the bound.

import { FacilityAssignment, type FacilityInstance } from './facility-assignment';
import { greedyOpen } from './greedy-open';
import { groupCoverage, solveCoverMip } from './highs-models';
import { neighbourhoodSearch } from './neighbourhood-search';
import {
  budgetOf,
  choosableMask,
  coverInstance,
  fixedOf,
  gainsOf,
  orderByMarginalGain,
  relativeGap,
  seededRandom,
  useExact,
  type SitingMethod,
  type SitingOptions,
  type SitingProblem,
  type SitingSolution,
} from './siting-problem';
import { swapImprove } from './swap-improve';

/** One objective of solve-siting.ts: the number of new sites reaching the target. */
export function solveSetCovering(problem: SitingProblem, options: SitingOptions, method: SitingMethod): Omit<SitingSolution, 'elapsedMs' | 'engine'> {
  const budget = budgetOf(options, method === 'exact' ? 60 : 2);
  const fixed = fixedOf(problem);
  const choosable = choosableMask(problem, fixed);
  const instance = coverInstance(problem, fixed);
  const total = instance.totalWeight;
  const tolerance = 1e-9 * Math.max(1, total);
  const required = problem.targetRate! * total;
  const assignment = new FacilityAssignment(instance);
  const baseCovered = total - assignment.objective;
  const base = { objective: 'lscp' as const, baseline: 0, totalWeight: total };
  if (baseCovered >= required - tolerance) {
    return { ...base, sites: [], marginalGains: [], value: 0, bound: 0, gap: 0, provedOptimal: true, feasible: true, coveredWeight: baseCovered, solver: 'fixed sites suffice', boundSource: 'trivial' };
  }
  // Greedy to the target (it also tells whether the target is reachable at all).
  const greedy = greedyOpen(assignment, { maxSites: problem.costs.candidateCount, targetObjective: total - required + tolerance, allowed: choosable });
  if (total - assignment.objective < required - tolerance) {
    const ordered = orderByMarginalGain(instance, assignment.chosen);
    return {
      ...base,
      sites: ordered.sites,
      marginalGains: ordered.gains,
      value: ordered.sites.length,
      bound: ordered.sites.length,
      gap: 0,
      provedOptimal: false,
      feasible: false,
      coveredWeight: total - assignment.objective,
      solver: 'lazy greedy (target unreachable: every useful candidate opened)',
      boundSource: 'none',
    };
  }
  let sites = assignment.chosen.slice();
  const solverParts = ['lazy greedy'];
  // Lower bound: k sites cannot reach the target if even an upper bound on their coverage falls short.
  let bound = coveringLowerBound(instance, choosable, greedy.sites, required, tolerance);
  let boundSource = 'online submodular bound';
  let solver = solverParts.join(' + ');
  const groups = sites.length > bound && options.highs && method !== 'heuristic' ? groupCoverage(instance.rows, problem.weightByDemand, fixed, choosable) : null;
  const exact = groups !== null && useExact(method, options.highs, groups.groupCandidates.length + 2 * groups.groupCount, options, budget);
  const requiredOfGroups = groups ? required - groups.fixedCoveredWeight - tolerance : 0;
  if (exact && groups) {
    // The LP relaxation's ceiling is a lower bound on the number of sites.
    const lp = solveCoverMip(options.highs!, groups, problem.costs.candidateCount, {
      mode: 'min-sites',
      requiredWeight: requiredOfGroups,
      relaxation: true,
      timeLimitSeconds: Math.max(0.1, budget.remainingMs() / 1000),
    });
    if (lp.status === 'optimal' && Math.ceil(lp.objective - 1e-6) > bound) {
      bound = Math.ceil(lp.objective - 1e-6);
      boundSource = 'LP relaxation (HiGHS)';
    }
  }
  if (sites.length > bound && exact && groups && budget.remainingMs() > 0) {
    const mip = solveCoverMip(options.highs!, groups, problem.costs.candidateCount, {
      mode: 'min-sites',
      requiredWeight: requiredOfGroups,
      start: sites,
      timeLimitSeconds: Math.max(0.1, budget.remainingMs() / 1000),
    });
    if (Number.isFinite(mip.objective) && Math.round(mip.objective) < sites.length) {
      sites = mip.sites;
      solver = 'HiGHS MIP';
    }
    if (Number.isFinite(mip.bound) && Math.ceil(mip.bound - 1e-6) > bound) {
      bound = Math.ceil(mip.bound - 1e-6);
      boundSource = 'HiGHS MIP dual bound';
    }
    if (mip.status === 'optimal') {
      bound = sites.length;
      boundSource = 'HiGHS MIP (optimal)';
      if (solver !== 'HiGHS MIP') solver += ', proven optimal by HiGHS MIP';
    }
  } else if (sites.length > bound) {
    // Without the MIP: try one site fewer with swaps (a few times, within the budget).
    for (let trials = 0; trials < 3 && sites.length > bound && budget.remainingMs() > 0; trials++) {
      const trial = new FacilityAssignment(instance);
      greedyOpen(trial, { maxSites: sites.length - 1, allowed: choosable });
      swapImprove(trial, { allowed: choosable, nowMs: budget.nowMs, timeBudgetMs: budget.remainingMs() * 0.3 });
      if (total - trial.objective < required - tolerance) {
        neighbourhoodSearch(trial, {
          random: options.random ?? seededRandom(1),
          timeBudgetMs: Math.min(budget.remainingMs() * 0.3, 500),
          nowMs: budget.nowMs,
          allowed: choosable,
          stopAt: total - required + tolerance,
        });
      }
      if (total - trial.objective < required - tolerance) break;
      sites = trial.chosen.slice();
      solver = 'lazy greedy + swap search';
    }
  }
  const provedOptimal = sites.length <= bound;
  const ordered = orderByMarginalGain(instance, sites);
  const check = new FacilityAssignment(instance);
  check.setChosen(sites);
  return {
    ...base,
    sites: ordered.sites,
    marginalGains: ordered.gains,
    value: sites.length,
    bound: Math.min(bound, sites.length),
    gap: relativeGap(sites.length, Math.min(bound, sites.length)),
    provedOptimal,
    feasible: true,
    coveredWeight: total - check.objective,
    solver,
    boundSource,
  };
}

/**
 * Fewest sites that could reach `required` covered weight: for checkpoints S_j along the greedy,
 * OPT_k ≤ f(S_j) + Σ of the k largest gains w.r.t. S_j, so k sites are too few if that falls short.
 */
function coveringLowerBound(instance: FacilityInstance, choosable: Uint8Array, greedySites: number[], required: number, tolerance: number): number {
  const total = instance.totalWeight;
  const assignment = new FacilityAssignment(instance);
  const checkpoints = new Set<number>([0]);
  for (let j = 1; j < greedySites.length; j *= 2) checkpoints.add(j);
  for (let j = 0; j < greedySites.length; j += Math.max(1, Math.floor(greedySites.length / 16))) checkpoints.add(j);
  let best = 1;
  let opened = 0;
  for (const j of [...checkpoints].sort((a, b) => a - b)) {
    while (opened < j) assignment.openSite(greedySites[opened++]!);
    const covered = total - assignment.objective;
    if (covered >= required - tolerance) break;
    const gains = gainsOf(assignment, choosable).sort();
    let sum = covered;
    let k = 0;
    for (let t = gains.length - 1; t >= 0 && sum < required - tolerance; t--) {
      sum += gains[t]!;
      k++;
    }
    if (sum < required - tolerance) k = Infinity;
    if (k > best) best = k;
  }
  return Number.isFinite(best) ? best : greedySites.length;
}
