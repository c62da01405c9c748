// The dispute workflow as a funnel: how many of the period's cases reached each stage
// (登记受理 → 派送交办 → 签收 → 现场处置 → 结果反馈 → 治理复查 → 办结).

import type { EChartsCoreOption } from 'echarts/core';
import type { ChartStyle } from './chart-theme';

/** Status keys in workflow order with their Chinese stage names. */
export const WORKFLOW_STAGES: readonly { status: string; label: string }[] = [
  { status: 'reported', label: '登记受理' },
  { status: 'assigned', label: '派送交办' },
  { status: 'accepted', label: '签收受理' },
  { status: 'handled', label: '现场处置' },
  { status: 'feedback', label: '结果反馈' },
  { status: 'reviewed', label: '治理复查' },
  { status: 'closed', label: '办结' },
];

/** Cases that reached each stage: those now at that status or any later one. */
export function reachedByStage(statusCounts: readonly { key: string; count: number }[]): number[] {
  const at = WORKFLOW_STAGES.map((stage) => statusCounts.find((row) => row.key === stage.status)?.count ?? 0);
  const reached = new Array<number>(at.length).fill(0);
  let running = 0;
  for (let i = at.length - 1; i >= 0; i--) {
    running += at[i]!;
    reached[i] = running;
  }
  return reached;
}

export function funnelChartOption(statusCounts: readonly { key: string; count: number }[], style: ChartStyle): EChartsCoreOption {
  const reached = reachedByStage(statusCounts);
  return {
    animation: false,
    tooltip: { trigger: 'item', formatter: '{b}：{c}' },
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
        data: WORKFLOW_STAGES.map((stage, index) => ({
          name: stage.label,
          value: reached[index]!,
          itemStyle: { color: style.palette[index % style.palette.length] },
        })),
      },
    ],
  };
}
