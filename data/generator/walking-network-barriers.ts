// Synthetic barriers of one city for the walking network: a meandering river (sum of two sines about a
// straight course) and railways (gently curved lines through, or rays from, a central station).

import type { LocalProjection } from '../../server/analysis/geo/local-projection';
import type { Rng } from '../../server/analysis/random';
import { roundDegrees } from './walking-network-geometry';

export type BarrierKind = 'river' | 'railway';

/** One barrier line in a city's metric frame. */
export interface Barrier {
  kind: BarrierKind;
  name: string;
  cityCode: string;
  /** Polyline [x0, y0, x1, y1, …], metres in the city frame, projected from the rounded `lngLat`. */
  xy: Float64Array;
  /** The same polyline in WGS84 degrees, rounded to 6 decimals. */
  lngLat: [number, number][];
  /** Half the width of the strip kept free of nodes, metres (water plus embankment, or the track bed). */
  halfWidthMeters: number;
  /** Spacing of crossings along the line, metres: each gap is drawn uniformly from this range. */
  crossingSpacingMinMeters: number;
  crossingSpacingMaxMeters: number;
}

interface RiverProfile {
  name: string;
  halfWidthMeters: number;
  /** Length centred on the anchor, metres; null: across the whole extent of the city's areas. */
  lengthMeters: number | null;
  /** Course direction, degrees counter-clockwise from east. */
  directionDegrees: [number, number];
  /** Where the course passes: this far from the urban centre … */
  offsetMeters: [number, number];
  /** … in this direction (degrees counter-clockwise from east). */
  offsetDirectionDegrees: number;
  /** The large meander: amplitude and wavelength ranges, metres. */
  meanderAmplitudeMeters: [number, number];
  meanderWavelengthMeters: [number, number];
  crossingSpacingMeters: [number, number];
}

interface RailwayProfile {
  names: string[];
  /** 'through': lines crossing the station; 'terminus': rays from the station over the most land. */
  layout: 'through' | 'terminus';
  halfWidthMeters: number;
  crossingSpacingMeters: [number, number];
}

interface BarrierProfile {
  river: RiverProfile;
  railways: RailwayProfile;
}

const DEFAULT_PROFILE: BarrierProfile = {
  river: {
    name: 'River (synthetic)',
    halfWidthMeters: 60,
    lengthMeters: null,
    directionDegrees: [0, 180],
    offsetMeters: [2000, 4000],
    offsetDirectionDegrees: -90,
    meanderAmplitudeMeters: [200, 450],
    meanderWavelengthMeters: [4000, 7000],
    crossingSpacingMeters: [1500, 3000],
  },
  railways: {
    names: ['Railway A (synthetic)', 'Railway B (synthetic)'],
    layout: 'through',
    halfWidthMeters: 20,
    crossingSpacingMeters: [1000, 2000],
  },
};

/** Per city: Shenyang's Hun River runs WSW–ENE south of the centre; Dalian gets a short north–south river. */
const PROFILES: Record<string, BarrierProfile> = {
  '2101': {
    river: {
      name: 'Hun River (synthetic)',
      halfWidthMeters: 150,
      lengthMeters: null,
      directionDegrees: [12, 25],
      offsetMeters: [4000, 5000],
      offsetDirectionDegrees: -90,
      meanderAmplitudeMeters: [300, 600],
      meanderWavelengthMeters: [5000, 8000],
      crossingSpacingMeters: [1500, 3000],
    },
    railways: {
      names: [
        'Beijing–Harbin railway (synthetic)',
        'Shenyang–Dalian railway (synthetic)',
        'Shenyang–Dandong railway (synthetic)',
      ],
      layout: 'through',
      halfWidthMeters: 20,
      crossingSpacingMeters: [1000, 2000],
    },
  },
  '2102': {
    river: {
      name: 'Malan River (synthetic)',
      halfWidthMeters: 30,
      lengthMeters: 13000,
      directionDegrees: [75, 105],
      offsetMeters: [2000, 3500],
      offsetDirectionDegrees: 180,
      meanderAmplitudeMeters: [100, 250],
      meanderWavelengthMeters: [3000, 5000],
      crossingSpacingMeters: [1500, 3000],
    },
    railways: {
      names: ['Shenyang–Dalian railway (synthetic)', 'Dalian–Lüshun railway (synthetic)'],
      layout: 'terminus',
      halfWidthMeters: 20,
      crossingSpacingMeters: [1000, 2000],
    },
  },
};

