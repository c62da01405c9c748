// Coverage answers from the prepared data: each kind's network cost from the nearest facility to every
// resident is computed by one multi-source search and kept (searched again, farther, when a longer limit
// comes), so a new limit is a comparison per resident; rates per unit (of all, urban or rural residents;
// for one kind or any of several), workstation coverage, the grids with uncovered residents,
// service-area polygons (the network pipeline, or straight-line discs) and life-circle completeness
// (whose first answer for a unit searches round the unit only, from the facilities that can reach it).

import type { Feature, FeatureCollection, MultiPolygon, Point } from 'geojson';
import { ADMIN_CODE_LENGTH, GRID_CODE_LENGTH, levelOfCode, type AdminLevel } from '../domain/admin-codes';
import type { FacilityKind } from '../domain/facility-kinds';
import { LIFE_CIRCLE_KINDS, WITHIN_REACH_SHARE, lifeCircleMeters } from '../domain/life-circle';
import {
  DEFAULT_BUFFER_METERS,
  DEFAULT_DETOUR_FACTOR,
  DEFAULT_MAX_SNAP_METERS,
  DEFAULT_SPEED_KMH,
  describeTravelLimit,
  metersForMinutes,
  resolveTravelLimit,
  type TravelLimit,
  type TravelLimitRequest,
} from '../domain/travel-limits';
import {
  COVERED_BY_NETWORK,
  COVERED_BY_STRAIGHT_LINE,
  UNCOVERED,
  computeDemandNetworkCosts,
  computeStraightLineMeters,
  coverageFromCosts,
  sumCoverageByGroup,
} from '../analysis/coverage/demand-coverage';
import { boxOfPoints, facilitiesNearBox, subsetOfLocatedPoints } from '../analysis/coverage/facilities-near-region';
import { computeRegionCoverage, regionPoints, type RegionPoints } from '../analysis/coverage/region-coverage';
import { computeNetworkServiceArea, ServiceAreaWorkspace } from '../analysis/coverage/network-service-area';
import { ServiceAreaTooLargeError, discPolygon, dissolveDiscs, metersPerPixel, type LngLatMultiPolygon } from '../analysis/coverage/service-area';
import { countWorkstationCoverage } from '../analysis/coverage/workstation-coverage';
import { NetworkCostWorkspace } from '../analysis/network/network-costs';
import type { RoadGraph } from '../analysis/network/road-graph';
import type { PreparedViews } from '../prepared/prepared-data';
import { RequestError, requireUnit, tooLarge } from '../request-error';
import { checkDeadline, preparedOf, type JobEnv } from './job-env';
import { estimateBytes } from './thread-cache';

/** Levels coverage can be grouped by. */
export const COVERAGE_GROUP_LEVELS = ['city', 'county', 'street', 'community', 'grid'] as const;
export type CoverageGroupLevel = (typeof COVERAGE_GROUP_LEVELS)[number];

/** Requests larger than these are refused with a message saying how to narrow them. */
export const COVERAGE_LIMITS = {
  /** Facilities traced one by one (dissolve: false). */
  maxSeparateAreas: 300,
  /** Rows of one rates or workstations answer. */
  maxRows: 20_000,
  /** Grid polygons in one gaps answer (points are not limited). */
  maxGapPolygons: 6_000,
} as const;

/** Everything a coverage answer was computed with (every answer carries it). */
export interface CoverageParameters extends TravelLimit {
  /** Points farther than this from every edge are off the network, metres. */
  maxSnapMeters: number;
  /** Off the network: straight-line metres × this. */
  detourFactor: number;
  /** Service-area polygons reach this far beyond the reachable network, metres. */
  bufferMeters: number;
  /** Whether a walking network is loaded at all. */
  networkLoaded: boolean;
  label: { zh: string; en: string };
}

export interface LimitRequest extends TravelLimitRequest {
  kind: FacilityKind;
}

function resolveLimit(request: TravelLimitRequest): TravelLimit {
  try {
    return resolveTravelLimit(request);
  } catch (error) {
    throw new RequestError('BAD_REQUEST', (error as Error).message);
  }
}

/** The parameters an answer for `request` uses. */
export function coverageParameters(prepared: PreparedViews, request: TravelLimitRequest): CoverageParameters {
  const limit = resolveLimit(request);
  return {
    ...limit,
    maxSnapMeters: DEFAULT_MAX_SNAP_METERS,
    detourFactor: DEFAULT_DETOUR_FACTOR,
    bufferMeters: DEFAULT_BUFFER_METERS,
    networkLoaded: prepared.network !== null,
    label: describeTravelLimit(limit, DEFAULT_DETOUR_FACTOR),
  };
}

/** Search and collection buffers per graph, one set per thread. */
const workspaces = new WeakMap<RoadGraph, ServiceAreaWorkspace>();

function workspaceFor(graph: RoadGraph): ServiceAreaWorkspace {
  let workspace = workspaces.get(graph);
  if (!workspace) {
    workspace = new ServiceAreaWorkspace(graph);
    workspaces.set(graph, workspace);
  }
  return workspace;
}

