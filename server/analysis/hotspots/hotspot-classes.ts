// Hot and cold spot classes from z-scores and p-values at 90, 95 and 99 % confidence (the Gi_Bin
// convention of ArcGIS's Hot Spot Analysis), optionally with Benjamini-Hochberg false-discovery control.

import { computeBenjaminiHochbergThreshold } from './false-discovery-rate';

/** Significance levels of the classes ±3, ±2, ±1: 99, 95 and 90 % confidence. */
export const CLASS_ALPHAS = [0.01, 0.05, 0.1] as const;

/**
 * Class per unit: +3 / +2 / +1 hot spot at 99 / 95 / 90 % confidence, −1 … −3 cold spot, 0 not
 * significant. The sign follows z; the level is the smallest α in CLASS_ALPHAS with p ≤ α. With `fdr`,
 * each level's threshold is the Benjamini-Hochberg threshold at that α over all units (as ArcGIS does
 * with its FDR option), so at most about α of the units flagged at that level are false alarms.
 * Units with a NaN z or p are class 0.
 */
export function classifyHotspots(
  z: ArrayLike<number>,
  p: ArrayLike<number>,
  options: { fdr: boolean },
  out: Int8Array = new Int8Array(z.length),
): Int8Array {
  const thresholds = CLASS_ALPHAS.map((alpha) => (options.fdr ? computeBenjaminiHochbergThreshold(p, alpha) : alpha));
  for (let i = 0; i < z.length; i++) {
    const zi = z[i]!;
    const pi = p[i]!;
    let level = 0;
    if (!Number.isNaN(zi) && !Number.isNaN(pi) && zi !== 0) {
      if (pi <= thresholds[0]!) level = 3;
      else if (pi <= thresholds[1]!) level = 2;
      else if (pi <= thresholds[2]!) level = 1;
    }
    out[i] = zi > 0 ? level : -level;
  }
  return out;
}
