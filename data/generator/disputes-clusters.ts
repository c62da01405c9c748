// Planted dispute clusters, the ground truth for hotspot tests: persistent, emerging (rising over the last
// 2–4 months), diminishing (fading out in the first half year) and boundary clusters (within a buffer of a
// street- or county-level boundary line, both sides). Centres are drawn from grids by population, radii
// scale with the local background so each cluster is several times its surroundings, and counts follow.

import { DISPUTE_TYPE_KEYS, type DisputeType } from '../../server/domain/dispute-categories';
import type { DisputeBoundaryLine, DisputeGrid } from './disputes';
import { METERS_PER_DEGREE, findGridAt, samplePointInGrid, type GridGeometryIndex } from './disputes-grid-index';
import { MS_PER_DAY } from '../../server/domain/china-time';
import type { Rng } from '../../server/analysis/random';

export type PlantedClusterKind = 'persistent' | 'emerging' | 'diminishing' | 'boundary';
/** constant: the same added rate throughout; rising: linear from 0 at startMs to the peak at endMs; falling: the reverse. */
export type PlantedClusterProfile = 'constant' | 'rising' | 'falling';

export interface PlantedCluster {
  /** 1-based; the clusterId of its cases. */
  id: number;
  kind: PlantedClusterKind;
  timeProfile: PlantedClusterProfile;
  /** WGS84 [lng, lat]; for boundary clusters the middle of the line stretch. */
  centerLngLat: [number, number];
  /** Cases lie within this distance of the centre, 300–1,500 m (boundary clusters: half the 0.6–2 km stretch plus the buffer). */
  radiusMeters: number;
  /** Active period, ms since epoch. */
  startMs: number;
  endMs: number;
  /** Peak rate inside the cluster region over the local background rate (1 = no cluster). */
  multiplier: number;
  /** Mean of that ratio over the active period. */
  meanMultiplier: number;
  /** Boundary clusters: the line, the stretch of it (WGS84 lon/lat) and the buffer half-width in metres. */
  boundaryLineId?: string;
  lineLngLat?: number[][];
  bufferMeters?: number;
  urban: boolean;
  /** Grid at the centre (index into the input grids). */
  centerGridIndex: number;
  /** Most of its cases (70 %) have this type (index into DISPUTE_TYPES). */
  dominantTypeIndex: number;
  /** Expected background cases in the cluster region over the active period. */
  backgroundExpected: number;
  /** Cases the cluster added. */
  eventCount: number;
  /** Added cases per day at endMs (0 when fading out); the live generator continues at this rate. */
  endRatePerDay: number;
}

export interface ClusterPlanInput {
  index: GridGeometryIndex;
  grids: readonly DisputeGrid[];
  /** Expected background cases per year by grid. */
  ratePerYearByGrid: Float64Array;
  boundaryLines: readonly DisputeBoundaryLine[];
  windowStartMs: number;
  nowMs: number;
}

/** Half-width of the boundary buffer, metres. */
export const BOUNDARY_BUFFER_METERS = 500;
/** Share of a cluster's cases with its dominant type. */
export const DOMINANT_TYPE_SHARE = 0.7;
/** A cluster adds at least this many cases, so that sparse rural clusters still stand out. */
const MIN_CLUSTER_EVENTS = 30;
const MIN_RADIUS_METERS = 300;
const MAX_RADIUS_METERS = 1500;
/** Disk radius is chosen so that this many background cases per year fall inside (then clamped). */
const TARGET_BACKGROUND_PER_YEAR: readonly [number, number] = [40, 100];
/** Shares of kinds; boundary clusters only when boundary lines are given. */
const KIND_SHARES = { boundary: 0.2, emerging: 0.25, diminishing: 0.2 } as const;
const URBAN_CLUSTER_SHARE = 0.6;
const YEAR_MS = 365 * MS_PER_DAY;

