// meta.health through createCaller on the test database.

import { afterAll, describe, expect, inject, it } from 'vitest';
import { appRouter } from '../../../server/routers/app';
import { createCallerFactory } from '../../../server/trpc';
import { openTestStore } from '../../support/store';

const store = openTestStore();
const caller = createCallerFactory(appRouter)({ store, version: 'test' });

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
});
