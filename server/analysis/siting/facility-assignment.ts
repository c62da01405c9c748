// The incremental state every siting heuristic shares: which sites are open, and each demand point's
// nearest and second-nearest open site (Resende & Werneck 2007, "A fast swap-based local search
// procedure for location problems"). Maximal covering is the special case with cost 0 = covered and
// unserved cost 1, so one state serves MCLP, LSCP and p-median.

import type { CandidateCosts, DemandCosts } from './candidate-costs';
import { transposeCandidateCosts } from './candidate-costs';

/**
 * A truncated p-median instance: minimise Σ_u weight_u · min(unservedCost, min over open sites j of cost(u, j)).
 * Pairs absent from the sparse costs cannot serve; a demand point no open site serves costs `unservedCost`.
 */
export interface FacilityInstance {
  readonly rows: CandidateCosts;
  readonly lists: DemandCosts;
  readonly weightByDemand: Float64Array;
  /** Cost of a demand point no open site serves (finite; the horizon, or 1 for covering problems). */
  readonly unservedCost: number;
  /** Candidates open in every solution (existing facilities); they never count as new sites. */
  readonly fixed: Uint32Array;
  /** Σ weight. */
  readonly totalWeight: number;
  /** Every entry costs 0 (a covering problem): gains need no cost reads. */
  readonly zeroCost: boolean;
}

/** Site states in {@link FacilityAssignment.open}. */
export const SITE_CLOSED = 0;
export const SITE_OPEN = 1;
export const SITE_FIXED = 2;

export function createFacilityInstance(
  rows: CandidateCosts,
  weightByDemand: Float64Array,
  options: { unservedCost: number; fixed?: ArrayLike<number>; lists?: DemandCosts },
): FacilityInstance {
  if (weightByDemand.length !== rows.demandCount) throw new Error(`${weightByDemand.length} weights for ${rows.demandCount} demand points`);
  if (!Number.isFinite(options.unservedCost) || options.unservedCost < 0) throw new Error('unservedCost must be finite and ≥ 0');
  let totalWeight = 0;
  for (let u = 0; u < weightByDemand.length; u++) {
    const weight = weightByDemand[u]!;
    if (!(weight >= 0) || !Number.isFinite(weight)) throw new Error(`weight ${weight} of demand point ${u} must be finite and ≥ 0`);
    totalWeight += weight;
  }
  const fixed = Uint32Array.from(options.fixed ?? []);
  for (const c of fixed) if (c >= rows.candidateCount) throw new Error(`fixed candidate ${c} out of range`);
  let zeroCost = true;
  for (let k = 0; k < rows.cost.length && zeroCost; k++) zeroCost = rows.cost[k] === 0;
  return {
    rows,
    lists: options.lists ?? transposeCandidateCosts(rows),
    weightByDemand,
    unservedCost: options.unservedCost,
    fixed,
    totalWeight,
    zeroCost,
  };
}

/**
 * Open sites and, per demand point, the nearest (`nearest`, `nearestCost`) and second-nearest open
 * site; −1 stands for "unserved" at the instance's unserved cost. `objective` is Σ weight · nearestCost.
 */
export class FacilityAssignment {
  readonly instance: FacilityInstance;
  /** SITE_CLOSED, SITE_OPEN (chosen) or SITE_FIXED by candidate. */
  readonly open: Uint8Array;
  readonly nearest: Int32Array;
  readonly nearestCost: Float64Array;
  readonly second: Int32Array;
  readonly secondCost: Float64Array;
  /** weight · nearestCost per demand point: a zero-cost site gains exactly the sum of these over its row. */
  readonly weightedNearestCost: Float64Array;
  /** Chosen (not fixed) open sites, in opening order. */
  readonly chosen: number[] = [];
  objective = 0;

  constructor(instance: FacilityInstance) {
    this.instance = instance;
    const n = instance.rows.demandCount;
    this.open = new Uint8Array(instance.rows.candidateCount);
    this.nearest = new Int32Array(n);
    this.nearestCost = new Float64Array(n);
    this.second = new Int32Array(n);
    this.secondCost = new Float64Array(n);
    this.weightedNearestCost = new Float64Array(n);
    this.reset();
  }

  /** Back to the fixed sites only. */
  reset(): void {
    const { instance } = this;
    const n = instance.rows.demandCount;
    this.open.fill(SITE_CLOSED);
    this.chosen.length = 0;
    this.nearest.fill(-1);
    this.second.fill(-1);
    this.nearestCost.fill(instance.unservedCost);
    for (let u = 0; u < n; u++) this.weightedNearestCost[u] = instance.weightByDemand[u]! * instance.unservedCost;
    this.secondCost.fill(instance.unservedCost);
    this.objective = instance.unservedCost * instance.totalWeight;
    for (const c of instance.fixed) this.insert(c, SITE_FIXED);
    this.recomputeObjective();
  }

