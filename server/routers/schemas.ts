// zod schemas shared by the routers: admin codes, bounding boxes, zoom.

import { z } from 'zod';

/**
 * An NBS division code: 2/4/6/9/12 digits, or the full 12-digit form padded with zeros
 * ("210103000000" is read as county "210103").
 */
export const adminCodeSchema = z
  .string()
  .trim()
  .regex(/^\d+$/, 'must be digits')
  .refine((code) => [2, 4, 6, 9, 12].includes(code.length), 'must have 2, 4, 6, 9 or 12 digits')
  .transform(normalizeAdminCode);

/** Strips the zero padding of a 12-digit code down to its level's own length. */
export function normalizeAdminCode(code: string): string {
  if (code.length !== 12) return code;
  if (code.endsWith('0000000000')) return code.slice(0, 2);
  if (code.endsWith('00000000')) return code.slice(0, 4);
  if (code.endsWith('000000')) return code.slice(0, 6);
  if (code.endsWith('000')) return code.slice(0, 9);
  return code;
}

/** [minLng, minLat, maxLng, maxLat], WGS84 degrees. */
export const bboxSchema = z
  .tuple([z.number().min(-180).max(180), z.number().min(-90).max(90), z.number().min(-180).max(180), z.number().min(-90).max(90)])
  .refine(([minLng, minLat, maxLng, maxLat]) => minLng <= maxLng && minLat <= maxLat, 'must be [minLng, minLat, maxLng, maxLat] with min ≤ max');

/** Map zoom (MapLibre) the geometry is drawn at; picks the simplification band. */
export const zoomSchema = z.number().min(0).max(24);

const CHINA_OFFSET_MS = 8 * 3_600_000;

/**
 * A moment: ms since epoch, an ISO date ("2026-10-01" = 00:00 China time, UTC+8) or an ISO date-time
 * with an offset ("2026-10-01T08:00:00+08:00"). Parsed to ms since epoch.
 */
export const timeSchema = z.union([
  z.number().int().min(0).max(8.64e15),
  z
    .string()
    .trim()
    .refine((text) => /^\d{4}-\d{2}-\d{2}$/.test(text) || !Number.isNaN(Date.parse(text)), 'must be an ISO date (2026-10-01) or date-time with offset')
    .refine((text) => /^\d{4}-\d{2}-\d{2}$/.test(text) || /(Z|[+-]\d{2}:?\d{2})$/.test(text), 'a date-time needs an offset (Z or +08:00)'),
]).transform((value) => {
  if (typeof value === 'number') return value;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return Date.parse(`${value}T00:00:00Z`) - CHINA_OFFSET_MS;
  return Date.parse(value);
});
