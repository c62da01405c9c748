// Exact reductions of a maximal-covering model on merged demand groups: a candidate whose covered groups
// are a subset of another's (ties: the higher index) is dropped, since swapping it for the other never
// covers less, then groups with the same remaining covering set are merged again (weights summed); and
// Lagrangian reduced-cost fixing, which closes or opens the candidates no better solution can differ on.

import { buildCandidateCosts } from './candidate-costs';
import { createFacilityInstance, type FacilityInstance } from './facility-assignment';
import { groupCoverage, type CoverGroups } from './highs-models';
import type { LagrangianResult } from './lagrangian-bound';

export interface ReducedCoverModel {
  groups: CoverGroups;
  /** Per candidate: itself when kept, the kept candidate covering a superset when dropped, −1 when it covers no group. */
  representativeOf: Int32Array;
  /** Candidates kept (those covering some group and dominated by none). */
  keptCount: number;
}

/**
 * Drops dominated candidates and re-merges the groups. With "at most p new sites" the optimum of the
 * reduced model equals that of the original: each dropped candidate's representative covers all it did.
 * Cost: for each candidate, a subset test against the candidates of its rarest group.
 */
export function reduceCoverModel(groups: CoverGroups, candidateCount: number): ReducedCoverModel {
  const { groupCount, groupOffsets, groupCandidates } = groups;
  // Candidate-major lists of covered groups (ascending by group).
  const offsets = new Uint32Array(candidateCount + 1);
  for (let k = 0; k < groupCandidates.length; k++) offsets[groupCandidates[k]! + 1]!++;
  for (let c = 0; c < candidateCount; c++) offsets[c + 1]! += offsets[c]!;
  const groupOf = new Uint32Array(groupCandidates.length);
  const fill = offsets.slice(0, candidateCount);
  for (let g = 0; g < groupCount; g++) {
    for (let k = groupOffsets[g]!; k < groupOffsets[g + 1]!; k++) groupOf[fill[groupCandidates[k]!]!++] = g;
  }
  const dominator = new Int32Array(candidateCount).fill(-1);
  // stamp[g] = c + 1 while c's groups are marked.
  const stamp = new Int32Array(groupCount);
  for (let j = 0; j < candidateCount; j++) {
    const from = offsets[j]!;
    const to = offsets[j + 1]!;
    if (from === to) continue;
    dominator[j] = j;
    let rarest = groupOf[from]!;
    for (let k = from + 1; k < to; k++) {
      const g = groupOf[k]!;
      if (groupOffsets[g + 1]! - groupOffsets[g]! < groupOffsets[rarest + 1]! - groupOffsets[rarest]!) rarest = g;
    }
    for (let k = from; k < to; k++) stamp[groupOf[k]!] = j + 1;
    const size = to - from;
    for (let e = groupOffsets[rarest]!; e < groupOffsets[rarest + 1]!; e++) {
      const other = groupCandidates[e]!;
      if (other === j) continue;
      const otherSize = offsets[other + 1]! - offsets[other]!;
      // A superset is at least as large; an equal set dominates only from a lower index.
      if (otherSize < size || (otherSize === size && other > j)) continue;
      let covered = 0;
      for (let k = offsets[other]!; k < offsets[other + 1]!; k++) if (stamp[groupOf[k]!] === j + 1) covered++;
      if (covered === size) {
        dominator[j] = other;
        break;
      }
    }
  }
  // Follow chains to a kept candidate (the dominance order is strict, so chains end).
  const representativeOf = new Int32Array(candidateCount);
  const kept = new Uint8Array(candidateCount);
  let keptCount = 0;
  for (let c = 0; c < candidateCount; c++) {
    let r = dominator[c]!;
    while (r >= 0 && dominator[r] !== r) r = dominator[r]!;
    representativeOf[c] = r;
    if (r === c) {
      kept[c] = 1;
      keptCount++;
    }
  }
  // The groups as demand points of a covering matrix over the kept candidates, merged again.
  const merged = groupCoverage(coverGroupsInstance(groups, candidateCount).rows, groups.weightByGroup, [], kept);
  return {
    groups: { ...merged, fixedCoveredWeight: groups.fixedCoveredWeight, uncoverableWeight: groups.uncoverableWeight + merged.uncoverableWeight },
    representativeOf,
    keptCount,
  };
}

