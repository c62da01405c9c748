// Every API answer (and input) the client names, inferred from the router: each shape is declared once, on
// the server, and the client reads it here; no other client file imports server types outside server/domain.

import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { UnitLevel } from '../../server/domain/admin-codes';
import type { AppRouter } from '../../server/routers/app';

type RouterOutputs = inferRouterOutputs<AppRouter>;
type RouterInputs = inferRouterInputs<AppRouter>;

// geo.*
export type AdminUnits = RouterOutputs['geo']['adminUnits'];
export type AdminUnitFeature = AdminUnits['features'][number];
export type AdminUnitProperties = AdminUnitFeature['properties'];
export type AdminTree = RouterOutputs['geo']['adminTree'];
export type BoundaryLines = RouterOutputs['geo']['boundaryLines'];
export type BoundaryLineFeature = BoundaryLines['features'][number];
export type BoundaryLineProperties = BoundaryLineFeature['properties'];
export type BoundaryLineLevel = BoundaryLineProperties['level'];
export type Grids = RouterOutputs['geo']['grids'];
export type GridProperties = Grids['features'][number]['properties'];

/**
 * A unit the maps colour: an admin unit as geo.adminUnits answers it, or a grid (geo.grids) in the same
 * shape with its households and grid workers.
 */
export type MapUnitProperties = Pick<AdminUnitProperties, 'code' | 'name' | 'parentCode' | 'population' | 'childCount' | 'labelLngLat'> & {
  level: UnitLevel;
} & Partial<Pick<GridProperties, 'households' | 'fullTimeWorkers' | 'partTimeWorkers'>>;

// coverage.*
export type CoverageRates = RouterOutputs['coverage']['rates'];
export type CoverageRateRow = CoverageRates[number];
export type ServiceAreas = RouterOutputs['coverage']['serviceAreas'];
export type ServiceAreaProperties = ServiceAreas['features'][number]['properties'];
export type CoverageGaps = RouterOutputs['coverage']['gaps'];
export type GapProperties = CoverageGaps['features'][number]['properties'];

// hotspots.*
export type HotspotCellsInput = RouterInputs['hotspots']['cells'];
export type HotspotCells = RouterOutputs['hotspots']['cells'];
export type HotspotCellProperties = HotspotCells['features'][number]['properties'];
export type EmergingHotspotsInput = RouterInputs['hotspots']['emerging'];
export type EmergingHotspots = RouterOutputs['hotspots']['emerging'];
export type EmergingCellProperties = EmergingHotspots['features'][number]['properties'];
export type BoundaryRiskInput = RouterInputs['hotspots']['boundaryRisk'];
export type BoundaryRisk = RouterOutputs['hotspots']['boundaryRisk'];
export type BoundaryRiskProperties = BoundaryRisk['features'][number]['properties'];
export type BoundaryRiskLevel = BoundaryRiskProperties['risk'];

// dashboard.*, events.*
export type UnitSummary = RouterOutputs['dashboard']['summary'];
export type LatestCase = RouterOutputs['dashboard']['latest'][number];
export type DisputeStats = RouterOutputs['events']['stats'];
export type DisputeStatsRow = DisputeStats['rows'][number];
export type DisputeKpis = RouterOutputs['events']['kpis'];
/** One entry of the live dispute log (events.live yields batches of them). */
export type LiveLogEntry = RouterOutputs['events']['live'] extends AsyncIterable<infer Message>
  ? Message extends { data: { entries: (infer Entry)[] } }
    ? Entry
    : never
  : never;

// desk.* (the command desk)
/** The desk.queue input without its cursor (the desk pages by hand). */
export type DeskQueueInput = Omit<RouterInputs['desk']['queue'], 'cursor'>;
/** One page of desk.queue: counts per column, cases most urgent first, the next page's cursor. */
export type DeskQueuePage = RouterOutputs['desk']['queue'];
export type DeskQueueRow = DeskQueuePage['cases'][number];
/** A case as events.get answers it: parties masked by role, its history and the caller's legal actions. */
export type DeskCase = RouterOutputs['events']['get'];
export type DeskCaseStep = DeskCase['history'][number];
export type CaseTransitionInput = RouterInputs['events']['transition'];
export type ReviewSampleInput = RouterInputs['desk']['reviewSample'];
/** desk.reviewSample: the period, rate, population and the cases drawn with the caller's legal actions. */
export type ReviewSample = RouterOutputs['desk']['reviewSample'];
/** A handler desk.suggestHandlers ranks for a reported case (best first), with its load and walk. */
export type HandlerSuggestion = RouterOutputs['desk']['suggestHandlers'][number];

// auth.*
/** Who the caller is: user, token or anonymous, role, jurisdiction and what the role may do. */
export type Me = RouterOutputs['auth']['me'];

// plan.*
export type SitingRequest = RouterInputs['plan']['optimize'];
export type SitingResult = RouterOutputs['plan']['optimize'];
export type SitingProposal = SitingResult['proposals'][number];
export type SitingExportFormat = RouterInputs['plan']['export']['format'];

// brief.*
export type BriefKpis = RouterOutputs['brief']['kpis'];
export type BriefKpiCard = BriefKpis[number];
export type BriefKpiId = BriefKpiCard['id'];
export type BriefRanking = RouterOutputs['brief']['ranking'];
export type BriefRankingRow = BriefRanking['rows'][number];
export type BriefNarrative = RouterOutputs['brief']['narrative'];

// boundaries.*
export type BoundaryRegister = RouterOutputs['boundaries']['register'];
export type BoundaryRegisterRow = BoundaryRegister['lines'][number];

// admin.import* and meta.health (the 数据管理 page)
export type Health = RouterOutputs['meta']['health'];
export type ImportRequest = RouterInputs['admin']['import'];
export type ImportJob = RouterOutputs['admin']['importReport'];
/** A layer's report, or a department's grid layer's (多格合一: `layer` department-grids, with its reconciliation). */
export type ImportReport = NonNullable<ImportJob['report']>;
export type DepartmentImportReport = Extract<ImportReport, { layer: 'department-grids' }>;
/** 多格合一: a department's imported grid layer, its grids in a unit, and their reconciliation with the unified grids. */
export type DepartmentLayer = RouterOutputs['reconcile']['departments'][number];
export type DepartmentGrids = RouterOutputs['reconcile']['grids'];
export type ReconcileAnswer = RouterOutputs['reconcile']['report'];
export type UnifiedGridMatch = ReconcileAnswer['report']['unified'][number];
export type MatchQuality = UnifiedGridMatch['quality'];
export type ReconcileSummary = NonNullable<DepartmentImportReport['reconciliation']>['summary'];
export type ImportIssue = ImportReport['issues'][number];
export type ImportHistoryEntry = RouterOutputs['admin']['importHistory']['entries'][number];
