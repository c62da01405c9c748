// The briefing's KPI cards and rankings (brief.kpis, brief.ranking), each KPI as domain/kpis.ts defines
// it: facility shares from the store's unit summary (dashboard.summary's), the 15-minute health circle
// from coverage.rates's states split by urban and rural grids, dispute KPIs from the store's period
// figures (events.kpis's), against the period before and the same dates a year earlier, with sparklines.

import { childLevelOf, codeLengthOf, type AdminLevel, type UnitLevel } from '../domain/admin-codes';
import {
  HEALTH_CIRCLE,
  KPI_DEFINITIONS,
  KPI_IDS,
  kpiStatus,
  lastYearPeriodOf,
  previousPeriodOf,
  seriesSlices,
  type KpiDefinition,
  type KpiDirection,
  type KpiId,
  type KpiStatus,
  type KpiUnit,
  type SeriesSlice,
} from '../domain/kpis';
import type { Label } from '../domain/labels';
import { summarisePeriod, type DisputeKpis, type DisputePeriodFigures } from '../analysis/disputes/kpis';
import { RequestError, requireUnit } from '../request-error';
import type { AdminUnitRecord } from '../store/atlas-store';
import { computeCoverageRates, type CoverageGroupLevel, type ResidentGroup } from './coverage';
import { periodAsOf } from './disputes';
import type { JobEnv } from './job-env';

export interface BriefInput {
  within: string;
  /** ms since epoch; the period is [from, to). */
  from: number;
  to: number;
  /** Deadline in days per severity (the server's configuration), for overdue cases. */
}

export interface BriefRankingInput extends BriefInput {
  kpi: KpiId;
}

/** A period of a card: [from, to) judged as of `asOf` (ms since epoch). */
export interface BriefPeriod {
  from: number;
  to: number;
  /** When its cases are judged (closed, overdue): see periodAsOf; compared periods at the same age. */
  asOf: number;
  /** Whether the dispute record reaches back to the period (a case was reported before it began); if not, its figures are null. */
  recorded: boolean;
}

/** One slice of a sparkline: its cases judged as of the card's as-of time, so the slices add up to the card. */
export interface BriefSeriesPoint {
  from: number;
  to: number;
  value: number | null;
  numerator: number;
  denominator: number | null;
  /** The slice ends after now: its figures are still growing. */
  partial: boolean;
}

export interface BriefCard {
  id: KpiId;
  label: Label;
  /** Numerator / denominator in one line. */
  definition: Label;
  unit: KpiUnit;
  direction: KpiDirection;
  target: number | null;
  /** Amber within this distance on the wrong side of the target (the KPI's unit); null: none. */
  amberBand: number | null;
  /** Red/amber/green of `value` against the target; null without a target or a value. */
  status: KpiStatus | null;
  /** A share in [0, 1] or a count of cases; null when the denominator is 0. */
  value: number | null;
  /** The count the value is (cases) or the share's numerator. */
  numerator: number;
  /** The share's denominator; null for counts. */
  denominator: number | null;
  /** The same KPI over the period just before; null for stocks (facilities, residents) and unrecorded periods. */
  previous: number | null;
  /** Over the same dates a year earlier; null as for `previous`. */
  lastYear: number | null;
  /** Sparkline of the period (empty for stocks). */
  series: BriefSeriesPoint[];
}

export interface BriefKpisAnswer {
  within: string;
  name: string;
  level: AdminLevel;
  period: BriefPeriod;
  previousPeriod: BriefPeriod;
  lastYearPeriod: BriefPeriod;
  /** How the sparklines cut the period: China-time days (≤ 31 days), ISO weeks (≤ 120) or months. */
  slice: SeriesSlice;
  cards: BriefCard[];
}

export interface BriefRankingRow {
  code: string;
  name: string;
  value: number | null;
  numerator: number;
  denominator: number | null;
  status: KpiStatus | null;
}

export interface BriefRankingAnswer {
  within: string;
  kpi: KpiId;
  /** Level of the rows: the children of `within` (a community's grids). */
  level: UnitLevel;
  period: BriefPeriod;
  /** Worst first by the KPI's direction (no value last), then by code. */
  rows: BriefRankingRow[];
}

/** A KPI's figure for one unit and period: value, and what it is made of. */
interface Measure {
  value: number | null;
  numerator: number;
  denominator: number | null;
}

const share = (numerator: number, denominator: number): Measure => ({ value: denominator > 0 ? numerator / denominator : null, numerator, denominator });

type DisputeKpiId = 'disputeResolution' | 'inGridResolution' | 'overdueCases' | 'disputesReported';

