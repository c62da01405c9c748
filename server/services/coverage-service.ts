// Coverage orchestration between the coverage router, the store and the pure analyses: the walking
// network as a CSR graph with its edge snapper, the barriers, every demand point snapped to the network
// and each facility kind's points are loaded once per data version; each kind's network cost per
// resident is kept from one search (searched again, farther, when a longer limit comes), so a new limit
// is a comparison per resident; coverage states per (kind, limit) are kept in a small LRU; answers are
// shaped as rows or GeoJSON with the parameters they used.

import type { Feature, FeatureCollection, MultiPolygon, Point } from 'geojson';
import { FACILITY_KINDS, type FacilityKind } from '../domain/facility-kinds';
import {
  DEFAULT_BUFFER_METERS,
  DEFAULT_DETOUR_FACTOR,
  DEFAULT_MAX_SNAP_METERS,
  describeTravelLimit,
  resolveTravelLimit,
  type TravelLimit,
  type TravelLimitRequest,
} from '../domain/travel-limits';
import {
  UNCOVERED,
  computeDemandNetworkCosts,
  computeStraightLineMeters,
  coverageFromCosts,
  locatePoints,
  sumCoverageByGroup,
  type LocatedPoints,
} from '../analysis/coverage/demand-coverage';
import {
  ServiceAreaTooLargeError,
  dissolveDiscs,
  discPolygon,
  metersPerPixel,
  traceNetworkServiceArea,
  type LngLatMultiPolygon,
} from '../analysis/coverage/service-area';
import { countWorkstationCoverage } from '../analysis/coverage/workstation-coverage';
import { EdgeSnapper } from '../analysis/network/edge-snapper';
import { EdgeSourceIndex, NetworkCostWorkspace, computeNetworkCosts, seedsAtSnappedPoints } from '../analysis/network/network-costs';
import { ReachableEdgeCollector } from '../analysis/network/reachable-edges';
import { buildRoadGraph, type RoadGraph } from '../analysis/network/road-graph';
import { ADMIN_CODE_LENGTH, type AdminLevel } from '../domain/admin-codes';
import type { AtlasStore, FacilityRecord } from '../store/atlas-store';

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

/** Grid codes are community codes (12 digits) plus three. */
const GRID_CODE_LENGTH = 15;

/** A request the service refuses: the router turns it into a tRPC error of the same code. */
export class CoverageRequestError extends Error {
  constructor(
    readonly code: 'BAD_REQUEST' | 'NOT_FOUND',
    message: string,
  ) {
    super(message);
  }
}

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

export interface FacilitySet {
  records: FacilityRecord[];
  located: LocatedPoints;
}

export interface CoverageContext {
  dataVersion: string;
  graph: RoadGraph | null;
  snapper: EdgeSnapper | null;
  workspace: NetworkCostWorkspace | null;
  collector: ReachableEdgeCollector | null;
  barrierLines: number[][][];
  demand: LocatedPoints & { population: Uint32Array; gridIndex: Uint32Array; gridCodes: string[] };
  facilities: Map<FacilityKind, FacilitySet>;
  /** Coverage state per demand point by "kind|metres" (LRU). */
  states: Map<string, Uint8Array>;
  /**
   * Per kind, each demand point's network cost to the nearest facility (null: no network) and
   * straight-line metres to the nearest facility it is judged against by straight line, exact for any
   * limit up to `cutoffMeters`.
   */
  kindCosts: Map<FacilityKind, KindCosts>;
  /** Units of a level inside a code, by "within|level". */
  units: Map<string, { codes: string[]; names: string[] }>;
  /** Rows and each demand point's row, by "within|groupBy" (LRU). */
  groups: Map<string, { codes: string[]; names: string[]; rowOfPoint: Int32Array }>;
  /** Finished service-area answers by request (LRU; tracing a city takes a while). */
  areas: Map<string, ServiceAreaCollection>;
}

const contexts = new WeakMap<AtlasStore, CoverageContext>();
const MAX_CACHED_STATES = 48;
const MAX_CACHED_AREAS = 12;
const MAX_CACHED_UNIT_LISTS = 64;
const MAX_CACHED_GROUPINGS = 16;

