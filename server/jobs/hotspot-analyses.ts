// Study areas of the hotspot answers from the prepared data and the store: disputes binned to H3 cells
// (each case's resolution-9 cell prepared once, coarser cells by bit arithmetic), the unit's cells
// (empty ones included) with k-ring neighbours, grid and community polygons with contiguity weights,
// and the residents behind expected counts (prepared demand points; grid residents on a lattice around
// boundary lines); then Gi*, emerging hot spots and boundary-line risk. Deterministic for an input.

import { area as turfArea, centroid as turfCentroid } from '@turf/turf';
import { cellArea, gridDisk, latLngToCell } from 'h3-js';
import type { LineString, MultiLineString, MultiPolygon } from 'geojson';
import { createRng } from '../analysis/random';
import type { BoundaryLevel } from '../domain/admin-codes';
import { FULL_DETAIL_BAND } from '../domain/zoom-bands';
import { createLocalProjection } from '../analysis/geo/local-projection';
import { buildContiguityWeights, type ContiguityKind } from '../analysis/hotspots/contiguity-weights';
import { detectHotspots, prepareGetisOrdWeights, type HotspotResult } from '../analysis/hotspots/detect-hotspots';
import { detectEmergingHotspots, type EmergingHotspotResult } from '../analysis/hotspots/emerging-hotspots';
import { binPointsToH3, createH3CellSet, h3IndexToKey, h3KeyToIndex, parentKeys, polyfillH3, type H3CellSet } from '../analysis/hotspots/h3-cells';
import { buildSpaceTimeCube, buildTimeSlices, sliceCount, type SliceUnit, type TimeSlices } from '../analysis/hotspots/space-time-cube';
import { rasterizePolygonWeights } from '../analysis/hotspots/exposure-raster';
import {
  measureBoundaryRisk,
  measureStretchExposure,
  pointAlongLine,
  rankBoundaryRisk,
  weighStretchExposure,
  type BoundaryRiskLine,
  type BoundaryRiskResult,
} from '../analysis/hotspots/boundary-risk';
import { weightsFromPairs, type SpatialWeights } from '../analysis/hotspots/spatial-weights';
import { PREPARED_H3_RESOLUTION } from '../prepared/prepared-data';
import { RequestError, tooLarge } from '../request-error';
import type { AdminUnitRecord, BoundaryLineShape, DisputePointArrays } from '../store/atlas-store';
import { preparedOf, type JobEnv } from './job-env';
import { estimateBytes } from './thread-cache';

/** H3 resolutions 7–9, or the store's polygons: grids (网格) or communities (社区/村). */
export type HotspotUnits = 7 | 8 | 9 | 'grid' | 'community';

export interface HotspotWeightsSpec {
  /** kRing for H3 cells; queen or rook contiguity for polygons. */
  kind: 'kRing' | ContiguityKind;
  /** Ring size for kRing (1 = the six adjacent cells). */
  k: number;
  rowStandardized: boolean;
}

export interface DisputeFilter {
  withinCode: string;
  fromMs: number;
  toMs: number;
  types?: readonly string[];
  sources?: readonly string[];
}

/** Most study-area units one request analyses (H3 cells or polygons). */
export const MAX_STUDY_UNITS = 60_000;
/** Most permutations × units one request runs (about 2 s on one core when each sum is permuted directly; far less for the even weights used here). */
export const MAX_PERMUTATION_WORK = 120_000_000;
/** Most slices × units of a space-time cube. */
export const MAX_CUBE_VALUES = 3_000_000;

/** One unit of a study area: an H3 cell (index) or a polygon (code, name, geometry). */
export interface StudyArea {
  kind: 'h3' | 'polygon';
  /** Resolution of H3 cells (0 for polygons). */
  resolution: number;
  /** H3 cells: keys (see h3-cells.ts). */
  cells: H3CellSet | null;
  /** Polygons: codes, names and geometry, in code order. */
  codes: string[];
  names: string[];
  geometries: MultiPolygon[];
  /** Base weights (binary, no self weights). */
  weights: SpatialWeights;
  /** Events that fell outside every unit (0 for H3: their cells are added to the area). */
  outsideEvents: number;
}

