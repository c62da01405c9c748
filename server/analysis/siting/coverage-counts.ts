// Incremental coverage: for each demand point, how many open sites cover it, so opening or closing a
// site updates the covered weight in time proportional to that site's catchment (what-if evaluation).

/** Covering-site count per demand point and the weight of those with at least one. */
export class CoverageCounts {
  readonly weightByDemand: Float64Array;
  readonly countByDemand: Uint32Array;
  /** Σ weight of demand points with count ≥ 1. */
  coveredWeight = 0;

  constructor(weightByDemand: Float64Array) {
    this.weightByDemand = weightByDemand;
    this.countByDemand = new Uint32Array(weightByDemand.length);
  }

  /** Adds one covering site over `demandIndex[from … to − 1]`; returns the newly covered weight. */
  add(demandIndex: ArrayLike<number>, from: number, to: number): number {
    let gained = 0;
    for (let k = from; k < to; k++) {
      const u = demandIndex[k]!;
      if (this.countByDemand[u]!++ === 0) gained += this.weightByDemand[u]!;
    }
    this.coveredWeight += gained;
    return gained;
  }

  /** Removes one covering site over `demandIndex[from … to − 1]`; returns the weight no longer covered. */
  remove(demandIndex: ArrayLike<number>, from: number, to: number): number {
    let lost = 0;
    for (let k = from; k < to; k++) {
      const u = demandIndex[k]!;
      const count = this.countByDemand[u]!;
      if (count === 0) throw new Error(`demand point ${u} is not covered: removing a site that was never added`);
      this.countByDemand[u] = count - 1;
      if (count === 1) lost += this.weightByDemand[u]!;
    }
    this.coveredWeight -= lost;
    return lost;
  }

  /** Weight a site over `demandIndex[from … to − 1]` would newly cover, without adding it. */
  gainOf(demandIndex: ArrayLike<number>, from: number, to: number): number {
    let gained = 0;
    for (let k = from; k < to; k++) {
      const u = demandIndex[k]!;
      if (this.countByDemand[u] === 0) gained += this.weightByDemand[u]!;
    }
    return gained;
  }
}
