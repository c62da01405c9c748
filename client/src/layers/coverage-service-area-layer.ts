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
  /**
   * 'filled' (default), 'outline' (the edges only: legible over a coloured choropleth and far cheaper to
   * draw than thousands of filled polygons) or 'quiet' (faint edges, when another question is asked).
   */
  style?: 'filled' | 'outline' | 'quiet';
  beforeId?: string;
}

/** Alpha of a quiet outline. */
const QUIET_LINE_ALPHA = 110;

export function createServiceAreaLayer(data: FeatureCollection<MultiPolygon, ServiceAreaProperties>, options: ServiceAreaLayerOptions) {
  const style = options.style ?? 'filled';
  const quiet = style === 'quiet';
  return new GeoJsonLayer<ServiceAreaProperties, { beforeId?: string }>({
    id: options.id,
    data,
    beforeId: options.beforeId,
    pickable: false,
    filled: style === 'filled',
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: options.lineWidth ?? 1,
    getFillColor: (f: Feature<Geometry, ServiceAreaProperties>) => SERVICE_AREA_COLORS[f.properties.method].fill,
    getLineColor: (f: Feature<Geometry, ServiceAreaProperties>) => {
      const line = SERVICE_AREA_COLORS[f.properties.method].line;
      return quiet ? [line[0], line[1], line[2], QUIET_LINE_ALPHA] : line;
    },
    updateTriggers: { getLineColor: [quiet] },
  });
}
