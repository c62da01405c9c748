// Candidate street intersections of one city: Voronoi zones each carrying a rotated, jittered rectangular
// lattice (block size by how central the street is, straight arterial lines every 600–1000 m, gated
// superblocks), plus embankment/frontage points along both sides of every barrier.

import { Delaunay } from 'd3-delaunay';
import type { Rng } from '../../server/analysis/random';
import type { Barrier } from './walking-network-barriers';
import { sampleStations } from './walking-network-barriers';
import { AreaLocator, SegmentGrid, hashLattice, roundDegrees, unitFromHash } from './walking-network-geometry';

/** Block side range, metres (the house rule for the synthetic city). */
export const BLOCK_MIN_METERS = 100;
export const BLOCK_MAX_METERS = 250;
/** Spacing of arterial lines, metres. */
const ARTERIAL_SPACING_METERS: [number, number] = [600, 1000];
/** Share of ordinary intersections turned into dead ends (all links but one removed). */
const DEAD_END_SHARE = 0.025;

/** Point roles for gated superblocks. */
export const GATE_NONE = 0;
/** Interior of a gated superblock: removed with all its links. */
export const GATE_DELETE = 1;
/** Interior footpath through a superblock: links are class 'path'. */
export const GATE_PATH = 2;
/** Dead end (cul-de-sac, or a street blocked at an intersection): keeps only the link to its lattice predecessor. */
export const GATE_STUB = 3;

/** Growable struct-of-arrays of candidate nodes in one city frame. */
export class PointBuffer {
  count = 0;
  /** Metres in the city frame, projected from the rounded lng/lat. */
  x = new Float64Array(0);
  y = new Float64Array(0);
  /** WGS84 degrees, rounded to 6 decimals. */
  lng = new Float64Array(0);
  lat = new Float64Array(0);
  /** Index of the containing area (city-local). */
  area = new Int32Array(0);
  /** Zone of a lattice point; -1 for barrier-side points. */
  zone = new Int32Array(0);
  /** Largest block side around the point, metres: bounds the length of a plausible link. */
  scaleMeters = new Float32Array(0);
  /** Arterial line ids through the point (one per lattice direction), -1 when none. */
  lineU = new Int32Array(0);
  lineV = new Int32Array(0);
  latticeI = new Int32Array(0);
  latticeJ = new Int32Array(0);
  gate = new Uint8Array(0);
  /** For barrier-side points: barrier index, side (+1 left, -1 right) and station index; else -1 / 0. */
  bankBarrier = new Int16Array(0);
  bankSide = new Int8Array(0);
  bankStation = new Int32Array(0);

  private ensure(capacity: number): void {
    if (capacity <= this.x.length) return;
    const size = Math.max(capacity, Math.ceil(this.x.length * 1.5) + 1024);
    const grow = <T extends Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(old as never);
      return next;
    };
    this.x = grow(this.x, (n) => new Float64Array(n));
    this.y = grow(this.y, (n) => new Float64Array(n));
    this.lng = grow(this.lng, (n) => new Float64Array(n));
    this.lat = grow(this.lat, (n) => new Float64Array(n));
    this.area = grow(this.area, (n) => new Int32Array(n));
    this.zone = grow(this.zone, (n) => new Int32Array(n));
    this.scaleMeters = grow(this.scaleMeters, (n) => new Float32Array(n));
    this.lineU = grow(this.lineU, (n) => new Int32Array(n));
    this.lineV = grow(this.lineV, (n) => new Int32Array(n));
    this.latticeI = grow(this.latticeI, (n) => new Int32Array(n));
    this.latticeJ = grow(this.latticeJ, (n) => new Int32Array(n));
    this.gate = grow(this.gate, (n) => new Uint8Array(n));
    this.bankBarrier = grow(this.bankBarrier, (n) => new Int16Array(n));
    this.bankSide = grow(this.bankSide, (n) => new Int8Array(n));
    this.bankStation = grow(this.bankStation, (n) => new Int32Array(n));
  }

  /** Appends a point; returns its index. */
  push(x: number, y: number, lng: number, lat: number, area: number, scaleMeters: number): number {
    this.ensure(this.count + 1);
    const i = this.count++;
    this.x[i] = x;
    this.y[i] = y;
    this.lng[i] = lng;
    this.lat[i] = lat;
    this.area[i] = area;
    this.zone[i] = -1;
    this.scaleMeters[i] = scaleMeters;
    this.lineU[i] = -1;
    this.lineV[i] = -1;
    this.latticeI[i] = 0;
    this.latticeJ[i] = 0;
    this.gate[i] = GATE_NONE;
    this.bankBarrier[i] = -1;
    this.bankSide[i] = 0;
    this.bankStation[i] = -1;
    return i;
  }
}

