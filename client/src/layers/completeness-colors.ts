// Colours of the life-circle completeness map: the share of life-circle kinds within reach of a unit
// (kindsWithin / kindsTotal) in five fixed classes of cividis (Nuñez et al. 2018), a sequential ramp
// designed to read alike with and without colour-vision deficiency; "all kinds" is the brightest class.

import type { Rgba } from './color-scales';

/** Lower limits of the classes (shares 0…1): < 40 %, 40–60 %, 60–80 %, 80 % to not all, all kinds. */
export const COMPLETENESS_BREAKS = [0, 0.4, 0.6, 0.8, 1] as const;

/** Cividis at 0, 0.25, 0.5, 0.75, 1: dark blue (few kinds) to yellow (every kind). */
export const COMPLETENESS_PALETTE: readonly Rgba[] = [
  [0, 32, 77, 190],
  [65, 77, 107, 190],
  [124, 123, 120, 190],
  [188, 175, 111, 190],
  [255, 234, 70, 190],
];

/** Class (0…4) of a unit with `within` of `total` kinds in reach; the top class only when all are. */
export function completenessClass(within: number, total: number): number {
  if (total <= 0) return 0;
  if (within >= total) return COMPLETENESS_BREAKS.length - 1;
  const share = within / total;
  let k = 0;
  for (let c = 1; c < COMPLETENESS_BREAKS.length - 1; c++) if (share >= COMPLETENESS_BREAKS[c]!) k = c;
  return k;
}

/** Fill of a unit (null: no residents, drawn muted by the caller). */
export function completenessColor(within: number, total: number, population: number): Rgba | null {
  return population > 0 ? COMPLETENESS_PALETTE[completenessClass(within, total)]! : null;
}
