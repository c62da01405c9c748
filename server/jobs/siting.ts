// Siting answers (plan.*) from the prepared data and the store: an area's residents (the prepared demand
// points inside it), the existing facilities of a kind and the candidate sites, travel costs through a
// coverage provider (the walking network where it reaches the area, else straight-line × detour), the
// solver, per-area coverage counts for incremental what-if evaluation (facilities closed or added,
// walking links added or cut as an overlay on the prepared network; per unit for scenario comparison),
// and the exports.

import type { CoverageProvider, TravelCostModel } from '../analysis/siting/coverage-provider';
import { createStraightLineProvider } from '../analysis/siting/coverage-provider';
import { CoverageCounts } from '../analysis/siting/coverage-counts';
import { createNetworkCoverageProvider, type NetworkCoverageProvider } from '../analysis/siting/network-coverage-provider';
import { buildNetworkOverlay, edgePointLngLat, type NetworkPoint } from '../analysis/network/network-overlay';
import { haversineMeters } from '../analysis/network/polyline-network';
import { solveSiting, type SitingEngine, type SitingMethod, type SitingObjective, type SitingSolution } from '../analysis/siting/solve-siting';
import { concatCandidateCosts, type CandidateCosts } from '../analysis/siting/candidate-costs';
import { codeLengthOf } from '../domain/admin-codes';
import { FACILITY_KIND_LABELS, type FacilityKind } from '../domain/facility-kinds';
import { SCENARIO_LIMITS, type LngLat, type ScenarioEdits, type ScenarioGroupBy } from '../domain/scenario';
import { SITING_OBJECTIVE_LABELS, type CandidateSource } from '../domain/siting';
import { metersForMinutes } from '../domain/travel-limits';
import { RequestError, requireUnit, tooLarge } from '../request-error';
import type { BBox, FacilityRecord } from '../store/atlas-store';
import { preparedOf, secondsLeft, type JobEnv } from './job-env';
import { estimateBytes } from './thread-cache';
import { cbcCoverSolver } from '../solvers/cbc-cover-solver';

/** Where candidate sites come from: a named source inside `within`, or the user's own points. */
export type CandidateSpec = CandidateSource | { points: [number, number][] };

/** Requests larger than these are refused with a message saying how to narrow them. */
export const SITING_LIMITS = {
  maxDemandPoints: 150_000,
  maxCandidates: 20_000,
  /** Own candidate points per request: they travel in the GET query string (Node reads 16 KiB of headers). */
  maxUserPoints: 300,
  /** (site, demand point) pairs within reach: memory and time grow with them. */
  maxPairs: 30_000_000,
  maxNewSites: 500,
  maxEvaluateSites: 200,
  /** Longest walking link a what-if may add (a footbridge, a gate through a wall), metres. */
  maxLinkMeters: 2_000,
  /** Spacing of the network nodes offered as candidates (one per cell). */
  networkNodeSpacingMeters: 200,
} as const;

/**
 * Solve time limits (seconds) by method: 'auto' leaves HiGHS room for a city-wide LP after the
 * heuristics (a county-sized question is usually proven optimal well within it).
 */
export const SITING_TIME_LIMIT_SECONDS: Record<SitingMethod, number> = { heuristic: 3, auto: 8, exact: 30 };

export interface OptimizeInput {
  kind: FacilityKind;
  /** Walking time that counts as served (the catchment); for pmedian and pcenter also the horizon. */
  maxMinutes: number;
  /** Admin code (prefix): demand points and candidates inside it. */
  within: string;
  objective: SitingObjective;
  newSites?: number;
  targetRate?: number;
  candidates: CandidateSpec;
  method?: SitingMethod;
}

export interface CoverageFigures {
  /** Residents within maxMinutes of an open facility. */
  coveredPopulation: number;
  /** coveredPopulation / population, 0..1. */
  coverageRate: number;
  /** Population-weighted mean of min(travel minutes, maxMinutes) (pmedian's objective per resident). */
  meanMinutes: number;
  /** Largest min(travel minutes, maxMinutes) over residents (pcenter's objective). */
  worstMinutes: number;
}

export interface Proposal {
  /** 1 = the site adding the most. */
  rank: number;
  lngLat: [number, number];
  /** Where the candidate came from: grid code, facility name, network node or "point k". */
  label: string;
  /** Residents newly within maxMinutes when this site opens after the existing facilities and the proposals ranked before it. */
  marginalPopulation: number;
  /** Covered residents once this and every higher-ranked proposal are open. */
  cumulativeCoveredPopulation: number;
  /** The objective's own decrease for this site in the same order: residents (mclp, lscp) or person-minutes (pmedian, pcenter). */
  marginalObjective: number;
}

export interface OptimizeResult {
  objective: SitingObjective;
  kind: FacilityKind;
  maxMinutes: number;
  within: string;
  withinName: string;
  /** How travel was measured (straight-line × detour or network). */
  travel: TravelCostModel;
  candidateSource: string;
  /** Candidates offered and those with at least one resident in reach (the ones the solver sees). */
  candidateCount: number;
  usableCandidateCount: number;
  existingCount: number;
  population: number;
  before: CoverageFigures;
  after: CoverageFigures;
  proposals: Proposal[];
  optimality: {
    /** What `value` and `bound` measure. */
    measure: 'newly covered residents' | 'new sites' | 'person-minutes' | 'minutes';
    value: number;
    /** Proven bound on the best possible value: upper (mclp) or lower (the others). */
    bound: number;
    /** |value − bound| / value: how far from optimal the answer can be (0 = proven optimal). */
    gap: number;
    provedOptimal: boolean;
    solver: string;
    boundSource: string;
    /** What carries the bound: CBC (a process), HiGHS in WebAssembly, or the heuristics' own bounds. */
    engine: SitingEngine;
  };
  /** False when the target cannot be met (lscp) or nobody can be served. */
  feasible: boolean;
  elapsedMs: number;
}

export interface EvaluateInput {
  kind: FacilityKind;
  maxMinutes: number;
  within: string;
  add: [number, number][];
  remove: number[];
  /** New straight walking links (footbridge, gate): from → to, WGS84 degrees. */
  addLinks?: [LngLat, LngLat][];
  /** Walking-network edge ids to cut (as geo.roads serves them). */
  removeLinks?: number[];
}

/** A grid whose covered residents an edit changes. */
export interface ChangedGrid {
  code: string;
  name: string;
  population: number;
  coveredBefore: number;
  coveredAfter: number;
}

/** Where an added link joins the walking network. */
export interface LinkEnd {
  /** The point on the network it joins (a node, or a point along an edge), WGS84 degrees. */
  lngLat: [number, number];
  /** Distance from the drawn end to that point, metres (walked as part of the link). */
  snapMeters: number;
  /** Id of the edge split there (geo.roads' id), or null when it joins a node. */
  edgeId: number | null;
}