/** The city frame the point generators share. */
export interface PointFrame {
  /** Projection constants (the same arithmetic as `createLocalProjection`). */
  originLng: number;
  originLat: number;
  metersPerDegreeLng: number;
  metersPerDegreeLat: number;
  locator: AreaLocator;
  /** 0 for the smallest (most central) street of the city, 1 for the largest. */
  urbannessByArea: Float64Array;
  barriers: Barrier[];
  barrierGrid: SegmentGrid;
}

/** Zones: Voronoi cells of seeds, each with its own lattice. Struct of arrays by zone. */
export interface ZonePlan {
  count: number;
  seedX: Float64Array;
  seedY: Float64Array;
  /** Block sides along the two lattice directions, metres. */
  blockUMeters: Float64Array;
  blockVMeters: Float64Array;
  /** Direction of the lattice's u axis, radians counter-clockwise from east. */
  angleRadians: Float64Array;
  /** Every `arterialPeriodU`-th line of constant i is arterial (phase `arterialPhaseU`), likewise j. */
  arterialPeriodU: Int32Array;
  arterialPeriodV: Int32Array;
  arterialPhaseU: Int32Array;
  arterialPhaseV: Int32Array;
  /** Superblocks are `superblockPeriod` × `superblockPeriod` lattice cells; share gated. */
  superblockPeriod: Int32Array;
  superblockPhaseU: Int32Array;
  superblockPhaseV: Int32Array;
  gatedShare: Float64Array;
  /** Lattice origin, metres. */
  originX: Float64Array;
  originY: Float64Array;
  /** Hash salt of the zone's jitter and superblock draws. */
  salt: Int32Array;
}

/** Block side for a street by its urbanness (0 central … 1 outer), before per-zone variation, metres. */
function baseBlockMeters(urbanness: number): number {
  return 105 + 100 * urbanness;
}

/** Zone seed spacing by urbanness, metres: small zones in the centre, large ones outside. */
function zoneSpacingMeters(urbanness: number): number {
  return 1800 + 2700 * urbanness;
}

/**
 * Scatters zone seeds over the city's areas (dart throwing on a jittered 1 km grid, spacing by urbanness)
 * and draws each zone's lattice parameters; orientation follows the street the seed lies in.
 */
