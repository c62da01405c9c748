// The walking network of a roads import, from OSM PBF ways (the walkable highway classes of
// osm-pbf-network.ts) or from LineStrings: every distinct position (6 decimals) a node, every segment an
// edge, so the stored network keeps the lines' shape; an edge's street is the unit holding its midpoint,
// and edges outside the atlas are dropped (counted in one warning).

import type { Position } from 'geojson';
import { readOsmPbfNetwork } from '../../analysis/network/osm-pbf-network';
import { haversineMeters } from '../../analysis/network/polyline-network';
import { EDGE_CLASSES, type EdgeClass } from '../../../data/generator/walking-network';
import { findOsmPbfProblem } from '../../cli/file-format-checks';
import { roundDegrees } from '../coordinate-systems';
import type { ReferenceGeography } from './reference-geography';
import type { IssueLog } from './validate';

/** The network as the road tables store it (node and edge indexes 0-based; ids are index + 1). */
export interface RoadRows {
  nodeLngLat: number[];
  edgeFrom: number[];
  edgeTo: number[];
  edgeLengthMeters: number[];
  edgeClass: EdgeClass[];
  /** The street (9 digits) holding the edge's midpoint, or the finest unit there when it has no streets. */
  edgeStreet: string[];
}

const ARTERIAL_HIGHWAYS = new Set(['trunk', 'trunk_link', 'primary', 'primary_link', 'secondary', 'secondary_link', 'tertiary', 'tertiary_link']);
const PATH_HIGHWAYS = new Set(['footway', 'path', 'steps', 'pedestrian', 'track', 'cycleway', 'bridleway', 'corridor']);

/** The stored edge class of an OSM highway value. */
export function edgeClassOfHighway(highway: string): EdgeClass {
  if (ARTERIAL_HIGHWAYS.has(highway)) return 'arterial';
  if (PATH_HIGHWAYS.has(highway)) return 'path';
  return 'local';
}

/** Collects lines (WGS84) into nodes and segment edges. */
export class RoadNetworkBuilder {
  private readonly nodeByKey = new Map<string, number>();
  private readonly nodeLngLat: number[] = [];
  private readonly edgeFrom: number[] = [];
  private readonly edgeTo: number[] = [];
  private readonly edgeLengthMeters: number[] = [];
  private readonly edgeClass: EdgeClass[] = [];
  lines = 0;
  /** Up to 2,000 positions spread over the lines added, for the shifted-coordinates check (source system). */
  readonly nodeSample: Position[] = [];

  private node(position: Position): number {
    const lng = roundDegrees(position[0]!);
    const lat = roundDegrees(position[1]!);
    const key = `${lng},${lat}`;
    let index = this.nodeByKey.get(key);
    if (index === undefined) {
      index = this.nodeLngLat.length / 2;
      this.nodeByKey.set(key, index);
      this.nodeLngLat.push(lng, lat);
    }
    return index;
  }

  /**
   * Adds a line's segments; `lengthMeters` (the line's own walking length, NaN for none) is shared among
   * them by great-circle share. Returns the number of segments added.
   */
  addLine(positions: readonly Position[], lengthMeters: number, edgeClass: EdgeClass): number {
    this.lines += 1;
    if (this.nodeSample.length < 2000 && this.lines % 7 === 1) this.nodeSample.push(positions[0]!);
    const nodes = positions.map((position) => this.node(position));
    const first = this.edgeFrom.length;
    let total = 0;
    for (let i = 1; i < nodes.length; i++) {
      const from = nodes[i - 1]!;
      const to = nodes[i]!;
      if (from === to) continue;
      const meters = haversineMeters(this.nodeLngLat[from * 2]!, this.nodeLngLat[from * 2 + 1]!, this.nodeLngLat[to * 2]!, this.nodeLngLat[to * 2 + 1]!);
      this.edgeFrom.push(from);
      this.edgeTo.push(to);
      this.edgeLengthMeters.push(meters);
      this.edgeClass.push(edgeClass);
      total += meters;
    }
    const added = this.edgeFrom.length - first;
    if (!Number.isNaN(lengthMeters) && added > 0) {
      for (let e = first; e < this.edgeFrom.length; e++) this.edgeLengthMeters[e] = total > 0 ? (lengthMeters * this.edgeLengthMeters[e]!) / total : lengthMeters / added;
    }
    return added;
  }

