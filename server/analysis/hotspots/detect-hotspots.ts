// Hot spot detection in one call: Gi* (or Gi) z-scores and p-values, optional conditional-permutation
// pseudo p-values, and classes at 90/95/99 % with optional false-discovery-rate control.

import { computeConditionalPermutations } from './conditional-permutation';
import { adjustBenjaminiHochberg } from './false-discovery-rate';
import { computeLocalGetisOrd } from './getis-ord';
import { classifyHotspots } from './hotspot-classes';
import { rowStandardizeWeights, withSelfWeights, withoutSelfWeights, type SpatialWeights } from './spatial-weights';

/** Gi* takes the unit itself into its neighbourhood (w_ii = 1 before any row standardisation). */
export function prepareGetisOrdWeights(base: SpatialWeights, options: { star: boolean; rowStandardized: boolean }): SpatialWeights {
  const shaped = options.star ? withSelfWeights(base, 1) : withoutSelfWeights(base);
  return options.rowStandardized ? rowStandardizeWeights(shaped) : shaped;
}

export interface DetectHotspotsOptions {
  /** Gi* (default) or Gi. The weights must already be shaped for it (see prepareGetisOrdWeights). */
  star?: boolean;
  /** Conditional permutations for pseudo p-values; 0 or absent: analytic p-values only. */
  permutations?: number;
  /** Uniform [0, 1) numbers, required with permutations. */
  random?: () => number;
  /** Benjamini-Hochberg false-discovery-rate control of the classes. */
  fdr?: boolean;
}

export interface HotspotResult {
  /** G_i or G_i*. */
  g: Float64Array;
  /** Analytic z-score (Ord & Getis 1995). */
  z: Float64Array;
  /** The p-value the classes use: the pseudo p-value with permutations, else the analytic two-sided one. */
  p: Float64Array;
  /** Analytic two-sided p-value. */
  pNormal: Float64Array;
  /** Folded pseudo p-value from conditional permutations, when asked for. */
  pSim: Float64Array | null;
  /** Benjamini-Hochberg q-value of p, when fdr is on. */
  q: Float64Array | null;
  /** +3 … −3: hot / cold at 99, 95, 90 % confidence, 0 not significant (see classifyHotspots). */
  classes: Int8Array;
}

/** Local Getis-Ord hot spots of `values` on weights `w`. */
export function detectHotspots(values: ArrayLike<number>, w: SpatialWeights, options: DetectHotspotsOptions = {}): HotspotResult {
  const star = options.star ?? true;
  const analytic = computeLocalGetisOrd(values, w, { star });
  let pSim: Float64Array | null = null;
  if (options.permutations) {
    if (!options.random) throw new Error('permutations need a seeded random source');
    pSim = computeConditionalPermutations(values, w, {
      statistic: star ? 'getisOrdStar' : 'getisOrd',
      permutations: options.permutations,
      random: options.random,
    }).pSim;
  }
  const p = pSim ?? analytic.p;
  const fdr = options.fdr ?? false;
  return {
    g: analytic.g,
    z: analytic.z,
    p,
    pNormal: analytic.p,
    pSim,
    q: fdr ? adjustBenjaminiHochberg(p) : null,
    classes: classifyHotspots(analytic.z, p, { fdr }),
  };
}
