// Units ranked by disputes per 10,000 residents: the highest at the top, the rate's unit in the tooltip.

import type { EChartsCoreOption } from 'echarts/core';
import type { ChartStyle } from './chart-theme';

export interface RankedUnit {
  name: string;
  /** Disputes per 10,000 residents in the period. */
  rate: number;
}

export interface RankingChartOptions {
  /** Units shown (the highest rates). */
  limit: number;
  /** The rate's unit in the UI language ("件/万人", "per 10k"). */
  rateUnit: string;
  /** Between a unit's name and its rate in the tooltip ("：", ": "). */
  colon: string;
}

export function rankingChartOption(units: readonly RankedUnit[], style: ChartStyle, options: RankingChartOptions): EChartsCoreOption {
  const { limit } = options;
  const top = [...units].sort((a, b) => b.rate - a.rate).slice(0, limit).reverse();
  return {
    animation: false,
    grid: { left: style.fontSize * 6.5, right: style.fontSize * 3.5, top: style.fontSize * 0.5, bottom: style.fontSize * 0.5 },
    tooltip: { trigger: 'item', formatter: `{b}${options.colon}{c} ${options.rateUnit}` },
    xAxis: { type: 'value', show: false },
    yAxis: {
      type: 'category',
      data: top.map((unit) => unit.name),
      axisLabel: { color: style.text, fontSize: style.fontSize * 0.9 },
      axisLine: { show: false },
      axisTick: { show: false },
    },
    series: [
      {
        type: 'bar',
        data: top.map((unit) => Number(unit.rate.toFixed(1))),
        barWidth: '60%',
        itemStyle: { color: style.palette[3] },
        label: { show: true, position: 'right', color: style.text, fontSize: style.fontSize * 0.85 },
      },
    ],
  };
}
