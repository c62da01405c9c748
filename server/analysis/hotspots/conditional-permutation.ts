// Pseudo p-values of local statistics by conditional permutation (Anselin 1995): the value at unit i
// is held fixed while its neighbours' values are drawn at random, without replacement, from the other
// n − 1 units. As in PySAL's `crand`, one set of random draws is shared by all units, so the randomness
// is O(permutations × largest neighbourhood). Rows whose neighbours all carry one weight (binary and
// row-standardised contiguity, k-rings, k-nearest) share the permuted sums too: each unit's count of
// permutations at least / at most as extreme is two binary searches in the sorted sums, O(log P).

import type { SpatialWeights } from './spatial-weights';

/** Which local statistic the permutations are for. */
export type PermutedStatistic = 'getisOrdStar' | 'getisOrd' | 'localMoran';

export interface ConditionalPermutationOptions {
  statistic: PermutedStatistic;
  /** Number of permutations (99, 999, 9,999 give pseudo p-values on a round grid). */
  permutations: number;
  /** Uniform numbers in [0, 1), seeded by the caller: the results are a function of the draws. */
  random: () => number;
}

export interface ConditionalPermutationResult {
  /**
   * Folded pseudo p-value (Anselin 1995; GeoDa, PySAL's `p_sim`): (min(R≥, R≤) + 1) / (P + 1) with R≥
   * (R≤) the number of permutations whose statistic is ≥ (≤) the observed one: the share at least as
   * extreme in the observed direction. Equals PySAL's (min(R≥, P − R≥) + 1) / (P + 1) when no permuted
   * value ties the observed one; ties count on both sides. Smallest possible value 1/(P + 1).
   */
  pSim: Float64Array;
  /** Mean of the permuted statistics per unit. */
  meanSim: Float64Array;
  /** Standard deviation (population) of the permuted statistics per unit. */
  sdSim: Float64Array;
  /** (observed − meanSim) / sdSim (PySAL's `z_sim`). */
  zSim: Float64Array;
}

/**
 * Draws `permutations` ordered samples of `k` distinct indices from 0 … populationSize − 1 (rejection
 * for small k, a partial Fisher-Yates shuffle otherwise), as one flat array of permutations × k.
 */
export function drawPermutationIndices(populationSize: number, k: number, permutations: number, random: () => number): Uint32Array {
  const out = new Uint32Array(permutations * k);
  if (k === 0) return out;
  if (k > populationSize) throw new Error(`cannot draw ${k} distinct indices from ${populationSize}`);
  if (k * 4 <= populationSize) {
    for (let p = 0; p < permutations; p++) {
      const row = p * k;
      for (let m = 0; m < k; m++) {
        let candidate: number;
        let repeated: boolean;
        do {
          candidate = Math.floor(random() * populationSize);
          repeated = false;
          for (let q = row; q < row + m; q++) {
            if (out[q] === candidate) {
              repeated = true;
              break;
            }
          }
        } while (repeated);
        out[row + m] = candidate;
      }
    }
    return out;
  }
  const deck = new Uint32Array(populationSize);
  for (let p = 0; p < permutations; p++) {
    for (let j = 0; j < populationSize; j++) deck[j] = j;
    for (let m = 0; m < k; m++) {
      const pick = m + Math.floor(random() * (populationSize - m));
      const swap = deck[m]!;
      deck[m] = deck[pick]!;
      deck[pick] = swap;
      out[p * k + m] = deck[m]!;
    }
  }
  return out;
}

/**
 * Conditional-permutation inference for local Gi*, Gi or local Moran's I on `values` with weights `w`
 * (for Gi*, w must carry the self weights; they stay fixed, as the unit's own value does). Each local
 * statistic is an affine function a_i · (Σ_{j≠i} w_ij x_j) + b_i of its neighbours' values, so only
 * that weighted sum is permuted.
 *
 * The shared draws are indices 0 … n − 2 of "the other units"; for unit i, index i stands for unit
 * n − 1 (a bijection onto the units other than i, so each unit's draws stay uniform without
 * replacement). The first k draws of a permutation are then the same units for every unit i with k
 * neighbours except the few i drawn among them, which are recomputed one by one; for rows of one
 * weight the permuted sums are computed, sorted and summed once per neighbourhood size k.
 * O(P · kMax + sizes · P log P + n log P) for such weights, O(P × weight entries) otherwise.
 */
