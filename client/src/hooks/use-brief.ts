// Every query of the briefing: KPI cards, the children ranked on a KPI and the narrative (brief.*), then
// the place's hot spots, emerging hot spots and boundary lines (hotspots.*) shaped into short lists. The
// period goes out as China-time day strings, so one day always asks the same URLs.

import { useMemo } from 'react';
import { skipToken, useQuery } from '@tanstack/react-query';
import type { BoundaryLevel } from '../../../server/domain/admin-codes';
import type { BoundaryRiskProperties, BriefKpiId, EmergingCellProperties, HotspotCellProperties } from '../api-types';
import type { Lang } from '../i18n';
import { boundaryWindow, emergingWindow, patrolOverdue, type DayRange } from '../modes/brief/brief-period';
import { ANALYSIS_QUERY, trpc } from '../trpc';
import type { FocusLevel } from './use-focus-children';

/** The place and days a briefing is about. */
export interface BriefScope extends DayRange {
  within: string;
}

export function useBriefKpis(scope: BriefScope) {
  return useQuery(trpc.brief.kpis.queryOptions({ within: scope.within, from: scope.from, to: scope.to }, ANALYSIS_QUERY));
}

export function useBriefNarrative(scope: BriefScope, lang: Lang) {
  return useQuery(trpc.brief.narrative.queryOptions({ within: scope.within, from: scope.from, to: scope.to, lang }, ANALYSIS_QUERY));
}

/** The children of the place ranked on a KPI, worst first (null: not asked yet). */
export function useBriefRanking(scope: BriefScope, kpi: BriefKpiId | null) {
  return useQuery(trpc.brief.ranking.queryOptions(kpi === null ? skipToken : { within: scope.within, from: scope.from, to: scope.to, kpi }, ANALYSIS_QUERY));
}

/**
 * Where the hot spots of a place are looked for: communities of a province or city, grids of a county or
 * street, and a community's grids among those of its street (Gi* needs the neighbours around them).
 */
export function hotspotArea(region: string, level: FocusLevel): { within: string; resolution: 'community' | 'grid' } {
  if (level === 'province' || level === 'city') return { within: region, resolution: 'community' };
  return { within: level === 'community' ? region.slice(0, 9) : region, resolution: 'grid' };
}

/**
 * The boundary lines a briefing looks at: those between the place's children (a province's cities, a
 * city's counties, a county's streets, with the place's own edge), a street's and a community's street lines.
 */
export function boundaryArea(region: string, level: FocusLevel): { within: string; levels: BoundaryLevel[] } {
  switch (level) {
    case 'province':
      return { within: region, levels: ['city'] };
    case 'city':
      return { within: region, levels: ['city', 'county'] };
    case 'county':
      return { within: region, levels: ['county', 'street'] };
    default:
      return { within: region.slice(0, 9), levels: ['street'] };
  }
}

export type HotspotBaseline = 'residents' | 'none';

export interface HotspotRow extends Pick<HotspotCellProperties, 'id' | 'name' | 'count' | 'z' | 'class'> {
  expected: number | null;
}

/** Significant hot spots of the place and period, strongest first. */
export function useBriefHotspots(scope: BriefScope, level: FocusLevel, baseline: HotspotBaseline, enabled: boolean) {
  const area = hotspotArea(scope.within, level);
  const query = useQuery(
    trpc.hotspots.cells.queryOptions(
      enabled ? { within: area.within, from: scope.from, to: scope.to, resolution: area.resolution, baseline, fdr: true, significantOnly: true } : skipToken,
      ANALYSIS_QUERY,
    ),
  );
  const data = query.data;
  const region = scope.within;
  const rows = useMemo((): HotspotRow[] | undefined => {
    if (!data) return undefined;
    return data.features
      .map((f) => f.properties)
      .filter((p) => p.class > 0 && p.id.startsWith(region))
      .sort((a, b) => b.class - a.class || (b.z ?? 0) - (a.z ?? 0))
      .map(({ id, name, count, z, class: cls, expected }) => ({ id, name, count, z, class: cls, expected: expected ?? null }));
  }, [data, region]);
  return { rows, error: query.error, pending: enabled && !data && !query.error, refetch: () => void query.refetch() };
}

