// Generates the demonstration street, community and grid polygons inside the real county polygons,
// with the real codes and names: each level is a Voronoi layout (k-means on a density with a compact
// urban core) cut exactly to its parents (partition-level.ts). Populations come from the county census:
// the urban share goes to residents' committees (社区/居委会, NBS codes xxx001–199), the rest to
// villages (村, 200+), then to grids and residential demand points, always adding up exactly.

import type { Position } from 'geojson';
import polylabel from 'polylabel';
import { area as turfArea } from '@turf/turf';
import type { MultiPolygonCoordinates } from '../../server/analysis/geo/planar-partition';
import { roundDegrees } from '../../server/ingest/coordinate-systems';
import { apportion } from './apportion';
import { dissolvePolygons, partitionLevel, type BorderPoints, type PartitionCell } from './partition-level';
import { createPointInPolygonIndex } from '../../server/analysis/geo/point-in-polygon-index';
import { createPolygonSampler } from './polygon-sampler';
import type { Rng } from '../../server/analysis/random';
import {
  createParentFrame,
  placeSeedsByKMeans,
  sampleParentPoints,
  voronoiCellRings,
  type DensityCore,
} from './voronoi-layout';

export interface CountyInput {
  code: string;
  name: string;
  cityCode: string;
  population: number;
  urbanShare: number;
  polygon: MultiPolygonCoordinates;
  labelLngLat: [number, number];
}

export interface DivisionInput {
  code: string;
  name: string;
  parentCode: string;
}

export interface GeneratedUnit {
  code: string;
  name: string;
  parentCode: string;
  /** Town-type unit: 街道 street or residents' committee (社区/居委会). */
  urban: boolean;
  population: number;
  polygon: MultiPolygonCoordinates;
  labelLngLat: [number, number];
  areaSquareMeters: number;
}

export interface GeneratedGrid extends GeneratedUnit {
  households: number;
  /** Full-time grid workers (专职网格员). */
  fullTimeWorkers: number;
  /** Part-time grid workers (兼职网格员). */
  partTimeWorkers: number;
}

/** Residential demand points, struct of arrays: one per 50–200 residents, inside its grid. */
export interface DemandPoints {
  lngLat: Float64Array;
  population: Uint32Array;
  /** Index into the grids array. */
  gridIndex: Uint32Array;
}

export interface AdminPartition {
  /**
   * Points the street, community and grid levels put on their parents' edges, keyed by the edge
   * (see partition-level.ts): insert them, level by level, into every county (generated or not) so
   * the counties share all vertices with the units inside them and with each other.
   */
  borderRegistries: BorderPoints[];
  streets: GeneratedUnit[];
  communities: GeneratedUnit[];
  grids: GeneratedGrid[];
  demandPoints: DemandPoints;
  stats: Record<string, number>;
}

const SQUARE_KM = 1e6;

const round6 = (xy: readonly number[]): [number, number] => [roundDegrees(xy[0]!), roundDegrees(xy[1]!)];

/** NBS convention: committees numbered 001–199 are residents' (urban), 200 and above villages. */
export function isUrbanCommunityCode(code: string): boolean {
  return Number(code.slice(9)) < 200;
}

export function isUrbanStreetName(name: string): boolean {
  return name.endsWith('街道');
}

function labelOf(polygon: MultiPolygonCoordinates): [number, number] {
  let largest = polygon[0]!;
  let largestArea = -1;
  for (const part of polygon) {
    const area = Math.abs(turfArea({ type: 'Polygon', coordinates: part }));
    if (area > largestArea) {
      largestArea = area;
      largest = part;
    }
  }
  const p = polylabel(largest as [number, number][][], 1e-5);
  return round6(p);
}

function areaOf(polygon: MultiPolygonCoordinates): number {
  return turfArea({ type: 'MultiPolygon', coordinates: polygon });
}

/**
 * The seat a county's urban core grows around: its own pole of inaccessibility, except for a city
 * district, whose core leans towards the city's densest district (the historic centre).
 */
