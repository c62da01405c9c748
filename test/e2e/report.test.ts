// Browser test of the grid worker's report form (/report) on a 390 × 844 phone (touch, taps), against a
// writable copy of the test database: the form refuses a report without a place or with a too long
// summary before sending anything; a worker of 永顺社区 fills it, taps the map inside one of the
// community's grids and submits while the first answer is lost (the server registers the case, the
// phone gets a 503): the retry carries the same idempotency key and exactly one case exists, with its
// parties and summary, in desk.queue for the street within 2 s of the success message; a place outside
// the community shows the server's refusal and keeps the form; from 390 px to a tablet nothing scrolls
// sideways, every target is at least 44 px and axe-core finds nothing critical or serious. In English
// (?lang=en): the labels, a denied location told and a granted one used, a report submitted with the
// network down resumes after a reload and is registered once, and logging out deletes the outbox.

import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Accounts, SESSION_COOKIE } from '../../server/auth/accounts';
import { buildClientIfStale } from '../../server/client-build';
import { startServer, type RunningServer } from '../../server/index';
import { REPO_ROOT, paths } from '../../server/paths';
import { REPORT_OUTBOX_KEY } from '../../client/src/pwa/offline-keys';
import { SqliteAccountStore } from '../../server/store/sqlite-account-store';
import { tokenHeaders } from '../support/accounts';
import { axeViolations, launchBrowser, projectToPage, waitForMapIdle } from '../support/browser';
import { fillReport, PHONE_CONTEXT, waitForReportForm as waitForForm } from '../support/report-form';
import { createTestClient } from '../support/trpc-client';

/** 沈阳市 › 沈河区 › 滨河街道 › 永顺社区 in the test database. */
const BINHE = '210103005';
const YONGSHUN = '210103005003';
const WORKER = { username: 'grid-wang', password: 'report-form-test-1', role: 'grid-worker' as const, jurisdiction: YONGSHUN };
const REPORT_PATH = '**/trpc/events.report*';

let dir: string;
let server: RunningServer;
let browser: Browser;
/** A street officer of 滨河街道: reads the cases (parties unmasked) and the desk queue. */
let officer: ReturnType<typeof createTestClient>;
const contexts: BrowserContext[] = [];
/** The worker's cookies and stored outbox after the first test, for the second. */
let workerState: Awaited<ReturnType<BrowserContext['storageState']>> | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-report-'));
  const databasePath = join(dir, 'atlas.sqlite');
  copyFileSync(inject('databasePath'), databasePath);
  const accountsPath = join(dir, 'accounts.sqlite');
  const accounts = new Accounts(new SqliteAccountStore(accountsPath), { anonymous: 'none', deploymentCode: '21' });
  await accounts.addUser('test', WORKER);
  accounts.store.close();
  await buildClientIfStale();
  server = await startServer({ databasePath, clientDir: paths.clientDir, port: 0, writable: true, accountsPath, anonymous: 'none' });
  officer = createTestClient(server.url, tokenHeaders(server.accounts, 'street-officer', BINHE));
  browser = await launchBrowser();
});

