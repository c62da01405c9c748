// admin.*: users, tokens and the audit log, for administrators, inside their own jurisdiction (an
// administrator of a city manages that city's accounts). Every change is in the audit log; secrets
// (generated passwords, token secrets) are answered once and stored only as hashes. Imports of
// uploaded files (admin.import …) are for an administrator of the whole deployment only.

import { z } from 'zod';
import { ROLES, ROLE_LABELS, insideJurisdiction } from '../domain/access';
import type { Accounts } from '../auth/accounts';
import { requireCapability } from '../auth/guard';
import { auditOf, type AtlasContext } from '../context';
import { IMPORT_LAYERS } from '../ingest/import/import-types';
import { parseCrsOption } from '../ingest/import/crs';
import { checkDepartmentName } from '../ingest/import/department-grids';
import { requireImporter, type DataImports } from '../live/data-imports';
import { RequestError } from '../request-error';
import { procedure, router } from '../trpc';

function administrator(ctx: AtlasContext): { accounts: Accounts; actor: string; jurisdiction: string } {
  const principal = requireCapability(ctx, 'administer', 'administration');
  if (!ctx.accounts) throw new RequestError('PRECONDITION_FAILED', 'accounts are not enabled on this server');
  return { accounts: ctx.accounts, actor: principal.actor, jurisdiction: principal.jurisdiction };
}

/** Refuses a jurisdiction outside the administrator's own. */
function requireInside(code: string, jurisdiction: string, field: string): void {
  if (!insideJurisdiction(code, jurisdiction)) throw new RequestError('FORBIDDEN', `${field}: ${code} is outside your jurisdiction (${jurisdiction})`);
}

/** The caller, when they may import (see requireImporter), and the server's imports. */
function importer(ctx: AtlasContext): { imports: DataImports; actor: string } {
  requireCapability(ctx, 'administer', 'importing data');
  const { actor } = requireImporter(ctx.principal, ctx.imports?.deploymentCode ?? ctx.store.rootUnit()?.code ?? '21');
  if (!ctx.imports) throw new RequestError('PRECONDITION_FAILED', 'imports are not enabled on this server');
  return { imports: ctx.imports, actor };
}

const crsSchema = z
  .string()
  .trim()
  .max(40)
  .refine(
    (text) => {
      try {
        parseCrsOption(text);
        return true;
      } catch {
        return false;
      }
    },
    { message: 'must be wgs84, cgcs2000, gcj02, bd09 or EPSG:nnnn (4326, 4490, a CGCS2000 Gauss-Krüger zone 4491–4554)' },
  );

const importInputSchema = z
  .object({
    uploadId: z.string().regex(/^[0-9a-f]{32}$/, 'must be the uploadId POST /api/upload answered'),
    layer: z.enum(IMPORT_LAYERS),
    crs: crsSchema.optional(),
    encoding: z.string().trim().regex(/^[A-Za-z0-9_-]{1,20}$/, 'must be an encoding name such as gbk, gb18030 or utf-8').optional(),
    /** field → source column. */
    map: z.record(z.string().trim().min(1).max(40), z.string().trim().min(1).max(120)).optional(),
    dryRun: z.boolean().default(false),
    /** With layer grids: a department's own grid layer (多格合一), imported beside the unified grids. */
    department: z
      .string()
      .transform((name, context) => {
        try {
          return checkDepartmentName(name);
        } catch (error) {
          context.addIssue({ code: 'custom', message: `must be a department name such as 安全生产: ${(error as Error).message.replace(/^--department /, '')}` });
          return z.NEVER;
        }
      })
      .optional(),
  })
  .strict()
  .refine((input) => input.department === undefined || input.layer === 'grids', {
    path: ['department'],
    message: "is for a department's own grid layer: only with layer grids",
  });

const usernameSchema = z.string().trim().min(1).max(40);
const codeSchema = z.string().regex(/^\d{2,15}$/, 'must be an admin code');

