// zod schemas shared by the routers: admin codes, bounding boxes, zoom, instants and periods.

import { z } from 'zod';
import { normalizeAdminCode } from '../domain/admin-codes';
import { MS_PER_DAY, parseInstant, type InstantEdge } from '../domain/china-time';

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

/** [minLng, minLat, maxLng, maxLat], WGS84 degrees. */
export const bboxSchema = z
  .tuple([z.number().min(-180).max(180), z.number().min(-90).max(90), z.number().min(-180).max(180), z.number().min(-90).max(90)])
  .refine(([minLng, minLat, maxLng, maxLat]) => minLng <= maxLng && minLat <= maxLat, 'must be [minLng, minLat, maxLng, maxLat] with min ≤ max');

/** Map zoom (MapLibre) the geometry is drawn at; picks the simplification band. */
export const zoomSchema = z.number().min(0).max(24);

/**
 * A moment (see parseInstant): ms since epoch, a China-time date ("2026-10-01": its start as `from`, its
 * end as `to`, so the named day is included) or an ISO date-time with an offset. Parsed to ms since epoch;
 * impossible dates (2026-02-30, month 13) and anything outside 1970–2999 are refused, naming the field.
 */
export function instantSchema(edge: InstantEdge) {
  return z.union([z.number(), z.string()]).transform((value, ctx) => {
    const parsed = parseInstant(value, edge);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    }
    return parsed.ms;
  });
}

/** `from` of a period: a date is its day's start. */
export const fromSchema = instantSchema('start');
/** `to` of a period (exclusive): a date is its day's end, so the day is included. */
export const toSchema = instantSchema('end');

/**
 * The one check of a period: `to` after `from`, and at most `maxDays` long. Either end may be absent
 * (open periods of lists); an end that failed to parse has already been reported on its own field.
 */
export function checkPeriod(maxDays: number) {
  return (input: { from?: number; to?: number }, ctx: z.RefinementCtx): void => {
    const { from, to } = input;
    if (typeof from !== 'number' || typeof to !== 'number' || Number.isNaN(from) || Number.isNaN(to)) return;
    if (!(from < to)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    else if (to - from > maxDays * MS_PER_DAY) ctx.addIssue({ code: 'custom', path: ['to'], message: `the period is longer than ${maxDays} days` });
  };
}
