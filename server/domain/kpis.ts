// The KPIs the briefing, the wall and exports report, each defined once (what it counts over what, its
// unit, target, amber band and better direction) with its red/amber/green status, and the periods a KPI
// card compares: the one before, the same dates a year earlier and the sparkline's slices (China time).

import { MS_PER_DAY, addChinaMonths, chinaDateOf, chinaDayNumber, chinaDayStartMs, chinaMonthStart, isCalendarDate, CHINA_UTC_OFFSET_MS } from './china-time';
import type { FacilityKind } from './facility-kinds';
import type { Label } from './labels';
import { DEFAULT_SPEED_KMH } from './travel-limits';
import { HEALTH_STANDARD_TARGET, WORKSTATION_BASELINE } from './targets';

export const KPI_IDS = [
  'workstationCoverage',
  'healthStandardised',
  'healthCircleUrban',
  'healthCircleRural',
  'disputeResolution',
  'inGridResolution',
  'overdueCases',
  'disputesReported',
] as const;
export type KpiId = (typeof KPI_IDS)[number];

/** 'share': a ratio in [0, 1] (numerator / denominator); 'cases': a count of dispute cases. */
export type KpiUnit = 'share' | 'cases';
/** Which way is better. */
export type KpiDirection = 'higher' | 'lower';
export type KpiStatus = 'green' | 'amber' | 'red';
/**
 * What a KPI is measured on: 'facilities' and 'residents' are stocks measured on the data as it stands
 * (no history: no previous period, no sparkline); 'disputes' are flows over a period.
 */
export type KpiBasis = 'facilities' | 'residents' | 'disputes';

export interface KpiDefinition {
  id: KpiId;
  label: Label;
  unit: KpiUnit;
  direction: KpiDirection;
  /** The value to reach (a share for 'share', cases for 'cases'); null where no figure is defensible. */
  target: number | null;
  /**
   * How far on the wrong side of the target still counts as amber, in the KPI's unit (0.05 of a share =
   * 5 percentage points); null: no amber, any miss is red (or no target).
   */
  amberBand: number | null;
  /** Where the target comes from, or why there is none. */
  targetSource: Label;
  /** Numerator / denominator in one line. */
  definition: Label;
  basis: KpiBasis;
  /** The finest unit the KPI is measured in: facilities belong to communities, residents and cases to grids. */
  finestLevel: 'community' | 'grid';
}

/** Status band below (or above) a target: 5 percentage points. */
const SHARE_AMBER_BAND = 0.05;

/**
 * The 15-minute health service circle (城市15分钟健康服务圈): residents within 15 walking minutes (at the
 * default 4 km/h: 1,000 m over the network, straight line × detour factor off it) of a community health
 * station or centre (社区卫生服务站/中心, in villages 卫生室/卫生院). coverage.rates takes it as it is.
 */
export const HEALTH_CIRCLE: { kind: readonly FacilityKind[]; maxMinutes: number; speedKmh: number } = {
  kind: ['health_station', 'health_center'],
  maxMinutes: 15,
  speedKmh: DEFAULT_SPEED_KMH,
};

const NO_TARGET_HEALTH_CIRCLE: Label = {
  zh: '无：设计文档与种子数据未给出覆盖率目标值（政策表述为“基本形成”服务圈），配置目标值前不显示红黄绿',
  en: 'none: neither DESIGN.md nor the seed states a coverage figure (policy speaks of the circle being "basically formed"); no status until one is configured',
};

