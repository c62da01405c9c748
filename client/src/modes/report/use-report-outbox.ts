// The outbox of the account on the page: loaded from storage (resuming any report left unsent), sent
// through events.report with each report's idempotency key, retried at once when the browser comes back
// online, kept in step with other tabs of the browser, and stopped when the page closes, the account
// changes or another tab logs out.

import { useEffect, useState } from 'react';
import { REPORT_OUTBOX_KEY } from '../../pwa/offline-keys';
import { trpcClient } from '../../trpc';
import { ReportOutbox, type OutboxItem } from './report-outbox';
import { localOutboxStorage, parseStoredOutbox } from './report-outbox-storage';

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
    // Another tab of this browser: its reports join this list; its logout (the list deleted) ends this one.
    const stored = (event: StorageEvent): void => {
      if (event.key !== REPORT_OUTBOX_KEY && event.key !== null) return;
      if (event.newValue === null) {
        outbox.dispose();
        setState({ outbox: null, items: [] });
        return;
      }
      const items = parseStoredOutbox(event.newValue, owner);
      if (items) outbox.adopt(items);
    };
    window.addEventListener('online', online);
    window.addEventListener('storage', stored);
    // Reports left pending by an earlier visit go out again, with their keys.
    outbox.flush();
    return () => {
      window.removeEventListener('online', online);
      window.removeEventListener('storage', stored);
      unsubscribe();
      outbox.dispose();
      setState({ outbox: null, items: [] });
    };
  }, [owner]);
  return state;
}
