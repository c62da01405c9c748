// Seeded synthetic pedestrian network over a city's streets (街道): per city, rotated jittered lattices by
// zone thinned from a Delaunay triangulation, arterials joined across zones, cut by a river and railways
// except at spaced crossings.

import type { MultiPolygon } from 'geojson';
import { createLocalProjection } from '../../server/analysis/geo/local-projection';
import type { Rng } from '../../server/analysis/random';
import { joinArterialsAcrossSeams } from './walking-network-arterials';
import { planBarriers, type Barrier, type BarrierFrame } from './walking-network-barriers';
import { AreaLocator, SegmentGrid, haversineMeters, type AreaRingsXY } from './walking-network-geometry';
import { MIN_COMPONENT_NODES, buildCityLinks, labelComponents } from './walking-network-graph';
import { PointBuffer, addBankPoints, addLatticePoints, planZones, type PointFrame } from './walking-network-points';

export interface NetworkArea {
  /** Street (街道) code, 9 digits, e.g. '210103001' */
  code: string;
  /** WGS84 lon/lat MultiPolygon coordinates of the street */
  polygon: MultiPolygon['coordinates'];
}

export const EDGE_CLASSES = ['local', 'arterial', 'bridge', 'rail_crossing', 'path'] as const;
export type EdgeClass = (typeof EDGE_CLASSES)[number];

/** Connected components of a network: count, the largest one's share of nodes, sizes descending (first 20). */
export interface ComponentSummary {
  count: number;
  largestNodeShare: number;
  sizes: number[];
}

/** Per-city slice of the network: nodes [nodeOffset, nodeOffset + nodeCount), edges likewise. */
export interface WalkingNetworkCity {
  cityCode: string;
  nodeOffset: number;
  nodeCount: number;
  edgeOffset: number;
  edgeCount: number;
  /** Summed area of the city's input areas, km² (planar, in the city's local projection). */
  areaKm2: number;
  /** Crossing edges placed per barrier of this city, in the order of `barriers`. */
  crossingsByBarrier: number[];
  components: ComponentSummary;
}

export interface WalkingNetwork {
  /** Node positions, [lng0, lat0, lng1, lat1, …], WGS84 degrees rounded to 6 decimals */
  nodeLngLat: Float64Array;
  /** Undirected edges (walking is two-way) */
  edgeFrom: Uint32Array;
  edgeTo: Uint32Array;
  /** Geodesic length of the straight edge, metres (edges are straight segments between nodes) */
  edgeLengthMeters: Float64Array;
  /** Index into EDGE_CLASSES */
  edgeClass: Uint8Array;
  /** Index into `areaCodes` of the street the edge lies in (midpoint) */
  edgeArea: Uint32Array;
  areaCodes: string[];
  /** The barriers used, for display and for tests */
  barriers: { kind: 'river' | 'railway'; name: string; cityCode: string; coordinates: [number, number][] }[];
  components: { count: number; largestNodeShare: number; sizes: number[] /* descending, first 20 */ };
  /** Index into `areaCodes` of the street each node lies in. */
  nodeArea?: Uint32Array;
  /** Per-city slices and statistics, in ascending city code order (nodes and edges are grouped by city). */
  cities?: WalkingNetworkCity[];
}

export interface WalkingNetworkOptions {
  /** Areas of one or more cities; group them by the first 4 digits of `code` (city) for barriers. */
  areas: NetworkArea[];
  rng: Rng;
}

/** One city's finished network in compact city-local numbering. */
interface CityResult {
  cityCode: string;
  nodeLng: Float64Array;
  nodeLat: Float64Array;
  /** Global area index per node. */
  nodeArea: Int32Array;
  from: Int32Array;
  to: Int32Array;
  edgeClass: Uint8Array;
  /** Global area index per edge. */
  edgeArea: Int32Array;
  barriers: Barrier[];
  crossingsByBarrier: number[];
  areaKm2: number;
  componentSizes: number[];
}

/**
 * Generates the walking network of every city among `areas` (cities in ascending code order, each with
 * its own local projection, barriers and rng stream `city:<code>`). Nodes are the rounded lattice and
 * embankment points that survive; edges are sorted by (from, to) with from < to. Deterministic in the rng.
 */
