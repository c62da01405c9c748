// desk.*: the command desk — the queue of open cases visible in a unit, per workflow column with counts,
// most urgent first (deadline, then id), each with its deadline, time left and whether it is overdue; the
// handlers a case may be sent to, ranked, with their open load and walk; and the review sample of a period.
//
// Access: the queue for roles that read cases, inside their jurisdiction (a case within 500 m of a street
// boundary line is visible to both sides, as in events.list); summaries masked like events.list for roles
// without a need to know, and every unmasked page audited. Handler suggestions for roles that assign,
// on cases inside their jurisdiction (another case answers NOT_FOUND, as events.get); the review sample for
// roles that review, inside their jurisdiction.

import { z } from 'zod';
import { DISPUTE_SOURCE_KEYS, DISPUTE_TYPE_KEYS, type DisputeSource, type DisputeType } from '../domain/dispute-categories';
import { DESK_COLUMNS, DESK_COLUMN_STATUSES } from '../domain/desk-columns';
import { HANDLING_LEVELS, isOverdue, legalActions } from '../domain/dispute-workflow';
import { CAPABILITIES, regionScopeOf } from '../domain/access';
import { MS_PER_DAY } from '../domain/china-time';
import { DEFAULT_REVIEW_RATE } from '../analysis/disputes/review-sample';
import { auditUnmaskedView, caseActionable, caseVisible, disputeFor, principalOf, requireCapability, scopeWithin } from '../auth/guard';
import { nowOf, type AtlasContext } from '../context';
import { RequestError, requireUnit } from '../request-error';
import type { DisputeRecord } from '../store/dispute-store';
import { procedure, router } from '../trpc';
import { adminCodeSchema, checkPeriod, fromSchema, toSchema } from './schemas';

/** Default review period: the 30 days before now (or before `to`). */
const REVIEW_PERIOD_DAYS = 30;
/** Longest review period. */
const MAX_REVIEW_PERIOD_DAYS = 366;

/** Refuses a caller whose role may not take a workflow action, saying what for. */
function requireAction(ctx: AtlasContext, action: 'assign' | 'review', what: string) {
  const principal = principalOf(ctx);
  if (!CAPABILITIES[principal.role].actions.includes(action)) {
    throw new RequestError('FORBIDDEN', `${what} is open to roles that ${action} cases, not to the ${principal.role} role`);
  }
  return principal;
}

const cursorSchema = z
  .string()
  .regex(/^\d+-\d+$/, 'must be a cursor returned by desk.queue')
  .transform((text) => {
    const [dueAt, id] = text.split('-').map(Number);
    return { dueAt: dueAt!, id: id! };
  });

/**
 * The two streets of a street boundary line with a side in `within` (cases record the street across the
 * nearest street line, so only street lines filter them): NOT_FOUND for no such line, BAD_REQUEST for one
 * elsewhere or of another level.
 */
async function streetLineSides(ctx: AtlasContext, lineId: string, within: string): Promise<[string, string]> {
  const found = await ctx.jobs.value('boundaries.line', { lineId, jurisdiction: within }, { nowMs: nowOf(ctx) });
  if (!found.line) {
    if (!found.exists) throw new RequestError('NOT_FOUND', `no boundary line ${lineId}`);
    throw new RequestError('BAD_REQUEST', `boundary line ${lineId} has no side in ${within}`);
  }
  const { level, leftCode, rightCode } = found.line;
  if (level !== 'street' || leftCode === null || rightCode === null) {
    throw new RequestError('BAD_REQUEST', `boundary line ${lineId} is not between two streets (cases are filtered by the street lines they lie by)`);
  }
  return [leftCode, rightCode];
}

