// One parser for every period and one lookup for every code, through createCaller: each malformed
// date or period is a BAD_REQUEST naming its field on every procedure that takes a period, and an
// unknown admin code is NOT_FOUND on every procedure that takes one.

import { describe, expect, it } from 'vitest';
import { appRouter } from '../../../server/routers/app';
import { ZodError } from 'zod';
import { createCallerFactory, describeZodError } from '../../../server/trpc';
import { testContext } from '../../support/context';
import { openTestStore } from '../../support/store';
import { errorOf } from '../../support/trpc-errors';

const store = openTestStore();
const caller = createCallerFactory(appRouter)(testContext(store));

/** Every procedure that takes a period, called with `from`/`to` replaced. */
const PERIOD_CALLS: Record<string, (period: { from: string | number; to: string | number }) => Promise<unknown>> = {
  'events.list': (period) => caller.events.list({ within: '2101', ...period }),
  'events.stats': (period) => caller.events.stats({ within: '2101', groupBy: 'type', ...period }),
  'events.kpis': (period) => caller.events.kpis({ within: '2101', ...period }),
  'hotspots.cells': (period) => caller.hotspots.cells({ within: '2101', resolution: 8, ...period }),
  'hotspots.emerging': (period) => caller.hotspots.emerging({ within: '2101', slice: 'month', ...period }),
  'hotspots.boundaryRisk': (period) => caller.hotspots.boundaryRisk({ within: '2101', ...period }),
};

const BAD_PERIODS: { name: string; period: { from: string | number; to: string | number }; field: 'from' | 'to'; message: RegExp }[] = [
  { name: 'month 13, day 45', period: { from: '2026-13-45', to: '2026-10-31' }, field: 'from', message: /not a calendar date/ },
  { name: '9999-99-99', period: { from: '9999-99-99', to: '2026-10-31' }, field: 'from', message: /not a calendar date/ },
  { name: '30 February', period: { from: '2026-01-01', to: '2026-02-30' }, field: 'to', message: /2026-02-30 is not a calendar date/ },
  { name: 'free text Date.parse would accept', period: { from: '1 Z', to: '2026-10-31' }, field: 'from', message: /must be a date like/ },
  { name: 'year 1', period: { from: '0001-01-01', to: '2026-10-31' }, field: 'from', message: /between 1970-01-01 and 2999-12-31/ },
  { name: 'a time without an offset', period: { from: '2026-10-01T08:00', to: '2026-10-31' }, field: 'from', message: /must be a date like/ },
  { name: 'to before from', period: { from: '2026-10-31', to: '2026-10-01' }, field: 'to', message: /must be after from/ },
  { name: 'a fractional number', period: { from: 1.5, to: '2026-10-31' }, field: 'from', message: /integer/ },
];

describe('periods', () => {
  for (const [procedure, call] of Object.entries(PERIOD_CALLS)) {
    for (const bad of BAD_PERIODS) {
      it(`${procedure} refuses ${bad.name} as a BAD_REQUEST naming ${bad.field}`, async () => {
        const error = await errorOf(call(bad.period));
        expect(error.code).toBe('BAD_REQUEST');
        // The HTTP answer's message is "Invalid input: " + this (see trpc.ts).
        const message = error.cause instanceof ZodError ? describeZodError(error.cause) : error.message;
        expect(message).toMatch(new RegExp(`\\b${bad.field}: `));
        expect(message).toMatch(bad.message);
      });
    }
  }

  it('reads a date-only `to` as the end of its day on lists as on analyses', async () => {
    const day = await caller.events.list({ within: '2101', from: '2026-10-01', to: '2026-10-01', limit: 500 });
    const byInstants = await caller.events.list({ within: '2101', from: '2026-10-01T00:00:00+08:00', to: '2026-10-02T00:00:00+08:00', limit: 500 });
    expect(day.items.map((item) => item.id)).toEqual(byInstants.items.map((item) => item.id));
    expect(day.items.length).toBeGreaterThan(0);
  });
});

/** Every procedure that takes an admin code, called with an unknown one. */
const CODE_CALLS: Record<string, (code: string) => Promise<unknown>> = {
  'geo.adminUnits': (code) => caller.geo.adminUnits({ level: 'street', parent: code }),
  'geo.adminTree': (code) => caller.geo.adminTree({ code }),
  'geo.boundaryLines': (code) => caller.geo.boundaryLines({ within: code }),
  'geo.grids': (code) => caller.geo.grids({ within: code }),
  'geo.facilities': (code) => caller.geo.facilities({ within: code }),
  'events.list': (code) => caller.events.list({ within: code }),
  'events.stats': (code) => caller.events.stats({ within: code, from: '2026-10-01', to: '2026-10-31', groupBy: 'unit' }),
  'events.kpis': (code) => caller.events.kpis({ within: code, from: '2026-10-01', to: '2026-10-31' }),
  'dashboard.summary': (code) => caller.dashboard.summary({ within: code }),
  'dashboard.latest': (code) => caller.dashboard.latest({ within: code }),
  'coverage.rates': (code) => caller.coverage.rates({ kind: 'health_station', maxMinutes: 15, within: code, groupBy: 'grid' }),
  'coverage.workstations': (code) => caller.coverage.workstations({ within: code, groupBy: 'community' }),
  'coverage.gaps': (code) => caller.coverage.gaps({ kind: 'health_station', maxMinutes: 15, within: code }),
  'coverage.serviceAreas': (code) => caller.coverage.serviceAreas({ kind: 'health_station', maxMinutes: 15, within: code }),
  'hotspots.cells': (code) => caller.hotspots.cells({ within: code, from: '2026-10-01', to: '2026-10-31', resolution: 8 }),
  'hotspots.emerging': (code) => caller.hotspots.emerging({ within: code, from: '2025-10-01', to: '2026-10-31', slice: 'month' }),
  'hotspots.boundaryRisk': (code) => caller.hotspots.boundaryRisk({ within: code, from: '2026-10-01', to: '2026-10-31' }),
  'plan.optimize': (code) => caller.plan.optimize({ kind: 'health_station', maxMinutes: 15, within: code, objective: 'mclp', newSites: 2, candidates: 'grid-centroids' }),
  'plan.evaluate': (code) => caller.plan.evaluate({ kind: 'health_station', maxMinutes: 15, within: code, add: [[123.4, 41.8]] }),
  'events.live': async (code) => {
    const stream = await caller.events.live({ within: code });
    return stream[Symbol.asyncIterator]().next();
  },
};

describe('unknown codes', () => {
  for (const [procedure, call] of Object.entries(CODE_CALLS)) {
    for (const code of ['219999999999', '2199']) {
      it(`${procedure} answers NOT_FOUND for ${code}`, async () => {
        const error = await errorOf(call(code));
        expect(error.code).toBe('NOT_FOUND');
        expect(error.message).toMatch(new RegExp(`no admin unit has code ${code}`));
      });
    }
    // Outside the caller's jurisdiction, the same refusal whether such a unit exists or not.
    it(`${procedure} answers FORBIDDEN for 999999999999, outside the jurisdiction`, async () => {
      const error = await errorOf(call('999999999999'));
      expect(error.code).toBe('FORBIDDEN');
      expect(error.message).toMatch(/999999999999 is outside your jurisdiction \(21\)/);
    });
  }
});