/** The first network search of a kind reaches at least this far (the 15-minute circle at 4 km/h), metres. */
const FIRST_CUTOFF_METERS = 1000;

interface KindCosts {
  cutoffMeters: number;
  /** Network cost from the nearest facility per demand point (null: no network). */
  networkCosts: Float64Array | null;
  /** Straight-line metres to the nearest facility judged by straight line, per demand point. */
  straightLineMeters: Float64Array;
}

function kindCostsKey(prepared: PreparedViews, kind: FacilityKind): string {
  return `${prepared.data.dataVersion}|kind-costs|${kind}`;
}

/**
 * Each demand point's network cost and straight-line distance to the nearest facility of a kind, exact
 * for limits up to at least maxMeters: one search per kind, kept, and redone twice as far when a longer
 * limit is asked, so a planner dragging the minutes slider waits for a comparison per resident.
 */
function kindCosts(env: JobEnv, kind: FacilityKind, maxMeters: number): KindCosts {
  const prepared = preparedOf(env);
  const key = kindCostsKey(prepared, kind);
  const known = env.cache.get<KindCosts>(key);
  if (known && known.cutoffMeters >= maxMeters) return known;
  const cutoffMeters = Math.max(maxMeters, known ? 2 * known.cutoffMeters : FIRST_CUTOFF_METERS);
  const { network, demand } = prepared;
  const facilities = prepared.facilities(kind).located;
  const costs: KindCosts = {
    cutoffMeters,
    networkCosts: network
      ? computeDemandNetworkCosts(network.graph, workspaceFor(network.graph).costs, demand, facilities, cutoffMeters, known?.networkCosts ?? undefined)
      : null,
    straightLineMeters: computeStraightLineMeters(demand, facilities, cutoffMeters / DEFAULT_DETOUR_FACTOR, known?.straightLineMeters),
  };
  env.cache.set(key, costs, (costs.networkCosts?.byteLength ?? 0) + costs.straightLineMeters.byteLength);
  return costs;
}

/**
 * Coverage state of every demand point (UNCOVERED / COVERED_BY_NETWORK / COVERED_BY_STRAIGHT_LINE)
 * for all facilities of a kind within a limit in metres.
 */
export function demandCoverageStates(env: JobEnv, kind: FacilityKind, maxMeters: number): Uint8Array {
  const prepared = preparedOf(env);
  return env.cache.memo(
    `${prepared.data.dataVersion}|states|${kind}|${maxMeters}`,
    () => {
      const { networkCosts, straightLineMeters } = kindCosts(env, kind, maxMeters);
      return coverageFromCosts(networkCosts, straightLineMeters, { maxMeters, detourFactor: DEFAULT_DETOUR_FACTOR });
    },
    (state) => state.byteLength,
  );
}

/** One facility kind, or several whose facilities serve alike (a resident is covered by any of them). */
export type KindOrKinds = FacilityKind | readonly FacilityKind[];

/** The kinds of a request, sorted and without repeats (so equal sets share cached states). */
export function kindsOf(kind: KindOrKinds): FacilityKind[] {
  return typeof kind === 'string' ? [kind] : [...new Set(kind)].sort();
}

/**
 * Coverage state of every demand point for the facilities of any of several kinds: covered over the
 * network when one kind covers it so, else by straight line when one does — what the states of all their
 * facilities as one set would be (the nearest facility of the union is the nearest of some kind).
 */
export function demandCoverageStatesOfKinds(env: JobEnv, kind: KindOrKinds, maxMeters: number): Uint8Array {
  const kinds = kindsOf(kind);
  if (kinds.length === 1) return demandCoverageStates(env, kinds[0]!, maxMeters);
  const prepared = preparedOf(env);
  return env.cache.memo(
    `${prepared.data.dataVersion}|states|${kinds.join('+')}|${maxMeters}`,
    () => {
      const union = new Uint8Array(prepared.demand.population.length);
      for (const one of kinds) {
        const state = demandCoverageStates(env, one, maxMeters);
        for (let i = 0; i < union.length; i++) {
          if (state[i] === COVERED_BY_NETWORK) union[i] = COVERED_BY_NETWORK;
          else if (state[i] === COVERED_BY_STRAIGHT_LINE && union[i] === UNCOVERED) union[i] = COVERED_BY_STRAIGHT_LINE;
        }
      }
      return union;
    },
    (state) => state.byteLength,
  );
}

/**
 * Which residents a coverage figure counts: all, those of urban grids (in residents' committees, 居委会)
 * or those of rural grids (villagers' committees, 村委会).
 */
export const RESIDENT_GROUPS = ['all', 'urban', 'rural'] as const;
export type ResidentGroup = (typeof RESIDENT_GROUPS)[number];

