// Topology of a polygon partition (arcs shared by neighbours, as in TopoJSON): which unit lies left and
// right of every arc, boundary lines between groups of units stitched from those arcs, dissolved parent
// polygons, and topology-preserving simplification per zoom band (shared arcs are simplified once).

import type { FeatureCollection, LineString, MultiLineString, MultiPolygon, Position } from 'geojson';
import { topology as buildTopology } from 'topojson-server';
import { feature, mergeArcs } from 'topojson-client';
import { presimplify, simplify, sphericalTriangleArea } from 'topojson-simplify';
import type {
  GeometryCollection,
  MultiPolygon as TopoMultiPolygon,
  Objects,
  Topology,
} from 'topojson-specification';
import { signedRingArea, type MultiPolygonCoordinates } from './rebuild-polygon-rings';
import { ZOOM_BAND_MAX_ZOOM, minWeightForBand } from '../../domain/zoom-bands';

/** A unit of the partition: lon/lat MultiPolygon with shells counter-clockwise (interior on the left). */
export interface TopologyUnit {
  code: string;
  coordinates: MultiPolygonCoordinates;
}

export interface UnitTopology {
  /** Full-detail topology; arcs in the units' own coordinates (no quantisation). */
  topology: Topology<{ units: GeometryCollection }>;
  /** Unit index → code, in input order. */
  codes: string[];
  /** Unit index left of each arc in its stored direction, or -1. */
  leftUnitByArc: Int32Array;
  /** Unit index right of each arc in its stored direction, or -1 (the partition's outer edge). */
  rightUnitByArc: Int32Array;
}

/** Arcs between two groups of units (or a group and the outside), stitched into chains. */
export interface BoundaryArcGroup {
  leftGroup: string;
  /** null for the outer edge of the partition. */
  rightGroup: string | null;
  /** Each chain is a list of arc references: i for arc i as stored, ~i for it reversed. */
  chains: number[][];
}

/** Builds the shared-arc topology of a partition whose neighbours share vertices exactly. */
export function buildUnitTopology(units: readonly TopologyUnit[]): UnitTopology {
  for (const unit of units) {
    for (const polygon of unit.coordinates) {
      polygon.forEach((ring, index) => {
        if (signedRingArea(ring) > 0 !== (index === 0)) {
          throw new Error(`unit ${unit.code}: shells must run counter-clockwise and holes clockwise (interior on the left)`);
        }
      });
    }
  }
  const collection: FeatureCollection<MultiPolygon> = {
    type: 'FeatureCollection',
    features: units.map((unit) => ({
      type: 'Feature',
      properties: {},
      geometry: { type: 'MultiPolygon', coordinates: unit.coordinates },
    })),
  };
  const topology = buildTopology({ units: collection }) as unknown as Topology<{ units: GeometryCollection }>;

  const arcCount = topology.arcs.length;
  const leftUnitByArc = new Int32Array(arcCount).fill(-1);
  const rightUnitByArc = new Int32Array(arcCount).fill(-1);
  topology.objects.units.geometries.forEach((geometry, unitIndex) => {
    if (geometry.type !== 'MultiPolygon') return;
    for (const polygon of geometry.arcs) {
      for (const ring of polygon) {
        for (const arc of ring) {
          const sides = arc >= 0 ? leftUnitByArc : rightUnitByArc;
          const index = arc >= 0 ? arc : ~arc;
          if (sides[index] !== -1 && sides[index] !== unitIndex) {
            throw new Error(
              `units ${units[sides[index]!]!.code} and ${units[unitIndex]!.code} overlap along arc ${index}`,
            );
          }
          sides[index] = unitIndex;
        }
      }
    }
  });
  return { topology, codes: units.map((unit) => unit.code), leftUnitByArc, rightUnitByArc };
}

/**
 * Groups the arcs that separate different groups of units (e.g. counties of two cities), plus the outer
 * edge of each group where nothing lies beyond, and stitches each group's arcs into chains.
 * In the result the group with the smaller key lies on the left of every chain.
 */
