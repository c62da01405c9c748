// The store interface the routers use: every read of the atlas data goes through it. The SQLite
// implementation (sqlite-store.ts) is the embedded default; nothing else touches the database.

import type { LineString, MultiLineString, MultiPolygon } from 'geojson';
import type { AdminLevel, BoundaryLevel } from '../domain/admin-codes';
import type { DataLayer, LayerProvenance } from '../domain/data-layers';
import type { DisputeStore } from './dispute-store';

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
  /** Share of residents in residents' committees (urban), 0..1; null where unknown. */
  urbanShare: number | null;
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
  /** Safe-boundary agreement (平安边界协议) signed; null where unknown (real data without it). */
  agreementSigned: boolean | null;
  jointMediation: boolean | null;
  /** yyyy-mm-dd of the last joint patrol, or null. */
  lastJointPatrol: string | null;
  geometry: LineString | MultiLineString;
}

export interface BoundaryLineQuery {
  level?: BoundaryLevel;
  /** Only lines with a side inside this unit (code prefix). */
  withinCode?: string;
  bbox?: BBox;
  band: number;
}

/** A grid's attributes (GridShape without its polygon). */
export interface GridRecord {
  code: string;
  name: string;
  communityCode: string;
  urban: boolean;
  population: number;
  households: number;
  fullTimeWorkers: number;
  partTimeWorkers: number;
  areaSquareMeters: number;
  labelLngLat: [number, number];
}

export interface GridShape extends GridRecord {
  /** WGS84, 6 decimals, full detail. */
  geometry: MultiPolygon;
}

export interface AreaQuery {
  /** Only records inside this unit (code prefix). */
  withinCode?: string;
  bbox?: BBox;
}

export interface FacilityRecord {
  id: number;
  kind: string;
  name: string;
  unitCode: string;
  communityCode: string;
  lngLat: [number, number];
  capacity: number;
  openingHours: string;
  standardised: boolean;
}

export interface FacilityQuery extends AreaQuery {
  kinds?: readonly string[];
}

export interface RoadEdgeShape {
  id: number;
  fromNode: number;
  toNode: number;
  lengthMeters: number;
  class: string;
  streetCode: string;
  geometry: LineString;
}

export interface BarrierShape {
  id: number;
  kind: string;
  name: string;
  cityCode: string;
  geometry: LineString;
}

/** What the generated demonstration data was made from. */
export interface DemoInfo {
  seed: number;
  scope: string;
  /** The data's "now" at generation, ms since epoch. */
  nowMs: number;
  /** Hash of the generated content: equal for equal seed, scope and now. */
  contentHash: string;
}

/** Residential demand points, struct of arrays (index i = one point). */
export interface DemandPointArrays {
  /** [lng0, lat0, lng1, …], WGS84 degrees. */
  lngLat: Float64Array;
  /** Residents the point stands for. */
  population: Uint32Array;
  /** Index into `gridCodes` of the point's grid. */
  gridIndex: Uint32Array;
  gridCodes: string[];
}

/** The walking network, struct of arrays; edges are two-way. */
export interface RoadNetworkArrays {
  /** [lng0, lat0, …] per node (node i = road_node id i + 1). */
  nodeLngLat: Float64Array;
  edgeFrom: Uint32Array;
  edgeTo: Uint32Array;
  edgeLengthMeters: Float64Array;
  /** Index into `classes`. */
  edgeClass: Uint8Array;
  classes: string[];
}

export interface DisputePointQuery {
  withinCode?: string;
  /** [fromMs, toMs) on the report time. */
  fromMs: number;
  toMs: number;
  /** Type keys (server/analysis/disputes/categories.ts); all when absent. */
  types?: readonly string[];
  sources?: readonly string[];
}

/** Reported disputes for analysis, struct of arrays. */
export interface DisputePointArrays {
  id: Uint32Array;
  lngLat: Float64Array;
  reportedAtMs: Float64Array;
  /** Index into DISPUTE_TYPES. */
  typeIndex: Uint8Array;
  /** Index into `gridCodes`. */
  gridIndex: Uint32Array;
  gridCodes: string[];
}

