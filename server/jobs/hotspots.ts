// The hotspot answers (hotspots.*) as GeoJSON: Gi* classes per cell, emerging hot-spot categories and
// boundary lines ranked by dispute risk, with the parameters they were computed with.

import type { Feature, FeatureCollection, LineString, MultiLineString, MultiPolygon, Polygon } from 'geojson';
import type { BoundaryLevel } from '../domain/admin-codes';
import { boundaryRecordsById, withBoundaryRecords, type BoundaryLineRecords } from '../domain/boundary-records';
import { formatChinaDateTime } from '../domain/china-time';
import type { DisputeSource, DisputeType } from '../domain/dispute-categories';
import { classifyBoundaryRisk, type BoundaryRiskLevel } from '../analysis/hotspots/boundary-risk';
import { EMERGING_CATEGORIES } from '../analysis/hotspots/emerging-hotspots';
import { h3CellRing, h3KeyToIndex } from '../analysis/hotspots/h3-cells';
import { requireUnit, tooLarge } from '../request-error';
import type { AtlasStore } from '../store/atlas-store';
import {
  computeBoundaryRisk,
  computeEmergingHotspots,
  computeHotspotCells,
  type DisputeFilter,
  type HotspotBaseline,
  type HotspotUnits,
  type HotspotWeightsSpec,
  type StudyArea,
} from './hotspot-analyses';
import type { JobEnv } from './job-env';

/** Emerging hot spots need at least this many time slices (a Mann-Kendall trend on fewer says little). */
export const MIN_EMERGING_SLICES = 10;

export interface HotspotWeightsInput {
  kind?: 'kRing' | 'queen' | 'rook';
  k?: number;
  rowStandardized?: boolean;
}

export interface HotspotPeriodInput {
  within: string;
  /** ms since epoch; [from, to). */
  from: number;
  to: number;
  types?: DisputeType[];
  sources?: DisputeSource[];
}

export interface HotspotCellsInput extends HotspotPeriodInput {
  resolution: HotspotUnits;
  weights?: HotspotWeightsInput;
  permutations?: number;
  fdr?: boolean;
  seed?: number;
  significantOnly?: boolean;
  baseline?: HotspotBaseline;
}

export interface EmergingHotspotsInput extends HotspotPeriodInput {
  slice: 'week' | 'month';
  resolution?: HotspotUnits;
  weights?: HotspotWeightsInput;
  includeNone?: boolean;
  baseline?: HotspotBaseline;
}

export interface BoundaryRiskInput extends HotspotPeriodInput {
  bufferMeters?: number;
  levels?: BoundaryLevel[];
  slice?: 'week' | 'month';
  /** Patrols and agreements recorded by officers (boundaries.*): the lines' effective status. */
  records?: BoundaryLineRecords[];
}

/** The weights an answer uses: kRing on H3 cells, queen contiguity on polygons, binary unless asked. */
export function weightsSpec(resolution: HotspotUnits, weights: HotspotWeightsInput | undefined): HotspotWeightsSpec {
  const h3 = typeof resolution === 'number';
  return { kind: weights?.kind ?? (h3 ? 'kRing' : 'queen'), k: weights?.k ?? 1, rowStandardized: weights?.rowStandardized ?? false };
}

/** A number for JSON: NaN and infinities become null, others rounded to `digits` significant digits. */
function round(value: number, digits = 6): number | null {
  return Number.isFinite(value) ? Number(value.toPrecision(digits)) : null;
}

const round6 = (value: number): number => Math.round(value * 1e6) / 1e6;

