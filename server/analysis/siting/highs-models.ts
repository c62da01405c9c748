// Exact siting models solved by HiGHS (Huangfu & Hall 2018; branch-and-cut, here compiled to WebAssembly):
// the strong p-median formulation (ReVelle & Swain 1970) over the sparse costs, and the compact
// maximal-covering (Church & ReVelle 1974) / partial set-covering formulation over demand points
// merged by identical covering sets. The HiGHS runtime is passed in, so this module does no I/O.

import type { Highs } from 'highs';
import type { CandidateCosts } from './candidate-costs';
import type { FacilityInstance } from './facility-assignment';

export type MipStatus = 'optimal' | 'time-limit' | 'infeasible' | 'failed';

export interface MipResult {
  status: MipStatus;
  /** Objective of the best solution found (NaN without one). */
  objective: number;
  /** Best bound HiGHS proved (the LP value for a relaxation). */
  bound: number;
  /** Sites the solution opens besides the fixed and forced ones (empty for a relaxation). */
  sites: number[];
  /** Columns and rows of the model, for reports. */
  columns: number;
  rows: number;
  seconds: number;
}

export interface MipOptions {
  /** Seconds before HiGHS stops with its best solution and bound. */
  timeLimitSeconds?: number;
  /** Solve the LP relaxation only (its value is a bound). */
  relaxation?: boolean;
  /** Relative gap at which HiGHS may stop (default 1e-9: optimal up to rounding). */
  mipRelGap?: number;
  /** Absolute gap at which the solver may stop (below 1 proves optimality when the objective is integral). */
  mipAbsGap?: number;
}

export interface FacilityMipOptions extends MipOptions {
  /** Sites to open besides the fixed ones (at most this many). */
  newSites: number;
  /** Candidates that may open (default: all non-fixed). */
  allowed?: Uint8Array;
  /** Candidates known to be open in every better solution (count towards newSites). */
  forcedOpen?: ArrayLike<number>;
  /** Per entry of instance.rows: 0 = the pair cannot be in a better solution (drop it). */
  keepEntry?: Uint8Array;
  /** A known solution (chosen sites) given to HiGHS as its first incumbent. */
  start?: ArrayLike<number>;
}

/**
 * The truncated p-median as a MIP: y_j (open, binary) for free candidates, x_uj (assign, [0,1]) for
 * the kept pairs, z_u (unserved, [0,1]) where no fixed site serves u below the unserved cost;
 * min Σ w_u c_uj x_uj + Σ w_u H z_u, Σ_j x_uj + z_u = 1, x_uj ≤ y_j, Σ y_j ≤ p.
 */