export function groupBoundaryArcs(
  unitTopology: UnitTopology,
  groupOfUnit: (code: string) => string,
): BoundaryArcGroup[] {
  const { topology, codes, leftUnitByArc, rightUnitByArc } = unitTopology;
  const groups = new Map<string, { leftGroup: string; rightGroup: string | null; arcs: number[] }>();
  for (let arc = 0; arc < topology.arcs.length; arc++) {
    const leftGroup = groupOfUnit(codes[leftUnitByArc[arc]!]!);
    const rightUnit = rightUnitByArc[arc]!;
    const rightGroup = rightUnit === -1 ? null : groupOfUnit(codes[rightUnit]!);
    if (leftGroup === rightGroup) continue;
    const reversed = rightGroup !== null && rightGroup < leftGroup;
    const key = reversed ? `${rightGroup}|${leftGroup}` : `${leftGroup}|${rightGroup ?? ''}`;
    let group = groups.get(key);
    if (!group) {
      group = reversed
        ? { leftGroup: rightGroup, rightGroup: leftGroup, arcs: [] }
        : { leftGroup, rightGroup, arcs: [] };
      groups.set(key, group);
    }
    group.arcs.push(reversed ? ~arc : arc);
  }
  return [...groups.values()]
    .sort((a, b) => compareKeys(a.leftGroup, b.leftGroup) || compareKeys(a.rightGroup ?? '', b.rightGroup ?? ''))
    .map(({ leftGroup, rightGroup, arcs }) => ({ leftGroup, rightGroup, chains: stitchArcs(topology.arcs, arcs) }));
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Joins oriented arcs end to start into the fewest chains (open chains first, then closed loops). */
function stitchArcs(arcs: Position[][], references: number[]): number[][] {
  const endpoint = (reference: number, atEnd: boolean): string => {
    const arc = arcs[reference >= 0 ? reference : ~reference]!;
    const takeLast = (reference >= 0) === atEnd;
    const point = takeLast ? arc[arc.length - 1]! : arc[0]!;
    return `${point[0]},${point[1]}`;
  };
  const byStart = new Map<string, number[]>();
  const endKeys = new Set<string>();
  for (const reference of references) {
    const start = endpoint(reference, false);
    const list = byStart.get(start);
    if (list) list.push(reference);
    else byStart.set(start, [reference]);
    endKeys.add(endpoint(reference, true));
  }
  const used = new Set<number>();
  const chains: number[][] = [];
  const follow = (first: number): void => {
    const chain = [first];
    used.add(first);
    let end = endpoint(first, true);
    for (;;) {
      const next = byStart.get(end)?.find((reference) => !used.has(reference));
      if (next === undefined) break;
      used.add(next);
      chain.push(next);
      end = endpoint(next, true);
    }
    chains.push(chain);
  };
  for (const reference of references) {
    if (!used.has(reference) && !endKeys.has(endpoint(reference, false))) follow(reference);
  }
  for (const reference of references) {
    if (!used.has(reference)) follow(reference);
  }
  return chains;
}

/**
 * One simplified topology per zoom band (Visvalingam with spherical triangle areas, arcs' ends kept),
 * so shared edges stay shared at every band. The last band is the full-detail topology itself.
 */
export function simplifyTopologyByBand<T extends Topology>(topology: T): T[] {
  const weighted = presimplify(topology as unknown as Topology<Objects<Record<string, unknown>>>, sphericalTriangleArea);
  return ZOOM_BAND_MAX_ZOOM.map((_, band) => {
    const minWeight = minWeightForBand(band);
    return (minWeight === 0 ? topology : simplify(weighted, minWeight)) as unknown as T;
  });
}

/** A unit's polygon in a (possibly simplified) topology, degenerate rings dropped; null if nothing is left. */
export function renderUnit(bandTopology: Topology, unitTopology: UnitTopology, unitIndex: number): MultiPolygon | null {
  const geometry = unitTopology.topology.objects.units.geometries[unitIndex]!;
  return renderPolygonal(bandTopology, geometry as TopoMultiPolygon);
}

/** Dissolves units into one MultiPolygon's arcs (computed once, rendered at any band with renderPolygonal). */
export function mergeUnitArcs(unitTopology: UnitTopology, unitIndices: readonly number[]): TopoMultiPolygon {
  const geometries = unitTopology.topology.objects.units.geometries;
  const merged = mergeArcs(
    unitTopology.topology,
    unitIndices.map((index) => geometries[index]!) as Parameters<typeof mergeArcs>[1],
  );
  return merged as unknown as TopoMultiPolygon;
}

/** Renders polygon arcs at a band: RFC 7946 winding, rings with fewer than 3 distinct points dropped. */
export function renderPolygonal(bandTopology: Topology, geometry: TopoMultiPolygon): MultiPolygon | null {
  const rendered = feature(bandTopology, geometry).geometry as MultiPolygon;
  const polygons: Position[][][] = [];
  for (const polygon of rendered.coordinates) {
    const rings = polygon.filter(isNonDegenerateRing);
    if (rings.length === 0 || rings[0] !== polygon[0]) continue;
    polygons.push(rings.map((ring, index) => orientRing(ring, index === 0)));
  }
  return polygons.length > 0 ? { type: 'MultiPolygon', coordinates: polygons } : null;
}

function isNonDegenerateRing(ring: Position[]): boolean {
  if (ring.length < 4) return false;
  const distinct = new Set(ring.map((p) => `${p[0]},${p[1]}`));
  return distinct.size >= 3 && signedRingArea(ring) !== 0;
}

function orientRing(ring: Position[], counterClockwise: boolean): Position[] {
  return signedRingArea(ring) > 0 === counterClockwise ? ring : ring.slice().reverse();
}

/** Renders stitched chains at a band as a LineString (one chain) or MultiLineString. */
export function renderChains(bandTopology: Topology, chains: readonly number[][]): LineString | MultiLineString {
  const lines = chains.map((chain) => {
    const line: Position[] = [];
    for (const reference of chain) {
      const arc = bandTopology.arcs[reference >= 0 ? reference : ~reference]!;
      const points = reference >= 0 ? arc : arc.slice().reverse();
      for (let i = line.length === 0 ? 0 : 1; i < points.length; i++) line.push([points[i]![0]!, points[i]![1]!]);
    }
    return line;
  });
  return lines.length === 1
    ? { type: 'LineString', coordinates: lines[0]! }
    : { type: 'MultiLineString', coordinates: lines };
}
