// Walking network from an OpenStreetMap PBF extract: ways whose highway class a pedestrian may use
// (osm2pgrouting's pedestrian classes; foot=no and private access dropped), cut at nodes shared by two
// ways or used twice by one (polyline-network.ts), great-circle lengths. Parsed by tiny-osmpbf.

import tinyOsmPbf, { type OsmElement } from 'tiny-osmpbf';
import { DIRECTION_BACKWARD, DIRECTION_BOTH, DIRECTION_FORWARD } from './road-graph';
import { splitPolylinesAtSharedPoints, type PolylineNetwork } from './polyline-network';

/** highway=* values walked on foot (motorways, construction, raceways, rest areas and the like are not). */
export const PEDESTRIAN_HIGHWAYS: ReadonlySet<string> = new Set([
  'footway', 'pedestrian', 'path', 'steps', 'living_street', 'residential', 'service', 'services', 'unclassified',
  'tertiary', 'tertiary_link', 'secondary', 'secondary_link', 'primary', 'primary_link', 'track', 'cycleway',
  'bridleway', 'corridor', 'road',
]);

const NO_ACCESS = new Set(['no', 'private']);

export interface OsmPbfNetworkOptions {
  /** Honour oneway=yes/-1 tags (default false: walking is two-way). */
  oneway?: boolean;
}

export interface OsmPbfNetwork extends PolylineNetwork {
  /** OSM node id of each network node. */
  nodeOsmId: Float64Array;
  /** OSM way id of each edge. */
  edgeWayId: Float64Array;
  /** highway class of each edge (index into `classes`). */
  edgeClass: Uint8Array;
  classes: string[];
  /** Ways kept and ways with a highway tag dropped. */
  waysKept: number;
  waysDropped: number;
}

/** Whether a way with these tags is part of the walking network. */
export function isWalkableWay(tags: Record<string, string> | undefined): boolean {
  const highway = tags?.highway;
  if (highway === undefined || !PEDESTRIAN_HIGHWAYS.has(highway)) return false;
  if (tags!.area === 'yes' && highway !== 'pedestrian' && highway !== 'footway') return false;
  // An explicit foot tag decides; otherwise general access=no/private keeps walkers out.
  const foot = tags!.foot;
  if (foot !== undefined) return !NO_ACCESS.has(foot);
  return !NO_ACCESS.has(tags!.access ?? '');
}

/** Reads an .osm.pbf (bytes) into a walking-network edge list with OSM ids kept. */
export function readOsmPbfNetwork(data: Uint8Array, options: OsmPbfNetworkOptions = {}): OsmPbfNetwork {
  const nodeIndexById = new Map<number, number>();
  const nodeLngLat: number[] = [];
  const ways: { id: number; nodes: number[]; highway: string; direction: number }[] = [];
  let waysDropped = 0;
  tinyOsmPbf(data, (element: OsmElement) => {
    if (element.type === 'node') {
      nodeIndexById.set(element.id, nodeLngLat.length / 2);
      nodeLngLat.push(element.lon, element.lat);
    } else if (element.type === 'way') {
      if (!isWalkableWay(element.tags)) {
        if (element.tags?.highway !== undefined) waysDropped += 1;
        return;
      }
      const oneway = element.tags!.oneway;
      const direction = !options.oneway
        ? DIRECTION_BOTH
        : oneway === 'yes' || oneway === 'true' || oneway === '1'
          ? DIRECTION_FORWARD
          : oneway === '-1' || oneway === 'reverse'
            ? DIRECTION_BACKWARD
            : DIRECTION_BOTH;
      ways.push({ id: element.id, nodes: element.nodes, highway: element.tags!.highway!, direction });
    }
  });
  const lineOffsets = new Uint32Array(ways.length + 1);
  const linePoints: number[] = [];
  const classes: string[] = [];
  const classIndex = new Map<string, number>();
  const lineClass = new Uint8Array(ways.length);
  ways.forEach((way, l) => {
    for (const id of way.nodes) {
      const index = nodeIndexById.get(id);
      // A way may reference nodes cut off by the extract: those points are dropped.
      if (index !== undefined) linePoints.push(index);
    }
    lineOffsets[l + 1] = linePoints.length;
    let c = classIndex.get(way.highway);
    if (c === undefined) {
      c = classes.length;
      classes.push(way.highway);
      classIndex.set(way.highway, c);
    }
    lineClass[l] = c;
  });
  const osmIdOfPoint = new Float64Array(nodeLngLat.length / 2);
  for (const [id, index] of nodeIndexById) osmIdOfPoint[index] = id;
  const network = splitPolylinesAtSharedPoints({
    pointLngLat: Float64Array.from(nodeLngLat),
    lineOffsets,
    linePoints: Uint32Array.from(linePoints),
    lineLengthMeters: new Float64Array(ways.length).fill(NaN),
    lineDirection: Uint8Array.from(ways, (way) => way.direction),
  });
  return {
    ...network,
    nodeOsmId: Float64Array.from(network.nodePointId, (p) => osmIdOfPoint[p]!),
    edgeWayId: Float64Array.from(network.edgeLine, (l) => ways[l]!.id),
    edgeClass: Uint8Array.from(network.edgeLine, (l) => lineClass[l]!),
    classes,
    waysKept: ways.length,
    waysDropped,
  };
}
