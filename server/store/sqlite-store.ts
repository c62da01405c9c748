// AtlasStore on the embedded SQLite database (better-sqlite3): prepared statements, code-prefix
// ranges for jurisdiction filters, R*Tree for bounding-box filters, geometry parsed from its stored
// GeoJSON text for the requested zoom band.

import Database from 'better-sqlite3';
import type { LineString, MultiLineString, MultiPolygon } from 'geojson';
import type {
  AdminUnitQuery,
  AdminUnitRecord,
  AdminUnitShape,
  AreaQuery,
  AtlasStore,
  BBox,
  BarrierShape,
  BoundaryLineQuery,
  BoundaryLineShape,
  DemoInfo,
  FacilityQuery,
  FacilityRecord,
  DemandPointArrays,
  DisputePointArrays,
  DisputePointQuery,
  GridRecord,
  GridShape,
  RoadNetworkArrays,
  RoadEdgeShape,
  StoreHealth,
  UnitSummary,
} from './atlas-store';
import { DATA_LAYERS, type DataLayer, type LayerProvenance } from '../domain/data-layers';
import { GRID_CODE_LENGTH, type AdminLevel, type BoundaryLevel } from '../domain/admin-codes';
import { DISPUTE_SOURCE_KEYS, DISPUTE_TYPE_KEYS } from '../domain/dispute-categories';
import { SqliteDisputeStore } from './sqlite-dispute-store';

/** An admin_unit row's attributes as SQLite answers them (no geometry). */
export interface UnitRow {
  code: string;
  name: string;
  level: AdminLevel;
  parent_code: string | null;
  population: number | null;
  urban_share: number | null;
  child_count: number;
}

interface UnitShapeRow extends UnitRow {
  label_lng: number;
  label_lat: number;
  geojson: string | null;
}

interface LineRow {
  line_id: string;
  level: BoundaryLevel;
  left_code: string;
  right_code: string | null;
  left_name: string;
  right_name: string | null;
  length_meters: number;
  agreement_signed: number | null;
  joint_mediation: number | null;
  last_joint_patrol: string | null;
  geojson: string;
}

interface GridRow {
  code: string;
  name: string;
  community_code: string;
  urban: number;
  population: number;
  households: number;
  full_time_workers: number;
  part_time_workers: number;
  area_m2: number;
  label_lng: number;
  label_lat: number;
  geojson: string;
}

interface FacilityRow {
  id: number;
  kind: string;
  name: string;
  unit_code: string;
  community_code: string;
  lng: number;
  lat: number;
  capacity: number;
  opening_hours: string;
  standardised: number;
}

interface RoadRow {
  id: number;
  from_node: number;
  to_node: number;
  length_meters: number;
  class: string;
  street_code: string;
  from_lng: number;
  from_lat: number;
  to_lng: number;
  to_lat: number;
}

const toFacility = (row: FacilityRow): FacilityRecord => ({
  id: row.id,
  kind: row.kind,
  name: row.name,
  unitCode: row.unit_code,
  communityCode: row.community_code,
  lngLat: [row.lng, row.lat],
  capacity: row.capacity,
  openingHours: row.opening_hours,
  standardised: row.standardised === 1,
});

const UNIT_COLUMNS = 'u.code, u.name, u.level, u.parent_code, u.population, u.urban_share, u.child_count';

function toRecord(row: UnitRow): AdminUnitRecord {
  return {
    code: row.code,
    name: row.name,
    level: row.level,
    parentCode: row.parent_code,
    population: row.population,
    childCount: row.child_count,
  };
}

/** Bounds of the codes that start with `prefix` (codes are digits, and '~' sorts after every digit). */
function prefixRange(prefix: string | undefined): { within: string | null; withinEnd: string | null } {
  return prefix === undefined ? { within: null, withinEnd: null } : { within: prefix, withinEnd: `${prefix}~` };
}

