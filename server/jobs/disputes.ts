// Dispute statistics and workflow KPIs (events.stats, events.kpis, dashboard.summary) from the store:
// counts per group of the cases reported in a period, and each period's KPIs against the one before,
// judged at the same age.

import { ADMIN_CODE_LENGTH, GRID_CODE_LENGTH, type AdminLevel } from '../domain/admin-codes';
import { DISPUTE_SOURCES, DISPUTE_TYPES, categoryLabel } from '../domain/dispute-categories';
import { DISPUTE_STATUS_LABELS, HANDLING_LEVEL_LABELS, type DisputeStatus, type HandlingLevel } from '../domain/dispute-workflow';
import { HEALTH_STANDARD_TARGET, WORKSTATION_BASELINE } from '../domain/targets';
import { summarisePeriod, type DisputeKpis } from '../analysis/disputes/kpis';
import { RequestError, requireUnit } from '../request-error';
import type { DisputeGroupBy } from '../store/dispute-store';
import type { UnitSummary } from '../store/atlas-store';
import type { JobEnv } from './job-env';

export type StatsUnitLevel = 'city' | 'county' | 'street' | 'community' | 'grid';

export interface DisputeStatsInput {
  within: string;
  from: number;
  to: number;
  groupBy: DisputeGroupBy;
  /** For groupBy 'unit': the level to group by (default: the children of `within`). */
  unitLevel?: StatsUnitLevel;
}

export interface DisputeStatsAnswer {
  groupBy: DisputeGroupBy;
  rows: { key: string; count: number; label: string }[];
}

const CHILD_CODE_LENGTH: Record<AdminLevel, number> = { province: 4, city: 6, county: 9, street: 12, community: GRID_CODE_LENGTH };

function labelOf(env: JobEnv, groupBy: DisputeGroupBy, key: string, gridNames: ReadonlyMap<string, string>): string {
  switch (groupBy) {
    case 'type':
      return categoryLabel(DISPUTE_TYPES, key, 'zh');
    case 'source':
      return categoryLabel(DISPUTE_SOURCES, key, 'zh');
    case 'status':
      return DISPUTE_STATUS_LABELS[key as DisputeStatus]?.zh ?? key;
    case 'level':
      return HANDLING_LEVEL_LABELS[key as HandlingLevel]?.zh ?? key;
    case 'unit':
      return (key.length === GRID_CODE_LENGTH ? gridNames.get(key) : env.store.adminUnit(key)?.name) ?? key;
    default:
      return key;
  }
}

/** Counts per group of the cases reported in [from, to) inside `within`; labels in Chinese (keys are the contract). */
export function disputeStats(env: JobEnv, input: DisputeStatsInput): DisputeStatsAnswer {
  const unit = requireUnit(env.store, input.within, 'within');
  const unitLength = input.unitLevel
    ? input.unitLevel === 'grid'
      ? GRID_CODE_LENGTH
      : ADMIN_CODE_LENGTH[input.unitLevel]
    : CHILD_CODE_LENGTH[unit.level];
  if (input.groupBy === 'unit' && unitLength <= input.within.length) {
    throw new RequestError(
      'BAD_REQUEST',
      input.unitLevel ? `unitLevel: ${input.unitLevel} units are not inside ${input.within}` : `groupBy: ${input.within} has no child units to group by`,
    );
  }
  const rows = env.store.disputes.stats(
    { withinCode: input.within, fromMs: input.from, toMs: input.to, groupBy: input.groupBy, unitCodeLength: unitLength },
    Math.min(env.nowMs, input.to),
  );
  // Grids are no admin units: their names come from the grid records.
  const gridNames = new Map(
    input.groupBy === 'unit' && unitLength === GRID_CODE_LENGTH ? env.store.gridRecords({ withinCode: input.within }).map((grid) => [grid.code, grid.name]) : [],
  );
  return { groupBy: input.groupBy, rows: rows.map((row) => ({ ...row, label: labelOf(env, input.groupBy, row.key, gridNames) })) };
}

export interface DisputeKpisInput {
  within: string;
  from: number;
  to: number;
  /** Deadline in days per severity (the server's configuration). */
}

export interface DisputeKpisAnswer {
  within: string;
  period: { from: number; to: number; asOf: number };
  previousPeriod: { from: number; to: number; asOf: number };
  current: DisputeKpis;
  previous: DisputeKpis;
}

/**
 * When the cases of a period [from, to) are judged (closed, overdue): one period length after its end, or
 * now when that is sooner. A period compared with it (the one before, last year's) is judged at the same
 * age: its own end plus (asOf − to).
 */
export function periodAsOf(nowMs: number, from: number, to: number): number {
  return Math.min(nowMs, to + (to - from));
}

/** KPIs of the cases reported in [from, to) against the period of the same length before. */
export function disputeKpis(env: JobEnv, input: DisputeKpisInput): DisputeKpisAnswer {
  requireUnit(env.store, input.within, 'within');
  const length = input.to - input.from;
  // Each period's cases are judged at the same age: the current one as of now (or its end), the
  // previous one as of the same time before.
  const asOf = periodAsOf(env.nowMs, input.from, input.to);
  const current = env.store.disputes.periodFigures({ withinCode: input.within, fromMs: input.from, toMs: input.to }, asOf);
  const previous = env.store.disputes.periodFigures({ withinCode: input.within, fromMs: input.from - length, toMs: input.from }, asOf - length);
  return {
    within: input.within,
    period: { from: input.from, to: input.to, asOf },
    previousPeriod: { from: input.from - length, to: input.from, asOf: asOf - length },
    current: summarisePeriod(current),
    previous: summarisePeriod(previous),
  };
}

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

export interface UnitSummaryAnswer extends UnitSummary {
  code: string;
  name: string;
  level: AdminLevel;
  gridWorkers: number;
  workstationRate: number | null;
  workstationBaseline: number;
  healthStandardisedRate: number | null;
  healthCentreStandardisedRate: number | null;
  healthStandardTarget: number;
}

/** Grids, grid workers, workstation coverage against its baseline and health facilities' standardisation. */
export function unitSummary(env: JobEnv, input: { within: string }): UnitSummaryAnswer {
  const unit = requireUnit(env.store, input.within, 'within');
  const summary = env.store.unitSummary(input.within);
  const healthFacilities = summary.healthCentres + summary.healthStations;
  const standardised = summary.standardisedHealthCentres + summary.standardisedHealthStations;
  return {
    code: unit.code,
    name: unit.name,
    level: unit.level,
    ...summary,
    gridWorkers: summary.fullTimeGridWorkers + summary.partTimeGridWorkers,
    workstationRate: ratio(summary.communitiesWithWorkstation, summary.communities),
    workstationBaseline: WORKSTATION_BASELINE,
    healthStandardisedRate: ratio(standardised, healthFacilities),
    healthCentreStandardisedRate: ratio(summary.standardisedHealthCentres, summary.healthCentres),
    healthStandardTarget: HEALTH_STANDARD_TARGET,
  };
}
