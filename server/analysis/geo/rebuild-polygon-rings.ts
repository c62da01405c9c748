// Rebuilds valid polygon rings from the boundary 1-chain of one unit's messy rings: directed segments
// are summed (opposite uses cancel, so zero-width spikes and doubled corridors vanish), each face gets
// its winding number, and the faces kept by the winding rule are walked into rings (see
// planar-partition.ts). Every surviving vertex is an input vertex, so neighbours that shared vertices
// before still share them after (no snapping, no collinear-point removal).

import type { Position } from 'geojson';
import { partitionPlanarFaces, pointInRing, signedRingArea, type MultiPolygonCoordinates } from './planar-partition';

export { pointInRing, signedRingArea, type MultiPolygonCoordinates };

/** A polygon as rings of [x, y]; the first ring is the shell, the rest are holes (any orientation). */
export type LooseRings = Position[][];

/**
 * Rebuilds one unit's polygons from the given parts.
 *
 * Each part's shell is read as counter-clockwise and its holes as clockwise whatever their stored
 * orientation, so the unit's interior lies on the left of every directed segment. Segments used in
 * both directions by the same unit cancel. The result has no repeated consecutive vertices, no
 * spikes and no self-touching rings; holes are attached to the smallest shell holding them.
 *
 * Coordinates are compared exactly: inputs from one quantised source keep their shared vertices.
 * The input must be noded (no crossing segments; see node-ring-crossings.ts). Faces with a winding
 * number of at least `minWinding` are kept: 1 gives the union of the parts; 2 with two valid parts
 * gives their intersection, on the same exact vertices.
 */
export function rebuildPolygonRings(
  parts: readonly LooseRings[],
  { minWinding = 1 }: { minWinding?: number } = {},
): MultiPolygonCoordinates {
  return partitionPlanarFaces([parts as Position[][][]], (windingByUnit) => ((windingByUnit.get(0) ?? 0) >= minWinding ? 0 : -1))[0]!;
}
