// The network service-area pipeline, one function for the API and the CLI: seeds at points snapped onto
// edges (and at whole nodes) → one multi-source search with the cutoff → the reachable intervals of
// every edge (partial ones at the cutoff) → polygons traced from them with a buffer that does not cross
// barriers (service-area.ts).

import { EdgeSourceIndex, NetworkCostWorkspace, computeNetworkCosts, seedsAtNodes, seedsAtSnappedPoints, type NetworkSeeds } from '../network/network-costs';
import { ReachableEdgeCollector } from '../network/reachable-edges';
import type { RoadGraph } from '../network/road-graph';
import { traceNetworkServiceArea, type NetworkServiceAreaOptions, type TracedServiceArea } from './service-area';

/** Where the facilities of one service area join the network (struct of arrays). */
export interface ServiceAreaSources {
  /** Edge each source snapped to (-1: not on the network, ignored). */
  edge: Int32Array;
  /** Share of the edge's walking length from edgeFrom to the source. */
  fraction: Float64Array;
  /** Metres already walked to reach the network at each source (its snap distance, or 0). */
  accessMeters: Float64Array;
  /** Sources at whole nodes (vertex snapping), starting at cost 0. */
  nodes?: ArrayLike<number>;
}

/** Buffers of one search and collection, sized for a graph: reuse one per graph and thread. */
export class ServiceAreaWorkspace {
  readonly costs: NetworkCostWorkspace;
  readonly collector: ReachableEdgeCollector;
  constructor(readonly graph: RoadGraph) {
    this.costs = new NetworkCostWorkspace(graph.nodeCount);
    this.collector = new ReachableEdgeCollector(graph);
  }
}

function concatSeeds(a: NetworkSeeds, b: NetworkSeeds, sourceOffset: number): NetworkSeeds {
  const count = a.count + b.count;
  const node = new Uint32Array(count);
  const costMeters = new Float64Array(count);
  const source = new Int32Array(count);
  node.set(a.node.subarray(0, a.count));
  costMeters.set(a.costMeters.subarray(0, a.count));
  source.set(a.source.subarray(0, a.count));
  node.set(b.node.subarray(0, b.count), a.count);
  costMeters.set(b.costMeters.subarray(0, b.count), a.count);
  for (let k = 0; k < b.count; k++) source[a.count + k] = b.source[k]! + sourceOffset;
  return { count, node, costMeters, source };
}

/**
 * The service area of all `sources` together within `maxMeters` of walking: everything reachable on
 * the network (partial edges at the cutoff included) and everything within the buffer of it that a
 * straight walk reaches without crossing a barrier. Throws ServiceAreaTooLargeError when the area cannot
 * be traced at a cell size that keeps every reachable point inside.
 */
export function computeNetworkServiceArea(
  graph: RoadGraph,
  sources: ServiceAreaSources,
  maxMeters: number,
  options: NetworkServiceAreaOptions,
  workspace: ServiceAreaWorkspace = new ServiceAreaWorkspace(graph),
): TracedServiceArea {
  if (workspace.graph !== graph) throw new Error('computeNetworkServiceArea: the workspace belongs to another graph');
  const edgeSeeds = seedsAtSnappedPoints(graph, sources.edge, sources.fraction, sources.accessMeters);
  const seeds = sources.nodes && sources.nodes.length > 0 ? concatSeeds(edgeSeeds, seedsAtNodes(sources.nodes), sources.edge.length) : edgeSeeds;
  computeNetworkCosts(graph, seeds, maxMeters, workspace.costs);
  const onEdges = new EdgeSourceIndex(graph.edgeCount, sources.edge, sources.fraction, sources.accessMeters);
  const intervals = workspace.collector.collect(workspace.costs, maxMeters, onEdges);
  return traceNetworkServiceArea(graph, intervals, options);
}
