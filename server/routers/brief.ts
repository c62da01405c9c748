// brief.*: the leaders' briefing of a unit and period — KPI cards against their targets (one definition
// per KPI: server/domain/kpis.ts), the children ranked on a KPI, and a narrative whose every number is a
// returned fact. Thin: parse, scope to the caller's jurisdiction, run the job in the worker pool.
// Readable by every role that reads the situation, wall displays included (the wall shares the KPIs).

import { z } from 'zod';
import { KPI_IDS } from '../domain/kpis';
import { LANGS, type Lang } from '../domain/labels';
import { scopeWithin } from '../auth/guard';
import { nowOf } from '../context';
import { procedure, router } from '../trpc';
import { boundaryRecordsInput } from './boundaries';
import { MAX_EVENTS_PERIOD_DAYS } from './events';
import { adminCodeSchema, checkPeriod, fromSchema, toSchema } from './schemas';

export type { BriefCard, BriefRankingAnswer, BriefRankingRow, BriefSeriesPoint } from '../jobs/brief';
export type { BriefNarrativeAnswer, NarrativeFact, NarrativePlace } from '../jobs/brief-narrative';

const periodShape = { within: adminCodeSchema, from: fromSchema, to: toSchema };

const kpisInput = z.object(periodShape).strict().superRefine(checkPeriod(MAX_EVENTS_PERIOD_DAYS));

const rankingInput = z
  .object({ ...periodShape, kpi: z.enum(KPI_IDS) })
  .strict()
  .superRefine(checkPeriod(MAX_EVENTS_PERIOD_DAYS));

const narrativeInput = z
  .object({ ...periodShape, lang: z.enum(LANGS as [Lang, ...Lang[]]).default('zh') })
  .strict()
  .superRefine(checkPeriod(MAX_EVENTS_PERIOD_DAYS));

export const briefRouter = router({
  /** Every KPI card of a unit for a period: value, target, status, the period before, a year earlier, sparkline. */
  kpis: procedure
    .meta({ access: 'wall' })
    .input(kpisInput)
    .query(({ ctx, input, signal }) =>
      ctx.jobs.run('brief.kpis', { ...input, within: scopeWithin(ctx, input.within) }, { signal, nowMs: nowOf(ctx) }),
    ),

  /** The children of a unit (a community's grids) on one KPI, worst first. */
  ranking: procedure
    .meta({ access: 'wall' })
    .input(rankingInput)
    .query(({ ctx, input, signal }) =>
      ctx.jobs.run('brief.ranking', { ...input, within: scopeWithin(ctx, input.within) }, { signal, nowMs: nowOf(ctx) }),
    ),

  /** The situation in a paragraph (Chinese or English) with every number it writes as a fact. */
  narrative: procedure
    .meta({ access: 'wall' })
    .input(narrativeInput)
    .query(({ ctx, input, signal }) =>
      {
        const within = scopeWithin(ctx, input.within);
        return ctx.jobs.run('brief.narrative', { ...input, within, ...boundaryRecordsInput(ctx, within) }, { signal, nowMs: nowOf(ctx) });
      },
    ),
});
