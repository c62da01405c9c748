// events.*: the dispute workflow — lists (keyset pagination), one case with its history, statistics,
// KPIs against the previous period, reports and transitions (version-checked, append-only history),
// and a live subscription (SSE) that replays the log from lastEventId with no gap and no duplicate.
//
// Access: cases are listed and opened by roles that read cases, inside their jurisdiction (a case within
// 500 m of a street boundary line is visible to both sides; a case outside answers NOT_FOUND, as if it
// did not exist); parties and free text are masked and places rounded for roles without a need to know,
// and every unmasked view is audited. Reports and transitions need the role's capability and a place
// inside the caller's jurisdiction (a chosen handler unit too), and are audited with the caller. Statistics, KPIs and the live
// stream cover the caller's jurisdiction or a unit inside it; another area is refused.

import { createHash } from 'node:crypto';
import { TRPCError, tracked } from '@trpc/server';
import { z } from 'zod';
import { PARTY_PHONE_CHARACTERS, REPORT_LIMITS } from '../domain/parties';
import {
  DISPUTE_OUTCOME_KEYS,
  DISPUTE_SOURCE_KEYS,
  DISPUTE_TYPE_KEYS,
  type DisputeType,
} from '../domain/dispute-categories';
import { CAPABILITIES, workflowActorRole } from '../domain/access';
import { MS_PER_DAY } from '../domain/china-time';
import {
  DISPUTE_ACTIONS,
  DISPUTE_SEVERITIES,
  DISPUTE_STATUSES,
  HANDLING_UNIT_CODE_LENGTH,
  isOverdue,
  legalActions,
} from '../domain/dispute-workflow';
import type { Principal } from '../auth/accounts';
import {
  auditUnmaskedView,
  caseActionable,
  caseVisible,
  disputeFor,
  principalOf,
  requireCapability,
  roundPlace,
  scopeWithin,
  stepsFor,
} from '../auth/guard';
import { auditOf, nowOf, type AtlasContext } from '../context';
import { RequestError, requireUnit } from '../request-error';
import type { DisputeLogEntry, DisputeRecord, TransitionRequest } from '../store/dispute-store';
import type { AtlasStore } from '../store/atlas-store';
import { HANDLER_KINDS, handlerUnitsOf, type HandlerKind } from '../jobs/desk';
import { disputeServiceFor } from '../live/dispute-service';
import { computeDueMs, stageStartOf } from '../domain/dispute-deadlines';
import { procedure, router, toTrpcError } from '../trpc';
import { adminCodeSchema, checkPeriod, fromSchema, toSchema } from './schemas';

const PROVINCE_BBOX = [118.8, 38.7, 125.8, 43.5] as const;
const MAX_NOTE_LENGTH = 2_000;

/** Writes need a server that accepts them. */
function requireWritable(ctx: AtlasContext): void {
  if (!ctx.store.disputes.writable) throw new RequestError('FORBIDDEN', 'this server is read-only (started with ATLAS_READ_ONLY=1)');
}

/** A case as the caller may see it, with its overdue state now. */
function viewOf(principal: Principal, dispute: DisputeRecord, nowMs: number) {
  return { ...disputeFor(principal, dispute), overdue: isOverdue(dispute.dueAt, dispute.closedAt, nowMs) };
}

/** A log entry for live displays: no personal data (no note); places rounded for roles without exact places. */
function liveViewOf(principal: Principal, entry: DisputeLogEntry) {
  return {
    seq: entry.seq,
    disputeId: entry.disputeId,
    step: entry.step,
    action: entry.action,
    fromStatus: entry.fromStatus,
    toStatus: entry.toStatus,
    at: entry.at,
    handlingLevel: entry.handlingLevel,
    placeCode: entry.placeCode,
    placeName: entry.placeName,
    otherSideCode: entry.otherSideCode,
    lngLat: CAPABILITIES[principal.role].exactPlaces ? entry.lngLat : roundPlace(entry.lngLat),
    type: entry.type,
    source: entry.source,
    severity: entry.severity,
    /** The case's deadline as the entry was read: a desk places a new report in its deadline order at once. */
    dueAt: entry.dueAt,
  };
}

