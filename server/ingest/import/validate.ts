// The validate stage: each converted feature becomes a row of its layer or issues naming its number —
// missing required fields, wrong types, codes not in the hierarchy, features outside their declared
// parent, duplicates, invalid geometry (repaired where safe: ring closure and orientation, duplicate
// vertices, rings touching themselves at a vertex; rejected when edges cross) — and a layer's grids are
// checked for overlaps and gaps inside their community by area sums, located only where the sums differ.

import type { GridRecord } from '../../store/atlas-store';
import { area as turfArea, difference as turfDifference, featureCollection, intersect as turfIntersect, multiPolygon as turfMultiPolygon, union as turfUnion } from '@turf/turf';
import type { Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import polylabel from 'polylabel';
import { createPointInPolygonIndex } from '../../analysis/geo/point-in-polygon-index';
import { GRID_CODE_LENGTH } from '../../domain/admin-codes';
import { FACILITY_KINDS, FACILITY_KIND_LABELS, type FacilityKind } from '../../domain/facility-kinds';
import { roundDegrees } from '../coordinate-systems';
import { MAX_LISTED_ISSUES, type ImportIssue } from './import-types';
import { toNumber } from './read';
import type { ReferenceGeography } from './reference-geography';

/** Collects issues: every one counted, the first MAX_LISTED_ISSUES listed (and every one about the whole file). */
export class IssueLog {
  readonly listed: ImportIssue[] = [];
  readonly counts = { error: 0, warning: 0, repaired: 0 };
  readonly byCode: Record<string, number> = {};

  add(issue: ImportIssue): void {
    this.counts[issue.severity] += 1;
    this.byCode[issue.code] = (this.byCode[issue.code] ?? 0) + 1;
    // Issues about the file as a whole (feature 0) are few and always listed.
    if (this.listed.length < MAX_LISTED_ISSUES || issue.feature === 0) this.listed.push(issue);
  }

  error(feature: number, code: string, message: string, extra: Partial<ImportIssue> = {}): void {
    this.add({ severity: 'error', feature, code, message, ...extra });
  }
}

/** One feature's errors as a validator logs them: `fail` logs one (naming the field), `ok` says none was. */
export function featureFaults(log: IssueLog, number: number): { fail: (code: string, message: string, field?: string) => void; readonly ok: boolean } {
  let ok = true;
  return {
    fail: (code, message, field) => {
      log.error(number, code, message, field ? { field } : {});
      ok = false;
    },
    get ok() {
      return ok;
    },
  };
}

/** The position of a Point (or a MultiPoint of one), else null. */
export function pointOf(geometry: Geometry | null): Position | null {
  if (geometry?.type === 'Point') return geometry.coordinates;
  return geometry?.type === 'MultiPoint' && geometry.coordinates.length === 1 ? geometry.coordinates[0]! : null;
}

/**
 * Rejects the rows whose key repeats an earlier row's: each is reported (with its key and the earlier
 * row's feature number) and added to `rejected`; the first of each key is kept.
 */
export function rejectRepeats<R extends { number: number }>(rows: readonly R[], keyOf: (row: R) => string, report: (row: R, key: string, earlier: number) => void, rejected: Set<number>): void {
  const seen = new Map<string, number>();
  for (const row of rows) {
    const key = keyOf(row);
    const earlier = seen.get(key);
    if (earlier === undefined) {
      seen.set(key, row.number);
    } else {
      report(row, key, earlier);
      rejected.add(row.number);
    }
  }
}

/** The property under any of its names (compared without case, spaces or underscores). */
export function pickField(properties: Record<string, unknown>, names: readonly string[]): { key: string; value: unknown } | null {
  const wanted = new Set(names.map(normaliseName));
  for (const [key, value] of Object.entries(properties)) {
    if (wanted.has(normaliseName(key)) && value !== null && value !== undefined && !(typeof value === 'string' && value.trim() === '')) return { key, value };
  }
  return null;
}

const normaliseName = (name: string): string => name.toLowerCase().replace(/[\s_-]/g, '');

/** A text field's value (numbers are written as text), or null when blank. */
export function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** An integer ≥ 0 (numeric text accepted), or null when it is not one. */
function countOf(value: unknown): number | null {
  const number = toNumber(value);
  return number !== null && Number.isInteger(number) && number >= 0 ? number : null;
}

/** 1/0, true/false, yes/no, 是/否. */
function booleanOf(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (['1', 'true', 'yes', 'y', '是', 't'].includes(text)) return true;
  if (['0', 'false', 'no', 'n', '否', 'f'].includes(text)) return false;
  return null;
}

// ---- geometry ---------------------------------------------------------------------------------------

const samePosition = (a: Position, b: Position): boolean => a[0] === b[0] && a[1] === b[1];

/** Twice the signed area of a ring (shoelace, lon/lat degrees): positive when counter-clockwise. */
function signedArea2(ring: readonly Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) sum += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
  return sum;
}

