// The dispute part of the store interface: cases and their append-only step log, queries for lists,
// statistics and KPIs, and the writes (reports, workflow transitions) that the API and the live feed make.

import { unitAtLevel, type DisputeAction, type DisputeSeverity, type DisputeStatus, type HandlingLevel, type StepAction } from '../domain/dispute-workflow';
import type { DisputeOutcome, DisputeSource, DisputeType } from '../domain/dispute-categories';
import type { DisputePeriodFigures } from '../analysis/disputes/kpis';
import type { Party } from '../domain/parties';
import type { DeadlinePolicy } from '../domain/dispute-deadlines';

export type { DisputePeriodFigures };

/**
 * How near a boundary line between streets a case must lie for the street across it to see the case
 * (issue 14: a case on a boundary line is visible to the officers of both sides), metres.
 */
export const OTHER_SIDE_REACH_METERS = 500;

export interface DisputeRecord {
  id: number;
  type: DisputeType;
  source: DisputeSource;
  severity: DisputeSeverity;
  status: DisputeStatus;
  handlingLevel: HandlingLevel;
  resolvedLevel: HandlingLevel | null;
  outcome: DisputeOutcome | null;
  /** The grid holding the place (15 digits), or the finest unit that has one where no grid exists. */
  placeCode: string;
  /**
   * The street (9 digits) across the nearest street boundary line within OTHER_SIDE_REACH_METERS of the
   * place (a line with the case's own street on one side), or null when no such line is that near.
   */
  otherSideCode: string | null;
  lngLat: [number, number];
  summary: string | null;
  /** ms since epoch; null where the step was not reached. */
  reportedAt: number;
  assignedAt: number | null;
  acceptedAt: number | null;
  handledAt: number | null;
  feedbackAt: number | null;
  reviewedAt: number | null;
  closedAt: number | null;
  dueAt: number;
  /** Unmasked: the router masks them for roles that may not see them. */
  parties: Party[];
  clusterId: number | null;
  /** Optimistic-concurrency version: 1 + the number of steps after the report. */
  version: number;
  /**
   * The unit handling the case (a grid, community, street, county or city code, its length the
   * handling level's), chosen when it was assigned; null when none was chosen: then the unit of the
   * place at the handling level handles it (see handlingUnitOf).
   */
  handlerUnit: string | null;
  /** For joint mediation of a boundary case (联合调解): the other side's unit at the same level, else null. */
  jointUnit: string | null;
}

/** The unit handling a case: the chosen one, else the place's unit at the handling level (null: the place has none). */
export function handlingUnitOf(dispute: Pick<DisputeRecord, 'handlerUnit' | 'placeCode' | 'handlingLevel'>): string | null {
  return dispute.handlerUnit ?? unitAtLevel(dispute.placeCode, dispute.handlingLevel);
}

export interface DisputeStepRecord {
  /** Global commit order. */
  seq: number;
  disputeId: number;
  /** Position in the case's history; 0 = the report. */
  step: number;
  action: StepAction;
  fromStatus: DisputeStatus | null;
  toStatus: DisputeStatus;
  at: number;
  handlingLevel: HandlingLevel;
  actorRole: string;
  note: string | null;
  /**
   * The case's handler unit (and joint unit) after a workflow transition (events.transition, escalation by
   * rule); null where none was chosen, on reports and on steps written with a history batch.
   */
  handlerUnit: string | null;
  jointUnit: string | null;
}

/** A step with the case facts a live display needs. */
export interface DisputeLogEntry extends DisputeStepRecord {
  placeCode: string;
  /** The name of the grid (or finest unit) of the place, or null when it has none. */
  placeName: string | null;
  /** As DisputeRecord.otherSideCode. */
  otherSideCode: string | null;
  lngLat: [number, number];
  type: DisputeType;
  source: DisputeSource;
  severity: DisputeSeverity;
  /** The case's deadline when the entry was read (ms since epoch): a later stage's entry comes with its own. */
  dueAt: number;
}