function remember<V>(map: Map<string, V>, key: string, value: V, limit: number): V {
  if (map.size >= limit) map.delete(map.keys().next().value!);
  map.set(key, value);
  return value;
}

function recall<V>(map: Map<string, V>, key: string): V | undefined {
  const value = map.get(key);
  if (value !== undefined) {
    map.delete(key);
    map.set(key, value);
  }
  return value;
}

/** The store's network, demand and barriers as analysis inputs, built once per data version. */
export function coverageContext(store: AtlasStore): CoverageContext {
  const dataVersion = store.health().dataVersion;
  const cached = contexts.get(store);
  if (cached && cached.dataVersion === dataVersion) return cached;
  const network = store.roadNetwork();
  const graph = network.edgeFrom.length > 0 ? buildRoadGraph(network) : null;
  const snapper = graph ? new EdgeSnapper(graph) : null;
  const demandPoints = store.demandPoints();
  let barrierLines: number[][][] = [];
  if (graph) {
    let minLng = Infinity;
    let minLat = Infinity;
    let maxLng = -Infinity;
    let maxLat = -Infinity;
    for (let i = 0; i < network.nodeLngLat.length; i += 2) {
      minLng = Math.min(minLng, network.nodeLngLat[i]!);
      maxLng = Math.max(maxLng, network.nodeLngLat[i]!);
      minLat = Math.min(minLat, network.nodeLngLat[i + 1]!);
      maxLat = Math.max(maxLat, network.nodeLngLat[i + 1]!);
    }
    barrierLines = store.barriers([minLng, minLat, maxLng, maxLat]).map((barrier) => barrier.geometry.coordinates);
  }
  const context: CoverageContext = {
    dataVersion,
    graph,
    snapper,
    workspace: graph ? new NetworkCostWorkspace(graph.nodeCount) : null,
    collector: graph ? new ReachableEdgeCollector(graph) : null,
    barrierLines,
    demand: {
      ...locatePoints(snapper, demandPoints.lngLat, DEFAULT_MAX_SNAP_METERS),
      population: demandPoints.population,
      gridIndex: demandPoints.gridIndex,
      gridCodes: demandPoints.gridCodes,
    },
    facilities: new Map(),
    states: new Map(),
    kindCosts: new Map(),
    units: new Map(),
    groups: new Map(),
    areas: new Map(),
  };
  contexts.set(store, context);
  return context;
}

/** The facilities of a kind with their snapped positions, loaded once per data version. */
export function facilitySet(store: AtlasStore, context: CoverageContext, kind: FacilityKind): FacilitySet {
  let set = context.facilities.get(kind);
  if (!set) {
    const records = store.facilities({ kinds: [kind] });
    const lngLat = new Float64Array(records.length * 2);
    records.forEach((record, i) => {
      lngLat[i * 2] = record.lngLat[0];
      lngLat[i * 2 + 1] = record.lngLat[1];
    });
    set = { records, located: locatePoints(context.snapper, lngLat, DEFAULT_MAX_SNAP_METERS) };
    context.facilities.set(kind, set);
  }
  return set;
}

function resolveLimit(request: TravelLimitRequest): TravelLimit {
  try {
    return resolveTravelLimit(request);
  } catch (error) {
    throw new CoverageRequestError('BAD_REQUEST', (error as Error).message);
  }
}

/** The parameters an answer for `request` uses. */
export function coverageParameters(store: AtlasStore, request: TravelLimitRequest): CoverageParameters {
  const limit = resolveLimit(request);
  return {
    ...limit,
    maxSnapMeters: DEFAULT_MAX_SNAP_METERS,
    detourFactor: DEFAULT_DETOUR_FACTOR,
    bufferMeters: DEFAULT_BUFFER_METERS,
    networkLoaded: coverageContext(store).graph !== null,
    label: describeTravelLimit(limit, DEFAULT_DETOUR_FACTOR),
  };
}