/** Whether two segments cross at a point interior to both (touching at ends does not count). */
function segmentsCross(a: Position, b: Position, c: Position, d: Position): boolean {
  const orient = (p: Position, q: Position, r: Position) => (q[0]! - p[0]!) * (r[1]! - p[1]!) - (q[1]! - p[1]!) * (r[0]! - p[0]!);
  const d1 = orient(c, d, a);
  const d2 = orient(c, d, b);
  const d3 = orient(a, b, c);
  const d4 = orient(a, b, d);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

/** The first pair of crossing edges of a closed ring, as the crossing's approximate place, or null. */
function findRingCrossing(ring: readonly Position[]): Position | null {
  const n = ring.length - 1;
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue;
      if (segmentsCross(ring[i]!, ring[i + 1]!, ring[j]!, ring[j + 1]!)) return [(ring[i]![0]! + ring[i + 1]![0]!) / 2, (ring[i]![1]! + ring[i + 1]![1]!) / 2];
    }
  }
  return null;
}

/** Splits a closed ring that passes a vertex twice into simple closed loops. */
function splitAtRepeatedVertices(ring: Position[]): Position[][] {
  const open = ring.slice(0, -1);
  const loops: Position[][] = [];
  const stack: Position[] = [];
  const seen = new Map<string, number>();
  for (const position of open) {
    const key = `${position[0]},${position[1]}`;
    const at = seen.get(key);
    if (at !== undefined) {
      const loop = stack.splice(at);
      for (const p of loop) seen.delete(`${p[0]},${p[1]}`);
      loops.push([...loop, loop[0]!]);
    }
    seen.set(key, stack.length);
    stack.push(position);
  }
  loops.push([...stack, stack[0]!]);
  return loops.filter((loop) => loop.length >= 4);
}

function ringContains(ring: readonly Position[], point: Position): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi! > point[1]! !== yj! > point[1]! && point[0]! < ((xj! - xi!) * (point[1]! - yi!)) / (yj! - yi!) + xi!) inside = !inside;
  }
  return inside;
}

/**
 * A (Multi)Polygon as repaired MultiPolygon coordinates (WGS84), or why it cannot be used. Repairs are
 * listed: dropped repeated vertices, closed rings, re-oriented rings (RFC 7946: exterior counter-clockwise),
 * rings touching themselves split into parts or holes. Crossing edges are not repaired.
 */
