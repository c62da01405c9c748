// geo.*: admin units, the admin tree, boundary lines, grids, facilities and roads as GeoJSON.
// Large requests are answered at a coarser simplification band, or refused with a message saying how
// to narrow them: no answer is ever tens of megabytes.

import { TRPCError } from '@trpc/server';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { z } from 'zod';
import { FULL_DETAIL_BAND, bandForZoom } from '../domain/zoom-bands';
import type { AtlasStore, BBox } from '../store/atlas-store';
import { FACILITY_KINDS } from '../domain/facility-kinds';
import { publicProcedure, router } from '../trpc';
import { adminCodeSchema, bboxSchema, zoomSchema } from './schemas';

/** Most admin units served at each band (finest first): larger sets drop to a coarser band. */
const UNITS_PER_BAND = [20_000, 6_000, 1_500, 600] as const;
export const MAX_GRIDS = 6_000;
export const MAX_FACILITIES = 60_000;
export const MAX_ROAD_EDGES = 60_000;

function requireUnit(store: AtlasStore, code: string, field: string) {
  const unit = store.adminUnit(code);
  if (!unit) throw new TRPCError({ code: 'NOT_FOUND', message: `${field}: no admin unit has code ${code}` });
  return unit;
}

function tooLarge(what: string, count: number, limit: number, hint: string): never {
  throw new TRPCError({
    code: 'BAD_REQUEST',
    message: `Too large: ${count.toLocaleString('en-US')} ${what} match (at most ${limit.toLocaleString('en-US')} per request); ${hint}`,
  });
}

function featureCollection<G extends Geometry, P>(features: Feature<G, P>[], extra: Record<string, unknown> = {}): FeatureCollection<G, P> {
  return { type: 'FeatureCollection', ...extra, features } as FeatureCollection<G, P>;
}

/** Square degrees of a bbox (for limits on area-based layers). */
const bboxArea = (bbox: BBox): number => (bbox[2] - bbox[0]) * (bbox[3] - bbox[1]);

export const geoRouter = router({
  adminUnits: publicProcedure
    .meta({ cache: 'data' })
    .input(
      z
        .object({
          level: z.enum(['province', 'city', 'county', 'street', 'community']),
          parent: adminCodeSchema.optional(),
          bbox: bboxSchema.optional(),
          zoom: zoomSchema.optional(),
        })
        .strict(),
    )
    .query(({ ctx, input }) => {
      if (input.parent !== undefined) requireUnit(ctx.store, input.parent, 'parent');
      const requested = bandForZoom(input.zoom);
      const query = { level: input.level, withinCode: input.parent, bbox: input.bbox };
      // Serve the finest band the count allows (below the requested one: answered simplified).
      const count = ctx.store.countAdminUnits(query);
      if (count > UNITS_PER_BAND[0]) {
        tooLarge(`${input.level} units`, count, UNITS_PER_BAND[0], 'narrow it with parent or bbox');
      }
      let band = requested;
      while (band > 0 && count > UNITS_PER_BAND[Math.min(band, FULL_DETAIL_BAND)]!) band -= 1;
      const units = ctx.store.adminUnits({ ...query, band });
      return featureCollection(
        units.map(({ geometry, code, name, level, parentCode, population, childCount, labelLngLat, urbanShare }) => ({
          type: 'Feature' as const,
          id: code,
          properties: { code, name, level, parentCode, population, childCount, urbanShare, labelLngLat },
          geometry,
        })),
        band < requested ? { simplified: { requestedBand: requested, servedBand: band } } : {},
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
          level: z.enum(['province', 'city', 'county', 'street']).optional(),
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
    .query(({ ctx, input }) => {
      requireUnit(ctx.store, input.within, 'within');
      const query = { withinCode: input.within, bbox: input.bbox };
      const count = ctx.store.countGrids(query);
      if (count > MAX_GRIDS) tooLarge('grids', count, MAX_GRIDS, 'ask within a county, street or community, or add a smaller bbox');
      return featureCollection(
        ctx.store.grids(query).map(({ geometry, ...properties }) => ({
          type: 'Feature' as const,
          id: properties.code,
          properties,
          geometry,
        })),
      );
    }),

  facilities: publicProcedure
    .meta({ cache: 'data' })
    .input(
      z
        .object({
          kinds: z.array(z.enum(FACILITY_KINDS)).min(1).optional(),
          within: adminCodeSchema.optional(),
          bbox: bboxSchema.optional(),
        })
        .strict(),
    )
    .query(({ ctx, input }) => {
      if (input.within !== undefined) requireUnit(ctx.store, input.within, 'within');
      const query = { kinds: input.kinds, withinCode: input.within, bbox: input.bbox };
      const count = ctx.store.countFacilities(query);
      if (count > MAX_FACILITIES) tooLarge('facilities', count, MAX_FACILITIES, 'filter by kinds, within or bbox');
      return featureCollection(
        ctx.store.facilities(query).map(({ lngLat, ...properties }) => ({
          type: 'Feature' as const,
          id: properties.id,
          properties,
          geometry: { type: 'Point' as const, coordinates: lngLat },
        })),
      );
    }),

  roads: publicProcedure
    .meta({ cache: 'data' })
    .input(z.object({ bbox: bboxSchema }).strict())
    .query(({ ctx, input }) => {
      const count = ctx.store.countRoadEdges(input.bbox);
      if (count > MAX_ROAD_EDGES) {
        tooLarge('road edges', count, MAX_ROAD_EDGES, `use a smaller bbox (this one is ${bboxArea(input.bbox).toFixed(3)} square degrees)`);
      }
      const edges = ctx.store.roadEdges(input.bbox).map(({ geometry, ...properties }) => ({
        type: 'Feature' as const,
        id: properties.id,
        properties: { ...properties, layer: 'road' as const },
        geometry,
      }));
      const barriers = ctx.store.barriers(input.bbox).map(({ geometry, ...properties }) => ({
        type: 'Feature' as const,
        id: `barrier-${properties.id}`,
        properties: { ...properties, layer: 'barrier' as const },
        geometry,
      }));
      return featureCollection<Geometry, Record<string, unknown>>([...edges, ...barriers]);
    }),
});
