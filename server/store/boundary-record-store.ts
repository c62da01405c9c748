// Joint patrols and signed agreements recorded on boundary lines: user data kept with the accounts (like
// scenarios), so they survive rebuilds of the atlas data, whose demo values stay the baseline.

import type { BoundaryLineRecords } from '../domain/boundary-records';

export type BoundaryRecordKind = 'patrol' | 'agreement';

/** What is written for one record. */
export interface BoundaryRecordFields {
  lineId: string;
  kind: BoundaryRecordKind;
  /** 'YYYY-MM-DD' (China time) of the patrol or the signing. */
  day: string;
  /** Free text (patrols only, ≤ 500 characters); may hold personal data: never logged. */
  note: string | null;
  /** The line's two sides when recorded (admin codes). */
  leftCode: string;
  rightCode: string | null;
}

export interface BoundaryRecord extends BoundaryRecordFields {
  id: number;
  /** Who recorded it, as the audit log names callers ("user:alice", "token:7"). */
  recordedBy: string;
  /** ms since epoch. */
  recordedAt: number;
}

export interface BoundaryRecordStore {
  addRecord(fields: BoundaryRecordFields, recordedBy: string, at: number): BoundaryRecord;
  /** A line's records, latest day first. */
  records(lineId: string): BoundaryRecord[];
  /** The latest patrol and signing per line with a side inside `withinCode` (every line when absent). */
  latestByLine(withinCode?: string): BoundaryLineRecords[];
}
