// The command desk's analyses: the handlers a case may go to (its grid, community, street and county,
// and across a boundary line the other side's), ranked by level, each with its open load and the walk
// from the case's place to its office on the walking network; and the review sample of a period.

import type { FacilityKind } from '../domain/facility-kinds';
import { DEFAULT_MAX_SNAP_METERS } from '../domain/travel-limits';
import { HANDLING_UNIT_CODE_LENGTH, type HandlingLevel } from '../domain/dispute-workflow';
import { haversineMeters } from '../analysis/network/polyline-network';
import { walkingMetersFrom } from '../analysis/network/walking-meters-from';
import { sampleForReview } from '../analysis/disputes/review-sample';
import type { AdminLevel } from '../domain/admin-codes';
import type { AtlasStore } from '../store/atlas-store';
import type { DisputeQueueQuery, DisputeRecord, QueuedDispute } from '../store/dispute-store';
import { DESK_COLUMN_STATUSES, type DeskColumn } from '../domain/desk-columns';
import type { DisputeStatus } from '../domain/dispute-workflow';
import { networkWorkspace } from './coverage';
import { preparedOf, type JobEnv } from './job-env';

/** The kinds of unit a case may be handed to (the handling levels up to the county). */
export type HandlerKind = 'grid' | 'community' | 'street' | 'county';
export const HANDLER_KINDS: readonly HandlerKind[] = ['grid', 'community', 'street', 'county'];

/**
 * Where a unit's office is: the grid's label point (grid workers have no office of their own); a
 * community's governance workstation (综治工作站); a street's or county's governance centre (综治中心,
 * which holds the street's mediation room and the county's joint mediation); where the data has no
 * such facility, the unit's label point (its pole of inaccessibility).
 */
export type OfficeSource = 'grid-label' | 'governance_workstation' | 'governance_center' | 'unit-label';

const OFFICE_KIND: Readonly<Record<Exclude<HandlerKind, 'grid'>, FacilityKind>> = {
  community: 'governance_workstation',
  street: 'governance_center',
  county: 'governance_center',
};

const PARENT_LEVEL_LENGTH: Readonly<Record<Exclude<HandlerKind, 'grid'>, number>> = { community: 9, street: 6, county: 4 };

/** The units of one side of a case, by kind (null where the side has none at that level). */
export type SideUnits = Record<HandlerKind, string | null>;

/**
 * The units a case may go to on each side. Its own side: the units holding its place (no grid where
 * the place has none). The other side of a boundary case (otherSideCode, a street): the grid of that
 * street nearest the place (straight line to the grid's label point) and that grid's community, the
 * street itself, and its county when that is not the case's own.
 */
export function handlerUnitsOf(store: AtlasStore, dispute: Pick<DisputeRecord, 'placeCode' | 'otherSideCode' | 'lngLat'>): { own: SideUnits; other: SideUnits | null } {
  const at = (length: number) => (dispute.placeCode.length >= length ? dispute.placeCode.slice(0, length) : null);
  const own: SideUnits = { grid: at(15), community: at(12), street: at(9), county: at(6) };
  const across = dispute.otherSideCode;
  if (across === null) return { own, other: null };
  let nearest: { code: string; communityCode: string } | null = null;
  let best = Infinity;
  for (const grid of store.gridRecords({ withinCode: across })) {
    const meters = haversineMeters(dispute.lngLat[0], dispute.lngLat[1], grid.labelLngLat[0], grid.labelLngLat[1]);
    if (meters < best || (meters === best && nearest !== null && grid.code < nearest.code)) {
      best = meters;
      nearest = grid;
    }
  }
  const county = across.slice(0, 6);
  return {
    own,
    other: { grid: nearest?.code ?? null, community: nearest?.communityCode ?? null, street: across, county: county === own.county ? null : county },
  };
}

export interface HandlerCandidate {
  unitCode: string;
  kind: HandlerKind;
  name: string;
  /** Cases in hand (assigned, accepted, handled) at the unit at its level, of those visible to the caller. */
  openCases: number;
  /** Walk from the case's place to the office on the walking network, whole metres; null where none was found. */
  walkingMeters: number | null;
  level: HandlingLevel;
  side: 'own' | 'other';
  /** Whether the caller may hand the case to the unit (inside their jurisdiction). */
  assignable: boolean;
  office: { lngLat: [number, number]; source: OfficeSource; name: string | null };
}

export interface SuggestHandlersInput {
  id: number;
  /** The caller's jurisdiction: what is assignable, and which cases an open load counts. */
  jurisdiction: string;
}

/** The office of a unit (see OfficeSource), or null when neither a facility nor a label point is known. */
function officeOf(store: AtlasStore, kind: HandlerKind, code: string): { office: HandlerCandidate['office']; name: string } | null {
  if (kind === 'grid') {
    const grid = store.gridRecords({ withinCode: code }).find((record) => record.code === code);
    return grid ? { office: { lngLat: grid.labelLngLat, source: 'grid-label', name: null }, name: grid.name } : null;
  }
  const unit = store.adminUnit(code);
  if (!unit) return null;
  const facility = store.facilities({ withinCode: code, kinds: [OFFICE_KIND[kind]] }).find((record) => record.unitCode === code);
  if (facility) return { office: { lngLat: facility.lngLat, source: OFFICE_KIND[kind] as OfficeSource, name: facility.name }, name: unit.name };
  const shape = store.adminUnits({ level: kind as AdminLevel, withinCode: code.slice(0, PARENT_LEVEL_LENGTH[kind]), band: 0 }).find((record) => record.code === code);
  return shape ? { office: { lngLat: shape.labelLngLat, source: 'unit-label', name: null }, name: unit.name } : null;
}