/** Per grid of the prepared demand points (index into demand.gridCodes): 1 when the grid is urban. */
function urbanByDemandGrid(env: JobEnv): Uint8Array {
  const prepared = preparedOf(env);
  return env.cache.memo(
    `${prepared.data.dataVersion}|urban-grids`,
    () => {
      const urban = new Set(env.store.gridRecords({}).filter((grid) => grid.urban).map((grid) => grid.code));
      return Uint8Array.from(prepared.demand.gridCodes, (code) => (urban.has(code) ? 1 : 0));
    },
    (flags) => flags.byteLength,
  );
}

type UnitList = { codes: string[]; names: string[] };

/** Units of `level` inside `within` (or `within` itself at its own level), in code order. */
function unitsAtLevel(env: JobEnv, within: string, level: Exclude<CoverageGroupLevel, 'grid'>): UnitList {
  const { store } = env;
  return env.cache.memo(
    `${store.health().dataVersion}|units|${within}|${level}`,
    () => {
      const unit = requireUnit(store, within, 'within');
      const length = ADMIN_CODE_LENGTH[level];
      let frontier = [unit];
      while (frontier.length > 0 && frontier[0]!.code.length < length) {
        const next = frontier.flatMap((u) => store.adminChildren(u.code));
        if (next.length > COVERAGE_LIMITS.maxRows) {
          throw tooLarge(
            `more than ${COVERAGE_LIMITS.maxRows.toLocaleString('en-US')} units at level ${next[0]!.level} inside ${within}; group by a coarser level or narrow within`,
          );
        }
        frontier = next;
      }
      const units = frontier.filter((u) => u.code.length === length);
      return { codes: units.map((u) => u.code), names: units.map((u) => u.name) };
    },
    estimateBytes,
  );
}

function checkGroupBy(within: string, groupBy: CoverageGroupLevel): void {
  const withinLevel = levelOfCode(within) as AdminLevel;
  const groupLength = groupBy === 'grid' ? GRID_CODE_LENGTH : ADMIN_CODE_LENGTH[groupBy];
  if (groupLength < within.length) {
    throw new RequestError('BAD_REQUEST', `groupBy: ${groupBy} is coarser than within (${within} is a ${withinLevel}); group by ${withinLevel} or finer`);
  }
}

/**
 * Rows (code, name) of the groups and each demand point's group (−1: outside `within`, or not among the
 * residents counted).
 */
function groupsFor(env: JobEnv, within: string, groupBy: CoverageGroupLevel, residents: ResidentGroup = 'all'): UnitList & { rowOfPoint: Int32Array } {
  const prepared = preparedOf(env);
  if (residents !== 'all') {
    return env.cache.memo(
      `${prepared.data.dataVersion}|groups|${within}|${groupBy}|${residents}`,
      () => {
        const all = groupsFor(env, within, groupBy);
        const urban = urbanByDemandGrid(env);
        const wanted = residents === 'urban' ? 1 : 0;
        const { gridIndex } = prepared.demand;
        const rowOfPoint = Int32Array.from(all.rowOfPoint, (row, i) => (urban[gridIndex[i]!] === wanted ? row : -1));
        return { codes: all.codes, names: all.names, rowOfPoint };
      },
      (groups) => groups.rowOfPoint.byteLength + estimateBytes(groups.codes) + estimateBytes(groups.names),
    );
  }
  return env.cache.memo(
    `${prepared.data.dataVersion}|groups|${within}|${groupBy}`,
    () => {
      let list: UnitList;
      if (groupBy === 'grid') {
        requireUnit(env.store, within, 'within');
        const count = env.store.countGrids({ withinCode: within });
        if (count > COVERAGE_LIMITS.maxRows) {
          throw tooLarge(
            `${count.toLocaleString('en-US')} grids inside ${within} (at most ${COVERAGE_LIMITS.maxRows.toLocaleString('en-US')} rows); narrow within or group by community`,
          );
        }
        const grids = env.store.gridRecords({ withinCode: within });
        list = { codes: grids.map((g) => g.code), names: grids.map((g) => g.name) };
      } else {
        list = unitsAtLevel(env, within, groupBy);
      }
      const length = groupBy === 'grid' ? GRID_CODE_LENGTH : ADMIN_CODE_LENGTH[groupBy];
      const rowOfCode = new Map(list.codes.map((code, i) => [code, i]));
      const { gridCodes, gridIndex } = prepared.demand;
      const rowOfGrid = Int32Array.from(gridCodes, (code) => (code.startsWith(within) ? (rowOfCode.get(code.slice(0, length)) ?? -1) : -1));
      const rowOfPoint = new Int32Array(gridIndex.length);
      for (let i = 0; i < gridIndex.length; i++) rowOfPoint[i] = rowOfGrid[gridIndex[i]!]!;
      return { ...list, rowOfPoint };
    },
    (groups) => groups.rowOfPoint.byteLength + estimateBytes(groups.codes) + estimateBytes(groups.names),
  );
}

/** How a row's coverage was judged, from its residents on and off the network. */
export type CoverageMethod = 'network' | 'straight-line' | 'mixed' | 'none';

