// Everything the situation wall shows besides the map layers, for one region: infrastructure figures,
// the 15-minute health circle of urban and of rural residents (the shared KPI definitions), this month's
// dispute KPIs against the previous period, the trend of the last 30 China-time days (today partial),
// types, workflow funnel, the ranking of its units (a community's grids) and the latest cases. Refreshed
// every minute and, when the live stream brings news, at most every 10 s.

import { useEffect, useMemo, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { MS_PER_DAY, chinaMonthStart, formatChinaDate, startOfChinaDay } from '../../../../server/domain/china-time';
import { HEALTH_CIRCLE } from '../../../../server/domain/kpis';
import { sumCoverageRows } from '../../hooks/use-coverage';
import type { FocusLevel } from '../../hooks/use-focus-children';
import { childUnitLevelOf, levelOfCode, mapUnitLevelOf } from '../../map/admin-style';
import { trpc } from '../../trpc';

const MINUTE_MS = 60_000;

/** The shortest time between two refreshes the live stream may cause. */
const LIVE_REFRESH_MS = 10_000;

/**
 * The "now" of the wall's queries: it moves every minute, and when the live stream brings news (a change of
 * `liveKey`), at most every 10 s, so the figures follow the stream without a query storm.
 */
export function useDataClock(liveKey: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), MINUTE_MS);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    if (liveKey === 0) return;
    const wait = Math.max(0, now + LIVE_REFRESH_MS - Date.now());
    const timer = setTimeout(() => setNow(Date.now()), wait);
    return () => clearTimeout(timer);
    // Only news moves the clock early; `now` is read, not watched.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [liveKey]);
  return now;
}

/**
 * "This month": from the first of the month in China time; in the first three days of a month, which are
 * too short a period to compare, the last 30 days.
 */
export function currentPeriod(now: number): { from: number; to: number; rolling: boolean } {
  const monthStart = chinaMonthStart(now);
  const rolling = now - monthStart < 3 * MS_PER_DAY;
  return { from: rolling ? now - 30 * MS_PER_DAY : monthStart, to: now, rolling };
}

/** China-time days the wall's trend covers: the 29 whole days before today, and today so far. */
export const TREND_DAYS = 30;

/**
 * The trend's window: the last 30 China-time days up to `now`, from 00:00 of the first, so every day but
 * the last is whole and the last, today, is partial (its key "YYYY-MM-DD" is `partialDayKey`); at 00:00
 * sharp, 30 whole days and none partial.
 */
export function trendWindow(now: number): { from: number; to: number; partialDayKey: string | null } {
  const lastDay = startOfChinaDay(now - 1);
  const partial = now > startOfChinaDay(now);
  return { from: lastDay - (TREND_DAYS - 1) * MS_PER_DAY, to: now, partialDayKey: partial ? formatChinaDate(now) : null };
}

/** Share of the residents covered over coverage rows (null: no rows yet, or no residents). */
export function totalCoverage(rows: Parameters<typeof sumCoverageRows>[0] | undefined): number | null {
  if (!rows) return null;
  const { population, coveredPopulation } = sumCoverageRows(rows);
  return population > 0 ? coveredPopulation / population : null;
}

/** A health-circle figure: the share covered and the residents it counts (undefined: not answered yet). */
export interface CircleFigure {
  rate: number | null;
  population: number | undefined;
  failed: boolean;
}

function circleFigure(query: { data?: Parameters<typeof sumCoverageRows>[0]; error: unknown }): CircleFigure {
  return { rate: totalCoverage(query.data), population: query.data ? sumCoverageRows(query.data).population : undefined, failed: Boolean(query.error) };
}

/**
 * @param latestKey changes when new cases may have arrived (the live stream's count), so the list of
 * the latest cases is fetched again (at most every few seconds).
 */