export function generateWalkingNetwork(options: WalkingNetworkOptions): WalkingNetwork {
  const { areas, rng } = options;
  const areaIndexesByCity = new Map<string, number[]>();
  areas.forEach((area, index) => {
    const city = area.code.slice(0, 4);
    const list = areaIndexesByCity.get(city);
    if (list) list.push(index);
    else areaIndexesByCity.set(city, [index]);
  });
  const cityCodes = [...areaIndexesByCity.keys()].sort();
  const results = cityCodes.map((cityCode) =>
    generateCityNetwork(cityCode, areas, areaIndexesByCity.get(cityCode)!, rng.fork(`city:${cityCode}`)),
  );
  return assembleNetwork(areas, results);
}

function generateCityNetwork(cityCode: string, areas: readonly NetworkArea[], areaIndexes: number[], rng: Rng): CityResult {
  // One projection per city, centred on the bounding box of its areas.
  let minLng = Infinity;
  let minLat = Infinity;
  let maxLng = -Infinity;
  let maxLat = -Infinity;
  for (const index of areaIndexes) {
    for (const polygon of areas[index]!.polygon) {
      for (const ring of polygon) {
        for (const position of ring) {
          minLng = Math.min(minLng, position[0]!);
          maxLng = Math.max(maxLng, position[0]!);
          minLat = Math.min(minLat, position[1]!);
          maxLat = Math.max(maxLat, position[1]!);
        }
      }
    }
  }
  const projection = createLocalProjection((minLng + maxLng) / 2, (minLat + maxLat) / 2);
  const ringsByArea: AreaRingsXY[] = [];
  const areaM2 = new Float64Array(areaIndexes.length);
  const centroidX = new Float64Array(areaIndexes.length);
  const centroidY = new Float64Array(areaIndexes.length);
  areaIndexes.forEach((index, local) => {
    const rings: AreaRingsXY = [];
    let total = 0;
    let sumX = 0;
    let sumY = 0;
    for (const polygon of areas[index]!.polygon) {
      polygon.forEach((ring, r) => {
        const xy = new Float64Array(ring.length * 2);
        ring.forEach((position, k) => {
          const [x, y] = projection.toXY(position);
          xy[2 * k] = x;
          xy[2 * k + 1] = y;
        });
        rings.push(xy);
        // Shoelace area and centroid; holes (r > 0) count negative whatever their winding.
        let signed = 0;
        let cx = 0;
        let cy = 0;
        for (let k = 0; k < ring.length; k++) {
          const j = (k + 1) % ring.length;
          const cross = xy[2 * k]! * xy[2 * j + 1]! - xy[2 * j]! * xy[2 * k + 1]!;
          signed += cross;
          cx += (xy[2 * k]! + xy[2 * j]!) * cross;
          cy += (xy[2 * k + 1]! + xy[2 * j + 1]!) * cross;
        }
        if (signed === 0) return;
        const ringArea = Math.abs(signed) / 2;
        const sign = r === 0 ? 1 : -1;
        total += sign * ringArea;
        sumX += sign * ringArea * (cx / (3 * signed));
        sumY += sign * ringArea * (cy / (3 * signed));
      });
    }
    ringsByArea.push(rings);
    areaM2[local] = Math.max(total, 1);
    centroidX[local] = total > 0 ? sumX / total : 0;
    centroidY[local] = total > 0 ? sumY / total : 0;
  });
  const locator = new AreaLocator(ringsByArea);

  // Urbanness: where a street's area sits between the city's smallest and largest, on a log scale.
  let logMin = Infinity;
  let logMax = -Infinity;
  for (const a of areaM2) {
    logMin = Math.min(logMin, Math.log(a));
    logMax = Math.max(logMax, Math.log(a));
  }
  const urbannessByArea = new Float64Array(areaIndexes.length);
  for (let a = 0; a < areaIndexes.length; a++) {
    urbannessByArea[a] = logMax - logMin > 1e-9 ? (Math.log(areaM2[a]!) - logMin) / (logMax - logMin) : 0.5;
  }
  const minUrbanness = Math.min(...urbannessByArea);
  let centreWeight = 0;
  let centreX = 0;
  let centreY = 0;
  for (let a = 0; a < areaIndexes.length; a++) {
    // The urban centre: the smallest streets (within a quarter of the urbanness range of the smallest).
    if (urbannessByArea[a]! <= minUrbanness + 0.25) {
      centreWeight += areaM2[a]!;
      centreX += areaM2[a]! * centroidX[a]!;
      centreY += areaM2[a]! * centroidY[a]!;
    }
  }
  const barrierFrame: BarrierFrame = {
    cityCode,
    projection,
    minX: locator.minX,
    minY: locator.minY,
    maxX: locator.maxX,
    maxY: locator.maxY,
    centreX: centreX / centreWeight,
    centreY: centreY / centreWeight,
    isLand: (x, y) => locator.locate(x, y) >= 0,
  };
  const barriers = planBarriers(barrierFrame, rng.fork('barriers'));
  const barrierGrid = new SegmentGrid(barriers.map((barrier) => barrier.xy));
  const pointFrame: PointFrame = {
    originLng: projection.origin[0],
    originLat: projection.origin[1],
    metersPerDegreeLng: projection.metersPerDegreeLng,
    metersPerDegreeLat: projection.metersPerDegreeLat,
    locator,
    urbannessByArea,
    barriers,
    barrierGrid,
  };
  const plan = planZones(pointFrame, rng);
  const points = new PointBuffer();
  addLatticePoints(pointFrame, plan, points);
  const banks = addBankPoints(pointFrame, plan, points);
  const links = buildCityLinks({ points, barriers, barrierGrid, locator, banks, rng: rng.fork('links') });
  joinArterialsAcrossSeams(points, links);

  // Prune components too small to be a neighbourhood, then renumber the surviving nodes compactly.
  const labels = labelComponents(points.count, links.from, links.to, links.count);
  const newIndex = new Int32Array(points.count).fill(-1);
  let nodeCount = 0;
  for (let i = 0; i < points.count; i++) {
    const component = labels.componentByNode[i]!;
    if (component >= 0 && labels.sizeByComponent[component]! >= MIN_COMPONENT_NODES) newIndex[i] = nodeCount++;
  }
  const nodeLng = new Float64Array(nodeCount);
  const nodeLat = new Float64Array(nodeCount);
  const nodeArea = new Int32Array(nodeCount);
  for (let i = 0; i < points.count; i++) {
    const k = newIndex[i]!;
    if (k < 0) continue;
    nodeLng[k] = points.lng[i]!;
    nodeLat[k] = points.lat[i]!;
    nodeArea[k] = areaIndexes[points.area[i]!]!;
  }
  const sorted = sortEdges(nodeCount, links.count, links.from, links.to, newIndex);
  const edgeCount = sorted.count;
  const edgeClass = new Uint8Array(edgeCount);
  const edgeArea = new Int32Array(edgeCount);
  const crossingsByBarrier = new Array<number>(barriers.length).fill(0);
  for (let k = 0; k < edgeCount; k++) {
    const e = sorted.source[k]!;
    edgeClass[k] = links.edgeClass[e]!;
    if (links.crossingBarrier[e]! >= 0) crossingsByBarrier[links.crossingBarrier[e]!]!++;
    edgeArea[k] = areaIndexes[links.area[e]! >= 0 ? links.area[e]! : points.area[links.from[e]!]!]!;
  }
  const componentSizes: number[] = [];
  for (let c = 0; c < labels.count; c++) {
    if (labels.sizeByComponent[c]! >= MIN_COMPONENT_NODES) componentSizes.push(labels.sizeByComponent[c]!);
  }
  componentSizes.sort((a, b) => b - a);
  let areaTotal = 0;
  for (const a of areaM2) areaTotal += a;
  return {
    cityCode,
    nodeLng,
    nodeLat,
    nodeArea,
    from: sorted.from,
    to: sorted.to,
    edgeClass,
    edgeArea,
    barriers,
    crossingsByBarrier,
    areaKm2: areaTotal / 1e6,
    componentSizes,
  };
}