export const adminRouter = router({
  users: procedure.query(({ ctx }) => {
    const { accounts, jurisdiction } = administrator(ctx);
    return accounts.store
      .listUsers()
      .filter((user) => insideJurisdiction(user.jurisdiction, jurisdiction))
      .map((user) => ({ ...user, roleLabel: ROLE_LABELS[user.role] }));
  }),

  addUser: procedure
    .input(z.object({ username: usernameSchema, role: z.enum(ROLES), jurisdiction: codeSchema, password: z.string().min(1).max(200).optional() }).strict())
    .mutation(async ({ ctx, input }) => {
      const { accounts, actor, jurisdiction } = administrator(ctx);
      requireInside(input.jurisdiction, jurisdiction, 'jurisdiction');
      const { user, password } = await accounts.addUser(actor, input);
      // A generated password is answered once, to hand over; a given one is not echoed.
      return { username: user.username, role: user.role, jurisdiction: user.jurisdiction, password: input.password === undefined ? password : null };
    }),

  setDisabled: procedure.input(z.object({ username: usernameSchema, disabled: z.boolean() }).strict()).mutation(({ ctx, input }) => {
    const { accounts, actor, jurisdiction } = administrator(ctx);
    const user = accounts.store.userByName(input.username);
    if (!user || !insideJurisdiction(user.jurisdiction, jurisdiction)) throw new RequestError('NOT_FOUND', `username: no user ${input.username} in your jurisdiction`);
    if (input.disabled && `user:${user.username}` === actor) throw new RequestError('BAD_REQUEST', 'username: you cannot disable your own account');
    accounts.setDisabled(actor, input.username, input.disabled);
    return { ok: true as const };
  }),

  resetPassword: procedure.input(z.object({ username: usernameSchema }).strict()).mutation(async ({ ctx, input }) => {
    const { accounts, actor, jurisdiction } = administrator(ctx);
    const user = accounts.store.userByName(input.username);
    if (!user || !insideJurisdiction(user.jurisdiction, jurisdiction)) throw new RequestError('NOT_FOUND', `username: no user ${input.username} in your jurisdiction`);
    return { password: await accounts.resetPassword(actor, input.username) };
  }),

  tokens: procedure.query(({ ctx }) => {
    const { accounts, jurisdiction } = administrator(ctx);
    return accounts.store.listTokens().filter((token) => insideJurisdiction(token.jurisdiction, jurisdiction));
  }),

  addToken: procedure
    .input(z.object({ role: z.enum(ROLES), jurisdiction: codeSchema, screenOnly: z.boolean().default(false), label: z.string().trim().min(1).max(80).optional() }).strict())
    .mutation(({ ctx, input }) => {
      const { accounts, actor, jurisdiction } = administrator(ctx);
      requireInside(input.jurisdiction, jurisdiction, 'jurisdiction');
      const { token, record } = accounts.addToken(actor, input);
      return { id: record.id, token, label: record.label, kioskPath: record.screenOnly ? `/kiosk/${token}` : null };
    }),

  revokeToken: procedure.input(z.object({ id: z.number().int().positive() }).strict()).mutation(({ ctx, input }) => {
    const { accounts, actor, jurisdiction } = administrator(ctx);
    const token = accounts.store.tokenById(input.id);
    if (!token || !insideJurisdiction(token.jurisdiction, jurisdiction)) throw new RequestError('NOT_FOUND', `id: no token ${input.id} in your jurisdiction`);
    accounts.revokeToken(actor, input.id);
    return { ok: true as const };
  }),

  /**
   * Starts importing an upload (POST /api/upload) into a layer; answers the job to poll with
   * admin.importReport at once. One import at a time: CONFLICT while another runs.
   */
  import: procedure.input(importInputSchema).mutation(({ ctx, input }) => {
    const { imports, actor } = importer(ctx);
    const job = imports.start(actor, input);
    auditOf(ctx, 'import', `layer:${job.layer}`, {
      jobId: job.jobId,
      uploadId: input.uploadId,
      dryRun: input.dryRun,
      crs: input.crs ?? null,
      ...(job.department === null ? {} : { department: job.department }),
    });
    return { jobId: job.jobId, state: job.state };
  }),

  /** An import job's state: running, done (with the importer's report) or failed (with why). */
  importReport: procedure.input(z.object({ jobId: z.string().uuid() }).strict()).query(({ ctx, input }) => {
    const { imports } = importer(ctx);
    return imports.job(input.jobId);
  }),

  /** Every import into the database, newest first (undone ones with undoneAt). */
  importHistory: procedure.query(({ ctx }) => {
    const { imports } = importer(ctx);
    return { entries: imports.history() };
  }),

  /** Undoes the last import not yet undone: its layer as it was before, served at once. */
  undoImport: procedure.mutation(async ({ ctx }) => {
    const { imports } = importer(ctx);
    const entry = await imports.undo();
    if (!entry) throw new RequestError('NOT_FOUND', 'there is no import to undo');
    auditOf(ctx, 'undo-import', `layer:${entry.layer}`, { importId: entry.id, dataVersion: entry.previousDataVersion });
    return { undone: entry };
  }),

  /** The audit log, newest first (the chain is verified offline: `npm run cli -- audit verify`). */
  audit: procedure
    .input(
      z
        .object({
          beforeSeq: z.number().int().positive().optional(),
          actor: z.string().max(80).optional(),
          action: z.string().max(40).optional(),
          limit: z.number().int().min(1).max(500).default(100),
        })
        .strict(),
    )
    .query(({ ctx, input }) => {
      const { accounts } = administrator(ctx);
      return { entries: accounts.store.audit({ ...input, newestFirst: true }) };
    }),
});
