// A mode's own use of the map's pointer while a tool is active (add a facility, draw a link, drag a
// site): it sees clicks first and says whether it used them, so the map drills down only on clicks
// nobody took; a drag it starts holds the map still until the button is released.

import type { PickingInfo } from '@deck.gl/core';

export interface MapInteraction {
  /** CSS cursor over the map while the interaction is active (e.g. 'crosshair'). */
  cursor?: string;
  /** A click at [lng, lat] (and what deck.gl picked there); true when handled, so the map does not drill down. */
  onClick?: (lngLat: [number, number], info: PickingInfo) => boolean;
  /**
   * A button pressed at [lng, lat] over what deck.gl picked there (only layers of `dragLayerIds`); true starts
   * a drag of it: the map does not pan, `onDrag` follows the pointer and `onDragEnd` gets where it was released.
   */
  onDragStart?: (lngLat: [number, number], info: PickingInfo) => boolean;
  onDrag?: (lngLat: [number, number]) => void;
  onDragEnd?: (lngLat: [number, number]) => void;
  /** Ids of the deck.gl layers whose objects may be dragged (picked on button press). */
  dragLayerIds?: string[];
  /** The pointer moved over the map (e.g. to draw the rubber band of a link being drawn). */
  onPointerMove?: (lngLat: [number, number]) => void;
  /** The view shown ([west, south, east, north] degrees, zoom): when the tool starts and after each move. */
  onViewChange?: (bounds: [number, number, number, number], zoom: number) => void;
}