/** Each dispute KPI from a period's figures: the value as summarisePeriod (events.kpis) gives it, with its parts. */
function disputeMeasure(id: DisputeKpiId, figures: DisputePeriodFigures, kpis: DisputeKpis): Measure {
  switch (id) {
    case 'disputeResolution':
      return { value: kpis.resolutionRate, numerator: figures.closed, denominator: figures.reported };
    case 'inGridResolution':
      return { value: kpis.inGridRate, numerator: figures.resolvedInGrid, denominator: figures.closed };
    case 'overdueCases':
      return { value: kpis.overdue, numerator: figures.overdue, denominator: null };
    case 'disputesReported':
      return { value: kpis.reported, numerator: figures.reported, denominator: null };
  }
}

const isDisputeKpi = (definition: KpiDefinition): definition is KpiDefinition & { id: DisputeKpiId } => definition.basis === 'disputes';

/** The periods of a card: the asked one, the one before and last year's, judged at the same age. */
export function briefPeriods(env: JobEnv, from: number, to: number): { period: BriefPeriod; previousPeriod: BriefPeriod; lastYearPeriod: BriefPeriod } {
  const asOf = periodAsOf(env.nowMs, from, to);
  const age = asOf - to;
  // The record reaches back to a period when some case (anywhere) was reported before it began.
  const recorded = (start: number) => env.store.disputes.list({ toMs: start, limit: 1 }).length > 0;
  const previous = previousPeriodOf({ from, to });
  const lastYear = lastYearPeriodOf({ from, to });
  return {
    period: { from, to, asOf, recorded: true },
    previousPeriod: { ...previous, asOf: previous.to + age, recorded: recorded(previous.from) },
    lastYearPeriod: { ...lastYear, asOf: lastYear.to + age, recorded: recorded(lastYear.from) },
  };
}

function figuresOf(env: JobEnv, code: string, period: { from: number; to: number }, asOf: number): DisputePeriodFigures {
  return env.store.disputes.periodFigures({ withinCode: code, fromMs: period.from, toMs: period.to }, asOf);
}

/** The coverage rows of the health circle for the residents of one group, per unit of `groupBy` inside `within`. */
function healthCircleRows(env: JobEnv, within: string, groupBy: CoverageGroupLevel, residents: ResidentGroup) {
  return computeCoverageRates(env, { kind: HEALTH_CIRCLE.kind, maxMinutes: HEALTH_CIRCLE.maxMinutes, speedKmh: HEALTH_CIRCLE.speedKmh, within, groupBy, residents });
}

const residentsOf = (id: KpiId): ResidentGroup => (id === 'healthCircleUrban' ? 'urban' : 'rural');

/** A facility KPI of a unit from the store's unit summary (as dashboard.summary). */
function facilityMeasure(env: JobEnv, id: KpiId, code: string): Measure {
  const summary = env.store.unitSummary(code);
  if (id === 'workstationCoverage') return share(summary.communitiesWithWorkstation, summary.communities);
  return share(summary.standardisedHealthCentres + summary.standardisedHealthStations, summary.healthCentres + summary.healthStations);
}

/** The level a unit's figures are summed from: its children (a community's grids). */
function childLevel(unit: AdminUnitRecord): Exclude<UnitLevel, 'province'> {
  return childLevelOf(unit.level) as Exclude<UnitLevel, 'province'>;
}

function cardOf(definition: KpiDefinition, measure: Measure, previous: number | null, lastYear: number | null, series: BriefSeriesPoint[]): BriefCard {
  return {
    id: definition.id,
    label: definition.label,
    definition: definition.definition,
    unit: definition.unit,
    direction: definition.direction,
    target: definition.target,
    amberBand: definition.amberBand,
    status: kpiStatus(definition, measure.value),
    value: measure.value,
    numerator: measure.numerator,
    denominator: measure.denominator,
    previous,
    lastYear,
    series,
  };
}

