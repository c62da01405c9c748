// Province-wide admin geometry for the map: counties, boundary lines and city label points, fetched once
// per zoom band and kept stable while the focus moves (colours change, geometry does not).

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { FeatureCollection, LineString, MultiLineString, MultiPolygon } from 'geojson';
import { FULL_DETAIL_BAND, ZOOM_BAND_MAX_ZOOM, bandForZoom } from '../../../server/analysis/geo/zoom-bands';
import type { AdminUnitProperties } from '../layers/admin-fill-layer';
import type { BoundaryLineProperties } from '../layers/boundary-line-layer';
import { trpc } from '../trpc';
import { PROVINCE_CODE } from './use-region';

/** A zoom inside the band that `zoom` falls in: one query (and cache entry) per band. */
function zoomForBand(zoom: number): number | undefined {
  const band = bandForZoom(zoom);
  return band === FULL_DETAIL_BAND ? undefined : ZOOM_BAND_MAX_ZOOM[band]! - 0.5;
}

export function useAdminGeometry(mapZoom: number) {
  const zoom = zoomForBand(mapZoom);
  const counties = useQuery({
    ...trpc.geo.adminUnits.queryOptions({ level: 'county', parent: PROVINCE_CODE, ...(zoom === undefined ? {} : { zoom }) }),
    placeholderData: keepPreviousData,
  });
  const lines = useQuery({
    ...trpc.geo.boundaryLines.queryOptions({ within: PROVINCE_CODE, ...(zoom === undefined ? {} : { zoom }) }),
    placeholderData: keepPreviousData,
  });
  const cities = useQuery(trpc.geo.adminUnits.queryOptions({ level: 'city', parent: PROVINCE_CODE, zoom: 5 }));
  return {
    counties: counties.data as FeatureCollection<MultiPolygon, AdminUnitProperties> | undefined,
    lines: lines.data as FeatureCollection<LineString | MultiLineString, BoundaryLineProperties> | undefined,
    cities: cities.data as FeatureCollection<MultiPolygon, AdminUnitProperties> | undefined,
    error: counties.error ?? lines.error ?? cities.error,
    refetch: () => {
      void counties.refetch();
      void lines.refetch();
      void cities.refetch();
    },
  };
}
