// Lays out the children of one parent polygon as Voronoi cells: sample points from a density over
// the parent (a compact core around a seat plus a uniform background), place one seed per child by
// k-means (centroidal Voronoi: about equal sample mass per cell, so cells are small where the density
// is high), and cut the parent's bounding box into the seeds' Voronoi cells.

import { Delaunay } from 'd3-delaunay';
import type { Position } from 'geojson';
import { createLocalProjection, type LocalProjection } from '../../server/analysis/geo/local-projection';
import { createPointInPolygonIndex, type PointInPolygonIndex } from '../../server/analysis/geo/point-in-polygon-index';
import { createPolygonSampler, type PolygonSampler } from './polygon-sampler';
import type { Rng } from '../../server/analysis/random';

export interface DensityCore {
  /** Centre of the dense core, [lng, lat]. */
  seatLngLat: [number, number];
  /** Standard deviation of the core's Gaussian, metres. */
  sigmaMeters: number;
  /** Share of the sample mass in the core (0..1); the rest is uniform over the parent. */
  massShare: number;
}

export interface ParentFrame {
  projection: LocalProjection;
  /** Containment test in projected metres. */
  index: PointInPolygonIndex;
  /** Uniform points in projected metres. */
  sampler: PolygonSampler;
  /** [minX, minY, maxX, maxY] metres. */
  bbox: [number, number, number, number];
  areaSquareMeters: number;
  /** Distance (metres) from a projected point to the nearest edge of the parent. */
  borderDistanceMeters(x: number, y: number): number;
}

/** Projects a parent polygon once (around `originLngLat`) and indexes it for sampling. */
export function createParentFrame(polygon: Position[][][], originLngLat: [number, number]): ParentFrame {
  const projection = createLocalProjection(originLngLat[0], originLngLat[1]);
  const projected = polygon.map((part) => part.map((ring) => ring.map((p) => projection.toXY(p))));
  const index = createPointInPolygonIndex(projected);
  const sampler = createPolygonSampler(projected);
  const rings = projected.flat();
  const borderDistanceMeters = (x: number, y: number): number => {
    let best = Infinity;
    for (const ring of rings) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const ax = ring[i]![0]!;
        const ay = ring[i]![1]!;
        const dx = ring[i + 1]![0]! - ax;
        const dy = ring[i + 1]![1]! - ay;
        const lengthSquared = dx * dx + dy * dy;
        const t = lengthSquared === 0 ? 0 : Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / lengthSquared));
        best = Math.min(best, (ax + t * dx - x) ** 2 + (ay + t * dy - y) ** 2);
      }
    }
    return Math.sqrt(best);
  };
  return { projection, index, sampler, bbox: index.bbox, areaSquareMeters: sampler.area, borderDistanceMeters };
}

/**
 * Room a seed needs: its distance from the parent's border and half its distance from any other seed
 * are at least `clearanceMeters`, so its Voronoi cell holds a disc of that radius inside the parent.
 */
export interface SeedClearance {
  clearanceMeters: number;
  borderDistanceMeters(x: number, y: number): number;
}

/**
 * Draws `count` points inside the parent (metres): a share `core.massShare` from a Gaussian around the
 * seat (redrawn when it falls outside; after a few misses, uniform), the rest uniform.
 * Returns interleaved [x0, y0, x1, …].
 */
export function sampleParentPoints(frame: ParentFrame, count: number, rng: Rng, core?: DensityCore): Float64Array {
  const out = new Float64Array(count * 2);
  const seat = core ? frame.projection.toXY(core.seatLngLat) : null;
  for (let n = 0; n < count; n++) {
    let point: [number, number] | null = null;
    if (seat && core && rng.next() < core.massShare) {
      for (let attempt = 0; attempt < 8 && !point; attempt++) {
        const x = rng.normal(seat[0], core.sigmaMeters);
        const y = rng.normal(seat[1], core.sigmaMeters);
        if (frame.index.contains(x, y)) point = [x, y];
      }
    }
    point ??= frame.sampler.sample(rng);
    out[n * 2] = point[0];
    out[n * 2 + 1] = point[1];
  }
  return out;
}

/**
 * k seeds by k-means (Lloyd's iterations, k-means++ start) on the sample points; each final seed is
 * moved to a sample, so seeds lie inside the parent: its cluster's sample nearest the centroid that
 * has the `clearance` (seeds placed in cluster order), else the parent's sample with the most room.
 * A seed next to the border or to another seed would leave its child a sliver, which rounding to 6
 * decimals can erase. Returns interleaved seed coordinates.
 */
