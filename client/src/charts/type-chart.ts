// Disputes by type: horizontal bars, largest first, labelled in Chinese.

import type { EChartsCoreOption } from 'echarts/core';
import type { ChartStyle } from './chart-theme';

export function typeChartOption(rows: readonly { key: string; label: string; count: number }[], style: ChartStyle): EChartsCoreOption {
  const sorted = [...rows].filter((row) => row.count > 0).sort((a, b) => a.count - b.count);
  return {
    animation: false,
    grid: { left: style.fontSize * 6.5, right: style.fontSize * 3, top: style.fontSize * 0.5, bottom: style.fontSize * 0.5 },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'value', show: false },
    yAxis: {
      type: 'category',
      data: sorted.map((row) => row.label),
      axisLabel: { color: style.text, fontSize: style.fontSize * 0.9 },
      axisLine: { show: false },
      axisTick: { show: false },
    },
    series: [
      {
        type: 'bar',
        data: sorted.map((row, index) => ({ value: row.count, itemStyle: { color: style.palette[(sorted.length - 1 - index) % style.palette.length] } })),
        barWidth: '60%',
        label: { show: true, position: 'right', color: style.text, fontSize: style.fontSize * 0.85 },
      },
    ],
  };
}
