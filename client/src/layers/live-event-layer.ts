// Live dispute events as pulsing dots: each ring grows and fades over its first minute, then the dot
// stays small; colour by severity. Data is the live ring (newest first); `clockMs` drives the pulse.

import { ScatterplotLayer } from '@deck.gl/layers';
import type { DisputeSeverity } from '../../../server/domain/dispute-workflow';
import type { LiveEvent } from '../hooks/use-live-events';
import type { Rgba } from './color-scales';

export const SEVERITY_COLORS: Record<DisputeSeverity, Rgba> = {
  general: [255, 209, 102, 255],
  major: [255, 140, 105, 255],
  critical: [255, 82, 82, 255],
};

/** How long a fresh event pulses, ms. */
export const PULSE_MS = 60_000;

export interface LiveEventLayerOptions {
  id: string;
  clockMs: number;
  /** Base dot radius in pixels (scaled with the display). */
  radiusPixels: number;
  beforeId?: string;
}

/** Two layers: fading rings for fresh events and the dots themselves. */
export function createLiveEventLayers(events: readonly LiveEvent[], options: LiveEventLayerOptions) {
  const { clockMs, radiusPixels } = options;
  const age = (event: LiveEvent): number => Math.min(1, Math.max(0, (clockMs - event.receivedAt) / PULSE_MS));
  const fresh = events.filter((event) => clockMs - event.receivedAt < PULSE_MS);
  return [
    new ScatterplotLayer<LiveEvent, { beforeId?: string }>({
      id: `${options.id}-pulse`,
      data: fresh,
      beforeId: options.beforeId,
      getPosition: (event) => event.lngLat,
      radiusUnits: 'pixels',
      getRadius: (event) => radiusPixels * (1.5 + 5 * age(event)),
      stroked: true,
      filled: false,
      lineWidthUnits: 'pixels',
      getLineWidth: Math.max(1.5, radiusPixels / 3),
      getLineColor: (event) => {
        const [r, g, b] = SEVERITY_COLORS[event.severity];
        return [r, g, b, Math.round(255 * (1 - age(event)))];
      },
      updateTriggers: { getRadius: clockMs, getLineColor: clockMs },
    }),
    new ScatterplotLayer<LiveEvent, { beforeId?: string }>({
      id: `${options.id}-dots`,
      data: events,
      beforeId: options.beforeId,
      getPosition: (event) => event.lngLat,
      radiusUnits: 'pixels',
      getRadius: radiusPixels,
      getFillColor: (event) => SEVERITY_COLORS[event.severity],
      stroked: true,
      getLineColor: [7, 16, 31, 255],
      lineWidthUnits: 'pixels',
      getLineWidth: 1,
    }),
  ];
}
