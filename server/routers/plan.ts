// plan.*: facility siting — optimisation, what-if evaluation (facilities and walking-network edits) and
// export. Thin: parse the input and run the siting jobs in the worker pool; an export formats the
// (cached) optimisation of the same request (and is audited). Open to roles that plan, inside their
// jurisdiction.

import { z } from 'zod';
import { FACILITY_KINDS } from '../domain/facility-kinds';
import { SCENARIO_LIMITS } from '../domain/scenario';
import { CANDIDATE_SOURCES, SITING_OBJECTIVES } from '../domain/siting';
import { SITING_LIMITS } from '../jobs/siting';
import { requireCapability, scopeWithin } from '../auth/guard';
import { auditOf, nowOf, type AtlasContext } from '../context';
import { procedure, router } from '../trpc';
import { adminCodeSchema } from './schemas';

const lngLatSchema = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);

/** Walking minutes that count as served: 1 … 60 (GB 50180-2018 life circles are 5, 10 and 15). */
const maxMinutesSchema = z.number().gt(0).max(60);

const optimizeShape = {
  kind: z.enum(FACILITY_KINDS),
  maxMinutes: maxMinutesSchema,
  within: adminCodeSchema,
  objective: z.enum(SITING_OBJECTIVES),
  /** mclp, pmedian, pcenter: how many new sites. */
  newSites: z.number().int().min(1).max(SITING_LIMITS.maxNewSites).optional(),
  /** lscp: share of residents to cover within maxMinutes, existing facilities included. */
  targetRate: z.number().gt(0).max(1).optional(),
  candidates: z.union([z.enum(CANDIDATE_SOURCES), z.object({ points: z.array(lngLatSchema).min(1).max(SITING_LIMITS.maxUserPoints) }).strict()]),
  /** 'auto' (default, ≤ 8 s): HiGHS LP/MIP when the model fits; 'heuristic' (≤ 3 s); 'exact' (≤ 30 s). */
  method: z.enum(['auto', 'heuristic', 'exact']).optional(),
};

const optimizeInput = z.object(optimizeShape).strict();

const evaluateInput = z
  .object({
    kind: z.enum(FACILITY_KINDS),
    maxMinutes: maxMinutesSchema,
    within: adminCodeSchema,
    add: z.array(lngLatSchema).max(SITING_LIMITS.maxEvaluateSites).default([]),
    remove: z.array(z.number().int().min(1)).max(SITING_LIMITS.maxEvaluateSites).default([]),
    /** New straight walking links (a footbridge, a gate through a compound wall): [from, to]. */
    addLinks: z.array(z.tuple([lngLatSchema, lngLatSchema])).max(SCENARIO_LIMITS.maxLinks).default([]),
    /** Walking-network edge ids to cut (geo.roads' `id`). */
    removeLinks: z.array(z.number().int().min(1)).max(SCENARIO_LIMITS.maxLinks).default([]),
  })
  .strict();

const exportInput = z.object({ ...optimizeShape, format: z.enum(['geojson', 'csv', 'xlsx']), lang: z.enum(['zh', 'en']).optional() }).strict();

/** Planning needs the plan capability and covers the caller's jurisdiction or a unit inside it. */
function planWithin(ctx: AtlasContext, within: string): string {
  requireCapability(ctx, 'plan', 'planning');
  return scopeWithin(ctx, within);
}

export const planRouter = router({
  optimize: procedure
    .input(optimizeInput)
    .query(({ ctx, input, signal }) => ctx.jobs.run('plan.optimize', { ...input, within: planWithin(ctx, input.within) }, { signal, nowMs: nowOf(ctx) })),
  evaluate: procedure
    .input(evaluateInput)
    .query(({ ctx, input, signal }) => ctx.jobs.run('plan.evaluate', { ...input, within: planWithin(ctx, input.within) }, { signal, nowMs: nowOf(ctx) })),
  export: procedure.input(exportInput).query(async ({ ctx, input, signal }) => {
    const { format, lang, ...request } = input;
    const within = planWithin(ctx, request.within);
    const result = await ctx.jobs.value('plan.optimize', { ...request, within }, { signal, nowMs: nowOf(ctx) });
    auditOf(ctx, 'export', 'plan.export', { within, kind: request.kind, objective: request.objective, format });
    return ctx.jobs.run('plan.export', { result, format, lang }, { signal, nowMs: nowOf(ctx) });
  }),
});