export interface DisputeListQuery {
  /** Cases placed inside this unit (a code prefix of their place code). */
  withinCode?: string;
  /**
   * Cases visible in this unit: placed inside it, or across a boundary line from it (otherSideCode
   * inside it). Combines with withinCode (both must hold) when both are given.
   */
  visibleIn?: string;
  statuses?: readonly DisputeStatus[];
  types?: readonly DisputeType[];
  /** Report time [fromMs, toMs). */
  fromMs?: number;
  toMs?: number;
  /** Continue after this case (newest first: report time, then id, descending). */
  after?: { reportedAt: number; id: number };
  limit: number;
}

/** Open cases for a desk's queue, most urgent first (deadline, then id, ascending). */
export interface DisputeQueueQuery {
  /** Cases visible in this unit (placed inside it or across a boundary line from it; see DisputeListQuery.visibleIn). */
  visibleIn: string;
  /** Only these statuses (open ones; closed cases are never in a queue). */
  statuses?: readonly DisputeStatus[];
  /** Only cases past their deadline at this time, ms since epoch. */
  overdueAt?: number;
  types?: readonly DisputeType[];
  sources?: readonly DisputeSource[];
  /** Handling levels. */
  levels?: readonly HandlingLevel[];
  /** Only cases placed in this grid (or unit: a code prefix). */
  placeCode?: string;
  /**
   * Only cases by the street boundary line between these two streets: placed on one side with the other
   * across (DisputeRecord.otherSideCode; cases record the street across the nearest street line).
   */
  acrossLine?: readonly [string, string];
  /** Continue after this case. */
  after?: { dueAt: number; id: number };
  limit: number;
}

/** A queued case with the name of the grid (or finest unit) holding it. */
export interface QueuedDispute extends DisputeRecord {
  placeName: string | null;
  /** The action of the case's latest step (an `escalate` there: it went up and waits at its new level). */
  lastAction: StepAction;
}

export type DisputeGroupBy = 'type' | 'source' | 'status' | 'level' | 'day' | 'week' | 'month' | 'unit';

export interface DisputeStatsQuery {
  withinCode: string;
  fromMs: number;
  toMs: number;
  groupBy: DisputeGroupBy;
  /** For 'unit': the code length of the units to group by (the children of `withinCode`). */
  unitCodeLength?: number;
}

/**
 * A reporter's idempotency key for a report: the same reporter sending the same key again gets the
 * first report back instead of a second case (a flaky network resending a queued form).
 */
export interface ReportKey {
  /** Who reports (the audit log's actor name, e.g. user:alice). */
  reporter: string;
  /** The caller's key, 8–100 characters [A-Za-z0-9_-]. */
  key: string;
  /** A digest of the report's body: the same key with another body is a conflict, not a replay. */
  bodyHash: string;
}

/** What became of one report of a batch: a new case, the replay of a keyed one, or a key reused for another body. */
export type ReportResult =
  | { kind: 'new' | 'replay'; id: number; seq: number; placeCode: string }
  | { kind: 'key-conflict'; id: number };

export interface NewDispute {
  /** Optional idempotency key (see ReportKey). */
  reportKey?: ReportKey;
  type: DisputeType;
  source: DisputeSource;
  severity: DisputeSeverity;
  lngLat: [number, number];
  summary: string | null;
  parties: Party[];
  reportedAt: number;
  dueAt: number;
  actorRole: string;
}

/** Where a place lies: the finest units whose polygons hold it. */
export interface PlaceCodes {
  /** The grid (15 digits) or the finest unit code found. */
  placeCode: string;
  countyCode: string;
  /** As DisputeRecord.otherSideCode. */
  otherSideCode: string | null;
}

/**
 * Which log entries a reader wants: a unit code (entries placed inside it), or `{ visibleIn }` (entries
 * placed inside that unit or across a boundary line from it: otherSideCode inside it).
 */
export type DisputeLogScope = string | { visibleIn: string };

