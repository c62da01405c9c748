// The validate stage of a dispute ledger: each row (a case) becomes a case with its derived workflow
// steps, or issues naming its row and field — never the value of its parties or summary. Categories are
// read from the keys and labels of the domain's vocabularies; times as ISO 8601 (no offset: China time),
// "YYYY-MM-DD HH:mm(:ss)" or Excel date cells; the place is located as a live report locates it.

import type { Geometry } from 'geojson';
import { CHINA_UTC_OFFSET_MS, MAX_INSTANT_MS, MIN_INSTANT_MS, MS_PER_DAY, parseInstant } from '../../domain/china-time';
import { DISPUTE_ACTOR_ROLE_KEYS, DISPUTE_OUTCOMES, DISPUTE_PARTY_ROLES_ZH, DISPUTE_SOURCES, DISPUTE_TYPES, type DisputeOutcome, type DisputeSource, type DisputeType } from '../../domain/dispute-categories';
import { computeDueMs, type DeadlinePolicy } from '../../domain/dispute-deadlines';
import {
  DISPUTE_SEVERITIES,
  DISPUTE_SEVERITY_LABELS,
  DISPUTE_STATUSES,
  DISPUTE_STATUS_LABELS,
  DISPUTE_ACTIONS,
  HANDLING_LEVELS,
  HANDLING_LEVEL_LABELS,
  nextStatus,
  type DisputeAction,
  type DisputeSeverity,
  type DisputeStatus,
  type HandlingLevel,
} from '../../domain/dispute-workflow';
import type { Label } from '../../domain/labels';
import { PARTY_PHONE_CHARACTERS, REPORT_LIMITS, type Party } from '../../domain/parties';
import type { PlaceCodes } from '../../store/dispute-store';
import type { SourceFormat } from './read';
import { featureFaults, pickField, pointOf, type IssueLog } from './validate';

/**
 * The ledger's columns (any listed name; case, spaces and underscores ignored). Required: id, type,
 * source, reported_at and the place (lng/lat or a Point). The step times after the report are optional.
 */
export const DISPUTE_FIELDS = {
  externalId: ['id', 'case_id', 'case_no', '案件编号', '编号'],
  type: ['type', '纠纷类型', '类型'],
  source: ['source', '案件来源', '来源'],
  severity: ['severity', '严重程度', '等级'],
  status: ['status', '状态'],
  handlingLevel: ['handling_level', 'handling_l', '处置层级', '办理层级'],
  outcome: ['outcome', '化解结果', '结果'],
  summary: ['summary', '简要情况', '摘要'],
  parties: ['parties', '当事人'],
  reportedAt: ['reported_at', 'reported_a', '登记时间', '受理时间'],
  assignedAt: ['assigned_at', 'assigned_a', '派送时间'],
  acceptedAt: ['accepted_at', 'accepted_a', '签收时间'],
  handledAt: ['handled_at', 'handled_a', '处置时间'],
  feedbackAt: ['feedback_at', 'feedback_a', '反馈时间'],
  reviewedAt: ['reviewed_at', 'reviewed_a', '复查时间'],
  closedAt: ['closed_at', 'closed_a', '办结时间'],
} as const;

/** The statuses after the report in workflow order, each with the action reaching it and its time column. */
export const WORKFLOW_PATH: readonly { status: DisputeStatus; action: DisputeAction; field: keyof typeof DISPUTE_FIELDS }[] = (() => {
  const fields = { assigned: 'assignedAt', accepted: 'acceptedAt', handled: 'handledAt', feedback: 'feedbackAt', reviewed: 'reviewedAt', closed: 'closedAt' } as const;
  const path: { status: DisputeStatus; action: DisputeAction; field: keyof typeof DISPUTE_FIELDS }[] = [];
  for (let i = 1; i < DISPUTE_STATUSES.length; i++) {
    const from = DISPUTE_STATUSES[i - 1]!;
    const status = DISPUTE_STATUSES[i]!;
    // The one action that moves a case forward from the previous status (dispute-workflow's table).
    const action = DISPUTE_ACTIONS.find((candidate) => nextStatus(from, candidate) === status)!;
    path.push({ status, action, field: fields[status as keyof typeof fields] });
  }
  return path;
})();

