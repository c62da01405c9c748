// desk.suggestHandlers through createCaller on a writable copy of the test database (Shenyang demo): the
// ranking (grid, community, street, county; the other side's after the own side's at each level), names
// and offices from the store, open loads against a brute-force count over every case, walks against a
// brute-force Dijkstra on the same prepared network, and the refusals.

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appRouter } from '../../../server/routers/app';
import { createCallerFactory } from '../../../server/trpc';
import { SqliteStore } from '../../../server/store/sqlite-store';
import type { Role } from '../../../server/domain/access';
import { DEFAULT_MAX_SNAP_METERS } from '../../../server/domain/travel-limits';
import { handlingUnitOf, type DisputeRecord } from '../../../server/store/dispute-store';
import type { HandlerCandidate } from '../../../server/jobs/desk';
import { bruteForceWalkingMeters } from '../../support/dijkstra';
import { errorOf } from '../../support/trpc-errors';
import { preparedViewsFor, principalFor, testContext } from '../../support/context';
import { openWritableTestCopy, type WritableTestCopy } from '../../support/store';

let copy: WritableTestCopy;
let store: SqliteStore;
let now: number;
const createCaller = createCallerFactory(appRouter);
const callerAs = (role: Role, jurisdiction = '21') => createCaller(testContext(store, { principal: principalFor(role, jurisdiction), now: () => now }));
const CITY = '2101';

beforeAll(() => {
  copy = openWritableTestCopy('atlas-suggest-');
  store = copy.store;
  now = inject('testDemo').nowMs!;
});

afterAll(() => copy.close());

/** Every case of the city, read once (these tests write nothing). */
let cached: DisputeRecord[] | null = null;
const allCases = (): DisputeRecord[] => (cached ??= store.disputes.list({ withinCode: CITY, limit: 10_000_000 }));
/** A case placed in a grid, open, not near a boundary line. */
const inlandCase = (): DisputeRecord => allCases().find((d) => d.placeCode.length === 15 && d.otherSideCode === null && d.status === 'reported')!;
/** A case placed in a grid near a boundary line with a street of another county. */
const boundaryCase = (): DisputeRecord =>
  allCases().find((d) => d.placeCode.length === 15 && d.otherSideCode !== null && d.otherSideCode.slice(0, 6) !== d.placeCode.slice(0, 6) && d.status === 'reported')!;

/** The open load by its definition, over every case: in hand at the unit at its level, visible in `visibleIn`. */
function bruteLoad(unitCode: string, level: string, visibleIn: string): number {
  return allCases().filter(
    (d) =>
      ['assigned', 'accepted', 'handled'].includes(d.status) &&
      d.handlingLevel === level &&
      (handlingUnitOf(d) === unitCode || d.jointUnit === unitCode) &&
      (d.placeCode.startsWith(visibleIn) || (d.otherSideCode ?? '').startsWith(visibleIn)),
  ).length;
}

