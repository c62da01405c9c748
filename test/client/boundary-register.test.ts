// The register page's pure helpers: due lines always first, then the chosen column in either direction
// (ties by id); a row's patrol status in words; calendar days formatted without a time-zone shift;
// "today" in China time across the UTC midnight.

import { describe, expect, it } from 'vitest';
import type { BoundaryRegisterRow } from '../../client/src/api-types';
import { chinaToday, formatLength, formatRegisterDay, patrolStatusOf, sortRegisterRows } from '../../client/src/modes/desk/boundary-register';
import { BOUNDARY_REGISTER_TEXT } from '../../client/src/modes/desk/boundary-register-text';

function row(id: string, extra: Partial<BoundaryRegisterRow>): BoundaryRegisterRow {
  return {
    id,
    level: 'street',
    leftCode: '210103001',
    leftName: '左',
    rightCode: '210103002',
    rightName: '右',
    lengthMeters: 1000,
    agreementSigned: true,
    agreementSignedOn: null,
    jointMediation: true,
    lastJointPatrol: '2026-10-01',
    daysSincePatrol: 30,
    patrolDue: false,
    ...extra,
  } as BoundaryRegisterRow;
}

const rows = [
  row('a', { lengthMeters: 500, daysSincePatrol: 10 }),
  row('b', { patrolDue: true, daysSincePatrol: 120, lengthMeters: 3000, level: 'county' }),
  row('c', { patrolDue: true, daysSincePatrol: null, lastJointPatrol: null, lengthMeters: 200 }),
  row('d', { lengthMeters: 2000, daysSincePatrol: 80, agreementSigned: false }),
];
const ids = (list: readonly BoundaryRegisterRow[]) => list.map((r) => r.id);

describe('sortRegisterRows', () => {
  it('puts due lines first, the longest unpatrolled (never) first by default', () => {
    expect(ids(sortRegisterRows(rows, 'due', 'asc'))).toEqual(['c', 'b', 'd', 'a']);
  });

  it('sorts within the due and not-due groups by the chosen column, both directions', () => {
    expect(ids(sortRegisterRows(rows, 'length', 'asc'))).toEqual(['c', 'b', 'a', 'd']);
    expect(ids(sortRegisterRows(rows, 'length', 'desc'))).toEqual(['b', 'c', 'd', 'a']);
    expect(ids(sortRegisterRows(rows, 'patrol', 'asc'))).toEqual(['b', 'c', 'a', 'd']);
    expect(ids(sortRegisterRows(rows, 'agreement', 'asc'))).toEqual(['b', 'c', 'd', 'a']);
  });

  it('sorts by the cases near each line, unknown lines counting 0, and leaves its input alone', () => {
    const cases = new Map([['a', 7], ['b', 1], ['c', 4]]);
    const input = [...rows];
    expect(ids(sortRegisterRows(input, 'cases', 'desc', (id) => cases.get(id) ?? 0))).toEqual(['c', 'b', 'a', 'd']);
    expect(ids(input)).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('patrolStatusOf', () => {
  it('says due or patrolled, and how long ago, in both languages', () => {
    expect(patrolStatusOf({ patrolDue: true, daysSincePatrol: null }, BOUNDARY_REGISTER_TEXT.zh)).toEqual({ status: '待巡逻', since: '从未巡逻' });
    expect(patrolStatusOf({ patrolDue: true, daysSincePatrol: 120 }, BOUNDARY_REGISTER_TEXT.zh).since).toBe('120 天前');
    expect(patrolStatusOf({ patrolDue: false, daysSincePatrol: 0 }, BOUNDARY_REGISTER_TEXT.en)).toEqual({ status: 'Patrolled', since: '0 days ago' });
  });
});

describe('days and lengths', () => {
  it('formats a calendar day in zh-CN and English without shifting it', () => {
    expect(formatRegisterDay('2026-01-01', 'zh')).toBe('2026年1月1日');
    expect(formatRegisterDay('2026-12-31', 'en')).toBe('31 Dec 2026');
  });

  it('answers today in China time (UTC+8) on both sides of midnight there', () => {
    expect(chinaToday(Date.UTC(2026, 11, 7, 15, 59))).toBe('2026-12-07');
    expect(chinaToday(Date.UTC(2026, 11, 7, 16, 0))).toBe('2026-12-08');
  });

  it('writes metres below a kilometre, else kilometres', () => {
    expect(formatLength(850.4, 'zh')).toBe('850 米');
    expect(formatLength(3240, 'en')).toBe('3.2 km');
  });
});
