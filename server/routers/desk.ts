// desk.*: the command desk's queue — the open cases visible in a unit, per workflow column with counts,
// most urgent first (deadline, then id), each with its deadline, time left and whether it is overdue.
//
// Access: roles that read cases, inside their jurisdiction (a case within 500 m of a street boundary line
// is visible to both sides, as in events.list); summaries masked like events.list for roles without a
// need to know, and every unmasked page audited.

import { z } from 'zod';
import { DISPUTE_SOURCE_KEYS, DISPUTE_TYPE_KEYS, type DisputeSource, type DisputeType } from '../domain/dispute-categories';
import { DESK_COLUMNS, DESK_COLUMN_STATUSES } from '../domain/desk-columns';
import { HANDLING_LEVELS, isOverdue } from '../domain/dispute-workflow';
import { auditUnmaskedView, disputeFor, requireCapability, scopeWithin } from '../auth/guard';
import { nowOf } from '../context';
import { requireUnit } from '../request-error';
import { procedure, router } from '../trpc';
import { adminCodeSchema } from './schemas';

const cursorSchema = z
  .string()
  .regex(/^\d+-\d+$/, 'must be a cursor returned by desk.queue')
  .transform((text) => {
    const [dueAt, id] = text.split('-').map(Number);
    return { dueAt: dueAt!, id: id! };
  });

export const deskRouter = router({
  queue: procedure
    .input(
      z
        .object({
          within: adminCodeSchema,
          /** One column's cases (default: every open case, most urgent first). */
          column: z.enum(DESK_COLUMNS).optional(),
          types: z.array(z.enum(DISPUTE_TYPE_KEYS as [DisputeType, ...DisputeType[]])).min(1).optional(),
          sources: z.array(z.enum(DISPUTE_SOURCE_KEYS as [DisputeSource, ...DisputeSource[]])).min(1).optional(),
          /** Handling levels (grid … above). */
          levels: z.array(z.enum(HANDLING_LEVELS)).min(1).optional(),
          /** Only cases placed in this grid (15 digits). */
          grid: z.string().regex(/^\d{15}$/, 'a grid code of 15 digits').optional(),
          cursor: cursorSchema.optional(),
          limit: z.number().int().min(1).max(500).default(50),
        })
        .strict(),
    )
    .query(({ ctx, input }) => {
      const principal = requireCapability(ctx, 'readCases', 'reading the desk queue');
      const within = scopeWithin(ctx, input.within);
      requireUnit(ctx.store, within, 'within');
      const now = nowOf(ctx);
      const filters = { visibleIn: within, types: input.types, sources: input.sources, levels: input.levels, placeCode: input.grid };
      const { byStatus, overdue } = ctx.store.disputes.queueCounts(filters, now);
      const column = input.column;
      const rows = ctx.store.disputes.queue({
        ...filters,
        statuses: column === undefined || column === 'overdue' ? undefined : DESK_COLUMN_STATUSES[column],
        overdueAt: column === 'overdue' ? now : undefined,
        after: input.cursor,
        limit: input.limit + 1,
      });
      const page = rows.slice(0, input.limit);
      const last = page[page.length - 1];
      auditUnmaskedView(ctx, 'desk.queue', page.map((dispute) => dispute.id));
      const count = (column: keyof typeof DESK_COLUMN_STATUSES) => DESK_COLUMN_STATUSES[column].reduce((sum, status) => sum + byStatus[status], 0);
      return {
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
            id: seen.id,
            type: seen.type,
            source: seen.source,
            severity: seen.severity,
            level: seen.handlingLevel,
            state: seen.status,
            placeCode: seen.placeCode,
            placeName: row.placeName,
            /** The street across a boundary line within 500 m (the case is visible to both sides), else null. */
            otherSideCode: seen.otherSideCode,
            reportedAt: seen.reportedAt,
            /** The deadline (SLA of the severity from the report), ms since epoch. */
            deadlineAt: seen.dueAt,
            /** Until the deadline, ms; negative once overdue. */
            msLeft: seen.dueAt - now,
            overdue: isOverdue(seen.dueAt, seen.closedAt, now),
            version: seen.version,
            summary: seen.summary,
          };
        }),
        nextCursor: rows.length > input.limit && last ? `${last.dueAt}-${last.id}` : null,
      };
    }),
});
