// generateWalkingNetwork on the stand-in districts of Shenyang and Dalian: determinism, graph hygiene,
// block sizes, barrier cuts and crossing spacing, a 1 km Dijkstra catchment at the river, components
// against a union-find, and scale. Prints the numbers for the data notes.

import * as turf from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRng } from '../../../server/analysis/random';
import {
  EDGE_CLASSES,
  generateWalkingNetwork,
  type NetworkArea,
  type WalkingNetwork,
} from '../../../data/generator/walking-network';
import {
  CLASS_ARTERIAL,
  CLASS_BRIDGE,
  CLASS_LOCAL,
  CLASS_PATH,
  CLASS_RAIL_CROSSING,
} from '../../../data/generator/walking-network-graph';
import { loadStandInAreas } from '../../../data/generator/walking-network-stand-in';
import { createLocalProjection } from '../../../server/analysis/geo/local-projection';
import { openTestStore } from '../../support/store';

const SEED = 20240501;
const LOCAL = EDGE_CLASSES.indexOf('local');
const ARTERIAL = EDGE_CLASSES.indexOf('arterial');
const BRIDGE = EDGE_CLASSES.indexOf('bridge');
const RAIL_CROSSING = EDGE_CLASSES.indexOf('rail_crossing');

let areas: NetworkArea[];
let network: WalkingNetwork;
let generationMs = 0;
const store = openTestStore();

beforeAll(() => {
  areas = loadStandInAreas(store);
  const started = performance.now();
  network = generateWalkingNetwork({ areas, rng: createRng(SEED) });
  generationMs = performance.now() - started;
});

afterAll(() => store.close());

// ---- helpers (independent of the generator's own geometry code) ----

function haversine(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lng2 - lng1) * rad) / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(a));
}

/** Parameter t along ab of its proper or touching intersection with cd, or -1. */
function intersectionParameter(
  ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number,
): number {
  const rx = bx - ax;
  const ry = by - ay;
  const sx = dx - cx;
  const sy = dy - cy;
  const denominator = rx * sy - ry * sx;
  if (denominator === 0) return -1;
  const t = ((cx - ax) * sy - (cy - ay) * sx) / denominator;
  const u = ((cx - ax) * ry - (cy - ay) * rx) / denominator;
  return t >= 0 && t <= 1 && u >= 0 && u <= 1 ? t : -1;
}

/** A degree grid over one polyline's segments. */
function indexPolyline(coordinates: [number, number][], cellDegrees = 0.01) {
  const cells = new Map<string, number[]>();
  for (let k = 0; k + 1 < coordinates.length; k++) {
    const [x0, y0] = coordinates[k]!;
    const [x1, y1] = coordinates[k + 1]!;
    for (let cx = Math.floor(Math.min(x0, x1) / cellDegrees); cx <= Math.floor(Math.max(x0, x1) / cellDegrees); cx++) {
      for (let cy = Math.floor(Math.min(y0, y1) / cellDegrees); cy <= Math.floor(Math.max(y0, y1) / cellDegrees); cy++) {
        const key = `${cx},${cy}`;
        const list = cells.get(key);
        if (list) list.push(k);
        else cells.set(key, [k]);
      }
    }
  }
  /** Indices of the polyline's segments that the segment ab meets. */
  return (ax: number, ay: number, bx: number, by: number): number[] => {
    const hits = new Set<number>();
    for (let cx = Math.floor(Math.min(ax, bx) / cellDegrees); cx <= Math.floor(Math.max(ax, bx) / cellDegrees); cx++) {
      for (let cy = Math.floor(Math.min(ay, by) / cellDegrees); cy <= Math.floor(Math.max(ay, by) / cellDegrees); cy++) {
        for (const k of cells.get(`${cx},${cy}`) ?? []) {
          const [x0, y0] = coordinates[k]!;
          const [x1, y1] = coordinates[k + 1]!;
          if (intersectionParameter(ax, ay, bx, by, x0, y0, x1, y1) >= 0) hits.add(k);
        }
      }
    }
    return [...hits];
  };
}

