// The database built from the real Liaoning sources, read through the store: census roll-up, county
// polygons (valid, noded, in range) and the boundary lines derived from them, checked exactly against a
// brute-force count of polygon segments (each segment keyed by its exact coordinates).

import type { MultiPolygon, Position } from 'geojson';
import * as turf from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FULL_DETAIL_BAND, bandForZoom } from '../../../server/domain/zoom-bands';
import type { AdminUnitShape, BoundaryLineShape } from '../../../server/store/atlas-store';
import type { SqliteStore } from '../../../server/store/sqlite-store';
import { openTestStore } from '../../support/store';
import {
  bboxContains,
  bboxOf,
  findSegmentConflicts,
  linePaths,
  planarArea,
  pointInMultiPolygon,
  positionKey,
  probeBeside,
  ringArea,
  runsForward,
  segmentKey,
  segmentsOf,
  type BBox,
} from '../helpers/geometry';

const LIAONING_POPULATION_2020 = 42_591_407;
const LIAONING_BOX = { minLng: 118.8, maxLng: 125.8, minLat: 38.7, maxLat: 43.5 };
/** Probe offset beside a segment, degrees (about 1 cm; stored coordinates are 1e-6 apart at least). */
const PROBE = 1e-7;

/** The counties that use an undirected segment, each with the direction it runs in. */
interface SegmentUse {
  code: string;
  forward: boolean;
}

let store: SqliteStore;
let counties: AdminUnitShape[];
let cities: AdminUnitShape[];
let province: AdminUnitShape;
let lines: BoundaryLineShape[];
let countyBoxes: BBox[];
let usesBySegment: Map<string, SegmentUse[]>;
let endpointsBySegment: Map<string, [Position, Position]>;

function segmentUses(units: readonly AdminUnitShape[]): { uses: Map<string, SegmentUse[]>; endpoints: Map<string, [Position, Position]> } {
  const uses = new Map<string, SegmentUse[]>();
  const endpoints = new Map<string, [Position, Position]>();
  for (const unit of units) {
    for (const ring of unit.geometry.coordinates.flat()) {
      for (const [a, b] of segmentsOf(ring)) {
        const key = segmentKey(a, b);
        const list = uses.get(key);
        const use = { code: unit.code, forward: runsForward(a, b) };
        if (list) list.push(use);
        else {
          uses.set(key, [use]);
          endpoints.set(key, [a, b]);
        }
      }
    }
  }
  return { uses, endpoints };
}

/** Codes of the counties whose full-detail polygon holds the point. */
function countiesAt(point: Position): string[] {
  const codes: string[] = [];
  counties.forEach((county, index) => {
    if (bboxContains(countyBoxes[index]!, point) && pointInMultiPolygon(point, county.geometry)) codes.push(county.code);
  });
  return codes;
}

const cityOf = (countyCode: string): string => countyCode.slice(0, 4);

beforeAll(() => {
  store = openTestStore();
  counties = store.adminUnits({ level: 'county', band: FULL_DETAIL_BAND });
  cities = store.adminUnits({ level: 'city', band: FULL_DETAIL_BAND });
  province = store.adminUnits({ level: 'province', band: FULL_DETAIL_BAND })[0]!;
  // The county topology's lines (street lines come from the generated streets and are tested with them).
  lines = store.boundaryLines({ band: FULL_DETAIL_BAND }).filter((line) => line.level !== 'street');
  countyBoxes = counties.map((county) => bboxOf(county.geometry.coordinates.flat(2)));
  ({ uses: usesBySegment, endpoints: endpointsBySegment } = segmentUses(counties));
});

afterAll(() => store.close());

describe('census figures', () => {
  it('has 100 counties whose populations sum to the 2020 census total', () => {
    expect(counties).toHaveLength(100);
    expect(new Set(counties.map((c) => c.code)).size).toBe(100);
    for (const county of counties) expect(Number.isInteger(county.population) && county.population! > 0, county.code).toBe(true);
    expect(counties.reduce((sum, c) => sum + c.population!, 0)).toBe(LIAONING_POPULATION_2020);
    expect(province.population).toBe(LIAONING_POPULATION_2020);
  });

  it('gives each of the 14 cities the sum of its counties\' populations', () => {
    expect(cities).toHaveLength(14);
    for (const city of cities) {
      const own = counties.filter((c) => c.parentCode === city.code);
      expect(own.length, city.code).toBeGreaterThan(0);
      expect(city.population, city.code).toBe(own.reduce((sum, c) => sum + c.population!, 0));
    }
  });
});

