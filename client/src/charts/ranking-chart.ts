// Units ranked by disputes per 10,000 residents: the highest at the top.

import type { EChartsCoreOption } from 'echarts/core';
import type { ChartStyle } from './chart-theme';

export interface RankedUnit {
  name: string;
  /** Disputes per 10,000 residents in the period. */
  rate: number;
}

export function rankingChartOption(units: readonly RankedUnit[], style: ChartStyle, limit = 10): EChartsCoreOption {
  const top = [...units].sort((a, b) => b.rate - a.rate).slice(0, limit).reverse();
  return {
    animation: false,
    grid: { left: style.fontSize * 6.5, right: style.fontSize * 3.5, top: style.fontSize * 0.5, bottom: style.fontSize * 0.5 },
    tooltip: { trigger: 'item', formatter: '{b}：{c} 件/万人' },
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
