// Assigning a case to a chosen handler (events.transition with handlerUnit, joint) through createCaller on
// a writable copy of the test database: the level follows the unit, the unit is kept on the case and the
// step and moves up with an escalation; joint mediation of a boundary case is recorded for both sides and
// counted in both sides' queues, loads and per-unit statistics (once in the KPIs); bad choices are refused
// with BAD_REQUEST and write nothing.

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appRouter } from '../../../server/routers/app';
import { createCallerFactory } from '../../../server/trpc';
import { SqliteStore } from '../../../server/store/sqlite-store';
import type { Role } from '../../../server/domain/access';
import { MS_PER_DAY } from '../../../server/domain/china-time';
import type { DisputeRecord } from '../../../server/store/dispute-store';
import { errorOf } from '../../support/trpc-errors';
import { principalFor, testContext } from '../../support/context';
import { openWritableTestCopy, type WritableTestCopy } from '../../support/store';

let copy: WritableTestCopy;
let store: SqliteStore;
let now: number;
const createCaller = createCallerFactory(appRouter);
const callerAs = (role: Role, jurisdiction = '21') => createCaller(testContext(store, { principal: principalFor(role, jurisdiction), now: () => now }));
const CITY = '2101';
const city = () => callerAs('city-officer', CITY);

beforeAll(() => {
  copy = openWritableTestCopy('atlas-assign-');
  store = copy.store;
  now = inject('testDemo').nowMs! + 3_600_000;
});

afterAll(() => copy.close());

const used = new Set<number>();
/** A case of the city not used by another test yet, matching `keep`. */
function pick(keep: (dispute: DisputeRecord) => boolean): DisputeRecord {
  const found = store.disputes.list({ withinCode: CITY, limit: 10_000_000 }).find((d) => !used.has(d.id) && d.placeCode.length === 15 && keep(d));
  if (!found) throw new Error('no such case in the test data');
  used.add(found.id);
  return found;
}
/** A new case reported at the place of a case of the data matching `keep` (the same grid and other side). */
async function reportedLike(keep: (dispute: DisputeRecord) => boolean): Promise<DisputeRecord> {
  const template = pick(keep);
  const { id } = await city().events.report({ lngLat: template.lngLat, type: template.type, source: template.source, severity: template.severity });
  const dispute = store.disputes.get(id)!.dispute;
  expect([dispute.placeCode, dispute.otherSideCode]).toEqual([template.placeCode, template.otherSideCode]);
  return dispute;
}
const reportedInland = () => reportedLike((d) => d.otherSideCode === null);
/** A reported case near a boundary line with a street of another county. */
const reportedAcrossCounties = () => reportedLike((d) => d.otherSideCode !== null && d.otherSideCode.slice(0, 6) !== d.placeCode.slice(0, 6));

const stepsOf = (id: number) => store.disputes.get(id)!.history;

