// The CSR road graph (arcs per direction, grouped by tail node, metres projected once) and the two
// snappers: nearest position on an edge (checked against brute force over every segment) and
// nearest vertex.

import { describe, expect, it } from 'vitest';
import { EdgeSnapper, projectLngLat } from '../../../../server/analysis/network/edge-snapper';
import {
  DIRECTION_BACKWARD,
  DIRECTION_BOTH,
  DIRECTION_FORWARD,
  buildRoadGraph,
  edgeGeometryLengthMeters,
  type RoadEdgeList,
} from '../../../../server/analysis/network/road-graph';
import { VertexSnapper } from '../../../../server/analysis/network/vertex-snapper';
import { createRng, randomEdgeList } from './network-helpers';

/** Three nodes on a parallel of latitude 41.8°, 0.001° apart (≈ 83 m); an L-shaped edge with a shape point. */
function smallNetwork(): RoadEdgeList {
  return {
    nodeLngLat: Float64Array.from([123.4, 41.8, 123.401, 41.8, 123.402, 41.8]),
    edgeFrom: Uint32Array.from([0, 1, 0]),
    edgeTo: Uint32Array.from([1, 2, 2]),
    edgeLengthMeters: Float64Array.from([83, 83, 300]),
    edgeDirection: Uint8Array.from([DIRECTION_BOTH, DIRECTION_FORWARD, DIRECTION_BACKWARD]),
    // Edge 2 goes up and over: (123.4, 41.801) and (123.402, 41.801).
    shapeOffsets: Uint32Array.from([0, 0, 0, 2]),
    shapeLngLat: Float64Array.from([123.4, 41.801, 123.402, 41.801]),
  };
}

describe('buildRoadGraph', () => {
  it('makes one arc per allowed direction, grouped by tail node', () => {
    const graph = buildRoadGraph(smallNetwork());
    expect(graph.nodeCount).toBe(3);
    expect(graph.edgeCount).toBe(3);
    expect(graph.arcCount).toBe(4);
    const arcsOf = (node: number) =>
      Array.from({ length: graph.offsets[node + 1]! - graph.offsets[node]! }, (_, k) => {
        const a = graph.offsets[node]! + k;
        return [graph.targets[a], graph.arcEdge[a], graph.lengthMeters[a]];
      });
    expect(arcsOf(0)).toEqual([[1, 0, 83]]);
    expect(arcsOf(1)).toEqual([[0, 0, 83], [2, 1, 83]]);
    // Edge 2 may be walked only 2 → 0.
    expect(arcsOf(2)).toEqual([[0, 2, 300]]);
  });

  it('projects nodes and shape points to metres about the centre of the nodes\' bounding box', () => {
    const graph = buildRoadGraph(smallNetwork());
    expect(graph.projection.origin[0]).toBeCloseTo(123.401, 12);
    expect(graph.projection.origin[1]).toBe(41.8);
    // 0.001° of longitude at 41.8° ≈ 83.2 m; 0.001° of latitude ≈ 111.1 m.
    expect(graph.nodeXY[2]! - graph.nodeXY[0]!).toBeCloseTo(83.2, 0);
    expect(edgeGeometryLengthMeters(graph, 0)).toBeCloseTo(83.2, 0);
    expect(edgeGeometryLengthMeters(graph, 2)).toBeCloseTo(111.1 * 2 + 166.4, 0);
    const origin = buildRoadGraph(smallNetwork(), { projectionOrigin: [123.4, 41.8] });
    expect(origin.nodeXY[0]).toBe(0);
    expect(origin.nodeXY[1]).toBe(0);
  });

  it('refuses negative lengths and edges to unknown nodes', () => {
    const bad = smallNetwork();
    bad.edgeLengthMeters[1] = -1;
    expect(() => buildRoadGraph(bad)).toThrow(/lengths must be ≥ 0/);
    const dangling = smallNetwork();
    dangling.edgeTo[0] = 7;
    expect(() => buildRoadGraph(dangling)).toThrow(/joins node 7 of 3/);
  });
});

