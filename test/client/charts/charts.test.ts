// The chart builders: series data and axis labels from the API's rows, vocabulary named from server/domain
// in the UI language (no Chinese in an English chart), empty data, and the theme's type scaling.

import { describe, expect, it } from 'vitest';
import { DISPUTE_STATUSES, DISPUTE_STATUS_LABELS } from '../../../server/domain/dispute-workflow';
import { chartStyle } from '../../../client/src/charts/chart-theme';
import { funnelChartOption, reachedByStage } from '../../../client/src/charts/funnel-chart';
import { rankingChartOption } from '../../../client/src/charts/ranking-chart';
import { trendChartOption } from '../../../client/src/charts/trend-chart';
import { typeChartOption } from '../../../client/src/charts/type-chart';

const CJK = /[\u3400-\u9fff]/;
const style = chartStyle('dark', 1920);

/** The first series and the axes of an option, read loosely (EChartsCoreOption is an open record). */
interface Read {
  series: { data: ({ name?: string; value: number } | number)[]; label?: { formatter?: string } }[];
  yAxis?: { data: string[] };
  xAxis?: { data: string[] };
  tooltip: { formatter?: string };
}
const read = (option: unknown): Read => option as Read;

describe('chartStyle', () => {
  it('scales type with the display width from 1920 px, within 0.8× … 4×', () => {
    expect(chartStyle('dark', 1920).fontSize).toBe(13);
    expect(chartStyle('dark', 3840).fontSize).toBe(26);
    expect(chartStyle('light', 100).fontSize).toBe(Math.round(12 * 0.8));
    expect(chartStyle('light', 20_000).fontSize).toBe(48);
  });
});

