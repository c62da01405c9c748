// The one tRPC instance: plain JSON (no transformer, so curl and GIS tools can call GET /trpc/...),
// zod errors reported as "field: message", and a `cache` meta for responses that only change with the data.

import { TRPCError, initTRPC } from '@trpc/server';
import { ZodError } from 'zod';
import type { AtlasContext } from './context';
import { RequestError } from './request-error';

export interface ProcedureMeta {
  /** 'data': the answer depends only on the input and the data version, so GETs get an ETag. */
  cache?: 'data';
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

export const router = t.router;
export const publicProcedure = t.procedure.use(requestErrors);
export const createCallerFactory = t.createCallerFactory;