  /** The edges inside the atlas with their streets, nodes renumbered to those they use. */
  finish(reference: ReferenceGeography, log: IssueLog): RoadRows {
    const rows: RoadRows = { nodeLngLat: [], edgeFrom: [], edgeTo: [], edgeLengthMeters: [], edgeClass: [], edgeStreet: [] };
    const newIndex = new Int32Array(this.nodeLngLat.length / 2).fill(-1);
    const keep = (node: number): number => {
      if (newIndex[node]! < 0) {
        newIndex[node] = rows.nodeLngLat.length / 2;
        rows.nodeLngLat.push(this.nodeLngLat[node * 2]!, this.nodeLngLat[node * 2 + 1]!);
      }
      return newIndex[node]!;
    };
    let outside = 0;
    for (let e = 0; e < this.edgeFrom.length; e++) {
      const from = this.edgeFrom[e]!;
      const to = this.edgeTo[e]!;
      const lng = (this.nodeLngLat[from * 2]! + this.nodeLngLat[to * 2]!) / 2;
      const lat = (this.nodeLngLat[from * 2 + 1]! + this.nodeLngLat[to * 2 + 1]!) / 2;
      const unit = reference.locate(lng, lat);
      if (!unit) {
        outside += 1;
        continue;
      }
      rows.edgeFrom.push(keep(from));
      rows.edgeTo.push(keep(to));
      rows.edgeLengthMeters.push(this.edgeLengthMeters[e]!);
      rows.edgeClass.push(this.edgeClass[e]!);
      rows.edgeStreet.push(unit.code.slice(0, 9));
    }
    if (outside > 0) {
      log.add({ severity: 'warning', feature: 0, code: 'outside-atlas', message: `${outside} of ${this.edgeFrom.length} road segments lie outside every unit of the atlas and were dropped` });
    }
    if (rows.edgeFrom.length === 0) log.error(0, 'outside-atlas', `no road segment lies inside the atlas (${this.edgeFrom.length} read)`);
    return rows;
  }
}

/** The class of a road feature from its "class" (one of EDGE_CLASSES) or "highway" property. */
export function edgeClassOfProperties(properties: Record<string, unknown>): EdgeClass | string {
  const value = properties.class ?? properties.edge_class;
  if (typeof value === 'string' && value.trim() !== '') {
    return (EDGE_CLASSES as readonly string[]).includes(value.trim()) ? (value.trim() as EdgeClass) : `class "${value.slice(0, 30)}" is not one of ${EDGE_CLASSES.join(', ')}`;
  }
  return typeof properties.highway === 'string' ? edgeClassOfHighway(properties.highway) : 'local';
}

/** Adds the walkable ways of an OSM PBF file; throws a one-line message when the file is not readable PBF. */
export function addOsmPbfWays(bytes: Uint8Array, builder: RoadNetworkBuilder): { waysKept: number; waysDropped: number } {
  const problem = findOsmPbfProblem(bytes);
  if (problem) throw new Error(`not a readable OSM PBF file (${problem})`);
  const network = readOsmPbfNetwork(bytes);
  const shapeOffsets = network.shapeOffsets!;
  const shape = network.shapeLngLat!;
  for (let e = 0; e < network.edgeFrom.length; e++) {
    const positions: Position[] = [[network.nodeLngLat[network.edgeFrom[e]! * 2]!, network.nodeLngLat[network.edgeFrom[e]! * 2 + 1]!]];
    for (let k = shapeOffsets[e]!; k < shapeOffsets[e + 1]!; k++) positions.push([shape[k * 2]!, shape[k * 2 + 1]!]);
    positions.push([network.nodeLngLat[network.edgeTo[e]! * 2]!, network.nodeLngLat[network.edgeTo[e]! * 2 + 1]!]);
    builder.addLine(positions, Number.NaN, edgeClassOfHighway(network.classes[network.edgeClass[e]!]!));
  }
  return { waysKept: network.waysKept, waysDropped: network.waysDropped };
}
