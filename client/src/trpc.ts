// The tRPC client: plain JSON over GET for queries (no transformer, one request per query so each can
// be cached by ETag), POST for mutations, and server-sent events for live subscriptions. A refusal is
// not retried, and any request answered 401 (not logged in, session ended) reports it to the app, which
// opens the login page.

import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import type { AppRouter } from '../../server/routers/app';
import { isRefusal, isUnauthorized } from './auth/auth-errors';

let unauthorizedListener: (() => void) | null = null;

/** Called whenever a query or mutation is answered 401; the app sets it once (null to remove). */
export function setUnauthorizedListener(listener: (() => void) | null): void {
  unauthorizedListener = listener;
}

const reportUnauthorized = (error: unknown): void => {
  if (isUnauthorized(error)) unauthorizedListener?.();
};

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: reportUnauthorized }),
  mutationCache: new MutationCache({ onError: reportUnauthorized }),
  defaultOptions: {
    queries: {
      staleTime: 5 * 60_000,
      refetchOnWindowFocus: false,
      // Twice for a failure that may pass (a timeout, a dropped connection); never for a refusal.
      retry: (failures, error) => failures < 2 && !isRefusal(error),
    },
  },
});

export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: httpSubscriptionLink({ url: '/trpc' }),
      false: httpLink({ url: '/trpc' }),
    }),
  ],
});

export const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });

/**
 * tRPC options of a query answered by an analysis (a pool job): its request is aborted once no component
 * wants the answer (the place, period or question changed), so the server cancels the job and the
 * caller's next analyses do not wait behind ones nobody will read (the server runs two of a caller's
 * analyses at a time).
 */
export const ANALYSIS_QUERY = { trpc: { abortOnUnmount: true } } as const;
