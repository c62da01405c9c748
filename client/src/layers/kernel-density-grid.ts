// Kernel density of weighted points on a raster, for display: the quartic (biweight) kernel of
// Silverman (1986, eq. 4.5) with a fixed bandwidth, evaluated on a local metre grid around the points.

export interface KernelDensityGrid {
  /** [minLng, minLat, maxLng, maxLat] of the raster (cell edges). */
  bounds: [number, number, number, number];
  width: number;
  height: number;
  /** Density per km² by cell, row 0 at the north edge (image order). */
  densityPerSquareKm: Float32Array;
  maxDensityPerSquareKm: number;
}

export interface KernelDensityOptions {
  /** Kernel radius (the quartic kernel is 0 beyond it), metres. */
  bandwidthMeters: number;
  /** Raster cell size, metres (capped so the raster stays under maxCells). */
  cellMeters: number;
  maxCells?: number;
}

const METERS_PER_DEGREE_LAT = 111_320;

/**
 * Density of points `lngLat` ([lng0, lat0, …], degrees) with weights (e.g. dispute counts per cell
 * centroid): f(x) = Σ w_i · 3/(π h²) · (1 − d_i²/h²)² for d_i < h, in events per km². O(points × (h/cell)²).
 */
export function computeKernelDensityGrid(lngLat: ArrayLike<number>, weights: ArrayLike<number>, options: KernelDensityOptions): KernelDensityGrid {
  const count = weights.length;
  const h = options.bandwidthMeters;
  let minLng = Infinity;
  let minLat = Infinity;
  let maxLng = -Infinity;
  let maxLat = -Infinity;
  for (let i = 0; i < count; i++) {
    minLng = Math.min(minLng, lngLat[2 * i]!);
    maxLng = Math.max(maxLng, lngLat[2 * i]!);
    minLat = Math.min(minLat, lngLat[2 * i + 1]!);
    maxLat = Math.max(maxLat, lngLat[2 * i + 1]!);
  }
  if (count === 0) return { bounds: [0, 0, 0, 0], width: 0, height: 0, densityPerSquareKm: new Float32Array(0), maxDensityPerSquareKm: 0 };
  const kx = METERS_PER_DEGREE_LAT * Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const ky = METERS_PER_DEGREE_LAT;
  // Grid in metres from the south-west corner, padded by the bandwidth.
  const spanX = (maxLng - minLng) * kx + 2 * h;
  const spanY = (maxLat - minLat) * ky + 2 * h;
  const maxCells = options.maxCells ?? 1_000_000;
  const cell = Math.max(options.cellMeters, Math.sqrt((spanX * spanY) / maxCells));
  const width = Math.max(1, Math.ceil(spanX / cell));
  const height = Math.max(1, Math.ceil(spanY / cell));
  const originX = minLng * kx - h;
  const originY = minLat * ky - h;
  const density = new Float32Array(width * height);
  const norm = (3 / (Math.PI * h * h)) * 1e6;
  const reach = Math.ceil(h / cell);
  for (let i = 0; i < count; i++) {
    const w = weights[i]!;
    if (w === 0) continue;
    const px = lngLat[2 * i]! * kx - originX;
    const py = lngLat[2 * i + 1]! * ky - originY;
    const cx = Math.floor(px / cell);
    const cy = Math.floor(py / cell);
    for (let gy = Math.max(0, cy - reach); gy <= Math.min(height - 1, cy + reach); gy++) {
      const dy = (gy + 0.5) * cell - py;
      for (let gx = Math.max(0, cx - reach); gx <= Math.min(width - 1, cx + reach); gx++) {
        const dx = (gx + 0.5) * cell - px;
        const u = (dx * dx + dy * dy) / (h * h);
        if (u >= 1) continue;
        // Row 0 is the north edge (image rows run top to bottom).
        density[(height - 1 - gy) * width + gx]! += w * norm * (1 - u) * (1 - u);
      }
    }
  }
  let max = 0;
  for (let k = 0; k < density.length; k++) if (density[k]! > max) max = density[k]!;
  return {
    bounds: [originX / kx, originY / ky, (originX + width * cell) / kx, (originY + height * cell) / ky],
    width,
    height,
    densityPerSquareKm: density,
    maxDensityPerSquareKm: max,
  };
}

/** Centroid of each feature's first ring (H3 cells, small polygons), as [lng0, lat0, …]. */
export function ringCentroids(rings: readonly (readonly (readonly number[])[])[]): Float64Array {
  const out = new Float64Array(rings.length * 2);
  rings.forEach((ring, i) => {
    // The closing vertex repeats the first: leave it out of the mean.
    const n = Math.max(1, ring.length - 1);
    let lng = 0;
    let lat = 0;
    for (let v = 0; v < n; v++) {
      lng += ring[v]![0]!;
      lat += ring[v]![1]!;
    }
    out[2 * i] = lng / n;
    out[2 * i + 1] = lat / n;
  });
  return out;
}