function methodOf(population: number, networkPopulation: number): CoverageMethod {
  if (population === 0) return 'none';
  if (networkPopulation === population) return 'network';
  return networkPopulation === 0 ? 'straight-line' : 'mixed';
}

export interface CoverageRateRow {
  code: string;
  name: string;
  level: CoverageGroupLevel;
  /** Residents (demand points) in the unit: all, or those of its urban or rural grids as asked. */
  population: number;
  /** Residents within the limit of at least one facility of the kind. */
  coveredPopulation: number;
  /** coveredPopulation / population in [0, 1]; null when the unit has no residents in the data. */
  rate: number | null;
  /** Residents whose coverage was judged over the network (the rest: straight line × detour factor). */
  networkPopulation: number;
  method: CoverageMethod;
}

export interface RatesRequest extends TravelLimitRequest {
  /** A kind, or several serving alike (covered by any: the health circle's stations and centres). */
  kind: KindOrKinds;
  within: string;
  groupBy: CoverageGroupLevel;
  /** Count all residents (default), or only those of urban or of rural grids. */
  residents?: ResidentGroup;
}

/** Coverage rates of a kind (or of any of several) per unit of `groupBy` inside `within`. */
export function computeCoverageRates(env: JobEnv, request: RatesRequest): CoverageRateRow[] {
  const limit = resolveLimit(request);
  requireUnit(env.store, request.within, 'within');
  checkGroupBy(request.within, request.groupBy);
  const { demand } = preparedOf(env);
  const { codes, names, rowOfPoint } = groupsFor(env, request.within, request.groupBy, request.residents ?? 'all');
  const state = demandCoverageStatesOfKinds(env, request.kind, limit.maxMeters);
  const totals = sumCoverageByGroup(rowOfPoint, codes.length, demand.population, state, demand.snap);
  return codes.map((code, i) => {
    const population = totals.population[i]!;
    const coveredPopulation = totals.coveredPopulation[i]!;
    return {
      code,
      name: names[i]!,
      level: request.groupBy,
      population,
      coveredPopulation,
      rate: population > 0 ? coveredPopulation / population : null,
      networkPopulation: totals.networkPopulation[i]!,
      method: methodOf(population, totals.networkPopulation[i]!),
    };
  });
}

export interface WorkstationRow {
  code: string;
  name: string;
  level: Exclude<CoverageGroupLevel, 'grid'>;
  /** Communities and villages (社区/村) in the unit. */
  communities: number;
  /** Of those, communities with a governance workstation (综治工作站). */
  communitiesWithWorkstation: number;
  /** communitiesWithWorkstation / communities; null for a unit without communities. */
  rate: number | null;
}

/** Workstation coverage (communities with a workstation / communities) per unit of `groupBy`. */
export function computeWorkstationCoverage(env: JobEnv, request: { within: string; groupBy: Exclude<CoverageGroupLevel, 'grid'> }): WorkstationRow[] {
  requireUnit(env.store, request.within, 'within');
  checkGroupBy(request.within, request.groupBy);
  const units = unitsAtLevel(env, request.within, request.groupBy);
  const communities = request.groupBy === 'community' ? units : unitsAtLevel(env, request.within, 'community');
  const withWorkstation = new Set(preparedOf(env).facilities('governance_workstation').communityCodes.filter((code) => code.startsWith(request.within)));
  const counts = countWorkstationCoverage(units.codes, communities.codes, withWorkstation);
  return units.codes.map((code, i) => ({
    code,
    name: units.names[i]!,
    level: request.groupBy,
    communities: counts.communities[i]!,
    communitiesWithWorkstation: counts.withWorkstation[i]!,
    rate: counts.communities[i]! > 0 ? counts.withWorkstation[i]! / counts.communities[i]! : null,
  }));
}

export interface GapProperties {
  code: string;
  name: string;
  population: number;
  uncoveredPopulation: number;
  /** uncoveredPopulation / population. */
  uncoveredShare: number;
  /** Residents of the grid judged over the network. */
  networkPopulation: number;
  method: CoverageMethod;
}

export interface GapsRequest extends TravelLimitRequest {
  /** A kind, or several serving alike (a resident within the limit of any of them is covered). */
  kind: KindOrKinds;
  within: string;
  /** Count all residents (default), or only those of urban or of rural grids. */
  residents?: ResidentGroup;
  /** Grid polygons, or one point per grid at the centroid of its uncovered residents. */
  as?: 'polygons' | 'points';
}

export type GapCollection = FeatureCollection<MultiPolygon | Point, GapProperties> & { parameters: CoverageParameters };

const round6 = (value: number): number => Math.round(value * 1e6) / 1e6;

/**
 * Grids inside `within` with residents beyond the limit of every facility of the kind (or kinds), among
 * all residents or those of urban or of rural grids.
 */
