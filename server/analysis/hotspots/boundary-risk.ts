// Boundary-line risk: events within a buffer of each boundary line, per time slice and per stretch of
// the line, against the line's own surroundings (the rest of its buffer and the band from one to three
// buffer widths away, on both sides): a conditional binomial excess test per stretch whose null share is
// the stretch buffer's share of the zone's population at risk (or of its area, without population),
// Bonferroni over a line's stretches and Benjamini-Hochberg over lines, and the Mann-Kendall trend of
// the line's counts over time.

import KDBush from 'kdbush';
import { adjustBenjaminiHochberg } from './false-discovery-rate';
import { computeMannKendall } from './mann-kendall';
import { findSlice, sliceCount, type TimeSlices } from './space-time-cube';

export interface BoundaryRiskLine {
  /** The line's parts in planar metres, each [x0, y0, x1, y1, …]. */
  partsXY: readonly Float64Array[];
}

/**
 * Expected events (up to a common factor) in each stretch of each line: per line, one value per stretch
 * for its buffer and one for its band (see measureStretchExposure and weighStretchExposure).
 */
export interface LineStretchExposure {
  buffer: readonly Float64Array[];
  band: readonly Float64Array[];
}

export interface BoundaryRiskOptions {
  /** Half-width of the buffer around each line, metres. */
  bufferMeters: number;
  /** Nominal length of a stretch; a line of length L has max(1, round(L / stretchMeters)) equal stretches. */
  stretchMeters?: number;
  slices: TimeSlices;
  /**
   * Where events are expected. Without it events are expected uniformly in space (a stretch buffer's
   * share of the line's zone is its share of the area); with it, in proportion to the exposure, so a
   * line through a town beside empty fields is not an excess. The share mixes in EXPOSURE_AREA_SHARE of
   * the area share, which keeps stretches without any exposure point from making any event an excess.
   */
  exposure?: LineStretchExposure;
}

/** Weight of the area share in the null share of a stretch when exposure is given (see BoundaryRiskOptions.exposure). */
export const EXPOSURE_AREA_SHARE = 0.05;

export interface BoundaryRiskResult {
  lengthMeters: Float64Array;
  /** Events within the buffer over the whole period. */
  count: Uint32Array;
  /** Events in the surrounding band (from one to three buffer widths from the line). */
  bandCount: Uint32Array;
  /** Events expected in the buffer given the buffer + band total: total × the buffer's null share. */
  expected: Float64Array;
  /** Counts per slice, line-major: countsBySlice[line × slices + s]. */
  countsBySlice: Uint32Array;
  /** Mann-Kendall trend of the per-slice counts. */
  trendZ: Float64Array;
  trendP: Float64Array;
  /** The stretch with the strongest excess: its start and end along the line (metres), counts, expected, p. */
  peakFromMeters: Float64Array;
  peakToMeters: Float64Array;
  peakCount: Uint32Array;
  peakExpected: Float64Array;
  /** Conditional binomial p-value of the peak stretch's buffer count given the line zone's total. */
  peakP: Float64Array;
  /** min(1, stretches × peakP): the peak's p-value corrected for the choice among the line's stretches. */
  lineP: Float64Array;
  /** Benjamini-Hochberg q-value of lineP over all lines. */
  lineQ: Float64Array;
}

/** ln(k!) exactly by summation up to 256, by Stirling's series beyond (error < 1e-15 relative). */
function logFactorial(k: number): number {
  if (k < LOG_FACTORIALS.length) return LOG_FACTORIALS[k]!;
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3) + 1 / (1260 * x ** 5);
}
const LOG_FACTORIALS = (() => {
  const table = new Float64Array(257);
  for (let k = 1; k < table.length; k++) table[k] = table[k - 1]! + Math.log(k);
  return table;
})();

/**
 * P(X ≥ k) for X ~ Binomial(n, p), summed term by term from the mode side that avoids cancellation.
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  const pmf = (j: number) => Math.exp(logFactorial(n) - logFactorial(j) - logFactorial(n - j) + j * logP + (n - j) * logQ);
  if (k > n * p) {
    let sum = 0;
    for (let j = k; j <= n; j++) {
      const term = pmf(j);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return Math.min(1, sum);
  }
  let lower = 0;
  for (let j = 0; j < k; j++) lower += pmf(j);
  return Math.max(0, 1 - lower);
}

/** Number of equal stretches of a line: max(1, round(length / stretchMeters)). */
export const stretchCountOf = (lengthMeters: number, stretchMeters: number): number => Math.max(1, Math.round(lengthMeters / stretchMeters));

