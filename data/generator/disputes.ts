// Twelve months of demonstration disputes (矛盾纠纷) over the grids: a Poisson count per grid from its
// population (towns above villages), report times from each type's seasonal × weekday × hour rhythm,
// points inside the grid polygon, planted clusters on top, then each case's workflow chain (see
// disputes-lifecycle.ts) run up to "now". Output is struct-of-arrays: cases, steps, clusters, summary.

import {
  DISPUTE_OUTCOME_KEYS,
  DISPUTE_SOURCE_KEYS,
  DISPUTE_TYPE_KEYS,
  type DisputeOutcome,
  type DisputeSource,
  type DisputeType,
} from '../../server/domain/dispute-categories';
import {
  DISPUTE_SEVERITIES,
  DISPUTE_STATUSES,
  HANDLING_LEVELS,
  type DisputeSeverity,
  type DisputeStatus,
  type HandlingLevel,
} from '../../server/domain/dispute-workflow';
import { DEFAULT_RATE_PER_THOUSAND, computeGridRateFactors, drawDisputeAttributes, drawTypeIndex } from './disputes-attributes';
import {
  DOMINANT_TYPE_SHARE,
  clusterProfileWeight,
  defaultClusterCount,
  planDisputeClusters,
  sampleClusterPoint,
  type PlantedCluster,
} from './disputes-clusters';
import {
  allocateDisputeColumns,
  allocateDisputeStepColumns,
  reserveDisputeSteps,
  trimDisputeStepColumns,
  type DisputeColumns,
  type DisputeStepColumns,
} from './disputes-columns';
import { buildGridGeometryIndex, findGridAt, samplePointInGrid, type GridGeometryIndex } from './disputes-grid-index';
import {
  ACTION_INDEX,
  STATUS_INDEX,
  applyStepPlan,
  createStepPlan,
  planNextDisputeStep,
  type DisputeLifecycleState,
  type DisputeStepPlan,
} from './disputes-lifecycle';
import { MS_PER_DAY } from '../../server/domain/china-time';
import { DEFAULT_DEADLINE_POLICY, computeDueMs, type DeadlinePolicy } from '../../server/domain/dispute-deadlines';
import {
  buildTimeSampler,
  computeHourFactor,
  computeReportIntensity,
  computeWeekdayFactor,
  sampleTimeMs,
  type TimeSampler,
} from './disputes-rhythm';
import type { Rng } from '../../server/analysis/random';

export type { DisputeColumns, DisputeStepColumns } from './disputes-columns';
export type { PlantedCluster, PlantedClusterKind, PlantedClusterProfile } from './disputes-clusters';

export interface DisputeGrid {
  gridCode: string; // e.g. '210103001002001' (community code + 3 digits)
  communityCode: string; // 12 digits
  population: number;
  urban: boolean; // town grid (社区) vs village grid (村)
  /** WGS84 lon/lat MultiPolygon coordinates */
  polygon: number[][][][];
}

export interface DisputeBoundaryLine {
  id: string;
  level: 'street' | 'county' | 'city';
  leftCode: string;
  rightCode: string;
  /** WGS84 lon/lat: LineString or MultiLineString coordinates */
  coordinates: number[][] | number[][][];
}

export interface DisputeHistoryOptions {
  grids: DisputeGrid[];
  boundaryLines: DisputeBoundaryLine[];
  /** The data's "now", ms since epoch; history covers the 12 months (365 days) before it */
  nowMs: number;
  /**
   * Seeded stream; only its fork(label) streams are used, so the result depends on its seed, not on
   * draws made from it before. Pass the same rng to the live generator to continue the same chains.
   */
  rng: Rng;
  /** Mean disputes per 1,000 residents per year (default 10.5: the province gets about 450,000) */
  ratePerThousand?: number;
  /** Planted clusters (default: one per million residents, 4–60). 0 plants none. */
  clusterCount?: number;
  /** Deadlines by type and handling level (default DEFAULT_DEADLINE_POLICY). */
  deadlines?: DeadlinePolicy;
}

