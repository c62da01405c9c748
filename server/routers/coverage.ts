// coverage.*: walking-network service areas, coverage rates, workstation coverage and gaps. Thin: parse
// the input, run the coverage job (worker pool) and hand back its answer. Every answer depends only on
// the input and the data version, so GETs carry an ETag. Every request covers the caller's jurisdiction
// or a unit inside it (the jurisdiction when `within` is left out); another area is refused.

import { z } from 'zod';
import { FACILITY_KINDS } from '../domain/facility-kinds';
import {
  DEFAULT_BUFFER_METERS,
  DEFAULT_DETOUR_FACTOR,
  DEFAULT_MAX_SNAP_METERS,
  DEFAULT_SPEED_KMH,
  GB50180_METERS_BY_MINUTES,
  SPEED_PRESETS_KMH,
  checkOneLimit,
  type SpeedPreset,
} from '../domain/travel-limits';
import { COVERAGE_GROUP_LEVELS, DEFAULT_CURVE_MINUTES, RESIDENT_GROUPS } from '../jobs/coverage';
import { scopeWithin } from '../auth/guard';
import { nowOf } from '../context';
import { procedure, router } from '../trpc';
import { adminCodeSchema, zoomSchema } from './schemas';

/** The limit: walking minutes (at speedKmh, default 4 km/h) or metres; GB 50180 mode maps 5/10/15 min to metres. */
const limitShape = {
  kind: z.enum(FACILITY_KINDS),
  maxMinutes: z.number().gt(0).max(60).optional(),
  maxMeters: z.number().gt(0).max(5_000).optional(),
  speedKmh: z.number().min(1).max(10).optional(),
  mode: z.enum(['time', 'gb50180']).optional(),
};

/** The travel-limit rules (exactly one of maxMinutes and maxMeters …), reported on the field they name. */
function limitRefinement(input: { maxMinutes?: number; maxMeters?: number; speedKmh?: number; mode?: 'time' | 'gb50180' }, ctx: z.RefinementCtx): void {
  const problem = checkOneLimit(input);
  if (problem) ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
}

const serviceAreasInput = z
  .object({ ...limitShape, within: adminCodeSchema, dissolve: z.boolean().optional(), zoom: zoomSchema.optional() })
  .strict()
  .superRefine(limitRefinement);

const ratesInput = z
  .object({
    ...limitShape,
    /** A kind, or a list of kinds serving alike: a resident within the limit of any of them is covered. */
    kind: z.union([z.enum(FACILITY_KINDS), z.array(z.enum(FACILITY_KINDS)).min(1).max(FACILITY_KINDS.length)]),
    within: adminCodeSchema.optional(),
    groupBy: z.enum(COVERAGE_GROUP_LEVELS),
    /** 'all' residents (default), or only those of urban (居委会) or rural (村委会) grids. */
    residents: z.enum(RESIDENT_GROUPS).optional(),
  })
  .strict()
  .superRefine(limitRefinement);

const { kind: _oneKind, ...limitFields } = limitShape;

const completenessInput = z
  .object({
    ...limitFields,
    /** The kinds counted (default: the life-circle kinds of server/domain/life-circle.ts). */
    kinds: z.array(z.enum(FACILITY_KINDS)).min(1).max(FACILITY_KINDS.length).optional(),
    within: adminCodeSchema.optional(),
    groupBy: z.enum(['community', 'grid']),
  })
  .strict()
  .superRefine((input, ctx) => {
    // No limit: each kind's GB 50180-2018 distance; one limit applies to every kind.
    if (input.maxMinutes === undefined && input.maxMeters === undefined) {
      if (input.speedKmh !== undefined) ctx.addIssue({ code: 'custom', path: ['speedKmh'], message: 'applies to maxMinutes only' });
      if (input.mode === 'time') ctx.addIssue({ code: 'custom', path: ['mode'], message: 'without maxMinutes or maxMeters each kind takes its GB 50180 distance' });
      return;
    }
    limitRefinement(input, ctx);
  });

const workstationsInput = z
  .object({ within: adminCodeSchema.optional(), groupBy: z.enum(['city', 'county', 'street', 'community']) })
  .strict();

