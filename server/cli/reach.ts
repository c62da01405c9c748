// `npm run cli -- reach`: network reach of origins on a road file, one CSV row per vertex within the
// limit of each origin (origin_id,node_lon,node_lat,cost_m), for batch work and for checking the
// network analysis against other tools (NetworkX, pgRouting).

import { parseArgs } from 'node:util';
import { cachedEdgeSnapper, cachedGraph } from './graph-cache';
import { projectLngLat } from '../analysis/network/edge-snapper';
import { readGeoJsonNetwork } from '../analysis/network/geojson-network';
import { NetworkCostWorkspace, computeNetworkCosts, seedsAtNodes, seedsAtSnappedPoints, type NetworkSeeds } from '../analysis/network/network-costs';
import { readOsmPbfNetwork } from '../analysis/network/osm-pbf-network';
import { buildRoadGraph, type RoadGraph } from '../analysis/network/road-graph';
import { VertexSnapper } from '../analysis/network/vertex-snapper';
import { DEFAULT_MAX_SNAP_METERS, metersForMinutes } from '../domain/travel-limits';
import {
  CliInputError,
  checkOutputPath,
  parseNumberText,
  readInputCsvRecords,
  readInputFeatureCollection,
  readInputOsmPbf,
  requireFeatures,
  writeOutputText,
} from './cli-input';

export const usage = `Usage: npm run cli -- reach --network <roads.geojson|roads.osm.pbf> --origins <points.geojson|points.csv>
         (--max-meters M | --max-minutes T [--speed-kmh S]) [--mode nearest|per-origin] [--length-property NAME]
         [--oneway] [--snap edge|vertex] [--max-snap-meters D] [--no-graph-cache] --out reach.csv

--mode nearest (the default; coverage): one search from every origin at once, one row per network vertex
within the limit of any origin: node_lon,node_lat,cost_m,origin_id (its nearest origin), by cost.
--mode per-origin: one search per origin, one row per vertex within the limit of each:
origin_id,node_lon,node_lat,cost_m (origins in input order, then by cost). Costs are metres.
The graph read from --network is kept in data/cache/graphs (ATLAS_CACHE_DIR), keyed by the file's
SHA-256 and the reading options; --no-graph-cache reads the file afresh and keeps nothing.
  --network FILE          GeoJSON LineStrings (vertices shared by exact coordinates; lengths great-circle
                          metres) or an OSM PBF extract (pedestrian highway classes)
  --origins FILE          GeoJSON Points (id: feature id, else properties.id, else its number) or CSV with
                          columns id (or origin_id, or the first column), lon/lng/x and lat/y
  --max-meters M          limit in metres
  --max-minutes T         limit in minutes at --speed-kmh (default 4 km/h; elderly 3 km/h)
  --length-property NAME  GeoJSON property with each line's length in metres (overrides great-circle)
  --oneway                honour one-way lines (GeoJSON: drawing order unless oneway=no/-1; PBF: oneway tags);
                          default: every edge two-way
  --snap edge|vertex      an origin starts at the nearest position on an edge (default; its distance along
                          the edge counts) or at its nearest vertex (cost 0 there)
  --max-snap-meters D     origins farther than D metres from the network are reported and skipped
                          (default ${DEFAULT_MAX_SNAP_METERS})
  --out FILE              output CSV`;

/** What reach writes: each vertex's cost from its nearest origin, or every origin's rows. */
export const REACH_MODES = ['nearest', 'per-origin'] as const;
export type ReachMode = (typeof REACH_MODES)[number];

export interface Origin {
  id: string;
  lngLat: [number, number];
}

export interface NetworkFileOptions {
  lengthProperty?: string;
  oneway?: boolean;
}

/**
 * Reads a road file (.geojson/.json lines or .osm.pbf) into a graph, from the graph cache when it holds
 * this file read with these options (graph-cache.ts; `cache: false` skips it); refuses a file that gives
 * no edges.
 */