const RIVER_STEP_METERS = 50;
const RAILWAY_STEP_METERS = 100;
const DEG = Math.PI / 180;

export interface BarrierFrame {
  cityCode: string;
  projection: LocalProjection;
  /** Bounding box of the city's areas, metres. */
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  /** The urban centre (area-weighted centroid of the smallest streets), metres. */
  centreX: number;
  centreY: number;
  /** True where (x, y) lies inside one of the city's areas. */
  isLand(x: number, y: number): boolean;
}

/**
 * Plans the river and railways of one city in its metric frame. Lines run across the bounding box of the
 * city's areas (plus 1 km); coordinates are rounded to 6 decimals in lng/lat and projected back, so that
 * every later test in metres sees exactly the published line.
 */
export function planBarriers(frame: BarrierFrame, rng: Rng): Barrier[] {
  const profile = PROFILES[frame.cityCode] ?? DEFAULT_PROFILE;
  const barriers: Barrier[] = [];
  const reach = Math.hypot(frame.maxX - frame.minX, frame.maxY - frame.minY) + 2000;

  const river = profile.river;
  const riverRng = rng.fork('river');
  const direction = riverRng.uniform(river.directionDegrees[0], river.directionDegrees[1]) * DEG;
  const offset = riverRng.uniform(river.offsetMeters[0], river.offsetMeters[1]);
  const anchorX = frame.centreX + offset * Math.cos(river.offsetDirectionDegrees * DEG);
  const anchorY = frame.centreY + offset * Math.sin(river.offsetDirectionDegrees * DEG);
  const meanders: number[] = [
    riverRng.uniform(river.meanderAmplitudeMeters[0], river.meanderAmplitudeMeters[1]),
    riverRng.uniform(river.meanderWavelengthMeters[0], river.meanderWavelengthMeters[1]),
    riverRng.uniform(0, 2 * Math.PI),
    // A smaller second harmonic: keeps the bend radius well above the river's half width.
    riverRng.uniform(0.2, 0.35) * river.meanderAmplitudeMeters[0],
    riverRng.uniform(0.4, 0.55) * river.meanderWavelengthMeters[0],
    riverRng.uniform(0, 2 * Math.PI),
  ];
  const half = river.lengthMeters === null ? reach : river.lengthMeters / 2;
  const riverXY = traceCourse(frame, anchorX, anchorY, direction, -half, half, RIVER_STEP_METERS, meanders);
  if (riverXY.length >= 4) {
    barriers.push(finishBarrier(frame, 'river', river.name, riverXY, river.halfWidthMeters, river.crossingSpacingMeters));
  }

  const railways = profile.railways;
  const railRng = rng.fork('railways');
  const stationBearing = railRng.uniform(0, 2 * Math.PI);
  const stationOffset = railRng.uniform(500, 1500);
  const stationX = frame.centreX + stationOffset * Math.cos(stationBearing);
  const stationY = frame.centreY + stationOffset * Math.sin(stationBearing);
  const count = railways.names.length;
  const throughBase = railRng.uniform(0, Math.PI);
  const rayAngles = railways.layout === 'terminus' ? pickLandRays(frame, stationX, stationY, count, railRng) : [];
  for (let r = 0; r < count; r++) {
    const angle =
      railways.layout === 'through' ? throughBase + (r * Math.PI) / count + railRng.normal(0, 8 * DEG) : rayAngles[r]!;
    const wave: number[] = [railRng.uniform(200, 600), railRng.uniform(12000, 25000), 0, 0, 1, 0];
    const from = railways.layout === 'through' ? -reach : 0;
    const xy = traceCourse(frame, stationX, stationY, angle, from, reach, RAILWAY_STEP_METERS, wave);
    if (xy.length >= 4) {
      barriers.push(
        finishBarrier(frame, 'railway', railways.names[r]!, xy, railways.halfWidthMeters, railways.crossingSpacingMeters),
      );
    }
  }
  return barriers;
}