describe('events.transition with a handlerUnit', () => {
  it("assigns to the case's community: the level becomes community, the unit is on the case and the step", async () => {
    const dispute = await reportedInland();
    const community = dispute.placeCode.slice(0, 12);
    const result = await city().events.transition({ id: dispute.id, action: 'assign', version: dispute.version, handlerUnit: community });
    expect(result).toMatchObject({ status: 'assigned', handlingLevel: 'community', handlerUnit: community, jointUnit: null, version: dispute.version + 1 });
    expect(result.step).toMatchObject({ action: 'assign', handlingLevel: 'community', handlerUnit: community, jointUnit: null });
    expect(store.disputes.get(dispute.id)!.dispute).toMatchObject({ handlingLevel: 'community', handlerUnit: community });
    // It counts in the community's open load at community level, not in the grid's.
    expect(store.disputes.openLoad([{ unitCode: community, level: 'community' }], community)).toEqual([
      store.disputes.list({ withinCode: community, limit: 1_000_000 }).filter((d) => ['assigned', 'accepted', 'handled'].includes(d.status) && d.handlingLevel === 'community').length,
    ]);
    // An escalation hands it to the street holding the community.
    await city().events.transition({ id: dispute.id, action: 'accept', version: dispute.version + 1 });
    const escalated = await city().events.transition({ id: dispute.id, action: 'escalate', version: dispute.version + 2 });
    expect(escalated).toMatchObject({ handlingLevel: 'street', handlerUnit: dispute.placeCode.slice(0, 9) });
    expect(escalated.step.handlerUnit).toBe(dispute.placeCode.slice(0, 9));
  });

  it('reopens a closed case to its street: assigned at street level, resolved level cleared', async () => {
    const dispute = pick((d) => d.status === 'closed' && d.otherSideCode === null);
    const street = dispute.placeCode.slice(0, 9);
    const result = await city().events.transition({ id: dispute.id, action: 'reopen', version: dispute.version, handlerUnit: street, note: '复查不满意' });
    expect(result).toMatchObject({ status: 'assigned', handlingLevel: 'street', handlerUnit: street, resolvedLevel: null, closedAt: null });
  });

  it("hands a boundary case to the other side's grid (side other): level grid", async () => {
    const dispute = await reportedAcrossCounties();
    const [, otherGrid] = (await city().desk.suggestHandlers({ id: dispute.id })).filter((c) => c.kind === 'grid');
    expect(otherGrid).toMatchObject({ side: 'other', assignable: true });
    const result = await city().events.transition({ id: dispute.id, action: 'assign', version: dispute.version, handlerUnit: otherGrid!.unitCode });
    expect(result).toMatchObject({ handlingLevel: 'grid', handlerUnit: otherGrid!.unitCode, jointUnit: null });
  });

  it('records joint mediation for both sides: queues, loads and per-unit statistics of both, KPIs once', async () => {
    const dispute = await reportedAcrossCounties();
    const [own, across] = [dispute.placeCode.slice(0, 9), dispute.otherSideCode!];
    const period = { within: CITY, from: dispute.reportedAt - MS_PER_DAY, to: dispute.reportedAt + MS_PER_DAY };
    const byStreet = async () => new Map((await city().events.stats({ ...period, groupBy: 'unit', unitLevel: 'street' })).rows.map((row) => [row.key, row.count]));
    const byType = async () => (await city().events.stats({ ...period, groupBy: 'type' })).rows.reduce((sum, row) => sum + row.count, 0);
    const [streetsBefore, typesBefore, kpisBefore] = [await byStreet(), await byType(), await city().events.kpis(period)];
    const loadBefore = store.disputes.openLoad([{ unitCode: own, level: 'street' }, { unitCode: across, level: 'street' }], CITY);

    const result = await city().events.transition({ id: dispute.id, action: 'assign', version: dispute.version, handlerUnit: own, joint: true });
    expect(result).toMatchObject({ handlingLevel: 'street', handlerUnit: own, jointUnit: across });
    expect(result.step).toMatchObject({ handlerUnit: own, jointUnit: across });

    // Both sides' queues hold it (the other side sees the boundary case), at street level.
    for (const [role, unit] of [['street-officer', own], ['street-officer', across], ['county-officer', across.slice(0, 6)]] as const) {
      const queue = await callerAs(role, unit).desk.queue({ within: unit, column: 'assigned', levels: ['street'], limit: 500 });
      expect(queue.cases.find((row) => row.id === dispute.id)).toMatchObject({ handlerUnit: own, jointUnit: across, level: 'street' });
    }
    // Both streets' open loads count it.
    expect(store.disputes.openLoad([{ unitCode: own, level: 'street' }, { unitCode: across, level: 'street' }], CITY)).toEqual([loadBefore[0]! + 1, loadBefore[1]! + 1]);
    // Per-unit statistics count it for both streets (groups may sum to more than the cases); other
    // groupings and the KPIs count it once, where it is placed.
    const streetsAfter = await byStreet();
    expect(streetsAfter.get(own)).toBe(streetsBefore.get(own));
    expect(streetsAfter.get(across)).toBe((streetsBefore.get(across) ?? 0) + 1);
    expect(await byType()).toBe(typesBefore);
    expect((await city().events.kpis(period)).current.reported).toBe(kpisBefore.current.reported);

    // Escalated, the joint pair moves up together: both counties (they differ).
    await city().events.transition({ id: dispute.id, action: 'escalate', version: dispute.version + 1 });
    expect(store.disputes.get(dispute.id)!.dispute).toMatchObject({ handlingLevel: 'county', handlerUnit: own.slice(0, 6), jointUnit: across.slice(0, 6) });
  });

  it('pairs a joint community with the community of the nearest grid across the line', async () => {
    const dispute = await reportedAcrossCounties();
    const suggested = await city().desk.suggestHandlers({ id: dispute.id });
    const otherCommunity = suggested.find((c) => c.side === 'other' && c.kind === 'community')!.unitCode;
    const result = await city().events.transition({ id: dispute.id, action: 'assign', version: dispute.version, handlerUnit: dispute.placeCode.slice(0, 12), joint: true });
    expect(result).toMatchObject({ handlingLevel: 'community', jointUnit: otherCommunity });
  });

  it('refuses a handler outside reach with BAD_REQUEST and writes nothing', async () => {
    const dispute = await reportedInland();
    const boundary = await reportedAcrossCounties();
    const sameCounty = await reportedLike((d) => d.otherSideCode !== null && d.otherSideCode.slice(0, 6) === d.placeCode.slice(0, 6));
    const street = dispute.placeCode.slice(0, 9);
    const otherStreet = store.adminChildren(dispute.placeCode.slice(0, 6)).find((unit) => unit.code !== street)!.code;
    const before = { version: store.disputes.get(dispute.id)!.dispute.version, steps: stepsOf(dispute.id).length, seq: store.disputes.lastSeq() };
    const attempts: [Role, string, Record<string, unknown>, RegExp][] = [
      ['city-officer', CITY, { handlerUnit: otherStreet }, /cannot go to/],
      ['city-officer', CITY, { handlerUnit: `${dispute.placeCode.slice(0, 12)}999` }, /no grid/],
      ['city-officer', CITY, { handlerUnit: '2101' }, /county \(6 digits\)/],
      ['city-officer', CITY, { handlerUnit: street, joint: true }, /no otherSideCode/],
      ['city-officer', CITY, { joint: true }, /joint needs a handlerUnit/],
      ['street-officer', street, { handlerUnit: dispute.placeCode.slice(0, 6) }, /outside your jurisdiction/],
    ];
    for (const [role, jurisdiction, extra, message] of attempts) {
      const error = await errorOf(callerAs(role, jurisdiction).events.transition({ id: dispute.id, action: 'assign', version: before.version, ...extra }));
      expect(error.code, JSON.stringify(extra)).toBe('BAD_REQUEST');
      expect(error.message).toMatch(message);
    }
    // Only assign and reopen choose a handler.
    const accept = await errorOf(city().events.transition({ id: dispute.id, action: 'accept', version: before.version, handlerUnit: street }));
    expect(accept).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/only assign and reopen/) });
    // The other side's units are beyond a street officer of the case's own street.
    const ownStreet = boundary.placeCode.slice(0, 9);
    const across = await errorOf(callerAs('street-officer', ownStreet).events.transition({ id: boundary.id, action: 'assign', version: boundary.version, handlerUnit: boundary.otherSideCode! }));
    expect(across).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/outside your jurisdiction/) });
    // A county pair is no pair when both sides lie in one county.
    const county = await errorOf(city().events.transition({ id: sameCounty.id, action: 'assign', version: sameCounty.version, handlerUnit: sameCounty.placeCode.slice(0, 6), joint: true }));
    expect(county).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^joint: /) });
    expect({ version: store.disputes.get(dispute.id)!.dispute.version, steps: stepsOf(dispute.id).length, seq: store.disputes.lastSeq() }).toEqual(before);
    expect(store.disputes.get(boundary.id)!.dispute).toMatchObject({ status: 'reported', handlerUnit: null });
  });

  it('keeps the workflow rules: a grid worker may not assign, illegal steps are refused before any handler is stored', async () => {
    const dispute = await reportedInland();
    const worker = await errorOf(callerAs('grid-worker', dispute.placeCode.slice(0, 12)).events.transition({ id: dispute.id, action: 'assign', version: dispute.version, handlerUnit: dispute.placeCode }));
    expect(worker.code).toBe('FORBIDDEN');
    const closed = pick((d) => d.status === 'closed' && d.otherSideCode === null);
    const illegal = await errorOf(city().events.transition({ id: closed.id, action: 'assign', version: closed.version, handlerUnit: closed.placeCode }));
    expect(illegal).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/cannot assign a case that is closed/) });
    expect(store.disputes.get(closed.id)!.dispute).toMatchObject({ status: 'closed', handlerUnit: null, version: closed.version });
  });
});
