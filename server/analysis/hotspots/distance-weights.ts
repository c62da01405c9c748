// Distance-based weights of points in a plane (metres or the data's planar units): a distance band
// (every point within d) and k nearest neighbours, found with a k-d tree (kdbush), never n × n.

import KDBush from 'kdbush';
import { weightsFromNeighborLists, weightsFromPairs, type SpatialWeights } from './spatial-weights';

function buildIndex(xy: ArrayLike<number>): KDBush {
  const count = xy.length / 2;
  const index = new KDBush(Math.max(1, count), 64, Float64Array);
  for (let i = 0; i < count; i++) index.add(xy[2 * i]!, xy[2 * i + 1]!);
  if (count === 0) index.add(0, 0);
  index.finish();
  return index;
}

/**
 * Binary distance-band weights: j is a neighbour of i when 0 < ‖x_i − x_j‖ ≤ `thresholdDistance` (the
 * band includes its edge, as PySAL's DistanceBand; coincident points are neighbours too). `xy` is
 * [x0, y0, x1, …] in planar units.
 */
export function buildDistanceBandWeights(xy: ArrayLike<number>, thresholdDistance: number): SpatialWeights {
  if (!(thresholdDistance > 0)) throw new Error(`distance threshold must be positive, got ${thresholdDistance}`);
  const count = xy.length / 2;
  const index = buildIndex(xy);
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < count; i++) {
    for (const j of index.within(xy[2 * i]!, xy[2 * i + 1]!, thresholdDistance)) {
      if (j !== i && j < count) {
        from.push(i);
        to.push(j);
      }
    }
  }
  return weightsFromPairs(count, from, to);
}

/**
 * Binary k-nearest-neighbour weights: the k points closest to i (i itself excluded; ties by index).
 * Not symmetric in general. Found by range queries of growing radius on the k-d tree.
 */
export function buildKNearestWeights(xy: ArrayLike<number>, k: number): SpatialWeights {
  const count = xy.length / 2;
  if (!Number.isInteger(k) || k < 1 || k >= count) throw new Error(`k must be an integer 1…${count - 1}, got ${k}`);
  const index = buildIndex(xy);
  // A first radius from the bounding box: the side of a square holding k + 1 points on average.
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < count; i++) {
    minX = Math.min(minX, xy[2 * i]!);
    maxX = Math.max(maxX, xy[2 * i]!);
    minY = Math.min(minY, xy[2 * i + 1]!);
    maxY = Math.max(maxY, xy[2 * i + 1]!);
  }
  const extent = Math.max(maxX - minX, maxY - minY, Number.MIN_VALUE);
  const startRadius = Math.max(extent * Math.sqrt((k + 1) / count), extent * 1e-9);
  const lists: number[][] = [];
  for (let i = 0; i < count; i++) {
    const x = xy[2 * i]!;
    const y = xy[2 * i + 1]!;
    let radius = startRadius;
    let found = index.within(x, y, radius);
    while (found.length < k + 1 && radius < extent * 4) {
      radius *= 2;
      found = index.within(x, y, radius);
    }
    if (found.length < k + 1) found = index.within(x, y, Infinity);
    const others = found.filter((j) => j !== i);
    const distance = (j: number) => (xy[2 * j]! - x) ** 2 + (xy[2 * j + 1]! - y) ** 2;
    others.sort((a, b) => distance(a) - distance(b) || a - b);
    lists.push(others.slice(0, k));
  }
  return weightsFromNeighborLists(lists);
}
