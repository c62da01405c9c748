// Siting orchestration between the plan router, the store and the siting analysis: loads and caches an
// area's demand points, the existing facilities of a kind and the candidate sites, builds travel costs
// through a coverage provider (straight-line × detour today; the walking network once it is loaded),
// runs the solver, keeps per-area coverage counts for incremental what-if evaluation, and formats exports.

import type { Highs } from 'highs';
import { FACILITY_KIND_LABELS, type FacilityKind } from '../domain/facility-kinds';
import { createStraightLineProvider, type CoverageProvider, type TravelCostModel } from '../analysis/siting/coverage-provider';
import { CoverageCounts } from '../analysis/siting/coverage-counts';
import { createNetworkCoverageProvider } from '../analysis/siting/network-coverage-provider';
import { EdgeSnapper } from '../analysis/network/edge-snapper';
import { buildRoadGraph, type RoadGraph } from '../analysis/network/road-graph';
import { solveSiting, type SitingMethod, type SitingObjective, type SitingSolution } from '../analysis/siting/solve-siting';
import { concatCandidateCosts, type CandidateCosts } from '../analysis/siting/candidate-costs';
import type { AtlasStore, BBox, FacilityRecord } from '../store/atlas-store';

export const CANDIDATE_SOURCES = ['grid-centroids', 'service-buildings', 'network-nodes'] as const;
export type CandidateSource = (typeof CANDIDATE_SOURCES)[number];
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
  /** Spacing of the network nodes offered as candidates (one per cell). */
  networkNodeSpacingMeters: 200,
} as const;

/**
 * Solve time limits (seconds) by method: 'auto' leaves HiGHS room for a city-wide LP after the
 * heuristics (a county-sized question is usually proven optimal well within it).
 */
const TIME_LIMIT_SECONDS: Record<SitingMethod, number> = { heuristic: 3, auto: 8, exact: 30 };

/** A request the service refuses: the router turns it into a tRPC error of the same code. */
export class SitingRequestError extends Error {
  readonly code: 'BAD_REQUEST' | 'NOT_FOUND';
  constructor(code: 'BAD_REQUEST' | 'NOT_FOUND', message: string) {
    super(message);
    this.code = code;
  }
}

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
}

export interface EvaluateResult {
  population: number;
  existingCount: number;
  before: { coveredPopulation: number; coverageRate: number };
  after: { coveredPopulation: number; coverageRate: number };
  delta: { coveredPopulation: number; coverageRate: number };
  /** Removals are applied first, then additions in order; each figure is relative to the steps before it. */
  removed: { id: number; name: string; lostPopulation: number }[];
  added: { lngLat: [number, number]; gainedPopulation: number }[];
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
  bbox: BBox;
  provider: CoverageProvider;
}

interface EvaluateSession {
  area: SitingArea;
  existing: FacilityRecord[];
  rowOfFacility: Map<number, number>;
  costs: CandidateCosts;
  counts: CoverageCounts;
}

interface Candidates {
  lngLat: Float64Array;
  labels: string[];
}

/** Below this share of an area's residents near the network, the area is treated as having none. */
const MIN_NETWORK_SHARE = 0.05;

export interface SitingServiceOptions {
  /**
   * Builds the provider for an area's demand points. Default: the walking network where one is loaded
   * and reaches the area (pairs off it: straight-line × 1.3), else straight-line × 1.3, at 4 km/h.
   */
  createProvider?: (demandLngLat: Float64Array) => CoverageProvider;
  /** Loads HiGHS (default: the npm highs package, once per process). */
  loadHighs?: () => Promise<Highs>;
}

let highsRuntime: Promise<Highs> | null = null;

/** The HiGHS WebAssembly runtime, loaded once per process. */
export function loadHighsRuntime(): Promise<Highs> {
  highsRuntime ??= import('highs').then((module) => module.default());
  return highsRuntime;
}

const services = new WeakMap<AtlasStore, SitingService>();

/** The service of a store (one per store, so caches follow the data). */
export function sitingServiceFor(store: AtlasStore): SitingService {
  let service = services.get(store);
  if (!service) {
    service = new SitingService(store);
    services.set(store, service);
  }
  return service;
}

/** A small least-recently-used cache. */
class Lru<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly capacity: number) {}
  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }
  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}

