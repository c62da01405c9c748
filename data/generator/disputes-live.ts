// Live demonstration disputes: new cases and workflow steps for a time window [fromMs, toMs). New cases
// come from per-minute buckets, each with its own named stream (rng.fork of the minute), so a window's
// output does not depend on how time was cut into windows; open cases continue the same counter-based
// workflow chains as the history (disputes-lifecycle.ts). Pure: no clock, no Math.random, no I/O.

import { CLOSED_STATUS_INDEX } from '../../server/domain/dispute-workflow';
import { DEFAULT_DEADLINE_POLICY, type DeadlinePolicy } from '../../server/domain/dispute-deadlines';
import { DISPUTE_TYPE_KEYS } from '../../server/domain/dispute-categories';
import {
  DEFAULT_RATE_PER_THOUSAND,
  RURAL_TYPE_WEIGHTS,
  URBAN_TYPE_WEIGHTS,
  computeGridRateFactors,
  drawDisputeAttributes,
  drawTypeIndex,
  drawTypeIndexAt,
} from './disputes-attributes';
import { DOMINANT_TYPE_SHARE, type PlantedCluster } from './disputes-clusters';
import {
  allocateDisputeColumns,
  allocateDisputeStepColumns,
  copyDisputeRow,
  reserveDisputeRows,
  trimDisputeColumns,
  trimDisputeStepColumns,
  type DisputeColumns,
  type DisputeStepColumns,
} from './disputes-columns';
import { buildGridGeometryIndex, samplePointInGrid, type GridGeometryIndex } from './disputes-grid-index';
import {
  appendDisputeStep,
  caseDueMs,
  lifecycleSeedOf,
  locateClusterCase,
  runLifecycles,
  type DisputeGrid,
} from './disputes';
import { applyStepPlan, createStepPlan, planNextDisputeStep, type DisputeLifecycleState } from './disputes-lifecycle';
import { MS_PER_DAY, MS_PER_MINUTE } from '../../server/domain/china-time';
import { computeHourFactor, computeSeasonalFactor, computeWeekdayFactor } from './disputes-rhythm';
import type { Rng } from '../../server/analysis/random';

/** Default live rate, new cases per minute province-wide (the history's own rate is about 0.85). */
export const DEFAULT_LIVE_RATE_PER_MINUTE = 3;
/** New cases are drawn per whole minute (UTC-aligned buckets of this length). */
export const LIVE_BUCKET_MS = MS_PER_MINUTE;

export interface LiveDisputeGeneratorOptions {
  grids: DisputeGrid[];
  /**
   * The same seeded rng as given to generateDisputeHistory (e.g. createRng(dataSeed).fork('disputes')).
   * Only fork(label) streams are used — per minute bucket and for the lifecycle seed — so results
   * depend on its seed alone, never on draws made from it in between.
   */
  rng: Rng;
  /** Planted clusters of the history; those still active at its end keep adding cases at endRatePerDay. */
  clusters?: readonly PlantedCluster[];
  /** Deadlines by type and handling level (default DEFAULT_DEADLINE_POLICY). */
  deadlines?: DeadlinePolicy;
}

export interface LiveDisputeWindow {
  /**
   * Current states of open cases (see openStatesOf). Closed cases need not be passed: the live
   * generator does not reopen closed cases.
   */
  openEvents: readonly DisputeLifecycleState[];
  /** Window [fromMs, toMs), ms since epoch. */
  fromMs: number;
  toMs: number;
  /** Id of the first new case (ids continue in report-time order). */
  nextId: number;
  /** Mean new cases per minute province-wide (default DEFAULT_LIVE_RATE_PER_MINUTE). */
  ratePerMinute?: number;
  /** Modulate the rate by season, weekday and hour (mean 1 over a year); default true. */
  rhythm?: boolean;
}

export interface LiveDisputeBatch {
  /** New cases reported in the window, ids nextId.. in report-time order, with their state at toMs. */
  events: DisputeColumns;
  /** Steps in [fromMs, toMs) of carried and new cases, ordered by atMs, then eventId, then seq. */
  steps: DisputeStepColumns;
  /** States at toMs of every case still open (carried ones in input order, then new ones): the next window's openEvents. */
  states: DisputeLifecycleState[];
  nextId: number;
}