export interface EvaluateResult {
  population: number;
  existingCount: number;
  before: { coveredPopulation: number; coverageRate: number };
  after: { coveredPopulation: number; coverageRate: number };
  delta: { coveredPopulation: number; coverageRate: number };
  /** Residents within maxMinutes after the edits and not before, and the reverse (delta = newlyCovered − newlyUncovered). */
  newlyCovered: number;
  newlyUncovered: number;
  /** Grids whose covered residents change, the largest change first. */
  changedGrids: ChangedGrid[];
  /**
   * Removals are applied first, then network edits, then additions in order; each figure is relative
   * to the steps before it.
   */
  removed: { id: number; name: string; lostPopulation: number }[];
  added: { lngLat: [number, number]; gainedPopulation: number }[];
  /** The links as built: where each end joins the network, and the link's own length (geodesic, metres). */
  addedLinks: { from: LinkEnd; to: LinkEnd; lengthMeters: number }[];
  removedLinks: { id: number; lengthMeters: number }[];
  travel: TravelCostModel;
  /** Time of the incremental update itself (after the area was loaded). */
  updateMs: number;
}

export type ExportFormat = 'geojson' | 'csv' | 'xlsx';

export interface ExportFile {
  filename: string;
  mimeType: string;
  /** 'utf8' text, or 'base64' for the binary xlsx. */
  encoding: 'utf8' | 'base64';
  content: string;
}

interface SitingArea {
  within: string;
  name: string;
  demandLngLat: Float64Array;
  population: Float64Array;
  totalPopulation: number;
  /** Grid of each resident point: an index into gridCodes (the area's grids with residents, in prepared order). */
  gridOfPoint: Uint32Array;
  gridCodes: string[];
  bbox: BBox;
  provider: CoverageProvider;
  /** The provider when it is the walking network (network edits need it). */
  network: NetworkCoverageProvider | null;
}

interface EvaluateSession {
  area: SitingArea;
  existing: FacilityRecord[];
  rowOfFacility: Map<number, number>;
  costs: CandidateCosts;
  counts: CoverageCounts;
  /** Edge each existing facility snapped to (-1: off the network), found at the first network edit. */
  siteEdge?: Int32Array;
}

interface Candidates {
  lngLat: Float64Array;
  labels: string[];
}

/** Below this share of an area's residents near the network, the area is treated as having none. */
const MIN_NETWORK_SHARE = 0.05;

const costsBytes = (costs: CandidateCosts): number => costs.offsets.byteLength + costs.demandIndex.byteLength + costs.cost.byteLength;

/**
 * The residents of `within` (the prepared demand points of its grids, in point order) and their travel
 * provider: the walking network where it reaches at least 5 % of them (pairs off it: straight-line ×
 * detour), else straight-line × detour, at 4 km/h.
 */
function areaOf(env: JobEnv, within: string): SitingArea {
  const prepared = preparedOf(env);
  return env.cache.memo(
    `${prepared.data.dataVersion}|siting-area|${within}`,
    () => {
      const unit = requireUnit(env.store, within, 'within');
      const { demand } = prepared;
      const insideGrid = Uint8Array.from(demand.gridCodes, (code) => (code.startsWith(within) ? 1 : 0));
      let count = 0;
      for (let u = 0; u < demand.count; u++) count += insideGrid[demand.gridIndex[u]!]!;
      if (count > SITING_LIMITS.maxDemandPoints) {
        throw tooLarge(
          `${count.toLocaleString('en-US')} resident points in ${within} (at most ${SITING_LIMITS.maxDemandPoints.toLocaleString('en-US')}); choose a city, county or street`,
        );
      }
      if (count === 0) throw new RequestError('BAD_REQUEST', `within: ${within} has no resident points (no demonstration data there)`);
      const demandLngLat = new Float64Array(count * 2);
      const population = new Float64Array(count);
      const gridOfPoint = new Uint32Array(count);
      const localGrid = new Int32Array(demand.gridCodes.length).fill(-1);
      const gridCodes: string[] = [];
      let [minLng, minLat, maxLng, maxLat] = [Infinity, Infinity, -Infinity, -Infinity];
      let totalPopulation = 0;
      for (let u = 0, k = 0; u < demand.count; u++) {
        const grid = demand.gridIndex[u]!;
        if (!insideGrid[grid]) continue;
        if (localGrid[grid] === -1) {
          localGrid[grid] = gridCodes.length;
          gridCodes.push(demand.gridCodes[grid]!);
        }
        gridOfPoint[k] = localGrid[grid]!;
        const lng = demand.lngLat[2 * u]!;
        const lat = demand.lngLat[2 * u + 1]!;
        demandLngLat[2 * k] = lng;
        demandLngLat[2 * k + 1] = lat;
        population[k] = demand.population[u]!;
        totalPopulation += population[k]!;
        minLng = Math.min(minLng, lng);
        maxLng = Math.max(maxLng, lng);
        minLat = Math.min(minLat, lat);
        maxLat = Math.max(maxLat, lat);
        k++;
      }
      let network: NetworkCoverageProvider | null = null;
      if (prepared.network) {
        network = createNetworkCoverageProvider(prepared.network.graph, demandLngLat, { snapper: prepared.network.snapper });
        if (network.snappedShare < MIN_NETWORK_SHARE) network = null;
      }
      return {
        within,
        name: unit.name,
        demandLngLat,
        population,
        totalPopulation,
        gridOfPoint,
        gridCodes,
        bbox: [minLng, minLat, maxLng, maxLat] as BBox,
        provider: network ?? createStraightLineProvider(demandLngLat),
        network,
      };
    },
    // The provider holds the points once more, snapped and indexed: about four times the coordinates.
    (area) => 5 * area.demandLngLat.byteLength + area.population.byteLength + area.gridOfPoint.byteLength + estimateBytes(area.gridCodes),
  );
}

/** Facilities of the kind inside the area or near enough to serve its residents within maxMinutes. */
function existingFacilities(env: JobEnv, area: SitingArea, kind: FacilityKind, maxMinutes: number): FacilityRecord[] {
  // Reach in metres at walking speed without detour: an upper bound for any provider.
  const reachMeters = metersForMinutes(maxMinutes, area.provider.model.speedKmh);
  const midLat = ((area.bbox[1] + area.bbox[3]) / 2) * (Math.PI / 180);
  const dLat = reachMeters / 111_000;
  const dLng = reachMeters / (111_000 * Math.max(0.1, Math.cos(midLat)));
  const bbox: BBox = [area.bbox[0] - dLng, area.bbox[1] - dLat, area.bbox[2] + dLng, area.bbox[3] + dLat];
  return env.store.facilities({ kinds: [kind], bbox });
}