export function solveFacilityMip(highs: Highs, instance: FacilityInstance, options: FacilityMipOptions): MipResult {
  const { rows: costs, weightByDemand, unservedCost } = instance;
  const n = costs.demandCount;
  const m = costs.candidateCount;
  // 0 free, 1 fixed or forced open, 2 may not open.
  const role = new Uint8Array(m);
  if (options.allowed) for (let c = 0; c < m; c++) role[c] = options.allowed[c] ? 0 : 2;
  for (const c of instance.fixed) role[c] = 1;
  let forcedCount = 0;
  if (options.forcedOpen) {
    for (let k = 0; k < options.forcedOpen.length; k++) {
      const c = options.forcedOpen[k]!;
      if (role[c] !== 1) forcedCount++;
      role[c] = 1;
    }
  }
  const budget = options.newSites - forcedCount;
  if (budget < 0) throw new Error('more forced sites than new sites');
  // floor[u]: cost to the nearest always-open site (or the unserved cost).
  const floor = new Float64Array(n).fill(unservedCost);
  for (let c = 0; c < m; c++) {
    if (role[c] !== 1) continue;
    for (let k = costs.offsets[c]!, end = costs.offsets[c + 1]!; k < end; k++) {
      const u = costs.demandIndex[k]!;
      if (costs.cost[k]! < floor[u]!) floor[u] = costs.cost[k]!;
    }
  }
  // Assignment rows for demand points that matter.
  const assignRow = new Int32Array(n).fill(-1);
  let rowCount = 0;
  for (let u = 0; u < n; u++) if (weightByDemand[u]! > 0) assignRow[u] = rowCount++;
  const cardinalityRow = rowCount++;
  // Kept entries: free sites below the floor, always-open sites at the floor.
  const keep = new Uint8Array(costs.demandIndex.length);
  const yColumn = new Int32Array(m).fill(-1);
  let yCount = 0;
  let xCount = 0;
  let linkCount = 0;
  for (let c = 0; c < m; c++) {
    if (role[c] === 2) continue;
    let kept = 0;
    for (let k = costs.offsets[c]!, end = costs.offsets[c + 1]!; k < end; k++) {
      const u = costs.demandIndex[k]!;
      const d = costs.cost[k]!;
      if (assignRow[u]! < 0 || d >= unservedCost || (options.keepEntry && options.keepEntry[k] === 0)) continue;
      if (role[c] === 0 ? d < floor[u]! : d <= floor[u]!) {
        keep[k] = 1;
        kept++;
      }
    }
    xCount += kept;
    if (role[c] === 0 && kept > 0) {
      yColumn[c] = yCount++;
      linkCount += kept;
    }
  }
  let zCount = 0;
  for (let u = 0; u < n; u++) if (assignRow[u]! >= 0 && floor[u]! >= unservedCost) zCount++;
  const firstLinkRow = rowCount;
  rowCount += linkCount;
  const numCols = yCount + xCount + zCount;

  const colCost = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols).fill(1);
  const integrality = new Int32Array(numCols);
  const starts = new Int32Array(numCols + 1);
  // y: cardinality + one link per kept entry; x: assignment (+ link when free); z: assignment.
  const nnz = yCount + linkCount + xCount + linkCount + zCount;
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  const ySites = new Int32Array(yCount);
  // Columns: y (by candidate), then x (by candidate, entry), then z (by demand).
  let col = 0;
  let at = 0;
  let link = firstLinkRow;
  for (let c = 0; c < m; c++) {
    const y = yColumn[c]!;
    if (y < 0) continue;
    ySites[y] = c;
    starts[col] = at;
    if (!options.relaxation) integrality[col] = 1;
    indices[at] = cardinalityRow;
    values[at++] = 1;
    for (let k = costs.offsets[c]!, end = costs.offsets[c + 1]!; k < end; k++) {
      if (!keep[k]) continue;
      indices[at] = link++;
      values[at++] = -1;
    }
    col++;
  }
  const xEntry = new Int32Array(xCount);
  link = firstLinkRow;
  for (let c = 0; c < m; c++) {
    if (role[c] === 2) continue;
    const free = yColumn[c]! >= 0;
    for (let k = costs.offsets[c]!, end = costs.offsets[c + 1]!; k < end; k++) {
      if (!keep[k]) continue;
      const u = costs.demandIndex[k]!;
      xEntry[col - yCount] = k;
      starts[col] = at;
      colCost[col] = weightByDemand[u]! * costs.cost[k]!;
      indices[at] = assignRow[u]!;
      values[at++] = 1;
      if (free) {
        indices[at] = link++;
        values[at++] = 1;
      }
      col++;
    }
  }
  const zDemand = new Int32Array(zCount);
  for (let u = 0; u < n; u++) {
    if (assignRow[u]! < 0 || floor[u]! < unservedCost) continue;
    zDemand[col - yCount - xCount] = u;
    starts[col] = at;
    colCost[col] = weightByDemand[u]! * unservedCost;
    indices[at] = assignRow[u]!;
    values[at++] = 1;
    col++;
  }
  starts[numCols] = at;
  const rowLower = new Float64Array(rowCount);
  const rowUpper = new Float64Array(rowCount);
  for (let u = 0; u < n; u++) {
    const r = assignRow[u]!;
    if (r >= 0) rowLower[r] = rowUpper[r] = 1;
  }
  rowLower[cardinalityRow] = -highs.infinity;
  rowUpper[cardinalityRow] = budget;
  for (let r = firstLinkRow; r < rowCount; r++) {
    rowLower[r] = -highs.infinity;
    rowUpper[r] = 0;
  }

  let start: Float64Array | undefined;
  if (options.start && !options.relaxation) start = facilityStart(instance, role, yColumn, yCount, xEntry, zDemand, options.start, budget);

  return runModel(highs, {
    numCols,
    numRows: rowCount,
    sense: highs.constants.objectiveSense.minimize,
    colCost,
    colLower: new Float64Array(numCols),
    colUpper,
    rowLower,
    rowUpper,
    matrix: { format: 'csc', numRows: rowCount, numCols, starts, indices, values },
    integrality,
  }, options, start, (colValue) => {
    const sites: number[] = [];
    for (let y = 0; y < yCount; y++) if (colValue[y]! > 0.5) sites.push(ySites[y]!);
    if (options.forcedOpen) for (let k = 0; k < options.forcedOpen.length; k++) if (!instance.fixed.includes(options.forcedOpen[k]!)) sites.push(options.forcedOpen[k]!);
    return sites.sort((a, b) => a - b);
  });
}