function buildPointIndex(xy: Float64Array): KDBush {
  const count = xy.length / 2;
  const index = new KDBush(Math.max(1, count), 64, Float64Array);
  for (let e = 0; e < count; e++) index.add(xy[2 * e]!, xy[2 * e + 1]!);
  if (count === 0) index.add(Infinity, Infinity);
  index.finish();
  return index;
}

/** Per point, for the line being scanned: nearest squared distance and position along the line. */
interface NearestScratch {
  stamp: Int32Array;
  distance2: Float64Array;
  along: Float64Array;
  touched: number[];
}

const createScratch = (count: number): NearestScratch => ({
  stamp: new Int32Array(count).fill(-1),
  distance2: new Float64Array(count),
  along: new Float64Array(count),
  touched: [],
});

/** Finds the points within `reach` of line `l` and their nearest distance and position along it; returns its length. */
function scanLine(line: BoundaryRiskLine, l: number, index: KDBush, xy: Float64Array, reach: number, scratch: NearestScratch): number {
  const count = xy.length / 2;
  const reach2 = reach * reach;
  scratch.touched.length = 0;
  let walked = 0;
  for (const part of line.partsXY) {
    for (let v = 0; v + 3 < part.length; v += 2) {
      const ax = part[v]!;
      const ay = part[v + 1]!;
      const dx = part[v + 2]! - ax;
      const dy = part[v + 3]! - ay;
      const segment2 = dx * dx + dy * dy;
      const segment = Math.sqrt(segment2);
      const candidates = index.range(Math.min(ax, ax + dx) - reach, Math.min(ay, ay + dy) - reach, Math.max(ax, ax + dx) + reach, Math.max(ay, ay + dy) + reach);
      for (const e of candidates) {
        if (e >= count) continue;
        const px = xy[2 * e]!;
        const py = xy[2 * e + 1]!;
        const t = segment2 > 0 ? Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / segment2)) : 0;
        const qx = ax + t * dx - px;
        const qy = ay + t * dy - py;
        const distance2 = qx * qx + qy * qy;
        if (distance2 > reach2) continue;
        if (scratch.stamp[e] !== l) {
          scratch.stamp[e] = l;
          scratch.touched.push(e);
          scratch.distance2[e] = distance2;
          scratch.along[e] = walked + t * segment;
        } else if (distance2 < scratch.distance2[e]!) {
          scratch.distance2[e] = distance2;
          scratch.along[e] = walked + t * segment;
        }
      }
      walked += segment;
    }
  }
  return walked;
}

/**
 * Exposure of every stretch of every line from weighted points (planar metres; e.g. residents on a
 * lattice): for each of the weight columns, the sum over the points within `bufferMeters` of the line
 * (buffer) and from there to three times that (band), each point in the stretch of its nearest position
 * along the line. Values per line are laid out [stretch × columns + column].
 */
export function measureStretchExposure(
  lines: readonly BoundaryRiskLine[],
  pointsXY: Float64Array,
  columns: readonly ArrayLike<number>[],
  options: { bufferMeters: number; stretchMeters?: number },
): { buffer: Float64Array[]; band: Float64Array[]; columns: number } {
  const buffer2 = options.bufferMeters ** 2;
  const stretchMeters = options.stretchMeters ?? 1000;
  const index = buildPointIndex(pointsXY);
  const scratch = createScratch(pointsXY.length / 2);
  const width = columns.length;
  const buffer: Float64Array[] = [];
  const band: Float64Array[] = [];
  lines.forEach((line, l) => {
    const length = scanLine(line, l, index, pointsXY, 3 * options.bufferMeters, scratch);
    const stretches = stretchCountOf(length, stretchMeters);
    const stretchLength = Math.max(length / stretches, 1e-9);
    const inBuffer = new Float64Array(stretches * width);
    const inBand = new Float64Array(stretches * width);
    for (const d of scratch.touched) {
      const row = Math.min(stretches - 1, Math.floor(scratch.along[d]! / stretchLength)) * width;
      const target = scratch.distance2[d]! <= buffer2 ? inBuffer : inBand;
      for (let c = 0; c < width; c++) target[row + c]! += columns[c]![d]!;
    }
    buffer.push(inBuffer);
    band.push(inBand);
  });
  return { buffer, band, columns: width };
}

/** Σ_c coefficients[c] × column c of a measured exposure, per line and stretch. */
export function weighStretchExposure(exposure: { buffer: readonly Float64Array[]; band: readonly Float64Array[]; columns: number }, coefficients: readonly number[]): LineStretchExposure {
  const weigh = (values: Float64Array) => {
    const out = new Float64Array(values.length / exposure.columns);
    for (let s = 0; s < out.length; s++) {
      let sum = 0;
      for (let c = 0; c < exposure.columns; c++) sum += coefficients[c]! * values[s * exposure.columns + c]!;
      out[s] = sum;
    }
    return out;
  };
  return { buffer: exposure.buffer.map(weigh), band: exposure.band.map(weigh) };
}