describe('county polygons at full detail', () => {
  it('have every coordinate inside Liaoning\'s box, with at most 6 decimals', () => {
    const outside: string[] = [];
    const tooPrecise: string[] = [];
    const positions = [...counties, ...cities, province].flatMap((u) => u.geometry.coordinates.flat(2));
    positions.push(...lines.flatMap((line) => linePaths(line.geometry).flat()));
    for (const [lng, lat] of positions) {
      if (!(lng! >= LIAONING_BOX.minLng && lng! <= LIAONING_BOX.maxLng && lat! >= LIAONING_BOX.minLat && lat! <= LIAONING_BOX.maxLat)) {
        outside.push(`${lng},${lat}`);
      }
      if (Number(lng!.toFixed(6)) !== lng || Number(lat!.toFixed(6)) !== lat) tooPrecise.push(`${lng},${lat}`);
    }
    expect(positions.length).toBeGreaterThan(100_000);
    expect(outside).toEqual([]);
    expect(tooPrecise).toEqual([]);
  });

  it('are valid part by part (turf booleanValid) and wound per RFC 7946, without repeated vertices', () => {
    const problems: string[] = [];
    for (const county of counties) {
      county.geometry.coordinates.forEach((polygon, part) => {
        if (!turf.booleanValid(turf.polygon(polygon))) problems.push(`${county.code} part ${part} invalid`);
        polygon.forEach((ring, index) => {
          const area = ringArea(ring);
          if (index === 0 ? !(area > 0) : !(area < 0)) problems.push(`${county.code} part ${part} ring ${index} wound wrongly`);
          for (const [a, b] of segmentsOf(ring)) {
            if (positionKey(a) === positionKey(b)) problems.push(`${county.code} repeats ${positionKey(a)}`);
          }
        });
      });
    }
    expect(problems).toEqual([]);
  });

  it('have no two segments crossing, and no vertex lying inside another segment (the layer is noded)', () => {
    const conflicts = findSegmentConflicts([...endpointsBySegment.values()], 0.02);
    expect(conflicts.properCrossings).toEqual([]);
    expect(conflicts.touchings).toEqual([]);
  });

  it('have a label point inside the unit, for counties and cities', () => {
    const outside = [...counties, ...cities]
      .filter((unit) => !pointInMultiPolygon(unit.labelLngLat, unit.geometry))
      .map((unit) => unit.code);
    expect(outside).toEqual([]);
  });

  it('use each segment at most twice, and then by two different counties in opposite directions', () => {
    const bad = [...usesBySegment.entries()].filter(
      ([, uses]) => uses.length > 2 || (uses.length === 2 && (uses[0]!.code === uses[1]!.code || uses[0]!.forward === uses[1]!.forward)),
    );
    expect(bad).toEqual([]);
  });

  // Fails today (a builder bug): three quantised slivers (~900–4,400 m²) are covered by two counties each,
  // 210104+210105, 210323+210881 and 210381+210882. In the sources a third county (210103, 210283,
  // 210802) winds -1 around each, so the layer as a whole covers them once; rebuilding each county on
  // its own drops that -1 lobe and leaves the double cover, which the topology then treats as outer edge.
  it('do not overlap: nothing lies just right of the province\'s outer edge', () => {
    const outerEdge = lines.filter((line) => line.level === 'province');
    expect(outerEdge).toHaveLength(1);
    const overlaps = new Set<string>();
    let probes = 0;
    for (const path of linePaths(outerEdge[0]!.geometry)) {
      for (const [a, b] of segmentsOf(path)) {
        probes += 1;
        const right = countiesAt(probeBeside(a, b, -1, PROBE));
        if (right.length > 0) overlaps.add(`${right.join('+')} beside ${positionKey(a)}→${positionKey(b)}`);
      }
    }
    expect(probes).toBeGreaterThan(20_000);
    expect([...overlaps]).toEqual([]);
  });
});