/** Column values of a known solution: its sites open, each demand point on its cheapest kept open pair. */
function facilityStart(
  instance: FacilityInstance,
  role: Uint8Array,
  yColumn: Int32Array,
  yCount: number,
  xEntry: Int32Array,
  zDemand: Int32Array,
  sites: ArrayLike<number>,
  budget: number,
): Float64Array | undefined {
  const { rows: costs } = instance;
  const open = new Uint8Array(costs.candidateCount);
  let opened = 0;
  for (let k = 0; k < sites.length; k++) {
    const c = sites[k]!;
    if (role[c] === 2) return undefined;
    open[c] = 1;
    if (yColumn[c]! >= 0) opened++;
  }
  for (let c = 0; c < costs.candidateCount; c++) if (role[c] === 1) open[c] = 1;
  if (opened > budget) return undefined;
  const values = new Float64Array(yCount + xEntry.length + zDemand.length);
  for (let c = 0; c < costs.candidateCount; c++) if (open[c] && yColumn[c]! >= 0) values[yColumn[c]!] = 1;
  // Cheapest open kept entry per demand point.
  const bestColumn = new Int32Array(costs.demandCount).fill(-1);
  const bestCost = new Float64Array(costs.demandCount).fill(Infinity);
  for (let x = 0; x < xEntry.length; x++) {
    const k = xEntry[x]!;
    // Entries are grouped by candidate; find the candidate of entry k by binary search on offsets.
    let lo = 0;
    let hi = costs.candidateCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (costs.offsets[mid + 1]! <= k) lo = mid + 1;
      else hi = mid;
    }
    const c = lo;
    if (!open[c]) continue;
    const u = costs.demandIndex[k]!;
    if (costs.cost[k]! < bestCost[u]!) {
      bestCost[u] = costs.cost[k]!;
      bestColumn[u] = yCount + x;
    }
  }
  for (let z = 0; z < zDemand.length; z++) {
    const u = zDemand[z]!;
    if (bestColumn[u]! < 0 || instance.unservedCost <= bestCost[u]!) bestColumn[u] = yCount + xEntry.length + z;
  }
  for (let u = 0; u < costs.demandCount; u++) {
    if (instance.weightByDemand[u]! <= 0) continue;
    if (bestColumn[u]! < 0) return undefined;
    values[bestColumn[u]!] = 1;
  }
  return values;
}

/** Covering sets with demand points merged by identical sets (weights summed). */
export interface CoverGroups {
  /** Groups of demand points with the same covering candidates. */
  groupCount: number;
  weightByGroup: Float64Array;
  /** CSR over groups: the candidates covering each group, ascending. */
  groupOffsets: Uint32Array;
  groupCandidates: Uint32Array;
  /** Weight already covered by the fixed sites (left out of the groups). */
  fixedCoveredWeight: number;
  /** Weight no candidate covers. */
  uncoverableWeight: number;
}