/**
 * Measures every line against the events (planar metres, [x0, y0, …], with report times in ms). An event
 * counts for each line it lies within `bufferMeters` of (the band: from `bufferMeters` to three times
 * that); its position along the line is that of the nearest point, which picks its stretch. Under no
 * excess, an event of the line's zone (buffer plus band) falls in a stretch's buffer with probability
 * equal to that buffer's share of the zone's exposure (see BoundaryRiskOptions.exposure), or of its
 * area (strips of width b and 2b on both sides, half-disc caps at the line's ends), so each stretch is
 * compared with the rest of the line's surroundings.
 */
export function measureBoundaryRisk(
  lines: readonly BoundaryRiskLine[],
  eventsXY: Float64Array,
  eventTimesMs: ArrayLike<number>,
  options: BoundaryRiskOptions,
): BoundaryRiskResult {
  const lineCount = lines.length;
  const eventCount = eventsXY.length / 2;
  const slices = sliceCount(options.slices);
  const buffer = options.bufferMeters;
  const reach = 3 * buffer;
  const buffer2 = buffer * buffer;
  const reach2 = reach * reach;
  const stretchMeters = options.stretchMeters ?? 1000;
  const result: BoundaryRiskResult = {
    lengthMeters: new Float64Array(lineCount),
    count: new Uint32Array(lineCount),
    bandCount: new Uint32Array(lineCount),
    expected: new Float64Array(lineCount),
    countsBySlice: new Uint32Array(lineCount * slices),
    trendZ: new Float64Array(lineCount),
    trendP: new Float64Array(lineCount),
    peakFromMeters: new Float64Array(lineCount),
    peakToMeters: new Float64Array(lineCount),
    peakCount: new Uint32Array(lineCount),
    peakExpected: new Float64Array(lineCount),
    peakP: new Float64Array(lineCount),
    lineP: new Float64Array(lineCount),
    lineQ: new Float64Array(lineCount),
  };
  const eventIndex = buildPointIndex(eventsXY);
  const events = createScratch(eventCount);
  const exposure = options.exposure;
  if (exposure && (exposure.buffer.length !== lineCount || exposure.band.length !== lineCount)) {
    throw new Error(`exposure covers ${exposure.buffer.length} lines, not ${lineCount}`);
  }

  // Per line and stretch: buffer and band counts and exposures.
  const perLine: { stretches: number; stretchLength: number; inBuffer: Uint32Array; inBand: Uint32Array; exposureBuffer: Float64Array; exposureBand: Float64Array }[] = [];
  const bufferCap = (Math.PI * buffer2) / 2;
  const bandCap = (Math.PI * (reach2 - buffer2)) / 2;
  const areasOf = (stretch: number, stretches: number, stretchLength: number) => {
    const caps = (stretch === 0 ? 1 : 0) + (stretch === stretches - 1 ? 1 : 0);
    return { bufferArea: 2 * buffer * stretchLength + caps * bufferCap, bandArea: 4 * buffer * stretchLength + caps * bandCap };
  };
  const series = new Float64Array(slices);
  for (let l = 0; l < lineCount; l++) {
    const length = scanLine(lines[l]!, l, eventIndex, eventsXY, reach, events);
    const stretches = stretchCountOf(length, stretchMeters);
    const stretchLength = length / stretches;
    const stretchOf = (along: number) => Math.min(stretches - 1, Math.floor(along / Math.max(stretchLength, 1e-9)));
    const inBuffer = new Uint32Array(stretches);
    const inBand = new Uint32Array(stretches);
    let count = 0;
    let bandCount = 0;
    for (const e of events.touched) {
      const stretch = stretchOf(events.along[e]!);
      if (events.distance2[e]! <= buffer2) {
        count++;
        inBuffer[stretch]! += 1;
        const s = findSlice(options.slices, eventTimesMs[e]!);
        if (s >= 0) result.countsBySlice[l * slices + s]! += 1;
      } else {
        bandCount++;
        inBand[stretch]! += 1;
      }
    }
    const exposureBuffer = exposure ? exposure.buffer[l]! : new Float64Array(stretches);
    const exposureBand = exposure ? exposure.band[l]! : new Float64Array(stretches);
    if (exposureBuffer.length !== stretches || exposureBand.length !== stretches) {
      throw new Error(`exposure of line ${l} has ${exposureBuffer.length} stretches, not ${stretches}: measure it with the same lines and options`);
    }
    perLine.push({ stretches, stretchLength, inBuffer, inBand, exposureBuffer, exposureBand });
    result.lengthMeters[l] = length;
    result.count[l] = count;
    result.bandCount[l] = bandCount;
    for (let s = 0; s < slices; s++) series[s] = result.countsBySlice[l * slices + s]!;
    const trend = computeMannKendall(series, slices);
    result.trendZ[l] = trend.z;
    result.trendP[l] = trend.p;
  }

  // The tests: each stretch's buffer against the rest of the line's zone (the other stretches' buffers
  // and the whole band).
  for (let l = 0; l < lineCount; l++) {
    const { stretches, stretchLength, inBuffer, exposureBuffer, exposureBand } = perLine[l]!;
    const shares = new Float64Array(stretches);
    let zoneArea = 0;
    let zoneExposure = 0;
    for (let s = 0; s < stretches; s++) {
      const { bufferArea, bandArea } = areasOf(s, stretches, stretchLength);
      shares[s] = bufferArea;
      zoneArea += bufferArea + bandArea;
      zoneExposure += exposureBuffer[s]! + exposureBand[s]!;
    }
    const areaWeight = exposure && zoneExposure > 0 ? EXPOSURE_AREA_SHARE : 1;
    let lineShare = 0;
    for (let s = 0; s < stretches; s++) {
      shares[s] = areaWeight * (shares[s]! / zoneArea) + (areaWeight < 1 ? (1 - areaWeight) * (exposureBuffer[s]! / zoneExposure) : 0);
      lineShare += shares[s]!;
    }
    const total = result.count[l]! + result.bandCount[l]!;
    let peak = 0;
    let peakP = 2;
    for (let s = 0; s < stretches; s++) {
      const p = binomialUpperTail(inBuffer[s]!, total, shares[s]!);
      if (p < peakP) {
        peakP = p;
        peak = s;
        result.peakExpected[l] = total * shares[s]!;
      }
    }
    result.expected[l] = total * lineShare;
    result.peakFromMeters[l] = peak * stretchLength;
    result.peakToMeters[l] = (peak + 1) * stretchLength;
    result.peakCount[l] = inBuffer[peak]!;
    result.peakP[l] = peakP;
    result.lineP[l] = Math.min(1, stretches * peakP);
  }
  adjustBenjaminiHochberg(result.lineP, result.lineQ);
  return result;
}