export function repairPolygon(geometry: Geometry | null, { orientationIsConvention = false } = {}): { coordinates: Position[][][]; repairs: string[] } | { problem: string; lngLat?: [number, number] } {
  if (!geometry) return { problem: 'no geometry' };
  if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') return { problem: `a ${geometry.type}, expected a Polygon or MultiPolygon` };
  const polygons = geometry.type === 'Polygon' ? [(geometry as Polygon).coordinates] : (geometry as MultiPolygon).coordinates;
  const repairs = new Set<string>();
  const out: Position[][][] = [];
  for (const polygon of polygons) {
    const rings: Position[][] = [];
    for (const [r, rawRing] of polygon.entries()) {
      if (!Array.isArray(rawRing)) return { problem: 'malformed ring' };
      const ring: Position[] = [];
      for (const position of rawRing) {
        if (!Array.isArray(position) || !Number.isFinite(position[0]) || !Number.isFinite(position[1])) return { problem: 'a vertex is not a number pair' };
        if (ring.length > 0 && samePosition(ring[ring.length - 1]!, position)) {
          repairs.add('duplicate vertices removed');
          continue;
        }
        ring.push([position[0]!, position[1]!]);
      }
      if (ring.length > 1 && !samePosition(ring[0]!, ring[ring.length - 1]!)) {
        ring.push(ring[0]!);
        repairs.add('ring closed');
      }
      if (ring.length < 4) {
        if (r === 0) return { problem: `exterior ring has ${Math.max(0, ring.length - 1)} distinct vertices, at least 3 needed` };
        repairs.add('degenerate hole removed');
        continue;
      }
      const loops = splitAtRepeatedVertices(ring);
      if (loops.length > 1) repairs.add('self-touching ring split');
      for (const loop of loops) {
        const crossing = findRingCrossing(loop);
        if (crossing) return { problem: 'self-intersecting ring (edges cross): not repaired', lngLat: [roundDegrees(crossing[0]!), roundDegrees(crossing[1]!)] };
        if (signedArea2(loop) === 0) {
          repairs.add('zero-area ring removed');
          continue;
        }
        rings.push(loop);
      }
    }
    if (rings.length === 0) return { problem: 'no ring with an area' };
    // The largest ring is the exterior; a loop split off it is a hole when inside it, else its own part.
    // The others keep their order, so a valid polygon comes out as it went in.
    const largest = rings.reduce((best, ring, index) => (Math.abs(signedArea2(ring)) > Math.abs(signedArea2(rings[best]!)) ? index : best), 0);
    const exterior = rings[largest];
    const rest = rings.filter((_, index) => index !== largest);
    const holes: Position[][] = [];
    for (const ring of rest) {
      if (ringContains(exterior!, ring[0]!) || ringContains(exterior!, ring[1]!)) holes.push(ring);
      else out.push([orient(ring, true, repairs)]);
    }
    out.push([orient(exterior!, true, repairs), ...holes.map((hole) => orient(hole, false, repairs))]);
  }
  // Shapefiles draw exteriors clockwise by their specification: turning them is no repair worth reporting.
  if (orientationIsConvention) repairs.delete('ring orientation corrected');
  return { coordinates: out, repairs: [...repairs] };
}

function orient(ring: Position[], counterClockwise: boolean, repairs: Set<string>): Position[] {
  const clockwise = signedArea2(ring) < 0;
  if (clockwise === counterClockwise) {
    repairs.add('ring orientation corrected');
    return [...ring].reverse();
  }
  return ring;
}

// ---- facilities -------------------------------------------------------------------------------------

export interface FacilityRow {
  number: number;
  kind: FacilityKind;
  name: string;
  unitCode: string;
  communityCode: string;
  lng: number;
  lat: number;
  capacity: number;
  openingHours: string;
  standardised: boolean;
}

const KIND_BY_NAME = new Map<string, FacilityKind>();
for (const kind of FACILITY_KINDS) {
  KIND_BY_NAME.set(kind, kind);
  KIND_BY_NAME.set(FACILITY_KIND_LABELS[kind].zh, kind);
  KIND_BY_NAME.set(normaliseName(FACILITY_KIND_LABELS[kind].en), kind);
}

export const FACILITY_FIELDS = {
  kind: ['kind', '类型', '设施类型'],
  name: ['name', '名称'],
  capacity: ['capacity', '容量'],
  openingHours: ['openingHours', 'opening_hours', 'openingHou', 'hours', '开放时间'],
  standardised: ['standardised', 'standardized', 'standardis', '达标'],
  unitCode: ['unitCode', 'unit_code', '单位代码', '所属单位'],
} as const;

