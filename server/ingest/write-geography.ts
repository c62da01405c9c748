// Writes admin units, their geometry per zoom band (from a shared-arc topology, or dissolved from it)
// and the boundary lines derived from the topology's arcs into the atlas database.

import type Database from 'better-sqlite3';
import type { LineString, MultiLineString, MultiPolygon, Position } from 'geojson';
import polylabel from 'polylabel';
import { length as turfLength } from '@turf/turf';
import type { Topology } from 'topojson-specification';
import {
  groupBoundaryArcs,
  mergeUnitArcs,
  renderChains,
  renderPolygonal,
  renderUnit,
  type BoundaryArcGroup,
  type UnitTopology,
} from '../analysis/geo/unit-topology';
import { FULL_DETAIL_BAND } from '../domain/zoom-bands';
import type { BoundaryLevel } from '../domain/admin-codes';
import type { UnitRow } from './base-geography';

export function writeUnits(db: Database.Database, units: Iterable<UnitRow>): void {
  const insert = db.prepare(
    `INSERT INTO admin_unit (id, code, name, level, parent_code, population, urban_share, child_count)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const unit of units) {
    const { code, name, level, parentCode } = unit.division;
    insert.run(unit.id, code, name, level, parentCode, unit.population, unit.urbanShare, unit.childCount);
  }
}

/** Writes one unit's geometry at every band, its bounding box and its label point. */
function createUnitGeometryWriter(db: Database.Database, units: Map<string, UnitRow>, bandCount: number) {
  const insertGeometry = db.prepare('INSERT INTO admin_geometry (unit_id, band, geojson) VALUES (?, ?, ?)');
  const insertBox = db.prepare('INSERT INTO admin_rtree (id, min_lng, max_lng, min_lat, max_lat) VALUES (?, ?, ?, ?, ?)');
  const setLabel = db.prepare('UPDATE admin_unit SET label_lng = ?, label_lat = ? WHERE id = ?');
  return (code: string, renderAtBand: (band: number) => MultiPolygon | null): void => {
    const unit = units.get(code);
    if (!unit) throw new Error(`geometry for unknown unit ${code}`);
    for (let band = 0; band < bandCount; band++) {
      const geometry = renderAtBand(band);
      if (!geometry) {
        if (band === FULL_DETAIL_BAND) throw new Error(`unit ${code} has no geometry at full detail`);
        continue;
      }
      insertGeometry.run(unit.id, band, JSON.stringify(geometry));
      if (band === FULL_DETAIL_BAND) {
        const [minLng, minLat, maxLng, maxLat] = boundsOf(geometry.coordinates.flat(2));
        insertBox.run(unit.id, minLng, maxLng, minLat, maxLat);
        const [labelLng, labelLat] = unit.labelLngLat ?? labelPoint(geometry);
        setLabel.run(labelLng, labelLat, unit.id);
      }
    }
  };
}

/**
 * Geometry of every unit of a topology, and of the parents listed in `dissolve` (parent code → the
 * topology's unit indices), merged from their children's arcs so every level shares the same edges.
 */
export function writeTopologyGeometry(
  db: Database.Database,
  units: Map<string, UnitRow>,
  topology: UnitTopology,
  bands: Topology[],
  dissolve: Map<string, number[]> = new Map(),
): void {
  const write = createUnitGeometryWriter(db, units, bands.length);
  topology.codes.forEach((code, index) => write(code, (band) => renderUnit(bands[band]!, topology, index)));
  for (const [parentCode, indices] of dissolve) {
    const merged = mergeUnitArcs(topology, indices);
    write(parentCode, (band) => renderPolygonal(bands[band]!, merged));
  }
}

export interface BoundaryLevelSpec {
  level: BoundaryLevel;
  /** The group (unit at this level) a topology unit belongs to. */
  groupOf: (code: string) => string;
  /** Which groups become lines (pairs of units, or the outer edge). */
  keep: (group: BoundaryArcGroup) => boolean;
}

export interface WrittenBoundaryLine {
  rowId: number;
  id: string;
  level: BoundaryLevel;
  leftCode: string;
  rightCode: string | null;
  geometry: LineString | MultiLineString;
}

/** Demonstration attributes of a line: the safe-boundary agreement and joint work along it. */
export interface BoundaryAgreement {
  agreementSigned: boolean;
  jointMediation: boolean;
  /** ISO date (yyyy-mm-dd) of the last joint patrol, or null if none. */
  lastJointPatrol: string | null;
}

/** Boundary lines of the given levels from the topology's arcs; row ids continue after `firstRowId`. */
export function writeBoundaryLines(
  db: Database.Database,
  units: Map<string, UnitRow>,
  topology: UnitTopology,
  bands: Topology[],
  specs: BoundaryLevelSpec[],
  firstRowId: number,
  agreementOf?: (lineId: string) => BoundaryAgreement,
): { counts: Record<string, number>; lines: WrittenBoundaryLine[] } {
  const insertLine = db.prepare(
    `INSERT INTO boundary_line (id, line_id, level, left_code, right_code, length_meters, agreement_signed, joint_mediation, last_joint_patrol)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertGeometry = db.prepare('INSERT INTO boundary_geometry (line_id, band, geojson) VALUES (?, ?, ?)');
  const insertBox = db.prepare('INSERT INTO boundary_rtree (id, min_lng, max_lng, min_lat, max_lat) VALUES (?, ?, ?, ?, ?)');
  const counts: Record<string, number> = {};
  const lines: WrittenBoundaryLine[] = [];
  let rowId = firstRowId;
  for (const { level, groupOf, keep } of specs) {
    const groups = groupBoundaryArcs(topology, groupOf).filter(keep);
    counts[`boundaryLines.${level}`] = groups.length;
    for (const group of groups) {
      rowId += 1;
      const lineId = `${level}:${group.leftGroup}|${group.rightGroup ?? 'outer'}`;
      const full = renderChains(bands[FULL_DETAIL_BAND]!, group.chains);
      const lengthMeters = Math.round(turfLength({ type: 'Feature', geometry: full, properties: {} }, { units: 'meters' }) * 10) / 10;
      if (!units.has(group.leftGroup)) throw new Error(`boundary side ${group.leftGroup} is not a unit`);
      const agreement = group.rightGroup === null ? undefined : agreementOf?.(lineId);
      insertLine.run(
        rowId,
        lineId,
        level,
        group.leftGroup,
        group.rightGroup,
        lengthMeters,
        agreement ? Number(agreement.agreementSigned) : null,
        agreement ? Number(agreement.jointMediation) : null,
        agreement?.lastJointPatrol ?? null,
      );
      bands.forEach((bandTopology, band) => {
        const geometry = band === FULL_DETAIL_BAND ? full : renderChains(bandTopology, group.chains);
        insertGeometry.run(rowId, band, JSON.stringify(geometry));
      });
      const [minLng, minLat, maxLng, maxLat] = boundsOf(linePositions(full));
      insertBox.run(rowId, minLng, maxLng, minLat, maxLat);
      lines.push({ rowId, id: lineId, level, leftCode: group.leftGroup, rightCode: group.rightGroup, geometry: full });
    }
  }
  return { counts, lines };
}

function linePositions(geometry: LineString | MultiLineString): Position[] {
  return geometry.type === 'LineString' ? geometry.coordinates : geometry.coordinates.flat();
}

export function boundsOf(positions: Iterable<Position>): [number, number, number, number] {
  let minLng = Infinity;
  let minLat = Infinity;
  let maxLng = -Infinity;
  let maxLat = -Infinity;
  for (const [lng, lat] of positions) {
    if (lng! < minLng) minLng = lng!;
    if (lng! > maxLng) maxLng = lng!;
    if (lat! < minLat) minLat = lat!;
    if (lat! > maxLat) maxLat = lat!;
  }
  return [minLng, minLat, maxLng, maxLat];
}

/** Pole of inaccessibility of the largest part, to about 100 m. */
function labelPoint(geometry: MultiPolygon): [number, number] {
  let largest = geometry.coordinates[0]!;
  let largestSpan = -1;
  for (const polygon of geometry.coordinates) {
    const [minLng, minLat, maxLng, maxLat] = boundsOf(polygon[0]!);
    const span = (maxLng - minLng) * (maxLat - minLat);
    if (span > largestSpan) {
      largestSpan = span;
      largest = polygon;
    }
  }
  const point = polylabel(largest as [number, number][][], 0.001);
  return [Math.round(point[0]! * 1e6) / 1e6, Math.round(point[1]! * 1e6) / 1e6];
}