export const KPI_DEFINITIONS: Readonly<Record<KpiId, KpiDefinition>> = {
  workstationCoverage: {
    id: 'workstationCoverage',
    label: { zh: '综治工作站覆盖率', en: 'Governance workstation coverage' },
    unit: 'share',
    direction: 'higher',
    target: WORKSTATION_BASELINE,
    amberBand: SHARE_AMBER_BAND,
    targetSource: { zh: '基线：82%的社区（村）建有综治工作站（DESIGN.md，种子数据）', en: 'baseline: 82 % of communities/villages have a governance workstation (DESIGN.md, the seed)' },
    definition: { zh: '建有综治工作站的社区（村）数 / 社区（村）总数', en: 'communities/villages with a governance workstation / communities/villages' },
    basis: 'facilities',
    finestLevel: 'community',
  },
  healthStandardised: {
    id: 'healthStandardised',
    label: { zh: '社区卫生机构标准化率', en: 'Health centres and stations standardised' },
    unit: 'share',
    direction: 'higher',
    target: HEALTH_STANDARD_TARGET,
    amberBand: SHARE_AMBER_BAND,
    targetSource: { zh: '目标：标准化建设达标率90%（DESIGN.md）', en: 'target: 90 % meeting the standard (标准化建设达标, DESIGN.md)' },
    definition: { zh: '标准化建设达标的社区卫生服务中心和站数 / 中心和站总数', en: 'standardised community health centres and stations / all centres and stations' },
    basis: 'facilities',
    finestLevel: 'community',
  },
  healthCircleUrban: {
    id: 'healthCircleUrban',
    label: { zh: '城镇居民15分钟健康服务圈覆盖率', en: '15-minute health circle, urban residents' },
    unit: 'share',
    direction: 'higher',
    target: null,
    amberBand: null,
    targetSource: NO_TARGET_HEALTH_CIRCLE,
    definition: {
      zh: '居委会网格内步行15分钟可达社区卫生服务站或中心的居民数 / 居委会网格居民数',
      en: "residents of residents' committee (urban) grids within 15 walking minutes of a health station or centre / residents of those grids",
    },
    basis: 'residents',
    finestLevel: 'grid',
  },
  healthCircleRural: {
    id: 'healthCircleRural',
    label: { zh: '农村居民15分钟健康服务圈覆盖率', en: '15-minute health circle, rural residents' },
    unit: 'share',
    direction: 'higher',
    target: null,
    amberBand: null,
    targetSource: NO_TARGET_HEALTH_CIRCLE,
    definition: {
      zh: '村委会网格内步行15分钟可达卫生室或卫生院的居民数 / 村委会网格居民数（无路网处按直线距离×绕行系数）',
      en: "residents of villagers' committee (rural) grids within 15 walking minutes of a health station or centre / residents of those grids (straight line × detour factor where there is no network)",
    },
    basis: 'residents',
    finestLevel: 'grid',
  },
  disputeResolution: {
    id: 'disputeResolution',
    label: { zh: '矛盾纠纷化解率', en: 'Dispute resolution rate' },
    unit: 'share',
    direction: 'higher',
    target: null,
    amberBand: null,
    targetSource: { zh: '无：设计文档未给出目标值', en: 'none: DESIGN.md states no figure' },
    definition: {
      zh: '期内登记的纠纷中截至评估时已办结的件数 / 期内登记件数',
      en: 'cases reported in the period and closed by its as-of time / cases reported in the period',
    },
    basis: 'disputes',
    finestLevel: 'grid',
  },
  inGridResolution: {
    id: 'inGridResolution',
    label: { zh: '网格内化解率', en: 'Resolved in the grid' },
    unit: 'share',
    direction: 'higher',
    target: null,
    amberBand: null,
    targetSource: { zh: '无：“小事不出格”未给出比例', en: 'none: "小事不出格" states no share' },
    definition: { zh: '期内登记、已办结且在网格层级化解的件数 / 期内登记且已办结的件数', en: 'cases reported in the period, closed and resolved at grid level / cases reported in the period and closed' },
    basis: 'disputes',
    finestLevel: 'grid',
  },
  overdueCases: {
    id: 'overdueCases',
    label: { zh: '超期案件', en: 'Overdue cases' },
    unit: 'cases',
    direction: 'lower',
    target: 0,
    amberBand: null,
    targetSource: {
      zh: '按期办结规则：每件纠纷在其严重程度的办理时限内办结（一般15天、重大7天、紧急3天），故目标为0件',
      en: 'the deadline rule: every case closed within its severity’s deadline (general 15, major 7, critical 3 days), so the target is none overdue',
    },
    definition: {
      zh: '期内登记的纠纷中超过办理时限办结或截至评估时超时未办结的件数',
      en: 'cases reported in the period closed after their deadline, or open past it at the as-of time',
    },
    basis: 'disputes',
    finestLevel: 'grid',
  },
  disputesReported: {
    id: 'disputesReported',
    label: { zh: '矛盾纠纷登记数', en: 'Disputes reported' },
    unit: 'cases',
    direction: 'lower',
    target: null,
    amberBand: null,
    targetSource: { zh: '无：登记数反映发生与上报，不设目标', en: 'none: a count of reports reflects both incidence and reporting' },
    definition: { zh: '期内登记的矛盾纠纷件数', en: 'cases reported in the period' },
    basis: 'disputes',
    finestLevel: 'grid',
  },
};

