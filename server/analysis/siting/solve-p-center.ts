// The p-center (Hakimi 1965) as a binary search over the radius: p sites can serve everyone within r
// if a covering problem at r needs at most p sites — greedy and swaps for the answer, the online bound
// and the covering LP per radius for the lower bound, the covering MIP per radius when exact.

import { coverageCosts } from './candidate-costs';
import { FacilityAssignment } from './facility-assignment';
import { greedyOpen } from './greedy-open';
import { groupCoverage, solveCoverMip, type CoverGroups } from './highs-models';
import {
  budgetOf,
  choosableMask,
  countOnes,
  coverInstance,
  fixedOf,
  gainsOf,
  medianInstance,
  orderByMarginalGain,
  relativeGap,
  topSum,
  unservedWeight,
  useExact,
  type SitingMethod,
  type SitingOptions,
  type SitingProblem,
  type SitingSolution,
} from './siting-problem';
import { swapImprove } from './swap-improve';

/** One objective of solve-siting.ts: the largest cost from a demand point of positive weight to its nearest open site. */
export function solvePCenter(problem: SitingProblem, options: SitingOptions, method: SitingMethod): Omit<SitingSolution, 'elapsedMs' | 'engine'> {
  const budget = budgetOf(options, method === 'exact' ? 60 : 2);
  const fixed = fixedOf(problem);
  const choosable = choosableMask(problem, fixed);
  const p = Math.min(problem.newSites!, countOnes(choosable));
  const { instance: median, complete } = medianInstance(problem, fixed);
  const horizon = median.unservedCost;
  // Every demand point of positive weight counts once.
  const unit = new Float64Array(problem.costs.demandCount);
  let demandCount = 0;
  for (let u = 0; u < unit.length; u++) {
    if (problem.weightByDemand[u]! > 0) {
      unit[u] = 1;
      demandCount++;
    }
  }
  // Candidate radii: every distinct cost below the horizon, then the horizon.
  const radii = Float64Array.from(problem.costs.cost).sort();
  let distinct = 0;
  for (let k = 0; k < radii.length; k++) if (radii[k]! < horizon && (distinct === 0 || radii[k] !== radii[distinct - 1])) radii[distinct++] = radii[k]!;
  const levels = Float64Array.from(radii.subarray(0, distinct));
  const levelCount = complete ? levels.length : levels.length + 1;
  const radiusAt = (level: number) => (level < levels.length ? levels[level]! : horizon);

  const baseAssignment = new FacilityAssignment(median);
  const baseline = maxCost(baseAssignment, problem.weightByDemand);
  const feasibleAt = new Map<number, number[] | null>();
  /** Heuristic test: can p sites cover every demand point within level's radius? Returns the sites or null. */
  const tryLevel = (level: number): number[] | null => {
    if (feasibleAt.has(level)) return feasibleAt.get(level)!;
    let sites: number[] | null = null;
    if (level >= levels.length) sites = [];
    else {
      const cover = coverInstance({ ...problem, radius: levels[level]! }, fixed, unit);
      const assignment = new FacilityAssignment(cover);
      greedyOpen(assignment, { maxSites: p, targetObjective: 0.5, allowed: choosable });
      if (assignment.objective > 0.5) swapImprove(assignment, { allowed: choosable, nowMs: budget.nowMs, timeBudgetMs: budget.remainingMs() * 0.05 });
      if (assignment.objective < 0.5) sites = assignment.chosen.slice();
    }
    feasibleAt.set(level, sites);
    return sites;
  };
  // Smallest level the heuristic covers (binary search; the top level always works unless complete).
  let lo = 0;
  let hi = levelCount - 1;
  if (complete && tryLevel(hi) === null) {
    return {
      objective: 'pcenter',
      sites: [],
      marginalGains: [],
      value: Infinity,
      baseline,
      bound: Infinity,
      gap: 0,
      provedOptimal: false,
      feasible: false,
      coveredWeight: 0,
      totalWeight: median.totalWeight,
      solver: 'greedy cover',
      boundSource: 'none',
    };
  }
  // Stopped by the budget, the smallest level found feasible so far stands (hi always is one).
  while (lo < hi && budget.remainingMs() > 0) {
    const mid = (lo + hi) >>> 1;
    if (tryLevel(mid) !== null) hi = mid;
    else lo = mid + 1;
  }
  let bestLevel = hi;
  let sites = tryLevel(hi)!;
  let solver = 'binary search on the radius with greedy + swap covering';
  // Lower bound: the smallest level not proven infeasible (proofs shrink with the radius: monotone).
  const groupsAt = (level: number) => groupCoverage(coverageCosts(problem.costs, levels[level]!), unit, fixed, choosable);
  /**
   * True when no p sites can cover every demand point within the level's radius: the online bound
   * falls short, some point has no candidate in reach, or (with HiGHS) the covering LP (useMip false)
   * or MIP (useMip true) needs more than p sites. A MIP that finds p sites records them.
   */
  const provenInfeasible = (level: number, useMip: boolean): boolean => {
    if (level >= levels.length) return false;
    const cover = coverInstance({ ...problem, radius: levels[level]! }, fixed, unit);
    const assignment = new FacilityAssignment(cover);
    const gains = gainsOf(assignment, choosable);
    if (demandCount - assignment.objective + topSum(gains, p) < demandCount - 0.5) return true;
    const groups = groupsAt(level);
    if (groups.uncoverableWeight > 0) return true;
    if (!exact || !options.highs) return false;
    const mip = solveCoverMip(options.highs, groups, problem.costs.candidateCount, {
      mode: 'min-sites',
      requiredWeight: groups.weightByGroup.reduce((sum, w) => sum + w, 0) - 0.5,
      relaxation: !useMip,
      timeLimitSeconds: Math.max(0.1, budget.remainingMs() / 1000 / 4),
    });
    if (useMip) {
      if (mip.status === 'optimal') {
        if (Math.round(mip.objective) <= p) {
          feasibleAt.set(level, mip.sites);
          return false;
        }
        return true;
      }
      if (mip.status === 'infeasible') return true;
      return Number.isFinite(mip.bound) && Math.ceil(mip.bound - 1e-6) > p;
    }
    return mip.status === 'optimal' && Math.ceil(mip.objective - 1e-6) > p;
  };
  // The largest covering model this search would hand to HiGHS (at the heuristic radius).
  const exactNonzeros = bestLevel < levels.length && options.highs ? nonzerosOf(groupsAt(bestLevel)) : 0;
  const exact = bestLevel > 0 && useExact(method, options.highs, exactNonzeros, options, budget);
  let a = 0;
  let b = bestLevel;
  // Stopped by the budget, every level below `a` is still proven infeasible: `a` stays a valid bound.
  while (a < b && budget.remainingMs() > 0) {
    const mid = (a + b) >>> 1;
    if (provenInfeasible(mid, false)) a = mid + 1;
    else b = mid;
  }
  let boundLevel = a;
  let boundSource = exact ? 'LP relaxation of set covering per radius (HiGHS)' : 'online submodular bound per radius';
  if (exact && boundLevel < bestLevel) {
    // Binary search with the exact set-covering MIP between the bound and the heuristic radius.
    b = bestLevel;
    while (a < b && budget.remainingMs() > 0) {
      const mid = (a + b) >>> 1;
      if (provenInfeasible(mid, true)) a = mid + 1;
      else {
        b = mid;
        const found = feasibleAt.get(mid);
        if (found && mid < bestLevel) {
          sites = found;
          bestLevel = mid;
          solver = 'binary search on the radius with the HiGHS set-covering MIP';
        }
      }
    }
    boundLevel = a;
    boundSource = 'HiGHS set-covering MIP per radius';
  }
  // Fill unused budget with sites that lower the weighted cost (they cannot raise the maximum).
  const final = new FacilityAssignment(median);
  final.setChosen(sites);
  if (sites.length < p) greedyOpen(final, { maxSites: p - sites.length, allowed: choosable });
  sites = final.chosen.slice();
  const value = maxCost(final, problem.weightByDemand);
  const bound = Math.min(radiusAt(boundLevel), value);
  const ordered = orderByMarginalGain(median, sites);
  return {
    objective: 'pcenter',
    sites: ordered.sites,
    marginalGains: ordered.gains,
    value,
    baseline,
    bound,
    gap: relativeGap(value, bound),
    provedOptimal: relativeGap(value, bound) === 0,
    feasible: !complete || value < horizon,
    coveredWeight: median.totalWeight - unservedWeight(final),
    totalWeight: median.totalWeight,
    solver,
    boundSource,
  };
}

/** Nonzeros of the covering model HiGHS would get for these groups. */
function nonzerosOf(groups: CoverGroups): number {
  return groups.groupCandidates.length + 2 * groups.groupCount;
}

/** Largest nearest-site cost over demand points of positive weight. */
function maxCost(assignment: FacilityAssignment, weights: Float64Array): number {
  let max = 0;
  for (let u = 0; u < weights.length; u++) if (weights[u]! > 0 && assignment.nearestCost[u]! > max) max = assignment.nearestCost[u]!;
  return max;
}