afterAll(async () => {
  await Promise.all(contexts.map((context) => context.close().catch(() => {})));
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Phone {
  page: Page;
  errors: string[];
  /** The idempotency key of every events.report request the page made (aborted ones too). */
  reportKeys: string[];
}

async function openPhone(options: { storageState?: typeof workerState } = {}): Promise<Phone> {
  const context = await browser.newContext({ ...PHONE_CONTEXT, ...options });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  const phone: Phone = { page, errors: [], reportKeys: [] };
  page.on('pageerror', (error) => phone.errors.push(error.message));
  page.on('console', (message) => {
    // Failed requests are the point of this test (aborted, 503, 403): the browser logs each of them.
    if (message.type() === 'error' && !/Failed to load resource|net::ERR_FAILED/.test(message.text())) phone.errors.push(message.text());
  });
  page.on('request', (request: Request) => {
    if (request.method() === 'POST' && request.url().includes('/trpc/events.report')) {
      phone.reportKeys.push((JSON.parse(request.postData() ?? '{}') as { idempotencyKey?: string }).idempotencyKey ?? '(none)');
    }
  });
  return phone;
}

/** On the login page the form sent the page to: logs the grid worker in and waits for the form again. */
async function logInToForm(page: Page, lang: 'zh' | 'en'): Promise<void> {
  const labels = lang === 'zh' ? { username: '用户名', password: '密码', submit: '登录' } : { username: 'Username', password: 'Password', submit: 'Log in' };
  await page.waitForURL((url) => url.pathname === '/login');
  await page.getByLabel(labels.username).fill(WORKER.username);
  await page.getByLabel(labels.password).fill(WORKER.password);
  await page.getByRole('button', { name: labels.submit }).click();
  await page.waitForURL((url) => url.pathname === '/report');
  await waitForForm(page);
}

/** Sideways overflow and targets smaller than 44 × 44 CSS px on the page. */
async function layoutProblems(page: Page): Promise<{ overflow: number; small: string[] }> {
  return page.evaluate(() => {
    const small: string[] = [];
    for (const element of document.querySelectorAll('.mode-report :is(button, a[href], select, input, textarea, summary)')) {
      const rect = element.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0 || getComputedStyle(element).visibility === 'hidden') continue;
      if (rect.width < 43.5 || rect.height < 43.5) small.push(`${element.tagName.toLowerCase()}.${element.className} “${(element.textContent ?? '').trim().slice(0, 16)}” ${rect.width.toFixed(0)}×${rect.height.toFixed(0)}`);
    }
    return { overflow: document.documentElement.scrollWidth - window.innerWidth, small };
  });
}

/** The cases of the community whose summary holds `token`, as the street officer reads them. */
async function casesWith(token: string) {
  const { items } = await officer.events.list.query({ within: YONGSHUN, limit: 100 });
  return items.filter((item) => (item.summary ?? '').includes(token));
}

/** A point inside one of the community's grids (its label point), and the grid's code. */
async function gridPoint(): Promise<{ lngLat: [number, number]; code: string }> {
  const grids = await officer.geo.grids.query({ within: YONGSHUN });
  const grid = grids.features[0]!;
  return { lngLat: grid.properties.labelLngLat as [number, number], code: grid.properties.code };
}

describe('/report on a phone', { timeout: 300_000 }, () => {
  it('checks the form, survives a lost answer with one case, refuses a place outside the community, and fits from a 390-px phone to a tablet', async () => {
    const phone = await openPhone();
    const { page } = phone;
    await page.goto(`${server.url}/report`);
    await logInToForm(page, 'zh');
    expect(await page.locator('.report-heading').innerText()).toBe('上报矛盾纠纷');
    expect(await page.locator('.report-area').innerText()).toContain('永顺社区');
    expect(await page.locator('.report-counts').getAttribute('data-pending')).toBe('0');
    // The grid worker's own source is preselected.
    expect(await page.locator('#report-source').inputValue()).toBe('patrol');

    // Checked before sending: no place, a summary over the server's 500 characters.
    await page.locator('#report-summary').fill('长'.repeat(501));
    await page.locator('.report-submit').tap();
    expect(await page.locator('.report-problems').innerText()).toBe('请修改标出的 2 处后再提交。');
    expect(await page.locator('.report-place .report-problem').innerText()).toContain('请在地图上点选事发位置');
    expect(await page.locator('.report-problem').allInnerTexts()).toContain('情况简述最多 500 字，现为 501 字。');
    expect(phone.reportKeys).toEqual([]);

    // The report: type, severity, two parties, a summary, a tap inside one of the community's grids.
    const token = `测试${Date.now().toString(36)}`;
    const summary = `${token}：楼上漏水，双方争执`;
    const grid = await gridPoint();
    const chosen = await fillReport(page, {
      type: 'neighbour',
      severity: '较大',
      parties: [
        { name: '张三', phone: '13800001234' },
        { name: '李四', role: '物业公司' },
      ],
      summary,
      lngLat: grid.lngLat,
    });
    expect(Math.abs(chosen[0]! - grid.lngLat[0]) + Math.abs(chosen[1]! - grid.lngLat[1])).toBeLessThan(0.001);

    // With the form full, from the phone up to a tablet: no sideways scrolling, every target at least 44 px.
    for (const [width, height] of [
      [768, 1024],
      [1024, 768],
      [390, 844],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.waitForFunction((w) => window.innerWidth === w, width);
      const layout = await layoutProblems(page);
      expect(layout.overflow, `${width}×${height}`).toBeLessThanOrEqual(0);
      expect(layout.small, `${width}×${height}`).toEqual([]);
    }
    await waitForMapIdle(page);
    writeFileSync(join(REPO_ROOT, 'test', 'artifacts', 'report-390x844.png'), await page.screenshot({ fullPage: true }));
    // Accessibility: nothing critical or serious for axe-core.
    expect(await axeViolations(page, ['critical', 'serious'])).toEqual([]);

    // The first answer is lost on its way back: the server registers the case, the phone sees a 503.
    let attempts = 0;
    await page.route(REPORT_PATH, async (route) => {
      attempts += 1;
      if (attempts > 1) return route.continue();
      await route.fetch();
      await route.fulfill({ status: 503, contentType: 'text/plain', body: 'upstream unavailable' });
    });
    await page.locator('.report-submit').tap();
    await page.waitForSelector('.report-sent[data-case-id]', { timeout: 60_000 });
    const shownAt = Date.now();
    const id = Number(await page.locator('.report-sent').getAttribute('data-case-id'));
    expect(await page.locator('.report-sent strong').innerText()).toBe(`已上报 · 编号 ${id}`);
    // The desk of the street has it within 2 s of the success message.
    let queuedAfterMs = -1;
    while (Date.now() - shownAt <= 2_000) {
      const queue = await officer.desk.queue.query({ within: BINHE, column: 'new', limit: 500 });
      if (queue.cases.some((item) => item.id === id)) {
        queuedAfterMs = Date.now() - shownAt;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(queuedAfterMs).toBeGreaterThanOrEqual(0);
    expect(queuedAfterMs).toBeLessThanOrEqual(2_000);

    // Two attempts, one key, one case — with the parties, summary, type, severity and place sent.
    expect(attempts).toBe(2);
    expect(phone.reportKeys).toHaveLength(2);
    expect(new Set(phone.reportKeys).size).toBe(1);
    const cases = await casesWith(token);
    expect(cases.map((item) => item.id)).toEqual([id]);
    const found = await officer.events.get.query({ id });
    expect(found).toMatchObject({ type: 'neighbour', source: 'patrol', severity: 'major', summary, status: 'reported', placeCode: grid.code });
    expect(found.parties).toEqual([
      { role: '申请人', name: '张三', phone: '13800001234' },
      { role: '物业公司', name: '李四', phone: '' },
    ]);

    // The form is cleared for the next report, keeping the type and source; the outbox lists the case.
    expect(await page.locator('#report-summary').inputValue()).toBe('');
    expect(await page.locator('.party-row').count()).toBe(0);
    expect(await page.locator('#report-place').getAttribute('data-lng-lat')).toBeNull();
    expect(await page.locator('#report-type').inputValue()).toBe('neighbour');
    expect(await page.locator('#report-source').inputValue()).toBe('patrol');
    expect(await page.locator('.report-counts').getAttribute('data-pending')).toBe('0');
    expect(await page.locator(`.outbox-item[data-state="sent"] .outbox-status`).first().innerText()).toBe(`已上报 · 编号 ${id}`);

    // A place outside the community (beside it on the map): the server's refusal, the form kept.
    await page.unroute(REPORT_PATH);
    const outsideToken = `${token}外`;
    await page.locator('#report-summary').fill(outsideToken);
    await page.locator('.report-map-frame').scrollIntoViewIfNeeded();
    // The community's bounds on screen: the room beside them is outside it.
    const community = (await officer.geo.adminUnits.query({ level: 'community', parent: BINHE })).features.find((f) => f.properties.code === YONGSHUN)!;
    let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const polygon of community.geometry.coordinates) {
      for (const [lng, lat] of polygon[0]!) {
        west = Math.min(west, lng!);
        east = Math.max(east, lng!);
        south = Math.min(south, lat!);
        north = Math.max(north, lat!);
      }
    }
    const frame = (await page.locator('.atlas-map').boundingBox())!;
    const topLeft = await projectToPage(page, [west, north]);
    const bottomRight = await projectToPage(page, [east, south]);
    const rooms = [
      { room: topLeft.x - frame.x, x: (frame.x + topLeft.x) / 2, y: (topLeft.y + bottomRight.y) / 2 },
      { room: topLeft.y - frame.y, x: (topLeft.x + bottomRight.x) / 2, y: (frame.y + topLeft.y) / 2 },
    ].sort((a, b) => b.room - a.room);
    expect(rooms[0]!.room, JSON.stringify({ frame, topLeft, bottomRight })).toBeGreaterThan(8);
    await page.touchscreen.tap(rooms[0]!.x, rooms[0]!.y);
    await page.waitForSelector('#report-place[data-lng-lat]', { state: 'attached' });
    await page.locator('.report-submit').tap();
    await page.waitForSelector('.report-refused[data-code="FORBIDDEN"]', { timeout: 60_000 });
    expect(await page.locator('.report-refused strong').innerText()).toContain('所选位置不在您的辖区内');
    expect(await page.locator('.report-server-message').innerText()).toContain(`outside your jurisdiction (${YONGSHUN})`);
    expect(await page.locator('#report-summary').inputValue()).toBe(outsideToken);
    writeFileSync(join(REPO_ROOT, 'test', 'artifacts', 'report-refused-390x844.png'), await page.screenshot());
    expect(await page.locator('.outbox-item[data-state="failed"]').count()).toBe(0);
    expect(await casesWith(outsideToken)).toEqual([]);

    expect(phone.errors).toEqual([]);
    workerState = await page.context().storageState();
  });

  it('speaks English with ?lang=en, tells a denied location and uses a granted one, and resumes a report submitted offline after a reload, registered once; logout deletes the outbox', async () => {
    expect(workerState).toBeDefined();
    const phone = await openPhone({ storageState: workerState });
    const { page } = phone;
    await page.goto(`${server.url}/report?lang=en`);
    await waitForForm(page);
    expect(await page.locator('.report-heading').innerText()).toBe('Report a dispute');
    expect(await page.locator('label[for="report-type"]').innerText()).toBe('Dispute type');
    expect(await page.locator('label[for="report-source"]').innerText()).toBe('Source');
    expect(await page.locator('#report-type option[value="neighbour"]').innerText()).toBe('Neighbours');
    expect(await page.locator('#report-source option[value="patrol"]').innerText()).toBe('Grid patrol');
    expect(await page.getByRole('button', { name: 'Major' }).count()).toBe(1);
    expect(await page.locator('.report-submit').innerText()).toBe('Submit report');
    // The case reported before is listed on this device (the outbox is kept in the browser).
    expect(await page.locator('.outbox-item[data-state="sent"] .outbox-status').first().innerText()).toMatch(/^Reported · case \d+$/);

    // No permission to locate: said, with what to do instead.
    await page.getByRole('button', { name: 'Use my location' }).tap();
    await page.waitForSelector('.report-location-error');
    expect(await page.locator('.report-location-error').innerText()).toContain('permission was denied');

    // Allowed, the device's position becomes the place (and the map moves to it).
    const grid = await gridPoint();
    await page.context().grantPermissions(['geolocation']);
    await page.context().setGeolocation({ longitude: grid.lngLat[0], latitude: grid.lngLat[1], accuracy: 10 });
    await page.getByRole('button', { name: 'Use my location' }).tap();
    await page.waitForSelector('#report-place[data-lng-lat]', { state: 'attached' });
    expect((await page.locator('#report-place').getAttribute('data-lng-lat'))!.split(',').map(Number)).toEqual(grid.lngLat);
    expect(await page.locator('.report-location-error').count()).toBe(0);

    // The network is down: the report waits in the outbox …
    await page.route(REPORT_PATH, (route) => route.abort('internetdisconnected'));
    const token = `offline${Date.now().toString(36)}`;
    await page.locator('#report-summary').fill(token);
    await page.locator('.report-submit').tap();
    await page.waitForSelector('.report-queued');
    await page.waitForSelector('.report-counts[data-pending="1"]');
    expect(await page.locator('.report-counts').innerText()).toContain('1 waiting to send');
    expect(await casesWith(token)).toEqual([]);
    const offlineKeys = [...phone.reportKeys];
    expect(offlineKeys.length).toBeGreaterThanOrEqual(1);

    // … and after a reload with the network back, it is sent by itself with the same key, once.
    await page.unroute(REPORT_PATH);
    await page.reload();
    await page.waitForSelector(`.outbox-item[data-key="${offlineKeys[0]}"][data-state="sent"]`, { timeout: 60_000 });
    expect(await page.locator('.report-counts').getAttribute('data-pending')).toBe('0');
    const cases = await casesWith(token);
    expect(cases).toHaveLength(1);
    expect(cases[0]!.placeCode).toBe(grid.code);
    expect(new Set(phone.reportKeys).size).toBe(1);
    expect(phone.reportKeys.length).toBeGreaterThan(offlineKeys.length);
    expect(await page.locator('.outbox-item[data-state="sent"] .outbox-status').allInnerTexts()).toContain(`Reported · case ${cases[0]!.id}`);

    // The outbox holds personal data: logging out deletes it from the browser.
    expect(await page.evaluate((key) => localStorage.getItem(key), REPORT_OUTBOX_KEY)).not.toBeNull();
    await page.getByRole('button', { name: 'Log out' }).tap();
    await page.waitForURL((url) => url.pathname === '/login');
    expect(await page.evaluate((key) => localStorage.getItem(key), REPORT_OUTBOX_KEY)).toBeNull();
    expect(phone.errors).toEqual([]);
  });

  it('keeps a report whose session ended on the device, says to log in again, and sends it once after logging in', async () => {
    const grid = await gridPoint();
    const phone = await openPhone();
    const { page } = phone;
    await page.context().grantPermissions(['geolocation']);
    await page.context().setGeolocation({ longitude: grid.lngLat[0], latitude: grid.lngLat[1], accuracy: 10 });
    await page.goto(`${server.url}/report?lang=en`);
    await logInToForm(page, 'en');

    // The session ends on the server (revoked, as by a logout elsewhere) while the form is open.
    const cookie = (await page.context().cookies()).find((c) => c.name === SESSION_COOKIE)!;
    server.accounts.logout(server.accounts.sessionPrincipal(cookie.value)!);
    const token = `expired${Date.now().toString(36)}`;
    await page.getByRole('button', { name: 'Use my location' }).tap();
    await page.waitForSelector('#report-place[data-lng-lat]', { state: 'attached' });
    await page.locator('#report-summary').fill(token);
    await page.locator('.report-submit').tap();

    // Refused as not logged in: kept on the device, with the way to log in again; nothing registered.
    await page.waitForSelector('.outbox-item[data-state="pending"] .outbox-login');
    expect(new URL(page.url()).pathname).toBe('/report');
    expect(await page.locator('.outbox-login').innerText()).toContain('Your session has ended');
    expect(await casesWith(token)).toEqual([]);
    const keys = [...phone.reportKeys];
    expect(keys.length).toBeGreaterThanOrEqual(1);

    // Logged in again (by the link, back to the form), it goes by itself, with the same key, once.
    await page.locator('.report-login').tap();
    await logInToForm(page, 'en');
    await page.waitForSelector(`.outbox-item[data-key="${keys[0]}"][data-state="sent"]`, { timeout: 60_000 });
    const cases = await casesWith(token);
    expect(cases).toHaveLength(1);
    expect(cases[0]!.placeCode).toBe(grid.code);
    expect(new Set(phone.reportKeys)).toEqual(new Set([keys[0]]));
    expect(phone.errors.filter((error) => !/401|Unauthorized/i.test(error))).toEqual([]);
  });
});