export function computeCoverageGaps(env: JobEnv, request: GapsRequest): GapCollection {
  const prepared = preparedOf(env);
  const parameters = coverageParameters(prepared, request);
  requireUnit(env.store, request.within, 'within');
  const state = demandCoverageStatesOfKinds(env, request.kind, parameters.maxMeters);
  const { gridCodes, gridIndex, population, lngLat, snap } = prepared.demand;
  const gridCount = gridCodes.length;
  const residents = request.residents ?? 'all';
  const urban = residents === 'all' ? null : urbanByDemandGrid(env);
  const inside = gridCodes.map((code, g) => code.startsWith(request.within) && (urban === null || urban[g] === (residents === 'urban' ? 1 : 0)));
  const total = new Float64Array(gridCount);
  const uncovered = new Float64Array(gridCount);
  const onNetwork = new Float64Array(gridCount);
  const sumLng = new Float64Array(gridCount);
  const sumLat = new Float64Array(gridCount);
  for (let i = 0; i < gridIndex.length; i++) {
    const g = gridIndex[i]!;
    if (!inside[g]) continue;
    const residents = population[i]!;
    total[g]! += residents;
    if (snap.edge[i]! >= 0) onNetwork[g]! += residents;
    if (state[i] === UNCOVERED) {
      uncovered[g]! += residents;
      sumLng[g]! += residents * lngLat[i * 2]!;
      sumLat[g]! += residents * lngLat[i * 2 + 1]!;
    }
  }
  const gaps: number[] = [];
  for (let g = 0; g < gridCount; g++) if (inside[g] && uncovered[g]! > 0) gaps.push(g);
  const propertiesOf = (g: number, name: string): GapProperties => ({
    code: gridCodes[g]!,
    name,
    population: total[g]!,
    uncoveredPopulation: uncovered[g]!,
    uncoveredShare: uncovered[g]! / total[g]!,
    networkPopulation: onNetwork[g]!,
    method: methodOf(total[g]!, onNetwork[g]!),
  });
  let features: Feature<MultiPolygon | Point, GapProperties>[];
  if ((request.as ?? 'polygons') === 'points') {
    const names = gaps.length === 0 ? new Map<string, string>() : new Map(env.store.gridRecords({ withinCode: request.within }).map((grid) => [grid.code, grid.name]));
    features = gaps.map((g) => ({
      type: 'Feature',
      id: gridCodes[g]!,
      properties: propertiesOf(g, names.get(gridCodes[g]!) ?? ''),
      geometry: { type: 'Point', coordinates: [round6(sumLng[g]! / uncovered[g]!), round6(sumLat[g]! / uncovered[g]!)] },
    }));
  } else {
    if (gaps.length > COVERAGE_LIMITS.maxGapPolygons) {
      throw tooLarge(
        `${gaps.length.toLocaleString('en-US')} grids with uncovered residents inside ${request.within} (at most ${COVERAGE_LIMITS.maxGapPolygons.toLocaleString('en-US')} polygons); ask as: "points" or narrow within`,
      );
    }
    const gridByCode = new Map(gaps.map((g) => [gridCodes[g]!, g]));
    features = env.store
      .grids({ withinCode: request.within })
      .filter((grid) => gridByCode.has(grid.code))
      .map((grid) => ({ type: 'Feature', id: grid.code, properties: propertiesOf(gridByCode.get(grid.code)!, grid.name), geometry: grid.geometry }));
  }
  return { type: 'FeatureCollection', parameters, features };
}

export interface ServiceAreaProperties {
  kind: FacilityKind;
  /** 'network': reachable network + buffer; 'straight-line': disc of limit ÷ detour factor. */
  method: 'network' | 'straight-line';
  /** The facility (one feature per facility), or null for a dissolved feature. */
  facilityId: number | null;
  facilityName: string | null;
  facilityCount: number;
  maxMeters: number;
  /** Raster cell the polygon was traced on (network), metres; null for discs. */
  cellMeters: number | null;
}

export interface ServiceAreasRequest extends LimitRequest {
  within: string;
  /** One feature per method for the kind (default), or one per facility. */
  dissolve?: boolean;
  /** Simplify for display at this map zoom (see DisplaySimplification); full detail when absent. */
  zoom?: number;
}

/**
 * How polygons were lightened for display at a zoom: rings simplified by half a pixel and holes under
 * 2 × 2 pixels left out. Points within that tolerance of an edge may fall outside; ask without zoom
 * for polygons that hold every reachable point.
 */
export interface DisplaySimplification {
  zoom: number;
  simplifyMeters: number;
  minHoleSquareMeters: number;
}

/** Latitude the pixel size is taken at (Liaoning's middle). */
const DISPLAY_LATITUDE = 41;

export function displaySimplification(zoom: number): DisplaySimplification {
  const pixel = metersPerPixel(zoom, DISPLAY_LATITUDE);
  return { zoom, simplifyMeters: Math.round(pixel * 0.5 * 10) / 10, minHoleSquareMeters: Math.round(4 * pixel * pixel) };
}

