// coverage.*: walking-network service areas, coverage rates, workstation coverage and gaps (issue 4).
// Thin: parse the input, hand it to the coverage service (store → analysis), map its refusals to tRPC
// errors. Every answer depends only on the input and the data version, so GETs carry an ETag.

import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { FACILITY_KINDS } from '../domain/facility-kinds';
import {
  DEFAULT_BUFFER_METERS,
  DEFAULT_DETOUR_FACTOR,
  DEFAULT_MAX_SNAP_METERS,
  DEFAULT_SPEED_KMH,
  GB50180_METERS_BY_MINUTES,
  SPEED_PRESETS_KMH,
} from '../domain/travel-limits';
import {
  COVERAGE_GROUP_LEVELS,
  CoverageRequestError,
  coverageContext,
  coverageGaps,
  coverageRates,
  serviceAreas,
  workstationCoverage,
} from '../services/coverage-service';
import { publicProcedure, router } from '../trpc';
import { adminCodeSchema, zoomSchema } from './schemas';

/** The limit: walking minutes (at speedKmh, default 4 km/h) or metres; GB 50180 mode maps 5/10/15 min to metres. */
const limitShape = {
  kind: z.enum(FACILITY_KINDS),
  maxMinutes: z.number().gt(0).max(60).optional(),
  maxMeters: z.number().gt(0).max(5_000).optional(),
  speedKmh: z.number().min(1).max(10).optional(),
  mode: z.enum(['time', 'gb50180']).optional(),
};

/** Exactly one of maxMinutes and maxMeters (the service checks the rest and names the field). */
function oneLimit<T extends { maxMinutes?: number; maxMeters?: number }>(input: T, ctx: z.RefinementCtx): void {
  if ((input.maxMinutes === undefined) === (input.maxMeters === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['maxMinutes'], message: 'give exactly one of maxMinutes and maxMeters' });
  }
}

const serviceAreasInput = z
  .object({ ...limitShape, within: adminCodeSchema, dissolve: z.boolean().optional(), zoom: zoomSchema.optional() })
  .strict()
  .superRefine(oneLimit);

const ratesInput = z
  .object({ ...limitShape, within: adminCodeSchema.default('21'), groupBy: z.enum(COVERAGE_GROUP_LEVELS) })
  .strict()
  .superRefine(oneLimit);

const workstationsInput = z
  .object({ within: adminCodeSchema.default('21'), groupBy: z.enum(['city', 'county', 'street', 'community']) })
  .strict();

const gapsInput = z
  .object({ ...limitShape, within: adminCodeSchema, as: z.enum(['polygons', 'points']).optional() })
  .strict()
  .superRefine(oneLimit);

/** Runs a service call, turning its refusals into tRPC errors that name the field. */
function serviceCall<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof CoverageRequestError) throw new TRPCError({ code: error.code, message: error.message });
    throw error;
  }
}

export const coverageRouter = router({
  /** Defaults and presets, for legends and forms. */
  parameters: publicProcedure
    .meta({ cache: 'data' })
    .query(({ ctx }) => ({
      speedKmh: DEFAULT_SPEED_KMH,
      speedPresetsKmh: SPEED_PRESETS_KMH,
      gb50180MetersByMinutes: GB50180_METERS_BY_MINUTES,
      maxSnapMeters: DEFAULT_MAX_SNAP_METERS,
      detourFactor: DEFAULT_DETOUR_FACTOR,
      bufferMeters: DEFAULT_BUFFER_METERS,
      networkLoaded: coverageContext(ctx.store).graph !== null,
    })),

  serviceAreas: publicProcedure
    .meta({ cache: 'data' })
    .input(serviceAreasInput)
    .query(({ ctx, input }) => serviceCall(() => serviceAreas(ctx.store, input))),

  rates: publicProcedure
    .meta({ cache: 'data' })
    .input(ratesInput)
    .query(({ ctx, input }) => serviceCall(() => coverageRates(ctx.store, input))),

  workstations: publicProcedure
    .meta({ cache: 'data' })
    .input(workstationsInput)
    .query(({ ctx, input }) => serviceCall(() => workstationCoverage(ctx.store, input))),

  gaps: publicProcedure
    .meta({ cache: 'data' })
    .input(gapsInput)
    .query(({ ctx, input }) => serviceCall(() => coverageGaps(ctx.store, input))),
});
