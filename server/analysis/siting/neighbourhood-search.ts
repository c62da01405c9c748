// Variable neighbourhood search around the swap local search (Mladenović & Hansen 1997; Hansen &
// Mladenović 1997 for the p-median): shake the best solution by k random swaps, descend again, keep the
// result if it is better and widen k otherwise. Randomness and clock are passed in.

import { FacilityAssignment, SITE_CLOSED, SITE_OPEN } from './facility-assignment';
import { swapImprove } from './swap-improve';

export interface NeighbourhoodSearchOptions {
  /** Uniform in [0, 1). */
  random: () => number;
  timeBudgetMs: number;
  nowMs?: () => number;
  /** Largest shake (default min(chosen sites, 8)). */
  maxShake?: number;
  /** Stop when the objective reaches this (a lower bound); default −∞. */
  stopAt?: number;
  /** Only these candidates may enter. */
  allowed?: Uint8Array;
  /** Most shake-and-descend rounds (default unlimited within the budget). */
  maxRounds?: number;
  /** Stop after this many rounds in a row without improvement (default 50 × the largest shake). */
  maxStall?: number;
}

export interface NeighbourhoodSearchResult {
  rounds: number;
  improvements: number;
}

/** Improves `assignment` in place; it ends holding the best solution found. */
export function neighbourhoodSearch(assignment: FacilityAssignment, options: NeighbourhoodSearchOptions): NeighbourhoodSearchResult {
  const nowMs = options.nowMs ?? (() => performance.now());
  const deadline = nowMs() + options.timeBudgetMs;
  const candidateCount = assignment.instance.rows.candidateCount;
  const stopAt = options.stopAt ?? -Infinity;
  const maxRounds = options.maxRounds ?? Infinity;
  let best = assignment.chosen.slice();
  let bestObjective = assignment.objective;
  const p = best.length;
  let closedAllowed = 0;
  for (let c = 0; c < candidateCount; c++) if (assignment.open[c] === SITE_CLOSED && (!options.allowed || options.allowed[c])) closedAllowed++;
  if (p === 0 || closedAllowed === 0) return { rounds: 0, improvements: 0 };
  const maxShake = Math.max(1, Math.min(options.maxShake ?? 8, p));
  const maxStall = options.maxStall ?? 50 * maxShake;
  let k = 1;
  let rounds = 0;
  let stall = 0;
  let improvements = 0;
  while (rounds < maxRounds && stall < maxStall && bestObjective > stopAt + 1e-9 && nowMs() < deadline) {
    rounds++;
    stall++;
    for (let s = 0; s < k; s++) {
      const out = assignment.chosen[Math.floor(options.random() * assignment.chosen.length)]!;
      let into = -1;
      for (let tries = 0; tries < 64 && into < 0; tries++) {
        const c = Math.floor(options.random() * candidateCount);
        if (assignment.open[c] === SITE_CLOSED && (!options.allowed || options.allowed[c])) into = c;
      }
      if (into < 0) break;
      assignment.openSite(into);
      if (assignment.open[out] === SITE_OPEN) assignment.closeSite(out);
    }
    swapImprove(assignment, { allowed: options.allowed, nowMs, timeBudgetMs: Math.max(0, deadline - nowMs()) });
    if (assignment.objective < bestObjective - 1e-9 * Math.max(1, Math.abs(bestObjective))) {
      best = assignment.chosen.slice();
      bestObjective = assignment.objective;
      improvements++;
      stall = 0;
      k = 1;
    } else {
      assignment.setChosen(best);
      k = k >= maxShake ? 1 : k + 1;
    }
  }
  if (assignment.objective !== bestObjective) assignment.setChosen(best);
  assignment.recomputeObjective();
  return { rounds, improvements };
}
