// dashboard.*: the figures a situation display shows for a unit: grids and grid workers, governance
// workstation coverage against the 82 % baseline, health facilities' standardisation against 90 %.

import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { DISPUTE_SOURCES, DISPUTE_TYPES } from '../domain/dispute-categories';
import { partiesForRole } from '../domain/parties';
import { DISPUTE_STATUS_LABELS_ZH, isOverdue } from '../domain/dispute-workflow';
import type { AtlasStore } from '../store/atlas-store';
import { publicProcedure, router } from '../trpc';
import { adminCodeSchema } from './schemas';

/** Seed figure: 82 % of communities/villages have a governance workstation (DESIGN.md). */
export const WORKSTATION_BASELINE = 0.82;
/** Target share of standardised community health facilities. */
export const HEALTH_STANDARD_TARGET = 0.9;

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** "沈河区 · 大西街道 · 某社区" for a grid or unit code: county, street and community names that exist. */
function placeName(store: AtlasStore, code: string, names: Map<string, string | null>): string {
  const parts: string[] = [];
  for (const length of [6, 9, 12]) {
    if (code.length < length) break;
    const prefix = code.slice(0, length);
    let name = names.get(prefix);
    if (name === undefined) {
      name = store.adminUnit(prefix)?.name ?? null;
      names.set(prefix, name);
    }
    if (name) parts.push(name);
  }
  return parts.join(' · ');
}

export const dashboardRouter = router({
  summary: publicProcedure
    .meta({ cache: 'data' })
    .input(z.object({ within: adminCodeSchema }).strict())
    .query(({ ctx, input }) => {
      const unit = ctx.store.adminUnit(input.within);
      if (!unit) throw new TRPCError({ code: 'NOT_FOUND', message: `within: no admin unit has code ${input.within}` });
      const summary = ctx.store.unitSummary(input.within);
      const healthFacilities = summary.healthCentres + summary.healthStations;
      const standardised = summary.standardisedHealthCentres + summary.standardisedHealthStations;
      return {
        code: unit.code,
        name: unit.name,
        level: unit.level,
        ...summary,
        gridWorkers: summary.fullTimeGridWorkers + summary.partTimeGridWorkers,
        workstationRate: ratio(summary.communitiesWithWorkstation, summary.communities),
        workstationBaseline: WORKSTATION_BASELINE,
        healthStandardisedRate: ratio(standardised, healthFacilities),
        healthCentreStandardisedRate: ratio(summary.standardisedHealthCentres, summary.healthCentres),
        healthStandardTarget: HEALTH_STANDARD_TARGET,
      };
    }),

  /**
   * The latest reported cases inside a unit, for public displays: parties are always masked, whatever
   * the caller's role (a wall is read by everyone in the room).
   */
  latest: publicProcedure
    .input(z.object({ within: adminCodeSchema, limit: z.number().int().min(1).max(50).default(12) }).strict())
    .query(({ ctx, input }) => {
      if (!ctx.store.adminUnit(input.within)) {
        throw new TRPCError({ code: 'NOT_FOUND', message: `within: no admin unit has code ${input.within}` });
      }
      const now = (ctx.now ?? Date.now)();
      const names = new Map<string, string | null>();
      const items = ctx.store.disputes.list({ withinCode: input.within, toMs: now + 1, limit: input.limit });
      return items.map((dispute) => ({
        id: dispute.id,
        type: dispute.type,
        typeLabel: DISPUTE_TYPES.find((type) => type.key === dispute.type)?.labelZh ?? dispute.type,
        source: dispute.source,
        sourceLabel: DISPUTE_SOURCES.find((source) => source.key === dispute.source)?.labelZh ?? dispute.source,
        severity: dispute.severity,
        status: dispute.status,
        statusLabel: DISPUTE_STATUS_LABELS_ZH[dispute.status],
        reportedAt: dispute.reportedAt,
        placeCode: dispute.placeCode,
        placeName: placeName(ctx.store, dispute.placeCode, names),
        parties: partiesForRole(dispute.parties, 'public').map((party) => ({ role: party.role, name: party.name })),
        overdue: isOverdue(dispute.dueAt, dispute.closedAt, now),
      }));
    }),
});
