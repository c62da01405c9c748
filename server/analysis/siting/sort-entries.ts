// In-place sort of a range of parallel arrays (cost, index) by cost, then index: an introsort-free
// quicksort (median of three, insertion sort below 16 items) with no comparator closure, so rows of
// sparse cost matrices sort without allocating.

/**
 * Sorts entries `from … to − 1` of the parallel arrays by `cost` ascending, ties by `index` ascending
 * (so equal inputs give identical orders on every platform).
 */
export function sortEntriesByCost(cost: Float64Array, index: Uint32Array, from: number, to: number): void {
  // Rows built in order (transposes, covering sets) often arrive sorted: one pass says so.
  let sorted = true;
  for (let k = from + 1; k < to && sorted; k++) sorted = !before(cost, index, k, k - 1);
  if (sorted) return;
  // An explicit stack of ranges: recursion depth is bounded by always pushing the larger half.
  const stack: number[] = [from, to];
  while (stack.length > 0) {
    let hi = stack.pop()!;
    let lo = stack.pop()!;
    while (hi - lo > 16) {
      const mid = (lo + hi) >>> 1;
      // Median of three moved to lo as the pivot.
      if (before(cost, index, mid, lo)) swap(cost, index, mid, lo);
      if (before(cost, index, hi - 1, lo)) swap(cost, index, hi - 1, lo);
      if (before(cost, index, hi - 1, mid)) swap(cost, index, hi - 1, mid);
      swap(cost, index, lo, mid);
      const pivotCost = cost[lo]!;
      const pivotIndex = index[lo]!;
      let i = lo + 1;
      let j = hi - 1;
      for (;;) {
        while (i <= j && (cost[i]! < pivotCost || (cost[i] === pivotCost && index[i]! < pivotIndex))) i++;
        while (i <= j && (cost[j]! > pivotCost || (cost[j] === pivotCost && index[j]! > pivotIndex))) j--;
        if (i >= j) break;
        swap(cost, index, i, j);
        i++;
        j--;
      }
      swap(cost, index, lo, j);
      // Sort the smaller side next, push the larger one.
      if (j - lo < hi - j - 1) {
        stack.push(j + 1, hi);
        hi = j;
      } else {
        stack.push(lo, j);
        lo = j + 1;
      }
    }
    insertionSort(cost, index, lo, hi);
  }
}

function before(cost: Float64Array, index: Uint32Array, a: number, b: number): boolean {
  return cost[a]! < cost[b]! || (cost[a] === cost[b] && index[a]! < index[b]!);
}

function swap(cost: Float64Array, index: Uint32Array, a: number, b: number): void {
  const c = cost[a]!;
  cost[a] = cost[b]!;
  cost[b] = c;
  const k = index[a]!;
  index[a] = index[b]!;
  index[b] = k;
}

function insertionSort(cost: Float64Array, index: Uint32Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const c = cost[i]!;
    const k = index[i]!;
    let j = i - 1;
    while (j >= from && (cost[j]! > c || (cost[j] === c && index[j]! > k))) {
      cost[j + 1] = cost[j]!;
      index[j + 1] = index[j]!;
      j--;
    }
    cost[j + 1] = c;
    index[j + 1] = k;
  }
}
