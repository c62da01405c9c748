// The straight-line coverage provider against a brute-force great-circle computation on seeded random
// points around Shenyang: same pairs (up to projection rounding at the rim) and the same minutes.

import { describe, expect, it } from 'vitest';
import { createStraightLineProvider } from '../../../../server/analysis/siting/coverage-provider';
import { DEFAULT_DETOUR_FACTOR, DEFAULT_SPEED_KMH as WALKING_SPEED_KMH } from '../../../../server/domain/travel-limits';
import { seededRandom } from '../../../../server/analysis/siting/solve-siting';

/** Haversine distance in metres on the WGS84 mean radius. */
function greatCircleMeters(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const toRad = Math.PI / 180;
  const dLat = (lat2 - lat1) * toRad;
  const dLng = (lng2 - lng1) * toRad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * toRad) * Math.cos(lat2 * toRad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(a));
}

function randomPoints(seed: number, count: number): Float64Array {
  const random = seededRandom(seed);
  const out = new Float64Array(2 * count);
  for (let k = 0; k < count; k++) {
    out[2 * k] = 123.3 + random() * 0.2;
    out[2 * k + 1] = 41.7 + random() * 0.15;
  }
  return out;
}

describe('straight-line coverage provider', () => {
  const demand = randomPoints(1, 3000);
  const sites = randomPoints(2, 60);
  const provider = createStraightLineProvider(demand);
  const maxMinutes = 15;
  const metersPerMinute = (WALKING_SPEED_KMH * 1000) / 60;

  it('states its model', () => {
    expect(provider.model).toMatchObject({ method: 'straight-line', speedKmh: 4, detourFactor: DEFAULT_DETOUR_FACTOR });
    expect(provider.model.label.zh).toContain('绕行系数');
  });

  it('finds every demand point within reach, with minutes = distance × detour / speed', () => {
    const costs = provider.siteCosts(sites, maxMinutes);
    expect(costs.candidateCount).toBe(60);
    let pairs = 0;
    const problems: string[] = [];
    for (let c = 0; c < 60; c++) {
      const found = new Map<number, number>();
      for (let k = costs.offsets[c]!; k < costs.offsets[c + 1]!; k++) found.set(costs.demandIndex[k]!, costs.cost[k]!);
      for (let u = 0; u < 3000; u++) {
        const minutes = (greatCircleMeters(sites[2 * c]!, sites[2 * c + 1]!, demand[2 * u]!, demand[2 * u + 1]!) * DEFAULT_DETOUR_FACTOR) / metersPerMinute;
        const got = found.get(u);
        if (got !== undefined) {
          // Ellipsoidal local projection vs a spherical great circle: well under 1 % apart.
          if (!(Math.abs(got - minutes) < 0.006 * minutes + 1e-6) || got > maxMinutes) problems.push(`site ${c}, point ${u}: ${got} vs ${minutes}`);
          pairs++;
        } else if (minutes <= maxMinutes * 0.994) problems.push(`site ${c}, point ${u}: missing at ${minutes} min`);
      }
    }
    expect(problems).toEqual([]);
    expect(pairs).toBeGreaterThan(100);
    // The estimate from a sample of sites is of the right size.
    const estimate = provider.estimatePairs(sites, maxMinutes);
    expect(estimate).toBeGreaterThan(pairs * 0.5);
    expect(estimate).toBeLessThan(pairs * 2);
  });

  it('handles sites far from everyone and an empty demand set', () => {
    expect(provider.siteCosts(Float64Array.of(100, 20), 15).demandIndex.length).toBe(0);
    const empty = createStraightLineProvider(new Float64Array(0));
    expect(empty.siteCosts(sites, 15).demandIndex.length).toBe(0);
    expect(empty.estimatePairs(sites, 15)).toBe(0);
  });
});
