// Service-area polygons: the distance raster and its marching squares (areas, holes, orientation,
// separate parts), containment of every reachable point and nothing beyond the buffer on seeded random
// street grids, barriers that the buffer must not bridge, and dissolved straight-line discs.

import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../server/analysis/random';
import { createLocalProjection } from '../../../../server/analysis/geo/local-projection';
import { BarrierIndex, segmentsIntersect } from '../../../../server/analysis/coverage/barrier-index';
import { DistanceRaster, signedArea, simplifyRing } from '../../../../server/analysis/coverage/distance-raster';
import {
  chooseCellMeters,
  clusterSegments,
  discPolygon,
  dissolveDiscs,
  reachableSegmentsXY,
  traceNetworkServiceArea,
  ServiceAreaTooLargeError,
} from '../../../../server/analysis/coverage/service-area';
import { EdgeSourceIndex, NetworkCostWorkspace, computeNetworkCosts, seedsAtSnappedPoints } from '../../../../server/analysis/network/network-costs';
import { ReachableEdgeCollector } from '../../../../server/analysis/network/reachable-edges';
import { DIRECTION_BOTH, buildRoadGraph, type RoadEdgeList } from '../../../../server/analysis/network/road-graph';
import { insideMultiPolygon, streetGrid } from './coverage-helpers';

describe('DistanceRaster', () => {
  it('traces a loop of streets as a ring with a hole, counter-clockwise outside and clockwise inside', () => {
    const raster = new DistanceRaster({ minX: 0, minY: 0, maxX: 400, maxY: 400 }, 10, 50);
    raster.addSegment(0, 0, 400, 0, null);
    raster.addSegment(400, 0, 400, 400, null);
    raster.addSegment(400, 400, 0, 400, null);
    raster.addSegment(0, 400, 0, 0, null);
    const polygons = raster.trace();
    expect(polygons).toHaveLength(1);
    expect(polygons[0]).toHaveLength(2);
    const [outer, hole] = polygons[0]!;
    // Outer: the 500 m square with rounded corners (250,000 − 4 · (50² − π·50²/4) ≈ 247,854 m²).
    expect(signedArea(outer!)).toBeGreaterThan(247_854 * 0.99);
    expect(signedArea(outer!)).toBeLessThan(247_854 * 1.01);
    // Hole: the 300 m square, clockwise.
    expect(signedArea(hole!)).toBeLessThan(-90_000 * 0.99);
    expect(signedArea(hole!)).toBeGreaterThan(-90_000 * 1.01);
    for (const ring of polygons[0]!) expect(ring[0]).toEqual(ring[ring.length - 1]);
  });

  it('keeps parts more than two buffers apart separate, and a disc round', () => {
    const raster = new DistanceRaster({ minX: -200, minY: -200, maxX: 600, maxY: 200 }, 5, 30);
    raster.addSegment(0, 0, 0, 0, null);
    raster.addSegment(500, 0, 500, 0, null);
    const polygons = raster.trace(0);
    expect(polygons).toHaveLength(2);
    for (const polygon of polygons) {
      expect(polygon).toHaveLength(1);
      expect(signedArea(polygon[0]!) / (Math.PI * 30 * 30)).toBeCloseTo(1, 1);
    }
    const discs = new DistanceRaster({ minX: -300, minY: -300, maxX: 300, maxY: 300 }, 10, 10);
    discs.addDisc(0, 0, 250);
    expect(signedArea(discs.trace(0)[0]![0]!) / (Math.PI * 250 * 250)).toBeCloseTo(1, 2);
  });

  it('does not widen across a barrier', () => {
    const barriers = new BarrierIndex([[[123.39, 41.8002], [123.41, 41.8002]]], createLocalProjection(123.4, 41.8));
    expect(barriers.segmentCount).toBe(1);
    // A street along y = 0; the barrier runs 22 m north of it.
    const open = new DistanceRaster({ minX: -100, minY: 0, maxX: 100, maxY: 0 }, 5, 50);
    open.addSegment(-100, 0, 100, 0, null);
    const blocked = new DistanceRaster({ minX: -100, minY: 0, maxX: 100, maxY: 0 }, 5, 50);
    blocked.addSegment(-100, 0, 100, 0, barriers);
    const reachesNorth = (raster: DistanceRaster) => {
      const ring = raster.trace()[0]![0]!;
      return Math.max(...ring.map((p) => p[1]!));
    };
    expect(reachesNorth(open)).toBeGreaterThan(45);
    expect(reachesNorth(blocked)).toBeLessThan(23);
    expect(Math.min(...blocked.trace()[0]![0]!.map((p) => p[1]!))).toBeLessThan(-45);
  });

  it('simplifies rings without losing their ends', () => {
    const ring = [[0, 0], [1, 0.01], [2, 0], [2, 2], [0, 2], [0, 0]];
    expect(simplifyRing(ring, 0.1)).toEqual([[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]);
    expect(simplifyRing([[0, 0], [1, 0], [0, 1], [0, 0]], 5)).toHaveLength(4);
  });
});

describe('segment intersection', () => {
  it('counts crossings and touches, not near misses', () => {
    expect(segmentsIntersect(0, 0, 2, 2, 0, 2, 2, 0)).toBe(true);
    expect(segmentsIntersect(0, 0, 1, 0, 1, 0, 1, 5)).toBe(true);
    expect(segmentsIntersect(0, 0, 1, 0, 1.01, -1, 1.01, 1)).toBe(false);
    expect(segmentsIntersect(0, 0, 1, 0, 2, 0, 3, 0)).toBe(false);
    expect(segmentsIntersect(0, 0, 2, 0, 1, 0, 3, 0)).toBe(true);
  });
});

/** Distance (metres) from (x, y) to the nearest of the segments [x0, y0, x1, y1, …]. */
function distanceToSegments(segments: Float64Array, x: number, y: number): number {
  let best = Infinity;
  for (let i = 0; i < segments.length; i += 4) {
    const ax = segments[i]!;
    const ay = segments[i + 1]!;
    const dx = segments[i + 2]! - ax;
    const dy = segments[i + 3]! - ay;
    const l2 = dx * dx + dy * dy;
    const t = l2 > 0 ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / l2)) : 0;
    best = Math.min(best, Math.hypot(ax + t * dx - x, ay + t * dy - y));
  }
  return best;
}

