// Where the outbox of case reports is kept between visits: localStorage, one list for the user who filled
// it. Another user finds it empty (and deletes it); logout deletes it (pwa/offline-data.ts).

import { REPORT_OUTBOX_KEY } from '../../pwa/offline-keys';
import { reportOutboxClearCount } from '../../pwa/offline-data';
import type { OutboxItem, OutboxStorage } from './report-outbox';

interface Stored {
  owner: string;
  items: readonly OutboxItem[];
}

function isItem(value: unknown): value is OutboxItem {
  if (typeof value !== 'object' || value === null) return false;
  const item = value as Partial<OutboxItem>;
  return typeof item.key === 'string' && (item.state === 'pending' || item.state === 'sent' || item.state === 'failed') && typeof item.createdAt === 'number';
}

/** The reports of `owner` in a stored outbox (localStorage's text), or null when it is another's or unreadable. */
export function parseStoredOutbox(raw: string, owner: string): OutboxItem[] | null {
  try {
    const stored = JSON.parse(raw) as Partial<Stored>;
    return stored.owner === owner && Array.isArray(stored.items) ? stored.items.filter(isItem) : null;
  } catch {
    return null;
  }
}

/**
 * The outbox of `owner` in `store` (window.localStorage). Storage that refuses (private mode, quota) keeps
 * the reports for this page only; a list written after a logout on this page is not written.
 */
export function localOutboxStorage(owner: string, store: Storage | null = typeof localStorage === 'undefined' ? null : localStorage): OutboxStorage {
  const clears = reportOutboxClearCount();
  return {
    load() {
      if (!store) return [];
      try {
        const raw = store.getItem(REPORT_OUTBOX_KEY);
        if (raw === null) return [];
        const items = parseStoredOutbox(raw, owner);
        if (items === null) store.removeItem(REPORT_OUTBOX_KEY);
        return items ?? [];
      } catch {
        return [];
      }
    },
    save(items) {
      if (!store || reportOutboxClearCount() !== clears) return;
      try {
        store.setItem(REPORT_OUTBOX_KEY, JSON.stringify({ owner, items } satisfies Stored));
      } catch {
        // Quota or private mode: the reports stay in this page's memory.
      }
    },
  };
}
