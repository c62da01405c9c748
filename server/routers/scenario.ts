// scenario.*: planning scenarios kept on the server (the accounts file), listed, read, saved, removed
// and compared per unit. Thin: parse, authorise (the plan capability, the caller's jurisdiction), read
// or write the scenario store, and run comparisons in the worker pool (plan.evaluateUnits).
//
// Who sees a scenario: callers who may plan and whose jurisdiction holds its `within`; to everyone else
// it does not exist (NOT_FOUND). Who may change or remove it: its owner, an administrator, or an officer
// (province … street) whose jurisdiction holds it; planners and viewers only their own. Saves and
// removals are audited; anonymous callers may read but not save.

import { z } from 'zod';
import { OFFICER_ROLES } from '../domain/access';
import { FACILITY_KINDS, type FacilityKind } from '../domain/facility-kinds';
import {
  EMPTY_SCENARIO_EDITS,
  SCENARIO_GROUP_BY,
  SCENARIO_LABELS,
  SCENARIO_LIMITS,
  SCENARIO_SITE_SOURCES,
  type ScenarioEdits,
  type ScenarioGroupBy,
} from '../domain/scenario';
import { principalOf, requireCapability, scopeWithin } from '../auth/guard';
import type { Principal } from '../auth/accounts';
import { auditOf, nowOf, type AtlasContext } from '../context';
import { RequestError, requireUnit } from '../request-error';
import type { ScenarioRecord, ScenarioStore, ScenarioSummary } from '../store/scenario-store';
import { procedure, router } from '../trpc';
import { adminCodeSchema } from './schemas';

const lngLatSchema = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);

/** Walking minutes that count as served: as plan.*. */
const maxMinutesSchema = z.number().gt(0).max(60);

const idSchema = z.number().int().min(1);

/** The ids of a list, each once: a repeat is reported at its index. */
function distinctIds(label: string) {
  return (ids: number[], ctx: z.RefinementCtx): void => {
    const seen = new Set<number>();
    ids.forEach((id, index) => {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [index], message: `${label} ${id} is listed twice` });
      seen.add(id);
    });
  };
}

export const scenarioEditsSchema = z
  .object({
    addFacilities: z
      .array(
        z
          .object({
            lngLat: lngLatSchema,
            name: z.string().trim().min(1).max(SCENARIO_LIMITS.maxNameLength).optional(),
            source: z.enum(SCENARIO_SITE_SOURCES),
          })
          .strict(),
      )
      .max(SCENARIO_LIMITS.maxSites),
    removeFacilities: z.array(idSchema).max(SCENARIO_LIMITS.maxSites).superRefine(distinctIds('facility')),
    addLinks: z
      .array(
        z
          .tuple([lngLatSchema, lngLatSchema])
          .refine(([from, to]) => from[0] !== to[0] || from[1] !== to[1], 'a link must join two different points'),
      )
      .max(SCENARIO_LIMITS.maxLinks),
    removeLinks: z.array(idSchema).max(SCENARIO_LIMITS.maxLinks).superRefine(distinctIds('edge')),
  })
  .strict();

const nameSchema = z.string().trim().min(1, 'must not be empty').max(SCENARIO_LIMITS.maxNameLength);

const listInput = z
  .object({ within: adminCodeSchema.optional(), limit: z.number().int().min(1).max(500).optional() })
  .strict()
  .optional();

const saveInput = z
  .object({
    /** Absent: a new scenario; given: rewrite that one (rename, new edits …). */
    id: idSchema.optional(),
    name: nameSchema,
    within: adminCodeSchema,
    kind: z.enum(FACILITY_KINDS),
    maxMinutes: maxMinutesSchema,
    edits: scenarioEditsSchema,
  })
  .strict();

/** A scenario id, or 'base': the existing facilities and network, no edits. */
const sideSchema = z.union([z.literal('base'), idSchema]);

const compareInput = z
  .object({
    a: sideSchema,
    b: sideSchema,
    groupBy: z.enum(SCENARIO_GROUP_BY),
    /** Needed when both sides are 'base'; else, when given, must match the scenarios'. */
    kind: z.enum(FACILITY_KINDS).optional(),
    maxMinutes: maxMinutesSchema.optional(),
    /** The area compared (default: the wider of the two scenarios' `within`). */
    within: adminCodeSchema.optional(),
  })
  .strict();

/** The scenarios of the accounts file; refused where the server runs without one. */
function scenarioStoreOf(ctx: AtlasContext): ScenarioStore {
  const store = ctx.accounts?.store.scenarios;
  if (!store) throw new RequestError('PRECONDITION_FAILED', 'scenarios are kept with the accounts, and this server runs without them');
  return store;
}

/** The plan capability, and `within` inside the caller's jurisdiction. */
function planWithin(ctx: AtlasContext, within: string | undefined): string {
  requireCapability(ctx, 'plan', 'planning');
  return scopeWithin(ctx, within);
}

const notFound = (id: number): RequestError => new RequestError('NOT_FOUND', `no scenario ${id} in your jurisdiction`);

