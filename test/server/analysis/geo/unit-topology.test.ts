// unit-topology on hand-made partitions: a 2x2 grid of squares, a unit enclosed by another (an enclave),
// and a 2x2 grid in lon/lat with zigzag shared edges for the per-band simplification.

import type { MultiPolygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
  buildUnitTopology,
  groupBoundaryArcs,
  mergeUnitArcs,
  renderChains,
  renderPolygonal,
  renderUnit,
  simplifyTopologyByBand,
  type TopologyUnit,
  type UnitTopology,
} from '../../../../server/analysis/geo/unit-topology';
import { FULL_DETAIL_BAND, ZOOM_BAND_MAX_ZOOM } from '../../../../server/domain/zoom-bands';
import {
  canonicalMultiPolygon,
  linePaths,
  planarArea,
  pointInMultiPolygon,
  positionKey,
  probeBeside,
  ringArea,
  runsForward,
  segmentKey,
  segmentsOf,
} from '../../helpers/geometry';

/** Counter-clockwise axis-aligned rectangle. */
const box = (x0: number, y0: number, x1: number, y1: number): Position[] => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];

// 2x2 grid of 2x2 squares; code = row then column, so grouping by the first digit gives the rows.
const GRID: TopologyUnit[] = [
  { code: '11', coordinates: [[box(0, 0, 2, 2)]] },
  { code: '12', coordinates: [[box(2, 0, 4, 2)]] },
  { code: '21', coordinates: [[box(0, 2, 2, 4)]] },
  { code: '22', coordinates: [[box(2, 2, 4, 4)]] },
];

/** An enclave: `inner` is the 2x2 square in the middle of `outer`'s 6x6 square (a hole in it). */
function enclave(outer: string, inner: string): TopologyUnit[] {
  return [
    { code: outer, coordinates: [[box(0, 0, 6, 6), box(2, 2, 4, 4).reverse()]] },
    { code: inner, coordinates: [[box(2, 2, 4, 4)]] },
  ];
}

const arcPath = (topology: UnitTopology, arc: number): Position[] => topology.topology.arcs[arc]!;

/** Codes of the units whose polygon holds the point. */
function unitsAt(units: readonly TopologyUnit[], point: Position): string[] {
  return units.filter((unit) => pointInMultiPolygon(point, unit.coordinates)).map((unit) => unit.code);
}

function pathLength(path: readonly Position[]): number {
  let length = 0;
  for (const [a, b] of segmentsOf(path)) length += Math.hypot(b[0]! - a[0]!, b[1]! - a[1]!);
  return length;
}

describe('buildUnitTopology', () => {
  it('records the unit left and right of every arc (right is -1 on the outer edge)', () => {
    const topology = buildUnitTopology(GRID);
    expect(topology.codes).toEqual(['11', '12', '21', '22']);
    let interiorLength = 0;
    let outerLength = 0;
    const pairs = new Set<string>();
    topology.topology.arcs.forEach((_, arc) => {
      const path = arcPath(topology, arc);
      const left = topology.codes[topology.leftUnitByArc[arc]!]!;
      const rightIndex = topology.rightUnitByArc[arc]!;
      for (const [a, b] of segmentsOf(path)) {
        expect(unitsAt(GRID, probeBeside(a, b, 1, 0.01))).toEqual([left]);
        expect(unitsAt(GRID, probeBeside(a, b, -1, 0.01))).toEqual(rightIndex === -1 ? [] : [topology.codes[rightIndex]!]);
      }
      if (rightIndex === -1) {
        outerLength += pathLength(path);
      } else {
        interiorLength += pathLength(path);
        pairs.add([left, topology.codes[rightIndex]!].sort().join('|'));
      }
    });
    expect(outerLength).toBe(16);
    expect(interiorLength).toBe(8);
    // The diagonal neighbours 11 and 22 only touch at (2, 2): no arc between them.
    expect([...pairs].sort()).toEqual(['11|12', '11|21', '12|22', '21|22']);
  });

  it('gives an enclave one closed arc with the enclave and its host on its two sides', () => {
    const units = enclave('10', '20');
    const topology = buildUnitTopology(units);
    const between = topology.topology.arcs
      .map((_, arc) => arc)
      .filter((arc) => topology.rightUnitByArc[arc] !== -1);
    expect(between).toHaveLength(1);
    const path = arcPath(topology, between[0]!);
    expect(positionKey(path[0]!)).toBe(positionKey(path[path.length - 1]!));
    expect(Math.abs(ringArea(path))).toBe(4);
    const sides = [topology.leftUnitByArc[between[0]!]!, topology.rightUnitByArc[between[0]!]!].map((i) => topology.codes[i]);
    expect(sides.sort()).toEqual(['10', '20']);
  });

  it('refuses units that overlap along an arc', () => {
    expect(() =>
      buildUnitTopology([
        { code: 'a', coordinates: [[box(0, 0, 2, 2)]] },
        { code: 'b', coordinates: [[box(0, 0, 2, 2)]] },
      ]),
    ).toThrow(/overlap/);
  });
});