export interface DisputeHistorySummary {
  events: number;
  steps: number;
  backgroundEvents: number;
  clusterEvents: number;
  /** Counts at nowMs. */
  byStatus: Record<DisputeStatus, number>;
  byType: Record<DisputeType, number>;
  bySource: Record<DisputeSource, number>;
  bySeverity: Record<DisputeSeverity, number>;
  /** Closed cases by the level they were resolved at. */
  byResolvedLevel: Record<HandlingLevel, number>;
  byOutcome: Record<DisputeOutcome, number>;
  closed: number;
  /** Closed after the deadline, or open with the deadline passed at nowMs. */
  overdue: number;
  /** Cases with at least one escalate / reopen step. */
  escalated: number;
  reopened: number;
}

export interface DisputeHistory {
  /** gridCodes[gridIndex] for the case columns. */
  gridCodes: string[];
  events: DisputeColumns;
  /** Steps ordered by eventId, then seq. */
  steps: DisputeStepColumns;
  clusters: PlantedCluster[];
  summary: DisputeHistorySummary;
  /** History covers [windowStartMs, nowMs). */
  windowStartMs: number;
  nowMs: number;
}

export const HISTORY_DAYS = 365;

/** The lifecycle seed of a data set: the same for the history and the live generator given the same rng. */
export function lifecycleSeedOf(rng: Rng): number {
  return rng.fork('disputes-lifecycle').int(0, 0x7fffffff);
}

/** Expected background cases per year by grid: rate × population / 1000 × the grid's urban/rural factor. */
export function computeGridRatesPerYear(grids: readonly DisputeGrid[], ratePerThousand: number): Float64Array {
  const factors = computeGridRateFactors(grids);
  const rates = new Float64Array(grids.length);
  grids.forEach((grid, g) => {
    rates[g] = (ratePerThousand * grid.population * factors[g]!) / 1000;
  });
  return rates;
}

/**
 * Generates the dispute history. Deterministic for the same inputs and rng seed; never reads the clock.
 * See DisputeColumns / DisputeStepColumns for the output's fields.
 */
