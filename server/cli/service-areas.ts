// `npm run cli -- service-areas`: network service-area polygons of origins on a road file, as GeoJSON:
// the reachable network within the limit (partial edges included) widened by a stated buffer that does
// not cross the given barriers; origins off the network get a straight-line disc (limit ÷ detour factor).

import { parseArgs } from 'node:util';
import type { Feature, MultiPolygon } from 'geojson';
import { DEFAULT_BUFFER_METERS, DEFAULT_DETOUR_FACTOR } from '../domain/travel-limits';
import { computeNetworkServiceArea, ServiceAreaWorkspace } from '../analysis/coverage/network-service-area';
import { DEFAULT_CELL_METERS, ServiceAreaTooLargeError, discPolygon, dissolveDiscs } from '../analysis/coverage/service-area';
import { projectLngLat } from '../analysis/network/edge-snapper';
import type { RoadGraph } from '../analysis/network/road-graph';
import { VertexSnapper } from '../analysis/network/vertex-snapper';
import { checkOutputPath, parseNumberText, readInputFeatureCollection, requireFeatures, writeOutputText } from './cli-input';
import { cachedEdgeSnapper } from './graph-cache';
import { NETWORK_ARGS, limitMeters, loadNetworkFile, loadOrigins, maxSnapMeters, type Origin } from './reach';

export const usage = `Usage: npm run cli -- service-areas --network <roads.geojson|roads.osm.pbf> --origins <points.geojson|points.csv>
         (--max-meters M | --max-minutes T [--speed-kmh S]) [--length-property NAME] [--oneway]
         [--snap edge|vertex] [--max-snap-meters D] [--buffer-meters B] [--cell-meters C]
         [--detour-factor F] [--barriers <lines.geojson>] [--dissolve] [--no-graph-cache] --out areas.geojson

Writes a GeoJSON FeatureCollection of service-area polygons (WGS84, 6 decimals), one per origin
(properties origin_id, method, max_meters, buffer_meters, cell_meters, area_m2), or with --dissolve one
per method. "network": every point of the network within the limit (partial edges at the cutoff
included) and everything within the buffer of it that a straight walk reaches without crossing a
barrier; "straight-line": origins farther than the snap distance from the network get a disc of radius
limit ÷ detour factor. Options as for "reach", plus:
  --buffer-meters B   how far polygons reach beyond the reachable network (default ${DEFAULT_BUFFER_METERS})
  --cell-meters C     raster cell (default ${DEFAULT_CELL_METERS}; coarser for large areas, at most B/√2)
  --detour-factor F   straight-line fallback: walked distance = straight-line distance × F (default ${DEFAULT_DETOUR_FACTOR})
  --barriers FILE     GeoJSON lines (rivers, railways) the buffer must not cross
  --dissolve          one polygon per method instead of one per origin`;

export interface ServiceAreaOptions {
  maxMeters: number;
  snap: 'edge' | 'vertex';
  maxSnapMeters: number;
  bufferMeters: number;
  cellMeters: number;
  detourFactor: number;
  barrierLines: number[][][];
  dissolve: boolean;
}

export interface ServiceAreaFeatureProperties {
  origin_id: string | null;
  method: 'network' | 'straight-line';
  origins: number;
  max_meters: number;
  buffer_meters: number | null;
  cell_meters: number | null;
  area_m2: number | null;
}

/** Service areas of origins on a graph (see the usage text). */
export function computeServiceAreaFeatures(
  graph: RoadGraph,
  origins: readonly Origin[],
  options: ServiceAreaOptions,
): Feature<MultiPolygon, ServiceAreaFeatureProperties>[] {
  const xy = projectLngLat(graph, origins.flatMap((o) => o.lngLat));
  const workspace = new ServiceAreaWorkspace(graph);
  const edgeSnapper = options.snap === 'edge' ? cachedEdgeSnapper(graph) : null;
  const vertexSnapper = options.snap === 'vertex' ? new VertexSnapper(graph) : null;
  // Where each origin starts: on an edge (edge, share) or at a vertex (node); -1 when off the network.
  const edge = new Int32Array(origins.length).fill(-1);
  const fraction = new Float64Array(origins.length);
  const node = new Int32Array(origins.length).fill(-1);
  origins.forEach((_, i) => {
    if (edgeSnapper) {
      const snapped = edgeSnapper.snapPoints(xy.subarray(i * 2, i * 2 + 2), options.maxSnapMeters);
      edge[i] = snapped.edge[0]!;
      fraction[i] = snapped.fraction[0]!;
    } else {
      node[i] = vertexSnapper!.nearest(xy[i * 2]!, xy[i * 2 + 1]!, options.maxSnapMeters);
    }
  });
  const onNetwork = origins.map((_, i) => edge[i]! >= 0 || node[i]! >= 0);
  // The CLI measures from the snapped position (no access walk), as NetworkX and pgRouting do.
  const traceFrom = (members: number[]) => {
    const atEdges = members.filter((i) => edge[i]! >= 0);
    const sources = {
      edge: Int32Array.from(atEdges, (i) => edge[i]!),
      fraction: Float64Array.from(atEdges, (i) => fraction[i]!),
      accessMeters: new Float64Array(atEdges.length),
      nodes: members.filter((i) => node[i]! >= 0).map((i) => node[i]!),
    };
    return computeNetworkServiceArea(graph, sources, options.maxMeters, { bufferMeters: options.bufferMeters, barrierLines: options.barrierLines, cellMeters: options.cellMeters }, workspace);
  };
  const radius = options.maxMeters / options.detourFactor;
  const base = { max_meters: options.maxMeters };
  const features: Feature<MultiPolygon, ServiceAreaFeatureProperties>[] = [];
  const polygon = (coordinates: number[][][][], properties: ServiceAreaFeatureProperties): Feature<MultiPolygon, ServiceAreaFeatureProperties> => ({
    type: 'Feature',
    properties,
    geometry: { type: 'MultiPolygon', coordinates },
  });
  if (options.dissolve) {
    const members = origins.map((_, i) => i);
    const networked = members.filter((i) => onNetwork[i]);
    const off = members.filter((i) => !onNetwork[i]);
    if (networked.length > 0) {
      const traced = traceFrom(networked);
      features.push(
        polygon(traced.coordinates, {
          origin_id: null,
          method: 'network',
          origins: networked.length,
          ...base,
          buffer_meters: options.bufferMeters,
          cell_meters: traced.cellMeters,
          area_m2: Math.round(traced.areaSquareMeters),
        }),
      );
    }
    if (off.length > 0) {
      const lngLat = Float64Array.from(off.flatMap((i) => origins[i]!.lngLat));
      features.push(
        polygon(dissolveDiscs(lngLat, radius), { origin_id: null, method: 'straight-line', origins: off.length, ...base, buffer_meters: null, cell_meters: null, area_m2: null }),
      );
    }
    return features;
  }
  origins.forEach((origin, i) => {
    if (onNetwork[i]) {
      const traced = traceFrom([i]);
      features.push(
        polygon(traced.coordinates, {
          origin_id: origin.id,
          method: 'network',
          origins: 1,
          ...base,
          buffer_meters: options.bufferMeters,
          cell_meters: traced.cellMeters,
          area_m2: Math.round(traced.areaSquareMeters),
        }),
      );
    } else {
      features.push(
        polygon([discPolygon(origin.lngLat, radius)], {
          origin_id: origin.id,
          method: 'straight-line',
          origins: 1,
          ...base,
          buffer_meters: null,
          cell_meters: null,
          area_m2: Math.round(Math.PI * radius * radius),
        }),
      );
    }
  });
  return features;
}

function positiveNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = parseNumberText(value);
  if (!(number > 0) || !Number.isFinite(number)) throw new Error(`--${name} must be a number > 0, got "${value}"`);
  return number;
}

/** Barrier lines from a GeoJSON file of LineStrings / MultiLineStrings; refuses a file without any. */
export function loadBarrierLines(path: string): number[][][] {
  const lines = requireFeatures(path, readInputFeatureCollection(path), ['LineString', 'MultiLineString']);
  return lines.flatMap((feature) => (feature.geometry.type === 'LineString' ? [feature.geometry.coordinates] : feature.geometry.coordinates));
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...NETWORK_ARGS,
      snap: { type: 'string' },
      'buffer-meters': { type: 'string' },
      'cell-meters': { type: 'string' },
      'detour-factor': { type: 'string' },
      barriers: { type: 'string' },
      dissolve: { type: 'boolean' },
    },
    strict: true,
  });
  for (const required of ['network', 'origins', 'out'] as const) {
    if (values[required] === undefined) throw new Error(`--${required} is required\n\n${usage}`);
  }
  const snap = values.snap ?? 'edge';
  if (snap !== 'edge' && snap !== 'vertex') throw new Error(`--snap must be "edge" or "vertex", got "${snap}"`);
  const bufferMeters = positiveNumber(values['buffer-meters'], 'buffer-meters', DEFAULT_BUFFER_METERS);
  const cellMeters = positiveNumber(values['cell-meters'], 'cell-meters', Math.min(DEFAULT_CELL_METERS, bufferMeters / Math.SQRT2));
  if (cellMeters > bufferMeters / Math.SQRT2) {
    throw new Error(`--cell-meters must be at most --buffer-meters / √2 (${(bufferMeters / Math.SQRT2).toFixed(1)}) so every reachable point stays inside`);
  }
  const detourFactor = positiveNumber(values['detour-factor'], 'detour-factor', DEFAULT_DETOUR_FACTOR);
  if (detourFactor < 1) throw new Error(`--detour-factor must be ≥ 1, got "${values['detour-factor']}"`);
  const options: ServiceAreaOptions = {
    maxMeters: limitMeters(values),
    snap,
    maxSnapMeters: maxSnapMeters(values['max-snap-meters']),
    bufferMeters,
    cellMeters,
    detourFactor,
    barrierLines: values.barriers === undefined ? [] : loadBarrierLines(values.barriers),
    dissolve: values.dissolve ?? false,
  };
  checkOutputPath(values.out!);
  const { graph } = loadNetworkFile(values.network!, { lengthProperty: values['length-property'], oneway: values.oneway, cache: !values['no-graph-cache'] });
  const origins = loadOrigins(values.origins!);
  let features;
  try {
    features = computeServiceAreaFeatures(graph, origins, options);
  } catch (error) {
    if (error instanceof ServiceAreaTooLargeError) throw new Error(`service-areas: ${error.message}; raise --buffer-meters or split the origins`, { cause: error });
    throw error;
  }
  const collection = {
    type: 'FeatureCollection',
    parameters: {
      max_meters: options.maxMeters,
      snap: options.snap,
      max_snap_meters: options.maxSnapMeters,
      buffer_meters: options.bufferMeters,
      detour_factor: options.detourFactor,
      barriers: options.barrierLines.length,
    },
    features,
  };
  writeOutputText(values.out!, `${JSON.stringify(collection)}\n`);
  const off = features.filter((f) => f.properties.method === 'straight-line').reduce((n, f) => n + f.properties.origins, 0);
  console.error(
    `service-areas: ${graph.nodeCount.toLocaleString('en-US')} vertices, ${graph.edgeCount.toLocaleString('en-US')} edges; ` +
      `${origins.length} origins (${off} off the network: straight-line discs) within ${options.maxMeters} m → ${values.out}`,
  );
  return 0;
}
