// plan.*: facility siting — optimisation, what-if evaluation and export (issue 6). Thin: parse the
// input, hand it to the siting service (store → analysis), map its refusals to tRPC errors.

import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { FACILITY_KINDS } from '../domain/facility-kinds';
import { SITING_OBJECTIVES } from '../analysis/siting/solve-siting';
import { CANDIDATE_SOURCES, SITING_LIMITS, SitingRequestError, sitingServiceFor } from '../services/siting-service';
import { publicProcedure, router } from '../trpc';
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
  candidates: z.union([
    z.enum(CANDIDATE_SOURCES),
    z.object({ points: z.array(lngLatSchema).min(1).max(SITING_LIMITS.maxUserPoints) }).strict(),
  ]),
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
  })
  .strict();

const exportInput = z
  .object({ ...optimizeShape, format: z.enum(['geojson', 'csv', 'xlsx']), lang: z.enum(['zh', 'en']).optional() })
  .strict();

/** Runs a service call, turning its refusals into tRPC errors that name the field. */
async function serviceCall<T>(call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof SitingRequestError) throw new TRPCError({ code: error.code, message: error.message });
    throw error;
  }
}

export const planRouter = router({
  optimize: publicProcedure.input(optimizeInput).query(({ ctx, input }) => serviceCall(() => sitingServiceFor(ctx.store).optimize(input))),
  evaluate: publicProcedure.input(evaluateInput).query(({ ctx, input }) => serviceCall(() => sitingServiceFor(ctx.store).evaluate(input))),
  export: publicProcedure.input(exportInput).query(({ ctx, input }) => serviceCall(() => sitingServiceFor(ctx.store).export(input))),
});