interface PolyfillEntry {
  keys: Float64Array;
  /** k-ring neighbour pairs between the polyfilled cells, as keys. */
  pairFrom: Float64Array;
  pairTo: Float64Array;
}

/** The finest binning resolution; coarser cells are parents of it. */
const BASE_RESOLUTION = PREPARED_H3_RESOLUTION;

/** Resolution-9 cell keys of disputes reported after the prepared data was built, by id (this thread's). */
const laterDisputeCells = new Map<number, number>();

/**
 * Cell keys at `resolution` of the given disputes: each case's resolution-9 cell comes from the prepared
 * data (computed here, once per thread, for cases reported since), the coarser cells by bit arithmetic.
 */
export function binDisputesToH3(env: JobEnv, points: DisputePointArrays, resolution: number): Float64Array {
  const prepared = preparedOf(env).data.disputeCellById;
  const base = new Float64Array(points.id.length);
  const missing: number[] = [];
  for (let i = 0; i < points.id.length; i++) {
    const id = points.id[i]!;
    const key = id < prepared.length ? prepared[id]! : (laterDisputeCells.get(id) ?? Number.NaN);
    if (Number.isNaN(key)) missing.push(i);
    base[i] = key;
  }
  if (missing.length > 0) {
    const lngLat = new Float64Array(missing.length * 2);
    missing.forEach((i, m) => {
      lngLat[2 * m] = points.lngLat[2 * i]!;
      lngLat[2 * m + 1] = points.lngLat[2 * i + 1]!;
    });
    const keys = binPointsToH3(lngLat, BASE_RESOLUTION);
    missing.forEach((i, m) => {
      base[i] = keys[m]!;
      if (points.id[i]! >= prepared.length) laterDisputeCells.set(points.id[i]!, keys[m]!);
    });
  }
  return resolution === BASE_RESOLUTION ? base : parentKeys(base, BASE_RESOLUTION, resolution);
}

/** The unit's own full-detail geometry (the store lists units inside a parent). */
export function unitGeometry(env: JobEnv, unit: AdminUnitRecord): MultiPolygon | null {
  const shapes = env.store.adminUnits({ level: unit.level, withinCode: unit.parentCode ?? undefined, band: FULL_DETAIL_BAND });
  return shapes.find((shape) => shape.code === unit.code)?.geometry ?? null;
}

function polyfillFor(env: JobEnv, unit: AdminUnitRecord, resolution: number, k: number): PolyfillEntry {
  const key = `${env.store.health().dataVersion}|polyfill|${unit.code}/${resolution}/${k}`;
  const cached = env.cache.get<PolyfillEntry>(key);
  if (cached) return cached;
  const geometry = unitGeometry(env, unit);
  if (!geometry) throw new Error(`no geometry for unit ${unit.code}`);
  // Cell areas vary by place (at 42° N about two thirds of the world average): use the cell at the unit's centre.
  const [centreLng, centreLat] = turfCentroid(geometry).geometry.coordinates;
  const estimate = turfArea(geometry) / cellArea(latLngToCell(centreLat!, centreLng!, resolution), 'm2');
  if (estimate > MAX_STUDY_UNITS) {
    throw tooLarge(
      `${unit.name} (${unit.code}) holds about ${Math.round(estimate).toLocaleString('en-US')} H3 cells at resolution ${resolution} ` +
        `(at most ${MAX_STUDY_UNITS.toLocaleString('en-US')} per request); use a coarser resolution or a smaller within`,
    );
  }
  const keys = Float64Array.from(polyfillH3([geometry], resolution)).sort();
  const pairs = kRingPairs(keys, resolution, k, new Set(keys));
  const entry = { keys, pairFrom: pairs.from, pairTo: pairs.to };
  env.cache.set(key, entry, keys.byteLength + pairs.from.byteLength + pairs.to.byteLength);
  return entry;
}

/** Neighbour pairs (both directions) from each of `keys` to the cells within k steps that are in `members`. */
function kRingPairs(keys: ArrayLike<number>, resolution: number, k: number, members: Set<number>): { from: Float64Array; to: Float64Array } {
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < keys.length; i++) {
    for (const neighbor of gridDisk(h3KeyToIndex(keys[i]!, resolution), k)) {
      const j = h3IndexToKey(neighbor);
      if (j !== keys[i] && members.has(j)) {
        from.push(keys[i]!);
        to.push(j);
      }
    }
  }
  return { from: Float64Array.from(from), to: Float64Array.from(to) };
}

