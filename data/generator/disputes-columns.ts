// Struct-of-arrays storage for generated disputes and their workflow steps: allocation, growth by doubling,
// trimming, concatenation, and the fictional party list of a case formatted as JSON on demand.

import { DISPUTE_PARTY_ROLES_ZH } from '../../server/domain/dispute-categories';

/** Parties per case at most; the party columns hold this many slots per event. */
export const MAX_PARTIES = 3;

/**
 * Disputes as columns; row i is one case. Category columns hold indices into the lists of
 * server/analysis/disputes (DISPUTE_TYPES, DISPUTE_SOURCES, DISPUTE_SEVERITIES, DISPUTE_STATUSES,
 * HANDLING_LEVELS, DISPUTE_OUTCOMES). Times are ms since epoch; NaN where a step was not reached.
 */
export interface DisputeColumns {
  length: number;
  /** Case id; history ids are 1..n in report-time order. */
  id: Uint32Array;
  typeIndex: Uint8Array;
  sourceIndex: Uint8Array;
  severityIndex: Uint8Array;
  /** Status at the data's "now". */
  statusIndex: Uint8Array;
  /** Handling level at "now": where the case sits (for a case still `reported`, the level it will be dispatched to). */
  handlingLevelIndex: Uint8Array;
  /** Handling level when closed, -1 while open. */
  resolvedLevelIndex: Int8Array;
  /** Outcome when closed, -1 while open. */
  outcomeIndex: Int8Array;
  /** WGS84 degrees. */
  lng: Float64Array;
  lat: Float64Array;
  /** Index into the input grids (and `gridCodes`). */
  gridIndex: Uint32Array;
  reportedAtMs: Float64Array;
  /** First time the case reached each status (the normal path passes each once). */
  assignedAtMs: Float64Array;
  acceptedAtMs: Float64Array;
  handledAtMs: Float64Array;
  feedbackAtMs: Float64Array;
  reviewedAtMs: Float64Array;
  /** Time of the last close when the case is closed now; NaN while open (also after a reopen). */
  closedAtMs: Float64Array;
  /** Deadline: reportedAtMs + the severity's SLA. */
  dueAtMs: Float64Array;
  /** Planted cluster id, 0 for background cases. */
  clusterId: Uint16Array;
  /** Number of parties (2–3). */
  partyCount: Uint8Array;
  /** Per party slot (MAX_PARTIES per case): index into DEMO_SURNAMES. */
  partySurnameIndex: Uint8Array;
  /** Per party slot: index into DEMO_PARTY_KINDS_ZH (0 = a person). */
  partyKindIndex: Uint8Array;
  /** Per party slot: last four digits of the fictional phone number 000-0000-NNNN. */
  partyPhoneSuffix: Uint16Array;
}

/**
 * Workflow steps as columns; row i is one transition. Creation (report) is not a step: a case starts
 * in `reported` at reportedAtMs and step seq 1 leaves it.
 */
export interface DisputeStepColumns {
  length: number;
  eventId: Uint32Array;
  /** 1-based position in the case's history. */
  seq: Uint16Array;
  /** Index into DISPUTE_ACTIONS. */
  actionIndex: Uint8Array;
  fromStatusIndex: Uint8Array;
  toStatusIndex: Uint8Array;
  atMs: Float64Array;
  /** Handling level after the step. */
  handlingLevelIndex: Uint8Array;
  /** Index into DISPUTE_ACTOR_ROLES. */
  actorRoleIndex: Uint8Array;
  /** Index into DISPUTE_STEP_NOTES. */
  noteIndex: Uint8Array;
  /** Index into DISPUTE_OUTCOMES when the step closes the case, else -1. */
  outcomeIndex: Int8Array;
}

/** Common surnames for fictional parties ("张某（演示）"). */
export const DEMO_SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗',
  '梁', '宋', '郑', '谢', '韩', '唐', '冯', '于', '董', '萧', '程', '曹', '袁', '邓', '许', '傅', '沈', '曾', '彭', '吕',
] as const;

/** Party kinds: a person, or an organisation written as "<surname>某<kind>（演示）". */
export const DEMO_PARTY_KINDS_ZH = ['', '物业公司', '建筑公司', '商户', '医院', '公司', '村民小组'] as const;

const EVENT_FIELDS_F64 = [
  'lng', 'lat', 'reportedAtMs', 'assignedAtMs', 'acceptedAtMs', 'handledAtMs', 'feedbackAtMs', 'reviewedAtMs', 'closedAtMs', 'dueAtMs',
] as const;
const EVENT_FIELDS_NAN = ['assignedAtMs', 'acceptedAtMs', 'handledAtMs', 'feedbackAtMs', 'reviewedAtMs', 'closedAtMs'] as const;