export interface LiveDisputeGenerator {
  /**
   * New cases and steps for one window. Determinism: for the same rng seed and grids,
   * generate([a, b)) followed by generate([b, c)) — passing the first call's `states` and `nextId` —
   * yields exactly the steps, the end states and the new cases (every field fixed at report: id,
   * type, source, severity, place, grid, reportedAtMs, dueAtMs, clusterId, parties) of one
   * generate([a, c)), for any b, also within a minute. The state columns of a batch's new cases
   * (status, levels, step times) describe them at that batch's toMs; later steps come in later batches.
   * How to seed and resume: pass the rng the history was generated with (same seed) on every call;
   * store `states`, `nextId` and the window end after each call, and after a restart continue from
   * that end with the stored states (catch-up: one call, or many, up to the present at the
   * historical rate). Re-running a window that was already stored would repeat its cases.
   */
  generate(window: LiveDisputeWindow): LiveDisputeBatch;
}

/** The history's mean rate in cases per minute province-wide (for catching up at the historical rate). */
export function computeHistoricalRatePerMinute(grids: readonly DisputeGrid[], ratePerThousand = DEFAULT_RATE_PER_THOUSAND): number {
  const population = grids.reduce((sum, grid) => sum + grid.population, 0);
  return (ratePerThousand * population) / 1000 / (365 * 24 * 60);
}

/** Open cases of a generated history (or any case/step columns) as lifecycle states for the live generator. */
export function openStatesOf(events: DisputeColumns, steps?: DisputeStepColumns): DisputeLifecycleState[] {
  const rowById = new Map<number, number>();
  const states: DisputeLifecycleState[] = [];
  for (let i = 0; i < events.length; i++) {
    if (events.statusIndex[i] === CLOSED_STATUS_INDEX) continue;
    rowById.set(events.id[i]!, states.length);
    states.push({
      id: events.id[i]!,
      statusIndex: events.statusIndex[i]!,
      handlingLevelIndex: events.handlingLevelIndex[i]!,
      severityIndex: events.severityIndex[i]!,
      typeIndex: events.typeIndex[i]!,
      sourceIndex: events.sourceIndex[i]!,
      reportedAtMs: events.reportedAtMs[i]!,
      lastStepAtMs: events.reportedAtMs[i]!,
      stepCount: 0,
    });
  }
  if (steps !== undefined) {
    for (let s = 0; s < steps.length; s++) {
      const row = rowById.get(steps.eventId[s]!);
      if (row === undefined) continue;
      const state = states[row]!;
      if (steps.seq[s]! > state.stepCount) {
        state.stepCount = steps.seq[s]!;
        state.lastStepAtMs = steps.atMs[s]!;
      }
    }
  }
  return states;
}

interface LiveContext {
  grids: readonly DisputeGrid[];
  index: GridGeometryIndex;
  cumulativeWeight: Float64Array;
  provinceTypeShares: Float64Array;
  clusters: readonly PlantedCluster[];
  lifecycleSeed: number;
  bucketRng: Rng;
  deadlines: DeadlinePolicy;
}

/** Prepares the grid index and weights once; `generate` is then cheap per window. */
export function createLiveDisputeGenerator(options: LiveDisputeGeneratorOptions): LiveDisputeGenerator {
  const { grids } = options;
  const factors = computeGridRateFactors(grids);
  const cumulativeWeight = new Float64Array(grids.length);
  const provinceTypeShares = new Float64Array(DISPUTE_TYPE_KEYS.length);
  const urbanTotal = URBAN_TYPE_WEIGHTS.reduce((a, b) => a + b, 0);
  const ruralTotal = RURAL_TYPE_WEIGHTS.reduce((a, b) => a + b, 0);
  let total = 0;
  grids.forEach((grid, g) => {
    const weight = grid.population * factors[g]!;
    total += weight;
    cumulativeWeight[g] = total;
    const mix = grid.urban ? URBAN_TYPE_WEIGHTS : RURAL_TYPE_WEIGHTS;
    const mixTotal = grid.urban ? urbanTotal : ruralTotal;
    for (let t = 0; t < mix.length; t++) provinceTypeShares[t]! += (weight * mix[t]!) / mixTotal;
  });
  for (let t = 0; t < provinceTypeShares.length; t++) provinceTypeShares[t] = total > 0 ? provinceTypeShares[t]! / total : 0;
  const context: LiveContext = {
    grids,
    index: buildGridGeometryIndex(grids.map((grid) => grid.polygon)),
    cumulativeWeight,
    provinceTypeShares,
    clusters: (options.clusters ?? []).filter((cluster) => cluster.endRatePerDay > 0),
    lifecycleSeed: lifecycleSeedOf(options.rng),
    bucketRng: options.rng.fork('disputes-live'),
    deadlines: options.deadlines ?? DEFAULT_DEADLINE_POLICY,
  };
  return { generate: (window) => generateWindow(context, window) };
}