/**
 * Merges demand points by their set of covering candidates (within the coverage costs' rows), leaving
 * out points the fixed sites cover and points nobody covers. `allowed` restricts the candidates.
 */
export function groupCoverage(cover: CandidateCosts, weightByDemand: Float64Array, fixed: ArrayLike<number>, allowed?: Uint8Array): CoverGroups {
  const n = cover.demandCount;
  const m = cover.candidateCount;
  const covered = new Uint8Array(n);
  for (let k = 0; k < fixed.length; k++) {
    const c = fixed[k]!;
    for (let e = cover.offsets[c]!, end = cover.offsets[c + 1]!; e < end; e++) covered[cover.demandIndex[e]!] = 1;
  }
  const isFixed = new Uint8Array(m);
  for (let k = 0; k < fixed.length; k++) isFixed[fixed[k]!] = 1;
  // Demand-major lists of allowed covering candidates, ascending by candidate (rows are visited in order).
  const counts = new Uint32Array(n + 1);
  for (let c = 0; c < m; c++) {
    if (isFixed[c] || (allowed && !allowed[c])) continue;
    for (let e = cover.offsets[c]!, end = cover.offsets[c + 1]!; e < end; e++) counts[cover.demandIndex[e]! + 1]!++;
  }
  for (let u = 0; u < n; u++) counts[u + 1]! += counts[u]!;
  const lists = new Uint32Array(counts[n]!);
  const fill = counts.slice(0, n);
  for (let c = 0; c < m; c++) {
    if (isFixed[c] || (allowed && !allowed[c])) continue;
    for (let e = cover.offsets[c]!, end = cover.offsets[c + 1]!; e < end; e++) lists[fill[cover.demandIndex[e]!]!++] = c;
  }
  let fixedCoveredWeight = 0;
  let uncoverableWeight = 0;
  const groupOf = new Map<number, number[]>();
  const groupFirst: number[] = [];
  const weights: number[] = [];
  for (let u = 0; u < n; u++) {
    const w = weightByDemand[u]!;
    if (covered[u]) {
      fixedCoveredWeight += w;
      continue;
    }
    if (w <= 0) continue;
    const from = counts[u]!;
    const to = counts[u + 1]!;
    if (from === to) {
      uncoverableWeight += w;
      continue;
    }
    let hash = 0x811c9dc5 ^ (to - from);
    for (let k = from; k < to; k++) hash = Math.imul(hash ^ lists[k]!, 0x01000193);
    const bucket = groupOf.get(hash);
    let group = -1;
    if (bucket) {
      for (const g of bucket) {
        if (sameList(lists, counts[groupFirst[g]!]!, counts[groupFirst[g]! + 1]!, from, to)) {
          group = g;
          break;
        }
      }
    }
    if (group < 0) {
      group = groupFirst.length;
      groupFirst.push(u);
      weights.push(0);
      if (bucket) bucket.push(group);
      else groupOf.set(hash, [group]);
    }
    weights[group]! += w;
  }
  const groupCount = groupFirst.length;
  const groupOffsets = new Uint32Array(groupCount + 1);
  for (let g = 0; g < groupCount; g++) groupOffsets[g + 1] = groupOffsets[g]! + (counts[groupFirst[g]! + 1]! - counts[groupFirst[g]!]!);
  const groupCandidates = new Uint32Array(groupOffsets[groupCount]!);
  for (let g = 0; g < groupCount; g++) groupCandidates.set(lists.subarray(counts[groupFirst[g]!]!, counts[groupFirst[g]! + 1]!), groupOffsets[g]!);
  return { groupCount, weightByGroup: Float64Array.from(weights), groupOffsets, groupCandidates, fixedCoveredWeight, uncoverableWeight };
}