export function generateDisputeHistory(options: DisputeHistoryOptions): DisputeHistory {
  const { grids, nowMs, rng } = options;
  const ratePerThousand = options.ratePerThousand ?? DEFAULT_RATE_PER_THOUSAND;
  const deadlines = options.deadlines ?? DEFAULT_DEADLINE_POLICY;
  const windowStartMs = nowMs - HISTORY_DAYS * MS_PER_DAY;
  const index = buildGridGeometryIndex(grids.map((grid) => grid.polygon));
  const ratePerYearByGrid = computeGridRatesPerYear(grids, ratePerThousand);
  const totalPopulation = grids.reduce((sum, grid) => sum + grid.population, 0);

  // Counts first, so every column is allocated once at its final size.
  const backgroundRng = rng.fork('disputes-background');
  const countByGrid = new Uint32Array(grids.length);
  let backgroundCount = 0;
  for (let g = 0; g < grids.length; g++) {
    countByGrid[g] = backgroundRng.poisson(ratePerYearByGrid[g]! * (HISTORY_DAYS / 365));
    backgroundCount += countByGrid[g]!;
  }
  const clusters = planDisputeClusters(
    { index, grids, ratePerYearByGrid, boundaryLines: options.boundaryLines, windowStartMs, nowMs },
    rng.fork('disputes-cluster-plan'),
    options.clusterCount ?? defaultClusterCount(totalPopulation),
  );
  const total = backgroundCount + clusters.reduce((sum, cluster) => sum + cluster.eventCount, 0);

  // Unsorted draft: type, time, place, cluster.
  const draftType = new Uint8Array(total);
  const draftTime = new Float64Array(total);
  const draftLng = new Float64Array(total);
  const draftLat = new Float64Array(total);
  const draftGrid = new Uint32Array(total);
  const draftCluster = new Uint16Array(total);
  const samplers: TimeSampler[] = DISPUTE_TYPE_KEYS.map((_, t) =>
    buildTimeSampler(windowStartMs, nowMs, (ms) => computeReportIntensity(t, ms)),
  );
  const point = new Float64Array(2);
  let n = 0;
  for (let g = 0; g < grids.length; g++) {
    const urban = grids[g]!.urban;
    for (let k = 0; k < countByGrid[g]!; k++) {
      const type = drawTypeIndex(backgroundRng, urban);
      draftType[n] = type;
      draftTime[n] = Math.floor(sampleTimeMs(samplers[type]!, backgroundRng.next(), backgroundRng.next()));
      samplePointInGrid(index, g, backgroundRng, point);
      draftLng[n] = point[0]!;
      draftLat[n] = point[1]!;
      draftGrid[n] = g;
      n++;
    }
  }
  const clusterRng = rng.fork('disputes-cluster-events');
  for (const cluster of clusters) {
    const sampler = buildTimeSampler(
      cluster.startMs,
      cluster.endMs,
      (ms) => clusterProfileWeight(cluster, ms) * computeWeekdayFactor(ms) * computeHourFactor(ms),
    );
    for (let k = 0; k < cluster.eventCount; k++) {
      const g = locateClusterCase(cluster, index, clusterRng, point);
      draftTime[n] = Math.floor(sampleTimeMs(sampler, clusterRng.next(), clusterRng.next()));
      draftType[n] = clusterRng.next() < DOMINANT_TYPE_SHARE ? cluster.dominantTypeIndex : drawTypeIndex(clusterRng, grids[g]!.urban);
      draftLng[n] = point[0]!;
      draftLat[n] = point[1]!;
      draftGrid[n] = g;
      draftCluster[n] = cluster.id;
      n++;
    }
  }

  // Ids in report-time order (ties by draft order, so the order is total).
  const order = new Uint32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  order.sort((a, b) => draftTime[a]! - draftTime[b]! || a - b);
  const events = allocateDisputeColumns(total);
  events.length = total;
  for (let i = 0; i < total; i++) {
    const d = order[i]!;
    events.id[i] = i + 1;
    events.typeIndex[i] = draftType[d]!;
    events.reportedAtMs[i] = draftTime[d]!;
    events.lng[i] = draftLng[d]!;
    events.lat[i] = draftLat[d]!;
    events.gridIndex[i] = draftGrid[d]!;
    events.clusterId[i] = draftCluster[d]!;
  }

  const attributeRng = rng.fork('disputes-attributes');
  for (let i = 0; i < total; i++) {
    drawDisputeAttributes(attributeRng, events, i);
    events.dueAtMs[i] = caseDueMs(events, i, events.handlingLevelIndex[i]!, events.reportedAtMs[i]!, deadlines);
  }

  const steps = allocateDisputeStepColumns(Math.ceil(total * 6.5) + 16);
  runLifecycles(events, 0, total, lifecycleSeedOf(rng), -Infinity, nowMs, steps, deadlines);
  return {
    gridCodes: grids.map((grid) => grid.gridCode),
    events,
    steps: trimDisputeStepColumns(steps),
    clusters,
    summary: summariseDisputes(events, steps, nowMs, backgroundCount),
    windowStartMs,
    nowMs,
  };
}

/** A point for one of the cluster's cases that lies in a grid, written to out; returns the grid. */
export function locateClusterCase(cluster: PlantedCluster, index: GridGeometryIndex, rng: Rng, out: Float64Array): number {
  for (let attempt = 0; attempt < 100; attempt++) {
    sampleClusterPoint(cluster, rng, out);
    const g = findGridAt(index, out[0]!, out[1]!);
    if (g >= 0) return g;
  }
  // Nothing but water or foreign land around: fall back to the centre grid.
  samplePointInGrid(index, cluster.centerGridIndex, rng, out);
  return cluster.centerGridIndex;
}

