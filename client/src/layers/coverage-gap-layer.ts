// Uncovered residents (coverage.gaps) as a deck.gl GeoJsonLayer: grid polygons filled more opaquely the
// larger the uncovered share, or, for a whole city, one circle per grid at the centroid of its
// uncovered residents with area ∝ their number.

import { GeoJsonLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Point } from 'geojson';
import type { GapProperties } from '../api-types';
import type { Rgba } from './color-scales';
import { GAP_COLORS } from './coverage-colors';

export interface CoverageGapLayerOptions {
  id: string;
  /** Radius of the largest circle (the most uncovered residents), pixels. */
  maxRadiusPixels?: number;
  beforeId?: string;
  /** Fill colour (default GAP_COLORS.fill; dark walls use a brighter one). */
  color?: Rgba;
}

/** Circles smaller than this (pixels) are not drawn: thousands of specks would only tint the map. */
export const MIN_GAP_RADIUS_PIXELS = 0.75;

/** Circle radius (pixels) for `uncovered` residents when `largest` gets maxRadius: area ∝ residents. */
export function gapRadiusPixels(uncovered: number, largest: number, maxRadius: number): number {
  if (!(largest > 0)) return 0;
  const radius = maxRadius * Math.sqrt(uncovered / largest);
  return radius < MIN_GAP_RADIUS_PIXELS ? 0 : radius;
}

/** Fill of a gap: the gap colour, its opacity scaled from a third (few uncovered) to full (all). */
export function gapFill(uncoveredShare: number, color: Rgba = GAP_COLORS.fill): Rgba {
  const [r, g, b, a] = color;
  return [r, g, b, Math.round(a * (1 / 3 + (2 / 3) * Math.min(1, Math.max(0, uncoveredShare))))];
}

export function createCoverageGapLayer(data: FeatureCollection<MultiPolygon | Point, GapProperties>, options: CoverageGapLayerOptions) {
  let largest = 0;
  for (const feature of data.features) largest = Math.max(largest, feature.properties.uncoveredPopulation);
  const maxRadius = options.maxRadiusPixels ?? 3;
  return new GeoJsonLayer<GapProperties, { beforeId?: string }>({
    id: options.id,
    data,
    beforeId: options.beforeId,
    pickable: false,
    filled: true,
    stroked: true,
    pointType: 'circle',
    pointRadiusUnits: 'pixels',
    lineWidthUnits: 'pixels',
    // Grid polygons get a thin white edge; circles none (thousands of them would turn the map white).
    getLineWidth: (f: Feature<Geometry, GapProperties>) => (f.geometry.type === 'Point' ? 0 : 0.6),
    getFillColor: (f: Feature<Geometry, GapProperties>) => gapFill(f.geometry.type === 'Point' ? 1 : f.properties.uncoveredShare, options.color),
    getLineColor: GAP_COLORS.line,
    getPointRadius: (f: Feature<Geometry, GapProperties>) => gapRadiusPixels(f.properties.uncoveredPopulation, largest, maxRadius),
    updateTriggers: { getPointRadius: [largest, maxRadius], getFillColor: [options.color?.join(',')] },
  });
}
