// Sparse spatial weights in compressed sparse row form (CSR), never n×n: neighbour lists from pairs,
// row standardisation, self weights for Gi*, the sums S0/S1/S2 of Cliff & Ord (1981), and the GAL format.

/**
 * Spatial weights W as CSR: the neighbours of unit i are `neighbors[offsets[i] .. offsets[i + 1])`
 * with weights `weights[same range]`, sorted by neighbour index. A self weight w_ii, when present
 * (Gi*), is stored like any other entry.
 */
export interface SpatialWeights {
  /** Number of units. */
  readonly n: number;
  /** n + 1 row starts. */
  readonly offsets: Uint32Array;
  /** Neighbour index per entry. */
  readonly neighbors: Uint32Array;
  /** Weight per entry. */
  readonly weights: Float64Array;
}

/** Builds binary CSR weights from neighbour lists (duplicates and self pairs dropped, indices sorted). */
export function weightsFromNeighborLists(neighborLists: readonly (readonly number[])[]): SpatialWeights {
  const n = neighborLists.length;
  const offsets = new Uint32Array(n + 1);
  const sorted: number[][] = [];
  for (let i = 0; i < n; i++) {
    const list = Array.from(new Set(neighborLists[i]!)).filter((j) => j !== i);
    for (const j of list) {
      if (!Number.isInteger(j) || j < 0 || j >= n) throw new Error(`neighbour ${j} of unit ${i} is outside 0…${n - 1}`);
    }
    list.sort((a, b) => a - b);
    sorted.push(list);
    offsets[i + 1] = offsets[i]! + list.length;
  }
  const neighbors = new Uint32Array(offsets[n]!);
  for (let i = 0; i < n; i++) neighbors.set(sorted[i]!, offsets[i]!);
  return { n, offsets, neighbors, weights: new Float64Array(neighbors.length).fill(1) };
}

/**
 * Builds binary CSR weights from directed pairs (i, j), each meaning "j is a neighbour of i".
 * Pairs may come in any order and repeat; self pairs are dropped.
 */
export function weightsFromPairs(n: number, from: ArrayLike<number>, to: ArrayLike<number>): SpatialWeights {
  const counts = new Uint32Array(n + 1);
  for (let e = 0; e < from.length; e++) if (from[e] !== to[e]) counts[from[e]! + 1]! += 1;
  for (let i = 0; i < n; i++) counts[i + 1]! += counts[i]!;
  const fill = counts.slice(0, n);
  const raw = new Uint32Array(counts[n]!);
  for (let e = 0; e < from.length; e++) {
    if (from[e] !== to[e]) raw[fill[from[e]!]!++] = to[e]!;
  }
  // Sort each row and drop repeats.
  const offsets = new Uint32Array(n + 1);
  let write = 0;
  for (let i = 0; i < n; i++) {
    const row = raw.subarray(counts[i]!, counts[i + 1]!).sort();
    for (let k = 0; k < row.length; k++) {
      if (k === 0 || row[k] !== row[k - 1]) raw[write++] = row[k]!;
    }
    offsets[i + 1] = write;
  }
  const neighbors = raw.slice(0, write);
  return { n, offsets, neighbors, weights: new Float64Array(write).fill(1) };
}

/** Row-standardised copy: every row with neighbours sums to 1 (rows without neighbours stay empty). */
export function rowStandardizeWeights(w: SpatialWeights): SpatialWeights {
  const weights = new Float64Array(w.weights.length);
  for (let i = 0; i < w.n; i++) {
    let sum = 0;
    for (let e = w.offsets[i]!; e < w.offsets[i + 1]!; e++) sum += w.weights[e]!;
    if (sum === 0) continue;
    for (let e = w.offsets[i]!; e < w.offsets[i + 1]!; e++) weights[e] = w.weights[e]! / sum;
  }
  return { n: w.n, offsets: w.offsets, neighbors: w.neighbors, weights };
}

