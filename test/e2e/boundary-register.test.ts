// Browser test of the 平安边界 register (/desk/boundaries) at 1366 × 768 on a writable copy of the test
// database, with officers logged in by session cookie: a county officer of 沈河区 sees a street line due a
// joint patrol with boundaries.register's numbers and hotspots.boundaryRisk's cases, records a patrol for
// today from the keyboard and the row is no longer due (as the API says); the wall's boundary scene on
// the same server then reads the line as patrolled and draws; a street officer recording on a line with
// no side in their street sees the FORBIDDEN message; ?lang=en speaks English.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MS_PER_DAY, MS_PER_HOUR } from '../../server/domain/china-time';
import type { RunningServer } from '../../server/index';
import { REPO_ROOT } from '../../server/paths';
import type { BoundaryRegisterRow } from '../../client/src/api-types';
import { BOUNDARY_RISK_COLORS } from '../../client/src/layers/hotspot-colors';
import { REGISTER_LINE_COLORS } from '../../client/src/modes/desk/boundary-register';
import { colorDistance, decodeScreenshot, launchBrowser, projectToPage, startWritableTestServer, waitForMapIdle, type WritableTestServer } from '../support/browser';
import { tokenHeaders } from '../support/accounts';
import { LoggedInPages, type LoggedInPage } from '../support/logged-in-pages';
import { createTestClient } from '../support/trpc-client';

const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts');
const DESKTOP = { width: 1366, height: 768 };
/** 沈河区 (Shenhe district, Shenyang). */
const SHENHE = '210103';
const PASSWORD = 'boundary-test-password-2026';

let served: WritableTestServer;
let server: RunningServer;
let browser: Browser;
let api: ReturnType<typeof createTestClient>;
/** A street line inside 沈河区 due a joint patrol, as boundaries.register first answered. */
let dueLine: BoundaryRegisterRow;
/** Another street line of 沈河区, and a street of the district on neither of its sides. */
let otherLine: BoundaryRegisterRow;
let streetBesides: string;
/** Officers' pages, closed after each test. */
let pages: LoggedInPages;