function sameList(lists: Uint32Array, aFrom: number, aTo: number, bFrom: number, bTo: number): boolean {
  if (aTo - aFrom !== bTo - bFrom) return false;
  for (let k = 0; k < aTo - aFrom; k++) if (lists[aFrom + k] !== lists[bFrom + k]) return false;
  return true;
}

export interface CoverMipOptions extends MipOptions {
  /** 'max-cover': cover the most weight with at most `newSites` sites; 'min-sites': fewest sites covering `requiredWeight`. */
  mode: 'max-cover' | 'min-sites';
  newSites?: number;
  /** Weight the new sites must cover (beyond the fixed sites' coverage). */
  requiredWeight?: number;
  /** A known solution (candidate indices) as the first incumbent. */
  start?: ArrayLike<number>;
}

/**
 * Maximal covering (max Σ W_g y_g, y_g ≤ Σ_{j covers g} x_j, Σ x_j ≤ p) or partial set covering
 * (min Σ x_j, Σ W_g y_g ≥ required, same links) on merged demand groups. `objective` is the covered
 * weight of the groups (max-cover) or the number of sites (min-sites).
 */
export function solveCoverMip(highs: Highs, groups: CoverGroups, candidateCount: number, options: CoverMipOptions): MipResult {
  const { groupCount, groupOffsets, groupCandidates, weightByGroup } = groups;
  // Candidates that cover some group become columns.
  const column = new Int32Array(candidateCount).fill(-1);
  const perCandidate = new Uint32Array(candidateCount + 1);
  for (let k = 0; k < groupCandidates.length; k++) perCandidate[groupCandidates[k]! + 1]!++;
  let xCount = 0;
  const siteOfColumn: number[] = [];
  for (let c = 0; c < candidateCount; c++) {
    if (perCandidate[c + 1]! > 0) {
      column[c] = xCount++;
      siteOfColumn.push(c);
    }
  }
  for (let c = 0; c < candidateCount; c++) perCandidate[c + 1]! += perCandidate[c]!;
  const groupsOfCandidate = new Uint32Array(groupCandidates.length);
  const fill = perCandidate.slice(0, candidateCount);
  for (let g = 0; g < groupCount; g++) {
    for (let k = groupOffsets[g]!; k < groupOffsets[g + 1]!; k++) groupsOfCandidate[fill[groupCandidates[k]!]!++] = g;
  }
  const maxCover = options.mode === 'max-cover';
  const numCols = xCount + groupCount;
  const numRows = groupCount + 1;
  const extraRow = groupCount;
  const colCost = new Float64Array(numCols);
  const integrality = new Int32Array(numCols);
  const starts = new Int32Array(numCols + 1);
  const nnz = groupCandidates.length + (maxCover ? xCount : 0) + groupCount + (maxCover ? 0 : groupCount);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let at = 0;
  for (let x = 0; x < xCount; x++) {
    const c = siteOfColumn[x]!;
    starts[x] = at;
    if (!options.relaxation) integrality[x] = 1;
    if (!maxCover) colCost[x] = 1;
    for (let k = perCandidate[c]!; k < perCandidate[c + 1]!; k++) {
      indices[at] = groupsOfCandidate[k]!;
      values[at++] = -1;
    }
    if (maxCover) {
      indices[at] = extraRow;
      values[at++] = 1;
    }
  }
  for (let g = 0; g < groupCount; g++) {
    const col = xCount + g;
    starts[col] = at;
    if (maxCover) colCost[col] = weightByGroup[g]!;
    indices[at] = g;
    values[at++] = 1;
    if (!maxCover) {
      indices[at] = extraRow;
      values[at++] = weightByGroup[g]!;
    }
  }
  starts[numCols] = at;
  const rowLower = new Float64Array(numRows).fill(-highs.infinity);
  const rowUpper = new Float64Array(numRows);
  if (maxCover) {
    rowUpper[extraRow] = options.newSites ?? 0;
  } else {
    rowLower[extraRow] = options.requiredWeight ?? 0;
    rowUpper[extraRow] = highs.infinity;
  }
  let start: Float64Array | undefined;
  if (options.start && !options.relaxation) {
    start = new Float64Array(numCols);
    for (let k = 0; k < options.start.length; k++) {
      const x = column[options.start[k]!]!;
      if (x >= 0) start[x] = 1;
    }
    for (let g = 0; g < groupCount; g++) {
      for (let k = groupOffsets[g]!; k < groupOffsets[g + 1]!; k++) {
        if (start[column[groupCandidates[k]!]!]! > 0.5) {
          start[xCount + g] = 1;
          break;
        }
      }
    }
  }
  return runModel(
    highs,
    {
      numCols,
      numRows,
      sense: maxCover ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize,
      colCost,
      colLower: new Float64Array(numCols),
      colUpper: new Float64Array(numCols).fill(1),
      rowLower,
      rowUpper,
      matrix: { format: 'csc', numRows, numCols, starts, indices, values },
      integrality,
    },
    options,
    start,
    (colValue) => {
      const sites: number[] = [];
      for (let x = 0; x < xCount; x++) if (colValue[x]! > 0.5) sites.push(siteOfColumn[x]!);
      return sites;
    },
  );
}