/** A digest of a report's body (what the caller sent, keys sorted), to tell a replay from a reused key. */
function bodyHashOf(body: Record<string, unknown>): string {
  const canonical = JSON.stringify(body, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))) : value,
  );
  return createHash('sha256').update(canonical).digest('base64url');
}

/**
 * The handler a caller chose for a case (assign, reopen), checked: a unit of a kind the desk suggests
 * (grid, community, street, county) that exists, is one the case may go to — a unit holding its place,
 * or for a boundary case a unit of the street across the line or that street's county — and lies inside
 * the caller's jurisdiction. With `joint`, the other side's unit of the same kind (as desk.suggestHandlers
 * lists it) is recorded too: joint mediation of a boundary case. BAD_REQUEST otherwise, nothing written.
 */
function chosenHandler(store: AtlasStore, principal: Principal, dispute: DisputeRecord, unit: string, joint: boolean): NonNullable<TransitionRequest['handler']> {
  const kind = HANDLER_KINDS.find((candidate) => HANDLING_UNIT_CODE_LENGTH[candidate] === unit.length) as HandlerKind;
  const exists = kind === 'grid' ? store.gridRecords({ withinCode: unit }).some((grid) => grid.code === unit) : store.adminUnit(unit) !== null;
  if (!exists) throw new RequestError('BAD_REQUEST', `handlerUnit: no ${kind} ${unit}`);
  const { own, other } = handlerUnitsOf(store, dispute);
  const across = dispute.otherSideCode;
  const side =
    own[kind] === unit ? 'own' : across !== null && ((kind !== 'county' && unit.startsWith(across)) || unit === other?.county) ? 'other' : null;
  if (side === null) {
    throw new RequestError(
      'BAD_REQUEST',
      `handlerUnit: case ${dispute.id} cannot go to ${unit}: choose its own grid, community, street or county${across === null ? '' : ', or a unit of the street across the boundary line or that street\'s county'} (see desk.suggestHandlers)`,
    );
  }
  if (!unit.startsWith(principal.jurisdiction)) throw new RequestError('BAD_REQUEST', `handlerUnit: ${unit} lies outside your jurisdiction (${principal.jurisdiction}); you cannot hand cases to it`);
  if (!joint) return { unit, level: kind, jointUnit: null };
  if (across === null) throw new RequestError('BAD_REQUEST', `joint: case ${dispute.id} lies near no boundary line (no otherSideCode): joint mediation is for boundary cases`);
  const partner = side === 'own' ? (other?.[kind] ?? null) : own[kind];
  if (partner === null || partner === unit) {
    throw new RequestError('BAD_REQUEST', `joint: the other side has no ${kind} of its own to mediate with (both sides may lie in one county): choose a street, community or grid`);
  }
  return { unit, level: kind, jointUnit: partner };
}

/** The same refusal for a case that does not exist and one the caller may not see. */
const noSuchCase = (id: number): RequestError => new RequestError('NOT_FOUND', `id: no dispute ${id}`);

const cursorSchema = z
  .string()
  .regex(/^\d+-\d+$/, 'must be a cursor returned by events.list')
  .transform((text) => {
    const [reportedAt, id] = text.split('-').map(Number);
    return { reportedAt: reportedAt!, id: id! };
  });

const statusList = z.union([z.enum(DISPUTE_STATUSES), z.array(z.enum(DISPUTE_STATUSES)).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));
const typeList = z.array(z.enum(DISPUTE_TYPE_KEYS as [DisputeType, ...DisputeType[]])).min(1);

/** Longest period of statistics and KPIs: three years. */
export const MAX_EVENTS_PERIOD_DAYS = 3 * 366;

const periodInput = z
  .object({ within: adminCodeSchema, from: fromSchema, to: toSchema })
  .strict()
  .superRefine(checkPeriod(MAX_EVENTS_PERIOD_DAYS));

const GROUP_BY = ['type', 'source', 'status', 'level', 'day', 'week', 'month', 'unit'] as const;

