// The offline copy of the API's answers belongs to whoever was logged in when they were fetched: it is
// deleted at logout and at login, and whenever the server says someone else is calling (auth.me). The
// outbox of unsent case reports (/report) is one user's: deleted at logout and when another user calls
// (not when a session ends and the anonymous viewer answers: its owner may log in again to send it).

import { hashKey, type QueryClient } from '@tanstack/react-query';
import type { Me } from '../api-types';
import { trpc } from '../trpc';
import { CLEARED_AT_URL, LAST_SERVER_AT_KEY, OFFLINE_META_CACHE_NAME, OFFLINE_OWNER_KEY, REPORT_OUTBOX_KEY, TRPC_CACHE_NAME } from './offline-keys';

function removeStored(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // Storage refused (private mode, quota): nothing was kept there.
  }
}

/**
 * Deletes the kept tRPC answers and what was remembered about them (when, for whom); never fails. The
 * time of the deletion is noted first, so the worker keeps no answer to a request started before it.
 */
export async function clearOfflineData(): Promise<void> {
  removeStored(LAST_SERVER_AT_KEY);
  removeStored(OFFLINE_OWNER_KEY);
  if (typeof caches === 'undefined') return;
  try {
    const meta = await caches.open(OFFLINE_META_CACHE_NAME);
    await meta.put(CLEARED_AT_URL, new Response(String(Date.now()), { headers: { 'content-type': 'text/plain' } }));
    await caches.delete(TRPC_CACHE_NAME);
  } catch {
    // Cache Storage unavailable (an insecure context): there is no kept answer either.
  }
}

let reportOutboxClears = 0;

/** Deletes the outbox of case reports (unsent reports hold parties' names and phones); never fails. */
export function clearReportOutbox(): void {
  reportOutboxClears += 1;
  removeStored(REPORT_OUTBOX_KEY);
}

/** How many times the outbox was deleted on this page: a writer opened before the last deletion writes nothing. */
export function reportOutboxClearCount(): number {
  return reportOutboxClears;
}

/** The user an outbox of case reports belongs to (auth.me's username, role and jurisdiction). */
export function outboxOwnerOf(caller: Pick<Me, 'username' | 'role' | 'jurisdiction'>): string {
  return [caller.username ?? '', caller.role, caller.jurisdiction].join('|');
}

/** Deletes the outbox when a user other than its owner is calling. */
function keepReportOutboxToItsOwner(caller: Me): void {
  if (caller.kind !== 'user') return;
  try {
    const raw = localStorage.getItem(REPORT_OUTBOX_KEY);
    if (raw !== null && (JSON.parse(raw) as { owner?: unknown }).owner !== outboxOwnerOf(caller)) clearReportOutbox();
  } catch {
    clearReportOutbox();
  }
}

/** The caller as far as the kept answers depend on it. */
function ownerOf(caller: Me): string {
  return [caller.kind, caller.username ?? '', caller.role, caller.jurisdiction].join('|');
}

/**
 * Watches auth.me: an answer naming another caller than the one the kept answers belong to (a wall link
 * opened on a desk's browser, a session that ended without logout) deletes them first. An answer served
 * from the cache is always its owner's, so going offline never deletes anything.
 */
export function keepOfflineDataToItsOwner(queryClient: QueryClient): () => void {
  const meHash = hashKey(trpc.auth.me.queryKey());
  return queryClient.getQueryCache().subscribe((event) => {
    if (event.type !== 'updated' || event.action.type !== 'success' || event.query.queryHash !== meHash) return;
    const caller = event.action.data as Me;
    keepReportOutboxToItsOwner(caller);
    const owner = ownerOf(caller);
    let previous: string | null;
    try {
      previous = localStorage.getItem(OFFLINE_OWNER_KEY);
    } catch {
      return;
    }
    if (previous === owner) return;
    void (previous === null ? Promise.resolve() : clearOfflineData()).then(() => {
      try {
        localStorage.setItem(OFFLINE_OWNER_KEY, owner);
      } catch {
        // Not remembered: the next answer compares again.
      }
    });
  });
}
