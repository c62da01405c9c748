// The dispute (矛盾纠纷) workflow as a finite state machine: statuses, actions, the transition table
// (登记受理 → 派送交办 → 签收 → 现场处置 → 结果反馈 → 治理复查 → 办结, plus escalate and reopen), the handling
// levels an escalation climbs, and whether a case is overdue against its deadline (set in dispute-deadlines.ts).

import type { Label } from './labels';

/**
 * Workflow statuses, in the order a case normally passes through them:
 * - `reported` 登记受理: registered (by a grid worker, the 12345 hotline, 110, 信访 or a walk-in), not yet dispatched.
 * - `assigned` 派送交办: dispatched to a handling level (grid, community, …), waiting for the handler to sign.
 * - `accepted` 签收受理: the handler at that level has signed for the case.
 * - `handled` 现场处置: handled on site (mediation, negotiation, referral) by the handler.
 * - `feedback` 结果反馈: the result has been reported back to the parties and the dispatching centre.
 * - `reviewed` 治理复查: the governance centre has checked the result (return visit, agreement kept).
 * - `closed` 办结归档: closed and archived.
 */
export const DISPUTE_STATUSES = ['reported', 'assigned', 'accepted', 'handled', 'feedback', 'reviewed', 'closed'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

export const DISPUTE_STATUS_LABELS: Readonly<Record<DisputeStatus, Label>> = {
  reported: { zh: '登记受理', en: 'Registered' },
  assigned: { zh: '派送交办', en: 'Dispatched' },
  accepted: { zh: '签收受理', en: 'Accepted' },
  handled: { zh: '现场处置', en: 'Handled on site' },
  feedback: { zh: '结果反馈', en: 'Feedback given' },
  reviewed: { zh: '治理复查', en: 'Reviewed' },
  closed: { zh: '办结归档', en: 'Closed' },
};

/**
 * Workflow actions (the `action` of `events.transition`):
 * - `assign` 派送: reported → assigned (at the case's current handling level).
 * - `accept` 签收: assigned → accepted.
 * - `handle` 处置: accepted → handled.
 * - `feedback` 反馈: handled → feedback.
 * - `review` 复查: feedback → reviewed.
 * - `close` 办结: reviewed → closed.
 * - `escalate` 上报: assigned | accepted | handled → assigned, one handling level up (not possible at `above`).
 * - `reopen` 重新交办: closed | reviewed → assigned, at the same handling level.
 */
export const DISPUTE_ACTIONS = ['assign', 'accept', 'handle', 'feedback', 'review', 'close', 'escalate', 'reopen'] as const;
export type DisputeAction = (typeof DISPUTE_ACTIONS)[number];

export const DISPUTE_ACTION_LABELS: Readonly<Record<DisputeAction, Label>> = {
  assign: { zh: '派送交办', en: 'Dispatch' },
  accept: { zh: '签收', en: 'Accept' },
  handle: { zh: '现场处置', en: 'Handle on site' },
  feedback: { zh: '结果反馈', en: 'Give feedback' },
  review: { zh: '治理复查', en: 'Review' },
  close: { zh: '办结', en: 'Close' },
  escalate: { zh: '上报升级', en: 'Escalate' },
  reopen: { zh: '重新交办', en: 'Reopen' },
};

/** The steps of a case's history: its report, then workflow actions. */
export const STEP_ACTIONS = ['report', ...DISPUTE_ACTIONS] as const;
export type StepAction = (typeof STEP_ACTIONS)[number];

export const STEP_ACTION_LABELS: Readonly<Record<StepAction, Label>> = {
  report: { zh: '登记受理', en: 'Report' },
  ...DISPUTE_ACTION_LABELS,
};

/**
 * Handling levels, from the bottom up: 网格 → 社区（村） → 乡镇（街道） → 县（市、区） → 市级及以上.
 * "小事不出格、大事不出网": most cases are resolved at `grid`.
 */
export const HANDLING_LEVELS = ['grid', 'community', 'street', 'county', 'above'] as const;
export type HandlingLevel = (typeof HANDLING_LEVELS)[number];

export const HANDLING_LEVEL_LABELS: Readonly<Record<HandlingLevel, Label>> = {
  grid: { zh: '网格', en: 'Grid' },
  community: { zh: '社区（村）', en: 'Community/village' },
  street: { zh: '乡镇（街道）', en: 'Street/town' },
  county: { zh: '县（市、区）', en: 'County' },
  above: { zh: '市级及以上', en: 'City or above' },
};

/**
 * The length of the code of the unit that handles a case at each level: a grid (15 digits), a
 * community (12), a street (9), a county (6); `above` is the city (4) and higher.
 */
export const HANDLING_UNIT_CODE_LENGTH: Readonly<Record<HandlingLevel, number>> = { grid: 15, community: 12, street: 9, county: 6, above: 4 };

/**
 * The unit at `level` that holds `code` (a place or a handling unit): its code's prefix of the level's
 * length, or null when `code` is coarser than the level (a place with no grid has no grid unit).
 */
export function unitAtLevel(code: string, level: HandlingLevel): string | null {
  const length = HANDLING_UNIT_CODE_LENGTH[level];
  return code.length >= length ? code.slice(0, length) : null;
}

/** The handling level of a unit code by its length (15 grid … 4 above), or null for another length. */
export function levelOfUnit(code: string): HandlingLevel | null {
  return HANDLING_LEVELS.find((level) => HANDLING_UNIT_CODE_LENGTH[level] === code.length) ?? null;
}

const TRANSITIONS: Readonly<Record<DisputeAction, Partial<Record<DisputeStatus, DisputeStatus>>>> = {
  assign: { reported: 'assigned' },
  accept: { assigned: 'accepted' },
  handle: { accepted: 'handled' },
  feedback: { handled: 'feedback' },
  review: { feedback: 'reviewed' },
  close: { reviewed: 'closed' },
  escalate: { assigned: 'assigned', accepted: 'assigned', handled: 'assigned' },
  reopen: { closed: 'assigned', reviewed: 'assigned' },
};

const STATUS_COUNT = DISPUTE_STATUSES.length;
const ACTION_COUNT = DISPUTE_ACTIONS.length;

/**
 * The transition table by index, for columnar data: `NEXT_STATUS_INDEX[statusIndex * DISPUTE_ACTIONS.length
 * + actionIndex]` is the index of the status after the action, or -1 when the action is illegal there.
 */
export const NEXT_STATUS_INDEX: Int8Array = (() => {
  const table = new Int8Array(STATUS_COUNT * ACTION_COUNT).fill(-1);
  DISPUTE_ACTIONS.forEach((action, actionIndex) => {
    for (const [from, to] of Object.entries(TRANSITIONS[action])) {
      table[DISPUTE_STATUSES.indexOf(from as DisputeStatus) * ACTION_COUNT + actionIndex] = DISPUTE_STATUSES.indexOf(to);
    }
  });
  return table;
})();

/** Index of the `escalate` action and of the top handling level, for index-based callers. */
export const ESCALATE_ACTION_INDEX = DISPUTE_ACTIONS.indexOf('escalate');
export const TOP_HANDLING_LEVEL_INDEX = HANDLING_LEVELS.length - 1;
export const CLOSED_STATUS_INDEX = DISPUTE_STATUSES.indexOf('closed');

/** Index form of {@link nextStatus}: the next status index, or -1 when illegal (or an index is out of range). */
export function nextStatusIndex(statusIndex: number, actionIndex: number): number {
  if (statusIndex < 0 || statusIndex >= STATUS_COUNT || actionIndex < 0 || actionIndex >= ACTION_COUNT) return -1;
  return NEXT_STATUS_INDEX[statusIndex * ACTION_COUNT + actionIndex]!;
}

/**
 * The status after `action` from `status`, or null when the action is illegal there. Ignores the
 * handling level: `escalate` from `assigned|accepted|handled` gives `assigned` even at `above`;
 * {@link applyTransition} also checks the level.
 */
export function nextStatus(status: DisputeStatus, action: DisputeAction): DisputeStatus | null {
  return TRANSITIONS[action]?.[status] ?? null;
}

/** The handling level one up, or null above the top. */
export function nextHandlingLevel(level: HandlingLevel): HandlingLevel | null {
  return HANDLING_LEVELS[HANDLING_LEVELS.indexOf(level) + 1] ?? null;
}

/**
 * The actions allowed from `status`, in {@link DISPUTE_ACTIONS} order. With `handlingLevel` given,
 * `escalate` is left out at the top level (`above`).
 */
export function legalActions(status: DisputeStatus, handlingLevel?: HandlingLevel): DisputeAction[] {
  return DISPUTE_ACTIONS.filter(
    (action) =>
      nextStatus(status, action) !== null &&
      !(action === 'escalate' && handlingLevel !== undefined && nextHandlingLevel(handlingLevel) === null),
  );
}

export interface DisputeWorkflowState {
  status: DisputeStatus;
  handlingLevel: HandlingLevel;
}

/**
 * The state after `action`, or null when the action is illegal: a status the action does not leave
 * from, or `escalate` at the top handling level. `escalate` moves the handling level one up; every
 * other action (including `reopen`) keeps it.
 */
export function applyTransition(state: DisputeWorkflowState, action: DisputeAction): DisputeWorkflowState | null {
  const status = nextStatus(state.status, action);
  if (status === null) return null;
  if (action !== 'escalate') return { status, handlingLevel: state.handlingLevel };
  const handlingLevel = nextHandlingLevel(state.handlingLevel);
  return handlingLevel === null ? null : { status, handlingLevel };
}

/** True while a case is not closed. */
export function isOpenStatus(status: DisputeStatus): boolean {
  return status !== 'closed';
}

/** Severity levels (一般 / 较大 / 重大); a severity caps the days of each stage (see dispute-deadlines.ts). */
export const DISPUTE_SEVERITIES = ['general', 'major', 'critical'] as const;
export type DisputeSeverity = (typeof DISPUTE_SEVERITIES)[number];

export const DISPUTE_SEVERITY_LABELS: Readonly<Record<DisputeSeverity, Label>> = {
  general: { zh: '一般', en: 'General' },
  major: { zh: '较大', en: 'Major' },
  critical: { zh: '重大', en: 'Critical' },
};

/**
 * Overdue (超期): closed after the deadline, or still open at `nowMs` with the deadline passed.
 * `closedAtMs` is null or NaN while open. All times are ms since epoch.
 */
export function isOverdue(dueAtMs: number, closedAtMs: number | null, nowMs: number): boolean {
  if (closedAtMs !== null && Number.isFinite(closedAtMs)) return closedAtMs > dueAtMs;
  return nowMs > dueAtMs;
}