/** Empty columns with room for `capacity` cases; times NaN, resolved level and outcome -1. */
export function allocateDisputeColumns(capacity: number): DisputeColumns {
  const columns: DisputeColumns = {
    length: 0,
    id: new Uint32Array(capacity),
    typeIndex: new Uint8Array(capacity),
    sourceIndex: new Uint8Array(capacity),
    severityIndex: new Uint8Array(capacity),
    statusIndex: new Uint8Array(capacity),
    handlingLevelIndex: new Uint8Array(capacity),
    resolvedLevelIndex: new Int8Array(capacity).fill(-1),
    outcomeIndex: new Int8Array(capacity).fill(-1),
    lng: new Float64Array(capacity),
    lat: new Float64Array(capacity),
    gridIndex: new Uint32Array(capacity),
    reportedAtMs: new Float64Array(capacity),
    assignedAtMs: new Float64Array(capacity),
    acceptedAtMs: new Float64Array(capacity),
    handledAtMs: new Float64Array(capacity),
    feedbackAtMs: new Float64Array(capacity),
    reviewedAtMs: new Float64Array(capacity),
    closedAtMs: new Float64Array(capacity),
    dueAtMs: new Float64Array(capacity),
    clusterId: new Uint16Array(capacity),
    partyCount: new Uint8Array(capacity),
    partySurnameIndex: new Uint8Array(capacity * MAX_PARTIES),
    partyKindIndex: new Uint8Array(capacity * MAX_PARTIES),
    partyPhoneSuffix: new Uint16Array(capacity * MAX_PARTIES),
  };
  for (const field of EVENT_FIELDS_NAN) columns[field].fill(NaN);
  return columns;
}

/** Empty step columns with room for `capacity` steps. */
export function allocateDisputeStepColumns(capacity: number): DisputeStepColumns {
  return {
    length: 0,
    eventId: new Uint32Array(capacity),
    seq: new Uint16Array(capacity),
    actionIndex: new Uint8Array(capacity),
    fromStatusIndex: new Uint8Array(capacity),
    toStatusIndex: new Uint8Array(capacity),
    atMs: new Float64Array(capacity),
    handlingLevelIndex: new Uint8Array(capacity),
    actorRoleIndex: new Uint8Array(capacity),
    noteIndex: new Uint8Array(capacity),
    outcomeIndex: new Int8Array(capacity).fill(-1),
  };
}

type TypedColumn = Uint8Array | Int8Array | Uint16Array | Uint32Array | Float64Array;

/** A copy of `array` with room for `capacity` values (extra values NaN for floats, 0 otherwise). */
function resize<T extends TypedColumn>(array: T, capacity: number): T {
  const next = new (array.constructor as new (length: number) => T)(capacity);
  next.set(array.subarray(0, Math.min(array.length, capacity)) as never);
  if (next instanceof Float64Array) next.fill(NaN, array.length);
  return next;
}

/** Steps' columns with at least `capacity` room (doubling), values kept. */
export function reserveDisputeSteps(steps: DisputeStepColumns, capacity: number): void {
  if (capacity <= steps.eventId.length) return;
  const next = Math.max(capacity, steps.eventId.length * 2, 16);
  steps.eventId = resize(steps.eventId, next);
  steps.seq = resize(steps.seq, next);
  steps.actionIndex = resize(steps.actionIndex, next);
  steps.fromStatusIndex = resize(steps.fromStatusIndex, next);
  steps.toStatusIndex = resize(steps.toStatusIndex, next);
  steps.atMs = resize(steps.atMs, next);
  steps.handlingLevelIndex = resize(steps.handlingLevelIndex, next);
  steps.actorRoleIndex = resize(steps.actorRoleIndex, next);
  steps.noteIndex = resize(steps.noteIndex, next);
  steps.outcomeIndex = resize(steps.outcomeIndex, next);
  steps.outcomeIndex.fill(-1, steps.length);
}

const PARTY_FIELDS: ReadonlySet<keyof DisputeColumns> = new Set(['partySurnameIndex', 'partyKindIndex', 'partyPhoneSuffix']);

/** Case columns with room for at least `capacity` rows (doubling), rows kept; returns the same object when it fits. */
export function reserveDisputeRows(columns: DisputeColumns, capacity: number): DisputeColumns {
  if (capacity <= columns.id.length) return columns;
  const next = Math.max(capacity, columns.id.length * 2, 16);
  const grown = allocateDisputeColumns(next);
  grown.length = columns.length;
  for (const key of Object.keys(columns) as (keyof DisputeColumns)[]) {
    if (key === 'length') continue;
    const per = PARTY_FIELDS.has(key) ? MAX_PARTIES : 1;
    (grown[key] as TypedColumn).set((columns[key] as TypedColumn).subarray(0, columns.length * per) as never);
  }
  return grown;
}

