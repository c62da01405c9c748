// The KPI sparkline's geometry (complete slices as one line, the slices still running drawn apart from
// the last complete point, gaps for missing values, the target on the same scale) and the KPI trend
// chart's option (shares in per cent, cases as bars, running slices pale, the target dashed).

import { describe, expect, it } from 'vitest';
import { sparklineGeometry } from '../../client/src/charts/sparkline';
import { kpiTrendChartOption, sliceLabel } from '../../client/src/charts/kpi-trend-chart';
import { chartStyle } from '../../client/src/charts/chart-theme';
import { MS_PER_DAY, chinaDayStartMs } from '../../server/domain/china-time';

const box = { width: 100, height: 20, padding: 0 };
const point = (value: number | null, partial = false) => ({ value, partial });

describe('sparklineGeometry', () => {
  it('draws complete slices as one line scaled to the box, the highest value at the top', () => {
    const g = sparklineGeometry([point(0), point(5), point(10)], box);
    expect(g.line).toBe('M0 20L50 10L100 0');
    expect(g.partialLine).toBe('');
    expect(g.last).toEqual({ x: 100, y: 0 });
    expect([g.min, g.max]).toEqual([0, 10]);
  });

  it('draws a running last slice apart, continuing from the last complete point', () => {
    const g = sparklineGeometry([point(0), point(10), point(4, true)], box);
    expect(g.line).toBe('M0 20L50 0');
    expect(g.partialLine).toBe('M50 0L100 12');
    expect(g.last).toEqual({ x: 100, y: 12 });
  });

  it('leaves a gap where a value is missing and starts a new line after it', () => {
    const g = sparklineGeometry([point(0), point(null), point(10), point(5)], { ...box, width: 90 });
    expect(g.line).toBe('M0 20M60 0L90 10');
  });

  it('puts the target on the same scale (so a series below it shows below the line) and can start at zero', () => {
    const g = sparklineGeometry([point(0.6), point(0.7)], { ...box, target: 0.8 });
    expect([g.min, g.max]).toEqual([0.6, 0.8]);
    expect(g.targetY).toBe(0);
    const counts = sparklineGeometry([point(40), point(50)], { ...box, zeroBased: true });
    expect(counts.min).toBe(0);
    expect(counts.line).toBe('M0 4L100 0');
  });

  it('draws a flat series mid-box, a single point centred and nothing for no values', () => {
    expect(sparklineGeometry([point(0), point(0)], box).line).toBe('M0 20L100 20');
    const flat = sparklineGeometry([point(5), point(5)], box);
    expect(flat.line).toBe('M0 10L100 10');
    expect(sparklineGeometry([point(3)], box).last).toEqual({ x: 50, y: 10 });
    const none = sparklineGeometry([], box);
    expect([none.line, none.partialLine, none.last]).toEqual(['', '', null]);
  });
});

describe('kpiTrendChartOption', () => {
  const day = (d: number) => chinaDayStartMs({ year: 2026, month: 10, day: d });
  const slices = [
    { from: day(1), to: day(2), value: 0.5, partial: false },
    { from: day(2), to: day(3), value: null, partial: false },
    { from: day(3), to: day(3) + MS_PER_DAY / 2, value: 0.25, partial: true },
  ];
  const style = chartStyle('light', 1700);

  it('draws shares as a line in per cent with the running slice pale and the target dashed', () => {
    const option = kpiTrendChartOption(slices, style, { unit: 'share', target: 0.8, label: '化解率', targetLabel: '目标 ≥ 80.0%', lang: 'zh' }) as {
      series: { type: string; data: { value: number | null; itemStyle: { opacity: number } }[] | (number | null)[]; lineStyle?: { type?: string } }[];
      xAxis: { data: string[] };
    };
    const [values, target] = option.series;
    expect(values!.type).toBe('line');
    expect((values!.data as { value: number | null; itemStyle: { opacity: number } }[]).map((d) => [d.value, d.itemStyle.opacity])).toEqual([
      [50, 1],
      [null, 1],
      [25, 0.45],
    ]);
    expect(target!.data).toEqual([80, 80, 80]);
    expect(target!.lineStyle?.type).toBe('dashed');
    expect(option.xAxis.data).toEqual(['10月1日', '10月2日', '10月3日']);
  });

  it('draws cases as bars without a target line when there is none', () => {
    const option = kpiTrendChartOption(
      slices.map((s, i) => ({ ...s, value: i * 10 })),
      style,
      { unit: 'cases', target: null, label: 'Disputes', targetLabel: 'no target', lang: 'en' },
    ) as { series: { type: string }[] };
    expect(option.series.map((s) => s.type)).toEqual(['bar']);
  });

  it('labels a month-long slice by its month, China time', () => {
    const october = { from: chinaDayStartMs({ year: 2026, month: 10, day: 1 }), to: chinaDayStartMs({ year: 2026, month: 11, day: 1 }) };
    expect(sliceLabel(october, 'zh')).toBe('2026年10月');
    expect(sliceLabel(october, 'en')).toBe('Oct 2026');
    expect(sliceLabel({ from: october.from, to: october.from + 7 * MS_PER_DAY }, 'en')).toBe('1 Oct');
  });
});
