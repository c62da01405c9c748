// boundaries.*: the register of 平安边界 lines (agreement, joint mediation, last joint patrol, due or not)
// and the joint patrols and signed agreements officers record on them. Records are user data kept with
// the accounts; a line's effective status is the latest of the atlas baseline and the records.
//
// Who may record: officers (and administrators) whose jurisdiction holds either side of the line;
// planners, viewers, grid workers and kiosks may not. Notes may hold personal data: never logged, the
// audit entry carries ids, the day and the note's length only.

import { z } from 'zod';
import { OFFICER_ROLES } from '../domain/access';
import { BOUNDARY_LEVELS, type BoundaryLevel } from '../domain/admin-codes';
import { boundaryRecordsById, withBoundaryRecords, type BoundaryLineRecords } from '../domain/boundary-records';
import { formatChinaDate, isCalendarDate } from '../domain/china-time';
import { principalOf, scopeWithin } from '../auth/guard';
import { auditOf, nowOf, type AtlasContext } from '../context';
import { RequestError } from '../request-error';
import { registerRow, type BoundaryLineRow } from '../jobs/boundary-register';
import type { BoundaryRecordKind, BoundaryRecordStore } from '../store/boundary-record-store';
import { procedure, router } from '../trpc';
import { adminCodeSchema } from './schemas';

/** The earliest day a record may carry. */
const FIRST_DAY = '2000-01-01';

export const MAX_PATROL_NOTE_LENGTH = 500;

/** Levels listed when none are asked for: the lines between streets, counties and cities. */
const DEFAULT_REGISTER_LEVELS: readonly BoundaryLevel[] = ['street', 'county', 'city'];

const daySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day, YYYY-MM-DD')
  .refine((day) => isCalendarDate({ year: Number(day.slice(0, 4)), month: Number(day.slice(5, 7)), day: Number(day.slice(8, 10)) }), 'is not a calendar day')
  .refine((day) => day >= FIRST_DAY, `must not be before ${FIRST_DAY}`);

const lineIdSchema = z.string().trim().min(1).max(80);

const registerInput = z
  .object({ within: adminCodeSchema.optional(), levels: z.array(z.enum(BOUNDARY_LEVELS)).min(1).optional() })
  .strict()
  .optional();

const patrolInput = z.object({ lineId: lineIdSchema, date: daySchema, note: z.string().trim().max(MAX_PATROL_NOTE_LENGTH).optional() }).strict();

const agreementInput = z.object({ lineId: lineIdSchema, signedOn: daySchema }).strict();

/** The boundary records of the accounts file; refused where the server runs without one. */
function recordStoreOf(ctx: AtlasContext): BoundaryRecordStore {
  const store = ctx.accounts?.store.boundaryRecords;
  if (!store) throw new RequestError('PRECONDITION_FAILED', 'boundary-line records are kept with the accounts, and this server runs without them');
  return store;
}

/**
 * The latest records of the lines with a side inside `within` (every line when absent), for a job's
 * input: the job applies them to the baseline, and its cache key changes with them. Empty without an
 * accounts file.
 */
export function boundaryRecordsFor(ctx: AtlasContext, within: string | undefined): BoundaryLineRecords[] {
  return ctx.accounts?.store.boundaryRecords.latestByLine(within) ?? [];
}

/** `{ records }` for a job's input when there are any (absent otherwise, so cache keys stay as before). */
export function boundaryRecordsInput(ctx: AtlasContext, within: string | undefined): { records?: BoundaryLineRecords[] } {
  const records = boundaryRecordsFor(ctx, within);
  return records.length > 0 ? { records } : {};
}

/** A line the caller may record on (a side inside the jurisdiction): NOT_FOUND when none has the id, FORBIDDEN when it is elsewhere. */
async function lineForRecord(ctx: AtlasContext, lineId: string): Promise<Omit<BoundaryLineRow, 'agreementSignedOn'>> {
  const principal = principalOf(ctx);
  const found = await ctx.jobs.value('boundaries.line', { lineId, jurisdiction: principal.jurisdiction }, { nowMs: nowOf(ctx) });
  if (found.line) return found.line;
  if (!found.exists) throw new RequestError('NOT_FOUND', `no boundary line ${lineId}`);
  throw new RequestError('FORBIDDEN', `this boundary line has no side in your jurisdiction (${principal.jurisdiction})`);
}

async function record(ctx: AtlasContext, kind: BoundaryRecordKind, lineId: string, day: string, note: string | null) {
  const principal = principalOf(ctx);
  if (principal.role !== 'admin' && !OFFICER_ROLES.includes(principal.role)) {
    throw new RequestError('FORBIDDEN', `recording joint patrols and agreements is not open to the ${principal.role} role`);
  }
  const nowMs = nowOf(ctx);
  const today = formatChinaDate(nowMs);
  if (day > today) throw new RequestError('BAD_REQUEST', `${kind === 'patrol' ? 'date' : 'signedOn'}: ${day} is in the future (today is ${today}, China time)`);
  const store = recordStoreOf(ctx);
  const line = await lineForRecord(ctx, lineId);
  const saved = store.addRecord({ lineId, kind, day, note: note === null || note === '' ? null : note, leftCode: line.leftCode, rightCode: line.rightCode }, principal.actor, nowMs);
  auditOf(ctx, 'write', `boundary-line:${lineId}`, {
    procedure: kind === 'patrol' ? 'boundaries.recordPatrol' : 'boundaries.recordAgreement',
    record: saved.id,
    day,
    noteChars: saved.note?.length ?? 0,
  });
  return registerRow(withBoundaryRecords(line, boundaryRecordsById(store.latestByLine(line.leftCode).filter((r) => r.lineId === lineId))), today);
}

export const boundariesRouter = router({
  /** The 平安边界 lines with a side inside `within` (default: the jurisdiction), with their effective status. */
  register: procedure.input(registerInput).query(({ ctx, input, signal }) => {
    const within = scopeWithin(ctx, input?.within);
    const records = boundaryRecordsFor(ctx, within);
    return ctx.jobs.run(
      'boundaries.register',
      { within, levels: input?.levels ?? DEFAULT_REGISTER_LEVELS, today: formatChinaDate(nowOf(ctx)), ...(records.length > 0 ? { records } : {}) },
      { signal, nowMs: nowOf(ctx) },
    );
  }),

  /** Records a joint patrol on a line (both sides' units), answering the line's register row. */
  recordPatrol: procedure.input(patrolInput).mutation(({ ctx, input }) => record(ctx, 'patrol', input.lineId, input.date, input.note ?? null)),

  /** Records the signing of the line's safe-boundary agreement, answering the line's register row. */
  recordAgreement: procedure.input(agreementInput).mutation(({ ctx, input }) => record(ctx, 'agreement', input.lineId, input.signedOn, null)),
});
