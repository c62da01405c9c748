// Small hand-made API answers for the layer tests, typed by the client's api-types so a change of the
// API's shape breaks them at compile time.

import type { Feature, LineString, MultiPolygon, Polygon } from 'geojson';
import type { BoundaryLineProperties, BoundaryRiskProperties, GapProperties, HotspotCellProperties, MapUnitProperties } from '../../../client/src/api-types';

/** A unit square (degrees) with its lower-left corner at [lng, lat], as a MultiPolygon. */
export function square(lng: number, lat: number, size = 0.01): MultiPolygon {
  return { type: 'MultiPolygon', coordinates: [[[[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]]] };
}

export function squarePolygon(lng: number, lat: number, size = 0.01): Polygon {
  return { type: 'Polygon', coordinates: square(lng, lat, size).coordinates[0]! };
}

export function mapUnit(code: string, population: number | null, level: MapUnitProperties['level'] = 'county'): Feature<MultiPolygon, MapUnitProperties> {
  return {
    type: 'Feature',
    properties: { code, name: `unit ${code}`, level, parentCode: code.slice(0, 4), population, childCount: 3, labelLngLat: [123.4, 41.8] },
    geometry: square(123.4, 41.8),
  };
}

const line: LineString = { type: 'LineString', coordinates: [[123.4, 41.8], [123.5, 41.9]] };

export function boundaryLine(id: string, level: BoundaryLineProperties['level']): Feature<LineString, BoundaryLineProperties> {
  return {
    type: 'Feature',
    properties: {
      id,
      level,
      leftCode: '210102',
      rightCode: '210103',
      leftName: 'left',
      rightName: 'right',
      lengthMeters: 1200,
      agreementSigned: true,
      agreementSignedOn: null,
      jointMediation: null,
      lastJointPatrol: null,
    },
    geometry: line,
  };
}

export function riskLine(
  id: string,
  risk: BoundaryRiskProperties['risk'],
  agreementSigned: boolean | null,
): Feature<LineString, BoundaryRiskProperties> {
  const { properties } = boundaryLine(id, 'street');
  return {
    type: 'Feature',
    properties: {
      ...properties,
      agreementSigned,
      rank: 1,
      risk,
      count: 12,
      expected: 4,
      peak: { fromMeters: 0, toMeters: 1000, lngLat: [123.45, 41.85], count: 9, expected: 2, ratio: 4.5 },
      p: 0.001,
      q: 0.01,
      countsBySlice: [3, 4, 5],
      trend: { z: 1.2, p: 0.2, direction: 'none' },
    },
    geometry: line,
  };
}

export function hotspotCell(id: string, cls: number, count: number, lng = 123.4, lat = 41.8): Feature<Polygon, HotspotCellProperties> {
  return { type: 'Feature', properties: { id, name: null, count, z: cls * 1.8, p: 0.01, class: cls }, geometry: squarePolygon(lng, lat) };
}

export function gapGrid(code: string, population: number, uncoveredPopulation: number): GapProperties {
  return {
    code,
    name: `grid ${code}`,
    population,
    uncoveredPopulation,
    uncoveredShare: population > 0 ? uncoveredPopulation / population : 0,
    networkPopulation: population,
    method: 'network',
  };
}
