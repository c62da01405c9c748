// Link headers for the pages of the modes: the code and styles a mode loads lazily (from Vite's build
// manifest) and the caller's auth.me, named with the page so the browser fetches them beside the shell's
// own scripts instead of one round trip later each. On a slow network (a tablet on 3G, 0.5 s a round
// trip) that is the difference between a briefing shown in two round trips after the page and in four.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { regionScopeOf } from '../domain/access';
import { chinaToday, periodFromParam, resolvePeriod } from '../domain/brief-periods';
import { DESK_PAGE_SIZE, deskViewFrom, queueInputOf } from '../domain/desk-view';

interface ManifestChunk {
  file: string;
  imports?: string[];
  css?: string[];
  isEntry?: boolean;
}

/** Each route's lazily loaded mode, as the client's router (client/src/app.tsx) names it. */
export const MODE_SOURCES: Readonly<Record<string, string>> = {
  '/screen': 'src/modes/screen/screen-mode.tsx',
  '/plan': 'src/modes/plan/plan-mode.tsx',
  '/brief': 'src/modes/brief/brief-mode.tsx',
  '/desk': 'src/modes/desk/desk-mode.tsx',
  '/report': 'src/modes/report/report-mode.tsx',
  '/desk/boundaries': 'src/modes/desk/boundary-register-mode.tsx',
  '/plan/data': 'src/modes/plan/data/data-mode.tsx',
  '/plan/grids': 'src/modes/plan/grids/grids-mode.tsx',
  '/login': 'src/modes/login/login-mode.tsx',
};

/** The modes' pages that ask auth.me first (all but the login page). */
const AUTH_ME = '</trpc/auth.me>; rel=preload; as=fetch; crossorigin';

/**
 * The Link header value of each mode's route, or an empty map when the build has no manifest (a build
 * from before it was switched on, or the dev server).
 */
export function modePreloadLinks(clientDir: string): Map<string, string> {
  const manifestPath = join(clientDir, '.vite', 'manifest.json');
  const links = new Map<string, string>();
  if (!existsSync(manifestPath)) return links;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, ManifestChunk>;
  const entry = Object.values(manifest).find((chunk) => chunk.isEntry);
  // What the page itself loads (its entry and the entry's static imports) needs no hint.
  const loadedByPage = new Set<string>();
  const markLoaded = (key: string): void => {
    if (loadedByPage.has(key)) return;
    loadedByPage.add(key);
    for (const imported of manifest[key]?.imports ?? []) markLoaded(imported);
  };
  const entryKey = Object.keys(manifest).find((key) => manifest[key] === entry);
  if (entryKey) markLoaded(entryKey);
  for (const [route, source] of Object.entries(MODE_SOURCES)) {
    if (!manifest[source]) continue;
    const scripts: string[] = [];
    const styles: string[] = [];
    const seen = new Set<string>();
    const visit = (key: string): void => {
      if (seen.has(key) || loadedByPage.has(key)) return;
      seen.add(key);
      const chunk = manifest[key];
      if (!chunk) return;
      scripts.push(chunk.file);
      for (const css of chunk.css ?? []) styles.push(css);
      for (const imported of chunk.imports ?? []) visit(imported);
    };
    visit(source);
    const values = [
      ...styles.map((file) => `</${file}>; rel=preload; as=style`),
      ...scripts.map((file) => `</${file}>; rel=modulepreload`),
      ...(route === '/login' ? [] : [AUTH_ME]),
    ];
    links.set(route, values.join(', '));
  }
  return links;
}

/** The region a page at `url` shows a caller of `jurisdiction`: ?region= held inside their area, as the client holds it (use-region.ts). */
function pageRegionOf(url: URL, jurisdiction: string): string {
  const scope = regionScopeOf(jurisdiction);
  const raw = url.searchParams.get('region');
  return raw !== null && /^\d{2,12}$/.test(raw) && raw.startsWith(scope) ? raw : scope;
}

/** A Link header entry that has the browser fetch a tRPC query's answer with the page. */
function fetchLink(path: string, input: unknown): string {
  return `<${trpcQueryUrl(path, input)}>; rel=preload; as=fetch; crossorigin`;
}

/**
 * The desk's first answers — the unit's tree, the first queue page of the view the URL says, and the open
 * case of ?case= — as the page at `url` will ask them for a caller of `jurisdiction`, to be named in its
 * Link header (the inputs built by the functions the page uses, so the URLs match to the byte).
 */
export function deskAnswerLinks(url: URL, jurisdiction: string): string[] {
  const region = pageRegionOf(url, jurisdiction);
  const view = deskViewFrom(url.searchParams);
  return [
    fetchLink('geo.adminTree', { code: region }),
    fetchLink('desk.queue', queueInputOf(region, view, DESK_PAGE_SIZE)),
    ...(view.caseId !== null ? [fetchLink('events.get', { id: view.caseId })] : []),
  ];
}

/** The tRPC GET URL the client's httpLink sends for a query (input as JSON, URI-encoded). */
export function trpcQueryUrl(path: string, input: unknown): string {
  return `/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`;
}

/**
 * The briefing's first answers — the place, the KPI cards and the narrative — as the page at `url` will
 * ask them for a caller of `jurisdiction` today (the region of ?region= held inside the jurisdiction, as
 * the client holds it; ?period= resolved on today's China-time date; ?lang=), to be named in the page's
 * Link header: the browser fetches them with the scripts, one round trip instead of two after them.
 * The inputs are written with their keys in the client's order (client/src/hooks/use-brief.ts).
 */
export function briefAnswerLinks(url: URL, jurisdiction: string, nowMs: number): string[] {
  const region = pageRegionOf(url, jurisdiction);
  const today = chinaToday(nowMs);
  const range = resolvePeriod(periodFromParam(url.searchParams.get('period'), today).spec, today);
  const lang = url.searchParams.get('lang') === 'en' ? 'en' : 'zh';
  return [
    fetchLink('geo.adminTree', { code: region }),
    fetchLink('brief.kpis', { within: region, from: range.from, to: range.to }),
    fetchLink('brief.narrative', { within: region, from: range.from, to: range.to, lang }),
  ];
}