/**
 * The H3 study area of a unit: the cells whose centres lie in it (empty ones included) plus any other
 * cell that holds one of the events, with binary k-ring weights among them.
 */
export function buildH3StudyArea(env: JobEnv, unit: AdminUnitRecord, resolution: number, k: number, eventKeys: Float64Array): StudyArea {
  const polyfill = polyfillFor(env, unit, resolution, k);
  const inside = new Set(polyfill.keys);
  const extra = new Set<number>();
  for (let i = 0; i < eventKeys.length; i++) if (!inside.has(eventKeys[i]!)) extra.add(eventKeys[i]!);
  const cells = createH3CellSet(resolution, extra.size === 0 ? polyfill.keys : [...polyfill.keys, ...extra]);
  if (cells.keys.length > MAX_STUDY_UNITS) {
    throw tooLarge(`${cells.keys.length.toLocaleString('en-US')} H3 cells; use a coarser resolution or a smaller within`);
  }
  const from: number[] = [];
  const to: number[] = [];
  for (let e = 0; e < polyfill.pairFrom.length; e++) {
    from.push(cells.indexByKey.get(polyfill.pairFrom[e]!)!);
    to.push(cells.indexByKey.get(polyfill.pairTo[e]!)!);
  }
  if (extra.size > 0) {
    // The added cells' neighbours, in both directions (k-ring adjacency is symmetric).
    const members = new Set(cells.keys);
    const pairs = kRingPairs([...extra], resolution, k, members);
    for (let e = 0; e < pairs.from.length; e++) {
      const a = cells.indexByKey.get(pairs.from[e]!)!;
      const b = cells.indexByKey.get(pairs.to[e]!)!;
      from.push(a, b);
      to.push(b, a);
    }
  }
  return {
    kind: 'h3',
    resolution,
    cells,
    codes: [],
    names: [],
    geometries: [],
    weights: weightsFromPairs(cells.keys.length, from, to),
    outsideEvents: 0,
  };
}

interface PolygonUnits {
  codes: string[];
  names: string[];
  geometries: MultiPolygon[];
  weights: Map<ContiguityKind, SpatialWeights>;
}

/** Grid or community polygons inside a unit, with contiguity weights (cached). */
export function buildPolygonStudyArea(env: JobEnv, unit: AdminUnitRecord, units: 'grid' | 'community', contiguity: ContiguityKind): StudyArea {
  const { store } = env;
  const entry = env.cache.memo(
    `${store.health().dataVersion}|polygons|${unit.code}/${units}`,
    (): PolygonUnits => {
      if (units === 'grid') {
        const count = store.countGrids({ withinCode: unit.code });
        if (count > MAX_STUDY_UNITS) throw tooLarge(`${count} grids in ${unit.code}; ask within a city or county`);
        const grids = store.grids({ withinCode: unit.code });
        return { codes: grids.map((grid) => grid.code), names: grids.map((grid) => grid.name), geometries: grids.map((grid) => grid.geometry), weights: new Map() };
      }
      if (unit.level === 'community') throw new RequestError('BAD_REQUEST', `resolution: within ${unit.code} is a community: ask for grids inside it instead`);
      const count = store.countAdminUnits({ level: 'community', withinCode: unit.code });
      if (count > MAX_STUDY_UNITS) throw tooLarge(`${count} communities in ${unit.code}`);
      const shapes = store.adminUnits({ level: 'community', withinCode: unit.code, band: FULL_DETAIL_BAND });
      return { codes: shapes.map((shape) => shape.code), names: shapes.map((shape) => shape.name), geometries: shapes.map((shape) => shape.geometry), weights: new Map() };
    },
    // Weights added later are small against the polygons.
    (value) => 2 * estimateBytes(value.geometries) + estimateBytes(value.codes) + estimateBytes(value.names),
  );
  let weights = entry.weights.get(contiguity);
  if (!weights) {
    weights = buildContiguityWeights(
      entry.geometries.map((geometry) => geometry.coordinates),
      contiguity,
    );
    entry.weights.set(contiguity, weights);
  }
  return { kind: 'polygon', resolution: 0, cells: null, codes: entry.codes, names: entry.names, geometries: entry.geometries, weights, outsideEvents: 0 };
}

