// Service areas (coverage.serviceAreas) as a deck.gl GeoJsonLayer: translucent fills outlined by method
// (network: reachable network + buffer; straight-line: distance × detour factor where there is no
// network). Polygons come with their holes; the geometry is drawn as served, never rebuilt.

import { GeoJsonLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Geometry, MultiPolygon } from 'geojson';
import type { ServiceAreaProperties } from '../api-types';
import { SERVICE_AREA_COLORS } from './coverage-colors';

export interface ServiceAreaLayerOptions {
  id: string;
  /** Outline width, pixels. */
  lineWidth?: number;
  beforeId?: string;
}

export function createServiceAreaLayer(data: FeatureCollection<MultiPolygon, ServiceAreaProperties>, options: ServiceAreaLayerOptions) {
  return new GeoJsonLayer<ServiceAreaProperties, { beforeId?: string }>({
    id: options.id,
    data,
    beforeId: options.beforeId,
    pickable: false,
    filled: true,
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: options.lineWidth ?? 1,
    getFillColor: (f: Feature<Geometry, ServiceAreaProperties>) => SERVICE_AREA_COLORS[f.properties.method].fill,
    getLineColor: (f: Feature<Geometry, ServiceAreaProperties>) => SERVICE_AREA_COLORS[f.properties.method].line,
  });
}