/**
 * The handlers of a case, ranked: by level (grid, community, street, county), the case's own side
 * before the other side's at each level. The walks are one network search from the place.
 */
export function suggestHandlers(env: JobEnv, input: SuggestHandlersInput): HandlerCandidate[] {
  const found = env.store.disputes.get(input.id);
  if (!found) return [];
  const dispute = found.dispute;
  const { own, other } = handlerUnitsOf(env.store, dispute);
  const units: { code: string; kind: HandlerKind; side: 'own' | 'other' }[] = [];
  for (const kind of HANDLER_KINDS) {
    if (own[kind] !== null) units.push({ code: own[kind], kind, side: 'own' });
    const across = other?.[kind] ?? null;
    if (across !== null) units.push({ code: across, kind, side: 'other' });
  }
  const located = units.flatMap((unit) => {
    const office = officeOf(env.store, unit.kind, unit.code);
    return office ? [{ ...unit, ...office }] : [];
  });
  const loads = env.store.disputes.openLoad(
    located.map((unit) => ({ unitCode: unit.code, level: unit.kind })),
    input.jurisdiction,
  );
  const network = preparedOf(env).network;
  const targets = new Float64Array(located.flatMap((unit) => unit.office.lngLat));
  const walks = network
    ? walkingMetersFrom(network.graph, network.snapper, dispute.lngLat, targets, DEFAULT_MAX_SNAP_METERS, networkWorkspace(network.graph))
    : new Float64Array(located.length).fill(NaN);
  return located.map((unit, index) => ({
    unitCode: unit.code,
    kind: unit.kind,
    name: unit.name,
    openCases: loads[index]!,
    walkingMeters: Number.isNaN(walks[index]!) ? null : Math.round(walks[index]!),
    level: unit.kind,
    side: unit.side,
    assignable: unit.code.startsWith(input.jurisdiction),
    office: unit.office,
  }));
}

/** Whether a code has the length of a handling unit at a kind's level. */
export function isUnitOfKind(code: string, kind: HandlerKind): boolean {
  return code.length === HANDLING_UNIT_CODE_LENGTH[kind];
}

export interface ReviewSampleInput {
  within: string;
  from: number;
  to: number;
  /** Share of the period's cases to sample, (0, 1]. */
  rate: number;
}

/** The review sample of a unit's cases that reached feedback in [from, to) (see sampleForReview). */
export function reviewSample(env: JobEnv, input: ReviewSampleInput): { pool: number; cases: (DisputeRecord & { placeName: string | null })[] } {
  const pool = env.store.disputes.reachedFeedback({ withinCode: input.within, fromMs: input.from, toMs: input.to });
  const chosen = new Set(sampleForReview(pool.map((dispute) => dispute.id), input.rate));
  // The place by name, as the queue names it: the grid's, else the finest unit's.
  const names = new Map<string, string | null>();
  const nameOf = (code: string): string | null => {
    if (!names.has(code)) {
      const grid = code.length === 15 ? env.store.gridRecords({ withinCode: code }).find((record) => record.code === code) : undefined;
      names.set(code, grid?.name ?? env.store.adminUnit(code)?.name ?? null);
    }
    return names.get(code)!;
  };
  return { pool: pool.length, cases: pool.filter((dispute) => chosen.has(dispute.id)).map((dispute) => ({ ...dispute, placeName: nameOf(dispute.placeCode) })) };
}

export interface DeskQueueInput {
  filters: Omit<DisputeQueueQuery, 'statuses' | 'overdueAt' | 'after' | 'limit'>;
  /** One column's cases (undefined: every open case). */
  column?: DeskColumn;
  after?: { dueAt: number; id: number };
  limit: number;
}

export interface DeskQueueAnswer {
  /** The last dispute log entry the counts and cases include. */
  asOfSeq: number;
  byStatus: Record<DisputeStatus, number>;
  /** Open cases past their deadline now. */
  overdue: number;
  /** Up to limit + 1 cases, most urgent first (one more than asked tells that a page follows). */
  cases: QueuedDispute[];
}

/**
 * A desk's queue page as of now: the counts per status, the overdue count and the page's cases, read in
 * one read transaction with the log's last sequence number, so a desk applying live entries after
 * asOfSeq counts nothing twice.
 */
export function deskQueue(env: JobEnv, input: DeskQueueInput): DeskQueueAnswer {
  return env.store.readConsistent(() => {
    const asOfSeq = env.store.lastDisputeSeq();
    const { byStatus, overdue } = env.store.disputes.queueCounts(input.filters, env.nowMs);
    const cases = env.store.disputes.queue({
      ...input.filters,
      statuses: input.column === undefined || input.column === 'overdue' ? undefined : DESK_COLUMN_STATUSES[input.column],
      overdueAt: input.column === 'overdue' ? env.nowMs : undefined,
      after: input.after,
      limit: input.limit + 1,
    });
    return { asOfSeq, byStatus, overdue, cases };
  });
}