/** The first network search of a kind reaches at least this far (the 15-minute circle at 4 km/h), metres. */
const FIRST_CUTOFF_METERS = 1000;

export interface KindCosts {
  cutoffMeters: number;
  networkCosts: Float64Array | null;
  straightLineMeters: Float64Array;
}

/**
 * Each demand point's network cost and straight-line distance to the nearest facility of a kind, exact
 * for limits up to at least maxMeters: one search per kind, kept, and redone twice as far when a longer
 * limit is asked, so a planner dragging the minutes slider waits for a comparison per resident, not a
 * search.
 */
function kindCosts(context: CoverageContext, facilities: FacilitySet, kind: FacilityKind, maxMeters: number): KindCosts {
  const known = context.kindCosts.get(kind);
  if (known && known.cutoffMeters >= maxMeters) return known;
  const cutoffMeters = Math.max(maxMeters, known ? 2 * known.cutoffMeters : FIRST_CUTOFF_METERS);
  const { graph, workspace, demand } = context;
  const costs: KindCosts = {
    cutoffMeters,
    networkCosts: graph && workspace ? computeDemandNetworkCosts(graph, workspace, demand, facilities.located, cutoffMeters, known?.networkCosts ?? undefined) : null,
    straightLineMeters: computeStraightLineMeters(demand, facilities.located, cutoffMeters / DEFAULT_DETOUR_FACTOR, known?.straightLineMeters),
  };
  context.kindCosts.set(kind, costs);
  return costs;
}

/**
 * Coverage state of every demand point (UNCOVERED / COVERED_BY_NETWORK / COVERED_BY_STRAIGHT_LINE)
 * for all facilities of a kind and a limit in metres; cached.
 */
export function demandCoverageStates(store: AtlasStore, kind: FacilityKind, maxMeters: number): Uint8Array {
  const context = coverageContext(store);
  const key = `${kind}|${maxMeters}`;
  const cached = recall(context.states, key);
  if (cached) return cached;
  const facilities = facilitySet(store, context, kind);
  const { networkCosts, straightLineMeters } = kindCosts(context, facilities, kind, maxMeters);
  const state = coverageFromCosts(networkCosts, straightLineMeters, { maxMeters, detourFactor: DEFAULT_DETOUR_FACTOR });
  return remember(context.states, key, state, MAX_CACHED_STATES);
}

function levelOfCode(code: string): AdminLevel {
  const level = (Object.keys(ADMIN_CODE_LENGTH) as AdminLevel[]).find((l) => ADMIN_CODE_LENGTH[l] === code.length);
  if (!level) throw new CoverageRequestError('BAD_REQUEST', `within: ${code} is not an admin code`);
  return level;
}

function requireUnit(store: AtlasStore, code: string, field: string) {
  const unit = store.adminUnit(code);
  if (!unit) throw new CoverageRequestError('NOT_FOUND', `${field}: no admin unit has code ${code}`);
  return unit;
}

/** Units of `level` inside `within` (or `within` itself at its own level), in code order. */
function unitsAtLevel(store: AtlasStore, context: CoverageContext, within: string, level: Exclude<CoverageGroupLevel, 'grid'>) {
  const key = `${within}|${level}`;
  const cached = recall(context.units, key);
  if (cached) return cached;
  const unit = requireUnit(store, within, 'within');
  const length = ADMIN_CODE_LENGTH[level];
  let frontier = [unit];
  while (frontier.length > 0 && frontier[0]!.code.length < length) {
    const next = frontier.flatMap((u) => store.adminChildren(u.code));
    if (next.length > COVERAGE_LIMITS.maxRows) {
      throw new CoverageRequestError(
        'BAD_REQUEST',
        `Too large: more than ${COVERAGE_LIMITS.maxRows.toLocaleString('en-US')} units at level ${next[0]!.level} inside ${within}; group by a coarser level or narrow within`,
      );
    }
    frontier = next;
  }
  const units = frontier.filter((u) => u.code.length === length);
  return remember(context.units, key, { codes: units.map((u) => u.code), names: units.map((u) => u.name) }, MAX_CACHED_UNIT_LISTS);
}

