// The prepared data of the test database: built once per data version however many analyses use it
// (the road network is read and the graph built once), every array in shared memory, crossing threads
// by structured clone without a copy, and viewed once per thread.

import { describe, expect, it } from 'vitest';
import { createInlineRunner } from '../../../server/pool/job-runner';
import { buildPreparedData, viewPreparedData } from '../../../server/prepared/prepared-data';
import type { AtlasStore } from '../../../server/store/atlas-store';
import { TEST_NOW_MS } from '../../support/global-setup';
import { openTestStore } from '../../support/store';

const DAY_MS = 86_400_000;

/** The store, counting how often the road network is read (a graph and a snapper are built from each read). */
function countingStore(store: AtlasStore): { store: AtlasStore; networkReads: () => number } {
  let reads = 0;
  const counted = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'roadNetwork') {
        return () => {
          reads++;
          return target.roadNetwork();
        };
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: counted, networkReads: () => reads };
}

function typedArraysOf(value: unknown, out: ArrayBufferView[] = []): ArrayBufferView[] {
  if (ArrayBuffer.isView(value)) out.push(value);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) typedArraysOf(item, out);
  return out;
}

describe('the prepared data', { timeout: 180_000 }, () => {
  it('is built once however many coverage, siting and hotspot answers use it', async () => {
    const { store, networkReads } = countingStore(openTestStore());
    const runner = createInlineRunner(store);
    const period = { from: TEST_NOW_MS - 90 * DAY_MS, to: TEST_NOW_MS };
    await runner.value('coverage.rates', { kind: 'health_station', maxMinutes: 15, within: '2101', groupBy: 'county' });
    await runner.value('coverage.serviceAreas', { kind: 'elder_day_care', maxMinutes: 10, within: '210103' });
    await runner.value('coverage.gaps', { kind: 'convenience_store', maxMinutes: 5, within: '210103', as: 'points' });
    await runner.value('plan.optimize', { kind: 'health_station', maxMinutes: 15, within: '210103', objective: 'mclp', newSites: 2, candidates: 'network-nodes' });
    await runner.value('plan.evaluate', { kind: 'health_station', maxMinutes: 15, within: '210103', add: [[123.45, 41.79]], remove: [] });
    await runner.value('hotspots.cells', { within: '2101', ...period, resolution: 8, baseline: 'residents' });
    expect(networkReads()).toBe(1);
  });

  it('holds every array in shared memory and crosses threads by structured clone without a copy', () => {
    const store = openTestStore();
    const data = buildPreparedData(store);
    const arrays = typedArraysOf(data);
    expect(arrays.length).toBeGreaterThan(20);
    for (const array of arrays) expect(array.buffer).toBeInstanceOf(SharedArrayBuffer);
    const clone = structuredClone(data);
    const cloned = typedArraysOf(clone);
    expect(cloned.map((array) => array.buffer)).toEqual(arrays.map((array) => array.buffer));
    // Shared, not copied: a write through the clone shows through the original.
    const demand = clone.demand.population;
    const before = data.demand.population[0]!;
    demand[0] = before + 1;
    expect(data.demand.population[0]).toBe(before + 1);
    demand[0] = before;
    // A thread views it once per data version; the views answer like the original network.
    const views = viewPreparedData(clone);
    expect(viewPreparedData(clone)).toBe(views);
    expect(views.network?.graph.edgeCount).toBe(data.network?.graph.edgeCount);
    expect(views.demand.gridCodes.every((code) => code.length === 15)).toBe(true);
  });
});
