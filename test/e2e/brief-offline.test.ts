// The briefing as an installable, offline web app (issue 15): the server serves the web app manifest
// and a Workbox service worker; a briefing viewed once opens again from the cache with the server
// gone, showing the KPI cards it had and "离线 · 数据截至 …" ("Offline · data as of …" in English); and
// the kept answers belong to one account: logging out deletes them, and the next account's briefing
// never finds the previous one's.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Accounts } from '../../server/auth/accounts';
import type { RunningServer } from '../../server/index';
import { REPO_ROOT } from '../../server/paths';
import { SqliteAccountStore } from '../../server/store/sqlite-account-store';
import { TRPC_CACHE_NAME } from '../../client/src/pwa/offline-keys';
import { launchBrowser, newTrackedPage, startTestServer } from '../support/browser';

const TABLET = { width: 1180, height: 820 };
/** 沈阳市, this month. */
const BRIEF_PATH = '/brief?region=2101&period=this-month';
const BRIEF_READY = '[data-brief-ready]';
/** A long first view on a loaded machine: the briefing's answers are computed cold. */
const VIEW_TIMEOUT = 120_000;

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** The KPI cards on the page: id → the value as shown. */
async function kpiValues(page: Page): Promise<Record<string, string>> {
  return page.locator('.kpi-card[data-kpi]').evaluateAll((cards) =>
    Object.fromEntries(cards.map((card) => [card.getAttribute('data-kpi')!, card.querySelector('.kpi-value')?.textContent?.trim() ?? ''])),
  );
}

/** Waits until a service worker controls the page and has fetched the answers on screen itself. */
async function waitForOfflineReady(page: Page): Promise<void> {
  await page.waitForSelector('html[data-offline-ready]', { state: 'attached', timeout: 180_000 });
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null)).toMatch(/\/sw\.js$/);
}

/** The URLs kept in the service worker's cache of tRPC answers (empty if the cache does not exist). */
async function keptUrls(page: Page): Promise<string[]> {
  return page.evaluate(async (name) => {
    if (!(await caches.has(name))) return [];
    const cache = await caches.open(name);
    return (await cache.keys()).map((request) => decodeURIComponent(request.url));
  }, TRPC_CACHE_NAME);
}

describe('the briefing offline', { timeout: 600_000 }, () => {
  let server: RunningServer;
  let serverClosed = false;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    if (!serverClosed) await server?.close();
  });

  it('serves the web app manifest, its icons and the service worker', async () => {
    const response = await fetch(`${server.url}/manifest.webmanifest`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const manifest = (await response.json()) as {
      name: string;
      short_name: string;
      lang: string;
      start_url: string;
      scope: string;
      display: string;
      theme_color: string;
      background_color: string;
      icons: { src: string; sizes: string; type: string; purpose?: string }[];
    };
    expect(manifest).toMatchObject({ short_name: '平安态势', lang: 'zh-CN', start_url: '/brief', scope: '/', display: 'standalone' });
    expect(manifest.name).toContain('平安态势一张图');
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i);
    // Installable: a 192 px and a 512 px icon, and one a launcher may mask.
    const sizes = manifest.icons.map((icon) => icon.sizes);
    expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(manifest.icons.some((icon) => icon.purpose?.split(' ').includes('maskable'))).toBe(true);
    for (const icon of manifest.icons) {
      const image = await fetch(new URL(icon.src, server.url));
      expect(image.status, icon.src).toBe(200);
      expect(image.headers.get('content-type'), icon.src).toBe('image/png');
      expect(icon.type).toBe('image/png');
    }

    // The page links the manifest; the worker is JavaScript, revalidated on every load.
    const page = await (await fetch(`${server.url}${BRIEF_PATH}`)).text();
    expect(page).toContain('<link rel="manifest" href="/manifest.webmanifest">');
    const worker = await fetch(`${server.url}/sw.js`);
    expect(worker.status).toBe(200);
    expect(worker.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect(worker.headers.get('cache-control')).toBe('no-cache');
    expect(await worker.text()).toContain('precacheAndRoute');
  });

  it('opens a briefing viewed before from the cache once the server is gone, and says it is offline', async () => {
    const tracked = await newTrackedPage(browser, TABLET);
    const { page } = tracked;
    const opened = Date.now();
    await page.goto(`${server.url}${BRIEF_PATH}`);
    await page.waitForSelector(BRIEF_READY, { state: 'attached', timeout: VIEW_TIMEOUT });
    const online = await kpiValues(page);
    expect(Object.keys(online).length).toBeGreaterThanOrEqual(6);
    const place = await page.locator('.brief-place').innerText();
    expect(place).toBe('沈阳市');
    expect(await page.locator('.connection-banner').getAttribute('data-connection')).toBe('online');
    expect(await page.locator('.connection-banner').innerText()).toBe('');

    await waitForOfflineReady(page);
    expect((await keptUrls(page)).some((url) => url.includes('/trpc/brief.kpis?input={"within":"2101"'))).toBe(true);

    // The server stops: nothing answers on its port any more.
    await server.close();
    serverClosed = true;
    await expect(fetch(`${server.url}/trpc/meta.health`)).rejects.toThrow();

    await page.reload({ waitUntil: 'commit', timeout: VIEW_TIMEOUT });
    await page.waitForSelector(BRIEF_READY, { state: 'attached', timeout: VIEW_TIMEOUT });
    expect(await kpiValues(page)).toEqual(online);
    expect(await page.locator('.brief-place').innerText()).toBe(place);
    const banner = page.locator('.connection-banner[data-connection="offline"]');
    await banner.waitFor({ timeout: 30_000 });
    const text = await banner.innerText();
    expect(text).toMatch(/^离线 · 数据截至 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
    // The time of the answers shown: given by the server during this test.
    await expect.poll(() => banner.getAttribute('data-data-time'), { timeout: 10_000 }).not.toBeNull();
    const dataTime = Number(await banner.getAttribute('data-data-time'));
    expect(dataTime).toBeGreaterThanOrEqual(Math.floor(opened / 1000) * 1000);
    expect(dataTime).toBeLessThanOrEqual(Date.now());

    // In English: the cards (their answers do not depend on the language) and the banner's sentence.
    await page.goto(`${server.url}${BRIEF_PATH}&lang=en`, { waitUntil: 'commit', timeout: VIEW_TIMEOUT });
    await page.locator('.kpi-card[data-kpi]').first().waitFor({ timeout: VIEW_TIMEOUT });
    await expect.poll(() => page.locator('.connection-banner').innerText(), { timeout: 30_000 }).toMatch(/^Offline · data as of \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}$/);

    // Everything came from this site (nothing from elsewhere, online or off).
    expect([...tracked.hosts]).toEqual([new URL(server.url).host]);
    await page.close();
  });
});