/** Walking-network nodes inside the area's box, thinned to one per cell of the configured spacing. */
function networkNodeSites(env: JobEnv, area: SitingArea): { lngLat: [number, number]; label: string }[] {
  const network = preparedOf(env).network;
  if (!network) throw new RequestError('BAD_REQUEST', 'candidates: no walking network is loaded (it covers urban Shenyang and Dalian); use grid-centroids or service-buildings');
  const nodeLngLat = network.graph.nodeLngLat;
  const [minLng, minLat, maxLng, maxLat] = area.bbox;
  const midLat = ((minLat + maxLat) / 2) * (Math.PI / 180);
  const cellLat = SITING_LIMITS.networkNodeSpacingMeters / 111_000;
  const cellLng = SITING_LIMITS.networkNodeSpacingMeters / (111_000 * Math.max(0.1, Math.cos(midLat)));
  const taken = new Set<number>();
  const nodes: { lngLat: [number, number]; label: string }[] = [];
  const columns = Math.ceil((maxLng - minLng) / cellLng) + 1;
  for (let i = 0; i < network.graph.nodeCount; i++) {
    const lng = nodeLngLat[2 * i]!;
    const lat = nodeLngLat[2 * i + 1]!;
    if (lng < minLng || lng > maxLng || lat < minLat || lat > maxLat) continue;
    const cell = Math.floor((lat - minLat) / cellLat) * columns + Math.floor((lng - minLng) / cellLng);
    if (taken.has(cell)) continue;
    taken.add(cell);
    nodes.push({ lngLat: [lng, lat], label: `node ${i + 1}` });
  }
  if (nodes.length === 0) throw new RequestError('BAD_REQUEST', `candidates: the walking network has no nodes in ${area.within}`);
  return nodes;
}

