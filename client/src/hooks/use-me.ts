// Who the caller is (auth.me): a user, a token or the anonymous viewer, with the role's label, the
// jurisdiction (an admin-code prefix every answer is scoped to) and what the role may do.

import { useMutation, useQuery } from '@tanstack/react-query';
import { clearReportOutbox } from '../pwa/offline-data';
import { trpc } from '../trpc';

export function useMe() {
  return useQuery(trpc.auth.me.queryOptions());
}

/**
 * Logs out (auth.logout); `then` runs once the server has ended the session (the login page then forgets
 * every answer fetched for the caller). The outbox of unsent case reports goes first: it is personal data.
 */
export function useLogout(then: () => void) {
  return useMutation({
    ...trpc.auth.logout.mutationOptions(),
    onSuccess: () => {
      clearReportOutbox();
      then();
    },
  });
}
