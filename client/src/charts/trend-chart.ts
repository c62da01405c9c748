// Daily disputes over a period: a line with its area, days labelled as the UI language writes them.

import type { EChartsCoreOption } from 'echarts/core';
import type { Lang } from '../../../server/domain/labels';
import { formatDayKey } from '../format';
import type { ChartStyle } from './chart-theme';

/** @param rows counts by China-time day key "YYYY-MM-DD" (events.stats grouped by day), in day order. */
export function trendChartOption(rows: readonly { key: string; count: number }[], style: ChartStyle, lang: Lang): EChartsCoreOption {
  return {
    animation: false,
    grid: { left: style.fontSize * 3, right: style.fontSize, top: style.fontSize, bottom: style.fontSize * 2 },
    tooltip: { trigger: 'axis' },
    xAxis: {
      type: 'category',
      data: rows.map((row) => formatDayKey(row.key, lang)),
      axisLabel: { color: style.muted, fontSize: style.fontSize * 0.85 },
      axisLine: { lineStyle: { color: style.axis } },
    },
    yAxis: {
      type: 'value',
      minInterval: 1,
      axisLabel: { color: style.muted, fontSize: style.fontSize * 0.85 },
      splitLine: { lineStyle: { color: style.split } },
    },
    series: [
      {
        type: 'line',
        data: rows.map((row) => row.count),
        smooth: true,
        showSymbol: false,
        lineStyle: { width: Math.max(2, style.fontSize / 6), color: style.palette[0] },
        areaStyle: { color: style.palette[0], opacity: 0.18 },
      },
    ],
  };
}