export function loadNetworkFile(path: string, options: NetworkFileOptions & { cache?: boolean }): { graph: RoadGraph; cached: boolean } {
  const { cache = true, ...reading } = options;
  if (!cache) return { graph: parseNetworkFile(path, reading), cached: false };
  return cachedGraph(path, { lengthProperty: reading.lengthProperty ?? null, oneway: reading.oneway ?? false, pbf: /\.pbf$/i.test(path) }, () => parseNetworkFile(path, reading));
}

function parseNetworkFile(path: string, options: NetworkFileOptions): RoadGraph {
  let graph: RoadGraph;
  if (/\.pbf$/i.test(path)) {
    if (options.lengthProperty !== undefined) throw new Error('--length-property applies to GeoJSON networks only');
    const bytes = readInputOsmPbf(path);
    let network;
    try {
      network = readOsmPbfNetwork(bytes, { oneway: options.oneway });
    } catch (error) {
      throw new CliInputError(path, `not a readable OSM PBF file (${error instanceof Error ? error.message : String(error)})`);
    }
    if (network.waysKept === 0) throw new CliInputError(path, 'no walkable ways (highway=footway, path, residential, … without foot=no)');
    graph = buildRoadGraph(network);
    if (graph.edgeCount === 0) throw new CliInputError(path, 'no network edges (the walkable ways have no two nodes inside the extract)');
  } else {
    const collection = readInputFeatureCollection(path);
    requireFeatures(path, collection, ['LineString', 'MultiLineString']);
    try {
      graph = buildRoadGraph(readGeoJsonNetwork(collection, options));
    } catch (error) {
      throw new CliInputError(path, error instanceof Error ? error.message : String(error));
    }
    if (graph.edgeCount === 0) throw new CliInputError(path, 'no network edges (every line has fewer than two positions)');
  }
  return graph;
}

const LNG_COLUMNS = ['lon', 'lng', 'longitude', 'x'];
const LAT_COLUMNS = ['lat', 'latitude', 'y'];

/** Reads origins from GeoJSON Points or a CSV with id, lon and lat columns; refuses a file without any. */
export function loadOrigins(path: string): Origin[] {
  if (/\.csv$/i.test(path)) {
    const rows = readInputCsvRecords(path, { skip_empty_lines: true, bom: true, trim: true });
    const columns = Object.keys(rows[0]!);
    const find = (names: string[]) => columns.find((c) => names.includes(c.toLowerCase()));
    const idColumn = find(['id', 'origin_id']) ?? columns[0]!;
    const lngColumn = find(LNG_COLUMNS);
    const latColumn = find(LAT_COLUMNS);
    if (!lngColumn || !latColumn) throw new CliInputError(path, `needs a longitude column (${LNG_COLUMNS.join('/')}) and a latitude column (${LAT_COLUMNS.join('/')})`);
    return rows.map((row, i) => {
      const lng = parseNumberText(row[lngColumn]);
      const lat = parseNumberText(row[latColumn]);
      if (!Number.isFinite(lng) || !Number.isFinite(lat)) throw new CliInputError(path, `row ${i + 2} has no numeric ${lngColumn}/${latColumn}`);
      return { id: row[idColumn]!, lngLat: [lng, lat] };
    });
  }
  const collection = readInputFeatureCollection(path);
  requireFeatures(path, collection, ['Point']);
  return collection.features.flatMap((feature, i) => {
    if (feature.geometry?.type !== 'Point') return [];
    const id = feature.id ?? (feature.properties?.id as string | number | undefined) ?? i + 1;
    const [lng, lat] = feature.geometry.coordinates;
    if (typeof lng !== 'number' || typeof lat !== 'number' || !Number.isFinite(lng) || !Number.isFinite(lat)) {
      throw new CliInputError(path, `point ${String(id)} has no numeric coordinates`);
    }
    return [{ id: String(id), lngLat: [lng, lat] as [number, number] }];
  });
}

export interface ReachRow {
  /** The origin the cost is from (in nearest mode its nearest; ties to either). */
  originId: string;
  node: number;
  costMeters: number;
}

export interface ReachSearchOptions {
  maxMeters: number;
  snap: 'edge' | 'vertex';
  maxSnapMeters: number;
}

/**
 * Every vertex within `maxMeters` of each origin, by origin then cost (then node). Origins farther than
 * maxSnapMeters from the network are returned in `unsnapped` and give no rows.
 */
