// The planner workspace's pure parts: table sorting on typed keys, the URL state, the chart options and
// the completeness colours.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nameRanks, numericKeys, sortedIndices } from '../../client/src/modes/plan/table-sort';
import { planQuestionFrom, tableLevelFrom, tableLevelsBelow, withParam } from '../../client/src/modes/plan/plan-url';
import { coverageUnitsChartOption } from '../../client/src/charts/coverage-units-chart';
import { coverageCurveChartOption } from '../../client/src/charts/coverage-curve-chart';
import { chartStyle } from '../../client/src/charts/chart-theme';
import { COMPLETENESS_PALETTE, completenessClass, completenessColor } from '../../client/src/layers/completeness-colors';
import { RATE_PALETTES, rateColor } from '../../client/src/layers/coverage-colors';

describe('table sorting', () => {
  it('orders by a numeric column both ways, no value last, ties in row order', () => {
    const rows = [{ rate: 0.5 }, { rate: null }, { rate: 0.9 }, { rate: 0.5 }, { rate: 0.1 }];
    const keys = numericKeys(rows, (row) => row.rate);
    expect([...sortedIndices(keys, 'asc')]).toEqual([4, 0, 3, 2, 1]);
    expect([...sortedIndices(keys, 'desc')]).toEqual([2, 0, 3, 4, 1]);
  });

  it('ranks names by collation (pinyin order in zh-CN, numbers as numbers)', () => {
    const names = ['网格10', '网格2', '北站街道', '北站街道', '大东'];
    const ranks = nameRanks(names, 'zh-CN');
    expect([...sortedIndices(ranks, 'asc')].map((i) => names[i])).toEqual(['北站街道', '北站街道', '大东', '网格2', '网格10']);
    expect(ranks[2]).toBe(ranks[3]);
  });

  it('is a permutation sorted by key on random columns, 10,000 rows included', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), { nil: null }), { maxLength: 300 }), fc.boolean(), (values, asc) => {
        const keys = numericKeys(values, (v) => v);
        const order = sortedIndices(keys, asc ? 'asc' : 'desc');
        expect([...order].sort((a, b) => a - b)).toEqual([...values.keys()]);
        const seen = [...order].map((i) => values[i]);
        const firstNull = seen.indexOf(null);
        if (firstNull >= 0) expect(seen.slice(firstNull).every((v) => v === null)).toBe(true);
        const numbers = seen.filter((v): v is number => v !== null);
        for (let k = 1; k < numbers.length; k++) expect(asc ? numbers[k]! >= numbers[k - 1]! : numbers[k]! <= numbers[k - 1]!).toBe(true);
      }),
    );
    const big = numericKeys(Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 10_007), (v) => v);
    const order = sortedIndices(big, 'desc');
    expect(big[order[0]!]).toBe(Math.max(...big));
  });
});

describe('URL state', () => {
  it('reads the question, defaulting to coverage on anything unknown', () => {
    expect(planQuestionFrom(new URLSearchParams('q=completeness'))).toBe('completeness');
    expect(planQuestionFrom(new URLSearchParams('q=everything'))).toBe('coverage');
    expect(planQuestionFrom(new URLSearchParams(''))).toBe('coverage');
  });

  it('offers the levels below the focus, down to grids, and falls back to the children', () => {
    expect(tableLevelsBelow('county')).toEqual(['street', 'community', 'grid']);
    expect(tableLevelsBelow('community')).toEqual(['grid']);
    expect(tableLevelsBelow('province')).toEqual(['city', 'county']);
    expect(tableLevelFrom(new URLSearchParams('units=grid'), 'county')).toBe('grid');
    expect(tableLevelFrom(new URLSearchParams('units=county'), 'street')).toBe('community');
    expect(tableLevelFrom(new URLSearchParams(''), 'city')).toBe('county');
  });

  it('sets a parameter, dropping it at its default and keeping the others (scenario, compare)', () => {
    const previous = new URLSearchParams('region=210103&scenario=7&compare=3&q=gaps');
    expect(withParam(previous, 'q', 'coverage', 'coverage').toString()).toBe('region=210103&scenario=7&compare=3');
    expect(withParam(previous, 'q', 'completeness', 'coverage').get('q')).toBe('completeness');
    expect(previous.get('q')).toBe('gaps');
  });
});

describe('chart options', () => {
  const style = chartStyle('light', 1440);

  it('puts the units lowest first with their rates in per cent and a dashed target line', () => {
    const option = coverageUnitsChartOption(
      [
        { name: 'A', rate: 0.95 },
        { name: 'B', rate: 0.42 },
        { name: 'C', rate: null },
        { name: 'D', rate: 0.7 },
      ],
      style,
      { target: 0.9, limit: 2, targetLabel: '目标', colorOf: () => '#000' },
    ) as { xAxis: { data: string[] }; series: { data: ({ value: number } | number)[]; lineStyle?: { type: string } }[] };
    expect(option.xAxis.data).toEqual(['B', 'D']);
    expect(option.series[0]!.data.map((d) => (typeof d === 'number' ? d : d.value))).toEqual([42, 70]);
    expect(option.series[1]!.data).toEqual([90, 90]);
    expect(option.series[1]!.lineStyle?.type).toBe('dashed');
  });

  it('draws the curve by minutes in order, the map\'s minutes marked larger', () => {
    const option = coverageCurveChartOption(
      [
        { minutes: 10, coveredPopulation: 50, coverageRate: 0.5 },
        { minutes: 5, coveredPopulation: 20, coverageRate: 0.2 },
        { minutes: 15, coveredPopulation: 80, coverageRate: 0.8 },
      ],
      style,
      { selectedMinutes: 10, minutesUnit: '分钟', target: null },
    ) as { xAxis: { data: string[] }; series: { data: { value: number; symbolSize: number }[] }[] };
    expect(option.xAxis.data).toEqual(['5', '10', '15']);
    expect(option.series).toHaveLength(1);
    const points = option.series[0]!.data;
    expect(points.map((p) => p.value)).toEqual([20, 50, 80]);
    expect(points[1]!.symbolSize).toBeGreaterThan(points[0]!.symbolSize);
  });
});

describe('colours', () => {
  it('classes completeness by share, the top class only when every kind is within reach', () => {
    expect(completenessClass(8, 8)).toBe(4);
    expect(completenessClass(7, 8)).toBe(3);
    expect(completenessClass(4, 8)).toBe(1);
    expect(completenessClass(3, 8)).toBe(0);
    expect(completenessClass(0, 0)).toBe(0);
    expect(completenessColor(5, 8, 0)).toBeNull();
    expect(completenessColor(5, 8, 100)).toEqual(COMPLETENESS_PALETTE[2]);
  });

  it('ramps rates and completeness monotonically in lightness (readable in greyscale)', () => {
    const luminance = ([r, g, b]: readonly number[]) => 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    for (const palette of [RATE_PALETTES.light, COMPLETENESS_PALETTE]) {
      for (let k = 1; k < palette.length; k++) expect(luminance(palette[k]!)).toBeGreaterThan(luminance(palette[k - 1]!));
    }
    expect(rateColor(0.96, 'light')).toEqual(RATE_PALETTES.light[4]);
  });
});
