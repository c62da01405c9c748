// Kernel density for display: a computed density raster (kernel-density-grid.ts) drawn as a deck.gl
// BitmapLayer through a transparent-to-red ramp. For the look of a heat map; the statistics are in
// the hot spot classes.

import { BitmapLayer } from '@deck.gl/layers';
import type { KernelDensityGrid } from './kernel-density-grid';
import type { Rgba } from './color-scales';

/** Transparent → yellow → orange → red, by density relative to the maximum. */
export const KERNEL_DENSITY_RAMP: Rgba[] = [
  [255, 255, 178, 0],
  [254, 217, 118, 120],
  [254, 178, 76, 170],
  [253, 141, 60, 200],
  [240, 59, 32, 225],
  [189, 0, 38, 240],
];

/** RGBA pixels of a density raster: density scaled by its maximum (or `maxDensity`) and interpolated in the ramp. */
export function densityToRgba(grid: KernelDensityGrid, maxDensity = grid.maxDensityPerSquareKm, ramp: readonly Rgba[] = KERNEL_DENSITY_RAMP): Uint8ClampedArray {
  const pixels = new Uint8ClampedArray(grid.width * grid.height * 4);
  const last = ramp.length - 1;
  for (let k = 0; k < grid.densityPerSquareKm.length; k++) {
    const t = maxDensity > 0 ? Math.min(1, grid.densityPerSquareKm[k]! / maxDensity) : 0;
    const position = t * last;
    const low = Math.floor(position);
    const high = Math.min(last, low + 1);
    const f = position - low;
    for (let c = 0; c < 4; c++) pixels[4 * k + c] = ramp[low]![c]! * (1 - f) + ramp[high]![c]! * f;
  }
  return pixels;
}

export interface KernelDensityLayerOptions {
  id: string;
  opacity?: number;
  /** Fix the colour scale across frames (e.g. the wall's daily maximum); default the raster's own maximum. */
  maxDensity?: number;
  beforeId?: string;
}

export function createKernelDensityLayer(grid: KernelDensityGrid, options: KernelDensityLayerOptions) {
  const image = { width: grid.width, height: grid.height, data: densityToRgba(grid, options.maxDensity) };
  return new BitmapLayer<{ beforeId?: string }>({
    id: options.id,
    beforeId: options.beforeId,
    image,
    bounds: grid.bounds,
    opacity: options.opacity ?? 0.85,
    textureParameters: { minFilter: 'linear', magFilter: 'linear' },
  });
}