/** Each event's unit index in the study area (−1 outside), counting the outside ones into area.outsideEvents. */
function assignEvents(area: StudyArea, units: HotspotUnits, points: DisputePointArrays, eventKeys: Float64Array | null): Int32Array {
  const unitByEvent = new Int32Array(points.id.length);
  let outside = 0;
  if (area.kind === 'h3') {
    for (let i = 0; i < unitByEvent.length; i++) unitByEvent[i] = area.cells!.indexByKey.get(eventKeys![i]!) ?? -1;
  } else {
    const indexByCode = new Map(area.codes.map((code, i) => [code, i]));
    const length = units === 'grid' ? 15 : 12;
    const unitOfGrid = points.gridCodes.map((code) => indexByCode.get(code.slice(0, length)) ?? -1);
    for (let i = 0; i < unitByEvent.length; i++) unitByEvent[i] = unitOfGrid[points.gridIndex[i]!]!;
  }
  for (let i = 0; i < unitByEvent.length; i++) if (unitByEvent[i]! < 0) outside++;
  area.outsideEvents = outside;
  return unitByEvent;
}

/** The study area and every event's unit in it, for a filter and a choice of units and weights. */
export function prepareStudyArea(
  env: JobEnv,
  unit: AdminUnitRecord,
  filter: DisputeFilter,
  units: HotspotUnits,
  weights: HotspotWeightsSpec,
): { area: StudyArea; points: DisputePointArrays; unitByEvent: Int32Array } {
  const points = env.store.disputePoints({
    withinCode: filter.withinCode,
    fromMs: filter.fromMs,
    toMs: filter.toMs,
    types: filter.types,
    sources: filter.sources,
  });
  if (typeof units === 'number') {
    const eventKeys = binDisputesToH3(env, points, units);
    const area = buildH3StudyArea(env, unit, units, weights.k, eventKeys);
    return { area, points, unitByEvent: assignEvents(area, units, points, eventKeys) };
  }
  const area = buildPolygonStudyArea(env, unit, units, weights.kind === 'rook' ? 'rook' : 'queen');
  return { area, points, unitByEvent: assignEvents(area, units, points, null) };
}

export interface HotspotCellsOptions {
  units: HotspotUnits;
  weights: HotspotWeightsSpec;
  /** 0: analytic p-values only. */
  permutations: number;
  fdr: boolean;
  /** Seed of the permutations' random stream. */
  seed: number;
  /**
   * 'none': Gi* of the counts, where disputes concentrate. 'residents': Gi* of the counts less those
   * expected from the unit's residents (town and village dispute rates per resident of this request),
   * where disputes are more frequent than the people living there explain.
   */
  baseline: HotspotBaseline;
}

export type HotspotBaseline = 'none' | 'residents';

export interface HotspotCellsResult {
  area: StudyArea;
  /** Events per unit. */
  counts: Float64Array;
  /** Events expected from the residents per unit (baseline 'residents'), else null. */
  expected: Float64Array | null;
  hotspots: HotspotResult;
  eventCount: number;
}

