// Geometry answers (geo.*) from the store as GeoJSON: admin units at the finest simplification band their
// number allows, boundary lines, grids, facilities and walking-network edges with barriers; requests
// larger than the limits are refused with a message saying how to narrow them.

import type { Feature, FeatureCollection, LineString, MultiLineString, MultiPolygon, Point } from 'geojson';
import type { AdminLevel, BoundaryLevel } from '../domain/admin-codes';
import { boundaryRecordsById, withBoundaryRecords, type BoundaryLineRecords } from '../domain/boundary-records';
import type { FacilityKind } from '../domain/facility-kinds';
import { FULL_DETAIL_BAND, bandForZoom } from '../domain/zoom-bands';
import { requireUnit, tooLarge } from '../request-error';
import type { BBox, BarrierShape, BoundaryLineShape, FacilityRecord, GridRecord, RoadEdgeShape } from '../store/atlas-store';
import type { JobEnv } from './job-env';

/** Most admin units served at each band (finest first): larger sets drop to a coarser band. */
export const UNITS_PER_BAND = [20_000, 6_000, 1_500, 600] as const;
export const MAX_GRIDS = 6_000;
export const MAX_FACILITIES = 60_000;
export const MAX_ROAD_EDGES = 60_000;

function refuse(what: string, count: number, limit: number, hint: string): never {
  throw tooLarge(`${count.toLocaleString('en-US')} ${what} match (at most ${limit.toLocaleString('en-US')} per request); ${hint}`);
}

/** Square degrees of a bbox (for limits on area-based layers). */
const bboxArea = (bbox: BBox): number => (bbox[2] - bbox[0]) * (bbox[3] - bbox[1]);

export interface AdminUnitProperties {
  code: string;
  name: string;
  level: AdminLevel;
  parentCode: string | null;
  population: number | null;
  childCount: number;
  urbanShare: number | null;
  labelLngLat: [number, number];
}

export type AdminUnitCollection = FeatureCollection<MultiPolygon, AdminUnitProperties> & {
  /** Set when the answer was served at a coarser band than the zoom asked for. */
  simplified?: { requestedBand: number; servedBand: number };
};

export interface AdminUnitsInput {
  level: AdminLevel;
  parent?: string;
  bbox?: BBox;
  zoom?: number;
  /** Only this unit of the level (a caller's ancestor unit: the jurisdiction's city for a street officer). */
  only?: string;
}

export function adminUnitShapes(env: JobEnv, input: AdminUnitsInput): AdminUnitCollection {
  const { store } = env;
  if (input.parent !== undefined) requireUnit(store, input.parent, 'parent');
  const requested = bandForZoom(input.zoom);
  const query = { level: input.level, withinCode: input.parent, bbox: input.bbox };
  // Serve the finest band the count allows (below the requested one: answered simplified).
  const count = store.countAdminUnits(query);
  if (count > UNITS_PER_BAND[0]) refuse(`${input.level} units`, count, UNITS_PER_BAND[0], 'narrow it with parent or bbox');
  let band = requested;
  while (band > 0 && count > UNITS_PER_BAND[Math.min(band, FULL_DETAIL_BAND)]!) band -= 1;
  const units = store.adminUnits({ ...query, band });
  const features = (input.only === undefined ? units : units.filter((unit) => unit.code === input.only)).map(
    ({ geometry, code, name, level, parentCode, population, childCount, labelLngLat, urbanShare }): Feature<MultiPolygon, AdminUnitProperties> => ({
      type: 'Feature',
      id: code,
      properties: { code, name, level, parentCode, population, childCount, urbanShare, labelLngLat },
      geometry,
    }),
  );
  return band < requested ? { type: 'FeatureCollection', simplified: { requestedBand: requested, servedBand: band }, features } : { type: 'FeatureCollection', features };
}