beforeAll(async () => {
  served = await startWritableTestServer('atlas-boundary-e2e-');
  server = served.server;
  await server.accounts.addUser('test', { username: 'border-county', role: 'county-officer', jurisdiction: SHENHE, password: PASSWORD });
  api = createTestClient(server.url, tokenHeaders(server.accounts, 'county-officer', SHENHE));
  const register = await api.boundaries.register.query({ within: SHENHE });
  const inside = (code: string | null) => code !== null && code.startsWith(SHENHE) && code.length === 9;
  dueLine = register.lines.find((row) => row.level === 'street' && row.patrolDue && inside(row.leftCode) && inside(row.rightCode))!;
  expect(dueLine, 'the test data has a street line of 沈河区 due a joint patrol').toBeDefined();
  otherLine = register.lines.find((row) => row.id !== dueLine.id && row.level === 'street' && inside(row.leftCode) && inside(row.rightCode))!;
  const sides = new Set([otherLine.leftCode, otherLine.rightCode]);
  streetBesides = register.lines.flatMap((row) => [row.leftCode, row.rightCode]).find((code) => inside(code) && !sides.has(code))!;
  await server.accounts.addUser('test', { username: 'border-street', role: 'street-officer', jurisdiction: streetBesides, password: PASSWORD });
  browser = await launchBrowser();
  pages = new LoggedInPages(browser, server, PASSWORD, DESKTOP);
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterEach(() => pages.closeAll());

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

/** A page logged in as `username`, opened at `path` once the register and its map are drawn. */
async function openRegister(username: string, path: string): Promise<LoggedInPage> {
  const opened = await pages.open(username, path, '.mode-register[data-ready="true"]');
  await waitForMapIdle(opened.page);
  return opened;
}

/** Pixels of a screenshot's box whose colour is within `tolerance` of `color`. */
function countPixels(png: Buffer, box: { x: number; y: number; width: number; height: number }, color: readonly number[], tolerance: number): number {
  const shot = decodeScreenshot(png);
  let count = 0;
  for (let y = Math.ceil(box.y); y < box.y + box.height; y += 1) {
    for (let x = Math.ceil(box.x); x < box.x + box.width; x += 1) if (colorDistance(shot.pixel(x, y), color) <= tolerance) count += 1;
  }
  return count;
}

/** The cases near each line as the page asks for them: the last 90 days, hour-aligned. */
async function nearCases(): Promise<Map<string, number>> {
  const hourEnd = Math.floor(Date.now() / MS_PER_HOUR) * MS_PER_HOUR + MS_PER_HOUR;
  const risk = await api.hotspots.boundaryRisk.query({ within: SHENHE, from: new Date(hourEnd - 90 * MS_PER_DAY).toISOString(), to: new Date(hourEnd).toISOString() });
  return new Map(risk.features.map((f) => [f.properties.id, f.properties.count]));
}

describe('/desk/boundaries', () => {
  it('lists a due line with the API numbers; a joint patrol recorded today makes it not due, on the register and on the wall', async () => {
    const { page, context, errors } = await openRegister('border-county', '/desk/boundaries');
    expect(await page.locator('.mode-register').getAttribute('data-within')).toBe(SHENHE);
    const row = page.locator(`.register-row[data-line="${dueLine.id}"]`);
    expect(await row.getAttribute('data-due')).toBe('true');
    expect(await row.locator('.patrol-status').textContent()).toBe('待巡逻');
    expect(await row.locator('.patrol-status').getAttribute('title')).toBe('90天内无联合巡逻');
    expect(await row.locator('.cell-sides').textContent()).toBe(`${dueLine.leftName} ↔ ${dueLine.rightName}`);
    expect(await row.locator('.patrol-since').textContent()).toBe(dueLine.daysSincePatrol === null ? '从未巡逻' : `${dueLine.daysSincePatrol} 天前`);
    expect(await row.locator('.cell-patrol').evaluate((cell) => getComputedStyle(cell).color)).toBe('rgb(179, 38, 30)');
    const cases = await nearCases();
    await page.waitForSelector(`.register-row[data-line="${dueLine.id}"] .cell-cases[data-cases]`);
    expect(Number(await row.locator('.cell-cases').getAttribute('data-cases'))).toBe(cases.get(dueLine.id));
    // Due lines first.
    const dueFlags = await page.locator('.register-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-due')));
    expect(dueFlags.indexOf('false') === -1 || dueFlags.slice(dueFlags.indexOf('false')).every((flag) => flag === 'false')).toBe(true);

    // The map draws the lines in their status colours; a selected row's line turns blue.
    const mapBox = (await page.locator('.register-map').boundingBox())!;
    expect(countPixels(await page.screenshot(), mapBox, REGISTER_LINE_COLORS.due, 40)).toBeGreaterThan(20);
    await row.locator('.cell-sides').click();
    await page.waitForSelector(`.register-map[data-selected="${dueLine.id}"]`);
    await waitForMapIdle(page);
    expect(countPixels(await page.screenshot(), mapBox, REGISTER_LINE_COLORS.selected, 40)).toBeGreaterThan(10);

    // Record a joint patrol from the keyboard: the day defaults to today (China time, the server's).
    const today = (await api.boundaries.register.query({ within: SHENHE })).asOf;
    await row.locator('[data-action="patrol"]').focus();
    await page.keyboard.press('Enter');
    const form = page.locator(`.register-form-row[data-form-for="${dueLine.id}"] form`);
    expect(await form.locator('input[name="day"]').inputValue()).toBe(today);
    await form.locator('input[name="note"]').fill('双方联合巡逻');
    await form.locator('button[type="submit"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector(`.register-row[data-line="${dueLine.id}"][data-due="false"]`);
    const after = (await api.boundaries.register.query({ within: SHENHE })).lines.find((line) => line.id === dueLine.id)!;
    expect(after).toMatchObject({ patrolDue: false, daysSincePatrol: 0, lastJointPatrol: today });
    expect(await row.locator('.patrol-status').textContent()).toBe('已巡逻');
    expect(await row.locator('.patrol-since').textContent()).toBe('0 天前');
    expect(await row.getAttribute('data-last-patrol')).toBe(today);
    writeFileSync(join(ARTIFACTS, 'boundary-register.png'), await page.screenshot());

    // The agreement: a day after today is refused by the server, and its words are shown; today is saved.
    await row.locator('[data-action="agreement"]').click();
    const agreement = page.locator(`.register-form-row[data-form-for="${dueLine.id}"] form[data-kind="agreement"]`);
    const tomorrow = new Date(Date.parse(today) + MS_PER_DAY).toISOString().slice(0, 10);
    await agreement.locator('input[name="day"]').fill(tomorrow);
    await agreement.locator('button[type="submit"]').click();
    await agreement.locator('.record-error[data-code="BAD_REQUEST"]').waitFor();
    expect(await agreement.locator('.record-error').textContent()).toContain(`${tomorrow} is in the future`);
    await agreement.locator('input[name="day"]').fill(today);
    await agreement.locator('button[type="submit"]').click();
    await agreement.waitFor({ state: 'detached' });
    const signed = (await api.boundaries.register.query({ within: SHENHE })).lines.find((line) => line.id === dueLine.id)!;
    expect(signed).toMatchObject({ agreementSigned: true, agreementSignedOn: today });
    const [year, month, day] = today.split('-').map(Number);
    expect(await row.locator('.cell-agreement').textContent()).toBe(`已签订（${year}年${month}月${day}日）`);

    // The wall's boundary scene, same server, in another tab: its boundary answer has the patrol, its map draws.
    const wall = await context.newPage();
    wall.setDefaultTimeout(60_000);
    wall.on('pageerror', (error) => errors.push(error.message));
    const wallRisk = wall.waitForResponse((response) => response.url().includes('/trpc/hotspots.boundaryRisk') && response.ok());
    await wall.goto(`${server.url}/screen?region=${SHENHE}&scene=boundary`);
    const body = (await (await wallRisk).json()) as { result: { data: { features: { properties: { id: string; lastJointPatrol: string | null } }[] } } };
    expect(body.result.data.features.find((f) => f.properties.id === dueLine.id)?.properties.lastJointPatrol).toBe(today);
    await wall.waitForSelector('.screen-map[data-scene="boundary"]', { state: 'attached' });
    await waitForMapIdle(wall);
    expect(await wall.locator('.screen-map figure.legend figcaption').textContent()).toBe('边界线风险（近90天）');
    const wallBox = (await wall.locator('.screen-map').boundingBox())!;
    const wallShot = await wall.screenshot();
    writeFileSync(join(ARTIFACTS, 'boundary-register-wall.png'), wallShot);
    const shot = decodeScreenshot(wallShot);
    const colours = new Set<string>();
    for (let y = wallBox.y + 10; y < wallBox.y + wallBox.height - 10; y += 7) {
      for (let x = wallBox.x + 10; x < wallBox.x + wallBox.width - 10; x += 7) colours.add(shot.pixel(x, y).join(','));
    }
    expect(colours.size).toBeGreaterThan(20);
    // Boundary lines in a risk colour are among the pixels.
    const riskPixels = Object.values(BOUNDARY_RISK_COLORS).reduce((sum, color) => sum + countPixels(wallShot, wallBox, color, 30), 0);
    expect(riskPixels).toBeGreaterThan(20);
    expect(errors).toEqual([]);
  });

  it('shows the FORBIDDEN message when the session is an officer of a street on neither side of the line', async () => {
    const { page, context } = await openRegister('border-county', '/desk/boundaries');
    const before = (await api.boundaries.register.query({ within: SHENHE })).lines.find((line) => line.id === otherLine.id)!;
    // Logged in again as a street officer elsewhere (another tab): the open page now speaks for them.
    await context.clearCookies();
    await context.addCookies([await pages.sessionCookie('border-street')]);
    const row = page.locator(`.register-row[data-line="${otherLine.id}"]`);
    await row.locator('[data-action="patrol"]').click();
    const form = page.locator(`.register-form-row[data-form-for="${otherLine.id}"] form`);
    await form.locator('button[type="submit"]').click();
    const error = form.locator('.record-error[data-code="FORBIDDEN"]');
    await error.waitFor();
    expect(await error.textContent()).toContain('无权登记：此边界线两侧均不在您的辖区内');
    expect(await error.textContent()).toContain(streetBesides);
    const after = (await api.boundaries.register.query({ within: SHENHE })).lines.find((line) => line.id === otherLine.id)!;
    expect(after).toEqual(before);
  });

  it('speaks English with ?lang=en', async () => {
    const { page } = await openRegister('border-county', '/desk/boundaries?lang=en');
    expect(await page.locator('.register-table-section h2').textContent()).toBe('Boundary-line register');
    expect(await page.locator('.register-row [data-action="patrol"]').first().textContent()).toBe('Record joint patrol');
    expect(await page.locator('.register-row [data-action="agreement"]').first().textContent()).toBe('Record agreement signed');
    expect(await page.locator('.register-table thead').textContent()).toContain('Last joint patrol');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');

    // Sorting from the keyboard: by length, due lines still first, each group in order, then reversed.
    await page.locator('.sort-button[data-sort="length"]').focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('th:has(.sort-button[data-sort="length"])').getAttribute('aria-sort')).toBe('ascending');
    const lengthsByGroup = async () => {
      const cells = await page.locator('.register-row').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-due'), Number(r.getAttribute('data-length-meters'))] as const));
      const firstNotDue = cells.findIndex(([due]) => due === 'false');
      expect(cells.slice(firstNotDue < 0 ? cells.length : firstNotDue).every(([due]) => due === 'false')).toBe(true);
      return [cells.filter(([due]) => due === 'true').map(([, m]) => m), cells.filter(([due]) => due === 'false').map(([, m]) => m)];
    };
    for (const group of await lengthsByGroup()) expect(group).toEqual([...group].sort((x, y) => x - y));
    await page.keyboard.press('Enter');
    expect(await page.locator('th:has(.sort-button[data-sort="length"])').getAttribute('aria-sort')).toBe('descending');
    for (const group of await lengthsByGroup()) expect(group).toEqual([...group].sort((x, y) => y - x));

    // A click on a line of the map selects its row (map → row).
    const risk = await api.hotspots.boundaryRisk.query({ within: SHENHE, from: new Date(Date.now() - 90 * MS_PER_DAY).toISOString(), to: new Date().toISOString() });
    const geometry = risk.features.find((f) => f.properties.id === otherLine.id)!.geometry;
    const parts = geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates;
    const part = parts.reduce((longest, p) => (p.length > longest.length ? p : longest));
    const middle = Math.floor((part.length - 1) / 2);
    const [a, b] = [part[middle]!, part[middle + 1]!];
    const point = await projectToPage(page, [(a[0]! + b[0]!) / 2, (a[1]! + b[1]!) / 2]);
    await page.mouse.click(point.x, point.y);
    await page.waitForSelector(`.register-row[data-line="${otherLine.id}"][data-selected="true"]`);
    expect(await page.locator('.register-map').getAttribute('data-selected')).toBe(otherLine.id);
  });
});
