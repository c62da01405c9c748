// dashboard.*: the figures a situation display shows for a unit: grids and grid workers, governance
// workstation coverage against the 82 % baseline, health facilities' standardisation against 90 %.

import { z } from 'zod';
import { DISPUTE_SOURCES, DISPUTE_TYPES, categoryLabel } from '../domain/dispute-categories';
import { nowOf } from '../context';
import { requireUnit } from '../request-error';
import { partiesFor } from '../domain/parties';
import { scopeWithin } from '../auth/guard';
import { DISPUTE_STATUS_LABELS, isOverdue } from '../domain/dispute-workflow';
import type { AtlasStore } from '../store/atlas-store';
import { procedure, router } from '../trpc';
import { adminCodeSchema } from './schemas';

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
  summary: procedure
    .meta({ cache: 'data', access: 'wall' })
    .input(z.object({ within: adminCodeSchema }).strict())
    .query(({ ctx, input, signal }) => ctx.jobs.run('dashboard.summary', { within: scopeWithin(ctx, input.within) }, { signal, nowMs: nowOf(ctx) })),

  /**
   * The latest reported cases inside a unit, for public displays: parties are always masked, whatever
   * the caller's role (a wall is read by everyone in the room).
   */
  latest: procedure
    .meta({ access: 'wall' })
    .input(z.object({ within: adminCodeSchema, limit: z.number().int().min(1).max(50).default(12) }).strict())
    .query(({ ctx, input }) => {
      const within = scopeWithin(ctx, input.within);
      requireUnit(ctx.store, within, 'within');
      const now = nowOf(ctx);
      const names = new Map<string, string | null>();
      const items = ctx.store.disputes.list({ withinCode: within, toMs: now + 1, limit: input.limit });
      return items.map((dispute) => ({
        id: dispute.id,
        type: dispute.type,
        typeLabel: categoryLabel(DISPUTE_TYPES, dispute.type, 'zh'),
        source: dispute.source,
        sourceLabel: categoryLabel(DISPUTE_SOURCES, dispute.source, 'zh'),
        severity: dispute.severity,
        status: dispute.status,
        statusLabel: DISPUTE_STATUS_LABELS[dispute.status].zh,
        reportedAt: dispute.reportedAt,
        placeCode: dispute.placeCode,
        placeName: placeName(ctx.store, dispute.placeCode, names),
        parties: partiesFor(dispute.parties, false).map((party) => ({ role: party.role, name: party.name })),
        overdue: isOverdue(dispute.dueAt, dispute.closedAt, now),
      }));
    }),
});