export function computeConditionalPermutations(
  values: ArrayLike<number>,
  w: SpatialWeights,
  options: ConditionalPermutationOptions,
): ConditionalPermutationResult {
  const n = w.n;
  const permutations = options.permutations;
  if (!Number.isInteger(permutations) || permutations < 1) throw new Error(`permutations must be a positive integer, got ${permutations}`);
  const x = Float64Array.from(values as ArrayLike<number>);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i]!;
  const mean = sum / n;
  let m2 = 0;
  for (let i = 0; i < n; i++) m2 += (x[i]! - mean) ** 2;
  m2 /= n;

  // Neighbourhood size (self entries excluded) per unit, whether its weights are all one value, and
  // the shared random draws.
  const neighborCount = new Uint32Array(n);
  const uniformRow = new Uint8Array(n);
  let kMax = 0;
  for (let i = 0; i < n; i++) {
    let k = 0;
    let first = Number.NaN;
    let uniform = 1;
    for (let e = w.offsets[i]!; e < w.offsets[i + 1]!; e++) {
      if (w.neighbors[e] === i) continue;
      const wij = w.weights[e]!;
      if (k === 0) first = wij;
      else if (wij !== first) uniform = 0;
      k++;
    }
    neighborCount[i] = k;
    // A zero weight makes the statistic constant: those units take the general path (p = 1 there).
    uniformRow[i] = k > 0 && uniform === 1 && first !== 0 ? 1 : 0;
    if (k > kMax) kMax = k;
  }
  const draws = n > 1 ? drawPermutationIndices(n - 1, kMax, permutations, options.random) : new Uint32Array(0);
  const sharedSums = buildSharedSums(x, draws, kMax, permutations, neighborCount, uniformRow);
  const drawsOfUnit = indexDrawsByUnit(draws, n, kMax, permutations);

  const result: ConditionalPermutationResult = {
    pSim: new Float64Array(n),
    meanSim: new Float64Array(n),
    sdSim: new Float64Array(n),
    zSim: new Float64Array(n),
  };
  const rowWeights = new Float64Array(kMax);
  const last = n - 1;
  for (let i = 0; i < n; i++) {
    // The unit's non-self weights in row order, the observed weighted sum, and the self term.
    let k = 0;
    let observedLag = 0;
    let observedSum = 0;
    let selfWeight = 0;
    let weightSum = 0;
    for (let e = w.offsets[i]!; e < w.offsets[i + 1]!; e++) {
      const j = w.neighbors[e]!;
      const wij = w.weights[e]!;
      if (j === i) {
        selfWeight = wij;
        continue;
      }
      rowWeights[k] = wij;
      k++;
      observedLag += wij * x[j]!;
      observedSum += x[j]!;
      weightSum += wij;
    }
    let a: number;
    let b: number;
    if (options.statistic === 'getisOrdStar') {
      a = 1 / sum;
      b = (selfWeight * x[i]!) / sum;
    } else if (options.statistic === 'getisOrd') {
      a = 1 / (sum - x[i]!);
      b = 0;
    } else {
      a = (x[i]! - mean) / m2;
      b = -a * mean * weightSum;
    }
    if (k === 0 || a === 0 || !Number.isFinite(a)) {
      // No neighbours (or a statistic that cannot vary): nothing to permute, no evidence either way.
      result.pSim[i] = 1;
      result.meanSim[i] = a * observedLag + b;
      result.zSim[i] = Number.NaN;
      continue;
    }
    // Compare the permuted sums with the observed one, with a tolerance for rounding, and count ties on
    // both sides: sparse counts have many equal sums, and counting them on one side only would make a
    // cell of zeros among zeros look significant.
    let atLeast = 0;
    let atMost = 0;
    let total = 0;
    let totalSquares = 0;
    let scale: number;
    const shared = uniformRow[i] === 1 ? sharedSums.get(k) : undefined;
    if (shared) {
      // Sums of the neighbours' values (all weights equal w0): lag = w0 · sum, so compare the sums.
      const w0 = rowWeights[0]!;
      scale = w0;
      const tolerance = 1e-12 * Math.max(1, Math.abs(observedSum));
      atLeast = permutations - lowerBound(shared.sorted, observedSum - tolerance);
      atMost = upperBound(shared.sorted, observedSum + tolerance);
      total = shared.total;
      totalSquares = shared.totalSquares;
      // Permutations that drew index i among their first k: there it stands for the last unit.
      if (i < last) {
        for (let q = drawsOfUnit.offsets[i]!; q < drawsOfUnit.offsets[i + 1]!; q++) {
          const slot = drawsOfUnit.slots[q]!;
          if (slot % kMax >= k) continue;
          const p = Math.floor(slot / kMax);
          const drawn = shared.byPermutation[p]!;
          let actual = 0;
          for (let m = 0; m < k; m++) {
            const r = draws[p * kMax + m]!;
            actual += x[r === i ? last : r]!;
          }
          if (drawn >= observedSum - tolerance) atLeast--;
          if (drawn <= observedSum + tolerance) atMost--;
          if (actual >= observedSum - tolerance) atLeast++;
          if (actual <= observedSum + tolerance) atMost++;
          total += actual - drawn;
          totalSquares += actual * actual - drawn * drawn;
        }
      }
      if (w0 < 0) [atLeast, atMost] = [atMost, atLeast];
    } else {
      scale = 1;
      const tolerance = 1e-12 * Math.max(1, Math.abs(observedLag));
      for (let p = 0; p < permutations; p++) {
        const row = p * kMax;
        let lag = 0;
        for (let m = 0; m < k; m++) {
          const r = draws[row + m]!;
          lag += rowWeights[m]! * x[r === i ? last : r]!;
        }
        if (lag >= observedLag - tolerance) atLeast++;
        if (lag <= observedLag + tolerance) atMost++;
        total += lag;
        totalSquares += lag * lag;
      }
    }
    const meanLag = (scale * total) / permutations;
    const sdLag = Math.abs(scale) * Math.sqrt(Math.max(0, totalSquares / permutations - (total / permutations) ** 2));
    result.pSim[i] = (Math.min(atLeast, atMost) + 1) / (permutations + 1);
    result.meanSim[i] = a * meanLag + b;
    result.sdSim[i] = Math.abs(a) * sdLag;
    result.zSim[i] = sdLag > 0 ? (a * (observedLag - meanLag)) / (Math.abs(a) * sdLag) : Number.NaN;
  }
  return result;
}

