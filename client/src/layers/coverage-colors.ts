// Colours of the coverage layers: coverage-rate classes (fixed limits, viridis sampled at the class
// midpoints: readable with every common colour-vision deficiency and in greyscale, so a rate reads the
// same on every map), service areas by method, and uncovered residents.

import type { Rgba } from './color-scales';

/** Upper limits of the rate classes (shares 0…1): < 50 %, 50–70 %, 70–85 %, 85–95 %, ≥ 95 %. */
export const RATE_BREAKS = [0.5, 0.7, 0.85, 0.95, 1] as const;

/** Viridis (van der Walt & Smith 2015) at 0.1, 0.3, 0.5, 0.7, 0.9: dark violet (low) to yellow (high). */
const VIRIDIS_5: [number, number, number][] = [
  [72, 36, 117],
  [49, 104, 142],
  [33, 145, 140],
  [53, 183, 121],
  [189, 223, 38],
];

export const RATE_PALETTES: Record<'dark' | 'light', Rgba[]> = {
  light: VIRIDIS_5.map(([r, g, b]) => [r, g, b, 170]),
  dark: VIRIDIS_5.map(([r, g, b]) => [r, g, b, 220]),
};

/** Class of a rate (0…4); rates at a limit fall in the class below it except 1, which is the top class. */
export function rateClass(rate: number): number {
  for (let k = 0; k < RATE_BREAKS.length - 1; k++) if (rate < RATE_BREAKS[k]!) return k;
  return RATE_BREAKS.length - 1;
}

/** Fill of a unit with this coverage rate (null: no residents, drawn muted by the caller). */
export function rateColor(rate: number | null, theme: 'dark' | 'light'): Rgba | null {
  return rate === null ? null : RATE_PALETTES[theme][rateClass(rate)]!;
}

/** Service areas: fill and outline by how they were measured. */
export const SERVICE_AREA_COLORS: Record<'network' | 'straight-line', { fill: Rgba; line: Rgba }> = {
  network: { fill: [33, 102, 172, 120], line: [23, 72, 140, 230] },
  'straight-line': { fill: [118, 42, 131, 90], line: [118, 42, 131, 230] },
};

/** Grids with uncovered residents (polygons) and points sized by them. */
export const GAP_COLORS: { fill: Rgba; line: Rgba } = { fill: [120, 0, 70, 190], line: [255, 255, 255, 230] };
