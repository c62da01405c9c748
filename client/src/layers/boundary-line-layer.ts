// Boundary lines as a deck.gl GeoJsonLayer: width and colour by level (province edge > city > county).

import { GeoJsonLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Geometry, LineString, MultiLineString } from 'geojson';
import type { Rgba } from './color-scales';

export interface BoundaryLineProperties {
  id: string;
  level: 'province' | 'city' | 'county' | 'street';
  leftCode: string;
  rightCode: string | null;
  leftName: string;
  rightName: string | null;
  lengthMeters: number;
  agreementSigned: boolean | null;
  jointMediation: boolean | null;
  lastJointPatrol: string | null;
}

export type BoundaryLineFeature = Feature<LineString | MultiLineString, BoundaryLineProperties>;

export interface BoundaryLineOptions {
  id: string;
  colors: Record<BoundaryLineProperties['level'], Rgba>;
  widths: Record<BoundaryLineProperties['level'], number>;
  beforeId?: string;
}

export function createBoundaryLineLayer(
  data: FeatureCollection<LineString | MultiLineString, BoundaryLineProperties>,
  options: BoundaryLineOptions,
) {
  return new GeoJsonLayer<BoundaryLineProperties, { beforeId?: string }>({
    id: options.id,
    data: data as never,
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