/**
 * Red/amber/green of a value against the KPI's target: green on the good side of it (or on it), amber
 * within the amber band on the wrong side, red beyond; null without a target or a value.
 */
export function kpiStatus(definition: KpiDefinition, value: number | null): KpiStatus | null {
  if (definition.target === null || value === null || Number.isNaN(value)) return null;
  const shortfall = definition.direction === 'higher' ? definition.target - value : value - definition.target;
  if (shortfall <= 0) return 'green';
  return definition.amberBand !== null && shortfall <= definition.amberBand ? 'amber' : 'red';
}

/** A period [from, to), ms since epoch. */
export interface KpiPeriod {
  from: number;
  to: number;
}

/**
 * The same China-time date and time of day `years` later (earlier when negative); 29 February becomes
 * 28 February in a year without it.
 */
export function shiftChinaYears(ms: number, years: number): number {
  const { year, month, day } = chinaDateOf(ms);
  const timeOfDayMs = ms - chinaDayStartMs({ year, month, day });
  const shifted = { year: year + years, month, day };
  if (!isCalendarDate(shifted)) shifted.day = 28;
  return chinaDayStartMs(shifted) + timeOfDayMs;
}

/** The period of the same length just before. */
export function previousPeriodOf({ from, to }: KpiPeriod): KpiPeriod {
  return { from: from - (to - from), to: from };
}

/** The same dates one year earlier (China calendar). */
export function lastYearPeriodOf({ from, to }: KpiPeriod): KpiPeriod {
  return { from: shiftChinaYears(from, -1), to: shiftChinaYears(to, -1) };
}

export type SeriesSlice = 'day' | 'week' | 'month';

/** A sparkline cuts a period into days up to 31 days long, weeks up to 120 days, months beyond. */
export function seriesSliceOf({ from, to }: KpiPeriod): SeriesSlice {
  const days = (to - from) / MS_PER_DAY;
  return days <= 31 ? 'day' : days <= 120 ? 'week' : 'month';
}

/** 00:00 China time of the Monday of the ISO week holding `ms` (day 0, 1970-01-01, was a Thursday). */
function chinaWeekStart(ms: number): number {
  const day = chinaDayNumber(ms);
  return (day - ((day + 3) % 7)) * MS_PER_DAY - CHINA_UTC_OFFSET_MS;
}

/** The first calendar boundary (day, ISO week or month start, China time) after `ms`. */
function nextBoundary(ms: number, slice: SeriesSlice): number {
  if (slice === 'day') return (chinaDayNumber(ms) + 1) * MS_PER_DAY - CHINA_UTC_OFFSET_MS;
  if (slice === 'week') return chinaWeekStart(ms) + 7 * MS_PER_DAY;
  return addChinaMonths(chinaMonthStart(ms), 1);
}

/**
 * The sparkline's slices of a period: cut at China-time day, ISO week (Monday) or month starts, the first
 * and last clipped to the period, so they cover it without gap or overlap.
 */
export function seriesSlices(period: KpiPeriod): { slice: SeriesSlice; slices: KpiPeriod[] } {
  const slice = seriesSliceOf(period);
  const slices: KpiPeriod[] = [];
  for (let from = period.from; from < period.to; ) {
    const to = Math.min(period.to, nextBoundary(from, slice));
    slices.push({ from, to });
    from = to;
  }
  return { slice, slices };
}
