// rebuildPolygonRings on small hand-computed rings (integer coordinates, so every area is exact), and
// against a cell-counting oracle: the union of random integer rectangles, noded and rebuilt.

import type { Position } from 'geojson';
import * as turf from '@turf/turf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeRingCrossings } from '../../../../server/analysis/geo/node-ring-crossings';
import {
  pointInRing,
  rebuildPolygonRings,
  signedRingArea,
  type MultiPolygonCoordinates,
} from '../../../../server/analysis/geo/rebuild-polygon-rings';
import {
  canonicalMultiPolygon,
  findSegmentConflicts,
  planarArea,
  pointInMultiPolygon,
  positionKey,
  probeBeside,
  segmentsOf,
} from '../../helpers/geometry';

const rebuilt = (parts: Position[][][]): MultiPolygonCoordinates => rebuildPolygonRings(parts);

/** Checks that hold for every output: shells CCW, holes CW, simple rings, no repeated vertices. */
function expectWellFormed(result: MultiPolygonCoordinates): void {
  for (const polygon of result) {
    polygon.forEach((ring, index) => {
      expect(positionKey(ring[0]!)).toBe(positionKey(ring[ring.length - 1]!));
      expect(ring.length).toBeGreaterThanOrEqual(4);
      if (index === 0) expect(signedRingArea(ring)).toBeGreaterThan(0);
      else expect(signedRingArea(ring)).toBeLessThan(0);
      const open = ring.slice(0, -1).map(positionKey);
      expect(new Set(open).size, `ring passes a vertex twice: ${JSON.stringify(ring)}`).toBe(open.length);
    });
  }
}

describe('signedRingArea and pointInRing', () => {
  const square = [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]];

  it('is positive counter-clockwise and negative clockwise', () => {
    expect(signedRingArea(square)).toBe(4);
    expect(signedRingArea(square.slice().reverse())).toBe(-4);
    expect(signedRingArea([[0, 0], [3, 0], [0, 4], [0, 0]])).toBe(6);
  });

  it('tells inside from outside', () => {
    expect(pointInRing([1, 1], square)).toBe(true);
    expect(pointInRing([3, 1], square)).toBe(false);
    expect(pointInRing([1, -0.5], square)).toBe(false);
  });
});