const T = (key: DisputeType): number => DISPUTE_TYPE_KEYS.indexOf(key);
const URBAN_THEMES = [T('property'), T('neighbour'), T('wages'), T('consumer')];
const URBAN_THEME_WEIGHTS = [4, 3, 2, 1];
const RURAL_THEMES = [T('land'), T('boundary'), T('neighbour'), T('family')];
const RURAL_THEME_WEIGHTS = [4, 3, 2, 1];
const URBAN_BOUNDARY_THEMES = [T('neighbour'), T('property')];
const RURAL_BOUNDARY_THEMES = [T('boundary'), T('land')];

/** Metres per degree of longitude at `lat`. */
const metersPerDegreeLng = (lat: number): number => METERS_PER_DEGREE * Math.cos((lat * Math.PI) / 180);

/** Great-circle distance approximated on a local plane, metres. */
export function distanceMeters(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const dx = (lng2 - lng1) * metersPerDegreeLng((lat1 + lat2) / 2);
  const dy = (lat2 - lat1) * METERS_PER_DEGREE;
  return Math.hypot(dx, dy);
}

/** Length of a polyline in metres. */
function lineLengthMeters(line: readonly number[][]): number {
  let total = 0;
  for (let i = 0; i + 1 < line.length; i++) total += distanceMeters(line[i]![0]!, line[i]![1]!, line[i + 1]![0]!, line[i + 1]![1]!);
  return total;
}

/** The part of `line` from `startMeters` to `startMeters + lengthMeters` along it. */
function extractSubLine(line: readonly number[][], startMeters: number, lengthMeters: number): number[][] {
  const result: number[][] = [];
  const endMeters = startMeters + lengthMeters;
  let walked = 0;
  for (let i = 0; i + 1 < line.length; i++) {
    const a = line[i]!;
    const b = line[i + 1]!;
    const segment = distanceMeters(a[0]!, a[1]!, b[0]!, b[1]!);
    const segmentEnd = walked + segment;
    if (segmentEnd >= startMeters && walked <= endMeters && segment > 0) {
      const t0 = Math.max(0, (startMeters - walked) / segment);
      const t1 = Math.min(1, (endMeters - walked) / segment);
      if (result.length === 0) result.push([a[0]! + t0 * (b[0]! - a[0]!), a[1]! + t0 * (b[1]! - a[1]!)]);
      result.push([a[0]! + t1 * (b[0]! - a[0]!), a[1]! + t1 * (b[1]! - a[1]!)]);
    }
    walked = segmentEnd;
    if (walked > endMeters) break;
  }
  return result;
}

/** A point at `alongMeters` along `line`, moved `offsetMeters` to its left (negative: right), into out. */
function pointBesideLine(line: readonly number[][], alongMeters: number, offsetMeters: number, out: Float64Array): void {
  let walked = 0;
  for (let i = 0; i + 1 < line.length; i++) {
    const a = line[i]!;
    const b = line[i + 1]!;
    const kx = metersPerDegreeLng((a[1]! + b[1]!) / 2);
    const dx = (b[0]! - a[0]!) * kx;
    const dy = (b[1]! - a[1]!) * METERS_PER_DEGREE;
    const segment = Math.hypot(dx, dy);
    if (walked + segment >= alongMeters || i + 2 === line.length) {
      const t = segment > 0 ? Math.min(1, Math.max(0, (alongMeters - walked) / segment)) : 0;
      const nx = segment > 0 ? -dy / segment : 0;
      const ny = segment > 0 ? dx / segment : 0;
      out[0] = a[0]! + (t * dx + offsetMeters * nx) / kx;
      out[1] = a[1]! + (t * dy + offsetMeters * ny) / METERS_PER_DEGREE;
      return;
    }
    walked += segment;
  }
  out[0] = line[0]![0]!;
  out[1] = line[0]![1]!;
}

/** The cluster's relative added rate at `ms` (0–1 shape of its time profile; 0 outside the active period). */
export function clusterProfileWeight(cluster: PlantedCluster, ms: number): number {
  if (ms < cluster.startMs || ms >= cluster.endMs) return 0;
  const span = cluster.endMs - cluster.startMs;
  if (cluster.timeProfile === 'rising') return (ms - cluster.startMs) / span;
  if (cluster.timeProfile === 'falling') return (cluster.endMs - ms) / span;
  return 1;
}

