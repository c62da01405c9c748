// The stages every importer shares before its layer's own validation: the file's hash, the coordinate
// system to read it in (option, file, default) and its converter, the once-per-file check that degrees
// were not declared for metres, the sample of positions for the shifted-coordinates check and that check
// against what the database already holds, and the report's issue fields at the end.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Geometry, Position } from 'geojson';
import { checkCoordinateShift, type ShiftCheck } from './crs-check';
import { looksGeographic, WGS84_CRS, type ImportCrs } from './crs';
import type { ReferenceGeography } from './reference-geography';
import type { FeatureSource } from './read';
import type { ImportIssue } from './import-types';
import type { IssueLog } from './validate';

/** Positions kept for the shifted-coordinates check. */
export const SHIFT_SAMPLE_SIZE = 2000;
const SAMPLE_PER_FEATURE = 20;

/** The file's SHA-256, hex, read as a stream. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The geometry with every position passed through `convert`. */
export function mapPositions(geometry: Geometry, convert: (position: Position) => Position): Geometry {
  switch (geometry.type) {
    case 'Point':
      return { type: 'Point', coordinates: convert(geometry.coordinates) };
    case 'MultiPoint':
    case 'LineString':
      return { type: geometry.type, coordinates: geometry.coordinates.map(convert) } as Geometry;
    case 'MultiLineString':
    case 'Polygon':
      return { type: geometry.type, coordinates: geometry.coordinates.map((line) => line.map(convert)) } as Geometry;
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: geometry.coordinates.map((polygon) => polygon.map((ring) => ring.map(convert))) };
    case 'GeometryCollection':
      return { type: 'GeometryCollection', geometries: geometry.geometries.map((child) => mapPositions(child, convert)) };
  }
}

/** The first position of a geometry, or null when it has none or it is malformed. */
export function firstPosition(geometry: Geometry | null): Position | null {
  if (!geometry || geometry.type === 'GeometryCollection') return null;
  let value: unknown = geometry.coordinates;
  while (Array.isArray(value) && Array.isArray(value[0])) value = value[0];
  return Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'number' ? (value as Position) : null;
}

/** Up to SAMPLE_PER_FEATURE positions of a geometry's first line or ring, spread along it, onto `out`. */
export function samplePositions(geometry: Geometry | null, out: Position[]): void {
  if (!geometry || geometry.type === 'GeometryCollection') return;
  let line: unknown = geometry.coordinates;
  while (Array.isArray(line) && Array.isArray(line[0]) && Array.isArray(line[0][0])) line = line[0];
  const positions = (Array.isArray(line) && Array.isArray(line[0]) ? line : [line]) as Position[];
  const stride = Math.max(1, Math.ceil(positions.length / SAMPLE_PER_FEATURE));
  for (let i = 0; i < positions.length; i += stride) {
    const p = positions[i];
    if (Array.isArray(p) && Number.isFinite(p[0]) && Number.isFinite(p[1])) out.push(p);
  }
}

export type CrsSource = 'option' | 'file' | 'default';

/** The system a file is read in: the option over what the file declares over WGS84; an override is a warning. */
export function settleCrs(option: ImportCrs | null | undefined, source: FeatureSource, log: IssueLog): { crs: ImportCrs; used: { used: string; source: CrsSource } } {
  const crs = option ?? source.declaredCrs ?? WGS84_CRS;
  if (option && source.declaredCrs && option.label !== source.declaredCrs.label) {
    log.add({ severity: 'warning', feature: 0, code: 'crs-overridden', message: `--crs ${option.label} overrides the file's ${source.declaredCrs.label}` });
  }
  return { crs, used: { used: crs.label, source: option ? 'option' : source.declaredCrs ? 'file' : 'default' } };
}

/**
 * Throws when the first position of a file is not longitude/latitude while a geographic system is in use:
 * metres read as degrees would land nowhere, so the whole file is refused once, saying which system to give.
 */
export function checkCoordinateUnits(first: Position, crs: ImportCrs, crsSource: CrsSource): void {
  if (crs.kind !== 'geographic' || looksGeographic(first[0]!, first[1]!)) return;
  if (crsSource !== 'default') throw new Error(`coordinates like ${first[0]}, ${first[1]} are not longitude/latitude but ${crs.label} was declared`);
  throw new Error(`coordinates like ${first[0]}, ${first[1]} are projected (metres) and the file declares no system: give --crs EPSG:nnnn`);
}

/**
 * The shifted-coordinates check of a file's sampled positions (in the file's system) against the admin
 * boundaries and, with `existingSql` (lng, lat of the layer's current rows in a box), what the layer holds;
 * a shift found is a warning. Null without a sample.
 */
export function checkSampleShift(sample: readonly Position[], crs: ImportCrs, convert: (position: Position) => Position, reference: ReferenceGeography, existingSql: string | null, log: IssueLog): ShiftCheck | null {
  if (sample.length === 0) return null;
  const converted = sample.map(convert);
  const lngs = converted.map((p) => p[0]!);
  const lats = converted.map((p) => p[1]!);
  const margin = 0.02;
  const bbox: [number, number, number, number] = [Math.min(...lngs) - margin, Math.min(...lats) - margin, Math.max(...lngs) + margin, Math.max(...lats) + margin];
  const check = checkCoordinateShift(sample, crs, reference.referencePoints(bbox, existingSql));
  if (check?.shifted) log.add({ severity: 'warning', feature: 0, code: 'crs-shifted', message: check.message });
  return check;
}

/** The report's issue fields from the log, and its time since `started` (performance.now()). */
export function closeReport(
  report: { issues: ImportIssue[]; issueCounts: IssueLog['counts']; issuesByCode: Record<string, number>; issuesTruncated: boolean; seconds: number },
  log: IssueLog,
  started: number,
): void {
  report.issues = log.listed;
  report.issueCounts = { ...log.counts };
  report.issuesByCode = { ...log.byCode };
  report.issuesTruncated = log.listed.length < log.counts.error + log.counts.warning + log.counts.repaired;
  report.seconds = Math.round((performance.now() - started) / 10) / 100;
}