describe('traceNetworkServiceArea on seeded street grids', () => {
  it('contains every reachable point and nothing farther than the buffer from the reachable network', () => {
    const rng = createRng(15);
    const bufferMeters = 50;
    let checkedInside = 0;
    let checkedOutside = 0;
    for (let trial = 0; trial < 12; trial++) {
      const graph = buildRoadGraph(streetGrid(rng, 14, rng.uniform(80, 200), 0.15));
      const workspace = new NetworkCostWorkspace(graph.nodeCount);
      const collector = new ReachableEdgeCollector(graph);
      const count = rng.int(1, 3);
      const edge = Int32Array.from({ length: count }, () => rng.int(0, graph.edgeCount - 1));
      const fraction = Float64Array.from({ length: count }, () => rng.next());
      const access = Float64Array.from({ length: count }, () => rng.uniform(0, 40));
      const cutoff = rng.uniform(60, 900);
      computeNetworkCosts(graph, seedsAtSnappedPoints(graph, edge, fraction, access), cutoff, workspace);
      const intervals = collector.collect(workspace, cutoff, new EdgeSourceIndex(graph.edgeCount, edge, fraction, access));
      const traced = traceNetworkServiceArea(graph, intervals, { bufferMeters });
      expect(traced.cellMeters).toBe(15);
      const projection = createLocalProjection(123.45, 41.81);
      const segments = reachableSegmentsXY(graph, intervals, projection);
      // Every reachable point (sampled every ~5 m along each piece) is inside.
      for (let i = 0; i < segments.length; i += 4) {
        const steps = Math.max(1, Math.ceil(Math.hypot(segments[i + 2]! - segments[i]!, segments[i + 3]! - segments[i + 1]!) / 5));
        for (let s = 0; s <= steps; s++) {
          const x = segments[i]! + ((segments[i + 2]! - segments[i]!) * s) / steps;
          const y = segments[i + 1]! + ((segments[i + 3]! - segments[i + 1]!) * s) / steps;
          const [lng, lat] = projection.toLngLat([x, y]);
          expect(insideMultiPolygon(traced.coordinates, lng, lat), `trial ${trial}: reachable point ${x.toFixed(1)}, ${y.toFixed(1)}`).toBe(true);
          checkedInside++;
        }
      }
      // Random places: inside only within the buffer (plus a cell for the raster), and inside when
      // well within it.
      for (let k = 0; k < 400; k++) {
        const [lng, lat] = [123.4 + rng.uniform(-0.005, 0.035), 41.8 + rng.uniform(-0.005, 0.03)];
        const [x, y] = projection.toXY([lng, lat]);
        const distance = distanceToSegments(segments, x, y);
        const inside = insideMultiPolygon(traced.coordinates, lng, lat);
        if (distance > bufferMeters + 15) expect(inside, `trial ${trial}: ${distance.toFixed(1)} m away`).toBe(false);
        if (distance < bufferMeters - 15) expect(inside, `trial ${trial}: ${distance.toFixed(1)} m away`).toBe(true);
        checkedOutside++;
      }
    }
    expect(checkedInside).toBeGreaterThan(1000);
    expect(checkedOutside).toBe(4800);
  });

  it('stops at a barrier between two streets, but follows a bridge across it', () => {
    // Two east–west streets 60 m apart (y = 0 and y = 60), a river between them at y = 30, joined by a
    // bridge at the east end (x = 1000).
    const projection = createLocalProjection(123.4, 41.8);
    const toLngLat = (x: number, y: number) => projection.toLngLat([x, y]);
    const points = [toLngLat(0, 0), toLngLat(1000, 0), toLngLat(0, 60), toLngLat(1000, 60)];
    const edges: RoadEdgeList = {
      nodeLngLat: Float64Array.from(points.flat()),
      edgeFrom: Uint32Array.from([0, 2, 1]),
      edgeTo: Uint32Array.from([1, 3, 3]),
      edgeLengthMeters: Float64Array.from([1000, 1000, 60]),
      edgeDirection: new Uint8Array(3).fill(DIRECTION_BOTH),
    };
    const graph = buildRoadGraph(edges);
    const river = [[-500, 30], [1500, 30]].map(([x, y]) => toLngLat(x!, y!));
    const workspace = new NetworkCostWorkspace(graph.nodeCount);
    const collector = new ReachableEdgeCollector(graph);
    const trace = (startFraction: number, cutoff: number, barrierLines: number[][][]) => {
      const edge = Int32Array.from([0]);
      const fraction = Float64Array.from([startFraction]);
      const access = new Float64Array(1);
      computeNetworkCosts(graph, seedsAtSnappedPoints(graph, edge, fraction, access), cutoff, workspace);
      const intervals = collector.collect(workspace, cutoff, new EdgeSourceIndex(graph.edgeCount, edge, fraction, access));
      return traceNetworkServiceArea(graph, intervals, { bufferMeters: 50, barrierLines }).coordinates;
    };
    // From the west end, 300 m: the north street is not reachable. Without the river the buffer
    // would spill over to it; with the river it stops at the bank.
    const across = toLngLat(100, 45);
    expect(insideMultiPolygon(trace(0, 300, []), across[0], across[1])).toBe(true);
    expect(insideMultiPolygon(trace(0, 300, [river]), across[0], across[1])).toBe(false);
    // On the near bank the zone ends within a raster cell (15 m) of the river.
    const sameSide = toLngLat(100, 14);
    expect(insideMultiPolygon(trace(0, 300, [river]), sameSide[0], sameSide[1])).toBe(true);
    // From near the bridge, the north street is reached over it: both banks are covered there.
    const north = toLngLat(900, 45);
    const area = trace(0.95, 300, [river]);
    expect(insideMultiPolygon(area, north[0], north[1])).toBe(true);
    const farNorth = toLngLat(500, 60);
    expect(insideMultiPolygon(area, farNorth[0], farNorth[1])).toBe(false);
  });
});