export class SitingService {
  private readonly store: AtlasStore;
  private readonly createProvider: (demandLngLat: Float64Array) => CoverageProvider;
  private readonly loadHighs: () => Promise<Highs>;
  private readonly areas = new Lru<SitingArea>(4);
  private readonly sessions = new Lru<EvaluateSession>(8);
  private readonly results = new Lru<OptimizeResult>(16);
  private readonly candidateLists = new Lru<Candidates>(8);
  /** Candidate rows by area, source, kind (service buildings leave out the kind's own) and minutes. */
  private readonly candidateCosts = new Lru<CandidateCosts>(8);
  private network: { graph: RoadGraph; snapper: EdgeSnapper } | null | undefined;

  constructor(store: AtlasStore, options: SitingServiceOptions = {}) {
    this.store = store;
    this.createProvider = options.createProvider ?? ((demandLngLat) => this.defaultProvider(demandLngLat));
    this.loadHighs = options.loadHighs ?? loadHighsRuntime;
  }

  /** The walking network as a graph with its edge snapper, built once (null when none is loaded). */
  private walkingNetwork(): { graph: RoadGraph; snapper: EdgeSnapper } | null {
    if (this.network === undefined) {
      const edges = this.store.roadNetwork();
      if (edges.edgeFrom.length === 0) this.network = null;
      else {
        const graph = buildRoadGraph(edges);
        this.network = { graph, snapper: new EdgeSnapper(graph) };
      }
    }
    return this.network;
  }

  private defaultProvider(demandLngLat: Float64Array): CoverageProvider {
    const network = this.walkingNetwork();
    if (network) {
      const provider = createNetworkCoverageProvider(network.graph, demandLngLat, { snapper: network.snapper });
      if (provider.snappedShare >= MIN_NETWORK_SHARE) return provider;
    }
    return createStraightLineProvider(demandLngLat);
  }

  /** Chooses new sites for one objective; see {@link OptimizeResult}. */
  async optimize(input: OptimizeInput): Promise<OptimizeResult> {
    const key = JSON.stringify(input);
    const cached = this.results.get(key);
    if (cached) return cached;
    const started = performance.now();
    checkObjectiveInputs(input);
    const area = this.area(input.within);
    const candidates = this.candidateSites(area, input.kind, input.candidates);
    const costKey = typeof input.candidates === 'string' ? `${input.within}|${input.candidates}|${input.kind}|${input.maxMinutes}` : null;
    let candidateCosts = costKey === null ? undefined : this.candidateCosts.get(costKey);
    if (!candidateCosts) {
      const pairs = area.provider.estimatePairs(candidates.lngLat, input.maxMinutes);
      if (pairs > SITING_LIMITS.maxPairs) {
        throw new SitingRequestError(
          'BAD_REQUEST',
          `Too large: about ${Math.round(pairs).toLocaleString('en-US')} (site, resident point) pairs within ${input.maxMinutes} min (at most ${SITING_LIMITS.maxPairs.toLocaleString('en-US')}); narrow within, lower maxMinutes or offer fewer candidates`,
        );
      }
      candidateCosts = area.provider.siteCosts(candidates.lngLat, input.maxMinutes);
      if (costKey !== null) this.candidateCosts.set(costKey, candidateCosts);
    }
    // Existing facilities first (fixed), then the candidates: the evaluation session holds their rows.
    const session = this.session(input.kind, input.maxMinutes, input.within);
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
    const highs = method === 'heuristic' ? undefined : await this.loadHighs();
    const solution = solveSiting(
      {
        objective: input.objective,
        costs,
        weightByDemand: area.population,
        fixed,
        allowed,
        radius: input.maxMinutes,
        newSites: input.newSites,
        targetRate: input.targetRate,
        unservedCost: input.maxMinutes,
      },
      { method, highs, timeLimitSeconds: TIME_LIMIT_SECONDS[method] },
    );
    const result = this.describe(input, area, existingCount, candidates, costs, solution, usable);
    result.elapsedMs = performance.now() - started;
    this.results.set(key, result);
    return result;
  }

