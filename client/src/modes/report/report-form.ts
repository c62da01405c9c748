// The report form's state and its checks before sending: what events.report accepts (the limits of its
// input schema), each problem named by field so the form can say it beside the field, and the body sent.

import { DISPUTE_SOURCE_KEYS, DISPUTE_TYPE_KEYS, type DisputeSource, type DisputeType } from '../../../../server/domain/dispute-categories';
import { DISPUTE_SEVERITIES, type DisputeSeverity } from '../../../../server/domain/dispute-workflow';
import type { Role } from '../../../../server/domain/access';
import { PARTY_PHONE_CHARACTERS, REPORT_LIMITS } from '../../../../server/domain/parties';
import type { ReportBody } from './report-outbox';

/** The limits of events.report's input, defined once in server/domain/parties.ts (the form checks them first). */
export { REPORT_LIMITS };

export interface PartyRow {
  /** A stable React key for the row. */
  id: number;
  name: string;
  phone: string;
  role: string;
}

export interface ReportForm {
  type: DisputeType;
  source: DisputeSource;
  severity: DisputeSeverity;
  /** [lng, lat] degrees (WGS84), from a tap on the map or the device's position; null until chosen. */
  lngLat: [number, number] | null;
  parties: PartyRow[];
  summary: string;
}

export type PartyField = 'name' | 'phone' | 'role';

export type FormProblem =
  | { field: 'place'; problem: 'missing' }
  | { field: 'summary'; problem: 'tooLong' }
  | { field: 'parties'; problem: 'tooMany' }
  | { field: 'party'; row: number; part: PartyField; problem: 'missing' | 'tooLong' | 'badPhone' };

/** The source a role's own reports usually come from: grid workers' patrols; an officer's desk, walk-ins. */
export function defaultSourceFor(role: Role | undefined): DisputeSource {
  return role === 'grid-worker' || role === undefined ? 'patrol' : 'walkIn';
}

/** An empty form; `keep` carries the type and source over from the previous report. */
export function emptyReportForm(source: DisputeSource, keep?: Pick<ReportForm, 'type' | 'source'>): ReportForm {
  return { type: keep?.type ?? DISPUTE_TYPE_KEYS[0]!, source: keep?.source ?? source, severity: 'general', lngLat: null, parties: [], summary: '' };
}

/** A party row left entirely blank is not a party: it is dropped, not refused. */
function isBlank(row: PartyRow): boolean {
  return row.name.trim() === '' && row.phone.trim() === '' && row.role.trim() === '';
}

/** Length as the server's schema counts it (UTF-16 units, after trimming). */
const lengthOf = (text: string): number => text.trim().length;

/** Every problem of the form, in the order the fields appear; empty when it may be sent. */
export function checkReportForm(form: ReportForm): FormProblem[] {
  const problems: FormProblem[] = [];
  if (!form.lngLat || !form.lngLat.every(Number.isFinite)) problems.push({ field: 'place', problem: 'missing' });
  const rows = form.parties;
  if (rows.filter((row) => !isBlank(row)).length > REPORT_LIMITS.maxParties) problems.push({ field: 'parties', problem: 'tooMany' });
  rows.forEach((row, index) => {
    if (isBlank(row)) return;
    if (lengthOf(row.name) === 0) problems.push({ field: 'party', row: index, part: 'name', problem: 'missing' });
    else if (lengthOf(row.name) > REPORT_LIMITS.partyNameMaxLength) problems.push({ field: 'party', row: index, part: 'name', problem: 'tooLong' });
    if (!PARTY_PHONE_CHARACTERS.test(row.phone.trim())) problems.push({ field: 'party', row: index, part: 'phone', problem: 'badPhone' });
    else if (lengthOf(row.phone) > REPORT_LIMITS.partyPhoneMaxLength) problems.push({ field: 'party', row: index, part: 'phone', problem: 'tooLong' });
    if (lengthOf(row.role) > REPORT_LIMITS.partyRoleMaxLength) problems.push({ field: 'party', row: index, part: 'role', problem: 'tooLong' });
  });
  if (lengthOf(form.summary) > REPORT_LIMITS.summaryMaxLength) problems.push({ field: 'summary', problem: 'tooLong' });
  return problems;
}

/** The body of events.report for a form without problems (blank rows and empty fields left out). */
export function reportBodyOf(form: ReportForm): ReportBody {
  if (!form.lngLat) throw new Error('reportBodyOf: the form has no place');
  const summary = form.summary.trim();
  return {
    lngLat: [form.lngLat[0], form.lngLat[1]],
    type: form.type,
    source: form.source,
    severity: form.severity,
    ...(summary ? { summary } : {}),
    parties: form.parties
      .filter((row) => !isBlank(row))
      .map((row) => ({
        name: row.name.trim(),
        ...(row.phone.trim() ? { phone: row.phone.trim() } : {}),
        ...(row.role.trim() ? { role: row.role.trim() } : {}),
      })),
  };
}

/** A form holding a report's body again (a refused report taken back to be corrected). */
export function formOfBody(body: ReportBody, nextRowId: () => number): ReportForm {
  const type = DISPUTE_TYPE_KEYS.find((key) => key === body.type) ?? DISPUTE_TYPE_KEYS[0]!;
  const source = DISPUTE_SOURCE_KEYS.find((key) => key === body.source) ?? DISPUTE_SOURCE_KEYS[0]!;
  const severity = DISPUTE_SEVERITIES.find((key) => key === body.severity) ?? 'general';
  return {
    type,
    source,
    severity,
    lngLat: [body.lngLat[0], body.lngLat[1]],
    parties: body.parties.map((party) => ({ id: nextRowId(), name: party.name, phone: party.phone ?? '', role: party.role ?? '' })),
    summary: body.summary ?? '',
  };
}
