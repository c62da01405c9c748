// tRPC queries of the coverage analyses for the region in focus: rates of its children (the units the
// map colours), service areas (dissolved) and grids with uncovered residents, with a lookup of rates by
// code memoised once per answer. Large regions get the lighter answers: no service areas for the whole
// province, gap points instead of grid polygons for a city.

import { useMemo } from 'react';
import { keepPreviousData, skipToken, useQuery } from '@tanstack/react-query';
import type { CoverageRateRow } from '../api-types';
import { mapUnitLevelOf } from '../map/admin-style';
import type { FocusLevel } from './use-focus-children';
import { clampRegion, useRegionScope } from './use-region';
import type { CoverageSettings } from './use-coverage-settings';
import { ANALYSIS_QUERY, trpc } from '../trpc';

/** The limit part of a coverage input for the settings. */
export function limitInput(settings: CoverageSettings) {
  return settings.standard === 'gb50180'
    ? { maxMinutes: settings.maxMinutes, mode: 'gb50180' as const }
    : { maxMinutes: settings.maxMinutes, ...(settings.walker === 'elderly' ? { speedKmh: 3 } : {}) };
}

/** Zoom the service areas are simplified for, by the level in focus (none: full detail). */
const DISPLAY_ZOOM: Partial<Record<FocusLevel, number>> = { city: 9, county: 11 };

export interface CoverageTotals {
  population: number;
  coveredPopulation: number;
  networkPopulation: number;
}

/** Residents, covered residents and residents judged over the network, summed over rate rows. */
export function sumCoverageRows(rows: readonly Pick<CoverageRateRow, 'population' | 'coveredPopulation' | 'networkPopulation'>[]): CoverageTotals {
  const totals: CoverageTotals = { population: 0, coveredPopulation: 0, networkPopulation: 0 };
  for (const row of rows) {
    totals.population += row.population;
    totals.coveredPopulation += row.coveredPopulation;
    totals.networkPopulation += row.networkPopulation;
  }
  return totals;
}

/** Which of the map layers' answers are wanted besides the rates (the question on the map decides). */
export interface CoverageLayersWanted {
  serviceAreas: boolean;
  gaps: boolean;
}

export function useCoverage(region: string, level: FocusLevel, settings: CoverageSettings, wanted: CoverageLayersWanted = { serviceAreas: true, gaps: true }) {
  const enabled = settings.enabled;
  const limit = limitInput(settings);
  const base = { kind: settings.kind, ...limit };
  const rates = useQuery({
    ...trpc.coverage.rates.queryOptions(enabled ? { ...base, within: region, groupBy: mapUnitLevelOf(level) } : skipToken, ANALYSIS_QUERY),
    placeholderData: keepPreviousData,
  });
  // Service areas reach across a unit's edge: a street shows its whole county's (when the caller may see
  // the county; a street officer's stop at the street). A city or county is seen whole at about zoom 9
  // or 11: polygons simplified for that (holes under 2 × 2 px left out).
  const scope = useRegionScope();
  const areaWithin = clampRegion(level === 'street' || level === 'community' ? region.slice(0, 6) : region, scope);
  const displayZoom = DISPLAY_ZOOM[level];
  const areas = useQuery({
    ...trpc.coverage.serviceAreas.queryOptions(
      enabled && wanted.serviceAreas && level !== 'province' ? { ...base, within: areaWithin, ...(displayZoom === undefined ? {} : { zoom: displayZoom }) } : skipToken,
      ANALYSIS_QUERY,
    ),
    placeholderData: keepPreviousData,
  });
  const gaps = useQuery({
    ...trpc.coverage.gaps.queryOptions(enabled && wanted.gaps && level !== 'province' ? { ...base, within: region, as: level === 'city' ? 'points' : 'polygons' } : skipToken, ANALYSIS_QUERY),
    placeholderData: keepPreviousData,
  });
  const rows = rates.data;
  const rateByCode = useMemo(() => new Map((rows ?? []).map((row) => [row.code, row.rate])), [rows]);
  const totals = useMemo(() => (rows ? sumCoverageRows(rows) : undefined), [rows]);
  const error = rates.error ?? areas.error ?? gaps.error;
  // Ready once everything shown has its data (or failed: the error is shown instead).
  const ready = !enabled || error !== null || (rows !== undefined && (level === 'province' || ((!wanted.serviceAreas || areas.data !== undefined) && (!wanted.gaps || gaps.data !== undefined))));
  return {
    rows,
    rateByCode,
    totals,
    serviceAreas: areas.data,
    gaps: gaps.data,
    ready,
    /** Changes with every new rates answer (for recolouring through update triggers). */
    ratesVersion: rates.dataUpdatedAt,
    fetching: rates.isFetching || areas.isFetching || gaps.isFetching,
    error,
    retry: () => {
      void rates.refetch();
      void areas.refetch();
      void gaps.refetch();
    },
  };
}
