// tRPC queries of the hotspot analyses (hotspots.cells, .emerging, .boundaryRisk) with the arrays the
// layers need memoised once per answer: class per cell and cell centroids weighted by count for the
// kernel density. Dispute analyses follow the live feed, so they are refetched on an interval. These are
// the wall's: a scene's analyses run to the end when the tour moves on (not ANALYSIS_QUERY), since the
// tour comes back to the scene and shows the kept answer at once.

import { useMemo } from 'react';
import { keepPreviousData, skipToken, useQuery } from '@tanstack/react-query';
import type { BoundaryRiskInput, EmergingHotspotsInput, HotspotCellsInput } from '../api-types';
import { hotspotCellArrays } from '../layers/hotspot-cell-arrays';
import { computeKernelDensityGrid, type KernelDensityGrid } from '../layers/kernel-density-grid';
import { trpc } from '../trpc';

/** How often the dispute analyses are refreshed while shown (the live feed adds cases every minute). */
export const HOTSPOT_REFRESH_MS = 5 * 60_000;

/** Gi* hot spot cells of a unit and period (null input: no query). */
export function useHotspotCells(input: HotspotCellsInput | null, options: { kernelBandwidthMeters?: number } = {}) {
  const query = useQuery({
    ...trpc.hotspots.cells.queryOptions(input ?? skipToken),
    placeholderData: keepPreviousData,
    refetchInterval: HOTSPOT_REFRESH_MS,
  });
  const data = query.data;
  const arrays = useMemo(() => (data ? hotspotCellArrays(data) : undefined), [data]);
  const bandwidth = options.kernelBandwidthMeters ?? 1500;
  const density = useMemo((): KernelDensityGrid | undefined => {
    if (!arrays) return undefined;
    return computeKernelDensityGrid(arrays.centroids, arrays.counts, { bandwidthMeters: bandwidth, cellMeters: bandwidth / 6, maxCells: 400_000 });
  }, [arrays, bandwidth]);
  return { data, arrays, density, error: query.error, isFetching: query.isFetching, refetch: () => void query.refetch() };
}

/** Emerging hot spot categories of a unit over a period of ≥ 10 slices. */
export function useEmergingHotspots(input: EmergingHotspotsInput | null) {
  const query = useQuery({
    ...trpc.hotspots.emerging.queryOptions(input ?? skipToken),
    placeholderData: keepPreviousData,
    refetchInterval: HOTSPOT_REFRESH_MS,
  });
  return { data: query.data, error: query.error, isFetching: query.isFetching };
}

/** Boundary lines of a unit ranked by dispute risk. */
export function useBoundaryRisk(input: BoundaryRiskInput | null) {
  const query = useQuery({
    ...trpc.hotspots.boundaryRisk.queryOptions(input ?? skipToken),
    placeholderData: keepPreviousData,
    refetchInterval: HOTSPOT_REFRESH_MS,
  });
  return { data: query.data, error: query.error, isFetching: query.isFetching };
}
