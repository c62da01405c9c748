// What a failed request says about the caller's access: not logged in (401), refused (403), too many
// attempts (with the server's wait), or the server out of reach. Read from the tRPC error's data, which
// both tRPC and the HTTP layer's own refusals carry ({ code, httpStatus }).

import { TRPCClientError } from '@trpc/client';

/** The `data` of a tRPC error answer, or null (no answer: the server was not reached). */
function errorData(error: unknown): { code: string | null; httpStatus: number | null } | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data: unknown = error.data;
  if (typeof data !== 'object' || data === null) return null;
  const { code, httpStatus } = data as { code?: unknown; httpStatus?: unknown };
  return { code: typeof code === 'string' ? code : null, httpStatus: typeof httpStatus === 'number' ? httpStatus : null };
}

/** The caller is not logged in, or the session or wall-display link has ended (HTTP 401). */
export function isUnauthorized(error: unknown): boolean {
  const data = errorData(error);
  return data !== null && (data.code === 'UNAUTHORIZED' || data.httpStatus === 401);
}

/** The caller may not do this (HTTP 403): another area, a role without the capability, a wall display. */
export function isForbidden(error: unknown): boolean {
  const data = errorData(error);
  return data !== null && (data.code === 'FORBIDDEN' || data.httpStatus === 403);
}

/** Errors no retry can mend: the answer would be the same refusal. */
export function isRefusal(error: unknown): boolean {
  return isUnauthorized(error) || isForbidden(error);
}

/** The seconds to wait that a rate-limit refusal names ("… retry in 42 s"), or null. */
export function retryWaitSeconds(message: string): number | null {
  const match = /retry in (\d+)\s*s\b/i.exec(message);
  return match ? Number(match[1]) : null;
}

export type AccessFailure =
  | { kind: 'unauthorized' }
  | { kind: 'tooMany'; waitSeconds: number | null }
  | { kind: 'unreachable' }
  | { kind: 'badRequest'; message: string }
  | { kind: 'other'; message: string };

/** What the login and password forms tell the user about a failed request. */
export function accessFailureOf(error: unknown): AccessFailure {
  const message = error instanceof Error ? error.message : String(error);
  const data = errorData(error);
  // No tRPC answer at all: the network failed, or something other than the atlas answered (a proxy's 502).
  if (data === null) return error instanceof TRPCClientError || error instanceof TypeError ? { kind: 'unreachable' } : { kind: 'other', message };
  if (data.code === 'UNAUTHORIZED' || data.httpStatus === 401) return { kind: 'unauthorized' };
  if (data.code === 'TOO_MANY_REQUESTS' || data.httpStatus === 429) return { kind: 'tooMany', waitSeconds: retryWaitSeconds(message) };
  if (data.code === 'BAD_REQUEST') return { kind: 'badRequest', message };
  if (data.httpStatus !== null && data.httpStatus >= 502 && data.httpStatus <= 504) return { kind: 'unreachable' };
  return { kind: 'other', message };
}