function boxParameters(bbox: BBox | undefined) {
  return {
    minLng: bbox?.[0] ?? null,
    minLat: bbox?.[1] ?? null,
    maxLng: bbox?.[2] ?? null,
    maxLat: bbox?.[3] ?? null,
  };
}

/** SQL condition: the row id is in the R*Tree `rtree` within the @min/@max box (or no box given). */
const inBox = (rtree: string, id: string) =>
  `(@minLng IS NULL OR ${id} IN (SELECT id FROM ${rtree}
      WHERE max_lng >= @minLng AND min_lng <= @maxLng AND max_lat >= @minLat AND min_lat <= @maxLat))`;

/** Each layer's provenance: the import recorded in meta 'layer_sources', else the build's data. */
function layerProvenance(layerSources: string | undefined, demo: boolean): Record<DataLayer, LayerProvenance> {
  const imported = JSON.parse(layerSources ?? '{}') as Partial<Record<DataLayer, LayerProvenance>>;
  const layers = {} as Record<DataLayer, LayerProvenance>;
  for (const layer of DATA_LAYERS) layers[layer] = imported[layer] ?? { source: demo ? 'demonstration' : 'sources' };
  return layers;
}

export class SqliteStore implements AtlasStore {
  private readonly db: Database.Database;
  private readonly statements;
  private healthSnapshot: StoreHealth;
  private readonly writable: boolean;

  /** Replaced by refresh(): its parsed-geometry caches belong to one data version. */
  disputes: SqliteDisputeStore;

