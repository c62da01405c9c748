// Greedy site opening with lazy evaluation (Minoux 1978; "CELF", Leskovec et al. 2007): the objective
// decrease of opening a site only shrinks as others open (it is submodular), so a stale gain kept in a
// max-heap is an upper bound and most candidates are never re-evaluated. For maximal covering this is
// the classical greedy with its 1 − 1/e guarantee (Nemhauser, Wolsey & Fisher 1978).

import { FacilityAssignment, SITE_CLOSED } from './facility-assignment';

export interface GreedyOptions {
  /** Most sites to open (in addition to those already open). */
  maxSites: number;
  /** Stop as soon as the objective is at or below this (set covering to a target); default −∞. */
  targetObjective?: number;
  /** Only these candidates may open (default: every closed candidate). */
  allowed?: Uint8Array;
}

export interface GreedyResult {
  /** Opened candidates in order. */
  sites: number[];
  /** Objective decrease of each, when it opened. */
  gains: number[];
  /** Evaluations of a candidate's gain, including the initial ones. */
  evaluations: number;
}

/**
 * Opens up to `maxSites` sites one by one, each time the one with the largest objective decrease
 * (ties: the lower candidate index), on top of whatever is open in `assignment`. Stops early when no
 * site decreases the objective or the target is reached.
 */
export function greedyOpen(assignment: FacilityAssignment, options: GreedyOptions): GreedyResult {
  const candidateCount = assignment.instance.rows.candidateCount;
  const heap = new GainHeap(candidateCount);
  // The round in which each heap key was computed: a key from the current round is exact.
  const evaluatedAt = new Int32Array(candidateCount).fill(-1);
  const target = options.targetObjective ?? -Infinity;
  let evaluations = 0;
  for (let c = 0; c < candidateCount; c++) {
    if (assignment.open[c] !== SITE_CLOSED || (options.allowed && options.allowed[c] === 0)) continue;
    const gain = assignment.gainOf(c);
    evaluations++;
    if (gain > 0) heap.push(c, gain);
    evaluatedAt[c] = 0;
  }
  const sites: number[] = [];
  const gains: number[] = [];
  for (let round = 0; sites.length < options.maxSites && assignment.objective > target && heap.size > 0; ) {
    const c = heap.topId();
    if (evaluatedAt[c] === round) {
      heap.pop();
      const gain = assignment.openSite(c);
      sites.push(c);
      gains.push(gain);
      round++;
      continue;
    }
    const gain = assignment.gainOf(c);
    evaluations++;
    evaluatedAt[c] = round;
    if (gain > 0) heap.replaceTop(gain);
    else heap.pop();
  }
  return { sites, gains, evaluations };
}

/**
 * A binary max-heap of (key, id) in flat typed arrays; equal keys pop the lower id first so results
 * do not depend on insertion order.
 */
export class GainHeap {
  private readonly ids: Uint32Array;
  private readonly keys: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.ids = new Uint32Array(capacity);
    this.keys = new Float64Array(capacity);
  }

  push(id: number, key: number): void {
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.above(key, id, this.keys[parent]!, this.ids[parent]!)) break;
      this.ids[i] = this.ids[parent]!;
      this.keys[i] = this.keys[parent]!;
      i = parent;
    }
    this.ids[i] = id;
    this.keys[i] = key;
  }

  topId(): number {
    return this.ids[0]!;
  }

  topKey(): number {
    return this.keys[0]!;
  }

  pop(): void {
    this.size--;
    if (this.size > 0) this.siftDown(this.ids[this.size]!, this.keys[this.size]!);
  }

  /** Gives the top a new (smaller or equal) key. */
  replaceTop(key: number): void {
    this.siftDown(this.ids[0]!, key);
  }

  private siftDown(id: number, key: number): void {
    const { ids, keys, size } = this;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && this.above(keys[child + 1]!, ids[child + 1]!, keys[child]!, ids[child]!)) child++;
      if (!this.above(keys[child]!, ids[child]!, key, id)) break;
      ids[i] = ids[child]!;
      keys[i] = keys[child]!;
      i = child;
    }
    ids[i] = id;
    keys[i] = key;
  }

  private above(keyA: number, idA: number, keyB: number, idB: number): boolean {
    return keyA > keyB || (keyA === keyB && idA < idB);
  }
}