/**
 * Directions of railway rays from a terminus: the most land-covered bearings over their first 15 km
 * (5° steps, a little noise to break ties), at least 30° apart.
 */
function pickLandRays(frame: BarrierFrame, stationX: number, stationY: number, count: number, rng: Rng): number[] {
  const scored: [number, number][] = [];
  for (let degrees = 0; degrees < 360; degrees += 5) {
    const angle = degrees * DEG;
    let land = 0;
    let samples = 0;
    for (let s = 500; s <= 15000; s += 500) {
      samples++;
      if (frame.isLand(stationX + s * Math.cos(angle), stationY + s * Math.sin(angle))) land++;
    }
    scored.push([land / samples + rng.uniform(0, 0.05), angle]);
  }
  scored.sort((a, b) => b[0] - a[0]);
  const chosen: number[] = [];
  for (const [, angle] of scored) {
    if (chosen.length === count) break;
    const apart = chosen.every((other) => {
      const difference = Math.abs(((angle - other + 3 * Math.PI) % (2 * Math.PI)) - Math.PI);
      return difference >= 30 * DEG;
    });
    if (apart) chosen.push(angle);
  }
  return chosen;
}

/**
 * Samples a course p(s) = anchor + s·d + n·Σ aₖ·sin(2π s / λₖ + φₖ) for s in [from, to] every `step`
 * metres, keeping the longest run of samples inside the city's box grown by 1 km, then trimmed to 1 km
 * beyond its first and last sample on land. For rays (from = 0) the sine phases are 0 so the line starts
 * at the anchor.
 */
function traceCourse(
  frame: BarrierFrame,
  anchorX: number,
  anchorY: number,
  angle: number,
  from: number,
  to: number,
  step: number,
  waves: readonly number[],
): Float64Array {
  const dx = Math.cos(angle);
  const dy = Math.sin(angle);
  const count = Math.floor((to - from) / step) + 1;
  const margin = 1000;
  let bestStart = 0;
  let bestLength = 0;
  let runStart = -1;
  const xs = new Float64Array(count);
  const ys = new Float64Array(count);
  for (let k = 0; k <= count; k++) {
    let inside = false;
    if (k < count) {
      const s = from + k * step;
      let lateral = 0;
      for (let w = 0; w + 2 < waves.length; w += 3) {
        lateral += waves[w]! * Math.sin((2 * Math.PI * s) / waves[w + 1]! + waves[w + 2]!);
      }
      if (from < 0) lateral -= lateralAtZero(waves);
      xs[k] = anchorX + s * dx - lateral * dy;
      ys[k] = anchorY + s * dy + lateral * dx;
      inside =
        xs[k]! >= frame.minX - margin && xs[k]! <= frame.maxX + margin &&
        ys[k]! >= frame.minY - margin && ys[k]! <= frame.maxY + margin;
    }
    if (inside && runStart < 0) runStart = k;
    if (!inside && runStart >= 0) {
      if (k - runStart > bestLength) {
        bestLength = k - runStart;
        bestStart = runStart;
      }
      runStart = -1;
    }
  }
  // Trim open water or open country beyond the areas at either end, keeping 1 km past the last land.
  let first = bestStart + bestLength;
  let last = bestStart - 1;
  for (let k = bestStart; k < bestStart + bestLength; k++) {
    if (!frame.isLand(xs[k]!, ys[k]!)) continue;
    if (k < first) first = k;
    last = k;
  }
  if (last < first) return new Float64Array(0);
  const keep = Math.ceil(margin / step);
  first = Math.max(bestStart, first - keep);
  last = Math.min(bestStart + bestLength - 1, last + keep);
  const out = new Float64Array((last - first + 1) * 2);
  for (let k = first; k <= last; k++) {
    out[2 * (k - first)] = xs[k]!;
    out[2 * (k - first) + 1] = ys[k]!;
  }
  return out;
}

