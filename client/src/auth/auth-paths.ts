// Where the login page sends a user: the `next` path it was given (a path of this site only, so a crafted
// link cannot send a fresh login elsewhere), else the home of the role; and the login link of a page.

import type { Lang } from '../i18n';

export const LOGIN_PATH = '/login';

/** The routes a wall-display (screen-only) caller may open. */
export const WALL_PATHS: readonly string[] = ['/screen'];

/** A base no real page has: a `next` that resolves against it to another origin is not a path of this site. */
const PROBE_ORIGIN = 'http://atlas.invalid';

/**
 * `raw` as a path of this site ('/plan?region=2101'), normalised, or null when it is anything else: a
 * URL with a scheme, '//host' or '/\host' (both read by browsers as another host), a path with control
 * characters or backslashes, or a page that is not the application's (the login page itself, the API, a
 * wall-display link).
 */
export function safeNextPath(raw: string | null | undefined): string | null {
  if (!raw || raw.length > 2_000) return null;
  if (!raw.startsWith('/') || raw.startsWith('//')) return null;
  // Browsers read '\' as '/' in a URL's path ('/\evil.example' is '//evil.example'); control characters
  // are stripped before parsing ('/\t/evil.example').
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || code === 0x5c) return null;
  }
  let url: URL;
  try {
    url = new URL(raw, PROBE_ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== PROBE_ORIGIN) return null;
  const path = url.pathname;
  if (path === LOGIN_PATH || /^\/(?:login|trpc|kiosk)\//.test(path)) return null;
  return `${path}${url.search}${url.hash}`;
}

/** The page a role starts on: planners plan, everyone else (and every wall display) watches the wall. */
export function homePathOf(me: { role: string }): string {
  return me.role === 'planner' ? '/plan' : '/screen';
}

/** `path` with ?lang=en added when the UI is in English and the path does not name a language itself. */
export function withLang(path: string, lang: Lang): string {
  if (lang !== 'en') return path;
  const url = new URL(path, PROBE_ORIGIN);
  if (url.searchParams.has('lang')) return path;
  url.searchParams.set('lang', 'en');
  return `${url.pathname}${url.search}${url.hash}`;
}

/** Where to go after logging in: the safe `next`, else the role's home (in the UI's language). */
export function afterLoginPath(next: string | null, me: { role: string }, lang: Lang): string {
  return safeNextPath(next) ?? withLang(homePathOf(me), lang);
}

/**
 * The login page for a page at `location`, with that page as `next` (none from the login page itself),
 * in the page's language.
 */
export function loginPathFor(location: { pathname: string; search: string }, lang: Lang): string {
  if (location.pathname === LOGIN_PATH) return withLang(LOGIN_PATH, lang);
  const next = `${location.pathname}${location.search}`;
  return withLang(`${LOGIN_PATH}?next=${encodeURIComponent(next)}`, lang);
}

/** Whether a screen-only caller may open the route at `pathname`. */
export function isWallPath(pathname: string): boolean {
  return WALL_PATHS.includes(pathname.replace(/\/+$/, '') || '/');
}
