// The live dispute stream of a unit (events.live over server-sent events): the latest entries in a
// bounded ring, the connection state, and when data last arrived. The browser's EventSource reconnects
// by itself with Last-Event-ID, so a dropped connection or a restarted server resumes with no gap.

import { useEffect, useRef, useState } from 'react';
import type { LiveLogEntry } from '../api-types';
import { trpcClient } from '../trpc';

/** A live log entry as this browser keeps it: `receivedAt` is when it arrived here, ms since epoch. */
export type LiveEvent = LiveLogEntry & { receivedAt: number };

export type LiveConnection = 'connecting' | 'live' | 'reconnecting';

export interface LiveEventsState {
  /** Newest first, at most `capacity`. */
  events: LiveEvent[];
  connection: LiveConnection;
  /** The last moment the stream was known connected: the data is current as of then. */
  lastDataAt: number | null;
  /** Entries received since mount. */
  received: number;
}

/**
 * Subscribes to `within`'s live log; re-renders at most every `throttleMs` however fast events come.
 */
export function useLiveEvents(within: string, { capacity = 200, throttleMs = 500 } = {}): LiveEventsState {
  const [state, setState] = useState<LiveEventsState>({ events: [], connection: 'connecting', lastDataAt: null, received: 0 });
  const ringRef = useRef<LiveEvent[]>([]);
  const receivedRef = useRef(0);

  useEffect(() => {
    ringRef.current = [];
    receivedRef.current = 0;
    let connection: LiveConnection = 'connecting';
    let lastDataAt: number | null = null;
    let dirty = true;
    const flush = (): void => {
      // While connected the data is current (the server pings a quiet stream); when the link drops,
      // the last moment it was known current stays on display.
      if (connection === 'live') {
        lastDataAt = Date.now();
        dirty = true;
      }
      if (!dirty) return;
      dirty = false;
      setState({ events: ringRef.current.slice(), connection, lastDataAt, received: receivedRef.current });
    };
    const timer = setInterval(flush, throttleMs);
    const subscription = trpcClient.events.live.subscribe(
      { within },
      {
        onStarted: () => {
          connection = 'live';
          lastDataAt = Date.now();
          dirty = true;
          flush();
        },
        onConnectionStateChange: (change) => {
          const next: LiveConnection = change.state === 'pending' ? 'live' : change.state === 'connecting' && change.error ? 'reconnecting' : connection === 'live' && change.state === 'connecting' ? 'reconnecting' : connection;
          if (next !== connection) {
            connection = next;
            dirty = true;
            flush();
          }
        },
        onData: (message) => {
          const now = Date.now();
          const ring = ringRef.current;
          for (const entry of message.data.entries) {
            ring.unshift({ ...entry, receivedAt: now });
            receivedRef.current += 1;
          }
          if (ring.length > capacity) ring.length = capacity;
          if (connection !== 'live') connection = 'live';
          lastDataAt = now;
          dirty = true;
        },
        onError: () => {
          connection = 'reconnecting';
          dirty = true;
          flush();
        },
      },
    );
    return () => {
      clearInterval(timer);
      subscription.unsubscribe();
    };
  }, [within, capacity, throttleMs]);

  return state;
}
