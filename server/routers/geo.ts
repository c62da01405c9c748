// geo.*: admin units, the admin tree and boundary lines as GeoJSON, simplified per zoom band.

import { TRPCError } from '@trpc/server';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { z } from 'zod';
import { bandForZoom } from '../analysis/geo/zoom-bands';
import type { AtlasStore } from '../store/atlas-store';
import { publicProcedure, router } from '../trpc';
import { adminCodeSchema, bboxSchema, zoomSchema } from './schemas';

function requireUnit(store: AtlasStore, code: string, field: string) {
  const unit = store.adminUnit(code);
  if (!unit) throw new TRPCError({ code: 'NOT_FOUND', message: `${field}: no admin unit has code ${code}` });
  return unit;
}

function featureCollection<G extends Geometry, P>(features: Feature<G, P>[]): FeatureCollection<G, P> {
  return { type: 'FeatureCollection', features };
}

export const geoRouter = router({
  adminUnits: publicProcedure
    .meta({ cache: 'data' })
    .input(
      z
        .object({
          level: z.enum(['province', 'city', 'county']),
          parent: adminCodeSchema.optional(),
          bbox: bboxSchema.optional(),
          zoom: zoomSchema.optional(),
        })
        .strict(),
    )
    .query(({ ctx, input }) => {
      if (input.parent !== undefined) requireUnit(ctx.store, input.parent, 'parent');
      const units = ctx.store.adminUnits({
        level: input.level,
        withinCode: input.parent,
        bbox: input.bbox,
        band: bandForZoom(input.zoom),
      });
      return featureCollection(
        units.map(({ geometry, code, name, level, parentCode, population, childCount, labelLngLat }) => ({
          type: 'Feature' as const,
          id: code,
          properties: { code, name, level, parentCode, population, childCount, labelLngLat },
          geometry,
        })),
      );
    }),

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
        .object({
          level: z.enum(['province', 'city', 'county']).optional(),
          within: adminCodeSchema.optional(),
          bbox: bboxSchema.optional(),
          zoom: zoomSchema.optional(),
        })
        .strict(),
    )
    .query(({ ctx, input }) => {
      if (input.within !== undefined) requireUnit(ctx.store, input.within, 'within');
      const lines = ctx.store.boundaryLines({
        level: input.level,
        withinCode: input.within,
        bbox: input.bbox,
        band: bandForZoom(input.zoom),
      });
      return featureCollection(
        lines.map(({ geometry, ...properties }) => ({
          type: 'Feature' as const,
          id: properties.id,
          properties,
          geometry,
        })),
      );
    }),
});