/** Validates one converted facility (a Point in WGS84); returns its row or null after logging why not. */
export function validateFacility(
  number: number,
  properties: Record<string, unknown>,
  geometry: Geometry | null,
  reference: ReferenceGeography,
  log: IssueLog,
): FacilityRow | null {
  const faults = featureFaults(log, number);
  const { fail } = faults;
  const point = pointOf(geometry);
  if (!point) fail('invalid-geometry', geometry ? `a ${geometry.type}, expected a Point` : 'no geometry');
  const kindField = pickField(properties, FACILITY_FIELDS.kind);
  const kind = kindField ? KIND_BY_NAME.get(String(kindField.value).trim()) ?? KIND_BY_NAME.get(normaliseName(String(kindField.value))) : undefined;
  if (!kindField) fail('missing-field', 'no kind', 'kind');
  else if (!kind) fail('wrong-type', `kind "${String(kindField.value).slice(0, 40)}" is not a facility kind (${FACILITY_KINDS.join(', ')})`, 'kind');
  const nameField = pickField(properties, FACILITY_FIELDS.name);
  const name = nameField ? textOf(nameField.value) : null;
  if (!name) fail('missing-field', 'no name', 'name');
  const capacityField = pickField(properties, FACILITY_FIELDS.capacity);
  const capacity = capacityField ? countOf(capacityField.value) : 0;
  if (capacity === null) fail('wrong-type', `capacity ${JSON.stringify(capacityField!.value)} is not a whole number ≥ 0`, 'capacity');
  const hoursField = pickField(properties, FACILITY_FIELDS.openingHours);
  const openingHours = hoursField ? String(hoursField.value).trim() : '';
  if (hoursField && !/^\d{1,2}:\d{2}-\d{1,2}:\d{2}(,\s*\d{1,2}:\d{2}-\d{1,2}:\d{2})*$|^24h$/.test(openingHours)) {
    fail('wrong-type', `openingHours "${openingHours.slice(0, 40)}" is not like 08:30-17:00`, 'openingHours');
  }
  const standardisedField = pickField(properties, FACILITY_FIELDS.standardised);
  const standardised = standardisedField ? booleanOf(standardisedField.value) : false;
  if (standardised === null) fail('wrong-type', `standardised ${JSON.stringify(standardisedField!.value)} is not 1/0 or true/false`, 'standardised');
  if (!point || !faults.ok) return null;
  const [lng, lat] = point as [number, number];
  if (!(Math.abs(lng) <= 180 && Math.abs(lat) <= 90)) {
    fail('invalid-geometry', `position ${lng}, ${lat} is not longitude/latitude (a projected file needs --crs EPSG:nnnn)`);
    return null;
  }
  const located = reference.locate(lng, lat);
  if (!located) {
    log.error(number, 'outside-atlas', 'outside every unit of the atlas', { lngLat: [lng, lat] });
    return null;
  }
  const unitField = pickField(properties, FACILITY_FIELDS.unitCode);
  let unitCode = located.code;
  if (unitField) {
    const code = textOf(unitField.value)!.replace(/0+$/, '');
    const unit = reference.unit(code) ?? reference.unit(textOf(unitField.value)!);
    if (!unit) {
      log.error(number, 'unknown-code', `unitCode ${textOf(unitField.value)} is not in the hierarchy`, { field: 'unitCode', lngLat: [lng, lat] });
      return null;
    }
    if (!located.code.startsWith(unit.code)) {
      log.error(number, 'outside-parent', `the facility lies in ${located.code}, outside its unit ${unit.code}`, { field: 'unitCode', lngLat: [lng, lat] });
      return null;
    }
    unitCode = unit.code;
  }
  return { number, kind: kind!, name: name!, unitCode, communityCode: located.code, lng, lat, capacity: capacity!, openingHours, standardised: standardised! };
}

// ---- grids ------------------------------------------------------------------------------------------

/** A grid as validated: the store's record with the feature's number and its polygon. */
export interface GridRow extends GridRecord {
  number: number;
  coordinates: Position[][][];
}

export const GRID_FIELDS = {
  code: ['code', 'grid_code', 'gridCode', '网格编码', '网格代码'],
  name: ['name', '网格名称', '名称'],
  communityCode: ['communityCode', 'community_code', 'community', '社区代码'],
  urban: ['urban', '城镇'],
  population: ['population', '人口'],
  households: ['households', '户数'],
  fullTimeWorkers: ['fullTimeWorkers', 'full_time_workers', 'full_time', 'fulltime', '专职网格员'],
  partTimeWorkers: ['partTimeWorkers', 'part_time_workers', 'part_time', 'parttime', '兼职网格员'],
} as const;

