// Where the offline copy lives: the service worker's cache of tRPC answers (named in vite.config.ts's
// runtime caching) and the browser-storage keys that say when and for whom it was filled.

/** The Cache Storage cache holding the tRPC answers the service worker kept (network first). */
export const TRPC_CACHE_NAME = 'atlas-trpc';

/**
 * Cache Storage: when the kept answers were last deleted (ms since epoch, the body of CLEARED_AT_URL).
 * The worker keeps no answer to a request that started before then: one still on its way at logout
 * would otherwise bring the previous caller's answer back (vite.config.ts's worker plugin reads it;
 * its code is serialised into the worker, so it spells these two names out itself).
 */
export const OFFLINE_META_CACHE_NAME = 'atlas-offline-meta';
export const CLEARED_AT_URL = '/offline-cleared-at';

/** localStorage: ms since epoch of the last answer from the server (meta.health reached). */
export const LAST_SERVER_AT_KEY = 'atlas:last-server-at';

/** localStorage: who the kept answers belong to (auth.me's kind, user, role and jurisdiction). */
export const OFFLINE_OWNER_KEY = 'atlas:offline-owner';

/**
 * localStorage: the case reports of /report not yet answered by the server, and the ids of those sent,
 * with the account they belong to. They hold parties' names and phones: deleted at logout.
 */
export const REPORT_OUTBOX_KEY = 'atlas:report-outbox';
