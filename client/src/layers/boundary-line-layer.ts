// Boundary lines as a deck.gl GeoJsonLayer: width and colour by level (province edge > city > county).

import { GeoJsonLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Geometry, LineString, MultiLineString } from 'geojson';
import type { BoundaryLineLevel, BoundaryLineProperties } from '../api-types';
import type { Rgba } from './color-scales';

export interface BoundaryLineOptions {
  id: string;
  colors: Record<BoundaryLineLevel, Rgba>;
  /** Line width by level, pixels. */
  widths: Record<BoundaryLineLevel, number>;
  beforeId?: string;
}

export function createBoundaryLineLayer(data: FeatureCollection<LineString | MultiLineString, BoundaryLineProperties>, options: BoundaryLineOptions) {
  return new GeoJsonLayer<BoundaryLineProperties, { beforeId?: string }>({
    id: options.id,
    data,
    beforeId: options.beforeId,
    pickable: false,
    stroked: true,
    filled: false,
    lineWidthUnits: 'pixels',
    lineJointRounded: true,
    getLineColor: (f: Feature<Geometry, BoundaryLineProperties>) => options.colors[f.properties.level],
    getLineWidth: (f: Feature<Geometry, BoundaryLineProperties>) => options.widths[f.properties.level],
  });
}