/** What every desk list says of a case (as the caller may see it: disputeFor has masked it). */
function deskCaseOf(seen: DisputeRecord) {
  return {
    id: seen.id,
    type: seen.type,
    severity: seen.severity,
    level: seen.handlingLevel,
    state: seen.status,
    placeCode: seen.placeCode,
    /** The street across a boundary line within 500 m (the case is visible to both sides), else null. */
    otherSideCode: seen.otherSideCode,
    /** The unit chosen to handle it (null: the unit of its place at its level) and the joint unit of a joint mediation. */
    handlerUnit: seen.handlerUnit,
    jointUnit: seen.jointUnit,
    version: seen.version,
    summary: seen.summary,
  };
}

export const deskRouter = router({
  queue: procedure
    .input(
      z
        .object({
          /** The unit whose desk this is (default: the caller's own area, regionScopeOf their jurisdiction). */
          within: adminCodeSchema.optional(),
          /** One column's cases (default: every open case, most urgent first). */
          column: z.enum(DESK_COLUMNS).optional(),
          types: z.array(z.enum(DISPUTE_TYPE_KEYS as [DisputeType, ...DisputeType[]])).min(1).optional(),
          sources: z.array(z.enum(DISPUTE_SOURCE_KEYS as [DisputeSource, ...DisputeSource[]])).min(1).optional(),
          /** Handling levels (grid … above). */
          levels: z.array(z.enum(HANDLING_LEVELS)).min(1).optional(),
          /** Only cases placed in this grid (15 digits). */
          grid: z.string().regex(/^\d{15}$/, 'a grid code of 15 digits').optional(),
          /** Only cases by this street boundary line (its id, as boundaries.register lists it) with a side in `within`. */
          line: z.string().trim().min(1).max(80).optional(),
          cursor: cursorSchema.optional(),
          limit: z.number().int().min(1).max(500).default(50),
        })
        .strict(),
    )
    .query(async ({ ctx, input, signal }) => {
      const principal = requireCapability(ctx, 'readCases', 'reading the desk queue');
      const within = input.within === undefined ? regionScopeOf(principal.jurisdiction) : scopeWithin(ctx, input.within);
      requireUnit(ctx.store, within, 'within');
      const acrossLine = input.line === undefined ? undefined : await streetLineSides(ctx, input.line, within);
      const now = nowOf(ctx);
      const filters = { visibleIn: within, types: input.types, sources: input.sources, levels: input.levels, placeCode: input.grid, acrossLine };
      // Counts and cases read in the pool, in one read transaction with the log's last sequence number.
      const { asOfSeq, byStatus, overdue, cases: rows } = await ctx.jobs.value(
        'desk.queue',
        { filters, column: input.column, after: input.cursor, limit: input.limit },
        { signal, nowMs: now },
      );
      const page = rows.slice(0, input.limit);
      const last = page[page.length - 1];
      auditUnmaskedView(ctx, 'desk.queue', page.map((dispute) => dispute.id));
      const count = (column: keyof typeof DESK_COLUMN_STATUSES) => DESK_COLUMN_STATUSES[column].reduce((sum, status) => sum + byStatus[status], 0);
      return {
        /** The unit the queue is of (the default's answer when `within` was left out). */
        within,
        counts: {
          new: count('new'),
          assigned: count('assigned'),
          inHand: count('inHand'),
          awaitingFeedback: count('awaitingFeedback'),
          awaitingReview: count('awaitingReview'),
          overdue,
        },
        cases: page.map((row) => {
          const seen = disputeFor(principal, row);
          return {
            ...deskCaseOf(seen),
            source: seen.source,
            placeName: row.placeName,
            reportedAt: seen.reportedAt,
            /** The deadline of the case's current stage (dispute-deadlines.ts), ms since epoch. */
            deadlineAt: seen.dueAt,
            /** Until the deadline, ms; negative once overdue. */
            msLeft: seen.dueAt - now,
            overdue: isOverdue(seen.dueAt, seen.closedAt, now),
            /** The action of its latest step: `escalate` marks a case sent up (by hand or by rule) and not yet taken on there. */
            lastAction: row.lastAction,
          };
        }),
        nextCursor: rows.length > input.limit && last ? `${last.dueAt}-${last.id}` : null,
        /** The last dispute log entry the counts and cases include (events.live entries after it are news). */
        asOfSeq,
      };
    }),

  /**
   * The units a case may be handed to, ranked by level (its grid, community, street, county; the other
   * side's after the own side's at each level for a case near a boundary line), each with its open load
   * (cases in hand there at its level, of those the caller sees), the walk from the case's place to its
   * office on the walking network (metres, null where none is found), and whether the caller may choose it
   * as `handlerUnit` of events.transition (inside the caller's jurisdiction).
   */
  suggestHandlers: procedure.input(z.object({ id: z.number().int().positive() }).strict()).query(async ({ ctx, input, signal }) => {
    const principal = requireAction(ctx, 'assign', 'suggesting handlers');
    const found = ctx.store.disputes.get(input.id);
    if (!found || !caseVisible(principal, found.dispute)) throw new RequestError('NOT_FOUND', `id: no dispute ${input.id}`);
    if (!caseActionable(principal, found.dispute)) {
      throw new RequestError('FORBIDDEN', `id: case ${input.id} lies across the boundary, in ${found.dispute.placeCode}; its own side assigns it`);
    }
    return ctx.jobs.run('desk.suggestHandlers', { id: input.id, jurisdiction: principal.jurisdiction }, { signal, nowMs: nowOf(ctx) });
  }),

  /**
   * The review sample (治理复查抽查) of the cases placed in `within` that reached feedback (then reviewed,
   * closed) in [from, to) (default: the 30 days before now): each drawn by its id at `rate` (default 10 %),
   * the same cases on every call, at least one when there is any. The caller reviews them (`review`) and
   * may `reopen` them with events.transition.
   */
  reviewSample: procedure
    .input(
      z
        .object({
          within: adminCodeSchema,
          from: fromSchema.optional(),
          to: toSchema.optional(),
          rate: z.number().gt(0, 'a share above 0').max(1, 'a share of at most 1').default(DEFAULT_REVIEW_RATE),
        })
        .strict()
        .superRefine(checkPeriod(MAX_REVIEW_PERIOD_DAYS)),
    )
    .query(async ({ ctx, input, signal }) => {
      const principal = requireAction(ctx, 'review', 'the review sample');
      const within = scopeWithin(ctx, input.within);
      requireUnit(ctx.store, within, 'within');
      const now = nowOf(ctx);
      const to = input.to ?? now;
      const from = input.from ?? to - REVIEW_PERIOD_DAYS * MS_PER_DAY;
      if (!(from < to)) throw new RequestError('BAD_REQUEST', 'from: must be before to (the default to is now)');
      if (to - from > MAX_REVIEW_PERIOD_DAYS * MS_PER_DAY) throw new RequestError('BAD_REQUEST', `from: the period is longer than ${MAX_REVIEW_PERIOD_DAYS} days`);
      // The value, not the pool's raw bytes: the cases are masked and given their actions here.
      const sample = await ctx.jobs.value('desk.reviewSample', { within, from, to, rate: input.rate }, { signal, nowMs: now });
      auditUnmaskedView(ctx, 'desk.reviewSample', sample.cases.map((dispute) => dispute.id));
      const allowed = CAPABILITIES[principal.role].actions;
      return {
        within,
        period: { from, to },
        rate: input.rate,
        /** Cases that reached feedback in the period (the population sampled). */
        population: sample.pool,
        cases: sample.cases.map((dispute) => {
          const seen = disputeFor(principal, dispute);
          return {
            ...deskCaseOf(seen),
            placeName: dispute.placeName,
            feedbackAt: seen.feedbackAt,
            reviewedAt: seen.reviewedAt,
            closedAt: seen.closedAt,
            outcome: seen.outcome,
            /** What the caller may do now: review (from feedback), reopen (from reviewed or closed), … */
            legalActions: ctx.store.disputes.writable ? legalActions(seen.status, seen.handlingLevel).filter((action) => allowed.includes(action)) : [],
          };
        }),
      };
    }),
});