/** A scenario the caller may see (inside its jurisdiction), else NOT_FOUND whether or not it exists. */
function visibleScenario(ctx: AtlasContext, id: number): ScenarioRecord {
  const principal = requireCapability(ctx, 'plan', 'planning');
  const scenario = scenarioStoreOf(ctx).scenario(id);
  if (!scenario || !scenario.within.startsWith(principal.jurisdiction)) throw notFound(id);
  return scenario;
}

/** Whether the caller may change a scenario it can see: the owner, an administrator or an officer. */
function mayChange(principal: Principal, scenario: Pick<ScenarioRecord, 'owner'>): boolean {
  if (principal.kind === 'anonymous') return false;
  return principal.actor === scenario.owner || principal.role === 'admin' || OFFICER_ROLES.includes(principal.role);
}

function requireChange(principal: Principal, scenario: ScenarioRecord): void {
  if (!mayChange(principal, scenario)) {
    throw new RequestError('FORBIDDEN', `scenario ${scenario.id} belongs to ${scenario.owner}: only its owner, an administrator or an officer of its area may change it`);
  }
}

/** What every answer about a scenario adds: whether its ids belong to an older build, whether the caller may change it. */
function describe<S extends ScenarioSummary | ScenarioRecord>(ctx: AtlasContext, scenario: S): S & { stale: boolean; canChange: boolean } {
  return { ...scenario, stale: scenario.dataVersion !== ctx.store.health().dataVersion, canChange: mayChange(principalOf(ctx), scenario) };
}

/** Removals must be facilities of the kind that the caller can see: named by index otherwise. */
function checkRemovals(ctx: AtlasContext, kind: FacilityKind, edits: ScenarioEdits): void {
  const { jurisdiction } = principalOf(ctx);
  const found = new Map(ctx.store.facilitiesById(edits.removeFacilities).map((facility) => [facility.id, facility]));
  edits.removeFacilities.forEach((id, index) => {
    const facility = found.get(id);
    if (!facility || facility.kind !== kind || !facility.communityCode.startsWith(jurisdiction)) {
      throw new RequestError('BAD_REQUEST', `edits.removeFacilities.${index}: facility ${id} is not a ${kind} facility in your jurisdiction`);
    }
  });
}

/** Edits of a scenario, for the record of a save (counts only). */
const editCounts = (edits: ScenarioEdits) => ({
  addFacilities: edits.addFacilities.length,
  removeFacilities: edits.removeFacilities.length,
  addLinks: edits.addLinks.length,
  removeLinks: edits.removeLinks.length,
});

type Side = 'base' | ScenarioRecord;

/** The kind, minutes and area both sides are evaluated at, or BAD_REQUEST saying why they differ. */
function commonGround(ctx: AtlasContext, a: Side, b: Side, input: z.infer<typeof compareInput>): { kind: FacilityKind; maxMinutes: number; within: string } {
  const scenarios = [a, b].filter((side): side is ScenarioRecord => side !== 'base');
  const agreed = <K extends 'kind' | 'maxMinutes'>(field: K): ScenarioRecord[K] => {
    const given: string | number | undefined = input[field];
    for (const scenario of scenarios) {
      if (given !== undefined && scenario[field] !== given) {
        throw new RequestError('BAD_REQUEST', `${field}: scenario ${scenario.id} is for ${scenario[field]}, not ${given}`);
      }
    }
    if (scenarios.length === 2 && scenarios[0]![field] !== scenarios[1]![field]) {
      throw new RequestError('BAD_REQUEST', `${field}: scenario ${scenarios[0]!.id} is for ${scenarios[0]![field]} and scenario ${scenarios[1]!.id} for ${scenarios[1]![field]}; compare scenarios of the same ${field}`);
    }
    const value = given ?? scenarios[0]?.[field];
    if (value === undefined) throw new RequestError('BAD_REQUEST', `${field}: required when both sides are 'base'`);
    return value as ScenarioRecord[K];
  };
  const kind = agreed('kind');
  const maxMinutes = agreed('maxMinutes');
  if (scenarios.length === 2) {
    const [first, second] = scenarios as [ScenarioRecord, ScenarioRecord];
    if (!first.within.startsWith(second.within) && !second.within.startsWith(first.within)) {
      throw new RequestError('BAD_REQUEST', `within: scenario ${first.id} is about ${first.within} and scenario ${second.id} about ${second.within}, neither inside the other`);
    }
  }
  // The wider of the scenarios' areas, so every effect of either side's edits is counted.
  const widest = scenarios.map((scenario) => scenario.within).sort((x, y) => x.length - y.length)[0];
  return { kind, maxMinutes, within: planWithin(ctx, input.within ?? widest) };
}

export interface ComparedUnit {
  code: string;
  name: string;
  population: number;
  coveredA: number;
  coveredB: number;
  /** coveredB − coveredA. */
  delta: number;
}

