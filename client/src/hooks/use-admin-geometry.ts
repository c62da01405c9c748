// Province-wide admin geometry for the map: counties, boundary lines (province edge, city and county
// lines) and city label points, fetched once per zoom band and kept stable while the focus moves
// (colours change, geometry does not).

import { useMemo } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { FULL_DETAIL_BAND, ZOOM_BAND_MAX_ZOOM, bandForZoom } from '../../../server/domain/zoom-bands';
import type { BoundaryLines } from '../api-types';
import { trpc } from '../trpc';
import { PROVINCE_CODE } from './use-region';

/** A zoom inside the band that `zoom` falls in: one query (and cache entry) per band. */
export function zoomForBand(zoom: number): number | undefined {
  const band = bandForZoom(zoom);
  return band === FULL_DETAIL_BAND ? undefined : ZOOM_BAND_MAX_ZOOM[band]! - 0.5;
}

export function useAdminGeometry(mapZoom: number) {
  const zoom = zoomForBand(mapZoom);
  const zoomInput = zoom === undefined ? {} : { zoom };
  const counties = useQuery({
    ...trpc.geo.adminUnits.queryOptions({ level: 'county', parent: PROVINCE_CODE, ...zoomInput }),
    placeholderData: keepPreviousData,
  });
  const lineQuery = (level: 'province' | 'city' | 'county') => ({
    ...trpc.geo.boundaryLines.queryOptions({ level, ...zoomInput }),
    placeholderData: keepPreviousData,
  });
  const provinceEdge = useQuery(lineQuery('province'));
  const cityLines = useQuery(lineQuery('city'));
  const countyLines = useQuery(lineQuery('county'));
  const cities = useQuery(trpc.geo.adminUnits.queryOptions({ level: 'city', parent: PROVINCE_CODE, zoom: 5 }));

  // One stable collection for the line layer, drawn county lines first so city lines lie on top.
  const lines = useMemo((): BoundaryLines | undefined => {
    if (!provinceEdge.data || !cityLines.data || !countyLines.data) return undefined;
    return {
      type: 'FeatureCollection',
      features: [...countyLines.data.features, ...cityLines.data.features, ...provinceEdge.data.features],
    };
  }, [provinceEdge.data, cityLines.data, countyLines.data]);

  return {
    counties: counties.data,
    lines,
    cities: cities.data,
    error: counties.error ?? provinceEdge.error ?? cityLines.error ?? countyLines.error ?? cities.error,
    refetch: () => {
      for (const query of [counties, provinceEdge, cityLines, countyLines, cities]) void query.refetch();
    },
  };
}
