// scenario.* through createCaller on the test database (Shenyang, seed 1) with an accounts file in
// memory: saving, reading, listing, renaming and removing with the audit entries they leave; the edits'
// checks (removals of facilities of the kind, limits, repeats) refusing without writing anything;
// scenarios outside the caller's jurisdiction answering as if they did not exist; who may change one;
// stale data versions; and comparisons per unit against the base and between scenarios.

import { ZodError } from 'zod';
import { afterAll, describe, expect, it } from 'vitest';
import { Accounts, type Principal } from '../../../server/auth/accounts';
import type { Role } from '../../../server/domain/access';
import { SCENARIO_LIMITS, type ScenarioEdits } from '../../../server/domain/scenario';
import { appRouter } from '../../../server/routers/app';
import { SqliteAccountStore } from '../../../server/store/sqlite-account-store';
import { createCallerFactory, describeZodError } from '../../../server/trpc';
import { principalFor, testContext } from '../../support/context';
import { openTestStore } from '../../support/store';
import { errorOf } from '../../support/trpc-errors';

const store = openTestStore();
const accounts = new Accounts(new SqliteAccountStore(':memory:'), { anonymous: 'none', deploymentCode: '21' });
const createCaller = createCallerFactory(appRouter);
let clock = Date.UTC(2026, 11, 1);

afterAll(() => {
  store.close();
  accounts.store.close();
});

/** 沈河区 (Shenhe district, Shenyang) and 和平区 (Heping) next to it. */
const SHENHE = '210103';
const HEPING = '210102';

function callerAs(principal: Principal | null) {
  return createCaller(testContext(store, { principal, accounts, now: () => (clock += 1_000) }));
}

const as = (role: Role, jurisdiction: string, username?: string): ReturnType<typeof callerAs> => {
  const principal = principalFor(role, jurisdiction);
  return callerAs(username ? { ...principal, actor: `user:${username}`, username } : principal);
};

const planner = as('planner', '2101');

async function refusal(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await errorOf(call);
  return { code: error.code, message: error.cause instanceof ZodError ? describeZodError(error.cause) : error.message };
}

const NO_EDITS: ScenarioEdits = { addFacilities: [], removeFacilities: [], addLinks: [], removeLinks: [] };

const stations = store.facilities({ kinds: ['health_station'], withinCode: SHENHE });
const store0 = store.facilities({ kinds: ['convenience_store'], withinCode: SHENHE })[0]!;
const hepingStation = store.facilities({ kinds: ['health_station'], withinCode: HEPING })[0]!;

const scenario = (overrides: Record<string, unknown> = {}) => ({
  name: '沈河区 新增卫生服务站',
  within: SHENHE,
  kind: 'health_station' as const,
  maxMinutes: 15,
  edits: { ...NO_EDITS, addFacilities: [{ lngLat: [123.45, 41.79] as [number, number], source: 'manual' as const }], removeFacilities: [stations[0]!.id] },
  ...overrides,
});

const writes = () => accounts.store.audit({ action: 'write', limit: 1_000 }).filter((entry) => entry.target.startsWith('scenario:'));

