// The polygons of the units a /plan table lists (cities, counties, streets, communities or grids inside
// the focus), as map units: geometry fetched once per focus and level, simplified for the zoom at which the
// focus is seen whole, and kept stable (highlights change through update triggers, not new data).

import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import type { MapUnitProperties } from '../api-types';
import type { TableLevel } from '../modes/plan/plan-url';
import { zoomForBand } from './use-admin-geometry';
import { gridsAsMapUnits, type FocusLevel } from './use-focus-children';
import { trpc } from '../trpc';

/** About the zoom a focus of each level is seen whole at. */
const FOCUS_ZOOM: Record<FocusLevel, number> = { province: 6.5, city: 9, county: 11, street: 13, community: 15 };

export function usePlanUnits(region: string, focus: FocusLevel, level: TableLevel, enabled: boolean) {
  const zoom = zoomForBand(FOCUS_ZOOM[focus]);
  const units = useQuery({
    ...trpc.geo.adminUnits.queryOptions({ level: level === 'grid' ? 'community' : level, parent: region, ...(zoom === undefined ? {} : { zoom }) }),
    enabled: enabled && level !== 'grid',
  });
  const grids = useQuery({ ...trpc.geo.grids.queryOptions({ within: region }), enabled: enabled && level === 'grid' });
  const gridData = level === 'grid' ? grids.data : undefined;
  const unitData = level === 'grid' ? undefined : units.data;
  const features = useMemo(
    (): FeatureCollection<MultiPolygon, MapUnitProperties> | undefined => (gridData ? gridsAsMapUnits(gridData) : unitData),
    [gridData, unitData],
  );
  return { features, error: (level === 'grid' ? grids.error : units.error) ?? null };
}