  /**
   * Coverage change of adding points and removing existing facilities, from per-resident coverage
   * counts kept for the area: time proportional to the sites' catchments once the area is loaded.
   */
  evaluate(input: EvaluateInput): EvaluateResult {
    if (input.add.length + input.remove.length > SITING_LIMITS.maxEvaluateSites) {
      throw new SitingRequestError('BAD_REQUEST', `Too large: at most ${SITING_LIMITS.maxEvaluateSites} sites to add and remove per evaluation`);
    }
    const session = this.session(input.kind, input.maxMinutes, input.within);
    const seen = new Set<number>();
    input.remove.forEach((id, k) => {
      if (seen.has(id)) throw new SitingRequestError('BAD_REQUEST', `remove.${k}: facility ${id} is listed twice`);
      seen.add(id);
      if (!session.rowOfFacility.has(id)) {
        throw new SitingRequestError('BAD_REQUEST', `remove.${k}: facility ${id} is not a ${input.kind} facility serving ${input.within}`);
      }
    });
    const { area, counts, costs } = session;
    const started = performance.now();
    const before = counts.coveredWeight;
    const removedRows: number[] = [];
    const addedCosts: CandidateCosts[] = [];
    const removed: EvaluateResult['removed'] = [];
    const added: EvaluateResult['added'] = [];
    let after = before;
    try {
      for (const id of input.remove) {
        const row = session.rowOfFacility.get(id)!;
        const lost = counts.remove(costs.demandIndex, costs.offsets[row]!, costs.offsets[row + 1]!);
        removedRows.push(row);
        removed.push({ id, name: session.existing[row]!.name, lostPopulation: lost });
      }
      for (const [lng, lat] of input.add) {
        const site = area.provider.siteCosts(Float64Array.of(lng, lat), input.maxMinutes);
        const gained = counts.add(site.demandIndex, 0, site.demandIndex.length);
        addedCosts.push(site);
        added.push({ lngLat: [lng, lat], gainedPopulation: gained });
      }
      after = counts.coveredWeight;
    } finally {
      // Back to the existing facilities only, for the next evaluation.
      for (const site of addedCosts) counts.remove(site.demandIndex, 0, site.demandIndex.length);
      for (const row of removedRows) counts.add(costs.demandIndex, costs.offsets[row]!, costs.offsets[row + 1]!);
    }
    const updateMs = performance.now() - started;
    const rate = (covered: number) => (area.totalPopulation > 0 ? covered / area.totalPopulation : 0);
    return {
      population: area.totalPopulation,
      existingCount: session.existing.length,
      before: { coveredPopulation: before, coverageRate: rate(before) },
      after: { coveredPopulation: after, coverageRate: rate(after) },
      delta: { coveredPopulation: after - before, coverageRate: rate(after) - rate(before) },
      removed,
      added,
      travel: area.provider.model,
      updateMs,
    };
  }

