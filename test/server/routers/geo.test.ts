// geo.* through createCaller on the test database: admin units, the admin tree, boundary lines, and
// the errors bad input gets (BAD_REQUEST naming the field, NOT_FOUND for unknown codes).

import type { Geometry, Position } from 'geojson';
import { ZodError } from 'zod';
import { afterAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../../server/routers/app';
import { createCallerFactory, describeZodError } from '../../../server/trpc';
import { openTestStore } from '../../support/store';
import { errorOf } from '../../support/trpc-errors';
import { bboxOf, linePaths, type BBox } from '../helpers/geometry';
import { testContext } from '../../support/context';

const store = openTestStore();
const caller = createCallerFactory(appRouter)(testContext(store));

afterAll(() => store.close());

const SHENYANG_COUNTIES = [
  '210102', '210103', '210104', '210105', '210106', '210111', '210112',
  '210113', '210114', '210115', '210123', '210124', '210181',
];

function positionsOf(geometry: Geometry): Position[] {
  switch (geometry.type) {
    case 'MultiPolygon':
      return geometry.coordinates.flat(2);
    case 'Polygon':
      return geometry.coordinates.flat();
    case 'LineString':
    case 'MultiLineString':
      return linePaths(geometry).flat();
    default:
      throw new Error(`unexpected ${geometry.type}`);
  }
}

const boxesMeet = (a: BBox, b: BBox): boolean => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/** The error a call rejects with. */

/** A BAD_REQUEST whose zod issues name `field` or an element of it (on the wire: "Invalid input: <field>: …"). */
async function expectBadRequest(call: Promise<unknown>, field: string): Promise<void> {
  const error = await errorOf(call);
  expect(error.code).toBe('BAD_REQUEST');
  expect(error.cause).toBeInstanceOf(ZodError);
  expect(describeZodError(error.cause as ZodError)).toMatch(new RegExp(`^${field}(\\.\\d+)?: `));
}

describe('geo.adminUnits', () => {
  it('returns the 100 counties with unique codes, census populations and the public properties', async () => {
    const counties = await caller.geo.adminUnits({ level: 'county' });
    expect(counties.type).toBe('FeatureCollection');
    expect(counties.features).toHaveLength(100);
    const codes = counties.features.map((f) => f.properties.code);
    expect(new Set(codes).size).toBe(100);
    expect(codes).toEqual([...codes].sort());
    expect(counties.features.reduce((sum, f) => sum + f.properties.population!, 0)).toBe(42_591_407);
    for (const feature of counties.features) {
      expect(feature.id).toBe(feature.properties.code);
      expect(Object.keys(feature.properties).sort()).toEqual(
        ['childCount', 'code', 'labelLngLat', 'level', 'name', 'parentCode', 'population', 'urbanShare'],
      );
      expect(feature.properties.level).toBe('county');
      expect(feature.properties.code).toMatch(/^21\d{4}$/);
      expect(feature.properties.parentCode).toBe(feature.properties.code.slice(0, 4));
      expect(feature.geometry.type).toBe('MultiPolygon');
      const [minLng, minLat, maxLng, maxLat] = bboxOf(positionsOf(feature.geometry));
      expect(minLng).toBeGreaterThanOrEqual(118.8);
      expect(maxLng).toBeLessThanOrEqual(125.8);
      expect(minLat).toBeGreaterThanOrEqual(38.7);
      expect(maxLat).toBeLessThanOrEqual(43.5);
    }
  });

  it('returns one province and 14 cities, each city\'s population the sum of its counties', async () => {
    const [province, cities, counties] = await Promise.all([
      caller.geo.adminUnits({ level: 'province' }),
      caller.geo.adminUnits({ level: 'city' }),
      caller.geo.adminUnits({ level: 'county' }),
    ]);
    expect(province.features.map((f) => [f.properties.code, f.properties.population, f.properties.childCount])).toEqual([
      ['21', 42_591_407, 14],
    ]);
    expect(cities.features).toHaveLength(14);
    for (const city of cities.features) {
      const own = counties.features.filter((f) => f.properties.parentCode === city.properties.code);
      expect(city.properties.childCount).toBe(own.length);
      expect(city.properties.population).toBe(own.reduce((sum, f) => sum + f.properties.population!, 0));
    }
  });

  it('returns the 13 Shenyang counties for parent 2101, also given as a padded 12-digit code', async () => {
    const shenyang = await caller.geo.adminUnits({ level: 'county', parent: '2101' });
    expect(shenyang.features.map((f) => f.properties.code)).toEqual(SHENYANG_COUNTIES);
    const padded = await caller.geo.adminUnits({ level: 'county', parent: '210100000000' });
    expect(padded).toEqual(shenyang);
    const cities = await caller.geo.adminUnits({ level: 'city', parent: '21' });
    expect(cities.features).toHaveLength(14);
    // "Inside 2101" does not include 2101 itself.
    expect((await caller.geo.adminUnits({ level: 'city', parent: '2101' })).features).toHaveLength(0);
  });

  it('returns exactly the units whose bounding box meets the bbox', async () => {
    const bbox: BBox = [123.3, 41.7, 123.5, 41.9];
    const [all, inBox] = await Promise.all([
      caller.geo.adminUnits({ level: 'county' }),
      caller.geo.adminUnits({ level: 'county', bbox }),
    ]);
    const expected = all.features.filter((f) => boxesMeet(bboxOf(positionsOf(f.geometry)), bbox)).map((f) => f.properties.code);
    expect(inBox.features.map((f) => f.properties.code)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(3);
    expect(expected.length).toBeLessThan(20);
    const withParent = await caller.geo.adminUnits({ level: 'county', bbox: [121, 38.7, 125.8, 43.5], parent: '2101' });
    expect(withParent.features.map((f) => f.properties.code)).toEqual(SHENYANG_COUNTIES);
  });

  it('serves far fewer coordinates at zoom 5 than at full detail, for every unit', async () => {
    const [full, coarse] = await Promise.all([
      caller.geo.adminUnits({ level: 'county' }),
      caller.geo.adminUnits({ level: 'county', zoom: 5 }),
    ]);
    expect(coarse.features.map((f) => f.properties.code)).toEqual(full.features.map((f) => f.properties.code));
    const count = (fc: typeof full) => fc.features.reduce((sum, f) => sum + positionsOf(f.geometry).length, 0);
    expect(count(coarse)).toBeLessThan(count(full) / 10);
    const explicitFull = await caller.geo.adminUnits({ level: 'county', zoom: 12 });
    expect(count(explicitFull)).toBe(count(full));
  });
});

describe('geo.adminTree', () => {
  it('lists the 11 streets of 沈河区 with its ancestors, province first', async () => {
    const tree = await caller.geo.adminTree({ code: '210103' });
    expect(tree).toMatchObject({ code: '210103', name: '沈河区', level: 'county', parentCode: '2101', childCount: 11 });
    expect(tree.ancestors).toEqual([
      { code: '21', name: '辽宁省', level: 'province' },
      { code: '2101', name: '沈阳市', level: 'city' },
    ]);
    expect(tree.children).toHaveLength(11);
    for (const child of tree.children) {
      expect(child.level).toBe('street');
      expect(child.code).toMatch(/^210103\d{3}$/);
      expect(Object.keys(child).sort()).toEqual(['childCount', 'code', 'level', 'name', 'population']);
    }
    expect(tree.children.reduce((sum, child) => sum + child.childCount, 0)).toBeGreaterThan(0);
  });

  it('reads a 12-digit padded code as the unit it pads', async () => {
    expect(await caller.geo.adminTree({ code: '210103000000' })).toEqual(await caller.geo.adminTree({ code: '210103' }));
    expect((await caller.geo.adminTree({ code: '210000000000' })).code).toBe('21');
  });

  it('goes from the province (no ancestors, 14 cities) down to a community (4 ancestors, no children)', async () => {
    const province = await caller.geo.adminTree({ code: '21' });
    expect(province.ancestors).toEqual([]);
    expect(province.children.map((c) => c.level)).toEqual(Array(14).fill('city'));
    const street = (await caller.geo.adminTree({ code: '210103' })).children[0]!;
    const community = (await caller.geo.adminTree({ code: street.code })).children[0]!;
    const leaf = await caller.geo.adminTree({ code: community.code });
    expect(leaf.level).toBe('community');
    expect(leaf.ancestors.map((a) => a.code)).toEqual(['21', '2101', '210103', street.code]);
    expect(leaf.children).toEqual([]);
  });
});

describe('geo.boundaryLines', () => {
  it('returns county lines with a side in 2101, including those along the city\'s edge', async () => {
    const [all, within] = await Promise.all([
      caller.geo.boundaryLines({ level: 'county' }),
      caller.geo.boundaryLines({ level: 'county', within: '2101' }),
    ]);
    const inShenyang = (code: string | null) => code !== null && code.startsWith('2101');
    const expected = all.features.filter((f) => inShenyang(f.properties.leftCode) || inShenyang(f.properties.rightCode));
    expect(within.features.map((f) => f.id)).toEqual(expected.map((f) => f.id));
    expect(within.features.length).toBeGreaterThan(20);
    expect(within.features.some((f) => !inShenyang(f.properties.leftCode) || !inShenyang(f.properties.rightCode))).toBe(true);
    for (const feature of within.features) {
      expect(feature.properties.level).toBe('county');
      expect(feature.properties.leftCode).not.toBe(feature.properties.rightCode);
      expect(['LineString', 'MultiLineString']).toContain(feature.geometry.type);
      expect(Object.keys(feature.properties).sort()).toEqual(
        [
          'agreementSigned',
          'agreementSignedOn',
          'id',
          'jointMediation',
          'lastJointPatrol',
          'leftCode',
          'leftName',
          'lengthMeters',
          'level',
          'rightCode',
          'rightName',
        ],
      );
      expect(feature.properties.lengthMeters).toBeGreaterThan(0);
    }
  });

  it('returns every level without a level, and the province\'s outer edge with no right side', async () => {
    const all = await caller.geo.boundaryLines({});
    const byLevel = (level: string) => all.features.filter((f) => f.properties.level === level);
    expect(byLevel('county')).toHaveLength(245);
    expect(byLevel('city')).toHaveLength(28);
    expect(byLevel('province').map((f) => f.properties)).toMatchObject([
      { leftCode: '21', leftName: '辽宁省', rightCode: null, rightName: null },
    ]);
    // Street lines exist where streets were generated (the test database's scope, Shenyang).
    const streetLines = byLevel('street');
    expect(streetLines.length).toBeGreaterThan(100);
    expect(streetLines.every((f) => f.properties.leftCode.startsWith('2101') && f.properties.rightCode!.startsWith('2101'))).toBe(true);
    expect(all.features).toHaveLength(245 + 28 + 1 + streetLines.length);
  });

  it('returns exactly the lines whose bounding box meets the bbox', async () => {
    const bbox: BBox = [121.5, 40.5, 122, 41];
    const [all, inBox] = await Promise.all([
      caller.geo.boundaryLines({ level: 'city' }),
      caller.geo.boundaryLines({ level: 'city', bbox }),
    ]);
    const expected = all.features.filter((f) => boxesMeet(bboxOf(positionsOf(f.geometry)), bbox)).map((f) => f.id);
    expect(inBox.features.map((f) => f.id)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.features.length);
  });
});

describe('geo input errors', () => {
  it('rejects an unknown level as BAD_REQUEST naming level', async () => {
    await expectBadRequest(caller.geo.adminUnits({ level: 'planet' } as never), 'level');
    await expectBadRequest(caller.geo.adminUnits({ level: 'village' } as never), 'level');
    await expectBadRequest(caller.geo.boundaryLines({ level: 'planet' } as never), 'level');
  });

  it('rejects a bbox with min > max, or out of range, as BAD_REQUEST naming bbox', async () => {
    await expectBadRequest(caller.geo.adminUnits({ level: 'county', bbox: [124, 41, 123, 42] }), 'bbox');
    await expectBadRequest(caller.geo.adminUnits({ level: 'county', bbox: [123, 42, 124, 41] }), 'bbox');
    await expectBadRequest(caller.geo.boundaryLines({ bbox: [123, 41, 200, 42] }), 'bbox');
    await expectBadRequest(caller.geo.boundaryLines({ bbox: [123, 41, 124] } as never), 'bbox');
  });

  it('rejects a zoom outside 0–24 as BAD_REQUEST naming zoom', async () => {
    await expectBadRequest(caller.geo.adminUnits({ level: 'county', zoom: 25 }), 'zoom');
    await expectBadRequest(caller.geo.boundaryLines({ zoom: -1 }), 'zoom');
  });

  it('rejects unknown keys', async () => {
    const error = await errorOf(caller.geo.adminUnits({ level: 'county', colour: 'red' } as never));
    expect(error.code).toBe('BAD_REQUEST');
    expect(describeZodError(error.cause as ZodError)).toContain('colour');
    expect((await errorOf(caller.geo.adminTree({ code: '21', depth: 2 } as never))).code).toBe('BAD_REQUEST');
  });

  it('rejects codes that are not digits or of no level\'s length as BAD_REQUEST naming the field', async () => {
    await expectBadRequest(caller.geo.adminTree({ code: '21O103' }), 'code');
    await expectBadRequest(caller.geo.adminTree({ code: '21010' }), 'code');
    await expectBadRequest(caller.geo.adminUnits({ level: 'county', parent: 'shenyang' }), 'parent');
    await expectBadRequest(caller.geo.boundaryLines({ within: '2101x' }), 'within');
  });

  it('answers NOT_FOUND, naming the field, for well-formed codes of no unit inside the jurisdiction, FORBIDDEN outside it', async () => {
    const outside = await errorOf(caller.geo.adminTree({ code: '999999' }));
    expect(outside.code).toBe('FORBIDDEN');
    expect(outside.message).toBe('code: 999999 is outside your jurisdiction (21)');
    for (const [call, field] of [
      [caller.geo.adminTree({ code: '219999' }), 'code'],
      [caller.geo.adminUnits({ level: 'county', parent: '2199' }), 'parent'],
      [caller.geo.boundaryLines({ within: '219999' }), 'within'],
    ] as const) {
      const error = await errorOf(call);
      expect(error.code).toBe('NOT_FOUND');
      expect(error.message).toMatch(new RegExp(`^${field}: `));
    }
  });
});