/** The permuted sums Σ_{m<k} x[draw_pm] of one neighbourhood size k, by permutation and sorted. */
interface SharedSums {
  byPermutation: Float64Array;
  sorted: Float64Array;
  total: number;
  totalSquares: number;
}

/** At most this many shared sums (permutations × neighbourhood sizes) are kept: 2 × 32 MiB. */
const MAX_SHARED_SUMS = 4_000_000;

/** Shared sums for the neighbourhood sizes of uniform-weight rows (draws index units directly). */
function buildSharedSums(
  x: Float64Array,
  draws: Uint32Array,
  kMax: number,
  permutations: number,
  neighborCount: Uint32Array,
  uniformRow: Uint8Array,
): Map<number, SharedSums> {
  const unitsBySize = new Uint32Array(kMax + 1);
  for (let i = 0; i < neighborCount.length; i++) if (uniformRow[i] === 1) unitsBySize[neighborCount[i]!]! += 1;
  // The most common sizes first, within a memory budget; units of other sizes take the direct path
  // (distance bands can give hundreds of sizes).
  const sizes = Array.from({ length: kMax }, (_, m) => m + 1)
    .filter((k) => unitsBySize[k]! > 0)
    .sort((a, b) => unitsBySize[b]! - unitsBySize[a]! || a - b)
    .slice(0, Math.max(1, Math.floor(MAX_SHARED_SUMS / permutations)));
  const shared = new Map<number, SharedSums>();
  for (const k of sizes) shared.set(k, { byPermutation: new Float64Array(permutations), sorted: new Float64Array(0), total: 0, totalSquares: 0 });
  if (shared.size === 0) return shared;
  // Entry k − 1 of `bySize` is the record of size k (or undefined), to avoid a map lookup per draw.
  const bySize: (SharedSums | undefined)[] = Array.from({ length: kMax }, (_, m) => shared.get(m + 1));
  for (let p = 0; p < permutations; p++) {
    let running = 0;
    for (let m = 0; m < kMax; m++) {
      running += x[draws[p * kMax + m]!]!;
      const record = bySize[m];
      if (record) record.byPermutation[p] = running;
    }
  }
  for (const record of shared.values()) {
    let total = 0;
    let totalSquares = 0;
    for (let p = 0; p < permutations; p++) {
      const value = record.byPermutation[p]!;
      total += value;
      totalSquares += value * value;
    }
    record.total = total;
    record.totalSquares = totalSquares;
    record.sorted = Float64Array.from(record.byPermutation).sort();
  }
  return shared;
}

/** For each drawn index u, the slots p · kMax + m of the draws equal to u (CSR by u). */
function indexDrawsByUnit(draws: Uint32Array, n: number, kMax: number, permutations: number): { offsets: Uint32Array; slots: Uint32Array } {
  const offsets = new Uint32Array(n + 1);
  const total = permutations * kMax;
  for (let s = 0; s < total; s++) offsets[draws[s]! + 1]! += 1;
  for (let u = 0; u < n; u++) offsets[u + 1]! += offsets[u]!;
  const cursor = offsets.slice(0, n);
  const slots = new Uint32Array(total);
  for (let s = 0; s < total; s++) slots[cursor[draws[s]!]!++] = s;
  return { offsets, slots };
}

/** Index of the first element ≥ value in an ascending array. */
function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of elements ≤ value in an ascending array. */
function upperBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
