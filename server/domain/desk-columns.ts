// The command desk's queue columns and the workflow statuses each shows; `overdue` cuts across them
// with the one overdue rule of the workflow (isOverdue: open past the deadline set by the severity's SLA).

import type { DisputeStatus } from './dispute-workflow';

/**
 * Columns of the desk's queue, in the order a case passes through them:
 * - `new` 待派送: `reported`, registered and not yet dispatched.
 * - `assigned` 待签收: `assigned`, dispatched and waiting for the handler to sign.
 * - `inHand` 处置中: `accepted`, signed for and being handled.
 * - `awaitingFeedback` 待反馈: `handled`, handled on site, the result not yet reported back.
 * - `awaitingReview` 待复查: `feedback` and `reviewed`, waiting for the centre's review and then its close
 *   (both are the supervisor's 治理复查 → 办结).
 * - `overdue` 已超期: every open case past its deadline, whatever its status (it also stays in its own column).
 */
export const DESK_COLUMNS = ['new', 'assigned', 'inHand', 'awaitingFeedback', 'awaitingReview', 'overdue'] as const;
export type DeskColumn = (typeof DESK_COLUMNS)[number];

/** The statuses each status column shows (`overdue` is by deadline, not status). */
export const DESK_COLUMN_STATUSES: Readonly<Record<Exclude<DeskColumn, 'overdue'>, readonly DisputeStatus[]>> = {
  new: ['reported'],
  assigned: ['assigned'],
  inHand: ['accepted'],
  awaitingFeedback: ['handled'],
  awaitingReview: ['feedback', 'reviewed'],
};