export function useScreenData(region: string, latestKey: number) {
  const now = useDataClock(latestKey);
  const { from, rolling } = currentPeriod(now);
  const live = { placeholderData: keepPreviousData, refetchInterval: MINUTE_MS, staleTime: 30_000 } as const;
  const tree = useQuery(trpc.geo.adminTree.queryOptions({ code: region }));
  const level: FocusLevel = tree.data?.level ?? levelOfCode(region);
  const summary = useQuery(trpc.dashboard.summary.queryOptions({ within: region }));
  // The health circle of urban and of rural residents, per map unit (the map colours the urban one).
  // The coverage of the walking network changes with the data, not by the minute.
  const circle = { ...HEALTH_CIRCLE, kind: [...HEALTH_CIRCLE.kind], within: region, groupBy: mapUnitLevelOf(level) };
  const urbanCoverage = useQuery({
    ...trpc.coverage.rates.queryOptions({ ...circle, residents: 'urban' }),
    placeholderData: keepPreviousData,
    retry: 1,
  });
  const ruralCoverage = useQuery({
    ...trpc.coverage.rates.queryOptions({ ...circle, residents: 'rural' }),
    placeholderData: keepPreviousData,
    retry: 1,
  });
  const kpis = useQuery({ ...trpc.events.kpis.queryOptions({ within: region, from, to: now }), ...live });
  const trendPeriod = trendWindow(now);
  const trend = useQuery({
    ...trpc.events.stats.queryOptions({ within: region, from: trendPeriod.from, to: trendPeriod.to, groupBy: 'day' }),
    ...live,
  });
  const types = useQuery({ ...trpc.events.stats.queryOptions({ within: region, from, to: now, groupBy: 'type' }), ...live });
  const statuses = useQuery({ ...trpc.events.stats.queryOptions({ within: region, from, to: now, groupBy: 'status' }), ...live });
  // A community's units are its grids (ranked and coloured alike: one query for both).
  const ranking = useQuery({
    ...trpc.events.stats.queryOptions({ within: region, from, to: now, groupBy: 'unit', unitLevel: childUnitLevelOf(level) }),
    ...live,
  });
  const mapUnits = useQuery({
    ...trpc.events.stats.queryOptions({ within: region, from, to: now, groupBy: 'unit', unitLevel: mapUnitLevelOf(level) }),
    ...live,
  });
  // The children ranked: the tree's units, or a community's grids (the map's query, shared).
  const grids = useQuery({ ...trpc.geo.grids.queryOptions({ within: region }), enabled: level === 'community' });
  const children = useMemo(
    () =>
      level === 'community'
        ? grids.data?.features.map(({ properties: { code, name, population } }) => ({ code, name, population }))
        : tree.data?.children,
    [level, grids.data, tree.data],
  );

  // The latest cases: again when the live stream brings news, but not more than every 3 s.
  const [latestTick, setLatestTick] = useState(latestKey);
  useEffect(() => {
    const timer = setTimeout(() => setLatestTick(latestKey), 3_000);
    return () => clearTimeout(timer);
  }, [latestKey]);
  const latest = useQuery({
    ...trpc.dashboard.latest.queryOptions({ within: region, limit: 12 }),
    placeholderData: keepPreviousData,
    refetchInterval: MINUTE_MS,
    staleTime: 0,
  });
  const { refetch: refetchLatest } = latest;
  useEffect(() => {
    if (latestTick > 0) void refetchLatest();
  }, [latestTick, refetchLatest]);

  // Disputes per 10,000 residents of each ranked child unit.
  const rankedUnits = useMemo(() => {
    if (!ranking.data || !children) return undefined;
    const counts = new Map(ranking.data.rows.map((row) => [row.key, row.count]));
    return children
      .filter((child) => (child.population ?? 0) > 0)
      .map((child) => ({ code: child.code, name: child.name, count: counts.get(child.code) ?? 0, rate: ((counts.get(child.code) ?? 0) / child.population!) * 10_000 }));
  }, [ranking.data, children]);

  const mapCounts = useMemo(() => (mapUnits.data ? new Map(mapUnits.data.rows.map((row) => [row.key, row.count])) : undefined), [mapUnits.data]);
  const coverageByUnit = useMemo(
    () => (urbanCoverage.data ? new Map(urbanCoverage.data.map((row) => [row.code, row.rate])) : undefined),
    [urbanCoverage.data],
  );
  const healthCircle = { urban: circleFigure(urbanCoverage), rural: circleFigure(ruralCoverage) };

  return {
    now,
    from,
    rolling,
    level,
    tree,
    summary,
    healthCircle,
    coverageByUnit,
    kpis,
    trend,
    trendPartialDayKey: trendPeriod.partialDayKey,
    types,
    statuses,
    rankedUnits,
    mapCounts,
    latest,
  };
}

export type ScreenData = ReturnType<typeof useScreenData>;