function countySeats(counties: readonly CountyInput[]): Map<string, [number, number]> {
  const centreByCity = new Map<string, CountyInput>();
  const density = (c: CountyInput): number => c.population / areaOf(c.polygon);
  for (const county of counties) {
    const best = centreByCity.get(county.cityCode);
    if (!best || density(county) > density(best)) centreByCity.set(county.cityCode, county);
  }
  const seats = new Map<string, [number, number]>();
  for (const county of counties) {
    const centre = centreByCity.get(county.cityCode)!;
    if (centre === county || !county.name.endsWith('区')) {
      seats.set(county.code, county.labelLngLat);
      continue;
    }
    // Nearest vertex of the district to the centre, then a third of the way back towards the district's label.
    let nearest = county.polygon[0]![0]![0]!;
    let best = Infinity;
    for (const part of county.polygon) {
      for (const p of part[0]!) {
        const d = (p[0]! - centre.labelLngLat[0]) ** 2 + (p[1]! - centre.labelLngLat[1]) ** 2;
        if (d < best) {
          best = d;
          nearest = p;
        }
      }
    }
    const t = 0.35;
    seats.set(county.code, [
      nearest[0]! + t * (county.labelLngLat[0] - nearest[0]!),
      nearest[1]! + t * (county.labelLngLat[1] - nearest[1]!),
    ]);
  }
  return seats;
}

interface ChildLayoutInput {
  parentCode: string;
  polygon: MultiPolygonCoordinates;
  seatLngLat: [number, number];
  /** Children in code order, with their urban flag. */
  children: { code: string; urban: boolean }[];
  /** Core area per urban child (m²): small means compact urban cells. */
  urbanCellAreaSquareMeters: number;
  samplesPerChild: number;
}

/**
 * How far each seed stays from the parent's border, and from any other seed (half the distance), as a
 * share of the side of a square the size of an average child: where the parent leaves that room,
 * every child holds a disc of π · 0.05² ≈ 0.8 % of an average child's area.
 */
const SEED_CLEARANCE_SHARE = 0.05;

/** Voronoi cells for one parent's children; urban children take the cells nearest the seat. */
function layoutChildCells(input: ChildLayoutInput, rng: Rng): PartitionCell[] {
  const { children, polygon } = input;
  const frame = createParentFrame(polygon, input.seatLngLat);
  const [minX, minY, maxX, maxY] = frame.bbox;
  const margin = Math.max(50, 0.01 * Math.max(maxX - minX, maxY - minY));
  const bounds: [number, number, number, number] = [minX - margin, minY - margin, maxX + margin, maxY + margin];
  const toLngLat = (xy: readonly number[]): Position => round6(frame.projection.toLngLat(xy));
  if (children.length === 1) {
    const [ring] = voronoiCellRings(new Float64Array([0, 0]), bounds, toLngLat);
    return [{ code: children[0]!.code, parentCode: input.parentCode, ring: ring! }];
  }
  const urbanCount = children.filter((c) => c.urban).length;
  const ruralCount = children.length - urbanCount;
  let core: DensityCore | undefined;
  if (urbanCount > 0 && ruralCount > 0) {
    const coreArea = Math.min(0.5 * frame.areaSquareMeters, urbanCount * input.urbanCellAreaSquareMeters);
    core = { seatLngLat: input.seatLngLat, sigmaMeters: Math.sqrt(coreArea / Math.PI), massShare: urbanCount / children.length };
  }
  const sampleCount = Math.max(children.length * input.samplesPerChild, 200);
  const samples = sampleParentPoints(frame, sampleCount, rng, core);
  const clearanceMeters = SEED_CLEARANCE_SHARE * Math.sqrt(frame.areaSquareMeters / children.length);
  const seeds = placeSeedsByKMeans(samples, children.length, rng, undefined, { clearanceMeters, borderDistanceMeters: frame.borderDistanceMeters });
  const rings = voronoiCellRings(seeds, bounds, toLngLat);

  // Cells nearest the seat go to the urban children, in code order; the rest to the rural ones.
  const seat = frame.projection.toXY(input.seatLngLat);
  const order = rings
    .map((_, i) => ({ i, d: (seeds[i * 2]! - seat[0]) ** 2 + (seeds[i * 2 + 1]! - seat[1]) ** 2 }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .map(({ i }) => i);
  const ordered = [...children.filter((c) => c.urban), ...children.filter((c) => !c.urban)];
  return ordered.map((child, rank) => ({ code: child.code, parentCode: input.parentCode, ring: rings[order[rank]!]! }));
}

function groupByParent<T extends { parentCode: string }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(item.parentCode);
    if (list) list.push(item);
    else groups.set(item.parentCode, [item]);
  }
  for (const list of groups.values()) list.sort((a, b) => ((a as unknown as { code: string }).code < (b as unknown as { code: string }).code ? -1 : 1));
  return groups;
}