describe('the kept answers belong to one account', { timeout: 600_000 }, () => {
  const accountsPath = join(REPO_ROOT, 'test', 'artifacts', 'accounts-brief-offline.sqlite');
  /** Two street officers of different streets of 沈河区. */
  const FIRST = { username: 'binhe-briefing', password: 'binhe-briefing-2026', jurisdiction: '210103005' };
  const SECOND = { username: 'other-briefing', password: 'other-briefing-2026', jurisdiction: '210103006' };
  let server: RunningServer;
  let context: BrowserContext;

  beforeAll(async () => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${accountsPath}${suffix}`, { force: true });
    const accounts = new Accounts(new SqliteAccountStore(accountsPath), { anonymous: 'none', deploymentCode: '21' });
    for (const user of [FIRST, SECOND]) await accounts.addUser('test', { username: user.username, password: user.password, role: 'street-officer', jurisdiction: user.jurisdiction });
    accounts.store.close();
    server = await startTestServer({ accountsPath, anonymous: 'none' });
    context = await browser.newContext({ viewport: TABLET, deviceScaleFactor: 1 });
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
  });

  async function logIn(page: Page, user: typeof FIRST): Promise<void> {
    await page.goto(`${server.url}/login?next=${encodeURIComponent('/brief?period=this-month')}`);
    await page.getByLabel('用户名').fill(user.username);
    await page.getByLabel('密码').fill(user.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL((url) => url.pathname === '/brief');
    await page.waitForSelector(BRIEF_READY, { state: 'attached', timeout: VIEW_TIMEOUT });
    expect(await page.locator('.mode-brief').getAttribute('data-region')).toBe(user.jurisdiction);
  }

  it('deletes them at logout, and the next account never finds the previous one\'s', async () => {
    const page = await context.newPage();
    await logIn(page, FIRST);
    await waitForOfflineReady(page);
    const first = await keptUrls(page);
    expect(first.some((url) => url.includes(`"within":"${FIRST.jurisdiction}"`))).toBe(true);
    expect(first.some((url) => url.includes('/trpc/auth.me'))).toBe(true);

    await page.locator('.account-badge').getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    await expect.poll(() => keptUrls(page), { timeout: 10_000 }).toEqual([]);
    expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('atlas:')))).toEqual([]);

    await logIn(page, SECOND);
    // The second officer's briefing went to the server (the worker keeps fetching first while online)
    // and nothing kept names the first officer's street.
    await expect.poll(async () => (await keptUrls(page)).some((url) => url.includes(`"within":"${SECOND.jurisdiction}"`)), { timeout: 60_000 }).toBe(true);
    expect((await keptUrls(page)).filter((url) => url.includes(FIRST.jurisdiction))).toEqual([]);
    await page.close();
  });
});