function nodeLng(net: WalkingNetwork, i: number): number {
  return net.nodeLngLat[2 * i]!;
}
function nodeLat(net: WalkingNetwork, i: number): number {
  return net.nodeLngLat[2 * i + 1]!;
}

function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function networksIdentical(a: WalkingNetwork, b: WalkingNetwork): boolean {
  return (
    sameBytes(a.nodeLngLat, b.nodeLngLat) &&
    sameBytes(a.edgeFrom, b.edgeFrom) &&
    sameBytes(a.edgeTo, b.edgeTo) &&
    sameBytes(a.edgeLengthMeters, b.edgeLengthMeters) &&
    sameBytes(a.edgeClass, b.edgeClass) &&
    sameBytes(a.edgeArea, b.edgeArea) &&
    JSON.stringify(a.barriers) === JSON.stringify(b.barriers) &&
    JSON.stringify(a.components) === JSON.stringify(b.components)
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function cityOf(net: WalkingNetwork, cityCode: string) {
  const city = net.cities!.find((candidate) => candidate.cityCode === cityCode);
  if (!city) throw new Error(`no city ${cityCode}`);
  return city;
}

/** CSR adjacency of the undirected network. */
function buildAdjacency(net: WalkingNetwork) {
  const n = net.nodeLngLat.length / 2;
  const offsets = new Int32Array(n + 1);
  for (let e = 0; e < net.edgeFrom.length; e++) {
    offsets[net.edgeFrom[e]! + 1]!++;
    offsets[net.edgeTo[e]! + 1]!++;
  }
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
  const fill = offsets.slice(0, n);
  const targets = new Int32Array(offsets[n]!);
  const lengths = new Float64Array(offsets[n]!);
  for (let e = 0; e < net.edgeFrom.length; e++) {
    const a = net.edgeFrom[e]!;
    const b = net.edgeTo[e]!;
    targets[fill[a]!] = b;
    lengths[fill[a]!++] = net.edgeLengthMeters[e]!;
    targets[fill[b]!] = a;
    lengths[fill[b]!++] = net.edgeLengthMeters[e]!;
  }
  return { offsets, targets, lengths };
}

/** Plain Dijkstra with a binary heap and a distance cutoff; Infinity where not reached. */
function dijkstra(adjacency: ReturnType<typeof buildAdjacency>, source: number, cutoffMeters: number): Float64Array {
  const n = adjacency.offsets.length - 1;
  const distance = new Float64Array(n).fill(Infinity);
  const heapNode: number[] = [];
  const heapKey: number[] = [];
  const push = (node: number, key: number): void => {
    let i = heapNode.length;
    heapNode.push(node);
    heapKey.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heapKey[parent]! <= key) break;
      heapNode[i] = heapNode[parent]!;
      heapKey[i] = heapKey[parent]!;
      i = parent;
    }
    heapNode[i] = node;
    heapKey[i] = key;
  };
  const pop = (): [number, number] => {
    const top: [number, number] = [heapNode[0]!, heapKey[0]!];
    const lastNode = heapNode.pop()!;
    const lastKey = heapKey.pop()!;
    if (heapNode.length > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= heapNode.length) break;
        if (child + 1 < heapNode.length && heapKey[child + 1]! < heapKey[child]!) child++;
        if (heapKey[child]! >= lastKey) break;
        heapNode[i] = heapNode[child]!;
        heapKey[i] = heapKey[child]!;
        i = child;
      }
      heapNode[i] = lastNode;
      heapKey[i] = lastKey;
    }
    return top;
  };
  distance[source] = 0;
  push(source, 0);
  while (heapNode.length > 0) {
    const [node, key] = pop();
    if (key > distance[node]!) continue;
    for (let k = adjacency.offsets[node]!; k < adjacency.offsets[node + 1]!; k++) {
      const next = adjacency.targets[k]!;
      const candidate = key + adjacency.lengths[k]!;
      if (candidate <= cutoffMeters && candidate < distance[next]!) {
        distance[next] = candidate;
        push(next, candidate);
      }
    }
  }
  return distance;
}

