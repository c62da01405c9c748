// Admin polygons as a deck.gl GeoJsonLayer: units inside the focused region coloured by class, the
// rest muted as context. Geometry stays stable; colours change through updateTriggers.

import { GeoJsonLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Geometry, MultiPolygon } from 'geojson';
import type { Rgba } from './color-scales';

export interface AdminUnitProperties {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
  population: number | null;
  childCount: number;
  labelLngLat: [number, number];
}

export type AdminFeature = Feature<MultiPolygon, AdminUnitProperties>;

export interface AdminFillOptions {
  id: string;
  /** Units whose code starts with this are in focus ('' = all, null = none: all muted). */
  focusCode: string | null;
  /** Fill of an in-focus unit. */
  fillOf: (properties: AdminUnitProperties) => Rgba;
  mutedFill: Rgba;
  outline: Rgba;
  /** Changes whenever fillOf would answer differently. */
  colorKey: string;
  hoveredCode: string | null;
  onClick?: (properties: AdminUnitProperties) => void;
  onHover?: (properties: AdminUnitProperties | null) => void;
  beforeId?: string;
}

export function createAdminFillLayer(data: FeatureCollection<MultiPolygon, AdminUnitProperties>, options: AdminFillOptions) {
  const { focusCode, fillOf, mutedFill, hoveredCode } = options;
  return new GeoJsonLayer<AdminUnitProperties, { beforeId?: string }>({
    id: options.id,
    data: data as never,
    beforeId: options.beforeId,
    pickable: true,
    stroked: true,
    filled: true,
    lineWidthUnits: 'pixels',
    getLineWidth: (f: Feature<Geometry, AdminUnitProperties>) => (f.properties.code === hoveredCode ? 2.5 : 0.6),
    getLineColor: (f: Feature<Geometry, AdminUnitProperties>) => (f.properties.code === hoveredCode ? [255, 200, 60, 255] : options.outline),
    getFillColor: (f: Feature<Geometry, AdminUnitProperties>) =>
      focusCode !== null && f.properties.code.startsWith(focusCode) ? fillOf(f.properties) : mutedFill,
    updateTriggers: {
      getFillColor: [focusCode, options.colorKey],
      getLineWidth: [hoveredCode],
      getLineColor: [hoveredCode],
    },
    onClick: (info) => {
      const feature = info.object as AdminFeature | undefined;
      if (feature && options.onClick) options.onClick(feature.properties);
    },
    onHover: (info) => {
      const feature = info.object as AdminFeature | undefined;
      options.onHover?.(feature ? feature.properties : null);
    },
  });
}
