// Disputes by type: horizontal bars, largest first, each type named in the UI language (server/domain).

import type { EChartsCoreOption } from 'echarts/core';
import { DISPUTE_TYPES, categoryLabel } from '../../../server/domain/dispute-categories';
import type { Lang } from '../../../server/domain/labels';
import type { ChartStyle } from './chart-theme';

/** @param rows counts by dispute type key (events.stats grouped by type); types without cases are left out. */
export function typeChartOption(rows: readonly { key: string; count: number }[], style: ChartStyle, lang: Lang): EChartsCoreOption {
  const sorted = [...rows].filter((row) => row.count > 0).sort((a, b) => a.count - b.count);
  return {
    animation: false,
    grid: { left: style.fontSize * 6.5, right: style.fontSize * 3, top: style.fontSize * 0.5, bottom: style.fontSize * 0.5 },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'value', show: false },
    yAxis: {
      type: 'category',
      data: sorted.map((row) => categoryLabel(DISPUTE_TYPES, row.key, lang)),
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
