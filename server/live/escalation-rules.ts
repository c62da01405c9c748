// Escalation by rule (超期自动升级): an open case in hand (assigned, accepted, handled) that is overdue by
// at least its rule's hours goes one handling level up, once per case and rule. The rule table is per
// severity and current level, configured by ATLAS_ESCALATION_RULES and parsed like ATLAS_SLA_DAYS.

import { DISPUTE_SEVERITIES, HANDLING_LEVELS, type DisputeSeverity, type HandlingLevel } from '../domain/dispute-workflow';

/** Hours overdue after which a case at a level escalates one level up; a missing entry never escalates. */
export type EscalationRules = Readonly<Record<DisputeSeverity, Readonly<Partial<Record<HandlingLevel, number>>>>>;

/**
 * The default table, hours past the deadline: the more severe, the sooner; each level gets longer before
 * it hands the case up. Nothing escalates automatically from the county to the city (a county centre
 * decides that itself).
 */
export const DEFAULT_ESCALATION_RULES: EscalationRules = {
  general: { grid: 24, community: 48, street: 96 },
  major: { grid: 12, community: 24, street: 48 },
  critical: { grid: 4, community: 8, street: 24 },
};

/** The levels a rule may start from (not `above`: there is nothing higher). */
const RULE_LEVELS: readonly HandlingLevel[] = HANDLING_LEVELS.filter((level) => level !== 'above');

/**
 * "critical.grid=2,general.street=off" → the default table with those entries changed (hours ≥ 0, or
 * `off` to never escalate from there); "off" alone turns automatic escalation off. Errors name the entry.
 */
export function parseEscalationRules(text: string | undefined): EscalationRules {
  const rules = Object.fromEntries(DISPUTE_SEVERITIES.map((severity) => [severity, { ...DEFAULT_ESCALATION_RULES[severity] }])) as Record<
    DisputeSeverity,
    Partial<Record<HandlingLevel, number>>
  >;
  if (!text || !text.trim()) return rules;
  if (text.trim() === 'off') return { general: {}, major: {}, critical: {} };
  for (const part of text.split(',')) {
    const [key = '', value = ''] = part.split('=').map((s) => s.trim());
    const [severity, level] = key.split('.');
    if (!DISPUTE_SEVERITIES.includes(severity as DisputeSeverity)) {
      throw new Error(`ATLAS_ESCALATION_RULES: "${key}" must be severity.level with a severity of ${DISPUTE_SEVERITIES.join(', ')}`);
    }
    if (!RULE_LEVELS.includes(level as HandlingLevel)) throw new Error(`ATLAS_ESCALATION_RULES: "${key}" needs a level of ${RULE_LEVELS.join(', ')}`);
    const table = rules[severity as DisputeSeverity];
    if (value === 'off') {
      delete table[level as HandlingLevel];
      continue;
    }
    const hours = value === '' ? NaN : Number(value);
    if (!(hours >= 0) || !Number.isFinite(hours)) throw new Error(`ATLAS_ESCALATION_RULES: ${key} needs hours overdue (a number ≥ 0) or off, got "${value}"`);
    table[level as HandlingLevel] = hours;
  }
  return rules;
}

/** The key of a rule as recorded when it fires (severity.level). */
export function escalationRuleKey(severity: DisputeSeverity, level: HandlingLevel): string {
  return `${severity}.${level}`;
}

/** The fewest hours overdue any rule waits for, or null when no rule is on. */
export function earliestEscalationHours(rules: EscalationRules): number | null {
  const hours = DISPUTE_SEVERITIES.flatMap((severity) => Object.values(rules[severity]));
  return hours.length === 0 ? null : Math.min(...hours);
}

/**
 * The rule that fires for a case now: its severity and level's, when the case is overdue by at least its
 * hours (and overdue at all) and the rule has not fired for it before; else null.
 */
export function firingRule(
  rules: EscalationRules,
  state: { severity: DisputeSeverity; handlingLevel: HandlingLevel; dueAt: number; firedRules: readonly string[] },
  nowMs: number,
): { key: string; hours: number } | null {
  const hours = rules[state.severity][state.handlingLevel];
  if (hours === undefined || !(nowMs > state.dueAt) || nowMs - state.dueAt < hours * 3_600_000) return null;
  const key = escalationRuleKey(state.severity, state.handlingLevel);
  return state.firedRules.includes(key) ? null : { key, hours };
}