/**
 * Writes a candidate location for one of the cluster's cases to out (lng, lat): uniform in the disk,
 * or along the line stretch with a uniform offset up to the buffer on either side. The caller checks
 * that a grid holds it.
 */
export function sampleClusterPoint(cluster: PlantedCluster, rng: Rng, out: Float64Array): void {
  if (cluster.lineLngLat !== undefined) {
    const length = lineLengthMeters(cluster.lineLngLat);
    const buffer = cluster.bufferMeters ?? BOUNDARY_BUFFER_METERS;
    pointBesideLine(cluster.lineLngLat, rng.next() * length, (2 * rng.next() - 1) * buffer * 0.999, out);
    return;
  }
  const [lng0, lat0] = cluster.centerLngLat;
  const r = cluster.radiusMeters * Math.sqrt(rng.next()) * 0.999;
  const theta = 2 * Math.PI * rng.next();
  out[0] = lng0 + (r * Math.cos(theta)) / metersPerDegreeLng(lat0);
  out[1] = lat0 + (r * Math.sin(theta)) / METERS_PER_DEGREE;
}

/** Background cases per square metre per year at a point (its grid's rate over its area), 0 off-grid. */
function backgroundDensityAt(input: ClusterPlanInput, lng: number, lat: number): number {
  const g = findGridAt(input.index, lng, lat);
  if (g < 0) return 0;
  const area = input.index.areaSquareMeters[g]!;
  return area > 0 ? input.ratePerYearByGrid[g]! / area : 0;
}

/** Cumulative population of the grids of one kind (urban or rural), for weighted picks. */
function cumulativePopulation(grids: readonly DisputeGrid[], urban: boolean): { gridIndex: Uint32Array; cumulative: Float64Array } {
  const selected: number[] = [];
  grids.forEach((grid, g) => {
    if (grid.urban === urban && grid.population > 0) selected.push(g);
  });
  const cumulative = new Float64Array(selected.length);
  let total = 0;
  selected.forEach((g, k) => {
    total += grids[g]!.population;
    cumulative[k] = total;
  });
  return { gridIndex: Uint32Array.from(selected), cumulative };
}

function pickWeighted(pool: { gridIndex: Uint32Array; cumulative: Float64Array }, u: number): number {
  const target = u * pool.cumulative[pool.cumulative.length - 1]!;
  let low = 0;
  let high = pool.cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (pool.cumulative[mid]! > target) high = mid;
    else low = mid + 1;
  }
  return pool.gridIndex[low]!;
}

interface Placement {
  centerLngLat: [number, number];
  radiusMeters: number;
}

function isSeparated(placed: readonly Placement[], lng: number, lat: number, radiusMeters: number): boolean {
  for (const other of placed) {
    const d = distanceMeters(lng, lat, other.centerLngLat[0], other.centerLngLat[1]);
    if (d < 1.5 * (radiusMeters + other.radiusMeters) + 500) return false;
  }
  return true;
}

/** Number of clusters of each kind for a total. */
export function splitClusterKinds(count: number, withBoundary: boolean): Record<PlantedClusterKind, number> {
  const boundary = withBoundary ? Math.round(count * KIND_SHARES.boundary) : 0;
  const emerging = Math.round(count * KIND_SHARES.emerging);
  const diminishing = Math.round(count * KIND_SHARES.diminishing);
  return { boundary, emerging, diminishing, persistent: Math.max(0, count - boundary - emerging - diminishing) };
}

/** Default number of clusters: one per million residents, at least 4 (one of each kind), at most 60. */
export function defaultClusterCount(totalPopulation: number): number {
  return Math.min(60, Math.max(4, Math.round(totalPopulation / 1_000_000)));
}

/**
 * Chooses `count` clusters (fewer if the geography has no room for them) with their time windows and
 * case counts. History spans [windowStartMs, nowMs): emerging clusters start 60–120 days before now,
 * diminishing ones end 120–210 days after the window start, the others span the whole window.
 */