describe('groupBoundaryArcs', () => {
  /** Every segment of every chain has a unit of leftGroup on its left and rightGroup (or nothing) on its right. */
  function expectSides(units: readonly TopologyUnit[], groupOf: (code: string) => string, topology: UnitTopology): void {
    for (const group of groupBoundaryArcs(topology, groupOf)) {
      for (const path of linePaths(renderChains(topology.topology, group.chains))) {
        for (const [a, b] of segmentsOf(path)) {
          expect(unitsAt(units, probeBeside(a, b, 1, 0.01)).map(groupOf)).toEqual([group.leftGroup]);
          expect(unitsAt(units, probeBeside(a, b, -1, 0.01)).map(groupOf)).toEqual(group.rightGroup === null ? [] : [group.rightGroup]);
        }
      }
    }
  }

  it('gives one group per adjacent pair and per outer edge, the smaller key on the left', () => {
    const topology = buildUnitTopology(GRID);
    const groups = groupBoundaryArcs(topology, (code) => code);
    expect(groups.map((g) => [g.leftGroup, g.rightGroup])).toEqual([
      ['11', null],
      ['11', '12'],
      ['11', '21'],
      ['12', null],
      ['12', '22'],
      ['21', null],
      ['21', '22'],
      ['22', null],
    ]);
    expectSides(GRID, (code) => code, topology);
    // Each pair shares one straight edge of length 2.
    for (const group of groups.filter((g) => g.rightGroup !== null)) {
      const line = renderChains(topology.topology, group.chains);
      expect(line.type).toBe('LineString');
      expect(pathLength(linePaths(line)[0]!)).toBe(2);
    }
  });

  it('stitches the arcs between two groups of units into one chain with the smaller group on its left', () => {
    const topology = buildUnitTopology(GRID);
    const row = (code: string): string => code[0]!;
    const groups = groupBoundaryArcs(topology, row);
    expect(groups.map((g) => [g.leftGroup, g.rightGroup])).toEqual([
      ['1', null],
      ['1', '2'],
      ['2', null],
    ]);
    const render = (i: number) => renderChains(topology.topology, groups[i]!.chains);
    // Row 1 lies south of y = 2, so with row 1 on the left the line runs west.
    expect(render(1)).toEqual({ type: 'LineString', coordinates: [[4, 2], [2, 2], [0, 2]] });
    expect(render(0)).toEqual({ type: 'LineString', coordinates: [[0, 2], [0, 0], [2, 0], [4, 0], [4, 2]] });
    expect(render(2)).toEqual({ type: 'LineString', coordinates: [[4, 2], [4, 4], [2, 4], [0, 4], [0, 2]] });
    expectSides(GRID, row, topology);
  });

  it.each([
    ['enclave has the smaller key', '20', '10', 4],
    ['host has the smaller key', '10', '20', -4],
  ])('reverses arcs as needed around an enclave (%s)', (_, host, inner, signedArea) => {
    const units = enclave(host, inner);
    const topology = buildUnitTopology(units);
    const groups = groupBoundaryArcs(topology, (code) => code);
    const between = groups.find((g) => g.rightGroup !== null)!;
    expect([between.leftGroup, between.rightGroup]).toEqual([inner < host ? inner : host, inner < host ? host : inner]);
    const ring = linePaths(renderChains(topology.topology, between.chains));
    expect(ring).toHaveLength(1);
    // A closed loop: counter-clockwise when the enclave is on its left, clockwise when the host is.
    expect(positionKey(ring[0]![0]!)).toBe(positionKey(ring[0]![ring[0]!.length - 1]!));
    expect(ringArea(ring[0]!)).toBe(signedArea);
    // Only the host touches the outside.
    expect(groups.filter((g) => g.rightGroup === null).map((g) => g.leftGroup)).toEqual([host]);
    expectSides(units, (code) => code, topology);
  });
});