describe('desk.suggestHandlers', () => {
  it('ranks the grid, community, street and county of an inland case, each with its office, load and walk', async () => {
    const dispute = inlandCase();
    const candidates = await callerAs('city-officer', CITY).desk.suggestHandlers({ id: dispute.id });
    const place = dispute.placeCode;
    expect(candidates.map((c) => [c.unitCode, c.kind, c.level, c.side])).toEqual([
      [place, 'grid', 'grid', 'own'],
      [place.slice(0, 12), 'community', 'community', 'own'],
      [place.slice(0, 9), 'street', 'street', 'own'],
      [place.slice(0, 6), 'county', 'county', 'own'],
    ]);
    const grid = store.gridRecords({ withinCode: place }).find((g) => g.code === place)!;
    expect(candidates[0]).toMatchObject({ name: grid.name, office: { lngLat: grid.labelLngLat, source: 'grid-label' }, assignable: true });
    for (const candidate of candidates.slice(1)) {
      expect(candidate.name).toBe(store.adminUnit(candidate.unitCode)!.name);
      const kind = candidate.kind === 'community' ? 'governance_workstation' : 'governance_center';
      const facility = store.facilities({ withinCode: candidate.unitCode, kinds: [kind] }).find((f) => f.unitCode === candidate.unitCode);
      // The office is the unit's workstation or centre where the data has one, else its label point.
      expect(candidate.office.source).toBe(facility ? kind : 'unit-label');
      if (facility) expect(candidate.office).toMatchObject({ lngLat: facility.lngLat, name: facility.name });
    }
    for (const candidate of candidates) expect(candidate.openCases).toBe(bruteLoad(candidate.unitCode, candidate.level, CITY));
    expect(candidates.some((c) => c.openCases > 0)).toBe(true);
  });

  it('walks from the place to each office as a brute-force Dijkstra does on the same network', async () => {
    const network = preparedViewsFor(store).network!;
    let compared = 0;
    for (const dispute of [inlandCase(), boundaryCase(), ...allCases().filter((d) => d.placeCode.length === 15).slice(0, 3)]) {
      const candidates: HandlerCandidate[] = await callerAs('province-officer').desk.suggestHandlers({ id: dispute.id });
      const oracle = bruteForceWalkingMeters(network.graph, network.snapper, dispute.lngLat, new Float64Array(candidates.flatMap((c) => c.office.lngLat)), DEFAULT_MAX_SNAP_METERS);
      candidates.forEach((candidate, i) => {
        if (candidate.walkingMeters === null) {
          expect(Number.isFinite(oracle[i]!) && oracle[i]! < 20_000).toBe(false);
        } else {
          expect(Math.abs(candidate.walkingMeters - oracle[i]!)).toBeLessThanOrEqual(0.5);
          compared++;
        }
      });
      // Nearer offices first is not the ranking (levels are), but the grid's label point is never a county seat away.
      expect(candidates[0]!.walkingMeters ?? 0).toBeLessThan(20_000);
    }
    expect(compared).toBeGreaterThanOrEqual(15);
  });

  it("lists the other side's units of a boundary case after its own at each level", async () => {
    const dispute = boundaryCase();
    const across = dispute.otherSideCode!;
    const candidates = await callerAs('city-officer', CITY).desk.suggestHandlers({ id: dispute.id });
    expect(candidates.map((c) => `${c.side}:${c.kind}`)).toEqual(['own:grid', 'other:grid', 'own:community', 'other:community', 'own:street', 'other:street', 'own:county', 'other:county']);
    const other = candidates.filter((c) => c.side === 'other');
    expect(other.map((c) => c.unitCode)).toEqual([other[0]!.unitCode, other[0]!.unitCode.slice(0, 12), across, across.slice(0, 6)]);
    expect(other[0]!.unitCode.startsWith(across)).toBe(true);
    // The other side's grid is its grid nearest the place (straight line to the label point).
    const grids = store.gridRecords({ withinCode: across });
    const distance = (g: (typeof grids)[number]) => Math.hypot((g.labelLngLat[0] - dispute.lngLat[0]) * Math.cos((dispute.lngLat[1] * Math.PI) / 180), g.labelLngLat[1] - dispute.lngLat[1]);
    expect(other[0]!.unitCode).toBe([...grids].sort((a, b) => distance(a) - distance(b))[0]!.code);
  });

  it("marks what a street officer may not choose (the county, the other side's units) and counts only cases it sees", async () => {
    const dispute = boundaryCase();
    const street = dispute.placeCode.slice(0, 9);
    const candidates = await callerAs('street-officer', street).desk.suggestHandlers({ id: dispute.id });
    for (const candidate of candidates) {
      expect(candidate.assignable).toBe(candidate.unitCode.startsWith(street));
      expect(candidate.openCases).toBe(bruteLoad(candidate.unitCode, candidate.level, street));
    }
    expect(candidates.filter((c) => c.assignable).map((c) => c.kind)).toEqual(['grid', 'community', 'street']);
  });

  it('refuses roles that do not assign, and answers NOT_FOUND for a case that is missing or not visible', async () => {
    const dispute = inlandCase();
    const refuse = async (role: Role, jurisdiction: string, id: number) => errorOf(callerAs(role, jurisdiction).desk.suggestHandlers({ id }));
    expect((await refuse('viewer', CITY, dispute.id)).code).toBe('FORBIDDEN');
    expect((await refuse('grid-worker', dispute.placeCode.slice(0, 12), dispute.id)).code).toBe('FORBIDDEN');
    expect((await refuse('planner', CITY, dispute.id)).code).toBe('FORBIDDEN');
    expect((await refuse('kiosk', CITY, dispute.id)).code).toBe('FORBIDDEN');
    const missing = await refuse('city-officer', CITY, 999_999_999);
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: 'id: no dispute 999999999' });
    const elsewhere = await refuse('city-officer', '2102', dispute.id);
    expect(elsewhere).toMatchObject({ code: 'NOT_FOUND', message: `id: no dispute ${dispute.id}` });
    // Seen across the boundary line, but assigned by its own side.
    const boundary = boundaryCase();
    expect((await refuse('county-officer', boundary.otherSideCode!.slice(0, 6), boundary.id)).code).toBe('FORBIDDEN');
    await expect(callerAs('city-officer', CITY).desk.suggestHandlers({ id: -1 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(callerAs('city-officer', CITY).desk.suggestHandlers({ id: 1, extra: 1 } as never)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