/** Gi* hot spots of dispute counts per unit over the filter's period. */
export function computeHotspotCells(env: JobEnv, unit: AdminUnitRecord, filter: DisputeFilter, options: HotspotCellsOptions): HotspotCellsResult {
  const refuseWork = (n: number): void => {
    if (options.permutations * n > MAX_PERMUTATION_WORK) {
      throw tooLarge(
        `${options.permutations} permutations × ${n.toLocaleString('en-US')} units; at most ${MAX_PERMUTATION_WORK.toLocaleString('en-US')} per request (fewer permutations or a coarser resolution)`,
      );
    }
  };
  // The unit's cells are known before any dispute is read: refuse oversized work first.
  if (typeof options.units === 'number') refuseWork(polyfillFor(env, unit, options.units, options.weights.k).keys.length);
  const { area, points, unitByEvent } = prepareStudyArea(env, unit, filter, options.units, options.weights);
  const n = area.weights.n;
  refuseWork(n);
  const counts = new Float64Array(n);
  for (let i = 0; i < unitByEvent.length; i++) if (unitByEvent[i]! >= 0) counts[unitByEvent[i]!]! += 1;
  const expected = options.baseline === 'residents' ? expectedFromResidents(env, unit, area, points) : null;
  const values = expected ? counts.map((count, i) => count - expected[i]!) : counts;
  const weights = prepareGetisOrdWeights(area.weights, { star: true, rowStandardized: options.weights.rowStandardized });
  const rng = createRng(options.seed);
  const hotspots = detectHotspots(values, weights, {
    star: true,
    permutations: options.permutations,
    random: () => rng.next(),
    fdr: options.fdr,
  });
  return { area, counts, expected, hotspots, eventCount: points.id.length };
}

/** Residents of a unit: its demand points (population, res-9 cells, town or village), from the prepared data. */
interface UnitResidents {
  population: Float64Array;
  cellKeys: Float64Array;
  /** Per demand point: 1 town grid, 0 village grid. */
  town: Uint8Array;
  /** Grid code of each point (for polygon study areas). */
  gridCode: string[];
}

function residentsOf(env: JobEnv, unit: AdminUnitRecord): UnitResidents {
  const prepared = preparedOf(env);
  return env.cache.memo(
    `${prepared.data.dataVersion}|residents|${unit.code}`,
    () => {
      const { demand } = prepared;
      const inside = demand.gridCodes.map((code) => code.startsWith(unit.code));
      const points: number[] = [];
      for (let d = 0; d < demand.count; d++) if (inside[demand.gridIndex[d]!]) points.push(d);
      return {
        population: Float64Array.from(points, (d) => demand.population[d]!),
        cellKeys: Float64Array.from(points, (d) => demand.cellKeys[d]!),
        town: Uint8Array.from(points, (d) => demand.gridUrban[demand.gridIndex[d]!]!),
        gridCode: points.map((d) => demand.gridCodes[demand.gridIndex[d]!]!),
      };
    },
    (residents) => 17 * residents.population.length + 8 * residents.gridCode.length,
  );
}

/**
 * Disputes expected per study-area unit from the residents living there: residents of town and village
 * grids times the request's disputes per resident of each kind (so the expectations add up to the
 * events of the unit's grids).
 */
function expectedFromResidents(env: JobEnv, unit: AdminUnitRecord, area: StudyArea, points: DisputePointArrays): Float64Array {
  const residents = residentsOf(env, unit);
  const urbanByGridCode = urbanGridsOf(env, unit);
  const n = area.weights.n;
  // Residents per study unit, village and town: [village0, town0, village1, …].
  const byUnit = new Float64Array(2 * n);
  if (area.kind === 'h3') {
    const keys = area.resolution === BASE_RESOLUTION ? residents.cellKeys : parentKeys(residents.cellKeys, BASE_RESOLUTION, area.resolution);
    for (let d = 0; d < keys.length; d++) {
      const i = area.cells!.indexByKey.get(keys[d]!);
      if (i !== undefined) byUnit[2 * i + residents.town[d]!]! += residents.population[d]!;
    }
  } else {
    const indexByCode = new Map(area.codes.map((code, i) => [code, i]));
    const length = area.codes[0]?.length ?? 0;
    for (let d = 0; d < residents.population.length; d++) {
      const i = indexByCode.get(residents.gridCode[d]!.slice(0, length)) ?? -1;
      if (i >= 0) byUnit[2 * i + residents.town[d]!]! += residents.population[d]!;
    }
  }
  const people = [0, 0];
  for (let i = 0; i < n; i++) {
    people[0]! += byUnit[2 * i]!;
    people[1]! += byUnit[2 * i + 1]!;
  }
  const events = [0, 0];
  const kindOfGrid = points.gridCodes.map((code) => urbanByGridCode.get(code));
  for (let e = 0; e < points.id.length; e++) {
    const urban = kindOfGrid[points.gridIndex[e]!];
    if (urban !== undefined) events[urban ? 1 : 0]! += 1;
  }
  const rate = people.map((p, k) => (p > 0 ? events[k]! / p : 0));
  const expected = new Float64Array(n);
  for (let i = 0; i < n; i++) expected[i] = rate[0]! * byUnit[2 * i]! + rate[1]! * byUnit[2 * i + 1]!;
  return expected;
}

