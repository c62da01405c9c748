// A mode's own use of the map's pointer while a tool is active (add a facility, draw a link): it sees
// clicks first and says whether it used them, so the map drills down only on clicks nobody took.

import type { PickingInfo } from '@deck.gl/core';

export interface MapInteraction {
  /** CSS cursor over the map while the interaction is active (e.g. 'crosshair'). */
  cursor?: string;
  /** A click at [lng, lat] (and what deck.gl picked there); true when handled, so the map does not drill down. */
  onClick?: (lngLat: [number, number], info: PickingInfo) => boolean;
}
