// admin.*: users, tokens and the audit log, for administrators, inside their own jurisdiction (an
// administrator of a city manages that city's accounts). Every change is in the audit log; secrets
// (generated passwords, token secrets) are answered once and stored only as hashes.

import { z } from 'zod';
import { ROLES, ROLE_LABELS, insideJurisdiction } from '../domain/access';
import type { Accounts } from '../auth/accounts';
import { requireCapability } from '../auth/guard';
import type { AtlasContext } from '../context';
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