/** Validates one converted grid polygon (WGS84); returns its row or null after logging why not. */
export function validateGrid(
  number: number,
  properties: Record<string, unknown>,
  geometry: Geometry | null,
  reference: ReferenceGeography,
  log: IssueLog,
  { orientationIsConvention = false } = {},
): GridRow | null {
  const faults = featureFaults(log, number);
  const { fail } = faults;
  const codeField = pickField(properties, GRID_FIELDS.code);
  const code = codeField ? textOf(codeField.value) : null;
  if (!code) fail('missing-field', 'no code', 'code');
  else if (!new RegExp(`^\\d{${GRID_CODE_LENGTH}}$`).test(code)) fail('wrong-type', `code "${code.slice(0, 30)}" is not ${GRID_CODE_LENGTH} digits`, 'code');
  const nameField = pickField(properties, GRID_FIELDS.name);
  const name = nameField ? textOf(nameField.value) : null;
  if (!name) fail('missing-field', 'no name', 'name');
  const counts: Record<'population' | 'households' | 'fullTimeWorkers' | 'partTimeWorkers', number> = { population: 0, households: 0, fullTimeWorkers: 0, partTimeWorkers: 0 };
  for (const field of ['population', 'households', 'fullTimeWorkers', 'partTimeWorkers'] as const) {
    const picked = pickField(properties, GRID_FIELDS[field]);
    if (!picked) continue;
    const value = countOf(picked.value);
    if (value === null) fail('wrong-type', `${field} ${JSON.stringify(picked.value)} is not a whole number ≥ 0`, field);
    else counts[field] = value;
  }
  const urbanField = pickField(properties, GRID_FIELDS.urban);
  const urbanValue = urbanField ? booleanOf(urbanField.value) : null;
  if (urbanField && urbanValue === null) fail('wrong-type', `urban ${JSON.stringify(urbanField.value)} is not 1/0`, 'urban');
  const repaired = repairPolygon(geometry, { orientationIsConvention });
  if ('problem' in repaired) {
    log.error(number, 'invalid-geometry', repaired.problem, repaired.lngLat ? { lngLat: repaired.lngLat } : {});
    return null;
  }
  if (!faults.ok || !code) return null;
  for (const repair of repaired.repairs) log.add({ severity: 'repaired', feature: number, code: 'geometry-repaired', message: repair });
  const communityCode = code.slice(0, GRID_CODE_LENGTH - 3);
  const community = reference.unit(communityCode);
  if (!community || community.level !== 'community') {
    log.error(number, 'unknown-code', `community ${communityCode} (the code's first 12 digits) is not in the hierarchy`, { field: 'code' });
    return null;
  }
  const declared = pickField(properties, GRID_FIELDS.communityCode);
  if (declared && textOf(declared.value) !== communityCode) {
    log.error(number, 'unknown-code', `communityCode ${textOf(declared.value)} differs from the code's community ${communityCode}`, { field: 'communityCode' });
    return null;
  }
  const largest = repaired.coordinates.reduce((a, b) => (Math.abs(signedArea2(b[0]!)) > Math.abs(signedArea2(a[0]!)) ? b : a));
  // 1e-5° (about 1 m), as the generator places its label points.
  const label = polylabel(largest as [number, number][][], 1e-5);
  const labelLngLat: [number, number] = [roundDegrees(label[0]!), roundDegrees(label[1]!)];
  const inside = reference.contains(communityCode, labelLngLat[0], labelLngLat[1]);
  if (inside === false) {
    log.error(number, 'outside-parent', `the grid lies outside its community ${communityCode}`, { lngLat: labelLngLat });
    return null;
  }
  if (inside === null) log.add({ severity: 'warning', feature: number, code: 'parent-without-polygon', message: `community ${communityCode} has no polygon in the atlas: containment not checked` });
  return {
    number,
    code,
    name: name!,
    communityCode,
    urban: urbanValue ?? (community.urbanShare ?? 0) >= 0.5,
    ...counts,
    areaSquareMeters: turfArea({ type: 'MultiPolygon', coordinates: repaired.coordinates }),
    labelLngLat,
    coordinates: repaired.coordinates,
  };
}

/** Relative difference between a community's area and its grids' summed area that counts as overlap or gap. */
export const GRID_AREA_TOLERANCE = 0.002;

/**
 * Overlaps and gaps of grids inside each community: the grids' summed area is compared with the community's;
 * where it differs by more than GRID_AREA_TOLERANCE (and 100 m²), the overlapping pairs (area, place) or the
 * uncovered remainder (area, place) are computed with Turf. Warnings: the import still commits.
 */
