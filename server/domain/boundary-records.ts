// Joint patrols and signed agreements recorded on 平安边界 lines by officers, and a line's effective status:
// the latest of the atlas data's baseline (demo values, rebuilt with the data) and these records.

/** The latest records of one line (user data, kept with the accounts), with the sides it was recorded on. */
export interface BoundaryLineRecords {
  lineId: string;
  /** The line's sides when recorded: a record applies only while the line id still joins these units. */
  leftCode: string;
  rightCode: string | null;
  /** 'YYYY-MM-DD' of the latest recorded joint patrol, or null. */
  lastJointPatrol: string | null;
  /** 'YYYY-MM-DD' of the latest recorded signing of the safe-boundary agreement, or null. */
  agreementSignedOn: string | null;
}

/** What a line's status is made of (BoundaryLineShape and the answers built from it). */
export interface BoundaryLineStatus {
  id: string;
  leftCode: string;
  rightCode: string | null;
  agreementSigned: boolean | null;
  lastJointPatrol: string | null;
}

const keyOf = (lineId: string, leftCode: string, rightCode: string | null): string => `${lineId}|${leftCode}|${rightCode ?? ''}`;

/** Records by line id and sides, for applying to many lines. */
export function boundaryRecordsById(records: readonly BoundaryLineRecords[] | undefined): Map<string, BoundaryLineRecords> {
  return new Map((records ?? []).map((record) => [keyOf(record.lineId, record.leftCode, record.rightCode), record]));
}

/**
 * The line with its effective status: the later of the baseline and recorded patrol days, signed when
 * either says so, and the recorded signing day (the baseline has none). Records made on a line id that
 * now joins other units (after a rebuild renumbered the lines) are ignored.
 */
export function withBoundaryRecords<T extends BoundaryLineStatus>(line: T, byId: ReadonlyMap<string, BoundaryLineRecords>): T & { agreementSignedOn: string | null } {
  const record = byId.get(keyOf(line.id, line.leftCode, line.rightCode));
  if (!record) return { ...line, agreementSignedOn: null };
  const baseline = line.lastJointPatrol?.slice(0, 10) ?? null;
  const patrol = record.lastJointPatrol;
  return {
    ...line,
    lastJointPatrol: patrol !== null && (baseline === null || patrol > baseline) ? patrol : line.lastJointPatrol,
    agreementSigned: record.agreementSignedOn !== null ? true : line.agreementSigned,
    agreementSignedOn: record.agreementSignedOn,
  };
}