describe('EdgeSnapper', () => {
  it('snaps to the nearest position along an edge, not to the nearest node', () => {
    const graph = buildRoadGraph(smallNetwork(), { projectionOrigin: [123.4, 41.8] });
    const snapper = new EdgeSnapper(graph);
    // 20 m north of the middle of edge 0.
    const [x, y] = graph.projection.toXY([123.4005, 41.8 + 20 / 111_050]);
    const out = snapper.snapPoints(Float64Array.from([x!, y!]), 100);
    expect(out.edge[0]).toBe(0);
    expect(out.fraction[0]).toBeCloseTo(0.5, 3);
    expect(out.distanceMeters[0]).toBeCloseTo(20, 1);
    // On the shape of edge 2: a point just above its top leg, 40 % of the way along the geometry
    // (up 111 m, then 40 % − 111/389 of the top leg).
    const along = 0.4 * edgeGeometryLengthMeters(graph, 2);
    const top = graph.projection.toXY([123.4, 41.801]);
    const out2 = snapper.snapPoints(Float64Array.from([top[0]! + (along - top[1]!), top[1]! + 5]), 100);
    expect(out2.edge[0]).toBe(2);
    expect(out2.fraction[0]).toBeCloseTo(0.4, 6);
    expect(out2.distanceMeters[0]).toBeCloseTo(5, 6);
    // Beyond the snap distance: not snapped.
    const far = snapper.snapLngLat([123.4005, 41.8 + 0.002], 100);
    expect(far.edge[0]).toBe(-1);
    expect(far.distanceMeters[0]).toBe(Infinity);
  });

  it('agrees with brute force over every segment on random networks', () => {
    const rng = createRng(77);
    for (let trial = 0; trial < 5; trial++) {
      const graph = buildRoadGraph(randomEdgeList(rng, { nodes: 80, edges: 120 }));
      const snapper = new EdgeSnapper(graph);
      const points = Float64Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? rng.uniform(-1200, 1200) : rng.uniform(-1100, 1100)));
      const maxMeters = 150;
      const out = snapper.snapPoints(points, maxMeters);
      for (let p = 0; p < 200; p++) {
        let best = Infinity;
        for (let e = 0; e < graph.edgeCount; e++) {
          const ax = graph.nodeXY[graph.edgeFrom[e]! * 2]!;
          const ay = graph.nodeXY[graph.edgeFrom[e]! * 2 + 1]!;
          const dx = graph.nodeXY[graph.edgeTo[e]! * 2]! - ax;
          const dy = graph.nodeXY[graph.edgeTo[e]! * 2 + 1]! - ay;
          const l2 = dx * dx + dy * dy;
          const t = l2 > 0 ? Math.max(0, Math.min(1, ((points[p * 2]! - ax) * dx + (points[p * 2 + 1]! - ay) * dy) / l2)) : 0;
          best = Math.min(best, Math.hypot(ax + t * dx - points[p * 2]!, ay + t * dy - points[p * 2 + 1]!));
        }
        if (best <= maxMeters) expect(out.distanceMeters[p]).toBeCloseTo(best, 9);
        else expect(out.edge[p]).toBe(-1);
      }
    }
  });

  it('projects lon/lat into the graph frame', () => {
    const graph = buildRoadGraph(smallNetwork());
    expect(Array.from(projectLngLat(graph, [123.4, 41.8]))).toEqual([graph.nodeXY[0], graph.nodeXY[1]]);
  });
});

describe('VertexSnapper', () => {
  it('finds the nearest connected vertex within the distance', () => {
    const edges = smallNetwork();
    // Node 3 has no edge: never a snap target.
    edges.nodeLngLat = Float64Array.from([...edges.nodeLngLat, 123.4004, 41.8]);
    const graph = buildRoadGraph(edges);
    const snapper = new VertexSnapper(graph);
    const [x, y] = projectLngLat(graph, [123.4004, 41.8]);
    expect(snapper.nearest(x!, y!, 100)).toBe(0);
    expect(snapper.nearest(x!, y!, 10)).toBe(-1);
  });
});