type ModelInput = Parameters<Highs['createModel']>[0] & object;

function runModel(
  highs: Highs,
  model: ModelInput,
  options: MipOptions,
  start: Float64Array | undefined,
  sitesOf: (colValue: Float64Array) => number[],
): MipResult {
  const started = performance.now();
  const numCols = (model as { numCols: number }).numCols;
  const numRows = (model as { numRows: number }).numRows;
  const instance = highs.createModel(model);
  try {
    instance.options.set({
      output_flag: false,
      mip_rel_gap: options.mipRelGap ?? 1e-9,
      ...(options.mipAbsGap === undefined ? {} : { mip_abs_gap: options.mipAbsGap }),
      ...(options.timeLimitSeconds === undefined ? {} : { time_limit: options.timeLimitSeconds }),
      ...(options.relaxation ? { solver: 'simplex' } : {}),
    } as never);
    if (start) instance.setSolution({ colValue: start });
    // HiGHS checks time_limit only now and then in a large root LP; our own deadline interrupts it at
    // its next checkpoint (simplex, interior point, branch-and-cut).
    const deadline = options.timeLimitSeconds === undefined ? Infinity : started + 1000 * options.timeLimitSeconds;
    const interruptAtDeadline = (event: { interrupt(): void }): undefined => {
      if (performance.now() > deadline) event.interrupt();
      return undefined;
    };
    const types = highs.constants.callbackType;
    instance.run({ [types.simplexInterrupt]: interruptAtDeadline, [types.ipmInterrupt]: interruptAtDeadline, [types.mipInterrupt]: interruptAtDeadline });
    const status = instance.getModelStatus();
    const codes = highs.constants.modelStatus;
    const hasSolution = instance.info.get('primal_solution_status' as never) === 2 || status === codes.optimal;
    const objective = hasSolution ? instance.getObjectiveValue() : NaN;
    let bound = NaN;
    if (options.relaxation) bound = status === codes.optimal ? objective : NaN;
    else {
      const dual = instance.info.get('mip_dual_bound' as never) as unknown as number;
      bound = Number.isFinite(dual) ? dual : NaN;
    }
    const sites = hasSolution && !options.relaxation ? sitesOf(instance.getSolution().colValue) : [];
    let mipStatus: MipStatus;
    if (status === codes.optimal) mipStatus = 'optimal';
    else if (status === codes.infeasible) mipStatus = 'infeasible';
    else if (status === codes.timeLimit || status === codes.interrupted || status === codes.iterationLimit) mipStatus = 'time-limit';
    else mipStatus = 'failed';
    return { status: mipStatus, objective, bound, sites, columns: numCols, rows: numRows, seconds: (performance.now() - started) / 1000 };
  } finally {
    instance.dispose();
  }
}
