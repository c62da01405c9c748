// Dispute history on 200 synthetic square grids (300,000 residents): determinism, counts that follow
// population, points inside their grids (checked with Turf), workflow replay through the state machine,
// timing and share bands, rhythms, planted clusters against their ground truth, and fictional parties.

import * as turf from '@turf/turf';
import { beforeAll, describe, expect, it } from 'vitest';
import { DISPUTE_TYPE_KEYS } from '../../../server/domain/dispute-categories';
import {
  DISPUTE_ACTIONS,
  DISPUTE_SEVERITIES,
  DISPUTE_STATUSES,
  HANDLING_LEVELS,
  applyTransition,
  nextStatus,
  type DisputeStatus,
  type HandlingLevel,
} from '../../../server/domain/dispute-workflow';
import { generateDisputeHistory, type DisputeHistory } from '../../../data/generator/disputes';
import { deadlineDays } from '../../../server/domain/dispute-deadlines';
import { formatDisputeParties, type DisputeColumns } from '../../../data/generator/disputes-columns';
import { buildSquareDisputeInput } from '../../../data/generator/disputes-synthetic';
import { springFestivalDayNumber } from '../../../data/generator/disputes-rhythm';
import { CHINA_UTC_OFFSET_MS, MS_PER_DAY } from '../../../server/domain/china-time';
import { createRng } from '../../../server/analysis/random';

const NOW_MS = Date.UTC(2025, 5, 30, 16); // 2025-07-01 00:00 China time
const RATE_PER_THOUSAND = 10.5;
const input = buildSquareDisputeInput({ columns: 20, rows: 10, cellMeters: 1500, centerLngLat: [123.43, 41.8], totalPopulation: 300_000, rng: createRng(2020) });
const generate = (seed: number): DisputeHistory =>
  generateDisputeHistory({ ...input, nowMs: NOW_MS, rng: createRng(seed).fork('disputes'), ratePerThousand: RATE_PER_THOUSAND, clusterCount: 8 });

const EVENT_COLUMNS = [
  'id', 'typeIndex', 'sourceIndex', 'severityIndex', 'statusIndex', 'handlingLevelIndex', 'resolvedLevelIndex', 'outcomeIndex', 'lng', 'lat',
  'gridIndex', 'reportedAtMs', 'assignedAtMs', 'acceptedAtMs', 'handledAtMs', 'feedbackAtMs', 'reviewedAtMs', 'closedAtMs', 'dueAtMs', 'clusterId',
  'partyCount', 'partySurnameIndex', 'partyKindIndex', 'partyPhoneSuffix',
] as const satisfies readonly Exclude<keyof DisputeColumns, 'length'>[];
const STEP_TIMES = ['assignedAtMs', 'acceptedAtMs', 'handledAtMs', 'feedbackAtMs', 'reviewedAtMs'] as const;

function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

const meters = (a: number[], b: number[]): number => turf.distance(a, b, { units: 'meters' });

/** Distance from p to a polyline (local plane, metres) and whether p lies beside it (projects strictly inside, not past an end). */
function projectOnLine(p: number[], line: number[][]): { distanceMeters: number; beside: boolean } {
  const kx = 111_195 * Math.cos((p[1]! * Math.PI) / 180);
  const ky = 111_195;
  let best = Infinity;
  let beside = false;
  for (let k = 0; k + 1 < line.length; k++) {
    const ax = (line[k]![0]! - p[0]!) * kx;
    const ay = (line[k]![1]! - p[1]!) * ky;
    const dx = (line[k + 1]![0]! - line[k]![0]!) * kx;
    const dy = (line[k + 1]![1]! - line[k]![1]!) * ky;
    const t = -(ax * dx + ay * dy) / (dx * dx + dy * dy);
    const clamped = Math.min(1, Math.max(0, t));
    const d = Math.hypot(ax + clamped * dx, ay + clamped * dy);
    if (d < best) {
      best = d;
      beside = (t > 0 || k > 0) && (t < 1 || k + 2 < line.length);
    }
  }
  return { distanceMeters: best, beside };
}

