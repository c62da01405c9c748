// The /plan table's units on the map: an invisible pickable layer over them (hovering a unit highlights
// its row; clicking opens it) and a bold outline around the highlighted unit. The pick layer's geometry
// stays the answer's; the outline layer draws one feature.

import { GeoJsonLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Geometry, MultiPolygon } from 'geojson';
import type { MapUnitProperties } from '../api-types';
import type { Rgba } from './color-scales';

/** Outline of the highlighted unit: dark orange, readable over viridis and cividis fills. */
export const UNIT_HIGHLIGHT_COLOR: Rgba = [230, 85, 13, 255];

export interface UnitPickLayerOptions {
  id: string;
  onHover: (unit: MapUnitProperties | null) => void;
  /** True when the click was used (the map then does not handle it further). */
  onClick: (unit: MapUnitProperties) => boolean;
  beforeId?: string;
}

export function createUnitPickLayer(data: FeatureCollection<MultiPolygon, MapUnitProperties>, options: UnitPickLayerOptions) {
  return new GeoJsonLayer<MapUnitProperties, { beforeId?: string }>({
    id: options.id,
    data,
    beforeId: options.beforeId,
    pickable: true,
    filled: true,
    stroked: false,
    getFillColor: [0, 0, 0, 0],
    // deck.gl hands back the picked feature untyped (`any`): it is one of `data`'s features.
    onHover: (info) => {
      const feature = info.object as Feature<MultiPolygon, MapUnitProperties> | undefined;
      options.onHover(feature ? feature.properties : null);
    },
    onClick: (info) => {
      const feature = info.object as Feature<MultiPolygon, MapUnitProperties> | undefined;
      return feature ? options.onClick(feature.properties) : false;
    },
  });
}

/** The highlighted unit's outline (no fill), `widthPixels` wide. */
export function createUnitHighlightLayer(feature: Feature<MultiPolygon, MapUnitProperties> | null, options: { id: string; widthPixels?: number; beforeId?: string }) {
  return new GeoJsonLayer<MapUnitProperties, { beforeId?: string }>({
    id: options.id,
    data: feature ? [feature] : [],
    beforeId: options.beforeId,
    pickable: false,
    filled: false,
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: options.widthPixels ?? 3.5,
    getLineColor: UNIT_HIGHLIGHT_COLOR,
  });
}

/** Completeness fills over the table's units (communities or grids), by code. */
export function createUnitFillLayer(
  data: FeatureCollection<MultiPolygon, MapUnitProperties>,
  options: { id: string; fillOf: (code: string) => Rgba; colorKey: string; lineColor: Rgba; beforeId?: string },
) {
  return new GeoJsonLayer<MapUnitProperties, { beforeId?: string }>({
    id: options.id,
    data,
    beforeId: options.beforeId,
    pickable: false,
    filled: true,
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: 0.6,
    getLineColor: options.lineColor,
    getFillColor: (f: Feature<Geometry, MapUnitProperties>) => options.fillOf(f.properties.code),
    updateTriggers: { getFillColor: [options.colorKey] },
  });
}
