// OR-Library uncapacitated p-median instances (Beasley 1990, "OR-Library: distributing test problems
// by electronic mail", JORS 41(11)): an undirected graph whose every node is both a demand point of
// weight 1 and a candidate site; costs are all-pairs shortest-path lengths (Floyd–Warshall).

import { buildCandidateCosts, type CandidateCosts } from './candidate-costs';

export interface OrlibPmedianInstance {
  nodeCount: number;
  edgeCount: number;
  /** Number of medians to locate. */
  p: number;
  /** Shortest-path length between nodes i and j (0-based) at [i · nodeCount + j]; Infinity when unconnected. */
  distances: Float64Array;
}

/**
 * Parses a pmedN.txt file: a first line "nodes edges p", then one undirected edge "i j cost" per line
 * (1-based nodes). When a pair is listed twice the later line wins, as in Beasley's own reading.
 */
export function parseOrlibPmedian(text: string): OrlibPmedianInstance {
  const numbers = text.trim().split(/\s+/).map(Number);
  if (numbers.length < 3 || numbers.some((value) => !Number.isFinite(value))) throw new Error('not an OR-Library p-median file: expected numbers');
  const [nodeCount, edgeCount, p] = numbers as [number, number, number];
  if (!Number.isInteger(nodeCount) || nodeCount < 1 || !Number.isInteger(p) || p < 1 || p > nodeCount) {
    throw new Error(`not an OR-Library p-median file: first line "${nodeCount} ${edgeCount} ${p}"`);
  }
  if (numbers.length !== 3 + 3 * edgeCount) {
    throw new Error(`OR-Library file declares ${edgeCount} edges but holds ${(numbers.length - 3) / 3}`);
  }
  const n = nodeCount;
  const distances = new Float64Array(n * n).fill(Infinity);
  for (let i = 0; i < n; i++) distances[i * n + i] = 0;
  for (let e = 0; e < edgeCount; e++) {
    const i = numbers[3 + 3 * e]! - 1;
    const j = numbers[4 + 3 * e]! - 1;
    const cost = numbers[5 + 3 * e]!;
    if (!Number.isInteger(i) || !Number.isInteger(j) || i < 0 || j < 0 || i >= n || j >= n) {
      throw new Error(`edge ${e + 1}: node out of range 1…${n}`);
    }
    if (i === j) continue;
    // Later lines win (not the shorter one).
    distances[i * n + j] = cost;
    distances[j * n + i] = cost;
  }
  floydWarshall(distances, n);
  return { nodeCount, edgeCount, p, distances };
}

/** All-pairs shortest paths in place on a dense n × n matrix. */
export function floydWarshall(distances: Float64Array, n: number): void {
  for (let k = 0; k < n; k++) {
    const rowK = k * n;
    for (let i = 0; i < n; i++) {
      const dik = distances[i * n + k]!;
      if (dik === Infinity) continue;
      const rowI = i * n;
      for (let j = 0; j < n; j++) {
        const through = dik + distances[rowK + j]!;
        if (through < distances[rowI + j]!) distances[rowI + j] = through;
      }
    }
  }
}

/** Candidate-major costs of a dense matrix (demand i, candidate j at [i · candidateCount + j]); Infinity entries are left out. */
export function costsFromDenseMatrix(matrix: Float64Array, demandCount: number, candidateCount: number): CandidateCosts {
  let entries = 0;
  for (let k = 0; k < matrix.length; k++) if (Number.isFinite(matrix[k]!)) entries++;
  const entryCandidate = new Uint32Array(entries);
  const entryDemand = new Uint32Array(entries);
  const entryCost = new Float64Array(entries);
  let at = 0;
  for (let i = 0; i < demandCount; i++) {
    for (let j = 0; j < candidateCount; j++) {
      const value = matrix[i * candidateCount + j]!;
      if (!Number.isFinite(value)) continue;
      entryCandidate[at] = j;
      entryDemand[at] = i;
      entryCost[at] = value;
      at++;
    }
  }
  return buildCandidateCosts(demandCount, candidateCount, entryCandidate, entryDemand, entryCost);
}
