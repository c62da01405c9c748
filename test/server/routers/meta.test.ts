// meta.health through createCaller on the test database.

import { afterAll, describe, expect, inject, it } from 'vitest';
import { appRouter } from '../../../server/routers/app';
import { createCallerFactory } from '../../../server/trpc';
import { openTestStore } from '../../support/store';
import { testContext } from '../../support/context';

const store = openTestStore();
const caller = createCallerFactory(appRouter)(testContext(store));

afterAll(() => store.close());

describe('meta.health', () => {
  it('reports ok, the server version, the data version and the unit counts', async () => {
    const health = await caller.meta.health();
    expect(health.ok).toBe(true);
    expect(health.version).toBe('test');
    expect(health.dataVersion).toBe(inject('dataVersion'));
    expect(health.dataVersion).toMatch(/^[0-9a-f]{16}$/);
    expect(health.counts).toMatchObject({ province: 1, city: 14, county: 100, street: 1406, community: 16727 });
  });

  it('flags demonstration data with its parameters, and counts its facilities and disputes', async () => {
    const health = await caller.meta.health();
    const demo = inject('testDemo');
    expect(health.demo).toMatchObject({ seed: demo.seed, scope: demo.scope, nowMs: demo.nowMs });
    expect(health.demo!.contentHash).toMatch(/^[0-9a-f]{16}$/);
    expect(health.counts!.facilities).toBeGreaterThan(10_000);
    expect(health.counts!.disputes).toBeGreaterThan(50_000);
    expect(health.counts!.grids).toBeGreaterThan(5_000);
  });
});
