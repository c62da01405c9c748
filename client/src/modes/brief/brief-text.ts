// The briefing's own strings, Chinese first (bundled with /brief only). KPI names come from the API
// (brief.kpis labels), place names from the admin tree.

import type { EmergingCellProperties } from '../../api-types';
import type { Lang } from '../../i18n';
import type { SubUnitLevel } from '../../map/admin-style';
import type { PeriodPreset, RangeError } from './brief-period';

export type HotCategory = Exclude<EmergingCellProperties['category'], 'none'>;

interface BriefText {
  periods: Record<PeriodPreset | 'custom', string>;
  period: string;
  customFrom: string;
  customTo: string;
  apply: string;
  cancel: string;
  rangeErrors: Record<RangeError, string>;
  periodInvalid: string;
  print: string;
  printPreparing: string;
  place: string;
  kpis: string;
  kpiSelect: string;
  target: string;
  noTarget: string;
  status: Record<'green' | 'amber' | 'red', string>;
  noStatus: string;
  vsPrevious: string;
  vsLastYear: string;
  noComparison: string;
  trendOf: string;
  partialSlice: string;
  noTrend: string;
  narrative: string;
  narrativePending: string;
  ranking: string;
  childLevels: Record<SubUnitLevel, string>;
  order: string;
  worstFirst: string;
  bestFirst: string;
  previousKpi: string;
  nextKpi: string;
  swipeHint: string;
  noRows: string;
  notPerGrid: string;
  definition: string;
  printDefinitions: string;
  hotspots: string;
  topHotspots: string;
  emerging: string;
  baselineResidents: string;
  baselineCounts: string;
  baselineNote: string;
  countsNote: string;
  cases: string;
  expected: string;
  confidence: string;
  noHotspots: string;
  noEmerging: string;
  emergingWindow: string;
  slices: Record<'week' | 'month', string>;
  categories: Record<HotCategory, string>;
  boundary: string;
  boundaryWindow: string;
  riskLevel: Record<'high' | 'elevated' | 'normal', string>;
  agreementMissing: string;
  patrolMissing: string;
  lastPatrol: string;
  noPatrol: string;
  noLines: string;
  linesMore: string;
  showAll: string;
  showFewer: string;
  map: string;
  mapHint: string;
  mapLegend: string;
  noValue: string;
  sectionFailed: string;
  printTitle: string;
  printGenerated: string;
  printKpiTable: string;
  printColumns: { kpi: string; value: string; target: string; status: string; previous: string; lastYear: string };
  printRanking: string;
  printMap: string;
  printTrend: string;
}