/**
 * Orders edges by (min endpoint, max endpoint) after renumbering their points through `newIndex`, with a
 * counting sort on the first and insertion sort within each bucket; drops self-loops, duplicates and
 * edges with a removed (-1) endpoint. `source` maps each output edge to its input edge.
 */
function sortEdges(
  nodeCount: number,
  edgeCount: number,
  fromPoint: Int32Array,
  toPoint: Int32Array,
  newIndex: Int32Array,
): { from: Int32Array; to: Int32Array; source: Int32Array; count: number } {
  const offsets = new Int32Array(nodeCount + 1);
  for (let e = 0; e < edgeCount; e++) {
    const a = newIndex[fromPoint[e]!]!;
    const b = newIndex[toPoint[e]!]!;
    if (a < 0 || b < 0 || a === b) continue;
    offsets[Math.min(a, b) + 1]!++;
  }
  for (let i = 0; i < nodeCount; i++) offsets[i + 1]! += offsets[i]!;
  const fill = offsets.slice(0, nodeCount);
  const total = offsets[nodeCount]!;
  const bucketTo = new Int32Array(total);
  const bucketSource = new Int32Array(total);
  for (let e = 0; e < edgeCount; e++) {
    const a = newIndex[fromPoint[e]!]!;
    const b = newIndex[toPoint[e]!]!;
    if (a < 0 || b < 0 || a === b) continue;
    const slot = fill[Math.min(a, b)]!++;
    bucketTo[slot] = Math.max(a, b);
    bucketSource[slot] = e;
  }
  const from = new Int32Array(total);
  const to = new Int32Array(total);
  const source = new Int32Array(total);
  let count = 0;
  for (let node = 0; node < nodeCount; node++) {
    const start = offsets[node]!;
    const end = offsets[node + 1]!;
    for (let k = start + 1; k < end; k++) {
      const value = bucketTo[k]!;
      const edge = bucketSource[k]!;
      let j = k - 1;
      while (j >= start && bucketTo[j]! > value) {
        bucketTo[j + 1] = bucketTo[j]!;
        bucketSource[j + 1] = bucketSource[j]!;
        j--;
      }
      bucketTo[j + 1] = value;
      bucketSource[j + 1] = edge;
    }
    for (let k = start; k < end; k++) {
      if (k > start && bucketTo[k] === bucketTo[k - 1]) continue;
      from[count] = node;
      to[count] = bucketTo[k]!;
      source[count] = bucketSource[k]!;
      count++;
    }
  }
  return { from: from.subarray(0, count), to: to.subarray(0, count), source: source.subarray(0, count), count };
}