  /**
   * Opens a built database, read-only unless `writable` (reports, transitions, the live feed): then in
   * WAL mode. With synchronous = NORMAL (the default) a committed write is in the WAL file before it is
   * acknowledged, so it survives the server being killed (kill -9); ATLAS_SYNC=full also fsyncs every
   * commit, which survives power loss too, at disk latency per (group) commit.
   */
  constructor(
    readonly path: string,
    { writable = false }: { writable?: boolean } = {},
  ) {
    const databasePath = path;
    this.db = new Database(databasePath, { readonly: !writable, fileMustExist: true });
    if (writable) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(process.env.ATLAS_SYNC === 'full' ? 'synchronous = FULL' : 'synchronous = NORMAL');
      this.db.pragma('busy_timeout = 5000');
    }
    const db = this.db;
    this.writable = writable;
    this.disputes = new SqliteDisputeStore(db, writable);
    // Geometry for a band falls back to the nearest finer band a unit has (tiny units can vanish at coarse bands).
    const geometryForBand = `(SELECT g.geojson FROM admin_geometry g WHERE g.unit_id = u.id AND g.band >= @band
                              ORDER BY g.band LIMIT 1)`;
    const gridWhere = `(@within IS NULL OR (g.code >= @within AND g.code < @withinEnd)) AND ${inBox('grid_rtree', 'g.id')}`;
    const facilityWhere = `(@within IS NULL OR (f.community_code >= @within AND f.community_code < @withinEnd))
        AND (@kinds IS NULL OR f.kind IN (SELECT value FROM json_each(@kinds))) AND ${inBox('facility_rtree', 'f.id')}`;
    const roadWhere = `e.id IN (SELECT id FROM road_rtree
        WHERE max_lng >= @minLng AND min_lng <= @maxLng AND max_lat >= @minLat AND min_lat <= @maxLat)`;
    this.statements = {
      meta: db.prepare('SELECT key, value FROM meta'),
      dataVersion: db.prepare("SELECT value FROM meta WHERE key = 'data_version'"),
      unit: db.prepare(`SELECT ${UNIT_COLUMNS} FROM admin_unit u WHERE u.code = ?`),
      children: db.prepare(`SELECT ${UNIT_COLUMNS} FROM admin_unit u WHERE u.parent_code = ? ORDER BY u.code`),
      units: db.prepare(
        `SELECT ${UNIT_COLUMNS}, u.label_lng, u.label_lat, ${geometryForBand} AS geojson
         FROM admin_unit u
         WHERE u.level = @level AND (@within IS NULL OR (u.code > @within AND u.code < @withinEnd))
           AND u.label_lng IS NOT NULL AND ${inBox('admin_rtree', 'u.id')}
         ORDER BY u.code`,
      ),
      countUnits: db.prepare(
        `SELECT count(*) AS n FROM admin_unit u
         WHERE u.level = @level AND (@within IS NULL OR (u.code > @within AND u.code < @withinEnd))
           AND u.label_lng IS NOT NULL AND ${inBox('admin_rtree', 'u.id')}`,
      ),
      lines: db.prepare(
        `SELECT b.line_id, b.level, b.left_code, b.right_code, b.length_meters, b.agreement_signed, b.joint_mediation,
                b.last_joint_patrol, l.name AS left_name, r.name AS right_name, g.geojson
         FROM boundary_line b
         JOIN boundary_geometry g ON g.line_id = b.id AND g.band = @band
         JOIN admin_unit l ON l.code = b.left_code
         LEFT JOIN admin_unit r ON r.code = b.right_code
         WHERE (@level IS NULL OR b.level = @level)
           AND (@within IS NULL OR (b.left_code >= @within AND b.left_code < @withinEnd)
                OR (b.right_code >= @within AND b.right_code < @withinEnd))
           AND ${inBox('boundary_rtree', 'b.id')}
         ORDER BY b.id`,
      ),
      lineTotals: db.prepare(
        `SELECT count(*) AS n, coalesce(sum(b.length_meters), 0) AS length FROM boundary_line b
         WHERE b.level IN (SELECT value FROM json_each(@levels))
           AND (@within IS NULL OR (b.left_code >= @within AND b.left_code < @withinEnd)
                OR (b.right_code >= @within AND b.right_code < @withinEnd))`,
      ),
      countGrids: db.prepare(`SELECT count(*) AS n FROM grid g WHERE ${gridWhere}`),
      grids: db.prepare(
        `SELECT g.code, g.name, g.community_code, g.urban, g.population, g.households, g.full_time_workers,
                g.part_time_workers, g.area_m2, g.label_lng, g.label_lat, g.geojson
         FROM grid g WHERE ${gridWhere} ORDER BY g.code`,
      ),
      gridRecords: db.prepare(
        `SELECT g.code, g.name, g.community_code, g.urban, g.population, g.households, g.full_time_workers,
                g.part_time_workers, g.area_m2, g.label_lng, g.label_lat
         FROM grid g WHERE ${gridWhere} ORDER BY g.code`,
      ),
      countFacilities: db.prepare(`SELECT count(*) AS n FROM facility f WHERE ${facilityWhere}`),
      facilities: db.prepare(
        `SELECT f.id, f.kind, f.name, f.unit_code, f.community_code, f.lng, f.lat, f.capacity, f.opening_hours, f.standardised
         FROM facility f WHERE ${facilityWhere} ORDER BY f.id`,
      ),
      facilitiesById: db.prepare(
        `SELECT f.id, f.kind, f.name, f.unit_code, f.community_code, f.lng, f.lat, f.capacity, f.opening_hours, f.standardised
         FROM facility f WHERE f.id IN (SELECT value FROM json_each(?)) ORDER BY f.id`,
      ),
      countRoads: db.prepare(`SELECT count(*) AS n FROM road_edge e WHERE ${roadWhere}`),
      roads: db.prepare(
        `SELECT e.id, e.from_node, e.to_node, e.length_meters, e.class, e.street_code,
                a.lng AS from_lng, a.lat AS from_lat, b.lng AS to_lng, b.lat AS to_lat
         FROM road_edge e JOIN road_node a ON a.id = e.from_node JOIN road_node b ON b.id = e.to_node
         WHERE ${roadWhere} ORDER BY e.id`,
      ),
      barriers: db.prepare('SELECT id, kind, name, city_code, geojson FROM barrier ORDER BY id'),
    };
    this.healthSnapshot = this.readHealth();
  }

  private readHealth(): StoreHealth {
    const meta = new Map((this.statements.meta.all() as { key: string; value: string }[]).map((row) => [row.key, row.value]));
    const demo = meta.get('demo');
    return {
      dataVersion: meta.get('data_version') ?? 'unknown',
      builtAt: meta.get('built_at') ?? 'unknown',
      counts: JSON.parse(meta.get('counts') ?? '{}') as Record<string, number>,
      demo: demo ? (JSON.parse(demo) as DemoInfo) : null,
      layers: layerProvenance(meta.get('layer_sources'), demo !== undefined),
    };
  }

  /**
   * Reads the data version, counts and provenance again after another connection (an import, an undo)
   * changed the data, and drops what was parsed from the old data (the dispute store's geometry caches).
   * Returns whether the data version changed.
   */
  refresh(): boolean {
    const before = this.healthSnapshot.dataVersion;
    this.healthSnapshot = this.readHealth();
    this.disputes = new SqliteDisputeStore(this.db, this.writable);
    return this.healthSnapshot.dataVersion !== before;
  }

  health(): StoreHealth {
    return this.healthSnapshot;
  }

  /** The data version as stored now (another connection may have changed it since refresh()), null when unset. */
  storedDataVersion(): string | null {
    return (this.statements.dataVersion.get() as { value: string } | undefined)?.value ?? null;
  }

  adminUnit(code: string): AdminUnitRecord | null {
    const row = this.statements.unit.get(code) as UnitRow | undefined;
    return row ? toRecord(row) : null;
  }

  rootUnit(): AdminUnitRecord | null {
    const row = this.db.prepare(`SELECT ${UNIT_COLUMNS} FROM admin_unit u WHERE u.parent_code IS NULL ORDER BY u.code LIMIT 1`).get() as UnitRow | undefined;
    return row ? toRecord(row) : null;
  }

  unitBBox(code: string): BBox | null {
    const row = (
      code.length === GRID_CODE_LENGTH
        ? this.db.prepare('SELECT r.min_lng, r.min_lat, r.max_lng, r.max_lat FROM grid g JOIN grid_rtree r ON r.id = g.id WHERE g.code = ?')
        : this.db.prepare('SELECT r.min_lng, r.min_lat, r.max_lng, r.max_lat FROM admin_unit u JOIN admin_rtree r ON r.id = u.id WHERE u.code = ?')
    ).get(code) as { min_lng: number; min_lat: number; max_lng: number; max_lat: number } | undefined;
    return row ? [row.min_lng, row.min_lat, row.max_lng, row.max_lat] : null;
  }

  adminChildren(code: string): AdminUnitRecord[] {
    return (this.statements.children.all(code) as UnitRow[]).map(toRecord);
  }

  countAdminUnits(query: Omit<AdminUnitQuery, 'band'>): number {
    return (
      this.statements.countUnits.get({ level: query.level, ...prefixRange(query.withinCode), ...boxParameters(query.bbox) }) as { n: number }
    ).n;
  }

  adminUnits(query: AdminUnitQuery): AdminUnitShape[] {
    const rows = this.statements.units.all({
      level: query.level,
      ...prefixRange(query.withinCode),
      band: query.band,
      ...boxParameters(query.bbox),
    }) as UnitShapeRow[];
    return rows
      .filter((row) => row.geojson !== null)
      .map((row) => ({
        ...toRecord(row),
        urbanShare: row.urban_share,
        geometry: JSON.parse(row.geojson!) as MultiPolygon,
        labelLngLat: [row.label_lng, row.label_lat],
      }));
  }

  boundaryLines(query: BoundaryLineQuery): BoundaryLineShape[] {
    const rows = this.statements.lines.all({
      level: query.level ?? null,
      ...prefixRange(query.withinCode),
      band: query.band,
      ...boxParameters(query.bbox),
    }) as LineRow[];
    return rows.map((row) => ({
      id: row.line_id,
      level: row.level,
      leftCode: row.left_code,
      rightCode: row.right_code,
      leftName: row.left_name,
      rightName: row.right_name,
      lengthMeters: row.length_meters,
      agreementSigned: row.agreement_signed === null ? null : row.agreement_signed === 1,
      jointMediation: row.joint_mediation === null ? null : row.joint_mediation === 1,
      lastJointPatrol: row.last_joint_patrol,
      geometry: JSON.parse(row.geojson) as LineString | MultiLineString,
    }));
  }

  boundaryLineTotals(query: { withinCode?: string; levels: readonly BoundaryLevel[] }): { count: number; lengthMeters: number } {
    const row = this.statements.lineTotals.get({ ...prefixRange(query.withinCode), levels: JSON.stringify(query.levels) }) as { n: number; length: number };
    return { count: row.n, lengthMeters: row.length };
  }

  countGrids(query: AreaQuery): number {
    return (this.statements.countGrids.get({ ...prefixRange(query.withinCode), ...boxParameters(query.bbox) }) as { n: number }).n;
  }

  grids(query: AreaQuery): GridShape[] {
    const rows = this.statements.grids.all({ ...prefixRange(query.withinCode), ...boxParameters(query.bbox) }) as GridRow[];
    return rows.map((row) => ({
      code: row.code,
      name: row.name,
      communityCode: row.community_code,
      urban: row.urban === 1,
      population: row.population,
      households: row.households,
      fullTimeWorkers: row.full_time_workers,
      partTimeWorkers: row.part_time_workers,
      areaSquareMeters: row.area_m2,
      labelLngLat: [row.label_lng, row.label_lat],
      geometry: JSON.parse(row.geojson) as MultiPolygon,
    }));
  }

  gridRecords(query: AreaQuery): GridRecord[] {
    const rows = this.statements.gridRecords.all({ ...prefixRange(query.withinCode), ...boxParameters(query.bbox) }) as Omit<GridRow, 'geojson'>[];
    return rows.map((row) => ({
      code: row.code,
      name: row.name,
      communityCode: row.community_code,
      urban: row.urban === 1,
      population: row.population,
      households: row.households,
      fullTimeWorkers: row.full_time_workers,
      partTimeWorkers: row.part_time_workers,
      areaSquareMeters: row.area_m2,
      labelLngLat: [row.label_lng, row.label_lat],
    }));
  }

  private facilityParameters(query: FacilityQuery) {
    return {
      ...prefixRange(query.withinCode),
      kinds: query.kinds && query.kinds.length > 0 ? JSON.stringify(query.kinds) : null,
      ...boxParameters(query.bbox),
    };
  }

  countFacilities(query: FacilityQuery): number {
    return (this.statements.countFacilities.get(this.facilityParameters(query)) as { n: number }).n;
  }

  facilities(query: FacilityQuery): FacilityRecord[] {
    return (this.statements.facilities.all(this.facilityParameters(query)) as FacilityRow[]).map(toFacility);
  }

  facilitiesById(ids: readonly number[]): FacilityRecord[] {
    return (this.statements.facilitiesById.all(JSON.stringify(ids)) as FacilityRow[]).map(toFacility);
  }

  countRoadEdges(bbox: BBox): number {
    return (this.statements.countRoads.get(boxParameters(bbox)) as { n: number }).n;
  }

  roadEdges(bbox: BBox): RoadEdgeShape[] {
    const rows = this.statements.roads.all(boxParameters(bbox)) as RoadRow[];
    return rows.map((row) => ({
      id: row.id,
      fromNode: row.from_node,
      toNode: row.to_node,
      lengthMeters: row.length_meters,
      class: row.class,
      streetCode: row.street_code,
      geometry: {
        type: 'LineString',
        coordinates: [
          [row.from_lng, row.from_lat],
          [row.to_lng, row.to_lat],
        ],
      },
    }));
  }

  barriers(bbox: BBox): BarrierShape[] {
    const rows = this.statements.barriers.all() as { id: number; kind: string; name: string; city_code: string; geojson: string }[];
    return rows
      .map((row) => ({ id: row.id, kind: row.kind, name: row.name, cityCode: row.city_code, geometry: JSON.parse(row.geojson) as LineString }))
      .filter((barrier) =>
        barrier.geometry.coordinates.some(([lng, lat]) => lng! >= bbox[0] && lng! <= bbox[2] && lat! >= bbox[1] && lat! <= bbox[3]),
      );
  }

  unitSummary(withinCode: string): UnitSummary {
    const range = prefixRange(withinCode);
    const grids = this.db
      .prepare(
        `SELECT count(*) AS grids, coalesce(sum(full_time_workers), 0) AS full_time, coalesce(sum(part_time_workers), 0) AS part_time
         FROM grid WHERE code >= @within AND code < @withinEnd`,
      )
      .get(range) as { grids: number; full_time: number; part_time: number };
    const communities = this.db
      .prepare(
        `SELECT count(*) AS n,
                coalesce(sum(EXISTS (SELECT 1 FROM facility f WHERE f.community_code = u.code AND f.kind = 'governance_workstation')), 0) AS with_workstation
         FROM admin_unit u WHERE u.level = 'community' AND u.code >= @within AND u.code < @withinEnd`,
      )
      .get(range) as { n: number; with_workstation: number };
    const health = this.db
      .prepare(
        `SELECT kind, count(*) AS n, coalesce(sum(standardised), 0) AS standardised FROM facility
         WHERE kind IN ('health_center', 'health_station') AND community_code >= @within AND community_code < @withinEnd GROUP BY kind`,
      )
      .all(range) as { kind: string; n: number; standardised: number }[];
    const of = (kind: string) => health.find((row) => row.kind === kind) ?? { n: 0, standardised: 0 };
    return {
      population: this.adminUnit(withinCode)?.population ?? null,
      grids: grids.grids,
      fullTimeGridWorkers: grids.full_time,
      partTimeGridWorkers: grids.part_time,
      communities: communities.n,
      communitiesWithWorkstation: communities.with_workstation,
      healthCentres: of('health_center').n,
      standardisedHealthCentres: of('health_center').standardised,
      healthStations: of('health_station').n,
      standardisedHealthStations: of('health_station').standardised,
    };
  }

  demandPoints(withinCode?: string): DemandPointArrays {
    const range = prefixRange(withinCode);
    const grids = this.db
      .prepare(`SELECT id, code FROM grid WHERE (@within IS NULL OR (code >= @within AND code < @withinEnd)) ORDER BY id`)
      .all(range) as { id: number; code: string }[];
    const gridIndexById = new Map(grids.map((grid, index) => [grid.id, index]));
    const rows = this.db
      .prepare(
        `SELECT p.grid_id, p.lng, p.lat, p.population FROM demand_point p JOIN grid g ON g.id = p.grid_id
         WHERE (@within IS NULL OR (g.code >= @within AND g.code < @withinEnd)) ORDER BY p.id`,
      )
      .raw()
      .all(range) as [number, number, number, number][];
    const lngLat = new Float64Array(rows.length * 2);
    const population = new Uint32Array(rows.length);
    const gridIndex = new Uint32Array(rows.length);
    rows.forEach(([gridId, lng, lat, residents], i) => {
      lngLat[i * 2] = lng;
      lngLat[i * 2 + 1] = lat;
      population[i] = residents;
      gridIndex[i] = gridIndexById.get(gridId)!;
    });
    return { lngLat, population, gridIndex, gridCodes: grids.map((grid) => grid.code) };
  }

  roadNetwork(): RoadNetworkArrays {
    const nodes = this.db.prepare('SELECT lng, lat FROM road_node ORDER BY id').raw().all() as [number, number][];
    const edges = this.db.prepare('SELECT from_node, to_node, length_meters, class FROM road_edge ORDER BY id').raw().all() as [
      number,
      number,
      number,
      string,
    ][];
    const nodeLngLat = new Float64Array(nodes.length * 2);
    nodes.forEach(([lng, lat], i) => {
      nodeLngLat[i * 2] = lng;
      nodeLngLat[i * 2 + 1] = lat;
    });
    const classes: string[] = [];
    const classIndex = new Map<string, number>();
    const edgeFrom = new Uint32Array(edges.length);
    const edgeTo = new Uint32Array(edges.length);
    const edgeLengthMeters = new Float64Array(edges.length);
    const edgeClass = new Uint8Array(edges.length);
    edges.forEach(([from, to, length, kind], e) => {
      edgeFrom[e] = from - 1;
      edgeTo[e] = to - 1;
      edgeLengthMeters[e] = length;
      let index = classIndex.get(kind);
      if (index === undefined) {
        index = classes.length;
        classes.push(kind);
        classIndex.set(kind, index);
      }
      edgeClass[e] = index;
    });
    return { nodeLngLat, edgeFrom, edgeTo, edgeLengthMeters, edgeClass, classes };
  }

  disputePoints(query: DisputePointQuery): DisputePointArrays {
    const typeCodes = query.types?.map((key) => DISPUTE_TYPE_KEYS.indexOf(key as never));
    const sourceCodes = query.sources?.map((key) => DISPUTE_SOURCE_KEYS.indexOf(key as never));
    const rows = this.db
      .prepare(
        `SELECT id, lng, lat, reported_at, type, grid_code FROM dispute
         WHERE reported_at >= @fromMs AND reported_at < @toMs
           AND (@within IS NULL OR (grid_code >= @within AND grid_code < @withinEnd))
           AND (@types IS NULL OR type IN (SELECT value FROM json_each(@types)))
           AND (@sources IS NULL OR source IN (SELECT value FROM json_each(@sources)))
         ORDER BY id`,
      )
      .raw()
      .all({
        fromMs: query.fromMs,
        toMs: query.toMs,
        ...prefixRange(query.withinCode),
        types: typeCodes ? JSON.stringify(typeCodes) : null,
        sources: sourceCodes ? JSON.stringify(sourceCodes) : null,
      }) as [number, number, number, number, number, string][];
    const gridCodes: string[] = [];
    const gridIndexByCode = new Map<string, number>();
    const id = new Uint32Array(rows.length);
    const lngLat = new Float64Array(rows.length * 2);
    const reportedAtMs = new Float64Array(rows.length);
    const typeIndex = new Uint8Array(rows.length);
    const gridIndex = new Uint32Array(rows.length);
    rows.forEach(([caseId, lng, lat, reportedAt, type, gridCode], i) => {
      id[i] = caseId;
      lngLat[i * 2] = lng;
      lngLat[i * 2 + 1] = lat;
      reportedAtMs[i] = reportedAt;
      typeIndex[i] = type;
      let g = gridIndexByCode.get(gridCode);
      if (g === undefined) {
        g = gridCodes.length;
        gridCodes.push(gridCode);
        gridIndexByCode.set(gridCode, g);
      }
      gridIndex[i] = g;
    });
    return { id, lngLat, reportedAtMs, typeIndex, gridIndex, gridCodes };
  }

  plantedClusters(): unknown[] {
    return (this.db.prepare('SELECT details FROM planted_cluster ORDER BY id').pluck().all() as string[]).map((details) => JSON.parse(details) as unknown);
  }

  readMeta(key: string): unknown {
    const value = this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
    return value === undefined ? null : (JSON.parse(value) as unknown);
  }

  lastDisputeSeq(): number {
    return this.disputes.lastSeq();
  }

  readConsistent<T>(read: () => T): T {
    // A deferred transaction: its first read fixes the snapshot (WAL) the others see.
    return this.db.transaction(read)();
  }

  close(): void {
    this.db.close();
  }
}
