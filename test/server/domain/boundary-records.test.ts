// A line's effective status from the atlas baseline and the recorded patrols and agreements: the later
// patrol day wins, a recorded signing marks it signed, and records made on a line id that now joins other
// units (a rebuild renumbered the lines) are ignored.

import { describe, expect, it } from 'vitest';
import { boundaryRecordsById, withBoundaryRecords, type BoundaryLineRecords } from '../../../server/domain/boundary-records';

const line = { id: 'street:1|2', leftCode: '210103001', rightCode: '210103002', agreementSigned: false, lastJointPatrol: '2026-06-01' };
const record = (overrides: Partial<BoundaryLineRecords>): BoundaryLineRecords => ({
  lineId: line.id,
  leftCode: line.leftCode,
  rightCode: line.rightCode,
  lastJointPatrol: null,
  agreementSignedOn: null,
  ...overrides,
});

describe('withBoundaryRecords', () => {
  it('keeps the baseline without records, with no signing day', () => {
    expect(withBoundaryRecords(line, boundaryRecordsById(undefined))).toEqual({ ...line, agreementSignedOn: null });
  });

  it('takes the later of the baseline and the recorded patrol', () => {
    expect(withBoundaryRecords(line, boundaryRecordsById([record({ lastJointPatrol: '2026-11-30' })])).lastJointPatrol).toBe('2026-11-30');
    expect(withBoundaryRecords(line, boundaryRecordsById([record({ lastJointPatrol: '2026-05-31' })])).lastJointPatrol).toBe('2026-06-01');
    expect(withBoundaryRecords({ ...line, lastJointPatrol: null }, boundaryRecordsById([record({ lastJointPatrol: '2020-01-01' })])).lastJointPatrol).toBe('2020-01-01');
  });

  it('marks the line signed on the recorded day, keeping the patrol', () => {
    expect(withBoundaryRecords(line, boundaryRecordsById([record({ agreementSignedOn: '2026-10-01' })]))).toEqual({ ...line, agreementSigned: true, agreementSignedOn: '2026-10-01' });
  });

  it('ignores records of the same id made when the line joined other units', () => {
    const moved = record({ rightCode: '210103009', lastJointPatrol: '2026-11-30', agreementSignedOn: '2026-11-30' });
    expect(withBoundaryRecords(line, boundaryRecordsById([moved]))).toEqual({ ...line, agreementSignedOn: null });
  });
});