/** Town (true) or village (false) of every grid inside a unit, by grid code. */
function urbanGridsOf(env: JobEnv, unit: AdminUnitRecord): Map<string, boolean> {
  const { demand, data } = preparedOf(env);
  return env.cache.memo(
    `${data.dataVersion}|urban-grids|${unit.code}`,
    () => {
      const urban = new Map<string, boolean>();
      demand.gridCodes.forEach((code, g) => {
        if (code.startsWith(unit.code)) urban.set(code, demand.gridUrban[g] === 1);
      });
      return urban;
    },
    estimateBytes,
  );
}

export interface EmergingHotspotsResult {
  area: StudyArea;
  slices: TimeSlices;
  /** Events per unit over all slices. */
  counts: Float64Array;
  emerging: EmergingHotspotResult;
}

/** Emerging hot spots: a space-time cube of the filter's period in weekly or monthly slices (≥ 10). */
export function computeEmergingHotspots(
  env: JobEnv,
  unit: AdminUnitRecord,
  filter: DisputeFilter,
  options: { units: HotspotUnits; weights: HotspotWeightsSpec; slice: SliceUnit; minSlices: number; baseline?: HotspotBaseline },
): EmergingHotspotsResult {
  const slices = buildTimeSlices(filter.fromMs, filter.toMs, options.slice);
  const sliceTotal = sliceCount(slices);
  if (sliceTotal < options.minSlices) {
    throw new RequestError('BAD_REQUEST', `from: the period holds ${sliceTotal} whole ${options.slice}s; emerging hot spots need at least ${options.minSlices}`);
  }
  const { area, points, unitByEvent } = prepareStudyArea(env, unit, { ...filter, fromMs: slices.startsMs[0]!, toMs: slices.startsMs[sliceTotal]! }, options.units, options.weights);
  const n = area.weights.n;
  if (n * sliceTotal > MAX_CUBE_VALUES) {
    throw tooLarge(`${n.toLocaleString('en-US')} units × ${sliceTotal} slices; use a coarser resolution, monthly slices or a smaller within`);
  }
  const cube = buildSpaceTimeCube(slices, n, unitByEvent, points.reportedAtMs);
  const counts = new Float64Array(n);
  for (let s = 0; s < sliceTotal; s++) for (let c = 0; c < n; c++) counts[c]! += cube[s * n + c]!;
  if (options.baseline === 'residents') {
    // Each slice's disputes expected where the residents are: the slice total shared out as the residents.
    const expected = expectedFromResidents(env, unit, area, points);
    const total = expected.reduce((a, b) => a + b, 0);
    for (let s = 0; s < sliceTotal; s++) {
      let sliceEvents = 0;
      for (let c = 0; c < n; c++) sliceEvents += cube[s * n + c]!;
      if (total > 0) for (let c = 0; c < n; c++) cube[s * n + c]! -= (sliceEvents * expected[c]!) / total;
    }
  }
  const weights = prepareGetisOrdWeights(area.weights, { star: true, rowStandardized: options.weights.rowStandardized });
  const emerging = detectEmergingHotspots(cube, n, sliceTotal, weights);
  return { area, slices, counts, emerging };
}

export interface BoundaryRiskRun {
  lines: BoundaryLineShape[];
  /** Middle of each line's peak stretch, [lng0, lat0, …] WGS84. */
  peakLngLat: Float64Array;
  slices: TimeSlices;
  risk: BoundaryRiskResult;
  /** Line indices, most at risk first. */
  order: Uint32Array;
  eventCount: number;
}

/**
 * Boundary-line risk for the lines with a side in the unit (street, county and city lines; the
 * province's outer edge only when asked for). Events come from the unit and from the units on the far
 * side of its lines, so lines on the unit's edge are measured on both sides.
 */
