// What a generated dispute is: type mix by urban/rural grid, source and severity by type, the handling
// level it is first dispatched to (by source and severity), fictional parties, and the per-grid rate
// factor (towns report more per resident than villages), all drawn from tables with stated shares.

import { DISPUTE_SOURCE_KEYS, DISPUTE_TYPE_KEYS, type DisputeSource, type DisputeType } from '../../server/domain/dispute-categories';
import { computeSeasonalFactor } from './disputes-rhythm';
import { DEMO_SURNAMES, MAX_PARTIES, type DisputeColumns } from './disputes-columns';
import type { Rng } from '../../server/analysis/random';

/** Default mean disputes per 1,000 residents per year: 42.59 M residents → about 447,000 background cases. */
export const DEFAULT_RATE_PER_THOUSAND = 10.5;

/** Relative rate per resident in town (社区) and village (村) grids, before normalising to the mean rate. */
export const URBAN_RATE_FACTOR = 1.15;
export const RURAL_RATE_FACTOR = 0.8;

const byType = (weights: Readonly<Record<DisputeType, number>>): number[] => DISPUTE_TYPE_KEYS.map((key) => weights[key]);

/** Type shares (%) in town grids. */
export const URBAN_TYPE_WEIGHTS: readonly number[] = byType({
  family: 14, neighbour: 20, property: 18, wages: 10, land: 3, boundary: 1, consumer: 10, traffic: 8, medical: 3, contract: 8, other: 5,
});
/** Type shares (%) in village grids: more land, boundary and family disputes, little property management. */
export const RURAL_TYPE_WEIGHTS: readonly number[] = byType({
  family: 18, neighbour: 20, property: 2, wages: 7, land: 18, boundary: 14, consumer: 3, traffic: 6, medical: 2, contract: 5, other: 5,
});

/** Source weights [patrol, hotline, 110, petition, walk-in] by type (patrol finds most; 110 sees traffic). */
const SOURCE_WEIGHTS: Readonly<Record<DisputeType, readonly number[]>> = {
  family: [45, 15, 20, 3, 17],
  neighbour: [55, 20, 10, 2, 13],
  property: [35, 45, 3, 5, 12],
  wages: [25, 40, 5, 15, 15],
  land: [45, 10, 2, 25, 18],
  boundary: [60, 5, 3, 12, 20],
  consumer: [15, 70, 5, 1, 9],
  traffic: [20, 10, 60, 1, 9],
  medical: [15, 40, 10, 15, 20],
  contract: [35, 30, 10, 5, 20],
  other: [50, 25, 8, 3, 14],
};
const SOURCE_WEIGHTS_BY_TYPE: readonly (readonly number[])[] = DISPUTE_TYPE_KEYS.map((key) => SOURCE_WEIGHTS[key]);

/** Severity weights [general, major, critical] by type. */
const SEVERITY_WEIGHTS: Readonly<Record<DisputeType, readonly number[]>> = {
  family: [85, 12, 3],
  neighbour: [92, 7, 1],
  property: [90, 9, 1],
  wages: [75, 20, 5],
  land: [70, 24, 6],
  boundary: [80, 17, 3],
  consumer: [95, 5, 0],
  traffic: [80, 15, 5],
  medical: [70, 22, 8],
  contract: [85, 13, 2],
  other: [90, 9, 1],
};
const SEVERITY_WEIGHTS_BY_TYPE: readonly (readonly number[])[] = DISPUTE_TYPE_KEYS.map((key) => SEVERITY_WEIGHTS[key]);

/** First handling level [grid, community, street, county, above] by source: petitions start higher up. */
const INITIAL_LEVEL_WEIGHTS: Readonly<Record<DisputeSource, readonly number[]>> = {
  patrol: [97, 3, 0, 0, 0],
  hotline: [82, 15, 3, 0, 0],
  police: [75, 21, 4, 0, 0],
  petition: [12, 38, 38, 11, 1],
  walkIn: [68, 27, 5, 0, 0],
};
const INITIAL_LEVEL_WEIGHTS_BY_SOURCE: readonly (readonly number[])[] = DISPUTE_SOURCE_KEYS.map((key) => INITIAL_LEVEL_WEIGHTS[key]);
/** Chance that a major / critical case is dispatched one level higher than its source suggests. */
const SEVERITY_LEVEL_BUMP = [0, 0.3, 0.6] as const;

