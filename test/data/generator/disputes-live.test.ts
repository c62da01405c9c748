// Live dispute generator: Poisson counts at the configured rate, the daily rhythm, window-splitting
// invariance (two adjacent windows = one window), independence from the rng's draw state, legal
// transitions continued from the history's open cases, and planted clusters that keep going.

import * as turf from '@turf/turf';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DISPUTE_ACTIONS,
  DISPUTE_STATUSES,
  HANDLING_LEVELS,
  applyTransition,
  nextStatus,
  type DisputeStatus,
  type HandlingLevel,
} from '../../../server/domain/dispute-workflow';
import { generateDisputeHistory, type DisputeHistory } from '../../../data/generator/disputes';
import type { DisputeColumns, DisputeStepColumns } from '../../../data/generator/disputes-columns';
import type { DisputeLifecycleState } from '../../../data/generator/disputes-lifecycle';
import {
  computeLiveIntensity,
  createLiveDisputeGenerator,
  openStatesOf,
  type LiveDisputeBatch,
  type LiveDisputeGenerator,
} from '../../../data/generator/disputes-live';
import { CHINA_UTC_OFFSET_MS, MS_PER_HOUR, MS_PER_MINUTE } from '../../../server/domain/china-time';
import { buildSquareDisputeInput } from '../../../data/generator/disputes-synthetic';
import { createRng } from '../../../server/analysis/random';

const NOW_MS = Date.UTC(2025, 5, 30, 16);
const input = buildSquareDisputeInput({ columns: 20, rows: 10, cellMeters: 1500, centerLngLat: [123.43, 41.8], totalPopulation: 300_000, rng: createRng(2020) });
const seedRng = () => createRng(7).fork('disputes');
const REPORT_FIELDS = [
  'id', 'typeIndex', 'sourceIndex', 'severityIndex', 'lng', 'lat', 'gridIndex', 'reportedAtMs', 'dueAtMs', 'clusterId',
  'partyCount', 'partySurnameIndex', 'partyKindIndex', 'partyPhoneSuffix',
] as const satisfies readonly (keyof DisputeColumns)[];

function concatColumns<T extends DisputeColumns | DisputeStepColumns>(a: T, b: T): T {
  const result = { length: a.length + b.length } as Record<string, unknown>;
  for (const key of Object.keys(a)) {
    if (key === 'length') continue;
    const left = (a as unknown as Record<string, Float64Array>)[key]!;
    const right = (b as unknown as Record<string, Float64Array>)[key]!;
    const joined = new (left.constructor as Float64ArrayConstructor)(left.length + right.length);
    joined.set(left);
    joined.set(right, left.length);
    result[key] = joined;
  }
  return result as T;
}

/** Replays a batch's steps from the given starting states (new cases start `reported`); returns the end states. */
function replaySteps(batch: LiveDisputeBatch, carried: readonly DisputeLifecycleState[], fromMs: number, toMs: number): Map<number, { status: DisputeStatus; level: HandlingLevel; seq: number; at: number }> {
  const states = new Map<number, { status: DisputeStatus; level: HandlingLevel; seq: number; at: number }>();
  for (const state of carried) {
    states.set(state.id, { status: DISPUTE_STATUSES[state.statusIndex]!, level: HANDLING_LEVELS[state.handlingLevelIndex]!, seq: state.stepCount, at: state.lastStepAtMs });
  }
  for (let i = 0; i < batch.events.length; i++) {
    states.set(batch.events.id[i]!, { status: 'reported', level: HANDLING_LEVELS[0], seq: 0, at: batch.events.reportedAtMs[i]! });
  }
  const { steps } = batch;
  let previousAt = -Infinity;
  for (let s = 0; s < steps.length; s++) {
    const state = states.get(steps.eventId[s]!);
    expect(state, `step for unknown case ${steps.eventId[s]}`).toBeDefined();
    const action = DISPUTE_ACTIONS[steps.actionIndex[s]!]!;
    expect(DISPUTE_STATUSES[steps.fromStatusIndex[s]!]).toBe(state!.status);
    const to = nextStatus(state!.status, action);
    expect(to, `${state!.status} + ${action}`).not.toBeNull();
    expect(DISPUTE_STATUSES[steps.toStatusIndex[s]!]).toBe(to);
    const level = HANDLING_LEVELS[steps.handlingLevelIndex[s]!]!;
    if (state!.seq > 0) expect(applyTransition({ status: state!.status, handlingLevel: state!.level }, action)?.handlingLevel).toBe(level);
    expect(steps.seq[s]).toBe(state!.seq + 1);
    expect(steps.atMs[s]!).toBeGreaterThanOrEqual(Math.max(fromMs, state!.at));
    expect(steps.atMs[s]!).toBeLessThan(toMs);
    expect(steps.atMs[s]!).toBeGreaterThanOrEqual(previousAt);
    previousAt = steps.atMs[s]!;
    states.set(steps.eventId[s]!, { status: to!, level, seq: state!.seq + 1, at: steps.atMs[s]! });
  }
  return states;
}

