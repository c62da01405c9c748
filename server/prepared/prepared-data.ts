// The prepared data of one data version: the walking network as a CSR graph with its edge snapper and
// barriers, every residential demand point located on the network (with its H3 cell and town/village
// grid), every facility of each kind located likewise, and each dispute's H3 cell. Built once from the
// store, in shared memory (buildPreparedData), then read by every thread of the pool without copies
// (viewPreparedData: no work beyond wrapping the buffers).

import { FACILITY_KINDS, type FacilityKind } from '../domain/facility-kinds';
import { DEFAULT_MAX_SNAP_METERS } from '../domain/travel-limits';
import { locatePoints, locatedPointsFromParts, locatedPointsToParts, type LocatedPoints, type LocatedPointsParts } from '../analysis/coverage/demand-coverage';
import { binPointsToH3 } from '../analysis/hotspots/h3-cells';
import { EdgeSnapper, type EdgeSnapperParts } from '../analysis/network/edge-snapper';
import { createLocalProjection } from '../analysis/geo/local-projection';
import { buildRoadGraph, type RoadGraph } from '../analysis/network/road-graph';
import type { AtlasStore } from '../store/atlas-store';
import { shareStructure, structureBytes } from './shared-memory';

/** H3 resolution residents and disputes are binned at (coarser cells are its parents). */
export const PREPARED_H3_RESOLUTION = 9;

/** The road graph without its projection object (functions do not cross threads): its origin instead. */
export type SharedRoadGraph = Omit<RoadGraph, 'projection'> & { projectionOrigin: [number, number] };

export interface PreparedNetwork {
  graph: SharedRoadGraph;
  snapper: EdgeSnapperParts;
  /** Barrier polylines (rivers, railways): line l is points barrierOffsets[l] … barrierOffsets[l + 1] - 1 of barrierLngLat. */
  barrierOffsets: Uint32Array;
  barrierLngLat: Float64Array;
}

export interface PreparedDemand {
  located: LocatedPointsParts;
  /** Residents each point stands for. */
  population: Uint32Array;
  /** Grid of each point (index into gridCodes). */
  gridIndex: Uint32Array;
  /** Grid codes (15 digits, exact as doubles). */
  gridCodes: Float64Array;
  /** 1 for a town (urban) grid, 0 for a village grid, per grid. */
  gridUrban: Uint8Array;
  /** H3 cell (resolution 9, as a key: see h3-cells.ts) of each point. */
  cellKeys: Float64Array;
}

export interface PreparedFacilities {
  /** Facility ids of the kind, in id order. */
  id: Uint32Array;
  /** Community code of each (12 digits, exact as doubles). */
  communityCode: Float64Array;
  located: LocatedPointsParts;
}

/** Plain, structured-cloneable; every array in shared memory. */
export interface PreparedData {
  dataVersion: string;
  network: PreparedNetwork | null;
  demand: PreparedDemand;
  facilities: Record<FacilityKind, PreparedFacilities>;
  /** H3 cell key (resolution 9) of each dispute by id (NaN where none: ids after the build). */
  disputeCellById: Float64Array;
  /** Time the build took, ms, and the shared memory it holds, bytes. */
  buildMs: number;
  bytes: number;
}

