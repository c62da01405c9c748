// The open case's place on a small map (loaded lazily: MapLibre and deck.gl are most of the desk's
// code): the grids of its community on the offline style, its own grid highlighted, the case as a dot.
// Without grid geometry the map centres on the point.

import { useMemo } from 'react';
import type { FeatureCollection, Point } from 'geojson';
import type { LayersList } from '@deck.gl/core';
import { createAdminFillLayer } from '../../layers/admin-fill-layer';
import { createCasePointLayer } from '../../layers/case-point-layer';
import { UNIT_HIGHLIGHT_COLOR } from '../../layers/unit-highlight-layer';
import type { Rgba } from '../../layers/color-scales';
import { useCommunityGrids } from '../../hooks/use-desk';
import { gridsAsMapUnits } from '../../hooks/use-focus-children';
import { AtlasMap, type LngLatBounds } from '../../map/atlas-map';
import { CHILD_OUTLINE, boundsOfFeatures } from '../../map/admin-style';
import { LABEL_LAYER } from '../../map/offline-style';
import type { DisputeSeverity } from '../../../../server/domain/dispute-workflow';

const GRID_FILL: Rgba = [190, 205, 222, 200];
const OWN_GRID_FILL: Rgba = [UNIT_HIGHLIGHT_COLOR[0], UNIT_HIGHLIGHT_COLOR[1], UNIT_HIGHLIGHT_COLOR[2], 90];
/** Half the side of the view around a point without grid geometry, degrees (about 1 km). */
const POINT_VIEW_DEGREES = 0.01;

export interface CaseMapProps {
  caseId: number;
  lngLat: [number, number];
  placeCode: string;
  severity: DisputeSeverity;
  label: string;
}

export default function CaseMap({ caseId, lngLat, placeCode, severity, label }: CaseMapProps) {
  const grids = useCommunityGrids(placeCode);
  const units = useMemo(() => (grids.data ? gridsAsMapUnits(grids.data) : null), [grids.data]);
  const pending = grids.isLoading;

  const layers = useMemo((): LayersList => {
    const list: LayersList = [];
    if (units) {
      list.push(
        createAdminFillLayer(units, {
          id: 'case-grids',
          focusCode: '',
          fillOf: (p) => (p.code === placeCode ? OWN_GRID_FILL : GRID_FILL),
          colorKey: placeCode,
          mutedFill: GRID_FILL,
          outline: CHILD_OUTLINE.light,
          hoveredCode: placeCode,
          beforeId: LABEL_LAYER,
        }),
      );
    }
    list.push(createCasePointLayer({ lngLat, severity }, { id: 'case-point', beforeId: LABEL_LAYER }));
    return list;
  }, [units, placeCode, lngLat, severity]);

  const labels = useMemo(
    (): FeatureCollection<Point, { name: string }> => ({
      type: 'FeatureCollection',
      features: (units?.features ?? []).map((f) => ({ type: 'Feature', properties: { name: f.properties.name }, geometry: { type: 'Point', coordinates: f.properties.labelLngLat } })),
    }),
    [units],
  );

  const fitBounds = useMemo((): LngLatBounds | null => {
    if (pending) return null;
    const own = units?.features.filter((f) => f.properties.code === placeCode) ?? [];
    const around = boundsOfFeatures(own.length ? own : (units?.features ?? []));
    const [lng, lat] = lngLat;
    const point: LngLatBounds = [lng - POINT_VIEW_DEGREES, lat - POINT_VIEW_DEGREES, lng + POINT_VIEW_DEGREES, lat + POINT_VIEW_DEGREES];
    if (!around) return point;
    return [Math.min(around[0], point[0]), Math.min(around[1], point[1]), Math.max(around[2], point[2]), Math.max(around[3], point[3])];
  }, [pending, units, placeCode, lngLat]);

  return (
    <div className="case-map" role="group" aria-label={label} data-case={caseId}>
      <AtlasMap
        theme="light"
        layers={layers}
        labels={labels}
        fitBounds={fitBounds}
        fitKey={`${caseId}|${fitBounds ? 'ready' : 'pending'}`}
        fitPadding={{ top: 16, right: 16, bottom: 16, left: 16 }}
        dataReady={!pending}
      />
    </div>
  );
}
