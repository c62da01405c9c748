// The planner workspace's state in the URL: the question the map answers (?q=coverage|gaps|proposals|
// completeness) and the level of the units in the table (?units=street|community|grid …). Kind, minutes,
// walker and standard live in use-coverage-settings, the focus in use-region, scenarios with the what-if tools.

import type { FocusLevel } from '../../hooks/use-focus-children';
import { isOneOf } from '../../is-one-of';

export const PLAN_QUESTIONS = ['coverage', 'gaps', 'proposals', 'completeness'] as const;
export type PlanQuestion = (typeof PLAN_QUESTIONS)[number];
export const DEFAULT_QUESTION: PlanQuestion = 'coverage';

/** Levels a table can list, coarse to fine. */
export const TABLE_LEVELS = ['city', 'county', 'street', 'community', 'grid'] as const;
export type TableLevel = (typeof TABLE_LEVELS)[number];

const LEVEL_ORDER: readonly FocusLevel[] = ['province', 'city', 'county', 'street', 'community'];

/** The levels below a focus that its table may list: its children down to grids. */
export function tableLevelsBelow(focus: FocusLevel): TableLevel[] {
  const depth = LEVEL_ORDER.indexOf(focus);
  // A province lists cities and counties; finer levels over 16,000 communities are left to a city's focus.
  if (focus === 'province') return ['city', 'county'];
  return TABLE_LEVELS.slice(depth);
}

/** The question of ?q= (unknown: coverage). */
export function planQuestionFrom(params: URLSearchParams): PlanQuestion {
  const q = params.get('q');
  return isOneOf(PLAN_QUESTIONS, q) ? q : DEFAULT_QUESTION;
}

/** The table level of ?units= when the focus has it, else the focus's children (the units the map colours). */
export function tableLevelFrom(params: URLSearchParams, focus: FocusLevel): TableLevel {
  const levels = tableLevelsBelow(focus);
  const asked = params.get('units');
  if (isOneOf(levels, asked)) return asked;
  return focus === 'province' || focus === 'city' ? 'county' : levels[0]!;
}

/** Search parameters with `key` set, or removed when the value is the default; others kept. */
export function withParam(previous: URLSearchParams, key: string, value: string, fallback: string): URLSearchParams {
  const next = new URLSearchParams(previous);
  if (value === fallback) next.delete(key);
  else next.set(key, value);
  return next;
}