describe('funnelChartOption', () => {
  const counts = [
    { key: 'reported', count: 5 },
    { key: 'accepted', count: 3 },
    { key: 'closed', count: 10 },
    { key: 'unknown', count: 99 },
  ];

  it('counts the cases that reached each stage: those at it or any later one', () => {
    expect(reachedByStage(counts)).toEqual([18, 13, 13, 10, 10, 10, 10]);
    expect(reachedByStage([])).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('names the stages in workflow order from the domain labels, in the language asked for', () => {
    const en = read(funnelChartOption(counts, style, 'en'));
    expect(en.series[0]!.data.map((d) => (d as { name: string }).name)).toEqual(DISPUTE_STATUSES.map((s) => DISPUTE_STATUS_LABELS[s].en));
    expect(en.series[0]!.data.map((d) => (d as { value: number }).value)).toEqual([18, 13, 13, 10, 10, 10, 10]);
    expect(JSON.stringify(en)).not.toMatch(CJK);
    const zh = read(funnelChartOption(counts, style, 'zh'));
    expect((zh.series[0]!.data[0] as { name: string }).name).toBe('登记受理');
    expect((zh.series[0]!.data[6] as { name: string }).name).toBe(DISPUTE_STATUS_LABELS.closed.zh);
  });
});

describe('typeChartOption', () => {
  const rows = [
    { key: 'property', count: 7, label: '物业管理' },
    { key: 'neighbour', count: 12, label: '邻里纠纷' },
    { key: 'wages', count: 0, label: '劳资纠纷' },
    { key: 'family', count: 3, label: '婚姻家庭' },
  ];

  it('bars the types with cases, largest at the top (last), named from the domain in English', () => {
    const option = read(typeChartOption(rows, style, 'en'));
    expect(option.yAxis!.data).toEqual(['Marriage and family', 'Property management', 'Neighbours']);
    expect(option.series[0]!.data.map((d) => (d as { value: number }).value)).toEqual([3, 7, 12]);
    // The server's Chinese `label` field is not used.
    expect(JSON.stringify(option)).not.toMatch(CJK);
  });

  it('names them in Chinese for zh, and shows an unknown key as it is', () => {
    const option = read(typeChartOption([...rows, { key: 'mystery', count: 1, label: '?' }], style, 'zh'));
    expect(option.yAxis!.data).toEqual(['mystery', '婚姻家庭', '物业管理', '邻里纠纷']);
  });

  it('has no bars for a period without cases', () => {
    const option = read(typeChartOption([{ key: 'land', count: 0 }], style, 'en'));
    expect(option.yAxis!.data).toEqual([]);
    expect(option.series[0]!.data).toEqual([]);
  });
});

describe('rankingChartOption', () => {
  const units = [
    { name: 'A', rate: 1.04 },
    { name: 'B', rate: 9.96 },
    { name: 'C', rate: 4.25 },
    { name: 'D', rate: 7 },
  ];

  it('keeps the `limit` highest rates, highest at the top (last), rounded to 0.1', () => {
    const option = read(rankingChartOption(units, style, { limit: 3, rateUnit: 'per 10k', colon: ': ' }));
    expect(option.yAxis!.data).toEqual(['C', 'D', 'B']);
    expect(option.series[0]!.data).toEqual([4.3, 7, 10]);
    expect(option.tooltip.formatter).toBe('{b}: {c} per 10k');
  });

  it('leaves the input order alone and charts nothing for no units', () => {
    const copy = units.map((unit) => ({ ...unit }));
    rankingChartOption(copy, style, { limit: 2, rateUnit: '件/万人', colon: '：' });
    expect(copy).toEqual(units);
    const empty = read(rankingChartOption([], style, { limit: 8, rateUnit: 'per 10k', colon: ': ' }));
    expect(empty.yAxis!.data).toEqual([]);
    expect(empty.series[0]!.data).toEqual([]);
  });
});

describe('trendChartOption', () => {
  const rows = [
    { key: '2026-10-30', count: 4 },
    { key: '2026-10-31', count: 0 },
    { key: '2026-11-01', count: 9 },
  ];

  it('plots the daily counts with the days written as the language writes them', () => {
    const en = read(trendChartOption(rows, style, 'en'));
    expect(en.xAxis!.data).toEqual(['30 Oct', '31 Oct', '1 Nov']);
    expect(en.series[0]!.data).toEqual([4, 0, 9]);
    expect(read(trendChartOption(rows, style, 'zh')).xAxis!.data).toEqual(['10/30', '10/31', '11/01']);
  });

  it('charts an empty period as empty series', () => {
    const option = read(trendChartOption([], style, 'zh'));
    expect(option.xAxis!.data).toEqual([]);
    expect(option.series[0]!.data).toEqual([]);
    expect(read(trendChartOption([], style, 'zh', { key: '2026-11-01', label: '今日' })).series[1]!.data).toEqual([]);
  });

  it('draws the day under way as partial: the whole days solid with their area, today a dashed segment to a hollow point, named in a legend', () => {
    const option = trendChartOption(rows, style, 'zh', { key: '2026-11-01', label: '今日（截至14:05）' }) as unknown as {
      series: { name: string; data: unknown[]; symbol?: string; itemStyle?: { color: string }; lineStyle: { type?: string }; areaStyle?: object }[];
      legend: { show: boolean; data: string[] };
    };
    const [whole, partial] = option.series;
    expect(option.series).toHaveLength(2);
    expect(whole!.data).toEqual([4, 0, '-']);
    expect(whole!.areaStyle).toBeDefined();
    expect(whole!.lineStyle.type).toBeUndefined();
    // The segment joins the last whole day to today, so the line continues but reads as unfinished.
    expect(partial!.data[0]).toBe('-');
    expect(partial!.data[1]).toEqual({ value: 0, symbol: 'none' });
    expect(partial!.data[2]).toBe(9);
    expect(partial!.symbol).toBe('circle');
    expect(partial!.itemStyle!.color).toBe('rgba(0, 0, 0, 0)');
    expect(partial!.lineStyle.type).toBe('dashed');
    expect(partial!.areaStyle).toBeUndefined();
    expect(partial!.name).toBe('今日（截至14:05）');
    expect(option.legend).toMatchObject({ show: true, data: ['今日（截至14:05）'] });
  });

  it('draws every day whole when the last row is not the day under way', () => {
    // Two series always (a new option is merged into the last): the second all gaps.
    const option = read(trendChartOption(rows, style, 'en', { key: '2026-11-02', label: 'Today to 00:05' }));
    expect(option.series[0]!.data).toEqual([4, 0, 9]);
    expect(option.series[1]!.data).toEqual(['-', '-', '-']);
    expect(read(trendChartOption(rows, style, 'en')).series[1]!.data).toEqual(['-', '-', '-']);
    expect((trendChartOption(rows, style, 'en') as { legend: { show: boolean } }).legend.show).toBe(false);
  });
});