export const BRIEF_TEXT: Record<Lang, BriefText> = {
  zh: {
    periods: { 'this-month': '本月', 'last-month': '上月', 'this-quarter': '本季度', 'this-year': '本年', custom: '自定义' },
    period: '时段',
    customFrom: '开始日期',
    customTo: '结束日期',
    apply: '确定',
    cancel: '取消',
    rangeErrors: {
      invalid: '请输入有效的开始和结束日期。',
      order: '结束日期不能早于开始日期。',
      future: '结束日期不能晚于今天。',
      tooLong: '时段最长 800 天。',
    },
    periodInvalid: '链接中的时段无效，已改为显示本月。',
    print: '打印 / 导出PDF',
    printPreparing: '正在准备打印…',
    place: '地区',
    kpis: '关键指标',
    kpiSelect: '选择指标',
    target: '目标',
    noTarget: '无目标值',
    status: { green: '达标', amber: '接近目标', red: '未达标' },
    noStatus: '无评价',
    vsPrevious: '较上期',
    vsLastYear: '同比',
    noComparison: '无可比数据',
    trendOf: '{kpi}走势',
    partialSlice: '浅色或虚线表示尚未结束的时段',
    noTrend: '该指标按数据现状计算，没有历史走势和上期、同期对比。',
    narrative: '形势概述',
    narrativePending: '正在生成概述…',
    ranking: '下级排名',
    childLevels: { city: '各市', county: '各县（市、区）', street: '各乡镇（街道）', community: '各村（社区）', grid: '各网格' },
    order: '排序',
    worstFirst: '由差到好',
    bestFirst: '由好到差',
    previousKpi: '上一个指标',
    nextKpi: '下一个指标',
    swipeHint: '左右滑动切换指标',
    noRows: '暂无下级数据',
    notPerGrid: '“{kpi}”按村（社区）统计，不细分到网格；请选择其他指标查看网格排名。',
    definition: '口径',
    printDefinitions: '指标口径',
    hotspots: '矛盾纠纷热点',
    topHotspots: '显著热点',
    emerging: '新兴热点（趋势）',
    baselineResidents: '按人口校正',
    baselineCounts: '按案件数',
    baselineNote: '高于按常住人口预期的纠纷量（Gi*，已控制错误发现率）',
    countsNote: '纠纷数量的空间聚集（Gi*，已控制错误发现率）',
    cases: '件',
    expected: '预期',
    confidence: '置信度',
    noHotspots: '本期无显著热点。',
    noEmerging: '无新兴热点。',
    emergingWindow: '按{slice}统计：{range}',
    slices: { week: '周', month: '月' },
    categories: {
      newHot: '新出现热点',
      consecutiveHot: '连续热点',
      intensifyingHot: '加剧热点',
      persistentHot: '持续热点',
      diminishingHot: '减弱热点',
      sporadicHot: '零星热点',
      oscillatingHot: '振荡热点',
      historicalHot: '历史热点',
      newCold: '新出现冷点',
      consecutiveCold: '连续冷点',
      intensifyingCold: '加剧冷点',
      persistentCold: '持续冷点',
      diminishingCold: '减弱冷点',
      sporadicCold: '零星冷点',
      oscillatingCold: '振荡冷点',
      historicalCold: '历史冷点',
    },
    boundary: '需关注的边界线',
    boundaryWindow: '纠纷风险统计时段：{range}',
    riskLevel: { high: '风险高', elevated: '风险较高', normal: '风险一般' },
    agreementMissing: '未签平安边界协议',
    patrolMissing: '90天内无联合巡逻',
    lastPatrol: '最近联合巡逻',
    noPatrol: '无记录',
    noLines: '暂无需关注的边界线。',
    linesMore: '共 {count} 条',
    showAll: '显示全部',
    showFewer: '收起',
    map: '地图',
    mapHint: '点击区域进入下级，双指缩放、拖动地图',
    mapLegend: '{kpi}',
    noValue: '无数据',
    sectionFailed: '加载失败',
    printTitle: '平安态势简报',
    printGenerated: '生成日期',
    printKpiTable: '关键指标一览',
    printColumns: { kpi: '指标', value: '本期', target: '目标', status: '评价', previous: '上期', lastYear: '去年同期' },
    printRanking: '下级排名',
    printMap: '地图',
    printTrend: '走势',
  },
  en: {
    periods: { 'this-month': 'This month', 'last-month': 'Last month', 'this-quarter': 'This quarter', 'this-year': 'This year', custom: 'Custom' },
    period: 'Period',
    customFrom: 'From',
    customTo: 'To',
    apply: 'Apply',
    cancel: 'Cancel',
    rangeErrors: {
      invalid: 'Enter valid start and end dates.',
      order: 'The end date cannot be before the start date.',
      future: 'The end date cannot be after today.',
      tooLong: 'A period covers at most 800 days.',
    },
    periodInvalid: 'The link’s period is not valid: showing this month instead.',
    print: 'Print / PDF',
    printPreparing: 'Preparing to print…',
    place: 'Place',
    kpis: 'Key indicators',
    kpiSelect: 'Choose an indicator',
    target: 'target',
    noTarget: 'no target',
    status: { green: 'On target', amber: 'Near target', red: 'Off target' },
    noStatus: 'not rated',
    vsPrevious: 'vs previous',
    vsLastYear: 'vs last year',
    noComparison: 'no comparison',
    trendOf: '{kpi}: trend',
    partialSlice: 'pale or dashed: not over yet',
    noTrend: 'Measured on the data as it stands: no history, previous period or last year to compare.',
    narrative: 'Summary',
    narrativePending: 'Writing the summary…',
    ranking: 'Ranking',
    childLevels: { city: 'Cities', county: 'Counties', street: 'Streets and towns', community: 'Communities and villages', grid: 'Grids' },
    order: 'Order',
    worstFirst: 'Worst first',
    bestFirst: 'Best first',
    previousKpi: 'Previous indicator',
    nextKpi: 'Next indicator',
    swipeHint: 'Swipe left or right for another indicator',
    noRows: 'No units below this one',
    notPerGrid: '“{kpi}” is measured per community or village, not per grid: choose another indicator to rank the grids.',
    definition: 'Definition',
    printDefinitions: 'Definitions',
    hotspots: 'Dispute hot spots',
    topHotspots: 'Significant hot spots',
    emerging: 'Emerging hot spots (trend)',
    baselineResidents: 'Per residents',
    baselineCounts: 'By cases',
    baselineNote: 'Disputes above what the residents lead to expect (Gi*, false-discovery-rate controlled)',
    countsNote: 'Clusters of dispute counts (Gi*, false-discovery-rate controlled)',
    cases: 'cases',
    expected: 'expected',
    confidence: 'confidence',
    noHotspots: 'No significant hot spot in this period.',
    noEmerging: 'No emerging hot spot.',
    emergingWindow: 'By {slice}: {range}',
    slices: { week: 'week', month: 'month' },
    categories: {
      newHot: 'New hot spot',
      consecutiveHot: 'Consecutive hot spot',
      intensifyingHot: 'Intensifying hot spot',
      persistentHot: 'Persistent hot spot',
      diminishingHot: 'Diminishing hot spot',
      sporadicHot: 'Sporadic hot spot',
      oscillatingHot: 'Oscillating hot spot',
      historicalHot: 'Historical hot spot',
      newCold: 'New cold spot',
      consecutiveCold: 'Consecutive cold spot',
      intensifyingCold: 'Intensifying cold spot',
      persistentCold: 'Persistent cold spot',
      diminishingCold: 'Diminishing cold spot',
      sporadicCold: 'Sporadic cold spot',
      oscillatingCold: 'Oscillating cold spot',
      historicalCold: 'Historical cold spot',
    },
    boundary: 'Boundary lines needing attention',
    boundaryWindow: 'Dispute risk over {range}',
    riskLevel: { high: 'High risk', elevated: 'Elevated risk', normal: 'Normal risk' },
    agreementMissing: 'No safe-boundary agreement',
    patrolMissing: 'No joint patrol in 90 days',
    lastPatrol: 'Last joint patrol',
    noPatrol: 'none recorded',
    noLines: 'No boundary line needs attention.',
    linesMore: '{count} in all',
    showAll: 'Show all',
    showFewer: 'Show fewer',
    map: 'Map',
    mapHint: 'Tap an area to open it; pinch to zoom, drag to pan',
    mapLegend: '{kpi}',
    noValue: 'No data',
    sectionFailed: 'Could not load',
    printTitle: 'Safety and governance briefing',
    printGenerated: 'Generated',
    printKpiTable: 'Key indicators',
    printColumns: { kpi: 'Indicator', value: 'This period', target: 'Target', status: 'Rating', previous: 'Previous', lastYear: 'Last year' },
    printRanking: 'Ranking',
    printMap: 'Map',
    printTrend: 'Trend',
  },
};

/** A template with its {placeholders} filled. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
