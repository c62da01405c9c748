// geo.*: admin units, the admin tree, boundary lines, grids, facilities and roads as GeoJSON. Large
// requests are answered at a coarser simplification band, or refused with a message saying how to
// narrow them; reads that can be large run in the pool's light lane.
//
// Scoped to the caller's jurisdiction (see narrowWithin): units are those inside it and its own
// ancestors (the outlines on the way to it), lines those with a side inside it, grids and facilities
// those inside it, roads those in its bounding box. A request about another area is refused.

import { z } from 'zod';
import { ADMIN_CODE_LENGTH, ADMIN_LEVELS, BOUNDARY_LEVELS, type AdminLevel } from '../domain/admin-codes';
import { FACILITY_KINDS } from '../domain/facility-kinds';
import { narrowWithin, onPathToJurisdiction, principalOf } from '../auth/guard';
import { nowOf, type AtlasContext } from '../context';
import { RequestError, requireUnit } from '../request-error';
import type { BBox } from '../store/atlas-store';
import { procedure, router } from '../trpc';
import { boundaryRecordsInput } from './boundaries';
import { adminCodeSchema, bboxSchema, zoomSchema } from './schemas';

/**
 * The units of a level a caller may see under `parent`: inside their jurisdiction, or the one ancestor
 * of it at that level. Returns the parent to query with, and the single unit to keep when the level is
 * above the jurisdiction.
 */
function scopeAdminUnits(ctx: AtlasContext, level: AdminLevel, parent: string | undefined): { parent?: string; only?: string } {
  const principal = principalOf(ctx);
  const jurisdiction = principal.jurisdiction;
  if (parent !== undefined && !onPathToJurisdiction(principal, parent)) {
    throw new RequestError('FORBIDDEN', `parent: ${parent} is outside your jurisdiction (${jurisdiction})`);
  }
  const length = ADMIN_CODE_LENGTH[level];
  if (length > jurisdiction.length) return { parent: parent !== undefined && parent.length > jurisdiction.length ? parent : jurisdiction };
  // The level is the jurisdiction's or above it: only the jurisdiction's own unit of that level.
  return { parent, only: jurisdiction.slice(0, length) };
}

/** A bbox clipped to the caller's jurisdiction's bounding box (FORBIDDEN when they do not meet). */
function clipToJurisdiction(ctx: AtlasContext, bbox: BBox): BBox {
  const { jurisdiction } = principalOf(ctx);
  const box = ctx.store.unitBBox(jurisdiction);
  if (!box) return bbox;
  const clipped: BBox = [Math.max(bbox[0], box[0]), Math.max(bbox[1], box[1]), Math.min(bbox[2], box[2]), Math.min(bbox[3], box[3])];
  if (clipped[0] > clipped[2] || clipped[1] > clipped[3]) throw new RequestError('FORBIDDEN', `bbox: outside your jurisdiction (${jurisdiction})`);
  return clipped;
}

export const geoRouter = router({
  adminUnits: procedure
    .meta({ cache: 'data', access: 'wall' })
    .input(
      z
        .object({ level: z.enum(ADMIN_LEVELS), parent: adminCodeSchema.optional(), bbox: bboxSchema.optional(), zoom: zoomSchema.optional() })
        .strict(),
    )
    .query(({ ctx, input, signal }) => {
      const scope = scopeAdminUnits(ctx, input.level, input.parent);
      return ctx.jobs.run('geo.adminUnits', { ...input, ...scope }, { signal, nowMs: nowOf(ctx) });
    }),

  /** A unit with its ancestors and children; the children are those the caller may see. */
  adminTree: procedure
    .meta({ cache: 'data', access: 'wall' })
    .input(z.object({ code: adminCodeSchema }).strict())
    .query(({ ctx, input }) => {
      const principal = principalOf(ctx);
      if (!onPathToJurisdiction(principal, input.code)) throw new RequestError('FORBIDDEN', `code: ${input.code} is outside your jurisdiction (${principal.jurisdiction})`);
      const unit = requireUnit(ctx.store, input.code, 'code');
      const ancestors = [];
      for (let parentCode = unit.parentCode; parentCode !== null; ) {
        const parent = requireUnit(ctx.store, parentCode, 'parentCode');
        ancestors.unshift({ code: parent.code, name: parent.name, level: parent.level });
        parentCode = parent.parentCode;
      }
      const children = ctx.store
        .adminChildren(unit.code)
        .filter((child) => onPathToJurisdiction(principal, child.code))
        .map(({ code, name, level, population, childCount }) => ({ code, name, level, population, childCount }));
      return { ...unit, ancestors, children };
    }),

  // No data ETag: the lines carry the patrols and agreements officers record (boundaries.*), which
  // change without a new data version; the job's cache key holds the records.
  boundaryLines: procedure
    .meta({ access: 'wall' })
    .input(
      z
        .object({ level: z.enum(BOUNDARY_LEVELS).optional(), within: adminCodeSchema.optional(), bbox: bboxSchema.optional(), zoom: zoomSchema.optional() })
        .strict(),
    )
    .query(({ ctx, input, signal }) => {
      const jurisdiction = principalOf(ctx).jurisdiction;
      // The whole deployment's lines include the province's outer edge, which no unit code is inside.
      const within = input.within === undefined && jurisdiction.length <= 2 ? undefined : narrowWithin(ctx, input.within);
      return ctx.jobs.run('geo.boundaryLines', { ...input, within, ...boundaryRecordsInput(ctx, within) }, { signal, nowMs: nowOf(ctx) });
    }),

  grids: procedure
    .meta({ cache: 'data', access: 'wall' })
    .input(
      z
        .object({
          within: adminCodeSchema,
          bbox: bboxSchema.optional(),
          // Grids are small: they are always served at full detail; zoom is accepted for symmetry.
          zoom: zoomSchema.optional(),
        })
        .strict(),
    )
    .query(({ ctx, input, signal }) =>
      ctx.jobs.run('geo.grids', { within: narrowWithin(ctx, input.within), bbox: input.bbox }, { signal, nowMs: nowOf(ctx) }),
    ),

  facilities: procedure
    .meta({ cache: 'data', access: 'wall' })
    .input(z.object({ kinds: z.array(z.enum(FACILITY_KINDS)).min(1).optional(), within: adminCodeSchema.optional(), bbox: bboxSchema.optional() }).strict())
    .query(({ ctx, input, signal }) => ctx.jobs.run('geo.facilities', { ...input, within: narrowWithin(ctx, input.within) }, { signal, nowMs: nowOf(ctx) })),

  roads: procedure
    .meta({ cache: 'data' })
    .input(z.object({ bbox: bboxSchema }).strict())
    .query(({ ctx, input, signal }) => ctx.jobs.run('geo.roads', { bbox: clipToJurisdiction(ctx, input.bbox) }, { signal, nowMs: nowOf(ctx) })),
});