function readCandidateSites(env: JobEnv, area: SitingArea, kind: FacilityKind, spec: CandidateSpec): Candidates {
  let sites: { lngLat: [number, number]; label: string }[];
  if (typeof spec === 'object') {
    if (spec.points.length > SITING_LIMITS.maxUserPoints) {
      throw new RequestError('BAD_REQUEST', `candidates.points: at most ${SITING_LIMITS.maxUserPoints} points, got ${spec.points.length}`);
    }
    sites = spec.points.map((lngLat, k) => ({ lngLat, label: `#${k + 1}` }));
  } else if (spec === 'grid-centroids') {
    sites = env.store.gridRecords({ withinCode: area.within }).map((grid) => ({ lngLat: grid.labelLngLat, label: `${grid.name} (${grid.code})` }));
  } else if (spec === 'service-buildings') {
    // Buildings of other services where the new facility could move in; one candidate per location.
    const seen = new Set<string>();
    sites = [];
    for (const facility of env.store.facilities({ withinCode: area.within })) {
      if (facility.kind === kind) continue;
      const key = `${facility.lngLat[0].toFixed(6)},${facility.lngLat[1].toFixed(6)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      sites.push({ lngLat: facility.lngLat, label: facility.name });
    }
  } else {
    sites = networkNodeSites(env, area);
  }
  if (sites.length === 0) throw new RequestError('BAD_REQUEST', `candidates: no ${typeof spec === 'string' ? spec : 'points'} in ${area.within}`);
  if (sites.length > SITING_LIMITS.maxCandidates) {
    throw tooLarge(
      `${sites.length.toLocaleString('en-US')} candidates (at most ${SITING_LIMITS.maxCandidates.toLocaleString('en-US')}); narrow within or pass fewer points`,
    );
  }
  return { lngLat: lngLatOf(sites.map((site) => site.lngLat)), labels: sites.map((site) => site.label) };
}

function candidateSites(env: JobEnv, area: SitingArea, kind: FacilityKind, spec: CandidateSpec): Candidates {
  if (typeof spec !== 'string') return readCandidateSites(env, area, kind, spec);
  return env.cache.memo(`${env.store.health().dataVersion}|candidates|${area.within}|${kind}|${spec}`, () => readCandidateSites(env, area, kind, spec), estimateBytes);
}

/** Existing facilities' rows and per-resident coverage counts of an area: the state what-if edits start from. */
function sessionOf(env: JobEnv, kind: FacilityKind, maxMinutes: number, within: string): EvaluateSession {
  return env.cache.memo(
    `${env.store.health().dataVersion}|siting-session|${kind}|${maxMinutes}|${within}`,
    () => {
      const area = areaOf(env, within);
      const existing = existingFacilities(env, area, kind, maxMinutes);
      const costs = area.provider.siteCosts(lngLatOf(existing.map((facility) => facility.lngLat)), maxMinutes);
      const counts = new CoverageCounts(area.population);
      const rowOfFacility = new Map<number, number>();
      existing.forEach((facility, row) => {
        rowOfFacility.set(facility.id, row);
        counts.add(costs.demandIndex, costs.offsets[row]!, costs.offsets[row + 1]!);
      });
      return { area, existing, rowOfFacility, costs, counts };
    },
    (session) => costsBytes(session.costs) + 8 * session.area.population.length + estimateBytes(session.existing),
  );
}

/** Chooses new sites for one objective; see {@link OptimizeResult}. */
export async function optimizeSiting(env: JobEnv, input: OptimizeInput): Promise<OptimizeResult> {
  const started = performance.now();
  checkObjectiveInputs(input);
  const area = areaOf(env, input.within);
  const candidates = candidateSites(env, area, input.kind, input.candidates);
  const computeCosts = (): CandidateCosts => {
    const pairs = area.provider.estimatePairs(candidates.lngLat, input.maxMinutes);
    if (pairs > SITING_LIMITS.maxPairs) {
      throw tooLarge(
        `about ${Math.round(pairs).toLocaleString('en-US')} (site, resident point) pairs within ${input.maxMinutes} min (at most ${SITING_LIMITS.maxPairs.toLocaleString('en-US')}); narrow within, lower maxMinutes or offer fewer candidates`,
      );
    }
    return area.provider.siteCosts(candidates.lngLat, input.maxMinutes);
  };
  const candidateCosts =
    typeof input.candidates === 'string'
      ? env.cache.memo(`${env.store.health().dataVersion}|candidate-costs|${input.within}|${input.candidates}|${input.kind}|${input.maxMinutes}`, computeCosts, costsBytes)
      : computeCosts();
  // Existing facilities first (fixed), then the candidates: the evaluation session holds their rows.
  const session = sessionOf(env, input.kind, input.maxMinutes, input.within);
  const costs = concatCandidateCosts(session.costs, candidateCosts);
  const existingCount = session.existing.length;
  const allowed = new Uint8Array(costs.candidateCount);
  let usable = 0;
  for (let c = existingCount; c < costs.candidateCount; c++) {
    if (costs.offsets[c + 1]! > costs.offsets[c]!) {
      allowed[c] = 1;
      usable++;
    }
  }
  const fixed = Uint32Array.from({ length: existingCount }, (_, k) => k);
  const method = input.method ?? 'auto';
  const highs = method === 'heuristic' ? undefined : await env.loadHighs();
  const problem = {
    objective: input.objective,
    costs,
    weightByDemand: area.population,
    fixed,
    allowed,
    radius: input.maxMinutes,
    newSites: input.newSites,
    targetRate: input.targetRate,
    unservedCost: input.maxMinutes,
  };
  // Leave a few seconds of the job's budget for describing the answer.
  const timeLimitSeconds = Math.min(SITING_TIME_LIMIT_SECONDS[method], Math.max(0.5, secondsLeft(env) - 3));
  if (method === 'exact') {
    // If the exact phase overruns the job's budget, the main thread answers with the heuristic's solution.
    const heuristic = solveSiting(problem, { method: 'heuristic', timeLimitSeconds: Math.min(SITING_TIME_LIMIT_SECONDS.heuristic, timeLimitSeconds / 4) });
    env.offerFallback(describeSolution(input, area, existingCount, candidates, costs, heuristic, usable, started));
  }
  // CBC (found at run time; ATLAS_CBC=none forces HiGHS) runs as a child process of this pool thread.
  const coverSolver = method === 'heuristic' || input.objective !== 'mclp' ? undefined : cbcCoverSolver();
  const solution = solveSiting(problem, { method, highs, coverSolver, timeLimitSeconds });
  return describeSolution(input, area, existingCount, candidates, costs, solution, usable, started);
}

function describeSolution(
  input: OptimizeInput,
  area: SitingArea,
  existingCount: number,
  candidates: Candidates,
  costs: CandidateCosts,
  solution: SitingSolution,
  usable: number,
  started: number,
): OptimizeResult {
  const counts = new CoverageCounts(area.population);
  for (let c = 0; c < existingCount; c++) counts.add(costs.demandIndex, costs.offsets[c]!, costs.offsets[c + 1]!);
  const open = new Uint8Array(costs.candidateCount);
  for (let c = 0; c < existingCount; c++) open[c] = 1;
  const before = coverageFigures(area, costs, open, counts.coveredWeight, input.maxMinutes);
  const proposals: Proposal[] = solution.sites.map((site, k) => {
    const gained = counts.add(costs.demandIndex, costs.offsets[site]!, costs.offsets[site + 1]!);
    open[site] = 1;
    const candidate = site - existingCount;
    return {
      rank: k + 1,
      lngLat: [round6(candidates.lngLat[2 * candidate]!), round6(candidates.lngLat[2 * candidate + 1]!)],
      label: candidates.labels[candidate]!,
      marginalPopulation: gained,
      cumulativeCoveredPopulation: counts.coveredWeight,
      marginalObjective: solution.marginalGains[k]!,
    };
  });
  const after = coverageFigures(area, costs, open, counts.coveredWeight, input.maxMinutes);
  const measure = { mclp: 'newly covered residents', lscp: 'new sites', pmedian: 'person-minutes', pcenter: 'minutes' } as const;
  const isCover = input.objective === 'mclp';
  return {
    objective: input.objective,
    kind: input.kind,
    maxMinutes: input.maxMinutes,
    within: input.within,
    withinName: area.name,
    travel: area.provider.model,
    candidateSource: typeof input.candidates === 'string' ? input.candidates : 'points',
    candidateCount: candidates.labels.length,
    usableCandidateCount: usable,
    existingCount,
    population: area.totalPopulation,
    before,
    after,
    proposals,
    optimality: {
      measure: measure[input.objective],
      // MCLP is reported on what the new sites add, so existing coverage does not hide the gap.
      value: isCover ? solution.value - solution.baseline : solution.value,
      bound: isCover ? solution.bound - solution.baseline : solution.bound,
      gap: isCover ? (solution.gapOfGain ?? solution.gap) : solution.gap,
      provedOptimal: solution.provedOptimal,
      solver: solution.solver,
      boundSource: solution.boundSource,
      engine: solution.engine,
    },
    feasible: solution.feasible,
    elapsedMs: performance.now() - started,
  };
}

/** Coverage, mean and worst travel minutes (capped at maxMinutes) with the open sites. */
function coverageFigures(area: SitingArea, costs: CandidateCosts, open: Uint8Array, coveredPopulation: number, maxMinutes: number): CoverageFigures {
  const nearest = new Float64Array(costs.demandCount).fill(maxMinutes);
  for (let c = 0; c < costs.candidateCount; c++) {
    if (!open[c]) continue;
    for (let k = costs.offsets[c]!, end = costs.offsets[c + 1]!; k < end; k++) {
      const u = costs.demandIndex[k]!;
      if (costs.cost[k]! < nearest[u]!) nearest[u] = costs.cost[k]!;
    }
  }
  let weighted = 0;
  let worst = 0;
  for (let u = 0; u < nearest.length; u++) {
    const weight = area.population[u]!;
    weighted += weight * nearest[u]!;
    if (weight > 0 && nearest[u]! > worst) worst = nearest[u]!;
  }
  const total = area.totalPopulation;
  return {
    coveredPopulation,
    coverageRate: total > 0 ? coveredPopulation / total : 0,
    meanMinutes: total > 0 ? weighted / total : 0,
    worstMinutes: worst,
  };
}

/** Names of the edit fields in a request, for error messages ("remove.2: …", "edits.removeFacilities.2: …"). */
interface EditFields {
  add: string;
  remove: string;
  addLinks: string;
  removeLinks: string;
}

/** A set of what-if edits to one session, applied as server/domain/scenario.ts orders them. */
interface EditRequest {
  add: readonly (readonly [number, number])[];
  remove: readonly number[];
  addLinks: readonly (readonly [LngLat, LngLat])[];
  removeLinks: readonly number[];
  fields: EditFields;
}

/** What a set of edits changed, the session's counts already restored. */
interface EditOutcome {
  before: number;
  after: number;
  newlyCovered: number;
  newlyUncovered: number;
  /** Resident points (area order) whose coverage changed, and +1 (newly covered) or −1 (newly uncovered) each. */
  changedPoints: number[];
  changedSigns: number[];
  removed: EvaluateResult['removed'];
  added: EvaluateResult['added'];
  addedLinks: EvaluateResult['addedLinks'];
  removedLinks: EvaluateResult['removedLinks'];
  updateMs: number;
}

/** One change to the coverage counts: a site's catchment (demandIndex[from … to − 1]) added (+1) or removed (−1). */
interface CountStep {
  demandIndex: ArrayLike<number>;
  from: number;
  to: number;
  sign: 1 | -1;
}

/**
 * Applies edits to the session's per-resident coverage counts and measures what changed, then puts the
 * counts back exactly as they were (also when a step throws): closures (each facility's catchment
 * removed), network edits (the catchments of the facilities they can reach recomputed on the edited
 * network: old removed, new added), then new facilities (on the edited network when there is one).
 */
function applyEdits(session: EvaluateSession, kind: FacilityKind, maxMinutes: number, within: string, request: EditRequest): EditOutcome {
  const { fields } = request;
  const seenIds = new Set<number>();
  request.remove.forEach((id, k) => {
    if (seenIds.has(id)) throw new RequestError('BAD_REQUEST', `${fields.remove}.${k}: facility ${id} is listed twice`);
    seenIds.add(id);
    if (!session.rowOfFacility.has(id)) {
      throw new RequestError('BAD_REQUEST', `${fields.remove}.${k}: facility ${id} is not a ${kind} facility serving ${within}`);
    }
  });
  const { area, counts, costs } = session;
  const started = performance.now();
  // Network edits first (validated and costed before any count changes), then new facilities' catchments.
  const network = networkEditOf(session, maxMinutes, request, seenIds);
  const addedSites = request.add.map(([lng, lat]) => network?.siteCosts(Float64Array.of(lng, lat)) ?? area.provider.siteCosts(Float64Array.of(lng, lat), maxMinutes));

  const before = counts.coveredWeight;
  const touchedSeen = new Uint8Array(area.population.length);
  const touched: number[] = [];
  const wasCovered: number[] = [];
  const applied: CountStep[] = [];
  const apply = (step: CountStep): number => {
    for (let k = step.from; k < step.to; k++) {
      const u = step.demandIndex[k]!;
      if (touchedSeen[u]) continue;
      touchedSeen[u] = 1;
      touched.push(u);
      wasCovered.push(counts.countByDemand[u]! > 0 ? 1 : 0);
    }
    const change = step.sign > 0 ? counts.add(step.demandIndex, step.from, step.to) : -counts.remove(step.demandIndex, step.from, step.to);
    applied.push(step);
    return change;
  };
  const removed: EvaluateResult['removed'] = [];
  const added: EvaluateResult['added'] = [];
  let after: number;
  const changedPoints: number[] = [];
  const changedSigns: number[] = [];
  let newlyCovered = 0;
  let newlyUncovered = 0;
  try {
    for (const id of request.remove) {
      const row = session.rowOfFacility.get(id)!;
      const lost = -apply({ demandIndex: costs.demandIndex, from: costs.offsets[row]!, to: costs.offsets[row + 1]!, sign: -1 });
      removed.push({ id, name: session.existing[row]!.name, lostPopulation: lost });
    }
    if (network) {
      for (const { row, costs: edited, candidate } of network.recomputed) {
        apply({ demandIndex: costs.demandIndex, from: costs.offsets[row]!, to: costs.offsets[row + 1]!, sign: -1 });
        apply({ demandIndex: edited.demandIndex, from: edited.offsets[candidate]!, to: edited.offsets[candidate + 1]!, sign: 1 });
      }
    }
    request.add.forEach(([lng, lat], k) => {
      const site = addedSites[k]!;
      const gained = apply({ demandIndex: site.demandIndex, from: 0, to: site.demandIndex.length, sign: 1 });
      added.push({ lngLat: [lng, lat], gainedPopulation: gained });
    });
    after = counts.coveredWeight;
    for (let t = 0; t < touched.length; t++) {
      const u = touched[t]!;
      const covered = counts.countByDemand[u]! > 0 ? 1 : 0;
      if (covered === wasCovered[t]) continue;
      changedPoints.push(u);
      changedSigns.push(covered ? 1 : -1);
      if (covered) newlyCovered += area.population[u]!;
      else newlyUncovered += area.population[u]!;
    }
  } finally {
    // Back to the existing facilities on the prepared network, for the next evaluation.
    for (let k = applied.length - 1; k >= 0; k--) {
      const step = applied[k]!;
      if (step.sign > 0) counts.remove(step.demandIndex, step.from, step.to);
      else counts.add(step.demandIndex, step.from, step.to);
    }
  }
  return {
    before,
    after,
    newlyCovered,
    newlyUncovered,
    changedPoints,
    changedSigns,
    removed,
    added,
    addedLinks: network?.addedLinks ?? [],
    removedLinks: network?.removedLinks ?? [],
    updateMs: performance.now() - started,
  };
}

/** The network side of a set of edits: the edited network's catchments of the facilities it can change, and what was built or cut. */
interface NetworkEdit {
  /** Existing facilities (session rows) whose catchment the edits can change, costed on the edited network (row `candidate` of `costs`). */
  recomputed: { row: number; costs: CandidateCosts; candidate: number }[];
  /** Travel costs from one new site on the edited network. */
  siteCosts(siteLngLat: Float64Array): CandidateCosts;
  addedLinks: EvaluateResult['addedLinks'];
  removedLinks: EvaluateResult['removedLinks'];
}

/** A link end closer than this (walking metres along its edge) to the edge's end joins that node. */
const LINK_NODE_TOLERANCE_METERS = 1;

/**
 * The walking-network side of a set of edits, as an overlay on the prepared graph (never rebuilt):
 * cut edges by id (geo.roads' id = the edge's index + 1, as the database is written), added links
 * with each end snapped to the nearest edge (joining its node when within a metre of it, else
 * splitting the edge there) and walked for the link's geodesic length plus both snap distances.
 * Only existing facilities whose catchment the edits can change are recosted: those within
 * maxMinutes of walking, as the crow flies, of a link end or a cut edge's end (any path to an edited
 * place is at least that long), and those standing on a cut edge. Homes and facilities on a cut
 * edge keep their way out at either end of it (see network-overlay.ts).
 */
function networkEditOf(session: EvaluateSession, maxMinutes: number, request: EditRequest, removedIds: Set<number>): NetworkEdit | null {
  if (request.addLinks.length === 0 && request.removeLinks.length === 0) return null;
  const { area } = session;
  const { fields } = request;
  const network = area.network;
  if (!network) {
    const field = request.addLinks.length > 0 ? fields.addLinks : fields.removeLinks;
    throw new RequestError('BAD_REQUEST', `${field}: the walking network does not reach ${area.name} (${area.within}); network edits need it`);
  }
  const { graph, snapper, maxSnapMeters } = network;
  const seen = new Set<number>();
  const cutEdges: number[] = [];
  // Places an edit touches ([lng, lat]): a facility farther than its reach from all of them keeps its catchment.
  const editedLngLat: number[] = [];
  const nodeLngLat = (node: number) => [graph.nodeLngLat[2 * node]!, graph.nodeLngLat[2 * node + 1]!] as [number, number];
  const removedLinks = request.removeLinks.map((id, k) => {
    const e = id - 1;
    if (!(Number.isInteger(id) && e >= 0 && e < graph.edgeCount)) {
      throw new RequestError('BAD_REQUEST', `${fields.removeLinks}.${k}: ${id} is not a walking-network edge id (geo.roads' id)`);
    }
    if (seen.has(id)) throw new RequestError('BAD_REQUEST', `${fields.removeLinks}.${k}: edge ${id} is listed twice`);
    seen.add(id);
    cutEdges.push(e);
    editedLngLat.push(...nodeLngLat(graph.edgeFrom[e]!), ...nodeLngLat(graph.edgeTo[e]!));
    return { id, lengthMeters: graph.edgeLengthMeters[e]! };
  });
  const cut = new Set(cutEdges);
  const endLngLat = new Float64Array(request.addLinks.length * 4);
  request.addLinks.forEach(([from, to], k) => endLngLat.set([from[0], from[1], to[0], to[1]], 4 * k));
  const snapped = snapper.snapLngLat(endLngLat, maxSnapMeters);
  const links: { from: NetworkPoint; to: NetworkPoint; lengthMeters: number }[] = [];
  const addedLinks: EvaluateResult['addedLinks'] = request.addLinks.map(([from, to], k) => {
    const lengthMeters = haversineMeters(from[0], from[1], to[0], to[1]);
    if (lengthMeters > SITING_LIMITS.maxLinkMeters) {
      throw new RequestError(
        'BAD_REQUEST',
        `${fields.addLinks}.${k}: the link is ${Math.round(lengthMeters)} m long (at most ${SITING_LIMITS.maxLinkMeters} m: a footbridge or a gate, not a road)`,
      );
    }
    const ends = ([0, 1] as const).map((side) => {
      const i = 2 * k + side;
      const name = side === 0 ? 'first' : 'second';
      const e = snapped.edge[i]!;
      if (e < 0) throw new RequestError('BAD_REQUEST', `${fields.addLinks}.${k}: its ${name} end is more than ${maxSnapMeters} m from the walking network`);
      const length = graph.edgeLengthMeters[e]!;
      const fraction = snapped.fraction[i]!;
      let point: NetworkPoint;
      let lngLat: [number, number];
      if (fraction * length <= LINK_NODE_TOLERANCE_METERS) {
        point = { node: graph.edgeFrom[e]! };
        lngLat = nodeLngLat(graph.edgeFrom[e]!);
      } else if ((1 - fraction) * length <= LINK_NODE_TOLERANCE_METERS) {
        point = { node: graph.edgeTo[e]! };
        lngLat = nodeLngLat(graph.edgeTo[e]!);
      } else {
        // Splitting an edge that is cut would join the link to nothing.
        if (cut.has(e)) {
          throw new RequestError('BAD_REQUEST', `${fields.addLinks}.${k}: its ${name} end lands on edge ${e + 1}, which ${fields.removeLinks} cuts; join it to another street`);
        }
        point = { edge: e, fraction };
        lngLat = edgePointLngLat(graph, e, fraction);
      }
      editedLngLat.push(lngLat[0], lngLat[1]);
      const end: LinkEnd = { lngLat: [round6(lngLat[0]), round6(lngLat[1])], snapMeters: snapped.distanceMeters[i]!, edgeId: 'edge' in point ? e + 1 : null };
      return { point, end };
    });
    links.push({ from: ends[0]!.point, to: ends[1]!.point, lengthMeters: ends[0]!.end.snapMeters + lengthMeters + ends[1]!.end.snapMeters });
    return { from: ends[0]!.end, to: ends[1]!.end, lengthMeters };
  });
  const overlay = buildNetworkOverlay(graph, { cutEdges, links });

  // Straight-line bound with room for the local projection's scale error and short edges' rounding.
  const reachMeters = metersForMinutes(maxMinutes, network.model.speedKmh) * 1.1 + 50;
  session.siteEdge ??= snapper.snapLngLat(lngLatOf(session.existing.map((facility) => facility.lngLat)), maxSnapMeters).edge;
  const rows: number[] = [];
  session.existing.forEach((facility, row) => {
    if (removedIds.has(facility.id)) return;
    let near = cut.has(session.siteEdge![row]!);
    for (let p = 0; !near && p < editedLngLat.length; p += 2) {
      near = haversineMeters(facility.lngLat[0], facility.lngLat[1], editedLngLat[p]!, editedLngLat[p + 1]!) <= reachMeters;
    }
    if (near) rows.push(row);
  });
  const costs = rows.length > 0 ? network.siteCostsOnOverlay(lngLatOf(rows.map((row) => session.existing[row]!.lngLat)), maxMinutes, overlay) : null;
  return {
    recomputed: rows.map((row, candidate) => ({ row, costs: costs!, candidate })),
    siteCosts: (siteLngLat) => network.siteCostsOnOverlay(siteLngLat, maxMinutes, overlay),
    addedLinks,
    removedLinks,
  };
}