function assembleNetwork(areas: readonly NetworkArea[], results: CityResult[]): WalkingNetwork {
  let nodeTotal = 0;
  let edgeTotal = 0;
  for (const city of results) {
    nodeTotal += city.nodeLng.length;
    edgeTotal += city.from.length;
  }
  const nodeLngLat = new Float64Array(2 * nodeTotal);
  const nodeArea = new Uint32Array(nodeTotal);
  const edgeFrom = new Uint32Array(edgeTotal);
  const edgeTo = new Uint32Array(edgeTotal);
  const edgeLengthMeters = new Float64Array(edgeTotal);
  const edgeClass = new Uint8Array(edgeTotal);
  const edgeArea = new Uint32Array(edgeTotal);
  const barriers: WalkingNetwork['barriers'] = [];
  const cities: WalkingNetworkCity[] = [];
  const allSizes: number[] = [];
  let nodeOffset = 0;
  let edgeOffset = 0;
  for (const city of results) {
    const nodeCount = city.nodeLng.length;
    const edgeCount = city.from.length;
    for (let i = 0; i < nodeCount; i++) {
      nodeLngLat[2 * (nodeOffset + i)] = city.nodeLng[i]!;
      nodeLngLat[2 * (nodeOffset + i) + 1] = city.nodeLat[i]!;
      nodeArea[nodeOffset + i] = city.nodeArea[i]!;
    }
    for (let e = 0; e < edgeCount; e++) {
      const a = city.from[e]!;
      const b = city.to[e]!;
      edgeFrom[edgeOffset + e] = nodeOffset + a;
      edgeTo[edgeOffset + e] = nodeOffset + b;
      edgeLengthMeters[edgeOffset + e] = haversineMeters(city.nodeLng[a]!, city.nodeLat[a]!, city.nodeLng[b]!, city.nodeLat[b]!);
      edgeClass[edgeOffset + e] = city.edgeClass[e]!;
      edgeArea[edgeOffset + e] = city.edgeArea[e]!;
    }
    for (const barrier of city.barriers) {
      barriers.push({ kind: barrier.kind, name: barrier.name, cityCode: barrier.cityCode, coordinates: barrier.lngLat });
    }
    cities.push({
      cityCode: city.cityCode,
      nodeOffset,
      nodeCount,
      edgeOffset,
      edgeCount,
      areaKm2: city.areaKm2,
      crossingsByBarrier: city.crossingsByBarrier,
      components: summarizeComponents(city.componentSizes, nodeCount),
    });
    allSizes.push(...city.componentSizes);
    nodeOffset += nodeCount;
    edgeOffset += edgeCount;
  }
  allSizes.sort((a, b) => b - a);
  return {
    nodeLngLat,
    edgeFrom,
    edgeTo,
    edgeLengthMeters,
    edgeClass,
    edgeArea,
    areaCodes: areas.map((area) => area.code),
    barriers,
    components: summarizeComponents(allSizes, nodeTotal),
    nodeArea,
    cities,
  };
}

function summarizeComponents(sizesDescending: number[], nodeCount: number): ComponentSummary {
  return {
    count: sizesDescending.length,
    largestNodeShare: nodeCount > 0 ? (sizesDescending[0] ?? 0) / nodeCount : 0,
    sizes: sizesDescending.slice(0, 20),
  };
}