export type ServiceAreaCollection = FeatureCollection<MultiPolygon, ServiceAreaProperties> & {
  parameters: CoverageParameters;
  /** Set when the polygons were simplified for display at a zoom. */
  display: DisplaySimplification | null;
};

function feature(coordinates: LngLatMultiPolygon, properties: ServiceAreaProperties): Feature<MultiPolygon, ServiceAreaProperties> {
  return { type: 'Feature', id: properties.facilityId ?? `${properties.kind}-${properties.method}`, properties, geometry: { type: 'MultiPolygon', coordinates } };
}

/** The facilities of a kind inside `within` (indexes into the kind's prepared set), split on and off the network. */
export function facilitiesInside(prepared: PreparedViews, kind: FacilityKind, within: string): { chosen: number[]; onNetwork: number[]; offNetwork: number[] } {
  const set = prepared.facilities(kind);
  const chosen: number[] = [];
  set.communityCodes.forEach((code, i) => {
    if (code.startsWith(within)) chosen.push(i);
  });
  return {
    chosen,
    onNetwork: chosen.filter((i) => set.located.snap.edge[i]! >= 0),
    offNetwork: chosen.filter((i) => set.located.snap.edge[i]! < 0),
  };
}

/** Service areas of the facilities of a kind inside `within`, dissolved or one per facility. */
export function computeServiceAreas(env: JobEnv, request: ServiceAreasRequest): ServiceAreaCollection {
  const prepared = preparedOf(env);
  const parameters = coverageParameters(prepared, request);
  requireUnit(env.store, request.within, 'within');
  const dissolve = request.dissolve ?? true;
  const display = request.zoom === undefined ? null : displaySimplification(request.zoom);
  const set = prepared.facilities(request.kind);
  const { chosen, onNetwork, offNetwork } = facilitiesInside(prepared, request.kind, request.within);
  const { maxMeters, bufferMeters, detourFactor } = parameters;
  const discRadius = maxMeters / detourFactor;
  const base = { kind: request.kind, maxMeters };
  const features: Feature<MultiPolygon, ServiceAreaProperties>[] = [];
  const trace = (members: readonly number[]) => {
    const network = prepared.network!;
    const sources = {
      edge: Int32Array.from(members, (i) => set.located.snap.edge[i]!),
      fraction: Float64Array.from(members, (i) => set.located.snap.fraction[i]!),
      accessMeters: Float64Array.from(members, (i) => set.located.snap.distanceMeters[i]!),
    };
    const options = { bufferMeters, barrierLines: network.barrierLines, ...(display ? { display } : {}) };
    return computeNetworkServiceArea(network.graph, sources, maxMeters, options, workspaceFor(network.graph));
  };
  const lngLatOf = (i: number): [number, number] => [set.located.lngLat[2 * i]!, set.located.lngLat[2 * i + 1]!];
  try {
    if (dissolve) {
      if (onNetwork.length > 0) {
        const traced = trace(onNetwork);
        if (traced.coordinates.length > 0) {
          features.push(feature(traced.coordinates, { ...base, method: 'network', facilityId: null, facilityName: null, facilityCount: onNetwork.length, cellMeters: traced.cellMeters }));
        }
      }
      if (offNetwork.length > 0) {
        const lngLat = new Float64Array(offNetwork.length * 2);
        offNetwork.forEach((i, k) => lngLat.set(lngLatOf(i), k * 2));
        features.push(
          feature(dissolveDiscs(lngLat, discRadius, display?.simplifyMeters), { ...base, method: 'straight-line', facilityId: null, facilityName: null, facilityCount: offNetwork.length, cellMeters: null }),
        );
      }
    } else {
      if (chosen.length > COVERAGE_LIMITS.maxSeparateAreas) {
        throw tooLarge(
          `${chosen.length.toLocaleString('en-US')} facilities of kind ${request.kind} inside ${request.within} (at most ${COVERAGE_LIMITS.maxSeparateAreas} traced one by one); narrow within or ask dissolve: true`,
        );
      }
      const names = new Map(env.store.facilities({ kinds: [request.kind], withinCode: request.within }).map((record) => [record.id, record.name]));
      for (const i of chosen) {
        const id = set.ids[i]!;
        const one = { ...base, facilityId: id, facilityName: names.get(id) ?? null, facilityCount: 1 };
        if (set.located.snap.edge[i]! >= 0) {
          const traced = trace([i]);
          features.push(feature(traced.coordinates, { ...one, method: 'network', cellMeters: traced.cellMeters }));
        } else {
          features.push(feature([discPolygon(lngLatOf(i), discRadius)], { ...one, method: 'straight-line', cellMeters: null }));
        }
      }
    }
  } catch (error) {
    if (error instanceof ServiceAreaTooLargeError) throw tooLarge(`${error.message}; narrow within or ask a shorter limit`);
    throw error;
  }
  return { type: 'FeatureCollection', parameters, display, features };
}

/** Reusable network search buffers of a graph in this thread (for callers outside this module). */
export function networkWorkspace(graph: RoadGraph): NetworkCostWorkspace {
  return workspaceFor(graph).costs;
}