describe('mergeUnitArcs and renderUnit', () => {
  const render = (units: TopologyUnit[], codes: string[]): MultiPolygon => {
    const topology = buildUnitTopology(units);
    const merged = mergeUnitArcs(topology, codes.map((code) => topology.codes.indexOf(code)));
    return renderPolygonal(topology.topology, merged)!;
  };

  it('dissolves neighbours into their union, dropping the edges between them', () => {
    expect(canonicalMultiPolygon(render(GRID, ['11', '12']).coordinates)).toEqual([
      [[[0, 0], [2, 0], [4, 0], [4, 2], [2, 2], [0, 2], [0, 0]]],
    ]);
    const all = render(GRID, ['11', '12', '21', '22']);
    expect(all.coordinates).toHaveLength(1);
    expect(all.coordinates[0]).toHaveLength(1);
    expect(planarArea(all.coordinates)).toBe(16);
    expect(all.coordinates.flat(2).map(positionKey)).not.toContain('2,2');
    expect(ringArea(all.coordinates[0]![0]!)).toBeGreaterThan(0);
    expect(planarArea(render(GRID, ['11', '12', '21']).coordinates)).toBe(12);
  });

  it('keeps units that only touch at a point as separate polygons', () => {
    const diagonal = render(GRID, ['11', '22']);
    expect(diagonal.coordinates).toHaveLength(2);
    expect(planarArea(diagonal.coordinates)).toBe(8);
  });

  it('fills an enclave\'s hole when merged with its host, and keeps it otherwise', () => {
    const units = enclave('10', '20');
    const both = render(units, ['10', '20']);
    expect(canonicalMultiPolygon(both.coordinates)).toEqual([[box(0, 0, 6, 6)]]);
    const host = render(units, ['10']);
    expect(host.coordinates[0]).toHaveLength(2);
    expect(ringArea(host.coordinates[0]![1]!)).toBe(-4);
    expect(planarArea(host.coordinates)).toBe(32);
  });

  it('renders each unit at full detail as its own polygon', () => {
    for (const units of [GRID, enclave('10', '20')]) {
      const topology = buildUnitTopology(units);
      units.forEach((unit, index) => {
        const rendered = renderUnit(topology.topology, topology, index)!;
        expect(canonicalMultiPolygon(rendered.coordinates)).toEqual(canonicalMultiPolygon(unit.coordinates));
      });
    }
  });
});

