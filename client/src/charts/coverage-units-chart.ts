// Coverage rate by unit against a target: one bar per unit (lowest first, so the units furthest from the
// target lead), bars coloured by the map's rate classes, the target as a dashed line across the bars.

import type { EChartsCoreOption } from 'echarts/core';
import type { ChartStyle } from './chart-theme';

export interface UnitRate {
  name: string;
  /** Coverage rate 0…1; null: no residents (left out). */
  rate: number | null;
}

export interface CoverageUnitsChartOptions {
  /** Target rate 0…1 drawn as a line. */
  target: number;
  /** Units shown at most (the lowest rates). */
  limit: number;
  /** "目标", "Target". */
  targetLabel: string;
  /** CSS colour of a rate (the map's class colour). */
  colorOf: (rate: number) => string;
}

/** Percent with one decimal, as a number (ECharts labels). */
const percent = (rate: number): number => Math.round(rate * 1000) / 10;

export function coverageUnitsChartOption(units: readonly UnitRate[], style: ChartStyle, options: CoverageUnitsChartOptions): EChartsCoreOption {
  const rated = units.filter((unit): unit is { name: string; rate: number } => unit.rate !== null);
  const shown = rated.sort((a, b) => a.rate - b.rate).slice(0, options.limit);
  const target = percent(options.target);
  return {
    animation: false,
    grid: { left: style.fontSize * 0.5, right: style.fontSize * 5, top: style.fontSize * 1.8, bottom: style.fontSize * 0.5, containLabel: true },
    tooltip: { trigger: 'axis', valueFormatter: (value: unknown) => `${String(value)}%` },
    xAxis: {
      type: 'category',
      data: shown.map((unit) => unit.name),
      axisLabel: { color: style.text, fontSize: style.fontSize * 0.8, rotate: shown.length > 6 ? 45 : 0, interval: 0 },
      axisTick: { show: false },
    },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { color: style.muted, formatter: '{value}%' }, splitLine: { lineStyle: { color: style.split } } },
    series: [
      {
        type: 'bar',
        data: shown.map((unit) => ({ value: percent(unit.rate), itemStyle: { color: options.colorOf(unit.rate) } })),
        barMaxWidth: style.fontSize * 2,
      },
      {
        type: 'line',
        name: options.targetLabel,
        data: shown.map(() => target),
        symbol: 'none',
        lineStyle: { type: 'dashed', color: style.text, width: 1.5 },
        endLabel: { show: true, formatter: `${options.targetLabel} ${target}%`, color: style.text, fontSize: style.fontSize * 0.8 },
        tooltip: { show: false },
      },
    ],
  };
}
