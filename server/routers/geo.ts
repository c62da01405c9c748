// geo.*: admin units, the admin tree, boundary lines, grids, facilities and roads as GeoJSON. Large
// requests are answered at a coarser simplification band, or refused with a message saying how to
// narrow them; reads that can be large run in the pool's light lane.

import { z } from 'zod';
import { ADMIN_LEVELS, BOUNDARY_LEVELS } from '../domain/admin-codes';
import { FACILITY_KINDS } from '../domain/facility-kinds';
import { nowOf } from '../context';
import { requireUnit } from '../request-error';
import { publicProcedure, router } from '../trpc';
import { adminCodeSchema, bboxSchema, zoomSchema } from './schemas';

export const geoRouter = router({
  adminUnits: publicProcedure
    .meta({ cache: 'data' })
    .input(
      z
        .object({ level: z.enum(ADMIN_LEVELS), parent: adminCodeSchema.optional(), bbox: bboxSchema.optional(), zoom: zoomSchema.optional() })
        .strict(),
    )
    .query(({ ctx, input, signal }) => ctx.jobs.run('geo.adminUnits', input, { signal, nowMs: nowOf(ctx) })),

  adminTree: publicProcedure
    .meta({ cache: 'data' })
    .input(z.object({ code: adminCodeSchema }).strict())
    .query(({ ctx, input }) => {
      const unit = requireUnit(ctx.store, input.code, 'code');
      const ancestors = [];
      for (let parentCode = unit.parentCode; parentCode !== null; ) {
        const parent = requireUnit(ctx.store, parentCode, 'parentCode');
        ancestors.unshift({ code: parent.code, name: parent.name, level: parent.level });
        parentCode = parent.parentCode;
      }
      const children = ctx.store
        .adminChildren(unit.code)
        .map(({ code, name, level, population, childCount }) => ({ code, name, level, population, childCount }));
      return { ...unit, ancestors, children };
    }),

  boundaryLines: publicProcedure
    .meta({ cache: 'data' })
    .input(
      z
        .object({ level: z.enum(BOUNDARY_LEVELS).optional(), within: adminCodeSchema.optional(), bbox: bboxSchema.optional(), zoom: zoomSchema.optional() })
        .strict(),
    )
    .query(({ ctx, input, signal }) => ctx.jobs.run('geo.boundaryLines', input, { signal, nowMs: nowOf(ctx) })),

  grids: publicProcedure
    .meta({ cache: 'data' })
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
    .query(({ ctx, input, signal }) => ctx.jobs.run('geo.grids', { within: input.within, bbox: input.bbox }, { signal, nowMs: nowOf(ctx) })),

  facilities: publicProcedure
    .meta({ cache: 'data' })
    .input(z.object({ kinds: z.array(z.enum(FACILITY_KINDS)).min(1).optional(), within: adminCodeSchema.optional(), bbox: bboxSchema.optional() }).strict())
    .query(({ ctx, input, signal }) => ctx.jobs.run('geo.facilities', input, { signal, nowMs: nowOf(ctx) })),

  roads: publicProcedure
    .meta({ cache: 'data' })
    .input(z.object({ bbox: bboxSchema }).strict())
    .query(({ ctx, input, signal }) => ctx.jobs.run('geo.roads', input, { signal, nowMs: nowOf(ctx) })),
});