/** Grids of the area whose covered population changes, with their residents and covered residents before and after. */
function changedGridsOf(env: JobEnv, session: EvaluateSession, outcome: EditOutcome): ChangedGrid[] {
  const { area, counts } = session;
  if (outcome.changedPoints.length === 0) return [];
  const deltaByGrid = new Map<number, number>();
  outcome.changedPoints.forEach((u, k) => {
    const grid = area.gridOfPoint[u]!;
    deltaByGrid.set(grid, (deltaByGrid.get(grid) ?? 0) + outcome.changedSigns[k]! * area.population[u]!);
  });
  const populationByGrid = new Float64Array(area.gridCodes.length);
  const coveredByGrid = new Float64Array(area.gridCodes.length);
  for (let u = 0; u < area.population.length; u++) {
    const grid = area.gridOfPoint[u]!;
    populationByGrid[grid]! += area.population[u]!;
    if (counts.countByDemand[u]! > 0) coveredByGrid[grid]! += area.population[u]!;
  }
  const names = gridNamesOf(env, area.within);
  return [...deltaByGrid]
    .filter(([, delta]) => delta !== 0)
    .map(([grid, delta]) => ({
      code: area.gridCodes[grid]!,
      name: names.get(area.gridCodes[grid]!) ?? area.gridCodes[grid]!,
      population: populationByGrid[grid]!,
      coveredBefore: coveredByGrid[grid]!,
      coveredAfter: coveredByGrid[grid]! + delta,
    }))
    .sort((a, b) => Math.abs(b.coveredAfter - b.coveredBefore) - Math.abs(a.coveredAfter - a.coveredBefore) || a.code.localeCompare(b.code));
}

