// Boundary lines coloured by dispute risk (hotspots.boundaryRisk): red high, orange elevated, green-grey
// normal; the riskier the line, the wider. Lines without a safe-boundary agreement get a pale casing so
// they stand out on the wall.

import { GeoJsonLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Geometry, LineString, MultiLineString } from 'geojson';
import type { BoundaryRiskProperties } from '../api-types';
import type { Rgba } from './color-scales';
import { BOUNDARY_RISK_COLORS } from './hotspot-colors';

export interface BoundaryRiskLayerOptions {
  id: string;
  /** Line width of a normal line in pixels; elevated and high lines are 2× and 3×. */
  baseWidthPixels?: number;
  onHover?: (properties: BoundaryRiskProperties | null) => void;
  onClick?: (properties: BoundaryRiskProperties) => void;
  beforeId?: string;
}

/** Line width by risk, in multiples of the base width. */
export const RISK_WIDTH_FACTOR: Record<BoundaryRiskProperties['risk'], number> = { high: 3, elevated: 2, normal: 1 };

/** Casing of risky lines without a safe-boundary agreement (transparent for the rest). */
export const NO_AGREEMENT_CASING: Rgba = [255, 255, 255, 140];

export function createBoundaryRiskLayers(
  data: FeatureCollection<LineString | MultiLineString, BoundaryRiskProperties>,
  options: BoundaryRiskLayerOptions,
) {
  const base = options.baseWidthPixels ?? 1.5;
  const width = (f: Feature<Geometry, BoundaryRiskProperties>) => base * RISK_WIDTH_FACTOR[f.properties.risk];
  const casing = new GeoJsonLayer<BoundaryRiskProperties, { beforeId?: string }>({
    id: `${options.id}-casing`,
    data,
    beforeId: options.beforeId,
    stroked: true,
    filled: false,
    lineWidthUnits: 'pixels',
    lineJointRounded: true,
    getLineColor: (f: Feature<Geometry, BoundaryRiskProperties>) =>
      f.properties.agreementSigned === false && f.properties.risk !== 'normal' ? NO_AGREEMENT_CASING : [0, 0, 0, 0],
    getLineWidth: (f: Feature<Geometry, BoundaryRiskProperties>) => width(f) + 3,
  });
  const lines = new GeoJsonLayer<BoundaryRiskProperties, { beforeId?: string }>({
    id: options.id,
    data,
    beforeId: options.beforeId,
    pickable: Boolean(options.onHover || options.onClick),
    stroked: true,
    filled: false,
    lineWidthUnits: 'pixels',
    lineJointRounded: true,
    getLineColor: (f: Feature<Geometry, BoundaryRiskProperties>) => BOUNDARY_RISK_COLORS[f.properties.risk],
    getLineWidth: width,
    // deck.gl hands back the picked feature untyped (`any`): it is one of `data`'s features.
    onHover: (info) => options.onHover?.((info.object as Feature<Geometry, BoundaryRiskProperties> | undefined)?.properties ?? null),
    onClick: (info) => {
      const feature = info.object as Feature<Geometry, BoundaryRiskProperties> | undefined;
      if (feature) options.onClick?.(feature.properties);
    },
  });
  return [casing, lines];
}
