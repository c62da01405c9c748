// Sparse demand × candidate travel costs, the one input every siting solver reads: compressed rows per
// candidate (CSR, each row sorted by cost) and their transpose per demand point (each sorted by cost).
// Built from triplets (a cost matrix file, a coverage provider); a pair absent from the matrix is
// "beyond the horizon": no service from that candidate.

import { sortEntriesByCost } from './sort-entries';

/**
 * Costs from each candidate site to the demand points it can serve, candidate-major CSR.
 * Row `c` holds entries `offsets[c] … offsets[c + 1] − 1`, ascending by cost (ties by demand index),
 * so "covered within R" is a prefix of every row.
 */
export interface CandidateCosts {
  readonly demandCount: number;
  readonly candidateCount: number;
  /** Length candidateCount + 1. */
  readonly offsets: Uint32Array;
  /** Demand index of each entry. */
  readonly demandIndex: Uint32Array;
  /** Cost of each entry in the instance's unit (minutes, metres, …); finite and ≥ 0. */
  readonly cost: Float64Array;
}

/** The transpose of {@link CandidateCosts}: for each demand point, the candidates that can serve it, nearest first. */
export interface DemandCosts {
  readonly demandCount: number;
  readonly candidateCount: number;
  /** Length demandCount + 1. */
  readonly offsets: Uint32Array;
  /** Candidate index of each entry. */
  readonly candidateIndex: Uint32Array;
  /** Cost of each entry, ascending within a demand point's list (ties by candidate index). */
  readonly cost: Float64Array;
}

/**
 * Candidate-major costs from unordered triplets (entry k: candidate `entryCandidate[k]` serves demand
 * `entryDemand[k]` at `entryCost[k]`). Pairs must be unique; costs must be finite and ≥ 0.
 */
export function buildCandidateCosts(
  demandCount: number,
  candidateCount: number,
  entryCandidate: Uint32Array,
  entryDemand: Uint32Array,
  entryCost: Float64Array,
): CandidateCosts {
  const entryCount = entryCandidate.length;
  if (entryDemand.length !== entryCount || entryCost.length !== entryCount) throw new Error('triplet arrays differ in length');
  const offsets = new Uint32Array(candidateCount + 1);
  for (let k = 0; k < entryCount; k++) {
    const c = entryCandidate[k]!;
    if (c >= candidateCount) throw new Error(`candidate index ${c} out of range (${candidateCount} candidates)`);
    if (entryDemand[k]! >= demandCount) throw new Error(`demand index ${entryDemand[k]} out of range (${demandCount} demand points)`);
    const value = entryCost[k]!;
    if (!(value >= 0) || !Number.isFinite(value)) throw new Error(`cost ${value} of entry ${k} must be finite and ≥ 0`);
    offsets[c + 1]!++;
  }
  for (let c = 0; c < candidateCount; c++) offsets[c + 1]! += offsets[c]!;
  const fill = offsets.slice(0, candidateCount);
  const demandIndex = new Uint32Array(entryCount);
  const cost = new Float64Array(entryCount);
  for (let k = 0; k < entryCount; k++) {
    const at = fill[entryCandidate[k]!]!++;
    demandIndex[at] = entryDemand[k]!;
    cost[at] = entryCost[k]!;
  }
  for (let c = 0; c < candidateCount; c++) sortEntriesByCost(cost, demandIndex, offsets[c]!, offsets[c + 1]!);
  return { demandCount, candidateCount, offsets, demandIndex, cost };
}

/** Demand-major view of candidate-major costs, each demand point's list nearest first. */
export function transposeCandidateCosts(costs: CandidateCosts): DemandCosts {
  const { demandCount, candidateCount } = costs;
  const entryCount = costs.demandIndex.length;
  const offsets = new Uint32Array(demandCount + 1);
  for (let k = 0; k < entryCount; k++) offsets[costs.demandIndex[k]! + 1]!++;
  for (let d = 0; d < demandCount; d++) offsets[d + 1]! += offsets[d]!;
  const fill = offsets.slice(0, demandCount);
  const candidateIndex = new Uint32Array(entryCount);
  const cost = new Float64Array(entryCount);
  for (let c = 0; c < candidateCount; c++) {
    for (let k = costs.offsets[c]!, end = costs.offsets[c + 1]!; k < end; k++) {
      const at = fill[costs.demandIndex[k]!]!++;
      candidateIndex[at] = c;
      cost[at] = costs.cost[k]!;
    }
  }
  for (let d = 0; d < demandCount; d++) sortEntriesByCost(cost, candidateIndex, offsets[d]!, offsets[d + 1]!);
  return { demandCount, candidateCount, offsets, candidateIndex, cost };
}

