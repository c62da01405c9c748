// auth.*: log in (a session in an HttpOnly, SameSite=Strict cookie), log out, who am I, change my
// password. Logins are rate-limited per address and lock an account after repeated failures (see
// server/auth/accounts.ts); every login, failure and logout is in the audit log.

import { z } from 'zod';
import { CAPABILITIES, ROLE_LABELS } from '../domain/access';
import { KIOSK_COOKIE, SESSION_COOKIE, cookieHeader, type Accounts } from '../auth/accounts';
import { principalOf } from '../auth/guard';
import type { AtlasContext } from '../context';
import { RequestError } from '../request-error';
import { procedure, router } from '../trpc';

function accountsOf(ctx: AtlasContext): Accounts {
  if (!ctx.accounts) throw new RequestError('PRECONDITION_FAILED', 'accounts are not enabled on this server');
  return ctx.accounts;
}

export const authRouter = router({
  login: procedure
    .meta({ access: 'open' })
    .input(z.object({ username: z.string().trim().min(1).max(40), password: z.string().min(1).max(200) }).strict())
    .mutation(async ({ ctx, input }) => {
      const accounts = accountsOf(ctx);
      const { sessionId, principal, expiresAt } = await accounts.login(input.username, input.password, ctx.http?.address ?? 'in-process');
      const secure = ctx.http?.secure ?? false;
      ctx.http?.setCookie(cookieHeader(SESSION_COOKIE, sessionId, Math.floor(accounts.sessionMs / 1000), secure));
      // A browser that was a wall display becomes the user's.
      ctx.http?.setCookie(cookieHeader(KIOSK_COOKIE, '', 0, secure));
      return {
        username: principal.username!,
        role: principal.role,
        jurisdiction: principal.jurisdiction,
        mustChangePassword: principal.mustChangePassword,
        expiresAt,
      };
    }),

  logout: procedure.meta({ access: 'self' }).mutation(({ ctx }) => {
    const principal = principalOf(ctx);
    ctx.accounts?.logout(principal);
    const secure = ctx.http?.secure ?? false;
    ctx.http?.setCookie(cookieHeader(SESSION_COOKIE, '', 0, secure));
    ctx.http?.setCookie(cookieHeader(KIOSK_COOKIE, '', 0, secure));
    return { ok: true as const };
  }),

  /** Who the caller is and what their role may do (for the client to choose what to show). */
  me: procedure.meta({ access: 'self' }).query(({ ctx }) => {
    const principal = principalOf(ctx);
    const unit = ctx.store.adminUnit(principal.jurisdiction);
    return {
      username: principal.username,
      role: principal.role,
      jurisdiction: principal.jurisdiction,
      kind: principal.kind,
      roleLabel: ROLE_LABELS[principal.role],
      jurisdictionName: unit?.name ?? null,
      jurisdictionLevel: unit?.level ?? null,
      screenOnly: principal.screenOnly,
      mustChangePassword: principal.mustChangePassword,
      capabilities: CAPABILITIES[principal.role],
    };
  }),

  changePassword: procedure
    .meta({ access: 'self' })
    .input(z.object({ current: z.string().min(1).max(200), next: z.string().min(1).max(200) }).strict())
    .mutation(async ({ ctx, input }) => {
      await accountsOf(ctx).changePassword(principalOf(ctx), input.current, input.next);
      return { ok: true as const };
    }),
});