export function checkGridTiling(rows: readonly GridRow[], reference: ReferenceGeography, log: IssueLog): void {
  const byCommunity = new Map<string, GridRow[]>();
  for (const row of rows) {
    const list = byCommunity.get(row.communityCode);
    if (list) list.push(row);
    else byCommunity.set(row.communityCode, [row]);
  }
  for (const [communityCode, grids] of byCommunity) {
    const polygon = reference.polygon(communityCode);
    if (!polygon) continue;
    const communityArea = turfArea(polygon);
    const gridArea = grids.reduce((sum, grid) => sum + grid.areaSquareMeters, 0);
    const slack = Math.max(100, communityArea * GRID_AREA_TOLERANCE);
    if (Math.abs(gridArea - communityArea) <= slack) continue;
    let overlapArea = 0;
    for (let i = 0; i < grids.length; i++) {
      for (let j = i + 1; j < grids.length; j++) {
        if (!boxesOverlap(grids[i]!, grids[j]!) || !interiorsMayOverlap(grids[i]!, grids[j]!)) continue;
        const overlap = safeTurf(() => turfIntersect(featureCollection([turfMultiPolygon(grids[i]!.coordinates), turfMultiPolygon(grids[j]!.coordinates)])));
        const overlapM2 = overlap ? turfArea(overlap) : 0;
        if (overlapM2 <= 100) continue;
        overlapArea += overlapM2;
        log.add({
          severity: 'warning',
          feature: grids[j]!.number,
          code: 'grid-overlap',
          message: `grid ${grids[j]!.code} overlaps grid ${grids[i]!.code} (feature ${grids[i]!.number}) by ${Math.round(overlapM2)} m² in community ${communityCode}`,
          areaM2: Math.round(overlapM2),
          lngLat: centreOf(overlap!.geometry),
        });
      }
    }
    const gapM2 = communityArea - (gridArea - overlapArea);
    if (gapM2 > slack) {
      const covered = grids.length === 1 ? turfMultiPolygon(grids[0]!.coordinates) : safeTurf(() => turfUnion(featureCollection(grids.map((grid) => turfMultiPolygon(grid.coordinates)))));
      const gap = covered ? safeTurf(() => turfDifference(featureCollection([turfMultiPolygon(polygon.coordinates), covered]))) : null;
      log.add({
        severity: 'warning',
        feature: 0,
        code: 'grid-gap',
        message: `the grids leave ${Math.round(gapM2)} m² of community ${communityCode} uncovered`,
        areaM2: Math.round(gapM2),
        ...(gap ? { lngLat: centreOf(gap.geometry) } : {}),
      });
    }
  }
}

/**
 * Whether two polygons' interiors may overlap: the label point (an interior point) of one lies inside the
 * other, a vertex of one that is not a vertex of the other lies inside it, or two edges cross. Neighbours
 * sharing their border (and its vertices) do none of these, which spares them the exact (and costly)
 * intersection.
 */
function interiorsMayOverlap(a: GridRow, b: GridRow): boolean {
  const vertexInside = (from: GridRow, into: GridRow): boolean => {
    const shared = new Set<string>();
    for (const polygon of into.coordinates) for (const ring of polygon) for (const p of ring) shared.add(`${p[0]},${p[1]}`);
    const index = createPointInPolygonIndex(into.coordinates);
    if (index.contains(from.labelLngLat[0], from.labelLngLat[1])) return true;
    for (const polygon of from.coordinates) {
      for (const ring of polygon) for (const p of ring) if (!shared.has(`${p[0]},${p[1]}`) && index.contains(p[0]!, p[1]!)) return true;
    }
    return false;
  };
  if (vertexInside(a, b) || vertexInside(b, a)) return true;
  for (const pa of a.coordinates) {
    for (const ra of pa) {
      for (const pb of b.coordinates) {
        for (const rb of pb) {
          for (let i = 1; i < ra.length; i++) for (let j = 1; j < rb.length; j++) if (segmentsCross(ra[i - 1]!, ra[i]!, rb[j - 1]!, rb[j]!)) return true;
        }
      }
    }
  }
  return false;
}

function safeTurf<T>(work: () => T): T | null {
  try {
    return work();
  } catch {
    return null;
  }
}

function boxOf(row: GridRow): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const polygon of row.coordinates) {
    for (const [x, y] of polygon[0]!) {
      minX = Math.min(minX, x!);
      maxX = Math.max(maxX, x!);
      minY = Math.min(minY, y!);
      maxY = Math.max(maxY, y!);
    }
  }
  return [minX, minY, maxX, maxY];
}

