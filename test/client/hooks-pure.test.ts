// The pure parts of the hooks and the map helpers: coverage inputs and totals, zoom bands, grids as map
// units, the wall's period and unit levels, code levels and bounds.

import { describe, expect, it } from 'vitest';
import { MS_PER_DAY, chinaDayNumber, chinaMonthStart } from '../../server/domain/china-time';
import { ZOOM_BAND_MAX_ZOOM } from '../../server/domain/zoom-bands';
import type { Grids } from '../../client/src/api-types';
import { zoomForBand } from '../../client/src/hooks/use-admin-geometry';
import { limitInput, sumCoverageRows } from '../../client/src/hooks/use-coverage';
import { DEFAULT_COVERAGE } from '../../client/src/hooks/use-coverage-settings';
import { gridsAsMapUnits } from '../../client/src/hooks/use-focus-children';
import { boundsOfFeatures, childUnitLevelOf, levelOfCode, mapUnitLevelOf } from '../../client/src/map/admin-style';
import { TREND_DAYS, currentPeriod, totalCoverage, trendWindow } from '../../client/src/modes/screen/use-screen-data';
import { mapUnit, square } from './layers/fixtures';

describe('coverage inputs and totals', () => {
  it('asks for minutes at 4 km/h, 3 km/h for the elderly, or the GB 50180 distances', () => {
    expect(limitInput(DEFAULT_COVERAGE)).toEqual({ maxMinutes: 15 });
    expect(limitInput({ ...DEFAULT_COVERAGE, maxMinutes: 10, walker: 'elderly' })).toEqual({ maxMinutes: 10, speedKmh: 3 });
    expect(limitInput({ ...DEFAULT_COVERAGE, maxMinutes: 5, walker: 'elderly', standard: 'gb50180' })).toEqual({ maxMinutes: 5, mode: 'gb50180' });
  });

  it('sums residents over rows, and the wall\'s share covered', () => {
    const rows = [
      { population: 1000, coveredPopulation: 900, networkPopulation: 800 },
      { population: 3000, coveredPopulation: 1500, networkPopulation: 0 },
    ];
    expect(sumCoverageRows(rows)).toEqual({ population: 4000, coveredPopulation: 2400, networkPopulation: 800 });
    expect(totalCoverage(rows)).toBe(0.6);
    expect(totalCoverage([])).toBeNull();
    expect(totalCoverage(undefined)).toBeNull();
  });
});

describe('zoomForBand', () => {
  it('asks every zoom of a band with one zoom inside it, and full detail with none', () => {
    expect(zoomForBand(5)).toBe(ZOOM_BAND_MAX_ZOOM[0] - 0.5);
    expect(zoomForBand(5.9)).toBe(zoomForBand(3));
    expect(zoomForBand(7)).toBe(ZOOM_BAND_MAX_ZOOM[1] - 0.5);
    expect(zoomForBand(14)).toBeUndefined();
  });
});

describe('gridsAsMapUnits', () => {
  it('gives grids the map-unit shape, keeping each grid\'s geometry object', () => {
    const geometry = square(123.4, 41.8);
    const grids: Grids = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: {
            code: '210102001001001',
            name: 'grid 1',
            communityCode: '210102001001',
            urban: true,
            population: 1200,
            households: 420,
            fullTimeWorkers: 1,
            partTimeWorkers: 2,
            areaSquareMeters: 90_000,
            labelLngLat: [123.405, 41.805],
          },
          geometry,
        },
      ],
    };
    const units = gridsAsMapUnits(grids);
    expect(units.features[0]!.properties).toEqual({
      code: '210102001001001',
      name: 'grid 1',
      level: 'grid',
      parentCode: '210102001001',
      population: 1200,
      childCount: 0,
      labelLngLat: [123.405, 41.805],
      households: 420,
      fullTimeWorkers: 1,
      partTimeWorkers: 2,
    });
    expect(units.features[0]!.geometry).toBe(geometry);
  });
});

describe('the wall\'s period', () => {
  it('is the China-time month so far, or the last 30 days in a month\'s first three days', () => {
    // 2026-11-10 12:00 China time.
    const mid = Date.UTC(2026, 10, 10, 4);
    expect(currentPeriod(mid)).toEqual({ from: chinaMonthStart(mid), to: mid, rolling: false });
    expect(chinaMonthStart(mid)).toBe(Date.UTC(2026, 9, 31, 16));
    // 2026-11-02 08:00 China time.
    const early = Date.UTC(2026, 10, 2, 0);
    expect(currentPeriod(early)).toEqual({ from: early - 30 * MS_PER_DAY, to: early, rolling: true });
  });

  it('trends over the 29 whole China-time days before today and today so far, today marked partial', () => {
    // 2026-11-10 14:05 China time: from 2026-10-12 00:00 China time.
    const afternoon = Date.UTC(2026, 10, 10, 6, 5);
    expect(trendWindow(afternoon)).toEqual({ from: Date.UTC(2026, 9, 11, 16), to: afternoon, partialDayKey: '2026-11-10' });
    // 07:30 China time is still the evening before in UTC: the China-time day is the one marked.
    const morning = Date.UTC(2026, 10, 9, 23, 30);
    expect(trendWindow(morning).partialDayKey).toBe('2026-11-10');
    expect(trendWindow(morning).from).toBe(Date.UTC(2026, 9, 11, 16));
    // At 00:00 sharp today has not begun: 30 whole days, none partial.
    const midnight = Date.UTC(2026, 10, 9, 16);
    expect(trendWindow(midnight)).toEqual({ from: midnight - TREND_DAYS * MS_PER_DAY, to: midnight, partialDayKey: null });
    // Always 30 calendar days, the first whole (starting at 00:00 China time).
    for (const now of [afternoon, morning, midnight, midnight + 1]) {
      const { from, to } = trendWindow(now);
      expect(chinaDayNumber(to - 1) - chinaDayNumber(from) + 1).toBe(TREND_DAYS);
      expect((from + 8 * 3_600_000) % MS_PER_DAY).toBe(0);
    }
  });
});

describe('levels and bounds', () => {
  it('reads the level from the code length', () => {
    expect(['21', '2101', '210102', '210102001', '210102001001'].map(levelOfCode)).toEqual(['province', 'city', 'county', 'street', 'community']);
  });

  it('colours counties for the province and cities, the children below; ranks the children', () => {
    const levels = ['province', 'city', 'county', 'street', 'community'] as const;
    expect(levels.map(mapUnitLevelOf)).toEqual(['county', 'county', 'street', 'community', 'grid']);
    expect(levels.map(childUnitLevelOf)).toEqual(['city', 'county', 'street', 'community', 'grid']);
  });

  it('bounds the outer rings of the features, null for none', () => {
    const a = mapUnit('210102', 1);
    const b = { ...mapUnit('210103', 1), geometry: square(124, 42, 0.5) };
    expect(boundsOfFeatures([a, b])).toEqual([123.4, 41.8, 124.5, 42.5]);
    expect(boundsOfFeatures([])).toBeNull();
  });
});