/** True when unit i is listed among its own neighbours. */
export function hasSelfWeights(w: SpatialWeights): boolean {
  for (let i = 0; i < w.n; i++) {
    for (let e = w.offsets[i]!; e < w.offsets[i + 1]!; e++) if (w.neighbors[e] === i) return true;
  }
  return false;
}

/**
 * Copy with w_ii = `selfWeight` on every row (replacing any existing self entry): the weights of the
 * Gi* statistic, which counts each unit in its own neighbourhood (Ord & Getis 1995).
 */
export function withSelfWeights(w: SpatialWeights, selfWeight = 1): SpatialWeights {
  const offsets = new Uint32Array(w.n + 1);
  for (let i = 0; i < w.n; i++) {
    let count = 1;
    for (let e = w.offsets[i]!; e < w.offsets[i + 1]!; e++) if (w.neighbors[e] !== i) count++;
    offsets[i + 1] = offsets[i]! + count;
  }
  const neighbors = new Uint32Array(offsets[w.n]!);
  const weights = new Float64Array(offsets[w.n]!);
  for (let i = 0; i < w.n; i++) {
    let write = offsets[i]!;
    let placed = false;
    for (let e = w.offsets[i]!; e < w.offsets[i + 1]!; e++) {
      const j = w.neighbors[e]!;
      if (j === i) continue;
      if (!placed && j > i) {
        neighbors[write] = i;
        weights[write++] = selfWeight;
        placed = true;
      }
      neighbors[write] = j;
      weights[write++] = w.weights[e]!;
    }
    if (!placed) {
      neighbors[write] = i;
      weights[write] = selfWeight;
    }
  }
  return { n: w.n, offsets, neighbors, weights };
}

/** Copy without self entries (the weights of Gi and Moran's I). */
export function withoutSelfWeights(w: SpatialWeights): SpatialWeights {
  const keep: number[] = [];
  const offsets = new Uint32Array(w.n + 1);
  for (let i = 0; i < w.n; i++) {
    for (let e = w.offsets[i]!; e < w.offsets[i + 1]!; e++) if (w.neighbors[e] !== i) keep.push(e);
    offsets[i + 1] = keep.length;
  }
  const neighbors = new Uint32Array(keep.length);
  const weights = new Float64Array(keep.length);
  keep.forEach((e, k) => {
    neighbors[k] = w.neighbors[e]!;
    weights[k] = w.weights[e]!;
  });
  return { n: w.n, offsets, neighbors, weights };
}

/** Number of neighbours per unit (self entries included when present). */
export function countNeighbors(w: SpatialWeights): Uint32Array {
  const out = new Uint32Array(w.n);
  for (let i = 0; i < w.n; i++) out[i] = w.offsets[i + 1]! - w.offsets[i]!;
  return out;
}

/**
 * The sums of Cliff & Ord (1981, p. 19): S0 = Σ_ij w_ij, S1 = ½ Σ_ij (w_ij + w_ji)²,
 * S2 = Σ_i (w_i· + w_·i)². Sparse: the transpose is looked up by binary search in the sorted rows.
 */
export function computeWeightSums(w: SpatialWeights): { s0: number; s1: number; s2: number } {
  const rowSum = new Float64Array(w.n);
  const colSum = new Float64Array(w.n);
  let s0 = 0;
  let s1 = 0;
  for (let i = 0; i < w.n; i++) {
    for (let e = w.offsets[i]!; e < w.offsets[i + 1]!; e++) {
      const j = w.neighbors[e]!;
      const wij = w.weights[e]!;
      s0 += wij;
      rowSum[i]! += wij;
      colSum[j]! += wij;
      const wji = findWeight(w, j, i);
      // Each unordered pair once when both directions exist; one-way pairs count (w_ij)² on their own.
      if (wji === 0) s1 += wij * wij;
      else if (i < j || i === j) s1 += i === j ? 2 * wij * wij : (wij + wji) * (wij + wji);
    }
  }
  let s2 = 0;
  for (let i = 0; i < w.n; i++) s2 += (rowSum[i]! + colSum[i]!) ** 2;
  // s1 as accumulated is Σ over unordered pairs of (w_ij + w_ji)², which equals ½ Σ_ij (w_ij + w_ji)².
  return { s0, s1, s2 };
}

