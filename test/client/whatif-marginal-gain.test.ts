// The marginal-gain curve: coverage after 0…N sites from the proposals, the count that first reaches
// the target, and the chart option drawing both.

import { describe, expect, it } from 'vitest';
import { chartStyle } from '../../client/src/charts/chart-theme';
import { coverageBySiteCount, marginalGainChartOption, sitesToReachTarget } from '../../client/src/charts/marginal-gain-chart';

const proposals = [
  { rank: 2, cumulativeCoveredPopulation: 880 },
  { rank: 1, cumulativeCoveredPopulation: 800 },
  { rank: 3, cumulativeCoveredPopulation: 905 },
];

describe('marginal-gain curve', () => {
  it('gives coverage after k sites in rank order, from the current coverage', () => {
    expect(coverageBySiteCount(proposals, 1000, 600)).toEqual([0.6, 0.8, 0.88, 0.905]);
    expect(coverageBySiteCount([], 0, 0)).toEqual([0]);
  });

  it('finds the fewest sites reaching the target, or null', () => {
    expect(sitesToReachTarget([0.6, 0.8, 0.88, 0.905], 0.9)).toBe(3);
    expect(sitesToReachTarget([0.95, 0.97], 0.9)).toBe(0);
    expect(sitesToReachTarget([0.6, 0.8], 0.9)).toBeNull();
    expect(sitesToReachTarget([0.6, 0.9], 0.9)).toBe(1);
  });

  it('draws the curve in percent with the target line and marks the first count reaching it', () => {
    const option = marginalGainChartOption(proposals, chartStyle('light', 1440), {
      population: 1000,
      coveredBefore: 600,
      targetRate: 0.9,
      labels: { sites: '新增设施数', coverage: '覆盖率', target: '目标 90%' },
    }) as { xAxis: { data: string[] }; series: { name: string; data: ({ value: number; symbolSize: number } | number)[] }[] };
    expect(option.xAxis.data).toEqual(['0', '1', '2', '3']);
    const [curve, target] = option.series;
    expect(curve!.data.map((d) => (typeof d === 'number' ? d : d.value))).toEqual([60, 80, 88, 90.5]);
    expect(curve!.data.map((d) => (typeof d === 'number' ? 0 : d.symbolSize))).toEqual([5, 5, 5, 10]);
    expect(target!.name).toBe('目标 90%');
    expect(target!.data).toEqual([90, 90, 90, 90]);
  });
});