describe('layout helpers', () => {
  it('clusters segments that lie within a gap of each other', () => {
    const segments = Float64Array.from([0, 0, 100, 0, 150, 0, 300, 0, 10_000, 0, 10_100, 0]);
    const clusters = clusterSegments(segments, 2000).map((c) => c.sort()).sort((a, b) => a[0]! - b[0]!);
    expect(clusters).toEqual([[0, 1], [2]]);
  });

  it('chooses coarser cells for large areas and refuses what would lose containment', () => {
    expect(chooseCellMeters({ minX: 0, minY: 0, maxX: 2000, maxY: 2000 }, 50)).toBe(15);
    const city = chooseCellMeters({ minX: 0, minY: 0, maxX: 40_000, maxY: 40_000 }, 50);
    expect(city).toBeGreaterThan(15);
    expect(city).toBeLessThanOrEqual(50 / Math.SQRT2);
    expect(() => chooseCellMeters({ minX: 0, minY: 0, maxX: 200_000, maxY: 200_000 }, 50)).toThrow(ServiceAreaTooLargeError);
  });
});

describe('straight-line discs', () => {
  it('draws a disc of the given radius and dissolves overlapping ones', () => {
    const [ring] = discPolygon([123.4, 41.8], 500);
    expect(ring).toHaveLength(65);
    const projection = createLocalProjection(123.4, 41.8);
    const xy = ring!.map((p) => projection.toXY(p));
    // 64-gon inscribed in the circle: area π·r²·(sin(2π/64)·64 / 2π).
    expect(signedArea(xy) / (Math.PI * 500 * 500)).toBeCloseTo(0.9984, 3);
    const centres = [projection.toLngLat([0, 0]), projection.toLngLat([600, 0]), projection.toLngLat([5000, 0])];
    const union = dissolveDiscs(Float64Array.from(centres.flat()), 500);
    expect(union).toHaveLength(2);
    const between = projection.toLngLat([300, 0]);
    expect(insideMultiPolygon(union, between[0], between[1])).toBe(true);
    const gap = projection.toLngLat([300, 420]);
    expect(insideMultiPolygon(union, gap[0], gap[1])).toBe(false);
    expect(dissolveDiscs(new Float64Array(0), 500)).toEqual([]);
  });
});
