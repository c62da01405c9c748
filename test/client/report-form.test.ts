// The report form's checks: every body the form lets through is one events.report's own input schema
// accepts, and every limit the form states (summary, parties, name, phone, role) is the schema's — at the
// limit accepted by both, one over refused by both.

import { describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { appRouter } from '../../server/routers/app';
import { REPORT_LIMITS, checkReportForm, defaultSourceFor, emptyReportForm, formOfBody, reportBodyOf, type ReportForm } from '../../client/src/modes/report/report-form';

const reportInput = (appRouter._def.procedures as unknown as Record<string, { _def: { inputs: ZodType[] } }>)['events.report']!._def.inputs[0]!;
const serverAccepts = (form: ReportForm): boolean => reportInput.safeParse({ ...reportBodyOf(form), idempotencyKey: 'abcdefgh-1234' }).success;

let rowId = 0;
const row = (name: string, phone = '', role = '') => ({ id: ++rowId, name, phone, role });
const base = (): ReportForm => ({ ...emptyReportForm('patrol'), lngLat: [123.45, 41.79] });

describe('checkReportForm', () => {
  it('asks for a place, and accepts a form with only a place (blank party rows dropped)', () => {
    expect(checkReportForm(emptyReportForm('patrol'))).toEqual([{ field: 'place', problem: 'missing' }]);
    const form = { ...base(), parties: [row('')] };
    expect(checkReportForm(form)).toEqual([]);
    expect(reportBodyOf(form)).toEqual({ lngLat: [123.45, 41.79], type: 'family', source: 'patrol', severity: 'general', parties: [] });
    expect(serverAccepts(form)).toBe(true);
  });

  it('names each party problem by row and field', () => {
    const form = { ...base(), parties: [row('张三', '138 0000 1234'), row('', '139'), row('李四', '电话'), row('王五', '', '长'.repeat(21))] };
    expect(checkReportForm(form)).toEqual([
      { field: 'party', row: 1, part: 'name', problem: 'missing' },
      { field: 'party', row: 2, part: 'phone', problem: 'badPhone' },
      { field: 'party', row: 3, part: 'role', problem: 'tooLong' },
    ]);
  });

  it('states the server\'s limits: at each limit both accept, one over both refuse', () => {
    const cases: [string, (n: number) => ReportForm, number][] = [
      ['summary', (n) => ({ ...base(), summary: '字'.repeat(n) }), REPORT_LIMITS.summaryMaxLength],
      ['name', (n) => ({ ...base(), parties: [row('名'.repeat(n))] }), REPORT_LIMITS.partyNameMaxLength],
      ['phone', (n) => ({ ...base(), parties: [row('张三', '1'.repeat(n))] }), REPORT_LIMITS.partyPhoneMaxLength],
      ['role', (n) => ({ ...base(), parties: [row('张三', '', '人'.repeat(n))] }), REPORT_LIMITS.partyRoleMaxLength],
      ['parties', (n) => ({ ...base(), parties: Array.from({ length: n }, (_, i) => row(`当事人${i}`)) }), REPORT_LIMITS.maxParties],
    ];
    for (const [name, make, limit] of cases) {
      expect([name, checkReportForm(make(limit)), serverAccepts(make(limit))]).toEqual([name, [], true]);
      expect([name, checkReportForm(make(limit + 1)).length, serverAccepts(make(limit + 1))]).toEqual([name, 1, false]);
    }
  });

  it('sends trimmed text and leaves out empty phones and roles; a body comes back to the form as it was', () => {
    const form = { ...base(), type: 'wages' as const, severity: 'major' as const, summary: '  拖欠工资 ', parties: [row(' 张三 ', ' 13800001234 ', ''), row('李四', '', '第三人')] };
    const body = reportBodyOf(form);
    expect(body).toEqual({
      lngLat: [123.45, 41.79],
      type: 'wages',
      source: 'patrol',
      severity: 'major',
      summary: '拖欠工资',
      parties: [{ name: '张三', phone: '13800001234' }, { name: '李四', role: '第三人' }],
    });
    let id = 100;
    expect(reportBodyOf(formOfBody(body, () => ++id))).toEqual(body);
  });

  it('defaults the source to the reporter\'s own: a grid worker\'s patrol, an officer\'s walk-in', () => {
    expect(defaultSourceFor('grid-worker')).toBe('patrol');
    expect(defaultSourceFor('street-officer')).toBe('walkIn');
    expect(emptyReportForm('patrol', { type: 'land', source: 'hotline' })).toMatchObject({ type: 'land', source: 'hotline', lngLat: null, parties: [], summary: '' });
  });
});
