// Population at risk as a fine lattice of weighted points: each polygon's weight (residents, or residents
// × a rate) spread evenly over the lattice points inside it, found by scanline filling (even-odd rule).

/** Weighted points, planar metres. */
export interface WeightedPoints {
  /** [x0, y0, x1, …]. */
  xy: Float64Array;
  weight: Float64Array;
  /** The polygon each point came from. */
  polygon: Uint32Array;
}

/**
 * Spreads `weights[p]` of polygon p evenly over the points of the square lattice ((i + ½)c, (j + ½)c),
 * c = `cellMeters`, that lie inside it (its rings under the even-odd rule, so holes are left out). A
 * polygon too small to hold a lattice point puts its whole weight at its label point. Polygons of a
 * partition (grids) share no lattice point, so the weights are neither lost nor counted twice.
 * `ringsXY[p]` holds polygon p's rings as [x0, y0, x1, …] in planar metres; `labelsXY` one point per polygon.
 * Zero weights produce no points. O(Σ rows × edges + lattice points) for the polygons' bounding rows.
 */
export function rasterizePolygonWeights(
  ringsXY: readonly (readonly Float64Array[])[],
  weights: ArrayLike<number>,
  labelsXY: ArrayLike<number>,
  cellMeters: number,
): WeightedPoints {
  if (!(cellMeters > 0)) throw new Error(`cellMeters must be positive, got ${cellMeters}`);
  let xy = new Float64Array(1024);
  let weight = new Float64Array(512);
  let polygon = new Uint32Array(512);
  let count = 0;
  let current = 0;
  const push = (x: number, y: number, w: number) => {
    if (count === weight.length) {
      const grownXY = new Float64Array(xy.length * 2);
      grownXY.set(xy);
      xy = grownXY;
      const grownWeight = new Float64Array(weight.length * 2);
      grownWeight.set(weight);
      weight = grownWeight;
      const grownPolygon = new Uint32Array(polygon.length * 2);
      grownPolygon.set(polygon);
      polygon = grownPolygon;
    }
    xy[2 * count] = x;
    xy[2 * count + 1] = y;
    polygon[count] = current;
    weight[count++] = w;
  };
  const crossings: number[] = [];

  /** Calls visit(x, y) for every lattice point inside polygon p; returns how many there are. */
  const scan = (rings: readonly Float64Array[], visit: ((x: number, y: number) => void) | null): number => {
    let minY = Infinity;
    let maxY = -Infinity;
    for (const ring of rings) {
      for (let v = 1; v < ring.length; v += 2) {
        minY = Math.min(minY, ring[v]!);
        maxY = Math.max(maxY, ring[v]!);
      }
    }
    let inside = 0;
    for (let row = Math.ceil(minY / cellMeters - 0.5); (row + 0.5) * cellMeters <= maxY; row++) {
      const y = (row + 0.5) * cellMeters;
      crossings.length = 0;
      for (const ring of rings) {
        const n = ring.length / 2;
        for (let a = 0, b = n - 1; a < n; b = a++) {
          const ya = ring[2 * a + 1]!;
          const yb = ring[2 * b + 1]!;
          // Half-open rule: an edge counts when y lies in [min, max), so shared vertices count once.
          if (ya <= y !== yb <= y) {
            const xa = ring[2 * a]!;
            crossings.push(xa + ((y - ya) / (yb - ya)) * (ring[2 * b]! - xa));
          }
        }
      }
      crossings.sort((u, v) => u - v);
      for (let k = 0; k + 1 < crossings.length; k += 2) {
        // Columns whose centre (i + ½)c lies in [left, right).
        const first = Math.ceil(crossings[k]! / cellMeters - 0.5);
        const last = Math.ceil(crossings[k + 1]! / cellMeters - 0.5) - 1;
        if (last < first) continue;
        inside += last - first + 1;
        if (visit) for (let column = first; column <= last; column++) visit((column + 0.5) * cellMeters, y);
      }
    }
    return inside;
  };

  for (let p = 0; p < ringsXY.length; p++) {
    current = p;
    const w = weights[p]!;
    if (!(w > 0)) continue;
    const inside = scan(ringsXY[p]!, null);
    if (inside === 0) {
      push(labelsXY[2 * p]!, labelsXY[2 * p + 1]!, w);
      continue;
    }
    const share = w / inside;
    scan(ringsXY[p]!, (x, y) => push(x, y, share));
  }
  return { xy: xy.slice(0, 2 * count), weight: weight.slice(0, count), polygon: polygon.slice(0, count) };
}
