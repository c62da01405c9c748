// Time slices in China time, the space-time cube, the pattern rules of every emerging category (by hand),
// and emerging hot spots on synthetic cubes with a planted rising, steady and fading cluster.

import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../server/analysis/random';
import { prepareGetisOrdWeights } from '../../../../server/analysis/hotspots/detect-hotspots';
import { EMERGING_CATEGORIES, classifyEmergingPattern, detectEmergingHotspots } from '../../../../server/analysis/hotspots/emerging-hotspots';
import { buildSpaceTimeCube, buildTimeSlices, findSlice, sliceCount } from '../../../../server/analysis/hotspots/space-time-cube';
import { weightsFromNeighborLists } from '../../../../server/analysis/hotspots/spatial-weights';
import { chinaDayStartMs } from '../../../../server/domain/china-time';

const chinaMidnight = (year: number, month: number, day: number) => chinaDayStartMs({ year, month, day });
const DAY = 86_400_000;

describe('time slices', () => {
  it('cuts weeks back from the end and leaves a partial first week out', () => {
    const slices = buildTimeSlices(chinaMidnight(2026, 8, 1), chinaMidnight(2026, 11, 1), 'week');
    expect(sliceCount(slices)).toBe(13);
    expect(slices.startsMs[13]).toBe(chinaMidnight(2026, 11, 1));
    expect(slices.startsMs[0]).toBe(chinaMidnight(2026, 11, 1) - 13 * 7 * DAY);
    expect(findSlice(slices, chinaMidnight(2026, 11, 1) - 1)).toBe(12);
    expect(findSlice(slices, chinaMidnight(2026, 11, 1))).toBe(-1);
    expect(findSlice(slices, slices.startsMs[0]! - 1)).toBe(-1);
    expect(findSlice(slices, slices.startsMs[5]!)).toBe(5);
  });

  it('uses whole calendar months in China time', () => {
    const slices = buildTimeSlices(chinaMidnight(2025, 11, 1), chinaMidnight(2026, 11, 1), 'month');
    expect(sliceCount(slices)).toBe(12);
    expect(slices.startsMs[2]).toBe(chinaMidnight(2026, 1, 1));
    // A period starting mid-month begins with the next month.
    const partial = buildTimeSlices(chinaMidnight(2025, 11, 15), chinaMidnight(2026, 11, 1) + 5 * DAY, 'month');
    expect(partial.startsMs[0]).toBe(chinaMidnight(2025, 12, 1));
    expect(partial.startsMs[partial.startsMs.length - 1]).toBe(chinaMidnight(2026, 11, 1));
    // 2026-01-31 23:59 China time is still January.
    expect(findSlice(slices, chinaMidnight(2026, 2, 1) - 60_000)).toBe(2);
  });

  it('counts events per slice and unit', () => {
    const slices = buildTimeSlices(0, 4 * 7 * DAY, 'week');
    const cube = buildSpaceTimeCube(slices, 3, [0, 2, 2, -1, 1], [1, 8 * DAY, 9 * DAY, 10 * DAY, 27 * DAY]);
    expect(Array.from(cube)).toEqual([1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0]);
  });
});

describe('emerging pattern rules', () => {
  const classify = (states: string, trendZ = 0, trendP = 1) =>
    classifyEmergingPattern(
      states.split('').map((c) => (c === '+' ? 1 : c === '-' ? -1 : 0)),
      trendZ,
      trendP,
    );

  it('names every hot pattern as ArcGIS defines it', () => {
    expect(classify('..........+')).toBe('newHot');
    expect(classify('........+++')).toBe('consecutiveHot');
    expect(classify('+++++++++++', 3, 0.001)).toBe('intensifyingHot');
    expect(classify('+++++++++++', -3, 0.001)).toBe('diminishingHot');
    expect(classify('+++++++++++', 1, 0.2)).toBe('persistentHot');
    expect(classify('.+++++++++++')).toBe('persistentHot');
    expect(classify('..+..+...++')).toBe('sporadicHot');
    expect(classify('..-.....+++')).toBe('oscillatingHot');
    expect(classify('++++++++++.')).toBe('historicalHot');
    expect(classify('+++++......')).toBe('none');
    expect(classify('...........')).toBe('none');
  });

  it('mirrors them for cold spots (intensifying cold trends down)', () => {
    expect(classify('..........-')).toBe('newCold');
    expect(classify('.......----')).toBe('consecutiveCold');
    expect(classify('-----------', -3, 0.001)).toBe('intensifyingCold');
    expect(classify('-----------', 3, 0.001)).toBe('diminishingCold');
    expect(classify('-----------')).toBe('persistentCold');
    expect(classify('.-..-....--')).toBe('sporadicCold');
    expect(classify('+.........-')).toBe('oscillatingCold');
    expect(classify('----------.')).toBe('historicalCold');
  });
});

describe('emerging hot spots on a synthetic cube', () => {
  // A 20 × 20 rook lattice, 24 slices of Poisson(2) background, with a steady cluster, a rising one and a fading one.
  const side = 20;
  const n = side * side;
  const lists = Array.from({ length: n }, (_, i) => {
    const r = Math.floor(i / side);
    const c = i % side;
    return [
      [r - 1, c],
      [r + 1, c],
      [r, c - 1],
      [r, c + 1],
    ]
      .filter(([a, b]) => a! >= 0 && a! < side && b! >= 0 && b! < side)
      .map(([a, b]) => a! * side + b!);
  });
  const w = prepareGetisOrdWeights(weightsFromNeighborLists(lists), { star: true, rowStandardized: false });
  const slices = 24;
  const rng = createRng(99);
  const cube = new Float64Array(n * slices);
  const block = (r0: number, c0: number) => [0, 1, 2].flatMap((dr) => [0, 1, 2].map((dc) => (r0 + dr) * side + c0 + dc));
  const steady = block(2, 2);
  const rising = block(10, 10);
  const fading = block(15, 3);
  for (let s = 0; s < slices; s++) {
    for (let c = 0; c < n; c++) {
      let rate = 2;
      if (steady.includes(c)) rate += 8;
      if (rising.includes(c) && s >= 16) rate += (s - 15) * 2.5;
      if (fading.includes(c) && s < 10) rate += 10 - s;
      cube[s * n + c] = rng.poisson(rate);
    }
  }
  const result = detectEmergingHotspots(cube, n, slices, w, { alpha: 0.05, fdr: true });
  const categoryOf = (c: number) => EMERGING_CATEGORIES[result.category[c]!];
  const centre = (cells: number[]) => cells[4]!;

  it('finds the steady cluster persistent (or intensifying/diminishing by chance), the rising one new or consecutive', () => {
    expect(['persistentHot', 'intensifyingHot', 'diminishingHot']).toContain(categoryOf(centre(steady)));
    expect(['newHot', 'consecutiveHot', 'sporadicHot']).toContain(categoryOf(centre(rising)));
    expect(result.trendZ[centre(rising)]).toBeGreaterThan(2);
  });

  it('sees the fading cluster\'s downward trend, and labels little of the background', () => {
    expect(result.trendZ[centre(fading)]).toBeLessThan(-2);
    // Background: cells neither in a cluster nor next to one (whose Gi* neighbourhood holds cluster cells).
    const planted = [...steady, ...rising, ...fading];
    const near = new Set([...planted, ...planted.flatMap((c) => lists[c]!)]);
    const background = Array.from({ length: n }, (_, c) => c).filter((c) => !near.has(c));
    const labelled = background.filter((c) => categoryOf(c) !== 'none').length;
    expect(labelled / background.length).toBeLessThan(0.1);
  });
});
