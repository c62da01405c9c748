// Zoom bands: which band a map zoom is served from, and each band's minimum Visvalingam weight.

import { describe, expect, it } from 'vitest';
import { FULL_DETAIL_BAND, ZOOM_BAND_MAX_ZOOM, bandForZoom, minWeightForBand } from '../../../server/domain/zoom-bands';

describe('bandForZoom', () => {
  it('serves full detail without a zoom and from the last band on', () => {
    expect(FULL_DETAIL_BAND).toBe(ZOOM_BAND_MAX_ZOOM.length - 1);
    expect(bandForZoom(undefined)).toBe(FULL_DETAIL_BAND);
    expect(bandForZoom(10.5)).toBe(FULL_DETAIL_BAND);
    expect(bandForZoom(24)).toBe(FULL_DETAIL_BAND);
  });

  it('picks the first band whose highest zoom is above the zoom (band edges are exclusive)', () => {
    expect([0, 5, 5.99, 6, 7.9, 8, 10.49].map(bandForZoom)).toEqual([0, 0, 0, 1, 1, 2, 2]);
  });
});

describe('minWeightForBand', () => {
  it('is the square of one 512-px screen pixel in radians at the band\'s highest zoom', () => {
    const pixelRadiansAtZoom6 = (2 * Math.PI) / (512 * 64);
    expect(minWeightForBand(0)).toBeCloseTo(pixelRadiansAtZoom6 ** 2, 20);
    expect(minWeightForBand(0) / minWeightForBand(1)).toBeCloseTo(16, 9);
  });

  it('keeps every point at full detail and falls as bands get finer', () => {
    expect(minWeightForBand(FULL_DETAIL_BAND)).toBe(0);
    for (let band = 1; band <= FULL_DETAIL_BAND; band++) expect(minWeightForBand(band)).toBeLessThan(minWeightForBand(band - 1));
  });
});
