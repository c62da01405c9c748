// The command desk's own strings, Chinese first (bundled with /desk only). Vocabulary names (types,
// sources, statuses, actions, levels, outcomes) come from server/domain labels.

import type { DeskColumn } from '../../../../server/domain/desk-columns';
import type { Lang } from '../../i18n';

export type HandlerKind = 'grid' | 'community' | 'street' | 'county';

interface DeskText {
  title: string;
  queue: string;
  columns: Record<DeskColumn | 'all', string>;
  filters: string;
  type: string;
  source: string;
  level: string;
  grid: string;
  /** The street boundary line filter. */
  line: string;
  any: string;
  gridNeedsCommunity: string;
  clearFilters: string;
  subunit: string;
  chooseSubunit: string;
  more: string;
  loadingMore: string;
  emptyQueue: string;
  timeLeft: string;
  overdueBy: string;
  deadline: string;
  /** The current stage's time limit: days, the level's name, since when. */
  stage: (days: string, level: string, since: string) => string;
  reportedAt: string;
  noSummary: string;
  caseTitle: (id: number) => string;
  closeCase: string;
  noCase: string;
  place: string;
  otherSide: string;
  severity: string;
  status: string;
  parties: string;
  noParties: string;
  summary: string;
  timeline: string;
  actions: string;
  noActions: string;
  note: string;
  notePlaceholder: string;
  outcome: string;
  chooseOutcome: string;
  conflict: string;
  reload: string;
  changedElsewhere: string;
  actionFailed: string;
  done: (action: string) => string;
  dispatch: string;
  suggestions: string;
  noSuggestions: string;
  suggestionsFailed: string;
  openCases: string;
  walking: string;
  walkingUnknown: string;
  sides: Record<'own' | 'other', string>;
  kinds: Record<HandlerKind, string>;
  assignTo: string;
  notAssignable: string;
  handler: string;
  jointWith: string;
  joint: string;
  jointHint: string;
  boundaryCase: string;
  map: string;
  live: Record<'connecting' | 'live' | 'reconnecting', string>;
  shortcuts: string;
  shortcutsTitle: string;
  shortcutList: [string, string][];
  closeHelp: string;
  rowLabel: (id: number, type: string, place: string) => string;
  views: Record<'queue' | 'review', string>;
  reviewTitle: string;
  reviewPeriod: string;
  reviewRate: string;
  reviewPopulation: (drawn: number, population: number) => string;
  reviewEmpty: string;
  feedbackAt: string;
  escalated: string;
  autoEscalated: string;
  reopenTo: string;
  reopenSame: string;
}

const zh: DeskText = {
  title: '综治指挥台',
  queue: '事件队列',
  columns: { all: '全部在办', new: '待派送', assigned: '待签收', inHand: '处置中', awaitingFeedback: '待反馈', awaitingReview: '待复查', overdue: '已超期' },
  filters: '筛选',
  type: '类型',
  source: '来源',
  level: '处置层级',
  grid: '网格',
  line: '边界线',
  any: '全部',
  gridNeedsCommunity: '选到社区后可按网格筛选',
  clearFilters: '清除筛选',
  subunit: '下级单位',
  chooseSubunit: '选择下级单位…',
  more: '加载更多',
  loadingMore: '正在加载…',
  emptyQueue: '没有符合条件的在办事件',
  timeLeft: '剩余',
  overdueBy: '已超期',
  deadline: '办结时限',
  stage: (days, level, since) => `本阶段时限 ${days} 天 · ${level}（${since} 起）`,
  reportedAt: '登记时间',
  noSummary: '（无摘要）',
  caseTitle: (id) => `事件 #${id}`,
  closeCase: '关闭详情',
  noCase: '在队列中选择一件事件查看详情（j/k 移动，回车打开）',
  place: '地点',
  otherSide: '边界对侧',
  severity: '等级',
  status: '状态',
  parties: '当事人',
  noParties: '无当事人信息',
  summary: '摘要',
  timeline: '办理过程',
  actions: '办理',
  noActions: '您的角色当前不能对此事件办理操作',
  note: '办理意见',
  notePlaceholder: '填写办理意见（可选）',
  outcome: '化解结果',
  chooseOutcome: '选择化解结果…',
  conflict: '该事件已被他人更新 — 重新加载',
  reload: '重新加载',
  changedElsewhere: '该事件有新的办理进展',
  actionFailed: '操作失败',
  done: (action) => `已${action}`,
  dispatch: '派送',
  suggestions: '推荐承办单位',
  noSuggestions: '没有可推荐的承办单位',
  suggestionsFailed: '推荐承办单位暂不可用',
  openCases: '在办',
  walking: '步行',
  walkingUnknown: '步行距离未知',
  sides: { own: '本方', other: '对方' },
  kinds: { grid: '网格', community: '社区（村）', street: '乡镇（街道）', county: '县（市、区）' },
  assignTo: '派送给',
  notAssignable: '不在本辖区',
  handler: '承办单位',
  jointWith: '联合处置',
  joint: '双方联合处置',
  jointHint: '边界事件：同时通知对侧',
  boundaryCase: '边界事件',
  map: '事件位置',
  live: { connecting: '正在连接实时推送…', live: '实时', reconnecting: '实时推送中断，正在重连…' },
  shortcuts: '快捷键',
  shortcutsTitle: '键盘快捷键',
  shortcutList: [
    ['j / ↓', '下一件'],
    ['k / ↑', '上一件'],
    ['Enter', '打开选中事件'],
    ['Esc', '关闭详情或帮助'],
    ['a', '签收，或派送给第一推荐单位'],
    ['n', '填写办理意见'],
    ['r', '重新加载事件'],
    ['1–7', '切换队列栏'],
    ['?', '显示或隐藏本帮助'],
  ],
  closeHelp: '关闭',
  rowLabel: (id, type, place) => `事件 #${id}，${type}，${place}`,
  views: { queue: '事件队列', review: '复查抽样' },
  reviewTitle: '治理复查抽样',
  reviewPeriod: '期间',
  reviewRate: '抽样比例',
  reviewPopulation: (drawn, population) => `抽取 ${drawn} 件 / 期间内反馈 ${population} 件`,
  reviewEmpty: '该期间内没有反馈的事件',
  feedbackAt: '反馈时间',
  escalated: '已升级',
  autoEscalated: '系统自动升级',
  reopenTo: '重新交办给',
  reopenSame: '原承办层级',
};

