// Hot spot classes (hotspots.cells) or emerging hot spot categories (hotspots.emerging) as a deck.gl
// GeoJsonLayer of H3 cells or grid/community polygons. Geometry stays stable; colours change through
// updateTriggers when the theme or the visibility of insignificant cells changes.

import { GeoJsonLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon } from 'geojson';
import type { EmergingCellProperties, HotspotCellProperties } from '../api-types';
import { EMERGING_CATEGORY_COLORS, hotspotClassColor } from './hotspot-colors';

export interface HotspotClassLayerOptions {
  id: string;
  theme: 'dark' | 'light';
  /** Draw class-0 cells faintly (default: hidden). */
  showInsignificant?: boolean;
  /** Outline cells (useful when zoomed in; off on the wall). */
  stroked?: boolean;
  onHover?: (properties: HotspotCellProperties | null) => void;
  onClick?: (properties: HotspotCellProperties) => void;
  beforeId?: string;
}

export function createHotspotClassLayer(
  data: FeatureCollection<Polygon | MultiPolygon, HotspotCellProperties>,
  options: HotspotClassLayerOptions,
) {
  const { theme } = options;
  const showInsignificant = options.showInsignificant ?? false;
  return new GeoJsonLayer<HotspotCellProperties, { beforeId?: string }>({
    id: options.id,
    data,
    beforeId: options.beforeId,
    pickable: Boolean(options.onHover || options.onClick),
    stroked: options.stroked ?? false,
    filled: true,
    lineWidthUnits: 'pixels',
    getLineWidth: 0.5,
    getLineColor: theme === 'dark' ? [255, 255, 255, 40] : [60, 60, 60, 60],
    getFillColor: (f: Feature<Geometry, HotspotCellProperties>) =>
      f.properties.class === 0 && !showInsignificant ? [0, 0, 0, 0] : hotspotClassColor(theme, f.properties.class),
    updateTriggers: { getFillColor: [theme, showInsignificant] },
    // deck.gl hands back the picked feature untyped (`any`): it is one of `data`'s features.
    onHover: (info) => options.onHover?.((info.object as Feature<Geometry, HotspotCellProperties> | undefined)?.properties ?? null),
    onClick: (info) => {
      const feature = info.object as Feature<Geometry, HotspotCellProperties> | undefined;
      if (feature) options.onClick?.(feature.properties);
    },
  });
}

export interface EmergingLayerOptions {
  id: string;
  onHover?: (properties: EmergingCellProperties | null) => void;
  beforeId?: string;
}

export function createEmergingHotspotLayer(
  data: FeatureCollection<Polygon | MultiPolygon, EmergingCellProperties>,
  options: EmergingLayerOptions,
) {
  return new GeoJsonLayer<EmergingCellProperties, { beforeId?: string }>({
    id: options.id,
    data,
    beforeId: options.beforeId,
    pickable: Boolean(options.onHover),
    stroked: false,
    filled: true,
    getFillColor: (f: Feature<Geometry, EmergingCellProperties>) => EMERGING_CATEGORY_COLORS[f.properties.category] ?? [0, 0, 0, 0],
    onHover: (info) => options.onHover?.((info.object as Feature<Geometry, EmergingCellProperties> | undefined)?.properties ?? null),
  });
}