export interface TransitionRequest {
  id: number;
  action: DisputeAction;
  note: string | null;
  /** The version the client saw; the write happens only if it is still current. */
  version: number;
  actorRole: string;
  at: number;
  /** For `close`: how the case ended (required there: a close without it is refused, never defaulted). */
  outcome?: DisputeOutcome;
  /**
   * For `assign` and `reopen`: the chosen handler, whose level becomes the case's handling level (the
   * caller checked that the case may go there), with the other side's unit for joint mediation.
   */
  handler?: { unit: string; level: HandlingLevel; jointUnit: string | null };
  /** For automatic escalation: the rule that fired (recorded once per case, see escalationCandidates). */
  ruleKey?: string;
}

/** An open case past its deadline that an escalation rule may move up (see DisputeStore.escalationCandidates). */
export interface EscalationCandidate {
  id: number;
  severity: DisputeSeverity;
  handlingLevel: HandlingLevel;
  dueAt: number;
  version: number;
  /** Rules that already fired for the case. */
  firedRules: string[];
}

/** Which cases an escalation run reads (see DisputeStore.escalationCandidates). */
export interface EscalationQuery {
  /** Deadline at or before this, ms since epoch. */
  dueBeforeMs: number;
  /** The severities and levels that have a rule (other cases are not read). */
  ruled: readonly { severity: DisputeSeverity; level: HandlingLevel }[];
  /** Continue after this case (deadline, then id). */
  after: { dueAt: number; id: number } | null;
  limit: number;
}

/** A unit whose open load is asked for: its code and the handling level it works at. */
export interface LoadQuery {
  unitCode: string;
  level: HandlingLevel;
}

export type TransitionResult =
  | { ok: true; dispute: DisputeRecord; step: DisputeStepRecord }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'conflict'; currentVersion: number }
  | { ok: false; reason: 'rule-fired' }
  | { ok: false; reason: 'illegal'; status: DisputeStatus; handlingLevel: HandlingLevel };

/** A case written with its history (an importer, the demonstration feed): its report and where it stands. */
export interface HistoryCase extends NewDispute, Omit<PlaceCodes, 'otherSideCode'> {
  /** The street across the nearest boundary line (see DisputeRecord.otherSideCode); undefined: the store finds it. */
  otherSideCode?: string | null;
  /** The caller's key for the case, which steps of the same batch refer to (it has no id yet). */
  key: number;
  /** The level the case is handled at from its report (default grid: 小事不出格). */
  handlingLevel?: HandlingLevel;
  /** Planted cluster of demonstration data (ground truth for tests), else null. */
  clusterId?: number | null;
}

/** One workflow step of a case written with its history. */
export interface HistoryStep {
  /** An existing case… */
  caseId?: number;
  /** …or one of the batch's cases by its key. */
  caseKey?: number;
  action: DisputeAction;
  at: number;
  /** The handling level after the step (default: as the state machine moves it). */
  handlingLevel?: HandlingLevel;
  actorRole: string;
  note: string | null;
  /** For `close`: how the case ended (required there: the batch is refused without it). */
  outcome?: DisputeOutcome;
}

/** Cases and steps to append, each list in time order (a report comes before steps at the same time). */
export interface DisputeHistoryBatch {
  cases: readonly HistoryCase[];
  steps: readonly HistoryStep[];
}

/** Where an open case stands in its workflow. */
export interface OpenCaseState {
  id: number;
  type: DisputeType;
  source: DisputeSource;
  severity: DisputeSeverity;
  status: DisputeStatus;
  handlingLevel: HandlingLevel;
  reportedAt: number;
  /** Time of its last step (its report when none). */
  lastStepAt: number;
  /** Steps after the report. */
  stepCount: number;
}

