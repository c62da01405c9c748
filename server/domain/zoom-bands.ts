// Zoom bands for served geometry: each band is simplified (Visvalingam effective area) so that no
// removed point would move the outline by more than about one screen pixel at the band's finest zoom.

/** Band index by the highest map zoom (MapLibre, 512 px tiles) it is drawn at. The last band is full detail. */
export const ZOOM_BAND_MAX_ZOOM = [6, 8, 10.5, Infinity] as const;

export const FULL_DETAIL_BAND = ZOOM_BAND_MAX_ZOOM.length - 1;

/** The band to serve at a map zoom; no zoom means full detail. */
export function bandForZoom(zoom: number | undefined): number {
  if (zoom === undefined) return FULL_DETAIL_BAND;
  const band = ZOOM_BAND_MAX_ZOOM.findIndex((maxZoom) => zoom < maxZoom);
  return band === -1 ? FULL_DETAIL_BAND : band;
}

/**
 * Minimum Visvalingam weight (spherical triangle area, steradians) kept in a band: the square of one
 * screen pixel at the band's finest zoom. The full-detail band keeps every point (weight 0).
 */
export function minWeightForBand(band: number): number {
  const maxZoom = ZOOM_BAND_MAX_ZOOM[band];
  if (maxZoom === undefined || !Number.isFinite(maxZoom)) return 0;
  const pixelRadians = (2 * Math.PI) / (512 * 2 ** maxZoom);
  return pixelRadians * pixelRadians;
}