/** One case as validated: what the store writes, and its derived steps after the report. */
export interface DisputeRow {
  number: number;
  /** The department's case number, kept as the case's external reference. */
  externalId: string;
  type: DisputeType;
  source: DisputeSource;
  severity: DisputeSeverity;
  handlingLevel: HandlingLevel;
  status: DisputeStatus;
  outcome: DisputeOutcome | null;
  /** WGS84 degrees. */
  lngLat: [number, number];
  place: PlaceCodes;
  summary: string | null;
  parties: Party[];
  /** ms since epoch. */
  reportedAt: number;
  /** The report's deadline at its handling level (dispute-deadlines' stage rule). */
  dueAt: number;
  /** The workflow steps after the report, in order; a missing time between two given ones takes the later one's. */
  steps: { action: DisputeAction; at: number }[];
  /** Whether a step time was missing and taken from the next given one. */
  filledStepTimes: boolean;
}

/** Where a place lies (SqliteDisputeStore.locate: the grid holding it, else the finest unit; the street across). */
export interface DisputePlaces {
  locate(lngLat: [number, number]): PlaceCodes | null;
}

export interface DisputeValidateOptions {
  format: SourceFormat;
  deadlines: DeadlinePolicy;
  /** Times after this are refused (ms since epoch): a ledger records the past. */
  nowMs: number;
}

const normaliseValue = (text: string): string => text.trim().toLowerCase().replace(/[\s_-]/g, '');

/** A value lookup by key, Chinese label (also its part before a bracket: 社区（村） → 社区) and English label. */
function lookupOf<K extends string>(entries: readonly { key: K; label: Label }[]): { get(value: string): K | undefined; allowed: string } {
  const map = new Map<string, K>();
  for (const { key, label } of entries) {
    for (const name of [key, label.zh, label.en, label.zh.split('（')[0]!]) map.set(normaliseValue(name), key);
  }
  return {
    get: (value) => map.get(normaliseValue(value)),
    allowed: entries.map(({ key, label }) => `${label.zh} (${key})`).join(', '),
  };
}

const labelled = <K extends string>(keys: readonly K[], labels: Readonly<Record<K, Label>>) => keys.map((key) => ({ key, label: labels[key] }));

const TYPES = lookupOf(DISPUTE_TYPES);
const SOURCES = lookupOf(DISPUTE_SOURCES);
const OUTCOMES = lookupOf(DISPUTE_OUTCOMES);
const SEVERITIES = lookupOf(labelled(DISPUTE_SEVERITIES, DISPUTE_SEVERITY_LABELS));
const STATUSES = lookupOf(labelled(DISPUTE_STATUSES, DISPUTE_STATUS_LABELS));
const LEVELS = lookupOf(labelled(HANDLING_LEVELS, HANDLING_LEVEL_LABELS));

/** Days between 1899-12-30 (Excel's day 0 in the 1900 system) and 1970-01-01. */
const EXCEL_EPOCH_DAYS = 25_569;

