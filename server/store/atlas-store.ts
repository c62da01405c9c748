// The store interface the routers use: every read of the atlas data goes through it. The SQLite
// implementation (sqlite-store.ts) is the embedded default; nothing else touches the database.

import type { LineString, MultiLineString, MultiPolygon } from 'geojson';

export const ADMIN_LEVELS = ['province', 'city', 'county', 'street', 'community'] as const;
export type AdminLevel = (typeof ADMIN_LEVELS)[number];

/** Number of code digits at each level (NBS codes without their trailing zeros). */
export const ADMIN_CODE_LENGTH: Record<AdminLevel, number> = {
  province: 2,
  city: 4,
  county: 6,
  street: 9,
  community: 12,
};

export const BOUNDARY_LEVELS = ['province', 'city', 'county'] as const;
export type BoundaryLevel = (typeof BOUNDARY_LEVELS)[number];

/** [minLng, minLat, maxLng, maxLat] in WGS84 degrees. */
export type BBox = [number, number, number, number];

export interface AdminUnitRecord {
  code: string;
  name: string;
  level: AdminLevel;
  parentCode: string | null;
  /** Resident population (2020 census, rolled up); null where not known at this level. */
  population: number | null;
  childCount: number;
}

export interface AdminUnitShape extends AdminUnitRecord {
  /** WGS84, 6 decimals, RFC 7946 winding, simplified for the requested zoom band. */
  geometry: MultiPolygon;
  /** A point well inside the unit (pole of inaccessibility) for its label. */
  labelLngLat: [number, number];
}

export interface AdminUnitQuery {
  level: AdminLevel;
  /** Only units inside this one (code prefix: any ancestor), not the unit itself. */
  withinCode?: string;
  /** Only units whose bounding box meets this one. */
  bbox?: BBox;
  /** Zoom band of the geometry (see analysis/geo/zoom-bands.ts). */
  band: number;
}

export interface BoundaryLineShape {
  id: string;
  level: BoundaryLevel;
  /** The unit left of the line in its drawn direction. */
  leftCode: string;
  /** The unit right of the line; null on the province's outer edge. */
  rightCode: string | null;
  leftName: string;
  rightName: string | null;
  /** Great-circle length of the full-detail line, metres. */
  lengthMeters: number;
  geometry: LineString | MultiLineString;
}

export interface BoundaryLineQuery {
  level?: BoundaryLevel;
  /** Only lines with a side inside this unit (code prefix). */
  withinCode?: string;
  bbox?: BBox;
  band: number;
}

export interface StoreHealth {
  /** Content version of the built data: a hash of the sources and the builder's version. */
  dataVersion: string;
  builtAt: string;
  counts: Record<string, number>;
}

export interface AtlasStore {
  health(): StoreHealth;
  /** One unit without geometry, or null when the code is unknown. */
  adminUnit(code: string): AdminUnitRecord | null;
  /** The unit's children in code order. */
  adminChildren(code: string): AdminUnitRecord[];
  /** Units of one level, with geometry, in code order. */
  adminUnits(query: AdminUnitQuery): AdminUnitShape[];
  boundaryLines(query: BoundaryLineQuery): BoundaryLineShape[];
  close(): void;
}