describe('boundary lines at full detail', () => {
  /** Line id by directed segment "a;b" as drawn. */
  function directedLineSegments(level: BoundaryLineShape['level']): Map<string, BoundaryLineShape[]> {
    const byDirected = new Map<string, BoundaryLineShape[]>();
    for (const line of lines.filter((l) => l.level === level)) {
      for (const path of linePaths(line.geometry)) {
        for (const [a, b] of segmentsOf(path)) {
          const key = `${positionKey(a)};${positionKey(b)}`;
          byDirected.set(key, [...(byDirected.get(key) ?? []), line]);
        }
      }
    }
    return byDirected;
  }

  it('put every county segment in exactly one county line between its two owners, or on the outer edge', () => {
    const countyLineSegments = directedLineSegments('county');
    const outerSegments = directedLineSegments('province');
    let shared = 0;
    let outer = 0;
    const problems: string[] = [];
    for (const [key, uses] of usesBySegment) {
      const [a, b] = endpointsBySegment.get(key)!;
      const forward = `${positionKey(a)};${positionKey(b)}`;
      const backward = `${positionKey(b)};${positionKey(a)}`;
      const inCountyLines = [...(countyLineSegments.get(forward) ?? []), ...(countyLineSegments.get(backward) ?? [])];
      const inOuter = [...(outerSegments.get(forward) ?? []), ...(outerSegments.get(backward) ?? [])];
      if (uses.length === 2) {
        shared += 1;
        const line = inCountyLines[0];
        if (inCountyLines.length !== 1 || inOuter.length !== 0) problems.push(`${key}: in ${inCountyLines.length} county lines, ${inOuter.length} outer`);
        else {
          // The line runs the way its left county's ring does (interior on the left).
          const drawnForward = countyLineSegments.has(forward) ? runsForward(a, b) : runsForward(b, a);
          const leftUse = uses.find((use) => use.forward === drawnForward)!;
          const rightUse = uses.find((use) => use.forward !== drawnForward)!;
          if (line!.leftCode !== leftUse.code || line!.rightCode !== rightUse.code || line!.leftCode === line!.rightCode) {
            problems.push(`${key}: line ${line!.id} has sides ${line!.leftCode}|${line!.rightCode}, owners left ${leftUse.code} right ${rightUse.code}`);
          }
        }
      } else {
        outer += 1;
        const drawnForward = outerSegments.has(forward) ? runsForward(a, b) : runsForward(b, a);
        if (inOuter.length !== 1 || inCountyLines.length !== 0 || drawnForward !== uses[0]!.forward) {
          problems.push(`${key}: single-owner segment in ${inOuter.length} outer, ${inCountyLines.length} county lines`);
        }
      }
    }
    expect(problems).toEqual([]);
    // Exact totals: the lines hold no segment that is not a county segment.
    const total = (byDirected: Map<string, BoundaryLineShape[]>) => [...byDirected.values()].reduce((sum, l) => sum + l.length, 0);
    expect(total(countyLineSegments)).toBe(shared);
    expect(total(outerSegments)).toBe(outer);
    expect(shared + outer).toBe(usesBySegment.size);
  });

  it('number one county line per adjacent county pair and one city line per adjacent city pair', () => {
    const countyPairs = new Set<string>();
    const cityPairs = new Set<string>();
    for (const uses of usesBySegment.values()) {
      if (uses.length !== 2) continue;
      const [p, q] = [uses[0]!.code, uses[1]!.code].sort();
      countyPairs.add(`${p}|${q}`);
      if (cityOf(p!) !== cityOf(q!)) cityPairs.add([cityOf(p!), cityOf(q!)].sort().join('|'));
    }
    const countyLines = lines.filter((l) => l.level === 'county');
    const cityLines = lines.filter((l) => l.level === 'city');
    expect(countyLines).toHaveLength(countyPairs.size);
    expect(cityLines).toHaveLength(cityPairs.size);
    expect(new Set(countyLines.map((l) => `${l.leftCode}|${l.rightCode}`))).toEqual(countyPairs);
    expect(new Set(cityLines.map((l) => `${l.leftCode}|${l.rightCode}`))).toEqual(cityPairs);
    expect(store.health().counts).toMatchObject({
      'boundaryLines.county': countyPairs.size,
      'boundaryLines.city': cityPairs.size,
      'boundaryLines.province': 1,
    });
  });

  it('draw city lines between two different cities, along exactly the county segments between cities', () => {
    const cityLines = lines.filter((l) => l.level === 'city');
    const cityCodes = new Set(cities.map((c) => c.code));
    for (const line of cityLines) {
      expect(cityCodes.has(line.leftCode), line.id).toBe(true);
      expect(cityCodes.has(line.rightCode!), line.id).toBe(true);
      expect(line.leftCode < line.rightCode!, line.id).toBe(true);
    }
    const citySegments = new Set(
      cityLines.flatMap((line) => linePaths(line.geometry).flatMap((path) => [...segmentsOf(path)].map(([a, b]) => segmentKey(a, b)))),
    );
    const between = [...usesBySegment.entries()]
      .filter(([, uses]) => uses.length === 2 && cityOf(uses[0]!.code) !== cityOf(uses[1]!.code))
      .map(([key]) => key);
    expect(citySegments).toEqual(new Set(between));
  });

  it('have the leftCode unit just left of their segments and the rightCode unit just right (sample)', () => {
    const problems: string[] = [];
    let probes = 0;
    for (const line of lines.filter((l) => l.level !== 'province')) {
      expect(line.leftCode < line.rightCode!, line.id).toBe(true);
      for (const path of linePaths(line.geometry)) {
        for (let i = 0; i + 1 < path.length; i += 10) {
          const [a, b] = [path[i]!, path[i + 1]!];
          const left = countiesAt(probeBeside(a, b, 1, PROBE));
          const right = countiesAt(probeBeside(a, b, -1, PROBE));
          probes += 1;
          const owns = (codes: string[], code: string) => codes.length === 1 && codes[0]!.startsWith(code);
          if (!owns(left, line.leftCode) || !owns(right, line.rightCode!)) {
            problems.push(`${line.id} at ${positionKey(a)}: left ${left.join('+')}, right ${right.join('+')}`);
          }
        }
      }
    }
    expect(probes).toBeGreaterThan(5_000);
    expect(problems).toEqual([]);
  });

  it('record their great-circle length and the names of both sides', () => {
    const names = new Map([...counties, ...cities, province].map((u) => [u.code, u.name]));
    for (const line of lines) {
      const length = turf.length(turf.feature(line.geometry), { units: 'meters' });
      expect(Math.abs(line.lengthMeters - length), line.id).toBeLessThanOrEqual(0.05 + 1e-9 * length);
      expect(line.leftName).toBe(names.get(line.leftCode));
      expect(line.rightName).toBe(line.rightCode === null ? null : names.get(line.rightCode));
    }
  });
});

