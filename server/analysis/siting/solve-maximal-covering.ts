// Maximal covering (MCLP; Church & ReVelle 1974) with fixed sites: lazy greedy, swap and neighbourhood
// search for the answer; greedy's 1 − 1/e guarantee, the online submodular bound and the Lagrangian
// relaxation for the bound; for a proof, branch-and-cut (CBC or HiGHS, passed in) on the reduced model,
// started from the heuristic's sites.

import type { Highs } from 'highs';
import { FacilityAssignment, type FacilityInstance } from './facility-assignment';
import { greedyOpen } from './greedy-open';
import { groupCoverage, solveCoverMip } from './highs-models';
import { lagrangianBound } from './lagrangian-bound';
import { neighbourhoodSearch } from './neighbourhood-search';
import { coverGroupsInstance, fixByReducedCost, reduceCoverModel } from './reduce-cover-model';
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
  roundDownIfIntegral,
  seededRandom,
  topSum,
  useExact,
  type CoverMipSolver,
  type SitingEngine,
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
  const mipSolver = method === 'heuristic' ? undefined : (options.coverSolver ?? (options.highs ? highsCoverSolver(options.highs) : undefined));
  if (assignment.objective > 0 && bound - (total - assignment.objective) > 1e-9 * total && p > 0) {
    // With branch-and-cut to follow, a short search: the engine starts from it and improves it anyway.
    const nsBudget = Math.min(budget.remainingMs() * 0.3, mipSolver ? 100 : 1000);
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
  const integral = isIntegral(instance.rows, instance.weightByDemand, 1);
  bound = Math.max(value, roundDownIfIntegral(bound, integral));
  const isProved = () => bound - value <= 1e-9 * Math.max(1, total);
  let provedOptimal = isProved();
  let solver = solverParts.join(' + ');
  let engine: SitingEngine = 'heuristic-bound';
  if (!provedOptimal && p > 0 && !mipSolver) {
    const lagrangian = lagrangianBound(instance, {
      newSites: p,
      upperBound: assignment.objective,
      integral,
      allowed: choosable,
      nowMs: budget.nowMs,
      timeBudgetMs: Math.min(budget.remainingMs() * 0.6, 3000),
      maxIterations: 600,
    });
    const lagrangianCover = roundDownIfIntegral(total - lagrangian.lowerBound, integral);
    if (lagrangianCover < bound) {
      bound = Math.max(value, lagrangianCover);
      boundSource = 'Lagrangian relaxation';
    }
    provedOptimal = isProved();
  }
  if (!provedOptimal && p > 0 && mipSolver) {
    // The model the engines see: demand merged by covering set, fixed coverage taken out, dominated candidates dropped.
    const reduced = reduceCoverModel(groupCoverage(instance.rows, problem.weightByDemand, fixed, choosable), problem.costs.candidateCount);
    const { groups } = reduced;
    const groupsTotal = groups.weightByGroup.reduce((sum, w) => sum + w, 0);
    solver += `; model reduced to ${groups.groupCount} demand groups × ${reduced.keptCount} candidates`;
    // The heuristic's sites, each replaced by the kept candidate covering all it covers.
    const start = [...new Set(sites.map((c) => reduced.representativeOf[c]!).filter((c) => c >= 0))];
    if (reduced.keptCount <= p) {
      // Every useful candidate fits: opening them all is optimal.
      const all: number[] = [];
      for (let c = 0; c < reduced.representativeOf.length; c++) if (reduced.representativeOf[c] === c) all.push(c);
      value = coveredWith(instance, all);
      sites = all;
      bound = value;
      boundSource = 'model reduction (every useful candidate fits)';
    } else {
      // Representatives cover at least what the sites they replace did.
      const startValue = coveredWith(instance, start);
      if (startValue > value) {
        value = startValue;
        sites = start;
      }
      const lagrangian = lagrangianBound(coverGroupsInstance(groups, problem.costs.candidateCount), {
        newSites: p,
        upperBound: groupsTotal - (value - groups.fixedCoveredWeight),
        integral,
        // λ = w starts at "total − the p largest catchments", far above the zero start of λ = 0.
        initialMultipliers: groups.weightByGroup,
        nowMs: budget.nowMs,
        // A few hundred subgradient steps: enough to close most candidates; branch-and-cut does the rest.
        timeBudgetMs: Math.min(budget.remainingMs() * 0.3, 5000),
        maxIterations: 250,
      });
      const lagrangianCover = roundDownIfIntegral(groups.fixedCoveredWeight + groupsTotal - lagrangian.lowerBound, integral);
      if (lagrangianCover < bound) {
        bound = Math.max(value, lagrangianCover);
        boundSource = 'Lagrangian relaxation (reduced model)';
      }
      provedOptimal = isProved();
      // Better solutions leave less than this uncovered (integral weights: at least one unit less).
      const incumbentUncovered = groupsTotal - (value - groups.fixedCoveredWeight);
      const cutoff = integral ? incumbentUncovered - 1 + 1e-6 : incumbentUncovered - 1e-9 * Math.max(1, total);
      const fixing = provedOptimal ? null : fixByReducedCost(groups, problem.costs.candidateCount, lagrangian, p, cutoff);
      if (fixing) solver += `, ${fixing.closedCount} closed and ${fixing.forcedOpen.length} opened by Lagrangian reduced costs`;
      const model = fixing?.groups ?? groups;
      const candidatesLeft = new Set(model.groupCandidates).size;
      const nonzeros = model.groupCandidates.length + model.groupCount;
      const fits = mipSolver.engine !== 'highs-wasm' ? method === 'exact' || nonzeros <= (options.autoExactMaxNonzeros ?? 400_000) : useExact(method, options.highs, nonzeros, options, budget);
      if (fixing && fixing.newSites < 0) {
        // More candidates forced open than sites: no better solution exists.
        bound = value;
        boundSource = 'Lagrangian reduced-cost fixing';
      } else if (fixing && candidatesLeft <= fixing.newSites) {
        // Every candidate left fits: the best better solution (if any) opens them all.
        const candidate = [...fixing.forcedOpen, ...new Set(model.groupCandidates)];
        const covered = coveredWith(instance, candidate);
        if (covered > value) {
          value = covered;
          sites = candidate;
        }
        bound = value;
        boundSource = 'Lagrangian reduced-cost fixing';
      } else if (fixing && fits && budget.remainingMs() > 0) {
        const mip = mipSolver.solve(model, problem.costs.candidateCount, {
          mode: 'max-cover',
          newSites: fixing.newSites,
          start: start.filter((c) => !fixing.forcedOpen.includes(c)),
          // Integral weights: a gap below one unit of weight is optimality.
          ...(integral ? { mipAbsGap: 0.999 } : {}),
          timeLimitSeconds: Math.max(0.1, budget.remainingMs() / 1000),
        });
        const engineName = mipSolver.engine === 'cbc' ? 'CBC' : 'HiGHS';
        if (Number.isFinite(mip.objective) && mip.sites.length <= fixing.newSites && mip.objective + model.fixedCoveredWeight > value + 1e-9 * total) {
          // Recount the MIP's sites exactly rather than trusting the solver's floating objective.
          const candidate = [...fixing.forcedOpen, ...mip.sites];
          const covered = coveredWith(instance, candidate);
          if (covered > value) {
            value = covered;
            sites = candidate;
            solver = `${solver}; ${engineName} MIP on the reduced model`;
          }
        }
        // Any better solution lies in the fixed model, so its bound (or the incumbent) bounds the optimum.
        const mipBound = mip.status === 'optimal' ? mip.objective : mip.bound;
        const fixedBound = roundDownIfIntegral(mipBound + model.fixedCoveredWeight, integral);
        // An engine's own proof counts even when the Lagrangian bound had already met it.
        if (Number.isFinite(fixedBound) && Math.max(value, fixedBound) <= bound) {
          bound = Math.max(value, fixedBound);
          boundSource = mip.status === 'optimal' ? `${engineName} MIP (optimal)` : `${engineName} MIP dual bound`;
          engine = mipSolver.engine;
        }
      }
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
    engine,
  };
}

/** Covered weight (fixed sites included) with these sites open besides the fixed ones. */
function coveredWith(instance: FacilityInstance, sites: readonly number[]): number {
  const check = new FacilityAssignment(instance);
  check.setChosen(sites);
  return instance.totalWeight - check.objective;
}

/** HiGHS (WebAssembly) as the covering model's engine. */
function highsCoverSolver(highs: Highs): CoverMipSolver {
  return { engine: 'highs-wasm', solve: (groups, candidateCount, mipOptions) => solveCoverMip(highs, groups, candidateCount, mipOptions) };
}