describe('scenario CRUD', () => {
  it('saves, reads, lists, renames and removes, auditing each save and removal', async () => {
    const before = writes().length;
    const saved = await planner.scenario.save(scenario({ name: '  方案 A  ' }));
    expect(saved).toMatchObject({ name: '方案 A', within: SHENHE, kind: 'health_station', maxMinutes: 15, owner: 'user:test-planner', stale: false, canChange: true });
    expect(saved.dataVersion).toBe(store.health().dataVersion);
    expect(saved.createdAt).toBe(saved.updatedAt);
    expect(await planner.scenario.get({ id: saved.id })).toEqual(saved);

    const listed = await planner.scenario.list({ within: SHENHE });
    const row = listed.find((entry) => entry.id === saved.id)!;
    expect(row).not.toHaveProperty('edits');
    expect(row.editCounts).toEqual({ addFacilities: 1, removeFacilities: 1, addLinks: 0, removeLinks: 0 });
    // Without `within`: the caller's jurisdiction.
    expect((await planner.scenario.list()).map((entry) => entry.id)).toContain(saved.id);
    expect((await planner.scenario.list({ within: HEPING })).map((entry) => entry.id)).not.toContain(saved.id);

    const renamed = await planner.scenario.save({ ...scenario({ name: '方案 A′', maxMinutes: 10 }), id: saved.id });
    expect(renamed).toMatchObject({ id: saved.id, name: '方案 A′', maxMinutes: 10, createdAt: saved.createdAt, owner: saved.owner });
    expect(renamed.updatedAt).toBeGreaterThan(saved.updatedAt);
    const other = await planner.scenario.save(scenario({ name: '方案 B' }));
    // Most recently saved first.
    const order = (await planner.scenario.list({ within: SHENHE })).map((entry) => entry.id);
    expect(order.indexOf(other.id)).toBeLessThan(order.indexOf(saved.id));

    expect(await planner.scenario.remove({ id: saved.id })).toEqual({ id: saved.id, removed: true });
    expect(await refusal(planner.scenario.get({ id: saved.id }))).toEqual({ code: 'NOT_FOUND', message: `no scenario ${saved.id} in your jurisdiction` });
    expect(await refusal(planner.scenario.remove({ id: saved.id }))).toMatchObject({ code: 'NOT_FOUND' });

    const entries = writes().slice(before);
    expect(entries.map((entry) => [entry.actor, entry.target, entry.detail.procedure, entry.detail.created ?? null])).toEqual([
      ['user:test-planner', `scenario:${saved.id}`, 'scenario.save', true],
      ['user:test-planner', `scenario:${saved.id}`, 'scenario.save', false],
      ['user:test-planner', `scenario:${other.id}`, 'scenario.save', true],
      ['user:test-planner', `scenario:${saved.id}`, 'scenario.remove', null],
    ]);
    // Counts, never the planner's text.
    expect(JSON.stringify(entries)).not.toContain('方案');
  });

  it('refuses bad names and edits naming the field, and writes nothing', async () => {
    const count = (await planner.scenario.list({ within: '2101', limit: 500 })).length;
    const audited = writes().length;
    expect(await refusal(planner.scenario.save(scenario({ name: '   ' })))).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^name: /) });
    expect(await refusal(planner.scenario.save(scenario({ name: '长'.repeat(81) })))).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^name: /) });
    const removing = (ids: number[]) => planner.scenario.save(scenario({ edits: { ...NO_EDITS, removeFacilities: ids } }));
    expect(await refusal(removing([stations[0]!.id, store0.id]))).toEqual({
      code: 'BAD_REQUEST',
      message: `edits.removeFacilities.1: facility ${store0.id} is not a health_station facility in your jurisdiction`,
    });
    expect(await refusal(removing([999_999_999]))).toEqual({
      code: 'BAD_REQUEST',
      message: 'edits.removeFacilities.0: facility 999999999 is not a health_station facility in your jurisdiction',
    });
    expect(await refusal(removing([stations[1]!.id, stations[2]!.id, stations[1]!.id]))).toEqual({
      code: 'BAD_REQUEST',
      message: `edits.removeFacilities.2: facility ${stations[1]!.id} is listed twice`,
    });
    const site = { lngLat: [123.45, 41.79] as [number, number], source: 'manual' as const };
    expect(
      await refusal(planner.scenario.save(scenario({ edits: { ...NO_EDITS, addFacilities: Array.from({ length: SCENARIO_LIMITS.maxSites + 1 }, () => site) } }))),
    ).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^edits\.addFacilities: /) });
    expect(
      await refusal(planner.scenario.save(scenario({ edits: { ...NO_EDITS, addLinks: [[[123.45, 41.79], [123.45, 41.79]]] } }))),
    ).toMatchObject({ code: 'BAD_REQUEST', message: 'edits.addLinks.0: a link must join two different points' });
    expect(await refusal(planner.scenario.save(scenario({ edits: { ...NO_EDITS, addFacilities: [{ ...site, lngLat: [190, 41] }] } })))).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/^edits\.addFacilities\.0\.lngLat\.0: /),
    });
    expect(await refusal(planner.scenario.save(scenario({ edits: { ...NO_EDITS, moveFacilities: [] } })))).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await refusal(planner.scenario.save(scenario({ maxMinutes: 0 })))).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^maxMinutes: /) });
    expect(await refusal(planner.scenario.save(scenario({ within: '210199' })))).toMatchObject({ code: 'NOT_FOUND', message: 'within: no admin unit has code 210199' });
    expect(await refusal(planner.scenario.get({ id: 999_999 }))).toEqual({ code: 'NOT_FOUND', message: 'no scenario 999999 in your jurisdiction' });
    expect(await refusal(planner.scenario.save({ ...scenario(), id: 999_999 }))).toMatchObject({ code: 'NOT_FOUND' });
    expect((await planner.scenario.list({ within: '2101', limit: 500 })).length).toBe(count);
    expect(writes().length).toBe(audited);
  });
});

