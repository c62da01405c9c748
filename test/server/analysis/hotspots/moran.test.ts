// Moran's I: published PySAL values (the 3 × 3 lattice variances, de Smith's local moments), cases by hand
// and a naive oracle for the local statistic (St Louis, NC SIDS, Columbus: reference-datasets.test.ts).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeGlobalMoran, computeLocalMoran } from '../../../../server/analysis/hotspots/moran';
import { rowStandardizeWeights, weightsFromNeighborLists } from '../../../../server/analysis/hotspots/spatial-weights';
import { readGal, readGeoDaColumn } from './reference-data';

/** The 3 × 3 rook lattice of PySAL's lat2W(3, 3). */
const LATTICE_3X3 = weightsFromNeighborLists([[1, 3], [0, 2, 4], [1, 5], [0, 4, 6], [1, 3, 5, 7], [2, 4, 8], [3, 7], [4, 6, 8], [5, 7]]);

describe('global Moran\'s I', () => {
  it('reproduces the variances of PySAL\'s 3 × 3 lattice test (binary weights, y = 1…9)', () => {
    const result = computeGlobalMoran([1, 2, 3, 4, 5, 6, 7, 8, 9], LATTICE_3X3);
    expect(result.varianceRandom).toBeCloseTo(0.0596875, 14);
    expect(result.varianceNormal).toBeCloseTo(0.053125, 14);
    expect(result.expected).toBe(-1 / 8);
  });

  it('gives 5/9 for a plane and −1 for a checkerboard on the row-standardised lattice (by hand)', () => {
    // Plane x = r + c + 1: z = r + c − 2, Σz² = 12, Σ z_i (Wz)_i = 20/3, so I = 5/9.
    const plane = computeGlobalMoran([1, 2, 3, 2, 3, 4, 3, 4, 5], rowStandardizeWeights(LATTICE_3X3));
    // Checkerboard: every neighbour of a 1 is a 0 and vice versa, so Σ z (Wz) = −Σ z².
    const checker = computeGlobalMoran([1, 0, 1, 0, 1, 0, 1, 0, 1], rowStandardizeWeights(LATTICE_3X3));
    expect(plane.i).toBeCloseTo(5 / 9, 13);
    expect(checker.i).toBeCloseTo(-1, 13);
  });
});

describe('local Moran\'s I', () => {
  const desmith = () => ({
    y: readGeoDaColumn('desmith/desmith.txt', 'z'),
    w: readGal('desmith/desmith.gal'),
  });

  it('reproduces PySAL\'s conditional moments EIc and VIc on de Smith\'s example', () => {
    const { y, w } = desmith();
    const result = computeLocalMoran(y, w, { moments: 'conditional' });
    const eic = [-0.00838113, -0.0243949, -0.07031778, -0.21520869, -0.16547163, -0.00178435, -0.11531888, -0.36138555, -0.05471258, -0.09413562];
    const vic = [0.03636013, 0.10412408, 0.28600769, 0.26389674, 0.21576683, 0.00779261, 0.44633942, 0.57696508, 0.12929777, 0.3730742];
    eic.forEach((value, i) => expect(Math.abs(result.expected[i]! - value)).toBeLessThan(1e-7));
    vic.forEach((value, i) => expect(Math.abs(result.variance[i]! - value)).toBeLessThan(1e-7));
  });

  it('uses the kurtosis of the whole sample under total randomisation (E = −1/9 for row-standardised weights)', () => {
    const { y, w } = desmith();
    const result = computeLocalMoran(y, w, { moments: 'total' });
    result.expected.forEach((value) => expect(value).toBeCloseTo(-1 / 9, 14));
    // Units with the same number of neighbours share a variance (PySAL's VI differs: it takes the
    // kurtosis b2 per site, z_i⁴/n over m2², where Anselin (1995) has one b2 = m4/m2² for the sample).
    expect(result.variance[0]).toBeCloseTo(result.variance[1]!, 14);
    expect(result.variance[3]).toBeCloseTo(result.variance[4]!, 14);
  });

  it('sums to n × I for row-standardised weights and matches a naive oracle', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 9, maxLength: 9 }), (values) => {
        const w = rowStandardizeWeights(LATTICE_3X3);
        const local = computeLocalMoran(values, w, { moments: 'total' });
        const global = computeGlobalMoran(values, w);
        const n = 9;
        const mean = values.reduce((a, b) => a + b, 0) / n;
        const z = values.map((v) => v - mean);
        const m2 = z.reduce((a, b) => a + b * b, 0) / n;
        if (m2 < 1e-6) return;
        expect(local.ii.reduce((a, b) => a + b, 0)).toBeCloseTo(n * global.i, 8);
        for (let i = 0; i < n; i++) {
          let lag = 0;
          for (let e = w.offsets[i]!; e < w.offsets[i + 1]!; e++) lag += w.weights[e]! * z[w.neighbors[e]!]!;
          expect(local.ii[i]).toBeCloseTo((z[i]! / m2) * lag, 8);
        }
      }),
      { seed: 7, numRuns: 100 },
    );
  });

  it('labels quadrants HH, LH, LL, HL', () => {
    const w = weightsFromNeighborLists([[1], [0], [3], [2]]);
    // Mean 7.75: units 0, 1 high together (HH, HH); 2 low next to 3 high (LH, HL).
    const result = computeLocalMoran([10, 9, 0, 12], w);
    expect(Array.from(result.quadrant)).toEqual([0, 0, 1, 3]);
  });
});