function checkGroupBy(within: string, groupBy: CoverageGroupLevel): void {
  const withinLevel = levelOfCode(within);
  const groupLength = groupBy === 'grid' ? GRID_CODE_LENGTH : ADMIN_CODE_LENGTH[groupBy];
  if (groupLength < within.length) {
    throw new CoverageRequestError('BAD_REQUEST', `groupBy: ${groupBy} is coarser than within (${within} is a ${withinLevel}); group by ${withinLevel} or finer`);
  }
}

/** Rows (code, name) of the groups and each demand point's group (−1: outside `within`); cached. */
function groupsFor(store: AtlasStore, context: CoverageContext, within: string, groupBy: CoverageGroupLevel) {
  const key = `${within}|${groupBy}`;
  const cached = recall(context.groups, key);
  if (cached) return cached;
  let codes: string[];
  let names: string[];
  if (groupBy === 'grid') {
    requireUnit(store, within, 'within');
    const count = store.countGrids({ withinCode: within });
    if (count > COVERAGE_LIMITS.maxRows) {
      throw new CoverageRequestError(
        'BAD_REQUEST',
        `Too large: ${count.toLocaleString('en-US')} grids inside ${within} (at most ${COVERAGE_LIMITS.maxRows.toLocaleString('en-US')} rows); narrow within or group by community`,
      );
    }
    const grids = store.grids({ withinCode: within });
    codes = grids.map((g) => g.code);
    names = grids.map((g) => g.name);
  } else {
    ({ codes, names } = unitsAtLevel(store, context, within, groupBy));
  }
  const length = groupBy === 'grid' ? GRID_CODE_LENGTH : ADMIN_CODE_LENGTH[groupBy];
  const rowOfCode = new Map(codes.map((code, i) => [code, i]));
  const { gridCodes, gridIndex } = context.demand;
  const rowOfGrid = Int32Array.from(gridCodes, (code) => (code.startsWith(within) ? (rowOfCode.get(code.slice(0, length)) ?? -1) : -1));
  const rowOfPoint = new Int32Array(gridIndex.length);
  for (let i = 0; i < gridIndex.length; i++) rowOfPoint[i] = rowOfGrid[gridIndex[i]!]!;
  return remember(context.groups, key, { codes, names, rowOfPoint }, MAX_CACHED_GROUPINGS);
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
  /** Residents (demand points) in the unit. */
  population: number;
  /** Residents within the limit of at least one facility of the kind. */
  coveredPopulation: number;
  /** coveredPopulation / population in [0, 1]; null when the unit has no residents in the data. */
  rate: number | null;
  /** Residents whose coverage was judged over the network (the rest: straight line × detour factor). */
  networkPopulation: number;
  method: CoverageMethod;
}

export interface RatesRequest extends LimitRequest {
  within: string;
  groupBy: CoverageGroupLevel;
}