/** Grid names inside a unit, by code. */
function gridNamesOf(env: JobEnv, within: string): Map<string, string> {
  return env.cache.memo(
    `${env.store.health().dataVersion}|siting-grid-names|${within}`,
    () => new Map(env.store.gridRecords({ withinCode: within }).map((grid) => [grid.code, grid.name])),
    estimateBytes,
  );
}

/**
 * Coverage change of closing existing facilities, editing the walking network and adding new sites,
 * from per-resident coverage counts kept for the area: time proportional to the catchments that change
 * once the area is loaded.
 */
export function evaluateSiting(env: JobEnv, input: EvaluateInput): EvaluateResult {
  if (input.add.length + input.remove.length > SITING_LIMITS.maxEvaluateSites) {
    throw tooLarge(`at most ${SITING_LIMITS.maxEvaluateSites} sites to add and remove per evaluation`);
  }
  const addLinks = input.addLinks ?? [];
  const removeLinks = input.removeLinks ?? [];
  if (addLinks.length + removeLinks.length > SCENARIO_LIMITS.maxLinks) {
    throw tooLarge(`at most ${SCENARIO_LIMITS.maxLinks} links to add and remove per evaluation`);
  }
  const session = sessionOf(env, input.kind, input.maxMinutes, input.within);
  const outcome = applyEdits(session, input.kind, input.maxMinutes, input.within, {
    add: input.add,
    remove: input.remove,
    addLinks,
    removeLinks,
    fields: { add: 'add', remove: 'remove', addLinks: 'addLinks', removeLinks: 'removeLinks' },
  });
  const { area } = session;
  const { before, after } = outcome;
  const rate = (covered: number) => (area.totalPopulation > 0 ? covered / area.totalPopulation : 0);
  return {
    population: area.totalPopulation,
    existingCount: session.existing.length,
    before: { coveredPopulation: before, coverageRate: rate(before) },
    after: { coveredPopulation: after, coverageRate: rate(after) },
    delta: { coveredPopulation: after - before, coverageRate: rate(after) - rate(before) },
    newlyCovered: outcome.newlyCovered,
    newlyUncovered: outcome.newlyUncovered,
    changedGrids: changedGridsOf(env, session, outcome),
    removed: outcome.removed,
    added: outcome.added,
    addedLinks: outcome.addedLinks,
    removedLinks: outcome.removedLinks,
    travel: area.provider.model,
    updateMs: outcome.updateMs,
  };
}