/** The lateral offset at s = 0, subtracted so that a through line passes its anchor exactly. */
function lateralAtZero(waves: readonly number[]): number {
  let lateral = 0;
  for (let w = 0; w + 2 < waves.length; w += 3) lateral += waves[w]! * Math.sin(waves[w + 2]!);
  return lateral;
}

function finishBarrier(
  frame: BarrierFrame,
  kind: BarrierKind,
  name: string,
  xy: Float64Array,
  halfWidthMeters: number,
  spacing: [number, number],
): Barrier {
  const lngLat: [number, number][] = [];
  const out = new Float64Array(xy.length);
  const point = [0, 0];
  for (let k = 0; k < xy.length; k += 2) {
    point[0] = xy[k]!;
    point[1] = xy[k + 1]!;
    const [lng, lat] = frame.projection.toLngLat(point);
    const rounded: [number, number] = [roundDegrees(lng), roundDegrees(lat)];
    lngLat.push(rounded);
    const [x, y] = frame.projection.toXY(rounded);
    out[k] = x;
    out[k + 1] = y;
  }
  return {
    kind,
    name,
    cityCode: frame.cityCode,
    xy: out,
    lngLat,
    halfWidthMeters,
    crossingSpacingMinMeters: spacing[0],
    crossingSpacingMaxMeters: spacing[1],
  };
}

/**
 * Stations along a polyline every `stepAt(x, y)` metres (arc length): position and unit left normal.
 * Returned flat: [s, x, y, nx, ny] per station.
 */
export function sampleStations(xy: Float64Array, stepAt: (x: number, y: number) => number): Float64Array {
  const vertices = xy.length / 2;
  if (vertices < 2) return new Float64Array(0);
  const cumulative = new Float64Array(vertices);
  for (let k = 1; k < vertices; k++) {
    cumulative[k] = cumulative[k - 1]! + Math.hypot(xy[2 * k]! - xy[2 * k - 2]!, xy[2 * k + 1]! - xy[2 * k - 1]!);
  }
  const total = cumulative[vertices - 1]!;
  const out: number[] = [];
  let segment = 0;
  const at = (s: number, result: number[]): void => {
    while (segment < vertices - 2 && cumulative[segment + 1]! < s) segment++;
    while (segment > 0 && cumulative[segment]! > s) segment--;
    const length = cumulative[segment + 1]! - cumulative[segment]!;
    const t = length > 0 ? (s - cumulative[segment]!) / length : 0;
    result[0] = xy[2 * segment]! + t * (xy[2 * segment + 2]! - xy[2 * segment]!);
    result[1] = xy[2 * segment + 1]! + t * (xy[2 * segment + 3]! - xy[2 * segment + 1]!);
  };
  const here = [0, 0];
  const behind = [0, 0];
  const ahead = [0, 0];
  // Half a step in from the ends, so that stations never sit on a line's end.
  let s = Math.min(total / 2, 0.5 * stepAt(xy[0]!, xy[1]!));
  while (s < total) {
    at(Math.max(0, s - 40), behind);
    at(Math.min(total, s + 40), ahead);
    at(s, here);
    const tx = ahead[0]! - behind[0]!;
    const ty = ahead[1]! - behind[1]!;
    const norm = Math.hypot(tx, ty) || 1;
    out.push(s, here[0]!, here[1]!, -ty / norm, tx / norm);
    s += stepAt(here[0]!, here[1]!);
  }
  return Float64Array.from(out);
}