export function planZones(frame: PointFrame, rng: Rng): ZonePlan {
  const { locator } = frame;
  const seedRng = rng.fork('zone-seeds');
  const step = 1000;
  const columns = Math.ceil((locator.maxX - locator.minX) / step) + 1;
  const rows = Math.ceil((locator.maxY - locator.minY) / step) + 1;
  const candidates: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const x = locator.minX + (c + seedRng.uniform(0.1, 0.9)) * step;
      const y = locator.minY + (r + seedRng.uniform(0.1, 0.9)) * step;
      const area = locator.locate(x, y);
      if (area >= 0) candidates.push(x, y, area);
    }
  }
  const order = seedRng.shuffle(Array.from({ length: candidates.length / 3 }, (_, k) => k));
  const seedX: number[] = [];
  const seedY: number[] = [];
  const seedArea: number[] = [];
  for (const k of order) {
    const x = candidates[3 * k]!;
    const y = candidates[3 * k + 1]!;
    const area = candidates[3 * k + 2]!;
    const spacing = zoneSpacingMeters(frame.urbannessByArea[area]!);
    let free = true;
    for (let s = 0; s < seedX.length; s++) {
      const dx = seedX[s]! - x;
      const dy = seedY[s]! - y;
      if (dx * dx + dy * dy < spacing * spacing) {
        free = false;
        break;
      }
    }
    if (free) {
      seedX.push(x);
      seedY.push(y);
      seedArea.push(area);
    }
  }
  if (seedX.length === 0) {
    // A city smaller than one candidate cell: one zone at the centre of its box.
    seedX.push((locator.minX + locator.maxX) / 2);
    seedY.push((locator.minY + locator.maxY) / 2);
    seedArea.push(0);
  }

  const paramRng = rng.fork('zone-lattices');
  const areaCount = frame.urbannessByArea.length;
  const cityAngle = paramRng.uniform(0, Math.PI / 2);
  const angleByArea = new Float64Array(areaCount);
  for (let a = 0; a < areaCount; a++) {
    // Half the streets keep the city's main grid direction, the others have their own.
    angleByArea[a] = paramRng.chance(0.5)
      ? cityAngle + paramRng.normal(0, (5 * Math.PI) / 180)
      : paramRng.uniform(0, Math.PI / 2);
  }
  const count = seedX.length;
  const plan: ZonePlan = {
    count,
    seedX: Float64Array.from(seedX),
    seedY: Float64Array.from(seedY),
    blockUMeters: new Float64Array(count),
    blockVMeters: new Float64Array(count),
    angleRadians: new Float64Array(count),
    arterialPeriodU: new Int32Array(count),
    arterialPeriodV: new Int32Array(count),
    arterialPhaseU: new Int32Array(count),
    arterialPhaseV: new Int32Array(count),
    superblockPeriod: new Int32Array(count),
    superblockPhaseU: new Int32Array(count),
    superblockPhaseV: new Int32Array(count),
    gatedShare: new Float64Array(count),
    originX: new Float64Array(count),
    originY: new Float64Array(count),
    salt: new Int32Array(count),
  };
  for (let z = 0; z < count; z++) {
    const urbanness = frame.urbannessByArea[seedArea[z]!]!;
    const base = baseBlockMeters(urbanness);
    const short = clampBlock(base * paramRng.uniform(0.92, 1.08));
    const long = clampBlock(short * paramRng.uniform(1, 1.3));
    const swap = paramRng.chance(0.5);
    const blockU = swap ? long : short;
    const blockV = swap ? short : long;
    plan.blockUMeters[z] = blockU;
    plan.blockVMeters[z] = blockV;
    plan.angleRadians[z] = angleByArea[seedArea[z]!]! + paramRng.normal(0, (4 * Math.PI) / 180);
    plan.arterialPeriodU[z] = Math.max(3, Math.round(paramRng.uniform(ARTERIAL_SPACING_METERS[0], ARTERIAL_SPACING_METERS[1]) / blockU));
    plan.arterialPeriodV[z] = Math.max(3, Math.round(paramRng.uniform(ARTERIAL_SPACING_METERS[0], ARTERIAL_SPACING_METERS[1]) / blockV));
    plan.arterialPhaseU[z] = paramRng.int(0, plan.arterialPeriodU[z]! - 1);
    plan.arterialPhaseV[z] = paramRng.int(0, plan.arterialPeriodV[z]! - 1);
    plan.superblockPeriod[z] = Math.max(blockU, blockV) > 180 ? 2 : 3;
    plan.superblockPhaseU[z] = paramRng.int(0, plan.superblockPeriod[z]! - 1);
    plan.superblockPhaseV[z] = paramRng.int(0, plan.superblockPeriod[z]! - 1);
    // Gated residential compounds are commonest in the inner and middle rings.
    plan.gatedShare[z] = paramRng.uniform(0.1, 0.2) * (1 - 0.5 * urbanness);
    const angle = plan.angleRadians[z]!;
    const offsetU = paramRng.uniform(0, blockU);
    const offsetV = paramRng.uniform(0, blockV);
    plan.originX[z] = plan.seedX[z]! + offsetU * Math.cos(angle) - offsetV * Math.sin(angle);
    plan.originY[z] = plan.seedY[z]! + offsetU * Math.sin(angle) + offsetV * Math.cos(angle);
    plan.salt[z] = paramRng.int(0, 0x7fffffff);
  }
  return plan;
}