export interface CompletenessRequest extends TravelLimitRequest {
  within: string;
  groupBy: 'community' | 'grid';
  /** The kinds to count (default: LIFE_CIRCLE_KINDS). */
  kinds?: readonly FacilityKind[];
}

export interface CompletenessRow {
  code: string;
  name: string;
  level: 'community' | 'grid';
  population: number;
  /** Kinds whose facilities reach at least WITHIN_REACH_SHARE of the unit's residents. */
  kindsWithin: number;
  kindsTotal: number;
  /** The kinds not within reach, in the request's order. */
  missing: FacilityKind[];
  /** Per kind, the share of residents within its distance (null: no residents). */
  shares: Partial<Record<FacilityKind, number | null>>;
  /** Residents with every kind within its distance. */
  completeResidents: number;
}

/** The distance of each kind: one limit for all when given, else each kind's GB 50180-2018 distance. */
function completenessLimits(request: CompletenessRequest, kinds: readonly FacilityKind[]): number[] {
  if (request.maxMinutes !== undefined || request.maxMeters !== undefined) {
    const { maxMeters } = resolveLimit(request);
    return kinds.map(() => maxMeters);
  }
  return kinds.map((kind) => {
    const meters = lifeCircleMeters(kind);
    if (meters === undefined) {
      throw new RequestError('BAD_REQUEST', `kinds: ${kind} has no GB 50180-2018 life-circle distance; give maxMinutes or maxMeters for every kind`);
    }
    return meters;
  });
}

/** The demand points of a unit (their grid code starts with its code), ascending, and the box round them. */
interface Region {
  points: Uint32Array;
  box: [number, number, number, number] | null;
}

function regionOf(env: JobEnv, within: string): Region {
  const { demand, data } = preparedOf(env);
  return env.cache.memo(
    `${data.dataVersion}|region|${within}`,
    () => {
      const { gridCodes, gridIndex } = demand;
      const inside = new Uint8Array(gridCodes.length);
      for (let g = 0; g < gridCodes.length; g++) if (gridCodes[g]!.startsWith(within)) inside[g] = 1;
      let count = 0;
      for (let i = 0; i < gridIndex.length; i++) count += inside[gridIndex[i]!]!;
      const points = new Uint32Array(count);
      for (let i = 0, k = 0; i < gridIndex.length; i++) if (inside[gridIndex[i]!]) points[k++] = i;
      return { points, box: boxOfPoints(demand.lngLat, points) };
    },
    (region) => region.points.byteLength + 32,
  );
}

/**
 * Coverage states of a kind within a limit at the points of a region (slot order): from coverage.rates'
 * kept search when it reaches that far, else from a search seeded only by the facilities that can reach
 * the region (facilitiesNearBox) over the region's points alone, so a city's first answer works round
 * the city, not the province.
 */
function regionCoverageStates(env: JobEnv, kind: FacilityKind, maxMeters: number, within: string, region: Region, slotsOf: () => RegionPoints): Uint8Array {
  const prepared = preparedOf(env);
  const known = env.cache.get<KindCosts>(kindCostsKey(prepared, kind));
  if (within.length <= ADMIN_CODE_LENGTH.province || (known && known.cutoffMeters >= maxMeters)) {
    const state = demandCoverageStates(env, kind, maxMeters);
    const { points } = region;
    const out = new Uint8Array(points.length);
    for (let k = 0; k < points.length; k++) out[k] = state[points[k]!]!;
    return out;
  }
  return env.cache.memo(
    `${prepared.data.dataVersion}|region-states|${within}|${kind}|${maxMeters}`,
    () => {
      const { network, demand } = prepared;
      const all = prepared.facilities(kind).located;
      const near = subsetOfLocatedPoints(all, region.box ? facilitiesNearBox(all, region.box, maxMeters) : new Uint32Array(0));
      const workspace = network ? workspaceFor(network.graph).costs : null;
      return computeRegionCoverage(network?.graph ?? null, workspace, demand, slotsOf(), near, maxMeters, DEFAULT_DETOUR_FACTOR);
    },
    (state) => state.byteLength,
  );
}

/**
 * Life-circle completeness per community or grid inside `within`: how many of the kinds are within reach
 * (their facilities within the distance of at least half the residents), which are missing, each kind's
 * covered share, and the residents who have all of them.
 */
