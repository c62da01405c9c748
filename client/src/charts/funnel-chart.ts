// The dispute workflow as a funnel: how many of the period's cases reached each stage, the statuses in
// workflow order (登记受理 → 派送交办 → 签收受理 → 现场处置 → 结果反馈 → 治理复查 → 办结归档), named in the UI language.

import type { EChartsCoreOption } from 'echarts/core';
import { DISPUTE_STATUSES, DISPUTE_STATUS_LABELS } from '../../../server/domain/dispute-workflow';
import type { Lang } from '../../../server/domain/labels';
import type { ChartStyle } from './chart-theme';

/** Cases that reached each status of DISPUTE_STATUSES: those now at that status or any later one. */
export function reachedByStage(statusCounts: readonly { key: string; count: number }[]): number[] {
  const at = DISPUTE_STATUSES.map((status) => statusCounts.find((row) => row.key === status)?.count ?? 0);
  const reached = new Array<number>(at.length).fill(0);
  let running = 0;
  for (let i = at.length - 1; i >= 0; i--) {
    running += at[i]!;
    reached[i] = running;
  }
  return reached;
}

export function funnelChartOption(statusCounts: readonly { key: string; count: number }[], style: ChartStyle, lang: Lang): EChartsCoreOption {
  const reached = reachedByStage(statusCounts);
  return {
    animation: false,
    tooltip: { trigger: 'item', formatter: lang === 'zh' ? '{b}：{c}' : '{b}: {c}' },
    series: [
      {
        type: 'funnel',
        left: '4%',
        width: '58%',
        top: style.fontSize * 0.5,
        bottom: style.fontSize * 0.5,
        sort: 'none',
        minSize: '20%',
        gap: 2,
        label: { position: 'right', color: style.text, fontSize: style.fontSize * 0.9, formatter: '{b} {c}' },
        labelLine: { length: style.fontSize * 0.6, lineStyle: { color: style.axis } },
        itemStyle: { borderWidth: 0 },
        data: DISPUTE_STATUSES.map((status, index) => ({
          name: DISPUTE_STATUS_LABELS[status][lang],
          value: reached[index]!,
          itemStyle: { color: style.palette[index % style.palette.length] },
        })),
      },
    ],
  };
}