describe('simplifyTopologyByBand', () => {
  /** Points from a to b (both included), `steps` segments, interior points offset ± `amplitude` across the line. */
  function zigzag(a: Position, b: Position, steps: number, amplitude: number): Position[] {
    const dx = b[0]! - a[0]!;
    const dy = b[1]! - a[1]!;
    const length = Math.hypot(dx, dy);
    const points: Position[] = [];
    for (let i = 0; i <= steps; i++) {
      const offset = i === 0 || i === steps ? 0 : (i % 2 === 0 ? 1 : -1) * amplitude;
      points.push([a[0]! + (dx * i) / steps - (dy / length) * offset, a[1]! + (dy * i) / steps + (dx / length) * offset]);
    }
    return points;
  }
  const reversed = (path: Position[]): Position[] => path.slice().reverse();
  const ring = (...paths: Position[][]): Position[] => [paths[0]![0]!, ...paths.flatMap((path) => path.slice(1))];

  // A 1°x1° square near Liaoning cut into four by zigzag lines (wiggles of ~50 m every ~550 m) meeting
  // at (120.5, 40.5); outer edges straight but with many collinear points.
  const c: Position = [120.5, 40.5];
  const south = zigzag([120.5, 40], c, 100, 0.0005);
  const north = zigzag(c, [120.5, 41], 100, 0.0005);
  const west = zigzag([120, 40.5], c, 100, 0.0005);
  const east = zigzag(c, [121, 40.5], 100, 0.0005);
  const straight = (a: Position, b: Position) => zigzag(a, b, 50, 0);
  const units: TopologyUnit[] = [
    { code: 'sw', coordinates: [[ring(straight([120, 40], [120.5, 40]), south, reversed(west), straight([120, 40.5], [120, 40]))]] },
    { code: 'se', coordinates: [[ring(straight([120.5, 40], [121, 40]), straight([121, 40], [121, 40.5]), reversed(east), reversed(south))]] },
    { code: 'nw', coordinates: [[ring(west, north, straight([120.5, 41], [120, 41]), straight([120, 41], [120, 40.5]))]] },
    { code: 'ne', coordinates: [[ring(east, straight([121, 40.5], [121, 41]), straight([121, 41], [120.5, 41]), reversed(north))]] },
  ];
  const topology = buildUnitTopology(units);
  const bands = simplifyTopologyByBand(topology.topology);
  const onOuterEdge = (p: Position): boolean => p[0] === 120 || p[0] === 121 || p[1] === 40 || p[1] === 41;

  it('makes one topology per zoom band, the last one the full-detail topology itself', () => {
    expect(bands).toHaveLength(ZOOM_BAND_MAX_ZOOM.length);
    expect(bands[FULL_DETAIL_BAND]).toBe(topology.topology);
    units.forEach((unit, index) => {
      const rendered = renderUnit(bands[FULL_DETAIL_BAND]!, topology, index)!;
      expect(canonicalMultiPolygon(rendered.coordinates)).toEqual(canonicalMultiPolygon(unit.coordinates));
    });
  });

  it('keeps shared arcs identical in both neighbours, and the junction, at every band', () => {
    const vertexCounts: number[] = [];
    bands.forEach((band, bandIndex) => {
      const uses = new Map<string, { code: string; forward: boolean; a: Position; b: Position }[]>();
      let vertices = 0;
      units.forEach((unit, index) => {
        const rendered = renderUnit(band, topology, index)!;
        expect(rendered, `${unit.code} at band ${bandIndex}`).not.toBeNull();
        expect(rendered.coordinates.flat(2).map(positionKey)).toContain(positionKey(c));
        for (const path of rendered.coordinates.flat()) {
          vertices += path.length;
          for (const [a, b] of segmentsOf(path)) {
            const key = segmentKey(a, b);
            uses.set(key, [...(uses.get(key) ?? []), { code: unit.code, forward: runsForward(a, b), a, b }]);
          }
        }
      });
      vertexCounts.push(vertices);
      for (const list of uses.values()) {
        if (list.length === 1) {
          // Used once: only the partition's outer edge may be.
          expect(onOuterEdge(list[0]!.a) && onOuterEdge(list[0]!.b), `unshared interior segment at band ${bandIndex}`).toBe(true);
        } else {
          expect(list).toHaveLength(2);
          expect(list[0]!.code).not.toBe(list[1]!.code);
          expect(list[0]!.forward).not.toBe(list[1]!.forward);
        }
      }
      // The four rendered units still tile the square exactly.
      const total = units.reduce((sum, _, index) => sum + planarArea(renderUnit(band, topology, index)!.coordinates, c), 0);
      expect(total).toBeCloseTo(1, 9);
    });
    // Coarser bands keep far fewer points: at zoom < 6 the ~50 m wiggles are below a pixel.
    expect(vertexCounts[0]!).toBeLessThan(vertexCounts[FULL_DETAIL_BAND]! / 4);
    for (let band = 1; band < vertexCounts.length; band++) expect(vertexCounts[band]!).toBeGreaterThanOrEqual(vertexCounts[band - 1]!);
  });

  it('renders boundary chains at each band along the same simplified arcs as the polygons', () => {
    const groups = groupBoundaryArcs(topology, (code) => code);
    bands.forEach((band) => {
      const directed = new Map<string, Set<string>>();
      units.forEach((unit, index) => {
        const segments = new Set<string>();
        for (const path of renderUnit(band, topology, index)!.coordinates.flat()) {
          for (const [a, b] of segmentsOf(path)) segments.add(`${positionKey(a)};${positionKey(b)}`);
        }
        directed.set(unit.code, segments);
      });
      for (const group of groups) {
        for (const path of linePaths(renderChains(band, group.chains))) {
          for (const [a, b] of segmentsOf(path)) {
            expect(directed.get(group.leftGroup)!.has(`${positionKey(a)};${positionKey(b)}`)).toBe(true);
            if (group.rightGroup !== null) expect(directed.get(group.rightGroup)!.has(`${positionKey(b)};${positionKey(a)}`)).toBe(true);
          }
        }
      }
    });
  });
});