describe('rebuildPolygonRings', () => {
  it('turns a clockwise shell counter-clockwise, keeping its vertices', () => {
    const result = rebuilt([[[[0, 0], [0, 2], [2, 2], [2, 0], [0, 0]]]]);
    expect(canonicalMultiPolygon(result)).toEqual([[[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]]);
    expectWellFormed(result);
  });

  it('leaves a valid counter-clockwise polygon as it is', () => {
    const shell = [[0, 0], [3, 0], [3, 1], [1, 1], [1, 3], [0, 3], [0, 0]];
    const result = rebuilt([[shell]]);
    expect(canonicalMultiPolygon(result)).toEqual(canonicalMultiPolygon([[shell]]));
    expect(planarArea(result)).toBe(5);
  });

  it('removes consecutive duplicate points', () => {
    const result = rebuilt([[[[0, 0], [2, 0], [2, 0], [2, 2], [0, 2], [0, 2], [0, 2], [0, 0]]]]);
    expect(canonicalMultiPolygon(result)).toEqual([[[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]]);
  });

  it.each([
    ['outward', [[0, 0], [2, 0], [2, 2], [3, 3], [2, 2], [0, 2], [0, 0]]],
    ['inward', [[0, 0], [2, 0], [2, 2], [1, 1], [2, 2], [0, 2], [0, 0]]],
    ['two-segment', [[0, 0], [2, 0], [4, 0], [5, 0], [4, 0], [2, 0], [2, 2], [0, 2], [0, 0]]],
  ])('removes a zero-width spike (A, B, A): %s', (_, ring) => {
    const result = rebuilt([[ring]]);
    expect(canonicalMultiPolygon(result)).toEqual([[[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]]);
  });

  it('splits a figure-eight touching itself at a vertex into two rings', () => {
    // Two 2x2 squares drawn as one ring that passes (2, 2) twice.
    const result = rebuilt([[[[0, 0], [2, 0], [2, 2], [4, 2], [4, 4], [2, 4], [2, 2], [0, 2], [0, 0]]]]);
    expect(canonicalMultiPolygon(result)).toEqual([
      [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]],
      [[[2, 2], [4, 2], [4, 4], [2, 4], [2, 2]]],
    ]);
    expectWellFormed(result);
    // Two polygons meeting at a point is a valid MultiPolygon; each part is a valid polygon.
    for (const polygon of result) expect(turf.booleanValid(turf.polygon(polygon))).toBe(true);
  });

  it('turns a ring that touches itself into a shell and a hole touching it at that point', () => {
    // A 4x4 square with a notch of area 3 cut from its top edge; the notch meets the edge only at (2, 4).
    const ring = [[0, 0], [4, 0], [4, 4], [2, 4], [3, 2], [2, 1], [1, 2], [2, 4], [0, 4], [0, 0]];
    expect(turf.booleanValid(turf.polygon([ring]))).toBe(false);
    const result = rebuilt([[ring]]);
    expect(canonicalMultiPolygon(result)).toEqual([
      [
        [[0, 0], [4, 0], [4, 4], [2, 4], [0, 4], [0, 0]],
        [[1, 2], [2, 4], [3, 2], [2, 1], [1, 2]],
      ],
    ]);
    expect(planarArea(result)).toBe(13);
    expectWellFormed(result);
    expect(turf.booleanValid(turf.polygon(result[0]!))).toBe(true);
  });

  it.each([
    ['clockwise', [[1, 1], [1, 3], [3, 3], [3, 1], [1, 1]]],
    ['counter-clockwise', [[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]]],
  ])('keeps a hole given %s, returning it clockwise', (_, hole) => {
    const result = rebuilt([[[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], hole]]);
    expect(canonicalMultiPolygon(result)).toEqual([
      [
        [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]],
        [[1, 1], [1, 3], [3, 3], [3, 1], [1, 1]],
      ],
    ]);
    expect(planarArea(result)).toBe(12);
  });

  it('merges two parts sharing an edge into one ring, keeping the edge ends as vertices', () => {
    const result = rebuilt([
      [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]],
      [[[2, 0], [4, 0], [4, 2], [2, 2], [2, 0]]],
    ]);
    expect(canonicalMultiPolygon(result)).toEqual([[[[0, 0], [2, 0], [4, 0], [4, 2], [2, 2], [0, 2], [0, 0]]]]);
    expect(planarArea(result)).toBe(8);
  });

  it('counts an area covered twice once (non-zero winding), not twice or not at all', () => {
    const square = [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]];
    const result = rebuilt([[square], [square.slice().reverse()]]);
    expect(canonicalMultiPolygon(result)).toEqual([[square]]);
  });

  it('merges overlapping parts into their union once they are noded', () => {
    // 3x2 and 2x2 rectangles overlapping in a 1x2 strip: union area 6 + 4 - 2 = 8.
    const { units } = nodeRingCrossings([
      [[[[0, 0], [3, 0], [3, 2], [0, 2], [0, 0]]], [[[2, 0], [4, 0], [4, 2], [2, 2], [2, 0]]]],
    ]);
    const result = rebuilt(units[0]!);
    expect(result).toHaveLength(1);
    expect(result[0]).toHaveLength(1);
    expect(planarArea(result)).toBe(8);
    expect(pointInMultiPolygon([2.5, 1], result)).toBe(true);
    expectWellFormed(result);
  });

  it('separates two parts joined by a doubled zero-width corridor', () => {
    const ring = [[0, 0], [2, 0], [2, 1], [5, 1], [5, 0], [7, 0], [7, 2], [5, 2], [5, 1], [2, 1], [2, 2], [0, 2], [0, 0]];
    const result = rebuilt([[ring]]);
    expect(canonicalMultiPolygon(result)).toEqual([
      [[[0, 0], [2, 0], [2, 1], [2, 2], [0, 2], [0, 0]]],
      [[[5, 0], [7, 0], [7, 2], [5, 2], [5, 1], [5, 0]]],
    ]);
    expect(planarArea(result)).toBe(8);
  });

  it('attaches a hole to the smallest shell holding it (an island in a lake keeps the lake)', () => {
    const result = rebuilt([
      [
        [[0, 0], [6, 0], [6, 6], [0, 6], [0, 0]],
        [[1, 1], [5, 1], [5, 5], [1, 5], [1, 1]],
      ],
      [[[2, 2], [4, 2], [4, 4], [2, 4], [2, 2]]],
    ]);
    expect(canonicalMultiPolygon(result)).toEqual([
      [
        [[0, 0], [6, 0], [6, 6], [0, 6], [0, 0]],
        [[1, 1], [1, 5], [5, 5], [5, 1], [1, 1]],
      ],
      [[[2, 2], [4, 2], [4, 4], [2, 4], [2, 2]]],
    ]);
    expect(planarArea(result)).toBe(36 - 16 + 4);
  });

  it('keeps only the positively wound lobe of a self-crossing ring (winding ≥ 1, not ≠ 0)', () => {
    // A bow-tie crossing at (1, 1), noded there. Read as a counter-clockwise shell (its signed area is 0,
    // so it is reversed), one lobe winds +1 and the other -1; only the +1 lobe is material. This pins the
    // documented rule: a change to "≠ 0" (keep both lobes, as GEOS MakeValid does) must be deliberate.
    const { units } = nodeRingCrossings([[[[[0, 0], [2, 0], [0, 2], [2, 2], [0, 0]]]]]);
    expect(units[0]![0]![0]!.map(positionKey)).toContain('1,1');
    const result = rebuilt(units[0]!);
    expect(canonicalMultiPolygon(result)).toEqual([[[[0, 2], [1, 1], [2, 2], [0, 2]]]]);
    expect(planarArea(result)).toBe(1);
  });

  it('returns nothing for a ring of zero area', () => {
    expect(rebuilt([[[[0, 0], [1, 1], [2, 2], [0, 0]]]])).toEqual([]);
    expect(rebuilt([[[[0, 0], [2, 0], [0, 0]]]])).toEqual([]);
  });
});