describe('dissolved cities and province', () => {
  const ORIGIN: Position = [122, 41];
  const area = (geometry: MultiPolygon) => planarArea(geometry.coordinates, ORIGIN);

  it('give the province about the area of its counties (within 0.5 %)', () => {
    const countyArea = counties.reduce((sum, c) => sum + turf.area(c.geometry), 0);
    expect(Math.abs(turf.area(province.geometry) - countyArea) / countyArea).toBeLessThan(0.005);
  });

  // Fails today with the test above: each doubly covered sliver is dissolved into a hole (in 2101 and 21).
  it('give each city and the province exactly the planar area of its counties', () => {
    const mismatches: string[] = [];
    for (const unit of [...cities, province]) {
      const own = counties.filter((c) => c.code.startsWith(unit.code));
      const expected = own.reduce((sum, c) => sum + area(c.geometry), 0);
      const difference = area(unit.geometry) - expected;
      if (Math.abs(difference) > 1e-8) mismatches.push(`${unit.code}: ${difference.toExponential(2)} deg²`);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('simplified bands', () => {
  it('keep shared county edges shared: no segment used thrice, or twice in one direction, at any band', () => {
    for (let band = 0; band < FULL_DETAIL_BAND; band++) {
      const bandCounties = store.adminUnits({ level: 'county', band });
      expect(bandCounties).toHaveLength(100);
      const { uses } = segmentUses(bandCounties);
      const bad = [...uses.entries()].filter(([, list]) => list.length > 2 || (list.length === 2 && list[0]!.forward === list[1]!.forward));
      expect(bad, `band ${band}`).toEqual([]);
    }
  });

  // From zoom 8 on (bands 2 and up) no county ring collapses, so every line segment is an edge of both
  // sides. At coarser bands a few sliver rings collapse and are dropped, and lines still run along them.
  it('draw boundary lines from zoom 8 on along the same simplified edges as both sides\' polygons', () => {
    for (let band = bandForZoom(8); band <= FULL_DETAIL_BAND; band++) {
      const directed = new Map<string, Set<string>>();
      for (const county of store.adminUnits({ level: 'county', band })) {
        const segments = new Set<string>();
        for (const ring of county.geometry.coordinates.flat()) {
          for (const [a, b] of segmentsOf(ring)) segments.add(`${positionKey(a)};${positionKey(b)}`);
        }
        directed.set(county.code, segments);
      }
      let checked = 0;
      const missing: string[] = [];
      for (const line of store.boundaryLines({ level: 'county', band })) {
        for (const path of linePaths(line.geometry)) {
          for (const [a, b] of segmentsOf(path)) {
            // A closed sliver arc simplified down to its one junction leaves a zero-length step: no edge.
            if (positionKey(a) === positionKey(b)) continue;
            checked += 1;
            const inLeft = directed.get(line.leftCode)!.has(`${positionKey(a)};${positionKey(b)}`);
            const inRight = directed.get(line.rightCode!)!.has(`${positionKey(b)};${positionKey(a)}`);
            if (!inLeft || !inRight) missing.push(`${line.id} band ${band} at ${positionKey(a)}`);
          }
        }
      }
      expect(checked).toBeGreaterThan(1_000);
      expect(missing).toEqual([]);
    }
  });
});