export function planDisputeClusters(input: ClusterPlanInput, rng: Rng, count: number): PlantedCluster[] {
  const { grids, index } = input;
  const lines = input.boundaryLines.filter((line) => line.level === 'street' || line.level === 'county');
  const kinds = splitClusterKinds(count, lines.length > 0);
  const urbanPool = cumulativePopulation(grids, true);
  const ruralPool = cumulativePopulation(grids, false);
  const placed: Placement[] = [];
  const clusters: PlantedCluster[] = [];
  const point = new Float64Array(2);

  // Boundary clusters first: they have fewer places to go.
  const lineOrder = rng.shuffle(lines.map((_, k) => k));
  const maxAttempts = Math.max(3 * lineOrder.length, 60);
  for (let k = 0, attempt = 0; k < kinds.boundary && attempt < maxAttempts; attempt++) {
    const wantUrban = k % 2 === 0;
    const line = lines[lineOrder[attempt % lineOrder.length]!]!;
    const relaxUrban = attempt >= maxAttempts / 3;
    const parts: number[][][] = typeof line.coordinates[0]![0] === 'number' ? [line.coordinates as number[][]] : (line.coordinates as number[][][]);
    const partLengths = parts.map(lineLengthMeters);
    const part = rng.weightedIndex(partLengths);
    const partLength = partLengths[part]!;
    if (!(partLength >= 1000)) continue;
    const stretchMeters = Math.min(partLength, rng.uniform(1000, 2000));
    const stretch = extractSubLine(parts[part]!, rng.next() * (partLength - stretchMeters), stretchMeters);
    if (stretch.length < 2) continue;
    // Grids on both sides along the stretch; background density in the buffer and in a band beside it.
    let leftHits = 0;
    let rightHits = 0;
    let bufferDensitySum = 0;
    let bandDensitySum = 0;
    let urbanHits = 0;
    for (let s = 0; s < 5; s++) {
      for (const side of [1, -1]) {
        pointBesideLine(stretch, ((s + 0.5) / 5) * stretchMeters, side * 2 * BOUNDARY_BUFFER_METERS, point);
        bandDensitySum += backgroundDensityAt(input, point[0]!, point[1]!);
        pointBesideLine(stretch, ((s + 0.5) / 5) * stretchMeters, side * 0.6 * BOUNDARY_BUFFER_METERS, point);
        const g = findGridAt(index, point[0]!, point[1]!);
        if (g < 0) continue;
        if (side > 0) leftHits++;
        else rightHits++;
        if (grids[g]!.urban) urbanHits++;
        bufferDensitySum += backgroundDensityAt(input, point[0]!, point[1]!);
      }
    }
    if (leftHits < 4 || rightHits < 4) continue;
    // ...and around the stretch's ends: a circle 1 km beyond them, about the middle.
    pointBesideLine(stretch, stretchMeters / 2, 0, point);
    const middleLng = point[0]!;
    const middleLat = point[1]!;
    for (let s = 0; s < 8; s++) {
      const angle = (s * Math.PI) / 4;
      const reach = stretchMeters / 2 + 2 * BOUNDARY_BUFFER_METERS;
      bandDensitySum += backgroundDensityAt(
        input,
        middleLng + (reach * Math.cos(angle)) / metersPerDegreeLng(middleLat),
        middleLat + (reach * Math.sin(angle)) / METERS_PER_DEGREE,
      );
    }
    const urban = urbanHits >= 5;
    if (!relaxUrban && urban !== wantUrban) continue;
    // In dense places keep only the middle of the stretch (down to 600 m), like the disks' radii.
    const density = Math.max(bufferDensitySum / (leftHits + rightHits), bandDensitySum / 18);
    const target = rng.uniform(TARGET_BACKGROUND_PER_YEAR[0], TARGET_BACKGROUND_PER_YEAR[1]);
    const keptMeters = Math.min(stretchMeters, Math.max(600, target / (density * 2 * BOUNDARY_BUFFER_METERS)));
    const kept = keptMeters < stretchMeters ? extractSubLine(stretch, (stretchMeters - keptMeters) / 2, keptMeters) : stretch;
    const center: [number, number] = [round6(middleLng), round6(middleLat)];
    const radiusMeters = Math.round(keptMeters / 2 + BOUNDARY_BUFFER_METERS);
    if (!isSeparated(placed, center[0], center[1], radiusMeters)) continue;
    // The centre lies on the line, between grids: take the grid just to its left (or right).
    pointBesideLine(stretch, stretchMeters / 2, 50, point);
    let centerGrid = findGridAt(index, point[0]!, point[1]!);
    if (centerGrid < 0) {
      pointBesideLine(stretch, stretchMeters / 2, -50, point);
      centerGrid = findGridAt(index, point[0]!, point[1]!);
    }
    const areaSquareMeters = 2 * BOUNDARY_BUFFER_METERS * keptMeters + Math.PI * BOUNDARY_BUFFER_METERS ** 2;
    const themes = urban ? URBAN_BOUNDARY_THEMES : RURAL_BOUNDARY_THEMES;
    clusters.push(
      finishCluster(input, rng, {
        kind: 'boundary',
        center,
        radiusMeters,
        urban,
        centerGridIndex: Math.max(0, centerGrid),
        dominantTypeIndex: themes[rng.int(0, themes.length - 1)]!,
        densityPerSquareMeterYear: density,
        areaSquareMeters,
        boundaryLineId: line.id,
        lineLngLat: kept.map(([lng, lat]) => [round6(lng!), round6(lat!)]),
      }),
    );
    placed.push({ centerLngLat: center, radiusMeters });
    k++;
  }
  // Boundary clusters that found no place become persistent ones.
  const diskKinds: PlantedClusterKind[] = [];
  for (let k = 0; k < kinds.persistent + (kinds.boundary - clusters.length); k++) diskKinds.push('persistent');
  for (let k = 0; k < kinds.emerging; k++) diskKinds.push('emerging');
  for (let k = 0; k < kinds.diminishing; k++) diskKinds.push('diminishing');

  diskKinds.forEach((kind, k) => {
    let wantUrban = k % 5 < URBAN_CLUSTER_SHARE * 5;
    if (urbanPool.gridIndex.length === 0) wantUrban = false;
    if (ruralPool.gridIndex.length === 0) wantUrban = true;
    const pool = wantUrban ? urbanPool : ruralPool;
    for (let attempt = 0; attempt < 400; attempt++) {
      const g = pickWeighted(pool, rng.next());
      samplePointInGrid(index, g, rng, point);
      const center: [number, number] = [point[0]!, point[1]!];
      const area = index.areaSquareMeters[g]!;
      const density = area > 0 ? input.ratePerYearByGrid[g]! / area : 0;
      if (!(density > 0)) continue;
      const target = rng.uniform(TARGET_BACKGROUND_PER_YEAR[0], TARGET_BACKGROUND_PER_YEAR[1]);
      const radiusMeters = Math.round(Math.min(MAX_RADIUS_METERS, Math.max(MIN_RADIUS_METERS, Math.sqrt(target / (Math.PI * density)))));
      if (!isSeparated(placed, center[0], center[1], radiusMeters)) continue;
      // Surrounded by grids out to 1.5 radii (not at the coast or the province's edge), unless that never works.
      // Background density inside the disk and in the ring around it; the cluster is sized on the larger.
      let surrounded = 0;
      let diskDensitySum = density;
      let ringDensitySum = 0;
      const kx = metersPerDegreeLng(center[1]);
      for (let s = 0; s < 8; s++) {
        const angle = (s * Math.PI) / 4;
        const lng = center[0] + (1.5 * radiusMeters * Math.cos(angle)) / kx;
        const lat = center[1] + (1.5 * radiusMeters * Math.sin(angle)) / METERS_PER_DEGREE;
        if (findGridAt(index, lng, lat) >= 0) surrounded++;
        ringDensitySum += backgroundDensityAt(input, lng, lat);
        diskDensitySum += backgroundDensityAt(input, center[0] + (0.6 * radiusMeters * Math.cos(angle)) / kx, center[1] + (0.6 * radiusMeters * Math.sin(angle)) / METERS_PER_DEGREE);
      }
      if (surrounded < (attempt < 300 ? 8 : 5)) continue;
      const themes = wantUrban ? URBAN_THEMES : RURAL_THEMES;
      const themeWeights = wantUrban ? URBAN_THEME_WEIGHTS : RURAL_THEME_WEIGHTS;
      clusters.push(
        finishCluster(input, rng, {
          kind,
          center: [round6(center[0]), round6(center[1])],
          radiusMeters,
          urban: grids[g]!.urban,
          centerGridIndex: g,
          dominantTypeIndex: themes[rng.weightedIndex(themeWeights)]!,
          densityPerSquareMeterYear: Math.max(diskDensitySum / 9, ringDensitySum / 8),
          areaSquareMeters: Math.PI * radiusMeters * radiusMeters,
        }),
      );
      placed.push({ centerLngLat: center, radiusMeters });
      return;
    }
  });
  clusters.forEach((cluster, k) => {
    cluster.id = k + 1;
  });
  return clusters;
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

interface ClusterDraft {
  kind: PlantedClusterKind;
  center: [number, number];
  radiusMeters: number;
  urban: boolean;
  centerGridIndex: number;
  dominantTypeIndex: number;
  densityPerSquareMeterYear: number;
  areaSquareMeters: number;
  boundaryLineId?: string;
  lineLngLat?: number[][];
}

/** Time window, multiplier and case count of a placed cluster. */
function finishCluster(input: ClusterPlanInput, rng: Rng, draft: ClusterDraft): PlantedCluster {
  let startMs = input.windowStartMs;
  let endMs = input.nowMs;
  let timeProfile: PlantedClusterProfile = 'constant';
  if (draft.kind === 'emerging') {
    startMs = input.nowMs - Math.round(rng.uniform(60, 120)) * MS_PER_DAY;
    timeProfile = 'rising';
  } else if (draft.kind === 'diminishing') {
    endMs = input.windowStartMs + Math.round(rng.uniform(120, 210)) * MS_PER_DAY;
    timeProfile = 'falling';
  }
  const activeYears = (endMs - startMs) / YEAR_MS;
  const backgroundExpected = draft.densityPerSquareMeterYear * draft.areaSquareMeters * activeYears;
  // Constant clusters run at 5–8× the background; ramps peak at 8–13× (mean excess half the peak's).
  const peak = timeProfile === 'constant' ? rng.uniform(5, 8) : rng.uniform(8, 13);
  const meanExcess = timeProfile === 'constant' ? peak - 1 : (peak - 1) / 2;
  const eventCount = Math.max(MIN_CLUSTER_EVENTS, rng.poisson(meanExcess * backgroundExpected));
  const excessRatio = backgroundExpected > 0 ? eventCount / backgroundExpected : eventCount;
  const activeDays = (endMs - startMs) / MS_PER_DAY;
  const cluster: PlantedCluster = {
    id: 0,
    kind: draft.kind,
    timeProfile,
    centerLngLat: draft.center,
    radiusMeters: draft.radiusMeters,
    startMs,
    endMs,
    multiplier: round2(1 + (timeProfile === 'constant' ? excessRatio : 2 * excessRatio)),
    meanMultiplier: round2(1 + excessRatio),
    urban: draft.urban,
    centerGridIndex: draft.centerGridIndex,
    dominantTypeIndex: draft.dominantTypeIndex,
    backgroundExpected: round2(backgroundExpected),
    eventCount,
    endRatePerDay: timeProfile === 'falling' ? 0 : round2(((timeProfile === 'rising' ? 2 : 1) * eventCount) / activeDays),
  };
  if (draft.boundaryLineId !== undefined) {
    cluster.boundaryLineId = draft.boundaryLineId;
    cluster.lineLngLat = draft.lineLngLat!;
    cluster.bufferMeters = BOUNDARY_BUFFER_METERS;
  }
  return cluster;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
