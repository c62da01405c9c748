// Row writers shared by the bulk build and the live feed: a generated case as a dispute row, parties
// as compact JSON, and which timestamp column a workflow status sets.

import type Database from 'better-sqlite3';
import type { DisputeColumns } from '../../data/generator/disputes-columns';
import { formatPartyName, formatPartyPhone } from '../../data/generator/disputes-columns';
import { DISPUTE_STATUSES, type DisputeStatus } from '../domain/dispute-workflow';

/** Parties as compact JSON [[name, phone], …] (role by position: 申请人, 被申请人, 第三人). */
export function compactParties(events: DisputeColumns, i: number): string {
  const parties: [string, string][] = [];
  for (let k = 0; k < events.partyCount[i]!; k++) parties.push([formatPartyName(events, i, k), formatPartyPhone(events, i, k)]);
  return JSON.stringify(parties);
}

const nullableTime = (ms: number): number | null => (Number.isNaN(ms) ? null : Math.round(ms));

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

/** A prepared insert of case row i of generated columns (version = 1 + steps already applied). */
export function prepareCaseInsert(db: Database.Database) {
  const insert = db.prepare(
    `INSERT INTO dispute (id, type, source, severity, status, handling_level, resolved_level, outcome, grid_code, lng, lat,
                          reported_at, assigned_at, accepted_at, handled_at, feedback_at, reviewed_at, closed_at, due_at,
                          parties, cluster_id, version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return (events: DisputeColumns, i: number, gridCode: string, version: number): void => {
    insert.run(
      events.id[i]!,
      events.typeIndex[i]!,
      events.sourceIndex[i]!,
      events.severityIndex[i]!,
      events.statusIndex[i]!,
      events.handlingLevelIndex[i]!,
      events.resolvedLevelIndex[i]! < 0 ? null : events.resolvedLevelIndex[i]!,
      events.outcomeIndex[i]! < 0 ? null : events.outcomeIndex[i]!,
      gridCode,
      events.lng[i]!,
      events.lat[i]!,
      Math.round(events.reportedAtMs[i]!),
      nullableTime(events.assignedAtMs[i]!),
      nullableTime(events.acceptedAtMs[i]!),
      nullableTime(events.handledAtMs[i]!),
      nullableTime(events.feedbackAtMs[i]!),
      nullableTime(events.reviewedAtMs[i]!),
      nullableTime(events.closedAtMs[i]!),
      Math.round(events.dueAtMs[i]!),
      compactParties(events, i),
      events.clusterId[i]! === 0 ? null : events.clusterId[i]!,
      version,
    );
  };
}
