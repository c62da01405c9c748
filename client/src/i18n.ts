// UI strings in Chinese (default) and English, and number formatting in zh-CN conventions (万/亿).

import { createContext, useContext } from 'react';

export type Lang = 'zh' | 'en';

const zh = {
  appTitle: '平安态势一张图',
  modeScreen: '指挥大屏',
  modePlan: '设施规划',
  modeBrief: '领导简报',
  province: '省',
  city: '市',
  county: '县区',
  street: '街道乡镇',
  community: '社区村',
  population: '常住人口',
  populationLegend: '常住人口（2020年普查）',
  childCount: '下辖单位',
  households: '户数',
  gridWorkers: '网格员',
  demoData: '演示数据',
  demoDataTitle: '街道、社区、网格、设施、路网与矛盾纠纷均为按固定种子生成的演示数据，仅行政区划代码、县区边界与人口为真实数据',
  loading: '正在加载…',
  loadFailed: '数据加载失败',
  retry: '重试',
  back: '返回上级',
  drillHint: '点击区域逐级下钻',
  credits:
    '行政区划代码：国家统计局2023年统计用区划代码 · 人口：第七次全国人口普查（2020） · 县区边界：高德地图衍生数据（echarts 演示数据，GCJ-02 已转 WGS84），仅供演示，非审图号地图 · 底图离线，不连接互联网',
  comingLater: '本模式的专题内容将在后续版本提供。',
  units: { province: '省', city: '市', county: '县区', street: '街道乡镇', community: '社区村' },
  coverageTitle: '生活圈覆盖',
  sitingOpen: '设施选址',
  coverageKind: '设施类型',
  coverageMinutes: '步行时间',
  minutesUnit: '分钟',
  walkerStandard: '一般步速 4 km/h',
  walkerElderly: '老年人 3 km/h',
  gb50180: 'GB 50180 距离（300/500/1000 米）',
  coverageRate: '覆盖率',
  coveredOfResidents: '覆盖 {covered} / 常住 {residents}',
  networkShare: '{share} 的居民按路网测算，其余按直线距离 × 绕行系数',
  coverageHide: '隐藏覆盖图层',
  coverageShow: '显示生活圈覆盖',
  rateLegend: '覆盖率',
  serviceAreaNetwork: '服务范围（路网）',
  serviceAreaStraightLine: '服务范围（直线 × 绕行系数）',
  uncoveredGrids: '未覆盖人口所在网格',
  uncoveredPoints: '未覆盖人口（圆面积 ∝ 人数）',
  noResidents: '无人口数据',
  coverageLoading: '正在计算覆盖…',
} as const;

type Messages = { [K in keyof typeof zh]: (typeof zh)[K] extends string ? string : { [P in keyof (typeof zh)[K]]: string } };

const en: Messages = {
  appTitle: 'Pingan Atlas',
  modeScreen: 'Command screen',
  modePlan: 'Facility planning',
  modeBrief: 'Briefing',
  province: 'Province',
  city: 'City',
  county: 'County',
  street: 'Street/town',
  community: 'Community/village',
  population: 'Residents',
  populationLegend: 'Residents (2020 census)',
  childCount: 'Subunits',
  households: 'Households',
  gridWorkers: 'Grid workers',
  demoData: 'Demo data',
  demoDataTitle: 'Streets, communities, grids, facilities, the walking network and disputes are generated demonstration data (fixed seed); only division codes, county boundaries and population are real',
  loading: 'Loading…',
  loadFailed: 'Could not load data',
  retry: 'Retry',
  back: 'Up one level',
  drillHint: 'Click an area to drill down',
  credits:
    'Division codes: NBS 2023 · Population: 7th national census (2020) · County boundaries: AMap-derived echarts demo shapes (GCJ-02 converted to WGS84), for demonstration only, not an officially reviewed map · Offline basemap, no internet',
  comingLater: 'This mode’s own panels arrive in later releases.',
  units: { province: 'province', city: 'city', county: 'county', street: 'street/town', community: 'community/village' },
  coverageTitle: 'Life-circle coverage',
  sitingOpen: 'Site selection',
  coverageKind: 'Facility kind',
  coverageMinutes: 'Walking time',
  minutesUnit: 'min',
  walkerStandard: 'Standard pace 4 km/h',
  walkerElderly: 'Elderly 3 km/h',
  gb50180: 'GB 50180 distances (300/500/1,000 m)',
  coverageRate: 'Coverage',
  coveredOfResidents: '{covered} of {residents} residents covered',
  networkShare: '{share} of residents measured on the network, the rest by straight line × detour factor',
  coverageHide: 'Hide coverage layers',
  coverageShow: 'Show life-circle coverage',
  rateLegend: 'Coverage rate',
  serviceAreaNetwork: 'Service area (network)',
  serviceAreaStraightLine: 'Service area (straight line × detour)',
  uncoveredGrids: 'Grids with uncovered residents',
  uncoveredPoints: 'Uncovered residents (area ∝ number)',
  noResidents: 'No population data',
  coverageLoading: 'Computing coverage…',
};

export const MESSAGES: Record<Lang, Messages> = { zh, en };

/** The language asked for in the URL (?lang=en), else Chinese. */
export function langFromLocation(search: string): Lang {
  return new URLSearchParams(search).get('lang') === 'en' ? 'en' : 'zh';
}

export const I18nContext = createContext<{ lang: Lang; t: Messages }>({ lang: 'zh', t: zh });

export function useI18n(): { lang: Lang; t: Messages } {
  return useContext(I18nContext);
}

const integerFormat = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });

/** Population in zh-CN convention: 782,628 → "78.26万", 42,591,407 → "4259.14万"; English: "782,628". */
export function formatPopulation(value: number | null | undefined, lang: Lang): string {
  if (value === null || value === undefined) return '—';
  if (lang === 'en') return integerFormat.format(value);
  if (value >= 1e8) return `${(value / 1e8).toFixed(2)}亿`;
  if (value >= 1e4) return `${(value / 1e4).toFixed(2)}万`;
  return integerFormat.format(value);
}