/** A side's edits evaluated per unit; a stale scenario's refusal says its ids belong to an older build. */
async function evaluateSide(
  ctx: AtlasContext,
  side: Side,
  ground: { kind: FacilityKind; maxMinutes: number; within: string; groupBy: ScenarioGroupBy },
  signal: AbortSignal | undefined,
) {
  const edits = side === 'base' ? EMPTY_SCENARIO_EDITS : side.edits;
  try {
    return await ctx.jobs.value('plan.evaluateUnits', { ...ground, edits }, { signal, nowMs: nowOf(ctx) });
  } catch (error) {
    if (side !== 'base' && error instanceof RequestError && error.code === 'BAD_REQUEST') {
      const current = ctx.store.health().dataVersion;
      const stale = side.dataVersion !== current ? ` (saved on data version ${side.dataVersion}, the data is now ${current}: its ids may be gone)` : '';
      throw new RequestError('BAD_REQUEST', `scenario ${side.id}${stale}: ${error.message}`);
    }
    throw error;
  }
}

export const scenarioRouter = router({
  /** Scenarios inside `within` (default: the jurisdiction), most recently saved first, without their edits. */
  list: procedure.input(listInput).query(({ ctx, input }) => {
    const within = planWithin(ctx, input?.within);
    return scenarioStoreOf(ctx)
      .listScenarios({ withinCode: within, limit: input?.limit ?? 200 })
      .map((scenario) => describe(ctx, scenario));
  }),

  get: procedure.input(z.object({ id: idSchema }).strict()).query(({ ctx, input }) => describe(ctx, visibleScenario(ctx, input.id))),

  save: procedure.input(saveInput).mutation(({ ctx, input }) => {
    const within = planWithin(ctx, input.within);
    const principal = principalOf(ctx);
    if (principal.kind === 'anonymous') throw new RequestError('FORBIDDEN', 'log in to save a scenario');
    requireUnit(ctx.store, within, 'within');
    const scenarios = scenarioStoreOf(ctx);
    if (input.id !== undefined) requireChange(principal, visibleScenario(ctx, input.id));
    checkRemovals(ctx, input.kind, input.edits);
    const fields = { name: input.name, within, kind: input.kind, maxMinutes: input.maxMinutes, edits: input.edits, dataVersion: ctx.store.health().dataVersion };
    const at = nowOf(ctx);
    const saved = input.id === undefined ? scenarios.addScenario(fields, principal.actor, at) : scenarios.updateScenario(input.id, fields, at);
    if (!saved) throw notFound(input.id!);
    auditOf(ctx, 'write', `scenario:${saved.id}`, { procedure: 'scenario.save', created: input.id === undefined, within, kind: input.kind, edits: editCounts(input.edits) });
    return describe(ctx, saved);
  }),

  remove: procedure.input(z.object({ id: idSchema }).strict()).mutation(({ ctx, input }) => {
    const scenario = visibleScenario(ctx, input.id);
    requireChange(principalOf(ctx), scenario);
    if (!scenarioStoreOf(ctx).removeScenario(input.id)) throw notFound(input.id);
    auditOf(ctx, 'write', `scenario:${input.id}`, { procedure: 'scenario.remove', within: scenario.within, kind: scenario.kind });
    return { id: input.id, removed: true };
  }),

  /**
   * Two scenarios (or 'base', the existing facilities) per unit of `groupBy`: residents covered by each
   * and the difference, largest differences first.
   */
  compare: procedure.input(compareInput).query(async ({ ctx, input, signal }) => {
    requireCapability(ctx, 'plan', 'planning');
    const a: Side = input.a === 'base' ? 'base' : visibleScenario(ctx, input.a);
    const b: Side = input.b === 'base' ? 'base' : visibleScenario(ctx, input.b);
    const ground = { ...commonGround(ctx, a, b, input), groupBy: input.groupBy };
    // The base is every evaluation's "before": a side that is the base needs no evaluation of its own.
    const [resultA, resultB] = await Promise.all([
      a === 'base' ? null : evaluateSide(ctx, a, ground, signal),
      b === 'base' && a !== 'base' ? null : evaluateSide(ctx, b, ground, signal),
    ]);
    const any = (resultA ?? resultB)!;
    const coveredOf = (result: typeof resultA) =>
      result
        ? { units: result.units.map((unit) => unit.coveredAfter), total: result.coveredAfter }
        : { units: any.units.map((unit) => unit.coveredBefore), total: any.coveredBefore };
    const coveredA = coveredOf(resultA);
    const coveredB = coveredOf(b === 'base' ? null : resultB);
    const { population } = any;
    const units: ComparedUnit[] = any.units.map((unit, row) => ({
      code: unit.code,
      name: unit.name,
      population: unit.population,
      coveredA: coveredA.units[row]!,
      coveredB: coveredB.units[row]!,
      delta: coveredB.units[row]! - coveredA.units[row]!,
    }));
    units.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
    const sideOf = (side: Side, covered: { total: number }) => ({
      id: side === 'base' ? ('base' as const) : side.id,
      name: side === 'base' ? SCENARIO_LABELS.base.zh : side.name,
      coveredPopulation: covered.total,
      coverageRate: population > 0 ? covered.total / population : 0,
    });
    return { kind: ground.kind, maxMinutes: ground.maxMinutes, within: ground.within, groupBy: ground.groupBy, a: sideOf(a, coveredA), b: sideOf(b, coveredB), population, units };
  }),
});
