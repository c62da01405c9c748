// One KPI over its slices: shares as a line in per cent, cases as bars, the target as a dashed line,
// slices still running drawn pale; slices labelled by month or by their first day, China time.

import type { EChartsCoreOption } from 'echarts/core';
import { MS_PER_DAY, chinaDateOf } from '../../../server/domain/china-time';
import type { Lang } from '../../../server/domain/labels';
import type { ChartStyle } from './chart-theme';

export interface KpiSlice {
  /** ms since epoch; [from, to). */
  from: number;
  to: number;
  value: number | null;
  partial: boolean;
}

export interface KpiTrendOptions {
  unit: 'share' | 'cases';
  target: number | null;
  /** The KPI's name and the target's, in the UI language (series names in the tooltip). */
  label: string;
  targetLabel: string;
  lang: Lang;
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A slice's axis label: "2026年10月" / "Oct 2026" for a month or longer, else its first day "10月5日" / "5 Oct". */
export function sliceLabel(slice: Pick<KpiSlice, 'from' | 'to'>, lang: Lang): string {
  const { year, month, day } = chinaDateOf(slice.from);
  if (slice.to - slice.from >= 27 * MS_PER_DAY) return lang === 'zh' ? `${year}年${month}月` : `${EN_MONTHS[month - 1]} ${year}`;
  return lang === 'zh' ? `${month}月${day}日` : `${day} ${EN_MONTHS[month - 1]}`;
}

export function kpiTrendChartOption(slices: readonly KpiSlice[], style: ChartStyle, options: KpiTrendOptions): EChartsCoreOption {
  const share = options.unit === 'share';
  // Shares in per cent with one decimal, cases as they are.
  const scaled = (value: number | null): number | null => (value === null ? null : share ? Math.round(value * 1000) / 10 : value);
  const color = style.palette[0]!;
  const data = slices.map((slice) => ({
    value: scaled(slice.value),
    itemStyle: { color, opacity: slice.partial ? 0.45 : 1 },
  }));
  const series: object[] = [
    share
      ? { type: 'line', name: options.label, data, connectNulls: false, symbolSize: 6, lineStyle: { width: 2.5, color }, itemStyle: { color } }
      : { type: 'bar', name: options.label, data, barMaxWidth: 28 },
  ];
  if (options.target !== null) {
    series.push({
      type: 'line',
      name: options.targetLabel,
      data: slices.map(() => scaled(options.target)),
      symbol: 'none',
      lineStyle: { type: 'dashed', width: 1.5, color: style.palette[3] },
      itemStyle: { color: style.palette[3] },
    });
  }
  return {
    animation: false,
    grid: { left: style.fontSize * 3.5, right: style.fontSize, top: style.fontSize * 2.2, bottom: style.fontSize * 2.2 },
    legend: { top: 0, textStyle: { color: style.text, fontSize: style.fontSize } },
    tooltip: { trigger: 'axis', valueFormatter: share ? (value: unknown) => (value === null || value === undefined ? '—' : `${String(value)}%`) : undefined },
    xAxis: {
      type: 'category',
      data: slices.map((slice) => sliceLabel(slice, options.lang)),
      axisLabel: { color: style.muted, fontSize: style.fontSize * 0.9 },
      axisLine: { lineStyle: { color: style.axis } },
    },
    yAxis: {
      type: 'value',
      min: share ? (extent: { min: number }) => Math.max(0, Math.floor(extent.min - 5)) : 0,
      max: share ? 100 : undefined,
      minInterval: share ? undefined : 1,
      axisLabel: { color: style.muted, fontSize: style.fontSize * 0.9, formatter: share ? '{value}%' : '{value}' },
      splitLine: { lineStyle: { color: style.split } },
    },
    series,
  };
}