export type BoundaryLineProperties = Omit<BoundaryLineShape, 'geometry'> & {
  /** 'YYYY-MM-DD' of the recorded signing of the agreement (boundaries.recordAgreement), or null. */
  agreementSignedOn: string | null;
};

export interface BoundaryLinesInput {
  level?: BoundaryLevel;
  within?: string;
  bbox?: BBox;
  zoom?: number;
  /** Patrols and agreements recorded by officers (boundaries.*): the lines' effective status. */
  records?: BoundaryLineRecords[];
}

export function boundaryLineShapes(env: JobEnv, input: BoundaryLinesInput): FeatureCollection<LineString | MultiLineString, BoundaryLineProperties> {
  if (input.within !== undefined) requireUnit(env.store, input.within, 'within');
  const lines = env.store.boundaryLines({ level: input.level, withinCode: input.within, bbox: input.bbox, band: bandForZoom(input.zoom) });
  const records = boundaryRecordsById(input.records);
  return {
    type: 'FeatureCollection',
    features: lines.map(({ geometry, ...line }) => ({ type: 'Feature', id: line.id, properties: withBoundaryRecords(line, records), geometry })),
  };
}

export interface GridsInput {
  within: string;
  bbox?: BBox;
}

export function gridShapes(env: JobEnv, input: GridsInput): FeatureCollection<MultiPolygon, GridRecord> {
  requireUnit(env.store, input.within, 'within');
  const query = { withinCode: input.within, bbox: input.bbox };
  const count = env.store.countGrids(query);
  if (count > MAX_GRIDS) refuse('grids', count, MAX_GRIDS, 'ask within a county, street or community, or add a smaller bbox');
  return {
    type: 'FeatureCollection',
    features: env.store.grids(query).map(({ geometry, ...properties }) => ({ type: 'Feature', id: properties.code, properties, geometry })),
  };
}

export interface FacilitiesInput {
  kinds?: FacilityKind[];
  within?: string;
  bbox?: BBox;
}

export type FacilityProperties = Omit<FacilityRecord, 'lngLat'>;

export function facilityPoints(env: JobEnv, input: FacilitiesInput): FeatureCollection<Point, FacilityProperties> {
  if (input.within !== undefined) requireUnit(env.store, input.within, 'within');
  const query = { kinds: input.kinds, withinCode: input.within, bbox: input.bbox };
  const count = env.store.countFacilities(query);
  if (count > MAX_FACILITIES) refuse('facilities', count, MAX_FACILITIES, 'filter by kinds, within or bbox');
  return {
    type: 'FeatureCollection',
    features: env.store.facilities(query).map(({ lngLat, ...properties }) => ({
      type: 'Feature',
      id: properties.id,
      properties,
      geometry: { type: 'Point', coordinates: lngLat },
    })),
  };
}

export type RoadProperties = (Omit<RoadEdgeShape, 'geometry'> & { layer: 'road' }) | (Omit<BarrierShape, 'geometry'> & { layer: 'barrier' });

export function roadLines(env: JobEnv, input: { bbox: BBox }): FeatureCollection<LineString, RoadProperties> {
  const count = env.store.countRoadEdges(input.bbox);
  if (count > MAX_ROAD_EDGES) {
    refuse('road edges', count, MAX_ROAD_EDGES, `use a smaller bbox (this one is ${bboxArea(input.bbox).toFixed(3)} square degrees)`);
  }
  const edges = env.store.roadEdges(input.bbox).map(({ geometry, ...properties }): Feature<LineString, RoadProperties> => ({
    type: 'Feature',
    id: properties.id,
    properties: { ...properties, layer: 'road' },
    geometry,
  }));
  const barriers = env.store.barriers(input.bbox).map(({ geometry, ...properties }): Feature<LineString, RoadProperties> => ({
    type: 'Feature',
    id: `barrier-${properties.id}`,
    properties: { ...properties, layer: 'barrier' },
    geometry,
  }));
  return { type: 'FeatureCollection', features: [...edges, ...barriers] };
}
