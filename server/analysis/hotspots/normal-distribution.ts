// The standard normal distribution's tails by W. J. Cody's rational Chebyshev approximations (ANORM,
// 1969/1993; the algorithm of R's pnorm): full double precision, relative accuracy kept far into the tail.
/* eslint no-loss-of-precision: "off" -- the coefficients are written as published, with more digits than a double keeps. */

const INV_SQRT_TWO_PI = 0.398942280401432677939946059934;

// Cody's coefficients for |z| ≤ 0.66291 (A, B), up to √32 (C, D) and beyond (P, Q).
const A = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113];
const B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956];
const C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711,
  6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8,
];
const D = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091,
  34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
];
const P = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303];
const Q = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5];

/**
 * Upper tail Q(z) = P(Z > z) = 1 − Φ(z) of the standard normal, computed without cancellation so that
 * tiny p-values keep their relative precision (about 1e-15 relative to z ≈ 37; 0 beyond 38.5).
 *
 * Reference: W. J. Cody (1969), "Rational Chebyshev approximations for the error function", Math. Comp.
 * 23, 631–637; the coefficients of his ANORM routine (ACM TOMS algorithm 715, 1993), as used by R's pnorm.
 */
export function normalUpperTail(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const y = Math.abs(z);
  if (y <= 0.66291) {
    const zsq = y > 1.1e-16 ? z * z : 0;
    let numerator = A[4]! * zsq;
    let denominator = zsq;
    for (let i = 0; i < 3; i++) {
      numerator = (numerator + A[i]!) * zsq;
      denominator = (denominator + B[i]!) * zsq;
    }
    return 0.5 - (z * (numerator + A[3]!)) / (denominator + B[3]!);
  }
  let ratio: number;
  if (y <= 5.656854249492380195206754896838) {
    let numerator = C[8]! * y;
    let denominator = y;
    for (let i = 0; i < 7; i++) {
      numerator = (numerator + C[i]!) * y;
      denominator = (denominator + D[i]!) * y;
    }
    ratio = (numerator + C[7]!) / (denominator + D[7]!);
  } else {
    const inverse = 1 / (y * y);
    let numerator = P[5]! * inverse;
    let denominator = inverse;
    for (let i = 0; i < 4; i++) {
      numerator = (numerator + P[i]!) * inverse;
      denominator = (denominator + Q[i]!) * inverse;
    }
    ratio = (INV_SQRT_TWO_PI - (inverse * (numerator + P[4]!)) / (denominator + Q[4]!)) / y;
  }
  // exp(−y²/2) split as exp(−s²/2)·exp(−(y − s)(y + s)/2) with s = y rounded down to 1/16 (exact s²).
  const s = Math.trunc(y * 16) / 16;
  const tail = Math.exp((-s * s) / 2) * Math.exp((-(y - s) * (y + s)) / 2) * ratio;
  return z > 0 ? tail : 1 - tail;
}

/** Φ(z) = P(Z ≤ z), the standard normal distribution function. */
export function normalCdf(z: number): number {
  return normalUpperTail(-z);
}

/** Two-sided p-value of a z-score: P(|Z| ≥ |z|) = 2 Q(|z|). NaN stays NaN. */
export function twoSidedPValue(z: number): number {
  return 2 * normalUpperTail(Math.abs(z));
}

/** One-sided p-value in the direction of the observed z: Q(|z|) (PySAL's `p_norm`). */
export function oneSidedPValue(z: number): number {
  return normalUpperTail(Math.abs(z));
}