const en: DeskText = {
  title: 'Command desk',
  queue: 'Case queue',
  columns: {
    all: 'All open',
    new: 'New',
    assigned: 'Assigned',
    inHand: 'In hand',
    awaitingFeedback: 'Awaiting feedback',
    awaitingReview: 'Awaiting review',
    overdue: 'Overdue',
  },
  filters: 'Filters',
  type: 'Type',
  source: 'Source',
  level: 'Handling level',
  grid: 'Grid',
  line: 'Boundary line',
  any: 'Any',
  gridNeedsCommunity: 'Choose a community to filter by grid',
  clearFilters: 'Clear filters',
  subunit: 'Unit below',
  chooseSubunit: 'Choose a unit below…',
  more: 'Load more',
  loadingMore: 'Loading…',
  emptyQueue: 'No open cases match',
  timeLeft: 'Left',
  overdueBy: 'Overdue by',
  deadline: 'Deadline',
  stage: (days, level, since) => `This stage: ${days} days at ${level} level (from ${since})`,
  reportedAt: 'Reported',
  noSummary: '(no summary)',
  caseTitle: (id) => `Case #${id}`,
  closeCase: 'Close case view',
  noCase: 'Select a case in the queue (j/k to move, Enter to open)',
  place: 'Place',
  otherSide: 'Across the boundary',
  severity: 'Severity',
  status: 'Status',
  parties: 'Parties',
  noParties: 'No parties recorded',
  summary: 'Summary',
  timeline: 'Timeline',
  actions: 'Actions',
  noActions: 'Your role can take no action on this case now',
  note: 'Note',
  notePlaceholder: 'Add a note (optional)',
  outcome: 'Outcome',
  chooseOutcome: 'Choose an outcome…',
  conflict: 'Someone else changed this case — reload',
  reload: 'Reload',
  changedElsewhere: 'This case has new steps',
  actionFailed: 'The action failed',
  done: (action) => `Done: ${action}`,
  dispatch: 'Dispatch',
  suggestions: 'Suggested handlers',
  noSuggestions: 'No handler to suggest',
  suggestionsFailed: 'Suggested handlers are not available',
  openCases: 'open',
  walking: 'walk',
  walkingUnknown: 'walking distance unknown',
  sides: { own: 'own side', other: 'other side' },
  kinds: { grid: 'Grid', community: 'Community', street: 'Street', county: 'County' },
  assignTo: 'Dispatch to',
  notAssignable: 'outside your jurisdiction',
  handler: 'Handled by',
  jointWith: 'Jointly with',
  joint: 'Joint handling by both sides',
  jointHint: 'Boundary case: the other side is told too',
  boundaryCase: 'Boundary case',
  map: 'Case location',
  live: { connecting: 'Connecting to live updates…', live: 'Live', reconnecting: 'Live updates lost, reconnecting…' },
  shortcuts: 'Shortcuts',
  shortcutsTitle: 'Keyboard shortcuts',
  shortcutList: [
    ['j / ↓', 'Next case'],
    ['k / ↑', 'Previous case'],
    ['Enter', 'Open the selected case'],
    ['Esc', 'Close the case or this help'],
    ['a', 'Accept, or dispatch to the first suggestion'],
    ['n', 'Write a note'],
    ['r', 'Reload the case'],
    ['1–7', 'Switch queue column'],
    ['?', 'Show or hide this help'],
  ],
  closeHelp: 'Close',
  rowLabel: (id, type, place) => `Case #${id}, ${type}, ${place}`,
  views: { queue: 'Case queue', review: 'Review sample' },
  reviewTitle: 'Governance review sample',
  reviewPeriod: 'Period',
  reviewRate: 'Share drawn',
  reviewPopulation: (drawn, population) => `${drawn} drawn of ${population} with feedback in the period`,
  reviewEmpty: 'No case reached feedback in the period',
  feedbackAt: 'Feedback',
  escalated: 'Escalated',
  autoEscalated: 'Escalated automatically',
  reopenTo: 'Reopen to',
  reopenSame: 'The same handling level',
};

export const DESK_TEXT: Record<Lang, DeskText> = { zh, en };
