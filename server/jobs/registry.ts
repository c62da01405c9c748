// Every job by name, with where it runs and how long it may take: the worker pool and the in-process
// runner both dispatch through this table, so an answer is the same whichever ran it.

import { briefKpiCards, briefRanking } from './brief';
import { briefNarrative } from './brief-narrative';
import { computeCompleteness, computeCoverageCurve, computeCoverageGaps, computeCoverageRates, computeServiceAreas, computeWorkstationCoverage } from './coverage';
import { disputeKpis, disputeStats, unitSummary } from './disputes';
import { adminUnitShapes, boundaryLineShapes, facilityPoints, gridShapes, roadLines } from './geo';
import { boundaryRisk, emergingHotspots, hotspotCells } from './hotspots';
import type { JobEnv } from './job-env';
import { evaluateEditsByUnit, evaluateSiting, exportSiting, optimizeSiting } from './siting';
import { boundaryLineById, boundaryRegister } from './boundary-register';
import { deskQueue, reviewSample, suggestHandlers } from './desk';
import { departmentGridShapes, departmentLayers, exportReconciliation, reconcileDepartment } from './reconcile';

/**
 * - lane: 'light' jobs (store reads and aggregates) never wait behind 'heavy' ones (analyses).
 * - prepared: needs the prepared data of the data version (dispatched once it is ready).
 * - cache: 'data' answers depend on the input and the data version only; 'disputes' also on the
 *   dispute log (its last sequence number); 'none' are never reused.
 * - budgetMs: the job is stopped after this long (its fallback answer, if it offered one, is used).
 * - fallback: the job may offer a fallback answer before its slow part (see JobEnv.offerFallback).
 */
export interface JobSpec<I, O> {
  run: (env: JobEnv, input: I) => O | Promise<O>;
  lane: 'light' | 'heavy';
  prepared: boolean;
  cache: 'data' | 'disputes' | 'none';
  budgetMs: number;
  fallback?: boolean;
}

function job<I, O>(spec: JobSpec<I, O>): JobSpec<I, O> {
  return spec;
}

export const JOBS = {
  'geo.adminUnits': job({ run: adminUnitShapes, lane: 'light', prepared: false, cache: 'data', budgetMs: 20_000 }),
  'geo.boundaryLines': job({ run: boundaryLineShapes, lane: 'light', prepared: false, cache: 'data', budgetMs: 20_000 }),
  'boundaries.register': job({ run: boundaryRegister, lane: 'light', prepared: false, cache: 'data', budgetMs: 20_000 }),
  'boundaries.line': job({ run: boundaryLineById, lane: 'light', prepared: false, cache: 'data', budgetMs: 20_000 }),
  'geo.grids': job({ run: gridShapes, lane: 'light', prepared: false, cache: 'data', budgetMs: 20_000 }),
  'geo.facilities': job({ run: facilityPoints, lane: 'light', prepared: false, cache: 'data', budgetMs: 20_000 }),
  'geo.roads': job({ run: roadLines, lane: 'light', prepared: false, cache: 'data', budgetMs: 20_000 }),
  'dashboard.summary': job({ run: unitSummary, lane: 'light', prepared: false, cache: 'data', budgetMs: 20_000 }),
  'events.stats': job({ run: disputeStats, lane: 'light', prepared: false, cache: 'disputes', budgetMs: 20_000 }),
  'events.kpis': job({ run: disputeKpis, lane: 'light', prepared: false, cache: 'disputes', budgetMs: 20_000 }),
  // One walking search from the case's place over the network (and its units' open loads).
  'desk.suggestHandlers': job({ run: suggestHandlers, lane: 'heavy', prepared: true, cache: 'disputes', budgetMs: 20_000 }),
  // A queue page's counts and cases (now-dependent: never reused).
  'desk.queue': job({ run: deskQueue, lane: 'light', prepared: false, cache: 'none', budgetMs: 20_000 }),
  'desk.reviewSample': job({ run: reviewSample, lane: 'light', prepared: false, cache: 'disputes', budgetMs: 20_000 }),
  'coverage.rates': job({ run: computeCoverageRates, lane: 'heavy', prepared: true, cache: 'data', budgetMs: 30_000 }),
  'coverage.workstations': job({ run: computeWorkstationCoverage, lane: 'heavy', prepared: true, cache: 'data', budgetMs: 30_000 }),
  'coverage.gaps': job({ run: computeCoverageGaps, lane: 'heavy', prepared: true, cache: 'data', budgetMs: 30_000 }),
  'coverage.completeness': job({ run: computeCompleteness, lane: 'heavy', prepared: true, cache: 'data', budgetMs: 30_000 }),
  'coverage.curve': job({ run: computeCoverageCurve, lane: 'heavy', prepared: true, cache: 'data', budgetMs: 30_000 }),
  'coverage.serviceAreas': job({ run: computeServiceAreas, lane: 'heavy', prepared: true, cache: 'data', budgetMs: 45_000 }),
  'hotspots.cells': job({ run: hotspotCells, lane: 'heavy', prepared: true, cache: 'disputes', budgetMs: 30_000 }),
  'hotspots.emerging': job({ run: emergingHotspots, lane: 'heavy', prepared: true, cache: 'disputes', budgetMs: 30_000 }),
  'hotspots.boundaryRisk': job({ run: boundaryRisk, lane: 'heavy', prepared: true, cache: 'disputes', budgetMs: 30_000 }),
  // The briefing's cards sum the 15-minute health circle from the prepared coverage states (heavy the
  // first time a kind is searched), and follow the dispute log.
  'brief.kpis': job({ run: briefKpiCards, lane: 'heavy', prepared: true, cache: 'disputes', budgetMs: 30_000 }),
  'brief.ranking': job({ run: briefRanking, lane: 'heavy', prepared: true, cache: 'disputes', budgetMs: 30_000 }),
  'brief.narrative': job({ run: briefNarrative, lane: 'heavy', prepared: true, cache: 'disputes', budgetMs: 30_000 }),
  'plan.optimize': job({ run: optimizeSiting, lane: 'heavy', prepared: true, cache: 'data', budgetMs: 40_000, fallback: true }),
  'plan.evaluate': job({ run: evaluateSiting, lane: 'heavy', prepared: true, cache: 'data', budgetMs: 20_000 }),
  // A scenario's edits per unit (scenario.compare runs it for each side).
  'plan.evaluateUnits': job({ run: evaluateEditsByUnit, lane: 'heavy', prepared: true, cache: 'data', budgetMs: 20_000 }),
  'plan.export': job({ run: exportSiting, lane: 'heavy', prepared: true, cache: 'none', budgetMs: 20_000 }),
  // 多格合一: a city's departmental layer is overlaid pair by pair with its unified grids (the longest budget).
  'reconcile.departments': job({ run: departmentLayers, lane: 'light', prepared: false, cache: 'data', budgetMs: 20_000 }),
  'reconcile.grids': job({ run: departmentGridShapes, lane: 'light', prepared: false, cache: 'data', budgetMs: 20_000 }),
  'reconcile.report': job({ run: reconcileDepartment, lane: 'heavy', prepared: false, cache: 'data', budgetMs: 120_000 }),
  'reconcile.export': job({ run: exportReconciliation, lane: 'heavy', prepared: false, cache: 'none', budgetMs: 20_000 }),
} as const;

export type JobName = keyof typeof JOBS;
export type JobInput<N extends JobName> = Parameters<(typeof JOBS)[N]['run']>[1];
export type JobOutput<N extends JobName> = Awaited<ReturnType<(typeof JOBS)[N]['run']>>;
