// One case's place as a deck.gl ScatterplotLayer: a filled dot with a white ring, sized in pixels so it
// reads at any zoom, coloured by severity like the wall's live dots.

import { ScatterplotLayer } from '@deck.gl/layers';
import type { DisputeSeverity } from '../../../server/domain/dispute-workflow';
import { SEVERITY_COLORS } from './live-event-layer';

export interface CasePoint {
  /** [lng, lat], WGS84 degrees. */
  lngLat: [number, number];
  severity: DisputeSeverity;
}

export function createCasePointLayer(point: CasePoint, options: { id: string; radiusPixels?: number; beforeId?: string }) {
  return new ScatterplotLayer<CasePoint, { beforeId?: string }>({
    id: options.id,
    data: [point],
    beforeId: options.beforeId,
    getPosition: (p) => p.lngLat,
    getFillColor: (p) => SEVERITY_COLORS[p.severity],
    getLineColor: [255, 255, 255, 255],
    radiusUnits: 'pixels',
    getRadius: options.radiusPixels ?? 8,
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: 2,
  });
}
