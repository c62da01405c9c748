// Request context for tRPC procedures: the store, the job runner, the server's version, the caller's role
// and clock.

import type { Role } from './domain/parties';
import type { JobRunner } from './pool/job-runner';
import type { AtlasStore } from './store/atlas-store';

export interface AtlasContext {
  store: AtlasStore;
  /** Runs analyses and large reads: the worker pool behind HTTP, in-process in tests and the CLI. */
  jobs: JobRunner;
  /** The application version (package.json). */
  version: string;
  /** What the caller may see and do (from its bearer token); 'public' when absent. */
  role?: Role;
  /** The clock (ms since epoch); Date.now when absent. Tests pass their own. */
  now?: () => number;
  /** Set by the HTTP layer when the response may be cached by ETag (see http-handler.ts). */
  responseEtag?: string | null;
}

/** The request's "now", ms since epoch. */
export const nowOf = (ctx: AtlasContext): number => (ctx.now ?? Date.now)();