/** Log-normal weight with median 1. */
const lognormal = (rng: Rng, sd: number): number => Math.exp(rng.normal(0, sd));

export interface AdminPartitionOptions {
  counties: CountyInput[];
  streets: DivisionInput[];
  communities: DivisionInput[];
  rng: Rng;
  log?: (message: string) => void;
}

export function generateAdminPartition({ counties, streets, communities, rng, log = () => {} }: AdminPartitionOptions): AdminPartition {
  const started = performance.now();
  const lap = (label: string): void => log(`${label} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  const seats = countySeats(counties);
  const streetsByCounty = groupByParent(streets);
  const communitiesByStreet = groupByParent(communities);

  // Streets: 街道 compact around the county seat, towns and townships large.
  const streetRng = rng.fork('street-layout');
  const streetCells = counties.flatMap((county) =>
    layoutChildCells(
      {
        parentCode: county.code,
        polygon: county.polygon,
        seatLngLat: seats.get(county.code)!,
        children: (streetsByCounty.get(county.code) ?? []).map((s) => ({ code: s.code, urban: isUrbanStreetName(s.name) })),
        urbanCellAreaSquareMeters: 8 * SQUARE_KM,
        samplesPerChild: 80,
      },
      streetRng,
    ),
  );
  const streetLevel = partitionLevel(counties, streetCells);
  lap(`streets: ${streetCells.length} cells, ${streetLevel.borderPoints} border points, ${streetLevel.rounds} rounds, ${streetLevel.unsharedBorderPoints} unshared`);

  const streetByCode = new Map(streets.map((s) => [s.code, s]));
  const streetPolygons = streetLevel.polygons;
  const streetLabels = new Map<string, [number, number]>();
  for (const [code, polygon] of streetPolygons) streetLabels.set(code, labelOf(polygon));

  // Communities: residents' committees compact around the street's centre, villages spread out.
  const communityRng = rng.fork('community-layout');
  const communityCells = streets.flatMap((street) =>
    layoutChildCells(
      {
        parentCode: street.code,
        polygon: streetPolygons.get(street.code)!,
        seatLngLat: streetLabels.get(street.code)!,
        children: (communitiesByStreet.get(street.code) ?? []).map((c) => ({ code: c.code, urban: isUrbanCommunityCode(c.code) })),
        urbanCellAreaSquareMeters: isUrbanStreetName(street.name) ? 1.2 * SQUARE_KM : 0.6 * SQUARE_KM,
        samplesPerChild: 50,
      },
      communityRng,
    ),
  );
  const communityLevel = partitionLevel(
    streets.map((s) => ({ code: s.code, polygon: streetPolygons.get(s.code)! })),
    communityCells,
  );
  lap(`communities: ${communityCells.length} cells, ${communityLevel.borderPoints} border points, ${communityLevel.rounds} rounds, ${communityLevel.unsharedBorderPoints} unshared`);
  const communityPolygons = communityLevel.polygons;

  // Population: urban share of each county to its residents' committees, the rest to its villages.
  const populationRng = rng.fork('population');
  const communityPopulation = new Map<string, number>();
  const communityArea = new Map<string, number>();
  for (const [code, polygon] of communityPolygons) communityArea.set(code, areaOf(polygon));
  for (const county of counties) {
    const own = (streetsByCounty.get(county.code) ?? []).flatMap((s) => communitiesByStreet.get(s.code) ?? []);
    const urban = own.filter((c) => isUrbanCommunityCode(c.code));
    const rural = own.filter((c) => !isUrbanCommunityCode(c.code));
    let urbanTotal = Math.round(county.population * county.urbanShare);
    let ruralTotal = county.population - urbanTotal;
    if (urban.length === 0) [urbanTotal, ruralTotal] = [0, county.population];
    if (rural.length === 0) [urbanTotal, ruralTotal] = [county.population, 0];
    const urbanWeights = urban.map((c) => lognormal(populationRng, 0.35) * (isUrbanStreetName(streetByCode.get(c.parentCode)!.name) ? 1 : 0.45));
    const ruralWeights = rural.map((c) => lognormal(populationRng, 0.45) * (communityArea.get(c.code)! / SQUARE_KM) ** 0.25);
    apportion(urbanTotal, urbanWeights).forEach((p, i) => communityPopulation.set(urban[i]!.code, p));
    apportion(ruralTotal, ruralWeights).forEach((p, i) => communityPopulation.set(rural[i]!.code, p));
  }

  const streetUnits: GeneratedUnit[] = streets.map((s) => {
    const polygon = streetPolygons.get(s.code)!;
    const population = (communitiesByStreet.get(s.code) ?? []).reduce((sum, c) => sum + communityPopulation.get(c.code)!, 0);
    return {
      code: s.code,
      name: s.name,
      parentCode: s.parentCode,
      urban: isUrbanStreetName(s.name),
      population,
      polygon,
      labelLngLat: streetLabels.get(s.code)!,
      areaSquareMeters: areaOf(polygon),
    };
  });
  const communityUnits: GeneratedUnit[] = communities.map((c) => {
    const polygon = communityPolygons.get(c.code)!;
    return {
      code: c.code,
      name: c.name,
      parentCode: c.parentCode,
      urban: isUrbanCommunityCode(c.code),
      population: communityPopulation.get(c.code)!,
      polygon,
      labelLngLat: labelOf(polygon),
      areaSquareMeters: communityArea.get(c.code)!,
    };
  });
  lap('populations and labels');

  // Grids: 300–500 households (about 1,000 residents) in residents' committees, 1–3 per village.
  const gridRng = rng.fork('grid-layout');
  const gridPopulationRng = rng.fork('grid-population');
  const gridCells: PartitionCell[] = [];
  const householdSizeByCommunity = new Map<string, number>();
  for (const community of communityUnits) {
    const householdSize = community.urban ? gridPopulationRng.uniform(2.35, 2.85) : gridPopulationRng.uniform(2.6, 3.2);
    householdSizeByCommunity.set(community.code, householdSize);
    const count = community.urban
      ? Math.max(1, Math.round(community.population / householdSize / 400))
      : community.population < 1200
        ? 1
        : community.population < 2500
          ? 2
          : 3;
    const children = Array.from({ length: count }, (_, i) => ({ code: `${community.code}${String(i + 1).padStart(3, '0')}`, urban: false }));
    gridCells.push(
      ...layoutChildCells(
        {
          parentCode: community.code,
          polygon: community.polygon,
          seatLngLat: community.labelLngLat,
          children,
          urbanCellAreaSquareMeters: 0,
          samplesPerChild: 24,
        },
        gridRng,
      ),
    );
  }
  const gridLevel = partitionLevel(
    communityUnits.map((c) => ({ code: c.code, polygon: c.polygon })),
    gridCells,
  );
  lap(`grids: ${gridCells.length} cells, ${gridLevel.borderPoints} border points, ${gridLevel.rounds} rounds, ${gridLevel.unsharedBorderPoints} unshared`);

  const grids: GeneratedGrid[] = [];
  const cellsByCommunity = groupByParent(gridCells);
  for (const community of communityUnits) {
    const cells = cellsByCommunity.get(community.code)!;
    const polygons = cells.map((cell) => gridLevel.polygons.get(cell.code)!);
    // Grids of a community share its residents about equally (grid sizes are set by households, not area).
    const populations = apportion(community.population, cells.map(() => lognormal(gridPopulationRng, 0.04)));
    const householdSize = householdSizeByCommunity.get(community.code)!;
    cells.forEach((cell, i) => {
      const population = populations[i]!;
      grids.push({
        code: cell.code,
        name: `${community.name.replace(/(社区居民委员会|社区居委会|居民委员会|村民委员会|村委会|委员会)$/, '')}第${i + 1}网格`,
        parentCode: community.code,
        urban: community.urban,
        population,
        polygon: polygons[i]!,
        labelLngLat: labelOf(polygons[i]!),
        areaSquareMeters: areaOf(polygons[i]!),
        households: Math.max(population > 0 ? 1 : 0, Math.round(population / householdSize)),
        fullTimeWorkers: 1,
        partTimeWorkers: community.urban ? gridPopulationRng.int(1, 3) : gridPopulationRng.int(0, 2),
      });
    });
  }
  lap('grid populations');

  // Every level as the exact union of its children: the points where cells met a parent's edge are
  // then on the parent too (and on its neighbour, which shares the edge), so parents and children tile
  // exactly, vertex for vertex.
  const gridsByCommunity = groupByParent(grids);
  for (const community of communityUnits) {
    community.polygon = dissolvePolygons(gridsByCommunity.get(community.code)!.map((g) => g.polygon));
    community.areaSquareMeters = areaOf(community.polygon);
  }
  const communitiesByStreetUnit = groupByParent(communityUnits);
  for (const street of streetUnits) {
    street.polygon = dissolvePolygons(communitiesByStreetUnit.get(street.code)!.map((c) => c.polygon));
    street.areaSquareMeters = areaOf(street.polygon);
  }
  lap('parents dissolved from their children');

  const demandPoints = generateDemandPoints(grids, rng.fork('demand-points'));
  lap(`demand points: ${demandPoints.population.length}`);

  return {
    streets: streetUnits,
    communities: communityUnits,
    grids,
    demandPoints,
    borderRegistries: [streetLevel.registry, communityLevel.registry, gridLevel.registry],
    stats: {
      streetBorderPoints: streetLevel.borderPoints,
      communityBorderPoints: communityLevel.borderPoints,
      gridBorderPoints: gridLevel.borderPoints,
      unsharedBorderPoints: streetLevel.unsharedBorderPoints + communityLevel.unsharedBorderPoints + gridLevel.unsharedBorderPoints,
      seconds: (performance.now() - started) / 1000,
    },
  };
}

/** One demand point per ~100 residents (50–200), uniform inside its grid, populations exact. */
function generateDemandPoints(grids: readonly GeneratedGrid[], rng: Rng): DemandPoints {
  // Grids without residents (villages of fully urban districts) get no demand point.
  const counts = grids.map((g) => (g.population === 0 ? 0 : Math.max(1, Math.round(g.population / 100))));
  const total = counts.reduce((a, b) => a + b, 0);
  const lngLat = new Float64Array(total * 2);
  const population = new Uint32Array(total);
  const gridIndex = new Uint32Array(total);
  let n = 0;
  grids.forEach((grid, g) => {
    if (counts[g] === 0) return;
    // Grids are small: sampling in lon/lat is uniform enough (the metre scale differs by < 0.1 % across one).
    const sampler = createPolygonSampler(grid.polygon);
    const index = createPointInPolygonIndex(grid.polygon);
    const shares = apportion(grid.population, Array.from({ length: counts[g]! }, () => 1));
    for (let k = 0; k < counts[g]!; k++) {
      // Rounding to 6 decimals can move a point near the edge out of its grid: draw again then.
      let x = grid.labelLngLat[0];
      let y = grid.labelLngLat[1];
      for (let attempt = 0; attempt < 50; attempt++) {
        const [sx, sy] = sampler.sample(rng);
        if (index.contains(roundDegrees(sx), roundDegrees(sy))) {
          x = roundDegrees(sx);
          y = roundDegrees(sy);
          break;
        }
      }
      lngLat[n * 2] = x;
      lngLat[n * 2 + 1] = y;
      population[n] = shares[k]!;
      gridIndex[n] = g;
      n += 1;
    }
  });
  return { lngLat, population, gridIndex };
}
