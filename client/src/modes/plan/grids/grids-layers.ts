// The 多格合一 map as deck.gl layers, pure (data, options) => Layer: unified grids filled by the quality of
// their best departmental match, the department's grids outlined (crossing ones in the alert colour),
// and the slivers filled in the alert colour. Geometry stays stable; colours change through updateTriggers.

import { GeoJsonLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon } from 'geojson';
import type { DepartmentGrids, MatchQuality, ReconcileAnswer } from '../../../api-types';
import type { Rgba } from '../../../layers/color-scales';

export const QUALITY_COLORS: Record<MatchQuality, Rgba> = {
  good: [46, 160, 67, 150],
  fair: [240, 180, 40, 170],
  poor: [214, 96, 77, 190],
  none: [150, 150, 150, 110],
};
export const QUALITY_ORDER: readonly MatchQuality[] = ['good', 'fair', 'poor', 'none'];
/** Crossing departmental grids and slivers. */
export const ALERT_COLOR: Rgba = [200, 0, 120, 255];
export const DEPARTMENT_LINE_COLOR: Rgba = [40, 70, 160, 255];
const HIGHLIGHT_COLOR: Rgba = [20, 20, 20, 255];

interface UnifiedGridProperties {
  code: string;
  name: string;
}

export interface UnifiedMatchOptions {
  qualityByCode: ReadonlyMap<string, MatchQuality>;
  highlighted: string | null;
  onHover: (code: string | null) => void;
  onClick: (code: string) => void;
}

export function createUnifiedMatchLayer(grids: FeatureCollection<MultiPolygon, UnifiedGridProperties>, options: UnifiedMatchOptions) {
  const { qualityByCode, highlighted } = options;
  return new GeoJsonLayer<UnifiedGridProperties>({
    id: 'reconcile-unified',
    data: grids,
    pickable: true,
    stroked: true,
    filled: true,
    lineWidthUnits: 'pixels',
    getFillColor: (f: Feature<Geometry, UnifiedGridProperties>) => QUALITY_COLORS[qualityByCode.get(f.properties.code) ?? 'none'],
    getLineColor: (f: Feature<Geometry, UnifiedGridProperties>) => (f.properties.code === highlighted ? HIGHLIGHT_COLOR : [255, 255, 255, 200]),
    getLineWidth: (f: Feature<Geometry, UnifiedGridProperties>) => (f.properties.code === highlighted ? 4 : 0.8),
    updateTriggers: { getFillColor: [qualityByCode], getLineColor: [highlighted], getLineWidth: [highlighted] },
    onHover: (info) => options.onHover((info.object as Feature<Geometry, UnifiedGridProperties> | undefined)?.properties.code ?? null),
    onClick: (info) => {
      const feature = info.object as Feature<Geometry, UnifiedGridProperties> | undefined;
      if (feature) options.onClick(feature.properties.code);
    },
  });
}

export function createDepartmentOutlineLayer(grids: DepartmentGrids, crossingCodes: ReadonlySet<string>) {
  return new GeoJsonLayer({
    id: 'reconcile-department',
    data: grids,
    pickable: false,
    stroked: true,
    filled: false,
    lineWidthUnits: 'pixels',
    getLineColor: (f: Feature<Geometry, { code: string }>) => (crossingCodes.has(f.properties.code) ? ALERT_COLOR : DEPARTMENT_LINE_COLOR),
    getLineWidth: (f: Feature<Geometry, { code: string }>) => (crossingCodes.has(f.properties.code) ? 3 : 1.5),
    updateTriggers: { getLineColor: [crossingCodes], getLineWidth: [crossingCodes] },
  });
}

export function createSliverLayer(slivers: ReconcileAnswer['report']['slivers']) {
  const data: FeatureCollection<Polygon | MultiPolygon> = {
    type: 'FeatureCollection',
    features: slivers.map((sliver) => ({ type: 'Feature', properties: { unifiedCode: sliver.unifiedCode }, geometry: sliver.geometry })),
  };
  return new GeoJsonLayer({
    id: 'reconcile-slivers',
    data,
    pickable: false,
    stroked: true,
    filled: true,
    lineWidthUnits: 'pixels',
    getFillColor: [ALERT_COLOR[0], ALERT_COLOR[1], ALERT_COLOR[2], 200],
    getLineColor: ALERT_COLOR,
    getLineWidth: 1,
  });
}