/** Hot patterns in the order a leader reads them: growing first, fading last. */
export const HOT_CATEGORY_ORDER = [
  'intensifyingHot',
  'newHot',
  'consecutiveHot',
  'persistentHot',
  'oscillatingHot',
  'sporadicHot',
  'diminishingHot',
  'historicalHot',
] as const satisfies readonly EmergingCellProperties['category'][];

export type EmergingRow = Pick<EmergingCellProperties, 'id' | 'name' | 'count' | 'category' | 'hotSlices' | 'lastZ'>;

/** Emerging hot spots (hot patterns only) over the weeks or months to the period's end. */
export function useBriefEmerging(scope: BriefScope, level: FocusLevel, baseline: HotspotBaseline, enabled: boolean) {
  const area = hotspotArea(scope.within, level);
  const window = emergingWindow(scope);
  const query = useQuery(
    trpc.hotspots.emerging.queryOptions(
      enabled ? { within: area.within, from: window.from, to: window.to, slice: window.slice, resolution: area.resolution, baseline } : skipToken,
      ANALYSIS_QUERY,
    ),
  );
  const data = query.data;
  const region = scope.within;
  const rows = useMemo((): EmergingRow[] | undefined => {
    if (!data) return undefined;
    const order = (category: string): number => {
      const index = (HOT_CATEGORY_ORDER as readonly string[]).indexOf(category);
      return index < 0 ? Infinity : index;
    };
    return data.features
      .map((f) => f.properties)
      .filter((p) => Number.isFinite(order(p.category)) && p.id.startsWith(region))
      .sort((a, b) => order(a.category) - order(b.category) || (b.lastZ ?? 0) - (a.lastZ ?? 0))
      .map(({ id, name, count, category, hotSlices, lastZ }) => ({ id, name, count, category, hotSlices, lastZ }));
  }, [data, region]);
  return { rows, window, error: query.error, pending: enabled && !data && !query.error, refetch: () => void query.refetch() };
}

export interface BoundaryRow
  extends Pick<BoundaryRiskProperties, 'id' | 'rank' | 'risk' | 'level' | 'leftName' | 'rightName' | 'count' | 'agreementSigned' | 'lastJointPatrol' | 'lengthMeters'> {
  /** No joint patrol in the 90 days to the period's end. */
  patrolOverdue: boolean;
}

/**
 * Boundary lines that need attention: at elevated or high dispute risk, without a signed safe-boundary
 * agreement, or without a joint patrol in the 90 days to the period's end; riskiest first.
 */
export function useBriefBoundaryLines(scope: BriefScope, level: FocusLevel, enabled: boolean) {
  const area = boundaryArea(scope.within, level);
  const window = boundaryWindow(scope);
  const query = useQuery(
    trpc.hotspots.boundaryRisk.queryOptions(enabled ? { within: area.within, from: window.from, to: window.to, levels: area.levels } : skipToken, ANALYSIS_QUERY),
  );
  const data = query.data;
  const asOf = scope.to;
  const rows = useMemo((): BoundaryRow[] | undefined => {
    if (!data) return undefined;
    return data.features
      .map(({ properties: p }) => ({
        id: p.id,
        rank: p.rank,
        risk: p.risk,
        level: p.level,
        leftName: p.leftName,
        rightName: p.rightName,
        count: p.count,
        agreementSigned: p.agreementSigned,
        lastJointPatrol: p.lastJointPatrol,
        lengthMeters: p.lengthMeters,
        patrolOverdue: patrolOverdue(p.lastJointPatrol, asOf),
      }))
      .filter((row) => row.risk !== 'normal' || row.agreementSigned === false || row.patrolOverdue)
      .sort((a, b) => a.rank - b.rank);
  }, [data, asOf]);
  return { rows, window, error: query.error, pending: enabled && !data && !query.error, refetch: () => void query.refetch() };
}
