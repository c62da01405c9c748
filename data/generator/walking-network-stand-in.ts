// Stand-in input for the walking-network generator until street (街道) polygons exist: the county
// polygons of the urban districts of Shenyang and Dalian, optionally cut to a disc around each centre.

import * as turf from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import type { AtlasStore } from '../../server/store/atlas-store';
import type { NetworkArea } from './walking-network';

/** Urban districts used as stand-ins, with the city centre a disc cut is taken around. */
export const STAND_IN_CITIES = [
  {
    cityCode: '2101',
    centreLngLat: [123.43, 41.8] as [number, number],
    countyCodes: ['210102', '210103', '210104', '210105', '210106', '210111', '210112', '210113', '210114'],
  },
  {
    cityCode: '2102',
    centreLngLat: [121.62, 38.92] as [number, number],
    countyCodes: ['210202', '210203', '210204', '210211', '210212', '210213', '210214'],
  },
];

export interface StandInOptions {
  /** Cut every district to a disc of this radius around its city centre, km; omit for whole districts. */
  radiusKm?: number;
  /** Zoom band of the geometry to read (3 = full detail). */
  band?: number;
}

/**
 * The stand-in areas, one per district, coded as a street would be (district code + '000' is not a
 * real street; the 4-digit city prefix is what the generator groups by).
 */
export function loadStandInAreas(store: Pick<AtlasStore, 'adminUnits'>, options: StandInOptions = {}): NetworkArea[] {
  const areas: NetworkArea[] = [];
  for (const city of STAND_IN_CITIES) {
    const units = store.adminUnits({ level: 'county', withinCode: city.cityCode, band: options.band ?? 3 });
    const disc = options.radiusKm === undefined ? null : turf.circle(city.centreLngLat, options.radiusKm, { steps: 128 });
    for (const code of city.countyCodes) {
      const unit = units.find((candidate) => candidate.code === code);
      if (!unit) throw new Error(`stand-in county ${code} not in the store`);
      let geometry: MultiPolygon | Polygon | null = unit.geometry;
      if (disc) {
        const cut = turf.intersect(turf.featureCollection<Polygon | MultiPolygon>([turf.feature(unit.geometry), disc]));
        geometry = cut ? cut.geometry : null;
      }
      if (!geometry) continue;
      areas.push({
        code: `${code}000`,
        polygon: geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates,
      });
    }
  }
  return areas;
}