/** One-shot form of createLiveDisputeGenerator(options).generate(window). */
export function generateLiveDisputes(options: LiveDisputeGeneratorOptions & LiveDisputeWindow): LiveDisputeBatch {
  return createLiveDisputeGenerator(options).generate(options);
}

/** Relative province-wide intensity at `ms` (mean ≈ 1 over a year): type-mixed season × weekday × hour. */
export function computeLiveIntensity(provinceTypeShares: ArrayLike<number>, ms: number): number {
  let seasonal = 0;
  for (let t = 0; t < provinceTypeShares.length; t++) seasonal += provinceTypeShares[t]! * computeSeasonalFactor(t, ms);
  return seasonal * computeWeekdayFactor(ms) * computeHourFactor(ms);
}

function pickGrid(cumulativeWeight: Float64Array, u: number): number {
  const target = u * cumulativeWeight[cumulativeWeight.length - 1]!;
  let low = 0;
  let high = cumulativeWeight.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (cumulativeWeight[mid]! > target) high = mid;
    else low = mid + 1;
  }
  return low;
}

const livePlan = createStepPlan();

function generateWindow(context: LiveContext, window: LiveDisputeWindow): LiveDisputeBatch {
  const { fromMs, toMs } = window;
  const ratePerMinute = window.ratePerMinute ?? DEFAULT_LIVE_RATE_PER_MINUTE;
  const rhythm = window.rhythm ?? true;
  const steps = allocateDisputeStepColumns(64);

  // Carried cases: continue each chain; a step that fell due before the window happens at its start.
  const states: DisputeLifecycleState[] = [];
  for (const open of window.openEvents) {
    const state: DisputeLifecycleState = { ...open };
    while (state.statusIndex !== CLOSED_STATUS_INDEX && planNextDisputeStep(context.lifecycleSeed, state, livePlan) && livePlan.atMs < toMs) {
      if (livePlan.atMs < fromMs) livePlan.atMs = fromMs;
      appendDisputeStep(steps, state.id, state.stepCount + 1, livePlan);
      applyStepPlan(state, livePlan);
    }
    if (state.statusIndex !== CLOSED_STATUS_INDEX) states.push(state);
  }

  // New cases: every minute bucket the window touches is drawn whole, then cut to the window.
  let draft = allocateDisputeColumns(Math.max(16, Math.ceil(((toMs - fromMs) / MS_PER_MINUTE) * ratePerMinute * 1.5)));
  const point = new Float64Array(2);
  const { grids, index } = context;
  if (grids.length > 0 && toMs > fromMs) {
    const firstBucket = Math.floor(fromMs / LIVE_BUCKET_MS);
    const lastBucket = Math.ceil(toMs / LIVE_BUCKET_MS);
    for (let bucket = firstBucket; bucket < lastBucket; bucket++) {
      const bucketStartMs = bucket * LIVE_BUCKET_MS;
      const midMs = bucketStartMs + LIVE_BUCKET_MS / 2;
      const rng = context.bucketRng.fork(`minute:${bucket}`);
      const intensity = rhythm ? computeLiveIntensity(context.provinceTypeShares, midMs) : 1;
      const count = rng.poisson(ratePerMinute * intensity * (LIVE_BUCKET_MS / MS_PER_MINUTE));
      for (let k = 0; k < count; k++) {
        draft = reserveDisputeRows(draft, draft.length + 1);
        const row = draft.length++;
        const atMs = bucketStartMs + Math.floor(rng.next() * LIVE_BUCKET_MS);
        const g = pickGrid(context.cumulativeWeight, rng.next());
        draft.reportedAtMs[row] = atMs;
        draft.gridIndex[row] = g;
        draft.typeIndex[row] = rhythm ? drawTypeIndexAt(rng, grids[g]!.urban, atMs) : drawTypeIndex(rng, grids[g]!.urban);
        samplePointInGrid(index, g, rng, point);
        draft.lng[row] = point[0]!;
        draft.lat[row] = point[1]!;
        draft.clusterId[row] = 0;
        drawDisputeAttributes(rng, draft, row);
      }
      for (const cluster of context.clusters) {
        const clusterIntensity = rhythm ? computeWeekdayFactor(midMs) * computeHourFactor(midMs) : 1;
        const clusterCount = rng.poisson((cluster.endRatePerDay * clusterIntensity * LIVE_BUCKET_MS) / MS_PER_DAY);
        for (let k = 0; k < clusterCount; k++) {
          draft = reserveDisputeRows(draft, draft.length + 1);
          const row = draft.length++;
          const g = locateClusterCase(cluster, index, rng, point);
          draft.reportedAtMs[row] = bucketStartMs + Math.floor(rng.next() * LIVE_BUCKET_MS);
          draft.gridIndex[row] = g;
          draft.typeIndex[row] = rng.next() < DOMINANT_TYPE_SHARE ? cluster.dominantTypeIndex : drawTypeIndex(rng, grids[g]!.urban);
          draft.lng[row] = point[0]!;
          draft.lat[row] = point[1]!;
          draft.clusterId[row] = cluster.id;
          drawDisputeAttributes(rng, draft, row);
        }
      }
    }
  }
  const kept: number[] = [];
  for (let row = 0; row < draft.length; row++) {
    const atMs = draft.reportedAtMs[row]!;
    if (atMs >= fromMs && atMs < toMs) kept.push(row);
  }
  kept.sort((a, b) => draft.reportedAtMs[a]! - draft.reportedAtMs[b]! || a - b);
  const events = allocateDisputeColumns(kept.length);
  events.length = kept.length;
  kept.forEach((row, i) => {
    copyDisputeRow(draft, row, events, i);
    events.id[i] = window.nextId + i;
    events.dueAtMs[i] = caseDueMs(events, i, events.handlingLevelIndex[i]!, events.reportedAtMs[i]!, context.deadlines);
  });
  const firstNewStep = steps.length;
  runLifecycles(events, 0, events.length, context.lifecycleSeed, fromMs, toMs, steps, context.deadlines, true);
  // New cases' steps were appended case by case; ids are nextId + row.
  const stepCountByRow = new Uint16Array(events.length);
  const lastStepAtByRow = Float64Array.from(events.reportedAtMs.subarray(0, events.length));
  for (let s = firstNewStep; s < steps.length; s++) {
    const row = steps.eventId[s]! - window.nextId;
    stepCountByRow[row] = steps.seq[s]!;
    lastStepAtByRow[row] = steps.atMs[s]!;
  }
  for (let i = 0; i < events.length; i++) {
    if (events.statusIndex[i] === CLOSED_STATUS_INDEX) continue;
    const stepCount = stepCountByRow[i]!;
    const lastStepAtMs = lastStepAtByRow[i]!;
    states.push({
      id: events.id[i]!,
      statusIndex: events.statusIndex[i]!,
      handlingLevelIndex: events.handlingLevelIndex[i]!,
      severityIndex: events.severityIndex[i]!,
      typeIndex: events.typeIndex[i]!,
      sourceIndex: events.sourceIndex[i]!,
      reportedAtMs: events.reportedAtMs[i]!,
      lastStepAtMs,
      stepCount,
    });
  }
  return { events: trimDisputeColumns(events), steps: sortStepsByTime(trimDisputeStepColumns(steps)), states, nextId: window.nextId + events.length };
}

