// The register of 平安边界 lines (boundaries.register) and the lookup of one line for a record, as jobs:
// both read the stored lines (with their geometry) and apply the officers' records, work kept off the
// event loop. A line's effective status is the latest of the atlas baseline and the records.

import type { BoundaryLevel } from '../domain/admin-codes';
import { boundaryRecordsById, withBoundaryRecords, type BoundaryLineRecords } from '../domain/boundary-records';
import { BOUNDARY_MIN_DAYS, patrolOverdue } from '../domain/brief-periods';
import type { BoundaryLineShape } from '../store/atlas-store';
import type { JobEnv } from './job-env';

/** Days after which a line is due a joint patrol (the briefing's and the wall's 90 days). */
export const JOINT_PATROL_DUE_DAYS = BOUNDARY_MIN_DAYS;

/** A stored line without its geometry, with the day its agreement was recorded as signed (if it was). */
export type BoundaryLineRow = Omit<BoundaryLineShape, 'geometry'> & { agreementSignedOn: string | null };

/** Whole days from a 'YYYY-MM-DD' day to another. */
const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);


/** One row of the register from a line with its effective status. */
export function registerRow(line: BoundaryLineRow, today: string) {
  const lastJointPatrol = line.lastJointPatrol?.slice(0, 10) ?? null;
  return {
    id: line.id,
    level: line.level,
    leftCode: line.leftCode,
    leftName: line.leftName,
    rightCode: line.rightCode,
    rightName: line.rightName,
    lengthMeters: Math.round(line.lengthMeters),
    agreementSigned: line.agreementSigned,
    agreementSignedOn: line.agreementSignedOn,
    jointMediation: line.jointMediation,
    lastJointPatrol,
    daysSincePatrol: lastJointPatrol === null ? null : daysBetween(lastJointPatrol, today),
    /** No joint patrol in the last 90 days (or never). */
    patrolDue: patrolOverdue(lastJointPatrol, today, JOINT_PATROL_DUE_DAYS),
  };
}

export type BoundaryRegisterRow = ReturnType<typeof registerRow>;

export interface BoundaryRegisterInput {
  within: string;
  levels: readonly BoundaryLevel[];
  /** 'YYYY-MM-DD', China time: what "days since" and "due" count from. */
  today: string;
  /** The latest records of the lines (absent when there are none). */
  records?: BoundaryLineRecords[];
}

/** The lines with a side inside `within` at the levels asked for, due ones first, then the longest unpatrolled. */
export function boundaryRegister(env: JobEnv, input: BoundaryRegisterInput) {
  const byId = boundaryRecordsById(input.records ?? []);
  const lines = input.levels
    .flatMap((level) => env.store.boundaryLines({ level, withinCode: input.within, band: 0 }))
    // The province's outer edge has no neighbour to patrol with.
    .filter((line) => line.rightCode !== null)
    .map(({ geometry: _geometry, ...line }) => registerRow(withBoundaryRecords(line, byId), input.today))
    .sort((a, b) => Number(b.patrolDue) - Number(a.patrolDue) || (b.daysSincePatrol ?? Infinity) - (a.daysSincePatrol ?? Infinity) || a.id.localeCompare(b.id, 'en', { numeric: true }));
  return { within: input.within, asOf: input.today, patrolDueDays: JOINT_PATROL_DUE_DAYS, lines };
}

/** One line by id: `line` when a side lies inside `jurisdiction`, else whether it exists at all. */
export function boundaryLineById(env: JobEnv, input: { lineId: string; jurisdiction: string }): { line: Omit<BoundaryLineShape, 'geometry'> | null; exists: boolean } {
  const strip = ({ geometry: _geometry, ...line }: BoundaryLineShape) => line;
  const own = env.store.boundaryLines({ withinCode: input.jurisdiction, band: 0 }).find((line) => line.id === input.lineId);
  if (own) return { line: strip(own), exists: true };
  return { line: null, exists: env.store.boundaryLines({ band: 0 }).some((line) => line.id === input.lineId) };
}
