// The outbox of the account on the page: loaded from storage (resuming any report left unsent), sent
// through events.report with each report's idempotency key, retried at once when the browser comes back
// online, and stopped when the page closes or the account changes.

import { useEffect, useState } from 'react';
import { trpcClient } from '../../trpc';
import { ReportOutbox, type OutboxItem } from './report-outbox';
import { localOutboxStorage } from './report-outbox-storage';

/** A fresh idempotency key: a UUID, or 32 hex digits where randomUUID is missing (plain-HTTP pages). */
export function newReportKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function useReportOutbox(owner: string | null): { outbox: ReportOutbox | null; items: readonly OutboxItem[] } {
  const [state, setState] = useState<{ outbox: ReportOutbox | null; items: readonly OutboxItem[] }>({ outbox: null, items: [] });
  useEffect(() => {
    if (owner === null) return;
    const outbox = new ReportOutbox({
      storage: localOutboxStorage(owner),
      send: (body, key, signal) => trpcClient.events.report.mutate({ ...body, idempotencyKey: key }, { signal }),
      newKey: newReportKey,
    });
    setState({ outbox, items: outbox.list() });
    const unsubscribe = outbox.subscribe((items) => setState({ outbox, items }));
    const online = (): void => outbox.retryNow();
    window.addEventListener('online', online);
    // Reports left pending by an earlier visit go out again, with their keys.
    outbox.flush();
    return () => {
      window.removeEventListener('online', online);
      unsubscribe();
      outbox.dispose();
      setState({ outbox: null, items: [] });
    };
  }, [owner]);
  return state;
}
