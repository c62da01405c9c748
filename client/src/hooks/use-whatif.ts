// What-if queries: plan.evaluate of the whole edit set (debounced; a superseded request is aborted
// through the query's signal once nothing observes it), the facilities a tool closes or moves, the
// walking network of the view a tool cuts, and the grids the changed coverage is drawn on.

import { useEffect, useState } from 'react';
import { keepPreviousData, skipToken, useQuery } from '@tanstack/react-query';
import type { FacilityKind } from '../../../server/domain/facility-kinds';
import { ANALYSIS_QUERY, trpc, type trpcClient } from '../trpc';

export type WhatIfEvaluateInput = Parameters<typeof trpcClient.plan.evaluate.query>[0];
export type WhatIfEvaluation = Awaited<ReturnType<typeof trpcClient.plan.evaluate.query>>;

/** `value`, once it has stayed the same for `delayMs`. */
export function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

/** plan.evaluate of `input` (null: nothing to evaluate); the last answer stays shown while the next one runs. */
export function useWhatIfEvaluation(input: WhatIfEvaluateInput | null, debounceMs = 150) {
  const settled = useDebounced(input, debounceMs);
  const query = useQuery({
    ...trpc.plan.evaluate.queryOptions(settled ?? skipToken, ANALYSIS_QUERY),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: false,
  });
  return {
    result: input === null ? undefined : query.data,
    /** True while an edit waits for its answer (debounce or request). */
    pending: input !== null && (query.isFetching || settled !== input),
    error: input === null ? null : query.error,
  };
}

/** Existing facilities of `kind` inside `region` (only while `enabled`). */
export function useWhatIfFacilities(region: string, kind: FacilityKind, enabled: boolean) {
  const query = useQuery({ ...trpc.geo.facilities.queryOptions(enabled ? { kinds: [kind], within: region } : skipToken), staleTime: Infinity });
  return { facilities: query.data, error: query.error };
}

/** Road segments and barriers inside `bbox` (null: none wanted, e.g. zoomed out too far). */
export function useWhatIfRoads(bbox: [number, number, number, number] | null) {
  const query = useQuery({ ...trpc.geo.roads.queryOptions(bbox ? { bbox } : skipToken), staleTime: Infinity, placeholderData: keepPreviousData });
  return { roads: bbox ? query.data : undefined, pending: query.isFetching, error: query.error };
}

/** Grid polygons inside `region` (only while `enabled`). */
export function useWhatIfGrids(region: string, enabled: boolean) {
  const query = useQuery({ ...trpc.geo.grids.queryOptions(enabled ? { within: region } : skipToken), staleTime: Infinity });
  return query.data;
}