/** Coverage rates of a kind per unit of `groupBy` inside `within`. */
export function coverageRates(store: AtlasStore, request: RatesRequest): CoverageRateRow[] {
  const limit = resolveLimit(request);
  checkGroupBy(request.within, request.groupBy);
  const context = coverageContext(store);
  const { codes, names, rowOfPoint } = groupsFor(store, context, request.within, request.groupBy);
  const state = demandCoverageStates(store, request.kind, limit.maxMeters);
  const totals = sumCoverageByGroup(rowOfPoint, codes.length, context.demand.population, state, context.demand.snap);
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
export function workstationCoverage(
  store: AtlasStore,
  request: { within: string; groupBy: Exclude<CoverageGroupLevel, 'grid'> },
): WorkstationRow[] {
  checkGroupBy(request.within, request.groupBy);
  const context = coverageContext(store);
  const units = unitsAtLevel(store, context, request.within, request.groupBy);
  const communities = request.groupBy === 'community' ? units : unitsAtLevel(store, context, request.within, 'community');
  const withWorkstation = new Set(
    facilitySet(store, context, 'governance_workstation')
      .records.filter((f) => f.communityCode.startsWith(request.within))
      .map((f) => f.communityCode),
  );
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

export interface GapsRequest extends LimitRequest {
  within: string;
  /** Grid polygons, or one point per grid at the centroid of its uncovered residents. */
  as?: 'polygons' | 'points';
}

/** Grids inside `within` with residents beyond the limit of every facility of the kind. */
export function coverageGaps(
  store: AtlasStore,
  request: GapsRequest,
): FeatureCollection<MultiPolygon | Point, GapProperties> & { parameters: CoverageParameters } {
  const parameters = coverageParameters(store, request);
  requireUnit(store, request.within, 'within');
  const context = coverageContext(store);
  const state = demandCoverageStates(store, request.kind, parameters.maxMeters);
  const { gridCodes, gridIndex, population, lngLat, snap } = context.demand;
  const gridCount = gridCodes.length;
  const inside = gridCodes.map((code) => code.startsWith(request.within));
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
  const as = request.as ?? 'polygons';
  let features: Feature<MultiPolygon | Point, GapProperties>[];
  if (as === 'points') {
    const names = gridNames(store, request.within, gaps.length);
    features = gaps.map((g) => ({
      type: 'Feature',
      id: gridCodes[g]!,
      properties: propertiesOf(g, names.get(gridCodes[g]!) ?? ''),
      geometry: { type: 'Point', coordinates: [round6(sumLng[g]! / uncovered[g]!), round6(sumLat[g]! / uncovered[g]!)] },
    }));
  } else {
    if (gaps.length > COVERAGE_LIMITS.maxGapPolygons) {
      throw new CoverageRequestError(
        'BAD_REQUEST',
        `Too large: ${gaps.length.toLocaleString('en-US')} grids with uncovered residents inside ${request.within} (at most ${COVERAGE_LIMITS.maxGapPolygons.toLocaleString('en-US')} polygons); ask as: "points" or narrow within`,
      );
    }
    const wanted = new Set(gaps.map((g) => gridCodes[g]!));
    const gridByCode = new Map(gaps.map((g) => [gridCodes[g]!, g]));
    features = store
      .grids({ withinCode: request.within })
      .filter((grid) => wanted.has(grid.code))
      .map((grid) => ({
        type: 'Feature',
        id: grid.code,
        properties: propertiesOf(gridByCode.get(grid.code)!, grid.name),
        geometry: grid.geometry,
      }));
  }
  return { type: 'FeatureCollection', parameters, features };
}

/** Grid names inside `within` (empty when there are too many grids to read their shapes for names). */
function gridNames(store: AtlasStore, within: string, wanted: number): Map<string, string> {
  if (wanted === 0 || store.countGrids({ withinCode: within }) > COVERAGE_LIMITS.maxRows) return new Map();
  return new Map(store.grids({ withinCode: within }).map((grid) => [grid.code, grid.name]));
}

const round6 = (value: number): number => Math.round(value * 1e6) / 1e6;

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

/** Service areas of the facilities of a kind inside `within`, dissolved or one per facility. */
export function serviceAreas(store: AtlasStore, request: ServiceAreasRequest): ServiceAreaCollection {
  const parameters = coverageParameters(store, request);
  requireUnit(store, request.within, 'within');
  const context = coverageContext(store);
  const dissolve = request.dissolve ?? true;
  const display = request.zoom === undefined ? null : displaySimplification(request.zoom);
  const key = JSON.stringify([request.kind, parameters.maxMeters, request.within, dissolve, display?.zoom ?? null]);
  const cached = recall(context.areas, key) as ServiceAreaCollection | undefined;
  if (cached) return { ...cached, parameters };
  const set = facilitySet(store, context, request.kind);
  const chosen: number[] = [];
  set.records.forEach((record, i) => {
    if (record.communityCode.startsWith(request.within)) chosen.push(i);
  });
  const { maxMeters, bufferMeters, detourFactor } = parameters;
  const discRadius = maxMeters / detourFactor;
  const base = { kind: request.kind, maxMeters };
  const features: Feature<MultiPolygon, ServiceAreaProperties>[] = [];
  const onNetwork = chosen.filter((i) => set.located.snap.edge[i]! >= 0);
  const offNetwork = chosen.filter((i) => set.located.snap.edge[i]! < 0);
  try {
    if (dissolve) {
      if (onNetwork.length > 0) {
        const traced = traceFacilities(context, set, onNetwork, maxMeters, bufferMeters, display);
        if (traced.coordinates.length > 0) {
          features.push(feature(traced.coordinates, { ...base, method: 'network', facilityId: null, facilityName: null, facilityCount: onNetwork.length, cellMeters: traced.cellMeters }));
        }
      }
      if (offNetwork.length > 0) {
        const lngLat = new Float64Array(offNetwork.length * 2);
        offNetwork.forEach((i, k) => lngLat.set(set.records[i]!.lngLat, k * 2));
        features.push(
          feature(dissolveDiscs(lngLat, discRadius, display?.simplifyMeters), { ...base, method: 'straight-line', facilityId: null, facilityName: null, facilityCount: offNetwork.length, cellMeters: null }),
        );
      }
    } else {
      if (chosen.length > COVERAGE_LIMITS.maxSeparateAreas) {
        throw new CoverageRequestError(
          'BAD_REQUEST',
          `Too large: ${chosen.length.toLocaleString('en-US')} facilities of kind ${request.kind} inside ${request.within} (at most ${COVERAGE_LIMITS.maxSeparateAreas} traced one by one); narrow within or ask dissolve: true`,
        );
      }
      for (const i of chosen) {
        const record = set.records[i]!;
        const one = { ...base, facilityId: record.id, facilityName: record.name, facilityCount: 1 };
        if (set.located.snap.edge[i]! >= 0) {
          const traced = traceFacilities(context, set, [i], maxMeters, bufferMeters, display);
          features.push(feature(traced.coordinates, { ...one, method: 'network', cellMeters: traced.cellMeters }));
        } else {
          features.push(feature([discPolygon(record.lngLat, discRadius)], { ...one, method: 'straight-line', cellMeters: null }));
        }
      }
    }
  } catch (error) {
    if (error instanceof ServiceAreaTooLargeError) {
      throw new CoverageRequestError('BAD_REQUEST', `Too large: ${error.message}; narrow within or ask a shorter limit`);
    }
    throw error;
  }
  const answer: ServiceAreaCollection = { type: 'FeatureCollection', parameters, display, features };
  return remember(context.areas, key, answer, MAX_CACHED_AREAS);
}

function feature(coordinates: LngLatMultiPolygon, properties: ServiceAreaProperties): Feature<MultiPolygon, ServiceAreaProperties> {
  return {
    type: 'Feature',
    id: properties.facilityId ?? `${properties.kind}-${properties.method}`,
    properties,
    geometry: { type: 'MultiPolygon', coordinates },
  };
}

/**
 * One search from the given facilities (indexes into the set, all on the network) and the traced
 * reachable network: the uncached work behind a network service-area feature.
 */
export function traceFacilities(
  context: CoverageContext,
  set: FacilitySet,
  members: readonly number[],
  maxMeters: number,
  bufferMeters: number,
  display: DisplaySimplification | null,
) {
  const graph = context.graph!;
  const edge = Int32Array.from(members, (i) => set.located.snap.edge[i]!);
  const fraction = Float64Array.from(members, (i) => set.located.snap.fraction[i]!);
  const access = Float64Array.from(members, (i) => set.located.snap.distanceMeters[i]!);
  computeNetworkCosts(graph, seedsAtSnappedPoints(graph, edge, fraction, access), maxMeters, context.workspace!);
  const intervals = context.collector!.collect(context.workspace!, maxMeters, new EdgeSourceIndex(graph.edgeCount, edge, fraction, access));
  return traceNetworkServiceArea(graph, intervals, { bufferMeters, barrierLines: context.barrierLines, ...(display ? { display } : {}) });
}

/** Facility kinds, for validation messages. */
export const COVERAGE_KINDS = FACILITY_KINDS;
