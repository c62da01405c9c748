// hotspots.*: Getis-Ord Gi* hotspots, emerging hotspots and boundary-line risk of disputes (issue 5).
// Answers depend on the live dispute feed, so none is marked cacheable.

import { TRPCError } from '@trpc/server';
import type { Feature, FeatureCollection, Geometry, LineString, MultiLineString, MultiPolygon, Polygon } from 'geojson';
import { z } from 'zod';
import { DISPUTE_SOURCE_KEYS, DISPUTE_TYPE_KEYS, type DisputeSource, type DisputeType } from '../domain/dispute-categories';
import { classifyBoundaryRisk, type BoundaryRiskLevel } from '../analysis/hotspots/boundary-risk';
import { EMERGING_CATEGORIES } from '../analysis/hotspots/emerging-hotspots';
import { h3CellRing, h3KeyToIndex } from '../analysis/hotspots/h3-cells';
import { formatChinaDateTime } from '../domain/china-time';
import {
  TooLargeError,
  computeBoundaryRisk,
  computeEmergingHotspots,
  computeHotspotCells,
  type DisputeFilter,
  type HotspotUnits,
  type HotspotWeightsSpec,
  type StudyArea,
} from '../services/hotspot-service';
import type { BoundaryLevel } from '../domain/admin-codes';
import type { AtlasStore } from '../store/atlas-store';
import { publicProcedure, router } from '../trpc';
import { adminCodeSchema, checkPeriod, fromSchema, toSchema } from './schemas';

/** Longest period one request covers. */
export const MAX_PERIOD_DAYS = 800;
/** Emerging hot spots need at least this many time slices (a Mann-Kendall trend on fewer says little). */
export const MIN_EMERGING_SLICES = 10;

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

function weightsSpec(resolution: HotspotUnits, weights: WeightsInput): HotspotWeightsSpec {
  const h3 = typeof resolution === 'number';
  return { kind: weights?.kind ?? (h3 ? 'kRing' : 'queen'), k: weights?.k ?? 1, rowStandardized: weights?.rowStandardized ?? false };
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
    levels: z.array(z.enum(['province', 'city', 'county', 'street'])).min(1).optional(),
    /** Slices of the per-period counts and their trend (default month). */
    slice: z.enum(['week', 'month']).optional(),
  })
  .strict()
  .superRefine(checkPeriod(MAX_PERIOD_DAYS));

function requireUnit(store: AtlasStore, code: string, field: string) {
  const unit = store.adminUnit(code);
  if (!unit) throw new TRPCError({ code: 'NOT_FOUND', message: `${field}: no admin unit has code ${code}` });
  return unit;
}

/** Runs an analysis, turning size refusals into BAD_REQUEST with their message. */
function refuseTooLarge<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof TooLargeError) throw new TRPCError({ code: 'BAD_REQUEST', message: error.message });
    throw error;
  }
}

/** A number for JSON: NaN and infinities become null, others rounded to `digits` significant digits. */
function round(value: number, digits = 6): number | null {
  return Number.isFinite(value) ? Number(value.toPrecision(digits)) : null;
}


function filterOf(input: { within: string; from: number; to: number; types?: DisputeType[]; sources?: DisputeSource[] }): DisputeFilter {
  return { withinCode: input.within, fromMs: input.from, toMs: input.to, types: input.types, sources: input.sources };
}

/** Geometry and identity of unit i of a study area. */
function unitFeatureBase(area: StudyArea, i: number): { id: string; name: string | null; geometry: Polygon | MultiPolygon } {
  if (area.kind === 'h3') {
    const key = area.cells!.keys[i]!;
    const ring = h3CellRing(key, area.resolution).map(([lng, lat]) => [round6(lng!), round6(lat!)]);
    return { id: h3KeyToIndex(key, area.resolution), name: null, geometry: { type: 'Polygon', coordinates: [ring] } };
  }
  return { id: area.codes[i]!, name: area.names[i]!, geometry: area.geometries[i]! };
}

const round6 = (value: number): number => Math.round(value * 1e6) / 1e6;

function featureCollection<G extends Geometry, P>(features: Feature<G, P>[], extra: Record<string, unknown>): FeatureCollection<G, P> & Record<string, unknown> {
  return { type: 'FeatureCollection', ...extra, features } as FeatureCollection<G, P> & Record<string, unknown>;
}