describe('scenario access', () => {
  it("answers NOT_FOUND for a scenario outside the caller's jurisdiction and FORBIDDEN for another area", async () => {
    const saved = await planner.scenario.save(scenario({ name: '沈河 only' }));
    const heping = as('county-officer', HEPING);
    expect(await refusal(heping.scenario.get({ id: saved.id }))).toEqual({ code: 'NOT_FOUND', message: `no scenario ${saved.id} in your jurisdiction` });
    expect(await refusal(heping.scenario.remove({ id: saved.id }))).toEqual({ code: 'NOT_FOUND', message: `no scenario ${saved.id} in your jurisdiction` });
    expect(await refusal(heping.scenario.save({ ...scenario({ within: HEPING, edits: NO_EDITS }), id: saved.id }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(heping.scenario.compare({ a: 'base', b: saved.id, groupBy: 'street' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(heping.scenario.list({ within: SHENHE }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refusal(heping.scenario.save(scenario()))).toMatchObject({ code: 'FORBIDDEN' });
    // A facility outside the caller's jurisdiction cannot be closed (it cannot see it).
    expect(await refusal(as('county-officer', SHENHE).scenario.save(scenario({ edits: { ...NO_EDITS, removeFacilities: [hepingStation.id] } })))).toMatchObject({
      code: 'BAD_REQUEST',
      message: `edits.removeFacilities.0: facility ${hepingStation.id} is not a health_station facility in your jurisdiction`,
    });
    expect((await heping.scenario.list()).map((entry) => entry.id)).not.toContain(saved.id);
    // Still there for those who may see it.
    expect((await as('county-officer', SHENHE).scenario.get({ id: saved.id })).id).toBe(saved.id);
  });

  it('refuses roles without the plan capability and anonymous saves', async () => {
    const saved = await planner.scenario.save(scenario({ name: 'for the refusals' }));
    for (const role of ['grid-worker', 'kiosk'] as const) {
      const caller = as(role, role === 'kiosk' ? '210103005' : '210103005003');
      const calls = [
        () => caller.scenario.list(),
        () => caller.scenario.get({ id: saved.id }),
        () => caller.scenario.save(scenario()),
        () => caller.scenario.remove({ id: saved.id }),
        () => caller.scenario.compare({ a: 'base', b: saved.id, groupBy: 'street' }),
      ];
      // A kiosk is stopped before any procedure: it reads the wall's only.
      const message = role === 'kiosk' ? 'a wall-display token reads the situation wall (/screen) only' : `planning is not open to the ${role} role`;
      for (const call of calls) expect(await refusal(call())).toEqual({ code: 'FORBIDDEN', message });
    }
    const anonymous = callerAs({ ...principalFor('viewer', '21'), kind: 'anonymous', actor: 'anonymous', username: null });
    expect((await anonymous.scenario.get({ id: saved.id })).canChange).toBe(false);
    expect(await refusal(anonymous.scenario.save(scenario()))).toEqual({ code: 'FORBIDDEN', message: 'log in to save a scenario' });
    expect(await refusal(anonymous.scenario.remove({ id: saved.id }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refusal(callerAs(null).scenario.list())).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('lets its owner, an administrator or an officer of its area change it; other planners and viewers only read it', async () => {
    const saved = await as('planner', '2101', 'alice').scenario.save(scenario({ name: "alice's" }));
    for (const caller of [as('planner', '2101', 'bob'), as('viewer', SHENHE, 'carol')]) {
      expect((await caller.scenario.get({ id: saved.id })).canChange).toBe(false);
      expect(await refusal(caller.scenario.save({ ...scenario({ name: 'taken over' }), id: saved.id }))).toEqual({
        code: 'FORBIDDEN',
        message: `scenario ${saved.id} belongs to user:alice: only its owner, an administrator or an officer of its area may change it`,
      });
      expect(await refusal(caller.scenario.remove({ id: saved.id }))).toMatchObject({ code: 'FORBIDDEN' });
    }
    expect((await as('planner', '2101', 'alice').scenario.get({ id: saved.id })).name).toBe("alice's");
    const officer = as('street-officer', '210103005');
    // A street officer sees only scenarios about its street or inside it.
    expect(await refusal(officer.scenario.get({ id: saved.id }))).toMatchObject({ code: 'NOT_FOUND' });
    const county = as('county-officer', SHENHE);
    expect((await county.scenario.get({ id: saved.id })).canChange).toBe(true);
    const renamed = await county.scenario.save({ ...scenario({ name: 'reviewed by the county' }), id: saved.id });
    expect(renamed).toMatchObject({ name: 'reviewed by the county', owner: 'user:alice' });
    expect(await as('admin', '2101').scenario.remove({ id: saved.id })).toEqual({ id: saved.id, removed: true });
  });

  it('says when a scenario was saved on an older data version', async () => {
    const old = accounts.store.scenarios.addScenario({ name: 'old build', within: SHENHE, kind: 'health_station', maxMinutes: 15, edits: NO_EDITS, dataVersion: 'an-old-build' }, 'user:test-planner', 1);
    expect(await planner.scenario.get({ id: old.id })).toMatchObject({ stale: true, dataVersion: 'an-old-build' });
    expect((await planner.scenario.list({ within: SHENHE })).find((entry) => entry.id === old.id)).toMatchObject({ stale: true });
    // Saved again, it belongs to the current build.
    expect(await planner.scenario.save({ ...scenario({ edits: NO_EDITS }), id: old.id })).toMatchObject({ stale: false, dataVersion: store.health().dataVersion });
  });
});

describe('scenario.compare', () => {
  it("'base' against 'base': every unit's delta is 0", async () => {
    const result = await planner.scenario.compare({ a: 'base', b: 'base', groupBy: 'street', kind: 'health_station', maxMinutes: 15, within: SHENHE });
    expect(result.units.length).toBe(store.adminChildren(SHENHE).length);
    expect(result.units.every((unit) => unit.delta === 0 && unit.coveredA === unit.coveredB)).toBe(true);
    expect(result.a).toEqual(result.b);
    expect(result.a).toMatchObject({ id: 'base', name: '现状' });
    // The base is coverage.rates' figure for the existing stations.
    const rates = await planner.coverage.rates({ kind: 'health_station', maxMinutes: 15, within: SHENHE, groupBy: 'street' });
    expect(result.population).toBe(rates.reduce((sum, row) => sum + row.population, 0));
    expect(result.a.coveredPopulation).toBe(rates.reduce((sum, row) => sum + row.coveredPopulation, 0));
    expect(await refusal(planner.scenario.compare({ a: 'base', b: 'base', groupBy: 'street' }))).toEqual({ code: 'BAD_REQUEST', message: "kind: required when both sides are 'base'" });
  });

  it('a station added where residents are uncovered: its street gains, the deltas add up, largest first', async () => {
    const gaps = await planner.coverage.gaps({ kind: 'health_station', maxMinutes: 15, within: SHENHE, as: 'points' });
    const worst = [...gaps.features].sort((x, y) => y.properties.uncoveredPopulation - x.properties.uncoveredPopulation)[0]!;
    const lngLat = worst.geometry.coordinates as [number, number];
    const street = worst.properties.code.slice(0, 9);
    const added = await planner.scenario.save(scenario({ name: '新增一站', edits: { ...NO_EDITS, addFacilities: [{ lngLat, source: 'manual' }] } }));
    const result = await planner.scenario.compare({ a: 'base', b: added.id, groupBy: 'street' });
    expect(result).toMatchObject({ kind: 'health_station', maxMinutes: 15, within: SHENHE, groupBy: 'street' });
    expect(result.b).toMatchObject({ id: added.id, name: '新增一站' });
    const unit = result.units.find((entry) => entry.code === street)!;
    expect(unit.delta).toBeGreaterThan(0);
    const deltas = result.units.reduce((sum, entry) => sum + entry.delta, 0);
    expect(deltas).toBeCloseTo(result.b.coveredPopulation - result.a.coveredPopulation, 6);
    expect(result.b.coveredPopulation).toBeGreaterThan(result.a.coveredPopulation);
    for (let k = 1; k < result.units.length; k++) expect(Math.abs(result.units[k]!.delta)).toBeLessThanOrEqual(Math.abs(result.units[k - 1]!.delta));
    for (const entry of result.units) expect(entry.delta).toBe(entry.coveredB - entry.coveredA);
    expect(result.b.coverageRate).toBeCloseTo(result.b.coveredPopulation / result.population, 12);

    // The other way round: the same deltas negated.
    const reversed = await planner.scenario.compare({ a: added.id, b: 'base', groupBy: 'street' });
    expect(reversed.units.find((entry) => entry.code === street)!.delta).toBe(-unit.delta);
    // Against a scenario that also closes a station: both evaluated, per community.
    const closing = await planner.scenario.save(scenario({ name: '新增并关闭', edits: { ...NO_EDITS, addFacilities: [{ lngLat, source: 'manual' }], removeFacilities: [stations[0]!.id] } }));
    const both = await planner.scenario.compare({ a: added.id, b: closing.id, groupBy: 'community' });
    expect(both.a.coveredPopulation).toBe(result.b.coveredPopulation);
    expect(both.b.coveredPopulation).toBeLessThanOrEqual(both.a.coveredPopulation);
    expect(both.units.reduce((sum, entry) => sum + entry.delta, 0)).toBeCloseTo(both.b.coveredPopulation - both.a.coveredPopulation, 6);
  });

  it('network edits too: cutting the streets round a station loses residents, the deltas still add up', async () => {
    const [lng, lat] = stations[0]!.lngLat;
    const d = 0.002;
    const cuts = store.roadEdges([lng - d, lat - d, lng + d, lat + d]).slice(0, SCENARIO_LIMITS.maxLinks).map((edge) => edge.id);
    expect(cuts.length).toBeGreaterThan(3);
    const cut = await planner.scenario.save(scenario({ name: '封路', edits: { ...NO_EDITS, removeLinks: cuts } }));
    const result = await planner.scenario.compare({ a: 'base', b: cut.id, groupBy: 'community' });
    expect(result.b.coveredPopulation).toBeLessThan(result.a.coveredPopulation);
    expect(result.units[0]!.delta).toBeLessThan(0);
    expect(result.units.reduce((sum, entry) => sum + entry.delta, 0)).toBeCloseTo(result.b.coveredPopulation - result.a.coveredPopulation, 6);
  });

  it('refuses scenarios of different kinds, minutes or areas, saying why', async () => {
    const stationsA = await planner.scenario.save(scenario({ name: 'A', edits: NO_EDITS }));
    const stores = await planner.scenario.save(scenario({ name: 'B', kind: 'convenience_store', edits: NO_EDITS }));
    const tenMinutes = await planner.scenario.save(scenario({ name: 'C', maxMinutes: 10, edits: NO_EDITS }));
    const heping = await planner.scenario.save(scenario({ name: 'D', within: HEPING, edits: NO_EDITS }));
    expect(await refusal(planner.scenario.compare({ a: stationsA.id, b: stores.id, groupBy: 'street' }))).toEqual({
      code: 'BAD_REQUEST',
      message: `kind: scenario ${stationsA.id} is for health_station and scenario ${stores.id} for convenience_store; compare scenarios of the same kind`,
    });
    expect(await refusal(planner.scenario.compare({ a: stationsA.id, b: tenMinutes.id, groupBy: 'street' }))).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^maxMinutes: /) });
    expect(await refusal(planner.scenario.compare({ a: stationsA.id, b: heping.id, groupBy: 'street' }))).toEqual({
      code: 'BAD_REQUEST',
      message: `within: scenario ${stationsA.id} is about ${SHENHE} and scenario ${heping.id} about ${HEPING}, neither inside the other`,
    });
    expect(await refusal(planner.scenario.compare({ a: 'base', b: stationsA.id, groupBy: 'street', kind: 'convenience_store' }))).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^kind: /) });
    expect(await refusal(planner.scenario.compare({ a: 'base', b: stationsA.id, groupBy: 'city' as 'county' }))).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^groupBy: /) });
  });

  it("names the scenario and its old data version when its ids no longer fit the data", async () => {
    const old = accounts.store.scenarios.addScenario(
      { name: 'old ids', within: SHENHE, kind: 'health_station', maxMinutes: 15, edits: { ...NO_EDITS, removeFacilities: [999_999_999] }, dataVersion: 'an-old-build' },
      'user:test-planner',
      1,
    );
    const { code, message } = await refusal(planner.scenario.compare({ a: 'base', b: old.id, groupBy: 'street' }));
    expect(code).toBe('BAD_REQUEST');
    expect(message).toContain(`scenario ${old.id} (saved on data version an-old-build, the data is now ${store.health().dataVersion}: its ids may be gone): `);
    expect(message).toContain('999999999');
  });
});