describe('generateDisputeHistory on 200 square grids', () => {
  let history: DisputeHistory;
  let events: DisputeColumns;
  beforeAll(() => {
    history = generate(7);
    events = history.events;
  });

  it('is deterministic: the same seed gives identical columns, another seed differs', () => {
    const again = generate(7);
    for (const column of EVENT_COLUMNS) expect(again.events[column], column).toEqual(history.events[column]);
    expect(again.steps).toEqual(history.steps);
    expect(again.clusters).toEqual(history.clusters);
    const other = generate(8);
    expect(other.events.length).not.toBe(history.events.length);
    expect(other.events.lng.subarray(0, 100)).not.toEqual(history.events.lng.subarray(0, 100));
  });

  it('numbers cases 1..n in report-time order within the 12 months before now', () => {
    expect(events.length).toBeGreaterThan(3000);
    for (let i = 0; i < events.length; i++) {
      expect(events.id[i]).toBe(i + 1);
      if (i > 0) expect(events.reportedAtMs[i]!).toBeGreaterThanOrEqual(events.reportedAtMs[i - 1]!);
    }
    expect(events.reportedAtMs[0]!).toBeGreaterThanOrEqual(NOW_MS - 365 * MS_PER_DAY);
    expect(events.reportedAtMs[events.length - 1]!).toBeLessThan(NOW_MS);
    expect(history.gridCodes).toEqual(input.grids.map((grid) => grid.gridCode));
  });

  it('follows population: background within ±5 % of rate × population, total within ±15 % of that plus the planted cases, r > 0.8 over grids', () => {
    const population = input.grids.reduce((sum, grid) => sum + grid.population, 0);
    const expected = (RATE_PER_THOUSAND * population) / 1000;
    const planted = history.clusters.reduce((sum, cluster) => sum + cluster.eventCount, 0);
    const background = events.clusterId.filter((id) => id === 0).length;
    expect(Math.abs(background / expected - 1)).toBeLessThan(0.05);
    expect(Math.abs(events.length / (expected + planted) - 1)).toBeLessThan(0.15);
    expect(history.summary.clusterEvents).toBe(planted);
    const countByGrid = new Array<number>(input.grids.length).fill(0);
    for (let i = 0; i < events.length; i++) if (events.clusterId[i] === 0) countByGrid[events.gridIndex[i]!]! += 1;
    expect(pearson(input.grids.map((grid) => grid.population), countByGrid)).toBeGreaterThan(0.8);
  });

  it('places every case inside its grid polygon (Turf point-in-polygon)', () => {
    const polygons = input.grids.map((grid) => turf.multiPolygon(grid.polygon));
    for (let i = 0; i < events.length; i++) {
      expect(turf.booleanPointInPolygon([events.lng[i]!, events.lat[i]!], polygons[events.gridIndex[i]!]!), `case ${i + 1}`).toBe(true);
    }
  });

  it('orders the step times along the workflow, sets the deadline of the last stage by type and level, and keeps times before now', () => {
    // Replayed from the steps: a stage starts at the report, at a step to another level and at a reopening.
    const stageStart = Float64Array.from(events.reportedAtMs.subarray(0, events.length));
    // A case's first step is always its dispatch (assign), at the level it was reported at.
    const levelOf = new Int8Array(events.length).fill(-1);
    const steps = history.steps;
    const reopen = DISPUTE_ACTIONS.indexOf('reopen');
    for (let s = 0; s < steps.length; s++) {
      const i = steps.eventId[s]! - 1;
      if (levelOf[i] === -1) expect(steps.actionIndex[s]).toBe(DISPUTE_ACTIONS.indexOf('assign'));
      else if (steps.actionIndex[s] === reopen || steps.handlingLevelIndex[s] !== levelOf[i]) stageStart[i] = steps.atMs[s]!;
      levelOf[i] = steps.handlingLevelIndex[s]!;
    }
    let restarted = 0;
    for (let i = 0; i < events.length; i++) {
      let previous = events.reportedAtMs[i]!;
      let reached = true;
      for (const column of STEP_TIMES) {
        const at = events[column][i]!;
        if (Number.isNaN(at)) {
          reached = false;
          continue;
        }
        expect(reached, `case ${i + 1}: ${column} set after an unset step`).toBe(true);
        expect(at).toBeGreaterThanOrEqual(previous);
        expect(at).toBeLessThan(NOW_MS);
        previous = at;
      }
      const closedAt = events.closedAtMs[i]!;
      if (!Number.isNaN(closedAt)) expect(closedAt).toBeGreaterThanOrEqual(events.reviewedAtMs[i]!);
      const key = {
        type: DISPUTE_TYPE_KEYS[events.typeIndex[i]!]!,
        severity: DISPUTE_SEVERITIES[events.severityIndex[i]!]!,
        handlingLevel: HANDLING_LEVELS[events.handlingLevelIndex[i]!]!,
      };
      expect(events.dueAtMs[i], `case ${i + 1}`).toBe(stageStart[i]! + deadlineDays(key) * MS_PER_DAY);
      if (stageStart[i] !== events.reportedAtMs[i]) restarted++;
    }
    // Escalations and reopenings happen in the history, so some deadlines were set after the report.
    expect(restarted).toBeGreaterThan(0);
  });

  it('replays every case\'s steps through the state machine to its stored status, level and times', () => {
    const { steps } = history;
    let s = 0;
    for (let i = 0; i < events.length; i++) {
      const id = events.id[i]!;
      let status: DisputeStatus = 'reported';
      let level: HandlingLevel | null = null;
      let lastAt = events.reportedAtMs[i]!;
      const firstAt = new Map<DisputeStatus, number>();
      let closedAt = NaN;
      let resolvedLevel = -1;
      let seq = 0;
      for (; s < steps.length && steps.eventId[s] === id; s++) {
        seq++;
        expect(steps.seq[s]).toBe(seq);
        const action = DISPUTE_ACTIONS[steps.actionIndex[s]!]!;
        expect(DISPUTE_STATUSES[steps.fromStatusIndex[s]!]).toBe(status);
        const to = nextStatus(status, action);
        expect(to, `case ${id} step ${seq}: ${status} + ${action}`).not.toBeNull();
        expect(DISPUTE_STATUSES[steps.toStatusIndex[s]!]).toBe(to);
        const stepLevel = HANDLING_LEVELS[steps.handlingLevelIndex[s]!]!;
        // The first step (assign) reveals the level the case was first dispatched to.
        if (level !== null) {
          const applied = applyTransition({ status, handlingLevel: level }, action);
          expect(applied).not.toBeNull();
          expect(applied!.handlingLevel).toBe(stepLevel);
        }
        expect(steps.atMs[s]!).toBeGreaterThan(lastAt);
        lastAt = steps.atMs[s]!;
        status = to!;
        level = stepLevel;
        if (!firstAt.has(status)) firstAt.set(status, lastAt);
        if (status === 'closed') {
          closedAt = lastAt;
          resolvedLevel = HANDLING_LEVELS.indexOf(level);
        }
        if (action === 'reopen') {
          closedAt = NaN;
          resolvedLevel = -1;
        }
      }
      expect(lastAt).toBeLessThan(NOW_MS);
      expect(DISPUTE_STATUSES[events.statusIndex[i]!]).toBe(status);
      if (level !== null) expect(HANDLING_LEVELS[events.handlingLevelIndex[i]!]).toBe(level);
      expect(events.assignedAtMs[i]).toBe(firstAt.get('assigned') ?? NaN);
      expect(events.acceptedAtMs[i]).toBe(firstAt.get('accepted') ?? NaN);
      expect(events.handledAtMs[i]).toBe(firstAt.get('handled') ?? NaN);
      expect(events.feedbackAtMs[i]).toBe(firstAt.get('feedback') ?? NaN);
      expect(events.reviewedAtMs[i]).toBe(firstAt.get('reviewed') ?? NaN);
      expect(events.closedAtMs[i]).toBe(status === 'closed' ? closedAt : NaN);
      expect(events.resolvedLevelIndex[i]).toBe(status === 'closed' ? resolvedLevel : -1);
      expect(events.outcomeIndex[i]! >= 0).toBe(status === 'closed');
    }
    expect(s).toBe(steps.length);
    expect(history.summary.steps).toBe(steps.length);
  });

  it('keeps timing and shares in their bands: closed, open, overdue, escalated, reopened, resolved level', () => {
    const { summary } = history;
    let old = 0;
    let oldClosed = 0;
    let recent = 0;
    let recentClosed = 0;
    let assignHours = 0;
    let assigned = 0;
    for (let i = 0; i < events.length; i++) {
      const closed = events.statusIndex[i] === DISPUTE_STATUSES.indexOf('closed');
      if (events.reportedAtMs[i]! < NOW_MS - 30 * MS_PER_DAY) {
        old++;
        if (closed) oldClosed++;
      }
      if (events.reportedAtMs[i]! >= NOW_MS - 3 * MS_PER_DAY) {
        recent++;
        if (closed) recentClosed++;
      }
      if (!Number.isNaN(events.assignedAtMs[i]!)) {
        assigned++;
        assignHours += (events.assignedAtMs[i]! - events.reportedAtMs[i]!) / 3_600_000;
      }
    }
    expect(oldClosed / old).toBeGreaterThan(0.9);
    expect(recent).toBeGreaterThan(10);
    expect(recentClosed / recent).toBeLessThan(0.3);
    expect(assignHours / assigned).toBeLessThan(4);
    expect(summary.overdue / summary.events).toBeGreaterThan(0.05);
    expect(summary.overdue / summary.events).toBeLessThan(0.1);
    expect(summary.escalated / summary.events).toBeGreaterThan(0.05);
    expect(summary.escalated / summary.events).toBeLessThan(0.2);
    expect(summary.reopened / summary.events).toBeGreaterThan(0.005);
    expect(summary.reopened / summary.events).toBeLessThan(0.05);
    const resolved = Object.values(summary.byResolvedLevel).reduce((a, b) => a + b, 0);
    expect(resolved).toBe(summary.closed);
    const share = (level: HandlingLevel): number => summary.byResolvedLevel[level] / resolved;
    expect(share('grid')).toBeGreaterThan(0.6);
    expect(share('grid')).toBeLessThan(0.75);
    expect(share('community')).toBeGreaterThan(0.15);
    expect(share('community')).toBeLessThan(0.27);
    expect(share('street')).toBeGreaterThan(0.04);
    expect(share('street')).toBeLessThan(0.11);
    expect(share('county') + share('above')).toBeGreaterThan(0.005);
    expect(share('county') + share('above')).toBeLessThan(0.05);
    const statusTotal = Object.values(summary.byStatus).reduce((a, b) => a + b, 0);
    expect(statusTotal).toBe(summary.events);
    expect(summary.bySource.patrol).toBe(Math.max(...Object.values(summary.bySource)));
  });

  it('has fewer reports on Sundays, a Spring Festival peak of family and wage disputes, and land disputes in spring and autumn', () => {
    const byWeekday = new Array<number>(7).fill(0);
    const T = (key: (typeof DISPUTE_TYPE_KEYS)[number]): number => DISPUTE_TYPE_KEYS.indexOf(key);
    const festivalMs = springFestivalDayNumber(2025) * MS_PER_DAY - CHINA_UTC_OFFSET_MS;
    let festival = 0;
    let autumnControl = 0;
    let landPeak = 0;
    let landWinter = 0;
    for (let i = 0; i < events.length; i++) {
      if (events.clusterId[i] !== 0) continue;
      const at = events.reportedAtMs[i]!;
      byWeekday[new Date(at + CHINA_UTC_OFFSET_MS).getUTCDay()]! += 1;
      const type = events.typeIndex[i]!;
      if (type === T('family') || type === T('wages')) {
        if (at >= festivalMs - 35 * MS_PER_DAY && at < festivalMs + 21 * MS_PER_DAY) festival++;
        if (at >= Date.UTC(2024, 7, 15) && at < Date.UTC(2024, 7, 15) + 56 * MS_PER_DAY) autumnControl++;
      }
      if (type === T('land') || type === T('boundary')) {
        const month = new Date(at + CHINA_UTC_OFFSET_MS).getUTCMonth() + 1;
        if (month === 4 || month === 5 || month === 9 || month === 10) landPeak++;
        if (month === 12 || month === 1 || month === 2) landWinter++;
      }
    }
    const weekdayMean = (byWeekday[1]! + byWeekday[2]! + byWeekday[3]! + byWeekday[4]! + byWeekday[5]!) / 5;
    expect(byWeekday[0]!).toBeLessThan(0.9 * weekdayMean);
    expect(festival).toBeGreaterThan(1.25 * autumnControl);
    // Per day: 122 peak days against 90 winter days.
    expect(landPeak / 122).toBeGreaterThan(1.25 * (landWinter / 90));
  });

  it('mixes types by place: villages have land and boundary disputes, towns property and consumer ones', () => {
    const count = { urban: 0, rural: 0, urbanLand: 0, ruralLand: 0, urbanProperty: 0, ruralProperty: 0 };
    const land = new Set([DISPUTE_TYPE_KEYS.indexOf('land'), DISPUTE_TYPE_KEYS.indexOf('boundary')]);
    const property = new Set([DISPUTE_TYPE_KEYS.indexOf('property'), DISPUTE_TYPE_KEYS.indexOf('consumer')]);
    for (let i = 0; i < events.length; i++) {
      if (events.clusterId[i] !== 0) continue;
      const urban = input.grids[events.gridIndex[i]!]!.urban;
      count[urban ? 'urban' : 'rural']++;
      if (land.has(events.typeIndex[i]!)) count[urban ? 'urbanLand' : 'ruralLand']++;
      if (property.has(events.typeIndex[i]!)) count[urban ? 'urbanProperty' : 'ruralProperty']++;
    }
    expect(count.ruralLand / count.rural).toBeGreaterThan(3 * (count.urbanLand / count.urban));
    expect(count.urbanProperty / count.urban).toBeGreaterThan(3 * (count.ruralProperty / count.rural));
  });

  describe('planted clusters', () => {
    it('plants two of each kind, each with its own id, count and time window', () => {
      const kinds = history.clusters.map((cluster) => cluster.kind).sort();
      expect(kinds).toEqual(['boundary', 'boundary', 'diminishing', 'diminishing', 'emerging', 'emerging', 'persistent', 'persistent']);
      expect(history.clusters.some((cluster) => cluster.urban)).toBe(true);
      expect(history.clusters.some((cluster) => !cluster.urban)).toBe(true);
      history.clusters.forEach((cluster, k) => {
        expect(cluster.id).toBe(k + 1);
        expect(cluster.radiusMeters).toBeGreaterThanOrEqual(300);
        const cases = events.clusterId.filter((id) => id === cluster.id).length;
        expect(cases).toBe(cluster.eventCount);
        expect(cluster.eventCount).toBeGreaterThanOrEqual(30);
        expect(cluster.multiplier).toBeGreaterThan(3);
        expect(cluster.radiusMeters).toBeLessThanOrEqual(1500);
        if (cluster.kind === 'boundary') expect(input.boundaryLines.map((line) => line.id)).toContain(cluster.boundaryLineId);
        else expect(cluster.boundaryLineId).toBeUndefined();
      });
    });

    it('keeps each cluster\'s cases inside its disk or line buffer and its active period', () => {
      for (const cluster of history.clusters) {
        const line = cluster.lineLngLat === undefined ? null : turf.lineString(cluster.lineLngLat);
        let left = 0;
        let right = 0;
        for (let i = 0; i < events.length; i++) {
          if (events.clusterId[i] !== cluster.id) continue;
          const at = events.reportedAtMs[i]!;
          expect(at).toBeGreaterThanOrEqual(cluster.startMs);
          expect(at).toBeLessThan(cluster.endMs);
          const p = [events.lng[i]!, events.lat[i]!];
          expect(meters(p, cluster.centerLngLat)).toBeLessThan(cluster.radiusMeters * 1.01);
          if (line !== null) {
            expect(turf.pointToLineDistance(p, line, { units: 'meters' })).toBeLessThan(cluster.bufferMeters! * 1.01);
            // Which side: sign of the cross product with the stretch's overall direction.
            const [a, b] = [cluster.lineLngLat![0]!, cluster.lineLngLat![cluster.lineLngLat!.length - 1]!];
            const cross = (b[0]! - a[0]!) * (p[1]! - a[1]!) - (b[1]! - a[1]!) * (p[0]! - a[0]!);
            if (cross > 0) left++;
            else right++;
          }
        }
        if (line !== null) {
          expect(left / cluster.eventCount).toBeGreaterThan(0.3);
          expect(right / cluster.eventCount).toBeGreaterThan(0.3);
        }
      }
    });

    it('makes each cluster region at least 3× as dense as its surroundings during its active period', () => {
      // Disks: the disk against the ring out to two radii. Lines: the buffer beside the stretch against
      // the band from one to three buffer widths beside it (points that project inside the stretch).
      for (const cluster of history.clusters) {
        let inside = 0;
        let around = 0;
        const line = cluster.lineLngLat ?? null;
        const r = line === null ? cluster.radiusMeters : cluster.bufferMeters!;
        for (let i = 0; i < events.length; i++) {
          if (events.clusterId[i] !== 0 && events.clusterId[i] !== cluster.id) continue;
          const at = events.reportedAtMs[i]!;
          if (at < cluster.startMs || at >= cluster.endMs) continue;
          const p = [events.lng[i]!, events.lat[i]!];
          if (meters(p, cluster.centerLngLat) > cluster.radiusMeters * 3) continue;
          let d: number;
          if (line === null) d = meters(p, cluster.centerLngLat);
          else {
            const projection = projectOnLine(p, line);
            if (!projection.beside) continue;
            d = projection.distanceMeters;
          }
          if (d <= r) inside++;
          else if (d <= (line === null ? 2 * r : 3 * r)) around++;
        }
        const length = line === null ? 0 : turf.length(turf.lineString(line), { units: 'meters' });
        const insideArea = line === null ? Math.PI * r * r : 2 * r * length;
        const aroundArea = line === null ? 3 * Math.PI * r * r : 4 * r * length;
        const ratio = inside / insideArea / (Math.max(around, 1) / aroundArea);
        expect(ratio, `cluster ${cluster.id} (${cluster.kind})`).toBeGreaterThan(3);
      }
    });

    it('puts emerging clusters\' cases mostly in the last months and diminishing ones\' in the first', () => {
      const yearStart = NOW_MS - 365 * MS_PER_DAY;
      for (const cluster of history.clusters) {
        const times: number[] = [];
        for (let i = 0; i < events.length; i++) if (events.clusterId[i] === cluster.id) times.push(events.reportedAtMs[i]!);
        const middle = (cluster.startMs + cluster.endMs) / 2;
        const lateShare = times.filter((t) => t >= middle).length / times.length;
        if (cluster.kind === 'emerging') {
          expect(cluster.startMs).toBeGreaterThanOrEqual(NOW_MS - 121 * MS_PER_DAY);
          expect(times.every((t) => t >= NOW_MS - 121 * MS_PER_DAY)).toBe(true);
          expect(lateShare).toBeGreaterThan(0.6);
        }
        if (cluster.kind === 'diminishing') {
          expect(times.every((t) => t < yearStart + 211 * MS_PER_DAY)).toBe(true);
          expect(lateShare).toBeLessThan(0.4);
        }
      }
    });
  });

  it('writes only obviously fictional parties: 2–3 per case, "X某…（演示）", phones 000-0000-NNNN, no ID-like numbers', () => {
    const mobile = /1[3-9]\d{9}/;
    const idNumber = /\d{17}[\dXx]|\d{15}/;
    for (let i = 0; i < events.length; i++) {
      const json = formatDisputeParties(events, i);
      expect(json).not.toMatch(mobile);
      expect(json).not.toMatch(idNumber);
      const parties = JSON.parse(json) as { role: string; name: string; phone: string }[];
      expect(parties.length).toBeGreaterThanOrEqual(2);
      expect(parties.length).toBeLessThanOrEqual(3);
      for (const party of parties) {
        expect(party.name).toMatch(/^[\u4e00-\u9fff]某[\u4e00-\u9fff]*（演示）$/);
        expect(party.phone).toMatch(/^000-0000-\d{4}$/);
        expect(['申请人', '被申请人', '第三人']).toContain(party.role);
      }
    }
  });
});
