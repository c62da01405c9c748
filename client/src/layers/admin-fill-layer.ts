// Admin polygons as a deck.gl GeoJsonLayer: units inside the focused region coloured by class, the
// rest muted as context. Geometry stays stable; colours change through updateTriggers.

import { GeoJsonLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Geometry, MultiPolygon } from 'geojson';
import type { MapUnitProperties } from '../api-types';
import type { Rgba } from './color-scales';

export type MapUnitFeature = Feature<MultiPolygon, MapUnitProperties>;

export interface AdminFillOptions {
  id: string;
  /** Units whose code starts with this are in focus ('' = all, null = none: all muted). */
  focusCode: string | null;
  /** Fill of an in-focus unit. */
  fillOf: (properties: MapUnitProperties) => Rgba;
  mutedFill: Rgba;
  outline: Rgba;
  /** Changes whenever fillOf would answer differently. */
  colorKey: string;
  hoveredCode: string | null;
  onClick?: (properties: MapUnitProperties) => void;
  onHover?: (properties: MapUnitProperties | null) => void;
  beforeId?: string;
}

/** Line colour of hovered units. */
export const HOVER_LINE_COLOR: Rgba = [255, 200, 60, 255];

export function createAdminFillLayer(data: FeatureCollection<MultiPolygon, MapUnitProperties>, options: AdminFillOptions) {
  const { focusCode, fillOf, mutedFill, hoveredCode } = options;
  return new GeoJsonLayer<MapUnitProperties, { beforeId?: string }>({
    id: options.id,
    data,
    beforeId: options.beforeId,
    pickable: true,
    stroked: true,
    filled: true,
    lineWidthUnits: 'pixels',
    getLineWidth: (f: Feature<Geometry, MapUnitProperties>) => (f.properties.code === hoveredCode ? 2.5 : 0.6),
    getLineColor: (f: Feature<Geometry, MapUnitProperties>) => (f.properties.code === hoveredCode ? HOVER_LINE_COLOR : options.outline),
    getFillColor: (f: Feature<Geometry, MapUnitProperties>) =>
      focusCode !== null && f.properties.code.startsWith(focusCode) ? fillOf(f.properties) : mutedFill,
    updateTriggers: {
      getFillColor: [focusCode, options.colorKey],
      getLineWidth: [hoveredCode],
      getLineColor: [hoveredCode],
    },
    // deck.gl hands back the picked feature untyped (`any`): it is one of `data`'s features.
    onClick: (info) => {
      const feature = info.object as MapUnitFeature | undefined;
      if (feature && options.onClick) options.onClick(feature.properties);
    },
    onHover: (info) => {
      const feature = info.object as MapUnitFeature | undefined;
      options.onHover?.(feature ? feature.properties : null);
    },
  });
}
