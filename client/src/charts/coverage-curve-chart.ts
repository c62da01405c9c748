// Coverage as a function of walking minutes (coverage.curve): the share of residents within t minutes of a
// facility of the kind for t = 5 … 30, with the minutes on the map marked; never falls as t rises.

import type { EChartsCoreOption } from 'echarts/core';
import type { ChartStyle } from './chart-theme';

export interface CurvePoint {
  minutes: number;
  coveredPopulation: number;
  /** 0…1; null: no residents (the point is left empty). */
  coverageRate: number | null;
}

export interface CoverageCurveChartOptions {
  /** The minutes shown on the map (its point is drawn larger). */
  selectedMinutes: number;
  /** "分钟", "min". */
  minutesUnit: string;
  /** Target rate 0…1, drawn dashed; null: none. */
  target: number | null;
}

export function coverageCurveChartOption(points: readonly CurvePoint[], style: ChartStyle, options: CoverageCurveChartOptions): EChartsCoreOption {
  const sorted = [...points].sort((a, b) => a.minutes - b.minutes);
  const minutes = sorted.map((point) => point.minutes);
  const target = options.target === null ? null : Math.round(options.target * 1000) / 10;
  return {
    animation: false,
    grid: { left: style.fontSize * 0.5, right: style.fontSize * 3, top: style.fontSize * 1.2, bottom: style.fontSize * 0.5, containLabel: true },
    tooltip: { trigger: 'axis', valueFormatter: (value: unknown) => `${String(value)}%` },
    xAxis: {
      type: 'category',
      data: minutes.map((m) => `${m}`),
      name: options.minutesUnit,
      nameTextStyle: { color: style.muted },
      axisLabel: { color: style.text, fontSize: style.fontSize * 0.85 },
    },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { color: style.muted, formatter: '{value}%' }, splitLine: { lineStyle: { color: style.split } } },
    series: [
      {
        type: 'line',
        data: sorted.map((point) => ({
          value: point.coverageRate === null ? null : Math.round(point.coverageRate * 1000) / 10,
          symbolSize: point.minutes === options.selectedMinutes ? style.fontSize : style.fontSize * 0.45,
        })),
        lineStyle: { color: style.palette[0], width: 2 },
        itemStyle: { color: style.palette[0] },
        areaStyle: { opacity: 0.12, color: style.palette[0] },
      },
      ...(target === null
        ? []
        : [{ type: 'line', data: minutes.map(() => target), symbol: 'none', lineStyle: { type: 'dashed', color: style.text, width: 1 }, tooltip: { show: false } }]),
    ],
  };
}