describe('live dispute generator', () => {
  let history: DisputeHistory;
  let open: DisputeLifecycleState[];
  let live: LiveDisputeGenerator;
  beforeAll(() => {
    history = generateDisputeHistory({ ...input, nowMs: NOW_MS, rng: seedRng(), clusterCount: 8 });
    open = openStatesOf(history.events, history.steps);
    live = createLiveDisputeGenerator({ grids: input.grids, rng: seedRng(), clusters: history.clusters });
  });

  it('produces about rate × 60 cases in an hour (flat rate, Poisson tolerance)', () => {
    const plain = createLiveDisputeGenerator({ grids: input.grids, rng: seedRng() });
    const ratePerMinute = 5;
    const one = plain.generate({ openEvents: [], fromMs: NOW_MS, toMs: NOW_MS + MS_PER_HOUR, nextId: 1, ratePerMinute, rhythm: false });
    expect(Math.abs(one.events.length - 300)).toBeLessThan(4 * Math.sqrt(300));
    let total = 0;
    for (let h = 0; h < 24; h++) {
      total += plain.generate({ openEvents: [], fromMs: NOW_MS + h * MS_PER_HOUR, toMs: NOW_MS + (h + 1) * MS_PER_HOUR, nextId: 1, ratePerMinute, rhythm: false }).events.length;
    }
    expect(Math.abs(total / (24 * 300) - 1)).toBeLessThan(0.05);
  });

  it('follows the daily rhythm when asked, with the expected total', () => {
    const plain = createLiveDisputeGenerator({ grids: input.grids, rng: seedRng() });
    const ratePerMinute = 3;
    const days = 7;
    const batch = plain.generate({ openEvents: [], fromMs: NOW_MS, toMs: NOW_MS + days * 24 * MS_PER_HOUR, nextId: 1, ratePerMinute });
    const byHour = new Array<number>(24).fill(0);
    for (let i = 0; i < batch.events.length; i++) byHour[new Date(batch.events.reportedAtMs[i]! + CHINA_UTC_OFFSET_MS).getUTCHours()]! += 1;
    expect(byHour[10]!).toBeGreaterThan(3 * byHour[3]!);
    // Expected count: the intensity integrated minute by minute (shares as the generator computes them).
    const shares = new Float64Array(11);
    const weights = input.grids.map((grid) => grid.population * (grid.urban ? 1.15 : 0.8));
    const urbanShare = weights.reduce((sum, w, g) => sum + (input.grids[g]!.urban ? w : 0), 0) / weights.reduce((a, b) => a + b, 0);
    const urban = [14, 20, 18, 10, 3, 1, 10, 8, 3, 8, 5];
    const rural = [18, 20, 2, 7, 18, 14, 3, 6, 2, 5, 5];
    for (let t = 0; t < 11; t++) shares[t] = (urbanShare * urban[t]!) / 100 + ((1 - urbanShare) * rural[t]!) / 100;
    let expected = 0;
    for (let m = 0; m < days * 24 * 60; m++) expected += ratePerMinute * computeLiveIntensity(shares, NOW_MS + (m + 0.5) * MS_PER_MINUTE);
    expect(Math.abs(batch.events.length / expected - 1)).toBeLessThan(0.05);
  });

  it('gives the same new cases, steps and end states for [a, c) as for [a, b) then [b, c), b in mid-minute', () => {
    const from = NOW_MS;
    const cut = NOW_MS + 70.5 * MS_PER_MINUTE;
    const to = NOW_MS + 3 * MS_PER_HOUR;
    const nextId = history.events.length + 1;
    const whole = live.generate({ openEvents: open, fromMs: from, toMs: to, nextId });
    const first = live.generate({ openEvents: open, fromMs: from, toMs: cut, nextId });
    const second = live.generate({ openEvents: first.states, fromMs: cut, toMs: to, nextId: first.nextId });
    expect(whole.events.length).toBeGreaterThan(5);
    expect(first.events.length).toBeGreaterThan(0);
    expect(second.events.length).toBeGreaterThan(0);
    // Fields fixed at report time match; the state columns describe each batch's cases at its own end.
    const joined = concatColumns(first.events, second.events);
    for (const key of REPORT_FIELDS) expect(joined[key], key).toEqual(whole.events[key]);
    expect(concatColumns(first.steps, second.steps)).toEqual(whole.steps);
    expect(second.states).toEqual(whole.states);
    expect(second.nextId).toBe(whole.nextId);
  });

  it('depends on the rng\'s seed only, not on draws made from it', () => {
    const used = seedRng();
    for (let k = 0; k < 10; k++) used.next();
    const again = createLiveDisputeGenerator({ grids: input.grids, rng: used, clusters: history.clusters });
    const window = { openEvents: open, fromMs: NOW_MS, toMs: NOW_MS + MS_PER_HOUR, nextId: 1_000_000 };
    expect(again.generate(window)).toEqual(live.generate(window));
    const other = createLiveDisputeGenerator({ grids: input.grids, rng: createRng(8).fork('disputes') });
    expect(other.generate(window).events.lng).not.toEqual(live.generate(window).events.lng);
  });

  it('continues the history\'s open cases with legal steps, from now on, and new cases from nextId', () => {
    const to = NOW_MS + 2 * 24 * MS_PER_HOUR;
    const nextId = history.events.length + 1;
    const batch = live.generate({ openEvents: open, fromMs: NOW_MS, toMs: to, nextId });
    const end = replaySteps(batch, open, NOW_MS, to);
    const carriedIds = new Set(open.map((state) => state.id));
    const carriedSteps = Array.from(batch.steps.eventId).filter((id) => carriedIds.has(id)).length;
    expect(carriedSteps).toBeGreaterThan(open.length / 2);
    for (let i = 0; i < batch.events.length; i++) {
      expect(batch.events.id[i]).toBe(nextId + i);
      expect(batch.events.reportedAtMs[i]!).toBeGreaterThanOrEqual(NOW_MS);
      expect(batch.events.reportedAtMs[i]!).toBeLessThan(to);
      expect(DISPUTE_STATUSES[batch.events.statusIndex[i]!]).toBe(end.get(batch.events.id[i]!)!.status);
      const grid = input.grids[batch.events.gridIndex[i]!]!;
      expect(turf.booleanPointInPolygon([batch.events.lng[i]!, batch.events.lat[i]!], turf.multiPolygon(grid.polygon))).toBe(true);
    }
    // Every returned state is open and matches the replay.
    for (const state of batch.states) {
      const replayed = end.get(state.id)!;
      expect(state.statusIndex).not.toBe(DISPUTE_STATUSES.indexOf('closed'));
      expect(DISPUTE_STATUSES[state.statusIndex]).toBe(replayed.status);
      expect(state.stepCount).toBe(replayed.seq);
    }
    const closedNow = [...end.values()].filter((state) => state.status === 'closed').length;
    expect(batch.states.length).toBe(end.size - closedNow);
  });

  it('keeps active planted clusters going (not the diminishing ones), inside their regions', () => {
    const batch = live.generate({ openEvents: [], fromMs: NOW_MS, toMs: NOW_MS + 14 * 24 * MS_PER_HOUR, nextId: 1 });
    const byCluster = new Map<number, number>();
    for (let i = 0; i < batch.events.length; i++) {
      const id = batch.events.clusterId[i]!;
      if (id === 0) continue;
      byCluster.set(id, (byCluster.get(id) ?? 0) + 1);
      const cluster = history.clusters[id - 1]!;
      expect(turf.distance([batch.events.lng[i]!, batch.events.lat[i]!], cluster.centerLngLat, { units: 'meters' })).toBeLessThan(cluster.radiusMeters * 1.01);
    }
    for (const cluster of history.clusters) {
      if (cluster.kind === 'diminishing') expect(byCluster.get(cluster.id) ?? 0).toBe(0);
      else expect(byCluster.get(cluster.id) ?? 0, `cluster ${cluster.id}`).toBeGreaterThan(0);
    }
  });
});