// ---- tests ----

describe('generateWalkingNetwork: classes', () => {
  it('numbers edge classes as EDGE_CLASSES does', () => {
    expect([CLASS_LOCAL, CLASS_ARTERIAL, CLASS_BRIDGE, CLASS_RAIL_CROSSING, CLASS_PATH]).toEqual(
      ['local', 'arterial', 'bridge', 'rail_crossing', 'path'].map((name) => EDGE_CLASSES.indexOf(name as never)),
    );
  });
});

describe('generateWalkingNetwork: determinism', () => {
  it('gives byte-identical arrays for the same seed on the full stand-in', () => {
    const again = generateWalkingNetwork({ areas, rng: createRng(SEED) });
    expect(networksIdentical(network, again)).toBe(true);
  });

  it('differs for another seed and never calls Math.random or the clock', () => {
    const subset = areas.filter((area) => area.code.startsWith('210102') || area.code.startsWith('210103'));
    const random = vi.spyOn(Math, 'random');
    const now = vi.spyOn(Date, 'now');
    const first = generateWalkingNetwork({ areas: subset, rng: createRng(1) });
    const same = generateWalkingNetwork({ areas: subset, rng: createRng(1) });
    const other = generateWalkingNetwork({ areas: subset, rng: createRng(2) });
    expect(random).not.toHaveBeenCalled();
    expect(now).not.toHaveBeenCalled();
    random.mockRestore();
    now.mockRestore();
    expect(networksIdentical(first, same)).toBe(true);
    expect(networksIdentical(first, other)).toBe(false);
    expect(first.nodeLngLat.length).not.toBe(other.nodeLngLat.length);
  });
});