  /** Opens the given chosen sites after the fixed ones. */
  setChosen(sites: ArrayLike<number>): void {
    this.reset();
    for (let k = 0; k < sites.length; k++) this.insert(sites[k]!, SITE_OPEN);
    // The running total starts from unservedCost · totalWeight: recount to avoid its rounding.
    this.recomputeObjective();
  }

  /** Decrease of the objective if candidate `c` were opened (0 when it is open). */
  gainOf(c: number): number {
    if (this.open[c] !== SITE_CLOSED) return 0;
    // Locals, not property loads, in the loop every greedy step runs.
    const { rows, weightByDemand } = this.instance;
    const demandIndex = rows.demandIndex;
    const cost = rows.cost;
    const nearestCost = this.nearestCost;
    let gain = 0;
    if (this.instance.zeroCost) {
      // Covering: every demand point in the row drops to cost 0, so the gain is its weighted cost.
      const weighted = this.weightedNearestCost;
      for (let k = rows.offsets[c]!, end = rows.offsets[c + 1]!; k < end; k++) gain += weighted[demandIndex[k]!]!;
      return gain;
    }
    for (let k = rows.offsets[c]!, end = rows.offsets[c + 1]!; k < end; k++) {
      const u = demandIndex[k]!;
      const d = cost[k]!;
      const current = nearestCost[u]!;
      if (d < current) gain += weightByDemand[u]! * (current - d);
    }
    return gain;
  }

  /** Opens candidate `c` as a chosen site; returns the decrease of the objective. */
  openSite(c: number): number {
    if (this.open[c] !== SITE_CLOSED) throw new Error(`site ${c} is already open`);
    return this.insert(c, SITE_OPEN);
  }

  /** Closes chosen site `c`; returns the increase of the objective. */
  closeSite(c: number): number {
    if (this.open[c] !== SITE_OPEN) throw new Error(`site ${c} is not an open chosen site`);
    const { rows } = this.instance;
    const before = this.objective;
    this.open[c] = SITE_CLOSED;
    const at = this.chosen.indexOf(c);
    this.chosen.splice(at, 1);
    for (let k = rows.offsets[c]!, end = rows.offsets[c + 1]!; k < end; k++) {
      const u = rows.demandIndex[k]!;
      if (this.nearest[u] === c || this.second[u] === c) this.recomputeDemand(u);
    }
    return this.objective - before;
  }

  private insert(c: number, state: number): number {
    const { rows, weightByDemand } = this.instance;
    const { demandIndex, cost } = rows;
    const { nearest, nearestCost, second, secondCost, weightedNearestCost } = this;
    this.open[c] = state;
    if (state === SITE_OPEN) this.chosen.push(c);
    let gain = 0;
    for (let k = rows.offsets[c]!, end = rows.offsets[c + 1]!; k < end; k++) {
      const u = demandIndex[k]!;
      const d = cost[k]!;
      const d1 = nearestCost[u]!;
      if (d < d1) {
        gain += weightByDemand[u]! * (d1 - d);
        second[u] = nearest[u]!;
        secondCost[u] = d1;
        nearest[u] = c;
        nearestCost[u] = d;
        weightedNearestCost[u] = weightByDemand[u]! * d;
      } else if (d < secondCost[u]!) {
        second[u] = c;
        secondCost[u] = d;
      }
    }
    this.objective -= gain;
    return gain;
  }

  /** Nearest and second-nearest open site of demand point `u` from its sorted list. */
  private recomputeDemand(u: number): void {
    const { lists, weightByDemand, unservedCost } = this.instance;
    const oldCost = this.nearestCost[u]!;
    let first = -1;
    let firstCost = unservedCost;
    let second = -1;
    let secondCost = unservedCost;
    for (let k = lists.offsets[u]!, end = lists.offsets[u + 1]!; k < end; k++) {
      const d = lists.cost[k]!;
      if (d >= secondCost) break;
      const c = lists.candidateIndex[k]!;
      if (this.open[c] === SITE_CLOSED) continue;
      if (first < 0 && d < firstCost) {
        first = c;
        firstCost = d;
      } else {
        second = c;
        secondCost = d;
        break;
      }
    }
    this.nearest[u] = first;
    this.nearestCost[u] = firstCost;
    this.weightedNearestCost[u] = weightByDemand[u]! * firstCost;
    this.second[u] = second;
    this.secondCost[u] = secondCost;
    this.objective += weightByDemand[u]! * (firstCost - oldCost);
  }

  /** Σ weight · nearest cost recomputed from scratch (to check the running total). */
  recomputeObjective(): number {
    let total = 0;
    for (let u = 0; u < this.nearestCost.length; u++) total += this.instance.weightByDemand[u]! * this.nearestCost[u]!;
    this.objective = total;
    return total;
  }
}