function filterOf(input: HotspotPeriodInput): DisputeFilter {
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

interface SliceRange {
  from: string;
  to: string;
}

export type HotspotCellsAnswer = FeatureCollection<Polygon | MultiPolygon, HotspotCellProperties> & {
  within: string;
  from: string;
  to: string;
  resolution: HotspotUnits;
  weights: HotspotWeightsSpec;
  permutations: number;
  fdr: boolean;
  seed: number;
  baseline: HotspotBaseline;
  eventCount: number;
  outsideEvents: number;
  unitCount: number;
  /** Cells per class, '-3' … '3' (all cells, also those left out by significantOnly). */
  classCounts: Record<string, number>;
};

export type EmergingHotspotsAnswer = FeatureCollection<Polygon | MultiPolygon, EmergingCellProperties> & {
  within: string;
  resolution: HotspotUnits;
  weights: HotspotWeightsSpec;
  baseline: HotspotBaseline;
  slice: 'week' | 'month';
  slices: SliceRange[];
  unitCount: number;
  categoryCounts: Record<string, number>;
};

export type BoundaryRiskAnswer = FeatureCollection<LineString | MultiLineString, BoundaryRiskProperties> & {
  within: string;
  from: string;
  to: string;
  bufferMeters: number;
  slice: 'week' | 'month';
  slices: SliceRange[];
  eventCount: number;
};

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
  /** 'YYYY-MM-DD' of the recorded signing of the agreement, or null (none recorded). */
  agreementSignedOn: string | null;
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

/** Gi* hot spots of disputes per cell over a period. */
export function hotspotCells(env: JobEnv, input: HotspotCellsInput): HotspotCellsAnswer {
  const unit = requireUnit(env.store, input.within, 'within');
  const weights = weightsSpec(input.resolution, input.weights);
  const permutations = input.permutations ?? 0;
  const seed = input.seed ?? 1;
  const fdr = input.fdr ?? false;
  const baseline = input.baseline ?? 'none';
  const result = computeHotspotCells(env, unit, filterOf(input), { units: input.resolution, weights, permutations, fdr, seed, baseline });
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
  return {
    type: 'FeatureCollection',
    features,
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
  };
}

/** Emerging hot spots over a period of ≥ 10 weekly or monthly slices. */
export function emergingHotspots(env: JobEnv, input: EmergingHotspotsInput): EmergingHotspotsAnswer {
  const unit = requireUnit(env.store, input.within, 'within');
  const units = input.resolution ?? 8;
  const weights = weightsSpec(units, input.weights);
  const result = computeEmergingHotspots(env, unit, filterOf(input), { units, weights, slice: input.slice, minSlices: MIN_EMERGING_SLICES, baseline: input.baseline ?? 'none' });
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
  return {
    type: 'FeatureCollection',
    features,
    within: unit.code,
    resolution: units,
    weights,
    baseline: input.baseline ?? 'none',
    slice: input.slice,
    slices: Array.from({ length: sliceTotal }, (_, s) => ({ from: formatChinaDateTime(slices.startsMs[s]!), to: formatChinaDateTime(slices.startsMs[s + 1]!) })),
    unitCount: counts.length,
    categoryCounts,
  };
}

/** Line levels boundary risk looks at unless asked (the province's outer edge only when listed). */
export const DEFAULT_RISK_LEVELS: readonly BoundaryLevel[] = ['street', 'county', 'city'];

/**
 * Seconds of work a boundary-risk request is estimated at, from the lines' total length and the buffer:
 * each point within three buffer widths of a line is measured against its segments, so the work grows
 * with length × buffer² (fitted on the province: 2 s + 1.2e-4 s per km × km²).
 */
export function estimateBoundaryRiskSeconds(lineKm: number, bufferMeters: number): number {
  return 2 + 1.2e-4 * lineKm * (bufferMeters / 1000) ** 2;
}

/** Most seconds of work one boundary-risk request may be estimated at. */
export const BOUNDARY_RISK_SECONDS = 25;

/**
 * Refuses, before any work, a boundary-risk request estimated beyond its budget, naming the buffer
 * that would fit (the store sums the lines' lengths without reading their geometry).
 */
export function admitBoundaryRisk(store: AtlasStore, input: BoundaryRiskInput): void {
  const unit = requireUnit(store, input.within, 'within');
  const bufferMeters = input.bufferMeters ?? 500;
  const levels = input.levels ?? DEFAULT_RISK_LEVELS;
  const { count, lengthMeters } = store.boundaryLineTotals({ withinCode: unit.code, levels });
  const lineKm = lengthMeters / 1000;
  const seconds = estimateBoundaryRiskSeconds(lineKm, bufferMeters);
  if (seconds <= BOUNDARY_RISK_SECONDS) return;
  const fitting = Math.floor(Math.sqrt((BOUNDARY_RISK_SECONDS - 2) / (1.2e-4 * lineKm)) * 1000 / 50) * 50;
  throw tooLarge(
    `a ${bufferMeters.toLocaleString('en-US')} m buffer around ${count.toLocaleString('en-US')} boundary lines of ${unit.name} ` +
      `(${Math.round(lineKm).toLocaleString('en-US')} km) is estimated at ${Math.round(seconds)} s of work (at most ${BOUNDARY_RISK_SECONDS} s per request); ` +
      `use bufferMeters ≤ ${Math.max(50, fitting).toLocaleString('en-US')}, fewer levels or a smaller within`,
  );
}

/** Boundary lines of a unit ranked by dispute risk. */
export function boundaryRisk(env: JobEnv, input: BoundaryRiskInput): BoundaryRiskAnswer {
  const unit = requireUnit(env.store, input.within, 'within');
  const bufferMeters = input.bufferMeters ?? 500;
  const slice = input.slice ?? 'month';
  const run = computeBoundaryRisk(env, unit, filterOf(input), {
      bufferMeters,
      levels: input.levels ?? DEFAULT_RISK_LEVELS,
      slice,
      stretchMeters: 1000,
    });
  const { lines, risk, order, slices } = run;
  const sliceTotal = slices.startsMs.length - 1;
  const records = boundaryRecordsById(input.records);
  const features = Array.from(order, (l, rank): Feature<LineString | MultiLineString, BoundaryRiskProperties> => {
    const line = withBoundaryRecords(lines[l]!, records);
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
        agreementSignedOn: line.agreementSignedOn,
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
  return {
    type: 'FeatureCollection',
    features,
    within: unit.code,
    from: formatChinaDateTime(input.from),
    to: formatChinaDateTime(input.to),
    bufferMeters,
    slice,
    slices: Array.from({ length: sliceTotal }, (_, s) => ({ from: formatChinaDateTime(slices.startsMs[s]!), to: formatChinaDateTime(slices.startsMs[s + 1]!) })),
    eventCount: run.eventCount,
  };
}