const partySchema = z
  .object({
    role: z.string().trim().min(1).max(REPORT_LIMITS.partyRoleMaxLength).optional(),
    name: z.string().trim().min(1).max(REPORT_LIMITS.partyNameMaxLength),
    phone: z.string().trim().max(REPORT_LIMITS.partyPhoneMaxLength).regex(PARTY_PHONE_CHARACTERS, 'digits, spaces and + - ( ) only').optional(),
  })
  .strict();

export const eventsRouter = router({
  list: procedure
    .input(
      z
        .object({
          within: adminCodeSchema,
          status: statusList.optional(),
          types: typeList.optional(),
          from: fromSchema.optional(),
          to: toSchema.optional(),
          cursor: cursorSchema.optional(),
          limit: z.number().int().min(1).max(500).default(50),
        })
        .strict()
        .superRefine(checkPeriod(Infinity)),
    )
    .query(({ ctx, input }) => {
      const principal = requireCapability(ctx, 'readCases', 'listing cases');
      const within = scopeWithin(ctx, input.within);
      requireUnit(ctx.store, within, 'within');
      const items = ctx.store.disputes.list({
        visibleIn: within,
        statuses: input.status,
        types: input.types,
        fromMs: input.from,
        toMs: input.to,
        after: input.cursor,
        limit: input.limit + 1,
      });
      const page = items.slice(0, input.limit);
      const last = page[page.length - 1];
      const now = nowOf(ctx);
      auditUnmaskedView(ctx, 'events.list', page.map((dispute) => dispute.id));
      return {
        items: page.map((dispute) => viewOf(principal, dispute, now)),
        nextCursor: items.length > input.limit && last ? `${last.reportedAt}-${last.id}` : null,
      };
    }),

  get: procedure.input(z.object({ id: z.number().int().positive() }).strict()).query(({ ctx, input }) => {
    const principal = requireCapability(ctx, 'readCases', 'opening a case');
    const found = ctx.store.disputes.get(input.id);
    if (!found || !caseVisible(principal, found.dispute)) throw noSuchCase(input.id);
    auditUnmaskedView(ctx, 'events.get', [input.id]);
    const mayAct = caseActionable(principal, found.dispute) && ctx.store.disputes.writable;
    const allowed = CAPABILITIES[principal.role].actions;
    const stageSince = stageStartOf(found.history);
    return {
      ...viewOf(principal, found.dispute, nowOf(ctx)),
      /** The current stage (办理阶段): since when (its level reached, or reopened) and the days it has (type × level, capped by severity). */
      stage: { since: stageSince, days: Math.round(((found.dispute.dueAt - stageSince) / MS_PER_DAY) * 100) / 100 },
      history: stepsFor(principal, found.dispute, found.history),
      /** What the caller may do to the case now: the workflow's legal actions their role has. */
      legalActions: mayAct ? legalActions(found.dispute.status, found.dispute.handlingLevel).filter((action) => allowed.includes(action)) : [],
    };
  }),

  stats: procedure
    .input(
      z
        .object({
          within: adminCodeSchema,
          from: fromSchema,
          to: toSchema,
          groupBy: z.enum(GROUP_BY),
          /** For groupBy 'unit': the level to group by (default: the children of `within`; grids inside a community). */
          unitLevel: z.enum(['city', 'county', 'street', 'community', 'grid']).optional(),
        })
        .strict()
        .superRefine(checkPeriod(MAX_EVENTS_PERIOD_DAYS))
        .refine((input) => input.groupBy !== 'day' || input.to - input.from <= 400 * MS_PER_DAY, {
          message: 'groupBy day covers at most 400 days',
          path: ['groupBy'],
        }),
    )
    .meta({ access: 'wall' })
    .query(({ ctx, input, signal }) => ctx.jobs.run('events.stats', { ...input, within: scopeWithin(ctx, input.within) }, { signal, nowMs: nowOf(ctx) })),

  kpis: procedure
    .meta({ access: 'wall' })
    .input(periodInput)
    .query(({ ctx, input, signal }) =>
      ctx.jobs.run('events.kpis', { ...input, within: scopeWithin(ctx, input.within) }, { signal, nowMs: nowOf(ctx) }),
    ),

  report: procedure
    .input(
      z
        .object({
          lngLat: z.tuple([z.number().finite(), z.number().finite()]),
          type: z.enum(DISPUTE_TYPE_KEYS as [DisputeType, ...DisputeType[]]),
          source: z.enum(DISPUTE_SOURCE_KEYS as [(typeof DISPUTE_SOURCE_KEYS)[number], ...(typeof DISPUTE_SOURCE_KEYS)[number][]]),
          severity: z.enum(DISPUTE_SEVERITIES).default('general'),
          summary: z.string().trim().max(REPORT_LIMITS.summaryMaxLength).optional(),
          parties: z.array(partySchema).max(REPORT_LIMITS.maxParties).default([]),
          /** The same key from the same caller answers the first report again instead of making a second case. */
          idempotencyKey: z
            .string()
            .regex(/^[A-Za-z0-9_-]{8,100}$/, '8 to 100 characters, letters, digits, _ and - only')
            .optional(),
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) => {
      const principal = requireCapability(ctx, 'report', 'reporting a case');
      requireWritable(ctx);
      const { idempotencyKey, ...body } = input;
      const [lng, lat] = input.lngLat;
      const outside = lng < PROVINCE_BBOX[0] || lng > PROVINCE_BBOX[2] || lat < PROVINCE_BBOX[1] || lat > PROVINCE_BBOX[3];
      const place = outside ? null : ctx.store.disputes.locate([lng, lat]);
      if (!place) throw new TRPCError({ code: 'BAD_REQUEST', message: `lngLat: [${lng}, ${lat}] is not inside Liaoning province` });
      if (!caseActionable(principal, place)) {
        throw new RequestError('FORBIDDEN', `lngLat: the place lies outside your jurisdiction (${principal.jurisdiction})`);
      }
      const service = disputeServiceFor(ctx.store);
      const reportedAt = nowOf(ctx);
      const result = await service.report({
        reportKey: idempotencyKey === undefined ? undefined : { reporter: principal.actor, key: idempotencyKey, bodyHash: bodyHashOf(body) },
        type: input.type,
        source: input.source,
        severity: input.severity,
        lngLat: [lng, lat],
        summary: input.summary ?? null,
        parties: input.parties.map((p, index) => ({ role: p.role ?? ['申请人', '被申请人', '第三人'][Math.min(index, 2)]!, name: p.name, phone: p.phone ?? '' })),
        reportedAt,
        dueAt: computeDueMs(reportedAt, { type: input.type, severity: input.severity, handlingLevel: 'grid' }, service.deadlines),
        actorRole: workflowActorRole(principal.role, 'report'),
        ...place,
      });
      if (result.kind === 'key-conflict') {
        throw new TRPCError({
          code: 'CONFLICT',
          message: `idempotencyKey: this key already reported case ${result.id} with a different body; send a new key for a new report`,
        });
      }
      // A replay wrote nothing: no audit entry, no step, no live event; it answers as the first time did.
      if (result.kind === 'new') auditOf(ctx, 'write', `dispute:${result.id}`, { procedure: 'events.report', placeCode: result.placeCode });
      return { id: result.id, seq: result.seq, version: 1, placeCode: result.placeCode, status: 'reported' as const };
    }),

  transition: procedure
    .input(
      z
        .object({
          id: z.number().int().positive(),
          action: z.enum(DISPUTE_ACTIONS),
          note: z.string().max(MAX_NOTE_LENGTH, `at most ${MAX_NOTE_LENGTH} characters`).optional(),
          version: z.number().int().positive(),
          outcome: z.enum(DISPUTE_OUTCOME_KEYS as [(typeof DISPUTE_OUTCOME_KEYS)[number], ...(typeof DISPUTE_OUTCOME_KEYS)[number][]]).optional(),
          /** For assign and reopen: the unit to hand the case to (see desk.suggestHandlers); its level becomes the case's. */
          handlerUnit: z
            .string()
            .regex(/^(\d{6}|\d{9}|\d{12}|\d{15})$/, 'a county (6 digits), street (9), community (12) or grid (15) code')
            .optional(),
          /** With handlerUnit, for a boundary case: joint mediation (联合调解) with the other side's unit at the same level. */
          joint: z.boolean().optional(),
        })
        .strict()
        .refine((input) => input.handlerUnit === undefined || input.action === 'assign' || input.action === 'reopen', {
          message: 'only assign and reopen take a handlerUnit',
          path: ['handlerUnit'],
        })
        .refine((input) => input.joint !== true || input.handlerUnit !== undefined, { message: 'joint needs a handlerUnit (the unit of one side)', path: ['joint'] })
        .refine((input) => input.outcome === undefined || input.action === 'close', { message: 'only close takes an outcome', path: ['outcome'] })
        // Closing records how the case ended, which the resolution rate counts: nobody's choice is not a default.
        .refine((input) => input.action !== 'close' || input.outcome !== undefined, {
          message: `close needs an outcome: one of ${DISPUTE_OUTCOME_KEYS.join(', ')}`,
          path: ['outcome'],
        }),
    )
    .mutation(({ ctx, input }) => {
      const principal = principalOf(ctx);
      if (!CAPABILITIES[principal.role].actions.includes(input.action)) {
        throw new RequestError('FORBIDDEN', `action: ${input.action} is not open to the ${principal.role} role`);
      }
      requireWritable(ctx);
      const found = ctx.store.disputes.get(input.id);
      if (!found || !caseVisible(principal, found.dispute)) throw noSuchCase(input.id);
      if (!caseActionable(principal, found.dispute)) {
        throw new RequestError('FORBIDDEN', `id: case ${input.id} lies across the boundary, in ${found.dispute.placeCode}; its own side handles it`);
      }
      const handler = input.handlerUnit === undefined ? undefined : chosenHandler(ctx.store, principal, found.dispute, input.handlerUnit, input.joint === true);
      const service = disputeServiceFor(ctx.store);
      const result = service.transition({
        id: input.id,
        action: input.action,
        note: input.note?.trim() || null,
        version: input.version,
        actorRole: workflowActorRole(principal.role, input.action),
        at: nowOf(ctx),
        outcome: input.outcome,
        handler,
      });
      if (!result.ok) {
        if (result.reason === 'not-found') throw noSuchCase(input.id);
        if (result.reason === 'conflict') {
          throw new TRPCError({
            code: 'CONFLICT',
            message: `version: the case changed since version ${input.version} (now ${result.currentVersion}); reload it and try again`,
          });
        }
        if (result.reason === 'rule-fired') throw new Error('a rule key reached events.transition');
        const allowed = legalActions(result.status, result.handlingLevel);
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: `action: cannot ${input.action} a case that is ${result.status} at ${result.handlingLevel} level; allowed: ${allowed.join(', ') || 'none'}`,
        });
      }
      auditOf(ctx, 'write', `dispute:${input.id}`, {
        procedure: 'events.transition',
        action: input.action,
        step: result.step.step,
        ...(handler ? { handlerUnit: handler.unit, jointUnit: handler.jointUnit } : {}),
      });
      auditUnmaskedView(ctx, 'events.transition', [input.id]);
      return { ...viewOf(principal, result.dispute, nowOf(ctx)), step: stepsFor(principal, result.dispute, [result.step])[0]! };
    }),

  live: procedure
    .meta({ access: 'wall' })
    .input(z.object({ within: adminCodeSchema, lastEventId: z.string().regex(/^\d+$/).nullish() }).strict())
    .subscription(async function* ({ ctx, input, signal }) {
      // A subscription's errors surface when it is iterated, past the procedure's middleware.
      let within: string;
      let principal: Principal;
      try {
        principal = principalOf(ctx);
        within = scopeWithin(ctx, input.within);
        requireUnit(ctx.store, within, 'within');
      } catch (error) {
        throw toTrpcError(error);
      }
      const service = disputeServiceFor(ctx.store);
      // Without lastEventId the stream starts at the present; with it, right after that entry (or, when
      // it is too far back, at the present after a resync message). Each message carries the entries of
      // one commit group; its id is the resume point.
      for await (const batch of service.tail.stream({ visibleIn: within }, input.lastEventId ? Number(input.lastEventId) : null, signal)) {
        yield tracked(String(batch.seq), { entries: batch.entries.map((entry) => liveViewOf(principal, entry)), resync: batch.resync });
      }
    }),
});