/** Every KPI card of a unit for a period, in KPI_IDS order. */
export function briefKpis(env: JobEnv, input: BriefInput): BriefKpisAnswer {
  const unit = requireUnit(env.store, input.within, 'within');
  const { period, previousPeriod, lastYearPeriod } = briefPeriods(env, input.from, input.to);
  const { slice, slices } = seriesSlices(period);
  const summarised = (figures: DisputePeriodFigures) => ({ figures, kpis: summarisePeriod(figures) });
  const current = summarised(figuresOf(env, unit.code, period, period.asOf));
  const previous = previousPeriod.recorded ? summarised(figuresOf(env, unit.code, previousPeriod, previousPeriod.asOf)) : null;
  const lastYear = lastYearPeriod.recorded ? summarised(figuresOf(env, unit.code, lastYearPeriod, lastYearPeriod.asOf)) : null;
  const bySlice = slices.map((range) => ({ range, ...summarised(figuresOf(env, unit.code, range, period.asOf)) }));
  const cards = KPI_IDS.map((id): BriefCard => {
    const definition = KPI_DEFINITIONS[id];
    if (isDisputeKpi(definition)) {
      const series = bySlice.map(({ range, figures, kpis }): BriefSeriesPoint => ({ ...range, ...disputeMeasure(definition.id, figures, kpis), partial: range.to > env.nowMs }));
      const valueOf = (of: typeof previous) => (of ? disputeMeasure(definition.id, of.figures, of.kpis).value : null);
      return cardOf(definition, disputeMeasure(definition.id, current.figures, current.kpis), valueOf(previous), valueOf(lastYear), series);
    }
    if (definition.basis === 'facilities') return cardOf(definition, facilityMeasure(env, id, unit.code), null, null, []);
    // Residents: summed over the unit's children (coverage rows start at cities), the same rows a ranking shows.
    const rows = healthCircleRows(env, unit.code, childLevel(unit), residentsOf(id));
    let covered = 0;
    let residents = 0;
    for (const row of rows) {
      covered += row.coveredPopulation;
      residents += row.population;
    }
    return cardOf(definition, share(covered, residents), null, null, []);
  });
  return { within: unit.code, name: unit.name, level: unit.level, period, previousPeriod, lastYearPeriod, slice, cards };
}

/** The cards alone, in KPI_IDS order (brief.kpis). */
export function briefKpiCards(env: JobEnv, input: BriefInput): BriefCard[] {
  return briefKpis(env, input).cards;
}

/** Ranks (worst first by direction; no value last; then code). */
function compareRows(direction: KpiDirection) {
  return (a: BriefRankingRow, b: BriefRankingRow): number => {
    if (a.value === null || b.value === null) return a.value === b.value ? a.code.localeCompare(b.code) : a.value === null ? 1 : -1;
    const worse = direction === 'higher' ? a.value - b.value : b.value - a.value;
    return worse !== 0 ? worse : a.code.localeCompare(b.code);
  };
}

/** The children of a unit (a community's grids) as code and name. */
export function childrenOf(env: JobEnv, unit: AdminUnitRecord): { level: Exclude<UnitLevel, 'province'>; units: { code: string; name: string }[] } {
  const level = childLevel(unit);
  const units =
    level === 'grid'
      ? env.store.gridRecords({ withinCode: unit.code }).map((grid) => ({ code: grid.code, name: grid.name }))
      : env.store.adminChildren(unit.code).map((child) => ({ code: child.code, name: child.name }));
  return { level, units };
}

/** One KPI for each child of `within` (a community's grids), worst first. */
export function briefRanking(env: JobEnv, input: BriefRankingInput): BriefRankingAnswer {
  const unit = requireUnit(env.store, input.within, 'within');
  const definition = KPI_DEFINITIONS[input.kpi];
  const { level, units } = childrenOf(env, unit);
  if (level === 'grid' && definition.finestLevel !== 'grid') {
    throw new RequestError('BAD_REQUEST', `kpi: ${input.kpi} is measured per community (facilities belong to communities, not grids); rank it within a street or above`);
  }
  const { period } = briefPeriods(env, input.from, input.to);
  let measures: Measure[];
  if (isDisputeKpi(definition)) {
    measures = units.map(({ code }) => {
      const figures = figuresOf(env, code, period, period.asOf);
      return disputeMeasure(definition.id, figures, summarisePeriod(figures));
    });
  } else if (definition.basis === 'facilities') {
    measures = units.map(({ code }) => facilityMeasure(env, input.kpi, code));
  } else {
    const rows = new Map(healthCircleRows(env, unit.code, level, residentsOf(input.kpi)).map((row) => [row.code, row]));
    measures = units.map(({ code }) => {
      const row = rows.get(code);
      return share(row?.coveredPopulation ?? 0, row?.population ?? 0);
    });
  }
  const rows = units.map(({ code, name }, i): BriefRankingRow => ({ code, name, ...measures[i]!, status: kpiStatus(definition, measures[i]!.value) }));
  rows.sort(compareRows(definition.direction));
  return { within: unit.code, kpi: input.kpi, level, period, rows };
}

/** Cases reported per child of a unit (a community's grids) in a period, by child code (absent: none). */
export function reportedByChild(env: JobEnv, unit: AdminUnitRecord, period: { from: number; to: number }): Map<string, number> {
  const rows = env.store.disputes.stats(
    { withinCode: unit.code, fromMs: period.from, toMs: period.to, groupBy: 'unit', unitCodeLength: codeLengthOf(childLevel(unit)) },
    Math.min(env.nowMs, period.to),
  );
  return new Map(rows.map((row) => [row.key, row.count]));
}
