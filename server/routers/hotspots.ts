// hotspots.*: Getis-Ord Gi* hotspots, emerging hotspots and boundary-line risk of disputes. Thin: parse
// the input and run the job in the worker pool. Answers follow the live dispute log (no ETag). Every
// request covers the caller's jurisdiction or a unit inside it; another area is refused.

import { z } from 'zod';
import { BOUNDARY_LEVELS } from '../domain/admin-codes';
import { DISPUTE_SOURCE_KEYS, DISPUTE_TYPE_KEYS, type DisputeSource, type DisputeType } from '../domain/dispute-categories';
import type { HotspotUnits } from '../jobs/hotspot-analyses';
import { admitBoundaryRisk } from '../jobs/hotspots';
import { scopeWithin } from '../auth/guard';
import { nowOf } from '../context';
import { procedure, router } from '../trpc';
import { boundaryRecordsInput } from './boundaries';
import { adminCodeSchema, checkPeriod, fromSchema, toSchema } from './schemas';

export type { BoundaryRiskProperties, EmergingCellProperties, HotspotCellProperties } from '../jobs/hotspots';

/** Longest period one request covers. */
export const MAX_PERIOD_DAYS = 800;

const typesSchema = z.array(z.enum(DISPUTE_TYPE_KEYS as unknown as [DisputeType, ...DisputeType[]])).min(1);
const sourcesSchema = z.array(z.enum(DISPUTE_SOURCE_KEYS as unknown as [DisputeSource, ...DisputeSource[]])).min(1);

const resolutionSchema = z.union([z.literal(7), z.literal(8), z.literal(9), z.enum(['grid', 'community'])]);

const weightsSchema = z
  .object({
    /** kRing (H3 cells, the default there), queen (polygons' default) or rook. */
    kind: z.enum(['kRing', 'queen', 'rook']).optional(),
    /** k-ring size, 1–3 (default 1: the six adjacent cells). */
    k: z.number().int().min(1).max(3).optional(),
    /** Row-standardised weights (default binary). */
    rowStandardized: z.boolean().optional(),
  })
  .strict();

const periodFields = {
  within: adminCodeSchema,
  from: fromSchema,
  to: toSchema,
  types: typesSchema.optional(),
  sources: sourcesSchema.optional(),
};

type WeightsInput = z.infer<typeof weightsSchema> | undefined;

function checkWeights(resolution: HotspotUnits, weights: WeightsInput, ctx: z.RefinementCtx): void {
  if (!weights?.kind) return;
  const h3 = typeof resolution === 'number';
  if (h3 && weights.kind !== 'kRing') {
    ctx.addIssue({ code: 'custom', path: ['weights', 'kind'], message: `H3 cells take kRing weights, not ${weights.kind}` });
  }
  if (!h3 && weights.kind === 'kRing') {
    ctx.addIssue({ code: 'custom', path: ['weights', 'kind'], message: 'kRing weights need an H3 resolution (7–9); use queen or rook for grids and communities' });
  }
  if (!h3 && weights.k !== undefined) ctx.addIssue({ code: 'custom', path: ['weights', 'k'], message: 'k applies to kRing weights only' });
}

const cellsInput = z
  .object({
    ...periodFields,
    /** H3 resolution 7, 8 or 9, or 'grid' / 'community' polygons. */
    resolution: resolutionSchema,
    weights: weightsSchema.optional(),
    /** Conditional permutations for pseudo p-values (99–9,999); analytic p-values without. */
    permutations: z.number().int().min(99).max(9999).optional(),
    /** Benjamini-Hochberg false-discovery-rate control of the classes. */
    fdr: z.boolean().optional(),
    /** Seed of the permutations (default 1): equal inputs give equal answers. */
    seed: z.number().int().min(0).max(0xffffffff).optional(),
    /** Only cells with a hot or cold class (smaller answers for the big screen). */
    significantOnly: z.boolean().optional(),
    /**
     * 'none' (default): Gi* of the counts, where disputes concentrate. 'residents': Gi* of the counts less
     * those expected from the residents (town and village rates), where disputes outrun the population.
     */
    baseline: z.enum(['none', 'residents']).optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    checkPeriod(MAX_PERIOD_DAYS)(input, ctx);
    checkWeights(input.resolution, input.weights, ctx);
  });

const emergingInput = z
  .object({
    ...periodFields,
    /** Weekly (7 days ending at `to`) or monthly (calendar months, China time) slices; at least 10. */
    slice: z.enum(['week', 'month']),
    resolution: resolutionSchema.optional(),
    weights: weightsSchema.optional(),
    /** Also return the cells with no pattern. */
    includeNone: z.boolean().optional(),
    /** As for hotspots.cells: 'residents' analyses each slice's counts less those expected from the residents. */
    baseline: z.enum(['none', 'residents']).optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    checkPeriod(MAX_PERIOD_DAYS)(input, ctx);
    checkWeights(input.resolution ?? 8, input.weights, ctx);
  });

const boundaryRiskInput = z
  .object({
    ...periodFields,
    /** Half-width of the buffer around each line, metres (default 500). */
    bufferMeters: z.number().min(50).max(5000).optional(),
    /** Line levels (default street, county and city lines; the province's outer edge only when listed). */
    levels: z.array(z.enum(BOUNDARY_LEVELS)).min(1).optional(),
    /** Slices of the per-period counts and their trend (default month). */
    slice: z.enum(['week', 'month']).optional(),
  })
  .strict()
  .superRefine(checkPeriod(MAX_PERIOD_DAYS));

export const hotspotsRouter = router({
  cells: procedure
    .meta({ access: 'wall' })
    .input(cellsInput)
    .query(({ ctx, input, signal }) => ctx.jobs.run('hotspots.cells', { ...input, within: scopeWithin(ctx, input.within) }, { signal, nowMs: nowOf(ctx) })),
  emerging: procedure
    .meta({ access: 'wall' })
    .input(emergingInput)
    .query(({ ctx, input, signal }) => ctx.jobs.run('hotspots.emerging', { ...input, within: scopeWithin(ctx, input.within) }, { signal, nowMs: nowOf(ctx) })),
  boundaryRisk: procedure
    .meta({ access: 'wall' })
    .input(boundaryRiskInput)
    .query(({ ctx, input, signal }) => {
      const within = scopeWithin(ctx, input.within);
      const scoped = { ...input, within, ...boundaryRecordsInput(ctx, within) };
      admitBoundaryRisk(ctx.store, scoped);
      return ctx.jobs.run('hotspots.boundaryRisk', scoped, { signal, nowMs: nowOf(ctx) });
    }),
});
