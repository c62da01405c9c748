// The marginal-gain curve of a site selection: coverage after 1…N new sites (the proposals' cumulative
// covered residents, in rank order, from the current coverage at 0) against a target line, and the
// number of sites that first reaches the target ("how many stations reach 90 %?").

import type { EChartsCoreOption } from 'echarts/core';
import type { ChartStyle } from './chart-theme';

/** What the curve reads of a proposal (plan.optimize answers more). */
export interface MarginalGainPoint {
  rank: number;
  /** Residents covered with this proposal and every one ranked before it (existing facilities included). */
  cumulativeCoveredPopulation: number;
}

export interface MarginalGainChartOptions {
  /** Residents of the area (the rates' denominator). */
  population: number;
  /** Residents covered before any new site. */
  coveredBefore: number;
  /** The target share 0…1 drawn as a line (0.9). */
  targetRate: number;
  /** Axis and series names in the UI language. */
  labels: { sites: string; coverage: string; target: string };
}

/** Coverage share 0…1 after k = 0…N new sites (index k), in rank order. */
export function coverageBySiteCount(proposals: readonly MarginalGainPoint[], population: number, coveredBefore: number): number[] {
  const shares = [population > 0 ? coveredBefore / population : 0];
  const ranked = [...proposals].sort((a, b) => a.rank - b.rank);
  for (const proposal of ranked) shares.push(population > 0 ? proposal.cumulativeCoveredPopulation / population : 0);
  return shares;
}

/** The fewest new sites whose coverage reaches `targetRate` (0 when it is already reached), or null if none does. */
export function sitesToReachTarget(shares: readonly number[], targetRate: number): number | null {
  // A tolerance of 1e-9 so a share equal to the target after rounding counts as reached.
  const index = shares.findIndex((share) => share >= targetRate - 1e-9);
  return index === -1 ? null : index;
}

export function marginalGainChartOption(proposals: readonly MarginalGainPoint[], style: ChartStyle, options: MarginalGainChartOptions): EChartsCoreOption {
  const shares = coverageBySiteCount(proposals, options.population, options.coveredBefore);
  const counts = shares.map((_, k) => String(k));
  const percent = (share: number) => Math.round(share * 1000) / 10;
  const reached = sitesToReachTarget(shares, options.targetRate);
  return {
    animation: false,
    grid: { left: style.fontSize * 3.5, right: style.fontSize, top: style.fontSize * 2, bottom: style.fontSize * 3 },
    legend: { top: 0, textStyle: { color: style.text, fontSize: style.fontSize * 0.9 }, data: [options.labels.coverage, options.labels.target] },
    tooltip: { trigger: 'axis', valueFormatter: (value: unknown) => `${String(value)}%` },
    xAxis: {
      type: 'category',
      data: counts,
      name: options.labels.sites,
      nameLocation: 'middle',
      nameGap: style.fontSize * 1.6,
      nameTextStyle: { color: style.muted, fontSize: style.fontSize * 0.9 },
      axisLabel: { color: style.text, fontSize: style.fontSize * 0.9 },
      axisLine: { lineStyle: { color: style.axis } },
    },
    yAxis: {
      type: 'value',
      max: 100,
      min: (value: { min: number }) => Math.max(0, Math.floor(Math.min(value.min, percent(options.targetRate)) / 10) * 10 - 10),
      axisLabel: { color: style.text, fontSize: style.fontSize * 0.9, formatter: '{value}%' },
      splitLine: { lineStyle: { color: style.split } },
    },
    series: [
      {
        name: options.labels.coverage,
        type: 'line',
        data: shares.map((share, k) => ({
          value: percent(share),
          // The first count that reaches the target stands out.
          symbolSize: k === reached ? 10 : 5,
          itemStyle: k === reached ? { color: style.palette[3] } : undefined,
        })),
        lineStyle: { color: style.palette[0], width: 2 },
        itemStyle: { color: style.palette[0] },
      },
      {
        name: options.labels.target,
        type: 'line',
        data: shares.map(() => percent(options.targetRate)),
        symbol: 'none',
        lineStyle: { color: style.palette[3], type: 'dashed', width: 1.5 },
        itemStyle: { color: style.palette[3] },
      },
    ],
  };
}