/**
 * The end of each candidate's prefix of entries with cost ≤ `radius` (binary search per row): entries
 * `offsets[c] … ends[c] − 1` are the demand points candidate `c` covers within the radius.
 */
export function coverageEnds(costs: CandidateCosts, radius: number, out = new Uint32Array(costs.candidateCount)): Uint32Array {
  for (let c = 0; c < costs.candidateCount; c++) {
    let lo = costs.offsets[c]!;
    let hi = costs.offsets[c + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (costs.cost[mid]! <= radius) lo = mid + 1;
      else hi = mid;
    }
    out[c] = lo;
  }
  return out;
}

/**
 * Costs restricted to the entries within `radius`, all set to 0: the covering sets of a maximal-covering
 * or set-covering problem as a p-median instance with 0 = covered (see facility-assignment.ts).
 */
export function coverageCosts(costs: CandidateCosts, radius: number): CandidateCosts {
  const ends = coverageEnds(costs, radius);
  const offsets = new Uint32Array(costs.candidateCount + 1);
  for (let c = 0; c < costs.candidateCount; c++) offsets[c + 1] = offsets[c]! + (ends[c]! - costs.offsets[c]!);
  // Rows were sorted by cost; with every cost 0 they must be sorted by demand index. A counting sort does
  // it in linear time: spread the pairs by demand point (candidates in order), then gather them back.
  const entryCount = offsets[costs.candidateCount]!;
  const byDemand = new Uint32Array(costs.demandCount + 1);
  for (let c = 0; c < costs.candidateCount; c++) for (let k = costs.offsets[c]!; k < ends[c]!; k++) byDemand[costs.demandIndex[k]! + 1]!++;
  for (let d = 0; d < costs.demandCount; d++) byDemand[d + 1]! += byDemand[d]!;
  const candidateOfPair = new Uint32Array(entryCount);
  const fillDemand = byDemand.slice(0, costs.demandCount);
  for (let c = 0; c < costs.candidateCount; c++) {
    for (let k = costs.offsets[c]!; k < ends[c]!; k++) candidateOfPair[fillDemand[costs.demandIndex[k]!]!++] = c;
  }
  const demandIndex = new Uint32Array(entryCount);
  const fillCandidate = offsets.slice(0, costs.candidateCount);
  for (let d = 0; d < costs.demandCount; d++) {
    for (let k = byDemand[d]!; k < byDemand[d + 1]!; k++) demandIndex[fillCandidate[candidateOfPair[k]!]!++] = d;
  }
  const cost = new Float64Array(entryCount);
  return { demandCount: costs.demandCount, candidateCount: costs.candidateCount, offsets, demandIndex, cost };
}

/** The largest cost of any entry (0 when empty). */
export function maxEntryCost(costs: CandidateCosts): number {
  let max = 0;
  for (let k = 0; k < costs.cost.length; k++) if (costs.cost[k]! > max) max = costs.cost[k]!;
  return max;
}

/** Appends candidates (rows) of `extra` after those of `base`; both must share the demand points. */
export function concatCandidateCosts(base: CandidateCosts, extra: CandidateCosts): CandidateCosts {
  if (base.demandCount !== extra.demandCount) throw new Error('cost matrices have different demand points');
  const candidateCount = base.candidateCount + extra.candidateCount;
  const baseEntries = base.demandIndex.length;
  const offsets = new Uint32Array(candidateCount + 1);
  offsets.set(base.offsets);
  for (let c = 1; c <= extra.candidateCount; c++) offsets[base.candidateCount + c] = baseEntries + extra.offsets[c]!;
  const demandIndex = new Uint32Array(baseEntries + extra.demandIndex.length);
  demandIndex.set(base.demandIndex);
  demandIndex.set(extra.demandIndex, baseEntries);
  const cost = new Float64Array(demandIndex.length);
  cost.set(base.cost);
  cost.set(extra.cost, baseEntries);
  return { demandCount: base.demandCount, candidateCount, offsets, demandIndex, cost };
}
