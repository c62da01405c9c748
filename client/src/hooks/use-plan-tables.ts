// The /plan workspace's queries besides the map's coverage layers: coverage rates of the units the table
// lists, the coverage curve over minutes for the kind, and life-circle completeness per community or grid.

import { keepPreviousData, skipToken, useQuery } from '@tanstack/react-query';
import type { CoverageSettings } from './use-coverage-settings';
import { limitInput } from './use-coverage';
import type { TableLevel } from '../modes/plan/plan-url';
import { ANALYSIS_QUERY, trpc } from '../trpc';

/** Coverage rates of the focus's units at `level` (the table's rows). */
export function useCoverageTable(region: string, level: TableLevel, settings: CoverageSettings, enabled: boolean) {
  return useQuery({
    ...trpc.coverage.rates.queryOptions(enabled ? { kind: settings.kind, ...limitInput(settings), within: region, groupBy: level } : skipToken, ANALYSIS_QUERY),
    placeholderData: keepPreviousData,
  });
}

/** The completeness of each community (or, inside a community, each grid) of the focus. */
export function useCompleteness(region: string, groupBy: 'community' | 'grid', settings: CoverageSettings, oneLimit: boolean, enabled: boolean) {
  // By default each kind at its own GB 50180-2018 distance (no limit sent); else the map's walking time for all.
  const limit = oneLimit ? limitInput(settings) : {};
  return useQuery({
    ...trpc.coverage.completeness.queryOptions(enabled ? { within: region, groupBy, ...limit } : skipToken, ANALYSIS_QUERY),
    placeholderData: keepPreviousData,
  });
}

export type CompletenessRows = NonNullable<ReturnType<typeof useCompleteness>['data']>;
export type CompletenessRow = CompletenessRows[number];

/** Coverage of the focus by walking minutes 5 … 30 for the kind (coverage.curve). */
export function useCoverageCurve(region: string, settings: CoverageSettings, enabled: boolean) {
  return useQuery({
    ...trpc.coverage.curve.queryOptions(enabled ? { kind: settings.kind, within: region, walker: settings.walker } : skipToken, ANALYSIS_QUERY),
    placeholderData: keepPreviousData,
  });
}
