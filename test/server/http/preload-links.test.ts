// Link headers of the modes' pages from a Vite build manifest: each mode's lazily loaded code and styles
// (what the page itself loads excluded), auth.me for the pages that ask it, nothing without a manifest.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODE_SOURCES, briefAnswerLinks, deskAnswerLinks, modePreloadLinks, trpcQueryUrl } from '../../../server/http/preload-links';
import { chinaDayStartMs } from '../../../server/domain/china-time';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-links-'));
  mkdirSync(join(dir, '.vite'));
  const manifest = {
    'index.html': { file: 'assets/index-1.js', isEntry: true, imports: ['_shell-1.js'], css: ['assets/index-1.css'], dynamicImports: ['src/modes/brief/brief-mode.tsx'] },
    '_shell-1.js': { file: 'assets/shell-1.js' },
    '_brief-text-1.js': { file: 'assets/brief-text-1.js', imports: ['_shell-1.js', 'index.html'] },
    '_map-1.js': { file: 'assets/map-1.js' },
    'src/modes/brief/brief-mode.tsx': {
      file: 'assets/brief-mode-1.js',
      isDynamicEntry: true,
      imports: ['_shell-1.js', '_brief-text-1.js', 'index.html'],
      dynamicImports: ['src/modes/brief/brief-map.tsx'],
      css: ['assets/brief-mode-1.css'],
    },
    'src/modes/brief/brief-map.tsx': { file: 'assets/brief-map-1.js', isDynamicEntry: true, imports: ['_map-1.js'] },
    'src/modes/login/login-mode.tsx': { file: 'assets/login-mode-1.js', isDynamicEntry: true, imports: ['_shell-1.js'] },
  };
  writeFileSync(join(dir, '.vite', 'manifest.json'), JSON.stringify(manifest));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('modePreloadLinks', () => {
  it('names a mode’s own code and styles and auth.me, not what the page loads nor what the mode loads later', () => {
    const links = modePreloadLinks(dir);
    expect(links.get('/brief')).toBe(
      '</assets/brief-mode-1.css>; rel=preload; as=style, </assets/brief-mode-1.js>; rel=modulepreload, </assets/brief-text-1.js>; rel=modulepreload, </trpc/auth.me>; rel=preload; as=fetch; crossorigin',
    );
    expect(links.get('/brief')).not.toContain('brief-map');
    expect(links.get('/brief')).not.toContain('shell');
  });

  it('gives the login page its code without auth.me, and no route whose mode the build lacks', () => {
    const links = modePreloadLinks(dir);
    expect(links.get('/login')).toBe('</assets/login-mode-1.js>; rel=modulepreload');
    expect(links.has('/screen')).toBe(false);
  });

  it('knows the mode of every route the client’s router has, by a source file that exists', () => {
    const app = readFileSync(join('client', 'src', 'app.tsx'), 'utf8');
    const routes = [...app.matchAll(/<Route path="([^"*]+)"/g)].map((match) => match[1]!);
    const loginRoute = /path=\{LOGIN_PATH\}/.test(app) ? ['/login'] : [];
    expect(Object.keys(MODE_SOURCES).sort()).toEqual([...routes, ...loginRoute].sort());
    for (const source of Object.values(MODE_SOURCES)) expect(existsSync(join('client', source)), source).toBe(true);
  });

  it('is empty without a manifest', () => {
    expect(modePreloadLinks(join(dir, 'nowhere')).size).toBe(0);
  });
});

describe('briefAnswerLinks', () => {
  /** 2026-12-07 10:00 China time. */
  const now = chinaDayStartMs({ year: 2026, month: 12, day: 7 }) + 10 * 3_600_000;
  const decoded = (links: string[]) => links.map((link) => {
    const url = new URL(/^<([^>]+)>/.exec(link)![1]!, 'http://localhost');
    return [url.pathname, JSON.parse(url.searchParams.get('input')!)];
  });

  it('names the place, KPI cards and narrative the page will ask, with the client’s inputs', () => {
    const links = briefAnswerLinks(new URL('http://localhost/brief?region=210103&period=last-month&lang=en'), '2101', now);
    expect(decoded(links)).toEqual([
      ['/trpc/geo.adminTree', { code: '210103' }],
      ['/trpc/brief.kpis', { within: '210103', from: '2026-11-01', to: '2026-11-30' }],
      ['/trpc/brief.narrative', { within: '210103', from: '2026-11-01', to: '2026-11-30', lang: 'en' }],
    ]);
    for (const link of links) expect(link).toMatch(/; rel=preload; as=fetch; crossorigin$/);
    expect(links[1]).toContain(trpcQueryUrl('brief.kpis', { within: '210103', from: '2026-11-01', to: '2026-11-30' }));
  });

  it('holds the region inside the jurisdiction and defaults to this month, in Chinese', () => {
    expect(decoded(briefAnswerLinks(new URL('http://localhost/brief?region=2102'), '2101', now))).toEqual([
      ['/trpc/geo.adminTree', { code: '2101' }],
      ['/trpc/brief.kpis', { within: '2101', from: '2026-12-01', to: '2026-12-07' }],
      ['/trpc/brief.narrative', { within: '2101', from: '2026-12-01', to: '2026-12-07', lang: 'zh' }],
    ]);
    // A grid worker's view is their community.
    expect(decoded(briefAnswerLinks(new URL('http://localhost/brief?period=2026-10-01..2026-10-31'), '210103005003001', now))[1]).toEqual([
      '/trpc/brief.kpis',
      { within: '210103005003', from: '2026-10-01', to: '2026-10-31' },
    ]);
  });
});

describe('deskAnswerLinks', () => {
  const decoded = (links: string[]) => links.map((link) => {
    const url = new URL(/^<([^>]+)>/.exec(link)![1]!, 'http://localhost');
    return [url.pathname, url.searchParams.get('input')];
  });

  it('names the unit’s tree, the first queue page of the URL’s view and the open case, as the page asks them', () => {
    const url = new URL('http://localhost/desk?region=210103&column=overdue&type=land,bogus,neighbour&grid=210103005003001&line=L1&case=42');
    expect(decoded(deskAnswerLinks(url, '2101'))).toEqual([
      ['/trpc/geo.adminTree', JSON.stringify({ code: '210103' })],
      // The client's input to the byte: its keys in queueInputOf's order, unknown values dropped.
      ['/trpc/desk.queue', JSON.stringify({ within: '210103', limit: 50, column: 'overdue', types: ['land', 'neighbour'], grid: '210103005003001', line: 'L1' })],
      ['/trpc/events.get', JSON.stringify({ id: 42 })],
    ]);
  });

  it('holds the region inside the jurisdiction (a grid worker’s: the community) and names no case when none is open', () => {
    expect(decoded(deskAnswerLinks(new URL('http://localhost/desk?region=2102'), '2101'))).toEqual([
      ['/trpc/geo.adminTree', JSON.stringify({ code: '2101' })],
      ['/trpc/desk.queue', JSON.stringify({ within: '2101', limit: 50 })],
    ]);
    expect(decoded(deskAnswerLinks(new URL('http://localhost/desk?grid=210103005003001'), '210103005003001'))[1]).toEqual([
      '/trpc/desk.queue',
      JSON.stringify({ within: '210103005003', limit: 50, grid: '210103005003001' }),
    ]);
  });
});