/** Trims every column to `length` rows (copies, so the spare capacity is freed). */
export function trimDisputeColumns(columns: DisputeColumns): DisputeColumns {
  const n = columns.length;
  const trimmed = allocateDisputeColumns(0);
  trimmed.length = n;
  for (const key of Object.keys(columns) as (keyof DisputeColumns)[]) {
    if (key === 'length') continue;
    const per = PARTY_FIELDS.has(key) ? MAX_PARTIES : 1;
    (trimmed[key] as TypedColumn) = (columns[key] as TypedColumn).slice(0, n * per);
  }
  return trimmed;
}

/** Trims step columns to `length` rows. */
export function trimDisputeStepColumns(steps: DisputeStepColumns): DisputeStepColumns {
  const n = steps.length;
  return {
    length: n,
    eventId: steps.eventId.slice(0, n),
    seq: steps.seq.slice(0, n),
    actionIndex: steps.actionIndex.slice(0, n),
    fromStatusIndex: steps.fromStatusIndex.slice(0, n),
    toStatusIndex: steps.toStatusIndex.slice(0, n),
    atMs: steps.atMs.slice(0, n),
    handlingLevelIndex: steps.handlingLevelIndex.slice(0, n),
    actorRoleIndex: steps.actorRoleIndex.slice(0, n),
    noteIndex: steps.noteIndex.slice(0, n),
    outcomeIndex: steps.outcomeIndex.slice(0, n),
  };
}

/** Copies case `from` of `source` into row `to` of `target` (all columns, party slots included). */
export function copyDisputeRow(source: DisputeColumns, from: number, target: DisputeColumns, to: number): void {
  target.id[to] = source.id[from]!;
  target.typeIndex[to] = source.typeIndex[from]!;
  target.sourceIndex[to] = source.sourceIndex[from]!;
  target.severityIndex[to] = source.severityIndex[from]!;
  target.statusIndex[to] = source.statusIndex[from]!;
  target.handlingLevelIndex[to] = source.handlingLevelIndex[from]!;
  target.resolvedLevelIndex[to] = source.resolvedLevelIndex[from]!;
  target.outcomeIndex[to] = source.outcomeIndex[from]!;
  target.gridIndex[to] = source.gridIndex[from]!;
  target.clusterId[to] = source.clusterId[from]!;
  target.partyCount[to] = source.partyCount[from]!;
  for (const field of EVENT_FIELDS_F64) target[field][to] = source[field][from]!;
  for (let k = 0; k < MAX_PARTIES; k++) {
    target.partySurnameIndex[to * MAX_PARTIES + k] = source.partySurnameIndex[from * MAX_PARTIES + k]!;
    target.partyKindIndex[to * MAX_PARTIES + k] = source.partyKindIndex[from * MAX_PARTIES + k]!;
    target.partyPhoneSuffix[to * MAX_PARTIES + k] = source.partyPhoneSuffix[from * MAX_PARTIES + k]!;
  }
}

/** Fictional party of case i, slot k: "张某（演示）" or "张某物业公司（演示）". */
export function formatPartyName(columns: DisputeColumns, i: number, k: number): string {
  const slot = i * MAX_PARTIES + k;
  return `${DEMO_SURNAMES[columns.partySurnameIndex[slot]!]}某${DEMO_PARTY_KINDS_ZH[columns.partyKindIndex[slot]!]}（演示）`;
}

/** Fictional phone of case i, slot k: 000-0000-NNNN (no real number starts with 000). */
export function formatPartyPhone(columns: DisputeColumns, i: number, k: number): string {
  return `000-0000-${String(columns.partyPhoneSuffix[i * MAX_PARTIES + k]!).padStart(4, '0')}`;
}

/**
 * The parties of case i as a JSON array of `{ role, name, phone }` (申请人, 被申请人, 第三人). All of it is
 * demonstration data: surnames with 某 and （演示）, phones 000-0000-NNNN, no ID numbers.
 */
export function formatDisputeParties(columns: DisputeColumns, i: number): string {
  const parties: { role: string; name: string; phone: string }[] = [];
  for (let k = 0; k < columns.partyCount[i]!; k++) {
    parties.push({ role: DISPUTE_PARTY_ROLES_ZH[k]!, name: formatPartyName(columns, i, k), phone: formatPartyPhone(columns, i, k) });
  }
  return JSON.stringify(parties);
}