export function computeBoundaryRisk(
  env: JobEnv,
  unit: AdminUnitRecord,
  filter: DisputeFilter,
  options: { bufferMeters: number; levels: readonly BoundaryLevel[]; slice: SliceUnit; stretchMeters: number },
): BoundaryRiskRun {
  const lines = env.store
    .boundaryLines({ withinCode: unit.code, band: FULL_DETAIL_BAND })
    .filter((line) => options.levels.includes(line.level));
  const slices = buildTimeSlices(filter.fromMs, filter.toMs, options.slice);
  const sideCodes = new Set<string>();
  for (const line of lines) {
    for (const code of [line.leftCode, line.rightCode]) {
      if (code !== null && !code.startsWith(unit.code) && !unit.code.startsWith(code)) sideCodes.add(code);
    }
  }
  const seen = new Set<number>();
  const lngLat: number[] = [];
  const times: number[] = [];
  const eventGridCodes: string[] = [];
  // The unit and the far sides, each place once (a county and one of its streets can both be far sides).
  const areaCodes = [unit.code, ...[...sideCodes].sort()].filter((code, k, all) => !all.some((other, j) => j !== k && code.startsWith(other) && (other !== code || j < k)));
  for (const withinCode of areaCodes) {
    const points = env.store.disputePoints({ withinCode, fromMs: filter.fromMs, toMs: filter.toMs, types: filter.types, sources: filter.sources });
    for (let i = 0; i < points.id.length; i++) {
      if (seen.has(points.id[i]!)) continue;
      seen.add(points.id[i]!);
      lngLat.push(points.lngLat[2 * i]!, points.lngLat[2 * i + 1]!);
      times.push(points.reportedAtMs[i]!);
      eventGridCodes.push(points.gridCodes[points.gridIndex[i]!]!);
    }
  }
  // One local projection for the area: lines and events in metres.
  let minLng = Infinity;
  let maxLng = -Infinity;
  let minLat = Infinity;
  let maxLat = -Infinity;
  const parts = lines.map((line) => linePartsOf(line.geometry));
  for (const lineParts of parts) {
    for (const part of lineParts) {
      for (const [lng, lat] of part) {
        minLng = Math.min(minLng, lng!);
        maxLng = Math.max(maxLng, lng!);
        minLat = Math.min(minLat, lat!);
        maxLat = Math.max(maxLat, lat!);
      }
    }
  }
  const projection = createLocalProjection(Number.isFinite(minLng) ? (minLng + maxLng) / 2 : 123, Number.isFinite(minLat) ? (minLat + maxLat) / 2 : 41);
  const kx = projection.metersPerDegreeLng;
  const ky = projection.metersPerDegreeLat;
  const [lng0, lat0] = projection.origin;
  const eventsXY = new Float64Array(lngLat.length);
  for (let i = 0; i < lngLat.length; i += 2) {
    eventsXY[i] = (lngLat[i]! - lng0) * kx;
    eventsXY[i + 1] = (lngLat[i + 1]! - lat0) * ky;
  }
  const riskLines = parts.map((lineParts) => ({
    partsXY: lineParts.map((part) => {
      const xy = new Float64Array(part.length * 2);
      part.forEach(([lng, lat], v) => {
        xy[2 * v] = (lng! - lng0) * kx;
        xy[2 * v + 1] = (lat! - lat0) * ky;
      });
      return xy;
    }),
  }));
  // Where disputes are expected: the residents of the same units' grids around each stretch (cached per
  // unit and buffer), town and village residents weighted by their dispute rates in this request.
  const residents = env.cache.memo(
    `${env.store.health().dataVersion}|line-residents|${unit.code}/${options.levels.join(',')}/${options.bufferMeters}/${options.stretchMeters}`,
    () => measureLineResidents(env, areaCodes, riskLines, (lng, lat) => [(lng - lng0) * kx, (lat - lat0) * ky], options),
    estimateBytes,
  );
  const rates = disputeRatesPerResident(residents, eventGridCodes);
  const exposure = weighStretchExposure(residents.stretches, rates);
  const risk = measureBoundaryRisk(riskLines, eventsXY, times, {
    bufferMeters: options.bufferMeters,
    stretchMeters: options.stretchMeters,
    slices,
    exposure: residents.total > 0 ? exposure : undefined,
  });
  const peakLngLat = new Float64Array(2 * lines.length);
  const point = new Float64Array(2);
  riskLines.forEach((line, l) => {
    pointAlongLine(line, (risk.peakFromMeters[l]! + risk.peakToMeters[l]!) / 2, point);
    peakLngLat[2 * l] = lng0 + point[0]! / kx;
    peakLngLat[2 * l + 1] = lat0 + point[1]! / ky;
  });
  return { lines, peakLngLat, slices, risk, order: rankBoundaryRisk(risk), eventCount: times.length };
}

