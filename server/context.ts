// Request context for tRPC procedures: the store, the job runner, the server's version, who is calling
// (the principal: a user's session, a token, or the anonymous viewer), the accounts service (logins,
// the audit log), the HTTP exchange when there is one, and the clock.

import type { Accounts, Principal } from './auth/accounts';
import type { DataImports } from './live/data-imports';
import type { JobRunner } from './pool/job-runner';
import type { AtlasStore } from './store/atlas-store';

/** The HTTP side of a request, for the procedures that set cookies (auth.login, auth.logout). */
export interface HttpExchange {
  /** The client's address (for the login rate limit and the audit log). */
  address: string;
  /** Appends a Set-Cookie header to the response. */
  setCookie(cookie: string): void;
  /** Whether the request came over HTTPS (cookies get Secure). */
  secure: boolean;
}

export interface AtlasContext {
  store: AtlasStore;
  /** Runs analyses and large reads: the worker pool behind HTTP, in-process in tests and the CLI. */
  jobs: JobRunner;
  /** The application version (package.json). */
  version: string;
  /**
   * Who is calling: null when nobody is logged in and anonymous access is off (then only meta.health
   * and auth.login answer).
   */
  principal: Principal | null;
  /** Accounts, sessions and the audit log (absent in tests that do not need them: nothing is audited). */
  accounts?: Accounts;
  /** Imports of uploaded files into the running server (absent where there is no upload route). */
  imports?: DataImports;
  /** The HTTP exchange; absent for in-process callers. */
  http?: HttpExchange;
  /** The clock (ms since epoch); Date.now when absent. Tests pass their own. */
  now?: () => number;
  /** Set by the HTTP layer when the response may be cached by ETag (see http-handler.ts). */
  responseEtag?: string | null;
}

/** The request's "now", ms since epoch. */
export const nowOf = (ctx: AtlasContext): number => (ctx.now ?? Date.now)();

/** Writes one entry of the audit log (never personal data in `detail`); a no-op without accounts. */
export function auditOf(ctx: AtlasContext, action: string, target: string, detail: Record<string, unknown> = {}): void {
  ctx.accounts?.audit(ctx.principal?.actor ?? 'anonymous', action, target, detail);
}