function clampBlock(meters: number): number {
  return Math.min(BLOCK_MAX_METERS, Math.max(BLOCK_MIN_METERS, meters));
}

/** Index of the zone whose seed is nearest to (x, y) (linear scan: used for a few thousand points). */
export function nearestZone(plan: ZonePlan, x: number, y: number): number {
  let best = 0;
  let bestDistance = Infinity;
  for (let z = 0; z < plan.count; z++) {
    const dx = plan.seedX[z]! - x;
    const dy = plan.seedY[z]! - y;
    const d = dx * dx + dy * dy;
    if (d < bestDistance) {
      bestDistance = d;
      best = z;
    }
  }
  return best;
}

/**
 * Adds each zone's lattice points that fall inside its Voronoi cell (kept a margin away from the cell's
 * edges so neighbouring lattices do not collide), inside the areas and clear of every barrier strip.
 */
export function addLatticePoints(frame: PointFrame, plan: ZonePlan, points: PointBuffer): void {
  const { locator } = frame;
  const margin = 4000;
  const seeds = new Float64Array(plan.count * 2);
  for (let z = 0; z < plan.count; z++) {
    seeds[2 * z] = plan.seedX[z]!;
    seeds[2 * z + 1] = plan.seedY[z]!;
  }
  const voronoi = new Delaunay(seeds).voronoi([
    locator.minX - margin,
    locator.minY - margin,
    locator.maxX + margin,
    locator.maxY + margin,
  ]);
  const barrierCount = frame.barriers.length;
  const clearance = new Float64Array(barrierCount);
  const lineNx = new Float64Array(64);
  const lineNy = new Float64Array(64);
  const lineC = new Float64Array(64);
  let lineId = 0;
  let shiftV = new Float64Array(256);
  for (let z = 0; z < plan.count; z++) {
    const polygon = voronoi.cellPolygon(z);
    if (!polygon) continue;
    const blockU = plan.blockUMeters[z]!;
    const blockV = plan.blockVMeters[z]!;
    const scale = Math.max(blockU, blockV);
    const seamMargin = 0.3 * Math.min(blockU, blockV);
    let maxClearance = 0;
    for (let k = 0; k < barrierCount; k++) {
      clearance[k] = frame.barriers[k]!.halfWidthMeters + 0.45 * Math.min(blockU, blockV);
      maxClearance = Math.max(maxClearance, clearance[k]!);
    }
    // Inward half-planes of the convex cell.
    const sides = Math.min(64, polygon.length - 1);
    for (let k = 0; k < sides; k++) {
      const [ax, ay] = polygon[k]!;
      const [bx, by] = polygon[k + 1]!;
      let nx = -(by! - ay!);
      let ny = bx! - ax!;
      const norm = Math.hypot(nx, ny) || 1;
      nx /= norm;
      ny /= norm;
      if (nx * (plan.seedX[z]! - ax!) + ny * (plan.seedY[z]! - ay!) < 0) {
        nx = -nx;
        ny = -ny;
      }
      lineNx[k] = nx;
      lineNy[k] = ny;
      lineC[k] = nx * ax! + ny * ay!;
    }
    const angle = plan.angleRadians[z]!;
    const ux = Math.cos(angle);
    const uy = Math.sin(angle);
    const vx = -uy;
    const vy = ux;
    const ox = plan.originX[z]!;
    const oy = plan.originY[z]!;
    let uMin = Infinity;
    let uMax = -Infinity;
    let vMin = Infinity;
    let vMax = -Infinity;
    for (const [px, py] of polygon) {
      const u = (px! - ox) * ux + (py! - oy) * uy;
      const v = (px! - ox) * vx + (py! - oy) * vy;
      uMin = Math.min(uMin, u);
      uMax = Math.max(uMax, u);
      vMin = Math.min(vMin, v);
      vMax = Math.max(vMax, v);
    }
    const iMin = Math.floor(uMin / blockU) - 1;
    const iMax = Math.ceil(uMax / blockU) + 1;
    const jMin = Math.floor(vMin / blockV) - 1;
    const jMax = Math.ceil(vMax / blockV) + 1;
    const salt = plan.salt[z]!;
    const periodU = plan.arterialPeriodU[z]!;
    const periodV = plan.arterialPeriodV[z]!;
    const phaseU = plan.arterialPhaseU[z]!;
    const phaseV = plan.arterialPhaseV[z]!;
    const superPeriod = plan.superblockPeriod[z]!;
    const superPhaseU = plan.superblockPhaseU[z]!;
    const superPhaseV = plan.superblockPhaseV[z]!;
    const gatedShare = plan.gatedShare[z]!;
    const lineBaseU = lineId;
    lineId += iMax - iMin + 1;
    const lineBaseV = lineId;
    lineId += jMax - jMin + 1;
    // Non-arterial lines wander a little as a whole, and each intersection a little more.
    if (shiftV.length < jMax - jMin + 1) shiftV = new Float64Array(2 * (jMax - jMin + 1));
    for (let j = jMin; j <= jMax; j++) {
      shiftV[j - jMin] = mod(j - phaseV, periodV) === 0
        ? 0
        : (unitFromHash(hashLattice(salt ^ 0x2c1b3c6d, j, 0x51ed27)) - 0.5) * 0.24 * blockV;
    }
    for (let i = iMin; i <= iMax; i++) {
      const arterialU = mod(i - phaseU, periodU) === 0;
      const lineShiftU = arterialU ? 0 : (unitFromHash(hashLattice(salt, i, 0x51ed27)) - 0.5) * 0.24 * blockU;
      for (let j = jMin; j <= jMax; j++) {
        const arterialV = mod(j - phaseV, periodV) === 0;
        const lineShiftV = shiftV[j - jMin]!;
        const jitter = hashLattice(salt, i, j);
        const u = i * blockU + lineShiftU + (arterialU ? 0 : ((jitter & 0xffff) / 65536 - 0.5) * 0.1 * blockU);
        const v = j * blockV + lineShiftV + (arterialV ? 0 : ((jitter >>> 16) / 65536 - 0.5) * 0.1 * blockV);
        const rawX = ox + u * ux + v * vx;
        const rawY = oy + u * uy + v * vy;
        let inside = true;
        for (let k = 0; k < sides; k++) {
          if (lineNx[k]! * rawX + lineNy[k]! * rawY - lineC[k]! < seamMargin) {
            inside = false;
            break;
          }
        }
        if (!inside) continue;
        const lng = roundDegrees(frame.originLng + rawX / frame.metersPerDegreeLng);
        const lat = roundDegrees(frame.originLat + rawY / frame.metersPerDegreeLat);
        const x = (lng - frame.originLng) * frame.metersPerDegreeLng;
        const y = (lat - frame.originLat) * frame.metersPerDegreeLat;
        const area = locator.locate(x, y);
        if (area < 0) continue;
        if (barrierCount > 0 && !frame.barrierGrid.isClear(x, y, clearance, maxClearance)) continue;
        const p = points.push(x, y, lng, lat, area, scale);
        points.zone[p] = z;
        points.latticeI[p] = i;
        points.latticeJ[p] = j;
        if (arterialU) points.lineU[p] = lineBaseU + (i - iMin);
        if (arterialV) points.lineV[p] = lineBaseV + (j - jMin);
        if (arterialU || arterialV) continue;
        if (unitFromHash(hashLattice(salt ^ 0x68e31da4, i, j)) < DEAD_END_SHARE) points.gate[p] = GATE_STUB;
        // Superblock interior: gated, crossed by a footpath, or entered by a cul-de-sac.
        const superU = Math.floor((i - superPhaseU) / superPeriod);
        const superV = Math.floor((j - superPhaseV) / superPeriod);
        const localU = i - superPhaseU - superU * superPeriod;
        const localV = j - superPhaseV - superV * superPeriod;
        if (localU === 0 || localV === 0) continue;
        const draw = hashLattice(salt ^ 0x5bd1e995, superU, superV);
        if (unitFromHash(draw) >= gatedShare) continue;
        const mode = (draw & 0xff) / 256;
        if (mode < 0.55) points.gate[p] = GATE_DELETE;
        else if (mode < 0.85) points.gate[p] = localV === 1 ? GATE_PATH : GATE_DELETE;
        else points.gate[p] = localU === 1 && localV === 1 ? GATE_STUB : GATE_DELETE;
      }
    }
  }
}

