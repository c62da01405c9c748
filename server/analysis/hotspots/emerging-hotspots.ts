// Emerging hot spots on a space-time cube: Gi* per time slice, a Mann-Kendall trend of each cell's
// Gi* z-scores, and the pattern categories of ArcGIS's Emerging Hot Spot Analysis (new, consecutive,
// intensifying, persistent, diminishing, sporadic, oscillating, historical, and their cold counterparts).

import { computeLocalGetisOrd, type LocalGetisOrdResult } from './getis-ord';
import { classifyHotspots } from './hotspot-classes';
import { computeMannKendall } from './mann-kendall';
import type { SpatialWeights } from './spatial-weights';

export const EMERGING_CATEGORIES = [
  'none',
  'newHot',
  'consecutiveHot',
  'intensifyingHot',
  'persistentHot',
  'diminishingHot',
  'sporadicHot',
  'oscillatingHot',
  'historicalHot',
  'newCold',
  'consecutiveCold',
  'intensifyingCold',
  'persistentCold',
  'diminishingCold',
  'sporadicCold',
  'oscillatingCold',
  'historicalCold',
] as const;
export type EmergingCategory = (typeof EMERGING_CATEGORIES)[number];

/** Share of slices a cell must be a significant hot (cold) spot in to be persistent, intensifying, diminishing or historical. */
export const PERSISTENT_SHARE = 0.9;

export interface EmergingHotspotOptions {
  /**
   * Significance of a slice's Gi*: a cell is a hot (cold) spot in a slice when its class is at least
   * the confidence 1 − alpha. Default 0.1 (90 %, ArcGIS's lowest confidence bin).
   */
  alpha?: 0.01 | 0.05 | 0.1;
  /** Benjamini-Hochberg control per slice (default true, as ArcGIS's emerging hot spot tool). */
  fdr?: boolean;
  /** Significance of the Mann-Kendall trend for intensifying and diminishing (default 0.05). */
  trendAlpha?: number;
}

export interface EmergingHotspotResult {
  /** Index into EMERGING_CATEGORIES per cell. */
  category: Uint8Array;
  /** Mann-Kendall z and two-sided p of each cell's Gi* z-series (NaN z counted as 0). */
  trendZ: Float64Array;
  trendP: Float64Array;
  /** Slices in which the cell is a significant hot / cold spot. */
  hotSlices: Uint16Array;
  coldSlices: Uint16Array;
  /** Gi* z-score per slice and cell, slice-major (NaN where a slice has no variance). */
  zBySlice: Float64Array;
}

/**
 * Classifies every cell of a cube (counts slice-major: cube[s × cellCount + c]) with Gi* weights `w`
 * (self weights included). With n slices, H (C) the number of slices in which the cell is a
 * significant hot (cold) spot, and the last slice deciding the branch (ArcGIS's definitions):
 *
 * - last slice hot: H ≥ 0.9 n → intensifying (significant upward trend), diminishing (downward) or
 *   persistent; otherwise oscillating if it was ever a cold spot, new if this is its only hot slice,
 *   consecutive if its hot slices are one run of at least two ending now, else sporadic;
 * - last slice cold: the same with cold and hot swapped (intensifying cold trends downward);
 * - last slice not significant: historical hot (cold) when H (C) ≥ 0.9 n, else no pattern.
 */
