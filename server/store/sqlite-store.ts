// AtlasStore on the embedded SQLite database (better-sqlite3): prepared statements, R*Tree for
// bounding-box filters, geometry parsed from its stored GeoJSON text for the requested zoom band.

import Database from 'better-sqlite3';
import type { LineString, MultiLineString, MultiPolygon } from 'geojson';
import type {
  AdminLevel,
  AdminUnitQuery,
  AdminUnitRecord,
  AdminUnitShape,
  AtlasStore,
  BoundaryLevel,
  BoundaryLineQuery,
  BoundaryLineShape,
  StoreHealth,
} from './atlas-store';

interface UnitRow {
  code: string;
  name: string;
  level: AdminLevel;
  parent_code: string | null;
  population: number | null;
  child_count: number;
}

interface UnitShapeRow extends UnitRow {
  label_lng: number;
  label_lat: number;
  geojson: string;
}

interface LineRow {
  line_id: string;
  level: BoundaryLevel;
  left_code: string;
  right_code: string | null;
  left_name: string;
  right_name: string | null;
  length_meters: number;
  geojson: string;
}

const UNIT_COLUMNS = 'u.code, u.name, u.level, u.parent_code, u.population, u.child_count';

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

export class SqliteStore implements AtlasStore {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly healthSnapshot: StoreHealth;

  /** Opens a built database read-only. */
  constructor(databasePath: string) {
    this.db = new Database(databasePath, { readonly: true, fileMustExist: true });
    const db = this.db;
    // Geometry for a band falls back to the nearest finer band a unit has (tiny units can vanish at coarse bands).
    const geometryForBand = `(SELECT g.geojson FROM admin_geometry g WHERE g.unit_id = u.id AND g.band >= @band
                              ORDER BY g.band LIMIT 1)`;
    this.statements = {
      meta: db.prepare('SELECT key, value FROM meta'),
      unit: db.prepare(`SELECT ${UNIT_COLUMNS} FROM admin_unit u WHERE u.code = ?`),
      children: db.prepare(`SELECT ${UNIT_COLUMNS} FROM admin_unit u WHERE u.parent_code = ? ORDER BY u.code`),
      unitsByLevel: db.prepare(
        `SELECT ${UNIT_COLUMNS}, u.label_lng, u.label_lat, ${geometryForBand} AS geojson
         FROM admin_unit u
         WHERE u.level = @level AND (@within IS NULL OR (u.code > @within AND u.code < @withinEnd)) AND u.label_lng IS NOT NULL
         ORDER BY u.code`,
      ),
      unitsByLevelInBox: db.prepare(
        `SELECT ${UNIT_COLUMNS}, u.label_lng, u.label_lat, ${geometryForBand} AS geojson
         FROM admin_rtree r JOIN admin_unit u ON u.id = r.id
         WHERE r.max_lng >= @minLng AND r.min_lng <= @maxLng AND r.max_lat >= @minLat AND r.min_lat <= @maxLat
           AND u.level = @level AND (@within IS NULL OR (u.code > @within AND u.code < @withinEnd))
         ORDER BY u.code`,
      ),
      lines: db.prepare(
        `SELECT b.line_id, b.level, b.left_code, b.right_code, b.length_meters,
                l.name AS left_name, r.name AS right_name, g.geojson
         FROM boundary_line b
         JOIN boundary_geometry g ON g.line_id = b.id AND g.band = @band
         JOIN admin_unit l ON l.code = b.left_code
         LEFT JOIN admin_unit r ON r.code = b.right_code
         WHERE (@level IS NULL OR b.level = @level)
           AND (@within IS NULL OR (b.left_code >= @within AND b.left_code < @withinEnd)
                OR (b.right_code >= @within AND b.right_code < @withinEnd))
           AND (@minLng IS NULL OR b.id IN (
                 SELECT id FROM boundary_rtree
                 WHERE max_lng >= @minLng AND min_lng <= @maxLng AND max_lat >= @minLat AND min_lat <= @maxLat))
         ORDER BY b.id`,
      ),
    };
    const meta = new Map(
      (this.statements.meta.all() as { key: string; value: string }[]).map((row) => [row.key, row.value]),
    );
    this.healthSnapshot = {
      dataVersion: meta.get('data_version') ?? 'unknown',
      builtAt: meta.get('built_at') ?? 'unknown',
      counts: JSON.parse(meta.get('counts') ?? '{}') as Record<string, number>,
    };
  }

  health(): StoreHealth {
    return this.healthSnapshot;
  }

  adminUnit(code: string): AdminUnitRecord | null {
    const row = this.statements.unit.get(code) as UnitRow | undefined;
    return row ? toRecord(row) : null;
  }

  adminChildren(code: string): AdminUnitRecord[] {
    return (this.statements.children.all(code) as UnitRow[]).map(toRecord);
  }

  adminUnits(query: AdminUnitQuery): AdminUnitShape[] {
    const params = {
      level: query.level,
      ...prefixRange(query.withinCode),
      band: query.band,
    };
    const rows = (
      query.bbox
        ? this.statements.unitsByLevelInBox.all({
            ...params,
            minLng: query.bbox[0],
            minLat: query.bbox[1],
            maxLng: query.bbox[2],
            maxLat: query.bbox[3],
          })
        : this.statements.unitsByLevel.all(params)
    ) as UnitShapeRow[];
    return rows
      .filter((row) => row.geojson !== null)
      .map((row) => ({
        ...toRecord(row),
        geometry: JSON.parse(row.geojson) as MultiPolygon,
        labelLngLat: [row.label_lng, row.label_lat],
      }));
  }

  boundaryLines(query: BoundaryLineQuery): BoundaryLineShape[] {
    const rows = this.statements.lines.all({
      level: query.level ?? null,
      ...prefixRange(query.withinCode),
      band: query.band,
      minLng: query.bbox?.[0] ?? null,
      minLat: query.bbox?.[1] ?? null,
      maxLng: query.bbox?.[2] ?? null,
      maxLat: query.bbox?.[3] ?? null,
    }) as LineRow[];
    return rows.map((row) => ({
      id: row.line_id,
      level: row.level,
      leftCode: row.left_code,
      rightCode: row.right_code,
      leftName: row.left_name,
      rightName: row.right_name,
      lengthMeters: row.length_meters,
      geometry: JSON.parse(row.geojson) as LineString | MultiLineString,
    }));
  }

  close(): void {
    this.db.close();
  }
}