/** The groups as a covering instance (cost 0 = covered, unserved cost 1) for the Lagrangian bound and recounts. */
export function coverGroupsInstance(groups: CoverGroups, candidateCount: number): FacilityInstance {
  const { groupCount, groupOffsets, groupCandidates } = groups;
  const entryGroup = new Uint32Array(groupCandidates.length);
  for (let g = 0; g < groupCount; g++) entryGroup.fill(g, groupOffsets[g]!, groupOffsets[g + 1]!);
  const rows = buildCandidateCosts(groupCount, candidateCount, groupCandidates, entryGroup, new Float64Array(groupCandidates.length));
  return createFacilityInstance(rows, groups.weightByGroup, { unservedCost: 1 });
}

export interface FixedByReducedCost {
  /** The covering model left for branch-and-cut: closed candidates dropped, forced ones' groups taken out. */
  groups: CoverGroups;
  /** Candidates open in every better solution (they count towards the new sites). */
  forcedOpen: number[];
  /** Candidates closed in every better solution. */
  closedCount: number;
  /** Sites left to choose (newSites − forcedOpen). */
  newSites: number;
}

/**
 * Lagrangian variable fixing (Beasley 1993, "Lagrangean heuristics for location problems"): at the
 * multipliers of `lagrangian` (on `coverGroupsInstance(groups)`), forcing candidate j open (or closed)
 * raises the relaxation to L − ρ_(p-th chosen) + ρ_j (or L − ρ_j + ρ_(best unchosen)); when that reaches
 * `cutoff` (the uncovered weight a better solution must stay below), every better solution has j closed
 * (or open). The optimum of the returned model is therefore the original optimum whenever that beats
 * the incumbent; otherwise the incumbent is optimal.
 */
export function fixByReducedCost(
  groups: CoverGroups,
  candidateCount: number,
  lagrangian: Pick<LagrangianResult, 'lowerBound' | 'siteReducedCost' | 'relaxedSites'>,
  newSites: number,
  cutoff: number,
): FixedByReducedCost {
  const rho = lagrangian.siteReducedCost;
  const inRelaxed = new Uint8Array(candidateCount);
  let worstChosen = -Infinity;
  for (const c of lagrangian.relaxedSites) {
    inRelaxed[c] = 1;
    worstChosen = Math.max(worstChosen, rho[c]!);
  }
  const covers = new Uint8Array(candidateCount);
  for (let k = 0; k < groups.groupCandidates.length; k++) covers[groups.groupCandidates[k]!] = 1;
  let bestUnchosen = 0;
  for (let c = 0; c < candidateCount; c++) if (covers[c] && !inRelaxed[c]) bestUnchosen = Math.min(bestUnchosen, rho[c]!);
  const allowed = new Uint8Array(candidateCount);
  const forcedOpen: number[] = [];
  let closedCount = 0;
  for (let c = 0; c < candidateCount; c++) {
    if (!covers[c]) continue;
    if (inRelaxed[c]) {
      if (lagrangian.lowerBound - rho[c]! + bestUnchosen >= cutoff) forcedOpen.push(c);
      else allowed[c] = 1;
    } else if (lagrangian.relaxedSites.length > 0 && lagrangian.lowerBound - worstChosen + rho[c]! >= cutoff) closedCount++;
    else allowed[c] = 1;
  }
  const merged = groupCoverage(coverGroupsInstance(groups, candidateCount).rows, groups.weightByGroup, forcedOpen, allowed);
  return {
    groups: {
      ...merged,
      fixedCoveredWeight: groups.fixedCoveredWeight + merged.fixedCoveredWeight,
      uncoverableWeight: groups.uncoverableWeight + merged.uncoverableWeight,
    },
    forcedOpen,
    closedCount,
    newSites: newSites - forcedOpen.length,
  };
}
