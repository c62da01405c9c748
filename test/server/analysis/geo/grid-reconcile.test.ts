// reconcileGrids on hand-made squares: overlaps, IoU, slivers, gaps, uncovered grids and border crossings
// against the areas of the rectangles they must be (Turf's geodesic area of the expected piece).

import { area as turfArea, featureCollection, intersect as turfIntersect, multiPolygon as turfMultiPolygon, polygon as turfPolygon } from '@turf/turf';
import type { Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RECONCILE_OPTIONS, matchQuality, reconcileGrids, type ReconcilePolygon } from '../../../../server/analysis/geo/grid-reconcile';

/** An axis-aligned rectangle [x0, x1] × [y0, y1] (degrees, near 41.8° N) as MultiPolygon coordinates. */
function rect(x0: number, y0: number, x1: number, y1: number): Position[][][] {
  return [[[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]];
}
const at = (dx0: number, dy0: number, dx1: number, dy1: number) => rect(123.4 + dx0, 41.8 + dy0, 123.4 + dx1, 41.8 + dy1);
const areaOf = (coordinates: Position[][][]) => turfArea(turfPolygon(coordinates[0]!));
const grid = (code: string, coordinates: Position[][][]): ReconcilePolygon => ({ code, name: `网格${code}`, coordinates });

const S = 0.01; // one unified grid is S × S degrees (about 830 m × 1,110 m)
// Community …001001 holds U1–U2, …001002 holds U3 (both in street 210102001), …002001 holds U4 (street 210102002).
const unified = [
  { ...grid('U1', at(0, 0, S, S)), communityCode: '210102001001' },
  { ...grid('U2', at(S, 0, 2 * S, S)), communityCode: '210102001001' },
  { ...grid('U3', at(2 * S, 0, 3 * S, S)), communityCode: '210102001002' },
  { ...grid('U4', at(3 * S, 0, 4 * S, S)), communityCode: '210102002001' },
];
const names = new Map([
  ['210102001', '甲街道'],
  ['210102002', '乙街道'],
  ['210102001001', '一社区'],
]);

describe('reconcileGrids', () => {
  it('a merged pair: each unified grid is half of the departmental grid, IoU 0.5, no sliver', () => {
    const report = reconcileGrids(unified.slice(0, 2), [grid('D1', at(0, 0, 2 * S, S))], names);
    for (const match of report.unified) {
      expect(match.best?.departmentCode).toBe('D1');
      expect(match.best?.shareOfUnified).toBeCloseTo(1, 4);
      expect(match.best?.shareOfDepartment).toBeCloseTo(0.5, 3);
      expect(match.best?.iou).toBeCloseTo(0.5, 3);
      expect(match.quality).toBe('poor');
      expect(match.areaM2).toBeCloseTo(areaOf(unified[0]!.coordinates), -1);
    }
    expect(report.slivers).toEqual([]);
    expect(report.gaps).toEqual([]);
    expect(report.crossings).toEqual([]);
    expect(report.summary).toMatchObject({ unifiedGrids: 2, departmentGrids: 1, byQuality: { good: 0, fair: 0, poor: 2, none: 0 }, failedPairs: 0 });
  });

  it('a shifted grid: the overlap and the piece across the edge have the rectangles’ areas; the small piece is a sliver', () => {
    // D3 is U3 moved east by S/10: 90 % of it in U3, 10 % in U4.
    const shifted = grid('D3', at(2 * S + S / 10, 0, 3 * S + S / 10, S));
    const report = reconcileGrids(unified, [shifted], names, { ...DEFAULT_RECONCILE_OPTIONS, sliverShare: 0.2 });
    const u3 = report.unified.find((match) => match.code === 'U3')!;
    const main = areaOf(at(2 * S + S / 10, 0, 3 * S, S));
    const piece = areaOf(at(3 * S, 0, 3 * S + S / 10, S));
    expect(u3.best?.areaM2).toBeCloseTo(main, 0);
    expect(u3.best?.shareOfUnified).toBeCloseTo(0.9, 3);
    // IoU = 0.9 / (1 + 1 − 0.9).
    expect(u3.best?.iou).toBeCloseTo(0.9 / 1.1, 3);
    expect(u3.quality).toBe('fair');
    expect(report.slivers).toHaveLength(1);
    expect(report.slivers[0]).toMatchObject({ unifiedCode: 'U4', departmentCode: 'D3' });
    expect(report.slivers[0]!.areaM2).toBeCloseTo(piece, 0);
    expect(report.slivers[0]!.lngLat[0]).toBeCloseTo(123.4 + 3 * S + S / 20, 6);
    expect(report.uncovered).toEqual(['U1', 'U2']);
    expect(report.summary.byQuality).toEqual({ good: 0, fair: 1, poor: 1, none: 2 });
    // The piece in C3 is 10 % of D3: a crossing of the street border only when the sliver size allows it.
    expect(report.crossings).toEqual([]);
    const strict = reconcileGrids(unified, [shifted], names, { ...DEFAULT_RECONCILE_OPTIONS, sliverShare: 0.05 });
    expect(strict.slivers).toEqual([]);
    expect(strict.crossings).toHaveLength(1);
    expect(strict.crossings[0]).toMatchObject({ departmentCode: 'D3', level: 'street' });
    expect(strict.crossings[0]!.streets.map((street) => [street.code, street.name, street.share])).toEqual([
      ['210102001', '甲街道', 0.9],
      ['210102002', '乙街道', 0.1],
    ]);
  });

  it('a departmental grid across a community border inside one street is a community crossing with each share', () => {
    // D4 spans the east half of U2 (community …001) and the west half of U3 (community …002).
    const report = reconcileGrids(unified, [grid('D4', at(1.5 * S, 0, 2.5 * S, S))], names);
    expect(report.crossings).toHaveLength(1);
    const crossing = report.crossings[0]!;
    expect(crossing.level).toBe('community');
    expect(crossing.streets.map((street) => street.code)).toEqual(['210102001']);
    expect(crossing.communities.map((community) => [community.code, community.name]).sort()).toEqual([
      ['210102001001', '一社区'],
      ['210102001002', '210102001002'],
    ]);
    for (const community of crossing.communities) expect(community.share).toBeCloseTo(0.5, 3);
    expect(crossing.communities[0]!.areaM2).toBeCloseTo(areaOf(at(1.5 * S, 0, 2 * S, S)), -1);
  });

  it('departmental area outside every unified grid is a gap with its area; an exact copy is a good match', () => {
    const outside = grid('D5', at(4 * S, 0, 5 * S, S));
    const half = grid('D6', at(3.5 * S, 0, 4.5 * S, S));
    const copy = grid('D1', at(0, 0, S, S));
    const report = reconcileGrids(unified, [copy, outside, half], names);
    expect(report.unified[0]).toMatchObject({ code: 'U1', quality: 'good', coveredShare: 1 });
    expect(report.unified[0]!.best?.iou).toBe(1);
    const gaps = new Map(report.gaps.map((gap) => [gap.departmentCode, gap]));
    expect(gaps.get('D5')?.shareOutside).toBe(1);
    expect(gaps.get('D5')?.outsideM2).toBeCloseTo(areaOf(outside.coordinates), -1);
    expect(gaps.get('D6')?.shareOutside).toBeCloseTo(0.5, 3);
    expect(gaps.has('D1')).toBe(false);
    expect(report.summary.gapAreaM2).toBeCloseTo(areaOf(outside.coordinates) + areaOf(at(4 * S, 0, 4.5 * S, S)), -1);
    // Neighbours sharing only an edge are not overlaps.
    expect(report.unified[1]!.overlaps).toEqual([]);
  });

  it('a copy whose vertices differ by float noise, and a grid holding a unified grid with no vertex in common, still overlay', () => {
    const noisy = at(0, 0, S, S).map((polygon) => polygon.map((ring) => ring.map((p) => [p[0]! + 1e-10, p[1]! - 1e-10])));
    const around = grid('D8', at(-S / 2, -S / 2, 2.5 * S, 1.5 * S));
    const report = reconcileGrids(unified.slice(0, 2), [grid('D7', noisy), around], names);
    expect(report.unified[0]!.overlaps.map((overlap) => overlap.departmentCode).sort()).toEqual(['D7', 'D8']);
    expect(report.unified[0]!.best).toMatchObject({ departmentCode: 'D7', iou: 1 });
    expect(report.unified[1]!.best).toMatchObject({ departmentCode: 'D8', shareOfUnified: 1 });
  });

  it('clipping by a convex ring or by triangles agrees with Turf’s intersect (polyclip-ts) on seeded random pairs', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    /** A star-shaped ring (convex when `jitter` is 0) of `n` vertices around a centre, about S wide. */
    const ring = (cx: number, cy: number, n: number, jitter: number): Position[] => {
      const points: Position[] = [];
      for (let k = 0; k < n; k++) {
        const angle = (2 * Math.PI * k) / n;
        const radius = (S / 2) * (1 - jitter * random());
        points.push([cx + radius * Math.cos(angle), cy + radius * Math.sin(angle)]);
      }
      return [...points, points[0]!];
    };
    for (let trial = 0; trial < 40; trial++) {
      // Convex, star-shaped (concave), or a ring with a hole (clockwise, as RFC 7946 holes are).
      const outer = ring(123.4, 41.8, 5 + Math.floor(random() * 8), trial % 3 === 0 ? 0.4 : 0);
      const convex = grid('U', trial % 4 === 3 ? [[outer, ring(123.4, 41.8, 7, 0).map((p) => [123.4 + (p[0]! - 123.4) / 4, 41.8 + (p[1]! - 41.8) / 4]).reverse()]] : [[outer]]);
      const other = grid('D', [[ring(123.4 + (random() - 0.5) * S, 41.8 + (random() - 0.5) * S, 6 + Math.floor(random() * 10), trial % 2 === 0 ? 0 : 0.5)]]);
      const report = reconcileGrids([{ ...convex, communityCode: '210102001001' }], [other], names, { ...DEFAULT_RECONCILE_OPTIONS, noiseAreaM2: 0 });
      const piece = turfIntersect(featureCollection([turfMultiPolygon(convex.coordinates), turfMultiPolygon(other.coordinates)]));
      const expected = piece ? turfArea(piece) : 0;
      const actual = report.unified[0]!.overlaps[0]?.areaM2 ?? 0;
      expect(Math.abs(actual - expected), `trial ${trial}`).toBeLessThanOrEqual(Math.max(0.01, 1e-6 * expected));
    }
  });

  it('empty inputs give an empty report, and quality bins follow the IoU', () => {
    const report = reconcileGrids([], [], new Map());
    expect(report.summary).toMatchObject({ unifiedGrids: 0, departmentGrids: 0, meanBestIou: 0, uncovered: 0 });
    expect([matchQuality(null), matchQuality(0), matchQuality(0.59), matchQuality(0.6), matchQuality(0.9)]).toEqual(['none', 'poor', 'poor', 'fair', 'good']);
  });
});