  /** The optimisation's proposals (and the existing facilities) as GeoJSON, CSV or an Excel workbook. */
  async export(input: OptimizeInput & { format: ExportFormat; lang?: 'zh' | 'en' }): Promise<ExportFile> {
    const { format, lang = 'zh', ...request } = input;
    const result = await this.optimize(request);
    const base = `siting-${result.objective}-${result.kind}-${result.within}-${result.maxMinutes}min`;
    if (format === 'geojson') {
      return { filename: `${base}.geojson`, mimeType: 'application/geo+json', encoding: 'utf8', content: JSON.stringify(this.exportGeoJson(result, request)) };
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

  private exportGeoJson(result: OptimizeResult, request: OptimizeInput) {
    const area = this.area(request.within);
    const existing = this.existingFacilities(area, request.kind, request.maxMinutes);
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

  private describe(
    input: OptimizeInput,
    area: SitingArea,
    existingCount: number,
    candidates: Candidates,
    costs: CandidateCosts,
    solution: SitingSolution,
    usable: number,
  ): OptimizeResult {
    const counts = new CoverageCounts(area.population);
    for (let c = 0; c < existingCount; c++) counts.add(costs.demandIndex, costs.offsets[c]!, costs.offsets[c + 1]!);
    const open = new Uint8Array(costs.candidateCount);
    for (let c = 0; c < existingCount; c++) open[c] = 1;
    const before = this.figures(area, costs, open, counts.coveredWeight, input.maxMinutes);
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
    const after = this.figures(area, costs, open, counts.coveredWeight, input.maxMinutes);
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
      },
      feasible: solution.feasible,
      elapsedMs: 0,
    };
  }

  /** Coverage, mean and worst travel minutes (capped at maxMinutes) with the open sites. */
  private figures(area: SitingArea, costs: CandidateCosts, open: Uint8Array, coveredPopulation: number, maxMinutes: number): CoverageFigures {
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

  private area(within: string): SitingArea {
    const cached = this.areas.get(within);
    if (cached) return cached;
    const unit = this.store.adminUnit(within);
    if (!unit) throw new SitingRequestError('NOT_FOUND', `within: no admin unit has code ${within}`);
    const demand = this.store.demandPoints(within);
    const count = demand.population.length;
    if (count > SITING_LIMITS.maxDemandPoints) {
      throw new SitingRequestError(
        'BAD_REQUEST',
        `Too large: ${count.toLocaleString('en-US')} resident points in ${within} (at most ${SITING_LIMITS.maxDemandPoints.toLocaleString('en-US')}); choose a city, county or street`,
      );
    }
    if (count === 0) throw new SitingRequestError('BAD_REQUEST', `within: ${within} has no resident points (no demonstration data there)`);
    const population = Float64Array.from(demand.population);
    let totalPopulation = 0;
    let minLng = Infinity;
    let minLat = Infinity;
    let maxLng = -Infinity;
    let maxLat = -Infinity;
    for (let u = 0; u < count; u++) {
      totalPopulation += population[u]!;
      const lng = demand.lngLat[2 * u]!;
      const lat = demand.lngLat[2 * u + 1]!;
      if (lng < minLng) minLng = lng;
      if (lng > maxLng) maxLng = lng;
      if (lat < minLat) minLat = lat;
      if (lat > maxLat) maxLat = lat;
    }
    const area: SitingArea = {
      within,
      name: unit.name,
      demandLngLat: demand.lngLat,
      population,
      totalPopulation,
      bbox: [minLng, minLat, maxLng, maxLat],
      provider: this.createProvider(demand.lngLat),
    };
    this.areas.set(within, area);
    return area;
  }

  /** Facilities of the kind inside the area or near enough to serve its residents within maxMinutes. */
  private existingFacilities(area: SitingArea, kind: FacilityKind, maxMinutes: number): FacilityRecord[] {
    // Reach in metres at walking speed without detour: an upper bound for any provider.
    const reachMeters = (maxMinutes * area.provider.model.speedKmh * 1000) / 60;
    const midLat = ((area.bbox[1] + area.bbox[3]) / 2) * (Math.PI / 180);
    const dLat = reachMeters / 111_000;
    const dLng = reachMeters / (111_000 * Math.max(0.1, Math.cos(midLat)));
    const bbox: BBox = [area.bbox[0] - dLng, area.bbox[1] - dLat, area.bbox[2] + dLng, area.bbox[3] + dLat];
    return this.store.facilities({ kinds: [kind], bbox });
  }

  private candidateSites(area: SitingArea, kind: FacilityKind, spec: CandidateSpec): Candidates {
    const key = typeof spec === 'string' ? `${area.within}|${kind}|${spec}` : null;
    const cached = key === null ? undefined : this.candidateLists.get(key);
    if (cached) return cached;
    const candidates = this.readCandidateSites(area, kind, spec);
    if (key !== null) this.candidateLists.set(key, candidates);
    return candidates;
  }

  private readCandidateSites(area: SitingArea, kind: FacilityKind, spec: CandidateSpec): Candidates {
    let sites: { lngLat: [number, number]; label: string }[];
    if (typeof spec === 'object') {
      if (spec.points.length > SITING_LIMITS.maxUserPoints) {
        throw new SitingRequestError('BAD_REQUEST', `candidates.points: at most ${SITING_LIMITS.maxUserPoints} points, got ${spec.points.length}`);
      }
      sites = spec.points.map((lngLat, k) => ({ lngLat, label: `#${k + 1}` }));
    } else if (spec === 'grid-centroids') {
      sites = this.store.grids({ withinCode: area.within }).map((grid) => ({ lngLat: grid.labelLngLat, label: `${grid.name} (${grid.code})` }));
    } else if (spec === 'service-buildings') {
      // Buildings of other services where the new facility could move in; one candidate per location.
      const seen = new Set<string>();
      sites = [];
      for (const facility of this.store.facilities({ withinCode: area.within })) {
        if (facility.kind === kind) continue;
        const key = `${facility.lngLat[0].toFixed(6)},${facility.lngLat[1].toFixed(6)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        sites.push({ lngLat: facility.lngLat, label: facility.name });
      }
    } else {
      sites = this.networkNodes(area);
    }
    if (sites.length === 0) throw new SitingRequestError('BAD_REQUEST', `candidates: no ${typeof spec === 'string' ? spec : 'points'} in ${area.within}`);
    if (sites.length > SITING_LIMITS.maxCandidates) {
      throw new SitingRequestError(
        'BAD_REQUEST',
        `Too large: ${sites.length.toLocaleString('en-US')} candidates (at most ${SITING_LIMITS.maxCandidates.toLocaleString('en-US')}); narrow within or pass fewer points`,
      );
    }
    return { lngLat: lngLatOf(sites.map((site) => site.lngLat)), labels: sites.map((site) => site.label) };
  }

  /** Walking-network nodes inside the area's box, thinned to one per cell of the configured spacing. */
  private networkNodes(area: SitingArea): { lngLat: [number, number]; label: string }[] {
    const network = this.store.roadNetwork();
    const nodeCount = network.nodeLngLat.length / 2;
    if (nodeCount === 0) throw new SitingRequestError('BAD_REQUEST', 'candidates: no walking network is loaded (it covers urban Shenyang and Dalian); use grid-centroids or service-buildings');
    const [minLng, minLat, maxLng, maxLat] = area.bbox;
    const midLat = ((minLat + maxLat) / 2) * (Math.PI / 180);
    const cellLat = SITING_LIMITS.networkNodeSpacingMeters / 111_000;
    const cellLng = SITING_LIMITS.networkNodeSpacingMeters / (111_000 * Math.max(0.1, Math.cos(midLat)));
    const taken = new Set<number>();
    const nodes: { lngLat: [number, number]; label: string }[] = [];
    const columns = Math.ceil((maxLng - minLng) / cellLng) + 1;
    for (let i = 0; i < nodeCount; i++) {
      const lng = network.nodeLngLat[2 * i]!;
      const lat = network.nodeLngLat[2 * i + 1]!;
      if (lng < minLng || lng > maxLng || lat < minLat || lat > maxLat) continue;
      const cell = Math.floor((lat - minLat) / cellLat) * columns + Math.floor((lng - minLng) / cellLng);
      if (taken.has(cell)) continue;
      taken.add(cell);
      nodes.push({ lngLat: [lng, lat], label: `node ${i + 1}` });
    }
    if (nodes.length === 0) throw new SitingRequestError('BAD_REQUEST', `candidates: the walking network has no nodes in ${area.within}`);
    return nodes;
  }

  private session(kind: FacilityKind, maxMinutes: number, within: string): EvaluateSession {
    const key = `${kind}|${maxMinutes}|${within}`;
    const cached = this.sessions.get(key);
    if (cached) return cached;
    const area = this.area(within);
    const existing = this.existingFacilities(area, kind, maxMinutes);
    const costs = area.provider.siteCosts(lngLatOf(existing.map((facility) => facility.lngLat)), maxMinutes);
    const counts = new CoverageCounts(area.population);
    const rowOfFacility = new Map<number, number>();
    existing.forEach((facility, row) => {
      rowOfFacility.set(facility.id, row);
      counts.add(costs.demandIndex, costs.offsets[row]!, costs.offsets[row + 1]!);
    });
    const session = { area, existing, rowOfFacility, costs, counts };
    this.sessions.set(key, session);
    return session;
  }
}

function checkObjectiveInputs(input: OptimizeInput): void {
  if (input.objective === 'lscp') {
    if (input.targetRate === undefined) throw new SitingRequestError('BAD_REQUEST', 'targetRate: required for objective lscp (e.g. 0.9)');
  } else if (input.newSites === undefined) {
    throw new SitingRequestError('BAD_REQUEST', `newSites: required for objective ${input.objective}`);
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

const OBJECTIVE_LABELS_ZH: Record<SitingObjective, string> = {
  mclp: '最大覆盖（MCLP）',
  lscp: '集合覆盖至目标覆盖率（LSCP）',
  pmedian: 'p 中位（人口加权步行时间最短）',
  pcenter: 'p 中心（最远步行时间最短）',
};

const MEASURE_LABELS_ZH: Record<OptimizeResult['optimality']['measure'], string> = {
  'newly covered residents': '新增覆盖人口',
  'new sites': '新增站点数',
  'person-minutes': '人·分钟',
  minutes: '分钟',
};

function summaryRows(result: OptimizeResult, lang: 'zh' | 'en'): (string | number)[][] {
  const zh = lang === 'zh';
  const kindLabel = FACILITY_KIND_LABELS[result.kind][lang];
  const objectiveLabel = zh ? OBJECTIVE_LABELS_ZH[result.objective] : result.objective;
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
