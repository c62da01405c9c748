// Browser test of accounts on a server that answers nobody anonymously (ATLAS_ANONYMOUS=none): the wall
// sends a stranger to /login; a wrong password is told; a street officer of 沈河区滨河街道 lands on a wall
// of that street (its communities drawn in colour, never one 403 on the way) and logs out from a desk
// page; a one-time password must be replaced first; a wall-display link opens its county's wall and
// nothing else; and no page breaks the server's Content-Security-Policy.

import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Accounts } from '../../server/auth/accounts';
import type { RunningServer } from '../../server/index';
import { REPO_ROOT, paths } from '../../server/paths';
import { SqliteAccountStore } from '../../server/store/sqlite-account-store';
import { MUTED_FILL } from '../../client/src/layers/color-scales';
import { blend, colorDistance, decodeScreenshot, launchBrowser, newTrackedPage, projectToPage, startTestServer, waitForMapIdle, type TrackedPage } from '../support/browser';

const ACCOUNTS_PATH = join(REPO_ROOT, 'test', 'artifacts', 'accounts-e2e.sqlite');
const VIEWPORT = { width: 1920, height: 1080 };
const DARK_BACKGROUND = [7, 16, 31]; // #07101f
/** 沈河区滨河街道 in the test database. */
const BINHE = '210103005';
const SHENHE = '210103';
const OFFICER = { username: 'binhe-officer', password: 'binhe-river-2026' };
const PLANNER = 'shenhe-planner';

let server: RunningServer;
let browser: Browser;
let kioskToken: string;
let oneTimePassword: string;

/** A tracked page that also records Content-Security-Policy violations and every 403 it receives. */
interface Visit extends TrackedPage {
  forbidden: string[];
  cspViolations(): Promise<string[]>;
}