/** w_ij, or 0 when j is not a neighbour of i. */
export function findWeight(w: SpatialWeights, i: number, j: number): number {
  let low = w.offsets[i]!;
  let high = w.offsets[i + 1]!;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (w.neighbors[mid]! < j) low = mid + 1;
    else high = mid;
  }
  return low < w.offsets[i + 1]! && w.neighbors[low] === j ? w.weights[low]! : 0;
}

/** True when w_ij = w_ji for every pair. */
export function isSymmetric(w: SpatialWeights): boolean {
  for (let i = 0; i < w.n; i++) {
    for (let e = w.offsets[i]!; e < w.offsets[i + 1]!; e++) {
      if (findWeight(w, w.neighbors[e]!, i) !== w.weights[e]) return false;
    }
  }
  return true;
}

/** Spatial lag Wx into `out` (allocated when absent). */
export function spatialLag(w: SpatialWeights, x: ArrayLike<number>, out: Float64Array = new Float64Array(w.n)): Float64Array {
  for (let i = 0; i < w.n; i++) {
    let sum = 0;
    for (let e = w.offsets[i]!; e < w.offsets[i + 1]!; e++) sum += w.weights[e]! * x[w.neighbors[e]!]!;
    out[i] = sum;
  }
  return out;
}

/**
 * Reads a GAL file (GeoDa / PySAL): a header "n" or "0 n name idField", then per unit a line
 * "<id> <k>" and a line of its k neighbour ids. `ids` gives the unit order (the data's id column);
 * without it, units are ordered as the GAL file lists them. Returns binary weights.
 */
export function parseGalWeights(text: string, ids?: readonly string[]): { weights: SpatialWeights; ids: string[] } {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  let cursor = 0;
  const nextLine = (): string => {
    while (cursor < lines.length && lines[cursor] === '') cursor++;
    if (cursor >= lines.length) throw new Error('GAL: unexpected end of file');
    return lines[cursor++]!;
  };
  const header = nextLine().split(/\s+/);
  const n = Number(header.length >= 2 ? header[1] : header[0]);
  if (!Number.isInteger(n) || n < 0) throw new Error(`GAL: bad header "${header.join(' ')}"`);
  const entries: { id: string; neighbors: string[] }[] = [];
  for (let k = 0; k < n; k++) {
    const [id, countText] = nextLine().split(/\s+/);
    const count = Number(countText);
    if (id === undefined || !Number.isInteger(count) || count < 0) throw new Error(`GAL: bad unit line ${cursor}`);
    const neighbors = count === 0 ? [] : nextLine().split(/\s+/);
    if (neighbors.length !== count) throw new Error(`GAL: unit ${id} lists ${neighbors.length} neighbours, header says ${count}`);
    entries.push({ id, neighbors });
  }
  const order = ids ? [...ids] : entries.map((entry) => entry.id);
  const indexById = new Map(order.map((id, i) => [id, i]));
  if (indexById.size !== order.length) throw new Error('GAL: the id column has duplicates');
  const lists: number[][] = order.map(() => []);
  for (const entry of entries) {
    const i = indexById.get(entry.id);
    if (i === undefined) throw new Error(`GAL: unit ${entry.id} is not in the data`);
    for (const neighbor of entry.neighbors) {
      const j = indexById.get(neighbor);
      if (j === undefined) throw new Error(`GAL: neighbour ${neighbor} of ${entry.id} is not in the data`);
      lists[i]!.push(j);
    }
  }
  return { weights: weightsFromNeighborLists(lists), ids: order };
}
