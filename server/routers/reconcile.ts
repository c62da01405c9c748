// reconcile.*: 多格合一 — the departments' own grid layers beside the unified grids: which were imported,
// a department's grids on the map, its reconciliation report and that report as XLSX. Thin: parse,
// authorise (planners, inside their jurisdiction), run the jobs in the worker pool; exports are audited.

import { z } from 'zod';
import { requireCapability, scopeWithin } from '../auth/guard';
import { auditOf, nowOf, type AtlasContext } from '../context';
import { procedure, router } from '../trpc';
import { adminCodeSchema } from './schemas';

const departmentSchema = z.string().trim().min(1).max(40);

const reportShape = {
  department: departmentSchema,
  within: adminCodeSchema,
  /** An overlap piece under this many m² is a sliver… */
  sliverAreaM2: z.number().min(0).max(1e7).optional(),
  /** …or under this share of its unified grid. */
  sliverShare: z.number().min(0).max(1).optional(),
};

/** Reconciliation is planning work: the plan capability, inside the caller's jurisdiction. */
function reconcileWithin(ctx: AtlasContext, within: string): string {
  requireCapability(ctx, 'plan', 'grid reconciliation');
  return scopeWithin(ctx, within);
}

export const reconcileRouter = router({
  departments: procedure.query(({ ctx, signal }) => {
    requireCapability(ctx, 'plan', 'grid reconciliation');
    return ctx.jobs.run('reconcile.departments', {}, { signal, nowMs: nowOf(ctx) });
  }),
  grids: procedure
    .input(z.object({ department: departmentSchema, within: adminCodeSchema }).strict())
    .query(({ ctx, input, signal }) => ctx.jobs.run('reconcile.grids', { ...input, within: reconcileWithin(ctx, input.within) }, { signal, nowMs: nowOf(ctx) })),
  report: procedure
    .input(z.object(reportShape).strict())
    .query(({ ctx, input, signal }) => ctx.jobs.run('reconcile.report', { ...input, within: reconcileWithin(ctx, input.within) }, { signal, nowMs: nowOf(ctx) })),
  export: procedure.input(z.object({ ...reportShape, lang: z.enum(['zh', 'en']).optional() }).strict()).query(async ({ ctx, input, signal }) => {
    const { lang, ...request } = input;
    const within = reconcileWithin(ctx, request.within);
    const answer = await ctx.jobs.value('reconcile.report', { ...request, within }, { signal, nowMs: nowOf(ctx) });
    auditOf(ctx, 'export', 'reconcile.export', { within, department: request.department });
    return ctx.jobs.run('reconcile.export', { answer, lang }, { signal, nowMs: nowOf(ctx) });
  }),
});