describe('generateWalkingNetwork: structure', () => {
  it('has sorted edges without self-loops or duplicates, and haversine lengths', () => {
    const n = network.nodeLngLat.length / 2;
    let worstRelativeError = 0;
    let notAscending = 0; // from >= to (includes self-loops) or to out of range
    let notIncreasing = 0; // (from, to) not strictly after the previous edge: a duplicate or unsorted
    let notPositive = 0;
    for (let e = 0; e < network.edgeFrom.length; e++) {
      const a = network.edgeFrom[e]!;
      const b = network.edgeTo[e]!;
      if (!(a < b && b < n)) notAscending++;
      if (e > 0) {
        const previousA = network.edgeFrom[e - 1]!;
        const previousB = network.edgeTo[e - 1]!;
        if (!(previousA < a || (previousA === a && previousB < b))) notIncreasing++;
      }
      const length = network.edgeLengthMeters[e]!;
      if (!(length > 0)) notPositive++;
      const expected = haversine(nodeLng(network, a), nodeLat(network, a), nodeLng(network, b), nodeLat(network, b));
      worstRelativeError = Math.max(worstRelativeError, Math.abs(length - expected) / expected);
    }
    expect(notAscending).toBe(0);
    expect(notIncreasing).toBe(0);
    expect(notPositive).toBe(0);
    expect(worstRelativeError).toBeLessThan(0.005);
    // Turf agrees on a sample.
    for (let e = 0; e < network.edgeFrom.length; e += 997) {
      const a = network.edgeFrom[e]!;
      const b = network.edgeTo[e]!;
      const turfMeters = turf.distance([nodeLng(network, a), nodeLat(network, a)], [nodeLng(network, b), nodeLat(network, b)], { units: 'meters' });
      expect(Math.abs(network.edgeLengthMeters[e]! - turfMeters) / turfMeters).toBeLessThan(0.005);
    }
  });

  it('rounds coordinates to 6 decimals and keeps nodes and edge midpoints inside their area', () => {
    let unrounded = 0;
    for (const value of network.nodeLngLat) if (Math.round(value * 1e6) / 1e6 !== value) unrounded++;
    expect(unrounded).toBe(0);
    const n = network.nodeLngLat.length / 2;
    const polygons = network.areaCodes.map((code) => turf.multiPolygon(areas.find((area) => area.code === code)!.polygon));
    let nodesOutside = 0;
    for (let i = 0; i < n; i += 53) {
      if (!turf.booleanPointInPolygon([nodeLng(network, i), nodeLat(network, i)], polygons[network.nodeArea![i]!]!)) nodesOutside++;
    }
    expect(nodesOutside).toBe(0);
    let outside = 0;
    let sampled = 0;
    for (let e = 0; e < network.edgeFrom.length; e += 97) {
      const a = network.edgeFrom[e]!;
      const b = network.edgeTo[e]!;
      const mid = [(nodeLng(network, a) + nodeLng(network, b)) / 2, (nodeLat(network, a) + nodeLat(network, b)) / 2];
      sampled++;
      if (!turf.booleanPointInPolygon(mid, polygons[network.edgeArea[e]!]!)) outside++;
    }
    expect(outside / sampled).toBeLessThan(0.002);
  });

  it('has blocks of 100–250 m: median local edge length per city, smaller in central districts', () => {
    const report: string[] = [];
    for (const city of network.cities!) {
      const lengths: number[] = [];
      for (let e = city.edgeOffset; e < city.edgeOffset + city.edgeCount; e++) {
        if (network.edgeClass[e] === LOCAL) lengths.push(network.edgeLengthMeters[e]!);
      }
      const cityMedian = median(lengths);
      report.push(`${city.cityCode}: median local edge ${cityMedian.toFixed(0)} m`);
      expect(cityMedian).toBeGreaterThanOrEqual(100);
      expect(cityMedian).toBeLessThanOrEqual(250);
    }
    // Central (small) districts have smaller blocks than the large outer ones.
    const medianInArea = (codePrefix: string): number => {
      const areaIndex = network.areaCodes.findIndex((code) => code.startsWith(codePrefix));
      const lengths: number[] = [];
      for (let e = 0; e < network.edgeFrom.length; e++) {
        if (network.edgeClass[e] === LOCAL && network.edgeArea[e] === areaIndex) lengths.push(network.edgeLengthMeters[e]!);
      }
      return median(lengths);
    };
    const heping = medianInArea('210102');
    const sujiatun = medianInArea('210111');
    const xigang = medianInArea('210203');
    const pulandian = medianInArea('210214');
    report.push(`Heping ${heping.toFixed(0)} m, Sujiatun ${sujiatun.toFixed(0)} m, Xigang ${xigang.toFixed(0)} m, Pulandian ${pulandian.toFixed(0)} m`);
    console.log(`[walking-network] block sizes: ${report.join('; ')}`);
    expect(heping).toBeLessThan(sujiatun - 40);
    expect(xigang).toBeLessThan(pulandian - 40);
    expect(heping).toBeLessThan(150);
  });

  it('is not one global grid, has arterials, paths and dead ends', () => {
    // Bearing of local edges modulo 90°, weighted by length, in 5° bins, per city.
    for (const city of network.cities!) {
      const bins = new Float64Array(18);
      let total = 0;
      for (let e = city.edgeOffset; e < city.edgeOffset + city.edgeCount; e++) {
        if (network.edgeClass[e] !== LOCAL) continue;
        const a = network.edgeFrom[e]!;
        const b = network.edgeTo[e]!;
        const dx = (nodeLng(network, b) - nodeLng(network, a)) * Math.cos((nodeLat(network, a) * Math.PI) / 180);
        const dy = nodeLat(network, b) - nodeLat(network, a);
        const bearing = ((Math.atan2(dy, dx) * 180) / Math.PI + 360) % 90;
        bins[Math.min(17, Math.floor(bearing / 5))]! += network.edgeLengthMeters[e]!;
        total += network.edgeLengthMeters[e]!;
      }
      expect(Math.max(...bins) / total).toBeLessThan(0.35);
    }
    const counts = new Array<number>(EDGE_CLASSES.length).fill(0);
    for (const c of network.edgeClass) counts[c]!++;
    for (const count of counts) expect(count).toBeGreaterThan(0);
    const arterialShare = counts[ARTERIAL]! / network.edgeFrom.length;
    expect(arterialShare).toBeGreaterThan(0.1);
    expect(arterialShare).toBeLessThan(0.4);
    const degree = new Int32Array(network.nodeLngLat.length / 2);
    for (let e = 0; e < network.edgeFrom.length; e++) {
      degree[network.edgeFrom[e]!]!++;
      degree[network.edgeTo[e]!]!++;
    }
    let deadEnds = 0;
    let isolated = 0;
    for (const d of degree) {
      if (d === 0) isolated++;
      if (d === 1) deadEnds++;
    }
    expect(isolated).toBe(0);
    const deadEndShare = deadEnds / degree.length;
    console.log(`[walking-network] classes ${EDGE_CLASSES.map((name, c) => `${name} ${counts[c]}`).join(', ')}; dead-end nodes ${(100 * deadEndShare).toFixed(1)} %`);
    expect(deadEndShare).toBeGreaterThan(0.01);
    expect(deadEndShare).toBeLessThan(0.15);
  });
});