/** Spacing of the residents' lattice, metres (fine against a 500 m buffer and ~5 ha town grids). */
const EXPOSURE_CELL_METERS = 100;
/** Lattice points per request at most (the spacing grows beyond it). */
const MAX_EXPOSURE_POINTS = 2_000_000;

/** Residents around every stretch of the lines: columns village (0) and town (1). */
interface LineResidents {
  stretches: ReturnType<typeof measureStretchExposure>;
  /** Town or village by grid code, and residents of each kind. */
  urbanByGridCode: Map<string, boolean>;
  residents: [number, number];
  total: number;
}

/**
 * The residents of the units' grids, spread evenly over each grid on a square lattice, summed per
 * stretch of each line (buffer and band), separately for village and town grids.
 */
function measureLineResidents(
  env: JobEnv,
  areaCodes: readonly string[],
  lines: readonly BoundaryRiskLine[],
  toXY: (lng: number, lat: number) => [number, number],
  options: { bufferMeters: number; stretchMeters: number },
): LineResidents {
  const grids = areaCodes.flatMap((code) => env.store.grids({ withinCode: code }));
  const residents: [number, number] = [0, 0];
  let area = 0;
  for (const grid of grids) {
    residents[grid.urban ? 1 : 0] += grid.population;
    area += grid.areaSquareMeters;
  }
  const ringsXY = grids.map((grid) =>
    grid.geometry.coordinates.flatMap((polygon) =>
      polygon.map((ring) => {
        const xy = new Float64Array(ring.length * 2);
        ring.forEach(([lng, lat], v) => {
          const [x, y] = toXY(lng!, lat!);
          xy[2 * v] = x;
          xy[2 * v + 1] = y;
        });
        return xy;
      }),
    ),
  );
  const labelsXY = new Float64Array(grids.length * 2);
  grids.forEach((grid, g) => {
    const [x, y] = toXY(grid.labelLngLat[0], grid.labelLngLat[1]);
    labelsXY[2 * g] = x;
    labelsXY[2 * g + 1] = y;
  });
  const cellMeters = Math.max(EXPOSURE_CELL_METERS, Math.sqrt(area / MAX_EXPOSURE_POINTS));
  const lattice = rasterizePolygonWeights(ringsXY, Float64Array.from(grids, (grid) => grid.population), labelsXY, cellMeters);
  const village = lattice.weight.map((w, i) => (grids[lattice.polygon[i]!]!.urban ? 0 : w));
  const town = lattice.weight.map((w, i) => (grids[lattice.polygon[i]!]!.urban ? w : 0));
  return {
    stretches: measureStretchExposure(lines, lattice.xy, [village, town], options),
    urbanByGridCode: new Map(grids.map((grid) => [grid.code, grid.urban])),
    residents,
    total: residents[0] + residents[1],
  };
}

/** Disputes per resident in village and town grids among the request's events (1, 1 when a kind has none). */
function disputeRatesPerResident(residents: LineResidents, eventGridCodes: readonly string[]): [number, number] {
  const events = [0, 0];
  for (const code of eventGridCodes) {
    const urban = residents.urbanByGridCode.get(code);
    if (urban !== undefined) events[urban ? 1 : 0]! += 1;
  }
  const rates = residents.residents.map((r, k) => (r > 0 ? events[k]! / r : 0));
  // A kind without events or residents: weigh both kinds by residents alone.
  return rates[0]! > 0 && rates[1]! > 0 ? [rates[0]!, rates[1]!] : [1, 1];
}

function linePartsOf(geometry: LineString | MultiLineString): number[][][] {
  return geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates;
}