export interface HotspotCellProperties {
  /** H3 index, or grid / community code. */
  id: string;
  /** Grid or community name (null for H3 cells). */
  name: string | null;
  /** Disputes reported in the period. */
  count: number;
  /** Disputes expected from the residents (only with baseline 'residents'; z is then of count − expected). */
  expected?: number | null;
  /** Gi* z-score (Ord & Getis 1995); null where undefined. */
  z: number | null;
  /** p-value the class uses: pseudo p-value with permutations, else the two-sided normal one. */
  p: number | null;
  /** Benjamini-Hochberg q-value (only with fdr). */
  q?: number | null;
  /** +3/+2/+1 hot spot at 99/95/90 % confidence, −1…−3 cold spot, 0 not significant. */
  class: number;
}

export interface EmergingCellProperties {
  id: string;
  name: string | null;
  count: number;
  category: (typeof EMERGING_CATEGORIES)[number];
  hotSlices: number;
  coldSlices: number;
  /** Mann-Kendall trend of the Gi* z-scores over the slices. */
  trendZ: number | null;
  trendP: number | null;
  /** Gi* z-score of the last slice. */
  lastZ: number | null;
}

export interface BoundaryRiskProperties {
  id: string;
  /** 1 = most at risk. */
  rank: number;
  risk: BoundaryRiskLevel;
  level: BoundaryLevel;
  leftCode: string;
  rightCode: string | null;
  leftName: string;
  rightName: string | null;
  lengthMeters: number;
  agreementSigned: boolean | null;
  jointMediation: boolean | null;
  lastJointPatrol: string | null;
  /** Disputes within the buffer over the period. */
  count: number;
  /**
   * Disputes expected in the buffer given those around the line (buffer and the band one to three buffer
   * widths out), in proportion to the residents (demand points) there.
   */
  expected: number | null;
  /**
   * The stretch (about 1 km) of the line with the strongest excess: metres along the line, its middle
   * ([lng, lat]), disputes in its buffer and those expected there from the residents around the line.
   */
  peak: { fromMeters: number; toMeters: number; lngLat: [number, number]; count: number; expected: number | null; ratio: number | null };
  /** Binomial excess p-value of the peak against the rest of the line's surroundings, Bonferroni-corrected over its stretches. */
  p: number | null;
  /** Benjamini-Hochberg q-value of p over the lines of the answer. */
  q: number | null;
  /** Disputes within the buffer per slice (see the answer's `slices`). */
  countsBySlice: number[];
  /** Mann-Kendall trend of countsBySlice; direction at p ≤ 0.05. */
  trend: { z: number | null; p: number | null; direction: 'rising' | 'falling' | 'none' };
}

