// The wall's own strings, Chinese first (bundled with /screen only).

import type { Lang } from '../../i18n';
import type { Scene } from './screen-params';

interface ScreenText {
  scenes: Record<Scene, string>;
  live: string;
  connecting: string;
  reconnecting: string;
  dataAsOf: string;
  infrastructure: string;
  grids: string;
  gridWorkers: string;
  workstationCoverage: string;
  baseline: string;
  target: string;
  /** Red/amber/green against the target, in the briefing's words. */
  status: Record<'green' | 'amber' | 'red', string>;
  /** The residents a health-circle figure counts ("{residents}" is the number). */
  circleResidents: string;
  noResidents: string;
  disputes: string;
  thisMonth: string;
  last30Days: string;
  reported: string;
  resolved: string;
  inGridRate: string;
  overdue: string;
  vsPrevious: string;
  trend: string;
  /** The point of the day under way ("{time}" is hh:mm). */
  partialDay: string;
  types: string;
  funnel: string;
  ranking: string;
  rankingUnit: string;
  latest: string;
  noEvents: string;
  noChartData: string;
  masked: string;
  legendDisputeRate: string;
  legendPopulation: string;
  uncoveredPoints: string;
  uncoveredGrids: string;
  boundaryRisk: string;
  /** What the hot spots are measured against, and the switch to the other. */
  hotspotBasis: Record<'residents' | 'none', string>;
  hotspotSwitchTo: Record<'residents' | 'none', string>;
  sceneFailed: string;
  /** Counters after a number ('' where the language needs none). */
  cases: string;
  gridsUnit: string;
  gridWorkersUnit: string;
  loadFailed: string;
}

export const SCREEN_TEXT: Record<Lang, ScreenText> = {
  zh: {
    scenes: { overview: '态势总览', hotspots: '矛盾纠纷热点', boundary: '平安边界', coverage: '15分钟健康服务圈', live: '实时事件' },
    live: '实时',
    connecting: '连接中',
    reconnecting: '重连中',
    dataAsOf: '数据截至',
    infrastructure: '基层治理底座',
    grids: '网格',
    gridWorkers: '网格员',
    workstationCoverage: '综治工作站覆盖率',
    baseline: '基线',
    target: '目标',
    status: { green: '达标', amber: '接近目标', red: '未达标' },
    circleResidents: '居民 {residents}人',
    noResidents: '无此类网格居民',
    disputes: '矛盾纠纷',
    thisMonth: '本月',
    last30Days: '近30天',
    reported: '受理',
    resolved: '化解',
    inGridRate: '网格内化解率',
    overdue: '超期',
    vsPrevious: '较上期',
    trend: '近30天受理趋势',
    partialDay: '今日（截至{time}）',
    types: '纠纷类型',
    funnel: '办理流程',
    ranking: '万人纠纷量排名（件/万人）',
    rankingUnit: '件/万人',
    latest: '最新事件',
    noEvents: '暂无事件',
    noChartData: '本期暂无数据',
    masked: '当事人信息已脱敏',
    legendDisputeRate: '本月矛盾纠纷（件/万人）',
    legendPopulation: '常住人口（2020年普查）',
    uncoveredPoints: '未覆盖居民（每网格一点，面积∝人数）',
    uncoveredGrids: '有未覆盖居民的网格',
    boundaryRisk: '边界线风险（近90天）',
    hotspotBasis: { residents: '按常住人口基线：纠纷数超出人口预期之处', none: '按原始件数：纠纷集中之处（人口多处亦多）' },
    hotspotSwitchTo: { residents: '改按人口基线', none: '改看原始件数' },
    sceneFailed: '专题数据加载失败',
    cases: '件',
    gridsUnit: '个',
    gridWorkersUnit: '名',
    loadFailed: '加载失败',
  },
  en: {
    scenes: { overview: 'Overview', hotspots: 'Dispute hot spots', boundary: 'Safe boundaries', coverage: '15-minute health circle', live: 'Live events' },
    live: 'Live',
    connecting: 'Connecting',
    reconnecting: 'Reconnecting',
    dataAsOf: 'data as of',
    infrastructure: 'Grassroots governance',
    grids: 'Grids',
    gridWorkers: 'Grid workers',
    workstationCoverage: 'Workstation coverage',
    baseline: 'baseline',
    target: 'target',
    status: { green: 'On target', amber: 'Near target', red: 'Off target' },
    circleResidents: '{residents} residents',
    noResidents: 'No such grids here',
    disputes: 'Disputes',
    thisMonth: 'This month',
    last30Days: 'Last 30 days',
    reported: 'Reported',
    resolved: 'Resolved',
    inGridRate: 'Resolved in grid',
    overdue: 'Overdue',
    vsPrevious: 'vs previous',
    trend: 'Reported per day, last 30 days',
    partialDay: 'Today to {time}',
    types: 'Types',
    funnel: 'Workflow',
    ranking: 'Disputes per 10,000 residents',
    rankingUnit: 'per 10k',
    latest: 'Latest cases',
    noEvents: 'No cases yet',
    noChartData: 'No data for this period',
    masked: 'Parties masked',
    legendDisputeRate: 'Disputes this month per 10,000 residents',
    legendPopulation: 'Residents (2020 census)',
    uncoveredPoints: 'Uncovered residents (a dot per grid, area ∝ residents)',
    uncoveredGrids: 'Grids with uncovered residents',
    boundaryRisk: 'Boundary-line risk (last 90 days)',
    hotspotBasis: { residents: 'Against the residents: more disputes than the population leads to expect', none: 'Raw counts: where disputes concentrate (where people live)' },
    hotspotSwitchTo: { residents: 'Use the residents baseline', none: 'Show raw counts' },
    sceneFailed: 'Could not load this scene',
    cases: '',
    gridsUnit: '',
    gridWorkersUnit: '',
    loadFailed: 'Could not load',
  },
};