/** The point `alongMeters` along a line (its parts walked in order, clamped to the ends), into out [x, y]. */
export function pointAlongLine(line: BoundaryRiskLine, alongMeters: number, out: Float64Array | number[] = new Float64Array(2)): Float64Array | number[] {
  let walked = 0;
  let lastX = Number.NaN;
  let lastY = Number.NaN;
  for (const part of line.partsXY) {
    for (let v = 0; v + 3 < part.length; v += 2) {
      const dx = part[v + 2]! - part[v]!;
      const dy = part[v + 3]! - part[v + 1]!;
      const segment = Math.hypot(dx, dy);
      if (walked + segment >= alongMeters && segment > 0) {
        const t = Math.max(0, (alongMeters - walked) / segment);
        out[0] = part[v]! + t * dx;
        out[1] = part[v + 1]! + t * dy;
        return out;
      }
      walked += segment;
      lastX = part[v + 2]!;
      lastY = part[v + 3]!;
    }
  }
  out[0] = lastX;
  out[1] = lastY;
  return out;
}

export const BOUNDARY_RISK_LEVELS = ['high', 'elevated', 'normal'] as const;
export type BoundaryRiskLevel = (typeof BOUNDARY_RISK_LEVELS)[number];

/** 'high' when the line's q-value ≤ 0.01, 'elevated' when ≤ 0.05, else 'normal'. */
export function classifyBoundaryRisk(lineQ: number): BoundaryRiskLevel {
  return lineQ <= 0.01 ? 'high' : lineQ <= 0.05 ? 'elevated' : 'normal';
}

/**
 * Line order by risk: ascending q-value of the peak stretch, then the larger excess ratio of the peak
 * (count / expected), then the larger count.
 */
export function rankBoundaryRisk(result: BoundaryRiskResult): Uint32Array {
  const order = Array.from({ length: result.count.length }, (_, l) => l);
  const ratio = (l: number) => (result.peakExpected[l]! > 0 ? result.peakCount[l]! / result.peakExpected[l]! : result.peakCount[l]! > 0 ? Infinity : 0);
  order.sort((a, b) => result.lineQ[a]! - result.lineQ[b]! || ratio(b) - ratio(a) || result.count[b]! - result.count[a]! || a - b);
  return Uint32Array.from(order);
}