/** Appends one planned step as a row of `steps`. */
export function appendDisputeStep(steps: DisputeStepColumns, eventId: number, seq: number, plan: DisputeStepPlan): void {
  reserveDisputeSteps(steps, steps.length + 1);
  const row = steps.length++;
  steps.eventId[row] = eventId;
  steps.seq[row] = seq;
  steps.actionIndex[row] = plan.actionIndex;
  steps.fromStatusIndex[row] = plan.fromStatusIndex;
  steps.toStatusIndex[row] = plan.toStatusIndex;
  steps.atMs[row] = plan.atMs;
  steps.handlingLevelIndex[row] = plan.handlingLevelIndex;
  steps.actorRoleIndex[row] = plan.actorRoleIndex;
  steps.noteIndex[row] = plan.noteIndex;
  steps.outcomeIndex[row] = plan.outcomeIndex;
}

/** The deadline of case `i` reaching handling level `levelIndex` at `sinceMs` (see dispute-deadlines.ts). */
export function caseDueMs(events: DisputeColumns, i: number, levelIndex: number, sinceMs: number, deadlines: DeadlinePolicy): number {
  return computeDueMs(
    sinceMs,
    { type: DISPUTE_TYPE_KEYS[events.typeIndex[i]!]!, severity: DISPUTE_SEVERITIES[events.severityIndex[i]!]!, handlingLevel: HANDLING_LEVELS[levelIndex]! },
    deadlines,
  );
}

/**
 * Writes a step's effect on the case columns: first-reached times, close time, outcome, resolved level,
 * and a new deadline when the step starts a new stage (another handling level, a reopening).
 */
export function recordStepOnCase(events: DisputeColumns, i: number, plan: DisputeStepPlan, deadlines: DeadlinePolicy): void {
  const at = plan.atMs;
  if (plan.actionIndex === ACTION_INDEX.REOPEN || plan.handlingLevelIndex !== events.handlingLevelIndex[i]) {
    events.dueAtMs[i] = caseDueMs(events, i, plan.handlingLevelIndex, at, deadlines);
  }
  switch (plan.toStatusIndex) {
    case STATUS_INDEX.ASSIGNED:
      if (Number.isNaN(events.assignedAtMs[i]!)) events.assignedAtMs[i] = at;
      break;
    case STATUS_INDEX.ACCEPTED:
      if (Number.isNaN(events.acceptedAtMs[i]!)) events.acceptedAtMs[i] = at;
      break;
    case STATUS_INDEX.HANDLED:
      if (Number.isNaN(events.handledAtMs[i]!)) events.handledAtMs[i] = at;
      break;
    case STATUS_INDEX.FEEDBACK:
      if (Number.isNaN(events.feedbackAtMs[i]!)) events.feedbackAtMs[i] = at;
      break;
    case STATUS_INDEX.REVIEWED:
      if (Number.isNaN(events.reviewedAtMs[i]!)) events.reviewedAtMs[i] = at;
      break;
    case STATUS_INDEX.CLOSED:
      events.closedAtMs[i] = at;
      events.outcomeIndex[i] = plan.outcomeIndex;
      events.resolvedLevelIndex[i] = plan.handlingLevelIndex;
      break;
  }
  if (plan.actionIndex === ACTION_INDEX.REOPEN) {
    events.closedAtMs[i] = NaN;
    events.outcomeIndex[i] = -1;
    events.resolvedLevelIndex[i] = -1;
  }
  events.statusIndex[i] = plan.toStatusIndex;
  events.handlingLevelIndex[i] = plan.handlingLevelIndex;
}

const lifecycleState: DisputeLifecycleState = {
  id: 0, statusIndex: 0, handlingLevelIndex: 0, severityIndex: 0, typeIndex: 0, sourceIndex: 0, reportedAtMs: 0, lastStepAtMs: 0, stepCount: 0,
};
const lifecyclePlan = createStepPlan();

/**
 * Runs the workflow chain of new cases [first, end) of `events` (status `reported`, no steps yet) and
 * appends the steps with time in [fromMs, toMs) — the chain stops at the first step at or after toMs,
 * and with `stopAtClose` at the first close (the live generator does not reopen closed cases).
 */