async function openVisit(): Promise<Visit> {
  const tracked = await newTrackedPage(browser, VIEWPORT);
  const { page } = tracked;
  page.setDefaultTimeout(60_000);
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI} (${location.pathname})`));
  });
  const forbidden: string[] = [];
  page.on('response', (response) => {
    if (response.status() === 403) forbidden.push(decodeURIComponent(response.url()));
  });
  return {
    ...tracked,
    forbidden,
    // Chromium also reports each violation on the console ("Refused to …").
    cspViolations: async () => [
      ...(await page.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? [])),
      ...tracked.errors.filter((error) => /Content Security Policy/i.test(error)),
    ],
  };
}

/** Hides the map's label layer (so text does not cover sampled points) and waits for the redraw. */
async function hideLabels(page: Page): Promise<void> {
  await page.evaluate(() => {
    const container = document.querySelector('.atlas-map') as HTMLDivElement & {
      maplibreMap: { setLayoutProperty: (layer: string, name: string, value: string) => void; once: (e: string, f: () => void) => void; triggerRepaint: () => void };
    };
    return new Promise<void>((resolve) => {
      container.maplibreMap.once('idle', () => resolve());
      container.maplibreMap.setLayoutProperty('atlas-labels', 'visibility', 'none');
      container.maplibreMap.triggerRepaint();
    });
  });
}

/** Label points of a unit's children, read through the page's own session (the caller's view of them). */
async function childLabelPoints(page: Page, level: 'street' | 'community', parent: string): Promise<{ code: string; lngLat: [number, number] }[]> {
  return page.evaluate(
    async ({ level, parent }) => {
      const input = encodeURIComponent(JSON.stringify({ level, parent }));
      const answer = (await (await fetch(`/trpc/geo.adminUnits?input=${input}`)).json()) as {
        result: { data: { features: { properties: { code: string; labelLngLat: [number, number] } }[] } };
      };
      return answer.result.data.features.map((f) => ({ code: f.properties.code, lngLat: f.properties.labelLngLat }));
    },
    { level, parent },
  );
}

/**
 * For each point: is the map drawn there in a colour of its own (neither the dark background nor the
 * muted fill of units out of focus)?
 */
async function paintedShare(page: Page, points: { lngLat: [number, number] }[]): Promise<{ share: number; samples: [number, number, number][] }> {
  await hideLabels(page);
  const shot = decodeScreenshot(await page.screenshot());
  const box = (await page.locator('.atlas-map').boundingBox())!;
  const muted = blend(MUTED_FILL.dark, DARK_BACKGROUND);
  const samples: [number, number, number][] = [];
  let painted = 0;
  for (const { lngLat } of points) {
    const { x, y } = await projectToPage(page, lngLat);
    if (x < box.x || x > box.x + box.width || y < box.y || y > box.y + box.height) continue;
    const pixel = shot.pixel(x, y);
    samples.push(pixel);
    if (colorDistance(pixel, DARK_BACKGROUND) > 12 && colorDistance(pixel, muted) > 12) painted += 1;
  }
  return { share: points.length ? painted / points.length : 0, samples };
}

beforeAll(async () => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${ACCOUNTS_PATH}${suffix}`, { force: true });
  const accounts = new Accounts(new SqliteAccountStore(ACCOUNTS_PATH), { anonymous: 'none', deploymentCode: '21' });
  await accounts.addUser('test', { ...OFFICER, role: 'street-officer', jurisdiction: BINHE });
  // No password given: a generated one-time password, to change at the first login.
  oneTimePassword = (await accounts.addUser('test', { username: PLANNER, role: 'planner', jurisdiction: SHENHE })).password;
  kioskToken = accounts.addToken('test', { role: 'kiosk', jurisdiction: SHENHE, screenOnly: true }).token;
  accounts.store.close();
  server = await startTestServer({ accountsPath: ACCOUNTS_PATH, anonymous: 'none' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('accounts in the browser', { timeout: 400_000 }, () => {
  it('serves a client whose page has no inline script, under a CSP without unsafe-inline scripts', async () => {
    const html = readFileSync(join(paths.clientDir, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/assets\//);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+=/i);
    const response = await fetch(`${server.url}/login`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self';");
  });

  it('sends a stranger from the wall to /login, tells a wrong password, and opens the street officer\'s own wall', async () => {
    const visit = await openVisit();
    const { page } = visit;

    // Nobody is logged in: the wall's first request (auth.me) is answered 401, so the login page opens.
    await page.goto(`${server.url}/screen?tour=0`);
    await page.waitForURL((url) => url.pathname === '/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/screen?tour=0');
    expect(await page.locator('h1').innerText()).toBe('登录');

    // A wrong password: said plainly, and the form stays.
    await page.getByLabel('用户名').fill(OFFICER.username);
    await page.getByLabel('密码').fill('not-the-password');
    await page.getByLabel('密码').press('Enter');
    await expect.poll(() => page.locator('.login-error').textContent(), { timeout: 30_000 }).toContain('用户名或密码错误');
    expect(page.url()).toContain('/login');

    // The right one: back to the wall, which shows the officer's street.
    await page.getByLabel('密码').fill(OFFICER.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL((url) => url.pathname === '/screen');
    expect(new URL(page.url()).search).toBe('?tour=0');
    await waitForMapIdle(page, 200_000);
    expect(await page.locator('.screen-wall').getAttribute('data-region')).toBe(BINHE);
    expect(await page.locator('.screen-title h1').innerText()).toContain('滨河街道');
    expect(await page.locator('.screen-wall').locator('.account-badge, form, a[href^="/login"]').count()).toBe(0);
    // The street's figures, as the API gives them to this officer.
    await expect.poll(() => page.locator('[data-kpi="grids"] .stat-value').innerText(), { timeout: 60_000 }).toMatch(/^[\d,]+\s?个$/);

    // The map: the street's communities drawn in their class colours, not the background.
    const communities = await childLabelPoints(page, 'community', BINHE);
    expect(communities.length).toBeGreaterThan(5);
    expect(communities.every((c) => c.code.startsWith(BINHE))).toBe(true);
    const { share, samples } = await paintedShare(page, communities);
    expect(share, JSON.stringify(samples.slice(0, 5))).toBeGreaterThanOrEqual(0.8);

    // A wider ?region= is held to the jurisdiction; the breadcrumbs offer nothing above it.
    await page.goto(`${server.url}/plan?region=21`);
    await page.waitForURL((url) => url.pathname === '/plan' && !url.searchParams.has('region'));
    await waitForMapIdle(page, 200_000);
    expect(await page.locator('.breadcrumbs [aria-current="page"]').innerText()).toBe('滨河街道');
    expect(await page.locator('.breadcrumbs button').count()).toBe(0);
    const badge = await page.locator('.account-badge').innerText();
    expect(badge).toContain(OFFICER.username);
    expect(badge).toContain('乡镇（街道）综治中心工作人员');
    expect(badge).toContain('滨河街道');

    // Not one refusal in the whole session, and nothing the CSP had to block.
    expect(visit.forbidden).toEqual([]);
    expect(await visit.cspViolations()).toEqual([]);

    // Logging out from the desk page ends the session and returns to the login form.
    await page.locator('.account-badge').getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    await page.getByLabel('用户名').waitFor();
    const me = await page.evaluate(async () => (await fetch('/trpc/auth.me')).status);
    expect(me).toBe(401);
    expect(await visit.cspViolations()).toEqual([]);
    await page.close();
  });

  it('takes a user with a one-time password through choosing a new one, wherever they were going', async () => {
    const visit = await openVisit();
    const { page } = visit;
    await page.goto(`${server.url}/login?lang=en`);
    await page.getByLabel('Username').fill(PLANNER);
    await page.getByLabel('Password').fill(oneTimePassword);
    await page.getByLabel('Password').press('Enter');

    // Logged in, but every page leads back here until the password is changed.
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    expect(await page.getByLabel('Current (one-time) password').inputValue()).toBe(oneTimePassword);
    await page.goto(`${server.url}/plan?region=210103&lang=en`);
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === '/plan?region=210103&lang=en');
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();

    // Checked here first: too short, then two different passwords.
    await page.getByLabel('Current (one-time) password').fill(oneTimePassword);
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('New password again').fill('short');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    expect(await page.locator('.login-error').innerText()).toContain('at least 10 characters');
    await page.getByLabel('New password', { exact: true }).fill('planner-new-secret');
    await page.getByLabel('New password again').fill('planner-new-secreT');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    expect(await page.locator('.login-error').innerText()).toBe('The two new passwords differ.');

    await page.getByLabel('New password again').fill('planner-new-secret');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await page.waitForURL((url) => url.pathname === '/plan');
    expect(new URL(page.url()).searchParams.get('region')).toBe('210103');
    await expect.poll(() => page.locator('.account-badge').textContent(), { timeout: 60_000 }).toContain(PLANNER);
    expect((await page.locator('.account-badge').innerText())).toContain('Planner');
    expect(server.accounts.store.userByName(PLANNER)?.mustChangePassword).toBe(false);
    expect(visit.forbidden).toEqual([]);
    expect(await visit.cspViolations()).toEqual([]);
    await page.close();
  });

  it('opens a wall-display link on its county\'s wall, and shows the wall-only notice on a desk page', async () => {
    const visit = await openVisit();
    const { page } = visit;
    await page.goto(`${server.url}/kiosk/${kioskToken}`);
    await page.waitForURL((url) => url.pathname === '/screen');
    await waitForMapIdle(page, 200_000);
    expect(await page.locator('.screen-wall').getAttribute('data-region')).toBe(SHENHE);
    expect(await page.locator('.screen-title h1').innerText()).toContain('沈河区');
    const streets = await childLabelPoints(page, 'street', SHENHE);
    expect(streets.length).toBeGreaterThan(5);
    expect((await paintedShare(page, streets)).share).toBeGreaterThanOrEqual(0.8);
    expect(visit.forbidden).toEqual([]);

    for (const path of ['/plan', '/brief?lang=en']) {
      await page.goto(`${server.url}${path}`);
      await page.locator('.page-message').waitFor();
      const text = await page.locator('.page-message').innerText();
      expect(text).toContain(path.endsWith('lang=en') ? 'This is a wall display' : '此设备是指挥大屏终端');
      expect(text).toContain('沈河区');
      expect(await page.locator('.page-message a[href^="/screen"]').count()).toBe(1);
    }
    // The notice asks for nothing the token may not read.
    expect(visit.forbidden).toEqual([]);
    expect(await visit.cspViolations()).toEqual([]);
    await page.close();
  });
});