export function computeReach(graph: RoadGraph, origins: readonly Origin[], options: ReachSearchOptions): { rows: ReachRow[]; unsnapped: string[] } {
  const { seeds, unsnapped } = originSeeds(graph, origins, options);
  const workspace = new NetworkCostWorkspace(graph.nodeCount);
  const rows: ReachRow[] = [];
  // The seeds come in origin order: each origin's run is searched on its own.
  for (let first = 0; first < seeds.count; ) {
    const source = seeds.source[first]!;
    let end = first + 1;
    while (end < seeds.count && seeds.source[end] === source) end++;
    const own = { count: end - first, node: seeds.node.subarray(first, end), costMeters: seeds.costMeters.subarray(first, end), source: seeds.source.subarray(first, end) };
    computeNetworkCosts(graph, own, options.maxMeters, workspace);
    const reached = Array.from(workspace.reached.subarray(0, workspace.reachedCount));
    reached.sort((a, b) => workspace.costByNode[a]! - workspace.costByNode[b]! || a - b);
    for (const node of reached) rows.push({ originId: origins[source]!.id, node, costMeters: workspace.costByNode[node]! });
    first = end;
  }
  return { rows, unsnapped };
}

/** Snaps origins onto the network: the seeds of each (source = its index) and the ids of those too far from it. */
function originSeeds(graph: RoadGraph, origins: readonly Origin[], options: ReachSearchOptions): { seeds: NetworkSeeds; unsnapped: string[] } {
  const xy = projectLngLat(graph, origins.flatMap((o) => o.lngLat));
  const unsnapped: string[] = [];
  if (options.snap === 'edge') {
    const snapped = cachedEdgeSnapper(graph).snapPoints(xy, options.maxSnapMeters);
    snapped.edge.forEach((edge, i) => {
      if (edge < 0) unsnapped.push(origins[i]!.id);
    });
    return { seeds: seedsAtSnappedPoints(graph, snapped.edge, snapped.fraction), unsnapped };
  }
  const snapper = new VertexSnapper(graph);
  const nodes: number[] = [];
  const sources: number[] = [];
  origins.forEach((origin, i) => {
    const node = snapper.nearest(xy[i * 2]!, xy[i * 2 + 1]!, options.maxSnapMeters);
    if (node < 0) unsnapped.push(origin.id);
    else {
      nodes.push(node);
      sources.push(i);
    }
  });
  const seeds = seedsAtNodes(nodes);
  seeds.source.set(sources);
  return { seeds, unsnapped };
}

/**
 * Every vertex within `maxMeters` of any origin with its cost from the nearest, by cost (then node): one
 * multi-source search. Origins farther than maxSnapMeters from the network are returned in `unsnapped`.
 */
export function computeNearest(graph: RoadGraph, origins: readonly Origin[], options: ReachSearchOptions): { rows: ReachRow[]; unsnapped: string[] } {
  const { seeds, unsnapped } = originSeeds(graph, origins, options);
  const workspace = computeNetworkCosts(graph, seeds, options.maxMeters, new NetworkCostWorkspace(graph.nodeCount));
  const reached = workspace.reached.slice(0, workspace.reachedCount);
  const cost = workspace.costByNode;
  reached.sort((a, b) => cost[a]! - cost[b]! || a - b);
  const rows: ReachRow[] = new Array(reached.length);
  for (let i = 0; i < reached.length; i++) {
    const node = reached[i]!;
    rows[i] = { node, costMeters: cost[node]!, originId: origins[workspace.sourceByNode[node]!]!.id };
  }
  return { rows, unsnapped };
}

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The limit in metres from --max-meters or --max-minutes × --speed-kmh. */
export function limitMeters(values: { 'max-meters'?: string; 'max-minutes'?: string; 'speed-kmh'?: string }): number {
  if ((values['max-meters'] === undefined) === (values['max-minutes'] === undefined)) {
    throw new Error('give exactly one of --max-meters and --max-minutes');
  }
  if (values['max-meters'] !== undefined) {
    const meters = parseNumberText(values['max-meters']);
    if (!Number.isFinite(meters) || meters < 0) throw new Error(`--max-meters must be a number ≥ 0, got "${values['max-meters']}"`);
    return meters;
  }
  const minutes = parseNumberText(values['max-minutes']);
  const speed = values['speed-kmh'] === undefined ? undefined : parseNumberText(values['speed-kmh']);
  if (!Number.isFinite(minutes) || minutes < 0) throw new Error(`--max-minutes must be a number ≥ 0, got "${values['max-minutes']}"`);
  if (speed !== undefined && !(speed > 0)) throw new Error(`--speed-kmh must be a number > 0, got "${values['speed-kmh']}"`);
  return metersForMinutes(minutes, speed);
}