/** Governance infrastructure inside a unit (the figures a dashboard shows). */
export interface UnitSummary {
  population: number | null;
  grids: number;
  fullTimeGridWorkers: number;
  partTimeGridWorkers: number;
  communities: number;
  /** Communities with at least one governance workstation (综治工作站). */
  communitiesWithWorkstation: number;
  healthCentres: number;
  /** Health centres meeting the standard (标准化建设达标). */
  standardisedHealthCentres: number;
  healthStations: number;
  standardisedHealthStations: number;
}

export interface StoreHealth {
  /** Content version of the built data: a hash of the sources and the builder's version. */
  dataVersion: string;
  builtAt: string;
  counts: Record<string, number>;
  /** Set when the database holds generated demonstration layers. */
  demo: DemoInfo | null;
  /** Per layer: demonstration data, the real geography of data/sources, or the imported file. */
  layers: Record<DataLayer, LayerProvenance>;
}

export interface AtlasStore {
  /** Disputes and their workflow log. */
  readonly disputes: DisputeStore;
  health(): StoreHealth;
  /** One unit without geometry, or null when the code is unknown. */
  adminUnit(code: string): AdminUnitRecord | null;
  /** The deployment's top unit (the province), or null in an empty database. */
  rootUnit(): AdminUnitRecord | null;
  /** The bounding box of a unit or grid (WGS84), or null when it has no geometry. */
  unitBBox(code: string): BBox | null;
  /** The unit's children in code order. */
  adminChildren(code: string): AdminUnitRecord[];
  /** Number of units with geometry a query would return. */
  countAdminUnits(query: Omit<AdminUnitQuery, 'band'>): number;
  /** Units of one level, with geometry, in code order. */
  adminUnits(query: AdminUnitQuery): AdminUnitShape[];
  boundaryLines(query: BoundaryLineQuery): BoundaryLineShape[];
  /** Number and total length (metres) of the lines of the given levels with a side inside a unit (no geometry read). */
  boundaryLineTotals(query: { withinCode?: string; levels: readonly BoundaryLevel[] }): { count: number; lengthMeters: number };
  /** Number of grids a query would return (to refuse oversized requests before reading them). */
  countGrids(query: AreaQuery): number;
  grids(query: AreaQuery): GridShape[];
  /** Grids' attributes without their polygons (cheap: no geometry is read), in code order. */
  gridRecords(query: AreaQuery): GridRecord[];
  countFacilities(query: FacilityQuery): number;
  facilities(query: FacilityQuery): FacilityRecord[];
  /** The facilities with these ids (those that exist), in id order. */
  facilitiesById(ids: readonly number[]): FacilityRecord[];
  countRoadEdges(bbox: BBox): number;
  roadEdges(bbox: BBox): RoadEdgeShape[];
  barriers(bbox: BBox): BarrierShape[];
  /** Grids, grid workers, workstation and health-facility figures inside a unit. */
  unitSummary(withinCode: string): UnitSummary;
  /** Demand points inside a unit (all when no code). */
  demandPoints(withinCode?: string): DemandPointArrays;
  /** The whole walking network (empty arrays when there is none). */
  roadNetwork(): RoadNetworkArrays;
  /** Disputes reported in a period, for hotspot analysis. */
  disputePoints(query: DisputePointQuery): DisputePointArrays;
  /** The clusters planted in demonstration disputes (the generator's records, as JSON values). */
  plantedClusters(): unknown[];
  /** A value written with it (see DisputeStore.appendHistory), or null. */
  readMeta(key: string): unknown;
  /** Sequence number of the last step in the dispute log (0 when empty). */
  lastDisputeSeq(): number;
  /** Runs `read` in one read transaction: every read inside sees one state of the database. */
  readConsistent<T>(read: () => T): T;
  close(): void;
}
