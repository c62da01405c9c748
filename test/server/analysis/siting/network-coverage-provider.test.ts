// The network coverage provider on a hand-computable 3 × 3 street grid (100 m blocks): walking minutes
// along the streets, the walk onto the network, and the straight-line × detour fallback off it.

import { describe, expect, it } from 'vitest';
import { createLocalProjection } from '../../../../server/analysis/geo/local-projection';
import { buildRoadGraph } from '../../../../server/analysis/network/road-graph';
import { createNetworkCoverageProvider } from '../../../../server/analysis/siting/network-coverage-provider';

const projection = createLocalProjection(123.4, 41.8);
const lngLatOf = (points: [number, number][]) => Float64Array.from(points.flatMap((xy) => projection.toLngLat(xy)));

/** Nodes (i, j) at x = 100 i, y = 100 j for i, j ∈ {0, 1, 2}; every horizontal and vertical block is an edge. */
function streetGrid() {
  const nodes: [number, number][] = [];
  for (let j = 0; j < 3; j++) for (let i = 0; i < 3; i++) nodes.push([100 * i, 100 * j]);
  const from: number[] = [];
  const to: number[] = [];
  for (let j = 0; j < 3; j++) {
    for (let i = 0; i < 3; i++) {
      if (i < 2) {
        from.push(j * 3 + i);
        to.push(j * 3 + i + 1);
      }
      if (j < 2) {
        from.push(j * 3 + i);
        to.push((j + 1) * 3 + i);
      }
    }
  }
  return buildRoadGraph(
    { nodeLngLat: lngLatOf(nodes), edgeFrom: Uint32Array.from(from), edgeTo: Uint32Array.from(to), edgeLengthMeters: new Float64Array(from.length).fill(100) },
    { projectionOrigin: [123.4, 41.8] },
  );
}

const MINUTES_PER_METER = 60 / 4000;
const relativeError = (got: number, expected: number) => Math.abs(got - expected) / expected;

describe('network coverage provider', () => {
  const graph = streetGrid();
  // A on the bottom street, B on the right street, C at the centre crossing, E 20 m off the left street, D far off the grid.
  const demand = lngLatOf([
    [50, 0],
    [200, 150],
    [100, 100],
    [-20, 150],
    [1000, 1000],
  ]);
  const provider = createNetworkCoverageProvider(graph, demand);

  it('snaps the points near the streets and states its model', () => {
    expect(provider.snappedShare).toBeCloseTo(4 / 5, 12);
    expect(provider.model.method).toBe('network');
    expect(provider.model.label.en).toContain('straight-line × 1.3');
  });

  it('walks the streets: along the site’s own street, around corners, onto the network', () => {
    // The site is on the left street, 50 m up from the corner (0, 0).
    const costs = provider.siteCosts(lngLatOf([[0, 50]]), 30);
    const minutes = new Map<number, number>();
    for (let k = costs.offsets[0]!; k < costs.offsets[1]!; k++) minutes.set(costs.demandIndex[k]!, costs.cost[k]!);
    expect(minutes.get(0)).toBeCloseTo(100 * MINUTES_PER_METER, 6); // down 50, right 50
    expect(minutes.get(1)).toBeCloseTo(300 * MINUTES_PER_METER, 6); // up 50, right 200, up 50
    expect(minutes.get(2)).toBeCloseTo(150 * MINUTES_PER_METER, 6); // up 50, right 100
    expect(minutes.get(3)).toBeCloseTo((100 + 20) * MINUTES_PER_METER, 6); // up 100 along the street, 20 off it
    // Off the network: straight line × 1.3 (in the provider's own projection: within 0.1 %).
    expect(relativeError(minutes.get(4)!, Math.hypot(1000, 950) * 1.3 * MINUTES_PER_METER)).toBeLessThan(1e-3);
  });

  it('leaves out what lies beyond maxMinutes', () => {
    const costs = provider.siteCosts(lngLatOf([[0, 50]]), 150 * MINUTES_PER_METER + 1e-9);
    const reached = [...costs.demandIndex].sort();
    expect(reached).toEqual([0, 2, 3]);
  });

  it('falls back to straight-line × 1.3 for a site off the network', () => {
    const costs = provider.siteCosts(lngLatOf([[-500, 100]]), 30);
    const minutes = new Map<number, number>();
    for (let k = costs.offsets[0]!; k < costs.offsets[1]!; k++) minutes.set(costs.demandIndex[k]!, costs.cost[k]!);
    expect(relativeError(minutes.get(2)!, 600 * 1.3 * MINUTES_PER_METER)).toBeLessThan(1e-3);
  });
});