function boxesOverlap(a: GridRow, b: GridRow): boolean {
  const [ax0, ay0, ax1, ay1] = boxOf(a);
  const [bx0, by0, bx1, by1] = boxOf(b);
  return ax0 < bx1 && bx0 < ax1 && ay0 < by1 && by0 < ay1;
}

/** A representative place of a polygon (pole of inaccessibility of its largest part), 6 decimals. */
function centreOf(geometry: Polygon | MultiPolygon): [number, number] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const largest = polygons.reduce((a, b) => (Math.abs(signedArea2(b[0]!)) > Math.abs(signedArea2(a[0]!)) ? b : a));
  const point = polylabel(largest as [number, number][][], 1e-6);
  return [roundDegrees(point[0]!), roundDegrees(point[1]!)];
}

// ---- population points ----------------------------------------------------------------------------

export interface PopulationRow {
  number: number;
  gridId: number;
  lng: number;
  lat: number;
  population: number;
}

export const POPULATION_FIELDS = ['population', 'residents', 'pop', '人口'] as const;

/** Validates one population point (WGS84): a Point with a whole population ≥ 1 inside a grid of the atlas. */
export function validatePopulationPoint(number: number, properties: Record<string, unknown>, geometry: Geometry | null, reference: ReferenceGeography, log: IssueLog): PopulationRow | null {
  const point = pointOf(geometry);
  if (!point) {
    log.error(number, 'invalid-geometry', geometry ? `a ${geometry.type}, expected a Point` : 'no geometry');
    return null;
  }
  const field = pickField(properties, POPULATION_FIELDS);
  const population = field ? countOf(field.value) : null;
  if (!field) {
    log.error(number, 'missing-field', 'no population', { field: 'population' });
    return null;
  }
  if (population === null || population === 0) {
    log.error(number, 'wrong-type', `population ${JSON.stringify(field.value)} is not a whole number ≥ 1`, { field: 'population' });
    return null;
  }
  const [lng, lat] = point as [number, number];
  const grid = Math.abs(lng) <= 180 && Math.abs(lat) <= 90 ? reference.locateGrid(lng, lat) : null;
  if (!grid) {
    log.error(number, 'outside-parent', 'outside every grid of the atlas', { lngLat: [lng, lat] });
    return null;
  }
  return { number, gridId: grid.id, lng, lat, population };
}

// ---- admin units (communities) ----------------------------------------------------------------------

export interface CommunityRow {
  number: number;
  code: string;
  /** The file's name, or null to keep the hierarchy's. */
  name: string | null;
  coordinates: Position[][][];
}

export const UNIT_FIELDS = {
  code: ['code', 'community_code', 'communityCode', '社区代码', '代码', '区划代码'],
  name: ['name', '名称', '社区名称'],
} as const;

/**
 * Validates one community polygon (WGS84): a code of the hierarchy's communities (12 digits; trailing
 * zeros of a 12-digit code are kept), a repairable polygon, lying inside its county. Street polygons
 * (9-digit codes) are left out with a warning: streets are dissolved from their communities.
 */
export function validateCommunity(number: number, properties: Record<string, unknown>, geometry: Geometry | null, reference: ReferenceGeography, log: IssueLog): CommunityRow | null {
  const codeField = pickField(properties, UNIT_FIELDS.code);
  const code = codeField ? textOf(codeField.value) : null;
  if (!code) {
    log.error(number, 'missing-field', 'no code', { field: 'code' });
    return null;
  }
  if (/^\d{9}$/.test(code)) {
    log.add({ severity: 'warning', feature: number, code: 'street-dissolved', message: `street ${code.slice(0, 9)}: street polygons are dissolved from their communities, this one is not used` });
    return null;
  }
  const unit = reference.unit(code);
  if (!unit || unit.level !== 'community') {
    log.error(number, 'unknown-code', `code ${code.slice(0, 20)} is not a community of the hierarchy`, { field: 'code' });
    return null;
  }
  const repaired = repairPolygon(geometry);
  if ('problem' in repaired) {
    log.error(number, 'invalid-geometry', repaired.problem, repaired.lngLat ? { lngLat: repaired.lngLat } : {});
    return null;
  }
  for (const repair of repaired.repairs) log.add({ severity: 'repaired', feature: number, code: 'geometry-repaired', message: repair });
  const largest = repaired.coordinates.reduce((a, b) => (Math.abs(signedArea2(b[0]!)) > Math.abs(signedArea2(a[0]!)) ? b : a));
  const label = polylabel(largest as [number, number][][], 1e-5);
  const county = code.slice(0, 6);
  if (reference.contains(county, label[0]!, label[1]!) === false) {
    log.error(number, 'outside-parent', `community ${code} lies outside its county ${county}`, { lngLat: [roundDegrees(label[0]!), roundDegrees(label[1]!)] });
    return null;
  }
  const nameField = pickField(properties, UNIT_FIELDS.name);
  return { number, code, name: nameField ? textOf(nameField.value) : null, coordinates: repaired.coordinates };
}