/** Steps reordered by (atMs, eventId, seq). */
function sortStepsByTime(steps: DisputeStepColumns): DisputeStepColumns {
  const order = new Uint32Array(steps.length);
  for (let s = 0; s < steps.length; s++) order[s] = s;
  order.sort((a, b) => steps.atMs[a]! - steps.atMs[b]! || steps.eventId[a]! - steps.eventId[b]! || steps.seq[a]! - steps.seq[b]!);
  const sorted = allocateDisputeStepColumns(steps.length);
  sorted.length = steps.length;
  order.forEach((s, k) => {
    sorted.eventId[k] = steps.eventId[s]!;
    sorted.seq[k] = steps.seq[s]!;
    sorted.actionIndex[k] = steps.actionIndex[s]!;
    sorted.fromStatusIndex[k] = steps.fromStatusIndex[s]!;
    sorted.toStatusIndex[k] = steps.toStatusIndex[s]!;
    sorted.atMs[k] = steps.atMs[s]!;
    sorted.handlingLevelIndex[k] = steps.handlingLevelIndex[s]!;
    sorted.actorRoleIndex[k] = steps.actorRoleIndex[s]!;
    sorted.noteIndex[k] = steps.noteIndex[s]!;
    sorted.outcomeIndex[k] = steps.outcomeIndex[s]!;
  });
  return sorted;
}