export interface EvaluateUnitsInput {
  kind: FacilityKind;
  maxMinutes: number;
  within: string;
  edits: ScenarioEdits;
  groupBy: ScenarioGroupBy;
}

export interface UnitCoverage {
  code: string;
  name: string;
  /** Residents (the prepared resident points of the unit). */
  population: number;
  /** Residents within maxMinutes of an open facility, with the existing facilities and after the edits. */
  coveredBefore: number;
  coveredAfter: number;
}

export interface EvaluateUnitsResult {
  population: number;
  coveredBefore: number;
  coveredAfter: number;
  newlyCovered: number;
  newlyUncovered: number;
  /** Every unit of level groupBy inside within, in code order (units without residents have population 0). */
  units: UnitCoverage[];
}

/**
 * A scenario's edits evaluated per unit: covered residents before and after for every unit of level
 * `groupBy` inside `within` (scenario.compare runs it for each side).
 */
export function evaluateEditsByUnit(env: JobEnv, input: EvaluateUnitsInput): EvaluateUnitsResult {
  const { edits } = input;
  if (edits.addFacilities.length > SCENARIO_LIMITS.maxSites || edits.removeFacilities.length > SCENARIO_LIMITS.maxSites) {
    throw tooLarge(`at most ${SCENARIO_LIMITS.maxSites} facilities to add and ${SCENARIO_LIMITS.maxSites} to remove per scenario`);
  }
  if (edits.addLinks.length > SCENARIO_LIMITS.maxLinks || edits.removeLinks.length > SCENARIO_LIMITS.maxLinks) {
    throw tooLarge(`at most ${SCENARIO_LIMITS.maxLinks} links to add and ${SCENARIO_LIMITS.maxLinks} to remove per scenario`);
  }
  const groupLength = codeLengthOf(input.groupBy);
  if (groupLength < input.within.length) {
    throw new RequestError('BAD_REQUEST', `groupBy: ${input.groupBy} is coarser than within (${input.within}); group by a finer level`);
  }
  const session = sessionOf(env, input.kind, input.maxMinutes, input.within);
  const { area, counts } = session;
  const units = unitsOf(env, input.within, input.groupBy);
  // Unit row of each of the area's grids (by code prefix).
  const rowOfCode = new Map(units.codes.map((code, row) => [code, row]));
  const rowOfGrid = Int32Array.from(area.gridCodes, (code) => rowOfCode.get(code.slice(0, groupLength)) ?? -1);
  const population = new Float64Array(units.codes.length);
  const coveredBefore = new Float64Array(units.codes.length);
  for (let u = 0; u < area.population.length; u++) {
    const row = rowOfGrid[area.gridOfPoint[u]!]!;
    if (row < 0) continue;
    population[row]! += area.population[u]!;
    if (counts.countByDemand[u]! > 0) coveredBefore[row]! += area.population[u]!;
  }
  const outcome = applyEdits(session, input.kind, input.maxMinutes, input.within, {
    add: edits.addFacilities.map((site) => site.lngLat),
    remove: edits.removeFacilities,
    addLinks: edits.addLinks,
    removeLinks: edits.removeLinks,
    fields: { add: 'edits.addFacilities', remove: 'edits.removeFacilities', addLinks: 'edits.addLinks', removeLinks: 'edits.removeLinks' },
  });
  const coveredAfter = Float64Array.from(coveredBefore);
  outcome.changedPoints.forEach((u, k) => {
    const row = rowOfGrid[area.gridOfPoint[u]!]!;
    if (row >= 0) coveredAfter[row]! += outcome.changedSigns[k]! * area.population[u]!;
  });
  return {
    population: area.totalPopulation,
    coveredBefore: outcome.before,
    coveredAfter: outcome.after,
    newlyCovered: outcome.newlyCovered,
    newlyUncovered: outcome.newlyUncovered,
    units: units.codes.map((code, row) => ({
      code,
      name: units.names[row]!,
      population: population[row]!,
      coveredBefore: coveredBefore[row]!,
      coveredAfter: coveredAfter[row]!,
    })),
  };
}

/** Units of a level inside `within` (within itself at its own level), in code order, with their names. */
function unitsOf(env: JobEnv, within: string, level: ScenarioGroupBy): { codes: string[]; names: string[] } {
  const { store } = env;
  return env.cache.memo(
    `${store.health().dataVersion}|siting-units|${within}|${level}`,
    () => {
      if (level === 'grid') {
        const grids = store.gridRecords({ withinCode: within });
        return { codes: grids.map((grid) => grid.code), names: grids.map((grid) => grid.name) };
      }
      const length = codeLengthOf(level);
      let frontier = [requireUnit(store, within, 'within')];
      while (frontier.length > 0 && frontier[0]!.code.length < length) frontier = frontier.flatMap((unit) => store.adminChildren(unit.code));
      const units = frontier.filter((unit) => unit.code.length === length);
      return { codes: units.map((unit) => unit.code), names: units.map((unit) => unit.name) };
    },
    estimateBytes,
  );
}

export interface ExportInput {
  /** The optimisation to export (plan.optimize's answer for the same request). */
  result: OptimizeResult;
  format: ExportFormat;
  lang?: 'zh' | 'en';
}