export function detectEmergingHotspots(
  cube: Float64Array,
  cellCount: number,
  sliceCount: number,
  w: SpatialWeights,
  options: EmergingHotspotOptions = {},
): EmergingHotspotResult {
  if (cube.length !== cellCount * sliceCount) throw new Error(`cube has ${cube.length} values, expected ${cellCount} × ${sliceCount}`);
  const alpha = options.alpha ?? 0.1;
  const level = alpha === 0.01 ? 3 : alpha === 0.05 ? 2 : 1;
  const trendAlpha = options.trendAlpha ?? 0.05;
  const fdr = options.fdr ?? true;
  const zBySlice = new Float64Array(cellCount * sliceCount);
  const state = new Int8Array(cellCount * sliceCount);
  const scratch: LocalGetisOrdResult = { g: new Float64Array(cellCount), z: new Float64Array(cellCount), p: new Float64Array(cellCount) };
  const classes = new Int8Array(cellCount);
  for (let s = 0; s < sliceCount; s++) {
    computeLocalGetisOrd(cube.subarray(s * cellCount, (s + 1) * cellCount), w, { star: true }, scratch);
    classifyHotspots(scratch.z, scratch.p, { fdr }, classes);
    for (let c = 0; c < cellCount; c++) {
      zBySlice[s * cellCount + c] = scratch.z[c]!;
      const cls = classes[c]!;
      state[s * cellCount + c] = cls >= level ? 1 : cls <= -level ? -1 : 0;
    }
  }

  const result: EmergingHotspotResult = {
    category: new Uint8Array(cellCount),
    trendZ: new Float64Array(cellCount),
    trendP: new Float64Array(cellCount),
    hotSlices: new Uint16Array(cellCount),
    coldSlices: new Uint16Array(cellCount),
    zBySlice,
  };
  const series = new Float64Array(sliceCount);
  const flags = new Int8Array(sliceCount);
  for (let c = 0; c < cellCount; c++) {
    let hot = 0;
    let cold = 0;
    for (let s = 0; s < sliceCount; s++) {
      const z = zBySlice[s * cellCount + c]!;
      series[s] = Number.isNaN(z) ? 0 : z;
      flags[s] = state[s * cellCount + c]!;
      if (flags[s] === 1) hot++;
      else if (flags[s] === -1) cold++;
    }
    const trend = computeMannKendall(series, sliceCount);
    result.trendZ[c] = trend.z;
    result.trendP[c] = trend.p;
    result.hotSlices[c] = hot;
    result.coldSlices[c] = cold;
    result.category[c] = EMERGING_CATEGORIES.indexOf(classifyEmergingPattern(flags, trend.z, trend.p, trendAlpha));
  }
  return result;
}

/**
 * The category of one cell from its per-slice states (+1 significant hot, −1 significant cold, 0 not
 * significant; time order) and the Mann-Kendall trend of its Gi* z-scores.
 */
export function classifyEmergingPattern(states: ArrayLike<number>, trendZ: number, trendP: number, trendAlpha = 0.05): EmergingCategory {
  const n = states.length;
  if (n === 0) return 'none';
  let hot = 0;
  let cold = 0;
  for (let s = 0; s < n; s++) {
    if (states[s] === 1) hot++;
    else if (states[s] === -1) cold++;
  }
  const last = states[n - 1]!;
  if (last === 0) {
    if (hot >= PERSISTENT_SHARE * n) return 'historicalHot';
    if (cold >= PERSISTENT_SHARE * n) return 'historicalCold';
    return 'none';
  }
  const sign = last;
  const same = sign === 1 ? hot : cold;
  const opposite = sign === 1 ? cold : hot;
  const trendSignificant = trendP <= trendAlpha;
  // For cold spots "intensifying" means the z-scores fall further.
  const trendTowards = trendSignificant && Math.sign(trendZ) === sign;
  const trendAway = trendSignificant && Math.sign(trendZ) === -sign;
  let category: string;
  if (same >= PERSISTENT_SHARE * n) {
    category = trendTowards ? 'intensifying' : trendAway ? 'diminishing' : 'persistent';
  } else if (opposite > 0) {
    category = 'oscillating';
  } else if (same === 1) {
    category = 'new';
  } else {
    // One uninterrupted run ending in the last slice holds every hot (cold) slice?
    let run = 0;
    while (run < n && states[n - 1 - run] === sign) run++;
    category = run === same && run >= 2 ? 'consecutive' : 'sporadic';
  }
  return `${category}${sign === 1 ? 'Hot' : 'Cold'}` as EmergingCategory;
}
