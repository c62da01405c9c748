// Boundary-line risk on synthetic lines: the binomial tail against a direct sum, buffer and band counts
// by hand, a planted stretch found and ranked first, slices and trend.

import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../server/analysis/random';
import {
  binomialUpperTail,
  classifyBoundaryRisk,
  measureBoundaryRisk,
  measureStretchExposure,
  pointAlongLine,
  rankBoundaryRisk,
  weighStretchExposure,
} from '../../../../server/analysis/hotspots/boundary-risk';
import { rasterizePolygonWeights } from '../../../../server/analysis/hotspots/exposure-raster';
import { buildTimeSlices } from '../../../../server/analysis/hotspots/space-time-cube';

const DAY = 86_400_000;

describe('binomial upper tail', () => {
  it('equals the direct sum of the probability mass', () => {
    const choose = (n: number, k: number) => {
      let value = 1;
      for (let j = 1; j <= k; j++) value = (value * (n - k + j)) / j;
      return value;
    };
    for (const [n, p] of [
      [10, 0.3],
      [40, 1 / 3],
      [200, 0.05],
    ] as const) {
      for (let k = 0; k <= n; k += Math.max(1, Math.floor(n / 10))) {
        let direct = 0;
        for (let j = k; j <= n; j++) direct += choose(n, j) * p ** j * (1 - p) ** (n - j);
        expect(Math.abs(binomialUpperTail(k, n, p) - direct)).toBeLessThan(1e-12 + direct * 1e-9);
      }
    }
    expect(binomialUpperTail(0, 5, 0.5)).toBe(1);
    expect(binomialUpperTail(6, 5, 0.5)).toBe(0);
  });
});

describe('measureBoundaryRisk', () => {
  const slices = buildTimeSlices(0, 10 * 7 * DAY, 'week');

  it('counts buffer and band events and their positions along the line (by hand)', () => {
    // A 3 km line along the x axis; buffer 500 m, band 500–1500 m.
    const line = { partsXY: [Float64Array.from([0, 0, 3000, 0])] };
    const events = Float64Array.from([
      100, 100, // buffer, stretch 0
      1500, -499, // buffer, stretch 1
      2900, 0, // buffer, stretch 2
      3400, 0, // beyond the end by 400 m: buffer (round cap), stretch 2
      1000, 800, // band
      1000, 1600, // outside both
    ]);
    const times = [1 * DAY, 8 * DAY, 15 * DAY, 22 * DAY, 1 * DAY, 1 * DAY];
    const result = measureBoundaryRisk([line], events, times, { bufferMeters: 500, slices });
    expect(result.lengthMeters[0]).toBe(3000);
    expect(result.count[0]).toBe(4);
    expect(result.bandCount[0]).toBe(1);
    expect(Array.from(result.countsBySlice.subarray(0, 4))).toEqual([1, 1, 1, 1]);
    // Buffer area 2·500·3000 + π·500², band 4·500·3000 + π(1500² − 500²): 5 zone events × the buffer's share.
    const bufferArea = 2 * 500 * 3000 + Math.PI * 500 ** 2;
    const bandArea = 4 * 500 * 3000 + Math.PI * (1500 ** 2 - 500 ** 2);
    expect(result.expected[0]).toBeCloseTo((5 * bufferArea) / (bufferArea + bandArea), 12);
  });

  it('expects events where the exposure is: a town along the line is no excess, a cluster inside it is', () => {
    // A 4 km line; residents only within 400 m of it (a strip of town between fields), events ∝ residents.
    const rng = createRng(5);
    const line = { partsXY: [Float64Array.from([0, 0, 4000, 0])] };
    const exposureXY: number[] = [];
    for (let d = 0; d < 2000; d++) exposureXY.push(rng.uniform(0, 4000), rng.uniform(-400, 400));
    const residents = measureStretchExposure([line], Float64Array.from(exposureXY), [new Float64Array(2000).fill(100)], { bufferMeters: 500 });
    // Four 1 km stretches, residents only in the buffer.
    expect(residents.buffer[0]).toHaveLength(4);
    expect(Array.from(residents.band[0]!)).toEqual([0, 0, 0, 0]);
    expect(residents.buffer[0]!.reduce((a, b) => a + b, 0)).toBe(200_000);
    const exposure = weighStretchExposure(residents, [1]);
    const xy: number[] = [];
    for (let e = 0; e < 800; e++) xy.push(rng.uniform(0, 4000), rng.uniform(-400, 400));
    // A few events in the fields (the band), as residents of the strip also travel.
    for (let e = 0; e < 20; e++) xy.push(rng.uniform(0, 4000), (rng.next() < 0.5 ? 1 : -1) * rng.uniform(600, 1400));
    const times = new Array<number>(xy.length / 2).fill(DAY);
    const byArea = measureBoundaryRisk([line], Float64Array.from(xy), times, { bufferMeters: 500, slices });
    const byExposure = measureBoundaryRisk([line], Float64Array.from(xy), times, { bufferMeters: 500, slices, exposure });
    expect(byArea.lineP[0]).toBeLessThan(1e-10);
    expect(byExposure.lineP[0]).toBeGreaterThan(0.05);
    // 150 more events in 1 km of the strip: an excess over its residents.
    for (let e = 0; e < 150; e++) xy.push(rng.uniform(1000, 2000), rng.uniform(-300, 300));
    const clustered = measureBoundaryRisk([line], Float64Array.from(xy), new Array<number>(xy.length / 2).fill(DAY), { bufferMeters: 500, slices, exposure });
    expect(clustered.lineP[0]).toBeLessThan(1e-6);
    expect(clustered.peakFromMeters[0]).toBe(1000);
  });

  it('finds a planted stretch on one of three lines, ranks it first, and sees its rise', () => {
    const rng = createRng(21);
    const lines = [0, 1, 2].map((k) => ({ partsXY: [Float64Array.from([0, k * 10_000, 8000, k * 10_000])] }));
    const xy: number[] = [];
    const times: number[] = [];
    // Uniform background over the three 8 km × 3 km zones around the lines: 1,500 events each.
    for (const k of [0, 1, 2]) {
      for (let e = 0; e < 1500; e++) {
        xy.push(rng.uniform(-1500, 9500), k * 10_000 + rng.uniform(-1500, 1500));
        times.push(rng.uniform(0, 70 * DAY));
      }
    }
    // Line 1, from 3 to 4 km: 150 more events inside the buffer, more of them late (density ∝ time).
    for (let e = 0; e < 150; e++) {
      xy.push(rng.uniform(3000, 4000), 10_000 + rng.uniform(-480, 480));
      times.push(70 * DAY * Math.sqrt(rng.next()));
    }
    const result = measureBoundaryRisk(lines, Float64Array.from(xy), times, { bufferMeters: 500, slices });
    const order = rankBoundaryRisk(result);
    expect(order[0]).toBe(1);
    expect(result.peakFromMeters[1]).toBe(3000);
    expect(result.peakToMeters[1]).toBe(4000);
    expect(classifyBoundaryRisk(result.lineQ[1]!)).toBe('high');
    expect(classifyBoundaryRisk(result.lineQ[0]!)).toBe('normal');
    expect(classifyBoundaryRisk(result.lineQ[2]!)).toBe('normal');
    expect(result.trendZ[1]).toBeGreaterThan(0);
  });
});