export const NETWORK_ARGS = {
  network: { type: 'string' },
  origins: { type: 'string' },
  'max-meters': { type: 'string' },
  'max-minutes': { type: 'string' },
  'speed-kmh': { type: 'string' },
  'length-property': { type: 'string' },
  oneway: { type: 'boolean' },
  'max-snap-meters': { type: 'string' },
  'no-graph-cache': { type: 'boolean' },
  out: { type: 'string' },
} as const;

/** --max-snap-meters, default DEFAULT_MAX_SNAP_METERS. */
export function maxSnapMeters(value: string | undefined): number {
  const meters = value === undefined ? DEFAULT_MAX_SNAP_METERS : parseNumberText(value);
  if (!(meters >= 0)) throw new Error(`--max-snap-meters must be a number ≥ 0, got "${value}"`);
  return meters;
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { ...NETWORK_ARGS, snap: { type: 'string' }, mode: { type: 'string' } }, strict: true });
  for (const required of ['network', 'origins', 'out'] as const) {
    if (values[required] === undefined) throw new Error(`--${required} is required\n\n${usage}`);
  }
  const snap = values.snap ?? 'edge';
  if (snap !== 'edge' && snap !== 'vertex') throw new Error(`--snap must be "edge" or "vertex", got "${snap}"`);
  const mode = values.mode ?? 'nearest';
  if (!(REACH_MODES as readonly string[]).includes(mode)) throw new Error(`--mode must be "nearest" or "per-origin", got "${mode}"`);
  const maxMeters = limitMeters(values);
  checkOutputPath(values.out!);
  const { graph, cached } = loadNetworkFile(values.network!, { lengthProperty: values['length-property'], oneway: values.oneway, cache: !values['no-graph-cache'] });
  const origins = loadOrigins(values.origins!);
  const searchOptions = { maxMeters, snap, maxSnapMeters: maxSnapMeters(values['max-snap-meters']) } as const;
  const lngLat = graph.nodeLngLat;
  let lines: string[];
  let rowCount: number;
  let unsnapped: string[];
  if (mode === 'nearest') {
    const nearest = computeNearest(graph, origins, searchOptions);
    lines = ['node_lon,node_lat,cost_m,origin_id'];
    for (const row of nearest.rows) lines.push(`${lngLat[row.node * 2]},${lngLat[row.node * 2 + 1]},${row.costMeters},${csvField(row.originId)}`);
    rowCount = nearest.rows.length;
    unsnapped = nearest.unsnapped;
  } else {
    const reach = computeReach(graph, origins, searchOptions);
    lines = ['origin_id,node_lon,node_lat,cost_m'];
    for (const row of reach.rows) lines.push(`${csvField(row.originId)},${lngLat[row.node * 2]},${lngLat[row.node * 2 + 1]},${row.costMeters}`);
    rowCount = reach.rows.length;
    unsnapped = reach.unsnapped;
  }
  writeOutputText(values.out!, `${lines.join('\n')}\n`);
  console.error(
    `reach: ${graph.nodeCount.toLocaleString('en-US')} vertices, ${graph.edgeCount.toLocaleString('en-US')} edges${cached ? ' (graph from the cache)' : ''}; ` +
      `${origins.length} origins, ${rowCount.toLocaleString('en-US')} rows (${mode}) within ${maxMeters} m → ${values.out}`,
  );
  if (unsnapped.length > 0) console.error(`reach: ${unsnapped.length} origins farther than the snap distance from the network: ${unsnapped.join(', ')}`);
  return 0;
}