// ---- boundary line records (the safe-boundary agreement register) ----------------------------------

export interface LineRecordRow {
  number: number;
  lineId: string;
  agreementSigned: boolean | null;
  jointMediation: boolean | null;
  /** yyyy-mm-dd, or null. */
  lastJointPatrol: string | null;
}

export const LINE_FIELDS = {
  lineId: ['lineId', 'line_id', '边界线编号'],
  leftCode: ['leftCode', 'left_code', '一侧'],
  rightCode: ['rightCode', 'right_code', '另一侧'],
  level: ['level', '层级'],
  agreementSigned: ['agreementSigned', 'agreement_signed', 'agreement', '平安边界协议', '协议'],
  jointMediation: ['jointMediation', 'joint_mediation', 'mediation', '联合调解'],
  lastJointPatrol: ['lastJointPatrol', 'last_joint_patrol', 'lastPatrol', 'last_patrol', '最近联合巡逻'],
} as const;

/** A calendar date as yyyy-mm-dd from text or an ISO timestamp (a spreadsheet date), or null when it is none. */
function dateOf(value: unknown): string | null {
  const text = String(value).trim();
  const match = /^(\d{4})-(\d{2})-(\d{2})(T00:00:00(\.000)?Z)?$/.exec(text) ?? /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${match[1]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Validates one record of the agreement register: a known line (by id, or by its two sides) and its attributes. */
export function validateLineRecord(number: number, properties: Record<string, unknown>, reference: ReferenceGeography, log: IssueLog): LineRecordRow | null {
  const id = pickField(properties, LINE_FIELDS.lineId);
  const left = pickField(properties, LINE_FIELDS.leftCode);
  const right = pickField(properties, LINE_FIELDS.rightCode);
  const level = pickField(properties, LINE_FIELDS.level);
  if (!id && !(left && right)) {
    log.error(number, 'missing-field', 'no lineId, nor leftCode and rightCode', { field: 'lineId' });
    return null;
  }
  const lineId = reference.boundaryLine(id ? textOf(id.value) : null, left && right ? [textOf(left.value)!, textOf(right.value)!] : null, level ? textOf(level.value) : null);
  if (!lineId) {
    const named = id ? `line ${textOf(id.value)}` : `a line between ${textOf(left!.value)} and ${textOf(right!.value)}`;
    log.error(number, 'unknown-code', `${named} is not a boundary line of the atlas`, { field: id ? 'lineId' : 'leftCode' });
    return null;
  }
  let ok = true;
  const flag = (field: 'agreementSigned' | 'jointMediation'): boolean | null => {
    const picked = pickField(properties, LINE_FIELDS[field]);
    if (!picked) return null;
    const value = booleanOf(picked.value);
    if (value === null) {
      log.error(number, 'wrong-type', `${field} ${JSON.stringify(picked.value)} is not 1/0, yes/no or 是/否`, { field });
      ok = false;
    }
    return value;
  };
  const agreementSigned = flag('agreementSigned');
  const jointMediation = flag('jointMediation');
  const patrol = pickField(properties, LINE_FIELDS.lastJointPatrol);
  const lastJointPatrol = patrol ? dateOf(patrol.value) : null;
  if (patrol && lastJointPatrol === null) {
    log.error(number, 'wrong-type', `lastJointPatrol ${JSON.stringify(patrol.value)} is not a date like 2026-10-01`, { field: 'lastJointPatrol' });
    ok = false;
  }
  if (ok && agreementSigned === null && jointMediation === null && lastJointPatrol === null) {
    log.error(number, 'missing-field', 'none of agreementSigned, jointMediation, lastJointPatrol', { field: 'agreementSigned' });
    ok = false;
  }
  return ok ? { number, lineId, agreementSigned, jointMediation, lastJointPatrol } : null;
}
