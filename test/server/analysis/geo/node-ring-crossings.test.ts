// nodeRingCrossings: crossing points and T-junction vertices inserted identically into every ring
// through a segment, checked on hand-made units and against a brute-force search for un-noded pairs.

import type { Position } from 'geojson';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeRingCrossings, type UnitRings } from '../../../../server/analysis/geo/node-ring-crossings';
import { findSegmentConflicts, positionKey, segmentsOf } from '../../helpers/geometry';

const square = (x0: number, y0: number, x1: number, y1: number): Position[] => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];

/** The vertices a ring has strictly between a and b (in the ring's direction), or null if a→b is not in it. */
function between(ring: readonly Position[], a: Position, b: Position): Position[] | null {
  const start = ring.findIndex((p) => positionKey(p) === positionKey(a));
  if (start === -1) return null;
  for (let i = start + 1; i < ring.length; i++) {
    if (positionKey(ring[i]!) === positionKey(b)) return ring.slice(start + 1, i);
  }
  return null;
}

describe('nodeRingCrossings', () => {
  it('returns input without crossings or touchings unchanged, with 0 inserted points', () => {
    const west: UnitRings = [[square(0, 0, 4, 4)]];
    const east: UnitRings = [[square(4, 0, 8, 4)]];
    const copy = structuredClone([west, east]);
    const { units, insertedPoints } = nodeRingCrossings([west, east]);
    expect(insertedPoints).toBe(0);
    expect(units).toEqual(copy);
    expect(units[0]).toBe(west);
    expect(units[1]).toBe(east);
  });

  it('inserts a T-junction vertex into the other unit\'s segment', () => {
    // West's east edge (4,0)→(4,4) is met at (4,2) by the edge between south-east and north-east.
    const west: UnitRings = [[square(0, 0, 4, 4)]];
    const southEast: UnitRings = [[square(4, 0, 8, 2)]];
    const northEast: UnitRings = [[square(4, 2, 8, 4)]];
    const { units, insertedPoints } = nodeRingCrossings([west, southEast, northEast]);
    expect(insertedPoints).toBe(1);
    expect(units[0]).toEqual([[[[0, 0], [4, 0], [4, 2], [4, 4], [0, 4], [0, 0]]]]);
    expect(units[1]).toEqual(southEast);
    expect(units[2]).toEqual(northEast);
  });

  it('gives two units sharing a crossed segment the very same inserted point', () => {
    // West and east share x = 4 (in opposite directions). A third unit's edge (0,-1)→(7,3) crosses it at
    // y = 9/7, which is not exactly representable: both neighbours must still get the identical value.
    // The same edge crosses west's bottom at (7/4, 0), and the third unit's edge x = 7 crosses east's
    // bottom at (7, 0): three crossings, each inserted into both of its segments.
    const west: UnitRings = [[square(0, 0, 4, 4)]];
    const east: UnitRings = [[square(4, 0, 8, 4)]];
    const crossing: UnitRings = [[[[0, -1], [7, 3], [7, -1], [0, -1]]]];
    const { units, insertedPoints } = nodeRingCrossings([west, east, crossing]);
    expect(insertedPoints).toBe(6);

    const inWest = between(units[0]![0]![0]!, [4, 0], [4, 4])!;
    const inEast = between(units[1]![0]![0]!, [4, 4], [4, 0])!;
    expect(inWest).toHaveLength(1);
    expect(inEast).toHaveLength(1);
    const [x, y] = inWest[0]!;
    expect(x).toBe(4);
    expect(y).toBeCloseTo(9 / 7, 12);
    expect(Object.is(inEast[0]![0], x) && Object.is(inEast[0]![1], y)).toBe(true);

    const alongCrossing = between(units[2]![0]![0]!, [0, -1], [7, 3])!;
    expect(alongCrossing).toEqual([[1.75, 0], [4, y]]);
    expect(between(units[2]![0]![0]!, [7, 3], [7, -1])).toEqual([[7, 0]]);
    expect(between(units[0]![0]![0]!, [0, 0], [4, 0])).toEqual([[1.75, 0]]);
    expect(between(units[1]![0]![0]!, [4, 0], [8, 0])).toEqual([[7, 0]]);
  });

  it('orders several points inserted into one segment along each ring\'s own direction', () => {
    // A triangle whose edges cross the shared edge x = 4 at y = 1 and y = 2 (both exact).
    const west: UnitRings = [[square(0, 0, 4, 4)]];
    const east: UnitRings = [[square(4, 0, 8, 4)]];
    const triangle: UnitRings = [[[[2, 1], [6, 3], [6, 1], [2, 1]]]];
    const { units, insertedPoints } = nodeRingCrossings([west, east, triangle]);
    expect(between(units[0]![0]![0]!, [4, 0], [4, 4])).toEqual([[4, 1], [4, 2]]);
    expect(between(units[1]![0]![0]!, [4, 4], [4, 0])).toEqual([[4, 2], [4, 1]]);
    expect(units[2]).toEqual([[[[2, 1], [4, 2], [6, 3], [6, 1], [4, 1], [2, 1]]]]);
    expect(insertedPoints).toBe(4);
  });

  it('nodes a ring crossing itself at the crossing, in both of its segments', () => {
    const { units, insertedPoints } = nodeRingCrossings([[[[[0, 0], [2, 0], [0, 2], [2, 2], [0, 0]]]]]);
    expect(units[0]).toEqual([[[[0, 0], [2, 0], [1, 1], [0, 2], [2, 2], [1, 1], [0, 0]]]]);
    expect(insertedPoints).toBe(2);
  });

  it('splits collinear overlapping segments at each other\'s ends', () => {
    const a: UnitRings = [[square(0, 0, 4, 2)]];
    const b: UnitRings = [[[[2, 0], [6, 0], [6, -2], [2, -2], [2, 0]]]];
    const { units, insertedPoints } = nodeRingCrossings([a, b]);
    expect(between(units[0]![0]![0]!, [0, 0], [4, 0])).toEqual([[2, 0]]);
    expect(between(units[1]![0]![0]!, [2, 0], [6, 0])).toEqual([[4, 0]]);
    expect(insertedPoints).toBe(2);
  });

  it('leaves no crossing or un-noded touching among random integer rectangles of several units', () => {
    const rectangle = fc
      .tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }))
      .map(([x, y, w, h]) => square(x, y, x + w, y + h));
    const unit = fc.array(rectangle, { minLength: 1, maxLength: 3 }).map((rings): UnitRings => rings.map((ring) => [ring]));
    fc.assert(
      fc.property(fc.array(unit, { minLength: 1, maxLength: 4 }), (input) => {
        const { units, insertedPoints } = nodeRingCrossings(input);
        const before = input.flat(3).length;
        const after = units.flat(3).length;
        expect(after - before).toBeGreaterThanOrEqual(insertedPoints > 0 ? 1 : 0);
        if (insertedPoints === 0) expect(units).toEqual(input);

        const keyed = new Map<string, [Position, Position]>();
        for (const ring of units.flat(2)) {
          for (const [a, b] of segmentsOf(ring)) {
            const ka = positionKey(a);
            const kb = positionKey(b);
            if (ka !== kb) keyed.set(ka < kb ? `${ka};${kb}` : `${kb};${ka}`, [a, b]);
          }
        }
        const conflicts = findSegmentConflicts([...keyed.values()], 3);
        expect(conflicts.properCrossings).toEqual([]);
        expect(conflicts.touchings).toEqual([]);
        // Every input vertex survives, in order (inserting never drops or moves a vertex).
        input.forEach((unitRings, u) =>
          unitRings.forEach((part, p) =>
            part.forEach((ring, r) => {
              const out = units[u]![p]![r]!.map(positionKey);
              let at = 0;
              for (const v of ring.map(positionKey)) {
                at = out.indexOf(v, at);
                expect(at).toBeGreaterThanOrEqual(0);
              }
            }),
          ),
        );
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