describe('generateWalkingNetwork: other inputs', () => {
  const square = (lng: number, lat: number, dLng: number, dLat: number): NetworkArea['polygon'] => [
    [[[lng, lat], [lng + dLng, lat], [lng + dLng, lat + dLat], [lng, lat + dLat], [lng, lat]]],
  ];

  it('builds a small city of another code with the default barriers, and nothing for a too small area', () => {
    const small = generateWalkingNetwork({
      areas: [
        { code: '210302001', polygon: square(122.95, 41.08, 0.05, 0.04) },
        { code: '210302002', polygon: square(123.0, 41.08, 0.03, 0.04) },
        // A second city (Fushun) whose only street is too small for a component of 10 nodes.
        { code: '210402003', polygon: square(123.9, 41.85, 0.004, 0.003) },
      ],
      rng: createRng(7),
    });
    expect(small.areaCodes).toEqual(['210302001', '210302002', '210402003']);
    expect(small.cities!.map((city) => [city.cityCode, city.nodeCount > 0])).toEqual([['2103', true], ['2104', false]]);
    expect(small.barriers.filter((barrier) => barrier.cityCode === '2103').map((barrier) => barrier.kind).sort()).toEqual(['railway', 'railway', 'river']);
    expect(small.edgeFrom.length).toBeGreaterThan(1000);
    expect(small.components.largestNodeShare).toBeGreaterThan(0.95);
    // Every node inside one of the two large squares; none in the 400 m × 300 m one (too small to keep).
    for (let i = 0; i < small.nodeLngLat.length / 2; i++) {
      const lng = nodeLng(small, i);
      const lat = nodeLat(small, i);
      expect(lng >= 122.95 && lng <= 123.03 && lat >= 41.08 && lat <= 41.12).toBe(true);
    }
    expect(small.edgeArea.every((area) => area === 0 || area === 1)).toBe(true);
    const empty = generateWalkingNetwork({ areas: [], rng: createRng(7) });
    expect(empty.edgeFrom.length).toBe(0);
    expect(empty.components).toEqual({ count: 0, largestNodeShare: 0, sizes: [] });
  });
});