export const hotspotsRouter = router({
  cells: publicProcedure.input(cellsInput).query(({ ctx, input }) => {
    const unit = requireUnit(ctx.store, input.within, 'within');
    const weights = weightsSpec(input.resolution, input.weights);
    const permutations = input.permutations ?? 0;
    const seed = input.seed ?? 1;
    const fdr = input.fdr ?? false;
    const baseline = input.baseline ?? 'none';
    const result = refuseTooLarge(() =>
      computeHotspotCells(ctx.store, unit, filterOf(input), { units: input.resolution, weights, permutations, fdr, seed, baseline }),
    );
    const { area, counts, expected, hotspots } = result;
    const classCounts: Record<string, number> = { '-3': 0, '-2': 0, '-1': 0, '0': 0, '1': 0, '2': 0, '3': 0 };
    const features: Feature<Polygon | MultiPolygon, HotspotCellProperties>[] = [];
    for (let i = 0; i < counts.length; i++) {
      const cls = hotspots.classes[i]!;
      classCounts[String(cls)]! += 1;
      if (input.significantOnly && cls === 0) continue;
      const { id, name, geometry } = unitFeatureBase(area, i);
      const properties: HotspotCellProperties = { id, name, count: counts[i]!, z: round(hotspots.z[i]!), p: round(hotspots.p[i]!, 4), class: cls };
      if (hotspots.q) properties.q = round(hotspots.q[i]!, 4);
      if (expected) properties.expected = round(expected[i]!, 4);
      features.push({ type: 'Feature', id, properties, geometry });
    }
    return featureCollection(features, {
      within: unit.code,
      from: formatChinaDateTime(input.from),
      to: formatChinaDateTime(input.to),
      resolution: input.resolution,
      weights,
      permutations,
      fdr,
      seed,
      baseline,
      eventCount: result.eventCount,
      outsideEvents: area.outsideEvents,
      unitCount: counts.length,
      classCounts,
    });
  }),

  emerging: publicProcedure.input(emergingInput).query(({ ctx, input }) => {
    const unit = requireUnit(ctx.store, input.within, 'within');
    const units = input.resolution ?? 8;
    const weights = weightsSpec(units, input.weights);
    const result = refuseTooLarge(() =>
      computeEmergingHotspots(ctx.store, unit, filterOf(input), { units, weights, slice: input.slice, minSlices: MIN_EMERGING_SLICES, baseline: input.baseline ?? 'none' }),
    );
    const { area, emerging, counts, slices } = result;
    const sliceTotal = slices.startsMs.length - 1;
    const categoryCounts: Record<string, number> = Object.fromEntries(EMERGING_CATEGORIES.map((category) => [category, 0]));
    const features: Feature<Polygon | MultiPolygon, EmergingCellProperties>[] = [];
    for (let i = 0; i < counts.length; i++) {
      const category = EMERGING_CATEGORIES[emerging.category[i]!]!;
      categoryCounts[category]! += 1;
      if (category === 'none' && !input.includeNone) continue;
      const { id, name, geometry } = unitFeatureBase(area, i);
      features.push({
        type: 'Feature',
        id,
        properties: {
          id,
          name,
          count: counts[i]!,
          category,
          hotSlices: emerging.hotSlices[i]!,
          coldSlices: emerging.coldSlices[i]!,
          trendZ: round(emerging.trendZ[i]!),
          trendP: round(emerging.trendP[i]!, 4),
          lastZ: round(emerging.zBySlice[(sliceTotal - 1) * counts.length + i]!),
        },
        geometry,
      });
    }
    return featureCollection(features, {
      within: unit.code,
      resolution: units,
      weights,
      baseline: input.baseline ?? 'none',
      slice: input.slice,
      slices: Array.from({ length: sliceTotal }, (_, s) => ({ from: formatChinaDateTime(slices.startsMs[s]!), to: formatChinaDateTime(slices.startsMs[s + 1]!) })),
      unitCount: counts.length,
      categoryCounts,
    });
  }),

  boundaryRisk: publicProcedure.input(boundaryRiskInput).query(({ ctx, input }) => {
    const unit = requireUnit(ctx.store, input.within, 'within');
    const bufferMeters = input.bufferMeters ?? 500;
    const slice = input.slice ?? 'month';
    const run = refuseTooLarge(() =>
      computeBoundaryRisk(ctx.store, unit, filterOf(input), {
        bufferMeters,
        levels: input.levels ?? ['street', 'county', 'city'],
        slice,
        stretchMeters: 1000,
      }),
    );
    const { lines, risk, order, slices } = run;
    const sliceTotal = slices.startsMs.length - 1;
    const features = Array.from(order, (l, rank): Feature<LineString | MultiLineString, BoundaryRiskProperties> => {
      const line = lines[l]!;
      const ratio = risk.peakExpected[l]! > 0 ? risk.peakCount[l]! / risk.peakExpected[l]! : null;
      const trendP = risk.trendP[l]!;
      const trendZ = risk.trendZ[l]!;
      return {
        type: 'Feature',
        id: line.id,
        properties: {
          id: line.id,
          rank: rank + 1,
          risk: classifyBoundaryRisk(risk.lineQ[l]!),
          level: line.level,
          leftCode: line.leftCode,
          rightCode: line.rightCode,
          leftName: line.leftName,
          rightName: line.rightName,
          lengthMeters: Math.round(line.lengthMeters),
          agreementSigned: line.agreementSigned,
          jointMediation: line.jointMediation,
          lastJointPatrol: line.lastJointPatrol,
          count: risk.count[l]!,
          expected: round(risk.expected[l]!, 4),
          peak: {
            fromMeters: Math.round(risk.peakFromMeters[l]!),
            toMeters: Math.round(risk.peakToMeters[l]!),
            lngLat: [round6(run.peakLngLat[2 * l]!), round6(run.peakLngLat[2 * l + 1]!)],
            count: risk.peakCount[l]!,
            expected: round(risk.peakExpected[l]!, 4),
            ratio: ratio === null ? null : round(ratio, 4),
          },
          p: round(risk.lineP[l]!, 4),
          q: round(risk.lineQ[l]!, 4),
          countsBySlice: Array.from(risk.countsBySlice.subarray(l * sliceTotal, (l + 1) * sliceTotal)),
          trend: {
            z: round(trendZ, 4),
            p: round(trendP, 4),
            direction: trendP <= 0.05 ? (trendZ > 0 ? 'rising' : 'falling') : 'none',
          },
        },
        geometry: line.geometry,
      };
    });
    return featureCollection(features, {
      within: unit.code,
      from: formatChinaDateTime(input.from),
      to: formatChinaDateTime(input.to),
      bufferMeters,
      slice,
      slices: Array.from({ length: sliceTotal }, (_, s) => ({ from: formatChinaDateTime(slices.startsMs[s]!), to: formatChinaDateTime(slices.startsMs[s + 1]!) })),
      eventCount: run.eventCount,
    });
  }),
});
