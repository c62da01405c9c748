// The community life circle (社区生活圈): the everyday facilities a resident should reach on foot, each
// with its walking distance from GB 50180-2018 (城市居住区规划设计标准, appendix B: the 5-minute circle's
// facilities within 300 m, the 10-minute circle's within 500 m, the 15-minute circle's within 800–1,000 m,
// the upper figure used), and when a unit counts a kind as within reach.

import type { FacilityKind } from './facility-kinds';
import type { Label } from './labels';
import { GB50180_METERS_BY_MINUTES } from './travel-limits';

export interface LifeCircleKind {
  kind: FacilityKind;
  /** The GB 50180-2018 life circle the facility belongs to, minutes. */
  circle: 5 | 10 | 15;
  /** What the standard lists it as. */
  standardItem: Label;
}

/**
 * The default kinds of a life-circle completeness, with their circles. After-school classes and
 * disability rooms are local programmes the standard does not list; they are placed with the 10-minute
 * circle's community facilities (文化活动站, 托儿所 sit at 5–10 minutes), a choice a caller may override by
 * giving one limit for every kind.
 */
export const LIFE_CIRCLE_KINDS: readonly LifeCircleKind[] = [
  { kind: 'convenience_store', circle: 5, standardItem: { zh: '小超市（5分钟生活圈居住街坊）', en: 'small supermarket (5-minute circle)' } },
  { kind: 'health_station', circle: 5, standardItem: { zh: '社区卫生服务站（5分钟生活圈）', en: 'community health station (5-minute circle)' } },
  { kind: 'elder_day_care', circle: 5, standardItem: { zh: '老年人日间照料中心（托老所，5分钟生活圈）', en: 'elderly day-care centre (5-minute circle)' } },
  { kind: 'service_station', circle: 5, standardItem: { zh: '社区服务站（5分钟生活圈）', en: 'community service station (5-minute circle)' } },
  { kind: 'after_school_class', circle: 10, standardItem: { zh: '未列入标准：按10分钟生活圈', en: 'not in the standard: taken as 10-minute circle' } },
  { kind: 'disability_room', circle: 10, standardItem: { zh: '未列入标准：按10分钟生活圈', en: 'not in the standard: taken as 10-minute circle' } },
  { kind: 'health_center', circle: 15, standardItem: { zh: '社区卫生服务中心（15分钟生活圈）', en: 'community health centre (15-minute circle)' } },
  { kind: 'service_center_street', circle: 15, standardItem: { zh: '街道级社区服务中心（15分钟生活圈）', en: 'street-level community service centre (15-minute circle)' } },
];

/** The GB 50180-2018 walking distance of a life-circle kind, metres (undefined for other kinds). */
export function lifeCircleMeters(kind: FacilityKind): number | undefined {
  const entry = LIFE_CIRCLE_KINDS.find((candidate) => candidate.kind === kind);
  return entry ? GB50180_METERS_BY_MINUTES[entry.circle] : undefined;
}

/** A kind is within reach of a unit when at least this share of its residents is within the distance. */
export const WITHIN_REACH_SHARE = 0.5;