describe('generateWalkingNetwork: barriers', () => {
  it('has a river and 1–3 railways per city, inside the areas\' extent', () => {
    for (const cityCode of ['2101', '2102']) {
      const own = network.barriers.filter((barrier) => barrier.cityCode === cityCode);
      expect(own.filter((barrier) => barrier.kind === 'river')).toHaveLength(1);
      const railways = own.filter((barrier) => barrier.kind === 'railway').length;
      expect(railways).toBeGreaterThanOrEqual(1);
      expect(railways).toBeLessThanOrEqual(3);
      for (const barrier of own) expect(barrier.coordinates.length).toBeGreaterThan(20);
    }
  });

  it('cuts every edge crossing a barrier except spaced bridges and rail crossings', () => {
    const crossingClassOfEdge = new Int8Array(network.edgeFrom.length).fill(-1);
    const report: string[] = [];
    let wrongCrossings = 0;
    for (const barrier of network.barriers) {
      const city = cityOf(network, barrier.cityCode);
      const hitsOf = indexPolyline(barrier.coordinates);
      const projection = createLocalProjection(barrier.coordinates[0]![0], barrier.coordinates[0]![1]);
      const xy = barrier.coordinates.map((position) => projection.toXY(position));
      const cumulative = [0];
      for (let k = 1; k < xy.length; k++) cumulative.push(cumulative[k - 1]! + Math.hypot(xy[k]![0] - xy[k - 1]![0], xy[k]![1] - xy[k - 1]![1]));
      const positions: number[] = [];
      const expectedClass = barrier.kind === 'river' ? BRIDGE : RAIL_CROSSING;
      for (let e = city.edgeOffset; e < city.edgeOffset + city.edgeCount; e++) {
        const a = network.edgeFrom[e]!;
        const b = network.edgeTo[e]!;
        const hits = hitsOf(nodeLng(network, a), nodeLat(network, a), nodeLng(network, b), nodeLat(network, b));
        if (hits.length === 0) continue;
        // Only designated crossings meet a barrier, each exactly once and only one barrier.
        if (network.edgeClass[e] !== expectedClass || hits.length !== 1 || crossingClassOfEdge[e] !== -1) wrongCrossings++;
        crossingClassOfEdge[e] = expectedClass;
        const k = hits[0]!;
        const [ax, ay] = projection.toXY([nodeLng(network, a), nodeLat(network, a)]);
        const [bx, by] = projection.toXY([nodeLng(network, b), nodeLat(network, b)]);
        const [cx, cy] = xy[k]!;
        const [dx, dy] = xy[k + 1]!;
        const t = intersectionParameter(cx, cy, dx, dy, ax, ay, bx, by);
        positions.push(cumulative[k]! + Math.max(0, t) * (cumulative[k + 1]! - cumulative[k]!));
      }
      positions.sort((x, y) => x - y);
      const gaps = positions.slice(1).map((position, k) => position - positions[k]!);
      const [minSpacing, maxSpacing] = barrier.kind === 'river' ? [1500, 3000] : [1000, 2000];
      const lengthMeters = cumulative[cumulative.length - 1]!;
      report.push(
        `${barrier.cityCode} ${barrier.name}: ${(lengthMeters / 1000).toFixed(1)} km, ${positions.length} crossings, ` +
          `gap min ${(Math.min(...gaps) / 1000).toFixed(2)} median ${(median(gaps) / 1000).toFixed(2)} km`,
      );
      const indexInCity = network.barriers.filter((other) => other.cityCode === barrier.cityCode).indexOf(barrier);
      expect(city.crossingsByBarrier[indexInCity]).toBe(positions.length);
      expect(positions.length).toBeGreaterThanOrEqual(2);
      expect(positions.length).toBeLessThanOrEqual(lengthMeters / minSpacing + 1);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(minSpacing * 0.99);
      expect(median(gaps)).toBeLessThanOrEqual(maxSpacing * 1.05);
    }
    console.log(`[walking-network] barriers:\n  ${report.join('\n  ')}`);
    expect(wrongCrossings).toBe(0);
    // Every designated crossing does cross its barrier.
    let idleCrossings = 0;
    for (let e = 0; e < network.edgeFrom.length; e++) {
      const edgeClass = network.edgeClass[e]!;
      if ((edgeClass === BRIDGE || edgeClass === RAIL_CROSSING) && crossingClassOfEdge[e] !== edgeClass) idleCrossings++;
    }
    expect(idleCrossings).toBe(0);
  });

  it('stops a 1 km walk at the river except near bridges (catchment differs from a circle)', () => {
    const city = cityOf(network, '2101');
    const river = network.barriers.find((barrier) => barrier.cityCode === '2101' && barrier.kind === 'river')!;
    const railways = network.barriers.filter((barrier) => barrier.cityCode === '2101' && barrier.kind === 'railway');
    const projection = createLocalProjection(123.43, 41.8);
    const nodeXY = new Float64Array(2 * city.nodeCount);
    for (let i = 0; i < city.nodeCount; i++) {
      const [x, y] = projection.toXY([nodeLng(network, city.nodeOffset + i), nodeLat(network, city.nodeOffset + i)]);
      nodeXY[2 * i] = x;
      nodeXY[2 * i + 1] = y;
    }
    const bridgeXY: [number, number][] = [];
    for (let e = city.edgeOffset; e < city.edgeOffset + city.edgeCount; e++) {
      if (network.edgeClass[e] !== BRIDGE) continue;
      const a = network.edgeFrom[e]! - city.nodeOffset;
      const b = network.edgeTo[e]! - city.nodeOffset;
      bridgeXY.push([(nodeXY[2 * a]! + nodeXY[2 * b]!) / 2, (nodeXY[2 * a + 1]! + nodeXY[2 * b + 1]!) / 2]);
    }
    const railXY = railways.flatMap((railway) => railway.coordinates.map((position) => projection.toXY(position)));
    const riverXY = river.coordinates.map((position) => projection.toXY(position));
    // Candidate sources: 400 m north of the river, ≥ 1.3 km from bridges and railways, densest surroundings.
    let best = { node: -1, density: 0, riverPoint: [0, 0] as [number, number] };
    for (let k = 5; k + 5 < riverXY.length; k += 5) {
      const [px, py] = riverXY[k]!;
      const tx = riverXY[k + 5]![0] - riverXY[k - 5]![0];
      const ty = riverXY[k + 5]![1] - riverXY[k - 5]![1];
      let nx = -ty / Math.hypot(tx, ty);
      let ny = tx / Math.hypot(tx, ty);
      if (ny < 0) {
        nx = -nx;
        ny = -ny;
      }
      const targetX = px + 400 * nx;
      const targetY = py + 400 * ny;
      if (bridgeXY.some(([bx, by]) => Math.hypot(bx - px, by - py) < 1300)) continue;
      if (railXY.some(([rx, ry]) => Math.hypot(rx - targetX, ry - targetY) < 1300)) continue;
      let nearest = -1;
      let nearestDistance = 80;
      let density = 0;
      for (let i = 0; i < city.nodeCount; i++) {
        const d = Math.hypot(nodeXY[2 * i]! - targetX, nodeXY[2 * i + 1]! - targetY);
        if (d < 500) density++;
        if (d < nearestDistance) {
          nearestDistance = d;
          nearest = i;
        }
      }
      if (nearest >= 0 && density > best.density) best = { node: nearest, density, riverPoint: [px, py] };
    }
    expect(best.node).toBeGreaterThanOrEqual(0);
    const source = city.nodeOffset + best.node;
    const distance = dijkstra(buildAdjacency(network), source, 1000);
    const sx = nodeXY[2 * best.node]!;
    const sy = nodeXY[2 * best.node + 1]!;
    // Side of the river: parity of crossings of the straight line from the source.
    const crossesRiver = (x: number, y: number): boolean => {
      let crossings = 0;
      for (let k = 0; k + 1 < riverXY.length; k++) {
        const [cx, cy] = riverXY[k]!;
        const [dx, dy] = riverXY[k + 1]!;
        if (intersectionParameter(sx, sy, x, y, cx, cy, dx, dy) >= 0) crossings++;
      }
      return crossings % 2 === 1;
    };
    const shares = (radiusMeters: number) => {
      const counts = { same: 0, sameReached: 0, other: 0, otherReached: 0 };
      for (let i = 0; i < city.nodeCount; i++) {
        const x = nodeXY[2 * i]!;
        const y = nodeXY[2 * i + 1]!;
        if (Math.hypot(x - sx, y - sy) > radiusMeters) continue;
        const reached = distance[city.nodeOffset + i]! <= 1000;
        if (crossesRiver(x, y)) {
          counts.other++;
          if (reached) counts.otherReached++;
        } else {
          counts.same++;
          if (reached) counts.sameReached++;
        }
      }
      return { ...counts, sameShare: counts.sameReached / counts.same, otherShare: counts.otherReached / counts.other };
    };
    // 1,000 m of network walk covers a circle of 1,000 m / 1.3 (a typical detour factor) on open ground.
    const detourCircle = shares(1000 / 1.3);
    const fullCircle = shares(1000);
    const [lng, lat] = projection.toLngLat([sx, sy]);
    console.log(
      `[walking-network] catchment from node ${source} (${lng.toFixed(5)}, ${lat.toFixed(5)}): ` +
        `r=769 m same side ${detourCircle.sameReached}/${detourCircle.same}, across river ${detourCircle.otherReached}/${detourCircle.other}; ` +
        `r=1000 m same ${fullCircle.sameReached}/${fullCircle.same}, across ${fullCircle.otherReached}/${fullCircle.other}`,
    );
    // Across the river (300 m of water and banks): the 1,000 m circle holds plenty of nodes, few reached.
    expect(fullCircle.other).toBeGreaterThan(30);
    expect(fullCircle.otherShare).toBeLessThan(0.3);
    // Same side: mostly reached (on the 1,000 m circle a grid walk reaches only the inner diamond).
    expect(detourCircle.sameShare).toBeGreaterThan(0.7);
    expect(fullCircle.sameShare).toBeGreaterThan(0.5);
  });
});

