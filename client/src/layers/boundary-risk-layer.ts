// Boundary lines coloured by dispute risk (hotspots.boundaryRisk): red high, orange elevated, green-grey
// normal; the riskier the line, the wider. Lines without a safe-boundary agreement get a pale casing so
// they stand out on the wall.

import { GeoJsonLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Geometry, LineString, MultiLineString } from 'geojson';
import type { BoundaryRiskProperties } from '../../../server/routers/hotspots';
import { BOUNDARY_RISK_COLORS } from './hotspot-colors';

export interface BoundaryRiskLayerOptions {
  id: string;
  /** Line width of a normal line in pixels; elevated and high lines are 2× and 3×. */
  baseWidthPixels?: number;
  onHover?: (properties: BoundaryRiskProperties | null) => void;
  onClick?: (properties: BoundaryRiskProperties) => void;
  beforeId?: string;
}

const WIDTH_FACTOR = { high: 3, elevated: 2, normal: 1 } as const;

export function createBoundaryRiskLayers(
  data: FeatureCollection<LineString | MultiLineString, BoundaryRiskProperties>,
  options: BoundaryRiskLayerOptions,
) {
  const base = options.baseWidthPixels ?? 1.5;
  const width = (f: Feature<Geometry, BoundaryRiskProperties>) => base * WIDTH_FACTOR[f.properties.risk];
  const casing = new GeoJsonLayer<BoundaryRiskProperties, { beforeId?: string }>({
    id: `${options.id}-casing`,
    data: data as never,
    beforeId: options.beforeId,
    stroked: true,
    filled: false,
    lineWidthUnits: 'pixels',
    lineJointRounded: true,
    getLineColor: (f: Feature<Geometry, BoundaryRiskProperties>) =>
      f.properties.agreementSigned === false && f.properties.risk !== 'normal' ? [255, 255, 255, 140] : [0, 0, 0, 0],
    getLineWidth: (f: Feature<Geometry, BoundaryRiskProperties>) => width(f) + 3,
  });
  const lines = new GeoJsonLayer<BoundaryRiskProperties, { beforeId?: string }>({
    id: options.id,
    data: data as never,
    beforeId: options.beforeId,
    pickable: Boolean(options.onHover || options.onClick),
    stroked: true,
    filled: false,
    lineWidthUnits: 'pixels',
    lineJointRounded: true,
    getLineColor: (f: Feature<Geometry, BoundaryRiskProperties>) => BOUNDARY_RISK_COLORS[f.properties.risk],
    getLineWidth: width,
    onHover: (info) => options.onHover?.((info.object as Feature<Geometry, BoundaryRiskProperties> | undefined)?.properties ?? null),
    onClick: (info) => {
      const feature = info.object as Feature<Geometry, BoundaryRiskProperties> | undefined;
      if (feature) options.onClick?.(feature.properties);
    },
  });
  return [casing, lines];
}
