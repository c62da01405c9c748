// What an import is checked against, read from the atlas database (read-only): the admin hierarchy's
// codes, the unit containing a point (R*Tree candidates, then point-in-polygon on full-detail
// geometry, cached per unit), and reference points for the shifted-coordinates check.

import Database from 'better-sqlite3';
import type { MultiPolygon, Position } from 'geojson';
import { createPointInPolygonIndex, type PointInPolygonIndex } from '../../analysis/geo/point-in-polygon-index';
import type { AdminLevel } from '../../domain/admin-codes';
import { FULL_DETAIL_BAND } from '../../domain/zoom-bands';

export interface ReferenceUnit {
  code: string;
  level: AdminLevel;
  urbanShare: number | null;
}

const LEVEL_DEPTH: Record<AdminLevel, number> = { province: 0, city: 1, county: 2, street: 3, community: 4 };

export class ReferenceGeography {
  private readonly db: Database.Database;
  private readonly units = new Map<string, ReferenceUnit & { id: number }>();
  private readonly shapes = new Map<number, { polygon: MultiPolygon; index: PointInPolygonIndex } | null>();
  private readonly candidates;
  private readonly geometry;
  private readonly gridCandidates;
  private readonly gridShapes = new Map<number, { code: string; index: PointInPolygonIndex }>();

  constructor(databasePath: string) {
    this.db = new Database(databasePath, { readonly: true, fileMustExist: true });
    for (const row of this.db.prepare('SELECT id, code, level, urban_share FROM admin_unit').iterate() as Iterable<{ id: number; code: string; level: AdminLevel; urban_share: number | null }>) {
      this.units.set(row.code, { id: row.id, code: row.code, level: row.level, urbanShare: row.urban_share });
    }
    this.candidates = this.db.prepare(
      `SELECT u.code FROM admin_rtree r JOIN admin_unit u ON u.id = r.id
       WHERE r.min_lng <= ? AND r.max_lng >= ? AND r.min_lat <= ? AND r.max_lat >= ?`,
    );
    this.geometry = this.db.prepare(`SELECT geojson FROM admin_geometry WHERE unit_id = ? AND band = ${FULL_DETAIL_BAND}`);
    this.gridCandidates = this.db.prepare(
      `SELECT g.id, g.code, g.geojson FROM grid_rtree r JOIN grid g ON g.id = r.id
       WHERE r.min_lng <= ? AND r.max_lng >= ? AND r.min_lat <= ? AND r.max_lat >= ?`,
    );
  }

  private lines: Map<string, string> | null = null;

  /** A boundary line's id by its id, or by its two sides (either order) and optional level; null when unknown. */
  boundaryLine(lineId: string | null, sides: [string, string] | null, level: string | null): string | null {
    if (!this.lines) {
      this.lines = new Map();
      for (const row of this.db.prepare('SELECT line_id, level, left_code, right_code FROM boundary_line').iterate() as Iterable<{ line_id: string; level: string; left_code: string; right_code: string | null }>) {
        this.lines.set(row.line_id, row.line_id);
        if (row.right_code !== null) {
          const [a, b] = [row.left_code, row.right_code].sort();
          this.lines.set(`${row.level}|${a}|${b}`, row.line_id);
          this.lines.set(`*|${a}|${b}`, row.line_id);
        }
      }
    }
    if (lineId !== null) return this.lines.get(lineId) ?? null;
    if (!sides) return null;
    const [a, b] = [...sides].sort();
    return this.lines.get(`${level ?? '*'}|${a}|${b}`) ?? null;
  }

  /** The grid (row id and code) whose polygon contains the point, or null outside every grid. */
  locateGrid(lng: number, lat: number): { id: number; code: string } | null {
    for (const row of this.gridCandidates.iterate(lng, lng, lat, lat) as Iterable<{ id: number; code: string; geojson: string }>) {
      let shape = this.gridShapes.get(row.id);
      if (!shape) {
        shape = { code: row.code, index: createPointInPolygonIndex((JSON.parse(row.geojson) as MultiPolygon).coordinates) };
        this.gridShapes.set(row.id, shape);
      }
      if (shape.index.contains(lng, lat)) return { id: row.id, code: row.code };
    }
    return null;
  }

  /** A meta value of the database, or null. */
  meta(key: string): string | null {
    return (this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null;
  }

  close(): void {
    this.db.close();
  }

  /** The unit of a code, or undefined when the code is not in the hierarchy. */
  unit(code: string): ReferenceUnit | undefined {
    return this.units.get(code);
  }

  /** The unit's full-detail polygon (WGS84), or null when it has none. */
  polygon(code: string): MultiPolygon | null {
    return this.shape(code)?.polygon ?? null;
  }

  private shape(code: string) {
    const unit = this.units.get(code);
    if (!unit) return null;
    let shape = this.shapes.get(unit.id);
    if (shape === undefined) {
      const row = this.geometry.get(unit.id) as { geojson: string } | undefined;
      if (row) {
        const polygon = JSON.parse(row.geojson) as MultiPolygon;
        shape = { polygon, index: createPointInPolygonIndex(polygon.coordinates) };
      } else {
        shape = null;
      }
      this.shapes.set(unit.id, shape);
    }
    return shape;
  }

  /** Whether the unit's polygon contains the point; null when the unit has no polygon. */
  contains(code: string, lng: number, lat: number): boolean | null {
    const shape = this.shape(code);
    return shape ? shape.index.contains(lng, lat) : null;
  }

  /** The finest unit whose polygon contains the point, or null outside every unit. */
  locate(lng: number, lat: number): ReferenceUnit | null {
    let best: ReferenceUnit | null = null;
    for (const { code } of this.candidates.iterate(lng, lng, lat, lat) as Iterable<{ code: string }>) {
      const unit = this.units.get(code)!;
      if (best && LEVEL_DEPTH[unit.level] <= LEVEL_DEPTH[best.level]) continue;
      if (this.contains(code, lng, lat)) best = unit;
    }
    return best;
  }

  /**
   * Reference positions for the shifted-coordinates check inside a box: vertices of the admin polygons
   * (counties and finer) and the points of `extraSql` (an existing layer), at most `limit` of each.
   */
  referencePoints(bbox: [number, number, number, number], extraSql: string | null, limit = 200_000): Position[] {
    const out: Position[] = [];
    const [minLng, minLat, maxLng, maxLat] = bbox;
    const ids = this.db
      .prepare(
        `SELECT u.code FROM admin_rtree r JOIN admin_unit u ON u.id = r.id
         WHERE u.level IN ('county', 'street', 'community') AND r.max_lng >= ? AND r.min_lng <= ? AND r.max_lat >= ? AND r.min_lat <= ? LIMIT 5000`,
      )
      .all(minLng, maxLng, minLat, maxLat) as { code: string }[];
    for (const { code } of ids) {
      for (const polygon of this.polygon(code)?.coordinates ?? []) {
        for (const ring of polygon) for (const position of ring) if (out.length < limit) out.push(position);
      }
    }
    if (extraSql) {
      let added = 0;
      for (const row of this.db.prepare(extraSql).iterate(minLng, maxLng, minLat, maxLat) as Iterable<{ lng: number; lat: number }>) {
        out.push([row.lng, row.lat]);
        if (++added >= limit) break;
      }
    }
    return out;
  }
}