describe('generateWalkingNetwork: components and scale', () => {
  it('reports components that match a union-find, with no tiny ones and a dominant one per city', () => {
    const n = network.nodeLngLat.length / 2;
    const parent = Int32Array.from({ length: n }, (_, i) => i);
    const find = (i: number): number => {
      while (parent[i] !== i) {
        parent[i] = parent[parent[i]!]!;
        i = parent[i]!;
      }
      return i;
    };
    for (let e = 0; e < network.edgeFrom.length; e++) {
      const a = find(network.edgeFrom[e]!);
      const b = find(network.edgeTo[e]!);
      if (a !== b) parent[a] = b;
    }
    const sizeByRoot = new Map<number, number>();
    for (let i = 0; i < n; i++) sizeByRoot.set(find(i), (sizeByRoot.get(find(i)) ?? 0) + 1);
    const sizes = [...sizeByRoot.values()].sort((a, b) => b - a);
    expect(network.components.count).toBe(sizes.length);
    expect(network.components.sizes).toEqual(sizes.slice(0, 20));
    expect(network.components.largestNodeShare).toBeCloseTo(sizes[0]! / n, 12);
    expect(sizes[sizes.length - 1]!).toBeGreaterThanOrEqual(10);
    for (const city of network.cities!) {
      let largest = 0;
      const citySizes = new Map<number, number>();
      for (let i = city.nodeOffset; i < city.nodeOffset + city.nodeCount; i++) citySizes.set(find(i), (citySizes.get(find(i)) ?? 0) + 1);
      for (const size of citySizes.values()) largest = Math.max(largest, size);
      expect(city.components.largestNodeShare).toBeCloseTo(largest / city.nodeCount, 12);
      expect(largest / city.nodeCount).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('reaches 300,000 undirected edges over both cities at a plausible density', () => {
    const lines = [
      `generation ${generationMs.toFixed(0)} ms (vitest, first run), max RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
      `total: ${network.nodeLngLat.length / 2} nodes, ${network.edgeFrom.length} edges, components ${JSON.stringify(network.components)}`,
    ];
    for (const city of network.cities!) {
      const density = city.edgeCount / city.areaKm2;
      lines.push(
        `${city.cityCode}: ${city.nodeCount} nodes, ${city.edgeCount} edges over ${city.areaKm2.toFixed(0)} km² ` +
          `(${density.toFixed(1)} edges/km²), crossings per barrier ${JSON.stringify(city.crossingsByBarrier)}, ` +
          `components ${JSON.stringify(city.components)}`,
      );
      expect(density).toBeGreaterThan(20);
      expect(density).toBeLessThan(200);
    }
    console.log(`[walking-network] ${lines.join('\n  ')}`);
    expect(network.edgeFrom.length).toBeGreaterThanOrEqual(300_000);
  });
});
