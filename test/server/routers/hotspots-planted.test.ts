// Recall of the planted dispute clusters on the test database (Shenyang, seed 1) through hotspots.*, each
// cluster analysed in its own county with the residents baseline (disputes beyond what the people living
// there explain): persistent clusters as Gi* hot spots that stay hot month after month, diminishing ones
// as hot spots of their active period with a falling trend, emerging ones as new or sporadic hot spots
// of the last weeks, boundary clusters as high-risk lines; and few false alarms. hotspots.test.ts checks
// the plain counts; the full tables (and a whole-province run) are in test/bench/hotspots.bench.ts.

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { evaluatePlantedClusters, readPlantedClusters, type PlantedEvaluation } from '../analysis/hotspots/planted-clusters';
import { openTestStore } from '../../support/store';

const store = openTestStore();
afterAll(() => store.close());
const clusters = readPlantedClusters(inject('databasePath'));
let evaluation: PlantedEvaluation;

beforeAll(async () => {
  const counties = [...new Set(clusters.map((cluster) => cluster.countyCode))].sort();
  evaluation = await evaluatePlantedClusters(store, clusters, store.health().demo!.nowMs, { studyAreas: counties, baseline: 'residents' });
}, 120_000);

describe('planted clusters on the Shenyang test database', () => {
  it('has clusters of every kind to find', () => {
    const kinds = new Set(clusters.map((cluster) => cluster.kind));
    expect([...kinds].sort()).toEqual(['boundary', 'diminishing', 'emerging', 'persistent']);
  });

  it('finds every persistent cluster as a 95 % (FDR) hot spot of the last 90 days that is hot month after month', () => {
    const { planted, detected, characterised } = evaluation.byKind.persistent;
    expect(planted).toBeGreaterThan(0);
    expect(detected).toBe(planted);
    expect(characterised).toBe(planted);
  });

  it('flags every planted boundary line, and no line far from every planted cluster', () => {
    const { planted, detected } = evaluation.byKind.boundary;
    expect(planted).toBeGreaterThan(0);
    expect(detected).toBe(planted);
    const lines = evaluation.falseAlarms.boundary;
    expect(lines.analysed).toBeGreaterThan(300);
    expect(lines.flagged).toBeLessThanOrEqual(30);
    expect(lines.far).toBeLessThanOrEqual(2);
  });

  it('finds the diminishing clusters over their active period, with a falling trend over the year', () => {
    const { planted, detected, characterised } = evaluation.byKind.diminishing;
    expect(planted).toBeGreaterThan(0);
    expect(detected).toBe(planted);
    expect(characterised).toBe(planted);
  });

  it('finds the emerging clusters as new, consecutive or sporadic hot spots of the last weeks', () => {
    // Both are rural, 30 cases each over their last 2–4 months.
    const { planted, detected, characterised } = evaluation.byKind.emerging;
    expect(planted).toBe(2);
    expect(detected).toBe(planted);
    expect(characterised).toBe(planted);
  });

  it('raises few hot cells far from every planted cluster', () => {
    const { giStar, emerging } = evaluation.falseAlarms;
    expect(giStar.analysed).toBeGreaterThan(15_000);
    expect(giStar.far).toBeLessThanOrEqual(0.01 * giStar.analysed);
    expect(giStar.flagged).toBeLessThanOrEqual(0.02 * giStar.analysed);
    expect(emerging.far).toBeLessThanOrEqual(0.01 * emerging.analysed);
  });
});