export function runLifecycles(
  events: DisputeColumns,
  first: number,
  end: number,
  lifecycleSeed: number,
  fromMs: number,
  toMs: number,
  steps: DisputeStepColumns,
  deadlines: DeadlinePolicy,
  stopAtClose = false,
): void {
  const state = lifecycleState;
  const plan = lifecyclePlan;
  for (let i = first; i < end; i++) {
    state.id = events.id[i]!;
    state.statusIndex = STATUS_INDEX.REPORTED;
    state.handlingLevelIndex = events.handlingLevelIndex[i]!;
    state.severityIndex = events.severityIndex[i]!;
    state.typeIndex = events.typeIndex[i]!;
    state.sourceIndex = events.sourceIndex[i]!;
    state.reportedAtMs = events.reportedAtMs[i]!;
    state.lastStepAtMs = state.reportedAtMs;
    state.stepCount = 0;
    events.statusIndex[i] = STATUS_INDEX.REPORTED;
    while (!(stopAtClose && state.statusIndex === STATUS_INDEX.CLOSED) && planNextDisputeStep(lifecycleSeed, state, plan) && plan.atMs < toMs) {
      if (plan.atMs < fromMs) plan.atMs = fromMs;
      appendDisputeStep(steps, state.id, state.stepCount + 1, plan);
      recordStepOnCase(events, i, plan, deadlines);
      applyStepPlan(state, plan);
    }
  }
}

function countBy<K extends string>(keys: readonly K[], values: ArrayLike<number>, length: number): Record<K, number> {
  const counts = Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
  for (let i = 0; i < length; i++) {
    const key = keys[values[i]!];
    if (key !== undefined) counts[key] += 1;
  }
  return counts;
}

/** Counts over case and step columns at `nowMs`. */
export function summariseDisputes(
  events: DisputeColumns,
  steps: DisputeStepColumns,
  nowMs: number,
  backgroundEvents: number,
): DisputeHistorySummary {
  const n = events.length;
  let closed = 0;
  let overdue = 0;
  for (let i = 0; i < n; i++) {
    const closedAt = events.closedAtMs[i]!;
    if (events.statusIndex[i] === STATUS_INDEX.CLOSED) closed++;
    if (Number.isFinite(closedAt) ? closedAt > events.dueAtMs[i]! : nowMs > events.dueAtMs[i]!) overdue++;
  }
  let escalated = 0;
  let reopened = 0;
  let lastEscalated = -1;
  let lastReopened = -1;
  for (let s = 0; s < steps.length; s++) {
    const id = steps.eventId[s]!;
    if (steps.actionIndex[s] === ACTION_INDEX.ESCALATE && id !== lastEscalated) {
      escalated++;
      lastEscalated = id;
    }
    if (steps.actionIndex[s] === ACTION_INDEX.REOPEN && id !== lastReopened) {
      reopened++;
      lastReopened = id;
    }
  }
  const resolvedLevels = new Uint8Array(n);
  let resolvedCount = 0;
  const outcomes = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (events.resolvedLevelIndex[i]! >= 0) {
      resolvedLevels[resolvedCount] = events.resolvedLevelIndex[i]!;
      outcomes[resolvedCount] = events.outcomeIndex[i]!;
      resolvedCount++;
    }
  }
  return {
    events: n,
    steps: steps.length,
    backgroundEvents,
    clusterEvents: n - backgroundEvents,
    byStatus: countBy(DISPUTE_STATUSES, events.statusIndex, n),
    byType: countBy(DISPUTE_TYPE_KEYS, events.typeIndex, n),
    bySource: countBy(DISPUTE_SOURCE_KEYS, events.sourceIndex, n),
    bySeverity: countBy(DISPUTE_SEVERITIES, events.severityIndex, n),
    byResolvedLevel: countBy(HANDLING_LEVELS, resolvedLevels, resolvedCount),
    byOutcome: countBy(DISPUTE_OUTCOME_KEYS, outcomes, resolvedCount),
    closed,
    overdue,
    escalated,
    reopened,
  };
}
