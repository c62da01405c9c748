// Sorting the planner's tables without touching the rows: each column becomes a Float64Array of sort keys
// once per answer (names as their rank in zh-CN or en collation), and a sort is an index permutation
// ordered on that array, NaN (no value) always last. O(n log n) on numbers; no row objects moved.

export type SortDirection = 'asc' | 'desc';

/** Rank of each name in collation order (equal names share a rank), as sort keys. */
export function nameRanks(names: readonly string[], locale: string): Float64Array {
  const collator = new Intl.Collator(locale, { numeric: true });
  const order = Array.from(names.keys()).sort((a, b) => collator.compare(names[a]!, names[b]!));
  const ranks = new Float64Array(names.length);
  let rank = 0;
  for (let k = 0; k < order.length; k++) {
    if (k > 0 && collator.compare(names[order[k - 1]!]!, names[order[k]!]!) !== 0) rank = k;
    ranks[order[k]!] = rank;
  }
  return ranks;
}

/** Sort keys of a numeric column; null and undefined become NaN (sorted last). */
export function numericKeys<T>(rows: readonly T[], valueOf: (row: T) => number | null | undefined): Float64Array {
  const keys = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const value = valueOf(rows[i]!);
    keys[i] = value === null || value === undefined ? Number.NaN : value;
  }
  return keys;
}

/**
 * Row indices ordered by `keys` (stable: ties keep the rows' order), NaN last in either direction.
 * `out` may be a preallocated buffer of keys.length.
 */
export function sortedIndices(keys: Float64Array, direction: SortDirection, out: Uint32Array = new Uint32Array(keys.length)): Uint32Array {
  const sign = direction === 'asc' ? 1 : -1;
  for (let i = 0; i < keys.length; i++) out[i] = i;
  out.sort((a, b) => {
    const ka = keys[a]!;
    const kb = keys[b]!;
    const na = Number.isNaN(ka);
    const nb = Number.isNaN(kb);
    if (na || nb) return na === nb ? a - b : na ? 1 : -1;
    return ka === kb ? a - b : (ka - kb) * sign;
  });
  return out;
}
