// How dispute rows encode the workflow: the step action of a report, the code of each status, and which
// timestamp column reaching a status sets.

import { DISPUTE_STATUSES, type DisputeStatus } from '../domain/dispute-workflow';

/** The timestamp column reaching each status sets (first time reached; closed_at: the last close). */
/** `dispute_step.action` of a report (the workflow actions follow as 1 + their index). */
export const STEP_ACTION_REPORT = 0;

export const STAGE_COLUMN: Partial<Record<DisputeStatus, string>> = {
  assigned: 'assigned_at',
  accepted: 'accepted_at',
  handled: 'handled_at',
  feedback: 'feedback_at',
  reviewed: 'reviewed_at',
  closed: 'closed_at',
};

export const STATUS_CODE = Object.fromEntries(DISPUTE_STATUSES.map((status, code) => [status, code])) as Record<DisputeStatus, number>;