const TIME_TEXT = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;
/** How the XLSX reader writes a date cell: its wall-clock reading as if it were UTC. */
const XLSX_DATE_CELL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * A moment of a ledger cell, ms since epoch, or why it is none. Text: ISO 8601 with an offset, or without
 * one (China time, UTC+8): "2026-10-01T08:30", "2026-10-01 08:30(:00)", "2026/10/1 8:30", "2026-10-01"
 * (the day's start). XLSX: a date cell (its wall clock is China time) or a day serial number.
 */
export function parseLedgerTime(value: unknown, format: SourceFormat): { ms: number } | { problem: string } {
  if (format === 'xlsx' && typeof value === 'number') {
    const ms = Math.round((value - EXCEL_EPOCH_DAYS) * MS_PER_DAY) - CHINA_UTC_OFFSET_MS;
    return ms >= MIN_INSTANT_MS && ms < MAX_INSTANT_MS ? { ms } : { problem: 'is not an Excel date between 1970 and 2999' };
  }
  const text = typeof value === 'string' ? value.trim() : '';
  if (format === 'xlsx' && XLSX_DATE_CELL.test(text)) return { ms: Date.parse(text) - CHINA_UTC_OFFSET_MS };
  const match = TIME_TEXT.exec(text);
  if (!match) return { problem: 'is not a time like 2026-10-01 08:30 or 2026-10-01T08:30:00+08:00' };
  const [, year, month, day, hour, minute, second, fraction, offset] = match;
  const date = `${year}-${month!.padStart(2, '0')}-${day!.padStart(2, '0')}`;
  const zone = offset === undefined ? '+08:00' : offset === 'Z' ? 'Z' : offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
  const iso = hour === undefined ? `${date}T00:00:00${zone}` : `${date}T${hour.padStart(2, '0')}:${minute}:${second ?? '00'}${fraction ? `.${fraction}` : ''}${zone}`;
  const parsed = parseInstant(iso, 'start');
  return parsed.ok ? { ms: parsed.ms } : { problem: parsed.message };
}

/**
 * Parties from a ledger cell: JSON as the store keeps them ([[name, phone], …] or [{role, name, phone}, …])
 * or text "name phone; name phone" (；, newline or | between parties; roles by position). Null when malformed.
 */
export function parseLedgerParties(value: unknown): Party[] | null {
  const text = String(value).trim();
  const roleAt = (index: number) => DISPUTE_PARTY_ROLES_ZH[index] ?? DISPUTE_PARTY_ROLES_ZH[2]!;
  let parties: Party[];
  if (text.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return null;
    }
    if (!Array.isArray(parsed)) return null;
    parties = [];
    for (const [index, entry] of parsed.entries()) {
      if (Array.isArray(entry) && entry.length >= 1 && entry.length <= 3 && entry.every((part) => typeof part === 'string')) {
        parties.push({ name: entry[0]!, phone: entry[1] ?? '', role: entry[2] ?? roleAt(index) });
      } else if (entry && typeof entry === 'object' && typeof (entry as Party).name === 'string') {
        const { name, phone, role } = entry as Partial<Party>;
        if ((phone !== undefined && typeof phone !== 'string') || (role !== undefined && typeof role !== 'string')) return null;
        parties.push({ name: name!, phone: phone ?? '', role: role ?? roleAt(index) });
      } else {
        return null;
      }
    }
  } else {
    parties = text
      .split(/[;；|\n]/)
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .map((part, index) => {
        const at = part.search(/[\s:：,，]+[+\d(]/);
        return at < 0 ? { role: roleAt(index), name: part, phone: '' } : { role: roleAt(index), name: part.slice(0, at).trim(), phone: part.slice(at).replace(/^[\s:：,，]+/, '').trim() };
      });
  }
  const valid = parties.every(
    (p) =>
      p.name.trim() !== '' &&
      [...p.name].length <= REPORT_LIMITS.partyNameMaxLength &&
      p.phone.length <= REPORT_LIMITS.partyPhoneMaxLength &&
      PARTY_PHONE_CHARACTERS.test(p.phone) &&
      [...p.role].length <= REPORT_LIMITS.partyRoleMaxLength,
  );
  return valid && parties.length <= REPORT_LIMITS.maxParties ? parties : null;
}

/** A category cell read through its lookup, or an error naming the allowed values. */
function categoryOf<K extends string>(
  properties: Record<string, unknown>,
  field: keyof typeof DISPUTE_FIELDS,
  lookup: { get(value: string): K | undefined; allowed: string },
  fail: (code: string, message: string, field: string) => void,
): K | null | undefined {
  const picked = pickField(properties, DISPUTE_FIELDS[field]);
  if (!picked) return undefined;
  const key = lookup.get(String(picked.value));
  if (key === undefined) fail('unknown-code', `${field} "${String(picked.value).slice(0, 40)}" is not one of: ${lookup.allowed}`, field);
  return key ?? null;
}

const withDefault = <K extends string>(value: K | null | undefined, fallback: K): K | null => (value === undefined ? fallback : value);

/**
 * Validates one case (its point converted to WGS84): fields, codes, times in workflow order and agreeing
 * with the status, the place. Returns the row, or null after logging each problem with its field.
 */
export function validateDispute(
  number: number,
  properties: Record<string, unknown>,
  geometry: Geometry | null,
  places: DisputePlaces,
  log: IssueLog,
  options: DisputeValidateOptions,
): DisputeRow | null {
  const faults = featureFaults(log, number);
  const { fail } = faults;
  const point = pointOf(geometry);
  if (!point) fail('invalid-geometry', geometry ? `a ${geometry.type}, expected a Point` : 'no geometry');

  const idField = pickField(properties, DISPUTE_FIELDS.externalId);
  const externalId = idField ? String(idField.value).trim() : '';
  if (!idField) fail('missing-field', 'no id (the case number)', 'externalId');
  else if (externalId.length > 64) fail('wrong-type', 'id is longer than 64 characters', 'externalId');

  const type = categoryOf(properties, 'type', TYPES, fail);
  if (type === undefined) fail('missing-field', `no type (one of: ${TYPES.allowed})`, 'type');
  const source = categoryOf(properties, 'source', SOURCES, fail);
  if (source === undefined) fail('missing-field', `no source (one of: ${SOURCES.allowed})`, 'source');
  // Optional with defaults (一般, 网格: 小事不出格); an unknown value is an error (null), not the default.
  const severity = withDefault(categoryOf(properties, 'severity', SEVERITIES, fail), 'general');
  const handlingLevel = withDefault(categoryOf(properties, 'handlingLevel', LEVELS, fail), 'grid');
  const declaredStatus = categoryOf(properties, 'status', STATUSES, fail);
  const outcome = categoryOf(properties, 'outcome', OUTCOMES, fail);

  const summaryField = pickField(properties, DISPUTE_FIELDS.summary);
  const summary = summaryField ? String(summaryField.value).trim() : null;
  // The message names the field and the limit, never the text.
  if (summary !== null && [...summary].length > REPORT_LIMITS.summaryMaxLength) fail('wrong-type', `summary is longer than ${REPORT_LIMITS.summaryMaxLength} characters`, 'summary');
  const partiesField = pickField(properties, DISPUTE_FIELDS.parties);
  const parties = partiesField ? parseLedgerParties(partiesField.value) : [];
  if (parties === null) {
    fail(
      'wrong-type',
      `parties is not a party list: JSON [["name", "phone"], …] or "name phone; name phone" (at most ${REPORT_LIMITS.maxParties}, names up to ${REPORT_LIMITS.partyNameMaxLength} characters, phones of digits)`,
      'parties',
    );
  }

  // Times: the report, then each later status's time; in workflow order, agreeing with the status.
  const timeOf = (field: keyof typeof DISPUTE_FIELDS): number | null | undefined => {
    const picked = pickField(properties, DISPUTE_FIELDS[field]);
    if (!picked) return undefined;
    const parsed = parseLedgerTime(picked.value, options.format);
    if ('problem' in parsed) {
      fail('wrong-type', `${field} "${String(picked.value).slice(0, 40)}" ${parsed.problem}`, field);
      return null;
    }
    if (parsed.ms > options.nowMs) {
      fail('wrong-type', `${field} ${String(picked.value).slice(0, 40)} is in the future`, field);
      return null;
    }
    return parsed.ms;
  };
  const reportedAt = timeOf('reportedAt');
  if (reportedAt === undefined) fail('missing-field', 'no reported_at', 'reportedAt');
  const stepTimes = WORKFLOW_PATH.map((stage) => timeOf(stage.field));
  let previous = { field: 'reportedAt', at: reportedAt ?? null };
  for (const [i, at] of stepTimes.entries()) {
    if (typeof at !== 'number' || previous.at === null) {
      if (typeof at === 'number') previous = { field: WORKFLOW_PATH[i]!.field, at };
      continue;
    }
    if (at < previous.at) fail('steps-out-of-order', `${WORKFLOW_PATH[i]!.field} is before ${previous.field}`, WORKFLOW_PATH[i]!.field);
    previous = { field: WORKFLOW_PATH[i]!.field, at };
  }
  let reached = -1;
  stepTimes.forEach((at, i) => {
    if (at !== undefined) reached = i;
  });
  const derivedStatus: DisputeStatus = reached < 0 ? 'reported' : WORKFLOW_PATH[reached]!.status;
  const status = declaredStatus ?? derivedStatus;
  if (declaredStatus && declaredStatus !== derivedStatus) {
    const declaredIndex = DISPUTE_STATUSES.indexOf(declaredStatus);
    if (declaredIndex > DISPUTE_STATUSES.indexOf(derivedStatus)) {
      const needed = WORKFLOW_PATH[declaredIndex - 1]!.field;
      fail('status-mismatch', `status ${declaredStatus} needs ${needed}`, needed);
    } else {
      fail('status-mismatch', `${WORKFLOW_PATH[reached]!.field} is given but the status is ${declaredStatus}`, 'status');
    }
  }
  if (status === 'closed' && outcome === undefined) fail('missing-field', `a closed case needs its outcome (one of: ${OUTCOMES.allowed})`, 'outcome');
  if (status !== 'closed' && outcome) fail('status-mismatch', `outcome is given but the case is ${status}, not closed`, 'outcome');

  if (!point || !faults.ok) return null;
  const [lng, lat] = point as [number, number];
  if (!(Math.abs(lng) <= 180 && Math.abs(lat) <= 90)) {
    fail('invalid-geometry', `position ${lng}, ${lat} is not longitude/latitude (a projected file needs --crs EPSG:nnnn)`);
    return null;
  }
  const place = places.locate([lng, lat]);
  if (!place) {
    log.error(number, 'outside-atlas', 'outside every county of the atlas', { lngLat: [lng, lat] });
    return null;
  }
  // Steps up to the status; a missing time takes the next given one's (recorded no later than it).
  const steps: { action: DisputeAction; at: number }[] = [];
  let filledStepTimes = false;
  for (let i = reached; i >= 0; i--) {
    const given = stepTimes[i];
    const at = typeof given === 'number' ? given : steps[0]!.at;
    if (typeof given !== 'number') filledStepTimes = true;
    steps.unshift({ action: WORKFLOW_PATH[i]!.action, at });
  }
  return {
    number,
    externalId,
    type: type!,
    source: source!,
    severity: severity!,
    handlingLevel: handlingLevel!,
    status,
    outcome: outcome ?? null,
    lngLat: [lng, lat],
    place,
    summary,
    parties: parties!,
    reportedAt: reportedAt!,
    dueAt: computeDueMs(reportedAt!, { type: type!, severity: severity!, handlingLevel: handlingLevel! }, options.deadlines),
    steps,
    filledStepTimes,
  };
}

/** Who performs a derived step: the handler at the case's level accepts, handles and gives feedback; a reviewer reviews; a dispatcher assigns and closes. */
export function actorRoleOf(action: DisputeAction, level: HandlingLevel): string {
  if (action === 'accept' || action === 'handle' || action === 'feedback') return DISPUTE_ACTOR_ROLE_KEYS[HANDLING_LEVELS.indexOf(level)]!;
  return action === 'review' ? 'reviewer' : 'dispatcher';
}
