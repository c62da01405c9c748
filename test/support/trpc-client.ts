// A tRPC client for Node tests and benchmarks: queries and mutations over plain HTTP, subscriptions
// over server-sent events (the `eventsource` package stands in for the browser's EventSource).

import { EventSource } from 'eventsource';
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import type { AppRouter } from '../../server/routers/app';

export function createTestClient(url: string, headers: Record<string, string> = {}) {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url: `${url}/trpc`, EventSource }),
        false: httpLink({ url: `${url}/trpc`, headers }),
      }),
    ],
  });
}
