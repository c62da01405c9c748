// The place a report is about, on the report form's map: a pin-sized dot with a white ring, drawn in
// pixels so it reads the same at every zoom.

import { ScatterplotLayer } from '@deck.gl/layers';
import type { Rgba } from './color-scales';

/** The chosen place's colour: red-orange, readable over the light base map and the grid fills. */
export const REPORT_PLACE_COLOR: Rgba = [214, 60, 50, 255];

export function createReportPlaceLayer(lngLat: [number, number] | null, options: { id: string; radiusPixels?: number; beforeId?: string }) {
  return new ScatterplotLayer<[number, number], { beforeId?: string }>({
    id: options.id,
    data: lngLat ? [lngLat] : [],
    beforeId: options.beforeId,
    pickable: false,
    stroked: true,
    filled: true,
    radiusUnits: 'pixels',
    getRadius: options.radiusPixels ?? 9,
    lineWidthUnits: 'pixels',
    getLineWidth: 3,
    getPosition: (position) => position,
    getFillColor: REPORT_PLACE_COLOR,
    getLineColor: [255, 255, 255, 255],
  });
}
