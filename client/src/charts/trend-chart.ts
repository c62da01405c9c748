// Daily disputes over a period: a line with its area, days labelled as the UI language writes them. A
// day still under way (today) is drawn as partial: a dashed segment to a hollow point with no area, named
// in a legend ("今日（截至14:05）"), so its low count does not read as a collapse.

import type { EChartsCoreOption } from 'echarts/core';
import type { Lang } from '../../../server/domain/labels';
import { formatDayKey } from '../format';
import type { ChartStyle } from './chart-theme';

/** The day still under way: its key and its name in the legend ("今日（截至14:05）"). */
export interface PartialDay {
  key: string;
  label: string;
}

/** ECharts' gap in a line series. */
const GAP = '-';

/**
 * @param rows counts by China-time day key "YYYY-MM-DD" (events.stats grouped by day), in day order.
 * @param partial the day under way; drawn as partial when it is the last row.
 */
export function trendChartOption(
  rows: readonly { key: string; count: number }[],
  style: ChartStyle,
  lang: Lang,
  partial: PartialDay | null = null,
): EChartsCoreOption {
  const last = rows.length - 1;
  const partialIndex = partial !== null && last >= 0 && rows[last]!.key === partial.key ? last : -1;
  const color = style.palette[0];
  const lineWidth = Math.max(2, style.fontSize / 6);
  // Always two series, the second all gaps without a day under way: the chart merges a new option into
  // the last, so a series must never disappear.
  const series = [
    {
      type: 'line',
      name: 'whole',
      data: rows.map((row, i) => (i === partialIndex ? GAP : row.count)),
      smooth: true,
      showSymbol: false,
      lineStyle: { width: lineWidth, color },
      areaStyle: { color, opacity: 0.18 },
    },
    {
      type: 'line',
      name: partialIndex >= 0 ? partial!.label : 'partial',
      data: rows.map((row, i) => (i === partialIndex ? row.count : i === partialIndex - 1 ? { value: row.count, symbol: 'none' } : GAP)),
      showSymbol: true,
      // Not only at the axis labels' days ('auto'): today's point whichever day it is.
      showAllSymbol: true,
      // Hollow: a ring in the line's colour with nothing inside (also the legend's icon).
      symbol: 'circle',
      symbolSize: style.fontSize * 0.9,
      itemStyle: { color: 'rgba(0, 0, 0, 0)', borderColor: color, borderWidth: lineWidth },
      lineStyle: { width: lineWidth, color, type: 'dashed' },
      tooltip: { show: false },
    },
  ];
  return {
    animation: false,
    grid: { left: style.fontSize * 3, right: style.fontSize, top: style.fontSize * (partialIndex >= 0 ? 1.8 : 1), bottom: style.fontSize * 2 },
    tooltip: { trigger: 'axis' },
    legend: {
      show: partialIndex >= 0,
      data: partialIndex >= 0 ? [partial!.label] : [],
      right: style.fontSize,
      top: 0,
      itemHeight: style.fontSize * 0.9,
      itemWidth: style.fontSize * 2,
      textStyle: { color: style.muted, fontSize: style.fontSize * 0.85 },
      selectedMode: false,
    },
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
    series,
  };
}
