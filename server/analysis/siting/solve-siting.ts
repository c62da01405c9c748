// Facility siting on sparse demand × candidate costs: maximal covering (MCLP), set covering to a target
// rate (LSCP), p-median and p-center, keeping fixed (existing) sites. Heuristics (lazy greedy, swap
// local search, variable neighbourhood search) give the answer; bounds (greedy's guarantee, the online
// submodular bound, Lagrangian relaxation, HiGHS LP/MIP) say how far from optimal it can be, so every
// answer carries a gap. One file per objective; this one checks the input and dispatches.

import { solveMaximalCovering } from './solve-maximal-covering';
import { solvePCenter } from './solve-p-center';
import { solvePMedian } from './solve-p-median';
import { solveSetCovering } from './solve-set-covering';
import type { SitingEngine, SitingOptions, SitingProblem, SitingSolution } from './siting-problem';

export {
  SITING_OBJECTIVES,
  orderByMarginalGain,
  type CoverMipSolver,
  type SitingEngine,
  seededRandom,
  type SitingMethod,
  type SitingObjective,
  type SitingOptions,
  type SitingProblem,
  type SitingSolution,
} from './siting-problem';

/** Solves one siting problem; see {@link SitingProblem} for the four objectives. */
export function solveSiting(problem: SitingProblem, options: SitingOptions = {}): SitingSolution {
  const method = options.method ?? 'auto';
  if (method === 'exact' && !options.highs && !(problem.objective === 'mclp' && options.coverSolver)) throw new Error("method 'exact' needs the HiGHS runtime");
  const started = (options.nowMs ?? (() => performance.now()))();
  validateProblem(problem);
  let solution: Omit<SitingSolution, 'elapsedMs' | 'engine'> & { engine?: SitingEngine };
  switch (problem.objective) {
    case 'mclp':
      solution = solveMaximalCovering(problem, options, method);
      break;
    case 'lscp':
      solution = solveSetCovering(problem, options, method);
      break;
    case 'pmedian':
      solution = solvePMedian(problem, options, method);
      break;
    case 'pcenter':
      solution = solvePCenter(problem, options, method);
      break;
  }
  // The objectives other than mclp use HiGHS only through its bounds, which their boundSource names.
  const engine = solution.engine ?? (solution.boundSource.includes('HiGHS') ? 'highs-wasm' : 'heuristic-bound');
  return { ...solution, engine, elapsedMs: (options.nowMs ?? (() => performance.now()))() - started };
}

function validateProblem(problem: SitingProblem): void {
  const { costs } = problem;
  if (problem.weightByDemand.length !== costs.demandCount) throw new Error(`${problem.weightByDemand.length} weights for ${costs.demandCount} demand points`);
  if (problem.objective === 'mclp' || problem.objective === 'lscp') {
    if (problem.radius === undefined || !(problem.radius >= 0)) throw new Error(`${problem.objective} needs a radius ≥ 0`);
  }
  if (problem.objective !== 'lscp') {
    const p = problem.newSites;
    if (p === undefined || !Number.isInteger(p) || p < 0) throw new Error(`${problem.objective} needs newSites, an integer ≥ 0`);
  } else {
    const rate = problem.targetRate;
    if (rate === undefined || !(rate > 0 && rate <= 1)) throw new Error('lscp needs targetRate in (0, 1]');
  }
  if (problem.allowed && problem.allowed.length !== costs.candidateCount) throw new Error('allowed mask has the wrong length');
}
