// Handling deadlines (办理时限) of dispute cases by type and handling level: each level a case reaches gets
// its type's days at that level, counted from the moment it got there, and no more than its severity allows.

import { DISPUTE_TYPE_KEYS, type DisputeType } from './dispute-categories';
import { MS_PER_DAY } from './china-time';
import { DISPUTE_SEVERITIES, HANDLING_LEVELS, type DisputeSeverity, type HandlingLevel } from './dispute-workflow';

/**
 * Days a case of each type has at the grid, community and street levels (the 网格/社区/街道 stages of
 * "小事不出格、大事不出网"). Simple cases are short: consumer complaints follow the 7-day practice of the
 * 12315 platform, wage arrears the 10-day 根治欠薪 practice; land, forest-boundary and medical disputes need
 * surveys or expert findings and get 30.
 */
export const DEFAULT_TYPE_DAYS: Readonly<Record<DisputeType, number>> = {
  family: 15,
  neighbour: 10,
  property: 15,
  wages: 10,
  land: 30,
  boundary: 30,
  consumer: 7,
  traffic: 15,
  medical: 30,
  contract: 15,
  other: 15,
};

/** A county or higher body gets twice the type's days: a case reaches it because it was hard. */
const LEVEL_FACTOR: Readonly<Record<HandlingLevel, number>> = { grid: 1, community: 1, street: 1, county: 2, above: 2 };

/** The most days one stage of a case may have, per severity (较大 7, 重大 3; 一般 only the type's days up to 60). */
export const DEFAULT_SEVERITY_MAX_DAYS: Readonly<Record<DisputeSeverity, number>> = { general: 60, major: 7, critical: 3 };

/** Days per (type, handling level) and the cap per severity. */
export interface DeadlinePolicy {
  readonly daysByTypeLevel: Readonly<Record<DisputeType, Readonly<Record<HandlingLevel, number>>>>;
  readonly maxDaysBySeverity: Readonly<Record<DisputeSeverity, number>>;
}

function defaultTable(): Record<DisputeType, Record<HandlingLevel, number>> {
  const table = {} as Record<DisputeType, Record<HandlingLevel, number>>;
  for (const type of DISPUTE_TYPE_KEYS) {
    const row = {} as Record<HandlingLevel, number>;
    for (const level of HANDLING_LEVELS) row[level] = DEFAULT_TYPE_DAYS[type] * LEVEL_FACTOR[level];
    table[type] = row;
  }
  return table;
}

export const DEFAULT_DEADLINE_POLICY: DeadlinePolicy = {
  daysByTypeLevel: defaultTable(),
  maxDaysBySeverity: DEFAULT_SEVERITY_MAX_DAYS,
};

/** What a case's deadline depends on. */
export interface DeadlineKey {
  type: DisputeType;
  severity: DisputeSeverity;
  handlingLevel: HandlingLevel;
}

/** Days a case has at its handling level: its type's days there, capped by its severity. */
export function deadlineDays(key: DeadlineKey, policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY): number {
  return Math.min(policy.daysByTypeLevel[key.type][key.handlingLevel], policy.maxDaysBySeverity[key.severity]);
}

/** The deadline, ms since epoch, of a case that reached its handling level at `sinceMs` (report, escalation, reassignment to another level, reopening). */
export function computeDueMs(sinceMs: number, key: DeadlineKey, policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY): number {
  return sinceMs + deadlineDays(key, policy) * MS_PER_DAY;
}

/**
 * True when a step starts a new stage with its own deadline: the case reaches another handling level
 * (escalation, assignment to another level) or is reopened.
 */
export function startsNewStage(fromLevel: HandlingLevel, toLevel: HandlingLevel, reopened: boolean): boolean {
  return reopened || fromLevel !== toLevel;
}

/**
 * Reads ATLAS_SLA_DAYS: comma-separated `key=days` where key is a severity (its cap: `major=5`), a type
 * (its days at every level, doubled at county and above: `land=45`) or `type.level` (one cell:
 * `land.county=60`, applied after the type entries). Unknown keys or non-positive days throw with a
 * message naming the entry.
 */
export function parseDeadlinePolicy(text: string | undefined): DeadlinePolicy {
  if (!text || text.trim() === '') return DEFAULT_DEADLINE_POLICY;
  const table = defaultTable();
  const caps: Record<DisputeSeverity, number> = { ...DEFAULT_SEVERITY_MAX_DAYS };
  const cells: [DisputeType, HandlingLevel, number][] = [];
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const [key = '', value = ''] = part.split('=').map((s) => s.trim());
    const days = Number(value);
    if (value === '' || !(days > 0) || !Number.isFinite(days)) throw new Error(`ATLAS_SLA_DAYS: "${key}" needs a positive number of days, got "${value}"`);
    const [typeOrSeverity = '', level] = key.split('.');
    if (level === undefined && (DISPUTE_SEVERITIES as readonly string[]).includes(key)) {
      caps[key as DisputeSeverity] = days;
    } else if ((DISPUTE_TYPE_KEYS as readonly string[]).includes(typeOrSeverity)) {
      const type = typeOrSeverity as DisputeType;
      if (level === undefined) {
        for (const each of HANDLING_LEVELS) table[type][each] = days * LEVEL_FACTOR[each];
      } else if ((HANDLING_LEVELS as readonly string[]).includes(level)) {
        cells.push([type, level as HandlingLevel, days]);
      } else {
        throw new Error(`ATLAS_SLA_DAYS: unknown handling level "${level}" in "${key}" (levels: ${HANDLING_LEVELS.join(', ')})`);
      }
    } else {
      throw new Error(`ATLAS_SLA_DAYS: unknown key "${key}" (a severity: ${DISPUTE_SEVERITIES.join(', ')}; a type: ${DISPUTE_TYPE_KEYS.join(', ')}; or type.level)`);
    }
  }
  for (const [type, level, days] of cells) table[type][level] = days;
  return { daysByTypeLevel: table, maxDaysBySeverity: caps };
}

/**
 * When a case's current stage began, from its steps in order (the report first): the last step that
 * reached another handling level or reopened it, else the report. NaN without steps.
 */
export function stageStartOf(steps: readonly { action: string; at: number; handlingLevel: HandlingLevel }[]): number {
  let since = NaN;
  let level: HandlingLevel | null = null;
  for (const step of steps) {
    if (level === null || startsNewStage(level, step.handlingLevel, step.action === 'reopen')) since = step.at;
    level = step.handlingLevel;
  }
  return since;
}
