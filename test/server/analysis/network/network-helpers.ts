// Test helpers for the network analysis: seeded random graphs, a Bellman-Ford oracle, the public
// reference networks (../shared or its vendored copy, see test/support/shared-data.ts) and the Monaco
// graph as GeoJSON lines.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Feature, FeatureCollection, LineString } from 'geojson';
import { createRng, type Rng } from '../../../../server/analysis/random';
import { DIRECTION_BACKWARD, DIRECTION_BOTH, DIRECTION_FORWARD, type RoadEdgeList } from '../../../../server/analysis/network/road-graph';
import { REPO_ROOT } from '../../../../server/paths';
import { SHARED_DIR, TESTDATA_DIR } from '../../../support/shared-data';

/** Path of a reference file ('testdata', … or 'data', …) under the shared root, or an error naming where it should be. */
export function sharedPath(...parts: string[]): string {
  const file = parts[0] === 'testdata' ? join(TESTDATA_DIR, ...parts.slice(1)) : join(SHARED_DIR, ...parts);
  if (!existsSync(file)) throw new Error(`reference data missing: ${file} (see test/fixtures/shared/README.md; ATLAS_SHARED_DIR points elsewhere)`);
  return file;
}

export function fixturePath(name: string): string {
  return join(REPO_ROOT, 'test', 'fixtures', 'network', name);
}

/** Rows of a CSV with a header, as records of strings. */
export function readCsv(path: string): Record<string, string>[] {
  return parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

export interface RandomGraphOptions {
  nodes: number;
  edges: number;
  /** Share of edges that are one-way (either direction). */
  oneWayShare?: number;
  /** Share of edges with length 0. */
  zeroShare?: number;
}

/**
 * A seeded random graph with nodes scattered over a ~2 km square near Shenyang and edges between
 * random pairs (some one-way, some of length 0, parallel edges and loops allowed). Lengths are
 * random, not geometric: Dijkstra must not care.
 */
export function randomEdgeList(rng: Rng, options: RandomGraphOptions): RoadEdgeList {
  const nodeLngLat = new Float64Array(options.nodes * 2);
  for (let n = 0; n < options.nodes; n++) {
    nodeLngLat[n * 2] = 123.4 + rng.uniform(0, 0.025);
    nodeLngLat[n * 2 + 1] = 41.8 + rng.uniform(0, 0.018);
  }
  const edgeFrom = new Uint32Array(options.edges);
  const edgeTo = new Uint32Array(options.edges);
  const edgeLengthMeters = new Float64Array(options.edges);
  const edgeDirection = new Uint8Array(options.edges);
  for (let e = 0; e < options.edges; e++) {
    edgeFrom[e] = rng.int(0, options.nodes - 1);
    edgeTo[e] = rng.int(0, options.nodes - 1);
    edgeLengthMeters[e] = rng.chance(options.zeroShare ?? 0) ? 0 : Math.round(rng.uniform(1, 400) * 1000) / 1000;
    edgeDirection[e] = rng.chance(options.oneWayShare ?? 0) ? (rng.chance(0.5) ? DIRECTION_FORWARD : DIRECTION_BACKWARD) : DIRECTION_BOTH;
  }
  return { nodeLngLat, edgeFrom, edgeTo, edgeLengthMeters, edgeDirection };
}

export { createRng };

/**
 * Bellman-Ford from many sources with starting costs (the oracle): relax every arc until nothing
 * changes. Costs in metres; Infinity where unreachable. No cutoff: callers compare within theirs.
 */
export function bellmanFord(edges: RoadEdgeList, sourceNodes: readonly number[], sourceCosts: readonly number[]): Float64Array {
  const nodeCount = edges.nodeLngLat.length / 2;
  const cost = new Float64Array(nodeCount).fill(Infinity);
  sourceNodes.forEach((node, i) => {
    if (sourceCosts[i]! < cost[node]!) cost[node] = sourceCosts[i]!;
  });
  const direction = edges.edgeDirection;
  for (let round = 0; round < nodeCount; round++) {
    let changed = false;
    for (let e = 0; e < edges.edgeFrom.length; e++) {
      const a = edges.edgeFrom[e]!;
      const b = edges.edgeTo[e]!;
      const length = edges.edgeLengthMeters[e]!;
      const d = direction ? direction[e]! : DIRECTION_BOTH;
      if (d & DIRECTION_FORWARD && cost[a]! + length < cost[b]!) {
        cost[b] = cost[a]! + length;
        changed = true;
      }
      if (d & DIRECTION_BACKWARD && cost[b]! + length < cost[a]!) {
        cost[a] = cost[b]! + length;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return cost;
}

/** Parses "LINESTRING(x y, x y, …)" into positions. */
export function parseWktLineString(wkt: string): number[][] {
  const inner = wkt.slice(wkt.indexOf('(') + 1, wkt.lastIndexOf(')'));
  return inner.split(',').map((pair) => pair.trim().split(/\s+/).map(Number));
}

/**
 * The Monaco pedestrian graph (../shared/testdata/network-monaco) as GeoJSON lines: each edge's WKT
 * geometry with its `length_m`, ends at its vertices' exact coordinates.
 */
export function monacoGraphGeoJson(): FeatureCollection<LineString, { length_m: number; edge_id: string }> {
  const rows = readCsv(sharedPath('testdata', 'network-monaco', 'graph_edges.csv'));
  const features: Feature<LineString, { length_m: number; edge_id: string }>[] = rows.map((row) => ({
    type: 'Feature',
    properties: { length_m: Number(row.length_m), edge_id: row.edge_id! },
    geometry: { type: 'LineString', coordinates: parseWktLineString(row.wkt!) },
  }));
  return { type: 'FeatureCollection', features };
}

/** The Monaco starts (facilities) at their vertices' coordinates: id, lon, lat. */
export function monacoStarts(): { id: string; lon: number; lat: number; osmId: string }[] {
  const vertices = new Map(readCsv(sharedPath('testdata', 'network-monaco', 'graph_vertices.csv')).map((row) => [row.vertex_osm_id!, row]));
  return readCsv(sharedPath('testdata', 'network-monaco', 'starts.csv')).map((start) => {
    const vertex = vertices.get(start.vertex_osm_id!)!;
    return { id: start.poi_id!, lon: Number(vertex.lon), lat: Number(vertex.lat), osmId: start.vertex_osm_id! };
  });
}

/** Reach rows keyed "origin|lon|lat" → cost (numbers parsed, so "7.42" and "7.420" agree). */
export function reachTable(rows: readonly Record<string, string>[]): Map<string, number> {
  return new Map(rows.map((row) => [`${row.origin_id}|${Number(row.node_lon)}|${Number(row.node_lat)}`, Number(row.cost_m)]));
}
