// The worker pool on the test database: its answers equal the in-process runner's for every kind of
// job (the oracles of the router tests hold through it), identical concurrent requests share one
// computation, a cancelled job frees its thread, a job over its budget answers with its fallback or
// TIMEOUT, and queue and per-client limits refuse at once.

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { JobInput, JobName } from '../../../server/jobs/registry';
import { PoolRunner } from '../../../server/pool/pool-runner';
import { RequestError } from '../../../server/request-error';
import { SqliteStore } from '../../../server/store/sqlite-store';
import { inlineRunnerFor } from '../../support/context';
import { TEST_NOW_MS } from '../../support/global-setup';

const DAY_MS = 86_400_000;
const store = new SqliteStore(inject('databasePath'));
let pool: PoolRunner;

beforeAll(async () => {
  pool = new PoolRunner({ store, databasePath: inject('databasePath'), heavyThreads: 2, lightThreads: 1 });
  await pool.prepare();
}, 120_000);

afterAll(async () => {
  await pool?.close();
  store.close();
});

/** JSON of an answer without its timings (they differ from run to run). */
function comparable(value: unknown): string {
  return JSON.stringify(value, (key, item: unknown) => (key === 'elapsedMs' || key === 'updateMs' ? undefined : item));
}

const period = { from: TEST_NOW_MS - 90 * DAY_MS, to: TEST_NOW_MS };

/** One request of every kind of job the routers send to the pool. */
const CASES: { [N in JobName]?: JobInput<N> } = {
  'geo.adminUnits': { level: 'street', parent: '210103', zoom: 11 },
  'geo.boundaryLines': { level: 'street', within: '210103' },
  'geo.grids': { within: '210103' },
  'geo.facilities': { kinds: ['health_station'], within: '210103' },
  'dashboard.summary': { within: '2101' },
  'events.stats': { within: '2101', ...period, groupBy: 'type' },
  'events.kpis': { within: '2101', ...period },
  'desk.queue': { filters: { visibleIn: '210103', types: ['neighbour'] }, column: 'new', limit: 20 },
  'coverage.rates': { kind: 'health_station', maxMinutes: 15, within: '2101', groupBy: 'county' },
  'coverage.workstations': { within: '2101', groupBy: 'county' },
  'coverage.gaps': { kind: 'health_station', maxMinutes: 15, within: '210103', as: 'points' },
  'coverage.serviceAreas': { kind: 'health_station', maxMinutes: 15, within: '210103', zoom: 12 },
  'hotspots.cells': { within: '2101', ...period, resolution: 8, permutations: 99, fdr: true },
  'hotspots.emerging': { within: '2101', from: TEST_NOW_MS - 365 * DAY_MS, to: TEST_NOW_MS, slice: 'month' },
  'hotspots.boundaryRisk': { within: '2101', ...period },
  'plan.optimize': { kind: 'health_station', maxMinutes: 15, within: '210103', objective: 'mclp', newSites: 3, candidates: 'grid-centroids' },
  'plan.evaluate': { kind: 'health_station', maxMinutes: 15, within: '210103', add: [[123.45, 41.79]], remove: [] },
};