export function placeSeedsByKMeans(points: Float64Array, k: number, rng: Rng, iterations = 10, clearance?: SeedClearance): Float64Array {
  const n = points.length / 2;
  if (k > n) throw new Error(`k-means needs at least ${k} points, got ${n}`);
  const seeds = new Float64Array(k * 2);
  // k-means++: each next seed drawn with probability ∝ squared distance to the nearest seed so far.
  const nearest = new Float64Array(n).fill(Infinity);
  let first = rng.int(0, n - 1);
  for (let s = 0; s < k; s++) {
    seeds[s * 2] = points[first * 2]!;
    seeds[s * 2 + 1] = points[first * 2 + 1]!;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const dx = points[i * 2]! - seeds[s * 2]!;
      const dy = points[i * 2 + 1]! - seeds[s * 2 + 1]!;
      const d = dx * dx + dy * dy;
      if (d < nearest[i]!) nearest[i] = d;
      total += nearest[i]!;
    }
    let target = rng.next() * total;
    first = n - 1;
    for (let i = 0; i < n; i++) {
      target -= nearest[i]!;
      if (target < 0) {
        first = i;
        break;
      }
    }
  }

  const assignment = new Int32Array(n);
  const sumX = new Float64Array(k);
  const sumY = new Float64Array(k);
  const counts = new Uint32Array(k);
  for (let iteration = 0; iteration <= iterations; iteration++) {
    // Delaunator skips coincident seeds; a skipped seed gets no points and restarts below.
    const delaunay = new Delaunay(seeds);
    let hint = 0;
    for (let i = 0; i < n; i++) {
      hint = delaunay.find(points[i * 2]!, points[i * 2 + 1]!, hint);
      assignment[i] = hint;
    }
    if (iteration === iterations) break;
    sumX.fill(0);
    sumY.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assignment[i]!;
      sumX[c]! += points[i * 2]!;
      sumY[c]! += points[i * 2 + 1]!;
      counts[c]! += 1;
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) {
        // An empty cluster restarts at a random sample.
        const i = rng.int(0, n - 1);
        seeds[c * 2] = points[i * 2]!;
        seeds[c * 2 + 1] = points[i * 2 + 1]!;
      } else {
        seeds[c * 2] = sumX[c]! / counts[c]!;
        seeds[c * 2 + 1] = sumY[c]! / counts[c]!;
      }
    }
  }

  // Each seed to a sample (centroids of non-convex parents can lie outside).
  const samplesByCluster: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < n; i++) samplesByCluster[assignment[i]!]!.push(i);
  const snapped = new Float64Array(seeds);
  for (let c = 0; c < k; c++) {
    const own = samplesByCluster[c]!;
    const centroidDistance = (i: number): number => (points[i * 2]! - seeds[c * 2]!) ** 2 + (points[i * 2 + 1]! - seeds[c * 2 + 1]!) ** 2;
    own.sort((i, j) => centroidDistance(i) - centroidDistance(j) || i - j);
    let chosen = own.length > 0 ? own[0]! : -1;
    if (clearance) {
      // Room of a sample: its distance from the border, and half its distance from the seeds placed so far.
      const roomOf = (i: number): number => {
        const x = points[i * 2]!;
        const y = points[i * 2 + 1]!;
        let room = clearance.borderDistanceMeters(x, y);
        for (let d = 0; d < c; d++) room = Math.min(room, Math.hypot(snapped[d * 2]! - x, snapped[d * 2 + 1]! - y) / 2);
        return room;
      };
      const roomy = own.find((i) => roomOf(i) >= clearance.clearanceMeters);
      if (roomy !== undefined) chosen = roomy;
      else {
        // No room in the cluster (a few samples on a small island or in a narrow strip, or none):
        // the sample of the whole parent with the most room, so the child still gets a proper cell.
        let bestRoom = -1;
        for (let i = 0; i < n; i++) {
          const room = roomOf(i);
          if (room > bestRoom) [chosen, bestRoom] = [i, room];
        }
      }
    }
    if (chosen === -1) continue;
    snapped[c * 2] = points[chosen * 2]!;
    snapped[c * 2 + 1] = points[chosen * 2 + 1]!;
  }
  return dedupeSeeds(snapped);
}

/** Nudges coincident seeds apart by a millimetre (Delaunay needs distinct points). */
function dedupeSeeds(seeds: Float64Array): Float64Array {
  const seen = new Set<string>();
  const out = new Float64Array(seeds);
  for (let s = 0; s < out.length / 2; s++) {
    let key = `${out[s * 2]},${out[s * 2 + 1]}`;
    while (seen.has(key)) {
      out[s * 2]! += 0.001;
      key = `${out[s * 2]},${out[s * 2 + 1]}`;
    }
    seen.add(key);
  }
  return out;
}

/**
 * Voronoi cells of the seeds inside `bounds` (metres), converted to closed lon/lat rings with
 * `toLngLat` (which should round, so shared cell vertices stay identical).
 */
export function voronoiCellRings(
  seeds: Float64Array,
  bounds: [number, number, number, number],
  toLngLat: (xy: readonly number[]) => Position,
): Position[][] {
  const count = seeds.length / 2;
  if (count === 1) {
    const [x0, y0, x1, y1] = bounds;
    return [[toLngLat([x0, y0]), toLngLat([x1, y0]), toLngLat([x1, y1]), toLngLat([x0, y1]), toLngLat([x0, y0])]];
  }
  const voronoi = new Delaunay(seeds).voronoi(bounds);
  const rings: Position[][] = [];
  // Convert each circumcentre once so the two cells sharing it get the very same coordinates.
  const converted = new Map<string, Position>();
  for (let i = 0; i < count; i++) {
    const polygon = voronoi.cellPolygon(i);
    if (!polygon) throw new Error(`seed ${i} has no Voronoi cell`);
    rings.push(
      polygon.map(([x, y]) => {
        const key = `${x},${y}`;
        let p = converted.get(key);
        if (!p) {
          p = toLngLat([x!, y!]);
          converted.set(key, p);
        }
        return p;
      }),
    );
  }
  return rings;
}
