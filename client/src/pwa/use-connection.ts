// Whether the server is reachable (connection-monitor.ts), and while it is not, since when the answers
// on screen are: the time the server gave the oldest of them (kept-answers.ts), else the last time it
// was reached.

import { useEffect, useState, useSyncExternalStore } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { connectionSnapshot, subscribeConnection, type Connection } from './connection-monitor';
import { keptAnswersTime } from './kept-answers';

export type { Connection, ConnectionStatus } from './connection-monitor';

/** Answers arriving from the cache come in bursts (a page's queries): the time is read after a pause. */
const SETTLE_MS = 300;

export function useConnection(): Connection {
  return useSyncExternalStore(subscribeConnection, connectionSnapshot);
}

/** ms since epoch the data on screen dates from while offline; null if unknown or online. */
export function useOfflineDataTime(connection: Connection): number | null {
  const queryClient = useQueryClient();
  const [keptAt, setKeptAt] = useState<number | null>(null);
  const offline = connection.status === 'offline';
  useEffect(() => {
    if (!offline) {
      setKeptAt(null);
      return;
    }
    const queryCache = queryClient.getQueryCache();
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const read = (): void => {
      timer = null;
      void keptAnswersTime(queryCache).then((ms) => {
        if (!cancelled) setKeptAt(ms);
      });
    };
    const later = (): void => {
      if (timer === null) timer = setTimeout(read, SETTLE_MS);
    };
    read();
    const unsubscribe = queryCache.subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'success') later();
      else if (event.type === 'observerAdded' || event.type === 'observerRemoved') later();
    });
    return () => {
      cancelled = true;
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [offline, queryClient]);
  return offline ? (keptAt ?? connection.lastServerAt) : null;
}
