// Swap (vertex substitution) local search after Teitz & Bart (1968), evaluated the fast way of
// Whitaker (1983) and Resende & Werneck (2007): for a candidate i entering, the profit of removing each
// open site r is gain(i) − loss(r) + extra(i, r), where extra is sparse (only the nearest sites of the
// demand points i would take), so one full neighbourhood scan costs one pass over the cost rows.

import { FacilityAssignment, SITE_CLOSED, SITE_OPEN } from './facility-assignment';

export interface SwapOptions {
  /** Most swaps to make (default 10,000). */
  maxSwaps?: number;
  /** Stop after this many milliseconds (checked between scans); default no limit. */
  timeBudgetMs?: number;
  /** Clock in milliseconds (performance.now by default). */
  nowMs?: () => number;
  /** Only these candidates may enter (default: every closed candidate). */
  allowed?: Uint8Array;
}

export interface SwapResult {
  swaps: number;
  /** Full neighbourhood scans made (the last one found no improving swap unless a limit stopped it). */
  scans: number;
  /** True when the last scan proved the solution swap-optimal. */
  localOptimum: boolean;
  /**
   * The largest decrease any single closed candidate would give if opened on top of the final
   * solution, per candidate (from the last scan): the input of the online bound.
   */
  lastGains: Float64Array;
}

/**
 * Best-improvement swaps (one chosen site out, one closed candidate in) until none decreases the
 * objective. Fixed sites never leave. Works in place on `assignment`.
 */
export function swapImprove(assignment: FacilityAssignment, options: SwapOptions = {}): SwapResult {
  const { instance } = assignment;
  const { rows, weightByDemand } = instance;
  const candidateCount = rows.candidateCount;
  const demandCount = rows.demandCount;
  const maxSwaps = options.maxSwaps ?? 10_000;
  const nowMs = options.nowMs ?? (() => performance.now());
  const deadline = options.timeBudgetMs === undefined ? Infinity : nowMs() + options.timeBudgetMs;
  const loss = new Float64Array(candidateCount);
  const extra = new Float64Array(candidateCount);
  const touchedAt = new Int32Array(candidateCount).fill(-1);
  const touched = new Uint32Array(candidateCount);
  const lastGains = new Float64Array(candidateCount);
  let swaps = 0;
  let scans = 0;
  let localOptimum = false;

  while (swaps < maxSwaps && nowMs() < deadline) {
    scans++;
    const chosen = assignment.chosen;
    // loss(r): objective increase if chosen site r closed (its demand falls back to the second nearest).
    loss.fill(0);
    let maxSecondCost = 0;
    for (let u = 0; u < demandCount; u++) {
      const r = assignment.nearest[u]!;
      if (r >= 0 && assignment.open[r] === SITE_OPEN) loss[r]! += weightByDemand[u]! * (assignment.secondCost[u]! - assignment.nearestCost[u]!);
      if (assignment.secondCost[u]! > maxSecondCost) maxSecondCost = assignment.secondCost[u]!;
    }
    // Chosen sites by loss ascending: the best site to drop among those a candidate does not touch.
    const byLoss = Float64Array.from(chosen, (r) => loss[r]!);
    const order = Uint32Array.from(chosen.keys());
    sortByKey(byLoss, order);
    const chosenByLoss = Uint32Array.from(order, (k) => chosen[k]!);

    let bestProfit = 1e-9 * Math.max(1, Math.abs(assignment.objective));
    let bestIn = -1;
    let bestOut = -1;
    for (let i = 0; i < candidateCount; i++) {
      lastGains[i] = 0;
      if (assignment.open[i] !== SITE_CLOSED || (options.allowed && options.allowed[i] === 0)) continue;
      let gain = 0;
      let touchedCount = 0;
      for (let k = rows.offsets[i]!, end = rows.offsets[i + 1]!; k < end; k++) {
        const d = rows.cost[k]!;
        if (d >= maxSecondCost) break;
        const u = rows.demandIndex[k]!;
        const d2 = assignment.secondCost[u]!;
        if (d >= d2) continue;
        const w = weightByDemand[u]!;
        const d1 = assignment.nearestCost[u]!;
        if (d < d1) gain += w * (d1 - d);
        const r = assignment.nearest[u]!;
        if (r >= 0 && assignment.open[r] === SITE_OPEN) {
          if (touchedAt[r] !== i) {
            touchedAt[r] = i;
            extra[r] = 0;
            touched[touchedCount++] = r;
          }
          extra[r]! += w * (d2 - (d > d1 ? d : d1));
        }
      }
      lastGains[i] = gain;
      if (chosen.length === 0) continue;
      // Best site to drop: among touched ones extra − loss, among the others −loss (smallest loss).
      let bestDrop = -1;
      let bestDropValue = -Infinity;
      for (let t = 0; t < touchedCount; t++) {
        const r = touched[t]!;
        const value = extra[r]! - loss[r]!;
        if (value > bestDropValue || (value === bestDropValue && r < bestDrop)) {
          bestDropValue = value;
          bestDrop = r;
        }
      }
      for (let t = 0; t < chosenByLoss.length; t++) {
        const r = chosenByLoss[t]!;
        if (touchedAt[r] === i) continue;
        if (-loss[r]! > bestDropValue) {
          bestDropValue = -loss[r]!;
          bestDrop = r;
        }
        break;
      }
      const profit = gain + bestDropValue;
      if (profit > bestProfit) {
        bestProfit = profit;
        bestIn = i;
        bestOut = bestDrop;
      }
    }
    if (bestIn < 0) {
      localOptimum = true;
      break;
    }
    // Open first, so demand of the closing site can move straight to the new one.
    assignment.openSite(bestIn);
    assignment.closeSite(bestOut);
    swaps++;
  }
  // Keep the running total honest after many incremental updates.
  assignment.recomputeObjective();
  return { swaps, scans, localOptimum, lastGains };
}

/** Sorts `keys` ascending, permuting `values` alongside (insertion sort for short arrays, else a copy sort). */
function sortByKey(keys: Float64Array, values: Uint32Array): void {
  const n = keys.length;
  if (n <= 64) {
    for (let i = 1; i < n; i++) {
      const key = keys[i]!;
      const value = values[i]!;
      let j = i - 1;
      while (j >= 0 && (keys[j]! > key || (keys[j] === key && values[j]! > value))) {
        keys[j + 1] = keys[j]!;
        values[j + 1] = values[j]!;
        j--;
      }
      keys[j + 1] = key;
      values[j + 1] = value;
    }
    return;
  }
  const order = Array.from(values.keys()).sort((a, b) => keys[a]! - keys[b]! || values[a]! - values[b]!);
  const sortedKeys = Float64Array.from(order, (k) => keys[k]!);
  const sortedValues = Uint32Array.from(order, (k) => values[k]!);
  keys.set(sortedKeys);
  values.set(sortedValues);
}
