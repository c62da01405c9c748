// Facility-siting vocabulary: the four objectives (with a short name and a one-line description) and
// where candidate sites come from, in Chinese and English.

import type { Label } from './labels';

export const SITING_OBJECTIVES = ['mclp', 'lscp', 'pmedian', 'pcenter'] as const;
export type SitingObjective = (typeof SITING_OBJECTIVES)[number];

export const SITING_OBJECTIVE_LABELS: Readonly<Record<SitingObjective, { name: Label; description: Label }>> = {
  mclp: {
    name: { zh: '最大覆盖（MCLP）', en: 'Maximal covering (MCLP)' },
    description: { zh: '最大覆盖：新增 k 处覆盖最多居民', en: 'Max coverage: k new sites covering the most residents' },
  },
  lscp: {
    name: { zh: '集合覆盖至目标覆盖率（LSCP）', en: 'Set covering to a target rate (LSCP)' },
    description: { zh: '集合覆盖：达到覆盖率目标所需最少站点', en: 'Set covering: fewest sites reaching a coverage target' },
  },
  pmedian: {
    name: { zh: 'p 中位（人口加权步行时间最短）', en: 'p-median (least population-weighted walking time)' },
    description: { zh: 'p 中位：人口加权步行时间最短', en: 'p-median: least population-weighted walking time' },
  },
  pcenter: {
    name: { zh: 'p 中心（最远步行时间最短）', en: 'p-center (least walking time of the farthest resident)' },
    description: { zh: 'p 中心：最远居民的步行时间最短', en: 'p-center: least walking time for the farthest resident' },
  },
};

/** Where candidate sites come from inside the area. */
export const CANDIDATE_SOURCES = ['grid-centroids', 'service-buildings', 'network-nodes'] as const;
export type CandidateSource = (typeof CANDIDATE_SOURCES)[number];

export const CANDIDATE_SOURCE_LABELS: Readonly<Record<CandidateSource, Label>> = {
  'grid-centroids': { zh: '网格中心点', en: 'Grid centroids' },
  'service-buildings': { zh: '现有服务用房', en: 'Existing service buildings' },
  'network-nodes': { zh: '路网节点（抽样）', en: 'Network nodes (sampled)' },
};
