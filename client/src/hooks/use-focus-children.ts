// The children of a focused county, street or community: streets, communities or grids, fetched for
// the current zoom band. Provinces and cities show their counties from the province-wide layer instead.

import { useMemo } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import type { AdminLevel } from '../../../server/domain/admin-codes';
import type { Grids, MapUnitProperties } from '../api-types';
import { trpc } from '../trpc';
import { zoomForBand } from './use-admin-geometry';
import { clampRegion, useRegionScope } from './use-region';

/** The level of the unit in focus. */
export type FocusLevel = AdminLevel;

/** Grids as map units (the shape the fill layers, labels and tooltips read), geometry shared with the answer. */
export function gridsAsMapUnits(grids: Grids): FeatureCollection<MultiPolygon, MapUnitProperties> {
  return {
    type: 'FeatureCollection',
    features: grids.features.map((f) => ({
      type: 'Feature',
      properties: {
        code: f.properties.code,
        name: f.properties.name,
        level: 'grid',
        parentCode: f.properties.communityCode,
        population: f.properties.population,
        childCount: 0,
        labelLngLat: f.properties.labelLngLat,
        households: f.properties.households,
        fullTimeWorkers: f.properties.fullTimeWorkers,
        partTimeWorkers: f.properties.partTimeWorkers,
      },
      geometry: f.geometry,
    })),
  };
}

export function useFocusChildren(region: string, level: FocusLevel, mapZoom: number) {
  const zoom = zoomForBand(mapZoom);
  const zoomInput = zoom === undefined ? {} : { zoom };
  const streets = useQuery({
    ...trpc.geo.adminUnits.queryOptions({ level: 'street', parent: region, ...zoomInput }),
    enabled: level === 'county',
    placeholderData: keepPreviousData,
  });
  const communities = useQuery({
    ...trpc.geo.adminUnits.queryOptions({ level: 'community', parent: region, ...zoomInput }),
    enabled: level === 'street',
    placeholderData: keepPreviousData,
  });
  const grids = useQuery({ ...trpc.geo.grids.queryOptions({ within: region }), enabled: level === 'community' });
  // The street lines of the county around the focus, or of as much of it as the caller may see.
  const lineScope = clampRegion(region.slice(0, 6), useRegionScope());
  const streetLines = useQuery({
    ...trpc.geo.boundaryLines.queryOptions({ level: 'street', within: lineScope, ...zoomInput }),
    enabled: level === 'county' || level === 'street' || level === 'community',
    placeholderData: keepPreviousData,
  });

  const active = level === 'county' ? streets : level === 'street' ? communities : level === 'community' ? grids : null;
  const gridData = level === 'community' ? grids.data : undefined;
  const unitData = level === 'county' ? streets.data : level === 'street' ? communities.data : undefined;
  // Stable per answer: the layers keep their geometry until a new answer comes.
  const children = useMemo(
    (): FeatureCollection<MultiPolygon, MapUnitProperties> | undefined => (gridData ? gridsAsMapUnits(gridData) : unitData),
    [gridData, unitData],
  );
  return {
    children,
    streetLines: streetLines.data,
    pending: active !== null && !active.data,
    error: active?.error ?? null,
  };
}