export function computeCompleteness(env: JobEnv, request: CompletenessRequest): CompletenessRow[] {
  requireUnit(env.store, request.within, 'within');
  checkGroupBy(request.within, request.groupBy);
  const kinds = request.kinds && request.kinds.length > 0 ? [...new Set(request.kinds)] : LIFE_CIRCLE_KINDS.map((entry) => entry.kind);
  const limits = completenessLimits(request, kinds);
  const { demand } = preparedOf(env);
  const { codes, names, rowOfPoint } = groupsFor(env, request.within, request.groupBy);
  const region = regionOf(env, request.within);
  const rows = codes.length;
  const population = new Float64Array(rows);
  const covered = kinds.map(() => new Float64Array(rows));
  const complete = new Float64Array(rows);
  // Each point's slot in the region, made only when a kind is searched afresh (not kept: it is as long as all points).
  let slots: RegionPoints | null = null;
  const slotsOf = () => (slots ??= regionPoints(demand.count, region.points));
  const states = kinds.map((kind, k) => {
    checkDeadline(env, 'life-circle completeness');
    return regionCoverageStates(env, kind, limits[k]!, request.within, region, slotsOf);
  });
  // Every counted point lies in the region (its grid code starts with within); states are by slot.
  const { points } = region;
  for (let p = 0; p < points.length; p++) {
    const i = points[p]!;
    const row = rowOfPoint[i]!;
    if (row < 0) continue;
    const residents = demand.population[i]!;
    population[row]! += residents;
    let all = true;
    for (let k = 0; k < kinds.length; k++) {
      if (states[k]![p] !== UNCOVERED) covered[k]![row]! += residents;
      else all = false;
    }
    if (all) complete[row]! += residents;
  }
  return codes.map((code, row) => {
    const shares: Partial<Record<FacilityKind, number | null>> = {};
    const missing: FacilityKind[] = [];
    kinds.forEach((kind, k) => {
      const share = population[row]! > 0 ? covered[k]![row]! / population[row]! : null;
      shares[kind] = share;
      if (share === null || share < WITHIN_REACH_SHARE) missing.push(kind);
    });
    return {
      code,
      name: names[row]!,
      level: request.groupBy,
      population: population[row]!,
      kindsWithin: kinds.length - missing.length,
      kindsTotal: kinds.length,
      missing,
      shares,
      completeResidents: complete[row]!,
    };
  });
}

/** Minutes of coverage.curve when none are asked: the life circles and beyond. */
export const DEFAULT_CURVE_MINUTES = [5, 10, 15, 20, 25, 30] as const;

export interface CurveRequest {
  /** A kind, or several serving alike (as coverage.rates). */
  kind: KindOrKinds;
  within: string;
  /** Walking minutes, each in (0, 60]; answered in ascending order, each once. */
  minutes: readonly number[];
  /** Walking speed, km/h (default 4). */
  speedKmh?: number;
}

export interface CurvePoint {
  minutes: number;
  /** The walk in metres at the speed asked. */
  maxMeters: number;
  /** Residents of `within` (the same at every point). */
  population: number;
  /** Residents within `minutes` of at least one facility (as coverage.rates counts them at that limit). */
  coveredPopulation: number;
  /** coveredPopulation / population; null when `within` has no residents in the data. */
  coverageRate: number | null;
}

/**
 * Coverage as a function of walking minutes for the existing facilities: one network search at the
 * longest limit gives each resident's cost to the nearest facility, then each resident is counted at
 * the first limit that covers it (the tests of coverageFromCosts, so every point equals coverage.rates
 * at its limit) and the counts are summed up the limits. O(residents × log limits).
 */
export function computeCoverageCurve(env: JobEnv, request: CurveRequest): CurvePoint[] {
  requireUnit(env.store, request.within, 'within');
  const minutes = [...new Set(request.minutes)].sort((x, y) => x - y);
  if (minutes.length === 0) throw new RequestError('BAD_REQUEST', 'minutes: give at least one limit');
  const speedKmh = request.speedKmh ?? DEFAULT_SPEED_KMH;
  const maxMeters = minutes.map((m) => metersForMinutes(m, speedKmh));
  const radii = maxMeters.map((meters) => meters / DEFAULT_DETOUR_FACTOR);
  const longest = maxMeters[maxMeters.length - 1]!;
  const { demand } = preparedOf(env);
  const costs = kindsOf(request.kind).map((kind) => kindCosts(env, kind, longest));
  const inside = demand.gridCodes.map((code) => code.startsWith(request.within));
  const limits = minutes.length;
  const firstCovered = new Float64Array(limits);
  let population = 0;
  for (let i = 0; i < demand.gridIndex.length; i++) {
    if (!inside[demand.gridIndex[i]!]) continue;
    const residents = demand.population[i]!;
    population += residents;
    // The first limit that covers the resident: coverage only grows with the limit, so a binary search.
    let lo = 0;
    let hi = limits;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      let covered = false;
      for (let k = 0; k < costs.length && !covered; k++) {
        const { networkCosts, straightLineMeters } = costs[k]!;
        covered = (networkCosts !== null && networkCosts[i]! <= maxMeters[mid]!) || straightLineMeters[i]! <= radii[mid]!;
      }
      if (covered) hi = mid;
      else lo = mid + 1;
    }
    if (lo < limits) firstCovered[lo]! += residents;
  }
  let covered = 0;
  return minutes.map((m, k) => {
    covered += firstCovered[k]!;
    return { minutes: m, maxMeters: maxMeters[k]!, population, coveredPopulation: covered, coverageRate: population > 0 ? covered / population : null };
  });
}
