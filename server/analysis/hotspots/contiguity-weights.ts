// Contiguity weights of polygons from their shared geometry: queen (a common vertex) and rook (a
// common edge), found by hashing exact vertex coordinates, as GeoDa and PySAL do for topologically
// clean polygons (neighbours that share their boundary vertices).

import { weightsFromPairs, type SpatialWeights } from './spatial-weights';

export type ContiguityKind = 'queen' | 'rook';

/** One polygon as its parts' rings ([x, y] or [lng, lat]; holes allowed): MultiPolygon coordinates. */
export type PolygonRings = readonly (readonly (readonly (readonly number[])[])[])[];

const vertexKey = (point: readonly number[]): string => `${point[0]},${point[1]}`;

/**
 * Binary contiguity weights: polygons i and j are queen neighbours when they share a vertex, rook
 * neighbours when they share an edge (two consecutive vertices, in either direction). Exact coordinate
 * equality: polygons that touch without common vertices (T-junctions) are not neighbours.
 */
export function buildContiguityWeights(polygons: readonly PolygonRings[], kind: ContiguityKind): SpatialWeights {
  const owners = new Map<string, number[]>();
  const addOwner = (key: string, polygon: number) => {
    const list = owners.get(key);
    if (list === undefined) owners.set(key, [polygon]);
    else if (list[list.length - 1] !== polygon) list.push(polygon);
  };
  polygons.forEach((parts, polygon) => {
    for (const rings of parts) {
      for (const ring of rings) {
        for (let v = 0; v < ring.length; v++) {
          if (kind === 'queen') {
            addOwner(vertexKey(ring[v]!), polygon);
          } else if (v + 1 < ring.length) {
            const a = vertexKey(ring[v]!);
            const b = vertexKey(ring[v + 1]!);
            if (a !== b) addOwner(a < b ? `${a}|${b}` : `${b}|${a}`, polygon);
          }
        }
      }
    }
  });
  const from: number[] = [];
  const to: number[] = [];
  for (const list of owners.values()) {
    if (list.length < 2) continue;
    for (let a = 0; a < list.length; a++) {
      for (let b = 0; b < list.length; b++) {
        if (list[a] !== list[b]) {
          from.push(list[a]!);
          to.push(list[b]!);
        }
      }
    }
  }
  return weightsFromPairs(polygons.length, from, to);
}