function mod(a: number, n: number): number {
  const r = a % n;
  return r < 0 ? r + n : r;
}

/** Stations of one barrier that got side points: arc position and the point on each side (or -1). */
export interface BankStations {
  barrier: number;
  stationMeters: Float64Array;
  left: Int32Array;
  right: Int32Array;
}

/**
 * Adds points along both sides of every barrier (embankment roads, rail frontage roads), one pair per
 * station spaced like the local blocks, each just outside the barrier's strip.
 */
export function addBankPoints(frame: PointFrame, plan: ZonePlan, points: PointBuffer): BankStations[] {
  const barrierCount = frame.barriers.length;
  const clearance = new Float64Array(barrierCount);
  const out: BankStations[] = [];
  for (let b = 0; b < barrierCount; b++) {
    const barrier = frame.barriers[b]!;
    const stations = sampleStations(barrier.xy, (x, y) => {
      const z = nearestZone(plan, x, y);
      return 0.5 * (plan.blockUMeters[z]! + plan.blockVMeters[z]!);
    });
    const stationCount = stations.length / 5;
    const result: BankStations = {
      barrier: b,
      stationMeters: new Float64Array(stationCount),
      left: new Int32Array(stationCount).fill(-1),
      right: new Int32Array(stationCount).fill(-1),
    };
    const offset = barrier.halfWidthMeters + 2;
    for (let s = 0; s < stationCount; s++) {
      const px = stations[5 * s + 1]!;
      const py = stations[5 * s + 2]!;
      const nx = stations[5 * s + 3]!;
      const ny = stations[5 * s + 4]!;
      result.stationMeters[s] = stations[5 * s]!;
      const zone = nearestZone(plan, px, py);
      const blockMin = Math.min(plan.blockUMeters[zone]!, plan.blockVMeters[zone]!);
      const scale = Math.max(plan.blockUMeters[zone]!, plan.blockVMeters[zone]!);
      let maxClearance = 0;
      for (let k = 0; k < barrierCount; k++) {
        clearance[k] = k === b ? barrier.halfWidthMeters + 1 : frame.barriers[k]!.halfWidthMeters + 0.45 * blockMin;
        maxClearance = Math.max(maxClearance, clearance[k]!);
      }
      for (let side = 1; side >= -1; side -= 2) {
        const rawX = px + side * offset * nx;
        const rawY = py + side * offset * ny;
        const lng = roundDegrees(frame.originLng + rawX / frame.metersPerDegreeLng);
        const lat = roundDegrees(frame.originLat + rawY / frame.metersPerDegreeLat);
        const x = (lng - frame.originLng) * frame.metersPerDegreeLng;
        const y = (lat - frame.originLat) * frame.metersPerDegreeLat;
        const area = frame.locator.locate(x, y);
        if (area < 0) continue;
        if (!frame.barrierGrid.isClear(x, y, clearance, maxClearance)) continue;
        const p = points.push(x, y, lng, lat, area, scale);
        points.bankBarrier[p] = b;
        points.bankSide[p] = side;
        points.bankStation[p] = s;
        if (side === 1) result.left[s] = p;
        else result.right[s] = p;
      }
    }
    out.push(result);
  }
  return out;
}