describe('the worker pool', { timeout: 180_000 }, () => {
  it('builds the prepared data once, in the background, and reports it', () => {
    const status = pool.status();
    expect(status.prepared?.state).toBe('ready');
    expect(status.prepared?.bytes).toBeGreaterThan(1_000_000);
    expect(status.lanes.map((lane) => [lane.name, lane.threads])).toEqual([
      ['light', 1],
      ['heavy', 2],
    ]);
  });

  for (const [name, input] of Object.entries(CASES) as [JobName, JobInput<JobName>][]) {
    it(`answers ${name} exactly as the in-process runner does`, async () => {
      const [fromPool, inline] = await Promise.all([pool.value(name, input, { nowMs: TEST_NOW_MS }), inlineRunnerFor(store).value(name, input, { nowMs: TEST_NOW_MS })]);
      expect(comparable(fromPool)).toBe(comparable(inline));
    });
  }

  it('passes a job’s refusal through with its code and message', async () => {
    await expect(pool.value('coverage.rates', { kind: 'health_station', maxMinutes: 15, within: '999999999999', groupBy: 'grid' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('within'),
    });
  });

  it('joins identical concurrent requests into one computation', async () => {
    const input = { kind: 'elder_day_care' as const, maxMinutes: 10, within: '2101', groupBy: 'street' as const };
    const before = pool.status().answers.shared;
    const answers = await Promise.all([1, 2, 3].map(() => pool.runBytes('coverage.rates', input)));
    expect(pool.status().answers.shared - before).toBe(2);
    expect(new Set(answers.map((bytes) => bytes.toString()))).toHaveProperty('size', 1);
  });

  it('cancels a running job when its only caller goes away, and replaces its thread', async () => {
    const heavy = pool.status().lanes.find((lane) => lane.name === 'heavy')!;
    const controller = new AbortController();
    const running = pool.runBytes('hotspots.cells', { within: '2101', ...period, resolution: 8, permutations: 2999, seed: 7 }, { signal: controller.signal, client: 'cancel-test' });
    await until(() => pool.status().lanes.find((lane) => lane.name === 'heavy')!.running > 0, 20_000);
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'TIMEOUT', message: expect.stringContaining('cancelled') });
    await until(() => pool.status().lanes.find((lane) => lane.name === 'heavy')!.cancelled === heavy.cancelled + 1, 20_000);
    await until(() => pool.status().lanes.find((lane) => lane.name === 'heavy')!.threads === 2, 20_000);
    // The lane still works afterwards.
    expect((await pool.value('coverage.rates', { kind: 'health_station', maxMinutes: 5, within: '210103', groupBy: 'street' })).length).toBeGreaterThan(0);
  });

  it('lets a client run two analyses at once; its others wait while other clients go first', async () => {
    const finished: string[] = [];
    const track = (label: string, call: Promise<Buffer>) => call.then(() => finished.push(label));
    const slow = (seed: number) => pool.runBytes('hotspots.cells', { within: '2101', ...period, resolution: 8, permutations: 999, seed }, { client: 'busy-client' });
    const mine = [1, 2, 3].map((seed) => track(`busy-${seed}`, slow(seed)));
    // Another client's analysis, asked once the busy client's three are in.
    await until(() => pool.status().lanes.find((lane) => lane.name === 'heavy')!.running === 2, 20_000);
    const other = track('other', pool.runBytes('hotspots.cells', { within: '210103', ...period, resolution: 8, permutations: 99, seed: 4 }, { client: 'other-client' }));
    await Promise.all([...mine, other]);
    expect(finished.indexOf('other')).toBeLessThan(finished.indexOf('busy-3'));
  });

  it('refuses a client with more analyses waiting than allowed', async () => {
    const controller = new AbortController();
    const calls = Array.from({ length: 11 }, (_, seed) =>
      pool.runBytes('hotspots.cells', { within: '2101', ...period, resolution: 8, permutations: 999, seed: 100 + seed }, { client: 'greedy-client', signal: controller.signal }),
    );
    const outcomes = await Promise.allSettled(calls.map((call, k) => (k === 10 ? call : call.catch(() => undefined))));
    controller.abort();
    const last = outcomes[10]!;
    expect(last.status).toBe('rejected');
    expect((last as PromiseRejectedResult).reason).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    await Promise.allSettled(calls);
  });
});

describe('budgets and queue limits', { timeout: 180_000 }, () => {
  let tight: PoolRunner;
  beforeAll(async () => {
    tight = new PoolRunner({
      store,
      databasePath: inject('databasePath'),
      heavyThreads: 1,
      lightThreads: 1,
      maxQueue: { light: 1, heavy: 1 },
      perClientHeavy: 10,
      budgetsMs: { 'plan.optimize': 15_000, 'hotspots.cells': 300 },
      // Told a minute, the exact solver (about 30 s here) works on past the 15 s budget: the fallback answers.
      toldBudgetsMs: { 'plan.optimize': 60_000 },
    });
    await tight.prepare();
  }, 120_000);
  afterAll(async () => {
    await tight?.close();
  });

  it('answers an exact optimisation stopped at its budget with the heuristic solution it offered', async () => {
    const answer = await tight.value('plan.optimize', {
      kind: 'health_station',
      maxMinutes: 60,
      within: '2101',
      objective: 'pcenter',
      newSites: 60,
      candidates: 'grid-centroids',
      method: 'exact',
    });
    expect(answer.proposals).toHaveLength(60);
    expect(answer.optimality.solver).not.toMatch(/MIP/);
    expect(tight.status().lanes.find((lane) => lane.name === 'heavy')!.timedOut).toBe(1);
  });

  it('answers TIMEOUT for a job without a fallback that outruns its budget', async () => {
    await expect(tight.value('hotspots.cells', { within: '2101', ...period, resolution: 8, permutations: 2999 })).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('refuses at once when the lane’s queue is full', async () => {
    const controller = new AbortController();
    const calls = [1, 2, 3].map((k) =>
      tight.runBytes('hotspots.emerging', { within: '2101', from: TEST_NOW_MS - 365 * DAY_MS, to: TEST_NOW_MS, slice: 'week', resolution: 8, weights: { k } }, { signal: controller.signal }),
    );
    const outcomes = await Promise.allSettled(calls.map((call) => call.then(() => 'answered')));
    controller.abort();
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected' && (outcome.reason as RequestError).code === 'TOO_MANY_REQUESTS');
    expect(refused.length).toBeGreaterThanOrEqual(1);
  });
});

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
