/// <reference types="vite-plugin-pwa/client" />
// Installs the service worker (vite.config.ts: Workbox, generateSW, updates itself) once the first view
// has loaded, so its precaching never competes with what the page needs first. Queries run even when the
// browser reports no network: the worker answers them from its cache. When a worker takes control of a
// page for the first time, the answers already on screen are fetched again through it, so the places
// viewed before it was installed open offline too. <html data-offline-ready> marks that moment.

import type { QueryClient } from '@tanstack/react-query';
import { registerSW } from 'virtual:pwa-register';
import { keepOfflineDataToItsOwner } from './offline-data';

/** No query running for this long after the page's load event: the first view is complete. */
const QUIET_MS = 2_000;
/** Registered at the latest this long after load, whatever is still loading (a wall's refreshes). */
const MAX_WAIT_MS = 15_000;
/** A page open for days (a wall) looks for a new version this often. */
const UPDATE_CHECK_MS = 3_600_000;

/** Resolves after the load event once no query has been fetching for QUIET_MS (MAX_WAIT_MS at most). */
function afterFirstView(queryClient: QueryClient): Promise<void> {
  return new Promise((resolve) => {
    const begin = (): void => {
      let quiet: ReturnType<typeof setTimeout> | null = null;
      let unsubscribe = (): void => {};
      const done = (): void => {
        unsubscribe();
        if (quiet !== null) clearTimeout(quiet);
        clearTimeout(deadline);
        resolve();
      };
      const deadline = setTimeout(done, MAX_WAIT_MS);
      const watch = (): void => {
        if (quiet !== null) clearTimeout(quiet);
        quiet = queryClient.isFetching() === 0 ? setTimeout(done, QUIET_MS) : null;
      };
      unsubscribe = queryClient.getQueryCache().subscribe(watch);
      watch();
    };
    if (document.readyState === 'complete') begin();
    else window.addEventListener('load', begin, { once: true });
  });
}

function markOfflineReady(): void {
  document.documentElement.dataset.offlineReady = 'true';
}

/**
 * Before the first render: queries run even when the browser reports no network (the worker answers
 * them from its cache), and the kept answers are deleted when someone else calls (offline-data.ts).
 */
export function prepareOfflineQueries(queryClient: QueryClient): void {
  const defaults = queryClient.getDefaultOptions();
  queryClient.setDefaultOptions({ ...defaults, queries: { ...defaults.queries, networkMode: 'offlineFirst' } });
  keepOfflineDataToItsOwner(queryClient);
}

/** Registers the service worker once the first view has loaded (production builds only). */
export function registerServiceWorker(queryClient: QueryClient): void {
  if (!('serviceWorker' in navigator) || !import.meta.env.PROD) return;
  const container = navigator.serviceWorker;
  if (container.controller) {
    markOfflineReady();
  } else {
    container.addEventListener(
      'controllerchange',
      () => {
        void queryClient.refetchQueries({ predicate: (query) => query.state.status === 'success' }).finally(markOfflineReady);
      },
      { once: true },
    );
  }
  void afterFirstView(queryClient).then(() =>
    registerSW({
      immediate: true,
      onRegisteredSW: (_url, registration) => {
        if (registration) setInterval(() => void registration.update().catch(() => {}), UPDATE_CHECK_MS);
      },
    }),
  );
}