/** An optimisation's proposals (and the existing facilities) as GeoJSON, CSV or an Excel workbook. */
export async function exportSiting(env: JobEnv, input: ExportInput): Promise<ExportFile> {
  const { result, format, lang = 'zh' } = input;
  const base = `siting-${result.objective}-${result.kind}-${result.within}-${result.maxMinutes}min`;
  if (format === 'geojson') {
    return { filename: `${base}.geojson`, mimeType: 'application/geo+json', encoding: 'utf8', content: JSON.stringify(exportGeoJson(env, result)) };
  }
  const header = exportHeader(lang);
  const rows = result.proposals.map((proposal) => [
    proposal.rank,
    round6(proposal.lngLat[0]),
    round6(proposal.lngLat[1]),
    proposal.label,
    Math.round(proposal.marginalPopulation),
    Math.round(proposal.cumulativeCoveredPopulation),
    roundTo(proposal.marginalObjective, 2),
  ]);
  if (format === 'csv') {
    const lines = [header, ...rows].map((row) => row.map(csvCell).join(','));
    // The byte-order mark lets Excel open Chinese text as UTF-8.
    return { filename: `${base}.csv`, mimeType: 'text/csv; charset=utf-8', encoding: 'utf8', content: `\uFEFF${lines.join('\r\n')}\r\n` };
  }
  // exceljs is CommonJS: under Node's ESM loader its exports arrive as the default export.
  const excel = await import('exceljs');
  const { Workbook } = (excel as unknown as { default?: typeof excel }).default ?? excel;
  const workbook = new Workbook();
  workbook.creator = 'Pingan Atlas';
  const proposalsSheet = workbook.addWorksheet(lang === 'zh' ? '选址方案' : 'Proposals');
  proposalsSheet.addRow(header);
  for (const row of rows) proposalsSheet.addRow(row);
  proposalsSheet.getRow(1).font = { bold: true };
  for (let k = 1; k <= header.length; k++) proposalsSheet.getColumn(k).width = k === 4 ? 28 : 16;
  const summarySheet = workbook.addWorksheet(lang === 'zh' ? '摘要' : 'Summary');
  for (const row of summaryRows(result, lang)) summarySheet.addRow(row);
  summarySheet.getColumn(1).width = 30;
  summarySheet.getColumn(2).width = 60;
  const buffer = await workbook.xlsx.writeBuffer();
  return {
    filename: `${base}.xlsx`,
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    encoding: 'base64',
    content: Buffer.from(buffer as unknown as ArrayBuffer).toString('base64'),
  };
}

function exportGeoJson(env: JobEnv, result: OptimizeResult) {
  const area = areaOf(env, result.within);
  const existing = existingFacilities(env, area, result.kind, result.maxMinutes);
  return {
    type: 'FeatureCollection' as const,
    // Foreign members (RFC 7946 §6.1): the answer's summary travels with the points.
    siting: {
      objective: result.objective,
      kind: result.kind,
      maxMinutes: result.maxMinutes,
      within: result.within,
      travel: result.travel,
      before: result.before,
      after: result.after,
      optimality: result.optimality,
    },
    features: [
      ...result.proposals.map((proposal) => ({
        type: 'Feature' as const,
        geometry: { type: 'Point' as const, coordinates: [round6(proposal.lngLat[0]), round6(proposal.lngLat[1])] },
        properties: { role: 'proposal', ...proposal, lngLat: undefined },
      })),
      ...existing.map((facility) => ({
        type: 'Feature' as const,
        geometry: { type: 'Point' as const, coordinates: [round6(facility.lngLat[0]), round6(facility.lngLat[1])] },
        properties: { role: 'existing', id: facility.id, name: facility.name, kind: facility.kind },
      })),
    ],
  };
}

function checkObjectiveInputs(input: OptimizeInput): void {
  if (input.objective === 'lscp') {
    if (input.targetRate === undefined) throw new RequestError('BAD_REQUEST', 'targetRate: required for objective lscp (e.g. 0.9)');
  } else if (input.newSites === undefined) {
    throw new RequestError('BAD_REQUEST', `newSites: required for objective ${input.objective}`);
  }
}

function lngLatOf(points: readonly (readonly [number, number])[]): Float64Array {
  const out = new Float64Array(points.length * 2);
  points.forEach(([lng, lat], k) => {
    out[2 * k] = lng;
    out[2 * k + 1] = lat;
  });
  return out;
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function roundTo(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function exportHeader(lang: 'zh' | 'en'): string[] {
  return lang === 'zh'
    ? ['序号', '经度', '纬度', '候选点', '新增覆盖人口', '累计覆盖人口', '目标改善量']
    : ['rank', 'lng', 'lat', 'candidate', 'marginal_population', 'cumulative_covered_population', 'marginal_objective'];
}

const MEASURE_LABELS_ZH: Record<OptimizeResult['optimality']['measure'], string> = {
  'newly covered residents': '新增覆盖人口',
  'new sites': '新增站点数',
  'person-minutes': '人·分钟',
  minutes: '分钟',
};

function summaryRows(result: OptimizeResult, lang: 'zh' | 'en'): (string | number)[][] {
  const zh = lang === 'zh';
  const kindLabel = FACILITY_KIND_LABELS[result.kind][lang];
  const objectiveLabel = SITING_OBJECTIVE_LABELS[result.objective].name[lang];
  const measure = zh ? MEASURE_LABELS_ZH[result.optimality.measure] : result.optimality.measure;
  const percent = (rate: number) => `${(rate * 100).toFixed(2)}%`;
  return [
    [zh ? '设施类型' : 'Facility kind', kindLabel],
    [zh ? '范围' : 'Area', `${result.withinName} (${result.within})`],
    [zh ? '目标' : 'Objective', objectiveLabel],
    [zh ? '步行时间上限（分钟）' : 'Max walking minutes', result.maxMinutes],
    [zh ? '出行时间算法' : 'Travel time', result.travel.label[lang]],
    [zh ? '常住人口' : 'Residents', result.population],
    [zh ? '现有设施数' : 'Existing facilities', result.existingCount],
    [zh ? '覆盖率（现状）' : 'Coverage before', percent(result.before.coverageRate)],
    [zh ? '覆盖率（方案）' : 'Coverage after', percent(result.after.coverageRate)],
    [zh ? '目标值' : 'Objective value', `${roundTo(result.optimality.value, 2)} (${measure})`],
    [zh ? '最优界' : 'Bound', roundTo(result.optimality.bound, 2)],
    [zh ? '最优性差距' : 'Optimality gap', percent(result.optimality.gap)],
    [zh ? '求解方法' : 'Solver', result.optimality.solver],
    [zh ? '界的来源' : 'Bound from', result.optimality.boundSource],
    [zh ? '说明' : 'Note', zh ? '演示数据' : 'Demonstration data'],
  ];
}
