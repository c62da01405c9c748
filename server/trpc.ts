// The one tRPC instance: plain JSON (no transformer, so curl and GIS tools can call GET /trpc/...),
// zod errors reported as "field: message", a `cache` meta for responses that only change with the data,
// and who may call each procedure (`access`), checked before the procedure runs.

import { TRPCError, initTRPC } from '@trpc/server';
import { ZodError } from 'zod';
import type { AtlasContext } from './context';
import { RequestError } from './request-error';

export interface ProcedureMeta {
  /**
   * 'data': the answer depends only on the input, the data version and the caller's role and
   * jurisdiction, so GETs get a (private) ETag.
   */
  cache?: 'data';
  /**
   * Who may call. Default: any caller (a user, a token or the anonymous viewer) except wall-display
   * tokens and users who must first change their password. 'wall': also wall-display (kiosk) tokens —
   * what /screen reads. 'self': any caller, for their own account (auth.me, logout, password).
   * 'open': anyone, even without a session when anonymous access is off (meta.health, auth.login).
   */
  access?: 'open' | 'self' | 'wall';
}

/** "level: Invalid option …; bbox.2: …" from a zod error, naming each bad field. */
export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'input'}: ${issue.message}`)
    .join('; ');
}

const t = initTRPC
  .context<AtlasContext>()
  .meta<ProcedureMeta>()
  .create({
    // No stack traces in responses: they reveal paths and internals to any caller.
    isDev: false,
    // Live subscriptions (SSE) send a comment every 15 s so proxies and clients know the stream is alive.
    sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 40_000 } },
    errorFormatter({ shape, error }) {
      if (error.cause instanceof ZodError) {
        return { ...shape, message: `Invalid input: ${describeZodError(error.cause)}` };
      }
      return shape;
    },
  });

/** A RequestError as the tRPC error of the same code; anything else unchanged. */
export function toTrpcError(error: unknown): unknown {
  return error instanceof RequestError ? new TRPCError({ code: error.code, message: error.message, cause: error }) : error;
}

/** Refusals from jobs and the store (RequestError, thrown in any thread) become tRPC errors of the same code. */
const requestErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof RequestError) throw toTrpcError(result.error.cause);
  return result;
});

/** Refuses callers the procedure's `access` does not admit, before anything else runs. */
const access = t.middleware(({ ctx, meta, next }) => {
  const level = meta?.access;
  if (level === 'open') return next();
  const principal = ctx.principal;
  if (!principal) throw toTrpcError(new RequestError('UNAUTHORIZED', 'log in first: this server does not answer anonymous callers'));
  if (level === 'self') return next();
  if (principal.mustChangePassword) {
    throw toTrpcError(new RequestError('FORBIDDEN', 'change your one-time password first (auth.changePassword)'));
  }
  if (principal.screenOnly && level !== 'wall') {
    throw toTrpcError(new RequestError('FORBIDDEN', 'a wall-display token reads the situation wall (/screen) only'));
  }
  return next();
});

export const router = t.router;
/** Every procedure: access checked, refusals thrown as RequestError answered with their code. */
export const procedure = t.procedure.use(access).use(requestErrors);
export const createCallerFactory = t.createCallerFactory;
