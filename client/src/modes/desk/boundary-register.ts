// Pure helpers of the 平安边界 register page: the order of its rows (due lines first, then by a chosen
// column), a line's patrol status in words, and the day "today" in China time for the forms' defaults.

import type { BoundaryRegisterRow } from '../../api-types';
import type { BoundaryLevel } from '../../../../server/domain/admin-codes';
import { formatChinaDate } from '../../../../server/domain/china-time';

export type { BoundaryLevel };

/** The map's line colours by patrol status ([r, g, b, a]); the legend and the table's status use the same words. */
export const REGISTER_LINE_COLORS: Record<'due' | 'patrolled' | 'selected', [number, number, number, number]> = {
  due: [214, 48, 39, 255],
  patrolled: [46, 150, 80, 255],
  selected: [30, 100, 220, 255],
};

export type RegisterSortKey = 'due' | 'level' | 'length' | 'agreement' | 'mediation' | 'patrol' | 'cases';
export type SortDirection = 'asc' | 'desc';

/** Broader lines first when sorted by level. */
const LEVEL_ORDER: Record<BoundaryLevel, number> = { province: 0, city: 1, county: 2, street: 3 };

/** Days since the last joint patrol for sorting: never patrolled sorts as the longest ago. */
function patrolAge(row: BoundaryRegisterRow): number {
  return row.daysSincePatrol ?? Number.POSITIVE_INFINITY;
}

/** How a boolean-or-unknown sorts: false (missing) first, then unknown, then true. */
function flagRank(value: boolean | null): number {
  return value === false ? 0 : value === null ? 1 : 2;
}

function compareBy(key: RegisterSortKey, a: BoundaryRegisterRow, b: BoundaryRegisterRow, casesOf: (id: string) => number): number {
  switch (key) {
    case 'due':
      return Number(b.patrolDue) - Number(a.patrolDue) || patrolAge(b) - patrolAge(a) || 0;
    case 'level':
      return LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level];
    case 'length':
      return a.lengthMeters - b.lengthMeters;
    case 'agreement':
      return flagRank(a.agreementSigned) - flagRank(b.agreementSigned);
    case 'mediation':
      return flagRank(a.jointMediation) - flagRank(b.jointMediation);
    case 'patrol': {
      const ageA = patrolAge(a);
      const ageB = patrolAge(b);
      return ageA === ageB ? 0 : ageA < ageB ? -1 : 1;
    }
    case 'cases':
      return casesOf(a.id) - casesOf(b.id);
  }
}

/**
 * The register's rows in display order: lines due a joint patrol always first, then by `key` in
 * `direction` (ties by line id, so the order is stable across refreshes). `casesOf` answers the cases near
 * a line (0 when unknown). Answers a new array.
 */
export function sortRegisterRows(
  rows: readonly BoundaryRegisterRow[],
  key: RegisterSortKey,
  direction: SortDirection,
  casesOf: (id: string) => number = () => 0,
): BoundaryRegisterRow[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const due = Number(b.patrolDue) - Number(a.patrolDue);
    if (due !== 0) return due;
    // 'due' ascending lists the longest unpatrolled first (most urgent).
    const order = key === 'due' ? compareBy('due', a, b, casesOf) * sign : compareBy(key, a, b, casesOf) * sign;
    return order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  });
}

export interface PatrolStatusText {
  never: string;
  daysSince: (days: number) => string;
  due: string;
  notDue: string;
}

/** The patrol cell of a row: its status in words ("due", "patrolled") and when ("12 天前", "从未巡逻"). */
export function patrolStatusOf(row: Pick<BoundaryRegisterRow, 'patrolDue' | 'daysSincePatrol'>, text: PatrolStatusText): { status: string; since: string } {
  return {
    status: row.patrolDue ? text.due : text.notDue,
    since: row.daysSincePatrol === null ? text.never : text.daysSince(row.daysSincePatrol),
  };
}

/** "2026年12月7日" (zh-CN) or "7 Dec 2026" (en) for a 'YYYY-MM-DD' day, read as a calendar day (no time zone shift). */
export function formatRegisterDay(day: string, lang: 'zh' | 'en'): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', { year: 'numeric', month: lang === 'en' ? 'short' : 'long', day: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, date)),
  );
}

/** Today in China time, 'YYYY-MM-DD' (the forms' default day). */
export function chinaToday(nowMs: number = Date.now()): string {
  return formatChinaDate(nowMs);
}

/** A line's length: "850 米" / "3.2 公里" (the desk's one way of writing metres). */
export { formatWalkingMeters as formatLength } from './desk-format';
