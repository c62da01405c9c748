// Whether the server is reachable: meta.health asked at start, every 30 s (every 5 s while it is not),
// when the browser goes online or offline and when the page is shown again; `navigator.onLine === false`
// is offline at once. The time of the last answer is kept in localStorage, so a page opened offline can
// say how old the answers it shows are. One monitor for the page, running while anything listens.

import { queryClient, trpc } from '../trpc';
import { LAST_SERVER_AT_KEY } from './offline-keys';

export type ConnectionStatus = 'checking' | 'online' | 'offline';

export interface Connection {
  status: ConnectionStatus;
  /** ms since epoch of the last answer from the server (this page or an earlier one), null if never. */
  lastServerAt: number | null;
}

const ONLINE_RECHECK_MS = 30_000;
const OFFLINE_RECHECK_MS = 5_000;
/** A health check unanswered this long counts as unreachable (meta.health answers at once when up). */
const CHECK_TIMEOUT_MS = 5_000;

function readLastServerAt(): number | null {
  try {
    const stored = Number(localStorage.getItem(LAST_SERVER_AT_KEY));
    return Number.isFinite(stored) && stored > 0 ? stored : null;
  } catch {
    return null;
  }
}

function writeLastServerAt(ms: number): void {
  try {
    localStorage.setItem(LAST_SERVER_AT_KEY, String(ms));
  } catch {
    // Storage refused: the time is still known to this page.
  }
}

let state: Connection = { status: 'checking', lastServerAt: null };
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setTimeout> | null = null;
let running: AbortController | null = null;

function publish(next: Connection): void {
  if (next.status === state.status && next.lastServerAt === state.lastServerAt) return;
  const wasOffline = state.status === 'offline';
  state = next;
  for (const listener of listeners) listener();
  // Back from offline: what is on screen came from the cache, so the active queries ask the server again.
  if (wasOffline && next.status === 'online') void queryClient.invalidateQueries({ refetchType: 'active' });
}

function schedule(): void {
  if (timer !== null) clearTimeout(timer);
  timer = setTimeout(() => void check(), state.status === 'offline' ? OFFLINE_RECHECK_MS : ONLINE_RECHECK_MS);
}

/** Asks meta.health now (a check already running is replaced) and publishes the outcome. */
async function check(): Promise<void> {
  running?.abort();
  const controller = new AbortController();
  running = controller;
  if (timer !== null) clearTimeout(timer);
  timer = null;
  let reachable = false;
  if (navigator.onLine !== false) {
    // Through the query cache: the header's demo badge asks the same, so one request serves both.
    const health = trpc.meta.health.queryOptions();
    let timeout: ReturnType<typeof setTimeout> | undefined;
    const unanswered = new Promise<never>((_, reject) => {
      const give = (): void => reject(new Error('meta.health unanswered'));
      timeout = setTimeout(give, CHECK_TIMEOUT_MS);
      controller.signal.addEventListener('abort', give, { once: true });
    });
    try {
      await Promise.race([queryClient.fetchQuery({ ...health, staleTime: 0, retry: false }), unanswered]);
      reachable = true;
    } catch {
      reachable = false;
      if (running === controller) void queryClient.cancelQueries({ queryKey: health.queryKey });
    } finally {
      clearTimeout(timeout);
    }
  }
  if (running !== controller) return;
  running = null;
  if (reachable) {
    const now = Date.now();
    writeLastServerAt(now);
    publish({ status: 'online', lastServerAt: now });
  } else {
    publish({ status: 'offline', lastServerAt: readLastServerAt() });
  }
  if (listeners.size > 0) schedule();
}

const checkNow = (): void => void check();
const onOffline = (): void => {
  running?.abort();
  running = null;
  publish({ status: 'offline', lastServerAt: readLastServerAt() });
  schedule();
};
const onVisible = (): void => {
  if (document.visibilityState === 'visible') checkNow();
};

function start(): void {
  publish({ status: state.status, lastServerAt: readLastServerAt() });
  window.addEventListener('online', checkNow);
  window.addEventListener('offline', onOffline);
  document.addEventListener('visibilitychange', onVisible);
  checkNow();
}

function stop(): void {
  window.removeEventListener('online', checkNow);
  window.removeEventListener('offline', onOffline);
  document.removeEventListener('visibilitychange', onVisible);
  running?.abort();
  running = null;
  if (timer !== null) clearTimeout(timer);
  timer = null;
}

/** For useSyncExternalStore: starts the checks with the first listener and stops them after the last. */
export function subscribeConnection(listener: () => void): () => void {
  listeners.add(listener);
  if (listeners.size === 1) start();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) stop();
  };
}

export function connectionSnapshot(): Connection {
  return state;
}