/** Builds the prepared data of the store's current data version (seconds on the province; run it off the event loop). */
export function buildPreparedData(store: AtlasStore): PreparedData {
  const started = performance.now();
  const edges = store.roadNetwork();
  const graph = edges.edgeFrom.length > 0 ? buildRoadGraph(edges) : null;
  const snapper = graph ? new EdgeSnapper(graph) : null;
  let network: PreparedNetwork | null = null;
  if (graph && snapper) {
    let [minLng, minLat, maxLng, maxLat] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let i = 0; i < graph.nodeLngLat.length; i += 2) {
      minLng = Math.min(minLng, graph.nodeLngLat[i]!);
      maxLng = Math.max(maxLng, graph.nodeLngLat[i]!);
      minLat = Math.min(minLat, graph.nodeLngLat[i + 1]!);
      maxLat = Math.max(maxLat, graph.nodeLngLat[i + 1]!);
    }
    const lines = store.barriers([minLng, minLat, maxLng, maxLat]).map((barrier) => barrier.geometry.coordinates);
    const barrierOffsets = new Uint32Array(lines.length + 1);
    lines.forEach((line, l) => (barrierOffsets[l + 1] = barrierOffsets[l]! + line.length));
    const barrierLngLat = Float64Array.from(lines.flatMap((line) => line.flatMap(([lng, lat]) => [lng!, lat!])));
    const { projection, ...arrays } = graph;
    network = { graph: { ...arrays, projectionOrigin: [projection.origin[0], projection.origin[1]] }, snapper: snapper.toParts(), barrierOffsets, barrierLngLat };
  }

  const points = store.demandPoints();
  const urbanByCode = new Map(store.gridRecords({}).map((grid) => [grid.code, grid.urban]));
  const demand: PreparedDemand = {
    located: locatedPointsToParts(locatePoints(snapper, points.lngLat, DEFAULT_MAX_SNAP_METERS)),
    population: points.population,
    gridIndex: points.gridIndex,
    gridCodes: Float64Array.from(points.gridCodes, Number),
    gridUrban: Uint8Array.from(points.gridCodes, (code) => (urbanByCode.get(code) ? 1 : 0)),
    cellKeys: binPointsToH3(points.lngLat, PREPARED_H3_RESOLUTION),
  };

  const facilities = {} as Record<FacilityKind, PreparedFacilities>;
  for (const kind of FACILITY_KINDS) {
    const records = store.facilities({ kinds: [kind] });
    const lngLat = new Float64Array(records.length * 2);
    records.forEach((record, i) => lngLat.set(record.lngLat, i * 2));
    facilities[kind] = {
      id: Uint32Array.from(records, (record) => record.id),
      communityCode: Float64Array.from(records, (record) => Number(record.communityCode)),
      located: locatedPointsToParts(locatePoints(snapper, lngLat, DEFAULT_MAX_SNAP_METERS)),
    };
  }

  const disputes = store.disputePoints({ fromMs: 0, toMs: Number.MAX_SAFE_INTEGER });
  let maxId = 0;
  for (let i = 0; i < disputes.id.length; i++) maxId = Math.max(maxId, disputes.id[i]!);
  const disputeCellById = new Float64Array(maxId + 1).fill(Number.NaN);
  const disputeCells = binPointsToH3(disputes.lngLat, PREPARED_H3_RESOLUTION);
  for (let i = 0; i < disputes.id.length; i++) disputeCellById[disputes.id[i]!] = disputeCells[i]!;

  const shared = shareStructure({ dataVersion: store.health().dataVersion, network, demand, facilities, disputeCellById, buildMs: 0, bytes: 0 });
  shared.bytes = structureBytes(shared);
  shared.buildMs = Math.round(performance.now() - started);
  return shared;
}

/** The prepared data as analysis inputs, for one thread (see viewPreparedData). */
export interface PreparedViews {
  data: PreparedData;
  network: { graph: RoadGraph; snapper: EdgeSnapper; barrierLines: number[][][] } | null;
  demand: LocatedPoints & {
    population: Uint32Array;
    gridIndex: Uint32Array;
    /** Grid codes as strings, per grid. */
    gridCodes: string[];
    gridUrban: Uint8Array;
    cellKeys: Float64Array;
  };
  facilities(kind: FacilityKind): { ids: Uint32Array; communityCodes: string[]; located: LocatedPoints };
}

let current: PreparedViews | null = null;

/**
 * Views over prepared data for this thread: made once per data version (wrapping the shared buffers;
 * strings decoded once), reused by every job after.
 */
export function viewPreparedData(data: PreparedData): PreparedViews {
  if (current && current.data.dataVersion === data.dataVersion && current.data.bytes === data.bytes) return current;
  const graph: RoadGraph | null = data.network
    ? { ...data.network.graph, projection: createLocalProjection(data.network.graph.projectionOrigin[0], data.network.graph.projectionOrigin[1]) }
    : null;
  const network = data.network
    ? {
        graph: graph!,
        snapper: EdgeSnapper.fromParts(graph!, data.network.snapper),
        barrierLines: Array.from({ length: data.network.barrierOffsets.length - 1 }, (_, l) => {
          const line: number[][] = [];
          for (let k = data.network!.barrierOffsets[l]!; k < data.network!.barrierOffsets[l + 1]!; k++) {
            line.push([data.network!.barrierLngLat[2 * k]!, data.network!.barrierLngLat[2 * k + 1]!]);
          }
          return line;
        }),
      }
    : null;
  const demand = {
    ...locatedPointsFromParts(data.demand.located),
    population: data.demand.population,
    gridIndex: data.demand.gridIndex,
    gridCodes: Array.from(data.demand.gridCodes, String),
    gridUrban: data.demand.gridUrban,
    cellKeys: data.demand.cellKeys,
  };
  const facilityViews = new Map<FacilityKind, ReturnType<PreparedViews['facilities']>>();
  const views: PreparedViews = {
    data,
    network,
    demand,
    facilities(kind) {
      let view = facilityViews.get(kind);
      if (!view) {
        const prepared = data.facilities[kind];
        view = { ids: prepared.id, communityCodes: Array.from(prepared.communityCode, String), located: locatedPointsFromParts(prepared.located) };
        facilityViews.set(kind, view);
      }
      return view;
    },
  };
  current = views;
  return views;
}