const gapsInput = z
  .object({
    ...limitShape,
    /** A kind, or a list of kinds serving alike (as coverage.rates). */
    kind: z.union([z.enum(FACILITY_KINDS), z.array(z.enum(FACILITY_KINDS)).min(1).max(FACILITY_KINDS.length)]),
    within: adminCodeSchema,
    as: z.enum(['polygons', 'points']).optional(),
    residents: z.enum(RESIDENT_GROUPS).optional(),
  })
  .strict()
  .superRefine(limitRefinement);

const curveInput = z
  .object({
    /** A kind, or a list of kinds serving alike (as coverage.rates). */
    kind: z.union([z.enum(FACILITY_KINDS), z.array(z.enum(FACILITY_KINDS)).min(1).max(FACILITY_KINDS.length)]),
    within: adminCodeSchema,
    /** Walking minutes, each 1 … 60 (default 5, 10, … 30). */
    minutes: z.array(z.number().min(1).max(60)).min(1).max(60).optional(),
    /** Whose walking speed: 'standard' 4 km/h (default) or 'elderly' 3 km/h. */
    walker: z.enum(Object.keys(SPEED_PRESETS_KMH) as [SpeedPreset, ...SpeedPreset[]]).optional(),
  })
  .strict();

export const coverageRouter = router({
  /** Defaults and presets, for legends and forms. */
  parameters: procedure.meta({ cache: 'data', access: 'wall' }).query(({ ctx }) => ({
    speedKmh: DEFAULT_SPEED_KMH,
    speedPresetsKmh: SPEED_PRESETS_KMH,
    gb50180MetersByMinutes: GB50180_METERS_BY_MINUTES,
    maxSnapMeters: DEFAULT_MAX_SNAP_METERS,
    detourFactor: DEFAULT_DETOUR_FACTOR,
    bufferMeters: DEFAULT_BUFFER_METERS,
    networkLoaded: (ctx.store.health().counts.roadEdges ?? 0) > 0,
  })),

  serviceAreas: procedure
    .meta({ cache: 'data' })
    .input(serviceAreasInput)
    .query(({ ctx, input, signal }) => ctx.jobs.run('coverage.serviceAreas', { ...input, within: scopeWithin(ctx, input.within) }, { signal, nowMs: nowOf(ctx) })),

  rates: procedure
    .meta({ cache: 'data', access: 'wall' })
    .input(ratesInput)
    .query(({ ctx, input, signal }) => ctx.jobs.run('coverage.rates', { ...input, within: scopeWithin(ctx, input.within) }, { signal, nowMs: nowOf(ctx) })),

  /** Life-circle completeness: per community or grid, the kinds within reach and those missing. */
  completeness: procedure
    .meta({ cache: 'data', access: 'wall' })
    .input(completenessInput)
    .query(({ ctx, input, signal }) => ctx.jobs.run('coverage.completeness', { ...input, within: scopeWithin(ctx, input.within) }, { signal, nowMs: nowOf(ctx) })),

  /** Coverage by walking minutes for the existing facilities: each point as coverage.rates at that limit. */
  curve: procedure
    .meta({ cache: 'data' })
    .input(curveInput)
    .query(({ ctx, input, signal }) =>
      ctx.jobs.run(
        'coverage.curve',
        { kind: input.kind, within: scopeWithin(ctx, input.within), minutes: input.minutes ?? DEFAULT_CURVE_MINUTES, speedKmh: SPEED_PRESETS_KMH[input.walker ?? 'standard'] },
        { signal, nowMs: nowOf(ctx) },
      ),
    ),

  workstations: procedure
    .meta({ cache: 'data' })
    .input(workstationsInput)
    .query(({ ctx, input, signal }) => ctx.jobs.run('coverage.workstations', { ...input, within: scopeWithin(ctx, input.within) }, { signal, nowMs: nowOf(ctx) })),

  gaps: procedure
    .meta({ cache: 'data', access: 'wall' })
    .input(gapsInput)
    .query(({ ctx, input, signal }) => ctx.jobs.run('coverage.gaps', { ...input, within: scopeWithin(ctx, input.within) }, { signal, nowMs: nowOf(ctx) })),
});