/** Chance of a third party (第三人). */
const THIRD_PARTY_SHARE = 0.2;
/** Organisation kinds (DEMO_PARTY_KINDS_ZH index) a respondent may be, by type, with the chance of it. */
const RESPONDENT_ORGANISATION: Readonly<Partial<Record<DisputeType, readonly [kind: number, share: number]>>> = {
  property: [1, 0.8],
  wages: [2, 0.6],
  consumer: [3, 0.8],
  medical: [4, 0.9],
  contract: [5, 0.4],
  land: [6, 0.3],
  boundary: [6, 0.4],
};
const RESPONDENT_BY_TYPE = DISPUTE_TYPE_KEYS.map((key) => RESPONDENT_ORGANISATION[key] ?? null);

/**
 * Rate factor per grid (urban or rural factor, normalised so that the population-weighted mean is 1):
 * expected cases per year of grid g = ratePerThousand × population / 1000 × factor[g].
 */
export function computeGridRateFactors(grids: readonly { population: number; urban: boolean }[]): Float64Array {
  let population = 0;
  let weighted = 0;
  for (const grid of grids) {
    population += grid.population;
    weighted += grid.population * (grid.urban ? URBAN_RATE_FACTOR : RURAL_RATE_FACTOR);
  }
  const scale = weighted > 0 ? population / weighted : 1;
  const factors = new Float64Array(grids.length);
  grids.forEach((grid, g) => {
    factors[g] = (grid.urban ? URBAN_RATE_FACTOR : RURAL_RATE_FACTOR) * scale;
  });
  return factors;
}

/** A dispute type index for a town or village grid, from the type shares (no seasonality). */
export function drawTypeIndex(rng: Rng, urban: boolean): number {
  return rng.weightedIndex(urban ? URBAN_TYPE_WEIGHTS : RURAL_TYPE_WEIGHTS);
}

const seasonalWeights: number[] = new Array<number>(DISPUTE_TYPE_KEYS.length).fill(0);

/** A dispute type index for a case reported at `ms`: type shares × each type's seasonal factor then. */
export function drawTypeIndexAt(rng: Rng, urban: boolean, ms: number): number {
  const weights = urban ? URBAN_TYPE_WEIGHTS : RURAL_TYPE_WEIGHTS;
  for (let t = 0; t < weights.length; t++) seasonalWeights[t] = weights[t]! * computeSeasonalFactor(t, ms);
  return rng.weightedIndex(seasonalWeights);
}

/**
 * Fills source, severity, first handling level and parties of case i, whose typeIndex is set.
 * Draws a fixed sequence from `rng` for a given type, so callers can rely on its order.
 */
export function drawDisputeAttributes(rng: Rng, columns: DisputeColumns, i: number): void {
  const typeIndex = columns.typeIndex[i]!;
  const sourceIndex = rng.weightedIndex(SOURCE_WEIGHTS_BY_TYPE[typeIndex]!);
  const severityIndex = rng.weightedIndex(SEVERITY_WEIGHTS_BY_TYPE[typeIndex]!);
  let level = rng.weightedIndex(INITIAL_LEVEL_WEIGHTS_BY_SOURCE[sourceIndex]!);
  if (rng.next() < SEVERITY_LEVEL_BUMP[severityIndex as 0 | 1 | 2] && level < 3) level += 1;
  columns.sourceIndex[i] = sourceIndex;
  columns.severityIndex[i] = severityIndex;
  columns.handlingLevelIndex[i] = level;

  const partyCount = rng.next() < THIRD_PARTY_SHARE ? 3 : 2;
  columns.partyCount[i] = partyCount;
  const respondent = RESPONDENT_BY_TYPE[typeIndex]!;
  for (let k = 0; k < MAX_PARTIES; k++) {
    const slot = i * MAX_PARTIES + k;
    // Draw every slot (used or not) so the stream advances the same way for every case.
    columns.partySurnameIndex[slot] = Math.floor(rng.next() * DEMO_SURNAMES.length);
    columns.partyPhoneSuffix[slot] = Math.floor(rng.next() * 10_000);
    const organisation = rng.next();
    columns.partyKindIndex[slot] = k === 1 && respondent !== null && organisation < respondent[1] ? respondent[0] : 0;
    if (k >= partyCount) {
      columns.partySurnameIndex[slot] = 0;
      columns.partyPhoneSuffix[slot] = 0;
      columns.partyKindIndex[slot] = 0;
    }
  }
}
