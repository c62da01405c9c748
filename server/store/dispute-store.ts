// The dispute part of the store interface: cases and their append-only step log, queries for lists,
// statistics and KPIs, and the writes (reports, workflow transitions) that the API and the live feed make.

import type { DisputeAction, DisputeSeverity, DisputeStatus, HandlingLevel } from '../domain/dispute-workflow';
import type { DisputeOutcome, DisputeSource, DisputeType } from '../domain/dispute-categories';
import type { DisputePeriodFigures } from '../analysis/disputes/kpis';
import type { Party } from '../domain/parties';

export type { DisputePeriodFigures };

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
}

export interface DisputeStepRecord {
  /** Global commit order. */
  seq: number;
  disputeId: number;
  /** Position in the case's history; 0 = the report. */
  step: number;
  action: 'report' | DisputeAction;
  fromStatus: DisputeStatus | null;
  toStatus: DisputeStatus;
  at: number;
  handlingLevel: HandlingLevel;
  actorRole: string;
  note: string | null;
}

/** A step with the case facts a live display needs. */
export interface DisputeLogEntry extends DisputeStepRecord {
  placeCode: string;
  lngLat: [number, number];
  type: DisputeType;
  severity: DisputeSeverity;
}

export interface DisputeListQuery {
  withinCode?: string;
  statuses?: readonly DisputeStatus[];
  types?: readonly DisputeType[];
  /** Report time [fromMs, toMs). */
  fromMs?: number;
  toMs?: number;
  /** Continue after this case (newest first: report time, then id, descending). */
  after?: { reportedAt: number; id: number };
  limit: number;
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

export interface NewDispute {
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
}

export interface TransitionRequest {
  id: number;
  action: DisputeAction;
  note: string | null;
  /** The version the client saw; the write happens only if it is still current. */
  version: number;
  actorRole: string;
  at: number;
  /** For `close`: how the case ended (default mediated). */
  outcome?: DisputeOutcome;
}

export type TransitionResult =
  | { ok: true; dispute: DisputeRecord; step: DisputeStepRecord }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'conflict'; currentVersion: number }
  | { ok: false; reason: 'illegal'; status: DisputeStatus; handlingLevel: HandlingLevel };

export interface DisputeStore {
  /** False when the database was opened read-only: reports and transitions are refused. */
  readonly writable: boolean;
  list(query: DisputeListQuery): DisputeRecord[];
  get(id: number): { dispute: DisputeRecord; history: DisputeStepRecord[] } | null;
  /** Counts per group of the cases reported in the period ('level': where closed cases were resolved by `asOfMs`). */
  stats(query: DisputeStatsQuery, asOfMs: number): { key: string; count: number }[];
  periodFigures(
    query: { withinCode: string; fromMs: number; toMs: number },
    asOfMs: number,
    slaDays: Readonly<Record<DisputeSeverity, number>>,
  ): DisputePeriodFigures;
  /** The units holding a place, or null outside every county. */
  locate(lngLat: [number, number]): PlaceCodes | null;
  /** Inserts reports in one transaction (one fsync for the batch); returns their ids and log seqs. */
  report(disputes: readonly (NewDispute & PlaceCodes)[]): { id: number; seq: number }[];
  /** Applies one workflow action if legal and the version matches; appends its step. */
  transition(request: TransitionRequest): TransitionResult;
  /** Log entries after `seq` in commit order (at most `limit`), optionally only inside a unit. */
  logAfter(seq: number, limit: number, withinCode?: string): DisputeLogEntry[];
  lastSeq(): number;
}