describe('rebuildPolygonRings on unions of random integer rectangles (cell-counting oracle)', () => {
  const rectangle = fc
    .tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.boolean())
    .map(([x, y, width, height, clockwise]) => {
      const ring = [[x, y], [x + width, y], [x + width, y + height], [x, y + height], [x, y]];
      return { x, y, width, height, ring: clockwise ? ring.reverse() : ring };
    });

  it('covers exactly the covered unit cells, with well-formed, non-crossing rings', () => {
    fc.assert(
      fc.property(fc.array(rectangle, { minLength: 1, maxLength: 6 }), (rectangles) => {
        const { units } = nodeRingCrossings([rectangles.map((r) => [r.ring])]);
        const result = rebuildPolygonRings(units[0]!);

        let coveredCells = 0;
        for (let x = 0; x < 11; x++) {
          for (let y = 0; y < 11; y++) {
            const covered = rectangles.some((r) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height);
            if (covered) coveredCells += 1;
            expect(pointInMultiPolygon([x + 0.5, y + 0.5], result), `cell ${x},${y}`).toBe(covered);
          }
        }
        expect(planarArea(result)).toBe(coveredCells);
        expectWellFormed(result);

        // Every hole lies inside its own shell, and no two segments of the result cross or touch un-noded.
        for (const polygon of result) {
          for (const hole of polygon.slice(1)) {
            expect(pointInRing(probeBeside(hole[0]!, hole[1]!, -1, 0.01), polygon[0]!)).toBe(true);
          }
        }
        const segments = result.flat().flatMap((ring) => [...segmentsOf(ring)]);
        const conflicts = findSegmentConflicts(segments, 2);
        expect(conflicts.properCrossings).toEqual([]);
        expect(conflicts.touchings).toEqual([]);
      }),
      { seed: 20240611, numRuns: 300 },
    );
  });
});