describe('residents on a lattice', () => {
  it('spreads each polygon\'s weight over the lattice points inside it, holes and tiny polygons included', () => {
    // A 1 km square with a 400 m square hole, a 300 m square beside it, and a 50 m square (no lattice point).
    const square = (x: number, y: number, side: number) => Float64Array.from([x, y, x + side, y, x + side, y + side, x, y + side, x, y]);
    const rings = [[square(0, 0, 1000), square(300, 300, 400)], [square(1000, 0, 300)], [square(2000, 2000, 50)]];
    const points = rasterizePolygonWeights(rings, [8400, 900, 7], [500, 100, 1150, 150, 2025, 2025], 100);
    const byPolygon = [0, 1, 2].map((p) => Array.from(points.polygon).filter((q) => q === p).length);
    // 100 points in the square less 16 in the hole; 9 in the 300 m square; the tiny one at its label.
    expect(byPolygon).toEqual([84, 9, 1]);
    expect(points.weight.reduce((a, b) => a + b, 0)).toBeCloseTo(8400 + 900 + 7, 9);
    expect(Array.from(points.weight.subarray(0, 84))).toEqual(new Array<number>(84).fill(100));
    expect(Array.from(points.xy.slice(-2))).toEqual([2025, 2025]);
    // Points sit at lattice centres, none in the hole.
    for (let i = 0; i < points.polygon.length - 1; i++) {
      const [x, y] = [points.xy[2 * i]!, points.xy[2 * i + 1]!];
      expect((x - 50) % 100).toBe(0);
      expect(x > 300 && x < 700 && y > 300 && y < 700).toBe(false);
    }
  });

  it('finds points along a line by distance walked', () => {
    const line = { partsXY: [Float64Array.from([0, 0, 1000, 0, 1000, 500]), Float64Array.from([5000, 0, 5000, 100])] };
    expect(Array.from(pointAlongLine(line, 1200))).toEqual([1000, 200]);
    expect(Array.from(pointAlongLine(line, 1550))).toEqual([5000, 50]);
    expect(Array.from(pointAlongLine(line, 99_999))).toEqual([5000, 100]);
  });
});