export interface DisputeStore {
  /** False when the database was opened read-only: reports and transitions are refused. */
  readonly writable: boolean;
  list(query: DisputeListQuery): DisputeRecord[];
  get(id: number): { dispute: DisputeRecord; history: DisputeStepRecord[] } | null;
  /** Open cases for a queue (see DisputeQueueQuery). */
  queue(query: DisputeQueueQuery): QueuedDispute[];
  /** How many open cases match (ignoring statuses, overdueAt and paging): per status, and how many are past their deadline at `nowMs`. */
  queueCounts(query: Omit<DisputeQueueQuery, 'statuses' | 'overdueAt' | 'after' | 'limit'>, nowMs: number): { byStatus: Record<DisputeStatus, number>; overdue: number };
  /** Counts per group of the cases reported in the period ('level': where closed cases were resolved by `asOfMs`). */
  stats(query: DisputeStatsQuery, asOfMs: number): { key: string; count: number }[];
  periodFigures(
    query: { withinCode: string; fromMs: number; toMs: number },
    asOfMs: number,
  ): DisputePeriodFigures;
  /** The units holding a place and the street across the nearest boundary line, or null outside every county. */
  locate(lngLat: [number, number]): PlaceCodes | null;
  /** The street across the nearest street boundary line within OTHER_SIDE_REACH_METERS of a place (see DisputeRecord.otherSideCode). */
  otherSideAt(lngLat: [number, number], placeCode: string): string | null;
  /**
   * Inserts reports in one transaction (one fsync for the batch); returns, per report, its id and log seq.
   * A report whose key (reporter, key) is already stored, in the database or earlier in the batch, writes
   * nothing and answers the first report (`replay`), or `key-conflict` when the bodies differ.
   */
  report(disputes: readonly (NewDispute & PlaceCodes)[]): ReportResult[];
  /**
   * Applies one workflow action if legal and the version matches; appends its step. A step that starts a
   * new stage (another handling level, a reopening) sets the deadline by `deadlines` from its time.
   */
  transition(request: TransitionRequest, deadlines: DeadlinePolicy): TransitionResult;
  /**
   * Appends cases and steps in one transaction, merged in time order into the log; every step must be
   * legal from where its case stands (else nothing is written and the error names the step). `meta`
   * entries are written in the same transaction (e.g. the feed's cursor); a step that starts a new stage
   * sets the case's deadline by `deadlines` (default DEFAULT_DEADLINE_POLICY). Returns the new cases' ids
   * (in batch order) and the log's last sequence number.
   */
  appendHistory(batch: DisputeHistoryBatch, meta?: Readonly<Record<string, unknown>>, deadlines?: DeadlinePolicy): { ids: number[]; lastSeq: number };
  /** Every case not closed, in id order. */
  openCases(): OpenCaseState[];
  /**
   * Open load per unit: the cases in hand (assigned, accepted or handled) at each unit at its level —
   * handled there by choice (handler or joint unit), or placed inside it with no unit chosen — counting
   * only cases visible in `visibleIn` (placed inside it or across a boundary line from it).
   */
  openLoad(units: readonly LoadQuery[], visibleIn: string): number[];
  /**
   * Cases in hand (assigned, accepted or handled) whose deadline is at or before `dueBeforeMs`, of a
   * severity and level that has a rule, by deadline then id after `after` (for chunks), at most `limit`.
   */
  escalationCandidates(query: EscalationQuery): EscalationCandidate[];
  /**
   * Cases that reached feedback, reviewed or closed in [fromMs, toMs) (first time reached), placed in
   * `withinCode`, with where they stand now; id order.
   */
  reachedFeedback(query: { withinCode: string; fromMs: number; toMs: number }): DisputeRecord[];
  /** The largest case id (0 when there is none). */
  maxId(): number;
  /** Log entries after `seq` in commit order (at most `limit`), optionally only those of a scope (a unit code, or `{ visibleIn }`). */
  logAfter(seq: number, limit: number, scope?: DisputeLogScope): DisputeLogEntry[];
  lastSeq(): number;
  /**
   * Retention of personal data: masks, for good, the parties (names, phones, roles), summaries and step
   * notes of at most `limit` cases closed at or before `closedBeforeMs` that were not masked yet (oldest
   * closure first). Returns how many cases it masked; 0 when none is left.
   */
  redactClosedBefore(closedBeforeMs: number, limit: number, nowMs?: number): number;
}
