// How old the answers on screen are when they come from the service worker's cache: the Date header of
// each kept tRPC answer (the time the server gave it) matched to the queries the page shows, by
// procedure and input. The client sends one GET per query (trpc.ts: httpLink), so a kept request's URL
// names exactly one query.

import { hashKey, type QueryCache, type QueryKey } from '@tanstack/react-query';
import { TRPC_CACHE_NAME } from './offline-keys';

const TRPC_PREFIX = '/trpc/';

/** Procedures whose answers say nothing about the data (who is calling, whether the server is up). */
const NOT_DATA = /^(auth|meta)\./;

/** The procedure and input of a tRPC GET URL as a comparable key; null for anything else. */
export function requestKeyOfUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://localhost');
  } catch {
    return null;
  }
  if (!parsed.pathname.startsWith(TRPC_PREFIX)) return null;
  const path = decodeURIComponent(parsed.pathname.slice(TRPC_PREFIX.length));
  if (path === '' || path.includes(',')) return null;
  const raw = parsed.searchParams.get('input');
  let input: unknown = null;
  if (raw !== null) {
    try {
      input = JSON.parse(raw);
    } catch {
      return null;
    }
  }
  return hashKey([path, input ?? null]);
}

/**
 * The same key for a query of the tRPC options proxy, whose keys read
 * `[['brief', 'kpis'], { input, type: 'query' }]`; null for any other key.
 */
export function requestKeyOfQuery(queryKey: QueryKey): string | null {
  const [path, options] = queryKey;
  if (!Array.isArray(path) || path.length === 0 || !path.every((part) => typeof part === 'string')) return null;
  if (typeof options !== 'object' || options === null || (options as { type?: unknown }).type !== 'query') return null;
  const input = (options as { input?: unknown }).input;
  return hashKey([path.join('.'), input ?? null]);
}

/** Whether a request key names a data procedure (not auth.* or meta.*). */
export function isDataKey(key: string): boolean {
  const path = (JSON.parse(key) as [string, unknown])[0];
  return !NOT_DATA.test(path);
}

/** The earliest of HTTP Date header values, as ms since epoch; null when none parses. */
export function earliestDate(values: readonly (string | null | undefined)[]): number | null {
  let earliest: number | null = null;
  for (const value of values) {
    const ms = value ? Date.parse(value) : NaN;
    if (Number.isFinite(ms) && (earliest === null || ms < earliest)) earliest = ms;
  }
  return earliest;
}

/**
 * When the oldest of the data answers on screen (active queries holding data) was given by the server,
 * read from the kept copies; null when none of them is kept (or Cache Storage is unavailable).
 */
export async function keptAnswersTime(queryCache: QueryCache): Promise<number | null> {
  if (typeof caches === 'undefined') return null;
  const shown = new Set<string>();
  for (const query of queryCache.findAll({ type: 'active' })) {
    if (query.state.data === undefined) continue;
    const key = requestKeyOfQuery(query.queryKey);
    if (key !== null && isDataKey(key)) shown.add(key);
  }
  if (shown.size === 0) return null;
  try {
    if (!(await caches.has(TRPC_CACHE_NAME))) return null;
    const cache = await caches.open(TRPC_CACHE_NAME);
    const dates: (string | null)[] = [];
    for (const request of await cache.keys()) {
      const key = requestKeyOfUrl(request.url);
      if (key === null || !shown.has(key)) continue;
      const response = await cache.match(request);
      dates.push(response?.headers.get('date') ?? null);
    }
    return earliestDate(dates);
  } catch {
    return null;
  }
}
